//! Regions, units, enterprises and users: the organization a campaign runs in.

use safeduty_core::policy::{
    AccountScope, Actor, EnterpriseFacts, Role, Scope, UnitKind, UnitScope,
};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Entry, Event, Who};
use crate::{Store, StoreError, Tx, new_public_id, now_text};

/// A region (province, city, district, town, subdistrict, development zone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Region {
    /// Id.
    pub id: i64,
    /// Parent region, `None` for a root.
    pub parent_id: Option<i64>,
    /// Administrative code (e.g. 450103), unique.
    pub code: String,
    /// Name, e.g. 青秀区.
    pub name: String,
    /// Kind: `province`, `city`, `district`, `town`, `subdistrict`, `zone`.
    pub kind: String,
    /// Materialized path of codes, `/45/4501/450103/`.
    pub path: String,
}

/// Creates a region under `parent`; audited.
///
/// # Errors
/// [`StoreError::Conflict`] when the code exists.
pub async fn create_region(
    tx: &mut Tx,
    who: &Who,
    parent: Option<&Region>,
    code: &str,
    name: &str,
    kind: &str,
) -> Result<Region, StoreError> {
    let path = format!("{}{code}/", parent.map_or("/", |p| p.path.as_str()));
    let now = now_text();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO regions (parent_id, code, name, kind, path, sort_key, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $7, $6, $6) RETURNING id",
    )
    .bind(parent.map(|p| p.id))
    .bind(code)
    .bind(name)
    .bind(kind)
    .bind(&path)
    .bind(&now)
    .bind(crate::keys::stored_pinyin_key(name))
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| StoreError::from_write(e, "region code exists"))?;
    let region = Region {
        id,
        parent_id: parent.map(|p| p.id),
        code: code.into(),
        name: name.into(),
        kind: kind.into(),
        path,
    };
    created(tx, who, crate::audit::Object::Region, code, &region).await?;
    Ok(region)
}

async fn created<T: Serialize>(
    tx: &mut Tx,
    who: &Who,
    kind: crate::audit::Object,
    id: &str,
    after: &T,
) -> Result<(), StoreError> {
    audit::record(
        tx,
        Entry {
            who,
            event: Event::Created,
            target_kind: kind.into(),
            target_id: id.to_string(),
            before: None,
            after: serde_json::to_value(after).ok(),
            result: "ok",
        },
    )
    .await
}

/// All regions under (and including) the region with `path`, ordered by path.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn regions_under(store: &Store, path: &str) -> Result<Vec<Region>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, parent_id, code, name, kind, path FROM regions \
         WHERE substr(path, 1, length($1)) = $1 ORDER BY path",
    )
    .bind(path)
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(region_from_row).collect()
}

/// The region with `id`.
///
/// # Errors
/// [`StoreError::NotFound`]; [`StoreError::Database`].
pub async fn region_by_id(store: &Store, id: i64) -> Result<Region, StoreError> {
    let row =
        sqlx::query("SELECT id, parent_id, code, name, kind, path FROM regions WHERE id = $1")
            .bind(id)
            .fetch_optional(store.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
    region_from_row(&row)
}

/// The region with materialized path `path`.
///
/// # Errors
/// [`StoreError::NotFound`]; [`StoreError::Database`].
pub async fn region_by_path(store: &Store, path: &str) -> Result<Region, StoreError> {
    let row =
        sqlx::query("SELECT id, parent_id, code, name, kind, path FROM regions WHERE path = $1")
            .bind(path)
            .fetch_optional(store.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
    region_from_row(&row)
}

fn region_from_row(r: &AnyRow) -> Result<Region, StoreError> {
    Ok(Region {
        id: r.try_get("id")?,
        parent_id: r.try_get("parent_id")?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        kind: r.try_get("kind")?,
        path: r.try_get("path")?,
    })
}

/// A unit: a committee office, a territorial unit or an industry department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    /// Id.
    pub id: i64,
    /// Kind.
    pub kind: UnitKind,
    /// Name, e.g. 区应急管理局.
    pub name: String,
    /// Region it belongs to (a territorial unit's own region).
    pub region_id: i64,
    /// For an industry department: the key industry it supervises by default.
    pub industry: Option<String>,
}

/// Creates a unit; audited.
///
/// # Errors
/// [`StoreError::Conflict`] when the region already has a unit of that name.
pub async fn create_unit(
    tx: &mut Tx,
    who: &Who,
    kind: UnitKind,
    name: &str,
    region_id: i64,
    industry: Option<&str>,
) -> Result<Unit, StoreError> {
    let now = now_text();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO units (kind, name, region_id, industry, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(kind.code())
    .bind(name)
    .bind(region_id)
    .bind(industry)
    .bind(&now)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| StoreError::from_write(e, "unit exists"))?;
    let unit = Unit {
        id,
        kind,
        name: name.into(),
        region_id,
        industry: industry.map(str::to_string),
    };
    created(tx, who, crate::audit::Object::Unit, &id.to_string(), &unit).await?;
    Ok(unit)
}

/// An enterprise to create.
#[derive(Debug, Clone, Serialize)]
pub struct NewEnterprise {
    /// Unified social credit code, checked by the caller.
    pub uscc: String,
    /// Name.
    pub name: String,
    /// Key industry (one of the plan's target industries, or 其他).
    pub industry: String,
    /// Region (town, subdistrict or zone).
    pub region_id: i64,
    /// Supervising industry department (主管部门).
    pub supervising_unit_id: Option<i64>,
    /// Key enterprise (重点企业).
    pub is_key: bool,
    /// Address.
    pub address: String,
}

/// Creates an enterprise; audited. Returns its id and public id.
///
/// # Errors
/// [`StoreError::Conflict`] when the USCC exists.
pub async fn create_enterprise(
    tx: &mut Tx,
    who: &Who,
    e: &NewEnterprise,
) -> Result<(i64, String), StoreError> {
    let now = now_text();
    let public_id = new_public_id();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO enterprises (public_id, uscc, name, industry, region_id, supervising_unit_id, \
         is_key, address, search_key, sort_key, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $10, $11, $9, $9) RETURNING id",
    )
    .bind(&public_id)
    .bind(&e.uscc)
    .bind(&e.name)
    .bind(&e.industry)
    .bind(e.region_id)
    .bind(e.supervising_unit_id)
    .bind(i64::from(e.is_key))
    .bind(&e.address)
    .bind(&now)
    .bind(crate::keys::enterprise_search_key(&e.name, &e.uscc))
    .bind(crate::keys::stored_pinyin_key(&e.name))
    .fetch_one(&mut **tx)
    .await
    .map_err(|err| StoreError::from_write(err, "统一社会信用代码已存在"))?;
    created(tx, who, crate::audit::Object::Enterprise, &public_id, e).await?;
    Ok((id, public_id))
}

/// An enterprise as shown to people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Enterprise {
    /// Internal id (never shown in URLs).
    #[serde(skip)]
    pub id: i64,
    /// Public identifier used in URLs and the API.
    pub public_id: String,
    /// USCC.
    pub uscc: String,
    /// Name.
    pub name: String,
    /// Key industry.
    pub industry: String,
    /// Region name.
    pub region_name: String,
    /// Supervising department name.
    pub supervising_unit: Option<String>,
    /// Key enterprise.
    pub is_key: bool,
    /// Facts deciding who may see it.
    #[serde(skip)]
    pub facts: EnterpriseFacts,
}

pub(crate) const ENTERPRISE_SELECT: &str = "SELECT e.id, e.public_id, e.uscc, e.name, e.industry, \
    e.supervising_unit_id, e.is_key, r.name AS region_name, r.path AS region_path, \
    u.name AS unit_name FROM enterprises e JOIN regions r ON r.id = e.region_id \
    LEFT JOIN units u ON u.id = e.supervising_unit_id";

pub(crate) fn enterprise_from_row(r: &AnyRow) -> Result<Enterprise, StoreError> {
    let id: i64 = r.try_get("id")?;
    let supervising_unit_id: Option<i64> = r.try_get("supervising_unit_id")?;
    Ok(Enterprise {
        id,
        public_id: r.try_get("public_id")?,
        uscc: r.try_get("uscc")?,
        name: r.try_get("name")?,
        industry: r.try_get("industry")?,
        region_name: r.try_get("region_name")?,
        supervising_unit: r.try_get("unit_name")?,
        is_key: r.try_get::<i64, _>("is_key")? != 0,
        facts: EnterpriseFacts {
            id,
            region_path: r.try_get("region_path")?,
            supervising_unit_id,
        },
    })
}

/// The enterprise with this public id, whoever asks: the caller decides with the policy whether
/// the actor may see it, and answers "not found" otherwise.
///
/// # Errors
/// [`StoreError::NotFound`] when there is none.
pub async fn enterprise_by_public_id(
    store: &Store,
    public_id: &str,
) -> Result<Enterprise, StoreError> {
    if !crate::is_public_id(public_id) {
        return Err(StoreError::NotFound);
    }
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{ENTERPRISE_SELECT} WHERE e.public_id = $1"
    )))
    .bind(public_id)
    .fetch_optional(store.reader())
    .await?
    .ok_or(StoreError::NotFound)?;
    enterprise_from_row(&row)
}

/// The enterprise with this id.
///
/// # Errors
/// [`StoreError::NotFound`] when there is none.
pub async fn enterprise_by_id(store: &Store, id: i64) -> Result<Enterprise, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{ENTERPRISE_SELECT} WHERE e.id = $1"
    )))
    .bind(id)
    .fetch_optional(store.reader())
    .await?
    .ok_or(StoreError::NotFound)?;
    enterprise_from_row(&row)
}

/// A user account to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Login name, unique.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// For committee office and assessor: the region whose subtree they see.
    pub region_id: Option<i64>,
    /// For unit officers: their unit.
    pub unit_id: Option<i64>,
    /// For enterprise users: their enterprise.
    pub enterprise_id: Option<i64>,
    /// Demo account (exempt from later password-change and second-factor rules).
    pub is_demo: bool,
}

/// Creates a user; audited (without the password hash).
///
/// # Errors
/// [`StoreError::Conflict`] when the username exists.
pub async fn create_user(tx: &mut Tx, who: &Who, u: &NewUser) -> Result<i64, StoreError> {
    let now = now_text();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (username, display_name, password_hash, role, region_id, unit_id, \
         enterprise_id, is_demo, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(&u.username)
    .bind(&u.display_name)
    .bind(&u.password_hash)
    .bind(u.role.code())
    .bind(u.region_id)
    .bind(u.unit_id)
    .bind(u.enterprise_id)
    .bind(i64::from(u.is_demo))
    .bind(&now)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| StoreError::from_write(e, "用户名已存在"))?;
    created(
        tx,
        who,
        crate::audit::Object::User,
        &u.username,
        &serde_json::json!({"username": u.username, "role": u.role.code(), "is_demo": u.is_demo}),
    )
    .await?;
    Ok(id)
}

/// A user account as loaded for authentication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// Demo account.
    pub is_demo: bool,
    /// Must choose a new password before anything else (first login, after a reset). Never for
    /// demo accounts.
    pub must_change_password: bool,
    /// Where the user works, shown in the header (unit, region or enterprise name).
    pub affiliation: String,
    /// What the user may see.
    pub scope: Scope,
    /// Whose reporting the user may see.
    pub unit_scope: UnitScope,
    /// The user's unit, for unit officers.
    pub unit_id: Option<i64>,
    /// The accounts the user administers (administrators only).
    pub accounts: AccountScope,
    /// Disabled by the system administrator: cannot log in.
    pub disabled: bool,
    /// Has a confirmed TOTP second factor.
    pub totp_enrolled: bool,
    /// Its business role awaits the security administrator's grant (proposed at creation by the
    /// system administrator, or suspended by a password reset): until then it sees nothing
    /// ([`Scope::Nothing`]), whatever its role says (issue #16 point 1).
    pub grant_pending: bool,
}

impl User {
    /// The user as an actor for the policy.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.id,
            role: self.role,
            scope: self.scope.clone(),
            accounts: self.accounts.clone(),
        }
    }
}

const USER_SELECT: &str = "SELECT u.id, u.username, u.display_name, u.password_hash, u.role, \
    u.is_demo, u.must_change_password, u.enterprise_id, u.disabled, u.grant_pending, \
    CAST(CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END AS BIGINT) AS totp_enrolled, \
    ur.path AS user_region_path, ur.name AS user_region_name, \
    n.id AS unit_id, n.kind AS unit_kind, n.name AS unit_name, nr.path AS unit_region_path, \
    e.name AS enterprise_name FROM users u \
    LEFT JOIN regions ur ON ur.id = u.region_id \
    LEFT JOIN units n ON n.id = u.unit_id \
    LEFT JOIN regions nr ON nr.id = n.region_id \
    LEFT JOIN enterprises e ON e.id = u.enterprise_id";

/// Resolves the scope of a user row (DESIGN.md §1 scope rule); fails closed to
/// [`Scope::Nothing`] when the role's anchor is missing or its grant is pending.
fn user_from_row(r: &AnyRow) -> Result<User, StoreError> {
    let role_code: String = r.try_get("role")?;
    let role = Role::from_code(&role_code)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown role {role_code:?}")))?;
    let grant_pending = r.try_get::<i64, _>("grant_pending")? != 0;
    let region_path: Option<String> = r.try_get("user_region_path")?;
    let unit_id: Option<i64> = r.try_get("unit_id")?;
    let unit_kind = r
        .try_get::<Option<String>, _>("unit_kind")?
        .and_then(|k| UnitKind::from_code(&k));
    let unit_region_path: Option<String> = r.try_get("unit_region_path")?;
    let enterprise_id: Option<i64> = r.try_get("enterprise_id")?;
    let scope = match role {
        Role::CommitteeOffice | Role::Assessor => region_path
            .clone()
            .map(|p| Scope::RegionSubtree { region_path: p }),
        Role::UnitOfficer => match (unit_id, unit_kind, unit_region_path) {
            (
                Some(id),
                Some(kind @ (UnitKind::Territorial | UnitKind::IndustryDepartment)),
                Some(p),
            ) => Some(Scope::of_unit(id, kind, p)),
            _ => None,
        },
        Role::EnterpriseUser => enterprise_id.map(|id| Scope::Enterprise { enterprise_id: id }),
        // Administrators see no campaign data by virtue of their role (issue #5).
        Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin => None,
        // A guest sees nothing through a scope: only the acceptance it is invited to.
        Role::Guest => None,
    }
    .filter(|_| !grant_pending)
    .unwrap_or(Scope::Nothing);
    let accounts = match (role, &region_path) {
        // The audit administrator's region marks it as configured: without one it reads nothing.
        (Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin, Some(p)) if !grant_pending => {
            AccountScope::RegionSubtree {
                region_path: p.clone(),
            }
        }
        _ => AccountScope::Nothing,
    };
    let unit_scope = match (role, &region_path, unit_id) {
        (Role::CommitteeOffice | Role::Assessor, Some(p), _) if !grant_pending => {
            UnitScope::RegionSubtree {
                region_path: p.clone(),
            }
        }
        (Role::UnitOfficer, _, Some(id)) if scope != Scope::Nothing => {
            UnitScope::Unit { unit_id: id }
        }
        _ => UnitScope::Nothing,
    };
    let affiliation = [
        r.try_get::<Option<String>, _>("enterprise_name")?,
        r.try_get::<Option<String>, _>("unit_name")?,
        r.try_get::<Option<String>, _>("user_region_name")?,
    ]
    .into_iter()
    .flatten()
    .next()
    .unwrap_or_default();
    Ok(User {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        password_hash: r.try_get("password_hash")?,
        role,
        is_demo: r.try_get::<i64, _>("is_demo")? != 0,
        must_change_password: r.try_get::<i64, _>("must_change_password")? != 0
            && r.try_get::<i64, _>("is_demo")? == 0,
        affiliation,
        scope,
        unit_scope,
        unit_id,
        accounts,
        disabled: r.try_get::<i64, _>("disabled")? != 0,
        totp_enrolled: r.try_get::<i64, _>("totp_enrolled")? != 0,
        grant_pending,
    })
}

/// The user with this login name.
///
/// # Errors
/// [`StoreError::NotFound`] when there is none.
pub async fn user_by_username(store: &Store, username: &str) -> Result<User, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{USER_SELECT} WHERE u.username = $1"
    )))
    .bind(username)
    .fetch_optional(store.reader())
    .await?
    .ok_or(StoreError::NotFound)?;
    user_from_row(&row)
}

/// The user with this id.
///
/// # Errors
/// [`StoreError::NotFound`] when there is none.
pub async fn user_by_id(store: &Store, id: i64) -> Result<User, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{USER_SELECT} WHERE u.id = $1"
    )))
    .bind(id)
    .fetch_optional(store.reader())
    .await?
    .ok_or(StoreError::NotFound)?;
    user_from_row(&row)
}

/// The name of the committee office of the highest region that has one (the office that
/// organises the campaigns this deployment runs), for the login page; `None` on an empty store.
///
/// # Errors
/// [`StoreError::Database`].
pub async fn organising_office(store: &Store) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT n.name FROM units n JOIN regions r ON r.id = n.region_id \
         WHERE n.kind = 'committee_office' ORDER BY length(r.path), n.id LIMIT 1",
    )
    .fetch_optional(store.reader())
    .await?)
}

/// Whether the store holds no region yet (a fresh store, ready for `--demo`).
///
/// # Errors
/// [`StoreError::Database`].
pub async fn is_empty(store: &Store) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM regions")
        .fetch_one(store.reader())
        .await?;
    Ok(n == 0)
}
