//! A signed duty commitment as a printable Word document (.docx), laid out after GB/T 9704-2012:
//! A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title in 2号 小标宋 (22 pt),
//! body in 3号 仿宋_GB2312 (16 pt) at a fixed line pitch of 22 lines a page, first lines indented
//! two characters. Below the text: the enterprise, the signer, the day, and the signature record
//! (the typed name, the instant, the text version and the SHA-256 of the text signed), so that a
//! printed copy can be checked against the product.

use docx_rs::{
    AlignmentType, Docx, LineSpacing, LineSpacingType, PageMargin, Paragraph, Run, RunFonts,
    SpecialIndentType,
};
use safeduty_store::commitments::Signature;

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
/// Fixed line pitch for 22 lines in the 225 mm type area: 28.95 pt, in twentieths of a point.
const LINE_PITCH: i32 = 579;

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
                .right(mm(26.0)),
        )
        .add_paragraph(
            Paragraph::new()
                .add_run(run(title, TITLE_FONT, TITLE_SIZE))
                .align(AlignmentType::Center)
                .line_spacing(pitch().after(LINE_PITCH as u32)),
        );
    for p in paragraphs {
        doc = doc.add_paragraph(body(p.trim()));
    }
    let date = s.signed_on.format("%Y年%-m月%-d日").to_string();
    let record = format!(
        "签署记录：签署人输入姓名“{}”，签署时间{}（UTC），承诺书文本第{}版，文本SHA-256：{}",
        s.typed_name, s.signed_at, s.version, s.text_sha256
    );
    doc = doc
        .add_paragraph(Paragraph::new().line_spacing(pitch()))
        .add_paragraph(right(&format!("单位：{enterprise_name}")))
        .add_paragraph(right(&format!("承诺人：{}", s.personnel_name)))
        .add_paragraph(right(&date))
        .add_paragraph(Paragraph::new().line_spacing(pitch()))
        .add_paragraph(
            Paragraph::new()
                .add_run(run(&record, BODY_FONT, 20))
                .line_spacing(LineSpacing::new().line(300)),
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
    fn title_taken_from_the_first_line_when_it_names_the_document() {
        let (t, rest) = split_title("履职承诺书\n\n一、依法履职。\n二、接受监督。");
        assert_eq!(t, "履职承诺书");
        assert_eq!(rest, ["一、依法履职。", "二、接受监督。"]);
        let (t, rest) = split_title("本人承诺依法履职。");
        assert_eq!(t, "安全生产履职承诺书");
        assert_eq!(rest, ["本人承诺依法履职。"]);
    }
}
