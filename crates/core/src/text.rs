//! Rules for text people type: free text, and the fields of a number, date, code or phone.

use unicode_normalization::UnicodeNormalization;

/// What a field of a number, a date, a code or a phone reads before it is parsed: the value with
/// full-width digits, letters and separators (`２０２４－０７－１８`, `５００`, `９１３５…`, `．`)
/// folded to ASCII by Unicode NFKC, and trimmed. Chinese input methods type full-width forms
/// as readily as ASCII, and a value must not be accepted in one field and refused in the next
/// for it (issue #18 point 8). Free text is never folded: it keeps its Chinese punctuation.
pub fn fold_width(s: &str) -> String {
    s.nfkc().collect::<String>().trim().to_string()
}

/// Whether `s` holds control characters other than line breaks and tabs (e.g. NUL): no person
/// types them, and PostgreSQL refuses to store NUL, so every backend refuses them alike.
pub fn has_control_chars(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// The earliest date an enterprise's record can carry (a drill, an appointment, a publication):
/// 1950-01-01. Earlier dates are typing slips (`0024-06-01`, `0000-01-01`), not history.
pub const EARLIEST_RECORD_DATE: chrono::NaiveDate =
    match chrono::NaiveDate::from_ymd_opt(1950, 1, 1) {
        Some(d) => d,
        None => panic!("valid date"),
    };

/// Whether a typed date is before [`EARLIEST_RECORD_DATE`]; the message to show is
/// “{label}{date}早于1950-01-01，请核对”.
pub fn is_implausibly_early(d: chrono::NaiveDate) -> bool {
    d < EARLIEST_RECORD_DATE
}

#[cfg(test)]
mod tests {
    use super::{fold_width, has_control_chars, is_implausibly_early};

    #[test]
    fn full_width_numbers_dates_and_codes_fold_to_ascii() {
        assert_eq!(fold_width(" ２０２４－０７－１８ "), "2024-07-18");
        assert_eq!(fold_width("５００．５"), "500.5");
        assert_eq!(
            fold_width("９１３５０１００Ｍ０００１００Ｙ４３"),
            "91350100M000100Y43"
        );
        assert_eq!(fold_width("\u{3000}４\u{3000}"), "4");
    }

    #[test]
    fn typing_slips_in_years_are_too_early() {
        let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
        assert!(is_implausibly_early(d("0000-01-01")));
        assert!(is_implausibly_early(d("1949-12-31")));
        assert!(!is_implausibly_early(d("1950-01-01")));
    }

    #[test]
    fn nul_and_escape_are_control_line_breaks_are_not() {
        assert!(has_control_chars("a\u{0}b"));
        assert!(has_control_chars("\u{1b}[31m"));
        assert!(!has_control_chars("第一行\r\n第二行\t制表"));
    }
}
