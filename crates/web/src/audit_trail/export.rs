//! The audit trail as a file for the audit administrator: CSV (UTF-8 with a BOM, so that Excel
//! and WPS read the Chinese) or `.xlsx`. Every text cell follows `safeduty_core::cell`: a value
//! someone typed that looks like a formula stays inert text (shared case B11). Times are shown in
//! Beijing time; the record's id (`seq`) is the first column, so an export can be checked against
//! `safeduty audit verify`.

use rust_xlsxwriter::{Format, Workbook, XlsxError};
use safeduty_core::cell::{csv_text, needs_quote_prefix};
use safeduty_store::audit::search::Record;

use super::{beijing_time, event_label, result_label, role_label, target_label};

/// The columns, with their widths in characters.
pub const COLUMNS: [(&str, f64); 12] = [
    ("记录号", 8.0),
    ("时间（北京时间）", 20.0),
    ("账号", 16.0),
    ("姓名", 20.0),
    ("角色", 12.0),
    ("客户端地址", 16.0),
    ("事件", 16.0),
    ("对象类型", 14.0),
    ("对象标识", 34.0),
    ("变更前", 40.0),
    ("变更后", 40.0),
    ("结果", 8.0),
];

/// The cells of one record, as text, in [`COLUMNS`] order.
fn cells(r: &Record) -> [String; 12] {
    [
        r.seq.to_string(),
        beijing_time(&r.at),
        r.actor_username.clone().unwrap_or_default(),
        r.actor_name.clone().unwrap_or_default(),
        r.actor_role.as_deref().map(role_label).unwrap_or_default(),
        r.client_addr.clone().unwrap_or_default(),
        event_label(&r.event),
        target_label(&r.target_kind),
        r.target_id.clone(),
        r.before.clone().unwrap_or_default(),
        r.after.clone().unwrap_or_default(),
        result_label(&r.result).to_string(),
    ]
}

/// CSV bytes: a UTF-8 BOM, the header row, one row per record, formula-like text prefixed with
/// an apostrophe.
pub fn csv(records: &[Record]) -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    let mut w = csv::Writer::from_writer(&mut out);
    // Writing to a Vec cannot fail.
    let _ = w.write_record(COLUMNS.iter().map(|(h, _)| *h));
    for r in records {
        let row = cells(r);
        let _ = w.write_record(row.iter().map(|c| csv_text(c).into_owned()));
    }
    let _ = w.flush();
    drop(w);
    out
}

/// `.xlsx` bytes: one sheet 审计记录, the record number a number cell, every other cell a string
/// (quote-prefixed when formula-like).
///
/// # Errors
/// [`XlsxError`] when the writer fails.
pub fn xlsx(records: &[Record]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let header = Format::new().set_bold();
    let inert = Format::new().set_quote_prefix();
    let sheet = wb.add_worksheet().set_name("审计记录")?;
    for (col, (title, width)) in COLUMNS.iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, *title, &header)?;
        sheet.set_column_width(col, *width)?;
    }
    for (i, r) in records.iter().enumerate() {
        let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
        sheet.write_number(row, 0, r.seq as f64)?;
        for (col, text) in cells(r).iter().enumerate().skip(1) {
            let col = col as u16;
            if needs_quote_prefix(text) {
                sheet.write_string_with_format(row, col, text, &inert)?;
            } else {
                sheet.write_string(row, col, text)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    wb.save_to_buffer()
}
