//! A short human summary of a template, in Chinese, for the terminal and the review page.

use std::fmt::Write as _;

use safeduty_core::template::{
    Anchor, CampaignTemplate, DueRule, DutyArea, Lines, Period, QuestionKind,
};

fn at(lines: Option<Lines>) -> String {
    match lines {
        Some(Lines(a, b)) if a == b => format!("[第{a}行]"),
        Some(Lines(a, b)) => format!("[第{a}–{b}行]"),
        None => String::new(),
    }
}

fn count_items(a: &DutyArea) -> usize {
    a.items.len() + a.areas.iter().map(count_items).sum::<usize>()
}

/// What the summary says of a text in which no campaign structure was found (a news report,
/// a notice without tasks): the template is empty and cannot start a campaign.
pub const NO_STRUCTURE: &str = "未找到专项治理的结构（检查事项、阶段、措施或报送期限），这不像一份工作方案；模板为空，不能据此启动专项治理。";

/// The summary: plan identity, counts of areas and items, phases with their dates, measures,
/// obligations with their due dates, and the questions still open, each with its line.
pub fn summary(t: &CampaignTemplate) -> String {
    let mut s = String::new();
    let p = &t.plan;
    let title = if p.title.is_empty() {
        "（未识别）"
    } else {
        p.title.as_str()
    };
    let _ = writeln!(s, "方案：{title}");
    let _ = writeln!(
        s,
        "文号：{}  发文机关：{}  成文日期：{}",
        p.document_number.as_deref().unwrap_or("（未识别）"),
        p.issuer.as_deref().unwrap_or("（未识别）"),
        p.issue_date
            .map_or_else(|| "（未识别）".to_string(), |d| d.to_string())
    );
    if let Some(published) = p.published
        && p.issue_date != Some(published)
    {
        let note = if p.issue_date.is_some() {
            "网页所载，与落款的成文日期不同，以成文日期为准"
        } else {
            "网页所载，不一定是成文日期"
        };
        let _ = writeln!(s, "发布日期：{published}（{note}）");
    }
    if let Some(src) = &p.source {
        let _ = writeln!(s, "来源：{src}");
    }
    if !t.target_industries.is_empty() {
        let _ = writeln!(
            s,
            "重点行业 {} 个：{}",
            t.target_industries.len(),
            t.target_industries.join("、")
        );
    }
    if !t.has_structure() {
        let _ = writeln!(s, "{NO_STRUCTURE}");
    }
    let items = t.all_items().len();
    if t.areas.is_empty() {
        let _ = writeln!(s, "治理内容：0 个方面，检查事项 {items} 项");
    } else {
        let per: Vec<String> = t.areas.iter().map(|a| count_items(a).to_string()).collect();
        let _ = writeln!(
            s,
            "治理内容：{} 个方面，检查事项 {items} 项 （各方面：{}）",
            t.areas.len(),
            per.join(", ")
        );
        for a in &t.areas {
            let _ = writeln!(
                s,
                "  ({}) {} — {} 项 {}",
                a.label,
                a.title,
                count_items(a),
                at(a.lines)
            );
        }
    }
    if !t.items.is_empty() {
        let _ = writeln!(s, "  不属于任何方面的事项：{} 项", t.items.len());
    }
    if let Some(w) = &t.window {
        let d = |x: Option<chrono::NaiveDate>| x.map_or_else(|| "?".to_string(), |d| d.to_string());
        let _ = writeln!(
            s,
            "专项治理时间：{} 至 {} （{}） {}",
            d(w.start),
            d(w.end),
            w.text,
            at(w.lines)
        );
    }
    let _ = writeln!(s, "阶段：{} 个", t.phases.len());
    for ph in &t.phases {
        let d = |x: Option<chrono::NaiveDate>| x.map_or_else(|| "?".to_string(), |d| d.to_string());
        let _ = writeln!(
            s,
            "  第{}阶段 {}: {} 至 {} ({}) {}",
            ph.ordinal,
            ph.name,
            d(ph.start),
            d(ph.end),
            ph.window_text,
            at(ph.lines)
        );
    }
    let _ = writeln!(s, "措施：{} 项", t.measures.len());
    if !t.measures.is_empty() {
        let names: Vec<&str> = t.measures.iter().map(|m| m.name.as_str()).collect();
        let _ = writeln!(s, "  {}", names.join("、"));
    }
    let _ = writeln!(s, "报送要求：{} 项", t.obligations.len());
    for o in &t.obligations {
        let rule = match &o.due {
            DueRule::OnOrBefore { date } => format!("{date}前"),
            DueRule::WorkingDaysAfter { days, anchor } => {
                format!("{}后{days}个工作日内", anchor_text(anchor))
            }
            DueRule::CalendarDaysAfter { days, anchor } => {
                format!("{}后{days}日内", anchor_text(anchor))
            }
            DueRule::Recurring { every, day } => {
                let e = match every {
                    Period::Month => "每月",
                    Period::Quarter => "每季度",
                    Period::HalfYear => "每半年",
                    Period::Year => "每年",
                };
                match day {
                    Some(d) => format!("{e}（{d}日前）"),
                    None => e.to_string(),
                }
            }
        };
        let due = o
            .due_date
            .map_or_else(|| "周期性".to_string(), |d| format!("截止 {d}"));
        let to = o
            .recipient
            .as_deref()
            .map(|r| format!(" → {r}"))
            .unwrap_or_default();
        let _ = writeln!(s, "  {due}: {}{to} ({rule}) {}", o.name, at(o.lines));
    }
    let open: Vec<_> = t.questions.iter().filter(|q| !q.resolved).collect();
    let resolved = t.questions.len() - open.len();
    let _ = write!(s, "待核对问题：{} 个", open.len());
    if resolved > 0 {
        let _ = write!(s, " （另有 {resolved} 个已由审核更正解决）");
    }
    let _ = writeln!(s);
    for q in open {
        let kind = match q.kind {
            QuestionKind::Garbled => "乱码",
            QuestionKind::Wording => "用词",
            QuestionKind::Date => "日期",
            QuestionKind::Structure => "结构",
            QuestionKind::Truncated => "不完整",
        };
        let prefix = format!("第{}行", q.line);
        let message = q.message.strip_prefix(&prefix).unwrap_or(&q.message);
        let _ = writeln!(s, "  {prefix} [{kind}] {message} 原文：“{}”", q.excerpt);
    }
    if !t.review_edits.is_empty() {
        let _ = writeln!(s, "审核更正：{} 处", t.review_edits.len());
        for e in &t.review_edits {
            let line = e.line.map(|l| format!("第{l}行 ")).unwrap_or_default();
            let _ = writeln!(s, "  {line}{}: “{}” → “{}”", e.field, e.before, e.after);
        }
    }
    s
}

fn anchor_text(a: &Anchor) -> String {
    match a {
        Anchor::PhaseEnd { phase } => format!("{phase}阶段结束"),
        Anchor::YearEnd => "年度结束".to_string(),
        Anchor::Date { date } => date.to_string(),
    }
}
