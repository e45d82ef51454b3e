//! `GET /enforcement`: the enforcement home. An officer first sees today's inspections and the
//! orders whose re-inspection is overdue, then the unit's inspections, open orders, measures in
//! force, referrals and cases; an enterprise its own inspections, orders and cases; the committee office and
//! assessors those of their region. Before the enforcement phase the page says from when the
//! campaign's 专项执法检查 counts.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use safeduty_app::enforcement::authority::Numbers;
use safeduty_app::enforcement::{inspections, measures, orders};
use safeduty_core::enforcement::inspection::Notice;
use safeduty_core::enforcement::measures::MeasureKind;
use safeduty_core::enforcement::numbering::DocumentKind;
use safeduty_core::enforcement::order::OrderStatus;
use safeduty_core::policy::Role;
use safeduty_core::template::CampaignTemplate;
use safeduty_store::enforcement::inspections::InspectionSummary;
use safeduty_store::enforcement::orders::Referral;

use super::super::{Chrome, render};
use super::OrderRow;
use crate::AppState;
use crate::error::{AppError, PageError};
use crate::guard::PageUser;

/// An inspection as listed.
pub(crate) struct InspectionRow {
    pub public_id: String,
    pub number: String,
    pub inspected_on: NaiveDate,
    pub enterprise_name: String,
    pub unit_name: String,
    pub notice: &'static str,
    pub nonconform: i64,
    pub order_status: Option<&'static str>,
}

/// On-site measures as listed.
pub(crate) struct MeasureRow {
    pub inspection_public_id: String,
    pub number: String,
    pub enterprise_name: String,
    pub kind: String,
    pub starts_on: NaiveDate,
    pub until_on: NaiveDate,
}

#[derive(Template)]
#[template(path = "enforcement_home.html")]
struct HomePage {
    chrome: Option<Chrome>,
    today: NaiveDate,
    /// Which lists: `officer`, `enterprise` or `region`.
    view: &'static str,
    phase: Option<PhaseNote>,
    today_inspections: Vec<InspectionRow>,
    overdue_orders: Vec<OrderRow>,
    inspections: Vec<InspectionRow>,
    open_orders: Vec<OrderRow>,
    closed_orders: Vec<OrderRow>,
    measures: Vec<MeasureRow>,
    referrals: Vec<Referral>,
    cases: Vec<CaseRow>,
    /// Whether the caller may draft a case from a referral (an officer).
    may_file: bool,
}

/// A case as listed.
pub(crate) struct CaseRow {
    pub public_id: String,
    pub number: Option<String>,
    pub enterprise_name: String,
    pub party: String,
    pub cause: String,
    pub status: &'static str,
    pub filed_on: Option<NaiveDate>,
}

/// What the page says of the campaign's enforcement phase on the day.
pub(crate) struct PhaseNote {
    /// `before`, `during` or `after`.
    pub when: &'static str,
    pub name: String,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

/// The campaign's enforcement phase: the first whose name speaks of enforcement (执法; 严格执法
/// in the Qingxiu plan), as the plan names its phases; `None` when no phase does or it has no
/// start.
pub(crate) fn phase_note(t: &CampaignTemplate, today: NaiveDate) -> Option<PhaseNote> {
    let p = t.phases.iter().find(|p| p.name.contains("执法"))?;
    let start = p.start?;
    let when = if today < start {
        "before"
    } else if p.end.is_none_or(|end| today <= end) {
        "during"
    } else {
        "after"
    };
    Some(PhaseNote {
        when,
        name: p.name.clone(),
        start,
        end: p.end,
    })
}

async fn inspection_rows(
    numbers: &mut Numbers<'_>,
    rows: &[InspectionSummary],
) -> Result<Vec<InspectionRow>, AppError> {
    let mut out = Vec::with_capacity(rows.len());
    for i in rows {
        out.push(InspectionRow {
            number: numbers
                .of(
                    i.enterprise_id,
                    DocumentKind::InspectionRecord,
                    i.year,
                    i.seq,
                )
                .await?,
            public_id: i.public_id.clone(),
            inspected_on: i.inspected_on,
            enterprise_name: i.enterprise_name.clone(),
            unit_name: i.unit_name.clone(),
            notice: Notice::from_code(&i.notice).map_or("—", Notice::label),
            nonconform: i.nonconform,
            order_status: i
                .order_status
                .as_deref()
                .and_then(OrderStatus::from_code)
                .map(OrderStatus::label),
        });
    }
    Ok(out)
}

pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    let caller = user.caller();
    let store = state.store();
    let today = state.clock().today();
    let calendar = state.calendar().await?;
    let all = inspections::list(store, &caller, None).await?;
    let officer = user.user.role == Role::UnitOfficer;
    let mut numbers = Numbers::new(store);
    let today_inspections = if officer {
        let rows: Vec<_> = all
            .iter()
            .filter(|i| i.inspected_on == today)
            .cloned()
            .collect();
        inspection_rows(&mut numbers, &rows).await?
    } else {
        Vec::new()
    };
    let inspections = inspection_rows(&mut numbers, &all).await?;
    let mut order_rows = Vec::new();
    for o in orders::list(store, &caller, None).await? {
        let number = numbers
            .of(
                o.enterprise_id,
                DocumentKind::CorrectionOrder,
                o.year,
                o.seq,
            )
            .await?;
        order_rows.push(OrderRow::new(&o, number, today, &calendar));
    }
    let (open, closed): (Vec<_>, Vec<_>) = order_rows.into_iter().partition(|o| o.open);
    let (overdue_orders, open_orders) = open.into_iter().partition(|o| o.re_overdue);
    let mut measure_rows = Vec::new();
    for m in measures::list(store, &caller).await? {
        if m.lifted_on.is_some() || m.until_on < today {
            continue;
        }
        measure_rows.push(MeasureRow {
            number: numbers
                .of(
                    m.enterprise_id,
                    DocumentKind::OnSiteMeasures,
                    i32::try_from(m.year).unwrap_or_default(),
                    m.seq,
                )
                .await?,
            inspection_public_id: m.inspection_public_id.clone(),
            enterprise_name: m.enterprise_name.clone(),
            kind: MeasureKind::from_code(&m.kind)
                .map_or_else(|| m.kind.clone(), |k| k.label().into()),
            starts_on: m.starts_on,
            until_on: m.until_on,
        });
    }
    let referrals = orders::referrals(store, &caller).await?;
    let cases = safeduty_app::enforcement::cases::list(store, &caller)
        .await?
        .into_iter()
        .map(|(c, number)| CaseRow {
            party: if c.party_kind == "person" {
                format!("{}（{}）", c.party_name, c.party_role)
            } else {
                c.party_name.clone()
            },
            public_id: c.public_id,
            number,
            enterprise_name: c.enterprise_name,
            cause: c.cause,
            status: crate::views::case_status_label(&c.status),
            filed_on: c.filed_on,
        })
        .collect();
    let campaign = safeduty_app::campaigns::read(store, &caller).await?;
    Ok(render(&HomePage {
        chrome: Some(Chrome::new(&state, &user).await),
        view: match user.user.role {
            Role::UnitOfficer => "officer",
            Role::EnterpriseUser => "enterprise",
            _ => "region",
        },
        phase: campaign.and_then(|c| phase_note(&c.template, today)),
        today,
        today_inspections,
        overdue_orders,
        inspections,
        open_orders,
        closed_orders: closed,
        measures: measure_rows,
        referrals,
        cases,
        may_file: officer,
    }))
}
