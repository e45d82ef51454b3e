//! Spreadsheets (`.xlsx`) in one house style: a header row in bold on a light blue ground with
//! thin borders, frozen under the window; column widths in characters; text that stays inert
//! (`safeduty_core::cell`: a formula-like value is a quote-prefixed string cell, shared case
//! B11, so nothing a person typed runs when the file is opened); dates as date cells shown
//! `yyyy-mm-dd`; amounts in fen shown as yuan `#,##0.00`; sheet names made valid and unique.
//!
//! A table sheet in a few lines:
//!
//! ```
//! use safeduty_office::xlsx::{Cell, Sheet, Workbook};
//! # fn main() -> Result<(), safeduty_office::Error> {
//! let mut sheet = Sheet::table("整改指令", &[("序号", 6.0), ("企业名称", 30.0), ("整改期限", 12.0)])?;
//! let due = chrono::NaiveDate::from_ymd_opt(2024, 7, 31).unwrap();
//! sheet.push_row([Cell::from(1), "示例有限公司".into(), due.into()])?;
//! let mut book = Workbook::new("整改指令");
//! book.push(sheet)?;
//! let bytes: Vec<u8> = book.save()?;
//! # assert!(bytes.starts_with(b"PK"));
//! # Ok(()) }
//! ```

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Worksheet,
};
use safeduty_core::cell::needs_quote_prefix;

use crate::Error;

/// The longest sheet name Excel accepts, in UTF-16 code units.
pub const SHEET_NAME_MAX: usize = 31;

/// Characters Excel refuses in a sheet name.
pub const SHEET_NAME_FORBIDDEN: [char; 7] = ['[', ']', ':', '*', '?', '/', '\\'];

/// Number format of date cells.
pub const DATE_FORMAT: &str = "yyyy-mm-dd";

/// Number format of amounts (yuan, two decimals, thousands separated).
pub const MONEY_FORMAT: &str = "#,##0.00";

/// Background of the header row (RGB).
pub const HEADER_COLOR: u32 = 0xDDEBF7;

/// `name` as a valid sheet name: the characters `[]:*?/\` dropped, apostrophes trimmed from
/// both ends, cut to [`SHEET_NAME_MAX`] UTF-16 units (never inside a character); `Sheet` when
/// nothing is left.
pub fn sheet_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| !SHEET_NAME_FORBIDDEN.contains(c) && !c.is_control())
        .collect();
    let cut = cut_utf16(cleaned.trim_matches('\''), SHEET_NAME_MAX);
    let cut = cut.trim_matches('\'');
    if cut.trim().is_empty() {
        "Sheet".to_string()
    } else {
        cut.to_string()
    }
}

/// The longest prefix of `s` of at most `max` UTF-16 code units.
fn cut_utf16(s: &str, max: usize) -> &str {
    let mut units = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > max {
            return &s[..i];
        }
    }
    s
}

/// One cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    /// Nothing is written.
    Empty,
    /// A string cell; empty text writes nothing, formula-like text is quote-prefixed.
    Text(Cow<'a, str>),
    /// A number cell, in the general format.
    Number(f64),
    /// A date cell in [`DATE_FORMAT`].
    Date(NaiveDate),
    /// An amount in fen (1/100 yuan), written as yuan in [`MONEY_FORMAT`].
    Fen(i64),
}

impl<'a> From<&'a str> for Cell<'a> {
    fn from(s: &'a str) -> Self {
        Cell::Text(Cow::Borrowed(s))
    }
}

impl<'a> From<&'a String> for Cell<'a> {
    fn from(s: &'a String) -> Self {
        Cell::Text(Cow::Borrowed(s))
    }
}

impl From<String> for Cell<'_> {
    fn from(s: String) -> Self {
        Cell::Text(Cow::Owned(s))
    }
}

impl From<NaiveDate> for Cell<'_> {
    fn from(d: NaiveDate) -> Self {
        Cell::Date(d)
    }
}

impl From<f64> for Cell<'_> {
    fn from(v: f64) -> Self {
        Cell::Number(v)
    }
}

impl From<i64> for Cell<'_> {
    fn from(v: i64) -> Self {
        Cell::Number(v as f64)
    }
}

impl From<i32> for Cell<'_> {
    fn from(v: i32) -> Self {
        Cell::Number(f64::from(v))
    }
}

impl From<u32> for Cell<'_> {
    fn from(v: u32) -> Self {
        Cell::Number(f64::from(v))
    }
}

impl From<usize> for Cell<'_> {
    fn from(v: usize) -> Self {
        Cell::Number(v as f64)
    }
}

impl<'a, T: Into<Cell<'a>>> From<Option<T>> for Cell<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Empty, Into::into)
    }
}

/// The formats of one sheet, derived from its options.
#[derive(Debug, Clone)]
struct Formats {
    header: Format,
    text: Format,
    inert: Format,
    note: Format,
    date: Format,
    money: Format,
}

impl Formats {
    fn new(wrap: bool, as_text: bool) -> Formats {
        let text = |f: Format| {
            let f = if wrap { f.set_text_wrap() } else { f };
            if as_text { f.set_num_format("@") } else { f }
        };
        Formats {
            header: Format::new()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(HEADER_COLOR))
                .set_border(FormatBorder::Thin),
            text: text(Format::new()),
            inert: text(Format::new()).set_quote_prefix(),
            note: Format::new(),
            date: Format::new().set_num_format(DATE_FORMAT),
            money: Format::new().set_num_format(MONEY_FORMAT),
        }
    }
}

/// A worksheet under construction: a table (a header row, then rows) or a free sheet. Added
/// to a [`Workbook`] with [`Workbook::push`], which names it.
pub struct Sheet {
    ws: Worksheet,
    name: String,
    columns: u16,
    next_row: u32,
    wrap: bool,
    as_text: bool,
    landscape: bool,
    filter: bool,
    formats: Formats,
}

impl std::fmt::Debug for Sheet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sheet")
            .field("name", &self.name)
            .field("columns", &self.columns)
            .field("next_row", &self.next_row)
            .finish_non_exhaustive()
    }
}

impl Sheet {
    /// An empty sheet that will be named `name` (made valid by [`sheet_name`]).
    pub fn new(name: &str) -> Sheet {
        Sheet {
            ws: Worksheet::new(),
            name: name.to_string(),
            columns: 0,
            next_row: 0,
            wrap: false,
            as_text: false,
            landscape: false,
            filter: false,
            formats: Formats::new(false, false),
        }
    }

    /// A table: `columns` as (header, width in characters), the header row first and frozen;
    /// [`Sheet::push_row`] adds the rows below it.
    ///
    /// # Errors
    /// [`Error::Xlsx`] when a width is out of Excel's range or there are over 16,384 columns.
    pub fn table(name: &str, columns: &[(&str, f64)]) -> Result<Sheet, Error> {
        let mut s = Sheet::new(name);
        let (labels, widths): (Vec<&str>, Vec<f64>) = columns.iter().copied().unzip();
        s.widths(&widths)?;
        s.header(0, &labels)?;
        s.ws.set_freeze_panes(1, 0)?;
        Ok(s)
    }

    /// Text cells wrap within their column width.
    pub fn wrap_text(mut self) -> Sheet {
        self.wrap = true;
        self.formats = Formats::new(self.wrap, self.as_text);
        self
    }

    /// Text cells, and the table's columns (so what someone types in later), are in Excel's
    /// text format `@`: codes and phone numbers stay text, never numbers.
    pub fn text_columns(mut self) -> Sheet {
        self.as_text = true;
        self.formats = Formats::new(self.wrap, self.as_text);
        self
    }

    /// Printed on A4 landscape, all columns one page wide, the header row on every page.
    pub fn landscape_a4(mut self) -> Sheet {
        self.landscape = true;
        self
    }

    /// An autofilter on the header row, over the rows written.
    pub fn autofilter(mut self) -> Sheet {
        self.filter = true;
        self
    }

    /// Sets the widths of the first columns, in characters.
    ///
    /// # Errors
    /// [`Error::Xlsx`] when a width is out of Excel's range.
    pub fn widths(&mut self, widths: &[f64]) -> Result<(), Error> {
        for (col, w) in widths.iter().enumerate() {
            self.ws.set_column_width(col_num(col)?, *w)?;
        }
        self.columns = self.columns.max(col_num(widths.len())?);
        Ok(())
    }

    /// Writes `labels` as a header row at `row`, in the header style.
    ///
    /// # Errors
    /// [`Error::Xlsx`] when a cell is out of Excel's range.
    pub fn header(&mut self, row: u32, labels: &[&str]) -> Result<(), Error> {
        for (col, label) in labels.iter().enumerate() {
            self.ws
                .write_string_with_format(row, col_num(col)?, *label, &self.formats.header)?;
        }
        self.columns = self.columns.max(col_num(labels.len())?);
        self.next_row = self.next_row.max(row.saturating_add(1));
        Ok(())
    }

    /// Writes `text` at `row`, column A, unwrapped: a line of explanation above or below a
    /// table. Formula-like text is inert.
    ///
    /// # Errors
    /// [`Error::Xlsx`] when the cell is out of Excel's range.
    pub fn note(&mut self, row: u32, text: &str) -> Result<(), Error> {
        let f = if needs_quote_prefix(text) {
            self.formats.note.clone().set_quote_prefix()
        } else {
            self.formats.note.clone()
        };
        self.ws.write_string_with_format(row, 0, text, &f)?;
        self.next_row = self.next_row.max(row.saturating_add(1));
        Ok(())
    }

    /// Writes `cell` at (`row`, `col`), both from 0.
    ///
    /// # Errors
    /// [`Error::Xlsx`] when the cell is out of Excel's range or a date is outside 1900–9999.
    pub fn write<'a>(
        &mut self,
        row: u32,
        col: u16,
        cell: impl Into<Cell<'a>>,
    ) -> Result<(), Error> {
        let f = &self.formats;
        match cell.into() {
            Cell::Empty => return Ok(()),
            Cell::Text(t) if t.is_empty() => return Ok(()),
            Cell::Text(t) => {
                let format = if needs_quote_prefix(&t) {
                    &f.inert
                } else {
                    &f.text
                };
                self.ws
                    .write_string_with_format(row, col, t.as_ref(), format)?;
            }
            Cell::Number(v) => {
                self.ws.write_number(row, col, v)?;
            }
            Cell::Date(d) => {
                self.ws
                    .write_datetime_with_format(row, col, excel_date(d)?, &f.date)?;
            }
            Cell::Fen(fen) => {
                self.ws
                    .write_number_with_format(row, col, fen as f64 / 100.0, &f.money)?;
            }
        }
        self.next_row = self.next_row.max(row.saturating_add(1));
        Ok(())
    }

    /// Writes `cells` from column A in the row below the last one written, and returns that
    /// row's index.
    ///
    /// # Errors
    /// [`Error::Xlsx`] as [`Sheet::write`].
    pub fn push_row<'a, I>(&mut self, cells: I) -> Result<u32, Error>
    where
        I: IntoIterator,
        I::Item: Into<Cell<'a>>,
    {
        let row = self.next_row;
        for (col, cell) in cells.into_iter().enumerate() {
            self.write(row, col_num(col)?, cell)?;
        }
        self.next_row = row.saturating_add(1);
        Ok(row)
    }

    /// The number of rows written (the header included): the index of the next pushed row.
    pub fn rows(&self) -> u32 {
        self.next_row
    }

    /// Applies the options that need the whole sheet, and names it.
    fn finish(mut self, name: &str) -> Result<Worksheet, Error> {
        if self.as_text {
            let text = Format::new().set_num_format("@");
            for col in 0..self.columns {
                self.ws.set_column_format(col, &text)?;
            }
        }
        if self.landscape {
            self.ws.set_landscape();
            self.ws.set_paper_size(9);
            self.ws.set_print_fit_to_pages(1, 0);
            self.ws.set_repeat_rows(0, 0)?;
        }
        if self.filter && self.columns > 0 {
            self.ws
                .autofilter(0, 0, self.next_row.saturating_sub(1), self.columns - 1)?;
        }
        self.ws.set_name(name)?;
        Ok(self.ws)
    }
}

fn col_num(col: usize) -> Result<u16, Error> {
    u16::try_from(col).map_err(|_| Error::Xlsx(rust_xlsxwriter::XlsxError::RowColumnLimitError))
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, Error> {
    Ok(ExcelDateTime::from_ymd(
        u16::try_from(d.year()).unwrap_or(1900),
        d.month() as u8,
        d.day() as u8,
    )?)
}

/// A workbook: sheets added in order, then saved to bytes.
pub struct Workbook {
    wb: rust_xlsxwriter::Workbook,
    names: Vec<String>,
}

impl std::fmt::Debug for Workbook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workbook")
            .field("names", &self.names)
            .finish_non_exhaustive()
    }
}

impl Workbook {
    /// An empty workbook whose document properties carry `title` and the author `safeduty`.
    pub fn new(title: &str) -> Workbook {
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.set_properties(&DocProperties::new().set_title(title).set_author("safeduty"));
        Workbook {
            wb,
            names: Vec::new(),
        }
    }

    /// Adds `sheet` after the others, named by [`sheet_name`] and made unique in the workbook
    /// (Excel compares names without case; `History` is reserved): a taken name gets ` (2)`,
    /// ` (3)`… within the 31 units. Returns the name given.
    ///
    /// # Errors
    /// [`Error::Xlsx`] when an option cannot be applied (a limit of the format).
    pub fn push(&mut self, sheet: Sheet) -> Result<String, Error> {
        let base = sheet_name(&sheet.name);
        let taken = |n: &str| {
            n.eq_ignore_ascii_case("History")
                || self
                    .names
                    .iter()
                    .any(|t| t.to_lowercase() == n.to_lowercase())
        };
        let mut name = base.clone();
        let mut k = 2;
        while taken(&name) {
            let suffix = format!(" ({k})");
            name = format!(
                "{}{suffix}",
                cut_utf16(&base, SHEET_NAME_MAX - suffix.len()).trim_end()
            );
            k += 1;
        }
        let ws = sheet.finish(&name)?;
        self.wb.push_worksheet(ws);
        self.names.push(name.clone());
        Ok(name)
    }

    /// The `.xlsx` bytes.
    ///
    /// # Errors
    /// [`Error::Xlsx`] when the writer fails.
    pub fn save(mut self) -> Result<Vec<u8>, Error> {
        Ok(self.wb.save_to_buffer()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_cut() {
        assert_eq!(sheet_name("a[b]c:d*e?f/g\\h"), "abcdefgh");
        assert_eq!(sheet_name("'引号'"), "引号");
        assert_eq!(sheet_name("[]"), "Sheet");
        let long = "长".repeat(40);
        assert_eq!(sheet_name(&long), "长".repeat(31));
        // A character outside the BMP counts two units and is never split.
        let astral = format!("{}𠀀", "a".repeat(30));
        assert_eq!(sheet_name(&astral), "a".repeat(30));
        for n in ["2024/07/01", "附件1：统计表", &long] {
            rust_xlsxwriter::utility::check_sheet_name(&sheet_name(n)).unwrap();
        }
    }

    #[test]
    fn a_taken_name_gets_a_number() {
        let mut book = Workbook::new("t");
        let long = "表".repeat(40);
        let names: Vec<String> = ["汇总", "汇总", "HISTORY", &long, &long]
            .iter()
            .map(|n| book.push(Sheet::new(n)).unwrap())
            .collect();
        assert_eq!(names[..3], ["汇总", "汇总 (2)", "HISTORY (2)"]);
        assert_eq!(names[3], "表".repeat(31));
        assert_eq!(names[4], format!("{} (2)", "表".repeat(27)));
        for n in &names {
            rust_xlsxwriter::utility::check_sheet_name(n).unwrap();
        }
        book.save().unwrap();
    }
}
