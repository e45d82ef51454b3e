//! The typical cases exposed (典型案例曝光, issue #13 point 5), as HTML and JSON: the exposures
//! published and still within the deployment's retention (`serve --exposure-days`), newest
//! first. Each says the enterprise's full name, the party (a person only as surname + 某某 and
//! role), the violation, the article violated and the article applied, the penalty and the
//! day decided — the text fixed when it was drafted, nothing else of the case. Beside them, the
//! listings on the dishonesty list shown today (issue #14).

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use safeduty_app::enforcement::{dishonesty, exposures};
use safeduty_store::enforcement::dishonesty::PublishedListing;
use safeduty_store::enforcement::exposures::PublishedExposure;

use super::{PublicPageError, render};
use crate::AppState;
use crate::error::ApiError;

/// The routes of this module.
pub(super) fn routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/public/exposures", get(index)),
        ("/public/api/exposures", get(index_json)),
        ("/public/api/dishonesty-listings", get(listings_json)),
    ]
}

#[derive(Template)]
#[template(path = "public_exposures.html")]
struct IndexPage {
    exposures: Vec<PublishedExposure>,
    listings: Vec<PublishedListing>,
    days: u32,
}

async fn shown(state: &AppState) -> Result<Vec<PublishedExposure>, safeduty_app::Error> {
    exposures::published(
        state.store(),
        state.clock().today(),
        state.config().exposure_days,
    )
    .await
}

/// `GET /public/exposures`.
async fn index(State(state): State<AppState>) -> Result<Response, PublicPageError> {
    Ok(render(&IndexPage {
        exposures: shown(&state).await?,
        listings: dishonesty::published(state.store(), state.clock().today()).await?,
        days: state.config().exposure_days,
    }))
}

/// `GET /public/api/exposures`: [`index`] as JSON: `{exposures: [...]}`.
async fn index_json(State(state): State<AppState>) -> Result<Response, ApiError> {
    Ok(Json(serde_json::json!({ "exposures": shown(&state).await? })).into_response())
}

/// `GET /public/api/dishonesty-listings`: the listings shown today as JSON: `{listings: [...]}`.
async fn listings_json(State(state): State<AppState>) -> Result<Response, ApiError> {
    let listings = dishonesty::published(state.store(), state.clock().today()).await?;
    Ok(Json(serde_json::json!({ "listings": listings })).into_response())
}
