//! What clients send, parsed into the use cases' terms; shared by the pages and the JSON API so
//! that neither imports the other.

pub(crate) mod acceptance;
pub(crate) mod accountability;
pub(crate) mod cases;
pub(crate) mod dishonesty;
pub(crate) mod enforcement;
pub(crate) mod findings;

/// The decisions on an extension request (of a finding or of a correction order): approve,
/// refuse.
pub(crate) const DECISIONS: [&str; 2] = ["approve", "refuse"];

/// Whether a decision approves (`approve`) or refuses (`refuse`); `None` for anything else.
pub(crate) fn decision(v: &str) -> Option<bool> {
    match v {
        "approve" => Some(true),
        "refuse" => Some(false),
        _ => None,
    }
}

/// The values of a yes/no filter of a query string.
pub(crate) const YES_NO: [&str; 2] = ["yes", "no"];

/// `yes` is true, `no` false; `None` for anything else.
pub(crate) fn yes_no(v: &str) -> Option<bool> {
    match v {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_values_listed_are_the_values_read() {
        assert_eq!(
            super::DECISIONS.map(super::decision),
            [Some(true), Some(false)]
        );
        assert_eq!(super::YES_NO.map(super::yes_no), [Some(true), Some(false)]);
    }
}
