//! What a client sends about an acceptance inspection (issue #14 point 2), from a page's form or
//! the API's JSON, parsed into the use cases' terms ([`safeduty_app::enforcement::acceptance`]).

use safeduty_app::enforcement::acceptance::{Ground, Step, StillViolating};
use safeduty_core::enforcement::acceptance::{Conclusion, Mode, PlanInput};
use safeduty_core::enforcement::officers::{Guest, GuestKind};
use safeduty_core::enforcement::penalty::{AtAcceptance, Provision};
use safeduty_core::refusal::Refusal;
use serde::Deserialize;
use utoipa::ToSchema;

use super::enforcement::{code, date, labels};

/// An acceptance to plan (the committee office).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct AcceptancePlanRequest {
    /// The enterprise (public id).
    #[serde(default)]
    pub enterprise: String,
    /// The inspecting unit's id (holding the inspect power, the enterprise in its scope).
    #[serde(default, deserialize_with = "super::id_text")]
    pub unit: String,
    /// The day planned, `YYYY-MM-DD`, not before today.
    #[serde(default)]
    #[schema(format = Date)]
    pub planned_on: String,
    /// A team of officers with experts and media, or a commissioned third party.
    #[serde(default)]
    #[schema(value_type = crate::openapi::AcceptanceModeCode)]
    pub mode: String,
    /// The commissioned third party's name (only for `third_party`).
    #[serde(default)]
    pub third_party: String,
}

impl AcceptancePlanRequest {
    /// The enterprise, the unit and the plan as typed (checked further by [`PlanInput::check`]).
    ///
    /// # Errors
    /// Invalid on `enterprise`, `unit`, `planned_on` or `mode` when they cannot be read.
    pub fn input(&self) -> Result<(String, i64, PlanInput), Refusal> {
        let enterprise = self.enterprise.trim();
        if enterprise.is_empty() {
            return Err(Refusal::invalid("请选择被验收企业").on("enterprise"));
        }
        let unit = self
            .unit
            .trim()
            .parse()
            .map_err(|_| Refusal::invalid("请选择承担验收检查的单位").on("unit"))?;
        let mode = code(
            &self.mode,
            "mode",
            "验收方式",
            Mode::from_code,
            &labels(Mode::ALL, Mode::label),
        )?;
        Ok((
            enterprise.to_string(),
            unit,
            PlanInput {
                planned_on: Some(date(&self.planned_on, "planned_on", "计划验收日期")?),
                mode: Some(mode),
                third_party: self.third_party.clone(),
            },
        ))
    }
}

/// A guest to invite to an acceptance.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct InviteRequest {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Expert, media, commissioned third party (only on a third-party acceptance) or other.
    #[serde(default)]
    #[schema(value_type = crate::openapi::GuestKindCode)]
    pub kind: String,
    /// Organisation, may be blank.
    #[serde(default)]
    pub organisation: String,
}

impl InviteRequest {
    /// The guest.
    ///
    /// # Errors
    /// Invalid on `kind` when it cannot be read.
    pub fn guest(&self) -> Result<Guest, Refusal> {
        Ok(Guest {
            name: self.name.clone(),
            kind: code(
                &self.kind,
                "kind",
                "受邀人员身份",
                GuestKind::from_code,
                &labels(GuestKind::ALL, GuestKind::label),
            )?,
            organisation: self.organisation.clone(),
        })
    }
}

/// A step of an acceptance.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct AcceptanceStepRequest {
    /// Which step: `assess` (the third party), `adopt` or `close` (an officer).
    #[serde(default)]
    #[schema(value_type = crate::openapi::AcceptanceStepCode)]
    pub step: String,
    /// `close`: the day, `YYYY-MM-DD`.
    #[serde(default)]
    #[schema(format = Date)]
    pub date: String,
    /// `assess` and `close`: the conclusion.
    #[serde(default)]
    #[schema(value_type = crate::openapi::ConclusionCode)]
    pub conclusion: String,
    /// `assess`: the technical assessment, at most 4 000 characters; `close`: the acceptance
    /// opinion, at most 2 000.
    #[serde(default)]
    pub text: String,
}

impl AcceptanceStepRequest {
    /// The step.
    ///
    /// # Errors
    /// Invalid on `step`, `date` or `conclusion` when they cannot be read.
    pub fn step(&self) -> Result<Step, Refusal> {
        let conclusion = || {
            code(
                &self.conclusion,
                "conclusion",
                "验收结论",
                Conclusion::from_code,
                &labels(Conclusion::ALL, Conclusion::label),
            )
        };
        Ok(match self.step.trim() {
            "assess" => Step::Assess {
                text: self.text.clone(),
                conclusion: conclusion()?,
            },
            "adopt" => Step::Adopt,
            "close" => Step::Close {
                date: date(&self.date, "date", "结束日期")?,
                conclusion: conclusion()?,
                opinion: self.text.clone(),
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

/// A comment on an acceptance.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CommentRequest {
    /// What the guest or officer says, at most 1 000 characters.
    #[serde(default)]
    pub text: String,
}

/// A party found still violating at acceptance, to open its case.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct StillViolatingRequest {
    /// The violation (its article), punished at the statutory upper limit.
    #[serde(default)]
    #[schema(value_type = crate::openapi::AtAcceptanceCode)]
    pub violation: String,
    /// What shows it: `case:{id}` (an earlier decided case of the same article) or `order:{id}`
    /// (a correction order not corrected), as the acceptance page offers them.
    #[serde(default)]
    pub ground: String,
    /// The provision applied: one of the violation's.
    #[serde(default)]
    #[schema(value_type = crate::openapi::ProvisionCode)]
    pub provision: String,
    /// For a provision on persons: the person's name.
    #[serde(default)]
    pub person_name: String,
    /// Their role in the unit.
    #[serde(default)]
    pub person_role: String,
    /// The facts found; blank: the ground in words.
    #[serde(default)]
    pub facts: String,
}

impl StillViolatingRequest {
    /// What the officer found.
    ///
    /// # Errors
    /// Invalid on `violation`, `ground` or `provision` when they cannot be read.
    pub fn still_violating(&self) -> Result<StillViolating, Refusal> {
        let violation = code(
            &self.violation,
            "violation",
            "验收时仍存在的违法行为",
            AtAcceptance::from_code,
            &labels(AtAcceptance::ALL, AtAcceptance::label),
        )?;
        let ground = match self.ground.trim().split_once(':') {
            Some(("case", id)) if !id.is_empty() => Ground::Case(id.to_string()),
            Some(("order", id)) if !id.is_empty() => Ground::Order(id.to_string()),
            _ => {
                return Err(Refusal::invalid(
                    "请选择依据：已作出处罚决定的前案，或仍未改正的整改指令",
                )
                .on("ground"));
            }
        };
        let provision = code(
            &self.provision,
            "provision",
            "处罚依据",
            Provision::from_code,
            &labels(Provision::ALL, Provision::label),
        )?;
        Ok(StillViolating {
            violation,
            ground,
            provision,
            person_name: self.person_name.clone(),
            person_role: self.person_role.clone(),
            facts: self.facts.clone(),
        })
    }
}
