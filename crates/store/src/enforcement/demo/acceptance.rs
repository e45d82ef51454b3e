//! The demo's acceptance inspections (issue #14 point 9), in the consolidation phase, all of
//! 东湖街道's enterprises: one closed (验收合格) whose expert and journalist lost access with it;
//! one underway whose expert is the demo account `demo-guest` (it reads and comments on that
//! acceptance only); one commissioned to a third party whose assessment awaits its adoption.
//! A step dated after the demo's day is left out.

use chrono::NaiveDate;
use safeduty_core::calendar::Calendar;
use safeduty_core::enforcement::acceptance::{Conclusion, Mode, PlanInput};

use super::super::OfficerOnDuty;
use super::super::acceptances::{self, NewGuest};
use super::super::inspections::GuestRow;
use super::{Links, inspect, who};
use crate::audit::Who;
use crate::campaigns::Campaign;
use crate::{Store, StoreError};

fn day(s: &str) -> NaiveDate {
    s.parse().expect("demo dates are valid")
}

/// An acceptance of the enterprise `enterprise_id` by `unit_id`, planned on `planned` (by the
/// demo's committee office) for `on`. Answers its public id.
async fn plan(
    store: &Store,
    campaign: &Campaign,
    unit_id: i64,
    enterprise_id: i64,
    (planned, on): (NaiveDate, NaiveDate),
    third_party: Option<&str>,
) -> Result<String, StoreError> {
    let p = PlanInput {
        planned_on: Some(on),
        mode: Some(if third_party.is_some() {
            Mode::ThirdParty
        } else {
            Mode::Team
        }),
        third_party: third_party.unwrap_or_default().to_string(),
    }
    .check(planned)
    .map_err(StoreError::Refused)?;
    acceptances::plan(store, &who(), campaign.id, unit_id, enterprise_id, &p).await
}

/// Invites a guest (a demo account: no first-login password change) on `on`.
async fn invite(
    store: &Store,
    id: &str,
    (username, name, kind, organisation): (&str, &str, &str, &str),
    password_hash: &str,
    on: NaiveDate,
    officer: &Who,
) -> Result<(), StoreError> {
    let a = acceptances::get(store, id).await?;
    acceptances::invite(
        store,
        officer,
        &a,
        &NewGuest {
            username: username.into(),
            password_hash: password_hash.into(),
            name: name.into(),
            kind: kind.into(),
            organisation: organisation.into(),
            invited_on: on,
            is_demo: true,
        },
    )
    .await?;
    Ok(())
}

async fn step(
    store: &Store,
    id: &str,
    officer: &Who,
    name: &str,
    change: impl FnOnce(
        &mut safeduty_core::enforcement::acceptance::Acceptance,
    ) -> Result<(), safeduty_core::refusal::Refusal>,
) -> Result<(), StoreError> {
    let a = acceptances::get(store, id).await?;
    let mut next = a.acceptance.clone();
    change(&mut next).map_err(StoreError::Refused)?;
    acceptances::record_step(store, officer, &a, name, &next).await
}

/// The acceptance's id and its guests as they go on its inspection record.
async fn on_record(
    store: &Store,
    a: &acceptances::AcceptanceRow,
) -> Result<(i64, Vec<GuestRow>), StoreError> {
    let guests = acceptances::guests(store, a.id)
        .await?
        .into_iter()
        .map(|g| GuestRow {
            name: g.name,
            kind: g.kind,
            organisation: g.organisation,
        })
        .collect();
    Ok((a.id, guests))
}

/// Seeds the acceptances up to `today`. `unit` is 东湖街道 with its two certified officers;
/// `enterprise_ids` the demo's enterprises in creation order (indices 35, 40 and 45 lie in
/// 东湖街道 and were not inspected before).
///
/// # Errors
/// Store errors.
pub(super) async fn seed(
    store: &Store,
    campaign: &Campaign,
    (unit_id, officers): (i64, &[OfficerOnDuty]),
    enterprise_ids: &[i64],
    password_hash: &str,
    today: NaiveDate,
    calendar: &Calendar,
) -> Result<(), StoreError> {
    let (Some(&closed), Some(&underway), Some(&assessed)) = (
        enterprise_ids.get(35),
        enterprise_ids.get(40),
        enterprise_ids.get(45),
    ) else {
        return Ok(());
    };
    let Some(lead) = officers.first() else {
        return Ok(());
    };
    let officer = Who {
        user_id: Some(lead.user_id),
        role: Some("unit_officer".into()),
        client_addr: None,
    };
    let items = campaign.item_numbers();
    let record = |enterprise_id: i64,
                  on: NaiveDate,
                  nonconform: &'static [u32],
                  (id, guests): (i64, Vec<GuestRow>)| {
        inspect(
            store,
            campaign,
            unit_id,
            enterprise_id,
            on,
            officers,
            &items,
            nonconform,
            calendar,
            Links {
                plan_target_id: None,
                acceptance_id: Some(id),
                guests,
            },
        )
    };
    if today >= day("2024-11-22") {
        let id = plan(
            store,
            campaign,
            unit_id,
            closed,
            (day("2024-11-15"), day("2024-11-20")),
            None,
        )
        .await?;
        for guest in [
            (
                "demo-guest-expert",
                "周工（演示）",
                "expert",
                "广西安全生产专家库",
            ),
            (
                "demo-guest-media",
                "青秀电视台记者（演示）",
                "media",
                "青秀电视台",
            ),
        ] {
            invite(
                store,
                &id,
                guest,
                password_hash,
                day("2024-11-18"),
                &officer,
            )
            .await?;
        }
        let a = acceptances::get(store, &id).await?;
        record(closed, day("2024-11-20"), &[], on_record(store, &a).await?).await?;
        let a = acceptances::get(store, &id).await?;
        let expert = crate::org::user_by_username(store, "demo-guest-expert").await?;
        acceptances::comment(
            store,
            &Who {
                user_id: Some(expert.id),
                role: Some("guest".into()),
                client_addr: None,
            },
            &a,
            "周工（演示）（专家）",
            "安全管理人员持证上岗，履职记录齐全（演示数据）",
        )
        .await?;
        step(store, &id, &officer, "close", |x| {
            x.close(
                day("2024-11-22"),
                Conclusion::Passed,
                "各项检查内容符合要求，验收合格（演示数据）",
                day("2024-11-22"),
            )
        })
        .await?;
    }
    if today >= day("2024-12-05") {
        let id = plan(
            store,
            campaign,
            unit_id,
            underway,
            (day("2024-12-02"), day("2024-12-05")),
            None,
        )
        .await?;
        invite(
            store,
            &id,
            (
                "demo-guest",
                "黄工（演示专家）",
                "expert",
                "广西安全生产专家库",
            ),
            password_hash,
            day("2024-12-02"),
            &officer,
        )
        .await?;
        let a = acceptances::get(store, &id).await?;
        record(
            underway,
            day("2024-12-05"),
            &[3],
            on_record(store, &a).await?,
        )
        .await?;
    }
    if today >= day("2024-12-06") {
        let id = plan(
            store,
            campaign,
            unit_id,
            assessed,
            (day("2024-12-02"), day("2024-12-04")),
            Some("广西某安全技术服务有限公司（演示）"),
        )
        .await?;
        invite(
            store,
            &id,
            (
                "demo-guest-third",
                "第三方评估员（演示）",
                "third_party",
                "广西某安全技术服务有限公司（演示）",
            ),
            password_hash,
            day("2024-12-03"),
            &officer,
        )
        .await?;
        step(store, &id, &officer, "assess", |x| {
            x.submit_assessment(
                "抽查安全管理人员履职记录10份，均符合要求（演示数据）",
                Conclusion::Passed,
                day("2024-12-06"),
            )
        })
        .await?;
    }
    Ok(())
}
