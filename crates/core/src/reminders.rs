//! Reminders about deadlines (issue #4): a reminder N working days before a deadline, and one the
//! day after it passed; an overdue finding is escalated to the enterprise's principal person and
//! to its supervising units (plan item 30: 对于迟迟未整改完成的事故隐患，及时向主要负责人报告).
//!
//! A job that missed a day still sends what is due (everything from the reminder day on counts),
//! and each reminder is identified by (subject, kind, recipient) so that it is made once, however
//! often or on however many nodes the job runs.

use chrono::NaiveDate;

use crate::calendar::Calendar;

/// Default number of working days before a deadline when the first reminder goes out.
pub const DEFAULT_DAYS_BEFORE: u32 = 3;

/// Kinds of reminders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReminderKind {
    /// The deadline is near.
    DueSoon,
    /// The deadline has passed.
    Overdue,
    /// Something happened to the reader's own account that its owner must know of at once, such
    /// as a password reset by an administrator (issue #16 point 1); no deadline.
    AccountNotice,
    /// The committee office's daily digest of what is overdue in its region (issue #18 point 6):
    /// one entry a day, not one per item.
    Digest,
    /// A major finding put under supervision (挂牌督办), reported to the committee office (issue
    /// #18 point 4).
    Supervision,
    /// A request waiting for the committee office's approval: a major finding's downgrade.
    Approval,
}

impl ReminderKind {
    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            ReminderKind::DueSoon => "due_soon",
            ReminderKind::Overdue => "overdue",
            ReminderKind::AccountNotice => "account_notice",
            ReminderKind::Digest => "digest",
            ReminderKind::Supervision => "supervision",
            ReminderKind::Approval => "approval",
        }
    }

    /// The label of a stored code; 提醒 for a code this version does not know (a newer node's).
    pub fn label_of(code: &str) -> &'static str {
        ReminderKind::from_code(code).map_or("提醒", ReminderKind::label)
    }

    /// Parses a stored [`Self::code`].
    pub fn from_code(code: &str) -> Option<ReminderKind> {
        [
            ReminderKind::DueSoon,
            ReminderKind::Overdue,
            ReminderKind::AccountNotice,
            ReminderKind::Digest,
            ReminderKind::Supervision,
            ReminderKind::Approval,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }

    /// Label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            ReminderKind::DueSoon => "即将到期",
            ReminderKind::Overdue => "已逾期",
            ReminderKind::AccountNotice => "账号安全",
            ReminderKind::Digest => "逾期汇总",
            ReminderKind::Supervision => "挂牌督办",
            ReminderKind::Approval => "待审批",
        }
    }
}

/// The reminder due by `today` for something still open with deadline `due`: `DueSoon` from the
/// `days_before`-th working day before the deadline up to the deadline itself, `Overdue` from the
/// day after the deadline on (a deadline is not passed until its day is over).
pub fn reminder_due(
    due: NaiveDate,
    today: NaiveDate,
    days_before: u32,
    calendar: &Calendar,
) -> Option<ReminderKind> {
    if today > due {
        Some(ReminderKind::Overdue)
    } else if today >= calendar.working_days_before(due, days_before).date {
        Some(ReminderKind::DueSoon)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn soon_then_overdue_the_day_after() {
        let cal = Calendar::shipped();
        let due = d("2024-07-05");
        assert!(reminder_due(due, d("2024-07-01"), 3, &cal).is_none());
        assert_eq!(
            reminder_due(due, d("2024-07-02"), 3, &cal),
            Some(ReminderKind::DueSoon)
        );
        assert_eq!(
            reminder_due(due, d("2024-07-05"), 3, &cal),
            Some(ReminderKind::DueSoon)
        );
        assert_eq!(
            reminder_due(due, d("2024-07-06"), 3, &cal),
            Some(ReminderKind::Overdue)
        );
        assert_eq!(
            reminder_due(due, d("2024-09-01"), 3, &cal),
            Some(ReminderKind::Overdue)
        );
    }

    #[test]
    fn reminder_day_counts_working_days_over_holidays() {
        let cal = Calendar::shipped();
        // Due Wed 2024-10-09: 3 working days before is the make-up Sunday 2024-09-29.
        let due = d("2024-10-09");
        assert!(reminder_due(due, d("2024-09-28"), 3, &cal).is_none());
        assert_eq!(
            reminder_due(due, d("2024-09-29"), 3, &cal),
            Some(ReminderKind::DueSoon)
        );
    }
}
