//! Holiday arrangements loaded at run time. A year stored here replaces the shipped one, so a new
//! year's notice takes effect without a release (issue #4).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use safeduty_core::calendar::{ArrangementDiff, Calendar, YearArrangement};
use sqlx::Row;

use crate::audit::{self, Entry, Event, Who};
use crate::{Store, StoreError, now_text};

/// Where a year's arrangement came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NoticeIdentity {
    /// Document number, e.g. 国办发明电〔2024〕12号, when the text shows it.
    pub document_number: Option<String>,
    /// Date the notice was signed.
    pub dated: Option<NaiveDate>,
    /// What was loaded (file name, or `pasted`).
    pub source: String,
}

/// The effective calendar: the shipped arrangements, each year replaced by a stored one if any.
///
/// # Errors
/// [`StoreError::Database`], [`StoreError::Corrupt`] for a stored day that is not a date.
pub async fn effective(store: &Store) -> Result<Calendar, StoreError> {
    let mut cal = Calendar::shipped();
    for (year, arrangement) in stored(store).await? {
        cal.set_year(year, arrangement);
    }
    Ok(cal)
}

async fn stored(store: &Store) -> Result<Vec<(i32, YearArrangement)>, StoreError> {
    let rows = sqlx::query(
        "SELECT y.year, d.day, d.kind FROM calendar_years y \
         LEFT JOIN calendar_days d ON d.year = y.year ORDER BY y.year, d.day",
    )
    .fetch_all(store.reader())
    .await?;
    let mut out: Vec<(i32, YearArrangement)> = Vec::new();
    for r in rows {
        let year = i32::try_from(r.try_get::<i64, _>("year")?)
            .map_err(|_| StoreError::Corrupt("calendar year".into()))?;
        if out.last().is_none_or(|(y, _)| *y != year) {
            out.push((year, YearArrangement::default()));
        }
        let entry = &mut out.last_mut().expect("pushed above").1;
        let (Some(day), Some(kind)) = (
            r.try_get::<Option<String>, _>("day")?,
            r.try_get::<Option<String>, _>("kind")?,
        ) else {
            continue;
        };
        let day: NaiveDate = day
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("calendar day {day:?}")))?;
        match kind.as_str() {
            "off" => entry.days_off.insert(day),
            "work" => entry.make_up_days.insert(day),
            other => return Err(StoreError::Corrupt(format!("calendar day kind {other:?}"))),
        };
    }
    Ok(out)
}

/// A year loaded at run time, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedYear {
    /// The year.
    pub year: i32,
    /// Its notice.
    pub identity: NoticeIdentity,
    /// When it was loaded (UTC instant, stored form).
    pub loaded_at: String,
}

/// The years loaded at run time, by year.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn loaded_years(store: &Store) -> Result<Vec<LoadedYear>, StoreError> {
    let rows = sqlx::query(
        "SELECT year, document_number, dated, source, updated_at FROM calendar_years ORDER BY year",
    )
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(LoadedYear {
                year: i32::try_from(r.try_get::<i64, _>("year")?)
                    .map_err(|_| StoreError::Corrupt("calendar year".into()))?,
                identity: NoticeIdentity {
                    document_number: r.try_get("document_number")?,
                    dated: r
                        .try_get::<Option<String>, _>("dated")?
                        .and_then(|d| d.parse().ok()),
                    source: r.try_get("source")?,
                },
                loaded_at: r.try_get("updated_at")?,
            })
        })
        .collect()
}

/// What saving a year did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    /// The year was not known before.
    Added,
    /// The year was known and differs: it was replaced.
    Replaced(ArrangementDiff),
    /// The year was known with exactly these days: nothing was written.
    Unchanged,
}

fn dates_json(days: &BTreeSet<NaiveDate>) -> serde_json::Value {
    days.iter().map(ToString::to_string).collect()
}

/// Saves `arrangement` as the year `year`, replacing what the effective calendar had only when it
/// differs; audited with before and after.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn save_year(
    store: &Store,
    who: &Who,
    year: i32,
    arrangement: &YearArrangement,
    identity: &NoticeIdentity,
) -> Result<SaveOutcome, StoreError> {
    let current = effective(store).await?;
    let outcome = match current.year(year) {
        None => SaveOutcome::Added,
        Some(old) => {
            let diff = old.diff(arrangement);
            if diff.is_empty() {
                return Ok(SaveOutcome::Unchanged);
            }
            SaveOutcome::Replaced(diff)
        }
    };
    let now = now_text();
    let mut tx = store.write().await?;
    sqlx::query("DELETE FROM calendar_days WHERE year = $1")
        .bind(i64::from(year))
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM calendar_years WHERE year = $1")
        .bind(i64::from(year))
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO calendar_years (year, document_number, dated, source, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(i64::from(year))
    .bind(identity.document_number.clone())
    .bind(identity.dated.map(|d| d.to_string()))
    .bind(&identity.source)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    for (kind, days) in [
        ("off", &arrangement.days_off),
        ("work", &arrangement.make_up_days),
    ] {
        for day in days {
            sqlx::query(
                "INSERT INTO calendar_days (year, day, kind, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $4)",
            )
            .bind(i64::from(year))
            .bind(day.to_string())
            .bind(kind)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
    }
    // Deadlines that follow a working-day rule are recomputed with the new year at once.
    let mut new_calendar = current.clone();
    new_calendar.set_year(year, arrangement.clone());
    let recomputed = crate::findings::recompute_time_limits(&mut tx, &new_calendar).await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::CalendarYearLoaded,
            target_kind: crate::audit::Object::CalendarYear.into(),
            target_id: year.to_string(),
            before: current.year(year).map(|old| {
                serde_json::json!({"days_off": dates_json(&old.days_off), "make_up_days": dates_json(&old.make_up_days)})
            }),
            after: Some(serde_json::json!({
                "days_off": dates_json(&arrangement.days_off),
                "make_up_days": dates_json(&arrangement.make_up_days),
                "document_number": identity.document_number,
                "dated": identity.dated.map(|d| d.to_string()),
                "source": identity.source,
                "findings_recomputed": recomputed,
            })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(outcome)
}
