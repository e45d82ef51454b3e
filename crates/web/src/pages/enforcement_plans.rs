//! Inspection plans with the random draw (双随机, issue #12 points 2–3): the plans a caller
//! reads and an officer's form to draft the unit's plan, a plan's page (targets with officer
//! pairs, mandatory or drawn, fulfilled or not; the seed, the list digests, the algorithm and
//! its version; for a draft, the pool as it stands and the form to draw), the check that
//! recomputes a draw (一致 / 不一致), and the draw as the JSON `safeduty inspect verify-draw`
//! reads.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use safeduty_app::enforcement::plans::{self, PlanForm, PlanView, Planning};
use safeduty_core::enforcement::draw::Share;
use safeduty_core::enforcement::plan::{DrawSize, PlanStatus};
use safeduty_core::refusal::{Refusal, RefusalKind};
use safeduty_store::audit::{Event, Object};
use safeduty_store::enforcement::plans::PlanRow;

use super::{Chrome, render};
use crate::AppState;
use crate::audit_trail::beijing_time;
use crate::auth::CurrentUser;
use crate::download::{Audit, Download};
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::PageUser;

/// The page routes of inspection plans.
pub(crate) fn routes() -> crate::routes::Routes {
    use axum::routing::{get, post};
    crate::routes::Routes::new()
        .route("/enforcement/plans", get(index).post(save))
        .route("/enforcement/plans/{id}", get(show))
        .route("/enforcement/plans/{id}/draw", post(draw))
        .route("/enforcement/plans/{id}/verify", get(verify))
        .route("/enforcement/plans/{id}/draw.json", get(download))
}

/// A plan as a row of the list.
struct PlanLine {
    public_id: String,
    unit_name: String,
    version: i64,
    window: String,
    size: String,
    status: &'static str,
    drawn: bool,
    targets: i64,
    mandatory_targets: i64,
    fulfilled: i64,
    superseded: bool,
}

impl From<&PlanRow> for PlanLine {
    fn from(p: &PlanRow) -> PlanLine {
        PlanLine {
            public_id: p.public_id.clone(),
            unit_name: p.unit_name.clone(),
            version: p.version,
            window: format!("{} 至 {}", p.starts_on, p.ends_on),
            size: p.size.describe(),
            status: p.status.label(),
            drawn: p.status == PlanStatus::Drawn,
            targets: p.targets,
            mandatory_targets: p.mandatory_targets,
            fulfilled: p.fulfilled,
            superseded: p.superseded_by.is_some(),
        }
    }
}

/// The draft form's values, as typed or as defaulted.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub(super) struct DraftForm {
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    /// `count` or `share`.
    #[serde(default)]
    size: String,
    #[serde(default)]
    count: String,
    /// Percent, at most one decimal.
    #[serde(default)]
    share: String,
    #[serde(default)]
    reason: String,
}

#[derive(Template)]
#[template(path = "enforcement_plans.html")]
struct PlansPage {
    chrome: Option<Chrome>,
    csrf: String,
    plans: Vec<PlanLine>,
    /// The officer's form, when the caller may plan.
    planning: Option<Planning>,
    /// Whether another version needs a reason (the latest plan is drawn).
    needs_reason: bool,
    /// The open draft, if any (the form changes it).
    open_draft: Option<(String, i64)>,
    typed: DraftForm,
    /// A refusal: its message and field.
    problem: Option<(String, String)>,
}

fn date_value(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

async fn plans_page(
    state: &AppState,
    user: &CurrentUser,
    typed: Option<DraftForm>,
    problem: Option<Refusal>,
) -> Result<Response, AppError> {
    let caller = user.caller();
    let plans = plans::list(state.store(), &caller).await?;
    let planning = plans::planning(state.store(), &caller).await?;
    let latest = planning.as_ref().and_then(|p| p.latest.as_ref());
    let typed = typed.unwrap_or_else(|| match latest {
        Some(p) => DraftForm {
            starts_on: p.starts_on.to_string(),
            ends_on: p.ends_on.to_string(),
            size: match p.size {
                DrawSize::Count(_) => "count".into(),
                DrawSize::Share(_) => "share".into(),
            },
            count: match p.size {
                DrawSize::Count(n) => n.to_string(),
                DrawSize::Share(_) => String::new(),
            },
            share: match p.size {
                DrawSize::Share(s) => percent_text(s),
                DrawSize::Count(_) => String::new(),
            },
            reason: match p.status {
                PlanStatus::Draft => p.reason.clone(),
                PlanStatus::Drawn => String::new(),
            },
        },
        None => DraftForm {
            starts_on: date_value(planning.as_ref().and_then(|p| p.window).map(|w| w.0)),
            ends_on: date_value(planning.as_ref().and_then(|p| p.window).map(|w| w.1)),
            size: "share".into(),
            count: String::new(),
            share: "70".into(),
            reason: String::new(),
        },
    });
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let body = render(&PlansPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        plans: plans.iter().map(PlanLine::from).collect(),
        needs_reason: planning.as_ref().is_some_and(|p| p.drawn_before),
        open_draft: latest
            .filter(|p| p.status == PlanStatus::Draft)
            .map(|p| (p.public_id.clone(), p.version)),
        planning,
        typed,
        problem: problem.map(|r| (r.message().to_string(), r.field().unwrap_or("").to_string())),
    });
    Ok((status, body).into_response())
}

/// `GET /enforcement/plans`.
pub(super) async fn index(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    Ok(plans_page(&state, &user, None, None).await?)
}

fn percent_text(s: Share) -> String {
    let m = s.per_mille();
    if m.is_multiple_of(10) {
        (m / 10).to_string()
    } else {
        format!("{}.{}", m / 10, m % 10)
    }
}

fn parse_date(v: &str, label: &str, field: &'static str) -> Result<NaiveDate, Refusal> {
    safeduty_core::calendar::parse_ymd(v)
        .ok_or_else(|| Refusal::invalid(format!("请填写{label}（如2024-07-01）")).on(field))
}

/// A percentage with at most one decimal, in per mille.
fn parse_percent(v: &str) -> Option<u32> {
    let v = safeduty_core::text::fold_width(v);
    let v = v.trim_end_matches('%').trim();
    let (whole, tenth) = match v.split_once('.') {
        Some((w, t)) if t.len() == 1 => (w, t),
        Some(_) => return None,
        None => (v, "0"),
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u32 = whole.parse().ok()?;
    let tenth: u32 = tenth.parse().ok()?;
    whole.checked_mul(10)?.checked_add(tenth)
}

impl DraftForm {
    fn parse(&self) -> Result<PlanForm, Refusal> {
        let starts_on = parse_date(&self.starts_on, "计划开始日期", "starts_on")?;
        let ends_on = parse_date(&self.ends_on, "计划截止日期", "ends_on")?;
        let size = match self.size.as_str() {
            "count" => DrawSize::Count(
                self.count
                    .trim()
                    .parse()
                    .map_err(|_| Refusal::invalid("抽取数量请填写0或正整数（家）").on("count"))?,
            ),
            "share" => DrawSize::Share(Share::PerMille(parse_percent(&self.share).ok_or_else(
                || Refusal::invalid("抽查比例请填写0至100之间的数（可保留一位小数）").on("share"),
            )?)),
            _ => return Err(Refusal::invalid("请选择按数量或按比例抽取").on("size")),
        };
        Ok(PlanForm {
            starts_on,
            ends_on,
            size,
            reason: self.reason.clone(),
        })
    }
}

/// `POST /enforcement/plans`: saves the unit's draft (or the next version) and shows it.
pub(super) async fn save(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageForm(f): PageForm<DraftForm>,
) -> Result<Response, PageError> {
    let saved = match f.parse() {
        Ok(form) => plans::save(state.store(), &user.caller(), &form).await,
        // Whether the caller may plan at all is answered before what was typed.
        Err(r) => match safeduty_app::enforcement::authority::acting_unit(
            state.store(),
            &user.caller(),
            safeduty_core::enforcement::powers::Power::Inspect,
        )
        .await
        {
            Ok(_) => Err(r.into()),
            Err(e) => Err(e),
        },
    };
    match saved {
        Ok(id) => Ok(Redirect::to(&format!("/enforcement/plans/{id}")).into_response()),
        Err(safeduty_app::Error::Refused(r)) if r.kind() == RefusalKind::Invalid => {
            Ok(plans_page(&state, &user, Some(f), Some(r)).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// A target as a row of the plan page.
struct TargetLine {
    position: i64,
    enterprise_public_id: String,
    enterprise_name: String,
    draw_id: String,
    mandatory: bool,
    digest: String,
    officers: String,
    public_id: String,
    inspection: Option<(String, NaiveDate)>,
}

#[derive(Template)]
#[template(path = "enforcement_plan.html")]
struct PlanPage {
    chrome: Option<Chrome>,
    csrf: String,
    p: PlanLine,
    starts_on: NaiveDate,
    reason: String,
    superseded_by: Option<String>,
    created: String,
    v: PlanView,
    drawn_at: String,
    targets: Vec<TargetLine>,
    /// The recomputation's outcome: `Ok` 一致, `Err` 不一致 with the first difference.
    verified: Option<Result<(), String>>,
    seed: String,
    problem: Option<String>,
}

async fn plan_page(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    verified: Option<Result<(), String>>,
    typed: Option<(String, Refusal)>,
) -> Result<Response, AppError> {
    let v = plans::view(state.store(), &user.caller(), id).await?;
    let targets = v
        .targets
        .iter()
        .map(|t| TargetLine {
            position: t.position,
            enterprise_public_id: t.enterprise_public_id.clone(),
            enterprise_name: t.enterprise_name.clone(),
            draw_id: t.draw_id.clone(),
            mandatory: t.mandatory,
            digest: t.digest.clone(),
            officers: t
                .officers
                .iter()
                .map(|o| format!("{}（{}）", o.name, o.certificate))
                .collect::<Vec<_>>()
                .join("、"),
            public_id: t.public_id.clone(),
            inspection: t.inspection.clone(),
        })
        .collect();
    let (seed, problem) = match typed {
        Some((s, r)) => (s, Some(r.message().to_string())),
        None => (String::new(), None),
    };
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let body = render(&PlanPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        p: PlanLine::from(&v.plan),
        starts_on: v.plan.starts_on,
        reason: v.plan.reason.clone(),
        superseded_by: v.plan.superseded_by.clone(),
        created: beijing_time(&v.plan.created_at),
        drawn_at: v
            .draw
            .as_ref()
            .map(|d| beijing_time(&d.drawn_at))
            .unwrap_or_default(),
        targets,
        v,
        verified,
        seed,
        problem,
    });
    Ok((status, body).into_response())
}

/// `GET /enforcement/plans/{id}`.
pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    Ok(plan_page(&state, &user, &id, None, None).await?)
}

#[derive(Debug, serde::Deserialize)]
pub(super) struct DrawForm {
    #[serde(default)]
    seed: String,
}

/// `POST /enforcement/plans/{id}/draw`: draws the draft with the typed seed.
pub(super) async fn draw(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(f): PageForm<DrawForm>,
) -> Result<Response, PageError> {
    match plans::draw(state.store(), &user.caller(), &id, &f.seed).await {
        Ok(()) => Ok(Redirect::to(&format!("/enforcement/plans/{id}")).into_response()),
        Err(safeduty_app::Error::Refused(r)) if r.kind() == RefusalKind::Invalid => {
            Ok(plan_page(&state, &user, &id, None, Some((f.seed, r))).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /enforcement/plans/{id}/verify`: recomputes the draw from what is stored and says
/// whether it gives the recorded targets (一致) or not (不一致, with the first difference).
pub(super) async fn verify(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let (_, outcome) = plans::verify(state.store(), &user.caller(), &id).await?;
    let outcome = outcome.map_err(|m| m.to_string());
    Ok(plan_page(&state, &user, &id, Some(outcome), None).await?)
}

/// `GET /enforcement/plans/{id}/draw.json`: the recorded draw as published, audited.
pub(super) async fn download(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let (p, d) = plans::export(state.store(), &user.caller(), &id).await?;
    let mut bytes = serde_json::to_vec_pretty(&d)
        .map_err(|e| AppError::Internal(format!("draw does not serialize: {e}")))?;
    bytes.push(b'\n');
    let file = format!("检查计划抽取记录-{}-第{}版.json", p.unit_name, p.version);
    Ok(Download::new(bytes, "application/json", &file)
        .send(
            &state,
            &user,
            Audit::Record {
                event: Event::FileDownloaded,
                target_kind: Object::InspectionPlan.into(),
                target_id: p.public_id,
                detail: serde_json::json!({
                    "document": "draw_json",
                    "seed": d.seed,
                    "candidates_digest": d.candidates_digest,
                    "officers_digest": d.officers_digest,
                    "mandatory_digest": d.mandatory_digest,
                }),
            },
        )
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_with_one_decimal() {
        assert_eq!(parse_percent("70"), Some(700));
        assert_eq!(parse_percent(" 12.5% "), Some(125));
        assert_eq!(parse_percent("100％"), Some(1000));
        assert_eq!(parse_percent("0"), Some(0));
        for bad in ["", "12.55", "-1", "七十", ".5", "1e2"] {
            assert_eq!(parse_percent(bad), None, "{bad}");
        }
        assert_eq!(percent_text(Share::PerMille(125)), "12.5");
        assert_eq!(percent_text(Share::Percent(70)), "70");
    }
}
