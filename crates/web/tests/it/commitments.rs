//! Enterprise profile, safety management personnel and duty commitments through the pages: who
//! may read and change what (404 outside the scope, 403 inside it, each with its positive
//! control), validation messages, signing with the typed name, the .docx, the text in versions,
//! and coverage filtered by scope.

use axum::http::StatusCode;
use safeduty_core::policy::{Role, Scope};
use safeduty_store::audit::Who;
use safeduty_store::commitments::{self, codes, coverage};
use safeduty_store::org::{self, NewUser};

use crate::app::{Answer, Client, PASSWORD, TestApp};

/// The demo's first enterprise (demo-enterprise) has one safety manager, 陈志远, phone
/// 13807710000; the second (demo-enterprise2) has 吴志远 and 郑志远. Neither has signed.
const OWN_PERSON: &str = "陈志远";
const OTHER_PERSON: &str = "吴志远";

async fn person_of(app: &TestApp, enterprise: &str, name: &str) -> String {
    let e = safeduty_store::org::enterprise_by_public_id(app.store(), enterprise)
        .await
        .unwrap();
    safeduty_store::personnel::list(app.store(), e.id)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.person.name == name)
        .unwrap_or_else(|| panic!("{name} not found"))
        .public_id
}

async fn add_person(app: &TestApp, c: &Client, enterprise: &str) -> Answer {
    app.form(
        c,
        &format!("/enterprises/{enterprise}/personnel"),
        &[
            ("csrf", c.csrf.as_str()),
            ("name", "蓝晓梅"),
            ("employment", "part_time"),
            ("registered_engineer", "on"),
            ("engineer_cert_no", "ZA-2021-000777"),
            ("assessment_cert_no", "99010120009999"),
            ("assessment_valid_until", "2027-06-30"),
            ("appointed_on", "2024-01-02"),
            ("phone", "0771-5550002"),
        ],
    )
    .await
}

async fn sign(app: &TestApp, c: &Client, enterprise: &str, person: &str, name: &str) -> Answer {
    app.form(
        c,
        &format!("/enterprises/{enterprise}/personnel/{person}/sign"),
        &[
            ("csrf", c.csrf.as_str()),
            ("read", "on"),
            ("typed_name", name),
        ],
    )
    .await
}

#[tokio::test]
async fn profile_is_read_in_scope_and_kept_by_the_enterprise() {
    for app in TestApp::all().await {
        let b = app.backend();
        let own = app.enterprise_of("demo-enterprise").await;
        let other = app.enterprise_of("demo-enterprise2").await;
        let ent = app.login("demo-enterprise").await;
        let town = app.login("demo-town").await;
        let office = app.login("demo-office").await;

        // The enterprise: its own profile, in full.
        let page = app.get(&ent, &format!("/enterprises/{own}/profile")).await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert!(
            page.body.contains(OWN_PERSON) && page.body.contains("13807710000"),
            "{b}"
        );
        // Another enterprise's: 404 with no data.
        let page = app
            .get(&ent, &format!("/enterprises/{other}/profile"))
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{b}");
        assert!(!page.body.contains(OTHER_PERSON), "{b}");
        // The territorial unit: its own region's enterprise in full, another region's 404;
        // the committee office reads both, with phone numbers masked.
        let page = app.get(&town, &format!("/enterprises/{own}/profile")).await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert!(page.body.contains("13807710000"), "{b}");
        let page = app
            .get(&town, &format!("/enterprises/{other}/profile"))
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{b}");
        assert!(!page.body.contains(OTHER_PERSON), "{b}");
        let page = app
            .get(&office, &format!("/enterprises/{other}/profile"))
            .await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert!(page.body.contains(OTHER_PERSON), "{b}");
        let page = app
            .get(&office, &format!("/enterprises/{own}/profile"))
            .await;
        assert!(
            page.body.contains("138****0000") && !page.body.contains("13807710000"),
            "{b}"
        );

        // Adding a person: the town may read but not write (403, nothing added); the enterprise
        // may (positive control).
        let res = add_person(&app, &town, &own).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}");
        let e = safeduty_store::org::enterprise_by_public_id(app.store(), &own)
            .await
            .unwrap();
        assert_eq!(
            safeduty_store::personnel::list(app.store(), e.id)
                .await
                .unwrap()
                .len(),
            1
        );
        let res = add_person(&app, &ent, &own).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let people = safeduty_store::personnel::list(app.store(), e.id)
            .await
            .unwrap();
        assert_eq!(people.len(), 2, "{b}");
        assert_eq!(people[1].person.engineer_cert_no, "ZA-2021-000777");
        assert_eq!(
            people[1].person.appointed_on,
            Some("2024-01-02".parse().unwrap())
        );

        // Bad input: 422 with the field named in Chinese, nothing written.
        let res = app
            .form(
                &ent,
                &format!("/enterprises/{own}/personnel"),
                &[
                    ("csrf", ent.csrf.as_str()),
                    ("name", "覃振宇"),
                    ("employment", "full_time"),
                    ("appointed_on", "2024-13-01"),
                    ("phone", "12"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(res.body.contains("任命日期“2024-13-01”不是有效日期"), "{b}");
        assert!(res.body.contains("联系电话“12”格式不正确"), "{b}");
        assert_eq!(
            safeduty_store::personnel::list(app.store(), e.id)
                .await
                .unwrap()
                .len(),
            2
        );
        let res = app
            .form(
                &ent,
                &format!("/enterprises/{own}/profile"),
                &[
                    ("csrf", ent.csrf.as_str()),
                    ("principal", "王\u{1}五"),
                    ("institution", "no"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(res.body.contains("主要负责人含有不可见的控制字符"), "{b}");
        // Without the CSRF token: refused.
        let res = app
            .form(
                &ent,
                &format!("/enterprises/{own}/profile"),
                &[("principal", "王五"), ("institution", "no")],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}");
        let res = app
            .form(
                &ent,
                &format!("/enterprises/{own}/profile"),
                &[
                    ("csrf", ent.csrf.as_str()),
                    ("principal", "王五"),
                    ("institution", "yes"),
                    ("institution_name", "安全环保部"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}");
        let page = app.get(&town, &format!("/enterprises/{own}/profile")).await;
        assert!(
            page.body.contains("王五") && page.body.contains("已设置：安全环保部"),
            "{b}"
        );
        // Removing the person: the enterprise only; another enterprise's person is 404.
        let pid = person_of(&app, &own, "蓝晓梅").await;
        let ent2 = app.login("demo-enterprise2").await;
        let res = app
            .form(
                &ent2,
                &format!("/enterprises/{other}/personnel/{pid}/remove"),
                &[("csrf", ent2.csrf.as_str())],
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{b}");
        let res = app
            .form(
                &ent,
                &format!("/enterprises/{own}/personnel/{pid}/remove"),
                &[("csrf", ent.csrf.as_str())],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}");
        assert_eq!(
            safeduty_store::personnel::list(app.store(), e.id)
                .await
                .unwrap()
                .len(),
            1
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_safety_manager_signs_and_the_signed_text_stays() {
    for app in TestApp::all().await {
        let b = app.backend();
        let own = app.enterprise_of("demo-enterprise").await;
        let other = app.enterprise_of("demo-enterprise2").await;
        let ent = app.login("demo-enterprise").await;
        let ent2 = app.login("demo-enterprise2").await;
        let pid = person_of(&app, &own, OWN_PERSON).await;
        let page = app
            .get(&ent, &format!("/enterprises/{own}/commitment"))
            .await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert!(
            page.body.contains("第1版") && page.body.contains("未签署"),
            "{b}"
        );
        // Another enterprise's user: 404, nothing signed.
        let res = sign(&app, &ent2, &own, &pid, OWN_PERSON).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{b}");
        let res = sign(&app, &ent2, &other, &pid, OWN_PERSON).await;
        assert_eq!(
            res.status,
            StatusCode::NOT_FOUND,
            "{b}: the person is not theirs"
        );
        // A name that is not the person's: refused, nothing signed.
        let res = sign(&app, &ent, &own, &pid, "陈志").await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(res.body.contains("与安全管理人员“陈志远”不一致"), "{b}");
        let campaign = safeduty_store::campaigns::latest(app.store())
            .await
            .unwrap()
            .unwrap();
        let e = safeduty_store::org::enterprise_by_public_id(app.store(), &own)
            .await
            .unwrap();
        assert!(
            commitments::signatures(app.store(), campaign.id, e.id)
                .await
                .unwrap()
                .is_empty()
        );
        // The person's own name, typed with a full-width space: signed.
        let res = sign(&app, &ent, &own, &pid, "陈　志远").await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let sigs = commitments::signatures(app.store(), campaign.id, e.id)
            .await
            .unwrap();
        assert_eq!(sigs.len(), 1, "{b}");
        let v1 = commitments::current_text(app.store(), campaign.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(sigs[0].signed_text, v1.body);
        assert_eq!(sigs[0].text_sha256, commitments::text_hash(&v1.body));
        assert_eq!(
            sigs[0].signed_on,
            "2024-06-20".parse().unwrap(),
            "{b}: the product's today"
        );
        assert_eq!(sigs[0].method, commitments::BY_ENTERPRISE, "{b}");
        let page = app
            .get(&ent, &format!("/enterprises/{own}/commitment"))
            .await;
        assert!(
            page.body.contains("（第1版，企业代签）"),
            "{b}: the record says how it was signed"
        );
        // Twice: a conflict.
        let res = sign(&app, &ent, &own, &pid, OWN_PERSON).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{b}");

        // The printable commitment: the enterprise, its town and its department; not another
        // enterprise.
        let docx = format!("/commitments/{}/docx", sigs[0].public_id);
        for user in ["demo-enterprise", "demo-town", "demo-dept", "demo-office"] {
            let c = app.login(user).await;
            let res = app.get(&c, &docx).await;
            assert_eq!(res.status, StatusCode::OK, "{b}: {user}");
            assert!(
                res.headers["content-type"]
                    .to_str()
                    .unwrap()
                    .contains("wordprocessingml")
            );
        }
        let res = app.get(&ent2, &docx).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{b}");

        // A new version of the text: only the committee office (403 for the district's
        // department: the campaign's region is in its scope, the action is not its role's);
        // what was signed stays as signed.
        let dept = app.login("demo-dept").await;
        let res = app
            .form(
                &dept,
                "/commitments/text",
                &[("csrf", dept.csrf.as_str()), ("body", "新文本")],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}");
        let office = app.login("demo-office").await;
        let res = app
            .form(
                &office,
                "/commitments/text",
                &[
                    ("csrf", office.csrf.as_str()),
                    ("body", "履职承诺书\r\n第二版文本。\r\n"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}");
        let v2 = commitments::current_text(app.store(), campaign.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (v2.version, v2.body.as_str()),
            (2, "履职承诺书\n第二版文本。")
        );
        let after = commitments::signatures(app.store(), campaign.id, e.id)
            .await
            .unwrap();
        assert_eq!(after, sigs, "{b}: the signed commitment is unchanged");
        assert_eq!(
            after[0].text_sha256,
            commitments::text_hash(&after[0].signed_text)
        );
        let page = app
            .get(&ent, &format!("/enterprises/{own}/commitment"))
            .await;
        assert!(
            page.body.contains("第2版") && page.body.contains("（第1版，企业代签）"),
            "{b}"
        );

        app.cleanup().await;
    }
}

#[tokio::test]
async fn coverage_is_filtered_by_scope() {
    for app in TestApp::all().await {
        let b = app.backend();
        let campaign = safeduty_store::campaigns::latest(app.store())
            .await
            .unwrap()
            .unwrap();
        let office_user = safeduty_store::org::user_by_username(app.store(), "demo-office")
            .await
            .unwrap();
        let town_user = safeduty_store::org::user_by_username(app.store(), "demo-town")
            .await
            .unwrap();
        let all = coverage::coverage(app.store(), &office_user.scope, campaign.id)
            .await
            .unwrap();
        let town = coverage::coverage(app.store(), &town_user.scope, campaign.id)
            .await
            .unwrap();
        // The demo: 300 enterprises, every one in a key industry, 60 per town.
        assert_eq!(all.total.enterprises, 300, "{b}");
        assert_eq!(all.by_region.len(), 5, "{b}");
        assert_eq!(town.total.enterprises, 60, "{b}");
        assert_eq!(town.by_region.len(), 1, "{b}");
        let mut in_office_view = all.by_region[0].clone();
        in_office_view.group = town.total.group.clone();
        assert_eq!(
            town.total, in_office_view,
            "{b}: the town sees its own row, exactly"
        );
        // The demo rules: every seventh enterprise has no manager; 1 to 3 managers otherwise.
        assert_eq!(all.total.without_personnel, 43, "{b}");
        assert_eq!(all.total.managers, all.total.signed + all.total.unsigned);

        let office = app.login("demo-office").await;
        let page = app.get(&office, "/commitments/coverage").await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert!(
            page.body.contains("西岭镇") && page.body.contains("修改承诺书文本"),
            "{b}"
        );
        let c = app.login("demo-town").await;
        let page = app.get(&c, "/commitments/coverage").await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert!(
            !page.body.contains("西岭镇"),
            "{b}: another town's rows are not shown"
        );
        assert!(!page.body.contains("修改承诺书文本"), "{b}");
        let missing = coverage::missing(app.store(), &town_user.scope, campaign.id, 1000)
            .await
            .unwrap();
        assert!(missing.iter().all(|m| m.region_name == "东湖街道"), "{b}");
        assert_eq!(
            missing.len() as i64,
            town.total.unsigned + town.total.without_personnel,
            "{b}"
        );
        // The enterprise user may not see coverage (403); the assessor may (positive control).
        let ent = app.login("demo-enterprise").await;
        assert_eq!(
            app.get(&ent, "/commitments/coverage").await.status,
            StatusCode::FORBIDDEN
        );
        let assessor = app.login("demo-assessor").await;
        assert_eq!(
            app.get(&assessor, "/commitments/coverage").await.status,
            StatusCode::OK
        );
        assert_eq!(
            app.get(&assessor, "/commitments/text").await.status,
            StatusCode::FORBIDDEN
        );
        assert!(matches!(town_user.scope, Scope::RegionSubtree { .. }));
        app.cleanup().await;
    }
}

/// A committee office of another district (`88`, outside the demo's 示例区), logged in.
async fn office_elsewhere(app: &TestApp) -> Client {
    let mut tx = app.store().write().await.unwrap();
    let region = org::create_region(
        &mut tx,
        &Who::system(),
        None,
        "88",
        "另一示例区",
        "district",
    )
    .await
    .unwrap();
    org::create_user(
        &mut tx,
        &Who::system(),
        &NewUser {
            username: "office-elsewhere".into(),
            display_name: "另一示例区安委办".into(),
            password_hash: safeduty_web::auth::hash_password(PASSWORD).unwrap(),
            role: Role::CommitteeOffice,
            region_id: Some(region.id),
            unit_id: None,
            enterprise_id: None,
            is_demo: true,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    app.login("office-elsewhere").await
}

#[tokio::test]
async fn the_text_is_set_only_for_a_campaign_of_the_offices_region() {
    for app in TestApp::all().await {
        let b = app.backend();
        let campaign = safeduty_store::campaigns::latest(app.store())
            .await
            .unwrap()
            .unwrap();
        let v1 = commitments::current_text(app.store(), campaign.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(v1.version, 1, "{b}");
        let head: String = v1
            .body
            .lines()
            .find(|l| l.chars().count() > 12)
            .unwrap_or_default()
            .chars()
            .take(12)
            .collect();
        assert_eq!(
            head.chars().count(),
            12,
            "{b}: a line of the text to look for"
        );
        let denials = app.audit_count("permission_denied").await;

        // The office of another district works in its own district's campaign, and that
        // district has none: 404 with nothing of 示例区's text, nothing written (no campaign of
        // its own, so nothing it was denied).
        let elsewhere = office_elsewhere(&app).await;
        let page = app.get(&elsewhere, "/commitments/text").await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{b}");
        assert!(!page.body.contains(&head), "{b}");
        let res = app
            .form(
                &elsewhere,
                "/commitments/text",
                &[("csrf", elsewhere.csrf.as_str()), ("body", "他区文本")],
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{b}");
        let page = app.get(&elsewhere, "/commitments/coverage").await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{b}");
        assert!(!page.body.contains("修改承诺书文本"), "{b}");
        // A town's officer: the district's campaign is outside the town's subtree.
        let town = app.login("demo-town").await;
        let res = app
            .form(
                &town,
                "/commitments/text",
                &[("csrf", town.csrf.as_str()), ("body", "街道文本")],
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{b}");
        assert_eq!(
            commitments::texts(app.store(), campaign.id).await.unwrap(),
            vec![v1.clone()],
            "{b}: nothing written"
        );
        assert_eq!(
            app.audit_count("permission_denied").await,
            denials + 1,
            "{b}: the town's refusal"
        );

        // Positive control: the district's own office reads and sets it.
        let office = app.login("demo-office").await;
        let page = app.get(&office, "/commitments/text").await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert!(page.body.contains(&head), "{b}");
        let res = app
            .form(
                &office,
                "/commitments/text",
                &[("csrf", office.csrf.as_str()), ("body", "本区文本")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}");
        let texts = commitments::texts(app.store(), campaign.id).await.unwrap();
        assert_eq!(
            texts
                .iter()
                .map(|t| (t.version, t.body.as_str()))
                .collect::<Vec<_>>(),
            vec![(2, "本区文本"), (1, v1.body.as_str())],
            "{b}"
        );
        app.cleanup().await;
    }
}

/// A small PNG photo (made here, so that its bytes are known).
fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 5) as u8, 90])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[tokio::test]
async fn the_publication_is_recorded_with_its_photo() {
    for app in TestApp::all().await {
        let b = app.backend();
        let own = app.enterprise_of("demo-enterprise").await;
        let ent = app.login("demo-enterprise").await;
        let campaign = safeduty_store::campaigns::latest(app.store())
            .await
            .unwrap()
            .unwrap();
        let e = safeduty_store::org::enterprise_by_public_id(app.store(), &own)
            .await
            .unwrap();
        let path = format!("/enterprises/{own}/commitment/publication");
        let photo = png();
        let publish = |on: &'static str, file: Option<(&'static str, Vec<u8>)>| {
            let (app, ent, path) = (&app, &ent, path.clone());
            async move {
                let fields = [
                    ("csrf", ent.csrf.as_str()),
                    ("place", "厂区公告栏"),
                    ("published_on", on),
                ];
                let file = file.as_ref().map(|(n, bytes)| (*n, bytes.as_slice()));
                app.multipart(ent, &path, &fields, file).await
            }
        };
        let files = || async {
            safeduty_store::attachments::list_of_kind(app.store(), e.id, "commitment_publication")
                .await
                .unwrap()
        };
        let nothing_written = || async {
            assert!(
                commitments::publication(app.store(), campaign.id, e.id)
                    .await
                    .unwrap()
                    .is_none(),
                "{b}"
            );
            assert!(files().await.is_empty(), "{b}");
        };
        let added = app.audit_count("attachment_added").await;

        // Refused, nothing written: a future date; no photo; a "photo" that is not one (its
        // content is text); a file of an accepted kind that is no photo or scan.
        let res = publish("2024-06-21", Some(("公告栏.png", photo.clone()))).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(res.body.contains("公开日期2024-06-21晚于今天"), "{b}");
        assert!(
            res.body.contains("value=\"厂区公告栏\""),
            "{b}: what was typed is kept"
        );
        let res = publish("2024-06-20", None).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(res.body.contains("请上传公开情况的照片或扫描件"), "{b}");
        let res = publish(
            "2024-06-20",
            Some(("公告栏.jpg", "这不是照片".as_bytes().to_vec())),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            res.body.contains("文件“公告栏.jpg”的内容不是"),
            "{b}: {}",
            res.body
        );
        let res = publish(
            "2024-06-20",
            Some(("公开说明.txt", "已在公告栏公开".as_bytes().to_vec())),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(res.body.contains("请上传现场照片"), "{b}");
        nothing_written().await;
        assert_eq!(app.audit_count("attachment_added").await, added, "{b}");
        // Another enterprise's user: 404, nothing written.
        let ent2 = app.login("demo-enterprise2").await;
        let res = app
            .multipart(
                &ent2,
                &path,
                &[
                    ("csrf", ent2.csrf.as_str()),
                    ("place", "公告栏"),
                    ("published_on", "2024-06-20"),
                ],
                Some(("公告栏.png", &photo)),
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{b}");
        nothing_written().await;

        // The record with its photo: both written.
        let res = publish("2024-06-20", Some(("公告栏照片.png", photo.clone()))).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let p = commitments::publication(app.store(), campaign.id, e.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (p.place.as_str(), p.published_on.to_string().as_str()),
            ("厂区公告栏", "2024-06-20")
        );
        let stored = files().await;
        assert_eq!(
            stored
                .iter()
                .map(|a| (a.name.as_str(), a.content_type.as_str(), a.owner_id.clone()))
                .collect::<Vec<_>>(),
            [("公告栏照片.png", "image/png", p.id.to_string())],
            "{b}"
        );
        assert_eq!(app.audit_count("attachment_added").await, added + 1, "{b}");
        let a = &stored[0];
        let page = app
            .get(&ent, &format!("/enterprises/{own}/commitment"))
            .await;
        assert!(
            page.body.contains(&format!(
                "<a href=\"/attachments/{}\">公告栏照片.png</a>",
                a.public_id
            )) && page
                .body
                .contains(&format!("/attachments/{}/thumbnail", a.public_id)),
            "{b}"
        );

        // Downloads: in scope the exact bytes (the enterprise, its town, the office); another
        // enterprise 404 with nothing of the file.
        for user in ["demo-enterprise", "demo-town", "demo-office"] {
            let c = app.login(user).await;
            let res = app.get(&c, &format!("/attachments/{}", a.public_id)).await;
            assert_eq!(res.status, StatusCode::OK, "{b}: {user}");
            // The body as the test client keeps it (lossy UTF-8): the same bytes give the same text.
            assert_eq!(res.body, String::from_utf8_lossy(&photo), "{b}: {user}");
            assert_eq!(res.headers["content-type"], "image/png", "{b}: {user}");
        }
        let res = app
            .get(&ent2, &format!("/attachments/{}", a.public_id))
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{b}");
        assert!(!res.body.contains("公告栏照片"), "{b}");

        // A correction without a new file: the photo stays, one file.
        let res = publish("2024-06-19", None).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        let p = commitments::publication(app.store(), campaign.id, e.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(p.published_on.to_string(), "2024-06-19", "{b}");
        assert_eq!(files().await.len(), 1, "{b}");
        app.cleanup().await;
    }
}

#[tokio::test]
async fn every_page_of_an_enterprise_has_the_same_tabs() {
    let app = TestApp::sqlite().await;
    let own = app.enterprise_of("demo-enterprise").await;
    let tabs = [
        (format!("/enterprises/{own}"), "自查自纠"),
        (format!("/enterprises/{own}#findings"), "问题隐患"),
        (format!("/enterprises/{own}/records"), "台账记录"),
        (format!("/enterprises/{own}/profile"), "企业档案"),
        (format!("/enterprises/{own}/commitment"), "履职承诺"),
    ];
    for user in ["demo-enterprise", "demo-town"] {
        let c = app.login(user).await;
        for (page, active) in [
            (0, "自查自纠"),
            (2, "台账记录"),
            (3, "企业档案"),
            (4, "履职承诺"),
        ] {
            let body = app.get(&c, &tabs[page].0).await.body;
            let nav = body
                .split("<nav class=\"tabs\">")
                .nth(1)
                .and_then(|rest| rest.split("</nav>").next())
                .unwrap_or_else(|| panic!("{user} {}: no tabs", tabs[page].0));
            for (href, label) in &tabs {
                let class = if label == &active {
                    " class=\"active\""
                } else {
                    ""
                };
                assert!(
                    nav.contains(&format!("<a href=\"{href}\"{class}>{label}</a>")),
                    "{user} {}: tab {label} in {nav}",
                    tabs[page].0
                );
            }
        }
    }
    // The findings tab leads to the self-inspection page's findings section.
    let c = app.login("demo-enterprise").await;
    assert!(
        app.get(&c, &tabs[0].0)
            .await
            .body
            .contains("<section class=\"card\" id=\"findings\">")
    );
    app.cleanup().await;
}

/// The signing code shown on the commitment page after 生成签署码, checked to be of the form
/// `XXXXX-XXXXX` in the code's alphabet (digits and capitals without 0, 1, I, O).
fn shown_code(body: &str) -> String {
    let code: String = body
        .split("<strong class=\"signing-code\">")
        .nth(1)
        .and_then(|r| r.split("</strong>").next())
        .unwrap_or_else(|| panic!("no code shown in {body}"))
        .to_string();
    let alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let groups: Vec<&str> = code.split('-').collect();
    assert!(
        groups.len() == 2
            && groups
                .iter()
                .all(|g| g.len() == 5 && g.chars().all(|c| alphabet.contains(c))),
        "{code} is not XXXXX-XXXXX"
    );
    code
}

/// A browser without an account on the signing page: `GET /sign` gives the form's pre-session
/// CSRF token and its cookie, which the client then sends.
async fn signer(app: &TestApp) -> Client {
    let page = app
        .send(
            axum::http::Request::get("/sign")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers["cache-control"], "no-store");
    let csrf = page
        .body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("the signing form carries a CSRF token")
        .to_string();
    let cookie = page
        .headers
        .get_all(axum::http::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next())
        .find(|v| v.starts_with("safeduty_login_csrf="))
        .expect("the signing page sets the pre-session cookie")
        .to_string();
    Client { cookie, csrf }
}

/// `POST /sign` as the person: `step` open or sign.
async fn on_sign_page(
    app: &TestApp,
    c: &Client,
    step: &str,
    code: &str,
    read: bool,
    name: &str,
) -> Answer {
    let mut fields = vec![("csrf", c.csrf.as_str()), ("step", step), ("code", code)];
    if read {
        fields.push(("read", "on"));
    }
    if step == "sign" {
        fields.push(("typed_name", name));
    }
    app.form(c, "/sign", &fields).await
}

/// Issue #18 point 9 through the pages: the enterprise issues 陈志远 a code (shown once, with
/// its expiry in the demo clock's frame), issues again (the first is refused), revokes (refused
/// after), issues a third; 陈志远 opens it on `/sign` without an account, sees his name and the
/// text (not the enterprise), is refused for a wrong name (the code stays good) and for the box
/// not ticked, signs; the code cannot be used twice; an expired code is refused; the signature
/// says 本人签署（签署码） with his name; every step is in the audit trail. Another enterprise
/// is answered 404, the enterprise's town 403.
#[tokio::test]
async fn a_safety_manager_signs_with_a_code_the_enterprise_issued() {
    for app in TestApp::all().await {
        let b = app.backend();
        let own = app.enterprise_of("demo-enterprise").await;
        let other = app.enterprise_of("demo-enterprise2").await;
        let ent = app.login("demo-enterprise").await;
        let ent2 = app.login("demo-enterprise2").await;
        let town = app.login("demo-town").await;
        let pid = person_of(&app, &own, OWN_PERSON).await;
        let issue_path = format!("/enterprises/{own}/personnel/{pid}/signing-code");
        let revoke_path = format!("{issue_path}/revoke");
        let page_path = format!("/enterprises/{own}/commitment");
        let e = org::enterprise_by_public_id(app.store(), &own)
            .await
            .unwrap();
        let campaign = safeduty_store::campaigns::latest(app.store())
            .await
            .unwrap()
            .unwrap();
        let events = |app: &TestApp| {
            let app = app.store().clone();
            async move {
                let mut out = Vec::new();
                for event in [
                    "commitment_code_issued",
                    "commitment_code_revoked",
                    "commitment_code_refused",
                    "commitment_signed",
                ] {
                    out.push(
                        safeduty_store::audit::count_events(&app, event)
                            .await
                            .unwrap(),
                    );
                }
                out
            }
        };
        // The demo signed some commitments for other enterprises; no code was issued.
        let before = events(&app).await;
        assert_eq!(before[..3], [0, 0, 0], "{b}");

        let page = app.get(&ent, &page_path).await;
        assert!(
            page.body.contains(">生成签署码</button>") && page.body.contains("企业代签"),
            "{b}: both ways to sign are offered"
        );
        // Another enterprise: 404 (for this enterprise, and for its own with this person);
        // the town reads the page but may not issue (403); nothing issued.
        let res = app.form(&ent2, &issue_path, &[("csrf", &ent2.csrf)]).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{b}");
        let res = app
            .form(
                &ent2,
                &format!("/enterprises/{other}/personnel/{pid}/signing-code"),
                &[("csrf", &ent2.csrf)],
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{b}");
        let res = app.form(&town, &issue_path, &[("csrf", &town.csrf)]).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{b}");
        assert!(
            codes::states(app.store(), campaign.id, e.id)
                .await
                .unwrap()
                .is_empty(),
            "{b}"
        );

        // Issued: shown once, good for 72 hours from now — in the demo's frame three days after
        // its fixed 2024-06-20 — with the instruction to hand it to the person.
        let res = app.form(&ent, &issue_path, &[("csrf", &ent.csrf)]).await;
        assert_eq!(res.status, StatusCode::OK, "{b}: {}", res.body);
        assert_eq!(res.headers["cache-control"], "no-store", "{b}");
        let first = shown_code(&res.body);
        assert!(res.body.contains("有效至 2024-06-23 "), "{b}");
        assert!(
            res.body.contains("请将签署码当面或电话告知陈志远本人"),
            "{b}"
        );
        // Issued again: another code; the first is refused on the signing page.
        let res = app.form(&ent, &issue_path, &[("csrf", &ent.csrf)]).await;
        let second = shown_code(&res.body);
        assert_ne!(first, second, "{b}");
        let person = signer(&app).await;
        let res = on_sign_page(&app, &person, "open", &first, false, "").await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(res.body.contains("签署码不正确"), "{b}");
        assert!(
            res.body.contains(&format!("value=\"{first}\"")),
            "{b}: the code typed is kept"
        );
        // The page says who holds a code, without showing it again.
        let page = app.get(&ent, &page_path).await;
        assert!(
            page.body.contains("已发放签署码，2024-06-23 ")
                && page.body.contains(">作废签署码</button>")
                && page.body.contains(">重新生成签署码</button>"),
            "{b}"
        );
        assert!(!page.body.contains(&second), "{b}: the code is shown once");
        // Revoked: refused after; revoking again is told there is nothing to revoke.
        let res = app.form(&ent, &revoke_path, &[("csrf", &ent.csrf)]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}");
        let res = on_sign_page(&app, &person, "open", &second, false, "").await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(res.body.contains("签署码已作废"), "{b}");
        let res = app.form(&ent, &revoke_path, &[("csrf", &ent.csrf)]).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{b}");
        assert!(
            res.body.contains("陈志远没有未使用的签署码，无需作废"),
            "{b}: said on the page"
        );
        assert!(
            app.get(&ent, &page_path)
                .await
                .body
                .contains("签署码已作废"),
            "{b}"
        );

        // A third code, typed loosely (lower case, a space for the dash): the person's name and
        // the text, nothing of the enterprise.
        let res = app.form(&ent, &issue_path, &[("csrf", &ent.csrf)]).await;
        let third = shown_code(&res.body);
        let loose = third.to_lowercase().replace('-', " ");
        let v1 = commitments::current_text(app.store(), campaign.id)
            .await
            .unwrap()
            .unwrap();
        let res = on_sign_page(&app, &person, "open", &loose, false, "").await;
        assert_eq!(res.status, StatusCode::OK, "{b}: {}", res.body);
        assert!(
            res.body
                .contains("签署人：<strong class=\"signer\">陈志远</strong>")
                && res.body.contains("安全生产履职承诺书（第1版）"),
            "{b}"
        );
        let line = v1.body.lines().find(|l| l.chars().count() > 8).unwrap();
        assert!(res.body.contains(line), "{b}: the text is shown");
        assert!(
            !res.body.contains(&e.name),
            "{b}: only the name and the text"
        );
        // A name that differs: refused, what was typed kept, the code still good.
        let res = on_sign_page(&app, &person, "sign", &loose, true, "陈志").await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(res.body.contains("与安全管理人员“陈志远”不一致"), "{b}");
        assert!(
            res.body.contains("value=\"陈志\"") && res.body.contains(" checked"),
            "{b}: the name and the box are kept"
        );
        // Not read: refused.
        let res = on_sign_page(&app, &person, "sign", &third, false, OWN_PERSON).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(res.body.contains("请先阅读承诺书全文"), "{b}");
        assert!(
            commitments::signatures(app.store(), campaign.id, e.id)
                .await
                .unwrap()
                .is_empty(),
            "{b}: nothing signed"
        );
        // Signed by the person.
        let res = on_sign_page(&app, &person, "sign", &third, true, OWN_PERSON).await;
        assert_eq!(res.status, StatusCode::OK, "{b}: {}", res.body);
        assert!(
            res.body
                .contains("陈志远，您已于 2024-06-20 本人签署《安全生产履职承诺书》（第1版）"),
            "{b}"
        );
        let sigs = commitments::signatures(app.store(), campaign.id, e.id)
            .await
            .unwrap();
        assert_eq!(sigs.len(), 1, "{b}");
        assert_eq!(
            (
                sigs[0].method.as_str(),
                sigs[0].personnel_name.as_str(),
                sigs[0].typed_name.as_str(),
                sigs[0].signed_on.to_string().as_str(),
                sigs[0].version,
            ),
            (
                commitments::BY_CODE,
                OWN_PERSON,
                OWN_PERSON,
                "2024-06-20",
                1
            ),
            "{b}"
        );
        assert_eq!(sigs[0].signed_text, v1.body, "{b}");
        // Not twice.
        let res = on_sign_page(&app, &person, "sign", &third, true, OWN_PERSON).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(res.body.contains("签署码已使用过，承诺书已签署。"), "{b}");
        // The enterprise's page: signed by the person, no more code to issue.
        let page = app.get(&ent, &page_path).await;
        assert!(page.body.contains("（第1版，本人签署（签署码））"), "{b}");
        let row = page
            .body
            .split(&format!("<tr id=\"person-{pid}\">"))
            .nth(1)
            .and_then(|r| r.split("</tr>").next())
            .unwrap();
        assert!(
            row.contains("<td class=\"name\">陈志远</td>") && row.contains("已签署"),
            "{b}"
        );
        assert!(!row.contains("生成签署码"), "{b}");
        let res = app.form(&ent, &issue_path, &[("csrf", &ent.csrf)]).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{b}");

        // An expired code (another person's, its expiry moved to the past): refused.
        let res = add_person(&app, &ent, &own).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}");
        let pid2 = person_of(&app, &own, "蓝晓梅").await;
        let res = app
            .form(
                &ent,
                &format!("/enterprises/{own}/personnel/{pid2}/signing-code"),
                &[("csrf", &ent.csrf)],
            )
            .await;
        let fourth = shown_code(&res.body);
        let mut tx = app.store().write().await.unwrap();
        sqlx::query(
            "UPDATE commitment_signing_codes SET expires_at = $1 WHERE enterprise_id = $2 \
             AND used_at IS NULL",
        )
        .bind("2020-01-01T00:00:00.000000Z")
        .bind(e.id)
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let res = on_sign_page(&app, &person, "open", &fourth, false, "").await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(res.body.contains("签署码已过期"), "{b}");
        assert!(
            app.get(&ent, &page_path).await.body.contains("签署码已于"),
            "{b}: the page says it expired"
        );

        // The trail: four codes issued, one revoked, four refusals (replaced, revoked, used,
        // expired; a wrong name or the box not ticked is not a refused code), one signature.
        assert_eq!(events(&app).await, [4, 1, 4, before[3] + 1], "{b}");
        let mut tx = app.store().write().await.unwrap();
        let row = sqlx::query(
            "SELECT actor_user_id, actor_role FROM audit_records \
             WHERE event = 'commitment_signed' ORDER BY seq DESC LIMIT 1",
        )
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        use sqlx::Row as _;
        let actor: (Option<i64>, Option<String>) = (
            row.try_get("actor_user_id").unwrap(),
            row.try_get("actor_role").unwrap(),
        );
        assert_eq!(
            actor,
            (None, None),
            "{b}: signed by the person, not by an account"
        );
        app.cleanup().await;
    }
}

/// The API issues and revokes codes as the page does: 201 with the code and its UTC expiry
/// (not cached), 204 for a revocation, 409 when there is nothing to revoke or the enterprise is
/// outside the key industries; 404 for another enterprise, 403 for the town.
#[tokio::test]
async fn signing_codes_over_the_api() {
    for app in TestApp::all().await {
        let b = app.backend();
        let own = app.enterprise_of("demo-enterprise").await;
        let pid = person_of(&app, &own, OWN_PERSON).await;
        let path = format!("/api/v1/enterprises/{own}/personnel/{pid}/signing-code");
        let post = |c: &Client, path: String| {
            axum::http::Request::post(path)
                .header(axum::http::header::COOKIE, &c.cookie)
                .header("x-csrf-token", &c.csrf)
                .body(axum::body::Body::empty())
                .unwrap()
        };
        let ent = app.login("demo-enterprise").await;
        let ent2 = app.login("demo-enterprise2").await;
        let town = app.login("demo-town").await;
        assert_eq!(
            app.send(post(&ent2, path.clone())).await.status,
            StatusCode::NOT_FOUND,
            "{b}"
        );
        assert_eq!(
            app.send(post(&town, path.clone())).await.status,
            StatusCode::FORBIDDEN,
            "{b}"
        );
        let before = chrono::Utc::now();
        let res = app.send(post(&ent, path.clone())).await;
        assert_eq!(res.status, StatusCode::CREATED, "{b}: {}", res.body);
        assert_eq!(res.headers["cache-control"], "no-store", "{b}");
        let j = res.json();
        assert_eq!(j["person_name"], OWN_PERSON, "{b}");
        let code = j["code"].as_str().unwrap();
        assert_eq!(
            shown_code(&format!("<strong class=\"signing-code\">{code}</strong>")),
            code
        );
        let expires: chrono::DateTime<chrono::Utc> =
            j["expires_at"].as_str().unwrap().parse().unwrap();
        let hours = (expires - before).num_minutes();
        assert!(
            (72 * 60..72 * 60 + 2).contains(&hours),
            "{b}: {hours} minutes"
        );
        let person = signer(&app).await;
        let res = on_sign_page(&app, &person, "open", code, false, "").await;
        assert_eq!(res.status, StatusCode::OK, "{b}");
        let res = app.send(post(&ent, format!("{path}/revoke"))).await;
        assert_eq!(res.status, StatusCode::NO_CONTENT, "{b}: {}", res.body);
        let res = app.send(post(&ent, format!("{path}/revoke"))).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{b}");
        assert_eq!(
            res.json()["message"],
            "陈志远没有未使用的签署码，无需作废",
            "{b}"
        );
        let res = on_sign_page(&app, &person, "open", code, false, "").await;
        assert!(res.body.contains("签署码已作废"), "{b}");
        // An enterprise outside the key industries signs nothing: no code (409), none issued.
        let mut tx = app.store().write().await.unwrap();
        sqlx::query("UPDATE enterprises SET industry = $1 WHERE public_id = $2")
            .bind(safeduty_core::roster::values::OTHER_INDUSTRY)
            .bind(&own)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let issued = app.audit_count("commitment_code_issued").await;
        let res = app.send(post(&ent, path.clone())).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{b}");
        assert!(
            res.json()["message"]
                .as_str()
                .unwrap()
                .contains("不属于须签订履职承诺书的重点行业领域"),
            "{b}"
        );
        assert_eq!(
            app.audit_count("commitment_code_issued").await,
            issued,
            "{b}"
        );
        app.cleanup().await;
    }
}

/// The signing page is rate limited per client address (here 3 tries a window): the fourth
/// try from one address is answered 429 with `Retry-After` and the message on the page, and is
/// not checked (no refusal recorded); another address still gets its answer.
#[tokio::test]
async fn the_signing_page_is_rate_limited_per_address() {
    let app = TestApp::sqlite().await;
    let state = safeduty_web::AppState::new(
        app.store().clone(),
        safeduty_core::calendar::Calendar::shipped(),
        safeduty_web::Clock::Fixed("2024-06-20".parse().unwrap()),
        safeduty_web::WebConfig {
            sign_limits: safeduty_web::rate_limit::SignLimits {
                per_address: 3,
                window: std::time::Duration::from_secs(600),
            },
            ..safeduty_web::WebConfig::default()
        },
    );
    let router = safeduty_web::router(state);
    let person = signer(&app).await;
    let from = |addr: &str| {
        let body = serde_urlencoded::to_string([
            ("csrf", person.csrf.as_str()),
            ("step", "open"),
            ("code", "22222-33333"),
        ])
        .unwrap();
        let mut req = axum::http::Request::post("/sign")
            .header(axum::http::header::COOKIE, &person.cookie)
            .header(
                axum::http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(axum::body::Body::from(body))
            .unwrap();
        req.extensions_mut().insert(axum::extract::ConnectInfo(
            addr.parse::<std::net::SocketAddr>().unwrap(),
        ));
        req
    };
    for _ in 0..3 {
        let res = crate::app::answer(router.clone(), from("198.51.100.7:40000")).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("签署码不正确"));
    }
    assert_eq!(app.audit_count("commitment_code_refused").await, 3);
    let res = crate::app::answer(router.clone(), from("198.51.100.7:40001")).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.headers["retry-after"], "600");
    assert!(res.body.contains("尝试次数过多，请10分钟后再试"));
    assert!(
        res.body.contains("value=\"22222-33333\""),
        "the code typed is kept"
    );
    assert_eq!(
        app.audit_count("commitment_code_refused").await,
        3,
        "the limited try was not checked"
    );
    let res = crate::app::answer(router.clone(), from("198.51.100.8:40000")).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.audit_count("commitment_code_refused").await, 4);
    app.cleanup().await;
}
