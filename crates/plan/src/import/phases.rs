//! The campaign phases (`第一阶段:动员部署(4月30日前)`) and their date windows.

use std::sync::LazyLock;

use chrono::Days;
use regex::Regex;
use safeduty_core::template::{Lines, Phase, PlanInfo, QuestionKind};

use super::{Doc, ln};
use crate::dates::{NUM, cn_number, mentions, parse_window};
use crate::text::chars;

impl Doc<'_> {
    /// Phases: `第一阶段:动员部署(4月30日前)`, or `(一)动员部署阶段(…)` / `1.动员部署阶段(…)`
    /// with a date window.
    pub(super) fn phases(&mut self, plan: &PlanInfo) -> Vec<Phase> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
