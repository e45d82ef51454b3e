//! The violation library edited by the committee office (issue #12 point 4), on SQLite and
//! PostgreSQL: rows added, edited (a shipped row overridden), deactivated and reactivated on
//! the settings page and over the API; the inspection form offering the active rows of the
//! officer's region; an inspection keeping the text it was recorded with, on its page, in the
//! API and in its documents, whatever the library says later; refusals beside the field with
//! nothing written.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::app::{Client, TestApp};
use crate::enforcement_fixture::{EnforcementFixture, enforcement_fixture};

const FIRST: &str = "安全生产管理人员未组织本单位应急救援演练（本区第一稿）";
const SECOND: &str = "安全生产管理人员未组织本单位应急救援演练（本区第二稿）";
const OWN: &str = "未按本区规定报送应急演练计划";
const OWN_EDITED: &str = "未按本区规定报送年度应急演练计划（修改后）";

/// A complete inspection of the target by the fixture's officers on the fixture's day, item 2
/// not conforming with the suspected violations `codes`.
async fn inspection(app: &TestApp, fx: &EnforcementFixture, codes: &[&str]) -> Value {
    let campaign = safeduty_store::campaigns::latest(app.store())
        .await
        .unwrap()
        .unwrap();
    let items: Vec<Value> = campaign
        .item_numbers()
        .into_iter()
        .map(|n| match n {
            2 => json!({"item": n, "answer": "non_conform", "note": "未组织应急救援演练",
                        "violation_codes": codes}),
            _ => json!({"item": n, "answer": "conform"}),
        })
        .collect();
    json!({
        "enterprise_id": fx.enterprise,
        "date": fx.today.to_string(),
        "start_time": "14:00",
        "end_time": "16:00",
        "place": "应急物资库",
        "person_present": "陈志远",
        "person_present_role": "安全管理员",
        "officers": fx.officer_ids,
        "notice": "unannounced",
        "summary": "违法行为库测试",
        "items": items,
    })
}

/// The fields of a row's form on the settings page.
fn row_form<'a>(
    csrf: &'a str,
    code: &'a str,
    behaviour: &'a str,
    party: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("code", code),
        ("behaviour", behaviour),
        (
            "violated",
            "《中华人民共和国安全生产法》第二十五条第一款第（四）项",
        ),
        ("penalty", "《中华人民共和国安全生产法》第九十六条"),
        ("party", party),
        ("verified", "on"),
        ("source", "本区安委办2024年补充"),
    ]
}

async fn audit_total(app: &TestApp) -> i64 {
    let mut tx = app.store().write().await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_records")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    n
}

async fn count(app: &TestApp, table: &str) -> i64 {
    let mut tx = app.store().write().await.unwrap();
    let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    n
}

fn row<'a>(library: &'a Value, code: &str) -> &'a Value {
    library
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == code)
        .unwrap_or_else(|| panic!("{code} not in {library}"))
}

#[tokio::test]
async fn an_inspection_keeps_the_library_text_it_was_recorded_with() {
    for app in TestApp::all().await {
        let b = app.backend();
        let fx = enforcement_fixture(&app).await;
        let office = app.login("demo-office").await;
        let town = app.login("demo-town").await;

        // The office overrides a shipped row, adds its own and deactivates another.
        let a = app
            .form(
                &office,
                "/enforcement/settings/violations/wsl-25-4",
                &row_form(&office.csrf, "", FIRST, "person"),
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}: {}", a.body);
        let a = app
            .form(
                &office,
                "/enforcement/settings/violations",
                &row_form(&office.csrf, "qx-2024-1", OWN, "unit"),
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}: {}", a.body);
        let a = app
            .json(
                &office,
                "POST",
                "/api/v1/violations/wsl-97-1/deactivate",
                json!({}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{b}: {}", a.body);
        assert_eq!(a.json()["active"], false, "{b}");
        assert_eq!(app.audit_count("violation_row_edited").await, 1, "{b}");
        assert_eq!(app.audit_count("violation_row_added").await, 1, "{b}");
        assert_eq!(app.audit_count("violation_row_deactivated").await, 1, "{b}");

        // The settings page shows them with their origin, mark and source.
        let page = app.get(&office, "/enforcement/settings").await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        for text in [
            FIRST,
            OWN,
            "本辖区修改（替代随系统发布的条目）",
            "本辖区新增",
            "已停用",
            "未核实",
            "本区安委办2024年补充",
            "共19条，其中停用1条，8条的条款编号尚未核实",
        ] {
            assert!(page.body.contains(text), "{b}: {text}");
        }

        // The library in effect for 东湖街道 is its district's.
        let lib = app.get(&town, "/api/v1/violations").await;
        assert_eq!(lib.status, StatusCode::OK, "{b}: {}", lib.body);
        let lib = lib.json();
        assert_eq!(lib.as_array().unwrap().len(), 19, "{b}");
        let r = row(&lib, "wsl-25-4");
        assert_eq!(r["behaviour"], FIRST, "{b}");
        assert_eq!(r["origin"], "region", "{b}");
        assert_eq!(r["region"], "示例区", "{b}");
        assert_eq!(r["overrides_shipped"], true, "{b}");
        assert_eq!(r["verified"], true, "{b}");
        assert_eq!(row(&lib, "qx-2024-1")["party"], "unit", "{b}");
        assert_eq!(row(&lib, "qx-2024-1")["overrides_shipped"], false, "{b}");
        assert_eq!(row(&lib, "wsl-97-1")["active"], false, "{b}");
        assert_eq!(row(&lib, "wsl-25-1")["origin"], "shipped", "{b}");

        // The form offers the active rows only.
        let form = app
            .get(
                &town,
                &format!("/enforcement/inspections/new?enterprise={}", fx.enterprise),
            )
            .await;
        assert_eq!(form.status, StatusCode::OK, "{b}");
        assert!(form.body.contains(FIRST), "{b}");
        assert!(form.body.contains("value=\"qx-2024-1\""), "{b}");
        assert!(form.body.contains("value=\"wsl-97-2\""), "{b}");
        assert!(!form.body.contains("value=\"wsl-97-1\""), "{b}");
        // A deactivated row cannot be named; nothing is recorded.
        let recorded = app.audit_count("inspection_recorded").await;
        let a = app
            .json(
                &town,
                "POST",
                "/api/v1/inspections",
                inspection(&app, &fx, &["wsl-97-1"]).await,
            )
            .await;
        assert_eq!(
            a.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{b}: {}",
            a.body
        );
        assert_eq!(
            a.json()["fields"][0]["message"],
            "第2项关联的违法行为wsl-97-1不在违法行为库中",
            "{b}"
        );
        assert_eq!(app.audit_count("inspection_recorded").await, recorded);

        // Recorded with the overridden row and the region's own.
        let a = app
            .json(
                &town,
                "POST",
                "/api/v1/inspections",
                inspection(&app, &fx, &["wsl-25-4", "qx-2024-1"]).await,
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{b}: {}", a.body);
        let i = a.json();
        let id = i["id"].as_str().unwrap().to_string();
        assert_eq!(i["violations"][0]["code"], "qx-2024-1", "{b}");
        assert_eq!(i["violations"][0]["behaviour"], OWN, "{b}");
        assert_eq!(i["violations"][1]["behaviour"], FIRST, "{b}");
        assert_eq!(count(&app, "inspection_violations").await, 2, "{b}");

        // The library changes afterwards: both rows edited again (one over the API).
        let a = app
            .json(
                &office,
                "PUT",
                "/api/v1/violations/wsl-25-4",
                json!({"behaviour": SECOND, "violated": "《中华人民共和国安全生产法》第二十五条第一款第（四）项",
                       "penalty": "《中华人民共和国安全生产法》第九十六条", "party": "person",
                       "verified": true, "source": "本区安委办2024年补充（第二稿）"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{b}: {}", a.body);
        assert_eq!(a.json()["behaviour"], SECOND, "{b}");
        let a = app
            .form(
                &office,
                "/enforcement/settings/violations/qx-2024-1",
                &row_form(&office.csrf, "", OWN_EDITED, "unit"),
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}: {}", a.body);
        assert_eq!(app.audit_count("violation_row_edited").await, 3, "{b}");
        let lib = app.get(&town, "/api/v1/violations").await.json();
        assert_eq!(row(&lib, "wsl-25-4")["behaviour"], SECOND, "{b}");

        // The inspection still reads the first text: API, page, its order, its documents.
        let i = app
            .get(&town, &format!("/api/v1/inspections/{id}"))
            .await
            .json();
        assert_eq!(i["violations"][0]["behaviour"], OWN, "{b}");
        assert_eq!(i["violations"][1]["behaviour"], FIRST, "{b}");
        let page = app
            .get(&town, &format!("/enforcement/inspections/{id}"))
            .await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert!(page.body.contains(FIRST) && page.body.contains(OWN), "{b}");
        assert!(
            !page.body.contains(SECOND) && !page.body.contains(OWN_EDITED),
            "{b}"
        );
        let finding = i["items"][1]["finding"].as_str().unwrap().to_string();
        let a = app
            .json(
                &town,
                "POST",
                &format!("/api/v1/inspections/{id}/order"),
                json!({"findings": [finding], "working_days": 15}),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{b}: {}", a.body);
        let order = a.json()["id"].as_str().unwrap().to_string();
        let page = app
            .get(&town, &format!("/enforcement/orders/{order}"))
            .await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert!(page.body.contains(FIRST) && page.body.contains(OWN), "{b}");
        assert!(!page.body.contains(SECOND), "{b}");
        for kind in ["inspection_record", "correction_order"] {
            let text = document_text(&app, &town, &id, kind).await;
            assert!(text.contains(FIRST), "{b} {kind}: {text}");
            assert!(text.contains(OWN), "{b} {kind}: {text}");
            assert!(
                !text.contains(SECOND) && !text.contains(OWN_EDITED),
                "{b} {kind}"
            );
        }

        // An inspection recorded before the texts were kept reads the shipped library, not
        // the region's later edit.
        let shipped = safeduty_core::enforcement::violations::Library::shipped()
            .get("wsl-25-1")
            .unwrap()
            .behaviour
            .clone();
        {
            let mut tx = app.store().write().await.unwrap();
            // The fixture's inspection, as one recorded before migration 0021: a code on its
            // item, no text kept.
            sqlx::query(
                "UPDATE inspection_items SET violation_codes = 'wsl-25-1' WHERE item_number = 1 \
                 AND inspection_id = (SELECT id FROM inspections WHERE public_id = $1)",
            )
            .bind(&fx.inspection)
            .execute(&mut *tx)
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }
        let a = app
            .form(
                &office,
                "/enforcement/settings/violations/wsl-25-1",
                &row_form(&office.csrf, "", "本区改写的规章制度条目", "person"),
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}: {}", a.body);
        let page = app
            .get(
                &town,
                &format!("/enforcement/inspections/{}", fx.inspection),
            )
            .await;
        assert!(page.body.contains(&shipped), "{b}");
        assert!(!page.body.contains("本区改写的规章制度条目"), "{b}");
        let text = document_text(&app, &town, &fx.inspection, "inspection_record").await;
        assert!(text.contains(&shipped), "{b}");

        // Reactivated, the row can be chosen again.
        let a = app
            .form(
                &office,
                "/enforcement/settings/violations/wsl-97-1/reactivate",
                &[("csrf", &office.csrf)],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}: {}", a.body);
        assert_eq!(app.audit_count("violation_row_reactivated").await, 1, "{b}");
        let lib = app.get(&town, "/api/v1/violations").await.json();
        assert_eq!(row(&lib, "wsl-97-1")["active"], true, "{b}");

        app.cleanup().await;
    }
}

/// The plain text of the document `kind` of `inspection`, as its .docx reads.
async fn document_text(app: &TestApp, c: &Client, inspection: &str, kind: &str) -> String {
    let bytes = document_bytes(app, c, inspection, kind).await;
    safeduty_plan::input::read_document(&bytes, "document.docx").unwrap()
}

async fn document_bytes(app: &TestApp, c: &Client, inspection: &str, kind: &str) -> Vec<u8> {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let res = app
        .router
        .clone()
        .oneshot(
            axum::http::Request::get(format!(
                "/enforcement/inspections/{inspection}/documents/{kind}"
            ))
            .header(axum::http::header::COOKIE, &c.cookie)
            .body(axum::body::Body::empty())
            .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{kind}");
    res.into_body().collect().await.unwrap().to_bytes().to_vec()
}

#[tokio::test]
async fn a_refused_change_keeps_what_was_typed_and_writes_nothing() {
    for app in TestApp::all().await {
        let b = app.backend();
        let office = app.login("demo-office").await;
        let audit = audit_total(&app).await;
        let rows = count(&app, "violation_rows").await;

        // On the page: the message beside the field, what was typed kept (422).
        let a = app
            .form(
                &office,
                "/enforcement/settings/violations",
                &row_form(&office.csrf, "QX 1", "本区条目（已输入）", "unit"),
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            a.body
                .contains("违法行为编号应为1至32位小写字母、数字或 . _ -"),
            "{b}"
        );
        assert!(a.body.contains("value=\"QX 1\""), "{b}: typed kept");
        assert!(a.body.contains("value=\"本区条目（已输入）\""), "{b}");
        let a = app
            .form(
                &office,
                "/enforcement/settings/violations",
                &row_form(&office.csrf, "wsl-25-1", "重复编号", "unit"),
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            a.body
                .contains("违法行为库已有编号“wsl-25-1”的条目，请修改该条目或换一个编号"),
            "{b}"
        );
        let a = app
            .form(
                &office,
                "/enforcement/settings/violations",
                &row_form(&office.csrf, "qx-9", "处罚对象有误", "company"),
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            a.body.contains("处罚对象“company”无效，应为：个人、单位"),
            "{b}"
        );
        // An edit: the row's form shown open with the typed text and the message.
        let mut fields = row_form(&office.csrf, "", "改写（已输入）", "person");
        fields[3] = ("violated", "第二十五条\n第一款");
        let a = app
            .form(
                &office,
                "/enforcement/settings/violations/wsl-25-4",
                &fields,
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(a.body.contains("违反条款不能包含换行或控制字符"), "{b}");
        assert!(a.body.contains("value=\"改写（已输入）\""), "{b}");
        let a = app
            .form(
                &office,
                "/enforcement/settings/violations/wsl-25-4",
                &row_form(&office.csrf, "", " ", "person"),
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(a.body.contains("请填写违法行为"), "{b}");

        // Over the API: 422 on the field, 404 for an unknown code, 409 for a row already so.
        let a = app
            .json(
                &office,
                "POST",
                "/api/v1/violations",
                json!({"code": "qx-1", "behaviour": "本区条目", "violated": "某条", "penalty": "某条",
                       "party": "unit", "source": ""}),
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(a.json()["field"], "source", "{b}");
        assert_eq!(a.json()["message"], "请填写来源说明", "{b}");
        let a = app
            .json(
                &office,
                "PUT",
                "/api/v1/violations/no-such-code",
                json!({"behaviour": "x", "violated": "x", "penalty": "x", "party": "unit",
                       "source": "x"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{b}");
        let a = app
            .json(
                &office,
                "POST",
                "/api/v1/violations/wsl-25-1/reactivate",
                json!({}),
            )
            .await;
        assert_eq!(a.status, StatusCode::CONFLICT, "{b}: {}", a.body);
        assert_eq!(a.json()["message"], "该条目已是启用状态", "{b}");

        // Nothing written: no row, no audit record (no denial either: all were allowed).
        assert_eq!(count(&app, "violation_rows").await, rows, "{b}");
        assert_eq!(audit_total(&app).await, audit, "{b}");

        // Another district's office writes its own district's library, never 示例区's.
        let elsewhere = other_district_office(&app).await;
        let a = app
            .json(
                &elsewhere,
                "POST",
                "/api/v1/violations/wsl-25-4/deactivate",
                json!({}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{b}: {}", a.body);
        assert_eq!(a.json()["region"], "另一示例区", "{b}");
        let town = app.login("demo-town").await;
        let lib = app.get(&town, "/api/v1/violations").await.json();
        assert_eq!(row(&lib, "wsl-25-4")["active"], true, "{b}");
        assert_eq!(row(&lib, "wsl-25-4")["origin"], "shipped", "{b}");
        // Only the committee office writes; an enterprise does not read the library.
        let a = app
            .json(
                &town,
                "POST",
                "/api/v1/violations/wsl-25-4/deactivate",
                json!({}),
            )
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{b}");
        let ent = app.login("demo-enterprise").await;
        assert_eq!(
            app.get(&ent, "/api/v1/violations").await.status,
            StatusCode::FORBIDDEN,
            "{b}"
        );
        app.cleanup().await;
    }
}

/// A committee office of another district (另一示例区), logged in.
async fn other_district_office(app: &TestApp) -> Client {
    use safeduty_store::audit::Who;
    let hash = safeduty_web::auth::hash_password(crate::app::PASSWORD).unwrap();
    let mut tx = app.store().write().await.unwrap();
    let region = safeduty_store::org::create_region(
        &mut tx,
        &Who::system(),
        None,
        "88",
        "另一示例区",
        "district",
    )
    .await
    .unwrap();
    safeduty_store::org::create_user(
        &mut tx,
        &Who::system(),
        &safeduty_store::org::NewUser {
            username: "v-office-other".into(),
            display_name: "另一示例区安委办".into(),
            password_hash: hash,
            role: safeduty_core::policy::Role::CommitteeOffice,
            region_id: Some(region.id),
            unit_id: None,
            enterprise_id: None,
            is_demo: true,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    app.login("v-office-other").await
}
