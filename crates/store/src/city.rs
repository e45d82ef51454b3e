//! A city-scale store for measuring (issue 19 point 1): N enterprises (default 50 000) over a
//! city of districts and towns, the eight industries, valid credit codes, one account per unit
//! and per enterprise, one city campaign, self-inspections in every state and the findings they
//! open, some of them moved on (plan accepted, being rectified, extension asked).
//!
//! Everything goes through the same store functions as the application (each write with its
//! audit record), so the store it builds is one the server can serve and `audit verify` accepts.
//! Every name is invented and every code synthetic; the same N gives the same store.
//!
//! Shape: ⌈N / 5 000⌉ districts (at most [`DISTRICT_NAMES`]), 10 towns each, per district a
//! committee office, the departments of [`demo::INDUSTRY_DEPARTMENTS`] and a territorial unit per
//! town. Accounts: `city-office` (the city's committee office), `dNN-office`, `dNN-tMM` (a town's
//! officer), `dNN-dept1…` (a department's officer), and each enterprise's account named by its code
//! in lower case ([`safeduty_core::accounts::username_for`]), all with the one `password_hash`.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use futures::{StreamExt, TryStreamExt};
use safeduty_core::calendar::Calendar;
use safeduty_core::finding::lifecycle::Request;
use safeduty_core::policy::{Role, UnitKind};
use safeduty_core::self_inspection::{Answer, ItemAnswer};
use safeduty_core::template::CampaignTemplate;
use safeduty_core::uscc::Uscc;

use crate::audit::Who;
use crate::campaigns::{self, Campaign};
use crate::demo::{self, INDUSTRY_DEPARTMENTS, Rng};
use crate::org::{self, NewEnterprise, NewUser};
use crate::self_inspections::Edit;
use crate::{Store, StoreError, self_inspections};

/// The districts' names, in order; a city has at most this many.
pub const DISTRICT_NAMES: [&str; 12] = [
    "东城区",
    "西城区",
    "南湖区",
    "北岭区",
    "滨江区",
    "青山区",
    "白云区",
    "金沙区",
    "玉泉区",
    "松涛区",
    "临港区",
    "高新区",
];

/// Town words; a district's towns take ten of them, each with 镇 or 街道.
const TOWN_WORDS: [&str; 20] = [
    "桃源", "清溪", "石门", "柳塘", "凤凰", "双桥", "龙泉", "杏林", "望江", "梅岭", "新村", "长乐",
    "平安", "金湾", "银杏", "荷塘", "古城", "沙坪", "枫林", "黄埔",
];

/// Trade-name words: two of them make an enterprise's trade name.
const TRADE_WORDS: [&str; 40] = [
    "恒远", "瑞丰", "宏达", "嘉禾", "鑫源", "永安", "华盛", "泰和", "金桥", "绿洲", "明辉", "东升",
    "海川", "汇通", "启航", "云帆", "锦程", "安澜", "兴业", "佳木", "德隆", "润泽", "众诚", "博远",
    "凯旋", "天成", "盛世", "富源", "丰泽", "长青", "中立", "广信", "同创", "正和", "弘毅", "新元",
    "晨光", "立信", "百川", "鼎盛",
];

/// Enterprises per district when sizing the city.
const PER_DISTRICT: usize = 5_000;

/// Towns per district.
const TOWNS_PER_DISTRICT: usize = 10;

/// The most enterprises one district can hold with distinct names (trade-name pairs × industries).
const NAMES_PER_DISTRICT: usize = TRADE_WORDS.len() * TRADE_WORDS.len() * 8;

/// The largest N [`generate`] accepts.
pub const MAX_ENTERPRISES: usize = DISTRICT_NAMES.len() * NAMES_PER_DISTRICT;

/// Rows written per transaction when creating enterprises and accounts.
const CHUNK: usize = 2_000;

/// What [`generate`] is doing, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Regions, units and enterprises.
    Enterprises,
    /// Accounts.
    Accounts,
    /// Self-inspections saved or submitted (findings opened on submission).
    SelfInspections,
    /// Findings moved on from 待整改.
    Findings,
}

impl Stage {
    /// The stage in a few words (English: a terminal's progress line).
    pub fn label(self) -> &'static str {
        match self {
            Stage::Enterprises => "enterprises",
            Stage::Accounts => "accounts",
            Stage::SelfInspections => "self-inspections",
            Stage::Findings => "findings",
        }
    }
}

/// What [`generate`] built.
#[derive(Debug, Clone)]
pub struct City {
    /// The city campaign.
    pub campaign: Campaign,
    /// Districts.
    pub districts: usize,
    /// Enterprises.
    pub enterprises: usize,
    /// Accounts created (units and enterprises).
    pub accounts: usize,
    /// Self-inspections submitted.
    pub submitted: usize,
    /// Self-inspections saved as drafts.
    pub drafts: usize,
    /// Findings opened.
    pub findings: usize,
}

/// How large a city [`generate`] builds, and how.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    /// Enterprises, 1 to [`MAX_ENTERPRISES`].
    pub enterprises: usize,
    /// The day the activity runs up to.
    pub today: NaiveDate,
    /// Self-inspections and findings written this many at a time (PostgreSQL writes them in
    /// parallel; SQLite queues them on its one writer).
    pub concurrency: usize,
}

/// Builds the city in an empty store: `size.enterprises` enterprises, the campaign from
/// `template` and activity up to `size.today` (self-inspections submitted on days between the
/// phase's start and that day). `progress(stage, done, total)` is called as work proceeds.
///
/// # Errors
/// [`StoreError::Conflict`] when the store is not empty or `enterprises` is 0 or above
/// [`MAX_ENTERPRISES`]; other store errors.
pub async fn generate(
    store: &Store,
    template: &CampaignTemplate,
    password_hash: &str,
    calendar: &Calendar,
    size: Size,
    progress: &(dyn Fn(Stage, usize, usize) + Sync),
) -> Result<City, StoreError> {
    let Size {
        enterprises,
        today,
        concurrency,
    } = size;
    if enterprises == 0 || enterprises > MAX_ENTERPRISES {
        return Err(StoreError::Conflict(format!(
            "enterprises must be 1 to {MAX_ENTERPRISES}, not {enterprises}"
        )));
    }
    if !org::is_empty(store).await? {
        return Err(StoreError::Conflict("store is not empty".into()));
    }
    let who = Who::system();
    let districts = enterprises.div_ceil(PER_DISTRICT).clamp(
        enterprises.div_ceil(NAMES_PER_DISTRICT),
        DISTRICT_NAMES.len(),
    );
    let mut tx = store.write().await?;
    let province = org::create_region(&mut tx, &who, None, "98", "示例省", "province").await?;
    let city = org::create_region(&mut tx, &who, Some(&province), "9801", "示例市", "city").await?;
    org::create_unit(
        &mut tx,
        &who,
        UnitKind::CommitteeOffice,
        "示例市安全生产委员会办公室",
        city.id,
        None,
    )
    .await?;
    let mut users: Vec<NewUser> = vec![unit_user(
        "city-office",
        "示例市安委办（演示）",
        Role::CommitteeOffice,
        Some(city.id),
        None,
    )];
    // Per district: its region, its towns' (region, unit) and its departments by name.
    let mut plan = Vec::with_capacity(districts);
    for (d, district_name) in DISTRICT_NAMES.iter().enumerate().take(districts) {
        let code = format!("9801{:02}", d + 1);
        let district =
            org::create_region(&mut tx, &who, Some(&city), &code, district_name, "district")
                .await?;
        let office = format!("{district_name}安全生产委员会办公室");
        org::create_unit(
            &mut tx,
            &who,
            UnitKind::CommitteeOffice,
            &office,
            district.id,
            None,
        )
        .await?;
        let tag = format!("d{:02}", d + 1);
        users.push(unit_user(
            &format!("{tag}-office"),
            &format!("{district_name}安委办（演示）"),
            Role::CommitteeOffice,
            Some(district.id),
            None,
        ));
        let mut departments = BTreeMap::new();
        for (industry, dept) in INDUSTRY_DEPARTMENTS {
            if departments.contains_key(dept) {
                continue;
            }
            let name = dept.replacen('区', district_name, 1);
            let u = org::create_unit(
                &mut tx,
                &who,
                UnitKind::IndustryDepartment,
                &name,
                district.id,
                Some(industry),
            )
            .await?;
            users.push(unit_user(
                &format!("{tag}-dept{}", departments.len() + 1),
                &format!("{name}（演示）"),
                Role::UnitOfficer,
                None,
                Some(u.id),
            ));
            departments.insert(dept, u.id);
        }
        let mut towns = Vec::with_capacity(TOWNS_PER_DISTRICT);
        for t in 0..TOWNS_PER_DISTRICT {
            let word = TOWN_WORDS[(d * 3 + t) % TOWN_WORDS.len()];
            let (suffix, kind) = if t % 3 == 0 {
                ("街道", "subdistrict")
            } else {
                ("镇", "town")
            };
            let name = format!("{word}{suffix}");
            let r = org::create_region(
                &mut tx,
                &who,
                Some(&district),
                &format!("{code}{:03}", t + 1),
                &name,
                kind,
            )
            .await?;
            let u =
                org::create_unit(&mut tx, &who, UnitKind::Territorial, &name, r.id, None).await?;
            users.push(unit_user(
                &format!("{tag}-t{:02}", t + 1),
                &format!("{district_name}{name}（演示）"),
                Role::UnitOfficer,
                None,
                Some(u.id),
            ));
            towns.push((r, u.id));
        }
        plan.push((district, towns, departments));
    }
    tx.commit().await?;

    let industries: Vec<String> = if template.target_industries.len() == INDUSTRY_DEPARTMENTS.len()
    {
        template.target_industries.clone()
    } else {
        INDUSTRY_DEPARTMENTS
            .iter()
            .map(|(i, _)| (*i).to_string())
            .collect()
    };
    let mut rng = Rng(0x0c17_5ca1_e019_2024);
    let mut enterprise_ids = Vec::with_capacity(enterprises);
    let mut enterprise_users = Vec::with_capacity(enterprises);
    for start in (0..enterprises).step_by(CHUNK) {
        let mut tx = store.write().await?;
        for i in start..(start + CHUNK).min(enterprises) {
            let (district, towns, departments) = &plan[i % districts];
            let j = i / districts;
            let (town, _) = &towns[j % TOWNS_PER_DISTRICT];
            let k = j % INDUSTRY_DEPARTMENTS.len();
            let m = j / INDUSTRY_DEPARTMENTS.len();
            let w1 = m % TRADE_WORDS.len();
            let w2 = (m / TRADE_WORDS.len() + w1 + 1) % TRADE_WORDS.len();
            let body = format!("91{}{:09}", district.code, j);
            let uscc = Uscc::with_check_char(&body).expect("digits are in the code's alphabet");
            let name = format!(
                "{}{}{}{}",
                district.name.trim_end_matches('区'),
                TRADE_WORDS[w1],
                TRADE_WORDS[w2],
                demo::industry_suffix(k)
            );
            let e = NewEnterprise {
                uscc: uscc.to_string(),
                name,
                industry: industries[k].clone(),
                region_id: town.id,
                supervising_unit_id: departments.get(INDUSTRY_DEPARTMENTS[k].1).copied(),
                is_key: rng.below(8) == 0,
                address: format!(
                    "示例市{}{}{}路{}号",
                    district.name,
                    town.name,
                    TRADE_WORDS[w2],
                    1 + j % 300
                ),
            };
            let (id, _) = org::create_enterprise(&mut tx, &who, &e).await?;
            enterprise_ids.push(id);
            enterprise_users.push(NewUser {
                username: safeduty_core::accounts::username_for(&uscc),
                display_name: format!("{}安全管理员（演示）", e.name),
                password_hash: password_hash.into(),
                role: Role::EnterpriseUser,
                region_id: None,
                unit_id: None,
                enterprise_id: Some(id),
                is_demo: true,
            });
        }
        tx.commit().await?;
        progress(Stage::Enterprises, enterprise_ids.len(), enterprises);
    }
    let year = template.plan.year().unwrap_or(2024);
    let campaign_name = format!(
        "{year}年示例市{}",
        template.plan.title.trim_end_matches("工作方案")
    );
    let mut tx = store.write().await?;
    let campaign =
        campaigns::create(&mut tx, &who, &campaign_name, year, city.id, template).await?;
    campaigns::enrol(&mut tx, &who, &campaign, &enterprise_ids).await?;
    tx.commit().await?;

    for u in &mut users {
        u.password_hash = password_hash.into();
    }
    users.extend(enterprise_users);
    let accounts = users.len();
    for (n, chunk) in users.chunks(CHUNK).enumerate() {
        let mut tx = store.write().await?;
        for u in chunk {
            org::create_user(&mut tx, &who, u).await?;
        }
        tx.commit().await?;
        progress(
            Stage::Accounts,
            (n * CHUNK + chunk.len()).min(accounts),
            accounts,
        );
    }

    // Self-inspections: 45 % submitted, 20 % drafts, the rest not started.
    let items = campaign.item_numbers();
    let start = template
        .phases
        .iter()
        .filter_map(|p| p.start)
        .filter(|s| *s <= today)
        .max()
        .unwrap_or(today);
    let span = (today - start).num_days().max(1) as u64;
    let mut work = Vec::new();
    for &id in &enterprise_ids {
        let roll = rng.below(100);
        if roll >= 65 {
            continue;
        }
        let mut answers = BTreeMap::new();
        for &n in &items {
            let r = rng.below(100);
            let (answer, note) = match r {
                0..6 => (
                    Answer::NonConform,
                    NOTES[rng.below(NOTES.len() as u64) as usize],
                ),
                6..10 => (Answer::NotApplicable, ""),
                _ => (Answer::Conform, ""),
            };
            answers.insert(
                n,
                ItemAnswer {
                    answer: Some(answer),
                    note: note.into(),
                },
            );
        }
        if roll < 45 {
            let on = start
                .checked_add_days(Days::new(rng.below(span)))
                .unwrap_or(today);
            work.push((id, answers, Some(on)));
        } else {
            let keep = items.len() / 2 + (id as usize) % 5;
            work.push((id, answers.into_iter().take(keep).collect(), None));
        }
    }
    let total = work.len();
    let submitted = work.iter().filter(|w| w.2.is_some()).count();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let actor = Who {
        user_id: None,
        role: Some(Role::EnterpriseUser.code().into()),
        client_addr: None,
    };
    futures::stream::iter(work)
        .map(|(id, answers, on)| {
            let (campaign, actor, done) = (&campaign, &actor, &done);
            async move {
                let edit = Edit::new(campaign, id, answers);
                match on {
                    Some(on) => {
                        self_inspections::submit(store, actor, edit, on, calendar).await?;
                    }
                    None => {
                        self_inspections::save_draft(store, actor, edit).await?;
                    }
                }
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                if n % 500 == 0 || n == total {
                    progress(Stage::SelfInspections, n, total);
                }
                Ok::<_, StoreError>(())
            }
        })
        .buffer_unordered(concurrency.max(1))
        .try_collect::<Vec<()>>()
        .await?;

    // Findings: of those opened, a third stay 待整改; the others get a plan accepted, then half
    // of those start rectifying, and one in six of those asks for a later time limit.
    let opened: Vec<(String, NaiveDate, i64)> = sqlx::query_as::<_, (String, String, i64)>(
        "SELECT public_id, due_on, version FROM findings WHERE campaign_id = $1 ORDER BY id",
    )
    .bind(campaign.id)
    .fetch_all(store.reader())
    .await?
    .into_iter()
    .filter_map(|(p, d, v)| Some((p, d.parse().ok()?, v)))
    .collect();
    let findings = opened.len();
    let moved: Vec<(usize, (String, NaiveDate, i64))> = opened
        .into_iter()
        .enumerate()
        .filter(|(n, _)| n % 3 != 0)
        .collect();
    let moving = moved.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    futures::stream::iter(moved)
        .map(|(n, (public_id, due_on, version))| {
            let (actor, done) = (&actor, &done);
            async move {
                let on = today.pred_opt().unwrap_or(today);
                let step = |request, version| {
                    crate::findings::flow::apply(
                        store,
                        actor,
                        Role::EnterpriseUser,
                        &public_id,
                        request,
                        version,
                        None,
                        on,
                    )
                };
                let plan = safeduty_core::finding::ledger::FiveImplementations {
                    responsible: "安全管理员".into(),
                    measures: "补齐记录，组织复训，明确专人负责。".into(),
                    funds_fen: Some(200_000),
                    time_limit: Some(due_on),
                    contingency_plan: "发生险情立即停止作业，撤离人员并报告。".into(),
                };
                step(Request::AcceptPlan(plan), version).await?;
                if n % 2 == 0 {
                    step(Request::StartRectifying, version + 1).await?;
                    if n % 12 == 2 {
                        step(
                            Request::RequestExtension {
                                due_on: due_on + chrono::Duration::days(10),
                                reason: "需采购设备，供货周期较长".into(),
                            },
                            version + 2,
                        )
                        .await?;
                    }
                }
                let k = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                if k % 500 == 0 || k == moving {
                    progress(Stage::Findings, k, moving);
                }
                Ok::<_, StoreError>(())
            }
        })
        .buffer_unordered(concurrency.max(1))
        .try_collect::<Vec<()>>()
        .await?;

    store.analyze().await?;
    Ok(City {
        campaign,
        districts,
        enterprises,
        accounts,
        submitted,
        drafts: total - submitted,
        findings,
    })
}

/// The notes enterprises type on an item they find 不符合 (invented, varied).
const NOTES: [&str; 8] = [
    "安全生产管理人员未按规定参加年度再培训，证书即将到期",
    "隐患排查记录缺少整改复查签字",
    "应急预案演练记录不完整，未见评估报告",
    "特种作业人员台账未及时更新",
    "安全生产教育培训档案缺少考核记录",
    "危险作业审批单填写不规范",
    "劳动防护用品发放记录不全",
    "安全检查发现问题未建立整改台账",
];

fn unit_user(
    username: &str,
    display: &str,
    role: Role,
    region_id: Option<i64>,
    unit_id: Option<i64>,
) -> NewUser {
    NewUser {
        username: username.into(),
        display_name: display.into(),
        password_hash: String::new(),
        role,
        region_id,
        unit_id,
        enterprise_id: None,
        is_demo: true,
    }
}
