//! Reading rule data (TOML, format in the header of `data/enforcement-rules.toml`) and checking
//! it: every row on its own, then the periods of each key.

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use super::{Provenance, Rule, RuleKey, RuleValue, Span, ValueKind};

/// Rule data that cannot be used, with the line (1-based) and the rule's key once known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "执法程序规则数据第{line}行{}：{message}",
    .key.as_ref().map(|k| format!("（{k}）")).unwrap_or_default()
)]
pub struct RulesError {
    /// 1-based line.
    pub line: usize,
    /// The rule's key as written, once the row was read.
    pub key: Option<String>,
    /// What is wrong (Chinese).
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    key: Spanned<String>,
    value: RawValue,
    unit: String,
    source: String,
    effective_from: Datetime,
    #[serde(default)]
    effective_until: Option<Datetime>,
    verified: bool,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawValue {
    Integer(i64),
    Text(String),
}

/// Parses and checks rule data.
pub(super) fn parse(text: &str) -> Result<Vec<Rule>, RulesError> {
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
    let file: File = toml::from_str(text).map_err(|e| RulesError {
        line: e.span().map_or(1, |s| line_of(s.start)),
        key: None,
        message: e.message().to_string(),
    })?;
    let mut rows = Vec::with_capacity(file.rule.len());
    for raw in file.rule {
        let line = line_of(raw.key.span().start);
        let key_text = raw.key.get_ref().clone();
        let rule = row(raw).map_err(|message| RulesError {
            line,
            key: Some(key_text.clone()),
            message,
        })?;
        rows.push((line, key_text, rule));
    }
    check_periods(&rows)?;
    Ok(rows.into_iter().map(|(_, _, r)| r).collect())
}

/// One row on its own.
fn row(raw: RawRule) -> Result<Rule, String> {
    let key = RuleKey::from_code(raw.key.get_ref())
        .ok_or_else(|| format!("未知的规则“{}”", raw.key.get_ref()))?;
    let value = value(key, raw.value, &raw.unit)?;
    let source = raw.source.trim().to_string();
    if source.is_empty() {
        return Err("请填写规则来源（法规名称及条款）".into());
    }
    let effective_from = date(&raw.effective_from, "effective_from")?;
    let effective_until = raw
        .effective_until
        .as_ref()
        .map(|d| date(d, "effective_until"))
        .transpose()?;
    if let Some(until) = effective_until
        && until < effective_from
    {
        return Err(format!("失效日期{until}早于生效日期{effective_from}"));
    }
    let note = raw
        .note
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    Ok(Rule {
        key,
        value,
        provenance: Provenance {
            source,
            effective_from,
            effective_until,
            verified: raw.verified,
            note,
        },
    })
}

/// The typed value, checked against the key's kind and the unit.
fn value(key: RuleKey, raw: RawValue, unit: &str) -> Result<RuleValue, String> {
    let fits = match (key.kind(), unit) {
        (ValueKind::Text, "text") | (ValueKind::Count, "count") => true,
        (ValueKind::Amount, "yuan") | (ValueKind::Percent, "percent") => true,
        (ValueKind::TimeLimit, "calendar_days" | "working_days" | "months") => true,
        (
            _,
            "text" | "count" | "calendar_days" | "working_days" | "months" | "yuan" | "percent",
        ) => false,
        _ => {
            return Err(format!(
                "单位“{unit}”无效（应为 calendar_days、working_days、months、count、yuan、percent 或 text）"
            ));
        }
    };
    if !fits {
        return Err(format!("“{}”的单位不能是{unit}", key.label()));
    }
    match raw {
        RawValue::Text(t) if unit == "text" => {
            let t = t.trim();
            if t.is_empty() {
                Err("数值不能为空".into())
            } else {
                Ok(RuleValue::Text(t.to_string()))
            }
        }
        RawValue::Integer(n) if unit != "text" => {
            let n = u32::try_from(n)
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("数值{n}无效，应为正整数"))?;
            Ok(match unit {
                "calendar_days" => RuleValue::TimeLimit(Span::CalendarDays(n)),
                "working_days" => RuleValue::TimeLimit(Span::WorkingDays(n)),
                "months" => RuleValue::TimeLimit(Span::Months(n)),
                "yuan" => RuleValue::Amount(n),
                "percent" => RuleValue::Percent(n),
                _ => RuleValue::Count(n),
            })
        }
        _ if unit == "text" => Err("数值应为文字".into()),
        _ => Err("数值应为正整数".into()),
    }
}

/// A TOML local date (no time, no offset).
fn date(d: &Datetime, field: &str) -> Result<NaiveDate, String> {
    match (&d.date, &d.time, &d.offset) {
        (Some(day), None, None) => NaiveDate::from_ymd_opt(
            i32::from(day.year),
            u32::from(day.month),
            u32::from(day.day),
        )
        .ok_or_else(|| format!("{field}不是有效日期")),
        _ => Err(format!("{field}应为日期（如 2024-01-01），不含时刻")),
    }
}

/// The periods of each key, in date order, must follow one another day after day: no overlap,
/// no gap; only the last may be open-ended.
fn check_periods(rows: &[(usize, String, Rule)]) -> Result<(), RulesError> {
    for key in RuleKey::ALL {
        let mut periods: Vec<&(usize, String, Rule)> =
            rows.iter().filter(|(_, _, r)| r.key == key).collect();
        periods.sort_by_key(|(_, _, r)| r.provenance.effective_from);
        for pair in periods.windows(2) {
            let (a, (line, key_text, b)) = (&pair[0].2.provenance, pair[1]);
            let b = &b.provenance;
            let error = |message: String| RulesError {
                line: *line,
                key: Some(key_text.clone()),
                message,
            };
            let Some(until) = a.effective_until else {
                return Err(error(format!("与{}起长期有效的规则重叠", a.effective_from)));
            };
            if b.effective_from <= until {
                return Err(error(format!(
                    "有效期与{}至{until}的规则重叠",
                    a.effective_from
                )));
            }
            if until.succ_opt() != Some(b.effective_from) {
                return Err(error(format!(
                    "{until}与{}之间没有有效的规则（有效期不连续）",
                    b.effective_from
                )));
            }
        }
    }
    Ok(())
}
