//! Plan-document importer: text -> campaign template.

mod checktable;
pub mod dates;
pub mod import;
pub mod input;
pub mod normalize;
pub mod notice;
pub mod present;
pub mod review;
pub mod summary;
pub mod template_file;
#[cfg(feature = "test-support")]
pub mod testdoc;
mod text;

pub use import::{Import, import};
pub use input::{InputError, read_document};
pub use review::apply_review_edits;
pub use summary::summary;
pub use template_file::{from_json, from_toml, seed_template, to_json, to_toml};
