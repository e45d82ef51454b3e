//! Where the data is in a sheet: the header row under any title lines, the columns it names, and
//! the data rows below it, without blank rows and without totals and signature lines.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Field, Grid, clean, column_letter};

/// How many rows from the top are searched for the header.
const HEADER_SEARCH_ROWS: usize = 30;

/// Words that open a totals or signature line (合计：5家, 制表人：…, 审核人：…).
const FOOTER_WORDS: [&str; 18] = [
    "合计",
    "总计",
    "小计",
    "共计",
    "累计",
    "制表人",
    "制表",
    "审核人",
    "审核",
    "复核人",
    "填表人",
    "填报人",
    "统计人",
    "经办人",
    "单位负责人",
    "负责人签字",
    "填报日期",
    "注：",
];

/// One column the header names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    /// 0-based index.
    #[serde(skip)]
    pub index: usize,
    /// Letter as the spreadsheet shows it.
    pub letter: String,
    /// The header as written.
    pub header: String,
    /// The field it maps to; `None` for a column that is not imported.
    pub field: Option<Field>,
}

impl Column {
    /// `B（统一社会信用代码）`: how problems name the column.
    pub fn describe(&self) -> String {
        format!("{}列（{}）", self.letter, self.header)
    }
}

/// A data row: the cells of the imported fields, cleaned only of surrounding noise later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    /// Row number as the spreadsheet shows it.
    pub row: u32,
    /// The raw cell text of each field that has a column.
    pub values: BTreeMap<Field, String>,
}

impl RawRow {
    /// The raw text of `field`, empty when the roster has no such column.
    pub fn get(&self, field: Field) -> &str {
        self.values.get(&field).map_or("", String::as_str)
    }
}

/// A line under the header that is not data, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// Row number.
    pub row: u32,
    /// Why it is not an enterprise, in Chinese.
    pub reason: String,
}

/// The shape of a roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Row number of the header.
    pub header_row: u32,
    /// Every non-empty header cell, imported or not.
    pub columns: Vec<Column>,
    /// Required fields without a column.
    pub missing: Vec<Field>,
    /// The data rows.
    pub rows: Vec<RawRow>,
    /// Totals and signature lines left out.
    pub skipped: Vec<Skipped>,
}

impl Layout {
    /// The column of `field`, if the roster has one.
    pub fn column_of(&self, field: Field) -> Option<&Column> {
        self.columns.iter().find(|c| c.field == Some(field))
    }
}

/// Why no roster could be found in a sheet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    /// No row near the top names the enterprise name or credit code columns.
    #[error("前{HEADER_SEARCH_ROWS}行中没有找到表头（应含“企业名称”“统一社会信用代码”等列名）")]
    NoHeader,
    /// The row named as the header is empty or names neither of those columns.
    #[error("第{0}行不是表头（应含“企业名称”或“统一社会信用代码”列名）")]
    NotAHeader(u32),
}

/// Finds the header row (the row near the top that names the most known columns, at least the
/// credit code or the enterprise name) and the data rows under it. A column named twice is
/// imported from its first occurrence.
///
/// # Errors
/// [`LayoutError::NoHeader`].
pub fn locate(grid: &Grid) -> Result<Layout, LayoutError> {
    let mut best: Option<(usize, usize)> = None;
    for (i, row) in grid.rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let fields: Vec<Field> = row
            .cells
            .iter()
            .filter_map(|c| Field::from_header(c))
            .collect();
        if !fields.contains(&Field::Uscc) && !fields.contains(&Field::Name) {
            continue;
        }
        let mut distinct = fields.clone();
        distinct.sort();
        distinct.dedup();
        if best.is_none_or(|(_, n)| distinct.len() > n) {
            best = Some((i, distinct.len()));
        }
    }
    let (header_index, _) = best.ok_or(LayoutError::NoHeader)?;
    Ok(layout_under(grid, header_index))
}

/// As [`locate`], with the header on the row a person named (row number as the sheet shows it).
///
/// # Errors
/// [`LayoutError::NotAHeader`] when that row is empty or names neither the enterprise name nor the
/// credit code.
pub fn locate_at(grid: &Grid, header_row: u32) -> Result<Layout, LayoutError> {
    let index = grid
        .rows
        .iter()
        .position(|r| r.number == header_row)
        .filter(|&i| {
            grid.rows[i]
                .cells
                .iter()
                .any(|c| matches!(Field::from_header(c), Some(Field::Name | Field::Uscc)))
        })
        .ok_or(LayoutError::NotAHeader(header_row))?;
    Ok(layout_under(grid, index))
}

fn layout_under(grid: &Grid, header_index: usize) -> Layout {
    let header = &grid.rows[header_index];
    let mut columns: Vec<Column> = Vec::new();
    for (index, h) in header.cells.iter().enumerate() {
        let h = clean::text(h);
        if h.is_empty() {
            continue;
        }
        let field = Field::from_header(&h).filter(|f| !columns.iter().any(|c| c.field == Some(*f)));
        columns.push(Column {
            index,
            letter: column_letter(index),
            header: h,
            field,
        });
    }
    let missing = Field::REQUIRED
        .into_iter()
        .filter(|f| !columns.iter().any(|c| c.field == Some(*f)))
        .collect();
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    for row in &grid.rows[header_index + 1..] {
        let values: BTreeMap<Field, String> = columns
            .iter()
            .filter_map(|c| c.field.map(|f| (f, row.cell(c.index).to_string())))
            .collect();
        let first = row
            .cells
            .iter()
            .map(|c| clean::text(c))
            .find(|c| !c.is_empty())
            .unwrap_or_default();
        let code = values
            .get(&Field::Uscc)
            .map(|c| clean::code(c))
            .unwrap_or_default();
        if crate::uscc::Uscc::parse(&code).is_err()
            && let Some(w) = FOOTER_WORDS.iter().find(|w| first.starts_with(*w))
        {
            skipped.push(Skipped {
                row: row.number,
                reason: format!("“{w}”行（合计或签字行），不是企业"),
            });
            continue;
        }
        if values.values().all(|v| clean::text(v).is_empty()) {
            continue;
        }
        // A header repeated (on each printed page, or the lower half of a merged header).
        if [Field::Name, Field::Uscc]
            .iter()
            .any(|f| values.get(f).and_then(|v| Field::from_header(v)) == Some(*f))
        {
            skipped.push(Skipped {
                row: row.number,
                reason: "重复的表头行".into(),
            });
            continue;
        }
        rows.push(RawRow {
            row: row.number,
            values,
        });
    }
    Layout {
        header_row: header.number,
        columns,
        missing,
        rows,
        skipped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::GridRow;

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid {
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, r)| GridRow {
                    number: i as u32 + 1,
                    cells: r.iter().map(|c| (*c).to_string()).collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn header_under_title_and_footer_lines_left_out() {
        let g = grid(&[
            &["示例区2025年企业名单", "", ""],
            &["填报单位：示例镇", "", "填报日期：2025年3月1日"],
            &["序号", "企业名称", "统一社会信用代码", "镇街"],
            &["1", "甲公司", "91330106MA2BC0001U", "示例镇"],
            &["2", "", "", ""],
            &["合计：1家", "", "", ""],
            &["制表人：某", "", "审核人：某", ""],
        ]);
        let l = locate(&g).unwrap();
        assert_eq!(l.header_row, 3);
        assert!(l.missing.is_empty());
        assert_eq!(l.rows.len(), 1);
        assert_eq!(l.rows[0].row, 4);
        assert_eq!(l.rows[0].get(Field::Name), "甲公司");
        assert_eq!(l.skipped.iter().map(|s| s.row).collect::<Vec<_>>(), [6, 7]);
        assert_eq!(l.columns[0].field, None);
        assert_eq!(
            l.column_of(Field::Uscc).unwrap().describe(),
            "C列（统一社会信用代码）"
        );
    }

    #[test]
    fn no_header_and_missing_columns() {
        assert_eq!(locate(&grid(&[&["a", "b"]])), Err(LayoutError::NoHeader));
        let two = grid(&[
            &["企业名称", "统一社会信用代码", "镇街"],
            &["企业名称", "镇街"],
        ]);
        assert_eq!(locate_at(&two, 2).unwrap().header_row, 2);
        assert_eq!(locate_at(&two, 3), Err(LayoutError::NotAHeader(3)));
        let l = locate(&grid(&[&["统一社会信用代码", "说明"]])).unwrap();
        assert_eq!(l.missing, [Field::Name, Field::Region]);
    }
}
