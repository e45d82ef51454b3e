//! Rules for free text people type.

/// Whether `s` holds control characters other than line breaks and tabs (e.g. NUL): no person
/// types them, and PostgreSQL refuses to store NUL, so every backend refuses them alike.
pub fn has_control_chars(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

#[cfg(test)]
mod tests {
    use super::has_control_chars;

    #[test]
    fn nul_and_escape_are_control_line_breaks_are_not() {
        assert!(has_control_chars("a\u{0}b"));
        assert!(has_control_chars("\u{1b}[31m"));
        assert!(!has_control_chars("第一行\r\n第二行\t制表"));
    }
}
