//! The year's assessment as a workbook (考核巡查评分表, issue #14 point 8): `评分汇总`, a unit a
//! row with each area's deduction and the score; `评分明细`, an item a line with how it was
//! decided (系统计算 with the figure of the records, or 评分人评定 with the reason).

use chrono::NaiveDate;
use safeduty_core::assessment::{Basis, FULL_MARKS, Scheme, Sheet};

use crate::Error;
use crate::xlsx::{Cell, Sheet as Table, Workbook};

/// The workbook of `rows` (unit name, its sheet) of the campaign `campaign` on `today`.
///
/// # Errors
/// [`Error`] when the workbook cannot be written.
pub fn xlsx(
    campaign: &str,
    scheme: &Scheme,
    rows: &[(String, &Sheet)],
    today: NaiveDate,
) -> Result<Vec<u8>, Error> {
    let mut columns: Vec<(String, f64)> = vec![("单位".into(), 24.0)];
    columns.extend(
        scheme
            .areas
            .iter()
            .map(|a| (format!("{}（扣分，满{}）", a.name, a.points), 18.0)),
    );
    columns.push((format!("得分（满分{FULL_MARKS}）"), 12.0));
    let cols: Vec<(&str, f64)> = columns.iter().map(|(n, w)| (n.as_str(), *w)).collect();
    let mut summary = Table::table("评分汇总", &cols)?;
    for (unit, s) in rows {
        let mut cells: Vec<Cell> = vec![unit.as_str().into()];
        cells.extend(s.areas.iter().map(|(_, p)| Cell::from(i64::from(*p))));
        cells.push(Cell::from(i64::from(s.score)));
        summary.push_row(cells)?;
    }
    let mut detail = Table::table(
        "评分明细",
        &[
            ("单位", 24.0),
            ("扣分方面", 16.0),
            ("评分项", 30.0),
            ("评分方式", 12.0),
            ("记录数据", 24.0),
            ("扣分", 8.0),
            ("上限", 8.0),
            ("理由", 36.0),
        ],
    )?
    .wrap_text();
    for (unit, s) in rows {
        for l in &s.lines {
            let area = scheme
                .areas
                .iter()
                .find(|a| a.code == l.item.area)
                .map_or("", |a| a.name.as_str());
            let (how, figure) = match (&l.item.basis, l.figure) {
                (Basis::Computed { metric, .. }, Some(v)) => {
                    ("系统计算", format!("{}：{v}", metric.label()))
                }
                _ => ("评分人评定", String::new()),
            };
            detail.push_row([
                unit.as_str().into(),
                area.into(),
                l.item.name.as_str().into(),
                how.into(),
                figure.as_str().into(),
                Cell::from(i64::from(l.points)),
                Cell::from(i64::from(l.item.max)),
                l.reason.as_str().into(),
            ])?;
        }
    }
    let mut book = Workbook::new(&format!("{campaign}考核巡查评分表（{today}）"));
    book.push(summary)?;
    book.push(detail)?;
    book.save()
}
