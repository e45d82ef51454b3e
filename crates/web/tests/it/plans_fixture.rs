//! Fixtures of the inspection plan tests (issue #12 points 2–3), kept out of `app.rs`.
//!
//! - [`draw_town`]: a town of 示例区 whose pool is the candidates of `docs/draw.md` (the fourth a
//!   key enterprise, the others of no key industry), enrolled in the demo campaign, with five
//!   officers certified 45010324001–005: drawing 3 with the documented seed gives vector 2.
//! - [`donghu_plan`]: a drawn plan of 东湖街道 (demo-town's unit), for the authorization matrix.

use std::collections::BTreeMap;

use safeduty_app::Caller;
use safeduty_app::enforcement::plans::{self, PlanForm};
use safeduty_core::enforcement::plan::DrawSize;
use safeduty_core::policy::{Role, UnitKind};
use safeduty_store::audit::Who;
use safeduty_store::enforcement::authority::{self, CertificateRow};
use safeduty_store::org::{self, NewEnterprise, NewUser};

use crate::app::{PASSWORD, TestApp};

/// The candidates of docs/draw.md.
pub const USCCS: [&str; 8] = [
    "91450103MA5K7Q2B14",
    "91450103MA5KB8N3XF",
    "91450103MA5L0C6D4U",
    "91450103MA5L3FH7PU",
    "91450103MA5LA2R9EP",
    "91450103MA5M1T4G8F",
    "91450103MA5MC6W2JW",
    "91450103MA5N8U3Y5Y",
];

/// The key enterprise among [`USCCS`].
pub const KEY: &str = "91450103MA5L3FH7PU";

/// The seed of docs/draw.md.
pub const SEED: &str = "2024-07-01 福彩3D第2024175期 开奖号码 3 7 1";

/// The name of the enterprise with [`USCCS`]`[k]`.
pub fn enterprise_name(k: usize) -> String {
    format!("抽查示范{}号企业", k + 1)
}

/// What [`draw_town`] made.
pub struct DrawTown {
    /// USCC → public id of the enterprise.
    pub enterprises: BTreeMap<String, String>,
    /// The officers' user names, by certificate number (45010324001 → plan-officer1).
    pub officers: BTreeMap<String, String>,
}

async fn certify(app: &TestApp, user_id: i64, number: &str) {
    authority::set_certificate(
        app.store(),
        &Who::system(),
        user_id,
        &CertificateRow {
            number: number.into(),
            valid_from: "2024-01-01".parse().unwrap(),
            valid_until: "2026-12-31".parse().unwrap(),
        },
    )
    .await
    .unwrap();
}

async fn officer(app: &TestApp, username: &str, name: &str, unit_id: i64) -> i64 {
    let hash = safeduty_web::auth::hash_password(PASSWORD).unwrap();
    let mut tx = app.store().write().await.unwrap();
    let id = org::create_user(
        &mut tx,
        &Who::system(),
        &NewUser {
            username: username.into(),
            display_name: name.into(),
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
    id
}

/// 抽查示范镇 under 示例区: eight enterprises with the docs' ids enrolled in the demo campaign,
/// five certified officers `plan-officer1`–`plan-officer5` (names 抽查执法员1–5).
pub async fn draw_town(app: &TestApp) -> DrawTown {
    let store = app.store();
    let w = Who::system();
    let campaign = safeduty_store::campaigns::latest(store)
        .await
        .unwrap()
        .unwrap();
    let district = org::region_by_id(store, campaign.region_id).await.unwrap();
    let mut tx = store.write().await.unwrap();
    let region = org::create_region(
        &mut tx,
        &w,
        Some(&district),
        &format!("{}090", district.code),
        "抽查示范镇",
        "town",
    )
    .await
    .unwrap();
    let unit = org::create_unit(
        &mut tx,
        &w,
        UnitKind::Territorial,
        "抽查示范镇",
        region.id,
        None,
    )
    .await
    .unwrap();
    let mut enterprises = BTreeMap::new();
    let mut ids = Vec::new();
    for (k, uscc) in USCCS.iter().enumerate() {
        let (id, public_id) = org::create_enterprise(
            &mut tx,
            &w,
            &NewEnterprise {
                uscc: (*uscc).into(),
                name: enterprise_name(k),
                industry: "其他".into(),
                region_id: region.id,
                supervising_unit_id: None,
                is_key: *uscc == KEY,
                address: format!("抽查示范镇示范路{}号", k + 1),
            },
        )
        .await
        .unwrap();
        enterprises.insert((*uscc).to_string(), public_id);
        ids.push(id);
    }
    safeduty_store::campaigns::enrol(&mut tx, &w, &campaign, &ids)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut officers = BTreeMap::new();
    for k in 1..=5 {
        let username = format!("plan-officer{k}");
        let id = officer(app, &username, &format!("抽查执法员{k}"), unit.id).await;
        let number = format!("4501032400{k}");
        certify(app, id, &number).await;
        officers.insert(number, username);
    }
    DrawTown {
        enterprises,
        officers,
    }
}

/// A drawn plan of 东湖街道 (demo-town's unit, every enterprise of it in a key industry: only
/// the pairs are drawn): demo-town and a second officer certified, the plan drafted and drawn
/// by demo-town through the use cases. Answers the plan's public id.
pub async fn donghu_plan(app: &TestApp) -> String {
    let store = app.store();
    let town = org::user_by_username(store, "demo-town").await.unwrap();
    let unit_id = town.unit_id.unwrap();
    certify(app, town.id, "45010324101").await;
    let second = officer(app, "plan-donghu2", "东湖街道 执法员（测试）", unit_id).await;
    certify(app, second, "45010324102").await;
    let caller = Caller {
        user: &town,
        client_addr: None,
    };
    let id = plans::save(
        store,
        &caller,
        &PlanForm {
            starts_on: "2024-07-01".parse().unwrap(),
            ends_on: "2024-10-31".parse().unwrap(),
            size: DrawSize::Count(0),
            reason: String::new(),
        },
    )
    .await
    .unwrap();
    plans::draw(store, &caller, &id, SEED).await.unwrap();
    id
}
