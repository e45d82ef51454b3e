//! The holiday-arrangement notice reader (`safeduty_plan::notice`) over the notice fixtures:
//! `notice-2025.txt` (a copy of `shared/calendar/notice-2025.txt`), notices for 2023, 2024 and 2026
//! written in the official style from `shared/calendar/cn-holidays-2023-2026.md`, and an invented
//! 2027 notice (`notice-2027-synthetic.txt`, weekdays checked; not an official arrangement).

use chrono::{Datelike, NaiveDate, Weekday};
use safeduty_core::calendar::Calendar;
use safeduty_plan::notice::{Notice, NoticeError, ProblemKind, parse_notice};

use super::{d, fixture};

fn notice(name: &str) -> Notice {
    parse_notice(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn refused(text: &str) -> NoticeError {
    match parse_notice(text) {
        Ok(n) => panic!("accepted: {n:?}"),
        Err(e) => e,
    }
}

/// `(name, days off, make-up days)` of every holiday line, without line numbers.
fn blocks(n: &Notice) -> Vec<(String, Vec<NaiveDate>, Vec<NaiveDate>)> {
    n.holidays
        .iter()
        .map(|h| (h.name.clone(), h.days_off.clone(), h.make_up_days.clone()))
        .collect()
}

#[test]
fn notice_2025_is_the_shipped_arrangement() {
    let n = notice("notice-2025.txt");
    assert_eq!(n.year, 2025);
    assert_eq!(n.dated, Some(d(2024, 11, 12)));
    assert_eq!(n.document_number, None, "the 新华社 text shows no number");
    assert_eq!(&n.arrangement, Calendar::shipped().year(2025).unwrap());

    let names: Vec<&str> = n.holidays.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "元旦",
            "春节",
            "清明节",
            "劳动节",
            "端午节",
            "国庆节、中秋节"
        ]
    );
    let lines: Vec<u32> = n.holidays.iter().map(|h| h.line).collect();
    assert_eq!(lines, vec![11, 13, 15, 17, 19, 21]);
    assert_eq!(n.holidays[5].festivals(), vec!["国庆节", "中秋节"]);

    let spring = &n.holidays[1];
    assert_eq!(spring.days_off.first(), Some(&d(2025, 1, 28)));
    assert_eq!(spring.days_off.last(), Some(&d(2025, 2, 4)));
    assert_eq!(spring.days_off.len(), 8);
    assert_eq!(spring.make_up_days, vec![d(2025, 1, 26), d(2025, 2, 8)]);
    assert_eq!(
        n.holidays[2].days_off,
        vec![d(2025, 4, 4), d(2025, 4, 5), d(2025, 4, 6)]
    );
    assert_eq!(n.holidays[0].days_off, vec![d(2025, 1, 1)]);
    assert!(n.holidays[0].make_up_days.is_empty());
}

/// The same notice as a Traditional repost: converter pinyin after some characters, full-width
/// punctuation, `週` for `周`, page chrome around it.
#[test]
fn traditional_repost_with_pinyin_reads_the_same() {
    let text = "首頁 > 新聞 > 時政\n\
        國務院辦公廳關於2025年部分節(jié)假日安排的通知\n\
        新華社北京11月12日電\n\
        各省、自治區(qū)、直轄市人民政府，國務院各部委、各直屬機構：\n\
        一、元旦：1月1日（週三）放假1天，不調(tiáo)休。\n\
        二、春節(jié)：1月28日（農曆除夕、週二）至2月4日（農曆正月初七、週二）放假調(tiáo)休，共8天。1月26日（週日）、2月8日（週六）上班。\n\
        三、清明節(jié)：4月4日（週五）至6日（週日）放假，共3天。\n\
        四、勞(láo)動節(jié)：5月1日（週四）至5日（週一）放假調(tiáo)休，共5天。4月27日（週日）上班。\n\
        五、端午節(jié)：5月31日（週六）至6月2日（週一）放假，共3天。\n\
        六、國(guó)慶節(jié)、中秋節(jié)：10月1日（週三）至8日（週三）放假調(tiáo)休，共8天。9月28日（週日）、10月11日（週六）上班。\n\
        節(jié)假日期間，各地區(qū)、各部門要妥善安排好值班和安全、保衛等工作。\n\
        國務院辦公廳\n\
        2024年11月12日\n\
        【責任編輯：某某】\n";
    let trad = parse_notice(text).unwrap_or_else(|e| panic!("{e}"));
    let simp = notice("notice-2025.txt");
    assert_eq!(trad.year, simp.year);
    assert_eq!(trad.dated, simp.dated);
    assert_eq!(trad.arrangement, simp.arrangement);
    assert_eq!(blocks(&trad), blocks(&simp));
    assert_eq!(trad.holidays[1].line, 6);

    // Full-width punctuation and CRLF over the fixture itself change nothing either.
    let wide: String = fixture("notice-2025.txt")
        .chars()
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            ':' => '：',
            ',' => '，',
            _ => c,
        })
        .collect();
    let wide = parse_notice(&wide.replace('\n', "\r\n")).unwrap();
    assert_eq!(wide, simp);
}

#[test]
fn notices_2023_2024_2026_are_the_shipped_years() {
    let shipped = Calendar::shipped();
    for (name, year, dated, number) in [
        (
            "notice-2023.txt",
            2023,
            d(2022, 12, 8),
            Some("国办发明电〔2022〕16号"),
        ),
        (
            "notice-2024.txt",
            2024,
            d(2023, 10, 25),
            Some("国办发明电〔2023〕7号"),
        ),
        ("notice-2026.txt", 2026, d(2025, 11, 4), None),
    ] {
        let n = notice(name);
        assert_eq!(n.year, year, "{name}");
        assert_eq!(n.dated, Some(dated), "{name}");
        assert_eq!(n.document_number.as_deref(), number, "{name}");
        assert_eq!(&n.arrangement, shipped.year(year).unwrap(), "{name}");
    }
}

/// 2023's New Year block starts in 2022 (explicit years are kept); 2024's 与周末连休 lines name
/// only the holiday itself; 2024's 除夕 advice (a date in parentheses) adds nothing.
#[test]
fn year_boundary_and_joined_weekends() {
    let n = notice("notice-2023.txt");
    assert_eq!(
        n.holidays[0].days_off,
        vec![d(2022, 12, 31), d(2023, 1, 1), d(2023, 1, 2)]
    );
    assert_eq!(n.holidays[5].name, "中秋节、国庆节");

    let n = notice("notice-2024.txt");
    assert_eq!(n.holidays[0].days_off, vec![d(2024, 1, 1)]);
    assert_eq!(n.holidays[4].days_off, vec![d(2024, 6, 10)]);
    assert!(!n.arrangement.days_off.contains(&d(2024, 2, 9)));
    assert_eq!(n.holidays.len(), 7);

    // 与周末连休 with a count: the count covers the joined weekend.
    let text = fixture("notice-2024.txt").replace(
        "五、端午节：6月10日放假，与周末连休。",
        "五、端午节：6月10日（星期一）放假，与周末连休，共3天。",
    );
    assert_eq!(parse_notice(&text).unwrap().arrangement, n.arrangement);
}

#[test]
fn missing_dragon_boat_is_refused() {
    let text: String = fixture("notice-2025.txt")
        .lines()
        .filter(|l| !l.starts_with("五、端午节"))
        .map(|l| format!("{l}\n"))
        .collect();
    let err = refused(&text);
    assert_eq!(err.problems().len(), 1, "{err}");
    let p = &err.problems()[0];
    assert_eq!(p.kind, ProblemKind::MissingHoliday);
    assert_eq!(p.line, None);
    assert!(p.message.contains("端午节"), "{}", p.message);
    assert!(err.to_string().contains("端午节"));
}

#[test]
fn contradicting_weekday_is_refused_with_line_and_text() {
    let text = fixture("notice-2025.txt").replace("1月1日(周三)", "1月1日(周四)");
    let err = refused(&text);
    let p = &err.problems()[0];
    assert_eq!(err.problems().len(), 1, "{err}");
    assert_eq!((p.kind, p.line), (ProblemKind::WeekdayMismatch, Some(11)));
    assert_eq!(p.text, "一、元旦:1月1日(周四)放假1天,不调休。");
    assert!(p.message.contains("第11行"), "{}", p.message);
    assert!(
        p.message.contains("周四") && p.message.contains("周三"),
        "{}",
        p.message
    );
    assert!(p.message.contains("2025-01-01"), "{}", p.message);
}

#[test]
fn garbled_date_is_refused() {
    for garbled in [
        "4月4曰(周五)至6日",
        "4月4日(周五)至6?日",
        "4月4日(周伍)至6日",
    ] {
        let text = fixture("notice-2025.txt").replace("4月4日(周五)至6日", garbled);
        let err = refused(&text);
        assert_eq!(err.problems().len(), 1, "{garbled}: {err}");
        let p = &err.problems()[0];
        assert_eq!(
            (p.kind, p.line),
            (ProblemKind::Garbled, Some(15)),
            "{garbled}"
        );
        assert!(p.message.contains("第15行"), "{}", p.message);
    }
    // A date that does not exist.
    let text = fixture("notice-2025.txt").replace("5月31日(周六)", "5月32日(周六)");
    let err = refused(&text);
    assert_eq!(err.problems()[0].kind, ProblemKind::InvalidDate, "{err}");
}

#[test]
fn every_problem_is_listed() {
    let text = fixture("notice-2025.txt")
        .replace("1月1日(周三)", "1月1日(周四)")
        .replace("放假调休,共8天。1月26日", "放假调休,共7天。1月26日")
        .replace("4月4日(周五)至6日", "4月4曰(周五)至6日")
        .replace("4月27日(周日)上班", "4月28日(周一)上班")
        .replace("10月11日(周六)上班", "10月4日(周六)上班")
        .lines()
        .filter(|l| !l.starts_with("五、端午节"))
        .map(|l| format!("{l}\n"))
        .collect::<String>();
    let err = refused(&text);
    let got: Vec<(Option<u32>, ProblemKind)> =
        err.problems().iter().map(|p| (p.line, p.kind)).collect();
    assert_eq!(
        got,
        vec![
            (None, ProblemKind::MissingHoliday),
            (Some(11), ProblemKind::WeekdayMismatch),
            (Some(13), ProblemKind::CountMismatch),
            (Some(15), ProblemKind::Garbled),
            (Some(17), ProblemKind::MakeUpNotWeekend),
            (Some(20), ProblemKind::MakeUpInDaysOff),
        ],
        "{err}"
    );
    let shown = err.to_string();
    assert!(shown.contains("共6处问题"), "{shown}");
    assert!(shown.contains("“共7天”"), "{shown}");
    assert!(shown.contains("国庆节、中秋节的放假范围"), "{shown}");
}

#[test]
fn no_year_in_the_title_is_refused() {
    let text: String = fixture("notice-2025.txt")
        .lines()
        .filter(|l| !l.contains("部分节假日安排"))
        .map(|l| format!("{l}\n"))
        .collect();
    let err = refused(&text);
    let kinds: Vec<ProblemKind> = err.problems().iter().map(|p| p.kind).collect();
    assert_eq!(kinds, vec![ProblemKind::NoYear], "{err}");
}

#[test]
fn other_inconsistencies_are_refused() {
    // An explicit year equal to the notice's is fine.
    let base = fixture("notice-2025.txt");
    let explicit = base.replace("至6月2日(周一)放假", "至2025年6月2日(周一)放假");
    assert_eq!(
        parse_notice(&explicit).unwrap().arrangement,
        notice("notice-2025.txt").arrangement
    );

    for (from, to, kind) in [
        (
            "1月1日(周三)放假1天,不调休。",
            "1月1日(周三)放假1天,不调休。1月4日(周六)上班。",
            ProblemKind::Inconsistent,
        ),
        (
            "五、端午节:",
            "五、端午节:5月31日(周六)放假。\n七、端午节:",
            ProblemKind::DuplicateHoliday,
        ),
        ("五、端午节:", "五、端午?节:", ProblemKind::UnknownHoliday),
        (
            "至6月2日(周一)放假",
            "至2031年6月2日(周一)放假",
            ProblemKind::InvalidDate,
        ),
        (
            "10月1日(周三)至8日",
            "10月8日(周三)至1日",
            ProblemKind::InvalidDate,
        ),
        (
            "\n国务院办公厅",
            "\n5月10日(周六)上班。\n国务院办公厅",
            ProblemKind::Orphan,
        ),
    ] {
        let err = refused(&base.replace(from, to));
        assert!(err.problems().iter().any(|p| p.kind == kind), "{to}: {err}");
        assert!(err.problems().iter().all(|p| !p.message.is_empty()));
    }
}

/// Chinese numerals, `星期`, and `到` for `至` read the same as the official digits.
#[test]
fn chinese_numerals_read_the_same() {
    let text = fixture("notice-2025.txt")
        .replace("1月1日(周三)放假1天", "一月一日(星期三)放假一天")
        .replace("10月1日(周三)至8日(周三)", "十月一日(星期三)到八日(星期三)")
        .replace("共8天。9月28日", "共八天。九月二十八日");
    let n = parse_notice(&text).unwrap();
    assert_eq!(n.arrangement, notice("notice-2025.txt").arrangement);
}

/// A make-up sentence wrapped onto its own line still belongs to its holiday.
#[test]
fn make_up_sentence_on_the_next_line() {
    let text = fixture("notice-2025.txt").replace("共8天。1月26日", "共8天。\n1月26日");
    let n = parse_notice(&text).unwrap();
    assert_eq!(n.arrangement, notice("notice-2025.txt").arrangement);
    assert_eq!(n.holidays[1].make_up_days.len(), 2);
}

/// An invented 2027 notice: it reads, and loading it turns a provisional walk through 2027 into
/// the official answer.
#[test]
fn synthetic_2027_notice_completes_the_calendar() {
    let n = notice("notice-2027-synthetic.txt");
    assert_eq!(n.year, 2027);
    assert_eq!(n.dated, Some(d(2026, 11, 10)));
    assert_eq!(d(2027, 1, 1).weekday(), Weekday::Fri);
    assert_eq!(n.holidays.len(), 7);
    assert_eq!(n.arrangement.days_off.len(), 3 + 8 + 3 + 5 + 1 + 1 + 7);
    assert_eq!(n.arrangement.make_up_days.len(), 5);

    let mut cal = Calendar::shipped();
    assert!(cal.year(2027).is_none());
    // 7 working days after 2027-02-03, across the Spring Festival.
    let guess = cal.add_working_days(d(2027, 2, 3), 7);
    assert_eq!((guess.date, guess.provisional), (d(2027, 2, 12), true));

    cal.set_year(n.year, n.arrangement.clone());
    let official = cal.add_working_days(d(2027, 2, 3), 7);
    assert_eq!(
        (official.date, official.provisional),
        (d(2027, 2, 20), false),
        "2027-02-05..12 off, then 15–19 and the make-up Saturday 20"
    );
    // The year change: 2026-12-30 + 3 skips the 2027 New Year days.
    let new_year = cal.add_working_days(d(2026, 12, 30), 3);
    assert_eq!(
        (new_year.date, new_year.provisional),
        (d(2027, 1, 5), false)
    );
}

#[test]
fn garbage_never_panics() {
    for text in [
        "",
        "国务院办公厅关于2025年部分节假日安排的通知",
        "一、元旦:",
        "一、元旦:放假",
        "一、元旦:1月放假",
        "一、元旦:(周三)放假上班",
        "国务院办公厅关于9999999999年部分节假日安排的通知\n一、元旦:99月99日至0日放假,共九十九天。",
        "关于二〇二五年部分节假日安排\n一、元旦:一月一日(周三)放假一天,不调休。\n上班",
        "一、元旦:1月1日((周三)放假",
    ] {
        let _ = parse_notice(text);
    }
}
