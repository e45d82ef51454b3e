//! Reader of the State Council General Office notice on public-holiday arrangements
//! (国务院办公厅关于YYYY年部分节假日安排的通知), as people paste it from a web page.
//!
//! The text goes through [`crate::normalize`] first (full-width punctuation folded, converter
//! pinyin such as `節(jié)` stripped, Traditional converted to Simplified), so a Traditional repost
//! reads like the original. News text and page chrome around the notice are ignored.
//!
//! What is read:
//! - the **year** from the title, `…关于2025年部分节假日安排的通知` (a line that is nothing but
//!   the title wins over a mention in a news lead);
//! - the **document number** `国办发明电〔2024〕12号`, when the paste shows it;
//! - the **signature date**, the date under `国务院办公厅` at the end;
//! - one **holiday line** per festival: `二、春节:1月28日(农历除夕、周二)至2月4日(农历正月初七、
//!   周二)放假调休,共8天。1月26日(周日)、2月8日(周六)上班。` A range's end may omit the month
//!   and year (`4月4日(周五)至6日(周日)`), which it then takes from the start; a date without a
//!   year is in the notice's year; a date with one keeps it (2023's New Year began
//!   `2022年12月31日`). Numbers may be Arabic or Chinese numerals. `放假,与周末连休` names only
//!   the day(s) it lists: the weekend it joins is an ordinary weekend (2024's New Year: days off =
//!   2024-01-01 only, as in `shared/calendar/cn-holidays-2023-2026.md`). A make-up sentence may
//!   wrap onto the next line.
//!
//! The notice is **refused, never half-loaded**: every problem found is collected and returned
//! together in [`NoticeError::Problems`], each naming its line and text in Chinese. Refused are:
//! no year in the title; any of the seven festivals ([`HOLIDAYS`]) missing (a combined line such
//! as `国庆节、中秋节` counts for both) or given twice; a holiday line whose dates cannot be read;
//! a numbered `放假` line whose festival is not one of the seven; a date that does not exist, a
//! range that ends before it starts, or a written year other than the notice's or the one before;
//! a weekday in parentheses that contradicts the date; `共N天` (or `放假N天`) that differs from the
//! range's length (for `与周末连休`, the range plus the weekend it joins); a make-up working day
//! (上班) that is not a Saturday or Sunday, or that lies inside any festival's days off;
//! `不调休` with make-up days listed; a holiday line without days off; a dated `放假`/`上班`
//! sentence that belongs to no holiday line; mojibake (see [`crate::normalize`]) on a holiday line.
//!
//! The result's [`YearArrangement`] is what `safeduty_core::calendar::Calendar::set_year` takes.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::LazyLock;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use regex::Regex;
use safeduty_core::calendar::YearArrangement;

use crate::dates::{NUM, cn_number, is_date_line};
use crate::normalize::normalize;
use crate::text::split_outside_parens;

/// The seven festivals every notice arranges, in the notices' order (《全国年节及纪念日放假办法》).
pub const HOLIDAYS: [&str; 7] = [
    "元旦",
    "春节",
    "清明节",
    "劳动节",
    "端午节",
    "中秋节",
    "国庆节",
];

/// A notice read in full: every festival present and every check passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The year the notice arranges, from its title.
    pub year: i32,
    /// The document number, e.g. `国办发明电〔2024〕12号`, when the text shows it.
    pub document_number: Option<String>,
    /// The signature date under `国务院办公厅`, e.g. 2024-11-12, when the text shows it.
    pub dated: Option<NaiveDate>,
    /// The holiday lines in text order.
    pub holidays: Vec<Holiday>,
    /// All days off and make-up working days of the notice together, for
    /// `Calendar::set_year(notice.year, notice.arrangement)`.
    pub arrangement: YearArrangement,
}

/// One holiday line of a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// The festival(s) the line names, in its order, joined with `、`: `元旦`, `春节`, … or
    /// combined, `国庆节、中秋节` (also for `国庆节和中秋节`).
    pub name: String,
    /// Every day of the days-off range(s), in order (weekend days inside a range included).
    pub days_off: Vec<NaiveDate>,
    /// The make-up working days (调休上班), in order.
    pub make_up_days: Vec<NaiveDate>,
    /// 1-based line number of the holiday line in the pasted text.
    pub line: u32,
}

impl Holiday {
    /// The festivals this line arranges (`国庆节、中秋节` → both).
    pub fn festivals(&self) -> Vec<&str> {
        self.name.split('、').collect()
    }
}

/// Why a notice was refused: every problem found, in line order (whole-notice problems first).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoticeError {
    /// The notice has these problems; nothing of it was loaded.
    #[error("{}", render_problems(.0))]
    Problems(Vec<Problem>),
}

impl NoticeError {
    /// The problems found.
    pub fn problems(&self) -> &[Problem] {
        match self {
            NoticeError::Problems(p) => p,
        }
    }
}

fn render_problems(problems: &[Problem]) -> String {
    let mut s = format!("节假日安排通知未导入,共{}处问题:", problems.len());
    for p in problems {
        s.push_str("\n  - ");
        s.push_str(&p.message);
    }
    s
}

/// One problem of a refused notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line number, or `None` for a problem of the whole notice (no year, a festival
    /// missing).
    pub line: Option<u32>,
    /// What kind of problem.
    pub kind: ProblemKind,
    /// The line as read (normalized: Simplified, ASCII punctuation, pinyin stripped); empty for
    /// whole-notice problems.
    pub text: String,
    /// A Chinese sentence naming what is wrong and where (`第11行“…”:…`).
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The kinds of problem a notice can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// No `YYYY年部分节假日安排` title, so the dates cannot be placed in a year.
    NoYear,
    /// One of the seven festivals has no holiday line.
    MissingHoliday,
    /// A festival has two holiday lines.
    DuplicateHoliday,
    /// A numbered `放假` line whose festival name is not one of the seven.
    UnknownHoliday,
    /// A holiday line (or its continuation) that cannot be read: a garbled date or sentence.
    Garbled,
    /// A date that does not exist, a range that ends before it starts, or a year that does not
    /// fit the notice.
    InvalidDate,
    /// A weekday in parentheses that is not the date's weekday.
    WeekdayMismatch,
    /// `共N天` differs from the number of days in the range.
    CountMismatch,
    /// A make-up working day that is not a Saturday or Sunday.
    MakeUpNotWeekend,
    /// A make-up working day inside a days-off range.
    MakeUpInDaysOff,
    /// A holiday line says `不调休` but lists make-up days, or lists no days off at all.
    Inconsistent,
    /// A dated `放假`/`上班` sentence outside every holiday line.
    Orphan,
}

/// Reads a pasted notice. See the module documentation for the forms accepted and the checks.
///
/// # Errors
/// [`NoticeError::Problems`] with every problem found; nothing is returned half-read.
pub fn parse_notice(text: &str) -> Result<Notice, NoticeError> {
    let normalized = normalize(text);
    let lines: Vec<&str> = normalized.lines();
    let mut problems = Problems {
        lines: &lines,
        found: Vec::new(),
    };

    let year = find_year(&lines);
    if year.is_none() {
        problems.whole(
            ProblemKind::NoYear,
            "标题中找不到年份:应有“国务院办公厅关于YYYY年部分节假日安排的通知”".to_string(),
        );
    }
    let document_number = find_document_number(&lines);

    let blocks = find_blocks(&lines, &mut problems);
    for q in &normalized.questions {
        if blocks.iter().any(|b| b.covers(q.line)) {
            problems.at(
                q.line,
                ProblemKind::Garbled,
                format!("有乱码“{}”", q.excerpt),
            );
        }
    }
    find_orphans(&lines, &blocks, &mut problems);
    check_presence(&blocks, &mut problems);

    let raws: Vec<RawHoliday> = blocks
        .iter()
        .map(|b| read_block(b, &mut problems))
        .collect();

    let mut holidays = Vec::new();
    if let Some(year) = year {
        let mut make_up = Vec::new();
        for raw in &raws {
            let (holiday, days) = resolve(raw, year, &mut problems);
            holidays.push(holiday);
            make_up.extend(days);
        }
        check_make_up_days(&make_up, &holidays, &mut problems);
    }

    if !problems.found.is_empty() {
        let mut found = problems.found;
        found.sort_by_key(|p| p.line);
        return Err(NoticeError::Problems(found));
    }
    let year = year.expect("a missing year is a problem");
    let mut arrangement = YearArrangement::default();
    for h in &holidays {
        arrangement.days_off.extend(h.days_off.iter().copied());
        arrangement
            .make_up_days
            .extend(h.make_up_days.iter().copied());
    }
    let last_block = blocks.iter().map(|b| b.last_line()).max().unwrap_or(0);
    Ok(Notice {
        year,
        document_number,
        dated: find_signature_date(&lines, last_block),
        holidays,
        arrangement,
    })
}

// ----- problems ----------------------------------------------------------------------------

struct Problems<'a> {
    lines: &'a [&'a str],
    found: Vec<Problem>,
}

/// Characters of a line shown in a message.
const SHOWN: usize = 80;

impl Problems<'_> {
    fn whole(&mut self, kind: ProblemKind, what: String) {
        self.found.push(Problem {
            line: None,
            kind,
            text: String::new(),
            message: what,
        });
    }

    fn at(&mut self, line: u32, kind: ProblemKind, what: String) {
        let text = self
            .lines
            .get(line as usize - 1)
            .map(|l| l.trim().to_string())
            .unwrap_or_default();
        let shown: String = if text.chars().count() > SHOWN {
            text.chars().take(SHOWN).chain(['…']).collect()
        } else {
            text.clone()
        };
        self.found.push(Problem {
            line: Some(line),
            kind,
            message: format!("第{line}行“{shown}”:{what}"),
            text,
        });
    }
}

fn line_no(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

// ----- title, number, signature ------------------------------------------------------------

static RE_TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"({NUM})\s*年\s*部分节假日安排")).expect("valid regex"));

static RE_TITLE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:国务院办公厅)?\s*关于\s*({NUM})\s*年\s*部分节假日安排的通知$"
    ))
    .expect("valid regex")
});

fn title_year(digits: &str) -> Option<i32> {
    let y = i32::try_from(cn_number(digits)?).ok()?;
    (1949..=2999).contains(&y).then_some(y)
}

/// The year of the title: a line that is nothing but the title, else the first mention.
fn find_year(lines: &[&str]) -> Option<i32> {
    let whole = lines.iter().find_map(|l| {
        RE_TITLE_LINE
            .captures(l.trim())
            .and_then(|c| title_year(&c[1]))
    });
    whole.or_else(|| {
        lines
            .iter()
            .find_map(|l| RE_TITLE.captures_iter(l).find_map(|c| title_year(&c[1])))
    })
}

static RE_DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(国办发(?:明电)?)\s*[〔\[(［【]\s*(\d{4})\s*[〕\])］】]\s*(\d+)\s*号")
        .expect("valid regex")
});

fn find_document_number(lines: &[&str]) -> Option<String> {
    lines.iter().find_map(|l| {
        RE_DOC_NUMBER
            .captures(l)
            .map(|c| format!("{}〔{}〕{}号", &c[1], &c[2], &c[3]))
    })
}

/// The date under `国务院办公厅` after the holiday lines; failing that, the first line after
/// them that is nothing but a date.
fn find_signature_date(lines: &[&str], after: u32) -> Option<NaiveDate> {
    let tail: Vec<&str> = lines
        .iter()
        .skip(after as usize)
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    for (i, l) in tail.iter().enumerate() {
        if let Some(rest) = l.strip_prefix("国务院办公厅") {
            let rest = rest.trim();
            if rest.is_empty() {
                if let Some(d) = tail.get(i + 1).and_then(|n| is_date_line(n)) {
                    return Some(d);
                }
            } else if let Some(d) = is_date_line(rest) {
                return Some(d);
            }
        }
    }
    tail.iter().find_map(|l| is_date_line(l))
}

// ----- holiday lines -----------------------------------------------------------------------

/// A holiday line and the lines that continue it.
struct Block {
    /// Festivals named, in order.
    names: Vec<&'static str>,
    /// (line number, text) pieces of the body: the rest of the holiday line after the colon,
    /// then continuation lines. Whitespace removed.
    pieces: Vec<(u32, String)>,
}

impl Block {
    fn line(&self) -> u32 {
        self.pieces[0].0
    }

    fn last_line(&self) -> u32 {
        self.pieces.last().map_or(0, |p| p.0)
    }

    fn covers(&self, line: u32) -> bool {
        self.pieces.iter().any(|p| p.0 == line)
    }
}

static RE_HOLIDAY_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^([一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|[0-9]+[、.])?([^:]{1,24}):(.*)$",
    )
    .expect("valid regex")
});

static RE_DATE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^(?:{NUM}年)?{NUM}月{NUM}[日号]")).expect("valid regex")
});

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

enum LineKind {
    Holiday(Vec<&'static str>, String),
    Unknown,
    Other,
}

fn classify(line: &str) -> LineKind {
    let l = squeeze(line);
    let Some(c) = RE_HOLIDAY_LINE.captures(&l) else {
        return LineKind::Other;
    };
    let names: Option<Vec<&'static str>> = c[2]
        .split(['、', '和', '及', ','])
        .filter(|n| !n.is_empty())
        .map(|n| HOLIDAYS.iter().copied().find(|h| *h == n))
        .collect();
    match names {
        Some(names) if !names.is_empty() => LineKind::Holiday(names, c[3].to_string()),
        _ if c.get(1).is_some() && c[3].contains("放假") => LineKind::Unknown,
        _ => LineKind::Other,
    }
}

fn ends_sentence(s: &str) -> bool {
    s.ends_with(['。', ';'])
}

fn find_blocks(lines: &[&str], problems: &mut Problems) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        match classify(lines[i]) {
            LineKind::Holiday(names, body) => {
                let mut block = Block {
                    names,
                    pieces: vec![(line_no(i), body)],
                };
                // Continuation: the next line starts with a date, or the sentence was cut
                // mid-way and the next line follows directly.
                let mut j = i + 1;
                loop {
                    let mut k = j;
                    while k < lines.len() && lines[k].trim().is_empty() {
                        k += 1;
                    }
                    if k >= lines.len() || !matches!(classify(lines[k]), LineKind::Other) {
                        break;
                    }
                    let next = squeeze(lines[k]);
                    let last = &block.pieces.last().expect("one piece").1;
                    // A date line alone (the signature) never continues a holiday line.
                    let follows = (RE_DATE_START.is_match(&next) && is_date_line(&next).is_none())
                        || (k == j && !ends_sentence(last) && !last.is_empty());
                    if !follows {
                        break;
                    }
                    block.pieces.push((line_no(k), next));
                    j = k + 1;
                }
                blocks.push(block);
                i = j;
            }
            LineKind::Unknown => {
                problems.at(
                    line_no(i),
                    ProblemKind::UnknownHoliday,
                    format!("节日名称无法识别,应为{}之一", HOLIDAYS.join("、")),
                );
                i += 1;
            }
            LineKind::Other => i += 1,
        }
    }
    blocks
}

/// Dated `放假`/`上班` sentences after the first holiday line that no holiday line owns.
fn find_orphans(lines: &[&str], blocks: &[Block], problems: &mut Problems) {
    let Some(first) = blocks.first().map(Block::line) else {
        return;
    };
    for (i, l) in lines.iter().enumerate() {
        let n = line_no(i);
        if n <= first || blocks.iter().any(|b| b.covers(n)) {
            continue;
        }
        let l = squeeze(l);
        if RE_DATE_START.is_match(&l) && (l.contains("放假") || l.contains("上班")) {
            problems.at(
                n,
                ProblemKind::Orphan,
                "这一行的放假或上班日期不属于任何节日条目".to_string(),
            );
        }
    }
}

fn check_presence(blocks: &[Block], problems: &mut Problems) {
    let mut seen: Vec<(&str, u32)> = Vec::new();
    for b in blocks {
        for name in &b.names {
            if let Some((_, first)) = seen.iter().find(|(n, _)| n == name) {
                problems.at(
                    b.line(),
                    ProblemKind::DuplicateHoliday,
                    format!("{name}重复出现(第{first}行已有{name}的安排)"),
                );
            } else {
                seen.push((name, b.line()));
            }
        }
    }
    for name in HOLIDAYS {
        if !seen.iter().any(|(n, _)| *n == name) {
            problems.whole(
                ProblemKind::MissingHoliday,
                format!(
                    "通知中缺少{name}的放假安排(应有{}七个节日的条目)",
                    HOLIDAYS.join("、")
                ),
            );
        }
    }
}

// ----- reading a holiday line --------------------------------------------------------------

/// A date as written.
#[derive(Debug, Clone)]
struct RawDate {
    year: Option<i32>,
    month: Option<u32>,
    day: u32,
    weekday: Option<Weekday>,
    /// The date as written, for messages.
    text: String,
    line: u32,
}

#[derive(Debug, Clone)]
struct RawRange {
    start: RawDate,
    end: Option<RawDate>,
    count: Option<(u32, String)>,
    joins_weekend: bool,
    line: u32,
}

struct RawHoliday {
    name: String,
    line: u32,
    ranges: Vec<RawRange>,
    make_up: Vec<RawDate>,
    no_make_up: Option<u32>,
}

static RE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:({NUM})年)?(?:({NUM})月)?({NUM})[日号](?:\(([^()]*)\))?"
    ))
    .expect("valid regex")
});

static RE_COUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^(?:调休)?(?:共计?)?({NUM})天$")).expect("valid regex"));

const RANGE_SEPARATORS: [&str; 8] = ["至", "到", "—", "–", "－", "-", "~", "～"];

fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "周一",
        Weekday::Tue => "周二",
        Weekday::Wed => "周三",
        Weekday::Thu => "周四",
        Weekday::Fri => "周五",
        Weekday::Sat => "周六",
        Weekday::Sun => "周日",
    }
}

/// The weekday named in a date's parentheses (`农历除夕、周二` → Tuesday).
fn note_weekday(note: &str) -> Result<Option<Weekday>, String> {
    let mut found = None;
    for part in note.split(['、', ',']) {
        let rest = ["周", "星期", "礼拜"]
            .iter()
            .find_map(|p| part.strip_prefix(p));
        let Some(rest) = rest else { continue };
        let w = match rest {
            "一" => Weekday::Mon,
            "二" => Weekday::Tue,
            "三" => Weekday::Wed,
            "四" => Weekday::Thu,
            "五" => Weekday::Fri,
            "六" => Weekday::Sat,
            "日" | "天" | "七" => Weekday::Sun,
            _ => return Err(format!("无法识别的星期“{part}”")),
        };
        found = Some(w);
    }
    Ok(found)
}

/// Reads one date at the start of `s`; the rest of `s` after it.
fn read_date(s: &str, line: u32) -> Result<(RawDate, &str), String> {
    let Some(c) = RE_DATE.captures(s) else {
        return Err(format!("无法识别的日期“{s}”"));
    };
    let whole = c.get(0).expect("match").as_str();
    let num = |i: usize| -> Result<Option<u32>, String> {
        c.get(i)
            .map(|m| cn_number(m.as_str()).ok_or_else(|| format!("无法识别的日期“{whole}”")))
            .transpose()
    };
    let year = num(1)?
        .map(|y| i32::try_from(y).map_err(|_| format!("无法识别的年份“{whole}”")))
        .transpose()?;
    let month = num(2)?;
    let day = num(3)?.expect("day group always matches");
    let weekday = match c.get(4) {
        Some(n) => note_weekday(n.as_str())?,
        None => None,
    };
    Ok((
        RawDate {
            year,
            month,
            day,
            weekday,
            text: whole.to_string(),
            line,
        },
        &s[whole.len()..],
    ))
}

/// A days-off head: `DATE` or `DATE至DATE`, nothing else.
fn read_range(head: &str, line: u32) -> Result<(RawDate, Option<RawDate>), String> {
    let (start, rest) = read_date(head, line)?;
    if rest.is_empty() {
        return Ok((start, None));
    }
    let Some(after) = RANGE_SEPARATORS.iter().find_map(|s| rest.strip_prefix(s)) else {
        return Err(format!("无法识别的日期“{head}”"));
    };
    let (end, rest) = read_date(after, line)?;
    if !rest.is_empty() {
        return Err(format!("无法识别的日期“{head}”"));
    }
    Ok((start, Some(end)))
}

/// A make-up list: `DATE、DATE…` (before `上班`).
fn read_date_list(head: &str, line: u32) -> Result<Vec<RawDate>, String> {
    let items = split_outside_parens(head, &['、', ',', '和', '及']);
    if items.is_empty() {
        return Err("“上班”前没有日期".to_string());
    }
    items
        .into_iter()
        .map(|item| {
            let (d, rest) = read_date(item, line)?;
            if rest.is_empty() {
                Ok(d)
            } else {
                Err(format!("无法识别的日期“{item}”"))
            }
        })
        .collect()
}

fn read_block(block: &Block, problems: &mut Problems) -> RawHoliday {
    let mut raw = RawHoliday {
        name: block.names.join("、"),
        line: block.line(),
        ranges: Vec::new(),
        make_up: Vec::new(),
        no_make_up: None,
    };
    // Join the pieces, remembering where each line starts.
    let mut body = String::new();
    let mut starts: Vec<(usize, u32)> = Vec::new();
    for (line, text) in &block.pieces {
        starts.push((body.len(), *line));
        body.push_str(text);
    }
    let line_at = |offset: usize| {
        starts
            .iter()
            .rev()
            .find(|(s, _)| *s <= offset)
            .map_or(block.line(), |x| x.1)
    };
    let mut garbled = false;
    for sentence in split_outside_parens(&body, &['。', ';']) {
        let offset = sentence.as_ptr() as usize - body.as_ptr() as usize;
        let line = line_at(offset);
        if let Err(what) = read_sentence(sentence, line, &mut raw) {
            problems.at(line, ProblemKind::Garbled, what);
            garbled = true;
        }
    }
    if raw.ranges.is_empty() && !garbled {
        problems.at(
            block.line(),
            ProblemKind::Inconsistent,
            format!("{}没有放假日期", raw.name),
        );
    }
    if let Some(line) = raw.no_make_up
        && let Some(d) = raw.make_up.first()
    {
        problems.at(
            line,
            ProblemKind::Inconsistent,
            format!("写明“不调休”,却又列出上班日期{}", d.text),
        );
    }
    raw
}

fn read_sentence(sentence: &str, line: u32, raw: &mut RawHoliday) -> Result<(), String> {
    let s = sentence.trim_end_matches([',', '、']);
    if let Some((head, tail)) = s.split_once("放假") {
        let (start, end) = read_range(head, line)?;
        let mut range = RawRange {
            start,
            end,
            count: None,
            joins_weekend: false,
            line,
        };
        for clause in split_outside_parens(tail, &[',']) {
            if clause == "调休" {
                // 放假调休: the make-up days, if any, follow in their own sentence.
            } else if clause == "不调休" {
                raw.no_make_up = Some(line);
            } else if clause.ends_with("连休") {
                range.joins_weekend = true;
            } else if let Some(c) = RE_COUNT.captures(clause) {
                let n = cn_number(&c[1]).ok_or_else(|| format!("无法识别的天数“{clause}”"))?;
                range.count = Some((n, clause.to_string()));
            } else if let Some(head) = clause.strip_suffix("上班") {
                raw.make_up.extend(read_date_list(head, line)?);
            } else {
                return Err(format!("无法识别“{clause}”"));
            }
        }
        raw.ranges.push(range);
        Ok(())
    } else if let Some(head) = s.strip_suffix("上班") {
        raw.make_up.extend(read_date_list(head, line)?);
        Ok(())
    } else if RE_DATE_START.is_match(s) || s.contains("上班") {
        Err(format!("无法识别的句子“{s}”"))
    } else {
        // Advice such as 鼓励各单位…安排职工在除夕(2月9日)休息: no days off, no working days.
        Ok(())
    }
}

// ----- checking against the calendar -------------------------------------------------------

/// Places a written date in a year and checks its weekday. `carry` is the date a range's end (or
/// a month-less make-up date) follows: without a month it takes `carry`'s year and month; with a
/// month but no year it stays in `carry`'s year unless that would go backwards
/// (`2022年12月28日至12月31日`, but `2022年12月31日至1月2日` ends in the notice's year).
/// Any other date without a year is in the notice's year.
fn place(
    d: &RawDate,
    year: i32,
    carry: Option<NaiveDate>,
    problems: &mut Problems,
) -> Option<NaiveDate> {
    let month = match d.month.or(carry.map(|c| c.month())) {
        Some(m) => m,
        None => {
            problems.at(
                d.line,
                ProblemKind::Garbled,
                format!("日期“{}”缺少月份", d.text),
            );
            return None;
        }
    };
    let y = match (d.year, d.month, carry) {
        (Some(y), _, _) => y,
        (None, None, Some(c)) => c.year(),
        (None, Some(m), Some(c)) if m >= c.month() => c.year(),
        _ => year,
    };
    if y != year && y != year - 1 {
        problems.at(
            d.line,
            ProblemKind::InvalidDate,
            format!("日期“{}”的年份{y}与通知的{year}年不符", d.text),
        );
        return None;
    }
    let Some(date) = NaiveDate::from_ymd_opt(y, month, d.day) else {
        problems.at(
            d.line,
            ProblemKind::InvalidDate,
            format!("日期“{}”不存在({y}年{month}月没有{}日)", d.text, d.day),
        );
        return None;
    };
    if let Some(w) = d.weekday
        && w != date.weekday()
    {
        problems.at(
            d.line,
            ProblemKind::WeekdayMismatch,
            format!(
                "日期“{}”:{date}是{},不是{}",
                d.text,
                weekday_name(date.weekday()),
                weekday_name(w)
            ),
        );
    }
    Some(date)
}

fn days_between(first: NaiveDate, last: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut d = first;
    while d <= last {
        out.push(d);
        d = d + Days::new(1);
    }
    out
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

fn resolve(
    raw: &RawHoliday,
    year: i32,
    problems: &mut Problems,
) -> (Holiday, Vec<(NaiveDate, u32)>) {
    let mut days_off = BTreeSet::new();
    for r in &raw.ranges {
        let Some(first) = place(&r.start, year, None, problems) else {
            continue;
        };
        let last = match &r.end {
            Some(e) => match place(e, year, Some(first), problems) {
                Some(l) => l,
                None => continue,
            },
            None => first,
        };
        if last < first {
            problems.at(
                r.line,
                ProblemKind::InvalidDate,
                format!(
                    "放假范围“{}至{}”结束({last})早于开始({first})",
                    r.start.text,
                    r.end.as_ref().map_or("", |e| e.text.as_str())
                ),
            );
            continue;
        }
        let days = days_between(first, last);
        if let Some((n, clause)) = &r.count {
            // 与周末连休: the count includes the weekend the named days join.
            let span = if r.joins_weekend {
                let mut a = first;
                while let Some(p) = a.pred_opt().filter(|p| is_weekend(*p)) {
                    a = p;
                }
                let mut b = last;
                while let Some(s) = b.succ_opt().filter(|s| is_weekend(*s)) {
                    b = s;
                }
                days_between(a, b).len()
            } else {
                days.len()
            };
            if span != *n as usize {
                problems.at(
                    r.line,
                    ProblemKind::CountMismatch,
                    format!("“{clause}”与放假范围{first}至{last}的{span}天不符"),
                );
            }
        }
        days_off.extend(days);
    }
    let mut make_up = Vec::new();
    let mut carry: Option<NaiveDate> = None;
    for d in &raw.make_up {
        // A make-up date without a month takes the previous make-up date's.
        let carried = if d.month.is_none() { carry } else { None };
        if let Some(date) = place(d, year, carried, problems) {
            make_up.push((date, d.line));
            carry = Some(date);
        }
    }
    let mut make_up_days: Vec<NaiveDate> = make_up.iter().map(|m| m.0).collect();
    make_up_days.sort();
    make_up_days.dedup();
    (
        Holiday {
            name: raw.name.clone(),
            days_off: days_off.into_iter().collect(),
            make_up_days,
            line: raw.line,
        },
        make_up,
    )
}

/// Make-up working days (with the line each is written on) against every holiday's days off.
fn check_make_up_days(make_up: &[(NaiveDate, u32)], holidays: &[Holiday], problems: &mut Problems) {
    for &(d, line) in make_up {
        if !is_weekend(d) {
            problems.at(
                line,
                ProblemKind::MakeUpNotWeekend,
                format!(
                    "上班日{d}是{},调休上班日应为周六或周日",
                    weekday_name(d.weekday())
                ),
            );
        }
        if let Some(other) = holidays.iter().find(|o| o.days_off.contains(&d)) {
            problems.at(
                line,
                ProblemKind::MakeUpInDaysOff,
                format!(
                    "上班日{d}落在{}的放假范围({}至{})之内",
                    other.name,
                    other.days_off.first().expect("non-empty"),
                    other.days_off.last().expect("non-empty")
                ),
            );
        }
    }
}
