//! Inspection plans in the browser, on both databases (issue #12 points 2–3): an officer drafts
//! the unit's plan and draws it with the seed of `docs/draw.md`, and gets exactly the targets and
//! pairs of its vector 2; the page's check says 一致 (不一致 once a stored digest is altered);
//! the downloaded JSON verifies as `safeduty inspect verify-draw` verifies it; a drawn plan is
//! not drawn again; a unit without two certified officers is refused with a message naming the
//! officers, and nothing is written.

use axum::http::{StatusCode, header};
use safeduty_core::enforcement::draw::{self, Draw};

use crate::app::TestApp;
use crate::plans_fixture::{self, KEY, SEED, USCCS, enterprise_name};

async fn count(app: &TestApp, sql: &str) -> i64 {
    let mut tx = app.store().write().await.unwrap();
    let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    n
}

/// The plan's public id from a redirect to `/enforcement/plans/{id}`.
fn plan_id(a: &crate::app::Answer) -> String {
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    a.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .strip_prefix("/enforcement/plans/")
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn an_officer_plans_and_draws_and_anyone_in_scope_can_check_the_draw() {
    for app in TestApp::all().await {
        let b = app.backend();
        let town = plans_fixture::draw_town(&app).await;
        let officer = app.login(&town.officers["45010324001"]).await;

        // The list offers the form, defaulted to the enforcement phase.
        let page = app.get(&officer, "/enforcement/plans").await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert!(page.body.contains("制定检查计划"), "{b}");
        assert!(page.body.contains("value=\"2024-07-01\""), "{b}");
        assert!(page.body.contains("value=\"2024-10-31\""), "{b}");

        // A window ending before it starts: refused, naming the field, nothing written.
        let a = app
            .form(
                &officer,
                "/enforcement/plans",
                &[
                    ("csrf", &officer.csrf),
                    ("starts_on", "2024-07-01"),
                    ("ends_on", "2024-06-30"),
                    ("size", "count"),
                    ("count", "3"),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(a.body.contains("计划截止日期不能早于开始日期"), "{b}");
        assert!(
            a.body.contains("value=\"2024-06-30\""),
            "{b}: typed value kept"
        );
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM inspection_plans").await,
            0
        );

        let a = app
            .form(
                &officer,
                "/enforcement/plans",
                &[
                    ("csrf", &officer.csrf),
                    ("starts_on", "2024-07-01"),
                    ("ends_on", "2024-10-31"),
                    ("size", "count"),
                    ("count", "3"),
                ],
            )
            .await;
        let id = plan_id(&a);
        let path = format!("/enforcement/plans/{id}");

        // The draft shows the pool as it stands: 8, of which 1 in full, 3 to draw, 5 officers.
        let page = app.get(&officer, &path).await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert!(page.body.contains("8家，SHA-256"), "{b}");
        assert!(
            page.body
                .contains("284fc75001f663860e6cb671159550c1062d2b1e9fc8dec66d61243d60f14871"),
            "{b}: the candidates' digest of docs/draw.md"
        );
        assert!(page.body.contains("1家，SHA-256"), "{b}");
        assert!(page.body.contains("<td>3家"), "{b}");
        assert!(page.body.contains("抽查执法员5（45010324005）"), "{b}");

        // A blank seed is refused on the seed.
        let a = app
            .form(
                &officer,
                &format!("{path}/draw"),
                &[("csrf", &officer.csrf), ("seed", "  ")],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(a.body.contains("请填写公开的随机种子"), "{b}");

        let a = app
            .form(
                &officer,
                &format!("{path}/draw"),
                &[("csrf", &officer.csrf), ("seed", SEED)],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}: {}", a.body);

        // Exactly vector 2 of docs/draw.md, in draw order.
        let page = app.get(&officer, &path).await;
        let expected = [
            (
                KEY,
                "全覆盖",
                "抽查执法员2（45010324002）、抽查执法员3（45010324003）",
            ),
            (
                "91450103MA5LA2R9EP",
                "随机抽取",
                "抽查执法员4（45010324004）、抽查执法员1（45010324001）",
            ),
            (
                "91450103MA5MC6W2JW",
                "随机抽取",
                "抽查执法员5（45010324005）、抽查执法员2（45010324002）",
            ),
            (
                "91450103MA5M1T4G8F",
                "随机抽取",
                "抽查执法员3（45010324003）、抽查执法员4（45010324004）",
            ),
        ];
        let rows: Vec<&str> = page.body.split("<td class=\"r\">").skip(1).collect();
        assert_eq!(rows.len(), expected.len(), "{b}: {}", page.body);
        for (k, (row, (uscc, kind, pair))) in rows.iter().zip(expected).enumerate() {
            let name = enterprise_name(USCCS.iter().position(|u| *u == uscc).unwrap());
            assert!(row.starts_with(&format!("{}</td>", k + 1)), "{b}: {row}");
            assert!(row.contains(&name), "{b} row {}: {row}", k + 1);
            assert!(row.contains(uscc), "{b} row {}: {row}", k + 1);
            assert!(row.contains(kind), "{b} row {}: {row}", k + 1);
            assert!(row.contains(pair), "{b} row {}: {row}", k + 1);
            // Each target links to the inspection form with its target.
            let e = &town.enterprises[uscc];
            assert!(
                row.contains(&format!(
                    "/enforcement/inspections/new?enterprise={e}&amp;target="
                )),
                "{b}: {row}"
            );
        }
        assert!(page.body.contains(SEED), "{b}: the seed is shown");
        assert!(page.body.contains("safeduty-draw 第1版"), "{b}");
        assert!(
            page.body
                .contains("ccd8b5dc07ca973942efe4611e1e9e12e78791c1c3988f7885cdfa6e2411f971"),
            "{b}: the mandatory list's digest of docs/draw.md"
        );
        assert!(
            page.body
                .contains("1ebb1305f7c8a9a40bd300c1e9746f0374075ff9d5afb4fbceea90ba257f051e"),
            "{b}: the officers' digest of docs/draw.md"
        );

        // The check recomputes it: 一致.
        let v = app.get(&officer, &format!("{path}/verify")).await;
        assert_eq!(v.status, StatusCode::OK, "{b}");
        assert!(v.body.contains("<strong>一致</strong>"), "{b}");
        // The committee office and the assessor of the district read and check it too.
        for who in ["demo-office", "demo-assessor"] {
            let c = app.login(who).await;
            let v = app.get(&c, &format!("{path}/verify")).await;
            assert!(v.body.contains("<strong>一致</strong>"), "{b} {who}");
            let list = app.get(&c, "/enforcement/plans").await;
            assert!(list.body.contains(&path), "{b} {who}: listed");
        }

        // The JSON downloaded verifies with the CLI's logic (parse as a published draw, verify).
        let downloads = app.audit_count("file_downloaded").await;
        let j = app.get(&officer, &format!("{path}/draw.json")).await;
        assert_eq!(j.status, StatusCode::OK, "{b}");
        assert_eq!(j.headers[header::CONTENT_TYPE], "application/json");
        assert_eq!(app.audit_count("file_downloaded").await, downloads + 1);
        let published: Draw = serde_json::from_str(&j.body).unwrap();
        assert_eq!(draw::verify(&published), Ok(()), "{b}");
        assert_eq!(published.seed, SEED);
        assert_eq!(published.k, 3);
        assert_eq!(published.mandatory, [KEY]);
        assert_eq!(
            published
                .targets
                .iter()
                .map(|t| t.id.as_str())
                .collect::<Vec<_>>(),
            [
                KEY,
                "91450103MA5LA2R9EP",
                "91450103MA5MC6W2JW",
                "91450103MA5M1T4G8F"
            ],
            "{b}"
        );

        // The link opens the inspection form bound to its target (saving it fulfils the target:
        // store `plans.rs`).
        let link = page
            .body
            .split("/enforcement/inspections/new?enterprise=")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap()
            .replace("&amp;", "&");
        let target = link.split("target=").nth(1).unwrap().to_string();
        let form = app
            .get(
                &officer,
                &format!("/enforcement/inspections/new?enterprise={link}"),
            )
            .await;
        assert_eq!(form.status, StatusCode::OK, "{b}: {}", form.body);
        assert!(
            form.body.contains(&format!(
                "<input type=\"hidden\" name=\"target\" value=\"{target}\">"
            )),
            "{b}"
        );
        assert!(form.body.contains("按检查计划检查"), "{b}");

        // A drawn plan is not drawn again.
        let a = app
            .form(
                &officer,
                &format!("{path}/draw"),
                &[("csrf", &officer.csrf), ("seed", "另一个种子")],
            )
            .await;
        assert_eq!(a.status, StatusCode::CONFLICT, "{b}");

        // Someone with write access alters a stored digest: the check says 不一致.
        safeduty_store::testing::execute(
            app.store(),
            &format!(
                "UPDATE plan_draws SET officers_digest = '{}' WHERE plan_id = \
                 (SELECT id FROM inspection_plans WHERE public_id = '{id}')",
                "f".repeat(64)
            ),
        )
        .await;
        let v = app.get(&officer, &format!("{path}/verify")).await;
        assert!(v.body.contains("<strong>不一致</strong>"), "{b}");
        assert!(v.body.contains("执法人员名单的摘要与名单不符"), "{b}");
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_draw_without_two_certified_officers_is_refused_naming_the_officers() {
    for app in TestApp::all().await {
        let b = app.backend();
        // 东湖街道's officers have no certificate in the demo before the enforcement phase.
        let town = app.login("demo-town").await;
        let a = app
            .form(
                &town,
                "/enforcement/plans",
                &[
                    ("csrf", &town.csrf),
                    ("starts_on", "2024-07-01"),
                    ("ends_on", "2024-10-31"),
                    ("size", "share"),
                    ("share", "70"),
                ],
            )
            .await;
        let id = plan_id(&a);
        let path = format!("/enforcement/plans/{id}");
        let page = app.get(&town, &path).await;
        // Every enterprise of 东湖街道 is in a key industry: only the pairs would be drawn.
        assert!(
            page.body.contains("企业均为全覆盖对象，只随机分配检查人员"),
            "{b}"
        );
        let a = app
            .form(
                &town,
                &format!("{path}/draw"),
                &[("csrf", &town.csrf), ("seed", SEED)],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            a.body.contains(
                "本单位执法证在2024-07-01有效的执法人员只有0名，至少需要两名才能抽取检查组"
            ),
            "{b}: {}",
            a.body
        );
        assert!(
            a.body.contains("value=\"2024-07-01 福彩3D"),
            "{b}: seed kept"
        );
        assert_eq!(count(&app, "SELECT COUNT(*) FROM plan_draws").await, 0);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM plan_targets").await, 0);
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM inspection_plans WHERE status = 'draft'"
            )
            .await,
            1
        );
        // The new version's reason: a drawn plan is drawn again only with one.
        let id = plans_fixture::donghu_plan(&app).await;
        assert_ne!(id, "", "{b}");
        let a = app
            .form(
                &town,
                "/enforcement/plans",
                &[
                    ("csrf", &town.csrf),
                    ("starts_on", "2024-07-01"),
                    ("ends_on", "2024-10-31"),
                    ("size", "count"),
                    ("count", "0"),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(a.body.contains("请填写重新抽取的理由"), "{b}");
        let reason = "原种子为开奖前填写，按当期开奖结果重新抽取";
        let a = app
            .form(
                &town,
                "/enforcement/plans",
                &[
                    ("csrf", &town.csrf),
                    ("starts_on", "2024-07-01"),
                    ("ends_on", "2024-10-31"),
                    ("size", "count"),
                    ("count", "0"),
                    ("reason", reason),
                ],
            )
            .await;
        let v2 = plan_id(&a);
        assert_ne!(v2, id, "{b}: a new version");
        // The open second version keeps asking for its reason, shown as saved.
        let list = app.get(&town, "/enforcement/plans").await;
        assert!(list.body.contains("修改第2版检查计划（待抽取）"), "{b}");
        assert!(list.body.contains(reason), "{b}");
        let a = app
            .form(
                &town,
                &format!("/enforcement/plans/{v2}/draw"),
                &[
                    ("csrf", &town.csrf),
                    ("seed", "2024-07-02 福彩3D第2024176期 开奖号码 0 4 9"),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}: {}", a.body);
        let old = app.get(&town, &format!("/enforcement/plans/{id}")).await;
        assert!(old.body.contains("已被新版本取代"), "{b}");
        assert!(
            old.body.contains(&format!("/enforcement/plans/{v2}")),
            "{b}: links the new version"
        );
        assert!(
            !old.body.contains("/enforcement/inspections/new?"),
            "{b}: no inspection recorded against a superseded plan"
        );
        app.cleanup().await;
    }
}
