use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn interview() -> MatterInput {
    MatterInput {
        kind: Some(MatterKind::Interview),
        issues: "“八个一”措施缺3项；企业履职承诺签订率42%".into(),
        actions: "12月20日前补齐措施并报送佐证材料".into(),
        due_on: Some(d("2024-12-20")),
        interview_on: Some(d("2024-12-12")),
        place: "区应急管理局三楼会议室".into(),
        interviewer: "区安委办主任 王某".into(),
        interviewees: "东湖街道党工委书记、办事处主任".into(),
    }
}

#[test]
fn an_interview_is_held_reported_sent_back_and_closed() {
    let today = d("2024-12-10");
    let m = interview().check(today).unwrap();
    assert_eq!(m.issued_on, today);
    let mut r = Record::new(m);
    assert_eq!(r.status(), MatterStatus::Issued);
    let e = r.report("已整改", d("2024-12-11")).unwrap_err();
    assert_eq!(e.message(), "约谈尚未进行，请在约谈后报告整改情况");
    let e = r.hold(d("2024-12-13"), "x", d("2024-12-12")).unwrap_err();
    assert_eq!(
        (e.field(), e.message()),
        (Some("date"), "约谈日期不能晚于今天")
    );
    r.hold(d("2024-12-12"), "主要负责人作表态发言", d("2024-12-12"))
        .unwrap();
    assert!(r.hold(d("2024-12-12"), "again", d("2024-12-12")).is_err());
    assert!(!r.overdue(d("2024-12-20")));
    assert!(r.overdue(d("2024-12-21")));
    r.report("已补齐措施，签订率升至96%", d("2024-12-18"))
        .unwrap();
    assert_eq!(r.status(), MatterStatus::Reported);
    r.follow_up(false, "佐证材料不全", d("2024-12-19")).unwrap();
    assert_eq!(r.status(), MatterStatus::Issued);
    r.report("补充了签到表", d("2024-12-19")).unwrap();
    assert_eq!(
        r.status(),
        MatterStatus::Reported,
        "reported again the same day"
    );
    assert_eq!(r.sent_back.as_ref().unwrap().text, "佐证材料不全");
    r.follow_up(true, "核查属实，予以销号", d("2024-12-23"))
        .unwrap();
    assert_eq!(r.status(), MatterStatus::Closed);
    assert!(!r.overdue(d("2025-01-10")));
    let e = r.report("x", d("2024-12-24")).unwrap_err();
    assert_eq!(e.message(), "督办事项当前为“已销号”，不能报告整改情况");
}

#[test]
fn a_matter_is_refused_on_the_field_at_fault() {
    let today = d("2024-12-10");
    let mut i = interview();
    i.due_on = Some(today);
    assert_eq!(i.check(today).unwrap_err().field(), Some("due_on"));
    // A year ahead is the longest time limit; one typed a century on is refused.
    i.due_on = Some(d("2025-12-10"));
    i.interview_on = Some(d("2024-12-15"));
    assert!(i.check(today).is_ok());
    i.due_on = Some(d("2124-12-10"));
    assert_eq!(
        i.check(today).unwrap_err().message(),
        "整改期限2124-12-10超过一年，请核对"
    );
    let mut i = interview();
    i.interview_on = Some(d("2024-12-21"));
    assert_eq!(
        i.check(today).unwrap_err().message(),
        "约谈日期2024-12-21晚于整改期限2024-12-20"
    );
    let mut i = interview();
    i.interviewer = " ".into();
    assert_eq!(i.check(today).unwrap_err().field(), Some("interviewer"));
    let c = MatterInput {
        kind: Some(MatterKind::Correction),
        interview_on: None,
        place: String::new(),
        interviewer: String::new(),
        interviewees: String::new(),
        ..interview()
    };
    let m = c.check(today).unwrap();
    assert_eq!(m.interview, None);
    let mut r = Record::new(m);
    assert_eq!(
        r.hold(today, "x", today).unwrap_err().message(),
        "责令整改事项没有约谈"
    );
    r.report("已整改", today).unwrap();
    assert_eq!(r.status(), MatterStatus::Reported);
    assert_eq!(
        MatterInput::default().check(today).unwrap_err().field(),
        Some("kind")
    );
}
