//! Generated reports (issue #15 points 2, 3, 5): the figures of the demo's stage and annual
//! reports as of their periods' ends, the same when built later after records dated after the
//! period; a unit's draft saved (audited), refused when a section is empty or the period is not
//! over, then generated as GB/T 9704 .docx and submitted; the .docx read back (fonts, page) and,
//! with LibreOffice, converted to PDF (A4, page count).

use axum::http::StatusCode;
use safeduty_app::report_builds::{self, Subject};
use safeduty_core::reporting::{Figures, ReportKind, report_of_kind, reports_due};
use safeduty_store::campaigns::Campaign;
use safeduty_store::reports::{self, Named};

use crate::app::TestApp;

async fn campaign(app: &TestApp) -> Campaign {
    safeduty_store::campaigns::latest(app.store())
        .await
        .unwrap()
        .unwrap()
}

/// The subject `code` names (a region code or a unit's name), as the CLI finds it.
async fn subject(app: &TestApp, code: &str) -> Subject {
    match reports::named(app.store(), code).await.unwrap() {
        Named::Unit(unit) => {
            let office = reports::committee_office(app.store(), &unit.region_path)
                .await
                .unwrap()
                .unwrap_or_default();
            Subject::Unit { unit, office }
        }
        Named::Region { path, office } => Subject::Region {
            path,
            office,
            addressee: String::new(),
        },
    }
}

async fn figures(app: &TestApp, code: &str, kind: ReportKind) -> Figures {
    let c = campaign(app).await;
    let due = reports_due(
        &c.template,
        c.year,
        &safeduty_core::calendar::Calendar::shipped(),
    );
    let report = report_of_kind(&c.template, &due, kind).unwrap();
    let s = subject(app, code).await;
    report_builds::figures(app.store(), &c, &s, &report, &mut |_, _| {})
        .await
        .unwrap()
}

#[tokio::test]
async fn demo_figures_as_of_the_period_end_stay_the_same_when_built_later() {
    for app in TestApp::all().await {
        let b = app.backend();
        let c = campaign(&app).await;
        let due = reports_due(
            &c.template,
            c.year,
            &safeduty_core::calendar::Calendar::shipped(),
        );
        let stage = report_of_kind(&c.template, &due, ReportKind::Stage).unwrap();
        let annual = report_of_kind(&c.template, &due, ReportKind::Annual).unwrap();
        assert_eq!(
            (stage.due.date.to_string(), annual.due.date.to_string()),
            ("2024-07-05".into(), "2025-01-08".into()),
            "{b}"
        );
        let region = figures(&app, "990101", ReportKind::Stage).await;
        let town = figures(&app, "990101001", ReportKind::Stage).await;
        let dept = figures(&app, "区应急管理局", ReportKind::Stage).await;
        let year = figures(&app, "990101", ReportKind::Annual).await;
        // The demo (activity up to 2024-06-20): 300 enterprises, 134 self-inspections
        // submitted, 295 findings of which 1 major, none closed yet, 411 commitments signed,
        // 11 measures; no enforcement before the enforcement phase.
        let key = |f: &Figures| {
            (
                f.enterprises,
                f.key_enterprises,
                f.self_inspected,
                f.findings_general,
                f.findings_major,
                f.findings_closed,
                f.commitments_signed,
                f.measures_done,
            )
        };
        let enforcement = |f: &Figures| {
            (
                f.inspections,
                f.orders,
                f.cases,
                f.penalties,
                f.fines_yuan,
                f.exposures,
            )
        };
        assert_eq!(key(&region), (300, 63, 134, 294, 1, 0, 411, 11), "{b}");
        assert_eq!(enforcement(&region), (0, 0, 0, 0, 0, 0), "{b}");
        assert_eq!(region.self_inspection_rate(), 447, "{b}");
        assert_eq!(region.period_end.unwrap().to_string(), "2024-06-30");
        assert_eq!(
            region.by_industry[0],
            ("非煤矿山".to_string(), 40, 19),
            "{b}: the plan's industries in the plan's order"
        );
        assert_eq!(
            region.lagging,
            vec![
                ("东湖街道".to_string(), 350),
                ("区交通运输局".to_string(), 371),
                ("区住房和城乡建设局".to_string(), 387),
                ("示例高新技术产业开发区".to_string(), 400),
            ],
            "{b}"
        );
        assert_eq!(key(&town), (60, 18, 21, 37, 1, 0, 68, 2), "{b}");
        assert!(
            town.lagging.is_empty(),
            "{b}: a unit's report lists no units"
        );
        assert_eq!(key(&dept), (155, 38, 73, 156, 1, 0, 210, 0), "{b}");
        assert_eq!(
            key(&year),
            key(&region),
            "{b}: nothing happened after 2024-06-20"
        );
        assert_eq!(year.period_end.unwrap().to_string(), "2024-12-31");

        // A self-inspection submitted on the period's last day counts.
        let store = app.store();
        safeduty_store::testing::execute(
            store,
            "UPDATE self_inspections SET status = 'submitted', submitted_on = '2024-06-30' \
             WHERE id = (SELECT MIN(id) FROM self_inspections WHERE status = 'draft')",
        )
        .await;
        let stage = figures(&app, "990101", ReportKind::Stage).await;
        assert_eq!(stage.self_inspected, 135, "{b}");
        let (stage_town, stage_dept) = (
            figures(&app, "990101001", ReportKind::Stage).await,
            figures(&app, "区应急管理局", ReportKind::Stage).await,
        );
        // Records dated after it: every other draft submitted, every finding closed, a major
        // finding opened. The stage report built "later" gives the same figures; the year's
        // report counts them.
        safeduty_store::testing::execute(
            store,
            "UPDATE self_inspections SET status = 'submitted', submitted_on = '2024-07-02' \
             WHERE status = 'draft'",
        )
        .await;
        safeduty_store::testing::execute(
            store,
            "INSERT INTO findings (public_id, campaign_id, enterprise_id, source, category, grade, \
             description, status, opened_on, due_on, created_at, updated_at) \
             SELECT 'later-finding-0001', campaign_id, enterprise_id, source, category, 'major', \
             description, 'open', '2024-07-03', due_on, created_at, updated_at FROM findings \
             WHERE id = (SELECT MIN(id) FROM findings)",
        )
        .await;
        safeduty_store::testing::execute(
            store,
            "UPDATE findings SET status = 'closed', closed_on = '2024-07-10' \
             WHERE public_id <> 'later-finding-0001'",
        )
        .await;
        let later = figures(&app, "990101", ReportKind::Stage).await;
        assert_eq!(later, stage, "{b}");
        assert_eq!(
            figures(&app, "990101001", ReportKind::Stage).await,
            stage_town,
            "{b}"
        );
        assert_eq!(
            figures(&app, "区应急管理局", ReportKind::Stage).await,
            stage_dept,
            "{b}"
        );
        let year = figures(&app, "990101", ReportKind::Annual).await;
        assert_eq!(
            (
                year.self_inspected,
                year.findings_major,
                year.findings_closed
            ),
            (190, 2, 295),
            "{b}"
        );
        app.cleanup().await;
    }
}

async fn town_unit(app: &TestApp) -> i64 {
    match reports::named(app.store(), "990101001").await.unwrap() {
        Named::Unit(u) => u.id,
        Named::Region { .. } => unreachable!("990101001 is 东湖街道"),
    }
}

#[tokio::test]
async fn a_unit_writes_its_draft_then_generates_and_submits_its_report() {
    for app in TestApp::all().await {
        let b = app.backend();
        let unit = town_unit(&app).await;
        let c = campaign(&app).await;
        let town = app.login("demo-town").await;
        let draft = format!("/reports/{unit}/1/draft");
        let generate = format!("/reports/{unit}/1/generate");
        // Before the period ends: the draft is saved (audited once; the same text again writes
        // nothing), the report cannot be generated.
        let fields = |problems: &'static str| {
            vec![
                ("csrf", town.csrf.clone()),
                ("doc_number", "东安办〔2024〕3号".to_string()),
                ("work", "召开部署会1次。\n\n开展培训2场。".to_string()),
                ("problems", problems.to_string()),
                ("next_steps", "督促未完成自查的企业。".to_string()),
            ]
        };
        let post = |path: String, f: Vec<(&'static str, String)>| {
            let app = &app;
            let town = town.clone();
            async move {
                let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.form(&town, &path, &f).await
            }
        };
        let saved_before = app.audit_count("report_draft_saved").await;
        let r = post(draft.clone(), fields("")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.body);
        let r = post(draft.clone(), fields("")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}");
        assert_eq!(
            app.audit_count("report_draft_saved").await,
            saved_before + 1,
            "{b}"
        );
        let r = post(generate.clone(), vec![("csrf", town.csrf.clone())]).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{b}");
        assert!(r.body.contains("2024-06-30起方可报送"), "{b}: {}", r.body);
        // A text with a control character: refused, the text as typed kept on the page.
        let mut bad = fields("");
        bad[2].1 = "召开部署会\u{7}".into();
        let r = post(draft.clone(), bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(r.body.contains("控制字符"), "{b}");
        assert_eq!(
            app.audit_count("report_draft_saved").await,
            saved_before + 1,
            "{b}"
        );

        // After the period: an empty section is refused and nothing is written.
        let app = app.on_day("2024-07-03");
        let town = app.login("demo-town").await;
        let post = |path: String, f: Vec<(&'static str, String)>| {
            let app = &app;
            let town = town.clone();
            async move {
                let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.form(&town, &path, &f).await
            }
        };
        let submitted_before = app.audit_count("report_submitted").await;
        let page = app.get(&town, &format!("/reports/{unit}/1")).await;
        assert!(page.body.contains("纳入治理企业（家）"), "{b}");
        assert!(page.body.contains("生成并报送"), "{b}");
        let r = post(generate.clone(), vec![("csrf", town.csrf.clone())]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(r.body.contains("“存在问题”尚未填写"), "{b}: {}", r.body);
        assert_eq!(
            app.audit_count("report_submitted").await,
            submitted_before,
            "{b}"
        );
        assert!(
            reports::documents(app.store(), c.id, unit, "1")
                .await
                .unwrap()
                .is_empty()
        );
        // Written, generated and handed in: one .docx kept as the record, audited.
        let mut full = fields("部分企业自查不深入。");
        full[0].1 = town.csrf.clone();
        let r = post(draft.clone(), full).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}");
        let docx = app
            .get_bytes(&town, &format!("/reports/{unit}/1/draft.docx"))
            .await;
        assert!(docx.starts_with(b"PK"), "{b}");
        let r = post(generate.clone(), vec![("csrf", town.csrf.clone())]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.body);
        assert_eq!(
            app.audit_count("report_submitted").await,
            submitted_before + 1,
            "{b}"
        );
        let docs = reports::documents(app.store(), c.id, unit, "1")
            .await
            .unwrap();
        assert_eq!(docs.len(), 1, "{b}");
        let d = &docs[0];
        assert_eq!(d.kind, "docx");
        assert_eq!(d.submitted_on.to_string(), "2024-07-03");
        assert_eq!(
            d.file_name,
            "东湖街道关于2024年企业安全生产管理人员履职专项治理阶段性进展情况的报告.docx"
        );
        for s in [
            "东安办〔2024〕3号",
            "一、工作开展情况",
            "开展培训2场。",
            "截至2024年6月30日",
            "三、存在问题",
            "部分企业自查不深入。",
            "四、下一步工作",
        ] {
            assert!(d.text.contains(s), "{b}: {s} in {}", d.text);
        }
        // Generating again the same day gives the same bytes: a double click, nothing written.
        let r = post(generate.clone(), vec![("csrf", town.csrf.clone())]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}");
        assert_eq!(
            app.audit_count("report_submitted").await,
            submitted_before + 1,
            "{b}"
        );
        assert_eq!(
            reports::documents(app.store(), c.id, unit, "1")
                .await
                .unwrap()
                .len(),
            1
        );
        app.cleanup().await;
    }
}

/// Converts `docx` to PDF with LibreOffice and answers `pdfinfo`'s page size line and page
/// count; `None` (said) when LibreOffice or poppler is missing outside CI.
fn pdf_pages(name: &str, docx: &[u8]) -> Option<(String, u32)> {
    let have = |cmd: &str| {
        std::process::Command::new("sh")
            .args(["-c", &format!("command -v {cmd}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !have("soffice") || !have("pdfinfo") {
        assert!(
            std::env::var("CI").is_err(),
            "CI must convert the reports: install libreoffice-writer-nogui and poppler-utils"
        );
        eprintln!("skipped: soffice or pdfinfo missing (the PDF layout check runs in CI)");
        return None;
    }
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-pdf");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.docx"));
    std::fs::write(&path, docx).unwrap();
    let profile = dir.join(format!("lo-profile-{name}"));
    let o = std::process::Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let info = std::process::Command::new("pdfinfo")
        .arg(dir.join(format!("{name}.pdf")))
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout).to_string();
    let line = |k: &str| {
        info.lines()
            .find(|l| l.starts_with(k))
            .map(|l| l[k.len()..].trim().to_string())
            .unwrap_or_default()
    };
    Some((line("Page size:"), line("Pages:").parse().unwrap()))
}

#[tokio::test]
async fn the_demo_reports_convert_to_a4_pdf() {
    let app = TestApp::sqlite().await;
    let c = campaign(&app).await;
    let due = reports_due(
        &c.template,
        c.year,
        &safeduty_core::calendar::Calendar::shipped(),
    );
    let mut got = Vec::new();
    for (name, code, kind, date) in [
        ("stage-town", "990101001", ReportKind::Stage, "2024-07-03"),
        ("annual-region", "990101", ReportKind::Annual, "2025-01-06"),
    ] {
        let report = report_of_kind(&c.template, &due, kind).unwrap();
        let s = subject(&app, code).await;
        let f = report_builds::figures(app.store(), &c, &s, &report, &mut |_, _| {})
            .await
            .unwrap();
        let sections = report_builds::saved_sections(app.store(), &c, &s, &report.key)
            .await
            .unwrap();
        let doc = report_builds::document(&c, &s, &report, f, sections, "", date.parse().unwrap())
            .unwrap();
        let Some((size, pages)) = pdf_pages(name, &doc.to_docx().unwrap()) else {
            break;
        };
        assert!(size.ends_with("(A4)"), "{name}: {size}");
        got.push((name, pages));
    }
    if !got.is_empty() {
        // The stage report of a town fits two pages, the district's year report with its
        // units lagging behind two as well.
        assert_eq!(got, vec![("stage-town", 2), ("annual-region", 2)]);
    }
    app.cleanup().await;
}
