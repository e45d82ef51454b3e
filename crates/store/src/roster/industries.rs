//! The committee office's industry table: detailed industry names (机械制造, 餐饮…) mapped to the
//! eight key industries, seeded with the 工贸 sub-industries and the eight names themselves.

use crate::audit::{self, Entry, Event, Who};
use crate::{Store, StoreError, now_text};

use super::industry_table_on;

/// The committee office's industry table: detailed name → key industry.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn industry_table(store: &Store) -> Result<Vec<(String, String)>, StoreError> {
    let mut conn = store.reader().acquire().await?;
    industry_table_on(&mut conn).await
}

/// Adds or changes an entry of the industry table; audited. `industry` must be one of the eight
/// key industries or 其他.
///
/// # Errors
/// [`StoreError::Conflict`] for an unknown key industry or an empty name.
pub async fn set_industry_alias(
    store: &Store,
    who: &Who,
    alias: &str,
    industry: &str,
) -> Result<(), StoreError> {
    use safeduty_core::roster::check::{KEY_INDUSTRIES, OTHER_INDUSTRY};
    let alias = safeduty_core::roster::clean::text(alias);
    if alias.is_empty() {
        return Err(StoreError::Conflict("行业名称为空".into()));
    }
    if !KEY_INDUSTRIES.contains(&industry) && industry != OTHER_INDUSTRY {
        return Err(StoreError::Conflict(format!(
            "“{industry}”不是八大行业之一"
        )));
    }
    let mut tx = store.write().await?;
    let before: Option<String> =
        sqlx::query_scalar("SELECT industry FROM industry_aliases WHERE alias = $1")
            .bind(&alias)
            .fetch_optional(&mut *tx)
            .await?;
    let now = now_text();
    sqlx::query(
        "INSERT INTO industry_aliases (alias, industry, created_at, updated_at) \
         VALUES ($1, $2, $3, $3) ON CONFLICT (alias) DO UPDATE SET industry = $2, updated_at = $3",
    )
    .bind(&alias)
    .bind(industry)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: if before.is_some() {
                Event::Updated
            } else {
                Event::Created
            },
            target_kind: crate::audit::Object::IndustryAlias.into(),
            target_id: alias.clone(),
            before: before.map(|b| serde_json::json!({ "industry": b })),
            after: Some(serde_json::json!({ "industry": industry })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
