//! The enforcement phase (严格执法) of a campaign: planning inspections and the rules and words
//! its documents follow.
//!
//! - [`draw`]: the verifiable random draw (双随机) of inspection targets and officer pairs.
//! - [`rules`]: procedure time limits and counts as dated data with their source.

pub mod draw;
pub mod rules;
