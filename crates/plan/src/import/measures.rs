//! The measures of an `“八个一”措施,即A、B、…` list.

use std::sync::LazyLock;

use regex::Regex;
use safeduty_core::template::{Lines, Measure, QuestionKind};

use super::{Doc, ln};
use crate::dates::{NUM, cn_number};
use crate::text::{chars, split_outside_parens};

impl Doc<'_> {
    /// The measures of an `“八个一”措施,即A、B、…` list: each names one action done once
    /// (`召开一次…`, `签订一份…`, `曝光一批…`).
    pub(super) fn measures(&mut self) -> Vec<Measure> {
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
}
