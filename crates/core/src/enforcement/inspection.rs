//! The on-site inspection record (现场检查记录): when and where, who was present, the officers
//! and guests, whether it was announced, and each check item's result with the suspected
//! violations (research notes `shared/domain/enforcement.md` §1.3). Each 不符合 item opens one
//! finding in the one findings ledger (source `enforcement`), like a self-inspection's.
//!
//! Each inspecting unit may inspect an enterprise only so often a year (国办发〔2024〕54号: each
//! department publishes a yearly cap per enterprise); a complaint, an accident or a referral
//! justifies one more.

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::officers::{Guest, Officer, check_guests, check_team};
use super::{TextRule, check_record_date};
use crate::coded::coded;
use crate::refusal::{FieldError, Refusal};
use crate::self_inspection::{Answer, NOTE_MAX_CHARS};
use crate::text::has_control_chars;

/// Longest place, in characters.
pub const PLACE_MAX_CHARS: usize = 200;
/// Longest name or position of the person present, in characters.
pub const PERSON_MAX_CHARS: usize = 50;
/// Longest summary (检查情况), in characters.
pub const SUMMARY_MAX_CHARS: usize = 2000;
/// Longest ground of a cap exception, in characters.
pub const CAP_GROUND_MAX_CHARS: usize = 500;

const PLACE: TextRule = TextRule::line("检查场所", "place", PLACE_MAX_CHARS);
const PERSON: TextRule = TextRule::line("现场负责人姓名", "person_present", PERSON_MAX_CHARS);
const ROLE: TextRule = TextRule::line("现场负责人职务", "person_present_role", PERSON_MAX_CHARS);
const SUMMARY: TextRule = TextRule::block("检查情况", "summary", SUMMARY_MAX_CHARS).optional();
const CAP_GROUND: TextRule =
    TextRule::block("例外情形的依据", "exception_ground", CAP_GROUND_MAX_CHARS);

coded!(
    /// Whether the enterprise was told beforehand. Kept as an attribute of every inspection:
    /// how provinces reconcile 54号's notice with unannounced visits is open (research notes §4).
    #[serde(rename_all = "snake_case")]
    Notice {
        /// Told beforehand (事先告知).
        Announced = ("announced", "事先告知"),
        /// Unannounced: no notice, no greeting, straight to the site (四不两直).
        Unannounced = ("unannounced", "四不两直"),
    }
);

coded!(
    /// Why an inspection over the yearly cap may still take place. Each needs a ground (the
    /// complaint's number, the accident, the referring document).
    #[serde(rename_all = "snake_case")]
    CapException {
        /// A complaint or report (投诉举报).
        Complaint = ("complaint", "投诉举报"),
        /// An accident (事故).
        Accident = ("accident", "事故"),
        /// Referred or assigned by another body (移送/交办).
        Referral = ("referral", "移送/交办"),
    }
);

/// Checks the yearly cap of inspections of one enterprise by one unit (国办发〔2024〕54号).
/// `done_this_year` counts the unit's inspections of the enterprise in the calendar year of this
/// one, before it; a re-inspection of a correction order (复查) never counts, nor does this one.
/// `cap` is the figure in force (set by the committee office). Below the cap no exception is
/// needed; an exception given is checked all the same.
///
/// # Errors
/// Invalid, field `exception`: at or over the cap without an exception (“该企业今年已接受本单位
/// 检查{done}次，已达年度上限{cap}次；超出上限须选择例外情形（投诉举报、事故、移送/交办）并写明
/// 依据”). Field `exception_ground`: an exception with a blank ground (“请填写例外情形的依据”),
/// over 500 characters or with control characters.
pub fn check_yearly_cap(
    done_this_year: u32,
    cap: u32,
    exception: Option<(CapException, &str)>,
) -> Result<(), Refusal> {
    match exception {
        Some((_, ground)) => CAP_GROUND.clean(ground).map(|_| ()),
        None if done_this_year < cap => Ok(()),
        None => {
            let kinds = CapException::ALL
                .iter()
                .map(|e| e.label())
                .collect::<Vec<_>>()
                .join("、");
            Err(Refusal::invalid(format!(
                "该企业今年已接受本单位检查{done_this_year}次，已达年度上限{cap}次；\
                 超出上限须选择例外情形（{kinds}）并写明依据"
            ))
            .on("exception"))
        }
    }
}

/// One check item's result on an inspection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemResult {
    /// The campaign's check item number.
    pub item_number: u32,
    /// 符合 / 不符合 / 不适用.
    pub answer: Answer,
    /// What was seen; for 不符合 the problem (问题描述), which becomes the finding's description.
    #[serde(default)]
    pub note: String,
    /// Codes of suspected violations (涉嫌违法行为) from the violation library; only on a 不符合
    /// item.
    #[serde(default)]
    pub violation_codes: Vec<String>,
}

/// An on-site inspection as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectionInput {
    /// Day of the inspection (Asia/Shanghai).
    pub date: NaiveDate,
    /// Start time on that day.
    pub start: NaiveTime,
    /// End time on that day; after the start (an inspection does not run past midnight).
    pub end: NaiveTime,
    /// Place inspected (检查场所), 1–200 characters.
    pub place: String,
    /// The enterprise's person present (现场负责人), 1–50 characters.
    pub person_present: String,
    /// Their position (职务), 1–50 characters.
    pub person_present_role: String,
    /// Inspecting officers (accounts).
    pub officers: Vec<Officer>,
    /// Accompanying guests (text).
    #[serde(default)]
    pub guests: Vec<Guest>,
    /// Announced or unannounced.
    pub notice: Notice,
    /// What was found overall (检查情况), up to 2000 characters, may be blank.
    #[serde(default)]
    pub summary: String,
    /// One result per check item of the campaign.
    pub items: Vec<ItemResult>,
}

/// A finding a 不符合 item opens: the caller writes it in the findings ledger with source
/// `enforcement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingToOpen {
    /// The check item.
    pub item_number: u32,
    /// Description: the item's note, trimmed.
    pub description: String,
    /// Suspected violations (violation library codes).
    pub violation_codes: Vec<String>,
}

impl InspectionInput {
    /// Checks the record for a campaign whose check items are `item_numbers`, with
    /// `known_violation` telling whether a violation code is in the library in force, on `today`.
    ///
    /// Checked in this order, the first problem refused: the date (field `date`, not after today:
    /// “检查日期不能晚于今天”); the end after the start (field `end_time`,
    /// “检查结束时间须晚于开始时间”); place, person present and position (fields `place`,
    /// `person_present`, `person_present_role`: “请填写检查场所” …); the summary (`summary`); the
    /// officers on the inspection's date ([`check_team`], field `officers`); the guests
    /// ([`check_guests`]). Then every item, all problems at once: a [`Refusal::fields`] on field
    /// `items` with one [`FieldError`] per problem, its `item` the item number and its field
    /// `answer` (“第{n}项不是本次检查的项目”, “第{n}项重复作答”, “第{n}项未作答”), `note`
    /// (“第{n}项为“不符合”，请在说明中写明存在的问题”, over 2000 characters, control
    /// characters) or `violation_codes` (“第{n}项不是“不符合”，不能关联违法行为”,
    /// “第{n}项关联的违法行为{code}不在违法行为库中”, “第{n}项重复关联违法行为{code}”).
    ///
    /// # Errors
    /// As above; every refusal is invalid (422).
    pub fn check(
        &self,
        item_numbers: &[u32],
        known_violation: impl Fn(&str) -> bool,
        today: NaiveDate,
    ) -> Result<(), Refusal> {
        check_record_date(self.date, today, "检查日期", "date")?;
        if self.end <= self.start {
            return Err(Refusal::invalid("检查结束时间须晚于开始时间").on("end_time"));
        }
        PLACE.clean(&self.place)?;
        PERSON.clean(&self.person_present)?;
        ROLE.clean(&self.person_present_role)?;
        SUMMARY.clean(&self.summary)?;
        check_team(&self.officers, self.date)?;
        check_guests(&self.officers, &self.guests)?;
        let errors = self.item_errors(item_numbers, &known_violation);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Refusal::fields(errors).on("items"))
        }
    }

    fn item_errors(
        &self,
        item_numbers: &[u32],
        known_violation: &impl Fn(&str) -> bool,
    ) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut error = |item: u32, field: &'static str, message: String| {
            errors.push(FieldError {
                item,
                field,
                message,
            });
        };
        let mut seen = BTreeSet::new();
        for r in &self.items {
            let n = r.item_number;
            if !item_numbers.contains(&n) {
                error(n, "answer", format!("第{n}项不是本次检查的项目"));
                continue;
            }
            if !seen.insert(n) {
                error(n, "answer", format!("第{n}项重复作答"));
                continue;
            }
            let note = r.note.trim();
            if r.answer == Answer::NonConform && note.is_empty() {
                error(
                    n,
                    "note",
                    format!("第{n}项为“不符合”，请在说明中写明存在的问题"),
                );
            }
            if note.chars().count() > NOTE_MAX_CHARS {
                error(n, "note", format!("第{n}项说明超过{NOTE_MAX_CHARS}字"));
            }
            if has_control_chars(note) {
                error(
                    n,
                    "note",
                    format!("第{n}项说明含有不可见的控制字符，请删除后重试"),
                );
            }
            if r.answer != Answer::NonConform && !r.violation_codes.is_empty() {
                error(
                    n,
                    "violation_codes",
                    format!("第{n}项不是“不符合”，不能关联违法行为"),
                );
                continue;
            }
            for (i, code) in r.violation_codes.iter().enumerate() {
                let code = code.trim();
                if !known_violation(code) {
                    error(
                        n,
                        "violation_codes",
                        format!("第{n}项关联的违法行为{code}不在违法行为库中"),
                    );
                } else if r.violation_codes[..i].iter().any(|c| c.trim() == code) {
                    error(
                        n,
                        "violation_codes",
                        format!("第{n}项重复关联违法行为{code}"),
                    );
                }
            }
        }
        for &n in item_numbers {
            if !seen.contains(&n) {
                error(n, "answer", format!("第{n}项未作答"));
            }
        }
        errors
    }

    /// The record with its texts trimmed (place, person present, position, summary, notes,
    /// violation codes, guests).
    pub fn trimmed(&self) -> InspectionInput {
        let t = |s: &str| s.trim().to_string();
        InspectionInput {
            place: t(&self.place),
            person_present: t(&self.person_present),
            person_present_role: t(&self.person_present_role),
            summary: t(&self.summary),
            guests: self
                .guests
                .iter()
                .map(|g| Guest {
                    name: t(&g.name),
                    kind: g.kind,
                    organisation: t(&g.organisation),
                })
                .collect(),
            items: self
                .items
                .iter()
                .map(|r| ItemResult {
                    item_number: r.item_number,
                    answer: r.answer,
                    note: t(&r.note),
                    violation_codes: r.violation_codes.iter().map(|c| t(c)).collect(),
                })
                .collect(),
            ..self.clone()
        }
    }

    /// The findings the record opens, one per 不符合 item in item-number order, each described
    /// by the item's note (trimmed) with its suspected violations. One ledger: the caller writes
    /// them as findings with source `enforcement`.
    pub fn findings_to_open(&self) -> Vec<FindingToOpen> {
        let mut findings: Vec<FindingToOpen> = self
            .items
            .iter()
            .filter(|r| r.answer == Answer::NonConform)
            .map(|r| FindingToOpen {
                item_number: r.item_number,
                description: r.note.trim().to_string(),
                violation_codes: r
                    .violation_codes
                    .iter()
                    .map(|c| c.trim().to_string())
                    .collect(),
            })
            .collect();
        findings.sort_by_key(|f| f.item_number);
        findings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enforcement::officers::GuestKind;
    use crate::enforcement::officers::tests::{d, team};

    fn t(s: &str) -> NaiveTime {
        s.parse().unwrap()
    }

    fn item(n: u32, answer: Answer, note: &str, codes: &[&str]) -> ItemResult {
        ItemResult {
            item_number: n,
            answer,
            note: note.into(),
            violation_codes: codes.iter().map(|c| c.to_string()).collect(),
        }
    }

    fn input() -> InspectionInput {
        InspectionInput {
            date: d("2024-09-10"),
            start: t("09:00:00"),
            end: t("11:30:00"),
            place: " 生产车间 ".into(),
            person_present: "张某".into(),
            person_present_role: "安全管理人员".into(),
            officers: team(),
            guests: vec![Guest {
                name: "陈静".into(),
                kind: GuestKind::Media,
                organisation: "青秀电视台".into(),
            }],
            notice: Notice::Unannounced,
            summary: String::new(),
            items: vec![
                item(1, Answer::Conform, "", &[]),
                item(2, Answer::NonConform, " 未建立安全生产责任制 ", &["WSL-96"]),
                item(3, Answer::NotApplicable, "无重大危险源", &[]),
            ],
        }
    }

    const ITEMS: [u32; 3] = [1, 2, 3];
    const TODAY: &str = "2024-09-10";

    fn known(code: &str) -> bool {
        matches!(code, "WSL-96" | "WSL-97")
    }

    fn check(i: &InspectionInput) -> Result<(), Refusal> {
        i.check(&ITEMS, known, d(TODAY))
    }

    fn refusal(i: &InspectionInput) -> (String, Option<&'static str>) {
        let r = check(i).unwrap_err();
        (r.message().to_string(), r.field())
    }

    fn item_errors(i: &InspectionInput) -> Vec<(u32, &'static str, String)> {
        let r = check(i).unwrap_err();
        assert_eq!(r.field(), Some("items"));
        r.field_errors()
            .iter()
            .map(|e| (e.item, e.field, e.message.clone()))
            .collect()
    }

    #[test]
    fn codes_and_labels() {
        let n: Vec<_> = Notice::ALL.iter().map(|x| (x.code(), x.label())).collect();
        assert_eq!(
            n,
            vec![("announced", "事先告知"), ("unannounced", "四不两直")]
        );
        let e: Vec<_> = CapException::ALL
            .iter()
            .map(|x| (x.code(), x.label()))
            .collect();
        assert_eq!(
            e,
            vec![
                ("complaint", "投诉举报"),
                ("accident", "事故"),
                ("referral", "移送/交办")
            ]
        );
    }

    #[test]
    fn yearly_cap() {
        assert!(check_yearly_cap(0, 2, None).is_ok());
        // The second inspection of the year is still within a cap of two.
        assert!(check_yearly_cap(1, 2, None).is_ok());
        let r = check_yearly_cap(2, 2, None).unwrap_err();
        assert_eq!(
            r.message(),
            "该企业今年已接受本单位检查2次，已达年度上限2次；超出上限须选择例外情形（投诉举报、事故、移送/交办）并写明依据"
        );
        assert_eq!(r.field(), Some("exception"));
        assert!(check_yearly_cap(0, 0, None).is_err());
        assert!(check_yearly_cap(2, 2, Some((CapException::Complaint, "12350举报第88号"))).is_ok());
        assert!(check_yearly_cap(5, 2, Some((CapException::Accident, "9·3机械伤害事故"))).is_ok());
        let r = check_yearly_cap(2, 2, Some((CapException::Referral, "  "))).unwrap_err();
        assert_eq!(
            (r.message(), r.field()),
            ("请填写例外情形的依据", Some("exception_ground"))
        );
        let long = "据".repeat(501);
        let r = check_yearly_cap(0, 2, Some((CapException::Referral, &long))).unwrap_err();
        assert_eq!(r.message(), "例外情形的依据不能超过500个字");
        assert!(check_yearly_cap(0, 2, Some((CapException::Referral, &long[3..]))).is_ok());
    }

    #[test]
    fn a_complete_record_passes() {
        assert_eq!(check(&input()), Ok(()));
    }

    #[test]
    fn date_and_times() {
        let mut i = input();
        i.date = d("2024-09-11");
        assert_eq!(refusal(&i), ("检查日期不能晚于今天".into(), Some("date")));
        let mut i = input();
        i.date = d("2024-09-09");
        assert!(check(&i).is_ok());
        let mut i = input();
        i.end = i.start;
        assert_eq!(
            refusal(&i),
            ("检查结束时间须晚于开始时间".into(), Some("end_time"))
        );
        i.end = t("08:59:00");
        assert_eq!(refusal(&i).1, Some("end_time"));
        i.end = t("09:01:00");
        assert!(check(&i).is_ok());
    }

    #[test]
    fn place_and_person_present() {
        let mut i = input();
        i.place = "  ".into();
        assert_eq!(refusal(&i), ("请填写检查场所".into(), Some("place")));
        i.place = "场".repeat(200);
        assert!(check(&i).is_ok());
        i.place = "场".repeat(201);
        assert_eq!(
            refusal(&i),
            ("检查场所不能超过200个字".into(), Some("place"))
        );
        let mut i = input();
        i.person_present = String::new();
        assert_eq!(
            refusal(&i),
            ("请填写现场负责人姓名".into(), Some("person_present"))
        );
        let mut i = input();
        i.person_present_role = "职".repeat(51);
        assert_eq!(
            refusal(&i),
            (
                "现场负责人职务不能超过50个字".into(),
                Some("person_present_role")
            )
        );
        let mut i = input();
        i.summary = "情".repeat(2001);
        assert_eq!(
            refusal(&i),
            ("检查情况不能超过2000个字".into(), Some("summary"))
        );
    }

    #[test]
    fn officers_on_the_inspection_date() {
        let mut i = input();
        i.officers.truncate(1);
        assert_eq!(
            refusal(&i),
            ("执法人员不少于两名，现列出1名".into(), Some("officers"))
        );
        // Certificates valid from 2024-01-01: an inspection dated 2023 is refused on its own date.
        let mut i = input();
        i.date = d("2023-12-29");
        assert_eq!(
            refusal(&i),
            (
                "执法人员李明的执法证自2024-01-01起有效，2023-12-29尚未生效".into(),
                Some("officers")
            )
        );
        let mut i = input();
        i.guests[0].name = "李明".into();
        assert_eq!(refusal(&i).1, Some("guests"));
    }

    #[test]
    fn every_item_exactly_once() {
        let mut i = input();
        i.items.remove(0);
        i.items.push(item(2, Answer::Conform, "", &[]));
        i.items.push(item(32, Answer::Conform, "", &[]));
        assert_eq!(
            item_errors(&i),
            vec![
                (2, "answer", "第2项重复作答".into()),
                (32, "answer", "第32项不是本次检查的项目".into()),
                (1, "answer", "第1项未作答".into()),
            ]
        );
        let r = check(&i).unwrap_err();
        assert_eq!(r.message(), "有3处填写不正确");
    }

    #[test]
    fn non_conform_needs_a_note() {
        let mut i = input();
        i.items[1].note = "  ".into();
        assert_eq!(
            item_errors(&i),
            vec![(
                2,
                "note",
                "第2项为“不符合”，请在说明中写明存在的问题".into()
            )]
        );
        let mut i = input();
        i.items[0].note = "说".repeat(NOTE_MAX_CHARS);
        assert!(check(&i).is_ok());
        i.items[0].note = "说".repeat(NOTE_MAX_CHARS + 1);
        assert_eq!(
            item_errors(&i),
            vec![(1, "note", "第1项说明超过2000字".into())]
        );
        let mut i = input();
        i.items[2].note = "a\u{0}".into();
        assert_eq!(
            item_errors(&i),
            vec![(
                3,
                "note",
                "第3项说明含有不可见的控制字符，请删除后重试".into()
            )]
        );
    }

    #[test]
    fn violations_only_on_non_conform_and_known() {
        let mut i = input();
        i.items[0].violation_codes = vec!["WSL-96".into()];
        i.items[1].violation_codes = vec!["WSL-97".into(), "X-1".into(), " WSL-97".into()];
        assert_eq!(
            item_errors(&i),
            vec![
                (
                    1,
                    "violation_codes",
                    "第1项不是“不符合”，不能关联违法行为".into()
                ),
                (
                    2,
                    "violation_codes",
                    "第2项关联的违法行为X-1不在违法行为库中".into()
                ),
                (2, "violation_codes", "第2项重复关联违法行为WSL-97".into()),
            ]
        );
        // A 不符合 item without a suspected violation is fine.
        let mut i = input();
        i.items[1].violation_codes.clear();
        assert!(check(&i).is_ok());
    }

    #[test]
    fn findings_one_per_non_conform_item() {
        let mut i = input();
        i.items
            .insert(0, item(3, Answer::NonConform, "应急预案未演练", &[]));
        i.items.pop();
        let f = i.findings_to_open();
        assert_eq!(
            f,
            vec![
                FindingToOpen {
                    item_number: 2,
                    description: "未建立安全生产责任制".into(),
                    violation_codes: vec!["WSL-96".into()],
                },
                FindingToOpen {
                    item_number: 3,
                    description: "应急预案未演练".into(),
                    violation_codes: vec![],
                },
            ]
        );
        assert!(
            InspectionInput {
                items: vec![item(1, Answer::Conform, "", &[])],
                ..input()
            }
            .findings_to_open()
            .is_empty()
        );
    }

    #[test]
    fn trimmed_texts() {
        let i = input().trimmed();
        assert_eq!(i.place, "生产车间");
        assert_eq!(i.items[1].note, "未建立安全生产责任制");
        assert_eq!(i.officers, team());
    }
}
