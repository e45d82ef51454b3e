//! The enterprise list's query string (`/enterprises`, `GET /api/v1/enterprises`): search,
//! filters, order, page. Unknown values are a bad request.

use safeduty_store::paging::PageRequest;
use safeduty_store::progress::{ListFilter, ListSort, ListStatus};
use serde::Deserialize;

use super::findings::pick;
use crate::error::AppError;

/// The longest search text read (characters); a longer one is refused.
const MAX_SEARCH: usize = 60;

/// The query string of the enterprise list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct EnterpriseListParams {
    /// Text found in the name or the USCC: case-insensitive, full-width letters and digits read
    /// as half-width, a name typed in Simplified finds one written in Traditional.
    #[serde(default)]
    pub(crate) q: String,
    /// Region id: only enterprises in its subtree.
    #[serde(default)]
    #[param(value_type = Option<String>)]
    pub(crate) region: String,
    /// Industry, exactly as listed.
    #[serde(default)]
    #[param(value_type = Option<String>)]
    pub(crate) industry: String,
    /// `not_started`, `draft`, `submitted` (self-inspection), `open_findings` or `overdue`
    /// (open findings past their time limit on the server's today).
    #[serde(default)]
    #[param(value_type = Option<String>)]
    pub(crate) status: String,
    /// `name` (pinyin order, the default) or `region`.
    #[serde(default)]
    #[param(value_type = Option<String>)]
    pub(crate) sort: String,
    /// Page number, from 1.
    #[serde(default)]
    #[param(value_type = Option<String>)]
    pub(crate) page: String,
    /// Rows per page (default 50, at most 200).
    #[serde(default)]
    #[param(value_type = Option<String>)]
    pub(crate) per_page: String,
}

impl EnterpriseListParams {
    /// The store's filter and the page asked for.
    ///
    /// # Errors
    /// [`AppError::BadRequest`] naming the value that does not parse.
    pub(crate) fn filter(&self) -> Result<(ListFilter, PageRequest), AppError> {
        let q = self.q.trim();
        if q.chars().count() > MAX_SEARCH {
            return Err(AppError::BadRequest(format!(
                "搜索内容过长（不超过 {MAX_SEARCH} 个字）"
            )));
        }
        let filter = ListFilter {
            search: (!q.is_empty()).then(|| q.to_string()),
            region_id: pick(&self.region, "属地", |v| v.parse::<i64>().ok())?,
            industry: (!self.industry.trim().is_empty()).then(|| self.industry.trim().to_string()),
            status: pick(&self.status, "状态", ListStatus::from_code)?,
            sort: pick(&self.sort, "排序", ListSort::from_code)?.unwrap_or_default(),
        };
        let page = crate::paging::page_request(&self.page, &self.per_page)?;
        Ok((filter, page))
    }

    /// The query string without the page, for links that keep the filters.
    pub(crate) fn query(&self) -> String {
        serde_urlencoded::to_string([
            ("q", &self.q),
            ("region", &self.region),
            ("industry", &self.industry),
            ("status", &self.status),
            ("sort", &self.sort),
            ("per_page", &self.per_page),
        ])
        .unwrap_or_default()
    }
}
