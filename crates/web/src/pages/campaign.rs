//! The campaign page: areas and items, phases, measures, reporting deadlines.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::{Chrome, render};
use crate::AppState;
use crate::error::PageError;
use crate::guard::PageUser;
use crate::views::CampaignView;

#[derive(Template)]
#[template(path = "campaign.html")]
struct CampaignPage {
    chrome: Option<Chrome>,
    campaign: Option<CampaignView>,
}

pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    let campaign = safeduty_app::campaigns::read(state.store(), &user.caller()).await?;
    let today = state.clock().today();
    let calendar = state.calendar().await?;
    let campaign = campaign.map(|c| CampaignView::new(&c, today, &calendar));
    Ok(render(&CampaignPage {
        chrome: Some(Chrome::new(&state, &user).await),
        campaign,
    }))
}
