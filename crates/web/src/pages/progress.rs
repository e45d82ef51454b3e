//! The committee office's overview and the enterprise lists of units
//! ([`safeduty_app::progress`]).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use safeduty_store::org::Region;
use safeduty_store::paging::Page;
use safeduty_store::progress::{EnterpriseProgress, ListSort, ListStatus, Overview};

use super::{Chrome, render};
use crate::AppState;
use crate::error::PageError;
use crate::guard::PageUser;
use crate::input::enterprises::EnterpriseListParams;
use crate::paging::Pager;
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
    page: Page<EnterpriseProgress>,
    pager: Pager,
    params: EnterpriseListParams,
    /// The regions the caller may filter by (its scope's subtree).
    regions: Vec<Region>,
    /// The campaign's target industries, in the plan's order.
    industries: Vec<String>,
    statuses: [ListStatus; 5],
    sorts: [ListSort; 2],
    /// The caller's own unit's matters not closed (a unit officer's first page shows them).
    matters: Vec<safeduty_store::unit_matters::UnitMatter>,
    today: chrono::NaiveDate,
}

pub(super) async fn enterprises(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(params): Query<EnterpriseListParams>,
) -> Result<Response, PageError> {
    let today = state.clock().today();
    let (filter, request) = params.filter()?;
    let (campaign, page) =
        safeduty_app::progress::enterprises(state.store(), &user.caller(), &filter, today, request)
            .await?;
    let matters =
        safeduty_app::unit_matters::open_for_own_unit(state.store(), &user.caller()).await?;
    Ok(render(&EnterprisesPage {
        chrome: Some(Chrome::new(&state, &user).await),
        c: CampaignView::new(&campaign, today, &*state.calendar().await?),
        pager: Pager::new("/enterprises", &params.query(), &page),
        page,
        regions: safeduty_app::findings::regions(state.store(), &user.caller()).await?,
        industries: campaign.template.target_industries.clone(),
        params,
        statuses: ListStatus::ALL,
        sorts: ListSort::ALL,
        matters,
        today,
    }))
}
