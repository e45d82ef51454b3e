//! A campaign on a given day: the current phase, days left, and due dates of obligations.
//!
//! This is the one deadline engine: the plan importer, the pages and the exports all resolve
//! [`DueRule`]s here. Nothing here reads the clock; `today` is an Asia/Shanghai civil date the
//! caller passes in.

use chrono::{Days, NaiveDate};

use crate::calendar::{Calendar, WorkingDayResult};
use crate::template::{Anchor, DueRule, Phase};

/// The phase whose window holds `today`, if any. When windows overlap, the later-starting phase
/// wins (it is the one the plan has moved on to).
pub fn current_phase(phases: &[Phase], today: NaiveDate) -> Option<&Phase> {
    phases
        .iter()
        .filter(|p| p.start.is_none_or(|s| s <= today) && p.end.is_some_and(|e| today <= e))
        .max_by_key(|p| p.start)
}

/// Calendar days from `today` to `end` ("days left" counts calendar days unless a rule says
/// working days, DESIGN.md §3): 0 on the last day, negative once it has passed.
pub fn days_left(end: NaiveDate, today: NaiveDate) -> i64 {
    (end - today).num_days()
}

/// Working days from `today` to `end` on the calendar, for a deadline whose rule counts working
/// days (DESIGN.md §3: a countdown in the unit of its rule): 0 on the last day, the working days
/// after `today` up to `end` before it, minus the working days after `end` up to `today` once it
/// has passed.
pub fn working_days_left(end: NaiveDate, today: NaiveDate, calendar: &Calendar) -> i64 {
    if today <= end {
        i64::from(calendar.working_days_between(today, end).0)
    } else {
        -i64::from(calendar.working_days_between(end, today).0)
    }
}

/// Resolves a due rule to a date for a campaign of `year` with these `phases`.
///
/// Returns `None` for a recurring rule (it has one date per period, see [`recurring_due_dates`])
/// and for a rule anchored to a phase that does not exist or has no end date.
pub fn resolve_due(
    rule: &DueRule,
    phases: &[Phase],
    year: i32,
    calendar: &Calendar,
) -> Option<WorkingDayResult> {
    let anchor_date = |anchor: &Anchor| anchor_date(anchor, phases, year);
    match rule {
        DueRule::OnOrBefore { date } => Some(WorkingDayResult {
            date: *date,
            provisional: false,
        }),
        DueRule::WorkingDaysAfter { days, anchor } => {
            Some(calendar.add_working_days(anchor_date(anchor)?, *days))
        }
        DueRule::CalendarDaysAfter { days, anchor } => Some(WorkingDayResult {
            date: anchor_date(anchor)?.checked_add_days(Days::new(u64::from(*days)))?,
            provisional: false,
        }),
        DueRule::Recurring { .. } => None,
    }
}

/// The date a relative deadline counts from: the last day of the named phase, 12-31 of `year`,
/// or the fixed date. `None` when the phase is missing or has no end.
pub fn anchor_date(anchor: &Anchor, phases: &[Phase], year: i32) -> Option<NaiveDate> {
    match anchor {
        Anchor::PhaseEnd { phase } => phases.iter().find(|p| &p.name == phase)?.end,
        Anchor::YearEnd => NaiveDate::from_ymd_opt(year, 12, 31),
        Anchor::Date { date } => Some(*date),
    }
}

/// The due dates of a recurring rule within `year`: the given `day` of the first month of each
/// period, or, when the plan gives no day, the last day of each period.
pub fn recurring_due_dates(rule: &DueRule, year: i32) -> Vec<NaiveDate> {
    use crate::template::Period;
    let DueRule::Recurring { every, day } = rule else {
        return Vec::new();
    };
    let months: u32 = match every {
        Period::Month => 1,
        Period::Quarter => 3,
        Period::HalfYear => 6,
        Period::Year => 12,
    };
    (0..12 / months)
        .filter_map(|k| {
            let first_month = 1 + k * months;
            match day {
                Some(d) => NaiveDate::from_ymd_opt(year, first_month, *d),
                None => last_day_of_month(year, first_month + months - 1),
            }
        })
        .collect()
}

fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Period;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn phase(ordinal: u32, name: &str, start: &str, end: &str) -> Phase {
        Phase {
            ordinal,
            name: name.into(),
            start: Some(d(start)),
            end: Some(d(end)),
            window_text: String::new(),
            lines: None,
        }
    }

    fn qingxiu_phases() -> Vec<Phase> {
        vec![
            phase(1, "动员部署", "2024-03-29", "2024-04-30"),
            phase(2, "自查自纠", "2024-05-01", "2024-06-30"),
            phase(3, "严格执法", "2024-07-01", "2024-10-31"),
            phase(4, "巩固提升", "2024-11-01", "2024-12-31"),
        ]
    }

    #[test]
    fn a_working_day_countdown_skips_the_holidays() {
        let cal = Calendar::shipped();
        // 3 working days from 2024-09-27 to 2024-10-08: 09-29, 09-30, 10-08 (国庆 between).
        assert_eq!(working_days_left(d("2024-10-08"), d("2024-09-27"), &cal), 3);
        assert_eq!(working_days_left(d("2024-10-08"), d("2024-10-08"), &cal), 0);
        assert_eq!(
            working_days_left(d("2024-10-08"), d("2024-10-10"), &cal),
            -2
        );
        assert_eq!(days_left(d("2024-10-08"), d("2024-09-27")), 11);
    }

    #[test]
    fn phase_of_the_day_and_days_left() {
        let phases = qingxiu_phases();
        let p = current_phase(&phases, d("2024-06-20")).unwrap();
        assert_eq!(p.name, "自查自纠");
        assert_eq!(days_left(p.end.unwrap(), d("2024-06-20")), 10);
        assert_eq!(
            current_phase(&phases, d("2024-06-30")).unwrap().name,
            "自查自纠"
        );
        assert_eq!(
            current_phase(&phases, d("2024-07-01")).unwrap().name,
            "严格执法"
        );
        assert!(current_phase(&phases, d("2025-01-01")).is_none());
    }

    #[test]
    fn qingxiu_due_dates() {
        let cal = Calendar::shipped();
        let phases = qingxiu_phases();
        let stage = DueRule::WorkingDaysAfter {
            days: 5,
            anchor: Anchor::PhaseEnd {
                phase: "自查自纠".into(),
            },
        };
        let annual = DueRule::WorkingDaysAfter {
            days: 5,
            anchor: Anchor::YearEnd,
        };
        let plans = DueRule::OnOrBefore {
            date: d("2024-03-30"),
        };
        assert_eq!(
            resolve_due(&plans, &phases, 2024, &cal).unwrap().date,
            d("2024-03-30")
        );
        assert_eq!(
            resolve_due(&stage, &phases, 2024, &cal).unwrap().date,
            d("2024-07-05")
        );
        let a = resolve_due(&annual, &phases, 2024, &cal).unwrap();
        assert_eq!((a.date, a.provisional), (d("2025-01-08"), false));
        let missing = DueRule::WorkingDaysAfter {
            days: 5,
            anchor: Anchor::PhaseEnd {
                phase: "无此阶段".into(),
            },
        };
        assert!(resolve_due(&missing, &phases, 2024, &cal).is_none());
    }

    #[test]
    fn recurring_dates() {
        let q = DueRule::Recurring {
            every: Period::Quarter,
            day: None,
        };
        assert_eq!(
            recurring_due_dates(&q, 2024),
            vec![
                d("2024-03-31"),
                d("2024-06-30"),
                d("2024-09-30"),
                d("2024-12-31")
            ]
        );
        let m = DueRule::Recurring {
            every: Period::Month,
            day: Some(5),
        };
        assert_eq!(recurring_due_dates(&m, 2024).len(), 12);
        assert_eq!(recurring_due_dates(&m, 2024)[1], d("2024-02-05"));
    }
}
