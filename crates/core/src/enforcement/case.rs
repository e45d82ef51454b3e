//! The penalty case (案件) procedure as a guarded state machine (issue 13, point 2): filing →
//! investigation → penalty notice (告知书) → hearing notice (听证告知书) where required →
//! statement or hearing recorded → decision (单位 / 个人) → service (送达) → payment or enforcement
//! → closing (结案); or 不予处罚 instead of a decision.
//!
//! Pure domain: a [`Case`] holds the dated record of each step; each step method checks the
//! order and the time limits in force on the step's own date ([`Rules::case_at`]) and refuses
//! with a Chinese reason ([`Refusal`]) without changing the case. Windows counted in working days
//! use the [`Calendar`]. Amounts are whole yuan.
//!
//! # Rules taken from sources not verified
//! All the case rules of `data/enforcement-rules.toml` used here are marked unverified: the
//! statement (3 working days), hearing request (5 working days) and service (7 working days)
//! windows, and counting them in working days (行政处罚法 2021 art. 85); the 30/90/180-day decision
//! limits (办法 art. 31); the 15-day payment limit and the 3 %-a-day late fee capped at the fine;
//! the hearing thresholds (person 10 000 yuan, unit 30 000 yuan, 办法 art. 33, Guangxi figure not
//! checked); the hearing for a suspension or revocation whatever the amount; and from 2026-02-01
//! every one of them under 应急管理部令第18号, whose articles were not read. 不予处罚 (行政处罚法
//! art. 33) is secondary too (see [`super::penalty`]).

use chrono::NaiveDate;

use super::penalty::{Band, NoPenalty, Provision};
use super::rules::{CaseRules, Rules};
use super::{TextRule, check_record_date, violations};
use crate::calendar::Calendar;
use crate::coded::coded;
use crate::refusal::Refusal;
use crate::uscc::Uscc;

/// The party (当事人). No ID number is kept: a person is identified by name, role and the unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Party {
    /// A unit (生产经营单位).
    Unit {
        /// Full name.
        name: String,
        /// 统一社会信用代码.
        uscc: Uscc,
    },
    /// A person of a unit (e.g. the safety manager for art. 96).
    Person {
        /// Name.
        name: String,
        /// Role in the unit (Chinese), e.g. 安全生产管理人员.
        role: String,
        /// The unit's name.
        unit_name: String,
        /// The unit's USCC.
        unit_uscc: Uscc,
    },
}

impl Party {
    /// Unit or person.
    pub fn target(&self) -> violations::Party {
        match self {
            Party::Unit { .. } => violations::Party::Unit,
            Party::Person { .. } => violations::Party::Person,
        }
    }
}

const CAUSE: TextRule = TextRule::line("案由", "cause", 200);
const FACTS: TextRule = TextRule::block("违法事实", "facts", 2000).optional();
const PERSON_NAME: TextRule = TextRule::line("当事人姓名", "party_name", 30);
const PERSON_ROLE: TextRule = TextRule::line("当事人在单位的职务", "party_role", 30);

/// A case as typed before filing: the cause, the facts known, the provision proposed and who
/// the party is (the unit, or a person of it named by name and role — never an ID number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseDraft {
    /// 案由, one line.
    pub cause: String,
    /// The facts known so far.
    pub facts: String,
    /// The provision proposed.
    pub provision: Provision,
    /// Unit or person.
    pub party: violations::Party,
    /// The person's name (ignored for a unit).
    pub person_name: String,
    /// The person's role in the unit (ignored for a unit).
    pub person_role: String,
}

impl CaseDraft {
    /// The draft with its texts trimmed (a unit's person fields emptied).
    ///
    /// # Errors
    /// Invalid, naming the field: a blank or over-long cause (200 characters, one line), facts
    /// over 2 000 characters, a person without name (30, one line) or role (30, one line), a
    /// provision that fines the other kind of party (field `provision`).
    pub fn check(&self) -> Result<CaseDraft, Refusal> {
        let cause = CAUSE.clean(&self.cause)?;
        let facts = FACTS.clean(&self.facts)?;
        let (person_name, person_role) = match self.party {
            violations::Party::Person => (
                PERSON_NAME.clean(&self.person_name)?,
                PERSON_ROLE.clean(&self.person_role)?,
            ),
            violations::Party::Unit => (String::new(), String::new()),
        };
        if self.provision.target() != self.party {
            return Err(Refusal::invalid(format!(
                "{}的处罚对象是{}，与当事人不符",
                self.provision.label(),
                self.provision.target().label()
            ))
            .on("provision"));
        }
        Ok(CaseDraft {
            cause,
            facts,
            provision: self.provision,
            party: self.party,
            person_name,
            person_role,
        })
    }
}

/// Refuses the date of a step (filing, notice, decision …) after `today` or before 1950.
///
/// # Errors
/// Invalid on `field`.
pub fn check_step_date(
    date: NaiveDate,
    today: NaiveDate,
    field: &'static str,
) -> Result<(), Refusal> {
    check_record_date(date, today, "办理日期", field)
}

coded!(
    /// Where a case stands.
    #[serde(rename_all = "snake_case")]
    CaseState {
        /// 已立案.
        Filed = ("filed", "已立案"),
        /// 调查取证.
        Investigating = ("investigating", "调查取证"),
        /// 已告知 (告知书 served, statement window running).
        Notified = ("notified", "已告知"),
        /// 已听证告知.
        HearingOffered = ("hearing_offered", "已听证告知"),
        /// 陈述申辩或听证已记录.
        Heard = ("heard", "陈述申辩/听证已记录"),
        /// 已作出处罚决定.
        Decided = ("decided", "已决定"),
        /// 不予处罚.
        NotPunished = ("not_punished", "不予处罚"),
        /// 已送达.
        Served = ("served", "已送达"),
        /// 已缴纳.
        Paid = ("paid", "已缴纳"),
        /// 申请强制执行.
        Enforcing = ("enforcing", "强制执行"),
        /// 已结案.
        Closed = ("closed", "已结案"),
    }
);

coded!(
    /// A non-fine measure in the notice that offers a hearing whatever the amount.
    #[serde(rename_all = "snake_case")]
    HeavyMeasure {
        /// 责令停产停业整顿.
        Suspension = ("suspension", "责令停产停业整顿"),
        /// 吊销证照.
        Revocation = ("revocation", "吊销有关证照"),
    }
);

coded!(
    /// How the party answered the notice.
    #[serde(rename_all = "snake_case")]
    Answer {
        /// 陈述申辩 recorded.
        Statement = ("statement", "陈述申辩"),
        /// Expressly gave up statement and hearing.
        Waived = ("waived", "放弃陈述申辩"),
        /// 听证 held.
        Hearing = ("hearing", "听证"),
    }
);

coded!(
    /// Documents of a case (the store keeps the files).
    #[serde(rename_all = "snake_case")]
    CaseDocument {
        /// 立案审批表.
        Filing = ("filing", "立案审批表"),
        /// 行政处罚告知书.
        PenaltyNotice = ("penalty_notice", "行政处罚告知书"),
        /// 听证告知书.
        HearingNotice = ("hearing_notice", "听证告知书"),
        /// 陈述申辩笔录 / 听证笔录.
        AnswerRecord = ("answer_record", "陈述申辩笔录或听证笔录"),
        /// 行政处罚决定书.
        Decision = ("decision", "行政处罚决定书"),
        /// 不予行政处罚决定书.
        NoPenaltyDecision = ("no_penalty_decision", "不予行政处罚决定书"),
        /// 送达回执.
        ServiceReceipt = ("service_receipt", "送达回执"),
        /// 罚款缴纳凭证.
        PaymentReceipt = ("payment_receipt", "罚款缴纳凭证"),
        /// 强制执行申请书.
        EnforcementRequest = ("enforcement_request", "强制执行申请书"),
        /// 结案审批表: signed when the case closes; not required to close it.
        Closing = ("closing", "结案审批表"),
    }
);

/// The penalty notice (告知书): what is proposed and when the party received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PenaltyNotice {
    /// The provision applied.
    pub provision: Provision,
    /// The proposed fine, yuan (0 for none).
    pub amount: u32,
    /// Suspension or revocation proposed.
    pub heavy: Option<HeavyMeasure>,
    /// Day the party received it.
    pub received_on: NaiveDate,
}

/// The decision (行政处罚决定书).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The provision applied.
    pub provision: Provision,
    /// The fine, yuan.
    pub amount: u32,
    /// The band and table version recorded.
    pub band: Option<(Band, String)>,
    /// Day decided.
    pub decided_on: NaiveDate,
}

/// A payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    /// Day paid.
    pub paid_on: NaiveDate,
    /// Late fee due with it, yuan.
    pub late_fee: u64,
}

/// A time limit of a case ([`Case::windows`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// What it is (Chinese), e.g. 陈述申辩期限.
    pub label: &'static str,
    /// Its last day.
    pub closes: NaiveDate,
    /// Counted through a year whose holidays are not loaded (weekends only).
    pub provisional: bool,
    /// The rule's span as shown, e.g. `3个工作日`.
    pub span: String,
    /// The rule's source.
    pub source: String,
    /// The step it waits for was taken.
    pub met: bool,
    /// Whether passing it without the step is a failure (the decision and service limits,
    /// payment), rather than the end of the party's window (statement, hearing request), after
    /// which the procedure may go on.
    pub deadline: bool,
}

/// A case and the dated record of its steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The party.
    pub party: Party,
    /// Day filed (立案).
    pub filed_on: NaiveDate,
    /// Approved extensions of the decision limit: 0, 1 (head, 90 days) or 2 (upper level, 180).
    pub extensions: u8,
    /// Day the investigation started.
    pub investigated_on: Option<NaiveDate>,
    /// The 告知书.
    pub notice: Option<PenaltyNotice>,
    /// Day the party received the 听证告知书.
    pub hearing_notice_on: Option<NaiveDate>,
    /// The answer and its day.
    pub answer: Option<(Answer, NaiveDate)>,
    /// The decision.
    pub decision: Option<Decision>,
    /// 不予处罚 and its day.
    pub no_penalty: Option<(NoPenalty, NaiveDate)>,
    /// Day served.
    pub served_on: Option<NaiveDate>,
    /// The payment.
    pub payment: Option<Payment>,
    /// Day enforcement was requested.
    pub enforcement_on: Option<NaiveDate>,
    /// Day closed.
    pub closed_on: Option<NaiveDate>,
    /// 责令停产停业整顿 ordered with the decision, and the review that lifts it.
    pub suspension: Option<Suspension>,
}

/// A suspension of production and business for rectification (责令停产停业整顿) ordered with a
/// decision (安全生产法 2021 art. 97 and 102 on a party still violating; a party still violating
/// at acceptance, issue #14 point 3): its period and the review (复查) that lifts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suspension {
    /// First day suspended.
    pub from: NaiveDate,
    /// Last day of the period set.
    pub until: NaiveDate,
    /// The review that lifted it: day and opinion (复查意见).
    pub lifted: Option<(NaiveDate, String)>,
}

const REVIEW: TextRule = TextRule::block("复查意见", "note", 2000);

fn conflict(message: impl Into<String>) -> Refusal {
    Refusal::conflict(message)
}

fn rules_on(rules: &Rules, date: NaiveDate) -> Result<CaseRules, Refusal> {
    rules
        .case_at(date)
        .map_err(|e| Refusal::invalid(e.to_string()).on("date"))
}

impl Case {
    /// Files a case (立案) on `filed_on`.
    pub fn file(party: Party, filed_on: NaiveDate) -> Case {
        Case {
            party,
            filed_on,
            extensions: 0,
            investigated_on: None,
            notice: None,
            hearing_notice_on: None,
            answer: None,
            decision: None,
            no_penalty: None,
            served_on: None,
            payment: None,
            enforcement_on: None,
            closed_on: None,
            suspension: None,
        }
    }

    /// Where the case stands.
    pub fn state(&self) -> CaseState {
        if self.closed_on.is_some() {
            CaseState::Closed
        } else if self.enforcement_on.is_some() {
            CaseState::Enforcing
        } else if self.payment.is_some() {
            CaseState::Paid
        } else if self.served_on.is_some() {
            CaseState::Served
        } else if self.no_penalty.is_some() {
            CaseState::NotPunished
        } else if self.decision.is_some() {
            CaseState::Decided
        } else if self.answer.is_some() {
            CaseState::Heard
        } else if self.hearing_notice_on.is_some() {
            CaseState::HearingOffered
        } else if self.notice.is_some() {
            CaseState::Notified
        } else if self.investigated_on.is_some() {
            CaseState::Investigating
        } else {
            CaseState::Filed
        }
    }

    fn last_step(&self) -> NaiveDate {
        [
            Some(self.filed_on),
            self.investigated_on,
            self.notice.as_ref().map(|n| n.received_on),
            self.hearing_notice_on,
            self.answer.as_ref().map(|a| a.1),
            self.decision.as_ref().map(|d| d.decided_on),
            self.no_penalty.as_ref().map(|n| n.1),
            self.served_on,
            self.payment.as_ref().map(|p| p.paid_on),
            self.enforcement_on,
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(self.filed_on)
    }

    fn in_state(&self, allowed: &[CaseState], step: &str) -> Result<(), Refusal> {
        let state = self.state();
        if allowed.contains(&state) {
            Ok(())
        } else {
            Err(conflict(format!(
                "案件当前为“{}”，不能{step}",
                state.label()
            )))
        }
    }

    fn not_before_last(&self, date: NaiveDate) -> Result<(), Refusal> {
        let last = self.last_step();
        if date < last {
            Err(Refusal::invalid(format!("日期{date}早于上一步骤的日期{last}")).on("date"))
        } else {
            Ok(())
        }
    }

    /// Starts the investigation (调查取证).
    ///
    /// # Errors
    /// Conflict unless just filed; invalid for a date before filing.
    pub fn investigate(&mut self, date: NaiveDate) -> Result<(), Refusal> {
        self.in_state(&[CaseState::Filed], "开始调查")?;
        self.not_before_last(date)?;
        self.investigated_on = Some(date);
        Ok(())
    }

    /// Records the 告知书 received by the party.
    ///
    /// # Errors
    /// Conflict unless under investigation; invalid when the provision fines someone else than
    /// the party (field `provision`) or the date goes backwards.
    pub fn notify(&mut self, notice: PenaltyNotice) -> Result<(), Refusal> {
        self.in_state(&[CaseState::Investigating], "送达行政处罚告知书")?;
        self.not_before_last(notice.received_on)?;
        self.check_target(notice.provision)?;
        self.notice = Some(notice);
        Ok(())
    }

    fn check_target(&self, provision: Provision) -> Result<(), Refusal> {
        if provision.target() != self.party.target() {
            return Err(Refusal::invalid(format!(
                "{}的处罚对象是{}，与当事人不符",
                provision.label(),
                provision.target().label()
            ))
            .on("provision"));
        }
        Ok(())
    }

    /// Whether the notice must offer a hearing under the rules in force on `date`: the amount
    /// reaches the threshold for the party (person / unit), or a suspension or revocation is
    /// proposed whatever the amount. False before a notice.
    ///
    /// # Errors
    /// Invalid when no case rules apply on `date`.
    pub fn hearing_required(&self, rules: &Rules, date: NaiveDate) -> Result<bool, Refusal> {
        let Some(notice) = &self.notice else {
            return Ok(false);
        };
        let r = rules_on(rules, date)?;
        let threshold = match self.party.target() {
            violations::Party::Person => r.hearing_threshold_person.value,
            violations::Party::Unit => r.hearing_threshold_unit.value,
        };
        Ok(notice.heavy.is_some() || notice.amount >= threshold)
    }

    /// Records the 听证告知书 received by the party.
    ///
    /// # Errors
    /// Conflict unless notified and not yet answered.
    pub fn offer_hearing(&mut self, received_on: NaiveDate) -> Result<(), Refusal> {
        self.in_state(&[CaseState::Notified], "送达听证告知书")?;
        self.not_before_last(received_on)?;
        self.hearing_notice_on = Some(received_on);
        Ok(())
    }

    /// Records the party's answer (陈述申辩, waiver, or the hearing held).
    ///
    /// # Errors
    /// Conflict unless notified; a hearing without a 听证告知书 is refused.
    pub fn record_answer(&mut self, answer: Answer, date: NaiveDate) -> Result<(), Refusal> {
        self.in_state(
            &[CaseState::Notified, CaseState::HearingOffered],
            "记录陈述申辩或听证",
        )?;
        self.not_before_last(date)?;
        if answer == Answer::Hearing && self.hearing_notice_on.is_none() {
            return Err(conflict("未送达听证告知书，不能记录听证"));
        }
        self.answer = Some((answer, date));
        Ok(())
    }

    /// The last day of the decision limit under the approvals given, by the rules in force on
    /// `date`.
    ///
    /// # Errors
    /// Invalid when no case rules apply on `date`.
    pub fn decide_by(
        &self,
        rules: &Rules,
        cal: &Calendar,
        date: NaiveDate,
    ) -> Result<NaiveDate, Refusal> {
        let r = rules_on(rules, date)?;
        let span = match self.extensions {
            0 => r.decide_within.value,
            1 => r.decide_extended_within.value,
            _ => r.decide_further_within.value,
        };
        Ok(span.last_day(self.filed_on, cal).date)
    }

    /// Records an approved extension of the decision limit (first by the head, then by the
    /// upper level).
    ///
    /// # Errors
    /// Conflict after a decision or after two extensions.
    pub fn extend(&mut self) -> Result<(), Refusal> {
        if self.decision.is_some() || self.no_penalty.is_some() || self.closed_on.is_some() {
            return Err(conflict("案件已作出决定，不能延长办案期限"));
        }
        if self.extensions >= 2 {
            return Err(conflict("办案期限已经上一级批准延长，不能再延长"));
        }
        self.extensions += 1;
        Ok(())
    }

    /// Checks that the party's windows are over or answered by `date`, and that a hearing was
    /// offered where required.
    fn check_windows(&self, rules: &Rules, cal: &Calendar, date: NaiveDate) -> Result<(), Refusal> {
        let notice = self
            .notice
            .as_ref()
            .ok_or_else(|| conflict("尚未送达行政处罚告知书，不能作出决定"))?;
        let r = rules_on(rules, date)?;
        if self.hearing_required(rules, date)? && self.hearing_notice_on.is_none() {
            return Err(conflict(format!(
                "拟处罚款{}元达到听证标准或拟责令停产停业整顿、吊销证照，应当先送达听证告知书",
                notice.amount
            )));
        }
        if self.answer.is_none() {
            let closes = r
                .statement_within
                .value
                .last_day(notice.received_on, cal)
                .date;
            if date <= closes {
                return Err(conflict(format!(
                    "陈述申辩期限（{}）至{closes}届满，当事人未陈述申辩或放弃前不能作出决定",
                    r.statement_within.value
                )));
            }
            if let Some(heard) = self.hearing_notice_on {
                let closes = r.hearing_request_within.value.last_day(heard, cal).date;
                if date <= closes {
                    return Err(conflict(format!(
                        "申请听证期限（{}）至{closes}届满，期满前不能作出决定",
                        r.hearing_request_within.value
                    )));
                }
            }
        }
        let by = self.decide_by(rules, cal, date)?;
        if date > by {
            return Err(conflict(format!(
                "已超过办案期限（{by}），须经批准延长后方可作出决定"
            )));
        }
        Ok(())
    }

    /// Records the decision (行政处罚决定书, unit or person version by the party) on
    /// `decision.decided_on`. The amount must already be checked with
    /// [`super::penalty::Discretion::decide`].
    ///
    /// # Errors
    /// Conflict: not after the notice, a hearing required but not offered, the statement or
    /// hearing window still open with no answer, past the decision limit. Invalid: provision for
    /// the other kind of party, an amount above the notice's (a heavier penalty needs a new
    /// notice; 行政处罚法 2021 art. 45 forbids a heavier one because of the defence — secondary,
    /// not verified), date going backwards.
    pub fn decide(
        &mut self,
        decision: Decision,
        rules: &Rules,
        cal: &Calendar,
    ) -> Result<(), Refusal> {
        self.in_state(
            &[
                CaseState::Notified,
                CaseState::HearingOffered,
                CaseState::Heard,
            ],
            "作出处罚决定",
        )?;
        self.not_before_last(decision.decided_on)?;
        self.check_target(decision.provision)?;
        if let Some(notice) = &self.notice
            && decision.amount > notice.amount
        {
            return Err(Refusal::invalid(format!(
                "决定罚款{}元高于告知书拟处罚款{}元；加重处罚应当重新告知",
                decision.amount, notice.amount
            ))
            .on("amount"));
        }
        self.check_windows(rules, cal, decision.decided_on)?;
        self.decision = Some(decision);
        Ok(())
    }

    /// Records 不予处罚 instead of a decision, after the notice and its windows like a decision.
    /// The [`NoPenalty`] already refuses a party still violating at acceptance.
    ///
    /// # Errors
    /// As [`Case::decide`] for order and windows.
    pub fn decide_no_penalty(
        &mut self,
        no_penalty: NoPenalty,
        date: NaiveDate,
        rules: &Rules,
        cal: &Calendar,
    ) -> Result<(), Refusal> {
        self.in_state(
            &[
                CaseState::Notified,
                CaseState::HearingOffered,
                CaseState::Heard,
            ],
            "作出不予处罚决定",
        )?;
        self.not_before_last(date)?;
        self.check_windows(rules, cal, date)?;
        self.no_penalty = Some((no_penalty, date));
        Ok(())
    }

    /// Orders the suspension (责令停产停业整顿) the notice proposed, with the decision, from
    /// `from` through `until`.
    ///
    /// # Errors
    /// Conflict: no decision yet, or closed; the notice did not propose a suspension (a heavier
    /// penalty needs a new notice); already ordered. Invalid: `date` before the decision, `until`
    /// not after `from`.
    pub fn suspend(&mut self, from: NaiveDate, until: NaiveDate) -> Result<(), Refusal> {
        self.in_state(
            &[
                CaseState::Decided,
                CaseState::Served,
                CaseState::Paid,
                CaseState::Enforcing,
            ],
            "责令停产停业整顿",
        )?;
        if self.notice.as_ref().and_then(|n| n.heavy) != Some(HeavyMeasure::Suspension) {
            return Err(conflict(
                "告知书未告知拟责令停产停业整顿，不能在决定中增加；应当重新告知",
            ));
        }
        if self.suspension.is_some() {
            return Err(conflict("已责令停产停业整顿"));
        }
        if let Some(d) = &self.decision
            && from < d.decided_on
        {
            return Err(Refusal::invalid(format!(
                "停产停业整顿起始日期不能早于处罚决定日期{}",
                d.decided_on
            ))
            .on("date"));
        }
        if until <= from {
            return Err(Refusal::invalid("整顿期限的截止日期须晚于起始日期").on("until"));
        }
        self.suspension = Some(Suspension {
            from,
            until,
            lifted: None,
        });
        Ok(())
    }

    /// Lifts the suspension on `date` after the review found the rectification done.
    ///
    /// # Errors
    /// Conflict: no suspension, or lifted already. Invalid: `date` before its first day; the
    /// review opinion (`note`) blank or over 2000 characters.
    pub fn lift_suspension(&mut self, date: NaiveDate, review: &str) -> Result<(), Refusal> {
        let Some(s) = &mut self.suspension else {
            return Err(conflict("本案未责令停产停业整顿"));
        };
        if s.lifted.is_some() {
            return Err(conflict("停产停业整顿已解除"));
        }
        if date < s.from {
            return Err(Refusal::invalid(format!(
                "解除日期不能早于停产停业整顿起始日期{}",
                s.from
            ))
            .on("date"));
        }
        s.lifted = Some((date, REVIEW.clean(review)?));
        Ok(())
    }

    /// Records service (送达) of the decision.
    ///
    /// # Errors
    /// Conflict unless decided (or not punished).
    pub fn serve(&mut self, date: NaiveDate) -> Result<(), Refusal> {
        self.in_state(&[CaseState::Decided, CaseState::NotPunished], "送达决定书")?;
        self.not_before_last(date)?;
        self.served_on = Some(date);
        Ok(())
    }

    /// The last day of service under the rules in force on the decision's day, when the party
    /// was absent at its delivery.
    ///
    /// # Errors
    /// Conflict before a decision; invalid when no case rules apply.
    pub fn serve_by(&self, rules: &Rules, cal: &Calendar) -> Result<NaiveDate, Refusal> {
        let decided = self
            .decision
            .as_ref()
            .map(|d| d.decided_on)
            .or(self.no_penalty.as_ref().map(|n| n.1))
            .ok_or_else(|| conflict("尚未作出决定"))?;
        let r = rules_on(rules, decided)?;
        Ok(r.service_within.value.last_day(decided, cal).date)
    }

    /// The last day to pay, counted from service under the rules in force that day.
    ///
    /// # Errors
    /// Conflict before service of a fine.
    pub fn pay_by(&self, rules: &Rules, cal: &Calendar) -> Result<NaiveDate, Refusal> {
        let served = self
            .served_on
            .filter(|_| self.decision.is_some())
            .ok_or_else(|| conflict("处罚决定书尚未送达"))?;
        let r = rules_on(rules, served)?;
        Ok(r.pay_within.value.last_day(served, cal).date)
    }

    /// Records payment on `date`, with the late fee of the days after the due day.
    ///
    /// # Errors
    /// Conflict unless a served fine.
    pub fn pay(&mut self, date: NaiveDate, rules: &Rules, cal: &Calendar) -> Result<u64, Refusal> {
        self.in_state(&[CaseState::Served], "记录缴纳罚款")?;
        self.not_before_last(date)?;
        let due = self.pay_by(rules, cal)?;
        let fine = u64::from(self.decision.as_ref().map_or(0, |d| d.amount));
        let late_days = u64::try_from((date - due).num_days().max(0)).unwrap_or(0);
        let late_fee = rules_on(rules, date)?.late_fee(fine, late_days);
        self.payment = Some(Payment {
            paid_on: date,
            late_fee,
        });
        Ok(late_fee)
    }

    /// Records a request for enforcement (申请强制执行) of an unpaid fine.
    ///
    /// # Errors
    /// Conflict unless served and unpaid, or while the payment limit runs.
    pub fn enforce(
        &mut self,
        date: NaiveDate,
        rules: &Rules,
        cal: &Calendar,
    ) -> Result<(), Refusal> {
        self.in_state(&[CaseState::Served], "申请强制执行")?;
        self.not_before_last(date)?;
        let due = self.pay_by(rules, cal)?;
        if date <= due {
            return Err(conflict(format!(
                "缴纳罚款期限至{due}届满，期满前不能申请强制执行"
            )));
        }
        self.enforcement_on = Some(date);
        Ok(())
    }

    /// The time limits of the case as they stand, in the order of the procedure: each counted
    /// under the rules in force on the day its count starts (the notice's receipt, the hearing
    /// notice's receipt, the filing, the decision, the service), whether the step it waits for
    /// was taken, and the rule's words and source.
    ///
    /// # Errors
    /// Invalid when no case rules apply on one of those days.
    pub fn windows(&self, rules: &Rules, cal: &Calendar) -> Result<Vec<Window>, Refusal> {
        let decided = self.decision.is_some() || self.no_penalty.is_some();
        let mut out = Vec::new();
        let mut push = |label,
                        from: NaiveDate,
                        pick: fn(&CaseRules) -> &super::rules::Ruled<super::rules::Span>,
                        met,
                        deadline|
         -> Result<(), Refusal> {
            let r = rules_on(rules, from)?;
            let ruled = pick(&r);
            let last = ruled.value.last_day(from, cal);
            out.push(Window {
                label,
                closes: last.date,
                provisional: last.provisional,
                span: ruled.value.to_string(),
                source: ruled.provenance.source.clone(),
                met,
                deadline,
            });
            Ok(())
        };
        if let Some(n) = &self.notice {
            push(
                "陈述申辩期限",
                n.received_on,
                |r| &r.statement_within,
                self.answer.is_some() || decided,
                false,
            )?;
        }
        if let Some(h) = self.hearing_notice_on {
            push(
                "申请听证期限",
                h,
                |r| &r.hearing_request_within,
                self.answer.is_some() || decided,
                false,
            )?;
        }
        push(
            "作出处罚决定期限",
            self.filed_on,
            match self.extensions {
                0 => |r: &CaseRules| &r.decide_within,
                1 => |r: &CaseRules| &r.decide_extended_within,
                _ => |r: &CaseRules| &r.decide_further_within,
            },
            decided,
            true,
        )?;
        let decided_on = self
            .decision
            .as_ref()
            .map(|d| d.decided_on)
            .or(self.no_penalty.as_ref().map(|n| n.1));
        if let Some(d) = decided_on {
            push(
                "送达期限",
                d,
                |r| &r.service_within,
                self.served_on.is_some(),
                true,
            )?;
        }
        if let (Some(s), Some(_)) = (self.served_on, &self.decision) {
            push(
                "缴纳罚款期限",
                s,
                |r| &r.pay_within,
                self.payment.is_some() || self.enforcement_on.is_some(),
                true,
            )?;
        }
        Ok(out)
    }

    /// The documents the case must hold, given the steps taken.
    pub fn required_documents(&self) -> Vec<CaseDocument> {
        let mut out = vec![CaseDocument::Filing];
        if self.notice.is_some() {
            out.push(CaseDocument::PenaltyNotice);
        }
        if self.hearing_notice_on.is_some() {
            out.push(CaseDocument::HearingNotice);
        }
        if matches!(self.answer, Some((Answer::Statement | Answer::Hearing, _))) {
            out.push(CaseDocument::AnswerRecord);
        }
        if self.decision.is_some() {
            out.push(CaseDocument::Decision);
        }
        if self.no_penalty.is_some() {
            out.push(CaseDocument::NoPenaltyDecision);
        }
        if self.served_on.is_some() {
            out.push(CaseDocument::ServiceReceipt);
        }
        if self.payment.is_some() {
            out.push(CaseDocument::PaymentReceipt);
        }
        if self.enforcement_on.is_some() {
            out.push(CaseDocument::EnforcementRequest);
        }
        out
    }

    /// Closes the case (结案): a fine paid or sent to enforcement, or 不予处罚 served, and every
    /// required document on file.
    ///
    /// # Errors
    /// Conflict in another state, or naming the missing documents (field `documents`).
    pub fn close(&mut self, date: NaiveDate, on_file: &[CaseDocument]) -> Result<(), Refusal> {
        if self.suspension.as_ref().is_some_and(|s| s.lifted.is_none()) {
            return Err(conflict("停产停业整顿尚未经复查解除，不能结案"));
        }
        let ready = match self.state() {
            CaseState::Paid | CaseState::Enforcing => true,
            CaseState::Served => self.no_penalty.is_some(),
            _ => false,
        };
        if !ready {
            return Err(conflict(format!(
                "案件当前为“{}”，不能结案",
                self.state().label()
            )));
        }
        self.not_before_last(date)?;
        let missing: Vec<&str> = self
            .required_documents()
            .into_iter()
            .filter(|d| !on_file.contains(d))
            .map(|d| d.label())
            .collect();
        if !missing.is_empty() {
            return Err(
                conflict(format!("案卷文书不全，缺少：{}", missing.join("、"))).on("documents"),
            );
        }
        self.closed_on = Some(date);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
