//! Duty commitments: the enterprise's page (the enterprise issues each safety manager a one-time
//! signing code to sign as themselves on `/sign`, [`super::signing`], or signs for the person
//! with their typed name; where and when the commitments were published), the printable .docx
//! of a signed commitment, the committee office's text (in versions), and the coverage for
//! officers and the committee office (signed / not signed by region, industry and unit, and who
//! is missing), filtered by scope in the query.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use safeduty_app::commitments::{self, CodeStatus, Sheet};
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
    /// The person's signing code, when one was issued: what it is now and when it expires
    /// (shown in the clock's frame, [`crate::Clock::shown_time`]).
    code: Option<(CodeStatus, String)>,
    /// The refusal of a signing-code action for this person, if one was refused.
    code_problem: Option<String>,
}

impl SignRow {
    /// Whether the person holds a code they may still sign with.
    fn has_outstanding_code(&self) -> bool {
        matches!(self.code, Some((CodeStatus::Outstanding, _)))
    }
}

/// A signing code just issued, shown this once.
struct IssuedView {
    /// The person's public id.
    person: String,
    /// `XXXXX-XXXXX`.
    code: String,
    /// Its expiry in the clock's frame.
    expires: String,
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
    /// A signing code just issued (shown once).
    issued: Option<IssuedView>,
}

/// What a refusal shows on the page: the form it concerns and its message, what was typed into
/// the publication form, and the answer's status (422 for a field, 409 for a state).
struct Shown {
    problem: (String, String),
    place: String,
    on: String,
    status: StatusCode,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    sheet: Sheet,
    shown: Option<Shown>,
    issued: Option<IssuedView>,
) -> Result<Response, AppError> {
    let today = state.clock().today();
    let now = chrono::Utc::now();
    let Sheet {
        enterprise: e,
        required,
        text,
        people,
        mut signatures,
        publication,
        files,
        can_sign,
        codes,
    } = sheet;
    let rows = people
        .iter()
        .map(|p| {
            let at = signatures
                .iter()
                .position(|s| s.personnel_public_id == p.public_id);
            let code = codes.iter().find(|c| c.personnel_id == p.id).map(|c| {
                (
                    commitments::code_status(c, now),
                    state.clock().shown_time(&c.expires_at),
                )
            });
            SignRow {
                public_id: p.public_id.clone(),
                name: p.person.name.clone(),
                employment: p.person.employment.label(),
                signature: at.map(|i| signatures.remove(i)),
                code,
                code_problem: shown
                    .as_ref()
                    .filter(|s| s.problem.0 == code_form(&p.public_id))
                    .map(|s| s.problem.1.clone()),
            }
        })
        .collect();
    let files = files
        .iter()
        .map(|a| FileView::new(a, state.clock()))
        .collect();
    let status = shown.as_ref().map_or(StatusCode::OK, |s| s.status);
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
        issued,
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
            page(state, user, sheet, Some(shown(r.to_string())), None).await
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
    Ok(page(&state, &user, sheet, None, None).await?)
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
            status: StatusCode::UNPROCESSABLE_ENTITY,
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
                status: StatusCode::UNPROCESSABLE_ENTITY,
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

/// The problem key of the signing-code actions of person `pid` on the page.
fn code_form(pid: &str) -> String {
    format!("code:{pid}")
}

/// The page again with the refusal of a signing-code action beside the person's row, answered
/// with the refusal's status (409 signed already or nothing to revoke); any other error as it is.
async fn code_refused(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    pid: &str,
    err: safeduty_app::Error,
) -> Result<Response, AppError> {
    match AppError::from(err) {
        e @ (AppError::Refused(_) | AppError::Conflict(_)) => {
            let (status, _, message) = e.parts();
            let sheet = commitments::sheet(state.store(), &user.caller(), id).await?;
            let shown = Shown {
                problem: (code_form(pid), message),
                place: String::new(),
                on: String::new(),
                status,
            };
            page(state, user, sheet, Some(shown), None).await
        }
        e => Err(e),
    }
}

/// `POST /enterprises/{id}/personnel/{pid}/signing-code`: issues the listed safety manager a
/// one-time signing code (replacing an earlier one) and shows it this once, with its expiry in
/// the clock's frame, on the commitment page (200, `Cache-Control: no-store`: the answer holds
/// the code; reloading it issues another).
pub(super) async fn issue_code(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, pid)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let issued =
        commitments::issue_code(state.store(), &user.caller(), &id, &pid, chrono::Utc::now()).await;
    let issued = match issued {
        Ok(i) => i,
        Err(err) => return Ok(code_refused(&state, &user, &id, &pid, err).await?),
    };
    let sheet = commitments::sheet(state.store(), &user.caller(), &id).await?;
    let view = IssuedView {
        person: pid,
        code: issued.code,
        expires: state
            .clock()
            .shown_time(&safeduty_store::instant(issued.expires_at)),
    };
    let mut res = page(&state, &user, sheet, None, Some(view)).await?;
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}

/// `POST /enterprises/{id}/personnel/{pid}/signing-code/revoke`: revokes the person's unused
/// signing code; back to the page. Without one: the page with the message (409).
pub(super) async fn revoke_code(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, pid)): Path<(String, String)>,
) -> Result<Response, PageError> {
    match commitments::revoke_code(state.store(), &user.caller(), &id, &pid).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/enterprises/{id}/commitment#person-{pid}")).into_response())
        }
        Err(err) => Ok(code_refused(&state, &user, &id, &pid, err).await?),
    }
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
