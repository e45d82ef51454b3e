//! Cleaning what people type into rosters: spaces of every kind, invisible characters,
//! full-width letters and digits, Excel's leading apostrophe, and numbers Excel has mangled.

use unicode_normalization::UnicodeNormalization;

/// Characters that take no space and that nobody means to type (zero-width space, joiners,
/// word joiner, byte-order mark, soft hyphen, Mongolian vowel separator).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}'
    )
}

/// Drops invisible and control characters, turns every run of white space (ASCII, tab, line
/// break, U+3000 ideographic, U+00A0 no-break…) into one space, trims, and strips one leading
/// apostrophe (Excel's "this is text" marker, ASCII or full-width).
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if c.is_control() {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    match out.strip_prefix(['\'', '\u{FF07}']) {
        Some(rest) => rest.trim_start().to_string(),
        None => out,
    }
}

/// An identifier (code, phone): [`text`], then NFKC (full-width letters and digits folded to
/// ASCII), then every space removed.
pub fn identifier(s: &str) -> String {
    crate::text::fold_width(&text(s))
        .chars()
        .filter(|c| !c.is_whitespace() && !is_invisible(*c))
        .collect()
}

/// A credit code as typed: [`identifier`], upper-cased.
pub fn code(s: &str) -> String {
    identifier(s).to_uppercase()
}

/// The comparable form of a column header: NFKC, no spaces, no `*` marks, no trailing hint in
/// brackets such as `（必填）`, lower-case.
pub fn header_key(h: &str) -> String {
    let mut k: String = h
        .nfkc()
        .filter(|c| !c.is_whitespace() && !is_invisible(*c) && !c.is_control() && *c != '*')
        .collect::<String>()
        .trim_end_matches([':', '：'])
        .to_lowercase();
    if k.ends_with(')')
        && let Some(open) = k.rfind('(')
    {
        let hint = &k[open..];
        if [
            "必填",
            "选填",
            "填写",
            "请",
            "是/否",
            "是或否",
            "必须",
            "可选",
        ]
        .iter()
        .any(|w| hint.contains(w))
        {
            k.truncate(open);
        }
    }
    k
}

/// Whether an already cleaned identifier is a number as a spreadsheet rendered it rather than
/// the text typed: scientific notation (`9.13301E+17`, `1.38E+10`, WPS's `9.1350100M+17`) or a
/// trailing `.0` (`010010.0`). Such a value has lost digits and cannot be repaired.
pub fn is_numeric_rendering(s: &str) -> bool {
    let s = s.to_ascii_uppercase();
    let b = s.as_bytes();
    // d.ddd…X±dd where X is E (Excel) or a letter (other renderings), or d…E±dd.
    if let Some(sign) = s.rfind(['+', '-'])
        && sign > 0
        && sign + 1 < b.len()
        && b[sign + 1..].iter().all(u8::is_ascii_digit)
    {
        let mantissa = &s[..sign];
        let mantissa = mantissa.strip_suffix('E').unwrap_or(mantissa);
        let digits_only = |t: &str| !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit());
        if let Some((int, frac)) = mantissa.split_once('.') {
            if digits_only(int)
                && !frac.is_empty()
                && frac.bytes().all(|c| c.is_ascii_alphanumeric())
            {
                return true;
            }
        } else if digits_only(mantissa) && s[..sign].ends_with('E') {
            return true;
        }
    }
    if let Some((int, frac)) = s.split_once('.') {
        return !int.is_empty()
            && int.bytes().all(|c| c.is_ascii_digit())
            && !frac.is_empty()
            && frac.bytes().all(|c| c == b'0');
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_invisible_and_apostrophe() {
        assert_eq!(
            text("杭州示例机械制造有限公司\u{3000}"),
            "杭州示例机械制造有限公司"
        );
        assert_eq!(
            text("\u{A0}示例化工(杭州)有限公司"),
            "示例化工(杭州)有限公司"
        );
        assert_eq!(text("示例餐饮\u{200B}管理有限公司"), "示例餐饮管理有限公司");
        assert_eq!(text("示例镇\t"), "示例镇");
        assert_eq!(text("a \t\u{3000} b"), "a b");
        assert_eq!(text("'91330106MA2BC00045"), "91330106MA2BC00045");
        assert_eq!(text("''x"), "'x", "only one apostrophe is stripped");
    }

    #[test]
    fn identifiers_fold_and_upper_case() {
        assert_eq!(
            code("９１３３０１０６ＭＡ２ＢＣ０００４５"),
            "91330106MA2BC00045"
        );
        assert_eq!(code(" 91330106ma2bc00058"), "91330106MA2BC00058");
        assert_eq!(code("91330106MA2BC00032 "), "91330106MA2BC00032");
        assert_eq!(identifier("138 0000 0003"), "13800000003");
        assert_eq!(identifier("１３８０００００００４"), "13800000004");
        assert_eq!(identifier("13800000005\u{A0}"), "13800000005");
        assert_eq!(code("＇91330106MA2BC00045"), "91330106MA2BC00045");
    }

    #[test]
    fn numeric_renderings() {
        for s in [
            "9.13301E+17",
            "9.135E+17",
            "9.1350100M+17",
            "1.38E+10",
            "010010.0",
            "1E+17",
        ] {
            assert!(is_numeric_rendering(s), "{s}");
        }
        for s in [
            "91330106MA2BC00045",
            "0571-88880001",
            "13800000001",
            "91350100M000100Y43",
            "",
        ] {
            assert!(!is_numeric_rendering(s), "{s}");
        }
    }

    #[test]
    fn header_keys() {
        assert_eq!(header_key("*企业名称（必填）"), "企业名称");
        assert_eq!(
            header_key("统一社会信用代码(注册号)"),
            "统一社会信用代码(注册号)"
        );
        assert_eq!(header_key("USCC"), "uscc");
        assert_eq!(header_key("联系电话："), "联系电话");
    }
}
