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
//!
//! Applying an edit also marks as resolved the open questions on the same line whose excerpt
//! contains `before` (or is contained in it), and appends the edit to `review_edits`.

use safeduty_core::template::{CampaignTemplate, CheckItem, DutyArea, ReviewEdit};

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
        if edit.field != "source" {
            let target = field_mut(&mut work, &edit.field, index)?;
            if !target.contains(&edit.before) {
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
    *t = work;
    Ok(())
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
