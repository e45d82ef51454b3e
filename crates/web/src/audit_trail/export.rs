//! The audit trail as a file for the audit administrator: CSV (UTF-8 with a BOM, so that Excel
//! and WPS read the Chinese) or `.xlsx`, both written by `safeduty_office`. Every text cell
//! follows `safeduty_core::cell`: a value someone typed that looks like a formula stays inert text
//! (shared case B11). Times are shown in Beijing time; the record's id (`seq`) is the first
//! column, so an export can be checked against `safeduty audit verify`.

use safeduty_office::xlsx::{Cell, Sheet, Workbook};
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
    safeduty_office::csv::write(&COLUMNS.map(|(h, _)| h), records.iter().map(cells))
}

/// `.xlsx` bytes: one sheet 审计记录, the record number a number cell, every other cell a string
/// (quote-prefixed when formula-like).
///
/// # Errors
/// [`safeduty_office::Error`] when the writer fails.
pub fn xlsx(records: &[Record]) -> Result<Vec<u8>, safeduty_office::Error> {
    let mut sheet = Sheet::table("审计记录", &COLUMNS)?;
    for r in records {
        let cells = cells(r);
        let text = cells.iter().skip(1).map(Cell::from);
        sheet.push_row(std::iter::once(Cell::from(r.seq)).chain(text))?;
    }
    let mut book = Workbook::new("审计记录");
    book.push(sheet)?;
    book.save()
}
