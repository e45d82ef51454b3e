//! The structure rules on small invented plan snippets: every numbering style, headings and
//! counts that are not items, every phase-window form, every kind of reporting obligation, the
//! document date, and a text that is not a plan. None of these texts is a real document.

use chrono::NaiveDate;
use safeduty_core::calendar::Calendar;
use safeduty_core::campaign::{recurring_due_dates, resolve_due};
use safeduty_core::template::{Anchor, CampaignTemplate, DueRule, Lines, Period, QuestionKind};
use safeduty_plan::{import, summary};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn t(text: &str) -> CampaignTemplate {
    import(text, None).template
}

/// (area label, title, item numbers) for each top-level area.
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

const SIGNED: &str = "某某县安全生产委员会\n2025年2月10日\n";

// ----- numbering styles --------------------------------------------------------------------

#[test]
fn items_numbered_in_every_style_belong_to_their_area() {
    for (item_a, item_b) in [
        ("1.", "2."),
        ("1、", "2、"),
        ("(1)", "(2)"),
        ("（1）", "（2）"),
        ("①", "②"),
    ] {
        let text = format!(
            "一、检查内容\n（一）制度建设方面\n{item_a}是否建立安全管理制度。\n{item_b}是否定期修订。\n\
             （二）教育培训方面\n{item_a}是否开展全员培训。\n"
        );
        let t = t(&text);
        assert_eq!(
            shape(&t),
            vec![
                ("一".into(), "制度建设方面".into(), vec![1, 2]),
                ("二".into(), "教育培训方面".into(), vec![1]),
            ],
            "items numbered {item_a}"
        );
        assert_eq!(t.areas[0].items[1].text, "是否定期修订。");
        assert_eq!(t.areas[1].items[0].lines, Some(Lines(6, 6)));
    }
}

#[test]
fn chapter_headings_own_items_when_there_is_no_sub_heading() {
    let t =
        t("一、设备设施方面\n1.是否定期检测。\n2.是否建立台账。\n二、人员方面\n3.是否持证上岗。\n");
    assert_eq!(
        shape(&t),
        vec![
            ("一".into(), "设备设施方面".into(), vec![1, 2]),
            ("二".into(), "人员方面".into(), vec![3]),
        ]
    );
}

/// `(一)` → `1.` → `(1)`: the `1.` groups are sub-areas of the `(一)` area.
#[test]
fn three_levels_become_a_tree() {
    let text = "一、检查内容\n（一）主要负责人履职情况\n1.组织制定制度\n（1）是否组织制定安全生产规章制度。\n\
                （2）是否签发。\n2.教育培训\n（1）是否组织培训。\n（二）管理人员履职情况\n\
                1.是否如实记录检查情况。\n";
    let t = t(text);
    assert_eq!(t.areas.len(), 2);
    let a = &t.areas[0];
    assert_eq!(
        (a.label.as_str(), a.title.as_str()),
        ("一", "主要负责人履职情况")
    );
    assert!(a.items.is_empty());
    let groups: Vec<(&str, &str, usize)> = a
        .areas
        .iter()
        .map(|g| (g.label.as_str(), g.title.as_str(), g.items.len()))
        .collect();
    assert_eq!(groups, vec![("1", "组织制定制度", 2), ("2", "教育培训", 1)]);
    assert_eq!(a.areas[0].items[1].text, "是否签发。");
    assert_eq!(
        shape(&t)[1],
        ("二".into(), "管理人员履职情况".into(), vec![1])
    );
    assert_eq!(t.all_items().len(), 4);
}

#[test]
fn decimal_numbering_becomes_a_tree() {
    let text = "4 检查内容\n4.1 安全管理\n4.1.1 是否设置安全管理机构。\n4.1.2 是否配备专职安全管理人员。\n\
                4.2 现场管理\n4.2.1 是否设置安全警示标志。\n";
    let t = t(text);
    let groups: Vec<(&str, &str, Vec<u32>)> = t
        .areas
        .iter()
        .map(|a| {
            (
                a.label.as_str(),
                a.title.as_str(),
                a.items.iter().map(|i| i.number).collect(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        vec![
            ("4.1", "安全管理", vec![1, 2]),
            ("4.2", "现场管理", vec![1])
        ]
    );
    assert_eq!(t.all_items()[2].text, "是否设置安全警示标志。");
}

/// Quantities that look like numbers are not labels: `1.5倍` stays the text of item 1.
#[test]
fn quantities_are_not_labels() {
    let t = t(
        "一、检查内容\n(一)储存方面\n1.是否按规定储存,\n1.5倍以上距离是否保持。\n2.是否建立台账。\n",
    );
    let items: Vec<(u32, &str)> = t
        .all_items()
        .iter()
        .map(|i| (i.number, i.text.as_str()))
        .collect();
    assert_eq!(
        items,
        vec![
            (1, "是否按规定储存，1.5倍以上距离是否保持。"),
            (2, "是否建立台账。")
        ]
    );
}

// ----- what is not an item -----------------------------------------------------------------

#[test]
fn guiding_headings_and_counts_are_not_items() {
    let text = "一、总体要求\n(一)指导思想\n以习近平新时代中国特色社会主义思想为指导,统筹发展和安全。\n\
                (二)工作目标\n聚焦31项治理内容、八大行业,落实十五条硬措施。\n\
                二、工作要求\n(一)加强领导。各单位要:\n1.成立专班。\n2.明确分工。\n";
    let t = t(text);
    assert!(
        t.areas.is_empty() && t.all_items().is_empty(),
        "{:?}",
        t.areas
    );
    assert!(!t.has_structure());
}

/// A scraped chunk starts with `1、` and splits a word; it is not an item.
#[test]
fn chunk_markers_are_not_items() {
    let text =
        "二、工作目标\n通过专项整治,推动企业落实主体责任。\n1、\n任,全面提升本质安全水平。\n";
    let t = t(text);
    assert!(t.all_items().is_empty() && t.areas.is_empty());
}

/// An area heading with no items under it is not guessed into an area.
#[test]
fn a_heading_without_items_is_not_an_area() {
    let t = t("一、检查内容\n(一)制度方面。重点检查:\n(二)培训方面。重点检查:\n1.是否开展培训。\n");
    assert_eq!(shape(&t), vec![("二".into(), "培训方面".into(), vec![1])]);
}

// ----- phase windows -----------------------------------------------------------------------

fn phases(t: &CampaignTemplate) -> Vec<(String, Option<NaiveDate>, Option<NaiveDate>)> {
    t.phases
        .iter()
        .map(|p| (p.name.clone(), p.start, p.end))
        .collect()
}

#[test]
fn phase_windows_in_every_form() {
    let text = format!(
        "{SIGNED}\n三、步骤安排\n第一阶段:动员部署(3月31日前)。\n第二阶段:自查自纠(4月1日至5月31日)。\n\
         第三阶段:集中整治(6月)。\n第四阶段:督导检查(7~9月)。\n第五阶段:总结提升(12月底前)。\n"
    );
    let t = t(&text);
    assert_eq!(
        phases(&t),
        vec![
            ("动员部署".into(), None, Some(d(2025, 3, 31))),
            ("自查自纠".into(), Some(d(2025, 4, 1)), Some(d(2025, 5, 31))),
            ("集中整治".into(), Some(d(2025, 6, 1)), Some(d(2025, 6, 30))),
            ("督导检查".into(), Some(d(2025, 7, 1)), Some(d(2025, 9, 30))),
            (
                "总结提升".into(),
                Some(d(2025, 10, 1)),
                Some(d(2025, 12, 31))
            ),
        ]
    );
    // The first phase gives no start (and no 即日起): asked, not guessed; the start of 总结提升
    // is inferred from the phase before, and the reviewer is asked to confirm it.
    let asked: Vec<u32> = t
        .questions
        .iter()
        .filter(|q| q.kind == QuestionKind::Date)
        .map(|q| q.line)
        .collect();
    assert_eq!(asked, vec![5, 9]);
}

#[test]
fn from_now_until_a_month_end_in_another_year() {
    let text = "某某市安全生产委员会\n2019年12月20日\n\
                (一)排查整治阶段(自即日起到2020年5月底)。\n(二)巩固提升阶段(2020年6月底前)。\n";
    let t = t(text);
    assert_eq!(
        phases(&t),
        vec![
            (
                "排查整治".into(),
                Some(d(2019, 12, 20)),
                Some(d(2020, 5, 31))
            ),
            ("巩固提升".into(), Some(d(2020, 6, 1)), Some(d(2020, 6, 30))),
        ]
    );
}

/// Windows may overlap (enforcement runs alongside self-inspection); both are kept as written.
#[test]
fn overlapping_windows_are_kept() {
    let text = format!(
        "{SIGNED}第一阶段:企业自查(3月1日至6月30日)。\n第二阶段:执法检查(5月1日至10月31日)。\n"
    );
    let t = t(&text);
    assert_eq!(
        phases(&t),
        vec![
            ("企业自查".into(), Some(d(2025, 3, 1)), Some(d(2025, 6, 30))),
            (
                "执法检查".into(),
                Some(d(2025, 5, 1)),
                Some(d(2025, 10, 31))
            ),
        ]
    );
}

#[test]
fn a_window_without_a_year_is_a_question() {
    let t = t("第一阶段:动员部署(4月30日前)。\n第二阶段:自查自纠(5月1日至6月30日)。\n");
    assert_eq!(
        phases(&t),
        vec![
            ("动员部署".into(), None, None),
            ("自查自纠".into(), None, None)
        ]
    );
    let lines: Vec<u32> = t
        .questions
        .iter()
        .filter(|q| q.kind == QuestionKind::Date)
        .map(|q| q.line)
        .collect();
    assert_eq!(lines, vec![1, 2]);
}

// ----- reporting obligations ---------------------------------------------------------------

#[test]
fn obligations_of_every_kind_resolve_through_the_deadline_engine() {
    let text = format!(
        "{SIGNED}第一阶段:自查自纠(3月1日至6月30日)。\n\
         各镇于2025年2月28日前将实施方案报送县安委办。\n\
         自查自纠阶段结束后5个工作日内,将阶段总结报送县安委办。\n\
         本年度结束后10日内,将全年工作总结报县安委办。\n\
         每季度报送一次工作进展情况;每半年报送一次阶段性总结。\n\
         每月5日前报送上月隐患排查情况。\n\
         每年一月、七月的十日前报送半年工作情况。\n"
    );
    let t = t(&text);
    let dues: Vec<&DueRule> = t.obligations.iter().map(|o| &o.due).collect();
    let phase_end = Anchor::PhaseEnd {
        phase: "自查自纠".into(),
    };
    assert_eq!(
        dues,
        vec![
            &DueRule::OnOrBefore {
                date: d(2025, 2, 28)
            },
            &DueRule::WorkingDaysAfter {
                days: 5,
                anchor: phase_end
            },
            &DueRule::CalendarDaysAfter {
                days: 10,
                anchor: Anchor::YearEnd
            },
            &DueRule::Recurring {
                every: Period::Quarter,
                day: None
            },
            &DueRule::Recurring {
                every: Period::HalfYear,
                day: None
            },
            &DueRule::Recurring {
                every: Period::Month,
                day: Some(5)
            },
            &DueRule::Recurring {
                every: Period::HalfYear,
                day: Some(10)
            },
        ]
    );
    let names: Vec<&str> = t.obligations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "实施方案",
            "阶段总结",
            "全年工作总结",
            "工作进展情况",
            "阶段性总结",
            "上月隐患排查情况",
            "半年工作情况"
        ]
    );
    // The importer's dates are the deadline engine's (core::campaign).
    let calendar = Calendar::shipped();
    for o in &t.obligations {
        let engine = resolve_due(&o.due, &t.phases, 2025, &calendar).map(|r| r.date);
        assert_eq!(o.due_date, engine, "{}", o.name);
    }
    assert_eq!(t.obligations[1].due_date, Some(d(2025, 7, 7)));
    assert_eq!(t.obligations[2].due_date, Some(d(2026, 1, 10)));
    // 每年一月、七月的十日前 → January 10 and July 10.
    assert_eq!(
        recurring_due_dates(&t.obligations[6].due, 2025),
        vec![d(2025, 1, 10), d(2025, 7, 10)]
    );
    assert_eq!(t.obligations[6].lines, Some(Lines(9, 9)));
}

#[test]
fn a_deadline_counted_from_an_unknown_stage_is_a_question() {
    let text = format!("{SIGNED}验收结束后5个工作日内,将验收报告报送县安委办。\n");
    let t = t(&text);
    assert!(t.obligations.is_empty());
    assert!(
        t.questions
            .iter()
            .any(|q| q.kind == QuestionKind::Date && q.line == 3 && q.message.contains("验收"))
    );
}

// ----- document date -----------------------------------------------------------------------

/// A page's metadata says when it was published; the signature says when the document was
/// signed. The signature wins; the publication date is kept apart.
#[test]
fn signature_date_wins_over_publication_date() {
    let text = "索引号:000000/2025-00001\n发布机构:某某县安全生产委员会\n发布日期:2025-02-14\n\
                关于开展专项整治的通知\n第一阶段:自查自纠(3月1日至6月30日)。\n\
                某某县安全生产委员会\n2025年2月10日\n";
    let t = t(text);
    assert_eq!(t.plan.issue_date, Some(d(2025, 2, 10)));
    assert_eq!(t.plan.published, Some(d(2025, 2, 14)));
}

/// Without a signature the publication date is not taken for the signed date: the reviewer is
/// asked.
#[test]
fn publication_date_alone_is_a_question() {
    let text =
        "发布日期:2025年2月14日\n关于开展专项整治的通知\n第一阶段:自查自纠(3月1日至6月30日)。\n";
    let t = t(text);
    assert_eq!(t.plan.issue_date, None);
    assert_eq!(t.plan.published, Some(d(2025, 2, 14)));
    assert!(
        t.questions
            .iter()
            .any(|q| q.kind == QuestionKind::Date && q.line == 1)
    );
}

// ----- not a plan --------------------------------------------------------------------------

#[test]
fn a_news_report_gives_an_empty_template_and_says_so() {
    let text = "我县召开安全生产专项整治动员部署会\n2025-03-02 来源:县融媒体中心\n\
                3月1日上午,我县召开安全生产专项整治动员部署会。会议传达了上级文件精神,\
                对下一步工作作出安排。会议要求,各单位要提高认识,压实责任,确保整治取得实效。\n";
    let t = t(text);
    assert!(!t.has_structure());
    assert!(t.areas.is_empty() && t.phases.is_empty() && t.obligations.is_empty());
    assert!(
        summary(&t).contains("未找到"),
        "the summary says nothing was found: {}",
        summary(&t)
    );
}
