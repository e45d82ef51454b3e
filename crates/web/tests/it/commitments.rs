//! Enterprise profile, safety management personnel and duty commitments through the pages: who
//! may read and change what (404 outside the scope, 403 inside it, each with its positive
//! control), validation messages, signing with the typed name, the .docx, the text in versions,
//! and coverage filtered by scope.

use axum::http::StatusCode;
use safeduty_core::policy::{Role, Scope};
use safeduty_store::audit::Who;
use safeduty_store::commitments::{self, coverage};
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
