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
}

impl Role {
    /// All roles, in display order.
    pub const ALL: [Role; 4] = [
        Role::CommitteeOffice,
        Role::UnitOfficer,
        Role::EnterpriseUser,
        Role::Assessor,
    ];

    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Role::CommitteeOffice => "committee_office",
            Role::UnitOfficer => "unit_officer",
            Role::EnterpriseUser => "enterprise_user",
            Role::Assessor => "assessor",
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
    /// Save a draft of, or submit, an enterprise's self-inspection.
    EditSelfInspection,
    /// Change the time limit of a finding.
    ChangeFindingDueDate,
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
    /// Export the roster of the enterprises in scope (`.xlsx`, `.csv`).
    ExportRoster,
    /// See phone numbers and ID numbers in full (see `crate::personal` for who and why).
    ReadPersonalDetails,
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
    if let Some(e) = target
        && !actor.scope.contains(e)
    {
        return Err(Denial::NotFound);
    }
    if matches!(actor.scope, Scope::Nothing) && action != Action::ViewCampaign {
        return Err(Denial::NotFound);
    }
    use Action::*;
    use Role::*;
    // The grants as a table, one line per (role, action); easier to review than `matches!`.
    #[allow(clippy::match_like_matches_macro)]
    let allowed = match (actor.role, action) {
        (_, ViewCampaign) => true,
        (CommitteeOffice | Assessor, ViewDashboard) => true,
        (CommitteeOffice | UnitOfficer | Assessor, ListEnterprises) => true,
        (_, ReadSelfInspection) => true,
        (EnterpriseUser, EditSelfInspection) => true,
        (EnterpriseUser | UnitOfficer, ChangeFindingDueDate) => true,
        (CommitteeOffice | Assessor | UnitOfficer, ViewReports) => true,
        (UnitOfficer, SubmitReport) => true,
        (CommitteeOffice, ManageCalendar) => true,
        (CommitteeOffice | UnitOfficer, ImportRoster) => true,
        (CommitteeOffice, ManageIndustryTable) => true,
        (CommitteeOffice | UnitOfficer | Assessor, ExportRoster) => true,
        (EnterpriseUser | UnitOfficer, ReadPersonalDetails) => true,
        _ => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(Denial::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ent(id: i64, path: &str, dept: Option<i64>) -> EnterpriseFacts {
        EnterpriseFacts {
            id,
            region_path: path.into(),
            supervising_unit_id: dept,
        }
    }

    fn actor(role: Role, scope: Scope) -> Actor {
        Actor {
            user_id: 1,
            role,
            scope,
        }
    }

    #[test]
    fn territorial_officer_sees_its_region_only() {
        let a = actor(
            Role::UnitOfficer,
            Scope::RegionSubtree {
                region_path: "/45/4501/450103/01/".into(),
            },
        );
        let inside = ent(1, "/45/4501/450103/01/", None);
        let outside = ent(2, "/45/4501/450103/02/", None);
        assert_eq!(
            authorize(&a, Action::ReadSelfInspection, Some(&inside)),
            Ok(())
        );
        assert_eq!(
            authorize(&a, Action::ReadSelfInspection, Some(&outside)),
            Err(Denial::NotFound)
        );
        assert_eq!(
            authorize(&a, Action::EditSelfInspection, Some(&inside)),
            Err(Denial::Forbidden)
        );
        assert_eq!(
            authorize(&a, Action::EditSelfInspection, Some(&outside)),
            Err(Denial::NotFound),
            "out of scope wins over forbidden"
        );
    }

    #[test]
    fn department_sees_what_it_supervises_in_its_region() {
        let a = actor(
            Role::UnitOfficer,
            Scope::Department {
                unit_id: 7,
                region_path: "/45/4501/450103/".into(),
            },
        );
        assert!(a.scope.contains(&ent(1, "/45/4501/450103/01/", Some(7))));
        assert!(!a.scope.contains(&ent(2, "/45/4501/450103/01/", Some(8))));
        assert!(!a.scope.contains(&ent(3, "/45/4501/450104/01/", Some(7))));
    }

    #[test]
    fn enterprise_user_and_fail_closed() {
        let a = actor(Role::EnterpriseUser, Scope::Enterprise { enterprise_id: 5 });
        assert_eq!(
            authorize(&a, Action::EditSelfInspection, Some(&ent(5, "/x/", None))),
            Ok(())
        );
        assert_eq!(
            authorize(&a, Action::ReadSelfInspection, Some(&ent(6, "/x/", None))),
            Err(Denial::NotFound)
        );
        assert_eq!(
            authorize(&a, Action::ListEnterprises, None),
            Err(Denial::Forbidden)
        );
        let none = actor(Role::CommitteeOffice, Scope::Nothing);
        assert_eq!(
            authorize(&none, Action::ViewDashboard, None),
            Err(Denial::NotFound)
        );
        assert!(!none.scope.contains(&ent(1, "/", None)));
    }
}
