//! What a client sends about a unit's matter (issue #14 point 5), from a page's form or the
//! API's JSON, parsed into the use cases' terms ([`safeduty_app::unit_matters`]).

use safeduty_app::unit_matters::Step;
use safeduty_core::accountability::{MatterInput, MatterKind};
use safeduty_core::refusal::Refusal;
use serde::Deserialize;
use utoipa::ToSchema;

use super::enforcement::{code, date};
use super::yes_no;

/// A matter to issue.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct MatterRequest {
    /// The unit's id (a town or department of the caller's region).
    #[serde(default, deserialize_with = "super::id_text")]
    pub unit: String,
    /// A correction order or an interview.
    #[serde(default)]
    #[schema(value_type = crate::openapi::MatterKindCode)]
    pub kind: String,
    /// The issues found, at most 2 000 characters.
    #[serde(default)]
    pub issues: String,
    /// The actions required, at most 2 000 characters.
    #[serde(default)]
    pub actions: String,
    /// Their time limit, `YYYY-MM-DD`, after today.
    #[serde(default)]
    #[schema(format = Date)]
    pub due_on: String,
    /// An interview's day, `YYYY-MM-DD`, not before today nor after the time limit.
    #[serde(default)]
    #[schema(format = Date)]
    pub interview_on: String,
    /// An interview's place.
    #[serde(default)]
    pub place: String,
    /// Who interviews (约谈人).
    #[serde(default)]
    pub interviewer: String,
    /// Who is interviewed (被约谈人).
    #[serde(default)]
    pub interviewees: String,
}

fn optional_date(
    v: &str,
    field: &'static str,
    label: &str,
) -> Result<Option<chrono::NaiveDate>, Refusal> {
    if v.trim().is_empty() {
        Ok(None)
    } else {
        date(v, field, label).map(Some)
    }
}

impl MatterRequest {
    /// The unit and what was typed (checked further by [`MatterInput::check`]).
    ///
    /// # Errors
    /// Invalid on `unit`, `kind`, `due_on`, `interview_on` when they cannot be read.
    pub fn input(&self) -> Result<(i64, MatterInput), Refusal> {
        let unit = self
            .unit
            .trim()
            .parse()
            .map_err(|_| Refusal::invalid("请选择被督办单位").on("unit"))?;
        let labels: Vec<&str> = MatterKind::ALL.iter().map(|k| k.label()).collect();
        let kind = code(
            &self.kind,
            "kind",
            "督办方式",
            MatterKind::from_code,
            &labels,
        )?;
        Ok((
            unit,
            MatterInput {
                kind: Some(kind),
                issues: self.issues.clone(),
                actions: self.actions.clone(),
                due_on: optional_date(&self.due_on, "due_on", "整改期限")?,
                interview_on: optional_date(&self.interview_on, "interview_on", "约谈日期")?,
                place: self.place.clone(),
                interviewer: self.interviewer.clone(),
                interviewees: self.interviewees.clone(),
            },
        ))
    }
}

/// A step of a matter.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct MatterStepRequest {
    /// The matter's `version` the client loaded: a change made since is answered 409.
    #[serde(default)]
    pub version: i64,
    /// Which step.
    #[serde(default)]
    #[schema(value_type = crate::openapi::MatterStepCode)]
    pub step: String,
    /// `hold`: the day held, `YYYY-MM-DD`.
    #[serde(default)]
    #[schema(format = Date)]
    pub date: String,
    /// The minutes, the report or the follow-up opinion, at most 2 000 characters.
    #[serde(default)]
    pub text: String,
    /// `follow_up`: `yes` to close (销号), `no` to send back.
    #[serde(default)]
    pub close: String,
}

impl MatterStepRequest {
    /// The step.
    ///
    /// # Errors
    /// Invalid on `step`, `date` or `close` when they cannot be read.
    pub fn step(&self) -> Result<Step, Refusal> {
        let text = self.text.clone();
        Ok(match self.step.trim() {
            "hold" => Step::Hold {
                date: date(&self.date, "date", "约谈日期")?,
                text,
            },
            "report" => Step::Report { text },
            "follow_up" => Step::FollowUp {
                close: yes_no(self.close.trim())
                    .ok_or_else(|| Refusal::invalid("请选择销号或退回").on("close"))?,
                text,
            },
            other => {
                return Err(Refusal::invalid(format!(
                    "办理步骤“{}”无效",
                    other.chars().take(20).collect::<String>()
                ))
                .on("step"));
            }
        })
    }
}
