//! The enforcement figures (执法统计, issue #12 point 11) as an `.xlsx` workbook: one row per
//! unit and a total row, in the order given, counts as number cells and the two rates as
//! percentages with one decimal; a second sheet says what each column counts.

use chrono::NaiveDate;

use crate::Error;
use crate::xlsx::{Cell, Sheet, Workbook};

/// The columns of the figures sheet, with their widths in characters.
pub const COLUMNS: [(&str, f64); 20] = [
    ("序号", 6.0),
    ("单位", 24.0),
    ("类型", 10.0),
    ("计划检查数", 10.0),
    ("检查数", 8.0),
    ("重点企业数", 10.0),
    ("已检查重点企业数", 14.0),
    ("重点企业覆盖率(%)", 14.0),
    ("下达整改指令数", 12.0),
    ("逾期未复查数", 12.0),
    ("已复查数", 9.0),
    ("检查发现问题数", 12.0),
    ("已销号数", 9.0),
    ("未销号数", 9.0),
    ("整改率(%)", 10.0),
    ("立案数", 8.0),
    ("作出决定数", 10.0),
    ("结案数", 8.0),
    ("办案逾期数", 10.0),
    ("罚款金额(元)", 12.0),
];

/// The columns of the fines-by-provision sheet.
pub const FINES_COLUMNS: [(&str, f64); 3] =
    [("条款", 48.0), ("决定数", 8.0), ("罚款金额(元)", 12.0)];

/// Name of the fines-by-provision sheet.
pub const FINES_SHEET_NAME: &str = "罚款按条款";

/// Name of the figures sheet (and the workbook's title).
pub const SHEET_NAME: &str = "执法统计";

/// Name of the sheet that explains the columns.
pub const NOTES_SHEET_NAME: &str = "统计口径";

/// One row: a unit's figures or the total (the caller fills it from its counts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureRow {
    /// The unit's name, or the total's label.
    pub unit: String,
    /// Its kind in words (属地 / 行业部门), empty for the total.
    pub kind: String,
    /// Inspections planned; `None` while there are no inspection plans (an empty cell).
    pub planned: Option<i64>,
    /// Inspections done.
    pub inspections: i64,
    /// Key enterprises in scope.
    pub key_enterprises: i64,
    /// Of those, inspected.
    pub key_covered: i64,
    /// Coverage in ‰, `None` without key enterprises.
    pub coverage_per_mille: Option<i64>,
    /// Correction orders issued.
    pub orders_issued: i64,
    /// Orders whose re-inspection is overdue.
    pub orders_overdue: i64,
    /// Orders re-inspected.
    pub orders_re_inspected: i64,
    /// Findings the inspections opened.
    pub findings: i64,
    /// Of those, closed out.
    pub findings_closed: i64,
    /// Of those, not closed.
    pub findings_open: i64,
    /// Rectification rate in ‰, `None` without findings.
    pub rectification_per_mille: Option<i64>,
    /// Cases filed in the year.
    pub cases_filed: i64,
    /// Of those, decided.
    pub cases_decided: i64,
    /// Of those, closed.
    pub cases_closed: i64,
    /// Of those, with a limit missed.
    pub cases_overdue: i64,
    /// Fines decided, whole yuan.
    pub fines: i64,
}

/// A rate in ‰ as a percentage number cell (66.7 for 667‰), empty when there is none.
fn percent(per_mille: Option<i64>) -> Cell<'static> {
    per_mille.map_or(Cell::Empty, |v| Cell::Number(v as f64 / 10.0))
}

/// The workbook: `rows` (units, then the total, as given) on the figures sheet; the fines by
/// provision (`fines`: the provision's words, decisions, yuan) on the second; on the third the
/// title line (`title`, e.g. the campaign and the day), then `notes` (what each column counts),
/// one line each.
///
/// # Errors
/// [`Error::Xlsx`] when the writer fails.
pub fn xlsx(
    title: &str,
    rows: &[FigureRow],
    fines: &[(String, i64, i64)],
    notes: &[String],
) -> Result<Vec<u8>, Error> {
    let mut sheet = Sheet::table(SHEET_NAME, &COLUMNS)?.landscape_a4();
    for (i, r) in rows.iter().enumerate() {
        sheet.push_row([
            Cell::from(i + 1),
            (&r.unit).into(),
            (&r.kind).into(),
            r.planned.into(),
            r.inspections.into(),
            r.key_enterprises.into(),
            r.key_covered.into(),
            percent(r.coverage_per_mille),
            r.orders_issued.into(),
            r.orders_overdue.into(),
            r.orders_re_inspected.into(),
            r.findings.into(),
            r.findings_closed.into(),
            r.findings_open.into(),
            percent(r.rectification_per_mille),
            r.cases_filed.into(),
            r.cases_decided.into(),
            r.cases_closed.into(),
            r.cases_overdue.into(),
            r.fines.into(),
        ])?;
    }
    let mut by_provision = Sheet::table(FINES_SHEET_NAME, &FINES_COLUMNS)?;
    for (provision, n, sum) in fines {
        by_provision.push_row([
            Cell::from(provision.as_str()),
            Cell::from(*n),
            Cell::from(*sum),
        ])?;
    }
    let mut about = Sheet::new(NOTES_SHEET_NAME);
    about.widths(&[100.0])?;
    about.note(0, title)?;
    for (k, line) in notes.iter().enumerate() {
        about.note(u32::try_from(k + 1).unwrap_or(u32::MAX), line)?;
    }
    let mut book = Workbook::new(SHEET_NAME);
    book.push(sheet)?;
    book.push(by_provision)?;
    book.push(about)?;
    book.save()
}

/// The line that dates a workbook: the campaign and the day the figures were counted.
pub fn title(campaign: &str, today: NaiveDate) -> String {
    format!("{campaign} 执法统计（截至{today}）")
}
