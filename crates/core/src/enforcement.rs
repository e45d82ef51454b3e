//! Strict enforcement (严格执法, issue #12; plan §四 第三、四阶段): planning inspections with a
//! verifiable random draw ([`draw`]) built from a unit's plan ([`plan`]), what a unit may do ([`powers`]), who inspects and who only
//! accompanies ([`officers`]), the on-site inspection record ([`inspection`]), the correction
//! order with its time limit and extensions ([`order`]), the re-inspection that closes the order
//! or refers it for a case ([`reinspection`]), on-site measures ([`measures`]), document numbers
//! ([`numbering`]), the procedure rules as dated data ([`rules`]), the violation library
//! ([`violations`]) and what the public pages say of an inspection's outcome ([`publication`]);
//! penalty cases ([`case`], [`penalty`]), what an exposure of a typical case publishes
//! ([`exposure`]) and the acceptance inspection of the consolidation phase ([`acceptance`]).
//!
//! Time limits that change by rule and province (the re-inspection window, the cap of on-site
//! measures, the yearly cap of inspections) come from [`rules`] as data with an effective date;
//! the checks here take the value in force on the step's own date as a parameter (DESIGN.md §3).
//! Every check answers with a [`Refusal`] whose message is Chinese and whose field names the form
//! field.

pub mod acceptance;
pub mod case;
pub mod dishonesty;
pub mod draw;
pub mod exposure;
pub mod inspection;
pub mod measures;
pub mod numbering;
pub mod officers;
pub mod order;
pub mod penalty;
pub mod plan;
pub mod powers;
pub mod publication;
pub mod reinspection;
pub mod rules;
pub mod violations;

use chrono::NaiveDate;

use crate::refusal::Refusal;
use crate::text::{has_control_chars, is_implausibly_early};

/// How one typed text is checked: trimmed; required or not; at most `max` characters; no
/// control characters, and for a one-line text no line breaks or tabs either.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextRule {
    /// What the field is called in messages (Chinese).
    pub label: &'static str,
    /// The form field.
    pub field: &'static str,
    /// Most characters allowed.
    pub max: usize,
    /// Whether it must not be blank.
    pub required: bool,
    /// Whether line breaks and tabs are refused.
    pub one_line: bool,
}

impl TextRule {
    /// A required one-line text of at most `max` characters.
    pub(crate) const fn line(label: &'static str, field: &'static str, max: usize) -> TextRule {
        TextRule {
            label,
            field,
            max,
            required: true,
            one_line: true,
        }
    }

    /// A required text of at most `max` characters that may span lines.
    pub(crate) const fn block(label: &'static str, field: &'static str, max: usize) -> TextRule {
        TextRule {
            label,
            field,
            max,
            required: true,
            one_line: false,
        }
    }

    /// The same rule, allowing a blank text.
    pub(crate) const fn optional(self) -> TextRule {
        TextRule {
            required: false,
            ..self
        }
    }

    /// `s` trimmed when it follows the rule.
    pub(crate) fn clean(&self, s: &str) -> Result<String, Refusal> {
        let s = s.trim();
        let label = self.label;
        let refuse = |message: String| Err(Refusal::invalid(message).on(self.field));
        if self.required && s.is_empty() {
            return refuse(format!("请填写{label}"));
        }
        if self.one_line && s.contains(['\n', '\r', '\t']) {
            return refuse(format!("{label}只能填写一行，不能换行"));
        }
        if has_control_chars(s) {
            return refuse(format!("{label}含有不可见的控制字符，请删除后重试"));
        }
        if s.chars().count() > self.max {
            return refuse(format!("{label}不能超过{}个字", self.max));
        }
        Ok(s.to_string())
    }
}

/// Refuses a date of a record (an inspection, a re-inspection) that is after `today` or before
/// 1950-01-01 (a typing slip, [`is_implausibly_early`]).
pub(crate) fn check_record_date(
    date: NaiveDate,
    today: NaiveDate,
    label: &str,
    field: &'static str,
) -> Result<(), Refusal> {
    if date > today {
        return Err(Refusal::invalid(format!("{label}不能晚于今天")).on(field));
    }
    if is_implausibly_early(date) {
        return Err(Refusal::invalid(format!("{label}{date}早于1950-01-01，请核对")).on(field));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn text_rules() {
        let rule = TextRule::line("检查场所", "place", 4);
        assert_eq!(rule.clean("  车间  ").unwrap(), "车间");
        assert_eq!(rule.clean("一二三四").unwrap(), "一二三四");
        let r = rule.clean("一二三四五").unwrap_err();
        assert_eq!(
            (r.message(), r.field()),
            ("检查场所不能超过4个字", Some("place"))
        );
        assert_eq!(rule.clean("  ").unwrap_err().message(), "请填写检查场所");
        assert_eq!(
            rule.clean("车\n间").unwrap_err().message(),
            "检查场所只能填写一行，不能换行"
        );
        assert_eq!(
            rule.clean("车\u{0}间").unwrap_err().message(),
            "检查场所含有不可见的控制字符，请删除后重试"
        );
        assert_eq!(rule.optional().clean(" ").unwrap(), "");
        let block = TextRule::block("说明", "note", 10);
        assert_eq!(block.clean("第一行\n第二行").unwrap(), "第一行\n第二行");
        assert!(block.clean("\u{1b}[31m").is_err());
    }

    #[test]
    fn record_dates() {
        let today = d("2024-09-10");
        assert!(check_record_date(today, today, "检查日期", "date").is_ok());
        let r = check_record_date(d("2024-09-11"), today, "检查日期", "date").unwrap_err();
        assert_eq!(
            (r.message(), r.field()),
            ("检查日期不能晚于今天", Some("date"))
        );
        let r = check_record_date(d("0024-09-10"), today, "检查日期", "date").unwrap_err();
        assert_eq!(r.message(), "检查日期0024-09-10早于1950-01-01，请核对");
        assert!(check_record_date(d("1950-01-01"), today, "检查日期", "date").is_ok());
    }
}
