//! Tests of the built `safeduty` binary.

mod audit;
mod drill;
mod inspect;
mod report;
mod roster;
mod serve;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../plan/tests/fixtures")
        .join(name)
}

fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("safeduty-cli-it");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn safeduty(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_safeduty"))
        .args(args)
        .output()
        .expect("the safeduty binary runs")
}

const SEED: &str = "qingxiu-2024-safety-manager-duties.txt";

#[test]
fn plan_import_seed_writes_toml() {
    let out = tmp("seed.toml");
    let _ = std::fs::remove_file(&out);
    let seed = fixture(SEED);
    let o = safeduty(&[
        "plan",
        "import",
        seed.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert!(
        stdout.contains("企业安全生产管理人员履职专项治理工作方案"),
        "{stdout}"
    );
    assert!(stdout.contains("检查事项 31 项"), "{stdout}");
    let toml_text = std::fs::read_to_string(&out).unwrap();
    let t = safeduty_plan::from_toml(&toml_text).unwrap();
    assert_eq!(t.all_items().len(), 31);
    assert_eq!(t.phases.len(), 4);
    assert_eq!(t.plan.source.as_deref(), Some(SEED));
}

#[test]
fn plan_import_seed_json_is_only_json_on_stdout() {
    let seed = fixture(SEED);
    let o = safeduty(&["plan", "import", seed.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
    assert_eq!(v["plan"]["document_number"], "青安委〔2024〕2号");
    assert_eq!(v["areas"].as_array().unwrap().len(), 7);
    assert_eq!(v["obligations"][1]["due_date"], "2024-07-05");
    let stderr = String::from_utf8(o.stderr).unwrap();
    assert!(
        stderr.contains("待核对问题：3 个"),
        "summary goes to stderr: {stderr}"
    );
}

#[test]
fn plan_import_without_structure_is_not_acceptable() {
    let f = fixture("01-linyi-lingang-zhiben-gongjian-navnoise.txt");
    let out = tmp("01.toml");
    let _ = std::fs::remove_file(&out);
    let o = safeduty(&[
        "plan",
        "import",
        f.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3));
    let stderr = String::from_utf8(o.stderr).unwrap();
    for what in ["治理内容", "阶段", "措施", "报送期限"] {
        assert!(stderr.contains(what), "message names {what}: {stderr}");
    }
    assert!(
        !out.exists(),
        "no template written for a text without structure"
    );

    let o = safeduty(&["plan", "import", f.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
    for list in ["areas", "items", "phases", "measures", "obligations"] {
        assert_eq!(v[list].as_array().map(Vec::len), Some(0), "{list}");
    }
    assert_eq!(v["schema"], 1);
}

#[test]
fn plan_import_other_fixtures() {
    for (name, code) in [
        ("03-jiedao-zhongda-yinhuan-trad-pinyin.txt", 3),
        ("07-guofa-2010-23-per-char-pinyin.txt", 3),
        ("08-guangyuan-zhiben-gongjian-reporting.txt", 0),
    ] {
        let f = fixture(name);
        let o = safeduty(&["plan", "import", f.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(code), "{name}");
    }
}

#[test]
fn plan_import_missing_file_could_not_run() {
    let o = safeduty(&["plan", "import", "/nonexistent/plan.txt"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/plan.txt"));
}

#[test]
fn plan_import_binary_is_not_acceptable() {
    let f = tmp("binary.txt");
    std::fs::write(&f, [0x89, b'P', b'N', b'G', 0, 0, 0, 0x0D, 0xFF, 0xFF]).unwrap();
    let o = safeduty(&["plan", "import", f.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(o.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("UTF-8") && stderr.contains("GBK"),
        "{stderr}"
    );
}

/// The template of the seed as JSON, without `plan.source` (the file name).
fn template_json(file: &Path) -> serde_json::Value {
    let o = safeduty(&["plan", "import", file.to_str().unwrap(), "--json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}: {}",
        file.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    let mut v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
    v["plan"]["source"] = serde_json::Value::Null;
    v
}

/// GBK text, a Word document and a text-layer PDF of the seed give the UTF-8 text's template.
#[test]
fn plan_import_gbk_docx_and_pdf() {
    let seed = fixture(SEED);
    let text = std::fs::read_to_string(&seed).unwrap();
    let want = template_json(&seed);

    let gbk = tmp("seed-gbk.txt");
    std::fs::write(&gbk, encoding_rs::GBK.encode(&text).0).unwrap();
    assert_eq!(template_json(&gbk), want, "GBK");

    let body: String = text
        .lines()
        .map(|l| safeduty_plan::testdoc::paragraph(l, None))
        .collect();
    let docx = tmp("seed.docx");
    std::fs::write(&docx, safeduty_plan::testdoc::docx(&body, None, None)).unwrap();
    assert_eq!(template_json(&docx), want, "docx");

    let lines: Vec<&str> = text.lines().collect();
    let pdf = tmp("seed.pdf");
    std::fs::write(&pdf, safeduty_plan::testdoc::pdf(&lines, 40)).unwrap();
    assert_eq!(template_json(&pdf), want, "pdf");
}

#[test]
fn plan_import_old_word_could_not_run() {
    let f = tmp("方案.doc");
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend([0u8; 504]);
    std::fs::write(&f, &ole).unwrap();
    let o = safeduty(&["plan", "import", f.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("另存为") && stderr.contains(".docx"),
        "{stderr}"
    );
}

#[test]
fn plan_import_pdf_without_text_is_not_acceptable() {
    let f = tmp("scan.pdf");
    std::fs::write(&f, safeduty_plan::testdoc::pdf(&[], 40)).unwrap();
    let o = safeduty(&["plan", "import", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("没有可提取的文字"));
}

#[test]
fn plan_import_usage_error() {
    let o = safeduty(&["plan", "import"]);
    assert_eq!(o.status.code(), Some(2));
}

/// Creates an empty store in `dir`, as `safeduty serve --data DIR` does on first run.
fn fresh_store(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = safeduty_store::Store::open(&safeduty_store::DatabaseUrl::in_data_dir(dir))
            .await
            .unwrap();
        store.close().await;
    });
}

#[test]
fn audit_verify_needs_an_existing_store_and_never_creates_one() {
    let dir = tmp("audit-store");
    let _ = std::fs::remove_dir_all(&dir);
    let o = safeduty(&["audit", "verify", "--data", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("does not exist"));
    assert!(!dir.exists(), "a mistyped --data creates nothing");
    fresh_store(&dir);
    let o = safeduty(&["audit", "verify", "--data", dir.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "audit trail intact: 0 records\n"
    );
    // A mistyped SQLite URL is refused, not created.
    let missing = dir.join("nope.db");
    let url = format!("sqlite://{}", missing.display());
    let o = safeduty(&["audit", "verify", "--database-url", &url]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!missing.exists());
    let o = safeduty(&["audit", "verify", "--database-url", "mysql://x/y"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unsupported database URL"));
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn calendar_after_prints_the_working_day_and_flags_unknown_years() {
    for (date, n, want) in [
        ("2024-06-30", "5", "2024-07-05\n"),
        ("2024-12-31", "5", "2025-01-08\n"),
        ("2025-09-26", "5", "2025-10-10\n"),
        ("2025-12-29", "5", "2026-01-06\n"),
        ("2026-12-29", "5", "2027-01-05 provisional\n"),
    ] {
        let o = safeduty(&["calendar", "after", date, n]);
        assert_eq!(o.status.code(), Some(0));
        assert_eq!(stdout(&o), want, "{date} + {n}");
    }
    assert_eq!(
        safeduty(&["calendar", "after", "2024-02-30", "5"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn calendar_load_prints_refuses_and_applies() {
    let notices = Path::new(env!("CARGO_MANIFEST_DIR")).join("../plan/tests/fixtures");
    let n2025 = notices.join("notice-2025.txt");
    let o = safeduty(&["calendar", "load", n2025.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let days: Vec<String> = stdout(&o).lines().map(str::to_string).collect();
    assert_eq!(days.len(), 28 + 5, "28 days off, then 5 make-up days");
    // The same notice saved in GBK reads the same (one reader for every command's documents).
    let gbk = tmp("notice-2025-gbk.txt");
    let utf8 = std::fs::read_to_string(&n2025).unwrap();
    std::fs::write(&gbk, encoding_rs::GBK.encode(&utf8).0).unwrap();
    let o = safeduty(&["calendar", "load", gbk.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o).lines().collect::<Vec<_>>(), days);
    assert_eq!(days[0], "2025-01-01");
    assert_eq!(
        &days[28..],
        [
            "2025-01-26",
            "2025-02-08",
            "2025-04-27",
            "2025-09-28",
            "2025-10-11"
        ]
    );

    // A notice with a weekday that contradicts its date: refused, nothing printed on stdout.
    let bad = tmp("notice-bad.txt");
    let text = std::fs::read_to_string(&n2025)
        .unwrap()
        .replace("1月1日(周三)", "1月1日(周四)");
    std::fs::write(&bad, text).unwrap();
    let data = tmp("calendar-store");
    fresh_store(&data);
    let o = safeduty(&[
        "calendar",
        "load",
        bad.to_str().unwrap(),
        "--apply",
        "--data",
        data.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(stdout(&o), "");
    assert!(String::from_utf8_lossy(&o.stderr).contains("周四"));

    // A 2027 notice applied turns the provisional walk into the official one.
    let n2027 = notices.join("notice-2027-synthetic.txt");
    let o = safeduty(&[
        "calendar",
        "load",
        n2027.to_str().unwrap(),
        "--apply",
        "--data",
        data.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = safeduty(&[
        "calendar",
        "after",
        "2026-12-29",
        "5",
        "--data",
        data.to_str().unwrap(),
    ]);
    assert_eq!(stdout(&o), "2027-01-06\n");
    // Loading the same year again changes nothing.
    let o = safeduty(&[
        "calendar",
        "load",
        n2027.to_str().unwrap(),
        "--apply",
        "--data",
        data.to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("相同，未修改"));
    let o = safeduty(&["audit", "verify", "--data", data.to_str().unwrap()]);
    assert_eq!(stdout(&o), "audit trail intact: 1 records\n");
}

#[test]
fn serve_on_a_port_in_use_creates_nothing() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tmp("serve-port-taken");
    let _ = std::fs::remove_dir_all(&dir);
    let o = safeduty(&["serve", "--listen", &addr, "--data", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("binding"));
    assert!(!dir.exists());
}
