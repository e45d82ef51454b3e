//! XLSX workbooks as Excel and WPS write them: merged cells, a title above the header, dates,
//! codes stored as numbers, styles reaching the last row of the sheet; an OLE2 file renamed.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use safeduty_core::roster::Field;
use safeduty_core::roster::check::{Outcome, Reference, RegionRef, check_all};
use safeduty_core::roster::layout::locate;
use safeduty_roster::{ReadError, Source, read};

/// A roster with a merged title row, a header on row 3, a region merged over rows 4–6, a date, a
/// code stored as a number on row 7, and styles to the sheet's last row.
fn workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("企业名单").unwrap();
    let bold = Format::new().set_bold();
    ws.merge_range(0, 0, 0, 5, "示例区2025年安全生产重点企业名单", &bold)
        .unwrap();
    ws.write_string(1, 0, "填报日期").unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    ws.write_datetime_with_format(1, 1, ExcelDateTime::from_ymd(2025, 3, 1).unwrap(), &date)
        .unwrap();
    for (c, h) in [
        "企业名称",
        "统一社会信用代码",
        "镇街",
        "行业类别",
        "联系电话",
        "是否重点企业",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let rows = [
        (
            "杭州示例机械制造有限公司",
            "91330106MA2BC0001U",
            "机械制造",
            13800000001.0,
        ),
        (
            "示例餐饮管理有限公司第一分店",
            "91330106MA2BC00032",
            "餐饮",
            13800000003.0,
        ),
        (
            "示例仓储物流有限公司",
            "91330106MA2BC00045",
            "仓储物流",
            13800000004.0,
        ),
    ];
    for (i, (name, code, industry, phone)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_string(r, 0, *name).unwrap();
        ws.write_string(r, 1, *code).unwrap();
        ws.write_string(r, 3, *industry).unwrap();
        ws.write_number(r, 4, *phone).unwrap();
        ws.write_string(r, 5, if i == 0 { "是" } else { "否" })
            .unwrap();
    }
    ws.merge_range(3, 2, 5, 2, "示例街道", &Format::new())
        .unwrap();
    // A code Excel turned into a number: 18 digits cannot be exact.
    ws.write_string(6, 0, "示例甲公司").unwrap();
    ws.write_number(6, 1, 913301067314159280.0).unwrap();
    ws.write_string(6, 2, "示例镇").unwrap();
    // Styles reaching the last row of the sheet, with no values.
    let yellow = Format::new().set_background_color("#FFFF00");
    ws.set_range_format(7, 0, 200, 5, &yellow).unwrap();
    ws.write_blank(1_048_575, 0, &yellow).unwrap();
    ws.write_blank(1_048_575, 5, &yellow).unwrap();
    wb.save_to_buffer().unwrap()
}

fn reference() -> Reference {
    let region = |id: i64, name: &str| RegionRef {
        id,
        code: format!("33010600{id}"),
        name: name.into(),
        path: format!("/33/330106/33010600{id}/"),
    };
    Reference {
        scope_path: "/33/".into(),
        regions: vec![region(1, "示例街道"), region(2, "示例镇")],
        ..Reference::default()
    }
}

#[test]
fn workbook_read_as_people_see_it() {
    let bytes = workbook();
    let started = std::time::Instant::now();
    let sheet = read(&bytes).unwrap();
    eprintln!("read in {:?}", started.elapsed());
    assert_eq!(
        sheet.source,
        Source::Xlsx {
            sheet: "企业名单".into()
        }
    );
    let g = &sheet.grid;
    // Title filled across from its anchor; the date as a date; nothing after row 7.
    assert_eq!(g.rows[0].number, 1);
    assert_eq!(g.rows[0].cell(3), "示例区2025年安全生产重点企业名单");
    assert_eq!(g.rows[1].cell(1), "2025-03-01");
    assert_eq!(
        g.rows.last().unwrap().number,
        7,
        "styled empty rows are not data"
    );

    let l = locate(g).unwrap();
    assert_eq!(l.header_row, 3);
    assert_eq!(
        l.rows.iter().map(|r| r.row).collect::<Vec<_>>(),
        [4, 5, 6, 7]
    );
    // The merged region cell is filled down from its anchor.
    let regions: Vec<&str> = l.rows.iter().map(|r| r.get(Field::Region)).collect();
    assert_eq!(regions, ["示例街道", "示例街道", "示例街道", "示例镇"]);
    // Phones stored as numbers come back as their digits.
    assert_eq!(l.rows[0].get(Field::Phone), "13800000001");

    let checked = check_all(&l, &Default::default(), &reference());
    assert!(matches!(checked[0].outcome, Outcome::New(_)));
    let bad = &checked[3];
    assert_eq!(bad.outcome, Outcome::Rejected);
    assert_eq!(bad.problems.len(), 1, "{:?}", bad.problems);
    assert_eq!(bad.problems[0].row, 7);
    assert_eq!(bad.problems[0].column, "B列（统一社会信用代码）");
    assert!(
        bad.problems[0].message.contains("科学计数法"),
        "{:?}",
        bad.problems
    );
}

#[test]
fn ole2_file_renamed_xlsx_is_refused() {
    let dir = std::env::temp_dir().join(format!("safeduty-roster-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("名单.xlsx");
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(4096, 0);
    std::fs::write(&path, &bytes).unwrap();
    let err = read(&std::fs::read(&path).unwrap()).unwrap_err();
    assert_eq!(err, ReadError::Ole2);
    assert!(err.to_string().contains(".xlsx"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_broken_workbook_is_refused() {
    let mut bytes = workbook();
    bytes.truncate(bytes.len() / 2);
    assert!(matches!(read(&bytes), Err(ReadError::BadWorkbook(_))));
}

/// A two-level header as people merge it: 企业名称, the code and 镇街 merged down over two rows,
/// 联系人 merged across 姓名 and 电话.
#[test]
fn two_level_header() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let f = Format::new();
    ws.merge_range(0, 0, 0, 4, "示例镇重点企业名单", &f)
        .unwrap();
    ws.merge_range(1, 0, 2, 0, "企业名称", &f).unwrap();
    ws.merge_range(1, 1, 2, 1, "统一社会信用代码", &f).unwrap();
    ws.merge_range(1, 2, 2, 2, "镇街", &f).unwrap();
    ws.merge_range(1, 3, 1, 4, "联系人", &f).unwrap();
    ws.write_string(2, 3, "姓名").unwrap();
    ws.write_string(2, 4, "电话").unwrap();
    for (c, v) in [
        "示例甲公司",
        "91330106MA2BC0001U",
        "示例镇",
        "王某",
        "13800000001",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(3, c as u16, *v).unwrap();
    }
    let sheet = read(&wb.save_to_buffer().unwrap()).unwrap();
    let l = locate(&sheet.grid).unwrap();
    assert_eq!((l.header_row, l.header_end), (2, 3));
    let headers: Vec<(&str, Option<Field>)> = l
        .columns
        .iter()
        .map(|c| (c.header.as_str(), c.field))
        .collect();
    assert_eq!(
        headers,
        [
            ("企业名称", Some(Field::Name)),
            ("统一社会信用代码", Some(Field::Uscc)),
            ("镇街", Some(Field::Region)),
            ("联系人·姓名", Some(Field::Contact)),
            ("联系人·电话", Some(Field::Phone)),
        ]
    );
    assert!(l.missing.is_empty());
    assert_eq!(l.rows.len(), 1);
    assert_eq!(l.rows[0].row, 4);
    assert_eq!(l.rows[0].get(Field::Contact), "王某");
    assert_eq!(l.rows[0].get(Field::Phone), "13800000001");
    assert!(l.skipped.is_empty(), "{:?}", l.skipped);
}

/// Rewrites one part of a workbook (a ZIP), keeping the others.
fn rewrite_part(bytes: &[u8], part: &str, edit: impl Fn(String) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == part {
            data = edit(String::from_utf8(data).unwrap()).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// What WPS writes: a sheet that declares its dimension as `A1` whatever it holds, and document
/// metadata of its own (custom properties `KSOProductBuildVer`, `ICV`).
#[test]
fn wps_quirks() {
    use rust_xlsxwriter::DocProperties;
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_custom_property("KSOProductBuildVer", "2052-12.1.0.16250")
            .set_custom_property("ICV", "8A5C4E2D1B3F4A6E9C7D0B1A2E3F4D5C_12"),
    );
    let ws = wb.add_worksheet();
    for (c, h) in ["企业名称", "统一社会信用代码", "镇街"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=3u32 {
        ws.write_string(r, 0, format!("示例{r}号公司")).unwrap();
        ws.write_string(r, 2, "示例镇").unwrap();
    }
    ws.write_string(1, 1, "91330106MA2BC0001U").unwrap();
    ws.write_string(2, 1, "91330106MA2BC00032").unwrap();
    ws.write_string(3, 1, "91330106MA2BC00045").unwrap();
    let bytes = rewrite_part(
        &wb.save_to_buffer().unwrap(),
        "xl/worksheets/sheet1.xml",
        |xml| {
            let start = xml.find("<dimension ref=\"").unwrap();
            let end = start + xml[start..].find("/>").unwrap() + 2;
            format!("{}<dimension ref=\"A1\"/>{}", &xml[..start], &xml[end..])
        },
    );
    // The fixture really carries the quirks.
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut z.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    assert!(xml.contains("<dimension ref=\"A1\"/>"));
    assert!(z.by_name("docProps/custom.xml").is_ok());

    let sheet = read(&bytes).unwrap();
    let l = locate(&sheet.grid).unwrap();
    let rows: Vec<(u32, &str, &str)> = l
        .rows
        .iter()
        .map(|r| (r.row, r.get(Field::Name), r.get(Field::Uscc)))
        .collect();
    assert_eq!(
        rows,
        [
            (2, "示例1号公司", "91330106MA2BC0001U"),
            (3, "示例2号公司", "91330106MA2BC00032"),
            (4, "示例3号公司", "91330106MA2BC00045"),
        ]
    );
}
