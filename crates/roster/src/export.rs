//! Writing rosters: an export (`.xlsx`, or `.csv` in UTF-8 with a BOM, as Excel and WPS open it)
//! in the columns the import reads, and the blank import template. The files are written by
//! `safeduty_office` (its `xlsx` and `csv` modules), so every text cell follows
//! `safeduty_core::cell`: a formula-like value is an apostrophe-prefixed field in CSV and a
//! quote-prefixed string cell in XLSX, so that nothing a person typed runs when the file is opened.
//! Codes and phones are written as text, never as numbers.

use safeduty_core::roster::{Field, Line};
use safeduty_office::xlsx::{Sheet, Workbook};

/// The formats a roster is exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An Excel workbook.
    Xlsx,
    /// CSV, UTF-8 with a byte-order mark, CRLF line ends.
    Csv,
}

impl Format {
    /// `xlsx` or `csv`.
    pub fn code(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
        }
    }

    /// The format named `xlsx` or `csv` (any case).
    pub fn from_code(code: &str) -> Option<Format> {
        match code.to_ascii_lowercase().as_str() {
            "xlsx" => Some(Format::Xlsx),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// The media type of the file.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }
}

/// Why a file could not be written (an internal failure of the workbook writer).
#[derive(Debug, thiserror::Error)]
#[error("名单文件生成失败：{0}")]
pub struct WriteError(String);

impl From<safeduty_office::Error> for WriteError {
    fn from(e: safeduty_office::Error) -> Self {
        WriteError(e.to_string())
    }
}

/// Name of the sheet that holds the roster.
pub const SHEET_NAME: &str = "企业名单";

/// Column widths in characters, in [`Field::ALL`] order.
const WIDTHS: [f64; 11] = [
    36.0, 22.0, 14.0, 14.0, 18.0, 8.0, 36.0, 12.0, 12.0, 12.0, 16.0,
];

/// The roster `lines` as a file: a header row of the field labels, then one row per line.
///
/// # Errors
/// [`WriteError`] when the workbook writer fails.
pub fn write(format: Format, lines: &[Line]) -> Result<Vec<u8>, WriteError> {
    match format {
        Format::Xlsx => xlsx(lines, false),
        Format::Csv => Ok(csv(lines)),
    }
}

/// The blank import template: the roster sheet with its header row (every column formatted as
/// text, so that codes and phones typed in stay text), and a sheet of notes — what each column
/// takes, with an example row. The example is on the notes sheet so that it is never imported.
///
/// # Errors
/// [`WriteError`] when the workbook writer fails.
pub fn template() -> Result<Vec<u8>, WriteError> {
    xlsx(&[], true)
}

fn csv(lines: &[Line]) -> Vec<u8> {
    safeduty_office::csv::write(&Field::ALL.map(Field::label), lines)
}

fn xlsx(lines: &[Line], with_notes: bool) -> Result<Vec<u8>, WriteError> {
    let columns: Vec<(&str, f64)> = Field::ALL.iter().map(|f| f.label()).zip(WIDTHS).collect();
    let mut sheet = Sheet::table(SHEET_NAME, &columns)?.text_columns();
    for line in lines {
        sheet.push_row(line)?;
    }
    let mut book = Workbook::new(SHEET_NAME);
    book.push(sheet)?;
    if with_notes {
        book.push(notes()?)?;
    }
    Ok(book.save()?)
}

/// What each column takes, with an example value (invented names, a code with a valid check
/// character).
const NOTES: [(Field, &str, &str); 11] = [
    (Field::Name, "营业执照上的企业全称", "示例机械制造有限公司"),
    (
        Field::Uscc,
        "18位统一社会信用代码；本列为文本格式，请勿改为数字（会变成科学计数法，代码无法还原）",
        "91330106MA2BC0001U",
    ),
    (
        Field::Industry,
        "细分行业（如机械制造、仓储物流）或八大行业名称，按安委办的行业对照表归类；空白按“其他”",
        "机械制造",
    ),
    (
        Field::Region,
        "所属镇、街道或开发区的名称；有重名时填代码",
        "东湖街道",
    ),
    (
        Field::Department,
        "行业领域主管部门全称；空白时按行业确定",
        "区应急管理局",
    ),
    (Field::IsKey, "是 或 否", "是"),
    (Field::Address, "生产经营地址", "示例路1号"),
    (Field::Principal, "主要负责人姓名", "王某"),
    (
        Field::SafetyManager,
        "安全管理人员姓名，多人用顿号分隔",
        "李某、张某",
    ),
    (Field::Contact, "联系人姓名", "李某"),
    (
        Field::Phone,
        "手机号或带区号的固定电话；本列为文本格式",
        "0571-88880001",
    ),
];

fn notes() -> Result<Sheet, WriteError> {
    let mut sheet = Sheet::new("填写说明").wrap_text().text_columns();
    sheet.note(
        0,
        "在“企业名单”工作表第1行表头之下逐行填写，每家企业一行；表头请勿修改。按统一社会信用代码匹配已有企业，空白单元格不会覆盖已有内容。",
    )?;
    sheet.widths(&[16.0, 10.0, 60.0, 24.0])?;
    sheet.header(2, &["列名", "是否必填", "填写要求", "示例"])?;
    for (f, what, example) in NOTES {
        let required = if Field::REQUIRED.contains(&f) {
            "必填"
        } else {
            "选填"
        };
        sheet.push_row([f.label(), required, what, example])?;
    }
    Ok(sheet)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_cover_every_column_in_order_with_a_valid_example_code() {
        let fields: Vec<Field> = NOTES.iter().map(|(f, _, _)| *f).collect();
        assert_eq!(fields, Field::ALL);
        let code = NOTES[1].2;
        assert!(
            safeduty_core::uscc::Uscc::parse(code)
                .unwrap()
                .check_digit_ok()
        );
        assert_eq!(Format::from_code("XLSX"), Some(Format::Xlsx));
        assert_eq!(Format::from_code("xls"), None);
    }
}
