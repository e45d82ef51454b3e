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
//! The committee office of a region edits its library ([`RegionLibrary`]): it adds rows of its
//! own, overrides a shipped row by writing a row of the same code, and deactivates rows (never
//! deletes them: inspections refer to them by code); [`ViolationRow::check`] checks an edited
//! row. An inspection keeps the text of the rows it was recorded with ([`ViolationText`],
//! read back through [`RecordedTexts`]), so a later edit never changes a past record.

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
    /// Both parties, in the order of the library's forms.
    pub const ALL: &[Party] = &[Party::Person, Party::Unit];

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

    /// Parses a [`Party::code`].
    pub fn from_code(code: &str) -> Option<Party> {
        [Party::Person, Party::Unit]
            .into_iter()
            .find(|p| p.code() == code)
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
    /// The row's text as an inspection records it.
    pub fn text(&self) -> ViolationText {
        ViolationText {
            code: self.code.clone(),
            behaviour: self.behaviour.clone(),
            violated: self.violated.clone(),
            penalty: self.penalty.clone(),
            party: self.party,
        }
    }

    /// The row with every text field trimmed (as a form or a request gives it, before
    /// [`ViolationRow::check`]).
    #[must_use]
    pub fn trimmed(mut self) -> ViolationRow {
        for f in [
            &mut self.code,
            &mut self.behaviour,
            &mut self.violated,
            &mut self.penalty,
            &mut self.source,
        ] {
            *f = f.trim().to_string();
        }
        self
    }

    /// Checks a row as a person edited it: every text field not blank, within its length, with
    /// no control characters (line breaks included: these are one-line fields), and the code in
    /// its alphabet, starting with a letter or a digit.
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
        // A code is a path segment of the pages and the API: `.` or `..` would not survive.
        if !self.code.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err(Refusal::invalid("违法行为编号须以小写字母或数字开头").on("code"));
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

/// The text of a row as an inspection recorded it (kept with the inspection: a later edit of
/// the library leaves the record and its documents as they were).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViolationText {
    /// The row's code.
    pub code: String,
    /// 违法行为.
    pub behaviour: String,
    /// 违反条款.
    pub violated: String,
    /// 处罚依据.
    pub penalty: String,
    /// Who is penalised.
    pub party: Party,
}

/// The texts an inspection's suspected violations are read with: the snapshot kept when it was
/// recorded, and for a code the snapshot lacks (an inspection recorded before snapshots were
/// kept) the shipped library's row.
#[derive(Debug, Clone)]
pub struct RecordedTexts {
    snapshot: Vec<ViolationText>,
    shipped: Library,
}

impl RecordedTexts {
    /// The texts of an inspection recorded with `snapshot` (empty for one recorded before
    /// snapshots were kept).
    pub fn new(snapshot: Vec<ViolationText>) -> RecordedTexts {
        RecordedTexts {
            snapshot,
            shipped: Library::shipped(),
        }
    }

    /// The text of `code`: the snapshot's, else the shipped row's, else `None` (a code of a
    /// region row recorded without a snapshot cannot be read back).
    pub fn get(&self, code: &str) -> Option<ViolationText> {
        self.snapshot
            .iter()
            .find(|t| t.code == code)
            .cloned()
            .or_else(|| self.shipped.get(code).map(ViolationRow::text))
    }
}

/// A row written by the committee office of a region: a row of its own, or the override of a
/// shipped (or inherited) row of the same code; deactivated rows stay (inspections refer to
/// them by code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionRow {
    /// The region whose office wrote it.
    pub region_id: i64,
    /// That region's name (shown beside an inherited row).
    pub region_name: String,
    /// The row.
    pub row: ViolationRow,
    /// Whether it may be chosen on an inspection.
    pub active: bool,
}

/// Where a row of a region's library comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The shipped library, unchanged.
    Shipped,
    /// A row written by the office of region `region_id` (the region itself or one up the
    /// tree), `overrides` telling whether it replaces a shipped row of the same code.
    Region {
        /// The region whose office wrote it.
        region_id: i64,
        /// Its name.
        region_name: String,
        /// Whether a shipped row of the same code exists (and is replaced).
        overrides: bool,
    },
}

/// One row of a region's library in effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InEffect {
    /// The row.
    pub row: ViolationRow,
    /// Whether it may be chosen on an inspection.
    pub active: bool,
    /// Where it comes from.
    pub origin: Origin,
}

/// The violation library in effect in a region.
///
/// The rule (kept simple on purpose): for each code, the row written by the office of the
/// nearest region up the tree (the region itself first, then its parent …) that has a row of
/// that code wins; a code no region on the path wrote keeps the shipped row, active. So a
/// district office overrides or deactivates a shipped row, or one its city office wrote, by
/// writing its own row of the same code, and a town uses its district's library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionLibrary {
    rows: Vec<InEffect>,
}

impl RegionLibrary {
    /// Merges `region_rows` (of the regions on a path, nearest region first) over `shipped`:
    /// the shipped rows in their order (each replaced by the nearest region's row of its code),
    /// then the codes only regions wrote, by code.
    pub fn merge(shipped: &Library, region_rows: &[RegionRow]) -> RegionLibrary {
        let nearest = |code: &str| region_rows.iter().find(|r| r.row.code == code);
        let from_region = |r: &RegionRow, overrides: bool| InEffect {
            row: r.row.clone(),
            active: r.active,
            origin: Origin::Region {
                region_id: r.region_id,
                region_name: r.region_name.clone(),
                overrides,
            },
        };
        let mut rows: Vec<InEffect> = shipped
            .rows()
            .iter()
            .map(|s| match nearest(&s.code) {
                Some(r) => from_region(r, true),
                None => InEffect {
                    row: s.clone(),
                    active: true,
                    origin: Origin::Shipped,
                },
            })
            .collect();
        let mut extra: Vec<&RegionRow> = Vec::new();
        for r in region_rows {
            if shipped.get(&r.row.code).is_none() && !extra.iter().any(|e| e.row.code == r.row.code)
            {
                extra.push(r);
            }
        }
        extra.sort_by(|a, b| a.row.code.cmp(&b.row.code));
        rows.extend(extra.into_iter().map(|r| from_region(r, false)));
        RegionLibrary { rows }
    }

    /// Every row in effect, active or not, in the order of [`RegionLibrary::merge`].
    pub fn rows(&self) -> &[InEffect] {
        &self.rows
    }

    /// The row in effect with `code`, active or not.
    pub fn get(&self, code: &str) -> Option<&InEffect> {
        self.rows.iter().find(|r| r.row.code == code)
    }

    /// The rows an inspection may choose from.
    pub fn active(&self) -> impl Iterator<Item = &ViolationRow> {
        self.rows.iter().filter(|r| r.active).map(|r| &r.row)
    }

    /// The active row with `code`.
    pub fn active_row(&self, code: &str) -> Option<&ViolationRow> {
        self.get(code).filter(|r| r.active).map(|r| &r.row)
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
            refused(|r| r.code = "..".into()),
            ("code", "违法行为编号须以小写字母或数字开头".into())
        );
        assert_eq!(refused(|r| r.code = "-1".into()).0, "code");
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
    fn region_row(region_id: i64, code: &str, behaviour: &str, active: bool) -> RegionRow {
        let mut r = row();
        r.code = code.into();
        r.behaviour = behaviour.into();
        r.verified = false;
        RegionRow {
            region_id,
            region_name: format!("区域{region_id}"),
            row: r,
            active,
        }
    }

    #[test]
    fn without_region_rows_the_shipped_library_is_in_effect() {
        let shipped = Library::shipped();
        let lib = RegionLibrary::merge(&shipped, &[]);
        assert_eq!(lib.rows().len(), 18);
        assert!(
            lib.rows()
                .iter()
                .all(|r| r.active && r.origin == Origin::Shipped)
        );
        assert_eq!(lib.active().count(), 18);
        assert_eq!(lib.active_row("wsl-102-1"), shipped.get("wsl-102-1"));
    }

    #[test]
    fn the_nearest_region_with_a_row_of_a_code_wins_per_code() {
        let shipped = Library::shipped();
        // Nearest first: the district (2) before its city (1).
        let rows = [
            region_row(2, "wsl-25-4", "区改写的应急演练条目", true),
            region_row(2, "wsl-97-1", "区停用的条目", false),
            region_row(2, "qx-1", "区新增条目", true),
            region_row(1, "wsl-25-4", "市改写的应急演练条目", true),
            region_row(1, "wsl-25-5", "市改写的隐患排查条目", true),
            region_row(1, "qx-1", "市的同编号条目", true),
            region_row(1, "city-1", "市新增条目", false),
        ];
        let lib = RegionLibrary::merge(&shipped, &rows);
        let codes: Vec<&str> = lib.rows().iter().map(|r| r.row.code.as_str()).collect();
        // The shipped rows keep their order; the regions' own codes follow, by code.
        assert_eq!(codes.len(), 20);
        assert_eq!(codes[..3], ["wsl-25-1", "wsl-25-2", "wsl-25-3"]);
        assert_eq!(codes[18..], ["city-1", "qx-1"]);
        // The district's row beats the city's and the shipped one.
        let r = lib.get("wsl-25-4").unwrap();
        assert_eq!(r.row.behaviour, "区改写的应急演练条目");
        assert_eq!(
            r.origin,
            Origin::Region {
                region_id: 2,
                region_name: "区域2".into(),
                overrides: true
            }
        );
        // A code only the city wrote comes from the city.
        assert_eq!(
            lib.get("wsl-25-5").unwrap().row.behaviour,
            "市改写的隐患排查条目"
        );
        assert_eq!(lib.get("qx-1").unwrap().row.behaviour, "区新增条目");
        assert_eq!(
            lib.get("qx-1").unwrap().origin,
            Origin::Region {
                region_id: 2,
                region_name: "区域2".into(),
                overrides: false
            }
        );
        // Untouched shipped rows stay shipped and active.
        assert_eq!(lib.get("wsl-25-1").unwrap().origin, Origin::Shipped);
        // Deactivated rows stay in the library but cannot be chosen.
        assert!(!lib.get("wsl-97-1").unwrap().active);
        assert!(lib.active_row("wsl-97-1").is_none());
        assert!(lib.active_row("city-1").is_none());
        assert_eq!(lib.active().count(), 18);
        assert!(
            lib.active()
                .all(|r| r.code != "wsl-97-1" && r.code != "city-1")
        );
        assert!(lib.get("wsl-25-9").is_none());
    }

    #[test]
    fn recorded_texts_read_the_snapshot_then_the_shipped_rows() {
        let mut edited = row().text();
        edited.behaviour = "记录时的文字".into();
        let own = ViolationText {
            code: "qx-1".into(),
            behaviour: "本区条目".into(),
            violated: "某条".into(),
            penalty: "某条".into(),
            party: Party::Unit,
        };
        let texts = RecordedTexts::new(vec![edited.clone(), own.clone()]);
        assert_eq!(texts.get("wsl-25-4"), Some(edited));
        assert_eq!(texts.get("qx-1"), Some(own));
        // Not in the snapshot: the shipped row (inspections recorded before snapshots).
        let shipped = Library::shipped();
        assert_eq!(
            texts.get("wsl-102-1"),
            Some(shipped.get("wsl-102-1").unwrap().text())
        );
        assert_eq!(RecordedTexts::new(Vec::new()).get("qx-2"), None);
    }

    #[test]
    fn a_typed_row_is_trimmed_and_parties_parse() {
        let mut r = row();
        r.code = " qx-1 ".into();
        r.source = " 本区补充 ".into();
        let t = r.trimmed();
        assert_eq!((t.code.as_str(), t.source.as_str()), ("qx-1", "本区补充"));
        assert_eq!(Party::from_code("unit"), Some(Party::Unit));
        assert_eq!(Party::from_code("person"), Some(Party::Person));
        assert_eq!(Party::from_code("company"), None);
    }
}
