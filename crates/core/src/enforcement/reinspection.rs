//! The re-inspection of a correction order (整改复查意见书): two certified officers check each
//! finding the order lists and say whether it was corrected. All corrected closes the order (and
//! its findings); anything not corrected refers the matter for a case — filed by the unit when it
//! holds [`Power::FileCase`](super::powers::Power::FileCase), else by the department it refers to.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::officers::{Officer, check_team};
use super::{TextRule, check_record_date};
use crate::coded::coded;
use crate::refusal::Refusal;
use crate::self_inspection::NOTE_MAX_CHARS;

coded!(
    /// What the re-inspection found for one finding, or for the order as a whole.
    #[serde(rename_all = "snake_case")]
    ReInspectionResult {
        /// Corrected (已整改).
        Corrected = ("corrected", "已整改"),
        /// Not corrected (未整改).
        NotCorrected = ("not_corrected", "未整改"),
    }
);

/// The result for one finding of the order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingResult {
    /// The finding (id in the findings ledger).
    pub finding_id: i64,
    /// Corrected or not.
    pub result: ReInspectionResult,
    /// What was seen; required when not corrected, up to 2000 characters.
    #[serde(default)]
    pub note: String,
}

/// A re-inspection as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReInspectionInput {
    /// Day of the re-inspection (Asia/Shanghai).
    pub date: NaiveDate,
    /// The officers (accounts).
    pub officers: Vec<Officer>,
    /// One result per finding of the order.
    pub results: Vec<FindingResult>,
}

/// What a re-inspection means for its order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every finding corrected: the order is closed and its findings with it.
    Closed,
    /// Something not corrected: refer for a case (立案) with these findings.
    Referral {
        /// The findings not corrected, in the order's order.
        not_corrected: Vec<i64>,
    },
}

impl ReInspectionInput {
    /// Checks the re-inspection of an order issued on `order_issued_on` listing the findings
    /// `order_findings`, on `today`.
    ///
    /// # Errors
    /// Invalid, the first of: field `date` before the order's issue date
    /// (“复查日期不能早于指令书下达日期”) or after today (“复查日期不能晚于今天”); the officers
    /// on the re-inspection's date ([`check_team`], field `officers`); field `results`, the
    /// findings counted from 1 in the order's list: a finding not on the order
    /// (“复查结果中有不属于该指令书的问题隐患”), one given twice
    /// (“指令书第{k}项问题隐患的复查结果重复”), one without a result
    /// (“指令书第{k}项问题隐患未给出复查结果”), one not corrected without a note
    /// (“指令书第{k}项问题隐患未整改，请写明复查情况”), a note over 2000 characters
    /// (“指令书第{k}项问题隐患的复查情况超过2000字”) or with control characters.
    pub fn check(
        &self,
        order_issued_on: NaiveDate,
        order_findings: &[i64],
        today: NaiveDate,
    ) -> Result<(), Refusal> {
        if self.date < order_issued_on {
            return Err(Refusal::invalid("复查日期不能早于指令书下达日期").on("date"));
        }
        check_record_date(self.date, today, "复查日期", "date")?;
        check_team(&self.officers, self.date)?;
        let refuse = |message: String| Err(Refusal::invalid(message).on("results"));
        let mut seen = BTreeSet::new();
        for r in &self.results {
            let Some(k) = order_findings.iter().position(|&f| f == r.finding_id) else {
                return refuse("复查结果中有不属于该指令书的问题隐患".into());
            };
            let k = k + 1;
            if !seen.insert(r.finding_id) {
                return refuse(format!("指令书第{k}项问题隐患的复查结果重复"));
            }
            let note = TextRule::block("复查情况", "results", NOTE_MAX_CHARS)
                .optional()
                .clean(&r.note)
                .map_err(|e| {
                    Refusal::invalid(format!("指令书第{k}项问题隐患的{}", e.message()))
                        .on("results")
                })?;
            if r.result == ReInspectionResult::NotCorrected && note.is_empty() {
                return refuse(format!("指令书第{k}项问题隐患未整改，请写明复查情况"));
            }
        }
        if let Some(k) = order_findings.iter().position(|f| !seen.contains(f)) {
            return refuse(format!("指令书第{}项问题隐患未给出复查结果", k + 1));
        }
        Ok(())
    }

    /// The findings found corrected, in the order given: the caller closes them.
    pub fn corrected(&self) -> Vec<i64> {
        self.with(ReInspectionResult::Corrected)
    }

    fn with(&self, result: ReInspectionResult) -> Vec<i64> {
        self.results
            .iter()
            .filter(|r| r.result == result)
            .map(|r| r.finding_id)
            .collect()
    }

    /// The order's overall result: corrected only when every finding is.
    pub fn result(&self) -> ReInspectionResult {
        if self.needs_referral() {
            ReInspectionResult::NotCorrected
        } else {
            ReInspectionResult::Corrected
        }
    }

    /// Whether anything was found not corrected, so the matter goes for a case.
    pub fn needs_referral(&self) -> bool {
        self.results
            .iter()
            .any(|r| r.result == ReInspectionResult::NotCorrected)
    }

    /// What the re-inspection means for its order.
    pub fn outcome(&self) -> Outcome {
        if self.needs_referral() {
            Outcome::Referral {
                not_corrected: self.with(ReInspectionResult::NotCorrected),
            }
        } else {
            Outcome::Closed
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enforcement::officers::tests::{d, team};

    fn res(finding_id: i64, result: ReInspectionResult, note: &str) -> FindingResult {
        FindingResult {
            finding_id,
            result,
            note: note.into(),
        }
    }

    const ORDER: [i64; 2] = [41, 42];

    fn input() -> ReInspectionInput {
        ReInspectionInput {
            date: d("2024-10-25"),
            officers: team(),
            results: vec![
                res(41, ReInspectionResult::Corrected, ""),
                res(42, ReInspectionResult::Corrected, "已建立责任制并公示"),
            ],
        }
    }

    fn check(i: &ReInspectionInput) -> Result<(), Refusal> {
        i.check(d("2024-09-27"), &ORDER, d("2024-10-25"))
    }

    fn refusal(i: &ReInspectionInput) -> (String, Option<&'static str>) {
        let r = check(i).unwrap_err();
        (r.message().to_string(), r.field())
    }

    #[test]
    fn codes_and_labels() {
        let c: Vec<_> = ReInspectionResult::ALL
            .iter()
            .map(|r| (r.code(), r.label()))
            .collect();
        assert_eq!(
            c,
            vec![("corrected", "已整改"), ("not_corrected", "未整改")]
        );
    }

    #[test]
    fn dates() {
        assert!(check(&input()).is_ok());
        let mut i = input();
        i.date = d("2024-09-26");
        assert_eq!(
            refusal(&i),
            ("复查日期不能早于指令书下达日期".into(), Some("date"))
        );
        // The day of issue itself is allowed (corrected at once).
        i.date = d("2024-09-27");
        assert!(check(&i).is_ok());
        i.date = d("2024-10-26");
        assert_eq!(refusal(&i), ("复查日期不能晚于今天".into(), Some("date")));
    }

    #[test]
    fn two_officers_on_the_day() {
        let mut i = input();
        i.officers.pop();
        assert_eq!(
            refusal(&i),
            ("执法人员不少于两名，现列出1名".into(), Some("officers"))
        );
    }

    #[test]
    fn every_finding_exactly_once() {
        let mut i = input();
        i.results.pop();
        assert_eq!(
            refusal(&i),
            ("指令书第2项问题隐患未给出复查结果".into(), Some("results"))
        );
        let mut i = input();
        i.results.push(res(41, ReInspectionResult::Corrected, ""));
        assert_eq!(
            refusal(&i),
            ("指令书第1项问题隐患的复查结果重复".into(), Some("results"))
        );
        let mut i = input();
        i.results.push(res(99, ReInspectionResult::Corrected, ""));
        assert_eq!(
            refusal(&i),
            (
                "复查结果中有不属于该指令书的问题隐患".into(),
                Some("results")
            )
        );
    }

    #[test]
    fn not_corrected_needs_a_note() {
        let mut i = input();
        i.results[1] = res(42, ReInspectionResult::NotCorrected, "  ");
        assert_eq!(
            refusal(&i),
            (
                "指令书第2项问题隐患未整改，请写明复查情况".into(),
                Some("results")
            )
        );
        i.results[1].note = "况".repeat(2001);
        assert_eq!(
            refusal(&i),
            (
                "指令书第2项问题隐患的复查情况不能超过2000个字".into(),
                Some("results")
            )
        );
        i.results[1].note = "况".repeat(2000);
        assert!(check(&i).is_ok());
        i.results[0].note = "a\u{0}".into();
        assert_eq!(
            refusal(&i).0,
            "指令书第1项问题隐患的复查情况含有不可见的控制字符，请删除后重试"
        );
    }

    #[test]
    fn outcomes() {
        let all = input();
        assert!(!all.needs_referral());
        assert_eq!(all.outcome(), Outcome::Closed);
        assert_eq!(all.result(), ReInspectionResult::Corrected);
        assert_eq!(all.corrected(), vec![41, 42]);
        let mut some = input();
        some.results[0] = res(41, ReInspectionResult::NotCorrected, "仍未组织培训");
        assert!(some.needs_referral());
        assert_eq!(
            some.outcome(),
            Outcome::Referral {
                not_corrected: vec![41]
            }
        );
        assert_eq!(some.result(), ReInspectionResult::NotCorrected);
        assert_eq!(some.corrected(), vec![42]);
    }
}
