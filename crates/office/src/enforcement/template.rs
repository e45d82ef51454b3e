//! The enforcement documents' form texts as versioned data (`templates/enforcement.toml`): per
//! document and version, the day it takes effect, where its wording comes from, its title and
//! its fixed sentences with named placeholders (`{party}`, `{due_on}`, …).
//!
//! [`Templates::parse`] checks a file completely before anything is printed from it: every
//! document is known, every sentence the document prints is there and no other, each sentence
//! uses only the placeholders its key allows and all those it requires, versions of a document
//! grow with their effective dates. An error names the template, its version, the sentence and
//! the placeholder at fault. [`Templates::select`] picks the version in force on a document's
//! own date.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;

/// The templates shipped with the product (`crates/office/templates/enforcement.toml`).
pub const SHIPPED: &str = include_str!("../../templates/enforcement.toml");

/// Which enforcement document a template is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocumentKind {
    /// 现场检查记录, the on-site inspection record.
    InspectionRecord,
    /// 责令限期整改指令书, the order to correct within a time limit.
    CorrectionOrder,
    /// 整改复查意见书, the re-inspection opinion.
    ReInspection,
    /// 现场处理措施决定书, the decision on on-site measures (stop work, stop using equipment).
    OnSiteMeasures,
    /// 立案审批表, the approval of a case's filing (issue #13).
    CaseFiling,
    /// 行政处罚告知书, the notice of the proposed penalty and of the right to state and defend.
    PenaltyNotice,
    /// 听证告知书, the notice of the right to a hearing.
    HearingNotice,
    /// 行政处罚决定书, the penalty decision (a unit's or a person's).
    PenaltyDecision,
    /// 不予行政处罚决定书, the decision not to punish.
    NoPenaltyDecision,
    /// 送达回执, the receipt of service of a decision.
    ServiceReceipt,
    /// 结案审批表, the approval of a case's closing.
    CaseClosing,
    /// 典型案例通报, the circular of the typical cases exposed.
    ExposureCircular,
    /// 列入安全生产严重失信主体名单告知书, the prior notice of a listing (issue #14).
    DishonestyNotice,
    /// 列入安全生产严重失信主体名单决定书, the decision to list.
    DishonestyDecision,
    /// 约谈通知书, the summons of a unit's heads to an interview (issue #14 point 6).
    InterviewNotice,
    /// 约谈记录, the minutes of an interview.
    InterviewMinutes,
    /// 验收检查表, the checklist of an acceptance inspection (issue #14 point 6).
    AcceptanceChecklist,
    /// 验收报告, the report that concludes an acceptance.
    AcceptanceReport,
}

impl DocumentKind {
    /// Every document, in the order of the enforcement chain.
    pub const ALL: [DocumentKind; 18] = [
        DocumentKind::InspectionRecord,
        DocumentKind::CorrectionOrder,
        DocumentKind::ReInspection,
        DocumentKind::OnSiteMeasures,
        DocumentKind::CaseFiling,
        DocumentKind::PenaltyNotice,
        DocumentKind::HearingNotice,
        DocumentKind::PenaltyDecision,
        DocumentKind::NoPenaltyDecision,
        DocumentKind::ServiceReceipt,
        DocumentKind::CaseClosing,
        DocumentKind::ExposureCircular,
        DocumentKind::DishonestyNotice,
        DocumentKind::DishonestyDecision,
        DocumentKind::InterviewNotice,
        DocumentKind::InterviewMinutes,
        DocumentKind::AcceptanceChecklist,
        DocumentKind::AcceptanceReport,
    ];

    /// The template id that names this document in the data file.
    pub fn id(self) -> &'static str {
        match self {
            DocumentKind::InspectionRecord => "inspection_record",
            DocumentKind::CorrectionOrder => "correction_order",
            DocumentKind::ReInspection => "re_inspection",
            DocumentKind::OnSiteMeasures => "on_site_measures",
            DocumentKind::CaseFiling => "case_filing",
            DocumentKind::PenaltyNotice => "penalty_notice",
            DocumentKind::HearingNotice => "hearing_notice",
            DocumentKind::PenaltyDecision => "penalty_decision",
            DocumentKind::NoPenaltyDecision => "no_penalty_decision",
            DocumentKind::ServiceReceipt => "service_receipt",
            DocumentKind::CaseClosing => "case_closing",
            DocumentKind::ExposureCircular => "exposure_circular",
            DocumentKind::DishonestyNotice => "dishonesty_notice",
            DocumentKind::DishonestyDecision => "dishonesty_decision",
            DocumentKind::InterviewNotice => "interview_notice",
            DocumentKind::InterviewMinutes => "interview_minutes",
            DocumentKind::AcceptanceChecklist => "acceptance_checklist",
            DocumentKind::AcceptanceReport => "acceptance_report",
        }
    }

    /// The document named by template id `id`, if any.
    pub fn from_id(id: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.id() == id)
    }

    /// The sentences this document prints: each key a template must give, with its shape.
    pub fn keys(self) -> &'static [Key] {
        match self {
            DocumentKind::InspectionRecord => INSPECTION_RECORD,
            DocumentKind::CorrectionOrder => CORRECTION_ORDER,
            DocumentKind::ReInspection => RE_INSPECTION,
            DocumentKind::OnSiteMeasures => ON_SITE_MEASURES,
            DocumentKind::CaseFiling => CASE_FILING,
            DocumentKind::PenaltyNotice => PENALTY_NOTICE,
            DocumentKind::HearingNotice => HEARING_NOTICE,
            DocumentKind::PenaltyDecision => PENALTY_DECISION,
            DocumentKind::NoPenaltyDecision => NO_PENALTY_DECISION,
            DocumentKind::ServiceReceipt => SERVICE_RECEIPT,
            DocumentKind::CaseClosing => CASE_CLOSING,
            DocumentKind::ExposureCircular => EXPOSURE_CIRCULAR,
            DocumentKind::DishonestyNotice => DISHONESTY_NOTICE,
            DocumentKind::DishonestyDecision => DISHONESTY_DECISION,
            DocumentKind::InterviewNotice => INTERVIEW_NOTICE,
            DocumentKind::InterviewMinutes => INTERVIEW_MINUTES,
            DocumentKind::AcceptanceChecklist => ACCEPTANCE_CHECKLIST,
            DocumentKind::AcceptanceReport => ACCEPTANCE_REPORT,
        }
    }
}

/// One text of a template: its key and what it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The key in `[template.text]`.
    pub name: &'static str,
    /// What the key holds.
    pub shape: Shape,
}

/// What a template's text holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A sentence (a TOML string) that may use the `allowed` placeholders and must use the
    /// `required` ones (a subset of `allowed`).
    Sentence {
        /// The placeholders the sentence may use.
        allowed: &'static [&'static str],
        /// The placeholders the sentence must use.
        required: &'static [&'static str],
    },
    /// A table's column headings (a TOML list of strings), exactly this many, no placeholders.
    Columns(usize),
}

const fn sentence(
    name: &'static str,
    allowed: &'static [&'static str],
    required: &'static [&'static str],
) -> Key {
    Key {
        name,
        shape: Shape::Sentence { allowed, required },
    }
}

const fn fixed(name: &'static str) -> Key {
    sentence(name, &[], &[])
}

const fn columns(name: &'static str, n: usize) -> Key {
    Key {
        name,
        shape: Shape::Columns(n),
    }
}

const OFFICER: Key = sentence(
    "officer",
    &["name", "certificate"],
    &["name", "certificate"],
);
const OFFICERS_SIGN: Key = fixed("officers_sign");
const PARTY_SIGN: Key = fixed("party_sign");
const COPIES: Key = fixed("copies");
const ADDRESSEE: Key = sentence("addressee", &["party"], &["party"]);
const SEAL: Key = sentence("seal", &["issuer"], &["issuer"]);
const REMEDIES: Key = sentence(
    "remedies",
    &["days", "body", "months", "court"],
    &["days", "body", "months", "court"],
);
const FINDING_SLOTS: &[&str] = &["n", "description", "violation"];

const INSPECTION_RECORD: &[Key] = &[
    sentence("party", &["party"], &["party"]),
    sentence("uscc", &["uscc"], &["uscc"]),
    sentence("address", &["address"], &["address"]),
    sentence(
        "principal",
        &["principal", "principal_title"],
        &["principal"],
    ),
    sentence("phone", &["phone"], &["phone"]),
    sentence("place", &["place"], &["place"]),
    sentence("time", &["date", "start", "end"], &["date", "start", "end"]),
    sentence("notice", &["notice"], &["notice"]),
    OFFICER,
    sentence(
        "guest",
        &["name", "kind", "organisation"],
        &["name", "kind"],
    ),
    sentence("guests", &["guests"], &["guests"]),
    sentence("present", &["name", "title"], &["name"]),
    fixed("items_caption"),
    columns("items_columns", 4),
    fixed("violations_caption"),
    columns("violations_columns", 4),
    fixed("no_violations"),
    sentence("summary", &["summary"], &["summary"]),
    OFFICERS_SIGN,
    PARTY_SIGN,
    COPIES,
];

const CORRECTION_ORDER: &[Key] = &[
    ADDRESSEE,
    sentence(
        "opening",
        &["inspection_date", "record_number"],
        &["inspection_date", "record_number"],
    ),
    sentence("finding", FINDING_SLOTS, &["n", "description"]),
    sentence("order", &["due_on"], &["due_on"]),
    fixed("during"),
    REMEDIES,
    OFFICER,
    OFFICERS_SIGN,
    PARTY_SIGN,
    SEAL,
    COPIES,
];

const RE_INSPECTION: &[Key] = &[
    ADDRESSEE,
    sentence(
        "opening",
        &["order_date", "order_number", "date"],
        &["order_date", "order_number", "date"],
    ),
    columns("results_columns", 4),
    fixed("corrected"),
    fixed("not_corrected"),
    sentence("opinion", &["opinion"], &["opinion"]),
    REMEDIES,
    OFFICER,
    OFFICERS_SIGN,
    PARTY_SIGN,
    SEAL,
    COPIES,
];

const ON_SITE_MEASURES: &[Key] = &[
    ADDRESSEE,
    sentence("opening", &["date"], &[]),
    sentence("ground", FINDING_SLOTS, &["n", "description"]),
    sentence(
        "decision",
        &["measure", "from", "until"],
        &["measure", "from", "until"],
    ),
    sentence("lifting", &["condition"], &["condition"]),
    fixed("during"),
    REMEDIES,
    OFFICER,
    OFFICERS_SIGN,
    PARTY_SIGN,
    SEAL,
    COPIES,
];

// The case documents (issue #13). A person's or a unit's details are given as one `party` text.
const PARTY: Key = sentence("party", &["party"], &["party"]);
const USCC: Key = sentence("uscc", &["uscc"], &["uscc"]);
const CAUSE: Key = sentence("cause", &["cause"], &["cause"]);
const FACTS: Key = sentence("facts", &["cause", "facts"], &["cause"]);
const PROPOSAL: Key = sentence(
    "proposal",
    &["provision", "penalty"],
    &["provision", "penalty"],
);

const CASE_FILING: &[Key] = &[
    CAUSE,
    sentence("source", &["source"], &["source"]),
    PARTY,
    USCC,
    sentence("summary", &["facts"], &["facts"]),
    sentence("provision", &["provision"], &["provision"]),
    OFFICER,
    sentence("filed_on", &["date"], &["date"]),
    fixed("handler_opinion"),
    fixed("review_opinion"),
    fixed("approval_opinion"),
    fixed("opinion_sign"),
];

const PENALTY_NOTICE: &[Key] = &[
    ADDRESSEE,
    FACTS,
    PROPOSAL,
    sentence("statement", &["span"], &["span"]),
    sentence("hearing", &["span"], &["span"]),
    OFFICER,
    PARTY_SIGN,
    SEAL,
    COPIES,
];

const HEARING_NOTICE: &[Key] = &[
    ADDRESSEE,
    PROPOSAL,
    sentence("hearing", &["span"], &["span"]),
    OFFICER,
    PARTY_SIGN,
    SEAL,
    COPIES,
];

const PENALTY_DECISION: &[Key] = &[
    PARTY,
    USCC,
    FACTS,
    sentence("procedure", &["notice_date", "answer"], &["notice_date"]),
    sentence(
        "decision",
        &["provision", "amount"],
        &["provision", "amount"],
    ),
    sentence("band", &["band", "table"], &["band", "table"]),
    sentence("payment", &["span", "percent"], &["span", "percent"]),
    REMEDIES,
    OFFICER,
    OFFICERS_SIGN,
    PARTY_SIGN,
    SEAL,
    COPIES,
];

const NO_PENALTY_DECISION: &[Key] = &[
    PARTY,
    USCC,
    FACTS,
    sentence("basis", &["basis"], &["basis"]),
    sentence("follow_up", &["follow_up"], &["follow_up"]),
    REMEDIES,
    OFFICER,
    OFFICERS_SIGN,
    PARTY_SIGN,
    SEAL,
    COPIES,
];

const SERVICE_RECEIPT: &[Key] = &[
    sentence("document", &["document", "number"], &["document", "number"]),
    sentence("recipient", &["party"], &["party"]),
    fixed("place"),
    fixed("method"),
    fixed("time"),
    fixed("recipient_sign"),
    OFFICER,
    OFFICERS_SIGN,
    fixed("note"),
];

const CASE_CLOSING: &[Key] = &[
    CAUSE,
    PARTY,
    USCC,
    sentence("result", &["result"], &["result"]),
    sentence("execution", &["execution"], &["execution"]),
    OFFICER,
    sentence("closed_on", &["date"], &["date"]),
    fixed("handler_opinion"),
    fixed("approval_opinion"),
    fixed("opinion_sign"),
];

const EXPOSURE_CIRCULAR: &[Key] = &[
    fixed("intro"),
    sentence(
        "case",
        &[
            "n",
            "enterprise",
            "party",
            "violation",
            "violated_article",
            "applied_article",
            "penalty",
            "decided_on",
        ],
        &["n", "enterprise", "violation", "penalty"],
    ),
    fixed("none"),
    fixed("closing"),
];

const LISTING_FACTS: Key = sentence("facts", &["reasons", "penalty"], &["reasons", "penalty"]);

const DISHONESTY_NOTICE: &[Key] = &[
    ADDRESSEE,
    LISTING_FACTS,
    sentence("ground", &["clause", "ground"], &["clause"]),
    sentence("rights", &["span"], &["span"]),
    PARTY_SIGN,
    SEAL,
    COPIES,
];

const DISHONESTY_DECISION: &[Key] = &[
    PARTY,
    USCC,
    LISTING_FACTS,
    sentence("procedure", &["notice_date", "answer"], &["notice_date"]),
    fixed("no_objection"),
    sentence("objection_rejected", &["answer"], &["answer"]),
    sentence("decision", &["clause", "period"], &["clause", "period"]),
    sentence("repair", &["span"], &["span"]),
    REMEDIES,
    PARTY_SIGN,
    SEAL,
    COPIES,
];

const INTERVIEW_NOTICE: &[Key] = &[
    sentence("addressee", &["unit"], &["unit"]),
    sentence("issues", &["issues"], &["issues"]),
    sentence(
        "summons",
        &["date", "place", "interviewer", "interviewees"],
        &["date", "place", "interviewees"],
    ),
    sentence("actions", &["actions", "due_on"], &["actions", "due_on"]),
    SEAL,
];

const INTERVIEW_MINUTES: &[Key] = &[
    sentence("time", &["date"], &["date"]),
    sentence("place", &["place"], &["place"]),
    sentence("interviewer", &["interviewer"], &["interviewer"]),
    sentence("unit", &["unit"], &["unit"]),
    sentence("interviewees", &["interviewees"], &["interviewees"]),
    sentence("issues", &["issues"], &["issues"]),
    sentence("minutes", &["minutes"], &["minutes"]),
    sentence("actions", &["actions", "due_on"], &["actions", "due_on"]),
    fixed("interviewer_sign"),
    fixed("interviewees_sign"),
];

const ACCEPTANCE_HEAD: [Key; 6] = [
    sentence("enterprise", &["enterprise"], &["enterprise"]),
    sentence("uscc", &["uscc"], &["uscc"]),
    sentence("mode", &["mode", "third_party"], &["mode"]),
    sentence("date", &["date"], &["date"]),
    OFFICER,
    sentence("guests", &["guests"], &["guests"]),
];

const ACCEPTANCE_CHECKLIST: &[Key] = &[
    ACCEPTANCE_HEAD[0],
    ACCEPTANCE_HEAD[1],
    ACCEPTANCE_HEAD[2],
    ACCEPTANCE_HEAD[3],
    ACCEPTANCE_HEAD[4],
    ACCEPTANCE_HEAD[5],
    fixed("items_caption"),
    columns("items_columns", 4),
    OFFICERS_SIGN,
    fixed("guests_sign"),
    PARTY_SIGN,
];

const ACCEPTANCE_REPORT: &[Key] = &[
    ACCEPTANCE_HEAD[0],
    ACCEPTANCE_HEAD[1],
    ACCEPTANCE_HEAD[2],
    ACCEPTANCE_HEAD[3],
    ACCEPTANCE_HEAD[4],
    ACCEPTANCE_HEAD[5],
    sentence(
        "findings",
        &["items", "nonconform"],
        &["items", "nonconform"],
    ),
    sentence(
        "assessment",
        &["third_party", "text", "proposed", "adopted_on"],
        &["text", "adopted_on"],
    ),
    sentence("conclusion", &["conclusion"], &["conclusion"]),
    sentence("opinion", &["opinion"], &["opinion"]),
    SEAL,
];

/// Why a template file was refused, or why no template applies.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// The file is not TOML of the expected structure (a field missing, of the wrong type,
    /// or unknown).
    #[error("enforcement templates: {0}")]
    Syntax(String),
    /// A template's id names no document.
    #[error(
        "template {id}: unknown document (known: inspection_record, correction_order, \
         re_inspection, on_site_measures, case_filing, penalty_notice, hearing_notice, \
         penalty_decision, no_penalty_decision, service_receipt, case_closing, \
         exposure_circular)"
    )]
    UnknownDocument {
        /// The id given.
        id: String,
    },
    /// A text the document does not print.
    #[error("template {id} v{version}: unknown text `{key}`")]
    UnknownKey {
        /// The template's id.
        id: String,
        /// The template's version.
        version: u32,
        /// The key given.
        key: String,
    },
    /// A text the document prints is missing.
    #[error("template {id} v{version}: text `{key}` is missing")]
    MissingKey {
        /// The template's id.
        id: String,
        /// The template's version.
        version: u32,
        /// The key missing.
        key: String,
    },
    /// A sentence uses a placeholder its key does not allow.
    #[error("template {id} v{version}, text `{key}`: unknown placeholder {{{placeholder}}}")]
    UnknownPlaceholder {
        /// The template's id.
        id: String,
        /// The template's version.
        version: u32,
        /// The sentence's key.
        key: String,
        /// The placeholder's name as written.
        placeholder: String,
    },
    /// A sentence lacks a placeholder its key requires.
    #[error(
        "template {id} v{version}, text `{key}`: required placeholder {{{placeholder}}} is missing"
    )]
    MissingPlaceholder {
        /// The template's id.
        id: String,
        /// The template's version.
        version: u32,
        /// The sentence's key.
        key: String,
        /// The placeholder missing.
        placeholder: String,
    },
    /// A text of the wrong shape, or a stray brace.
    #[error("template {id} v{version}, text `{key}`: {reason}")]
    Malformed {
        /// The template's id.
        id: String,
        /// The template's version.
        version: u32,
        /// The text's key.
        key: String,
        /// What is wrong.
        reason: String,
    },
    /// A template's own fields are wrong (a version 0, a date with a time, versions out of
    /// order with their dates).
    #[error("template {id} v{version}: {reason}")]
    Invalid {
        /// The template's id.
        id: String,
        /// The template's version.
        version: u32,
        /// What is wrong.
        reason: String,
    },
    /// Two templates of one document have the same version.
    #[error("template {id}: version {version} is given twice")]
    DuplicateVersion {
        /// The template's id.
        id: String,
        /// The version given twice.
        version: u32,
    },
    /// No version of the document is in force on the day.
    #[error("template {id}: no version in force on {date}")]
    NotInForce {
        /// The document's template id.
        id: String,
        /// The document's date.
        date: NaiveDate,
    },
}

/// A piece of a sentence: literal text or a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Slot(String),
}

/// A checked text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Text {
    Sentence(Vec<Piece>),
    Columns(Vec<String>),
}

/// One version of one document's form text, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// The document.
    pub kind: DocumentKind,
    /// The version, from 1, growing with `effective_from`.
    pub version: u32,
    /// The first day the text applies.
    pub effective_from: NaiveDate,
    /// Where the wording comes from and whether it was checked (`式样参照…；文本待核对`).
    pub source: String,
    /// The document's title.
    pub title: String,
    texts: BTreeMap<&'static str, Text>,
}

impl Template {
    /// The template id (the document's, [`DocumentKind::id`]).
    pub fn id(&self) -> &'static str {
        self.kind.id()
    }

    /// Sentence `key` with its placeholders filled from `values` (name, value). A placeholder
    /// without a value is left empty; a key the document does not have gives an empty string
    /// (neither happens with the keys of [`DocumentKind::keys`] and their placeholders).
    pub fn render(&self, key: &str, values: &[(&str, &str)]) -> String {
        let Some(Text::Sentence(pieces)) = self.texts.get(key) else {
            debug_assert!(false, "no sentence `{key}` in {}", self.id());
            return String::new();
        };
        pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.as_str(),
                Piece::Slot(name) => values
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or("", |(_, v)| v),
            })
            .collect()
    }

    /// The column headings `key`; empty when the document has no such key.
    pub fn columns(&self, key: &str) -> Vec<String> {
        match self.texts.get(key) {
            Some(Text::Columns(c)) => c.clone(),
            _ => {
                debug_assert!(false, "no columns `{key}` in {}", self.id());
                Vec::new()
            }
        }
    }
}

/// A set of checked templates: every version of every document a file gives.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Templates {
    list: Vec<Template>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    template: Vec<RawTemplate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplate {
    id: String,
    version: u32,
    effective_from: toml::value::Datetime,
    source: String,
    title: String,
    text: BTreeMap<String, RawText>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawText {
    One(String),
    Many(Vec<String>),
}

/// `text` cut into literal pieces and placeholders; `{{` and `}}` are literal braces.
fn pieces(text: &str) -> Result<Vec<Piece>, String> {
    let mut out = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => name.push(c),
                        None => return Err(format!("unclosed brace before `{name}`")),
                    }
                }
                if !literal.is_empty() {
                    out.push(Piece::Text(std::mem::take(&mut literal)));
                }
                out.push(Piece::Slot(name));
            }
            '}' => return Err("a lone } (write }} for a literal brace)".into()),
            c => literal.push(c),
        }
    }
    if !literal.is_empty() {
        out.push(Piece::Text(literal));
    }
    Ok(out)
}

impl Templates {
    /// The templates shipped with the product ([`SHIPPED`]), checked by the crate's tests.
    ///
    /// # Panics
    /// Never with the shipped file (a test parses it).
    pub fn shipped() -> Templates {
        match Templates::parse(SHIPPED) {
            Ok(t) => t,
            Err(e) => panic!("the shipped enforcement templates do not parse: {e}"),
        }
    }

    /// Reads and checks a template file (the format of [`SHIPPED`]).
    ///
    /// # Errors
    /// [`TemplateError`] naming the template, version, text and placeholder at fault.
    pub fn parse(text: &str) -> Result<Templates, TemplateError> {
        let raw: RawFile =
            toml::from_str(text).map_err(|e| TemplateError::Syntax(e.to_string()))?;
        let mut list = Vec::new();
        for t in raw.template {
            list.push(check(t)?);
        }
        for kind in DocumentKind::ALL {
            let mut versions: Vec<&Template> = list.iter().filter(|t| t.kind == kind).collect();
            versions.sort_by_key(|t| t.version);
            for pair in versions.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                if a.version == b.version {
                    return Err(TemplateError::DuplicateVersion {
                        id: kind.id().into(),
                        version: a.version,
                    });
                }
                if b.effective_from <= a.effective_from {
                    return Err(TemplateError::Invalid {
                        id: kind.id().into(),
                        version: b.version,
                        reason: format!(
                            "takes effect on {}, not after version {} ({})",
                            b.effective_from, a.version, a.effective_from
                        ),
                    });
                }
            }
        }
        Ok(Templates { list })
    }

    /// Every template, in the file's order.
    pub fn all(&self) -> &[Template] {
        &self.list
    }

    /// The version of document `kind` in force on `date`: the one with the latest
    /// `effective_from` on or before it.
    ///
    /// # Errors
    /// [`TemplateError::NotInForce`] when every version takes effect after `date`, or none
    /// is given.
    pub fn select(&self, kind: DocumentKind, date: NaiveDate) -> Result<&Template, TemplateError> {
        self.list
            .iter()
            .filter(|t| t.kind == kind && t.effective_from <= date)
            .max_by_key(|t| t.effective_from)
            .ok_or_else(|| TemplateError::NotInForce {
                id: kind.id().into(),
                date,
            })
    }
}

/// One raw template checked against its document's keys.
fn check(t: RawTemplate) -> Result<Template, TemplateError> {
    let kind = DocumentKind::from_id(&t.id)
        .ok_or_else(|| TemplateError::UnknownDocument { id: t.id.clone() })?;
    let (id, version) = (t.id.clone(), t.version);
    let invalid = |reason: &str| TemplateError::Invalid {
        id: id.clone(),
        version,
        reason: reason.into(),
    };
    if version == 0 {
        return Err(invalid("versions are numbered from 1"));
    }
    let effective_from = match (t.effective_from.date, t.effective_from.time) {
        (Some(d), None) => NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into()),
        _ => None,
    }
    .ok_or_else(|| invalid("effective_from must be a date without a time, e.g. 2024-01-01"))?;
    if t.title.trim().is_empty() {
        return Err(invalid("the title is empty"));
    }
    let keys = kind.keys();
    if let Some(unknown) = t
        .text
        .keys()
        .find(|k| !keys.iter().any(|key| key.name == *k))
    {
        return Err(TemplateError::UnknownKey {
            id,
            version,
            key: unknown.clone(),
        });
    }
    let mut texts = BTreeMap::new();
    for key in keys {
        let raw = t
            .text
            .get(key.name)
            .ok_or_else(|| TemplateError::MissingKey {
                id: id.clone(),
                version,
                key: key.name.into(),
            })?;
        let malformed = |reason: String| TemplateError::Malformed {
            id: id.clone(),
            version,
            key: key.name.into(),
            reason,
        };
        let text = match (key.shape, raw) {
            (Shape::Sentence { allowed, required }, RawText::One(s)) => {
                let pieces = pieces(s).map_err(malformed)?;
                let slots: Vec<&str> = pieces
                    .iter()
                    .filter_map(|p| match p {
                        Piece::Slot(n) => Some(n.as_str()),
                        Piece::Text(_) => None,
                    })
                    .collect();
                if let Some(unknown) = slots.iter().find(|s| !allowed.contains(s)) {
                    return Err(TemplateError::UnknownPlaceholder {
                        id,
                        version,
                        key: key.name.into(),
                        placeholder: (*unknown).into(),
                    });
                }
                if let Some(missing) = required.iter().find(|r| !slots.contains(r)) {
                    return Err(TemplateError::MissingPlaceholder {
                        id,
                        version,
                        key: key.name.into(),
                        placeholder: (*missing).into(),
                    });
                }
                Text::Sentence(pieces)
            }
            (Shape::Columns(n), RawText::Many(headings)) if headings.len() == n => {
                Text::Columns(headings.clone())
            }
            (Shape::Sentence { .. }, RawText::Many(_)) => {
                return Err(malformed(
                    "expected a sentence (a string), found a list".into(),
                ));
            }
            (Shape::Columns(n), _) => {
                return Err(malformed(format!("expected a list of {n} column headings")));
            }
        };
        texts.insert(key.name, text);
    }
    Ok(Template {
        kind,
        version,
        effective_from,
        source: t.source,
        title: t.title,
        texts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_braces() {
        assert_eq!(
            pieces("于{due_on}前{{注}}").unwrap(),
            [
                Piece::Text("于".into()),
                Piece::Slot("due_on".into()),
                Piece::Text("前{注}".into()),
            ]
        );
        assert!(pieces("于{due_on前").is_err());
        assert!(pieces("于}前").is_err());
    }

    #[test]
    fn the_shipped_file_gives_every_document() {
        let t = Templates::shipped();
        let day = NaiveDate::from_ymd_opt(2024, 7, 15).unwrap();
        for kind in DocumentKind::ALL {
            let template = t.select(kind, day).unwrap();
            assert_eq!(template.version, 1);
            assert!(template.source.contains("待核对"), "{}", template.source);
        }
    }
}
