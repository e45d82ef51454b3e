//! Correction orders (责令限期整改指令书) issued from an inspection, the enterprise's answers
//! (completion report, extension request), the unit's decision on an extension, and the
//! re-inspection (整改复查意见书) that closes the corrected findings and refers the rest.

use chrono::NaiveDate;
use safeduty_core::enforcement::order::{
    self as rule, ExtensionDecision, OrderEvent, OrderInput, OrderStatus,
};
use safeduty_core::enforcement::powers::Power;
use safeduty_core::enforcement::reinspection::{
    FindingResult, ReInspectionInput, ReInspectionResult,
};
use safeduty_core::finding::ledger::{LONG_MAX_CHARS, clean_text};
use safeduty_core::policy::Action;
use safeduty_core::refusal::Refusal;
use safeduty_store::enforcement::orders::{self, NewOrder, NewReInspection, Order, OrderFilter};
use safeduty_store::{Store, StoreError};

use super::{authority, inspections};
use crate::{Caller, Error, guard};

/// The day the re-inspection is due for an order due on `due_on`, reported complete on
/// `reported`, under the rule in force on `today` (core `order::re_inspection_due`).
async fn re_inspection_due(
    store: &Store,
    due_on: NaiveDate,
    reported: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<NaiveDate, Error> {
    let calendar = safeduty_store::calendar::effective(store).await?;
    let rules = super::rules_on(today, "date")?;
    Ok(rule::re_inspection_due(
        due_on,
        reported,
        rules.re_inspection_within.value,
        &calendar,
    )
    .date)
}

/// How an order's time limit is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeLimit {
    /// N working days after the issue date, on the working-day calendar.
    WorkingDays(u32),
    /// A date.
    Date(NaiveDate),
}

/// Issues an order on the inspection `inspection_id` covering `finding_ids` (public ids of the
/// findings the inspection opened), with `limit`, on `today`. Returns the order's public id.
///
/// # Errors
/// The guard's denials; a [`Refusal`] on `findings` or `due_on`; a conflict when the
/// inspection already has an order; store errors.
pub async fn issue(
    store: &Store,
    caller: &Caller<'_>,
    inspection_id: &str,
    finding_ids: &[String],
    limit: TimeLimit,
    today: NaiveDate,
) -> Result<String, Error> {
    let i = inspections::inspection_for(store, caller, inspection_id, Action::Enforce).await?;
    authority::acting_unit(store, caller, Power::OrderCorrection).await?;
    let mut ids = Vec::new();
    for f in finding_ids {
        if i.items
            .iter()
            .all(|it| it.finding_public_id.as_deref() != Some(f.as_str()))
        {
            return Err(Refusal::invalid("所选问题不是本次检查发现的问题")
                .on("findings")
                .into());
        }
        ids.push(safeduty_store::findings::get(store, f).await?.id);
    }
    let calendar = safeduty_store::calendar::effective(store).await?;
    let due = match limit {
        TimeLimit::WorkingDays(n) => rule::time_limit(&calendar, today, n)?,
        TimeLimit::Date(d) => safeduty_core::calendar::WorkingDayResult {
            date: d,
            provisional: false,
        },
    };
    let officer_ids: Vec<i64> = i.officers.iter().map(|o| o.user_id).collect();
    OrderInput {
        issued_on: today,
        due_on: due.date,
        finding_ids: ids.clone(),
        officers: authority::officers_by_id(store, i.summary.unit_id, &officer_ids).await?,
    }
    .check(today)?;
    let re_due = re_inspection_due(store, due.date, None, today).await?;
    Ok(orders::issue(
        store,
        &caller.who(),
        &NewOrder {
            inspection_id: i.summary.id,
            unit_id: i.summary.unit_id,
            enterprise_id: i.summary.enterprise_id,
            issued_on: today,
            due_on: due.date,
            due_provisional: due.provisional,
            working_days: match limit {
                TimeLimit::WorkingDays(n) => Some(n),
                TimeLimit::Date(_) => None,
            },
            finding_ids: ids,
            re_inspection_due_on: re_due,
        },
    )
    .await?)
}

/// The order with public id `id`, if `caller` may take `action` on its enterprise; for
/// [`Action::Enforce`] only an officer of the issuing unit.
///
/// # Errors
/// [`Error::NotFound`], [`Error::Forbidden`], store errors.
pub async fn order_for(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    action: Action,
) -> Result<Order, Error> {
    let o = match orders::get(store, id).await {
        Ok(o) => o,
        Err(StoreError::NotFound) => {
            guard::require(store, caller, action, Some(&guard::nowhere())).await?;
            return Err(Error::NotFound);
        }
        Err(e) => return Err(e.into()),
    };
    super::enterprise_by_id(store, caller, o.enterprise_id, action).await?;
    if action == Action::Enforce && caller.user.unit_id != Some(o.unit_id) {
        return Err(Refusal::forbidden("只有下达指令的单位可以办理").into());
    }
    Ok(o)
}

fn current(o: &Order, version: i64) -> Result<(), Error> {
    if o.version == version {
        Ok(())
    } else {
        Err(Error::Store(StoreError::Conflict(orders::STALE.into())))
    }
}

fn status(o: &Order) -> Result<OrderStatus, Error> {
    OrderStatus::from_code(&o.status)
        .ok_or_else(|| Error::Store(StoreError::Corrupt(format!("order status {:?}", o.status))))
}

/// The enterprise reports the order's correction complete, on `today`.
///
/// # Errors
/// The guard's denials; a [`Refusal`] when the order is not open for it; a stale version;
/// store errors.
pub async fn report_completion(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    version: i64,
    note: &str,
    today: NaiveDate,
) -> Result<(), Error> {
    let o = order_for(store, caller, id, Action::RespondToOrder).await?;
    current(&o, version)?;
    status(&o)?.next(OrderEvent::ReportCompletion)?;
    let note = clean_text(note, LONG_MAX_CHARS)
        .ok_or_else(|| Refusal::invalid("整改情况说明过长或含有不可见字符").on("note"))?;
    let re_due = re_inspection_due(store, o.due_on, Some(today), today).await?;
    orders::report_completion(store, &caller.who(), &o, today, &note, re_due).await?;
    Ok(())
}

/// The enterprise asks for the limit `requested_due_on`, with `reason`, on `today`.
///
/// # Errors
/// The guard's denials; a [`Refusal`] (a date not after the limit, no reason, a request
/// pending, an order no longer open); a stale version; store errors.
pub async fn request_extension(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    version: i64,
    requested_due_on: NaiveDate,
    reason: &str,
    today: NaiveDate,
) -> Result<(), Error> {
    let o = order_for(store, caller, id, Action::RespondToOrder).await?;
    current(&o, version)?;
    if !status(&o)?.is_open() {
        return Err(Refusal::conflict("指令书已复查，不能再申请延期").into());
    }
    if o.extensions.iter().any(|e| e.status == "requested") {
        return Err(Refusal::conflict("已有延期申请待审批，请等待审批结果").into());
    }
    let reason = rule::check_extension_request(o.due_on, requested_due_on, reason)?;
    orders::request_extension(store, &caller.who(), &o, today, requested_due_on, &reason).await?;
    Ok(())
}

/// The issuing unit approves (`approve`) or refuses, with `reason`, the pending extension of
/// the order, on `today`.
///
/// # Errors
/// The guard's denials; a [`Refusal`] (no request pending, a refusal without a reason); a
/// stale version; store errors.
pub async fn decide_extension(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    version: i64,
    approve: bool,
    reason: &str,
    today: NaiveDate,
) -> Result<(), Error> {
    let o = order_for(store, caller, id, Action::Enforce).await?;
    current(&o, version)?;
    let pending = o
        .extensions
        .iter()
        .find(|e| e.status == "requested")
        .ok_or_else(|| Refusal::conflict("没有待审批的延期申请"))?;
    let decision = rule::decide_extension(o.due_on, pending.requested_due_on, approve, reason)?;
    let (approved, reason) = match decision {
        ExtensionDecision::Approved { new_due } => (
            Some((
                new_due,
                re_inspection_due(store, new_due, o.completion_reported_on, today).await?,
            )),
            reason.trim().to_string(),
        ),
        ExtensionDecision::Refused { reason } => (None, reason),
    };
    orders::decide_extension(
        store,
        &caller.who(),
        &o,
        pending.id,
        today,
        approved,
        &reason,
    )
    .await?;
    Ok(())
}

/// A re-inspection as a form or the API gives it.
#[derive(Debug, Clone)]
pub struct ReInspectionForm {
    /// Day.
    pub date: NaiveDate,
    /// Officers: accounts of the issuing unit.
    pub officer_ids: Vec<i64>,
    /// Per finding of the order (public id): result and note.
    pub results: Vec<(String, ReInspectionResult, String)>,
    /// Overall opinion (意见).
    pub opinion: String,
}

/// Records the re-inspection of the order; the corrected findings are closed, the rest
/// referred for a case. Returns the re-inspection's public id.
///
/// # Errors
/// The guard's denials; a [`Refusal`] naming the field (date, officers, results, opinion); a
/// stale version or a second re-inspection; store errors.
pub async fn re_inspect(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    version: i64,
    form: &ReInspectionForm,
    today: NaiveDate,
) -> Result<String, Error> {
    let o = order_for(store, caller, id, Action::Enforce).await?;
    authority::acting_unit(store, caller, Power::OrderCorrection).await?;
    current(&o, version)?;
    let mut results = Vec::new();
    for (finding, result, note) in &form.results {
        let f = o
            .findings
            .iter()
            .find(|f| &f.public_id == finding)
            .ok_or_else(|| {
                Refusal::invalid("复查结果中有不属于该指令书的问题隐患").on("results")
            })?;
        results.push(FindingResult {
            finding_id: f.id,
            result: *result,
            note: note.clone(),
        });
    }
    let input = ReInspectionInput {
        date: form.date,
        officers: authority::officers_by_id(store, o.unit_id, &form.officer_ids).await?,
        results,
    };
    let order_findings: Vec<i64> = o.findings.iter().map(|f| f.id).collect();
    input.check(o.issued_on, &order_findings, today)?;
    status(&o)?.next(OrderEvent::ReInspect(input.result()))?;
    let opinion = clean_text(&form.opinion, LONG_MAX_CHARS)
        .ok_or_else(|| Refusal::invalid("复查意见过长或含有不可见字符").on("opinion"))?;
    Ok(orders::record_re_inspection(
        store,
        &caller.who(),
        &o,
        &NewReInspection {
            inspected_on: input.date,
            opinion,
            officers: authority::on_duty(&input.officers),
            results: input
                .results
                .iter()
                .map(|r| {
                    (
                        r.finding_id,
                        r.result == ReInspectionResult::Corrected,
                        r.note.trim().to_string(),
                    )
                })
                .collect(),
            referral_reason: input
                .needs_referral()
                .then(|| "复查发现逾期未整改，移交立案查处".to_string()),
        },
    )
    .await?)
}

/// Orders in the caller's scope (an officer's unit's, an enterprise's own); `overdue_on`: only
/// those whose re-inspection is overdue that day.
///
/// # Errors
/// The guard's denials; store errors.
pub async fn list(
    store: &Store,
    caller: &Caller<'_>,
    overdue_on: Option<NaiveDate>,
) -> Result<Vec<Order>, Error> {
    guard::require(store, caller, Action::ReadEnforcement, None).await?;
    let filter = OrderFilter {
        unit_id: caller.user.unit_id,
        enterprise_id: None,
        overdue_on,
    };
    Ok(orders::list(store, &caller.user.scope, filter).await?)
}

/// An order as its page shows it.
#[derive(Debug, Clone)]
pub struct OrderView {
    /// The order with its findings and extensions.
    pub order: Order,
    /// The settings its numbers are made with.
    pub settings: safeduty_store::enforcement::authority::Settings,
    /// Its re-inspection, if recorded.
    pub re_inspection: Option<orders::ReInspection>,
    /// The referral for a case the re-inspection made, if any.
    pub referral: Option<orders::Referral>,
    /// Whether the caller is an officer of the issuing unit (decides the forms shown).
    pub may_enforce: bool,
    /// Whether the caller is the enterprise, who answers the order.
    pub may_respond: bool,
}

/// The order `id` with its re-inspection and referral, for a caller who may read it.
///
/// # Errors
/// [`Error::NotFound`] (unknown or outside the scope), store errors.
pub async fn view(store: &Store, caller: &Caller<'_>, id: &str) -> Result<OrderView, Error> {
    let order = order_for(store, caller, id, Action::ReadEnforcement).await?;
    let e = safeduty_store::org::enterprise_by_id(store, order.enterprise_id).await?;
    let allowed =
        |action| safeduty_core::policy::authorize(&caller.actor(), action, Some(&e.facts)).is_ok();
    let settings = authority::settings(store, &e.facts.region_path, &e.region_name, 0).await?;
    let re_inspection = orders::re_inspection_of(store, order.id).await?;
    let referral = match &re_inspection {
        Some(r) => orders::referral_of(store, "re_inspection", r.id).await?,
        None => None,
    };
    Ok(OrderView {
        may_enforce: allowed(Action::Enforce) && caller.user.unit_id == Some(order.unit_id),
        may_respond: allowed(Action::RespondToOrder),
        order,
        settings,
        re_inspection,
        referral,
    })
}

/// Referrals for a case in the caller's scope, newest first.
///
/// # Errors
/// The guard's denials; store errors.
pub async fn referrals(store: &Store, caller: &Caller<'_>) -> Result<Vec<orders::Referral>, Error> {
    guard::require(store, caller, Action::ReadEnforcement, None).await?;
    Ok(orders::referrals(store, &caller.user.scope).await?)
}
