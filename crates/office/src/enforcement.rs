//! The enforcement documents (执法文书) the campaign's strict-enforcement phase prints, as Word
//! documents on the GB/T 9704 page ([`crate::gbt9704`]): 现场检查记录 ([`InspectionRecordDoc`]),
//! 责令限期整改指令书 ([`CorrectionOrderDoc`]), 整改复查意见书 ([`ReInspectionDoc`]) and
//! 现场处理措施决定书 ([`OnSiteMeasuresDoc`]); and the documents of a penalty case ([`CaseDoc`]:
//! 立案审批表, 行政处罚告知书, 听证告知书, 行政处罚决定书, 不予行政处罚决定书, 送达回执, 结案审批表).
//!
//! The records are plain structs the caller fills (strings and dates; no store types). The form
//! texts are not in the code: they are versioned templates ([`Templates`], the data file
//! `templates/enforcement.toml`), and each document uses the version in force on its own date
//! and says which in [`Generated`] (and in the file's custom properties `safeduty.template` and
//! `safeduty.template.version`). The remedies sentence takes the reconsideration body, the court
//! and both periods from [`Remedies`], which the caller fills from its settings and rules.
//!
//! Layout: the issuer's name and the title in 2号 小标宋, the number centred below, the body in
//! 3号 仿宋_GB2312; forms' fields flush left with their values' next lines under the value;
//! item results in bordered tables (4号); the officers' names and certificate numbers, lines
//! for the officers' and the party's handwritten signatures, and on a decision the issuer with
//! `（印章）` over the date (7.3.5.1), then a line saying where the copies go.
//!
//! To look at them: `cargo test -p safeduty-office --test it -- --ignored
//! write_enforcement_previews` writes the four samples into `target/docs-preview/` (see the
//! crate's README for the commands that turn them into PNG pages).

mod acceptance_documents;
mod case_documents;
mod documents;
mod interview_documents;
mod listing_documents;
pub mod template;

use chrono::{NaiveDate, NaiveTime, Timelike};

pub use acceptance_documents::{AcceptanceDoc, AcceptanceItem};
pub use case_documents::CaseDoc;
pub use documents::{
    CorrectionOrderDoc, Finding, Guest, GuestKind, InspectionRecordDoc, ItemResult, ItemRow,
    Notice, OnSiteMeasuresDoc, PersonPresent, ReInspectionDoc, ReInspectionResult,
    SuspectedViolation,
};
pub use interview_documents::InterviewDoc;
pub use listing_documents::ListingDoc;
pub use template::{DocumentKind, Template, TemplateError, Templates};

use crate::gbt9704::{Document, TYPE_WIDTH, set_width};

/// The authority that issues a document: `青秀区应急管理局`, `某某镇人民政府`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issuer {
    /// The authority's full name, printed above the title and at the seal.
    pub name: String,
}

/// An enforcement officer as printed: `执法人员：张某某　执法证号：…`. Every document needs at
/// least two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficerLine {
    /// The officer's name.
    pub name: String,
    /// The number of the officer's enforcement certificate (执法证号).
    pub certificate_number: String,
}

/// The inspected enterprise (被检查单位).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    /// The enterprise's registered name.
    pub name: String,
    /// Its unified social credit code (统一社会信用代码).
    pub uscc: String,
    /// Its address.
    pub address: String,
    /// Its legal representative or person in charge (法定代表人／负责人).
    pub principal: String,
    /// That person's post (职务), e.g. `总经理`.
    pub principal_title: String,
    /// The contact phone.
    pub phone: String,
}

/// How the party may challenge a decision, from the settings and rules in force (never from
/// code): the reconsideration body and period (行政复议), the court and period (行政诉讼).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remedies {
    /// The body that hears an application for reconsideration, e.g. `青秀区人民政府`.
    pub reconsideration_body: String,
    /// The days to apply for reconsideration from receipt of the document.
    pub reconsideration_days: u32,
    /// The court that hears a suit, e.g. `南宁市青秀区人民法院`.
    pub court: String,
    /// The months to bring a suit.
    pub litigation_months: u32,
}

/// A generated document: the `.docx` bytes and the template version it was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The `.docx` file.
    pub bytes: Vec<u8>,
    /// The template id ([`DocumentKind::id`]).
    pub template: String,
    /// The template's version.
    pub version: u32,
}

/// Why a document could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No template applies, or a template file was refused.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// The record cannot make a valid document (fewer than two officers, a period that ends
    /// before it starts).
    #[error("{document}: {reason}")]
    Invalid {
        /// The document's template id.
        document: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The package could not be written.
    #[error(transparent)]
    Office(#[from] crate::Error),
}

/// A time of day as forms write it: `9时30分`, `14时05分`.
pub fn time_cn(t: NaiveTime) -> String {
    format!("{}时{:02}分", t.hour(), t.minute())
}

/// At least two officers (the law's minimum for an inspection and its documents).
fn check_officers(kind: DocumentKind, officers: &[OfficerLine]) -> Result<(), Error> {
    if officers.len() < 2 {
        return Err(Error::Invalid {
            document: kind.id(),
            reason: format!(
                "{} officer(s); a document needs at least two, each with a certificate number",
                officers.len()
            ),
        });
    }
    if let Some(o) = officers
        .iter()
        .find(|o| o.certificate_number.trim().is_empty())
    {
        return Err(Error::Invalid {
            document: kind.id(),
            reason: format!("officer {} has no certificate number", o.name),
        });
    }
    Ok(())
}

/// The head of every document: the issuer's name over the title, the number, and the template
/// recorded in the file's properties.
fn head(t: &Template, issuer: &Issuer, number: &str) -> Document {
    Document::new()
        .title(format!("{}\n{}", issuer.name, t.title))
        .doc_number(number)
        .property("safeduty.template", t.id())
        .property("safeduty.template.version", t.version.to_string())
        .property("safeduty.document.number", number)
}

/// A form's field: the text up to its first full-width colon (within the first 14 characters)
/// is the label, and the value's next lines run under the value; otherwise a plain line.
fn field(doc: Document, text: String) -> Document {
    match text.char_indices().take(14).find(|(_, c)| *c == '：') {
        Some((i, c)) => {
            let (label, value) = text.split_at(i + c.len_utf8());
            if set_width(label) < TYPE_WIDTH / 2 {
                doc.field(label, value)
            } else {
                doc.line(text)
            }
        }
        None => doc.line(text),
    }
}

/// The officers' lines, one an officer; with `keep`, each kept on the page of what follows.
fn officers(mut doc: Document, t: &Template, officers: &[OfficerLine], keep: bool) -> Document {
    for o in officers {
        doc = field(
            doc,
            t.render(
                "officer",
                &[("name", &o.name), ("certificate", &o.certificate_number)],
            ),
        );
        if keep {
            doc = doc.keep_with_next();
        }
    }
    doc
}

/// The remedies sentence with the settings' bodies and periods.
fn remedies(t: &Template, r: &Remedies) -> String {
    t.render(
        "remedies",
        &[
            ("days", &r.reconsideration_days.to_string()),
            ("body", &r.reconsideration_body),
            ("months", &r.litigation_months.to_string()),
            ("court", &r.court),
        ],
    )
}

/// The end of a decision: the remedies, the officers, the signature lines, the issuer with its
/// seal over the date, and where the copies go; the remedies paragraph, the officers and the
/// signatures kept on one page, so that the seal never stands on a page without text.
fn decision_end(
    doc: Document,
    t: &Template,
    r: &Remedies,
    officer_lines: &[OfficerLine],
    issuer: &Issuer,
    date: NaiveDate,
) -> Document {
    let doc = doc
        .paragraph(remedies(t, r))
        .keep_with_next()
        .blank_line()
        .keep_with_next();
    officers(doc, t, officer_lines, true)
        .signing([t.render("officers_sign", &[]), t.render("party_sign", &[])])
        .seal(t.render("seal", &[("issuer", &issuer.name)]), date)
        .blank_line()
        .line(t.render("copies", &[]))
}

/// The finished package with the template it used.
fn generated(doc: Document, t: &Template) -> Result<Generated, Error> {
    Ok(Generated {
        bytes: doc.to_docx()?,
        template: t.id().into(),
        version: t.version,
    })
}

/// A finding as a numbered sentence (`1．…（涉嫌违法行为：…）`) from sentence `key`.
fn finding_line(t: &Template, key: &str, n: usize, f: &Finding) -> String {
    t.render(
        key,
        &[
            ("n", &n.to_string()),
            ("description", &f.description),
            ("violation", &f.violation),
        ],
    )
}
