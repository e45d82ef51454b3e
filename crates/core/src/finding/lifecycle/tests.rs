//! Tests of the finding lifecycle.

use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn facts(status: Status, grade: Grade) -> Facts {
    Facts {
        status,
        grade,
        source: Source::SelfInspection,
        opened_on: d("2024-06-20"),
        due_on: d("2024-07-18"),
        campaign_end: Some(d("2024-12-31")),
        pending_extension: None,
        plan_missing: Vec::new(),
        supervised: grade == Grade::Major,
        pending_downgrade: None,
    }
}

/// A close-out with its on-site record: the opinion, the verifiers and one photo.
fn verify() -> Request {
    Request::Verify {
        opinion: "现场核验，报警仪已接入中控室，整改到位".into(),
        verifiers: "李明、周强".into(),
        check_files: 1,
    }
}

fn five() -> FiveImplementations {
    FiveImplementations {
        responsible: "王五（设备科科长）".into(),
        measures: "更换泄漏阀门，增设可燃气体报警仪".into(),
        funds_fen: Some(1_200_000),
        time_limit: Some(d("2024-07-10")),
        contingency_plan: "《液氨泄漏现场处置方案》".into(),
    }
}

const E: Role = Role::EnterpriseUser;
const U: Role = Role::UnitOfficer;
const C: Role = Role::CommitteeOffice;

/// Applies `req` and returns the facts with the new status.
fn step(f: &Facts, role: Role, req: Request) -> Facts {
    let to = decide(f, role, &req).unwrap_or_else(|e| panic!("{req:?}: {e}"));
    Facts {
        status: to,
        ..f.clone()
    }
}

#[test]
fn a_major_finding_walks_the_whole_loop_with_a_return_and_rework() {
    let f = facts(Status::Open, Grade::Major);
    let f = step(&f, E, Request::AcceptPlan(five()));
    assert_eq!(f.status, Status::PlanAccepted);
    let f = step(
        &f,
        U,
        Request::TemporaryMeasures {
            measures: "设置警戒区，停用2号储罐".into(),
            stop_work: true,
        },
    );
    assert_eq!(
        f.status,
        Status::PlanAccepted,
        "temporary measures keep the state"
    );
    let f = step(&f, E, Request::StartRectifying);
    assert_eq!(f.status, Status::Rectifying);
    let f = step(&f, E, Request::Submit { evidence: 2 });
    assert_eq!(f.status, Status::Submitted);
    let f = step(
        &f,
        U,
        Request::Return {
            reason: "报警仪未接入中控室".into(),
        },
    );
    assert_eq!(f.status, Status::Returned);
    let f = step(&f, E, Request::StartRework);
    assert_eq!(f.status, Status::Rework);
    let f = step(&f, E, Request::Submit { evidence: 3 });
    assert_eq!(f.status, Status::Submitted);
    let f = step(&f, C, verify());
    assert_eq!(f.status, Status::Closed);
    assert!(!f.status.is_open());
}

#[test]
fn a_general_finding_is_verified_by_the_enterprise_itself() {
    let f = facts(Status::Submitted, Grade::General);
    assert_eq!(decide(&f, E, &verify()), Ok(Status::Closed));
    assert_eq!(
        decide(
            &f,
            E,
            &Request::Return {
                reason: "照片不清".into()
            }
        ),
        Ok(Status::Returned)
    );
    // A general finding's plan needs its measures and time limit, none of the other three.
    let f = facts(Status::Open, Grade::General);
    let err = decide(&f, E, &Request::AcceptPlan(FiveImplementations::default())).unwrap_err();
    assert_eq!(
        err.to_string(),
        "确认整改方案须至少填写整改措施和整改时限，尚缺：整改措施、整改时限"
    );
    assert_eq!(err.kind(), RefusalKind::Invalid);
    let plan = FiveImplementations {
        measures: "更换灭火器".into(),
        time_limit: Some(d("2024-07-01")),
        ..Default::default()
    };
    assert_eq!(
        decide(&f, E, &Request::AcceptPlan(plan)),
        Ok(Status::PlanAccepted)
    );
}

#[test]
fn an_officers_finding_is_edited_and_verified_only_by_officers() {
    for source in [Source::Enforcement, Source::Acceptance, Source::Routine] {
        let officers = |status| Facts {
            source,
            ..facts(status, Grade::General)
        };
        let edit = Request::Edit {
            grade: Grade::General,
        };
        let open = officers(Status::Open);
        assert_eq!(
            decide(&open, E, &edit),
            Err(Refusal::Forbidden(OFFICERS_FINDING))
        );
        assert!(!offered(&open, E, &edit));
        assert_eq!(decide(&open, U, &edit), Ok(Status::Open));
        assert_eq!(decide(&open, C, &edit), Ok(Status::Open));
        let submitted = officers(Status::Submitted);
        for req in [verify(), Request::Return { reason: "r".into() }] {
            assert_eq!(
                decide(&submitted, E, &req),
                Err(Refusal::Forbidden(OFFICERS_FINDING)),
                "{source:?} {req:?}"
            );
            assert!(decide(&submitted, U, &req).is_ok(), "{source:?} {req:?}");
        }
        assert_eq!(decide(&submitted, C, &verify()), Ok(Status::Closed));
    }
    // Positive control: the enterprise edits its own self-inspection finding.
    let own = facts(Status::Open, Grade::General);
    assert_eq!(
        decide(
            &own,
            E,
            &Request::Edit {
                grade: Grade::Major
            }
        ),
        Ok(Status::Open)
    );
}

#[test]
fn major_plan_without_five_implementations_is_refused() {
    let f = facts(Status::Open, Grade::Major);
    let mut plan = five();
    plan.funds_fen = None;
    plan.contingency_plan = " ".into();
    let err = decide(&f, U, &Request::AcceptPlan(plan)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "重大事故隐患须落实“五落实”后方可确认整改方案，尚缺：整改资金、应急预案"
    );
    assert_eq!(err.kind(), RefusalKind::Invalid);
    // Positive control: the complete plan is accepted.
    assert_eq!(
        decide(&f, U, &Request::AcceptPlan(five())),
        Ok(Status::PlanAccepted)
    );
}

#[test]
fn plan_time_limit_within_the_findings_time_limit() {
    let f = facts(Status::Open, Grade::Major);
    let mut plan = five();
    plan.time_limit = Some(d("2024-07-19"));
    assert_eq!(
        decide(&f, E, &Request::AcceptPlan(plan.clone()))
            .unwrap_err()
            .to_string(),
        "整改时限2024-07-19晚于整改期限2024-07-18，如需延期请提出延期申请"
    );
    plan.time_limit = Some(d("2024-06-19"));
    assert!(matches!(
        decide(&f, E, &Request::AcceptPlan(plan)),
        Err(Refusal::PlanBeforeOpened { .. })
    ));
}

#[test]
fn submit_needs_evidence() {
    for status in [Status::Rectifying, Status::Rework] {
        let f = facts(status, Grade::Major);
        let err = decide(&f, E, &Request::Submit { evidence: 0 }).unwrap_err();
        assert_eq!(err, Refusal::NoEvidence);
        assert_eq!(
            err.to_string(),
            "请先上传整改完成的证据（照片或文件），再提交验收"
        );
        assert_eq!(
            decide(&f, E, &Request::Submit { evidence: 1 }),
            Ok(Status::Submitted)
        );
    }
}

#[test]
fn the_enterprise_cannot_close_or_return_its_own_major_finding() {
    let f = facts(Status::Submitted, Grade::Major);
    let err = decide(&f, E, &verify()).unwrap_err();
    assert_eq!(err.kind(), RefusalKind::Forbidden);
    assert_eq!(
        err.to_string(),
        "重大事故隐患须由属地单位、行业部门或安委办现场核查验收，企业不能自行验收销号"
    );
    assert!(matches!(
        decide(&f, E, &Request::Return { reason: "x".into() }),
        Err(Refusal::Forbidden(_))
    ));
    assert_eq!(decide(&f, U, &verify()), Ok(Status::Closed));
    assert_eq!(decide(&f, C, &verify()), Ok(Status::Closed));
}

#[test]
fn return_needs_a_reason() {
    let f = facts(Status::Submitted, Grade::Major);
    for reason in ["", "  ", "a\u{0}"] {
        assert_eq!(
            decide(
                &f,
                U,
                &Request::Return {
                    reason: reason.into()
                }
            ),
            Err(Refusal::TextRequired("退回理由"))
        );
    }
    assert_eq!(
        decide(
            &f,
            U,
            &Request::Return {
                reason: "未整改到位".into()
            }
        ),
        Ok(Status::Returned)
    );
}

#[test]
fn every_move_only_from_its_state() {
    // (request, role, the one state it moves from, the state it moves to)
    let moves: Vec<(Request, Role, Status, Status)> = vec![
        (
            Request::AcceptPlan(five()),
            E,
            Status::Open,
            Status::PlanAccepted,
        ),
        (
            Request::StartRectifying,
            E,
            Status::PlanAccepted,
            Status::Rectifying,
        ),
        (verify(), U, Status::Submitted, Status::Closed),
        (
            Request::Return { reason: "r".into() },
            U,
            Status::Submitted,
            Status::Returned,
        ),
        (Request::StartRework, E, Status::Returned, Status::Rework),
    ];
    for (req, role, from, to) in moves {
        for s in Status::ALL {
            let got = decide(&facts(s, Grade::Major), role, &req);
            if s == from {
                assert_eq!(got, Ok(to), "{req:?} from {s:?}");
            } else {
                assert_eq!(
                    got,
                    Err(Refusal::WrongState {
                        status: s.label(),
                        action: req.label()
                    }),
                    "{req:?} from {s:?}"
                );
            }
        }
    }
    for s in Status::ALL {
        let ok = matches!(s, Status::Rectifying | Status::Rework);
        assert_eq!(
            decide(&facts(s, Grade::Major), E, &Request::Submit { evidence: 1 }).is_ok(),
            ok,
            "submit from {s:?}"
        );
    }
    assert_eq!(
        decide(
            &facts(Status::PlanAccepted, Grade::General),
            E,
            &Request::StartRectifying
        )
        .map(Status::label),
        Ok("整改中")
    );
}

#[test]
fn roles_enterprise_steps_and_officer_steps() {
    let f = facts(Status::PlanAccepted, Grade::General);
    assert_eq!(
        decide(&f, U, &Request::StartRectifying),
        Err(Refusal::Forbidden(ENTERPRISE_ONLY))
    );
    let f = facts(Status::Rectifying, Grade::General);
    assert_eq!(
        decide(&f, C, &Request::Submit { evidence: 1 }),
        Err(Refusal::Forbidden(ENTERPRISE_ONLY))
    );
    let f = facts(Status::Returned, Grade::General);
    assert_eq!(
        decide(&f, U, &Request::StartRework),
        Err(Refusal::Forbidden(ENTERPRISE_ONLY))
    );
    for req in [
        verify(),
        Request::StartRectifying,
        Request::Edit {
            grade: Grade::Major,
        },
    ] {
        assert_eq!(
            decide(
                &facts(Status::Submitted, Grade::General),
                Role::Assessor,
                &req
            ),
            Err(Refusal::Forbidden(READ_ONLY))
        );
    }
}

#[test]
fn temporary_measures_while_open_with_text() {
    let req = Request::TemporaryMeasures {
        measures: "停止使用并设置隔离".into(),
        stop_work: true,
    };
    for s in Status::ALL {
        let got = decide(&facts(s, Grade::Major), E, &req);
        if s.is_open() {
            assert_eq!(got, Ok(s));
        } else {
            assert!(matches!(got, Err(Refusal::WrongState { .. })));
        }
    }
    assert_eq!(
        decide(
            &facts(Status::Open, Grade::Major),
            U,
            &Request::TemporaryMeasures {
                measures: " ".into(),
                stop_work: false
            }
        ),
        Err(Refusal::TextRequired("临时措施"))
    );
}

#[test]
fn extension_requested_by_the_enterprise_decided_by_the_unit() {
    let f = facts(Status::Rectifying, Grade::Major);
    let ask = Request::RequestExtension {
        due_on: d("2024-08-30"),
        reason: "进口阀门到货延迟".into(),
    };
    assert_eq!(decide(&f, E, &ask), Ok(Status::Rectifying));
    assert_eq!(
        decide(&f, U, &ask),
        Err(Refusal::Forbidden(ENTERPRISE_ONLY))
    );
    // Not later, beyond the campaign, without a reason.
    assert_eq!(
        decide(
            &f,
            E,
            &Request::RequestExtension {
                due_on: d("2024-07-18"),
                reason: "x".into()
            }
        ),
        Err(Refusal::NotLater {
            due_on: d("2024-07-18")
        })
    );
    assert!(matches!(
        decide(
            &f,
            E,
            &Request::RequestExtension {
                due_on: d("2025-01-01"),
                reason: "x".into()
            }
        ),
        Err(Refusal::TimeLimit(TimeLimitError::AfterCampaign { .. }))
    ));
    assert_eq!(
        decide(
            &f,
            E,
            &Request::RequestExtension {
                due_on: d("2024-08-30"),
                reason: " ".into()
            }
        ),
        Err(Refusal::TimeLimit(TimeLimitError::NoReason))
    );
    // Submitted or closed: nothing to extend.
    assert!(matches!(
        decide(&facts(Status::Submitted, Grade::Major), E, &ask),
        Err(Refusal::WrongState { .. })
    ));

    let decide_yes = Request::DecideExtension {
        approve: true,
        reason: String::new(),
    };
    let decide_no = Request::DecideExtension {
        approve: false,
        reason: String::new(),
    };
    assert_eq!(decide(&f, U, &decide_yes), Err(Refusal::NoExtensionPending));
    let pending = Facts {
        pending_extension: Some((d("2024-08-30"), "进口阀门到货延迟".into())),
        ..f.clone()
    };
    assert_eq!(decide(&pending, E, &ask), Err(Refusal::ExtensionPending));
    assert_eq!(
        decide(&pending, E, &decide_yes),
        Err(Refusal::Forbidden(OFFICER_ONLY))
    );
    assert_eq!(decide(&pending, U, &decide_yes), Ok(Status::Rectifying));
    assert_eq!(
        decide(&pending, U, &decide_no),
        Err(Refusal::TextRequired("不予延期的理由"))
    );
    assert_eq!(
        decide(
            &pending,
            C,
            &Request::DecideExtension {
                approve: false,
                reason: "可先采取临时措施".into()
            }
        ),
        Ok(Status::Rectifying)
    );
}

#[test]
fn a_time_limit_is_set_directly_only_by_an_officer_with_a_reason() {
    let f = facts(Status::Rectifying, Grade::General);
    let change = |due: &str, reason: &str| Request::ChangeDue {
        due_on: d(due),
        reason: reason.into(),
    };
    // The enterprise goes through the extension request, not round it.
    let err = decide(&f, E, &change("2024-08-30", "设备到货")).unwrap_err();
    assert_eq!(err, Refusal::Forbidden(DUE_BY_OFFICER));
    assert_eq!(err.kind(), RefusalKind::Forbidden);
    assert_eq!(
        decide(&f, Role::Assessor, &change("2024-08-30", "设备到货")),
        Err(Refusal::Forbidden(READ_ONLY))
    );
    // Officers of the scope, earlier or later, within the bounds, with a reason.
    assert_eq!(
        decide(&f, U, &change("2024-08-30", "设备到货")),
        Ok(Status::Rectifying)
    );
    assert_eq!(
        decide(&f, C, &change("2024-06-20", "立即整改")),
        Ok(Status::Rectifying)
    );
    assert_eq!(
        decide(&f, U, &change("2024-08-30", " ")),
        Err(Refusal::TimeLimit(TimeLimitError::NoReason))
    );
    assert_eq!(
        decide(&f, U, &change("2024-06-19", "x"))
            .unwrap_err()
            .to_string(),
        "整改期限2024-06-19早于发现日期2024-06-20"
    );
    assert!(matches!(
        decide(&f, U, &change("2025-01-01", "x")),
        Err(Refusal::TimeLimit(TimeLimitError::AfterCampaign { .. }))
    ));
    assert!(matches!(
        decide(
            &facts(Status::Closed, Grade::General),
            U,
            &change("2024-08-30", "x")
        ),
        Err(Refusal::WrongState { .. })
    ));
    assert_eq!(change("2024-08-30", "x").label(), "调整整改期限");
}

#[test]
fn offered_by_role_and_state_not_by_content() {
    let f = facts(Status::Submitted, Grade::Major);
    assert!(offered(&f, U, &verify()));
    assert!(!offered(&f, E, &verify()));
    assert!(!offered(&f, E, &Request::StartRework));
    let f = facts(Status::Rectifying, Grade::Major);
    assert!(
        offered(&f, E, &Request::Submit { evidence: 0 }),
        "refused on submission"
    );
}

#[test]
fn grade_of_a_major_finding_is_kept_by_officers() {
    let f = facts(Status::Open, Grade::Major);
    assert_eq!(
        decide(
            &f,
            E,
            &Request::Edit {
                grade: Grade::General
            }
        ),
        Err(Refusal::Forbidden(GRADE_BY_OFFICER))
    );
    assert_eq!(
        decide(
            &f,
            E,
            &Request::Edit {
                grade: Grade::Major
            }
        ),
        Ok(Status::Open)
    );
    // An officer lowers it only through the committee office's approval (issue #18 point 4).
    assert_eq!(
        decide(
            &f,
            U,
            &Request::Edit {
                grade: Grade::General
            }
        ),
        Err(Refusal::DowngradeNeedsApproval)
    );
    assert!(matches!(
        decide(
            &facts(Status::Closed, Grade::General),
            U,
            &Request::Edit {
                grade: Grade::Major
            }
        ),
        Err(Refusal::WrongState { .. })
    ));
}

#[test]
fn closing_records_the_on_site_check() {
    let f = facts(Status::Submitted, Grade::General);
    let with = |opinion: &str, verifiers: &str, check_files| Request::Verify {
        opinion: opinion.into(),
        verifiers: verifiers.into(),
        check_files,
    };
    assert_eq!(
        decide(&f, U, &with("", "李明", 1)),
        Err(Refusal::TextRequired("验收意见"))
    );
    assert_eq!(
        decide(&f, U, &with("整改到位", "  ", 1)),
        Err(Refusal::TextRequired("核验人员"))
    );
    let err = decide(&f, U, &with("整改到位", "李明", 0)).unwrap_err();
    assert_eq!(err, Refusal::NoCheckRecord);
    assert_eq!(
        err.to_string(),
        "请先上传现场核验的照片或文件（至少一份），再验收销号"
    );
    assert_eq!(err.kind(), RefusalKind::Invalid);
    assert!(offered(&f, U, &with("", "", 0)), "the form is shown empty");
    assert_eq!(
        decide(&f, U, &with("整改到位", "李明", 2)),
        Ok(Status::Closed)
    );
}

#[test]
fn a_major_finding_is_supervised_and_downgraded_only_with_the_offices_approval() {
    let unsupervised = Facts {
        supervised: false,
        ..facts(Status::Rectifying, Grade::Major)
    };
    let err = decide(&unsupervised, E, &Request::Submit { evidence: 1 }).unwrap_err();
    assert_eq!(
        err.to_string(),
        "重大事故隐患须先挂牌督办（明确督办单位），方可提交验收"
    );
    let submitted = Facts {
        status: Status::Submitted,
        ..unsupervised.clone()
    };
    assert_eq!(
        decide(&submitted, U, &verify()),
        Err(Refusal::NotSupervised("验收销号"))
    );
    // A plan left incomplete when the finding was graded major after it was accepted.
    let incomplete = Facts {
        plan_missing: vec!["整改资金", "应急预案"],
        ..facts(Status::Rectifying, Grade::Major)
    };
    assert_eq!(
        decide(&incomplete, E, &Request::Submit { evidence: 1 })
            .unwrap_err()
            .to_string(),
        "重大事故隐患须落实“五落实”后方可确认整改方案，尚缺：整改资金、应急预案"
    );
    // Supervision: officers only, major findings only.
    let supervise = Request::Supervise { unit_id: 7 };
    assert_eq!(decide(&unsupervised, U, &supervise), Ok(Status::Rectifying));
    assert_eq!(decide(&unsupervised, C, &supervise), Ok(Status::Rectifying));
    assert_eq!(
        decide(&unsupervised, E, &supervise).unwrap_err().kind(),
        RefusalKind::Forbidden
    );
    assert_eq!(
        decide(&facts(Status::Open, Grade::General), U, &supervise),
        Err(Refusal::NotMajor)
    );
    // A downgrade: an edit to 一般 is refused for an officer (422) and the enterprise (403).
    let major = facts(Status::Open, Grade::Major);
    let lower = Request::Edit {
        grade: Grade::General,
    };
    assert_eq!(
        decide(&major, U, &lower),
        Err(Refusal::DowngradeNeedsApproval)
    );
    assert_eq!(
        decide(&major, C, &lower),
        Err(Refusal::DowngradeNeedsApproval)
    );
    assert_eq!(
        decide(&major, E, &lower).unwrap_err().kind(),
        RefusalKind::Forbidden
    );
    assert_eq!(edit_grades(&major, U), vec![Grade::Major]);
    assert_eq!(
        edit_grades(&facts(Status::Open, Grade::General), U),
        vec![Grade::General, Grade::Major]
    );
    let ask = |reason: &str| Request::RequestDowngrade {
        reason: reason.into(),
    };
    assert_eq!(
        decide(&major, U, &ask(" ")),
        Err(Refusal::TextRequired("降级理由"))
    );
    assert_eq!(
        decide(&major, U, &ask("经专家论证不属于重大事故隐患")),
        Ok(Status::Open)
    );
    assert_eq!(
        decide(&major, E, &ask("x")).unwrap_err().kind(),
        RefusalKind::Forbidden
    );
    let pending = Facts {
        pending_downgrade: Some("经专家论证不属于重大事故隐患".into()),
        ..major.clone()
    };
    assert_eq!(
        decide(&pending, U, &ask("again")),
        Err(Refusal::DowngradePending)
    );
    let approve = Request::DecideDowngrade {
        approve: true,
        reason: String::new(),
    };
    let refuse = |reason: &str| Request::DecideDowngrade {
        approve: false,
        reason: reason.into(),
    };
    assert_eq!(
        decide(&pending, U, &approve),
        Err(Refusal::Forbidden(DOWNGRADE_BY_OFFICE))
    );
    assert_eq!(
        decide(&major, C, &approve),
        Err(Refusal::NoDowngradePending)
    );
    assert_eq!(
        decide(&pending, C, &refuse("")),
        Err(Refusal::TextRequired("不予降级的理由"))
    );
    assert_eq!(
        decide(&pending, C, &refuse("论证材料不足")),
        Ok(Status::Open)
    );
    assert_eq!(decide(&pending, C, &approve), Ok(Status::Open));
    assert_eq!(approve.code(), "approve_downgrade");
    assert_eq!(action_label("approve_downgrade"), "批准降为一般隐患");
}
