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

/// Numbering styles of Chinese official documents (GB/T 9704-2012 §7.3.3 gives the first four
/// levels as `一、` `(一)` `1.` `(1)`; plans also use `①` and decimal `4.3.1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `一、`
    CnTop,
    /// `(一)` or `（一）` (full-width folded by normalization).
    CnParen,
    /// `1.` or `1、`
    Arabic,
    /// `(1)` or `（1）`
    ArabicParen,
    /// `①` … `⑳`
    Circled,
    /// `4.3` (followed by a space) or `4.3.1`: the number of components.
    Decimal(u8),
}

/// A numbered heading or entry at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label<'a> {
    /// How it is numbered.
    pub style: Style,
    /// The label as written without punctuation: `一`, `12`, `①`, `4.3.1`.
    pub label: String,
    /// Its number at its own level (`4.3.1` → 1, `①` → 1, `十二` → 12).
    pub number: u32,
    /// The text after the label.
    pub text: &'a str,
}

static RE_ARABIC_PAREN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\((\d{1,3})\)\s*(.*)$").expect("valid regex"));
static RE_DECIMAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2}(?:\.\d{1,2}){1,3})(\s+|[、.]\s*|)(\D.*)$").expect("valid regex")
});

/// The label a line starts with, in any [`Style`]; `None` for a plain line. A number followed by
/// a unit or count (`7项职责`, `1.5倍`, `2024年`) is not a label.
pub fn label(line: &str) -> Option<Label<'_>> {
    let l = line.trim();
    if let Some(c) = RE_TOP.captures(l) {
        let m = c.get(1)?.as_str();
        return Some(Label {
            style: Style::CnTop,
            label: m.to_string(),
            number: crate::dates::cn_number(m)?,
            text: c.get(2)?.as_str(),
        });
    }
    if let Some(c) = RE_SUB.captures(l) {
        let m = c.get(1)?.as_str();
        return Some(Label {
            style: Style::CnParen,
            label: m.to_string(),
            number: crate::dates::cn_number(m)?,
            text: c.get(2)?.as_str(),
        });
    }
    if let Some(c) = RE_ARABIC_PAREN.captures(l) {
        let m = c.get(1)?.as_str();
        return Some(Label {
            style: Style::ArabicParen,
            label: m.to_string(),
            number: m.parse().ok()?,
            text: c.get(2)?.as_str(),
        });
    }
    if let Some(first) = l.chars().next()
        && ('①'..='⑳').contains(&first)
    {
        return Some(Label {
            style: Style::Circled,
            label: first.to_string(),
            number: first as u32 - '①' as u32 + 1,
            text: l[first.len_utf8()..].trim_start(),
        });
    }
    if let Some(c) = RE_DECIMAL.captures(l) {
        let m = c.get(1)?.as_str();
        let parts = u8::try_from(m.split('.').count()).ok()?;
        // `1.5倍` is a quantity: two components need a space or `、` after them.
        if parts >= 3 || !c.get(2)?.as_str().is_empty() {
            return Some(Label {
                style: Style::Decimal(parts),
                label: m.to_string(),
                number: m.rsplit('.').next()?.parse().ok()?,
                text: c.get(3)?.as_str(),
            });
        }
        return None;
    }
    let (number, text) = numbered(l)?;
    Some(Label {
        style: Style::Arabic,
        label: number.to_string(),
        number,
        text,
    })
}

/// Whether style `a` is an outer level of `b` when both appear in one document: a decimal label
/// with fewer components is outer; otherwise the usual order `一、` `(一)` `1.` `(1)` `①`.
pub fn outranks(a: Style, b: Style) -> bool {
    fn rank(s: Style) -> u8 {
        match s {
            Style::CnTop => 0,
            Style::CnParen => 1,
            Style::Arabic => 2,
            Style::ArabicParen => 3,
            Style::Circled => 4,
            Style::Decimal(k) => 1 + k,
        }
    }
    match (a, b) {
        (Style::Decimal(x), Style::Decimal(y)) => x < y,
        (Style::Decimal(_), _) | (_, Style::Decimal(_)) => false,
        _ => rank(a) < rank(b),
    }
}

/// Whether a line is any kind of heading or numbered entry.
pub fn is_structural(line: &str) -> bool {
    let l = line.trim();
    label(l).is_some() || l.starts_with('第')
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
    fn labels_in_every_style() {
        let got = |l: &str| label(l).map(|x| (x.style, x.label, x.number, x.text.to_string()));
        assert_eq!(
            got("一、总体要求"),
            Some((Style::CnTop, "一".into(), 1, "总体要求".into()))
        );
        assert_eq!(
            got("(十二)其他"),
            Some((Style::CnParen, "十二".into(), 12, "其他".into()))
        );
        assert_eq!(
            got("3.是否"),
            Some((Style::Arabic, "3".into(), 3, "是否".into()))
        );
        assert_eq!(
            got("3、是否"),
            Some((Style::Arabic, "3".into(), 3, "是否".into()))
        );
        assert_eq!(
            got("(4)是否"),
            Some((Style::ArabicParen, "4".into(), 4, "是否".into()))
        );
        assert_eq!(
            got("③是否"),
            Some((Style::Circled, "③".into(), 3, "是否".into()))
        );
        assert_eq!(
            got("4.3.1 是否"),
            Some((Style::Decimal(3), "4.3.1".into(), 1, "是否".into()))
        );
        assert_eq!(
            got("4.3 设备方面"),
            Some((Style::Decimal(2), "4.3".into(), 3, "设备方面".into()))
        );
        assert_eq!(got("1.5倍以上"), None);
        assert_eq!(got("31项治理内容"), None);
        assert_eq!(got("2024年"), None);
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
