//! `safeduty inspect verify-draw`: the published known-answer draw of `docs/draw.md` verifies
//! and prints its targets; a record with a changed target, seed or list does not (exit 3).

use safeduty_core::enforcement::draw::{DrawRequest, draw};

use crate::{safeduty, tmp};

fn published() -> serde_json::Value {
    let candidates = [
        "91450103MA5K7Q2B14",
        "91450103MA5KB8N3XF",
        "91450103MA5L0C6D4U",
        "91450103MA5L3FH7PU",
        "91450103MA5LA2R9EP",
        "91450103MA5M1T4G8F",
        "91450103MA5MC6W2JW",
        "91450103MA5N8U3Y5Y",
    ];
    let d = draw(&DrawRequest {
        seed: "2024-07-01 福彩3D第2024175期 开奖号码 3 7 1".into(),
        candidates: candidates.iter().map(|s| s.to_string()).collect(),
        officers: (1..=5).map(|k| format!("4501032400{k}")).collect(),
        mandatory: Vec::new(),
        k: 3,
    })
    .unwrap();
    serde_json::to_value(&d).unwrap()
}

fn verify(name: &str, v: &serde_json::Value) -> std::process::Output {
    let path = tmp(name);
    std::fs::write(&path, serde_json::to_vec_pretty(v).unwrap()).unwrap();
    safeduty(&["inspect", "verify-draw", path.to_str().unwrap()])
}

#[test]
fn the_known_answer_draw_verifies_and_a_changed_one_does_not() {
    let v = published();
    let o = verify("draw-ok.json", &v);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}");
    // The known-answer vector of docs/draw.md.
    assert!(
        out.contains("1\t91450103MA5LA2R9EP\tdrawn\t45010324004 45010324001"),
        "{out}"
    );
    assert!(
        out.contains("2\t91450103MA5MC6W2JW\tdrawn\t45010324002 45010324003"),
        "{out}"
    );
    assert!(
        out.contains("3\t91450103MA5M1T4G8F\tdrawn\t45010324005 45010324004"),
        "{out}"
    );
    assert!(out.contains("284fc75001f663860e6cb671159550c1062d2b1e9fc8dec66d61243d60f14871"));

    let mut target = v.clone();
    target["targets"][0]["id"] = "91450103MA5K7Q2B14".into();
    let o = verify("draw-target.json", &target);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stdout).contains("与重新计算的结果不符"));

    let mut seed = v.clone();
    seed["seed"] = "2024-07-01 福彩3D第2024175期 开奖号码 3 7 2".into();
    assert_eq!(verify("draw-seed.json", &seed).status.code(), Some(3));

    let mut list = v;
    list["candidates"][0] = "91450103MA5K7Q2B15".into();
    let o = verify("draw-list.json", &list);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stdout).contains("摘要与名单不符"));

    let o = safeduty(&["inspect", "verify-draw", "/nonexistent/draw.json"]);
    assert_eq!(o.status.code(), Some(1));
}
