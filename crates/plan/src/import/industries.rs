//! The target industries: the list a count word closes (`A、B、…、H八大行业`).

use std::sync::LazyLock;

use regex::Regex;
use safeduty_core::template::QuestionKind;

use super::{Doc, ln};
use crate::dates::{NUM, cn_number};
use crate::text::{chars, split_outside_parens};

impl Doc<'_> {
    /// `A、B、…、H八大行业`: the list of industries a count word closes.
    pub(super) fn target_industries(&mut self) -> Vec<String> {
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
}
