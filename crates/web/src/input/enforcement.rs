//! What clients send about enforcement (issue #12), parsed into the use cases' terms: an
//! on-site inspection, a correction order, a re-inspection, on-site measures and their review.
//! Shared by the JSON API (`crate::api::enforcement`) and any page that records the same
//! things, so that both refuse the same input with the same words.
//!
//! Every request is a plain struct of what a client types — texts, codes, numbers — which the
//! JSON API deserializes as it comes and a page can fill from its form fields. Field names are
//! the ones the core's refusals name (`date`, `end_time`, `officers`, `items`, `exception`,
//! `exception_ground`, `due_on`, `requested_due`, `results`, `until` …), so a refusal from parsing
//! here or from the core's checks points at the field that was sent. Parsing refuses what cannot
//! be read — a date, a time, an unknown code — as invalid (422) on that field, with a Chinese
//! message that names it; whether the values make a valid record is the core's to decide.
//!
//! Unification note (issue #12, branches `enf-api` and `enf-pages`): the inspection form's
//! parsing was written here for the API; a page may fill [`InspectionRequest`] from its fields
//! and call [`InspectionRequest::form`] rather than parse the same things again.

use chrono::{NaiveDate, NaiveTime};
use safeduty_app::enforcement::inspections::InspectionForm;
use safeduty_app::enforcement::orders::{ReInspectionForm, TimeLimit};
use safeduty_core::enforcement::inspection::{CapException, ItemResult, Notice};
use safeduty_core::enforcement::measures::{LiftResult, LiftReview, MeasureKind, OnSiteMeasure};
use safeduty_core::enforcement::officers::{Guest, GuestKind};
use safeduty_core::enforcement::reinspection::ReInspectionResult;
use safeduty_core::enforcement::violations::{Party, ViolationRow};
use safeduty_core::refusal::{FieldError, Refusal};
use safeduty_core::self_inspection::Answer;
use serde::Deserialize;
use utoipa::ToSchema;

/// Longest client token of a request, in characters.
pub const TOKEN_MAX_CHARS: usize = 64;

fn shown(v: &str) -> String {
    v.chars().take(20).collect()
}

/// A date `YYYY-MM-DD` in the field `field` (said `label`); blank: “请填写{label}”.
///
/// # Errors
/// Invalid on `field`: blank, or not a date.
pub fn date(v: &str, field: &'static str, label: &str) -> Result<NaiveDate, Refusal> {
    let v = v.trim();
    if v.is_empty() {
        return Err(Refusal::invalid(format!("请填写{label}")).on(field));
    }
    safeduty_core::calendar::parse_ymd(v).ok_or_else(|| {
        Refusal::invalid(format!(
            "{label}“{}”不是有效日期（应为YYYY-MM-DD）",
            shown(v)
        ))
        .on(field)
    })
}

/// A time of day `HH:MM` in the field `field` (said `label`).
///
/// # Errors
/// Invalid on `field`: blank, or not a time.
pub fn time(v: &str, field: &'static str, label: &str) -> Result<NaiveTime, Refusal> {
    let v = v.trim();
    if v.is_empty() {
        return Err(Refusal::invalid(format!("请填写{label}")).on(field));
    }
    NaiveTime::parse_from_str(v, "%H:%M").map_err(|_| {
        Refusal::invalid(format!("{label}“{}”不是有效时间（应为HH:MM）", shown(v))).on(field)
    })
}

/// One of a coded type's codes in the field `field` (said `label`), `labels` listing the
/// choices in words.
///
/// # Errors
/// Invalid on `field`: blank (“请选择{label}”), or not one of the codes.
pub fn code<T>(
    v: &str,
    field: &'static str,
    label: &str,
    from_code: impl Fn(&str) -> Option<T>,
    labels: &[&str],
) -> Result<T, Refusal> {
    let v = v.trim();
    if v.is_empty() {
        return Err(Refusal::invalid(format!("请选择{label}")).on(field));
    }
    from_code(v).ok_or_else(|| {
        Refusal::invalid(format!(
            "{label}“{}”无效，应为：{}",
            shown(v),
            labels.join("、")
        ))
        .on(field)
    })
}

/// A client's token for a request (letters, digits, `-`; 1–64), made the caller's own:
/// `u{user_id}:{token}`, so that two accounts that happen to send the same token never meet;
/// blank is none.
///
/// # Errors
/// Invalid on `token`.
pub fn token(v: Option<&str>, user_id: i64) -> Result<Option<String>, Refusal> {
    let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.chars().count() > TOKEN_MAX_CHARS
        || !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(Refusal::invalid(format!(
            "请求标识只能由字母、数字和“-”组成，最长{TOKEN_MAX_CHARS}个字符"
        ))
        .on("token"));
    }
    Ok(Some(format!("u{user_id}:{v}")))
}

pub(crate) fn labels<T: Copy>(all: &[T], label: impl Fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| label(*v)).collect()
}

fn code_list<T: Copy>(all: &[T], code: impl Fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| code(*v)).collect()
}

/// One check item's result.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ItemRequest {
    /// The campaign's check item number.
    pub item: u32,
    /// 符合, 不符合 or 不适用.
    #[serde(default)]
    #[schema(value_type = crate::openapi::AnswerCode)]
    pub answer: String,
    /// What was seen; for `non_conform` the problem, which becomes the finding's description.
    #[serde(default)]
    pub note: String,
    /// Codes of suspected violations from the violation library (only on `non_conform`).
    #[serde(default)]
    pub violation_codes: Vec<String>,
}

/// An accompanying guest (expert, journalist): listed, never an inspecting officer.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct GuestRequest {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Expert (专家), journalist (媒体) or other (其他).
    #[serde(default)]
    #[schema(value_type = crate::openapi::GuestKindCode)]
    pub kind: String,
    /// Organisation, may be blank.
    #[serde(default)]
    pub organisation: String,
}

/// An on-site inspection record (现场检查记录) as a client sends it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct InspectionRequest {
    /// The enterprise inspected (public id). Read by `POST /api/v1/inspections`; a page names
    /// the enterprise in its path.
    #[serde(default)]
    pub enterprise_id: String,
    /// Day of the inspection, `YYYY-MM-DD` (not after today).
    #[serde(default)]
    #[schema(format = Date)]
    pub date: String,
    /// Start, `HH:MM`.
    #[serde(default)]
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub start_time: String,
    /// End, `HH:MM`, after the start.
    #[serde(default)]
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub end_time: String,
    /// Place inspected (检查场所).
    #[serde(default)]
    pub place: String,
    /// The enterprise's person present (现场负责人).
    #[serde(default)]
    pub person_present: String,
    /// Their position (职务).
    #[serde(default)]
    pub person_present_role: String,
    /// The inspecting officers: account ids of officers of the caller's unit
    /// (`GET /api/v1/officers`), at least two, each with a certificate valid on the day.
    #[serde(default)]
    pub officers: Vec<i64>,
    /// Accompanying guests.
    #[serde(default)]
    pub guests: Vec<GuestRequest>,
    /// Announced (事先告知) or unannounced (四不两直).
    #[serde(default)]
    #[schema(value_type = crate::openapi::NoticeCode)]
    pub notice: String,
    /// What was found overall (检查情况), may be blank.
    #[serde(default)]
    pub summary: String,
    /// One result per check item of the campaign.
    #[serde(default)]
    pub items: Vec<ItemRequest>,
    /// Over the yearly cap: a complaint (投诉举报), an accident (事故) or a referral
    /// (移送/交办); null or absent below the cap.
    #[serde(default)]
    #[schema(value_type = Option<crate::openapi::CapExceptionCode>)]
    pub exception: Option<String>,
    /// The exception's ground (the complaint's number, the accident, the referring document).
    #[serde(default)]
    pub exception_ground: String,
    /// The client's token for this request (letters, digits, `-`; at most 64): the same token
    /// sent again by the same user records nothing and answers the inspection recorded first.
    #[serde(default)]
    pub token: Option<String>,
    /// The target of the unit's drawn inspection plan this inspection fulfils (its id, as the
    /// plan lists it): 404 for another unit's, 422 for another enterprise's or a superseded
    /// plan's, 409 when already fulfilled.
    #[serde(default)]
    pub target: Option<String>,
    /// The acceptance inspection (检查验收) this inspection is the record of (its id, as
    /// `/api/v1/acceptances` lists it): its guests go on the record and its findings carry the
    /// source `acceptance`; 404 for another unit's, 422 for another enterprise's, 409 when it is
    /// closed or has its record already.
    #[serde(default)]
    pub acceptance: Option<String>,
}

impl InspectionRequest {
    /// The use case's form.
    ///
    /// # Errors
    /// Invalid (422) on the field that cannot be read: `date`, `start_time`, `end_time`,
    /// `notice`, `exception`; `guests` for a guest's unknown kind; `items` with one
    /// [`FieldError`] (field `answer`) per item whose answer is not one of the codes.
    pub fn form(&self) -> Result<InspectionForm, Refusal> {
        let date = date(&self.date, "date", "检查日期")?;
        let start = time(&self.start_time, "start_time", "检查开始时间")?;
        let end = time(&self.end_time, "end_time", "检查结束时间")?;
        let notice = code(
            &self.notice,
            "notice",
            "检查方式",
            Notice::from_code,
            &labels(Notice::ALL, Notice::label),
        )?;
        let guests = self
            .guests
            .iter()
            .map(|g| {
                Ok(Guest {
                    name: g.name.clone(),
                    kind: code(
                        &g.kind,
                        "guests",
                        &format!("受邀人员{}的身份", g.name.trim()),
                        GuestKind::from_code,
                        &code_list(GuestKind::ALL, GuestKind::code),
                    )?,
                    organisation: g.organisation.clone(),
                })
            })
            .collect::<Result<Vec<_>, Refusal>>()?;
        let mut errors = Vec::new();
        let mut items = Vec::new();
        for it in &self.items {
            match Answer::from_code(it.answer.trim()) {
                Some(answer) => items.push(ItemResult {
                    item_number: it.item,
                    answer,
                    note: it.note.clone(),
                    violation_codes: it.violation_codes.clone(),
                }),
                None => errors.push(FieldError {
                    item: it.item,
                    field: "answer",
                    message: if it.answer.trim().is_empty() {
                        format!("第{}项未作答", it.item)
                    } else {
                        format!(
                            "第{}项的选项“{}”无效，应为 conform、non_conform 或 not_applicable",
                            it.item,
                            shown(&it.answer)
                        )
                    },
                }),
            }
        }
        if !errors.is_empty() {
            return Err(Refusal::fields(errors).on("items"));
        }
        let cap_exception = match self.exception.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(v) => Some((
                code(
                    v,
                    "exception",
                    "例外情形",
                    CapException::from_code,
                    &code_list(CapException::ALL, CapException::code),
                )?,
                self.exception_ground.clone(),
            )),
        };
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
            plan_target: self.target.clone(),
            acceptance: self.acceptance.clone(),
        })
    }
}

/// A correction order (责令限期整改指令书) to issue on an inspection.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct OrderRequest {
    /// The findings it covers: public ids of findings the inspection opened.
    #[serde(default)]
    pub findings: Vec<String>,
    /// The time limit as working days after today (e.g. 15): the date is computed on the
    /// working-day calendar. Give this or `due_on`.
    #[serde(default)]
    pub working_days: Option<u32>,
    /// The time limit as a date, `YYYY-MM-DD` (not before today). Give this or `working_days`.
    #[serde(default)]
    #[schema(format = Date)]
    pub due_on: Option<String>,
}

impl OrderRequest {
    /// The findings and the time limit.
    ///
    /// # Errors
    /// Invalid on `due_on`: neither or both limits given, 0 working days, an unreadable date.
    pub fn limit(&self) -> Result<TimeLimit, Refusal> {
        let due = self
            .due_on
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty());
        match (self.working_days, due) {
            (Some(0), None) => Err(Refusal::invalid("整改期限的工作日数须大于0").on("due_on")),
            (Some(n), None) => Ok(TimeLimit::WorkingDays(n)),
            (None, Some(d)) => Ok(TimeLimit::Date(date(d, "due_on", "整改期限")?)),
            (None, None) => Err(Refusal::invalid(
                "请填写整改期限：工作日数（working_days）或日期（due_on）",
            )
            .on("due_on")),
            (Some(_), Some(_)) => {
                Err(Refusal::invalid("整改期限只能以工作日数或日期之一给出").on("due_on"))
            }
        }
    }
}

/// The result for one finding of the order on a re-inspection.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ResultRequest {
    /// The finding (public id), one of the order's.
    #[serde(default)]
    pub finding: String,
    /// Corrected (已整改) or not (未整改).
    #[serde(default)]
    #[schema(value_type = crate::openapi::ReInspectionResultCode)]
    pub result: String,
    /// What was seen; required when not corrected.
    #[serde(default)]
    pub note: String,
}

/// A re-inspection (整改复查意见书) of an order.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ReInspectionRequest {
    /// The order's `version` the client loaded: a change made since is answered 409.
    pub version: i64,
    /// Day of the re-inspection, `YYYY-MM-DD` (not before the order, not after today).
    #[serde(default)]
    #[schema(format = Date)]
    pub date: String,
    /// The officers: account ids of officers of the issuing unit, at least two, certified.
    #[serde(default)]
    pub officers: Vec<i64>,
    /// One result per finding of the order.
    #[serde(default)]
    pub results: Vec<ResultRequest>,
    /// The overall opinion (复查意见).
    #[serde(default)]
    pub opinion: String,
}

impl ReInspectionRequest {
    /// The use case's form.
    ///
    /// # Errors
    /// Invalid on `date`, or on `results` for a result that is not one of the codes.
    pub fn form(&self) -> Result<ReInspectionForm, Refusal> {
        let date = date(&self.date, "date", "复查日期")?;
        let results = self
            .results
            .iter()
            .map(|r| {
                Ok((
                    r.finding.trim().to_string(),
                    code(
                        &r.result,
                        "results",
                        "复查结果",
                        ReInspectionResult::from_code,
                        &code_list(ReInspectionResult::ALL, ReInspectionResult::code),
                    )?,
                    r.note.clone(),
                ))
            })
            .collect::<Result<Vec<_>, Refusal>>()?;
        Ok(ReInspectionForm {
            date,
            officer_ids: self.officers.clone(),
            results,
            opinion: self.opinion.clone(),
        })
    }
}

/// On-site measures (现场处理措施决定书) decided after an inspection.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct MeasuresRequest {
    /// Which measure: stop using equipment (停止使用相关设施设备), suspend work (暂时停产停业),
    /// evacuate (从危险区域撤出作业人员).
    #[serde(default)]
    #[schema(value_type = crate::openapi::MeasureKindCode)]
    pub kind: String,
    /// First day in force, `YYYY-MM-DD` (not before the inspection).
    #[serde(default)]
    #[schema(format = Date)]
    pub start: String,
    /// Last day in force, `YYYY-MM-DD` (at most the months of the rule in force after the start).
    #[serde(default)]
    #[schema(format = Date)]
    pub until: String,
    /// Why (the hazard found).
    #[serde(default)]
    pub reason: String,
    /// What exactly (which equipment, which area).
    #[serde(default)]
    pub description: String,
}

impl MeasuresRequest {
    /// The measure as entered (the core checks it).
    ///
    /// # Errors
    /// Invalid on `kind`, `start` or `until`.
    pub fn measure(&self) -> Result<OnSiteMeasure, Refusal> {
        Ok(OnSiteMeasure {
            kind: code(
                &self.kind,
                "kind",
                "措施种类",
                MeasureKind::from_code,
                &code_list(MeasureKind::ALL, MeasureKind::code),
            )?,
            start: date(&self.start, "start", "措施起始日期")?,
            until: date(&self.until, "until", "措施期限")?,
            reason: self.reason.clone(),
            description: self.description.clone(),
        })
    }
}

/// The review (解除审查) of on-site measures.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ReviewRequest {
    /// The measures' `version` the client loaded: a change made since is answered 409.
    pub version: i64,
    /// Day of the review, `YYYY-MM-DD`.
    #[serde(default)]
    #[schema(format = Date)]
    pub date: String,
    /// Lifted (解除) or kept in force (继续执行).
    #[serde(default)]
    #[schema(value_type = crate::openapi::LiftResultCode)]
    pub result: String,
    /// The opinion; required when kept.
    #[serde(default)]
    pub note: String,
}

impl ReviewRequest {
    /// The review as entered (the core checks it).
    ///
    /// # Errors
    /// Invalid on `date` or `result`.
    pub fn review(&self) -> Result<LiftReview, Refusal> {
        Ok(LiftReview {
            date: date(&self.date, "date", "审查日期")?,
            result: code(
                &self.result,
                "result",
                "审查结论",
                LiftResult::from_code,
                &code_list(LiftResult::ALL, LiftResult::code),
            )?,
            note: self.note.clone(),
        })
    }
}

/// A row of the violation library as the committee office types it (the API's body, a page's
/// form): on an edit the code is the path's and `code` is ignored.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ViolationRequest {
    /// Stable code: lower-case letters, digits, `.`, `_`, `-` (at most 32); never changes.
    #[serde(default)]
    pub code: String,
    /// 违法行为.
    #[serde(default)]
    pub behaviour: String,
    /// 违反条款: the article setting the duty.
    #[serde(default)]
    pub violated: String,
    /// 处罚依据: the article the penalty is taken from.
    #[serde(default)]
    pub penalty: String,
    /// Who is penalised: `person` (个人) or `unit` (单位).
    #[serde(default)]
    #[schema(value_type = crate::openapi::PartyCode)]
    pub party: String,
    /// Whether both articles were checked against the official text.
    #[serde(default)]
    pub verified: bool,
    /// Where the row comes from and what remains to check.
    #[serde(default)]
    pub source: String,
}

impl ViolationRequest {
    /// The row as typed (the use case trims and checks it).
    ///
    /// # Errors
    /// Invalid on `party`: blank or not a party code.
    pub fn row(&self) -> Result<ViolationRow, Refusal> {
        let all = [Party::Person, Party::Unit];
        Ok(ViolationRow {
            code: self.code.clone(),
            behaviour: self.behaviour.clone(),
            violated: self.violated.clone(),
            penalty: self.penalty.clone(),
            party: code(
                &self.party,
                "party",
                "处罚对象",
                Party::from_code,
                &labels(&all, Party::label),
            )?,
            verified: self.verified,
            source: self.source.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete() -> InspectionRequest {
        InspectionRequest {
            enterprise_id: "e".into(),
            date: "2024-09-10".into(),
            start_time: "09:00".into(),
            end_time: "11:30".into(),
            place: "车间".into(),
            person_present: "张某".into(),
            person_present_role: "安全员".into(),
            officers: vec![1, 2],
            guests: vec![GuestRequest {
                name: "李专家".into(),
                kind: "expert".into(),
                organisation: String::new(),
            }],
            notice: "unannounced".into(),
            summary: String::new(),
            items: vec![
                ItemRequest {
                    item: 1,
                    answer: "conform".into(),
                    ..ItemRequest::default()
                },
                ItemRequest {
                    item: 2,
                    answer: "non_conform".into(),
                    note: "未公开".into(),
                    violation_codes: vec!["x".into()],
                },
            ],
            exception: Some(String::new()),
            exception_ground: String::new(),
            token: None,
            target: None,
            acceptance: None,
        }
    }

    #[test]
    fn a_complete_inspection_parses() {
        let f = complete().form().unwrap();
        assert_eq!(f.date, "2024-09-10".parse::<NaiveDate>().unwrap());
        assert_eq!(f.start, NaiveTime::from_hms_opt(9, 0, 0).unwrap());
        assert_eq!(f.notice, Notice::Unannounced);
        assert_eq!(f.officer_ids, vec![1, 2]);
        assert_eq!(f.guests[0].kind, GuestKind::Expert);
        assert_eq!(f.items[1].answer, Answer::NonConform);
        assert_eq!(f.cap_exception, None, "a blank exception is none");
    }

    #[test]
    fn what_cannot_be_read_is_refused_on_its_field() {
        let refused = |edit: fn(&mut InspectionRequest)| {
            let mut r = complete();
            edit(&mut r);
            r.form().unwrap_err()
        };
        let r = refused(|r| r.date = "2024-13-01".into());
        assert_eq!(r.field(), Some("date"));
        assert_eq!(
            r.message(),
            "检查日期“2024-13-01”不是有效日期（应为YYYY-MM-DD）"
        );
        assert_eq!(refused(|r| r.date.clear()).message(), "请填写检查日期");
        assert_eq!(
            refused(|r| r.end_time = "25:00".into()).field(),
            Some("end_time")
        );
        let r = refused(|r| r.notice = "secret".into());
        assert_eq!(r.field(), Some("notice"));
        assert_eq!(
            r.message(),
            "检查方式“secret”无效，应为：事先告知、四不两直"
        );
        assert_eq!(
            refused(|r| r.exception = Some("boss".into())).field(),
            Some("exception")
        );
        assert_eq!(
            refused(|r| r.guests[0].kind = "officer".into()).field(),
            Some("guests")
        );
        let r = refused(|r| {
            r.items[0].answer = "yes".into();
            r.items[1].answer.clear();
        });
        assert_eq!(r.field(), Some("items"));
        let fields: Vec<_> = r
            .field_errors()
            .iter()
            .map(|f| (f.item, f.field, f.message.as_str()))
            .collect();
        assert_eq!(
            fields,
            vec![
                (
                    1,
                    "answer",
                    "第1项的选项“yes”无效，应为 conform、non_conform 或 not_applicable"
                ),
                (2, "answer", "第2项未作答"),
            ]
        );
    }

    #[test]
    fn an_order_gives_its_limit_one_way() {
        let order = |working_days, due_on: Option<&str>| OrderRequest {
            findings: vec![],
            working_days,
            due_on: due_on.map(str::to_string),
        };
        assert_eq!(
            order(Some(15), None).limit().unwrap(),
            TimeLimit::WorkingDays(15)
        );
        assert_eq!(
            order(None, Some("2024-10-23")).limit().unwrap(),
            TimeLimit::Date("2024-10-23".parse().unwrap())
        );
        for bad in [
            order(None, None),
            order(Some(15), Some("2024-10-23")),
            order(Some(0), None),
            order(None, Some("明天")),
        ] {
            assert_eq!(bad.limit().unwrap_err().field(), Some("due_on"));
        }
    }

    #[test]
    fn tokens_are_the_callers_own() {
        assert_eq!(
            token(Some(" ab-1 "), 7).unwrap().as_deref(),
            Some("u7:ab-1")
        );
        assert_eq!(token(Some(""), 7).unwrap(), None);
        assert_eq!(token(None, 7).unwrap(), None);
        assert_eq!(token(Some("a b"), 7).unwrap_err().field(), Some("token"));
        assert!(token(Some(&"x".repeat(65)), 7).is_err());
    }
}
