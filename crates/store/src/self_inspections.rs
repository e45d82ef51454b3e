//! Self-inspections: load, save a draft, submit (opening findings), all in one transaction each.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use safeduty_core::calendar::Calendar;
use safeduty_core::self_inspection::{
    Answer, ItemAnswer, Refusal, Status, check_answers, findings_on_submit,
};
use sqlx::Row;

use crate::audit::{self, Entry, Event, Who};
use crate::campaigns::Campaign;
use crate::findings::{self, NewFindingRow};
use crate::sql::Sql;
use crate::{Store, StoreError, Tx, now_text};

/// A self-inspection as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfInspection {
    /// Where it stands.
    pub status: Status,
    /// Answers by item number (unanswered items absent).
    pub answers: BTreeMap<u32, ItemAnswer>,
    /// Civil date of submission (Asia/Shanghai), once submitted.
    pub submitted_on: Option<NaiveDate>,
    /// Number of saves; grows by one with each save or submission.
    pub version: i64,
}

async fn load_in(
    exec: impl sqlx::Executor<'_, Database = sqlx::Any>,
    id: i64,
) -> Result<BTreeMap<u32, ItemAnswer>, StoreError> {
    let rows = sqlx::query(
        "SELECT item_number, answer, note FROM self_inspection_items WHERE self_inspection_id = $1 \
         ORDER BY item_number",
    )
    .bind(id)
    .fetch_all(exec)
    .await?;
    let mut out = BTreeMap::new();
    for r in rows {
        let n: i64 = r.try_get("item_number")?;
        let answer = match r.try_get::<Option<String>, _>("answer")? {
            Some(code) => Some(
                Answer::from_code(&code)
                    .ok_or_else(|| StoreError::Corrupt(format!("answer {code:?}")))?,
            ),
            None => None,
        };
        out.insert(
            u32::try_from(n).map_err(|_| StoreError::Corrupt("item number".into()))?,
            ItemAnswer {
                answer,
                note: r.try_get("note")?,
            },
        );
    }
    Ok(out)
}

/// The enterprise's self-inspection in the campaign; `NotStarted` with no answers when none is
/// saved. The caller has checked the actor may read it.
///
/// # Errors
/// [`StoreError::Database`], [`StoreError::Corrupt`].
pub async fn get(
    store: &Store,
    campaign_id: i64,
    enterprise_id: i64,
) -> Result<SelfInspection, StoreError> {
    let row = sqlx::query(
        "SELECT id, status, submitted_on, version FROM self_inspections \
         WHERE campaign_id = $1 AND enterprise_id = $2",
    )
    .bind(campaign_id)
    .bind(enterprise_id)
    .fetch_optional(store.reader())
    .await?;
    let Some(row) = row else {
        return Ok(SelfInspection {
            status: Status::NotStarted,
            answers: BTreeMap::new(),
            submitted_on: None,
            version: 0,
        });
    };
    let id: i64 = row.try_get("id")?;
    let status_code: String = row.try_get("status")?;
    Ok(SelfInspection {
        status: Status::from_code(&status_code)
            .ok_or_else(|| StoreError::Corrupt(format!("status {status_code:?}")))?,
        answers: load_in(store.reader(), id).await?,
        submitted_on: row
            .try_get::<Option<String>, _>("submitted_on")?
            .and_then(|d| d.parse().ok()),
        version: row.try_get("version")?,
    })
}

/// What an edit changes: the items whose answer or note differs, as they were and as they
/// become (an item answered before and missing now is cleared). What a save or a submission
/// writes and what its audit record keeps: not all the answers twice (issue 19).
#[derive(Debug, Default)]
struct Changes {
    before: BTreeMap<u32, ItemAnswer>,
    after: BTreeMap<u32, ItemAnswer>,
}

impl Changes {
    fn between(before: &BTreeMap<u32, ItemAnswer>, after: &BTreeMap<u32, ItemAnswer>) -> Changes {
        let mut c = Changes::default();
        for (n, a) in after {
            if before.get(n) != Some(a) {
                if let Some(b) = before.get(n) {
                    c.before.insert(*n, b.clone());
                }
                c.after.insert(*n, a.clone());
            }
        }
        for (n, b) in before {
            if !after.contains_key(n) {
                c.before.insert(*n, b.clone());
            }
        }
        c
    }

    fn audit(&self) -> (serde_json::Value, serde_json::Value) {
        (answers_json(&self.before), answers_json(&self.after))
    }
}

/// Writes the answers of self-inspection `id` that differ from what is stored: one statement
/// for the items set (an upsert of their rows), one for those cleared, none when nothing
/// changed. Returns the changes.
async fn write_answers(
    tx: &mut Tx,
    id: i64,
    answers: &BTreeMap<u32, ItemAnswer>,
) -> Result<Changes, StoreError> {
    let before = load_in(&mut **tx, id).await?;
    let changes = Changes::between(&before, answers);
    let now = now_text();
    if !changes.after.is_empty() {
        let mut sql = Sql::new(
            "INSERT INTO self_inspection_items (self_inspection_id, item_number, answer, note, \
             created_at, updated_at) VALUES ",
        );
        let (id_p, now_p) = (sql.bind(id), sql.bind(now.as_str()));
        for (k, (n, a)) in changes.after.iter().enumerate() {
            sql.push(if k == 0 { "(" } else { ", (" })
                .push(&id_p)
                .push(", ")
                .push_bind(i64::from(*n))
                .push(", ")
                .push_bind(a.answer.map(|x| x.code().to_string()))
                .push(", ")
                .push_bind(a.note.as_str())
                .push(&format!(", {now_p}, {now_p})"));
        }
        sql.push(
            " ON CONFLICT (self_inspection_id, item_number) DO UPDATE SET \
             answer = excluded.answer, note = excluded.note, updated_at = excluded.updated_at",
        );
        sql.query().execute(&mut **tx).await?;
    }
    let cleared: Vec<i64> = changes
        .before
        .keys()
        .filter(|n| !changes.after.contains_key(n))
        .map(|n| i64::from(*n))
        .collect();
    if !cleared.is_empty() {
        let mut sql = Sql::new("DELETE FROM self_inspection_items WHERE self_inspection_id = ");
        sql.push_bind(id)
            .push(" AND item_number IN (")
            .push_bind_list(cleared)
            .push(")");
        sql.query().execute(&mut **tx).await?;
    }
    Ok(changes)
}

/// The row of the edit's self-inspection written in one statement, created when there is none
/// (`ON CONFLICT` makes two first writes sent at once meet on one row): on a save its version
/// grows by one, on a submission it also becomes submitted. Only a draft is updated, and with
/// `expected` only from that version; otherwise the row is left as it was and the refusal says
/// why. Returns the row's id and new version.
async fn upsert_row(tx: &mut Tx, job: &Job) -> Result<(i64, i64), StoreError> {
    let now = now_text();
    let submit = job.today.is_some();
    let (status, submitted) = if submit {
        (
            "submitted",
            ", submitted_on = excluded.submitted_on, submitted_at = excluded.submitted_at, \
             submitted_by = excluded.submitted_by",
        )
    } else {
        ("draft", "")
    };
    let sql = format!(
        "INSERT INTO self_inspections (campaign_id, enterprise_id, status, version, submitted_on, \
         submitted_at, submitted_by, created_at, updated_at) VALUES ($1, $2, '{status}', 1, $3, $4, \
         $5, $6, $6) ON CONFLICT (campaign_id, enterprise_id) DO UPDATE SET status = \
         excluded.status, version = self_inspections.version + 1, updated_at = excluded.updated_at\
         {submitted} WHERE self_inspections.status = 'draft' AND ($7 IS NULL OR \
         self_inspections.version = $7) RETURNING id, version"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(job.campaign_id)
        .bind(job.enterprise_id)
        .bind(job.today.map(|d| d.to_string()))
        .bind(submit.then(|| now.clone()))
        .bind(submit.then_some(job.who.user_id).flatten())
        .bind(&now)
        .bind(job.expected_version)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(row) = row else {
        return Err(StoreError::Refused(
            why_not_updated(tx, job.campaign_id, job.enterprise_id)
                .await?
                .into(),
        ));
    };
    let (id, version): (i64, i64) = (row.try_get("id")?, row.try_get("version")?);
    // A new row starts at version 1; an editor who had loaded a later version is stale (an
    // updated row's version is `expected + 1`, so 1 with `expected` ≠ 0 is an insert).
    if version == 1 && job.expected_version.is_some_and(|v| v != 0) {
        return Err(StoreError::Refused(Refusal::Stale.into()));
    }
    Ok((id, version))
}

/// Why a conditional update of the row changed nothing: it was submitted meanwhile, or saved
/// from another version. Read again inside the transaction, after any concurrent commit.
async fn why_not_updated(
    tx: &mut Tx,
    campaign_id: i64,
    enterprise_id: i64,
) -> Result<Refusal, StoreError> {
    let status: String = sqlx::query_scalar(
        "SELECT status FROM self_inspections WHERE campaign_id = $1 AND enterprise_id = $2",
    )
    .bind(campaign_id)
    .bind(enterprise_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(if status == Status::Submitted.code() {
        Refusal::AlreadySubmitted
    } else {
        Refusal::Stale
    })
}

fn answers_json(answers: &BTreeMap<u32, ItemAnswer>) -> serde_json::Value {
    serde_json::to_value(answers).unwrap_or(serde_json::Value::Null)
}

/// One edit of a self-inspection: whose, the answers, and the version the editor started from.
#[derive(Debug, Clone)]
pub struct Edit<'a> {
    /// The campaign.
    pub campaign: &'a Campaign,
    /// The enterprise.
    pub enterprise_id: i64,
    /// Answers by item number.
    pub answers: BTreeMap<u32, ItemAnswer>,
    /// The version the editor loaded; `None` skips the stale-edit check.
    pub expected_version: Option<i64>,
}

impl<'a> Edit<'a> {
    /// An edit without a stale-edit check.
    pub fn new(
        campaign: &'a Campaign,
        enterprise_id: i64,
        answers: BTreeMap<u32, ItemAnswer>,
    ) -> Self {
        Edit {
            campaign,
            enterprise_id,
            answers,
            expected_version: None,
        }
    }

    /// The same edit, refused if the stored version is no longer `version`.
    pub fn expecting(self, version: Option<i64>) -> Self {
        Edit {
            expected_version: version,
            ..self
        }
    }
}

/// What a grouped save or submission carries into the writer (owned: it runs in the writer's
/// task, [`Store::grouped`]).
struct Job {
    campaign_id: i64,
    /// The audit target: `campaign public id/enterprise id`.
    target: String,
    enterprise_id: i64,
    expected_version: Option<i64>,
    who: Who,
    /// The answers as checked.
    answers: BTreeMap<u32, ItemAnswer>,
    /// The submission's civil date; `None` for a save.
    today: Option<NaiveDate>,
    /// The findings a submission opens, worked out before the writer (pure).
    findings: Vec<NewFindingRow>,
}

impl Job {
    fn of(edit: Edit<'_>, who: &Who, today: Option<NaiveDate>) -> Result<Job, StoreError> {
        let answers = check_answers(&edit.campaign.item_numbers(), edit.answers, today.is_some())
            .map_err(safeduty_core::refusal::Refusal::from)?;
        Ok(Job {
            campaign_id: edit.campaign.id,
            target: format!("{}/{}", edit.campaign.public_id, edit.enterprise_id),
            enterprise_id: edit.enterprise_id,
            expected_version: edit.expected_version,
            who: who.clone(),
            answers,
            today,
            findings: Vec::new(),
        })
    }
}

/// The writes of a save (`submit` false) or a submission, inside the writer's transaction: the
/// row, the answers that changed, the findings a submission opens, the audit records.
async fn write(tx: &mut Tx, mut job: Job) -> Result<SelfInspection, StoreError> {
    let submit = job.today.is_some();
    let (id, version) = upsert_row(tx, &job).await?;
    let (before, after) = write_answers(tx, id, &job.answers).await?.audit();
    // The findings' records and the submission's, chained in one go.
    let mut entries = Vec::with_capacity(job.findings.len() + 1);
    for mut row in std::mem::take(&mut job.findings) {
        row.self_inspection_id = Some(id);
        entries.push(findings::open_unaudited(tx, &job.who, &row).await?.1);
    }
    entries.push(Entry {
        who: &job.who,
        event: if submit {
            Event::SelfInspectionSubmitted
        } else {
            Event::SelfInspectionSaved
        },
        target_kind: crate::audit::Object::SelfInspection.into(),
        target_id: job.target,
        before: Some(before),
        after: Some(after),
        result: "ok",
    });
    audit::record_many(tx, &entries).await?;
    Ok(SelfInspection {
        status: if submit {
            Status::Submitted
        } else {
            Status::Draft
        },
        answers: job.answers,
        submitted_on: job.today,
        version,
    })
}

/// Saves a draft. Refused (nothing written) when already submitted, when a field is invalid, or
/// when `expected_version` is given and another save came in since (a stale edit). Runs through
/// the writer ([`Store::grouped`]): acknowledged once the transaction holding it committed.
///
/// # Errors
/// [`StoreError::Refused`] with the domain's reason; [`StoreError::Database`].
pub async fn save_draft(
    store: &Store,
    who: &Who,
    edit: Edit<'_>,
) -> Result<SelfInspection, StoreError> {
    let job = Job::of(edit, who, None)?;
    store.grouped(move |tx| Box::pin(write(tx, job))).await
}

/// Submits the self-inspection with `answers` (every item answered): it becomes read-only and
/// each 不符合 item opens a finding due `settings.finding_time_limit_working_days` working days
/// after `today`. Of two submissions sent at once, exactly one succeeds; the other is refused as
/// already submitted and writes nothing. With `expected_version`, a submission from a stale page
/// is refused as [`Refusal::Stale`]. Runs through the writer ([`Store::grouped`]).
///
/// # Errors
/// [`StoreError::Refused`] (already submitted, invalid fields); [`StoreError::Database`].
pub async fn submit(
    store: &Store,
    who: &Who,
    edit: Edit<'_>,
    today: NaiveDate,
    calendar: &Calendar,
) -> Result<SelfInspection, StoreError> {
    let limit = edit
        .campaign
        .template
        .settings
        .finding_time_limit_working_days;
    let (campaign_id, enterprise_id) = (edit.campaign.id, edit.enterprise_id);
    let mut job = Job::of(edit, who, Some(today))?;
    // The self-inspection's id is set in the writer, once its row exists.
    job.findings = findings_on_submit(&job.answers, today, limit, calendar)
        .into_iter()
        .map(|f| {
            NewFindingRow::from_self_inspection((campaign_id, enterprise_id, 0), f, today, limit)
        })
        .collect();
    store.grouped(move |tx| Box::pin(write(tx, job))).await
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use safeduty_core::self_inspection::{Answer, ItemAnswer};

    use super::Changes;

    fn a(answer: Answer, note: &str) -> ItemAnswer {
        ItemAnswer {
            answer: Some(answer),
            note: note.into(),
        }
    }

    #[test]
    fn changes_hold_only_what_differs() {
        let before = BTreeMap::from([
            (1, a(Answer::Conform, "")),
            (2, a(Answer::NonConform, "记录不全")),
            (3, a(Answer::Conform, "")),
        ]);
        let after = BTreeMap::from([
            (1, a(Answer::Conform, "")),
            (2, a(Answer::NonConform, "记录不全，已补")),
            (4, a(Answer::NotApplicable, "")),
        ]);
        let c = Changes::between(&before, &after);
        assert_eq!(c.after.keys().copied().collect::<Vec<_>>(), [2, 4]);
        // 2 changed, 3 cleared; 1 is the same and 4 is new, so neither is in `before`.
        assert_eq!(c.before.keys().copied().collect::<Vec<_>>(), [2, 3]);
        assert_eq!(c.before[&2].note, "记录不全");
        let same = Changes::between(&after, &after);
        assert!(same.before.is_empty() && same.after.is_empty());
    }
}
