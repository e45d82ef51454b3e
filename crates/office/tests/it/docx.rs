//! A GB/T 9704 document read back from its XML: the page (5.1, 5.2), the title (7.3.1), body and
//! headings (7.3.3), the signature block (7.3.5.2), the page number (7.5), the fonts' fallbacks.

use chrono::NaiveDate;
use safeduty_office::commitment::{self, CommitmentLetter};
use safeduty_office::gbt9704::{CHAR, Document, FONTS, TYPE_WIDTH, set_width};

use crate::{paragraphs, part, text};

fn order() -> Vec<u8> {
    let day = NaiveDate::from_ymd_opt(2024, 7, 15).unwrap();
    Document::new()
        .title("责令限期整改指令书")
        .doc_number("（青）应急责改〔2024〕12号")
        .addressee("示例机械制造有限公司：")
        .heading(1, "一、存在的问题")
        .heading(2, "（一）教育培训")
        .paragraph("未如实记录安全生产教育和培训情况。")
        .attachments(["隐患整改清单"])
        .signature("青秀区应急管理局", day)
        .to_docx()
        .unwrap()
}

#[test]
fn the_page_is_a4_with_the_standard_margins_and_22_lines() {
    let doc = part(&order(), "word/document.xml");
    assert!(
        doc.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\" />"),
        "A4: 210 × 297 mm"
    );
    // 37, 26, 35, 28 mm in twips; the footer 25.5 mm from the bottom edge (7.5).
    assert!(
        doc.contains(
            "<w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1587\" \
             w:header=\"851\" w:footer=\"1446\" w:gutter=\"0\" />"
        ),
        "{doc}"
    );
    // Every paragraph of the body at the 22-line pitch (28.95 pt).
    for p in paragraphs(&doc) {
        assert!(p.contains("w:line=\"579\" w:lineRule=\"exact\""), "{p}");
    }
}

#[test]
fn blocks_have_the_standard_fonts_and_places() {
    let doc = part(&order(), "word/document.xml");
    let ps = paragraphs(&doc);
    let texts: Vec<String> = ps.iter().map(|p| text(p)).collect();
    assert_eq!(
        texts,
        [
            "责令限期整改指令书",
            "（青）应急责改〔2024〕12号",
            "示例机械制造有限公司：",
            "一、存在的问题",
            "（一）教育培训",
            "未如实记录安全生产教育和培训情况。",
            "",
            "附件：隐患整改清单",
            "",
            "青秀区应急管理局",
            "2024年7月15日",
        ]
    );
    let fonts = |p: &str, font: &str, size: usize| {
        p.contains(&format!(
            "<w:sz w:val=\"{size}\" /><w:szCs w:val=\"{size}\" /><w:rFonts w:ascii=\"{font}\" \
             w:hAnsi=\"{font}\" w:eastAsia=\"{font}\" />"
        ))
    };
    // The title: 2号 (22 pt = 44 half-points) 小标宋, centred, one line below.
    assert!(fonts(ps[0], "方正小标宋简体", 44), "{}", ps[0]);
    assert!(ps[0].contains("<w:jc w:val=\"center\" />"));
    assert!(ps[0].contains("w:after=\"579\""));
    // The document number centred; the addressee flush left; body 3号 (32) 仿宋, 28 a line.
    assert!(ps[1].contains("<w:jc w:val=\"center\" />"));
    assert!(!ps[2].contains("w:firstLine"));
    assert!(fonts(ps[5], "仿宋_GB2312", 32), "{}", ps[5]);
    assert!(
        ps[5].contains("<w:spacing w:val=\"-5\" />"),
        "−0.25 pt: 28 characters"
    );
    assert!(ps[5].contains("w:firstLine=\"630\""), "two characters");
    // Headings: 黑体, then 楷体, indented, each kept with what follows.
    assert!(fonts(ps[3], "黑体", 32) && ps[3].contains("<w:keepNext />"));
    assert!(fonts(ps[4], "楷体_GB2312", 32) && ps[4].contains("<w:keepNext />"));
    // The attachment: two characters in, the name's next lines under its first character.
    assert!(ps[7].contains(&format!(
        "<w:ind w:left=\"{}\" w:right=\"0\" w:hanging=\"{}\" />",
        5 * CHAR,
        3 * CHAR
    )));
    // The signature (7.3.5.2): the issuer two characters from the right, the date starting
    // two characters right of the issuer, the block kept with the text above.
    let issuer_left = TYPE_WIDTH - 2 * CHAR - set_width("青秀区应急管理局");
    assert!(
        ps[9].contains(&format!("w:left=\"{issuer_left}\"")),
        "{}",
        ps[9]
    );
    assert!(ps[10].contains(&format!("w:left=\"{}\"", issuer_left + 2 * CHAR)));
    for p in &ps[7..10] {
        assert!(p.contains("<w:keepNext />"), "{p}");
    }
    assert!(!ps[10].contains("<w:keepNext />"));
}

#[test]
fn the_footer_has_the_page_number_between_dashes_odd_right_even_left() {
    let bytes = order();
    let doc = part(&bytes, "word/document.xml");
    assert!(doc.contains("<w:footerReference w:type=\"default\" r:id=\"rIdFooter1\" />"));
    assert!(doc.contains("<w:footerReference w:type=\"even\" r:id=\"rIdFooter2\" />"));
    assert!(part(&bytes, "word/settings.xml").contains("<w:evenAndOddHeaders />"));
    for (name, place) in [
        (
            "word/footer1.xml",
            format!("<w:jc w:val=\"right\" /><w:ind w:left=\"0\" w:right=\"{CHAR}\" />"),
        ),
        (
            "word/footer2.xml",
            format!("<w:jc w:val=\"left\" /><w:ind w:left=\"{CHAR}\" w:right=\"0\" />"),
        ),
    ] {
        let footer = part(&bytes, name);
        let ps = paragraphs(&footer);
        assert_eq!(ps.len(), 1);
        assert_eq!(
            text(ps[0]),
            "— 1 —",
            "the field's cached value between the dashes"
        );
        assert!(ps[0].contains(&place), "{name}: {}", ps[0]);
        assert!(ps[0].contains("<w:fldChar w:fldCharType=\"begin\""));
        assert!(ps[0].contains("<w:instrText>PAGE</w:instrText>"));
        assert!(ps[0].contains("<w:fldChar w:fldCharType=\"end\""));
        // 4号 (14 pt) 宋体.
        assert!(
            ps[0]
                .contains("<w:sz w:val=\"28\" /><w:szCs w:val=\"28\" /><w:rFonts w:ascii=\"宋体\"")
        );
    }
}

#[test]
fn the_font_table_names_each_face_with_its_fallbacks() {
    let table = part(&order(), "word/fontTable.xml");
    for f in FONTS {
        assert!(
            table.contains(&format!(
                "<w:font w:name=\"{}\"><w:altName w:val=\"{}\"/><w:charset w:val=\"86\"/>",
                f.name, f.alternates
            )),
            "{table}"
        );
    }
    assert!(table.contains("w:altName w:val=\"FangSong_GB2312,仿宋,FangSong\""));
    // The package still opens.
    docx_rs::read_docx(&order()).unwrap();
}

#[test]
fn the_commitment_letter_keeps_its_24_lines_and_record_footer() {
    let c = CommitmentLetter {
        enterprise_name: "示例企业有限公司".into(),
        signer_name: "陈志远".into(),
        text: "本人承诺依法履职。".into(),
        signed_on: NaiveDate::from_ymd_opt(2024, 6, 20).unwrap(),
        signed_at: "2024-06-20 10:03:04".into(),
        typed_name: "陈志远".into(),
        version: 1,
        text_sha256: "ab".repeat(32),
    };
    let bytes = commitment::docx(&c).unwrap();
    let doc = part(&bytes, "word/document.xml");
    let ps = paragraphs(&doc);
    assert_eq!(text(ps[0]), "安全生产履职承诺书");
    assert!(
        ps.iter()
            .all(|p| p.contains("w:line=\"520\" w:lineRule=\"exact\""))
    );
    assert!(
        doc.contains("w:footer=\"680\""),
        "the record 12 mm from the bottom edge"
    );
    let footer = part(&bytes, "word/footer1.xml");
    assert!(text(&footer).starts_with("签署记录：陈志远于2024-06-20 10:03:04（北京时间）"));
    assert!(footer.contains("<w:sz w:val=\"18\" />"), "小5号");
    assert!(!doc.contains("w:type=\"even\""), "no page number");
}

#[test]
fn forms_have_fields_tables_signing_lines_and_a_seal() {
    use safeduty_office::gbt9704::{Column, Table};
    let day = NaiveDate::from_ymd_opt(2024, 7, 15).unwrap();
    let table = Table::new([Column::centered(1), Column::left(3)])
        .header(["序号", "内容"])
        .row(["1", "第一行\n第二行"])
        .row(["2"]);
    assert_eq!(
        table.widths(),
        [TYPE_WIDTH / 4, TYPE_WIDTH - TYPE_WIDTH / 4]
    );
    let bytes = Document::new()
        .title("现场处理措施决定书")
        .field("被检查单位：", "示例机械制造有限公司")
        .line("检查内容：")
        .table(table)
        .signing(["执法人员（签名）：＿＿＿＿"])
        .seal("青秀区应急管理局（印章）", day)
        .property("safeduty.template", "on_site_measures")
        .to_docx()
        .unwrap();
    let doc = part(&bytes, "word/document.xml");
    let ps = paragraphs(&doc);
    let texts: Vec<String> = ps.iter().map(|p| text(p)).collect();
    assert_eq!(
        texts,
        [
            "现场处理措施决定书",
            "被检查单位：示例机械制造有限公司",
            "检查内容：",
            "序号",
            "内容",
            "1",
            "第一行第二行",
            "2",
            "",
            "",
            "执法人员（签名）：＿＿＿＿",
            "",
            "青秀区应急管理局（印章）",
            "2024年7月15日",
        ]
    );
    // The field's value runs on under its first character.
    let label = set_width("被检查单位：");
    assert!(ps[1].contains(&format!(
        "w:left=\"{label}\" w:right=\"0\" w:hanging=\"{label}\""
    )));
    // The caption stays with the table; the header in 黑体, cells at 4号, a line break kept.
    assert!(ps[2].contains("<w:keepNext />"));
    assert!(ps[3].contains("w:eastAsia=\"黑体\"") && ps[3].contains("<w:sz w:val=\"28\" />"));
    assert!(ps[6].contains("<w:br w:type=\"textWrapping\" />"));
    assert!(doc.contains("<w:cantSplit />"));
    // The seal (7.3.5.1): the date four characters from the right, the issuer centred over it;
    // the signing line kept with them.
    let (iw, dw) = (
        set_width("青秀区应急管理局（印章）"),
        set_width("2024年7月15日"),
    );
    let date_left = TYPE_WIDTH - 4 * CHAR - dw;
    assert!(
        ps[13].contains(&format!("w:left=\"{date_left}\"")),
        "{}",
        ps[13]
    );
    let issuer_left = (date_left + (dw - iw) / 2).min(TYPE_WIDTH - iw);
    assert!(
        ps[12].contains(&format!("w:left=\"{issuer_left}\"")),
        "{}",
        ps[12]
    );
    for p in &ps[10..13] {
        assert!(p.contains("<w:keepNext />"), "{p}");
    }
    assert!(part(&bytes, "docProps/custom.xml").contains("on_site_measures"));
}
