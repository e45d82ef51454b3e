//! PDF documents with a text layer (what Word, WPS and most PDF printers write; a scanned PDF
//! has none and needs OCR first).
//!
//! Pages are read in order; on each page the text-showing operators (`Tj`, `TJ`, `'`, `"`) are
//! taken in content-stream order — the order the producer wrote, which for office documents is
//! the reading order — and decoded through the font's encoding (a `ToUnicode` CMap for the
//! `Identity-H` CID fonts Chinese documents use, else the simple encodings; ISO 32000-1 §9.10).
//! A new line starts where the baseline moves (text matrix and CTM followed through `BT`, `Tm`,
//! `Td`, `TD`, `T*`, `TL`, `cm`, `q`/`Q`), not at every run, so a line whose number is set in
//! one font and text in another stays one line. Runs on one line are joined without a space
//! (Chinese text), except that a wide gap (`TJ` offset below −200/1000 em) between two Latin
//! letters or digits becomes one. A page ends its last line.
//!
//! A visual line is a line: a paragraph that wraps over several lines in the PDF arrives as
//! several lines (the importer joins check items that run on, but nothing else is reflowed).
//! Text in form XObjects and annotations is not read.

use lopdf::content::Content;
use lopdf::{Document, Encoding, Object};
use std::collections::BTreeMap;

use super::{Format, InputError, MAX_INFLATED_BYTES, MAX_TEXT_BYTES};

/// Reads the text layer of a PDF (see the module documentation).
///
/// # Errors
/// [`InputError::Damaged`] for a PDF that does not parse, [`InputError::Encrypted`] for one that
/// opens only with a password, [`InputError::TooLarge`] for a page inflating past
/// [`MAX_INFLATED_BYTES`], [`InputError::TextTooLarge`], and [`InputError::NoText`] for a PDF
/// without a text layer (scanned pages).
pub fn read_pdf(bytes: &[u8]) -> Result<String, InputError> {
    // The parser is third-party code facing arbitrary bytes: a panic in it is a damaged file.
    std::panic::catch_unwind(|| read_pdf_inner(bytes))
        .unwrap_or_else(|_| Err(damaged("解析时出错".to_string())))
}

fn damaged(detail: String) -> InputError {
    InputError::Damaged {
        format: Format::Pdf,
        detail,
    }
}

fn read_pdf_inner(bytes: &[u8]) -> Result<String, InputError> {
    let doc = Document::load_mem(bytes).map_err(|e| {
        let s = e.to_string();
        if s.to_ascii_lowercase().contains("decrypt") || s.to_ascii_lowercase().contains("password")
        {
            InputError::Encrypted(Format::Pdf)
        } else {
            damaged(s)
        }
    })?;
    if doc.is_encrypted() && doc.encryption_state.is_none() {
        return Err(InputError::Encrypted(Format::Pdf));
    }
    let mut out = Text::default();
    for (_, page_id) in doc.get_pages() {
        let fonts = doc.get_page_fonts(page_id).unwrap_or_default();
        let mut encodings: BTreeMap<Vec<u8>, Encoding<'_>> = BTreeMap::new();
        for (name, font) in fonts {
            match font.get_font_encoding_with_limit(&doc, MAX_INFLATED_BYTES) {
                Ok(e) => {
                    encodings.insert(name, e);
                }
                Err(lopdf::Error::Decompress(_)) => {
                    return Err(InputError::TooLarge {
                        bytes: MAX_INFLATED_BYTES,
                        limit: MAX_INFLATED_BYTES,
                    });
                }
                Err(_) => {}
            }
        }
        let content = match doc.get_page_content_with_limit(page_id, MAX_INFLATED_BYTES) {
            Ok(c) => c,
            Err(lopdf::Error::Decompress(_)) => {
                return Err(InputError::TooLarge {
                    bytes: MAX_INFLATED_BYTES,
                    limit: MAX_INFLATED_BYTES,
                });
            }
            Err(e) => return Err(damaged(e.to_string())),
        };
        let content = Content::decode(&content).map_err(|e| damaged(e.to_string()))?;
        page_text(&content, &encodings, &mut out)?;
        out.end_line();
    }
    let text = out.text.trim_end_matches('\n').to_string();
    if text.trim().is_empty() {
        return Err(InputError::NoText(Format::Pdf));
    }
    Ok(text)
}

/// An affine matrix `[a b c d e f]` (ISO 32000-1 §8.3.3).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Matrix([f32; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    fn translate(x: f32, y: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }

    /// `self × other` (apply `self`, then `other`).
    fn then(self, other: Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }
}

/// The text collected so far.
#[derive(Debug, Default)]
struct Text {
    text: String,
    /// Baseline of the last text shown on the current line (device space).
    line_y: Option<f32>,
    /// A wide `TJ` gap since the last character.
    gap: bool,
}

impl Text {
    fn end_line(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
        self.line_y = None;
        self.gap = false;
    }

    fn push(&mut self, s: &str) -> Result<(), InputError> {
        for c in s.chars() {
            if c.is_control() && c != '\t' {
                continue;
            }
            if self.gap {
                if let Some(last) = self.text.chars().last()
                    && last.is_ascii_alphanumeric()
                    && c.is_ascii_alphanumeric()
                {
                    self.text.push(' ');
                }
                self.gap = false;
            }
            self.text.push(c);
        }
        if self.text.len() > MAX_TEXT_BYTES {
            return Err(InputError::TextTooLarge {
                bytes: self.text.len(),
                limit: MAX_TEXT_BYTES,
            });
        }
        Ok(())
    }
}

fn number(o: &Object) -> f32 {
    o.as_float().unwrap_or(0.0)
}

/// Appends the text of one page's content stream to `out`.
fn page_text(
    content: &Content,
    encodings: &BTreeMap<Vec<u8>, Encoding<'_>>,
    out: &mut Text,
) -> Result<(), InputError> {
    let mut ctm = Matrix::IDENTITY;
    let mut saved: Vec<Matrix> = Vec::new();
    let mut tm = Matrix::IDENTITY;
    let mut tlm = Matrix::IDENTITY;
    let mut leading = 0.0f32;
    let mut size = 0.0f32;
    let mut font: Option<&Encoding<'_>> = None;
    for op in &content.operations {
        let args = &op.operands;
        let arg = |k: usize| args.get(k).map_or(0.0, number);
        match op.operator.as_str() {
            "q" if saved.len() < 1024 => saved.push(ctm),
            "Q" => ctm = saved.pop().unwrap_or(Matrix::IDENTITY),
            "cm" => {
                ctm = Matrix([arg(0), arg(1), arg(2), arg(3), arg(4), arg(5)]).then(ctm);
            }
            "BT" => {
                tm = Matrix::IDENTITY;
                tlm = Matrix::IDENTITY;
            }
            "Tf" => {
                font = args
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|n| encodings.get(n));
                size = arg(1);
            }
            "TL" => leading = arg(0),
            "Tm" => {
                tlm = Matrix([arg(0), arg(1), arg(2), arg(3), arg(4), arg(5)]);
                tm = tlm;
            }
            "Td" | "TD" => {
                if op.operator == "TD" {
                    leading = -arg(1);
                }
                tlm = Matrix::translate(arg(0), arg(1)).then(tlm);
                tm = tlm;
            }
            "T*" => {
                tlm = Matrix::translate(0.0, -leading).then(tlm);
                tm = tlm;
            }
            "Tj" | "TJ" | "'" | "\"" => {
                if op.operator == "'" || op.operator == "\"" {
                    tlm = Matrix::translate(0.0, -leading).then(tlm);
                    tm = tlm;
                }
                let Some(encoding) = font else { continue };
                let m = tm.then(ctm);
                let y = m.0[5];
                let scale = (m.0[3].abs()).max(m.0[2].abs()).max(0.01);
                let tolerance = (size.abs() * scale * 0.4).max(1.0);
                if let Some(last) = out.line_y
                    && (y - last).abs() > tolerance
                {
                    out.end_line();
                }
                out.line_y = Some(y);
                let shown: &[Object] = match op.operator.as_str() {
                    "\"" => args.get(2).map_or(&[], std::slice::from_ref),
                    _ => args,
                };
                show(shown, encoding, out)?;
            }
            _ => {}
        }
    }
    Ok(())
}

fn show(operands: &[Object], encoding: &Encoding<'_>, out: &mut Text) -> Result<(), InputError> {
    for o in operands {
        match o {
            Object::String(bytes, _) => {
                if let Ok(s) = Document::decode_text(encoding, bytes) {
                    out.push(&s)?;
                }
            }
            Object::Array(items) => show(items, encoding, out)?,
            Object::Integer(_) | Object::Real(_) if number(o) < -200.0 => out.gap = true,
            _ => {}
        }
    }
    Ok(())
}
