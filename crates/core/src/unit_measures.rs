//! The measures every supervising unit must carry out and show (the plan's “八个一”: 动员部署会,
//! 专题培训, 自查自纠, 履职承诺, 专项执法检查, 曝光一批, 检查验收, 制度性成果; issue #14 point 1). The
//! measures are the campaign template's ([`crate::template::Measure`]): a plan may name others.
//! Each town and department records, per measure, the day, what was done and its evidence files;
//! the committee office may return an entry with a reason, and the unit records it again.
//!
//! Four measures the product already knows from its records ([`MeasureSource`], recognised by
//! the words of the measure's name, [`source_of`]); their figures are shown beside the entry,
//! with the source named, and count as done when they show the work happened.

use chrono::NaiveDate;

use crate::coded::coded;
use crate::enforcement::TextRule;
use crate::refusal::Refusal;
use crate::text::is_implausibly_early;

coded!(
    /// A record of the product that shows a measure was carried out.
    #[serde(rename_all = "snake_case")]
    MeasureSource {
        /// Self-inspections submitted by the unit's enterprises (自查自纠), of those enrolled.
        SelfInspection = ("self_inspection", "企业自查自纠提交情况"),
        /// Safety managers who signed their duty commitment (履职承诺), of those registered.
        Commitments = ("commitments", "履职承诺签订情况"),
        /// The unit's inspections in the campaign (专项执法检查).
        Inspections = ("inspections", "专项执法检查次数"),
        /// Exposures of the unit's cases published (曝光一批).
        Exposures = ("exposures", "已发布的典型案例曝光"),
    }
);

/// Which record shows the measure named `name`, by the words the plans use: 自查自纠, 承诺,
/// 执法检查 (but not 检查验收), 曝光.
pub fn source_of(name: &str) -> Option<MeasureSource> {
    if name.contains("自查自纠") {
        Some(MeasureSource::SelfInspection)
    } else if name.contains("承诺") {
        Some(MeasureSource::Commitments)
    } else if name.contains("执法检查") && !name.contains("验收") {
        Some(MeasureSource::Inspections)
    } else if name.contains("曝光") {
        Some(MeasureSource::Exposures)
    } else {
        None
    }
}

/// A figure from the records: `done` of `of` (a rate), or a count when `of` is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Figure {
    /// The source.
    pub source: MeasureSource,
    /// Done (submitted, signed, inspections, exposures).
    pub done: i64,
    /// Out of (enrolled, registered) for a rate.
    pub of: Option<i64>,
}

impl Figure {
    /// Whether the records show the measure was carried out: something done.
    pub fn shows_work(&self) -> bool {
        self.done > 0
    }
}

impl std::fmt::Display for Figure {
    /// `12/40（30%）` or `3`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.of {
            Some(of) if of > 0 => write!(f, "{}/{}（{}%）", self.done, of, self.done * 100 / of),
            Some(of) => write!(f, "{}/{of}", self.done),
            None => write!(f, "{}", self.done),
        }
    }
}

coded!(
    /// Where a unit's entry of a measure stands.
    #[serde(rename_all = "snake_case")]
    EntryStatus {
        /// Recorded by the unit.
        Recorded = ("recorded", "已填报"),
        /// Returned by the committee office with a reason: to be recorded again.
        Returned = ("returned", "已退回"),
    }
);

const DESCRIPTION: TextRule = TextRule::block("措施落实情况", "description", 2000);
const REASON: TextRule = TextRule::block("退回理由", "reason", 500);

/// What a unit records of a measure, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureEntry {
    /// The day it was held or done.
    pub held_on: NaiveDate,
    /// What was done (trimmed, at most 2 000 characters).
    pub description: String,
}

impl MeasureEntry {
    /// Checks an entry typed on `today` for a campaign of `year`.
    ///
    /// # Errors
    /// Invalid on `held_on` (after today, before the campaign's year, before 1950) or
    /// `description` (blank, too long, control characters).
    pub fn check(
        held_on: NaiveDate,
        description: &str,
        today: NaiveDate,
        year: i32,
    ) -> Result<MeasureEntry, Refusal> {
        if held_on > today {
            return Err(Refusal::invalid("落实日期不能晚于今天").on("held_on"));
        }
        if is_implausibly_early(held_on) || chrono::Datelike::year(&held_on) < year {
            return Err(
                Refusal::invalid(format!("落实日期{held_on}早于{year}年专项治理，请核对"))
                    .on("held_on"),
            );
        }
        Ok(MeasureEntry {
            held_on,
            description: DESCRIPTION.clean(description)?,
        })
    }
}

/// Checks the reason of a return.
///
/// # Errors
/// Invalid on `reason` when blank or over 500 characters.
pub fn return_reason(reason: &str) -> Result<String, Refusal> {
    REASON.clean(reason)
}

/// Whether a unit's measure is done: an entry recorded (not returned), or records that show the
/// work.
pub fn is_done(entry: Option<EntryStatus>, figure: Option<&Figure>) -> bool {
    entry == Some(EntryStatus::Recorded) || figure.is_some_and(Figure::shows_work)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_qingxiu_measures_map_to_their_records() {
        let names = [
            "召开一次动员部署会",
            "举办一次专题培训",
            "开展一次自查自纠",
            "签订一份履职承诺",
            "落实一次专项执法检查",
            "曝光一批违法违规企业",
            "组织一次检查验收",
            "形成一批制度性成果",
        ];
        let sources: Vec<_> = names.iter().map(|n| source_of(n)).collect();
        assert_eq!(
            sources,
            [
                None,
                None,
                Some(MeasureSource::SelfInspection),
                Some(MeasureSource::Commitments),
                Some(MeasureSource::Inspections),
                Some(MeasureSource::Exposures),
                None,
                None
            ]
        );
    }

    #[test]
    fn an_entry_is_dated_within_the_campaign_and_not_ahead() {
        let today = d("2024-12-10");
        let e = MeasureEntry::check(d("2024-03-15"), " 召开动员部署会，参会42人 ", today, 2024)
            .unwrap();
        assert_eq!(e.description, "召开动员部署会，参会42人");
        let r = MeasureEntry::check(d("2024-12-11"), "x", today, 2024).unwrap_err();
        assert_eq!(
            (r.field(), r.message()),
            (Some("held_on"), "落实日期不能晚于今天")
        );
        let r = MeasureEntry::check(d("2023-12-31"), "x", today, 2024).unwrap_err();
        assert_eq!(r.message(), "落实日期2023-12-31早于2024年专项治理，请核对");
        let r = MeasureEntry::check(d("2024-03-15"), "  ", today, 2024).unwrap_err();
        assert_eq!(r.field(), Some("description"));
    }

    #[test]
    fn a_measure_is_done_by_its_entry_or_by_the_records() {
        let none = Figure {
            source: MeasureSource::Inspections,
            done: 0,
            of: None,
        };
        let some = Figure { done: 3, ..none };
        assert!(!is_done(None, Some(&none)));
        assert!(is_done(None, Some(&some)));
        assert!(!is_done(Some(EntryStatus::Returned), None));
        assert!(is_done(Some(EntryStatus::Recorded), None));
        let rate = Figure {
            source: MeasureSource::SelfInspection,
            done: 12,
            of: Some(40),
        };
        assert_eq!(rate.to_string(), "12/40（30%）");
        assert_eq!(some.to_string(), "3");
    }
}
