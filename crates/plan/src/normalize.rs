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
//! [`QuestionKind::Garbled`] question with its line, for a reviewer to correct. One kind of
//! mojibake can be undone exactly, and is: a heading whose GBK bytes were read one byte out of
//! step (`?。ㄒ唬┲贫冉…` for `（一）制度建…`) is read again in step, before anything else; what
//! the misreading lost stays a U+FFFD and a question ([`realign_gbk_heading`]).
//!
//! Damaged words are kept as found and become [`QuestionKind::Wording`] questions: a text
//! spinner's replacement of a fixed term (`平安生产` for `安全生产`; once a document shows one,
//! its weaker replacements such as `缺乏` for `不足` are asked about too), and recognition slips
//! (`县否` for `是否`). A `″…″` pair (U+2033 used as quotes, around an accident's name such as
//! `″5.1″`) is folded to `“…”`: what it holds is a name.

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
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let line = match realign_gbk_heading(raw) {
            Some(r) => {
                questions.push(Question {
                    kind: QuestionKind::Garbled,
                    line: line_no,
                    excerpt: r.misread.clone(),
                    message: format!(
                        "第{line_no}行开头“{}”是GBK编码错位一字节读出的乱码,已按原字节还原为“{}”{}。",
                        r.misread,
                        r.recovered,
                        if r.recovered.contains('\u{fffd}') {
                            "(丢失字节的字符以“\u{fffd}”标出,另列为待核对问题)"
                        } else {
                            ""
                        }
                    ),
                    resolved: true,
                });
                normalize_line(&r.line)
            }
            None => normalize_line(raw),
        };
        questions.extend(garbled_questions(&line, line_no));
        out.push(line);
    }
    questions.extend(wording_questions(&out));
    questions.sort_by_key(|q| q.line);
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

/// Folds full-width `（）：；，．`, the ideographic space and full-width digits to ASCII, and
/// pairs of `″` (U+2033) or `〝〞` used as quotes to `“…”`.
pub fn fold_punctuation(s: &str) -> String {
    let primes = s.matches('″').count();
    let paired = primes - primes % 2;
    let mut seen = 0;
    s.chars()
        .map(|c| match c {
            '″' if seen < paired => {
                seen += 1;
                if seen % 2 == 1 { '“' } else { '”' }
            }
            '〝' => '“',
            '〞' | '〟' => '”',
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

/// What [`realign_gbk_heading`] recovered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Realigned {
    /// The line with its heading read in step.
    pub line: String,
    /// The misread characters, as found.
    pub misread: String,
    /// What they read in step (U+FFFD where a byte was lost).
    pub recovered: String,
}

/// Characters a GBK text read one byte out of step gives and a plan never uses: bopomofo,
/// box drawing, Roman numerals, `＃`, the pinyin letters of GBK's row 8.
fn out_of_step_sign(c: char) -> bool {
    matches!(c as u32, 0x3105..=0x3129 | 0x31A0..=0x31BF | 0x2500..=0x257F | 0x2160..=0x217F | 0xFF03)
        || matches!(c, 'ǘ' | 'ǚ' | 'ǜ' | 'ǖ' | 'ń' | 'ň' | 'ɑ' | 'ɡ')
}

/// A heading whose GBK bytes were decoded one byte out of step, read again in step: the line
/// starts (after a `?` or U+FFFD standing for the byte lost before it) with a run of misread
/// characters that, encoded back to GBK and read from its second byte, decode cleanly to a
/// numbered heading (`（一）…`, `一、…`) free of such characters. Only what decodes exactly is
/// recovered; a character whose byte was lost (where the misreading put a `?` or U+FFFD, or at
/// the line end) becomes U+FFFD. `None` when the line is not such a heading.
pub fn realign_gbk_heading(raw: &str) -> Option<Realigned> {
    let t = raw.trim_start();
    let lead_len: usize = t
        .chars()
        .take_while(|c| matches!(c, '?' | '\u{fffd}'))
        .take(2)
        .map(char::len_utf8)
        .sum();
    let body = &t[lead_len..];
    if !body.chars().take(4).any(out_of_step_sign) {
        return None;
    }
    let stop = body.find(['?', '\u{fffd}']).unwrap_or(body.len());
    let window = &body[..stop];
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(window);
    if unmappable || bytes.len() < 3 {
        return None;
    }
    let shifted = &bytes[1..];
    let mut recovered = String::new();
    let mut k = 0;
    let mut lost = stop < body.len();
    while k < shifted.len() {
        let b = shifted[k];
        if b < 0x80 {
            recovered.push(char::from(b));
            k += 1;
            continue;
        }
        let Some(&trail) = shifted.get(k + 1) else {
            // A lead byte whose trail was lost.
            lost = true;
            break;
        };
        let pair = [b, trail];
        let c = encoding_rs::GBK
            .decode_without_bom_handling_and_without_replacement(&pair)
            .and_then(|s| {
                let mut it = s.chars();
                match (it.next(), it.next()) {
                    (Some(c), None) => Some(c),
                    _ => None,
                }
            })?;
        recovered.push(c);
        k += 2;
    }
    if recovered.chars().any(out_of_step_sign)
        || crate::text::label(&fold_punctuation(recovered.trim_start())).is_none()
    {
        return None;
    }
    let misread = format!("{}{}", &t[..lead_len], window);
    let mut rest = &body[stop..];
    if lost {
        recovered.push('\u{fffd}');
        // The `?` that ended the window stood for the same lost byte.
        if let Some(c) = rest.chars().next() {
            rest = &rest[c.len_utf8()..];
        }
    }
    Some(Realigned {
        line: format!("{recovered}{rest}"),
        misread,
        recovered,
    })
}

/// Characters of context shown on each side of a garbled spot.
const CONTEXT: usize = 6;

fn garbled_questions(line: &str, line_no: u32) -> Vec<Question> {
    let mut spots = garbled_spots(line);
    // Misread GBK that could not be read again in step: a run holding bopomofo.
    if let Some(first) = line
        .char_indices()
        .find(|(_, c)| matches!(*c as u32, 0x3105..=0x3129 | 0x31A0..=0x31BF))
        && !spots.iter().any(|s| s.0 <= first.0 && first.0 < s.1)
    {
        let start = line[..first.0]
            .char_indices()
            .rev()
            .take(CONTEXT)
            .take_while(|(_, c)| !c.is_whitespace())
            .last()
            .map_or(first.0, |(i, _)| i);
        let end = line[first.0..]
            .char_indices()
            .take(CONTEXT * 2)
            .last()
            .map_or(line.len(), |(i, c)| first.0 + i + c.len_utf8());
        spots.push((start, end));
        spots.sort_unstable();
    }
    spots
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

/// Fixed terms of work-safety text and what a text spinner makes of them: any of these in a
/// document shows it was reworded.
const SPUN_TERMS: [(&str, &str); 10] = [
    ("平安生产", "安全生产"),
    ("安全出产", "安全生产"),
    ("平安出产", "安全生产"),
    ("出产经营", "生产经营"),
    ("出产安全", "生产安全"),
    ("平安监管", "安全监管"),
    ("平安隐患", "安全隐患"),
    ("事端隐患", "事故隐患"),
    ("平安责任", "安全责任"),
    ("平安办理", "安全管理"),
];

/// Ordinary words a spinner puts for others: asked about only in a reworded document.
const SPUN_WORDS: [(&str, &str); 2] = [("缺乏", "不足"), ("隐忧", "隐患")];

/// Recognition slips that make no word where a fixed one belongs.
const SLIPS: [(&str, &str); 8] = [
    ("县否", "是否"),
    ("足否", "是否"),
    ("是杏", "是否"),
    ("昰否", "是否"),
    ("安仝", "安全"),
    ("隐忠", "隐患"),
    ("管埋", "管理"),
    ("制庋", "制度"),
];

/// Whether `s` asks a question (`是否`), reading the recognition slips of it as it.
pub fn asks(s: &str) -> bool {
    s.contains("是否") || SLIPS[..4].iter().any(|(slip, _)| s.contains(slip))
}

/// One [`QuestionKind::Wording`] question per line and replaced word.
fn wording_questions(lines: &[String]) -> Vec<Question> {
    let reworded = lines
        .iter()
        .any(|l| SPUN_TERMS.iter().any(|(spun, _)| l.contains(spun)));
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let excerpt = |w: &str| -> String {
            let at = l.find(w).unwrap_or(0);
            let before: String = {
                let mut v: Vec<char> = l[..at].chars().rev().take(CONTEXT).collect();
                v.reverse();
                v.into_iter().collect()
            };
            let after: String = l[at + w.len()..].chars().take(CONTEXT).collect();
            format!("{before}{w}{after}")
        };
        let spun = SPUN_TERMS
            .iter()
            .chain(if reworded { &SPUN_WORDS[..] } else { &[] });
        for (word, usual) in spun {
            if l.contains(word) {
                out.push(Question {
                    kind: QuestionKind::Wording,
                    line: line_no,
                    excerpt: excerpt(word),
                    message: format!(
                        "第{line_no}行“{word}”疑似被改写工具替换的用词(通常写作“{usual}”),导入时按原样保留,请对照原件核对。"
                    ),
                    resolved: false,
                });
            }
        }
        for (slip, usual) in SLIPS {
            if l.contains(slip) {
                out.push(Question {
                    kind: QuestionKind::Wording,
                    line: line_no,
                    excerpt: excerpt(slip),
                    message: format!(
                        "第{line_no}行“{slip}”疑似文字识别错误(可能为“{usual}”),导入时按原样保留,请对照原件核对。"
                    ),
                    resolved: false,
                });
            }
        }
    }
    out
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
