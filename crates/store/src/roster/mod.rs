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
    Change, Checked, DepartmentRef, Existing, Outcome, Record, Reference, RegionRef, Update,
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

/// How many enterprises one transaction of an apply writes at most: a transaction takes the
/// writer (on SQLite the only one) for about 20–40 ms a thousand rows in a release build, so
/// other writers wait for one chunk at most, never for the whole roster (issue 19: at most
/// ~100 ms at a time).
pub const APPLY_CHUNK: usize = 1000;

/// Rows one multi-row `INSERT` or `UPDATE` of an apply carries (17 values each at most).
const ROWS_PER_STATEMENT: usize = 60;

/// Imports every accepted row of `layout`. Up to [`APPLY_CHUNK`] rows to write (a district's or
/// a town's roster) are all-or-nothing: one transaction, rolled back whole on any failure. A
/// larger roster is written in transactions of [`APPLY_CHUNK`] rows, each with its audit
/// records, so that other writers wait for one chunk at most; each chunk first checks, under
/// the write lock, that the enterprises it writes are still as the preview found them. If a
/// chunk fails, the chunks before it stay written and the refusal says how many rows were
/// imported; importing the same roster again completes it (what was written shows as
/// unchanged). With `expected` (the fingerprint of a preview shown to a person), refuses when
/// the import would now do something else.
///
/// # Errors
/// [`StoreError::Conflict`] when the fingerprint differs, a code was stored concurrently, or a
/// chunk after the first failed (the message says how far the import came);
/// [`StoreError::Database`] when the first chunk fails. Nothing of a failed chunk is written.
pub async fn apply(
    store: &Store,
    who: &Who,
    scope: &ImportScope,
    layout: &Layout,
    expected: Option<&str>,
) -> Result<Applied, StoreError> {
    let campaigns = campaign_regions(store).await?;
    let (preview, checked, reference) = {
        let mut conn = store.reader().acquire().await?;
        check_on(&mut conn, scope, layout).await?
    };
    if expected.is_some_and(|f| f != preview.fingerprint) {
        return Err(StoreError::Conflict(
            "预览之后数据已有变化，请重新预览后再确认导入".into(),
        ));
    }
    let writes: Vec<&Checked> = checked
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::New(_) | Outcome::Changed(_)))
        .collect();
    let mut loaded: HashMap<usize, campaigns::Campaign> = HashMap::new();
    let (mut created, mut updated) = (0, 0);
    let mut enrolled_counts: Vec<usize> = vec![0; campaigns.len()];
    let chunks: Vec<&[&Checked]> = writes.chunks(APPLY_CHUNK).collect();
    for (k, chunk) in chunks.iter().enumerate() {
        let last = k + 1 == chunks.len();
        let mut tx = store.write().await?;
        let written = write_chunk(
            store,
            &mut tx,
            who,
            chunk,
            &reference,
            &campaigns,
            &mut loaded,
        )
        .await;
        let written = match written {
            Ok(w) => w,
            Err(e) if k == 0 => return Err(e),
            Err(e) => return Err(partial(&e, created + updated, chunk)),
        };
        created += written.created;
        updated += written.updated;
        for (c, n) in written.enrolled {
            enrolled_counts[c] += n;
        }
        if last {
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
                        "transactions": chunks.len(),
                    })),
                    result: "ok",
                },
            )
            .await?;
        }
        let committed = tx.commit().await;
        match committed {
            Ok(()) => {}
            Err(e) if k == 0 => return Err(e.into()),
            Err(e) => {
                return Err(partial(
                    &e.into(),
                    created + updated - written.created - written.updated,
                    chunk,
                ));
            }
        }
    }
    let enrolled = enrolled_counts
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .filter_map(|(k, n)| loaded.get(&k).map(|c| (c.name.clone(), *n)))
        .collect();
    Ok(Applied {
        preview,
        created,
        updated,
        enrolled,
    })
}

/// The refusal of an import stopped at `chunk` after `done` rows were written.
fn partial(e: &StoreError, done: usize, chunk: &[&Checked]) -> StoreError {
    let from = chunk.first().map_or(0, |c| c.row);
    tracing::error!(error = %e, written = done, from_row = from, "roster import stopped midway");
    StoreError::Conflict(format!(
        "名单导入中途停止：已导入{done}家企业，第{from}行起的企业未导入（{e}）。\
         处理后重新导入同一名单即可补齐，已导入的企业显示为无变化"
    ))
}

/// What one chunk wrote: enterprises created and changed, new enterprises enrolled per
/// campaign (by position in the campaign list).
struct Written {
    created: usize,
    updated: usize,
    enrolled: Vec<(usize, usize)>,
}

/// Writes one chunk inside `tx`: checks that its enterprises are still as the preview found
/// them, inserts the new ones and updates the changed ones a few dozen rows a statement, writes
/// their audit records, enrols the new ones.
async fn write_chunk(
    store: &Store,
    tx: &mut crate::Tx,
    who: &Who,
    chunk: &[&Checked],
    reference: &Reference,
    campaigns: &[(String, String)],
    loaded: &mut HashMap<usize, campaigns::Campaign>,
) -> Result<Written, StoreError> {
    let codes: Vec<String> = chunk.iter().map(|c| c.uscc.clone()).collect();
    let now_stored = existing(tx, &codes).await?;
    let mut new: Vec<(u32, &Record)> = Vec::new();
    let mut changed: Vec<&Update> = Vec::new();
    for c in chunk {
        match &c.outcome {
            Outcome::New(r) => {
                if now_stored.contains_key(&r.uscc) {
                    return Err(StoreError::Conflict(format!(
                        "第{}行：统一社会信用代码{}已存在",
                        c.row, r.uscc
                    )));
                }
                new.push((c.row, r));
            }
            Outcome::Changed(u) => {
                if now_stored.get(&u.after.uscc).map(|x| &x.record) != Some(&u.before) {
                    return Err(StoreError::Conflict(
                        "预览之后数据已有变化，请重新预览后再确认导入".into(),
                    ));
                }
                changed.push(u);
            }
            Outcome::Unchanged { .. } | Outcome::Rejected => {}
        }
    }
    let now = now_text();
    let mut entries: Vec<Entry> = Vec::with_capacity(chunk.len());
    let mut to_enrol: Vec<(usize, i64)> = Vec::new();
    for rows in new.chunks(ROWS_PER_STATEMENT) {
        let public_ids: Vec<String> = rows.iter().map(|_| new_public_id()).collect();
        let mut sql = Sql::new(
            "INSERT INTO enterprises (public_id, uscc, name, industry, industry_detail, region_id, \
             supervising_unit_id, is_key, address, principal, safety_manager, contact, phone, \
             search_key, sort_key, created_at, updated_at) VALUES ",
        );
        let now_p = sql.bind(now.as_str());
        for (k, ((_, r), public_id)) in rows.iter().zip(&public_ids).enumerate() {
            sql.push(if k == 0 { "(" } else { ", (" });
            sql.push_bind(public_id.as_str())
                .push(", ")
                .push_bind(r.uscc.as_str())
                .push(", ")
                .push_bind(r.name.as_str())
                .push(", ")
                .push_bind(r.industry.as_str())
                .push(", ")
                .push_bind(r.industry_detail.as_str())
                .push(", ")
                .push_bind(r.region_id)
                .push(", ")
                .push_bind(r.department_id)
                .push(", ")
                .push_bind(i64::from(r.is_key))
                .push(", ")
                .push_bind(r.address.as_str())
                .push(", ")
                .push_bind(r.principal.as_str())
                .push(", ")
                .push_bind(r.safety_manager.as_str())
                .push(", ")
                .push_bind(r.contact.as_str())
                .push(", ")
                .push_bind(r.phone.as_str())
                .push(", ")
                .push_bind(crate::keys::enterprise_search_key(&r.name, &r.uscc))
                .push(", ")
                .push_bind(crate::keys::stored_pinyin_key(&r.name))
                .push(&format!(", {now_p}, {now_p})"));
        }
        sql.push(" RETURNING id, uscc");
        let ids: HashMap<String, i64> = sql
            .query()
            .fetch_all(&mut **tx)
            .await
            .map_err(|e| {
                let (first, last) = (rows[0].0, rows[rows.len() - 1].0);
                StoreError::from_write(
                    e,
                    &format!("第{first}至{last}行之间有统一社会信用代码已存在"),
                )
            })?
            .iter()
            .map(|r| Ok((r.try_get("uscc")?, r.try_get("id")?)))
            .collect::<Result<_, sqlx::Error>>()?;
        for ((_, r), public_id) in rows.iter().zip(public_ids) {
            let id = *ids
                .get(&r.uscc)
                .ok_or_else(|| StoreError::Corrupt("inserted enterprise not returned".into()))?;
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
        }
    }
    for rows in changed.chunks(ROWS_PER_STATEMENT) {
        // One statement for the rows: their new values as a table joined on the id.
        let mut sql = Sql::new(
            "WITH v (id, name, industry, industry_detail, region_id, supervising_unit_id, is_key, \
             address, principal, safety_manager, contact, phone, search_key, sort_key) AS (VALUES ",
        );
        for (k, u) in rows.iter().enumerate() {
            let a = &u.after;
            sql.push(if k == 0 { "(" } else { ", (" });
            sql.push_bind(u.id)
                .push(", ")
                .push_bind(a.name.as_str())
                .push(", ")
                .push_bind(a.industry.as_str())
                .push(", ")
                .push_bind(a.industry_detail.as_str())
                .push(", ")
                .push_bind(a.region_id)
                .push(", ")
                .push_bind(a.department_id)
                .push(", ")
                .push_bind(i64::from(a.is_key))
                .push(", ")
                .push_bind(a.address.as_str())
                .push(", ")
                .push_bind(a.principal.as_str())
                .push(", ")
                .push_bind(a.safety_manager.as_str())
                .push(", ")
                .push_bind(a.contact.as_str())
                .push(", ")
                .push_bind(a.phone.as_str())
                .push(", ")
                .push_bind(crate::keys::enterprise_search_key(&a.name, &a.uscc))
                .push(", ")
                .push_bind(crate::keys::stored_pinyin_key(&a.name))
                .push(")");
        }
        sql.push(
            ") UPDATE enterprises SET name = v.name, industry = v.industry, \
             industry_detail = v.industry_detail, region_id = v.region_id, \
             supervising_unit_id = v.supervising_unit_id, is_key = v.is_key, \
             address = v.address, principal = v.principal, safety_manager = v.safety_manager, \
             contact = v.contact, phone = v.phone, search_key = v.search_key, \
             sort_key = v.sort_key, updated_at = ",
        )
        .push_bind(now.as_str())
        .push(" FROM v WHERE enterprises.id = v.id");
        sql.query().execute(&mut **tx).await?;
        for u in rows {
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
        }
    }
    audit::record_many(tx, &entries).await?;
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
        let campaign = match loaded.entry(k) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(campaigns::by_public_id(store, public_id).await?)
            }
        };
        campaigns::enrol(tx, who, campaign, &ids).await?;
        enrolled.push((k, ids.len()));
    }
    Ok(Written {
        created: new.len(),
        updated: changed.len(),
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
