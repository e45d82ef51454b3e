//! Authorization policy: who may do what in which scope (DESIGN.md §1, "Scope rule").
//!
//! Every decision goes through [`authorize`]. Outside the actor's scope the answer is
//! [`Denial::NotFound`] (the product answers 404 with no data); inside the scope, an action the role
//! may not take is [`Denial::Forbidden`] (403). Scopes fail closed: a role without a scope sees
//! nothing. Lists are filtered by the same [`Scope`] in the store's queries.

use serde::{Deserialize, Serialize};

/// The roles of DESIGN.md §1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Work Safety Committee Office (安委办): its region subtree.
    CommitteeOffice,
    /// Officer of a town / subdistrict / zone, or of an industry department: its unit's enterprises.
    UnitOfficer,
    /// An enterprise's safety manager: its own enterprise.
    EnterpriseUser,
    /// Assessment and discipline staff (考核巡查): reads its region subtree.
    Assessor,
    /// System administrator (系统管理员): accounts and configuration, no campaign data
    /// (GB/T 22239-2019 8.1.4.2: separation of administrator duties).
    SystemAdmin,
    /// Security administrator (安全管理员): roles, scopes, password and lockout policy.
    SecurityAdmin,
    /// Audit administrator (审计管理员): reads the audit trail, nothing else.
    AuditAdmin,
    /// A guest of one acceptance inspection (受邀人员: expert, media, commissioned third party):
    /// an account the product issues when an officer invites them, bound to that inspection and
    /// nothing else; never granted by an administrator (issue #14 point 2).
    Guest,
}

impl Role {
    /// All roles, in display order.
    pub const ALL: [Role; 8] = [
        Role::CommitteeOffice,
        Role::UnitOfficer,
        Role::EnterpriseUser,
        Role::Assessor,
        Role::SystemAdmin,
        Role::SecurityAdmin,
        Role::AuditAdmin,
        Role::Guest,
    ];

    /// Whether an administrator may give an account this role: every role but [`Role::Guest`],
    /// which only an invitation to an acceptance inspection issues.
    pub fn is_assignable(self) -> bool {
        self != Role::Guest
    }

    /// The three separated administrator roles: they see no campaign data, and must use a second
    /// factor (issue #5).
    pub fn is_administrator(self) -> bool {
        matches!(
            self,
            Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin
        )
    }

    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Role::CommitteeOffice => "committee_office",
            Role::UnitOfficer => "unit_officer",
            Role::EnterpriseUser => "enterprise_user",
            Role::Assessor => "assessor",
            Role::SystemAdmin => "system_admin",
            Role::SecurityAdmin => "security_admin",
            Role::AuditAdmin => "audit_admin",
            Role::Guest => "guest",
        }
    }

    /// Parses a [`Role::code`].
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Role::CommitteeOffice => "安委办",
            Role::UnitOfficer => "属地/行业部门",
            Role::EnterpriseUser => "企业",
            Role::Assessor => "考核巡查",
            Role::SystemAdmin => "系统管理员",
            Role::SecurityAdmin => "安全管理员",
            Role::AuditAdmin => "审计管理员",
            Role::Guest => "受邀人员",
        }
    }
}

/// Kinds of units (单位).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// The Work Safety Committee Office of a region.
    CommitteeOffice,
    /// A town, subdistrict or development zone: enterprises by region.
    Territorial,
    /// An industry department (行业领域主管部门): enterprises it supervises.
    IndustryDepartment,
}

impl UnitKind {
    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            UnitKind::CommitteeOffice => "committee_office",
            UnitKind::Territorial => "territorial",
            UnitKind::IndustryDepartment => "industry_department",
        }
    }

    /// The kind as people call it: 安委办, 属地单位 (a town, subdistrict or zone), 行业部门.
    pub fn label(self) -> &'static str {
        match self {
            UnitKind::CommitteeOffice => "安委办",
            UnitKind::Territorial => "属地单位",
            UnitKind::IndustryDepartment => "行业部门",
        }
    }

    /// Parses a [`UnitKind::code`].
    pub fn from_code(code: &str) -> Option<UnitKind> {
        [
            UnitKind::CommitteeOffice,
            UnitKind::Territorial,
            UnitKind::IndustryDepartment,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }
}

/// The enterprises an actor may see. Region paths are materialized paths (`/45/4501/450103/`):
/// a region's subtree is every path that starts with its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    /// Every enterprise whose region lies in the subtree (committee office, assessor, territorial unit).
    RegionSubtree {
        /// Path of the subtree's root region.
        region_path: String,
    },
    /// Enterprises supervised by an industry department, within its region subtree.
    Department {
        /// The department's unit id.
        unit_id: i64,
        /// Path of the department's region.
        region_path: String,
    },
    /// One enterprise.
    Enterprise {
        /// Its id.
        enterprise_id: i64,
    },
    /// Nothing: a role without a configured scope (fail closed).
    Nothing,
}

/// The supervising units whose reporting an actor may see: a committee office or assessor every
/// unit in its region subtree, a unit officer its own unit, others none (fail closed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnitScope {
    /// Every territorial unit and industry department whose region lies in the subtree.
    RegionSubtree {
        /// Path of the subtree's root region.
        region_path: String,
    },
    /// One unit.
    Unit {
        /// Its id.
        unit_id: i64,
    },
    /// None.
    Nothing,
}

/// The facts about an enterprise that decide who may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnterpriseFacts {
    /// Enterprise id.
    pub id: i64,
    /// Materialized path of its region.
    pub region_path: String,
    /// Its supervising industry department (主管部门), if set.
    pub supervising_unit_id: Option<i64>,
}

impl Scope {
    /// The enterprises a unit supervises: a territorial unit's region subtree, an industry
    /// department's supervised enterprises in its region subtree; a committee office's region
    /// subtree (DESIGN.md §1 scope rule).
    pub fn of_unit(id: i64, kind: UnitKind, region_path: String) -> Scope {
        match kind {
            UnitKind::IndustryDepartment => Scope::Department {
                unit_id: id,
                region_path,
            },
            UnitKind::Territorial | UnitKind::CommitteeOffice => {
                Scope::RegionSubtree { region_path }
            }
        }
    }

    /// Whether the enterprise lies inside this scope.
    pub fn contains(&self, e: &EnterpriseFacts) -> bool {
        match self {
            Scope::RegionSubtree { region_path } => e.region_path.starts_with(region_path.as_str()),
            Scope::Department {
                unit_id,
                region_path,
            } => {
                e.supervising_unit_id == Some(*unit_id)
                    && e.region_path.starts_with(region_path.as_str())
            }
            Scope::Enterprise { enterprise_id } => e.id == *enterprise_id,
            Scope::Nothing => false,
        }
    }

    /// Whether the region with materialized path `region_path` lies inside this scope: in the
    /// region subtree of a committee office, assessor or territorial unit, or in an industry
    /// department's region subtree. An enterprise's scope holds no region (fail closed).
    pub fn contains_region(&self, region_path: &str) -> bool {
        match self {
            Scope::RegionSubtree { region_path: root }
            | Scope::Department {
                region_path: root, ..
            } => region_path.starts_with(root.as_str()),
            Scope::Enterprise { .. } | Scope::Nothing => false,
        }
    }
}

/// The acting user, as the web layer authenticated them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// User id.
    pub user_id: i64,
    /// Role.
    pub role: Role,
    /// What the user may see.
    pub scope: Scope,
    /// The accounts the user administers (administrators only; [`AccountScope::Nothing`] for
    /// everybody else).
    pub accounts: AccountScope,
}

/// The accounts an administrator manages: those anchored (by their region, their unit's region
/// or their enterprise's region) in its region subtree. Fails closed like [`Scope`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountScope {
    /// Accounts anchored in the subtree.
    RegionSubtree {
        /// Path of the subtree's root region.
        region_path: String,
    },
    /// None.
    Nothing,
}

/// The facts about an account that decide which administrator may manage it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountFacts {
    /// User id.
    pub user_id: i64,
    /// Path of the region the account is anchored in; `None` for an account without an anchor,
    /// which no administrator's scope contains.
    pub region_path: Option<String>,
    /// The account's role; `None` when no account exists yet (a scope being handed out).
    /// An administrator's account is managed by the security administrator only.
    pub role: Option<Role>,
}

impl AccountScope {
    /// Whether the account lies inside this scope.
    pub fn contains(&self, a: &AccountFacts) -> bool {
        match (self, &a.region_path) {
            (AccountScope::RegionSubtree { region_path }, Some(p)) => {
                p.starts_with(region_path.as_str())
            }
            _ => false,
        }
    }
}

/// Things an actor may try to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read the campaign page (areas, items, phases, measures, deadlines).
    ViewCampaign,
    /// Read the campaign overview dashboard of a region.
    ViewDashboard,
    /// List enterprises in scope with their self-inspection status.
    ListEnterprises,
    /// Read an enterprise's self-inspection and findings.
    ReadSelfInspection,
    /// Download an evidence attachment of an enterprise (or its thumbnail).
    ReadAttachment,
    /// Read an enterprise's records: training, induction, emergency plans and drills, major
    /// hazard sources, violations.
    ReadRecords,
    /// Create and change the enterprise's own records (with their attachments).
    EditRecords,
    /// Save a draft of, or submit, an enterprise's self-inspection.
    EditSelfInspection,
    /// Read the reporting status of units.
    ViewReports,
    /// Record that the actor's own unit submitted a report.
    SubmitReport,
    /// Load a year's holiday arrangement (the working-day calendar every deadline uses).
    ManageCalendar,
    /// Import an enterprise roster into the actor's scope (a committee office its region, a unit
    /// officer its own enterprises).
    ImportRoster,
    /// Edit the industry table that maps detailed industries to the key industries.
    ManageIndustryTable,
    /// Read an enterprise's profile, safety management personnel, duty commitments and their
    /// publication (and download a signed commitment).
    ReadProfile,
    /// Edit the profile fields an enterprise keeps itself (principal person, safety institution)
    /// and its safety management personnel.
    EditProfile,
    /// Sign a duty commitment for one of the enterprise's safety managers, and record where and
    /// when the commitments were published inside the enterprise.
    SignCommitment,
    /// Set the campaign's duty commitment text (a new version; signed commitments keep theirs).
    SetCommitmentText,
    /// Read the duty commitment coverage (signed / not signed) and who is missing.
    ViewCommitmentCoverage,
    /// Export the roster of the enterprises in scope (`.xlsx`, `.csv`).
    ExportRoster,
    /// See phone numbers and ID numbers in full (see `crate::personal` for who and why).
    ReadPersonalDetails,
    /// List the accounts the actor administers (system and security administrators).
    ListAccounts,
    /// Create, disable, enable accounts, reset their passwords, provision enterprise accounts in
    /// bulk (system administrator; on an administrator's account the security administrator,
    /// see [`authorize_account`]).
    ManageAccounts,
    /// Assign an account's role and scope (security administrator).
    AssignRoles,
    /// Change the password and lockout policy (security administrator).
    ManageSecurityPolicy,
    /// Read (search, export) the audit trail (audit administrator only).
    ReadAuditTrail,
    /// Read the findings ledger in scope and a finding with its timeline (an enterprise its
    /// own), and export the ledger.
    ReadFindings,
    /// Open a finding from an enforcement, acceptance or routine inspection (officers).
    OpenFinding,
    /// Move a finding in its loop or edit its ledger fields; which step which role may take is
    /// `crate::finding::lifecycle::decide`'s to say.
    ActOnFinding,
    /// Import a plan document as a draft, review it (edit, resolve questions) and save it as a
    /// campaign template (issue #3; the committee office, for its own region's drafts).
    ReviewPlan,
    /// Start a campaign from a saved template (the committee office, in its region).
    StartCampaign,
    /// Read enforcement records in scope (issue #12): inspections, correction orders,
    /// re-inspections, on-site measures, referrals and their documents (an enterprise its own).
    ReadEnforcement,
    /// Record inspections, issue correction orders, decide extensions, re-inspect, decide and
    /// lift on-site measures, upload signed documents (unit officers; which of these a unit may
    /// do is its powers', `crate::enforcement::powers`, and only on its own records).
    Enforce,
    /// Answer a correction order: report the correction complete, ask for more time (the
    /// enterprise, on its own orders).
    RespondToOrder,
    /// Set units' powers, officers' certificates and the region's enforcement settings (the
    /// committee office, in its region).
    ManageEnforcement,
    /// Read the enforcement figures per unit and export them (the committee office and
    /// assessors for the units of their region, an officer for its own unit; an enterprise has
    /// no unit figures: it reads its own inspections and orders).
    ViewEnforcementFigures,
    /// Oversee the supervising units in the region (issue #14): return a unit's entry of the
    /// “八个一” measures with a reason (the committee office).
    OverseeUnits,
    /// Enter the assessor's points on the items of the year's assessment of the units (考核巡查,
    /// issue #14 point 8).
    AssessUnits,
}

impl Action {
    /// Actions of the administrator duties: decided by role (and, for an account target, by the
    /// actor's [`AccountScope`]), never by the campaign [`Scope`].
    pub fn is_administration(self) -> bool {
        matches!(
            self,
            Action::ListAccounts
                | Action::ManageAccounts
                | Action::AssignRoles
                | Action::ManageSecurityPolicy
                | Action::ReadAuditTrail
        )
    }
}

/// Why an action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denial {
    /// The target lies outside the actor's scope: answered as if it did not exist.
    #[error("not found in scope")]
    NotFound,
    /// The target is in scope but the role may not take this action.
    #[error("forbidden for this role")]
    Forbidden,
}

/// Decides whether `actor` may take `action`, on `target` when the action concerns one enterprise.
///
/// # Errors
/// [`Denial::NotFound`] when the target is outside the scope (checked first, so that a forbidden
/// action never reveals that a record exists); [`Denial::Forbidden`] for an action the role may
/// not take.
pub fn authorize(
    actor: &Actor,
    action: Action,
    target: Option<&EnterpriseFacts>,
) -> Result<(), Denial> {
    // A guest acts only through its invitation (the acceptance it is bound to), never through
    // the policy: everything else is answered as if it did not exist.
    if actor.role == Role::Guest {
        return Err(Denial::NotFound);
    }
    if let Some(e) = target
        && !actor.scope.contains(e)
    {
        return Err(Denial::NotFound);
    }
    if !action.is_administration()
        && matches!(actor.scope, Scope::Nothing)
        && action != Action::ViewCampaign
    {
        return Err(Denial::NotFound);
    }
    // Account administration, the security policy and reading the audit trail, without an
    // account scope see nothing (fail closed: an administrator whose scope was never configured).
    if matches!(
        action,
        Action::ListAccounts
            | Action::ManageAccounts
            | Action::AssignRoles
            | Action::ManageSecurityPolicy
            | Action::ReadAuditTrail
    ) && actor.accounts == AccountScope::Nothing
        && actor.role.is_administrator()
    {
        return Err(Denial::NotFound);
    }
    use Action::*;
    use Role::*;
    // The grants as a table, one line per (role, action); easier to review than `matches!`.
    #[allow(clippy::match_like_matches_macro)]
    let allowed = match (actor.role, action) {
        // Administrators see no campaign data by virtue of their role (issue #5).
        (SystemAdmin | SecurityAdmin | AuditAdmin, a) if !a.is_administration() => false,
        (_, ViewCampaign) => true,
        (CommitteeOffice | Assessor, ViewDashboard) => true,
        (CommitteeOffice | UnitOfficer | Assessor, ListEnterprises) => true,
        (_, ReadSelfInspection) => true,
        (_, ReadAttachment | ReadRecords) => true,
        (EnterpriseUser, EditRecords) => true,
        (EnterpriseUser, EditSelfInspection) => true,
        (CommitteeOffice | Assessor | UnitOfficer, ViewReports) => true,
        (UnitOfficer, SubmitReport) => true,
        (CommitteeOffice, ManageCalendar) => true,
        (CommitteeOffice | UnitOfficer, ImportRoster) => true,
        (CommitteeOffice, ManageIndustryTable) => true,
        (_, ReadProfile) => true,
        (EnterpriseUser, EditProfile | SignCommitment) => true,
        (CommitteeOffice, SetCommitmentText) => true,
        (CommitteeOffice | UnitOfficer | Assessor, ViewCommitmentCoverage) => true,
        (CommitteeOffice | UnitOfficer | Assessor, ExportRoster) => true,
        (EnterpriseUser | UnitOfficer, ReadPersonalDetails) => true,
        (SystemAdmin | SecurityAdmin, ListAccounts) => true,
        (SystemAdmin, ManageAccounts) => true,
        (SecurityAdmin, AssignRoles | ManageSecurityPolicy) => true,
        (AuditAdmin, ReadAuditTrail) => true,
        (_, ReadFindings) => true,
        (CommitteeOffice | UnitOfficer, OpenFinding) => true,
        (EnterpriseUser | CommitteeOffice | UnitOfficer, ActOnFinding) => true,
        (CommitteeOffice, ReviewPlan | StartCampaign) => true,
        (CommitteeOffice | UnitOfficer | EnterpriseUser | Assessor, ReadEnforcement) => true,
        (UnitOfficer, Enforce) => true,
        (EnterpriseUser, RespondToOrder) => true,
        (CommitteeOffice, ManageEnforcement) => true,
        (CommitteeOffice | UnitOfficer | Assessor, ViewEnforcementFigures) => true,
        (CommitteeOffice, OverseeUnits) => true,
        (CommitteeOffice | Assessor, AssessUnits) => true,
        _ => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(Denial::Forbidden)
    }
}

/// Decides whether `actor` may take `action` on what belongs to a region as a whole, such as a
/// campaign run in it (its duty commitment text): the region, `region_path`, must lie in the
/// actor's scope ([`Scope::contains_region`]; a committee office may set the text of a campaign
/// of its own subtree, never of a neighbouring district's), then the role decides as in
/// [`authorize`].
///
/// # Errors
/// [`Denial::NotFound`] when the region is outside the scope (checked first);
/// [`Denial::Forbidden`] for an action the role may not take.
pub fn authorize_in_region(actor: &Actor, action: Action, region_path: &str) -> Result<(), Denial> {
    if !actor.scope.contains_region(region_path) {
        return Err(Denial::NotFound);
    }
    authorize(actor, action, None)
}

/// Decides whether `actor` may take the administration `action` on the account `target`.
///
/// # Errors
/// [`Denial::NotFound`] when the account lies outside the actor's [`AccountScope`] (checked
/// first); [`Denial::Forbidden`] when the role may not take the action (on an administrator's
/// account [`Action::ManageAccounts`] is the security administrator's only), or when it concerns
/// the actor's own account (no administrator disables, resets or re-roles itself: separation of
/// duties would be void).
pub fn authorize_account(
    actor: &Actor,
    action: Action,
    target: &AccountFacts,
) -> Result<(), Denial> {
    if !actor.accounts.contains(target) {
        return Err(Denial::NotFound);
    }
    // Separation of duties (GB/T 22239-2019 8.1.4.2 d, 三权分立): the system administrator
    // manages business accounts only; resetting, disabling or enabling an administrator's
    // account is the security administrator's, so that no one duty can take over or lock out
    // another.
    if action == Action::ManageAccounts && target.role.is_some_and(Role::is_administrator) {
        if actor.role != Role::SecurityAdmin {
            return Err(Denial::Forbidden);
        }
    } else {
        authorize(actor, action, None)?;
    }
    if target.user_id == actor.user_id && action != Action::ListAccounts {
        return Err(Denial::Forbidden);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
