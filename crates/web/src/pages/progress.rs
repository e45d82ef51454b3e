//! The committee office's overview and the enterprise lists of units
//! ([`safeduty_app::progress`]).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use safeduty_store::progress::{EnterpriseProgress, Overview};

use super::{Chrome, render};
use crate::AppState;
use crate::error::PageError;
use crate::guard::PageUser;
use crate::views::CampaignView;

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage {
    chrome: Option<Chrome>,
    c: CampaignView,
    o: Overview,
}

pub(super) async fn overview(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    let today = state.clock().today();
    let (campaign, o) =
        safeduty_app::progress::overview(state.store(), &user.caller(), today).await?;
    Ok(render(&OverviewPage {
        chrome: Some(Chrome::new(&state, &user).await),
        c: CampaignView::new(&campaign, today, &*state.calendar().await?),
        o,
    }))
}

#[derive(Template)]
#[template(path = "enterprises.html")]
struct EnterprisesPage {
    chrome: Option<Chrome>,
    c: CampaignView,
    rows: Vec<EnterpriseProgress>,
    /// The caller's own unit's matters not closed (a unit officer's first page shows them).
    matters: Vec<safeduty_store::unit_matters::UnitMatter>,
    today: chrono::NaiveDate,
}

pub(super) async fn enterprises(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    let (campaign, rows) =
        safeduty_app::progress::enterprises(state.store(), &user.caller()).await?;
    let matters =
        safeduty_app::unit_matters::open_for_own_unit(state.store(), &user.caller()).await?;
    let today = state.clock().today();
    Ok(render(&EnterprisesPage {
        chrome: Some(Chrome::new(&state, &user).await),
        c: CampaignView::new(&campaign, today, &*state.calendar().await?),
        rows,
        matters,
        today,
    }))
}
