//! Demo data: a fictional district with towns, units, about 300 enterprises across the eight key
//! industries, one account per role, and a campaign with self-inspections in every state and
//! findings open and overdue, so that every page shows data.
//!
//! Every name is invented (示例区, 东湖街道 …) and every USCC is synthetic with a valid check
//! character. The data is deterministic: the same call gives the same store.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use safeduty_core::calendar::Calendar;
use safeduty_core::policy::{Role, UnitKind};
use safeduty_core::reporting::reports_due;
use safeduty_core::self_inspection::{Answer, ItemAnswer};
use safeduty_core::template::CampaignTemplate;
use safeduty_core::uscc::Uscc;

use crate::audit::Who;
use crate::campaigns::{self, Campaign};
use crate::org::{self, NewEnterprise, NewUser};
use crate::self_inspections::Edit;
use crate::{Store, StoreError, reports, self_inspections};

/// The demo accounts: username, display name, role. All share one demo password.
pub const ACCOUNTS: [(&str, &str, Role); 9] = [
    (
        "demo-office",
        "区安委办 王科长（演示）",
        Role::CommitteeOffice,
    ),
    ("demo-town", "东湖街道 李干事（演示）", Role::UnitOfficer),
    (
        "demo-dept",
        "区应急管理局 赵科员（演示）",
        Role::UnitOfficer,
    ),
    (
        "demo-enterprise",
        "企业安全管理员 陈工（演示）",
        Role::EnterpriseUser,
    ),
    (
        "demo-enterprise2",
        "企业安全管理员 刘工（演示）",
        Role::EnterpriseUser,
    ),
    ("demo-assessor", "考核巡查组 周组长（演示）", Role::Assessor),
    (
        "demo-sysadmin",
        "信息中心 孙工（系统管理员，演示）",
        Role::SystemAdmin,
    ),
    (
        "demo-secadmin",
        "信息中心 吴工（安全管理员，演示）",
        Role::SecurityAdmin,
    ),
    (
        "demo-auditadmin",
        "纪检组 郑工（审计管理员，演示）",
        Role::AuditAdmin,
    ),
];

/// The towns, subdistricts and zone of the demo district: code suffix, name, kind.
const TOWNS: [(&str, &str, &str); 5] = [
    ("001", "东湖街道", "subdistrict"),
    ("002", "南山镇", "town"),
    ("003", "西岭镇", "town"),
    ("004", "北港街道", "subdistrict"),
    ("005", "示例高新技术产业开发区", "zone"),
];

/// The eight key industries of the Qingxiu plan and the department supervising each by default.
pub const INDUSTRY_DEPARTMENTS: [(&str, &str); 8] = [
    ("非煤矿山", "区应急管理局"),
    ("危险化学品", "区应急管理局"),
    ("烟花爆竹", "区应急管理局"),
    ("城镇燃气", "区住房和城乡建设局"),
    ("建筑施工", "区住房和城乡建设局"),
    ("交通运输", "区交通运输局"),
    ("民用爆炸物品", "区公安分局"),
    ("工贸", "区应急管理局"),
];

const NAME_WORDS: [&str; 20] = [
    "恒远", "瑞丰", "宏达", "嘉禾", "鑫源", "永安", "华盛", "泰和", "金桥", "绿洲", "明辉", "东升",
    "海川", "汇通", "启航", "云帆", "锦程", "安澜", "兴业", "佳木",
];

/// A company-name suffix for the industry in position `k` of [`INDUSTRY_DEPARTMENTS`].
pub(crate) fn industry_suffix(k: usize) -> &'static str {
    [
        "矿业有限公司",
        "化工有限公司",
        "烟花爆竹经营部",
        "燃气有限公司",
        "建设工程有限公司",
        "运输有限公司",
        "爆破工程有限公司",
        "制造有限公司",
    ][k]
}

/// What an enterprise of each industry (in the order of [`INDUSTRY_DEPARTMENTS`]) writes on an
/// item it finds 不符合: invented, plausible for the industry, varied.
const NON_CONFORM_NOTES: [[&str; 3]; 8] = [
    [
        "采空区巡查记录缺少安全管理人员签字",
        "排土场边坡监测数据未按月汇总分析",
        "井下作业人员安全培训学时不足",
    ],
    [
        "重大危险源包保责任人履职记录不全",
        "动火作业票未见安全管理人员现场确认",
        "储罐区可燃气体报警器校验记录过期",
    ],
    [
        "仓库超量储存，未见安全管理人员检查记录",
        "防爆电气设施年度检测报告缺失",
        "从业人员岗前培训记录不全",
    ],
    [
        "入户安检记录未按规定留存",
        "调压站巡检记录存在漏检",
        "应急抢修演练未开展效果评估",
    ],
    [
        "专项施工方案交底记录缺少安全员签字",
        "深基坑监测日报未及时上报",
        "特种作业人员证书台账未更新",
    ],
    [
        "驾驶员动态监控记录未按日分析处理",
        "车辆例检记录存在补填",
        "安全例会记录内容过于简单",
    ],
    [
        "爆破器材领退台账与实际不符",
        "爆破作业人员安全教育记录不全",
        "警戒人员配置记录缺失",
    ],
    [
        "有限空间作业审批未见安全管理人员签字",
        "粉尘清扫记录未按班次填写",
        "设备检修挂牌上锁记录不全",
    ],
];

/// An invented person's name for the `i`-th enterprise: a surname and a given name, varied.
fn demo_person(i: usize) -> String {
    const SURNAMES: [&str; 12] = [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙",
    ];
    const GIVEN: [&str; 10] = [
        "建国", "海燕", "志强", "丽娟", "卫东", "秀英", "国庆", "晓明", "春梅", "立新",
    ];
    format!(
        "{}{}",
        SURNAMES[i % SURNAMES.len()],
        GIVEN[(i / SURNAMES.len()) % GIVEN.len()]
    )
}

/// A tiny deterministic generator (xorshift64*), so the demo is the same on every run.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// What [`seed`] created.
#[derive(Debug, Clone)]
pub struct Demo {
    /// The campaign.
    pub campaign: Campaign,
    /// Number of enterprises.
    pub enterprises: usize,
}

/// Number of demo enterprises.
pub const ENTERPRISES: usize = 300;

/// Fills an empty store with the demo: regions, units, enterprises, accounts (all with
/// `password_hash`), the campaign from `template`, and activity up to `today`: a share of the
/// enterprises has submitted its self-inspection (some with 不符合 items, opening findings, some
/// of them overdue by `today`), some have drafts, the rest have not started.
///
/// # Errors
/// [`StoreError::Conflict`] when the store is not empty; other store errors.
pub async fn seed(
    store: &Store,
    template: &CampaignTemplate,
    password_hash: &str,
    today: NaiveDate,
    calendar: &Calendar,
) -> Result<Demo, StoreError> {
    if !org::is_empty(store).await? {
        return Err(StoreError::Conflict("store is not empty".into()));
    }
    let who = Who::system();
    let mut tx = store.write().await?;
    let province = org::create_region(&mut tx, &who, None, "99", "示例省", "province").await?;
    let city = org::create_region(&mut tx, &who, Some(&province), "9901", "示例市", "city").await?;
    let district =
        org::create_region(&mut tx, &who, Some(&city), "990101", "示例区", "district").await?;
    org::create_unit(
        &mut tx,
        &who,
        UnitKind::CommitteeOffice,
        "示例区安全生产委员会办公室",
        district.id,
        None,
    )
    .await?;
    let mut departments = BTreeMap::new();
    for (industry, dept) in INDUSTRY_DEPARTMENTS {
        if !departments.contains_key(dept) {
            let u = org::create_unit(
                &mut tx,
                &who,
                UnitKind::IndustryDepartment,
                dept,
                district.id,
                Some(industry),
            )
            .await?;
            departments.insert(dept, u.id);
        }
    }
    let mut towns = Vec::new();
    for (suffix, name, kind) in TOWNS {
        let r = org::create_region(
            &mut tx,
            &who,
            Some(&district),
            &format!("990101{suffix}"),
            name,
            kind,
        )
        .await?;
        let u = org::create_unit(&mut tx, &who, UnitKind::Territorial, name, r.id, None).await?;
        towns.push((r, u));
    }
    // The plan's own names for the eight industries when it lists eight (规模以上（或限额以上）工贸
    // rather than 工贸), so that lists and the plan page agree.
    let industry_names: Vec<String> =
        if template.target_industries.len() == INDUSTRY_DEPARTMENTS.len() {
            template.target_industries.clone()
        } else {
            INDUSTRY_DEPARTMENTS
                .iter()
                .map(|(i, _)| (*i).to_string())
                .collect()
        };
    let mut rng = Rng(0x5afe_d07e_2024_0620);
    let mut enterprise_ids = Vec::with_capacity(ENTERPRISES);
    for i in 0..ENTERPRISES {
        let (town, _) = &towns[i % towns.len()];
        let k = (i / towns.len()) % INDUSTRY_DEPARTMENTS.len();
        let (industry, dept) = (industry_names[k].as_str(), INDUSTRY_DEPARTMENTS[k].1);
        let word = NAME_WORDS[i % NAME_WORDS.len()];
        let body = format!("91990101MA{:07}", 1_000_000 + i * 7919 % 8_999_999);
        let uscc = Uscc::with_check_char(&body).expect("demo code body is in the alphabet");
        // Two trade-name words, never a serial number: (word, i / 20) is unique for i < 400.
        let second =
            NAME_WORDS[(i / NAME_WORDS.len() + i % NAME_WORDS.len() + 1) % NAME_WORDS.len()];
        let name = format!(
            "示例{}{}{}{}",
            &town.name.chars().take(2).collect::<String>(),
            word,
            second,
            industry_suffix(k)
        );
        let e = NewEnterprise {
            uscc: uscc.to_string(),
            name,
            industry: industry.to_string(),
            region_id: town.id,
            supervising_unit_id: departments.get(dept).copied(),
            is_key: rng.below(5) == 0,
            address: format!("示例区{}示例路{}号", town.name, i + 1),
        };
        let (id, _) = org::create_enterprise(&mut tx, &who, &e).await?;
        enterprise_ids.push(id);
    }
    let year = template.plan.year().unwrap_or(2024);
    let campaign_name = format!(
        "{year}年{}",
        template.plan.title.trim_end_matches("工作方案")
    );
    let campaign =
        campaigns::create(&mut tx, &who, &campaign_name, year, district.id, template).await?;
    campaigns::enrol(&mut tx, &who, &campaign, &enterprise_ids).await?;
    // One account per role. demo-enterprise works for the first enterprise of 东湖街道,
    // demo-enterprise2 for the first of 南山镇.
    for (username, display, role) in ACCOUNTS {
        let (region_id, unit_id, enterprise_id) = match (role, username) {
            (
                Role::CommitteeOffice
                | Role::Assessor
                | Role::SystemAdmin
                | Role::SecurityAdmin
                | Role::AuditAdmin,
                _,
            ) => (Some(district.id), None, None),
            (Role::UnitOfficer, "demo-town") => (None, Some(towns[0].1.id), None),
            (Role::UnitOfficer, _) => (None, departments.get("区应急管理局").copied(), None),
            (Role::EnterpriseUser, "demo-enterprise") => (None, None, Some(enterprise_ids[0])),
            (Role::EnterpriseUser, _) => (None, None, Some(enterprise_ids[1])),
            // Guests are issued by an invitation to an acceptance, never listed here.
            (Role::Guest, _) => (None, None, None),
        };
        org::create_user(
            &mut tx,
            &who,
            &NewUser {
                username: username.into(),
                display_name: display.into(),
                password_hash: password_hash.into(),
                role,
                region_id,
                unit_id,
                enterprise_id,
                is_demo: true,
            },
        )
        .await?;
    }
    tx.commit().await?;
    // Every demo enterprise has its principal person (主要负责人), so that an overdue finding
    // escalates to someone (plan item 30).
    let who_demo = Who {
        user_id: None,
        role: Some("demo".into()),
        client_addr: None,
    };
    for (i, &id) in enterprise_ids.iter().enumerate() {
        let e = org::enterprise_by_id(store, id).await?;
        let profile = safeduty_core::personnel::Profile {
            principal: demo_person(i),
            institution: safeduty_core::personnel::Institution::Unknown,
            institution_name: String::new(),
        };
        crate::personnel::update_profile(store, &who_demo, id, &e.public_id, &profile).await?;
    }

    // Activity. The two demo enterprises are left not started, so a visitor can fill one in.
    let items = campaign.item_numbers();
    let self_inspection_start = template
        .phases
        .iter()
        .filter_map(|p| p.start)
        .filter(|s| *s <= today)
        .max()
        .unwrap_or(today);
    let span = (today - self_inspection_start).num_days().max(1) as u64;
    for (i, &id) in enterprise_ids.iter().enumerate().skip(2) {
        let roll = rng.below(100);
        if roll >= 65 {
            continue; // not started
        }
        let mut answers = BTreeMap::new();
        for &n in &items {
            let r = rng.below(100);
            let a = if r < 8 {
                let notes = NON_CONFORM_NOTES[(i / TOWNS.len()) % INDUSTRY_DEPARTMENTS.len()];
                ItemAnswer {
                    answer: Some(Answer::NonConform),
                    note: notes[(n as usize + i) % notes.len()].into(),
                }
            } else if r < 12 {
                ItemAnswer {
                    answer: Some(Answer::NotApplicable),
                    note: String::new(),
                }
            } else {
                ItemAnswer {
                    answer: Some(Answer::Conform),
                    note: String::new(),
                }
            };
            answers.insert(n, a);
        }
        let who = Who {
            user_id: None,
            role: Some("demo".into()),
            client_addr: None,
        };
        if roll < 45 {
            let on = self_inspection_start
                .checked_add_days(Days::new(rng.below(span)))
                .unwrap_or(today);
            self_inspections::submit(store, &who, Edit::new(&campaign, id, answers), on, calendar)
                .await?;
        } else {
            // A draft: the first half of the items answered.
            let half: BTreeMap<u32, ItemAnswer> =
                answers.into_iter().take(items.len() / 2 + i % 3).collect();
            self_inspections::save_draft(store, &who, Edit::new(&campaign, id, half)).await?;
        }
    }
    crate::findings::demo::seed(store, &campaign, enterprise_ids[0], today).await?;
    // Reports of the units: of those already due, some on time, some late, some not submitted;
    // of the next one not yet due, the last unit has handed in early where the report is open.
    let mut unit_ids: Vec<i64> = towns.iter().map(|(_, u)| u.id).collect();
    unit_ids.extend(departments.values().copied());
    let who = Who {
        user_id: None,
        role: Some("demo".into()),
        client_addr: None,
    };
    let next_due = reports_due(template, year, calendar)
        .into_iter()
        .map(|r| r.due.date)
        .find(|d| *d >= today);
    for report in reports_due(template, year, calendar) {
        let due = report.due.date;
        for (i, &unit) in unit_ids.iter().enumerate() {
            let on = if due < today {
                match i % 4 {
                    0 | 1 => due.checked_sub_days(Days::new(1 + i as u64 % 3)),
                    2 => Some(calendar.add_working_days(due, 1 + i as u32 % 5).date),
                    _ => None,
                }
            } else if Some(due) == next_due && i == unit_ids.len() - 1 {
                today.pred_opt()
            } else {
                None
            };
            // A report on a phase or a year is handed in once it is over (`check_open`).
            if let Some(on) = on.filter(|on| *on < today && report.check_open(*on).is_ok()) {
                reports::submit(store, &who, campaign.id, unit, &report.key, on, "", None).await?;
            }
        }
    }
    crate::unit_measures::seed_demo(store, campaign.id, &unit_ids, today).await?;
    crate::unit_matters::seed_demo(store, campaign.id, &unit_ids, today).await?;
    crate::commitments::demo::seed(store, &campaign, today).await?;
    crate::records::demo::seed(store, today).await?;
    crate::enforcement::demo::seed(
        store,
        &campaign,
        district.id,
        (towns[0].1.id, departments["区应急管理局"]),
        &enterprise_ids,
        password_hash,
        today,
        calendar,
    )
    .await?;
    Ok(Demo {
        campaign,
        enterprises: ENTERPRISES,
    })
}
