//! What clients send, parsed into the use cases' terms; shared by the pages and the JSON API so
//! that neither imports the other.

pub(crate) mod acceptance;
pub(crate) mod accountability;
pub(crate) mod cases;
pub(crate) mod dishonesty;
pub(crate) mod enforcement;
pub(crate) mod enterprises;
pub(crate) mod findings;

/// An id sent as a JSON string or number (`"12"` or `12`), read as text: clients write unit
/// ids either way, and the API should not refuse one for its quotes.
pub(crate) fn id_text<'de, D>(d: D) -> Result<String, D::Error>
where
    D: serde::Deserializer<'de>,
{
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Id {
        Text(String),
        Number(i64),
    }
    Ok(match <Id as serde::Deserialize>::deserialize(d)? {
        Id::Text(s) => s,
        Id::Number(n) => n.to_string(),
    })
}

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

    #[test]
    fn a_unit_id_is_read_from_a_string_or_a_number() {
        use super::accountability::MatterRequest;
        for body in [r#"{"unit":"12"}"#, r#"{"unit":12}"#] {
            let r: MatterRequest = serde_json::from_str(body).unwrap();
            assert_eq!(r.unit, "12", "{body}");
        }
        assert!(serde_json::from_str::<MatterRequest>(r#"{"unit":[1]}"#).is_err());
    }
}
