//! A signed duty commitment as a printable Word document (.docx), laid out after GB/T 9704-2012:
//! A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title in 2号 小标宋 (22 pt),
//! body in 3号 仿宋_GB2312 (16 pt), first lines indented two characters, at a fixed line pitch of
//! 26 pt: 24 lines a page rather than the standard's 22, so that a commitment of the usual length
//! (the seven duties of art. 25 and a closing pledge) fits one page with its signature block, as
//! it is posted on a notice board. Below the text: the enterprise, the signer and the day, kept together with
//! the text's last paragraph; in the footer of every page, the signature record (the typed name,
//! the instant in Beijing time, the text version and the SHA-256 of the text signed), so that a
//! printed copy can be checked against the product. The demo text fits one page.

use docx_rs::{
    AlignmentType, Docx, Footer, LineSpacing, LineSpacingType, PageMargin, Paragraph, Run,
    RunFonts, SpecialIndentType,
};
use safeduty_store::commitments::Signature;

use crate::audit_trail::beijing_time;
use crate::error::AppError;

/// Twips in a millimetre (1 inch = 25.4 mm = 1440 twips).
fn mm(v: f64) -> i32 {
    (v * 1440.0 / 25.4).round() as i32
}

const TITLE_FONT: &str = "方正小标宋简体";
const BODY_FONT: &str = "仿宋_GB2312";
/// 3号 = 16 pt, in half-points.
const BODY_SIZE: usize = 32;
/// 2号 = 22 pt, in half-points.
const TITLE_SIZE: usize = 44;
/// Fixed line pitch, 26 pt in twentieths of a point: 24 lines in the 225 mm type area.
const LINE_PITCH: i32 = 520;

fn run(text: &str, font: &str, size: usize) -> Run {
    Run::new()
        .add_text(text)
        .size(size)
        .fonts(RunFonts::new().east_asia(font).ascii(font).hi_ansi(font))
}

fn pitch() -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(LINE_PITCH)
}

fn body(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, BODY_FONT, BODY_SIZE))
        .line_spacing(pitch())
        .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
}

fn right(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, BODY_FONT, BODY_SIZE))
        .line_spacing(pitch())
        .align(AlignmentType::Right)
}

/// The title: the signed text's first line when it names the document (ends in 承诺书), else
/// 安全生产履职承诺书; the rest of the text follows as body paragraphs.
fn split_title(text: &str) -> (&str, Vec<&str>) {
    let mut lines = text.lines();
    match lines.next() {
        Some(first) if first.trim().ends_with("承诺书") => (
            first.trim(),
            lines.filter(|l| !l.trim().is_empty()).collect(),
        ),
        _ => (
            "安全生产履职承诺书",
            text.lines().filter(|l| !l.trim().is_empty()).collect(),
        ),
    }
}

/// The .docx bytes of signature `s` by a safety manager of `enterprise_name`.
///
/// # Errors
/// [`AppError::Internal`] when the document cannot be packed (does not happen with these inputs).
pub fn render(s: &Signature, enterprise_name: &str) -> Result<Vec<u8>, AppError> {
    let (title, paragraphs) = split_title(&s.signed_text);
    let mut doc = Docx::new()
        .page_size(11906, 16838)
        .page_margin(
            PageMargin::new()
                .top(mm(37.0))
                .bottom(mm(35.0))
                .left(mm(28.0))
                .right(mm(26.0))
                .footer(mm(12.0)),
        )
        .add_paragraph(
            Paragraph::new()
                .add_run(run(title, TITLE_FONT, TITLE_SIZE))
                .align(AlignmentType::Center)
                .line_spacing(pitch().after(LINE_PITCH as u32)),
        );
    let last = paragraphs.len().saturating_sub(1);
    for (i, p) in paragraphs.iter().enumerate() {
        // The last paragraph stays on the page of the signature block below it.
        doc = doc.add_paragraph(body(p.trim()).keep_next(i == last));
    }
    let date = s.signed_on.format("%Y年%-m月%-d日").to_string();
    let record = format!(
        "签署记录：{}于{}（北京时间）在系统中输入姓名“{}”签署，承诺书文本第{}版，文本SHA-256：{}",
        s.personnel_name,
        beijing_time(&s.signed_at),
        s.typed_name,
        s.version,
        s.text_sha256
    );
    doc = doc
        .add_paragraph(Paragraph::new().line_spacing(pitch()).keep_next(true))
        .add_paragraph(right(&format!("单位：{enterprise_name}")).keep_next(true))
        .add_paragraph(right(&format!("承诺人：{}", s.personnel_name)).keep_next(true))
        .add_paragraph(right(&date))
        .footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .add_run(run(&record, BODY_FONT, 18))
                    .line_spacing(LineSpacing::new().line(260)),
            ),
        );
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| AppError::Internal(format!("docx: {e}")))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_reads_back_with_its_signature_record() {
        let s = Signature {
            public_id: "0".repeat(32),
            enterprise_id: 1,
            personnel_public_id: "1".repeat(32),
            personnel_name: "陈志远".into(),
            version: 2,
            signed_text: "履职承诺书\n一、依法履职。\n二、接受监督。".into(),
            text_sha256: "ab".repeat(32),
            typed_name: "陈 志远".into(),
            signed_on: "2024-06-20".parse().unwrap(),
            signed_at: "2024-06-20T02:03:04Z".into(),
        };
        let bytes = render(&s, "示例企业有限公司").unwrap();
        let doc: serde_json::Value =
            serde_json::from_str(&docx_rs::read_docx(&bytes).unwrap().json()).unwrap();
        let text = |p: &serde_json::Value| -> String {
            p["data"]["children"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|r| {
                    r["data"]["children"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default()
                })
                .filter_map(|t| t["data"]["text"].as_str().map(str::to_string))
                .collect()
        };
        // Each paragraph's text and whether it is kept with the next one.
        let paragraphs: Vec<(String, bool)> = doc["document"]["children"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let keep = p["data"]["property"]["keepNext"] == serde_json::json!(true);
                (text(p), keep)
            })
            .collect();
        let expected = [
            ("履职承诺书", false),
            ("一、依法履职。", false),
            ("二、接受监督。", true),
            ("", true),
            ("单位：示例企业有限公司", true),
            ("承诺人：陈志远", true),
            ("2024年6月20日", false),
        ];
        assert_eq!(
            paragraphs,
            expected.map(|(t, k)| (t.to_string(), k)),
            "the signature block stays with the last paragraph"
        );
        let section = &doc["document"]["sectionProperty"];
        assert_eq!(
            section["pageMargin"],
            serde_json::json!({"top": 2098, "left": 1587, "bottom": 1984, "right": 1474,
                "header": 851, "footer": 680, "gutter": 0}),
            "GB/T 9704 margins: 37, 28, 35, 26 mm"
        );
        assert_eq!(
            text(&section["footer"][1]["children"][0]),
            format!(
                "签署记录：陈志远于2024-06-20 10:03:04（北京时间）在系统中输入姓名“陈 志远”签署，\
                 承诺书文本第2版，文本SHA-256：{}",
                "ab".repeat(32)
            )
        );
    }

    #[test]
    fn title_taken_from_the_first_line_when_it_names_the_document() {
        let (t, rest) = split_title("履职承诺书\n\n一、依法履职。\n二、接受监督。");
        assert_eq!(t, "履职承诺书");
        assert_eq!(rest, ["一、依法履职。", "二、接受监督。"]);
        let (t, rest) = split_title("本人承诺依法履职。");
        assert_eq!(t, "安全生产履职承诺书");
        assert_eq!(rest, ["本人承诺依法履职。"]);
    }
}
