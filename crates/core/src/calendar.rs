//! Working-day calendar of the People's Republic of China.
//!
//! Source: the State Council General Office notices on public-holiday arrangements
//! (国务院办公厅关于YYYY年部分节假日安排的通知) for 2023–2026, transcribed in
//! `shared/calendar/cn-holidays-2023-2026.md` and shipped in `calendar/cn-2023-2026.txt`.
//!
//! Rule (DESIGN.md §3): a working day is a make-up working day (调休上班), or a Monday–Friday
//! outside the days off. "N working days after D" walks from the day after D; the N-th working
//! day is the answer. A walk through a year whose arrangement is not loaded counts weekends only
//! and is marked provisional, never a silent guess.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// The arrangements shipped in the binary, one line per holiday block:
/// `YEAR off FIRST[..LAST] [; work DATE, DATE]`.
const SHIPPED: &str = include_str!("../calendar/cn-2023-2026.txt");

/// One year's arrangement: days off and make-up working days.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct YearArrangement {
    /// Days off (放假), including ordinary weekend days inside a holiday block. A block may start
    /// in the previous year (2023's New Year began 2022-12-31).
    pub days_off: BTreeSet<NaiveDate>,
    /// Weekend days that are working days (调休上班).
    pub make_up_days: BTreeSet<NaiveDate>,
}

impl YearArrangement {
    /// What changes from `self` to `new`: days off and make-up days added and removed.
    pub fn diff(&self, new: &YearArrangement) -> ArrangementDiff {
        ArrangementDiff {
            days_off_added: new.days_off.difference(&self.days_off).copied().collect(),
            days_off_removed: self.days_off.difference(&new.days_off).copied().collect(),
            make_up_added: new
                .make_up_days
                .difference(&self.make_up_days)
                .copied()
                .collect(),
            make_up_removed: self
                .make_up_days
                .difference(&new.make_up_days)
                .copied()
                .collect(),
        }
    }
}

/// The difference between two arrangements of one year, each list in date order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ArrangementDiff {
    /// Days off in the new arrangement only.
    pub days_off_added: Vec<NaiveDate>,
    /// Days off in the old arrangement only.
    pub days_off_removed: Vec<NaiveDate>,
    /// Make-up working days in the new arrangement only.
    pub make_up_added: Vec<NaiveDate>,
    /// Make-up working days in the old arrangement only.
    pub make_up_removed: Vec<NaiveDate>,
}

impl ArrangementDiff {
    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        self.days_off_added.is_empty()
            && self.days_off_removed.is_empty()
            && self.make_up_added.is_empty()
            && self.make_up_removed.is_empty()
    }
}

/// A working-day calendar: the arrangements known, keyed by the year of the notice.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    years: BTreeMap<i32, YearArrangement>,
    days_off: BTreeSet<NaiveDate>,
    make_up_days: BTreeSet<NaiveDate>,
}

/// A date computed by walking the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkingDayResult {
    /// The answer.
    pub date: NaiveDate,
    /// True when any day walked lies in a year whose arrangement is not loaded; the answer then
    /// counts weekends only and must be shown as provisional.
    pub provisional: bool,
}

/// A line of calendar data that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("calendar data line {line}: {reason}")]
pub struct CalendarDataError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

impl Calendar {
    /// The official 2023–2026 arrangements shipped in the binary.
    pub fn shipped() -> Calendar {
        Calendar::parse(SHIPPED).expect("shipped calendar data is valid")
    }

    /// Parses calendar data in the shipped line format (`#` starts a comment).
    ///
    /// # Errors
    /// A line that is not `YEAR off DATE[..DATE] [; work DATE, …]`, or a range that ends before
    /// it starts, with its line number.
    pub fn parse(text: &str) -> Result<Calendar, CalendarDataError> {
        let mut cal = Calendar::default();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let err = |reason: &str| CalendarDataError {
                line: i + 1,
                reason: reason.to_string(),
            };
            let (off_part, work_part) = match line.split_once(';') {
                Some((a, b)) => (a.trim(), Some(b.trim())),
                None => (line, None),
            };
            let mut words = off_part.split_whitespace();
            let year: i32 = words
                .next()
                .and_then(|w| w.parse().ok())
                .ok_or_else(|| err("expected a year"))?;
            if words.next() != Some("off") {
                return Err(err("expected `off`"));
            }
            let range = words.next().ok_or_else(|| err("expected a date range"))?;
            let (first, last) = match range.split_once("..") {
                Some((a, b)) => (parse_ymd(a), parse_ymd(b)),
                None => (parse_ymd(range), parse_ymd(range)),
            };
            let (first, last) = first.zip(last).ok_or_else(|| err("bad date"))?;
            if last < first {
                return Err(err("range ends before it starts"));
            }
            let mut year_days = YearArrangement::default();
            let mut d = first;
            while d <= last {
                year_days.days_off.insert(d);
                d = d + Days::new(1);
            }
            if let Some(work) = work_part {
                let work = work
                    .strip_prefix("work")
                    .ok_or_else(|| err("expected `work` after `;`"))?;
                for w in work.split(',') {
                    let d = parse_ymd(w.trim()).ok_or_else(|| err("bad make-up date"))?;
                    year_days.make_up_days.insert(d);
                }
            }
            cal.add_days(year, year_days);
        }
        Ok(cal)
    }

    fn add_days(&mut self, year: i32, days: YearArrangement) {
        self.days_off.extend(days.days_off.iter().copied());
        self.make_up_days.extend(days.make_up_days.iter().copied());
        let entry = self.years.entry(year).or_default();
        entry.days_off.extend(days.days_off);
        entry.make_up_days.extend(days.make_up_days);
    }

    /// Replaces (or adds) the arrangement of `year`.
    pub fn set_year(&mut self, year: i32, arrangement: YearArrangement) {
        self.years.insert(year, arrangement);
        self.days_off = self
            .years
            .values()
            .flat_map(|y| y.days_off.iter().copied())
            .collect();
        self.make_up_days = self
            .years
            .values()
            .flat_map(|y| y.make_up_days.iter().copied())
            .collect();
    }

    /// Years whose arrangement is loaded.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    /// The arrangement loaded for the notice of `year`, if any (its days off may start in the
    /// previous calendar year, as 2023's New Year did).
    pub fn year(&self, year: i32) -> Option<&YearArrangement> {
        self.years.get(&year)
    }

    /// Whether the arrangement of `date`'s calendar year is loaded.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.years.contains_key(&date.year())
    }

    /// Whether `date` is a working day. Outside the loaded years this is the weekend rule only.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.make_up_days.contains(&date) {
            return true;
        }
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !self.days_off.contains(&date)
    }

    /// The `n`-th working day after `date` (DESIGN.md §3; `shared/calendar/vectors.md`).
    /// `date` itself never counts; `n = 0` answers `date`.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> WorkingDayResult {
        let mut d = date;
        let mut left = n;
        let mut provisional = false;
        while left > 0 {
            d = d + Days::new(1);
            provisional |= !self.covers(d);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        WorkingDayResult {
            date: d,
            provisional,
        }
    }
}

impl Calendar {
    /// The `n`-th working day before `date` (walking back from the day before; `date` itself
    /// never counts; `n = 0` answers `date`). Provisional as [`Calendar::add_working_days`].
    pub fn working_days_before(&self, date: NaiveDate, n: u32) -> WorkingDayResult {
        let mut d = date;
        let mut left = n;
        let mut provisional = false;
        while left > 0 {
            d = d - Days::new(1);
            provisional |= !self.covers(d);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        WorkingDayResult {
            date: d,
            provisional,
        }
    }

    /// Working days `d` with `from < d <= to`: how many working days late something done on `to`
    /// is when it was due on `from` (0 when `to <= from`). The second value is true when a day
    /// counted lies in a year whose arrangement is not loaded.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> (u32, bool) {
        let mut n = 0;
        let mut provisional = false;
        let mut d = from;
        while d < to {
            d = d + Days::new(1);
            provisional |= !self.covers(d);
            if self.is_working_day(d) {
                n += 1;
            }
        }
        (n, provisional)
    }
}

/// A date written `YYYY-MM-DD`, exactly: four digits of year, two of month and of day (spaces
/// around are ignored, full-width forms folded: [`crate::text::fold_width`]). A signed or longer
/// year (`+10000-01-01`, which chrono would read) is not a date anyone types into a form, and is
/// refused.
pub fn parse_ymd(s: &str) -> Option<NaiveDate> {
    let s = crate::text::fold_width(s);
    let s = s.as_str();
    let shape = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_typed_and_nothing_else() {
        assert_eq!(
            parse_ymd(" 2024-10-23 "),
            NaiveDate::from_ymd_opt(2024, 10, 23)
        );
        assert_eq!(
            parse_ymd("２０２４-０７-１８"),
            NaiveDate::from_ymd_opt(2024, 7, 18)
        );
        assert_eq!(
            parse_ymd("２０２４－０７－１８"),
            NaiveDate::from_ymd_opt(2024, 7, 18)
        );
        for bad in [
            "+10000-01-01",
            "10000-01-01",
            "2024-1-5",
            "2024/10/23",
            "2024-02-30",
            "",
        ] {
            assert_eq!(parse_ymd(bad), None, "{bad}");
        }
    }

    fn d(s: &str) -> NaiveDate {
        parse_ymd(s).unwrap()
    }

    /// Every vector of `shared/calendar/vectors.md`.
    #[test]
    fn official_vectors() {
        let cal = Calendar::shipped();
        for (from, n, want) in [
            ("2024-06-30", 5, "2024-07-05"),
            ("2024-12-31", 5, "2025-01-08"),
            ("2025-09-26", 5, "2025-10-10"),
            ("2024-04-30", 10, "2024-05-16"),
            ("2023-09-27", 7, "2023-10-12"),
            ("2025-04-25", 2, "2025-04-28"),
        ] {
            let got = cal.add_working_days(d(from), n);
            assert_eq!(got.date, d(want), "{from} + {n}");
            assert!(!got.provisional, "{from} + {n}");
        }
    }

    #[test]
    fn new_year_block_starting_in_previous_year_is_off() {
        let cal = Calendar::shipped();
        assert!(!cal.is_working_day(d("2022-12-31")));
        assert!(!cal.is_working_day(d("2023-01-02")));
        assert!(cal.is_working_day(d("2023-01-28")), "make-up Saturday");
    }

    #[test]
    fn unknown_year_is_provisional_weekends_only() {
        let cal = Calendar::shipped();
        let got = cal.add_working_days(d("2026-12-29"), 5);
        assert_eq!(got.date, d("2027-01-05"));
        assert!(got.provisional);
        let inside = cal.add_working_days(d("2026-12-21"), 5);
        assert_eq!(inside.date, d("2026-12-28"));
        assert!(!inside.provisional);
    }

    #[test]
    fn shipped_data_matches_notice_counts() {
        let cal = Calendar::shipped();
        assert_eq!(
            cal.years().collect::<Vec<_>>(),
            vec![2023, 2024, 2025, 2026]
        );
        let y2026 = &cal.years[&2026];
        assert_eq!(y2026.make_up_days.len(), 6);
        assert_eq!(y2026.days_off.len(), 3 + 9 + 3 + 5 + 3 + 3 + 7);
    }

    /// shared/cases B13: every expected due date, make-up days included; the last row needs the
    /// 2026 arrangement: without it the answer is flagged provisional, with it 2026-01-06.
    #[test]
    fn field_case_b13_make_up_days() {
        let cal = Calendar::shipped();
        let csv = include_str!("../tests/cases/B13_deadline_cases_2025.csv");
        let mut rows = 0;
        for line in csv.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let (from, n) = (d(f[0]), f[1].parse::<u32>().unwrap());
            if f[2].starts_with("CALENDAR_MISSING") {
                let without_2026 = Calendar::parse(
                    &SHIPPED
                        .lines()
                        .filter(|l| !l.starts_with("2026"))
                        .collect::<Vec<_>>()
                        .join("\n"),
                )
                .unwrap();
                let guess = without_2026.add_working_days(from, n);
                assert!(guess.provisional, "{line}");
                let known = cal.add_working_days(from, n);
                assert_eq!((known.date, known.provisional), (d("2026-01-06"), false));
            } else {
                let got = cal.add_working_days(from, n);
                assert_eq!(got.date, d(f[2]), "{line}");
                assert!(!got.provisional, "{line}");
            }
            rows += 1;
        }
        assert_eq!(rows, 8);
    }

    #[test]
    fn working_days_before_walks_back_over_holidays() {
        let cal = Calendar::shipped();
        // 3 working days before Wed 2024-10-09: Tue 10-08, then back over National Day to Sun
        // 09-29 (a make-up day) and Fri 09-27.
        assert_eq!(
            cal.working_days_before(d("2024-10-09"), 3).date,
            d("2024-09-29")
        );
        assert_eq!(
            cal.working_days_before(d("2024-07-05"), 5).date,
            d("2024-06-28")
        );
        assert_eq!(
            cal.working_days_before(d("2024-07-05"), 0).date,
            d("2024-07-05")
        );
    }

    #[test]
    fn working_days_between_counts_late_days() {
        let cal = Calendar::shipped();
        // Due Sat 2024-03-30; handed in Wed 2024-04-03: Mon 1, Tue 2, Wed 3 (Apr 4-6 are off).
        assert_eq!(
            cal.working_days_between(d("2024-03-30"), d("2024-04-03")),
            (3, false)
        );
        assert_eq!(
            cal.working_days_between(d("2024-04-03"), d("2024-04-07")),
            (1, false),
            "make-up Sunday"
        );
        assert_eq!(
            cal.working_days_between(d("2024-04-03"), d("2024-04-03")),
            (0, false)
        );
        assert_eq!(
            cal.working_days_between(d("2024-04-03"), d("2024-04-01")),
            (0, false)
        );
    }

    #[test]
    fn diff_lists_what_changes() {
        let cal = Calendar::shipped();
        let old = cal.year(2025).unwrap().clone();
        assert!(old.diff(&old).is_empty());
        let mut new = old.clone();
        new.days_off.remove(&d("2025-01-01"));
        new.make_up_days.insert(d("2025-01-04"));
        let diff = old.diff(&new);
        assert_eq!(diff.days_off_removed, vec![d("2025-01-01")]);
        assert_eq!(diff.make_up_added, vec![d("2025-01-04")]);
        assert!(diff.days_off_added.is_empty() && diff.make_up_removed.is_empty());
    }

    #[test]
    fn bad_data_names_the_line() {
        let err = Calendar::parse("2024 off 2024-01-01\n2024 of 2024-02-01\n").unwrap_err();
        assert_eq!(err.line, 2);
    }
}
