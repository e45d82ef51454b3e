//! Demo findings of the loop: for the first enterprise of 东湖街道 (demo-enterprise), findings
//! opened by 东湖街道's officer in several states — a major accident hazard with its five
//! implementations, temporary measures and stop-work, under supervision (挂牌督办), being
//! rectified; a general one past its time
//! limit; one with an extension request waiting for the unit; one just opened. Invented content;
//! the steps are the demo accounts' (demo-town, demo-enterprise).

use chrono::{Days, NaiveDate};
use safeduty_core::finding::ledger::{Category, FiveImplementations, Grade, Source};
use safeduty_core::finding::lifecycle::Request;
use safeduty_core::policy::Role;

use super::NewFindingRow;
use super::flow;
use crate::audit::Who;
use crate::campaigns::Campaign;
use crate::{Store, StoreError};

/// The demo account `username` as the actor (its name then shows on the timeline), or the bare
/// role when the account does not exist.
async fn who(store: &Store, username: &str, role: Role) -> Result<Who, StoreError> {
    let user_id = match crate::org::user_by_username(store, username).await {
        Ok(u) => Some(u.id),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e),
    };
    Ok(Who {
        user_id,
        role: Some(role.code().into()),
        client_addr: None,
    })
}

async fn findings_version(store: &Store, public_id: &str) -> Result<i64, StoreError> {
    Ok(super::get(store, public_id).await?.version)
}

/// Seeds the demo findings of `enterprise_id` in `campaign`, opened before `today`.
///
/// # Errors
/// Store errors.
pub(crate) async fn seed(
    store: &Store,
    campaign: &Campaign,
    enterprise_id: i64,
    today: NaiveDate,
) -> Result<(), StoreError> {
    let end = campaign.template.last_day();
    let ago = |n: u64| today.checked_sub_days(Days::new(n)).unwrap_or(today);
    // Never past the campaign's last day (no time limit may lie beyond it).
    let ahead = |n: u64| {
        let d = today.checked_add_days(Days::new(n)).unwrap_or(today);
        end.map_or(d, |e| d.min(e).max(today))
    };
    let open =
        |source, category, grade, item, location: &str, description: &str, opened_on, due_on| {
            NewFindingRow {
                campaign_id: campaign.id,
                enterprise_id,
                source,
                self_inspection_id: None,
                item_number: Some(item),
                category,
                grade,
                location: location.into(),
                description: description.into(),
                opened_on,
                due_on,
                time_limit_working_days: None,
                open_token: None,
            }
        };
    let officer = who(store, "demo-town", Role::UnitOfficer).await?;
    let enterprise = who(store, "demo-enterprise", Role::EnterpriseUser).await?;
    let step = |id: String, role: Role, request: Request, version: i64| {
        let w = if role == Role::EnterpriseUser {
            enterprise.clone()
        } else {
            officer.clone()
        };
        async move { flow::apply(store, &w, role, &id, request, version, None, ago(2)).await }
    };

    let major = flow::open_by_officer(
        store,
        &officer,
        open(
            Source::Enforcement,
            Category::Hazard,
            Grade::Major,
            13,
            "液氨储罐区",
            "液氨储罐区可燃气体报警仪失效，未与紧急切断装置联锁（演示数据）",
            ago(12),
            ahead(8),
        ),
        end,
    )
    .await?;
    step(
        major.clone(),
        Role::EnterpriseUser,
        Request::AcceptPlan(FiveImplementations {
            responsible: "设备科 陈科长（演示）".into(),
            measures: "更换报警探头，恢复与紧急切断阀联锁，增设声光报警".into(),
            funds_fen: Some(3_850_000),
            time_limit: Some(ahead(6)),
            contingency_plan: "《液氨泄漏现场处置方案》（演示）".into(),
        }),
        0,
    )
    .await?;
    step(
        major.clone(),
        Role::UnitOfficer,
        Request::TemporaryMeasures {
            measures: "停用2号储罐并设置警戒区，安排专人24小时巡检".into(),
            stop_work: true,
        },
        1,
    )
    .await?;
    // 挂牌督办 by 东湖街道 (reported to the committee office's inbox).
    if let Some(unit_id) = crate::org::user_by_username(store, "demo-town")
        .await
        .ok()
        .and_then(|u| u.unit_id)
    {
        step(
            major.clone(),
            Role::UnitOfficer,
            Request::Supervise { unit_id },
            2,
        )
        .await?;
    }
    let version = findings_version(store, &major).await?;
    step(
        major,
        Role::EnterpriseUser,
        Request::StartRectifying,
        version,
    )
    .await?;

    flow::open_by_officer(
        store,
        &officer,
        open(
            Source::Routine,
            Category::Hazard,
            Grade::General,
            20,
            "1号车间",
            "1号车间消防通道堆放原料，安全出口指示灯损坏（演示数据）",
            ago(25),
            ago(5),
        ),
        end,
    )
    .await?;

    let late = flow::open_by_officer(
        store,
        &officer,
        open(
            Source::Enforcement,
            Category::Problem,
            Grade::General,
            9,
            "安全管理部",
            "年度安全生产教育培训计划未经主要负责人审批（演示数据）",
            ago(10),
            ahead(2),
        ),
        end,
    )
    .await?;
    step(
        late.clone(),
        Role::EnterpriseUser,
        Request::AcceptPlan(FiveImplementations {
            measures: "报主要负责人审批培训计划（演示数据）".into(),
            time_limit: Some(ahead(2)),
            ..FiveImplementations::default()
        }),
        0,
    )
    .await?;
    step(
        late.clone(),
        Role::EnterpriseUser,
        Request::StartRectifying,
        1,
    )
    .await?;
    if let Some(due_on) = end.filter(|e| *e > ahead(2)).map(|e| e.min(ahead(16))) {
        step(
            late,
            Role::EnterpriseUser,
            Request::RequestExtension {
                due_on,
                reason: "主要负责人外出学习，审批需待其返回（演示数据）".into(),
            },
            2,
        )
        .await?;
    }

    flow::open_by_officer(
        store,
        &officer,
        open(
            Source::Acceptance,
            Category::Problem,
            Grade::General,
            28,
            "生产现场",
            "现场负责人违章指挥记录未建立（演示数据）",
            ago(1),
            ahead(20),
        ),
        end,
    )
    .await?;
    Ok(())
}
