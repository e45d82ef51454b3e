//! Demo records (invented): the first demo enterprise keeps a full set whose drills meet every
//! frequency (also as a key unit: a comprehensive or special drill in each half year); the second has a training plan and a single on-site drill, so that item 17 shows
//! what is missing.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use safeduty_core::policy::Scope;
use safeduty_core::records::{RecordKind, parse};

use crate::audit::Who;
use crate::{Store, StoreError, org};

type Fields = &'static [(&'static str, &'static str)];

const FULL: &[(RecordKind, Fields)] = &[
    (
        RecordKind::TrainingPlan,
        &[
            ("year", "2024"),
            ("title", "2024年度安全生产教育和培训计划"),
            ("approved_on", "2024-01-15"),
            (
                "content",
                "主要负责人和安全管理人员每年再培训不少于12学时；全员每季度一次专题培训；新员工三级安全教育不少于72学时；特种作业人员持证上岗复审。",
            ),
        ],
    ),
    (
        RecordKind::TrainingSession,
        &[
            ("held_on", "2024-03-12"),
            ("title", "新修订《安全生产法》及岗位安全操作规程"),
            ("trainees", "all_staff"),
            ("hours", "4"),
            ("teacher", "安全管理部 陈老师"),
            ("participant_count", "48"),
            ("participants", "生产一车间、二车间全体人员（签到表见附件）"),
            ("assessment", "闭卷考试，48人参加，46人合格，2人补考合格"),
        ],
    ),
    (
        RecordKind::TrainingSession,
        &[
            ("held_on", "2024-05-21"),
            ("title", "有限空间作业安全与应急救援"),
            ("trainees", "emergency"),
            ("hours", "2.5"),
            ("participant_count", "22"),
            ("participants", "维修班、班组长"),
            ("assessment", "现场实操考核，全部合格"),
        ],
    ),
    (
        RecordKind::Induction,
        &[
            ("title", "林小川"),
            ("reason", "new"),
            ("started_on", "2024-04-01"),
            ("plant_on", "2024-04-01"),
            ("workshop_on", "2024-04-03"),
            ("team_on", "2024-04-07"),
            ("hours", "72"),
            ("assessment", "合格（88分）"),
        ],
    ),
    (
        RecordKind::EmergencyPlan,
        &[
            ("plan_kind", "comprehensive"),
            ("title", "生产安全事故综合应急预案"),
            ("issued_on", "2023-03-01"),
            ("filed_on", "2023-03-20"),
            ("reviewed_on", "2024-02-26"),
        ],
    ),
    (
        RecordKind::EmergencyPlan,
        &[
            ("plan_kind", "on_site"),
            ("title", "配电房火灾现场处置方案"),
            ("issued_on", "2023-03-01"),
        ],
    ),
    (
        RecordKind::Drill,
        &[
            ("held_on", "2023-09-12"),
            ("plan_kind", "on_site"),
            ("title", "配电房火灾现场处置方案"),
            ("form", "practical"),
            ("participant_count", "18"),
            (
                "evaluation",
                "断电、灭火、疏散顺序正确；灭火器取用偏慢，已调整存放位置。",
            ),
        ],
    ),
    (
        RecordKind::Drill,
        &[
            ("held_on", "2023-11-16"),
            ("plan_kind", "comprehensive"),
            ("title", "生产安全事故综合应急预案"),
            ("form", "practical"),
            ("participant_count", "60"),
            (
                "evaluation",
                "各应急小组到位及时；对外联络流程需简化，已修订预案附件。",
            ),
        ],
    ),
    (
        RecordKind::Drill,
        &[
            ("held_on", "2024-04-18"),
            ("plan_kind", "on_site"),
            ("title", "配电房火灾现场处置方案"),
            ("form", "tabletop"),
            ("participant_count", "12"),
            ("evaluation", "桌面推演完成，职责清楚。"),
        ],
    ),
    (
        RecordKind::Drill,
        &[
            ("held_on", "2024-05-16"),
            ("plan_kind", "special"),
            ("title", "危险化学品泄漏专项应急预案"),
            ("form", "practical"),
            ("participant_count", "35"),
            (
                "evaluation",
                "堵漏、洗消、警戒分工明确；应急物资清点发现两套防护服过期，已更换。",
            ),
        ],
    ),
    (
        RecordKind::Violation,
        &[
            ("occurred_on", "2024-05-09"),
            ("title", "周某"),
            ("position", "team_leader"),
            ("description", "动火作业未办理作业票即安排人员作业"),
            (
                "handling",
                "按奖惩制度扣发当月安全奖，重新参加动火作业安全培训",
            ),
        ],
    ),
];

const SPARSE: &[(RecordKind, Fields)] = &[
    (
        RecordKind::TrainingPlan,
        &[
            ("year", "2024"),
            ("title", "2024年安全培训计划"),
            ("approved_on", "2024-02-20"),
            ("content", "全员每半年一次安全培训；新员工三级安全教育。"),
        ],
    ),
    (
        RecordKind::Drill,
        &[
            ("held_on", "2024-03-22"),
            ("plan_kind", "on_site"),
            ("title", "叉车伤害现场处置方案"),
            ("form", "practical"),
            ("participant_count", "9"),
            ("evaluation", "处置流程基本熟悉。"),
        ],
    ),
];

/// Seeds the demo records of the enterprises of `demo-enterprise` and `demo-enterprise2`.
///
/// # Errors
/// Store errors.
pub async fn seed(store: &Store, today: NaiveDate) -> Result<(), StoreError> {
    let who = Who {
        user_id: None,
        role: Some("demo".into()),
        client_addr: None,
    };
    for (username, set) in [("demo-enterprise", FULL), ("demo-enterprise2", SPARSE)] {
        let user = org::user_by_username(store, username).await?;
        let Scope::Enterprise { enterprise_id } = user.scope else {
            continue;
        };
        for (kind, fields) in set {
            let form: BTreeMap<String, String> = fields
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect();
            let values = parse(*kind, &form, today)
                .map_err(|e| StoreError::Corrupt(format!("demo record: {e:?}")))?;
            super::create(store, &who, enterprise_id, &values).await?;
        }
    }
    Ok(())
}
