//! Accountability of the supervising units (issue #14 point 5; plan §四 第四阶段: 对工作不力的
//! 属地、部门责令整改并约谈主要负责人): where a town or department has not finished its tasks
//! (measures missing, coverage short, orders overdue), the committee office issues it a
//! correction order with a time limit (责令整改), or summons its heads to an interview (约谈:
//! who, by whom, when and where, the issues, the required actions and their deadline). The
//! unit reports what it corrected; the committee office follows up: it closes the matter (销号)
//! or sends it back. The unit's first page shows the matter until it is closed.
//!
//! National 约谈 rules exist (安委会《安全生产约谈实施办法（试行）》) but were not read
//! (shared/domain/enforcement.md §8 marks them `[nv]`); nothing here depends on their text.

use chrono::NaiveDate;

use crate::coded::coded;
use crate::enforcement::{TextRule, check_record_date};
use crate::refusal::Refusal;

coded!(
    /// What the committee office does about a unit.
    #[serde(rename_all = "snake_case")]
    MatterKind {
        /// A correction order with a time limit (责令整改).
        Correction = ("correction", "责令整改"),
        /// An interview of the unit's heads (约谈), with a correction time limit.
        Interview = ("interview", "约谈"),
    }
);

coded!(
    /// Where a matter stands.
    #[serde(rename_all = "snake_case")]
    MatterStatus {
        /// Issued; the unit is to correct and report (an interview: once held, too).
        Issued = ("issued", "待整改"),
        /// The unit reported what it corrected; the committee office is to follow up.
        Reported = ("reported", "待核查"),
        /// Followed up and closed (销号).
        Closed = ("closed", "已销号"),
    }
);

/// An interview as planned: when, where, who interviews whom.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InterviewPlan {
    /// The day of the interview.
    pub on: NaiveDate,
    /// Where.
    pub place: String,
    /// Who interviews (约谈人): name and title, e.g. 区安委办主任 王某.
    pub interviewer: String,
    /// Who is interviewed (被约谈人): the unit's heads, names and titles.
    pub interviewees: String,
}

/// A matter as issued.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Matter {
    /// Correction or interview.
    pub kind: MatterKind,
    /// The day issued.
    pub issued_on: NaiveDate,
    /// The issues found (what the unit did not finish).
    pub issues: String,
    /// The actions required.
    pub actions: String,
    /// The time limit of the actions.
    pub due_on: NaiveDate,
    /// The interview, for [`MatterKind::Interview`].
    pub interview: Option<InterviewPlan>,
}

const ISSUES: TextRule = TextRule::block("存在的问题", "issues", 2000);
const ACTIONS: TextRule = TextRule::block("整改要求", "actions", 2000);
const PLACE: TextRule = TextRule::line("约谈地点", "place", 100);
const INTERVIEWER: TextRule = TextRule::line("约谈人", "interviewer", 100);
const INTERVIEWEES: TextRule = TextRule::line("被约谈人", "interviewees", 200);
const MINUTES: TextRule = TextRule::block("约谈情况", "text", 2000);
const REPORT: TextRule = TextRule::block("整改情况", "text", 2000);
const FOLLOW_UP: TextRule = TextRule::block("核查意见", "text", 2000);

/// What the committee office typed to issue a matter, before it is checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MatterInput {
    /// Correction or interview.
    pub kind: Option<MatterKind>,
    /// The issues.
    pub issues: String,
    /// The actions.
    pub actions: String,
    /// The time limit.
    pub due_on: Option<NaiveDate>,
    /// The interview's day.
    pub interview_on: Option<NaiveDate>,
    /// Where.
    pub place: String,
    /// Who interviews.
    pub interviewer: String,
    /// Who is interviewed.
    pub interviewees: String,
}

impl MatterInput {
    /// The matter issued on `today`.
    ///
    /// # Errors
    /// Invalid on the fields at fault: `kind`; `issues`, `actions`; `due_on` (missing, not after
    /// today); for an interview `interview_on` (missing, before today, after the time limit),
    /// `place`, `interviewer`, `interviewees`.
    pub fn check(&self, today: NaiveDate) -> Result<Matter, Refusal> {
        let kind = self
            .kind
            .ok_or_else(|| Refusal::invalid("请选择督办方式（责令整改或约谈）").on("kind"))?;
        let issues = ISSUES.clean(&self.issues)?;
        let actions = ACTIONS.clean(&self.actions)?;
        let due_on = self
            .due_on
            .ok_or_else(|| Refusal::invalid("请填写整改期限").on("due_on"))?;
        if due_on <= today {
            return Err(Refusal::invalid("整改期限应晚于今天").on("due_on"));
        }
        // A time limit more than a year ahead is a typing slip (a campaign runs a year).
        if today
            .checked_add_months(chrono::Months::new(12))
            .is_some_and(|limit| due_on > limit)
        {
            return Err(Refusal::invalid(format!("整改期限{due_on}超过一年，请核对")).on("due_on"));
        }
        let interview = match kind {
            MatterKind::Correction => None,
            MatterKind::Interview => {
                let on = self
                    .interview_on
                    .ok_or_else(|| Refusal::invalid("请填写约谈日期").on("interview_on"))?;
                if on < today {
                    return Err(Refusal::invalid("约谈日期不能早于今天（通知在约谈前发出）")
                        .on("interview_on"));
                }
                if on > due_on {
                    return Err(
                        Refusal::invalid(format!("约谈日期{on}晚于整改期限{due_on}"))
                            .on("interview_on"),
                    );
                }
                Some(InterviewPlan {
                    on,
                    place: PLACE.clean(&self.place)?,
                    interviewer: INTERVIEWER.clean(&self.interviewer)?,
                    interviewees: INTERVIEWEES.clean(&self.interviewees)?,
                })
            }
        };
        Ok(Matter {
            kind,
            issued_on: today,
            issues,
            actions,
            due_on,
            interview,
        })
    }
}

/// A dated text of a step.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Dated {
    /// The day.
    pub on: NaiveDate,
    /// The text.
    pub text: String,
}

/// A matter with the record of its steps.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Record {
    /// As issued.
    pub matter: Matter,
    /// The interview as held (its minutes), once held.
    pub held: Option<Dated>,
    /// The unit's latest report.
    pub report: Option<Dated>,
    /// The committee office's follow-up of the latest report: closed, or sent back.
    pub follow_up: Option<(Dated, bool)>,
    /// The latest send-back, once the unit reported again (kept to show what was asked).
    pub sent_back: Option<Dated>,
}

impl Record {
    /// A matter just issued.
    pub fn new(matter: Matter) -> Record {
        Record {
            matter,
            held: None,
            report: None,
            follow_up: None,
            sent_back: None,
        }
    }

    /// Where it stands.
    pub fn status(&self) -> MatterStatus {
        match (&self.report, &self.follow_up) {
            (_, Some((_, true))) => MatterStatus::Closed,
            (Some(_), None) => MatterStatus::Reported,
            _ => MatterStatus::Issued,
        }
    }

    /// Whether the time limit passed on `today` with the matter not reported.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.status() == MatterStatus::Issued && today > self.matter.due_on
    }

    /// Records the interview held on `date` with its minutes.
    ///
    /// # Errors
    /// Conflict for a correction order, an interview already recorded or a closed matter;
    /// invalid on `date` (after `today`, before the day planned) or `text`.
    pub fn hold(&mut self, date: NaiveDate, text: &str, today: NaiveDate) -> Result<(), Refusal> {
        if self.matter.interview.is_none() {
            return Err(Refusal::conflict("责令整改事项没有约谈"));
        }
        if self.held.is_some() || self.status() == MatterStatus::Closed {
            return Err(Refusal::conflict("约谈情况已记录"));
        }
        check_record_date(date, today, "约谈日期", "date")?;
        if date < self.matter.issued_on {
            return Err(Refusal::invalid(format!(
                "约谈日期{date}早于通知日期{}",
                self.matter.issued_on
            ))
            .on("date"));
        }
        self.held = Some(Dated {
            on: date,
            text: MINUTES.clean(text)?,
        });
        Ok(())
    }

    /// The unit reports on `today` what it corrected.
    ///
    /// # Errors
    /// Conflict unless issued (an interview: once held); invalid on `text`.
    pub fn report(&mut self, text: &str, today: NaiveDate) -> Result<(), Refusal> {
        if self.status() != MatterStatus::Issued {
            return Err(Refusal::conflict(format!(
                "督办事项当前为“{}”，不能报告整改情况",
                self.status().label()
            )));
        }
        if self.matter.interview.is_some() && self.held.is_none() {
            return Err(Refusal::conflict("约谈尚未进行，请在约谈后报告整改情况"));
        }
        let report = Dated {
            on: today,
            text: REPORT.clean(text)?,
        };
        if let Some((back, _)) = self.follow_up.take() {
            self.sent_back = Some(back);
        }
        self.report = Some(report);
        Ok(())
    }

    /// The committee office follows up the report on `today`: closes the matter, or sends it
    /// back to be corrected further.
    ///
    /// # Errors
    /// Conflict unless reported; invalid on `text`.
    pub fn follow_up(&mut self, close: bool, text: &str, today: NaiveDate) -> Result<(), Refusal> {
        if self.status() != MatterStatus::Reported {
            return Err(Refusal::conflict(format!(
                "督办事项当前为“{}”，不能核查",
                self.status().label()
            )));
        }
        self.follow_up = Some((
            Dated {
                on: today,
                text: FOLLOW_UP.clean(text)?,
            },
            close,
        ));
        Ok(())
    }
}

#[cfg(test)]
mod tests;
