//! The documents of a listing on the dishonesty list (issue #14 point 6): the prior notice
//! (列入安全生产严重失信主体名单告知书) and the decision (决定书), from their templates — one
//! record, [`ListingDoc`]. The department decides, not its officers: no officer lines.

use chrono::NaiveDate;

use super::{
    DocumentKind, Error, Generated, Issuer, Remedies, Templates, field, generated, head, remedies,
};
use crate::gbt9704::date_cn;

/// What a listing's documents print (Chinese, as printed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingDoc {
    /// [`DocumentKind::DishonestyNotice`] or [`DocumentKind::DishonestyDecision`].
    pub kind: DocumentKind,
    /// The number printed under the title: the case's for a notice, the decision's own for a
    /// decision.
    pub number: String,
    /// The deciding department.
    pub issuer: Issuer,
    /// The party as addressed: the unit's full name, or the person's name.
    pub party_name: String,
    /// The party as described in a decision.
    pub party: String,
    /// The USCC of the party or of the party's unit.
    pub uscc: String,
    /// The facts and reasons of the listing.
    pub reasons: String,
    /// The penalty it rests on, e.g. `（东）应急立〔2024〕1号案，2024年10月11日决定罚款人民币50000元`.
    pub penalty: String,
    /// The ground's clause, e.g. `第六条第（三）项`.
    pub clause: String,
    /// The ground's text.
    pub ground: String,
    /// The objection window as printed, e.g. `3个工作日` (notice).
    pub objection_span: String,
    /// The day the notice was served (decision).
    pub notified_on: Option<NaiveDate>,
    /// The answer to an objection not upheld (decision); `None` when no objection was made.
    pub objection_answer: Option<String>,
    /// The listing's period as printed, e.g. `36个月` (decision).
    pub period: String,
    /// The repair waiting time as printed, e.g. `12个月` (decision).
    pub repair_span: String,
    /// How a decision may be challenged.
    pub remedies: Remedies,
    /// The document's own date: its template is the one in force that day, sealed with it.
    pub date: NaiveDate,
}

impl ListingDoc {
    /// The document as a `.docx`, from the template in force on [`Self::date`].
    ///
    /// # Errors
    /// [`Error::Template`] when no template is in force; [`Error::Invalid`] for a kind that is
    /// not a listing's or a decision without the notice's date; [`Error::Office`] when the
    /// package cannot be written.
    pub fn generate(&self, templates: &Templates) -> Result<Generated, Error> {
        let kind = self.kind;
        let invalid = |reason: &str| Error::Invalid {
            document: kind.id(),
            reason: reason.into(),
        };
        if !matches!(
            kind,
            DocumentKind::DishonestyNotice | DocumentKind::DishonestyDecision
        ) {
            return Err(invalid("not a document of a listing"));
        }
        let t = templates.select(kind, self.date)?;
        let facts = t.render(
            "facts",
            &[("reasons", &self.reasons), ("penalty", &self.penalty)],
        );
        let doc = head(t, &self.issuer, &self.number);
        let doc = match kind {
            DocumentKind::DishonestyNotice => doc
                .addressee(t.render("addressee", &[("party", &self.party_name)]))
                .paragraph(facts)
                .paragraph(t.render(
                    "ground",
                    &[("clause", &self.clause), ("ground", &self.ground)],
                ))
                .paragraph(t.render("rights", &[("span", &self.objection_span)])),
            DocumentKind::DishonestyDecision => {
                let notified = self
                    .notified_on
                    .ok_or_else(|| invalid("a decision follows a notice"))?;
                let answer = match &self.objection_answer {
                    Some(a) => t.render("objection_rejected", &[("answer", a)]),
                    None => t.render("no_objection", &[]),
                };
                let doc = field(doc, t.render("party", &[("party", &self.party)]));
                field(doc, t.render("uscc", &[("uscc", &self.uscc)]))
                    .paragraph(facts)
                    .paragraph(t.render(
                        "procedure",
                        &[("notice_date", &date_cn(notified)), ("answer", &answer)],
                    ))
                    .paragraph(t.render(
                        "decision",
                        &[("clause", &self.clause), ("period", &self.period)],
                    ))
                    .paragraph(t.render("repair", &[("span", &self.repair_span)]))
                    .paragraph(remedies(t, &self.remedies))
                    .keep_with_next()
            }
            _ => unreachable!("checked above"),
        };
        let doc = doc
            .blank_line()
            .signing([t.render("party_sign", &[])])
            .seal(
                t.render("seal", &[("issuer", &self.issuer.name)]),
                self.date,
            )
            .blank_line()
            .line(t.render("copies", &[]));
        generated(doc, t)
    }
}
