//! The four enforcement documents generated from sample records and read back: number, officers
//! with certificate numbers, guests only as 陪同人员, dates in Chinese form, the remedies sentence
//! from the settings, the template version, fonts and tables; templates refused for unknown or
//! missing placeholders; the version in force chosen by the document's date.

use chrono::{NaiveDate, NaiveTime};
use safeduty_office::enforcement::{
    AcceptanceDoc, AcceptanceItem, CaseDoc, CorrectionOrderDoc, DocumentKind, Error, Finding,
    Generated, Guest, GuestKind, InspectionRecordDoc, Issuer, ItemResult, ItemRow, ListingDoc,
    Notice, OfficerLine, OnSiteMeasuresDoc, Party, PersonPresent, ReInspectionDoc,
    ReInspectionResult, Remedies, SuspectedViolation, TemplateError, Templates, template::SHIPPED,
};
use safeduty_office::gbt9704::{TYPE_WIDTH, date_cn};

use crate::{paragraphs, part, text};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn issuer() -> Issuer {
    Issuer {
        name: "南宁市青秀区应急管理局".into(),
    }
}

fn party() -> Party {
    Party {
        name: "示例机械制造有限公司".into(),
        uscc: "91450103MA5KXXXX0A".into(),
        address: "南宁市青秀区示例路88号".into(),
        principal: "王建国".into(),
        principal_title: "总经理".into(),
        phone: "0771-5551234".into(),
    }
}

fn officers() -> Vec<OfficerLine> {
    vec![
        OfficerLine {
            name: "张明".into(),
            certificate_number: "45010020240012".into(),
        },
        OfficerLine {
            name: "李红梅".into(),
            certificate_number: "45010020240037".into(),
        },
    ]
}

/// Settings' remedies with periods other than the statutory defaults, to show they are not
/// written into the form.
fn remedies() -> Remedies {
    Remedies {
        reconsideration_body: "南宁市青秀区人民政府".into(),
        reconsideration_days: 61,
        court: "南宁市青秀区人民法院".into(),
        litigation_months: 7,
    }
}

const REMEDIES_PARTS: [&str; 2] = [
    "61日内依法向南宁市青秀区人民政府申请行政复议",
    "7个月内依法向南宁市青秀区人民法院提起行政诉讼",
];

fn inspection_record() -> InspectionRecordDoc {
    let item = |n: u32, text: &str, result, note: &str| ItemRow {
        number: n.to_string(),
        text: text.into(),
        result,
        note: note.into(),
    };
    InspectionRecordDoc {
        number: "（青）应急检记〔2024〕12号".into(),
        issuer: issuer(),
        party: party(),
        place: "一号生产车间、危险化学品仓库及安全管理部办公室".into(),
        date: day(2024, 7, 15),
        start: NaiveTime::from_hms_opt(9, 30, 0).unwrap(),
        end: NaiveTime::from_hms_opt(11, 5, 0).unwrap(),
        officers: officers(),
        guests: vec![
            Guest {
                name: "赵工".into(),
                kind: GuestKind::Expert,
                organisation: "广西示例安全技术咨询有限公司".into(),
            },
            Guest {
                name: "陈记者".into(),
                kind: GuestKind::Media,
                organisation: "青秀区融媒体中心".into(),
            },
        ],
        present: PersonPresent {
            name: "刘安全".into(),
            title: "安全管理部经理".into(),
        },
        notice: Notice::Unannounced,
        items: vec![
            item(
                1,
                "是否组织或者参与拟订本单位安全生产规章制度、操作规程和生产安全事故应急救援预案",
                ItemResult::Conforms,
                "",
            ),
            item(
                2,
                "是否组织或者参与本单位安全生产教育和培训，如实记录安全生产教育和培训情况",
                ItemResult::Fails,
                "2024年上半年培训记录缺少考核结果",
            ),
            item(
                3,
                "是否组织开展危险源辨识和评估，督促落实本单位重大危险源的安全管理措施",
                ItemResult::NotApplicable,
                "本单位无重大危险源",
            ),
            item(
                4,
                "是否检查本单位的安全生产状况，及时排查生产安全事故隐患，提出改进安全生产管理的建议",
                ItemResult::Fails,
                "仓库消防通道堆放杂物，未见排查记录",
            ),
        ],
        violations: vec![SuspectedViolation {
            behaviour: "未如实记录安全生产教育和培训情况".into(),
            article_violated: "《中华人民共和国安全生产法》第二十八条第四款".into(),
            penalty_article: "《中华人民共和国安全生产法》第九十七条第（三）项".into(),
        }],
        summary: "检查发现问题2项，现场已责令整改，另行下达责令限期整改指令书。".into(),
    }
}

fn findings() -> Vec<Finding> {
    vec![
        Finding {
            description: "2024年上半年安全生产教育和培训记录缺少考核结果".into(),
            violation: "未如实记录安全生产教育和培训情况".into(),
        },
        Finding {
            description: "危险化学品仓库消防通道堆放杂物".into(),
            violation: "未及时排查治理生产安全事故隐患".into(),
        },
    ]
}

fn correction_order() -> CorrectionOrderDoc {
    CorrectionOrderDoc {
        number: "（青）应急责改〔2024〕12号".into(),
        issuer: issuer(),
        party: party(),
        inspection_date: day(2024, 7, 15),
        inspection_record_number: "（青）应急检记〔2024〕12号".into(),
        findings: findings(),
        due_on: day(2024, 8, 15),
        remedies: remedies(),
        officers: officers(),
        issued_on: day(2024, 7, 15),
    }
}

fn re_inspection() -> ReInspectionDoc {
    ReInspectionDoc {
        number: "（青）应急复查〔2024〕12号".into(),
        issuer: issuer(),
        party: party(),
        order_number: "（青）应急责改〔2024〕12号".into(),
        order_date: day(2024, 7, 15),
        date: day(2024, 8, 20),
        results: vec![
            ReInspectionResult {
                finding: findings()[0].description.clone(),
                corrected: true,
                note: "已补录考核结果".into(),
            },
            ReInspectionResult {
                finding: findings()[1].description.clone(),
                corrected: false,
                note: "杂物仍未清理".into(),
            },
        ],
        opinion: "第1项已整改完毕；第2项未整改，依法另行处理。".into(),
        remedies: remedies(),
        officers: officers(),
    }
}

fn on_site_measures() -> OnSiteMeasuresDoc {
    OnSiteMeasuresDoc {
        number: "（青）应急现决〔2024〕3号".into(),
        issuer: issuer(),
        party: party(),
        grounds: vec![Finding {
            description: "危险化学品仓库消防通道堆放杂物，且仓库内电气线路私拉乱接".into(),
            violation: "重大事故隐患排除前无法保证安全".into(),
        }],
        measure: "停止使用危险化学品仓库".into(),
        from: day(2024, 7, 15),
        until: day(2024, 8, 14),
        lifting_condition: "隐患排除后，你单位书面申请，经本机关审查同意后方可恢复使用。".into(),
        remedies: remedies(),
        officers: officers(),
        date: day(2024, 7, 15),
    }
}

/// The four samples, generated with the shipped templates, with their file names.
fn samples() -> Vec<(&'static str, Generated)> {
    let t = Templates::shipped();
    vec![
        (
            "inspection-record",
            inspection_record().generate(&t).unwrap(),
        ),
        ("correction-order", correction_order().generate(&t).unwrap()),
        ("re-inspection", re_inspection().generate(&t).unwrap()),
        ("on-site-measures", on_site_measures().generate(&t).unwrap()),
    ]
}

fn texts(g: &Generated) -> Vec<String> {
    let doc = part(&g.bytes, "word/document.xml");
    paragraphs(&doc).iter().map(|p| text(p)).collect()
}

#[test]
fn every_document_has_its_number_officers_template_and_fonts() {
    let numbers = [
        "（青）应急检记〔2024〕12号",
        "（青）应急责改〔2024〕12号",
        "（青）应急复查〔2024〕12号",
        "（青）应急现决〔2024〕3号",
    ];
    for ((name, g), number) in samples().iter().zip(numbers) {
        let texts = texts(g);
        assert_eq!(texts[0], format!("南宁市青秀区应急管理局{}", title(name)));
        assert_eq!(texts[1], number, "{name}: the number under the title");
        for line in [
            "执法人员：张明　执法证号：45010020240012",
            "执法人员：李红梅　执法证号：45010020240037",
        ] {
            assert!(texts.iter().any(|t| t == line), "{name}: {line}");
        }
        assert!(
            texts.iter().any(|t| t.starts_with("执法人员（签名）：")),
            "{name}: the officers sign"
        );
        // The template it used, beside the bytes and in the file.
        assert_eq!(g.version, 1, "{name}");
        assert_eq!(g.template, name.replace('-', "_"));
        let props = part(&g.bytes, "docProps/custom.xml");
        assert!(props.contains(&g.template), "{name}: {props}");
        assert!(props.contains("safeduty.template.version"), "{props}");
        // Every run names its East Asian face.
        let doc = part(&g.bytes, "word/document.xml");
        let runs = doc.matches("<w:r>").count();
        let east_asian = doc.matches("w:eastAsia=\"").count();
        assert!(
            runs > 10 && east_asian >= runs,
            "{name}: {east_asian} of {runs}"
        );
        assert!(doc.contains("w:eastAsia=\"仿宋_GB2312\""));
        assert!(doc.contains("w:eastAsia=\"方正小标宋简体\""));
        docx_rs::read_docx(&g.bytes).unwrap();
    }
}

fn title(name: &str) -> &'static str {
    match name {
        "inspection-record" => "现场检查记录",
        "correction-order" => "责令限期整改指令书",
        "re-inspection" => "整改复查意见书",
        _ => "现场处理措施决定书",
    }
}

#[test]
fn decisions_carry_the_remedies_from_the_settings_and_a_seal() {
    for (name, g) in samples().iter().skip(1) {
        let texts = texts(g);
        let remedies = texts
            .iter()
            .find(|t| t.contains("申请行政复议"))
            .unwrap_or_else(|| panic!("{name}: no remedies"));
        for part in REMEDIES_PARTS {
            assert!(remedies.contains(part), "{name}: {remedies}");
        }
        assert!(!remedies.contains("60日") && !remedies.contains("6个月"));
        assert!(
            texts.iter().any(|t| t == "南宁市青秀区应急管理局（印章）"),
            "{name}"
        );
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("被检查单位负责人（签收）"))
        );
        assert_eq!(texts[2], "示例机械制造有限公司：", "{name}: the addressee");
    }
    // The record is not a decision: no remedies, no seal.
    let (_, record) = &samples()[0];
    assert!(
        !texts(record)
            .iter()
            .any(|t| t.contains("行政复议") || t.contains("印章"))
    );
}

#[test]
fn the_inspection_record_lists_guests_only_as_accompanying_persons() {
    let g = inspection_record().generate(&Templates::shipped()).unwrap();
    let texts = texts(&g);
    let with_guest: Vec<&String> = texts.iter().filter(|t| t.contains("赵工")).collect();
    assert_eq!(
        with_guest,
        ["陪同人员：赵工（专家，广西示例安全技术咨询有限公司）；陈记者（媒体，青秀区融媒体中心）"]
    );
    assert!(
        !texts
            .iter()
            .any(|t| t.contains("执法人员") && t.contains("记者"))
    );
    for line in [
        "被检查单位：示例机械制造有限公司",
        "统一社会信用代码：91450103MA5KXXXX0A",
        "法定代表人（负责人）：王建国　职务：总经理",
        "联系电话：0771-5551234",
        "检查时间：2024年7月15日9时30分至11时05分",
        "检查方式：四不两直",
        "被检查单位现场负责人：刘安全（安全管理部经理）",
    ] {
        assert!(texts.iter().any(|t| t == line), "{line}: {texts:?}");
    }
    // The item table: header, then one row an item with its result.
    for cell in [
        "序号",
        "检查内容",
        "检查结果",
        "情况说明",
        "不符合",
        "不适用",
    ] {
        assert!(texts.iter().any(|t| t == cell), "{cell}");
    }
    assert!(
        texts
            .iter()
            .any(|t| t == "《中华人民共和国安全生产法》第九十七条第（三）项")
    );
    let doc = part(&g.bytes, "word/document.xml");
    assert_eq!(doc.matches("<w:tbl>").count(), 2, "items and violations");
    assert_eq!(doc.matches("<w:tr>").count(), 1 + 4 + 1 + 1);
    // Bordered, fixed, exactly the type area's width.
    assert!(doc.contains(&format!("<w:tblW w:w=\"{TYPE_WIDTH}\" w:type=\"dxa\" />")));
    assert!(doc.contains("<w:tblLayout w:type=\"fixed\" />"));
    assert!(
        doc.contains("<w:insideV w:val=\"single\" w:sz=\"4\""),
        "{doc}"
    );
}

#[test]
fn the_correction_order_gives_its_due_date_in_chinese() {
    let g = correction_order().generate(&Templates::shipped()).unwrap();
    let texts = texts(&g);
    let due = date_cn(day(2024, 8, 15));
    assert_eq!(due, "2024年8月15日");
    assert!(
        texts
            .iter()
            .any(|t| t.contains(&format!("现责令你单位于{due}前将上述问题整改完毕"))),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| {
        t == "1．2024年上半年安全生产教育和培训记录缺少考核结果（涉嫌违法行为：未如实记录安全生产教育和培训情况）"
    }));
    assert!(
        texts
            .iter()
            .any(|t| t.contains("（现场检查记录编号：（青）应急检记〔2024〕12号）"))
    );
    // The date under the seal.
    let seal = texts.iter().position(|t| t.ends_with("（印章）")).unwrap();
    assert_eq!(texts[seal + 1], "2024年7月15日");
}

#[test]
fn the_re_inspection_and_the_measures_say_what_they_decide() {
    let t = Templates::shipped();
    let texts_r = texts(&re_inspection().generate(&t).unwrap());
    assert!(texts_r.iter().any(|t| t.contains(
        "本机关于2024年7月15日向你单位送达了《责令限期整改指令书》（（青）应急责改〔2024〕12号）。2024年8月20日"
    )));
    assert!(texts_r.iter().any(|t| t == "已整改") && texts_r.iter().any(|t| t == "未整改"));
    assert!(
        texts_r
            .iter()
            .any(|t| t.starts_with("复查意见：第1项已整改完毕"))
    );
    let texts_m = texts(&on_site_measures().generate(&t).unwrap());
    assert!(texts_m.iter().any(|t| t.contains(
        "停止使用危险化学品仓库，期限自2024年7月15日起至2024年8月14日止。"
    )));
    assert!(
        texts_m
            .iter()
            .any(|t| t.starts_with("解除条件：隐患排除后"))
    );
}

#[test]
fn a_document_needs_two_officers_with_certificates() {
    let t = Templates::shipped();
    let mut order = correction_order();
    order.officers.truncate(1);
    let e = order.generate(&t).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Invalid {
                document: "correction_order",
                ..
            }
        ),
        "{e}"
    );
    let mut record = inspection_record();
    record.officers[1].certificate_number = " ".into();
    assert!(
        record
            .generate(&t)
            .unwrap_err()
            .to_string()
            .contains("李红梅")
    );
}

/// The shipped file with `from` replaced by `to` (once).
fn edited(from: &str, to: &str) -> String {
    assert!(SHIPPED.contains(from), "{from}");
    SHIPPED.replacen(from, to, 1)
}

#[test]
fn a_template_with_an_unknown_placeholder_is_refused_naming_it() {
    let text = edited("起{days}日内", "起{dayz}日内");
    let e = Templates::parse(&text).unwrap_err();
    assert_eq!(
        e,
        TemplateError::UnknownPlaceholder {
            id: "correction_order".into(),
            version: 1,
            key: "remedies".into(),
            placeholder: "dayz".into(),
        }
    );
    assert_eq!(
        e.to_string(),
        "template correction_order v1, text `remedies`: unknown placeholder {dayz}"
    );
}

#[test]
fn a_template_missing_a_required_placeholder_or_text_is_refused() {
    let e = Templates::parse(&edited("于{due_on}前", "于限期内")).unwrap_err();
    assert!(
        matches!(&e, TemplateError::MissingPlaceholder { id, key, placeholder, .. }
            if id == "correction_order" && key == "order" && placeholder == "due_on"),
        "{e}"
    );
    assert!(e.to_string().contains("{due_on}"));
    let e = Templates::parse(&edited("copies = \"本记录", "copyz = \"本记录")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "template inspection_record v1: unknown text `copyz`"
    );
    let e =
        Templates::parse(&edited("items_columns = [\"序号\", ", "items_columns = [")).unwrap_err();
    assert!(
        e.to_string()
            .contains("expected a list of 4 column headings"),
        "{e}"
    );
    let e = Templates::parse(&edited("id = \"re_inspection\"", "id = \"re_inspect\"")).unwrap_err();
    assert!(
        e.to_string()
            .contains("template re_inspect: unknown document"),
        "{e}"
    );
    let e = Templates::parse(&edited("{party}：", "{party：")).unwrap_err();
    assert!(matches!(e, TemplateError::Malformed { .. }), "{e}");
}

#[test]
fn the_version_in_force_on_the_documents_date_is_used() {
    // A second version of the order, in force from 2026-02-01, with other wording.
    let start = SHIPPED
        .find("[[template]]\nid = \"correction_order\"")
        .unwrap();
    let end = start + SHIPPED[start + 1..].find("[[template]]").unwrap() + 1;
    let v2 = SHIPPED[start..end]
        .replace("version = 1", "version = 2")
        .replace("effective_from = 2021-09-01", "effective_from = 2026-02-01")
        .replace("现责令你单位于", "责令你单位在");
    let templates = Templates::parse(&format!("{SHIPPED}\n{v2}")).unwrap();
    let old = correction_order().generate(&templates).unwrap();
    assert_eq!(old.version, 1);
    let mut order = correction_order();
    order.issued_on = day(2026, 2, 1);
    order.due_on = day(2026, 3, 2);
    let new = order.generate(&templates).unwrap();
    assert_eq!(
        (new.template.as_str(), new.version),
        ("correction_order", 2)
    );
    assert!(
        texts(&new)
            .iter()
            .any(|t| t.contains("责令你单位在2026年3月2日前"))
    );
    assert!(part(&new.bytes, "docProps/custom.xml").contains(">2<"));
    // Nothing in force before the first version.
    order.issued_on = day(2021, 8, 31);
    order.due_on = day(2021, 9, 30);
    assert!(matches!(
        order.generate(&templates).unwrap_err(),
        Error::Template(TemplateError::NotInForce { .. })
    ));
    // Versions must grow with their dates.
    let v0 = v2.replace("effective_from = 2026-02-01", "effective_from = 2020-01-01");
    let e = Templates::parse(&format!("{SHIPPED}\n{v0}")).unwrap_err();
    assert!(e.to_string().contains("not after version 1"), "{e}");
    let twice = v2.replace("version = 2", "version = 1");
    assert!(matches!(
        Templates::parse(&format!("{SHIPPED}\n{twice}")).unwrap_err(),
        TemplateError::DuplicateVersion { version: 1, .. }
    ));
    assert!(
        DocumentKind::ALL
            .iter()
            .all(|k| templates.select(*k, day(2024, 1, 1)).is_ok())
    );
}

/// Writes the four samples into `target/docs-preview/` (or `$DOCS_PREVIEW_DIR`) to look at;
/// see the crate's README for turning them into pages.
#[test]
#[ignore = "writes files for a person to look at"]
fn write_enforcement_previews() {
    let dir = std::env::var_os("DOCS_PREVIEW_DIR").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/docs-preview"),
        std::path::PathBuf::from,
    );
    std::fs::create_dir_all(&dir).unwrap();
    for (name, g) in samples() {
        std::fs::write(dir.join(format!("{name}.docx")), &g.bytes).unwrap();
    }
    let t = Templates::shipped();
    for kind in CASE_KINDS {
        let g = case_doc(kind).generate(&t).unwrap();
        std::fs::write(dir.join(format!("{}.docx", kind.id())), &g.bytes).unwrap();
    }
    for report in [false, true] {
        let g = acceptance_doc(report).generate(&t).unwrap();
        std::fs::write(dir.join(format!("{}.docx", g.template)), &g.bytes).unwrap();
    }
    println!("{}", dir.display());
}

/// The documents of a case (issue #13).
const CASE_KINDS: [DocumentKind; 7] = [
    DocumentKind::CaseFiling,
    DocumentKind::PenaltyNotice,
    DocumentKind::HearingNotice,
    DocumentKind::PenaltyDecision,
    DocumentKind::NoPenaltyDecision,
    DocumentKind::ServiceReceipt,
    DocumentKind::CaseClosing,
];

/// A unit's case decided at 50 000 yuan after a hearing notice, as each document prints it.
fn case_doc(kind: DocumentKind) -> CaseDoc {
    CaseDoc {
        kind,
        number: "（青）应急立〔2024〕3号".into(),
        issuer: issuer(),
        party_name: party().name,
        party: party().name,
        uscc: party().uscc,
        cause: "安全生产管理人员未履行安全生产管理职责".into(),
        facts: "2024年6月20日现场检查发现，该单位安全生产管理制度未公开。".into(),
        source: "现场检查".into(),
        provision: "《安全生产法》第九十七条（对单位）".into(),
        penalty: "罚款人民币50000元".into(),
        amount: 50_000,
        band: Some((
            "一般".into(),
            "《安全生产行政处罚自由裁量标准》（国家安全监管总局）".into(),
        )),
        notice_date: Some(day(2024, 9, 27)),
        answer: "你单位在规定期限内未提出陈述、申辩意见，也未要求听证。".into(),
        statement_span: "3个工作日".into(),
        hearing_span: "5个工作日".into(),
        hearing_offered: true,
        pay_span: "15日".into(),
        late_fee_percent: 3,
        no_penalty: Some(("初次违法且危害后果轻微并及时改正".into(), "预警提示".into())),
        served: Some(("行政处罚决定书".into(), "（青）应急立〔2024〕3号".into())),
        result: "《安全生产法》第九十七条（对单位），罚款人民币50000元".into(),
        execution: "2024年10月28日缴纳罚款，加处罚款3000元".into(),
        remedies: remedies(),
        officers: officers(),
        date: day(2024, 10, 11),
    }
}

#[test]
fn the_documents_of_a_case_carry_its_number_and_say_what_was_decided() {
    let t = Templates::shipped();
    let titles = [
        "立案审批表",
        "行政处罚告知书",
        "听证告知书",
        "行政处罚决定书",
        "不予行政处罚决定书",
        "送达回执",
        "结案审批表",
    ];
    for (kind, title) in CASE_KINDS.into_iter().zip(titles) {
        let g = case_doc(kind).generate(&t).unwrap();
        let texts = texts(&g);
        assert_eq!(
            texts[0],
            format!("南宁市青秀区应急管理局{title}"),
            "{title}"
        );
        assert_eq!(texts[1], "（青）应急立〔2024〕3号", "{title}");
        assert_eq!(g.template, kind.id());
        docx_rs::read_docx(&g.bytes).unwrap();
    }
    let all = |kind| texts(&case_doc(kind).generate(&t).unwrap()).join("\n");
    let notice = all(DocumentKind::PenaltyNotice);
    assert!(
        notice.contains("拟对你（单位）作出如下行政处罚：罚款人民币50000元。"),
        "{notice}"
    );
    assert!(notice.contains("收到本告知书之日起3个工作日内"), "{notice}");
    assert!(notice.contains("收到本告知书之日起5个工作日内"), "{notice}");
    let mut below = case_doc(DocumentKind::PenaltyNotice);
    below.hearing_offered = false;
    let below = texts(&below.generate(&t).unwrap()).join("\n");
    assert!(!below.contains("听证"), "{below}");
    let decision = all(DocumentKind::PenaltyDecision);
    for part in [
        "本机关于2024年9月27日向你（单位）送达了行政处罚告知书",
        "依据《安全生产法》第九十七条（对单位）的规定，本机关决定对你（单位）处以罚款人民币50000元。",
        "裁量档次为“一般”",
        "收到本决定书之日起15日内缴纳",
        "每日按罚款数额的3%加处罚款",
        REMEDIES_PARTS[0],
        REMEDIES_PARTS[1],
        "南宁市青秀区应急管理局（印章）",
        "2024年10月11日",
    ] {
        assert!(decision.contains(part), "{part}: {decision}");
    }
    let none = all(DocumentKind::NoPenaltyDecision);
    assert!(
        none.contains("本机关认为：初次违法且危害后果轻微并及时改正。"),
        "{none}"
    );
    assert!(none.contains("预警提示"), "{none}");
    let receipt = all(DocumentKind::ServiceReceipt);
    assert!(
        receipt.contains("送达文书：行政处罚决定书（（青）应急立〔2024〕3号）"),
        "{receipt}"
    );
    let closing = all(DocumentKind::CaseClosing);
    assert!(
        closing.contains("执行情况：2024年10月28日缴纳罚款，加处罚款3000元"),
        "{closing}"
    );

    // A decision without a fine, a kind that is not a case's: refused.
    let mut zero = case_doc(DocumentKind::PenaltyDecision);
    zero.amount = 0;
    assert!(matches!(zero.generate(&t), Err(Error::Invalid { .. })));
    assert!(matches!(
        case_doc(DocumentKind::CorrectionOrder).generate(&t),
        Err(Error::Invalid { .. })
    ));
    let mut one = case_doc(DocumentKind::CaseFiling);
    one.officers.truncate(1);
    assert!(matches!(one.generate(&t), Err(Error::Invalid { .. })));
}

fn listing_doc(kind: DocumentKind) -> ListingDoc {
    ListingDoc {
        kind,
        number: "青应急失信〔2024〕1号".into(),
        issuer: Issuer {
            name: "南宁市青秀区应急管理局".into(),
        },
        party_name: "南宁某某化工有限公司".into(),
        party: "南宁某某化工有限公司".into(),
        uscc: "91450103198230001X".into(),
        reasons: "在行政处罚决定作出后有履行能力，拒不缴纳罚款".into(),
        penalty: "（青）应急立〔2024〕1号案，2024年10月11日决定罚款人民币50000元".into(),
        clause: "第六条第（三）项".into(),
        ground: "在应急管理部门作出行政处罚后，有执行能力拒不执行、逃避执行".into(),
        objection_span: "3个工作日".into(),
        notified_on: Some("2024-12-10".parse().unwrap()),
        objection_answer: None,
        period: "36个月".into(),
        repair_span: "12个月".into(),
        remedies: Remedies {
            reconsideration_body: "南宁市青秀区人民政府".into(),
            reconsideration_days: 60,
            court: "南宁市青秀区人民法院".into(),
            litigation_months: 6,
        },
        date: "2024-12-16".parse().unwrap(),
    }
}

fn listing_text(g: &Generated) -> String {
    texts(g).join("\n")
}

#[test]
fn the_notice_and_the_decision_print_the_ground_the_window_and_the_period() {
    let t = Templates::shipped();
    let n = listing_doc(DocumentKind::DishonestyNotice)
        .generate(&t)
        .unwrap();
    assert_eq!((n.template.as_str(), n.version), ("dishonesty_notice", 1));
    let text = listing_text(&n);
    assert!(
        text.contains("列入安全生产严重失信主体名单告知书"),
        "{text}"
    );
    assert!(
        text.contains("《安全生产严重失信主体名单管理办法》第六条第（三）项"),
        "{text}"
    );
    assert!(text.contains("自收到本告知书之日起3个工作日内"), "{text}");
    let d = listing_doc(DocumentKind::DishonestyDecision)
        .generate(&t)
        .unwrap();
    let text = listing_text(&d);
    assert!(
        text.contains("本机关于2024年12月10日向你（单位）送达了"),
        "{text}"
    );
    assert!(
        text.contains("你（单位）在规定期限内未提出陈述、申辩。"),
        "{text}"
    );
    assert!(text.contains("管理期限36个月"), "{text}");
    assert!(text.contains("自公示之日起满12个月后"), "{text}");
    let mut rejected = listing_doc(DocumentKind::DishonestyDecision);
    rejected.objection_answer = Some("分期缴纳申请未获批准".into());
    let text = listing_text(&rejected.generate(&t).unwrap());
    assert!(
        text.contains("经复核不予采纳，理由如下：分期缴纳申请未获批准"),
        "{text}"
    );
    let mut wrong = listing_doc(DocumentKind::CaseClosing);
    wrong.kind = DocumentKind::CaseClosing;
    assert!(matches!(wrong.generate(&t), Err(Error::Invalid { .. })));
}

fn acceptance_doc(report: bool) -> AcceptanceDoc {
    AcceptanceDoc {
        report,
        unit: "南宁市青秀区东湖街道办事处".into(),
        enterprise: "南宁某某化工有限公司".into(),
        uscc: "91450103198230001X".into(),
        mode: "委托第三方".into(),
        third_party: "广西某安全技术服务有限公司".into(),
        inspected_on: Some(day(2024, 11, 20)),
        officers: vec![
            ("张明".into(), "45010020240012".into()),
            ("李红梅".into(), "45010020240037".into()),
        ],
        guests: vec![
            "王评估（受委托第三方，广西某安全技术服务有限公司）".into(),
            "陈静（媒体，青秀电视台）".into(),
        ],
        items: vec![
            AcceptanceItem {
                number: 1,
                text: "建立健全并落实本单位全员安全生产责任制".into(),
                result: "符合".into(),
                note: String::new(),
            },
            AcceptanceItem {
                number: 2,
                text: "组织制定并实施本单位安全生产规章制度和操作规程".into(),
                result: "不符合".into(),
                note: "操作规程未公开".into(),
            },
        ],
        assessment: Some((
            "抽查安全管理人员履职记录12份，1项不符合".into(),
            "验收不合格".into(),
            day(2024, 11, 22),
        )),
        conclusion: Some(("验收不合格".into(), "操作规程仍未公开，依法立案处理".into())),
        date: day(2024, 11, 25),
    }
}

#[test]
fn the_acceptance_checklist_and_report_print_the_team_the_items_and_the_conclusion() {
    let t = Templates::shipped();
    let mut checklist = acceptance_doc(false);
    checklist.date = day(2024, 11, 20);
    let g = checklist.generate(&t).unwrap();
    assert_eq!(
        (g.template.as_str(), g.version),
        ("acceptance_checklist", 1)
    );
    let lines = texts(&g);
    assert_eq!(lines[0], "南宁市青秀区东湖街道办事处检查验收表");
    for line in [
        "被验收单位：南宁某某化工有限公司",
        "验收方式：委托第三方（广西某安全技术服务有限公司）",
        "验收检查日期：2024年11月20日",
        "执法人员：张明　执法证号：45010020240012",
        "受邀人员：王评估（受委托第三方，广西某安全技术服务有限公司）、陈静（媒体，青秀电视台）",
    ] {
        assert!(lines.iter().any(|x| x == line), "{line}: {lines:?}");
    }
    let all = lines.join("\n");
    assert!(all.contains("操作规程未公开"), "{all}");
    assert!(all.contains("受邀专家、媒体（签名）"), "{all}");
    let g = acceptance_doc(true).generate(&t).unwrap();
    let all = texts(&g).join("\n");
    assert_eq!(texts(&g)[0], "南宁市青秀区东湖街道办事处检查验收报告");
    for part in [
        "逐项检查2项，其中不符合1项。",
        "受委托第三方广西某安全技术服务有限公司提交技术评估意见：抽查安全管理人员履职记录12份，1项不符合（建议结论：验收不合格），本单位于2024年11月22日采纳。",
        "验收结论：验收不合格",
        "验收意见：操作规程仍未公开，依法立案处理",
        "南宁市青秀区东湖街道办事处（印章）",
    ] {
        assert!(all.contains(part), "{part}: {all}");
    }
    let mut open = acceptance_doc(true);
    open.conclusion = None;
    assert!(matches!(open.generate(&t), Err(Error::Invalid { .. })));
    docx_rs::read_docx(&g.bytes).unwrap();
}
