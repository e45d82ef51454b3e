//! `GET|POST /enforcement/inspections/new?enterprise={id}`: an officer records an on-site
//! inspection ([`safeduty_app::enforcement::inspections::record`]). A refused record is shown
//! again with everything typed and each message beside its field; nothing is written.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, NaiveTime};
use safeduty_app::enforcement::inspections::{self, InspectionForm, Opening};
use safeduty_core::enforcement::inspection::{CapException, ItemResult, Notice};
use safeduty_core::enforcement::officers::{Guest, GuestKind};
use safeduty_core::refusal::RefusalKind;
use safeduty_core::self_inspection::Answer;
use safeduty_store::org::Enterprise;
use serde::Deserialize;

use super::super::{Chrome, render};
use super::{OfficerChoice, date_of, field, officer_ids};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::PageUser;
use crate::views::CampaignView;

/// How many guests the form offers.
const GUESTS: usize = 3;

/// The enterprise the form is for.
#[derive(Debug, Deserialize)]
pub(crate) struct Target {
    enterprise: String,
    /// The plan's target, when the form is opened from a drawn plan.
    #[serde(default)]
    target: Option<String>,
    /// The acceptance inspection it is the record of, when opened from one.
    #[serde(default)]
    acceptance: Option<String>,
}

/// The form as typed (or the defaults of a new one).
#[derive(Debug, Clone, Default)]
struct Typed {
    token: String,
    date: String,
    start: String,
    end: String,
    place: String,
    person_present: String,
    person_present_role: String,
    notice: String,
    summary: String,
    officers: Vec<i64>,
    guests: Vec<(String, String, String)>,
    answers: BTreeMap<u32, (String, String, Vec<String>)>,
    cap_exception: String,
    cap_ground: String,
    /// The plan's target this inspection fulfils (hidden field), or empty.
    plan_target: String,
    /// The acceptance it is the record of (hidden field), or empty.
    acceptance: String,
}

impl Typed {
    fn read(form: &[(String, String)]) -> Result<Typed, AppError> {
        let f = |name: &str| field(form, name).to_string();
        let mut answers: BTreeMap<u32, (String, String, Vec<String>)> = BTreeMap::new();
        for (k, v) in form {
            let Some((kind, n)) = k.split_once('_') else {
                continue;
            };
            if !matches!(kind, "answer" | "note" | "violation") {
                continue;
            }
            let num: u32 = n
                .parse()
                .ok()
                .filter(|num: &u32| num.to_string() == n)
                .ok_or_else(|| {
                    AppError::BadRequest(format!(
                        "字段“{}”无效",
                        k.chars().take(20).collect::<String>()
                    ))
                })?;
            let entry = answers.entry(num).or_default();
            match kind {
                "answer" => entry.0.clone_from(v),
                "note" => entry.1.clone_from(v),
                _ => entry.2.push(v.clone()),
            }
        }
        Ok(Typed {
            token: f("token"),
            plan_target: f("target"),
            acceptance: f("acceptance"),
            date: f("date"),
            start: f("start_time"),
            end: f("end_time"),
            place: f("place"),
            person_present: f("person_present"),
            person_present_role: f("person_present_role"),
            notice: f("notice"),
            summary: f("summary"),
            officers: officer_ids(form)?,
            guests: (1..=GUESTS)
                .map(|k| {
                    (
                        f(&format!("guest_name_{k}")),
                        f(&format!("guest_kind_{k}")),
                        f(&format!("guest_org_{k}")),
                    )
                })
                .collect(),
            answers,
            cap_exception: f("cap_exception"),
            cap_ground: f("cap_ground"),
        })
    }

    /// The use case's form, or the messages of the fields that cannot be read, by field.
    fn parse(&self) -> Result<InspectionForm, BTreeMap<&'static str, String>> {
        let mut errors = BTreeMap::new();
        let date = match date_of(&self.date, "检查日期") {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.insert("date", "请填写检查日期".to_string());
                None
            }
            Err(m) => {
                errors.insert("date", m);
                None
            }
        };
        let time = |v: &str, label: &str, errors: &mut BTreeMap<&'static str, String>| {
            let v = v.trim();
            let t = NaiveTime::parse_from_str(v, "%H:%M")
                .or_else(|_| NaiveTime::parse_from_str(v, "%H:%M:%S"))
                .ok();
            if t.is_none() {
                errors.insert(
                    "end_time",
                    if v.is_empty() {
                        format!("请填写{label}")
                    } else {
                        format!(
                            "{label}“{}”不是有效时间（应为时:分）",
                            v.chars().take(10).collect::<String>()
                        )
                    },
                );
            }
            t
        };
        let start = time(&self.start, "检查开始时间", &mut errors);
        let end = time(&self.end, "检查结束时间", &mut errors);
        let notice = Notice::from_code(&self.notice);
        if notice.is_none() {
            errors.insert("notice", "请选择检查方式（事先告知或四不两直）".into());
        }
        let mut guests = Vec::new();
        for (name, kind, org) in &self.guests {
            if name.trim().is_empty() && org.trim().is_empty() {
                continue;
            }
            match GuestKind::from_code(kind) {
                Some(kind) => guests.push(Guest {
                    name: name.clone(),
                    kind,
                    organisation: org.clone(),
                }),
                None => {
                    errors.insert("guests", "请选择受邀人员的类别（专家、媒体或其他）".into());
                }
            }
        }
        let mut items = Vec::new();
        for (n, (answer, note, codes)) in &self.answers {
            // An item left unanswered is the use case's to name (第N项未作答).
            let Some(answer) = Answer::from_code(answer) else {
                if !answer.is_empty() {
                    errors.insert("items", format!("第{n}项的选项无效"));
                }
                continue;
            };
            items.push(ItemResult {
                item_number: *n,
                answer,
                note: note.clone(),
                violation_codes: codes.clone(),
            });
        }
        let cap_exception = match self.cap_exception.as_str() {
            "" => None,
            code => match CapException::from_code(code) {
                Some(k) => Some((k, self.cap_ground.clone())),
                None => {
                    errors.insert("exception", "例外情形无效".into());
                    None
                }
            },
        };
        match (date, start, end, notice) {
            (Some(date), Some(start), Some(end), Some(notice)) if errors.is_empty() => {
                Ok(InspectionForm {
                    date,
                    start,
                    end,
                    place: self.place.clone(),
                    person_present: self.person_present.clone(),
                    person_present_role: self.person_present_role.clone(),
                    officer_ids: self.officers.clone(),
                    guests,
                    notice,
                    summary: self.summary.clone(),
                    items,
                    cap_exception,
                    plan_target: Some(self.plan_target.clone()).filter(|t| !t.is_empty()),
                    acceptance: Some(self.acceptance.clone()).filter(|t| !t.is_empty()),
                })
            }
            _ => Err(errors),
        }
    }
}

/// A suspected violation offered on an item.
struct ViolationChoice {
    code: String,
    behaviour: String,
    articles: String,
    checked: bool,
}

/// One check item of the form.
struct ItemRow {
    number: u32,
    text: String,
    answer: String,
    note: String,
    violations: Vec<ViolationChoice>,
    chosen: usize,
    error: Option<String>,
}

struct AreaRows {
    label: String,
    title: String,
    rows: Vec<ItemRow>,
}

#[derive(Template)]
#[template(path = "enforcement_inspection_new.html")]
struct NewPage {
    chrome: Option<Chrome>,
    csrf: String,
    e: Enterprise,
    unit_name: String,
    t: Typed,
    today: NaiveDate,
    officers: Vec<OfficerChoice>,
    guests: Vec<(usize, String, String, String)>,
    guest_kinds: &'static [GuestKind],
    notices: &'static [Notice],
    cap_kinds: &'static [CapException],
    choices: [(&'static str, &'static str); 3],
    areas: Vec<AreaRows>,
    item_count: usize,
    message: Option<String>,
    /// Where the first problem is on the page, for the message's link.
    anchor: Option<String>,
    /// Whether a guest after the first was typed (their fields are shown open).
    more_guests: bool,
    errors: BTreeMap<&'static str, String>,
}

const CHOICES: [(&str, &str); 3] = [
    ("conform", "符合"),
    ("non_conform", "不符合"),
    ("not_applicable", "不适用"),
];

/// The form of `opening`, with `t` as typed, `errors` by field (`items` per item in
/// `item_errors`) and `message` at its top.
async fn page(
    state: &AppState,
    user: &CurrentUser,
    opening: Opening,
    t: Typed,
    errors: BTreeMap<&'static str, String>,
    item_errors: &[safeduty_core::refusal::FieldError],
    message: Option<String>,
) -> Result<Response, AppError> {
    let today = state.clock().today();
    let calendar = state.calendar().await?;
    let view = CampaignView::new(&opening.campaign, today, &calendar);
    let on = t.date.parse().unwrap_or(today);
    let areas: Vec<AreaRows> = view
        .areas
        .iter()
        .map(|a| AreaRows {
            label: a.label.clone(),
            title: a.title.clone(),
            rows: a
                .items
                .iter()
                .map(|i| {
                    let (answer, note, codes) =
                        t.answers.get(&i.number).cloned().unwrap_or_default();
                    let messages: Vec<&str> = item_errors
                        .iter()
                        .filter(|e| e.item == i.number)
                        .map(|e| e.message.as_str())
                        .collect();
                    ItemRow {
                        number: i.number,
                        text: i.text.clone(),
                        chosen: codes.len(),
                        violations: opening
                            .violations
                            .iter()
                            .map(|v| ViolationChoice {
                                code: v.code.clone(),
                                behaviour: v.behaviour.clone(),
                                articles: format!("违反{}；依据{}", v.violated, v.penalty),
                                checked: codes.contains(&v.code),
                            })
                            .collect(),
                        answer,
                        note,
                        error: (!messages.is_empty()).then(|| messages.join("；")),
                    }
                })
                .collect(),
        })
        .collect();
    let status = if errors.is_empty() && item_errors.is_empty() && message.is_none() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let guests = t
        .guests
        .iter()
        .enumerate()
        .map(|(k, (n, kind, org))| (k + 1, n.clone(), kind.clone(), org.clone()))
        .collect();
    // The first problem in the page's order: the basic facts are at the top, next to the message.
    let anchor = if errors.contains_key("officers") {
        Some("officers".to_string())
    } else if errors.contains_key("guests") {
        Some("guests".to_string())
    } else if let Some(e) = item_errors.iter().min_by_key(|e| e.item) {
        Some(format!("item-{}", e.item))
    } else if errors.contains_key("exception") {
        Some("exception".to_string())
    } else {
        None
    };
    let more_guests = t
        .guests
        .iter()
        .skip(1)
        .any(|(n, _, o)| !n.is_empty() || !o.is_empty());
    let body = render(&NewPage {
        anchor,
        more_guests,
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        officers: OfficerChoice::list(&opening.officers, on, &t.officers),
        unit_name: opening.unit.name,
        e: opening.enterprise,
        item_count: areas.iter().map(|a| a.rows.len()).sum(),
        areas,
        today,
        guests,
        guest_kinds: GuestKind::ALL,
        notices: Notice::ALL,
        cap_kinds: CapException::ALL,
        choices: CHOICES,
        message,
        errors,
        t,
    });
    Ok((status, body).into_response())
}

pub(super) async fn form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(target): Query<Target>,
) -> Result<Response, PageError> {
    let opening = inspections::opening(state.store(), &user.caller(), &target.enterprise).await?;
    let today = state.clock().today().to_string();
    let t = Typed {
        token: safeduty_store::new_public_id(),
        plan_target: target.target.clone().unwrap_or_default(),
        acceptance: target.acceptance.clone().unwrap_or_default(),
        date: today,
        notice: Notice::Unannounced.code().into(),
        guests: vec![(String::new(), String::new(), String::new()); GUESTS],
        ..Typed::default()
    };
    Ok(page(&state, &user, opening, t, BTreeMap::new(), &[], None).await?)
}

pub(super) async fn submit(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(target): Query<Target>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let caller = user.caller();
    let store = state.store();
    let t = Typed::read(&form)?;
    let parsed = match t.parse() {
        Ok(p) => p,
        Err(errors) => {
            // The policy first: the form is shown again only to whoever may record.
            let opening = inspections::opening(store, &caller, &target.enterprise).await?;
            let message = Some(format!("有{}处填写不正确，未保存", errors.len()));
            return Ok(page(&state, &user, opening, t, errors, &[], message).await?);
        }
    };
    let token = Some(t.token.clone()).filter(|k| !k.is_empty());
    match inspections::record(
        store,
        &caller,
        &target.enterprise,
        &parsed,
        token,
        state.clock().today(),
    )
    .await
    {
        Ok(done) => Ok(
            Redirect::to(&format!("/enforcement/inspections/{}", done.public_id)).into_response(),
        ),
        Err(safeduty_app::Error::Refused(r)) if r.kind() != RefusalKind::Forbidden => {
            let opening = inspections::opening(store, &caller, &target.enterprise).await?;
            let mut errors = BTreeMap::new();
            let field = match r.field() {
                Some("guest_name" | "guest_organisation") => Some("guests"),
                Some("exception_ground") => Some("exception"),
                Some("start_time") => Some("end_time"),
                other => other,
            };
            if let Some(f) = field.filter(|f| *f != "items") {
                errors.insert(f, r.message().to_string());
            }
            let message = if r.field_errors().is_empty() {
                format!("未保存：{}", r.message())
            } else {
                format!("有{}处填写不正确，未保存", r.field_errors().len())
            };
            let mut res = page(
                &state,
                &user,
                opening,
                t,
                errors,
                r.field_errors(),
                Some(message),
            )
            .await?;
            if r.kind() == RefusalKind::Conflict {
                *res.status_mut() = StatusCode::CONFLICT;
            }
            Ok(res)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}
