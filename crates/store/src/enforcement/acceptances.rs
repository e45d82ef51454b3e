//! Acceptance inspections (检查验收, issue #14 point 2): the committee office's plan, the link to
//! the inspection record, the third party's assessment and its adoption, the closing, the
//! guests (accounts bound to one acceptance) and the comments. Each step is written whole from
//! the core [`Acceptance`] after it and audited in its transaction with the record before and
//! after; closing disables the acceptance's guest accounts in the same transaction.

use safeduty_core::enforcement::acceptance::{
    Acceptance, Assessment, Closing, Conclusion, Mode, Planned,
};
use safeduty_core::policy::Role;
use safeduty_core::refusal::Refusal;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{date, opt_date};
use crate::audit::{self, Entry, Event, Object, Who};
use crate::org::{self, NewUser};
use crate::{Store, StoreError, Tx, new_public_id, now_text};

/// Answer to a write against an acceptance changed meanwhile.
pub const STALE: &str = "该验收检查刚被他人更新，请刷新后重试";

/// An acceptance as kept, with its unit and enterprise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptanceRow {
    /// Internal id.
    pub id: i64,
    /// Public id.
    pub public_id: String,
    /// The campaign.
    pub campaign_id: i64,
    /// The inspecting unit.
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// The enterprise.
    pub enterprise_id: i64,
    /// Its name.
    pub enterprise_name: String,
    /// Its region's path (scope checks).
    pub region_path: String,
    /// The inspection record's public id, once linked.
    pub inspection_public_id: Option<String>,
    /// The record of its steps.
    pub acceptance: Acceptance,
    /// Version (optimistic concurrency).
    pub version: i64,
}

/// A guest of an acceptance.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GuestRow {
    /// The guest's account.
    pub user_id: i64,
    /// Its login name.
    pub username: String,
    /// Name.
    pub name: String,
    /// Core `GuestKind` code.
    pub kind: String,
    /// Organisation.
    pub organisation: String,
    /// The day invited.
    pub invited_on: String,
    /// The day its access was revoked, if it was.
    pub revoked_on: Option<String>,
}

/// A comment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CommentRow {
    /// Who, as shown then (name and role).
    pub author: String,
    /// What they said.
    pub body: String,
    /// When (UTC timestamp as stored).
    pub created_at: String,
}

/// A guest to invite: the binding and the account issued for it.
#[derive(Debug, Clone)]
pub struct NewGuest {
    /// Login name issued.
    pub username: String,
    /// argon2id PHC string of the password issued.
    pub password_hash: String,
    /// Name.
    pub name: String,
    /// Core `GuestKind` code.
    pub kind: String,
    /// Organisation.
    pub organisation: String,
    /// The day invited.
    pub invited_on: chrono::NaiveDate,
    /// Demo account.
    pub is_demo: bool,
}

const SELECT: &str = "SELECT a.*, u.name AS unit_name, e.name AS enterprise_name, \
    r.path AS region_path, i.public_id AS inspection_public_id FROM acceptances a \
    JOIN units u ON u.id = a.unit_id JOIN enterprises e ON e.id = a.enterprise_id \
    JOIN regions r ON r.id = e.region_id LEFT JOIN inspections i ON i.id = a.inspection_id";

fn corrupt(what: &str, code: &str) -> StoreError {
    StoreError::Corrupt(format!("acceptance {what} {code:?}"))
}

fn from_row(r: &AnyRow) -> Result<AcceptanceRow, StoreError> {
    let mode: String = r.try_get("mode")?;
    let mode = Mode::from_code(&mode).ok_or_else(|| corrupt("mode", &mode))?;
    let conclusion = |column: &str| -> Result<Option<Conclusion>, StoreError> {
        r.try_get::<Option<String>, _>(column)?
            .map(|c| Conclusion::from_code(&c).ok_or_else(|| corrupt(column, &c)))
            .transpose()
    };
    let assessment = match opt_date(r, "assessment_on")? {
        Some(submitted_on) => Some(Assessment {
            submitted_on,
            text: r
                .try_get::<Option<String>, _>("assessment")?
                .unwrap_or_default(),
            conclusion: conclusion("assessment_conclusion")?
                .ok_or_else(|| corrupt("assessment_conclusion", ""))?,
            adopted_on: opt_date(r, "adopted_on")?,
        }),
        None => None,
    };
    let closing = match opt_date(r, "closed_on")? {
        Some(on) => Some(Closing {
            on,
            conclusion: conclusion("conclusion")?.ok_or_else(|| corrupt("conclusion", ""))?,
            opinion: r
                .try_get::<Option<String>, _>("opinion")?
                .unwrap_or_default(),
        }),
        None => None,
    };
    Ok(AcceptanceRow {
        id: r.try_get("id")?,
        public_id: r.try_get("public_id")?,
        campaign_id: r.try_get("campaign_id")?,
        unit_id: r.try_get("unit_id")?,
        unit_name: r.try_get("unit_name")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        region_path: r.try_get("region_path")?,
        inspection_public_id: r.try_get("inspection_public_id")?,
        acceptance: Acceptance {
            plan: Planned {
                planned_on: date(r, "planned_on")?,
                mode,
                third_party: r.try_get("third_party")?,
            },
            inspected_on: opt_date(r, "inspected_on")?,
            assessment,
            closing,
        },
        version: r.try_get("version")?,
    })
}

/// Plans an acceptance of `enterprise_id` by `unit_id` in `campaign_id`, audited. Returns its
/// public id.
///
/// # Errors
/// Database errors.
pub async fn plan(
    store: &Store,
    who: &Who,
    campaign_id: i64,
    unit_id: i64,
    enterprise_id: i64,
    p: &Planned,
) -> Result<String, StoreError> {
    let mut tx = store.write().await?;
    let public_id = new_public_id();
    sqlx::query(
        "INSERT INTO acceptances (public_id, campaign_id, unit_id, enterprise_id, status, \
         planned_on, mode, third_party, planned_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'planned', $5, $6, $7, $8, $9, $9)",
    )
    .bind(&public_id)
    .bind(campaign_id)
    .bind(unit_id)
    .bind(enterprise_id)
    .bind(p.planned_on.to_string())
    .bind(p.mode.code())
    .bind(&p.third_party)
    .bind(who.user_id)
    .bind(now_text())
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::AcceptancePlanned,
            target_kind: Object::Acceptance.into(),
            target_id: public_id.clone(),
            before: None,
            after: Some(serde_json::json!({
                "unit_id": unit_id, "enterprise_id": enterprise_id, "plan": p,
            })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(public_id)
}

/// One acceptance by public id.
///
/// # Errors
/// [`StoreError::NotFound`]; [`StoreError::Corrupt`]; database errors.
pub async fn get(store: &Store, public_id: &str) -> Result<AcceptanceRow, StoreError> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE a.public_id = $1"
    )))
    .bind(public_id)
    .fetch_optional(store.reader())
    .await?
    .ok_or(StoreError::NotFound)?;
    from_row(&r)
}

/// Whose acceptances a list shows.
#[derive(Debug, Clone)]
pub enum Whose {
    /// The inspecting unit's.
    Unit(i64),
    /// Those of enterprises of a region subtree (the committee office, the assessor).
    Region(String),
}

/// The acceptances of `campaign_id` the caller sees, by planned day then id.
///
/// # Errors
/// [`StoreError::Corrupt`]; database errors.
pub async fn list(
    store: &Store,
    campaign_id: i64,
    whose: &Whose,
) -> Result<Vec<AcceptanceRow>, StoreError> {
    let (filter, value) = match whose {
        Whose::Unit(id) => ("a.unit_id = CAST($2 AS BIGINT)", id.to_string()),
        Whose::Region(path) => ("r.path LIKE $2", format!("{path}%")),
    };
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE a.campaign_id = $1 AND {filter} ORDER BY a.planned_on, a.id"
    )))
    .bind(campaign_id)
    .bind(value)
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(from_row).collect()
}

/// The acceptances of `enterprise_id` in `campaign_id`, for its inspection form.
///
/// # Errors
/// [`StoreError::Corrupt`]; database errors.
pub async fn of_enterprise(
    store: &Store,
    campaign_id: i64,
    enterprise_id: i64,
) -> Result<Vec<AcceptanceRow>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE a.campaign_id = $1 AND a.enterprise_id = $2 ORDER BY a.id"
    )))
    .bind(campaign_id)
    .bind(enterprise_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(from_row).collect()
}

/// Writes the step `step` of `a` whole from `next`, checked against the version read, inside
/// the caller's transaction; audits the record before and after. A closing disables the
/// acceptance's guest accounts (they lose access with it).
///
/// # Errors
/// [`StoreError::Conflict`] when it changed meanwhile; database errors.
pub async fn write_step(
    tx: &mut Tx,
    who: &Who,
    a: &AcceptanceRow,
    step: &str,
    next: &Acceptance,
) -> Result<(), StoreError> {
    let s = next.assessment.as_ref();
    let c = next.closing.as_ref();
    let now = now_text();
    let done = sqlx::query(
        "UPDATE acceptances SET status = $1, inspected_on = $2, assessment = $3, \
         assessment_conclusion = $4, assessment_on = $5, adopted_on = $6, closed_on = $7, \
         conclusion = $8, opinion = $9, version = version + 1, updated_at = $10 \
         WHERE id = $11 AND version = $12",
    )
    .bind(next.status().code())
    .bind(next.inspected_on.map(|d| d.to_string()))
    .bind(s.map(|s| s.text.clone()))
    .bind(s.map(|s| s.conclusion.code()))
    .bind(s.map(|s| s.submitted_on.to_string()))
    .bind(s.and_then(|s| s.adopted_on).map(|d| d.to_string()))
    .bind(c.map(|c| c.on.to_string()))
    .bind(c.map(|c| c.conclusion.code()))
    .bind(c.map(|c| c.opinion.clone()))
    .bind(&now)
    .bind(a.id)
    .bind(a.version)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Conflict(STALE.into()));
    }
    if let Some(c) = c {
        sqlx::query(
            "UPDATE users SET disabled = 1, updated_at = $1 WHERE id IN \
             (SELECT user_id FROM acceptance_guests WHERE acceptance_id = $2)",
        )
        .bind(&now)
        .bind(a.id)
        .execute(&mut **tx)
        .await?;
        sqlx::query(
            "UPDATE acceptance_guests SET revoked_on = $1, updated_at = $2 \
             WHERE acceptance_id = $3 AND revoked_on IS NULL",
        )
        .bind(c.on.to_string())
        .bind(&now)
        .bind(a.id)
        .execute(&mut **tx)
        .await?;
    }
    audit::record(
        tx,
        Entry {
            who,
            event: Event::AcceptanceStepRecorded,
            target_kind: Object::Acceptance.into(),
            target_id: a.public_id.clone(),
            before: Some(serde_json::json!(a.acceptance)),
            after: Some({
                let mut after = serde_json::json!(next);
                after["step"] = serde_json::Value::from(step);
                after["status"] = serde_json::Value::from(next.status().code());
                after
            }),
            result: "ok",
        },
    )
    .await
}

/// Records the step `step` of `a` in its own transaction ([`write_step`]).
///
/// # Errors
/// As [`write_step`].
pub async fn record_step(
    store: &Store,
    who: &Who,
    a: &AcceptanceRow,
    step: &str,
    next: &Acceptance,
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    write_step(&mut tx, who, a, step, next).await?;
    tx.commit().await?;
    Ok(())
}

/// Links the inspection `inspection` (id, public id), dated `on`, to the acceptance
/// `acceptance_id` inside the inspection's own transaction: the acceptance must still be open
/// and without a record, read again here so that two officers cannot both link one.
///
/// # Errors
/// [`StoreError::Refused`] (conflict) when it is closed or already has a record; database
/// errors.
pub(crate) async fn link_inspection(
    tx: &mut Tx,
    who: &Who,
    acceptance_id: i64,
    inspection_id: i64,
    on: chrono::NaiveDate,
) -> Result<(), StoreError> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE a.id = $1")))
        .bind(acceptance_id)
        .fetch_one(&mut **tx)
        .await?;
    let a = from_row(&r)?;
    let mut next = a.acceptance.clone();
    next.record_inspection(on).map_err(StoreError::Refused)?;
    write_step(tx, who, &a, "inspect", &next).await?;
    sqlx::query("UPDATE acceptances SET inspection_id = $1 WHERE id = $2")
        .bind(inspection_id)
        .bind(acceptance_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Issues a guest account bound to `a` and records the invitation, audited (the account's
/// creation too, without its password). Returns the account id.
///
/// # Errors
/// [`StoreError::Conflict`] for a login name taken; database errors.
pub async fn invite(
    store: &Store,
    who: &Who,
    a: &AcceptanceRow,
    g: &NewGuest,
) -> Result<i64, StoreError> {
    let mut tx = store.write().await?;
    let user_id = org::create_user(
        &mut tx,
        who,
        &NewUser {
            username: g.username.clone(),
            display_name: g.name.clone(),
            password_hash: g.password_hash.clone(),
            role: Role::Guest,
            region_id: None,
            unit_id: None,
            enterprise_id: None,
            is_demo: g.is_demo,
        },
    )
    .await?;
    if !g.is_demo {
        // The password was issued by an officer: the guest chooses its own at first login.
        sqlx::query("UPDATE users SET must_change_password = 1 WHERE id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    }
    let now = now_text();
    sqlx::query(
        "INSERT INTO acceptance_guests (user_id, acceptance_id, name, kind, organisation, \
         invited_by, invited_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(user_id)
    .bind(a.id)
    .bind(&g.name)
    .bind(&g.kind)
    .bind(&g.organisation)
    .bind(who.user_id)
    .bind(g.invited_on.to_string())
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::AcceptanceGuestInvited,
            target_kind: Object::Acceptance.into(),
            target_id: a.public_id.clone(),
            before: None,
            after: Some(serde_json::json!({
                "user_id": user_id, "username": g.username, "name": g.name, "kind": g.kind,
                "organisation": g.organisation, "invited_on": g.invited_on.to_string(),
            })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(user_id)
}

/// Revokes the guest `user_id` of `a` on `on`: the binding is marked and the account disabled,
/// audited.
///
/// # Errors
/// [`StoreError::NotFound`] for no such guest of `a`; [`StoreError::Refused`] for one already
/// revoked; database errors.
pub async fn revoke(
    store: &Store,
    who: &Who,
    a: &AcceptanceRow,
    user_id: i64,
    on: chrono::NaiveDate,
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    let revoked: Option<Option<String>> = sqlx::query_scalar(
        "SELECT revoked_on FROM acceptance_guests WHERE user_id = $1 AND acceptance_id = $2",
    )
    .bind(user_id)
    .bind(a.id)
    .fetch_optional(&mut *tx)
    .await?;
    match revoked {
        None => return Err(StoreError::NotFound),
        Some(Some(_)) => {
            return Err(StoreError::Refused(Refusal::conflict(
                "该受邀人员的访问权限已撤销",
            )));
        }
        Some(None) => {}
    }
    let now = now_text();
    sqlx::query("UPDATE acceptance_guests SET revoked_on = $1, updated_at = $2 WHERE user_id = $3")
        .bind(on.to_string())
        .bind(&now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE users SET disabled = 1, updated_at = $1 WHERE id = $2")
        .bind(&now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::AcceptanceGuestRevoked,
            target_kind: Object::Acceptance.into(),
            target_id: a.public_id.clone(),
            before: None,
            after: Some(serde_json::json!({"user_id": user_id, "revoked_on": on.to_string()})),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The guests of `acceptance_id`, in the order invited.
///
/// # Errors
/// Database errors.
pub async fn guests(store: &Store, acceptance_id: i64) -> Result<Vec<GuestRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT g.user_id, u.username, g.name, g.kind, g.organisation, g.invited_on, \
         g.revoked_on FROM acceptance_guests g JOIN users u ON u.id = g.user_id \
         WHERE g.acceptance_id = $1 ORDER BY g.user_id",
    )
    .bind(acceptance_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(GuestRow {
                user_id: r.try_get("user_id")?,
                username: r.try_get("username")?,
                name: r.try_get("name")?,
                kind: r.try_get("kind")?,
                organisation: r.try_get("organisation")?,
                invited_on: r.try_get("invited_on")?,
                revoked_on: r.try_get("revoked_on")?,
            })
        })
        .collect()
}

/// The acceptance a guest account is bound to (public id) and whether its access was revoked;
/// `None` for an account that is no guest.
///
/// # Errors
/// Database errors.
pub async fn binding(store: &Store, user_id: i64) -> Result<Option<(String, bool)>, StoreError> {
    let r = sqlx::query(
        "SELECT a.public_id, g.revoked_on FROM acceptance_guests g \
         JOIN acceptances a ON a.id = g.acceptance_id WHERE g.user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(store.reader())
    .await?;
    r.map(|r| {
        Ok((
            r.try_get("public_id")?,
            r.try_get::<Option<String>, _>("revoked_on")?.is_some(),
        ))
    })
    .transpose()
}

/// Adds a comment to `a` by `who` shown as `author`, audited.
///
/// # Errors
/// Database errors.
pub async fn comment(
    store: &Store,
    who: &Who,
    a: &AcceptanceRow,
    author: &str,
    body: &str,
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    let now = now_text();
    sqlx::query(
        "INSERT INTO acceptance_comments (acceptance_id, user_id, author, body, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(a.id)
    .bind(who.user_id)
    .bind(author)
    .bind(body)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::AcceptanceCommented,
            target_kind: Object::Acceptance.into(),
            target_id: a.public_id.clone(),
            before: None,
            after: Some(serde_json::json!({"author": author, "body": body})),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The comments on `acceptance_id`, oldest first.
///
/// # Errors
/// Database errors.
pub async fn comments(store: &Store, acceptance_id: i64) -> Result<Vec<CommentRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT author, body, created_at FROM acceptance_comments WHERE acceptance_id = $1 \
         ORDER BY id",
    )
    .bind(acceptance_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(CommentRow {
                author: r.try_get("author")?,
                body: r.try_get("body")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}
