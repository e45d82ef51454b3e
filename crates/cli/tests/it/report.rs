//! `safeduty report build` (issue #15 point 7): the demo's stage report for 东湖街道 and the
//! committee office's report on the district, as GB/T 9704 .docx with the figures as of the
//! period's end, on SQLite and PostgreSQL; too early, an unknown unit: exit 3.

use std::io::Read;

use safeduty_core::calendar::Calendar;

use crate::{safeduty, tmp};

fn document_text(path: &std::path::Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    // The paragraphs' texts, one a line.
    s.split("<w:p ")
        .skip(1)
        .map(|p| {
            let p = &p[..p.find("</w:p>").unwrap_or(p.len())];
            p.split("<w:t xml:space=\"preserve\">")
                .skip(1)
                .map(|t| &t[..t.find("</w:t>").unwrap()])
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn report_build_writes_the_demo_reports() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dbs = rt.block_on(async {
        let dbs = safeduty_store::testing::backends().await;
        for db in &dbs {
            safeduty_store::demo::seed(
                &db.store,
                &safeduty_plan::seed_template(),
                "not-a-login",
                "2024-06-20".parse().unwrap(),
                &Calendar::shipped(),
            )
            .await
            .unwrap();
        }
        dbs
    });
    for db in &dbs {
        let b = db.backend;
        let url = db.url().as_str().to_string();
        let build = |unit: &str, kind: &str, date: &str, out: &std::path::Path| {
            safeduty(&[
                "report",
                "build",
                "--kind",
                kind,
                "--unit",
                unit,
                "-o",
                out.to_str().unwrap(),
                "--date",
                date,
                "--number",
                "东安办〔2024〕3号",
                "--database-url",
                &url,
            ])
        };
        let out = tmp(&format!("stage-{b}.docx"));
        let _ = std::fs::remove_file(&out);
        let o = build("990101001", "stage", "2024-07-03", &out);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{b}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let text = document_text(&out);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0], "东湖街道关于2024年企业安全生产管理人员履职专项治理阶段性进展情况的报告",
            "{b}"
        );
        assert_eq!(lines[1], "东安办〔2024〕3号");
        assert_eq!(lines[2], "示例区安全生产委员会办公室：");
        assert!(text.contains("截至2024年6月30日"), "{b}: {text}");
        // 东湖街道 holds one enterprise in five of the demo's 300.
        let after = |label: &str| lines[lines.iter().position(|l| *l == label).unwrap() + 1];
        assert_eq!(after("纳入治理企业（家）"), "60", "{b}");
        assert_eq!(*lines.last().unwrap(), "2024年7月3日");
        // Without a draft, the author's sections are marked to be written.
        assert!(text.contains("（待填写）"));

        // The district's report, by the committee office.
        let out = tmp(&format!("annual-{b}.docx"));
        let o = build("990101", "annual", "2025-01-06", &out);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{b}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let text = document_text(&out);
        assert!(text.starts_with(
            "示例区安全生产委员会办公室关于2024年企业安全生产管理人员履职专项治理年度工作情况的报告"
        ));
        assert!(text.contains("截至2024年12月31日"), "{b}");
        let lines: Vec<&str> = text.lines().collect();
        let after = |label: &str| lines[lines.iter().position(|l| *l == label).unwrap() + 1];
        assert_eq!(after("纳入治理企业（家）"), "300", "{b}");

        // Before the period ends, nothing is written; an unknown unit: exit 3.
        let early = tmp(&format!("early-{b}.docx"));
        let _ = std::fs::remove_file(&early);
        let o = build("990101001", "stage", "2024-06-20", &early);
        assert_eq!(o.status.code(), Some(3), "{b}");
        assert!(!early.exists());
        assert!(String::from_utf8_lossy(&o.stderr).contains("2024-06-30"));
        let o = build("不存在的单位", "stage", "2024-07-03", &early);
        assert_eq!(o.status.code(), Some(3), "{b}");
    }
    rt.block_on(async {
        for db in dbs {
            db.cleanup().await;
        }
    });
}
