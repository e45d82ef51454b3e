//! The documents of a penalty case (issue #13): 立案审批表, 行政处罚告知书, 听证告知书,
//! 行政处罚决定书 (a unit's or a person's: the party's words say which), 不予行政处罚决定书,
//! 送达回执 and 结案审批表 — one record, [`CaseDoc`], laid out per document from its template.

use chrono::NaiveDate;

use super::Template;
use super::{
    DocumentKind, Error, Generated, Issuer, OfficerLine, Remedies, Templates, check_officers,
    decision_end, field, generated, head, officers,
};
use crate::gbt9704::{Document, date_cn};

/// What a case's documents print. Texts are as printed (Chinese); the caller fills what the
/// document asked for needs and leaves the rest empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseDoc {
    /// Which document: one of the case documents.
    pub kind: DocumentKind,
    /// The case's number, e.g. `（青）应急立〔2024〕3号`: every document of a case carries it.
    pub number: String,
    /// The handling authority.
    pub issuer: Issuer,
    /// The party as addressed: the unit's full name, or the person's name.
    pub party_name: String,
    /// The party as described in a decision: the unit's name, or `张某（安全生产管理人员，
    /// 某某有限公司）`.
    pub party: String,
    /// The USCC of the party or of the party's unit.
    pub uscc: String,
    /// 案由.
    pub cause: String,
    /// The facts (may be empty).
    pub facts: String,
    /// Where the case came from (立案审批表).
    pub source: String,
    /// The provision applied, e.g. `《安全生产法》第九十七条（对单位）`.
    pub provision: String,
    /// The penalty proposed, in words (告知书), e.g. `罚款人民币50000元`.
    pub penalty: String,
    /// The fine decided, whole yuan (决定书).
    pub amount: u32,
    /// The discretion band and the table's name, when the decision recorded them.
    pub band: Option<(String, String)>,
    /// The day the party received the 告知书 (决定书).
    pub notice_date: Option<NaiveDate>,
    /// What the party said or that it waived (决定书), may be empty.
    pub answer: String,
    /// The statement window as printed, e.g. `3个工作日`.
    pub statement_span: String,
    /// The hearing-request window as printed, e.g. `5个工作日`.
    pub hearing_span: String,
    /// Whether the notice tells of the right to a hearing (the amount or the measure reaches it).
    pub hearing_offered: bool,
    /// The payment limit as printed, e.g. `15日`.
    pub pay_span: String,
    /// The late fee, percent of the fine a day.
    pub late_fee_percent: u32,
    /// 不予处罚: the basis and the follow-up measure.
    pub no_penalty: Option<(String, String)>,
    /// The document served (送达回执): its title and number.
    pub served: Option<(String, String)>,
    /// The result and how it was carried out (结案审批表).
    pub result: String,
    /// How the result was carried out (结案审批表).
    pub execution: String,
    /// How a decision may be challenged.
    pub remedies: Remedies,
    /// The handling officers, at least two.
    pub officers: Vec<OfficerLine>,
    /// The document's own date: its template is the one in force that day, a decision is
    /// sealed with it.
    pub date: NaiveDate,
}

impl CaseDoc {
    /// The document as a `.docx`, from the template in force on [`Self::date`].
    ///
    /// # Errors
    /// [`Error::Template`] when no template is in force; [`Error::Invalid`] with fewer than two
    /// officers, a document kind that is not a case's, a decision without a fine, a no-penalty
    /// decision without its basis, a receipt without its document; [`Error::Office`] when the
    /// package cannot be written.
    pub fn generate(&self, templates: &Templates) -> Result<Generated, Error> {
        let kind = self.kind;
        let t = templates.select(kind, self.date)?;
        check_officers(kind, &self.officers)?;
        let invalid = |reason: &str| Error::Invalid {
            document: kind.id(),
            reason: reason.into(),
        };
        let party = |doc| {
            let doc = field(doc, t.render("party", &[("party", &self.party)]));
            field(doc, t.render("uscc", &[("uscc", &self.uscc)]))
        };
        let facts = || t.render("facts", &[("cause", &self.cause), ("facts", &self.facts)]);
        let proposal = || {
            t.render(
                "proposal",
                &[("provision", &self.provision), ("penalty", &self.penalty)],
            )
        };
        let doc = head(t, &self.issuer, &self.number);
        let doc = match kind {
            DocumentKind::CaseFiling => {
                let mut doc = field(doc, t.render("cause", &[("cause", &self.cause)]));
                doc = field(doc, t.render("source", &[("source", &self.source)]));
                doc = party(doc);
                doc = field(doc, t.render("summary", &[("facts", &self.facts)]));
                doc = field(
                    doc,
                    t.render("provision", &[("provision", &self.provision)]),
                );
                doc = officers(doc, t, &self.officers, false);
                doc = field(doc, t.render("filed_on", &[("date", &date_cn(self.date))]));
                opinions(
                    doc,
                    t,
                    &["handler_opinion", "review_opinion", "approval_opinion"],
                )
            }
            DocumentKind::PenaltyNotice | DocumentKind::HearingNotice => {
                let mut doc = doc.addressee(t.render("addressee", &[("party", &self.party_name)]));
                if kind == DocumentKind::PenaltyNotice {
                    doc = doc
                        .paragraph(facts())
                        .paragraph(proposal())
                        .paragraph(t.render("statement", &[("span", &self.statement_span)]));
                    if self.hearing_offered {
                        doc = doc.paragraph(t.render("hearing", &[("span", &self.hearing_span)]));
                    }
                } else {
                    doc = doc
                        .paragraph(proposal())
                        .paragraph(t.render("hearing", &[("span", &self.hearing_span)]));
                }
                let doc = officers(doc.blank_line(), t, &self.officers, true);
                doc.signing([t.render("party_sign", &[])])
                    .seal(
                        t.render("seal", &[("issuer", &self.issuer.name)]),
                        self.date,
                    )
                    .blank_line()
                    .line(t.render("copies", &[]))
            }
            DocumentKind::PenaltyDecision => {
                if self.amount == 0 {
                    return Err(invalid("a penalty decision states its fine"));
                }
                let notice = self
                    .notice_date
                    .ok_or_else(|| invalid("a penalty decision follows a notice"))?;
                let mut doc = party(doc).paragraph(facts()).paragraph(t.render(
                    "procedure",
                    &[("notice_date", &date_cn(notice)), ("answer", &self.answer)],
                ));
                doc = doc.paragraph(t.render(
                    "decision",
                    &[
                        ("provision", &self.provision),
                        ("amount", &self.amount.to_string()),
                    ],
                ));
                if let Some((band, table)) = &self.band {
                    doc = doc.paragraph(t.render("band", &[("band", band), ("table", table)]));
                }
                doc = doc.paragraph(t.render(
                    "payment",
                    &[
                        ("span", &self.pay_span),
                        ("percent", &self.late_fee_percent.to_string()),
                    ],
                ));
                decision_end(
                    doc,
                    t,
                    &self.remedies,
                    &self.officers,
                    &self.issuer,
                    self.date,
                )
            }
            DocumentKind::NoPenaltyDecision => {
                let (basis, follow_up) = self
                    .no_penalty
                    .as_ref()
                    .ok_or_else(|| invalid("a decision not to punish states its basis"))?;
                let doc = party(doc)
                    .paragraph(facts())
                    .paragraph(t.render("basis", &[("basis", basis)]))
                    .paragraph(t.render("follow_up", &[("follow_up", follow_up)]));
                decision_end(
                    doc,
                    t,
                    &self.remedies,
                    &self.officers,
                    &self.issuer,
                    self.date,
                )
            }
            DocumentKind::ServiceReceipt => {
                let (title, number) = self
                    .served
                    .as_ref()
                    .ok_or_else(|| invalid("a receipt names the document served"))?;
                let mut doc = field(
                    doc,
                    t.render("document", &[("document", title), ("number", number)]),
                );
                doc = field(doc, t.render("recipient", &[("party", &self.party)]));
                for key in ["place", "method", "time"] {
                    doc = field(doc, t.render(key, &[]));
                }
                doc = doc.blank_line().line(t.render("recipient_sign", &[]));
                let doc = officers(doc.blank_line(), t, &self.officers, true);
                doc.signing([t.render("officers_sign", &[])])
                    .blank_line()
                    .line(t.render("note", &[]))
            }
            DocumentKind::CaseClosing => {
                let mut doc = field(doc, t.render("cause", &[("cause", &self.cause)]));
                doc = party(doc);
                doc = field(doc, t.render("result", &[("result", &self.result)]));
                doc = field(
                    doc,
                    t.render("execution", &[("execution", &self.execution)]),
                );
                doc = officers(doc, t, &self.officers, false);
                doc = field(doc, t.render("closed_on", &[("date", &date_cn(self.date))]));
                opinions(doc, t, &["handler_opinion", "approval_opinion"])
            }
            _ => return Err(invalid("not a document of a case")),
        };
        generated(doc, t)
    }
}

/// An approval form's opinions, each followed by its signature line, kept on one page.
fn opinions(mut doc: Document, t: &Template, keys: &[&str]) -> Document {
    for key in keys {
        doc = doc
            .blank_line()
            .keep_with_next()
            .line(t.render(key, &[]))
            .keep_with_next()
            .blank_line()
            .keep_with_next()
            .line(t.render("opinion_sign", &[]));
    }
    doc
}
