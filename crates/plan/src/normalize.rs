//! Normalization of a plan text before its structure is read.
//!
//! Three steps, line by line, so that line `n` of the output is line `n` of the input:
//!
//! 1. **Fold** the full-width forms of `（ ）：；，．`, the ideographic space and full-width digits
//!    to their ASCII forms, the one canonical form the importer matches on (the template's texts
//!    get Chinese punctuation back at the end, see [`crate::present`]). `、。“”《》〔〕` stay as
//!    they are.
//! 2. **Strip converter pinyin**: some web converters insert the reading after characters,
//!    `區(qū)`, `全(quan)(quan)國(guo)`. A group is stripped only when it directly follows a CJK
//!    character and holds one lowercase pinyin syllable (ASCII latin letters with optional tone
//!    marks) — so real parentheses such as `(4月30日前)`, `(施工)`, `(一)` or `(USCC)` survive.
//! 3. **Convert** Traditional to Simplified Chinese with OpenCC's `t2s` configuration.
//!
//! Mojibake (a `?` or U+FFFD next to pinyin letters or a stray bracket, as in `燃?xì)?`) is not
//! repaired: nobody can know what it stood for. It is kept as found and reported as a
//! [`QuestionKind::Garbled`] question with its line, for a reviewer to correct.

use std::sync::OnceLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use safeduty_core::template::{Question, QuestionKind};

/// A normalized text and the doubts normalization found in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// The normalized text: as many lines as the input, joined with `\n`.
    pub text: String,
    /// One [`QuestionKind::Garbled`] question per garbled spot, in text order.
    pub questions: Vec<Question>,
}

impl Normalized {
    /// The normalized lines; index 0 is line 1.
    pub fn lines(&self) -> Vec<&str> {
        self.text.split('\n').collect()
    }
}

/// Normalizes `text`: folds punctuation, strips converter pinyin, converts Traditional to
/// Simplified, and reports garbled spots. Line structure is kept (`\r\n` and `\r` count as one
/// line break; a leading byte-order mark is dropped).
pub fn normalize(text: &str) -> Normalized {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut questions = Vec::new();
    for (i, raw) in split_lines(text).into_iter().enumerate() {
        let line = normalize_line(raw);
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        questions.extend(garbled_questions(&line, line_no));
        out.push(line);
    }
    Normalized {
        text: out.join("\n"),
        questions,
    }
}

/// Normalizes one line (no line breaks inside): fold, strip pinyin, Traditional → Simplified.
pub fn normalize_line(line: &str) -> String {
    let folded = fold_punctuation(line);
    let stripped = strip_pinyin(&folded);
    to_simplified(&stripped)
}

fn split_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    loop {
        match rest.find(['\r', '\n']) {
            Some(pos) => {
                lines.push(&rest[..pos]);
                let skip = if rest[pos..].starts_with("\r\n") {
                    2
                } else {
                    1
                };
                rest = &rest[pos + skip..];
            }
            None => {
                lines.push(rest);
                break;
            }
        }
    }
    lines
}

/// Folds full-width `（）：；，．`, the ideographic space and full-width digits to ASCII.
pub fn fold_punctuation(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '：' => ':',
            '；' => ';',
            '，' => ',',
            '．' => '.',
            '\u{3000}' => ' ',
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Whether `c` is a CJK ideograph (the characters a converter annotates).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}'
        | '〇')
}

/// Base letter of a tone-marked pinyin vowel, or `None` for anything else.
fn toneless(c: char) -> Option<char> {
    Some(match c {
        'ā' | 'á' | 'ǎ' | 'à' => 'a',
        'ē' | 'é' | 'ě' | 'è' => 'e',
        'ī' | 'í' | 'ǐ' | 'ì' => 'i',
        'ō' | 'ó' | 'ǒ' | 'ò' => 'o',
        'ū' | 'ú' | 'ǔ' | 'ù' => 'u',
        'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' | 'ü' => 'ü',
        _ => return None,
    })
}

/// Whether `c` can be part of written pinyin: a latin letter or a tone-marked vowel.
pub fn is_pinyin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || toneless(c).is_some()
}

/// Whether `s` is one lowercase pinyin syllable, tone marks allowed (`qū`, `guan`, `zhuàn`).
pub fn is_pinyin_syllable(s: &str) -> bool {
    if s.is_empty() || s.chars().count() > 6 {
        return false;
    }
    let mut base = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_lowercase() {
            base.push(c);
        } else if let Some(b) = toneless(c) {
            base.push(b);
        } else {
            return false;
        }
    }
    const INITIALS: [&str; 23] = [
        "zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x",
        "r", "z", "c", "s", "y", "w",
    ];
    const FINALS: [&str; 39] = [
        "a", "o", "e", "i", "u", "ü", "v", "ai", "ei", "ui", "ao", "ou", "iu", "ie", "üe", "ue",
        "ve", "er", "an", "en", "in", "un", "ün", "ang", "eng", "ing", "ong", "ia", "iao", "ian",
        "iang", "iong", "ua", "uo", "uai", "uan", "üan", "uang", "ueng",
    ];
    let finals_ok = |f: &str| FINALS.contains(&f);
    if finals_ok(&base) {
        return true;
    }
    INITIALS
        .iter()
        .any(|i| base.strip_prefix(i).is_some_and(finals_ok))
}

/// Removes pinyin groups `(xx)` (one or more in a row) that directly follow a CJK character.
pub fn strip_pinyin(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        out.push(c);
        rest = &rest[c.len_utf8()..];
        if is_han(c) {
            while let Some(after) = pinyin_group(rest) {
                rest = after;
            }
        }
    }
    out
}

/// If `s` starts with `(syllable)`, the text after it.
fn pinyin_group(s: &str) -> Option<&str> {
    let inner = s.strip_prefix('(')?;
    let close = inner.find(')')?;
    let syllable = &inner[..close];
    is_pinyin_syllable(syllable).then(|| &inner[close + 1..])
}

fn converter() -> &'static OpenCC {
    static CONVERTER: OnceLock<OpenCC> = OnceLock::new();
    CONVERTER.get_or_init(|| {
        OpenCC::from_config(BuiltinConfig::T2s)
            .expect("the embedded OpenCC t2s configuration loads")
    })
}

/// Converts Traditional Chinese to Simplified (OpenCC `t2s`); other characters pass unchanged.
pub fn to_simplified(s: &str) -> String {
    if !s.chars().any(is_han) {
        return s.to_string();
    }
    converter().convert(s)
}

/// Characters a garbled spot extends over once it has started at a `?` or U+FFFD.
fn in_garbled_run(c: char) -> bool {
    is_pinyin_letter(c) || matches!(c, '?' | '\u{fffd}' | '(' | ')' | '_')
}

/// Byte ranges of the garbled spots of a (normalized) line.
pub fn garbled_spots(line: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut spots: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        let marker = match c {
            '\u{fffd}' => true,
            '?' => {
                let prev = i.checked_sub(1).map(|j| chars[j].1);
                let next = chars.get(i + 1).map(|x| x.1);
                let odd = |c: Option<char>| {
                    c.is_some_and(|c| is_pinyin_letter(c) || matches!(c, ')' | '(' | '_' | '?'))
                };
                odd(prev) || odd(next)
            }
            _ => false,
        };
        if !marker {
            i += 1;
            continue;
        }
        // Extend backwards over pinyin letters glued to the marker, then forwards over the run.
        let mut start = i;
        while start > 0 && is_pinyin_letter(chars[start - 1].1) {
            start -= 1;
        }
        let mut end = i + 1;
        while end < chars.len() && in_garbled_run(chars[end].1) {
            end += 1;
        }
        let byte_end = chars.get(end).map_or(line.len(), |x| x.0);
        let byte_start = chars[start].0;
        let _ = pos;
        match spots.last_mut() {
            Some(last) if last.1 >= byte_start => last.1 = byte_end,
            _ => spots.push((byte_start, byte_end)),
        }
        i = end;
    }
    spots
}

/// Characters of context shown on each side of a garbled spot.
const CONTEXT: usize = 6;

fn garbled_questions(line: &str, line_no: u32) -> Vec<Question> {
    garbled_spots(line)
        .into_iter()
        .map(|(s, e)| {
            // Only the context is walked: a line with many spots stays linear.
            let before: String = {
                let mut v: Vec<char> = line[..s].chars().rev().take(CONTEXT).collect();
                v.reverse();
                v.into_iter().collect()
            };
            let after: String = line[e..].chars().take(CONTEXT).collect();
            let spot = &line[s..e];
            Question {
                kind: QuestionKind::Garbled,
                line: line_no,
                excerpt: format!("{before}{spot}{after}"),
                message: format!(
                    "第{line_no}行“{spot}”处是乱码(原文字符已损坏,导入时按原样保留),请对照原件核对并更正。"
                ),
                resolved: false,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_parentheses_survive() {
        for s in [
            "第一阶段:动员部署(4月30日前)。",
            "暂时停止作业(施工),或者",
            "(一)组织或者参与",
            "作业现场负责人(指挥员)、车间主任",
            "精神(南安委〔2024〕4号)",
            "统一社会信用代码(USCC)",
            "同时报送word或wps(word)",
        ] {
            assert_eq!(strip_pinyin(s), s);
        }
    }

    #[test]
    fn converter_pinyin_is_stripped() {
        assert_eq!(strip_pinyin("城區(qū)安委會"), "城區安委會");
        assert_eq!(strip_pinyin("有關(guān)單位"), "有關單位");
        assert_eq!(strip_pinyin("全(quan)(quan)國(guo)"), "全國");
        assert_eq!(strip_pinyin("安(an)(an)(an)全(quan)"), "安全");
        assert_eq!(strip_pinyin("直(zhi)轄(xia)市(shi)"), "直轄市");
        assert_eq!(strip_pinyin("準(zhǔn)確"), "準確");
        assert_eq!(strip_pinyin("綠(lǜ)色"), "綠色");
    }

    #[test]
    fn fold_is_canonical_ascii() {
        assert_eq!(
            fold_punctuation("（一）甲：乙；丙，丁　１２"),
            "(一)甲:乙;丙,丁 12"
        );
    }

    #[test]
    fn simplified_conversion() {
        assert_eq!(
            normalize_line("是否組織擬訂或者參與企業內部"),
            "是否组织拟订或者参与企业内部"
        );
    }

    #[test]
    fn garbled_spot_is_reported_not_repaired() {
        let n = normalize("城鎮燃?xì)?、建筑施工\n或?qū)哟蚊鞔_共同\n本行業領域?qū)嶋H,因地");
        assert_eq!(n.lines()[0], "城镇燃?xì)?、建筑施工");
        assert_eq!(n.questions.len(), 3);
        assert_eq!(n.questions[0].line, 1);
        assert_eq!(n.questions[0].excerpt, "城镇燃?xì)?、建筑施工");
        assert_eq!(n.questions[1].line, 2);
        assert!(n.questions[1].excerpt.contains("?qū)哟蚊鞔_"));
        assert_eq!(n.questions[2].line, 3);
        assert!(n.questions.iter().all(|q| !q.resolved));
    }

    #[test]
    fn plain_question_mark_is_not_garbled() {
        assert!(garbled_spots("是否建立台账?").is_empty());
        assert!(garbled_spots("什么时间? 开到哪一级").is_empty());
    }

    #[test]
    fn line_structure_is_kept() {
        let n = normalize("甲\r\n\r\n乙\r丙\n");
        assert_eq!(n.lines(), vec!["甲", "", "乙", "丙", ""]);
    }
}
