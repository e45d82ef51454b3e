//! The campaign phases (`第一阶段:动员部署(4月30日前)`) and their date windows, one a line or
//! several run together in one paragraph (`(一)安排部署阶段(6月底前)…(二)企业自查阶段(7月)…`).

use std::sync::LazyLock;

use chrono::{Datelike, Days, NaiveDate};
use regex::Regex;
use safeduty_core::template::{Lines, Phase, PlanInfo, QuestionKind};

use super::window::WindowFound;
use super::{Doc, ln};
use crate::dates::{
    NUM, cn_number, has_placeholder, mentions, names_a_time, parse_window, year_part,
};
use crate::text::{chars, inside, quoted_ranges};

/// A phase head found in the text, before its window is read.
struct Candidate {
    ordinal: u32,
    name: String,
    window_text: String,
    /// Line index.
    line: usize,
    /// The head must name a `…阶段` with a readable window (`(一)…` / `1.…` heads and heads
    /// inside a paragraph); `第一阶段:…` heads stand without one.
    strict: bool,
}

impl Doc<'_> {
    /// Phases: `第一阶段:动员部署(4月30日前)`, or `(一)动员部署阶段(…)` / `1.动员部署阶段(…)`
    /// with a date window, at the start of a line or run together in a paragraph. The year of a
    /// window that writes none is the plan's; without a signed date, the first year a phase
    /// window writes, else the campaign window's, else the publication date's, each with a
    /// question.
    pub(super) fn phases(&mut self, plan: &PlanInfo, window: &WindowFound) -> Vec<Phase> {
        let from_now_in_doc = self.lines.iter().any(|l| l.contains("即日起"));
        let mut candidates: Vec<Candidate> = Vec::new();
        for i in 0..self.lines.len() {
            if self.consumed[i] {
                continue;
            }
            self.phase_heads(i, &mut candidates);
        }
        // The campaign year: the issue date's, else the first year a phase window writes, else
        // the campaign window's, the title's or the publication date's.
        let mut year = plan.year();
        if year.is_none() && !candidates.is_empty() {
            let written = candidates.iter().find_map(|c| {
                mentions(&c.window_text)
                    .iter()
                    .find_map(|m| m.year)
                    .map(|y| (ln(c.line), y, "阶段时间"))
            });
            let from_window = window.year.map(|(line, y)| (line, y, "专项治理时间"));
            let from_title = title_year(&plan.title).map(|y| (0, y, "标题"));
            let published = plan.published.map(|d| {
                (
                    self.published_line().map_or(0, ln),
                    d.year(),
                    "网页发布日期",
                )
            });
            let guess = written.or(from_window).or(from_title).or(published);
            if let Some((line, y, from)) = guess {
                year = Some(y);
                let msg = match from {
                    "阶段时间" => {
                        format!("未识别出文件日期,阶段日期的年份按第{line}行推定为{y}年,请确认。")
                    }
                    "标题" => {
                        format!("未识别出文件日期,阶段日期的年份按方案标题推定为{y}年,请确认。")
                    }
                    _ => format!(
                        "未识别出文件日期,阶段日期的年份按第{line}行的{from}推定为{y}年,请确认。"
                    ),
                };
                // A title has no one line: the question goes to the first phase's.
                let line = if line == 0 {
                    candidates.first().map_or(1, |c| ln(c.line))
                } else {
                    line
                };
                self.question(QuestionKind::Date, line, &y.to_string(), msg);
            }
        }
        self.year = year;
        let mut phases: Vec<(Phase, bool, bool)> = Vec::new();
        for c in candidates {
            let w = parse_window(&c.window_text, year);
            if c.strict && !w.is_some() {
                continue;
            }
            let mut p = Phase {
                ordinal: c.ordinal,
                name: c.name,
                start: w.start,
                end: w.end,
                window_text: c.window_text,
                lines: Some(Lines::one(ln(c.line))),
            };
            self.next_year(&mut p, plan.issue_date);
            phases.push((p, w.from_now, w.needs_year));
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
                && k == 0
                && p.end.is_some()
                && let Some(start) = window.start.filter(|s| p.end.is_some_and(|e| *s <= e))
            {
                p.start = Some(start);
                let msg = format!(
                    "第{line}行“{}”阶段未写开始日期,已按专项治理的开始日期推定为{start},请确认。",
                    p.name
                );
                self.question(QuestionKind::Date, line, &p.window_text, msg);
            } else if p.start.is_none()
                && let Some(end) = p.end
                && let Some(prev_end) = out.last().and_then(|q| q.end)
                && prev_end < end
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

    /// The phase heads of line `i`: one at its start (`第一阶段:…`, `(一)…阶段(…)`,
    /// `1.…阶段(…)`), and any run together after it in the same paragraph.
    fn phase_heads(&self, i: usize, out: &mut Vec<Candidate>) {
        static RE_ORD: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(&format!(r"^第({NUM})阶段\s*[:]?\s*(.*)$")).expect("valid regex")
        });
        static RE_ALT: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"^(?:\(([一二三四五六七八九十]+)\)|(\d{1,2})[.、])\s*(.*)$")
                .expect("valid regex")
        });
        // A head inside a paragraph: `(二)`, `第二阶段`, or `2.` after a sentence end.
        static RE_INLINE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(&format!(
                r"\(([一二三四五六七八九十]+)\)|第({NUM})阶段|[。;\s](\d{{1,2}})[.、]"
            ))
            .expect("valid regex")
        });
        let l = self.lines[i];
        let quoted = quoted_ranges(l);
        // (ordinal, byte offset of the text after the head, offset of the head, 第N阶段 form)
        let mut heads: Vec<(u32, usize, usize, bool)> = Vec::new();
        if let Some(c) = RE_ORD.captures(l) {
            if let (Some(o), Some(rest)) = (cn_number(&c[1]), c.get(2)) {
                heads.push((o, rest.start(), 0, true));
            }
        } else if let Some(c) = RE_ALT.captures(l) {
            let o = c
                .get(1)
                .or(c.get(2))
                .and_then(|m| cn_number(m.as_str()))
                .unwrap_or(0);
            if let Some(rest) = c.get(3) {
                heads.push((o, rest.start(), 0, false));
            }
        }
        let first_end = heads.first().map_or(0, |h| h.1);
        for c in RE_INLINE.captures_iter(l) {
            let Some(whole) = c.get(0) else { continue };
            let start = c.get(3).map_or(whole.start(), |m| m.start());
            if start < first_end.max(1) || inside(&quoted, start) {
                continue;
            }
            let (ordinal, ord_form) = if let Some(m) = c.get(1) {
                (cn_number(m.as_str()), false)
            } else if let Some(m) = c.get(2) {
                (cn_number(m.as_str()), true)
            } else {
                (c.get(3).and_then(|m| cn_number(m.as_str())), false)
            };
            let Some(ordinal) = ordinal else { continue };
            if l[whole.end()..].starts_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
            heads.push((ordinal, whole.end(), start, ord_form));
        }
        for (k, &(ordinal, from, at, ord_form)) in heads.iter().enumerate() {
            let to = heads.get(k + 1).map_or(l.len(), |h| h.2);
            let inline = at > 0;
            let Some(rest) = l.get(from..to.max(from)) else {
                continue;
            };
            let Some((name, window_text)) = phase_name_window(rest) else {
                continue;
            };
            let strict = !ord_form || inline;
            if !ord_form && !name.ends_with("阶段") {
                continue;
            }
            if inline && (window_text.is_empty() || !names_a_time(&window_text)) {
                continue;
            }
            // A template not filled in (`(X月X日前)`) has no phases.
            if has_placeholder(&window_text) || has_placeholder(&name) {
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
            out.push(Candidate {
                ordinal,
                name,
                window_text,
                line: i,
                strict,
            });
        }
    }

    /// A window written without a year that would end before the plan was signed lies in the
    /// next year (a plan signed in December for `1~3月`): moved there, and the reviewer asked.
    fn next_year(&mut self, p: &mut Phase, issued: Option<NaiveDate>) {
        let (Some(issued), Some(end)) = (issued, p.end) else {
            return;
        };
        let written_year = mentions(&p.window_text).iter().any(|m| m.year.is_some())
            || year_part(&p.window_text).is_some_and(|y| y.year.is_some());
        if end >= issued || written_year {
            return;
        }
        let shift = |d: NaiveDate| d.with_year(d.year() + 1);
        let (Some(new_end), start) = (shift(end), p.start.map(shift)) else {
            return;
        };
        if new_end < issued {
            return;
        }
        p.end = Some(new_end);
        if let Some(s) = start {
            p.start = s;
        }
        let line = p.lines.map_or(0, |l| l.0);
        let msg = format!(
            "第{line}行“{}”阶段的时间“{}”未写年份,若按成文日期的年份则在成文之前结束,已推定为下一年(至{new_end}),请确认。",
            p.name, p.window_text
        );
        self.question(QuestionKind::Date, line, &p.window_text, msg);
    }
}

/// The year a title names (`2025年燃气安全专项整治工作方案`, `关于开展2025年度…`), if any.
fn title_year(title: &str) -> Option<i32> {
    static RE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(\d{4})年(?:度)?").expect("valid regex"));
    let c = RE.captures(title)?;
    let y: i32 = c[1].parse().ok()?;
    (1990..=2200).contains(&y).then_some(y)
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
        && names_a_time(&window)
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
        assert_eq!(
            phase_name_window("督导检查阶段(下半年)。"),
            Some(("督导检查阶段".into(), "下半年".into()))
        );
    }
}
