//! The roster of the enterprises in a scope, as export lines in the columns the import reads
//! (`safeduty_core::roster::Field::ALL`), so that an exported file imports back unchanged.
//! Filtered by scope in the query; phone numbers masked as [`Disclosure`] says; every export is
//! recorded in the audit trail.

use safeduty_core::personal::Disclosure;
use safeduty_core::policy::Scope;
use safeduty_core::roster::check::OTHER_INDUSTRY;
use safeduty_core::roster::{Field, Line};
use sqlx::Row;

use crate::audit::{self, Entry, Event, Who};
use crate::sql::Sql;
use crate::{Store, StoreError};

/// The enterprises inside `scope`, ordered by region path then credit code, one [`Line`] each,
/// and the export recorded in the audit trail (`roster_exported`, with the format, the count and
/// whether phones were masked).
///
/// The industry column holds the detail as the roster wrote it (机械制造), else the key industry
/// (blank for 其他 without detail, which the import keeps); the region its name, or its code when
/// another region has the same name (the import then needs the code).
///
/// # Errors
/// [`StoreError::Database`].
pub async fn export(
    store: &Store,
    who: &Who,
    scope: &Scope,
    disclosure: Disclosure,
    format: &str,
) -> Result<Vec<Line>, StoreError> {
    let mut sql = Sql::new(
        "SELECT e.uscc, e.name, e.industry, e.industry_detail, e.is_key, e.address, e.principal, \
         e.safety_manager, e.contact, e.phone, r.name AS region_name, r.code AS region_code, \
         (SELECT COUNT(*) FROM regions o WHERE o.name = r.name) AS same_name, \
         u.name AS unit_name \
         FROM enterprises e JOIN regions r ON r.id = e.region_id \
         LEFT JOIN units u ON u.id = e.supervising_unit_id \
         WHERE ",
    );
    sql.push_scope(scope).push(" ORDER BY r.path, e.uscc");
    let rows = sql.query().fetch_all(store.reader()).await?;
    let mut lines = Vec::with_capacity(rows.len());
    for r in &rows {
        let industry: String = r.try_get("industry")?;
        let detail: String = r.try_get("industry_detail")?;
        let region: String = if r.try_get::<i64, _>("same_name")? > 1 {
            r.try_get("region_code")?
        } else {
            r.try_get("region_name")?
        };
        let phone: String = r.try_get("phone")?;
        let value = |f: Field| -> Result<String, sqlx::Error> {
            Ok(match f {
                Field::Name => r.try_get("name")?,
                Field::Uscc => r.try_get("uscc")?,
                Field::Industry if !detail.is_empty() => detail.clone(),
                Field::Industry if industry == OTHER_INDUSTRY => String::new(),
                Field::Industry => industry.clone(),
                Field::Region => region.clone(),
                Field::Department => r
                    .try_get::<Option<String>, _>("unit_name")?
                    .unwrap_or_default(),
                Field::IsKey => if r.try_get::<i64, _>("is_key")? != 0 {
                    "是"
                } else {
                    "否"
                }
                .into(),
                Field::Address => r.try_get("address")?,
                Field::Principal => r.try_get("principal")?,
                Field::SafetyManager => r.try_get("safety_manager")?,
                Field::Contact => r.try_get("contact")?,
                Field::Phone => disclosure.show(&phone).into_owned(),
            })
        };
        let mut line: Line = Default::default();
        for (cell, f) in line.iter_mut().zip(Field::ALL) {
            *cell = value(f)?;
        }
        lines.push(line);
    }
    audit::record_alone(
        store,
        Entry {
            who,
            event: Event::RosterExported,
            target_kind: crate::audit::Object::Roster.into(),
            target_id: format.to_string(),
            before: None,
            after: Some(serde_json::json!({
                "format": format,
                "enterprises": lines.len(),
                "phones_masked": disclosure == Disclosure::Masked,
                "scope": scope,
            })),
            result: "ok",
        },
    )
    .await?;
    Ok(lines)
}
