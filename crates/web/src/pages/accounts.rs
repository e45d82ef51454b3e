//! Account administration pages (issue #5). The system administrator (`/admin/accounts`,
//! `/admin/provision`) lists, creates, disables and enables accounts, resets passwords (a new
//! first password shown once) and provisions enterprise accounts in bulk; the security
//! administrator (`/admin/accounts/{username}/role`) assigns role and scope, and disables,
//! enables and resets the other administrators' accounts. Accounts are listed
//! within the administrator's region subtree, and never deleted.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use rand::RngCore;
use safeduty_core::accounts::{
    self as rules, FIRST_PASSWORD_RANDOM, RowError, first_password, parse_provisioning,
};
use safeduty_core::policy::{AccountFacts, AccountScope, Action, Actor, Role};
use safeduty_store::accounts::{self, Account, Anchor, Provision};
use safeduty_store::org::NewUser;
use serde::Deserialize;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::{CurrentUser, hash_password};
use crate::document_form::DocumentForm;
use crate::error::{AppError, PageError};
use crate::extract::PageForm;
use crate::guard::{PageUser, require, require_account};

/// A new first password (random, meets any policy the security administrator may set).
fn new_first_password() -> String {
    let mut random = [0u8; FIRST_PASSWORD_RANDOM];
    rand::rng().fill_bytes(&mut random);
    first_password(&random)
}

fn region_path(user: &CurrentUser) -> Result<&str, AppError> {
    match &user.user.accounts {
        AccountScope::RegionSubtree { region_path } => Ok(region_path),
        AccountScope::Nothing => Err(AppError::NotFound),
    }
}

#[derive(Template)]
#[template(path = "accounts.html")]
struct ListPage {
    chrome: Option<Chrome>,
    csrf: String,
    /// The administrator's own login name: no actions on the own account (the policy refuses
    /// them).
    me: String,
    search: String,
    accounts: Vec<Account>,
    limit: i64,
    manage: bool,
    assign: bool,
    roles: Vec<(&'static str, &'static str)>,
    regions: Vec<(i64, String)>,
    units: Vec<(i64, String)>,
    error: Option<String>,
    /// Who looks: decides each row's actions (an administrator's account is the security
    /// administrator's to reset or disable).
    actor: Actor,
}

impl ListPage {
    /// Whether the row's disable/enable and password reset are offered.
    fn may_manage(&self, a: &Account) -> bool {
        safeduty_core::policy::authorize_account(&self.actor, Action::ManageAccounts, &a.facts)
            .is_ok()
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct ListQuery {
    #[serde(default)]
    q: String,
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    search: String,
    error: Option<String>,
) -> Result<Response, AppError> {
    require(state, user, Action::ListAccounts, None).await?;
    let actor = user.user.actor();
    let allowed = |a| safeduty_core::policy::authorize(&actor, a, None).is_ok();
    let (regions, units) = accounts::anchors_under(state.store(), region_path(user)?).await?;
    let page = ListPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        me: user.user.username.clone(),
        accounts: accounts::list(state.store(), &user.user.accounts, &search).await?,
        search,
        limit: accounts::LIST_LIMIT,
        manage: allowed(Action::ManageAccounts),
        assign: allowed(Action::AssignRoles),
        // The system administrator creates accounts of the business roles; administrator roles
        // are given by the security administrator only.
        roles: Role::ALL
            .into_iter()
            .filter(|r| !r.is_administrator())
            .map(|r| (r.code(), r.label()))
            .collect(),
        regions,
        units,
        error,
        actor,
    };
    let mut res = render(&page);
    if page.error.is_some() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// `GET /admin/accounts`.
pub(super) async fn list(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    Ok(list_page(&state, &user, q.q, None).await?)
}

/// The role and anchor fields of the create and assign forms.
#[derive(Debug, Deserialize)]
pub(super) struct RoleFields {
    role: String,
    /// `r{id}` for a region, `u{id}` for a unit.
    #[serde(default)]
    anchor: String,
    /// The enterprise's code, for enterprise users.
    #[serde(default)]
    uscc: String,
}

/// The role and anchor a form names, the anchor inside the actor's account scope.
async fn role_and_anchor(
    state: &AppState,
    user: &CurrentUser,
    target_id: i64,
    f: &RoleFields,
    action: Action,
) -> Result<(Role, Anchor), AppError> {
    let role = Role::from_code(&f.role).ok_or_else(|| AppError::BadRequest("请选择角色".into()))?;
    let anchor = if role == Role::EnterpriseUser {
        let uscc = safeduty_core::uscc::Uscc::parse(f.uscc.trim())
            .map_err(|e| AppError::BadRequest(format!("统一社会信用代码：{e}")))?;
        match accounts::enterprise_id_by_uscc(state.store(), &uscc.to_string()).await {
            Ok(id) => Anchor::Enterprise(id),
            Err(safeduty_store::StoreError::NotFound) => {
                return Err(AppError::BadRequest(
                    "统一社会信用代码：企业不存在或不在管辖范围内".into(),
                ));
            }
            Err(e) => return Err(e.into()),
        }
    } else {
        let id = |prefix: char| {
            f.anchor
                .strip_prefix(prefix)
                .and_then(|s| s.parse::<i64>().ok())
        };
        match (role, id('r'), id('u')) {
            (Role::UnitOfficer, _, Some(u)) => Anchor::Unit(u),
            (Role::UnitOfficer, _, None) => {
                return Err(AppError::BadRequest("属地/行业部门账号须选择单位".into()));
            }
            (_, Some(r), _) => Anchor::Region(r),
            _ => return Err(AppError::BadRequest("请选择该角色的管辖区域".into())),
        }
    };
    let path = match accounts::anchor_path(state.store(), anchor).await {
        Ok(p) => p,
        Err(safeduty_store::StoreError::NotFound) => {
            return Err(AppError::BadRequest("所选范围不存在".into()));
        }
        Err(e) => return Err(e.into()),
    };
    // The new anchor must lie inside the actor's scope too: nobody hands out what they do not
    // administer.
    let facts = AccountFacts {
        user_id: target_id,
        region_path: Some(path),
        role: None,
    };
    if safeduty_core::policy::authorize_account(&user.user.actor(), action, &facts).is_err() {
        return Err(AppError::BadRequest("所选范围不在您的管辖范围内".into()));
    }
    Ok((role, anchor))
}

#[derive(Debug, Deserialize)]
pub(super) struct CreateForm {
    username: String,
    display_name: String,
    #[serde(flatten)]
    role: RoleFields,
}

/// `POST /admin/accounts`: a new account with a first password shown once.
pub(super) async fn create(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageForm(f): PageForm<CreateForm>,
) -> Result<Response, PageError> {
    require(&state, &user, Action::ManageAccounts, None).await?;
    let username = f.username.trim().to_ascii_lowercase();
    let display_name = f.display_name.trim().to_string();
    let checked = async {
        rules::check_username(&username).map_err(AppError::BadRequest)?;
        rules::check_display_name(&display_name).map_err(AppError::BadRequest)?;
        let (role, anchor) =
            role_and_anchor(&state, &user, 0, &f.role, Action::ManageAccounts).await?;
        if role.is_administrator() {
            return Err(AppError::BadRequest("管理员角色须由安全管理员授予".into()));
        }
        Ok((role, anchor))
    }
    .await;
    let (role, anchor) = match checked {
        Ok(x) => x,
        Err(AppError::BadRequest(m)) => {
            return Ok(list_page(&state, &user, String::new(), Some(m)).await?);
        }
        Err(e) => return Err(e.into()),
    };
    let password = new_first_password();
    let (region_id, unit_id, enterprise_id) = match anchor {
        Anchor::Region(id) => (Some(id), None, None),
        Anchor::Unit(id) => (None, Some(id), None),
        Anchor::Enterprise(id) => (None, None, Some(id)),
    };
    let created = accounts::create(
        state.store(),
        &user.who(),
        &NewUser {
            username: username.clone(),
            display_name: display_name.clone(),
            password_hash: hash_password(&password)?,
            role,
            region_id,
            unit_id,
            enterprise_id,
            is_demo: false,
        },
    )
    .await;
    match created {
        Ok(_) => Ok(handed_over(
            &state,
            &user,
            "账号已创建",
            vec![(username, display_name, password)],
        )
        .await),
        Err(safeduty_store::StoreError::Conflict(m)) => {
            Ok(list_page(&state, &user, String::new(), Some(m)).await?)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "accounts_handed_over.html")]
struct HandedOverPage {
    chrome: Option<Chrome>,
    title: &'static str,
    rows: Vec<(String, String, String)>,
    csv_href: String,
}

/// The page that shows first passwords, once: not cached, not stored anywhere; the CSV to
/// download is inside the page itself (a `data:` link), so it exists only as long as the page.
async fn handed_over(
    state: &AppState,
    user: &CurrentUser,
    title: &'static str,
    rows: Vec<(String, String, String)>,
) -> Response {
    let mut csv = String::from("\u{feff}用户名,姓名,初始密码\r\n");
    for (u, n, p) in &rows {
        let cell = |s: &str| {
            format!(
                "\"{}\"",
                safeduty_core::cell::csv_text(s).replace('"', "\"\"")
            )
        };
        csv.push_str(&format!("{},{},{}\r\n", cell(u), cell(n), cell(p)));
    }
    let page = HandedOverPage {
        chrome: Some(Chrome::new(state, user).await),
        title,
        rows,
        csv_href: format!(
            "data:text/csv;charset=utf-8,{}",
            csv.bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => {
                        char::from(b).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect::<String>()
        ),
    };
    let mut res = render(&page);
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    res
}

/// The account named in the path, checked against the policy (outside the scope: 404).
async fn target(
    state: &AppState,
    user: &CurrentUser,
    username: &str,
    action: Action,
) -> Result<Account, AppError> {
    let account = match accounts::by_username(state.store(), username).await {
        Ok(a) => a,
        Err(safeduty_store::StoreError::NotFound) => {
            require_account(
                state,
                user,
                action,
                &AccountFacts {
                    user_id: 0,
                    region_path: None,
                    role: None,
                },
            )
            .await?;
            return Err(AppError::NotFound);
        }
        Err(e) => return Err(e.into()),
    };
    require_account(state, user, action, &account.facts).await?;
    Ok(account)
}

#[derive(Debug, Deserialize)]
pub(super) struct StatusForm {
    /// `disable` or `enable`.
    set: String,
}

/// `POST /admin/accounts/{username}/status`: disable (sessions end) or enable.
pub(super) async fn set_status(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(username): Path<String>,
    PageForm(f): PageForm<StatusForm>,
) -> Result<Response, PageError> {
    let account = target(&state, &user, &username, Action::ManageAccounts).await?;
    let disabled = match f.set.as_str() {
        "disable" => true,
        "enable" => false,
        _ => return Err(AppError::BadRequest("操作须为停用或启用".into()).into()),
    };
    accounts::set_disabled(state.store(), &user.who(), account.facts.user_id, disabled).await?;
    Ok(Redirect::to("/admin/accounts").into_response())
}

/// `POST /admin/accounts/{username}/password`: a new first password, shown once; the user must
/// change it at next login; every session of the user ends.
pub(super) async fn reset_password(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(username): Path<String>,
) -> Result<Response, PageError> {
    let account = target(&state, &user, &username, Action::ManageAccounts).await?;
    let password = new_first_password();
    accounts::reset_password(
        state.store(),
        &user.who(),
        account.facts.user_id,
        &hash_password(&password)?,
    )
    .await?;
    Ok(handed_over(
        &state,
        &user,
        "密码已重置",
        vec![(account.username, account.display_name, password)],
    )
    .await)
}

#[derive(Template)]
#[template(path = "account_role.html")]
struct RolePage {
    chrome: Option<Chrome>,
    csrf: String,
    account: Account,
    roles: Vec<(&'static str, &'static str)>,
    regions: Vec<(i64, String)>,
    units: Vec<(i64, String)>,
    error: Option<String>,
}

async fn role_page(
    state: &AppState,
    user: &CurrentUser,
    account: Account,
    error: Option<String>,
) -> Result<Response, AppError> {
    let (regions, units) = accounts::anchors_under(state.store(), region_path(user)?).await?;
    let mut res = render(&RolePage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        account,
        roles: Role::ALL
            .into_iter()
            .map(|r| (r.code(), r.label()))
            .collect(),
        regions,
        units,
        error: error.clone(),
    });
    if error.is_some() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// `GET /admin/accounts/{username}/role`.
pub(super) async fn role_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(username): Path<String>,
) -> Result<Response, PageError> {
    let account = target(&state, &user, &username, Action::AssignRoles).await?;
    Ok(role_page(&state, &user, account, None).await?)
}

#[derive(Debug, Deserialize)]
pub(super) struct AssignForm {
    #[serde(flatten)]
    role: RoleFields,
}

/// `POST /admin/accounts/{username}/role`: one role and its scope; every session of the user
/// ends, so the new privileges start with a new login (and a new session id).
pub(super) async fn assign_role(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(username): Path<String>,
    PageForm(f): PageForm<AssignForm>,
) -> Result<Response, PageError> {
    let account = target(&state, &user, &username, Action::AssignRoles).await?;
    let id = account.facts.user_id;
    let (role, anchor) =
        match role_and_anchor(&state, &user, id, &f.role, Action::AssignRoles).await {
            Ok(x) => x,
            Err(AppError::BadRequest(m)) => {
                return Ok(role_page(&state, &user, account, Some(m)).await?);
            }
            Err(e) => return Err(e.into()),
        };
    match accounts::assign_role(state.store(), &user.who(), id, role, anchor).await {
        Ok(()) => Ok(Redirect::to("/admin/accounts").into_response()),
        Err(safeduty_store::StoreError::Conflict(m)) => {
            Ok(role_page(&state, &user, account, Some(m)).await?)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "provision.html")]
struct ProvisionPage {
    chrome: Option<Chrome>,
    csrf: String,
    without_account: usize,
    errors: Vec<RowError>,
    message: Option<String>,
}

async fn provision_page(
    state: &AppState,
    user: &CurrentUser,
    errors: Vec<RowError>,
    message: Option<String>,
) -> Result<Response, AppError> {
    let without = accounts::enterprises_without_account(state.store(), region_path(user)?).await?;
    let failed = !errors.is_empty() || message.is_some();
    let mut res = render(&ProvisionPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        without_account: without.len(),
        errors,
        message,
    });
    if failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// `GET /admin/provision`.
pub(super) async fn provision_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    require(&state, &user, Action::ManageAccounts, None).await?;
    Ok(provision_page(&state, &user, Vec::new(), None).await?)
}

/// Creates the accounts of `rows` (all or none) and shows their first passwords once.
async fn provision_rows(
    state: &AppState,
    user: &CurrentUser,
    rows: Vec<(u32, String, String, String)>,
) -> Result<Response, AppError> {
    let mut handed = Vec::with_capacity(rows.len());
    let mut provisions = Vec::with_capacity(rows.len());
    for (row, uscc, username, display_name) in rows {
        let password = new_first_password();
        provisions.push(Provision {
            row,
            uscc,
            username: username.clone(),
            display_name: display_name.clone(),
            password_hash: hash_password(&password)?,
        });
        handed.push((username, display_name, password));
    }
    match accounts::provision(state.store(), &user.who(), region_path(user)?, &provisions).await? {
        Ok(_) => Ok(handed_over(state, user, "企业账号已开通", handed).await),
        Err(errors) => provision_page(state, user, errors, None).await,
    }
}

/// `POST /admin/provision`: a `.csv` or `.xlsx` of 统一社会信用代码, 用户名, 姓名.
pub(super) async fn provision_upload(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let DocumentForm { file } =
        DocumentForm::read(multipart, "账号清单", super::roster::MAX_UPLOAD).await?;
    let bytes = file.map(|(_, bytes)| bytes);
    require(&state, &user, Action::ManageAccounts, None).await?;
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        return Ok(provision_page(&state, &user, Vec::new(), Some("请选择文件".into())).await?);
    };
    let sheet = match safeduty_roster::read(&bytes) {
        Ok(s) => s,
        Err(e) => return Ok(provision_page(&state, &user, Vec::new(), Some(e.to_string())).await?),
    };
    match parse_provisioning(&sheet.grid) {
        Ok(rows) => Ok(provision_rows(
            &state,
            &user,
            rows.into_iter()
                .map(|r| (r.row, r.uscc.to_string(), r.username, r.display_name))
                .collect(),
        )
        .await?),
        Err(errors) => Ok(provision_page(&state, &user, errors, None).await?),
    }
}

/// `POST /admin/provision/generate`: one account per enterprise in scope that has none, named by
/// its code.
pub(super) async fn provision_generate(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    require(&state, &user, Action::ManageAccounts, None).await?;
    let without = accounts::enterprises_without_account(state.store(), region_path(&user)?).await?;
    if without.is_empty() {
        return Ok(provision_page(
            &state,
            &user,
            Vec::new(),
            Some("管辖范围内的企业都已有账号".into()),
        )
        .await?);
    }
    let rows = without
        .into_iter()
        .filter_map(|(uscc, name)| {
            let code = safeduty_core::uscc::Uscc::parse(&uscc).ok()?;
            Some((0, uscc, rules::username_for(&code), name))
        })
        .collect();
    Ok(provision_rows(&state, &user, rows).await?)
}
