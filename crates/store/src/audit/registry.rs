//! The registries of the audit trail: every kind of event and every kind of object a record
//! concerns, each with its stored code and its Chinese label side by side, so that a new event or
//! kind cannot be added without the name people read in the audit pages and exports (GB/T
//! 22239-2019 8.1.4.3: the trail must be readable by the audit administrator).

use safeduty_core::records::RecordKind;

/// Defines a registry enum: each variant with its stored code and its Chinese label, `code`,
/// `label`, `from_code` and `ALL` (in the order written).
macro_rules! registry {
    ($(#[$meta:meta])* $vis:vis enum $name:ident {
        $( $(#[$vmeta:meta])* $variant:ident => ($code:literal, $label:literal), )*
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$vmeta])* #[doc = $label] $variant, )*
        }

        impl $name {
            /// Every variant, in the order of the registry.
            pub const ALL: &[$name] = &[$($name::$variant),*];

            /// Stable code stored in the trail.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)* }
            }

            /// The name people read (Chinese).
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)* }
            }

            /// Parses a stored [`Self::code`].
            pub fn from_code(code: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }
    };
}

registry! {
    /// Kinds of audited events. Stored by [`Event::code`].
    pub enum Event {
        /// Successful login.
        Login => ("login", "登录"),
        /// Failed login.
        LoginFailed => ("login_failed", "登录失败"),
        /// Logout.
        Logout => ("logout", "退出"),
        /// An action refused by the authorization policy.
        PermissionDenied => ("permission_denied", "越权拒绝"),
        /// Reference data created (regions, units, enterprises, users) by seeding or import.
        Created => ("created", "新建"),
        /// A campaign created from a template.
        CampaignCreated => ("campaign_created", "创建专项治理"),
        /// A self-inspection draft saved.
        SelfInspectionSaved => ("self_inspection_saved", "自查保存"),
        /// A self-inspection submitted.
        SelfInspectionSubmitted => ("self_inspection_submitted", "自查提交"),
        /// A finding opened.
        FindingOpened => ("finding_opened", "问题隐患登记"),
        /// A finding's time limit changed.
        FindingDueChanged => ("finding_due_changed", "整改期限变更"),
        /// A finding moved in its loop, or its ledger fields, plan, temporary measures or extension
        /// request changed (the action is in the record's `after`).
        FindingTransition => ("finding_transition", "问题隐患流转"),
        /// An evidence attachment was added.
        AttachmentAdded => ("attachment_added", "上传附件"),
        /// A file uploaded by mistake on a finding was withdrawn by its uploader (kept, marked).
        AttachmentWithdrawn => ("attachment_withdrawn", "撤回附件"),
        /// An attachment (or its thumbnail) was downloaded.
        AttachmentDownloaded => ("attachment_downloaded", "下载附件"),
        /// An enterprise record (training, induction, emergency plan, drill, major hazard source,
        /// violation) was created or changed.
        RecordSaved => ("record_saved", "台账记录保存"),
        /// A year's holiday arrangement loaded or replaced.
        CalendarYearLoaded => ("calendar_year_loaded", "载入节假日安排"),
        /// A unit submitted a report.
        ReportSubmitted => ("report_submitted", "报送"),
        /// The committee office returned a unit's report with a reason (it is owed again).
        ReportReturned => ("report_returned", "退回报送"),
        /// A unit saved the text of a generated report's draft.
        ReportDraftSaved => ("report_draft_saved", "保存报告草稿"),
        /// The reminder job made reminders.
        RemindersGenerated => ("reminders_generated", "生成提醒"),
        /// A reminder was read.
        ReminderRead => ("reminder_read", "提醒已读"),
        /// A reminder was sent outward (or the attempt failed).
        ReminderSent => ("reminder_sent", "提醒推送"),
        /// An account was locked after repeated failed logins.
        AccountLocked => ("account_locked", "账号锁定"),
        /// A user changed their password (all their sessions ended).
        PasswordChanged => ("password_changed", "修改密码"),
        /// A user must choose a new password at the next request.
        PasswordChangeRequired => ("password_change_required", "要求改密"),
        /// Reference data changed (an enterprise by roster import, an industry table entry).
        Updated => ("updated", "修改"),
        /// A roster was imported (one summary record besides each enterprise's own).
        RosterImported => ("roster_imported", "名单导入"),
        /// A roster was exported (format, count, whether phones were masked).
        RosterExported => ("roster_exported", "名单导出"),
        /// A backup was taken.
        BackupTaken => ("backup_taken", "备份"),
        /// The store was restored from a backup (the new anchor of the trail).
        Restored => ("restored", "恢复"),
        /// The campaign's duty commitment text was set (a new version).
        CommitmentTextSet => ("commitment_text_set", "承诺书文本设定"),
        /// A safety manager signed the duty commitment.
        CommitmentSigned => ("commitment_signed", "签署承诺书"),
        /// The enterprise issued a one-time signing code to a listed safety manager (replacing
        /// an earlier one).
        CommitmentCodeIssued => ("commitment_code_issued", "签署码发放"),
        /// The enterprise revoked a signing code.
        CommitmentCodeRevoked => ("commitment_code_revoked", "签署码作废"),
        /// A signing code was refused: unknown, expired, used or revoked (result `denied`).
        CommitmentCodeRefused => ("commitment_code_refused", "签署码被拒"),
        /// An enterprise recorded where and when its commitments were published internally.
        CommitmentPublished => ("commitment_published", "承诺书公示"),
        /// An anchor of the trail was taken (kept in `audit_anchors` and printed for off-site keeping).
        AnchorTaken => ("anchor_taken", "审计锚点"),
        /// The audit administrator exported the trail (the filter is in the record's `after`).
        AuditExported => ("audit_exported", "审计记录导出"),
        /// An account was disabled (its sessions ended) or enabled again by the system administrator.
        AccountStatusChanged => ("account_status_changed", "账号启停"),
        /// An administrator reset an account's password (must change at next login).
        PasswordReset => ("password_reset", "重置密码"),
        /// The security administrator changed an account's role or scope (its sessions ended).
        RoleAssigned => ("role_assigned", "分配角色"),
        /// The system administrator created an account with a role and scope that take effect
        /// only when the security administrator grants them.
        RoleProposed => ("role_proposed", "拟定角色待授权"),
        /// The security administrator granted an account's proposed or suspended role as it was.
        RoleGranted => ("role_granted", "授予角色"),
        /// The security administrator changed the password or lockout policy.
        SecurityPolicyChanged => ("security_policy_changed", "安全策略变更"),
        /// A user enrolled (confirmed) a TOTP second factor.
        SecondFactorEnrolled => ("second_factor_enrolled", "绑定动态口令"),
        /// Enterprise accounts were provisioned in bulk (one summary record besides each account's).
        AccountsProvisioned => ("accounts_provisioned", "批量开户"),
        /// A plan document was uploaded and imported as a draft for review.
        PlanDraftCreated => ("plan_draft_created", "方案草稿创建"),
        /// A reviewer edited a plan draft or resolved one of its questions.
        PlanDraftEdited => ("plan_draft_edited", "方案草稿修改"),
        /// A reviewed plan draft was saved as a campaign template.
        PlanTemplateSaved => ("plan_template_saved", "方案模板保存"),
        /// An unsafe request without its CSRF token, or with a wrong one, was refused.
        CsrfRejected => ("csrf_rejected", "跨站请求拒绝"),
        /// A session was throttled after repeated denied requests (its later requests answered
        /// 429 without a record each, until the window ends).
        RequestsThrottled => ("requests_throttled", "请求限流"),
        /// A generated file was downloaded (a commitment letter, a ledger export, a template; what
        /// it was is in the record's `after`).
        FileDownloaded => ("file_downloaded", "下载文件"),
        /// The powers a unit holds were set (issue #12).
        UnitPowersSet => ("unit_powers_set", "执法职权设定"),
        /// An officer's enforcement certificate was set.
        CertificateSet => ("certificate_set", "执法证登记"),
        /// A region's enforcement settings (document words, remedies bodies, yearly cap) were set.
        EnforcementSettingsSet => ("enforcement_settings_set", "执法设置变更"),
        /// An on-site inspection was recorded (with its number and the findings it opened).
        InspectionRecorded => ("inspection_recorded", "现场检查记录"),
        /// A correction order was issued.
        CorrectionOrderIssued => ("correction_order_issued", "下达整改指令"),
        /// An enterprise reported an order's correction complete.
        CompletionReported => ("completion_reported", "报告整改完毕"),
        /// An enterprise asked for more time on an order.
        ExtensionRequested => ("extension_requested", "申请延期整改"),
        /// A unit approved or refused an extension.
        ExtensionDecided => ("extension_decided", "延期整改审批"),
        /// A re-inspection was recorded.
        ReInspectionRecorded => ("re_inspection_recorded", "整改复查"),
        /// An enterprise was referred for a case.
        CaseReferred => ("case_referred", "移交立案"),
        /// On-site measures were decided.
        OnSiteMeasuresDecided => ("on_site_measures_decided", "现场处理措施"),
        /// On-site measures were reviewed: lifted, or kept in force with the review's note.
        OnSiteMeasuresReviewed => ("on_site_measures_reviewed", "现场处理措施解除审查"),
        /// A signed document of record was uploaded (superseding an earlier one with a reason).
        DocumentOfRecordUploaded => ("document_of_record_uploaded", "上传签章文书"),
        /// A unit's inspection plan was drafted or its draft changed (window, how many to draw).
        InspectionPlanSaved => ("inspection_plan_saved", "检查计划保存"),
        /// An inspection plan was drawn (双随机: seed, list digests, targets and officer pairs).
        InspectionPlanDrawn => ("inspection_plan_drawn", "检查计划抽取"),
        /// An inspection fulfilled a target of an inspection plan.
        PlanTargetFulfilled => ("plan_target_fulfilled", "检查计划对象完成"),
        /// A committee office added a row to its region's violation library.
        ViolationRowAdded => ("violation_row_added", "违法行为库新增条目"),
        /// A committee office changed a row of its region's violation library (a shipped or
        /// inherited row: overridden by the region's row).
        ViolationRowEdited => ("violation_row_edited", "违法行为库修改条目"),
        /// A row of a region's violation library can no longer be chosen on an inspection.
        ViolationRowDeactivated => ("violation_row_deactivated", "违法行为库停用条目"),
        /// A deactivated row of a region's violation library can be chosen again.
        ViolationRowReactivated => ("violation_row_reactivated", "违法行为库启用条目"),
        /// A case was drafted (no number yet), or its draft changed (issue #13).
        CaseDrafted => ("case_drafted", "案件草稿"),
        /// A case's filing was approved: its number, date and officers.
        CaseFiled => ("case_filed", "立案"),
        /// A step of a case's procedure was recorded (the step and its record in `after`).
        CaseStepRecorded => ("case_step_recorded", "案件办理"),
        /// A typical case's exposure was drafted (its public text fixed).
        ExposureDrafted => ("exposure_drafted", "典型案例曝光草稿"),
        /// An exposure was published on the public pages.
        ExposurePublished => ("exposure_published", "典型案例曝光发布"),
        /// A published exposure was withdrawn, with a reason.
        ExposureWithdrawn => ("exposure_withdrawn", "典型案例曝光撤回"),
        /// A party was told it is to be put on the dishonesty list (issue #14; the 告知书).
        DishonestyNotified => ("dishonesty_notified", "严重失信主体名单告知"),
        /// A step of a listing was recorded (the step and the listing in `after`).
        DishonestyStepRecorded => ("dishonesty_step_recorded", "严重失信主体名单办理"),
        /// A unit recorded (again) a measure of the “八个一” with its evidence (issue #14).
        UnitMeasureRecorded => ("unit_measure_recorded", "单位措施填报"),
        /// The committee office returned a unit's measure entry with a reason.
        UnitMeasureReturned => ("unit_measure_returned", "单位措施退回"),
        /// The committee office issued a correction order or an interview to a unit (issue #14).
        UnitMatterIssued => ("unit_matter_issued", "督办事项下达"),
        /// A step of a unit's matter: the interview held, the report, the follow-up.
        UnitMatterStepRecorded => ("unit_matter_step_recorded", "督办事项办理"),
        /// An assessor entered (or changed) the points of an item of a unit's assessment.
        AssessmentEntered => ("assessment_entered", "考核评分"),
        /// The committee office planned an acceptance inspection (issue #14).
        AcceptancePlanned => ("acceptance_planned", "检查验收计划"),
        /// A step of an acceptance: its inspection linked, the third party's assessment, its
        /// adoption, the closing (which disables its guests).
        AcceptanceStepRecorded => ("acceptance_step_recorded", "检查验收办理"),
        /// An officer invited a guest to an acceptance: a guest account was issued.
        AcceptanceGuestInvited => ("acceptance_guest_invited", "检查验收邀请受邀人员"),
        /// An officer revoked a guest's access to an acceptance.
        AcceptanceGuestRevoked => ("acceptance_guest_revoked", "检查验收撤销受邀人员"),
        /// A guest or an officer commented on an acceptance.
        AcceptanceCommented => ("acceptance_commented", "检查验收意见"),
    }
}

registry! {
    /// Kinds of objects a record concerns, besides the enterprise records ([`ObjectKind`]).
    pub enum Object {
        User => ("user", "账号"),
        Region => ("region", "区域"),
        Unit => ("unit", "单位"),
        Enterprise => ("enterprise", "企业"),
        EnterpriseProfile => ("enterprise_profile", "企业档案"),
        Personnel => ("personnel", "人员"),
        Campaign => ("campaign", "专项治理"),
        Enrolment => ("enrolment", "参与企业"),
        PlanDraft => ("plan_draft", "方案草稿"),
        SelfInspection => ("self_inspection", "自查"),
        Finding => ("finding", "问题隐患"),
        Attachment => ("attachment", "附件"),
        CommitmentText => ("commitment_text", "承诺书文本"),
        CommitmentSignature => ("commitment_signature", "承诺书签署"),
        CommitmentPublication => ("commitment_publication", "承诺书公示"),
        CalendarYear => ("calendar_year", "节假日安排"),
        Report => ("report", "报送"),
        Reminder => ("reminder", "提醒"),
        Reminders => ("reminders", "提醒批次"),
        Roster => ("roster", "名单"),
        IndustryAlias => ("industry_alias", "行业别名"),
        SecurityPolicy => ("security_policy", "安全策略"),
        AuditTrail => ("audit_trail", "审计记录"),
        Backup => ("backup", "备份"),
        Request => ("request", "请求"),
        UnitPowers => ("unit_powers", "执法职权"),
        OfficerCertificate => ("officer_certificate", "执法证"),
        EnforcementSettings => ("enforcement_settings", "执法设置"),
        Inspection => ("inspection", "现场检查"),
        CorrectionOrder => ("correction_order", "整改指令书"),
        OrderExtension => ("order_extension", "延期整改申请"),
        ReInspection => ("re_inspection", "整改复查"),
        CaseReferral => ("case_referral", "移交立案"),
        OnSiteMeasures => ("on_site_measures", "现场处理措施"),
        DocumentOfRecord => ("document_of_record", "签章文书"),
        InspectionPlan => ("inspection_plan", "检查计划"),
        PlanTarget => ("plan_target", "检查计划对象"),
        /// A row of a region's violation library (target id `region_id:code`).
        ViolationRow => ("violation_row", "违法行为库条目"),
        /// A penalty case.
        Case => ("case", "案件"),
        /// A typical case's exposure.
        Exposure => ("exposure", "典型案例曝光"),
        /// A listing on the dishonesty list (严重失信主体名单).
        DishonestyListing => ("dishonesty_listing", "严重失信主体名单"),
        /// A unit's entry of a measure of the “八个一”.
        UnitMeasure => ("unit_measure", "单位措施"),
        /// A correction order or interview of a unit (督办事项).
        UnitMatter => ("unit_matter", "督办事项"),
        /// An item of a unit's year assessment (target id `campaign:unit:item`).
        Assessment => ("assessment", "考核评分"),
        /// An acceptance inspection (检查验收).
        Acceptance => ("acceptance", "检查验收"),
    }
}

/// The kind of object an audit record concerns (`target_kind`): one of [`Object`], or an
/// enterprise record of a [`RecordKind`] (named by its own code and label).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObjectKind {
    /// A kind of [`Object`].
    Object(Object),
    /// An enterprise record (training, drill, …).
    Record(RecordKind),
}

impl ObjectKind {
    /// Stable code stored in the trail.
    pub fn code(self) -> &'static str {
        match self {
            ObjectKind::Object(o) => o.code(),
            ObjectKind::Record(r) => r.code(),
        }
    }

    /// The name people read (Chinese).
    pub fn label(self) -> &'static str {
        match self {
            ObjectKind::Object(o) => o.label(),
            ObjectKind::Record(r) => r.label(),
        }
    }

    /// Every kind: the objects, then the enterprise records.
    pub fn all() -> impl Iterator<Item = ObjectKind> {
        Object::ALL
            .iter()
            .copied()
            .map(ObjectKind::Object)
            .chain(RecordKind::ALL.into_iter().map(ObjectKind::Record))
    }

    /// Parses a stored [`ObjectKind::code`].
    pub fn from_code(code: &str) -> Option<ObjectKind> {
        ObjectKind::all().find(|k| k.code() == code)
    }
}

impl From<Object> for ObjectKind {
    fn from(o: Object) -> Self {
        ObjectKind::Object(o)
    }
}

impl From<RecordKind> for ObjectKind {
    fn from(r: RecordKind) -> Self {
        ObjectKind::Record(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_parse_back() {
        let mut seen = std::collections::BTreeSet::new();
        for e in Event::ALL {
            assert!(seen.insert(e.code()), "{} twice", e.code());
            assert_eq!(Event::from_code(e.code()), Some(*e));
            assert!(!e.label().is_empty());
        }
        let mut seen = std::collections::BTreeSet::new();
        for k in ObjectKind::all() {
            assert!(seen.insert(k.code()), "{} twice", k.code());
            assert_eq!(ObjectKind::from_code(k.code()), Some(k));
        }
        assert_eq!(Event::CsrfRejected.label(), "跨站请求拒绝");
        assert_eq!(
            ObjectKind::from_code("drill"),
            Some(RecordKind::Drill.into())
        );
        assert_eq!(
            ObjectKind::from_code("finding").map(ObjectKind::label),
            Some("问题隐患")
        );
    }
}
