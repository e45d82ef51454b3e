//! An enterprise's profile (identity from the roster, the fields the enterprise keeps itself) and
//! its safety management personnel. Every change is audited with its state before and after, in
//! the same transaction; a removed person keeps the row (with `removed_at`) so that what they
//! signed still names them. Callers check the policy first; rules are `core::personnel`.

use chrono::NaiveDate;
use safeduty_core::personnel::{Employment, Institution, Person, Profile};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Entry, Event, Who};
use crate::{Store, StoreError, Tx, new_public_id, now_text};

/// The profile fields an enterprise keeps itself, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnFields {
    /// 主要负责人.
    pub principal: String,
    /// Safety institution set up or not.
    pub institution: Institution,
    /// Its name.
    pub institution_name: String,
}

/// The profile fields of enterprise `enterprise_id`.
///
/// # Errors
/// [`StoreError::NotFound`] when there is no such enterprise.
pub async fn own_fields(store: &Store, enterprise_id: i64) -> Result<OwnFields, StoreError> {
    let row = sqlx::query(
        "SELECT principal, safety_institution, safety_institution_name FROM enterprises \
         WHERE id = $1",
    )
    .bind(enterprise_id)
    .fetch_optional(store.reader())
    .await?
    .ok_or(StoreError::NotFound)?;
    own_from_row(&row)
}

fn own_from_row(r: &AnyRow) -> Result<OwnFields, StoreError> {
    Ok(OwnFields {
        principal: r.try_get("principal")?,
        institution: Institution::from_code(&r.try_get::<String, _>("safety_institution")?),
        institution_name: r.try_get("safety_institution_name")?,
    })
}

/// Writes the enterprise's own profile fields; audited (`updated`, target `enterprise_profile`,
/// before and after). Writing the same values again changes and records nothing.
///
/// # Errors
/// [`StoreError::NotFound`], database errors.
pub async fn update_profile(
    store: &Store,
    who: &Who,
    enterprise_id: i64,
    enterprise_public_id: &str,
    p: &Profile,
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    let row = sqlx::query(
        "SELECT principal, safety_institution, safety_institution_name FROM enterprises \
         WHERE id = $1",
    )
    .bind(enterprise_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    let before = own_from_row(&row)?;
    let after = OwnFields {
        principal: p.principal.clone(),
        institution: p.institution,
        institution_name: p.institution_name.clone(),
    };
    if before == after {
        return Ok(());
    }
    sqlx::query(
        "UPDATE enterprises SET principal = $1, safety_institution = $2, \
         safety_institution_name = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(&after.principal)
    .bind(after.institution.code())
    .bind(&after.institution_name)
    .bind(now_text())
    .bind(enterprise_id)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::Updated,
            target_kind: crate::audit::Object::EnterpriseProfile.into(),
            target_id: enterprise_public_id.to_string(),
            before: serde_json::to_value(&before).ok(),
            after: serde_json::to_value(&after).ok(),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A safety manager as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Personnel {
    /// Internal id.
    #[serde(skip)]
    pub id: i64,
    /// Public id, used in URLs.
    pub public_id: String,
    /// The enterprise's id.
    #[serde(skip)]
    pub enterprise_id: i64,
    /// The checked fields.
    #[serde(flatten)]
    pub person: Person,
    /// When removed (no longer a safety manager), if so.
    pub removed_at: Option<String>,
}

const PERSONNEL_SELECT: &str = "SELECT id, public_id, enterprise_id, name, employment, \
    registered_engineer, engineer_cert_no, assessment_cert_no, assessment_valid_until, \
    appointed_on, phone, removed_at FROM personnel";

fn date(r: &AnyRow, col: &str) -> Result<Option<NaiveDate>, StoreError> {
    r.try_get::<Option<String>, _>(col)?
        .map(|s| {
            s.parse()
                .map_err(|_| StoreError::Corrupt(format!("bad date {s:?} in personnel.{col}")))
        })
        .transpose()
}

fn personnel_from_row(r: &AnyRow) -> Result<Personnel, StoreError> {
    let code: String = r.try_get("employment")?;
    let employment = Employment::from_code(&code)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown employment {code:?}")))?;
    Ok(Personnel {
        id: r.try_get("id")?,
        public_id: r.try_get("public_id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        person: Person {
            name: r.try_get("name")?,
            employment,
            registered_engineer: r.try_get::<i64, _>("registered_engineer")? != 0,
            engineer_cert_no: r.try_get("engineer_cert_no")?,
            assessment_cert_no: r.try_get("assessment_cert_no")?,
            assessment_valid_until: date(r, "assessment_valid_until")?,
            appointed_on: date(r, "appointed_on")?,
            phone: r.try_get("phone")?,
        },
        removed_at: r.try_get("removed_at")?,
    })
}

/// The current (not removed) safety managers of an enterprise, in the order they were added.
///
/// # Errors
/// Database errors.
pub async fn list(store: &Store, enterprise_id: i64) -> Result<Vec<Personnel>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{PERSONNEL_SELECT} WHERE enterprise_id = $1 AND removed_at IS NULL ORDER BY id"
    )))
    .bind(enterprise_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(personnel_from_row).collect()
}

/// The safety manager with `public_id` of enterprise `enterprise_id` (removed or not). Another
/// enterprise's person is [`StoreError::NotFound`], as is a malformed id.
///
/// # Errors
/// [`StoreError::NotFound`], database errors.
pub async fn get(
    store: &Store,
    enterprise_id: i64,
    public_id: &str,
) -> Result<Personnel, StoreError> {
    fetch(store.reader(), enterprise_id, public_id).await
}

async fn fetch<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    ex: E,
    enterprise_id: i64,
    public_id: &str,
) -> Result<Personnel, StoreError> {
    if !crate::is_public_id(public_id) {
        return Err(StoreError::NotFound);
    }
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{PERSONNEL_SELECT} WHERE public_id = $1 AND enterprise_id = $2"
    )))
    .bind(public_id)
    .bind(enterprise_id)
    .fetch_optional(ex)
    .await?
    .ok_or(StoreError::NotFound)?;
    personnel_from_row(&row)
}

/// Adds a safety manager inside `tx`; audited (`created`, target `personnel`). Returns the public id.
///
/// # Errors
/// Database errors.
pub async fn add_in(
    tx: &mut Tx,
    who: &Who,
    enterprise_id: i64,
    p: &Person,
) -> Result<String, StoreError> {
    let public_id = new_public_id();
    let now = now_text();
    sqlx::query(
        "INSERT INTO personnel (public_id, enterprise_id, name, employment, registered_engineer, \
         engineer_cert_no, assessment_cert_no, assessment_valid_until, appointed_on, phone, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
    )
    .bind(&public_id)
    .bind(enterprise_id)
    .bind(&p.name)
    .bind(p.employment.code())
    .bind(i64::from(p.registered_engineer))
    .bind(&p.engineer_cert_no)
    .bind(&p.assessment_cert_no)
    .bind(p.assessment_valid_until.map(|d| d.to_string()))
    .bind(p.appointed_on.map(|d| d.to_string()))
    .bind(&p.phone)
    .bind(&now)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        Entry {
            who,
            event: Event::Created,
            target_kind: crate::audit::Object::Personnel.into(),
            target_id: public_id.clone(),
            before: None,
            after: serde_json::to_value(p).ok(),
            result: "ok",
        },
    )
    .await?;
    Ok(public_id)
}

/// Adds a safety manager; audited. Returns the public id.
///
/// # Errors
/// Database errors.
pub async fn add(
    store: &Store,
    who: &Who,
    enterprise_id: i64,
    p: &Person,
) -> Result<String, StoreError> {
    let mut tx = store.write().await?;
    let id = add_in(&mut tx, who, enterprise_id, p).await?;
    tx.commit().await?;
    Ok(id)
}

/// Replaces the fields of a current safety manager of `enterprise_id`; audited (`updated`,
/// before and after). The same values again change and record nothing.
///
/// # Errors
/// [`StoreError::NotFound`] for a person of another enterprise or one removed; database errors.
pub async fn update(
    store: &Store,
    who: &Who,
    enterprise_id: i64,
    public_id: &str,
    p: &Person,
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    let before = fetch(&mut *tx, enterprise_id, public_id).await?;
    if before.removed_at.is_some() {
        return Err(StoreError::NotFound);
    }
    if before.person == *p {
        return Ok(());
    }
    let n = sqlx::query(
        "UPDATE personnel SET name = $1, employment = $2, registered_engineer = $3, \
         engineer_cert_no = $4, assessment_cert_no = $5, assessment_valid_until = $6, \
         appointed_on = $7, phone = $8, updated_at = $9 \
         WHERE public_id = $10 AND enterprise_id = $11 AND removed_at IS NULL",
    )
    .bind(&p.name)
    .bind(p.employment.code())
    .bind(i64::from(p.registered_engineer))
    .bind(&p.engineer_cert_no)
    .bind(&p.assessment_cert_no)
    .bind(p.assessment_valid_until.map(|d| d.to_string()))
    .bind(p.appointed_on.map(|d| d.to_string()))
    .bind(&p.phone)
    .bind(now_text())
    .bind(public_id)
    .bind(enterprise_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::Updated,
            target_kind: crate::audit::Object::Personnel.into(),
            target_id: public_id.to_string(),
            before: serde_json::to_value(&before.person).ok(),
            after: serde_json::to_value(p).ok(),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Marks a current safety manager as removed; audited (`updated`, after carries `removed_at`).
///
/// # Errors
/// [`StoreError::NotFound`] for a person of another enterprise or one already removed.
pub async fn remove(
    store: &Store,
    who: &Who,
    enterprise_id: i64,
    public_id: &str,
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    let before = fetch(&mut *tx, enterprise_id, public_id).await?;
    let now = now_text();
    let n = sqlx::query(
        "UPDATE personnel SET removed_at = $1, updated_at = $1 \
         WHERE public_id = $2 AND enterprise_id = $3 AND removed_at IS NULL",
    )
    .bind(&now)
    .bind(public_id)
    .bind(enterprise_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::Updated,
            target_kind: crate::audit::Object::Personnel.into(),
            target_id: public_id.to_string(),
            before: serde_json::to_value(&before.person).ok(),
            after: Some(serde_json::json!({ "removed_at": now })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
