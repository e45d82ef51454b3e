//! Strict enforcement in the browser (issue #12): the enforcement home of each role
//! ([`home`]), an officer's record of an on-site inspection ([`new`]), an inspection's page with
//! its correction order, on-site measures and documents ([`record`]), and a correction order's
//! page where the enterprise answers and the issuing unit decides and re-inspects ([`order`]),
//! penalty cases from the draft to the closing ([`case`], issue #13) and the exposure of typical
//! cases ([`exposures`]), the dishonesty list ([`dishonesty`], issue #14).
//! The rules are the use cases' ([`safeduty_app::enforcement`]).

mod case;
mod dishonesty;
mod exposures;
mod home;
mod new;
mod order;
mod record;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use safeduty_core::calendar::Calendar;
use safeduty_core::enforcement::order::{OrderStatus, is_overdue};
use safeduty_core::refusal::RefusalKind;
use safeduty_store::enforcement::orders::Order;

use crate::error::AppError;
use crate::routes::{Routes, UploadLimit};

/// The page routes of enforcement.
pub(super) fn routes() -> Routes {
    use axum::routing::{get, post};
    Routes::new()
        .route("/enforcement", get(home::show))
        .route(
            "/enforcement/inspections/new",
            get(new::form).post(new::submit),
        )
        .route("/enforcement/inspections/{id}", get(record::show))
        .route("/enforcement/inspections/{id}/order", post(record::issue))
        .route(
            "/enforcement/inspections/{id}/measures",
            post(record::decide),
        )
        .route(
            "/enforcement/inspections/{id}/measures/review",
            post(record::review),
        )
        .upload(
            "/enforcement/inspections/{id}/documents/{kind}",
            get(record::download).post(record::upload),
            UploadLimit::Configured,
        )
        .upload(
            "/enforcement/inspections/{id}/items/{item}/photos",
            post(record::add_photo),
            UploadLimit::Configured,
        )
        .route(
            "/enforcement/cases/new",
            get(case::new_form).post(case::new_submit),
        )
        .route("/enforcement/cases/{id}", get(case::show))
        .route("/enforcement/cases/{id}/filing", post(case::filing))
        .route("/enforcement/cases/{id}/steps", post(case::step))
        .upload(
            "/enforcement/cases/{id}/documents/{kind}",
            get(case::download).post(case::upload),
            UploadLimit::Configured,
        )
        .route("/enforcement/exposures", get(exposures::show))
        .route("/enforcement/cases/{id}/exposure", post(exposures::draft))
        .route("/enforcement/exposures.docx", get(exposures::circular))
        .route(
            "/enforcement/exposures/{id}/publish",
            post(exposures::publish),
        )
        .route(
            "/enforcement/exposures/{id}/withdraw",
            post(exposures::withdraw),
        )
        .route("/enforcement/dishonesty", get(dishonesty::index))
        .route(
            "/enforcement/cases/{id}/dishonesty",
            post(dishonesty::notify),
        )
        .route("/enforcement/dishonesty/{id}", get(dishonesty::show))
        .route("/enforcement/dishonesty/{id}/steps", post(dishonesty::step))
        .route(
            "/enforcement/dishonesty/{id}/documents/{kind}",
            get(dishonesty::download),
        )
        .route("/enforcement/orders/{id}", get(order::show))
        .route(
            "/enforcement/orders/{id}/completion",
            post(order::completion),
        )
        .route("/enforcement/orders/{id}/extension", post(order::extension))
        .route(
            "/enforcement/orders/{id}/extension/decision",
            post(order::decision),
        )
        .route(
            "/enforcement/orders/{id}/re-inspection",
            post(order::re_inspect),
        )
        .upload(
            "/enforcement/orders/{id}/findings/{finding}/photos",
            post(order::add_photo),
            UploadLimit::Configured,
        )
}

/// A correction order as a list or its page shows it: its number and the states computed from
/// its dates and today (DESIGN §3: shown, not stored).
pub(crate) struct OrderRow {
    pub public_id: String,
    pub inspection_public_id: String,
    pub number: String,
    pub enterprise_name: String,
    pub unit_name: String,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    /// The time limit was computed through a year whose holidays are not loaded.
    pub provisional: bool,
    pub re_inspection_due_on: NaiveDate,
    pub status: &'static str,
    pub open: bool,
    /// The time limit passed with no completion report.
    pub due_overdue: bool,
    /// The re-inspection is overdue.
    pub re_overdue: bool,
}

impl OrderRow {
    pub(crate) fn new(
        o: &Order,
        number: String,
        today: NaiveDate,
        calendar: &Calendar,
    ) -> OrderRow {
        let status = OrderStatus::from_code(&o.status);
        let open = status.is_some_and(OrderStatus::is_open);
        let provisional = o.working_days.is_some_and(|n| {
            u32::try_from(n).is_ok_and(|n| {
                let r = calendar.add_working_days(o.issued_on, n);
                r.date == o.due_on && r.provisional
            })
        });
        OrderRow {
            public_id: o.public_id.clone(),
            inspection_public_id: o.inspection_public_id.clone(),
            number,
            enterprise_name: o.enterprise_name.clone(),
            unit_name: o.unit_name.clone(),
            issued_on: o.issued_on,
            due_on: o.due_on,
            provisional,
            re_inspection_due_on: o.re_inspection_due_on,
            status: status.map_or("—", OrderStatus::label),
            open,
            due_overdue: status == Some(OrderStatus::Issued) && is_overdue(o.due_on, today),
            re_overdue: open && is_overdue(o.re_inspection_due_on, today),
        }
    }
}

/// Where a refusal's message is shown on a page: the form it concerns, and the message.
pub(crate) struct Notice {
    /// The form (`order`, `measures`, `review`, `documents`, `completion`, …).
    pub form: &'static str,
    pub message: String,
}

/// A refusal the user can act on (invalid or conflicting input: 409, 422), to show beside
/// `form` on the page again; anything else (403, 404, store failures) is answered as it is.
pub(crate) fn refusal_to_show(
    e: safeduty_app::Error,
    form: &'static str,
) -> Result<(axum::http::StatusCode, Notice), AppError> {
    let err = AppError::from(e);
    let show = match &err {
        AppError::Refused(r) => r.kind() != RefusalKind::Forbidden,
        AppError::Conflict(_) => true,
        _ => false,
    };
    if !show {
        return Err(err);
    }
    let (status, _, message) = err.parts();
    Ok((status, Notice { form, message }))
}

/// A date field of a form: `None` when blank; a malformed one is refused naming the field.
pub(crate) fn date_of(v: &str, label: &str) -> Result<Option<NaiveDate>, String> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    safeduty_core::calendar::parse_ymd(v)
        .map(Some)
        .ok_or_else(|| {
            format!(
                "{label}“{}”不是有效日期（应为YYYY-MM-DD）",
                v.chars().take(20).collect::<String>()
            )
        })
}

/// The officers chosen on a form (`officer` fields: account ids).
pub(crate) fn officer_ids(form: &[(String, String)]) -> Result<Vec<i64>, AppError> {
    form.iter()
        .filter(|(k, _)| k == "officer")
        .map(|(_, v)| {
            v.parse()
                .map_err(|_| AppError::BadRequest("执法人员选择无效".into()))
        })
        .collect()
}

/// The `version` field of a form (the record's version the page showed).
///
/// # Errors
/// [`AppError::BadRequest`] when it is not a number.
pub(crate) fn version_of(form: &[(String, String)]) -> Result<i64, AppError> {
    field(form, "version")
        .parse()
        .map_err(|_| AppError::BadRequest("版本号无效".into()))
}

/// What a refused form typed, to show it again: every field but the CSRF token, a repeated
/// field `multi` (the officers, the findings chosen) keyed `multi:VALUE` so that each choice is
/// kept.
pub(crate) fn typed(form: &[(String, String)], multi: &str) -> BTreeMap<String, String> {
    form.iter()
        .filter(|(k, _)| k != "csrf")
        .map(|(k, v)| {
            if k == multi {
                (format!("{multi}:{v}"), v.clone())
            } else {
                (k.clone(), v.clone())
            }
        })
        .collect()
}

/// The value of a single-valued form field, empty when absent.
pub(crate) fn field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// An officer offered on a form: checked as typed, or shown disabled with why they cannot be
/// named on the day.
pub(crate) struct OfficerChoice {
    pub user_id: i64,
    pub name: String,
    pub certificate: String,
    pub checked: bool,
    /// Why the officer cannot be named (no certificate, not valid on the day, account disabled).
    pub unavailable: Option<String>,
}

impl OfficerChoice {
    /// The officers of `rows` as offered for an act on `on`, those in `checked` ticked.
    pub(crate) fn list(
        rows: &[safeduty_store::enforcement::authority::OfficerRow],
        on: NaiveDate,
        checked: &[i64],
    ) -> Vec<OfficerChoice> {
        rows.iter()
            .map(|o| {
                let unavailable = match &o.certificate {
                    _ if o.disabled => Some("账号已停用".to_string()),
                    None => Some("未登记执法证".to_string()),
                    Some(c) if on < c.valid_from => Some(format!("执法证自{}起有效", c.valid_from)),
                    Some(c) if on > c.valid_until => {
                        Some(format!("执法证已于{}过期", c.valid_until))
                    }
                    Some(_) => None,
                };
                OfficerChoice {
                    user_id: o.user_id,
                    name: o.name.clone(),
                    certificate: o.certificate.as_ref().map_or_else(String::new, |c| {
                        format!("执法证号 {}，有效期至{}", c.number, c.valid_until)
                    }),
                    checked: checked.contains(&o.user_id),
                    unavailable,
                }
            })
            .collect()
    }
}
