//! PDF documents with a text layer (what Word, WPS and most PDF printers write; a scanned PDF
//! has none and needs OCR first).
//!
//! Pages are read in order. On each page the text-showing operators (`Tj`, `TJ`, `'`, `"`) are
//! taken as runs at their position and decoded through the font's encoding (a `ToUnicode` CMap
//! for the `Identity-H` CID fonts Chinese documents use, else the simple encodings; ISO 32000-1
//! §9.10). A new line starts where the baseline moves (text matrix and CTM followed through
//! `BT`, `Tm`, `Td`, `TD`, `T*`, `TL`, `cm`, `q`/`Q`), not at every run, so a line whose number
//! is set in one font and text in another stays one line.
//!
//! The runs of a line are put in order of their starting position and joined without a space
//! (Chinese text), except that a wide gap (`TJ` offset below −200/1000 em) between two Latin
//! letters or digits becomes one. A paragraph that wraps over several visual lines is joined
//! back into one line (see `reflow`: the line before was full, this one is not indented and
//! does not start with a heading label), and a page number ending a page is dropped, so that the
//! text reads like the same document saved as text. Text in form XObjects and annotations is
//! not read.

use lopdf::content::Content;
use lopdf::{Document, Encoding, Object};
use std::collections::{BTreeMap, HashMap};

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
    // Encodings by font dictionary, read once for all the pages that use the font (a ToUnicode
    // map can be large, and every page of a document names the same fonts).
    let mut cache: HashMap<*const lopdf::Dictionary, Option<Encoding<'_>>> = HashMap::new();
    for (page, (_, page_id)) in doc.get_pages().into_iter().enumerate() {
        out.page = page;
        let fonts = doc.get_page_fonts(page_id).unwrap_or_default();
        for font in fonts.values() {
            let key: *const lopdf::Dictionary = *font;
            if cache.contains_key(&key) {
                continue;
            }
            let encoding = match font.get_font_encoding_with_limit(&doc, MAX_INFLATED_BYTES) {
                Ok(e) => Some(e),
                Err(lopdf::Error::Decompress(_)) => {
                    return Err(InputError::TooLarge {
                        bytes: MAX_INFLATED_BYTES,
                        limit: MAX_INFLATED_BYTES,
                    });
                }
                Err(_) => None,
            };
            cache.insert(key, encoding);
        }
        let encodings: BTreeMap<Vec<u8>, &Encoding<'_>> = fonts
            .into_iter()
            .filter_map(|(name, font)| {
                let key: *const lopdf::Dictionary = font;
                cache.get(&key)?.as_ref().map(|e| (name, e))
            })
            .collect();
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
    let text = reflow(out.lines);
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

/// A piece of text shown by one operator, at the horizontal position where it starts.
#[derive(Debug)]
struct Run {
    x: f32,
    text: String,
    /// Started after a wide `TJ` gap.
    gap_before: bool,
}

/// A visual line: the runs shown on one baseline, in order of position.
#[derive(Debug)]
struct Line {
    page: usize,
    /// Where the line starts (device space).
    x: f32,
    /// Where the line ends (device space): its last run's start plus that run's estimated
    /// width (CJK characters 1 em, others ½ em).
    right: f32,
    /// Font size in device space (one em).
    em: f32,
    text: String,
}

/// The lines collected so far.
#[derive(Debug, Default)]
struct Text {
    lines: Vec<Line>,
    runs: Vec<Run>,
    page: usize,
    em: f32,
    /// Baseline of the last text shown on the current line (device space).
    line_y: Option<f32>,
    /// A wide `TJ` gap just before the run being started.
    gap: bool,
    /// Bytes collected, against [`MAX_TEXT_BYTES`].
    size: usize,
}

impl Text {
    /// Ends the current line: its runs in order of position (a producer may draw a line's
    /// runs out of order, e.g. a fallback font's characters after the others).
    fn end_line(&mut self) {
        if self.runs.is_empty() {
            self.line_y = None;
            return;
        }
        let mut runs = std::mem::take(&mut self.runs);
        runs.sort_by(|a, b| a.x.total_cmp(&b.x));
        let x = runs.first().map_or(0.0, |r| r.x);
        let right = runs
            .last()
            .map_or(0.0, |r| r.x + width_em(&r.text) * self.em.max(0.1));
        let mut text = String::new();
        for r in runs {
            if r.gap_before
                && text.ends_with(|c: char| c.is_ascii_alphanumeric())
                && r.text.starts_with(|c: char| c.is_ascii_alphanumeric())
            {
                text.push(' ');
            }
            text.push_str(&r.text);
        }
        if !text.trim().is_empty() {
            self.lines.push(Line {
                page: self.page,
                x,
                right,
                em: self.em,
                text,
            });
        }
        self.line_y = None;
        self.gap = false;
    }

    /// Starts a run at `x` on the current line.
    fn start_run(&mut self, x: f32, em: f32) {
        self.runs.push(Run {
            x,
            text: String::new(),
            gap_before: std::mem::take(&mut self.gap),
        });
        self.em = em;
    }

    fn push(&mut self, s: &str) -> Result<(), InputError> {
        let Some(run) = self.runs.last_mut() else {
            return Ok(());
        };
        for c in s.chars() {
            if c.is_control() && c != '\t' {
                continue;
            }
            run.text.push(c);
            self.size += c.len_utf8();
        }
        if self.size > MAX_TEXT_BYTES {
            return Err(InputError::TextTooLarge {
                bytes: self.size,
                limit: MAX_TEXT_BYTES,
            });
        }
        Ok(())
    }
}

/// Width of `s` in ems, counting a CJK or full-width character as 1 and anything else as ½.
fn width_em(s: &str) -> f32 {
    s.chars()
        .map(|c| if (c as u32) >= 0x2E80 { 1.0 } else { 0.5 })
        .sum()
}

/// A page number standing alone (`- 1 -`, `— 2 —`, `3`, `第4页`, `第4页 共9页`).
fn is_page_number(s: &str) -> bool {
    let t = s
        .trim()
        .trim_matches(|c: char| matches!(c, '-' | '—' | '–' | ' ' | '\u{3000}'));
    let t = t.strip_prefix('第').unwrap_or(t);
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 4 {
        return false;
    }
    let rest = t[digits..].trim();
    rest.is_empty()
        || rest == "页"
        || rest.strip_prefix('页').is_some_and(|r| {
            let r = r.trim().trim_start_matches([',', '，']).trim();
            r.starts_with('共') && r.ends_with('页')
        })
}

/// Joins the visual lines of wrapped paragraphs back into one line each, and drops a page
/// number ending a page. A line continues the previous one when the previous one is full (it
/// reaches, within 5 em, the right end of the page's longest line — a line breaks early before a
/// word or pinyin group that does not fit; pages of three lines or
/// more) and does not end a sentence (`。！？；：`) — in a document that indents paragraphs
/// (GB/T 9704 indents a paragraph's first line by two characters) it may — and this one starts
/// at the page's left margin and not with a heading or list label (`一、`, `(一)`, `1.`, `第…`).
fn reflow(lines: Vec<Line>) -> String {
    use std::collections::HashMap;
    let mut left: HashMap<usize, f32> = HashMap::new();
    let mut count: HashMap<usize, usize> = HashMap::new();
    let mut last_of_page: HashMap<usize, usize> = HashMap::new();
    for (k, l) in lines.iter().enumerate() {
        let e = left.entry(l.page).or_insert(l.x);
        *e = e.min(l.x);
        *count.entry(l.page).or_default() += 1;
        last_of_page.insert(l.page, k);
    }
    let em = |l: &Line| if l.em > 0.1 { l.em } else { 10.0 };
    let mut widest: HashMap<usize, f32> = HashMap::new();
    for l in &lines {
        let e = widest.entry(l.page).or_insert(f32::MIN);
        *e = e.max(l.right);
    }
    // A document that indents its paragraphs' first lines (GB/T 9704: two characters) marks
    // every paragraph start, so a full line ending a sentence may still run on.
    let indented = lines
        .iter()
        .filter(|l| (1.5..=4.5).contains(&((l.x - left[&l.page]) / em(l))))
        .count()
        >= 2;
    let mut out = String::new();
    let mut prev_open = false;
    for (k, l) in lines.iter().enumerate() {
        if last_of_page.get(&l.page) == Some(&k) && count[&l.page] > 1 && is_page_number(&l.text) {
            continue;
        }
        let at_left = (l.x - left[&l.page]) <= 0.5 * em(l);
        let folded = crate::normalize::fold_punctuation(l.text.trim_start());
        let join = prev_open && at_left && !crate::text::is_structural(&folded);
        // Joined without a space: Chinese text has none, and a Latin word broken at a space
        // keeps that space at the end of its line.
        if !out.is_empty() && !join {
            out.push('\n');
        }
        out.push_str(if join { l.text.trim_start() } else { &l.text });
        let full = count[&l.page] >= 3 && (widest[&l.page] - l.right) / em(l) <= 5.0;
        let closed = l
            .text
            .trim_end()
            .ends_with(['。', '！', '？', '；', '：', ';', ':']);
        prev_open = full && (indented || !closed);
    }
    out
}

fn number(o: &Object) -> f32 {
    o.as_float().unwrap_or(0.0)
}

/// Appends the text of one page's content stream to `out`.
fn page_text(
    content: &Content,
    encodings: &BTreeMap<Vec<u8>, &Encoding<'_>>,
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
                    .and_then(|n| encodings.get(n).copied());
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
                let em = size.abs() * scale;
                let mut x = m.0[4];
                out.start_run(x, em);
                let shown: &[Object] = match op.operator.as_str() {
                    "\"" => args.get(2).map_or(&[], std::slice::from_ref),
                    _ => args,
                };
                show(shown, encoding, out, &mut x, em)?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Shows strings and `TJ` adjustments. A wide gap (below −200/1000 em) starts a new run at the
/// estimated position after it (CJK characters 1 em, others ½ em), so that text another font
/// draws into the gap later — a fallback font's character — sorts into place.
fn show(
    operands: &[Object],
    encoding: &Encoding<'_>,
    out: &mut Text,
    x: &mut f32,
    em: f32,
) -> Result<(), InputError> {
    for o in operands {
        match o {
            Object::String(bytes, _) => {
                if let Ok(s) = Document::decode_text(encoding, bytes) {
                    out.push(&s)?;
                    *x += width_em(&s) * em;
                }
            }
            Object::Array(items) => show(items, encoding, out, x, em)?,
            Object::Integer(_) | Object::Real(_) => {
                let n = number(o);
                *x -= n / 1000.0 * em;
                if n < -200.0 {
                    out.start_run(*x, em);
                    out.gap = true;
                }
            }
            _ => {}
        }
    }
    Ok(())
}
