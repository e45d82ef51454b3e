//! Read models shared by the pages and the API: what a person sees of a campaign on a given day.

use chrono::NaiveDate;
use safeduty_core::calendar::Calendar;
use safeduty_core::campaign::{
    current_phase, days_left, recurring_due_dates, resolve_due, working_days_left,
};
use safeduty_core::template::{DueRule, DutyArea, Period};
use safeduty_store::campaigns::Campaign;
use serde::Serialize;
use utoipa::ToSchema;

/// A campaign as shown on its page and returned by `GET /api/v1/campaign`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CampaignView {
    /// Public identifier.
    pub id: String,
    /// Name.
    pub name: String,
    /// Campaign year.
    pub year: i32,
    /// Plan title.
    pub title: String,
    /// Document number (文号).
    pub document_number: Option<String>,
    /// Issuer.
    pub issuer: Option<String>,
    /// Issue date.
    pub issue_date: Option<NaiveDate>,
    /// The day the view was computed for (Asia/Shanghai).
    pub today: NaiveDate,
    /// Name of the phase today falls in.
    pub current_phase: Option<String>,
    /// Calendar days left in the current phase (0 on its last day).
    pub days_left: Option<i64>,
    /// Target industries.
    pub target_industries: Vec<String>,
    /// Duty areas with their items.
    pub areas: Vec<AreaView>,
    /// Phases.
    pub phases: Vec<PhaseView>,
    /// Measures (八个一).
    pub measures: Vec<String>,
    /// Reporting obligations with due dates.
    pub obligations: Vec<ObligationView>,
    /// Working days a finding opened by self-inspection has for rectification.
    pub finding_time_limit_working_days: u32,
}

/// A duty area.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AreaView {
    /// Label, e.g. 一.
    pub label: String,
    /// Heading.
    pub title: String,
    /// Items.
    pub items: Vec<ItemView>,
}

/// A check item.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemView {
    /// Number (1–31 in the Qingxiu plan).
    pub number: u32,
    /// Text.
    pub text: String,
}

/// A phase.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PhaseView {
    /// Ordinal.
    pub ordinal: u32,
    /// Name.
    pub name: String,
    /// First day.
    pub start: Option<NaiveDate>,
    /// Last day.
    pub end: Option<NaiveDate>,
    /// Whether today falls in it.
    pub current: bool,
}

/// A reporting obligation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ObligationView {
    /// What is reported.
    pub name: String,
    /// The rule in words, e.g. “自查自纠阶段结束后5个工作日内”.
    pub rule: String,
    /// Due date (for one-off obligations).
    pub due: Option<NaiveDate>,
    /// Due dates within the campaign year (for recurring obligations).
    pub recurring: Vec<NaiveDate>,
    /// The due date was computed through a year whose holiday arrangement is not loaded.
    pub provisional: bool,
    /// Days from today to the due date (negative once passed), in the unit of the rule:
    /// working days for a rule of working days, else calendar days.
    pub days_left: Option<i64>,
    /// The unit of `days_left` in words: `个工作日` or `天`.
    pub days_unit: &'static str,
}

fn rule_text(rule: &DueRule) -> String {
    use safeduty_core::template::Anchor;
    let anchor = |a: &Anchor| match a {
        Anchor::PhaseEnd { phase } => format!("{phase}阶段结束后"),
        Anchor::YearEnd => "本年度结束后".to_string(),
        Anchor::Date { date } => format!("{date}后"),
    };
    match rule {
        DueRule::OnOrBefore { date } => format!("{date}前"),
        DueRule::WorkingDaysAfter { days, anchor: a } => format!("{}{days}个工作日内", anchor(a)),
        DueRule::CalendarDaysAfter { days, anchor: a } => format!("{}{days}日内", anchor(a)),
        DueRule::Recurring { every, day } => {
            let p = match every {
                Period::Month => "每月",
                Period::Quarter => "每季度",
                Period::HalfYear => "每半年",
                Period::Year => "每年",
            };
            match day {
                Some(d) => format!("{p}{d}日前"),
                None => p.to_string(),
            }
        }
    }
}

fn flatten(areas: &[DutyArea], out: &mut Vec<AreaView>) {
    for a in areas {
        out.push(AreaView {
            label: a.label.clone(),
            title: a.title.clone(),
            items: a
                .items
                .iter()
                .map(|i| ItemView {
                    number: i.number,
                    text: i.text.clone(),
                })
                .collect(),
        });
        flatten(&a.areas, out);
    }
}

impl CampaignView {
    /// Builds the view of `campaign` on `today`; due dates are computed here, from the rules.
    pub fn new(campaign: &Campaign, today: NaiveDate, calendar: &Calendar) -> CampaignView {
        let t = &campaign.template;
        let current = current_phase(&t.phases, today);
        let mut areas = Vec::new();
        if !t.items.is_empty() {
            areas.push(AreaView {
                label: String::new(),
                title: "其他检查项目".into(),
                items: t
                    .items
                    .iter()
                    .map(|i| ItemView {
                        number: i.number,
                        text: i.text.clone(),
                    })
                    .collect(),
            });
        }
        flatten(&t.areas, &mut areas);
        CampaignView {
            id: campaign.public_id.clone(),
            name: campaign.name.clone(),
            year: campaign.year,
            title: t.plan.title.clone(),
            document_number: t.plan.document_number.clone(),
            issuer: t.plan.issuer.clone(),
            issue_date: t.plan.issue_date,
            today,
            current_phase: current.map(|p| p.name.clone()),
            days_left: current.and_then(|p| p.end).map(|e| days_left(e, today)),
            target_industries: t.target_industries.clone(),
            areas,
            phases: t
                .phases
                .iter()
                .map(|p| PhaseView {
                    ordinal: p.ordinal,
                    name: p.name.clone(),
                    start: p.start,
                    end: p.end,
                    current: current.is_some_and(|c| c.name == p.name),
                })
                .collect(),
            measures: t.measures.iter().map(|m| m.name.clone()).collect(),
            obligations: t
                .obligations
                .iter()
                .map(|o| {
                    let due = resolve_due(&o.due, &t.phases, campaign.year, calendar);
                    let working = matches!(o.due, DueRule::WorkingDaysAfter { .. });
                    ObligationView {
                        name: o.name.clone(),
                        rule: rule_text(&o.due),
                        due: due.map(|d| d.date),
                        recurring: recurring_due_dates(&o.due, campaign.year),
                        provisional: due.is_some_and(|d| d.provisional),
                        days_left: due.map(|d| {
                            if working {
                                working_days_left(d.date, today, calendar)
                            } else {
                                days_left(d.date, today)
                            }
                        }),
                        days_unit: if working { "个工作日" } else { "天" },
                    }
                })
                .collect(),
            finding_time_limit_working_days: t.settings.finding_time_limit_working_days,
        }
    }
}

/// The reporting status of the units a user may see, report by report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportsView {
    /// The reports every unit owes, in order.
    pub reports: Vec<ReportColumn>,
    /// One row per unit.
    pub units: Vec<UnitReports>,
}

/// A report every unit owes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportColumn {
    /// Stable key (`0`, `1`, `3@2024-03-31`).
    pub key: String,
    /// What is reported.
    pub name: String,
    /// Due date.
    pub due: NaiveDate,
    /// The due date was computed through a year whose arrangement is not loaded.
    pub provisional: bool,
    /// First day it can be submitted, when it reports on a phase or a year.
    pub opens: Option<NaiveDate>,
}

/// What [`UnitReports::kind`] says: a territorial unit (属地), or any other unit (an industry
/// department).
pub(crate) const UNIT_KIND_LABELS: [&str; 2] = ["属地", "行业部门"];

/// One unit's reports.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitReports {
    /// Unit id.
    pub unit_id: i64,
    /// Unit name.
    pub unit: String,
    /// 属地 or 行业部门.
    #[schema(value_type = crate::openapi::UnitKindLabel)]
    pub kind: String,
    /// Status per report, in the order of `reports`.
    pub cells: Vec<ReportCell>,
}

/// One unit's status for one report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportCell {
    /// Report key.
    pub key: String,
    /// What is reported.
    pub name: String,
    /// Where it stands.
    #[schema(value_type = crate::openapi::ReportStateCode)]
    pub state: String,
    /// Label for people, e.g. 逾期报送（2024-04-03，迟3个工作日）.
    pub label: String,
    /// Date submitted, if submitted.
    pub submitted_on: Option<NaiveDate>,
    /// It can be submitted today (not before it opens; see `ReportDue::check_open`).
    pub open: bool,
}

impl ReportsView {
    /// Builds the view of the reporting status `status` ([`safeduty_app::reports::status`]) on
    /// `today`.
    pub fn new(
        status: &safeduty_app::reports::Status,
        today: NaiveDate,
        calendar: &Calendar,
    ) -> ReportsView {
        use safeduty_core::reporting::{ReportStatus, reports_due};
        let safeduty_app::reports::Status {
            campaign,
            units,
            submissions,
        } = status;
        let dues = reports_due(&campaign.template, campaign.year, calendar);
        ReportsView {
            reports: dues
                .iter()
                .map(|d| ReportColumn {
                    key: d.key.clone(),
                    name: d.name.clone(),
                    due: d.due.date,
                    provisional: d.due.provisional,
                    opens: d.opens,
                })
                .collect(),
            units: units
                .iter()
                .map(|u| UnitReports {
                    unit_id: u.id,
                    unit: u.name.clone(),
                    kind: UNIT_KIND_LABELS
                        [usize::from(u.kind != safeduty_core::policy::UnitKind::Territorial)]
                    .into(),
                    cells: dues
                        .iter()
                        .map(|d| {
                            let on = submissions.get(&(u.id, d.key.clone())).copied();
                            let st = ReportStatus::of(d.due.date, on, today, calendar);
                            ReportCell {
                                key: d.key.clone(),
                                name: d.name.clone(),
                                state: st.code().into(),
                                label: st.label(),
                                submitted_on: on,
                                open: d.check_open(today).is_ok(),
                            }
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// The Chinese name of a case's stored status: `draft` or a core `CaseState` code (issue #13).
pub(crate) fn case_status_label(code: &str) -> &'static str {
    if code == "draft" {
        "草稿（待立案审批）"
    } else {
        safeduty_core::enforcement::case::CaseState::from_code(code)
            .map_or("—", safeduty_core::enforcement::case::CaseState::label)
    }
}

#[cfg(test)]
mod tests {
    use super::case_status_label;

    #[test]
    fn case_statuses_are_named_in_chinese() {
        assert_eq!(case_status_label("draft"), "草稿（待立案审批）");
        assert_eq!(case_status_label("notified"), "已告知");
        assert_eq!(case_status_label("bogus"), "—");
    }
}
