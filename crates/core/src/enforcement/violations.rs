//! The violation library (违法行为库): each row names a behaviour (违法行为), the article it
//! violates (违反条款), the article the penalty is taken from (处罚依据) and who is penalised.
//! Inspection records and cases pick their suspected violations from it.
//!
//! The shipped rows (`crates/core/data/violations.toml`) cover the campaign's duties: the seven
//! duties of Work Safety Law art. 25 and the inspection duty of art. 46 (penalty art. 96, on the
//! person), the unit-level failures of art. 97 and accident hazards not eliminated (art. 102).
//! A row is `verified` when both its articles were seen in the 2021 text or confirmed by a
//! commentary on it (`shared/domain/work-safety-law.md`); rows resting on an article that file
//! did not retrieve, or on background knowledge, are not, and [`Library::unverified`] lists them.
//! The committee office edits the library later (the store keeps it); [`ViolationRow::check`]
//! checks an edited row.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::refusal::Refusal;

const SHIPPED: &str = include_str!("../../data/violations.toml");

/// Longest code, in characters.
pub const CODE_MAX_CHARS: usize = 32;
/// Longest behaviour, in characters.
pub const BEHAVIOUR_MAX_CHARS: usize = 200;
/// Longest article reference (violated or penalty), in characters.
pub const ARTICLE_MAX_CHARS: usize = 200;
/// Longest source note, in characters.
pub const SOURCE_MAX_CHARS: usize = 500;

/// Who is penalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// A natural person (e.g. a safety manager under art. 96): 个人.
    Person,
    /// The production or business unit: 单位.
    Unit,
}

impl Party {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Party::Person => "person",
            Party::Unit => "unit",
        }
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Party::Person => "个人",
            Party::Unit => "单位",
        }
    }
}

/// One row of the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViolationRow {
    /// Stable code (`wsl-25-1`): lower-case ASCII letters, digits, `.`, `_`, `-`; at most
    /// [`CODE_MAX_CHARS`].
    pub code: String,
    /// 违法行为, Chinese.
    pub behaviour: String,
    /// 违反条款: the article setting the duty.
    pub violated: String,
    /// 处罚依据: the article the penalty is taken from.
    pub penalty: String,
    /// Who is penalised.
    pub party: Party,
    /// Whether both articles were verified (see the module doc).
    pub verified: bool,
    /// Where the row comes from and what remains to check.
    pub source: String,
}

impl ViolationRow {
    /// Checks a row as a person edited it: every text field not blank, within its length, with
    /// no control characters (line breaks included: these are one-line fields), and the code in
    /// its alphabet.
    ///
    /// # Errors
    /// The first invalid field, as a [`Refusal`] naming it (`code`, `behaviour`, `violated`,
    /// `penalty`, `source`).
    pub fn check(&self) -> Result<(), Refusal> {
        let code_ok = self
            .code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
        if self.code.is_empty() || self.code.chars().count() > CODE_MAX_CHARS || !code_ok {
            return Err(Refusal::invalid(format!(
                "违法行为编号应为1至{CODE_MAX_CHARS}位小写字母、数字或 . _ -"
            ))
            .on("code"));
        }
        let fields = [
            (
                "behaviour",
                "违法行为",
                &self.behaviour,
                BEHAVIOUR_MAX_CHARS,
            ),
            ("violated", "违反条款", &self.violated, ARTICLE_MAX_CHARS),
            ("penalty", "处罚依据", &self.penalty, ARTICLE_MAX_CHARS),
            ("source", "来源说明", &self.source, SOURCE_MAX_CHARS),
        ];
        for (field, label, text, max) in fields {
            let refuse = |why: String| Err(Refusal::invalid(why).on(field));
            if text.trim().is_empty() {
                return refuse(format!("请填写{label}"));
            }
            if text.chars().count() > max {
                return refuse(format!("{label}不能超过{max}个字"));
            }
            if text.chars().any(char::is_control) {
                return refuse(format!("{label}不能包含换行或控制字符"));
            }
        }
        Ok(())
    }
}

/// Library data that cannot be used: the line (1-based), the row (1-based, once known) and its
/// code, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "违法行为库第{line}行{}：{message}",
    .row.map(|r| format!("（第{r}条{}）", .code.as_deref().unwrap_or(""))).unwrap_or_default()
)]
pub struct LibraryError {
    /// 1-based line.
    pub line: usize,
    /// 1-based row, once the rows were read.
    pub row: Option<usize>,
    /// The row's code as written.
    pub code: Option<String>,
    /// What is wrong (Chinese, or the TOML reader's words for a syntax error).
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    row: Vec<RawRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRow {
    code: Spanned<String>,
    behaviour: String,
    violated: String,
    penalty: String,
    party: Party,
    verified: bool,
    source: String,
}

/// The violation library: rows with unique codes, in the data's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Library {
    rows: Vec<ViolationRow>,
}

impl Library {
    /// The rows shipped in the binary (`crates/core/data/violations.toml`).
    pub fn shipped() -> Library {
        Library::parse(SHIPPED).expect("shipped violation library is valid")
    }

    /// Parses library data in the shipped format.
    ///
    /// # Errors
    /// [`LibraryError`] naming the line and the row: TOML syntax or an unknown field, a row
    /// refused by [`ViolationRow::check`], a code used twice.
    pub fn parse(text: &str) -> Result<Library, LibraryError> {
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let file: RawFile = toml::from_str(text).map_err(|e| LibraryError {
            line: e.span().map_or(1, |s| line_of(s.start)),
            row: None,
            code: None,
            message: e.message().to_string(),
        })?;
        let mut rows: Vec<ViolationRow> = Vec::with_capacity(file.row.len());
        for (i, raw) in file.row.into_iter().enumerate() {
            let line = line_of(raw.code.span().start);
            let row = ViolationRow {
                code: raw.code.into_inner(),
                behaviour: raw.behaviour,
                violated: raw.violated,
                penalty: raw.penalty,
                party: raw.party,
                verified: raw.verified,
                source: raw.source,
            };
            let error = |message: String| LibraryError {
                line,
                row: Some(i + 1),
                code: Some(row.code.clone()),
                message,
            };
            if let Err(refusal) = row.check() {
                return Err(error(refusal.message().to_string()));
            }
            if rows.iter().any(|r| r.code == row.code) {
                return Err(error(format!("编号“{}”重复", row.code)));
            }
            rows.push(row);
        }
        Ok(Library { rows })
    }

    /// Every row, in the data's order.
    pub fn rows(&self) -> &[ViolationRow] {
        &self.rows
    }

    /// The row with `code`.
    pub fn get(&self, code: &str) -> Option<&ViolationRow> {
        self.rows.iter().find(|r| r.code == code)
    }

    /// The rows not verified, in the data's order: what to check before they are shown as law.
    pub fn unverified(&self) -> Vec<&ViolationRow> {
        self.rows.iter().filter(|r| !r.verified).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_library_has_the_campaign_rows() {
        let lib = Library::shipped();
        let codes: Vec<&str> = lib.rows().iter().map(|r| r.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "wsl-25-1",
                "wsl-25-2",
                "wsl-25-3",
                "wsl-25-4",
                "wsl-25-5",
                "wsl-25-6",
                "wsl-25-7",
                "wsl-46-1",
                "wsl-46-2",
                "wsl-46-3",
                "wsl-97-1",
                "wsl-97-2",
                "wsl-97-3",
                "wsl-97-4",
                "wsl-97-5",
                "wsl-97-6",
                "wsl-97-7",
                "wsl-102-1",
            ]
        );
        for row in lib.rows() {
            assert_eq!(row.check(), Ok(()), "{}", row.code);
        }
        let hazard = lib.get("wsl-102-1").unwrap();
        assert_eq!(hazard.penalty, "《中华人民共和国安全生产法》第一百零二条");
        assert_eq!(hazard.party, Party::Unit);
        assert!(lib.get("wsl-25-8").is_none());
    }

    #[test]
    fn each_art_25_duty_maps_to_art_96_on_the_person() {
        let lib = Library::shipped();
        let items = ["一", "二", "三", "四", "五", "六", "七"];
        for (n, item) in (1..=7).zip(items) {
            let row = lib.get(&format!("wsl-25-{n}")).unwrap();
            assert_eq!(
                row.violated,
                format!("《中华人民共和国安全生产法》第二十五条第一款第（{item}）项")
            );
            assert_eq!(row.penalty, "《中华人民共和国安全生产法》第九十六条");
            assert_eq!(row.party, Party::Person);
            assert!(row.verified);
            assert!(row.behaviour.starts_with("安全生产管理人员"));
        }
        for n in 1..=3 {
            let row = lib.get(&format!("wsl-46-{n}")).unwrap();
            assert_eq!(row.violated, "《中华人民共和国安全生产法》第四十六条");
            assert_eq!(row.penalty, "《中华人民共和国安全生产法》第九十六条");
            assert_eq!(row.party, Party::Person);
        }
    }

    #[test]
    fn the_unverified_rows_are_exactly_those_on_unretrieved_articles() {
        let lib = Library::shipped();
        let unverified: Vec<&str> = lib.unverified().iter().map(|r| r.code.as_str()).collect();
        assert_eq!(
            unverified,
            [
                "wsl-97-1",
                "wsl-97-2",
                "wsl-97-3",
                "wsl-97-4",
                "wsl-97-5",
                "wsl-97-6",
                "wsl-97-7",
                "wsl-102-1",
            ]
        );
        for n in 1..=7 {
            let row = lib.get(&format!("wsl-97-{n}")).unwrap();
            assert_eq!(row.party, Party::Unit);
            assert!(
                row.penalty
                    .starts_with("《中华人民共和国安全生产法》第九十七条第（")
            );
        }
    }

    fn row() -> ViolationRow {
        Library::shipped().get("wsl-25-4").unwrap().clone()
    }

    #[test]
    fn an_edited_row_is_checked_field_by_field() {
        let refused = |edit: fn(&mut ViolationRow)| {
            let mut r = row();
            edit(&mut r);
            let e = r.check().unwrap_err();
            (e.field().unwrap(), e.message().to_string())
        };
        assert_eq!(
            refused(|r| r.code = "WSL 1".into()),
            (
                "code",
                "违法行为编号应为1至32位小写字母、数字或 . _ -".into()
            )
        );
        assert_eq!(refused(|r| r.code = String::new()).0, "code");
        assert_eq!(refused(|r| r.code = "a".repeat(33)).0, "code");
        assert_eq!(
            refused(|r| r.behaviour = "  ".into()),
            ("behaviour", "请填写违法行为".into())
        );
        assert_eq!(
            refused(|r| r.behaviour = "未".repeat(201)),
            ("behaviour", "违法行为不能超过200个字".into())
        );
        assert_eq!(
            refused(|r| r.violated = "第二十五条\n第一款".into()),
            ("violated", "违反条款不能包含换行或控制字符".into())
        );
        assert_eq!(
            refused(|r| r.penalty = "第九十六条\u{0}".into()).0,
            "penalty"
        );
        assert_eq!(
            refused(|r| r.source = String::new()),
            ("source", "请填写来源说明".into())
        );
        let mut ok = row();
        ok.code = "qx-2024.local_1".into();
        assert_eq!(ok.check(), Ok(()));
    }

    #[test]
    fn parse_errors_name_the_line_and_the_row() {
        // The shipped text up to its second row, then its first row again.
        let first = SHIPPED.find("\n[[row]]\n").unwrap();
        let second = first + 1 + SHIPPED[first + 1..].find("\n[[row]]\n").unwrap();
        let dup = format!("{}{}", &SHIPPED[..second], &SHIPPED[first..second]);
        let e = Library::parse(&dup).unwrap_err();
        assert_eq!((e.row, e.code.as_deref()), (Some(2), Some("wsl-25-1")));
        assert!(
            e.to_string()
                .contains("（第2条wsl-25-1）：编号“wsl-25-1”重复"),
            "{e}"
        );
        let second_code = dup.rfind("code = \"wsl-25-1\"").unwrap();
        assert_eq!(e.line, dup[..second_code].matches('\n').count() + 1);

        let blank = SHIPPED.replacen(
            "penalty = \"《中华人民共和国安全生产法》第九十六条\"",
            "penalty = \" \"",
            1,
        );
        let e = Library::parse(&blank).unwrap_err();
        assert_eq!((e.row, e.message.as_str()), (Some(1), "请填写处罚依据"));

        let party = SHIPPED.replacen("party = \"person\"", "party = \"company\"", 1);
        let e = Library::parse(&party).unwrap_err();
        assert_eq!(e.row, None);
        assert_eq!(
            SHIPPED.lines().nth(e.line - 1).unwrap(),
            "party = \"person\""
        );

        let unknown = SHIPPED.replacen("verified = true", "verified = true\narticle = 1", 1);
        assert!(
            Library::parse(&unknown)
                .unwrap_err()
                .message
                .contains("article")
        );
    }
}
