//! The committee office's overview and the enterprise lists of units.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use safeduty_core::policy::Action;
use safeduty_store::progress::{self, EnterpriseProgress, Overview};

use super::{Chrome, current_campaign, render};
use crate::AppState;
use crate::error::{AppError, PageError};
use crate::guard::{PageUser, require};
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
    require(&state, &user, Action::ViewDashboard, None).await?;
    let campaign = current_campaign(&state, &user)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = state.clock().today();
    let mut o = progress::overview(state.store(), &user.user.scope, campaign.id, today).await?;
    // Industries in the plan's order; others after them.
    let order = &campaign.template.target_industries;
    o.by_industry.sort_by_key(|g| {
        order
            .iter()
            .position(|i| *i == g.group)
            .unwrap_or(order.len())
    });
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
}

pub(super) async fn enterprises(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    require(&state, &user, Action::ListEnterprises, None).await?;
    let campaign = current_campaign(&state, &user)
        .await?
        .ok_or(AppError::NotFound)?;
    let rows = progress::enterprises(state.store(), &user.user.scope, campaign.id).await?;
    Ok(render(&EnterprisesPage {
        chrome: Some(Chrome::new(&state, &user).await),
        c: CampaignView::new(&campaign, state.clock().today(), &*state.calendar().await?),
        rows,
    }))
}
