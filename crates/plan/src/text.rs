//! Small text helpers shared by the readers: headings, clause splitting, parentheses.

use std::sync::LazyLock;

use regex::Regex;

/// Chinese numerals used in heading labels.
pub const CN: &str = "[一二三四五六七八九十]+";

/// `一、总体要求` → ("一", "总体要求").
pub static RE_TOP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^({CN})\s*、\s*(.*)$")).expect("valid regex"));

/// `(一)组织或者参与……` → ("一", "组织或者参与……").
pub static RE_SUB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^\(({CN})\)\s*(.*)$")).expect("valid regex"));

/// `12.是否……` or `12、是否……` → (12, "是否……"); the text must not start with a digit
/// (so `1.5倍` is not item 1).
pub fn numbered(line: &str) -> Option<(u32, &str)> {
    let l = line.trim();
    let digits = l.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let rest = &l[digits..];
    let rest = rest
        .strip_prefix('.')
        .or_else(|| rest.strip_prefix('、'))?
        .trim_start();
    if rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some((l[..digits].parse().ok()?, rest))
}

/// Whether a line is any kind of heading or numbered entry.
pub fn is_structural(line: &str) -> bool {
    let l = line.trim();
    RE_TOP.is_match(l) || RE_SUB.is_match(l) || numbered(l).is_some() || l.starts_with('第')
}

/// Whether `s` ends a sentence (so that a following line is not its continuation).
pub fn ends_sentence(s: &str) -> bool {
    s.trim_end()
        .ends_with(['。', ';', '!', '?', '！', '？', ':', '”', ')', '」'])
}

/// Splits `s` at any of `seps` that stands outside parentheses (ASCII or full-width) and
/// outside 《》; the separators are dropped, empty pieces skipped.
pub fn split_outside_parens<'a>(s: &'a str, seps: &[char]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut depth: i32 = 0;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' | '（' | '《' | '〔' | '[' => depth += 1,
            ')' | '）' | '》' | '〕' | ']' => depth = (depth - 1).max(0),
            _ if depth == 0 && seps.contains(&c) => {
                if !s[start..i].trim().is_empty() {
                    out.push(&s[start..i]);
                }
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    if !s[start..].trim().is_empty() {
        out.push(&s[start..]);
    }
    out
}

/// `s` without its parenthesized parts (`工作情况(联系人:…)` → `工作情况`).
pub fn without_parens(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth: i32 = 0;
    for c in s.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = (depth - 1).max(0),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Number of characters (not bytes).
pub fn chars(s: &str) -> usize {
    s.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_entries() {
        assert_eq!(numbered("1.是否组织"), Some((1, "是否组织")));
        assert_eq!(numbered("31.对于"), Some((31, "对于")));
        assert_eq!(numbered("2、每市抽取"), Some((2, "每市抽取")));
        assert_eq!(numbered("1.5倍"), None);
        assert_eq!(numbered("2024年"), None);
        assert_eq!(numbered("7项职责规定"), None);
    }

    #[test]
    fn clauses() {
        assert_eq!(
            split_outside_parens("甲(a;b)乙;丙。丁", &[';', '。']),
            vec!["甲(a;b)乙", "丙", "丁"]
        );
        assert_eq!(without_parens("工作情况(联系人:王某)"), "工作情况");
    }
}
