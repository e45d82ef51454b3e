//! Duty commitments: the enterprise's page (each safety manager signs the campaign's current text
//! with their typed name; where and when the commitments were published), the printable .docx
//! of a signed commitment, the committee office's text (in versions), and the coverage for
//! officers and the committee office (signed / not signed by region, industry and unit, and who
//! is missing), filtered by scope in the query.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use safeduty_core::commitment::{
    check_publication, check_publication_file, check_text, check_typed_name, required_for,
};
use safeduty_core::policy::{Action, authorize, authorize_in_region};
use safeduty_store::audit::Event;
use safeduty_store::campaigns::Campaign;
use safeduty_store::commitments::coverage::{self, Coverage, Missing};
use safeduty_store::commitments::{self, CommitmentText, PublicationRecord, Signature};
use safeduty_store::org::Enterprise;

use super::evidence::FileView;
use super::{Chrome, current_campaign, render};
use crate::AppState;
use crate::audit_trail::beijing_time;
use crate::auth::CurrentUser;
use crate::download::{Audit, DOCX, Download};
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::{PageUser, enterprise_for, require, require_in_region};
use crate::upload::UploadForm;

/// One safety manager on the enterprise's commitment page.
pub(crate) struct SignRow {
    public_id: String,
    name: String,
    employment: &'static str,
    signature: Option<Signature>,
}

#[derive(Template)]
#[template(path = "commitment.html")]
struct CommitmentPage {
    chrome: Option<Chrome>,
    csrf: String,
    e: Enterprise,
    required: bool,
    text: Option<CommitmentText>,
    rows: Vec<SignRow>,
    /// Signatures of people no longer safety managers.
    former: Vec<Signature>,
    can_sign: bool,
    publication: Option<PublicationRecord>,
    /// Photos and scans of the publication.
    files: Vec<FileView>,
    /// Whether the publication form is shown open: nothing recorded yet, or it was refused.
    publication_open: bool,
    today: NaiveDate,
    /// The form a refusal concerns (a person's public id, or `publication`) and its message.
    problem: Option<(String, String)>,
    /// What was typed into the publication form when it was refused.
    typed_place: String,
    typed_on: String,
}

struct Shown {
    problem: (String, String),
    place: String,
    on: String,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    e: Enterprise,
    shown: Option<Shown>,
) -> Result<Response, AppError> {
    let campaign = current_campaign(state, user)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = state.clock().today();
    let required = required_for(&e.industry);
    let text = commitments::current_text(state.store(), campaign.id).await?;
    let mut signatures = commitments::signatures(state.store(), campaign.id, e.id).await?;
    let people = safeduty_store::personnel::list(state.store(), e.id).await?;
    let rows = people
        .iter()
        .map(|p| {
            let at = signatures
                .iter()
                .position(|s| s.personnel_public_id == p.public_id);
            SignRow {
                public_id: p.public_id.clone(),
                name: p.person.name.clone(),
                employment: p.person.employment.label(),
                signature: at.map(|i| signatures.remove(i)),
            }
        })
        .collect();
    let publication = commitments::publication(state.store(), campaign.id, e.id).await?;
    let files = match &publication {
        Some(p) => commitments::publication_files(state.store(), e.id, p)
            .await?
            .iter()
            .map(FileView::from)
            .collect(),
        None => Vec::new(),
    };
    let can_sign =
        required && authorize(&user.user.actor(), Action::SignCommitment, Some(&e.facts)).is_ok();
    let status = if shown.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let (problem, typed_place, typed_on) = match shown {
        Some(s) => (Some(s.problem), s.place, s.on),
        None => (
            None,
            publication
                .as_ref()
                .map(|p| p.place.clone())
                .unwrap_or_default(),
            publication
                .as_ref()
                .map_or(today, |p| p.published_on)
                .to_string(),
        ),
    };
    let body = render(&CommitmentPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        e,
        required,
        text,
        rows,
        former: signatures,
        can_sign,
        publication_open: publication.is_none()
            || problem
                .as_ref()
                .is_some_and(|(form, _)| form == "publication"),
        publication,
        files,
        today,
        problem,
        typed_place,
        typed_on,
    });
    Ok((status, body).into_response())
}

/// `GET /enterprises/{id}/commitment`.
pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let e = enterprise_for(&state, &user, &id, Action::ReadProfile).await?;
    Ok(page(&state, &user, e, None).await?)
}

/// `GET /commitment`: an enterprise user's own commitment page; the others go to their first page.
pub(super) async fn mine(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    Ok(super::own_enterprise_page(&state, &user, "commitment").await?)
}

#[derive(Debug, serde::Deserialize)]
pub(super) struct SignForm {
    #[serde(default)]
    typed_name: String,
    #[serde(default)]
    read: Option<String>,
}

/// `POST /enterprises/{id}/personnel/{pid}/sign`: one safety manager signs the current text.
pub(super) async fn sign(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, pid)): Path<(String, String)>,
    PageForm(f): PageForm<SignForm>,
) -> Result<Response, PageError> {
    let e = enterprise_for(&state, &user, &id, Action::SignCommitment).await?;
    if !required_for(&e.industry) {
        return Err(AppError::Conflict(format!(
            "本企业行业为“{}”，不属于须签订履职承诺书的重点行业领域",
            e.industry
        ))
        .into());
    }
    let campaign = current_campaign(&state, &user)
        .await?
        .ok_or(AppError::NotFound)?;
    let person = safeduty_store::personnel::get(state.store(), e.id, &pid).await?;
    if person.removed_at.is_some() {
        return Err(AppError::NotFound.into());
    }
    let refused = |m: String| Shown {
        problem: (person.public_id.clone(), m),
        place: String::new(),
        on: String::new(),
    };
    if f.read.is_none() {
        let s = refused("请先阅读承诺书全文并勾选“本人已阅读并承诺”".into());
        return Ok(page(&state, &user, e, Some(s)).await?);
    }
    if let Err(m) = check_typed_name(&person.person.name, &f.typed_name) {
        return Ok(page(&state, &user, e, Some(refused(m))).await?);
    }
    commitments::sign(
        state.store(),
        &user.who(),
        campaign.id,
        e.id,
        person.id,
        f.typed_name.trim(),
        state.clock().today(),
    )
    .await?;
    Ok(Redirect::to(&format!("/enterprises/{}/commitment", e.public_id)).into_response())
}

/// `POST /enterprises/{id}/commitment/publication` (multipart: `csrf`, `place`, `published_on`,
/// `file`): where and when the commitments were published, with a photo or scan — required
/// while the record has none, optional (another one) after. The record and the file are written
/// in one transaction; a refused field or file writes neither.
pub(super) async fn publication(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    form: UploadForm,
) -> Result<Response, PageError> {
    let e = enterprise_for(&state, &user, &id, Action::SignCommitment).await?;
    let campaign = current_campaign(&state, &user)
        .await?
        .ok_or(AppError::NotFound)?;
    let place = form.field("place").unwrap_or_default();
    let on = form.field("published_on").unwrap_or_default();
    let refused = |m: String| Shown {
        problem: ("publication".into(), m),
        place: place.to_string(),
        on: on.to_string(),
    };
    let p = match check_publication(place, on, state.clock().today()) {
        Ok(p) => p,
        Err(m) => return Ok(page(&state, &user, e, Some(refused(m))).await?),
    };
    let has_files = match commitments::publication(state.store(), campaign.id, e.id).await? {
        Some(r) => !commitments::publication_files(state.store(), e.id, &r)
            .await?
            .is_empty(),
        None => false,
    };
    let stored = match &form.file {
        Some(f) => {
            if let Err(m) = check_publication_file(f.sniffed.kind) {
                return Ok(page(&state, &user, e, Some(refused(m))).await?);
            }
            Some(f.store(&state).await?)
        }
        None if has_files => None,
        None => {
            let m = "请上传公开情况的照片或扫描件".to_string();
            return Ok(page(&state, &user, e, Some(refused(m))).await?);
        }
    };
    commitments::record_publication(
        state.store(),
        &user.who(),
        campaign.id,
        e.id,
        &p,
        stored.as_ref(),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/enterprises/{}/commitment#publication",
        e.public_id
    ))
    .into_response())
}

/// `GET /commitments/{id}/docx`: the signed commitment as a Word document.
pub(super) async fn docx(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let s = match commitments::signature(state.store(), &id).await {
        Ok(s) => s,
        // An unknown id answers like one outside the scope (and is recorded as such).
        Err(safeduty_store::StoreError::NotFound) => {
            enterprise_for(&state, &user, "", Action::ReadProfile).await?;
            return Err(AppError::NotFound.into());
        }
        Err(e) => return Err(e.into()),
    };
    let e = safeduty_store::org::enterprise_by_id(state.store(), s.enterprise_id).await?;
    let e = enterprise_for(&state, &user, &e.public_id, Action::ReadProfile).await?;
    let bytes = crate::commitment_docx::render(&s, &e.name)?;
    let file = format!("履职承诺书-{}-{}.docx", e.name, s.personnel_name);
    Ok(Download::new(bytes, DOCX, &file)
        .send(
            &state,
            &user,
            Audit::Record {
                event: Event::FileDownloaded,
                target_kind: safeduty_store::audit::Object::CommitmentSignature.into(),
                target_id: id,
                detail: serde_json::json!({"document": "commitment_docx", "enterprise": e.public_id}),
            },
        )
        .await?)
}

#[derive(Template)]
#[template(path = "commitment_text.html")]
struct TextPage {
    chrome: Option<Chrome>,
    csrf: String,
    campaign_name: String,
    /// Each version with the time it was set, in Beijing time.
    versions: Vec<(CommitmentText, String)>,
    draft: String,
    problem: Option<String>,
}

async fn text_page(
    state: &AppState,
    user: &CurrentUser,
    campaign: Campaign,
    typed: Option<(String, String)>,
) -> Result<Response, AppError> {
    let versions = commitments::texts(state.store(), campaign.id).await?;
    let (draft, problem) = match typed {
        Some((t, m)) => (t, Some(m)),
        None => (
            versions.first().map(|v| v.body.clone()).unwrap_or_default(),
            None,
        ),
    };
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let body = render(&TextPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        campaign_name: campaign.name,
        versions: versions
            .into_iter()
            .map(|v| {
                let at = beijing_time(&v.created_at);
                (v, at)
            })
            .collect(),
        draft,
        problem,
    });
    Ok((status, body).into_response())
}

/// `GET /commitments/text`: the committee office's commitment text and its versions.
pub(super) async fn text_show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    let campaign = campaign_to_set_text(&state, &user).await?;
    Ok(text_page(&state, &user, campaign, None).await?)
}

/// The campaign whose commitment text `user` may set: the latest, when its region lies in the
/// user's scope (outside it: 404) and the role may set the text (403).
async fn campaign_to_set_text(state: &AppState, user: &CurrentUser) -> Result<Campaign, AppError> {
    let campaign = current_campaign(state, user)
        .await?
        .ok_or(AppError::NotFound)?;
    let region = safeduty_store::org::region_by_id(state.store(), campaign.region_id).await?;
    require_in_region(state, user, Action::SetCommitmentText, &region.path).await?;
    Ok(campaign)
}

#[derive(Debug, serde::Deserialize)]
pub(super) struct TextForm {
    #[serde(default)]
    body: String,
}

/// `POST /commitments/text`: a new version of the text (signed commitments keep theirs).
pub(super) async fn text_set(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageForm(f): PageForm<TextForm>,
) -> Result<Response, PageError> {
    let campaign = campaign_to_set_text(&state, &user).await?;
    match check_text(&f.body) {
        Ok(body) => {
            commitments::set_text(state.store(), &user.who(), campaign.id, &body).await?;
            Ok(Redirect::to("/commitments/text").into_response())
        }
        Err(m) => Ok(text_page(&state, &user, campaign, Some((f.body, m))).await?),
    }
}

/// Most rows of the missing list a page shows; the counts above it are complete.
const MISSING_SHOWN: i64 = 500;

#[derive(Template)]
#[template(path = "commitment_coverage.html")]
struct CoveragePage {
    chrome: Option<Chrome>,
    campaign_name: String,
    has_text: bool,
    can_set_text: bool,
    c: Coverage,
    missing: Vec<Missing>,
    missing_total: i64,
}

/// `GET /commitments/coverage`: signed / not signed by region, industry and unit, and who is
/// missing, inside the caller's scope.
pub(super) async fn coverage_show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    require(&state, &user, Action::ViewCommitmentCoverage, None).await?;
    let campaign = current_campaign(&state, &user)
        .await?
        .ok_or(AppError::NotFound)?;
    let scope = &user.user.scope;
    let mut c = coverage::coverage(state.store(), scope, campaign.id).await?;
    // Industries in the plan's order; others after them.
    let order = &campaign.template.target_industries;
    c.by_industry.sort_by_key(|g| {
        order
            .iter()
            .position(|i| *i == g.group)
            .unwrap_or(order.len())
    });
    let missing = coverage::missing(state.store(), scope, campaign.id, MISSING_SHOWN).await?;
    let region = safeduty_store::org::region_by_id(state.store(), campaign.region_id)
        .await?
        .path;
    let has_text = commitments::current_text(state.store(), campaign.id)
        .await?
        .is_some();
    Ok(render(&CoveragePage {
        chrome: Some(Chrome::new(&state, &user).await),
        campaign_name: campaign.name,
        has_text,
        can_set_text: authorize_in_region(&user.user.actor(), Action::SetCommitmentText, &region)
            .is_ok(),
        missing_total: c.total.unsigned + c.total.without_personnel,
        c,
        missing,
    }))
}
