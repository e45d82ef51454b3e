//! Account administration (issue #5): the system administrator lists, creates, disables and
//! enables accounts, resets passwords and provisions enterprise accounts in bulk; the security
//! administrator assigns roles and scopes. Accounts are never deleted, so that past audit records
//! keep naming their user (case B25). Every change ends the sessions it must, and is audited in
//! the same transaction.

use safeduty_core::accounts::RowError;
use safeduty_core::policy::{AccountFacts, AccountScope, Role, UnitKind};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Entry, Event, Who};
use crate::org::{self, NewUser};
use crate::{Store, StoreError, Tx, now_text};

/// Where an account is anchored: the region, unit or enterprise its role needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Anchor {
    /// A region (committee office, assessor, administrators).
    Region(i64),
    /// A unit (unit officers).
    Unit(i64),
    /// An enterprise (enterprise users).
    Enterprise(i64),
}

impl Anchor {
    /// Whether `role` is anchored this way: one role per account, with the anchor of that role
    /// and no other (the same rule as the `users_one_role` constraint).
    pub fn fits(self, role: Role) -> bool {
        matches!(
            (role, self),
            (
                Role::CommitteeOffice
                    | Role::Assessor
                    | Role::SystemAdmin
                    | Role::SecurityAdmin
                    | Role::AuditAdmin,
                Anchor::Region(_)
            ) | (Role::UnitOfficer, Anchor::Unit(_))
                | (Role::EnterpriseUser, Anchor::Enterprise(_))
        )
    }

    fn columns(self) -> (Option<i64>, Option<i64>, Option<i64>) {
        match self {
            Anchor::Region(id) => (Some(id), None, None),
            Anchor::Unit(id) => (None, Some(id), None),
            Anchor::Enterprise(id) => (None, None, Some(id)),
        }
    }
}

/// An account as the administrators' list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Login name (used in the administrators' URLs).
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Region, unit or enterprise name.
    pub affiliation: String,
    /// Disabled.
    pub disabled: bool,
    /// Must change the password at next login.
    pub must_change_password: bool,
    /// Its role awaits the security administrator's grant ([`grant`]).
    pub grant_pending: bool,
    /// Has a TOTP second factor.
    pub totp_enrolled: bool,
    /// The latest end of a lock of its name from some client address (UTC instant text), if
    /// one was recorded in the last days ([`crate::identity::record_failure`]).
    pub locked_until: Option<String>,
    /// Demo account.
    pub is_demo: bool,
    /// What decides who may manage it.
    pub facts: AccountFacts,
}

/// Anchor path of an account: its region, its unit's region, or its enterprise's region.
const ACCOUNT_SELECT: &str = "SELECT u.id, u.username, u.display_name, u.role, u.disabled, \
    u.must_change_password, u.grant_pending, u.is_demo, \
    (SELECT MAX(f.locked_until) FROM login_failures f WHERE f.name_key = LOWER(u.username)) \
    AS locked_until, \
    CAST(CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END AS BIGINT) AS totp_enrolled, \
    COALESCE(ur.path, nr.path, er.path) AS anchor_path, \
    COALESCE(e.name, n.name, ur.name, '') AS affiliation FROM users u \
    LEFT JOIN regions ur ON ur.id = u.region_id \
    LEFT JOIN units n ON n.id = u.unit_id \
    LEFT JOIN regions nr ON nr.id = n.region_id \
    LEFT JOIN enterprises e ON e.id = u.enterprise_id \
    LEFT JOIN regions er ON er.id = e.region_id";

fn account_from_row(r: &AnyRow) -> Result<Account, StoreError> {
    let code: String = r.try_get("role")?;
    Ok(Account {
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        role: Role::from_code(&code)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown role {code:?}")))?,
        affiliation: r.try_get("affiliation")?,
        disabled: r.try_get::<i64, _>("disabled")? != 0,
        must_change_password: r.try_get::<i64, _>("must_change_password")? != 0,
        grant_pending: r.try_get::<i64, _>("grant_pending")? != 0,
        totp_enrolled: r.try_get::<i64, _>("totp_enrolled")? != 0,
        locked_until: r.try_get("locked_until")?,
        is_demo: r.try_get::<i64, _>("is_demo")? != 0,
        facts: AccountFacts {
            user_id: r.try_get("id")?,
            region_path: r.try_get("anchor_path")?,
            role: Role::from_code(&code),
        },
    })
}

/// Most accounts one list shows; a search narrows it.
pub const LIST_LIMIT: i64 = 200;

/// The accounts in `scope` whose login or display name contains `search` literally (all when
/// empty), only those awaiting a grant when `pending_only`, by login name, at most
/// [`LIST_LIMIT`]; filtered in the query. Nothing for [`AccountScope::Nothing`].
///
/// # Errors
/// [`StoreError::Database`].
pub async fn list(
    store: &Store,
    scope: &AccountScope,
    search: &str,
    pending_only: bool,
) -> Result<Vec<Account>, StoreError> {
    let AccountScope::RegionSubtree { region_path } = scope else {
        return Ok(Vec::new());
    };
    // What is typed is matched literally: % and _ are not wildcards here.
    let literal = search
        .trim()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let pattern = format!("%{literal}%");
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT * FROM ({ACCOUNT_SELECT}) a \
         WHERE substr(a.anchor_path, 1, length($1)) = $1 \
         AND (a.username LIKE $2 ESCAPE '\\' OR a.display_name LIKE $2 ESCAPE '\\') \
         AND a.grant_pending >= $4 ORDER BY a.username LIMIT $3"
    )))
    .bind(region_path)
    .bind(&pattern)
    .bind(LIST_LIMIT)
    .bind(i64::from(pending_only))
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(account_from_row).collect()
}

/// The account with this login name, whoever asks: the caller decides with the policy.
///
/// # Errors
/// [`StoreError::NotFound`].
pub async fn by_username(store: &Store, username: &str) -> Result<Account, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{ACCOUNT_SELECT} WHERE u.username = $1"
    )))
    .bind(username)
    .fetch_optional(store.reader())
    .await?
    .ok_or(StoreError::NotFound)?;
    account_from_row(&row)
}

/// The region path an anchor lies in (for the scope check of a new anchor).
///
/// # Errors
/// [`StoreError::NotFound`] when the region, unit or enterprise does not exist.
pub async fn anchor_path(store: &Store, anchor: Anchor) -> Result<String, StoreError> {
    let (sql, id) = match anchor {
        Anchor::Region(id) => ("SELECT path FROM regions WHERE id = $1", id),
        Anchor::Unit(id) => (
            "SELECT r.path FROM units n JOIN regions r ON r.id = n.region_id WHERE n.id = $1",
            id,
        ),
        Anchor::Enterprise(id) => (
            "SELECT r.path FROM enterprises e JOIN regions r ON r.id = e.region_id WHERE e.id = $1",
            id,
        ),
    };
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_optional(store.reader())
        .await?
        .ok_or(StoreError::NotFound)
}

async fn require_change_in(tx: &mut Tx, who: &Who, user_id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET must_change_password = 1, updated_at = $1 WHERE id = $2")
        .bind(now_text())
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    audit::record(
        tx,
        Entry {
            who,
            event: Event::PasswordChangeRequired,
            target_kind: crate::audit::Object::User.into(),
            target_id: user_id.to_string(),
            before: None,
            after: None,
            result: "ok",
        },
    )
    .await
}

/// Creates an account handed over with a first password: it must be changed at first login.
/// The role must fit the anchor (one role per account), and is only proposed: it takes effect
/// when the security administrator grants it ([`grant`]), so that the administrator who knows
/// the first password cannot alone hold a working business account (issue #16 point 1).
///
/// # Errors
/// [`StoreError::Conflict`] when the login name exists or the anchor does not fit the role.
pub async fn create(store: &Store, who: &Who, u: &NewUser) -> Result<i64, StoreError> {
    let mut tx = store.write().await?;
    let id = create_in(&mut tx, who, u).await?;
    tx.commit().await?;
    Ok(id)
}

async fn create_in(tx: &mut Tx, who: &Who, u: &NewUser) -> Result<i64, StoreError> {
    let anchors = [
        u.region_id.map(Anchor::Region),
        u.unit_id.map(Anchor::Unit),
        u.enterprise_id.map(Anchor::Enterprise),
    ];
    let mut set = anchors.into_iter().flatten();
    match (set.next(), set.next()) {
        (Some(a), None) if a.fits(u.role) => {}
        _ => {
            return Err(StoreError::Conflict(
                "账号只能有一个角色及其对应的范围".into(),
            ));
        }
    }
    let id = org::create_user(tx, who, u).await?;
    require_change_in(tx, who, id).await?;
    sqlx::query("UPDATE users SET grant_pending = 1 WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let (region, unit, enterprise) = (u.region_id, u.unit_id, u.enterprise_id);
    audit::record(
        tx,
        Entry {
            who,
            event: Event::RoleProposed,
            target_kind: crate::audit::Object::User.into(),
            target_id: id.to_string(),
            before: None,
            after: Some(serde_json::json!({
                "role": u.role.code(),
                "region_id": region,
                "unit_id": unit,
                "enterprise_id": enterprise,
                "grant_pending": true,
            })),
            result: "ok",
        },
    )
    .await?;
    Ok(id)
}

/// Disables (ending every session) or enables an account; audited with before and after.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn set_disabled(
    store: &Store,
    who: &Who,
    user_id: i64,
    disabled: bool,
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    sqlx::query("UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(disabled))
        .bind(now_text())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let ended = if disabled {
        crate::sessions::end_all_in(&mut tx, user_id).await?
    } else {
        0
    };
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::AccountStatusChanged,
            target_kind: crate::audit::Object::User.into(),
            target_id: user_id.to_string(),
            before: Some(serde_json::json!({ "disabled": !disabled })),
            after: Some(serde_json::json!({ "disabled": disabled, "sessions_ended": ended })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a new first password chosen by an administrator: the old one goes to the history, the
/// lock is cleared, every session ends, and the user must change it at next login. On a business
/// account the role is suspended until the security administrator grants it again ([`grant`]), so
/// that the administrator who knows the new password cannot alone use the account; the owner is
/// told in its inbox and on the outbound channels ([`crate::reminders::notify_account_in`]).
/// Audited without hashes. Returns whether the role was suspended.
///
/// # Errors
/// [`StoreError::NotFound`] for no such account; [`StoreError::Database`].
pub async fn reset_password(
    store: &Store,
    who: &Who,
    user_id: i64,
    new_hash: &str,
    today: chrono::NaiveDate,
) -> Result<bool, StoreError> {
    let mut tx = store.write().await?;
    let code: String = sqlx::query_scalar("SELECT role FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    let suspend = Role::from_code(&code).is_some_and(|r| !r.is_administrator());
    let ended = crate::identity::set_password_in(&mut tx, user_id, new_hash, true).await?;
    if suspend {
        sqlx::query("UPDATE users SET grant_pending = 1 WHERE id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    }
    let message = format!(
        "您的账号密码已于{today}由管理员重置，首次登录须修改密码{}。如非本人申请，请立即联系安全管理员。",
        if suspend {
            "；账号权限已暂停，待安全管理员恢复授权后生效"
        } else {
            ""
        }
    );
    crate::reminders::notify_account_in(
        &mut tx,
        user_id,
        format!("password_reset:{}", now_text()),
        message,
        today,
    )
    .await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::PasswordReset,
            target_kind: crate::audit::Object::User.into(),
            target_id: user_id.to_string(),
            before: None,
            after: Some(serde_json::json!({
                "must_change_password": true,
                "sessions_ended": ended,
                "grant_pending": suspend,
                "owner_notified": true,
            })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(suspend)
}

/// Gives the account `role` anchored at `anchor` (replacing its role: one per account), in effect
/// at once (a pending grant is granted), and ends every session of the user, so that the new
/// privileges start with a new login. Audited with the role, anchor and grant before and after.
///
/// # Errors
/// [`StoreError::Conflict`] when the anchor does not fit the role, or when an administrator's
/// account would become a business account (its holder, who knows its password, would hold a
/// working business account: a business user gets an account of its own).
pub async fn assign_role(
    store: &Store,
    who: &Who,
    user_id: i64,
    role: Role,
    anchor: Anchor,
) -> Result<(), StoreError> {
    if !anchor.fits(role) {
        return Err(StoreError::Conflict(
            "账号只能有一个角色及其对应的范围".into(),
        ));
    }
    let mut tx = store.write().await?;
    let before = sqlx::query(
        "SELECT role, region_id, unit_id, enterprise_id, grant_pending FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    let was: String = before.try_get("role")?;
    if Role::from_code(&was).is_some_and(Role::is_administrator) && !role.is_administrator() {
        return Err(StoreError::Conflict(
            "管理员账号不能改为业务账号，请为业务人员另建账号".into(),
        ));
    }
    let before = serde_json::json!({
        "role": was,
        "region_id": before.try_get::<Option<i64>, _>("region_id")?,
        "unit_id": before.try_get::<Option<i64>, _>("unit_id")?,
        "enterprise_id": before.try_get::<Option<i64>, _>("enterprise_id")?,
        "grant_pending": before.try_get::<i64, _>("grant_pending")? != 0,
    });
    let (region, unit, enterprise) = anchor.columns();
    sqlx::query(
        "UPDATE users SET role = $1, region_id = $2, unit_id = $3, enterprise_id = $4, \
         grant_pending = 0, updated_at = $5 WHERE id = $6",
    )
    .bind(role.code())
    .bind(region)
    .bind(unit)
    .bind(enterprise)
    .bind(now_text())
    .bind(user_id)
    .execute(&mut *tx)
    .await
    .map_err(|e| StoreError::from_write(e, "账号只能有一个角色及其对应的范围"))?;
    let ended = crate::sessions::end_all_in(&mut tx, user_id).await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::RoleAssigned,
            target_kind: crate::audit::Object::User.into(),
            target_id: user_id.to_string(),
            before: Some(before),
            after: Some(serde_json::json!({
                "role": role.code(),
                "region_id": region,
                "unit_id": unit,
                "enterprise_id": enterprise,
                "grant_pending": false,
                "sessions_ended": ended,
            })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Grants the role the account `user_id` holds pending (proposed at creation or suspended by a
/// reset) as it is, and ends its sessions. Audited. False when nothing was pending.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn grant(store: &Store, who: &Who, user_id: i64) -> Result<bool, StoreError> {
    let mut tx = store.write().await?;
    let granted = grant_in(&mut tx, who, user_id).await?;
    tx.commit().await?;
    Ok(granted)
}

async fn grant_in(tx: &mut Tx, who: &Who, user_id: i64) -> Result<bool, StoreError> {
    let row = sqlx::query(
        "UPDATE users SET grant_pending = 0, updated_at = $1 WHERE id = $2 AND grant_pending = 1 \
         RETURNING role, region_id, unit_id, enterprise_id",
    )
    .bind(now_text())
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else {
        return Ok(false);
    };
    let ended = crate::sessions::end_all_in(tx, user_id).await?;
    audit::record(
        tx,
        Entry {
            who,
            event: Event::RoleGranted,
            target_kind: crate::audit::Object::User.into(),
            target_id: user_id.to_string(),
            before: Some(serde_json::json!({ "grant_pending": true })),
            after: Some(serde_json::json!({
                "role": row.try_get::<String, _>("role")?,
                "region_id": row.try_get::<Option<i64>, _>("region_id")?,
                "unit_id": row.try_get::<Option<i64>, _>("unit_id")?,
                "enterprise_id": row.try_get::<Option<i64>, _>("enterprise_id")?,
                "grant_pending": false,
                "sessions_ended": ended,
            })),
            result: "ok",
        },
    )
    .await?;
    Ok(true)
}

/// Grants, in one transaction, every pending enterprise account of the enterprises in the region
/// subtree `region_path` (the bulk provisioning's counterpart), except `except` (the granting
/// administrator's own account). Each audited as by [`grant`]. Returns how many.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn grant_enterprise_accounts(
    store: &Store,
    who: &Who,
    region_path: &str,
    except: i64,
) -> Result<usize, StoreError> {
    let mut tx = store.write().await?;
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT u.id FROM users u JOIN enterprises e ON e.id = u.enterprise_id \
         JOIN regions r ON r.id = e.region_id \
         WHERE u.grant_pending = 1 AND u.role = $1 AND u.id <> $2 \
         AND substr(r.path, 1, length($3)) = $3 ORDER BY u.id",
    )
    .bind(Role::EnterpriseUser.code())
    .bind(except)
    .bind(region_path)
    .fetch_all(&mut *tx)
    .await?;
    for id in &ids {
        grant_in(&mut tx, who, *id).await?;
    }
    tx.commit().await?;
    Ok(ids.len())
}

/// One enterprise account to provision: the row it came from, the enterprise's code, the login
/// name, the display name and the hash of its first password.
#[derive(Debug, Clone)]
pub struct Provision {
    /// Row of the file (0 when generated).
    pub row: u32,
    /// USCC of the enterprise.
    pub uscc: String,
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// argon2id hash of the first password.
    pub password_hash: String,
}

/// Creates every account of `rows` in one transaction, or none: each enterprise must exist in
/// the region subtree `region_path` and each login name must be free. Every account must change
/// its first password at first login. Audited per account and once for the whole.
///
/// # Errors
/// `Ok(Err(errors))` with every rejected row (nothing written); store errors.
pub async fn provision(
    store: &Store,
    who: &Who,
    region_path: &str,
    rows: &[Provision],
) -> Result<Result<usize, Vec<RowError>>, StoreError> {
    let mut tx = store.write().await?;
    let mut errors = Vec::new();
    let mut ids = Vec::with_capacity(rows.len());
    for p in rows {
        let enterprise: Option<i64> = sqlx::query_scalar(
            "SELECT e.id FROM enterprises e JOIN regions r ON r.id = e.region_id \
             WHERE e.uscc = $1 AND substr(r.path, 1, length($2)) = $2",
        )
        .bind(&p.uscc)
        .bind(region_path)
        .fetch_optional(&mut *tx)
        .await?;
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(&p.username)
            .fetch_optional(&mut *tx)
            .await?;
        let err = |column: &str, reason: &str| RowError {
            row: p.row,
            column: column.into(),
            reason: reason.into(),
        };
        if enterprise.is_none() {
            errors.push(err("统一社会信用代码", "企业不存在或不在管辖范围内"));
        }
        if taken.is_some() {
            errors.push(err("用户名", "用户名已存在"));
        }
        if let (Some(e), None, true) = (enterprise, taken, errors.is_empty()) {
            ids.push(e);
        }
    }
    if !errors.is_empty() {
        tx.rollback().await?;
        return Ok(Err(errors));
    }
    for (p, enterprise_id) in rows.iter().zip(ids) {
        create_in(
            &mut tx,
            who,
            &NewUser {
                username: p.username.clone(),
                display_name: p.display_name.clone(),
                password_hash: p.password_hash.clone(),
                role: Role::EnterpriseUser,
                region_id: None,
                unit_id: None,
                enterprise_id: Some(enterprise_id),
                is_demo: false,
            },
        )
        .await?;
    }
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::AccountsProvisioned,
            target_kind: crate::audit::Object::Region.into(),
            target_id: region_path.to_string(),
            before: None,
            after: Some(serde_json::json!({ "accounts": rows.len() })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(rows.len()))
}

/// The enterprises in the region subtree `region_path` that have no account yet: (USCC, name),
/// by USCC.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn enterprises_without_account(
    store: &Store,
    region_path: &str,
) -> Result<Vec<(String, String)>, StoreError> {
    let rows = sqlx::query(
        "SELECT e.uscc, e.name FROM enterprises e JOIN regions r ON r.id = e.region_id \
         WHERE substr(r.path, 1, length($1)) = $1 \
         AND NOT EXISTS (SELECT 1 FROM users u WHERE u.enterprise_id = e.id) ORDER BY e.uscc",
    )
    .bind(region_path)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("uscc")?, r.try_get("name")?)))
        .collect()
}

/// The regions and units in the region subtree `region_path`, for the security administrator's
/// scope choice: (id, label) of each region, (id, label, kind) of each unit, by path.
///
/// # Errors
/// [`StoreError::Database`], [`StoreError::Corrupt`] for a unit of an unknown kind.
pub async fn anchors_under(
    store: &Store,
    region_path: &str,
) -> Result<(Vec<(i64, String)>, Vec<(i64, String, UnitKind)>), StoreError> {
    let regions = org::regions_under(store, region_path)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    let rows = sqlx::query(
        "SELECT n.id, n.name, n.kind, r.name AS region_name FROM units n \
         JOIN regions r ON r.id = n.region_id \
         WHERE substr(r.path, 1, length($1)) = $1 ORDER BY r.path, n.name",
    )
    .bind(region_path)
    .fetch_all(store.reader())
    .await?;
    let units = rows
        .iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            Ok((
                r.try_get("id")?,
                format!(
                    "{}（{}）",
                    r.try_get::<String, _>("name")?,
                    r.try_get::<String, _>("region_name")?
                ),
                UnitKind::from_code(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("unit kind {kind:?}")))?,
            ))
        })
        .collect::<Result<_, StoreError>>()?;
    Ok((regions, units))
}

/// The id of the enterprise with this USCC.
///
/// # Errors
/// [`StoreError::NotFound`].
pub async fn enterprise_id_by_uscc(store: &Store, uscc: &str) -> Result<i64, StoreError> {
    sqlx::query_scalar("SELECT id FROM enterprises WHERE uscc = $1")
        .bind(uscc)
        .fetch_optional(store.reader())
        .await?
        .ok_or(StoreError::NotFound)
}
