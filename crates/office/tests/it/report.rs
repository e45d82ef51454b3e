//! A generated report (issue #15 point 3) read back: every run in the body and the footer names
//! its East Asian font (a run naming only its Latin font leaves Chinese in the default face), the
//! page is A4 with GB/T 9704's margins, the blocks come in order with the figures as a table.

use chrono::NaiveDate;
use safeduty_core::reporting::Figures;
use safeduty_office::report::Report;

use crate::{paragraphs, part, text};

fn report() -> Report {
    Report {
        title: "示例街道关于2024年专项治理阶段性进展情况的报告".into(),
        doc_number: "示安办〔2024〕3号".into(),
        addressee: "示例区安全生产委员会办公室".into(),
        issuer: "示例街道".into(),
        date: NaiveDate::from_ymd_opt(2024, 7, 3).unwrap(),
        figures: Figures {
            period_end: NaiveDate::from_ymd_opt(2024, 6, 30),
            enterprises: 60,
            key_enterprises: 12,
            by_industry: vec![("危险化学品".into(), 8, 5), ("工贸".into(), 52, 34)],
            self_inspected: 39,
            findings_general: 20,
            findings_major: 1,
            findings_closed: 7,
            commitments_signed: 3,
            lagging: vec![("南山镇".into(), 512)],
            ..Figures::default()
        },
        sections: [
            "召开部署会1次。\n\n开展培训2场。".into(),
            "部分企业自查不深入。".into(),
            "督促未完成自查的企业。".into(),
        ],
    }
}

#[test]
fn every_run_names_its_east_asian_font_on_an_a4_page() {
    let bytes = report().to_docx().unwrap();
    for name in ["word/document.xml", "word/footer1.xml", "word/footer2.xml"] {
        let xml = part(&bytes, name);
        let runs: Vec<&str> = xml.split("<w:r>").skip(1).collect();
        assert!(!runs.is_empty(), "{name}");
        for r in &runs {
            let r = &r[..r.find("</w:r>").unwrap_or(r.len())];
            assert!(
                r.contains("w:eastAsia=\""),
                "{name}: a run without its East Asian font: {r}"
            );
        }
    }
    let doc = part(&bytes, "word/document.xml");
    assert!(doc.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\" />"), "A4");
    assert!(
        doc.contains("<w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1587\"")
    );
    let texts: Vec<String> = paragraphs(&doc).iter().map(|p| text(p)).collect();
    let at = |s: &str| {
        texts
            .iter()
            .position(|t| t == s)
            .unwrap_or_else(|| panic!("{s} in {texts:?}"))
    };
    assert_eq!(texts[0], "示例街道关于2024年专项治理阶段性进展情况的报告");
    assert_eq!(texts[1], "示安办〔2024〕3号");
    assert_eq!(texts[2], "示例区安全生产委员会办公室：");
    assert!(at("一、工作开展情况") < at("召开部署会1次。"));
    assert_eq!(
        at("开展培训2场。"),
        at("召开部署会1次。") + 1,
        "a blank line starts a paragraph"
    );
    assert!(at("二、主要工作数据") < at("三、存在问题"));
    assert!(at("三、存在问题") < at("四、下一步工作"));
    assert!(texts.contains(
        &"截至2024年6月30日，主要工作数据如下表（统计截止日后的记录不计入）。".to_string()
    ));
    // The figures' table: label and value cells, the rates to a tenth of a percent.
    for cell in [
        "纳入治理企业（家）",
        "60",
        "自查自纠完成率",
        "65.0%",
        "整改率",
        "33.3%",
        "危险化学品",
        "62.5%",
    ] {
        assert!(texts.iter().any(|t| t == cell), "{cell} in {texts:?}");
    }
    assert!(
        texts.contains(
            &"自查自纠完成率低于全区平均水平（65.0%）的单位：南山镇（51.2%）。".to_string()
        )
    );
    assert_eq!(texts[texts.len() - 2], "示例街道");
    assert_eq!(texts[texts.len() - 1], "2024年7月3日");
}
