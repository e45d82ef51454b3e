//! The kinds of issue #17, each on invented text of its kind (none of these texts is a real
//! document): phases written inline with month-only windows, the campaign window of the opening
//! sentences, check tables copied out of PDFs and document-sharing sites, a decimal outline run
//! together with recurring reports, damaged text, and texts in which nothing may be found.

use chrono::NaiveDate;
use safeduty_core::campaign::recurring_due_dates;
use safeduty_core::template::{CampaignTemplate, DueRule, Lines, Period, QuestionKind};
use safeduty_plan::{from_toml, import, summary, to_toml};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn t(text: &str) -> CampaignTemplate {
    let t = import(text, None).template;
    // Whatever is read, the template file reads back the same.
    assert_eq!(from_toml(&to_toml(&t)).unwrap(), t);
    t
}

fn phases(t: &CampaignTemplate) -> Vec<(u32, String, Option<NaiveDate>, Option<NaiveDate>)> {
    t.phases
        .iter()
        .map(|p| (p.ordinal, p.name.clone(), p.start, p.end))
        .collect()
}

fn window(t: &CampaignTemplate) -> Option<(Option<NaiveDate>, Option<NaiveDate>, String)> {
    t.window.as_ref().map(|w| (w.start, w.end, w.text.clone()))
}

fn questions(t: &CampaignTemplate, kind: QuestionKind) -> Vec<(u32, String)> {
    t.questions
        .iter()
        .filter(|q| q.kind == kind && !q.resolved)
        .map(|q| (q.line, q.message.clone()))
        .collect()
}

/// (label, title, numbers) of each top-level area.
fn shape(t: &CampaignTemplate) -> Vec<(String, String, Vec<u32>)> {
    t.areas
        .iter()
        .map(|a| {
            (
                a.label.clone(),
                a.title.clone(),
                a.items.iter().map(|i| i.number).collect(),
            )
        })
        .collect()
}

// ----- 1. phases written inline ------------------------------------------------------------

const INLINE_STEPS: &str = "(一)安排部署、宣传发动阶段(6月底前)。各乡镇制定实施方案,召开部署会议。\
    (二)企业自查自整阶段(7月)。各企业对照标准逐项自查。(三)集中整治阶段(7~9月)。各部门开展执法检查。\
    (四)督导检查阶段(6~11月)。县安委办组织明查暗访。(五)全面总结阶段(12月)。各单位总结经验做法。";

fn inline_plan(signature: &str, opening: &str) -> String {
    format!(
        "某某县燃气安全隐患专项整治工作方案\n{opening}\n一、整治范围\n全县燃气经营、使用单位。\n\
         二、整治步骤\n{INLINE_STEPS}\n三、工作要求\n各乡镇要加强领导,确保实效。\n{signature}"
    )
}

/// Five phases in one paragraph, month-only windows, overlapping; the first starts on the
/// document's date (the plan runs 即日起).
#[test]
fn phases_written_inline_with_month_windows() {
    let text = inline_plan(
        "某某县安全生产委员会\n2025年5月20日\n",
        "县安委会决定自即日起至12月底在全县开展燃气安全隐患专项整治。",
    );
    let t = t(&text);
    assert_eq!(
        phases(&t),
        vec![
            (
                1,
                "安排部署、宣传发动".into(),
                Some(d(2025, 5, 20)),
                Some(d(2025, 6, 30))
            ),
            (
                2,
                "企业自查自整".into(),
                Some(d(2025, 7, 1)),
                Some(d(2025, 7, 31))
            ),
            (
                3,
                "集中整治".into(),
                Some(d(2025, 7, 1)),
                Some(d(2025, 9, 30))
            ),
            (
                4,
                "督导检查".into(),
                Some(d(2025, 6, 1)),
                Some(d(2025, 11, 30))
            ),
            (
                5,
                "全面总结".into(),
                Some(d(2025, 12, 1)),
                Some(d(2025, 12, 31))
            ),
        ]
    );
    assert!(t.phases.iter().all(|p| p.lines == Some(Lines::one(6))));
    let windows: Vec<&str> = t.phases.iter().map(|p| p.window_text.as_str()).collect();
    assert_eq!(windows, vec!["6月底前", "7月", "7~9月", "6~11月", "12月"]);
    assert_eq!(
        window(&t),
        Some((
            Some(d(2025, 5, 20)),
            Some(d(2025, 12, 31)),
            "自即日起至12月底".into()
        ))
    );
    assert!(t.questions.is_empty(), "{:?}", t.questions);
    assert!(t.all_items().is_empty() && t.areas.is_empty());
}

/// `上半年`, `下半年` and `年底前` windows; a phase that only ends by a date, after a phase
/// running to the same day, has no start to infer: the reviewer is asked.
#[test]
fn half_year_and_year_end_windows() {
    let text = "某某区安全生产委员会\n2024年4月8日\n\
        五、实施步骤\n专项整治分三个阶段进行。(一)排查摸底阶段(上半年)。全面摸清底数。\
        (二)集中攻坚阶段(下半年)。(三)验收总结阶段(年底前)。\n";
    let t = t(text);
    assert_eq!(
        phases(&t),
        vec![
            (
                1,
                "排查摸底".into(),
                Some(d(2024, 1, 1)),
                Some(d(2024, 6, 30))
            ),
            (
                2,
                "集中攻坚".into(),
                Some(d(2024, 7, 1)),
                Some(d(2024, 12, 31))
            ),
            (3, "验收总结".into(), None, Some(d(2024, 12, 31))),
        ]
    );
    let last = &t.phases[2];
    assert_eq!(last.name, "验收总结");
    assert_eq!(last.end, Some(d(2024, 12, 31)));
    assert_eq!(last.window_text, "年底前");
    // Its start is not written: asked about.
    assert!(
        questions(&t, QuestionKind::Date)
            .iter()
            .any(|(l, m)| *l == 4 && m.contains("验收总结"))
    );
}

/// Without a signed date the year comes from the campaign window, and the reviewer is asked.
#[test]
fn inline_phases_take_the_campaign_year_when_the_document_has_no_date() {
    let text = inline_plan(
        "",
        "县安委会决定自即日起至2025年12月底在全县开展燃气安全隐患专项整治。",
    );
    let t = t(&text);
    let ends: Vec<Option<NaiveDate>> = t.phases.iter().map(|p| p.end).collect();
    assert_eq!(
        ends,
        vec![
            Some(d(2025, 6, 30)),
            Some(d(2025, 7, 31)),
            Some(d(2025, 9, 30)),
            Some(d(2025, 11, 30)),
            Some(d(2025, 12, 31))
        ]
    );
    let dates = questions(&t, QuestionKind::Date);
    assert!(
        dates
            .iter()
            .any(|(_, m)| m.contains("专项治理时间推定为2025年")),
        "{dates:?}"
    );
    // 即日起 without a signed date: the start is asked for, not guessed.
    assert_eq!(t.phases[0].start, None);
    assert_eq!(window(&t).unwrap().0, None);
    assert!(dates.iter().any(|(l, m)| *l == 2 && m.contains("即日起")));
    // Without any year at all, each phase's window is a question.
    let t2 = t_of(&inline_plan(
        "",
        "县安委会决定在全县开展燃气安全隐患专项整治。",
    ));
    assert_eq!(t2.phases.len(), 5);
    assert!(t2.phases.iter().all(|p| p.end.is_none()));
    assert_eq!(
        questions(&t2, QuestionKind::Date)
            .iter()
            .filter(|(_, m)| m.contains("没有年份"))
            .count(),
        5
    );
}

/// A plan signed in December whose next phase writes `1~3月`: that is next year, asked.
#[test]
fn a_month_window_before_the_signature_is_next_year() {
    let text = "某某市安全生产委员会\n2023年12月15日\n\
        第一阶段:部署发动(12月底前)。\n第二阶段:排查整治(1~3月)。\n";
    let t = t(text);
    assert_eq!(
        phases(&t)[1],
        (
            2,
            "排查整治".into(),
            Some(d(2024, 1, 1)),
            Some(d(2024, 3, 31))
        )
    );
    assert!(
        questions(&t, QuestionKind::Date)
            .iter()
            .any(|(l, m)| *l == 4 && m.contains("下一年"))
    );
}

// ----- 2. the campaign window --------------------------------------------------------------

/// (signed date, opening sentence, window start, window end, window text, questions on it)
type Case = (
    &'static str,
    &'static str,
    Option<NaiveDate>,
    Option<NaiveDate>,
    &'static str,
    usize,
);

/// Every form of the opening sentence, with and without phases.
#[test]
fn campaign_windows_of_the_opening_sentences() {
    let cases: [Case; 5] = [
        (
            "2019年12月20日",
            "市安委会决定自即日起到2020年5月底在全市开展危险化学品专项整治。",
            Some(d(2019, 12, 20)),
            Some(d(2020, 5, 31)),
            "自即日起到2020年5月底",
            0,
        ),
        (
            "2024年4月2日",
            "区安委会决定从即日起到12月底,在全区组织开展消防安全专项治理行动。",
            Some(d(2024, 4, 2)),
            Some(d(2024, 12, 31)),
            "从即日起到12月底",
            0,
        ),
        (
            "2025年3月1日",
            "本次专项整治行动将于2025年6月底前全面完成。",
            Some(d(2025, 3, 1)),
            Some(d(2025, 6, 30)),
            "将于2025年6月底前全面完成",
            1,
        ),
        (
            "2025年3月10日",
            "县安委会决定在全县开展为期半年的建筑施工安全专项整治。",
            Some(d(2025, 3, 10)),
            Some(d(2025, 9, 9)),
            "为期半年",
            1,
        ),
        (
            "2025年3月10日",
            "县安委会决定自2025年4月起在全县开展为期三个月的打非治违专项行动。",
            Some(d(2025, 4, 1)),
            Some(d(2025, 6, 30)),
            "自2025年4月起在全县开展为期三个月",
            0,
        ),
    ];
    for (date, opening, start, end, text, asked) in cases {
        let plan = format!(
            "某某专项整治工作方案\n{opening}\n一、工作步骤\n第一阶段:自查自纠(4月1日至5月31日)。\n\
             某某安全生产委员会\n{date}\n"
        );
        let t = t(&plan);
        assert_eq!(
            window(&t),
            Some((start, end, text.to_string())),
            "{opening}"
        );
        let w = t.window.as_ref().unwrap();
        assert_eq!(w.lines, Some(Lines::one(2)));
        // Only the end given: the start is the document's date, and the reviewer is asked.
        let on_line_2: Vec<_> = questions(&t, QuestionKind::Date)
            .into_iter()
            .filter(|(l, _)| *l == 2)
            .collect();
        assert_eq!(on_line_2.len(), asked, "{opening}: {on_line_2:?}");
        // The campaign's last day is the window's end.
        assert_eq!(t.last_day(), end, "{opening}");
        assert!(summary(&t).contains("专项治理时间"), "{}", summary(&t));
    }
}

/// `(2024—2026年)` after a title is the campaign's span; a window alone is no campaign
/// structure (no phase is made of it).
#[test]
fn a_year_span_in_the_title_is_the_window() {
    for span in ["(2024—2026年)", "(2024-2026年)", "（2024年—2026年）"] {
        let text = format!(
            "某某市安全生产治本攻坚三年行动方案{span}\n为深入贯彻落实有关部署,制定本方案。\n\
             一、工作目标\n安全生产形势持续稳定向好。\n"
        );
        let t = t(&text);
        assert_eq!(
            window(&t),
            Some((
                Some(d(2024, 1, 1)),
                Some(d(2026, 12, 31)),
                "2024—2026年".into()
            )),
            "{span}"
        );
        assert!(t.phases.is_empty() && !t.has_structure());
        assert!(questions(&t, QuestionKind::Date).is_empty());
    }
}

/// Two statements that disagree, and a phase outside the window: questions, not guesses.
#[test]
fn window_doubts_are_questions() {
    let text = "某某县安全生产委员会\n2025年2月10日\n\
        县安委会决定从即日起到10月底在全县开展专项整治。\n\
        一、工作步骤\n整治时间从即日起开始、直至年底结束。\n\
        第一阶段:排查整治(3月1日至9月30日)。\n第二阶段:总结提升(11月1日至12月31日)。\n";
    let t = t(text);
    assert_eq!(
        window(&t),
        Some((
            Some(d(2025, 2, 10)),
            Some(d(2025, 10, 31)),
            "从即日起到10月底".into()
        ))
    );
    let dates = questions(&t, QuestionKind::Date);
    assert!(
        dates.iter().any(|(l, m)| *l == 5 && m.contains("不一致")),
        "{dates:?}"
    );
    assert!(
        dates
            .iter()
            .any(|(l, m)| *l == 7 && m.contains("超出了专项治理时间")),
        "{dates:?}"
    );
    assert_eq!(dates.len(), 2, "{dates:?}");
}

// ----- 3. check tables ---------------------------------------------------------------------

/// Area rows owning requirements that are statements, one a line: a page marker and a bare
/// page number inside, a page number glued to the next item number, a document-sharing chunk
/// marker, a numbering restart inside an area, another column's cell in a requirement.
#[test]
fn requirement_rows_of_a_copied_check_table() {
    let text = "企业安全生产主体责任落实情况检查表\n\
        被检查单位:            检查日期:\n\
        序号 检查项目 检查内容 检查方式 检查结果\n\
        一、组织机构保障责任方面\n\
        1.依法设置安全生产管理机构或者配备专职安全生产管理人员。\n\
        2.主要负责人和安全生产管理人员经考核合格,\n\
        第 1 页\n\
        持证上岗。\n\
        3.建立健全全员安全生产责任制。 查阅责任制文件\n\
        2\n\
        24.落实安全生产责任制考核。\n\
        二、规章制度保障责任方面\n\
        1.制定安全生产教育和培训制度。\n\
        2.制定安全生产检查和事故隐患排查治理制\n\
        5、度,并组织实施。\n\
        1.制定劳动防护用品配备和管理制度。\n\
        三、资金投入保障责任方面\n\
        1.按规定提取和使用安全生产费用。\n\
        2.按规定为从业人员缴纳工伤保险费。\n\
        检查人员签字:\n";
    let t = t(text);
    assert_eq!(
        shape(&t),
        vec![
            ("一".into(), "组织机构保障责任方面".into(), vec![1, 2, 3, 4]),
            ("二".into(), "规章制度保障责任方面".into(), vec![1, 2, 1]),
            ("三".into(), "资金投入保障责任方面".into(), vec![1, 2]),
        ]
    );
    let a = &t.areas[0];
    assert_eq!(
        a.items[1].text,
        "主要负责人和安全生产管理人员经考核合格，持证上岗。"
    );
    assert_eq!(a.items[1].lines, Some(Lines(6, 8)));
    assert_eq!(
        a.items[2].text,
        "建立健全全员安全生产责任制。 查阅责任制文件"
    );
    assert_eq!(a.items[3].text, "落实安全生产责任制考核。");
    assert_eq!(a.items[3].lines, Some(Lines::one(11)));
    assert_eq!(
        t.areas[1].items[1].text,
        "制定安全生产检查和事故隐患排查治理制度，并组织实施。"
    );
    assert_eq!(t.areas[1].items[1].lines, Some(Lines(14, 15)));
    let structure = questions(&t, QuestionKind::Structure);
    let lines: Vec<u32> = structure.iter().map(|q| q.0).collect();
    assert_eq!(lines, vec![9, 11, 16], "{structure:?}");
    assert!(structure[0].1.contains("查阅责任制文件"));
    assert!(structure[1].1.contains("页码"));
    assert!(structure[2].1.contains("编号1没有接着上一项的编号2"));
    assert!(t.phases.is_empty() && t.obligations.is_empty());
}

/// The same kind of table run together in two lines, as a document-sharing site shows it,
/// cells glued without spaces; a quoted accident name inside is not a number.
#[test]
fn requirement_rows_run_together() {
    let text = "安全生产检查表\n\
        序号 检查内容 检查方式 一、组织机构方面1.依法设置安全生产管理机构。查阅文件2.深刻吸取″12.1″事故教训,\
        开展警示教育。查阅记录 二、规章制度方面 1.制定安全生产教育和培训制度。\n\
        2.制定事故隐患排查治理制度。 3.制定劳动防护用品管理制度。\n";
    let t = t(text);
    assert_eq!(
        shape(&t),
        vec![
            ("一".into(), "组织机构方面".into(), vec![1, 2]),
            ("二".into(), "规章制度方面".into(), vec![1, 2, 3]),
        ]
    );
    assert_eq!(
        t.areas[0].items[0].text,
        "依法设置安全生产管理机构。查阅文件"
    );
    assert_eq!(
        t.areas[0].items[1].text,
        "深刻吸取“12.1”事故教训，开展警示教育。查阅记录"
    );
    assert_eq!(t.areas[1].items[1].lines, Some(Lines::one(3)));
    let cells: Vec<u32> = questions(&t, QuestionKind::Structure)
        .iter()
        .filter(|(_, m)| m.contains("检查方式"))
        .map(|q| q.0)
        .collect();
    assert_eq!(cells, vec![2, 2]);
}

/// A chunk marker whose number is the item due: read as a chunk marker in a table numbered
/// `1.`, and asked about.
#[test]
fn an_ambiguous_chunk_marker_is_a_question() {
    let text = "隐患排查自查表\n\
        一、现场管理方面\n1.作业场所安全警示标志设置齐全\n2.消防通道保持畅\n3、通,消防设施完好有效\n\
        3.特种设备定期检验\n";
    let t = t(text);
    assert_eq!(
        shape(&t),
        vec![("一".into(), "现场管理方面".into(), vec![1, 2, 3])]
    );
    assert_eq!(
        t.areas[0].items[1].text,
        "消防通道保持畅通，消防设施完好有效"
    );
    let s = questions(&t, QuestionKind::Structure);
    assert_eq!(s.len(), 1, "{s:?}");
    assert!(s[0].0 == 5 && s[0].1.contains("分段标记"), "{s:?}");
}

/// A chapter list of a plan is no check table: nothing is made of it without a table.
#[test]
fn requirement_rows_need_a_table() {
    let text = "一、组织机构方面\n1.依法设置安全生产管理机构。\n2.建立全员安全生产责任制。\n\
        二、规章制度方面\n1.制定安全生产教育和培训制度。\n";
    let t = t(text);
    assert!(
        t.areas.is_empty() && t.all_items().is_empty(),
        "{:?}",
        t.areas
    );
}

/// An item of a `是否` list goes on over a page marker.
#[test]
fn a_page_marker_inside_an_item() {
    let text = "一、检查内容\n(一)应急管理方面\n1.是否制定生产安全事故应急预案,\n- 3 -\n并定期组织演练。\n\
        2.是否配备应急救援器材。\n";
    let t = t(text);
    assert_eq!(
        t.all_items()[0].text,
        "是否制定生产安全事故应急预案，并定期组织演练。"
    );
    assert_eq!(t.all_items()[0].lines, Some(Lines(3, 5)));
    assert_eq!(t.all_items().len(), 2);
}

// ----- 4. decimal numbering run together ---------------------------------------------------

/// An enterprise's reporting rule pasted as one line: its sections are no check items, and its
/// half-yearly reports are recurring deadlines with their recipient.
#[test]
fn a_reporting_rule_in_a_decimal_outline() {
    let text = "某某化工有限公司事故隐患排查治理报告制度\n\
        1.目的 为规范公司事故隐患排查治理信息报告工作,制定本制度。2.适用范围 本制度适用于公司各部门、各车间。\
        3.职责 3.1 安全环保部负责隐患排查治理情况的统计和报告。3.2 各车间负责本车间隐患排查治理情况的上报。\
        4.报告要求 4.1 公司每半年向县应急管理局报告一次隐患排查治理情况。\
        4.2 每年一月、七月的十日前,将上半年(或上一年度)隐患排查治理统计表报送县应急管理局。\
        4.3 重大事故隐患 4.3.1 发现重大事故隐患的,立即向县应急管理局报告。5.附则 本制度自印发之日起施行。\n";
    let t = t(text);
    assert!(t.areas.is_empty() && t.all_items().is_empty() && t.phases.is_empty());
    let got: Vec<(&str, Option<&str>, &DueRule)> = t
        .obligations
        .iter()
        .map(|o| (o.name.as_str(), o.recipient.as_deref(), &o.due))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "隐患排查治理情况",
                Some("县应急管理局"),
                &DueRule::Recurring {
                    every: Period::HalfYear,
                    day: None
                }
            ),
            (
                "上半年隐患排查治理统计表",
                Some("县应急管理局"),
                &DueRule::Recurring {
                    every: Period::HalfYear,
                    day: Some(10)
                }
            ),
        ]
    );
    assert!(t.obligations.iter().all(|o| o.lines == Some(Lines::one(2))));
    assert_eq!(
        recurring_due_dates(&t.obligations[1].due, 2025),
        vec![d(2025, 1, 10), d(2025, 7, 10)]
    );
    assert!(
        t.obligations[1]
            .source_text
            .starts_with("每年一月、七月的十日前")
    );
    assert!(t.has_structure());
}

// ----- 5. damaged text ---------------------------------------------------------------------

/// The GBK bytes of `（一）制度建设方面。重点检查：` read one byte out of step: read again in
/// step, the area is found; the one character whose byte was lost is a question.
#[test]
fn a_heading_read_out_of_step_is_realigned() {
    let text = "一、检查内容\n?。ㄒ唬┲贫冉ㄉ璺矫妗Ｖ氐慵觳椋?\n1.是否建立安全管理制度。\n2.是否定期修订。\n";
    let imp = import(text, None);
    let t = imp.template;
    assert_eq!(
        shape(&t),
        vec![("一".into(), "制度建设方面".into(), vec![1, 2])]
    );
    assert_eq!(
        imp.normalized.lines().nth(1),
        Some("(一)制度建设方面。重点检查\u{fffd}")
    );
    let garbled: Vec<&safeduty_core::template::Question> = t
        .questions
        .iter()
        .filter(|q| q.kind == QuestionKind::Garbled)
        .collect();
    assert_eq!(garbled.len(), 2, "{garbled:?}");
    // The recovery is recorded, answered; the lost character is open.
    assert!(garbled[0].resolved && garbled[0].message.contains("（一）制度建设方面"));
    assert!(garbled[0].excerpt.starts_with("?。ㄒ唬"));
    assert!(!garbled[1].resolved && garbled[1].line == 2);
    // A misreading that does not decode to a heading is left as found, and asked about.
    let t2 = t_of("一、检查内容\n?。ㄈ?）隐患排查方面\n");
    assert!(
        t2.questions
            .iter()
            .any(|q| q.kind == QuestionKind::Garbled && q.line == 2 && !q.resolved)
    );
    let t3 = t_of("说明\n。ㄒ唬┲贫冉ㄉ璺矫妗\n");
    assert!(
        t3.questions
            .iter()
            .any(|q| q.kind == QuestionKind::Garbled && q.line == 2 && !q.resolved),
        "{:?}",
        t3.questions
    );
}

fn t_of(text: &str) -> CampaignTemplate {
    import(text, None).template
}

/// A text spinner's words and recognition slips are kept as found and asked about; a `县否`
/// item still counts as a question item.
#[test]
fn spinner_words_and_slips_are_questions() {
    let text = "一、检查内容\n(一)平安生产责任制方面\n1.是否建立全员平安生产责任制。\n\
        2.是否对安全投入缺乏的问题及时整改。\n3.县否定期开展应急演练。\n";
    let t = t(text);
    let items: Vec<&str> = t.all_items().iter().map(|i| i.text.as_str()).collect();
    assert_eq!(
        items,
        vec![
            "是否建立全员平安生产责任制。",
            "是否对安全投入缺乏的问题及时整改。",
            "县否定期开展应急演练。"
        ]
    );
    assert_eq!(t.areas[0].title, "平安生产责任制方面");
    let wording: Vec<(u32, String)> = questions(&t, QuestionKind::Wording);
    let lines: Vec<u32> = wording.iter().map(|q| q.0).collect();
    assert_eq!(lines, vec![2, 3, 4, 5], "{wording:?}");
    assert!(wording[0].1.contains("安全生产"));
    assert!(wording[2].1.contains("“缺乏”") && wording[2].1.contains("不足"));
    assert!(wording[3].1.contains("是否"));
    // `缺乏` alone, in a document no spinner touched, is an ordinary word.
    let plain = t_of("一、检查内容\n1.是否及时补充缺乏的应急物资。\n");
    assert!(questions(&plain, QuestionKind::Wording).is_empty());
    // Items read through an `县否` are still a check list.
    let slips = t_of("一、组织机构方面\n1.县否设置安全管理机构。\n2.县否配备安全管理人员。\n");
    assert_eq!(slips.all_items().len(), 2);
}

/// `″5.1″` is the name of an accident: never a date, a label, a phase or a number.
#[test]
fn a_quoted_accident_name_is_a_name() {
    let text = "某某区安全生产委员会\n2024年5月6日\n\
        为深刻吸取″5.1″火灾事故教训,区安委会决定从即日起到9月底开展专项整治。\n\
        一、检查内容\n(一)消防安全方面\n1.是否深刻吸取″5.1″事故教训,开展警示教育。\n2.是否畅通疏散通道。\n";
    let t = t(text);
    assert_eq!(
        t.all_items()[0].text,
        "是否深刻吸取“5.1”事故教训，开展警示教育。"
    );
    assert_eq!(t.all_items().len(), 2);
    assert_eq!(
        window(&t),
        Some((
            Some(d(2024, 5, 6)),
            Some(d(2024, 9, 30)),
            "从即日起到9月底".into()
        ))
    );
    assert!(t.phases.is_empty() && t.obligations.is_empty());
    assert!(t.questions.is_empty(), "{:?}", t.questions);
}

// ----- 6. nothing invented -----------------------------------------------------------------

/// A table of contents, with leaders or after a `目录` line, gives no phases and no items.
#[test]
fn a_table_of_contents_gives_nothing() {
    for text in [
        "目录\n一、总体要求……1\n二、整治步骤……2\n(一)动员部署阶段(4月底前)……2\n\
         (二)排查整治阶段(5~9月)……3\n三、检查内容……4\n1.是否建立制度……4\n",
        "目 录\n一、总体要求 1\n二、整治步骤 2\n(一)动员部署阶段(4月底前) 2\n\
         第二阶段:排查整治(5~9月) 3\n三、检查内容 4\n1.是否建立制度 4\n",
    ] {
        let full = format!("某某安全生产委员会\n2025年3月3日\n{text}");
        let t = t(&full);
        assert!(t.phases.is_empty(), "{:?}", t.phases);
        assert!(t.all_items().is_empty() && t.areas.is_empty());
        assert!(!t.has_structure());
    }
}

/// A portal page's metadata block alone: identity at most, no structure; its date is the
/// publication date, not the document's.
#[test]
fn a_metadata_block_gives_nothing() {
    let text = "索引号:11000000/2025-00012\n主题分类:安全生产\n发布机构:某某市应急管理局\n\
        成文日期:2025年03月03日\n发布日期:2025-03-05\n文号:某应急〔2025〕5号\n有效性:有效\n\
        标题:某某市应急管理局关于开展安全生产大检查的通知\n";
    let t = t(text);
    assert!(!t.has_structure());
    assert!(t.phases.is_empty() && t.all_items().is_empty() && t.window.is_none());
    assert_eq!(t.plan.issue_date, None);
    assert_eq!(t.plan.published, Some(d(2025, 3, 5)));
    assert_eq!(t.plan.document_number.as_deref(), Some("某应急〔2025〕5号"));
}

/// A template not filled in (`XX镇`, `X月X日`): no phases, no window, no deadlines, no items.
#[test]
fn an_unfilled_template_gives_nothing() {
    let text = "XX镇安全生产专项整治工作方案(模板)\n\
        为切实加强安全生产工作,XX镇决定自即日起至X月X日开展专项整治。\n\
        一、工作步骤\n第一阶段:动员部署(X月X日前)。\n第二阶段:排查整治(X月X日至X月X日)。\n\
        (三)总结提升阶段(×月)。\n二、工作要求\n各村于X月X日前将实施方案报送镇安委办。\n\
        XX镇人民政府\nXXXX年X月X日\n";
    let t = t(text);
    assert!(t.phases.is_empty(), "{:?}", t.phases);
    assert!(t.window.is_none() && t.obligations.is_empty() && t.all_items().is_empty());
    assert!(!t.has_structure());
}

/// The signature's date is the document's; the page's other date is shown beside it.
#[test]
fn the_publication_date_is_shown_apart() {
    let text = "发布日期:2025-02-14\n关于开展专项整治的通知\n第一阶段:自查自纠(3月1日至6月30日)。\n\
        某某县安全生产委员会\n2025年2月10日\n";
    let t = t(text);
    assert_eq!(t.plan.issue_date, Some(d(2025, 2, 10)));
    assert_eq!(t.plan.published, Some(d(2025, 2, 14)));
    let s = summary(&t);
    assert!(s.contains("成文日期：2025-02-10"), "{s}");
    assert!(
        s.contains("发布日期：2025-02-14（网页所载，与落款的成文日期不同，以成文日期为准）"),
        "{s}"
    );
}

/// The readers of these kinds stay linear on texts at the size bound made of one of their
/// patterns over and over (as `input::adversarial_texts_stay_linear` for the others).
#[test]
fn family_readers_stay_linear() {
    use std::time::{Duration, Instant};
    let shapes: [(&str, &str); 11] = [
        (
            "inline phases",
            "(一)部署阶段(6月底前)。(二)自查阶段(7~9月)。",
        ),
        (
            "window statements",
            "决定从即日起到12月底开展专项整治,为期半年,将于6月底前完成;",
        ),
        (
            "requirement rows on one line",
            "一、组织方面1.设置机构。查阅文件 2.配备人员。 ",
        ),
        (
            "requirement rows",
            "检查表\n序号 检查内容\n1.设置机构\n2、续行\n第 1 页\n212.配备\n",
        ),
        (
            "a table on one line",
            "一、组织方面1.设置机构。查阅文件 2.配备人员。 二、三、",
        ),
        (
            "decimal outline",
            "4.1 每半年向县局报告一次情况。4.2 每年一月、七月的十日前报送。",
        ),
        ("misread headings", "?。ㄒ唬┲贫冉ㄉ璺矫妗\n"),
        ("bopomofo on one line", "ㄒ唬┲"),
        ("spinner words", "平安生产缺乏县否"),
        ("contents", "目录\n一、总体要求……1\n"),
        ("quoted names", "″5.1″“12.1”《方案(2024—2026年)》"),
    ];
    for (what, unit) in shapes {
        let bound = safeduty_plan::input::MAX_TEXT_BYTES;
        // A table title first, so that the table readers read the rows.
        let small = format!("检查表\n{}", unit.repeat(bound / 8 / unit.len()));
        let big = format!("检查表\n{}", unit.repeat(bound / unit.len() - 1));
        let time = |t: &str| {
            let start = Instant::now();
            let _ = import(t, None);
            start.elapsed()
        };
        let (a, b) = (time(&small), time(&big));
        eprintln!(
            "{what}: {} bytes {a:?}, {} bytes {b:?}",
            small.len(),
            big.len()
        );
        assert!(
            b < a * 20 + Duration::from_millis(500),
            "{what}: {a:?} for 1/8, {b:?} for all"
        );
        assert!(b < Duration::from_secs(60), "{what}: {b:?}");
    }
}
