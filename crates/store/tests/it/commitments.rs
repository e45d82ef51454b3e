//! Safety management personnel and duty commitments: signatures keep the exact text signed and its
//! hash, a new version of the campaign's text changes none of them, coverage counts are exact
//! and filtered by scope, changes are audited.

use safeduty_core::attachment::FileKind;
use safeduty_core::commitment::Publication;
use safeduty_core::personnel::{Employment, Institution, Person, Profile};
use safeduty_core::policy::{Scope, UnitKind};
use safeduty_store::attachments::{BlobStore, StoredFile};
use safeduty_store::audit::{self, Who};
use safeduty_store::campaigns::{self, Campaign};
use safeduty_store::commitments::coverage::{self, CoverageRow, Missing};
use safeduty_store::commitments::{self, text_hash};
use safeduty_store::org::{self, NewEnterprise};
use safeduty_store::testing::backends;
use safeduty_store::{Store, StoreError, personnel};
use sha2::{Digest, Sha256};

use crate::support::{d, template};

fn person(name: &str) -> Person {
    Person {
        name: name.into(),
        employment: Employment::FullTime,
        registered_engineer: false,
        engineer_cert_no: String::new(),
        assessment_cert_no: "A-0001".into(),
        assessment_valid_until: Some(d("2026-06-30")),
        appointed_on: Some(d("2023-03-01")),
        phone: "13800000000".into(),
    }
}

struct World {
    campaign: Campaign,
    /// E1..E6 ids, in order.
    e: Vec<i64>,
    town_a: String,
    town_b: String,
    dept_housing: i64,
}

/// Two towns, two departments, six enterprises (E4 in no key industry, E6 not enrolled).
async fn world(store: &Store) -> World {
    let who = Who::system();
    let mut tx = store.write().await.unwrap();
    let p = org::create_region(&mut tx, &who, None, "99", "示例省", "province")
        .await
        .unwrap();
    let dist = org::create_region(&mut tx, &who, Some(&p), "9901", "示例区", "district")
        .await
        .unwrap();
    let a = org::create_region(&mut tx, &who, Some(&dist), "990101", "甲镇", "town")
        .await
        .unwrap();
    let b = org::create_region(
        &mut tx,
        &who,
        Some(&dist),
        "990102",
        "乙街道",
        "subdistrict",
    )
    .await
    .unwrap();
    let safety = org::create_unit(
        &mut tx,
        &who,
        UnitKind::IndustryDepartment,
        "区应急管理局",
        dist.id,
        Some("工贸"),
    )
    .await
    .unwrap();
    let housing = org::create_unit(
        &mut tx,
        &who,
        UnitKind::IndustryDepartment,
        "区住房和城乡建设局",
        dist.id,
        Some("建筑施工"),
    )
    .await
    .unwrap();
    let rows = [
        (&a, "工贸", Some(safety.id)),
        (&a, "建筑施工", Some(housing.id)),
        (&b, "工贸", Some(safety.id)),
        (&b, "其他", None),
        (&b, "危险化学品", Some(safety.id)),
        (&a, "工贸", Some(safety.id)),
    ];
    let mut e = Vec::new();
    for (i, (region, industry, unit)) in rows.iter().enumerate() {
        let (id, _) = org::create_enterprise(
            &mut tx,
            &who,
            &NewEnterprise {
                uscc: format!("9199010100000000{i:02}"),
                name: format!("企业E{}", i + 1),
                industry: (*industry).into(),
                region_id: region.id,
                supervising_unit_id: *unit,
                is_key: false,
                address: String::new(),
            },
        )
        .await
        .unwrap();
        e.push(id);
    }
    let campaign = campaigns::create(&mut tx, &who, "测试专项治理", 2024, dist.id, &template())
        .await
        .unwrap();
    campaigns::enrol(&mut tx, &who, &campaign, &e[..5])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    World {
        campaign,
        e,
        town_a: a.path,
        town_b: b.path,
        dept_housing: housing.id,
    }
}

fn who() -> Who {
    Who {
        user_id: None,
        role: Some("enterprise_user".into()),
        client_addr: None,
    }
}

async fn person_id(store: &Store, enterprise_id: i64, public_id: &str) -> i64 {
    personnel::get(store, enterprise_id, public_id)
        .await
        .unwrap()
        .id
}

/// Adds a person and, when `sign`, signs the current text with their name.
async fn add(store: &Store, w: &World, e: usize, name: &str, sign: bool) -> String {
    let eid = w.e[e];
    let pid = personnel::add(store, &who(), eid, &person(name))
        .await
        .unwrap();
    if sign {
        let id = person_id(store, eid, &pid).await;
        commitments::sign(store, &who(), w.campaign.id, eid, id, name, d("2024-07-02"))
            .await
            .unwrap();
    }
    pid
}

const V1: &str = "安全生产履职承诺书\n本人承诺依法履行安全生产管理职责。";
const V2: &str = "安全生产履职承诺书\n本人承诺依法履行安全生产管理职责，接受监督。";

/// E1: two managers, one signed. E2: one, signed, published. E3: none. E4 (其他): one, not
/// required. E5: two signed, a third removed after being added. E6 (not enrolled): one.
async fn populate(store: &Store, w: &World) {
    commitments::set_text(store, &Who::system(), w.campaign.id, V1)
        .await
        .unwrap();
    add(store, w, 0, "张一", true).await;
    add(store, w, 0, "张二", false).await;
    add(store, w, 1, "李一", true).await;
    commitments::record_publication(
        store,
        &who(),
        w.campaign.id,
        w.e[1],
        &Publication {
            place: "工地公告栏".into(),
            published_on: d("2024-07-03"),
        },
        None,
    )
    .await
    .unwrap();
    add(store, w, 3, "王一", false).await;
    add(store, w, 4, "赵一", true).await;
    add(store, w, 4, "赵二", true).await;
    let gone = add(store, w, 4, "赵三", false).await;
    personnel::remove(store, &who(), w.e[4], &gone)
        .await
        .unwrap();
    add(store, w, 5, "钱一", false).await;
}

fn row(group: &str, n: [i64; 7]) -> CoverageRow {
    CoverageRow {
        group: group.into(),
        enterprises: n[0],
        managers: n[1],
        signed: n[2],
        unsigned: n[3],
        without_personnel: n[4],
        complete: n[5],
        published: n[6],
    }
}

#[tokio::test]
async fn coverage_is_exact_and_scoped() {
    for db in backends().await {
        let s = &db.store;
        let w = world(s).await;
        populate(s, &w).await;
        let all = Scope::RegionSubtree {
            region_path: "/99/".into(),
        };
        let c = coverage::coverage(s, &all, w.campaign.id).await.unwrap();
        assert_eq!(
            c.total,
            row("合计", [4, 5, 4, 1, 1, 2, 1]),
            "{}",
            db.backend
        );
        assert_eq!(
            c.by_region,
            [
                row("甲镇", [2, 3, 2, 1, 0, 1, 1]),
                row("乙街道", [2, 2, 2, 0, 1, 1, 0])
            ],
            "{}",
            db.backend
        );
        assert_eq!(
            c.by_industry,
            [
                row("危险化学品", [1, 2, 2, 0, 0, 1, 0]),
                row("工贸", [2, 2, 1, 1, 1, 0, 0]),
                row("建筑施工", [1, 1, 1, 0, 0, 1, 1]),
            ],
            "{}",
            db.backend
        );
        assert_eq!(
            c.by_unit,
            [
                row("区住房和城乡建设局", [1, 1, 1, 0, 0, 1, 1]),
                row("区应急管理局", [3, 4, 3, 1, 1, 1, 0]),
            ],
            "{}",
            db.backend
        );
        let missing = coverage::missing(s, &all, w.campaign.id, 100)
            .await
            .unwrap();
        let shown: Vec<(&str, &str, Option<&str>)> = missing
            .iter()
            .map(|m: &Missing| {
                (
                    m.region_name.as_str(),
                    m.enterprise_name.as_str(),
                    m.person_name.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            shown,
            [("甲镇", "企业E1", Some("张二")), ("乙街道", "企业E3", None)],
            "{}",
            db.backend
        );
        assert_eq!(
            coverage::missing(s, &all, w.campaign.id, 1)
                .await
                .unwrap()
                .len(),
            1
        );

        // Scopes: a town, a department, an enterprise, nothing (positive controls above).
        let town_b = Scope::RegionSubtree {
            region_path: w.town_b.clone(),
        };
        let c = coverage::coverage(s, &town_b, w.campaign.id).await.unwrap();
        assert_eq!(c.total, row("合计", [2, 2, 2, 0, 1, 1, 0]));
        let m = coverage::missing(s, &town_b, w.campaign.id, 100)
            .await
            .unwrap();
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].enterprise_name, "企业E3");
        let housing = Scope::Department {
            unit_id: w.dept_housing,
            region_path: "/99/9901/".into(),
        };
        let c = coverage::coverage(s, &housing, w.campaign.id)
            .await
            .unwrap();
        assert_eq!(
            c.by_unit,
            [row("区住房和城乡建设局", [1, 1, 1, 0, 0, 1, 1])]
        );
        assert!(
            coverage::missing(s, &housing, w.campaign.id, 100)
                .await
                .unwrap()
                .is_empty()
        );
        let housing_elsewhere = Scope::Department {
            unit_id: w.dept_housing,
            region_path: w.town_b.clone(),
        };
        let c = coverage::coverage(s, &housing_elsewhere, w.campaign.id)
            .await
            .unwrap();
        assert_eq!(c.total.enterprises, 0);
        let e1 = Scope::Enterprise {
            enterprise_id: w.e[0],
        };
        let c = coverage::coverage(s, &e1, w.campaign.id).await.unwrap();
        assert_eq!(c.total, row("合计", [1, 2, 1, 1, 0, 0, 0]));
        let c = coverage::coverage(s, &Scope::Nothing, w.campaign.id)
            .await
            .unwrap();
        assert_eq!(c.total, row("合计", [0, 0, 0, 0, 0, 0, 0]));
        assert!(c.by_region.is_empty() && c.by_unit.is_empty());
        assert!(
            coverage::missing(s, &Scope::Nothing, w.campaign.id, 100)
                .await
                .unwrap()
                .is_empty()
        );
        let _ = &w.town_a;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn signed_text_and_hash_survive_a_new_version() {
    for db in backends().await {
        let s = &db.store;
        let w = world(s).await;
        // No text yet: nothing can be signed.
        let pid = personnel::add(s, &who(), w.e[0], &person("张一"))
            .await
            .unwrap();
        let id = person_id(s, w.e[0], &pid).await;
        let err = commitments::sign(
            s,
            &who(),
            w.campaign.id,
            w.e[0],
            id,
            "张一",
            d("2024-07-01"),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(err, StoreError::Conflict(ref m) if m.contains("尚未发布")),
            "{err}"
        );

        populate(s, &w).await;
        let v1 = commitments::current_text(s, w.campaign.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((v1.version, v1.body.as_str()), (1, V1));
        // The same text again is no new version.
        let again = commitments::set_text(s, &Who::system(), w.campaign.id, V1)
            .await
            .unwrap();
        assert_eq!(again.version, 1);
        let v2 = commitments::set_text(s, &Who::system(), w.campaign.id, V2)
            .await
            .unwrap();
        assert_eq!(v2.version, 2);
        assert_eq!(v2.text_sha256, hex(V2));
        // Signed after the change: the new version.
        let late = personnel::add(s, &who(), w.e[2], &person("孙一"))
            .await
            .unwrap();
        let late_id = person_id(s, w.e[2], &late).await;
        let sig = commitments::sign(
            s,
            &who(),
            w.campaign.id,
            w.e[2],
            late_id,
            "孙一",
            d("2024-07-05"),
        )
        .await
        .unwrap();
        assert_eq!((sig.version, sig.signed_text.as_str()), (2, V2));
        assert_eq!(sig.signed_on, d("2024-07-05"));

        // Every stored signature: its hash recomputed from its stored text matches, and the text
        // is the version it names, whatever the campaign's text is now.
        let mut seen = Vec::new();
        for &e in &w.e {
            for sig in commitments::signatures(s, w.campaign.id, e).await.unwrap() {
                assert_eq!(sig.text_sha256, hex(&sig.signed_text), "{}", db.backend);
                assert_eq!(sig.text_sha256, text_hash(&sig.signed_text));
                let expected = if sig.version == 1 { V1 } else { V2 };
                assert_eq!(sig.signed_text, expected);
                let fetched = commitments::signature(s, &sig.public_id).await.unwrap();
                assert_eq!(fetched, sig);
                seen.push((
                    sig.personnel_name.clone(),
                    sig.version,
                    sig.typed_name.clone(),
                ));
            }
        }
        seen.sort();
        assert_eq!(
            seen,
            [
                ("孙一".to_string(), 2, "孙一".to_string()),
                ("张一".into(), 1, "张一".into()),
                ("李一".into(), 1, "李一".into()),
                ("赵一".into(), 1, "赵一".into()),
                ("赵二".into(), 1, "赵二".into()),
            ]
        );
        // A second signature by the same person in the campaign is refused; nothing changes.
        let again = commitments::sign(
            s,
            &who(),
            w.campaign.id,
            w.e[2],
            late_id,
            "孙一",
            d("2024-07-06"),
        )
        .await
        .unwrap_err();
        assert!(matches!(again, StoreError::Conflict(_)), "{again}");
        assert_eq!(
            commitments::signatures(s, w.campaign.id, w.e[2])
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            audit::count_events(s, "commitment_signed").await.unwrap(),
            5
        );
        assert_eq!(
            audit::count_events(s, "commitment_text_set").await.unwrap(),
            2
        );
        assert_eq!(
            audit::count_events(s, "commitment_published")
                .await
                .unwrap(),
            1
        );
        assert!(matches!(
            audit::verify(s).await.unwrap(),
            audit::Verification::Intact { .. }
        ));
        db.cleanup().await;
    }
}

fn hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn personnel_and_profile_changes_are_audited() {
    for db in backends().await {
        let s = &db.store;
        let w = world(s).await;
        let e = w.e[0];
        personnel::update_profile(
            s,
            &who(),
            e,
            "pub-e1",
            &Profile {
                principal: "周主任".into(),
                institution: Institution::SetUp,
                institution_name: "安全环保部".into(),
            },
        )
        .await
        .unwrap();
        let own = personnel::own_fields(s, e).await.unwrap();
        assert_eq!(
            (
                own.principal.as_str(),
                own.institution,
                own.institution_name.as_str()
            ),
            ("周主任", Institution::SetUp, "安全环保部")
        );
        let pid = personnel::add(s, &who(), e, &person("张一")).await.unwrap();
        let mut changed = person("张一");
        changed.employment = Employment::PartTime;
        changed.phone = "0771-5550001".into();
        personnel::update(s, &who(), e, &pid, &changed)
            .await
            .unwrap();
        // The same values again: nothing written.
        personnel::update(s, &who(), e, &pid, &changed)
            .await
            .unwrap();
        let list = personnel::list(s, e).await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].person, changed);
        // Another enterprise cannot reach this person.
        assert!(matches!(
            personnel::update(s, &who(), w.e[1], &pid, &person("X")).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            personnel::get(s, w.e[1], &pid).await,
            Err(StoreError::NotFound)
        ));
        personnel::remove(s, &who(), e, &pid).await.unwrap();
        assert!(personnel::list(s, e).await.unwrap().is_empty());
        assert!(
            personnel::get(s, e, &pid)
                .await
                .unwrap()
                .removed_at
                .is_some()
        );
        assert!(matches!(
            personnel::remove(s, &who(), e, &pid).await,
            Err(StoreError::NotFound)
        ));
        // The change of the person: before and after, in full.
        let mut tx = s.write().await.unwrap();
        let states: Vec<(Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT before_state, after_state FROM audit_records \
             WHERE target_kind = 'personnel' AND event = 'updated' ORDER BY seq",
        )
        .fetch_all(&mut *tx)
        .await
        .unwrap();
        tx.rollback().await.unwrap();
        assert_eq!(states.len(), 2, "one change, one removal");
        let before: serde_json::Value =
            serde_json::from_str(states[0].0.as_deref().unwrap()).unwrap();
        let after: serde_json::Value =
            serde_json::from_str(states[0].1.as_deref().unwrap()).unwrap();
        assert_eq!(
            (&before["employment"], &before["phone"]),
            (
                &serde_json::json!("full_time"),
                &serde_json::json!("13800000000")
            )
        );
        assert_eq!(
            (&after["employment"], &after["phone"]),
            (
                &serde_json::json!("part_time"),
                &serde_json::json!("0771-5550001")
            )
        );
        assert!(states[1].1.as_deref().unwrap().contains("removed_at"));
        assert_eq!(audit::count_events(s, "updated").await.unwrap(), 3);
        assert!(matches!(
            audit::verify(s).await.unwrap(),
            audit::Verification::Intact { .. }
        ));
        db.cleanup().await;
    }
}

fn photo(name: &str, sha256: &str) -> StoredFile {
    StoredFile {
        name: name.into(),
        kind: FileKind::Jpeg,
        content_type: "image/jpeg".into(),
        size: 4,
        sha256: sha256.into(),
        thumbnail_sha256: None,
    }
}

#[tokio::test]
async fn publication_and_its_photo_are_one_transaction() {
    for db in backends().await {
        let (s, b) = (&db.store, db.backend);
        let w = world(s).await;
        let (campaign, e) = (w.campaign.id, w.e[1]);
        let at = |place: &str, on: &str| Publication {
            place: place.into(),
            published_on: d(on),
        };
        let sha = db.blobs.put(b"\xff\xd8\xff\xe0").await.unwrap();
        commitments::record_publication(
            s,
            &who(),
            campaign,
            e,
            &at("工地公告栏", "2024-07-03"),
            Some(&photo("公告栏照片.jpg", &sha)),
        )
        .await
        .unwrap();
        let p = commitments::publication(s, campaign, e)
            .await
            .unwrap()
            .unwrap();
        let names = |files: Vec<safeduty_store::attachments::Attachment>| {
            files
                .into_iter()
                .map(|a| (a.name, a.sha256, a.enterprise_id))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(commitments::publication_files(s, e, &p).await.unwrap()),
            [("公告栏照片.jpg".to_string(), sha.clone(), e)],
            "{b}"
        );
        // Another enterprise's record does not list it.
        assert!(
            commitments::publication_files(s, w.e[0], &p)
                .await
                .unwrap()
                .is_empty(),
            "{b}"
        );
        // The same record again with a second scan: the record is unchanged (no new
        // `commitment_published`), the scan is added.
        commitments::record_publication(
            s,
            &who(),
            campaign,
            e,
            &at("工地公告栏", "2024-07-03"),
            Some(&photo("扫描件.jpg", &sha)),
        )
        .await
        .unwrap();
        let count =
            |event: &'static str| async move { audit::count_events(s, event).await.unwrap() };
        assert_eq!(
            (
                count("commitment_published").await,
                count("attachment_added").await
            ),
            (1, 2),
            "{b}"
        );
        // A correction whose file cannot be recorded (no such blob): neither the correction nor
        // the file is written.
        let before = commitments::publication(s, campaign, e).await.unwrap();
        let res = commitments::record_publication(
            s,
            &who(),
            campaign,
            e,
            &at("职工食堂宣传栏", "2024-07-04"),
            Some(&photo("坏文件.jpg", "not-a-blob")),
        )
        .await;
        assert!(matches!(res, Err(StoreError::Blob(_))), "{b}: {res:?}");
        assert_eq!(
            commitments::publication(s, campaign, e).await.unwrap(),
            before,
            "{b}"
        );
        let p = before.unwrap();
        assert_eq!(
            (p.place.as_str(), p.published_on),
            ("工地公告栏", d("2024-07-03"))
        );
        assert_eq!(
            commitments::publication_files(s, e, &p)
                .await
                .unwrap()
                .len(),
            2,
            "{b}"
        );
        assert_eq!(
            (
                count("commitment_published").await,
                count("attachment_added").await
            ),
            (1, 2),
            "{b}"
        );
        assert!(matches!(
            audit::verify(s).await.unwrap(),
            audit::Verification::Intact { .. }
        ));
        db.cleanup().await;
    }
}

/// Issue #18 point 9: a signing code per listed manager. Issued (only its hash kept), re-issued
/// (the first stops working), refused when wrong, expired, revoked or used — counted and
/// recorded, nothing signed — and good once: the signature says 'code'; the code of a person
/// removed from the list opens nothing. Each step writes its audit record.
#[tokio::test]
async fn a_signing_code_signs_once_for_its_person_only() {
    use safeduty_core::commitment::signing_code::{SigningCode, hash_typed};
    use safeduty_store::commitments::codes::{self, CodeRefusal};
    for db in backends().await {
        let s = &db.store;
        let b = db.backend;
        let w = world(s).await;
        commitments::set_text(s, &Who::system(), w.campaign.id, V1)
            .await
            .unwrap();
        let pid = personnel::add(s, &who(), w.e[0], &person("李签"))
            .await
            .unwrap();
        let id = person_id(s, w.e[0], &pid).await;
        let first = SigningCode::from_random(&[1; 10]);
        let second = SigningCode::from_random(&[2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        let later = "2999-01-01T00:00:00.000000Z";
        let now = "2024-07-02T02:00:00.000000Z";
        codes::issue(s, &who(), w.campaign.id, w.e[0], id, &first.hash(), later)
            .await
            .unwrap();
        codes::issue(s, &who(), w.campaign.id, w.e[0], id, &second.hash(), later)
            .await
            .unwrap();
        let states = codes::states(s, w.campaign.id, w.e[0]).await.unwrap();
        assert_eq!(states.len(), 1, "{b}: re-issuing replaces");
        // The replaced code, a mistyped one: refused, nothing signed.
        let r = codes::sign(s, &who(), &first.hash(), "李签", now, d("2024-07-02"))
            .await
            .unwrap();
        assert_eq!(r.unwrap_err(), CodeRefusal::Unknown, "{b}");
        let r = codes::check(s, &who(), &hash_typed("22222-22223").unwrap(), now)
            .await
            .unwrap();
        assert_eq!(r.unwrap_err(), CodeRefusal::Unknown, "{b}");
        // Past its expiry: refused and counted.
        let r = codes::sign(
            s,
            &who(),
            &second.hash(),
            "李签",
            "2999-01-02T00:00:00.000000Z",
            d("2024-07-02"),
        )
        .await
        .unwrap();
        assert_eq!(r.unwrap_err(), CodeRefusal::Expired, "{b}");
        let states = codes::states(s, w.campaign.id, w.e[0]).await.unwrap();
        assert_eq!(states[0].attempts, 1, "{b}");
        assert!(
            commitments::signatures(s, w.campaign.id, w.e[0])
                .await
                .unwrap()
                .is_empty(),
            "{b}"
        );
        // Typed loosely, the good code holds the person; it signs once.
        let typed = second.shown().to_lowercase().replace('-', " ");
        let holder = codes::check(s, &who(), &hash_typed(&typed).unwrap(), now)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (holder.personnel_id, holder.personnel_name.as_str()),
            (id, "李签"),
            "{b}"
        );
        let sig = codes::sign(s, &who(), &second.hash(), "李签", now, d("2024-07-02"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(sig.method, commitments::BY_CODE, "{b}");
        assert_eq!(sig.personnel_public_id, pid, "{b}");
        let r = codes::sign(s, &who(), &second.hash(), "李签", now, d("2024-07-02"))
            .await
            .unwrap();
        assert_eq!(r.unwrap_err(), CodeRefusal::Used, "{b}");
        // Signed: no new code, nothing to revoke.
        let err = codes::issue(s, &who(), w.campaign.id, w.e[0], id, &first.hash(), later)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{b}: {err}");
        assert!(matches!(
            codes::revoke(s, &who(), w.campaign.id, id).await,
            Err(StoreError::NotFound)
        ));
        // Another person's code, revoked: refused.
        let pid2 = personnel::add(s, &who(), w.e[0], &person("王撤"))
            .await
            .unwrap();
        let id2 = person_id(s, w.e[0], &pid2).await;
        codes::issue(s, &who(), w.campaign.id, w.e[0], id2, &first.hash(), later)
            .await
            .unwrap();
        codes::revoke(s, &who(), w.campaign.id, id2).await.unwrap();
        let r = codes::sign(s, &who(), &first.hash(), "王撤", now, d("2024-07-02"))
            .await
            .unwrap();
        assert_eq!(r.unwrap_err(), CodeRefusal::Revoked, "{b}");
        // A person removed from the list: their good code opens nothing.
        let pid3 = personnel::add(s, &who(), w.e[0], &person("赵离"))
            .await
            .unwrap();
        let id3 = person_id(s, w.e[0], &pid3).await;
        let third = SigningCode::from_random(&[5; 10]);
        codes::issue(s, &who(), w.campaign.id, w.e[0], id3, &third.hash(), later)
            .await
            .unwrap();
        personnel::remove(s, &who(), w.e[0], &pid3).await.unwrap();
        let r = codes::check(s, &who(), &third.hash(), now).await.unwrap();
        assert_eq!(r.unwrap_err(), CodeRefusal::Unknown, "{b}");
        for (event, n) in [
            ("commitment_code_issued", 4),
            ("commitment_code_revoked", 1),
            ("commitment_code_refused", 6),
            ("commitment_signed", 1),
        ] {
            assert_eq!(
                audit::count_events(s, event).await.unwrap(),
                n,
                "{b}: {event}"
            );
        }
        assert!(
            matches!(
                audit::verify(s).await.unwrap(),
                audit::Verification::Intact { .. }
            ),
            "{b}"
        );
        db.cleanup().await;
    }
}
