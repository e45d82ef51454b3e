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
use crate::template::{CampaignTemplate, DueRule};

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
