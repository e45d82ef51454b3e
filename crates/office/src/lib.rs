//! What safeduty writes for Word and Excel, in one place: official documents as `.docx` laid out
//! after GB/T 9704-2012 ([`gbt9704`]), spreadsheets as `.xlsx` ([`xlsx`]) and CSV ([`csv`]),
//! and the concrete documents built on them ([`commitment`], [`ledger`], [`enforcement`],
//! [`enforcement_figures`]).
//!
//! The documents are fed *read models*: plain structs defined here, which the caller fills from
//! its own rows (the web crate maps the store's rows). This crate knows nothing of the store or
//! of HTTP; it depends on `safeduty-core` for the domain's types and for the inert-cell rule
//! (`safeduty_core::cell`) every spreadsheet follows.
//!
//! Units used throughout: lengths in **twips** (twentieths of a point, 1440 a inch, about 56.7 a
//! millimetre; [`gbt9704::mm`] converts), type sizes in **half-points** (the unit of Word's
//! `w:sz`; [`gbt9704::size`]), column widths in characters (Excel's unit).

pub mod assessment;
pub mod commitment;
pub mod csv;
pub mod enforcement;
pub mod enforcement_figures;
pub mod exposure;
pub mod gbt9704;
pub mod ledger;
pub mod report;
pub mod self_inspection;
pub mod xlsx;

/// Why a file could not be written: an internal failure of a writer, never a property of the
/// data (every text is written as given, inert where needed).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The workbook writer failed (a limit of the format, such as more than 1,048,576 rows).
    #[error("xlsx: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The Word document could not be packed.
    #[error("docx: {0}")]
    Docx(String),
}

impl From<zip::result::ZipError> for Error {
    fn from(e: zip::result::ZipError) -> Self {
        Error::Docx(e.to_string())
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Docx(e.to_string())
    }
}
