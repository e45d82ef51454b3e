//! The password and lockout policy the security administrator keeps: one row, read by every
//! login and password change; the built-in default (issue #5) until it is first set.

use safeduty_core::identity::SecurityPolicy;
use sqlx::Row;

use crate::audit::{self, Entry, Event, Who};
use crate::{Store, StoreError, now_text};

const COLUMNS: &str = "min_len, min_classes, history, max_failures, window_minutes, lock_minutes";

/// The policy in force.
///
/// # Errors
/// [`StoreError::Corrupt`] when the stored row is out of bounds; [`StoreError::Database`].
pub async fn current(store: &Store) -> Result<SecurityPolicy, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM security_policy WHERE id = 1"
    )))
    .fetch_optional(store.reader())
    .await?;
    let Some(r) = row else {
        return Ok(SecurityPolicy::default());
    };
    let mut v = [0i64; 6];
    for (i, x) in v.iter_mut().enumerate() {
        *x = r.try_get(i)?;
    }
    SecurityPolicy::from_settings(v)
        .map_err(|e| StoreError::Corrupt(format!("security policy: {}", e.join("; "))))
}

/// Puts `policy` in force; audited with the settings before and after.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn set(store: &Store, who: &Who, policy: &SecurityPolicy) -> Result<(), StoreError> {
    let before = current(store).await?;
    let v = policy.settings();
    let now = now_text();
    let mut tx = store.write().await?;
    let updated = sqlx::query(
        "UPDATE security_policy SET min_len = $1, min_classes = $2, history = $3, \
         max_failures = $4, window_minutes = $5, lock_minutes = $6, updated_at = $7 WHERE id = 1",
    )
    .bind(v[0])
    .bind(v[1])
    .bind(v[2])
    .bind(v[3])
    .bind(v[4])
    .bind(v[5])
    .bind(&now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated == 0 {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO security_policy (id, {COLUMNS}, created_at, updated_at) \
             VALUES (1, $1, $2, $3, $4, $5, $6, $7, $7)"
        )))
        .bind(v[0])
        .bind(v[1])
        .bind(v[2])
        .bind(v[3])
        .bind(v[4])
        .bind(v[5])
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    let json = |p: &SecurityPolicy| {
        let names = safeduty_core::identity::POLICY_BOUNDS.map(|b| b.0);
        serde_json::Value::Object(
            names
                .iter()
                .zip(p.settings())
                .map(|(n, x)| ((*n).to_string(), serde_json::json!(x)))
                .collect(),
        )
    };
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::SecurityPolicyChanged,
            target_kind: crate::audit::Object::SecurityPolicy.into(),
            target_id: "1".into(),
            before: Some(json(&before)),
            after: Some(json(policy)),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
