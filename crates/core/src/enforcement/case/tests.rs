use super::*;
use crate::enforcement::penalty::Discretion;
use crate::refusal::RefusalKind;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn uscc() -> Uscc {
    Uscc::with_check_char("91450103198230001").unwrap()
}

fn person() -> Party {
    Party::Person {
        name: "张三".into(),
        role: "安全生产管理人员".into(),
        unit_name: "南宁某某化工有限公司".into(),
        unit_uscc: uscc(),
    }
}

fn unit() -> Party {
    Party::Unit {
        name: "南宁某某化工有限公司".into(),
        uscc: uscc(),
    }
}

fn notified(party: Party, provision: Provision, amount: u32, heavy: Option<HeavyMeasure>) -> Case {
    let mut c = Case::file(party, d("2024-09-20"));
    c.investigate(d("2024-09-23")).unwrap();
    c.notify(PenaltyNotice {
        provision,
        amount,
        heavy,
        received_on: d("2024-09-27"),
    })
    .unwrap();
    c
}

fn decision(provision: Provision, amount: u32, on: &str) -> Decision {
    Decision {
        provision,
        amount,
        band: None,
        decided_on: d(on),
    }
}

#[test]
fn a_person_case_end_to_end_with_hearing_payment_and_closing() {
    let (rules, cal) = (Rules::shipped(), Calendar::shipped());
    let fine = Discretion::shipped()
        .decide(
            Provision::Art96Person,
            20_000,
            Some(Band::General),
            d("2024-10-11"),
        )
        .unwrap();
    let mut c = notified(person(), Provision::Art96Person, 20_000, None);
    assert_eq!(c.state(), CaseState::Notified);
    assert!(c.hearing_required(&rules, d("2024-09-27")).unwrap());
    // A hearing skipped above the threshold is refused.
    let r = c
        .decide(
            decision(Provision::Art96Person, 20_000, "2024-10-11"),
            &rules,
            &cal,
        )
        .unwrap_err();
    assert_eq!(r.kind(), RefusalKind::Conflict);
    assert!(
        r.message().contains("应当先送达听证告知书"),
        "{}",
        r.message()
    );
    c.offer_hearing(d("2024-09-27")).unwrap();
    // Before the hearing-request window (5 working days, to 2024-10-10) closes.
    let r = c
        .decide(
            decision(Provision::Art96Person, 20_000, "2024-10-10"),
            &rules,
            &cal,
        )
        .unwrap_err();
    assert_eq!(
        r.message(),
        "申请听证期限（5个工作日）至2024-10-10届满，期满前不能作出决定"
    );
    assert_eq!(c.state(), CaseState::HearingOffered);
    let band = (fine.band.unwrap(), fine.table.unwrap().0);
    c.decide(
        Decision {
            provision: Provision::Art96Person,
            amount: fine.amount,
            band: Some(band),
            decided_on: d("2024-10-11"),
        },
        &rules,
        &cal,
    )
    .unwrap();
    assert_eq!(c.state(), CaseState::Decided);
    // 10-12 (Saturday) is a make-up working day.
    assert_eq!(c.serve_by(&rules, &cal).unwrap(), d("2024-10-21"));
    c.serve(d("2024-10-14")).unwrap();
    assert_eq!(c.pay_by(&rules, &cal).unwrap(), d("2024-10-29"));
    // Enforcement before the payment limit is refused.
    assert!(c.enforce(d("2024-10-29"), &rules, &cal).is_err());
    // Paid 2 days late: 3 % × 20 000 × 2 = 1 200.
    assert_eq!(c.pay(d("2024-10-31"), &rules, &cal).unwrap(), 1_200);
    assert_eq!(c.state(), CaseState::Paid);
    let r = c
        .close(
            d("2024-11-01"),
            &[CaseDocument::Filing, CaseDocument::PenaltyNotice],
        )
        .unwrap_err();
    assert_eq!(r.field(), Some("documents"));
    assert_eq!(
        r.message(),
        "案卷文书不全，缺少：听证告知书、行政处罚决定书、送达回执、罚款缴纳凭证"
    );
    c.close(d("2024-11-01"), &c.required_documents()).unwrap();
    assert_eq!(c.state(), CaseState::Closed);
}

#[test]
fn a_decision_before_the_statement_window_closes_is_refused() {
    let (rules, cal) = (Rules::shipped(), Calendar::shipped());
    // Unit fined 20 000 < 30 000: no hearing required.
    let mut c = notified(unit(), Provision::Art102Unit, 20_000, None);
    assert!(!c.hearing_required(&rules, d("2024-09-27")).unwrap());
    let r = c
        .decide(
            decision(Provision::Art102Unit, 20_000, "2024-10-08"),
            &rules,
            &cal,
        )
        .unwrap_err();
    assert_eq!(
        r.message(),
        "陈述申辩期限（3个工作日）至2024-10-08届满，当事人未陈述申辩或放弃前不能作出决定"
    );
    c.decide(
        decision(Provision::Art102Unit, 20_000, "2024-10-09"),
        &rules,
        &cal,
    )
    .unwrap();
}

#[test]
fn an_answer_lets_the_decision_come_before_the_window_closes() {
    let (rules, cal) = (Rules::shipped(), Calendar::shipped());
    let mut c = notified(unit(), Provision::Art102Unit, 20_000, None);
    // A hearing cannot be recorded without a hearing notice.
    assert!(c.record_answer(Answer::Hearing, d("2024-09-30")).is_err());
    c.record_answer(Answer::Statement, d("2024-09-30")).unwrap();
    assert_eq!(c.state(), CaseState::Heard);
    c.decide(
        decision(Provision::Art102Unit, 20_000, "2024-09-30"),
        &rules,
        &cal,
    )
    .unwrap();
}

#[test]
fn the_hearing_thresholds_and_heavy_measures() {
    let rules = Rules::shipped();
    let day = d("2024-09-27");
    let c = notified(unit(), Provision::Art97Unit, 29_999, None);
    assert!(!c.hearing_required(&rules, day).unwrap());
    let c = notified(unit(), Provision::Art97Unit, 30_000, None);
    assert!(c.hearing_required(&rules, day).unwrap());
    let c = notified(person(), Provision::Art96Person, 10_000, None);
    assert!(c.hearing_required(&rules, day).unwrap());
    // Suspension offers a hearing whatever the amount.
    let c = notified(
        unit(),
        Provision::Art102Unit,
        1_000,
        Some(HeavyMeasure::Suspension),
    );
    assert!(c.hearing_required(&rules, day).unwrap());
}

#[test]
fn steps_out_of_order_are_refused_in_chinese() {
    let (rules, cal) = (Rules::shipped(), Calendar::shipped());
    let mut c = Case::file(unit(), d("2024-09-20"));
    let r = c
        .notify(PenaltyNotice {
            provision: Provision::Art102Unit,
            amount: 1,
            heavy: None,
            received_on: d("2024-09-27"),
        })
        .unwrap_err();
    assert_eq!(r.message(), "案件当前为“已立案”，不能送达行政处罚告知书");
    assert!(
        c.decide(
            decision(Provision::Art102Unit, 1, "2024-10-30"),
            &rules,
            &cal
        )
        .is_err()
    );
    assert!(c.serve(d("2024-10-01")).is_err());
    assert!(c.close(d("2024-10-01"), &[]).is_err());
    // A date before the previous step.
    assert_eq!(
        c.investigate(d("2024-09-19")).unwrap_err().field(),
        Some("date")
    );
    c.investigate(d("2024-09-20")).unwrap();
    // The provision must fine this kind of party.
    let r = c
        .notify(PenaltyNotice {
            provision: Provision::Art96Person,
            amount: 10_000,
            heavy: None,
            received_on: d("2024-09-27"),
        })
        .unwrap_err();
    assert_eq!(r.field(), Some("provision"));
}

#[test]
fn the_decision_limit_and_its_extensions() {
    let (rules, cal) = (Rules::shipped(), Calendar::shipped());
    let mut c = notified(unit(), Provision::Art102Unit, 20_000, None);
    assert_eq!(
        c.decide_by(&rules, &cal, d("2024-10-20")).unwrap(),
        d("2024-10-20")
    );
    let late = decision(Provision::Art102Unit, 20_000, "2024-10-21");
    let r = c.decide(late.clone(), &rules, &cal).unwrap_err();
    assert!(
        r.message().contains("已超过办案期限（2024-10-20）"),
        "{}",
        r.message()
    );
    c.extend().unwrap();
    assert_eq!(
        c.decide_by(&rules, &cal, d("2024-10-21")).unwrap(),
        d("2024-12-19")
    );
    c.extend().unwrap();
    assert_eq!(
        c.decide_by(&rules, &cal, d("2024-10-21")).unwrap(),
        d("2025-03-19")
    );
    assert!(c.extend().is_err());
    c.decide(late, &rules, &cal).unwrap();
    assert!(c.extend().is_err());
}

#[test]
fn unpaid_fine_goes_to_enforcement_then_closes() {
    let (rules, cal) = (Rules::shipped(), Calendar::shipped());
    let mut c = notified(unit(), Provision::Art102Unit, 20_000, None);
    c.decide(
        decision(Provision::Art102Unit, 20_000, "2024-10-09"),
        &rules,
        &cal,
    )
    .unwrap();
    c.serve(d("2024-10-09")).unwrap();
    c.enforce(d("2024-10-25"), &rules, &cal).unwrap();
    assert_eq!(c.state(), CaseState::Enforcing);
    assert!(c.pay(d("2024-10-26"), &rules, &cal).is_err());
    c.close(d("2024-10-26"), &c.required_documents()).unwrap();
}

#[test]
fn no_penalty_is_served_and_closed_but_never_at_acceptance() {
    let (rules, cal) = (Rules::shipped(), Calendar::shipped());
    assert!(NoPenalty::new("依据", "行政指导", true).is_err());
    let mut c = notified(unit(), Provision::Art102Unit, 5_000, None);
    c.record_answer(Answer::Waived, d("2024-09-30")).unwrap();
    let np = NoPenalty::new(
        "《行政处罚法》第三十三条：初次违法，及时改正，未造成危害后果",
        "预警提示",
        false,
    )
    .unwrap();
    c.decide_no_penalty(np, d("2024-09-30"), &rules, &cal)
        .unwrap();
    assert_eq!(c.state(), CaseState::NotPunished);
    assert_eq!(c.serve_by(&rules, &cal).unwrap(), d("2024-10-15"));
    assert!(c.close(d("2024-10-08"), &c.required_documents()).is_err());
    c.serve(d("2024-10-08")).unwrap();
    assert!(c.pay_by(&rules, &cal).is_err());
    assert_eq!(
        c.required_documents(),
        [
            CaseDocument::Filing,
            CaseDocument::PenaltyNotice,
            CaseDocument::NoPenaltyDecision,
            CaseDocument::ServiceReceipt
        ]
    );
    c.close(d("2024-10-08"), &c.required_documents()).unwrap();
}

#[test]
fn a_step_after_2026_02_01_uses_the_rules_then_in_force() {
    // Fixture: statement window 3 working days before 2026-02-01, 5 after.
    let mut text = String::new();
    for (period, statement) in [
        (
            "effective_from = 2015-05-01\neffective_until = 2026-01-31\n",
            3,
        ),
        ("effective_from = 2026-02-01\n", 5),
    ] {
        for (key, value, unit) in [
            ("penalty_procedure", "\"规章\"".to_string(), "text"),
            ("statement_within", statement.to_string(), "working_days"),
            ("hearing_request_within", "5".into(), "working_days"),
            ("service_within", "7".into(), "working_days"),
            ("decide_within", "30".into(), "calendar_days"),
            ("decide_extended_within", "90".into(), "calendar_days"),
            ("decide_further_within", "180".into(), "calendar_days"),
            ("pay_within", "15".into(), "calendar_days"),
            ("late_fee_percent_per_day", "3".into(), "percent"),
            ("hearing_threshold_person", "10000".into(), "yuan"),
            ("hearing_threshold_unit", "30000".into(), "yuan"),
        ] {
            text.push_str(&format!(
                "[[rule]]\nkey = \"{key}\"\nvalue = {value}\nunit = \"{unit}\"\nsource = \"测试\"\n{period}verified = false\n\n"
            ));
        }
    }
    let rules = Rules::parse(&text).unwrap();
    let cal = Calendar::shipped();
    let mut c = Case::file(unit(), d("2026-01-26"));
    c.investigate(d("2026-01-27")).unwrap();
    c.notify(PenaltyNotice {
        provision: Provision::Art102Unit,
        amount: 20_000,
        heavy: None,
        received_on: d("2026-01-29"),
    })
    .unwrap();
    // Decided on 2026-02-04 (after the change): the 5-working-day window of the new version
    // applies, so a decision the old 3-day window would allow is refused.
    let r = c
        .decide(
            decision(Provision::Art102Unit, 20_000, "2026-02-04"),
            &rules,
            &cal,
        )
        .unwrap_err();
    assert!(
        r.message().starts_with("陈述申辩期限（5个工作日）"),
        "{}",
        r.message()
    );
}

#[test]
fn the_windows_of_papers_received_2024_09_27_close_across_national_day() {
    let (rules, cal) = (Rules::shipped(), Calendar::shipped());
    let mut c = notified(unit(), Provision::Art97Unit, 50_000, None);
    c.offer_hearing(d("2024-09-27")).unwrap();
    // A decision served from the same day, to show the service window the issue names.
    let mut served = c.clone();
    served.decision = Some(decision(Provision::Art97Unit, 50_000, "2024-09-27"));
    let shown = |c: &Case| -> Vec<(&'static str, NaiveDate, bool, bool)> {
        c.windows(&rules, &cal)
            .unwrap()
            .into_iter()
            .map(|w| (w.label, w.closes, w.met, w.deadline))
            .collect()
    };
    // 3, 5 and 7 working days: 09-29 (Sunday) and 10-12 (Saturday) are working days, 10-01
    // to 10-07 are not (国办发明电〔2023〕7号).
    assert_eq!(
        shown(&served),
        vec![
            ("陈述申辩期限", d("2024-10-08"), true, false),
            ("申请听证期限", d("2024-10-10"), true, false),
            ("作出处罚决定期限", d("2024-10-20"), true, true),
            ("送达期限", d("2024-10-12"), false, true),
        ]
    );
    // Before the decision the party's windows are open and the decision limit runs; with the
    // head's approval it becomes 90 days from filing.
    c.extend().unwrap();
    assert_eq!(
        shown(&c),
        vec![
            ("陈述申辩期限", d("2024-10-08"), false, false),
            ("申请听证期限", d("2024-10-10"), false, false),
            ("作出处罚决定期限", d("2024-12-19"), false, true),
        ]
    );
    let w = &c.windows(&rules, &cal).unwrap()[0];
    assert_eq!(w.span, "3个工作日");
    // Served on 10-14: 15 calendar days to pay.
    let mut paid = served.clone();
    paid.serve(d("2024-10-14")).unwrap();
    assert_eq!(
        shown(&paid).last(),
        Some(&("缴纳罚款期限", d("2024-10-29"), false, true))
    );
}

#[test]
fn a_regions_hearing_threshold_replaces_the_shipped_one() {
    let (shipped, cal) = (Rules::shipped(), Calendar::shipped());
    let c = notified(unit(), Provision::Art97Unit, 50_000, None);
    assert!(c.hearing_required(&shipped, d("2024-10-11")).unwrap());
    // A province whose 较大数额 for a unit is 100 000 yuan: no hearing for 50 000.
    let local = shipped.with_hearing_thresholds(None, Some(100_000), "某省规定（测试）");
    assert!(!c.hearing_required(&local, d("2024-10-11")).unwrap());
    assert_eq!(
        local
            .case_at(d("2024-10-11"))
            .unwrap()
            .hearing_threshold_unit
            .provenance
            .source,
        "某省规定（测试）"
    );
    // The person's threshold stays the shipped one.
    assert_eq!(
        local
            .case_at(d("2024-10-11"))
            .unwrap()
            .hearing_threshold_person
            .value,
        shipped
            .case_at(d("2024-10-11"))
            .unwrap()
            .hearing_threshold_person
            .value
    );
    // So a decision may follow the statement window without a hearing notice.
    let mut c = c;
    c.decide(
        decision(Provision::Art97Unit, 50_000, "2024-10-09"),
        &local,
        &cal,
    )
    .unwrap();
    // A suspension is heard whatever the amount.
    let heavy = notified(
        unit(),
        Provision::Art97Unit,
        0,
        Some(HeavyMeasure::Suspension),
    );
    assert!(heavy.hearing_required(&local, d("2024-10-11")).unwrap());
}

#[test]
fn a_suspension_runs_its_period_until_the_review_lifts_it() {
    let (rules, cal) = (Rules::shipped(), Calendar::shipped());
    let mut c = notified(
        unit(),
        Provision::Art97SecondUnit,
        200_000,
        Some(HeavyMeasure::Suspension),
    );
    let r = c.suspend(d("2024-10-20"), d("2024-11-20")).unwrap_err();
    assert_eq!(r.message(), "案件当前为“已告知”，不能责令停产停业整顿");
    c.offer_hearing(d("2024-09-27")).unwrap();
    c.record_answer(Answer::Waived, d("2024-09-30")).unwrap();
    c.decide(
        decision(Provision::Art97SecondUnit, 200_000, "2024-10-18"),
        &rules,
        &cal,
    )
    .unwrap();
    let r = c.suspend(d("2024-10-17"), d("2024-11-20")).unwrap_err();
    assert_eq!(
        (r.message(), r.field()),
        (
            "停产停业整顿起始日期不能早于处罚决定日期2024-10-18",
            Some("date")
        )
    );
    let r = c.suspend(d("2024-10-20"), d("2024-10-20")).unwrap_err();
    assert_eq!(r.field(), Some("until"));
    c.suspend(d("2024-10-20"), d("2024-11-20")).unwrap();
    assert_eq!(
        c.suspend(d("2024-10-20"), d("2024-11-20"))
            .unwrap_err()
            .message(),
        "已责令停产停业整顿"
    );
    c.serve(d("2024-10-21")).unwrap();
    c.pay(d("2024-10-25"), &rules, &cal).unwrap();
    let r = c.close(d("2024-10-28"), &[]).unwrap_err();
    assert_eq!(r.message(), "停产停业整顿尚未经复查解除，不能结案");
    let r = c.lift_suspension(d("2024-10-19"), "整改到位").unwrap_err();
    assert_eq!(r.field(), Some("date"));
    assert_eq!(
        c.lift_suspension(d("2024-11-15"), " ").unwrap_err().field(),
        Some("note")
    );
    c.lift_suspension(d("2024-11-15"), "复查：隐患已整改，同意恢复生产")
        .unwrap();
    assert_eq!(
        c.suspension.as_ref().and_then(|s| s.lifted.clone()),
        Some((d("2024-11-15"), "复查：隐患已整改，同意恢复生产".into()))
    );
    // Without the notice proposing it, no suspension is added to a decision.
    let mut plain = notified(unit(), Provision::Art97Unit, 5_000, None);
    plain
        .record_answer(Answer::Waived, d("2024-09-30"))
        .unwrap();
    plain
        .decide(
            decision(Provision::Art97Unit, 5_000, "2024-10-18"),
            &rules,
            &cal,
        )
        .unwrap();
    assert!(
        plain
            .suspend(d("2024-10-20"), d("2024-11-20"))
            .unwrap_err()
            .message()
            .contains("告知书未告知拟责令停产停业整顿")
    );
}
