//! The documents people have — GBK text, Word/WPS `.docx`, PDF — made from the Qingxiu plan by
//! the tests themselves, import to the same template as the UTF-8 text.

use std::time::{Duration, Instant};

use regex::Regex;
use safeduty_core::template::{CampaignTemplate, DutyArea, QuestionKind};
use safeduty_plan::input::{Format, InputError, MAX_TEXT_BYTES, decode_text};
use safeduty_plan::testdoc;
use safeduty_plan::{import, read_document};

use super::{SEED, fixture};

fn seed_text() -> String {
    fixture(SEED)
}

fn imported(text: &str) -> CampaignTemplate {
    let mut t = import(text, Some(SEED)).template;
    t.plan.source = None;
    t
}

/// The template without line references (a PDF or a Word document may number lines apart from
/// the text file): areas, items, phases, measures, obligations and identity.
fn content(t: &CampaignTemplate) -> CampaignTemplate {
    fn strip(areas: &mut [DutyArea]) {
        for a in areas {
            a.lines = None;
            for it in &mut a.items {
                it.lines = None;
            }
            strip(&mut a.areas);
        }
    }
    let mut t = t.clone();
    strip(&mut t.areas);
    for it in &mut t.items {
        it.lines = None;
    }
    for p in &mut t.phases {
        p.lines = None;
    }
    for m in &mut t.measures {
        m.lines = None;
    }
    for o in &mut t.obligations {
        o.lines = None;
    }
    t.questions.clear();
    t.plan.source = None;
    t
}

fn assert_same_campaign(got: &CampaignTemplate, want: &CampaignTemplate) {
    let (g, w) = (content(got), content(want));
    assert_eq!(g.plan, w.plan);
    assert_eq!(g.target_industries, w.target_industries);
    assert_eq!(g.areas, w.areas);
    assert_eq!(g.items, w.items);
    assert_eq!(g.phases, w.phases);
    assert_eq!(g.measures, w.measures);
    assert_eq!(g.obligations, w.obligations);
    assert_eq!(g, w);
    assert_eq!(got.all_items().len(), 31);
}

#[test]
fn gbk_and_gb18030_text_import_like_utf8() {
    let text = seed_text();
    let want = imported(&text);
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable, "the Qingxiu plan is representable in GBK");
    assert!(std::str::from_utf8(&gbk).is_err());
    let got = read_document(&gbk, "方案.txt").unwrap();
    assert_eq!(got, text);
    assert_eq!(imported(&got), want);

    let (gb18030, _, _) = encoding_rs::GB18030.encode(&text);
    assert_eq!(imported(&decode_text(&gb18030).unwrap()), want);
}

#[test]
fn utf8_bom_and_utf16_text_import_like_utf8() {
    let text = seed_text();
    let want = imported(&text);
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(text.as_bytes());
    assert_eq!(imported(&read_document(&bom, "a.txt").unwrap()), want);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(
        text.replace('\n', "\r\n")
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    assert_eq!(imported(&read_document(&utf16, "a.txt").unwrap()), want);
}

/// One paragraph per line, written by docx-rs; the leading number of a line in its own run
/// with a Latin font, as Word does when fonts change.
#[test]
fn docx_written_by_docx_rs_imports_like_the_text() {
    use docx_rs::{Docx, Paragraph, Run, RunFonts};
    let text = seed_text();
    let number = Regex::new(r"^(\d+\.)(.*)$").unwrap();
    let mut doc = Docx::new();
    for line in text.lines() {
        let mut p = Paragraph::new();
        match number.captures(line) {
            Some(c) => {
                p = p
                    .add_run(
                        Run::new()
                            .add_text(&c[1])
                            .fonts(RunFonts::new().ascii("Times New Roman")),
                    )
                    .add_run(
                        Run::new()
                            .add_text(&c[2])
                            .fonts(RunFonts::new().east_asia("仿宋_GB2312")),
                    );
            }
            None => p = p.add_run(Run::new().add_text(line)),
        }
        doc = doc.add_paragraph(p);
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut bytes).unwrap();
    let got = read_document(bytes.get_ref(), "方案.docx").unwrap();
    assert_eq!(got, text.trim_end_matches('\n'));
    let got = imported(&got);
    assert_same_campaign(&got, &imported(&text));
}

/// Areas `(一)` and items `1.` numbered by Word's automatic numbering (numbering.xml), not typed:
/// the reader writes the numbers out, items continuing 1–31 across the areas.
#[test]
fn docx_with_automatic_numbering_imports_like_the_text() {
    use docx_rs::{
        AbstractNumbering, Docx, IndentLevel, Level, LevelJc, LevelText, NumberFormat, Numbering,
        NumberingId, Paragraph, Run, Start,
    };
    let text = seed_text();
    let item = Regex::new(r"^\d+\.(.*)$").unwrap();
    let area = Regex::new(r"^\([一二三四五六七八九十]+\)(.*)$").unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let first = lines.iter().position(|l| item.is_match(l)).unwrap() - 1;
    let last = lines.iter().rposition(|l| item.is_match(l)).unwrap();
    let mut doc = Docx::new()
        .add_abstract_numbering(AbstractNumbering::new(10).add_level(Level::new(
            0,
            Start::new(1),
            NumberFormat::new("chineseCounting"),
            LevelText::new("(%1)"),
            LevelJc::new("left"),
        )))
        .add_abstract_numbering(AbstractNumbering::new(11).add_level(Level::new(
            0,
            Start::new(1),
            NumberFormat::new("decimal"),
            LevelText::new("%1."),
            LevelJc::new("left"),
        )))
        .add_numbering(Numbering::new(20, 10))
        .add_numbering(Numbering::new(21, 11));
    let mut numbered = 0;
    for (i, line) in lines.iter().enumerate() {
        let in_areas = (first..=last).contains(&i);
        let p = if let Some(c) = item.captures(line).filter(|_| in_areas) {
            numbered += 1;
            Paragraph::new()
                .numbering(NumberingId::new(21), IndentLevel::new(0))
                .add_run(Run::new().add_text(&c[1]))
        } else if let Some(c) = area.captures(line).filter(|_| in_areas) {
            Paragraph::new()
                .numbering(NumberingId::new(20), IndentLevel::new(0))
                .add_run(Run::new().add_text(&c[1]))
        } else {
            Paragraph::new().add_run(Run::new().add_text(*line))
        };
        doc = doc.add_paragraph(p);
    }
    assert_eq!(numbered, 31);
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut bytes).unwrap();
    let got = read_document(bytes.get_ref(), "方案.docx").unwrap();
    assert_same_campaign(&imported(&got), &imported(&text));
}

#[test]
fn docx_tables_numbering_styles_and_text_boxes() {
    let numbering = r#"<?xml version="1.0" encoding="UTF-8"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
 <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="●"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="1"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
</w:numbering>"#;
    let styles = r#"<?xml version="1.0" encoding="UTF-8"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:styleId="H1"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="H1b"><w:basedOn w:val="H1"/></w:style>
</w:styles>"#;
    let table = r#"<w:tbl><w:tblPr/><w:tr><w:tc><w:p><w:r><w:t>序号</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>检查内容</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>是否建立</w:t></w:r></w:p><w:p><w:r><w:t>台账</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc/><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>内</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>表</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>"#;
    let body = format!(
        "{}{}{}{}{}{}{}{}",
        r#"<w:p><w:pPr><w:pStyle w:val="H1b"/></w:pPr><w:r><w:t>总体要求</w:t></w:r></w:p>"#,
        testdoc::paragraph("建立制度", Some((1, 1))),
        testdoc::paragraph("落实责任", Some((1, 1))),
        testdoc::paragraph("要点", Some((1, 2))),
        testdoc::paragraph("重新编号", Some((2, 1))),
        r#"<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t><w:tab/><w:t xml:space="preserve">A &amp; B&#x4E00;</w:t></w:r></w:p>"#,
        r#"<w:p><w:r><w:t>正文</w:t></w:r><w:r><mc:AlternateContent xmlns:mc="m"><mc:Choice><w:drawing><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:del><w:r><w:delText>删去</w:delText></w:r></w:del><w:r><w:instrText>PAGE</w:instrText></w:r></w:p>"#,
        table,
    );
    let bytes = testdoc::docx(&body, Some(numbering), Some(styles));
    let text = read_document(&bytes, "x.docx").unwrap();
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        vec![
            "一、总体要求",
            "1.建立制度",
            "2.落实责任",
            "要点",
            "5.重新编号",
            "第一行",
            "第二行\tA & B一",
            "文本框",
            "正文",
            "序号|检查内容",
            "1|是否建立 台账",
            "|内|表",
        ]
    );
}

#[test]
fn check_table_rows_from_a_docx_are_items() {
    let mut body = String::from(
        r#"<w:p><w:r><w:t>专项检查表</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>序号</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>检查内容</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>检查方法</w:t></w:r></w:p></w:tc></w:tr>"#,
    );
    for (n, what) in [
        (1, "是否建立安全生产责任制"),
        (2, "是否开展教育培训"),
        (3, "是否制定应急预案"),
    ] {
        body.push_str(&format!(
            "<w:tr><w:tc><w:p><w:r><w:t>{n}</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>{what}</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>查阅资料</w:t></w:r></w:p></w:tc></w:tr>"
        ));
    }
    body.push_str("</w:tbl>");
    let text = read_document(&testdoc::docx(&body, None, None), "表.docx").unwrap();
    let t = import(&text, None).template;
    let items: Vec<(u32, &str)> = t
        .items
        .iter()
        .map(|i| (i.number, i.text.as_str()))
        .collect();
    assert_eq!(
        items,
        vec![
            (1, "是否建立安全生产责任制"),
            (2, "是否开展教育培训"),
            (3, "是否制定应急预案")
        ]
    );
}

/// A text-layer PDF of the Qingxiu plan: Chinese in a CID font with a ToUnicode map, ASCII in
/// Helvetica, mixed on one line; 30 lines a page.
#[test]
fn pdf_text_layer_imports_like_the_text() {
    let text = seed_text();
    let lines: Vec<&str> = text.lines().collect();
    let bytes = testdoc::pdf(&lines, 30);
    let got = read_document(&bytes, "方案.pdf").unwrap();
    assert_eq!(
        got.lines().collect::<Vec<_>>(),
        lines,
        "same lines, in order"
    );
    assert_same_campaign(&imported(&got), &imported(&text));
}

/// The Qingxiu plan printed as GB/T 9704 lays out an official document — 28 characters a line,
/// paragraphs indented by two, 22 lines a page, a page number at each foot — so that every long
/// paragraph wraps, some across pages: the reader joins the lines back and drops the page
/// numbers, and the import is the text's.
#[test]
fn wrapped_pdf_imports_like_the_text() {
    let text = seed_text();
    let lines: Vec<&str> = text.lines().collect();
    let bytes = testdoc::pdf_wrapped(&lines, 28.0, 2.0, 22);
    let got = read_document(&bytes, "方案.pdf").unwrap();
    assert!(!got.contains("- 1 -"), "page numbers are dropped");
    assert_eq!(got.lines().count(), lines.len(), "one line per paragraph");
    assert_same_campaign(&imported(&got), &imported(&text));
}

#[test]
fn pdf_without_text_is_refused() {
    let bytes = testdoc::pdf(&[], 30);
    let e = read_document(&bytes, "扫描件.pdf").unwrap_err();
    assert_eq!(e, InputError::NoText(Format::Pdf));
    assert!(!e.could_not_read());
    let e = read_document(b"%PDF-1.7\n garbage", "x.pdf").unwrap_err();
    assert!(
        matches!(
            e,
            InputError::Damaged {
                format: Format::Pdf,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.could_not_read());
}

#[test]
fn old_word_and_other_zips_are_refused() {
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend([0u8; 504]);
    ole.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
    let e = read_document(&ole, "方案.doc").unwrap_err();
    assert_eq!(e, InputError::OldBinaryFormat);
    assert!(e.could_not_read());
    assert!(e.to_string().contains("另存为"), "{e}");

    // An .xlsx-like zip: no word/document.xml.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(&mut zip, b"<workbook/>").unwrap();
    let xlsx = zip.finish().unwrap().into_inner();
    assert_eq!(
        read_document(&xlsx, "表.xlsx"),
        Err(InputError::NotWordDocument)
    );
    // A zip cut in half.
    let doc = testdoc::docx(&testdoc::paragraph("是否", None), None, None);
    let e = read_document(&doc[..doc.len() / 2], "半.docx").unwrap_err();
    assert!(
        matches!(
            e,
            InputError::Damaged {
                format: Format::Docx,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn a_docx_bomb_is_bounded() {
    // 80 MiB of one character compresses to a few hundred KiB.
    let body = testdoc::paragraph(&"安".repeat(28 * 1024 * 1024), None);
    let bytes = testdoc::docx(&body, None, None);
    assert!(bytes.len() < safeduty_plan::input::MAX_DOCUMENT_BYTES);
    let e = read_document(&bytes, "炸弹.docx").unwrap_err();
    assert!(
        matches!(
            e,
            InputError::TooLarge { .. } | InputError::TextTooLarge { .. }
        ),
        "{e:?}"
    );
}

/// Import reads at most MAX_TEXT_BYTES, says so, and stays linear: a text at the bound made of
/// the seed's lines imports in seconds, not minutes.
#[test]
fn import_is_bounded_in_size_and_time() {
    let seed = seed_text();
    let mut big = String::new();
    while big.len() < MAX_TEXT_BYTES + 1000 {
        big.push_str(&seed);
    }
    let start = Instant::now();
    let t = import(&big, None).template;
    let took = start.elapsed();
    let q = t
        .questions
        .iter()
        .find(|q| q.kind == QuestionKind::Truncated && q.message.contains("字节"))
        .expect("a question says the text was cut");
    assert!(q.line > 1000);
    assert!(
        took < Duration::from_secs(60),
        "import of {} bytes took {took:?}",
        big.len()
    );
}

/// Texts at the size bound made of one pattern over and over — one long line, or many short
/// ones — import in time linear in their size (no pattern makes a reader quadratic).
#[test]
fn adversarial_texts_stay_linear() {
    let shapes: [(&str, &str); 12] = [
        ("industries on one line", "非煤矿山、危险化学品、八大行业、"),
        ("garbled on one line", "城鎮燃?xì)?、"),
        ("pinyin on one line", "區(qū)(qū)"),
        ("areas and items", "(一)检查方面。重点治理:\n1.是否建立\n"),
        ("items without sentence ends", "1.是否建立\n继续\n"),
        (
            "deadlines on one line",
            "于2024年3月30日前将方案报送办公室,",
        ),
        (
            "relative deadlines",
            "自查自纠阶段结束后5个工作日内,将情况报送办公室;",
        ),
        ("phases", "第一阶段:动员部署(4月30日前)。\n"),
        ("recurring on one line", "每季度报送一次工作进展情况,"),
        ("open parentheses", "(((("),
        ("measures", "“八个一”措施,即召开一次会、签订一份书、"),
        ("check table rows", "序号\n检查内容\n1|是否\n"),
    ];
    for (what, unit) in shapes {
        let small: String = unit.repeat(MAX_TEXT_BYTES / 8 / unit.len());
        let big: String = unit.repeat(MAX_TEXT_BYTES / unit.len());
        let time = |t: &str| {
            let start = Instant::now();
            let _ = import(t, None);
            let _ = safeduty_plan::notice::parse_notice(t);
            start.elapsed()
        };
        let (a, b) = (time(&small), time(&big));
        eprintln!(
            "{what}: {} bytes {a:?}, {} bytes {b:?}",
            small.len(),
            big.len()
        );
        // Linear: 8× the text, at most ~8× the time (with slack for noise), never minutes.
        assert!(
            b < a * 20 + Duration::from_millis(500),
            "{what}: {a:?} for 1/8, {b:?} for all"
        );
        assert!(b < Duration::from_secs(60), "{what}: {b:?}");
    }
}
