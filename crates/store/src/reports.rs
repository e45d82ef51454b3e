//! Reports submitted by supervising units, and the units whose reporting a user may see.

use std::collections::HashMap;

use chrono::NaiveDate;
use safeduty_core::policy::{UnitKind, UnitScope};
use serde::Serialize;
use sqlx::Row;

use crate::audit::{self, Entry, Event, Who};
use crate::sql::Sql;
use crate::{Store, StoreError, now_text};

/// A supervising unit that owes reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportingUnit {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Territorial unit or industry department.
    pub kind: UnitKind,
    /// Its region's materialized path.
    pub region_path: String,
}

impl ReportingUnit {
    /// The enterprises it supervises.
    pub fn scope(&self) -> safeduty_core::policy::Scope {
        safeduty_core::policy::Scope::of_unit(self.id, self.kind, self.region_path.clone())
    }
}

/// Territorial units and industry departments inside `scope`, territorial units first, each group
/// in administrative order.
///
/// # Errors
/// [`StoreError::Database`], [`StoreError::Corrupt`].
pub async fn units(store: &Store, scope: &UnitScope) -> Result<Vec<ReportingUnit>, StoreError> {
    let mut sql = Sql::new(
        "SELECT n.id, n.name, n.kind, r.path AS region_path FROM units n JOIN regions r ON r.id = n.region_id \
         WHERE n.kind IN ('territorial', 'industry_department') AND ",
    );
    match scope {
        UnitScope::RegionSubtree { region_path } => {
            sql.push_path_prefix("r.path", region_path.as_str())
        }
        UnitScope::Unit { unit_id } => sql.push("n.id = ").push_bind(*unit_id),
        UnitScope::Nothing => return Ok(Vec::new()),
    };
    sql.push(" ORDER BY CASE WHEN n.kind = 'territorial' THEN 0 ELSE 1 END, r.path, n.id");
    let rows = sql.query().fetch_all(store.reader()).await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            Ok(ReportingUnit {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                region_path: r.try_get("region_path")?,
                kind: UnitKind::from_code(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("unit kind {kind:?}")))?,
            })
        })
        .collect()
}

/// The submission dates of a campaign's reports, by (unit id, report key).
///
/// # Errors
/// [`StoreError::Database`], [`StoreError::Corrupt`].
pub async fn submissions(
    store: &Store,
    campaign_id: i64,
) -> Result<HashMap<(i64, String), NaiveDate>, StoreError> {
    let rows = sqlx::query(
        "SELECT unit_id, report_key, submitted_on FROM report_submissions WHERE campaign_id = $1",
    )
    .bind(campaign_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            let on: String = r.try_get("submitted_on")?;
            Ok((
                (r.try_get("unit_id")?, r.try_get("report_key")?),
                on.parse()
                    .map_err(|_| StoreError::Corrupt(format!("date {on:?}")))?,
            ))
        })
        .collect()
}

/// The document a report is submitted with, its bytes already in the blob store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    /// SHA-256 of the bytes (the blob key).
    pub sha256: String,
    /// The name kept.
    pub file_name: String,
    /// What the content is (`docx`, `pdf`).
    pub kind: String,
    /// Size in bytes.
    pub size: i64,
    /// The text read from it.
    pub text: String,
}

/// A report's document as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    /// Public id (32 hex digits), for its download.
    pub public_id: String,
    /// The unit that submitted it.
    pub unit_id: i64,
    /// The report it was submitted for.
    pub report_key: String,
    /// SHA-256 of the bytes.
    #[serde(skip)]
    pub sha256: String,
    /// The name kept.
    pub file_name: String,
    /// What the content is (`docx`, `pdf`).
    pub kind: String,
    /// Size in bytes.
    pub size: i64,
    /// The text read from it.
    pub text: String,
    /// The note sent with it.
    pub note: String,
    /// The day it was submitted.
    pub submitted_on: NaiveDate,
    /// Who submitted it.
    pub submitted_by: String,
    /// Returned by the committee office: the day, who and why.
    pub returned: Option<(NaiveDate, String, String)>,
}

/// Records that `unit_id` submitted the report `key` on `on` with `document` (kept as the
/// record) and `note`; audited, in one transaction. A report is submitted once: a second
/// submission (a double click) is a conflict and changes nothing.
///
/// # Errors
/// [`StoreError::Conflict`] when already submitted with another document (the same document
/// again changes nothing: a double click); [`StoreError::Database`].
#[allow(clippy::too_many_arguments)] // who, which report of which unit, when, with what
pub async fn submit(
    store: &Store,
    who: &Who,
    campaign_id: i64,
    unit_id: i64,
    key: &str,
    on: NaiveDate,
    note: &str,
    document: Option<&NewDocument>,
) -> Result<(), StoreError> {
    let now = now_text();
    let mut tx = store.write().await?;
    let n = sqlx::query(
        "INSERT INTO report_submissions (campaign_id, unit_id, report_key, submitted_on, \
         submitted_by, note, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
         ON CONFLICT (campaign_id, unit_id, report_key) DO NOTHING",
    )
    .bind(campaign_id)
    .bind(unit_id)
    .bind(key)
    .bind(on.to_string())
    .bind(who.user_id)
    .bind(note)
    .bind(&now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        // The same document again is a double click: nothing to do. Anything else would
        // replace the record silently: refused, the office returns a report to be corrected.
        let same: Option<String> = sqlx::query_scalar(
            "SELECT sha256 FROM report_documents WHERE campaign_id = $1 AND unit_id = $2 \
             AND report_key = $3 AND returned_on IS NULL ORDER BY id DESC LIMIT 1",
        )
        .bind(campaign_id)
        .bind(unit_id)
        .bind(key)
        .fetch_optional(&mut *tx)
        .await?;
        if same.is_some() && same.as_deref() == document.map(|d| d.sha256.as_str()) {
            return Ok(());
        }
        return Err(StoreError::Conflict(
            "该报告已报送，不能替换；如需更正，请联系安委办退回后重新报送".into(),
        ));
    }
    let mut after = serde_json::json!({"submitted_on": on.to_string(), "note": note});
    if let Some(d) = document {
        let public_id = crate::new_public_id();
        sqlx::query(
            "INSERT INTO report_documents (public_id, campaign_id, unit_id, report_key, sha256, \
             file_name, kind, size, text, note, submitted_on, submitted_by, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $13, $10, $11, $12, $12)",
        )
        .bind(&public_id)
        .bind(campaign_id)
        .bind(unit_id)
        .bind(key)
        .bind(&d.sha256)
        .bind(&d.file_name)
        .bind(&d.kind)
        .bind(d.size)
        .bind(&d.text)
        .bind(on.to_string())
        .bind(who.user_id)
        .bind(&now)
        .bind(note)
        .execute(&mut *tx)
        .await?;
        after["document"] = serde_json::json!({
            "id": public_id, "name": d.file_name, "sha256": d.sha256, "size": d.size,
        });
    }
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::ReportSubmitted,
            target_kind: crate::audit::Object::Report.into(),
            target_id: format!("{campaign_id}/{unit_id}/{key}"),
            before: None,
            after: Some(after),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Returns `unit_id`'s submitted report `key` on `on` with `reason` (the committee office): the
/// submission is withdrawn, so the report is owed again and counted against its due date; its
/// document stays, marked returned. Audited, in one transaction.
///
/// # Errors
/// [`StoreError::Conflict`] when the report is not submitted (or was returned meanwhile), or was
/// recorded without a document; [`StoreError::Database`].
pub async fn return_report(
    store: &Store,
    who: &Who,
    campaign_id: i64,
    unit_id: i64,
    key: &str,
    on: NaiveDate,
    reason: &str,
) -> Result<(), StoreError> {
    let now = now_text();
    let mut tx = store.write().await?;
    let submitted: Option<String> = sqlx::query_scalar(
        "SELECT submitted_on FROM report_submissions \
         WHERE campaign_id = $1 AND unit_id = $2 AND report_key = $3",
    )
    .bind(campaign_id)
    .bind(unit_id)
    .bind(key)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(submitted_on) = submitted else {
        return Err(StoreError::Conflict("该报告尚未报送或已退回".into()));
    };
    // A report recorded without its document (before documents were kept) has nothing to
    // return, and a reason kept nowhere would be lost.
    let documents: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM report_documents WHERE campaign_id = $1 AND unit_id = $2 \
         AND report_key = $3 AND returned_on IS NULL",
    )
    .bind(campaign_id)
    .bind(unit_id)
    .bind(key)
    .fetch_one(&mut *tx)
    .await?;
    if documents == 0 {
        return Err(StoreError::Conflict(
            "该报告报送时未附文件（系统记录的报送），没有可退回的文件".into(),
        ));
    }
    sqlx::query(
        "DELETE FROM report_submissions WHERE campaign_id = $1 AND unit_id = $2 \
         AND report_key = $3",
    )
    .bind(campaign_id)
    .bind(unit_id)
    .bind(key)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE report_documents SET returned_on = $1, returned_by = $2, return_reason = $3, \
         updated_at = $4 WHERE campaign_id = $5 AND unit_id = $6 AND report_key = $7 \
         AND returned_on IS NULL",
    )
    .bind(on.to_string())
    .bind(who.user_id)
    .bind(reason)
    .bind(&now)
    .bind(campaign_id)
    .bind(unit_id)
    .bind(key)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::ReportReturned,
            target_kind: crate::audit::Object::Report.into(),
            target_id: format!("{campaign_id}/{unit_id}/{key}"),
            before: Some(serde_json::json!({"submitted_on": submitted_on})),
            after: Some(serde_json::json!({"returned_on": on.to_string(), "reason": reason})),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

const DOCUMENT_SELECT: &str = "SELECT d.public_id, d.unit_id, d.report_key, d.sha256, \
    d.file_name, d.kind, d.size, d.text, d.note, d.submitted_on, COALESCE(s.display_name, '') AS by_name, \
    d.returned_on, COALESCE(r.display_name, '') AS returned_by_name, d.return_reason \
    FROM report_documents d LEFT JOIN users s ON s.id = d.submitted_by \
    LEFT JOIN users r ON r.id = d.returned_by";

fn document_from_row(r: &sqlx::any::AnyRow) -> Result<Document, StoreError> {
    let date = |s: String| {
        s.parse::<NaiveDate>()
            .map_err(|_| StoreError::Corrupt(format!("date {s:?}")))
    };
    Ok(Document {
        public_id: r.try_get("public_id")?,
        unit_id: r.try_get("unit_id")?,
        report_key: r.try_get("report_key")?,
        sha256: r.try_get("sha256")?,
        file_name: r.try_get("file_name")?,
        kind: r.try_get("kind")?,
        size: r.try_get("size")?,
        text: r.try_get("text")?,
        note: r.try_get("note")?,
        submitted_on: date(r.try_get("submitted_on")?)?,
        submitted_by: r.try_get("by_name")?,
        returned: match r.try_get::<Option<String>, _>("returned_on")? {
            Some(on) => Some((
                date(on)?,
                r.try_get("returned_by_name")?,
                r.try_get("return_reason")?,
            )),
            None => None,
        },
    })
}

/// The documents `unit_id` submitted for the report `key` in `campaign_id`, newest first (the
/// returned ones included).
///
/// # Errors
/// [`StoreError::Database`], [`StoreError::Corrupt`].
pub async fn documents(
    store: &Store,
    campaign_id: i64,
    unit_id: i64,
    key: &str,
) -> Result<Vec<Document>, StoreError> {
    let sql = format!(
        "{DOCUMENT_SELECT} WHERE d.campaign_id = $1 AND d.unit_id = $2 AND d.report_key = $3 \
         ORDER BY d.id DESC"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(campaign_id)
        .bind(unit_id)
        .bind(key)
        .fetch_all(store.reader())
        .await?
        .iter()
        .map(document_from_row)
        .collect()
}

/// The committee office over the region with `region_path`: the one of that region or of the
/// nearest region above it; `None` when there is none.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn committee_office(
    store: &Store,
    region_path: &str,
) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT n.name FROM units n JOIN regions r ON r.id = n.region_id \
         WHERE n.kind = 'committee_office' AND substr($1, 1, length(r.path)) = r.path \
         ORDER BY length(r.path) DESC, n.id LIMIT 1",
    )
    .bind(region_path)
    .fetch_optional(store.reader())
    .await?)
}

/// What a code given to `safeduty report build --unit` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Named {
    /// A territorial unit or an industry department.
    Unit(ReportingUnit),
    /// A region with a committee office (its report is the office's): path and office name.
    Region {
        /// The region's materialized path.
        path: String,
        /// Its committee office.
        office: String,
    },
}

/// The unit or region `code` names: a region's code (its territorial unit, else the region of
/// its committee office), else the exact name of a territorial unit or industry department.
///
/// # Errors
/// [`StoreError::NotFound`] when nothing (or more than one unit) has that name;
/// [`StoreError::Database`], [`StoreError::Corrupt`].
pub async fn named(store: &Store, code: &str) -> Result<Named, StoreError> {
    let all = units(
        store,
        &UnitScope::RegionSubtree {
            region_path: String::new(),
        },
    )
    .await?;
    let region: Option<(i64, String)> = sqlx::query("SELECT id, path FROM regions WHERE code = $1")
        .bind(code)
        .fetch_optional(store.reader())
        .await?
        .map(|r| Ok::<_, StoreError>((r.try_get("id")?, r.try_get("path")?)))
        .transpose()?;
    if let Some((region_id, path)) = region {
        let territorial: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM units WHERE region_id = $1 AND kind = 'territorial' ORDER BY id LIMIT 1",
        )
        .bind(region_id)
        .fetch_optional(store.reader())
        .await?;
        if let Some(u) = territorial.and_then(|id| all.iter().find(|u| u.id == id)) {
            return Ok(Named::Unit(u.clone()));
        }
        let office: Option<String> = sqlx::query_scalar(
            "SELECT name FROM units WHERE region_id = $1 AND kind = 'committee_office' \
             ORDER BY id LIMIT 1",
        )
        .bind(region_id)
        .fetch_optional(store.reader())
        .await?;
        if let Some(office) = office {
            return Ok(Named::Region { path, office });
        }
    }
    let mut by_name = all.into_iter().filter(|u| u.name == code);
    match (by_name.next(), by_name.next()) {
        (Some(u), None) => Ok(Named::Unit(u)),
        _ => Err(StoreError::NotFound),
    }
}

/// A unit's draft of a generated report: the three text sections and the document number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Draft {
    /// 工作开展情况.
    pub work: String,
    /// 存在问题.
    pub problems: String,
    /// 下一步工作.
    pub next_steps: String,
    /// The document number (发文字号), empty for none.
    pub doc_number: String,
}

/// The draft `unit_id` saved for the report `key`, if any.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn draft(
    store: &Store,
    campaign_id: i64,
    unit_id: i64,
    key: &str,
) -> Result<Option<Draft>, StoreError> {
    sqlx::query(
        "SELECT work, problems, next_steps, doc_number FROM report_drafts \
         WHERE campaign_id = $1 AND unit_id = $2 AND report_key = $3",
    )
    .bind(campaign_id)
    .bind(unit_id)
    .bind(key)
    .fetch_optional(store.reader())
    .await?
    .map(|r| {
        Ok(Draft {
            work: r.try_get("work")?,
            problems: r.try_get("problems")?,
            next_steps: r.try_get("next_steps")?,
            doc_number: r.try_get("doc_number")?,
        })
    })
    .transpose()
}

/// Saves `draft` as `unit_id`'s draft of the report `key` (replacing the one saved before);
/// audited with the text before and after, in one transaction. Saving the same text again
/// changes nothing and writes no record.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn save_draft(
    store: &Store,
    who: &Who,
    campaign_id: i64,
    unit_id: i64,
    key: &str,
    draft: &Draft,
) -> Result<(), StoreError> {
    let now = now_text();
    let mut tx = store.write().await?;
    let before = sqlx::query(
        "SELECT work, problems, next_steps, doc_number FROM report_drafts \
         WHERE campaign_id = $1 AND unit_id = $2 AND report_key = $3",
    )
    .bind(campaign_id)
    .bind(unit_id)
    .bind(key)
    .fetch_optional(&mut *tx)
    .await?
    .map(|r| {
        Ok::<_, StoreError>(Draft {
            work: r.try_get("work")?,
            problems: r.try_get("problems")?,
            next_steps: r.try_get("next_steps")?,
            doc_number: r.try_get("doc_number")?,
        })
    })
    .transpose()?;
    if before.as_ref() == Some(draft) {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO report_drafts (campaign_id, unit_id, report_key, work, problems, next_steps, \
         doc_number, saved_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
         $9, $9) ON CONFLICT (campaign_id, unit_id, report_key) DO UPDATE SET work = $4, \
         problems = $5, next_steps = $6, doc_number = $7, saved_by = $8, updated_at = $9",
    )
    .bind(campaign_id)
    .bind(unit_id)
    .bind(key)
    .bind(&draft.work)
    .bind(&draft.problems)
    .bind(&draft.next_steps)
    .bind(&draft.doc_number)
    .bind(who.user_id)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::ReportDraftSaved,
            target_kind: crate::audit::Object::Report.into(),
            target_id: format!("{campaign_id}/{unit_id}/{key}"),
            before: before.map(|d| serde_json::json!(d)),
            after: Some(serde_json::json!(draft)),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
