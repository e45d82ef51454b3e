//! The chart page (`/charts`, issue #15 point 6): every number in its tables equals what the
//! matching export gives for the same user — the findings ledger `.xlsx`, the enforcement
//! figures `.xlsx` and the enterprise list (`GET /api/v1/enterprises`) — for the committee
//! office, a unit officer and the assessor, on both databases; the demo's known figures on
//! 2024-06-20, and the exact change one seeded inspection makes.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use chrono::{Days, NaiveDate};

use crate::app::{Client, TestApp};

/// The cells of the table `{id}-table` of `body`, header row first, tags stripped.
fn table(body: &str, id: &str) -> Vec<Vec<String>> {
    let start = body
        .find(&format!("id=\"{id}-table\""))
        .unwrap_or_else(|| panic!("no table {id}"));
    let t = &body[start..];
    let t = &t[..t.find("</table>").unwrap()];
    t.split("<tr")
        .skip(1)
        .map(|tr| {
            let mut s = tr.split("</tr>").next().unwrap();
            let mut cells = Vec::new();
            while let Some(i) = s.find("<t") {
                let after = &s[i + 2..];
                if after.starts_with('d') || after.starts_with('h') {
                    let inner = &after[after.find('>').unwrap() + 1..];
                    let close = inner.find("</t").unwrap();
                    cells.push(text(&inner[..close]));
                    s = &inner[close + 3..];
                } else {
                    s = after;
                }
            }
            cells
        })
        .collect()
}

/// `html` without tags, entities decoded.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
        .trim()
        .to_string()
}

/// A spreadsheet cell as an integer (`3` or `3.0`).
fn int(cell: &str) -> i64 {
    if cell.is_empty() {
        return 0;
    }
    cell.parse::<i64>()
        .or_else(|_| cell.parse::<f64>().map(|f| f as i64))
        .unwrap_or_else(|_| panic!("not a number: {cell:?}"))
}

/// The sheet's rows after its header row (the row whose `col`-th cell is `head`).
fn sheet_rows(bytes: &[u8], col: usize, head: &str) -> Vec<Vec<String>> {
    let sheet = safeduty_roster::read(bytes).unwrap();
    let rows: Vec<Vec<String>> = sheet.grid.rows.iter().map(|r| r.cells.clone()).collect();
    let h = rows
        .iter()
        .position(|r| r.get(col).map(String::as_str) == Some(head))
        .unwrap_or_else(|| panic!("no header {head}"));
    rows[h + 1..]
        .iter()
        .filter(|r| r.iter().any(|c| !c.is_empty()))
        .cloned()
        .collect()
}

/// Per group: enrolled, submitted, draft, not started, findings, closed.
type Counts = BTreeMap<String, [i64; 6]>;

/// What the chart page shows for `c`, checked against the exports `c` downloads; returns the
/// page for the caller to check known values on.
/// Every row of the enterprise list's API for `c`, read page by page (200 a page), with the
/// total it states checked against the rows read.
async fn enterprise_list(app: &TestApp, c: &crate::app::Client) -> Vec<serde_json::Value> {
    let mut rows = Vec::new();
    for page in 1.. {
        let answer = app
            .get(c, &format!("/api/v1/enterprises?per_page=200&page={page}"))
            .await
            .json();
        let these = answer["rows"].as_array().unwrap().clone();
        let total = answer["total"].as_u64().unwrap() as usize;
        let done = these.is_empty();
        rows.extend(these);
        if done || rows.len() >= total {
            assert_eq!(rows.len(), total);
            break;
        }
    }
    rows
}

async fn check_against_exports(app: &TestApp, c: &Client, who: &str) -> String {
    let b = format!("{} {who}", app.backend());
    let today = app.state.clock().today();
    let page = app.get(c, "/charts").await;
    assert_eq!(page.status, StatusCode::OK, "{b}");
    let body = page.body;
    assert!(
        !body.contains("<script src=\"http"),
        "{b}: nothing from outside"
    );

    // The exports.
    let list = enterprise_list(app, c).await;
    let ledger = sheet_rows(&app.get_bytes(c, "/findings/export.xlsx").await, 6, "等级");
    let figures = sheet_rows(
        &app.get_bytes(c, "/enforcement/figures.xlsx").await,
        1,
        "单位",
    );
    let industry_of: BTreeMap<String, String> = list
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_string(),
                e["industry"].as_str().unwrap().to_string(),
            )
        })
        .collect();

    // By region and by industry: statuses from the list, findings from the ledger.
    let mut by_region = Counts::new();
    let mut by_industry = Counts::new();
    for e in &list {
        let k = match e["status"].as_str().unwrap() {
            "submitted" => 1,
            "draft" => 2,
            "not_started" => 3,
            s => panic!("{s}"),
        };
        for (map, key) in [(&mut by_region, "region"), (&mut by_industry, "industry")] {
            let g = map.entry(e[key].as_str().unwrap().to_string()).or_default();
            g[0] += 1;
            g[k] += 1;
        }
    }
    for r in &ledger {
        let closed = i64::from(r[16] == "已销号");
        let industry = industry_of
            .get(&r[1])
            .cloned()
            .unwrap_or_else(|| "未列入本次治理".into());
        for (map, key) in [(&mut by_region, r[2].clone()), (&mut by_industry, industry)] {
            let g = map.entry(key).or_default();
            g[4] += 1;
            g[5] += closed;
        }
    }
    for (id, expected) in [("regions", &by_region), ("industries", &by_industry)] {
        let t = table(&body, id);
        let shown: Counts = t[1..t.len() - 1]
            .iter()
            .map(|r| {
                assert_eq!(
                    int(&r[7]) + int(&r[8]),
                    int(&r[6]),
                    "{b} {id}: closed + open"
                );
                (r[0].clone(), [1, 2, 3, 4, 6, 7].map(|i| int(&r[i])))
            })
            .collect();
        assert_eq!(&shown, expected, "{b} {id}");
        let total = t.last().unwrap();
        assert_eq!(total[0], "合计", "{b}");
        assert_eq!(int(&total[1]), list.len() as i64, "{b} {id}: enrolled");
        assert_eq!(int(&total[6]), ledger.len() as i64, "{b} {id}: findings");
    }

    // By grade and by age, from the ledger.
    let grades = table(&body, "grades");
    let mut expected_grades = Vec::new();
    for label in ["一般", "重大"] {
        let of: Vec<_> = ledger.iter().filter(|r| r[6] == label).collect();
        let closed = of.iter().filter(|r| r[16] == "已销号").count();
        expected_grades.push(vec![
            label.to_string(),
            of.len().to_string(),
            closed.to_string(),
            (of.len() - closed).to_string(),
        ]);
    }
    let closed_all = ledger.iter().filter(|r| r[16] == "已销号").count();
    expected_grades.push(vec![
        "合计".into(),
        ledger.len().to_string(),
        closed_all.to_string(),
        (ledger.len() - closed_all).to_string(),
    ]);
    assert_eq!(grades[1..], expected_grades[..], "{b} grades");
    let mut ages = [[0_i64; 2]; 4];
    for r in ledger.iter().filter(|r| r[16] != "已销号") {
        let opened: NaiveDate = r[9].parse().unwrap();
        let days = (today - opened).num_days().max(0);
        let band = match days {
            0..=7 => 0,
            8..=30 => 1,
            31..=90 => 2,
            _ => 3,
        };
        ages[band][0] += 1;
        ages[band][1] += i64::from(r[6] == "重大");
    }
    let shown_ages: Vec<[i64; 2]> = table(&body, "ages")[1..5]
        .iter()
        .map(|r| [int(&r[1]), int(&r[2])])
        .collect();
    assert_eq!(shown_ages, ages.to_vec(), "{b} ages");

    // Weeks: findings opened and closed by the ledger's dates; the submissions add up to the
    // list's submitted; the last week is today's.
    let weeks = table(&body, "weeks");
    let weeks = &weeks[1..];
    assert!(!weeks.is_empty(), "{b}");
    let mut sum = 0;
    for w in weeks {
        let start: NaiveDate = w[0].parse().unwrap();
        let end = start + Days::new(6);
        let within = |d: &str| d.parse::<NaiveDate>().is_ok_and(|d| start <= d && d <= end);
        assert_eq!(
            int(&w[4]),
            ledger
                .iter()
                .filter(|r| within(r.get(9).map_or("", String::as_str)))
                .count() as i64,
            "{b} week {start} opened"
        );
        assert_eq!(
            int(&w[5]),
            ledger
                .iter()
                .filter(|r| within(r.get(18).map_or("", String::as_str)))
                .count() as i64,
            "{b} week {start} closed"
        );
        sum += int(&w[2]);
        assert_eq!(int(&w[3]), sum, "{b} week {start} to date");
    }
    let submitted = list.iter().filter(|e| e["status"] == "submitted").count() as i64;
    assert_eq!(sum, submitted, "{b}: weekly submissions add up");
    let last: NaiveDate = weeks.last().unwrap()[0].parse().unwrap();
    assert!(last <= today && today < last + Days::new(7), "{b}: {last}");

    // Enforcement: the figures export's rows, units then the total, in order.
    let shown: Vec<Vec<i64>> = table(&body, "enforcement")[1..]
        .iter()
        .map(|r| r[1..].iter().map(|c| int(c)).collect())
        .collect();
    let exported: Vec<Vec<i64>> = figures
        .iter()
        .map(|r| {
            [4, 8, 15, 16, 19]
                .iter()
                .map(|&i| int(r.get(i).map_or("", String::as_str)))
                .collect()
        })
        .collect();
    assert_eq!(shown, exported, "{b} enforcement");
    let names: Vec<String> = table(&body, "enforcement")[1..]
        .iter()
        .map(|r| r[0].clone())
        .collect();
    let exported_names: Vec<String> = figures.iter().map(|r| r[1].clone()).collect();
    assert_eq!(names, exported_names, "{b} enforcement units");

    // Each chart has its title and description; the page has no form of its own.
    for chart in [
        "weeks-si",
        "weeks-findings",
        "regions-si",
        "regions-rect",
        "industries-si",
        "industries-rect",
        "grades-chart",
        "ages-chart",
        "enforcement-counts",
        "enforcement-fines",
    ] {
        assert!(
            body.contains(&format!("<title id=\"{chart}-t\">")),
            "{b} {chart}"
        );
        assert!(
            body.contains(&format!("<desc id=\"{chart}-d\">")),
            "{b} {chart}"
        );
    }
    let main = body.split("<main").nth(1).unwrap_or(&body);
    assert!(!main.contains("method=\"post\""), "{b}: read-only");
    body
}

/// The row of `table` whose first cell is `first`.
fn row<'a>(t: &'a [Vec<String>], first: &str) -> &'a [String] {
    t.iter()
        .find(|r| r[0] == first)
        .unwrap_or_else(|| panic!("no row {first}"))
}

#[tokio::test]
async fn every_chart_number_equals_its_export_for_each_role_and_scope() {
    for app in TestApp::all().await {
        let b = app.backend();
        let office = app.login("demo-office").await;
        let town = app.login("demo-town").await;
        let assessor = app.login("demo-assessor").await;

        // The demo on 2024-06-20, as the office sees it.
        let before = check_against_exports(&app, &office, "office").await;
        // One inspection by 东湖街道 today (2024-06-20, a Thursday): one finding opened, one
        // order issued.
        app.seed_enforcement().await;
        let after = check_against_exports(&app, &office, "office").await;
        let d =
            |page: &str, id: &str, first: &str, col: usize| int(&row(&table(page, id), first)[col]);
        assert_eq!(
            d(&after, "weeks", "2024-06-17", 4) - d(&before, "weeks", "2024-06-17", 4),
            1,
            "{b}"
        );
        assert_eq!(
            d(&after, "ages", "0–7天", 1) - d(&before, "ages", "0–7天", 1),
            1,
            "{b}"
        );
        assert_eq!(
            d(&after, "regions", "东湖街道", 6) - d(&before, "regions", "东湖街道", 6),
            1,
            "{b}"
        );
        assert_eq!(
            d(&after, "regions", "合计", 8) - d(&before, "regions", "合计", 8),
            1,
            "{b}"
        );
        for (unit, col, n) in [
            ("东湖街道", 1, 1),
            ("东湖街道", 2, 1),
            ("辖区合计", 1, 1),
            ("辖区合计", 2, 1),
            ("辖区合计", 3, 0),
        ] {
            assert_eq!(
                d(&after, "enforcement", unit, col) - d(&before, "enforcement", unit, col),
                n,
                "{b} {unit} {col}"
            );
        }

        // The town sees its own enterprises and its own unit's row only.
        let own = check_against_exports(&app, &town, "town").await;
        let regions = table(&own, "regions");
        assert_eq!(regions.len(), 3, "{b}: header, 东湖街道, total");
        assert_eq!(regions[1][0], "东湖街道", "{b}");
        assert_eq!(regions[2][1], "60", "{b}: its 60 enterprises");
        let enforcement = table(&own, "enforcement");
        assert_eq!(enforcement.len(), 2, "{b}: its own row, no total");
        assert_eq!(
            enforcement[1][..3],
            ["东湖街道", "1", "1"].map(String::from),
            "{b}"
        );

        // The assessor reads what the office reads.
        let read = check_against_exports(&app, &assessor, "assessor").await;
        for id in [
            "weeks",
            "regions",
            "industries",
            "grades",
            "ages",
            "enforcement",
        ] {
            assert_eq!(table(&read, id), table(&after, id), "{b} {id}");
        }

        // The demo's known figures on 2024-06-20, before the inspection.
        let regions = table(&before, "regions");
        assert_eq!(
            regions.last().unwrap()[..],
            [
                "合计", "300", "134", "56", "110", "44.7%", "295", "0", "295", "0.0%"
            ]
            .map(String::from),
            "{b}: the demo's totals"
        );
        assert_eq!(
            row(&regions, "东湖街道"),
            [
                "东湖街道",
                "60",
                "21",
                "11",
                "28",
                "35.0%",
                "38",
                "0",
                "38",
                "0.0%"
            ]
            .map(String::from),
            "{b}"
        );
        let rows = |id: &str| -> Vec<Vec<String>> { table(&before, id)[1..].to_vec() };
        let strings = |r: &[&str]| r.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert_eq!(
            rows("grades"),
            [
                strings(&["一般", "294", "0", "294"]),
                strings(&["重大", "1", "0", "1"]),
                strings(&["合计", "295", "0", "295"]),
            ],
            "{b}"
        );
        assert_eq!(
            rows("ages"),
            [
                strings(&["0–7天", "36", "0"]),
                strings(&["8–30天", "153", "1"]),
                strings(&["31–90天", "106", "0"]),
                strings(&["90天以上", "0", "0"]),
                strings(&["合计", "295", "1"]),
            ],
            "{b}"
        );
        assert_eq!(
            row(&table(&before, "industries"), "建筑施工"),
            [
                "建筑施工",
                "35",
                "10",
                "9",
                "16",
                "28.6%",
                "19",
                "0",
                "19",
                "0.0%"
            ]
            .map(String::from),
            "{b}"
        );
        let weeks = table(&before, "weeks");
        assert_eq!(
            weeks[1][0], "2024-03-25",
            "{b}: the week of the campaign's first day, 2024-03-29"
        );

        // An enterprise user has no chart page.
        let ent = app.login("demo-enterprise").await;
        assert_eq!(
            app.get(&ent, "/charts").await.status,
            StatusCode::FORBIDDEN,
            "{b}"
        );
        app.cleanup().await;
    }
}
