//! Findings (问题隐患): rules about their time limits.

use chrono::NaiveDate;

/// Why a time limit is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeLimitError {
    /// The limit lies before the day the finding was opened.
    #[error("整改期限{due_on}早于发现日期{opened_on}")]
    BeforeOpened {
        /// Day the finding was opened.
        opened_on: NaiveDate,
        /// The refused limit.
        due_on: NaiveDate,
    },
}

/// Checks a new time limit for a finding opened on `opened_on`: it may be any day from the
/// opening day on (a limit already passed is allowed: it makes the finding overdue).
///
/// # Errors
/// [`TimeLimitError::BeforeOpened`].
pub fn check_time_limit(opened_on: NaiveDate, due_on: NaiveDate) -> Result<(), TimeLimitError> {
    if due_on < opened_on {
        return Err(TimeLimitError::BeforeOpened { opened_on, due_on });
    }
    Ok(())
}

/// Whether an open finding with time limit `due_on` is overdue on `today` (a civil date in
/// Asia/Shanghai): due today is not overdue until the day is over (shared/cases B15/B16).
/// Computed wherever it is shown, never stored (DESIGN.md §3).
pub fn is_overdue(open: bool, due_on: NaiveDate, today: NaiveDate) -> bool {
    open && due_on < today
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_today_is_not_overdue() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert!(!is_overdue(true, d("2025-03-10"), d("2025-03-10")));
        assert!(is_overdue(true, d("2025-03-10"), d("2025-03-11")));
        assert!(!is_overdue(false, d("2025-03-10"), d("2025-03-11")));
    }

    #[test]
    fn limit_from_the_opening_day_on() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert!(check_time_limit(d("2024-06-20"), d("2024-06-20")).is_ok());
        assert_eq!(
            check_time_limit(d("2024-06-20"), d("2024-06-19"))
                .unwrap_err()
                .to_string(),
            "整改期限2024-06-19早于发现日期2024-06-20"
        );
    }
}
