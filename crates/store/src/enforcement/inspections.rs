//! On-site inspections (现场检查记录): the record with its officers, guests and item results,
//! and the findings its 不符合 items open in the one findings ledger (source `enforcement`).

use chrono::{Datelike, NaiveDate};
use safeduty_core::enforcement::violations::ViolationText;
use safeduty_core::policy::Scope;
use safeduty_core::refusal::Refusal;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{OfficerOnDuty, date};
use crate::audit::{self, Entry, Event, Object, Who};
use crate::findings::NewFindingRow;
use crate::sql::Sql;
use crate::{Store, StoreError, Tx, new_public_id, now_text};

/// An accompanying guest (expert, media): listed, never an inspecting officer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GuestRow {
    /// Name.
    pub name: String,
    /// Core `GuestKind` code.
    pub kind: String,
    /// Organisation.
    pub organisation: String,
}

/// A check item's result.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ItemRow {
    /// Check item number.
    pub item_number: u32,
    /// Core `self_inspection::Answer` code.
    pub answer: String,
    /// What was seen.
    pub note: String,
    /// Codes of suspected violations (violation library).
    pub violation_codes: Vec<String>,
    /// The finding it opened (public id), for a 不符合 item.
    pub finding_public_id: Option<String>,
}

/// An inspection to record.
#[derive(Debug, Clone)]
pub struct NewInspection {
    /// Campaign whose check items were used.
    pub campaign_id: i64,
    /// Inspecting unit (the issuer of the record's number).
    pub unit_id: i64,
    /// Enterprise inspected.
    pub enterprise_id: i64,
    /// Day of the inspection.
    pub inspected_on: NaiveDate,
    /// Start, `HH:MM`.
    pub start_time: String,
    /// End, `HH:MM`.
    pub end_time: String,
    /// Place.
    pub place: String,
    /// The enterprise's person present.
    pub person_present: String,
    /// Their position.
    pub person_present_title: String,
    /// Core `Notice` code (announced / unannounced).
    pub notice: String,
    /// Core `CapException` code when over the yearly cap, with its ground.
    pub cap_exception: Option<(String, String)>,
    /// The inspection plan's target it fulfils, if any.
    pub plan_target_id: Option<i64>,
    /// The acceptance (检查验收) it is the record of, if any: linked in the same transaction.
    pub acceptance_id: Option<i64>,
    /// 检查情况.
    pub summary: String,
    /// Inspecting officers (at least two, checked by the caller).
    pub officers: Vec<OfficerOnDuty>,
    /// Guests.
    pub guests: Vec<GuestRow>,
    /// Item results (`finding_public_id` ignored).
    pub items: Vec<ItemRow>,
    /// The text of each suspected violation the items name, once per code, as the library in
    /// effect has it today: kept with the inspection.
    pub violations: Vec<ViolationText>,
    /// The findings to open, one per 不符合 item (`item_number` set), source enforcement.
    pub findings: Vec<NewFindingRow>,
    /// The client's token: a second identical request records nothing and finds the first.
    pub request_token: Option<String>,
}

/// What [`record`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The inspection's public id.
    pub public_id: String,
    /// Year of its number.
    pub year: i32,
    /// Sequence of its number.
    pub seq: i64,
}

/// Inspections of `enterprise_id` by `unit_id` in `year` (re-inspections are another table and
/// never count), inside the caller's transaction.
///
/// # Errors
/// Database errors.
pub async fn count_in_year(
    tx: &mut Tx,
    unit_id: i64,
    enterprise_id: i64,
    year: i32,
) -> Result<u32, StoreError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM inspections WHERE unit_id = $1 AND enterprise_id = $2 AND year = $3",
    )
    .bind(unit_id)
    .bind(enterprise_id)
    .bind(i64::from(year))
    .fetch_one(&mut **tx)
    .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Records an inspection in one transaction: its number (the unit's inspection sequence of the
/// year), officers, guests, item results and the findings it opens, audited. `cap_check` is
/// given the unit's count of inspections of the enterprise that year before this one, inside the
/// transaction, and refuses when the yearly cap is reached without an exception. With a
/// `plan_target_id` the plan's target is marked fulfilled by it (`plans::fulfil`).
///
/// # Errors
/// [`StoreError::Refused`] from `cap_check` or for a target the inspection cannot fulfil
/// (nothing written); database errors.
pub async fn record(
    store: &Store,
    who: &Who,
    new: NewInspection,
    cap_check: impl FnOnce(u32) -> Result<(), Refusal>,
) -> Result<Recorded, StoreError> {
    if let Some(found) = by_token(store, new.request_token.as_deref()).await? {
        return Ok(found);
    }
    let year = new.inspected_on.year();
    let mut tx = store.write().await?;
    cap_check(count_in_year(&mut tx, new.unit_id, new.enterprise_id, year).await?)?;
    let seq = super::numbers::allocate(&mut tx, new.unit_id, "inspection", year).await?;
    let public_id = new_public_id();
    let now = now_text();
    let (exception, ground) = new
        .cap_exception
        .clone()
        .map_or((None, String::new()), |(e, g)| (Some(e), g));
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO inspections (public_id, campaign_id, unit_id, enterprise_id, year, seq, \
         inspected_on, start_time, end_time, place, person_present, person_present_title, notice, \
         cap_exception, cap_ground, plan_target_id, summary, recorded_by, request_token, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
         $14, $15, $16, $17, $18, $19, $20, $20) RETURNING id",
    )
    .bind(&public_id)
    .bind(new.campaign_id)
    .bind(new.unit_id)
    .bind(new.enterprise_id)
    .bind(i64::from(year))
    .bind(seq)
    .bind(new.inspected_on.to_string())
    .bind(&new.start_time)
    .bind(&new.end_time)
    .bind(&new.place)
    .bind(&new.person_present)
    .bind(&new.person_present_title)
    .bind(&new.notice)
    .bind(exception.as_deref())
    .bind(&ground)
    .bind(new.plan_target_id)
    .bind(&new.summary)
    .bind(who.user_id)
    .bind(new.request_token.as_deref())
    .bind(&now)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| StoreError::from_write(e, "该检查已记录"))?;
    insert_officers(
        &mut tx,
        "inspection_officers",
        "inspection_id",
        id,
        &new.officers,
    )
    .await?;
    for (k, g) in new.guests.iter().enumerate() {
        sqlx::query(
            "INSERT INTO inspection_guests (inspection_id, position, name, kind, organisation, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(id)
        .bind(i64::try_from(k).unwrap_or(i64::MAX))
        .bind(&g.name)
        .bind(&g.kind)
        .bind(&g.organisation)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    let mut opened = Vec::new();
    for f in &new.findings {
        let finding_public = crate::findings::open(&mut tx, who, f).await?;
        let finding_id: i64 = sqlx::query_scalar(
            "UPDATE findings SET inspection_id = $1 WHERE public_id = $2 RETURNING id",
        )
        .bind(id)
        .bind(&finding_public)
        .fetch_one(&mut *tx)
        .await?;
        opened.push((f.item_number, finding_id, finding_public));
    }
    for item in &new.items {
        let finding = opened
            .iter()
            .find(|(n, _, _)| *n == Some(item.item_number))
            .map(|(_, id, _)| *id);
        sqlx::query(
            "INSERT INTO inspection_items (inspection_id, item_number, answer, note, \
             violation_codes, finding_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
        )
        .bind(id)
        .bind(i64::from(item.item_number))
        .bind(&item.answer)
        .bind(&item.note)
        .bind(item.violation_codes.join(","))
        .bind(finding)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    super::violations::keep_texts(&mut tx, id, &new.violations).await?;
    if let Some(acceptance) = new.acceptance_id {
        super::acceptances::link_inspection(&mut tx, who, acceptance, id, new.inspected_on).await?;
    }
    if let Some(target) = new.plan_target_id {
        super::plans::fulfil(
            &mut tx,
            who,
            target,
            (id, &public_id),
            new.unit_id,
            new.enterprise_id,
        )
        .await?;
    }
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::InspectionRecorded,
            target_kind: Object::Inspection.into(),
            target_id: public_id.clone(),
            before: None,
            after: Some(serde_json::json!({
                "enterprise_id": new.enterprise_id,
                "unit_id": new.unit_id,
                "year": year,
                "seq": seq,
                "inspected_on": new.inspected_on.to_string(),
                "notice": new.notice,
                "cap_exception": exception,
                "cap_ground": ground,
                "officers": new.officers,
                "guests": new.guests,
                "nonconform_items": new.findings.iter().map(|f| f.item_number).collect::<Vec<_>>(),
                "violations": new.violations.iter().map(|v| &v.code).collect::<Vec<_>>(),
                "findings": opened.iter().map(|(_, _, p)| p).collect::<Vec<_>>(),
            })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Recorded {
        public_id,
        year,
        seq,
    })
}

async fn by_token(store: &Store, token: Option<&str>) -> Result<Option<Recorded>, StoreError> {
    let Some(token) = token else {
        return Ok(None);
    };
    let row = sqlx::query("SELECT public_id, year, seq FROM inspections WHERE request_token = $1")
        .bind(token)
        .fetch_optional(store.writer())
        .await?;
    row.map(|r| {
        Ok(Recorded {
            public_id: r.try_get("public_id")?,
            year: i32::try_from(r.try_get::<i64, _>("year")?)
                .map_err(|_| StoreError::Corrupt("year".into()))?,
            seq: r.try_get("seq")?,
        })
    })
    .transpose()
}

/// Inserts a document's officers, in order, into `table` keyed by `key` = `owner_id`.
pub(crate) async fn insert_officers(
    tx: &mut Tx,
    table: &str,
    key: &str,
    owner_id: i64,
    officers: &[OfficerOnDuty],
) -> Result<(), StoreError> {
    let now = now_text();
    for (k, o) in officers.iter().enumerate() {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO {table} ({key}, position, user_id, name, certificate_number, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)"
        )))
        .bind(owner_id)
        .bind(i64::try_from(k).unwrap_or(i64::MAX))
        .bind(o.user_id)
        .bind(&o.name)
        .bind(&o.certificate_number)
        .bind(&now)
        .execute(&mut **tx)
        .await
        .map_err(|e| StoreError::from_write(e, "同一执法人员不能重复列出"))?;
    }
    Ok(())
}

/// The officers of a document, in order.
pub(crate) async fn officers(
    store: &Store,
    table: &str,
    key: &str,
    owner_id: i64,
) -> Result<Vec<OfficerOnDuty>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT user_id, name, certificate_number FROM {table} WHERE {key} = $1 ORDER BY position"
    )))
    .bind(owner_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(OfficerOnDuty {
                user_id: r.try_get("user_id")?,
                name: r.try_get("name")?,
                certificate_number: r.try_get("certificate_number")?,
            })
        })
        .collect()
}

/// An inspection as listed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InspectionSummary {
    /// Internal id.
    #[serde(skip)]
    pub id: i64,
    /// Public id.
    pub public_id: String,
    /// Inspecting unit.
    #[serde(skip)]
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// The enterprise's internal id.
    #[serde(skip)]
    pub enterprise_id: i64,
    /// Enterprise name.
    pub enterprise_name: String,
    /// Enterprise USCC.
    pub enterprise_uscc: String,
    /// Year of the number.
    pub year: i32,
    /// Sequence of the number.
    pub seq: i64,
    /// Day inspected.
    pub inspected_on: NaiveDate,
    /// Core `Notice` code.
    pub notice: String,
    /// Items found 不符合.
    pub nonconform: i64,
    /// The order's status code, if an order was issued.
    pub order_status: Option<String>,
}

const SUMMARY_SELECT: &str = "SELECT i.id, i.public_id, i.unit_id, un.name AS unit_name, \
    i.enterprise_id, e.name AS enterprise_name, e.uscc, i.year, i.seq, i.inspected_on, i.notice, \
    (SELECT COUNT(*) FROM inspection_items it WHERE it.inspection_id = i.id \
     AND it.answer = 'non_conform') AS nonconform, o.status AS order_status \
    FROM inspections i JOIN units un ON un.id = i.unit_id \
    JOIN enterprises e ON e.id = i.enterprise_id JOIN regions r ON r.id = e.region_id \
    LEFT JOIN correction_orders o ON o.inspection_id = i.id";

fn summary_from_row(r: &AnyRow) -> Result<InspectionSummary, StoreError> {
    Ok(InspectionSummary {
        id: r.try_get("id")?,
        public_id: r.try_get("public_id")?,
        unit_id: r.try_get("unit_id")?,
        unit_name: r.try_get("unit_name")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        enterprise_uscc: r.try_get("uscc")?,
        year: i32::try_from(r.try_get::<i64, _>("year")?)
            .map_err(|_| StoreError::Corrupt("year".into()))?,
        seq: r.try_get("seq")?,
        inspected_on: date(r, "inspected_on")?,
        notice: r.try_get("notice")?,
        nonconform: r.try_get("nonconform")?,
        order_status: r.try_get("order_status")?,
    })
}

/// What to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// Only this unit's inspections.
    pub unit_id: Option<i64>,
    /// Only this enterprise's.
    pub enterprise_id: Option<i64>,
    /// Only those of this day.
    pub on: Option<NaiveDate>,
}

/// Inspections of enterprises inside `scope`, newest first (day, then id: stable on both
/// databases).
///
/// # Errors
/// Database errors.
pub async fn list(
    store: &Store,
    scope: &Scope,
    filter: ListFilter,
) -> Result<Vec<InspectionSummary>, StoreError> {
    let mut sql = Sql::new(SUMMARY_SELECT);
    sql.push(" WHERE ").push_scope(scope);
    if let Some(u) = filter.unit_id {
        sql.push(" AND i.unit_id = ").push_bind(u);
    }
    if let Some(e) = filter.enterprise_id {
        sql.push(" AND i.enterprise_id = ").push_bind(e);
    }
    if let Some(d) = filter.on {
        sql.push(" AND i.inspected_on = ").push_bind(d.to_string());
    }
    sql.push(" ORDER BY i.inspected_on DESC, i.id DESC");
    let rows = sql.query().fetch_all(store.reader()).await?;
    rows.iter().map(summary_from_row).collect()
}

/// An inspection with everything its record shows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Inspection {
    /// The listing's fields.
    #[serde(flatten)]
    pub summary: InspectionSummary,
    /// Campaign.
    #[serde(skip)]
    pub campaign_id: i64,
    /// Enterprise address.
    pub enterprise_address: String,
    /// Start `HH:MM`.
    pub start_time: String,
    /// End `HH:MM`.
    pub end_time: String,
    /// Place.
    pub place: String,
    /// The enterprise's person present.
    pub person_present: String,
    /// Their position.
    pub person_present_title: String,
    /// Cap exception code and ground.
    pub cap_exception: Option<(String, String)>,
    /// 检查情况.
    pub summary_text: String,
    /// Officers.
    pub officers: Vec<OfficerOnDuty>,
    /// Guests.
    pub guests: Vec<GuestRow>,
    /// Item results by number.
    pub items: Vec<ItemRow>,
    /// The texts of the suspected violations as recorded, by code (empty for an inspection
    /// recorded before they were kept: read those with the shipped library).
    pub violations: Vec<ViolationText>,
    /// Plan target fulfilled.
    #[serde(skip)]
    pub plan_target_id: Option<i64>,
}

/// One inspection by public id, whatever the scope (the caller checks the policy on its
/// enterprise).
///
/// # Errors
/// [`StoreError::NotFound`]; database errors.
pub async fn get(store: &Store, public_id: &str) -> Result<Inspection, StoreError> {
    let mut sql = Sql::new(SUMMARY_SELECT);
    sql.push(" WHERE i.public_id = ").push_bind(public_id);
    let r = sql
        .query()
        .fetch_optional(store.reader())
        .await?
        .ok_or(StoreError::NotFound)?;
    let summary = summary_from_row(&r)?;
    let d = sqlx::query(
        "SELECT i.campaign_id, e.address, i.start_time, i.end_time, i.place, i.person_present, \
         i.person_present_title, i.cap_exception, i.cap_ground, i.summary, i.plan_target_id \
         FROM inspections i JOIN enterprises e ON e.id = i.enterprise_id WHERE i.id = $1",
    )
    .bind(summary.id)
    .fetch_one(store.reader())
    .await?;
    let exception: Option<String> = d.try_get("cap_exception")?;
    let guests = sqlx::query(
        "SELECT name, kind, organisation FROM inspection_guests WHERE inspection_id = $1 \
         ORDER BY position",
    )
    .bind(summary.id)
    .fetch_all(store.reader())
    .await?
    .iter()
    .map(|r| {
        Ok(GuestRow {
            name: r.try_get("name")?,
            kind: r.try_get("kind")?,
            organisation: r.try_get("organisation")?,
        })
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    let items = sqlx::query(
        "SELECT it.item_number, it.answer, it.note, it.violation_codes, f.public_id \
         FROM inspection_items it LEFT JOIN findings f ON f.id = it.finding_id \
         WHERE it.inspection_id = $1 ORDER BY it.item_number",
    )
    .bind(summary.id)
    .fetch_all(store.reader())
    .await?
    .iter()
    .map(|r| {
        let codes: String = r.try_get("violation_codes")?;
        Ok(ItemRow {
            item_number: u32::try_from(r.try_get::<i64, _>("item_number")?)
                .map_err(|_| StoreError::Corrupt("item_number".into()))?,
            answer: r.try_get("answer")?,
            note: r.try_get("note")?,
            violation_codes: codes
                .split(',')
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
            finding_public_id: r.try_get("public_id")?,
        })
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(Inspection {
        officers: officers(store, "inspection_officers", "inspection_id", summary.id).await?,
        violations: super::violations::texts_of(store, summary.id).await?,
        campaign_id: d.try_get("campaign_id")?,
        enterprise_address: d.try_get("address")?,
        start_time: d.try_get("start_time")?,
        end_time: d.try_get("end_time")?,
        place: d.try_get("place")?,
        person_present: d.try_get("person_present")?,
        person_present_title: d.try_get("person_present_title")?,
        cap_exception: match exception {
            Some(e) => Some((e, d.try_get("cap_ground")?)),
            None => None,
        },
        summary_text: d.try_get("summary")?,
        plan_target_id: d.try_get("plan_target_id")?,
        guests,
        items,
        summary,
    })
}
