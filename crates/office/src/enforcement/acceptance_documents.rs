//! The documents of an acceptance inspection (检查验收, issue #14 point 6): the checklist
//! (验收检查表: who inspected, who accompanied, each check item's result, the signatures) and
//! the report (验收报告: the way, what was found, the third party's adopted assessment, the
//! conclusion and opinion, under the inspecting unit's seal) — one record, [`AcceptanceDoc`].

use chrono::NaiveDate;

use super::{DocumentKind, Error, Generated, Templates, field, generated};
use crate::gbt9704::{Column, Document, Table, date_cn};

/// One check item as the checklist prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptanceItem {
    /// The item's number.
    pub number: u32,
    /// Its text.
    pub text: String,
    /// 符合 / 不符合 / 不适用.
    pub result: String,
    /// What was seen.
    pub note: String,
}

/// What an acceptance's documents print (Chinese, as printed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptanceDoc {
    /// The report (验收报告) rather than the checklist.
    pub report: bool,
    /// The inspecting unit (the issuer).
    pub unit: String,
    /// The enterprise accepted.
    pub enterprise: String,
    /// Its 统一社会信用代码.
    pub uscc: String,
    /// The way, in words (执法人员+专家+媒体 / 委托第三方).
    pub mode: String,
    /// The commissioned third party, empty for a team.
    pub third_party: String,
    /// The day inspected, if the inspection is on record.
    pub inspected_on: Option<NaiveDate>,
    /// The officers: name and certificate number.
    pub officers: Vec<(String, String)>,
    /// The guests, each as `name（kind，organisation）`.
    pub guests: Vec<String>,
    /// The items (the checklist).
    pub items: Vec<AcceptanceItem>,
    /// The adopted assessment: text, proposed conclusion, day adopted.
    pub assessment: Option<(String, String, NaiveDate)>,
    /// The conclusion in words and the opinion (the report).
    pub conclusion: Option<(String, String)>,
    /// The document's own date (the checklist: the day inspected; the report: the day closed).
    pub date: NaiveDate,
}

impl AcceptanceDoc {
    /// The document as a `.docx`, from the template in force on [`Self::date`].
    ///
    /// # Errors
    /// [`Error::Template`] when no template is in force; [`Error::Invalid`] for a report of an
    /// acceptance not closed; [`Error::Office`] when the package cannot be written.
    pub fn generate(&self, templates: &Templates) -> Result<Generated, Error> {
        let kind = if self.report {
            DocumentKind::AcceptanceReport
        } else {
            DocumentKind::AcceptanceChecklist
        };
        let t = templates.select(kind, self.date)?;
        let mut doc = Document::new()
            .title(format!("{}\n{}", self.unit, t.title))
            .property("safeduty.template", t.id())
            .property("safeduty.template.version", t.version.to_string());
        let inspected = self.inspected_on.map(date_cn).unwrap_or_default();
        let by = if self.third_party.is_empty() {
            String::new()
        } else {
            format!("（{}）", self.third_party)
        };
        for (key, slots) in [
            ("enterprise", vec![("enterprise", self.enterprise.as_str())]),
            ("uscc", vec![("uscc", self.uscc.as_str())]),
            (
                "mode",
                vec![("mode", self.mode.as_str()), ("third_party", by.as_str())],
            ),
            ("date", vec![("date", inspected.as_str())]),
        ] {
            doc = field(doc, t.render(key, &slots));
        }
        for (name, certificate) in &self.officers {
            doc = field(
                doc,
                t.render("officer", &[("name", name), ("certificate", certificate)]),
            );
        }
        let guests = if self.guests.is_empty() {
            "无".to_string()
        } else {
            self.guests.join("、")
        };
        doc = field(doc, t.render("guests", &[("guests", &guests)]));
        if self.report {
            let (conclusion, opinion) = self.conclusion.as_ref().ok_or_else(|| Error::Invalid {
                document: kind.id(),
                reason: "a report concludes a closed acceptance".into(),
            })?;
            let nonconform = self.items.iter().filter(|i| i.result == "不符合").count();
            doc = doc.paragraph(t.render(
                "findings",
                &[
                    ("items", &self.items.len().to_string()),
                    ("nonconform", &nonconform.to_string()),
                ],
            ));
            if let Some((text, proposed, adopted_on)) = &self.assessment {
                doc = doc.paragraph(t.render(
                    "assessment",
                    &[
                        ("third_party", &self.third_party),
                        ("text", text),
                        ("proposed", proposed),
                        ("adopted_on", &date_cn(*adopted_on)),
                    ],
                ));
            }
            doc = field(doc, t.render("conclusion", &[("conclusion", conclusion)]));
            doc = field(doc, t.render("opinion", &[("opinion", opinion)]));
            doc = doc
                .blank_line()
                .seal(t.render("seal", &[("issuer", &self.unit)]), self.date);
        } else {
            let table = self.items.iter().fold(
                Table::new([
                    Column::centered(2),
                    Column::left(10),
                    Column::centered(4),
                    Column::left(6),
                ])
                .header(t.columns("items_columns")),
                |table, i| {
                    table.row([
                        i.number.to_string(),
                        i.text.clone(),
                        i.result.clone(),
                        i.note.clone(),
                    ])
                },
            );
            doc = doc.line(t.render("items_caption", &[])).table(table);
            doc = doc.blank_line().signing([
                t.render("officers_sign", &[]),
                t.render("guests_sign", &[]),
                t.render("party_sign", &[]),
            ]);
        }
        generated(doc, t)
    }
}
