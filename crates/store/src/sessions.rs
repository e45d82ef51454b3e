//! Login sessions, stored in the database so that app nodes stay stateless.
//!
//! The cookie carries a random token; only its SHA-256 is stored (`id_hash`), so a copy of the
//! database does not yield live sessions. Idle time-out and absolute lifetime are enforced here.

use chrono::{Duration, Utc};
use sqlx::Row;

use crate::{Store, StoreError, now_text};

/// A live session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The user.
    pub user_id: i64,
    /// The CSRF token forms and API clients must echo.
    pub csrf_token: String,
    /// The password was right but the second factor is still owed: the session may only
    /// answer the code (or log out).
    pub pending_second_factor: bool,
}

use crate::instant;

/// Stores a new session for `user_id` under `id_hash`, expiring after `lifetime`; with
/// `pending_second_factor` it is good only for answering the second factor.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn create(
    store: &Store,
    id_hash: &str,
    user_id: i64,
    csrf_token: &str,
    lifetime: Duration,
    pending_second_factor: bool,
) -> Result<(), StoreError> {
    let now = Utc::now();
    let mut tx = store.write().await?;
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, \
         updated_at, pending_second_factor) VALUES ($1, $2, $3, $4, $4, $5, $4, $6)",
    )
    .bind(id_hash)
    .bind(user_id)
    .bind(csrf_token)
    .bind(instant(now))
    .bind(instant(now + lifetime))
    .bind(i64::from(pending_second_factor))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The live session under `id_hash`: not past its absolute expiry and seen within `idle`.
/// Touches `last_seen_at` at most once a minute to keep writes rare.
///
/// # Errors
/// [`StoreError::NotFound`] when there is no live session.
pub async fn get(store: &Store, id_hash: &str, idle: Duration) -> Result<Session, StoreError> {
    let now = Utc::now();
    let row = sqlx::query(
        "SELECT user_id, csrf_token, last_seen_at, pending_second_factor FROM sessions \
         WHERE id_hash = $1 AND expires_at > $2 AND last_seen_at > $3",
    )
    .bind(id_hash)
    .bind(instant(now))
    .bind(instant(now - idle))
    .fetch_optional(store.reader())
    .await?
    .ok_or(StoreError::NotFound)?;
    let last_seen: String = row.try_get("last_seen_at")?;
    if last_seen < instant(now - Duration::minutes(1)) {
        let mut tx = store.write().await?;
        sqlx::query("UPDATE sessions SET last_seen_at = $1, updated_at = $1 WHERE id_hash = $2")
            .bind(now_text())
            .bind(id_hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(Session {
        user_id: row.try_get("user_id")?,
        csrf_token: row.try_get("csrf_token")?,
        pending_second_factor: row.try_get::<i64, _>("pending_second_factor")? != 0,
    })
}

/// Ends one session.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn delete(store: &Store, id_hash: &str) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Logs a user out everywhere: ends every session of `user_id` and records the logout, in one
/// transaction (issue #5: all sessions of a user end on logout).
///
/// # Errors
/// [`StoreError::Database`].
pub async fn log_out_everywhere(
    store: &Store,
    who: &crate::audit::Who,
    user_id: i64,
) -> Result<u64, StoreError> {
    let mut tx = store.write().await?;
    let ended = end_all_in(&mut tx, user_id).await?;
    crate::audit::record(
        &mut tx,
        crate::audit::Entry {
            who,
            event: crate::audit::Event::Logout,
            target_kind: crate::audit::Object::User.into(),
            target_id: user_id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "sessions_ended": ended })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(ended)
}

/// Ends every session of `user_id` inside `tx`; the number ended.
///
/// # Errors
/// [`StoreError::Database`].
pub(crate) async fn end_all_in(tx: &mut crate::Tx, user_id: i64) -> Result<u64, StoreError> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}
