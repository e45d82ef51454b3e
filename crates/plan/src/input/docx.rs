//! Word and WPS documents (`.docx`, Office Open XML, ECMA-376 / ISO/IEC 29500).
//!
//! The text is the main document part (`word/document.xml`, or whatever `_rels/.rels` names as
//! the office document) read in document order:
//!
//! - each paragraph (`w:p`) is one line; a line break inside it (`w:br`, `w:cr`) starts a new
//!   line; a tab (`w:tab` in a run) is a tab;
//! - a table row (`w:tr`) is one line, its cells (`w:tc`) joined with `|`, the paragraphs of
//!   a cell joined with a space; a table nested in a cell is flattened into that cell;
//! - automatic list numbering (`w:numPr` on the paragraph or its style, `word/numbering.xml`)
//!   is written out in front of the text as the reader sees it — `1.`, `(一)`, `一、`, `①` —
//!   since plans number their areas and items this way as often as by hand. Bullets are dropped;
//! - deleted text of tracked changes (`w:delText`), field codes (`w:instrText`) and the
//!   fallback copy of drawings (`mc:Fallback`) are not text. Headers, footers, footnotes and
//!   comments live in other parts and are not read.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{Format, InputError, MAX_INFLATED_BYTES};

/// Reads the text of a `.docx` (see the module documentation).
///
/// # Errors
/// [`InputError::Damaged`] for a broken zip or XML, [`InputError::NotWordDocument`] for a zip
/// without a Word document part, [`InputError::Encrypted`] for encrypted entries,
/// [`InputError::TooLarge`] for a part inflating past [`MAX_INFLATED_BYTES`],
/// [`InputError::NoText`] for a document without any text.
pub fn read_docx(bytes: &[u8]) -> Result<String, InputError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| damaged(e.to_string()))?;
    let main = main_part_name(&mut zip)?;
    let Some(document) = read_part(&mut zip, &main)? else {
        return Err(InputError::NotWordDocument);
    };
    let dir = main.rsplit_once('/').map_or("", |(d, _)| d);
    let part = |name: &str| {
        if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        }
    };
    let numbering = match read_part(&mut zip, &part("numbering.xml"))? {
        Some(xml) => Numbering::parse(&xml)?,
        None => Numbering::default(),
    };
    let styles = match read_part(&mut zip, &part("styles.xml"))? {
        Some(xml) => parse_styles(&xml)?,
        None => HashMap::new(),
    };
    let text = document_text(&document, &numbering, &styles)?;
    if text.trim().is_empty() {
        return Err(InputError::NoText(Format::Docx));
    }
    Ok(text)
}

fn damaged(detail: String) -> InputError {
    InputError::Damaged {
        format: Format::Docx,
        detail,
    }
}

/// The main document part named by the package relationships, else `word/document.xml`.
fn main_part_name(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<String, InputError> {
    let fallback = "word/document.xml".to_string();
    let Some(rels) = read_part(zip, "_rels/.rels")? else {
        return Ok(fallback);
    };
    let mut reader = xml_reader(&rels);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e))
                if e.local_name().as_ref().as_bytes() == b"Relationship" =>
            {
                let ty = attr(&e, b"Type").unwrap_or_default();
                if ty.ends_with("/officeDocument")
                    && let Some(target) = attr(&e, b"Target")
                {
                    return Ok(target.trim_start_matches('/').to_string());
                }
            }
            Ok(Event::Eof) | Err(_) => return Ok(fallback),
            Ok(_) => {}
        }
    }
}

/// An entry of the zip as text, at most [`MAX_INFLATED_BYTES`]; `None` when absent.
fn read_part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<String>, InputError> {
    let entry = match zip.by_name(name) {
        Ok(e) => e,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(zip::result::ZipError::UnsupportedArchive(m)) if m.contains("assword") => {
            return Err(InputError::Encrypted(Format::Docx));
        }
        Err(e) => return Err(damaged(format!("{name}: {e}"))),
    };
    if entry.encrypted() {
        return Err(InputError::Encrypted(Format::Docx));
    }
    let limit = MAX_INFLATED_BYTES as u64;
    let mut data = Vec::new();
    entry
        .take(limit + 1)
        .read_to_end(&mut data)
        .map_err(|e| damaged(format!("{name}: {e}")))?;
    if data.len() as u64 > limit {
        return Err(InputError::TooLarge {
            bytes: data.len(),
            limit: MAX_INFLATED_BYTES,
        });
    }
    let text = if data.starts_with(b"\xFF\xFE") || data.starts_with(b"\xFE\xFF") {
        super::decode_text(&data).map_err(|e| damaged(format!("{name}: {e}")))?
    } else {
        let body = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&data);
        String::from_utf8(body.to_vec())
            .map_err(|e| damaged(format!("{name}: 不是 UTF-8 ({e})")))?
    };
    Ok(Some(text))
}

fn xml_reader(xml: &str) -> Reader<&[u8]> {
    let mut reader = Reader::from_reader(xml.as_bytes());
    let config = reader.config_mut();
    config.check_end_names = false;
    config.expand_empty_elements = false;
    config.trim_text(false);
    reader
}

/// The value of attribute `name` (matched on its local name, `w:val` → `val`).
fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref().as_bytes() == name)
            .then(|| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
            .flatten()
    })
}

fn attr_u32(e: &BytesStart<'_>, name: &[u8]) -> Option<u32> {
    attr(e, name)?.trim().parse().ok()
}

// ----- numbering -------------------------------------------------------------------------------

/// One level of an abstract numbering definition (`w:lvl`).
#[derive(Debug, Clone, Default)]
struct Level {
    start: u32,
    format: String,
    text: String,
    /// A paragraph style linked to this level (`w:lvl/w:pStyle`).
    style: Option<String>,
}

/// `word/numbering.xml`: abstract definitions and the numbering instances that use them.
#[derive(Debug, Default)]
struct Numbering {
    /// abstractNumId → levels by `ilvl`.
    abstract_nums: HashMap<u32, HashMap<u32, Level>>,
    /// numId → (abstractNumId, start overrides by level).
    nums: HashMap<u32, (u32, HashMap<u32, u32>)>,
}

impl Numbering {
    fn parse(xml: &str) -> Result<Numbering, InputError> {
        let mut n = Numbering::default();
        let mut reader = xml_reader(xml);
        let mut abstract_id: Option<u32> = None;
        let mut level: Option<(u32, Level)> = None;
        let mut num_id: Option<u32> = None;
        let mut override_level: Option<u32> = None;
        loop {
            let event = reader
                .read_event()
                .map_err(|e| damaged(format!("numbering.xml: {e}")))?;
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let empty = matches!(event, Event::Empty(_));
                    match e.local_name().as_ref().as_bytes() {
                        b"abstractNum" if !empty => abstract_id = attr_u32(e, b"abstractNumId"),
                        b"lvl" if !empty && num_id.is_none() => {
                            // Word has nine levels, 0–8; others are ignored (and bounded).
                            level = attr_u32(e, b"ilvl").filter(|l| *l <= 8).map(|l| {
                                (
                                    l,
                                    Level {
                                        start: 1,
                                        format: "decimal".into(),
                                        ..Level::default()
                                    },
                                )
                            });
                        }
                        b"start" => {
                            if let (Some((_, lv)), Some(v)) = (level.as_mut(), attr_u32(e, b"val"))
                            {
                                lv.start = v;
                            }
                        }
                        b"numFmt" => {
                            if let (Some((_, lv)), Some(v)) = (level.as_mut(), attr(e, b"val")) {
                                lv.format = v;
                            }
                        }
                        b"lvlText" => {
                            if let (Some((_, lv)), Some(v)) = (level.as_mut(), attr(e, b"val")) {
                                lv.text = v;
                            }
                        }
                        b"pStyle" => {
                            if let (Some((_, lv)), Some(v)) = (level.as_mut(), attr(e, b"val")) {
                                lv.style = Some(v);
                            }
                        }
                        b"num" if !empty => {
                            num_id = attr_u32(e, b"numId");
                            if let Some(id) = num_id {
                                n.nums.entry(id).or_default();
                            }
                        }
                        b"abstractNumId" => {
                            if let (Some(id), Some(v)) = (num_id, attr_u32(e, b"val")) {
                                n.nums.entry(id).or_default().0 = v;
                            }
                        }
                        b"lvlOverride" if !empty => override_level = attr_u32(e, b"ilvl"),
                        b"startOverride" => {
                            if let (Some(id), Some(l), Some(v)) =
                                (num_id, override_level, attr_u32(e, b"val"))
                            {
                                n.nums.entry(id).or_default().1.insert(l, v);
                            }
                        }
                        _ => {}
                    }
                }
                Event::End(ref e) => match e.local_name().as_ref().as_bytes() {
                    b"lvl" => {
                        if let (Some(a), Some((l, lv))) = (abstract_id, level.take()) {
                            n.abstract_nums.entry(a).or_default().insert(l, lv);
                        }
                    }
                    b"abstractNum" => abstract_id = None,
                    b"num" => num_id = None,
                    b"lvlOverride" => override_level = None,
                    _ => {}
                },
                Event::Eof => return Ok(n),
                _ => {}
            }
        }
    }

    fn levels(&self, num_id: u32) -> Option<(u32, &HashMap<u32, Level>)> {
        let (abstract_id, _) = self.nums.get(&num_id)?;
        Some((*abstract_id, self.abstract_nums.get(abstract_id)?))
    }

    /// The level a style is linked to in the list `num_id` (`w:lvl/w:pStyle`).
    fn level_of_style(&self, num_id: u32, style: &str) -> Option<u32> {
        let (_, levels) = self.levels(num_id)?;
        levels
            .iter()
            .find(|(_, lv)| lv.style.as_deref() == Some(style))
            .map(|(l, _)| *l)
    }
}

/// Counters of the lists met so far, per abstract numbering (Word continues a list across
/// instances of the same definition unless an instance restarts it).
#[derive(Debug, Default)]
struct Counters {
    by_abstract: HashMap<u32, [Option<u32>; 9]>,
    /// Instances whose start overrides have been applied.
    started: std::collections::HashSet<u32>,
}

impl Counters {
    /// The label of the next paragraph numbered (`num_id`, `ilvl`), e.g. `(三)`; empty for a
    /// bullet or an unknown list.
    fn next(&mut self, numbering: &Numbering, num_id: u32, ilvl: u32) -> String {
        let ilvl = ilvl.min(8);
        let Some((abstract_id, levels)) = numbering.levels(num_id) else {
            return String::new();
        };
        let Some(level) = levels.get(&ilvl) else {
            return String::new();
        };
        let counters = self.by_abstract.entry(abstract_id).or_insert([None; 9]);
        if self.started.insert(num_id)
            && let Some((_, overrides)) = numbering.nums.get(&num_id)
        {
            for (l, start) in overrides {
                if let Some(c) = counters.get_mut(*l as usize) {
                    *c = Some(start.saturating_sub(1));
                }
            }
        }
        let idx = ilvl as usize;
        counters[idx] = Some(match counters[idx] {
            Some(c) => c.saturating_add(1),
            None => level.start,
        });
        for deeper in counters.iter_mut().skip(idx + 1) {
            *deeper = None;
        }
        if level.format == "bullet" || level.format == "none" {
            return String::new();
        }
        // `%1.%2` → the counters of levels 1 and 2, each in its own level's format.
        let mut out = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%'
                && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
                && (1..=9).contains(&d)
            {
                chars.next();
                let k = (d - 1) as usize;
                let lv = levels.get(&(d - 1));
                let value = counters[k].unwrap_or_else(|| lv.map_or(1, |l| l.start));
                out.push_str(&format_number(
                    value,
                    lv.map_or("decimal", |l| l.format.as_str()),
                ));
            } else {
                out.push(c);
            }
        }
        out
    }
}

/// `n` written in a `w:numFmt` format (ECMA-376 §17.18.59, the formats Chinese documents use;
/// any other is written in decimal).
fn format_number(n: u32, format: &str) -> String {
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    const STEMS: [char; 10] = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "koreanCounting" => chinese_counting(n),
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => n
            .to_string()
            .chars()
            .map(|c| DIGITS[c.to_digit(10).unwrap_or(0) as usize])
            .collect(),
        "ideographTraditional" if (1..=10).contains(&n) => STEMS[(n - 1) as usize].to_string(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1).map_or_else(|| n.to_string(), String::from)
        }
        "decimalEnclosedParen" if (1..=20).contains(&n) => {
            char::from_u32(0x2474 + n - 1).map_or_else(|| n.to_string(), String::from)
        }
        "decimalZero" if n < 10 => format!("0{n}"),
        "lowerLetter" | "upperLetter" if n >= 1 => {
            let base = if format == "lowerLetter" { b'a' } else { b'A' };
            let letter = char::from(base + ((n - 1) % 26) as u8);
            std::iter::repeat_n(letter, ((n - 1) / 26 + 1).min(10) as usize).collect()
        }
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        _ => n.to_string(),
    }
}

/// 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一, 105 → 一百零五.
fn chinese_counting(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n == 0 {
        return "零".into();
    }
    if n >= 10_000 {
        return n.to_string();
    }
    let parts = [
        (n / 1000, "千"),
        ((n / 100) % 10, "百"),
        ((n / 10) % 10, "十"),
    ];
    let mut out = String::new();
    let mut zero = false;
    for (d, unit) in parts {
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        if !(unit == "十" && d == 1 && out.is_empty()) {
            out.push_str(DIGITS[d as usize]);
        }
        out.push_str(unit);
    }
    let ones = n % 10;
    if ones > 0 {
        if zero {
            out.push('零');
        }
        out.push_str(DIGITS[ones as usize]);
    }
    out
}

fn roman(mut n: u32) -> String {
    if n == 0 || n >= 4000 {
        return n.to_string();
    }
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (v, s) in table {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

// ----- styles ----------------------------------------------------------------------------------

/// A paragraph style's numbering and parent (`word/styles.xml`).
#[derive(Debug, Default, Clone)]
struct Style {
    num_id: Option<u32>,
    ilvl: Option<u32>,
    based_on: Option<String>,
}

fn parse_styles(xml: &str) -> Result<HashMap<String, Style>, InputError> {
    let mut styles = HashMap::new();
    let mut reader = xml_reader(xml);
    let mut current: Option<(String, Style)> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| damaged(format!("styles.xml: {e}")))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => match e.local_name().as_ref().as_bytes() {
                b"style" => {
                    current = attr(e, b"styleId").map(|id| (id, Style::default()));
                }
                b"basedOn" => {
                    if let Some((_, s)) = current.as_mut() {
                        s.based_on = attr(e, b"val");
                    }
                }
                b"numId" => {
                    if let Some((_, s)) = current.as_mut() {
                        s.num_id = attr_u32(e, b"val");
                    }
                }
                b"ilvl" => {
                    if let Some((_, s)) = current.as_mut() {
                        s.ilvl = attr_u32(e, b"val");
                    }
                }
                _ => {}
            },
            Event::End(ref e) if e.local_name().as_ref().as_bytes() == b"style" => {
                if let Some((id, s)) = current.take() {
                    styles.insert(id, s);
                }
            }
            Event::Eof => return Ok(styles),
            _ => {}
        }
    }
}

/// The numbering a style gives its paragraphs, following `w:basedOn` (at most 16 steps).
fn style_numbering(
    styles: &HashMap<String, Style>,
    numbering: &Numbering,
    style: &str,
) -> Option<(u32, u32)> {
    let mut id = style;
    let mut ilvl = None;
    for _ in 0..16 {
        let s = styles.get(id)?;
        ilvl = ilvl.or(s.ilvl);
        if let Some(num_id) = s.num_id {
            let ilvl = ilvl
                .or_else(|| numbering.level_of_style(num_id, style))
                .unwrap_or(0);
            return Some((num_id, ilvl));
        }
        id = s.based_on.as_deref()?;
    }
    None
}

// ----- the document ----------------------------------------------------------------------------

/// A paragraph being read.
#[derive(Debug, Default)]
struct Para {
    text: String,
    style: Option<String>,
    num_id: Option<u32>,
    ilvl: Option<u32>,
    /// Run depth where the paragraph started (a text box's paragraphs sit inside a run).
    run_base: u32,
}

/// A table being read: the cells of the current row, the paragraphs of the current cell.
#[derive(Debug, Default)]
struct Table {
    cells: Vec<String>,
    cell: Vec<String>,
}

struct Walker<'a> {
    numbering: &'a Numbering,
    styles: &'a HashMap<String, Style>,
    counters: Counters,
    lines: Vec<String>,
    paras: Vec<Para>,
    tables: Vec<Table>,
    /// Inside `w:t` (text to keep).
    in_text: bool,
    /// Depth inside runs (`w:r`): a `w:tab` there is a character, elsewhere a tab stop.
    in_run: u32,
    /// Depth inside an element whose content is skipped (`mc:Fallback`).
    skip: u32,
    /// Bytes of text collected, against [`super::MAX_TEXT_BYTES`].
    size: usize,
}

impl Walker<'_> {
    fn push_text(&mut self, s: &str) -> Result<(), InputError> {
        self.size += s.len();
        if self.size > super::MAX_TEXT_BYTES {
            return Err(InputError::TextTooLarge {
                bytes: self.size,
                limit: super::MAX_TEXT_BYTES,
            });
        }
        if let Some(p) = self.paras.last_mut() {
            p.text.push_str(s);
        }
        Ok(())
    }

    /// A finished paragraph goes to the current table cell, or to the lines.
    fn end_paragraph(&mut self) {
        let Some(p) = self.paras.pop() else { return };
        let mut num = p.num_id.map(|n| (n, p.ilvl.unwrap_or(0)));
        if num.is_none()
            && let Some(style) = p.style.as_deref()
        {
            num = style_numbering(self.styles, self.numbering, style);
        }
        let label = match num {
            Some((num_id, ilvl)) if num_id != 0 => self.counters.next(self.numbering, num_id, ilvl),
            _ => String::new(),
        };
        let text = format!("{label}{}", p.text);
        match self.tables.last_mut() {
            Some(t) => t.cell.push(text.replace('\n', " ")),
            None => self.lines.extend(text.split('\n').map(str::to_string)),
        }
    }

    fn end_cell(&mut self) {
        if let Some(t) = self.tables.last_mut() {
            let cell: Vec<String> = t
                .cell
                .drain(..)
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect();
            t.cells.push(cell.join(" "));
        }
    }

    fn end_row(&mut self) {
        let Some(t) = self.tables.last_mut() else {
            return;
        };
        let row = std::mem::take(&mut t.cells).join("|");
        match self.tables.len() {
            0 | 1 => self.lines.push(row),
            _ => {
                let depth = self.tables.len();
                self.tables[depth - 2].cell.push(row);
            }
        }
    }

    fn end_table(&mut self) {
        let Some(t) = self.tables.pop() else { return };
        // Content outside any row (malformed): keep it rather than lose it.
        let rest: Vec<String> = t.cell.into_iter().chain(t.cells).collect();
        if !rest.is_empty() {
            match self.tables.last_mut() {
                Some(outer) => outer.cell.extend(rest),
                None => self.lines.extend(rest),
            }
        }
    }
}

/// The text of the main document part.
fn document_text(
    xml: &str,
    numbering: &Numbering,
    styles: &HashMap<String, Style>,
) -> Result<String, InputError> {
    let mut w = Walker {
        numbering,
        styles,
        counters: Counters::default(),
        lines: Vec::new(),
        paras: Vec::new(),
        tables: Vec::new(),
        in_text: false,
        in_run: 0,
        skip: 0,
        size: 0,
    };
    let mut reader = xml_reader(xml);
    loop {
        let event = reader
            .read_event()
            .map_err(|e| damaged(format!("document.xml: {e}")))?;
        if w.skip > 0 {
            match event {
                Event::Start(_) => w.skip += 1,
                Event::End(_) => w.skip -= 1,
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(ref e) => match e.local_name().as_ref().as_bytes() {
                b"Fallback" => w.skip = 1,
                b"p" => w.paras.push(Para {
                    run_base: w.in_run,
                    ..Para::default()
                }),
                b"r" => w.in_run += 1,
                b"t" => w.in_text = true,
                b"tbl" => w.tables.push(Table::default()),
                _ => paragraph_property(&mut w, e),
            },
            Event::Empty(ref e) => match e.local_name().as_ref().as_bytes() {
                b"p" => {
                    w.paras.push(Para::default());
                    w.end_paragraph();
                }
                b"tab" if w.in_run > 0 => w.push_text("\t")?,
                b"br" | b"cr" if w.in_run > 0 => w.push_text("\n")?,
                b"noBreakHyphen" => w.push_text("-")?,
                b"tc" => {
                    if let Some(t) = w.tables.last_mut() {
                        t.cells.push(String::new());
                    }
                }
                _ => paragraph_property(&mut w, e),
            },
            Event::End(ref e) => match e.local_name().as_ref().as_bytes() {
                b"p" => w.end_paragraph(),
                b"r" => w.in_run = w.in_run.saturating_sub(1),
                b"t" => w.in_text = false,
                b"tc" => w.end_cell(),
                b"tr" => w.end_row(),
                b"tbl" => w.end_table(),
                _ => {}
            },
            Event::Text(ref t) if w.in_text => w.push_text(t.as_ref())?,
            Event::CData(ref t) if w.in_text => w.push_text(t.as_ref())?,
            Event::GeneralRef(ref r) if w.in_text => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match r.as_ref() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                if let Some(c) = c {
                    w.push_text(c.encode_utf8(&mut [0; 4]))?;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Unclosed elements at the end (a cut-off part): keep what was read.
    while !w.paras.is_empty() {
        w.end_paragraph();
    }
    while !w.tables.is_empty() {
        w.end_cell();
        w.end_row();
        w.end_table();
    }
    Ok(w.lines.join("\n"))
}

/// `w:pStyle`, `w:numId` and `w:ilvl` of the paragraph being read.
fn paragraph_property(w: &mut Walker<'_>, e: &BytesStart<'_>) {
    // Run properties (w:rStyle) and table properties do not concern the paragraph.
    let Some(p) = w.paras.last_mut() else { return };
    if w.in_run > p.run_base {
        return;
    }
    match e.local_name().as_ref().as_bytes() {
        b"pStyle" => p.style = attr(e, b"val"),
        b"numId" => p.num_id = attr_u32(e, b"val"),
        b"ilvl" => p.ilvl = attr_u32(e, b"val"),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers() {
        let got: Vec<String> = [1, 9, 10, 11, 20, 21, 100, 105, 110, 1001]
            .iter()
            .map(|n| chinese_counting(*n))
            .collect();
        assert_eq!(
            got,
            [
                "一",
                "九",
                "十",
                "十一",
                "二十",
                "二十一",
                "一百",
                "一百零五",
                "一百一十",
                "一千零一"
            ]
        );
        assert_eq!(format_number(3, "decimalEnclosedCircle"), "③");
        assert_eq!(format_number(2, "ideographTraditional"), "乙");
        assert_eq!(format_number(14, "lowerRoman"), "xiv");
        assert_eq!(format_number(27, "upperLetter"), "AA");
    }
}
