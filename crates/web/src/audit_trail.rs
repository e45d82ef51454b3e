//! What the audit administrator reads (GB/T 22239-2019 8.1.4.3, security audit): the labels and
//! times of the trail's records as shown on the search page and in its exports ([`export`]).
//! The trail itself is read with `safeduty_store::audit::search`; nothing edits or deletes it.

pub mod export;

use chrono::{DateTime, Utc};
use chrono_tz::Asia::Shanghai;
use safeduty_core::policy::Role;
use safeduty_core::records::RecordKind;

/// Chinese names of the event codes the search page offers; a code missing here is shown as is.
pub const EVENTS: &[(&str, &str)] = &[
    ("login", "登录"),
    ("login_failed", "登录失败"),
    ("logout", "退出"),
    ("account_locked", "账号锁定"),
    ("permission_denied", "越权拒绝"),
    ("csrf_rejected", "跨站请求拒绝"),
    ("password_changed", "修改密码"),
    ("password_change_required", "要求改密"),
    ("password_reset", "重置密码"),
    ("second_factor_enrolled", "绑定动态口令"),
    ("account_status_changed", "账号启停"),
    ("role_assigned", "分配角色"),
    ("security_policy_changed", "安全策略变更"),
    ("accounts_provisioned", "批量开户"),
    ("created", "新建"),
    ("updated", "修改"),
    ("campaign_created", "创建专项治理"),
    ("plan_draft_created", "方案草稿创建"),
    ("plan_draft_edited", "方案草稿修改"),
    ("plan_template_saved", "方案模板保存"),
    ("self_inspection_saved", "自查保存"),
    ("self_inspection_submitted", "自查提交"),
    ("finding_opened", "问题隐患登记"),
    ("finding_due_changed", "整改期限变更"),
    ("finding_transition", "问题隐患流转"),
    ("attachment_added", "上传附件"),
    ("attachment_downloaded", "下载附件"),
    ("file_downloaded", "下载文件"),
    ("record_saved", "台账记录保存"),
    ("commitment_text_set", "承诺书文本设定"),
    ("commitment_signed", "签署承诺书"),
    ("commitment_published", "承诺书公示"),
    ("calendar_year_loaded", "载入节假日安排"),
    ("report_submitted", "报送"),
    ("reminders_generated", "生成提醒"),
    ("reminder_read", "提醒已读"),
    ("reminder_sent", "提醒推送"),
    ("roster_imported", "名单导入"),
    ("roster_exported", "名单导出"),
    ("audit_exported", "审计记录导出"),
    ("backup_taken", "备份"),
    ("restored", "恢复"),
    ("anchor_taken", "审计锚点"),
];

/// The Chinese name of an event code, or the code itself.
pub fn event_label(code: &str) -> String {
    EVENTS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| code.to_string(), |(_, l)| (*l).to_string())
}

/// Chinese names of the kinds of object a record concerns (`target_kind`), for the page's
/// object column, its 对象类型 filter and the exports; the ledger record kinds are named by
/// `RecordKind::label` and added by [`target_kinds`].
const TARGET_KINDS: &[(&str, &str)] = &[
    ("user", "账号"),
    ("region", "区域"),
    ("unit", "单位"),
    ("enterprise", "企业"),
    ("enterprise_profile", "企业档案"),
    ("personnel", "人员"),
    ("campaign", "专项治理"),
    ("enrolment", "参与企业"),
    ("plan_draft", "方案草稿"),
    ("self_inspection", "自查"),
    ("finding", "问题隐患"),
    ("attachment", "附件"),
    ("commitment_text", "承诺书文本"),
    ("commitment_signature", "承诺书签署"),
    ("commitment_publication", "承诺书公示"),
    ("calendar_year", "节假日安排"),
    ("report", "报送"),
    ("reminder", "提醒"),
    ("reminders", "提醒批次"),
    ("roster", "名单"),
    ("industry_alias", "行业别名"),
    ("security_policy", "安全策略"),
    ("audit_trail", "审计记录"),
    ("backup", "备份"),
    ("request", "请求"),
];

/// Every known object kind with its Chinese name: [`TARGET_KINDS`], then the ledger record
/// kinds.
pub fn target_kinds() -> Vec<(&'static str, &'static str)> {
    TARGET_KINDS
        .iter()
        .copied()
        .chain(RecordKind::ALL.into_iter().map(|k| (k.code(), k.label())))
        .collect()
}

/// The Chinese name of an object kind, or the code itself when unknown.
pub fn target_label(code: &str) -> String {
    target_kinds()
        .into_iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| code.to_string(), |(_, l)| l.to_string())
}

/// The Chinese name of a role code as recorded (`system` is the product itself).
pub fn role_label(code: &str) -> String {
    match code {
        "system" => "系统".into(),
        "demo" => "演示数据".into(),
        c => Role::from_code(c).map_or_else(|| c.to_string(), |r| r.label().to_string()),
    }
}

/// The Chinese name of a result.
pub fn result_label(result: &str) -> &str {
    match result {
        "ok" => "成功",
        "denied" => "拒绝",
        "failed" => "失败",
        other => other,
    }
}

/// A stored instant (UTC text) as Beijing time, `2024-06-20 10:03:04`; unreadable text as is.
pub fn beijing_time(at: &str) -> String {
    at.parse::<DateTime<Utc>>().map_or_else(
        |_| at.to_string(),
        |t| {
            t.with_timezone(&Shanghai)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        },
    )
}
