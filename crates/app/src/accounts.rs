//! Account administration (GB/T 22239-2019 8.1.4.2, separation of the administrator duties):
//! the system administrator lists, creates, disables and enables business accounts, resets
//! passwords (a new first password, shown once) and provisions enterprise accounts in bulk; the
//! security administrator grants role and scope, and manages the other administrators'
//! accounts. Every account handed out lies inside the actor's account scope; accounts are never
//! deleted. A form refused for a reason a person can correct is [`Refusal::invalid`].
//!
//! No one administrator can end up holding a working business account (issue #16 point 1): the
//! system administrator, who sees first passwords, only proposes a role (the account sees nothing
//! until the security administrator grants it, [`grant`]); its reset of a business account's
//! password suspends the role until granted again, and tells the owner; the security
//! administrator, who grants, never sees a business account's password; an administrator's account
//! never becomes a business account. What remains (two administrators acting together, a first
//! password used before its owner does) is in the README's account section.

use rand::RngCore;
use safeduty_core::accounts::{FIRST_PASSWORD_RANDOM, RowError, first_password, username_for};
use safeduty_core::policy::{
    AccountFacts, AccountScope, Action, Role, authorize, authorize_account,
};
use safeduty_core::refusal::Refusal;
use safeduty_core::uscc::Uscc;
use safeduty_store::accounts::{self, Account, Anchor, Provision};
use safeduty_store::org::NewUser;
use safeduty_store::{Store, StoreError};

use crate::identity::hash;
use crate::{Caller, Error, guard};

/// A first password handed over once: user name, display name, password.
pub type HandedOver = (String, String, String);

pub(crate) fn new_first_password() -> String {
    let mut random = [0u8; FIRST_PASSWORD_RANDOM];
    rand::rng().fill_bytes(&mut random);
    first_password(&random)
}

fn region_path<'a>(caller: &'a Caller<'_>) -> Result<&'a str, Error> {
    match &caller.user.accounts {
        AccountScope::RegionSubtree { region_path } => Ok(region_path),
        AccountScope::Nothing => Err(Error::NotFound),
    }
}

/// The regions and units an account may be anchored to, under the actor's region: (id, name).
pub type Anchors = (
    Vec<(i64, String)>,
    Vec<(i64, String, safeduty_core::policy::UnitKind)>,
);

/// The account list of an administrator.
#[derive(Debug)]
pub struct AccountList {
    /// Accounts matching the search, at most [`accounts::LIST_LIMIT`].
    pub accounts: Vec<Account>,
    /// Regions and units to anchor an account to.
    pub anchors: Anchors,
    /// Whether the caller creates, disables and resets accounts.
    pub manage: bool,
    /// Whether the caller assigns roles and scopes.
    pub assign: bool,
}

/// The accounts inside the caller's account scope matching `search` (user or display name,
/// typed literally), only those awaiting a grant when `pending_only`.
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] without an account scope; store errors.
pub async fn list(
    store: &Store,
    caller: &Caller<'_>,
    search: &str,
    pending_only: bool,
) -> Result<AccountList, Error> {
    guard::require(store, caller, Action::ListAccounts, None).await?;
    let actor = caller.actor();
    let allowed = |a| authorize(&actor, a, None).is_ok();
    Ok(AccountList {
        anchors: accounts::anchors_under(store, region_path(caller)?).await?,
        accounts: accounts::list(store, &caller.user.accounts, search, pending_only).await?,
        manage: allowed(Action::ManageAccounts),
        assign: allowed(Action::AssignRoles),
    })
}

/// A role and scope as typed: the role code, the anchor (`r<id>` a region, `u<id>` a unit) and
/// for an enterprise user its unified social credit code.
#[derive(Debug, Clone, Default)]
pub struct RoleInput {
    /// [`Role::code`].
    pub role: String,
    /// `r<id>` or `u<id>`.
    pub anchor: String,
    /// The enterprise's code, for enterprise users.
    pub uscc: String,
}

/// The role and anchor `input` names, the anchor inside the actor's account scope (nobody hands
/// out what they do not administer).
async fn role_and_anchor(
    store: &Store,
    caller: &Caller<'_>,
    target_id: i64,
    input: &RoleInput,
    action: Action,
) -> Result<(Role, Anchor), Error> {
    // A guest account is issued by an invitation to an acceptance inspection, never granted.
    let role = Role::from_code(&input.role)
        .filter(|r| r.is_assignable())
        .ok_or_else(|| Refusal::invalid("请选择角色"))?;
    let anchor = if role == Role::EnterpriseUser {
        let uscc = Uscc::parse(&safeduty_core::roster::clean::code(&input.uscc))
            .map_err(|e| Refusal::invalid(format!("统一社会信用代码：{e}")))?;
        match accounts::enterprise_id_by_uscc(store, &uscc.to_string()).await {
            Ok(id) => Anchor::Enterprise(id),
            Err(StoreError::NotFound) => {
                return Err(
                    Refusal::invalid("统一社会信用代码：企业不存在或不在管辖范围内").into(),
                );
            }
            Err(e) => return Err(e.into()),
        }
    } else {
        let id = |prefix: char| {
            input
                .anchor
                .strip_prefix(prefix)
                .and_then(|s| s.parse::<i64>().ok())
        };
        match (role, id('r'), id('u')) {
            (Role::UnitOfficer, _, Some(u)) => Anchor::Unit(u),
            (Role::UnitOfficer, _, None) => {
                return Err(Refusal::invalid("属地/行业部门账号须选择单位").into());
            }
            (_, Some(r), _) => Anchor::Region(r),
            _ => return Err(Refusal::invalid("请选择该角色的管辖区域").into()),
        }
    };
    let path = match accounts::anchor_path(store, anchor).await {
        Ok(p) => p,
        Err(StoreError::NotFound) => return Err(Refusal::invalid("所选范围不存在").into()),
        Err(e) => return Err(e.into()),
    };
    let facts = AccountFacts {
        user_id: target_id,
        region_path: Some(path),
        role: None,
    };
    if authorize_account(&caller.actor(), action, &facts).is_err() {
        return Err(Refusal::invalid("所选范围不在您的管辖范围内").into());
    }
    Ok((role, anchor))
}

/// A new business account with a first password, handed over once (the user changes it at
/// first login). Its role and scope are proposed: in effect once the security administrator
/// grants them ([`grant`]). Administrator roles are the security administrator's to give.
///
/// # Errors
/// The guard's denials; [`Refusal::invalid`] for a user or display name the rules refuse, a
/// role or scope as [`RoleInput`] says, an administrator role; [`StoreError::Conflict`] (in
/// [`Error::Store`]) for a user name taken; store errors.
pub async fn create(
    store: &Store,
    caller: &Caller<'_>,
    username: &str,
    display_name: &str,
    role: &RoleInput,
) -> Result<HandedOver, Error> {
    guard::require(store, caller, Action::ManageAccounts, None).await?;
    let username = username.trim().to_ascii_lowercase();
    let display_name = display_name.trim().to_string();
    safeduty_core::accounts::check_username(&username).map_err(Refusal::invalid)?;
    safeduty_core::accounts::check_display_name(&display_name).map_err(Refusal::invalid)?;
    let (role, anchor) = role_and_anchor(store, caller, 0, role, Action::ManageAccounts).await?;
    if role.is_administrator() {
        return Err(Refusal::invalid("管理员角色须由安全管理员授予").into());
    }
    let password = new_first_password();
    let (region_id, unit_id, enterprise_id) = match anchor {
        Anchor::Region(id) => (Some(id), None, None),
        Anchor::Unit(id) => (None, Some(id), None),
        Anchor::Enterprise(id) => (None, None, Some(id)),
    };
    accounts::create(
        store,
        &caller.who(),
        &NewUser {
            username: username.clone(),
            display_name: display_name.clone(),
            password_hash: hash(&password).await?,
            role,
            region_id,
            unit_id,
            enterprise_id,
            is_demo: false,
        },
    )
    .await?;
    Ok((username, display_name, password))
}

/// The account `username`, if the caller may take `action` on it (outside the scope, or
/// unknown: 404, recorded).
///
/// # Errors
/// [`Error::NotFound`], the guard's denials, store errors.
pub async fn target(
    store: &Store,
    caller: &Caller<'_>,
    username: &str,
    action: Action,
) -> Result<Account, Error> {
    let account = match accounts::by_username(store, username).await {
        Ok(a) => a,
        Err(StoreError::NotFound) => {
            let nobody = AccountFacts {
                user_id: 0,
                region_path: None,
                role: None,
            };
            guard::require_account(store, caller, action, &nobody).await?;
            return Err(Error::NotFound);
        }
        Err(e) => return Err(e.into()),
    };
    guard::require_account(store, caller, action, &account.facts).await?;
    Ok(account)
}

/// Disables (its sessions end) or enables the account `username`.
///
/// # Errors
/// As [`target`]; store errors.
pub async fn set_disabled(
    store: &Store,
    caller: &Caller<'_>,
    username: &str,
    disabled: bool,
) -> Result<(), Error> {
    let account = target(store, caller, username, Action::ManageAccounts).await?;
    Ok(accounts::set_disabled(store, &caller.who(), account.facts.user_id, disabled).await?)
}

/// A new first password for the account `username`, handed over once; the user must change it
/// at next login, every session of the user ends, its owner is told (inbox and outbound
/// channels, dated `today`), and a business account's role is suspended until the security
/// administrator grants it again. Returns the password and whether the role was suspended.
///
/// # Errors
/// As [`target`]; store errors.
pub async fn reset_password(
    store: &Store,
    caller: &Caller<'_>,
    username: &str,
    today: chrono::NaiveDate,
) -> Result<(HandedOver, bool), Error> {
    let account = target(store, caller, username, Action::ManageAccounts).await?;
    let password = new_first_password();
    let suspended = accounts::reset_password(
        store,
        &caller.who(),
        account.facts.user_id,
        &hash(&password).await?,
        today,
    )
    .await?;
    Ok((
        (account.username, account.display_name, password),
        suspended,
    ))
}

/// Grants the account `username` the role it holds pending, as it is (the security
/// administrator's act); its sessions end.
///
/// # Errors
/// As [`target`]; [`Refusal::invalid`] when nothing is pending; store errors.
pub async fn grant(store: &Store, caller: &Caller<'_>, username: &str) -> Result<(), Error> {
    let account = target(store, caller, username, Action::AssignRoles).await?;
    if !accounts::grant(store, &caller.who(), account.facts.user_id).await? {
        return Err(Refusal::invalid("该账号没有待授予的角色").into());
    }
    Ok(())
}

/// Grants every pending enterprise account in the caller's region (after a bulk provisioning);
/// returns how many.
///
/// # Errors
/// The guard's denials; store errors.
pub async fn grant_enterprise_accounts(store: &Store, caller: &Caller<'_>) -> Result<usize, Error> {
    guard::require(store, caller, Action::AssignRoles, None).await?;
    Ok(accounts::grant_enterprise_accounts(
        store,
        &caller.who(),
        region_path(caller)?,
        caller.user.id,
    )
    .await?)
}

/// The account `username` and the anchors its role may be given, for the role form.
///
/// # Errors
/// As [`target`]; store errors.
pub async fn role_form(
    store: &Store,
    caller: &Caller<'_>,
    username: &str,
) -> Result<(Account, Anchors), Error> {
    let account = target(store, caller, username, Action::AssignRoles).await?;
    let anchors = accounts::anchors_under(store, region_path(caller)?).await?;
    Ok((account, anchors))
}

/// Gives the account `username` one role and its scope; every session of the user ends, so the
/// new privileges start with a new login.
///
/// # Errors
/// As [`target`]; [`Refusal::invalid`] as [`create`] for the role and scope;
/// [`StoreError::Conflict`] (in [`Error::Store`]) when the store refuses the combination.
pub async fn assign_role(
    store: &Store,
    caller: &Caller<'_>,
    username: &str,
    input: &RoleInput,
) -> Result<(), Error> {
    let account = target(store, caller, username, Action::AssignRoles).await?;
    let id = account.facts.user_id;
    let (role, anchor) = role_and_anchor(store, caller, id, input, Action::AssignRoles).await?;
    Ok(accounts::assign_role(store, &caller.who(), id, role, anchor).await?)
}

/// How many enterprises in the caller's region have no account yet.
///
/// # Errors
/// The guard's denials; store errors.
pub async fn without_account(store: &Store, caller: &Caller<'_>) -> Result<usize, Error> {
    guard::require(store, caller, Action::ManageAccounts, None).await?;
    Ok(
        accounts::enterprises_without_account(store, region_path(caller)?)
            .await?
            .len(),
    )
}

/// Creates the enterprise accounts of `rows` (row, code, user name, display name), all or none:
/// the first passwords, or every row's reason.
///
/// # Errors
/// The guard's denials; store errors.
pub async fn provision(
    store: &Store,
    caller: &Caller<'_>,
    rows: Vec<(u32, String, String, String)>,
) -> Result<Result<Vec<HandedOver>, Vec<RowError>>, Error> {
    guard::require(store, caller, Action::ManageAccounts, None).await?;
    let mut handed = Vec::with_capacity(rows.len());
    let mut provisions = Vec::with_capacity(rows.len());
    for (row, uscc, username, display_name) in rows {
        let password = new_first_password();
        provisions.push(Provision {
            row,
            uscc,
            username: username.clone(),
            display_name: display_name.clone(),
            password_hash: hash(&password).await?,
        });
        handed.push((username, display_name, password));
    }
    Ok(
        match accounts::provision(store, &caller.who(), region_path(caller)?, &provisions).await? {
            Ok(_) => Ok(handed),
            Err(errors) => Err(errors),
        },
    )
}

/// One account per enterprise in the caller's region that has none, named by its code; `None`
/// when every enterprise has one.
///
/// # Errors
/// As [`provision`].
pub async fn provision_missing(
    store: &Store,
    caller: &Caller<'_>,
) -> Result<Option<Result<Vec<HandedOver>, Vec<RowError>>>, Error> {
    guard::require(store, caller, Action::ManageAccounts, None).await?;
    let without = accounts::enterprises_without_account(store, region_path(caller)?).await?;
    if without.is_empty() {
        return Ok(None);
    }
    let rows = without
        .into_iter()
        .filter_map(|(uscc, name)| {
            let code = Uscc::parse(&uscc).ok()?;
            Some((0, uscc, username_for(&code), name))
        })
        .collect();
    Ok(Some(provision(store, caller, rows).await?))
}
