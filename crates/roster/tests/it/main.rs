//! Reader tests: the field cases' CSV files (shared/cases, copied to `tests/cases`) and XLSX
//! workbooks generated here.

mod bombs;
mod csv_cases;
mod export_files;
mod xlsx_files;

use std::path::PathBuf;

/// The bytes of a field case.
pub fn case(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}
