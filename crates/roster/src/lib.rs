//! Roster file readers: the bytes of an `.xlsx` workbook (Excel, WPS) or a `.csv` file (UTF-8
//! with or without BOM, GBK/GB18030) into a [`Grid`] of text cells. No file-system access: the
//! caller reads the file or the upload. What the cells mean is decided in
//! `safeduty_core::roster`.
//!
//! [`export`] writes rosters the other way: an export in the same columns, and the blank template.
//!
//! The kind of file is told from its content, not its name: a ZIP container is a workbook, an
//! OLE2 container (an old `.xls`, or a workbook renamed) is refused with a message to save it as
//! `.xlsx`, anything else is read as CSV.

mod csv_file;
pub mod export;
pub mod package;
mod xlsx;

use safeduty_core::roster::Grid;
use serde::Serialize;

/// Largest file accepted, in bytes.
pub const MAX_BYTES: usize = 30 * 1024 * 1024;
/// Most rows with content accepted from one sheet.
pub const MAX_ROWS: usize = 200_000;
/// Most columns read from one row.
pub const MAX_COLUMNS: usize = 200;
/// Most cells a sheet may put in the grid, counting the empty cells before the last one of each
/// row and the cells filled from merged regions: what is kept bounds what is read (issue #16).
pub const MAX_CELLS: usize = 4_000_000;
/// Most bytes of text copied from anchors into the other cells of merged regions.
pub const MAX_MERGED_TEXT: usize = 64 * 1024 * 1024;

/// What was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// The rows with content.
    pub grid: Grid,
    /// How the file was read, e.g. `xlsx（工作表“Sheet1”）` or `CSV（GB18030）`.
    pub source: Source,
}

/// How a file was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "format", rename_all = "snake_case")]
pub enum Source {
    /// A workbook; the sheet read.
    Xlsx {
        /// Sheet name.
        sheet: String,
    },
    /// CSV text.
    Csv {
        /// `UTF-8`, `UTF-8 BOM`, `GB18030`.
        encoding: &'static str,
    },
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Xlsx { sheet } => write!(f, "xlsx 工作簿（工作表“{sheet}”）"),
            Source::Csv { encoding } => write!(f, "CSV 文件（{encoding} 编码）"),
        }
    }
}

/// Why a file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// An OLE2 container: an old `.xls`, an encrypted workbook, or a file renamed.
    #[error(
        "这是旧版 Excel 97-2003（.xls）或加密的工作簿，无法读取；请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）后再导入"
    )]
    Ole2,
    /// A ZIP container that is not a readable workbook.
    #[error("工作簿无法读取（文件可能已损坏，或不是 .xlsx）：{0}")]
    BadWorkbook(String),
    /// Text in no encoding we know.
    #[error("文件编码无法识别：请另存为 UTF-8 或 GBK 编码的 CSV，或 .xlsx 工作簿")]
    Encoding,
    /// CSV that cannot be parsed.
    #[error("CSV 文件第{line}行无法读取：{reason}")]
    BadCsv {
        /// Line number.
        line: u64,
        /// Why.
        reason: String,
    },
    /// Nothing in the file.
    #[error("文件是空的，没有任何内容")]
    Empty,
    /// A part of a workbook inflates past a bound ([`package`]).
    #[error("工作簿无法读取：其中的“{part}”{what}，可能是恶意构造的文件")]
    Inflated {
        /// The part of the package.
        part: String,
        /// Which bound, in words.
        what: String,
    },
    /// A merged region would fill more cells than a sheet may hold.
    #[error(
        "工作表“{sheet}”中的合并单元格 {region} 过大（需要填充 {cells} 个单元格，超过上限），请取消合并后再导入"
    )]
    MergedRegion {
        /// The sheet.
        sheet: String,
        /// The region, e.g. `A1:GR20000`.
        region: String,
        /// How many cells filling it would take (with the regions before it).
        cells: usize,
    },
    /// Too big.
    #[error("文件过大：超过{limit}")]
    TooLarge {
        /// The limit passed, in words.
        limit: String,
    },
}

const OLE2_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const ZIP_MAGIC: [u8; 4] = [b'P', b'K', 0x03, 0x04];

/// Reads a roster file's bytes.
///
/// # Errors
/// See [`ReadError`].
pub fn read(bytes: &[u8]) -> Result<Sheet, ReadError> {
    if bytes.len() > MAX_BYTES {
        return Err(ReadError::TooLarge {
            limit: format!("{} MB", MAX_BYTES / 1024 / 1024),
        });
    }
    if bytes.starts_with(&OLE2_MAGIC) {
        return Err(ReadError::Ole2);
    }
    let sheet = if bytes.starts_with(&ZIP_MAGIC) {
        xlsx::read(bytes)?
    } else {
        csv_file::read(bytes)?
    };
    if sheet.grid.rows.is_empty() {
        return Err(ReadError::Empty);
    }
    Ok(sheet)
}

fn too_many_rows() -> ReadError {
    ReadError::TooLarge {
        limit: format!("{MAX_ROWS}行"),
    }
}

fn too_many_cells() -> ReadError {
    ReadError::TooLarge {
        limit: format!("{MAX_CELLS}个单元格"),
    }
}
