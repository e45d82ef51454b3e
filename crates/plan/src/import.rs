//! Reading the structure of a normalized plan text into a [`CampaignTemplate`].
//!
//! Every reader works on generic patterns of Chinese official documents (GB/T 9704 layout,
//! the usual wording of 专项治理 plans); nothing here knows any particular document.

use std::sync::LazyLock;

use chrono::{Days, NaiveDate};
use regex::Regex;
use safeduty_core::calendar::Calendar;
use safeduty_core::campaign::resolve_due;
use safeduty_core::template::{
    Anchor, CampaignTemplate, CheckItem, DueRule, DutyArea, Lines, Measure, Obligation, Period,
    Phase, PlanInfo, Question, QuestionKind,
};

use crate::dates::{NUM, cn_number, is_date_line, mentions, parse_window};
use crate::input::MAX_TEXT_BYTES;
use crate::normalize::{Normalized, is_han, normalize};
use crate::text::{
    RE_TOP, Style, chars, ends_sentence, is_structural, label, numbered, outranks,
    split_outside_parens, without_parens,
};

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
        questions: normalized.questions.clone(),
        year: None,
    };
    let mut t = CampaignTemplate::empty();
    t.plan = doc.plan_info(source);
    doc.unsigned(&t.plan);
    t.target_industries = doc.target_industries();
    t.areas = doc.areas();
    crate::checktable::read(&mut doc, &mut t);
    doc.check_numbering(&t);
    t.phases = doc.phases(&t.plan);
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
    /// Questions for the reviewer.
    pub(crate) questions: Vec<Question>,
    /// The campaign year: the issue date's, else inferred from the phases.
    pub(crate) year: Option<i32>,
}

static RE_DOCNO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\p{Han}{1,12}[〔\[［【(]\s*\d{4}\s*[〕\]］】)]\s*第?\d{1,5}号")
        .expect("valid regex")
});
static RE_DOCNO_FIELD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"文\s*号[:\s]*(\S+号)").expect("valid regex"));
static RE_DOC_TYPE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(方案|通知|意见|办法|规定|计划|细则|要点|决定|通报|报告|检查表|清单|标准|规划|制度|指南|导则|措施|纪要)$",
    )
    .expect("valid regex")
});
static RE_ATTACHMENT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^附\s*(件|表|录)\s*[0-9一二三四五六七八九十]*\s*[:]?$").expect("valid regex")
});

impl Doc<'_> {
    fn question(&mut self, kind: QuestionKind, line: u32, excerpt: &str, message: String) {
        self.questions.push(Question {
            kind,
            line,
            excerpt: excerpt.to_string(),
            message,
            resolved: false,
        });
    }

    // ----- plan identity -------------------------------------------------------------------

    fn plan_info(&self, source: Option<&str>) -> PlanInfo {
        let signature = self.signature();
        PlanInfo {
            title: self
                .title(signature.map(|s| s.0))
                .map(|t| t.0)
                .unwrap_or_default(),
            document_number: self.document_number(),
            issuer: signature.and_then(|s| s.2.map(str::to_string)),
            issue_date: signature.map(|s| s.1),
            published: self.published().map(|p| p.1),
            source: source.map(str::to_string),
        }
    }

    /// The publication date of a page's metadata block (`发布日期:2024-03-08`), with its line.
    fn published(&self) -> Option<(usize, NaiveDate)> {
        static RE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(&format!(
                r"(?:发布|公开|发文|印发)(?:日期|时间)\s*[:]?\s*(?:(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})|({NUM})年({NUM})月({NUM})日)"
            ))
            .expect("valid regex")
        });
        self.lines.iter().enumerate().find_map(|(i, l)| {
            let c = RE.captures(l)?;
            let part =
                |a: usize, b: usize| c.get(a).or(c.get(b)).and_then(|m| cn_number(m.as_str()));
            let y = i32::try_from(part(1, 4)?).ok()?;
            Some((i, NaiveDate::from_ymd_opt(y, part(2, 5)?, part(3, 6)?)?))
        })
    }

    /// A question when the page says when it was published but the document carries no signed
    /// date: the publication date is not taken for it.
    fn unsigned(&mut self, plan: &PlanInfo) {
        if plan.issue_date.is_some() {
            return;
        }
        if let Some((i, p)) = self.published() {
            let msg = format!(
                "未找到落款的成文日期;第{}行的发布日期{p}不一定是成文日期,请核对原件并填写成文日期。",
                ln(i)
            );
            self.question(QuestionKind::Date, ln(i), &p.to_string(), msg);
        }
    }

    /// A document number standing on its own line (`青安委〔2024〕2号`, `(国发〔2010〕23号)`),
    /// or given as a `文号` field. Numbers quoted inside sentences are other documents.
    fn document_number(&self) -> Option<String> {
        for l in &self.lines {
            let bare = l
                .strip_prefix('(')
                .and_then(|s| s.strip_suffix(')'))
                .unwrap_or(l)
                .trim();
            if let Some(m) = RE_DOCNO.find(bare)
                && m.start() == 0
                && m.end() == bare.len()
            {
                return Some(m.as_str().to_string());
            }
            if let Some(c) = RE_DOCNO_FIELD.captures(l)
                && let Some(m) = RE_DOCNO.find(&c[1])
            {
                return Some(m.as_str().to_string());
            }
        }
        None
    }

    /// The signature: the first line that is only a date, and the issuer on the non-empty line
    /// before it when that line looks like the name of a body.
    fn signature(&self) -> Option<(usize, NaiveDate, Option<&str>)> {
        let (i, date) = self
            .lines
            .iter()
            .enumerate()
            .find_map(|(i, l)| is_date_line(l).map(|d| (i, d)))?;
        let issuer = self.lines[..i]
            .iter()
            .rev()
            .find(|l| !l.is_empty())
            .copied()
            .filter(|l| {
                let n = chars(l);
                (2..=40).contains(&n)
                    && l.chars().all(|c| is_han(c) || matches!(c, '(' | ')' | ' '))
                    && !RE_DOC_TYPE.is_match(l)
            });
        Some((i, date, issuer))
    }

    fn title_part(&self, i: usize) -> bool {
        let l = self.lines[i];
        if !(2..=50).contains(&chars(l)) || l.contains([',', '。', ';', ':', '!', '?', '|']) {
            return false;
        }
        let heading = l.starts_with('(')
            || RE_TOP.is_match(l)
            || numbered(l).is_some()
            || (l.starts_with('第') && l.contains("阶段"));
        let other =
            is_date_line(l).is_some() || RE_DOCNO.is_match(l) || RE_ATTACHMENT_LABEL.is_match(l);
        !heading && !other && l.chars().filter(|c| is_han(*c)).count() >= 2
    }

    /// The title: a run of up to three short lines without sentence punctuation that ends with a
    /// document-type word (方案, 通知, …), optionally followed by a `(2024—2026年)` line.
    /// Searched first just after the signature (the plan a cover letter issues), then from the top.
    fn title(&self, signature: Option<usize>) -> Option<(String, Lines)> {
        let n = self.lines.len();
        let mut order: Vec<usize> = Vec::new();
        if let Some(s) = signature {
            order.extend((s + 1)..n.min(s + 8));
            order.extend(0..s);
        } else {
            order.extend(0..n.min(12));
        }
        for s in order {
            if !self.title_part(s) {
                continue;
            }
            let mut joined = String::new();
            for k in 0..3 {
                let i = s + k;
                if i >= n || !self.title_part(i) {
                    break;
                }
                joined.push_str(self.lines[i]);
                let core = strip_trailing_paren(&joined);
                if RE_DOC_TYPE.is_match(core) {
                    let mut end = i;
                    if let Some(next) = self.lines.get(i + 1)
                        && next.starts_with('(')
                        && next.ends_with(')')
                        && chars(next) <= 16
                        && next.contains('年')
                    {
                        joined.push_str(next);
                        end = i + 1;
                    }
                    return Some((joined, Lines(ln(s), ln(end))));
                }
            }
        }
        None
    }

    // ----- target industries ---------------------------------------------------------------

    /// `A、B、…、H八大行业`: the list of industries a count word closes.
    fn target_industries(&mut self) -> Vec<String> {
        static RE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(&format!(r"({NUM})(?:大|个|类)(?:重点)?(?:行业|领域)")).expect("valid regex")
        });
        for i in 0..self.lines.len() {
            let l = self.lines[i];
            for c in RE.captures_iter(l) {
                let Some(want) = cn_number(&c[1]) else {
                    continue;
                };
                let start = c.get(0).map_or(0, |m| m.start());
                let head = &l[..start];
                let clause = split_outside_parens(head, &[',', '。', ';', ':'])
                    .last()
                    .copied()
                    .unwrap_or("");
                if !head.trim_end().ends_with(clause.trim_end()) || clause.is_empty() {
                    continue;
                }
                let mut parts: Vec<String> = split_outside_parens(clause, &['、'])
                    .into_iter()
                    .map(|p| p.trim().to_string())
                    .collect();
                if parts.len() < 2 {
                    continue;
                }
                let want = want as usize;
                if parts.len() < want
                    && let Some(last) = parts.pop()
                {
                    parts.extend(
                        split_outside_parens(&last, &['和', '及'])
                            .into_iter()
                            .map(|p| p.trim().to_string()),
                    );
                }
                if parts.len() > want {
                    parts.drain(..parts.len() - want);
                }
                if let Some(first) = parts.first_mut() {
                    for lead in ["的", "以及", "包括", "及", "和", "对"] {
                        if let Some(pos) = first.rfind(lead) {
                            *first = first[pos + lead.len()..].to_string();
                            break;
                        }
                    }
                }
                if parts.iter().any(|p| !(2..=20).contains(&chars(p))) {
                    continue;
                }
                if parts.len() != want {
                    let msg = format!(
                        "第{}行写明{}个行业,但只识别出{}个,请核对重点行业名单。",
                        ln(i),
                        want,
                        parts.len()
                    );
                    self.question(QuestionKind::Structure, ln(i), &c[0], msg);
                }
                return parts;
            }
        }
        Vec::new()
    }

    // ----- duty areas and check items ------------------------------------------------------

    /// Duty areas: a numbered heading (any [`Style`]) that owns numbered entries of another style,
    /// inside a section about what is checked (治理内容, 检查内容, …), or whose heading introduces
    /// the list (`重点治理:`), or whose entries are mostly `是否…` questions. Other numbered lists
    /// are not areas. A heading followed directly by such areas (not a `一、` chapter) holds them
    /// as sub-areas, so `(一)` → `1.` → `(1)` and `4` → `4.3` → `4.3.1` become a tree.
    fn areas(&mut self) -> Vec<DutyArea> {
        static RE_SECTION: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(
                r"(治理|检查|整治|排查|核查|督查|履职|自查)(内容|事项|重点|要点|标准)|重点(治理|检查|整治|排查)",
            )
            .expect("valid regex")
        });
        static RE_HEADING: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"重点(治理|检查|整治|排查|核查)|(检查|治理|整治|排查|核查)(内容|事项|要点)")
                .expect("valid regex")
        });
        let mut areas = Vec::new();
        // A heading whose next line is another heading: it may hold the areas that follow.
        let mut parent: Option<(Style, DutyArea)> = None;
        let close = |parent: &mut Option<(Style, DutyArea)>, areas: &mut Vec<DutyArea>| {
            if let Some((_, p)) = parent.take()
                && !p.areas.is_empty()
            {
                areas.push(p);
            }
        };
        let mut section = String::new();
        let n = self.lines.len();
        let mut i = 0;
        while i < n {
            let Some(h) = label(self.lines[i]) else {
                i += 1;
                continue;
            };
            if h.style == Style::CnTop {
                section = h.text.to_string();
            }
            if parent.as_ref().is_some_and(|(s, _)| {
                *s == h.style || h.style == Style::CnTop || outranks(h.style, *s)
            }) {
                close(&mut parent, &mut areas);
            }
            let heading = h.text.trim().to_string();
            let (items, next) = self.items_after(i + 1, h.style);
            if items.is_empty() {
                let next_is_heading = self.lines[i + 1..]
                    .iter()
                    .find(|l| !l.is_empty())
                    .and_then(|l| label(l))
                    .is_some_and(|x| x.style != h.style);
                if next_is_heading && h.style != Style::CnTop {
                    close(&mut parent, &mut areas);
                    parent = Some((h.style, self.area(&h.label, &heading, i, Vec::new())));
                }
                i += 1;
                continue;
            }
            let questions = items.iter().filter(|it| it.text.contains("是否")).count();
            let context = if h.style == Style::CnTop {
                heading.as_str()
            } else {
                section.as_str()
            };
            let parent_heading = parent.as_ref().map_or("", |(_, p)| p.title.as_str());
            let accepted = RE_SECTION.is_match(context)
                || RE_SECTION.is_match(parent_heading)
                || (RE_HEADING.is_match(&heading) && heading.ends_with(':'))
                || questions * 2 >= items.len();
            if !accepted {
                i += 1;
                continue;
            }
            for k in i..next {
                self.consumed[k] = true;
            }
            let area = self.area(&h.label, &heading, i, items);
            match parent.as_mut() {
                Some((_, p)) => {
                    if let Some(l) = p.lines {
                        self.consumed[l.0 as usize - 1] = true;
                    }
                    p.areas.push(area);
                }
                None => areas.push(area),
            }
            i = next;
        }
        close(&mut parent, &mut areas);
        areas
    }

    fn area(&self, label: &str, heading: &str, i: usize, items: Vec<CheckItem>) -> DutyArea {
        DutyArea {
            label: label.to_string(),
            title: area_title(heading),
            items,
            areas: Vec::new(),
            lines: Some(Lines::one(ln(i))),
        }
    }

    /// Numbered entries starting at line index `from` under a heading of style `heading` (blank
    /// lines allowed between them): all of the first entry's style, which must differ from the
    /// heading's (and be deeper for decimal numbers). A line that does not end its sentence takes
    /// the following plain lines as continuation. An entry followed by deeper entries is a
    /// heading, not an item: then nothing is returned.
    fn items_after(&self, from: usize, heading: Style) -> (Vec<CheckItem>, usize) {
        let n = self.lines.len();
        let mut items = Vec::new();
        let mut style: Option<Style> = None;
        let mut j = from;
        let mut end_of_items = from;
        while j < n {
            let l = self.lines[j];
            if l.is_empty() {
                j += 1;
                continue;
            }
            let Some(e) = label(l) else {
                break;
            };
            let ok = match style {
                None => {
                    e.style != heading && e.style != Style::CnTop && !outranks(e.style, heading)
                }
                Some(s) => e.style == s,
            };
            if !ok {
                if style.is_some()
                    && !outranks(e.style, style.unwrap_or(e.style))
                    && e.style != heading
                {
                    // Deeper entries follow: the entries found so far are headings.
                    return (Vec::new(), from);
                }
                break;
            }
            style = Some(e.style);
            let first = j;
            let mut text = e.text.trim().to_string();
            j += 1;
            while !ends_sentence(&text) && j < n {
                let next = self.lines[j];
                if next.is_empty() || is_structural(next) {
                    break;
                }
                text.push_str(next);
                j += 1;
            }
            items.push(CheckItem {
                number: e.number,
                text,
                legal_basis: None,
                evidence_guidance: None,
                lines: Some(Lines(ln(first), ln(j - 1))),
            });
            end_of_items = j;
        }
        (items, end_of_items)
    }

    /// A question for each item whose number does not follow the previous one.
    fn check_numbering(&mut self, t: &CampaignTemplate) {
        fn walk(areas: &[DutyArea], out: &mut Vec<Vec<(u32, u32)>>) {
            for a in areas {
                out.push(
                    a.items
                        .iter()
                        .map(|it| (it.number, it.lines.map_or(0, |l| l.0)))
                        .collect(),
                );
                walk(&a.areas, out);
            }
        }
        let mut groups = vec![
            t.items
                .iter()
                .map(|it| (it.number, it.lines.map_or(0, |l| l.0)))
                .collect::<Vec<_>>(),
        ];
        walk(&t.areas, &mut groups);
        let mut last_global: Option<u32> = None;
        let mut found = Vec::new();
        for g in groups {
            for (k, &(num, line)) in g.iter().enumerate() {
                let ok = if k == 0 {
                    num == 1 || last_global.is_some_and(|p| num == p + 1)
                } else {
                    num == g[k - 1].0 + 1
                };
                if !ok {
                    let prev = if k == 0 {
                        last_global
                    } else {
                        Some(g[k - 1].0)
                    };
                    found.push((num, line, prev));
                }
                last_global = Some(num);
            }
        }
        for (num, line, prev) in found {
            let msg = match prev {
                Some(p) => format!(
                    "第{line}行事项编号{num}没有接着上一项的编号{p},请核对是否漏项或编号有误。"
                ),
                None => format!("第{line}行事项编号{num}不是从1开始,请核对是否漏项。"),
            };
            self.question(QuestionKind::Structure, line, &num.to_string(), msg);
        }
    }

    // ----- phases --------------------------------------------------------------------------

    /// Phases: `第一阶段:动员部署(4月30日前)`, or `(一)动员部署阶段(…)` / `1.动员部署阶段(…)`
    /// with a date window.
    fn phases(&mut self, plan: &PlanInfo) -> Vec<Phase> {
        static RE_ORD: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(&format!(r"^第({NUM})阶段\s*[:]?\s*(.*)$")).expect("valid regex")
        });
        static RE_ALT: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"^(?:\(([一二三四五六七八九十]+)\)|(\d{1,2})[.、])\s*(.*)$")
                .expect("valid regex")
        });
        let from_now_in_doc = self.lines.iter().any(|l| l.contains("即日起"));
        let mut candidates: Vec<(u32, String, String, usize, bool)> = Vec::new();
        for i in 0..self.lines.len() {
            if self.consumed[i] {
                continue;
            }
            let l = self.lines[i];
            let (ordinal, rest, strict) = if let Some(c) = RE_ORD.captures(l) {
                let Some(o) = cn_number(&c[1]) else { continue };
                (o, c.get(2).map_or("", |m| m.as_str()), false)
            } else if let Some(c) = RE_ALT.captures(l) {
                let o = c
                    .get(1)
                    .or(c.get(2))
                    .and_then(|m| cn_number(m.as_str()))
                    .unwrap_or(0);
                (o, c.get(3).map_or("", |m| m.as_str()), true)
            } else {
                continue;
            };
            let Some((name, window_text)) = phase_name_window(rest) else {
                continue;
            };
            if strict && !name.ends_with("阶段") {
                continue;
            }
            let name = name
                .trim_start_matches('为')
                .trim_end_matches("阶段")
                .trim()
                .to_string();
            if name.is_empty() || chars(&name) > 12 {
                continue;
            }
            candidates.push((ordinal, name, window_text, i, strict));
        }
        // The campaign year: the issue date's, else the first year a phase window writes.
        let mut year = plan.year();
        if year.is_none()
            && let Some((line, y)) = candidates.iter().find_map(|c| {
                mentions(&c.2)
                    .iter()
                    .find_map(|m| m.year)
                    .map(|y| (ln(c.3), y))
            })
        {
            year = Some(y);
            let msg = format!("未识别出文件日期,阶段日期的年份按第{line}行推定为{y}年,请确认。");
            self.question(QuestionKind::Date, line, &y.to_string(), msg);
        }
        self.year = year;
        let mut phases: Vec<(Phase, bool, bool)> = Vec::new();
        for (ordinal, name, window_text, i, strict) in candidates {
            let w = parse_window(&window_text, year);
            if strict && !w.is_some() {
                continue;
            }
            phases.push((
                Phase {
                    ordinal,
                    name,
                    start: w.start,
                    end: w.end,
                    window_text,
                    lines: Some(Lines::one(ln(i))),
                },
                w.from_now,
                w.needs_year,
            ));
        }
        let mut out: Vec<Phase> = Vec::new();
        for (k, (mut p, from_now, needs_year)) in phases.into_iter().enumerate() {
            let line = p.lines.map_or(0, |l| l.0);
            if needs_year {
                let msg = format!(
                    "第{line}行“{}”阶段的时间“{}”没有年份,文件日期也未识别,请补充年份。",
                    p.name, p.window_text
                );
                self.question(QuestionKind::Date, line, &p.window_text, msg);
            }
            if p.start.is_none() && (from_now || (k == 0 && from_now_in_doc)) {
                if let Some(d) = plan.issue_date {
                    p.start = Some(d);
                } else {
                    let msg = format!(
                        "第{line}行“{}”阶段从即日起开始,但未识别出文件日期,请填写开始日期。",
                        p.name
                    );
                    self.question(QuestionKind::Date, line, &p.window_text, msg);
                }
            } else if p.start.is_none()
                && p.end.is_some()
                && let Some(prev_end) = out.last().and_then(|q| q.end)
            {
                p.start = prev_end.checked_add_days(Days::new(1));
                let msg = format!(
                    "第{line}行“{}”阶段未写开始日期,已按上一阶段结束次日推定为{},请确认。",
                    p.name,
                    p.start.map(|d| d.to_string()).unwrap_or_default()
                );
                self.question(QuestionKind::Date, line, &p.window_text, msg);
            }
            if (p.start.is_none() || p.end.is_none()) && !needs_year {
                let missing = match (p.start, p.end) {
                    (None, None) => "起止日期",
                    (None, _) => "开始日期",
                    _ => "结束日期",
                };
                let msg = format!("第{line}行“{}”阶段未写明{missing},请补充。", p.name);
                self.question(QuestionKind::Date, line, &p.window_text, msg);
            }
            out.push(p);
        }
        out
    }

    // ----- measures ------------------------------------------------------------------------

    /// The measures of an `“八个一”措施,即A、B、…` list: each names one action done once
    /// (`召开一次…`, `签订一份…`, `曝光一批…`).
    fn measures(&mut self) -> Vec<Measure> {
        static RE_ONES: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(&format!(r"({NUM})个一[”\x22]?")).expect("valid regex"));
        static RE_ONE_ACTION: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"一[次份批场套个本张项条支堂轮期封篇]").expect("valid regex")
        });
        for i in 0..self.lines.len() {
            let l = self.lines[i];
            let Some(c) = RE_ONES.captures(l) else {
                continue;
            };
            let Some(want) = cn_number(&c[1]) else {
                continue;
            };
            let after = &l[c.get(0).map_or(0, |m| m.end())..];
            let Some(pos) = after.find(['即', ':']) else {
                continue;
            };
            if chars(&after[..pos]) > 12 {
                continue;
            }
            let list = &after[pos..];
            let list = list.trim_start_matches(['即', ':']);
            let list = list.split('。').next().unwrap_or("");
            let parts: Vec<&str> = split_outside_parens(list, &['、', ';'])
                .into_iter()
                .map(str::trim)
                .collect();
            if parts.len() < 2
                || parts
                    .iter()
                    .any(|p| !RE_ONE_ACTION.is_match(p) || !(3..=24).contains(&chars(p)))
            {
                continue;
            }
            if parts.len() != want as usize {
                let msg = format!(
                    "第{}行写明“{}个一”,但列出了{}项措施,请核对。",
                    ln(i),
                    &c[1],
                    parts.len()
                );
                self.question(QuestionKind::Structure, ln(i), list, msg);
            }
            return parts
                .iter()
                .enumerate()
                .map(|(k, p)| Measure {
                    number: u32::try_from(k + 1).unwrap_or(u32::MAX),
                    name: p.to_string(),
                    lines: Some(Lines::one(ln(i))),
                })
                .collect();
        }
        Vec::new()
    }

    // ----- reporting obligations -----------------------------------------------------------

    /// Reporting obligations: clauses that say when something is to be reported (报送/上报/报).
    fn obligations(&mut self, phases: &[Phase], year: Option<i32>) -> Vec<Obligation> {
        let calendar = Calendar::shipped();
        let mut out = Vec::new();
        for i in 0..self.lines.len() {
            if self.consumed[i] {
                continue;
            }
            let l = self.lines[i];
            for clause in split_outside_parens(l, &[';', '。']) {
                let clause = clause.trim();
                for ob in recurring(clause) {
                    out.push(Obligation {
                        lines: Some(Lines::one(ln(i))),
                        ..ob
                    });
                }
                if let Some(ob) = self.deadline(clause, i, phases, year, &calendar) {
                    out.push(ob);
                }
            }
        }
        out
    }

    /// A one-off deadline in a clause: `于2024年3月30日前将方案报送…`,
    /// `自查自纠阶段结束后5个工作日内,将…报送…`.
    fn deadline(
        &mut self,
        clause: &str,
        i: usize,
        phases: &[Phase],
        year: Option<i32>,
        calendar: &Calendar,
    ) -> Option<Obligation> {
        static RE_REL: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(&format!(
                r"([^,;。:]{{0,24}}?)(?:结束|届满|截止)(?:后|之后|以后)\s*({NUM})\s*个?(工作日|日|天)(?:内|之内|以内)"
            ))
            .expect("valid regex")
        });
        let line = ln(i);
        // Relative deadline first: a clause with one has no absolute one.
        if let Some(c) = RE_REL.captures(clause) {
            let whole = c.get(0)?;
            if !reports_after(&clause[whole.end()..]) {
                return None;
            }
            let days = cn_number(&c[2])?;
            let anchor_text = c[1].trim();
            let anchor = if ["年度", "年底", "本年", "全年", "当年"]
                .iter()
                .any(|w| anchor_text.contains(w))
            {
                Some(Anchor::YearEnd)
            } else {
                phases
                    .iter()
                    .filter(|p| anchor_text.contains(p.name.as_str()))
                    .max_by_key(|p| p.name.len())
                    .map(|p| Anchor::PhaseEnd {
                        phase: p.name.clone(),
                    })
            };
            let Some(anchor) = anchor else {
                let msg = format!(
                    "第{line}行的报送期限“{}”从“{anchor_text}”起算,无法对应到阶段或年度,请人工设定。",
                    whole.as_str()
                );
                self.question(QuestionKind::Date, line, whole.as_str(), msg);
                return None;
            };
            let due = if &c[3] == "工作日" {
                DueRule::WorkingDaysAfter { days, anchor }
            } else {
                DueRule::CalendarDaysAfter { days, anchor }
            };
            let (name, recipient) = name_and_recipient(clause, whole.end());
            let due_date = self.due_date(&due, phases, year, calendar, line, whole.as_str());
            return Some(Obligation {
                name,
                recipient,
                due,
                due_date,
                source_text: clause.to_string(),
                lines: Some(Lines::one(line)),
            });
        }
        // Absolute deadline: a date followed by 前, then a reporting verb.
        for m in mentions(clause) {
            let rest = &clause[m.end..];
            if !["前", "以前", "之前"].iter().any(|p| rest.starts_with(p)) {
                continue;
            }
            if !reports_after(rest) {
                continue;
            }
            let Some(y) = m.year.or(year) else {
                let msg = format!(
                    "第{line}行的报送期限“{}”没有年份,文件日期也未识别,请补充。",
                    &clause[m.start..m.end]
                );
                self.question(QuestionKind::Date, line, &clause[m.start..m.end], msg);
                return None;
            };
            let date = m.last_day(y)?;
            let (name, recipient) = name_and_recipient(clause, m.end);
            return Some(Obligation {
                name,
                recipient,
                due: DueRule::OnOrBefore { date },
                due_date: Some(date),
                source_text: clause.to_string(),
                lines: Some(Lines::one(line)),
            });
        }
        None
    }

    fn due_date(
        &mut self,
        due: &DueRule,
        phases: &[Phase],
        year: Option<i32>,
        calendar: &Calendar,
        line: u32,
        excerpt: &str,
    ) -> Option<NaiveDate> {
        if matches!(due, DueRule::Recurring { .. }) {
            return None;
        }
        // The one deadline engine (core::campaign) resolves the rule; without a year only a
        // rule that needs none resolves.
        let resolved = match (year, due) {
            (
                None,
                DueRule::WorkingDaysAfter {
                    anchor: Anchor::YearEnd,
                    ..
                }
                | DueRule::CalendarDaysAfter {
                    anchor: Anchor::YearEnd,
                    ..
                },
            ) => None,
            _ => resolve_due(due, phases, year.unwrap_or_default(), calendar),
        };
        let (date, provisional) = match resolved {
            Some(r) => (Some(r.date), r.provisional),
            None => (None, false),
        };
        match date {
            None => {
                let msg =
                    format!("第{line}行的报送期限“{excerpt}”无法算出日期(起算日未知),请核对。");
                self.question(QuestionKind::Date, line, excerpt, msg);
            }
            Some(d) if provisional => {
                let msg = format!(
                    "第{line}行的报送期限“{excerpt}”算得{d},但所经年份的节假日安排尚未发布,日期为暂定,请在安排公布后复核。"
                );
                self.question(QuestionKind::Date, line, excerpt, msg);
            }
            Some(_) => {}
        }
        date
    }

    // ----- truncation ----------------------------------------------------------------------

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

/// Splits a heading such as `(…)方面。重点治理:` into its title `…方面`.
fn area_title(heading: &str) -> String {
    let h = heading.trim().trim_end_matches(':').trim_end();
    if let Some(pos) = h.rfind('。') {
        let tail = &h[pos + '。'.len_utf8()..];
        if chars(tail) <= 12 {
            return h[..pos].trim().to_string();
        }
    }
    h.trim_end_matches('。').trim().to_string()
}

/// `动员部署(4月30日前)。…` → ("动员部署", "4月30日前"); also `(4月30日前):动员部署` and
/// `动员部署阶段,时间为5月1日至6月30日`.
fn phase_name_window(rest: &str) -> Option<(String, String)> {
    let rest = rest.trim();
    let paren = |s: &str| -> Option<(String, usize)> {
        let inner = s.strip_prefix('(')?;
        let close = inner.find(')')?;
        Some((inner[..close].to_string(), 1 + close + 1))
    };
    if rest.starts_with('(')
        && let Some((window, used)) = paren(rest)
    {
        let after = rest[used..].trim_start_matches([':', ' ']);
        let end = after
            .find(['(', '。', ',', ';', ':'])
            .unwrap_or(after.len());
        return Some((after[..end].trim().to_string(), window));
    }
    let end = rest.find(['(', '。', ',', ';', ':']).unwrap_or(rest.len());
    let name = rest[..end].trim().to_string();
    let after = &rest[end..];
    if let Some((window, _)) = paren(after)
        && (window.contains('月') || window.contains("即日"))
    {
        return Some((name, window));
    }
    // Window in the first sentence: `,时间为5月1日至6月30日。`
    let sentence = after.split('。').next().unwrap_or("");
    let ms = mentions(sentence);
    if let (Some(first), Some(last)) = (ms.first(), ms.last()) {
        let mut end = last.end;
        if sentence[end..].starts_with('前') {
            end += '前'.len_utf8();
        }
        return Some((name, sentence[first.start..end].to_string()));
    }
    Some((name, String::new()))
}

/// Whether the text after a deadline phrase goes on to a reporting verb (报送/上报/报…).
fn reports_after(rest: &str) -> bool {
    let plain = without_parens(rest).replace("举报", "");
    plain.contains('报') || plain.contains("提交") || plain.contains("备案")
}

/// What is reported and to whom, from the text of a deadline clause after byte `from`.
fn name_and_recipient(clause: &str, from: usize) -> (String, Option<String>) {
    static RE_TAKE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"将([^,;]+?)(?:报送|上报|报告|提交|报)(?:至|到|给)?([^,;。]*)")
            .expect("valid regex")
    });
    static RE_MAKE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:写出|形成|制定|编制|起草|整理|提交)([^,;]+?)(?:报送|上报|报)(?:至|到|给)?([^,;。]*)")
            .expect("valid regex")
    });
    static RE_REPORT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:报送|上报|报)(?:至|到|给)?([^,;。]*)").expect("valid regex")
    });
    static RE_MADE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:制定|印发|编制|形成|起草|研究制定)([^,;]+)$").expect("valid regex")
    });
    let tail = without_parens(&clause[from..]);
    let recipient_of = |s: &str| -> Option<String> {
        let r = s
            .trim()
            .trim_end_matches("备案")
            .trim_end_matches("审核")
            .trim_end_matches("审批")
            .trim();
        (!r.is_empty() && chars(r) <= 30).then(|| r.to_string())
    };
    if let Some(c) = RE_TAKE.captures(&tail).or_else(|| RE_MAKE.captures(&tail)) {
        return (c[1].trim().to_string(), recipient_of(&c[2]));
    }
    let recipient = RE_REPORT.captures(&tail).and_then(|c| recipient_of(&c[1]));
    let head = without_parens(&clause[..from]);
    let name = split_outside_parens(&head, &[','])
        .iter()
        .rev()
        .find_map(|part| {
            RE_MADE_BEFORE
                .captures(part.trim())
                .map(|c| c[1].trim().to_string())
        })
        .unwrap_or_else(|| tail.trim().to_string());
    (name, recipient)
}

/// Recurring obligations in a clause: `每季度报送一次工作进展情况`, `每月5日前报送…`, and
/// months named in a year, `每年一月、七月的十日前报送…` (the months must start equal periods
/// from January: 一月 alone → yearly, 一月、七月 → half-yearly, 一、四、七、十月 → quarterly).
fn recurring(clause: &str) -> Vec<Obligation> {
    static RE_MONTHS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"每年((?:{NUM}月?[、和及]?)+?)月(?:的|份)?(?:({NUM})日)?(?:前|之前|以前)[^,;。]{{0,4}}?(?:报送|上报|报)(?:一次)?([^,;。]*)"
        ))
        .expect("valid regex")
    });
    if let Some(c) = RE_MONTHS.captures(clause) {
        let months: Option<Vec<u32>> =
            split_outside_parens(&c[1].replace('月', ""), &['、', '和', '及'])
                .iter()
                .map(|m| cn_number(m))
                .collect();
        let every = match months.as_deref() {
            Some([1]) => Some(Period::Year),
            Some([1, 7]) => Some(Period::HalfYear),
            Some([1, 4, 7, 10]) => Some(Period::Quarter),
            _ => None,
        };
        let name = without_parens(&c[3]).trim().to_string();
        if let Some(every) = every
            && !name.is_empty()
        {
            return vec![Obligation {
                name,
                recipient: None,
                due: DueRule::Recurring {
                    every,
                    day: c.get(2).and_then(|m| cn_number(m.as_str())),
                },
                due_date: None,
                source_text: c[0].to_string(),
                lines: None,
            }];
        }
    }
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"每(?:个)?(月|季度|季|半年|年度|年)(?:({NUM})日(?:前|之前|以前))?[^,;。]{{0,4}}?(?:报送|上报|报)(?:一次)?([^,;。]*)"
        ))
        .expect("valid regex")
    });
    RE.captures_iter(clause)
        .filter_map(|c| {
            let every = match &c[1] {
                "月" => Period::Month,
                "季度" | "季" => Period::Quarter,
                "半年" => Period::HalfYear,
                _ => Period::Year,
            };
            let day = c.get(2).and_then(|m| cn_number(m.as_str()));
            let name = without_parens(&c[3]).trim().to_string();
            if name.is_empty() {
                return None;
            }
            Some(Obligation {
                name,
                recipient: None,
                due: DueRule::Recurring { every, day },
                due_date: None,
                source_text: c[0].to_string(),
                lines: None,
            })
        })
        .collect()
}

/// `…方案(2024—2026年)` → `…方案`.
fn strip_trailing_paren(s: &str) -> &str {
    if s.ends_with(')')
        && let Some(open) = s.rfind('(')
    {
        return &s[..open];
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn area_titles() {
        assert_eq!(
            area_title("组织开展危险源辨识方面。重点治理:"),
            "组织开展危险源辨识方面"
        );
        assert_eq!(area_title("检查内容:"), "检查内容");
    }

    #[test]
    fn phase_heads() {
        assert_eq!(
            phase_name_window("动员部署(4月30日前)。各镇"),
            Some(("动员部署".into(), "4月30日前".into()))
        );
        assert_eq!(
            phase_name_window("(5月1日至6月30日):自查自纠。"),
            Some(("自查自纠".into(), "5月1日至6月30日".into()))
        );
        assert_eq!(
            phase_name_window("自查自纠阶段,时间为5月1日至6月30日。"),
            Some(("自查自纠阶段".into(), "5月1日至6月30日".into()))
        );
    }

    #[test]
    fn recurring_reports() {
        let r = recurring("三年行动过程中,每季度报送一次工作进展情况,每半年报送一次阶段性工作总结");
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].name, "工作进展情况");
        assert_eq!(
            r[1].due,
            DueRule::Recurring {
                every: Period::HalfYear,
                day: None
            }
        );
        let r = recurring("每月5日前报送上月工作情况");
        assert_eq!(
            r[0].due,
            DueRule::Recurring {
                every: Period::Month,
                day: Some(5)
            }
        );
        assert!(recurring("每半年至少组织一次现场处置方案演练").is_empty());
    }

    #[test]
    fn names_and_recipients() {
        let c = "并于2024年3月30日前将方案报送城区安委会办公室";
        let from = c.find('前').unwrap();
        assert_eq!(
            name_and_recipient(c, from),
            ("方案".into(), Some("城区安委会办公室".into()))
        );
        let c = "要认真研究制定本地工作方案、本系统子方案,于2024年3月15日前报市安办备案";
        let from = c.find("日前").unwrap() + "日".len();
        assert_eq!(
            name_and_recipient(c, from),
            ("本地工作方案、本系统子方案".into(), Some("市安办".into()))
        );
    }
}
