//! The correction order (责令限期整改指令书): the findings it covers, its time limit in working
//! days, the enterprise's report that the work is done, its requests for more time, and when the
//! re-inspection (整改复查) is due.
//!
//! The re-inspection window (commonly 10 days after the time limit or after the enterprise's
//! completion report, 安全生产执法程序规定 — not verified, research notes §2) is rule data with an
//! effective date: it is a parameter here.

use chrono::NaiveDate;

use super::TextRule;
use super::officers::{Officer, check_team};
use super::reinspection::ReInspectionResult;
use super::rules::Span;
use crate::calendar::{Calendar, WorkingDayResult};
use crate::coded::coded;
use crate::refusal::Refusal;

/// Longest reason of an extension request or refusal, in characters.
pub const REASON_MAX_CHARS: usize = 500;

/// The farthest a correction time limit, or an extension of it, may reach: 366 days after the
/// order's issue date or the time limit extended. A bound on input (a typo of `99999999`
/// working days walked the calendar for minutes and then overflowed), not a rule of law: no
/// statute sets one, and a correction that needs longer is a new order.
pub const MAX_REACH_DAYS: u64 = 366;

/// Most working days a time limit may be given in (a year of working days, [`MAX_REACH_DAYS`]).
pub const MAX_WORKING_DAYS: u32 = 250;

/// The time limit of an order issued on `issued_on` with `working_days` to correct: the
/// `working_days`-th working day after the issue date (DESIGN.md §3; the issue date never
/// counts), provisional when the walk leaves the loaded holiday arrangements.
///
/// # Errors
/// Invalid, field `due_on`, for 0 or more than [`MAX_WORKING_DAYS`] working days.
pub fn time_limit(
    calendar: &Calendar,
    issued_on: NaiveDate,
    working_days: u32,
) -> Result<WorkingDayResult, Refusal> {
    if working_days == 0 || working_days > MAX_WORKING_DAYS {
        return Err(
            Refusal::invalid(format!("整改期限的工作日数须在1至{MAX_WORKING_DAYS}之间"))
                .on("due_on"),
        );
    }
    Ok(calendar.add_working_days(issued_on, working_days))
}

/// The last day `from` may be moved to: [`MAX_REACH_DAYS`] later.
fn reach_of(from: NaiveDate) -> NaiveDate {
    from.checked_add_days(chrono::Days::new(MAX_REACH_DAYS))
        .unwrap_or(NaiveDate::MAX)
}

/// Checks the dates of an order: the issue date not after `today`, and the time limit (整改期限)
/// not before the issue date and not already past (`due_on` = `today` is allowed).
///
/// # Errors
/// Invalid, field `issued_on`: “指令书下达日期不能晚于今天”; field `due_on`:
/// “整改期限不能早于指令书下达日期”, “整改期限{due}已经过去，请重新确定”.
pub fn check_time_limit(
    issued_on: NaiveDate,
    due_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), Refusal> {
    if issued_on > today {
        return Err(Refusal::invalid("指令书下达日期不能晚于今天").on("issued_on"));
    }
    if due_on < issued_on {
        return Err(Refusal::invalid("整改期限不能早于指令书下达日期").on("due_on"));
    }
    if due_on < today {
        return Err(Refusal::invalid(format!("整改期限{due_on}已经过去，请重新确定")).on("due_on"));
    }
    let reach = reach_of(issued_on);
    if due_on > reach {
        return Err(Refusal::invalid(format!(
            "整改期限不能晚于{reach}（下达之日起{MAX_REACH_DAYS}日内）"
        ))
        .on("due_on"));
    }
    Ok(())
}

/// Checks the findings an order covers (ids in the findings ledger): at least one, none twice.
///
/// # Errors
/// Invalid, field `findings`: “责令限期整改指令书须列明至少一项问题隐患”,
/// “同一问题隐患在指令书中重复列出”.
pub fn check_findings(finding_ids: &[i64]) -> Result<(), Refusal> {
    if finding_ids.is_empty() {
        return Err(Refusal::invalid("责令限期整改指令书须列明至少一项问题隐患").on("findings"));
    }
    for (i, id) in finding_ids.iter().enumerate() {
        if finding_ids[..i].contains(id) {
            return Err(Refusal::invalid("同一问题隐患在指令书中重复列出").on("findings"));
        }
    }
    Ok(())
}

/// A correction order as entered: signed by two certified officers on its issue date, listing
/// the findings to correct by its time limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderInput {
    /// Day of issue.
    pub issued_on: NaiveDate,
    /// Time limit (整改期限): usually [`time_limit`] of the working days chosen.
    pub due_on: NaiveDate,
    /// The findings it covers (ids in the findings ledger).
    pub finding_ids: Vec<i64>,
    /// The officers who sign it.
    pub officers: Vec<Officer>,
}

impl OrderInput {
    /// Checks the order on `today`: [`check_time_limit`], [`check_findings`], then the officers
    /// on the issue date ([`check_team`], field `officers`).
    ///
    /// # Errors
    /// The first refusal of those checks.
    pub fn check(&self, today: NaiveDate) -> Result<(), Refusal> {
        check_time_limit(self.issued_on, self.due_on, today)?;
        check_findings(&self.finding_ids)?;
        check_team(&self.officers, self.issued_on)
    }
}

coded!(
    /// Where an extension request stands.
    #[serde(rename_all = "snake_case")]
    ExtensionStatus {
        /// Requested by the enterprise, not yet decided (已申请).
        Requested = ("requested", "已申请"),
        /// Approved: the time limit moved (已批准).
        Approved = ("approved", "已批准"),
        /// Refused, with a reason (已驳回).
        Refused = ("refused", "已驳回"),
    }
);

const REQUEST_REASON: TextRule = TextRule::block("延期理由", "reason", REASON_MAX_CHARS);
const REFUSAL_REASON: TextRule = TextRule::block("驳回理由", "reason", REASON_MAX_CHARS);

fn check_requested_due(current_due: NaiveDate, requested_due: NaiveDate) -> Result<(), Refusal> {
    if requested_due <= current_due {
        return Err(
            Refusal::invalid(format!("申请延期后的整改期限须晚于原整改期限{current_due}"))
                .on("requested_due"),
        );
    }
    let reach = reach_of(current_due);
    if requested_due > reach {
        return Err(Refusal::invalid(format!(
            "申请延期后的整改期限不能晚于{reach}（原整改期限后{MAX_REACH_DAYS}日内）"
        ))
        .on("requested_due"));
    }
    Ok(())
}

/// Checks an enterprise's request for more time (延期整改申请) and answers its reason trimmed.
///
/// # Errors
/// Invalid, field `requested_due`: not after the current time limit (“申请延期后的整改期限须
/// 晚于原整改期限{current_due}”); field `reason`: blank (“请填写延期理由”), over 500
/// characters, control characters.
pub fn check_extension_request(
    current_due: NaiveDate,
    requested_due: NaiveDate,
    reason: &str,
) -> Result<String, Refusal> {
    check_requested_due(current_due, requested_due)?;
    REQUEST_REASON.clean(reason)
}

/// The decision on an extension request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtensionDecision {
    /// Approved: the order's (and its findings') time limit becomes `new_due`.
    Approved {
        /// The new time limit: the date requested.
        new_due: NaiveDate,
    },
    /// Refused: the time limit stays.
    Refused {
        /// Why, trimmed.
        reason: String,
    },
}

impl ExtensionDecision {
    /// The request's status after the decision.
    pub fn status(&self) -> ExtensionStatus {
        match self {
            ExtensionDecision::Approved { .. } => ExtensionStatus::Approved,
            ExtensionDecision::Refused { .. } => ExtensionStatus::Refused,
        }
    }
}

/// Decides a request to move the time limit from `current_due` to `requested_due`. An approval
/// takes the date requested; a refusal needs a reason (an approval's reason may be blank).
/// Deciding only a request still [`ExtensionStatus::Requested`] is the caller's guard.
///
/// # Errors
/// Invalid, field `requested_due`: not after the current time limit (“申请延期后的整改期限须
/// 晚于原整改期限{current_due}”); field `reason`: a refusal without a reason
/// (“请填写驳回理由”), over 500 characters, control characters.
pub fn decide_extension(
    current_due: NaiveDate,
    requested_due: NaiveDate,
    approve: bool,
    reason: &str,
) -> Result<ExtensionDecision, Refusal> {
    check_requested_due(current_due, requested_due)?;
    if approve {
        REFUSAL_REASON.optional().clean(reason)?;
        Ok(ExtensionDecision::Approved {
            new_due: requested_due,
        })
    } else {
        Ok(ExtensionDecision::Refused {
            reason: REFUSAL_REASON.clean(reason)?,
        })
    }
}

coded!(
    /// Where a correction order stands. The re-inspection ends it, corrected or not.
    #[serde(rename_all = "snake_case")]
    OrderStatus {
        /// Issued, the enterprise correcting (已下达).
        Issued = ("issued", "已下达"),
        /// The enterprise reported the work done (已报告整改完毕).
        CompletionReported = ("completion_reported", "已报告整改完毕"),
        /// Re-inspected, everything corrected: the order is closed (已复查，已整改).
        Corrected = ("corrected", "已复查（已整改）"),
        /// Re-inspected, something not corrected: referred for a case (已复查，未整改).
        NotCorrected = ("not_corrected", "已复查（未整改）"),
    }
);

/// What happens to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderEvent {
    /// The enterprise reports the work done.
    ReportCompletion,
    /// The officers re-inspect, with the order's overall result.
    ReInspect(ReInspectionResult),
}

impl OrderStatus {
    /// Whether the order still waits for its re-inspection.
    pub fn is_open(self) -> bool {
        matches!(self, OrderStatus::Issued | OrderStatus::CompletionReported)
    }

    /// The status after `event`. The enterprise reports completion once, while issued; the
    /// re-inspection follows a completion report or the time limit (an enterprise that never
    /// reports is re-inspected all the same) and ends the order.
    ///
    /// # Errors
    /// Conflict: a second completion report (“已报告整改完毕，不能重复报告”); anything after the
    /// re-inspection (“指令书已复查，不能再变更”).
    pub fn next(self, event: OrderEvent) -> Result<OrderStatus, Refusal> {
        match (self, event) {
            (OrderStatus::Corrected | OrderStatus::NotCorrected, _) => {
                Err(Refusal::conflict("指令书已复查，不能再变更"))
            }
            (OrderStatus::Issued, OrderEvent::ReportCompletion) => {
                Ok(OrderStatus::CompletionReported)
            }
            (OrderStatus::CompletionReported, OrderEvent::ReportCompletion) => {
                Err(Refusal::conflict("已报告整改完毕，不能重复报告"))
            }
            (_, OrderEvent::ReInspect(ReInspectionResult::Corrected)) => Ok(OrderStatus::Corrected),
            (_, OrderEvent::ReInspect(ReInspectionResult::NotCorrected)) => {
                Ok(OrderStatus::NotCorrected)
            }
        }
    }
}

/// The day the re-inspection is due: `within` (the rule in force, `rules::Span`) after the
/// enterprise's completion report when it came before the time limit, else after the time limit
/// (a late report does not push the re-inspection later); provisional as
/// [`Calendar::add_working_days`] for a span in working days.
pub fn re_inspection_due(
    time_limit: NaiveDate,
    completion_reported_on: Option<NaiveDate>,
    within: Span,
    calendar: &Calendar,
) -> WorkingDayResult {
    let from = completion_reported_on.map_or(time_limit, |c| c.min(time_limit));
    within.last_day(from, calendar)
}

/// Whether a time limit or a re-inspection due on `due` is overdue on `today`: due today is not
/// overdue until the day is over, as [`crate::finding::is_overdue`] for an open finding.
pub fn is_overdue(due: NaiveDate, today: NaiveDate) -> bool {
    crate::finding::is_overdue(true, due, today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enforcement::officers::tests::d;
    use crate::refusal::RefusalKind;

    fn limit(issued: &str, n: u32) -> (NaiveDate, bool) {
        let r = time_limit(&Calendar::shipped(), d(issued), n).unwrap();
        (r.date, r.provisional)
    }

    /// Time limits with the shipped calendar (`crates/core/calendar/cn-2023-2026.txt`).
    #[test]
    fn time_limits_over_holidays() {
        // Fri 2024-09-27 + 15: Sun 09-29 (make-up) 1, Mon 09-30 2, National Day 10-01..07 off,
        // 10-08..11 3–6, Sat 10-12 (make-up) 7, 10-14..18 8–12, 10-21..23 13–15.
        assert_eq!(limit("2024-09-27", 15), (d("2024-10-23"), false));
        // Fri 2025-01-24 + 10 across Spring Festival 2025 (off 01-28..02-04): Sun 01-26 (make-up)
        // 1, Mon 01-27 2, 02-05..07 3–5, Sat 02-08 (make-up) 6, 02-10..13 7–10.
        assert_eq!(limit("2025-01-24", 10), (d("2025-02-13"), false));
        // Mon 2024-12-30 + 5 across New Year 2025 (off 01-01), a year change: Tue 12-31 1,
        // Thu 01-02 2, Fri 01-03 3, Mon 01-06 4, Tue 01-07 5.
        assert_eq!(limit("2024-12-30", 5), (d("2025-01-07"), false));
        // Wed 2025-12-31 + 3 across New Year 2026 (off 01-01..03): Sun 01-04 (make-up) 1,
        // Mon 01-05 2, Tue 01-06 3.
        assert_eq!(limit("2025-12-31", 3), (d("2026-01-06"), false));
        // Fri 2026-02-13 + 6 across Spring Festival 2026 (off 02-15..23): Sat 02-14 (make-up) 1,
        // 02-24..27 2–5, Sat 02-28 (make-up) 6: the limit falls on a make-up Saturday.
        assert_eq!(limit("2026-02-13", 6), (d("2026-02-28"), false));
        // Fri 2024-09-13 + 1: Sat 09-14 is the make-up day before Mid-Autumn 2024.
        assert_eq!(limit("2024-09-13", 1), (d("2024-09-14"), false));
        // Thu 2026-12-31 + 3 walks into 2027, not loaded: weekends only, provisional
        // (Fri 01-01 1, Mon 01-04 2, Tue 01-05 3).
        assert_eq!(limit("2026-12-31", 3), (d("2027-01-05"), true));
        // No working days is no time limit (refused, see `time_limit_dates`).
        assert!(time_limit(&Calendar::shipped(), d("2024-10-01"), 0).is_err());
    }

    fn refusal(r: Result<impl std::fmt::Debug, Refusal>) -> (String, Option<&'static str>) {
        let r = r.unwrap_err();
        (r.message().to_string(), r.field())
    }

    #[test]
    fn time_limit_dates() {
        let today = d("2024-09-27");
        assert!(check_time_limit(today, d("2024-10-23"), today).is_ok());
        // Due the day of issue is allowed (to correct at once).
        assert!(check_time_limit(today, today, today).is_ok());
        assert_eq!(
            refusal(check_time_limit(today, d("2024-09-26"), today)),
            ("整改期限不能早于指令书下达日期".into(), Some("due_on"))
        );
        // Recorded later: a limit that already passed is refused, one due today is not.
        let issued = d("2024-09-20");
        assert_eq!(
            refusal(check_time_limit(issued, d("2024-09-26"), today)),
            (
                "整改期限2024-09-26已经过去，请重新确定".into(),
                Some("due_on")
            )
        );
        assert!(check_time_limit(issued, today, today).is_ok());
        assert_eq!(
            refusal(check_time_limit(d("2024-09-28"), d("2024-10-23"), today)),
            ("指令书下达日期不能晚于今天".into(), Some("issued_on"))
        );
        // Reach: a year after the issue date at most, in working days or as a date.
        assert!(check_time_limit(today, d("2025-09-28"), today).is_ok());
        assert_eq!(
            refusal(check_time_limit(today, d("2025-09-29"), today)),
            (
                "整改期限不能晚于2025-09-28（下达之日起366日内）".into(),
                Some("due_on")
            )
        );
        assert_eq!(
            refusal(check_time_limit(today, NaiveDate::MAX, today)).1,
            Some("due_on")
        );
        for n in [0, 251, 99_999_999] {
            assert_eq!(
                refusal(time_limit(&Calendar::shipped(), today, n).map(|_| ())),
                ("整改期限的工作日数须在1至250之间".into(), Some("due_on")),
                "{n}"
            );
        }
        assert!(time_limit(&Calendar::shipped(), today, 250).is_ok());
        assert_eq!(
            refusal(check_extension_request(today, d("2025-09-29"), "理由").map(|_| ())),
            (
                "申请延期后的整改期限不能晚于2025-09-28（原整改期限后366日内）".into(),
                Some("requested_due")
            )
        );
    }

    #[test]
    fn an_order_covers_findings() {
        assert!(check_findings(&[12]).is_ok());
        assert!(check_findings(&[12, 13]).is_ok());
        assert_eq!(
            refusal(check_findings(&[])),
            (
                "责令限期整改指令书须列明至少一项问题隐患".into(),
                Some("findings")
            )
        );
        assert_eq!(
            refusal(check_findings(&[12, 13, 12])),
            ("同一问题隐患在指令书中重复列出".into(), Some("findings"))
        );
    }

    #[test]
    fn an_order_as_a_whole() {
        let today = d("2024-09-27");
        let order = OrderInput {
            issued_on: today,
            due_on: d("2024-10-23"),
            finding_ids: vec![41, 42],
            officers: crate::enforcement::officers::tests::team(),
        };
        assert!(order.check(today).is_ok());
        let mut o = order.clone();
        o.finding_ids.clear();
        assert_eq!(refusal(o.check(today)).1, Some("findings"));
        let mut o = order.clone();
        o.due_on = d("2024-09-26");
        assert_eq!(refusal(o.check(today)).1, Some("due_on"));
        let mut o = order.clone();
        o.officers.pop();
        assert_eq!(
            refusal(o.check(today)),
            ("执法人员不少于两名，现列出1名".into(), Some("officers"))
        );
    }

    #[test]
    fn extension_codes() {
        let e: Vec<_> = ExtensionStatus::ALL
            .iter()
            .map(|s| (s.code(), s.label()))
            .collect();
        assert_eq!(
            e,
            vec![
                ("requested", "已申请"),
                ("approved", "已批准"),
                ("refused", "已驳回")
            ]
        );
    }

    #[test]
    fn extension_requests() {
        let due = d("2024-10-23");
        assert_eq!(
            check_extension_request(due, d("2024-10-24"), " 设备到货延迟 ").unwrap(),
            "设备到货延迟"
        );
        assert_eq!(
            refusal(check_extension_request(due, due, "设备到货延迟")),
            (
                "申请延期后的整改期限须晚于原整改期限2024-10-23".into(),
                Some("requested_due")
            )
        );
        assert_eq!(
            refusal(check_extension_request(due, d("2024-11-10"), "  ")),
            ("请填写延期理由".into(), Some("reason"))
        );
        assert!(check_extension_request(due, d("2024-11-10"), &"由".repeat(500)).is_ok());
        assert_eq!(
            refusal(check_extension_request(
                due,
                d("2024-11-10"),
                &"由".repeat(501)
            )),
            ("延期理由不能超过500个字".into(), Some("reason"))
        );
    }

    #[test]
    fn extension_decisions() {
        let due = d("2024-10-23");
        let approved = decide_extension(due, d("2024-11-08"), true, "").unwrap();
        assert_eq!(
            approved,
            ExtensionDecision::Approved {
                new_due: d("2024-11-08")
            }
        );
        assert_eq!(approved.status(), ExtensionStatus::Approved);
        let refused = decide_extension(due, d("2024-11-08"), false, " 整改难度不大 ").unwrap();
        assert_eq!(
            refused,
            ExtensionDecision::Refused {
                reason: "整改难度不大".into()
            }
        );
        assert_eq!(refused.status(), ExtensionStatus::Refused);
        assert_eq!(
            refusal(decide_extension(due, d("2024-11-08"), false, " ")),
            ("请填写驳回理由".into(), Some("reason"))
        );
        assert_eq!(
            refusal(decide_extension(due, d("2024-10-22"), true, "")),
            (
                "申请延期后的整改期限须晚于原整改期限2024-10-23".into(),
                Some("requested_due")
            )
        );
    }

    #[test]
    fn order_status_codes() {
        let s: Vec<_> = OrderStatus::ALL
            .iter()
            .map(|s| (s.code(), s.label()))
            .collect();
        assert_eq!(
            s,
            vec![
                ("issued", "已下达"),
                ("completion_reported", "已报告整改完毕"),
                ("corrected", "已复查（已整改）"),
                ("not_corrected", "已复查（未整改）"),
            ]
        );
    }

    #[test]
    fn order_transitions() {
        use OrderEvent::*;
        use OrderStatus::*;
        let corrected = ReInspect(ReInspectionResult::Corrected);
        let not = ReInspect(ReInspectionResult::NotCorrected);
        assert_eq!(Issued.next(ReportCompletion), Ok(CompletionReported));
        assert_eq!(CompletionReported.next(corrected), Ok(Corrected));
        assert_eq!(CompletionReported.next(not), Ok(NotCorrected));
        // No completion report: re-inspected after the time limit all the same.
        assert_eq!(Issued.next(not), Ok(NotCorrected));
        assert_eq!(Issued.next(corrected), Ok(Corrected));
        let r = CompletionReported.next(ReportCompletion).unwrap_err();
        assert_eq!(
            (r.kind(), r.message()),
            (RefusalKind::Conflict, "已报告整改完毕，不能重复报告")
        );
        for done in [Corrected, NotCorrected] {
            assert!(!done.is_open());
            for e in [ReportCompletion, corrected, not] {
                let r = done.next(e).unwrap_err();
                assert_eq!(
                    (r.kind(), r.message()),
                    (RefusalKind::Conflict, "指令书已复查，不能再变更")
                );
            }
        }
        assert!(Issued.is_open() && CompletionReported.is_open());
    }

    #[test]
    fn re_inspection_due_dates() {
        let cal = Calendar::shipped();
        let limit = d("2024-10-23");
        // No report: 10 calendar days after the limit.
        assert_eq!(
            re_inspection_due(limit, None, Span::CalendarDays(10), &cal).date,
            d("2024-11-02")
        );
        // Reported before the limit: 10 days after the report.
        assert_eq!(
            re_inspection_due(limit, Some(d("2024-10-08")), Span::CalendarDays(10), &cal).date,
            d("2024-10-18")
        );
        // Reported on the limit or late: counted from the limit.
        assert_eq!(
            re_inspection_due(limit, Some(limit), Span::CalendarDays(10), &cal).date,
            d("2024-11-02")
        );
        assert_eq!(
            re_inspection_due(limit, Some(d("2024-10-30")), Span::CalendarDays(10), &cal).date,
            d("2024-11-02")
        );
        // The window is the rule's: another figure gives another day.
        assert_eq!(
            re_inspection_due(limit, None, Span::CalendarDays(5), &cal).date,
            d("2024-10-28")
        );
        assert_eq!(
            re_inspection_due(limit, None, Span::CalendarDays(0), &cal).date,
            limit
        );
        // A window in working days walks the calendar: 10 working days after 2024-09-27 cross
        // National Day and its make-up days.
        assert_eq!(
            re_inspection_due(d("2024-09-27"), None, Span::WorkingDays(10), &cal).date,
            d("2024-10-16")
        );
    }

    #[test]
    fn overdue_like_findings() {
        let due = d("2024-11-02");
        for today in [d("2024-11-01"), due, d("2024-11-03")] {
            assert_eq!(
                is_overdue(due, today),
                crate::finding::is_overdue(true, due, today)
            );
        }
        assert!(!is_overdue(due, due));
        assert!(is_overdue(due, d("2024-11-03")));
    }
}
