//! Chinese numerals and the date expressions plans use: `2024年3月29日`, `二00九年三月二十五日`,
//! `4月30日前`, `5月1日至6月30日`, `12月底`.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

/// Value of a number written in ASCII digits or Chinese numerals up to 99 (`七`, `十五`, `三十一`),
/// or digit by digit (`二00九`, `二〇〇九`).
pub fn cn_number(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    fn digit(c: char) -> Option<u32> {
        Some(match c {
            '〇' | '零' | '○' | 'О' | '0' => 0,
            '一' | '1' => 1,
            '二' | '两' | '2' => 2,
            '三' | '3' => 3,
            '四' | '4' => 4,
            '五' | '5' => 5,
            '六' | '6' => 6,
            '七' | '7' => 7,
            '八' | '8' => 8,
            '九' | '9' => 9,
            _ => return None,
        })
    }
    if !s.contains('十') {
        // Digit by digit (years such as 二00九).
        let mut v: u32 = 0;
        for c in s.chars() {
            v = v.checked_mul(10)?.checked_add(digit(c)?)?;
        }
        return Some(v);
    }
    let (tens, ones) = s.split_once('十')?;
    let tens = if tens.is_empty() {
        1
    } else {
        digit_only(tens, digit)?
    };
    let ones = if ones.is_empty() {
        0
    } else {
        digit_only(ones, digit)?
    };
    Some(tens * 10 + ones)
}

fn digit_only(s: &str, digit: fn(char) -> Option<u32>) -> Option<u32> {
    let mut chars = s.chars();
    let c = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    digit(c)
}

/// A Chinese numeral or ASCII number, as a regex fragment.
pub const NUM: &str = r"[0-9〇零○一二三四五六七八九十两]+";

static RE_FULL_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"({NUM})年({NUM})月({NUM})日")).expect("valid regex"));

/// Parses a full date `YYYY年M月D日` (ASCII digits or Chinese numerals) found at the start of `s`.
pub fn parse_full_date(s: &str) -> Option<NaiveDate> {
    let c = RE_FULL_DATE.captures(s)?;
    if c.get(0)?.start() != 0 {
        return None;
    }
    let y = cn_number(&c[1])?;
    let m = cn_number(&c[2])?;
    let d = cn_number(&c[3])?;
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

/// Whether `s` (trimmed) is nothing but a full date, as on a signature line.
pub fn is_date_line(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let m = RE_FULL_DATE.find(s)?;
    (m.start() == 0 && m.end() == s.len())
        .then(|| parse_full_date(s))
        .flatten()
}

/// Last day of a month.
pub fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

/// A date mention inside a window: `[YYYY年]M月[D日|底|上旬|中旬|下旬]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// Year, when written.
    pub year: Option<i32>,
    /// Month.
    pub month: u32,
    /// Day, when written.
    pub day: Option<u32>,
    /// Part of the month when no day is written.
    pub part: MonthPart,
    /// Byte offset of the mention's end in the searched text.
    pub end: usize,
    /// Byte offset of the mention's start.
    pub start: usize,
}

/// Which part of a month a day-less mention names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthPart {
    /// The whole month (`5月`).
    Whole,
    /// `上旬`: days 1–10.
    Early,
    /// `中旬`: days 11–20.
    Middle,
    /// `下旬`: day 21 to the end.
    Late,
    /// `底` / `末`: the last day.
    End,
    /// `初`: the first day.
    Start,
}

static RE_MENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:({NUM})年)?({NUM})月(?:({NUM})[日号]|(底|末|上旬|中旬|下旬|初))?"
    ))
    .expect("valid regex")
});

/// All date mentions in `s`, in order.
pub fn mentions(s: &str) -> Vec<Mention> {
    RE_MENTION
        .captures_iter(s)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let year = c
                .get(1)
                .and_then(|m| cn_number(m.as_str()))
                .and_then(|y| i32::try_from(y).ok());
            let month = cn_number(&c[2])?;
            if !(1..=12).contains(&month) {
                return None;
            }
            let day = c.get(3).and_then(|m| cn_number(m.as_str()));
            if day.is_some_and(|d| !(1..=31).contains(&d)) {
                return None;
            }
            let part = match c.get(4).map(|m| m.as_str()) {
                Some("底" | "末") => MonthPart::End,
                Some("上旬") => MonthPart::Early,
                Some("中旬") => MonthPart::Middle,
                Some("下旬") => MonthPart::Late,
                Some("初") => MonthPart::Start,
                _ => MonthPart::Whole,
            };
            Some(Mention {
                year,
                month,
                day,
                part,
                end: whole.end(),
                start: whole.start(),
            })
        })
        .collect()
}

impl Mention {
    /// First day the mention can mean, in `year` unless it names its own.
    pub fn first_day(&self, year: i32) -> Option<NaiveDate> {
        let y = self.year.unwrap_or(year);
        let d = match (self.day, self.part) {
            (Some(d), _) => d,
            (None, MonthPart::Middle) => 11,
            (None, MonthPart::Late) => 21,
            (None, MonthPart::End) => return last_day_of_month(y, self.month),
            (None, _) => 1,
        };
        NaiveDate::from_ymd_opt(y, self.month, d)
    }

    /// Last day the mention can mean, in `year` unless it names its own.
    pub fn last_day(&self, year: i32) -> Option<NaiveDate> {
        let y = self.year.unwrap_or(year);
        match (self.day, self.part) {
            (Some(d), _) => NaiveDate::from_ymd_opt(y, self.month, d),
            (None, MonthPart::Early) => NaiveDate::from_ymd_opt(y, self.month, 10),
            (None, MonthPart::Middle) => NaiveDate::from_ymd_opt(y, self.month, 20),
            (None, MonthPart::Start) => NaiveDate::from_ymd_opt(y, self.month, 1),
            (None, _) => last_day_of_month(y, self.month),
        }
    }
}

/// A date window read from text such as `4月30日前` or `5月1日至6月30日`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Window {
    /// First day, when written.
    pub start: Option<NaiveDate>,
    /// Last day, when written.
    pub end: Option<NaiveDate>,
    /// The window starts "from today" (即日起), i.e. on the plan's issue date.
    pub from_now: bool,
    /// A date was written but no year could be given to it.
    pub needs_year: bool,
}

impl Window {
    /// Whether any part of a window was found.
    pub fn is_some(&self) -> bool {
        self.start.is_some() || self.end.is_some() || self.from_now || self.needs_year
    }
}

const RANGE_CONNECTORS: [&str; 7] = ["至", "到", "—", "-", "~", "～", "－"];

/// A part of a year named without a month: `上半年`, `下半年`, `全年`, `年底(前)`, `第三季度`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearPartMention {
    /// Year, when written (`2024年下半年`).
    pub year: Option<i32>,
    /// Which part.
    pub part: YearPart,
    /// Byte offset of the mention's start in the searched text.
    pub start: usize,
}

/// Parts of a year that plans name without a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearPart {
    /// `上半年`: January to June.
    FirstHalf,
    /// `下半年`: July to December.
    SecondHalf,
    /// `全年`: the whole year.
    Whole,
    /// `年底` / `年末` / `年内` / `年前`: by the last day of the year.
    YearEnd,
    /// `第三季度`, `三季度`: a quarter (1–4).
    Quarter(u32),
}

impl YearPartMention {
    /// First and last day in `year` unless the mention names its own; a deadline (`年底`) has
    /// no first day.
    pub fn days(&self, year: i32) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let y = self.year.unwrap_or(year);
        let ymd = |m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d);
        match self.part {
            YearPart::FirstHalf => (ymd(1, 1), ymd(6, 30)),
            YearPart::SecondHalf => (ymd(7, 1), ymd(12, 31)),
            YearPart::Whole => (ymd(1, 1), ymd(12, 31)),
            YearPart::YearEnd => (None, ymd(12, 31)),
            YearPart::Quarter(q) => (ymd(3 * q - 2, 1), last_day_of_month(y, 3 * q)),
        }
    }
}

/// The first part of a year named in `s` without a month, if any.
pub fn year_part(s: &str) -> Option<YearPartMention> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"(?:({NUM})年(?:度)?)?(上半年|下半年|全年|年底|年末|年内|年前|第?([一二三四1-4])季度)"
        ))
        .expect("valid regex")
    });
    let c = RE.captures(s)?;
    let whole = c.get(0)?;
    let year = c
        .get(1)
        .and_then(|m| cn_number(m.as_str()))
        .and_then(|y| i32::try_from(y).ok())
        .filter(|y| (1900..=2200).contains(y));
    let part = match &c[2] {
        "上半年" => YearPart::FirstHalf,
        "下半年" => YearPart::SecondHalf,
        "全年" => YearPart::Whole,
        "年底" | "年末" | "年内" | "年前" => YearPart::YearEnd,
        _ => YearPart::Quarter(cn_number(c.get(3)?.as_str())?),
    };
    Some(YearPartMention {
        year,
        part,
        start: whole.start(),
    })
}

/// Whether `s` names a date or a part of a year (`5月`, `即日起`, `下半年`, `年底前`).
pub fn names_a_time(s: &str) -> bool {
    s.contains('月') || s.contains("即日") || year_part(s).is_some()
}

/// Whether `s` holds a placeholder where a number belongs (`X月X日`, `××年`, `XX镇`), as in a
/// template of a plan that is not filled in.
pub fn has_placeholder(s: &str) -> bool {
    let v: Vec<char> = s.chars().collect();
    v.iter().enumerate().any(|(i, &c)| {
        let x = matches!(c, 'X' | 'x' | 'Ｘ' | 'ｘ' | '×' | '＊' | '*');
        x && (v.get(i + 1).is_some_and(|n| {
            matches!(
                n,
                '年' | '月' | '日' | '号' | '镇' | '县' | '区' | '市' | '街'
            )
        }) || v.get(i + 1) == Some(&c)
            && !v
                .get(i.wrapping_sub(1))
                .is_some_and(char::is_ascii_alphanumeric))
    })
}

/// Reads a window. `year` is the plan's year, used when the text gives none.
pub fn parse_window(text: &str, year: Option<i32>) -> Window {
    // `7~9月` / `7至9月`: the first month borrows the second's 月.
    static RE_MONTH_RANGE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(r"(^|[^0-9〇零○一二三四五六七八九十两年月日])({NUM})(\s*(?:至|到|—|-|~|～|－)\s*)({NUM}月)"))
            .expect("valid regex")
    });
    let expanded = RE_MONTH_RANGE.replace(text, "${1}${2}月${3}${4}");
    let text = expanded.as_ref();
    let ms = mentions(text);
    let from_now = text.contains("即日");
    let mut w = Window {
        from_now,
        ..Window::default()
    };
    let Some(first) = ms.first() else {
        // No month written: a part of the year (`下半年`, `年底前`, `第三季度`).
        if let Some(p) = year_part(text) {
            match p.year.or(year) {
                Some(y) => {
                    let (start, end) = p.days(y);
                    w.start = if from_now { None } else { start };
                    w.end = end;
                }
                None => w.needs_year = true,
            }
        }
        return w;
    };
    let Some(y) = first.year.or(year) else {
        w.needs_year = true;
        return w;
    };
    let after_first = &text[first.end..];
    // `10月至年底`: a range whose end is the year's end.
    if let Some(p) = year_part(after_first)
        && p.part == YearPart::YearEnd
        && p.year.is_none()
        && RANGE_CONNECTORS
            .iter()
            .any(|c| after_first[..p.start].contains(c))
    {
        w.start = if from_now && ms.len() == 1 && !after_first[..p.start].contains('起') {
            None
        } else {
            first.first_day(y)
        };
        w.end = last_day_of_month(y, 12);
        return w;
    }
    let second = ms.get(1).filter(|m| {
        let between = &text[first.end..m.start];
        RANGE_CONNECTORS.iter().any(|c| between.contains(c))
    });
    if let Some(second) = second {
        w.start = first.first_day(y);
        let y2 = second.year.unwrap_or(y);
        let mut end = second.last_day(y2);
        if let (Some(s), Some(e)) = (w.start, end)
            && e < s
            && second.year.is_none()
        {
            end = second.last_day(y2 + 1);
        }
        w.end = end;
        return w;
    }
    let before = ["前", "以前", "之前", "底前"];
    let is_deadline = before
        .iter()
        .any(|b| after_first.trim_start().starts_with(b))
        || (first.part == MonthPart::End && after_first.starts_with('前'));
    let is_start =
        after_first.trim_start().starts_with('起') || after_first.trim_start().starts_with("开始");
    if from_now && ms.len() == 1 {
        // 即日起至4月30日 / 即日起到12月底
        w.end = first.last_day(y);
    } else if is_deadline {
        w.end = first.last_day(y);
    } else if is_start {
        w.start = first.first_day(y);
    } else {
        w.start = first.first_day(y);
        w.end = first.last_day(y);
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn numerals() {
        assert_eq!(cn_number("七"), Some(7));
        assert_eq!(cn_number("十"), Some(10));
        assert_eq!(cn_number("十五"), Some(15));
        assert_eq!(cn_number("二十五"), Some(25));
        assert_eq!(cn_number("三十一"), Some(31));
        assert_eq!(cn_number("二00九"), Some(2009));
        assert_eq!(cn_number("二〇二四"), Some(2024));
        assert_eq!(cn_number("31"), Some(31));
        assert_eq!(cn_number("甲"), None);
    }

    #[test]
    fn full_dates() {
        assert_eq!(is_date_line("2024年3月29日"), Some(d(2024, 3, 29)));
        assert_eq!(is_date_line(" 二00九年三月二十五日 "), Some(d(2009, 3, 25)));
        assert_eq!(is_date_line("2024年3月29日印发"), None);
    }

    #[test]
    fn windows() {
        let y = Some(2024);
        let w = parse_window("4月30日前", y);
        assert_eq!((w.start, w.end), (None, Some(d(2024, 4, 30))));
        let w = parse_window("5月1日至6月30日", y);
        assert_eq!(
            (w.start, w.end),
            (Some(d(2024, 5, 1)), Some(d(2024, 6, 30)))
        );
        let w = parse_window("11月1日至12月31日", y);
        assert_eq!(w.end, Some(d(2024, 12, 31)));
        let w = parse_window("即日起至12月底", y);
        assert!(w.from_now);
        assert_eq!(w.end, Some(d(2024, 12, 31)));
        let w = parse_window("2025年1月—3月", y);
        assert_eq!(
            (w.start, w.end),
            (Some(d(2025, 1, 1)), Some(d(2025, 3, 31)))
        );
        let w = parse_window("5月", y);
        assert_eq!(
            (w.start, w.end),
            (Some(d(2024, 5, 1)), Some(d(2024, 5, 31)))
        );
        let w = parse_window("12月1日至次年1月15日", y);
        assert_eq!(w.end, Some(d(2025, 1, 15)));
        let w = parse_window("4月30日前", None);
        assert!(w.needs_year && w.end.is_none());
    }

    #[test]
    fn month_only_and_year_part_windows() {
        let y = Some(2024);
        let got = |s: &str| {
            let w = parse_window(s, y);
            (w.start, w.end)
        };
        assert_eq!(got("6月底前"), (None, Some(d(2024, 6, 30))));
        assert_eq!(got("7月"), (Some(d(2024, 7, 1)), Some(d(2024, 7, 31))));
        assert_eq!(got("7~9月"), (Some(d(2024, 7, 1)), Some(d(2024, 9, 30))));
        assert_eq!(got("6~11月"), (Some(d(2024, 6, 1)), Some(d(2024, 11, 30))));
        assert_eq!(got("12月"), (Some(d(2024, 12, 1)), Some(d(2024, 12, 31))));
        assert_eq!(got("下半年"), (Some(d(2024, 7, 1)), Some(d(2024, 12, 31))));
        assert_eq!(got("上半年"), (Some(d(2024, 1, 1)), Some(d(2024, 6, 30))));
        assert_eq!(got("年底前"), (None, Some(d(2024, 12, 31))));
        assert_eq!(
            got("2025年第三季度"),
            (Some(d(2025, 7, 1)), Some(d(2025, 9, 30)))
        );
        assert_eq!(
            got("10月至年底"),
            (Some(d(2024, 10, 1)), Some(d(2024, 12, 31)))
        );
        let w = parse_window("即日起至年底", y);
        assert!(w.from_now);
        assert_eq!((w.start, w.end), (None, Some(d(2024, 12, 31))));
        assert!(parse_window("下半年", None).needs_year);
    }

    #[test]
    fn placeholders() {
        for s in ["X月X日前", "××年", "XX镇", "2024年X月", "xx月"] {
            assert!(has_placeholder(s), "{s}");
        }
        for s in ["4月30日前", "USCC", "GB 2894", "XML文件", "Word或WPS"] {
            assert!(!has_placeholder(s), "{s}");
        }
    }
}
