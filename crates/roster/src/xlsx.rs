//! `.xlsx` workbooks (Excel, WPS) with calamine. Cells are streamed, so a sheet whose styles reach
//! row 1 048 576 costs only its real content; values become text as a person sees them (dates as
//! `YYYY-MM-DD`, whole numbers without `.0`, numbers too long to be exact in scientific notation,
//! so that a credit code Excel turned into a number is recognized as destroyed); merged regions
//! are filled from their anchor cell within the rows and columns that hold values
//! ([`fill_merged`]). The package is measured before it is read ([`crate::package`]).

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{DataRef, Dimensions, Reader, SheetVisible, Xlsx};
use safeduty_core::roster::layout::locate;
use safeduty_core::roster::{Grid, GridRow};

use crate::{
    MAX_CELLS, MAX_COLUMNS, MAX_MERGED_TEXT, MAX_ROWS, ReadError, Sheet, Source, too_many_cells,
    too_many_rows,
};

/// Whole numbers below this are shown exactly (Excel keeps 15 significant digits).
const EXACT_LIMIT: f64 = 1e15;

pub(crate) fn read(bytes: &[u8]) -> Result<Sheet, ReadError> {
    crate::package::check(bytes)?;
    let bad = |e: calamine::XlsxError| ReadError::BadWorkbook(e.to_string());
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(bad)?;
    let names: Vec<String> = wb
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible == SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    let mut first_non_empty: Option<Sheet> = None;
    for name in names {
        let grid = read_sheet(&mut wb, &name)?;
        if grid.rows.is_empty() {
            continue;
        }
        let sheet = Sheet {
            grid,
            source: Source::Xlsx { sheet: name },
        };
        if locate(&sheet.grid).is_ok() {
            return Ok(sheet);
        }
        first_non_empty.get_or_insert(sheet);
    }
    Ok(first_non_empty.unwrap_or(Sheet {
        grid: Grid::default(),
        source: Source::Xlsx {
            sheet: String::new(),
        },
    }))
}

fn read_sheet(wb: &mut Xlsx<Cursor<&[u8]>>, name: &str) -> Result<Grid, ReadError> {
    let bad = |e: calamine::XlsxError| ReadError::BadWorkbook(e.to_string());
    let merged = wb.merge_cells_by_sheet_name(name).map_err(bad)?;
    // Row → column → text, only cells with a value.
    let mut cells: BTreeMap<u32, BTreeMap<u32, String>> = BTreeMap::new();
    let mut count = 0usize;
    {
        let mut reader = wb.worksheet_cells_reader(name).map_err(bad)?;
        while let Some(cell) = reader.next_cell().map_err(bad)? {
            let (row, col) = cell.get_position();
            if col as usize >= MAX_COLUMNS {
                continue;
            }
            let Some(text) = text_of(cell.get_value()) else {
                continue;
            };
            if !cells.contains_key(&row) && cells.len() >= MAX_ROWS {
                return Err(too_many_rows());
            }
            if cells.entry(row).or_default().insert(col, text).is_none() {
                count += 1;
                if count > MAX_CELLS {
                    return Err(too_many_cells());
                }
            }
        }
    }
    if cells.is_empty() {
        return Ok(Grid::default());
    }
    fill_merged(&mut cells, &merged, name)?;
    let positions: usize = cells
        .values()
        .map(|cols| cols.keys().next_back().map_or(0, |c| *c as usize + 1))
        .sum();
    if positions > MAX_CELLS {
        return Err(too_many_cells());
    }
    let rows = cells
        .into_iter()
        .map(|(r, cols)| {
            let width = cols.keys().next_back().map_or(0, |c| *c as usize + 1);
            let mut v = vec![String::new(); width];
            for (c, t) in cols {
                v[c as usize] = t;
            }
            GridRow {
                number: r + 1,
                cells: v,
            }
        })
        .collect();
    Ok(Grid { rows })
}

/// Fills the cells of each merged region from its anchor, bounded by what is kept: only rows that
/// have a value of their own (a row holding nothing but the copy of a merged anchor is not data)
/// and columns up to the last one with a value. A region the size of a sheet (case B35:
/// A1:HZ30000 around one title) thus costs the few cells it meets, never one per position; and
/// when the regions would still fill more than [`MAX_CELLS`] cells or copy more than
/// [`MAX_MERGED_TEXT`] bytes, the sheet is refused naming the region.
fn fill_merged(
    cells: &mut BTreeMap<u32, BTreeMap<u32, String>>,
    merged: &[Dimensions],
    sheet: &str,
) -> Result<(), ReadError> {
    // Rows with a value, in order, and the last column with one.
    let rows: Vec<u32> = cells.keys().copied().collect();
    let last_col = cells
        .values()
        .filter_map(|cols| cols.keys().next_back().copied())
        .max()
        .unwrap_or(0);
    let kept: usize = cells.values().map(BTreeMap::len).sum();
    let mut filled = 0usize;
    let mut copied = 0usize;
    let mut plan: Vec<(&Dimensions, String, std::ops::Range<usize>, u32)> = Vec::new();
    for m in merged {
        let (r0, c0) = m.start;
        let (r1, c1) = m.end;
        if r1 < r0 || c1 < c0 || c0 > last_col {
            continue;
        }
        let Some(anchor) = cells.get(&r0).and_then(|r| r.get(&c0)).cloned() else {
            continue;
        };
        let c_end = c1.min(last_col);
        let from = rows.partition_point(|r| *r < r0);
        let to = rows.partition_point(|r| *r <= r1);
        let n = (to - from) * (c_end - c0 + 1) as usize - 1;
        filled += n;
        copied = copied.saturating_add(n.saturating_mul(anchor.len()));
        if kept + filled > MAX_CELLS || copied > MAX_MERGED_TEXT {
            return Err(ReadError::MergedRegion {
                sheet: sheet.to_string(),
                region: format!("{}:{}", a1(r0, c0), a1(r1, c1)),
                cells: filled,
            });
        }
        plan.push((m, anchor, from..to, c_end));
    }
    for (m, anchor, range, c_end) in plan {
        let (r0, c0) = m.start;
        for &r in &rows[range] {
            let row = cells.entry(r).or_default();
            for c in c0..=c_end {
                if (r, c) != (r0, c0) {
                    row.insert(c, anchor.clone());
                }
            }
        }
    }
    Ok(())
}

/// A cell's A1 reference from its 0-based row and column (`(0, 0)` → `A1`).
fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        c = (c - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}

/// A cell's value as text, `None` for an empty cell.
fn text_of(v: &DataRef<'_>) -> Option<String> {
    let t = match v {
        DataRef::Empty => return None,
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(dt) => {
            if dt.is_datetime()
                && let Some(d) = dt.as_datetime()
            {
                if d.time() == chrono::NaiveTime::MIN {
                    d.date().format("%Y-%m-%d").to_string()
                } else {
                    d.format("%Y-%m-%d %H:%M:%S").to_string()
                }
            } else {
                number_text(dt.as_f64())
            }
        }
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
    };
    (!t.is_empty()).then_some(t)
}

/// A number as Excel's General format would show it: whole numbers exactly while they are exact,
/// larger ones in scientific notation (`9.13301067314159E+17`: the digits are gone).
pub(crate) fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < EXACT_LIMIT {
        return format!("{}", f as i64);
    }
    if f.abs() >= EXACT_LIMIT {
        let s = format!("{f:E}");
        return match s.split_once('E') {
            Some((m, e)) if !e.starts_with('-') => format!("{m}E+{e}"),
            _ => s,
        };
    }
    format!("{f}")
}

#[cfg(test)]
mod tests {
    use super::{a1, number_text};

    #[test]
    fn a1_references() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(19_999, 199), "GR20000");
        assert_eq!(a1(29_999, 233), "HZ30000");
        assert_eq!(a1(0, 26), "AA1");
    }

    #[test]
    fn numbers_as_excel_shows_them() {
        assert_eq!(number_text(13800000001.0), "13800000001");
        assert_eq!(number_text(10010.0), "10010");
        assert_eq!(number_text(0.5), "0.5");
        assert_eq!(number_text(913301067314159280.0), "9.133010673141592E+17");
    }
}
