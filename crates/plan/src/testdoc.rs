//! Documents made from text, for tests of [`crate::input`] (feature `test-support`; not in the
//! product): a minimal Word document and a PDF with a text layer.
//!
//! The PDF sets Chinese text in a `Type0` font with `Identity-H` encoding and a `ToUnicode`
//! CMap, the way Word and WPS export it, and ASCII runs in Helvetica (`WinAnsiEncoding`), so a
//! line mixes two fonts as real exports do. No glyphs are embedded — the text layer is exact,
//! a viewer draws the Chinese text with a substitute font or not at all.

use std::collections::BTreeSet;
use std::io::{Cursor, Write as _};

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, StringFormat, dictionary};

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// `s` escaped for XML text and attribute values.
pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A `w:p` paragraph holding `text` in one run; `num` = (`numId`, `ilvl`) adds list numbering.
pub fn paragraph(text: &str, num: Option<(u32, u32)>) -> String {
    let ppr = num.map_or(String::new(), |(id, lvl)| {
        format!(
            r#"<w:pPr><w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="{id}"/></w:numPr></w:pPr>"#
        )
    });
    format!(
        r#"<w:p>{ppr}<w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
        xml_escape(text)
    )
}

/// A `.docx` whose `w:body` holds `body` (paragraphs, tables), with optional
/// `word/numbering.xml` and `word/styles.xml` parts (whole XML documents).
pub fn docx(body: &str, numbering: Option<&str>, styles: Option<&str>) -> Vec<u8> {
    let mut parts: Vec<(&str, String)> = vec![
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#
                .to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#
                .to_string(),
        ),
        (
            "word/document.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W_NS}"><w:body>{body}<w:sectPr/></w:body></w:document>"#
            ),
        ),
    ];
    if let Some(n) = numbering {
        parts.push(("word/numbering.xml", n.to_string()));
    }
    if let Some(s) = styles {
        parts.push(("word/styles.xml", s.to_string()));
    }
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in parts {
        zip.start_file(name, options).expect("zip entry");
        zip.write_all(content.as_bytes()).expect("zip write");
    }
    zip.finish().expect("zip finish").into_inner()
}

/// A PDF with one text line per entry of `lines` (blank entries leave a blank line), A4 pages
/// of `lines_per_page` lines, 10 pt text; lines follow each other with `T*`, the runs of a line
/// with `Tf`/`Tj` only (no positioning), as some producers write.
pub fn pdf(lines: &[&str], lines_per_page: usize) -> Vec<u8> {
    let pages: Vec<Vec<Operation>> = lines
        .chunks(lines_per_page.max(1))
        .map(|page| {
            let mut ops = vec![
                Operation::new("BT", vec![]),
                Operation::new("TL", vec![14.into()]),
                Operation::new("Td", vec![40.into(), 800.into()]),
            ];
            for (k, line) in page.iter().enumerate() {
                if k > 0 {
                    ops.push(Operation::new("T*", vec![]));
                }
                for (ascii, run) in runs(line) {
                    show_run(&mut ops, ascii, run);
                }
            }
            ops.push(Operation::new("ET", vec![]));
            ops
        })
        .collect();
    build_pdf(lines, pages)
}

/// A PDF laid out as a printed document: each entry of `paragraphs` is a paragraph whose first
/// line is indented by `indent` em, wrapped at `width` em (a CJK character is 1 em, another
/// character ½ em), `lines_per_page` lines a page, every run placed with its own `Tm` as Word,
/// WPS and LibreOffice write them, and a page number `- n -` at the foot of each page.
pub fn pdf_wrapped(paragraphs: &[&str], width: f32, indent: f32, lines_per_page: usize) -> Vec<u8> {
    let em = |c: char| if (c as u32) >= 0x2E80 { 1.0 } else { 0.5 };
    let mut visual: Vec<(f32, String)> = Vec::new();
    for p in paragraphs {
        let mut x = indent;
        let mut line = String::new();
        let mut start = indent;
        for c in p.chars() {
            if x + em(c) > width && !line.is_empty() {
                visual.push((start, std::mem::take(&mut line)));
                x = 0.0;
                start = 0.0;
            }
            line.push(c);
            x += em(c);
        }
        visual.push((start, line));
    }
    let size = 10.0f32;
    let texts: Vec<&str> = paragraphs.to_vec();
    let pages: Vec<Vec<Operation>> = visual
        .chunks(lines_per_page.max(1))
        .enumerate()
        .map(|(n, page)| {
            let mut ops = Vec::new();
            for (k, (start, line)) in page.iter().enumerate() {
                let y = 800.0 - 14.0 * k as f32;
                let mut x = 40.0 + start * size;
                for (ascii, run) in runs(line) {
                    ops.push(Operation::new("BT", vec![]));
                    ops.push(Operation::new(
                        "Tm",
                        vec![1.into(), 0.into(), 0.into(), 1.into(), x.into(), y.into()],
                    ));
                    show_run(&mut ops, ascii, run);
                    ops.push(Operation::new("ET", vec![]));
                    x += run.chars().map(em).sum::<f32>() * size;
                }
            }
            ops.push(Operation::new("BT", vec![]));
            ops.push(Operation::new(
                "Tm",
                vec![
                    1.into(),
                    0.into(),
                    0.into(),
                    1.into(),
                    280.into(),
                    40.into(),
                ],
            ));
            show_run(&mut ops, true, &format!("- {} -", n + 1));
            ops.push(Operation::new("ET", vec![]));
            ops
        })
        .collect();
    build_pdf(&texts, pages)
}

/// Sets `run` in the Latin font (ASCII) or the CID font (anything else).
fn show_run(ops: &mut Vec<Operation>, ascii: bool, run: &str) {
    let (font, bytes): (&str, Vec<u8>) = if ascii {
        ("F2", run.as_bytes().to_vec())
    } else {
        (
            "F1",
            run.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        )
    };
    ops.push(Operation::new("Tf", vec![font.into(), 10.into()]));
    ops.push(Operation::new(
        "Tj",
        vec![Object::String(bytes, StringFormat::Hexadecimal)],
    ));
}

/// The PDF around the pages' content: fonts (a `ToUnicode` map covering the characters of
/// `texts`), resources, page tree, catalog.
fn build_pdf(texts: &[&str], pages: Vec<Vec<Operation>>) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let high_bytes: BTreeSet<u8> = texts
        .iter()
        .flat_map(|l| l.encode_utf16())
        .map(|u| (u >> 8) as u8)
        .collect();
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let ranges: Vec<u8> = high_bytes.into_iter().collect();
    for chunk in ranges.chunks(100) {
        cmap.push_str(&format!("{} beginbfrange\n", chunk.len()));
        for h in chunk {
            cmap.push_str(&format!("<{h:02X}00> <{h:02X}FF> <{h:02X}00>\n"));
        }
        cmap.push_str("endbfrange\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    let to_unicode = doc.add_object(Stream::new(dictionary! {}, cmap.into_bytes()));
    let descendant = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "CIDFontType2",
        "BaseFont" => "SimSun",
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("Identity"),
            "Supplement" => 0,
        },
        "DW" => 1000,
        "CIDToGIDMap" => "Identity",
    });
    let cjk = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => "SimSun",
        "Encoding" => "Identity-H",
        "DescendantFonts" => vec![descendant.into()],
        "ToUnicode" => to_unicode,
    });
    let latin = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => cjk, "F2" => latin },
    });
    let mut kids: Vec<Object> = Vec::new();
    for ops in pages {
        let content = Content { operations: ops }
            .encode()
            .expect("content encodes");
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(page_id.into());
    }
    let count = i64::try_from(kids.len()).unwrap_or(0);
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    doc.compress();
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("PDF writes");
    out
}

/// `line` cut into maximal runs of printable ASCII and of other characters.
fn runs(line: &str) -> Vec<(bool, &str)> {
    let mut out: Vec<(bool, &str)> = Vec::new();
    let mut start = 0;
    let mut kind: Option<bool> = None;
    for (i, c) in line.char_indices() {
        let ascii = c.is_ascii_graphic() || c == ' ';
        if kind.is_some_and(|k| k != ascii) {
            out.push((kind.unwrap_or(false), &line[start..i]));
            start = i;
        }
        kind = Some(ascii);
    }
    if let Some(k) = kind {
        out.push((k, &line[start..]));
    }
    out
}
