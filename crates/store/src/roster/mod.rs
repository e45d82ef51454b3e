//! Roster import: what a roster would do to the store (preview), and doing it (apply) — every
//! accepted row or none, in one transaction, each created or changed enterprise with its audit
//! record, new enterprises enrolled in the latest campaign that covers their region.
//!
//! The rules (cleaning, validation, matching on the credit code) are `safeduty_core::roster`;
//! this module loads the reference data and the stored enterprises they need, and writes. Apply
//! recomputes the preview inside its transaction, so that it acts on the data as it is then; a
//! caller that showed a preview passes its fingerprint and gets a conflict if anything changed.

use std::collections::HashMap;

use safeduty_core::roster::check::{
    Change, Checked, DepartmentRef, Existing, Outcome, Record, Reference, RegionRef,
    candidate_codes, check_all, department_name, industry_shown, region_name,
};
use safeduty_core::roster::layout::{Layout, Skipped};
use safeduty_core::roster::{Field, Problem};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

use crate::audit::{self, Entry, Event, Who};
use crate::campaigns;
use crate::sql::Sql;
use crate::{Store, StoreError, new_public_id, now_text};

pub mod export;
mod industries;
mod uploads;

pub use industries::{industry_table, set_industry_alias};
pub use uploads::{discard_upload, stage_upload, staged_upload};

/// Whose import it is: which enterprises it may create or change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportScope {
    /// Path of the importer's region (a committee office's region, a territorial unit's town).
    pub region_path: String,
    /// An industry department's own unit: every row is supervised by it.
    pub department: Option<i64>,
}

impl ImportScope {
    /// The whole store (the command line, run by whoever runs the server).
    pub fn whole_store() -> ImportScope {
        ImportScope {
            region_path: "/".into(),
            department: None,
        }
    }

    /// The subtree of the region with this code.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when no region has it.
    pub async fn of_region_code(store: &Store, code: &str) -> Result<ImportScope, StoreError> {
        let path: Option<String> = sqlx::query_scalar("SELECT path FROM regions WHERE code = $1")
            .bind(code)
            .fetch_optional(store.reader())
            .await?;
        Ok(ImportScope {
            region_path: path.ok_or(StoreError::NotFound)?,
            department: None,
        })
    }
}

/// A column of the roster, as the preview lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnView {
    /// Letter.
    pub column: String,
    /// Header as written.
    pub header: String,
    /// The field it fills, `None` when not imported.
    pub field: Option<Field>,
}

/// A row that creates an enterprise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewRow {
    /// Row number.
    pub row: u32,
    /// Code.
    pub uscc: String,
    /// Name.
    pub name: String,
    /// Key industry (with the detail as written).
    pub industry: String,
    /// Region name.
    pub region: String,
    /// Supervising department name, empty for none.
    pub department: String,
}

/// A row that changes an enterprise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangedRow {
    /// Row number.
    pub row: u32,
    /// Code.
    pub uscc: String,
    /// Name after the import.
    pub name: String,
    /// The enterprise's public id.
    pub public_id: String,
    /// Field by field.
    pub changes: Vec<Change>,
}

/// A row that changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnchangedRow {
    /// Row number.
    pub row: u32,
    /// Code.
    pub uscc: String,
    /// Name.
    pub name: String,
}

/// A rejected row with every reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectedRow {
    /// Row number.
    pub row: u32,
    /// Code as cleaned, possibly empty.
    pub uscc: String,
    /// Name as cleaned, possibly empty.
    pub name: String,
    /// Column and reason of each problem.
    pub problems: Vec<Problem>,
}

/// What importing a roster would do (or did).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preview {
    /// Row number of the header (its upper row when it has two).
    pub header_row: u32,
    /// Row number of the header's last row (`header_row` unless the header has two rows).
    pub header_end: u32,
    /// Every header cell.
    pub columns: Vec<ColumnView>,
    /// Required columns the roster lacks (nothing is imported then).
    pub missing_columns: Vec<&'static str>,
    /// Rows that create enterprises.
    pub new: Vec<NewRow>,
    /// Rows that change enterprises.
    pub changed: Vec<ChangedRow>,
    /// Rows that change nothing.
    pub unchanged: Vec<UnchangedRow>,
    /// Rows not imported.
    pub rejected: Vec<RejectedRow>,
    /// Remarks on accepted rows.
    pub warnings: Vec<Problem>,
    /// Totals and signature lines left out.
    pub skipped: Vec<Skipped>,
    /// Remarks on the whole roster (a column it lacks).
    pub notes: Vec<String>,
    /// A digest of what the import would write: apply with it refuses if the data moved since.
    pub fingerprint: String,
}

impl Preview {
    /// Whether any row is rejected (or the roster lacks a required column).
    pub fn has_rejections(&self) -> bool {
        !self.rejected.is_empty() || !self.missing_columns.is_empty()
    }

    /// Rows that would be written.
    pub fn writes(&self) -> usize {
        self.new.len() + self.changed.len()
    }
}

/// What [`apply`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// The preview it carried out.
    pub preview: Preview,
    /// Enterprises created.
    pub created: usize,
    /// Enterprises changed.
    pub updated: usize,
    /// Campaign names and how many new enterprises each enrolled.
    pub enrolled: Vec<(String, usize)>,
}

/// The reference data an import of `scope` is checked against.
async fn reference(conn: &mut AnyConnection, scope: &ImportScope) -> Result<Reference, StoreError> {
    let regions = sqlx::query(
        "SELECT id, code, name, path FROM regions WHERE substr(path, 1, length($1)) = $1 \
         ORDER BY path",
    )
    .bind(&scope.region_path)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(RegionRef {
            id: r.try_get("id")?,
            code: r.try_get("code")?,
            name: r.try_get("name")?,
            path: r.try_get("path")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let departments = sqlx::query(
        "SELECT u.id, u.name, u.industry, r.path FROM units u JOIN regions r ON r.id = u.region_id \
         WHERE u.kind = 'industry_department' ORDER BY r.path, u.id",
    )
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(DepartmentRef {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            region_path: r.try_get("path")?,
            industry: r.try_get("industry")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?
    .into_iter()
    // Departments above the importer's region (district departments for a town) and under it.
    .filter(|d| {
        scope.region_path.starts_with(&d.region_path)
            || d.region_path.starts_with(&scope.region_path)
    })
    .collect();
    let industries = industry_table_on(conn).await?;
    Ok(Reference {
        scope_path: scope.region_path.clone(),
        own_department: scope.department,
        regions,
        departments,
        industries,
    })
}

pub(crate) async fn industry_table_on(
    conn: &mut AnyConnection,
) -> Result<Vec<(String, String)>, StoreError> {
    let rows = sqlx::query("SELECT alias, industry FROM industry_aliases ORDER BY alias")
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("alias")?, r.try_get("industry")?)))
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(Into::into)
}

/// How many codes one lookup binds.
const LOOKUP_CHUNK: usize = 500;

/// The stored enterprises with these codes.
async fn existing(
    conn: &mut AnyConnection,
    codes: &[String],
) -> Result<HashMap<String, Existing>, StoreError> {
    let mut out = HashMap::with_capacity(codes.len());
    for chunk in codes.chunks(LOOKUP_CHUNK) {
        let mut sql = Sql::new(
            "SELECT e.id, e.public_id, e.uscc, e.name, e.industry, e.industry_detail, e.region_id, \
             e.supervising_unit_id, e.is_key, e.address, e.principal, e.safety_manager, e.contact, \
             e.phone, r.path FROM enterprises e JOIN regions r ON r.id = e.region_id \
             WHERE e.uscc IN (",
        );
        sql.push_bind_list(chunk.iter().map(String::as_str))
            .push(")");
        for r in sql.query().fetch_all(&mut *conn).await? {
            let record = Record {
                uscc: r.try_get("uscc")?,
                name: r.try_get("name")?,
                industry: r.try_get("industry")?,
                industry_detail: r.try_get("industry_detail")?,
                region_id: r.try_get("region_id")?,
                department_id: r.try_get("supervising_unit_id")?,
                is_key: r.try_get::<i64, _>("is_key")? != 0,
                address: r.try_get("address")?,
                principal: r.try_get("principal")?,
                safety_manager: r.try_get("safety_manager")?,
                contact: r.try_get("contact")?,
                phone: r.try_get("phone")?,
            };
            out.insert(
                record.uscc.clone(),
                Existing {
                    id: r.try_get("id")?,
                    public_id: r.try_get("public_id")?,
                    region_path: r.try_get("path")?,
                    record,
                },
            );
        }
    }
    Ok(out)
}

/// Checks every row on `conn`: the preview and the checked rows it came from.
async fn check_on(
    conn: &mut AnyConnection,
    scope: &ImportScope,
    layout: &Layout,
) -> Result<(Preview, Vec<Checked>, Reference), StoreError> {
    let reference = reference(conn, scope).await?;
    let checked = if layout.missing.is_empty() {
        let found = existing(conn, &candidate_codes(layout)).await?;
        check_all(layout, &found, &reference)
    } else {
        Vec::new()
    };
    Ok((summarize(layout, &checked, &reference), checked, reference))
}

fn summarize(layout: &Layout, checked: &[Checked], reference: &Reference) -> Preview {
    let mut p = Preview {
        header_row: layout.header_row,
        header_end: layout.header_end,
        columns: layout
            .columns
            .iter()
            .map(|c| ColumnView {
                column: c.letter.clone(),
                header: c.header.clone(),
                field: c.field,
            })
            .collect(),
        missing_columns: layout.missing.iter().map(|f| f.label()).collect(),
        new: Vec::new(),
        changed: Vec::new(),
        unchanged: Vec::new(),
        rejected: Vec::new(),
        warnings: Vec::new(),
        skipped: layout.skipped.clone(),
        notes: Vec::new(),
        fingerprint: String::new(),
    };
    if layout.missing.is_empty() {
        for (f, note) in [
            (
                Field::Industry,
                "名单没有行业列：新企业的行业按“其他”导入，已有企业的行业不变",
            ),
            (
                Field::Department,
                "名单没有主管部门列：新企业的主管部门按行业对应的部门确定",
            ),
        ] {
            if layout.column_of(f).is_none() {
                p.notes.push(note.to_string());
            }
        }
    }
    let mut digest = Sha256::new();
    for c in checked {
        match &c.outcome {
            Outcome::New(r) => {
                digest.update(format!("new\x1f{}\x1f{:?}\x1e", c.row, r));
                p.new.push(NewRow {
                    row: c.row,
                    uscc: r.uscc.clone(),
                    name: r.name.clone(),
                    industry: industry_shown(&r.industry, &r.industry_detail),
                    region: region_name(reference, r.region_id),
                    department: department_name(reference, r.department_id),
                });
            }
            Outcome::Changed(u) => {
                digest.update(format!(
                    "changed\x1f{}\x1f{}\x1f{:?}\x1f{:?}\x1e",
                    c.row, u.public_id, u.before, u.after
                ));
                p.changed.push(ChangedRow {
                    row: c.row,
                    uscc: u.after.uscc.clone(),
                    name: u.after.name.clone(),
                    public_id: u.public_id.clone(),
                    changes: u.changes.clone(),
                });
            }
            Outcome::Unchanged { record, .. } => {
                digest.update(format!("unchanged\x1f{}\x1f{:?}\x1e", c.row, record));
                p.unchanged.push(UnchangedRow {
                    row: c.row,
                    uscc: record.uscc.clone(),
                    name: record.name.clone(),
                });
            }
            Outcome::Rejected => {
                digest.update(format!("rejected\x1f{}\x1e", c.row));
                p.rejected.push(RejectedRow {
                    row: c.row,
                    uscc: c.uscc.clone(),
                    name: c.name.clone(),
                    problems: c.problems.clone(),
                });
            }
        }
        if !matches!(c.outcome, Outcome::Rejected) {
            p.warnings.extend(c.warnings.iter().cloned());
        }
    }
    p.fingerprint = hex::encode(digest.finalize());
    p
}

/// What importing `layout` into `scope` would do; writes nothing.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn preview(
    store: &Store,
    scope: &ImportScope,
    layout: &Layout,
) -> Result<Preview, StoreError> {
    let mut conn = store.reader().acquire().await?;
    let (p, _, _) = check_on(&mut conn, scope, layout).await?;
    Ok(p)
}

/// Imports every accepted row of `layout`, or none: one transaction, rolled back whole on any
/// failure. With `expected` (the fingerprint of a preview shown to a person), refuses when the
/// import would now do something else.
///
/// # Errors
/// [`StoreError::Conflict`] when the fingerprint differs or a code was stored concurrently;
/// [`StoreError::Database`]. Nothing is written then.
pub async fn apply(
    store: &Store,
    who: &Who,
    scope: &ImportScope,
    layout: &Layout,
    expected: Option<&str>,
) -> Result<Applied, StoreError> {
    let campaigns = campaign_regions(store).await?;
    let mut tx = store.write().await?;
    let (preview, checked, reference) = check_on(&mut tx, scope, layout).await?;
    if expected.is_some_and(|f| f != preview.fingerprint) {
        return Err(StoreError::Conflict(
            "预览之后数据已有变化，请重新预览后再确认导入".into(),
        ));
    }
    let now = now_text();
    let (mut created, mut updated) = (0, 0);
    let mut to_enrol: Vec<(usize, i64)> = Vec::new();
    // Each enterprise's record, written together (one head update for the whole import).
    let mut entries: Vec<Entry> = Vec::new();
    for c in &checked {
        match &c.outcome {
            Outcome::New(r) => {
                let public_id = new_public_id();
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO enterprises (public_id, uscc, name, industry, industry_detail, \
                     region_id, supervising_unit_id, is_key, address, principal, safety_manager, \
                     contact, phone, search_key, sort_key, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $15, $16, \
                     $14, $14) RETURNING id",
                )
                .bind(&public_id)
                .bind(&r.uscc)
                .bind(&r.name)
                .bind(&r.industry)
                .bind(&r.industry_detail)
                .bind(r.region_id)
                .bind(r.department_id)
                .bind(i64::from(r.is_key))
                .bind(&r.address)
                .bind(&r.principal)
                .bind(&r.safety_manager)
                .bind(&r.contact)
                .bind(&r.phone)
                .bind(&now)
                .bind(crate::keys::enterprise_search_key(&r.name, &r.uscc))
                .bind(crate::keys::stored_pinyin_key(&r.name))
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| {
                    StoreError::from_write(
                        e,
                        &format!("第{}行：统一社会信用代码{}已存在", c.row, r.uscc),
                    )
                })?;
                entries.push(Entry {
                    who,
                    event: Event::Created,
                    target_kind: crate::audit::Object::Enterprise.into(),
                    target_id: public_id,
                    before: None,
                    after: serde_json::to_value(r).ok(),
                    result: "ok",
                });
                let region_path = reference
                    .regions
                    .iter()
                    .find(|g| g.id == r.region_id)
                    .map_or("", |g| g.path.as_str());
                if let Some(k) = campaigns
                    .iter()
                    .position(|(_, path)| region_path.starts_with(path.as_str()))
                {
                    to_enrol.push((k, id));
                }
                created += 1;
            }
            Outcome::Changed(u) => {
                let a = &u.after;
                sqlx::query(
                    "UPDATE enterprises SET name = $1, industry = $2, industry_detail = $3, \
                     region_id = $4, supervising_unit_id = $5, is_key = $6, address = $7, \
                     principal = $8, safety_manager = $9, contact = $10, phone = $11, \
                     updated_at = $12, search_key = $14, sort_key = $15 WHERE id = $13",
                )
                .bind(&a.name)
                .bind(&a.industry)
                .bind(&a.industry_detail)
                .bind(a.region_id)
                .bind(a.department_id)
                .bind(i64::from(a.is_key))
                .bind(&a.address)
                .bind(&a.principal)
                .bind(&a.safety_manager)
                .bind(&a.contact)
                .bind(&a.phone)
                .bind(&now)
                .bind(u.id)
                .bind(crate::keys::enterprise_search_key(&a.name, &a.uscc))
                .bind(crate::keys::stored_pinyin_key(&a.name))
                .execute(&mut *tx)
                .await?;
                let side = |f: fn(&Change) -> &String| {
                    serde_json::Value::Object(
                        u.changes
                            .iter()
                            .map(|ch| (ch.label.to_string(), f(ch).clone().into()))
                            .collect(),
                    )
                };
                entries.push(Entry {
                    who,
                    event: Event::Updated,
                    target_kind: crate::audit::Object::Enterprise.into(),
                    target_id: u.public_id.clone(),
                    before: Some(side(|c| &c.before)),
                    after: Some(side(|c| &c.after)),
                    result: "ok",
                });
                updated += 1;
            }
            Outcome::Unchanged { .. } | Outcome::Rejected => {}
        }
    }
    audit::record_many(&mut tx, &entries).await?;
    let mut enrolled = Vec::new();
    for (k, (public_id, _)) in campaigns.iter().enumerate() {
        let ids: Vec<i64> = to_enrol
            .iter()
            .filter(|(c, _)| *c == k)
            .map(|(_, id)| *id)
            .collect();
        if ids.is_empty() {
            continue;
        }
        let campaign = campaigns::by_public_id(store, public_id).await?;
        campaigns::enrol(&mut tx, who, &campaign, &ids).await?;
        enrolled.push((campaign.name.clone(), ids.len()));
    }
    if created + updated > 0 {
        audit::record(
            &mut tx,
            Entry {
                who,
                event: Event::RosterImported,
                target_kind: crate::audit::Object::Roster.into(),
                target_id: preview.fingerprint.clone(),
                before: None,
                after: Some(serde_json::json!({
                    "created": created,
                    "updated": updated,
                    "unchanged": preview.unchanged.len(),
                    "rejected": preview.rejected.len(),
                    "region_path": scope.region_path,
                })),
                result: "ok",
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Applied {
        preview,
        created,
        updated,
        enrolled,
    })
}

/// Campaigns newest first, with their region paths: a new enterprise is enrolled in the first
/// whose region contains its own.
async fn campaign_regions(store: &Store) -> Result<Vec<(String, String)>, StoreError> {
    let rows = sqlx::query(
        "SELECT c.public_id, r.path FROM campaigns c JOIN regions r ON r.id = c.region_id \
         ORDER BY c.id DESC",
    )
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("public_id")?, r.try_get("path")?)))
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(Into::into)
}
