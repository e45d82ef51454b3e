//! An enterprise's profile: identity, industry, region and department (from the roster, read
//! only here), the fields the enterprise keeps itself (principal person, safety institution), and
//! its safety management personnel. The enterprise edits; officers read in scope, with phone and
//! certificate numbers masked as `core::personal` decides.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use safeduty_core::personal::Disclosure;
use safeduty_core::personnel::{self, FieldProblem, Institution, PersonInput, ProfileInput};
use safeduty_store::org::Enterprise;
use safeduty_store::personnel::{OwnFields, Personnel};

use super::{Chrome, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::PageUser;
use safeduty_app::profile::{self, Sheet};

/// One safety manager as a row of the page.
pub(crate) struct PersonRow {
    public_id: String,
    name: String,
    employment: &'static str,
    registered_engineer: bool,
    engineer_cert_no: String,
    assessment_cert_no: String,
    assessment_valid_until: Option<NaiveDate>,
    expired: bool,
    appointed_on: Option<NaiveDate>,
    phone: String,
}

impl PersonRow {
    fn new(p: &Personnel, d: Disclosure, today: NaiveDate) -> PersonRow {
        let q = &p.person;
        PersonRow {
            public_id: p.public_id.clone(),
            name: q.name.clone(),
            employment: q.employment.label(),
            registered_engineer: q.registered_engineer,
            engineer_cert_no: d.show(&q.engineer_cert_no).into_owned(),
            assessment_cert_no: d.show(&q.assessment_cert_no).into_owned(),
            assessment_valid_until: q.assessment_valid_until,
            expired: q.assessment_valid_until.is_some_and(|v| v < today),
            appointed_on: q.appointed_on,
            phone: d.show(&q.phone).into_owned(),
        }
    }
}

/// A form shown again with what was typed and what is wrong.
pub(crate) struct Rejected {
    /// Which form: `profile`, `new`, or a person's public id.
    form: String,
    person: PersonInput,
    profile: ProfileInput,
    problems: Vec<FieldProblem>,
}

/// The values of one person form (a new person, or one to change), as the inputs show them.
pub(crate) struct PersonFormView {
    action: String,
    /// Open when it was just rejected.
    open: bool,
    values: PersonInput,
    problems: Vec<String>,
}

impl PersonFormView {
    fn engineer(&self) -> bool {
        self.values.registered_engineer.is_some()
    }
}

fn input_of(p: &Personnel) -> PersonInput {
    let q = &p.person;
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    PersonInput {
        name: q.name.clone(),
        employment: q.employment.code().into(),
        registered_engineer: q.registered_engineer.then(|| "on".into()),
        engineer_cert_no: q.engineer_cert_no.clone(),
        assessment_cert_no: q.assessment_cert_no.clone(),
        assessment_valid_until: date(q.assessment_valid_until),
        appointed_on: date(q.appointed_on),
        phone: q.phone.clone(),
    }
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    chrome: Option<Chrome>,
    csrf: String,
    e: Enterprise,
    own: OwnFields,
    /// The profile form's values and problems (when editable).
    own_form: ProfileInput,
    own_problems: Vec<String>,
    /// Each person with their form (the form only when editable).
    people: Vec<(PersonRow, Option<PersonFormView>)>,
    new_form: Option<PersonFormView>,
    editable: bool,
    employments: [personnel::Employment; 2],
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    rejected: Option<Rejected>,
) -> Result<Response, AppError> {
    let today = state.clock().today();
    let Sheet {
        enterprise: e,
        own,
        people,
        editable,
    } = profile::sheet(state.store(), &user.caller(), id).await?;
    let d = Disclosure::for_actor(&user.user.actor());
    let status = if rejected.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let (rejected_form, rejected_person, rejected_profile, problems) = match rejected {
        Some(r) => (
            r.form,
            Some(r.person),
            Some(r.profile),
            r.problems.into_iter().map(|p| p.message).collect(),
        ),
        None => (String::new(), None, None, Vec::new()),
    };
    let form_view = |form: &str, action: String, values: PersonInput| -> PersonFormView {
        if form == rejected_form {
            PersonFormView {
                action,
                open: true,
                values: rejected_person.clone().unwrap_or_default(),
                problems: problems.clone(),
            }
        } else {
            PersonFormView {
                action,
                open: false,
                values,
                problems: Vec::new(),
            }
        }
    };
    let base = format!("/enterprises/{}/personnel", e.public_id);
    let people = people
        .iter()
        .map(|p| {
            let form = editable
                .then(|| form_view(&p.public_id, format!("{base}/{}", p.public_id), input_of(p)));
            (PersonRow::new(p, d, today), form)
        })
        .collect();
    let new_form = editable.then(|| form_view("new", base.clone(), PersonInput::default()));
    let (own_form, own_problems) = match (rejected_form.as_str(), rejected_profile) {
        ("profile", Some(p)) => (p, problems.clone()),
        _ => (
            ProfileInput {
                principal: own.principal.clone(),
                institution: match own.institution {
                    Institution::SetUp => "yes".into(),
                    Institution::None => "no".into(),
                    Institution::Unknown => String::new(),
                },
                institution_name: own.institution_name.clone(),
            },
            Vec::new(),
        ),
    };
    let body = render(&ProfilePage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        e,
        own,
        own_form,
        own_problems,
        people,
        new_form,
        editable,
        employments: EMPLOYMENTS,
    });
    Ok((status, body).into_response())
}

/// `GET /enterprises/{id}/profile`.
pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    Ok(page(&state, &user, &id, None).await?)
}

/// `GET /profile`: an enterprise user's own profile; the others go to their first page.
pub(super) async fn mine(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    Ok(super::own_enterprise_page(&state, &user, "profile").await?)
}

#[derive(Debug, serde::Deserialize)]
pub(super) struct ProfileForm {
    #[serde(flatten)]
    fields: ProfileInput,
}

/// `POST /enterprises/{id}/profile`: the enterprise's own fields.
pub(super) async fn save_profile(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(f): PageForm<ProfileForm>,
) -> Result<Response, PageError> {
    let checked = profile::save_profile(state.store(), &user.caller(), &id, &f.fields).await?;
    let rejected = |problems| Rejected {
        form: "profile".into(),
        person: PersonInput::default(),
        profile: f.fields,
        problems,
    };
    Ok(answer(&state, &user, &id, checked.map_err(rejected)).await?)
}

#[derive(Debug, serde::Deserialize)]
pub(super) struct PersonForm {
    #[serde(flatten)]
    fields: PersonInput,
}

/// `POST /enterprises/{id}/personnel`: adds a safety manager.
pub(super) async fn add_person(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    PageForm(f): PageForm<PersonForm>,
) -> Result<Response, PageError> {
    let today = state.clock().today();
    let checked = profile::add_person(state.store(), &user.caller(), &id, &f.fields, today).await?;
    let checked = checked.map_err(|problems| person_rejected("new", f.fields, problems));
    Ok(answer(&state, &user, &id, checked).await?)
}

fn person_rejected(form: &str, person: PersonInput, problems: Vec<FieldProblem>) -> Rejected {
    Rejected {
        form: form.into(),
        person,
        profile: ProfileInput::default(),
        problems,
    }
}

/// Back to the profile after a write; the page again with the problems (422) after a refusal.
async fn answer(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    checked: Result<(), Rejected>,
) -> Result<Response, AppError> {
    match checked {
        Ok(()) => Ok(Redirect::to(&format!("/enterprises/{id}/profile")).into_response()),
        Err(rejected) => page(state, user, id, Some(rejected)).await,
    }
}

/// `POST /enterprises/{id}/personnel/{pid}`: changes a safety manager.
pub(super) async fn update_person(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, pid)): Path<(String, String)>,
    PageForm(f): PageForm<PersonForm>,
) -> Result<Response, PageError> {
    let today = state.clock().today();
    let checked =
        profile::update_person(state.store(), &user.caller(), &id, &pid, &f.fields, today).await?;
    let checked = checked.map_err(|problems| person_rejected(&pid, f.fields, problems));
    Ok(answer(&state, &user, &id, checked).await?)
}

/// `POST /enterprises/{id}/personnel/{pid}/remove`: the person is no longer a safety manager.
pub(super) async fn remove_person(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, pid)): Path<(String, String)>,
) -> Result<Response, PageError> {
    profile::remove_person(state.store(), &user.caller(), &id, &pid).await?;
    Ok(Redirect::to(&format!("/enterprises/{id}/profile")).into_response())
}

/// The employment choices of the form.
pub(crate) const EMPLOYMENTS: [personnel::Employment; 2] = [
    personnel::Employment::FullTime,
    personnel::Employment::PartTime,
];
