//! Check tables (检查表) saved as text. Two shapes are read, both only after a table header
//! (a `序号` column and a `检查内容`/`检查项目`/`检查事项` column) has been seen:
//!
//! - **row per number**: a line holding only the row number, then a line `| cell text`
//!   (cells separated by `|`), or both on one line `N|cell text|…` (a Word table row as
//!   [`crate::input`] reads it); rows numbered 1, 2, 3… become check items outside any area;
//! - **flattened**: the whole table run together on few lines, with `一、` sections, `1.` groups
//!   and `(1)` entries; the entries are the check items, grouped as nested areas. Cells of the
//!   check-method column (`查…`) and stray page numbers end an entry's text.

use std::sync::LazyLock;

use regex::Regex;
use safeduty_core::template::{CampaignTemplate, CheckItem, DutyArea, Lines};

use crate::import::{Doc, ln};
use crate::text::chars;

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

/// Reads check-table items into `t`, unless the plan's text already gave items.
pub(crate) fn read(doc: &mut Doc<'_>, t: &mut CampaignTemplate) {
    if !t.all_items().is_empty() {
        return;
    }
    let Some(start) = header(doc) else { return };
    let rows = row_items(doc, start);
    if !rows.is_empty() {
        t.items = rows;
        return;
    }
    t.areas = flattened(doc, start);
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
