//! Plan drafts (issue #3, review page): a plan document a committee office uploaded, the template
//! the importer read from it, and the reviewer's edits, until it is saved as a template and a
//! campaign is started from it.
//!
//! The current template of a draft is always `extracted` with `edits` applied in order (by
//! `safeduty_plan::apply_review_edits`); a question's resolution is an edit too. Status moves one
//! way: `draft` (editable) → `saved` (the reviewed template, frozen) → `started` (a campaign was
//! created from it). Every change writes its audit record in the same transaction. Reads are
//! limited to drafts of regions inside the caller's region subtree: anything else is
//! [`StoreError::NotFound`].

use safeduty_core::template::{CampaignTemplate, ReviewEdit};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Entry, Event, Who};
use crate::campaigns::{self, Campaign};
use crate::{Store, StoreError, Tx, new_public_id, now_text};

/// Where a draft stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftStatus {
    /// Being reviewed: edits allowed.
    Draft,
    /// Saved as a template: frozen, ready to start a campaign.
    Saved,
    /// A campaign was started from it.
    Started,
}

impl DraftStatus {
    fn code(self) -> &'static str {
        match self {
            DraftStatus::Draft => "draft",
            DraftStatus::Saved => "saved",
            DraftStatus::Started => "started",
        }
    }

    fn parse(s: &str) -> Result<Self, StoreError> {
        Ok(match s {
            "draft" => DraftStatus::Draft,
            "saved" => DraftStatus::Saved,
            "started" => DraftStatus::Started,
            other => return Err(StoreError::Corrupt(format!("plan draft status {other}"))),
        })
    }

    /// Label shown on pages.
    pub fn label(self) -> &'static str {
        match self {
            DraftStatus::Draft => "审查中",
            DraftStatus::Saved => "已保存为模板",
            DraftStatus::Started => "已启动专项治理",
        }
    }
}

/// A plan draft as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// Id.
    pub id: i64,
    /// Public identifier (in URLs).
    pub public_id: String,
    /// Region of the committee office that uploaded it; a campaign started from it runs there.
    pub region_id: i64,
    /// That region's path: who may see the draft is decided on it
    /// (`safeduty_core::policy::authorize_in_region`).
    pub region_path: String,
    /// Name of the uploaded file.
    pub file_name: String,
    /// The normalized source text the template's line numbers refer to.
    pub source_text: String,
    /// The template as the importer read it, before any edit.
    pub extracted: CampaignTemplate,
    /// Review edits in the order made (question resolutions included).
    pub edits: Vec<ReviewEdit>,
    /// Where it stands.
    pub status: DraftStatus,
    /// The reviewed template, once saved.
    pub template: Option<CampaignTemplate>,
    /// Public id of the campaign started from it.
    pub campaign: Option<String>,
    /// User who uploaded it.
    pub created_by: i64,
    /// When it was uploaded (UTC, stored form).
    pub created_at: String,
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(format!("plan draft json: {e}")))
}

fn parse<T: serde::de::DeserializeOwned>(s: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("plan draft {what}: {e}")))
}

fn from_row(r: &AnyRow) -> Result<Draft, StoreError> {
    let template: Option<String> = r.try_get("template")?;
    Ok(Draft {
        id: r.try_get("id")?,
        public_id: r.try_get("public_id")?,
        region_id: r.try_get("region_id")?,
        region_path: r.try_get("region_path")?,
        file_name: r.try_get("file_name")?,
        source_text: r.try_get("source_text")?,
        extracted: parse(&r.try_get::<String, _>("extracted")?, "extracted")?,
        edits: parse(&r.try_get::<String, _>("edits")?, "edits")?,
        status: DraftStatus::parse(&r.try_get::<String, _>("status")?)?,
        template: template.map(|t| parse(&t, "template")).transpose()?,
        campaign: r.try_get("campaign")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
    })
}

const SELECT: &str = "SELECT d.id, d.public_id, d.region_id, r.path AS region_path, d.file_name, d.source_text, d.extracted, \
     d.edits, d.status, d.template, c.public_id AS campaign, d.created_by, d.created_at \
     FROM plan_drafts d JOIN regions r ON r.id = d.region_id \
     LEFT JOIN campaigns c ON c.id = d.campaign_id";

/// Stores a new draft of the region `region_id`; audited.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn create(
    tx: &mut Tx,
    who: &Who,
    region_id: i64,
    created_by: i64,
    file_name: &str,
    source_text: &str,
    extracted: &CampaignTemplate,
) -> Result<String, StoreError> {
    let now = now_text();
    let public_id = new_public_id();
    sqlx::query(
        "INSERT INTO plan_drafts (public_id, region_id, file_name, source_text, extracted, edits, \
         status, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, '[]', 'draft', $6, $7, $7)",
    )
    .bind(&public_id)
    .bind(region_id)
    .bind(file_name)
    .bind(source_text)
    .bind(json(extracted)?)
    .bind(created_by)
    .bind(&now)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        Entry {
            who,
            event: Event::PlanDraftCreated,
            target_kind: crate::audit::Object::PlanDraft.into(),
            target_id: public_id.clone(),
            before: None,
            after: Some(serde_json::json!({
                "file_name": file_name,
                "areas": extracted.areas.len(),
                "items": extracted.all_items().len(),
                "phases": extracted.phases.len(),
                "obligations": extracted.obligations.len(),
                "questions": extracted.questions.len(),
            })),
            result: "ok",
        },
    )
    .await?;
    Ok(public_id)
}

/// The draft `public_id`, wherever it belongs: the caller asks the policy with its
/// `region_path` before showing or changing anything.
///
/// # Errors
/// [`StoreError::NotFound`] when there is none; [`StoreError::Database`],
/// [`StoreError::Corrupt`].
pub async fn get(store: &Store, public_id: &str) -> Result<Draft, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE d.public_id = $1"
    )))
    .bind(public_id)
    .fetch_optional(store.reader())
    .await?
    .ok_or(StoreError::NotFound)?;
    from_row(&row)
}

/// The drafts of the subtree at `region_path`, newest first.
///
/// # Errors
/// [`StoreError::Database`], [`StoreError::Corrupt`].
pub async fn list(store: &Store, region_path: &str) -> Result<Vec<Draft>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE substr(r.path, 1, length($1)) = $1 ORDER BY d.id DESC"
    )))
    .bind(region_path)
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(from_row).collect()
}

/// Appends review edits to a draft still under review; `seen` is the number of edits the
/// reviewer's page showed, so that two reviewers never overwrite each other. Audited with the
/// new edits.
///
/// # Errors
/// [`StoreError::Conflict`] when the draft is no longer under review or has changed since;
/// [`StoreError::Database`].
pub async fn add_edits(
    tx: &mut Tx,
    who: &Who,
    draft: &Draft,
    seen: usize,
    new: &[ReviewEdit],
) -> Result<(), StoreError> {
    if seen != draft.edits.len() {
        return Err(StoreError::Conflict(
            "草稿已被他人修改，请刷新页面后重试".into(),
        ));
    }
    let mut all = draft.edits.clone();
    all.extend(new.iter().cloned());
    let done = sqlx::query(
        "UPDATE plan_drafts SET edits = $1, updated_at = $2 \
         WHERE id = $3 AND status = 'draft' AND edits = $4",
    )
    .bind(json(&all)?)
    .bind(now_text())
    .bind(draft.id)
    .bind(json(&draft.edits)?)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Conflict(
            "草稿已保存或已被他人修改，不能再修改".into(),
        ));
    }
    audit::record(
        tx,
        Entry {
            who,
            event: Event::PlanDraftEdited,
            target_kind: crate::audit::Object::PlanDraft.into(),
            target_id: draft.public_id.clone(),
            before: None,
            after: Some(
                serde_json::to_value(new).map_err(|e| {
                    StoreError::Corrupt(format!("review edits do not serialize: {e}"))
                })?,
            ),
            result: "ok",
        },
    )
    .await
}

/// Saves the reviewed `template` of a draft under review (status `saved`); audited.
///
/// # Errors
/// [`StoreError::Conflict`] when the draft is not under review; [`StoreError::Database`].
pub async fn save_template(
    tx: &mut Tx,
    who: &Who,
    draft: &Draft,
    template: &CampaignTemplate,
) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE plan_drafts SET status = 'saved', template = $1, updated_at = $2 \
         WHERE id = $3 AND status = 'draft'",
    )
    .bind(json(template)?)
    .bind(now_text())
    .bind(draft.id)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Conflict("草稿已保存为模板".into()));
    }
    audit::record(
        tx,
        Entry {
            who,
            event: Event::PlanTemplateSaved,
            target_kind: crate::audit::Object::PlanDraft.into(),
            target_id: draft.public_id.clone(),
            before: Some(serde_json::json!({"status": DraftStatus::Draft.code()})),
            after: Some(serde_json::json!({
                "status": DraftStatus::Saved.code(),
                "title": template.plan.title,
                "items": template.all_items().len(),
                "review_edits": template.review_edits.len(),
            })),
            result: "ok",
        },
    )
    .await
}

/// Starts a campaign named `name` for `year` in the draft's region from its saved template, in
/// one transaction with the draft's move to `started`; both audited.
///
/// # Errors
/// [`StoreError::Conflict`] when the draft has no saved template or a campaign was already
/// started from it, or two items share a number; [`StoreError::Database`].
pub async fn start_campaign(
    tx: &mut Tx,
    who: &Who,
    draft: &Draft,
    name: &str,
    year: i32,
) -> Result<Campaign, StoreError> {
    let (DraftStatus::Saved, Some(template)) = (draft.status, draft.template.as_ref()) else {
        return Err(StoreError::Conflict(
            "只能从已保存的模板启动专项治理".into(),
        ));
    };
    let campaign = campaigns::create(tx, who, name, year, draft.region_id, template).await?;
    let done = sqlx::query(
        "UPDATE plan_drafts SET status = 'started', campaign_id = $1, updated_at = $2 \
         WHERE id = $3 AND status = 'saved'",
    )
    .bind(campaign.id)
    .bind(now_text())
    .bind(draft.id)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Conflict("已从该模板启动过专项治理".into()));
    }
    audit::record(
        tx,
        Entry {
            who,
            event: Event::Updated,
            target_kind: crate::audit::Object::PlanDraft.into(),
            target_id: draft.public_id.clone(),
            before: Some(serde_json::json!({"status": DraftStatus::Saved.code()})),
            after: Some(serde_json::json!({
                "status": DraftStatus::Started.code(),
                "campaign": campaign.public_id,
            })),
            result: "ok",
        },
    )
    .await?;
    Ok(campaign)
}

/// Id of the region at `path` (a committee office's own region, where its drafts belong).
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown path; [`StoreError::Database`].
pub async fn region_id(store: &Store, path: &str) -> Result<i64, StoreError> {
    sqlx::query_scalar("SELECT id FROM regions WHERE path = $1")
        .bind(path)
        .fetch_optional(store.reader())
        .await?
        .ok_or(StoreError::NotFound)
}
