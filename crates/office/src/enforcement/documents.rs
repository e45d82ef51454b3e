//! The four documents: their records and how each is laid out from its template.

use chrono::{NaiveDate, NaiveTime};

use super::{
    DocumentKind, Error, Generated, Issuer, OfficerLine, Party, Remedies, Templates,
    check_officers, decision_end, field, finding_line, generated, head, officers, time_cn,
};
use crate::gbt9704::{Column, Table, date_cn};

/// What kind of guest accompanied an inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuestKind {
    /// A third-party expert (专家).
    Expert,
    /// A journalist (媒体).
    Media,
}

impl GuestKind {
    /// The word printed: `专家`, `媒体`.
    pub fn label(self) -> &'static str {
        match self {
            GuestKind::Expert => "专家",
            GuestKind::Media => "媒体",
        }
    }
}

/// A guest of an inspection (an expert, a journalist): printed among the 陪同人员, never as an
/// officer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guest {
    /// The guest's name.
    pub name: String,
    /// Expert or media.
    pub kind: GuestKind,
    /// The guest's organisation (may be empty).
    pub organisation: String,
}

/// The party's person present during the inspection (被检查单位现场负责人).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonPresent {
    /// The person's name.
    pub name: String,
    /// The person's post, e.g. `安全管理部经理`.
    pub title: String,
}

/// How the inspection was announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// Announced beforehand (事先告知).
    Announced,
    /// Unannounced, straight to the site (四不两直).
    Unannounced,
}

impl Notice {
    /// The words printed: `事先告知`, `四不两直`.
    pub fn label(self) -> &'static str {
        match self {
            Notice::Announced => "事先告知",
            Notice::Unannounced => "四不两直",
        }
    }
}

/// The result of one check item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemResult {
    /// 符合.
    Conforms,
    /// 不符合.
    Fails,
    /// 不适用.
    NotApplicable,
}

impl ItemResult {
    /// The word printed: `符合`, `不符合`, `不适用`.
    pub fn label(self) -> &'static str {
        match self {
            ItemResult::Conforms => "符合",
            ItemResult::Fails => "不符合",
            ItemResult::NotApplicable => "不适用",
        }
    }
}

/// One row of the inspection's check items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRow {
    /// The item's number in the checklist, e.g. `3` or `2.1`.
    pub number: String,
    /// What was checked (`是否……`).
    pub text: String,
    /// The result.
    pub result: ItemResult,
    /// What was seen (the problem, where a failure), may be empty.
    pub note: String,
}

/// A suspected violation found in an inspection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuspectedViolation {
    /// The behaviour (涉嫌违法行为).
    pub behaviour: String,
    /// The provision violated (违反条款).
    pub article_violated: String,
    /// The provision that sets the penalty (处罚依据).
    pub penalty_article: String,
}

/// A problem found, as an order or a decision lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What was found.
    pub description: String,
    /// The suspected violation (涉嫌违法行为), e.g. the duty breached and its provision.
    pub violation: String,
}

/// 现场检查记录: what was checked on site, by whom, with what result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectionRecordDoc {
    /// The number, formatted, e.g. `（青）应急检记〔2024〕12号`.
    pub number: String,
    /// The inspecting authority.
    pub issuer: Issuer,
    /// The inspected enterprise.
    pub party: Party,
    /// Where the inspection took place (检查场所).
    pub place: String,
    /// The day of the inspection; the template in force on it is used.
    pub date: NaiveDate,
    /// When it started.
    pub start: NaiveTime,
    /// When it ended.
    pub end: NaiveTime,
    /// The officers, at least two.
    pub officers: Vec<OfficerLine>,
    /// The guests (experts, journalists), printed as 陪同人员.
    pub guests: Vec<Guest>,
    /// The party's person present.
    pub present: PersonPresent,
    /// How the inspection was announced.
    pub notice: Notice,
    /// The check items and their results.
    pub items: Vec<ItemRow>,
    /// The suspected violations found.
    pub violations: Vec<SuspectedViolation>,
    /// The summary of what was found (检查情况).
    pub summary: String,
}

impl InspectionRecordDoc {
    /// The record as a `.docx`, from the template in force on [`Self::date`].
    ///
    /// # Errors
    /// [`Error::Template`] when no template is in force; [`Error::Invalid`] with fewer than two
    /// officers or an end before the start; [`Error::Office`] when the package cannot be written.
    pub fn generate(&self, templates: &Templates) -> Result<Generated, Error> {
        let kind = DocumentKind::InspectionRecord;
        let t = templates.select(kind, self.date)?;
        check_officers(kind, &self.officers)?;
        if self.end < self.start {
            return Err(Error::Invalid {
                document: kind.id(),
                reason: "the inspection ends before it starts".into(),
            });
        }
        let p = &self.party;
        let mut doc = head(t, &self.issuer, &self.number);
        for text in [
            t.render("party", &[("party", &p.name)]),
            t.render("uscc", &[("uscc", &p.uscc)]),
            t.render("address", &[("address", &p.address)]),
            t.render(
                "principal",
                &[
                    ("principal", &p.principal),
                    ("principal_title", &p.principal_title),
                ],
            ),
            t.render("phone", &[("phone", &p.phone)]),
            t.render("place", &[("place", &self.place)]),
            t.render(
                "time",
                &[
                    ("date", &date_cn(self.date)),
                    ("start", &time_cn(self.start)),
                    ("end", &time_cn(self.end)),
                ],
            ),
            t.render("notice", &[("notice", self.notice.label())]),
        ] {
            doc = field(doc, text);
        }
        doc = officers(doc, t, &self.officers, false);
        if !self.guests.is_empty() {
            let guests: Vec<String> = self
                .guests
                .iter()
                .map(|g| {
                    t.render(
                        "guest",
                        &[
                            ("name", &g.name),
                            ("kind", g.kind.label()),
                            ("organisation", &g.organisation),
                        ],
                    )
                })
                .collect();
            doc = field(doc, t.render("guests", &[("guests", &guests.join("；"))]));
        }
        doc = field(
            doc,
            t.render(
                "present",
                &[("name", &self.present.name), ("title", &self.present.title)],
            ),
        );
        let items = self.items.iter().fold(
            Table::new([
                Column::centered(2),
                Column::left(10),
                Column::centered(4),
                Column::left(6),
            ])
            .header(t.columns("items_columns")),
            |table, i| {
                table.row([
                    i.number.as_str(),
                    i.text.as_str(),
                    i.result.label(),
                    i.note.as_str(),
                ])
            },
        );
        doc = doc.line(t.render("items_caption", &[])).table(items);
        doc = doc.line(t.render("violations_caption", &[]));
        doc = if self.violations.is_empty() {
            doc.paragraph(t.render("no_violations", &[]))
        } else {
            let table = self.violations.iter().enumerate().fold(
                Table::new([
                    Column::centered(2),
                    Column::left(7),
                    Column::left(7),
                    Column::left(7),
                ])
                .header(t.columns("violations_columns")),
                |table, (n, v)| {
                    table.row([
                        (n + 1).to_string(),
                        v.behaviour.clone(),
                        v.article_violated.clone(),
                        v.penalty_article.clone(),
                    ])
                },
            );
            doc.table(table)
        };
        let doc = field(doc, t.render("summary", &[("summary", &self.summary)]))
            .keep_with_next()
            .signing([t.render("officers_sign", &[]), t.render("party_sign", &[])])
            .blank_line()
            .line(t.render("copies", &[]));
        generated(doc, t)
    }
}

/// 责令限期整改指令书: the problems found and the day by which they must be corrected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionOrderDoc {
    /// The number, formatted, e.g. `（青）应急责改〔2024〕12号`.
    pub number: String,
    /// The issuing authority.
    pub issuer: Issuer,
    /// The enterprise ordered.
    pub party: Party,
    /// The day of the inspection that found the problems.
    pub inspection_date: NaiveDate,
    /// The number of that inspection's record.
    pub inspection_record_number: String,
    /// The problems, each with its suspected violation.
    pub findings: Vec<Finding>,
    /// The day by which every problem must be corrected (整改完毕日期).
    pub due_on: NaiveDate,
    /// How the order may be challenged.
    pub remedies: Remedies,
    /// The officers, at least two.
    pub officers: Vec<OfficerLine>,
    /// The day the order is issued; the template in force on it is used.
    pub issued_on: NaiveDate,
}

impl CorrectionOrderDoc {
    /// The order as a `.docx`, from the template in force on [`Self::issued_on`].
    ///
    /// # Errors
    /// [`Error::Template`] when no template is in force; [`Error::Invalid`] with fewer than two
    /// officers, no finding, or a due date before the issue date; [`Error::Office`] when the
    /// package cannot be written.
    pub fn generate(&self, templates: &Templates) -> Result<Generated, Error> {
        let kind = DocumentKind::CorrectionOrder;
        let t = templates.select(kind, self.issued_on)?;
        check_officers(kind, &self.officers)?;
        let invalid = |reason: &str| Error::Invalid {
            document: kind.id(),
            reason: reason.into(),
        };
        if self.findings.is_empty() {
            return Err(invalid("an order lists at least one finding"));
        }
        if self.due_on < self.issued_on {
            return Err(invalid("the due date is before the issue date"));
        }
        let doc = head(t, &self.issuer, &self.number)
            .addressee(t.render("addressee", &[("party", &self.party.name)]))
            .paragraph(t.render(
                "opening",
                &[
                    ("inspection_date", &date_cn(self.inspection_date)),
                    ("record_number", &self.inspection_record_number),
                ],
            ))
            .paragraphs(
                self.findings
                    .iter()
                    .enumerate()
                    .map(|(n, f)| finding_line(t, "finding", n + 1, f)),
            )
            .paragraph(t.render("order", &[("due_on", &date_cn(self.due_on))]))
            .paragraph(t.render("during", &[]));
        let doc = decision_end(
            doc,
            t,
            &self.remedies,
            &self.officers,
            &self.issuer,
            self.issued_on,
        );
        generated(doc, t)
    }
}

/// The re-inspection's result for one problem of the order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReInspectionResult {
    /// The problem, as the order listed it.
    pub finding: String,
    /// Whether it was corrected.
    pub corrected: bool,
    /// What was seen, may be empty.
    pub note: String,
}

/// 整改复查意见书: what the re-inspection found of each problem of an order, and the opinion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReInspectionDoc {
    /// The number, formatted, e.g. `（青）应急复查〔2024〕12号`.
    pub number: String,
    /// The issuing authority.
    pub issuer: Issuer,
    /// The enterprise re-inspected.
    pub party: Party,
    /// The number of the correction order.
    pub order_number: String,
    /// The day the order was issued.
    pub order_date: NaiveDate,
    /// The day of the re-inspection; the template in force on it is used, and the document
    /// is dated it.
    pub date: NaiveDate,
    /// One result a problem of the order.
    pub results: Vec<ReInspectionResult>,
    /// The opinion (复查意见).
    pub opinion: String,
    /// How the opinion may be challenged.
    pub remedies: Remedies,
    /// The officers, at least two.
    pub officers: Vec<OfficerLine>,
}

impl ReInspectionDoc {
    /// The opinion as a `.docx`, from the template in force on [`Self::date`].
    ///
    /// # Errors
    /// [`Error::Template`] when no template is in force; [`Error::Invalid`] with fewer than two
    /// officers or a re-inspection before the order; [`Error::Office`] when the package cannot
    /// be written.
    pub fn generate(&self, templates: &Templates) -> Result<Generated, Error> {
        let kind = DocumentKind::ReInspection;
        let t = templates.select(kind, self.date)?;
        check_officers(kind, &self.officers)?;
        if self.date < self.order_date {
            return Err(Error::Invalid {
                document: kind.id(),
                reason: "the re-inspection is dated before the order".into(),
            });
        }
        let (yes, no) = (t.render("corrected", &[]), t.render("not_corrected", &[]));
        let table = self.results.iter().enumerate().fold(
            Table::new([
                Column::centered(2),
                Column::left(11),
                Column::centered(4),
                Column::left(6),
            ])
            .header(t.columns("results_columns")),
            |table, (n, r)| {
                table.row([
                    (n + 1).to_string(),
                    r.finding.clone(),
                    if r.corrected { yes.clone() } else { no.clone() },
                    r.note.clone(),
                ])
            },
        );
        let doc = head(t, &self.issuer, &self.number)
            .addressee(t.render("addressee", &[("party", &self.party.name)]))
            .paragraph(t.render(
                "opening",
                &[
                    ("order_date", &date_cn(self.order_date)),
                    ("order_number", &self.order_number),
                    ("date", &date_cn(self.date)),
                ],
            ))
            .table(table)
            .paragraph(t.render("opinion", &[("opinion", &self.opinion)]));
        let doc = decision_end(
            doc,
            t,
            &self.remedies,
            &self.officers,
            &self.issuer,
            self.date,
        );
        generated(doc, t)
    }
}

/// 现场处理措施决定书: an on-site measure (暂时停产停业, 停止使用相关设施、设备…) for a period,
/// on the grounds found, with the condition that lifts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnSiteMeasuresDoc {
    /// The number, formatted, e.g. `（青）应急现决〔2024〕3号`.
    pub number: String,
    /// The issuing authority.
    pub issuer: Issuer,
    /// The enterprise concerned.
    pub party: Party,
    /// The grounds: what was found.
    pub grounds: Vec<Finding>,
    /// The measure, e.g. `暂时停产停业` or `停止使用二号车间涂装生产线`.
    pub measure: String,
    /// The first day of the measure.
    pub from: NaiveDate,
    /// The last day of the measure.
    pub until: NaiveDate,
    /// The sentence saying when the measure is lifted.
    pub lifting_condition: String,
    /// How the decision may be challenged.
    pub remedies: Remedies,
    /// The officers, at least two.
    pub officers: Vec<OfficerLine>,
    /// The day of the inspection and the decision; the template in force on it is used.
    pub date: NaiveDate,
}

impl OnSiteMeasuresDoc {
    /// The decision as a `.docx`, from the template in force on [`Self::date`].
    ///
    /// # Errors
    /// [`Error::Template`] when no template is in force; [`Error::Invalid`] with fewer than two
    /// officers, no ground, or a period that ends before it starts; [`Error::Office`] when the
    /// package cannot be written.
    pub fn generate(&self, templates: &Templates) -> Result<Generated, Error> {
        let kind = DocumentKind::OnSiteMeasures;
        let t = templates.select(kind, self.date)?;
        check_officers(kind, &self.officers)?;
        let invalid = |reason: &str| Error::Invalid {
            document: kind.id(),
            reason: reason.into(),
        };
        if self.grounds.is_empty() {
            return Err(invalid("a decision states at least one ground"));
        }
        if self.until < self.from {
            return Err(invalid("the measure ends before it starts"));
        }
        let doc = head(t, &self.issuer, &self.number)
            .addressee(t.render("addressee", &[("party", &self.party.name)]))
            .paragraph(t.render("opening", &[("date", &date_cn(self.date))]))
            .paragraphs(
                self.grounds
                    .iter()
                    .enumerate()
                    .map(|(n, f)| finding_line(t, "ground", n + 1, f)),
            )
            .paragraph(t.render(
                "decision",
                &[
                    ("measure", &self.measure),
                    ("from", &date_cn(self.from)),
                    ("until", &date_cn(self.until)),
                ],
            ))
            .paragraph(t.render("lifting", &[("condition", &self.lifting_condition)]))
            .paragraph(t.render("during", &[]));
        let doc = decision_end(
            doc,
            t,
            &self.remedies,
            &self.officers,
            &self.issuer,
            self.date,
        );
        generated(doc, t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(Notice::Unannounced.label(), "四不两直");
        assert_eq!(ItemResult::NotApplicable.label(), "不适用");
        assert_eq!(GuestKind::Media.label(), "媒体");
    }
}
