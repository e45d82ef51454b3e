//! Today's date for the application. Domain code never reads the clock: handlers take today from
//! here and pass it in. Civil dates are Asia/Shanghai whatever the server's time zone.

use chrono::{DateTime, NaiveDate, Utc};
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

    use super::civil_date;

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
