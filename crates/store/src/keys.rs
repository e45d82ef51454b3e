//! Search and sort keys of names, computed in Rust and stored beside the name, so that both
//! databases search and order alike whatever their collation:
//!
//! - the **search key** ([`fold`]): full-width ASCII folded to half-width, Traditional Chinese
//!   converted to Simplified (OpenCC `t2s`), letters lower-cased, runs of white space made one
//!   space. A query folded the same way is matched with `LIKE` ([`like_pattern`]): the same
//!   answer on SQLite and PostgreSQL, case-insensitive on both, and `东湖` finds `東湖`.
//! - the **pinyin key** ([`pinyin_key`]): each Chinese character as its toneless pinyin followed
//!   by its tone digit (`东湖` → `dong1hu2`), other letters and digits lower-cased, the rest
//!   dropped; only `[a-z0-9]`, which every collation orders as bytes. Lists and exports order
//!   towns and enterprises by it, then by their id.
//!
//! [`backfill`] fills the keys of rows written before migration 0033 (the migration adds the
//! columns empty; SQL cannot compute them).

use std::sync::OnceLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use pinyin::ToPinyin;
use sqlx::Row;

use crate::{Store, StoreError};

fn converter() -> &'static OpenCC {
    static CONVERTER: OnceLock<OpenCC> = OnceLock::new();
    CONVERTER.get_or_init(|| {
        OpenCC::from_config(BuiltinConfig::T2s)
            .expect("the embedded OpenCC t2s configuration loads")
    })
}

/// Folds `text` for searching: full-width ASCII (U+FF01–U+FF5E) and the ideographic space to
/// half-width, Traditional to Simplified, lower case, white space trimmed and collapsed.
pub fn fold(text: &str) -> String {
    let half: String = text
        .chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .collect();
    let simplified = converter().convert(&half);
    simplified
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The search key of an enterprise: its folded name and its folded USCC on two lines (a query
/// never spans both: [`like_pattern`] refuses nothing, but a line break is never typed).
pub fn enterprise_search_key(name: &str, uscc: &str) -> String {
    format!("{}\n{}", fold(name), fold(uscc))
}

/// The `LIKE` pattern finding `query` anywhere in a search key (`\` escapes `%`, `_` and
/// itself: use `LIKE … ESCAPE '\'`), or `None` for a query that folds to nothing.
pub fn like_pattern(query: &str) -> Option<String> {
    let folded = fold(query);
    if folded.is_empty() {
        return None;
    }
    let mut p = String::with_capacity(folded.len() + 2);
    p.push('%');
    for c in folded.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    Some(p)
}

/// The pinyin sort key of `name` (see the module's notes): `东湖街道` → `dong1hu2jie1dao4`.
/// Traditional characters are read as their Simplified forms first, so both spellings sort alike.
pub fn pinyin_key(name: &str) -> String {
    let simplified = converter().convert(name);
    let mut key = String::with_capacity(simplified.len() * 2);
    for (c, py) in simplified.chars().zip(simplified.as_str().to_pinyin()) {
        match py {
            Some(p) => key.push_str(p.with_tone_num_end()),
            None => {
                for l in c.to_lowercase() {
                    if l.is_ascii_alphanumeric() {
                        key.push(l);
                    } else if ('\u{ff10}'..='\u{ff5a}').contains(&l) {
                        // Full-width digits and letters sort as their half-width forms.
                        if let Some(h) =
                            char::from_u32(l as u32 - 0xfee0).filter(char::is_ascii_alphanumeric)
                        {
                            key.push(h.to_ascii_lowercase());
                        }
                    }
                }
            }
        }
    }
    key
}

/// Rows whose keys [`backfill`] fills per statement batch.
const BACKFILL_CHUNK: i64 = 500;

/// Fills the search and pinyin keys of enterprises and the pinyin keys of regions still empty
/// (rows written before migration 0033). Derived data, not a business change: no audit record.
///
/// # Errors
/// [`StoreError::Database`].
pub(crate) async fn backfill(store: &Store) -> Result<(), StoreError> {
    let mut filled = 0usize;
    loop {
        let rows = sqlx::query(
            "SELECT id, name, uscc FROM enterprises WHERE sort_key = '' ORDER BY id LIMIT $1",
        )
        .bind(BACKFILL_CHUNK)
        .fetch_all(store.writer())
        .await?;
        if rows.is_empty() {
            break;
        }
        let mut tx = store.write().await?;
        for r in &rows {
            let id: i64 = r.try_get("id")?;
            let name: String = r.try_get("name")?;
            let uscc: String = r.try_get("uscc")?;
            sqlx::query("UPDATE enterprises SET search_key = $1, sort_key = $2 WHERE id = $3")
                .bind(enterprise_search_key(&name, &uscc))
                .bind(stored_pinyin_key(&name))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        filled += rows.len();
    }
    let rows = sqlx::query("SELECT id, name FROM regions WHERE sort_key = ''")
        .fetch_all(store.writer())
        .await?;
    if !rows.is_empty() {
        let mut tx = store.write().await?;
        for r in &rows {
            let id: i64 = r.try_get("id")?;
            let name: String = r.try_get("name")?;
            sqlx::query("UPDATE regions SET sort_key = $1 WHERE id = $2")
                .bind(stored_pinyin_key(&name))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
    }
    if filled > 0 || !rows.is_empty() {
        tracing::info!(
            enterprises = filled,
            regions = rows.len(),
            "search and sort keys filled"
        );
    }
    Ok(())
}

/// [`pinyin_key`] as stored: never empty (`~` for a name with no letter, digit or Chinese
/// character), so that an empty column always means "not filled yet".
pub(crate) fn stored_pinyin_key(name: &str) -> String {
    let key = pinyin_key(name);
    if key.is_empty() { "~".into() } else { key }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_patterns() {
        assert_eq!(fold("  東湖　化工  有限公司 "), "东湖 化工 有限公司");
        assert_eq!(fold("９１４５０１０３ＡＢ"), "91450103ab");
        assert_eq!(
            enterprise_search_key("青秀區安達物流", "91450103MA5K"),
            "青秀区安达物流\n91450103ma5k"
        );
        assert_eq!(like_pattern("ma5k").as_deref(), Some("%ma5k%"));
        assert_eq!(like_pattern("50%_\\").as_deref(), Some("%50\\%\\_\\\\%"));
        assert_eq!(like_pattern(" 　 "), None);
    }

    #[test]
    fn pinyin_keys() {
        assert_eq!(pinyin_key("东湖街道"), "dong1hu2jie1dao4");
        assert_eq!(pinyin_key("東湖街道"), "dong1hu2jie1dao4");
        assert_eq!(pinyin_key("Ａ区（3号）"), "aqu13hao4");
        assert_eq!(stored_pinyin_key("（）"), "~");
        let mut names = vec!["南阳镇", "刘圩镇", "東湖街道", "伶俐镇"];
        names.sort_by_key(|n| pinyin_key(n));
        assert_eq!(names, vec!["東湖街道", "伶俐镇", "刘圩镇", "南阳镇"]);
    }
}
