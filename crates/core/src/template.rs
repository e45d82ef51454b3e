//! The campaign template: what a campaign is made of, as data.
//!
//! A template is produced by the plan importer (`safeduty-plan`) from a plan document, reviewed and
//! edited by people, and stored as TOML (schema documented in `docs/campaign-template.md`). A
//! campaign is created from a snapshot of a template. Checklists, phases, measures and deadlines
//! come from here, never from code (DESIGN.md §3, "Templates as data").
//!
//! The schema serves the whole family of plans: nested groups (an area may hold sub-areas),
//! check items outside any area, recurring obligations, questions left for a reviewer, and the
//! review edits a person made. Line numbers are 1-based lines of the normalized source text.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Version of the template schema written by this build. Bumped when a field changes meaning.
pub const SCHEMA_VERSION: u32 = 1;

/// Default time limit, in working days, for a finding opened from a self-inspection item judged
/// 不符合, when the template does not set one (issue #2; the plan leaves it to the units).
pub const DEFAULT_FINDING_TIME_LIMIT_WORKING_DAYS: u32 = 20;

/// A campaign template: one plan document turned into data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignTemplate {
    /// Schema version, [`SCHEMA_VERSION`] when written by this build.
    pub schema: u32,
    /// Identity of the plan document.
    pub plan: PlanInfo,
    /// Settings a campaign created from this template starts with.
    #[serde(default)]
    pub settings: Settings,
    /// The campaign's own window, when the plan states one (`从即日起到12月底`, `为期半年`,
    /// `(2024—2026年)`), apart from its phases. Absent in templates written before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<CampaignWindow>,
    /// Target industries named by the plan (e.g. 非煤矿山), in the order written.
    #[serde(default)]
    pub target_industries: Vec<String>,
    /// Duty areas (治理内容), in document order; each may nest sub-areas.
    #[serde(default)]
    pub areas: Vec<DutyArea>,
    /// Check items that belong to no area (some plans list items directly).
    #[serde(default)]
    pub items: Vec<CheckItem>,
    /// Phases (阶段) with their date windows.
    #[serde(default)]
    pub phases: Vec<Phase>,
    /// Measures every supervising unit must carry out (e.g. the "eight ones", 八个一).
    #[serde(default)]
    pub measures: Vec<Measure>,
    /// Reporting obligations with their due rules.
    #[serde(default)]
    pub obligations: Vec<Obligation>,
    /// What the importer could not read with certainty; a reviewer answers these.
    #[serde(default)]
    pub questions: Vec<Question>,
    /// Corrections a reviewer made to what the importer found.
    #[serde(default)]
    pub review_edits: Vec<ReviewEdit>,
}

/// Identity of the plan document a template came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PlanInfo {
    /// Title of the plan (e.g. 企业安全生产管理人员履职专项治理工作方案); empty when not found.
    #[serde(default)]
    pub title: String,
    /// Document number (文号), e.g. 青安委〔2024〕2号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_number: Option<String>,
    /// Issuing body (发文机关), as signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// Date of the document as signed (成文日期); phase years and 即日起 derive from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue_date: Option<NaiveDate>,
    /// Publication date from a web page's metadata (发布日期), kept apart from `issue_date`:
    /// when both are present the signed date is the document's date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<NaiveDate>,
    /// Name of the source file the template was imported from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl PlanInfo {
    /// Year the campaign runs in: the year of the issue date, if known.
    pub fn year(&self) -> Option<i32> {
        use chrono::Datelike;
        self.issue_date.map(|d| d.year())
    }
}

/// The window a plan gives the whole campaign, usually in its opening sentences
/// (`城区安委会决定从即日起到12月底…开展…专项治理行动`), inclusive on both ends, Asia/Shanghai civil
/// dates. It is the campaign's own: a plan may state it and give no phases, or phases that do not
/// cover it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CampaignWindow {
    /// First day; for `即日起` the plan's issue date. `None` when it could not be determined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<NaiveDate>,
    /// Last day. `None` when it could not be determined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<NaiveDate>,
    /// The window as written, e.g. “从即日起到12月底”.
    #[serde(default)]
    pub text: String,
    /// Where it was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<Lines>,
}

/// Settings a campaign starts with; editable per campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Working days an enterprise has to rectify a finding opened by self-inspection.
    pub finding_time_limit_working_days: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            finding_time_limit_working_days: DEFAULT_FINDING_TIME_LIMIT_WORKING_DAYS,
        }
    }
}

/// Inclusive range of source lines (1-based) an element was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lines(pub u32, pub u32);

impl Lines {
    /// A single line.
    pub fn one(line: u32) -> Self {
        Lines(line, line)
    }
}

/// A duty area (治理内容 heading such as “(一)……方面。重点治理:”), owning check items and
/// possibly nested sub-areas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutyArea {
    /// Label as numbered in the document, e.g. "一" for “(一)”.
    pub label: String,
    /// Heading text without its number, e.g. 组织或者参与拟订本单位安全生产规章制度……方面.
    pub title: String,
    /// Check items directly under this area, in document order.
    #[serde(default)]
    pub items: Vec<CheckItem>,
    /// Nested sub-areas, when the plan groups items on more than one level.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<DutyArea>,
    /// Where the heading was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<Lines>,
}

/// One numbered check item (履职事项), usually a “是否……” question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckItem {
    /// Number as written; in the Qingxiu plan items are numbered 1–31 across all areas.
    pub number: u32,
    /// Full text of the item, Simplified Chinese.
    pub text: String,
    /// Legal basis, e.g. 《安全生产法》第二十五条第五项, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<String>,
    /// What good evidence looks like, for enterprises and inspectors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_guidance: Option<String>,
    /// Where the item was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<Lines>,
}

/// A named phase with its date window (inclusive on both ends, Asia/Shanghai civil dates).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    /// Ordinal as written (第一阶段 → 1).
    pub ordinal: u32,
    /// Name, e.g. 动员部署.
    pub name: String,
    /// First day; for “即日起” this is the plan's issue date. `None` when the plan gives no start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<NaiveDate>,
    /// Last day. `None` when the plan gives no end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<NaiveDate>,
    /// The window as written, e.g. “4月30日前”.
    #[serde(default)]
    pub window_text: String,
    /// Where the phase was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<Lines>,
}

/// A measure every supervising unit carries out (one of the “eight ones”).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// 1-based position in the plan's list.
    pub number: u32,
    /// Text, e.g. 召开一次动员部署会.
    pub name: String,
    /// Where the measure was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<Lines>,
}

/// A reporting obligation (报送) with its due rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Obligation {
    /// What is to be reported, e.g. 工作阶段性进展情况.
    pub name: String,
    /// To whom, when the plan says (e.g. 城区安委会办公室).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// When it is due.
    pub due: DueRule,
    /// Due date computed by the importer from `due` with the shipped calendar; informative only:
    /// a campaign recomputes it from `due`. `None` for recurring rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<NaiveDate>,
    /// The sentence the obligation was read from.
    #[serde(default)]
    pub source_text: String,
    /// Where it was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<Lines>,
}

/// How a due date is determined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum DueRule {
    /// Due on or before a fixed date (“3月30日前”).
    OnOrBefore {
        /// The date.
        date: NaiveDate,
    },
    /// Due on the N-th working day after an anchor (“…阶段结束后5个工作日内”).
    WorkingDaysAfter {
        /// N, working days.
        days: u32,
        /// What the count starts after.
        anchor: Anchor,
    },
    /// Due N calendar days after an anchor.
    CalendarDaysAfter {
        /// N, calendar days.
        days: u32,
        /// What the count starts after.
        anchor: Anchor,
    },
    /// A recurring obligation (“每季度报送一次”); `day` of the period when the plan gives it.
    Recurring {
        /// Period.
        every: Period,
        /// Day of the period's first month on or before which it is due, when given (每月5日前 → 5).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        day: Option<u32>,
    },
}

/// What a relative deadline counts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "after", rename_all = "snake_case", deny_unknown_fields)]
pub enum Anchor {
    /// The end of the named phase.
    PhaseEnd {
        /// Phase name, e.g. 自查自纠.
        phase: String,
    },
    /// The last day of the campaign year (12-31).
    YearEnd,
    /// A fixed date.
    Date {
        /// The date.
        date: NaiveDate,
    },
}

/// Period of a recurring obligation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// Every month.
    Month,
    /// Every quarter.
    Quarter,
    /// Every half year.
    HalfYear,
    /// Every year.
    Year,
}

/// Something the importer could not read with certainty, left for a reviewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Kind of doubt.
    pub kind: QuestionKind,
    /// Source line (1-based) the doubt is about.
    pub line: u32,
    /// The text as found, around the doubtful spot.
    pub excerpt: String,
    /// What the reviewer should decide, in Chinese for the review page.
    pub message: String,
    /// Set when a review edit answered it.
    #[serde(default)]
    pub resolved: bool,
}

/// Kinds of reviewer questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Unreadable characters (mojibake) in the source.
    Garbled,
    /// A word that looks replaced: by a text spinner (`平安生产` for `安全生产`) or by a
    /// recognition slip (`县否` for `是否`). Kept as found; a person decides.
    Wording,
    /// A date or window that could not be fully determined.
    Date,
    /// A structure element that looks incomplete (an area with no items, a gap in numbering).
    Structure,
    /// The text ends mid-sentence.
    Truncated,
}

/// A correction a reviewer made to the imported template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewEdit {
    /// Source line the edit concerns, when it answers a question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// Which element changed, e.g. `items.9.text` or `target_industries.3`.
    pub field: String,
    /// Text before the edit.
    pub before: String,
    /// Text after the edit.
    pub after: String,
    /// Why, in a few words.
    #[serde(default)]
    pub note: String,
}

impl CampaignTemplate {
    /// An empty template with no structure, for a text in which nothing was found.
    pub fn empty() -> Self {
        Self {
            schema: SCHEMA_VERSION,
            plan: PlanInfo::default(),
            settings: Settings::default(),
            window: None,
            target_industries: Vec::new(),
            areas: Vec::new(),
            items: Vec::new(),
            phases: Vec::new(),
            measures: Vec::new(),
            obligations: Vec::new(),
            questions: Vec::new(),
            review_edits: Vec::new(),
        }
    }

    /// All check items in document order: loose items first, then each area depth-first.
    pub fn all_items(&self) -> Vec<&CheckItem> {
        fn walk<'a>(areas: &'a [DutyArea], out: &mut Vec<&'a CheckItem>) {
            for a in areas {
                out.extend(a.items.iter());
                walk(&a.areas, out);
            }
        }
        let mut out: Vec<&CheckItem> = self.items.iter().collect();
        walk(&self.areas, &mut out);
        out
    }

    /// Whether any campaign structure was found: an item, a phase, a measure or an obligation.
    /// A template without any is what the importer gives for a text that is not a plan.
    pub fn has_structure(&self) -> bool {
        !self.all_items().is_empty()
            || !self.phases.is_empty()
            || !self.measures.is_empty()
            || !self.obligations.is_empty()
    }

    /// The campaign's last day: the end of its window when the plan states one, else the latest
    /// phase end, if any phase has one.
    pub fn last_day(&self) -> Option<chrono::NaiveDate> {
        self.window
            .as_ref()
            .and_then(|w| w.end)
            .or_else(|| self.phases.iter().filter_map(|p| p.end).max())
    }

    /// The phase named `name`, if any.
    pub fn phase(&self, name: &str) -> Option<&Phase> {
        self.phases.iter().find(|p| p.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn phase(ordinal: u32, end: Option<NaiveDate>) -> Phase {
        Phase {
            ordinal,
            name: format!("阶段{ordinal}"),
            start: None,
            end,
            window_text: String::new(),
            lines: None,
        }
    }

    #[test]
    fn last_day_prefers_the_window_end() {
        let mut t = CampaignTemplate::empty();
        assert_eq!(t.last_day(), None);
        t.phases = vec![
            phase(1, Some(d(2024, 6, 30))),
            phase(2, Some(d(2024, 11, 30))),
        ];
        assert_eq!(t.last_day(), Some(d(2024, 11, 30)));
        // A window without an end leaves the phases' end.
        t.window = Some(CampaignWindow {
            start: Some(d(2024, 3, 29)),
            ..CampaignWindow::default()
        });
        assert_eq!(t.last_day(), Some(d(2024, 11, 30)));
        t.window = Some(CampaignWindow {
            start: Some(d(2024, 3, 29)),
            end: Some(d(2024, 12, 31)),
            text: "从即日起到12月底".into(),
            lines: Some(Lines::one(9)),
        });
        assert_eq!(t.last_day(), Some(d(2024, 12, 31)));
        t.phases.clear();
        assert_eq!(t.last_day(), Some(d(2024, 12, 31)));
    }

    /// A template stored before the window existed (campaign snapshots, drafts) still reads.
    #[test]
    fn a_template_without_a_window_reads() {
        let t = CampaignTemplate::empty();
        let text = toml::to_string(&t).unwrap();
        assert!(!text.contains("window"), "{text}");
        let back: CampaignTemplate = toml::from_str(&text).unwrap();
        assert_eq!(back.window, None);
        let with = CampaignTemplate {
            window: Some(CampaignWindow {
                start: Some(d(2024, 1, 1)),
                end: Some(d(2026, 12, 31)),
                text: "2024—2026年".into(),
                lines: None,
            }),
            ..t
        };
        let text = toml::to_string(&with).unwrap();
        assert!(text.contains("[window]"), "{text}");
        assert_eq!(toml::from_str::<CampaignTemplate>(&text).unwrap(), with);
    }
}
