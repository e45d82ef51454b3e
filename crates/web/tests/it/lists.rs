//! Lists that find (issue #18 point 2): every counter of the committee office's overview links to
//! the list it counts, and that list says the same number; the enterprise list's pages, search
//! and filters over HTTP (page and API), on each backend.

use std::collections::BTreeSet;

use axum::http::StatusCode;

use crate::app::TestApp;

/// The number in "共 N 条" of a list page.
fn total_of(body: &str) -> i64 {
    let rest = body.split("共 ").nth(1).expect("a total");
    rest[..rest.find(' ').unwrap()].parse().unwrap()
}

/// The public ids of the enterprises listed on a page.
fn ids(body: &str) -> Vec<String> {
    body.split("<tr><td><a href=\"/enterprises/")
        .skip(1)
        .map(|s| s[..32].to_string())
        .collect()
}

#[tokio::test]
async fn overview_counters_link_to_lists_that_count_the_same() {
    for app in TestApp::all().await {
        let b = app.backend();
        let office = app.login("demo-office").await;
        let o = app.get(&office, "/overview").await;
        assert_eq!(o.status, StatusCode::OK, "{b}");
        // (href, number) of every counter: the six figures and each region's and industry's.
        let mut counters = Vec::new();
        for piece in o.body.split("<a ").skip(1) {
            let Some(href) = piece
                .split("href=\"")
                .nth(1)
                .map(|h| &h[..h.find('"').unwrap()])
            else {
                continue;
            };
            if !(href.starts_with("/enterprises") || href.starts_with("/findings")) {
                continue;
            }
            let text = &piece[piece.find('>').unwrap() + 1..piece.find("</a>").unwrap()];
            if let Ok(n) = text.parse::<i64>() {
                counters.push((href.replace("&amp;", "&"), n));
            }
        }
        // 6 figures; 5 towns and 8 industries × 4 columns.
        assert_eq!(counters.len(), 6 + (5 + 8) * 4, "{b}: {counters:?}");
        assert_eq!(counters[0], ("/enterprises".to_string(), 300), "{b}");
        for (href, n) in &counters {
            let list = app.get(&office, href).await;
            assert_eq!(list.status, StatusCode::OK, "{b}: {href}");
            assert_eq!(total_of(&list.body), *n, "{b}: {href}");
        }
        // The overdue figure is not zero on the demo day, so the link is tested on real rows.
        assert!(counters[5].1 > 0, "{b}: {:?}", counters[5]);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn enterprise_list_pages_and_searches_over_http() {
    for app in TestApp::all().await {
        let b = app.backend();
        let town = app.login("demo-town").await;
        // Three pages of 25 of the town's 60: disjoint, 60 in all, links keep the filters.
        let mut seen = BTreeSet::new();
        for (page, rows) in [(1, 25), (2, 25), (3, 10)] {
            let r = app
                .get(
                    &town,
                    &format!("/enterprises?per_page=25&sort=name&page={page}"),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{b}");
            assert!(r.body.contains(&format!("共 60 条，第 {page}/3 页")), "{b}");
            let ids = ids(&r.body);
            assert_eq!(ids.len(), rows, "{b}: page {page}");
            for id in ids {
                assert!(seen.insert(id), "{b}: page {page} repeats a row");
            }
            if page < 3 {
                assert!(
                    r.body.contains(&format!(
                        "href=\"/enterprises?sort=name&#38;per_page=25&#38;page={}\" rel=\"next\"",
                        page + 1
                    )),
                    "{b}"
                );
            }
        }
        assert_eq!(seen.len(), 60, "{b}");
        // The API pages the same way.
        let api = app
            .get(&town, "/api/v1/enterprises?per_page=25&page=2")
            .await
            .json();
        assert_eq!(
            (
                api["total"].as_i64(),
                api["page"].as_i64(),
                api["page_size"].as_i64()
            ),
            (Some(60), Some(2), Some(25)),
            "{b}"
        );
        assert_eq!(api["rows"].as_array().unwrap().len(), 25, "{b}");

        // Search by USCC in lower case, and by a part of the name in Traditional.
        let own = app.enterprise_of("demo-enterprise").await;
        let e = safeduty_store::org::enterprise_by_public_id(app.store(), &own)
            .await
            .unwrap();
        let r = app
            .get(&town, &format!("/enterprises?q={}", e.uscc.to_lowercase()))
            .await;
        assert_eq!(total_of(&r.body), 1, "{b}");
        assert_eq!(ids(&r.body), vec![own.clone()], "{b}");
        let api = app
            .get(
                &town,
                &format!("/api/v1/enterprises?q={}", e.uscc.to_lowercase()),
            )
            .await
            .json();
        assert_eq!(api["total"], 1, "{b}");
        assert_eq!(api["rows"][0]["id"], own.as_str(), "{b}");
        // 示例东湖… written as 示例東湖 finds the town's enterprises whose name holds it.
        let simplified = app
            .get(
                &town,
                "/enterprises?q=%E7%A4%BA%E4%BE%8B%E4%B8%9C%E6%B9%96&per_page=100",
            )
            .await;
        let traditional = app
            .get(
                &town,
                "/enterprises?q=%E7%A4%BA%E4%BE%8B%E6%9D%B1%E6%B9%96&per_page=100",
            )
            .await;
        assert_eq!(total_of(&simplified.body), 60, "{b}");
        assert_eq!(ids(&simplified.body), ids(&traditional.body), "{b}");

        // A bad filter is a clear 400 and lists nothing.
        let r = app.get(&town, "/enterprises?status=late").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(r.body.contains("筛选条件“状态”的值“late”无效"), "{b}");
        let r = app.get(&town, "/api/v1/enterprises?page=0").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{b}");
        app.cleanup().await;
    }
}
