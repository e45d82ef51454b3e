//! Reporting obligations (报送) per supervising unit: what is due when, and where each stands.
//!
//! Every town, subdistrict, zone and industry department of the campaign owes each obligation of
//! the template (plan §五: unit plans by 3月30日, the stage report 5 working days after the
//! self-inspection phase, the annual report 5 working days after year end). Recurring obligations
//! owe one report per period. Status is computed from the dates and today, never stored.

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::{Calendar, WorkingDayResult};
use crate::campaign::{anchor_date, recurring_due_dates, resolve_due};
use crate::template::{Anchor, CampaignTemplate, DueRule};

/// One report owed by every unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportDue {
    /// Stable key: the obligation's index in the template, plus `@DATE` for one period of a
    /// recurring obligation (`1`, `2@2024-03-31`).
    pub key: String,
    /// What is reported.
    pub name: String,
    /// When it is due.
    pub due: WorkingDayResult,
    /// The first day it can be submitted: a report on a phase or a year reports what happened in
    /// it, so it opens on the day its deadline counts from (the phase's or the year's last day);
    /// `None` when it can be submitted at any time (fixed-date and recurring obligations).
    pub opens: Option<NaiveDate>,
}

impl ReportDue {
    /// Whether a submission on `today` comes too early: `Err(opens)` before the report opens.
    ///
    /// # Errors
    /// The date it opens, when `today` is before it (the page says “{opens}起方可报送”).
    pub fn check_open(&self, today: NaiveDate) -> Result<(), NaiveDate> {
        match self.opens {
            Some(opens) if today < opens => Err(opens),
            _ => Ok(()),
        }
    }
}

/// Every report a unit owes in a campaign of `year`, in template order (periods in date order).
/// Obligations whose due date cannot be determined (anchored to a missing phase) are left out.
pub fn reports_due(template: &CampaignTemplate, year: i32, calendar: &Calendar) -> Vec<ReportDue> {
    let mut out = Vec::new();
    for (i, o) in template.obligations.iter().enumerate() {
        if let DueRule::Recurring { .. } = o.due {
            for date in recurring_due_dates(&o.due, year) {
                out.push(ReportDue {
                    key: format!("{i}@{date}"),
                    name: o.name.clone(),
                    due: WorkingDayResult {
                        date,
                        provisional: false,
                    },
                    opens: None,
                });
            }
        } else if let Some(due) = resolve_due(&o.due, &template.phases, year, calendar) {
            let opens = match &o.due {
                DueRule::WorkingDaysAfter { anchor, .. }
                | DueRule::CalendarDaysAfter { anchor, .. } => {
                    anchor_date(anchor, &template.phases, year)
                }
                DueRule::OnOrBefore { .. } | DueRule::Recurring { .. } => None,
            };
            out.push(ReportDue {
                key: i.to_string(),
                name: o.name.clone(),
                due,
                opens,
            });
        }
    }
    out
}

/// The two generated reports (issue #15 point 2): the stage report on the self-inspection
/// phase and the annual report on the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// 阶段性进展情况: due a number of days after a phase ends (the first such obligation).
    Stage,
    /// 年度工作情况: due a number of days after the year ends.
    Annual,
}

impl ReportKind {
    /// Parses `stage` or `annual` (the CLI's `--kind`).
    pub fn from_code(code: &str) -> Option<ReportKind> {
        match code {
            "stage" => Some(ReportKind::Stage),
            "annual" => Some(ReportKind::Annual),
            _ => None,
        }
    }

    /// The kind in words, for titles: 阶段性 or 年度.
    pub fn label(self) -> &'static str {
        match self {
            ReportKind::Stage => "阶段性",
            ReportKind::Annual => "年度",
        }
    }
}

/// The kind of the obligation at index `key` of `template` when it is a generated report: a
/// report due after a phase's end is the stage report, one due after the year's end the annual
/// report; `None` for the rest (unit plans, recurring reports).
pub fn kind_of(template: &CampaignTemplate, key: &str) -> Option<ReportKind> {
    let o = template.obligations.get(key.parse::<usize>().ok()?)?;
    match &o.due {
        DueRule::WorkingDaysAfter { anchor, .. } | DueRule::CalendarDaysAfter { anchor, .. } => {
            match anchor {
                Anchor::PhaseEnd { .. } => Some(ReportKind::Stage),
                Anchor::YearEnd => Some(ReportKind::Annual),
                Anchor::Date { .. } => None,
            }
        }
        DueRule::OnOrBefore { .. } | DueRule::Recurring { .. } => None,
    }
}

/// The report of `kind` among `due` ([`reports_due`]): the first obligation of that kind
/// ([`kind_of`]) whose period end is known.
pub fn report_of_kind(
    template: &CampaignTemplate,
    due: &[ReportDue],
    kind: ReportKind,
) -> Option<ReportDue> {
    due.iter()
        .find(|r| r.opens.is_some() && kind_of(template, &r.key) == Some(kind))
        .cloned()
}

/// The figures of a generated report, as of its period's end (issue #15 point 2): each counted
/// from records dated on or before that day, so that a report built later for the same period
/// gives the same figures. Counts are numbers of records; amounts in yuan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// The period's last day (the phase's or the year's): every count is as of this day.
    pub period_end: Option<NaiveDate>,
    /// Enterprises enrolled in the campaign inside the scope (enrolment carries no civil date:
    /// the campaign's current roster).
    pub enterprises: i64,
    /// Of them, key enterprises (重点企业).
    pub key_enterprises: i64,
    /// By industry, in the plan's order of target industries then by name: (industry,
    /// enterprises, self-inspections submitted by the period's end).
    pub by_industry: Vec<(String, i64, i64)>,
    /// Self-inspections submitted on or before the period's end.
    pub self_inspected: i64,
    /// Findings opened on or before the period's end, general grade (一般).
    pub findings_general: i64,
    /// Findings opened on or before the period's end, major grade (重大).
    pub findings_major: i64,
    /// Of those, closed out (销号) on or before the period's end.
    pub findings_closed: i64,
    /// Duty commitments (履职承诺书) signed on or before the period's end.
    pub commitments_signed: i64,
    /// Enforcement inspections of the campaign held on or before the period's end.
    pub inspections: i64,
    /// Correction orders issued on or before the period's end.
    pub orders: i64,
    /// Cases filed in the campaign year on or before the period's end.
    pub cases: i64,
    /// Penalty decisions made in the campaign year on or before the period's end.
    pub penalties: i64,
    /// The fines of those decisions, in yuan.
    pub fines_yuan: i64,
    /// Typical cases published (曝光) in the campaign year on or before the period's end and not
    /// withdrawn by then.
    pub exposures: i64,
    /// The units' “eight ones” measures held on or before the period's end (returned ones not
    /// counted).
    pub measures_done: i64,
    /// Units lagging behind (region report only): (unit name, its self-inspection rate in
    /// tenths of a percent) for each unit below the region's rate, lowest first.
    pub lagging: Vec<(String, i64)>,
}

/// `part ÷ whole` in tenths of a percent, rounded half up; 0 for an empty whole.
pub fn permille(part: i64, whole: i64) -> i64 {
    if whole <= 0 {
        0
    } else {
        (part * 2000 + whole) / (2 * whole)
    }
}

/// Tenths of a percent as people read them: `85.3%`.
pub fn percent_text(permille: i64) -> String {
    format!("{}.{}%", permille / 10, permille % 10)
}

impl Figures {
    /// Self-inspection rate in tenths of a percent ([`permille`]).
    pub fn self_inspection_rate(&self) -> i64 {
        permille(self.self_inspected, self.enterprises)
    }

    /// All findings as of the period's end.
    pub fn findings(&self) -> i64 {
        self.findings_general + self.findings_major
    }

    /// Rectification rate (closed ÷ found) in tenths of a percent.
    pub fn rectification_rate(&self) -> i64 {
        permille(self.findings_closed, self.findings())
    }

    /// The figures as (label, value) rows, in the order the report's table shows them.
    pub fn rows(&self) -> Vec<(&'static str, String)> {
        vec![
            ("纳入治理企业（家）", self.enterprises.to_string()),
            ("其中重点企业（家）", self.key_enterprises.to_string()),
            ("完成自查自纠企业（家）", self.self_inspected.to_string()),
            ("自查自纠完成率", percent_text(self.self_inspection_rate())),
            ("排查问题隐患（项）", self.findings().to_string()),
            ("其中一般问题隐患（项）", self.findings_general.to_string()),
            ("其中重大事故隐患（项）", self.findings_major.to_string()),
            ("已整改销号（项）", self.findings_closed.to_string()),
            ("整改率", percent_text(self.rectification_rate())),
            ("签订履职承诺书（份）", self.commitments_signed.to_string()),
            ("执法检查（户次）", self.inspections.to_string()),
            ("责令限期整改（份）", self.orders.to_string()),
            ("立案（起）", self.cases.to_string()),
            ("行政处罚决定（起）", self.penalties.to_string()),
            ("罚款金额（元）", self.fines_yuan.to_string()),
            ("曝光典型案例（起）", self.exposures.to_string()),
            ("完成“八个一”措施（项）", self.measures_done.to_string()),
        ]
    }
}

/// Where one unit's report stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ReportStatus {
    /// Not submitted, due later: calendar days left.
    NotYetDue {
        /// Calendar days from today to the due date.
        days_left: i64,
    },
    /// Not submitted, due today (not late until the day is over).
    DueToday,
    /// Not submitted and past due.
    Overdue {
        /// Working days since the due date, today included.
        working_days_late: u32,
    },
    /// Submitted on or before the due date.
    OnTime {
        /// Date submitted.
        submitted_on: NaiveDate,
    },
    /// Submitted after the due date.
    Late {
        /// Date submitted.
        submitted_on: NaiveDate,
        /// Working days after the due date.
        working_days_late: u32,
    },
}

impl ReportStatus {
    /// The status of a report due on `due`, submitted on `submitted_on` if at all, seen on `today`.
    pub fn of(
        due: NaiveDate,
        submitted_on: Option<NaiveDate>,
        today: NaiveDate,
        calendar: &Calendar,
    ) -> ReportStatus {
        match submitted_on {
            Some(on) if on <= due => ReportStatus::OnTime { submitted_on: on },
            Some(on) => ReportStatus::Late {
                submitted_on: on,
                working_days_late: calendar.working_days_between(due, on).0,
            },
            None if today < due => ReportStatus::NotYetDue {
                days_left: (due - today).num_days(),
            },
            None if today == due => ReportStatus::DueToday,
            None => ReportStatus::Overdue {
                working_days_late: calendar.working_days_between(due, today).0,
            },
        }
    }

    /// Label shown to people.
    pub fn label(&self) -> String {
        match self {
            ReportStatus::NotYetDue { days_left } => format!("未到期（还有{days_left}天）"),
            ReportStatus::DueToday => "今日到期".into(),
            ReportStatus::Overdue { working_days_late } => {
                format!("逾期未报（已逾期{working_days_late}个工作日）")
            }
            ReportStatus::OnTime { submitted_on } => format!("按时报送（{submitted_on}）"),
            ReportStatus::Late {
                submitted_on,
                working_days_late,
            } => {
                format!("逾期报送（{submitted_on}，迟{working_days_late}个工作日）")
            }
        }
    }

    /// Every [`ReportStatus::code`], in the order of the variants.
    pub const CODES: [&'static str; 5] = ["not_yet_due", "due_today", "overdue", "on_time", "late"];

    /// Stable code for styles and the API: one of [`ReportStatus::CODES`].
    pub fn code(&self) -> &'static str {
        match self {
            ReportStatus::NotYetDue { .. } => "not_yet_due",
            ReportStatus::DueToday => "due_today",
            ReportStatus::Overdue { .. } => "overdue",
            ReportStatus::OnTime { .. } => "on_time",
            ReportStatus::Late { .. } => "late",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::{Anchor, Obligation, Period, Phase};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn obligation(name: &str, due: DueRule) -> Obligation {
        Obligation {
            name: name.into(),
            recipient: None,
            due,
            due_date: None,
            source_text: String::new(),
            lines: None,
        }
    }

    #[test]
    fn qingxiu_reports_and_a_quarterly_one() {
        let mut t = CampaignTemplate::empty();
        t.phases.push(Phase {
            ordinal: 2,
            name: "自查自纠".into(),
            start: Some(d("2024-05-01")),
            end: Some(d("2024-06-30")),
            window_text: String::new(),
            lines: None,
        });
        t.obligations = vec![
            obligation(
                "方案",
                DueRule::OnOrBefore {
                    date: d("2024-03-30"),
                },
            ),
            obligation(
                "工作阶段性进展情况",
                DueRule::WorkingDaysAfter {
                    days: 5,
                    anchor: Anchor::PhaseEnd {
                        phase: "自查自纠".into(),
                    },
                },
            ),
            obligation(
                "工作情况",
                DueRule::WorkingDaysAfter {
                    days: 5,
                    anchor: Anchor::YearEnd,
                },
            ),
            obligation(
                "进展",
                DueRule::Recurring {
                    every: Period::Quarter,
                    day: None,
                },
            ),
        ];
        let r = reports_due(&t, 2024, &Calendar::shipped());
        let got: Vec<(&str, NaiveDate)> = r.iter().map(|r| (r.key.as_str(), r.due.date)).collect();
        assert_eq!(
            got,
            vec![
                ("0", d("2024-03-30")),
                ("1", d("2024-07-05")),
                ("2", d("2025-01-08")),
                ("3@2024-03-31", d("2024-03-31")),
                ("3@2024-06-30", d("2024-06-30")),
                ("3@2024-09-30", d("2024-09-30")),
                ("3@2024-12-31", d("2024-12-31")),
            ]
        );
        // A report on a phase or a year opens on its last day; fixed-date and recurring ones
        // can be sent at any time.
        let opens: Vec<Option<NaiveDate>> = r.iter().map(|r| r.opens).collect();
        assert_eq!(
            opens[..3],
            [None, Some(d("2024-06-30")), Some(d("2024-12-31"))]
        );
        assert!(opens[3..].iter().all(Option::is_none));
        assert_eq!(r[1].check_open(d("2024-06-29")), Err(d("2024-06-30")));
        assert_eq!(r[1].check_open(d("2024-06-30")), Ok(()));
        assert_eq!(r[2].check_open(d("2024-06-20")), Err(d("2024-12-31")));
        assert_eq!(r[0].check_open(d("2024-01-02")), Ok(()));
        assert_eq!(kind_of(&t, "1"), Some(ReportKind::Stage));
        assert_eq!(kind_of(&t, "2"), Some(ReportKind::Annual));
        assert_eq!(kind_of(&t, "0"), None);
        assert_eq!(kind_of(&t, "3@2024-03-31"), None);
        assert_eq!(
            report_of_kind(&t, &r, ReportKind::Annual).map(|r| r.key),
            Some("2".to_string())
        );
    }

    #[test]
    fn rates_in_tenths_of_a_percent() {
        assert_eq!(permille(2, 3), 667);
        assert_eq!(permille(1, 8), 125);
        assert_eq!(permille(0, 0), 0);
        assert_eq!(percent_text(permille(195, 300)), "65.0%");
        assert_eq!(percent_text(7), "0.7%");
    }

    #[test]
    fn statuses() {
        let cal = Calendar::shipped();
        let due = d("2024-03-30");
        assert_eq!(
            ReportStatus::of(due, Some(d("2024-03-28")), d("2024-06-20"), &cal),
            ReportStatus::OnTime {
                submitted_on: d("2024-03-28")
            }
        );
        assert_eq!(
            ReportStatus::of(due, Some(d("2024-04-03")), d("2024-06-20"), &cal),
            ReportStatus::Late {
                submitted_on: d("2024-04-03"),
                working_days_late: 3
            }
        );
        assert_eq!(
            ReportStatus::of(due, None, d("2024-03-30"), &cal),
            ReportStatus::DueToday
        );
        assert_eq!(
            ReportStatus::of(due, None, d("2024-03-25"), &cal),
            ReportStatus::NotYetDue { days_left: 5 }
        );
        assert_eq!(
            ReportStatus::of(due, None, d("2024-04-01"), &cal),
            ReportStatus::Overdue {
                working_days_late: 1
            }
        );
        assert_eq!(
            ReportStatus::of(due, None, d("2024-04-01"), &cal).label(),
            "逾期未报（已逾期1个工作日）"
        );
    }

    #[test]
    fn the_codes_listed_are_the_codes_given() {
        let d = d("2024-07-05");
        let codes = [
            ReportStatus::NotYetDue { days_left: 1 },
            ReportStatus::DueToday,
            ReportStatus::Overdue {
                working_days_late: 1,
            },
            ReportStatus::OnTime { submitted_on: d },
            ReportStatus::Late {
                submitted_on: d,
                working_days_late: 1,
            },
        ]
        .map(|s| s.code());
        assert_eq!(codes, ReportStatus::CODES);
    }
}
