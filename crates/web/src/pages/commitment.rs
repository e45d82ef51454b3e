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
use safeduty_app::commitments::{self, Sheet};
use safeduty_core::refusal::RefusalKind;
use safeduty_store::audit::Event;
use safeduty_store::campaigns::Campaign;
use safeduty_store::commitments::coverage::{Coverage, Missing};
use safeduty_store::commitments::{CommitmentText, PublicationRecord, Signature};
use safeduty_store::org::Enterprise;

use super::evidence::FileView;
use super::{Chrome, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::download::{Audit, DOCX, Download};
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::PageUser;
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
    sheet: Sheet,
    shown: Option<Shown>,
) -> Result<Response, AppError> {
    let today = state.clock().today();
    let Sheet {
        enterprise: e,
        required,
        text,
        people,
        mut signatures,
        publication,
        files,
        can_sign,
    } = sheet;
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
    let files = files
        .iter()
        .map(|a| FileView::new(a, state.clock()))
        .collect();
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

/// The page again with the message of a refusal a person can correct (422), typed values kept;
/// any other error as it is.
async fn again(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    err: safeduty_app::Error,
    shown: impl FnOnce(String) -> Shown,
) -> Result<Response, AppError> {
    match err {
        safeduty_app::Error::Refused(r) if r.kind() == RefusalKind::Invalid => {
            let sheet = commitments::sheet(state.store(), &user.caller(), id).await?;
            page(state, user, sheet, Some(shown(r.to_string()))).await
        }
        e => Err(e.into()),
    }
}

/// `GET /enterprises/{id}/commitment`.
pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let sheet = commitments::sheet(state.store(), &user.caller(), &id).await?;
    Ok(page(&state, &user, sheet, None).await?)
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
    let signed = commitments::sign(
        state.store(),
        &user.caller(),
        &id,
        &pid,
        f.read.is_some(),
        &f.typed_name,
        state.clock().today(),
    )
    .await;
    match signed {
        Ok(_) => Ok(Redirect::to(&format!("/enterprises/{id}/commitment")).into_response()),
        Err(err) => Ok(again(&state, &user, &id, err, |m| Shown {
            problem: (pid.clone(), m),
            place: String::new(),
            on: String::new(),
        })
        .await?),
    }
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
    let place = form.field("place").unwrap_or_default();
    let on = form.field("published_on").unwrap_or_default();
    let checked = commitments::publication(
        state.store(),
        &user.caller(),
        &id,
        place,
        on,
        form.file.as_ref().map(|f| f.sniffed.kind),
        state.clock().today(),
    )
    .await;
    let checked = match checked {
        Ok(c) => c,
        Err(err) => {
            return Ok(again(&state, &user, &id, err, |m| Shown {
                problem: ("publication".into(), m),
                place: place.to_string(),
                on: on.to_string(),
            })
            .await?);
        }
    };
    let stored = match &form.file {
        Some(f) => Some(f.store(&state).await?),
        None => None,
    };
    commitments::record_publication(state.store(), &user.caller(), &checked, stored.as_ref())
        .await?;
    Ok(Redirect::to(&format!(
        "/enterprises/{}/commitment#publication",
        checked.enterprise().public_id
    ))
    .into_response())
}

/// `GET /commitments/{id}/docx`: the signed commitment as a Word document.
pub(super) async fn docx(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let (s, e) = commitments::signed(state.store(), &user.caller(), &id).await?;
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
    (campaign, versions): (Campaign, Vec<CommitmentText>),
    typed: Option<(String, String)>,
) -> Result<Response, AppError> {
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
                let at = state.clock().shown_time(&v.created_at);
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
    let texts = commitments::texts(state.store(), &user.caller()).await?;
    Ok(text_page(&state, &user, texts, None).await?)
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
    match commitments::set_text(state.store(), &user.caller(), &f.body).await {
        Ok(_) => Ok(Redirect::to("/commitments/text").into_response()),
        Err(safeduty_app::Error::Refused(r)) if r.kind() == RefusalKind::Invalid => {
            let texts = commitments::texts(state.store(), &user.caller()).await?;
            Ok(text_page(&state, &user, texts, Some((f.body, r.to_string()))).await?)
        }
        Err(e) => Err(e.into()),
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
    let v = commitments::coverage(state.store(), &user.caller(), MISSING_SHOWN).await?;
    Ok(render(&CoveragePage {
        chrome: Some(Chrome::new(&state, &user).await),
        campaign_name: v.campaign.name,
        has_text: v.has_text,
        can_set_text: v.can_set_text,
        missing_total: v.coverage.total.unsigned + v.coverage.total.without_personnel,
        c: v.coverage,
        missing: v.missing,
    }))
}
