//! The documents of an interview of a unit's heads (约谈, issue #14 points 5 and 6): the summons
//! (约谈通知书) and the minutes (约谈记录), from their templates — one record, [`InterviewDoc`].

use chrono::NaiveDate;
use safeduty_core::accountability::InterviewPlan;

use super::{DocumentKind, Error, Generated, Templates, field, generated};
use crate::gbt9704::{Document, date_cn};

/// What an interview's documents print (Chinese, as printed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterviewDoc {
    /// The minutes (约谈记录) rather than the summons.
    pub minutes: bool,
    /// The committee office.
    pub issuer: String,
    /// The unit interviewed.
    pub unit: String,
    /// When, where, who.
    pub plan: InterviewPlan,
    /// The issues found.
    pub issues: String,
    /// The actions required.
    pub actions: String,
    /// Their time limit.
    pub due_on: NaiveDate,
    /// What was said (the minutes).
    pub held: Option<String>,
    /// The document's own date (the summons: the day issued; the minutes: the day held).
    pub date: NaiveDate,
}

impl InterviewDoc {
    /// The document as a `.docx`, from the template in force on [`Self::date`].
    ///
    /// # Errors
    /// [`Error::Template`] when no template is in force; [`Error::Invalid`] for minutes of an
    /// interview not held; [`Error::Office`] when the package cannot be written.
    pub fn generate(&self, templates: &Templates) -> Result<Generated, Error> {
        let kind = if self.minutes {
            DocumentKind::InterviewMinutes
        } else {
            DocumentKind::InterviewNotice
        };
        let t = templates.select(kind, self.date)?;
        let p = &self.plan;
        let date = date_cn(p.on);
        let due_on = date_cn(self.due_on);
        let doc = Document::new()
            .title(format!("{}\n{}", self.issuer, t.title))
            .property("safeduty.template", t.id())
            .property("safeduty.template.version", t.version.to_string());
        let doc = if self.minutes {
            let held = self.held.as_deref().ok_or_else(|| Error::Invalid {
                document: kind.id(),
                reason: "minutes record an interview held".into(),
            })?;
            let mut doc = doc;
            for (key, slots) in [
                ("time", vec![("date", date.as_str())]),
                ("place", vec![("place", p.place.as_str())]),
                ("interviewer", vec![("interviewer", p.interviewer.as_str())]),
                ("unit", vec![("unit", self.unit.as_str())]),
                (
                    "interviewees",
                    vec![("interviewees", p.interviewees.as_str())],
                ),
                ("issues", vec![("issues", self.issues.as_str())]),
                ("minutes", vec![("minutes", held)]),
                (
                    "actions",
                    vec![
                        ("actions", self.actions.as_str()),
                        ("due_on", due_on.as_str()),
                    ],
                ),
            ] {
                doc = field(doc, t.render(key, &slots));
            }
            doc.blank_line().signing([
                t.render("interviewer_sign", &[]),
                t.render("interviewees_sign", &[]),
            ])
        } else {
            doc.addressee(t.render("addressee", &[("unit", &self.unit)]))
                .paragraph(t.render("issues", &[("issues", &self.issues)]))
                .paragraph(t.render(
                    "summons",
                    &[
                        ("date", &date),
                        ("place", &p.place),
                        ("interviewer", &p.interviewer),
                        ("interviewees", &p.interviewees),
                    ],
                ))
                .paragraph(t.render(
                    "actions",
                    &[("actions", &self.actions), ("due_on", &due_on)],
                ))
                .blank_line()
                .seal(t.render("seal", &[("issuer", &self.issuer)]), self.date)
        };
        generated(doc, t)
    }
}
