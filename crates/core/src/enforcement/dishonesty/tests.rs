use super::*;
use crate::enforcement::case::{Answer, Decision, PenaltyNotice};
use crate::enforcement::penalty::{NoPenalty, Provision};
use crate::uscc::Uscc;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn unit() -> Party {
    Party::Unit {
        name: "南宁某某化工有限公司".into(),
        uscc: Uscc::with_check_char("91450103198230001").unwrap(),
    }
}

fn noticed_case() -> Case {
    let mut c = Case::file(unit(), d("2024-09-20"));
    c.investigate(d("2024-09-23")).unwrap();
    c.notify(PenaltyNotice {
        provision: Provision::Art97Unit,
        amount: 20_000,
        heavy: None,
        received_on: d("2024-09-27"),
    })
    .unwrap();
    c.record_answer(Answer::Waived, d("2024-09-28")).unwrap();
    c
}

fn listing() -> (Listing, Rules, Calendar) {
    let (rules, cal) = (Rules::shipped(), Calendar::shipped());
    let data = ListingData::shipped();
    let l = Listing::notify(
        unit(),
        data.ground("penalty-evaded").unwrap(),
        "罚款决定作出后有执行能力拒不缴纳",
        d("2024-12-10"),
        &rules,
    )
    .unwrap();
    (l, rules, cal)
}

#[test]
fn the_shipped_data_holds_the_nine_grounds_and_the_eight_industries() {
    let data = ListingData::shipped();
    let clauses: Vec<_> = data.grounds.iter().map(|g| g.clause.as_str()).collect();
    assert_eq!(
        clauses,
        [
            "第五条第（一）项",
            "第五条第（二）项",
            "第五条第（三）项",
            "第五条第（四）项",
            "第五条第（五）项",
            "第六条第（一）项",
            "第六条第（二）项",
            "第六条第（三）项",
            "第六条第（四）项"
        ]
    );
    let covered: Vec<_> = data
        .industries
        .iter()
        .filter(|s| s.covered)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(covered, ["非煤矿山", "危险化学品", "烟花爆竹", "工贸"]);
    let inferred: Vec<_> = data
        .industries
        .iter()
        .filter(|s| s.inferred)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(
        inferred,
        ["建筑施工", "交通运输", "城镇燃气", "民用爆炸物品"]
    );
    assert_eq!(
        data.unverified().len(),
        13,
        "nine grounds and four inferred industries"
    );
}

#[test]
fn data_with_a_ground_twice_is_refused() {
    let text = "industry = []\n[[ground]]\ncode = \"a\"\nclause = \"第五条\"\ntext = \"x\"\nverified = false\n\
                [[ground]]\ncode = \"a\"\nclause = \"第六条\"\ntext = \"y\"\nverified = false\n";
    assert_eq!(
        ListingData::parse(text).unwrap_err().to_string(),
        "严重失信主体名单数据：列入情形代码“a”重复"
    );
}

#[test]
fn only_a_decided_penalty_in_a_covered_industry_may_be_listed() {
    let (rules, cal) = (Rules::shipped(), Calendar::shipped());
    let data = ListingData::shipped();
    let mut c = noticed_case();
    let r = data.check_case(&c, "危险化学品").unwrap_err();
    assert!(
        r.message().starts_with("该案件尚未作出行政处罚决定"),
        "{r:?}"
    );
    let mut no = c.clone();
    no.decide_no_penalty(
        NoPenalty::new(
            "初次违法且危害后果轻微并及时改正",
            "责令限期整改并复查",
            false,
        )
        .unwrap(),
        d("2024-10-08"),
        &rules,
        &cal,
    )
    .unwrap();
    let r = data.check_case(&no, "危险化学品").unwrap_err();
    assert!(
        r.message().starts_with("该案件作出的是不予行政处罚决定"),
        "{r:?}"
    );
    c.decide(
        Decision {
            provision: Provision::Art97Unit,
            amount: 20_000,
            band: None,
            decided_on: d("2024-10-11"),
        },
        &rules,
        &cal,
    )
    .unwrap();
    data.check_case(&c, "危险化学品").unwrap();
    data.check_case(&c, "规模以上（或限额以上）工贸").unwrap();
    let r = data.check_case(&c, "建筑施工").unwrap_err();
    assert_eq!(r.field(), Some("case"));
    assert!(
        r.message().starts_with(
            "企业所属行业“建筑施工”不在《安全生产严重失信主体名单管理办法》适用范围内"
        ),
        "{r:?}"
    );
    let r = data.check_case(&c, "其他").unwrap_err();
    assert!(r.message().contains("未列入名单适用行业数据"), "{r:?}");
}

#[test]
fn a_listing_published_2024_12_20_ends_2027_12_20_and_may_be_repaired_from_2025_12_20() {
    let (mut l, rules, cal) = listing();
    assert_eq!(l.state(), ListingStatus::Notified);
    assert_eq!(l.objection_closes(&rules, &cal).unwrap(), d("2024-12-13"));
    let r = l
        .decide(d("2024-12-13"), "青应急失信〔2024〕1号", &rules, &cal)
        .unwrap_err();
    assert_eq!(
        r.message(),
        "陈述申辩期限至2024-12-13届满，期满前不能作出列入决定"
    );
    let r = l
        .publish(d("2024-12-20"), "信用中国", &rules, &cal)
        .unwrap_err();
    assert_eq!(r.message(), "名单记录当前为“已告知”，不能公示");
    l.decide(d("2024-12-16"), "青应急失信〔2024〕1号", &rules, &cal)
        .unwrap();
    assert_eq!(l.state(), ListingStatus::Decided);
    l.publish(
        d("2024-12-20"),
        "信用中国（广西）、区应急管理局网站",
        &rules,
        &cal,
    )
    .unwrap();
    let p = l.publication.clone().unwrap();
    assert_eq!(
        (p.ends_on, p.repair_from),
        (d("2027-12-20"), d("2025-12-20"))
    );
    assert!(l.shown_on(d("2024-12-20")));
    assert!(!l.shown_on(d("2024-12-19")));

    let before = l.clone();
    let r = l
        .apply_repair(d("2025-12-19"), "已缴清罚款并完成整改")
        .unwrap_err();
    assert_eq!(
        r.message(),
        "公示（2024-12-20）后须满信用修复等待期，最早于2025-12-20方可申请信用修复（提前移出）"
    );
    assert_eq!(l, before, "a refused step changes nothing");
    l.apply_repair(d("2025-12-20"), "已缴清罚款并完成整改")
        .unwrap();
    assert_eq!(l.state(), ListingStatus::RepairApplied);
    l.decide_repair(d("2025-12-22"), false, "整改材料不完整")
        .unwrap();
    assert_eq!(l.state(), ListingStatus::Published);
    l.apply_repair(d("2026-01-05"), "补充了培训记录").unwrap();
    l.decide_repair(d("2026-01-09"), true, "符合信用修复条件")
        .unwrap();
    assert_eq!(l.state(), ListingStatus::Removed);
    assert!(!l.shown_on(d("2026-01-09")));
    l.revoke_early_removal(d("2026-03-02"), "申请材料隐瞒了未缴清的加处罚款")
        .unwrap();
    assert_eq!(l.state(), ListingStatus::Published);
    assert!(l.shown_on(d("2027-12-19")));
    assert!(!l.shown_on(d("2027-12-20")));
    let r = l.remove_on_expiry(d("2027-12-19")).unwrap_err();
    assert_eq!(
        r.message(),
        "管理期限至2027-12-20届满，期满前不能移出；提前移出须经信用修复"
    );
    l.remove_on_expiry(d("2027-12-20")).unwrap();
    assert_eq!(
        l.removal,
        Some(Removal {
            on: d("2027-12-20"),
            reason: RemovalReason::Expiry
        })
    );
    let r = l.revoke_early_removal(d("2027-12-21"), "x").unwrap_err();
    assert_eq!(r.message(), "只有经信用修复提前移出的名单才能撤销提前移出");
}

#[test]
fn an_objection_in_time_is_answered_and_an_upheld_one_drops_the_listing() {
    let (mut l, rules, cal) = listing();
    let r = l
        .object(d("2024-12-16"), "已缴清罚款", &rules, &cal)
        .unwrap_err();
    assert_eq!(
        r.message(),
        "陈述申辩期限已于2024-12-13届满，2024-12-16提出的异议不能受理"
    );
    l.object(
        d("2024-12-12"),
        "已分期缴纳罚款，并非拒不执行",
        &rules,
        &cal,
    )
    .unwrap();
    assert_eq!(l.state(), ListingStatus::Objected);
    let r = l.decide(d("2024-12-16"), "1号", &rules, &cal).unwrap_err();
    assert_eq!(r.message(), "名单记录当前为“已提出异议”，不能作出列入决定");
    let mut upheld = l.clone();
    upheld
        .answer(d("2024-12-13"), true, "经核实已经批准分期缴纳")
        .unwrap();
    assert_eq!(upheld.state(), ListingStatus::Dropped);
    l.answer(d("2024-12-13"), false, "分期申请未获批准")
        .unwrap();
    assert_eq!(l.state(), ListingStatus::Answered);
    l.decide(d("2024-12-13"), "青应急失信〔2024〕2号", &rules, &cal)
        .unwrap();
    assert_eq!(l.state(), ListingStatus::Decided);
}

#[test]
fn a_person_is_published_by_surname_only() {
    let rules = Rules::shipped();
    let l = Listing::notify(
        Party::Person {
            name: "张建国".into(),
            role: "主要负责人".into(),
            unit_name: "南宁某某化工有限公司".into(),
            unit_uscc: Uscc::with_check_char("91450103198230001").unwrap(),
        },
        ListingData::shipped().ground("accident-fled").unwrap(),
        "事故发生后擅离职守",
        d("2024-12-10"),
        &rules,
    )
    .unwrap();
    assert_eq!(l.published_party(), "张某某（主要负责人）");
    let r = Listing::notify(
        unit(),
        ListingData::shipped().ground("unlicensed").unwrap(),
        "x",
        d("2023-09-30"),
        &rules,
    )
    .unwrap_err();
    // Before the order took effect: refused on the notice's own day, in words.
    assert_eq!(
        (r.field(), r.message()),
        (
            Some("notified_on"),
            "2023-09-30不在《安全生产严重失信主体名单管理办法》施行期间，不能按该办法办理"
        )
    );
}
