//! `.xlsx` workbooks (Excel, WPS) with calamine. Cells are streamed, so a sheet whose styles reach
//! row 1 048 576 costs only its real content; values become text as a person sees them (dates as
//! `YYYY-MM-DD`, whole numbers without `.0`, numbers too long to be exact in scientific notation,
//! so that a credit code Excel turned into a number is recognized as destroyed); merged regions
//! are filled from their anchor cell.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{DataRef, Reader, SheetVisible, Xlsx};
use safeduty_core::roster::layout::locate;
use safeduty_core::roster::{Grid, GridRow};

use crate::{MAX_COLUMNS, MAX_ROWS, ReadError, Sheet, Source, too_many_rows};

/// Whole numbers below this are shown exactly (Excel keeps 15 significant digits).
const EXACT_LIMIT: f64 = 1e15;

pub(crate) fn read(bytes: &[u8]) -> Result<Sheet, ReadError> {
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
            cells.entry(row).or_default().insert(col, text);
        }
    }
    let Some(&last_row) = cells.keys().next_back() else {
        return Ok(Grid::default());
    };
    for m in merged {
        let (r0, c0) = m.start;
        let (r1, c1) = m.end;
        let Some(anchor) = cells.get(&r0).and_then(|r| r.get(&c0)).cloned() else {
            continue;
        };
        // A region reaching past the data (a styled block to the sheet's end) stops there.
        for r in r0..=r1.min(last_row) {
            for c in c0..=c1.min(MAX_COLUMNS as u32 - 1) {
                if (r, c) != (r0, c0) {
                    cells.entry(r).or_default().insert(c, anchor.clone());
                }
            }
        }
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
    use super::number_text;

    #[test]
    fn numbers_as_excel_shows_them() {
        assert_eq!(number_text(13800000001.0), "13800000001");
        assert_eq!(number_text(10010.0), "10010");
        assert_eq!(number_text(0.5), "0.5");
        assert_eq!(number_text(913301067314159280.0), "9.133010673141592E+17");
    }
}
