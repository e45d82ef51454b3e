//! Enforcement records for the web tests (issue #12), made through the use cases as the
//! committee office and an officer would: certificates for two officers of 东湖街道 (demo-town
//! and a second officer), the on-site measures power granted to 东湖街道, and an inspection of
//! demo-enterprise's enterprise by 东湖街道 on the app's today with item 1 not conforming (one
//! finding), its correction order (15 working days) and on-site measures.
//!
//! A function of its own (not part of `TestApp`), so that the authorization matrix and the
//! enforcement tests call it where they need it.

use chrono::NaiveDate;
use safeduty_app::Caller;
use safeduty_app::enforcement::inspections::InspectionForm;
use safeduty_app::enforcement::orders::TimeLimit;
use safeduty_app::enforcement::{authority, inspections, measures, orders};
use safeduty_core::enforcement::inspection::{ItemResult, Notice};
use safeduty_core::enforcement::measures::{MeasureKind, OnSiteMeasure};
use safeduty_core::enforcement::officers::Certificate;
use safeduty_core::policy::Role;
use safeduty_core::self_inspection::Answer;
use safeduty_store::audit::Who;
use safeduty_store::org::{self, NewUser, User};

use crate::app::{PASSWORD, TestApp};

/// The second officer of 东湖街道 (the first is demo-town).
pub const SECOND_OFFICER: &str = "enf-town-2";

/// What the fixture made.
#[allow(dead_code)]
pub struct EnforcementFixture {
    /// 东湖街道's unit id.
    pub unit_id: i64,
    /// demo-town's and the second officer's account ids.
    pub officer_ids: [i64; 2],
    /// The target enterprise's public id (demo-enterprise's).
    pub enterprise: String,
    /// The inspection's public id.
    pub inspection: String,
    /// The finding it opened (public id).
    pub finding: String,
    /// Its correction order's public id.
    pub order: String,
    /// Its on-site measures' public id.
    pub measures: String,
    /// The day everything was recorded (the app's today).
    pub today: NaiveDate,
}

/// The certificate both officers get: valid through 2024–2026.
pub fn certificate(number: &str) -> Certificate {
    Certificate {
        number: number.into(),
        valid_from: "2024-01-01".parse().unwrap(),
        valid_until: "2026-12-31".parse().unwrap(),
    }
}

async fn user(app: &TestApp, username: &str) -> User {
    org::user_by_username(app.store(), username).await.unwrap()
}

fn caller(u: &User) -> Caller<'_> {
    Caller {
        user: u,
        client_addr: None,
    }
}

/// An inspection of every item of the current campaign, item 1 not conforming, on `date`, by
/// the officers `officer_ids`.
pub async fn form(app: &TestApp, date: NaiveDate, officer_ids: &[i64]) -> InspectionForm {
    let campaign = safeduty_store::campaigns::latest(app.store())
        .await
        .unwrap()
        .unwrap();
    InspectionForm {
        date,
        start: "09:00".parse().unwrap(),
        end: "11:30".parse().unwrap(),
        place: "生产车间".into(),
        person_present: "陈志远".into(),
        person_present_role: "安全管理员".into(),
        officer_ids: officer_ids.to_vec(),
        guests: Vec::new(),
        notice: Notice::Unannounced,
        summary: "测试检查".into(),
        items: campaign
            .item_numbers()
            .into_iter()
            .map(|n| ItemResult {
                item_number: n,
                answer: if n == 1 {
                    Answer::NonConform
                } else {
                    Answer::Conform
                },
                note: if n == 1 {
                    "安全生产管理制度未公开".into()
                } else {
                    String::new()
                },
                violation_codes: Vec::new(),
            })
            .collect(),
        cap_exception: None,
        plan_target: None,
        acceptance: None,
    }
}

/// Makes the records (see the module doc). Call once per store.
pub async fn enforcement_fixture(app: &TestApp) -> EnforcementFixture {
    let today = app.state.clock().today();
    let store = app.store();
    let town = user(app, "demo-town").await;
    let unit_id = town.unit_id.expect("demo-town has a unit");
    let hash = safeduty_web::auth::hash_password(PASSWORD).unwrap();
    let mut tx = store.write().await.unwrap();
    let second = org::create_user(
        &mut tx,
        &Who::system(),
        &NewUser {
            username: SECOND_OFFICER.into(),
            display_name: "东湖街道 执法员乙（测试）".into(),
            password_hash: hash,
            role: Role::UnitOfficer,
            region_id: None,
            unit_id: Some(unit_id),
            enterprise_id: None,
            is_demo: true,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let office = user(app, "demo-office").await;
    for (id, number) in [(town.id, "45010320240001"), (second, "45010320240002")] {
        authority::set_certificate(store, &caller(&office), unit_id, id, certificate(number))
            .await
            .unwrap();
    }
    let powers = ["inspect", "order_correction", "on_site_measures"].map(String::from);
    authority::set_powers(store, &caller(&office), unit_id, &powers)
        .await
        .unwrap();

    let enterprise = app.enterprise_of("demo-enterprise").await;
    let recorded = inspections::record(
        store,
        &caller(&town),
        &enterprise,
        &form(app, today, &[town.id, second]).await,
        None,
        today,
    )
    .await
    .unwrap();
    let i = inspections::inspection_for(
        store,
        &caller(&town),
        &recorded.public_id,
        safeduty_core::policy::Action::ReadEnforcement,
    )
    .await
    .unwrap();
    let finding = i
        .items
        .iter()
        .find_map(|it| it.finding_public_id.clone())
        .expect("item 1 opened a finding");
    let order = orders::issue(
        store,
        &caller(&town),
        &recorded.public_id,
        std::slice::from_ref(&finding),
        TimeLimit::WorkingDays(15),
        today,
    )
    .await
    .unwrap();
    let measures = measures::decide(
        store,
        &caller(&town),
        &recorded.public_id,
        &OnSiteMeasure {
            kind: MeasureKind::StopUsingEquipment,
            start: today,
            until: today + chrono::Days::new(30),
            reason: "叉车制动失灵".into(),
            description: "停止使用1号叉车".into(),
        },
        today,
    )
    .await
    .unwrap();
    EnforcementFixture {
        unit_id,
        officer_ids: [town.id, second],
        enterprise,
        inspection: recorded.public_id,
        finding,
        order,
        measures,
        today,
    }
}
