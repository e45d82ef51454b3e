//! The findings ledger (隐患台账) as an `.xlsx` workbook, in the columns such ledgers usually
//! have. Dates are date cells, funds a number in yuan; every text cell is inert
//! ([`crate::xlsx`]). Overdue is judged on `today` by `safeduty_core::finding::is_overdue`, the
//! rule every list uses. Printed on A4 landscape, one page wide, the header on every page.

use chrono::NaiveDate;
use safeduty_core::finding::is_overdue;
use safeduty_core::finding::ledger::{Category, FiveImplementations, Grade, Source};
use safeduty_core::finding::lifecycle::Status;

use crate::Error;
use crate::xlsx::{Cell, Sheet, Workbook};

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

/// Name of the sheet (and the workbook's title).
pub const SHEET_NAME: &str = "隐患台账";

/// One finding as the ledger shows it (the caller fills it from its finding row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRow {
    /// The enterprise's name.
    pub enterprise_name: String,
    /// Its region (town, subdistrict, zone).
    pub region_name: String,
    /// What is wrong.
    pub description: String,
    /// Where on site (部位).
    pub location: String,
    /// Duty problem or accident hazard.
    pub category: Category,
    /// General or major.
    pub grade: Grade,
    /// Where it came from.
    pub source: Source,
    /// The linked check item's number, if any.
    pub item_number: Option<u32>,
    /// Opened on.
    pub opened_on: NaiveDate,
    /// The rectification plan's five implementations, as far as given.
    pub plan: FiveImplementations,
    /// The time limit.
    pub due_on: NaiveDate,
    /// Temporary measures taken meanwhile.
    pub temporary_measures: String,
    /// Where it stands in its loop.
    pub status: Status,
    /// The day it was verified and closed out.
    pub closed_on: Option<NaiveDate>,
    /// Whether work is stopped meanwhile.
    pub stop_work: bool,
    /// A pending extension request: the limit asked for and why.
    pub pending_extension: Option<(NaiveDate, String)>,
}

impl LedgerRow {
    /// The remarks column: work stopped, a pending extension, the plan's own completion date.
    pub fn remarks(&self) -> String {
        let mut remarks = Vec::new();
        if self.stop_work {
            remarks.push("已停产停业（停止使用）".to_string());
        }
        if let Some((d, reason)) = &self.pending_extension {
            remarks.push(format!("申请延期至{d}：{reason}"));
        }
        if let Some(limit) = self.plan.time_limit {
            remarks.push(format!("方案计划完成日期{limit}"));
        }
        remarks.join("；")
    }
}

/// The workbook of `rows` (in the order given), overdue judged on `today`.
///
/// # Errors
/// [`Error::Xlsx`] when the writer fails.
pub fn xlsx(rows: &[LedgerRow], today: NaiveDate) -> Result<Vec<u8>, Error> {
    let mut sheet = Sheet::table(SHEET_NAME, &COLUMNS)?
        .wrap_text()
        .landscape_a4()
        .autofilter();
    for (i, f) in rows.iter().enumerate() {
        let overdue = is_overdue(f.status.is_open(), f.due_on, today);
        sheet.push_row([
            Cell::from(i + 1),
            (&f.enterprise_name).into(),
            (&f.region_name).into(),
            (&f.description).into(),
            (&f.location).into(),
            f.category.label().into(),
            f.grade.label().into(),
            f.source.label().into(),
            f.item_number.map(|n| format!("第{n}项")).into(),
            f.opened_on.into(),
            (&f.plan.responsible).into(),
            (&f.plan.measures).into(),
            f.plan.funds_fen.map(Cell::Fen).unwrap_or(Cell::Empty),
            f.due_on.into(),
            (&f.plan.contingency_plan).into(),
            (&f.temporary_measures).into(),
            f.status.label().into(),
            if overdue { "是" } else { "否" }.into(),
            f.closed_on.into(),
            f.remarks().into(),
        ])?;
    }
    let mut book = Workbook::new(SHEET_NAME);
    book.push(sheet)?;
    book.save()
}
