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
    /// Row number of the header (its upper row when it has two).
    pub header_row: u32,
    /// Row number of the header's last row: `header_row`, or the next row for a two-level header
    /// (a group such as 联系人 merged over 姓名 and 电话).
    pub header_end: u32,
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

/// What a person chose when the header was not found as they meant: the header row, and the
/// field of some columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choices {
    /// The header's (upper) row, as the sheet numbers it; `None` to find it.
    pub header_row: Option<u32>,
    /// Columns (0-based) and the field each fills, `None` for "not imported"; these win over the
    /// column names.
    pub fields: BTreeMap<usize, Option<Field>>,
}

/// Finds the header row (the row near the top that names the most known columns, at least the
/// credit code or the enterprise name; with the row under it when the two form a two-level
/// header) and the data rows under it. A column named twice is imported from its first
/// occurrence.
///
/// # Errors
/// [`LayoutError::NoHeader`].
pub fn locate(grid: &Grid) -> Result<Layout, LayoutError> {
    locate_with(grid, &Choices::default())
}

/// As [`locate`], with the header on the row a person named (row number as the sheet shows it).
///
/// # Errors
/// [`LayoutError::NotAHeader`] when that row is empty or names neither the enterprise name nor the
/// credit code.
pub fn locate_at(grid: &Grid, header_row: u32) -> Result<Layout, LayoutError> {
    locate_with(
        grid,
        &Choices {
            header_row: Some(header_row),
            ..Choices::default()
        },
    )
}

/// As [`locate`], with a person's [`Choices`]. A header row they named may name no known column
/// at all when they map the columns themselves; it must then map the name or the code.
///
/// # Errors
/// [`LayoutError::NoHeader`]; [`LayoutError::NotAHeader`] when the named row is not in the sheet
/// or, with the choices applied, fills neither the enterprise name nor the credit code.
pub fn locate_with(grid: &Grid, choices: &Choices) -> Result<Layout, LayoutError> {
    let names_key = |h: &Header| {
        h.columns
            .iter()
            .any(|c| matches!(c.field, Some(Field::Name | Field::Uscc)))
    };
    let (index, mut header) = match choices.header_row {
        Some(n) => {
            let i = grid
                .rows
                .iter()
                .position(|r| r.number == n)
                .ok_or(LayoutError::NotAHeader(n))?;
            (i, header_at(grid, i))
        }
        None => {
            let mut best: Option<(usize, Header, usize)> = None;
            for i in 0..grid.rows.len().min(HEADER_SEARCH_ROWS) {
                let h = header_at(grid, i);
                if !names_key(&h) {
                    continue;
                }
                let mut distinct: Vec<Field> = h.columns.iter().filter_map(|c| c.field).collect();
                distinct.sort();
                distinct.dedup();
                if best.as_ref().is_none_or(|(_, _, n)| distinct.len() > *n) {
                    best = Some((i, h, distinct.len()));
                }
            }
            let (i, h, _) = best.ok_or(LayoutError::NoHeader)?;
            (i, h)
        }
    };
    for c in &mut header.columns {
        if let Some(f) = choices.fields.get(&c.index) {
            c.field = *f;
        }
    }
    // A field chosen for a column wins over the same field found by name elsewhere.
    let chosen: Vec<Field> = choices.fields.values().flatten().copied().collect();
    for c in &mut header.columns {
        if c.field.is_some_and(|f| chosen.contains(&f)) && !choices.fields.contains_key(&c.index) {
            c.field = None;
        }
    }
    // A column named twice is imported from its first occurrence.
    let mut seen: Vec<Field> = Vec::new();
    for c in &mut header.columns {
        if let Some(f) = c.field {
            if seen.contains(&f) {
                c.field = None;
            } else {
                seen.push(f);
            }
        }
    }
    if !names_key(&header) {
        return Err(LayoutError::NotAHeader(grid.rows[index].number));
    }
    Ok(layout_under(grid, index, header))
}

/// The header found at row index `i`: the row's columns, or the row and the next one combined
/// when they form a two-level header.
struct Header {
    columns: Vec<Column>,
    /// How many rows it takes (1 or 2).
    rows: usize,
}

/// Words that, under a group header naming a person (联系人, 主要负责人), mean the person's name.
const NAME_WORDS: [&str; 3] = ["姓名", "名字", "名称"];

fn header_at(grid: &Grid, i: usize) -> Header {
    let upper = &grid.rows[i];
    let single = || Header {
        columns: upper
            .cells
            .iter()
            .enumerate()
            .filter_map(|(index, h)| {
                let h = clean::text(h);
                (!h.is_empty()).then(|| Column {
                    index,
                    letter: column_letter(index),
                    field: Field::from_header(&h),
                    header: h,
                })
            })
            .collect(),
        rows: 1,
    };
    // The upper row of a two-level header names columns itself (联系人 over 姓名 and 电话); a
    // title over the header names none.
    let names_any = upper.cells.iter().any(|c| Field::from_header(c).is_some());
    let Some(lower) = grid
        .rows
        .get(i + 1)
        .filter(|r| names_any && r.number == upper.number + 1)
    else {
        return single();
    };
    let width = upper.cells.len().max(lower.cells.len());
    let mut columns = Vec::new();
    let mut second_level = false;
    for index in 0..width {
        let up = clean::text(upper.cell(index));
        let low = clean::text(lower.cell(index));
        if !low.is_empty() && clean::header_key(&low) != clean::header_key(&up) {
            // Data under a header is never a sub-header: a code, or a name under 企业名称.
            let up_field = Field::from_header(&up);
            if crate::uscc::Uscc::parse(&clean::code(&low)).is_ok()
                || matches!(up_field, Some(Field::Name | Field::Uscc))
            {
                return single();
            }
        }
        let (header, field) = combine(&up, &low);
        if up != low && !low.is_empty() && field.is_some() {
            second_level = true;
        }
        if !header.is_empty() {
            columns.push(Column {
                index,
                letter: column_letter(index),
                header,
                field,
            });
        }
    }
    if second_level {
        Header { columns, rows: 2 }
    } else {
        single()
    }
}

/// One column of a two-level header: its shown name and field from the upper and the lower cell.
fn combine(upper: &str, lower: &str) -> (String, Option<Field>) {
    if lower.is_empty() || clean::header_key(lower) == clean::header_key(upper) {
        return (upper.to_string(), Field::from_header(upper));
    }
    if upper.is_empty() {
        return (lower.to_string(), Field::from_header(lower));
    }
    let shown = format!("{upper}·{lower}");
    if let Some(f) = Field::from_header(&format!("{upper}{lower}")) {
        return (shown, Some(f));
    }
    match Field::from_header(upper) {
        // 联系人 over 姓名 is the contact; 主要负责人 over 电话 is no field we keep.
        Some(f) => {
            let is_name = NAME_WORDS.contains(&clean::header_key(lower).as_str());
            (shown, is_name.then_some(f))
        }
        // A plain group (基本信息) over the real names.
        None => (shown, Field::from_header(lower)),
    }
}

fn layout_under(grid: &Grid, header_index: usize, header: Header) -> Layout {
    let top = grid.rows[header_index].number;
    let end = grid.rows[header_index + header.rows - 1].number;
    let columns = header.columns;
    let missing = Field::REQUIRED
        .into_iter()
        .filter(|f| !columns.iter().any(|c| c.field == Some(*f)))
        .collect();
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    for row in &grid.rows[header_index + header.rows..] {
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
        header_row: top,
        header_end: end,
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

    #[test]
    fn two_level_header() {
        // 企业名称 and the code merged down over both rows (filled by the reader), 联系人 merged
        // across 姓名 and 电话, 主要负责人 over 姓名 and 电话 (the principal's phone is not kept).
        let g = grid(&[
            &["示例镇企业名单"],
            &[
                "企业名称",
                "统一社会信用代码",
                "联系人",
                "联系人",
                "主要负责人",
                "主要负责人",
                "镇街",
            ],
            &[
                "企业名称",
                "统一社会信用代码",
                "姓名",
                "电话",
                "姓名",
                "电话",
                "镇街",
            ],
            &[
                "甲公司",
                "91330106MA2BC0001U",
                "王五",
                "13800000001",
                "赵六",
                "13900000001",
                "示例镇",
            ],
        ]);
        let l = locate(&g).unwrap();
        assert_eq!((l.header_row, l.header_end), (2, 3));
        let fields: Vec<(&str, Option<Field>)> = l
            .columns
            .iter()
            .map(|c| (c.header.as_str(), c.field))
            .collect();
        assert_eq!(
            fields,
            [
                ("企业名称", Some(Field::Name)),
                ("统一社会信用代码", Some(Field::Uscc)),
                ("联系人·姓名", Some(Field::Contact)),
                ("联系人·电话", Some(Field::Phone)),
                ("主要负责人·姓名", Some(Field::Principal)),
                ("主要负责人·电话", None),
                ("镇街", Some(Field::Region)),
            ]
        );
        assert_eq!(l.rows.len(), 1);
        assert_eq!(l.rows[0].row, 4);
        assert_eq!(l.rows[0].get(Field::Contact), "王五");
        assert_eq!(l.rows[0].get(Field::Phone), "13800000001");
        assert_eq!(l.rows[0].get(Field::Principal), "赵六");
        assert!(l.skipped.is_empty());

        // Unmerged (CSV): the group named once, the cells under the name row left empty.
        let g = grid(&[
            &["企业名称", "统一社会信用代码", "镇街", "联系人", ""],
            &["", "", "", "姓名", "电话"],
            &[
                "甲公司",
                "91330106MA2BC0001U",
                "示例镇",
                "王五",
                "13800000001",
            ],
        ]);
        let l = locate(&g).unwrap();
        assert_eq!((l.header_row, l.header_end), (1, 2));
        assert_eq!(l.rows[0].get(Field::Contact), "王五");
        assert_eq!(l.rows[0].get(Field::Phone), "13800000001");

        // A header followed by data is one row, even when a data row is nearly empty.
        let g = grid(&[
            &["企业名称", "统一社会信用代码", "镇街", "联系人"],
            &["", "", "示例镇", "王五"],
        ]);
        let l = locate(&g).unwrap();
        assert_eq!((l.header_row, l.header_end), (1, 1));
        assert_eq!(l.rows.len(), 1);
    }

    #[test]
    fn a_person_chooses_the_header_and_the_fields() {
        let g = grid(&[
            &["单位", "代码", "所在地", "备注"],
            &["甲公司", "91330106MA2BC0001U", "示例镇", "无"],
        ]);
        assert_eq!(locate(&g), Err(LayoutError::NoHeader));
        let mut choices = Choices {
            header_row: Some(1),
            ..Choices::default()
        };
        assert_eq!(locate_with(&g, &choices), Err(LayoutError::NotAHeader(1)));
        choices.fields = [
            (0, Some(Field::Name)),
            (1, Some(Field::Uscc)),
            (2, Some(Field::Region)),
        ]
        .into();
        let l = locate_with(&g, &choices).unwrap();
        assert!(l.missing.is_empty());
        assert_eq!(l.rows[0].get(Field::Region), "示例镇");
        assert_eq!(l.column_of(Field::Uscc).unwrap().describe(), "B列（代码）");
        // A chosen field moves from the column that named it; "not imported" is a choice too.
        let g = grid(&[
            &["企业名称", "统一社会信用代码", "镇街", "联系电话", "手机"],
            &[
                "甲公司",
                "91330106MA2BC0001U",
                "示例镇",
                "0571-88880001",
                "13800000001",
            ],
        ]);
        let choices = Choices {
            header_row: None,
            fields: [(4, Some(Field::Phone)), (2, None)].into(),
        };
        let l = locate_with(&g, &choices).unwrap();
        assert_eq!(l.rows[0].get(Field::Phone), "13800000001");
        assert_eq!(l.missing, [Field::Region]);
        assert_eq!(locate_at(&g, 9), Err(LayoutError::NotAHeader(9)));
    }
}
