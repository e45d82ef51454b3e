//! The fields of the findings ledger (隐患台账): where a finding came from, what kind it is, how
//! grave, and the "five implementations" (五落实) of its rectification plan (plan item 21, §四).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::lifecycle::Refusal;
use crate::coded::coded;
use crate::text::has_control_chars;

coded!(
    /// Where a finding came from.
    Source {
        /// The enterprise's own self-inspection (自查).
        SelfInspection = ("self_inspection", "自查"),
        /// An enforcement inspection by a unit (执法检查).
        Enforcement = ("enforcement", "执法检查"),
        /// An acceptance inspection (检查验收).
        Acceptance = ("acceptance", "验收"),
        /// Routine supervision (日常检查).
        Routine = ("routine", "日常"),
    }
);

coded!(
    /// What kind of finding.
    Category {
        /// A duty-performance problem of the safety management personnel (履职问题).
        Problem = ("problem", "履职问题"),
        /// An accident hazard (事故隐患).
        Hazard = ("hazard", "事故隐患"),
    }
);

coded!(
    /// How grave: a major accident hazard (重大事故隐患) needs the five implementations and is
    /// verified by an officer.
    Grade {
        /// General (一般).
        General = ("general", "一般"),
        /// Major (重大).
        Major = ("major", "重大"),
    }
);

/// Longest description, in characters.
pub const DESCRIPTION_MAX_CHARS: usize = 1000;
/// Longest short field (location, responsible person), in characters.
pub const SHORT_MAX_CHARS: usize = 200;
/// Longest long field (measures, contingency plan, temporary measures), in characters.
pub const LONG_MAX_CHARS: usize = 2000;

/// `s` trimmed when it is at most `max` characters without control characters, else `None`.
pub fn clean_text(s: &str, max: usize) -> Option<String> {
    let s = s.trim();
    (s.chars().count() <= max && !has_control_chars(s)).then(|| s.to_string())
}

/// The "five implementations" (五落实) of a rectification plan: responsible person, measures,
/// funds, time limit and contingency plan (plan item 21; 《安全生产事故隐患排查治理暂行规定》
/// art. 15 for major hazards). Empty text and `None` mean "not given".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiveImplementations {
    /// 整改责任人.
    pub responsible: String,
    /// 整改措施.
    pub measures: String,
    /// 整改资金, in fen (1/100 yuan), never negative.
    pub funds_fen: Option<i64>,
    /// 整改时限: the day the plan means to finish by.
    pub time_limit: Option<NaiveDate>,
    /// 应急预案: what is done if the hazard turns into an accident meanwhile.
    pub contingency_plan: String,
}

impl FiveImplementations {
    /// Labels of the implementations not given, in the customary order.
    pub fn missing(&self) -> Vec<&'static str> {
        [
            ("整改责任人", self.responsible.trim().is_empty()),
            ("整改措施", self.measures.trim().is_empty()),
            ("整改资金", self.funds_fen.is_none()),
            ("整改时限", self.time_limit.is_none()),
            ("应急预案", self.contingency_plan.trim().is_empty()),
        ]
        .into_iter()
        .filter_map(|(label, missing)| missing.then_some(label))
        .collect()
    }

    fn texts(&self) -> [(&'static str, &str, usize); 3] {
        [
            ("整改责任人", &self.responsible, SHORT_MAX_CHARS),
            ("整改措施", &self.measures, LONG_MAX_CHARS),
            ("应急预案", &self.contingency_plan, LONG_MAX_CHARS),
        ]
    }

    /// Checks the texts given are of allowed length without control characters, and funds are not
    /// negative.
    ///
    /// # Errors
    /// [`Refusal::TextInvalid`] naming the field.
    pub fn check_text(&self) -> Result<(), Refusal> {
        for (label, v, max) in self.texts() {
            if clean_text(v, max).is_none() {
                return Err(Refusal::TextInvalid(label));
            }
        }
        if self.funds_fen.is_some_and(|f| f < 0) {
            return Err(Refusal::TextInvalid("整改资金"));
        }
        Ok(())
    }

    /// The plan with its texts trimmed.
    pub fn trimmed(&self) -> FiveImplementations {
        FiveImplementations {
            responsible: self.responsible.trim().into(),
            measures: self.measures.trim().into(),
            contingency_plan: self.contingency_plan.trim().into(),
            ..self.clone()
        }
    }
}

/// The ledger fields of a finding that people edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Details {
    /// Duty problem or accident hazard.
    pub category: Category,
    /// General or major.
    pub grade: Grade,
    /// Where on site (部位), may be empty.
    pub location: String,
    /// What is wrong (required).
    pub description: String,
    /// The linked check item, if any.
    pub item_number: Option<u32>,
}

impl Details {
    /// The details with texts trimmed, checked.
    ///
    /// # Errors
    /// [`Refusal::TextRequired`] for a missing description, [`Refusal::TextInvalid`] for a text
    /// too long or with control characters.
    pub fn clean(&self) -> Result<Details, Refusal> {
        let description = clean_text(&self.description, DESCRIPTION_MAX_CHARS)
            .ok_or(Refusal::TextInvalid("问题隐患描述"))?;
        if description.is_empty() {
            return Err(Refusal::TextRequired("问题隐患描述"));
        }
        let location =
            clean_text(&self.location, SHORT_MAX_CHARS).ok_or(Refusal::TextInvalid("部位"))?;
        Ok(Details {
            location,
            description,
            ..self.clone()
        })
    }
}

/// Parses an amount of yuan as people type it (`12000`, `12,000.5`, `１２０００元`) into fen.
/// `None` for anything else, a negative amount or more than two decimals.
pub fn parse_yuan(s: &str) -> Option<i64> {
    let s: String = crate::text::fold_width(s)
        .trim_end_matches('元')
        .chars()
        .filter(|c| *c != ',')
        .collect();
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 2
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    whole.checked_mul(100)?.checked_add(frac)
}

/// Fen shown as yuan with two decimals (`1200050` → `12000.50`).
pub fn format_yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_need_a_description() {
        let d = Details {
            category: Category::Hazard,
            grade: Grade::Major,
            location: " 2号罐区 ".into(),
            description: " 液氨储罐区可燃气体报警仪失效 ".into(),
            item_number: None,
        };
        let c = d.clean().unwrap();
        assert_eq!(
            (c.location.as_str(), c.description.as_str()),
            ("2号罐区", "液氨储罐区可燃气体报警仪失效")
        );
        let blank = Details {
            description: "  ".into(),
            ..d.clone()
        };
        assert_eq!(blank.clean(), Err(Refusal::TextRequired("问题隐患描述")));
        let long = Details {
            location: "x".repeat(201),
            ..d
        };
        assert_eq!(long.clean(), Err(Refusal::TextInvalid("部位")));
    }

    #[test]
    fn codes_round_trip() {
        for s in Source::ALL {
            assert_eq!(Source::from_code(s.code()), Some(*s));
        }
        assert_eq!(Grade::from_code("major").map(Grade::label), Some("重大"));
        assert_eq!(
            Category::from_code("hazard").map(Category::label),
            Some("事故隐患")
        );
        assert_eq!(Source::from_code("x"), None);
    }

    #[test]
    fn yuan_as_people_type_it() {
        assert_eq!(parse_yuan("12000"), Some(1_200_000));
        assert_eq!(parse_yuan("12,000.5元"), Some(1_200_050));
        assert_eq!(parse_yuan("１２０００"), Some(1_200_000));
        assert_eq!(parse_yuan("0"), Some(0));
        assert_eq!(parse_yuan("-5"), None);
        assert_eq!(parse_yuan("1.234"), None);
        assert_eq!(parse_yuan(""), None);
        assert_eq!(parse_yuan("abc"), None);
        assert_eq!(format_yuan(1_200_050), "12000.50");
    }

    #[test]
    fn missing_implementations_named_in_order() {
        let mut p = FiveImplementations {
            responsible: "张三".into(),
            ..Default::default()
        };
        assert_eq!(
            p.missing(),
            ["整改措施", "整改资金", "整改时限", "应急预案"]
        );
        p.measures = "更换阀门".into();
        p.funds_fen = Some(0);
        p.time_limit = Some(NaiveDate::from_ymd_opt(2024, 7, 1).unwrap());
        p.contingency_plan = "现场处置方案".into();
        assert!(p.missing().is_empty());
    }
}
