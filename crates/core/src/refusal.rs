//! The one way the domain says no: a [`Refusal`] says how it is answered ([`RefusalKind`]: the
//! role may not, not in this state, something missing or invalid), the message people read (in
//! Chinese), the field it concerns, and per-field errors of a form. Every loop's reasons convert
//! into it; the store carries it in one variant and the web maps its kind to a status in one place,
//! so a new loop adds its reasons and no variant to any error enum.

use serde::{Deserialize, Serialize};

/// How a refusal is answered: 403, 409 or 422.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalKind {
    /// The actor's role may not take this step (in scope, so 403).
    Forbidden,
    /// Not in this state, or changed since it was read (409).
    Conflict,
    /// Something missing or invalid in the request (422).
    Invalid,
}

/// A problem with one field of a form (a self-inspection item's answer or note).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Check item number the error concerns.
    pub item: u32,
    /// Field: `answer` or `note`.
    pub field: &'static str,
    /// Message in Chinese.
    pub message: String,
}

/// Why the domain refuses a request; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Refusal {
    kind: RefusalKind,
    message: String,
    field: Option<&'static str>,
    fields: Vec<FieldError>,
}

impl Refusal {
    /// The role may not (403).
    pub fn forbidden(message: impl Into<String>) -> Refusal {
        Refusal::new(RefusalKind::Forbidden, message)
    }

    /// Not in this state (409).
    pub fn conflict(message: impl Into<String>) -> Refusal {
        Refusal::new(RefusalKind::Conflict, message)
    }

    /// Missing or invalid (422).
    pub fn invalid(message: impl Into<String>) -> Refusal {
        Refusal::new(RefusalKind::Invalid, message)
    }

    /// Invalid fields of a form (422), with one message per field.
    pub fn fields(fields: Vec<FieldError>) -> Refusal {
        Refusal {
            message: format!("有{}处填写不正确", fields.len()),
            fields,
            ..Refusal::new(RefusalKind::Invalid, "")
        }
    }

    fn new(kind: RefusalKind, message: impl Into<String>) -> Refusal {
        Refusal {
            kind,
            message: message.into(),
            field: None,
            fields: Vec::new(),
        }
    }

    /// The same refusal, about the form field `field`.
    #[must_use]
    pub fn on(mut self, field: &'static str) -> Refusal {
        self.field = Some(field);
        self
    }

    /// How it is answered.
    pub fn kind(&self) -> RefusalKind {
        self.kind
    }

    /// The message people read (Chinese).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The form field it concerns, if one.
    pub fn field(&self) -> Option<&'static str> {
        self.field
    }

    /// Per-field errors of a form (empty unless made by [`Refusal::fields`]).
    pub fn field_errors(&self) -> &[FieldError] {
        &self.fields
    }
}

/// A refusal equals a loop's reason when that reason converts to it: tests and callers compare
/// with the loop's own words (`refusal == lifecycle::Refusal::NoEvidence`).
macro_rules! equal_to_reason {
    ($($reason:ty),*) => {$(
        impl PartialEq<$reason> for Refusal {
            fn eq(&self, other: &$reason) -> bool {
                let other: Refusal = other.clone().into();
                *self == other
            }
        }
    )*};
}
equal_to_reason!(
    crate::finding::lifecycle::Refusal,
    crate::self_inspection::Refusal,
    crate::finding::TimeLimitError
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_messages_and_fields() {
        let r = Refusal::conflict("已提交").on("status");
        assert_eq!(r.kind(), RefusalKind::Conflict);
        assert_eq!(r.to_string(), "已提交");
        assert_eq!(r.field(), Some("status"));
        let f = Refusal::fields(vec![FieldError {
            item: 3,
            field: "note",
            message: "请填写说明".into(),
        }]);
        assert_eq!(f.kind(), RefusalKind::Invalid);
        assert_eq!(f.message(), "有1处填写不正确");
        assert_eq!(f.field_errors()[0].item, 3);
    }
}
