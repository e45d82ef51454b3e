//! Today's date for the application. Domain code never reads the clock: handlers take today from
//! here and pass it in. Civil dates are Asia/Shanghai whatever the server's time zone.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Asia::Shanghai;

/// Where today comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The real date in Asia/Shanghai.
    System,
    /// A fixed date (demos, `--today`): shown with a banner.
    Fixed(NaiveDate),
}

impl Clock {
    /// Today's civil date in Asia/Shanghai (or the fixed date).
    pub fn today(&self) -> NaiveDate {
        match self {
            Clock::System => civil_date(Utc::now()),
            Clock::Fixed(d) => *d,
        }
    }

    /// The fixed date, when the clock is fixed.
    pub fn fixed(&self) -> Option<NaiveDate> {
        match self {
            Clock::System => None,
            Clock::Fixed(d) => Some(*d),
        }
    }

    /// A stored instant (UTC text) as shown next to today's date — a finding's handling log, an
    /// upload, a version: Beijing time `YYYY-MM-DD HH:MM:SS`, in the same frame as the banner and
    /// the deadlines (issue #18 point 10). Under the real clock it is the real Beijing time. Under a
    /// fixed clock the date moves with the demo: an instant of real day D shows on the fixed date
    /// plus (D − the real today), the time of day kept, so that what happens today shows today
    /// and yesterday's record yesterday. The audit trail is not shown through this: it keeps the
    /// real time and says so (系统时间, [`crate::audit_trail::beijing_time`]). Unreadable text is
    /// shown as is.
    pub fn shown_time(&self, at: &str) -> String {
        self.shown(at, civil_date(Utc::now()), "%Y-%m-%d %H:%M:%S")
    }

    /// [`Clock::shown_time`] to the minute, `YYYY-MM-DD HH:MM` (attachment lists).
    pub fn shown_minute(&self, at: &str) -> String {
        self.shown(at, civil_date(Utc::now()), "%Y-%m-%d %H:%M")
    }

    /// [`Clock::shown_time`] with the real today given, in `format`.
    fn shown(&self, at: &str, real_today: NaiveDate, format: &str) -> String {
        let Ok(instant) = at.parse::<DateTime<Utc>>() else {
            return at.to_string();
        };
        let local: NaiveDateTime = instant.with_timezone(&Shanghai).naive_local();
        let local = match self {
            Clock::System => local,
            Clock::Fixed(fixed) => local + (*fixed - real_today),
        };
        local.format(format).to_string()
    }
}

/// The civil date in Asia/Shanghai (UTC+8, no daylight saving) of an instant: the same whatever
/// the server's time zone, so that "due today" turns overdue at Beijing midnight
/// (shared/cases B15/B16).
pub fn civil_date(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&Shanghai).date_naive()
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, NaiveDate, Utc};
    use safeduty_core::finding::is_overdue;

    use super::{Clock, civil_date};

    /// Issue #18 point 10: under a fixed clock (2024-06-20) a record made at 10:03 Beijing time
    /// on the real today (2026-12-05) shows on 2024-06-20 at 10:03, one of the real yesterday on
    /// 2024-06-19; under the real clock the real time shows.
    #[test]
    fn shown_times_follow_the_fixed_clock() {
        let real_today: NaiveDate = "2026-12-05".parse().unwrap();
        let fixed = Clock::Fixed("2024-06-20".parse().unwrap());
        let f = "%Y-%m-%d %H:%M:%S";
        assert_eq!(
            fixed.shown("2026-12-05T02:03:04Z", real_today, f),
            "2024-06-20 10:03:04"
        );
        assert_eq!(
            fixed.shown("2026-12-04T02:03:04Z", real_today, f),
            "2024-06-19 10:03:04"
        );
        assert_eq!(
            Clock::System.shown("2026-12-05T02:03:04Z", real_today, f),
            "2026-12-05 10:03:04"
        );
        assert_eq!(fixed.shown("not a time", real_today, f), "not a time");
    }

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339)
            .unwrap()
            .with_timezone(&Utc)
    }

    /// B16: a finding due 2025-03-10, with the clock at four Beijing times. The test gives the
    /// same answers under TZ=UTC and TZ=Asia/Shanghai (`.ci/run` runs it under both).
    #[test]
    fn overdue_turns_at_beijing_midnight() {
        let due: NaiveDate = "2025-03-10".parse().unwrap();
        for (beijing, overdue) in [
            ("2025-03-10T00:00:01+08:00", false),
            ("2025-03-10T23:59:59+08:00", false),
            ("2025-03-11T00:00:01+08:00", true),
            ("2025-03-11T07:59:59+08:00", true),
        ] {
            let today = civil_date(at(beijing));
            assert_eq!(is_overdue(true, due, today), overdue, "{beijing}");
        }
        assert_eq!(
            civil_date(at("2025-03-10T16:00:03Z")).to_string(),
            "2025-03-11"
        );
    }
}
