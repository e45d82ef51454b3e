//! The plan's identity: title, document number, signature (issuer and date), publication date.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use safeduty_core::template::{Lines, PlanInfo, QuestionKind};

use super::{Doc, ln};
use crate::dates::{NUM, cn_number, is_date_line};
use crate::normalize::is_han;
use crate::text::{RE_TOP, chars, numbered};

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
    pub(super) fn plan_info(&self, source: Option<&str>) -> PlanInfo {
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

    /// The line index of the page's publication date, if any.
    pub(super) fn published_line(&self) -> Option<usize> {
        self.published().map(|p| p.0)
    }

    /// A question when the page says when it was published but the document carries no signed
    /// date: the publication date is not taken for it.
    pub(super) fn unsigned(&mut self, plan: &PlanInfo) {
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
