//! What the public pages (一公开, issue #12 point 2) say of an inspection made from a drawn plan:
//! its outcome in words, and whether it is published yet.
//!
//! An inspection is recorded once and never changed; what follows it (the correction order, the
//! re-inspection) moves its outcome on. The outcome is published once it is settled as far as the
//! public is told:
//!
//! - nothing found (no check item 不符合): at once, “未发现问题”;
//! - problems found: once the correction order is issued, “发现问题N项，已责令限期整改”; after the
//!   re-inspection “发现问题N项，已整改复查” or “发现问题N项，复查未整改，已移送立案”;
//! - problems found and no order yet: not published (the unit has not decided what follows).
//!
//! N counts the items found 不符合 (each opened one finding in the ledger).

use super::order::OrderStatus;
use crate::coded::coded;

coded!(
    /// Where a published outcome stands.
    #[serde(rename_all = "snake_case")]
    OutcomeKind {
        /// Nothing found (未发现问题).
        NoProblems = ("no_problems", "未发现问题"),
        /// Problems found, the correction order issued and not re-inspected yet.
        Ordered = ("ordered", "已责令限期整改"),
        /// Re-inspected: every problem corrected.
        Corrected = ("corrected", "已整改复查"),
        /// Re-inspected: something not corrected, referred for a case.
        NotCorrected = ("not_corrected", "复查未整改，已移送立案"),
    }
);

/// A published outcome: where it stands and how many problems were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Outcome {
    /// Where it stands.
    pub kind: OutcomeKind,
    /// Check items found 不符合 (0 for [`OutcomeKind::NoProblems`]).
    pub problems: u32,
}

impl Outcome {
    /// The outcome of an inspection that found `problems` items 不符合, whose correction order
    /// (if one was issued) stands at `order`; `None` while it is not published (problems found,
    /// no order yet).
    pub fn of(problems: u32, order: Option<OrderStatus>) -> Option<Outcome> {
        let kind = match (problems, order) {
            (0, _) => OutcomeKind::NoProblems,
            (_, None) => return None,
            (_, Some(OrderStatus::Issued | OrderStatus::CompletionReported)) => {
                OutcomeKind::Ordered
            }
            (_, Some(OrderStatus::Corrected)) => OutcomeKind::Corrected,
            (_, Some(OrderStatus::NotCorrected)) => OutcomeKind::NotCorrected,
        };
        Some(Outcome { kind, problems })
    }

    /// The outcome in words, as published: 未发现问题 / 发现问题2项，已责令限期整改.
    pub fn words(&self) -> String {
        match self.kind {
            OutcomeKind::NoProblems => self.kind.label().to_string(),
            kind => format!("发现问题{}项，{}", self.problems, kind.label()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_once_settled_in_words() {
        let words = |problems, order| Outcome::of(problems, order).map(|o| o.words());
        assert_eq!(words(0, None).as_deref(), Some("未发现问题"));
        assert_eq!(words(2, None), None, "problems without an order yet");
        assert_eq!(
            words(2, Some(OrderStatus::Issued)).as_deref(),
            Some("发现问题2项，已责令限期整改")
        );
        assert_eq!(
            words(1, Some(OrderStatus::CompletionReported)).as_deref(),
            Some("发现问题1项，已责令限期整改")
        );
        assert_eq!(
            words(3, Some(OrderStatus::Corrected)).as_deref(),
            Some("发现问题3项，已整改复查")
        );
        assert_eq!(
            words(1, Some(OrderStatus::NotCorrected)).as_deref(),
            Some("发现问题1项，复查未整改，已移送立案")
        );
        assert_eq!(
            Outcome::of(1, Some(OrderStatus::Corrected)).map(|o| o.kind.code()),
            Some("corrected")
        );
    }
}
