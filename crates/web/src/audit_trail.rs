//! What the audit administrator reads (GB/T 22239-2019 8.1.4.3, security audit): the labels and
//! times of the trail's records as shown on the search page and in its exports ([`export`]).
//! The trail itself is read with `safeduty_store::audit::search`; nothing edits or deletes it.

pub mod export;

use chrono::{DateTime, Utc};
use chrono_tz::Asia::Shanghai;
use safeduty_core::policy::Role;
use safeduty_store::audit::{Event, ObjectKind};

/// Every event code with its Chinese name, from the registry ([`Event`]), for the search page's
/// filter.
pub fn events() -> Vec<(&'static str, &'static str)> {
    Event::ALL.iter().map(|e| (e.code(), e.label())).collect()
}

/// The Chinese name of an event code, or the code itself (a record written by a later version).
pub fn event_label(code: &str) -> String {
    Event::from_code(code).map_or_else(|| code.to_string(), |e| e.label().to_string())
}

/// Every object kind with its Chinese name, from the registry ([`ObjectKind`]): the page's
/// object column, its 对象类型 filter and the exports.
pub fn target_kinds() -> Vec<(&'static str, &'static str)> {
    ObjectKind::all().map(|k| (k.code(), k.label())).collect()
}

/// The Chinese name of an object kind, or the code itself when unknown.
pub fn target_label(code: &str) -> String {
    ObjectKind::from_code(code).map_or_else(|| code.to_string(), |k| k.label().to_string())
}

/// The Chinese name of a role code as recorded (`system` is the product itself).
pub fn role_label(code: &str) -> String {
    match code {
        "system" => "系统".into(),
        "demo" => "演示数据".into(),
        c => Role::from_code(c).map_or_else(|| c.to_string(), |r| r.label().to_string()),
    }
}

/// The Chinese name of a result.
pub fn result_label(result: &str) -> &str {
    match result {
        "ok" => "成功",
        "denied" => "拒绝",
        "failed" => "失败",
        other => other,
    }
}

/// A stored instant (UTC text) as Beijing time, `2024-06-20 10:03:04`; unreadable text as is.
pub fn beijing_time(at: &str) -> String {
    at.parse::<DateTime<Utc>>().map_or_else(
        |_| at.to_string(),
        |t| {
            t.with_timezone(&Shanghai)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        },
    )
}
