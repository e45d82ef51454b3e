use super::*;
use crate::refusal::RefusalKind;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

const NEW: &str = "《安全生产行政处罚自由裁量基准》（应急〔2024〕90号）";
const OLD: &str = "《安全生产行政处罚自由裁量标准》（国家安全监管总局）";

fn range(p: &Proposal) -> (u32, u32) {
    (p.min, p.max)
}

#[test]
fn statutory_ranges_of_each_provision() {
    let data = Discretion::shipped();
    let day = d("2025-03-03");
    let r = |p| {
        let s = data.statute(p, day).unwrap();
        (s.min, s.max)
    };
    assert_eq!(r(Provision::Art96Person), (10_000, 30_000));
    assert_eq!(r(Provision::Art97Unit), (1, 100_000));
    assert_eq!(r(Provision::Art97SecondUnit), (100_000, 200_000));
    assert_eq!(r(Provision::Art97SecondPerson), (20_000, 50_000));
    assert_eq!(r(Provision::Art102Unit), (1, 50_000));
    assert_eq!(r(Provision::Art102RefusalPerson), (50_000, 100_000));
    assert_eq!(Provision::Art96Person.target(), Party::Person);
    assert_eq!(Provision::Art97SecondUnit.target(), Party::Unit);
    assert!(data.statutes().iter().all(|s| !s.provenance.verified));
}

#[test]
fn bands_of_each_article_under_the_2024_standard() {
    let data = Discretion::shipped();
    let day = d("2025-03-03");
    let p = |prov, band| data.propose(prov, band, day).unwrap();
    let expected: [(Provision, [(u32, u32); 4]); 6] = [
        (
            Provision::Art96Person,
            [
                (10_000, 15_000),
                (15_000, 20_000),
                (20_000, 25_000),
                (25_000, 30_000),
            ],
        ),
        (
            Provision::Art97Unit,
            [
                (1, 20_000),
                (20_000, 50_000),
                (50_000, 80_000),
                (80_000, 100_000),
            ],
        ),
        (
            Provision::Art97SecondUnit,
            [
                (100_000, 125_000),
                (125_000, 150_000),
                (150_000, 175_000),
                (175_000, 200_000),
            ],
        ),
        (
            Provision::Art97SecondPerson,
            [
                (20_000, 30_000),
                (30_000, 40_000),
                (40_000, 45_000),
                (45_000, 50_000),
            ],
        ),
        (
            Provision::Art102Unit,
            [
                (1, 10_000),
                (10_000, 20_000),
                (20_000, 35_000),
                (35_000, 50_000),
            ],
        ),
        (
            Provision::Art102RefusalPerson,
            [
                (50_000, 60_000),
                (60_000, 75_000),
                (75_000, 90_000),
                (90_000, 100_000),
            ],
        ),
    ];
    for (prov, ranges) in expected {
        for (band, want) in Band::ALL.iter().zip(ranges) {
            let got = p(prov, *band);
            assert_eq!(range(&got), want, "{prov:?} {band:?}");
            assert_eq!(got.band, Some(*band));
            assert_eq!(got.table, Some((NEW.to_string(), d("2024-11-01"))));
        }
    }
    let severe = p(Provision::Art96Person, Band::Severe);
    assert_eq!(severe.measures, ["责令限期改正", "纳入重点监管对象"]);
    let second = p(Provision::Art97SecondUnit, Band::Minor);
    assert_eq!(second.measures, ["责令停产停业整顿"]);
}

#[test]
fn the_table_version_follows_the_date_of_the_step() {
    let data = Discretion::shipped();
    let before = data
        .propose(Provision::Art96Person, Band::General, d("2024-10-31"))
        .unwrap();
    assert_eq!(before.table, Some((OLD.to_string(), d("2021-09-01"))));
    let after = data
        .propose(Provision::Art96Person, Band::General, d("2024-11-01"))
        .unwrap();
    assert_eq!(after.table, Some((NEW.to_string(), d("2024-11-01"))));
    assert!(data.tables().iter().all(|t| !t.provenance.verified));
    // Before the 2021 law's ranges, nothing applies.
    let refused = data
        .propose(Provision::Art96Person, Band::General, d("2021-08-31"))
        .unwrap_err();
    assert_eq!(refused.field(), Some("date"));
}

#[test]
fn upper_limit_at_acceptance() {
    let data = Discretion::shipped();
    let day = d("2025-06-30");
    let art96 = data.at_acceptance(AtAcceptance::Art96, day).unwrap();
    assert_eq!(art96.len(), 1);
    assert_eq!(
        (art96[0].provision, art96[0].min, art96[0].max),
        (Provision::Art96Person, 30_000, 30_000)
    );
    assert_eq!(art96[0].band, None);
    assert_eq!(art96[0].table, None);

    let art97 = data.at_acceptance(AtAcceptance::Art97, day).unwrap();
    let got: Vec<_> = art97.iter().map(|p| (p.provision, p.min, p.max)).collect();
    assert_eq!(
        got,
        [
            (Provision::Art97SecondUnit, 200_000, 200_000),
            (Provision::Art97SecondPerson, 50_000, 50_000)
        ]
    );
    assert_eq!(art97[0].measures, ["责令停产停业整顿"]);

    let art102 = data.at_acceptance(AtAcceptance::Art102, day).unwrap();
    assert_eq!(
        (art102[0].provision, art102[0].max),
        (Provision::Art102RefusalPerson, 100_000)
    );
    assert_eq!(art102[0].measures, ["责令停产停业整顿"]);
}

#[test]
fn a_decided_amount_must_lie_in_the_statutory_range() {
    let data = Discretion::shipped();
    let day = d("2025-03-03");
    let ok = data
        .decide(Provision::Art96Person, 20_000, Some(Band::General), day)
        .unwrap();
    assert_eq!(ok.amount, 20_000);
    assert_eq!(ok.band, Some(Band::General));
    assert_eq!(ok.table, Some((NEW.to_string(), d("2024-11-01"))));
    assert_eq!(
        data.decide(Provision::Art96Person, 10_000, None, day)
            .unwrap()
            .table,
        None
    );
    for (prov, bad) in [
        (Provision::Art96Person, 9_999),
        (Provision::Art96Person, 30_001),
        (Provision::Art97Unit, 0),
        (Provision::Art97Unit, 100_001),
        (Provision::Art97SecondUnit, 99_999),
        (Provision::Art97SecondUnit, 200_001),
        (Provision::Art97SecondPerson, 19_999),
        (Provision::Art97SecondPerson, 50_001),
        (Provision::Art102Unit, 50_001),
        (Provision::Art102RefusalPerson, 49_999),
        (Provision::Art102RefusalPerson, 100_001),
    ] {
        let r = data.decide(prov, bad, Some(Band::Severe), day).unwrap_err();
        assert_eq!(r.kind(), RefusalKind::Invalid);
        assert_eq!(r.field(), Some("amount"));
        assert!(r.message().contains("超出"), "{}", r.message());
    }
    let r = data
        .decide(Provision::Art96Person, 30_001, None, day)
        .unwrap_err();
    assert_eq!(
        r.message(),
        "罚款金额30001元超出《安全生产法》第九十六条（对个人）的法定幅度（10000至30000元）"
    );
}

const FIXTURE: &str = r#"
[[statute]]
provision = "art96_person"
min = 10000
max = 30000
measures = []
source = "测试"
effective_from = 2021-09-01
verified = false

[[table]]
name = "测试基准"
source = "测试"
effective_from = 2021-09-01
verified = false

[[table.band]]
provision = "art96_person"
band = "severe"
conditions = "严重"
min = 25000
max = 40000
extra_measures = []
"#;

#[test]
fn a_band_table_outside_the_statutory_range_is_refused() {
    let e = Discretion::parse(FIXTURE).unwrap_err();
    assert!(e.to_string().contains("超出法定幅度"), "{e}");
    let ok = Discretion::parse(&FIXTURE.replace("max = 40000", "max = 30000")).unwrap();
    // A band the table does not have is refused by name.
    let r = ok
        .propose(Provision::Art96Person, Band::Minor, d("2025-01-01"))
        .unwrap_err();
    assert_eq!(r.field(), Some("band"));
    assert_eq!(
        r.message(),
        "测试基准没有《安全生产法》第九十六条（对个人）的“轻微”档次"
    );
    // Even with the band table, the amount is checked against the statute.
    assert!(
        ok.decide(
            Provision::Art96Person,
            35_000,
            Some(Band::Severe),
            d("2025-01-01")
        )
        .is_err()
    );
}

#[test]
fn bad_data_is_refused() {
    let dup = format!(
        "{FIXTURE}\n{}",
        &FIXTURE[FIXTURE.find("[[table.band]]").unwrap()..]
    )
    .replace("max = 40000", "max = 30000");
    assert!(
        Discretion::parse(&dup)
            .unwrap_err()
            .to_string()
            .contains("重复")
    );
    let overlap = format!(
        "{}{}",
        FIXTURE,
        &FIXTURE[..FIXTURE.find("[[table]]").unwrap()]
    );
    assert!(
        Discretion::parse(&overlap)
            .unwrap_err()
            .to_string()
            .contains("重叠")
    );
    assert!(Discretion::parse(&FIXTURE.replace("art96_person", "art95")).is_err());
    assert!(Discretion::parse(&FIXTURE.replace("min = 10000", "min = 0")).is_err());
}

#[test]
fn no_penalty_needs_basis_and_follow_up_and_never_at_acceptance() {
    let ok = NoPenalty::new(
        "《行政处罚法》第三十三条：初次违法且危害后果轻微并及时改正",
        "行政指导",
        false,
    )
    .unwrap();
    assert_eq!(ok.follow_up, "行政指导");
    let r = NoPenalty::new("依据", "行政指导", true).unwrap_err();
    assert_eq!(r.kind(), RefusalKind::Conflict);
    assert!(r.message().contains("不得适用不予处罚"));
    assert_eq!(
        NoPenalty::new(" ", "行政指导", false).unwrap_err().field(),
        Some("basis")
    );
    assert_eq!(
        NoPenalty::new("依据", "", false).unwrap_err().field(),
        Some("follow_up")
    );
}

#[test]
fn every_shipped_source_is_listed_as_unverified() {
    let data = Discretion::shipped();
    let sources: Vec<&str> = data
        .unverified()
        .iter()
        .map(|p| p.source.as_str())
        .collect();
    assert_eq!(sources.len(), 8);
    assert_eq!(
        sources[0],
        "《中华人民共和国安全生产法》（2021年修正）第九十六条"
    );
    assert!(sources[7].contains("应急〔2024〕90号"));
}
