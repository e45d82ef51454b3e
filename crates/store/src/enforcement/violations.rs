//! The regions' violation libraries (违法行为库): the rows each committee office wrote for its
//! region (`violation_rows`) — rows of its own and overrides of shipped or inherited rows of the
//! same code, active or deactivated, never deleted — and the texts an inspection was recorded
//! with (`inspection_violations`). Which row is in effect where is the core's rule
//! (`safeduty_core::enforcement::violations::RegionLibrary`).

use safeduty_core::enforcement::violations::{Party, RegionRow, ViolationRow, ViolationText};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Entry, Event, Object, Who};
use crate::{Store, StoreError, Tx, now_text};

fn party(r: &AnyRow) -> Result<Party, StoreError> {
    let code: String = r.try_get("party")?;
    Party::from_code(&code).ok_or_else(|| StoreError::Corrupt(format!("party {code:?}")))
}

/// The rows written by the offices of the regions on `region_path` (the region itself and
/// those up the tree), nearest region first, then by code: what
/// `RegionLibrary::merge` takes.
///
/// # Errors
/// Database errors; [`StoreError::Corrupt`] for an unknown party code.
pub async fn rows_on_path(store: &Store, region_path: &str) -> Result<Vec<RegionRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT v.region_id, r.name AS region_name, v.code, v.behaviour, v.violated_article, \
         v.penalty_article, v.party, v.verified, v.source, v.active FROM violation_rows v \
         JOIN regions r ON r.id = v.region_id WHERE substr($1, 1, length(r.path)) = r.path \
         ORDER BY length(r.path) DESC, v.code",
    )
    .bind(region_path)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(RegionRow {
                region_id: r.try_get("region_id")?,
                region_name: r.try_get("region_name")?,
                row: ViolationRow {
                    code: r.try_get("code")?,
                    behaviour: r.try_get("behaviour")?,
                    violated: r.try_get("violated_article")?,
                    penalty: r.try_get("penalty_article")?,
                    party: party(r)?,
                    verified: r.try_get::<i64, _>("verified")? != 0,
                    source: r.try_get("source")?,
                },
                active: r.try_get::<i64, _>("active")? != 0,
            })
        })
        .collect()
}

/// What a change to a region's row is, for its audit record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A row of a code not in the library before.
    Added,
    /// A row's text changed (a shipped or inherited row: overridden by the region's row).
    Edited,
    /// A row can no longer be chosen.
    Deactivated,
    /// A deactivated row can be chosen again.
    Reactivated,
}

impl Change {
    fn event(self) -> Event {
        match self {
            Change::Added => Event::ViolationRowAdded,
            Change::Edited => Event::ViolationRowEdited,
            Change::Deactivated => Event::ViolationRowDeactivated,
            Change::Reactivated => Event::ViolationRowReactivated,
        }
    }
}

fn json(row: &ViolationRow, active: bool) -> serde_json::Value {
    let mut v = serde_json::to_value(row).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert("active".into(), active.into());
    }
    v
}

/// Writes `row` (active or not) as the row of its code for `region_id`, audited in the same
/// transaction with what was in effect before: the region's own row if it had one, else
/// `in_effect_before` (the shipped or inherited row it overrides; `None` for an added code).
/// [`Change::Added`] only inserts: a row of the code already written for the region is a
/// conflict and nothing is written.
///
/// # Errors
/// [`StoreError::Conflict`] for an added code the region already has; database errors.
pub async fn write(
    store: &Store,
    who: &Who,
    region_id: i64,
    row: &ViolationRow,
    active: bool,
    change: Change,
    in_effect_before: Option<(&ViolationRow, bool)>,
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    let own_before = sqlx::query(
        "SELECT code, behaviour, violated_article, penalty_article, party, verified, source, \
         active FROM violation_rows WHERE region_id = $1 AND code = $2",
    )
    .bind(region_id)
    .bind(&row.code)
    .fetch_optional(&mut *tx)
    .await?
    .map(|r| -> Result<serde_json::Value, StoreError> {
        let before = ViolationRow {
            code: r.try_get("code")?,
            behaviour: r.try_get("behaviour")?,
            violated: r.try_get("violated_article")?,
            penalty: r.try_get("penalty_article")?,
            party: party(&r)?,
            verified: r.try_get::<i64, _>("verified")? != 0,
            source: r.try_get("source")?,
        };
        Ok(json(&before, r.try_get::<i64, _>("active")? != 0))
    })
    .transpose()?;
    let now = now_text();
    let upsert = if change == Change::Added {
        ""
    } else {
        " ON CONFLICT (region_id, code) DO UPDATE SET behaviour = $3, violated_article = $4, \
         penalty_article = $5, party = $6, verified = $7, source = $8, active = $9, \
         updated_at = $10"
    };
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO violation_rows (region_id, code, behaviour, violated_article, \
         penalty_article, party, verified, source, active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10){upsert}"
    )))
    .bind(region_id)
    .bind(&row.code)
    .bind(&row.behaviour)
    .bind(&row.violated)
    .bind(&row.penalty)
    .bind(row.party.code())
    .bind(i64::from(row.verified))
    .bind(&row.source)
    .bind(i64::from(active))
    .bind(&now)
    .execute(&mut *tx)
    .await
    .map_err(|e| StoreError::from_write(e, "本辖区违法行为库已有该编号的条目"))?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: change.event(),
            target_kind: Object::ViolationRow.into(),
            target_id: format!("{region_id}:{}", row.code),
            before: own_before.or_else(|| in_effect_before.map(|(r, a)| json(r, a))),
            after: Some(json(row, active)),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Keeps the texts of `texts` as the suspected violations inspection `inspection_id` was
/// recorded with, inside the caller's transaction.
///
/// # Errors
/// Database errors (a code given twice is a unique violation).
pub(crate) async fn keep_texts(
    tx: &mut Tx,
    inspection_id: i64,
    texts: &[ViolationText],
) -> Result<(), StoreError> {
    let now = now_text();
    for t in texts {
        sqlx::query(
            "INSERT INTO inspection_violations (inspection_id, code, behaviour, \
             violated_article, penalty_article, party, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
        )
        .bind(inspection_id)
        .bind(&t.code)
        .bind(&t.behaviour)
        .bind(&t.violated)
        .bind(&t.penalty)
        .bind(t.party.code())
        .bind(&now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The texts inspection `inspection_id` was recorded with, by code (none for an inspection
/// recorded before they were kept).
///
/// # Errors
/// Database errors; [`StoreError::Corrupt`] for an unknown party code.
pub(crate) async fn texts_of(
    store: &Store,
    inspection_id: i64,
) -> Result<Vec<ViolationText>, StoreError> {
    let rows = sqlx::query(
        "SELECT code, behaviour, violated_article, penalty_article, party \
         FROM inspection_violations WHERE inspection_id = $1 ORDER BY code",
    )
    .bind(inspection_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ViolationText {
                code: r.try_get("code")?,
                behaviour: r.try_get("behaviour")?,
                violated: r.try_get("violated_article")?,
                penalty: r.try_get("penalty_article")?,
                party: party(r)?,
            })
        })
        .collect()
}
