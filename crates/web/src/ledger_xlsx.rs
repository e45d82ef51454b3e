//! The findings ledger as an `.xlsx` workbook (隐患台账), in the columns such ledgers usually
//! have. Dates are date cells, funds a number in yuan; every text cell follows
//! `safeduty_core::cell` (a formula-like value is a quote-prefixed string, shared case B11), so
//! nothing a person typed runs when the file is opened. Overdue is judged on `today` by
//! `Finding::is_overdue`, the rule every list uses.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError,
};
use safeduty_core::cell::needs_quote_prefix;
use safeduty_store::findings::Finding;

/// The columns, with their widths in characters.
pub const COLUMNS: [(&str, f64); 20] = [
    ("序号", 6.0),
    ("企业名称", 30.0),
    ("属地", 12.0),
    ("隐患/问题描述", 40.0),
    ("部位", 14.0),
    ("类别", 10.0),
    ("等级", 6.0),
    ("来源", 9.0),
    ("关联检查项", 10.0),
    ("发现日期", 12.0),
    ("整改责任人", 12.0),
    ("整改措施", 30.0),
    ("整改资金(元)", 13.0),
    ("整改时限", 12.0),
    ("应急预案", 20.0),
    ("临时措施", 24.0),
    ("状态", 10.0),
    ("是否逾期", 8.0),
    ("验收日期", 12.0),
    ("备注", 30.0),
];

/// Name of the sheet.
pub const SHEET_NAME: &str = "隐患台账";

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(
        u16::try_from(d.year()).unwrap_or(1900),
        d.month() as u8,
        d.day() as u8,
    )
}

/// The workbook of `rows` (in the order given), overdue judged on `today`.
///
/// # Errors
/// [`XlsxError`] when the writer fails.
pub fn write(rows: &[Finding], today: NaiveDate) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title("隐患台账")
            .set_author("safeduty"),
    );
    let header = Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border(FormatBorder::Thin);
    let text = Format::new().set_text_wrap();
    let inert = Format::new().set_text_wrap().set_quote_prefix();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let money = Format::new().set_num_format("#,##0.00");
    let ws = wb.add_worksheet();
    ws.set_name(SHEET_NAME)?;
    for (col, (label, width)) in COLUMNS.iter().enumerate() {
        let col = col as u16;
        ws.set_column_width(col, *width)?;
        ws.write_string_with_format(0, col, *label, &header)?;
    }
    ws.set_freeze_panes(1, 0)?;
    // A4 landscape, all columns on one page wide, the header repeated on every page.
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    for (i, f) in rows.iter().enumerate() {
        let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let mut put = |col: u16, value: &str| -> Result<(), XlsxError> {
            if value.is_empty() {
                return Ok(());
            }
            let format = if needs_quote_prefix(value) {
                &inert
            } else {
                &text
            };
            ws.write_string_with_format(row, col, value, format)?;
            Ok(())
        };
        let mut remarks = Vec::new();
        if f.stop_work {
            remarks.push("已停产停业（停止使用）".to_string());
        }
        if let Some((d, reason)) = &f.pending_extension {
            remarks.push(format!("申请延期至{d}：{reason}"));
        }
        if let Some(limit) = f.plan.time_limit {
            remarks.push(format!("方案计划完成日期{limit}"));
        }
        put(1, &f.enterprise_name)?;
        put(2, &f.region_name)?;
        put(3, &f.description)?;
        put(4, &f.location)?;
        put(5, f.category.label())?;
        put(6, f.grade.label())?;
        put(7, f.source.label())?;
        put(
            8,
            &f.item_number
                .map(|n| format!("第{n}项"))
                .unwrap_or_default(),
        )?;
        put(10, &f.plan.responsible)?;
        put(11, &f.plan.measures)?;
        put(14, &f.plan.contingency_plan)?;
        put(15, &f.temporary_measures)?;
        put(16, f.status.label())?;
        put(17, if f.is_overdue(today) { "是" } else { "否" })?;
        put(19, &remarks.join("；"))?;
        ws.write_number(row, 0, (i + 1) as f64)?;
        ws.write_datetime_with_format(row, 9, excel_date(f.opened_on)?, &date)?;
        if let Some(fen) = f.plan.funds_fen {
            ws.write_number_with_format(row, 12, fen as f64 / 100.0, &money)?;
        }
        ws.write_datetime_with_format(row, 13, excel_date(f.due_on)?, &date)?;
        if let Some(closed) = f.closed_on {
            ws.write_datetime_with_format(row, 18, excel_date(closed)?, &date)?;
        }
    }
    ws.autofilter(
        0,
        0,
        u32::try_from(rows.len()).unwrap_or(0),
        (COLUMNS.len() - 1) as u16,
    )?;
    wb.save_to_buffer()
}
