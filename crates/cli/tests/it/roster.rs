//! `safeduty roster import`: previews and imports of the field cases and of a generated
//! workbook; exit codes 0/1/3; `--json` carries only JSON.

use std::path::{Path, PathBuf};
use std::process::Output;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use safeduty_core::policy::UnitKind;
use safeduty_store::audit::Who;
use safeduty_store::org;

use crate::{safeduty, tmp};

fn case(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../roster/tests/cases")
        .join(name)
}

/// A store with 示例区 and its 示例街道, 示例镇, 示例乡 and an industry department.
fn store_with_regions(name: &str) -> PathBuf {
    let dir = tmp(name);
    let _ = std::fs::remove_dir_all(&dir);
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = safeduty_store::Store::open(&safeduty_store::DatabaseUrl::in_data_dir(&dir))
            .await
            .unwrap();
        let who = Who::system();
        let mut tx = store.write().await.unwrap();
        let d = org::create_region(&mut tx, &who, None, "330106", "示例区", "district")
            .await
            .unwrap();
        for (code, name, kind) in [
            ("330106001", "示例街道", "subdistrict"),
            ("330106002", "示例镇", "town"),
            ("330106003", "示例乡", "town"),
        ] {
            org::create_region(&mut tx, &who, Some(&d), code, name, kind)
                .await
                .unwrap();
        }
        org::create_unit(
            &mut tx,
            &who,
            UnitKind::IndustryDepartment,
            "区应急管理局",
            d.id,
            Some("危险化学品"),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        store.close().await;
    });
    dir
}

fn import(file: &Path, data: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "roster",
        "import",
        file.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    safeduty(&args)
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: stdout {} / stderr {}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn len(v: &serde_json::Value, key: &str) -> usize {
    v[key].as_array().map_or(usize::MAX, Vec::len)
}

#[test]
fn roster_import_b01_all_encodings_same_five_enterprises() {
    let data = store_with_regions("roster-b01");
    let o = import(&case("B01_roster_gbk.csv"), &data, &["--json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v = json(&o);
    assert_eq!(v["source"]["encoding"], "GB18030");
    assert_eq!(len(&v, "new"), 5);
    assert!(v["applied"].is_null(), "a preview writes nothing");
    let o = import(&case("B01_roster_utf8_nobom.csv"), &data, &["--apply"]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("已导入：新增 5 家"), "{out}");
    assert!(out.contains("行业“餐饮”不在行业对照表中"), "{out}");
    for other in ["B01_roster_utf8_bom.csv", "B01_roster_gbk.csv"] {
        let o = import(&case(other), &data, &["--apply", "--json"]);
        assert_eq!(o.status.code(), Some(0), "{other}");
        let v = json(&o);
        assert_eq!(len(&v, "unchanged"), 5, "{other}");
        assert_eq!(v["applied"]["created"], 0);
    }
    let o = safeduty(&["audit", "verify", "--data", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn roster_import_b03_finds_the_header_under_titles() {
    let data = store_with_regions("roster-b03");
    let o = import(
        &case("B03_roster_title_and_footer_rows.csv"),
        &data,
        &["--json"],
    );
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    assert_eq!(v["header_row"], 3);
    assert_eq!(len(&v, "new"), 5);
    assert_eq!(len(&v, "skipped"), 2);
    // Or named by the user; a row that is not a header is refused.
    let f = case("B03_roster_title_and_footer_rows.csv");
    let o = import(&f, &data, &["--json", "--header-row", "3"]);
    assert_eq!(json(&o)["header_row"], 3);
    let o = import(&f, &data, &["--header-row", "2"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("第2行不是表头"));
}

#[test]
fn roster_import_b05_rejects_with_row_and_column_and_exit_3_still_applies_the_rest() {
    let data = store_with_regions("roster-b05");
    // B05 names regions by code: 330106001..3 exist here, 004 and 005 do not.
    let o = import(
        &case("B05_identifiers_as_numbers.csv"),
        &data,
        &["--apply", "--json"],
    );
    assert_eq!(o.status.code(), Some(3));
    let v = json(&o);
    assert_eq!(v["applied"]["created"], 2, "{v}");
    let rejected: Vec<(u64, String)> = v["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["row"].as_u64().unwrap(),
                r["problems"][0]["column"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        rejected,
        [
            (4, "B列（统一社会信用代码）".to_string()),
            (5, "D列（镇街代码）".to_string()),
            (6, "D列（镇街代码）".to_string())
        ]
    );
    assert!(
        v["rejected"][0]["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("科学计数法")
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("拒绝 3 行"));
}

#[test]
fn roster_import_b07_and_b08() {
    let data = store_with_regions("roster-b07");
    let o = import(&case("B07_whitespace_fullwidth.csv"), &data, &["--json"]);
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    let codes: Vec<&str> = v["new"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["uscc"].as_str().unwrap())
        .collect();
    assert_eq!(codes[3], "91330106MA2BC00045");
    assert_eq!(codes[4], "91330106MA2BC00058");
    // B08 lists codes only: not a roster (no name, no region): exit 3, nothing imported.
    let o = import(&case("B08_credit_code_checksum.csv"), &data, &["--apply"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stdout).contains("缺少必需的列：企业名称、镇街"));
}

fn workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.merge_range(0, 0, 0, 3, "2025年企业名单", &Format::new())
        .unwrap();
    ws.write_string(1, 0, "填报日期").unwrap();
    ws.write_datetime_with_format(
        1,
        1,
        ExcelDateTime::from_ymd(2025, 3, 1).unwrap(),
        &Format::new().set_num_format("yyyy-mm-dd"),
    )
    .unwrap();
    for (c, h) in ["企业名称", "统一社会信用代码", "属地", "行业类别"]
        .iter()
        .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    ws.write_string(3, 0, "杭州示例机械制造有限公司").unwrap();
    ws.write_string(3, 1, "91330106MA2BC0001U").unwrap();
    ws.write_string(3, 3, "机械制造").unwrap();
    ws.write_string(4, 0, "示例化工（杭州）有限公司").unwrap();
    ws.write_string(4, 1, "91330106MA2BC0002Y").unwrap();
    ws.write_string(4, 3, "危险化学品").unwrap();
    ws.merge_range(3, 2, 4, 2, "示例镇", &Format::new())
        .unwrap();
    ws.write_string(5, 0, "示例甲公司").unwrap();
    ws.write_number(5, 1, 913301067314159280.0).unwrap();
    ws.write_string(5, 2, "示例乡").unwrap();
    ws.write_blank(1_048_575, 3, &Format::new().set_bold())
        .unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn roster_import_xlsx_with_merged_cells_title_and_a_code_stored_as_number() {
    let data = store_with_regions("roster-xlsx");
    let f = tmp("名单.xlsx");
    std::fs::write(&f, workbook()).unwrap();
    let o = import(&f, &data, &["--apply", "--json"]);
    assert_eq!(o.status.code(), Some(3));
    let v = json(&o);
    assert_eq!(v["source"]["format"], "xlsx");
    assert_eq!(v["header_row"], 3);
    assert_eq!(v["applied"]["created"], 2);
    assert_eq!(v["new"][1]["region"], "示例镇", "merged cell filled down");
    assert_eq!(
        v["new"][1]["department"], "区应急管理局",
        "defaulted from the industry"
    );
    assert_eq!(v["rejected"][0]["row"], 6);
    assert_eq!(
        v["rejected"][0]["problems"][0]["column"],
        "B列（统一社会信用代码）"
    );
}

#[test]
fn roster_import_refuses_unreadable_files() {
    let data = store_with_regions("roster-bad");
    // An old .xls (OLE2) renamed .xlsx: exit 1, told to save as .xlsx.
    let f = tmp("old.xlsx");
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(2048, 0);
    std::fs::write(&f, bytes).unwrap();
    let o = import(&f, &data, &["--json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert!(String::from_utf8_lossy(&o.stderr).contains("另存为"));
    // Missing file: 1. No header: 3. No store: 1.
    let o = import(Path::new("/nonexistent/名单.csv"), &data, &[]);
    assert_eq!(o.status.code(), Some(1));
    let f = tmp("no-header.csv");
    std::fs::write(&f, "甲,乙\n1,2\n").unwrap();
    assert_eq!(import(&f, &data, &[]).status.code(), Some(3));
    let o = import(
        &case("B03_roster_title_and_footer_rows.csv"),
        &tmp("no-store"),
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
}
