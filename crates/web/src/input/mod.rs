//! What clients send, parsed into the use cases' terms; shared by the pages and the JSON API so
//! that neither imports the other.

pub(crate) mod enforcement;
pub(crate) mod findings;
