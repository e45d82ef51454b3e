//! The “八个一” measures per unit (issue #14 point 1) on SQLite and PostgreSQL: the grid of the
//! demo's units × the Qingxiu plan's eight measures with the records' figures beside the four
//! the product knows; a town records a measure with its evidence (refused without one, nothing
//! written), the committee office returns it with a reason, the town records it again; the
//! evidence file is read by those who see the unit only.

use axum::http::StatusCode;
use serde_json::Value;

use crate::app::{Answer, TestApp};
use crate::enforcement_cases::{ok, refused, scalar};

const PDF: &[u8] = b"%PDF-1.4\n% \xe5\x8a\xa8\xe5\x91\x98\xe9\x83\xa8\xe7\xbd\xb2\xe4\xbc\x9a\n";

fn measure(grid: &Value, number: u64) -> &Value {
    grid["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["number"] == number)
        .unwrap()
}

fn cell<'a>(grid: &'a Value, unit: &str, number: u64) -> &'a Value {
    let row = grid["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == unit)
        .unwrap();
    row["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["number"] == number)
        .unwrap()
}

async fn grid(app: &TestApp, c: &crate::app::Client) -> Value {
    ok(&app.get(c, "/api/v1/unit-measures").await)
}

#[tokio::test]
async fn a_towns_measure_is_recorded_returned_and_recorded_again_in_the_offices_grid() {
    for app in TestApp::all().await {
        let b = app.backend();
        let office = app.login("demo-office").await;
        let town = app.login("demo-town").await;
        let g = grid(&app, &office).await;
        let names: Vec<&str> = g["measures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["name"].as_str().unwrap())
            .collect();
        assert_eq!(names.len(), 8, "{b}: {names:?}");
        let sources: Vec<&Value> = g["measures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| &m["source"])
            .collect();
        assert_eq!(
            sources,
            [
                &Value::Null,
                &Value::Null,
                &Value::from("self_inspection"),
                &Value::from("commitments"),
                &Value::from("inspections"),
                &Value::from("exposures"),
                &Value::Null,
                &Value::Null
            ],
            "{b}: {names:?}"
        );
        let units = g["units"].as_array().unwrap().len();
        assert_eq!(
            measure(&g, 8)["missing"],
            units,
            "{b}: nobody has shown institutional results yet"
        );
        // The town's figures come from its records: its enterprises' self-inspections.
        let own = cell(&g, "东湖街道", 3);
        let enrolled = scalar(
            &app,
            "SELECT COUNT(*) FROM enrolments en JOIN enterprises e ON e.id = en.enterprise_id \
             JOIN regions r ON r.id = e.region_id WHERE r.name = '东湖街道'",
        )
        .await;
        assert_eq!(own["figure_of"], enrolled, "{b}");

        // The town sees its own row only.
        let mine = grid(&app, &town).await;
        assert_eq!(mine["units"].as_array().unwrap().len(), 1, "{b}");

        let recorded = app.audit_count("unit_measure_recorded").await;
        let returned = app.audit_count("unit_measure_returned").await;
        // A first entry needs its evidence: refused, nothing written.
        let path = "/unit-measures/8";
        let fields = [
            ("csrf", town.csrf.as_str()),
            ("held_on", "2024-06-18"),
            ("description", "印发安全生产管理人员履职考核办法"),
        ];
        let a = app.multipart(&town, path, &fields, None).await;
        assert_eq!(
            a.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{b}: {}",
            a.body
        );
        assert!(a.body.contains("请上传佐证材料"), "{b}");
        assert_eq!(
            scalar(
                &app,
                "SELECT COUNT(*) FROM unit_measures WHERE measure_number = 8"
            )
            .await,
            0,
            "{b}"
        );
        let a = app
            .multipart(&town, path, &fields, Some(("履职考核办法.pdf", PDF)))
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}: {}", a.body);
        let g = grid(&app, &office).await;
        let c = cell(&g, "东湖街道", 8);
        assert_eq!(
            (&c["done"], &c["status"], &c["held_on"], &c["files"]),
            (
                &Value::from(true),
                &Value::from("recorded"),
                &Value::from("2024-06-18"),
                &serde_json::json!(["履职考核办法.pdf"])
            ),
            "{b}"
        );
        assert_eq!(measure(&g, 8)["missing"], units - 1, "{b}");
        let entry = c["entry"].as_str().unwrap().to_string();
        let version = c["version"].clone();

        // Returned with a reason (none: refused).
        let back = format!("/api/v1/unit-measure-entries/{entry}/return");
        let a: Answer = app
            .json(
                &office,
                "POST",
                &back,
                serde_json::json!({"version": version, "reason": " "}),
            )
            .await;
        refused(&a, StatusCode::UNPROCESSABLE_ENTITY, Some("reason"));
        let a = app
            .json(
                &town,
                "POST",
                &back,
                serde_json::json!({"version": version, "reason": "x"}),
            )
            .await;
        assert!(
            matches!(a.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{b}: a town returns nothing"
        );
        let g = ok(&app
            .json(
                &office,
                "POST",
                &back,
                serde_json::json!({"version": version, "reason": "佐证材料缺少签到表"}),
            )
            .await);
        let c = cell(&g, "东湖街道", 8);
        assert_eq!(
            (&c["done"], &c["status"], &c["return_reason"]),
            (
                &Value::from(false),
                &Value::from("returned"),
                &Value::from("佐证材料缺少签到表")
            ),
            "{b}"
        );
        assert_eq!(measure(&g, 8)["missing"], units, "{b}");
        let page = app.get(&town, "/unit-measures").await;
        assert!(page.body.contains("佐证材料缺少签到表"), "{b}");

        // Recorded again: the earlier file is kept, no new one needed.
        let version = c["version"].as_i64().unwrap().to_string();
        let a = app
            .multipart(
                &town,
                path,
                &[
                    ("csrf", town.csrf.as_str()),
                    ("version", version.as_str()),
                    ("held_on", "2024-06-18"),
                    (
                        "description",
                        "印发安全生产管理人员履职考核办法，发文件见附件",
                    ),
                ],
                None,
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}: {}", a.body);
        let g = grid(&app, &office).await;
        assert_eq!(cell(&g, "东湖街道", 8)["status"], "recorded", "{b}");
        assert_eq!(measure(&g, 8)["missing"], units - 1, "{b}");

        // The evidence: the office reads it, another unit does not.
        let file: String = {
            let mut tx = app.store().write().await.unwrap();
            let id =
                sqlx::query_scalar("SELECT public_id FROM unit_measure_files ORDER BY id LIMIT 1")
                    .fetch_one(&mut *tx)
                    .await
                    .unwrap();
            tx.commit().await.unwrap();
            id
        };
        let bytes = app
            .get_bytes(&office, &format!("/unit-measures/files/{file}"))
            .await;
        assert_eq!(bytes, PDF, "{b}");
        let dept = app.login("demo-dept").await;
        let a = app
            .get(&dept, &format!("/unit-measures/files/{file}"))
            .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{b}");
        assert_eq!(
            app.audit_count("unit_measure_recorded").await,
            recorded + 2,
            "{b}"
        );
        assert_eq!(
            app.audit_count("unit_measure_returned").await,
            returned + 1,
            "{b}"
        );
        app.cleanup().await;
    }
}

/// Measure 8 (形成一批制度性成果, which the demo leaves to the units) recorded by 东湖街道 (demo-town) on 2024-06-18 with one evidence file, through the
/// page as a browser sends it. Answers the entry's public id and the file's.
pub async fn recorded_measure(app: &TestApp) -> (String, String) {
    let town = app.login("demo-town").await;
    let a = app
        .multipart(
            &town,
            "/unit-measures/8",
            &[
                ("csrf", town.csrf.as_str()),
                ("held_on", "2024-06-18"),
                ("description", "印发安全生产管理人员履职考核办法"),
            ],
            Some(("履职考核办法.pdf", PDF)),
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let mut tx = app.store().write().await.unwrap();
    let ids: (String, String) = sqlx::query_as(
        "SELECT m.public_id, f.public_id FROM unit_measures m \
         JOIN unit_measure_files f ON f.unit_measure_id = m.id ORDER BY f.id LIMIT 1",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    ids
}
