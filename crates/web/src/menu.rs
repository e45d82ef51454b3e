//! The menu as data: one table of every page a menu links to, each with the policy action its
//! page requires, filtered by [`safeduty_core::policy::authorize`] for the logged-in user. A new
//! page gets a row here; a row whose action the role lacks is never shown, so the menu cannot
//! link to a page that answers 403 (tested for every role in `tests/it/pages.rs`).

use safeduty_core::policy::{Action, Role, Scope, authorize};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::layout::Chrome;

/// Who sees a menu entry.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Shown {
    /// Whoever the policy allows this action (without a target: the role and the scope).
    To(Action),
    /// Everyone logged in.
    Always,
    /// Only this role (a guest's one page, which no policy action grants).
    Role(Role),
}

/// One entry: the link, its label, a label per role where the roles call the page differently,
/// and who sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    /// The link.
    pub href: &'static str,
    /// The label.
    pub label: &'static str,
    /// Other labels for some roles.
    pub role_labels: &'static [(Role, &'static str)],
    /// Who sees it.
    pub shown: Shown,
}

const fn entry(href: &'static str, label: &'static str, shown: Shown) -> Entry {
    Entry {
        href,
        label,
        role_labels: &[],
        shown,
    }
}

/// Every menu entry, in the order shown.
pub(crate) const MENU: &[Entry] = &[
    entry("/overview", "工作进展", Shown::To(Action::ViewDashboard)),
    Entry {
        role_labels: &[(Role::UnitOfficer, "本单位企业")],
        ..entry(
            "/enterprises",
            "企业自查",
            Shown::To(Action::ListEnterprises),
        )
    },
    Entry {
        role_labels: &[(Role::UnitOfficer, "本单位报送")],
        ..entry("/reports", "报送情况", Shown::To(Action::ViewReports))
    },
    entry("/unit-measures", "“八个一”", Shown::To(Action::ViewReports)),
    entry("/charts", "统计图表", Shown::To(Action::ListEnterprises)),
    entry(
        "/accountability",
        "督办问责",
        Shown::To(Action::OverseeUnits),
    ),
    entry(
        "/acceptance",
        "检查验收",
        Shown::To(Action::ViewEnforcementFigures),
    ),
    // A guest's own acceptance (`/` sends it there).
    entry("/", "检查验收", Shown::Role(Role::Guest)),
    entry("/assessment", "考核评分", Shown::To(Action::AssessUnits)),
    entry("/roster", "企业名单导入", Shown::To(Action::ImportRoster)),
    entry("/calendar", "节假日安排", Shown::To(Action::ManageCalendar)),
    entry("/plans", "方案导入", Shown::To(Action::ReviewPlan)),
    // The enterprise's own self-inspection (`/` sends it to its enterprise's page).
    entry("/", "本企业自查", Shown::To(Action::EditSelfInspection)),
    Entry {
        role_labels: &[(Role::SecurityAdmin, "角色与范围")],
        ..entry(
            "/admin/accounts",
            "账号管理",
            Shown::To(Action::ListAccounts),
        )
    },
    entry(
        "/admin/provision",
        "企业账号批量开通",
        Shown::To(Action::ManageAccounts),
    ),
    entry(
        "/admin/security-policy",
        "安全策略",
        Shown::To(Action::ManageSecurityPolicy),
    ),
    entry("/audit", "审计记录", Shown::To(Action::ReadAuditTrail)),
    entry("/findings", "隐患台账", Shown::To(Action::ReadFindings)),
    entry(
        "/enforcement",
        "执法检查",
        Shown::To(Action::ReadEnforcement),
    ),
    entry(
        "/enforcement/figures",
        "执法统计",
        Shown::To(Action::ViewEnforcementFigures),
    ),
    entry(
        "/enforcement/settings",
        "执法设置",
        Shown::To(Action::ManageEnforcement),
    ),
    entry("/profile", "企业档案", Shown::To(Action::EditProfile)),
    entry("/commitment", "履职承诺", Shown::To(Action::SignCommitment)),
    entry(
        "/commitments/coverage",
        "履职承诺",
        Shown::To(Action::ViewCommitmentCoverage),
    ),
    // Everyone: every account reads its own account notices (a password reset, issue #16).
    entry("/inbox", "提醒", Shown::Always),
    entry("/campaign", "治理方案", Shown::To(Action::ViewCampaign)),
    entry("/totp", "两步验证", Shown::Always),
];

impl Entry {
    /// The label `role` reads.
    pub(crate) fn label_for(&self, role: Role) -> &'static str {
        self.role_labels
            .iter()
            .find(|(r, _)| *r == role)
            .map_or(self.label, |(_, l)| l)
    }
}

impl Chrome {
    /// The chrome of `user`'s pages: the menu the policy allows, the unread reminders (a
    /// failure to count them is logged and shows none), the demo date.
    pub(crate) async fn new(state: &AppState, user: &CurrentUser) -> Chrome {
        let actor = user.user.actor();
        let recipients = safeduty_store::reminders::recipients_of(&user.user);
        let nav = MENU
            .iter()
            .filter(|e| match e.shown {
                Shown::To(action) => authorize(&actor, action, None).is_ok(),
                Shown::Always => true,
                Shown::Role(role) => user.user.role == role,
            })
            .map(|e| (e.href.to_string(), e.label_for(user.user.role)))
            .collect();
        // The count is a courtesy: a failure to read it must not fail the page.
        let unread = safeduty_store::reminders::unread(state.store(), &recipients)
            .await
            .unwrap_or_else(|e| {
                tracing::warn!(error = %e, "unread reminders not counted");
                0
            });
        Chrome {
            unread,
            display_name: user.user.display_name.clone(),
            role_label: match (&user.user.role, &user.user.scope) {
                (Role::UnitOfficer, Scope::Department { .. }) => "行业部门",
                (Role::UnitOfficer, _) => "属地单位",
                (role, _) => role.label(),
            },
            affiliation: user.user.affiliation.clone(),
            csrf: user.csrf.clone(),
            nav,
            demo_date: state.clock().fixed().map(|d| d.to_string()),
            grant_pending: user.user.grant_pending,
        }
    }
}
