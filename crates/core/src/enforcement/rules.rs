//! Procedure rules that change by law and date (time limits, counts), as data with their source.
//!
//! The shipped data is `crates/core/data/enforcement-rules.toml` (its header documents the format);
//! the committee office may edit a copy. Every value carries its [`Provenance`]: the source (law
//! or rule and article, as in `shared/domain/enforcement.md` §2), the period it applies and
//! whether it was verified against an official text, so that pages and a case's closing note can
//! say which rule they applied. [`Rules::at`] answers the values in force on a day; a step applies
//! the rule in force on its own date (DESIGN.md §3). The penalty procedure rule changed on
//! 2026-02-01 (总局令第77号 → 应急管理部令第18号).
//!
//! [`Rules::case_at`] answers the values of a penalty case (issue 13) in force on a day; the
//! case steps in [`super::case`] ask it with each step's own date. The hearing thresholds are a
//! per-province setting: a province whose 较大数额 differs ships or edits its copy of the data
//! (parsed with [`Rules::parse`]) with its own rows and source.
//!
//! # Rules taken from sources not verified
//! [`Rules::unverified`] lists them from the data; as shipped, every case rule is unverified
//! (shared/domain/enforcement.md §2 marks them `[2nd]` or `[nv]`), in both periods (to 2026-01-31
//! under the 2015 办法, from 2026-02-01 under 应急管理部令第18号, whose articles were not read and
//! whose period repeats the 2015 values):
//! - `statement_within`: 陈述申辩 3 working days from receipt of the 告知书;
//! - `hearing_request_within`: 听证 request 5 working days (行政处罚法 2021 art. 64);
//! - `service_within`: service of the decision within 7 working days (行政处罚法 art. 61);
//! - counting those 三日/五日/七日 as working days (行政处罚法 2021 art. 85);
//! - `decide_within` / `decide_extended_within` / `decide_further_within`: 30 / 90 / 180 calendar
//!   days from filing (办法 art. 31);
//! - `pay_within`: 15 calendar days; `late_fee_percent_per_day`: 3 % a day, capped at the fine
//!   (the cap is `[nv]`);
//! - `hearing_threshold_person` / `hearing_threshold_unit`: 10 000 / 30 000 yuan (办法 art. 33;
//!   the Guangxi figure was not checked);
//! - `dishonesty_objection_within` / `dishonesty_listing_period` / `dishonesty_repair_after`:
//!   3 working days, 36 months, 12 months (应急管理部令第11号; see [`super::dishonesty`]);
//! - and, before them, the inspection rules already marked so in the data (the 2015 and 2026
//!   procedure rule names, on-site measures, re-inspection, reconsideration, litigation, the
//!   yearly cap, officers under Order 18).

use chrono::{Days, NaiveDate};
use std::fmt;

use crate::calendar::{Calendar, WorkingDayResult};

mod parse;
#[cfg(test)]
mod tests;

pub use parse::RulesError;

const SHIPPED: &str = include_str!("../../data/enforcement-rules.toml");

/// What a rule fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleKey {
    /// The penalty procedure rule in force (text): the 办法 of 2015 or 应急管理部令第18号.
    PenaltyProcedure,
    /// Officers needed for an inspection or investigation (count).
    OfficersPerInspectionMin,
    /// Longest on-site measure (暂时停产停业、停止使用), a time limit.
    OnSiteMeasuresMax,
    /// Re-inspection (复查) after a correction order is due within this time limit, counted
    /// from the order's time limit or from the enterprise's report that it has corrected.
    ReInspectionWithin,
    /// Time to apply for administrative reconsideration (行政复议), for the remedies sentence.
    ReconsiderationWithin,
    /// Time to bring an administrative lawsuit (行政诉讼), for the remedies sentence.
    LitigationWithin,
    /// Inspections of one enterprise by one inspecting department in a calendar year (count).
    InspectionCapPerYear,
    /// Statement and defence (陈述申辩) window, from receipt of the penalty notice (告知书).
    StatementWithin,
    /// Hearing request (申请听证) window, from receipt of the hearing notice (听证告知书).
    HearingRequestWithin,
    /// Service (送达) of the decision when the party is absent at its delivery.
    ServiceWithin,
    /// Decide within this limit of filing (立案).
    DecideWithin,
    /// Longest decision limit with the head's approval (first extension).
    DecideExtendedWithin,
    /// Longest decision limit with the upper level's approval (second extension).
    DecideFurtherWithin,
    /// Pay the fine within this limit of receiving the decision.
    PayWithin,
    /// Late-payment fee (加处罚款), percent of the fine per day, capped at the fine (percent).
    LateFeePercentPerDay,
    /// Hearing threshold for a fine on a person (较大数额罚款), yuan: a fine at or above it offers a hearing.
    HearingThresholdPerson,
    /// Hearing threshold for a fine on a unit, yuan.
    HearingThresholdUnit,
    /// Objection (陈述申辩) window of a party told it is to be put on the dishonesty list
    /// (严重失信主体名单), from receipt of the 告知书.
    DishonestyObjectionWithin,
    /// How long a party stays on the dishonesty list, from its publication.
    DishonestyListingPeriod,
    /// Earliest credit repair (信用修复) of a listing, from its publication.
    DishonestyRepairAfter,
}

/// What kind of value a key takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// Text, unit `text`.
    Text,
    /// A count, unit `count`.
    Count,
    /// A time limit, unit `calendar_days`, `working_days` or `months`.
    TimeLimit,
    /// An amount of money in whole yuan, unit `yuan`.
    Amount,
    /// A percentage, unit `percent`.
    Percent,
}

impl RuleKey {
    /// Every key, in display order.
    pub const ALL: [RuleKey; 20] = [
        RuleKey::PenaltyProcedure,
        RuleKey::OfficersPerInspectionMin,
        RuleKey::OnSiteMeasuresMax,
        RuleKey::ReInspectionWithin,
        RuleKey::ReconsiderationWithin,
        RuleKey::LitigationWithin,
        RuleKey::InspectionCapPerYear,
        RuleKey::StatementWithin,
        RuleKey::HearingRequestWithin,
        RuleKey::ServiceWithin,
        RuleKey::DecideWithin,
        RuleKey::DecideExtendedWithin,
        RuleKey::DecideFurtherWithin,
        RuleKey::PayWithin,
        RuleKey::LateFeePercentPerDay,
        RuleKey::HearingThresholdPerson,
        RuleKey::HearingThresholdUnit,
        RuleKey::DishonestyObjectionWithin,
        RuleKey::DishonestyListingPeriod,
        RuleKey::DishonestyRepairAfter,
    ];

    /// Stable code used in the data.
    pub fn code(self) -> &'static str {
        match self {
            RuleKey::PenaltyProcedure => "penalty_procedure",
            RuleKey::OfficersPerInspectionMin => "officers_per_inspection_min",
            RuleKey::OnSiteMeasuresMax => "on_site_measures_max",
            RuleKey::ReInspectionWithin => "re_inspection_within",
            RuleKey::ReconsiderationWithin => "reconsideration_within",
            RuleKey::LitigationWithin => "litigation_within",
            RuleKey::InspectionCapPerYear => "inspection_cap_per_year",
            RuleKey::StatementWithin => "statement_within",
            RuleKey::HearingRequestWithin => "hearing_request_within",
            RuleKey::ServiceWithin => "service_within",
            RuleKey::DecideWithin => "decide_within",
            RuleKey::DecideExtendedWithin => "decide_extended_within",
            RuleKey::DecideFurtherWithin => "decide_further_within",
            RuleKey::PayWithin => "pay_within",
            RuleKey::LateFeePercentPerDay => "late_fee_percent_per_day",
            RuleKey::HearingThresholdPerson => "hearing_threshold_person",
            RuleKey::HearingThresholdUnit => "hearing_threshold_unit",
            RuleKey::DishonestyObjectionWithin => "dishonesty_objection_within",
            RuleKey::DishonestyListingPeriod => "dishonesty_listing_period",
            RuleKey::DishonestyRepairAfter => "dishonesty_repair_after",
        }
    }

    /// Parses a [`RuleKey::code`].
    pub fn from_code(code: &str) -> Option<RuleKey> {
        RuleKey::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            RuleKey::PenaltyProcedure => "适用的行政处罚程序规章",
            RuleKey::OfficersPerInspectionMin => "执法检查的执法人员最少人数",
            RuleKey::OnSiteMeasuresMax => "现场处理措施（暂时停产停业、停止使用）最长期限",
            RuleKey::ReInspectionWithin => "整改复查期限",
            RuleKey::ReconsiderationWithin => "申请行政复议期限",
            RuleKey::LitigationWithin => "提起行政诉讼期限",
            RuleKey::InspectionCapPerYear => "同一部门对同一企业年度检查次数上限",
            RuleKey::StatementWithin => "陈述申辩期限",
            RuleKey::HearingRequestWithin => "申请听证期限",
            RuleKey::ServiceWithin => "处罚决定送达期限",
            RuleKey::DecideWithin => "作出处罚决定期限",
            RuleKey::DecideExtendedWithin => "经负责人批准延长的决定期限",
            RuleKey::DecideFurtherWithin => "经上一级批准延长的决定期限",
            RuleKey::PayWithin => "缴纳罚款期限",
            RuleKey::LateFeePercentPerDay => "逾期缴纳每日加处罚款比例",
            RuleKey::HearingThresholdPerson => "对个人较大数额罚款（听证）标准",
            RuleKey::HearingThresholdUnit => "对单位较大数额罚款（听证）标准",
            RuleKey::DishonestyObjectionWithin => "列入严重失信主体名单前陈述申辩期限",
            RuleKey::DishonestyListingPeriod => "严重失信主体名单公示期限",
            RuleKey::DishonestyRepairAfter => "申请信用修复（提前移出）最早时间",
        }
    }

    /// The kind of value it takes.
    pub fn kind(self) -> ValueKind {
        match self {
            RuleKey::PenaltyProcedure => ValueKind::Text,
            RuleKey::OfficersPerInspectionMin | RuleKey::InspectionCapPerYear => ValueKind::Count,
            RuleKey::HearingThresholdPerson | RuleKey::HearingThresholdUnit => ValueKind::Amount,
            RuleKey::LateFeePercentPerDay => ValueKind::Percent,
            _ => ValueKind::TimeLimit,
        }
    }

    /// Whether [`Rules::at`] needs a value on every day it answers (the inspection keys but the
    /// yearly cap, which exists only since 国办发〔2024〕54号). The case keys are required by
    /// [`Rules::case_at`] instead.
    pub fn required(self) -> bool {
        matches!(
            self,
            RuleKey::PenaltyProcedure
                | RuleKey::OfficersPerInspectionMin
                | RuleKey::OnSiteMeasuresMax
                | RuleKey::ReInspectionWithin
                | RuleKey::ReconsiderationWithin
                | RuleKey::LitigationWithin
        )
    }
}

/// A time limit: an amount of calendar days, working days or months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Span {
    /// Calendar days (日).
    CalendarDays(u32),
    /// Working days (工作日), on the working-day calendar.
    WorkingDays(u32),
    /// Months (个月).
    Months(u32),
}

impl Span {
    /// The last day of the limit counted from `from`: the start day itself does not count (a
    /// limit of 10 days from 07-01 ends on 07-11); months end on the same day of the month, or
    /// the month's last day when it has none (01-31 + 1 month = 02-28/29); working days as
    /// [`Calendar::add_working_days`] (provisional outside the loaded years). A last day falling
    /// on a holiday is not moved.
    pub fn last_day(self, from: NaiveDate, calendar: &Calendar) -> WorkingDayResult {
        let exact = |date: Option<NaiveDate>| WorkingDayResult {
            date: date.unwrap_or(NaiveDate::MAX),
            provisional: false,
        };
        match self {
            Span::CalendarDays(n) => exact(from.checked_add_days(Days::new(u64::from(n)))),
            Span::WorkingDays(n) => calendar.add_working_days(from, n),
            Span::Months(n) => exact(from.checked_add_months(chrono::Months::new(n))),
        }
    }
}

impl fmt::Display for Span {
    /// `10日`, `5个工作日`, `6个月`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Span::CalendarDays(n) => write!(f, "{n}日"),
            Span::WorkingDays(n) => write!(f, "{n}个工作日"),
            Span::Months(n) => write!(f, "{n}个月"),
        }
    }
}

/// A rule's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleValue {
    /// A time limit.
    TimeLimit(Span),
    /// A count (persons, inspections).
    Count(u32),
    /// Text (the name of a rule in force).
    Text(String),
    /// Whole yuan.
    Amount(u32),
    /// A percentage.
    Percent(u32),
}

impl RuleValue {
    /// The unit code as written in the data.
    pub fn unit(&self) -> &'static str {
        match self {
            RuleValue::TimeLimit(Span::CalendarDays(_)) => "calendar_days",
            RuleValue::TimeLimit(Span::WorkingDays(_)) => "working_days",
            RuleValue::TimeLimit(Span::Months(_)) => "months",
            RuleValue::Count(_) => "count",
            RuleValue::Text(_) => "text",
            RuleValue::Amount(_) => "yuan",
            RuleValue::Percent(_) => "percent",
        }
    }
}

impl fmt::Display for RuleValue {
    /// As shown to people: `5个工作日`, `2`, the text, `10000元`, `3%`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleValue::TimeLimit(span) => span.fmt(f),
            RuleValue::Count(n) => write!(f, "{n}"),
            RuleValue::Text(t) => f.write_str(t),
            RuleValue::Amount(n) => write!(f, "{n}元"),
            RuleValue::Percent(n) => write!(f, "{n}%"),
        }
    }
}

/// Where a value comes from and when it applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The law or rule and, where known, the article (Chinese).
    pub source: String,
    /// First day the value applies.
    pub effective_from: NaiveDate,
    /// Last day it applies; `None` while in force.
    pub effective_until: Option<NaiveDate>,
    /// Whether the article was read in an official text (false: not verified or secondary).
    pub verified: bool,
    /// What is uncertain and what to check (Chinese), if anything.
    pub note: Option<String>,
}

impl Provenance {
    /// Whether the value applies on `date`.
    pub fn applies_on(&self, date: NaiveDate) -> bool {
        self.effective_from <= date && self.effective_until.is_none_or(|u| date <= u)
    }
}

/// One row of the data: a key's value for one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// What it fixes.
    pub key: RuleKey,
    /// The value.
    pub value: RuleValue,
    /// Source, period, verification.
    pub provenance: Provenance,
}

/// A value in force with its provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ruled<T> {
    /// The value.
    pub value: T,
    /// Where it comes from.
    pub provenance: Provenance,
}

/// The values in force on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnforcementRules {
    /// The day asked about.
    pub date: NaiveDate,
    /// The penalty procedure rule in force.
    pub penalty_procedure: Ruled<String>,
    /// Officers needed for an inspection.
    pub officers_per_inspection_min: Ruled<u32>,
    /// Longest on-site measure.
    pub on_site_measures_max: Ruled<Span>,
    /// Re-inspection due within this limit of the order's time limit or of the completion report.
    pub re_inspection_within: Ruled<Span>,
    /// Time to apply for reconsideration.
    pub reconsideration_within: Ruled<Span>,
    /// Time to bring a lawsuit.
    pub litigation_within: Ruled<Span>,
    /// Yearly cap of inspections per enterprise per department; `None` before one applies.
    pub inspection_cap_per_year: Option<Ruled<u32>>,
}

impl EnforcementRules {
    /// Every value's key and provenance, in [`RuleKey::ALL`] order, for a closing note or a page.
    pub fn provenances(&self) -> Vec<(RuleKey, &Provenance)> {
        let mut out = vec![
            (
                RuleKey::PenaltyProcedure,
                &self.penalty_procedure.provenance,
            ),
            (
                RuleKey::OfficersPerInspectionMin,
                &self.officers_per_inspection_min.provenance,
            ),
            (
                RuleKey::OnSiteMeasuresMax,
                &self.on_site_measures_max.provenance,
            ),
            (
                RuleKey::ReInspectionWithin,
                &self.re_inspection_within.provenance,
            ),
            (
                RuleKey::ReconsiderationWithin,
                &self.reconsideration_within.provenance,
            ),
            (
                RuleKey::LitigationWithin,
                &self.litigation_within.provenance,
            ),
        ];
        if let Some(cap) = &self.inspection_cap_per_year {
            out.push((RuleKey::InspectionCapPerYear, &cap.provenance));
        }
        out
    }

    /// Whether every value in force was verified.
    pub fn all_verified(&self) -> bool {
        self.provenances().iter().all(|(_, p)| p.verified)
    }
}

/// A required rule has no value on the day asked about (before the data's first period).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{date}没有适用的“{}”规则", .key.label())]
pub struct NotInForce {
    /// The key without a value.
    pub key: RuleKey,
    /// The day asked about.
    pub date: NaiveDate,
}

/// The rule data: every key's values and their periods, checked (no overlap, no gap).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    rules: Vec<Rule>,
}

impl Rules {
    /// The data shipped in the binary (`crates/core/data/enforcement-rules.toml`).
    pub fn shipped() -> Rules {
        Rules::parse(SHIPPED).expect("shipped enforcement rules are valid")
    }

    /// Parses rule data in the shipped format.
    ///
    /// # Errors
    /// [`RulesError`] naming the line and, once the rule is read, its key: TOML syntax, an
    /// unknown key or unit, a unit that does not fit the key, a value that is not a positive
    /// integer (or text), an empty source, a period ending before it starts, periods of one key
    /// that overlap or leave a gap.
    pub fn parse(text: &str) -> Result<Rules, RulesError> {
        parse::parse(text).map(|rules| Rules { rules })
    }

    /// Every rule, in the data's order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// These rules with a region's own hearing thresholds (较大数额罚款, a province's figure set
    /// by its committee office) in force on every day in place of the shipped ones; `None`
    /// keeps the shipped value. `source` names who set them.
    pub fn with_hearing_thresholds(
        &self,
        person: Option<u32>,
        unit: Option<u32>,
        source: &str,
    ) -> Rules {
        let mut rules: Vec<Rule> = [
            (RuleKey::HearingThresholdPerson, person),
            (RuleKey::HearingThresholdUnit, unit),
        ]
        .into_iter()
        .filter_map(|(key, v)| {
            v.map(|v| Rule {
                key,
                value: RuleValue::Amount(v),
                provenance: Provenance {
                    source: source.to_string(),
                    effective_from: NaiveDate::MIN,
                    effective_until: None,
                    verified: true,
                    note: None,
                },
            })
        })
        .collect();
        // The first rule in force wins (`in_force`): the region's come first.
        rules.extend(self.rules.iter().cloned());
        Rules { rules }
    }

    /// The rule of `key` in force on `date`, if any.
    pub fn in_force(&self, key: RuleKey, date: NaiveDate) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|r| r.key == key && r.provenance.applies_on(date))
    }

    /// The rules not verified against an official text, in the data's order: what to check
    /// before a value is shown to people as law.
    pub fn unverified(&self) -> Vec<&Rule> {
        self.rules
            .iter()
            .filter(|r| !r.provenance.verified)
            .collect()
    }

    /// The typed values in force on `date`, each with its provenance.
    ///
    /// # Errors
    /// [`NotInForce`] when a required key has no value that day.
    pub fn at(&self, date: NaiveDate) -> Result<EnforcementRules, NotInForce> {
        let find = |key| self.in_force(key, date);
        let need = |key| find(key).ok_or(NotInForce { key, date });
        let span = |key| -> Result<Ruled<Span>, NotInForce> {
            let r = need(key)?;
            match r.value {
                RuleValue::TimeLimit(s) => Ok(ruled(s, r)),
                _ => unreachable!("parse checks the kind of {key:?}"),
            }
        };
        let count = |r: &Rule| match r.value {
            RuleValue::Count(n) => ruled(n, r),
            _ => unreachable!("parse checks the kind of {:?}", r.key),
        };
        let procedure = need(RuleKey::PenaltyProcedure)?;
        let RuleValue::Text(name) = &procedure.value else {
            unreachable!("parse checks the kind of penalty_procedure")
        };
        Ok(EnforcementRules {
            date,
            penalty_procedure: ruled(name.clone(), procedure),
            officers_per_inspection_min: count(need(RuleKey::OfficersPerInspectionMin)?),
            on_site_measures_max: span(RuleKey::OnSiteMeasuresMax)?,
            re_inspection_within: span(RuleKey::ReInspectionWithin)?,
            reconsideration_within: span(RuleKey::ReconsiderationWithin)?,
            litigation_within: span(RuleKey::LitigationWithin)?,
            inspection_cap_per_year: find(RuleKey::InspectionCapPerYear).map(count),
        })
    }
}

/// The case-procedure values in force on one day (issue 13): the windows of a penalty case, the
/// payment terms and the hearing thresholds, each with its provenance. Amounts in whole yuan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRules {
    /// The day asked about.
    pub date: NaiveDate,
    /// The penalty procedure rule in force (its name is the rule version a step records).
    pub penalty_procedure: Ruled<String>,
    /// 陈述申辩 window from receipt of the 告知书.
    pub statement_within: Ruled<Span>,
    /// 申请听证 window from receipt of the 听证告知书.
    pub hearing_request_within: Ruled<Span>,
    /// 送达 of the decision when the party is absent.
    pub service_within: Ruled<Span>,
    /// Decide within this limit of filing.
    pub decide_within: Ruled<Span>,
    /// Decision limit after the head's approval.
    pub decide_extended_within: Ruled<Span>,
    /// Decision limit after the upper level's approval.
    pub decide_further_within: Ruled<Span>,
    /// Payment limit from receipt of the decision.
    pub pay_within: Ruled<Span>,
    /// Late fee, percent of the fine per day (capped at the fine).
    pub late_fee_percent_per_day: Ruled<u32>,
    /// Fines on a person at or above this amount (yuan) offer a hearing.
    pub hearing_threshold_person: Ruled<u32>,
    /// Fines on a unit at or above this amount (yuan) offer a hearing.
    pub hearing_threshold_unit: Ruled<u32>,
}

impl CaseRules {
    /// Every value's key and provenance, for a closing note.
    pub fn provenances(&self) -> Vec<(RuleKey, &Provenance)> {
        vec![
            (
                RuleKey::PenaltyProcedure,
                &self.penalty_procedure.provenance,
            ),
            (RuleKey::StatementWithin, &self.statement_within.provenance),
            (
                RuleKey::HearingRequestWithin,
                &self.hearing_request_within.provenance,
            ),
            (RuleKey::ServiceWithin, &self.service_within.provenance),
            (RuleKey::DecideWithin, &self.decide_within.provenance),
            (
                RuleKey::DecideExtendedWithin,
                &self.decide_extended_within.provenance,
            ),
            (
                RuleKey::DecideFurtherWithin,
                &self.decide_further_within.provenance,
            ),
            (RuleKey::PayWithin, &self.pay_within.provenance),
            (
                RuleKey::LateFeePercentPerDay,
                &self.late_fee_percent_per_day.provenance,
            ),
            (
                RuleKey::HearingThresholdPerson,
                &self.hearing_threshold_person.provenance,
            ),
            (
                RuleKey::HearingThresholdUnit,
                &self.hearing_threshold_unit.provenance,
            ),
        ]
    }

    /// The late fee (加处罚款) in yuan for `days_late` days on `fine` yuan: `percent × fine` per
    /// day, never more than the fine itself. Rounded down to the whole yuan.
    pub fn late_fee(&self, fine: u64, days_late: u64) -> u64 {
        let fee = fine
            .saturating_mul(u64::from(self.late_fee_percent_per_day.value))
            .saturating_mul(days_late)
            / 100;
        fee.min(fine)
    }
}

impl Rules {
    /// The case-procedure values in force on `date`. A step applies the values in force on its
    /// own date: ask with the step's date.
    ///
    /// # Errors
    /// [`NotInForce`] when one of the case keys has no value that day.
    pub fn case_at(&self, date: NaiveDate) -> Result<CaseRules, NotInForce> {
        let need = |key| self.in_force(key, date).ok_or(NotInForce { key, date });
        let span = |key| -> Result<Ruled<Span>, NotInForce> {
            let r = need(key)?;
            match r.value {
                RuleValue::TimeLimit(s) => Ok(ruled(s, r)),
                _ => unreachable!("parse checks the kind of {key:?}"),
            }
        };
        let number = |key| -> Result<Ruled<u32>, NotInForce> {
            let r = need(key)?;
            match r.value {
                RuleValue::Amount(n) | RuleValue::Percent(n) | RuleValue::Count(n) => {
                    Ok(ruled(n, r))
                }
                _ => unreachable!("parse checks the kind of {key:?}"),
            }
        };
        let procedure = need(RuleKey::PenaltyProcedure)?;
        let RuleValue::Text(name) = &procedure.value else {
            unreachable!("parse checks the kind of penalty_procedure")
        };
        Ok(CaseRules {
            date,
            penalty_procedure: ruled(name.clone(), procedure),
            statement_within: span(RuleKey::StatementWithin)?,
            hearing_request_within: span(RuleKey::HearingRequestWithin)?,
            service_within: span(RuleKey::ServiceWithin)?,
            decide_within: span(RuleKey::DecideWithin)?,
            decide_extended_within: span(RuleKey::DecideExtendedWithin)?,
            decide_further_within: span(RuleKey::DecideFurtherWithin)?,
            pay_within: span(RuleKey::PayWithin)?,
            late_fee_percent_per_day: number(RuleKey::LateFeePercentPerDay)?,
            hearing_threshold_person: number(RuleKey::HearingThresholdPerson)?,
            hearing_threshold_unit: number(RuleKey::HearingThresholdUnit)?,
        })
    }
}

/// The dishonesty-list values (应急管理部令第11号, issue #14 point 4) in force on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DishonestyRules {
    /// The day asked about.
    pub date: NaiveDate,
    /// 陈述申辩 window from receipt of the 告知书.
    pub objection_within: Ruled<Span>,
    /// The listing's period from its publication.
    pub listing_period: Ruled<Span>,
    /// Credit repair may be applied for from this long after publication.
    pub repair_after: Ruled<Span>,
}

impl DishonestyRules {
    /// Every value's key and provenance, for a page.
    pub fn provenances(&self) -> Vec<(RuleKey, &Provenance)> {
        vec![
            (
                RuleKey::DishonestyObjectionWithin,
                &self.objection_within.provenance,
            ),
            (
                RuleKey::DishonestyListingPeriod,
                &self.listing_period.provenance,
            ),
            (
                RuleKey::DishonestyRepairAfter,
                &self.repair_after.provenance,
            ),
        ]
    }
}

impl Rules {
    /// The dishonesty-list values in force on `date` (a step asks with its own date).
    ///
    /// # Errors
    /// [`NotInForce`] when one of them has no value that day (before 2023-10-01 as shipped).
    pub fn dishonesty_at(&self, date: NaiveDate) -> Result<DishonestyRules, NotInForce> {
        let span = |key| -> Result<Ruled<Span>, NotInForce> {
            let r = self.in_force(key, date).ok_or(NotInForce { key, date })?;
            match r.value {
                RuleValue::TimeLimit(s) => Ok(ruled(s, r)),
                _ => unreachable!("parse checks the kind of {key:?}"),
            }
        };
        Ok(DishonestyRules {
            date,
            objection_within: span(RuleKey::DishonestyObjectionWithin)?,
            listing_period: span(RuleKey::DishonestyListingPeriod)?,
            repair_after: span(RuleKey::DishonestyRepairAfter)?,
        })
    }
}

fn ruled<T>(value: T, rule: &Rule) -> Ruled<T> {
    Ruled {
        value,
        provenance: rule.provenance.clone(),
    }
}
