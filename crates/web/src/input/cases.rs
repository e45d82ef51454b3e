//! What a client sends about a penalty case (issue #13), from a page's form or the API's JSON,
//! parsed into the use cases' terms ([`safeduty_app::enforcement::cases`]). Every field is read
//! as text so that a wrong value is answered in Chinese naming the field, never by the parser.

use safeduty_app::enforcement::cases::{DraftSource, Step};
use safeduty_core::enforcement::case::{Answer, CaseDraft, HeavyMeasure};
use safeduty_core::enforcement::penalty::{Band, Provision};
use safeduty_core::enforcement::violations::Party;
use safeduty_core::finding::ledger::parse_yuan;
use safeduty_core::refusal::Refusal;
use serde::Deserialize;
use utoipa::ToSchema;

use super::enforcement::{code, date};

fn labels<T: Copy>(all: &[T], label: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| label(*v)).collect()
}

/// A case to draft.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CaseRequest {
    /// Draft from this inspection of the caller's unit (public id); or
    #[serde(default)]
    pub inspection: String,
    /// from this referral for a case (public id); or
    #[serde(default)]
    pub referral: String,
    /// directly on this enterprise (public id). Exactly one of the three.
    #[serde(default)]
    pub enterprise: String,
    /// 案由, one line of at most 200 characters.
    #[serde(default)]
    pub cause: String,
    /// The facts known, at most 2 000 characters.
    #[serde(default)]
    pub facts: String,
    /// The provision proposed.
    #[serde(default)]
    #[schema(value_type = crate::openapi::ProvisionCode)]
    pub provision: String,
    /// The party: the unit (`unit`) or a person of it (`person`).
    #[serde(default)]
    #[schema(value_type = crate::openapi::PartyCode)]
    pub party: String,
    /// The person's name (for `person`).
    #[serde(default)]
    pub party_name: String,
    /// The person's role in the unit, e.g. 安全生产管理人员 (for `person`).
    #[serde(default)]
    pub party_role: String,
}

impl CaseRequest {
    /// Where the draft comes from.
    ///
    /// # Errors
    /// Invalid on `source`: none or more than one of inspection, referral, enterprise.
    pub fn source(&self) -> Result<DraftSource, Refusal> {
        let given: Vec<DraftSource> = [
            (
                &self.inspection,
                DraftSource::Inspection as fn(String) -> DraftSource,
            ),
            (&self.referral, DraftSource::Referral),
            (&self.enterprise, DraftSource::Enterprise),
        ]
        .into_iter()
        .filter(|(v, _)| !v.trim().is_empty())
        .map(|(v, make)| make(v.trim().to_string()))
        .collect();
        let [source] = <[DraftSource; 1]>::try_from(given).map_err(|_| {
            Refusal::invalid("请指明案件来源：一次现场检查、一项移交或一家企业（只能选一项）")
                .on("source")
        })?;
        Ok(source)
    }

    /// What the draft says (checked further by [`CaseDraft::check`]).
    ///
    /// # Errors
    /// Invalid on `provision` or `party` (unknown codes).
    pub fn case_draft(&self) -> Result<CaseDraft, Refusal> {
        let provision = code(
            &self.provision,
            "provision",
            "处罚依据",
            Provision::from_code,
            &labels(Provision::ALL, Provision::label),
        )?;
        let party = code(
            &self.party,
            "party",
            "当事人类别",
            Party::from_code,
            &labels(Party::ALL, Party::label),
        )?;
        Ok(CaseDraft {
            cause: self.cause.clone(),
            facts: self.facts.clone(),
            provision,
            party,
            person_name: self.party_name.clone(),
            person_role: self.party_role.clone(),
        })
    }

    /// Both.
    ///
    /// # Errors
    /// As [`CaseRequest::source`], then [`CaseRequest::case_draft`].
    pub fn draft(&self) -> Result<(DraftSource, CaseDraft), Refusal> {
        Ok((self.source()?, self.case_draft()?))
    }
}

/// The approval of a case's filing.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FilingRequest {
    /// The case's `version` the client loaded: a change made since is answered 409.
    pub version: i64,
    /// The day of the approval, `YYYY-MM-DD`, not after today.
    #[serde(default)]
    #[schema(format = Date)]
    pub filed_on: String,
    /// The handling officers (account ids of the unit, at least two, certified that day).
    #[serde(default)]
    pub officers: Vec<i64>,
}

/// The step codes, in the order of the procedure.
pub(crate) const STEPS: [&str; 13] = [
    "investigate",
    "notify",
    "offer_hearing",
    "answer",
    "extend",
    "decide",
    "no_penalty",
    "serve",
    "pay",
    "enforce",
    "close",
    "suspend",
    "lift",
];

/// A step of a filed case.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct StepRequest {
    /// The case's `version` the client loaded: a change made since is answered 409.
    #[serde(default)]
    pub version: i64,
    /// Which step.
    #[serde(default)]
    #[schema(value_type = crate::openapi::CaseStepCode)]
    pub step: String,
    /// The step's day, `YYYY-MM-DD` (the party's receipt of a notice, the day decided …); not
    /// for `extend`.
    #[serde(default)]
    #[schema(format = Date)]
    pub date: String,
    /// `notify`, `decide`: the provision applied.
    #[serde(default)]
    #[schema(value_type = Option<crate::openapi::ProvisionCode>)]
    pub provision: String,
    /// `notify`, `decide`: the fine in yuan (whole yuan; `0` or blank in a notice for none).
    #[serde(default)]
    pub amount: String,
    /// `notify`: a suspension or revocation proposed, if any.
    #[serde(default)]
    #[schema(value_type = Option<crate::openapi::HeavyMeasureCode>)]
    pub heavy: String,
    /// `decide`: the discretion band used, if any.
    #[serde(default)]
    #[schema(value_type = Option<crate::openapi::BandCode>)]
    pub band: String,
    /// `answer`: statement, waiver or hearing.
    #[serde(default)]
    #[schema(value_type = Option<crate::openapi::CaseAnswerCode>)]
    pub answer: String,
    /// `answer`: what the party said (required but for a waiver); `lift`: the review's opinion.
    #[serde(default)]
    pub note: String,
    /// `suspend`: the last day of the suspension's period, `YYYY-MM-DD` (`date` its first).
    #[serde(default)]
    #[schema(format = Date)]
    pub until: String,
    /// `no_penalty`: the basis and the facts.
    #[serde(default)]
    pub basis: String,
    /// `no_penalty`: the follow-up measure.
    #[serde(default)]
    pub follow_up: String,
}

/// Whole yuan as typed (`12000`, `12,000`, `１２０００元`): no fen, at most 10 000 000.
fn yuan(v: &str, field: &'static str, label: &str) -> Result<u32, Refusal> {
    let v = v.trim();
    if v.is_empty() {
        return Err(Refusal::invalid(format!("请填写{label}")).on(field));
    }
    parse_yuan(v)
        .filter(|fen| fen % 100 == 0)
        .and_then(|fen| u32::try_from(fen / 100).ok())
        .filter(|y| *y <= 10_000_000)
        .ok_or_else(|| {
            Refusal::invalid(format!(
                "{label}“{}”应为整元金额（元）",
                v.chars().take(20).collect::<String>()
            ))
            .on(field)
        })
}

fn optional<T>(
    v: &str,
    parse: impl FnOnce(&str) -> Result<T, Refusal>,
) -> Result<Option<T>, Refusal> {
    if v.trim().is_empty() {
        Ok(None)
    } else {
        parse(v).map(Some)
    }
}

impl StepRequest {
    /// The step.
    ///
    /// # Errors
    /// Invalid on the field that cannot be read: `step`, `date`, `provision`, `amount`,
    /// `heavy`, `band`, `answer`.
    pub fn step(&self) -> Result<Step, Refusal> {
        let day = || date(&self.date, "date", "办理日期");
        let provision = || {
            code(
                &self.provision,
                "provision",
                "处罚依据",
                Provision::from_code,
                &labels(Provision::ALL, Provision::label),
            )
        };
        Ok(match self.step.trim() {
            "investigate" => Step::Investigate { date: day()? },
            "notify" => Step::Notify {
                provision: provision()?,
                amount: optional(&self.amount, |v| yuan(v, "amount", "拟处罚款"))?.unwrap_or(0),
                heavy: optional(&self.heavy, |v| {
                    code(
                        v,
                        "heavy",
                        "拟作出的其他处罚",
                        HeavyMeasure::from_code,
                        &labels(HeavyMeasure::ALL, HeavyMeasure::label),
                    )
                })?,
                date: day()?,
            },
            "offer_hearing" => Step::OfferHearing { date: day()? },
            "answer" => Step::Answer {
                answer: code(
                    &self.answer,
                    "answer",
                    "当事人意见",
                    Answer::from_code,
                    &labels(Answer::ALL, Answer::label),
                )?,
                date: day()?,
                note: self.note.clone(),
            },
            "extend" => Step::Extend,
            "decide" => Step::Decide {
                provision: provision()?,
                amount: yuan(&self.amount, "amount", "罚款金额")?,
                band: optional(&self.band, |v| {
                    code(
                        v,
                        "band",
                        "裁量档次",
                        Band::from_code,
                        &labels(Band::ALL, Band::label),
                    )
                })?,
                date: day()?,
            },
            "no_penalty" => Step::NoPenalty {
                basis: self.basis.clone(),
                follow_up: self.follow_up.clone(),
                date: day()?,
            },
            "serve" => Step::Serve { date: day()? },
            "pay" => Step::Pay { date: day()? },
            "enforce" => Step::Enforce { date: day()? },
            "close" => Step::Close { date: day()? },
            "suspend" => Step::Suspend {
                date: day()?,
                until: date(&self.until, "until", "整顿期限截止日期")?,
            },
            "lift" => Step::Lift {
                date: day()?,
                note: self.note.clone(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_whole_yuan_as_people_type_them() {
        assert_eq!(yuan("12000", "amount", "罚款金额").unwrap(), 12_000);
        assert_eq!(yuan("１２,０００元", "amount", "罚款金额").unwrap(), 12_000);
        assert_eq!(yuan("200000.00", "amount", "罚款金额").unwrap(), 200_000);
        let r = yuan("12000.5", "amount", "罚款金额").unwrap_err();
        assert_eq!(
            (r.message(), r.field()),
            ("罚款金额“12000.5”应为整元金额（元）", Some("amount"))
        );
        assert!(yuan("-5", "amount", "罚款金额").is_err());
        assert!(yuan("99999999999", "amount", "罚款金额").is_err());
        assert_eq!(
            yuan(" ", "amount", "罚款金额").unwrap_err().message(),
            "请填写罚款金额"
        );
    }

    #[test]
    fn a_draft_names_exactly_one_source() {
        let mut r = CaseRequest {
            provision: "art96_person".into(),
            party: "person".into(),
            ..CaseRequest::default()
        };
        assert_eq!(r.draft().unwrap_err().field(), Some("source"));
        r.inspection = "i1".into();
        r.enterprise = "e1".into();
        assert_eq!(r.draft().unwrap_err().field(), Some("source"));
        r.enterprise.clear();
        let (source, draft) = r.draft().unwrap();
        assert_eq!(source, DraftSource::Inspection("i1".into()));
        assert_eq!(draft.provision, Provision::Art96Person);
        r.provision = "art999".into();
        assert_eq!(r.draft().unwrap_err().field(), Some("provision"));
    }

    #[test]
    fn steps_are_read_by_their_code() {
        let r = StepRequest {
            step: "decide".into(),
            date: "2024-10-15".into(),
            provision: "art97_unit".into(),
            amount: "50000".into(),
            band: "general".into(),
            ..StepRequest::default()
        };
        assert_eq!(
            r.step().unwrap(),
            Step::Decide {
                provision: Provision::Art97Unit,
                amount: 50_000,
                band: Some(Band::General),
                date: "2024-10-15".parse().unwrap(),
            }
        );
        let r = StepRequest {
            step: "jump".into(),
            ..StepRequest::default()
        };
        assert_eq!(r.step().unwrap_err().field(), Some("step"));
    }
}
