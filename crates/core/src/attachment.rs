//! Evidence attachments: which files are accepted, decided by their content (magic bytes), never
//! by the type the browser claims; and how a file's name is kept (issue #7 item 1; cases B27, B28).
//!
//! Accepted: photos (JPEG, PNG, GIF, WebP), PDF, Word/Excel/PowerPoint documents (`.docx`, `.xlsx`,
//! `.pptx`: a ZIP package whose `[Content_Types].xml` names the OOXML main part), the older
//! binary Office and WPS formats (`.doc`, `.xls`, `.ppt`, `.wps`, `.et`, `.dps`: an OLE2
//! compound file, served as a download only), and plain text. Refused: SVG, HTML, XML and any text
//! that starts with markup or carries a script, macro-enabled Office packages, executables and
//! everything else. A name's extension must agree with the content (a `.pdf` that is an HTML page
//! is refused: case B27).

use std::io::Read;

/// What an accepted file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// JPEG photo.
    Jpeg,
    /// PNG image.
    Png,
    /// GIF image.
    Gif,
    /// WebP image.
    Webp,
    /// PDF document.
    Pdf,
    /// Word document (OOXML, `.docx`).
    Docx,
    /// Excel workbook (OOXML, `.xlsx`).
    Xlsx,
    /// PowerPoint presentation (OOXML, `.pptx`).
    Pptx,
    /// An OLE2 compound file: `.doc`, `.xls`, `.ppt` or WPS `.wps`/`.et`/`.dps`.
    Ole2,
    /// Plain text.
    Text,
}

impl FileKind {
    /// Every kind, for stored codes.
    pub const ALL: [FileKind; 10] = [
        FileKind::Jpeg,
        FileKind::Png,
        FileKind::Gif,
        FileKind::Webp,
        FileKind::Pdf,
        FileKind::Docx,
        FileKind::Xlsx,
        FileKind::Pptx,
        FileKind::Ole2,
        FileKind::Text,
    ];

    /// Whether browsers show it as a picture (thumbnails are made of these).
    pub fn is_image(self) -> bool {
        matches!(
            self,
            FileKind::Jpeg | FileKind::Png | FileKind::Gif | FileKind::Webp
        )
    }

    /// Stable code stored with the attachment.
    pub fn code(self) -> &'static str {
        match self {
            FileKind::Jpeg => "jpeg",
            FileKind::Png => "png",
            FileKind::Gif => "gif",
            FileKind::Webp => "webp",
            FileKind::Pdf => "pdf",
            FileKind::Docx => "docx",
            FileKind::Xlsx => "xlsx",
            FileKind::Pptx => "pptx",
            FileKind::Ole2 => "ole2",
            FileKind::Text => "text",
        }
    }

    /// Parses a [`FileKind::code`].
    pub fn from_code(code: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Short label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Jpeg | FileKind::Png | FileKind::Gif | FileKind::Webp => "图片",
            FileKind::Pdf => "PDF",
            FileKind::Docx => "Word",
            FileKind::Xlsx => "Excel",
            FileKind::Pptx => "PPT",
            FileKind::Ole2 => "Office/WPS",
            FileKind::Text => "文本",
        }
    }

    /// Extensions (lower case, without the dot) a name of this kind may carry.
    fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Jpeg => &["jpg", "jpeg", "jpe", "jfif"],
            FileKind::Png => &["png"],
            FileKind::Gif => &["gif"],
            FileKind::Webp => &["webp"],
            FileKind::Pdf => &["pdf"],
            FileKind::Docx => &["docx"],
            FileKind::Xlsx => &["xlsx"],
            FileKind::Pptx => &["pptx"],
            FileKind::Ole2 => &["doc", "xls", "ppt", "wps", "et", "dps"],
            FileKind::Text => &["txt", "text", "log", "csv"],
        }
    }

    /// The `Content-Type` a download of this kind is served with. `ext` (lower case) chooses
    /// among the OLE2 formats; a type that is unknown or could be rendered is never returned:
    /// text is `text/plain`, the rest are document or image types browsers do not run.
    pub fn content_type(self, ext: &str) -> &'static str {
        match self {
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Gif => "image/gif",
            FileKind::Webp => "image/webp",
            FileKind::Pdf => "application/pdf",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            FileKind::Ole2 => match ext {
                "doc" => "application/msword",
                "xls" => "application/vnd.ms-excel",
                "ppt" => "application/vnd.ms-powerpoint",
                _ => "application/octet-stream",
            },
            FileKind::Text => "text/plain; charset=utf-8",
        }
    }
}

/// Why a file is refused. The message (Chinese) names the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// Nothing was sent.
    #[error("文件“{0}”是空文件")]
    Empty(String),
    /// A kind that can carry script (SVG, HTML, XML, JavaScript …).
    #[error("文件“{0}”可能含有脚本（SVG、HTML 等网页类文件），不能作为附件上传")]
    Script(String),
    /// The extension names a type the content is not (e.g. a `.pdf` that is a web page).
    #[error("文件“{name}”的内容不是{claimed}文件，已拒绝上传（请上传原始文件，不要修改扩展名）")]
    Mismatch {
        /// The file name.
        name: String,
        /// What the extension claims, in words (`PDF`, `Word` …).
        claimed: &'static str,
    },
    /// Spreadsheet text (`.csv`) with a cell a spreadsheet would run as a formula.
    #[error(
        "文件“{name}”第 {line} 行有以 =、+、-、@ 开头的单元格，用 Excel 或 WPS 打开时会被当作公式执行，已拒绝上传（请另存为 Excel 或 PDF 文件后上传）"
    )]
    Formula {
        /// The file name.
        name: String,
        /// The first such line (1-based).
        line: usize,
    },
    /// Content of a type we do not accept.
    #[error(
        "文件“{0}”的类型不在允许范围内（允许：JPG/PNG/GIF/WebP 图片、PDF、Word/Excel/PPT、WPS、纯文本）"
    )]
    Unsupported(String),
}

/// The result of sniffing an accepted file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniffed {
    /// What the content is.
    pub kind: FileKind,
    /// The `Content-Type` it is served with ([`FileKind::content_type`]).
    pub content_type: &'static str,
}

/// Longest file name kept, in characters (common file systems allow 255).
pub const MAX_NAME_CHARS: usize = 200;

/// The name kept for an uploaded file: the part after the last `/` or `\` (some browsers send a
/// path), without control characters and without the invisible bidirectional and zero-width
/// formatting characters ([`is_invisible_format`]: `photo\u{202E}gnp.exe` would show as
/// `photoexe.png`), trimmed, at most [`MAX_NAME_CHARS`] characters (the extension kept);
/// everything else exactly as sent — Chinese, full-width brackets, `#`, spaces (case B28). An
/// empty result becomes `附件`.
pub fn clean_name(sent: &str) -> String {
    let base = sent.rsplit(['/', '\\']).next().unwrap_or_default();
    let no_ctrl: String = base
        .chars()
        .filter(|c| !c.is_control() && !is_invisible_format(*c))
        .collect();
    let trimmed = no_ctrl.trim();
    if trimmed.is_empty() || trimmed == "." || trimmed == ".." {
        return "附件".into();
    }
    if trimmed.chars().count() <= MAX_NAME_CHARS {
        return trimmed.to_string();
    }
    let ext = extension(trimmed);
    let keep = MAX_NAME_CHARS - ext.chars().count() - 1;
    let stem: String = trimmed.chars().take(keep).collect();
    format!("{stem}.{ext}")
}

/// Whether `c` is an invisible formatting character that can make a name read as something it
/// is not: the bidirectional marks, embeddings, overrides and isolates (Unicode UAX #9: U+061C,
/// U+200E–U+200F, U+202A–U+202E, U+2066–U+2069), the zero-width characters (U+200B–U+200D,
/// U+2060–U+2064, U+FEFF) and the deprecated format characters U+206A–U+206F.
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
    )
}

/// The name a file is stored and served under: `name` when its extension is one of the sniffed
/// kind's, otherwise `name` with the kind's usual extension added (`x.exe` holding a PNG is
/// kept as `x.exe.png`, `扫描件` as `扫描件.png`), so that the name a person downloads never
/// claims another type than the content (issue #16 point 3).
pub fn stored_name(name: &str, kind: FileKind) -> String {
    let ext = extension(name);
    let known = kind.extensions();
    if known.contains(&ext.as_str()) {
        return name.to_string();
    }
    let added = known[0];
    let keep = MAX_NAME_CHARS - added.chars().count() - 1;
    let stem: String = name.chars().take(keep).collect();
    format!("{stem}.{added}")
}

/// The extension of a name, lower case, without the dot (`""` when there is none).
pub fn extension(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.is_empty() && ext.len() <= 8 => {
            ext.to_ascii_lowercase()
        }
        _ => String::new(),
    }
}

/// Extensions refused whatever the content: kinds a browser may render or run.
const SCRIPT_EXTENSIONS: [&str; 12] = [
    "svg", "svgz", "html", "htm", "xhtml", "shtml", "xml", "js", "mjs", "hta", "xht", "swf",
];

/// Decides what `bytes` are from their content; `name` is the cleaned name, whose extension must
/// agree with the content.
///
/// # Errors
/// [`Refused`] with a message naming the file.
pub fn sniff(name: &str, bytes: &[u8]) -> Result<Sniffed, Refused> {
    let ext = extension(name);
    if bytes.is_empty() {
        return Err(Refused::Empty(name.into()));
    }
    if SCRIPT_EXTENSIONS.contains(&ext.as_str()) {
        return Err(Refused::Script(name.into()));
    }
    let kind = match content_kind(bytes) {
        Content::Kind(k) => k,
        Content::Markup => {
            // A name claiming a document type gets the clearer "not a PDF" message (B27).
            return Err(match claimed(&ext) {
                Some(k) if k != FileKind::Text => Refused::Mismatch {
                    name: name.into(),
                    claimed: k.label(),
                },
                _ => Refused::Script(name.into()),
            });
        }
        Content::Unknown => {
            return Err(match claimed(&ext) {
                Some(k) => Refused::Mismatch {
                    name: name.into(),
                    claimed: k.label(),
                },
                None => Refused::Unsupported(name.into()),
            });
        }
    };
    if !ext.is_empty() && !kind.extensions().contains(&ext.as_str()) {
        return Err(match claimed(&ext) {
            Some(k) => Refused::Mismatch {
                name: name.into(),
                claimed: k.label(),
            },
            // An OLE2 file or text under a name we do not know: nothing says what it is.
            None if matches!(kind, FileKind::Ole2 | FileKind::Text) => {
                Refused::Unsupported(name.into())
            }
            // A photo or document under another name (`scan.bin`) is served by its content.
            None => {
                return Ok(Sniffed {
                    kind,
                    content_type: kind.content_type(&ext),
                });
            }
        });
    }
    if ext.is_empty() && kind == FileKind::Ole2 {
        return Err(Refused::Unsupported(name.into()));
    }
    if kind == FileKind::Text
        && SPREADSHEET_TEXT.contains(&ext.as_str())
        && let Some(line) = formula_line(bytes)
    {
        return Err(Refused::Formula {
            name: name.into(),
            line,
        });
    }
    Ok(Sniffed {
        kind,
        content_type: kind.content_type(&ext),
    })
}

/// Text extensions a spreadsheet opens by double-click (Excel and WPS evaluate a cell that
/// starts with `=`, `+`, `-` or `@` as a formula: OWASP "CSV Injection").
const SPREADSHEET_TEXT: [&str; 1] = ["csv"];

/// The first line (1-based) of comma-, semicolon- or tab-separated text with a cell that a
/// spreadsheet would run: one starting (after spaces and an opening quote) with `=`, `＝` or
/// `@`, or with `+` or `-` and holding a character that makes a call or a reference (`(`,
/// `!`, `|`, `=`, `@`) — so `-5`, `+86 138…` and `-1层配电室未铺设绝缘胶垫` (case B11) stay
/// accepted while `+1+cmd|' /C calc'!A0` is caught. Cells are split without regard to
/// quoting, which can only refuse more, never less.
fn formula_line(bytes: &[u8]) -> Option<usize> {
    let text = String::from_utf8_lossy(bytes);
    text.lines()
        .position(|line| {
            line.split([',', ';', '\t']).any(|cell| {
                let cell = cell.trim_start_matches([' ', '"', '\'', '\u{feff}']);
                match cell.chars().next() {
                    Some('=' | '＝' | '@') => true,
                    Some('+' | '-') => cell.contains(['(', '!', '|', '=', '@']),
                    _ => false,
                }
            })
        })
        .map(|i| i + 1)
}

/// The kind an extension claims, if it is one we know.
fn claimed(ext: &str) -> Option<FileKind> {
    FileKind::ALL
        .into_iter()
        .find(|k| k.extensions().contains(&ext))
}

enum Content {
    Kind(FileKind),
    /// Text that starts with markup or carries a script.
    Markup,
    Unknown,
}

/// OLE2 compound file signature ([MS-CFB] 2.2).
const OLE2_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn content_kind(b: &[u8]) -> Content {
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Content::Kind(FileKind::Jpeg);
    }
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Content::Kind(FileKind::Png);
    }
    if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        return Content::Kind(FileKind::Gif);
    }
    if b.len() >= 12 && &b[0..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        return Content::Kind(FileKind::Webp);
    }
    if b.starts_with(b"%PDF-") {
        return Content::Kind(FileKind::Pdf);
    }
    if b.starts_with(&OLE2_MAGIC) {
        return Content::Kind(FileKind::Ole2);
    }
    if b.starts_with(b"PK\x03\x04") {
        return ooxml_kind(b).map_or(Content::Unknown, Content::Kind);
    }
    text_kind(b)
}

/// The OOXML main part content types (ECMA-376 Part 1, 11.3 / 12.3 / 13.3). Macro-enabled
/// packages (`.docm`, `.xlsm`) name other types and are refused.
const OOXML_MAIN: [(&str, FileKind); 3] = [
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        FileKind::Docx,
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        FileKind::Xlsx,
    ),
    (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        FileKind::Pptx,
    ),
];

/// Largest `[Content_Types].xml` read (a real one is a few kilobytes).
const MAX_CONTENT_TYPES: u64 = 1024 * 1024;

fn ooxml_kind(b: &[u8]) -> Option<FileKind> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(b)).ok()?;
    let entry = zip.by_name("[Content_Types].xml").ok()?;
    let mut xml = String::new();
    entry
        .take(MAX_CONTENT_TYPES)
        .read_to_string(&mut xml)
        .ok()?;
    if xml.contains("macroEnabled") {
        return None;
    }
    OOXML_MAIN
        .into_iter()
        .find(|(ct, _)| xml.contains(ct))
        .map(|(_, k)| k)
}

/// Text: no NUL or other control bytes but tab, line breaks and form feed; UTF-8 or another
/// byte encoding (GBK text is common and stays as sent). Refused as markup when the first
/// visible character is `<` or a script tag appears anywhere.
fn text_kind(b: &[u8]) -> Content {
    let body = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
    if body
        .iter()
        .any(|&c| c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A) || c == 0x7F)
    {
        return Content::Unknown;
    }
    let first = body.iter().find(|c| !c.is_ascii_whitespace());
    let lower = body.to_ascii_lowercase();
    let has = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
    if first == Some(&b'<') || has(b"<script") || has(b"<svg") || has(b"javascript:") {
        return Content::Markup;
    }
    Content::Kind(FileKind::Text)
}

/// The `Content-Disposition` header value of a download: always `attachment` (never rendered
/// inline from our origin), an ASCII fallback `filename` and the exact name as `filename*`
/// (RFC 6266 §4.3, RFC 5987 / RFC 8187 `UTF-8''` percent-encoding).
pub fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' && c != '%' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for byte in name.bytes() {
        // attr-char of RFC 8187 §3.2.1.
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_with(content_types: &str) -> Vec<u8> {
        use std::io::Write;
        let mut out = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut out);
        z.start_file(
            "[Content_Types].xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        z.write_all(content_types.as_bytes()).unwrap();
        z.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn magic_bytes_decide() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(sniff("现场照片.png", png).unwrap().kind, FileKind::Png);
        assert_eq!(
            sniff("照片.JPG", b"\xFF\xD8\xFF\xE0\0\x10JFIF")
                .unwrap()
                .content_type,
            "image/jpeg"
        );
        assert_eq!(
            sniff("a.pdf", b"%PDF-1.7\n...").unwrap().kind,
            FileKind::Pdf
        );
        let mut ole = OLE2_MAGIC.to_vec();
        ole.extend_from_slice(&[0; 32]);
        let wps = sniff("制度汇编.wps", &ole).unwrap();
        assert_eq!(
            (wps.kind, wps.content_type),
            (FileKind::Ole2, "application/octet-stream")
        );
        assert_eq!(
            sniff("台账.xls", &ole).unwrap().content_type,
            "application/vnd.ms-excel"
        );
        assert_eq!(
            sniff("台账.et", &ole).unwrap().content_type,
            "application/octet-stream"
        );
        // A photo under a name we do not know is served by its content.
        assert_eq!(sniff("scan.bin", png).unwrap().kind, FileKind::Png);
    }

    #[test]
    fn ooxml_by_content_types() {
        let docx = zip_with(&format!(
            "<Types><Override ContentType=\"{}\"/></Types>",
            OOXML_MAIN[0].0
        ));
        assert_eq!(sniff("报告.docx", &docx).unwrap().kind, FileKind::Docx);
        assert!(matches!(
            sniff("报告.xlsx", &docx),
            Err(Refused::Mismatch {
                claimed: "Excel",
                ..
            })
        ));
        let macro_doc = zip_with(
            "<Types><Override ContentType=\"application/vnd.ms-word.document.macroEnabled.main+xml\"/></Types>",
        );
        assert!(sniff("宏.docx", &macro_doc).is_err());
        let plain_zip = zip_with("x");
        assert_eq!(
            sniff("a.zip", &plain_zip),
            Err(Refused::Unsupported("a.zip".into()))
        );
    }

    #[test]
    fn b27_spoofed_pdf_and_svg_probe_are_refused() {
        let spoof = b"<html><body><script>document.title='PDF-SPOOF-EXECUTED'</script>this is not a PDF</body></html>\n";
        let e = sniff("B27_spoofed_检查记录.pdf", spoof).unwrap_err();
        assert_eq!(
            e.to_string(),
            "文件“B27_spoofed_检查记录.pdf”的内容不是PDF文件，已拒绝上传（请上传原始文件，不要修改扩展名）"
        );
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>"#;
        assert_eq!(
            sniff("B27_upload_probe.svg", svg),
            Err(Refused::Script("B27_upload_probe.svg".into()))
        );
        // The same SVG renamed to .txt or .png is still refused.
        assert!(matches!(sniff("probe.txt", svg), Err(Refused::Script(_))));
        assert!(matches!(
            sniff("probe.png", svg),
            Err(Refused::Mismatch {
                claimed: "图片",
                ..
            })
        ));
        assert!(matches!(
            sniff("note.txt", b"hello <SCRIPT>alert(1)</script>"),
            Err(Refused::Script(_))
        ));
        assert!(matches!(
            sniff("a.exe", b"MZ\x90\0\x03\0\0\0"),
            Err(Refused::Unsupported(_))
        ));
    }

    #[test]
    fn text_is_accepted_in_utf8_and_gbk() {
        let b28 = "示例附件内容：用于测试中文、全角括号、#号和空格的文件名上传与下载。\n";
        let s = sniff("B28_整改报告（第1批）#附件 1.txt", b28.as_bytes()).unwrap();
        assert_eq!(
            (s.kind, s.content_type),
            (FileKind::Text, "text/plain; charset=utf-8")
        );
        // "整改" in GBK.
        assert_eq!(
            sniff("gbk.txt", &[0xD5, 0xFB, 0xB8, 0xC4]).unwrap().kind,
            FileKind::Text
        );
        assert!(matches!(sniff("empty.txt", b""), Err(Refused::Empty(_))));
    }

    #[test]
    fn b28_name_is_kept_exactly() {
        let name = "B28_整改报告（第1批）#附件 1.txt";
        assert_eq!(clean_name(name), name);
        assert_eq!(clean_name(&format!("C:\\fakepath\\{name}")), name);
        assert_eq!(clean_name("a/b/../报告\u{0}.pdf"), "报告.pdf");
        assert_eq!(clean_name("  "), "附件");
        let long = format!("{}.pdf", "长".repeat(300));
        let kept = clean_name(&long);
        assert_eq!(kept.chars().count(), MAX_NAME_CHARS);
        assert!(kept.ends_with("长.pdf"));
    }

    #[test]
    fn names_that_lie_are_made_true() {
        // A right-to-left override would show `photo\u{202E}gnp.exe` as `photoexe.png`.
        assert_eq!(clean_name("photo\u{202E}gnp.exe"), "photognp.exe");
        assert_eq!(
            clean_name("\u{2067}报告\u{200B}\u{FEFF}.pdf\u{2069}"),
            "报告.pdf"
        );
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        for (sent, kept) in [
            ("x.exe", "x.exe.png"),
            ("x.scr", "x.scr.png"),
            ("photo\u{202E}gnp.exe", "photognp.exe.png"),
            ("扫描件", "扫描件.png"),
            ("现场.PNG", "现场.PNG"),
        ] {
            let name = clean_name(sent);
            let kind = sniff(&name, png).unwrap().kind;
            assert_eq!(stored_name(&name, kind), kept, "{sent}");
        }
        assert_eq!(stored_name("记录", FileKind::Text), "记录.txt");
        assert_eq!(stored_name("照片.jpeg", FileKind::Jpeg), "照片.jpeg");
        let long = format!("{}.exe", "长".repeat(198));
        let kept = stored_name(&clean_name(&long), FileKind::Png);
        assert_eq!(kept.chars().count(), MAX_NAME_CHARS);
        assert!(kept.ends_with(".png"));
    }

    #[test]
    fn spreadsheet_text_with_formulas_is_refused() {
        let b11 = include_bytes!("../../roster/tests/cases/B11_hazards_formula_injection.csv");
        assert_eq!(
            sniff("B11_hazards_formula_injection.csv", b11),
            Err(Refused::Formula {
                name: "B11_hazards_formula_injection.csv".into(),
                line: 2
            })
        );
        for (text, line) in [
            ("企业,隐患\n甲,\"=cmd|' /C calc'!A0\"\n", Some(2)),
            ("a,+1+cmd|' /C calc'!A0\n", Some(1)),
            ("a;@SUM(1,1)\n", Some(1)),
            ("a\t＝1+1\n", Some(1)),
            (
                "企业,楼层\n丁,-1层配电室未铺设绝缘胶垫\n戊,-5\n己,+86 138 0000 0000\n",
                None,
            ),
        ] {
            let got = sniff("台账.csv", text.as_bytes());
            match line {
                Some(line) => assert_eq!(
                    got,
                    Err(Refused::Formula {
                        name: "台账.csv".into(),
                        line
                    }),
                    "{text}"
                ),
                None => assert_eq!(got.unwrap().kind, FileKind::Text, "{text}"),
            }
        }
        // The same text as a note (.txt) is not opened by a spreadsheet: kept as sent.
        assert_eq!(
            sniff("说明.txt", "=====\n标题\n".as_bytes()).unwrap().kind,
            FileKind::Text
        );
        assert!(
            Refused::Formula {
                name: "台账.csv".into(),
                line: 2
            }
            .to_string()
            .starts_with("文件“台账.csv”第 2 行有以 =、+、-、@ 开头的单元格")
        );
    }

    #[test]
    fn content_disposition_rfc6266() {
        assert_eq!(
            content_disposition("B28_整改报告（第1批）#附件 1.txt"),
            "attachment; filename=\"B28_______1__#__ 1.txt\"; \
             filename*=UTF-8''B28_%E6%95%B4%E6%94%B9%E6%8A%A5%E5%91%8A%EF%BC%88%E7%AC%AC1%E6%89%B9%EF%BC%89#%E9%99%84%E4%BB%B6%201.txt"
        );
        assert_eq!(
            content_disposition("a\"b.pdf"),
            "attachment; filename=\"a_b.pdf\"; filename*=UTF-8''a%22b.pdf"
        );
    }
}
