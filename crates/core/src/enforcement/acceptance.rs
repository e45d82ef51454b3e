//! The acceptance inspection (检查验收, issue #14 point 2; plan §四 第四阶段: 采取“执法人员+专家+
//! 媒体”或委托第三方的方式，对各单位、各行业开展检查验收).
//!
//! The committee office plans it (an enterprise, the inspecting unit, the day, the way); the
//! inspecting unit's certified officers lead it and sign the record, which is the same on-site
//! inspection record as any other ([`super::inspection`]) and counts toward the enterprise's
//! yearly cap: the committee office is never the inspecting body on a legal document
//! (国办发〔2024〕54号, research notes §4). Experts and journalists join as guests invited by an
//! officer to this one acceptance; a commissioned third party (委托第三方) records a technical
//! assessment that an officer adopts. The acceptance closes with its conclusion (验收合格 /
//! 验收不合格); its guests lose access then.
//!
//! Pure domain: an [`Acceptance`] holds the dated record of each step; each step method checks
//! the order and refuses with a Chinese reason without changing it.

use chrono::NaiveDate;

use super::{TextRule, check_record_date};
use crate::coded::coded;
use crate::refusal::Refusal;

coded!(
    /// How the acceptance is carried out.
    #[serde(rename_all = "snake_case")]
    Mode {
        /// Officers of the inspecting unit with invited experts and media (执法人员+专家+媒体).
        Team = ("team", "执法人员+专家+媒体"),
        /// A commissioned third party assesses; an officer adopts its assessment (委托第三方).
        ThirdParty = ("third_party", "委托第三方"),
    }
);

coded!(
    /// Where an acceptance stands.
    #[serde(rename_all = "snake_case")]
    AcceptanceStatus {
        /// Planned; nothing recorded yet.
        Planned = ("planned", "待验收"),
        /// The inspection or the assessment is on record; not closed.
        Underway = ("underway", "验收中"),
        /// Closed with its conclusion; its guests no longer have access.
        Closed = ("closed", "已结束"),
    }
);

coded!(
    /// The acceptance's conclusion (验收结论).
    #[serde(rename_all = "snake_case")]
    Conclusion {
        /// Passed (验收合格).
        Passed = ("passed", "验收合格"),
        /// Failed (验收不合格): what is still violating is handled by cases.
        Failed = ("failed", "验收不合格"),
    }
);

/// Longest name of a commissioned third party, in characters.
pub const THIRD_PARTY_MAX_CHARS: usize = 100;

const THIRD_PARTY: TextRule = TextRule::line("受委托第三方", "third_party", THIRD_PARTY_MAX_CHARS);
const ASSESSMENT: TextRule = TextRule::block("技术评估意见", "text", 4000);
const OPINION: TextRule = TextRule::block("验收意见", "opinion", 2000);
const COMMENT: TextRule = TextRule::block("意见", "text", 1000);

/// The plan of one acceptance as the committee office types it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PlanInput {
    /// The day planned.
    pub planned_on: Option<NaiveDate>,
    /// The way.
    pub mode: Option<Mode>,
    /// The commissioned third party's name (only for [`Mode::ThirdParty`]).
    pub third_party: String,
}

/// A checked plan.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Planned {
    /// The day planned.
    pub planned_on: NaiveDate,
    /// The way.
    pub mode: Mode,
    /// The commissioned third party, empty for a team.
    pub third_party: String,
}

impl PlanInput {
    /// The plan, checked on `today`.
    ///
    /// # Errors
    /// Invalid: `planned_on` missing (“请填写计划验收日期”) or before today (“计划验收日期不能早于
    /// 今天”); `mode` missing (“请选择验收方式”); for a third party, `third_party` blank, over 100
    /// characters or not one line; for a team, a third party named (“执法人员+专家+媒体方式不填写
    /// 受委托第三方”).
    pub fn check(&self, today: NaiveDate) -> Result<Planned, Refusal> {
        let planned_on = self
            .planned_on
            .ok_or_else(|| Refusal::invalid("请填写计划验收日期").on("planned_on"))?;
        if planned_on < today {
            return Err(Refusal::invalid("计划验收日期不能早于今天").on("planned_on"));
        }
        let mode = self
            .mode
            .ok_or_else(|| Refusal::invalid("请选择验收方式").on("mode"))?;
        let third_party = match mode {
            Mode::ThirdParty => THIRD_PARTY.clean(&self.third_party)?,
            Mode::Team if !self.third_party.trim().is_empty() => {
                return Err(
                    Refusal::invalid("执法人员+专家+媒体方式不填写受委托第三方").on("third_party")
                );
            }
            Mode::Team => String::new(),
        };
        Ok(Planned {
            planned_on,
            mode,
            third_party,
        })
    }
}

/// A third party's technical assessment (技术评估意见) and its adoption by an officer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Assessment {
    /// The day submitted.
    pub submitted_on: NaiveDate,
    /// What the third party found and concludes.
    pub text: String,
    /// Its proposed conclusion.
    pub conclusion: Conclusion,
    /// The day an officer adopted it (采纳), if adopted.
    pub adopted_on: Option<NaiveDate>,
}

/// The closing of an acceptance.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Closing {
    /// The day closed.
    pub on: NaiveDate,
    /// The conclusion.
    pub conclusion: Conclusion,
    /// The acceptance opinion (验收意见), printed on the report.
    pub opinion: String,
}

/// An acceptance and the dated record of its steps.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Acceptance {
    /// The plan.
    pub plan: Planned,
    /// The day of its inspection record, once recorded.
    pub inspected_on: Option<NaiveDate>,
    /// The third party's assessment.
    pub assessment: Option<Assessment>,
    /// The closing.
    pub closing: Option<Closing>,
}

impl Acceptance {
    /// A planned acceptance.
    pub fn planned(plan: Planned) -> Acceptance {
        Acceptance {
            plan,
            inspected_on: None,
            assessment: None,
            closing: None,
        }
    }

    /// Where it stands.
    pub fn status(&self) -> AcceptanceStatus {
        if self.closing.is_some() {
            AcceptanceStatus::Closed
        } else if self.inspected_on.is_some() || self.assessment.is_some() {
            AcceptanceStatus::Underway
        } else {
            AcceptanceStatus::Planned
        }
    }

    fn open(&self) -> Result<(), Refusal> {
        if self.closing.is_some() {
            return Err(Refusal::conflict("该验收检查已结束，不能再变更"));
        }
        Ok(())
    }

    /// Whether guests may be invited and may read and comment: until it closes.
    pub fn admits_guests(&self) -> bool {
        self.closing.is_none()
    }

    /// Links its inspection record, dated `on`.
    ///
    /// # Errors
    /// Conflict: closed; an inspection already on record (“该验收检查已有检查记录”).
    pub fn record_inspection(&mut self, on: NaiveDate) -> Result<(), Refusal> {
        self.open()?;
        if self.inspected_on.is_some() {
            return Err(Refusal::conflict("该验收检查已有检查记录"));
        }
        self.inspected_on = Some(on);
        Ok(())
    }

    /// The third party submits (or, before adoption, replaces) its assessment on `today`.
    ///
    /// # Errors
    /// Conflict: closed; not a third-party acceptance; already adopted. Invalid on `text` (blank,
    /// over 4000 characters, control characters).
    pub fn submit_assessment(
        &mut self,
        text: &str,
        conclusion: Conclusion,
        today: NaiveDate,
    ) -> Result<(), Refusal> {
        self.open()?;
        if self.plan.mode != Mode::ThirdParty {
            return Err(Refusal::conflict(
                "该验收检查不是委托第三方方式，不提交技术评估意见",
            ));
        }
        if self
            .assessment
            .as_ref()
            .is_some_and(|a| a.adopted_on.is_some())
        {
            return Err(Refusal::conflict("技术评估意见已被采纳，不能再修改"));
        }
        self.assessment = Some(Assessment {
            submitted_on: today,
            text: ASSESSMENT.clean(text)?,
            conclusion,
            adopted_on: None,
        });
        Ok(())
    }

    /// An officer adopts the assessment on `today`.
    ///
    /// # Errors
    /// Conflict: closed; no assessment submitted; already adopted.
    pub fn adopt(&mut self, today: NaiveDate) -> Result<(), Refusal> {
        self.open()?;
        match &mut self.assessment {
            None => Err(Refusal::conflict("受委托第三方尚未提交技术评估意见")),
            Some(a) if a.adopted_on.is_some() => Err(Refusal::conflict("技术评估意见已采纳")),
            Some(a) => {
                a.adopted_on = Some(today);
                Ok(())
            }
        }
    }

    /// Closes it on `on` (not after `today`) with its conclusion and opinion.
    ///
    /// # Errors
    /// Conflict: closed; a team acceptance without its inspection record (“请先填写验收检查记录”);
    /// a third-party one without an adopted assessment (“请先采纳受委托第三方的技术评估意见”).
    /// Invalid: `date` after today, or before the inspection or the adoption (“结束日期不能早于
    /// 检查日期”); `opinion` blank or over 2000 characters.
    pub fn close(
        &mut self,
        on: NaiveDate,
        conclusion: Conclusion,
        opinion: &str,
        today: NaiveDate,
    ) -> Result<(), Refusal> {
        self.open()?;
        let since = match self.plan.mode {
            Mode::Team => self
                .inspected_on
                .ok_or_else(|| Refusal::conflict("请先填写验收检查记录"))?,
            Mode::ThirdParty => self
                .assessment
                .as_ref()
                .and_then(|a| a.adopted_on)
                .ok_or_else(|| Refusal::conflict("请先采纳受委托第三方的技术评估意见"))?,
        };
        check_record_date(on, today, "结束日期", "date")?;
        if on < since {
            return Err(Refusal::invalid(format!("结束日期不能早于{since}")).on("date"));
        }
        self.closing = Some(Closing {
            on,
            conclusion,
            opinion: OPINION.clean(opinion)?,
        });
        Ok(())
    }
}

/// A guest's or an officer's comment on an acceptance, trimmed.
///
/// # Errors
/// Invalid on `text`: blank, over 1000 characters, control characters.
pub fn check_comment(text: &str) -> Result<String, Refusal> {
    COMMENT.clean(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn plan(mode: Mode, third_party: &str) -> PlanInput {
        PlanInput {
            planned_on: Some(d("2024-11-20")),
            mode: Some(mode),
            third_party: third_party.into(),
        }
    }

    fn refused(r: Refusal) -> (String, Option<&'static str>) {
        (r.message().to_string(), r.field())
    }

    #[test]
    fn codes_and_labels() {
        let m: Vec<_> = Mode::ALL.iter().map(|x| (x.code(), x.label())).collect();
        assert_eq!(
            m,
            vec![
                ("team", "执法人员+专家+媒体"),
                ("third_party", "委托第三方")
            ]
        );
        let c: Vec<_> = Conclusion::ALL.iter().map(|x| x.label()).collect();
        assert_eq!(c, vec!["验收合格", "验收不合格"]);
    }

    #[test]
    fn plan_checks() {
        let today = d("2024-11-15");
        let p = plan(Mode::Team, "").check(today).unwrap();
        assert_eq!((p.planned_on, p.mode), (d("2024-11-20"), Mode::Team));
        let p = plan(Mode::ThirdParty, " 广西某安全技术服务有限公司 ")
            .check(today)
            .unwrap();
        assert_eq!(p.third_party, "广西某安全技术服务有限公司");
        assert_eq!(
            refused(plan(Mode::ThirdParty, " ").check(today).unwrap_err()),
            ("请填写受委托第三方".into(), Some("third_party"))
        );
        assert_eq!(
            refused(plan(Mode::Team, "某公司").check(today).unwrap_err()).1,
            Some("third_party")
        );
        assert_eq!(
            refused(plan(Mode::Team, "").check(d("2024-11-21")).unwrap_err()),
            ("计划验收日期不能早于今天".into(), Some("planned_on"))
        );
        let none = PlanInput {
            planned_on: Some(d("2024-11-20")),
            ..PlanInput::default()
        };
        assert_eq!(refused(none.check(today).unwrap_err()).1, Some("mode"));
    }

    #[test]
    fn a_team_acceptance_closes_after_its_inspection() {
        let mut a = Acceptance::planned(plan(Mode::Team, "").check(d("2024-11-01")).unwrap());
        assert_eq!(a.status(), AcceptanceStatus::Planned);
        let today = d("2024-11-25");
        let r = a
            .close(today, Conclusion::Passed, "符合要求", today)
            .unwrap_err();
        assert_eq!(r.message(), "请先填写验收检查记录");
        a.record_inspection(d("2024-11-20")).unwrap();
        assert_eq!(a.status(), AcceptanceStatus::Underway);
        assert_eq!(
            a.record_inspection(d("2024-11-21")).unwrap_err().message(),
            "该验收检查已有检查记录"
        );
        let r = a
            .close(d("2024-11-19"), Conclusion::Passed, "符合要求", today)
            .unwrap_err();
        assert_eq!(
            refused(r),
            ("结束日期不能早于2024-11-20".into(), Some("date"))
        );
        let r = a.close(today, Conclusion::Passed, " ", today).unwrap_err();
        assert_eq!(refused(r), ("请填写验收意见".into(), Some("opinion")));
        let r = a
            .submit_assessment("评估", Conclusion::Passed, today)
            .unwrap_err();
        assert_eq!(
            r.message(),
            "该验收检查不是委托第三方方式，不提交技术评估意见"
        );
        assert!(a.admits_guests());
        a.close(today, Conclusion::Failed, "仍有隐患未整改", today)
            .unwrap();
        assert_eq!(a.status(), AcceptanceStatus::Closed);
        assert!(!a.admits_guests());
        assert_eq!(
            a.record_inspection(today).unwrap_err().message(),
            "该验收检查已结束，不能再变更"
        );
    }

    #[test]
    fn a_third_party_assessment_is_adopted_before_closing() {
        let mut a = Acceptance::planned(
            plan(Mode::ThirdParty, "某技术服务公司")
                .check(d("2024-11-01"))
                .unwrap(),
        );
        let today = d("2024-11-22");
        assert_eq!(
            a.adopt(today).unwrap_err().message(),
            "受委托第三方尚未提交技术评估意见"
        );
        a.submit_assessment("初稿", Conclusion::Failed, d("2024-11-21"))
            .unwrap();
        a.submit_assessment(" 安全管理人员履职到位 ", Conclusion::Passed, today)
            .unwrap();
        let r = a
            .close(today, Conclusion::Passed, "同意", today)
            .unwrap_err();
        assert_eq!(r.message(), "请先采纳受委托第三方的技术评估意见");
        a.adopt(today).unwrap();
        assert_eq!(
            a.submit_assessment("改", Conclusion::Passed, today)
                .unwrap_err()
                .message(),
            "技术评估意见已被采纳，不能再修改"
        );
        let s = a.assessment.clone().unwrap();
        assert_eq!(
            (s.text.as_str(), s.conclusion, s.adopted_on),
            ("安全管理人员履职到位", Conclusion::Passed, Some(today))
        );
        a.close(today, Conclusion::Passed, "采纳第三方意见，验收合格", today)
            .unwrap();
        assert_eq!(a.status(), AcceptanceStatus::Closed);
    }

    #[test]
    fn comments() {
        assert_eq!(
            check_comment(" 建议复查消防通道 ").unwrap(),
            "建议复查消防通道"
        );
        assert_eq!(refused(check_comment("").unwrap_err()).1, Some("text"));
        assert!(check_comment(&"意".repeat(1001)).is_err());
    }
}
