//! B01, B03, B05, B07, B08 as files: encodings, title and footer lines, identifiers Excel
//! mangled, spaces and full-width characters, credit-code checks.

use safeduty_core::roster::Field;
use safeduty_core::roster::check::check_code;
use safeduty_core::roster::clean;
use safeduty_core::roster::layout::{Layout, locate};
use safeduty_roster::{ReadError, Source, read};

use crate::case;

fn layout(name: &str) -> (Layout, Source) {
    let sheet = read(&case(name)).unwrap();
    (locate(&sheet.grid).unwrap(), sheet.source)
}

fn column(l: &Layout, f: Field) -> Vec<String> {
    l.rows.iter().map(|r| r.get(f).to_string()).collect()
}

#[test]
fn b01_three_encodings_read_alike() {
    let (utf8, s1) = layout("B01_roster_utf8_nobom.csv");
    let (bom, s2) = layout("B01_roster_utf8_bom.csv");
    let (gbk, s3) = layout("B01_roster_gbk.csv");
    assert_eq!(s1, Source::Csv { encoding: "UTF-8" });
    assert_eq!(
        s2,
        Source::Csv {
            encoding: "UTF-8 BOM"
        }
    );
    assert_eq!(
        s3,
        Source::Csv {
            encoding: "GB18030"
        }
    );
    assert_eq!(utf8.header_row, 1);
    assert_eq!(
        bom.column_of(Field::Name).unwrap().header,
        "企业名称",
        "header recognised despite the BOM"
    );
    assert_eq!(utf8.rows.len(), 5);
    assert_eq!(utf8.rows, bom.rows);
    assert_eq!(utf8.rows, gbk.rows);
    assert_eq!(column(&gbk, Field::Name)[1], "示例化工（杭州）有限公司");
    assert_eq!(column(&gbk, Field::Industry)[0], "机械制造");
    assert_eq!(column(&gbk, Field::Contact)[3], "联系人丁");
}

#[test]
fn b03_header_found_under_titles_and_footers_left_out() {
    let (l, _) = layout("B03_roster_title_and_footer_rows.csv");
    assert_eq!(l.header_row, 3);
    assert_eq!(
        l.rows.iter().map(|r| r.row).collect::<Vec<_>>(),
        [4, 5, 6, 7, 8]
    );
    assert_eq!(
        l.skipped.iter().map(|s| s.row).collect::<Vec<_>>(),
        [10, 11]
    );
    assert!(l.skipped[0].reason.contains("合计"));
    assert!(l.skipped[1].reason.contains("制表人"));
    assert_eq!(l.columns[0].header, "序号");
    assert_eq!(l.columns[0].field, None, "序号 is not imported");
    assert!(l.missing.is_empty());
}

#[test]
fn b05_identifiers_stay_text_and_mangled_ones_are_refused() {
    let (l, _) = layout("B05_identifiers_as_numbers.csv");
    assert_eq!(l.rows.len(), 5);
    let codes = column(&l, Field::Uscc);
    assert_eq!(
        check_code(&codes[0]).unwrap().0.as_str(),
        "913301067314159280"
    );
    assert_eq!(
        check_code(&codes[1]).unwrap().0.as_str(),
        "913301067314159293"
    );
    let refused = check_code(&codes[2]).unwrap_err();
    assert!(
        refused.contains("9.13301E+17") && refused.contains("科学计数法"),
        "{refused}"
    );
    assert_eq!(
        check_code(&codes[3]).unwrap().0.as_str(),
        "91330106MA2BC00045",
        "one leading apostrophe stripped"
    );
    // Phones: exact text, never a number; a scientific rendering is recognized.
    let phones = column(&l, Field::Phone);
    assert_eq!(clean::identifier(&phones[0]), "057188880002");
    assert!(clean::is_numeric_rendering(&clean::identifier(&phones[4])));
    // Columns not imported keep their text in the grid (postcodes with their leading zero).
    let sheet = read(&case("B05_identifiers_as_numbers.csv")).unwrap();
    assert_eq!(sheet.grid.rows[1].cells[2], "010010");
    assert!(clean::is_numeric_rendering(&sheet.grid.rows[5].cells[2]));
    // The region column is 镇街代码 (region codes).
    assert_eq!(column(&l, Field::Region)[0], "330106001");
}

#[test]
fn b07_spaces_and_full_width_cleaned() {
    let (l, _) = layout("B07_whitespace_fullwidth.csv");
    let names: Vec<String> = column(&l, Field::Name)
        .iter()
        .map(|n| clean::text(n))
        .collect();
    assert_eq!(
        names,
        [
            "杭州示例机械制造有限公司",
            "示例化工(杭州)有限公司",
            "示例餐饮管理有限公司第一分店",
            "示例仓储物流有限公司",
            "示例建筑工程有限公司"
        ]
    );
    let codes: Vec<String> = column(&l, Field::Uscc)
        .iter()
        .map(|c| clean::code(c))
        .collect();
    assert_eq!(
        codes,
        [
            "91330106MA2BC0001U",
            "91330106MA2BC0002Y",
            "91330106MA2BC00032",
            "91330106MA2BC00045",
            "91330106MA2BC00058"
        ]
    );
    let phones: Vec<String> = column(&l, Field::Phone)
        .iter()
        .map(|c| clean::identifier(c))
        .collect();
    assert_eq!(
        phones,
        [
            "13800000001",
            "0571-88880001",
            "13800000003",
            "13800000004",
            "13800000005"
        ]
    );
    let regions: Vec<String> = column(&l, Field::Region)
        .iter()
        .map(|c| clean::text(c))
        .collect();
    assert_eq!(
        regions,
        ["示例街道", "示例镇", "示例街道", "示例乡", "示例镇"]
    );
}

#[test]
fn b08_credit_code_checks_follow_the_expectations() {
    let sheet = read(&case("B08_credit_code_checksum.csv")).unwrap();
    let l = locate(&sheet.grid).unwrap();
    assert_eq!(
        l.missing,
        [Field::Name, Field::Region],
        "B08 lists codes only"
    );
    let expect_col = 2;
    let mut seen = 0;
    for row in &sheet.grid.rows[1..] {
        let (code, expect) = (row.cell(0), row.cell(expect_col));
        let verdict = check_code(code);
        if expect.starts_with("ACCEPT_WITH_WARNING") {
            let (_, warning) = verdict.unwrap();
            assert!(warning.unwrap().contains("校验位"), "{code}");
        } else if expect.starts_with("ACCEPT_AS_LEGACY_ID") {
            assert!(verdict.unwrap_err().contains("15位旧工商注册号"), "{code}");
        } else if expect.starts_with("ACCEPT") {
            assert_eq!(verdict.unwrap().1, None, "{code}");
        } else if code.is_empty() {
            assert!(verdict.unwrap_err().contains("为空"));
        } else {
            let why = verdict.unwrap_err();
            if expect.contains("suggest 0") {
                assert!(why.contains("第15位“O”") && why.contains("数字0"), "{why}");
            }
            if expect.contains("length") {
                assert!(why.contains("18位") && why.contains("17位"), "{why}");
            }
        }
        seen += 1;
    }
    assert_eq!(seen, 7);
}

#[test]
fn binary_and_empty_files_are_refused() {
    assert_eq!(read(b""), Err(ReadError::Empty));
    assert_eq!(read(b"\xEF\xBB\xBF\r\n,,\r\n"), Err(ReadError::Empty));
    assert_eq!(
        read(&[0xFF, 0xFE, 0x00, 0xD8, 0x41]).map(|_| ()),
        Err(ReadError::Encoding)
    );
}
