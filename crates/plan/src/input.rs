//! Reading the documents people have into the text the importer reads.
//!
//! A plan (工作方案) or a holiday notice reaches the committee office as whatever the issuer
//! published or sent: a text file saved from a web page (UTF-8, or GBK/GB18030 on Chinese
//! Windows, sometimes UTF-16 from Notepad), a Word or WPS document (`.docx`), or a PDF. This
//! module turns the bytes of any of them into one text, line by line, for [`crate::import()`] and
//! [`crate::notice::parse_notice`]. The format is recognised from the content, not the name:
//!
//! | content starts with | read as |
//! |---|---|
//! | `PK\x03\x04` (a zip) holding `word/document.xml` | Word/WPS document: paragraphs in order, one line each; a table row is one line, its cells joined with `\|`; automatic list numbers (`1.`, `(一)`) written out as the reader sees them ([`docx`]) |
//! | `%PDF-` (within the first KiB) | PDF text layer: text runs by position, a new line where the baseline moves, wrapped paragraphs joined back, page numbers dropped ([`pdf`]) |
//! | `D0 CF 11 E0` (OLE2 compound file) | refused: old binary `.doc`/`.wps` (save as `.docx`), or a password-protected Office file |
//! | `{\rtf` | refused: RTF (save as `.docx`) |
//! | anything else | text: BOM first (UTF-8, UTF-16 LE/BE), else valid UTF-8, else GB18030 (a superset of GBK and GB2312) |
//!
//! **Bounds.** A document over [`MAX_DOCUMENT_BYTES`] is refused before it is parsed; the text
//! read from it must not exceed [`MAX_TEXT_BYTES`] (a plan is tens of kilobytes; the Qingxiu plan
//! is 15 KB), and a part of a `.docx` or a PDF stream may not inflate past [`MAX_INFLATED_BYTES`]
//! (zip bombs). [`crate::import()`] itself reads at most [`MAX_TEXT_BYTES`] of any text it is
//! given, so a caller that skips this module is bounded too.

pub mod docx;
pub mod pdf;

use std::fmt;

/// Largest document accepted by [`read_document`], in bytes (32 MiB: a Word document with
/// scanned seals or a PDF with images stays far below it).
pub const MAX_DOCUMENT_BYTES: usize = 32 * 1024 * 1024;

/// Largest text, in bytes of UTF-8, that [`read_document`] hands on and that [`crate::import()`]
/// reads (2 MiB, about 700,000 Chinese characters: a hundred times a long plan).
pub const MAX_TEXT_BYTES: usize = 2 * 1024 * 1024;

/// Largest size one part of a `.docx` (an XML file in the zip) or one PDF page's content may
/// inflate to (64 MiB).
pub const MAX_INFLATED_BYTES: usize = 64 * 1024 * 1024;

/// A kind of document, as recognised from its content (or, for a damaged one, its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text.
    Text,
    /// Word/WPS Open XML document (`.docx`).
    Docx,
    /// PDF.
    Pdf,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Text => "文本文件",
            Format::Docx => "Word/WPS 文档（.docx）",
            Format::Pdf => "PDF 文件",
        })
    }
}

/// Why a document could not be turned into text. Messages are Chinese, for the person who
/// chose the file; each says what to do instead.
///
/// [`InputError::could_not_read`] splits them the way DESIGN.md §3's exit codes do: a format
/// this build cannot read, or a damaged file (exit 1, "could not run"), against a file that was
/// read but is not acceptable as a document (exit 3).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// An OLE2 compound file: a Word 97–2003 `.doc` or an old WPS `.wps`.
    #[error(
        "是旧版 Word/WPS 二进制格式（.doc/.wps），无法直接读取。请在 Word 或 WPS 中打开，“另存为”Word 文档（.docx）后再导入"
    )]
    OldBinaryFormat,
    /// A password-protected Office document, or an encrypted PDF that opens only with a password.
    #[error(
        "{0}设置了密码（已加密），无法读取。请在 Word/WPS 或 PDF 阅读器中取消密码后另存，再导入"
    )]
    Encrypted(Format),
    /// An RTF file.
    #[error(
        "是 RTF 格式，无法直接读取。请在 Word 或 WPS 中打开，“另存为”Word 文档（.docx）后再导入"
    )]
    Rtf,
    /// A zip that is not a Word document (e.g. an `.xlsx` or `.pptx`).
    #[error(
        "是压缩包或其他 Office 文件（没有 word/document.xml），不是 Word 文档。请导入 .docx、PDF 或文本文件"
    )]
    NotWordDocument,
    /// A `.docx` or PDF whose structure is broken.
    #[error("{format}已损坏，无法读取。请在 Word/WPS 中重新保存，或另存为文本文件后导入")]
    Damaged {
        /// The format the file claimed to be.
        format: Format,
        /// What the reader found wrong (technical, for the log).
        detail: String,
    },
    /// Over [`MAX_DOCUMENT_BYTES`], or a part inflating past [`MAX_INFLATED_BYTES`].
    #[error(
        "文件过大（{bytes} 字节，上限 {limit} 字节）。一份方案或通知通常只有几十 KB，请确认选择的文件"
    )]
    TooLarge {
        /// Size found (for a part: at least this).
        bytes: usize,
        /// The bound that was passed.
        limit: usize,
    },
    /// The text read is longer than [`MAX_TEXT_BYTES`].
    #[error(
        "文字内容过长（至少 {bytes} 字节，上限 {limit} 字节），不像一份方案或通知。请只导入正文"
    )]
    TextTooLarge {
        /// Size of the text read so far.
        bytes: usize,
        /// [`MAX_TEXT_BYTES`].
        limit: usize,
    },
    /// Bytes that are neither UTF-8, UTF-16 with a BOM, nor GB18030/GBK text (or hold NUL bytes).
    #[error(
        "不是可读的文本（第 {offset} 字节起既不是 UTF-8 也不是 GBK/GB18030 编码）。请导入 .docx、PDF，或另存为 UTF-8 文本"
    )]
    NotText {
        /// Byte offset of the first byte that could not be decoded.
        offset: usize,
    },
    /// A document that holds no text (a PDF of scanned pages, an empty Word document).
    #[error("{0}中没有可提取的文字（扫描件或图片？）。请导入带文字层的 PDF、Word 文档或文本文件")]
    NoText(Format),
}

impl InputError {
    /// Whether the document could not be read at all — a format this build does not read
    /// (`.doc`, RTF, encrypted) or a damaged file — rather than read and found unacceptable.
    /// DESIGN.md §3: the former exits 1, the latter 3.
    pub fn could_not_read(&self) -> bool {
        matches!(
            self,
            InputError::OldBinaryFormat
                | InputError::Encrypted(_)
                | InputError::Rtf
                | InputError::NotWordDocument
                | InputError::Damaged { .. }
        )
    }
}

/// Reads a document's bytes into text, whatever the format (see the module documentation for
/// the formats and bounds). `file_name` is only a hint: a file named `.docx` or `.pdf` whose
/// content is not one is reported as damaged rather than read as text.
///
/// The text keeps the document's line structure: one line per text line, paragraph or table
/// row, joined with `\n`. A byte-order mark is dropped; nothing else is normalized (that is
/// [`crate::normalize::normalize`]'s job).
///
/// # Errors
/// See [`InputError`]; [`InputError::could_not_read`] tells the two families apart.
pub fn read_document(bytes: &[u8], file_name: &str) -> Result<String, InputError> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(InputError::TooLarge {
            bytes: bytes.len(),
            limit: MAX_DOCUMENT_BYTES,
        });
    }
    let text = if bytes.starts_with(b"PK\x03\x04") {
        docx::read_docx(bytes)?
    } else if pdf_header_near_start(bytes) {
        pdf::read_pdf(bytes)?
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(if contains_utf16le(bytes, "EncryptedPackage") {
            InputError::Encrypted(Format::Docx)
        } else {
            InputError::OldBinaryFormat
        });
    } else if bytes.starts_with(b"{\\rtf") {
        return Err(InputError::Rtf);
    } else if let Some(format) = claimed_container(file_name) {
        return Err(InputError::Damaged {
            format,
            detail: "文件头不符".to_string(),
        });
    } else {
        decode_text(bytes)?
    };
    check_text_size(&text)?;
    Ok(text)
}

/// Decodes plain text: a BOM decides (UTF-8, UTF-16 LE, UTF-16 BE); else valid UTF-8 is
/// taken as is; else the bytes are decoded as GB18030 (which contains GBK and GB2312). One
/// incomplete character at the very end (a file cut off mid-character) is dropped. The BOM is
/// not part of the result.
///
/// # Errors
/// [`InputError::NotText`] with the offset of the first undecodable byte, or of the first NUL
/// byte (binary data); [`InputError::TextTooLarge`] above [`MAX_TEXT_BYTES`].
pub fn decode_text(bytes: &[u8]) -> Result<String, InputError> {
    let text = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        String::from_utf8(rest.to_vec()).map_err(|e| InputError::NotText {
            offset: 3 + e.utf8_error().valid_up_to(),
        })?
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        decode_strict(encoding_rs::UTF_16LE, rest, 2)?
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        decode_strict(encoding_rs::UTF_16BE, rest, 2)?
    } else {
        match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) => decode_strict(encoding_rs::GB18030, bytes, 0)?,
        }
    };
    if let Some(pos) = text.find('\0') {
        // Binary data, or UTF-16 without a BOM: both unreadable as a plan.
        let offset = text[..pos].len().min(bytes.len());
        return Err(InputError::NotText { offset });
    }
    check_text_size(&text)?;
    Ok(text)
}

/// Decodes `bytes` (after a BOM of `skipped` bytes) with `encoding`, refusing malformed input
/// except one incomplete character at the end.
fn decode_strict(
    encoding: &'static encoding_rs::Encoding,
    bytes: &[u8],
    skipped: usize,
) -> Result<String, InputError> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(MAX_TEXT_BYTES + 4)
        .min(MAX_TEXT_BYTES + 4);
    let mut out = String::with_capacity(capacity);
    let mut read_total = 0;
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[read_total..], &mut out, true);
        read_total += read;
        match result {
            encoding_rs::DecoderResult::InputEmpty => return Ok(out),
            encoding_rs::DecoderResult::OutputFull => {
                if out.len() > MAX_TEXT_BYTES {
                    return Err(InputError::TextTooLarge {
                        bytes: out.len(),
                        limit: MAX_TEXT_BYTES,
                    });
                }
                out.reserve(out.capacity().max(4096));
            }
            encoding_rs::DecoderResult::Malformed(bad, pending) => {
                let bad_start = read_total - usize::from(bad) - usize::from(pending);
                // A character cut off by the end of the file: drop it.
                if read_total == bytes.len() && bytes.len() - bad_start <= 3 {
                    return Ok(out);
                }
                return Err(InputError::NotText {
                    offset: skipped + bad_start,
                });
            }
        }
    }
}

fn check_text_size(text: &str) -> Result<(), InputError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(InputError::TextTooLarge {
            bytes: text.len(),
            limit: MAX_TEXT_BYTES,
        });
    }
    Ok(())
}

/// PDF readers accept a header within the first 1024 bytes (some files carry junk before it).
fn pdf_header_near_start(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
}

/// The container format a file name claims (`.docx`, `.pdf`), if any.
fn claimed_container(file_name: &str) -> Option<Format> {
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".docx") {
        Some(Format::Docx)
    } else if lower.ends_with(".pdf") {
        Some(Format::Pdf)
    } else {
        None
    }
}

/// Whether `bytes` contain `needle` encoded as UTF-16 LE (OLE2 directory entry names).
fn contains_utf16le(bytes: &[u8], needle: &str) -> bool {
    let pattern: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(pattern.len()).any(|w| w == pattern)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(
            read_document("安全\n".as_bytes(), "a.txt").unwrap(),
            "安全\n"
        );
        assert_eq!(
            read_document(b"\xEF\xBB\xBF\xE5\xAE\x89", "a.txt").unwrap(),
            "安"
        );
    }

    #[test]
    fn gbk_and_gb18030() {
        // "安全生产" in GBK.
        let gbk = [0xB0, 0xB2, 0xC8, 0xAB, 0xC9, 0xFA, 0xB2, 0xFA, b'\n'];
        assert_eq!(read_document(&gbk, "a.txt").unwrap(), "安全生产\n");
        // A four-byte GB18030 sequence (here U+0080) decodes too.
        assert_eq!(decode_text(&[0x81, 0x30, 0x81, 0x30]).unwrap(), "\u{80}");
        // Cut off in the middle of the last character: that character is dropped.
        assert_eq!(decode_text(&gbk[..7]).unwrap(), "安全生");
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("第一阶段\n".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(read_document(&le, "a.txt").unwrap(), "第一阶段\n");
        let mut be = vec![0xFE, 0xFF];
        be.extend("第一阶段".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(read_document(&be, "a.txt").unwrap(), "第一阶段");
    }

    #[test]
    fn binary_is_not_text() {
        assert_eq!(
            read_document(b"ab\0cd", "a.txt"),
            Err(InputError::NotText { offset: 2 })
        );
        // 0xFF is never valid in GB18030.
        let e = read_document(b"abc\xFF\xFFdef", "a.txt").unwrap_err();
        assert_eq!(e, InputError::NotText { offset: 3 });
        assert!(!e.could_not_read());
    }

    #[test]
    fn old_formats_are_refused_with_advice() {
        let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        ole.extend([0; 100]);
        let e = read_document(&ole, "方案.doc").unwrap_err();
        assert_eq!(e, InputError::OldBinaryFormat);
        assert!(e.could_not_read());
        assert!(e.to_string().contains(".docx"));
        ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(
            read_document(&ole, "方案.docx"),
            Err(InputError::Encrypted(Format::Docx))
        );
        assert_eq!(
            read_document(b"{\\rtf1\\ansi", "a.rtf"),
            Err(InputError::Rtf)
        );
    }

    #[test]
    fn a_name_that_lies_is_damaged() {
        let e = read_document("不是压缩包".as_bytes(), "方案.docx").unwrap_err();
        assert!(matches!(
            e,
            InputError::Damaged {
                format: Format::Docx,
                ..
            }
        ));
        assert!(e.could_not_read());
    }

    #[test]
    fn size_bounds() {
        let big = vec![b'a'; MAX_TEXT_BYTES + 1];
        assert!(matches!(
            read_document(&big, "a.txt"),
            Err(InputError::TextTooLarge { .. })
        ));
        let huge = vec![b'a'; MAX_DOCUMENT_BYTES + 1];
        assert!(matches!(
            read_document(&huge, "a.txt"),
            Err(InputError::TooLarge { .. })
        ));
    }
}
