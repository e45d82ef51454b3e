//! Who may act: the powers each unit holds, the officers' enforcement certificates, and the
//! region's enforcement settings (the words of document numbers, the bodies named in the
//! remedies sentence, the yearly cap of inspections).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use safeduty_core::policy::UnitKind;
use sqlx::Row;

use super::date;
use crate::audit::{self, Entry, Event, Object, Who};
use crate::{Store, StoreError, now_text};

/// An officer's enforcement certificate (执法证).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CertificateRow {
    /// Certificate number.
    pub number: String,
    /// First valid day.
    pub valid_from: NaiveDate,
    /// Last valid day.
    pub valid_until: NaiveDate,
}

/// A unit officer's account with its certificate, if one is recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OfficerRow {
    /// Account id.
    pub user_id: i64,
    /// Name shown.
    pub name: String,
    /// Whether the account is disabled.
    pub disabled: bool,
    /// The certificate.
    pub certificate: Option<CertificateRow>,
}

/// The unit officers of `unit_id`, in account order, with their certificates.
///
/// # Errors
/// Database errors.
pub async fn officers_of_unit(store: &Store, unit_id: i64) -> Result<Vec<OfficerRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT u.id, u.display_name, u.disabled, c.number, c.valid_from, c.valid_until \
         FROM users u LEFT JOIN officer_certificates c ON c.user_id = u.id \
         WHERE u.unit_id = $1 AND u.role = 'unit_officer' ORDER BY u.id",
    )
    .bind(unit_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            let number: Option<String> = r.try_get("number")?;
            Ok(OfficerRow {
                user_id: r.try_get("id")?,
                name: r.try_get("display_name")?,
                disabled: r.try_get::<i64, _>("disabled")? != 0,
                certificate: match number {
                    Some(number) => Some(CertificateRow {
                        number,
                        valid_from: date(r, "valid_from")?,
                        valid_until: date(r, "valid_until")?,
                    }),
                    None => None,
                },
            })
        })
        .collect()
}

/// Records (or replaces) the certificate of officer `user_id`; audited with before and after.
///
/// # Errors
/// Database errors.
pub async fn set_certificate(
    store: &Store,
    who: &Who,
    user_id: i64,
    cert: &CertificateRow,
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    let before = sqlx::query(
        "SELECT number, valid_from, valid_until FROM officer_certificates WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(&mut *tx)
    .await?
    .map(|r| -> Result<serde_json::Value, StoreError> {
        Ok(serde_json::json!({
            "number": r.try_get::<String, _>("number")?,
            "valid_from": r.try_get::<String, _>("valid_from")?,
            "valid_until": r.try_get::<String, _>("valid_until")?,
        }))
    })
    .transpose()?;
    let now = now_text();
    sqlx::query(
        "INSERT INTO officer_certificates (user_id, number, valid_from, valid_until, set_by, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) \
         ON CONFLICT (user_id) DO UPDATE SET number = $2, valid_from = $3, valid_until = $4, \
         set_by = $5, updated_at = $6",
    )
    .bind(user_id)
    .bind(&cert.number)
    .bind(cert.valid_from.to_string())
    .bind(cert.valid_until.to_string())
    .bind(who.user_id)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::CertificateSet,
            target_kind: Object::OfficerCertificate.into(),
            target_id: user_id.to_string(),
            before,
            after: Some(serde_json::to_value(cert).unwrap_or_default()),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The powers recorded for `unit_id` (core `Power` codes), `None` when the unit holds its
/// kind's defaults.
///
/// # Errors
/// Database errors.
pub async fn unit_powers(store: &Store, unit_id: i64) -> Result<Option<Vec<String>>, StoreError> {
    let powers: Option<String> =
        sqlx::query_scalar("SELECT powers FROM unit_powers WHERE unit_id = $1")
            .bind(unit_id)
            .fetch_optional(store.reader())
            .await?;
    Ok(powers.map(|p| split_codes(&p)))
}

fn split_codes(s: &str) -> Vec<String> {
    s.split(',')
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

/// Sets the powers of `unit_id` (core `Power` codes); audited with before and after.
///
/// # Errors
/// Database errors.
pub async fn set_unit_powers(
    store: &Store,
    who: &Who,
    unit_id: i64,
    codes: &[&str],
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    let before: Option<String> =
        sqlx::query_scalar("SELECT powers FROM unit_powers WHERE unit_id = $1")
            .bind(unit_id)
            .fetch_optional(&mut *tx)
            .await?;
    let joined = codes.join(",");
    let now = now_text();
    sqlx::query(
        "INSERT INTO unit_powers (unit_id, powers, set_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4) \
         ON CONFLICT (unit_id) DO UPDATE SET powers = $2, set_by = $3, updated_at = $4",
    )
    .bind(unit_id)
    .bind(&joined)
    .bind(who.user_id)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::UnitPowersSet,
            target_kind: Object::UnitPowers.into(),
            target_id: unit_id.to_string(),
            before: before.map(|b| serde_json::json!({ "powers": split_codes(&b) })),
            after: Some(serde_json::json!({ "powers": codes })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A region's enforcement settings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Settings {
    /// The region they were set for.
    pub region_id: i64,
    /// Short name of the region in document numbers (the 青 of （青）应急检记〔2024〕12号).
    pub region_short: String,
    /// Kind word per document kind code (core `DocumentKind` codes).
    pub kind_words: BTreeMap<String, String>,
    /// The body named for administrative reconsideration (复议机关).
    pub reconsideration_body: String,
    /// The court named for litigation.
    pub court: String,
    /// Inspections of one enterprise per inspecting unit and year, re-inspections not counted.
    pub yearly_cap: u32,
    /// Fines on a person at or above this amount (yuan) offer a hearing; `None`: the shipped
    /// rule in force.
    pub hearing_threshold_person: Option<u32>,
    /// Fines on a unit at or above this amount (yuan) offer a hearing; `None`: the shipped rule.
    pub hearing_threshold_unit: Option<u32>,
}

/// The settings in force for a region: those set for the deepest region on its path (a town
/// uses its district's), `None` when no region on the path has any.
///
/// # Errors
/// Database errors; [`StoreError::Corrupt`] for unreadable kind words.
pub async fn settings_for(
    store: &Store,
    region_path: &str,
) -> Result<Option<Settings>, StoreError> {
    let row = sqlx::query(
        "SELECT s.region_id, s.region_short, s.kind_words, s.reconsideration_body, s.court, \
         s.yearly_cap, s.hearing_threshold_person, s.hearing_threshold_unit \
         FROM enforcement_settings s JOIN regions r ON r.id = s.region_id \
         WHERE substr($1, 1, length(r.path)) = r.path ORDER BY length(r.path) DESC LIMIT 1",
    )
    .bind(region_path)
    .fetch_optional(store.reader())
    .await?;
    row.map(|r| {
        let words: String = r.try_get("kind_words")?;
        Ok(Settings {
            region_id: r.try_get("region_id")?,
            region_short: r.try_get("region_short")?,
            kind_words: serde_json::from_str(&words)
                .map_err(|e| StoreError::Corrupt(format!("kind_words: {e}")))?,
            reconsideration_body: r.try_get("reconsideration_body")?,
            court: r.try_get("court")?,
            yearly_cap: u32::try_from(r.try_get::<i64, _>("yearly_cap")?)
                .map_err(|_| StoreError::Corrupt("yearly_cap".into()))?,
            hearing_threshold_person: amount(&r, "hearing_threshold_person")?,
            hearing_threshold_unit: amount(&r, "hearing_threshold_unit")?,
        })
    })
    .transpose()
}

fn amount(r: &sqlx::any::AnyRow, column: &str) -> Result<Option<u32>, StoreError> {
    r.try_get::<Option<i64>, _>(column)?
        .map(|v| u32::try_from(v).map_err(|_| StoreError::Corrupt(column.into())))
        .transpose()
}

/// Sets the settings of `s.region_id`; audited with before and after.
///
/// # Errors
/// Database errors.
pub async fn set_settings(store: &Store, who: &Who, s: &Settings) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    let before: Option<String> = sqlx::query_scalar(
        "SELECT region_short || '|' || kind_words || '|' || reconsideration_body || '|' || court \
         || '|' || CAST(yearly_cap AS TEXT) || '|' \
         || COALESCE(CAST(hearing_threshold_person AS TEXT), '') || '|' \
         || COALESCE(CAST(hearing_threshold_unit AS TEXT), '') \
         FROM enforcement_settings WHERE region_id = $1",
    )
    .bind(s.region_id)
    .fetch_optional(&mut *tx)
    .await?;
    let words = serde_json::to_string(&s.kind_words).unwrap_or_default();
    let now = now_text();
    sqlx::query(
        "INSERT INTO enforcement_settings (region_id, region_short, kind_words, \
         reconsideration_body, court, yearly_cap, set_by, created_at, updated_at, \
         hearing_threshold_person, hearing_threshold_unit) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10) ON CONFLICT (region_id) DO UPDATE SET \
         region_short = $2, kind_words = $3, reconsideration_body = $4, court = $5, \
         yearly_cap = $6, set_by = $7, updated_at = $8, hearing_threshold_person = $9, \
         hearing_threshold_unit = $10",
    )
    .bind(s.region_id)
    .bind(&s.region_short)
    .bind(&words)
    .bind(&s.reconsideration_body)
    .bind(&s.court)
    .bind(i64::from(s.yearly_cap))
    .bind(who.user_id)
    .bind(&now)
    .bind(s.hearing_threshold_person.map(i64::from))
    .bind(s.hearing_threshold_unit.map(i64::from))
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::EnforcementSettingsSet,
            target_kind: Object::EnforcementSettings.into(),
            target_id: s.region_id.to_string(),
            before: before.map(|b| serde_json::json!({ "settings": b })),
            after: Some(serde_json::to_value(s).unwrap_or_default()),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A supervising unit with what decides its enforcement: kind, region and recorded powers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnitInfo {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: UnitKind,
    /// Its region's name.
    pub region_name: String,
    /// Its region's materialized path.
    pub region_path: String,
    /// Powers recorded by the committee office (core `Power` codes); `None`: its kind's defaults.
    pub powers: Option<Vec<String>>,
}

const UNIT_SELECT: &str = "SELECT u.id, u.name, u.kind, r.name AS region_name, r.path, p.powers \
    FROM units u JOIN regions r ON r.id = u.region_id LEFT JOIN unit_powers p ON p.unit_id = u.id";

fn unit_from_row(r: &sqlx::any::AnyRow) -> Result<UnitInfo, StoreError> {
    let kind: String = r.try_get("kind")?;
    let powers: Option<String> = r.try_get("powers")?;
    Ok(UnitInfo {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        kind: UnitKind::from_code(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("unit kind {kind:?}")))?,
        region_name: r.try_get("region_name")?,
        region_path: r.try_get("path")?,
        powers: powers.map(|p| split_codes(&p)),
    })
}

/// One unit.
///
/// # Errors
/// [`StoreError::NotFound`]; database errors.
pub async fn unit(store: &Store, id: i64) -> Result<UnitInfo, StoreError> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{UNIT_SELECT} WHERE u.id = $1"
    )))
    .bind(id)
    .fetch_optional(store.reader())
    .await?
    .ok_or(StoreError::NotFound)?;
    unit_from_row(&r)
}

/// The towns and departments whose region lies in the subtree of `region_path` (committee
/// offices excluded), by name then id.
///
/// # Errors
/// Database errors.
pub async fn units_under(store: &Store, region_path: &str) -> Result<Vec<UnitInfo>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{UNIT_SELECT} WHERE u.kind <> 'committee_office' \
         AND substr(r.path, 1, length($1)) = $1 ORDER BY u.kind DESC, u.name, u.id"
    )))
    .bind(region_path)
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(unit_from_row).collect()
}
