//! Accountability of the supervising units (issue #14 point 5): the committee office's
//! correction orders and interviews of a town or department, each step written whole from the
//! core [`Record`] after it and audited in its transaction with the record before and after.

use safeduty_core::accountability::{Dated, InterviewPlan, Matter, MatterKind, Record};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Entry, Event, Object, Who};
use crate::enforcement::{date, opt_date};
use crate::{Store, StoreError, new_public_id, now_text};

/// Answer to a write against a matter changed meanwhile.
pub const STALE: &str = "该督办事项刚被他人更新，请刷新后重试";

/// A matter as kept, with its unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitMatter {
    /// Internal id.
    pub id: i64,
    /// Public id.
    pub public_id: String,
    /// The campaign.
    pub campaign_id: i64,
    /// The unit.
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// The record.
    pub record: Record,
    /// Version (optimistic concurrency).
    pub version: i64,
}

const SELECT: &str =
    "SELECT m.*, u.name AS unit_name FROM unit_matters m JOIN units u ON u.id = m.unit_id";

fn text(r: &AnyRow, column: &str) -> Result<String, StoreError> {
    Ok(r.try_get::<Option<String>, _>(column)?.unwrap_or_default())
}

fn dated(r: &AnyRow, on: &str, column: &str) -> Result<Option<Dated>, StoreError> {
    opt_date(r, on)?
        .map(|on| {
            Ok(Dated {
                on,
                text: text(r, column)?,
            })
        })
        .transpose()
}

fn from_row(r: &AnyRow) -> Result<UnitMatter, StoreError> {
    let kind: String = r.try_get("kind")?;
    let kind = MatterKind::from_code(&kind)
        .ok_or_else(|| StoreError::Corrupt(format!("matter kind {kind:?}")))?;
    let interview = opt_date(r, "interview_on")?
        .map(|on| {
            Ok::<_, StoreError>(InterviewPlan {
                on,
                place: text(r, "place")?,
                interviewer: text(r, "interviewer")?,
                interviewees: text(r, "interviewees")?,
            })
        })
        .transpose()?;
    let follow_up = dated(r, "followed_up_on", "follow_up")?
        .map(|d| Ok::<_, StoreError>((d, r.try_get::<Option<i64>, _>("closed")?.unwrap_or(0) != 0)))
        .transpose()?;
    Ok(UnitMatter {
        id: r.try_get("id")?,
        public_id: r.try_get("public_id")?,
        campaign_id: r.try_get("campaign_id")?,
        unit_id: r.try_get("unit_id")?,
        unit_name: r.try_get("unit_name")?,
        record: Record {
            matter: Matter {
                kind,
                issued_on: date(r, "issued_on")?,
                issues: r.try_get("issues")?,
                actions: r.try_get("actions")?,
                due_on: date(r, "due_on")?,
                interview,
            },
            held: dated(r, "held_on", "minutes")?,
            report: dated(r, "reported_on", "report")?,
            follow_up,
            sent_back: dated(r, "sent_back_on", "sent_back")?,
        },
        version: r.try_get("version")?,
    })
}

/// Issues `m` to the unit `unit_id` in `campaign_id`, audited. Returns its public id.
///
/// # Errors
/// Database errors.
pub async fn issue(
    store: &Store,
    who: &Who,
    campaign_id: i64,
    unit_id: i64,
    m: &Matter,
) -> Result<String, StoreError> {
    let mut tx = store.write().await?;
    let public_id = new_public_id();
    let i = m.interview.as_ref();
    sqlx::query(
        "INSERT INTO unit_matters (public_id, campaign_id, unit_id, kind, status, issued_on, \
         issues, actions, due_on, interview_on, place, interviewer, interviewees, issued_by, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, 'issued', $5, $6, $7, $8, $9, $10, $11, \
         $12, $13, $14, $14)",
    )
    .bind(&public_id)
    .bind(campaign_id)
    .bind(unit_id)
    .bind(m.kind.code())
    .bind(m.issued_on.to_string())
    .bind(&m.issues)
    .bind(&m.actions)
    .bind(m.due_on.to_string())
    .bind(i.map(|i| i.on.to_string()))
    .bind(i.map(|i| i.place.clone()))
    .bind(i.map(|i| i.interviewer.clone()))
    .bind(i.map(|i| i.interviewees.clone()))
    .bind(who.user_id)
    .bind(now_text())
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::UnitMatterIssued,
            target_kind: Object::UnitMatter.into(),
            target_id: public_id.clone(),
            before: None,
            after: Some(serde_json::json!({"unit_id": unit_id, "matter": m})),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(public_id)
}

/// One matter by public id.
///
/// # Errors
/// [`StoreError::NotFound`]; [`StoreError::Corrupt`]; database errors.
pub async fn get(store: &Store, public_id: &str) -> Result<UnitMatter, StoreError> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE m.public_id = $1"
    )))
    .bind(public_id)
    .fetch_optional(store.reader())
    .await?
    .ok_or(StoreError::NotFound)?;
    from_row(&r)
}

/// The matters of `campaign_id` of the units `unit_ids`, newest first.
///
/// # Errors
/// [`StoreError::Corrupt`]; database errors.
pub async fn list(
    store: &Store,
    campaign_id: i64,
    unit_ids: &[i64],
) -> Result<Vec<UnitMatter>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE m.campaign_id = $1 ORDER BY m.id DESC"
    )))
    .bind(campaign_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(from_row)
        .filter(|m| m.as_ref().map_or(true, |m| unit_ids.contains(&m.unit_id)))
        .collect()
}

/// Records the step `step` of `m`: writes the step columns from `next`, checked against the
/// version read; audits the record before and after.
///
/// # Errors
/// [`StoreError::Conflict`] when the matter changed meanwhile; database errors.
pub async fn record_step(
    store: &Store,
    who: &Who,
    m: &UnitMatter,
    step: &str,
    next: &Record,
) -> Result<(), StoreError> {
    let d = |x: Option<&Dated>| x.map(|x| x.on.to_string());
    let t = |x: Option<&Dated>| x.map(|x| x.text.clone());
    let f = next.follow_up.as_ref();
    let mut tx = store.write().await?;
    let done = sqlx::query(
        "UPDATE unit_matters SET status = $1, held_on = $2, minutes = $3, reported_on = $4, \
         report = $5, followed_up_on = $6, follow_up = $7, closed = $8, sent_back_on = $12, \
         sent_back = $13, version = version + 1, updated_at = $9 WHERE id = $10 AND version = $11",
    )
    .bind(next.status().code())
    .bind(d(next.held.as_ref()))
    .bind(t(next.held.as_ref()))
    .bind(d(next.report.as_ref()))
    .bind(t(next.report.as_ref()))
    .bind(d(f.map(|(x, _)| x)))
    .bind(t(f.map(|(x, _)| x)))
    .bind(f.map(|(_, closed)| i64::from(*closed)))
    .bind(now_text())
    .bind(m.id)
    .bind(m.version)
    .bind(d(next.sent_back.as_ref()))
    .bind(t(next.sent_back.as_ref()))
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Conflict(STALE.into()));
    }
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::UnitMatterStepRecorded,
            target_kind: Object::UnitMatter.into(),
            target_id: m.public_id.clone(),
            before: Some(serde_json::json!(m.record)),
            after: Some({
                let mut after = serde_json::json!(next);
                after["step"] = serde_json::Value::from(step);
                after["status"] = serde_json::Value::from(next.status().code());
                after
            }),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The name of the committee office of the region that runs `campaign_id` (the issuer of a
/// matter's documents), if it has one.
///
/// # Errors
/// Database errors.
pub async fn issuer(store: &Store, campaign_id: i64) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT n.name FROM units n JOIN campaigns c ON c.region_id = n.region_id \
         WHERE c.id = $1 AND n.kind = 'committee_office' ORDER BY n.id LIMIT 1",
    )
    .bind(campaign_id)
    .fetch_optional(store.reader())
    .await?)
}

/// The demo's matters up to `today` (issue #14 point 9): in the consolidation phase an interview
/// of the last unit of `unit_ids` (its measures missing) issued 2024-11-20, held 2024-11-26 and
/// reported on 2024-12-05; a correction order to the one before it issued 2024-12-02, due
/// 2024-12-09 and not reported (overdue from 2024-12-10).
///
/// # Errors
/// Store errors.
pub(crate) async fn seed_demo(
    store: &Store,
    campaign_id: i64,
    unit_ids: &[i64],
    today: chrono::NaiveDate,
) -> Result<(), StoreError> {
    use safeduty_core::accountability::MatterInput;
    let who = Who {
        user_id: None,
        role: Some("demo".into()),
        client_addr: None,
    };
    let day = |s: &str| {
        s.parse::<chrono::NaiveDate>()
            .expect("demo dates are valid")
    };
    let (Some(&last), Some(&before)) = (unit_ids.last(), unit_ids.iter().rev().nth(1)) else {
        return Ok(());
    };
    let issued = day("2024-11-20");
    if today >= issued {
        let m = MatterInput {
            kind: Some(MatterKind::Interview),
            issues: "“八个一”措施中动员部署会、专题培训未开展（演示数据）".into(),
            actions: "12月15日前补开动员部署会、举办专题培训并报送佐证材料。".into(),
            due_on: Some(day("2024-12-15")),
            interview_on: Some(day("2024-11-26")),
            place: "区应急管理局三楼会议室".into(),
            interviewer: "区安委办主任（演示数据）".into(),
            interviewees: "单位主要负责人、分管负责人（演示数据）".into(),
        }
        .check(issued)
        .map_err(StoreError::Refused)?;
        let id = issue(store, &who, campaign_id, last, &m).await?;
        for (on, step) in [("2024-11-26", "hold"), ("2024-12-05", "report")] {
            let on = day(on);
            if on > today {
                break;
            }
            let current = get(store, &id).await?;
            let mut next = current.record.clone();
            if step == "hold" {
                next.hold(on, "主要负责人作表态发言，承诺限期补齐（演示数据）", on)
            } else {
                next.report(
                    "已补开动员部署会、举办专题培训，佐证材料已上传（演示数据）",
                    on,
                )
            }
            .map_err(StoreError::Refused)?;
            record_step(store, &who, &current, step, &next).await?;
        }
    }
    let issued = day("2024-12-02");
    if today >= issued {
        let m = MatterInput {
            kind: Some(MatterKind::Correction),
            issues: "辖区企业履职承诺签订率偏低（演示数据）".into(),
            actions: "督促企业完成履职承诺签订并报送名单。".into(),
            due_on: Some(day("2024-12-09")),
            ..MatterInput::default()
        }
        .check(issued)
        .map_err(StoreError::Refused)?;
        issue(store, &who, campaign_id, before, &m).await?;
    }
    Ok(())
}
