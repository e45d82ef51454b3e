//! Account security state: the failed-login counters and locks (per typed name and client
//! address), forced password change, password
//! history, and ending every session of a user (GB/T 22239-2019 level 3, 身份鉴别).

use chrono::{DateTime, Utc};
use safeduty_core::identity::FailureCounter;
use sqlx::Row;

use crate::audit::{self, Entry, Event, Who};
use crate::{Store, StoreError, now_text};

use crate::instant;

fn parse_instant(s: Option<String>) -> Option<DateTime<Utc>> {
    s.and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// The key failed logins are counted under for a typed user name: trimmed, lower case, at most
/// 64 characters (what a login accepts), so that `Admin` and `admin ` share a counter; control
/// characters written as escapes (`\u{0}`), since PostgreSQL keeps no NUL in text.
pub fn name_key(typed: &str) -> String {
    typed
        .trim()
        .to_lowercase()
        .chars()
        .take(64)
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect()
}

/// The failed-login counter of the typed name `name` from `client_addr` (`None`: unknown
/// address); a fresh counter when there is none.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn failures(
    store: &Store,
    name: &str,
    client_addr: Option<&str>,
) -> Result<FailureCounter, StoreError> {
    let r = sqlx::query(
        "SELECT failed_count, window_start, locked_until, locks FROM login_failures \
         WHERE name_key = $1 AND client_addr = $2",
    )
    .bind(name_key(name))
    .bind(client_addr.unwrap_or_default())
    .fetch_optional(store.reader())
    .await?;
    let Some(r) = r else {
        return Ok(FailureCounter::default());
    };
    let count = |c: &str| -> Result<u32, StoreError> {
        Ok(u32::try_from(r.try_get::<i64, _>(c)?).unwrap_or(u32::MAX))
    };
    Ok(FailureCounter {
        count: count("failed_count")?,
        window_start: parse_instant(r.try_get("window_start")?),
        locked_until: parse_instant(r.try_get("locked_until")?),
        locks: count("locks")?,
    })
}

/// Counters untouched for this long are deleted when another failure is stored (bounds the
/// table under a flood of made-up names; the longest lock is a day).
const KEEP_COUNTERS_DAYS: i64 = 7;

/// Stores the counter of `name` from `client_addr` after a failure; when `locks` it also
/// records the lock in the audit trail (target: the typed name, so that a name that names
/// nobody is recorded like a real one).
///
/// # Errors
/// [`StoreError::Database`].
pub async fn record_failure(
    store: &Store,
    who: &Who,
    name: &str,
    counter: &FailureCounter,
    locks: bool,
) -> Result<(), StoreError> {
    let now = now_text();
    let stale = instant(Utc::now() - chrono::Duration::days(KEEP_COUNTERS_DAYS));
    let mut tx = store.write().await?;
    sqlx::query("DELETE FROM login_failures WHERE updated_at < $1")
        .bind(stale)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO login_failures (name_key, client_addr, failed_count, window_start, \
         locked_until, locks, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
         ON CONFLICT (name_key, client_addr) DO UPDATE SET failed_count = $3, \
         window_start = $4, locked_until = $5, locks = $6, updated_at = $7",
    )
    .bind(name_key(name))
    .bind(who.client_addr.clone().unwrap_or_default())
    .bind(i64::from(counter.count))
    .bind(counter.window_start.map(instant))
    .bind(counter.locked_until.map(instant))
    .bind(i64::from(counter.locks))
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    if locks {
        audit::record(
            &mut tx,
            Entry {
                who,
                event: Event::AccountLocked,
                target_kind: crate::audit::Object::User.into(),
                target_id: name_key(name)
                    .chars()
                    .flat_map(char::escape_default)
                    .collect(),
                before: None,
                after: Some(serde_json::json!({
                    "failures": counter.count,
                    "locked_until": counter.locked_until.map(instant),
                    "locks": counter.locks,
                })),
                result: "locked",
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Clears the counter of `name` from `client_addr` after a successful login (no write when
/// there is none).
///
/// # Errors
/// [`StoreError::Database`].
pub async fn clear_failures(
    store: &Store,
    name: &str,
    client_addr: Option<&str>,
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    sqlx::query("DELETE FROM login_failures WHERE name_key = $1 AND client_addr = $2")
        .bind(name_key(name))
        .bind(client_addr.unwrap_or_default())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The user's current password hash followed by up to `n - 1` earlier ones, newest first.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn recent_hashes(
    store: &Store,
    user_id: i64,
    n: usize,
) -> Result<Vec<String>, StoreError> {
    let current: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(store.reader())
        .await?
        .ok_or(StoreError::NotFound)?;
    let older: Vec<String> = sqlx::query_scalar(
        "SELECT password_hash FROM password_history WHERE user_id = $1 \
         ORDER BY created_at DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(i64::try_from(n.saturating_sub(1)).unwrap_or(0))
    .fetch_all(store.reader())
    .await?;
    Ok(std::iter::once(current).chain(older).collect())
}

/// Sets a new password hash: the old one goes to the history, the forced-change flag is cleared,
/// and every session of the user ends (the caller starts a fresh one). Audited without hashes.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn change_password(
    store: &Store,
    who: &Who,
    user_id: i64,
    new_hash: &str,
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    let ended = set_password_in(&mut tx, user_id, new_hash, false).await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::PasswordChanged,
            target_kind: crate::audit::Object::User.into(),
            target_id: user_id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "sessions_ended": ended })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets `new_hash` inside `tx`: the old hash goes to the history (the last-5 rule), every session
/// of the user ends. By an administrator (`reset`), the user must change it at next login and the
/// locks of its name (from every address) are cleared; by the user, the forced-change flag is cleared. Returns the sessions ended.
///
/// # Errors
/// [`StoreError::Database`].
pub(crate) async fn set_password_in(
    tx: &mut crate::Tx,
    user_id: i64,
    new_hash: &str,
    reset: bool,
) -> Result<u64, StoreError> {
    let now = now_text();
    sqlx::query(
        "INSERT INTO password_history (user_id, password_hash, created_at, updated_at) \
         SELECT id, password_hash, $1, $1 FROM users WHERE id = $2",
    )
    .bind(&now)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    let set = if reset {
        // The locks of the name, from every address, go with the old password.
        sqlx::query(
            "DELETE FROM login_failures WHERE name_key = \
             (SELECT LOWER(username) FROM users WHERE id = $1)",
        )
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
        "must_change_password = 1"
    } else {
        "must_change_password = 0"
    };
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE users SET password_hash = $1, {set}, updated_at = $2 WHERE id = $3"
    )))
    .bind(new_hash)
    .bind(&now)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    crate::sessions::end_all_in(tx, user_id).await
}

/// Requires a new password at the user's next request (after an administrator's reset, or for an
/// account handed over with a first password); audited.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn require_password_change(
    store: &Store,
    who: &Who,
    user_id: i64,
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    sqlx::query("UPDATE users SET must_change_password = 1, updated_at = $1 WHERE id = $2")
        .bind(now_text())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::PasswordChangeRequired,
            target_kind: crate::audit::Object::User.into(),
            target_id: user_id.to_string(),
            before: None,
            after: None,
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The user's TOTP state: the confirmed secret, the secret being enrolled, and the last time
/// step a code was accepted for (a code is good once).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Totp {
    /// Confirmed secret.
    pub secret: Option<Vec<u8>>,
    /// Secret shown for enrollment, not yet confirmed by a code.
    pub pending: Option<Vec<u8>>,
    /// Last accepted time step.
    pub last_step: Option<i64>,
}

/// The user's TOTP state.
///
/// # Errors
/// [`StoreError::NotFound`], [`StoreError::Corrupt`] for a secret that is not hex.
pub async fn totp(store: &Store, user_id: i64) -> Result<Totp, StoreError> {
    let r = sqlx::query(
        "SELECT totp_secret, totp_pending_secret, totp_last_step FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_optional(store.reader())
    .await?
    .ok_or(StoreError::NotFound)?;
    let bytes = |s: Option<String>| {
        s.map(|s| hex::decode(s).map_err(|e| StoreError::Corrupt(format!("totp secret: {e}"))))
            .transpose()
    };
    Ok(Totp {
        secret: bytes(r.try_get("totp_secret")?)?,
        pending: bytes(r.try_get("totp_pending_secret")?)?,
        last_step: r.try_get("totp_last_step")?,
    })
}

/// Keeps `secret` as the one being enrolled (shown to the user, not yet in force). Not audited:
/// nothing is in force until [`confirm_totp`].
///
/// # Errors
/// [`StoreError::Database`].
pub async fn set_pending_totp(
    store: &Store,
    user_id: i64,
    secret: &[u8],
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    sqlx::query("UPDATE users SET totp_pending_secret = $1, updated_at = $2 WHERE id = $3")
        .bind(hex::encode(secret))
        .bind(now_text())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Puts the enrolled secret in force after the user typed a good code for it (at `step`), and
/// ends every session of the user (privileges change: the caller starts a fresh one). Audited.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn confirm_totp(
    store: &Store,
    who: &Who,
    user_id: i64,
    step: i64,
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    sqlx::query(
        "UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, \
         totp_last_step = $1, updated_at = $2 WHERE id = $3 AND totp_pending_secret IS NOT NULL",
    )
    .bind(step)
    .bind(now_text())
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    let ended = crate::sessions::end_all_in(&mut tx, user_id).await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::SecondFactorEnrolled,
            target_kind: crate::audit::Object::User.into(),
            target_id: user_id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "method": "totp", "sessions_ended": ended })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records that a code was accepted for `step`, so that it is not accepted again. Only a later
/// step is stored (two nodes accepting codes concurrently cannot move it back).
///
/// # Errors
/// [`StoreError::Database`].
pub async fn use_totp_step(store: &Store, user_id: i64, step: i64) -> Result<bool, StoreError> {
    let mut tx = store.write().await?;
    let n = sqlx::query(
        "UPDATE users SET totp_last_step = $1, updated_at = $2 \
         WHERE id = $3 AND (totp_last_step IS NULL OR totp_last_step < $1)",
    )
    .bind(step)
    .bind(now_text())
    .bind(user_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(n == 1)
}
