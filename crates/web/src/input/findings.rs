//! What clients send about findings, parsed: the ledger's query string and a step in a finding's
//! loop. Shared by the pages and the JSON API, which both call the use cases with the result.

use chrono::NaiveDate;
use safeduty_core::finding::ledger::{Category, FiveImplementations, Grade, Source, parse_yuan};
use safeduty_core::finding::lifecycle::Request;
use safeduty_store::findings::ledger::{self, Filter, Sort, StatusFilter};
use serde::Deserialize;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;

/// The query string of the ledger: filters, order, page. Unknown values are a bad request.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct LedgerParams {
    /// Only findings in this state.
    #[serde(default)]
    #[param(value_type = Option<crate::openapi::FindingStatusFilterCode>)]
    pub(crate) status: String,
    /// Only findings of this grade.
    #[serde(default)]
    #[param(value_type = Option<crate::openapi::FindingGradeCode>)]
    pub(crate) grade: String,
    /// Only findings of this category.
    #[serde(default)]
    #[param(value_type = Option<crate::openapi::FindingCategoryCode>)]
    pub(crate) category: String,
    /// Only findings from this source.
    #[serde(default)]
    #[param(value_type = Option<crate::openapi::FindingSourceCode>)]
    pub(crate) source: String,
    /// Only findings past their time limit on the server's today (`yes`), or only those not.
    #[serde(default)]
    #[param(value_type = Option<crate::openapi::YesNoCode>)]
    pub(crate) overdue: String,
    /// Region id: only enterprises in its subtree.
    #[serde(default)]
    #[param(value_type = Option<String>)]
    pub(crate) region: String,
    /// The order.
    #[serde(default)]
    #[param(value_type = Option<crate::openapi::LedgerSortCode>)]
    pub(crate) sort: String,
    /// Page number, from 1.
    #[serde(default)]
    #[param(value_type = Option<String>)]
    pub(crate) page: String,
}

pub(crate) fn pick<T>(
    value: &str,
    what: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, AppError> {
    if value.is_empty() {
        return Ok(None);
    }
    parse(value).map(Some).ok_or_else(|| {
        AppError::BadRequest(format!(
            "筛选条件“{what}”的值“{}”无效",
            value.chars().take(20).collect::<String>()
        ))
    })
}

impl LedgerParams {
    /// The store's filter, and the page number (from 1).
    pub(crate) fn filter(&self) -> Result<(Filter, u32), AppError> {
        let filter = Filter {
            status: pick(&self.status, "状态", StatusFilter::from_code)?,
            grade: pick(&self.grade, "等级", Grade::from_code)?,
            category: pick(&self.category, "类别", Category::from_code)?,
            source: pick(&self.source, "来源", Source::from_code)?,
            overdue: pick(&self.overdue, "逾期", super::yes_no)?,
            region_id: pick(&self.region, "属地", |v| v.parse::<i64>().ok())?,
            enterprise_id: None,
            sort: pick(&self.sort, "排序", Sort::from_code)?.unwrap_or_default(),
        };
        let page = crate::paging::page_number(&self.page)?.page();
        Ok((filter, page))
    }

    /// The query string, without the page, for links that keep the filters.
    pub(crate) fn query(&self) -> String {
        serde_urlencoded::to_string([
            ("status", &self.status),
            ("grade", &self.grade),
            ("category", &self.category),
            ("source", &self.source),
            ("overdue", &self.overdue),
            ("region", &self.region),
            ("sort", &self.sort),
        ])
        .unwrap_or_default()
    }
}

/// The ledger rows of the caller's scope with `params`: the page's or, with `all`, every row (the
/// export). One function, so the page, the export and the API show the same rows.
///
/// # Errors
/// [`AppError::BadRequest`] for a query that does not parse; the use case's errors.
pub(crate) async fn ledger_rows(
    state: &AppState,
    user: &CurrentUser,
    params: &LedgerParams,
    all: bool,
) -> Result<(ledger::Page, u32), AppError> {
    let (filter, page) = params.filter()?;
    let rows = safeduty_app::findings::ledger(
        state.store(),
        &user.caller(),
        &filter,
        state.clock().today(),
        (!all).then_some(page),
    )
    .await?;
    Ok((rows, page))
}

/// One step in a finding's loop as a client asks for it (the finding page's forms and
/// `POST /api/v1/findings/{id}/transitions`); which fields are read depends on `action`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct Step {
    /// The step ([`Step::ACTIONS`]).
    #[schema(value_type = crate::openapi::FindingStepCode)]
    pub action: String,
    /// `accept_plan`: responsible person (整改责任人).
    #[serde(default)]
    pub responsible: String,
    /// `accept_plan`: measures (整改措施); `temporary_measures`: the temporary measures.
    #[serde(default)]
    pub measures: String,
    /// `accept_plan`: funds in yuan, at most two decimals, e.g. `8500` or `8,500.50`.
    #[serde(default)]
    pub funds: String,
    /// `accept_plan`: the plan's time limit, `YYYY-MM-DD` (not after the finding's).
    #[serde(default)]
    pub time_limit: String,
    /// `accept_plan`: the contingency plan (应急预案).
    #[serde(default)]
    pub contingency_plan: String,
    /// `temporary_measures`: work stopped (停产停业) or equipment out of use meanwhile.
    #[serde(default)]
    pub stop_work: bool,
    /// `return`, `request_extension`, `change_due`, `request_downgrade`: the reason (required);
    /// `decide_extension`, `decide_downgrade`: the decision's reason (required when refusing).
    #[serde(default)]
    pub reason: String,
    /// `request_extension`, `change_due`: the time limit asked for or set, `YYYY-MM-DD`.
    #[serde(default)]
    pub due_on: String,
    /// `decide_extension`, `decide_downgrade`: approve or refuse.
    #[serde(default)]
    #[schema(value_type = crate::openapi::DecisionCode)]
    pub decision: String,
    /// `verify`: the verification opinion (验收意见, required).
    #[serde(default)]
    pub opinion: String,
    /// `verify`: who checked on site (核验人员, names, required). The close-out also needs at
    /// least one photo or document of the on-site check uploaded on the finding's page since it
    /// was submitted.
    #[serde(default)]
    pub verifiers: String,
    /// `supervise`: the supervising unit's id (挂牌督办单位), a unit whose scope holds the
    /// enterprise.
    #[serde(default, deserialize_with = "super::id_text")]
    pub unit: String,
}

pub(crate) fn date_field(v: &str, label: &str) -> Result<Option<NaiveDate>, AppError> {
    if v.trim().is_empty() {
        return Ok(None);
    }
    safeduty_core::calendar::parse_ymd(v)
        .map(Some)
        .ok_or_else(|| {
            AppError::BadRequest(format!(
                "{label}“{}”不是有效日期（应为YYYY-MM-DD）",
                v.chars().take(20).collect::<String>()
            ))
        })
}

impl Step {
    /// Every `action` a client may ask for.
    pub const ACTIONS: [&'static str; 13] = [
        "accept_plan",
        "start_rectifying",
        "temporary_measures",
        "submit",
        "verify",
        "return",
        "start_rework",
        "request_extension",
        "decide_extension",
        Request::CHANGE_DUE,
        "supervise",
        "request_downgrade",
        "decide_downgrade",
    ];

    /// The loop's request.
    ///
    /// # Errors
    /// [`AppError::BadRequest`] for an unknown action, a date or amount that does not parse, a
    /// missing date or decision.
    pub(crate) fn request(&self) -> Result<Request, AppError> {
        Ok(match self.action.as_str() {
            "accept_plan" => Request::AcceptPlan(FiveImplementations {
                responsible: self.responsible.clone(),
                measures: self.measures.clone(),
                funds_fen: match self.funds.trim() {
                    "" => None,
                    v => Some(parse_yuan(v).ok_or_else(|| {
                        AppError::BadRequest(format!(
                            "整改资金“{}”不是有效金额（元，最多两位小数）",
                            v.chars().take(20).collect::<String>()
                        ))
                    })?),
                },
                time_limit: date_field(&self.time_limit, "整改时限")?,
                contingency_plan: self.contingency_plan.clone(),
            }),
            "start_rectifying" => Request::StartRectifying,
            "temporary_measures" => Request::TemporaryMeasures {
                measures: self.measures.clone(),
                stop_work: self.stop_work,
            },
            "submit" => Request::Submit { evidence: 0 },
            "verify" => Request::Verify {
                opinion: self.opinion.clone(),
                verifiers: self.verifiers.clone(),
                check_files: 0,
            },
            "return" => Request::Return {
                reason: self.reason.clone(),
            },
            "start_rework" => Request::StartRework,
            "request_extension" => Request::RequestExtension {
                due_on: date_field(&self.due_on, "延期后的整改期限")?
                    .ok_or_else(|| AppError::BadRequest("请填写延期后的整改期限".into()))?,
                reason: self.reason.clone(),
            },
            "decide_extension" => Request::DecideExtension {
                approve: super::decision(&self.decision)
                    .ok_or_else(|| AppError::BadRequest("请选择批准或不予延期".into()))?,
                reason: self.reason.clone(),
            },
            Request::CHANGE_DUE => Request::ChangeDue {
                due_on: date_field(&self.due_on, "整改期限")?
                    .ok_or_else(|| AppError::BadRequest("请填写新的整改期限".into()))?,
                reason: self.reason.clone(),
            },
            "supervise" => Request::Supervise {
                unit_id: safeduty_core::text::fold_width(&self.unit)
                    .parse::<i64>()
                    .ok()
                    .ok_or_else(|| AppError::BadRequest("请选择督办单位".into()))?,
            },
            "request_downgrade" => Request::RequestDowngrade {
                reason: self.reason.clone(),
            },
            "decide_downgrade" => Request::DecideDowngrade {
                approve: super::decision(&self.decision)
                    .ok_or_else(|| AppError::BadRequest("请选择批准或不予降级".into()))?,
                reason: self.reason.clone(),
            },
            _ => return Err(AppError::BadRequest("未知的操作".into())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Step;

    #[test]
    fn every_action_listed_is_read_and_no_other() {
        let step = |action: &str| Step {
            action: action.into(),
            due_on: "2024-07-01".into(),
            decision: "approve".into(),
            unit: "3".into(),
            ..Step::default()
        };
        for action in Step::ACTIONS {
            let request = step(action).request();
            assert!(request.is_ok(), "{action}: {request:?}");
        }
        assert!(step("open").request().is_err());
        assert!(step("approve_extension").request().is_err());
    }
}
