//! Today's date for the application. Domain code never reads the clock: handlers take today from
//! here and pass it in. Civil dates are Asia/Shanghai whatever the server's time zone.

use chrono::{NaiveDate, Utc};
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
            Clock::System => Utc::now().with_timezone(&Shanghai).date_naive(),
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
