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

/// Whether a line is only a page marker: `第 1 页`, `第1页 共3页`, `共3页 第1页`, `- 2 -`,
/// `—2—`, `1/3`, `Page 2`.
pub fn is_page_marker(line: &str) -> bool {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:第\s*\d{1,4}\s*页(?:\s*[,/]?\s*共\s*\d{1,4}\s*页)?|共\s*\d{1,4}\s*页\s*[,/]?\s*第\s*\d{1,4}\s*页|[-—–]\s*\d{1,4}\s*[-—–]|\d{1,4}\s*/\s*\d{1,4}|(?i:page)\s*\d{1,4}(?:\s*(?i:of)\s*\d{1,4})?)$",
        )
        .expect("valid regex")
    });
    RE.is_match(line.trim())
}

/// Whether a line is an entry of a table of contents with leaders: a heading or a `第…章`
/// followed by `……`, `....` or `····` and a page number.
pub fn is_toc_line(line: &str) -> bool {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:…{1,}|\.{3,}|·{3,}|-{4,}|_{3,}|—{2,})\s*\d{1,3}$").expect("valid regex")
    });
    let l = line.trim();
    RE.is_match(l) && (is_structural(l) || l.starts_with("附"))
}

/// Whether a line after a `目录` line is one of its entries: a heading ending in a page number
/// (`一、总体要求 1`).
pub fn is_toc_entry(line: &str) -> bool {
    static RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s\d{1,3}$").expect("valid regex"));
    let l = line.trim();
    is_toc_line(l) || (RE.is_match(l) && (is_structural(l) || l.starts_with("附")))
}

/// Number of characters (not bytes).
pub fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Byte ranges of the quoted spans of `s` (`“…”`, `《…》`), in order: what they hold is a name
/// (`“5.1”事故`, `《…(2024—2026年)》`), never a label or a date of the text around it.
pub fn quoted_ranges(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (i, c) in s.char_indices() {
        match (open, c) {
            (None, '“' | '《') => open = Some((i, c)),
            (Some((o, '“')), '”') | (Some((o, '《')), '》') => {
                out.push((o, i + c.len_utf8()));
                open = None;
            }
            _ => {}
        }
    }
    out
}

/// Whether byte `pos` lies inside one of `ranges` (sorted, as [`quoted_ranges`] gives them).
pub fn inside(ranges: &[(usize, usize)], pos: usize) -> bool {
    let k = ranges.partition_point(|r| r.1 <= pos);
    ranges.get(k).is_some_and(|r| r.0 < pos)
}

/// One label of a decimal outline found inside a line: `4.3.1` as `[4, 3, 1]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineLabel {
    /// Byte offset of the label in the line.
    pub at: usize,
    /// Byte offset of the text after the label.
    pub text_at: usize,
    /// Its components.
    pub parts: Vec<u32>,
}

/// The labels of a decimal outline run together in one line (`1.目的 …2.适用范围 …3.1 …4.3.1 …`,
/// as an enterprise's rules are often pasted): every label that continues the outline — the
/// next number at its level, the first of a deeper level, or the next at an outer level — and
/// stands at the line start or after a space or a sentence end, outside quotes (`“5.1”` is a
/// name). Empty unless the line holds at least two labels and one of them has two components
/// or more: a plain `1.…2.…` run is not an outline.
pub fn outline(line: &str) -> Vec<OutlineLabel> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(\d{1,2}(?:\.\d{1,2}){0,3})(\.?)(\s*)").expect("valid regex")
    });
    let quoted = quoted_ranges(line);
    let mut found: Vec<OutlineLabel> = Vec::new();
    for c in RE.captures_iter(line) {
        let (Some(whole), Some(num), Some(dot), Some(space)) =
            (c.get(0), c.get(1), c.get(2), c.get(3))
        else {
            continue;
        };
        let at = whole.start();
        let before = line[..at].chars().next_back();
        let boundary = before.is_none_or(|b| {
            b.is_whitespace() || matches!(b, '。' | ';' | ':' | '!' | '?' | ')' | '”' | '|')
        });
        let after = line[whole.end()..].chars().next();
        // `1.5倍`, `2024年`, `3个`: a quantity, not a label.
        let text_follows = after.is_some_and(|a| {
            !a.is_ascii_digit()
                && !matches!(
                    a,
                    '.' | '%'
                        | '年'
                        | '月'
                        | '日'
                        | '个'
                        | '项'
                        | '倍'
                        | '次'
                        | '名'
                        | '人'
                        | '天'
                        | '条'
                        | '号'
                )
        });
        let parts: Vec<u32> = num
            .as_str()
            .split('.')
            .filter_map(|p| p.parse().ok())
            .collect();
        // A one-component label needs its dot (`2.适用范围`); a longer one a space or a dot.
        let shaped = if parts.len() == 1 {
            !dot.as_str().is_empty()
        } else {
            !dot.as_str().is_empty() || !space.as_str().is_empty()
        };
        if !boundary || !text_follows || !shaped || inside(&quoted, at) || parts.contains(&0) {
            continue;
        }
        let continues = match found.last() {
            None => true,
            Some(prev) => follows(&prev.parts, &parts),
        };
        if continues {
            found.push(OutlineLabel {
                at,
                text_at: whole.end(),
                parts,
            });
        }
    }
    if found.len() < 2 || found.iter().all(|l| l.parts.len() < 2) {
        return Vec::new();
    }
    found
}

/// Whether outline label `next` may follow `prev`: `4.2` → `4.3`, `4.3` → `4.3.1`,
/// `4.3.2` → `4.4` or `5`.
fn follows(prev: &[u32], next: &[u32]) -> bool {
    if next.len() == prev.len() + 1 && next[..prev.len()] == *prev && next[prev.len()] == 1 {
        return true;
    }
    if next.is_empty() || next.len() > prev.len() {
        return false;
    }
    let k = next.len() - 1;
    next[..k] == prev[..k] && next[k] == prev[k] + 1
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
    fn quotes_hold_names() {
        let l = "深刻吸取“5.1”事故教训,落实《方案(2024—2026年)》";
        let q = quoted_ranges(l);
        assert_eq!(q.len(), 2);
        assert!(inside(&q, l.find("5.1").unwrap()));
        assert!(inside(&q, l.find("2024").unwrap()));
        assert!(!inside(&q, l.find("落实").unwrap()));
    }

    /// An enterprise's reporting rule pasted as one line: its top-level sections and their
    /// sub-clauses are found; quantities and quoted names are not labels.
    #[test]
    fn a_decimal_outline_run_together() {
        let l = "1.目的 为规范报告工作,制定本制度。2.适用范围 本制度适用于各车间。3.职责 3.1 安全部负责统计。\
                 3.2 各车间负责上报,吸取“5.1”事故教训,按1.5倍配备人员。4.报告要求 4.1 每半年报告一次。\
                 4.2 每年一月、七月的十日前报送。4.3 重大隐患 4.3.1 立即报告。4.3.2 书面报告。5.附则 本制度自印发之日起施行。";
        let got: Vec<String> = outline(l)
            .iter()
            .map(|x| {
                x.parts
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(".")
            })
            .collect();
        assert_eq!(
            got,
            vec![
                "1", "2", "3", "3.1", "3.2", "4", "4.1", "4.2", "4.3", "4.3.1", "4.3.2", "5"
            ]
        );
        let tops: Vec<&str> = outline(l)
            .iter()
            .filter(|x| x.parts.len() == 1)
            .map(|x| l[x.text_at..].split(' ').next().unwrap())
            .collect();
        assert_eq!(tops, vec!["目的", "适用范围", "职责", "报告要求", "附则"]);
        // A plain run of `1.…2.…` is no outline.
        assert!(outline("1.建立制度。2.开展培训。").is_empty());
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
