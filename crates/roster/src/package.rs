//! What a workbook's ZIP package inflates to, measured before calamine reads it (issue #16
//! point 2, zip bombs). calamine keeps the shared strings, the styles and the workbook part whole,
//! and holds each XML event (a cell's text, a tag with its attributes, a comment) whole while it
//! parses; a few megabytes of ZIP can inflate a thousandfold. So each XML part is inflated once
//! here into nothing (a counter and a small state machine, a 64 KiB buffer) and the package is
//! refused when:
//!
//! - a part calamine keeps whole inflates past [`MAX_KEPT_PART`],
//! - any XML part inflates past [`MAX_STREAMED_PART`], or all of them together past
//!   [`MAX_TOTAL_INFLATED`],
//! - any single XML event is longer than [`MAX_XML_EVENT`] (Excel's longest cell holds 32 767
//!   characters, well under it).
//!
//! Binary parts (pictures, printer settings) are not read by the roster reader and are not
//! inflated. The sizes are the real ones, not the sizes the ZIP directory declares.

use std::io::{Cursor, Read};

use crate::ReadError;

/// Largest part kept whole by the reader (shared strings, styles, workbook), inflated.
pub const MAX_KEPT_PART: u64 = 64 * 1024 * 1024;
/// Largest worksheet (streamed, cell by cell), inflated.
pub const MAX_STREAMED_PART: u64 = 1024 * 1024 * 1024;
/// Largest sum of every XML part, inflated.
pub const MAX_TOTAL_INFLATED: u64 = 2 * 1024 * 1024 * 1024;
/// Longest XML event (text, tag, comment, CDATA section), in bytes.
pub const MAX_XML_EVENT: usize = 1024 * 1024;

/// Checks the package `bytes` (a ZIP) against the bounds of the module docs.
///
/// # Errors
/// [`ReadError::BadWorkbook`] for a ZIP that cannot be read, [`ReadError::Inflated`] naming the
/// part over a bound.
pub(crate) fn check(bytes: &[u8]) -> Result<(), ReadError> {
    let bad = |e: zip::result::ZipError| ReadError::BadWorkbook(e.to_string());
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(bad)?;
    let mut total = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(bad)?;
        let name = entry.name().map_err(bad)?.to_string();
        let lower = name.to_ascii_lowercase();
        if !(lower.ends_with(".xml") || lower.ends_with(".rels")) {
            continue;
        }
        let limit = if kept_whole(&lower) {
            MAX_KEPT_PART
        } else {
            MAX_STREAMED_PART
        };
        let over = |what: String| ReadError::Inflated {
            part: name.clone(),
            what,
        };
        let mut scan = XmlScan::default();
        let mut size = 0u64;
        loop {
            let n = entry
                .read(&mut buf)
                .map_err(|e| ReadError::BadWorkbook(format!("{name}: {e}")))?;
            if n == 0 {
                break;
            }
            size += n as u64;
            total += n as u64;
            if size > limit {
                return Err(over(format!("解压后超过 {} MB", limit / 1024 / 1024)));
            }
            if total > MAX_TOTAL_INFLATED {
                return Err(over(format!(
                    "工作簿解压后合计超过 {} MB",
                    MAX_TOTAL_INFLATED / 1024 / 1024
                )));
            }
            if !scan.feed(&buf[..n]) {
                return Err(over(format!(
                    "含有超过 {} KB 的单个内容（单元格文字或标记）",
                    MAX_XML_EVENT / 1024
                )));
            }
        }
    }
    Ok(())
}

/// Whether calamine keeps the part `lower` (a lower-case path) whole: everything but the
/// worksheets it streams.
fn kept_whole(lower: &str) -> bool {
    !lower.contains("worksheets/")
}

/// Where the scanner is in the XML text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum State {
    /// Character data between markup.
    #[default]
    Text,
    /// Just after `<`: which markup it is is decided by the next bytes.
    Open,
    /// Inside a tag; `Some(q)` inside an attribute value quoted with `q`.
    Tag(Option<u8>),
    /// Inside `<!--` … `-->`.
    Comment,
    /// Inside `<![CDATA[` … `]]>`.
    Cdata,
    /// Inside `<?` … `?>`.
    Instruction,
    /// Inside `<!DOCTYPE` … `>` (with an internal subset `[` … `]` of this depth).
    Declaration(u32),
}

/// Measures the longest XML event of a stream fed in pieces: the bytes from where an event
/// starts (`<`, or the first byte of text) to where it ends, as a pull parser would hold them.
#[derive(Debug, Default)]
struct XmlScan {
    state: State,
    /// Bytes of the current event so far.
    run: usize,
    /// The bytes after `<` while its kind is not yet known (at most `![CDATA[`).
    head: Vec<u8>,
    /// The last two bytes, for `-->`, `]]>` and `?>`.
    last: [u8; 2],
}

impl XmlScan {
    /// Feeds the next bytes; `false` once an event is longer than [`MAX_XML_EVENT`].
    fn feed(&mut self, bytes: &[u8]) -> bool {
        for &b in bytes {
            self.run += 1;
            match self.state {
                State::Text => {
                    if b == b'<' {
                        self.run = 1;
                        self.head.clear();
                        self.state = State::Open;
                    }
                }
                State::Open => {
                    self.head.push(b);
                    self.state = match self.head.as_slice() {
                        b"!--" => State::Comment,
                        b"![CDATA[" => State::Cdata,
                        [b'?', ..] => State::Instruction,
                        h if b"![CDATA[".starts_with(h) || b"!--".starts_with(h) => State::Open,
                        [b'!', ..] => State::Declaration(0),
                        _ => self.in_tag(b),
                    };
                }
                State::Tag(quote) => self.state = self.tag_byte(quote, b),
                State::Comment => {
                    if b == b'>' && self.last == *b"--" {
                        self.end_event();
                    }
                }
                State::Cdata => {
                    if b == b'>' && self.last == *b"]]" {
                        self.end_event();
                    }
                }
                State::Instruction => {
                    if b == b'>' && self.last[1] == b'?' {
                        self.end_event();
                    }
                }
                State::Declaration(depth) => match b {
                    b'[' => self.state = State::Declaration(depth + 1),
                    b']' => self.state = State::Declaration(depth.saturating_sub(1)),
                    b'>' if depth == 0 => self.end_event(),
                    _ => {}
                },
            }
            self.last = [self.last[1], b];
            if self.run > MAX_XML_EVENT {
                return false;
            }
        }
        true
    }

    /// The state after the byte `b` that made the markup an ordinary tag.
    fn in_tag(&mut self, b: u8) -> State {
        let state = self.tag_byte(None, b);
        if state == State::Text {
            self.run = 0;
        }
        state
    }

    /// The state after the byte `b` inside a tag (`quote`: the open attribute quote).
    fn tag_byte(&mut self, quote: Option<u8>, b: u8) -> State {
        match (quote, b) {
            (None, b'"' | b'\'') => State::Tag(Some(b)),
            (None, b'>') => {
                self.run = 0;
                State::Text
            }
            (Some(q), _) if b == q => State::Tag(None),
            _ => State::Tag(quote),
        }
    }

    fn end_event(&mut self) {
        self.run = 0;
        self.state = State::Text;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn longest_ok(xml: &str, limit_ok: bool) {
        let mut s = XmlScan::default();
        assert_eq!(
            s.feed(xml.as_bytes()),
            limit_ok,
            "{}",
            &xml[..xml.len().min(60)]
        );
    }

    #[test]
    fn ordinary_xml_passes_in_any_pieces() {
        let xml = r#"<?xml version="1.0"?><!-- c --><a x="1>2"><b>text</b><![CDATA[<x>]]></a>"#;
        longest_ok(xml, true);
        let mut s = XmlScan::default();
        for b in xml.as_bytes() {
            assert!(s.feed(std::slice::from_ref(b)));
        }
        assert_eq!(s.state, State::Text);
    }

    #[test]
    fn one_long_event_of_any_kind_is_caught() {
        let long = "x".repeat(MAX_XML_EVENT + 10);
        let scattered = "a>b<".repeat(MAX_XML_EVENT / 4 + 10);
        longest_ok(&format!("<a>{long}</a>"), false);
        longest_ok(&format!("<a v=\"{scattered}\"/>"), false);
        longest_ok(&format!("<!--{scattered}-->"), false);
        longest_ok(&format!("<![CDATA[{scattered}]]>"), false);
        longest_ok(&format!("<?pi {scattered}?>"), false);
        // Many short events in a row are fine.
        longest_ok(&"<c><v>1</v></c>".repeat(MAX_XML_EVENT / 8), true);
    }
}
