use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn values_in_force_during_the_2024_campaign() {
    let r = Rules::shipped().at(d("2024-09-27")).unwrap();
    assert_eq!(
        r.penalty_procedure.value,
        "《安全生产违法行为行政处罚办法》（国家安全监管总局令第15号公布，第77号修正）"
    );
    assert_eq!(
        r.penalty_procedure.provenance.effective_until,
        Some(d("2026-01-31"))
    );
    assert_eq!(r.officers_per_inspection_min.value, 2);
    assert!(r.officers_per_inspection_min.provenance.verified);
    assert_eq!(
        r.officers_per_inspection_min.provenance.source,
        "《安全生产违法行为行政处罚办法》（2015年修正）第二十四条、第二十五条"
    );
    assert_eq!(r.on_site_measures_max.value, Span::Months(6));
    assert_eq!(r.re_inspection_within.value, Span::CalendarDays(10));
    assert!(!r.re_inspection_within.provenance.verified);
    assert_eq!(r.reconsideration_within.value, Span::CalendarDays(60));
    assert_eq!(
        r.reconsideration_within.provenance.source,
        "《中华人民共和国行政复议法》（2023年修订）第二十条"
    );
    assert_eq!(r.litigation_within.value, Span::Months(6));
    // 国办发〔2024〕54号 came later (2024-12-30).
    assert_eq!(r.inspection_cap_per_year, None);
    assert_eq!(r.provenances().len(), 6);
    assert!(!r.all_verified());
}

#[test]
fn values_in_force_under_order_18() {
    let r = Rules::shipped().at(d("2026-03-01")).unwrap();
    assert_eq!(
        r.penalty_procedure.value,
        "《安全生产违法行为行政处罚办法》（应急管理部令第18号）"
    );
    assert_eq!(
        r.penalty_procedure.provenance.effective_from,
        d("2026-02-01")
    );
    // Order 18's values are unknown: the 2015 values, unverified, with a note.
    assert_eq!(r.officers_per_inspection_min.value, 2);
    let p = &r.officers_per_inspection_min.provenance;
    assert!(!p.verified);
    assert!(p.note.as_deref().unwrap().contains("沿用2015年办法的数值"));
    assert_eq!(r.on_site_measures_max.value, Span::Months(6));
    assert_eq!(
        r.on_site_measures_max.provenance.effective_from,
        d("2026-02-01")
    );
    assert_eq!(r.re_inspection_within.value, Span::CalendarDays(10));
    assert_eq!(r.reconsideration_within.value, Span::CalendarDays(60));
    assert_eq!(r.litigation_within.value, Span::Months(6));
    let cap = r.inspection_cap_per_year.as_ref().unwrap();
    assert_eq!(cap.value, 2);
    assert_eq!(
        cap.provenance.source,
        "国办发〔2024〕54号《关于严格规范涉企行政检查的意见》"
    );
    assert_eq!(r.provenances().len(), 7);
    // The last day of the old rule and the first of the new.
    let old = Rules::shipped().at(d("2026-01-31")).unwrap();
    assert!(old.officers_per_inspection_min.provenance.verified);
    assert!(old.penalty_procedure.value.contains("第77号"));
}

#[test]
fn unverified_rules_are_listed() {
    let rules = Rules::shipped();
    let unverified: Vec<(&str, NaiveDate)> = rules
        .unverified()
        .iter()
        .map(|r| (r.key.code(), r.provenance.effective_from))
        .collect();
    assert_eq!(
        unverified,
        [
            ("penalty_procedure", d("2015-05-01")),
            ("penalty_procedure", d("2026-02-01")),
            ("officers_per_inspection_min", d("2026-02-01")),
            ("on_site_measures_max", d("2015-05-01")),
            ("on_site_measures_max", d("2026-02-01")),
            ("re_inspection_within", d("2016-07-15")),
            ("reconsideration_within", d("2024-01-01")),
            ("litigation_within", d("2015-05-01")),
            ("inspection_cap_per_year", d("2024-12-30")),
            ("statement_within", d("2015-05-01")),
            ("statement_within", d("2026-02-01")),
            ("hearing_request_within", d("2015-05-01")),
            ("hearing_request_within", d("2026-02-01")),
            ("service_within", d("2015-05-01")),
            ("service_within", d("2026-02-01")),
            ("decide_within", d("2015-05-01")),
            ("decide_within", d("2026-02-01")),
            ("decide_extended_within", d("2015-05-01")),
            ("decide_extended_within", d("2026-02-01")),
            ("decide_further_within", d("2015-05-01")),
            ("decide_further_within", d("2026-02-01")),
            ("pay_within", d("2015-05-01")),
            ("pay_within", d("2026-02-01")),
            ("late_fee_percent_per_day", d("2015-05-01")),
            ("late_fee_percent_per_day", d("2026-02-01")),
            ("hearing_threshold_person", d("2015-05-01")),
            ("hearing_threshold_person", d("2026-02-01")),
            ("hearing_threshold_unit", d("2015-05-01")),
            ("hearing_threshold_unit", d("2026-02-01")),
            ("dishonesty_objection_within", d("2023-10-01")),
            ("dishonesty_listing_period", d("2023-10-01")),
            ("dishonesty_repair_after", d("2023-10-01")),
        ]
    );
    assert_eq!(rules.rules().len(), 33);
    let listing = rules.dishonesty_at(d("2024-12-20")).unwrap();
    assert_eq!(
        (
            listing.objection_within.value,
            listing.listing_period.value,
            listing.repair_after.value
        ),
        (Span::WorkingDays(3), Span::Months(36), Span::Months(12))
    );
    assert_eq!(listing.provenances().len(), 3);
    assert_eq!(
        rules
            .dishonesty_at(d("2023-09-30"))
            .unwrap_err()
            .to_string(),
        "2023-09-30没有适用的“列入严重失信主体名单前陈述申辩期限”规则"
    );
}

#[test]
fn before_the_data_starts_a_required_rule_is_missing() {
    let e = Rules::shipped().at(d("2023-06-01")).unwrap_err();
    assert_eq!(e.key, RuleKey::ReconsiderationWithin);
    assert_eq!(e.to_string(), "2023-06-01没有适用的“申请行政复议期限”规则");
}

const HEAD: &str = r#"
[[rule]]
key = "re_inspection_within"
value = 10
unit = "calendar_days"
source = "甲"
effective_from = 2020-01-01
effective_until = 2020-12-31
verified = true
"#;

fn with(second: &str) -> String {
    format!("{HEAD}\n[[rule]]\n{second}")
}

#[test]
fn periods_that_overlap_or_leave_a_gap_are_refused() {
    let follow = |from: &str| {
        with(&format!(
            "key = \"re_inspection_within\"\nvalue = 5\nunit = \"working_days\"\n\
             source = \"乙\"\neffective_from = {from}\nverified = false\n"
        ))
    };
    let ok = Rules::parse(&follow("2021-01-01")).unwrap();
    assert_eq!(
        ok.in_force(RuleKey::ReInspectionWithin, d("2021-06-01"))
            .unwrap()
            .value,
        RuleValue::TimeLimit(Span::WorkingDays(5))
    );
    let gap = Rules::parse(&follow("2021-01-03")).unwrap_err();
    assert_eq!(gap.line, 12);
    assert_eq!(gap.key.as_deref(), Some("re_inspection_within"));
    assert_eq!(
        gap.to_string(),
        "执法程序规则数据第12行（re_inspection_within）：\
         2020-12-31与2021-01-03之间没有有效的规则（有效期不连续）"
    );
    let overlap = Rules::parse(&follow("2020-12-31")).unwrap_err();
    assert_eq!(overlap.line, 12);
    assert_eq!(overlap.message, "有效期与2020-01-01至2020-12-31的规则重叠");
    // Two open-ended periods.
    let open = HEAD.replace("effective_until = 2020-12-31\n", "");
    let e = Rules::parse(&format!("{open}{}", &follow("2021-01-01")[HEAD.len()..])).unwrap_err();
    assert_eq!(e.message, "与2020-01-01起长期有效的规则重叠");
}

#[test]
fn unknown_keys_units_and_fields_are_refused_with_their_line() {
    let unknown = Rules::parse(&HEAD.replace("re_inspection_within", "re_inspect")).unwrap_err();
    assert_eq!(
        (unknown.line, unknown.key.as_deref()),
        (3, Some("re_inspect"))
    );
    assert_eq!(unknown.message, "未知的规则“re_inspect”");
    let unit = Rules::parse(&HEAD.replace("calendar_days", "weeks")).unwrap_err();
    assert!(unit.message.starts_with("单位“weeks”无效"), "{unit}");
    let misfit = Rules::parse(&HEAD.replace("calendar_days", "count")).unwrap_err();
    assert_eq!(misfit.message, "“整改复查期限”的单位不能是count");
    let zero = Rules::parse(&HEAD.replace("value = 10", "value = 0")).unwrap_err();
    assert_eq!(zero.message, "数值0无效，应为正整数");
    let text = Rules::parse(&HEAD.replace("value = 10", "value = \"十\"")).unwrap_err();
    assert_eq!(text.message, "数值应为正整数");
    let backwards = Rules::parse(&HEAD.replace(
        "effective_until = 2020-12-31",
        "effective_until = 2019-12-31",
    ))
    .unwrap_err();
    assert_eq!(
        backwards.message,
        "失效日期2019-12-31早于生效日期2020-01-01"
    );
    let time = Rules::parse(&HEAD.replace(
        "effective_from = 2020-01-01",
        "effective_from = 2020-01-01T08:00:00",
    ))
    .unwrap_err();
    assert!(time.message.starts_with("effective_from应为日期"), "{time}");
    // A misspelled field is a TOML error with its line, before any key is known.
    let field = Rules::parse(&HEAD.replace("verified", "verifed")).unwrap_err();
    assert_eq!((field.line, field.key.as_deref()), (9, None));
    assert!(field.message.contains("verifed"), "{field}");
    let syntax = Rules::parse("[[rule]\nkey = 1").unwrap_err();
    assert_eq!(syntax.line, 1);
}

#[test]
fn spans_count_from_the_day_after() {
    let cal = Calendar::shipped();
    let last = |s: Span, from: &str| s.last_day(d(from), &cal).date;
    assert_eq!(last(Span::CalendarDays(10), "2024-07-01"), d("2024-07-11"));
    assert_eq!(last(Span::Months(6), "2024-08-31"), d("2025-02-28"));
    // 2024-09-30 + 5 working days crosses the National Day holiday (10-01..10-07); 10-12 is a
    // make-up working day.
    assert_eq!(last(Span::WorkingDays(5), "2024-09-30"), d("2024-10-12"));
    assert_eq!(Span::CalendarDays(10).to_string(), "10日");
    assert_eq!(Span::WorkingDays(5).to_string(), "5个工作日");
    assert_eq!(Span::Months(6).to_string(), "6个月");
}

#[test]
fn case_windows_of_a_notice_received_before_national_day_2024() {
    let cal = Calendar::shipped();
    let r = Rules::shipped().case_at(d("2024-09-27")).unwrap();
    let received = d("2024-09-27");
    // 09-29 (Sunday) and 10-12 (Saturday) are make-up working days; 10-01..10-07 are holidays.
    let closes = |s: Span| s.last_day(received, &cal);
    assert_eq!(r.statement_within.value, Span::WorkingDays(3));
    assert_eq!(closes(r.statement_within.value).date, d("2024-10-08"));
    assert_eq!(r.hearing_request_within.value, Span::WorkingDays(5));
    assert_eq!(closes(r.hearing_request_within.value).date, d("2024-10-10"));
    assert_eq!(r.service_within.value, Span::WorkingDays(7));
    assert_eq!(closes(r.service_within.value).date, d("2024-10-12"));
    assert!(!closes(r.service_within.value).provisional);
    assert_eq!(r.decide_within.value, Span::CalendarDays(30));
    assert_eq!(r.decide_extended_within.value, Span::CalendarDays(90));
    assert_eq!(r.decide_further_within.value, Span::CalendarDays(180));
    assert_eq!(r.pay_within.value, Span::CalendarDays(15));
    assert_eq!(
        r.pay_within.value.last_day(d("2024-09-27"), &cal).date,
        d("2024-10-12")
    );
    assert_eq!(r.late_fee_percent_per_day.value, 3);
    assert_eq!(r.hearing_threshold_person.value, 10_000);
    assert_eq!(r.hearing_threshold_unit.value, 30_000);
    assert!(r.provenances().iter().all(|(_, p)| !p.verified));
    assert_eq!(r.provenances().len(), 11);
}

#[test]
fn late_fee_is_three_percent_a_day_capped_at_the_fine() {
    let r = Rules::shipped().case_at(d("2024-09-27")).unwrap();
    assert_eq!(r.late_fee(20_000, 0), 0);
    assert_eq!(r.late_fee(20_000, 1), 600);
    assert_eq!(r.late_fee(20_000, 10), 6_000);
    assert_eq!(r.late_fee(20_000, 33), 19_800);
    assert_eq!(r.late_fee(20_000, 34), 20_000);
    assert_eq!(r.late_fee(20_000, 1_000), 20_000);
}

#[test]
fn shipped_case_rules_after_2026_02_01_are_order_18_unverified() {
    let r = Rules::shipped().case_at(d("2026-03-02")).unwrap();
    assert!(r.penalty_procedure.value.contains("应急管理部令第18号"));
    assert!(
        r.statement_within
            .provenance
            .source
            .contains("应急管理部令第18号")
    );
    assert_eq!(
        r.statement_within.provenance.effective_from,
        d("2026-02-01")
    );
    assert!(!r.statement_within.provenance.verified);
    let before = Rules::shipped().case_at(d("2026-01-31")).unwrap();
    assert_eq!(
        before.statement_within.provenance.effective_until,
        Some(d("2026-01-31"))
    );
}

/// Case rule data with every case key over two periods either side of 2026-02-01, the statement
/// window being `old` working days before and `new` after.
fn two_versions(old: u32, new: u32) -> String {
    let mut t = String::new();
    let row = |t: &mut String, key: &str, value: &str, unit: &str, period: &str| {
        t.push_str(&format!(
            "[[rule]]\nkey = \"{key}\"\nvalue = {value}\nunit = \"{unit}\"\nsource = \"测试\"\n{period}verified = false\n\n"
        ));
    };
    let periods = [
        "effective_from = 2015-05-01\neffective_until = 2026-01-31\n",
        "effective_from = 2026-02-01\n",
    ];
    for (i, period) in periods.iter().enumerate() {
        let statement = if i == 0 { old } else { new };
        let name = format!("\"规章版本{}\"", i + 1);
        row(&mut t, "penalty_procedure", &name, "text", period);
        row(
            &mut t,
            "statement_within",
            &statement.to_string(),
            "working_days",
            period,
        );
        for (key, value, unit) in [
            ("hearing_request_within", "5", "working_days"),
            ("service_within", "7", "working_days"),
            ("decide_within", "30", "calendar_days"),
            ("decide_extended_within", "90", "calendar_days"),
            ("decide_further_within", "180", "calendar_days"),
            ("pay_within", "15", "calendar_days"),
            ("late_fee_percent_per_day", "3", "percent"),
            ("hearing_threshold_person", "10000", "yuan"),
            ("hearing_threshold_unit", "30000", "yuan"),
        ] {
            row(&mut t, key, value, unit, period);
        }
    }
    t
}

#[test]
fn a_step_applies_the_case_rule_version_in_force_on_its_own_date() {
    let rules = Rules::parse(&two_versions(3, 5)).unwrap();
    let old = rules.case_at(d("2026-01-31")).unwrap();
    assert_eq!(old.penalty_procedure.value, "规章版本1");
    assert_eq!(old.statement_within.value, Span::WorkingDays(3));
    let new = rules.case_at(d("2026-02-01")).unwrap();
    assert_eq!(new.penalty_procedure.value, "规章版本2");
    assert_eq!(new.statement_within.value, Span::WorkingDays(5));
    // A step dated after the change, even for a case filed before it, uses the new version.
    let step = rules.case_at(d("2026-03-02")).unwrap();
    assert_eq!(step.statement_within.value, Span::WorkingDays(5));
    assert_eq!(
        step.statement_within.provenance.effective_from,
        d("2026-02-01")
    );
    // Before the data's first period no case rule applies.
    assert_eq!(
        rules.case_at(d("2015-04-30")).unwrap_err().key,
        RuleKey::PenaltyProcedure
    );
}

#[test]
fn case_units_must_fit_their_keys() {
    let bad = two_versions(3, 5).replacen("unit = \"yuan\"", "unit = \"count\"", 1);
    assert!(Rules::parse(&bad).is_err());
    let bad = two_versions(3, 5).replacen("unit = \"percent\"", "unit = \"yuan\"", 1);
    assert!(Rules::parse(&bad).is_err());
}

#[test]
fn values_display_with_their_unit() {
    assert_eq!(
        RuleValue::TimeLimit(Span::WorkingDays(5)).to_string(),
        "5个工作日"
    );
    assert_eq!(RuleValue::Count(2).to_string(), "2");
    assert_eq!(RuleValue::Text("办法".into()).to_string(), "办法");
    assert_eq!(RuleValue::Amount(30_000).to_string(), "30000元");
    assert_eq!(RuleValue::Percent(3).to_string(), "3%");
}
