//! The campaign window: what the plan says of the whole campaign's time, usually in its opening
//! sentences — `自即日起到2020年5月底`, `从即日起到12月底`, `将于2025年6月底前`, `为期半年`,
//! `(2024—2026年)` — apart from the phases.

use std::sync::LazyLock;

use chrono::{Datelike, Days, Months, NaiveDate};
use regex::Regex;
use safeduty_core::template::{CampaignWindow, Lines, Phase, PlanInfo, QuestionKind};

use super::{Doc, ln};
use crate::dates::{Mention, NUM, YearPart, cn_number, has_placeholder, mentions, year_part};
use crate::text::{RE_TOP, chars, label, quoted_ranges, split_outside_parens};

/// What [`Doc::campaign_window`] found: the window, and what the phases may borrow from it.
#[derive(Debug, Default)]
pub(crate) struct WindowFound {
    /// The window, when the plan states one.
    pub(crate) window: Option<CampaignWindow>,
    /// The first year the statement writes, with its line: the campaign's year when the plan
    /// carries no signed date.
    pub(crate) year: Option<(u32, i32)>,
    /// The window's first day, when known.
    pub(crate) start: Option<NaiveDate>,
}

/// How a statement gives the start.
#[derive(Debug, Clone, Copy)]
enum Start {
    /// `即日起`: the issue date.
    FromNow,
    /// `自2025年3月起`.
    At(Mention),
    /// `(2024—2026年)`: January 1 of that year.
    January(i32),
    /// Not written (`将于2025年6月底前`, `为期半年`).
    Unwritten,
}

/// How a statement gives the end.
#[derive(Debug, Clone, Copy)]
enum End {
    /// `到12月底`, `至2020年5月底`.
    At(Mention),
    /// `直至年底`, `至2025年底`.
    YearClose(Option<i32>),
    /// `为期三个月`, `为期半年`.
    Months(u32),
    /// `为期100天`.
    Days(u32),
    /// `(2024—2026年)`: December 31 of that year.
    SpanClose(i32),
}

/// One statement of the campaign's time, as found.
#[derive(Debug, Clone)]
struct Statement {
    start: Start,
    end: End,
    /// The words as written.
    text: String,
    /// Line index.
    line: usize,
}

impl Statement {
    fn written_year(&self) -> Option<i32> {
        let from_start = match self.start {
            Start::At(m) => m.year,
            Start::January(y) => Some(y),
            _ => None,
        };
        from_start.or(match self.end {
            End::At(m) => m.year,
            End::YearClose(y) => y,
            End::SpanClose(y) => Some(y),
            _ => None,
        })
    }
}

/// `12月底`, `2020年5月31日`, `年底`, `2025年底` as an end.
const END: &str = r"(?:[0-9〇零○一二三四五六七八九十两]+年)?(?:[0-9〇零○一二三四五六七八九十两]+月(?:[0-9〇零○一二三四五六七八九十两]+[日号]|底|末|上旬|中旬|下旬)?|年底|年末|底)";

/// `即日起…至12月底`.
static RE_FROM_NOW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:自|从)?即日起(?:开始)?[,、]?\s*(?:至|到|直至|直到|持续到|持续至|截至|截止到|截止至)\s*({END})(?:结束|止)?"
    ))
    .expect("valid regex")
});
/// `自2025年3月1日起至6月30日`.
static RE_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:自|从)\s*((?:{NUM}年)?{NUM}月(?:{NUM}[日号]|初|上旬|中旬|下旬)?)\s*(?:起|开始)?[,、]?\s*(?:至|到|直至|—|-|~)\s*({END})(?:结束|止)?"
    ))
    .expect("valid regex")
});
/// `为期半年`, `为期三个月`, `为期100天`.
static RE_DURATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"为期\s*(?:({NUM})\s*个?\s*(年|月|天|日|周|星期|季度)|(半年|半个月))"
    ))
    .expect("valid regex")
});
/// `将于2025年6月底前(完成)`.
static RE_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(将|拟|计划)?于\s*({END})\s*(?:前|以前|之前)\s*((?:全面|基本)?(?:完成|结束))?"
    ))
    .expect("valid regex")
});
/// `(2024—2026年)`.
static RE_YEARS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\(\s*(\d{4})\s*年?\s*[—–\-~至到]{1,2}\s*(\d{4})\s*年?\s*\)").expect("valid regex")
});
/// `自2025年3月起` / `从即日起` before a duration.
static RE_FROM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:自|从)\s*(即日|(?:{NUM}年)?{NUM}月(?:{NUM}[日号]|初)?)\s*(?:起|开始)"
    ))
    .expect("valid regex")
});

/// Words that tie a clause to the campaign.
fn about_the_campaign(clause: &str) -> bool {
    [
        "专项", "治理", "整治", "行动", "活动", "排查", "攻坚", "工作",
    ]
    .iter()
    .any(|w| clause.contains(w))
}

fn one_mention(s: &str) -> Option<Mention> {
    mentions(s).into_iter().next()
}

fn end_of(s: &str) -> Option<End> {
    if let Some(m) = one_mention(s) {
        return Some(End::At(m));
    }
    let year = s
        .split_once('年')
        .and_then(|(y, _)| cn_number(y))
        .and_then(|y| i32::try_from(y).ok());
    match year_part(s) {
        Some(p) if p.part == YearPart::YearEnd => Some(End::YearClose(p.year.or(year))),
        _ if s.ends_with('底') || s.ends_with('末') => Some(End::YearClose(year)),
        _ => None,
    }
}

/// Whether byte `pos` of `s` is inside parentheses.
fn in_parens(s: &str, pos: usize) -> bool {
    let mut depth: i32 = 0;
    for (i, c) in s.char_indices() {
        if i >= pos {
            break;
        }
        match c {
            '(' => depth += 1,
            ')' => depth = (depth - 1).max(0),
            _ => {}
        }
    }
    depth > 0
}

/// The statements of one clause (`opening`: the clause is in the opening sentences, where
/// every form is read; elsewhere only `即日起…` and `为期…` are).
fn statements(clause: &str, line: usize, opening: bool) -> Vec<Statement> {
    let mut out = Vec::new();
    if has_placeholder(clause) {
        return out;
    }
    // A span in a quoted title counts when that title is the document issued
    // (`关于印发《…(2024—2026年)》的通知`, `现将《…》印发`), not another one cited (`根据《…》`).
    let quoted = quoted_ranges(clause);
    let issued = |at: usize| {
        let k = quoted.partition_point(|r| r.1 <= at);
        match quoted.get(k).filter(|r| r.0 < at) {
            None => true,
            Some(&(open, close)) => {
                let before = &clause[..open];
                before.ends_with("印发")
                    || before.ends_with("现将")
                    || clause[close..].starts_with("印发")
            }
        }
    };
    if opening
        && let Some(c) = RE_YEARS
            .captures_iter(clause)
            .find(|c| c.get(0).is_some_and(|m| issued(m.start())))
    {
        let y = |k: usize| c[k].parse::<i32>().ok();
        if let (Some(a), Some(b)) = (y(1), y(2))
            && a <= b
            && b - a <= 10
        {
            out.push(Statement {
                start: Start::January(a),
                end: End::SpanClose(b),
                text: format!("{a}—{b}年"),
                line,
            });
        }
    }
    if !about_the_campaign(clause) {
        return out;
    }
    // Not a phase's window (`(一)…阶段(即日起至6月底)`, `…阶段,即日起至…`).
    let usable = |start: usize| !in_parens(clause, start) && !clause[..start].contains("阶段");
    if let Some(c) = RE_FROM_NOW.captures(clause)
        && let Some(whole) = c.get(0)
        && usable(whole.start())
        && let Some(end) = end_of(&c[1])
    {
        out.push(Statement {
            start: Start::FromNow,
            end,
            text: whole.as_str().to_string(),
            line,
        });
    }
    if opening
        && let Some(c) = RE_RANGE.captures(clause)
        && let Some(whole) = c.get(0)
        && usable(whole.start())
        && let (Some(m), Some(end)) = (one_mention(&c[1]), end_of(&c[2]))
    {
        out.push(Statement {
            start: Start::At(m),
            end,
            text: whole.as_str().to_string(),
            line,
        });
    }
    if let Some(c) = RE_DURATION.captures(clause)
        && let Some(whole) = c.get(0)
        && usable(whole.start())
    {
        let end = match (
            c.get(1).and_then(|m| cn_number(m.as_str())),
            c.get(2),
            c.get(3),
        ) {
            (Some(n), Some(u), _) => match u.as_str() {
                "年" => End::Months(n * 12),
                "月" => End::Months(n),
                "季度" => End::Months(n * 3),
                "周" | "星期" => End::Days(n * 7),
                _ => End::Days(n),
            },
            (_, _, Some(h)) if h.as_str() == "半年" => End::Months(6),
            _ => End::Days(15),
        };
        let head = &clause[..whole.start()];
        let from = RE_FROM.captures_iter(head).last();
        let (start, text_from) = match from {
            Some(f) if &f[1] == "即日" => (Start::FromNow, f.get(0).map_or(0, |m| m.start())),
            Some(f) => match one_mention(&f[1]) {
                Some(m) => (Start::At(m), f.get(0).map_or(0, |m| m.start())),
                None => (Start::Unwritten, whole.start()),
            },
            None => (Start::Unwritten, whole.start()),
        };
        // `自2025年3月起开展为期半年的…`: the start and the duration, as one text.
        let text = if chars(&clause[text_from..whole.end()]) <= 40 {
            &clause[text_from..whole.end()]
        } else {
            whole.as_str()
        };
        if out.is_empty() || opening {
            out.push(Statement {
                start,
                end,
                text: text.to_string(),
                line,
            });
        }
    }
    if opening
        && let Some(c) = RE_BY.captures(clause)
        && let Some(whole) = c.get(0)
        && usable(whole.start())
        && (c.get(1).is_some() || c.get(3).is_some())
        && !clause[whole.end()..].contains('报')
        && let Some(end) = end_of(&c[2])
    {
        out.push(Statement {
            start: Start::Unwritten,
            end,
            text: whole.as_str().trim_end().to_string(),
            line,
        });
    }
    out
}

impl Doc<'_> {
    /// The campaign window: the first statement of the campaign's time in the opening sentences
    /// (the lines before the first `一、` heading), else a `即日起…`/`为期…` statement elsewhere
    /// outside phases and lists. A later statement that gives other dates is a question.
    pub(super) fn campaign_window(&mut self, plan: &PlanInfo) -> WindowFound {
        let n = self.lines.len();
        let body = self
            .lines
            .iter()
            .position(|l| RE_TOP.is_match(l))
            .unwrap_or(n.min(40));
        let mut found: Vec<Statement> = Vec::new();
        for i in 0..n {
            let l = self.lines[i];
            if self.consumed[i] || l.is_empty() || label(l).is_some() || l.starts_with('第') {
                continue;
            }
            let opening = i < body;
            for clause in split_outside_parens(l, &['。', ';']) {
                let mut s = statements(clause, i, opening);
                // One statement a clause: the first of its forms.
                if let Some(first) = s.drain(..).next() {
                    found.push(first);
                }
            }
        }
        let Some(first) = found.first().cloned() else {
            return WindowFound::default();
        };
        let (window, start) = self.resolve(&first, plan);
        for other in &found[1..] {
            let (w, _) = self.resolve_quietly(other, plan);
            if (w.start, w.end) != (window.start, window.end)
                && (w.start.is_some() || w.end.is_some())
            {
                let show =
                    |d: Option<NaiveDate>| d.map_or_else(|| "?".to_string(), |d| d.to_string());
                let line = ln(other.line);
                let msg = format!(
                    "第{line}行写明的专项治理时间“{}”({}至{})与第{}行的“{}”({}至{})不一致,已按第{}行,请核对。",
                    other.text,
                    show(w.start),
                    show(w.end),
                    ln(first.line),
                    first.text,
                    show(window.start),
                    show(window.end),
                    ln(first.line),
                );
                self.question(QuestionKind::Date, line, &other.text, msg);
            }
        }
        WindowFound {
            year: first.written_year().map(|y| (ln(first.line), y)),
            start,
            window: Some(window),
        }
    }

    fn resolve_quietly(&self, s: &Statement, plan: &PlanInfo) -> (CampaignWindow, Vec<String>) {
        let mut notes = Vec::new();
        let line = ln(s.line);
        let start = match s.start {
            Start::FromNow => {
                if plan.issue_date.is_none() {
                    notes.push(format!(
                        "第{line}行专项治理时间“{}”从即日起开始,但未识别出成文日期,请填写开始日期。",
                        s.text
                    ));
                }
                plan.issue_date
            }
            Start::At(m) => match m.year.or(plan.year()) {
                Some(y) => m.first_day(y),
                None => {
                    notes.push(format!(
                        "第{line}行专项治理时间“{}”没有年份,文件日期也未识别,请填写开始和结束日期。",
                        s.text
                    ));
                    None
                }
            },
            Start::January(y) => NaiveDate::from_ymd_opt(y, 1, 1),
            Start::Unwritten => {
                match plan.issue_date {
                    Some(d) => notes.push(format!(
                        "第{line}行专项治理时间“{}”未写开始日期,已按成文日期推定为{d},请确认。",
                        s.text
                    )),
                    None => notes.push(format!(
                        "第{line}行专项治理时间“{}”未写开始日期,文件日期也未识别,请填写开始日期。",
                        s.text
                    )),
                }
                plan.issue_date
            }
        };
        let base_year = start.map(|d| d.year()).or(plan.year());
        let mut end = match s.end {
            End::At(m) => m.year.or(base_year).and_then(|y| m.last_day(y)),
            End::YearClose(y) => y
                .or(base_year)
                .and_then(|y| NaiveDate::from_ymd_opt(y, 12, 31)),
            End::SpanClose(y) => NaiveDate::from_ymd_opt(y, 12, 31),
            End::Months(k) => start
                .and_then(|d| d.checked_add_months(Months::new(k)))
                .and_then(|d| d.pred_opt()),
            End::Days(k) => start
                .and_then(|d| d.checked_add_days(Days::new(u64::from(k))))
                .and_then(|d| d.pred_opt()),
        };
        // `从即日起到5月底` in a plan signed in December: May of the next year.
        if let (Some(b), Some(e), End::At(m)) = (start, end, s.end)
            && e < b
            && m.year.is_none()
        {
            end = m.last_day(e.year() + 1);
            if let Some(e) = end {
                notes.push(format!(
                    "第{line}行专项治理时间“{}”的结束日期未写年份,早于开始日期,已推定为{e},请确认。",
                    s.text
                ));
            }
        }
        if end.is_none() && start.is_some() {
            notes.push(format!(
                "第{line}行专项治理时间“{}”的结束日期无法确定,请填写。",
                s.text
            ));
        }
        (
            CampaignWindow {
                start,
                end,
                text: s.text.clone(),
                lines: Some(Lines::one(line)),
            },
            notes,
        )
    }

    fn resolve(&mut self, s: &Statement, plan: &PlanInfo) -> (CampaignWindow, Option<NaiveDate>) {
        let (w, notes) = self.resolve_quietly(s, plan);
        for msg in notes {
            self.question(QuestionKind::Date, ln(s.line), &s.text, msg);
        }
        let start = w.start;
        (w, start)
    }

    /// A question for each phase that lies outside the campaign window.
    pub(super) fn phases_within(&mut self, window: Option<&CampaignWindow>, phases: &[Phase]) {
        let Some(w) = window else { return };
        for p in phases {
            let line = p.lines.map_or(0, |l| l.0);
            let early = matches!((p.start, w.start), (Some(a), Some(b)) if a < b);
            let late = matches!((p.end, w.end), (Some(a), Some(b)) if a > b);
            if early || late {
                let show =
                    |d: Option<NaiveDate>| d.map_or_else(|| "?".to_string(), |d| d.to_string());
                let msg = format!(
                    "第{line}行“{}”阶段({}至{})超出了专项治理时间“{}”({}至{}),请核对。",
                    p.name,
                    show(p.start),
                    show(p.end),
                    w.text,
                    show(w.start),
                    show(w.end)
                );
                self.question(QuestionKind::Date, line, &p.window_text, msg);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(s: &str) -> Vec<String> {
        statements(s, 0, true).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn statement_forms() {
        assert_eq!(
            forms("城区安委会决定从即日起到12月底,在全城区范围内组织开展专项治理行动"),
            vec!["从即日起到12月底"]
        );
        assert_eq!(
            forms("决定自即日起到2020年5月底在全市开展专项整治"),
            vec!["自即日起到2020年5月底"]
        );
        assert_eq!(
            forms("专项整治行动将于2025年6月底前"),
            vec!["将于2025年6月底前"]
        );
        assert_eq!(forms("在全县开展为期半年的专项整治"), vec!["为期半年"]);
        assert_eq!(
            forms("自2025年3月起在全县开展为期三个月的排查整治"),
            vec!["自2025年3月起在全县开展为期三个月"]
        );
        assert_eq!(forms("三年行动实施方案(2024—2026年)"), vec!["2024—2026年"]);
        assert_eq!(
            forms("关于印发《某区三年行动实施方案(2024—2026年)》的通知"),
            vec!["2024—2026年"]
        );
        assert_eq!(
            forms("现将《某区三年行动方案(2024—2026年)》印发你们"),
            vec!["2024—2026年"]
        );
        // Another document's span, cited.
        assert!(forms("根据《某省三年行动方案(2023—2025年)》,制定本方案").is_empty());
        // Not the campaign's: a report, a phase, a placeholder.
        assert!(forms("各镇于2024年3月30日前将方案报送区安委办").is_empty());
        assert!(forms("(一)排查整治阶段(自即日起到2020年5月底)").is_empty());
        assert!(forms("部署阶段,即日起至6月底,开展排查").is_empty());
        assert!(forms("决定自即日起至X月X日开展专项整治").is_empty());
    }
}
