//! Typical-case exposure (典型案例曝光, issue #13 point 5; plan §四 第三阶段: 定期曝光一批典型案例):
//! what the public is told of a decided and served case, and nothing else.
//!
//! The text is fixed when the exposure is drafted ([`ExposureText::of`]) and shown to the
//! approver as it will be published: the enterprise's full name, the violation, the article
//! violated and the article applied, the penalty, the day decided. A person who is a party is
//! named only by surname and 某某 ([`surname_only`]) with the role; never a given name, an ID
//! number, a phone or an address (none is kept anyway; the cause and the typed article are one
//! line each and checked). Free text typed about the facts is not published.

use chrono::NaiveDate;

use super::TextRule;
use super::case::{Case, CaseState, Party};
use crate::coded::coded;
use crate::refusal::Refusal;

/// Two-character surnames (复姓) kept whole before 某某; every other name keeps its first
/// character. The common ones of the 百家姓.
const COMPOUND_SURNAMES: [&str; 20] = [
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "申屠",
];

/// A person's name as published: the surname and 某某 (`张三` → `张某某`, `欧阳明` → `欧阳某某`).
pub fn surname_only(name: &str) -> String {
    let name = name.trim();
    let surname = COMPOUND_SURNAMES
        .iter()
        .find(|s| name.starts_with(**s) && name.chars().count() > 2)
        .map_or_else(
            || name.chars().next().map(String::from).unwrap_or_default(),
            |s| (*s).to_string(),
        );
    format!("{surname}某某")
}

/// Whether a case in `state` may be exposed: decided (a fine or 不予处罚) and served, whatever
/// followed (paid, sent to enforcement, closed).
pub fn exposable(state: CaseState) -> bool {
    matches!(
        state,
        CaseState::Served | CaseState::Paid | CaseState::Enforcing | CaseState::Closed
    )
}

const VIOLATED: TextRule = TextRule::line("违反的条款", "violated_article", 100);
const REASON: TextRule = TextRule::block("撤回理由", "reason", 500);

coded!(
    /// Where an exposure stands.
    #[serde(rename_all = "snake_case")]
    ExposureStatus {
        /// Drafted, waiting for the approver.
        Draft = ("draft", "待审核发布"),
        /// Published on the public pages.
        Published = ("published", "已发布"),
        /// Withdrawn with a reason (kept in the history).
        Withdrawn = ("withdrawn", "已撤回"),
    }
);

/// What an exposure publishes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExposureText {
    /// The enterprise's full name.
    pub enterprise: String,
    /// The party as published: the enterprise, or `张某某（安全生产管理人员）`.
    pub party: String,
    /// The violation (the case's 案由).
    pub violation: String,
    /// The article violated, as typed by the drafter, e.g. 《安全生产法》第二十五条.
    pub violated_article: String,
    /// The article applied (the decision's provision).
    pub applied_article: String,
    /// The penalty in words, e.g. `罚款人民币50000元`, or `不予行政处罚`.
    pub penalty: String,
    /// The day decided.
    pub decided_on: NaiveDate,
}

impl ExposureText {
    /// The text of `case` (案由 `cause`, of the enterprise `enterprise`), with the article
    /// violated as typed.
    ///
    /// # Errors
    /// Conflict unless the case is decided (a fine or 不予处罚) and served; invalid on
    /// `violated_article` (blank, over 100 characters, several lines).
    pub fn of(
        case: &Case,
        enterprise: &str,
        cause: &str,
        violated_article: &str,
    ) -> Result<ExposureText, Refusal> {
        if !exposable(case.state()) {
            return Err(Refusal::conflict(format!(
                "案件当前为“{}”，只有已作出决定并送达的案件可以曝光",
                case.state().label()
            )));
        }
        let violated_article = VIOLATED.clean(violated_article)?;
        let (applied_article, penalty, decided_on) = match (&case.decision, &case.no_penalty) {
            (Some(d), _) => (
                d.provision.label().to_string(),
                format!("罚款人民币{}元", d.amount),
                d.decided_on,
            ),
            (None, Some((_, on))) => (
                "《中华人民共和国行政处罚法》第三十三条".to_string(),
                "不予行政处罚".to_string(),
                *on,
            ),
            (None, None) => return Err(Refusal::conflict("案件尚未作出决定")),
        };
        let party = match &case.party {
            Party::Unit { name, .. } => name.clone(),
            Party::Person { name, role, .. } => format!("{}（{role}）", surname_only(name)),
        };
        Ok(ExposureText {
            enterprise: enterprise.to_string(),
            party,
            violation: cause.trim().to_string(),
            violated_article,
            applied_article,
            penalty,
            decided_on,
        })
    }
}

/// Checks the reason of a withdrawal.
///
/// # Errors
/// Invalid on `reason` when blank or over 500 characters.
pub fn withdrawal_reason(reason: &str) -> Result<String, Refusal> {
    REASON.clean(reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enforcement::case::{Decision, PenaltyNotice};
    use crate::enforcement::penalty::Provision;
    use crate::enforcement::rules::Rules;
    use crate::uscc::Uscc;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn served_person_case() -> Case {
        let (rules, cal) = (Rules::shipped(), crate::calendar::Calendar::shipped());
        let mut c = Case::file(
            Party::Person {
                name: "张建国".into(),
                role: "安全生产管理人员".into(),
                unit_name: "南宁某某化工有限公司".into(),
                unit_uscc: Uscc::with_check_char("91450103198230001").unwrap(),
            },
            d("2024-09-20"),
        );
        c.investigate(d("2024-09-23")).unwrap();
        c.notify(PenaltyNotice {
            provision: Provision::Art96Person,
            amount: 20_000,
            heavy: None,
            received_on: d("2024-09-27"),
        })
        .unwrap();
        c.offer_hearing(d("2024-09-27")).unwrap();
        c.record_answer(crate::enforcement::case::Answer::Waived, d("2024-09-28"))
            .unwrap();
        c.decide(
            Decision {
                provision: Provision::Art96Person,
                amount: 20_000,
                band: None,
                decided_on: d("2024-10-11"),
            },
            &rules,
            &cal,
        )
        .unwrap();
        c
    }

    #[test]
    fn a_person_is_published_by_surname_and_role_only() {
        assert_eq!(surname_only("张建国"), "张某某");
        assert_eq!(surname_only(" 欧阳明 "), "欧阳某某");
        assert_eq!(
            surname_only("欧阳"),
            "欧某某",
            "a two-character name is surname + name"
        );
        let mut c = served_person_case();
        let r = ExposureText::of(
            &c,
            "南宁某某化工有限公司",
            "未履行职责",
            "《安全生产法》第二十五条",
        )
        .unwrap_err();
        assert_eq!(
            r.message(),
            "案件当前为“已决定”，只有已作出决定并送达的案件可以曝光"
        );
        c.serve(d("2024-10-12")).unwrap();
        let t = ExposureText::of(
            &c,
            "南宁某某化工有限公司",
            " 安全生产管理人员未履行安全生产管理职责 ",
            "《安全生产法》第二十五条",
        )
        .unwrap();
        assert_eq!(
            t,
            ExposureText {
                enterprise: "南宁某某化工有限公司".into(),
                party: "张某某（安全生产管理人员）".into(),
                violation: "安全生产管理人员未履行安全生产管理职责".into(),
                violated_article: "《安全生产法》第二十五条".into(),
                applied_article: "《安全生产法》第九十六条（对个人）".into(),
                penalty: "罚款人民币20000元".into(),
                decided_on: d("2024-10-11"),
            }
        );
        let text = format!("{t:?}");
        assert!(!text.contains("建国"), "{text}");
        assert_eq!(
            ExposureText::of(&c, "某", "某", " ").unwrap_err().field(),
            Some("violated_article")
        );
        assert_eq!(withdrawal_reason("").unwrap_err().field(), Some("reason"));
    }
}
