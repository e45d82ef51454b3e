//! The audit administrator reads the audit trail ([`Action::ReadAuditTrail`]): a search, newest
//! first and paged by record number, and the matches of a search for an export (the file and
//! the export's own record are the web's download). Nothing here edits or deletes a record
//! (shared case B25).

use safeduty_core::personal::Disclosure;
use safeduty_core::policy::Action;
use safeduty_store::Store;
use safeduty_store::audit::search::{self, Query, Record};

use crate::{Caller, Error, guard};

/// Records per page of a search.
pub const PAGE_SIZE: i64 = 50;

/// Most records one export carries; a larger match asks for a narrower search.
pub const EXPORT_MAX: i64 = 100_000;

/// One page of a search.
#[derive(Debug, Clone)]
pub struct Page {
    /// Matches in all pages.
    pub total: i64,
    /// This page's records, newest first (at most [`PAGE_SIZE`]).
    pub records: Vec<Record>,
    /// More records follow, below the last one's number.
    pub more: bool,
}

/// The records matching `query` with a number below `before` (the newest when `None`).
///
/// # Errors
/// The guard's denials, store errors.
pub async fn search(
    store: &Store,
    caller: &Caller<'_>,
    query: &Query,
    before: Option<i64>,
) -> Result<Page, Error> {
    guard::require(store, caller, Action::ReadAuditTrail, None).await?;
    let total = search::count(store, query).await?;
    let mut records = search::page(store, query, before, PAGE_SIZE + 1).await?;
    let more = records.len() as i64 > PAGE_SIZE;
    records.truncate(PAGE_SIZE as usize);
    disclose(caller, &mut records);
    Ok(Page {
        total,
        records,
        more,
    })
}

/// What an export of a search finds.
#[derive(Debug, Clone)]
pub enum Export {
    /// Every match, oldest first.
    Records(Vec<Record>),
    /// More matches than [`EXPORT_MAX`] (this many): nothing is read.
    TooMany(i64),
}

/// The records matching `query`, for an export.
///
/// # Errors
/// The guard's denials, store errors.
pub async fn export(store: &Store, caller: &Caller<'_>, query: &Query) -> Result<Export, Error> {
    guard::require(store, caller, Action::ReadAuditTrail, None).await?;
    let total = search::count(store, query).await?;
    if total > EXPORT_MAX {
        return Ok(Export::TooMany(total));
    }
    let mut records = search::all(store, query, EXPORT_MAX).await?;
    disclose(caller, &mut records);
    Ok(Export::Records(records))
}

/// Field names whose values are personal numbers (phone or ID numbers) in a record's before and
/// after states: a key containing one of these words.
const PERSONAL_KEYS: [&str; 3] = ["phone", "mobile", "id_number"];

/// Shows the personal numbers in `records`' before and after states as `caller` may see them
/// ([`Disclosure`]: the audit administrator sees them masked, as the committee office does in
/// lists; issue #16 point 4). A state that is not JSON is left as it is.
fn disclose(caller: &Caller<'_>, records: &mut [Record]) {
    let disclosure = Disclosure::for_actor(&caller.actor());
    if disclosure == Disclosure::Full {
        return;
    }
    for r in records {
        for state in [&mut r.before, &mut r.after].into_iter().flatten() {
            if let Ok(mut value) = serde_json::from_str::<serde_json::Value>(state) {
                mask_personal(&mut value, false);
                *state = value.to_string();
            }
        }
    }
}

/// Masks, in place, every string under a key named in [`PERSONAL_KEYS`] (`personal`: the value
/// is under such a key already).
fn mask_personal(value: &mut serde_json::Value, personal: bool) {
    match value {
        serde_json::Value::String(s) if personal => {
            *s = safeduty_core::personal::mask(s);
        }
        serde_json::Value::Array(items) => {
            for item in items {
                mask_personal(item, personal);
            }
        }
        serde_json::Value::Object(fields) => {
            for (key, field) in fields {
                let key = key.to_ascii_lowercase();
                let is_personal = personal || PERSONAL_KEYS.iter().any(|k| key.contains(k));
                mask_personal(field, is_personal);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::mask_personal;

    #[test]
    fn phones_in_states_are_masked_whatever_the_depth() {
        let mut v = serde_json::json!({
            "name": "示例甲公司",
            "contact_phone": "13812345678",
            "personnel": [{"name": "张三", "phone": "0571-88880001"}],
            "hotel": "不是电话",
            "id_number": "110101199003071234",
            "count": 3
        });
        mask_personal(&mut v, false);
        assert_eq!(
            v,
            serde_json::json!({
                "name": "示例甲公司",
                "contact_phone": "138****5678",
                "personnel": [{"name": "张三", "phone": "0571-****0001"}],
                "hotel": "不是电话",
                "id_number": "110***********1234",
                "count": 3
            })
        );
    }
}
