//! Tests of the authorization policy.

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
        accounts: AccountScope::Nothing,
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
fn a_campaign_region_must_lie_in_the_scope() {
    let district = "/45/4501/450103/";
    let office = |path: &str| {
        actor(
            Role::CommitteeOffice,
            Scope::RegionSubtree {
                region_path: path.into(),
            },
        )
    };
    let set = |a: &Actor| authorize_in_region(a, Action::SetCommitmentText, district);
    assert_eq!(set(&office(district)), Ok(()));
    assert_eq!(
        set(&office("/45/4501/")),
        Ok(()),
        "the city office, its subtree"
    );
    assert_eq!(set(&office("/45/4501/450104/")), Err(Denial::NotFound));
    assert_eq!(
        set(&office("/45/4501/450103/01/")),
        Err(Denial::NotFound),
        "a town's office does not own the district's campaign"
    );
    let assessor = actor(
        Role::Assessor,
        Scope::RegionSubtree {
            region_path: district.into(),
        },
    );
    assert_eq!(set(&assessor), Err(Denial::Forbidden));
    let dept = actor(
        Role::UnitOfficer,
        Scope::Department {
            unit_id: 7,
            region_path: district.into(),
        },
    );
    assert_eq!(set(&dept), Err(Denial::Forbidden));
    let ent = actor(Role::EnterpriseUser, Scope::Enterprise { enterprise_id: 1 });
    assert_eq!(set(&ent), Err(Denial::NotFound));
    assert_eq!(
        set(&actor(Role::CommitteeOffice, Scope::Nothing)),
        Err(Denial::NotFound)
    );
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

fn admin(role: Role) -> Actor {
    Actor {
        user_id: 1,
        role,
        scope: Scope::Nothing,
        accounts: AccountScope::RegionSubtree {
            region_path: "/99/9901/990101/".into(),
        },
    }
}

/// Each administrator role: its own duty allowed, the others' refused, no campaign data.
#[test]
fn administrators_have_separated_duties_and_no_campaign_data() {
    use Action::*;
    let expect = [
        (Role::SystemAdmin, [true, true, false, false, false]),
        (Role::SecurityAdmin, [true, false, true, true, false]),
        (Role::AuditAdmin, [false, false, false, false, true]),
    ];
    let duties = [
        ListAccounts,
        ManageAccounts,
        AssignRoles,
        ManageSecurityPolicy,
        ReadAuditTrail,
    ];
    for (role, allowed) in expect {
        let a = admin(role);
        for (action, ok) in duties.into_iter().zip(allowed) {
            let want = if ok { Ok(()) } else { Err(Denial::Forbidden) };
            assert_eq!(authorize(&a, action, None), want, "{role:?} {action:?}");
        }
        assert_eq!(authorize(&a, ViewCampaign, None), Err(Denial::Forbidden));
        for action in [ViewDashboard, ListEnterprises, ViewReports, ManageCalendar] {
            assert_eq!(
                authorize(&a, action, None),
                Err(Denial::NotFound),
                "{role:?} {action:?}: campaign scope is Nothing"
            );
        }
        assert_eq!(
            authorize(
                &a,
                ReadSelfInspection,
                Some(&ent(1, "/99/9901/990101/", None))
            ),
            Err(Denial::NotFound),
            "{role:?}: campaign scope is Nothing"
        );
    }
    // Business roles get none of the administrator duties.
    let office = actor(
        Role::CommitteeOffice,
        Scope::RegionSubtree {
            region_path: "/99/".into(),
        },
    );
    for action in duties {
        assert_eq!(authorize(&office, action, None), Err(Denial::Forbidden));
    }
    assert_eq!(authorize(&office, ViewDashboard, None), Ok(()));
}

#[test]
fn account_administration_is_scoped_and_never_on_oneself() {
    let a = admin(Role::SystemAdmin);
    let inside = AccountFacts {
        user_id: 7,
        region_path: Some("/99/9901/990101/001/".into()),
        role: Some(Role::EnterpriseUser),
    };
    let outside = AccountFacts {
        user_id: 8,
        region_path: Some("/99/9901/990102/".into()),
        role: Some(Role::EnterpriseUser),
    };
    let unanchored = AccountFacts {
        user_id: 9,
        region_path: None,
        role: Some(Role::EnterpriseUser),
    };
    let own = AccountFacts {
        user_id: 1,
        region_path: Some("/99/9901/990101/".into()),
        role: Some(Role::SystemAdmin),
    };
    assert_eq!(
        authorize_account(&a, Action::ManageAccounts, &inside),
        Ok(())
    );
    assert_eq!(
        authorize_account(&a, Action::ManageAccounts, &outside),
        Err(Denial::NotFound)
    );
    assert_eq!(
        authorize_account(&a, Action::ManageAccounts, &unanchored),
        Err(Denial::NotFound)
    );
    assert_eq!(
        authorize_account(&a, Action::ManageAccounts, &own),
        Err(Denial::Forbidden)
    );
    assert_eq!(
        authorize_account(&a, Action::AssignRoles, &inside),
        Err(Denial::Forbidden)
    );
    assert_eq!(
        authorize_account(&admin(Role::SecurityAdmin), Action::AssignRoles, &inside),
        Ok(())
    );
    let unscoped = Actor {
        accounts: AccountScope::Nothing,
        ..admin(Role::SystemAdmin)
    };
    assert_eq!(
        authorize(&unscoped, Action::ListAccounts, None),
        Err(Denial::NotFound)
    );
    assert_eq!(
        authorize(&admin(Role::AuditAdmin), Action::ReadAuditTrail, None),
        Ok(())
    );
}

/// GB/T 22239 separation of duties: the system administrator neither resets nor disables
/// the other administrators' accounts; the security administrator does, never its own.
#[test]
fn administrator_accounts_are_the_security_administrators() {
    let sys = admin(Role::SystemAdmin);
    let sec = admin(Role::SecurityAdmin);
    let audit = admin(Role::AuditAdmin);
    let account = |user_id, role| AccountFacts {
        user_id,
        region_path: Some("/99/9901/990101/".into()),
        role: Some(role),
    };
    for role in [Role::SecurityAdmin, Role::AuditAdmin, Role::SystemAdmin] {
        assert_eq!(
            authorize_account(&sys, Action::ManageAccounts, &account(7, role)),
            Err(Denial::Forbidden),
            "system admin on {role:?}"
        );
        assert_eq!(
            authorize_account(&sec, Action::ManageAccounts, &account(7, role)),
            Ok(()),
            "security admin on {role:?}"
        );
        assert_eq!(
            authorize_account(&audit, Action::ManageAccounts, &account(7, role)),
            Err(Denial::Forbidden)
        );
    }
    // Business accounts stay the system administrator's.
    let office = account(7, Role::CommitteeOffice);
    assert_eq!(
        authorize_account(&sys, Action::ManageAccounts, &office),
        Ok(())
    );
    assert_eq!(
        authorize_account(&sec, Action::ManageAccounts, &office),
        Err(Denial::Forbidden)
    );
    // Never on the own account (the `admin` actors are user 1).
    assert_eq!(
        authorize_account(
            &sec,
            Action::ManageAccounts,
            &account(1, Role::SecurityAdmin)
        ),
        Err(Denial::Forbidden)
    );
}

/// An audit administrator whose scope was never configured reads nothing (fail closed).
#[test]
fn audit_trail_needs_a_configured_administrator() {
    let mut a = admin(Role::AuditAdmin);
    assert_eq!(authorize(&a, Action::ReadAuditTrail, None), Ok(()));
    a.accounts = AccountScope::Nothing;
    assert_eq!(
        authorize(&a, Action::ReadAuditTrail, None),
        Err(Denial::NotFound)
    );
}

#[test]
fn security_policy_needs_a_configured_administrator() {
    let mut a = admin(Role::SecurityAdmin);
    assert_eq!(authorize(&a, Action::ManageSecurityPolicy, None), Ok(()));
    a.accounts = AccountScope::Nothing;
    assert_eq!(
        authorize(&a, Action::ManageSecurityPolicy, None),
        Err(Denial::NotFound)
    );
}

#[test]
fn enforcement_figures_are_for_supervisors_not_enterprises() {
    let region = || Scope::RegionSubtree {
        region_path: "/45/4501/450103/".into(),
    };
    for role in [Role::CommitteeOffice, Role::Assessor, Role::UnitOfficer] {
        assert_eq!(
            authorize(&actor(role, region()), Action::ViewEnforcementFigures, None),
            Ok(()),
            "{role:?}"
        );
    }
    let ent = actor(Role::EnterpriseUser, Scope::Enterprise { enterprise_id: 1 });
    assert_eq!(
        authorize(&ent, Action::ViewEnforcementFigures, None),
        Err(Denial::Forbidden)
    );
    assert_eq!(
        authorize(&ent, Action::ReadEnforcement, None),
        Ok(()),
        "the enterprise reads its own inspections and orders"
    );
    assert_eq!(
        authorize(
            &actor(Role::UnitOfficer, Scope::Nothing),
            Action::ViewEnforcementFigures,
            None
        ),
        Err(Denial::NotFound)
    );
    assert_eq!(
        authorize(
            &actor(Role::SystemAdmin, region()),
            Action::ViewEnforcementFigures,
            None
        ),
        Err(Denial::Forbidden)
    );
}
