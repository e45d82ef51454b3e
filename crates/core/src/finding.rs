//! Findings (问题隐患): rules about their time limits, the ledger's fields ([`ledger`]) and the
//! closed loop as a state machine ([`lifecycle`]).

use chrono::NaiveDate;

pub mod ledger;
pub mod lifecycle;

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
    /// The limit lies after the campaign's last day, by which the plan wants every finding fixed.
    #[error(
        "整改期限{due_on}晚于专项治理结束日期{campaign_end}（方案要求巩固提升阶段全面完成整改）"
    )]
    AfterCampaign {
        /// Last day of the campaign.
        campaign_end: NaiveDate,
        /// The refused limit.
        due_on: NaiveDate,
    },
    /// No reason given for the change (or one that cannot be stored).
    #[error("请填写调整整改期限的理由")]
    NoReason,
}

impl From<TimeLimitError> for crate::refusal::Refusal {
    fn from(e: TimeLimitError) -> Self {
        crate::refusal::Refusal::invalid(e.to_string()).on("due_on")
    }
}

/// Longest reason for a change, in characters.
pub const REASON_MAX_CHARS: usize = 500;

/// Checks a change of a finding's time limit: a reason is required (it goes to the audit trail);
/// the new limit may be any day from the opening day (a limit already passed is allowed: it makes
/// the finding overdue) to the campaign's last day — the Qingxiu plan's 巩固提升 phase asks that
/// every finding of the campaign be fixed by then (plan §四, 第四阶段).
///
/// # Errors
/// [`TimeLimitError`] saying which bound or the reason.
pub fn check_time_limit(
    opened_on: NaiveDate,
    due_on: NaiveDate,
    campaign_end: Option<NaiveDate>,
    reason: &str,
) -> Result<(), TimeLimitError> {
    if !valid_reason(reason) {
        return Err(TimeLimitError::NoReason);
    }
    check_bounds(opened_on, due_on, campaign_end)
}

/// Whether `reason` is a reason we keep: not blank, at most [`REASON_MAX_CHARS`] characters, no
/// control characters (it goes to the audit trail and the finding's history).
pub fn valid_reason(reason: &str) -> bool {
    let reason = reason.trim();
    !reason.is_empty()
        && reason.chars().count() <= REASON_MAX_CHARS
        && !crate::text::has_control_chars(reason)
}

/// The bounds of a time limit (of [`check_time_limit`]) without the reason: from the opening day
/// to the campaign's last day. Used for a finding an officer opens with a date.
///
/// # Errors
/// [`TimeLimitError::BeforeOpened`], [`TimeLimitError::AfterCampaign`].
pub fn check_bounds(
    opened_on: NaiveDate,
    due_on: NaiveDate,
    campaign_end: Option<NaiveDate>,
) -> Result<(), TimeLimitError> {
    if due_on < opened_on {
        return Err(TimeLimitError::BeforeOpened { opened_on, due_on });
    }
    if let Some(campaign_end) = campaign_end
        && due_on > campaign_end
    {
        return Err(TimeLimitError::AfterCampaign {
            campaign_end,
            due_on,
        });
    }
    Ok(())
}

/// Whether an open finding with time limit `due_on` is overdue on `today` (a civil date in
/// Asia/Shanghai): due today is not overdue until the day is over (shared/cases B15/B16).
/// Computed wherever it is shown, never stored (DESIGN.md §3). "Open" is
/// [`lifecycle::Status::is_open`]: every state but closed, submitted for verification included
/// (the finding is not fixed until verified). The store's SQL form of this rule is
/// `safeduty_store::findings::overdue_condition`.
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
    fn limit_within_the_campaign_with_a_reason() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let end = Some(d("2024-12-31"));
        assert!(check_time_limit(d("2024-06-20"), d("2024-06-20"), end, "设备到货").is_ok());
        assert!(check_time_limit(d("2024-06-20"), d("2024-12-31"), end, "设备到货").is_ok());
        assert_eq!(
            check_time_limit(d("2024-06-20"), d("2024-06-19"), end, "x")
                .unwrap_err()
                .to_string(),
            "整改期限2024-06-19早于发现日期2024-06-20"
        );
        assert!(matches!(
            check_time_limit(d("2024-06-20"), d("9999-12-31"), end, "x"),
            Err(TimeLimitError::AfterCampaign { .. })
        ));
        assert_eq!(
            check_time_limit(d("2024-06-20"), d("2024-07-01"), end, "  "),
            Err(TimeLimitError::NoReason)
        );
        assert_eq!(
            check_time_limit(d("2024-06-20"), d("2024-07-01"), end, "a\u{0}"),
            Err(TimeLimitError::NoReason)
        );
    }
}
