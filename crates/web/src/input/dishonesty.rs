//! What a client sends about a listing on the dishonesty list (issue #14 point 4), from a page's
//! form or the API's JSON, parsed into the use cases' terms
//! ([`safeduty_app::enforcement::dishonesty`]). Every field is read as text so that a wrong value
//! is answered in Chinese naming the field.

use safeduty_app::enforcement::dishonesty::Step;
use safeduty_core::refusal::Refusal;
use serde::Deserialize;
use utoipa::ToSchema;

use super::enforcement::date;
use super::yes_no;

/// A listing to start: the 告知书 served to the party of a decided case.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ListingRequest {
    /// The case's public id: a penalty decided by the caller's unit.
    #[serde(default)]
    pub case: String,
    /// The ground's code (`GET /api/v1/dishonesty-grounds`).
    #[serde(default)]
    pub ground: String,
    /// The facts and reasons, at most 2 000 characters.
    #[serde(default)]
    pub reasons: String,
    /// The day the 告知书 was served, `YYYY-MM-DD`, not after today.
    #[serde(default)]
    #[schema(format = Date)]
    pub notified_on: String,
}

/// A step of a listing.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ListingStepRequest {
    /// The listing's `version` the client loaded: a change made since is answered 409.
    #[serde(default)]
    pub version: i64,
    /// Which step.
    #[serde(default)]
    #[schema(value_type = crate::openapi::ListingStepCode)]
    pub step: String,
    /// The step's day, `YYYY-MM-DD`, not after today.
    #[serde(default)]
    #[schema(format = Date)]
    pub date: String,
    /// `object`: what the party said; `answer`, `decide_repair`: the reasons; `apply_repair`:
    /// the evidence; `revoke`: why. At most 2 000 characters.
    #[serde(default)]
    pub text: String,
    /// `answer`: `yes` when the objection is upheld (not listed), `no` otherwise.
    #[serde(default)]
    pub upheld: String,
    /// `decide`: the decision's number as issued.
    #[serde(default)]
    pub number: String,
    /// `publish`: where published.
    #[serde(default)]
    pub channels: String,
    /// `decide_repair`: `yes` when granted (removed early), `no` when refused.
    #[serde(default)]
    pub granted: String,
}

fn yes_or_no(v: &str, field: &'static str, label: &str) -> Result<bool, Refusal> {
    yes_no(v.trim()).ok_or_else(|| Refusal::invalid(format!("请选择{label}")).on(field))
}

impl ListingStepRequest {
    /// The step.
    ///
    /// # Errors
    /// Invalid on the field that cannot be read: `step`, `date`, `upheld`, `granted`.
    pub fn step(&self) -> Result<Step, Refusal> {
        let date = date(&self.date, "date", "办理日期")?;
        let text = self.text.clone();
        Ok(match self.step.trim() {
            "object" => Step::Object { date, text },
            "answer" => Step::Answer {
                date,
                upheld: yes_or_no(&self.upheld, "upheld", "是否采纳异议")?,
                text,
            },
            "decide" => Step::Decide {
                date,
                number: self.number.clone(),
            },
            "publish" => Step::Publish {
                date,
                channels: self.channels.clone(),
            },
            "apply_repair" => Step::ApplyRepair { date, text },
            "decide_repair" => Step::DecideRepair {
                date,
                granted: yes_or_no(&self.granted, "granted", "是否准予信用修复")?,
                text,
            },
            "expire" => Step::Expire { date },
            "revoke" => Step::Revoke { date, text },
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
