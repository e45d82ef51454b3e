//! An enterprise's profile fields kept by the enterprise itself (principal person, safety
//! institution) and its safety management personnel (安全生产管理人员), as typed into forms:
//! cleaning and checking, with messages in Chinese.
//!
//! Source: Work Safety Law art. 24 (a safety institution or full-time / part-time safety managers,
//! by size and industry), art. 27 (assessment of the knowledge and management ability of the
//! safety managers of high-risk enterprises, 安全生产知识和管理能力考核合格证; registered safety
//! engineers, 注册安全工程师); the Qingxiu plan §2 names the persons: safety-institution staff,
//! full- and part-time safety managers, registered safety engineers.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::roster::clean;
use crate::text::has_control_chars;

/// Longest name of a person, in characters.
pub const NAME_MAX_CHARS: usize = 50;
/// Longest safety-institution name, in characters.
pub const INSTITUTION_NAME_MAX_CHARS: usize = 100;

/// Full-time (专职) or part-time (兼职) safety manager (Work Safety Law art. 24).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Employment {
    /// 专职.
    FullTime,
    /// 兼职.
    PartTime,
}

impl Employment {
    /// Stable code stored in the database and used in forms.
    pub fn code(self) -> &'static str {
        match self {
            Employment::FullTime => "full_time",
            Employment::PartTime => "part_time",
        }
    }

    /// Parses an [`Employment::code`].
    pub fn from_code(code: &str) -> Option<Employment> {
        [Employment::FullTime, Employment::PartTime]
            .into_iter()
            .find(|e| e.code() == code)
    }

    /// Label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Employment::FullTime => "专职",
            Employment::PartTime => "兼职",
        }
    }
}

/// A problem with one form field: the field's name (as in the form) and a message in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    /// Form field name, e.g. `phone`.
    pub field: &'static str,
    /// What is wrong, in Chinese, naming the field.
    pub message: String,
}

/// Collects problems while checking a form.
#[derive(Debug, Default)]
struct Problems(Vec<FieldProblem>);

impl Problems {
    fn push(&mut self, field: &'static str, message: String) {
        self.0.push(FieldProblem { field, message });
    }

    /// A free-text field: control characters refused, then cleaned ([`clean::text`]), required
    /// or not, at most `max` characters.
    fn text(
        &mut self,
        field: &'static str,
        label: &str,
        raw: &str,
        required: bool,
        max: usize,
    ) -> String {
        if has_control_chars(raw) {
            self.push(field, format!("{label}含有不可见的控制字符，请重新输入"));
            return String::new();
        }
        let v = clean::text(raw);
        if required && v.is_empty() {
            self.push(field, format!("请填写{label}"));
        } else if v.chars().count() > max {
            self.push(field, format!("{label}不能超过{max}个字"));
        }
        v
    }

    /// A certificate number, loosely: letters, digits and `-`, 4 to 40 characters, full-width
    /// folded and upper-cased. Issuers' formats differ by province and year, so no more is checked.
    fn certificate(&mut self, field: &'static str, label: &str, raw: &str) -> String {
        if has_control_chars(raw) {
            self.push(field, format!("{label}含有不可见的控制字符，请重新输入"));
            return String::new();
        }
        let v = clean::code(raw);
        if v.is_empty() {
            return v;
        }
        let n = v.chars().count();
        if !(4..=40).contains(&n) || !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            self.push(
                field,
                format!(
                    "{label}“{}”格式不正确（应为4至40位字母、数字或“-”）",
                    shown(&v)
                ),
            );
        }
        v
    }

    /// An optional date `YYYY-MM-DD`; with `not_after`, a later date is refused.
    fn date(
        &mut self,
        field: &'static str,
        label: &str,
        raw: &str,
        not_after: Option<NaiveDate>,
    ) -> Option<NaiveDate> {
        let v = clean::identifier(raw);
        if v.is_empty() {
            return None;
        }
        match NaiveDate::parse_from_str(&v, "%Y-%m-%d") {
            Ok(d) if not_after.is_some_and(|t| d > t) => {
                self.push(field, format!("{label}{d}晚于今天，请核对"));
                None
            }
            Ok(d) if crate::text::is_implausibly_early(d) => {
                self.push(field, format!("{label}{d}早于1950-01-01，请核对"));
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                self.push(
                    field,
                    format!("{label}“{}”不是有效日期（应为YYYY-MM-DD）", shown(&v)),
                );
                None
            }
        }
    }
}

/// At most 20 characters of a value, for messages.
fn shown(v: &str) -> String {
    v.chars().take(20).collect()
}

/// A phone number as typed, cleaned: full-width digits folded, spaces removed; then digits with
/// an optional leading `+`, `-` separators and an extension after `-` or `转`, 7 to 20 characters.
/// Empty is allowed.
fn phone(p: &mut Problems, raw: &str) -> String {
    if has_control_chars(raw) {
        p.push("phone", "联系电话含有不可见的控制字符，请重新输入".into());
        return String::new();
    }
    let v = clean::identifier(raw);
    if v.is_empty() {
        return v;
    }
    let body = v.strip_prefix('+').unwrap_or(&v);
    let ok = (7..=20).contains(&v.chars().count())
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == '转')
        && body.chars().filter(char::is_ascii_digit).count() >= 7;
    if !ok {
        p.push(
            "phone",
            format!(
                "联系电话“{}”格式不正确（应为手机号或含区号的固定电话）",
                shown(&v)
            ),
        );
    }
    v
}

/// The profile fields an enterprise keeps itself, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ProfileInput {
    /// 主要负责人.
    #[serde(default)]
    pub principal: String,
    /// Whether a safety institution (安全生产管理机构) is set up: `yes`, `no`, or empty (not said).
    #[serde(default)]
    pub institution: String,
    /// Its name, when set up.
    #[serde(default)]
    pub institution_name: String,
}

/// Whether a safety institution is set up (Work Safety Law art. 24).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Institution {
    /// Not stated yet.
    Unknown,
    /// Set up (设置).
    SetUp,
    /// Not set up (未设置): the enterprise has safety managers instead.
    None,
}

impl Institution {
    /// Stable code stored in the database: `set_up`, `none`, or empty.
    pub fn code(self) -> &'static str {
        match self {
            Institution::Unknown => "",
            Institution::SetUp => "set_up",
            Institution::None => "none",
        }
    }

    /// Parses an [`Institution::code`]; anything else is [`Institution::Unknown`].
    pub fn from_code(code: &str) -> Institution {
        match code {
            "set_up" => Institution::SetUp,
            "none" => Institution::None,
            _ => Institution::Unknown,
        }
    }

    /// Label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Institution::Unknown => "未填写",
            Institution::SetUp => "已设置",
            Institution::None => "未设置",
        }
    }
}

/// The checked profile fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Profile {
    /// 主要负责人, cleaned.
    pub principal: String,
    /// Safety institution set up or not.
    pub institution: Institution,
    /// Its name (empty unless set up).
    pub institution_name: String,
}

/// Cleans and checks the profile form.
///
/// # Errors
/// Every problem found: control characters, a name too long, an institution said to be set up
/// without its name, an unknown choice.
pub fn check_profile(input: &ProfileInput) -> Result<Profile, Vec<FieldProblem>> {
    let mut p = Problems::default();
    let principal = p.text(
        "principal",
        "主要负责人",
        &input.principal,
        false,
        NAME_MAX_CHARS,
    );
    let institution = match input.institution.as_str() {
        "yes" | "set_up" => Institution::SetUp,
        "no" | "none" => Institution::None,
        "" => Institution::Unknown,
        _ => {
            p.push("institution", "安全生产管理机构的选项无效".into());
            Institution::Unknown
        }
    };
    let name = p.text(
        "institution_name",
        "安全生产管理机构名称",
        &input.institution_name,
        institution == Institution::SetUp,
        INSTITUTION_NAME_MAX_CHARS,
    );
    let institution_name = if institution == Institution::SetUp {
        name
    } else {
        String::new()
    };
    if p.0.is_empty() {
        Ok(Profile {
            principal,
            institution,
            institution_name,
        })
    } else {
        Err(p.0)
    }
}

/// One safety manager as typed into the form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct PersonInput {
    /// 姓名.
    #[serde(default)]
    pub name: String,
    /// `full_time` or `part_time`.
    #[serde(default)]
    pub employment: String,
    /// `on` when a registered safety engineer (注册安全工程师).
    #[serde(default)]
    pub registered_engineer: Option<String>,
    /// Registered safety engineer certificate number (执业证号).
    #[serde(default)]
    pub engineer_cert_no: String,
    /// Assessment certificate number (安全生产知识和管理能力考核合格证编号).
    #[serde(default)]
    pub assessment_cert_no: String,
    /// Assessment certificate valid until, `YYYY-MM-DD`.
    #[serde(default)]
    pub assessment_valid_until: String,
    /// Appointed on, `YYYY-MM-DD`.
    #[serde(default)]
    pub appointed_on: String,
    /// Phone.
    #[serde(default)]
    pub phone: String,
}

/// A checked safety manager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    /// Name, cleaned.
    pub name: String,
    /// Full- or part-time.
    pub employment: Employment,
    /// Registered safety engineer.
    pub registered_engineer: bool,
    /// Their certificate number (empty unless a registered engineer).
    pub engineer_cert_no: String,
    /// Assessment certificate number, upper-cased (may be empty).
    pub assessment_cert_no: String,
    /// Assessment certificate valid until.
    pub assessment_valid_until: Option<NaiveDate>,
    /// Appointed on (not after `today`).
    pub appointed_on: Option<NaiveDate>,
    /// Phone, cleaned (may be empty).
    pub phone: String,
}

/// Cleans and checks one safety manager; `today` (Asia/Shanghai) bounds the appointment date.
///
/// # Errors
/// Every problem found, each naming its field: a missing name or employment, a registered
/// engineer without a certificate number, a certificate number or phone of the wrong shape, an
/// invalid or future appointment date, a validity date without a certificate number, control
/// characters anywhere.
pub fn check_person(input: &PersonInput, today: NaiveDate) -> Result<Person, Vec<FieldProblem>> {
    let mut p = Problems::default();
    let name = p.text("name", "姓名", &input.name, true, NAME_MAX_CHARS);
    let employment = match Employment::from_code(input.employment.trim()) {
        Some(e) => Some(e),
        None => {
            p.push("employment", "请选择专职或兼职".into());
            None
        }
    };
    let registered_engineer = input
        .registered_engineer
        .as_deref()
        .is_some_and(|v| matches!(v, "on" | "true" | "yes" | "1"));
    let engineer_cert_no = p.certificate(
        "engineer_cert_no",
        "注册安全工程师执业证号",
        &input.engineer_cert_no,
    );
    if registered_engineer && engineer_cert_no.is_empty() {
        p.push("engineer_cert_no", "注册安全工程师须填写执业证号".into());
    }
    let assessment_cert_no = p.certificate(
        "assessment_cert_no",
        "考核合格证编号",
        &input.assessment_cert_no,
    );
    let assessment_valid_until = p.date(
        "assessment_valid_until",
        "考核合格证有效期至",
        &input.assessment_valid_until,
        None,
    );
    if assessment_valid_until.is_some() && assessment_cert_no.is_empty() {
        p.push(
            "assessment_cert_no",
            "填写了考核合格证有效期，请同时填写证书编号".into(),
        );
    }
    let appointed_on = p.date("appointed_on", "任命日期", &input.appointed_on, Some(today));
    let phone = phone(&mut p, &input.phone);
    match employment {
        Some(employment) if p.0.is_empty() => Ok(Person {
            name,
            employment,
            registered_engineer,
            engineer_cert_no: if registered_engineer {
                engineer_cert_no
            } else {
                String::new()
            },
            assessment_cert_no,
            assessment_valid_until,
            appointed_on,
            phone,
        }),
        _ => Err(p.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        "2024-06-20".parse().unwrap()
    }

    fn input() -> PersonInput {
        PersonInput {
            name: "  张　三 ".into(),
            employment: "full_time".into(),
            registered_engineer: Some("on".into()),
            engineer_cert_no: "ｚａ-2019-000123".into(),
            assessment_cert_no: "'45010320230001".into(),
            assessment_valid_until: "2026-05-31".into(),
            appointed_on: "2023-01-03".into(),
            phone: "１３８ 0000 0000".into(),
        }
    }

    #[test]
    fn a_person_is_cleaned() {
        let p = check_person(&input(), today()).unwrap();
        assert_eq!(p.name, "张 三");
        assert_eq!(p.employment, Employment::FullTime);
        assert_eq!(p.engineer_cert_no, "ZA-2019-000123");
        assert_eq!(p.assessment_cert_no, "45010320230001");
        assert_eq!(
            p.assessment_valid_until,
            Some("2026-05-31".parse().unwrap())
        );
        assert_eq!(p.appointed_on, Some("2023-01-03".parse().unwrap()));
        assert_eq!(p.phone, "13800000000");
    }

    #[test]
    fn every_problem_is_named() {
        let bad = PersonInput {
            name: "李\u{0}四".into(),
            employment: "sometimes".into(),
            registered_engineer: Some("on".into()),
            engineer_cert_no: String::new(),
            assessment_cert_no: "证书".into(),
            assessment_valid_until: "2024-02-30".into(),
            appointed_on: "2024-06-21".into(),
            phone: "12345".into(),
        };
        let errs = check_person(&bad, today()).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "name",
                "employment",
                "engineer_cert_no",
                "assessment_cert_no",
                "assessment_valid_until",
                "appointed_on",
                "phone"
            ]
        );
        assert_eq!(errs[0].message, "姓名含有不可见的控制字符，请重新输入");
        assert_eq!(
            errs[4].message,
            "考核合格证有效期至“2024-02-30”不是有效日期（应为YYYY-MM-DD）"
        );
        assert_eq!(errs[5].message, "任命日期2024-06-21晚于今天，请核对");
    }

    #[test]
    fn engineer_number_kept_only_for_engineers() {
        let p = check_person(
            &PersonInput {
                registered_engineer: None,
                ..input()
            },
            today(),
        )
        .unwrap();
        assert!(!p.registered_engineer);
        assert_eq!(p.engineer_cert_no, "");
    }

    #[test]
    fn profile_institution_needs_a_name_when_set_up() {
        let errs = check_profile(&ProfileInput {
            principal: "王五".into(),
            institution: "yes".into(),
            institution_name: " ".into(),
        })
        .unwrap_err();
        assert_eq!(errs[0].message, "请填写安全生产管理机构名称");
        let ok = check_profile(&ProfileInput {
            principal: "王五".into(),
            institution: "no".into(),
            institution_name: "安全部".into(),
        })
        .unwrap();
        assert_eq!(ok.institution, Institution::None);
        assert_eq!(ok.institution_name, "");
    }
}
