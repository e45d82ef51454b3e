//! Document numbers (文书编号) such as （青）应急检记〔2024〕12号: the region's short name in
//! full-width parentheses, the kind word, the year in 〔〕, the sequence number, 号.
//!
//! The short name and the kind words are **settings**, not code ([`NumberingWords`]); the
//! defaults ship in `crates/core/data/document-kinds.toml` with where each word comes from. Older
//! systems hard-coded prefixes and years and had to be patched each year.
//!
//! **Sequences** ([`SequenceFamily`]): one sequence per (issuing unit, family, year), allocated
//! atomically by the store so that two officers issuing at once never get the same number.
//! - *Inspection family*: an inspection takes the next number of its unit's inspection sequence
//!   for the year; every document of that inspection — 现场检查记录, 现场处理措施决定书,
//!   责令限期整改指令书, 整改复查意见书 — carries the inspection's year and number with its own kind
//!   word, so （青）应急检记〔2024〕12号 and （青）应急责改〔2024〕12号 belong to the same inspection,
//!   even when the re-inspection falls in the next year.
//! - *Case family*: a case takes its number when its filing (立案) is approved (a draft case has
//!   none); every document of the case carries it.
//!
//! The pattern and the two families follow systems in use (shared/domain/enforcement.md §1.4).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::refusal::Refusal;

const SHIPPED: &str = include_str!("../../data/document-kinds.toml");

/// Longest region short name, in characters.
pub const REGION_SHORT_MAX_CHARS: usize = 6;
/// Longest kind word, in characters.
pub const KIND_WORD_MAX_CHARS: usize = 10;

/// The numbered documents of the enforcement phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// 现场检查记录.
    InspectionRecord,
    /// 现场处理措施决定书 (暂时停产停业、停止使用…).
    OnSiteMeasures,
    /// 责令限期整改指令书.
    CorrectionOrder,
    /// 整改复查意见书.
    ReInspection,
    /// 立案审批表.
    CaseFiling,
}

/// Which sequence a document's number comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SequenceFamily {
    /// The inspection's number, shared by its record, measures, order and re-inspection.
    Inspection,
    /// The case's number, assigned when the filing is approved.
    Case,
}

impl SequenceFamily {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            SequenceFamily::Inspection => "inspection",
            SequenceFamily::Case => "case",
        }
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            SequenceFamily::Inspection => "检查文书编号",
            SequenceFamily::Case => "案件文书编号",
        }
    }
}

impl DocumentKind {
    /// Every kind, in the order of the procedure.
    pub const ALL: [DocumentKind; 5] = [
        DocumentKind::InspectionRecord,
        DocumentKind::OnSiteMeasures,
        DocumentKind::CorrectionOrder,
        DocumentKind::ReInspection,
        DocumentKind::CaseFiling,
    ];

    /// Stable code stored in records and settings.
    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::InspectionRecord => "inspection_record",
            DocumentKind::OnSiteMeasures => "on_site_measures",
            DocumentKind::CorrectionOrder => "correction_order",
            DocumentKind::ReInspection => "re_inspection",
            DocumentKind::CaseFiling => "case_filing",
        }
    }

    /// Parses a [`DocumentKind::code`].
    pub fn from_code(code: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The document's Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::InspectionRecord => "现场检查记录",
            DocumentKind::OnSiteMeasures => "现场处理措施决定书",
            DocumentKind::CorrectionOrder => "责令限期整改指令书",
            DocumentKind::ReInspection => "整改复查意见书",
            DocumentKind::CaseFiling => "立案审批表",
        }
    }

    /// The sequence its number comes from.
    pub fn family(self) -> SequenceFamily {
        match self {
            DocumentKind::CaseFiling => SequenceFamily::Case,
            _ => SequenceFamily::Inspection,
        }
    }

    /// The settings field of its word, for a [`Refusal`].
    fn field(self) -> &'static str {
        match self {
            DocumentKind::InspectionRecord => "kind_words.inspection_record",
            DocumentKind::OnSiteMeasures => "kind_words.on_site_measures",
            DocumentKind::CorrectionOrder => "kind_words.correction_order",
            DocumentKind::ReInspection => "kind_words.re_inspection",
            DocumentKind::CaseFiling => "kind_words.case_filing",
        }
    }
}

/// The settings a number is made of: the region's short name and a word per kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberingWords {
    /// The short name written in （）, e.g. `青`.
    pub region_short: String,
    /// The kind word of each document, e.g. `应急检记`.
    pub kind_words: BTreeMap<DocumentKind, String>,
}

/// The shipped defaults with where they come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippedWords {
    /// The default settings.
    pub words: NumberingWords,
    /// Where the region short name comes from (Chinese).
    pub region_source: String,
    /// Where each kind word comes from (Chinese).
    pub sources: BTreeMap<DocumentKind, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    region_short: String,
    region_source: String,
    kind: Vec<RawKind>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKind {
    code: String,
    word: String,
    source: String,
}

impl ShippedWords {
    /// Reads `crates/core/data/document-kinds.toml`.
    pub fn load() -> ShippedWords {
        parse_shipped(SHIPPED).expect("shipped document kinds are valid")
    }
}

/// Reads the data file: every kind once, each word valid.
fn parse_shipped(text: &str) -> Result<ShippedWords, String> {
    let raw: RawFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut kind_words = BTreeMap::new();
    let mut sources = BTreeMap::new();
    for k in raw.kind {
        let kind = DocumentKind::from_code(&k.code).ok_or(format!("unknown kind {}", k.code))?;
        if kind_words.insert(kind, k.word).is_some() {
            return Err(format!("kind {} twice", k.code));
        }
        sources.insert(kind, k.source);
    }
    let words = NumberingWords {
        region_short: raw.region_short,
        kind_words,
    };
    words.check().map_err(|r| r.to_string())?;
    Ok(ShippedWords {
        words,
        region_source: raw.region_source,
        sources,
    })
}

impl NumberingWords {
    /// The defaults shipped in `crates/core/data/document-kinds.toml` (`青`, `应急检记`, …).
    pub fn shipped_defaults() -> NumberingWords {
        ShippedWords::load().words
    }

    /// Checks settings a person edited: the short name (field `region_short`) and a word for
    /// every kind (field `kind_words.<code>`), see [`check_region_short`] and [`check_kind_word`].
    ///
    /// # Errors
    /// The first invalid or missing setting, naming its field.
    pub fn check(&self) -> Result<(), Refusal> {
        check_region_short(&self.region_short)?;
        for kind in DocumentKind::ALL {
            match self.kind_words.get(&kind) {
                Some(word) => check_kind_word(kind, word)?,
                None => {
                    return Err(
                        Refusal::invalid(format!("请填写“{}”的编号类别字", kind.label()))
                            .on(kind.field()),
                    );
                }
            }
        }
        Ok(())
    }

    /// The word of `kind`; the shipped default when the settings lack one (settings saved
    /// through [`NumberingWords::check`] never do).
    pub fn word(&self, kind: DocumentKind) -> String {
        self.kind_words.get(&kind).cloned().unwrap_or_else(|| {
            NumberingWords::shipped_defaults()
                .kind_words
                .remove(&kind)
                .unwrap_or_default()
        })
    }
}

/// Brackets of every width and shape; the number adds its own （） and 〔〕.
const BRACKETS: &str = "()（）〔〕[]［］【】〖〗{}｛｝<>＜＞〈〉《》「」『』";

/// What a short name or word may not hold, as the reason, if anything.
fn flaw(text: &str, max: usize) -> Option<String> {
    let n = text.chars().count();
    if n == 0 {
        Some("不能为空".into())
    } else if n > max {
        Some(format!("不能超过{max}个字"))
    } else if text.chars().any(|c| c.is_control() || c.is_whitespace()) {
        Some("不能包含空格、换行或控制字符".into())
    } else if text.chars().any(|c| BRACKETS.contains(c)) {
        Some("不能包含括号（编号的括号由系统加上）".into())
    } else {
        None
    }
}

/// Checks a region short name: 1–[`REGION_SHORT_MAX_CHARS`] characters, no brackets, spaces or
/// control characters.
///
/// # Errors
/// A [`Refusal`] on field `region_short`.
pub fn check_region_short(short: &str) -> Result<(), Refusal> {
    match flaw(short, REGION_SHORT_MAX_CHARS) {
        None => Ok(()),
        Some(why) => Err(Refusal::invalid(format!("文书编号的地区简称{why}")).on("region_short")),
    }
}

/// Checks the word of `kind`: 1–[`KIND_WORD_MAX_CHARS`] characters, no brackets, spaces or
/// control characters.
///
/// # Errors
/// A [`Refusal`] on field `kind_words.<code>`.
pub fn check_kind_word(kind: DocumentKind, word: &str) -> Result<(), Refusal> {
    match flaw(word, KIND_WORD_MAX_CHARS) {
        None => Ok(()),
        Some(why) => {
            Err(Refusal::invalid(format!("“{}”的编号类别字{why}", kind.label())).on(kind.field()))
        }
    }
}

/// The number of a `kind` document with sequence number `seq` (from 1) of `year`:
/// `（青）应急检记〔2024〕12号`, with full-width （） and 〔〕 and no padding of the number.
pub fn format(words: &NumberingWords, kind: DocumentKind, year: i32, seq: u32) -> String {
    format!(
        "（{}）{}〔{year}〕{seq}号",
        words.region_short,
        words.word(kind)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_numbers_read_as_in_the_documents() {
        let w = NumberingWords::shipped_defaults();
        assert_eq!(
            format(&w, DocumentKind::InspectionRecord, 2024, 12),
            "（青）应急检记〔2024〕12号"
        );
        assert_eq!(
            format(&w, DocumentKind::OnSiteMeasures, 2024, 12),
            "（青）应急现决〔2024〕12号"
        );
        assert_eq!(
            format(&w, DocumentKind::CorrectionOrder, 2024, 12),
            "（青）应急责改〔2024〕12号"
        );
        assert_eq!(
            format(&w, DocumentKind::ReInspection, 2024, 12),
            "（青）应急复查〔2024〕12号"
        );
        assert_eq!(
            format(&w, DocumentKind::CaseFiling, 2025, 3),
            "（青）应急立〔2025〕3号"
        );
        let shipped = ShippedWords::load();
        assert_eq!(shipped.sources.len(), DocumentKind::ALL.len());
        assert!(!shipped.region_source.is_empty());
    }

    #[test]
    fn settings_change_the_words() {
        let mut w = NumberingWords::shipped_defaults();
        w.region_short = "邕青".into();
        w.kind_words
            .insert(DocumentKind::CorrectionOrder, "应急责改字".into());
        assert_eq!(w.check(), Ok(()));
        assert_eq!(
            format(&w, DocumentKind::CorrectionOrder, 2026, 105),
            "（邕青）应急责改字〔2026〕105号"
        );
        // A kind missing from the settings falls back to the default word, and check says so.
        w.kind_words.remove(&DocumentKind::ReInspection);
        assert_eq!(
            format(&w, DocumentKind::ReInspection, 2026, 1),
            "（邕青）应急复查〔2026〕1号"
        );
        let e = w.check().unwrap_err();
        assert_eq!(e.field(), Some("kind_words.re_inspection"));
        assert_eq!(e.message(), "请填写“整改复查意见书”的编号类别字");
    }

    #[test]
    fn families_group_the_documents() {
        let inspection: Vec<&str> = DocumentKind::ALL
            .into_iter()
            .filter(|k| k.family() == SequenceFamily::Inspection)
            .map(DocumentKind::label)
            .collect();
        assert_eq!(
            inspection,
            [
                "现场检查记录",
                "现场处理措施决定书",
                "责令限期整改指令书",
                "整改复查意见书"
            ]
        );
        assert_eq!(DocumentKind::CaseFiling.family(), SequenceFamily::Case);
        for k in DocumentKind::ALL {
            assert_eq!(DocumentKind::from_code(k.code()), Some(k));
        }
    }

    #[test]
    fn invalid_settings_are_refused_with_their_field() {
        let region = |s: &str| check_region_short(s).unwrap_err();
        assert_eq!(region("").message(), "文书编号的地区简称不能为空");
        assert_eq!(region("").field(), Some("region_short"));
        assert_eq!(
            region("一二三四五六七").message(),
            "文书编号的地区简称不能超过6个字"
        );
        assert_eq!(
            region("（青）").message(),
            "文书编号的地区简称不能包含括号（编号的括号由系统加上）"
        );
        assert!(check_region_short("青(").is_err());
        assert_eq!(
            region("青 秀").message(),
            "文书编号的地区简称不能包含空格、换行或控制字符"
        );
        assert!(check_region_short("青\u{0}").is_err());
        assert_eq!(check_region_short("一二三四五六"), Ok(()));
        let word = |s: &str| check_kind_word(DocumentKind::InspectionRecord, s).unwrap_err();
        assert_eq!(word("").field(), Some("kind_words.inspection_record"));
        assert_eq!(word("").message(), "“现场检查记录”的编号类别字不能为空");
        assert_eq!(
            word("一二三四五六七八九十一").message(),
            "“现场检查记录”的编号类别字不能超过10个字"
        );
        assert!(check_kind_word(DocumentKind::CaseFiling, "应急〔立〕").is_err());
        assert_eq!(
            check_kind_word(DocumentKind::CaseFiling, "一二三四五六七八九十"),
            Ok(())
        );
    }

    #[test]
    fn a_broken_data_file_is_reported() {
        assert!(parse_shipped("region_short = \"青\"\nregion_source = \"x\"\nkind = []").is_err());
        let twice = SHIPPED.replace("code = \"case_filing\"", "code = \"re_inspection\"");
        assert_eq!(
            parse_shipped(&twice).unwrap_err(),
            "kind re_inspection twice"
        );
    }
}
