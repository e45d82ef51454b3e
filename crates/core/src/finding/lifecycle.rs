//! The closed loop of a finding (问题隐患闭环, plan items 21 and 29–31) as a state machine:
//!
//! ```text
//! open ──accept plan──▶ plan_accepted ──start──▶ rectifying ──submit (evidence)──▶ submitted
//!                                                    ▲                           │      │
//!                                      rework ◀─start rework── returned ◀─return─┘   verify
//!                                        └──────────submit (evidence)──────────▶       ▼
//!                                                                                   closed
//! ```
//!
//! Besides the moves between states, an open finding takes temporary measures and stop-work
//! (临时措施、停产停业, item 21: for what cannot be fixed at once), extension requests decided by
//! the unit, and edits of its ledger fields; these keep the state. A major finding (重大事故隐患)
//! follows its own path (issue #18 point 4; 《安全生产事故隐患排查治理暂行规定》 arts. 15, 20–21):
//! its plan needs the five implementations, it is put under supervision (挂牌督办) by a named
//! unit before it can be closed, and it becomes 一般 only by a downgrade the committee office
//! approves. Closing any finding records the on-site check: the verifiers, their opinion and at
//! least one photo or document of the check (plan item 31: 现场核验…评估确认…销号). [`decide`] is pure: it says
//! what the state becomes or why the request is refused; the store writes it with its history
//! row and audit record.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::ledger::{FiveImplementations, Grade, Source};
use super::{TimeLimitError, check_time_limit, valid_reason};
use crate::policy::Role;

/// Where a finding stands in its loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Found, no plan yet (待整改).
    Open,
    /// Rectification plan accepted (方案已确认).
    PlanAccepted,
    /// Being rectified (整改中).
    Rectifying,
    /// Rectification done, submitted for verification with evidence (待验收).
    Submitted,
    /// Verification found the fix insufficient (验收退回).
    Returned,
    /// Being reworked after a return (重新整改).
    Rework,
    /// Verified and closed out (已销号).
    Closed,
}

impl Status {
    /// Every status, in loop order.
    pub const ALL: [Status; 7] = [
        Status::Open,
        Status::PlanAccepted,
        Status::Rectifying,
        Status::Submitted,
        Status::Returned,
        Status::Rework,
        Status::Closed,
    ];

    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::PlanAccepted => "plan_accepted",
            Status::Rectifying => "rectifying",
            Status::Submitted => "submitted",
            Status::Returned => "returned",
            Status::Rework => "rework",
            Status::Closed => "closed",
        }
    }

    /// Parses a [`Status::code`].
    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Status::Open => "待整改",
            Status::PlanAccepted => "方案已确认",
            Status::Rectifying => "整改中",
            Status::Submitted => "待验收",
            Status::Returned => "验收退回",
            Status::Rework => "重新整改",
            Status::Closed => "已销号",
        }
    }

    /// Whether the finding is still open (not closed out): open findings count as open and can
    /// be overdue ([`super::is_overdue`]).
    pub fn is_open(self) -> bool {
        self != Status::Closed
    }
}

/// What someone asks to do with a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Accept the rectification plan; for a major finding all five implementations are required,
    /// for a general one at least the measures and the time limit.
    AcceptPlan(FiveImplementations),
    /// Start the rectification.
    StartRectifying,
    /// Record temporary measures and whether work is stopped meanwhile (item 21).
    TemporaryMeasures {
        /// What is done meanwhile.
        measures: String,
        /// Whether the site or equipment stopped work (停产停业/停止使用).
        stop_work: bool,
    },
    /// Submit the finished rectification for verification, with `evidence` attachments.
    Submit {
        /// Number of evidence attachments (photos, documents) on record for the finding.
        evidence: usize,
    },
    /// Verify on site and close out (验收销号), with the record of the on-site check.
    Verify {
        /// The verification opinion (验收意见), required.
        opinion: String,
        /// Who checked on site (核验人员: names), required.
        verifiers: String,
        /// Number of photos or documents of the on-site check on record (uploaded since the
        /// finding was submitted); at least one.
        check_files: usize,
    },
    /// Return the rectification as insufficient.
    Return {
        /// Why (required).
        reason: String,
    },
    /// Start rework after a return.
    StartRework,
    /// Ask for a later time limit.
    RequestExtension {
        /// The time limit asked for.
        due_on: NaiveDate,
        /// Why (required).
        reason: String,
    },
    /// Approve or refuse the pending extension request (the supervising unit).
    DecideExtension {
        /// Approve (the time limit becomes the one asked for) or refuse.
        approve: bool,
        /// Why (required when refusing).
        reason: String,
    },
    /// Set the time limit directly, with a reason (an officer of the scope: a correction of the
    /// limit, not the enterprise's way round an extension request).
    ChangeDue {
        /// The new time limit.
        due_on: NaiveDate,
        /// Why (required; it goes to the history and the audit trail).
        reason: String,
    },
    /// Edit the ledger fields; `grade` is the grade after the edit.
    Edit {
        /// Grade after the edit.
        grade: Grade,
    },
    /// Put a major finding under supervision (挂牌督办) by the unit `unit_id`, or name another
    /// supervising unit.
    Supervise {
        /// `units.id` of the supervising unit.
        unit_id: i64,
    },
    /// Ask the committee office to downgrade a major finding to general (an officer).
    RequestDowngrade {
        /// Why (required).
        reason: String,
    },
    /// Approve or refuse the pending downgrade (the committee office).
    DecideDowngrade {
        /// Approve (the finding becomes general and leaves supervision) or refuse.
        approve: bool,
        /// Why (required when refusing).
        reason: String,
    },
}

impl Request {
    /// [`Request::code`] of [`Request::ChangeDue`].
    pub const CHANGE_DUE: &'static str = "change_due";

    /// The history's action code of [`Request::RequestDowngrade`] (found again when the
    /// committee office decides, to tell the asking officer's unit).
    pub const REQUEST_DOWNGRADE: &'static str = "request_downgrade";

    /// Stable code of the kind of request, stored in the history.
    pub fn code(&self) -> &'static str {
        match self {
            Request::AcceptPlan(_) => "accept_plan",
            Request::StartRectifying => "start_rectifying",
            Request::TemporaryMeasures { .. } => "temporary_measures",
            Request::Submit { .. } => "submit",
            Request::Verify { .. } => "verify",
            Request::Return { .. } => "return",
            Request::StartRework => "start_rework",
            Request::RequestExtension { .. } => "request_extension",
            Request::DecideExtension { approve: true, .. } => "approve_extension",
            Request::DecideExtension { approve: false, .. } => "refuse_extension",
            Request::ChangeDue { .. } => Request::CHANGE_DUE,
            Request::Edit { .. } => "edit",
            Request::Supervise { .. } => "supervise",
            Request::RequestDowngrade { .. } => Request::REQUEST_DOWNGRADE,
            Request::DecideDowngrade { approve: true, .. } => "approve_downgrade",
            Request::DecideDowngrade { approve: false, .. } => "refuse_downgrade",
        }
    }

    /// What the request does, in words ("不能{label}").
    pub fn label(&self) -> &'static str {
        action_label(self.code())
    }
}

/// The history's action code of a file withdrawn by its uploader (not a step of the loop: the
/// status stays).
pub const WITHDRAW_FILE: &str = "withdraw_file";

/// Label of a history row's action code (the codes of [`Request::code`] and `open`).
pub fn action_label(code: &str) -> &'static str {
    match code {
        "open" => "登记问题隐患",
        "accept_plan" => "确认整改方案",
        "start_rectifying" => "开始整改",
        "temporary_measures" => "登记临时措施",
        "submit" => "提交验收",
        "verify" => "验收销号",
        "return" => "验收退回",
        "start_rework" => "重新整改",
        "request_extension" => "申请延期",
        "approve_extension" => "批准延期",
        "refuse_extension" => "不予延期",
        "edit" => "修改台账信息",
        "change_due" => "调整整改期限",
        "supervise" => "挂牌督办",
        "request_downgrade" => "申请降为一般隐患",
        "approve_downgrade" => "批准降为一般隐患",
        "refuse_downgrade" => "不予降级",
        WITHDRAW_FILE => "撤回误传文件",
        _ => "其他操作",
    }
}

/// The facts about a finding that the loop's guards read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// Current status.
    pub status: Status,
    /// Current grade.
    pub grade: Grade,
    /// Where it came from: every source but the self-inspection is an officer's finding.
    pub source: Source,
    /// Day it was opened.
    pub opened_on: NaiveDate,
    /// Current time limit.
    pub due_on: NaiveDate,
    /// Last day of the campaign (no time limit beyond it, see [`check_time_limit`]).
    pub campaign_end: Option<NaiveDate>,
    /// The time limit asked for by a pending extension request, and its reason.
    pub pending_extension: Option<(NaiveDate, String)>,
    /// The five implementations its plan lacks ([`FiveImplementations::missing`]).
    pub plan_missing: Vec<&'static str>,
    /// Whether it is under supervision (挂牌督办) by a named unit.
    pub supervised: bool,
    /// The reason of a downgrade waiting for the committee office, if one is pending.
    pub pending_downgrade: Option<String>,
}

/// Why a request is refused, with the message shown (Chinese). Nothing is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The request does not apply in the current state.
    #[error("当前状态为“{status}”，不能{action}")]
    WrongState {
        /// Label of the current status.
        status: &'static str,
        /// What was asked.
        action: &'static str,
    },
    /// The actor's role may not make this request (in scope, so 403).
    #[error("{0}")]
    Forbidden(&'static str),
    /// A major finding's plan lacks some of the five implementations.
    #[error("重大事故隐患须落实“五落实”后方可确认整改方案，尚缺：{}", .0.join("、"))]
    FiveImplementations(Vec<&'static str>),
    /// A general finding's plan lacks its measures or time limit.
    #[error("确认整改方案须至少填写整改措施和整改时限，尚缺：{}", .0.join("、"))]
    PlanIncomplete(Vec<&'static str>),
    /// Submission for verification without evidence.
    #[error("请先上传整改完成的证据（照片或文件），再提交验收")]
    NoEvidence,
    /// Close-out without a photo or document of the on-site check.
    #[error("请先上传现场核验的照片或文件（至少一份），再验收销号")]
    NoCheckRecord,
    /// A major finding closed, or submitted, before it was put under supervision.
    #[error("重大事故隐患须先挂牌督办（明确督办单位），方可{0}")]
    NotSupervised(&'static str),
    /// Supervision by the unit that already supervises the finding.
    #[error("督办单位未变化")]
    SameSupervisor,
    /// Supervision or a downgrade asked for a finding that is not major (not a step of its
    /// path: 409, and not offered).
    #[error("只有重大事故隐患实行挂牌督办")]
    NotMajor,
    /// A major finding's grade lowered by an edit instead of the office's approval.
    #[error("重大事故隐患降为一般隐患须经安委办批准：请提出降级申请并说明理由")]
    DowngradeNeedsApproval,
    /// A downgrade request while one is pending.
    #[error("已有待审批的降级申请，请等待安委办审批")]
    DowngradePending,
    /// A decision without a pending downgrade.
    #[error("没有待审批的降级申请")]
    NoDowngradePending,
    /// A required reason or text is missing, too long or holds control characters.
    #[error("请填写{0}（不能为空或过长，不能含控制字符）")]
    TextRequired(&'static str),
    /// A text is too long or holds control characters.
    #[error("{0}过长或含有控制字符")]
    TextInvalid(&'static str),
    /// The plan's time limit lies after the finding's time limit.
    #[error("整改时限{limit}晚于整改期限{due_on}，如需延期请提出延期申请")]
    PlanAfterDue {
        /// The plan's time limit.
        limit: NaiveDate,
        /// The finding's time limit.
        due_on: NaiveDate,
    },
    /// The plan's time limit lies before the finding was opened.
    #[error("整改时限{limit}早于发现日期{opened_on}")]
    PlanBeforeOpened {
        /// The plan's time limit.
        limit: NaiveDate,
        /// Day the finding was opened.
        opened_on: NaiveDate,
    },
    /// An extension that does not extend.
    #[error("延期后的整改期限应晚于原整改期限{due_on}")]
    NotLater {
        /// Current time limit.
        due_on: NaiveDate,
    },
    /// An extension request while one is pending.
    #[error("已有待审批的延期申请，请等待审批结果")]
    ExtensionPending,
    /// A decision without a pending request.
    #[error("没有待审批的延期申请")]
    NoExtensionPending,
    /// The requested time limit is out of bounds.
    #[error(transparent)]
    TimeLimit(#[from] TimeLimitError),
}

pub use crate::refusal::RefusalKind;

impl From<Refusal> for crate::refusal::Refusal {
    fn from(r: Refusal) -> Self {
        let message = r.to_string();
        match r.kind() {
            RefusalKind::Forbidden => crate::refusal::Refusal::forbidden(message),
            RefusalKind::Conflict => crate::refusal::Refusal::conflict(message),
            RefusalKind::Invalid => crate::refusal::Refusal::invalid(message),
        }
    }
}

impl Refusal {
    /// How the refusal is answered.
    pub fn kind(&self) -> RefusalKind {
        match self {
            Refusal::Forbidden(_) => RefusalKind::Forbidden,
            Refusal::WrongState { .. }
            | Refusal::ExtensionPending
            | Refusal::NoExtensionPending
            | Refusal::DowngradePending
            | Refusal::NoDowngradePending
            | Refusal::NotMajor
            | Refusal::SameSupervisor => RefusalKind::Conflict,
            _ => RefusalKind::Invalid,
        }
    }
}

const ENTERPRISE_ONLY: &str = "此操作由企业办理";
const OFFICER_ONLY: &str = "此操作由属地单位、行业部门或安委办办理";
const MAJOR_BY_OFFICER: &str =
    "重大事故隐患须由属地单位、行业部门或安委办现场核查验收，企业不能自行验收销号";
const READ_ONLY: &str = "您的角色只能查阅问题隐患，不能办理";
const DUE_BY_OFFICER: &str = "整改期限由属地单位、行业部门或安委办调整；企业如需延期，请提出延期申请，由属地单位或行业部门审批";
const OFFICERS_FINDING: &str = "此问题隐患由属地单位、行业部门或安委办登记，其台账信息由其修改、验收销号由其办理，企业不能自行修改或验收";
const GRADE_BY_OFFICER: &str = "重大事故隐患的等级由属地单位、行业部门或安委办认定，企业不能调整";
const SUPERVISE_BY_OFFICER: &str = "挂牌督办由属地单位、行业部门或安委办办理";
const DOWNGRADE_BY_OFFICE: &str = "重大事故隐患降级由安委办审批";

fn is_officer(role: Role) -> bool {
    matches!(role, Role::UnitOfficer | Role::CommitteeOffice)
}

impl Facts {
    /// Whether an officer opened the finding (any source but the enterprise's self-inspection):
    /// its content and its verification are then an officer's.
    pub fn opened_by_officer(&self) -> bool {
        self.source != Source::SelfInspection
    }
}

/// Decides `request` by `role` on a finding with `facts` (the actor is already known to have the
/// finding's enterprise in scope): the status after it, or why it is refused.
///
/// Who does what: the enterprise rectifies (start, submit, rework, extension request); officers of
/// the scope (unit officer, committee office) decide extensions and alone set a time limit
/// directly (with a reason) — the enterprise's only way to a later limit is the extension
/// request its unit decides (plan items 29–31: the unit follows the time limit); the plan and
/// temporary measures are recorded by either. The content (ledger fields) of a finding an officer
/// opened is edited only by an officer; the enterprise edits its own self-inspection findings but
/// never downgrades a major one. Verification and return of the enterprise's own general
/// finding by either; of a major finding or one an officer opened only by an officer (plan item
/// 30, on-site verification). Assessors read.
///
/// # Errors
/// [`Refusal`]; its [`Refusal::kind`] says 403, 409 or 422.
pub fn decide(facts: &Facts, role: Role, request: &Request) -> Result<Status, Refusal> {
    use Status::*;
    if !matches!(
        role,
        Role::EnterpriseUser | Role::UnitOfficer | Role::CommitteeOffice
    ) {
        return Err(Refusal::Forbidden(READ_ONLY));
    }
    let enterprise = role == Role::EnterpriseUser;
    let wrong_state = || Refusal::WrongState {
        status: facts.status.label(),
        action: request.label(),
    };
    let need_open = || {
        if facts.status.is_open() {
            Ok(())
        } else {
            Err(wrong_state())
        }
    };
    match request {
        Request::AcceptPlan(plan) => {
            if facts.status != Open {
                return Err(wrong_state());
            }
            plan.check_text()?;
            let missing = plan.missing();
            if facts.grade == Grade::Major {
                if !missing.is_empty() {
                    return Err(Refusal::FiveImplementations(missing));
                }
            } else {
                let missing: Vec<_> = missing
                    .into_iter()
                    .filter(|m| GENERAL_PLAN_NEEDS.contains(m))
                    .collect();
                if !missing.is_empty() {
                    return Err(Refusal::PlanIncomplete(missing));
                }
            }
            if let Some(limit) = plan.time_limit {
                if limit > facts.due_on {
                    return Err(Refusal::PlanAfterDue {
                        limit,
                        due_on: facts.due_on,
                    });
                }
                if limit < facts.opened_on {
                    return Err(Refusal::PlanBeforeOpened {
                        limit,
                        opened_on: facts.opened_on,
                    });
                }
            }
            Ok(PlanAccepted)
        }
        Request::StartRectifying => {
            if !enterprise {
                return Err(Refusal::Forbidden(ENTERPRISE_ONLY));
            }
            if facts.status != PlanAccepted {
                return Err(wrong_state());
            }
            Ok(Rectifying)
        }
        Request::TemporaryMeasures { measures, .. } => {
            need_open()?;
            if !valid_text(measures) {
                return Err(Refusal::TextRequired("临时措施"));
            }
            Ok(facts.status)
        }
        Request::Submit { evidence } => {
            if !enterprise {
                return Err(Refusal::Forbidden(ENTERPRISE_ONLY));
            }
            if !matches!(facts.status, Rectifying | Rework) {
                return Err(wrong_state());
            }
            if *evidence == 0 {
                return Err(Refusal::NoEvidence);
            }
            check_major_path(facts, "提交验收")?;
            Ok(Submitted)
        }
        Request::Verify { .. } | Request::Return { .. } => {
            if facts.grade == Grade::Major && enterprise {
                return Err(Refusal::Forbidden(MAJOR_BY_OFFICER));
            }
            if facts.opened_by_officer() && enterprise {
                return Err(Refusal::Forbidden(OFFICERS_FINDING));
            }
            if facts.status != Submitted {
                return Err(wrong_state());
            }
            match request {
                Request::Return { reason } if !valid_reason(reason) => {
                    Err(Refusal::TextRequired("退回理由"))
                }
                Request::Return { .. } => Ok(Returned),
                Request::Verify {
                    opinion,
                    verifiers,
                    check_files,
                } => {
                    if !valid_text(opinion) {
                        return Err(Refusal::TextRequired("验收意见"));
                    }
                    if !valid_short(verifiers) {
                        return Err(Refusal::TextRequired("核验人员"));
                    }
                    check_major_path(facts, "验收销号")?;
                    if *check_files == 0 {
                        return Err(Refusal::NoCheckRecord);
                    }
                    Ok(Closed)
                }
                _ => Err(wrong_state()),
            }
        }
        Request::StartRework => {
            if !enterprise {
                return Err(Refusal::Forbidden(ENTERPRISE_ONLY));
            }
            if facts.status != Returned {
                return Err(wrong_state());
            }
            Ok(Rework)
        }
        Request::RequestExtension { due_on, reason } => {
            if !enterprise {
                return Err(Refusal::Forbidden(ENTERPRISE_ONLY));
            }
            if !facts.status.is_open() || facts.status == Submitted {
                return Err(wrong_state());
            }
            if facts.pending_extension.is_some() {
                return Err(Refusal::ExtensionPending);
            }
            check_extension(facts, *due_on, reason)?;
            Ok(facts.status)
        }
        Request::DecideExtension { approve, reason } => {
            if !is_officer(role) {
                return Err(Refusal::Forbidden(OFFICER_ONLY));
            }
            need_open()?;
            let Some((due_on, asked_reason)) = &facts.pending_extension else {
                return Err(Refusal::NoExtensionPending);
            };
            if *approve {
                // The bounds are checked again: the campaign or the limit may have changed.
                check_extension(facts, *due_on, asked_reason)?;
            } else if !valid_reason(reason) {
                return Err(Refusal::TextRequired("不予延期的理由"));
            }
            Ok(facts.status)
        }
        Request::ChangeDue { due_on, reason } => {
            if !is_officer(role) {
                return Err(Refusal::Forbidden(DUE_BY_OFFICER));
            }
            need_open()?;
            check_time_limit(facts.opened_on, *due_on, facts.campaign_end, reason)?;
            Ok(facts.status)
        }
        Request::Edit { grade } => {
            if enterprise && facts.opened_by_officer() {
                return Err(Refusal::Forbidden(OFFICERS_FINDING));
            }
            need_open()?;
            if *grade != facts.grade && facts.grade == Grade::Major {
                return Err(if enterprise {
                    Refusal::Forbidden(GRADE_BY_OFFICER)
                } else {
                    Refusal::DowngradeNeedsApproval
                });
            }
            Ok(facts.status)
        }
        Request::Supervise { .. } => {
            if !is_officer(role) {
                return Err(Refusal::Forbidden(SUPERVISE_BY_OFFICER));
            }
            need_open()?;
            if facts.grade != Grade::Major {
                return Err(Refusal::NotMajor);
            }
            Ok(facts.status)
        }
        Request::RequestDowngrade { reason } => {
            if !is_officer(role) {
                return Err(Refusal::Forbidden(OFFICER_ONLY));
            }
            need_open()?;
            if facts.grade != Grade::Major {
                return Err(Refusal::NotMajor);
            }
            if facts.pending_downgrade.is_some() {
                return Err(Refusal::DowngradePending);
            }
            if !valid_reason(reason) {
                return Err(Refusal::TextRequired("降级理由"));
            }
            Ok(facts.status)
        }
        Request::DecideDowngrade { approve, reason } => {
            if role != Role::CommitteeOffice {
                return Err(Refusal::Forbidden(DOWNGRADE_BY_OFFICE));
            }
            need_open()?;
            if facts.pending_downgrade.is_none() {
                return Err(Refusal::NoDowngradePending);
            }
            if !approve && !valid_reason(reason) {
                return Err(Refusal::TextRequired("不予降级的理由"));
            }
            Ok(facts.status)
        }
    }
}

/// What a major finding needs before it is submitted or closed (`action`): the five
/// implementations (a finding graded major after its plan was accepted must complete it) and
/// its supervision. A general finding needs neither.
fn check_major_path(facts: &Facts, action: &'static str) -> Result<(), Refusal> {
    if facts.grade != Grade::Major {
        return Ok(());
    }
    if !facts.plan_missing.is_empty() {
        return Err(Refusal::FiveImplementations(facts.plan_missing.clone()));
    }
    if !facts.supervised {
        return Err(Refusal::NotSupervised(action));
    }
    Ok(())
}

/// The grades an edit by `role` may give the finding: its own, and the others unless the loop
/// refuses the change (a major finding is lowered only by an approved downgrade).
pub fn edit_grades(facts: &Facts, role: Role) -> Vec<Grade> {
    Grade::ALL
        .iter()
        .copied()
        .filter(|g| *g == facts.grade || decide(facts, role, &Request::Edit { grade: *g }).is_ok())
        .collect()
}

/// Whether a page should offer `request` to `role`: [`decide`] refuses it neither for the role
/// nor for the state (a form whose content is then missing or wrong is refused on submission).
pub fn offered(facts: &Facts, role: Role, request: &Request) -> bool {
    match decide(facts, role, request) {
        Ok(_) => true,
        Err(r) => r.kind() == RefusalKind::Invalid,
    }
}

/// What a general finding's plan needs at least: what is done and by when (plan item 21).
const GENERAL_PLAN_NEEDS: [&str; 2] = ["整改措施", "整改时限"];

fn valid_text(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty() && super::ledger::clean_text(s, super::ledger::LONG_MAX_CHARS).is_some()
}

fn valid_short(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty() && super::ledger::clean_text(s, super::ledger::SHORT_MAX_CHARS).is_some()
}

fn check_extension(facts: &Facts, due_on: NaiveDate, reason: &str) -> Result<(), Refusal> {
    check_time_limit(facts.opened_on, due_on, facts.campaign_end, reason)?;
    if due_on <= facts.due_on {
        return Err(Refusal::NotLater {
            due_on: facts.due_on,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
