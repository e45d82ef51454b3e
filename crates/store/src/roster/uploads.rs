//! Uploaded rosters waiting for their importer's confirmation (the web's upload → preview →
//! confirm); kept a day at most, one per user.

use sqlx::Row;

use crate::{Store, StoreError, new_public_id, now_text};

/// How long an upload waits for its confirmation.
const UPLOAD_TTL_HOURS: i64 = 24;

/// Keeps an uploaded roster until its importer confirms it; returns its id. Older uploads are
/// dropped.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn stage_upload(
    store: &Store,
    user_id: i64,
    file_name: &str,
    bytes: &[u8],
) -> Result<String, StoreError> {
    let id = new_public_id();
    let now = now_text();
    let cutoff = (chrono::Utc::now() - chrono::Duration::hours(UPLOAD_TTL_HOURS))
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string();
    let mut tx = store.write().await?;
    sqlx::query("DELETE FROM roster_uploads WHERE created_at < $1 OR user_id = $2")
        .bind(&cutoff)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO roster_uploads (id, user_id, file_name, content_hex, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(file_name)
    .bind(hex::encode(bytes))
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The upload `id` of `user_id`: its file name and bytes.
///
/// # Errors
/// [`StoreError::NotFound`] when there is none (expired, confirmed, or someone else's).
pub async fn staged_upload(
    store: &Store,
    user_id: i64,
    id: &str,
) -> Result<(String, Vec<u8>), StoreError> {
    if !crate::is_public_id(id) {
        return Err(StoreError::NotFound);
    }
    let row = sqlx::query(
        "SELECT file_name, content_hex FROM roster_uploads WHERE id = $1 AND user_id = $2",
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(store.reader())
    .await?
    .ok_or(StoreError::NotFound)?;
    let hex_text: String = row.try_get("content_hex")?;
    let bytes =
        hex::decode(hex_text).map_err(|e| StoreError::Corrupt(format!("roster upload: {e}")))?;
    Ok((row.try_get("file_name")?, bytes))
}

/// Drops an upload (after it was imported).
///
/// # Errors
/// [`StoreError::Database`].
pub async fn discard_upload(store: &Store, id: &str) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    sqlx::query("DELETE FROM roster_uploads WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
