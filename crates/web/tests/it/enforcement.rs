//! Strict enforcement in the browser (issue #12 points 4–7, 9, 10), by the forms, on SQLite
//! and PostgreSQL: an inspection of every check item recorded by two certified officers opens
//! its 不符合 items as findings in the one ledger; one officer or an expired certificate is
//! refused naming the field and writes nothing; an order issued on 2024-09-27 with 15 working
//! days falls due on 2024-10-23; the enterprise asks for more time and the unit approves; a
//! re-inspection before the order is refused, one that finds a finding not corrected refers the
//! enterprise for a case; the generated documents carry their numbers; a signed scan is kept and
//! superseded only with a reason.

use axum::http::{StatusCode, header};
use safeduty_core::finding::ledger::Source;

use crate::app::{Client, TestApp};
use crate::authz_matrix::business_snapshot;

/// The fields of an inspection recorded on `date` by `officers`: every item of the campaign
/// conforming but those of `failing` (item, note), the first of which names a suspected
/// violation.
fn inspection_fields(
    c: &Client,
    items: &[u32],
    date: &str,
    officers: &[i64],
    failing: &[(u32, &str)],
) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = [
        ("csrf", c.csrf.as_str()),
        ("date", date),
        ("start_time", "09:00"),
        ("end_time", "11:30"),
        ("place", "一号生产车间"),
        ("person_present", "陈志远"),
        ("person_present_role", "安全生产管理人员"),
        ("notice", "unannounced"),
        ("guest_name_1", "刘专家"),
        ("guest_kind_1", "expert"),
        ("guest_org_1", "示例安全技术服务中心"),
        ("summary", "现场检查31项履职事项"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for o in officers {
        f.push(("officer".into(), o.to_string()));
    }
    for n in items {
        match failing.iter().position(|(k, _)| k == n) {
            Some(i) => {
                f.push((format!("answer_{n}"), "non_conform".into()));
                f.push((format!("note_{n}"), failing[i].1.into()));
                if i == 0 {
                    f.push((format!("violation_{n}"), "wsl-25-1".into()));
                }
            }
            None => f.push((format!("answer_{n}"), "conform".into())),
        }
    }
    f
}

async fn post(
    app: &TestApp,
    c: &Client,
    path: &str,
    fields: &[(String, String)],
) -> crate::app::Answer {
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.form(c, path, &fields).await
}

fn location(a: &crate::app::Answer) -> String {
    a.headers
        .get(header::LOCATION)
        .unwrap_or_else(|| panic!("no redirect: {} {}", a.status, a.body))
        .to_str()
        .unwrap()
        .to_string()
}

/// The version a page's forms carry.
fn version(body: &str) -> String {
    body.split("name=\"version\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a form with the version")
        .to_string()
}

/// The file name of a download, from its `filename*` (RFC 5987 percent-encoding).
fn file_name(a: &crate::app::Answer) -> String {
    let d = a.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    let encoded = d.split("filename*=UTF-8''").nth(1).expect("filename*");
    let bytes = encoded.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&encoded[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

async fn items(app: &TestApp) -> Vec<u32> {
    safeduty_store::campaigns::latest(app.store())
        .await
        .unwrap()
        .unwrap()
        .item_numbers()
}

#[tokio::test]
async fn two_certified_officers_record_an_inspection_and_its_failures_join_the_ledger() {
    for app in TestApp::all().await {
        let b = app.backend();
        let (town, second) = app.seed_officers().await;
        let c = app.login("demo-town").await;
        let e = app.enterprise_of("demo-enterprise").await;
        let items = items(&app).await;
        assert_eq!(items.len(), 31, "{b}: the demo campaign has 31 items");

        // The enterprise page links to the form; the form offers every item and the certified
        // officers with their certificate numbers.
        let page = app.get(&c, &format!("/enterprises/{e}")).await;
        assert!(
            page.body
                .contains(&format!("/enforcement/inspections/new?enterprise={e}")),
            "{b}: link from the enterprise page"
        );
        let form = app
            .get(&c, &format!("/enforcement/inspections/new?enterprise={e}"))
            .await;
        assert_eq!(form.status, StatusCode::OK, "{b}: {}", form.body);
        assert_eq!(form.body.matches("name=\"answer_").count(), 31 * 3, "{b}");
        assert!(form.body.contains("执法证号 45010324001"), "{b}");
        assert!(form.body.contains("执法证号 45010324002"), "{b}");

        let path = format!("/enforcement/inspections/new?enterprise={e}");
        let fields = inspection_fields(
            &c,
            &items,
            "2024-06-20",
            &[town.id, second.id],
            &[
                (3, "安全生产责任制未覆盖全员"),
                (17, "未按规定组织应急演练"),
            ],
        );
        let r = post(&app, &c, &path, &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.body);
        let to = location(&r);
        assert!(to.starts_with("/enforcement/inspections/"), "{b}: {to}");
        let id = to.trim_start_matches("/enforcement/inspections/");

        // Two findings in the one ledger, with source 执法检查.
        let i = safeduty_store::enforcement::inspections::get(app.store(), id)
            .await
            .unwrap();
        let opened: Vec<String> = i
            .items
            .iter()
            .filter_map(|it| it.finding_public_id.clone())
            .collect();
        assert_eq!(opened.len(), 2, "{b}");
        for f in &opened {
            let f = safeduty_store::findings::get(app.store(), f).await.unwrap();
            assert_eq!(f.source, Source::Enforcement, "{b}");
            let p = app.get(&c, &format!("/findings/{}", f.public_id)).await;
            assert!(
                p.body.contains("执法检查"),
                "{b}: the finding's source shown"
            );
        }
        let ledger = app.get(&c, "/findings?source=enforcement").await;
        assert!(ledger.body.contains("安全生产责任制未覆盖全员"), "{b}");

        // The record: its number, officers with certificate numbers, the guest, the findings.
        let p = app.get(&c, &to).await;
        assert_eq!(p.status, StatusCode::OK, "{b}");
        assert!(p.body.contains("应急检记〔2024〕1号"), "{b}: {}", p.body);
        assert!(p.body.contains("执法证号 45010324001"), "{b}");
        assert!(p.body.contains("刘专家"), "{b}");
        // A town does not hold on-site measures by default: the page says so, offers no form.
        assert!(p.body.contains("本单位未获授予“现场处理措施”职权"), "{b}");
        assert!(!p.body.contains("/measures\""), "{b}");
        for f in &opened {
            assert!(p.body.contains(&format!("/findings/{f}")), "{b}");
        }
        // The enterprise sees it on its enforcement home; the officer sees today's inspection.
        let home = app.get(&c, "/enforcement").await;
        assert!(home.body.contains("今日检查"), "{b}");
        assert!(
            home.body
                .contains(&format!("/enforcement/inspections/{id}")),
            "{b}"
        );
        assert!(
            home.body
                .contains("专项执法检查</strong>自 2024-07-01 起统计"),
            "{b}: before the enforcement phase the page says from when it counts"
        );
        let ent = app.login("demo-enterprise").await;
        let home = app.get(&ent, "/enforcement").await;
        assert!(
            home.body
                .contains(&format!("/enforcement/inspections/{id}")),
            "{b}"
        );
        let other = app.login("demo-enterprise2").await;
        let home = app.get(&other, "/enforcement").await;
        assert!(
            !home.body.contains(id),
            "{b}: another enterprise sees nothing of it"
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn one_officer_or_an_expired_certificate_is_refused_and_nothing_is_written() {
    for app in TestApp::all().await {
        let b = app.backend();
        let (town, second) = app.seed_officers().await;
        let c = app.login("demo-town").await;
        let e = app.enterprise_of("demo-enterprise").await;
        let items = items(&app).await;
        let path = format!("/enforcement/inspections/new?enterprise={e}");
        let before = business_snapshot(&app).await;

        let one = inspection_fields(
            &c,
            &items,
            "2024-06-20",
            &[town.id],
            &[(5, "隐患排查记录缺失")],
        );
        let r = post(&app, &c, &path, &one).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            r.body.contains("执法人员不少于两名，现列出1名"),
            "{b}: {}",
            r.body
        );
        // Everything typed is kept.
        assert!(r.body.contains("隐患排查记录缺失"), "{b}");
        assert!(r.body.contains("value=\"一号生产车间\""), "{b}");
        assert!(r.body.contains("value=\"刘专家\""), "{b}");
        assert_eq!(
            business_snapshot(&app).await,
            before,
            "{b}: nothing written"
        );

        // An item left unanswered and a 不符合 without a note: each message beside its item.
        let mut missing =
            inspection_fields(&c, &items, "2024-06-20", &[town.id, second.id], &[(5, "")]);
        missing.retain(|(k, _)| k != "answer_9");
        let r = post(&app, &c, &path, &missing).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(r.body.contains("第9项未作答"), "{b}");
        assert!(
            r.body.contains("第5项为“不符合”，请在说明中写明存在的问题"),
            "{b}"
        );
        assert!(r.body.contains("有2处填写不正确"), "{b}");

        // demo-town's certificate expired before the day of the inspection.
        safeduty_store::enforcement::authority::set_certificate(
            app.store(),
            &safeduty_store::audit::Who::system(),
            town.id,
            &safeduty_store::enforcement::authority::CertificateRow {
                number: "45010324001".into(),
                valid_from: "2021-01-01".parse().unwrap(),
                valid_until: "2024-05-31".parse().unwrap(),
            },
        )
        .await
        .unwrap();
        let before = business_snapshot(&app).await;
        let two = inspection_fields(&c, &items, "2024-06-20", &[town.id, second.id], &[]);
        let r = post(&app, &c, &path, &two).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            r.body.contains("的执法证已于2024-05-31过期"),
            "{b}: {}",
            r.body
        );
        assert_eq!(
            business_snapshot(&app).await,
            before,
            "{b}: nothing written"
        );
        // The form shows the officer, not selectable, with why.
        let form = app.get(&c, &path).await;
        assert!(
            form.body.contains("不能选择：执法证已于2024-05-31过期"),
            "{b}"
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn an_order_falls_due_across_national_day_and_is_extended_re_inspected_and_referred() {
    for app in TestApp::all().await {
        let b = app.backend();
        let app = app.on_day("2024-09-27");
        let (town, second) = app.seed_officers().await;
        let c = app.login("demo-town").await;
        let e = app.enterprise_of("demo-enterprise").await;
        let items = items(&app).await;
        let fields = inspection_fields(
            &c,
            &items,
            "2024-09-27",
            &[town.id, second.id],
            &[
                (3, "安全生产责任制未覆盖全员"),
                (17, "未按规定组织应急演练"),
            ],
        );
        let r = post(
            &app,
            &c,
            &format!("/enforcement/inspections/new?enterprise={e}"),
            &fields,
        )
        .await;
        let inspection = location(&r);
        let page = app.get(&c, &inspection).await;
        let findings: Vec<String> = page
            .body
            .split("name=\"finding\" value=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().to_string())
            .collect();
        assert_eq!(
            findings.len(),
            2,
            "{b}: the order form offers both findings"
        );

        // A date in the past is refused on the order form, naming the field.
        let mut order = vec![
            ("csrf".to_string(), c.csrf.clone()),
            ("limit".to_string(), "date".to_string()),
            ("due_on".to_string(), "2024-09-20".to_string()),
        ];
        order.extend(findings.iter().map(|f| ("finding".to_string(), f.clone())));
        let r = post(&app, &c, &format!("{inspection}/order"), &order).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            r.body.contains("整改期限不能早于指令书下达日期"),
            "{b}: {}",
            r.body
        );

        // 15 working days from 2024-09-27: across National Day and its make-up days.
        order[1].1 = "days".into();
        order[2] = ("working_days".into(), "15".into());
        let r = post(&app, &c, &format!("{inspection}/order"), &order).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.body);
        let order_path = location(&r);
        let o = app.get(&c, &order_path).await;
        assert!(o.body.contains("2024-10-23"), "{b}: {}", o.body);
        assert!(o.body.contains("15个工作日"), "{b}");
        assert!(o.body.contains("应急责改〔2024〕"), "{b}");

        // The enterprise asks for more time; the unit approves.
        let ent = app.login("demo-enterprise").await;
        let seen = app.get(&ent, &order_path).await;
        assert_eq!(seen.status, StatusCode::OK, "{b}");
        let v = version(&seen.body);
        let r = app
            .form(
                &ent,
                &format!("{order_path}/extension"),
                &[
                    ("csrf", &ent.csrf),
                    ("version", &v),
                    ("requested_due", "2024-11-08"),
                    ("reason", "设备采购周期较长"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.body);
        let seen = app.get(&c, &order_path).await;
        assert!(seen.body.contains("延期申请待审批"), "{b}");
        let v = version(&seen.body);
        let r = app
            .form(
                &c,
                &format!("{order_path}/extension/decision"),
                &[("csrf", &c.csrf), ("version", &v), ("decision", "approve")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.body);
        let seen = app.get(&ent, &order_path).await;
        assert!(
            seen.body.contains("<th>整改期限</th><td>2024-11-08"),
            "{b}: {}",
            seen.body
        );
        assert!(seen.body.contains("已批准"), "{b}");

        // Later: a re-inspection dated before the order is refused; then one finding corrected,
        // the other not, which refers the enterprise for a case.
        let app = app.on_day("2024-11-12");
        let seen = app.get(&c, &order_path).await;
        let v = version(&seen.body);
        let mut re = vec![
            ("csrf".to_string(), c.csrf.clone()),
            ("version".to_string(), v),
            ("date".to_string(), "2024-09-26".to_string()),
            ("officer".to_string(), town.id.to_string()),
            ("officer".to_string(), second.id.to_string()),
            (format!("result_{}", findings[0]), "corrected".to_string()),
            (format!("note_{}", findings[0]), "已修订责任制".to_string()),
            (
                format!("result_{}", findings[1]),
                "not_corrected".to_string(),
            ),
            (format!("note_{}", findings[1]), "仍未组织演练".to_string()),
            ("opinion".to_string(), "第2项逾期未整改".to_string()),
        ];
        let before = business_snapshot(&app).await;
        let r = post(&app, &c, &format!("{order_path}/re-inspection"), &re).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(r.body.contains("复查日期不能早于指令书下达日期"), "{b}");
        assert!(r.body.contains("仍未组织演练"), "{b}: typed notes kept");
        assert_eq!(
            business_snapshot(&app).await,
            before,
            "{b}: nothing written"
        );
        re[2].1 = "2024-11-12".into();
        let r = post(&app, &c, &format!("{order_path}/re-inspection"), &re).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.body);
        let seen = app.get(&c, &order_path).await;
        assert!(seen.body.contains("已复查（未整改）"), "{b}");
        assert!(seen.body.contains("应急复查〔2024〕"), "{b}");
        assert!(seen.body.contains("已移交"), "{b}: the referral shown");
        let home = app.get(&c, "/enforcement").await;
        assert!(home.body.contains("移交立案"), "{b}");
        assert!(
            home.body.contains("复查发现逾期未整改"),
            "{b}: {}",
            home.body
        );
        let f0 = safeduty_store::findings::get(app.store(), &findings[0])
            .await
            .unwrap();
        assert_eq!(
            f0.status.code(),
            "closed",
            "{b}: the corrected finding is closed"
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn documents_download_with_their_numbers_and_scans_are_superseded_only_with_a_reason() {
    for app in TestApp::all().await {
        let b = app.backend();
        let seeded = app.seed_enforcement().await;
        let c = app.login("demo-town").await;
        let base = format!("/enforcement/inspections/{}", seeded.inspection);

        let page = app.get(&c, &base).await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        for kind in ["inspection_record", "correction_order", "on_site_measures"] {
            assert!(
                page.body.contains(&format!("{base}/documents/{kind}")),
                "{b}: {kind}"
            );
        }
        assert!(
            page.body.contains(&format!("/findings/{}", seeded.finding)),
            "{b}: the finding opened"
        );
        // The measures the unit was let decide: in force, with the review that lifts them.
        assert!(page.body.contains("涂装车间暂时停产"), "{b}");
        assert!(page.body.contains("执行中"), "{b}");
        assert!(
            page.body.contains(&format!("{base}/measures/review")),
            "{b}"
        );
        assert!(
            !page
                .body
                .contains(&format!("{base}/documents/re_inspection")),
            "{b}: no re-inspection yet"
        );

        let audits = app.audit_count("file_downloaded").await;
        let d = app
            .get(&c, &format!("{base}/documents/correction_order"))
            .await;
        assert_eq!(d.status, StatusCode::OK, "{b}: {}", d.body);
        assert_eq!(
            d.headers[header::CONTENT_TYPE],
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "{b}"
        );
        assert!(d.body.starts_with("PK"), "{b}: a zip (.docx)");
        let name = file_name(&d);
        let number = name
            .strip_prefix("责令限期整改指令书")
            .and_then(|n| n.strip_suffix(".docx"))
            .unwrap_or_else(|| panic!("{b}: {name}"));
        // （X）应急责改〔2024〕N号
        let shaped = number.starts_with('（')
            && number.contains("）应急责改〔2024〕")
            && number.ends_with('号')
            && number
                .trim_end_matches('号')
                .rsplit('〕')
                .next()
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        assert!(shaped, "{b}: {number}");
        assert_eq!(app.audit_count("file_downloaded").await, audits + 1, "{b}");
        let missing = app
            .get(&c, &format!("{base}/documents/re_inspection"))
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND, "{b}");

        // The signed scan is kept; another one supersedes it only with a reason.
        let scan = b"%PDF-1.4\n% signed scan\n";
        let upload = format!("{base}/documents/correction_order");
        let r = app
            .multipart(
                &c,
                &upload,
                &[("csrf", &c.csrf)],
                Some(("指令书签章.pdf", scan)),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.body);
        let before = business_snapshot(&app).await;
        let r = app
            .multipart(
                &c,
                &upload,
                &[("csrf", &c.csrf), ("reason", "")],
                Some(("指令书签章2.pdf", scan)),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(r.body.contains("已有签章文书，重新上传须说明理由"), "{b}");
        assert_eq!(
            business_snapshot(&app).await,
            before,
            "{b}: nothing written"
        );
        let r = app
            .multipart(
                &c,
                &upload,
                &[("csrf", &c.csrf), ("reason", "原扫描件缺少第二页")],
                Some(("指令书签章2.pdf", scan)),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.body);
        let page = app.get(&c, &base).await;
        assert!(page.body.contains("指令书签章2.pdf"), "{b}");
        assert!(page.body.contains("已被替换"), "{b}");
        assert!(page.body.contains("原扫描件缺少第二页"), "{b}");

        // The enterprise reads the record and downloads, but keeps no document of record.
        let ent = app.login("demo-enterprise").await;
        let page = app.get(&ent, &base).await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert!(!page.body.contains("上传签章件"), "{b}");
        let r = app
            .multipart(&ent, &upload, &[("csrf", &ent.csrf)], Some(("x.pdf", scan)))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{b}");
        app.cleanup().await;
    }
}

/// The demo seeded in the enforcement phase (inspections, orders in every state, a referral,
/// measures in force): every enforcement page of every role that reads them renders, and the
/// officer's home leads with the overdue re-inspections.
#[tokio::test]
async fn the_demo_in_the_enforcement_phase_renders_every_page() {
    let app = TestApp::sqlite_demo_on("2024-09-10").await;
    let office = app.login("demo-office").await;
    let home = app.get(&office, "/enforcement").await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.body);
    assert!(home.body.contains("现处于“严格执法”阶段"), "{}", home.body);
    let links = |body: &str, prefix: &str| -> Vec<String> {
        let mut out: Vec<String> = body
            .split(&format!("href=\"{prefix}"))
            .skip(1)
            .map(|r| format!("{prefix}{}", r.split(['"', '#']).next().unwrap()))
            .collect();
        out.sort();
        out.dedup();
        out
    };
    let inspections = links(&home.body, "/enforcement/inspections/");
    let orders = links(&home.body, "/enforcement/orders/");
    assert!(
        !inspections.is_empty() && !orders.is_empty(),
        "the demo has both"
    );
    for user in [
        "demo-office",
        "demo-town",
        "demo-assessor",
        "demo-enterprise",
    ] {
        let c = app.login(user).await;
        let home = app.get(&c, "/enforcement").await;
        assert_eq!(home.status, StatusCode::OK, "{user}");
        for path in inspections.iter().chain(&orders) {
            let r = app.get(&c, path).await;
            // The office reads its whole district; the others what their scope holds.
            let fine = r.status == StatusCode::OK
                || (user != "demo-office" && r.status == StatusCode::NOT_FOUND);
            assert!(
                fine,
                "{user} {path}: {} {}",
                r.status,
                r.body.chars().take(300).collect::<String>()
            );
        }
    }
    let town = app.login("demo-town").await;
    let mut generated = 0;
    for i in &inspections {
        for kind in [
            "inspection_record",
            "correction_order",
            "re_inspection",
            "on_site_measures",
        ] {
            let r = app.get(&town, &format!("{i}/documents/{kind}")).await;
            assert!(
                r.status == StatusCode::OK || r.status == StatusCode::NOT_FOUND,
                "{i} {kind}: {} {}",
                r.status,
                r.body.chars().take(300).collect::<String>()
            );
            generated += usize::from(r.status == StatusCode::OK);
        }
    }
    assert!(
        generated > inspections.len(),
        "records and the documents that followed them: {generated}"
    );

    // The department's cases (issue #13) stand at the steps the demo's day reached: one draft
    // (no number) and the filed ones numbered in filing order.
    let dept = app.login("demo-dept").await;
    let cases = app.get(&dept, "/api/v1/cases").await.json();
    let mut states: Vec<&str> = cases
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    states.sort_unstable();
    assert_eq!(
        states,
        [
            "decided",
            "draft",
            "enforcing",
            "heard",
            "hearing_offered",
            "investigating",
            "paid",
            "served",
            "served"
        ],
        "{cases}"
    );
    let home = app.get(&dept, "/enforcement").await;
    let case_pages = links(&home.body, "/enforcement/cases/");
    assert_eq!(case_pages.len(), 9, "{}", home.body);
    for path in &case_pages {
        let r = app.get(&dept, path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        for kind in ["filing", "penalty_notice", "decision", "service_receipt"] {
            let d = app.get(&dept, &format!("{path}/documents/{kind}")).await;
            assert!(
                d.status == StatusCode::OK || d.status == StatusCode::NOT_FOUND,
                "{path} {kind}: {} {}",
                d.status,
                d.body.chars().take(300).collect::<String>()
            );
        }
    }
    let ent = app.login("demo-enterprise").await;
    let own: Vec<String> = app
        .get(&ent, "/api/v1/cases")
        .await
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap().to_string())
        .collect();
    // demo-enterprise's filed case, not its draft.
    assert_eq!(own, ["decided"], "the party's own filed cases");
    // One exposure published (the paid case's), one drafted (the person's, by surname only).
    let public = app
        .send_public(
            axum::http::Request::get("/public/api/exposures")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .json();
    assert_eq!(public["exposures"].as_array().unwrap().len(), 1, "{public}");
    let all = app.get(&office, "/api/v1/exposures").await.json();
    let parties: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["party"].as_str().unwrap())
        .collect();
    assert!(parties.contains(&"林某某（安全生产管理人员）"), "{all}");
    let page = app.get(&office, "/enforcement/exposures").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    app.cleanup().await;
}
