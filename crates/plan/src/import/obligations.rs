//! Reporting obligations: one-off deadlines (absolute or after a phase or the year end) and
//! recurring reports (monthly, quarterly, half-yearly, yearly).

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use safeduty_core::calendar::Calendar;
use safeduty_core::campaign::resolve_due;
use safeduty_core::template::{Anchor, DueRule, Lines, Obligation, Period, Phase, QuestionKind};

use super::{Doc, ln};
use crate::dates::{NUM, cn_number, mentions};
use crate::text::{chars, outline, split_outside_parens, without_parens};

impl Doc<'_> {
    /// Reporting obligations: clauses that say when something is to be reported (报送/上报/报).
    pub(super) fn obligations(&mut self, phases: &[Phase], year: Option<i32>) -> Vec<Obligation> {
        let calendar = Calendar::shipped();
        let mut out = Vec::new();
        for i in 0..self.lines.len() {
            if self.consumed[i] {
                continue;
            }
            let l = self.lines[i];
            // A decimal outline run together (`4.1 …。4.2 …`): each clause is read on its own.
            let labels = outline(l);
            let mut pieces: Vec<&str> = Vec::new();
            let mut from = 0;
            for x in &labels {
                pieces.push(&l[from..x.at]);
                from = x.text_at;
            }
            pieces.push(&l[from..]);
            for clause in pieces
                .into_iter()
                .flat_map(|p| split_outside_parens(p, &[';', '。']))
            {
                let clause = clause.trim();
                for ob in recurring(clause) {
                    out.push(Obligation {
                        lines: Some(Lines::one(ln(i))),
                        ..ob
                    });
                }
                if let Some(ob) = self.deadline(clause, i, phases, year, &calendar) {
                    out.push(ob);
                }
            }
        }
        out
    }

    /// A one-off deadline in a clause: `于2024年3月30日前将方案报送…`,
    /// `自查自纠阶段结束后5个工作日内,将…报送…`.
    fn deadline(
        &mut self,
        clause: &str,
        i: usize,
        phases: &[Phase],
        year: Option<i32>,
        calendar: &Calendar,
    ) -> Option<Obligation> {
        static RE_REL: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(&format!(
                r"([^,;。:]{{0,24}}?)(?:结束|届满|截止)(?:后|之后|以后)\s*({NUM})\s*个?(工作日|日|天)(?:内|之内|以内)"
            ))
            .expect("valid regex")
        });
        let line = ln(i);
        // Relative deadline first: a clause with one has no absolute one.
        if let Some(c) = RE_REL.captures(clause) {
            let whole = c.get(0)?;
            if !reports_after(&clause[whole.end()..]) {
                return None;
            }
            let days = cn_number(&c[2])?;
            let anchor_text = c[1].trim();
            let anchor = if ["年度", "年底", "本年", "全年", "当年"]
                .iter()
                .any(|w| anchor_text.contains(w))
            {
                Some(Anchor::YearEnd)
            } else {
                phases
                    .iter()
                    .filter(|p| anchor_text.contains(p.name.as_str()))
                    .max_by_key(|p| p.name.len())
                    .map(|p| Anchor::PhaseEnd {
                        phase: p.name.clone(),
                    })
            };
            let Some(anchor) = anchor else {
                let msg = format!(
                    "第{line}行的报送期限“{}”从“{anchor_text}”起算,无法对应到阶段或年度,请人工设定。",
                    whole.as_str()
                );
                self.question(QuestionKind::Date, line, whole.as_str(), msg);
                return None;
            };
            let due = if &c[3] == "工作日" {
                DueRule::WorkingDaysAfter { days, anchor }
            } else {
                DueRule::CalendarDaysAfter { days, anchor }
            };
            let (name, recipient) = name_and_recipient(clause, whole.end());
            let due_date = self.due_date(&due, phases, year, calendar, line, whole.as_str());
            return Some(Obligation {
                name,
                recipient,
                due,
                due_date,
                source_text: clause.to_string(),
                lines: Some(Lines::one(line)),
            });
        }
        // Absolute deadline: a date followed by 前, then a reporting verb.
        for m in mentions(clause) {
            let rest = &clause[m.end..];
            if !["前", "以前", "之前"].iter().any(|p| rest.starts_with(p)) {
                continue;
            }
            if !reports_after(rest) {
                continue;
            }
            let Some(y) = m.year.or(year) else {
                let msg = format!(
                    "第{line}行的报送期限“{}”没有年份,文件日期也未识别,请补充。",
                    &clause[m.start..m.end]
                );
                self.question(QuestionKind::Date, line, &clause[m.start..m.end], msg);
                return None;
            };
            let date = m.last_day(y)?;
            let (name, recipient) = name_and_recipient(clause, m.end);
            return Some(Obligation {
                name,
                recipient,
                due: DueRule::OnOrBefore { date },
                due_date: Some(date),
                source_text: clause.to_string(),
                lines: Some(Lines::one(line)),
            });
        }
        None
    }

    fn due_date(
        &mut self,
        due: &DueRule,
        phases: &[Phase],
        year: Option<i32>,
        calendar: &Calendar,
        line: u32,
        excerpt: &str,
    ) -> Option<NaiveDate> {
        if matches!(due, DueRule::Recurring { .. }) {
            return None;
        }
        // The one deadline engine (core::campaign) resolves the rule; without a year only a
        // rule that needs none resolves.
        let resolved = match (year, due) {
            (
                None,
                DueRule::WorkingDaysAfter {
                    anchor: Anchor::YearEnd,
                    ..
                }
                | DueRule::CalendarDaysAfter {
                    anchor: Anchor::YearEnd,
                    ..
                },
            ) => None,
            _ => resolve_due(due, phases, year.unwrap_or_default(), calendar),
        };
        let (date, provisional) = match resolved {
            Some(r) => (Some(r.date), r.provisional),
            None => (None, false),
        };
        match date {
            None => {
                let msg =
                    format!("第{line}行的报送期限“{excerpt}”无法算出日期(起算日未知),请核对。");
                self.question(QuestionKind::Date, line, excerpt, msg);
            }
            Some(d) if provisional => {
                let msg = format!(
                    "第{line}行的报送期限“{excerpt}”算得{d},但所经年份的节假日安排尚未发布,日期为暂定,请在安排公布后复核。"
                );
                self.question(QuestionKind::Date, line, excerpt, msg);
            }
            Some(_) => {}
        }
        date
    }
}

/// Whether the text after a deadline phrase goes on to a reporting verb (报送/上报/报…).
fn reports_after(rest: &str) -> bool {
    let plain = without_parens(rest).replace("举报", "");
    plain.contains('报') || plain.contains("提交") || plain.contains("备案")
}

/// What is reported and to whom, from the text of a deadline clause after byte `from`.
fn name_and_recipient(clause: &str, from: usize) -> (String, Option<String>) {
    static RE_TAKE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"将([^,;]+?)(?:报送|上报|报告|提交|报)(?:至|到|给)?([^,;。]*)")
            .expect("valid regex")
    });
    static RE_MAKE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:写出|形成|制定|编制|起草|整理|提交)([^,;]+?)(?:报送|上报|报)(?:至|到|给)?([^,;。]*)")
            .expect("valid regex")
    });
    static RE_REPORT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:报送|上报|报)(?:至|到|给)?([^,;。]*)").expect("valid regex")
    });
    static RE_MADE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:制定|印发|编制|形成|起草|研究制定)([^,;]+)$").expect("valid regex")
    });
    let tail = without_parens(&clause[from..]);
    let recipient_of = |s: &str| -> Option<String> {
        let r = s
            .trim()
            .trim_end_matches("备案")
            .trim_end_matches("审核")
            .trim_end_matches("审批")
            .trim();
        (!r.is_empty() && chars(r) <= 30).then(|| r.to_string())
    };
    if let Some(c) = RE_TAKE.captures(&tail).or_else(|| RE_MAKE.captures(&tail)) {
        return (c[1].trim().to_string(), recipient_of(&c[2]));
    }
    let recipient = RE_REPORT.captures(&tail).and_then(|c| recipient_of(&c[1]));
    let head = without_parens(&clause[..from]);
    let name = split_outside_parens(&head, &[','])
        .iter()
        .rev()
        .find_map(|part| {
            RE_MADE_BEFORE
                .captures(part.trim())
                .map(|c| c[1].trim().to_string())
        })
        .unwrap_or_else(|| tail.trim().to_string());
    (name, recipient)
}

/// Recurring obligations in a clause: `每季度报送一次工作进展情况`, `每月5日前报送…`,
/// `每半年向县应急管理局报告一次隐患排查治理情况`, and months named in a year,
/// `每年一月、七月的十日前,将…报送…` (the months must start equal periods from January: 一月
/// alone → yearly, 一月、七月 → half-yearly, 一、四、七、十月 → quarterly). What is reported
/// follows the verb (`报送一次工作进展情况`), or is what is taken (`将…统计表报送`), or, when
/// nothing follows, the report named before the period (`隐患排查情况每半年报告一次`); the
/// recipient is the one reported to (`向县应急管理局报告`, `报送县应急管理局`).
fn recurring(clause: &str) -> Vec<Obligation> {
    static RE_MONTHS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"每年((?:{NUM}月?[、和及]?)+?)月(?:的|份)?(?:({NUM})日)?(?:前|之前|以前)"
        ))
        .expect("valid regex")
    });
    static RE_PERIOD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"每(?:个)?(月|季度|季|半年|年度|年)(?:({NUM})日(?:前|之前|以前))?"
        ))
        .expect("valid regex")
    });
    // The period phrases, in order; a `每年一月、七月…` phrase wins over the `每年` inside it.
    let mut periods: Vec<(usize, usize, Period, Option<u32>)> = Vec::new();
    for c in RE_MONTHS.captures_iter(clause) {
        let Some(whole) = c.get(0) else { continue };
        let months: Option<Vec<u32>> =
            split_outside_parens(&c[1].replace('月', ""), &['、', '和', '及'])
                .iter()
                .map(|m| cn_number(m))
                .collect();
        let every = match months.as_deref() {
            Some([1]) => Period::Year,
            Some([1, 7]) => Period::HalfYear,
            Some([1, 4, 7, 10]) => Period::Quarter,
            _ => continue,
        };
        let day = c.get(2).and_then(|m| cn_number(m.as_str()));
        periods.push((whole.start(), whole.end(), every, day));
    }
    let named_months = periods.len();
    let mut m = 0;
    for c in RE_PERIOD.captures_iter(clause) {
        let Some(whole) = c.get(0) else { continue };
        // Both lists are in text order: the overlap check walks the first once.
        while m < named_months && periods[m].1 <= whole.start() {
            m += 1;
        }
        if m < named_months && periods[m].0 < whole.end() {
            continue;
        }
        let every = match &c[1] {
            "月" => Period::Month,
            "季度" | "季" => Period::Quarter,
            "半年" => Period::HalfYear,
            _ => Period::Year,
        };
        let day = c.get(2).and_then(|m| cn_number(m.as_str()));
        periods.push((whole.start(), whole.end(), every, day));
    }
    periods.sort_by_key(|p| p.0);
    let mut out = Vec::new();
    for (k, &(start, end, every, day)) in periods.iter().enumerate() {
        let next = periods.get(k + 1).map_or(clause.len(), |p| p.0);
        let tail = &clause[end..next];
        let Some((name, recipient, used)) = report_after(tail) else {
            continue;
        };
        let name = if name.is_empty() {
            report_before(&clause[..start]).unwrap_or_default()
        } else {
            name
        };
        if name.is_empty() {
            continue;
        }
        out.push(Obligation {
            name,
            recipient,
            due: DueRule::Recurring { every, day },
            due_date: None,
            source_text: clause[start..end + used].to_string(),
            lines: None,
        });
    }
    out
}

/// What follows a period phrase when it goes on to report: (what, to whom, bytes used).
/// `报送一次工作进展情况`; `向县应急管理局报告一次隐患排查治理情况`;
/// `,将上半年隐患排查治理统计表报送县应急管理局`.
fn report_after(tail: &str) -> Option<(String, Option<String>, usize)> {
    static RE_PLAIN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[^,;。]{0,4}?(?:报送|上报|报告|报)(?:一次)?([^,;。]*)").expect("valid regex")
    });
    static RE_TO: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^,?\s*(?:均|应|须|要)?\s*向([^,;。]{1,30}?)(?:报送|上报|报告|报)(?:一次)?([^,;。]*)",
        )
        .expect("valid regex")
    });
    static RE_TAKE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^,?\s*(?:均|应|须|要)?\s*(?:将|把)([^,;。]{1,40}?)(?:报送|上报|报告|报)(?:一次)?(?:至|到|给)?([^,;。]*)")
            .expect("valid regex")
    });
    let clean = |s: &str| without_parens(s).trim().to_string();
    let recipient_of = |s: &str| -> Option<String> {
        let r = without_parens(s);
        let r = r
            .trim()
            .trim_end_matches("备案")
            .trim_end_matches("审核")
            .trim();
        (!r.is_empty() && chars(r) <= 30).then(|| r.to_string())
    };
    if let Some(c) = RE_TAKE.captures(tail) {
        return Some((clean(&c[1]), recipient_of(&c[2]), c.get(0)?.end()));
    }
    if let Some(c) = RE_TO.captures(tail) {
        return Some((clean(&c[2]), recipient_of(&c[1]), c.get(0)?.end()));
    }
    let c = RE_PLAIN.captures(tail)?;
    Some((clean(&c[1]), None, c.get(0)?.end()))
}

/// A report named just before a period phrase (`隐患排查治理情况每半年报告一次`), not a
/// subject (`公司每半年…`).
fn report_before(head: &str) -> Option<String> {
    let part = split_outside_parens(head, &[',', ':']).last().copied()?;
    let part = without_parens(part).trim().to_string();
    let is_report = ["情况", "总结", "报告", "信息", "报表", "统计表", "进展"]
        .iter()
        .any(|w| part.ends_with(w));
    (is_report && chars(&part) >= 4 && chars(&part) <= 30).then_some(part)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recurring_reports() {
        let r = recurring("三年行动过程中,每季度报送一次工作进展情况,每半年报送一次阶段性工作总结");
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].name, "工作进展情况");
        assert_eq!(
            r[1].due,
            DueRule::Recurring {
                every: Period::HalfYear,
                day: None
            }
        );
        let r = recurring("每月5日前报送上月工作情况");
        assert_eq!(
            r[0].due,
            DueRule::Recurring {
                every: Period::Month,
                day: Some(5)
            }
        );
        assert!(recurring("每半年至少组织一次现场处置方案演练").is_empty());
        assert!(recurring("每月开展一次检查,发现问题及时报告").is_empty());
    }

    /// The wordings of an enterprise's rules: the recipient between the period and the verb,
    /// what is reported taken (`将…报送`) or named before the period.
    #[test]
    fn recurring_reports_with_recipients() {
        let r = recurring("公司每半年向县应急管理局报告一次隐患排查治理情况");
        assert_eq!(r.len(), 1);
        assert_eq!(
            (r[0].name.as_str(), r[0].recipient.as_deref()),
            ("隐患排查治理情况", Some("县应急管理局"))
        );
        assert_eq!(
            r[0].due,
            DueRule::Recurring {
                every: Period::HalfYear,
                day: None
            }
        );
        let r = recurring(
            "每年一月、七月的十日前,将上半年(或上一年度)隐患排查治理统计表报送县应急管理局",
        );
        assert_eq!(r.len(), 1);
        assert_eq!(
            (r[0].name.as_str(), r[0].recipient.as_deref()),
            ("上半年隐患排查治理统计表", Some("县应急管理局"))
        );
        assert_eq!(
            r[0].due,
            DueRule::Recurring {
                every: Period::HalfYear,
                day: Some(10)
            }
        );
        let r = recurring("重大事故隐患治理情况每季度向区应急管理局报告一次");
        assert_eq!(
            (r[0].name.as_str(), r[0].recipient.as_deref()),
            ("重大事故隐患治理情况", Some("区应急管理局"))
        );
        assert!(recurring("公司每半年报告一次").is_empty());
    }

    #[test]
    fn names_and_recipients() {
        let c = "并于2024年3月30日前将方案报送城区安委会办公室";
        let from = c.find('前').unwrap();
        assert_eq!(
            name_and_recipient(c, from),
            ("方案".into(), Some("城区安委会办公室".into()))
        );
        let c = "要认真研究制定本地工作方案、本系统子方案,于2024年3月15日前报市安办备案";
        let from = c.find("日前").unwrap() + "日".len();
        assert_eq!(
            name_and_recipient(c, from),
            ("本地工作方案、本系统子方案".into(), Some("市安办".into()))
        );
    }
}
