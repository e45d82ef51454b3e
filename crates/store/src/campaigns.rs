//! Campaigns: a snapshot of a template, the items it checks, and the enterprises enrolled.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use safeduty_core::policy::Scope;
use safeduty_core::template::CampaignTemplate;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Entry, Event, Who};
use crate::{Store, StoreError, Tx, new_public_id, now_text};

/// A campaign with its template snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    /// Id.
    pub id: i64,
    /// Public identifier.
    pub public_id: String,
    /// Name shown, e.g. 2024年企业安全生产管理人员履职专项治理.
    pub name: String,
    /// Campaign year.
    pub year: i32,
    /// Region of the committee that runs it.
    pub region_id: i64,
    /// The template as it was when the campaign was created; later edits of the template file
    /// do not change a running campaign (shared: parsed once per campaign and store).
    pub template: Arc<CampaignTemplate>,
}

impl Campaign {
    /// Numbers of the campaign's check items, in document order.
    pub fn item_numbers(&self) -> Vec<u32> {
        self.template.all_items().iter().map(|i| i.number).collect()
    }
}

/// Creates a campaign from `template`, storing the snapshot and its items; audited.
///
/// # Errors
/// [`StoreError::Conflict`] when two items share a number; [`StoreError::Database`].
pub async fn create(
    tx: &mut Tx,
    who: &Who,
    name: &str,
    year: i32,
    region_id: i64,
    template: &CampaignTemplate,
) -> Result<Campaign, StoreError> {
    let now = now_text();
    let public_id = new_public_id();
    let json = serde_json::to_string(template)
        .map_err(|e| StoreError::Corrupt(format!("template does not serialize: {e}")))?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO campaigns (public_id, name, year, region_id, template, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(&public_id)
    .bind(name)
    .bind(i64::from(year))
    .bind(region_id)
    .bind(&json)
    .bind(&now)
    .fetch_one(&mut **tx)
    .await?;
    fn area_items<'a>(
        areas: &'a [safeduty_core::template::DutyArea],
        out: &mut Vec<(&'a str, &'a safeduty_core::template::CheckItem)>,
    ) {
        for a in areas {
            out.extend(a.items.iter().map(|i| (a.label.as_str(), i)));
            area_items(&a.areas, out);
        }
    }
    let mut items: Vec<(&str, &safeduty_core::template::CheckItem)> =
        template.items.iter().map(|i| ("", i)).collect();
    area_items(&template.areas, &mut items);
    for (area, item) in items {
        sqlx::query(
            "INSERT INTO campaign_items (campaign_id, number, area_label, text, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5)",
        )
        .bind(id)
        .bind(i64::from(item.number))
        .bind(area)
        .bind(&item.text)
        .bind(&now)
        .execute(&mut **tx)
        .await
        .map_err(|e| StoreError::from_write(e, "duplicate check item number"))?;
    }
    audit::record(
        tx,
        Entry {
            who,
            event: Event::CampaignCreated,
            target_kind: crate::audit::Object::Campaign.into(),
            target_id: public_id.clone(),
            before: None,
            after: Some(serde_json::json!({"name": name, "year": year, "region_id": region_id})),
            result: "ok",
        },
    )
    .await?;
    Ok(Campaign {
        id,
        public_id,
        name: name.into(),
        year,
        region_id,
        template: Arc::new(template.clone()),
    })
}

/// The parsed templates of the campaigns read so far, by campaign id. A campaign's template is
/// written once, when it is created, and never updated, so an entry never goes stale; there is
/// one campaign per region and year, so the map stays small.
#[derive(Debug, Clone, Default)]
pub(crate) struct TemplateCache(Arc<Mutex<HashMap<i64, Arc<CampaignTemplate>>>>);

impl TemplateCache {
    fn get(&self, id: i64) -> Option<Arc<CampaignTemplate>> {
        self.0.lock().ok().and_then(|m| m.get(&id).cloned())
    }

    fn parse_and_keep(&self, id: i64, json: &str) -> Result<Arc<CampaignTemplate>, StoreError> {
        let template: Arc<CampaignTemplate> = Arc::new(
            serde_json::from_str(json)
                .map_err(|e| StoreError::Corrupt(format!("campaign template: {e}")))?,
        );
        if let Ok(mut m) = self.0.lock() {
            m.insert(id, template.clone());
        }
        Ok(template)
    }
}

/// The campaign of a row read with [`SELECT`]'s columns (not the template's text): the template
/// comes from the cache, and is read and parsed only the first time (issue 19: neither read nor
/// parsed on every request).
async fn from_row(store: &Store, r: &AnyRow) -> Result<Campaign, StoreError> {
    let id: i64 = r.try_get("id")?;
    let template = match store.templates.get(id) {
        Some(t) => t,
        None => {
            let json: String = sqlx::query_scalar("SELECT template FROM campaigns WHERE id = $1")
                .bind(id)
                .fetch_one(store.reader())
                .await?;
            store.templates.parse_and_keep(id, &json)?
        }
    };
    Ok(Campaign {
        id,
        public_id: r.try_get("public_id")?,
        name: r.try_get("name")?,
        year: i32::try_from(r.try_get::<i64, _>("year")?)
            .map_err(|_| StoreError::Corrupt("campaign year".into()))?,
        region_id: r.try_get("region_id")?,
        template,
    })
}

const SELECT: &str = "SELECT id, public_id, name, year, region_id FROM campaigns";

/// The most recently created campaign, if any.
///
/// # Errors
/// [`StoreError::Database`], [`StoreError::Corrupt`].
pub async fn latest(store: &Store) -> Result<Option<Campaign>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} ORDER BY id DESC LIMIT 1"
    )))
    .fetch_optional(store.reader())
    .await?;
    match row {
        Some(r) => Ok(Some(from_row(store, &r).await?)),
        None => Ok(None),
    }
}

/// The running campaign of every region that has one (its most recent), oldest first: what the
/// reminders job walks, so that each district's units are reminded of their own campaign.
///
/// # Errors
/// [`StoreError::Database`], [`StoreError::Corrupt`].
pub async fn current_per_region(store: &Store) -> Result<Vec<Campaign>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE id IN (SELECT MAX(id) FROM campaigns GROUP BY region_id) ORDER BY id"
    )))
    .fetch_all(store.reader())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(from_row(store, r).await?);
    }
    Ok(out)
}

/// The campaign an actor works in: the most recent one whose region covers the actor's region
/// or lies inside it (a district's campaign for its towns, departments and enterprises; its
/// districts' campaigns for a city office). `None` for a scope that holds no region, so that a
/// deployment with several districts never shows one district the campaign of another.
///
/// # Errors
/// [`StoreError::Database`], [`StoreError::Corrupt`].
pub async fn current_for(store: &Store, scope: &Scope) -> Result<Option<Campaign>, StoreError> {
    let path: Option<String> = match scope {
        Scope::RegionSubtree { region_path } | Scope::Department { region_path, .. } => {
            Some(region_path.clone())
        }
        Scope::Enterprise { enterprise_id } => {
            sqlx::query_scalar(
                "SELECT r.path FROM enterprises e JOIN regions r ON r.id = e.region_id \
                 WHERE e.id = $1",
            )
            .bind(*enterprise_id)
            .fetch_optional(store.reader())
            .await?
        }
        Scope::Nothing => None,
    };
    let Some(path) = path else {
        return Ok(None);
    };
    let row = sqlx::query(
        "SELECT c.id, c.public_id, c.name, c.year, c.region_id \
         FROM campaigns c JOIN regions cr ON cr.id = c.region_id \
         WHERE substr($1, 1, length(cr.path)) = cr.path \
            OR substr(cr.path, 1, length($1)) = $1 \
         ORDER BY c.id DESC LIMIT 1",
    )
    .bind(&path)
    .fetch_optional(store.reader())
    .await?;
    match row {
        Some(r) => Ok(Some(from_row(store, &r).await?)),
        None => Ok(None),
    }
}

/// The campaign with this public id.
///
/// # Errors
/// [`StoreError::NotFound`] when there is none.
pub async fn by_public_id(store: &Store, public_id: &str) -> Result<Campaign, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE public_id = $1"
    )))
    .bind(public_id)
    .fetch_optional(store.reader())
    .await?
    .ok_or(StoreError::NotFound)?;
    from_row(store, &row).await
}

/// The campaign with internal id `id`.
///
/// # Errors
/// [`StoreError::NotFound`] when there is none.
pub async fn by_id(store: &Store, id: i64) -> Result<Campaign, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE id = $1")))
        .bind(id)
        .fetch_optional(store.reader())
        .await?
        .ok_or(StoreError::NotFound)?;
    from_row(store, &row).await
}

/// Enrols enterprises in a campaign (idempotent); audited as one record.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn enrol(
    tx: &mut Tx,
    who: &Who,
    campaign: &Campaign,
    enterprise_ids: &[i64],
) -> Result<(), StoreError> {
    let campaign_id = campaign.id;
    let now = now_text();
    // A few hundred rows a statement (a roster import enrols thousands at once).
    for ids in enterprise_ids.chunks(300) {
        let mut sql = crate::sql::Sql::new(
            "INSERT INTO enrolments (campaign_id, enterprise_id, created_at, updated_at) VALUES ",
        );
        let (campaign_p, now_p) = (sql.bind(campaign_id), sql.bind(now.as_str()));
        for (k, id) in ids.iter().enumerate() {
            sql.push(if k == 0 { "(" } else { ", (" })
                .push(&campaign_p)
                .push(", ")
                .push_bind(*id)
                .push(&format!(", {now_p}, {now_p})"));
        }
        sql.push(" ON CONFLICT (campaign_id, enterprise_id) DO NOTHING");
        sql.query().execute(&mut **tx).await?;
    }
    audit::record(
        tx,
        Entry {
            who,
            event: Event::Created,
            target_kind: crate::audit::Object::Enrolment.into(),
            target_id: campaign.public_id.clone(),
            before: None,
            after: Some(serde_json::json!({"enterprises": enterprise_ids.len()})),
            result: "ok",
        },
    )
    .await
}

/// Whether the enterprise is enrolled in the campaign.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn is_enrolled(
    store: &Store,
    campaign_id: i64,
    enterprise_id: i64,
) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM enrolments WHERE campaign_id = $1 AND enterprise_id = $2",
    )
    .bind(campaign_id)
    .bind(enterprise_id)
    .fetch_one(store.reader())
    .await?;
    Ok(n > 0)
}
