//! Self-inspection (自查自纠): an enterprise answers every check item 符合 / 不符合 / 不适用.
//!
//! Rules (issue #2, plan §四 第二阶段): a 不符合 answer needs a note saying what is wrong; a draft
//! may leave items unanswered, a submission may not; a submitted self-inspection is read-only;
//! on submission each 不符合 item opens a finding of general grade, due the template's number of
//! working days after the submission date.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, WorkingDayResult};
use crate::text::has_control_chars;

/// Maximum length of a note, in characters.
pub const NOTE_MAX_CHARS: usize = 2000;

/// The answer to one check item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// 符合.
    Conform,
    /// 不符合: opens a finding on submission.
    NonConform,
    /// 不适用.
    NotApplicable,
}

impl Answer {
    /// Every answer, in display order.
    pub const ALL: [Answer; 3] = [Answer::Conform, Answer::NonConform, Answer::NotApplicable];

    /// Stable code stored in the database and used in forms and the API.
    pub fn code(self) -> &'static str {
        match self {
            Answer::Conform => "conform",
            Answer::NonConform => "non_conform",
            Answer::NotApplicable => "not_applicable",
        }
    }

    /// Parses a [`Answer::code`].
    pub fn from_code(code: &str) -> Option<Answer> {
        Answer::ALL.into_iter().find(|a| a.code() == code)
    }

    /// Label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Answer::Conform => "符合",
            Answer::NonConform => "不符合",
            Answer::NotApplicable => "不适用",
        }
    }
}

/// Where a self-inspection stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Nothing saved yet.
    NotStarted,
    /// Saved, editable.
    Draft,
    /// Submitted, read-only.
    Submitted,
}

impl Status {
    /// Every status, in order.
    pub const ALL: [Status; 3] = [Status::NotStarted, Status::Draft, Status::Submitted];

    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Status::NotStarted => "not_started",
            Status::Draft => "draft",
            Status::Submitted => "submitted",
        }
    }

    /// Parses a [`Status::code`].
    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Status::NotStarted => "未开始",
            Status::Draft => "草稿",
            Status::Submitted => "已提交",
        }
    }
}

/// One item's answer as entered: `answer` is `None` while unanswered.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ItemAnswer {
    /// The answer, if given.
    pub answer: Option<Answer>,
    /// The note; required for 不符合.
    #[serde(default)]
    pub note: String,
}

pub use crate::refusal::FieldError;

/// Why a save or submission is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Already submitted: read-only.
    #[error("自查已提交，不能再修改")]
    AlreadySubmitted,
    /// The answers were edited from an older version (another window or person saved since):
    /// saving them would silently undo that save.
    #[error("自查内容已在其他窗口或由他人修改，请刷新页面后再保存")]
    Stale,
    /// Answers refer to items the campaign does not have.
    #[error("检查项目{0}不存在")]
    UnknownItem(u32),
    /// One or more fields are invalid.
    #[error("有{}处填写不正确", .0.len())]
    Fields(Vec<FieldError>),
}

impl From<Refusal> for crate::refusal::Refusal {
    fn from(r: Refusal) -> Self {
        use crate::refusal::Refusal as R;
        match r {
            Refusal::Fields(f) => R::fields(f),
            r @ (Refusal::AlreadySubmitted | Refusal::Stale) => R::conflict(r.to_string()),
            r @ Refusal::UnknownItem(_) => R::invalid(r.to_string()).on("item"),
        }
    }
}

/// Cleans and checks answers for `item_numbers` (the campaign's items). With `submit`, every
/// item must be answered. Notes are trimmed.
///
/// # Errors
/// [`Refusal::UnknownItem`] for an answer to an item not in the campaign; [`Refusal::Fields`] with
/// every field error (不符合 without a note, a note over [`NOTE_MAX_CHARS`], on submit an
/// unanswered item).
pub fn check_answers(
    item_numbers: &[u32],
    answers: BTreeMap<u32, ItemAnswer>,
    submit: bool,
) -> Result<BTreeMap<u32, ItemAnswer>, Refusal> {
    if let Some(n) = answers.keys().find(|n| !item_numbers.contains(n)) {
        return Err(Refusal::UnknownItem(*n));
    }
    let mut errors = Vec::new();
    let mut clean = BTreeMap::new();
    for &n in item_numbers {
        let mut a = answers.get(&n).cloned().unwrap_or_default();
        a.note = a.note.trim().to_string();
        match a.answer {
            None if submit => errors.push(FieldError {
                item: n,
                field: "answer",
                message: format!("第{n}项未作答"),
            }),
            Some(Answer::NonConform) if a.note.is_empty() => errors.push(FieldError {
                item: n,
                field: "note",
                message: format!("第{n}项为“不符合”，请在说明中写明存在的问题"),
            }),
            _ => {}
        }
        if has_control_chars(&a.note) {
            errors.push(FieldError {
                item: n,
                field: "note",
                message: format!("第{n}项说明含有不可见的控制字符，请删除后重试"),
            });
        }
        if a.note.chars().count() > NOTE_MAX_CHARS {
            errors.push(FieldError {
                item: n,
                field: "note",
                message: format!("第{n}项说明超过{NOTE_MAX_CHARS}字"),
            });
        }
        if a.answer.is_some() || !a.note.is_empty() {
            clean.insert(n, a);
        }
    }
    if errors.is_empty() {
        Ok(clean)
    } else {
        Err(Refusal::Fields(errors))
    }
}

/// A finding to open for a 不符合 item on submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFinding {
    /// The check item.
    pub item: u32,
    /// Description: the enterprise's note.
    pub description: String,
    /// Time limit: the N-th working day after the submission date.
    pub due: WorkingDayResult,
}

/// The findings a submission opens: one per 不符合 item, in item order, each of general grade
/// and category "problem", due `time_limit_working_days` working days after `submitted_on`.
pub fn findings_on_submit(
    answers: &BTreeMap<u32, ItemAnswer>,
    submitted_on: NaiveDate,
    time_limit_working_days: u32,
    calendar: &Calendar,
) -> Vec<NewFinding> {
    answers
        .iter()
        .filter(|(_, a)| a.answer == Some(Answer::NonConform))
        .map(|(&item, a)| NewFinding {
            item,
            description: a.note.clone(),
            due: calendar.add_working_days(submitted_on, time_limit_working_days),
        })
        .collect()
}

/// The last day of a plan's self-inspection phase (自查自纠: the first phase whose name speaks of
/// 自查), if the plan gives one.
pub fn phase_end(phases: &[crate::template::Phase]) -> Option<NaiveDate> {
    phases.iter().find(|p| p.name.contains("自查"))?.end
}

/// Whether a self-inspection submitted on `submitted_on` was late: after the last day of the
/// plan's self-inspection phase (Qingxiu plan §四 第二阶段). Computed when shown, never stored;
/// `false` when the plan gives no end.
pub fn is_late(phases: &[crate::template::Phase], submitted_on: NaiveDate) -> bool {
    phase_end(phases).is_some_and(|end| submitted_on > end)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_submission_after_the_phase_is_late() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let phase = |ordinal, name: &str, end: &str| crate::template::Phase {
            ordinal,
            name: name.into(),
            start: None,
            end: Some(d(end)),
            window_text: String::new(),
            lines: None,
        };
        let mut phases = vec![
            phase(1, "动员部署", "2024-04-30"),
            phase(2, "自查自纠", "2024-06-30"),
            phase(3, "严格执法", "2024-10-31"),
        ];
        assert_eq!(super::phase_end(&phases), Some(d("2024-06-30")));
        assert!(!super::is_late(&phases, d("2024-06-30")));
        assert!(super::is_late(&phases, d("2024-07-01")));
        phases.remove(1);
        assert!(!super::is_late(&phases, d("2025-01-01")));
    }

    use super::*;

    fn ans(a: Answer, note: &str) -> ItemAnswer {
        ItemAnswer {
            answer: Some(a),
            note: note.into(),
        }
    }

    #[test]
    fn non_conform_needs_a_note() {
        let items: Vec<u32> = (1..=31).collect();
        let answers = BTreeMap::from([(3, ans(Answer::NonConform, "  "))]);
        let err = check_answers(&items, answers, false).unwrap_err();
        let Refusal::Fields(errs) = err else { panic!() };
        assert_eq!(errs.len(), 1);
        assert_eq!((errs[0].item, errs[0].field), (3, "note"));
    }

    #[test]
    fn control_characters_are_refused() {
        let answers = BTreeMap::from([(1, ans(Answer::Conform, "a\u{0}b"))]);
        let Refusal::Fields(errs) = check_answers(&[1], answers, false).unwrap_err() else {
            panic!()
        };
        assert_eq!((errs[0].item, errs[0].field), (1, "note"));
        assert!(
            check_answers(
                &[1],
                BTreeMap::from([(1, ans(Answer::Conform, "两行\n说明"))]),
                false
            )
            .is_ok()
        );
    }

    #[test]
    fn submit_needs_every_item() {
        let items = [1, 2, 3];
        let answers = BTreeMap::from([(1, ans(Answer::Conform, ""))]);
        let Refusal::Fields(errs) = check_answers(&items, answers, true).unwrap_err() else {
            panic!()
        };
        assert_eq!(errs.iter().map(|e| e.item).collect::<Vec<_>>(), vec![2, 3]);
    }

    #[test]
    fn unknown_item_refused() {
        let answers = BTreeMap::from([(32, ans(Answer::Conform, ""))]);
        assert_eq!(
            check_answers(&[1, 2], answers, false),
            Err(Refusal::UnknownItem(32))
        );
    }

    #[test]
    fn findings_due_in_working_days() {
        let cal = Calendar::shipped();
        let answers = BTreeMap::from([
            (1, ans(Answer::Conform, "")),
            (9, ans(Answer::NonConform, "培训计划未区分层次")),
            (17, ans(Answer::NonConform, "未组织现场处置方案演练")),
        ]);
        let d = NaiveDate::from_ymd_opt(2024, 6, 20).unwrap();
        let f = findings_on_submit(&answers, d, 20, &cal);
        assert_eq!(f.iter().map(|f| f.item).collect::<Vec<_>>(), vec![9, 17]);
        // 20 working days after Thu 2024-06-20, no holidays in between: Thu 2024-07-18.
        assert_eq!(f[0].due.date, NaiveDate::from_ymd_opt(2024, 7, 18).unwrap());
        assert_eq!(f[0].description, "培训计划未区分层次");
    }
}
