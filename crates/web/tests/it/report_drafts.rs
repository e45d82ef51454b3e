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
        dbg!(&region, &town, &dept, &year);
        app.cleanup().await;
    }
}
