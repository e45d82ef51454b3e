//! Workbooks built to cost far more than their size (issue #16 point 2): a merged region the
//! size of a sheet (case B35), regions that would fill more cells than a sheet may hold, parts
//! that inflate a thousandfold and one cell of megabytes. Each is read within what is kept, or
//! refused naming what is wrong.

use std::io::Write;
use std::time::{Duration, Instant};

use rust_xlsxwriter::Workbook;
use safeduty_roster::package::{MAX_KEPT_PART, MAX_XML_EVENT};
use safeduty_roster::{MAX_CELLS, ReadError, read};

use crate::case;

/// Case B35: a 1.6 KB workbook whose title A1 is merged over A1:HZ30000, with one footer cell on
/// row 30000. Read at once: the region fills only the cells of the two rows that hold values.
#[test]
fn b35_merged_region_bomb_reads_quickly() {
    let bytes = case("B35_merged_region_bomb.xlsx");
    let started = Instant::now();
    let sheet = read(&bytes).unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let cells: usize = sheet.grid.rows.iter().map(|r| r.cells.len()).sum();
    assert_eq!(
        sheet.grid.rows.iter().map(|r| r.number).collect::<Vec<_>>(),
        [1, 30000]
    );
    assert!(cells <= 4, "{cells} cells kept");
}

/// Replaces the text `from` with `to` in the part `part` of the package `bytes`.
fn edit_part(bytes: &[u8], part: &str, from: &str, to: &str) -> Vec<u8> {
    use std::io::Read;
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = String::new();
        f.read_to_string(&mut data).unwrap();
        if name == part {
            assert!(data.contains(from), "{part} has {from}");
            data = data.replacen(from, to, 1);
        }
        out.start_file(name, options).unwrap();
        out.write_all(data.as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A value in the last readable column of 25 000 rows and a title in A1 merged over all of them:
/// filling it would take 5 million cells. Refused, naming the sheet and the region.
#[test]
fn a_region_filling_more_than_a_sheet_holds_is_refused_by_name() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("名单").unwrap();
    ws.write_string(0, 0, "示例区重点企业名单").unwrap();
    for r in 0..25_000u32 {
        ws.write_number(r, 199, f64::from(r)).unwrap();
    }
    let bytes = edit_part(
        &wb.save_to_buffer().unwrap(),
        "xl/worksheets/sheet1.xml",
        "</sheetData>",
        "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:GR25000\"/></mergeCells>",
    );
    let started = Instant::now();
    let err = read(&bytes).unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(&err, ReadError::MergedRegion { sheet, region, cells }
            if sheet == "名单" && region == "A1:GR25000" && *cells > MAX_CELLS),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains("工作表“名单”") && message.contains("A1:GR25000"),
        "{message}"
    );
}

/// Shared strings that inflate past the bound: refused before calamine keeps them.
#[test]
fn shared_strings_inflating_past_the_bound_are_refused() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "企业名称").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    // Short strings (each event small), so that only the part's size is over.
    let n = usize::try_from(MAX_KEPT_PART).unwrap() / 12 + 1;
    let many = "<si><t>x</t></si>".repeat(n);
    let bytes = edit_part(
        &bytes,
        "xl/sharedStrings.xml",
        "</sst>",
        &format!("{many}</sst>"),
    );
    assert!(bytes.len() < 2 * 1024 * 1024, "{} bytes", bytes.len());
    let err = read(&bytes).unwrap_err();
    assert!(
        matches!(&err, ReadError::Inflated { part, .. } if part == "xl/sharedStrings.xml"),
        "{err:?}"
    );
    assert!(err.to_string().contains("xl/sharedStrings.xml"), "{err}");
}

/// One cell of more text than Excel can hold (a single event of megabytes): refused.
#[test]
fn one_huge_cell_is_refused() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "企业名称").unwrap();
    let huge = "安".repeat(MAX_XML_EVENT / 3 + 10);
    let bytes = edit_part(
        &wb.save_to_buffer().unwrap(),
        "xl/sharedStrings.xml",
        "企业名称",
        &huge,
    );
    let err = read(&bytes).unwrap_err();
    assert!(matches!(err, ReadError::Inflated { .. }), "{err:?}");
    assert!(err.to_string().contains("KB"), "{err}");
}
