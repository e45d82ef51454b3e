//! Plan review (issue #3, item 5): the committee office imports a plan document into a draft,
//! corrects what the importer read, resolves the open questions, saves the result as a template
//! and starts a campaign from it ([`Action::ReviewPlan`], [`Action::StartCampaign`]).
//!
//! A draft belongs to the region of the office that uploaded it and is decided on that region
//! ([`guard::require_in_region`]): outside the caller's scope 404, inside it but not the
//! committee office 403. A template can be saved only when every question is resolved (with a
//! note), the signed date is known and item numbers are distinct
//! ([`safeduty_plan::review::not_ready`]); a campaign starts only from a saved template. Each
//! change is written with its audit record in one transaction.

use safeduty_core::policy::{Action, Scope};
use safeduty_core::refusal::Refusal;
use safeduty_core::template::{CampaignTemplate, ReviewEdit};
use safeduty_plan::review::{ReviewError, not_ready};
use safeduty_store::campaigns::Campaign;
use safeduty_store::plan_drafts::{self, Draft, DraftStatus};
use safeduty_store::{Store, StoreError};

use crate::{Caller, Error, guard};

/// Largest plan file accepted, in bytes (a plan is tens of kilobytes; a scanned-and-OCRed PDF a
/// few megabytes). The reader's own bounds (`safeduty_plan::input`) apply after this.
pub const MAX_UPLOAD: usize = 16 * 1024 * 1024;

/// Longest edited value, in characters.
const MAX_VALUE_CHARS: usize = 2000;

/// Longest note of an edit or a resolution, in characters.
const MAX_NOTE_CHARS: usize = 500;

/// Longest campaign name, in characters.
const MAX_NAME_CHARS: usize = 100;

/// The office's region path: drafts belong to it. Fails closed (404) for any other scope.
fn office_path<'a>(caller: &Caller<'a>) -> Result<&'a str, Error> {
    match &caller.user.scope {
        Scope::RegionSubtree { region_path } => Ok(region_path),
        _ => Err(Error::NotFound),
    }
}

/// The drafts of the caller's region, newest first ([`Action::ReviewPlan`]).
///
/// # Errors
/// The guard's denials, [`Error::NotFound`] for a caller without a region, store errors.
pub async fn drafts(store: &Store, caller: &Caller<'_>) -> Result<Vec<Draft>, Error> {
    guard::require(store, caller, Action::ReviewPlan, None).await?;
    Ok(plan_drafts::list(store, office_path(caller)?).await?)
}

/// Reads the plan document `bytes` uploaded as `file_name` (text, `.docx`, PDF text layer) into a
/// new draft of the caller's region; returns the draft's public id.
///
/// # Errors
/// As [`drafts`]; a [`Refusal`] (invalid) for a file over [`MAX_UPLOAD`] or one that cannot be
/// read (nothing is stored); store errors.
pub async fn import(
    store: &Store,
    caller: &Caller<'_>,
    file_name: &str,
    bytes: &[u8],
) -> Result<String, Error> {
    guard::require(store, caller, Action::ReviewPlan, None).await?;
    let path = office_path(caller)?;
    if bytes.len() > MAX_UPLOAD {
        return Err(Refusal::invalid(format!("文件超过 {} MB", MAX_UPLOAD / (1024 * 1024))).into());
    }
    let text = safeduty_plan::read_document(bytes, file_name)
        .map_err(|e| Refusal::invalid(format!("{file_name}：{e}")))?;
    let import = safeduty_plan::import(&text, Some(file_name));
    let region_id = plan_drafts::region_id(store, path).await?;
    let mut tx = store.write().await?;
    let id = plan_drafts::create(
        &mut tx,
        &caller.who(),
        region_id,
        caller.user.id,
        file_name,
        &import.normalized,
        &import.template,
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(id)
}

/// The draft `id` once the policy allows `action` on its region; an id that is not one is
/// answered like an unknown one.
///
/// # Errors
/// [`Error::NotFound`], [`Error::Forbidden`], store errors.
pub async fn draft(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    action: Action,
) -> Result<Draft, Error> {
    if !safeduty_store::is_public_id(id) {
        return Err(Error::NotFound);
    }
    let d = plan_drafts::get(store, id).await?;
    guard::require_in_region(store, caller, action, &d.region_path).await?;
    Ok(d)
}

/// The draft's current template: what was read, with every edit applied in order (the saved
/// template once saved).
///
/// # Errors
/// A store error (corrupt data) when a stored edit no longer applies.
pub fn current(d: &Draft) -> Result<CampaignTemplate, Error> {
    if let Some(t) = &d.template {
        return Ok(t.clone());
    }
    let mut t = d.extracted.clone();
    safeduty_plan::apply_review_edits(&mut t, &d.edits)
        .map_err(|e| StoreError::Corrupt(format!("stored edits: {e}")))?;
    Ok(t)
}

/// One review edit as the reviewer asks for it.
#[derive(Debug, Clone)]
pub struct Edit {
    /// Number of edits the reviewer's page showed: another reviewer's edit since is a conflict.
    pub seen: usize,
    /// Review-edit path, e.g. `areas.一.items.3.text`, `phases.2.end`, `renumber_items`, or
    /// `questions.<i>` to resolve a question.
    pub field: String,
    /// The value the page showed.
    pub before: String,
    /// The new value.
    pub after: String,
    /// Why (required to resolve a question).
    pub note: String,
}

/// Applies `edit` to the draft `id` (all-or-nothing), or resolves a question
/// ([`Action::ReviewPlan`]).
///
/// # Errors
/// As [`draft`]; a [`Refusal`] (invalid): the draft is saved already, a resolution without a
/// note, an empty value (dates excepted), a value or note too long, an edit that does not apply
/// (unknown field, the value changed since, a bad value, an ambiguous item number). Another
/// reviewer's edit since the page was shown is a store conflict.
pub async fn edit(store: &Store, caller: &Caller<'_>, id: &str, edit: Edit) -> Result<(), Error> {
    let d = draft(store, caller, id, Action::ReviewPlan).await?;
    let resolving = edit.field.starts_with("questions.");
    let renumbering = edit.field == "renumber_items";
    if d.status != DraftStatus::Draft {
        return Err(Refusal::invalid("已保存为模板，不能再修改").into());
    }
    let note = edit.note.trim().to_string();
    if resolving && note.is_empty() {
        return Err(Refusal::invalid("请填写处理说明（如何确认或更正）").into());
    }
    if !resolving
        && !renumbering
        && edit.after.trim().is_empty()
        && !edit.field.ends_with("start")
        && !edit.field.ends_with("end")
        && edit.field != "plan.issue_date"
    {
        return Err(Refusal::invalid("修改后的内容不能为空").into());
    }
    if edit.after.chars().count() > MAX_VALUE_CHARS || note.chars().count() > MAX_NOTE_CHARS {
        return Err(Refusal::invalid("内容过长（修改不超过2000字，说明不超过500字）").into());
    }
    let mut t = current(&d)?;
    let review = ReviewEdit {
        line: None,
        before: if resolving {
            String::new()
        } else {
            edit.before
        },
        after: if resolving {
            "已处理".into()
        } else {
            edit.after.trim().to_string()
        },
        field: edit.field,
        note,
    };
    if let Err(e) = safeduty_plan::apply_review_edits(&mut t, std::slice::from_ref(&review)) {
        return Err(Refusal::invalid(match e {
            ReviewError::UnknownField { .. } => format!("没有可修改的“{}”", review.field),
            ReviewError::BeforeNotFound { .. } => "内容已变化，请刷新页面后再修改".to_string(),
            ReviewError::BadValue {
                expected, value, ..
            } => format!("“{value}”无效，应填写{expected}"),
            ReviewError::Ambiguous { .. } => "该编号对应多个事项，请在所属方面下修改".to_string(),
        })
        .into());
    }
    let mut tx = store.write().await?;
    plan_drafts::add_edits(&mut tx, &caller.who(), &d, edit.seen, &[review]).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}

/// What saving a draft as a template did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Saved: the template is frozen, a campaign can start from it.
    Done,
    /// Not saved: every reason, as the reviewer reads them ([`not_ready`]), or that it is saved
    /// already.
    NotReady(Vec<String>),
}

/// Saves the reviewed template of the draft `id` when nothing blocks it
/// ([`Action::ReviewPlan`]).
///
/// # Errors
/// As [`draft`]; a store conflict when it was saved meanwhile.
pub async fn save(store: &Store, caller: &Caller<'_>, id: &str) -> Result<Saved, Error> {
    let d = draft(store, caller, id, Action::ReviewPlan).await?;
    let t = current(&d)?;
    let reasons = not_ready(&t);
    if !reasons.is_empty() {
        return Ok(Saved::NotReady(reasons));
    }
    if d.status != DraftStatus::Draft {
        return Ok(Saved::NotReady(vec!["已保存为模板".to_string()]));
    }
    let mut tx = store.write().await?;
    plan_drafts::save_template(&mut tx, &caller.who(), &d, &t).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(Saved::Done)
}

/// The saved template of the draft `id` ([`Action::ReviewPlan`]).
///
/// # Errors
/// As [`draft`]; a [`Refusal`] (conflict) when it is not saved yet.
pub async fn saved_template(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
) -> Result<CampaignTemplate, Error> {
    draft(store, caller, id, Action::ReviewPlan)
        .await?
        .template
        .ok_or_else(|| Refusal::conflict("尚未保存为模板").into())
}

/// Starts a campaign named `name` in the draft's region from its saved template, the year
/// being the signed date's ([`Action::StartCampaign`]).
///
/// # Errors
/// As [`draft`]; a [`Refusal`] (invalid): an empty or too long name, no saved template, a
/// campaign started from it already.
pub async fn start(
    store: &Store,
    caller: &Caller<'_>,
    id: &str,
    name: &str,
) -> Result<Campaign, Error> {
    let d = draft(store, caller, id, Action::StartCampaign).await?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(Refusal::invalid("请填写专项治理名称（不超过100字）").into());
    }
    let Some(year) = d.template.as_ref().and_then(|t| t.plan.year()) else {
        return Err(Refusal::invalid("请先保存为模板，再启动专项治理").into());
    };
    let mut tx = store.write().await?;
    let campaign = plan_drafts::start_campaign(&mut tx, &caller.who(), &d, name, year)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(m) => Error::from(Refusal::invalid(m)),
            e => e.into(),
        })?;
    tx.commit().await.map_err(StoreError::from)?;
    tracing::info!(campaign = %campaign.public_id, "campaign started from a reviewed plan");
    Ok(campaign)
}
