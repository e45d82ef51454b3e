//! Enterprise records pages: the enterprise adds and edits its own, officers read in scope, the
//! drill-frequency check on the records page and next to item 17 of the self-inspection.

use axum::http::StatusCode;

use crate::app::TestApp;

#[tokio::test]
async fn records_pages_and_item_17() {
    for app in TestApp::all().await {
        let ent = app.login("demo-enterprise").await;
        let own = app.enterprise_of("demo-enterprise").await;
        // Demo data: the first enterprise's drills meet every frequency.
        let page = app.get(&ent, &format!("/enterprises/{own}")).await;
        assert!(page.body.contains("演练频次符合"), "{}", app.backend());
        assert!(page.body.contains(&format!(
            "/enterprises/{own}/records/drill\" target=\"_blank\" rel=\"noopener\">应急演练：已登记4条"
        )));
        let page = app
            .get(&ent, &format!("/enterprises/{own}/records/drill"))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("2023-11-16　生产安全事故综合应急预案"));

        // The second demo enterprise: one on-site drill, the missing drills named.
        let ent2 = app.login("demo-enterprise2").await;
        let other = app.enterprise_of("demo-enterprise2").await;
        let page = app.get(&ent2, &format!("/enterprises/{other}")).await;
        assert!(page.body.contains("演练频次不足"));
        assert!(
            page.body
                .contains("2023-06-21至2023-12-20期间缺少现场处置方案演练")
        );

        // Adding the missing drills (half-yearly for every plan: this is a mining key unit).
        let add = |on: &'static str, kind: &'static str| {
            vec![
                ("csrf", ent2.csrf.clone()),
                ("held_on", on.to_string()),
                ("plan_kind", kind.to_string()),
                ("title", "测试预案".to_string()),
                ("form", "tabletop".to_string()),
                ("participant_count", "8".to_string()),
                ("evaluation", "测试".to_string()),
            ]
        };
        for (on, kind) in [
            ("2024-06-18", "comprehensive"),
            ("2023-10-12", "special"),
            ("2023-10-10", "on_site"),
        ] {
            let fields = add(on, kind);
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = app
                .form(
                    &ent2,
                    &format!("/enterprises/{other}/records/drill"),
                    &pairs,
                )
                .await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        }
        let page = app.get(&ent2, &format!("/enterprises/{other}")).await;
        assert!(page.body.contains("演练频次符合"), "{}", app.backend());

        // A wrong form: 422, the field named, nothing saved.
        let saved = app.audit_count("record_saved").await;
        let res = app
            .form(
                &ent2,
                &format!("/enterprises/{other}/records/training"),
                &[
                    ("csrf", ent2.csrf.as_str()),
                    ("held_on", "2024-02-30"),
                    ("hours", "abc"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.body
                .contains("“培训日期”不是有效日期（应为YYYY-MM-DD）")
        );
        assert_eq!(app.audit_count("record_saved").await, saved);

        // Scope: the other enterprise reads nothing of this one; its unit reads; nobody else edits.
        let res = app
            .get(&ent2, &format!("/enterprises/{own}/records/drill"))
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert!(!res.body.contains("综合应急预案演练"));
        let town = app.login("demo-town").await;
        let res = app
            .get(&town, &format!("/enterprises/{own}/records/drill"))
            .await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(!res.body.contains("新增应急演练"), "officers read only");
        let fields = add("2024-06-01", "special");
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = app
            .form(&town, &format!("/enterprises/{own}/records/drill"), &pairs)
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        app.cleanup().await;
    }
}
