//! The enforcement phase of the demo (issue #12 point 12): when the demo's day lies in or after
//! the campaign's enforcement phase (严格执法), certified officer pairs for 东湖街道 and the
//! 区应急管理局, the district's enforcement settings, and inspections whose orders stand in every
//! state — issued, completion reported, extension requested, re-inspected corrected, re-inspected
//! not corrected (and referred), re-inspection overdue — and on-site measures in force; both
//! units' inspection plans drawn on the phase's first day, the inspections fulfilling their
//! targets; the department's penalty cases ([`cases`]). A step dated after the demo's day is
//! left out, so the demo shows what would have happened by then.

mod acceptance;
mod cases;

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use safeduty_core::calendar::Calendar;
use safeduty_core::enforcement::draw::Share;
use safeduty_core::enforcement::order::{re_inspection_due, time_limit};
use safeduty_core::enforcement::plan::DrawSize;
use safeduty_core::enforcement::rules::Rules;
use safeduty_core::finding::ledger::{Category, Grade, Source};
use safeduty_core::policy::Role;

use super::OfficerOnDuty;
use super::authority::{self, CertificateRow, Settings};
use super::inspections::{self, ItemRow, NewInspection};
use super::measures::{self, NewMeasures};
use super::orders::{self, NewOrder, NewReInspection};
use super::plans;
use crate::audit::Who;
use crate::campaigns::Campaign;
use crate::findings::NewFindingRow;
use crate::org::{self, NewUser};
use crate::{Store, StoreError};

/// What happens to a demo inspection's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Story {
    /// Everything conforms: no order.
    AllConform,
    /// Order issued, nothing since.
    Issued,
    /// The enterprise reported completion.
    Reported,
    /// The enterprise asked for more time.
    ExtensionAsked,
    /// Re-inspected, corrected.
    Corrected,
    /// Re-inspected, not corrected: referred for a case.
    NotCorrected,
    /// The re-inspection is overdue.
    Overdue,
}

/// (days after the phase's start, enterprise index, story) of 东湖街道's inspections. Index 0 is
/// the demo enterprise's own, so its user sees an order to answer.
const TOWN: [(u64, usize, Story); 7] = [
    (3, 5, Story::AllConform),
    (5, 10, Story::Corrected),
    (7, 15, Story::NotCorrected),
    (8, 20, Story::Overdue),
    (58, 25, Story::Reported),
    (55, 30, Story::ExtensionAsked),
    (60, 0, Story::Issued),
];

fn who() -> Who {
    Who {
        user_id: None,
        role: Some("demo".into()),
        client_addr: None,
    }
}

/// Seeds the enforcement phase up to `today` (nothing before the phase starts).
///
/// `units` are 东湖街道's and the 区应急管理局's ids; `enterprise_ids` the demo's enterprises in
/// creation order (index `i` lies in town `i % 5`; indices 0–4 are supervised by the
/// 区应急管理局); `password_hash` the demo password's, for the second officer of each unit.
///
/// # Errors
/// Store errors.
#[allow(clippy::too_many_arguments)]
pub async fn seed(
    store: &Store,
    campaign: &Campaign,
    district_id: i64,
    units: (i64, i64),
    enterprise_ids: &[i64],
    password_hash: &str,
    today: NaiveDate,
    calendar: &Calendar,
) -> Result<(), StoreError> {
    let Some(phase) = campaign
        .template
        .phases
        .iter()
        .find(|p| p.name.contains("执法"))
    else {
        return Ok(());
    };
    let Some(start) = phase.start else {
        return Ok(());
    };
    let end = phase.end.unwrap_or(start + Days::new(122));
    if today < start {
        return Ok(());
    }
    let Ok(rules) = Rules::shipped().at(start) else {
        return Ok(());
    };
    let w = who();
    authority::set_settings(
        store,
        &w,
        &Settings {
            region_id: district_id,
            region_short: "示".into(),
            kind_words: safeduty_core::enforcement::numbering::NumberingWords::shipped_defaults()
                .kind_words
                .iter()
                .map(|(k, v)| (k.code().to_string(), v.clone()))
                .collect(),
            reconsideration_body: "示例区人民政府".into(),
            court: "示例区人民法院".into(),
            yearly_cap: rules
                .inspection_cap_per_year
                .as_ref()
                .map_or(2, |c| c.value),
            hearing_threshold_person: None,
            hearing_threshold_unit: None,
        },
    )
    .await?;
    let town = officers(
        store,
        units.0,
        "demo-town",
        "东湖街道 马干事（演示）",
        password_hash,
        1,
    )
    .await?;
    let dept = officers(
        store,
        units.1,
        "demo-dept",
        "区应急管理局 钱科员（演示）",
        password_hash,
        2,
    )
    .await?;
    // Each unit's plan, drawn on the phase's first day (a demo seed, not a real lottery result):
    // enterprise → the target an inspection of it fulfils.
    let mut targets: BTreeMap<(i64, i64), i64> = BTreeMap::new();
    for (unit_id, per_cent) in [(units.0, 70), (units.1, 50)] {
        let plan_id = plans::seed_demo(
            store,
            &w,
            campaign,
            unit_id,
            (start, end),
            DrawSize::Share(Share::Percent(per_cent)),
            &format!("{start} 演示用随机种子（非真实开奖号码）"),
        )
        .await?;
        for t in plans::targets(store, plan_id).await? {
            targets.insert((unit_id, t.enterprise_id), t.id);
        }
    }
    let items = campaign.item_numbers();
    for (offset, index, story) in TOWN {
        let on = start + Days::new(offset);
        if on > today {
            continue;
        }
        let Some(&enterprise_id) = enterprise_ids.get(index) else {
            continue;
        };
        let nonconform: &[u32] = if story == Story::AllConform {
            &[]
        } else {
            &[3, 17]
        };
        let rec = inspect(
            store,
            campaign,
            units.0,
            enterprise_id,
            on,
            &town,
            &items,
            nonconform,
            calendar,
            Links {
                plan_target_id: targets.get(&(units.0, enterprise_id)).copied(),
                ..Links::default()
            },
        )
        .await?;
        if story == Story::AllConform {
            continue;
        }
        let i = inspections::get(store, &rec).await?;
        let mut finding_ids = Vec::new();
        for it in &i.items {
            if let Some(f) = &it.finding_public_id {
                finding_ids.push(crate::findings::get(store, f).await?.id);
            }
        }
        let due = time_limit(calendar, on, 15).map_err(StoreError::Refused)?;
        let re_due = |due: NaiveDate, reported: Option<NaiveDate>| {
            re_inspection_due(due, reported, rules.re_inspection_within.value, calendar).date
        };
        let order_id = orders::issue(
            store,
            &w,
            &NewOrder {
                inspection_id: i.summary.id,
                unit_id: units.0,
                enterprise_id,
                issued_on: on,
                due_on: due.date,
                due_provisional: due.provisional,
                working_days: Some(15),
                finding_ids: finding_ids.clone(),
                re_inspection_due_on: re_due(due.date, None),
            },
        )
        .await?;
        let order = || orders::get(store, &order_id);
        match story {
            Story::AllConform | Story::Issued | Story::Overdue => {}
            Story::Reported | Story::Corrected => {
                let reported = on + Days::new(7);
                if reported <= today {
                    orders::report_completion(
                        store,
                        &w,
                        &order().await?,
                        reported,
                        "已按指令完成整改，请复查（演示数据）",
                        re_due(due.date, Some(reported)),
                    )
                    .await?;
                }
                let checked = reported + Days::new(5);
                if story == Story::Corrected && checked <= today {
                    re_inspect(store, &order().await?, &town, checked, &finding_ids, true).await?;
                }
            }
            Story::ExtensionAsked => {
                let asked = on + Days::new(10);
                if asked <= today {
                    orders::request_extension(
                        store,
                        &w,
                        &order().await?,
                        asked,
                        due.date + Days::new(15),
                        "整改所需设备尚未到货（演示数据）",
                    )
                    .await?;
                }
            }
            Story::NotCorrected => {
                let checked = due.date + Days::new(3);
                if checked <= today {
                    re_inspect(store, &order().await?, &town, checked, &finding_ids, false).await?;
                }
            }
        }
    }
    // The department's inspection with on-site measures in force.
    let on = start + Days::new(20);
    let mut dept_inspection = None;
    if on <= today
        && let Some(&enterprise_id) = enterprise_ids.get(1)
    {
        let rec = inspect(
            store,
            campaign,
            units.1,
            enterprise_id,
            on,
            &dept,
            &items,
            &[12],
            calendar,
            Links {
                plan_target_id: targets.get(&(units.1, enterprise_id)).copied(),
                ..Links::default()
            },
        )
        .await?;
        let i = inspections::get(store, &rec).await?;
        dept_inspection = Some(i.summary.id);
        measures::decide(
            store,
            &w,
            &NewMeasures {
                inspection_id: i.summary.id,
                unit_id: units.1,
                enterprise_id,
                kind: "suspend_work".into(),
                reason: "有限空间作业未落实审批和监护措施（演示数据）".into(),
                description: "有限空间相关作业暂时停止，整改完成经复查后恢复".into(),
                decided_on: on,
                starts_on: on,
                until_on: on + Days::new(60),
            },
        )
        .await?;
    }
    cases::seed(
        store,
        &w,
        &cases::Handling {
            unit_id: units.1,
            officers: &dept,
            inspection_id: dept_inspection,
        },
        enterprise_ids,
        start,
        today,
        calendar,
    )
    .await?;
    acceptance::seed(
        store,
        campaign,
        (units.0, &town),
        enterprise_ids,
        password_hash,
        today,
        calendar,
    )
    .await
}

/// The unit's demo officer (`username`) and a second one, both with certificates valid through
/// the campaign year.
async fn officers(
    store: &Store,
    unit_id: i64,
    username: &str,
    second_name: &str,
    password_hash: &str,
    k: u32,
) -> Result<Vec<OfficerOnDuty>, StoreError> {
    let first = org::user_by_username(store, username).await?;
    let mut tx = store.write().await?;
    let second = org::create_user(
        &mut tx,
        &Who::system(),
        &NewUser {
            username: format!("{username}-2"),
            display_name: second_name.into(),
            password_hash: password_hash.into(),
            role: Role::UnitOfficer,
            region_id: None,
            unit_id: Some(unit_id),
            enterprise_id: None,
            is_demo: true,
        },
    )
    .await?;
    tx.commit().await?;
    let mut out = Vec::new();
    for (n, (user_id, name)) in [
        (first.id, first.display_name),
        (second, second_name.to_string()),
    ]
    .into_iter()
    .enumerate()
    {
        let cert = CertificateRow {
            number: format!("99010120{k}{n:02}"),
            valid_from: NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default(),
            valid_until: NaiveDate::from_ymd_opt(2027, 12, 31).unwrap_or_default(),
        };
        authority::set_certificate(store, &Who::system(), user_id, &cert).await?;
        out.push(OfficerOnDuty {
            user_id,
            name,
            certificate_number: cert.number,
        });
    }
    Ok(out)
}

/// What a demo inspection fulfils: a plan's target, an acceptance (its findings then carry the
/// source 验收, its guests go on the record).
#[derive(Debug, Clone, Default)]
struct Links {
    plan_target_id: Option<i64>,
    acceptance_id: Option<i64>,
    guests: Vec<inspections::GuestRow>,
}

#[allow(clippy::too_many_arguments)]
async fn inspect(
    store: &Store,
    campaign: &Campaign,
    unit_id: i64,
    enterprise_id: i64,
    on: NaiveDate,
    officers: &[OfficerOnDuty],
    items: &[u32],
    nonconform: &[u32],
    calendar: &Calendar,
    links: Links,
) -> Result<String, StoreError> {
    let days = campaign.template.settings.finding_time_limit_working_days;
    let due = calendar.add_working_days(on, days);
    let note = |n: u32| format!("现场检查发现第{n}项相关记录缺失（演示数据）");
    let new = NewInspection {
        campaign_id: campaign.id,
        unit_id,
        enterprise_id,
        inspected_on: on,
        start_time: "09:30".into(),
        end_time: "11:00".into(),
        place: "生产现场及安全管理办公室".into(),
        person_present: "企业安全管理人员（演示）".into(),
        person_present_title: "安全管理人员".into(),
        notice: "unannounced".into(),
        cap_exception: None,
        plan_target_id: links.plan_target_id,
        acceptance_id: links.acceptance_id,
        summary: "对照专项治理检查项逐项检查（演示数据）".into(),
        officers: officers.to_vec(),
        guests: links.guests,
        items: items
            .iter()
            .map(|&n| ItemRow {
                item_number: n,
                answer: if nonconform.contains(&n) {
                    "non_conform"
                } else {
                    "conform"
                }
                .into(),
                note: if nonconform.contains(&n) {
                    note(n)
                } else {
                    String::new()
                },
                violation_codes: Vec::new(),
                finding_public_id: None,
            })
            .collect(),
        violations: Vec::new(),
        findings: nonconform
            .iter()
            .filter(|n| items.contains(n))
            .map(|&n| NewFindingRow {
                campaign_id: campaign.id,
                enterprise_id,
                source: if links.acceptance_id.is_some() {
                    Source::Acceptance
                } else {
                    Source::Enforcement
                },
                self_inspection_id: None,
                item_number: Some(n),
                category: Category::Problem,
                grade: Grade::General,
                location: "生产现场".into(),
                description: note(n),
                opened_on: on,
                due_on: due.date,
                time_limit_working_days: Some(days),
                open_token: None,
            })
            .collect(),
        request_token: None,
    };
    Ok(inspections::record(store, &who(), new, |_| Ok(()))
        .await?
        .public_id)
}

async fn re_inspect(
    store: &Store,
    order: &orders::Order,
    officers: &[OfficerOnDuty],
    on: NaiveDate,
    finding_ids: &[i64],
    corrected: bool,
) -> Result<(), StoreError> {
    orders::record_re_inspection(
        store,
        &who(),
        order,
        &NewReInspection {
            inspected_on: on,
            opinion: if corrected {
                "经复查，指令书所列问题已整改完毕（演示数据）".into()
            } else {
                "经复查，部分问题逾期未整改（演示数据）".into()
            },
            officers: officers.to_vec(),
            results: finding_ids
                .iter()
                .enumerate()
                .map(|(k, &f)| {
                    let ok = corrected || k > 0;
                    (
                        f,
                        ok,
                        if ok {
                            "已整改".into()
                        } else {
                            "未整改，相关记录仍缺失".into()
                        },
                    )
                })
                .collect(),
            referral_reason: (!corrected).then(|| "复查发现逾期未整改，移交立案查处".to_string()),
        },
    )
    .await?;
    Ok(())
}
