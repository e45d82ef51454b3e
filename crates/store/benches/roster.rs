//! Prints how long a 50 000-row roster takes to read, preview and apply, on SQLite (and on
//! PostgreSQL when `SAFEDUTY_TEST_DATABASE_URL` is set), and how long another writer waited at
//! most while an apply ran (a small audited write every 5 ms beside it). Figures only, no
//! assertion on time: `cargo bench -p safeduty-store --bench roster` (`ROSTER_ROWS=N` for
//! another size).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use safeduty_core::policy::UnitKind;
use safeduty_core::roster::layout::locate;
use safeduty_core::uscc::Uscc;
use safeduty_store::Store;
use safeduty_store::audit::Who;
use safeduty_store::roster::{ImportScope, apply, preview};
use safeduty_store::testing::{TestDb, postgres, sqlite};
use safeduty_store::{campaigns, org};

const TOWNS: [&str; 5] = ["东湖街道", "南山镇", "西岭镇", "北港街道", "示例高新区"];
const INDUSTRIES: [&str; 6] = [
    "机械制造",
    "危险化学品",
    "建筑施工",
    "餐饮",
    "纺织服装",
    "交通运输",
];

fn roster(rows: usize, phone_base: u64) -> Vec<u8> {
    let mut s = String::from(
        "示例区企业名单,,,,,,\n企业名称,统一社会信用代码,镇街,行业类别,主要负责人,联系电话,地址\n",
    );
    for i in 0..rows {
        let code = Uscc::with_check_char(&format!("91330106MA{:07}", i)).unwrap();
        s.push_str(&format!(
            "示例企业{i}有限公司,{code},{},{},负责人{i},{},示例路{i}号\n",
            TOWNS[i % TOWNS.len()],
            INDUSTRIES[i % INDUSTRIES.len()],
            phone_base + i as u64,
        ));
    }
    s.push_str(&format!("合计：{rows}家,,,,,,\n"));
    s.into_bytes()
}

async fn setup(store: &Store) {
    let who = Who::system();
    let mut tx = store.write().await.unwrap();
    let d = org::create_region(&mut tx, &who, None, "330106", "示例区", "district")
        .await
        .unwrap();
    for (i, t) in TOWNS.iter().enumerate() {
        org::create_region(&mut tx, &who, Some(&d), &format!("33010600{i}"), t, "town")
            .await
            .unwrap();
    }
    for (name, industry) in [
        ("区应急管理局", "危险化学品"),
        ("区经济和信息化局", "工贸"),
        ("区住房和城乡建设局", "建筑施工"),
        ("区交通运输局", "交通运输"),
    ] {
        org::create_unit(
            &mut tx,
            &who,
            UnitKind::IndustryDepartment,
            name,
            d.id,
            Some(industry),
        )
        .await
        .unwrap();
    }
    let template = safeduty_core::template::CampaignTemplate::empty();
    campaigns::create(&mut tx, &who, "基准测试", 2025, d.id, &template)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// Applies `layout` while another writer writes one audit record every 5 ms; the applied
/// result, and the other writer's longest wait and number of writes.
async fn apply_beside_a_writer(
    store: &Store,
    layout: &safeduty_core::roster::layout::Layout,
) -> (safeduty_store::roster::Applied, Duration, u32) {
    let stop = Arc::new(AtomicBool::new(false));
    let probe = {
        let (store, stop) = (store.clone(), stop.clone());
        tokio::spawn(async move {
            let (mut longest, mut n) = (Duration::ZERO, 0u32);
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                safeduty_store::audit::record_alone(
                    &store,
                    safeduty_store::audit::Entry {
                        who: &Who::system(),
                        event: safeduty_store::audit::Event::LoginFailed,
                        target_kind: safeduty_store::audit::Object::User.into(),
                        target_id: format!("probe{n}"),
                        before: None,
                        after: None,
                        result: "failed",
                    },
                )
                .await
                .unwrap();
                longest = longest.max(t.elapsed());
                n += 1;
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            (longest, n)
        })
    };
    let a = apply(
        store,
        &Who::system(),
        &ImportScope::whole_store(),
        layout,
        None,
    )
    .await
    .unwrap();
    stop.store(true, Ordering::Relaxed);
    let (longest, n) = probe.await.unwrap();
    (a, longest, n)
}

async fn run(db: TestDb, rows: usize) {
    let store = &db.store;
    setup(store).await;
    let scope = ImportScope::whole_store();
    let bytes = roster(rows, 13_800_000_000);
    println!(
        "[{}] {rows} rows, {} KiB CSV",
        db.backend,
        bytes.len() / 1024
    );

    let t = Instant::now();
    let sheet = safeduty_roster::read(&bytes).unwrap();
    let layout = locate(&sheet.grid).unwrap();
    println!("  read + header       {:>8.2?}", t.elapsed());

    let t = Instant::now();
    let p = preview(store, &scope, &layout).await.unwrap();
    println!(
        "  preview (all new)   {:>8.2?}  new {}",
        t.elapsed(),
        p.new.len()
    );

    let t = Instant::now();
    let (a, longest, n) = apply_beside_a_writer(store, &layout).await;
    println!(
        "  apply (create)      {:>8.2?}  created {}; another writer waited {longest:.2?} at most ({n} writes beside it)",
        t.elapsed(),
        a.created
    );

    let t = Instant::now();
    let p = preview(store, &scope, &layout).await.unwrap();
    println!(
        "  preview (unchanged) {:>8.2?}  unchanged {}",
        t.elapsed(),
        p.unchanged.len()
    );

    let changed = roster(rows, 13_900_000_000);
    let layout = locate(&safeduty_roster::read(&changed).unwrap().grid).unwrap();
    let t = Instant::now();
    let (a, longest, n) = apply_beside_a_writer(store, &layout).await;
    println!(
        "  apply (change all)  {:>8.2?}  updated {}; another writer waited {longest:.2?} at most ({n} writes beside it)",
        t.elapsed(),
        a.updated
    );
    db.cleanup().await;
}

fn main() {
    let rows: usize = std::env::var("ROSTER_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50_000);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        run(sqlite().await, rows).await;
        if let Some(pg) = postgres().await {
            run(pg, rows).await;
        }
    });
}
