//! The published draws (双随机抽查公示) and their inspections' outcomes, as HTML and JSON: the
//! index of draws, newest first, a page at a time, and one draw with its targets.

use askama::Template;
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use chrono::{DateTime, NaiveDate, Utc};
use safeduty_app::publication;
use safeduty_store::enforcement::publication::{ListDigest, PublishedDraw, PublishedTarget};
use serde::Serialize;

use super::{PublicPageError, render};
use crate::AppState;
use crate::error::{ApiError, AppError};

/// Highest page number accepted (50 draws a page).
const MAX_PAGE: u32 = 10_000;

/// The routes of this module.
pub(super) fn routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/public/", get(index)),
        ("/public/draws/{id}", get(show)),
        ("/public/api/draws", get(index_json)),
        ("/public/api/draws/{id}", get(show_json)),
    ]
}

/// The page asked by `?page=N` (1 when absent).
///
/// # Errors
/// [`AppError::BadRequest`] naming the value when it is not a number from 1 to [`MAX_PAGE`].
fn page_of(query: Option<&str>) -> Result<u32, AppError> {
    #[derive(serde::Deserialize)]
    struct Params {
        page: Option<String>,
    }
    let params: Params = serde_urlencoded::from_str(query.unwrap_or_default())
        .map_err(|_| AppError::BadRequest("查询参数格式不正确".into()))?;
    let Some(page) = params.page else {
        return Ok(1);
    };
    page.trim()
        .parse::<u32>()
        .ok()
        .filter(|p| (1..=MAX_PAGE).contains(p))
        .ok_or_else(|| AppError::BadRequest(format!("页码“{page}”须为1至{MAX_PAGE}之间的整数")))
}

/// The civil date in Beijing of a stored instant, `None` when unreadable.
fn drawn_on(drawn_at: &str) -> Option<NaiveDate> {
    drawn_at
        .parse::<DateTime<Utc>>()
        .ok()
        .map(crate::clock::civil_date)
}

/// A published draw as the JSON gives it.
#[derive(Debug, Serialize)]
struct DrawJson {
    /// The plan's public id (the path of its page).
    id: String,
    unit: String,
    campaign: String,
    version: i64,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    /// UTC instant.
    drawn_at: String,
    /// Its date in Beijing.
    drawn_on: Option<NaiveDate>,
    seed: String,
    algorithm: String,
    algorithm_version: i64,
    candidates: ListDigest,
    mandatory: ListDigest,
    officers: ListDigest,
    /// How many were to be drawn from the enterprises not inspected in full.
    k: i64,
    target_count: i64,
    superseded_by_version: Option<i64>,
}

impl From<&PublishedDraw> for DrawJson {
    fn from(d: &PublishedDraw) -> DrawJson {
        DrawJson {
            id: d.public_id.clone(),
            unit: d.unit_name.clone(),
            campaign: d.campaign_name.clone(),
            version: d.version,
            starts_on: d.starts_on,
            ends_on: d.ends_on,
            drawn_at: d.drawn_at.clone(),
            drawn_on: drawn_on(&d.drawn_at),
            seed: d.seed.clone(),
            algorithm: d.algorithm.clone(),
            algorithm_version: d.algorithm_version,
            candidates: d.candidates.clone(),
            mandatory: d.mandatory.clone(),
            officers: d.officers.clone(),
            k: d.k,
            target_count: d.targets,
            superseded_by_version: d.superseded_by_version,
        }
    }
}

/// A target as the JSON gives it.
#[derive(Debug, Serialize)]
struct TargetJson {
    position: i64,
    enterprise: String,
    /// Inspected in full (a key enterprise or industry) rather than drawn.
    mandatory: bool,
    digest: String,
    outcome: Option<OutcomeJson>,
}

/// A published outcome as the JSON gives it.
#[derive(Debug, Serialize)]
struct OutcomeJson {
    inspected_on: NaiveDate,
    /// `no_problems`, `ordered`, `corrected`, `not_corrected`.
    kind: &'static str,
    /// Check items found 不符合.
    problems: u32,
    /// The outcome in words, as the page shows it.
    words: String,
    /// The inspecting officers' names.
    officers: Vec<String>,
}

impl From<&PublishedTarget> for TargetJson {
    fn from(t: &PublishedTarget) -> TargetJson {
        TargetJson {
            position: t.position,
            enterprise: t.enterprise_name.clone(),
            mandatory: t.mandatory,
            digest: t.digest.clone(),
            outcome: t.outcome.as_ref().map(|o| OutcomeJson {
                inspected_on: o.inspected_on,
                kind: o.outcome.kind.code(),
                problems: o.outcome.problems,
                words: o.outcome.words(),
                officers: o.officers.clone(),
            }),
        }
    }
}

/// A draw as a page shows it.
struct DrawLine {
    public_id: String,
    unit_name: String,
    campaign_name: String,
    version: i64,
    window: String,
    drawn_at: String,
    seed: String,
    algorithm: String,
    candidates: ListDigest,
    mandatory: ListDigest,
    officers: ListDigest,
    k: i64,
    targets: i64,
    superseded_by_version: Option<i64>,
}

impl From<&PublishedDraw> for DrawLine {
    fn from(d: &PublishedDraw) -> DrawLine {
        DrawLine {
            public_id: d.public_id.clone(),
            unit_name: d.unit_name.clone(),
            campaign_name: d.campaign_name.clone(),
            version: d.version,
            window: format!("{} 至 {}", d.starts_on, d.ends_on),
            drawn_at: crate::audit_trail::beijing_time(&d.drawn_at),
            seed: d.seed.clone(),
            algorithm: format!("{} 第{}版", d.algorithm, d.algorithm_version),
            candidates: d.candidates.clone(),
            mandatory: d.mandatory.clone(),
            officers: d.officers.clone(),
            k: d.k,
            targets: d.targets,
            superseded_by_version: d.superseded_by_version,
        }
    }
}

/// A target as the draw's page shows it.
struct TargetLine {
    position: i64,
    enterprise_name: String,
    mandatory: bool,
    digest: String,
    /// Day inspected, the outcome in words and the officers' names, once published.
    outcome: Option<(NaiveDate, String, String)>,
}

impl From<&PublishedTarget> for TargetLine {
    fn from(t: &PublishedTarget) -> TargetLine {
        TargetLine {
            position: t.position,
            enterprise_name: t.enterprise_name.clone(),
            mandatory: t.mandatory,
            digest: t.digest.clone(),
            outcome: t
                .outcome
                .as_ref()
                .map(|o| (o.inspected_on, o.outcome.words(), o.officers.join("、"))),
        }
    }
}

#[derive(Template)]
#[template(path = "public_draws.html")]
struct IndexPage {
    draws: Vec<DrawLine>,
    page: u32,
    more: bool,
}

#[derive(Template)]
#[template(path = "public_draw.html")]
struct DrawPage {
    d: DrawLine,
    targets: Vec<TargetLine>,
}

/// `GET /public/`: the published draws, newest first.
async fn index(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, PublicPageError> {
    let page = page_of(query.as_deref())?;
    let (draws, more) = publication::draws(state.store(), page).await?;
    Ok(render(&IndexPage {
        draws: draws.iter().map(DrawLine::from).collect(),
        page,
        more,
    }))
}

/// `GET /public/draws/{id}`: one published draw with its targets and their outcomes.
async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PublicPageError> {
    let (draw, targets) = publication::draw(state.store(), &id).await?;
    Ok(render(&DrawPage {
        d: DrawLine::from(&draw),
        targets: targets.iter().map(TargetLine::from).collect(),
    }))
}

/// `GET /public/api/draws`: [`index`] as JSON: `{page, more, draws: [...]}`.
async fn index_json(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let page = page_of(query.as_deref())?;
    let (draws, more) = publication::draws(state.store(), page).await?;
    Ok(Json(serde_json::json!({
        "page": page,
        "more": more,
        "draws": draws.iter().map(DrawJson::from).collect::<Vec<_>>(),
    }))
    .into_response())
}

/// `GET /public/api/draws/{id}`: [`show`] as JSON: the draw's fields and `targets`.
async fn show_json(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (draw, targets) = publication::draw(state.store(), &id).await?;
    #[derive(Serialize)]
    struct Detail {
        #[serde(flatten)]
        draw: DrawJson,
        targets: Vec<TargetJson>,
    }
    Ok(Json(Detail {
        draw: DrawJson::from(&draw),
        targets: targets.iter().map(TargetJson::from).collect(),
    })
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::page_of;

    #[test]
    fn pages_are_numbers_from_one() {
        assert_eq!(page_of(None).unwrap(), 1);
        assert_eq!(page_of(Some("page=3")).unwrap(), 3);
        assert_eq!(page_of(Some("other=x")).unwrap(), 1);
        let (_, _, m) = page_of(Some("page=0")).unwrap_err().parts();
        assert_eq!(m, "页码“0”须为1至10000之间的整数");
        assert!(page_of(Some("page=abc")).is_err());
        assert!(page_of(Some("page=10001")).is_err());
    }
}
