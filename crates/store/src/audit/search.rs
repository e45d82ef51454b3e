//! Reading the audit trail for the audit administrator: search by time range, actor, event,
//! target and result, newest first, paged by sequence number (stable on both backends: `seq` is
//! unique and never reused). Nothing here, nor anywhere in the product, edits or deletes a record.

use sqlx::Row;

use crate::sql::Sql;
use crate::{Store, StoreError};

/// What to look for; every field given narrows the search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Records at or after this instant (UTC text, as stored: `2024-06-20T00:00:00.000000Z`).
    pub from: Option<String>,
    /// Records before this instant (UTC text).
    pub until: Option<String>,
    /// The acting user's user name (exact).
    pub actor: Option<String>,
    /// Event code ([`super::Event::code`]).
    pub event: Option<String>,
    /// Kind of target (`enterprise`, `user`, …).
    pub target_kind: Option<String>,
    /// Target identifier (exact).
    pub target_id: Option<String>,
    /// `ok`, `denied` or `failed`.
    pub result: Option<String>,
}

/// One record as read back, with the actor's name (kept readable after the account is disabled).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Sequence number, the record's id.
    pub seq: i64,
    /// Time (UTC text).
    pub at: String,
    /// The acting user's user name, if a user acted.
    pub actor_username: Option<String>,
    /// The acting user's display name.
    pub actor_name: Option<String>,
    /// Role code at the time (`system` for the product itself).
    pub actor_role: Option<String>,
    /// Client address.
    pub client_addr: Option<String>,
    /// Event code.
    pub event: String,
    /// Kind of target.
    pub target_kind: String,
    /// Target identifier.
    pub target_id: String,
    /// State before (JSON text).
    pub before: Option<String>,
    /// State after (JSON text).
    pub after: Option<String>,
    /// `ok`, `denied`, `failed`.
    pub result: String,
}

/// Writes the condition of `q` into `sql` (over `r`, the records).
fn push_filter(sql: &mut Sql, q: &Query) {
    let mut first = true;
    let mut add = |column_is: &str, value: &Option<String>, close: &str| {
        if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            if !first {
                sql.push(" AND ");
            }
            first = false;
            sql.push(column_is).push_bind(v).push(close);
        }
    };
    add("r.at >= ", &q.from, "");
    add("r.at < ", &q.until, "");
    add(
        "r.actor_user_id IN (SELECT id FROM users WHERE username = ",
        &q.actor,
        ")",
    );
    add("r.event = ", &q.event, "");
    add("r.target_kind = ", &q.target_kind, "");
    add("r.target_id = ", &q.target_id, "");
    add("r.result = ", &q.result, "");
    if first {
        sql.push("1 = 1");
    }
}

const COLUMNS: &str = "r.seq, r.at, u.username, u.display_name, r.actor_role, r.client_addr, \
     r.event, r.target_kind, r.target_id, r.before_state, r.after_state, r.result";

fn record(r: &sqlx::any::AnyRow) -> Result<Record, sqlx::Error> {
    Ok(Record {
        seq: r.try_get("seq")?,
        at: r.try_get("at")?,
        actor_username: r.try_get("username")?,
        actor_name: r.try_get("display_name")?,
        actor_role: r.try_get("actor_role")?,
        client_addr: r.try_get("client_addr")?,
        event: r.try_get("event")?,
        target_kind: r.try_get("target_kind")?,
        target_id: r.try_get("target_id")?,
        before: r.try_get("before_state")?,
        after: r.try_get("after_state")?,
        result: r.try_get("result")?,
    })
}

/// Runs `sql` and reads the records.
async fn fetch(store: &Store, sql: Sql) -> Result<Vec<Record>, StoreError> {
    let rows = sql.query().fetch_all(store.reader()).await?;
    Ok(rows.iter().map(record).collect::<Result<_, _>>()?)
}

/// One page of matches, newest first: at most `limit` records with a sequence number below
/// `before` (all when `None`). The next page starts below the last record's `seq`.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn page(
    store: &Store,
    q: &Query,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<Record>, StoreError> {
    let mut sql = Sql::new(&format!(
        "SELECT {COLUMNS} FROM audit_records r LEFT JOIN users u ON u.id = r.actor_user_id WHERE "
    ));
    push_filter(&mut sql, q);
    sql.push(" AND r.seq < ")
        .push_bind(before.unwrap_or(i64::MAX))
        .push(" ORDER BY r.seq DESC LIMIT ")
        .push_bind(limit);
    fetch(store, sql).await
}

/// Number of matches.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn count(store: &Store, q: &Query) -> Result<i64, StoreError> {
    let mut sql = Sql::new("SELECT COUNT(*) FROM audit_records r WHERE ");
    push_filter(&mut sql, q);
    Ok(sql.query_scalar().fetch_one(store.reader()).await?)
}

/// Every match, oldest first, for an export; at most `max` (the caller checks [`count`] first).
///
/// # Errors
/// [`StoreError::Database`].
pub async fn all(store: &Store, q: &Query, max: i64) -> Result<Vec<Record>, StoreError> {
    let mut sql = Sql::new(&format!(
        "SELECT {COLUMNS} FROM audit_records r LEFT JOIN users u ON u.id = r.actor_user_id WHERE "
    ));
    push_filter(&mut sql, q);
    sql.push(" ORDER BY r.seq LIMIT ").push_bind(max);
    fetch(store, sql).await
}
