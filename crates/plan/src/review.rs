//! Review edits: corrections a person makes to an imported template, applied and recorded.
//!
//! An edit names a field by path and replaces the text `before` with `after` in it:
//!
//! | path | element |
//! |---|---|
//! | `plan.title`, `plan.document_number`, `plan.issuer` | plan identity |
//! | `target_industries.<i>` | the i-th target industry, counted from 0 |
//! | `areas.<label>.title` | the area labelled `<label>` (e.g. `一`); nest with `areas.<label>.areas.<label>.title` |
//! | `areas.<label>.items.<n>.text` | item numbered `n` in that area (also `legal_basis`, `evidence_guidance`) |
//! | `items.<n>.text` | the check item numbered `n`, wherever it sits (error if two items carry that number) |
//! | `phases.<ordinal>.name`, `phases.<ordinal>.window_text` | a phase, by its ordinal |
//! | `measures.<n>.name` | a measure, by its number |
//! | `obligations.<i>.name`, `.recipient`, `.source_text` | an obligation, counted from 0 |
//! | `source` | the source text of `line` that no template field keeps; recorded only |
//! | `plan.issue_date`, `phases.<ordinal>.start`, `phases.<ordinal>.end` | a date, `YYYY-MM-DD` (empty: none) |
//! | `window.start`, `window.end` | the campaign window's dates (a window is made when the plan stated none; emptied, it is removed) |
//! | `obligations.<i>.date` | the date of a fixed deadline (`on_or_before`) |
//! | `obligations.<i>.days` | the N of a deadline counted in working or calendar days |
//! | `questions.<i>` | resolves question i (counted from 0); `note` says how |
//! | `renumber_items` | numbers every check item 1–N in document order (plans that restart at 1 in each area: a campaign keys items by number) |
//!
//! Date and number fields compare `before` with the whole value and take `after` whole. After
//! edits, the obligations' informative due dates are recomputed by the deadline engine
//! (`safeduty_core::campaign::resolve_due`).
//!
//! Applying an edit also marks as resolved the open questions on the same line whose excerpt
//! contains `before` (or is contained in it), and appends the edit to `review_edits`.

use chrono::NaiveDate;
use safeduty_core::calendar::Calendar;
use safeduty_core::campaign::resolve_due;
use safeduty_core::template::{
    CampaignTemplate, CampaignWindow, CheckItem, DueRule, DutyArea, ReviewEdit,
};
use safeduty_core::text::has_control_chars;

/// Why a review edit could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    /// The field path names no element of the template.
    #[error("review edit {index}: no field `{field}` in the template")]
    UnknownField {
        /// 0-based position of the edit.
        index: usize,
        /// The path as written.
        field: String,
    },
    /// The field does not contain the text to replace (the edit is stale).
    #[error("review edit {index}: field `{field}` does not contain “{before}”")]
    BeforeNotFound {
        /// 0-based position of the edit.
        index: usize,
        /// The path as written.
        field: String,
        /// The text looked for.
        before: String,
    },
    /// The new value of a date or number field does not parse.
    #[error("review edit {index}: `{field}` needs {expected}, not “{value}”")]
    BadValue {
        /// 0-based position of the edit.
        index: usize,
        /// The path as written.
        field: String,
        /// What was expected (Chinese, for the review page).
        expected: &'static str,
        /// The value given.
        value: String,
    },
    /// `items.<n>` matches more than one check item.
    #[error(
        "review edit {index}: `{field}` matches more than one check item; name the area (areas.<label>.items.<n>)"
    )]
    Ambiguous {
        /// 0-based position of the edit.
        index: usize,
        /// The path as written.
        field: String,
    },
}

/// Applies `edits` in order to `t`, marks the questions they answer resolved and records them in
/// `t.review_edits`. All or nothing: on error `t` is left unchanged.
///
/// # Errors
/// An edit whose field is unknown or does not contain its `before` text.
pub fn apply_review_edits(
    t: &mut CampaignTemplate,
    edits: &[ReviewEdit],
) -> Result<(), ReviewError> {
    let mut work = t.clone();
    for (index, edit) in edits.iter().enumerate() {
        // Texts people read and print never carry control characters (as every other form).
        if has_control_chars(&edit.after) {
            return Err(ReviewError::BadValue {
                index,
                field: edit.field.clone(),
                expected: "不含控制字符的文字",
                value: edit.after.escape_debug().to_string(),
            });
        }
        if let Some(q) = edit.field.strip_prefix("questions.") {
            let q = q
                .parse::<usize>()
                .ok()
                .and_then(|i| work.questions.get_mut(i))
                .ok_or_else(|| ReviewError::UnknownField {
                    index,
                    field: edit.field.clone(),
                })?;
            q.resolved = true;
        } else if edit.field == "renumber_items" {
            for (k, item) in all_items_mut(&mut work).into_iter().enumerate() {
                item.number = u32::try_from(k + 1).unwrap_or(u32::MAX);
            }
        } else if typed_field(&mut work, edit, index)? {
            // A date or number field, set whole.
        } else if edit.field != "source" {
            let target = field_mut(&mut work, &edit.field, index)?;
            if !target.contains(&edit.before) || (edit.before.is_empty() && !target.is_empty()) {
                return Err(ReviewError::BeforeNotFound {
                    index,
                    field: edit.field.clone(),
                    before: edit.before.clone(),
                });
            }
            *target = target.replace(&edit.before, &edit.after);
        }
        if let Some(line) = edit.line {
            for q in work
                .questions
                .iter_mut()
                .filter(|q| q.line == line && !q.resolved)
            {
                if q.excerpt.contains(&edit.before) || edit.before.contains(&q.excerpt) {
                    q.resolved = true;
                }
            }
        }
        work.review_edits.push(edit.clone());
    }
    refresh_due_dates(&mut work);
    *t = work;
    Ok(())
}

/// Recomputes the informative due dates of `t`'s obligations with the deadline engine and the
/// shipped calendar, for the campaign year of the plan's date.
pub fn refresh_due_dates(t: &mut CampaignTemplate) {
    let calendar = Calendar::shipped();
    let Some(year) = t.plan.year() else { return };
    let phases = t.phases.clone();
    for o in &mut t.obligations {
        o.due_date = resolve_due(&o.due, &phases, year, &calendar).map(|r| r.date);
    }
}

/// Why a reviewed template cannot be saved yet, in Chinese (empty when it can): it must have
/// campaign structure, a signed date (the campaign year comes from it), every question resolved,
/// and distinct check-item numbers (a campaign keys its items by number).
pub fn not_ready(t: &CampaignTemplate) -> Vec<String> {
    let mut out = Vec::new();
    if !t.has_structure() {
        out.push(crate::summary::NO_STRUCTURE.to_string());
    }
    if t.plan.issue_date.is_none() {
        out.push("未填写成文日期（专项治理的年份由它确定）。".to_string());
    }
    let open = t.questions.iter().filter(|q| !q.resolved).count();
    if open > 0 {
        out.push(format!("还有 {open} 个待确认问题未处理。"));
    }
    if duplicate_item_numbers(t) {
        out.push(
            "检查事项编号有重复（各方面分别从1编号）：请用“连续编号”把事项按文件顺序编为1至N。"
                .to_string(),
        );
    }
    out
}

/// Whether two check items share a number (a plan numbering each area from 1); the
/// `renumber_items` edit makes them distinct.
pub fn duplicate_item_numbers(t: &CampaignTemplate) -> bool {
    let mut numbers: Vec<u32> = t.all_items().iter().map(|i| i.number).collect();
    numbers.sort_unstable();
    numbers.windows(2).any(|w| w[0] == w[1])
}

/// Sets a date or number field named by `edit.field`; `Ok(false)` when the field is not one.
fn typed_field(
    t: &mut CampaignTemplate,
    edit: &ReviewEdit,
    index: usize,
) -> Result<bool, ReviewError> {
    let unknown = || ReviewError::UnknownField {
        index,
        field: edit.field.clone(),
    };
    let bad = |expected: &'static str| ReviewError::BadValue {
        index,
        field: edit.field.clone(),
        expected,
        value: edit.after.clone(),
    };
    let stale = || ReviewError::BeforeNotFound {
        index,
        field: edit.field.clone(),
        before: edit.before.clone(),
    };
    let date = |s: &str| -> Result<Option<NaiveDate>, ReviewError> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| bad("日期（YYYY-MM-DD）"))
    };
    let show = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let parts: Vec<&str> = edit.field.split('.').collect();
    let slot: &mut Option<NaiveDate> = match parts.as_slice() {
        ["plan", "issue_date"] => &mut t.plan.issue_date,
        ["window", f @ ("start" | "end")] => {
            let w = t.window.get_or_insert_with(CampaignWindow::default);
            if *f == "start" {
                &mut w.start
            } else {
                &mut w.end
            }
        }
        ["phases", o, f @ ("start" | "end")] => {
            let o: u32 = o.parse().map_err(|_| unknown())?;
            let p = t
                .phases
                .iter_mut()
                .find(|p| p.ordinal == o)
                .ok_or_else(unknown)?;
            if *f == "start" {
                &mut p.start
            } else {
                &mut p.end
            }
        }
        ["obligations", i, f @ ("date" | "days")] => {
            let i: usize = i.parse().map_err(|_| unknown())?;
            let o = t.obligations.get_mut(i).ok_or_else(unknown)?;
            match (&mut o.due, *f) {
                (DueRule::OnOrBefore { date: d }, "date") => {
                    if d.to_string() != edit.before {
                        return Err(stale());
                    }
                    *d = date(&edit.after)?.ok_or_else(|| bad("日期（YYYY-MM-DD）"))?;
                    return Ok(true);
                }
                (
                    DueRule::WorkingDaysAfter { days, .. }
                    | DueRule::CalendarDaysAfter { days, .. },
                    "days",
                ) => {
                    if days.to_string() != edit.before {
                        return Err(stale());
                    }
                    *days = edit
                        .after
                        .trim()
                        .parse()
                        .ok()
                        .filter(|n| (1..=366).contains(n))
                        .ok_or_else(|| bad("1到366之间的天数"))?;
                    return Ok(true);
                }
                _ => return Err(unknown()),
            }
        }
        _ => return Ok(false),
    };
    if show(*slot) != edit.before.trim() {
        return Err(stale());
    }
    *slot = date(&edit.after)?;
    // A window emptied by the reviewer is no window.
    if t.window.as_ref().is_some_and(|w| {
        w.start.is_none() && w.end.is_none() && w.text.is_empty() && w.lines.is_none()
    }) {
        t.window = None;
    }
    Ok(true)
}

fn field_mut<'a>(
    t: &'a mut CampaignTemplate,
    field: &str,
    index: usize,
) -> Result<&'a mut String, ReviewError> {
    let unknown = || ReviewError::UnknownField {
        index,
        field: field.to_string(),
    };
    let parts: Vec<&str> = field.split('.').collect();
    match parts.as_slice() {
        ["plan", "title"] => Ok(&mut t.plan.title),
        ["plan", "document_number"] => t.plan.document_number.as_mut().ok_or_else(unknown),
        ["plan", "issuer"] => t.plan.issuer.as_mut().ok_or_else(unknown),
        ["target_industries", i] => {
            let i: usize = i.parse().map_err(|_| unknown())?;
            t.target_industries.get_mut(i).ok_or_else(unknown)
        }
        ["items", n, rest @ ..] => {
            let n: u32 = n.parse().map_err(|_| unknown())?;
            let count = t.all_items().iter().filter(|it| it.number == n).count();
            if count > 1 {
                return Err(ReviewError::Ambiguous {
                    index,
                    field: field.to_string(),
                });
            }
            let item = all_items_mut(t)
                .into_iter()
                .find(|it| it.number == n)
                .ok_or_else(unknown)?;
            item_field(item, rest).ok_or_else(unknown)
        }
        ["areas", ..] => area_path(&mut t.areas, &parts[1..]).ok_or_else(unknown),
        ["phases", o, f] => {
            let o: u32 = o.parse().map_err(|_| unknown())?;
            let p = t
                .phases
                .iter_mut()
                .find(|p| p.ordinal == o)
                .ok_or_else(unknown)?;
            match *f {
                "name" => Ok(&mut p.name),
                "window_text" => Ok(&mut p.window_text),
                _ => Err(unknown()),
            }
        }
        ["measures", n, "name"] => {
            let n: u32 = n.parse().map_err(|_| unknown())?;
            t.measures
                .iter_mut()
                .find(|m| m.number == n)
                .map(|m| &mut m.name)
                .ok_or_else(unknown)
        }
        ["obligations", i, f] => {
            let i: usize = i.parse().map_err(|_| unknown())?;
            let o = t.obligations.get_mut(i).ok_or_else(unknown)?;
            match *f {
                "name" => Ok(&mut o.name),
                "recipient" => o.recipient.as_mut().ok_or_else(unknown),
                "source_text" => Ok(&mut o.source_text),
                _ => Err(unknown()),
            }
        }
        _ => Err(unknown()),
    }
}

fn item_field<'a>(item: &'a mut CheckItem, rest: &[&str]) -> Option<&'a mut String> {
    match rest {
        ["text"] => Some(&mut item.text),
        ["legal_basis"] => item.legal_basis.as_mut(),
        ["evidence_guidance"] => item.evidence_guidance.as_mut(),
        _ => None,
    }
}

/// `<label>.title`, `<label>.items.<n>.text`, `<label>.areas.<label>…`.
fn area_path<'a>(areas: &'a mut [DutyArea], rest: &[&str]) -> Option<&'a mut String> {
    let (label, rest) = rest.split_first()?;
    let area = areas.iter_mut().find(|a| a.label == *label)?;
    match rest {
        ["title"] => Some(&mut area.title),
        ["items", n, tail @ ..] => {
            let n: u32 = n.parse().ok()?;
            let item = area.items.iter_mut().find(|it| it.number == n)?;
            item_field(item, tail)
        }
        ["areas", tail @ ..] => area_path(&mut area.areas, tail),
        _ => None,
    }
}

fn all_items_mut(t: &mut CampaignTemplate) -> Vec<&mut CheckItem> {
    fn walk<'a>(areas: &'a mut [DutyArea], out: &mut Vec<&'a mut CheckItem>) {
        for a in areas {
            out.extend(a.items.iter_mut());
            walk(&mut a.areas, out);
        }
    }
    let mut out: Vec<&mut CheckItem> = t.items.iter_mut().collect();
    walk(&mut t.areas, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use safeduty_core::template::{Question, QuestionKind};

    fn edit(line: Option<u32>, field: &str, before: &str, after: &str) -> ReviewEdit {
        ReviewEdit {
            line,
            field: field.into(),
            before: before.into(),
            after: after.into(),
            note: String::new(),
        }
    }

    fn sample() -> CampaignTemplate {
        let mut t = CampaignTemplate::empty();
        t.target_industries = vec!["非煤矿山".into(), "燃?xì)?".into()];
        t.items.push(CheckItem {
            number: 1,
            text: "是否甲?qū)乙".into(),
            legal_basis: None,
            evidence_guidance: None,
            lines: None,
        });
        t.questions.push(Question {
            kind: QuestionKind::Garbled,
            line: 7,
            excerpt: "燃?xì)?".into(),
            message: String::new(),
            resolved: false,
        });
        t
    }

    #[test]
    fn edits_apply_and_resolve() {
        let mut t = sample();
        let edits = [
            edit(Some(7), "target_industries.1", "燃?xì)?", "燃气"),
            edit(None, "items.1.text", "?qū)", "丙"),
        ];
        apply_review_edits(&mut t, &edits).unwrap();
        assert_eq!(t.target_industries[1], "燃气");
        assert_eq!(t.items[0].text, "是否甲丙乙");
        assert!(t.questions[0].resolved);
        assert_eq!(t.review_edits.len(), 2);
    }

    #[test]
    fn failed_edit_leaves_template_unchanged() {
        let mut t = sample();
        let before = t.clone();
        let edits = [
            edit(Some(7), "target_industries.1", "燃?xì)?", "燃气"),
            edit(None, "items.1.text", "不存在", "丙"),
        ];
        let err = apply_review_edits(&mut t, &edits).unwrap_err();
        assert!(matches!(err, ReviewError::BeforeNotFound { index: 1, .. }));
        assert_eq!(t, before);
        let err = apply_review_edits(&mut t, &[edit(None, "items.9.text", "a", "b")]).unwrap_err();
        assert!(matches!(err, ReviewError::UnknownField { .. }));
        // An empty `before` on a non-empty field would insert `after` between every character.
        let err = apply_review_edits(&mut t, &[edit(None, "items.1.text", "", "Z")]).unwrap_err();
        assert!(matches!(err, ReviewError::BeforeNotFound { .. }));
        let err =
            apply_review_edits(&mut t, &[edit(None, "items.1.text", "甲", "A\u{7}B")]).unwrap_err();
        assert!(
            matches!(err, ReviewError::BadValue { ref value, .. } if value == "A\\u{7}B"),
            "{err:?}"
        );
        assert_eq!(t, before);
    }

    #[test]
    fn dates_days_and_questions() {
        let mut t = sample();
        t.plan.issue_date = NaiveDate::from_ymd_opt(2025, 2, 10);
        t.obligations.push(safeduty_core::template::Obligation {
            name: "总结".into(),
            recipient: None,
            due: DueRule::WorkingDaysAfter {
                days: 5,
                anchor: safeduty_core::template::Anchor::YearEnd,
            },
            due_date: None,
            source_text: String::new(),
            lines: None,
        });
        apply_review_edits(
            &mut t,
            &[
                edit(None, "plan.issue_date", "2025-02-10", "2024-03-29"),
                edit(None, "obligations.0.days", "5", "3"),
                edit(None, "questions.0", "", "已处理"),
            ],
        )
        .unwrap();
        assert_eq!(t.plan.issue_date, NaiveDate::from_ymd_opt(2024, 3, 29));
        // 3 working days after 2024-12-31 (2025-01-01 is a holiday).
        assert_eq!(
            t.obligations[0].due_date,
            NaiveDate::from_ymd_opt(2025, 1, 6)
        );
        assert!(t.questions[0].resolved);
        assert!(not_ready(&t).is_empty(), "{:?}", not_ready(&t));
        let before = t.clone();
        let err = apply_review_edits(
            &mut t,
            &[edit(None, "plan.issue_date", "2024-03-29", "2024-13-01")],
        )
        .unwrap_err();
        assert!(matches!(err, ReviewError::BadValue { .. }));
        let err =
            apply_review_edits(&mut t, &[edit(None, "obligations.0.days", "9", "4")]).unwrap_err();
        assert!(matches!(err, ReviewError::BeforeNotFound { .. }));
        assert_eq!(t, before);
    }

    #[test]
    fn window_dates_are_edited_whole() {
        let mut t = sample();
        // A plan that stated no window: the reviewer gives one.
        apply_review_edits(&mut t, &[edit(None, "window.end", "", "2024-12-31")]).unwrap();
        let w = t.window.clone().unwrap();
        assert_eq!(
            (w.start, w.end),
            (None, NaiveDate::from_ymd_opt(2024, 12, 31))
        );
        assert_eq!(t.last_day(), NaiveDate::from_ymd_opt(2024, 12, 31));
        apply_review_edits(&mut t, &[edit(None, "window.start", "", "2024-03-29")]).unwrap();
        assert_eq!(
            t.window.as_ref().unwrap().start,
            NaiveDate::from_ymd_opt(2024, 3, 29)
        );
        let err =
            apply_review_edits(&mut t, &[edit(None, "window.end", "2024-12-30", "")]).unwrap_err();
        assert!(matches!(err, ReviewError::BeforeNotFound { .. }));
        let err = apply_review_edits(&mut t, &[edit(None, "window.text", "", "x")]).unwrap_err();
        assert!(matches!(err, ReviewError::UnknownField { .. }));
        apply_review_edits(
            &mut t,
            &[
                edit(None, "window.end", "2024-12-31", ""),
                edit(None, "window.start", "2024-03-29", ""),
            ],
        )
        .unwrap();
        assert_eq!(t.window, None);
    }

    #[test]
    fn renumbering_makes_numbers_distinct() {
        let mut t = sample();
        t.plan.issue_date = NaiveDate::from_ymd_opt(2025, 2, 10);
        t.questions.clear();
        let area = |label: &str, n: u32| DutyArea {
            label: label.into(),
            title: "方面".into(),
            items: (1..=n)
                .map(|k| CheckItem {
                    number: k,
                    text: format!("是否{k}"),
                    legal_basis: None,
                    evidence_guidance: None,
                    lines: None,
                })
                .collect(),
            areas: Vec::new(),
            lines: None,
        };
        t.items.clear();
        t.areas = vec![area("一", 2), area("二", 2)];
        assert_eq!(not_ready(&t).len(), 1);
        apply_review_edits(&mut t, &[edit(None, "renumber_items", "", "")]).unwrap();
        let numbers: Vec<u32> = t.all_items().iter().map(|i| i.number).collect();
        assert_eq!(numbers, vec![1, 2, 3, 4]);
        assert_eq!(t.areas[1].items[0].text, "是否1");
        assert!(not_ready(&t).is_empty());
    }

    #[test]
    fn source_edits_are_recorded_only() {
        let mut t = sample();
        apply_review_edits(&mut t, &[edit(Some(7), "source", "燃?xì)?", "燃气")]).unwrap();
        assert_eq!(t.target_industries[1], "燃?xì)?");
        assert!(t.questions[0].resolved);
        assert_eq!(t.review_edits.len(), 1);
    }
}
