//! Account administration pages (issue #5). The system administrator (`/admin/accounts`,
//! `/admin/provision`) lists, creates, disables and enables accounts, resets passwords (a new
//! first password shown once) and provisions enterprise accounts in bulk; the security
//! administrator (`/admin/accounts/{username}/role`, `…/grant`, `/admin/accounts/grant-enterprises`)
//! grants the roles the system administrator proposed, assigns role and scope, and disables,
//! enables and resets the other administrators' accounts. Accounts are listed
//! within the administrator's region subtree, and never deleted.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use safeduty_app::accounts::{self, HandedOver, RoleInput};
use safeduty_core::accounts::{RowError, parse_provisioning};
use safeduty_core::policy::{Action, Actor, Role, UnitKind};
use safeduty_core::refusal::RefusalKind;
use safeduty_store::StoreError;
use safeduty_store::accounts::Account;
use serde::Deserialize;

use super::{Chrome, render};

/// The unit groups offered when choosing a scope: towns first, then departments, then offices.
const UNIT_KINDS: [UnitKind; 3] = [
    UnitKind::Territorial,
    UnitKind::IndustryDepartment,
    UnitKind::CommitteeOffice,
];
use crate::AppState;
use crate::auth::CurrentUser;
use crate::document_form::DocumentForm;
use crate::error::{AppError, PageError};
use crate::extract::LaterForm;
use crate::guard::PageUser;

/// A refusal the form shows again with its message (422): a correctable field, or a store
/// conflict (a user name taken); anything else is answered as it is.
fn shown_again(e: safeduty_app::Error) -> Result<String, AppError> {
    match e {
        safeduty_app::Error::Refused(r) if r.kind() == RefusalKind::Invalid => Ok(r.to_string()),
        safeduty_app::Error::Store(StoreError::Conflict(m)) => Ok(m),
        e => Err(e.into()),
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
    /// Only the accounts awaiting a grant.
    pending_only: bool,
    accounts: Vec<Account>,
    limit: i64,
    manage: bool,
    assign: bool,
    roles: Vec<(&'static str, &'static str)>,
    regions: Vec<(i64, String)>,
    units: Vec<(i64, String, UnitKind)>,
    /// The unit groups of the scope choice, in this order (issue #18 point 7: towns and
    /// departments labelled apart).
    unit_kinds: [UnitKind; 3],
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

#[derive(Debug, Default, Deserialize)]
pub(super) struct ListQuery {
    #[serde(default)]
    q: String,
    /// `1`: only the accounts awaiting a grant.
    #[serde(default)]
    pending: String,
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    query: ListQuery,
    error: Option<String>,
) -> Result<Response, AppError> {
    let search = query.q;
    let pending_only = query.pending == "1";
    let list = accounts::list(state.store(), &user.caller(), &search, pending_only).await?;
    let (regions, units) = list.anchors;
    let page = ListPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        me: user.user.username.clone(),
        accounts: list.accounts,
        search,
        pending_only,
        limit: safeduty_store::accounts::LIST_LIMIT,
        manage: list.manage,
        assign: list.assign,
        // The system administrator creates accounts of the business roles; administrator roles
        // are given by the security administrator only.
        roles: Role::ALL
            .into_iter()
            .filter(|r| !r.is_administrator() && r.is_assignable())
            .map(|r| (r.code(), r.label()))
            .collect(),
        regions,
        units,
        unit_kinds: UNIT_KINDS,
        error,
        actor: user.user.actor(),
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
    Ok(list_page(&state, &user, q, None).await?)
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

impl RoleFields {
    fn input(&self) -> RoleInput {
        RoleInput {
            role: self.role.clone(),
            anchor: self.anchor.clone(),
            uscc: self.uscc.clone(),
        }
    }
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
    f: LaterForm<CreateForm>,
) -> Result<Response, PageError> {
    // Authorization first, then validation (issue #16 point 4).
    safeduty_app::guard::require(state.store(), &user.caller(), Action::ManageAccounts, None)
        .await?;
    let f = f.take()?;
    let created = accounts::create(
        state.store(),
        &user.caller(),
        &f.username,
        &f.display_name,
        &f.role.input(),
    )
    .await;
    match created {
        Ok(handed) => Ok(handed_over(
            &state,
            &user,
            "账号已创建",
            Some(PENDING_NOTE),
            vec![handed],
        )
        .await),
        Err(e) => {
            let message = shown_again(e)?;
            Ok(list_page(&state, &user, ListQuery::default(), Some(message)).await?)
        }
    }
}

/// Said beside a first password whose account's role awaits the security administrator.
const PENDING_NOTE: &str =
    "账号的角色与范围须经安全管理员授予后生效；授予前该账号登录后看不到任何业务数据。";

#[derive(Template)]
#[template(path = "accounts_handed_over.html")]
struct HandedOverPage {
    chrome: Option<Chrome>,
    title: &'static str,
    note: Option<&'static str>,
    rows: Vec<(String, String, String)>,
    csv_href: String,
}

/// The page that shows first passwords, once: not cached, not stored anywhere; the CSV to
/// download is inside the page itself (a `data:` link), so it exists only as long as the page.
async fn handed_over(
    state: &AppState,
    user: &CurrentUser,
    title: &'static str,
    note: Option<&'static str>,
    rows: Vec<HandedOver>,
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
        note,
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
    f: LaterForm<StatusForm>,
) -> Result<Response, PageError> {
    // Authorization first, then validation (issue #16 point 4).
    safeduty_app::accounts::target(
        state.store(),
        &user.caller(),
        &username,
        Action::ManageAccounts,
    )
    .await?;
    let f = f.take()?;
    let disabled = match f.set.as_str() {
        "disable" => true,
        "enable" => false,
        _ => {
            // Asked first, so that a probe outside the scope is answered 404 and recorded.
            accounts::target(
                state.store(),
                &user.caller(),
                &username,
                Action::ManageAccounts,
            )
            .await?;
            return Err(AppError::BadRequest("操作须为停用或启用".into()).into());
        }
    };
    accounts::set_disabled(state.store(), &user.caller(), &username, disabled).await?;
    Ok(Redirect::to("/admin/accounts").into_response())
}

/// `POST /admin/accounts/{username}/password`: a new first password, shown once; the user must
/// change it at next login; every session of the user ends.
pub(super) async fn reset_password(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(username): Path<String>,
) -> Result<Response, PageError> {
    let (handed, suspended) = accounts::reset_password(
        state.store(),
        &user.caller(),
        &username,
        state.clock().today(),
    )
    .await?;
    let note = if suspended {
        "已通知账号本人。该账号的业务权限已暂停，须经安全管理员恢复授权后生效。"
    } else {
        "已通知账号本人。"
    };
    Ok(handed_over(&state, &user, "密码已重置", Some(note), vec![handed]).await)
}

/// `POST /admin/accounts/{username}/grant`: the security administrator grants the role the
/// account holds pending, as it is.
pub(super) async fn grant(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(username): Path<String>,
) -> Result<Response, PageError> {
    match accounts::grant(state.store(), &user.caller(), &username).await {
        Ok(()) => Ok(Redirect::to("/admin/accounts?pending=1").into_response()),
        Err(e) => {
            let message = shown_again(e)?;
            Ok(list_page(&state, &user, ListQuery::default(), Some(message)).await?)
        }
    }
}

/// `POST /admin/accounts/grant-enterprises`: the security administrator grants every pending
/// enterprise account of its region (after a bulk provisioning).
pub(super) async fn grant_enterprises(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    accounts::grant_enterprise_accounts(state.store(), &user.caller()).await?;
    Ok(Redirect::to("/admin/accounts?pending=1").into_response())
}

#[derive(Template)]
#[template(path = "account_role.html")]
struct RolePage {
    chrome: Option<Chrome>,
    csrf: String,
    account: Account,
    roles: Vec<(&'static str, &'static str)>,
    regions: Vec<(i64, String)>,
    units: Vec<(i64, String, UnitKind)>,
    /// The unit groups of the scope choice, in this order (issue #18 point 7: towns and
    /// departments labelled apart).
    unit_kinds: [UnitKind; 3],
    error: Option<String>,
}

async fn role_page(
    state: &AppState,
    user: &CurrentUser,
    username: &str,
    error: Option<String>,
) -> Result<Response, AppError> {
    let (account, (regions, units)) =
        accounts::role_form(state.store(), &user.caller(), username).await?;
    let mut res = render(&RolePage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        account,
        roles: Role::ALL
            .into_iter()
            .filter(|r| r.is_assignable())
            .map(|r| (r.code(), r.label()))
            .collect(),
        regions,
        units,
        unit_kinds: UNIT_KINDS,
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
    Ok(role_page(&state, &user, &username, None).await?)
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
    f: LaterForm<AssignForm>,
) -> Result<Response, PageError> {
    // Authorization first, then validation (issue #16 point 4).
    safeduty_app::accounts::target(
        state.store(),
        &user.caller(),
        &username,
        Action::AssignRoles,
    )
    .await?;
    let f = f.take()?;
    match accounts::assign_role(state.store(), &user.caller(), &username, &f.role.input()).await {
        Ok(()) => Ok(Redirect::to("/admin/accounts").into_response()),
        Err(e) => {
            let message = shown_again(e)?;
            Ok(role_page(&state, &user, &username, Some(message)).await?)
        }
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
    let without_account = accounts::without_account(state.store(), &user.caller()).await?;
    let failed = !errors.is_empty() || message.is_some();
    let mut res = render(&ProvisionPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        without_account,
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
    Ok(provision_page(&state, &user, Vec::new(), None).await?)
}

/// The first passwords of accounts provisioned, once; or the form with every row's reason.
async fn provisioned(
    state: &AppState,
    user: &CurrentUser,
    done: Result<Vec<HandedOver>, Vec<RowError>>,
) -> Result<Response, AppError> {
    match done {
        Ok(handed) => {
            Ok(handed_over(state, user, "企业账号已开通", Some(PENDING_NOTE), handed).await)
        }
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
    // Whoever may not provision learns nothing of the file (403 / 404 before it is read).
    accounts::without_account(state.store(), &user.caller()).await?;
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        return Ok(provision_page(&state, &user, Vec::new(), Some("请选择文件".into())).await?);
    };
    let sheet = match safeduty_app::heavy::read_sheet(&bytes).await {
        Ok(s) => s,
        Err(e) => return Ok(provision_page(&state, &user, Vec::new(), Some(e.to_string())).await?),
    };
    match parse_provisioning(&sheet.grid) {
        Ok(rows) => {
            let rows = rows
                .into_iter()
                .map(|r| (r.row, r.uscc.to_string(), r.username, r.display_name))
                .collect();
            let done = accounts::provision(state.store(), &user.caller(), rows).await?;
            Ok(provisioned(&state, &user, done).await?)
        }
        Err(errors) => Ok(provision_page(&state, &user, errors, None).await?),
    }
}

/// `POST /admin/provision/generate`: one account per enterprise in scope that has none, named by
/// its code.
pub(super) async fn provision_generate(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    match accounts::provision_missing(state.store(), &user.caller()).await? {
        Some(done) => Ok(provisioned(&state, &user, done).await?),
        None => Ok(provision_page(
            &state,
            &user,
            Vec::new(),
            Some("管辖范围内的企业都已有账号".into()),
        )
        .await?),
    }
}
