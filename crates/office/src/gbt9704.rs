//! Official documents laid out after GB/T 9704-2012 (党政机关公文格式), as Word `.docx`.
//!
//! [`Document`] is a builder: the page of 5.1–5.2 (A4, margins top 37 mm, bottom 35 mm, left 28 mm,
//! right 26 mm, a 156 mm × 225 mm type area of 22 lines × 28 characters), then blocks in reading
//! order — the title (7.3.1), a document number (7.2.5), the addressee (7.3.2), body paragraphs
//! and headings (7.3.3), a form's fields and bordered tables ([`Table`]), the attachment note
//! (7.3.4), lines for handwritten signatures, the signature and date (7.3.5.2) or the issuer and
//! date under a seal (7.3.5.1) — and the page number in the footer (7.5). A correction order, say:
//!
//! ```
//! use safeduty_office::gbt9704::{Document, date_cn};
//! # fn main() -> Result<(), safeduty_office::Error> {
//! let day = chrono::NaiveDate::from_ymd_opt(2024, 7, 15).unwrap();
//! let docx: Vec<u8> = Document::new()
//!     .title("责令限期整改指令书")
//!     .doc_number("（青）应急责改〔2024〕12号")
//!     .addressee("示例机械制造有限公司：")
//!     .paragraph("经查，你单位存在下列问题：")
//!     .heading(1, "一、安全生产管理人员未如实记录安全生产教育和培训情况。")
//!     .paragraph(format!("现责令你单位于{}前整改完毕。", date_cn(day)))
//!     .signature("青秀区应急管理局", day)
//!     .to_docx()?;
//! # assert!(docx.starts_with(b"PK"));
//! # Ok(()) }
//! ```
//!
//! Units: twips (1/20 pt) for lengths, half-points for type sizes (see [`size`]). Every run names
//! its typeface ([`Font`]); the package's font table carries each face's alternate names, so a
//! machine without 仿宋_GB2312 shows 仿宋 rather than a default face.

mod fonts;

use chrono::{Datelike, NaiveDate};
use docx_rs::{
    AlignmentType, BorderType, BreakType, Docx, FieldCharType, Footer, InstrPAGE, InstrText,
    LineSpacing, LineSpacingType, PageMargin, Paragraph, Run, RunFonts, SpecialIndentType,
    TableBorder, TableBorderPosition, TableBorders, TableCell, TableCellMargins, TableLayoutType,
    TableRow, VAlignType, WidthType,
};

pub use fonts::{ALL as FONTS, FANGSONG, Font, HEITI, KAITI, SONGTI, XIAOBIAOSONG, part};

use crate::Error;

/// Twips in `v` millimetres, rounded (1 inch = 25.4 mm = 1440 twips).
pub fn mm(v: f64) -> i32 {
    (v * 1440.0 / 25.4).round() as i32
}

/// Chinese type sizes (字号) in half-points, the unit of Word's `w:sz`.
pub mod size {
    /// 2号, 22 pt: the title (7.3.1).
    pub const NO_2: usize = 44;
    /// 3号, 16 pt: body text and most elements (5.2.2).
    pub const NO_3: usize = 32;
    /// 4号, 14 pt: page numbers (7.5), and the default of a table's text.
    pub const NO_4: usize = 28;
    /// 小4号, 12 pt: dense tables.
    pub const SMALL_NO_4: usize = 24;
    /// 小5号, 9 pt: small print, such as a record in the footer.
    pub const SMALL_NO_5: usize = 18;
}

/// A4 (5.1) portrait, width and height in twips (210 mm × 297 mm).
pub const A4: (u32, u32) = (11906, 16838);

/// Margins (5.2.1) in millimetres: top (天头) 37, bottom 35, left (订口) 28, right 26; the type
/// area (版心) is 156 mm × 225 mm.
pub const MARGINS_MM: Margins = Margins {
    top: 37.0,
    bottom: 35.0,
    left: 28.0,
    right: 26.0,
};

/// Page margins in millimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    /// Top edge to the type area.
    pub top: f64,
    /// Type area to the bottom edge.
    pub bottom: f64,
    /// Left (binding) edge to the type area.
    pub left: f64,
    /// Type area to the right edge.
    pub right: f64,
}

/// Line pitch of 22 lines in the 225 mm type area (5.2.3), in twips: 579 (28.95 pt).
pub const LINE_PITCH: i32 = 579;

/// Character spacing of body text, in twentieths of a point: −0.25 pt, so that 28 characters of
/// 3号 (16 pt) fit the 156 mm line (5.2.3: 28 × 15.75 pt = 441 pt of 442.2).
pub const CHAR_SPACING: i32 = -5;

/// Width of the type area (版心, 5.2.1), in twips: 156 mm.
pub const TYPE_WIDTH: i32 = 8844;

/// The advance of one body character (一字, the standard's unit of horizontal distance, 3.1),
/// in twips: 16 pt + [`CHAR_SPACING`].
pub const CHAR: i32 = 320 + CHAR_SPACING;

/// Footer distance from the page's bottom edge when the footer holds the page number, in twips:
/// 25.5 mm, so that the dashes, in the middle of a 14 pt line, stand 7 mm below the type area
/// (7.5: 一字线上距版心下边缘7 mm).
pub const PAGE_NUMBER_FOOTER: i32 = 1446;

/// A date as GB/T 9704 writes it (7.3.5.4): Arabic numerals, the year in full, month and day
/// without a leading zero — `2024年6月20日`.
pub fn date_cn(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// Whether `c` is full-width (Chinese characters, full-width punctuation): one character of
/// body text; anything else (digits, Latin letters) is half a character.
fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA960..=0xA97F | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE10..=0xFE19 | 0xFE30..=0xFE6F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6
        | 0x2014 | 0x2026 | 0x201C | 0x201D | 0x2018 | 0x2019
        | 0x20000..=0x3FFFD)
}

/// The width of `s` in half characters of body text: 2 for a full-width character, 1 for
/// anything else.
pub fn half_widths(s: &str) -> i32 {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

/// The width of `s` as Word and WPS set it, in twips of body text: [`half_widths`] plus the
/// quarter character they add by default where Chinese meets digits or Latin letters
/// (`w:autoSpaceDE`, `w:autoSpaceDN`), as in `2024年7月15日`.
pub fn set_width(s: &str) -> i32 {
    let boundaries = s
        .chars()
        .zip(s.chars().skip(1))
        .filter(|(a, b)| is_wide(*a) != is_wide(*b))
        .count() as i32;
    (2 * half_widths(s) + boundaries) * CHAR / 4
}

/// A column of a [`Table`]: its share of the type area's width and how its cells are aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The column's width relative to the other columns' (the table spans the type area).
    pub weight: u32,
    /// Whether the column's cells are centred (a number, a short result); else flush left.
    pub centered: bool,
}

impl Column {
    /// A column of `weight` with its cells flush left (running text).
    pub fn left(weight: u32) -> Column {
        Column {
            weight,
            centered: false,
        }
    }

    /// A column of `weight` with its cells centred (a number, a short result).
    pub fn centered(weight: u32) -> Column {
        Column {
            weight,
            centered: true,
        }
    }
}

/// A bordered table across the type area, in a smaller type than the body so that a row of
/// several columns stays readable: a header row in 黑体, then rows in 仿宋, at [`size::NO_4`]
/// unless set otherwise,
/// each row kept whole on one page, long text wrapping inside its cell. A row has one cell a
/// column: missing cells are left empty, cells past the last column are not printed. A `\n` in a
/// cell breaks the line there.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    columns: Vec<Column>,
    header: Option<Vec<String>>,
    rows: Vec<Vec<String>>,
    size: usize,
}

impl Table {
    /// An empty table of `columns`.
    pub fn new(columns: impl IntoIterator<Item = Column>) -> Table {
        Table {
            columns: columns.into_iter().collect(),
            header: None,
            rows: Vec::new(),
            size: size::NO_4,
        }
    }

    /// Sets the header row (centred, 黑体).
    pub fn header<I>(mut self, cells: I) -> Table
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.header = Some(cells.into_iter().map(Into::into).collect());
        self
    }

    /// Appends a row.
    pub fn row<I>(mut self, cells: I) -> Table
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.rows.push(cells.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the type size of every cell, in half-points (default [`size::NO_4`]).
    pub fn size(mut self, half_points: usize) -> Table {
        self.size = half_points;
        self
    }

    /// The columns' widths in twips: the type area's width shared by weight, the rounding left
    /// to the last column, so that the table is exactly as wide as the type area.
    pub fn widths(&self) -> Vec<i32> {
        let total: i64 = self
            .columns
            .iter()
            .map(|c| i64::from(c.weight.max(1)))
            .sum();
        let mut widths: Vec<i32> = self
            .columns
            .iter()
            .map(|c| (i64::from(TYPE_WIDTH) * i64::from(c.weight.max(1)) / total.max(1)) as i32)
            .collect();
        let used: i32 = widths.iter().sum();
        if let Some(last) = widths.last_mut() {
            *last += TYPE_WIDTH - used;
        }
        widths
    }

    /// The line pitch inside the cells, in twips: 1.3 times the type size.
    fn line_pitch(&self) -> i32 {
        self.size as i32 * 13
    }

    fn to_table(&self) -> docx_rs::Table {
        let widths = self.widths();
        let cell = |text: &str, i: usize, header: bool| {
            let font = if header { HEITI } else { FANGSONG };
            let mut p = Paragraph::new().line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Exact)
                    .line(self.line_pitch()),
            );
            if header || self.columns[i].centered {
                p = p.align(AlignmentType::Center);
            }
            for (n, line) in text.split('\n').enumerate() {
                if n > 0 {
                    p = p.add_run(
                        Run::new()
                            .add_break(BreakType::TextWrapping)
                            .size(self.size)
                            .fonts(fonts_of(font)),
                    );
                }
                if !line.is_empty() {
                    p = p.add_run(run(line, font, self.size));
                }
            }
            TableCell::new()
                .width(widths[i] as usize, WidthType::Dxa)
                .vertical_align(VAlignType::Center)
                .add_paragraph(p)
        };
        let row = |cells: &[String], header: bool| {
            let cells = (0..self.columns.len())
                .map(|i| cell(cells.get(i).map_or("", String::as_str), i, header))
                .collect();
            TableRow::new(cells).cant_split()
        };
        let rows = self
            .header
            .iter()
            .map(|h| row(h, true))
            .chain(self.rows.iter().map(|r| row(r, false)))
            .collect();
        let line = |position| {
            TableBorder::new(position)
                .border_type(BorderType::Single)
                .size(4)
        };
        let borders = [
            TableBorderPosition::Top,
            TableBorderPosition::Left,
            TableBorderPosition::Bottom,
            TableBorderPosition::Right,
            TableBorderPosition::InsideH,
            TableBorderPosition::InsideV,
        ]
        .into_iter()
        .fold(TableBorders::with_empty(), |b, position| {
            b.set(line(position))
        });
        docx_rs::Table::new(rows)
            .set_grid(widths.iter().map(|w| *w as usize).collect())
            .width(TYPE_WIDTH as usize, WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .set_borders(borders)
            .margins(TableCellMargins::new().margin(40, 85, 40, 85))
    }
}

/// What a block is; how it is laid out is [`Document::paragraph_of`].
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Title,
    DocNumber,
    Addressee,
    /// Flush left, without indent.
    Line,
    Body,
    Heading(u8),
    Blank,
    /// Flush right.
    Right,
    /// Left-aligned, `left` twips from the type area's left edge; may run two characters into
    /// the right margin rather than break (a date set wider than estimated).
    Left {
        left: i32,
    },
    /// Lines `left` twips from the left edge, the first line `hanging` twips less: an
    /// attachment line, a form's field.
    Hanging {
        left: i32,
        hanging: i32,
    },
    /// A bordered table; the block's text is unused.
    Table(Table),
}

#[derive(Debug, Clone)]
struct Block {
    kind: Kind,
    text: String,
    keep_next: bool,
}

/// What the footer of every page holds.
#[derive(Debug, Clone)]
enum Foot {
    PageNumber,
    Note(String),
}

/// A GB/T 9704 document under construction: call the block methods in reading order, then
/// [`Document::to_docx`]. Every method takes and returns the document, so a document is one
/// expression.
#[derive(Debug, Clone)]
pub struct Document {
    line_pitch: i32,
    blocks: Vec<Block>,
    foot: Foot,
    properties: Vec<(String, String)>,
}

impl Default for Document {
    fn default() -> Self {
        Self::new()
    }
}

impl Document {
    /// An empty document on the GB/T 9704 page (5.1, 5.2): A4, the standard's margins, 22 lines of
    /// 28 characters, the page number in the footer (7.5).
    pub fn new() -> Document {
        Document {
            line_pitch: LINE_PITCH,
            blocks: Vec::new(),
            foot: Foot::PageNumber,
            properties: Vec::new(),
        }
    }

    /// Sets the line pitch in twips (default [`LINE_PITCH`], 22 lines a page). A document that
    /// must hold more on a page, such as a one-page pledge, may set a tighter pitch: 520 (26 pt)
    /// gives 24 lines.
    pub fn line_pitch(mut self, twips: i32) -> Document {
        self.line_pitch = twips;
        self
    }

    /// Replaces the page number with `text` in small print (小5号 仿宋) at the foot of every page,
    /// 12 mm from the bottom edge: a record that lets a printed copy be checked, for instance.
    pub fn footer_note(mut self, text: impl Into<String>) -> Document {
        self.foot = Foot::Note(text.into());
        self
    }

    fn push(mut self, kind: Kind, text: impl Into<String>, keep_next: bool) -> Document {
        self.blocks.push(Block {
            kind,
            text: text.into(),
            keep_next,
        });
        self
    }

    /// The title (7.3.1): 2号 小标宋, centred, one blank line below. A `\n` in `text` breaks the
    /// line there (long titles are broken by meaning, in a trapezoid or diamond shape).
    pub fn title(self, text: impl Into<String>) -> Document {
        self.push(Kind::Title, text, false)
    }

    /// The document number (发文字号, 7.2.5): centred, e.g. `青应急〔2024〕12号` — the year in
    /// full in 〔〕, the number without 第 and without leading zeros.
    pub fn doc_number(self, text: impl Into<String>) -> Document {
        self.push(Kind::DocNumber, text, false)
    }

    /// The addressee (主送机关, 7.3.2): flush left, ending in a full-width colon.
    pub fn addressee(self, text: impl Into<String>) -> Document {
        self.push(Kind::Addressee, text, false)
    }

    /// A body paragraph (7.3.3): 3号 仿宋, the first line indented two characters.
    pub fn paragraph(self, text: impl Into<String>) -> Document {
        self.push(Kind::Body, text, false)
    }

    /// Body paragraphs, one for each item.
    pub fn paragraphs<I>(self, texts: I) -> Document
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        texts.into_iter().fold(self, Document::paragraph)
    }

    /// A heading inside the text (7.3.3), indented like a paragraph and kept with the next one:
    /// level 1 (`一、`) in 黑体, level 2 (`（一）`) in 楷体, levels 3 (`1.`) and 4 (`（1）`) in
    /// 仿宋. A level outside 1..=4 counts as 4.
    pub fn heading(self, level: u8, text: impl Into<String>) -> Document {
        self.push(Kind::Heading(level.clamp(1, 4)), text, true)
    }

    /// An empty line.
    pub fn blank_line(self) -> Document {
        self.push(Kind::Blank, "", false)
    }

    /// The attachment note (7.3.4): one blank line below the text, then `附件：` two characters
    /// from the left, the names numbered `1．` when there are several, a long name's next lines
    /// aligned under its first character. No attachment, no note.
    pub fn attachments<I>(mut self, names: I) -> Document
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let names: Vec<String> = names.into_iter().map(Into::into).collect();
        if names.is_empty() {
            return self;
        }
        self = self.blank_line();
        let lead = 2 * CHAR;
        let label = 3 * CHAR; // 附件：
        if let [name] = names.as_slice() {
            let name = name.clone();
            return self.push(
                Kind::Hanging {
                    left: lead + label,
                    hanging: label,
                },
                format!("附件：{name}"),
                false,
            );
        }
        for (i, name) in names.iter().enumerate() {
            let number = format!("{}．", i + 1);
            let number_w = half_widths(&number) * CHAR / 2;
            let (text, hanging) = if i == 0 {
                (format!("附件：{number}{name}"), label + number_w)
            } else {
                (format!("{number}{name}"), number_w)
            };
            self = self.push(
                Kind::Hanging {
                    left: lead + label + number_w,
                    hanging,
                },
                text,
                false,
            );
        }
        self
    }

    /// A custom document property (`docProps/custom.xml`), such as the template a document was
    /// made from: not printed, but kept with the file and shown by Word's and WPS's properties.
    pub fn property(mut self, name: impl Into<String>, value: impl Into<String>) -> Document {
        self.properties.push((name.into(), value.into()));
        self
    }

    /// A flush-left line of body text without indent: a caption above a table, a note.
    pub fn line(self, text: impl Into<String>) -> Document {
        self.push(Kind::Line, text, false)
    }

    /// A form's field, `label` then `value`, flush left, the value's next lines aligned under
    /// its first character (at most half the type area in), e.g. `被检查单位：` and a name.
    pub fn field(self, label: impl Into<String>, value: impl Into<String>) -> Document {
        let label = label.into();
        let w = set_width(&label).min(TYPE_WIDTH / 2);
        self.push(
            Kind::Hanging {
                left: w,
                hanging: w,
            },
            format!("{label}{}", value.into()),
            false,
        )
    }

    /// A bordered table across the type area ([`Table`]). The block before it, its caption,
    /// is kept on the page of the table's first row.
    pub fn table(self, table: Table) -> Document {
        self.keep_last().push(Kind::Table(table), "", false)
    }

    /// Lines for handwritten signatures (`执法人员（签名）：＿＿`): one blank line above, each line
    /// flush left, all kept together and on the page of what follows (the seal and date).
    pub fn signing<I>(mut self, lines: I) -> Document
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self = self.push(Kind::Blank, "", true);
        for line in lines {
            self = self.push(Kind::Line, line, true);
        }
        self
    }

    /// The issuer and date of a sealed document (7.3.5.1): one blank line below the text, the
    /// date four characters from the right, the issuer line (`issuer`, which may carry a
    /// `（印章）` mark) centred over the date, kept on the page of the text above; the seal is
    /// pressed over both. An issuer line wider than the date stays inside the type area.
    pub fn seal(self, issuer: impl Into<String>, date: NaiveDate) -> Document {
        let issuer = issuer.into();
        let date = date_cn(date);
        let (iw, dw) = (set_width(&issuer), set_width(&date));
        let date_left = TYPE_WIDTH - 4 * CHAR - dw;
        let issuer_left = (date_left + (dw - iw) / 2).min(TYPE_WIDTH - iw).max(0);
        self.keep_last()
            .push(Kind::Blank, "", true)
            .push(Kind::Left { left: issuer_left }, issuer, true)
            .push(Kind::Left { left: date_left }, date, false)
    }

    /// Keeps the last block on the page of what follows (Word's 与下段同页): a paragraph that
    /// must not be parted from the signature block below it, say.
    pub fn keep_with_next(self) -> Document {
        self.keep_last()
    }

    /// Marks the last block so that it stays on the page of what follows.
    fn keep_last(mut self) -> Document {
        if let Some(b) = self.blocks.last_mut() {
            b.keep_next = true;
        }
        self
    }

    /// The issuer and date of a document without a seal (7.3.5.2): one blank line below the
    /// text, the issuer two characters from the right, the date ([`date_cn`]) on the next line
    /// starting two characters right of the issuer's first character (when the date is the
    /// longer, the date two characters from the right and the issuer moved left to match). Both
    /// lines are placed by their first character (a left indent from the widths of
    /// [`half_widths`]), so that the two-character shift holds however an application spaces
    /// digits among Chinese characters. The block stays on the page of the text's last paragraph.
    pub fn signature(self, issuer: impl Into<String>, date: NaiveDate) -> Document {
        let issuer = issuer.into();
        let date = date_cn(date);
        let (iw, dw) = (set_width(&issuer), set_width(&date));
        let issuer_left = if dw <= iw {
            TYPE_WIDTH - 2 * CHAR - iw
        } else {
            TYPE_WIDTH - 2 * CHAR - dw - 2 * CHAR
        }
        .max(0);
        self.keep_last()
            .push(Kind::Blank, "", true)
            .push(Kind::Left { left: issuer_left }, issuer, true)
            .push(
                Kind::Left {
                    left: issuer_left + 2 * CHAR,
                },
                date,
                false,
            )
    }

    /// A closing block of right-aligned lines (a letter's or a pledge's signer and date, where
    /// the signer is not an issuing authority): one blank line below the text, each line flush
    /// right, all kept on the page of the text's last paragraph.
    pub fn closing<I>(mut self, lines: I) -> Document
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self = self.keep_last().push(Kind::Blank, "", true);
        for line in lines {
            self = self.push(Kind::Right, line, true);
        }
        if let Some(b) = self.blocks.last_mut() {
            b.keep_next = false;
        }
        self
    }

    fn pitch(&self) -> LineSpacing {
        LineSpacing::new()
            .line_rule(LineSpacingType::Exact)
            .line(self.line_pitch)
    }

    fn paragraph_of(&self, b: &Block) -> Paragraph {
        let first_line = |p: Paragraph, twips: i32| {
            p.indent(None, Some(SpecialIndentType::FirstLine(twips)), None, None)
        };
        let p = Paragraph::new().line_spacing(self.pitch());
        let p = match &b.kind {
            Kind::Title => {
                let mut p = Paragraph::new()
                    .align(AlignmentType::Center)
                    .line_spacing(self.pitch().after(self.line_pitch as u32));
                for (i, line) in b.text.lines().enumerate() {
                    if i > 0 {
                        p = p.add_run(
                            Run::new()
                                .add_break(BreakType::TextWrapping)
                                .size(size::NO_2)
                                .fonts(fonts_of(XIAOBIAOSONG)),
                        );
                    }
                    p = p.add_run(run(line, XIAOBIAOSONG, size::NO_2));
                }
                p
            }
            Kind::DocNumber => p.align(AlignmentType::Center).add_run(body_run(&b.text)),
            Kind::Addressee | Kind::Line => p.add_run(body_run(&b.text)),
            Kind::Body => first_line(p, 2 * CHAR).add_run(body_run(&b.text)),
            Kind::Heading(level) => {
                let font = match level {
                    1 => HEITI,
                    2 => KAITI,
                    _ => FANGSONG,
                };
                first_line(p, 2 * CHAR)
                    .add_run(run(&b.text, font, size::NO_3).character_spacing(CHAR_SPACING))
            }
            Kind::Blank => p,
            Kind::Right => p.align(AlignmentType::Right).add_run(body_run(&b.text)),
            Kind::Left { left } => p
                .indent(Some(*left), None, Some(-2 * CHAR), None)
                .add_run(body_run(&b.text)),
            Kind::Hanging { left, hanging } => p
                .indent(
                    Some(*left),
                    Some(SpecialIndentType::Hanging(*hanging)),
                    None,
                    None,
                )
                .add_run(body_run(&b.text)),
            // Laid out by `Table::to_table`.
            Kind::Table(_) => p,
        };
        p.keep_next(b.keep_next)
    }

    /// The page number (7.5): 4号 半角宋体 digits between two dashes, `— 1 —`; on odd pages
    /// right-aligned one character from the right, on even pages left-aligned one character
    /// from the left.
    fn page_number(odd: bool) -> Footer {
        let font = |r: Run| r.fonts(fonts_of(SONGTI)).size(size::NO_4);
        let p = Paragraph::new()
            .line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Exact)
                    .line(280),
            )
            .add_run(font(Run::new().add_text("— ")))
            .add_run(font(Run::new().add_field_char(FieldCharType::Begin, false)))
            .add_run(font(
                Run::new().add_instr_text(InstrText::PAGE(InstrPAGE::new())),
            ))
            .add_run(font(
                Run::new().add_field_char(FieldCharType::Separate, false),
            ))
            .add_run(font(Run::new().add_text("1")))
            .add_run(font(Run::new().add_field_char(FieldCharType::End, false)))
            .add_run(font(Run::new().add_text(" —")));
        let p = if odd {
            p.align(AlignmentType::Right)
                .indent(None, None, Some(CHAR), None)
        } else {
            p.align(AlignmentType::Left)
                .indent(Some(CHAR), None, None, None)
        };
        Footer::new().add_paragraph(p)
    }

    /// The `.docx` bytes.
    ///
    /// # Errors
    /// [`Error::Docx`] when the package cannot be written (does not happen with text input).
    pub fn to_docx(&self) -> Result<Vec<u8>, Error> {
        let m = MARGINS_MM;
        let footer_distance = match self.foot {
            Foot::PageNumber => PAGE_NUMBER_FOOTER,
            Foot::Note(_) => mm(12.0),
        };
        let mut doc = Docx::new().page_size(A4.0, A4.1).page_margin(
            PageMargin::new()
                .top(mm(m.top))
                .bottom(mm(m.bottom))
                .left(mm(m.left))
                .right(mm(m.right))
                .footer(footer_distance),
        );
        // No document grid (w:docGrid): the exact line pitch sets the lines. LibreOffice lays a
        // grid's lines out taller than the pitch, and a one-page letter ran onto a second page.
        for b in &self.blocks {
            doc = match &b.kind {
                Kind::Table(t) => doc.add_table(t.to_table()),
                _ => doc.add_paragraph(self.paragraph_of(b)),
            };
        }
        for (name, value) in &self.properties {
            doc = doc.custom_property(name, value);
        }
        doc = match &self.foot {
            Foot::PageNumber => doc
                .footer(Self::page_number(true))
                .even_footer(Self::page_number(false)),
            Foot::Note(text) => doc.footer(
                Footer::new().add_paragraph(
                    Paragraph::new()
                        .add_run(run(text, FANGSONG, size::SMALL_NO_5))
                        .line_spacing(LineSpacing::new().line(260)),
                ),
            ),
        };
        let mut out = std::io::Cursor::new(Vec::new());
        doc.build()
            .pack(&mut out)
            .map_err(|e| Error::Docx(e.to_string()))?;
        fonts::with_font_table(&out.into_inner())
    }
}

fn fonts_of(font: Font) -> RunFonts {
    RunFonts::new()
        .east_asia(font.name)
        .ascii(font.name)
        .hi_ansi(font.name)
}

/// A run of `text` in `font` at `size` half-points.
fn run(text: &str, font: Font, size: usize) -> Run {
    Run::new().add_text(text).size(size).fonts(fonts_of(font))
}

/// A run of body text: 3号 仿宋, 28 characters a line.
fn body_run(text: &str) -> Run {
    run(text, FANGSONG, size::NO_3).character_spacing(CHAR_SPACING)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(
            [mm(37.0), mm(35.0), mm(28.0), mm(26.0)],
            [2098, 1984, 1587, 1474]
        );
        assert_eq!(A4, (mm(210.0) as u32, mm(297.0) as u32));
        let type_area = (mm(297.0 - 37.0 - 35.0), mm(210.0 - 28.0 - 26.0));
        assert!(22 * LINE_PITCH <= type_area.0 && 23 * LINE_PITCH > type_area.0);
        assert_eq!(type_area.1, TYPE_WIDTH);
        const { assert!(28 * CHAR <= TYPE_WIDTH && 29 * CHAR > TYPE_WIDTH) };
        assert_eq!(
            date_cn(NaiveDate::from_ymd_opt(2024, 6, 5).unwrap()),
            "2024年6月5日"
        );
        assert_eq!(half_widths("2024年6月20日"), 13);
        assert_eq!(half_widths("（青）应急〔2024〕1号"), 21);
        // 6.5 characters and five quarter-character gaps.
        assert_eq!(set_width("2024年7月15日"), 31 * CHAR / 4);
    }
}
