//! Duty areas and their check items, as numbered lists in the text; the numbering check.

use std::sync::LazyLock;

use regex::Regex;
use safeduty_core::template::{CampaignTemplate, CheckItem, DutyArea, Lines, QuestionKind};

use super::{Doc, ln};
use crate::normalize::asks;
use crate::text::{Style, chars, ends_sentence, is_structural, label, outranks};

impl Doc<'_> {
    /// Duty areas: a numbered heading (any [`Style`]) that owns numbered entries of another style,
    /// inside a section about what is checked (治理内容, 检查内容, …), or whose heading introduces
    /// the list (`重点治理:`), or whose entries are mostly `是否…` questions. Other numbered lists
    /// are not areas. A heading followed directly by such areas (not a `一、` chapter) holds them
    /// as sub-areas, so `(一)` → `1.` → `(1)` and `4` → `4.3` → `4.3.1` become a tree.
    pub(super) fn areas(&mut self) -> Vec<DutyArea> {
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
            let (items, next, glued) = self.items_after(i + 1, h.style);
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
            let questions = items.iter().filter(|it| asks(&it.text)).count();
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
            for g in glued {
                self.glued_page_number(&g);
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
    fn items_after(&self, from: usize, heading: Style) -> (Vec<CheckItem>, usize, Vec<Glued>) {
        let n = self.lines.len();
        let mut items: Vec<CheckItem> = Vec::new();
        let mut glued = Vec::new();
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
                    return (Vec::new(), from, Vec::new());
                }
                break;
            }
            style = Some(e.style);
            let first = j;
            let mut number = e.number;
            // `212.` where 12 is due: a page number glued to the item's (a PDF's foot).
            if let Some(prev) = items.last().map(|it| it.number)
                && let Some(k) = unglued(&e.label, prev + 1)
                && k != number
            {
                glued.push(Glued {
                    line: j,
                    label: e.label.clone(),
                    number: k,
                });
                number = k;
            }
            let mut text = e.text.trim().to_string();
            let mut last = j;
            j += 1;
            while !ends_sentence(&text) && j < n {
                let next = self.lines[j];
                if next.is_empty() && self.noise[j] {
                    // A page marker inside the item: the text goes on after it.
                    j += 1;
                    continue;
                }
                if next.is_empty() || is_structural(next) {
                    break;
                }
                text.push_str(next);
                last = j;
                j += 1;
            }
            items.push(CheckItem {
                number,
                text,
                legal_basis: None,
                evidence_guidance: None,
                lines: Some(Lines(ln(first), ln(last))),
            });
            end_of_items = last + 1;
        }
        (items, end_of_items, glued)
    }

    /// A question for an item number read apart from the page number glued to it.
    pub(crate) fn glued_page_number(&mut self, g: &Glued) {
        let line = ln(g.line);
        let page = &g.label[..g.label.len() - g.number.to_string().len()];
        let msg = format!(
            "第{line}行的编号“{}”不接上一项,已读作第{}项(其前的“{page}”像是粘连的页码),请核对。",
            g.label, g.number
        );
        self.question(QuestionKind::Structure, line, &g.label, msg);
    }

    /// A question for each item whose number does not follow the previous one.
    pub(super) fn check_numbering(&mut self, t: &CampaignTemplate) {
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
}

/// An item number read apart from a page number glued before it.
pub(crate) struct Glued {
    /// Line index.
    pub(crate) line: usize,
    /// The label as written (`212`).
    pub(crate) label: String,
    /// The number read (`12`).
    pub(crate) number: u32,
}

/// `212` when 12 is due: the due number, when the label is a page number (1–999) glued before
/// it; `None` otherwise.
pub(crate) fn unglued(label: &str, due: u32) -> Option<u32> {
    let due_text = due.to_string();
    let page = label.strip_suffix(due_text.as_str())?;
    let page: u32 = page.parse().ok()?;
    (1..=999).contains(&page).then_some(due)
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
}
