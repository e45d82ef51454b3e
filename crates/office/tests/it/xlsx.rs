//! Sheets read back with calamine: the header row, a date cell as a date, formula-like text as
//! text, amounts, sheet names cut to 31 characters and made unique; the ledger's columns.

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use safeduty_core::finding::ledger::{Category, FiveImplementations, Grade, Source};
use safeduty_core::finding::lifecycle::Status;
use safeduty_office::ledger::{self, LedgerRow};
use safeduty_office::xlsx::{Cell, Sheet, Workbook};

use crate::part;

fn open(bytes: Vec<u8>) -> Xlsx<std::io::Cursor<Vec<u8>>> {
    Xlsx::new(std::io::Cursor::new(bytes)).unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn header_date_inert_text_and_long_names_read_back() {
    let long = "附件1：青秀区2024年度安全生产管理人员履职专项治理自查自纠统计表（重点企业）";
    assert_eq!(long.chars().count(), 40);
    let mut sheet = Sheet::table(
        long,
        &[
            ("名称", 20.0),
            ("日期", 12.0),
            ("备注", 20.0),
            ("金额", 12.0),
        ],
    )
    .unwrap();
    sheet
        .push_row([
            Cell::from("示例有限公司"),
            day("2024-07-15").into(),
            "=1+1".into(),
            Cell::Fen(123_456),
        ])
        .unwrap();
    sheet
        .push_row([
            Cell::from("-1层"),
            Cell::Empty,
            "＝SUM(A1)".into(),
            Cell::from(-12),
        ])
        .unwrap();
    let mut book = Workbook::new("统计");
    let first = book.push(sheet).unwrap();
    let second = book.push(Sheet::new(long)).unwrap();
    let third = book.push(Sheet::new("[汇总]:*?/\\")).unwrap();
    let bytes = book.save().unwrap();

    let cut: String = long.chars().take(31).collect();
    assert_eq!(first, cut, "cut to 31 (the full-width colon is allowed)");
    assert_eq!(
        second,
        format!("{} (2)", cut.chars().take(27).collect::<String>()),
        "unique"
    );
    assert_eq!(third, "汇总", "[]:*?/\\ dropped");

    let mut x = open(bytes.clone());
    assert_eq!(x.sheet_names(), [first.clone(), second, third]);
    let range = x.worksheet_range(&first).unwrap();
    let row = |r: u32| -> Vec<Data> {
        (0..4)
            .map(|c| range.get_value((r, c)).cloned().unwrap_or(Data::Empty))
            .collect()
    };
    assert_eq!(
        row(0),
        ["名称", "日期", "备注", "金额"].map(|h| Data::String(h.into()))
    );
    let r1 = row(1);
    match &r1[1] {
        Data::DateTime(d) => assert_eq!(d.as_datetime().unwrap().date(), day("2024-07-15")),
        other => panic!("a date cell, not {other:?}"),
    }
    assert_eq!(r1[2], Data::String("=1+1".into()), "text, not a formula");
    assert_eq!(r1[3], Data::Float(1234.56), "yuan from fen");
    let r2 = row(2);
    assert_eq!(r2[0], Data::String("-1层".into()));
    assert_eq!(r2[1], Data::Empty);
    assert_eq!(r2[2], Data::String("＝SUM(A1)".into()));
    assert_eq!(r2[3], Data::Float(-12.0), "a number stays a number");
    // No formula anywhere; the formula-like cells carry the quote prefix.
    let xml = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(!xml.contains("<f>"));
    assert!(part(&bytes, "xl/styles.xml").contains("quotePrefix=\"1\""));
    assert!(
        xml.contains("<pane ySplit=\"1\""),
        "the header frozen: {xml}"
    );
}

#[test]
fn text_columns_keep_codes_as_text() {
    let mut sheet = Sheet::table("名单", &[("代码", 20.0), ("电话", 14.0)])
        .unwrap()
        .text_columns();
    sheet
        .push_row(["91330106MA2BC0001U", "01088880001"])
        .unwrap();
    let mut book = Workbook::new("名单");
    book.push(sheet).unwrap();
    let bytes = book.save().unwrap();
    let range = open(bytes.clone()).worksheet_range("名单").unwrap();
    assert_eq!(
        range.get_value((1, 1)),
        Some(&Data::String("01088880001".into()))
    );
    let styles = part(&bytes, "xl/styles.xml");
    assert!(
        styles.contains("formatCode=\"@\""),
        "the text format @: {styles}"
    );
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<col min=\"1\" max=\"1\" width="), "{sheet}");
}

fn finding(description: &str, status: Status) -> LedgerRow {
    LedgerRow {
        enterprise_name: "示例企业有限公司".into(),
        region_name: "东湖街道".into(),
        description: description.into(),
        location: "-1层配电室".into(),
        category: Category::Hazard,
        grade: Grade::General,
        source: Source::SelfInspection,
        item_number: Some(12),
        opened_on: day("2024-06-01"),
        plan: FiveImplementations {
            responsible: "王某".into(),
            measures: "铺设绝缘胶垫".into(),
            funds_fen: Some(50_000),
            time_limit: Some(day("2024-06-30")),
            contingency_plan: String::new(),
        },
        due_on: day("2024-07-01"),
        temporary_measures: String::new(),
        status,
        closed_on: (status == Status::Closed).then(|| day("2024-06-28")),
        stop_work: true,
        pending_extension: None,
    }
}

#[test]
fn the_ledger_reads_back_in_its_columns() {
    let rows = [
        finding("配电室未铺设绝缘胶垫", Status::Open),
        finding("=1+1", Status::Closed),
    ];
    let bytes = ledger::xlsx(&rows, day("2024-07-02")).unwrap();
    let mut x = open(bytes.clone());
    assert_eq!(x.sheet_names(), [ledger::SHEET_NAME]);
    let range = x.worksheet_range(ledger::SHEET_NAME).unwrap();
    let headers: Vec<String> = (0..20)
        .map(|c| range.get_value((0, c)).unwrap().to_string())
        .collect();
    assert_eq!(headers, ledger::COLUMNS.map(|(h, _)| h.to_string()));
    let cell = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(cell(1, 0), Data::Float(1.0));
    assert_eq!(cell(1, 4), Data::String("-1层配电室".into()));
    assert_eq!(cell(1, 8), Data::String("第12项".into()));
    assert!(matches!(cell(1, 9), Data::DateTime(_)), "发现日期 a date");
    assert_eq!(cell(1, 12), Data::Float(500.0));
    assert_eq!(cell(1, 16), Data::String("待整改".into()));
    assert_eq!(
        cell(1, 17),
        Data::String("是".into()),
        "open and past its limit"
    );
    assert_eq!(cell(1, 18), Data::Empty);
    assert_eq!(
        cell(1, 19),
        Data::String("已停产停业（停止使用）；方案计划完成日期2024-06-30".into())
    );
    assert_eq!(cell(2, 3), Data::String("=1+1".into()));
    assert_eq!(
        cell(2, 17),
        Data::String("否".into()),
        "closed is never overdue"
    );
    match cell(2, 18) {
        Data::DateTime(d) => assert_eq!(d.as_datetime().unwrap().date(), day("2024-06-28")),
        other => panic!("验收日期 a date, not {other:?}"),
    }
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<autoFilter ref=\"A1:T3\""), "{sheet}");
    assert!(sheet.contains("orientation=\"landscape\""));
    assert!(part(&bytes, "docProps/core.xml").contains("<dc:title>隐患台账</dc:title>"));
}
