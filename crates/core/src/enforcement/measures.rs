//! On-site measures (现场处理措施决定书): when a hazard endangers people, officers stop the use of
//! equipment, suspend work or evacuate workers from the danger area, for a limited period; the
//! measure ends early only after the regulator reviews the correction.
//!
//! The longest period (6 months under the 2015 办法 unless a law says otherwise, research notes
//! §2) and the review window (10 days after a written application, 隐患排查治理暂行规定 — not
//! verified) are rule data with an effective date: they are parameters here.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{TextRule, check_record_date};
use crate::coded::coded;
use crate::refusal::Refusal;

/// Longest reason or description, in characters.
pub const TEXT_MAX_CHARS: usize = 2000;

const REASON: TextRule = TextRule::block("采取措施的理由", "reason", TEXT_MAX_CHARS);
const DESCRIPTION: TextRule = TextRule::block("措施内容", "description", TEXT_MAX_CHARS);
const LIFT_NOTE: TextRule = TextRule::block("审查意见", "note", TEXT_MAX_CHARS);

coded!(
    /// Which on-site measure.
    #[serde(rename_all = "snake_case")]
    MeasureKind {
        /// Stop using the equipment concerned (停止使用相关设施设备).
        StopUsingEquipment = ("stop_using_equipment", "停止使用相关设施设备"),
        /// Suspend production or business for a time (暂时停产停业).
        SuspendWork = ("suspend_work", "暂时停产停业"),
        /// Withdraw workers from the danger area (从危险区域撤出作业人员).
        Evacuate = ("evacuate", "从危险区域撤出作业人员"),
    }
);

/// An on-site measure decision as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnSiteMeasure {
    /// Which measure.
    pub kind: MeasureKind,
    /// First day in force.
    pub start: NaiveDate,
    /// Last day in force unless lifted earlier.
    pub until: NaiveDate,
    /// Why (the hazard found), 1–2000 characters.
    pub reason: String,
    /// What exactly (which equipment, which area), 1–2000 characters.
    pub description: String,
}

impl OnSiteMeasure {
    /// The latest `until` allowed: `max_months` calendar months after `start` (the month's last
    /// day when it has no such day: 2024-08-31 + 6 months = 2025-02-28); `None` past the end of
    /// the calendar.
    pub fn latest_until(start: NaiveDate, max_months: u32) -> Option<NaiveDate> {
        start.checked_add_months(Months::new(max_months))
    }

    /// Checks the decision with `max_months`, the longest period of the rule in force, and
    /// answers it with its texts trimmed.
    ///
    /// # Errors
    /// Invalid, field `until`: not after the start (“措施期限须晚于起始日期”), beyond
    /// `max_months` (“措施期限不能超过起始日期后{max_months}个月（最迟至{latest}）”); field
    /// `reason`: blank (“请填写采取措施的理由”), over 2000 characters, control characters; field
    /// `description` likewise (“请填写措施内容”).
    pub fn check(&self, max_months: u32) -> Result<OnSiteMeasure, Refusal> {
        if self.until <= self.start {
            return Err(Refusal::invalid("措施期限须晚于起始日期").on("until"));
        }
        let latest = OnSiteMeasure::latest_until(self.start, max_months);
        if latest.is_none_or(|latest| self.until > latest) {
            let latest = latest.map_or_else(|| "-".to_string(), |l| l.to_string());
            return Err(Refusal::invalid(format!(
                "措施期限不能超过起始日期后{max_months}个月（最迟至{latest}）"
            ))
            .on("until"));
        }
        Ok(OnSiteMeasure {
            reason: REASON.clean(&self.reason)?,
            description: DESCRIPTION.clean(&self.description)?,
            ..self.clone()
        })
    }

    /// Whether the measure is in force on `on`: from its start to its last day, unless lifted
    /// on or before `on` (a measure lifted on a day is no longer in force that day).
    pub fn is_in_force(&self, on: NaiveDate, lifted_on: Option<NaiveDate>) -> bool {
        self.start <= on && on <= self.until && lifted_on.is_none_or(|l| on < l)
    }
}

coded!(
    /// What the review decided.
    #[serde(rename_all = "snake_case")]
    LiftResult {
        /// The measure is lifted: work resumes (解除).
        Lifted = ("lifted", "解除"),
        /// The measure stays in force (继续执行).
        Kept = ("kept", "继续执行"),
    }
);

/// The review of a measure (解除审查) as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiftReview {
    /// Day of the review.
    pub date: NaiveDate,
    /// Lifted or kept.
    pub result: LiftResult,
    /// The review's opinion; required when kept, up to 2000 characters.
    #[serde(default)]
    pub note: String,
}

impl LiftReview {
    /// Checks the review of a measure that started on `measure_start`, on `today`, and answers
    /// it with its note trimmed.
    ///
    /// # Errors
    /// Invalid, field `date`: before the measure's start (“解除审查日期不能早于措施起始日期”), after
    /// today (“审查日期不能晚于今天”); field `note`: kept without a note
    /// (“继续执行措施的，请填写审查意见”), over 2000 characters, control characters.
    pub fn check(&self, measure_start: NaiveDate, today: NaiveDate) -> Result<LiftReview, Refusal> {
        if self.date < measure_start {
            return Err(Refusal::invalid("解除审查日期不能早于措施起始日期").on("date"));
        }
        check_record_date(self.date, today, "审查日期", "date")?;
        let note = LIFT_NOTE.optional().clean(&self.note)?;
        if self.result == LiftResult::Kept && note.is_empty() {
            return Err(Refusal::invalid("继续执行措施的，请填写审查意见").on("note"));
        }
        Ok(LiftReview {
            note,
            ..self.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enforcement::officers::tests::d;

    fn measure(start: &str, until: &str) -> OnSiteMeasure {
        OnSiteMeasure {
            kind: MeasureKind::SuspendWork,
            start: d(start),
            until: d(until),
            reason: " 粉尘涉爆车间除尘系统失效 ".into(),
            description: "涂装车间暂时停产".into(),
        }
    }

    fn refusal<T: std::fmt::Debug>(r: Result<T, Refusal>) -> (String, Option<&'static str>) {
        let r = r.unwrap_err();
        (r.message().to_string(), r.field())
    }

    #[test]
    fn codes_and_labels() {
        let k: Vec<_> = MeasureKind::ALL
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect();
        assert_eq!(
            k,
            vec![
                ("stop_using_equipment", "停止使用相关设施设备"),
                ("suspend_work", "暂时停产停业"),
                ("evacuate", "从危险区域撤出作业人员"),
            ]
        );
        let l: Vec<_> = LiftResult::ALL
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect();
        assert_eq!(l, vec![("lifted", "解除"), ("kept", "继续执行")]);
    }

    #[test]
    fn period_within_the_cap() {
        let m = measure("2024-09-10", "2025-03-10").check(6).unwrap();
        assert_eq!(m.reason, "粉尘涉爆车间除尘系统失效");
        assert!(measure("2024-09-10", "2024-09-11").check(6).is_ok());
        assert_eq!(
            refusal(measure("2024-09-10", "2025-03-11").check(6)),
            (
                "措施期限不能超过起始日期后6个月（最迟至2025-03-10）".into(),
                Some("until")
            )
        );
        assert_eq!(
            refusal(measure("2024-09-10", "2024-09-10").check(6)),
            ("措施期限须晚于起始日期".into(), Some("until"))
        );
        assert_eq!(
            refusal(measure("2024-09-10", "2024-09-09").check(6)),
            ("措施期限须晚于起始日期".into(), Some("until"))
        );
        // The cap is the rule's: three months under another rule.
        assert!(measure("2024-09-10", "2024-12-10").check(3).is_ok());
        assert!(measure("2024-09-10", "2024-12-11").check(3).is_err());
    }

    #[test]
    fn months_end_on_the_last_day_of_a_shorter_month() {
        assert_eq!(
            OnSiteMeasure::latest_until(d("2024-08-31"), 6),
            Some(d("2025-02-28"))
        );
        assert!(measure("2024-08-31", "2025-02-28").check(6).is_ok());
        assert_eq!(
            refusal(measure("2024-08-31", "2025-03-01").check(6)).0,
            "措施期限不能超过起始日期后6个月（最迟至2025-02-28）"
        );
        // Leap year.
        assert_eq!(
            OnSiteMeasure::latest_until(d("2023-08-31"), 6),
            Some(d("2024-02-29"))
        );
    }

    #[test]
    fn reason_and_description() {
        let mut m = measure("2024-09-10", "2024-10-10");
        m.reason = "  ".into();
        assert_eq!(
            refusal(m.check(6)),
            ("请填写采取措施的理由".into(), Some("reason"))
        );
        let mut m = measure("2024-09-10", "2024-10-10");
        m.description = String::new();
        assert_eq!(
            refusal(m.check(6)),
            ("请填写措施内容".into(), Some("description"))
        );
        m.description = "容".repeat(2001);
        assert_eq!(
            refusal(m.check(6)),
            ("措施内容不能超过2000个字".into(), Some("description"))
        );
        m.description = "容".repeat(2000);
        assert!(m.check(6).is_ok());
    }

    #[test]
    fn in_force() {
        let m = measure("2024-09-10", "2024-10-10");
        assert!(!m.is_in_force(d("2024-09-09"), None));
        assert!(m.is_in_force(d("2024-09-10"), None));
        assert!(m.is_in_force(d("2024-10-10"), None));
        assert!(!m.is_in_force(d("2024-10-11"), None));
        assert!(m.is_in_force(d("2024-09-19"), Some(d("2024-09-20"))));
        assert!(!m.is_in_force(d("2024-09-20"), Some(d("2024-09-20"))));
    }

    fn review(date: &str, result: LiftResult, note: &str) -> LiftReview {
        LiftReview {
            date: d(date),
            result,
            note: note.into(),
        }
    }

    #[test]
    fn lift_reviews() {
        let start = d("2024-09-10");
        let today = d("2024-10-01");
        let ok = review("2024-09-20", LiftResult::Lifted, " 除尘系统已修复 ")
            .check(start, today)
            .unwrap();
        assert_eq!(ok.note, "除尘系统已修复");
        assert!(
            review("2024-09-10", LiftResult::Lifted, "")
                .check(start, today)
                .is_ok()
        );
        assert_eq!(
            refusal(review("2024-09-09", LiftResult::Lifted, "").check(start, today)),
            ("解除审查日期不能早于措施起始日期".into(), Some("date"))
        );
        assert_eq!(
            refusal(review("2024-10-02", LiftResult::Lifted, "").check(start, today)),
            ("审查日期不能晚于今天".into(), Some("date"))
        );
        assert!(
            review("2024-10-01", LiftResult::Lifted, "")
                .check(start, today)
                .is_ok()
        );
        assert_eq!(
            refusal(review("2024-09-20", LiftResult::Kept, " ").check(start, today)),
            ("继续执行措施的，请填写审查意见".into(), Some("note"))
        );
        assert!(
            review("2024-09-20", LiftResult::Kept, "除尘管道仍有积尘")
                .check(start, today)
                .is_ok()
        );
    }
}
