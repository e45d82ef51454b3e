//! Reading the structure of a normalized plan text into a [`CampaignTemplate`].
//!
//! Every reader works on generic patterns of Chinese official documents (GB/T 9704 layout,
//! the usual wording of 专项治理 plans); nothing here knows any particular document.
//!
//! The readers live in one module each, by what they read:
//!
//! - `header`: the plan's identity: title, document number, signature (issuer, date),
//!   publication date;
//! - `industries`: the target industries a count word closes (`…八大行业`);
//! - `checklist`: duty areas and their check items, and the numbering check
//!   (check tables saved as text are `crate::checktable`);
//! - `window`: the campaign's own window (`从即日起到12月底`, `为期半年`, `(2024—2026年)`);
//! - `phases`: the campaign phases and their date windows;
//! - `measures`: the `“八个一”` measures;
//! - `obligations`: reporting obligations, one-off deadlines and recurring reports.

use safeduty_core::template::{CampaignTemplate, Question, QuestionKind};

use crate::input::MAX_TEXT_BYTES;
use crate::normalize::{Normalized, normalize};
use crate::text::{chars, ends_sentence, is_page_marker, is_toc_entry, is_toc_line};

pub(crate) mod checklist;
mod header;
mod industries;
mod measures;
mod obligations;
mod phases;
mod window;

/// The result of importing a plan text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// The campaign template found in the text (not yet reviewed).
    pub template: CampaignTemplate,
    /// The normalized text the template's line numbers refer to.
    pub normalized: String,
}

impl Import {
    /// A short human summary (Chinese): counts, phase dates, due dates, open questions.
    pub fn summary(&self) -> String {
        crate::summary::summary(&self.template)
    }
}

/// Imports a plan text: normalizes it and reads its campaign structure. `source` is recorded as
/// the template's `plan.source` (e.g. the file name). Never panics; a text without campaign
/// structure gives a template for which [`CampaignTemplate::has_structure`] is false.
///
/// Only the first [`MAX_TEXT_BYTES`] of `text` are read (cut at a line end where there is one);
/// a longer text gets a [`QuestionKind::Truncated`] question saying where reading stopped. Work
/// is linear in the text read, so the bound is also a bound on time.
pub fn import(text: &str, source: Option<&str>) -> Import {
    let (text, cut) = bounded(text);
    let mut normalized = normalize(text);
    if cut {
        let line = u32::try_from(normalized.text.split('\n').count()).unwrap_or(u32::MAX);
        normalized.questions.push(Question {
            kind: QuestionKind::Truncated,
            line,
            excerpt: String::new(),
            message: format!(
                "文本超过 {MAX_TEXT_BYTES} 字节,只读取到第{line}行,其后的内容未导入。请只导入方案正文,或拆分后分别导入。"
            ),
            resolved: false,
        });
    }
    let template = read_template(&normalized, source);
    Import {
        template,
        normalized: normalized.text,
    }
}

/// `text` cut to at most [`MAX_TEXT_BYTES`]: after the last line break within the bound, else at
/// a character boundary; and whether it was cut.
fn bounded(text: &str) -> (&str, bool) {
    if text.len() <= MAX_TEXT_BYTES {
        return (text, false);
    }
    let mut end = MAX_TEXT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    let end = head.rfind('\n').unwrap_or(end);
    (&text[..end], true)
}

/// Reads the template from an already normalized text.
pub fn read_template(normalized: &Normalized, source: Option<&str>) -> CampaignTemplate {
    let lines = normalized.lines();
    let mut doc = Doc {
        lines: lines.iter().map(|l| l.trim()).collect(),
        consumed: vec![false; lines.len()],
        noise: vec![false; lines.len()],
        questions: normalized.questions.clone(),
        year: None,
    };
    doc.clear_noise();
    let mut t = CampaignTemplate::empty();
    t.plan = doc.plan_info(source);
    doc.unsigned(&t.plan);
    t.target_industries = doc.target_industries();
    t.areas = doc.areas();
    crate::checktable::read(&mut doc, &mut t);
    doc.check_numbering(&t);
    let window = doc.campaign_window(&t.plan);
    t.phases = doc.phases(&t.plan, &window);
    t.window = window.window;
    doc.phases_within(t.window.as_ref(), &t.phases);
    t.measures = doc.measures();
    t.obligations = doc.obligations(&t.phases, doc.year);
    doc.truncation();
    let mut questions = doc.questions;
    questions.sort_by_key(|q| q.line);
    t.questions = questions;
    crate::present::present(&mut t);
    t
}

/// 1-based line number of index `i`.
pub(crate) fn ln(i: usize) -> u32 {
    u32::try_from(i + 1).unwrap_or(u32::MAX)
}

/// The lines being read, which of them a reader has claimed, and the questions so far.
pub(crate) struct Doc<'a> {
    /// Trimmed normalized lines; index 0 is line 1.
    pub(crate) lines: Vec<&'a str>,
    /// Lines claimed as areas or items (not searched for deadlines).
    pub(crate) consumed: Vec<bool>,
    /// Lines that are no part of the text: page markers (`第 1 页`, `- 2 -`) and the entries of a
    /// table of contents. Their text is cleared; an item's text goes on over a page marker.
    pub(crate) noise: Vec<bool>,
    /// Questions for the reviewer.
    pub(crate) questions: Vec<Question>,
    /// The campaign year: the issue date's, else inferred from the phases.
    pub(crate) year: Option<i32>,
}

impl Doc<'_> {
    pub(crate) fn question(
        &mut self,
        kind: QuestionKind,
        line: u32,
        excerpt: &str,
        message: String,
    ) {
        self.questions.push(Question {
            kind,
            line,
            excerpt: excerpt.to_string(),
            message,
            resolved: false,
        });
    }

    /// Clears page markers and the entries of a table of contents (`二、检查内容……3`, or the
    /// numbered lines ending in a page number after a `目录` line): nothing is read from them.
    fn clear_noise(&mut self) {
        let mut in_contents = false;
        for i in 0..self.lines.len() {
            let l = self.lines[i];
            if l.is_empty() {
                continue;
            }
            let entry_of_contents = is_toc_line(l) || (in_contents && is_toc_entry(l));
            if is_page_marker(l) || entry_of_contents {
                self.lines[i] = "";
                self.noise[i] = true;
            }
            if matches!(l.replace([' ', '\t'], "").as_str(), "目录" | "目次") {
                self.lines[i] = "";
                self.noise[i] = true;
                in_contents = true;
            } else if !entry_of_contents {
                in_contents = false;
            }
        }
    }

    /// A question when the last line stops mid-sentence (a page saved in part).
    fn truncation(&mut self) {
        let Some((i, l)) = self
            .lines
            .iter()
            .enumerate()
            .rev()
            .find(|(_, l)| !l.is_empty())
        else {
            return;
        };
        let l = *l;
        let closed = ends_sentence(l)
            || l.ends_with(['、', '|'])
            || l.ends_with("印发")
            || l.ends_with('日')
            || l.ends_with('号')
            || chars(l) <= 20;
        if !closed {
            let tail: String = {
                let v: Vec<char> = l.chars().collect();
                v[v.len().saturating_sub(12)..].iter().collect()
            };
            let msg = format!(
                "第{}行在句子中间结束(“…{tail}”),文本可能不完整,请核对原件是否还有后续内容。",
                ln(i)
            );
            self.question(QuestionKind::Truncated, ln(i), &tail, msg);
        }
    }
}
