//! Findings (问题隐患): the ledger of problems found, with their time limits; the ledger's
//! filtered lists in [`ledger`], the loop's transitions and history in [`flow`].

pub(crate) mod demo;
pub mod flow;
pub mod ledger;

use chrono::NaiveDate;
use safeduty_core::finding::ledger::{Category, FiveImplementations, Grade, Source};
use safeduty_core::finding::lifecycle::{Facts, Status};
use safeduty_core::policy::Scope;
use serde::Serialize;
use sqlx::Row;

use crate::audit::{self, Entry, Event, Who};
use crate::sql::Sql;
use crate::{Store, StoreError, Tx, new_public_id, now_text};

/// A finding to open.
#[derive(Debug, Clone)]
pub struct NewFindingRow {
    /// Campaign.
    pub campaign_id: i64,
    /// Enterprise.
    pub enterprise_id: i64,
    /// Where it came from.
    pub source: Source,
    /// The self-inspection that found it, if any.
    pub self_inspection_id: Option<i64>,
    /// The check item it concerns, if any.
    pub item_number: Option<u32>,
    /// Duty problem or accident hazard.
    pub category: Category,
    /// General or major.
    pub grade: Grade,
    /// Where on site.
    pub location: String,
    /// What is wrong.
    pub description: String,
    /// Civil date it was opened.
    pub opened_on: NaiveDate,
    /// Time limit (civil date, inclusive).
    pub due_on: NaiveDate,
    /// The rule `due_on` was computed by: N working days after `opened_on`.
    pub time_limit_working_days: Option<u32>,
    /// The client's token of the request, so that a second identical request opens nothing.
    pub open_token: Option<String>,
}

impl NewFindingRow {
    /// A finding of a self-inspection's 不符合 item `f` (a general duty problem), opened on
    /// `opened_on` with a limit of `working_days` working days.
    pub fn from_self_inspection(
        (campaign_id, enterprise_id, self_inspection_id): (i64, i64, i64),
        f: safeduty_core::self_inspection::NewFinding,
        opened_on: NaiveDate,
        working_days: u32,
    ) -> NewFindingRow {
        NewFindingRow {
            campaign_id,
            enterprise_id,
            source: Source::SelfInspection,
            self_inspection_id: Some(self_inspection_id),
            item_number: Some(f.item),
            category: Category::Problem,
            grade: Grade::General,
            location: String::new(),
            description: f.description,
            opened_on,
            due_on: f.due.date,
            time_limit_working_days: Some(working_days),
            open_token: None,
        }
    }
}

/// Opens a finding inside `tx` with its first history row; audited. Returns its public id.
///
/// # Errors
/// [`StoreError::Conflict`] when the self-inspection already opened a finding for the item, or
/// a finding with the same `open_token` exists.
pub async fn open(tx: &mut Tx, who: &Who, f: &NewFindingRow) -> Result<String, StoreError> {
    let (public_id, entry) = open_unaudited(tx, who, f).await?;
    audit::record(tx, entry).await?;
    Ok(public_id)
}

/// Opens a finding inside `tx` with its first history row, and returns its public id and the
/// audit record the caller must write in the same transaction (with others, in one
/// [`audit::record_many`]: a submission opening several findings takes the audit head once).
///
/// # Errors
/// As [`open`].
pub(crate) async fn open_unaudited<'w>(
    tx: &mut Tx,
    who: &'w Who,
    f: &NewFindingRow,
) -> Result<(String, Entry<'w>), StoreError> {
    let now = now_text();
    let public_id = new_public_id();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO findings (public_id, campaign_id, enterprise_id, source, self_inspection_id, \
         item_number, category, grade, description, status, opened_on, due_on, \
         time_limit_working_days, created_at, updated_at, location, opened_by_user_id, \
         open_token) VALUES ($1, $2, $3, $11, $4, $5, $12, $13, $6, 'open', $7, $8, $10, $9, $9, \
         $14, $15, $16) RETURNING id",
    )
    .bind(&public_id)
    .bind(f.campaign_id)
    .bind(f.enterprise_id)
    .bind(f.self_inspection_id)
    .bind(f.item_number.map(i64::from))
    .bind(&f.description)
    .bind(f.opened_on.to_string())
    .bind(f.due_on.to_string())
    .bind(&now)
    .bind(f.time_limit_working_days.map(i64::from))
    .bind(f.source.code())
    .bind(f.category.code())
    .bind(f.grade.code())
    .bind(&f.location)
    .bind(who.user_id)
    .bind(f.open_token.as_deref())
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| StoreError::from_write(e, "finding already opened"))?;
    let after = serde_json::json!({
        "enterprise_id": f.enterprise_id,
        "item": f.item_number,
        "source": f.source.code(),
        "category": f.category.code(),
        "grade": f.grade.code(),
        "location": f.location,
        "description": f.description,
        "due_on": f.due_on.to_string(),
    });
    flow::history(tx, who, id, "open", "", Status::Open, "", &after, None).await?;
    let entry = Entry {
        who,
        event: Event::FindingOpened,
        target_kind: crate::audit::Object::Finding.into(),
        target_id: public_id.clone(),
        before: None,
        after: Some(after),
        result: "ok",
    };
    Ok((public_id, entry))
}

/// A finding as the ledger shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Public identifier.
    pub public_id: String,
    /// Enterprise public id.
    pub enterprise_public_id: String,
    /// Enterprise name.
    pub enterprise_name: String,
    /// Name of the enterprise's region (town, subdistrict, zone).
    pub region_name: String,
    /// The linked check item (its number in the campaign's checklist), if any.
    pub item_number: Option<u32>,
    /// Where it came from.
    pub source: Source,
    /// Duty problem or accident hazard.
    pub category: Category,
    /// General or major.
    pub grade: Grade,
    /// Where on site (部位).
    pub location: String,
    /// What is wrong.
    pub description: String,
    /// Where it stands in its loop.
    pub status: Status,
    /// Opened on.
    pub opened_on: NaiveDate,
    /// Time limit.
    pub due_on: NaiveDate,
    /// The rule the limit follows (N working days after opening), until a person set a date.
    pub time_limit_working_days: Option<u32>,
    /// Day it was verified and closed out.
    pub closed_on: Option<NaiveDate>,
    /// Optimistic version: every change adds one; a change made against an older one is refused.
    pub version: i64,
    /// The rectification plan's five implementations, as far as given.
    pub plan: FiveImplementations,
    /// Temporary measures taken meanwhile (item 21).
    pub temporary_measures: String,
    /// Whether work is stopped meanwhile.
    pub stop_work: bool,
    /// A pending extension request: the limit asked for and why.
    pub pending_extension: Option<(NaiveDate, String)>,
    /// The close-out's verification opinion (验收意见), empty until closed.
    pub verification_opinion: String,
    /// Who checked on site at the close-out (核验人员), empty until closed.
    pub verifiers: String,
    /// A major finding's supervision (挂牌督办): the supervising unit's name and the day.
    pub supervision: Option<(String, NaiveDate)>,
    /// The reason of a downgrade to 一般 waiting for the committee office.
    pub pending_downgrade: Option<String>,
    /// Internal enterprise id, for policy checks.
    #[serde(skip)]
    pub enterprise_id: i64,
    /// Internal id: the ledger's unique sort tiebreak.
    #[serde(skip)]
    pub id: i64,
}

impl Finding {
    /// Whether the time limit was computed through a year whose holiday arrangement is not
    /// loaded (weekends only): shown as provisional until that year is loaded.
    pub fn is_provisional(&self, calendar: &safeduty_core::calendar::Calendar) -> bool {
        self.time_limit_working_days
            .is_some_and(|n| calendar.add_working_days(self.opened_on, n).provisional)
    }

    /// Overdue on `today` ([`safeduty_core::finding::is_overdue`]).
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        safeduty_core::finding::is_overdue(self.status.is_open(), self.due_on, today)
    }

    /// The facts the loop's guards read.
    pub fn facts(&self, campaign_end: Option<NaiveDate>) -> Facts {
        Facts {
            status: self.status,
            grade: self.grade,
            source: self.source,
            opened_on: self.opened_on,
            due_on: self.due_on,
            campaign_end,
            pending_extension: self.pending_extension.clone(),
            plan_missing: self.plan.missing(),
            supervised: self.supervision.is_some(),
            pending_downgrade: self.pending_downgrade.clone(),
        }
    }
}

/// [`safeduty_core::finding::is_overdue`] as a SQL condition over `f` (findings), with today's
/// civil date bound to the placeholder `today` ([`Sql::bind`]): every list, count and export of
/// overdue findings uses it.
pub(crate) fn overdue_condition(today: &str) -> String {
    format!("({OPEN_CONDITION} AND f.due_on < {today})")
}

/// [`Status::is_open`] as a SQL condition over `f` (findings).
pub(crate) const OPEN_CONDITION: &str = "f.status <> 'closed'";

/// Writes the findings a campaign's lists show into `sql`: its own, and those of earlier
/// campaigns still open — a finding stays with its enterprise until closed, into the next
/// campaign started from a new plan, neither copied nor lost (issue #14 point 7). Campaign ids
/// grow with their creation.
pub(crate) fn push_in_campaign(sql: &mut crate::sql::Sql, campaign_id: i64) {
    let c = sql.bind(campaign_id);
    sql.push(&format!(
        "(f.campaign_id = {c} OR (f.campaign_id < {c} AND {OPEN_CONDITION}))"
    ));
}

/// The columns of [`Finding`], from `findings f` joined with its enterprise `e` and region `r`.
pub(crate) const FINDING_SELECT: &str = "SELECT f.id, f.public_id, \
     e.public_id AS enterprise_public_id, e.name AS enterprise_name, r.name AS region_name, \
     f.enterprise_id, f.item_number, f.source, f.category, f.grade, f.location, f.description, \
     f.status, f.opened_on, f.due_on, f.time_limit_working_days, f.closed_on, f.version, \
     f.plan_responsible, f.plan_measures, f.plan_funds_fen, f.plan_time_limit, \
     f.plan_contingency, f.temporary_measures, f.stop_work, f.extension_due_on, \
     f.extension_reason, f.verification_opinion, f.verifiers, f.supervised_on, \
     su.name AS supervising_unit, f.downgrade_reason FROM findings f \
     JOIN enterprises e ON e.id = f.enterprise_id JOIN regions r ON r.id = e.region_id \
     LEFT JOIN units su ON su.id = f.supervising_unit_id";

pub(crate) fn date(s: &str) -> Result<NaiveDate, StoreError> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("date {s:?}")))
}

fn opt_date(s: Option<String>) -> Result<Option<NaiveDate>, StoreError> {
    s.filter(|s| !s.is_empty()).map(|s| date(&s)).transpose()
}

fn coded<T>(code: String, parse: fn(&str) -> Option<T>) -> Result<T, StoreError> {
    parse(&code).ok_or_else(|| StoreError::Corrupt(format!("code {code:?}")))
}

/// Reads a row of [`FINDING_SELECT`].
pub(crate) fn finding_from_row(r: &sqlx::any::AnyRow) -> Result<Finding, StoreError> {
    let small = |v: Option<i64>| v.and_then(|n| u32::try_from(n).ok());
    let extension = opt_date(r.try_get("extension_due_on")?)?;
    Ok(Finding {
        id: r.try_get("id")?,
        public_id: r.try_get("public_id")?,
        enterprise_public_id: r.try_get("enterprise_public_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        region_name: r.try_get("region_name")?,
        enterprise_id: r.try_get("enterprise_id")?,
        item_number: small(r.try_get("item_number")?),
        source: coded(r.try_get("source")?, Source::from_code)?,
        category: coded(r.try_get("category")?, Category::from_code)?,
        grade: coded(r.try_get("grade")?, Grade::from_code)?,
        location: r.try_get("location")?,
        description: r.try_get("description")?,
        status: coded(r.try_get("status")?, Status::from_code)?,
        opened_on: date(&r.try_get::<String, _>("opened_on")?)?,
        due_on: date(&r.try_get::<String, _>("due_on")?)?,
        time_limit_working_days: small(r.try_get("time_limit_working_days")?),
        closed_on: opt_date(r.try_get("closed_on")?)?,
        version: r.try_get("version")?,
        plan: FiveImplementations {
            responsible: r.try_get("plan_responsible")?,
            measures: r.try_get("plan_measures")?,
            funds_fen: r.try_get("plan_funds_fen")?,
            time_limit: opt_date(r.try_get("plan_time_limit")?)?,
            contingency_plan: r.try_get("plan_contingency")?,
        },
        temporary_measures: r.try_get("temporary_measures")?,
        stop_work: r.try_get::<i64, _>("stop_work")? != 0,
        pending_extension: match extension {
            Some(d) => Some((d, r.try_get("extension_reason")?)),
            None => None,
        },
        verification_opinion: r.try_get("verification_opinion")?,
        verifiers: r.try_get("verifiers")?,
        supervision: match (
            r.try_get::<Option<String>, _>("supervising_unit")?,
            opt_date(r.try_get("supervised_on")?)?,
        ) {
            (Some(unit), Some(on)) => Some((unit, on)),
            _ => None,
        },
        pending_downgrade: r.try_get("downgrade_reason")?,
    })
}

/// Findings of a campaign inside `scope` (with those of earlier campaigns still open,
/// [`push_in_campaign`]), optionally of one enterprise, ordered by time limit then id (stable
/// on both databases).
///
/// # Errors
/// [`StoreError::Database`], [`StoreError::Corrupt`].
pub async fn list(
    store: &Store,
    scope: &Scope,
    campaign_id: i64,
    enterprise_id: Option<i64>,
) -> Result<Vec<Finding>, StoreError> {
    let mut sql = Sql::new(FINDING_SELECT);
    sql.push(" WHERE ");
    push_in_campaign(&mut sql, campaign_id);
    let enterprise = sql.bind(enterprise_id.unwrap_or(0));
    sql.push(&format!(
        " AND ({enterprise} = 0 OR f.enterprise_id = {enterprise}) AND "
    ))
    .push_scope(scope)
    .push(" ORDER BY f.due_on, f.id");
    let rows = sql.query().fetch_all(store.reader()).await?;
    rows.iter().map(finding_from_row).collect()
}

/// One finding by public id, whatever the scope (the caller checks the policy on its
/// enterprise before showing it).
///
/// # Errors
/// [`StoreError::NotFound`], [`StoreError::Database`], [`StoreError::Corrupt`].
pub async fn get(store: &Store, public_id: &str) -> Result<Finding, StoreError> {
    if !crate::is_public_id(public_id) {
        return Err(StoreError::NotFound);
    }
    let sql = format!("{FINDING_SELECT} WHERE f.public_id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(public_id)
        .fetch_optional(store.reader())
        .await?
        .ok_or(StoreError::NotFound)?;
    finding_from_row(&row)
}

/// Recomputes the time limits that follow a rule (N working days after opening) with `calendar`,
/// for open findings, inside `tx`: after a year's holiday arrangement was loaded. Returns how many
/// changed.
///
/// # Errors
/// [`StoreError::Database`], [`StoreError::Corrupt`].
pub(crate) async fn recompute_time_limits(
    tx: &mut Tx,
    calendar: &safeduty_core::calendar::Calendar,
) -> Result<usize, StoreError> {
    let rows = sqlx::query(
        "SELECT id, opened_on, due_on, time_limit_working_days FROM findings \
         WHERE status <> 'closed' AND time_limit_working_days IS NOT NULL",
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut changed = 0;
    for r in rows {
        let opened = date(&r.try_get::<String, _>("opened_on")?)?;
        let due = date(&r.try_get::<String, _>("due_on")?)?;
        let n = u32::try_from(r.try_get::<i64, _>("time_limit_working_days")?)
            .map_err(|_| StoreError::Corrupt("time limit".into()))?;
        let new = calendar.add_working_days(opened, n).date;
        if new != due {
            sqlx::query(
                "UPDATE findings SET due_on = $1, updated_at = $2, version = version + 1 \
                 WHERE id = $3",
            )
            .bind(new.to_string())
            .bind(now_text())
            .bind(r.try_get::<i64, _>("id")?)
            .execute(&mut **tx)
            .await?;
            changed += 1;
        }
    }
    Ok(changed)
}
