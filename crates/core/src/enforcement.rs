//! The enforcement phase (严格执法) of a campaign: planning inspections and the rules and words
//! its documents follow.
//!
//! - [`draw`]: the verifiable random draw (双随机) of inspection targets and officer pairs.
//! - [`numbering`]: document numbers such as （青）应急检记〔2024〕12号 and their sequences.
//! - [`rules`]: procedure time limits and counts as dated data with their source.
//! - [`violations`]: the violation library (违法行为库): behaviour, article violated, penalty article.

pub mod draw;
pub mod numbering;
pub mod rules;
pub mod violations;
