//! The committee office's enforcement settings (`/enforcement/settings`, 执法设置): the powers
//! of the units of its region (defaults shown as such), the officers of a unit with their
//! enforcement certificates, the region's settings for documents (short name, kind words, the
//! bodies of the remedies sentence, the yearly cap), the rules in force today with their
//! sources, and the region's violation library: the rows in effect (shipped, inherited, its
//! own), each with its verification mark and source, to add, edit, deactivate and reactivate.
//!
//! Every change goes through [`safeduty_app::enforcement::authority`] or
//! [`safeduty_app::enforcement::violations`]; a refusal shows the page again (422) with what
//! was typed kept and the message beside the field.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use safeduty_app::enforcement::{authority, violations};
use safeduty_core::enforcement::numbering::DocumentKind;
use safeduty_core::enforcement::officers::Certificate;
use safeduty_core::enforcement::powers::{Power, Powers};
use safeduty_core::enforcement::rules::Rules;
use safeduty_core::enforcement::violations::{InEffect, Origin, Party};
use safeduty_core::policy::UnitKind;
use safeduty_core::refusal::{Refusal, RefusalKind};
use safeduty_store::enforcement::authority::Settings;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::PageUser;
use crate::input::enforcement::{ViolationRequest, date};

/// The routes of the page.
pub(super) fn routes() -> crate::routes::Routes {
    use axum::routing::{get, post};
    crate::routes::Routes::new()
        .route("/enforcement/settings", get(show).post(save_settings))
        .route(
            "/enforcement/settings/units/{unit}/powers",
            post(save_powers),
        )
        .route(
            "/enforcement/settings/units/{unit}/officers/{user}/certificate",
            post(save_certificate),
        )
        .route("/enforcement/settings/violations", post(add_violation))
        .route(
            "/enforcement/settings/violations/{code}",
            post(edit_violation),
        )
        .route(
            "/enforcement/settings/violations/{code}/deactivate",
            post(deactivate_violation),
        )
        .route(
            "/enforcement/settings/violations/{code}/reactivate",
            post(reactivate_violation),
        )
}

/// The field a refusal concerns and its message, shown beside that field.
#[derive(Debug, Clone, Default)]
struct Problem {
    field: String,
    message: String,
}

impl Problem {
    fn of(r: &Refusal, default_field: &str) -> Problem {
        Problem {
            field: r.field().unwrap_or(default_field).to_string(),
            message: r.message().to_string(),
        }
    }

    /// The message when it concerns `field`.
    fn on(&self, field: &str) -> Option<&str> {
        (self.field == field).then_some(self.message.as_str())
    }
}

struct PowerBox {
    code: &'static str,
    label: &'static str,
    checked: bool,
}

struct UnitRow {
    id: i64,
    name: String,
    kind_label: &'static str,
    /// No powers recorded: the kind's defaults apply.
    defaults: bool,
    default_labels: String,
    powers: Vec<PowerBox>,
    problem: Option<String>,
}

struct OfficerView {
    user_id: i64,
    name: String,
    disabled: bool,
    number: String,
    valid_from: String,
    valid_until: String,
    status: &'static str,
    problem: Option<Problem>,
}

struct WordField {
    field: String,
    label: &'static str,
    value: String,
}

struct SettingsValues {
    region_short: String,
    words: Vec<WordField>,
    reconsideration_body: String,
    court: String,
    yearly_cap: String,
    hearing_threshold_person: String,
    hearing_threshold_unit: String,
}

/// An optional amount of whole yuan as typed (blank: none), refused on `field`.
fn optional_yuan(v: &str, field: &'static str) -> Result<Option<u32>, safeduty_app::Error> {
    let v = safeduty_core::text::fold_width(v);
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse::<u32>().map(Some).map_err(|_| {
        Refusal::invalid("听证标准应为1至10000000元之间的整数，或留空使用国家规定")
            .on(field)
            .into()
    })
}

struct RuleRow {
    label: &'static str,
    value: String,
    source: String,
    effective_from: NaiveDate,
    effective_until: String,
    verified: bool,
    note: String,
}

/// A row of the violation library as typed (or as in effect, for a form not yet typed in).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub(super) struct ViolationForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    behaviour: String,
    #[serde(default)]
    violated: String,
    #[serde(default)]
    penalty: String,
    #[serde(default)]
    party: String,
    /// A checkbox: `on` when ticked.
    #[serde(default)]
    verified: String,
    #[serde(default)]
    source: String,
}

impl ViolationForm {
    fn request(&self) -> ViolationRequest {
        ViolationRequest {
            code: self.code.clone(),
            behaviour: self.behaviour.clone(),
            violated: self.violated.clone(),
            penalty: self.penalty.clone(),
            party: self.party.clone(),
            verified: !self.verified.is_empty(),
            source: self.source.clone(),
        }
    }

    fn of(r: &InEffect) -> ViolationForm {
        ViolationForm {
            code: r.row.code.clone(),
            behaviour: r.row.behaviour.clone(),
            violated: r.row.violated.clone(),
            penalty: r.row.penalty.clone(),
            party: r.row.party.code().into(),
            verified: if r.row.verified {
                "on".into()
            } else {
                String::new()
            },
            source: r.row.source.clone(),
        }
    }
}

/// A row of the library in effect, with its edit form.
struct ViolationView {
    code: String,
    behaviour: String,
    violated: String,
    penalty: String,
    party: &'static str,
    verified: bool,
    source: String,
    active: bool,
    /// Where it comes from, in words.
    origin: String,
    /// Written by this region's office.
    own: bool,
    /// The edit form's values (as typed when refused).
    form: ViolationForm,
    /// The refusal of an edit, beside its field (the form is shown open).
    problem: Option<Problem>,
}

/// The party choices of a row's form.
const PARTIES: [Party; 2] = [Party::Person, Party::Unit];

#[derive(Template)]
#[template(path = "enforcement_settings.html")]
struct SettingsPage {
    chrome: Option<Chrome>,
    csrf: String,
    today: NaiveDate,
    saved: bool,
    units: Vec<UnitRow>,
    selected: Option<(i64, String)>,
    selected_id: i64,
    officers: Vec<OfficerView>,
    settings: SettingsValues,
    settings_problem: Problem,
    rules: Vec<RuleRow>,
    rules_problem: Option<String>,
    violations: Vec<ViolationView>,
    violations_unverified: usize,
    violations_inactive: usize,
    region_name: String,
    parties: [Party; 2],
    /// The add form's values and refusal.
    new_violation: ViolationForm,
    new_violation_problem: Problem,
}

/// What a refused form brings back to the page.
enum Typed {
    None,
    Settings(SettingsValues, Problem),
    Powers {
        unit: i64,
        codes: Vec<String>,
        message: String,
    },
    Certificate {
        unit: i64,
        user: i64,
        number: String,
        from: String,
        until: String,
        problem: Problem,
    },
    /// A row added (`code` `None`) or edited.
    Violation {
        code: Option<String>,
        form: ViolationForm,
        problem: Problem,
    },
}

fn default_cap(today: NaiveDate) -> u32 {
    Rules::shipped()
        .at(today)
        .ok()
        .and_then(|r| r.inspection_cap_per_year.map(|c| c.value))
        .unwrap_or(2)
}

fn settings_values(s: &Settings) -> SettingsValues {
    SettingsValues {
        region_short: s.region_short.clone(),
        words: DocumentKind::ALL
            .iter()
            .map(|k| WordField {
                field: format!("kind_words.{}", k.code()),
                label: k.label(),
                value: s.kind_words.get(k.code()).cloned().unwrap_or_default(),
            })
            .collect(),
        reconsideration_body: s.reconsideration_body.clone(),
        court: s.court.clone(),
        yearly_cap: s.yearly_cap.to_string(),
        hearing_threshold_person: s
            .hearing_threshold_person
            .map(|v| v.to_string())
            .unwrap_or_default(),
        hearing_threshold_unit: s
            .hearing_threshold_unit
            .map(|v| v.to_string())
            .unwrap_or_default(),
    }
}

fn rules(today: NaiveDate) -> (Vec<RuleRow>, Option<String>) {
    let shipped = Rules::shipped();
    let in_force = match shipped.at(today) {
        Ok(r) => r,
        Err(e) => return (Vec::new(), Some(e.to_string())),
    };
    let rows = in_force
        .provenances()
        .into_iter()
        .map(|(key, p)| RuleRow {
            label: key.label(),
            value: shipped
                .in_force(key, today)
                .map(|r| r.value.to_string())
                .unwrap_or_default(),
            source: p.source.clone(),
            effective_from: p.effective_from,
            effective_until: p
                .effective_until
                .map_or_else(|| "现行有效".to_string(), |u| format!("至{u}")),
            verified: p.verified,
            note: p.note.clone().unwrap_or_default(),
        })
        .collect();
    (rows, None)
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    selected_unit: Option<i64>,
    typed: Typed,
    saved: bool,
) -> Result<Response, AppError> {
    let store = state.store();
    let caller = user.caller();
    let today = state.clock().today();
    let refused = !matches!(typed, Typed::None);
    let units = authority::units(store, &caller).await?;
    let current = authority::own_settings(store, &caller, default_cap(today)).await?;
    let selected_unit = match &typed {
        Typed::Certificate { unit, .. } => Some(*unit),
        _ => selected_unit,
    };
    let (selected, officers) = match selected_unit {
        Some(id) => {
            let (unit, officers) = authority::unit_officers(store, &caller, id).await?;
            let officers = officers
                .into_iter()
                .map(|o| {
                    let (number, from, until, status) = match &o.certificate {
                        Some(c) => (
                            c.number.clone(),
                            c.valid_from.to_string(),
                            c.valid_until.to_string(),
                            if today < c.valid_from {
                                "尚未生效"
                            } else if today > c.valid_until {
                                "已过期"
                            } else {
                                "有效"
                            },
                        ),
                        None => (String::new(), String::new(), String::new(), "未登记"),
                    };
                    let mut view = OfficerView {
                        user_id: o.user_id,
                        name: o.name,
                        disabled: o.disabled,
                        number,
                        valid_from: from,
                        valid_until: until,
                        status,
                        problem: None,
                    };
                    if let Typed::Certificate {
                        user,
                        number,
                        from,
                        until,
                        problem,
                        ..
                    } = &typed
                        && *user == view.user_id
                    {
                        view.number = number.clone();
                        view.valid_from = from.clone();
                        view.valid_until = until.clone();
                        view.problem = Some(problem.clone());
                    }
                    view
                })
                .collect();
            (Some((unit.id, unit.name)), officers)
        }
        None => (None, Vec::new()),
    };
    let units = units
        .into_iter()
        .map(|u| {
            let defaults = Powers::defaults(u.kind);
            let held = authority::powers_of(&u);
            let (typed_codes, problem) = match &typed {
                Typed::Powers {
                    unit,
                    codes,
                    message,
                } if *unit == u.id => (Some(codes), Some(message.clone())),
                _ => (None, None),
            };
            UnitRow {
                id: u.id,
                kind_label: UnitKind::label(u.kind),
                defaults: u.powers.is_none(),
                default_labels: defaults.labels(),
                powers: Power::ALL
                    .iter()
                    .map(|p| PowerBox {
                        code: p.code(),
                        label: p.label(),
                        checked: typed_codes
                            .map_or_else(|| held.has(*p), |c| c.iter().any(|c| c == p.code())),
                    })
                    .collect(),
                problem,
                name: u.name,
            }
        })
        .collect();
    let own = violations::own(store, &caller).await?;
    let violations: Vec<ViolationView> = own
        .library
        .rows()
        .iter()
        .map(|v| {
            let (origin, own_row) = match &v.origin {
                Origin::Shipped => ("随系统发布".to_string(), false),
                Origin::Region {
                    region_id,
                    region_name,
                    overrides,
                } if *region_id == own.region_id => (
                    if *overrides {
                        "本辖区修改（替代随系统发布的条目）".to_string()
                    } else {
                        "本辖区新增".to_string()
                    },
                    true,
                ),
                Origin::Region { region_name, .. } => (format!("沿用{region_name}"), false),
            };
            let (form, problem) = match &typed {
                Typed::Violation {
                    code: Some(code),
                    form,
                    problem,
                } if *code == v.row.code => (form.clone(), Some(problem.clone())),
                _ => (ViolationForm::of(v), None),
            };
            ViolationView {
                code: v.row.code.clone(),
                behaviour: v.row.behaviour.clone(),
                violated: v.row.violated.clone(),
                penalty: v.row.penalty.clone(),
                party: v.row.party.label(),
                verified: v.row.verified,
                source: v.row.source.clone(),
                active: v.active,
                origin,
                own: own_row,
                form,
                problem,
            }
        })
        .collect();
    let (new_violation, new_violation_problem) = match &typed {
        Typed::Violation {
            code: None,
            form,
            problem,
        } => (form.clone(), problem.clone()),
        _ => (ViolationForm::default(), Problem::default()),
    };
    let (settings, settings_problem) = match typed {
        Typed::Settings(values, problem) => (values, problem),
        _ => (settings_values(&current), Problem::default()),
    };
    let (rules, rules_problem) = rules(today);
    let mut res = render(&SettingsPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        today,
        saved,
        violations_unverified: violations.iter().filter(|v| !v.verified).count(),
        violations_inactive: violations.iter().filter(|v| !v.active).count(),
        region_name: own.region_name,
        parties: PARTIES,
        new_violation,
        new_violation_problem,
        units,
        selected_id: selected.as_ref().map_or(0, |(id, _)| *id),
        selected,
        officers,
        settings,
        settings_problem,
        rules,
        rules_problem,
        violations,
    });
    if refused {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// The query of the page: the unit whose officers are shown, and whether a change was saved.
#[derive(Debug, Default, serde::Deserialize)]
pub(super) struct ShowQuery {
    #[serde(default)]
    unit: Option<i64>,
    #[serde(default)]
    saved: Option<String>,
}

/// `GET /enforcement/settings`.
pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    Ok(page(&state, &user, q.unit, Typed::None, q.saved.is_some()).await?)
}

fn value<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// `POST /enforcement/settings`: the region's settings, all or none.
pub(super) async fn save_settings(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageForm(fields): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let today = state.clock().today();
    let typed = SettingsValues {
        region_short: value(&fields, "region_short").to_string(),
        words: DocumentKind::ALL
            .iter()
            .map(|k| {
                let field = format!("kind_words.{}", k.code());
                WordField {
                    value: value(&fields, &field).to_string(),
                    field,
                    label: k.label(),
                }
            })
            .collect(),
        reconsideration_body: value(&fields, "reconsideration_body").to_string(),
        court: value(&fields, "court").to_string(),
        yearly_cap: value(&fields, "yearly_cap").to_string(),
        hearing_threshold_person: value(&fields, "hearing_threshold_person").to_string(),
        hearing_threshold_unit: value(&fields, "hearing_threshold_unit").to_string(),
    };
    let thresholds = optional_yuan(&typed.hearing_threshold_person, "hearing_threshold_person")
        .and_then(|p| {
            optional_yuan(&typed.hearing_threshold_unit, "hearing_threshold_unit").map(|u| (p, u))
        });
    let result = match (
        safeduty_core::text::fold_width(&typed.yearly_cap).parse::<u32>(),
        thresholds,
    ) {
        (Err(_), _) => Err(Refusal::invalid("年度检查频次上限应为1至12的整数")
            .on("yearly_cap")
            .into()),
        (_, Err(e)) => Err(e),
        (Ok(cap), Ok((person, unit))) => {
            authority::set_settings(
                state.store(),
                &user.caller(),
                Settings {
                    region_id: 0,
                    region_short: typed.region_short.clone(),
                    kind_words: DocumentKind::ALL
                        .iter()
                        .zip(&typed.words)
                        .map(|(k, w)| (k.code().to_string(), w.value.clone()))
                        .collect(),
                    reconsideration_body: typed.reconsideration_body.clone(),
                    court: typed.court.clone(),
                    yearly_cap: cap,
                    hearing_threshold_person: person,
                    hearing_threshold_unit: unit,
                },
            )
            .await
        }
    };
    match result {
        Ok(()) => Ok(Redirect::to("/enforcement/settings?saved=1").into_response()),
        Err(safeduty_app::Error::Refused(r)) if r.kind() == RefusalKind::Invalid => {
            // The refused form is shown only to whoever may set it (403 / 404 otherwise).
            authority::own_settings(state.store(), &user.caller(), default_cap(today)).await?;
            let problem = Problem::of(&r, "region_short");
            Ok(page(&state, &user, None, Typed::Settings(typed, problem), false).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /enforcement/settings/units/{unit}/powers`: the checked powers (`powers`, repeated).
pub(super) async fn save_powers(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(unit): Path<i64>,
    PageForm(fields): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let codes: Vec<String> = fields
        .into_iter()
        .filter(|(k, _)| k == "powers")
        .map(|(_, v)| v)
        .collect();
    match authority::set_powers(state.store(), &user.caller(), unit, &codes).await {
        Ok(()) => Ok(Redirect::to("/enforcement/settings?saved=1").into_response()),
        Err(safeduty_app::Error::Refused(r)) if r.kind() == RefusalKind::Invalid => {
            let typed = Typed::Powers {
                unit,
                codes,
                message: r.message().to_string(),
            };
            Ok(page(&state, &user, None, typed, false).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// The certificate form of one officer.
#[derive(Debug, serde::Deserialize)]
pub(super) struct CertificateForm {
    #[serde(default)]
    certificate_number: String,
    #[serde(default)]
    certificate_valid_from: String,
    #[serde(default)]
    certificate_valid_until: String,
}

/// `POST /enforcement/settings/units/{unit}/officers/{user}/certificate`.
pub(super) async fn save_certificate(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((unit, officer)): Path<(i64, i64)>,
    PageForm(f): PageForm<CertificateForm>,
) -> Result<Response, PageError> {
    let cert = date(
        &f.certificate_valid_from,
        "certificate_valid_from",
        "执法证有效期起始日期",
    )
    .and_then(|from| {
        Ok(Certificate {
            number: f.certificate_number.clone(),
            valid_from: from,
            valid_until: date(
                &f.certificate_valid_until,
                "certificate_valid_until",
                "执法证有效期截止日期",
            )?,
        })
    });
    let result = match cert {
        Ok(cert) => {
            authority::set_certificate(state.store(), &user.caller(), unit, officer, cert).await
        }
        Err(r) => {
            // Only whoever may change the unit's officers sees the refused form.
            authority::unit_officers(state.store(), &user.caller(), unit).await?;
            Err(r.into())
        }
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!(
            "/enforcement/settings?unit={unit}&saved=1#officers"
        ))
        .into_response()),
        Err(safeduty_app::Error::Refused(r)) if r.kind() == RefusalKind::Invalid => {
            let typed = Typed::Certificate {
                unit,
                user: officer,
                number: f.certificate_number,
                from: f.certificate_valid_from,
                until: f.certificate_valid_until,
                problem: Problem::of(&r, "certificate_number"),
            };
            Ok(page(&state, &user, Some(unit), typed, false).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// Back to the library at the row `code` after a change.
fn saved_row(code: &str) -> Response {
    let code = code.trim();
    Redirect::to(&format!("/enforcement/settings?saved=1#violation-{code}")).into_response()
}

/// The answer to a change of the violation library: back to the page's library, or the page
/// again (422) with the refused form as typed and the message beside its field.
async fn violation_answer(
    state: &AppState,
    user: &CurrentUser,
    code: Option<String>,
    form: ViolationForm,
    result: Result<(), safeduty_app::Error>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(saved_row(code.as_deref().unwrap_or(&form.code))),
        Err(safeduty_app::Error::Refused(r)) if r.kind() == RefusalKind::Invalid => {
            let typed = Typed::Violation {
                code,
                form,
                problem: Problem::of(&r, "behaviour"),
            };
            Ok(page(state, user, None, typed, false).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /enforcement/settings/violations`: a row added to the region's violation library.
pub(super) async fn add_violation(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageForm(f): PageForm<ViolationForm>,
) -> Result<Response, PageError> {
    let caller = user.caller();
    // Only whoever may change the library sees the refused form (scope first).
    violations::own(state.store(), &caller).await?;
    let result = match f.request().row() {
        Ok(row) => violations::add(state.store(), &caller, row).await,
        Err(r) => Err(r.into()),
    };
    violation_answer(&state, &user, None, f, result).await
}

/// `POST /enforcement/settings/violations/{code}`: the row `code` edited (a shipped or
/// inherited row gets the region's override).
pub(super) async fn edit_violation(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(code): Path<String>,
    PageForm(f): PageForm<ViolationForm>,
) -> Result<Response, PageError> {
    let caller = user.caller();
    violations::own(state.store(), &caller).await?;
    let f = ViolationForm {
        code: code.clone(),
        ..f
    };
    let result = match f.request().row() {
        Ok(row) => violations::edit(state.store(), &caller, &code, row).await,
        Err(r) => Err(r.into()),
    };
    violation_answer(&state, &user, Some(code), f, result).await
}

/// `POST /enforcement/settings/violations/{code}/deactivate`.
pub(super) async fn deactivate_violation(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    violations::set_active(state.store(), &user.caller(), &code, false).await?;
    Ok(saved_row(&code))
}

/// `POST /enforcement/settings/violations/{code}/reactivate`.
pub(super) async fn reactivate_violation(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    violations::set_active(state.store(), &user.caller(), &code, true).await?;
    Ok(saved_row(&code))
}
