//! Check tables (检查表) saved as text. Two shapes are read, both only after a table header
//! (a `序号` column and a `检查内容`/`检查项目`/`检查事项` column) has been seen:
//!
//! - **row per number**: a line holding only the row number, then a line `| cell text`
//!   (cells separated by `|`), or both on one line `N|cell text|…` (a Word table row as
//!   [`crate::input`] reads it); rows numbered 1, 2, 3… become check items outside any area;
//! - **flattened**: the whole table run together on few lines, with `一、` sections, `1.` groups
//!   and `(1)` entries; the entries are the check items, grouped as nested areas. Cells of the
//!   check-method column (`查…`) and stray page numbers end an entry's text.
//! - **requirement rows**: area rows (`一、组织机构保障责任方面`) each followed by numbered
//!   requirements that are statements rather than `是否…` questions, one a line or run together
//!   in few lines, as tables copied out of PDFs and document-sharing sites are. This shape is
//!   also read after a table title (`…检查表`) without a header. The requirements are the items,
//!   their text kept as it stands, with their lines. Page markers and bare page numbers are
//!   skipped; a page number glued to the next number (`212.` where 12 is due) is read apart; a
//!   document-sharing chunk marker (`2、` at a line start in a table numbered `1.`) is not an
//!   item and its text goes on; numbering may restart inside an area. Each of these doubts,
//!   an area row without requirements and a requirement holding another column's cell
//!   (`…人员。 查阅任命文件`) is a question, never a silent guess.

use std::sync::LazyLock;

use regex::Regex;
use safeduty_core::template::{CampaignTemplate, CheckItem, DutyArea, Lines};

use safeduty_core::template::QuestionKind;

use crate::import::checklist::unglued;
use crate::import::{Doc, ln};
use crate::text::{chars, ends_sentence, inside, quoted_ranges};

static RE_CONTENT_COLUMN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"检查(内容|项目|事项)").expect("valid regex"));

/// Index of the first line after which a check-table header has been seen, if any.
fn header(doc: &Doc<'_>) -> Option<usize> {
    let serial = doc.lines.iter().position(|l| l.contains("序号"))?;
    let content = doc
        .lines
        .iter()
        .enumerate()
        .skip(serial.saturating_sub(3))
        .find(|(_, l)| RE_CONTENT_COLUMN.is_match(l))
        .map(|(i, _)| i)?;
    Some(serial.min(content))
}

/// Index of a table title (`…检查表`, `…自查清单`) among the first lines, if any.
fn title(doc: &Doc<'_>) -> Option<usize> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(检查表|检查清单|自查表|自查清单|排查表|排查清单|检查标准|评分表)(\(.{1,12}\))?$",
        )
        .expect("valid regex")
    });
    doc.lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .take(15)
        .find(|(_, l)| chars(l) <= 50 && RE.is_match(l))
        .map(|(i, _)| i)
}

/// Reads check-table items into `t`, unless the plan's text already gave items.
pub(crate) fn read(doc: &mut Doc<'_>, t: &mut CampaignTemplate) {
    if !t.all_items().is_empty() {
        return;
    }
    let head = header(doc);
    if let Some(start) = head {
        let rows = row_items(doc, start);
        if !rows.is_empty() {
            t.items = rows;
            return;
        }
        t.areas = flattened(doc, start);
        if !t.areas.is_empty() {
            return;
        }
    }
    let Some(start) = head.or_else(|| title(doc)) else {
        return;
    };
    let (areas, items) = requirements(doc, start);
    t.areas = areas;
    t.items = items;
}

/// Rows `N` / `| text` (or `N|text` on one line), numbered 1, 2, 3… without gaps.
fn row_items(doc: &mut Doc<'_>, start: usize) -> Vec<CheckItem> {
    let mut items: Vec<CheckItem> = Vec::new();
    let n = doc.lines.len();
    let mut i = start;
    while i < n {
        let l = doc.lines[i];
        // `N|text|…` — a table row on one line, as a Word table is read (crate::input::docx).
        let (head, inline) = match l.split_once('|') {
            Some((h, rest)) => (h.trim(), Some(rest)),
            None => (l, None),
        };
        let is_number =
            !head.is_empty() && head.len() <= 3 && head.bytes().all(|b| b.is_ascii_digit());
        if !is_number {
            i += 1;
            continue;
        }
        let number: u32 = head.parse().unwrap_or(0);
        let expected = items.last().map_or(1, |it| it.number + 1);
        if number != expected {
            if items.is_empty() {
                i += 1;
                continue;
            }
            break;
        }
        let (j, cell) = match inline {
            Some(rest) => (i, rest),
            None => {
                let Some(j) = (i + 1..n).find(|&j| !doc.lines[j].is_empty()) else {
                    break;
                };
                let Some(cell) = doc.lines[j].strip_prefix('|') else {
                    break;
                };
                (j, cell)
            }
        };
        let text = cell.split('|').next().unwrap_or("").trim();
        if chars(text) < 2 {
            break;
        }
        items.push(CheckItem {
            number,
            text: text.to_string(),
            legal_basis: None,
            evidence_guidance: None,
            lines: Some(Lines(ln(i), ln(j))),
        });
        for k in i..=j {
            doc.consumed[k] = true;
        }
        i = j + 1;
    }
    items
}

#[derive(Debug)]
enum Token<'a> {
    Section(&'a str, &'a str),
    Group(u32, &'a str),
    Entry(u32),
    Word(&'a str),
    Stop,
}

static RE_SECTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([一二三四五六七八九十]+)、(.+)$").expect("valid regex"));
static RE_GROUP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})\.(\D.*)$").expect("valid regex"));
static RE_ENTRY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\((\d{1,2})\)$").expect("valid regex"));

fn token(word: &str) -> Token<'_> {
    if let Some(c) = RE_ENTRY.captures(word) {
        return Token::Entry(c[1].parse().unwrap_or(0));
    }
    if let Some(c) = RE_GROUP.captures(word) {
        let (Some(n), Some(rest)) = (c.get(1), c.get(2)) else {
            return Token::Word(word);
        };
        return Token::Group(n.as_str().parse().unwrap_or(0), rest.as_str());
    }
    if let Some(c) = RE_SECTION.captures(word) {
        let (Some(l), Some(rest)) = (c.get(1), c.get(2)) else {
            return Token::Word(word);
        };
        return Token::Section(l.as_str(), rest.as_str());
    }
    if word.starts_with('查') || word.bytes().all(|b| b.is_ascii_digit()) {
        return Token::Stop;
    }
    Token::Word(word)
}

/// The flattened shape: sections → groups → `(n)` entries.
fn flattened(doc: &mut Doc<'_>, start: usize) -> Vec<DutyArea> {
    let mut sections: Vec<DutyArea> = Vec::new();
    let mut open_entry = false;
    let mut touched: Vec<usize> = Vec::new();
    for i in start..doc.lines.len() {
        for word in doc.lines[i].split_whitespace() {
            let line = ln(i);
            match token(word) {
                Token::Section(label, title) => {
                    open_entry = false;
                    sections.push(area(label, title, line));
                    touched.push(i);
                }
                Token::Group(n, title) => {
                    open_entry = false;
                    let Some(section) = sections.last_mut() else {
                        continue;
                    };
                    let expected = section.areas.last().map_or(1, |g| group_number(g) + 1);
                    if n != expected {
                        continue;
                    }
                    section.areas.push(area(&n.to_string(), title, line));
                    touched.push(i);
                }
                Token::Entry(n) => {
                    open_entry = false;
                    let Some(group) = sections.last_mut().and_then(|s| s.areas.last_mut()) else {
                        continue;
                    };
                    let expected = group.items.last().map_or(1, |it| it.number + 1);
                    if n != expected {
                        continue;
                    }
                    group.items.push(CheckItem {
                        number: n,
                        text: String::new(),
                        legal_basis: None,
                        evidence_guidance: None,
                        lines: Some(Lines::one(line)),
                    });
                    open_entry = true;
                    touched.push(i);
                }
                Token::Word(w) => {
                    if !open_entry {
                        continue;
                    }
                    if let Some(item) = sections
                        .last_mut()
                        .and_then(|s| s.areas.last_mut())
                        .and_then(|g| g.items.last_mut())
                    {
                        item.text.push_str(w);
                        if let Some(l) = item.lines.as_mut() {
                            l.1 = line;
                        }
                    }
                }
                Token::Stop => open_entry = false,
            }
        }
        open_entry = false;
    }
    // Keep only what owns entries; drop entries left without text.
    for s in &mut sections {
        for g in &mut s.areas {
            g.items.retain(|it| !it.text.is_empty());
        }
        s.areas.retain(|g| !g.items.is_empty());
    }
    sections.retain(|s| !s.areas.is_empty());
    if !sections.is_empty() {
        for i in touched {
            doc.consumed[i] = true;
        }
    }
    sections
}

fn group_number(g: &DutyArea) -> u32 {
    g.label.parse().unwrap_or(0)
}

fn area(label: &str, title: &str, line: u32) -> DutyArea {
    DutyArea {
        label: label.to_string(),
        title: title.trim().to_string(),
        items: Vec::new(),
        areas: Vec::new(),
        lines: Some(Lines::one(line)),
    }
}

/// A requirement being read.
struct Entry {
    number: u32,
    text: String,
    first: usize,
    last: usize,
}

/// How the requirements of a table are numbered: `1.`, `1、` or `(1)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Delim {
    Dot,
    Comma,
    Paren,
}

/// Methods of the check-method column, which a copied table may run into a requirement.
const METHODS: [&str; 8] = [
    "查阅",
    "查看",
    "查验",
    "现场检查",
    "现场查看",
    "抽查",
    "询问",
    "核查",
];

/// Whether the character before a marker lets it start an entry: the line start, a space, a
/// sentence end, a cell bar or a closing mark; `han` also a Chinese character (cells run
/// together without spaces).
fn boundary(before: Option<char>, han: bool) -> bool {
    match before {
        None => true,
        Some(b) => {
            b.is_whitespace()
                || matches!(
                    b,
                    '。' | ';' | ':' | '!' | '?' | '|' | ')' | '”' | '、' | ','
                )
                || (han && crate::normalize::is_han(b))
        }
    }
}

/// The requirement-rows shape (see the module docs): area rows `一、…` owning numbered
/// requirements, one a line or run together. Nothing is taken unless two requirements are found.
fn requirements(doc: &mut Doc<'_>, start: usize) -> (Vec<DutyArea>, Vec<CheckItem>) {
    static RE_MARK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"([一二三四五六七八九十]{1,3})、|\((\d{1,3})\)|(\d{1,3})([.、])")
            .expect("valid regex")
    });
    static RE_FORM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(检查人|检查人员|被检查单位|受检单位|检查日期|负责人|签字|备注|说明)")
            .expect("valid regex")
    });
    let n = doc.lines.len();
    let mut sections: Vec<DutyArea> = Vec::new();
    let mut loose: Vec<CheckItem> = Vec::new();
    let mut open: Option<Entry> = None;
    let mut delim: Option<Delim> = None;
    let mut doubts: Vec<(usize, String, String)> = Vec::new();
    let mut touched: Vec<usize> = Vec::new();

    fn close(open: &mut Option<Entry>, sections: &mut [DutyArea], loose: &mut Vec<CheckItem>) {
        let Some(e) = open.take() else { return };
        let text = e.text.trim().to_string();
        if text.is_empty() {
            return;
        }
        let item = CheckItem {
            number: e.number,
            text,
            legal_basis: None,
            evidence_guidance: None,
            lines: Some(Lines(ln(e.first), ln(e.last))),
        };
        match sections.last_mut() {
            Some(s) => s.items.push(item),
            None => loose.push(item),
        }
    }

    for i in start..n {
        let l = doc.lines[i];
        if l.is_empty() {
            continue;
        }
        // The header, or a header repeated on each page: its words are no requirement's (a
        // document-sharing site may run the first rows onto it).
        let header_line = (l.contains("序号") && RE_CONTENT_COLUMN.is_match(l)) || i == start;
        if l.bytes().all(|b| b.is_ascii_digit() || b == b' ') {
            // A bare page number.
            continue;
        }
        if RE_FORM.is_match(l) && !sections.is_empty() {
            close(&mut open, &mut sections, &mut loose);
            break;
        }
        let mut from = 0;
        // A chunk marker of a document-sharing site: `2、` at a line start that is not this
        // table's numbering.
        if let Some(c) = RE_MARK.captures(l)
            && let (Some(num), Some(d)) = (c.get(3), c.get(4))
            && num.start() == 0
            && d.as_str() == "、"
        {
            let number: u32 = num.as_str().parse().unwrap_or(0);
            let due = open
                .as_ref()
                .map(|e| e.number + 1)
                .or_else(|| {
                    sections
                        .last()
                        .and_then(|s| s.items.last())
                        .map(|it| it.number + 1)
                })
                .unwrap_or(1);
            let chunk = match delim {
                Some(Delim::Comma) => number != due && number != 1,
                Some(_) => true,
                None => false,
            };
            if chunk {
                if number == due {
                    doubts.push((
                        i,
                        format!("{number}、"),
                        format!(
                            "第{}行开头的“{number}、”按文库分段标记处理(本表事项不用“、”编号),若它是第{number}项,请更正。",
                            ln(i)
                        ),
                    ));
                }
                from = c.get(0).map_or(0, |m| m.end());
            }
        }
        let quoted = quoted_ranges(l);
        let mut cursor = from;
        let mut line_start = true;
        let mut after_section = false;
        for c in RE_MARK.captures_iter(&l[from..]) {
            let Some(whole) = c.get(0) else { continue };
            let at = from + whole.start();
            let end = from + whole.end();
            if at < cursor || inside(&quoted, at) {
                continue;
            }
            let before = l[..at].chars().next_back();
            let at_start = l[from..at].trim().is_empty();
            let next_is_digit = l[end..].starts_with(|c: char| c.is_ascii_digit());
            if let Some(cn) = c.get(1) {
                // An area row.
                let Some(number) = crate::dates::cn_number(cn.as_str()) else {
                    continue;
                };
                let due = sections.len() as u32 + 1;
                if !(boundary(before, false) || at_start) || number != due {
                    continue;
                }
                if !(header_line && line_start) {
                    push_text(&mut open, &l[cursor..at], i);
                }
                close(&mut open, &mut sections, &mut loose);
                sections.push(area(cn.as_str(), "", ln(i)));
                cursor = end;
                after_section = true;
                line_start = false;
                touched.push(i);
                continue;
            }
            let (digits, kind) = match (c.get(2), c.get(3), c.get(4)) {
                (Some(p), _, _) => (p.as_str(), Delim::Paren),
                (_, Some(nm), Some(d)) if d.as_str() == "." => (nm.as_str(), Delim::Dot),
                (_, Some(nm), _) => (nm.as_str(), Delim::Comma),
                _ => continue,
            };
            if next_is_digit || delim.is_some_and(|d| d != kind) {
                continue;
            }
            let Ok(number) = digits.parse::<u32>() else {
                continue;
            };
            let due = open.as_ref().map_or_else(
                || {
                    sections
                        .last()
                        .map(|s| s.items.last().map_or(1, |it| it.number + 1))
                        .unwrap_or_else(|| loose.last().map_or(1, |it| it.number + 1))
                },
                |e| e.number + 1,
            );
            let starts_line = at_start && line_start;
            let (number, glued) = if number == due && (starts_line || boundary(before, true)) {
                (number, false)
            } else if number == 1 && (starts_line || after_section || boundary(before, false)) {
                (1, false)
            } else if starts_line && let Some(k) = unglued(digits, due) {
                (k, true)
            } else {
                continue;
            };
            // The section title ends where its first requirement starts.
            if after_section && open.is_none() {
                if let Some(s) = sections.last_mut() {
                    s.title = l[cursor..at].trim().to_string();
                }
            } else if !(header_line && line_start) {
                push_text(&mut open, &l[cursor..at], i);
            }
            close(&mut open, &mut sections, &mut loose);
            if glued {
                doubts.push((
                    i,
                    digits.to_string(),
                    format!(
                        "第{}行的编号“{digits}”不接上一项,已读作第{number}项(其前的“{}”像是粘连的页码),请核对。",
                        ln(i),
                        &digits[..digits.len() - number.to_string().len()]
                    ),
                ));
            }
            delim = Some(kind);
            open = Some(Entry {
                number,
                text: String::new(),
                first: i,
                last: i,
            });
            cursor = end;
            after_section = false;
            line_start = false;
            touched.push(i);
        }
        // The rest of the line: the open requirement's text, or the area row's title.
        let rest = &l[cursor..];
        if after_section && open.is_none() {
            if let Some(s) = sections.last_mut() {
                s.title = rest.trim().to_string();
            }
        } else if header_line && line_start {
            // A header alone.
        } else if push_text(&mut open, rest, i) {
            touched.push(i);
        }
    }
    close(&mut open, &mut sections, &mut loose);
    let count = loose.len() + sections.iter().map(|s| s.items.len()).sum::<usize>();
    if count < 2 {
        return (Vec::new(), Vec::new());
    }
    for s in &sections {
        if s.items.is_empty() {
            let line = s.lines.map_or(0, |l| l.0);
            let msg = format!(
                "第{line}行的“{}、{}”下没有找到检查要求,请核对原表是否漏行。",
                s.label, s.title
            );
            doc.question(QuestionKind::Structure, line, &s.title, msg);
        }
    }
    let all: Vec<&CheckItem> = loose
        .iter()
        .chain(sections.iter().flat_map(|s| s.items.iter()))
        .collect();
    for it in all {
        if let Some(cell) = method_cell(&it.text) {
            let line = it.lines.map_or(0, |l| l.0);
            let msg = format!(
                "第{line}行第{}项的文字中夹有像是“检查方式”栏的内容“{cell}”,已按原样保留,请对照原表核对。",
                it.number
            );
            doc.question(QuestionKind::Structure, line, cell, msg);
        }
    }
    for (i, excerpt, msg) in doubts {
        doc.question(QuestionKind::Structure, ln(i), &excerpt, msg);
    }
    for i in touched {
        doc.consumed[i] = true;
    }
    (sections, loose)
}

/// A cell of the check-method column run into a requirement's text: a method word (`查阅…`)
/// after a space or a sentence end, up to the next space.
fn method_cell(text: &str) -> Option<&str> {
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        let after_break = prev.is_some_and(|p| p.is_whitespace() || matches!(p, '。' | ';'));
        if after_break && METHODS.iter().any(|m| text[i..].starts_with(m)) {
            let end = text[i..]
                .find(char::is_whitespace)
                .map_or(text.len(), |e| i + e);
            return Some(&text[i..end]);
        }
        prev = Some(c);
    }
    None
}

/// Appends `piece` (trimmed) to the open requirement's text; whether anything was appended.
/// A line that goes on after a finished sentence is kept apart by a space (it may be another
/// column's cell); a wrapped sentence is joined as one.
fn push_text(open: &mut Option<Entry>, piece: &str, line: usize) -> bool {
    let piece = piece.trim();
    match open.as_mut() {
        Some(e) if !piece.is_empty() => {
            if ends_sentence(&e.text) {
                e.text.push(' ');
            }
            e.text.push_str(piece);
            e.last = line;
            true
        }
        _ => false,
    }
}
