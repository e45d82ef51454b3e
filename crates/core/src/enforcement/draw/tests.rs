use super::*;
use crate::refusal::RefusalKind;

fn s(items: &[&str]) -> Vec<String> {
    items.iter().map(|x| x.to_string()).collect()
}

/// The known-answer vector of `docs/draw.md` (invented ids and certificate numbers).
const SEED: &str = "2024-07-01 福彩3D第2024175期 开奖号码 3 7 1";
const CANDIDATES: [&str; 8] = [
    "91450103MA5K7Q2B14",
    "91450103MA5KB8N3XF",
    "91450103MA5L0C6D4U",
    "91450103MA5L3FH7PU",
    "91450103MA5LA2R9EP",
    "91450103MA5M1T4G8F",
    "91450103MA5MC6W2JW",
    "91450103MA5N8U3Y5Y",
];
const OFFICERS: [&str; 5] = [
    "45010324001",
    "45010324002",
    "45010324003",
    "45010324004",
    "45010324005",
];

fn request() -> DrawRequest {
    DrawRequest {
        seed: SEED.into(),
        candidates: s(&CANDIDATES),
        officers: s(&OFFICERS),
        mandatory: vec![],
        k: 3,
    }
}

fn pairs(d: &Draw) -> Vec<(&str, bool, [&str; 2])> {
    d.targets
        .iter()
        .map(|t| {
            (
                t.id.as_str(),
                t.mandatory,
                [t.officers[0].as_str(), t.officers[1].as_str()],
            )
        })
        .collect()
}

#[test]
fn known_answer_vector_of_the_doc() {
    // The invented ids are valid codes (GB 32100-2015 check character).
    for c in CANDIDATES {
        assert!(crate::uscc::Uscc::parse(c).unwrap().check_digit_ok(), "{c}");
    }
    let d = draw(&request()).unwrap();
    assert_eq!((d.algorithm.as_str(), d.version), ("safeduty-draw", 1));
    assert_eq!(
        d.candidates_digest,
        "284fc75001f663860e6cb671159550c1062d2b1e9fc8dec66d61243d60f14871"
    );
    assert_eq!(
        d.officers_digest,
        "1ebb1305f7c8a9a40bd300c1e9746f0374075ff9d5afb4fbceea90ba257f051e"
    );
    assert_eq!(
        d.mandatory_digest,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    let digests: Vec<String> = CANDIDATES
        .iter()
        .map(|c| hex::encode(target_digest(SEED, c)))
        .collect();
    assert_eq!(
        digests,
        [
            "64625abe7a7da4b456622a44776a92195310f9fd7208f116f92694a736bbc325",
            "e45b05dd501b3d047fa3ccfa6e74e163b16f436cff7f2c1a1e761d36d561a405",
            "b0e55d8f93e9d31fae625d066fe37d69e9e978bb6727b993805074ddd7ad4693",
            "75dc1851c786b9a02136aadb18f1428d90c6b8b1ba455316efbe1b0db74122ab",
            "1a1fa1705191d1b143ad9693f2d9a5f2329aa723492d80d49d73934a23520621",
            "5989384d925e559def12ffae465b2e7d7c4fd385fd3ebcb89bfadc4f6fa2b205",
            "44b2f8435a843e10d473c957aa096be0ac30f3bc9e29c9d211e66be8911a1319",
            "ec74e43bf0106e885ac372daef78bad79625e2895d60fdede3f7feb0e3706ced",
        ]
    );
    assert_eq!(
        pairs(&d),
        [
            ("91450103MA5LA2R9EP", false, ["45010324004", "45010324001"]),
            ("91450103MA5MC6W2JW", false, ["45010324002", "45010324003"]),
            ("91450103MA5M1T4G8F", false, ["45010324005", "45010324004"]),
        ]
    );
    assert_eq!(
        d.targets[0].digest,
        "1a1fa1705191d1b143ad9693f2d9a5f2329aa723492d80d49d73934a23520621"
    );
    assert_eq!(verify(&d), Ok(()));
}

#[test]
fn known_answer_vector_with_a_mandatory_target() {
    let d = draw(&DrawRequest {
        mandatory: s(&["91450103MA5L3FH7PU"]),
        ..request()
    })
    .unwrap();
    assert_eq!(
        d.mandatory_digest,
        "ccd8b5dc07ca973942efe4611e1e9e12e78791c1c3988f7885cdfa6e2411f971"
    );
    assert_eq!(
        pairs(&d),
        [
            ("91450103MA5L3FH7PU", true, ["45010324002", "45010324003"]),
            ("91450103MA5LA2R9EP", false, ["45010324004", "45010324001"]),
            ("91450103MA5MC6W2JW", false, ["45010324005", "45010324002"]),
            ("91450103MA5M1T4G8F", false, ["45010324003", "45010324004"]),
        ]
    );
    assert_eq!(verify(&d), Ok(()));
}

#[test]
fn the_same_inputs_give_the_same_draw_whatever_their_order() {
    let a = draw(&request()).unwrap();
    assert_eq!(draw(&request()).unwrap(), a);
    let mut shuffled = request();
    shuffled.candidates.reverse();
    shuffled.candidates.push(format!("  {}\t", CANDIDATES[2]));
    shuffled.officers.rotate_left(2);
    shuffled.seed = format!("  {SEED}\n");
    assert_eq!(draw(&shuffled).unwrap(), a);
    // Another seed draws otherwise.
    let other = draw(&DrawRequest {
        seed: "2024-07-01 福彩3D第2024175期 开奖号码 3 7 2".into(),
        ..request()
    })
    .unwrap();
    assert_ne!(pairs(&other), pairs(&a));
}

#[test]
fn k_larger_than_the_pool_draws_all_and_zero_draws_none() {
    let all = draw(&DrawRequest {
        k: 100,
        ..request()
    })
    .unwrap();
    assert_eq!(all.targets.len(), 8);
    assert_eq!(all.k, 100);
    let digests: Vec<&str> = all.targets.iter().map(|t| t.digest.as_str()).collect();
    assert!(digests.windows(2).all(|w| w[0] < w[1]), "digest order");
    // The first three are the draw of k = 3: a larger k extends it.
    assert_eq!(pairs(&all)[..3], pairs(&draw(&request()).unwrap())[..]);
    assert_eq!(verify(&all), Ok(()));

    let none = draw(&DrawRequest { k: 0, ..request() }).unwrap();
    assert!(none.targets.is_empty());
    assert_eq!(verify(&none), Ok(()));
    let only_mandatory = draw(&DrawRequest {
        k: 0,
        mandatory: s(&[CANDIDATES[0]]),
        ..request()
    })
    .unwrap();
    assert_eq!(only_mandatory.targets.len(), 1);
    assert!(only_mandatory.targets[0].mandatory);
}

#[test]
fn duplicates_are_removed_and_lists_are_canonical() {
    let list = canonical(List::Officers, &s(&["b", " a", "b", "a ", "中", "Z", "é"])).unwrap();
    // Code point order: upper case before lower case, then Latin-1, then CJK.
    assert_eq!(list, ["Z", "a", "b", "é", "中"]);
    assert_eq!(encoding(&list), "Z\na\nb\né\n中");
    assert_eq!(encoding(&[]), "");
    let d = draw(&DrawRequest {
        candidates: [s(&CANDIDATES), s(&CANDIDATES)].concat(),
        officers: [s(&OFFICERS), s(&OFFICERS[..2])].concat(),
        ..request()
    })
    .unwrap();
    assert_eq!(d, draw(&request()).unwrap());
    assert_eq!(d.candidates.len(), 8);
    assert_eq!(d.officers.len(), 5);
}

#[test]
fn mandatory_targets_get_pairs_and_are_not_drawn() {
    // Two mandatory targets in the candidate list, one outside it.
    let mandatory = s(&[CANDIDATES[4], CANDIDATES[6], "91450103MA5P0000X1"]);
    let d = draw(&DrawRequest {
        mandatory: mandatory.clone(),
        k: 100,
        ..request()
    })
    .unwrap();
    let (m, drawn): (Vec<&Target>, Vec<&Target>) = d.targets.iter().partition(|t| t.mandatory);
    let mut m_ids: Vec<&str> = m.iter().map(|t| t.id.as_str()).collect();
    m_ids.sort_unstable();
    assert_eq!(m_ids, [CANDIDATES[4], CANDIDATES[6], "91450103MA5P0000X1"]);
    assert_eq!(
        drawn.len(),
        6,
        "the pool is the 8 candidates less the 2 mandatory"
    );
    assert!(drawn.iter().all(|t| !mandatory.contains(&t.id)));
    // Mandatory targets come first in the draw order.
    assert!(d.targets[..3].iter().all(|t| t.mandatory));
    assert_eq!(d.drawn().count(), 6);
    assert_eq!(pool_size(&s(&CANDIDATES), &mandatory), Ok(6));
    assert_eq!(verify(&d), Ok(()));
}

#[test]
fn pairs_are_two_officers_that_rotate_with_balanced_workloads() {
    let many: Vec<String> = (0..41).map(|i| format!("E{i:03}")).collect();
    for n in 2..=7 {
        let officers: Vec<String> = (1..=n).map(|i| format!("C{i}")).collect();
        let d = draw(&DrawRequest {
            candidates: many.clone(),
            officers,
            mandatory: s(&["K1", "K2"]),
            k: 100,
            seed: "rotation".into(),
        })
        .unwrap();
        assert_eq!(d.targets.len(), 43);
        for t in &d.targets {
            assert_ne!(t.officers[0], t.officers[1]);
        }
        if n >= 3 {
            for w in d.targets.windows(2) {
                let (mut a, mut b) = (w[0].officers.clone(), w[1].officers.clone());
                a.sort();
                b.sort();
                assert_ne!(a, b, "{n} officers: consecutive pairs differ");
            }
        }
        let load: Vec<usize> = d.workload().iter().map(|(_, l)| *l).collect();
        let (min, max) = (load.iter().min().unwrap(), load.iter().max().unwrap());
        assert!(max - min <= 1, "{n} officers: {load:?}");
        assert_eq!(load.iter().sum::<usize>(), 86);
    }
}

#[test]
fn too_few_officers_or_a_blank_seed_are_refused() {
    let one = draw(&DrawRequest {
        officers: s(&["45010324001", " 45010324001 "]),
        ..request()
    })
    .unwrap_err();
    assert_eq!(one.kind(), RefusalKind::Invalid);
    assert_eq!(one.field(), Some("officers"));
    assert_eq!(
        one.message(),
        "至少需要两名执法人员才能抽取检查组（现有1名）"
    );
    let blank = draw(&DrawRequest {
        seed: "  ".into(),
        ..request()
    })
    .unwrap_err();
    assert_eq!(blank.field(), Some("seed"));
    let nul = draw(&DrawRequest {
        seed: "2024\u{0}07".into(),
        ..request()
    })
    .unwrap_err();
    assert_eq!(nul.field(), Some("seed"));
    let empty_item = draw(&DrawRequest {
        candidates: s(&["A", " "]),
        ..request()
    })
    .unwrap_err();
    assert_eq!(empty_item.field(), Some("candidates"));
    assert_eq!(empty_item.message(), "抽查对象名单中有空白项");
    let newline = draw(&DrawRequest {
        mandatory: s(&["A\nB"]),
        ..request()
    })
    .unwrap_err();
    assert_eq!(newline.field(), Some("mandatory"));
}

#[test]
fn shares_round_up() {
    assert_eq!(Share::Percent(70).count(119), Ok(84));
    assert_eq!(Share::PerMille(1).count(10), Ok(1));
    assert_eq!(Share::PerMille(500).count(10), Ok(5));
    assert_eq!(Share::Percent(0).count(10), Ok(0));
    assert_eq!(Share::Percent(100).count(7), Ok(7));
    assert_eq!(Share::Percent(5).count(0), Ok(0));
    let over = Share::Percent(101).count(7).unwrap_err();
    assert_eq!(over.field(), Some("share"));
}

#[test]
fn verify_detects_tampering() {
    let d = draw(&DrawRequest {
        mandatory: s(&[CANDIDATES[0]]),
        ..request()
    })
    .unwrap();
    assert_eq!(verify(&d), Ok(()));

    // Another seed: lists and digests hold, the targets do not.
    let mut seed = d.clone();
    seed.seed.push('0');
    assert!(matches!(verify(&seed), Err(Mismatch::Targets { .. })));

    // A candidate added without its digest, then with it.
    let mut list = d.clone();
    list.candidates.push("91450103MA5Z".into());
    assert!(matches!(
        verify(&list),
        Err(Mismatch::Digest {
            list: List::Candidates,
            ..
        })
    ));
    // A list out of order.
    let mut order = d.clone();
    order.officers.swap(0, 1);
    assert_eq!(
        verify(&order),
        Err(Mismatch::NotCanonical {
            list: List::Officers
        })
    );
    // An officer removed and the digest recomputed: the pairs no longer match.
    let mut officer = d.clone();
    officer.officers.retain(|o| o != "45010324004");
    officer.officers_digest = list_digest(&officer.officers);
    assert!(matches!(verify(&officer), Err(Mismatch::Targets { .. })));
    // A digest changed.
    let mut digest = d.clone();
    digest.mandatory_digest = digest.candidates_digest.clone();
    let e = verify(&digest).unwrap_err();
    assert!(matches!(
        e,
        Mismatch::Digest {
            list: List::Mandatory,
            ..
        }
    ));
    assert!(
        e.to_string()
            .starts_with("抽取记录中重点检查对象名单的摘要与名单不符")
    );
    // A target replaced, an officer swapped, a target dropped, k changed.
    let mut target = d.clone();
    target.targets[2].id = CANDIDATES[7].into();
    let e = verify(&target).unwrap_err();
    assert!(matches!(e, Mismatch::Targets { position: 3, .. }), "{e:?}");
    assert_eq!(e.to_string(), "抽取记录第3个检查对象与重新计算的结果不符");
    let mut pair = d.clone();
    pair.targets[1].officers.swap(0, 1);
    assert!(matches!(
        verify(&pair),
        Err(Mismatch::Targets { position: 2, .. })
    ));
    let mut dropped = d.clone();
    dropped.targets.pop();
    assert!(matches!(
        verify(&dropped),
        Err(Mismatch::Targets {
            position: 4,
            recorded: None,
            computed: Some(_)
        })
    ));
    let mut k = d.clone();
    k.k = 4;
    assert!(matches!(
        verify(&k),
        Err(Mismatch::Targets { position: 5, .. })
    ));
    // Another algorithm or version.
    let mut v2 = d.clone();
    v2.version = 2;
    assert_eq!(
        verify(&v2).unwrap_err().to_string(),
        "抽取记录使用的算法为safeduty-draw第2版，本系统只能核验safeduty-draw第1版"
    );
    // An untrimmed seed is not the seed the draw used.
    let mut padded = d.clone();
    padded.seed.push(' ');
    assert!(matches!(verify(&padded), Err(Mismatch::Input(_))));
}
