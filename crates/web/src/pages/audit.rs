//! The audit administrator's pages: `GET /audit` searches the trail (time range in Beijing dates,
//! actor, event, target, result; newest first, paged by record number) and `GET /audit/export`
//! downloads the matches as CSV or `.xlsx`, the export itself recorded in the trail. Only
//! `Action::ReadAuditTrail` opens them ([`safeduty_app::audit_trail`]). No route edits or deletes a record (shared case B25);
//! there is no retention purge.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{NaiveDate, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;
use safeduty_app::audit_trail::{EXPORT_MAX, Export};
use safeduty_store::audit::Event;
use safeduty_store::audit::search::{self, Record};

use super::{Chrome, render};
use crate::AppState;
use crate::audit_trail::{
    beijing_time, event_label, events, export, result_label, role_label, target_kinds, target_label,
};
use crate::download::{Audit, Download, XLSX};
use crate::error::{AppError, PageError};
use crate::guard::PageUser;

/// The search form, as query parameters.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub(super) struct Filter {
    /// First day (Beijing date, `YYYY-MM-DD`), inclusive.
    #[serde(default)]
    from: String,
    /// Last day, inclusive.
    #[serde(default)]
    to: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    event: String,
    #[serde(default)]
    target_kind: String,
    #[serde(default)]
    target_id: String,
    #[serde(default)]
    result: String,
    /// Show records with a number below this one (the next page).
    #[serde(default)]
    before: Option<i64>,
    /// `csv` or `xlsx` (export only).
    #[serde(default)]
    format: Option<String>,
}

/// Midnight at the start of a Beijing date, as the store's UTC text.
fn start_of(day: NaiveDate) -> String {
    let local = Shanghai
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .map_or_else(Utc::now, |t| t.with_timezone(&Utc));
    local.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

fn date(field: &str, value: &str) -> Result<Option<NaiveDate>, AppError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    safeduty_core::calendar::parse_ymd(v)
        .map(Some)
        .ok_or_else(|| {
            let shown: String = v.chars().take(20).collect();
            AppError::BadRequest(format!("{field}“{shown}”不是有效日期（应为YYYY-MM-DD）"))
        })
}

impl Filter {
    /// The store query; dates are whole Beijing days.
    fn query(&self) -> Result<search::Query, AppError> {
        let from = date("开始日期", &self.from)?;
        let to = date("结束日期", &self.to)?;
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            return Err(AppError::BadRequest("开始日期晚于结束日期".into()));
        }
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        // A code the trail never records finds nothing: say so instead of an empty page.
        let known = |field: &str, value: Option<String>, codes: &[(&str, &str)]| match value {
            Some(v) if !codes.iter().any(|(c, _)| *c == v) => {
                let shown: String = v.chars().take(20).collect();
                Err(AppError::BadRequest(format!(
                    "{field}“{shown}”不是可查询的取值，请从列表中选择"
                )))
            }
            v => Ok(v),
        };
        Ok(search::Query {
            from: from.map(start_of),
            until: to.and_then(|t| t.succ_opt()).map(start_of),
            actor: text(&self.actor),
            event: known("事件", text(&self.event), &events())?,
            target_kind: known("对象类型", text(&self.target_kind), &target_kinds())?,
            target_id: text(&self.target_id),
            result: text(&self.result),
        })
    }

    /// The filter as a query string, the fields given only (for the next-page and export links).
    fn query_string(&self) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("from", &self.from),
            ("to", &self.to),
            ("actor", &self.actor),
            ("event", &self.event),
            ("target_kind", &self.target_kind),
            ("target_id", &self.target_id),
            ("result", &self.result),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.trim()))
        .filter(|(_, v)| !v.is_empty())
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

/// One record as the page shows it.
struct Shown {
    seq: i64,
    at: String,
    actor: String,
    role: String,
    client: String,
    event: String,
    target: String,
    change: String,
    result: String,
    denied: bool,
}

fn shown(r: &Record) -> Shown {
    let actor = match (&r.actor_username, &r.actor_name) {
        (Some(u), Some(n)) => format!("{n}（{u}）"),
        (Some(u), None) => u.clone(),
        _ => String::new(),
    };
    let change = [("前", &r.before), ("后", &r.after)]
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}：{v}")))
        .collect::<Vec<_>>()
        .join("；");
    Shown {
        seq: r.seq,
        at: beijing_time(&r.at),
        actor,
        role: r.actor_role.as_deref().map(role_label).unwrap_or_default(),
        client: r.client_addr.clone().unwrap_or_default(),
        event: event_label(&r.event),
        target: if r.target_id.is_empty() {
            target_label(&r.target_kind)
        } else {
            format!("{} {}", target_label(&r.target_kind), r.target_id)
        },
        change,
        result: result_label(&r.result).to_string(),
        denied: r.result != "ok",
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Option<Chrome>,
    f: Filter,
    events: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
    total: i64,
    rows: Vec<Shown>,
    next: Option<String>,
    query: String,
    /// The demo date under a fixed clock: the page says its times are the real (system) time.
    demo_today: Option<chrono::NaiveDate>,
}

/// `GET /audit`.
pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(f): Query<Filter>,
) -> Result<Response, PageError> {
    let q = f.query()?;
    let found =
        safeduty_app::audit_trail::search(state.store(), &user.caller(), &q, f.before).await?;
    let query = f.query_string();
    let next = match found.records.last() {
        Some(last) if found.more => Some(format!("{query}&before={}", last.seq)),
        _ => None,
    };
    Ok(render(&AuditPage {
        chrome: Some(Chrome::new(&state, &user).await),
        events: events(),
        kinds: target_kinds(),
        total: found.total,
        rows: found.records.iter().map(shown).collect(),
        next,
        query,
        demo_today: state.clock().fixed(),
        f,
    }))
}

/// `GET /audit/export?format=csv|xlsx&…`: the matches, oldest first; the export is recorded
/// (with its filter and the number of records) before the file is sent.
pub(super) async fn export(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(f): Query<Filter>,
) -> Result<Response, PageError> {
    let format = match f.format.as_deref() {
        Some("csv") => "csv",
        Some("xlsx") | None => "xlsx",
        Some(other) => {
            let shown: String = other.chars().take(10).collect();
            return Err(AppError::BadRequest(format!(
                "不支持的导出格式“{shown}”（应为 csv 或 xlsx）"
            ))
            .into());
        }
    };
    let q = f.query()?;
    let records = match safeduty_app::audit_trail::export(state.store(), &user.caller(), &q).await?
    {
        Export::Records(records) => records,
        Export::TooMany(total) => {
            return Err(AppError::BadRequest(format!(
                "符合条件的记录有 {total} 条，超过单次导出上限 {EXPORT_MAX} 条，请缩小时间范围"
            ))
            .into());
        }
    };
    let today = state.clock().today();
    let (bytes, content_type) = if format == "csv" {
        (export::csv(&records), "text/csv; charset=utf-8")
    } else {
        (
            export::xlsx(&records).map_err(|e| AppError::Internal(format!("xlsx: {e}")))?,
            XLSX,
        )
    };
    Ok(
        Download::new(bytes, content_type, &format!("审计记录-{today}.{format}"))
            .send(
                &state,
                &user,
                Audit::Record {
                    event: Event::AuditExported,
                    target_kind: safeduty_store::audit::Object::AuditTrail.into(),
                    target_id: String::new(),
                    detail: serde_json::json!({
                        "format": format,
                        "filter": f.query_string(),
                        "records": records.len(),
                        "first": records.first().map(|r| r.seq),
                        "last": records.last().map(|r| r.seq),
                    }),
                },
            )
            .await?,
    )
}
