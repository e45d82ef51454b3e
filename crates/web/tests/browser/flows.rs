//! The flows: what people do in the browser, step by step, each page checked.

use crate::harness::{Session, Tools, Viewport};

/// Each demo account, the path its first page must be on, and a heading of that page.
const FIRST_PAGES: [(&str, &str, &str); 8] = [
    ("demo-office", "/overview", "工作进展"),
    ("demo-town", "/enterprises", "企业自查情况"),
    ("demo-dept", "/enterprises", "企业自查情况"),
    ("demo-enterprise", "/enterprises/", "自查状态"),
    ("demo-assessor", "/overview", "工作进展"),
    ("demo-sysadmin", "/admin/accounts", "账号管理"),
    ("demo-secadmin", "/admin/accounts", "角色与范围"),
    ("demo-auditadmin", "/audit", "审计记录"),
];

/// Pages with wide tables or forms, each looked at by the account that uses it (issue #18
/// point 3: on a phone they must not scroll sideways): user, path, screenshot name.
const WIDE_PAGES: [(&str, &str, &str); 11] = [
    ("demo-office", "/findings", "ledger"),
    ("demo-office", "/commitments/coverage", "commitments"),
    ("demo-office", "/unit-measures", "unit-measures"),
    ("demo-office", "/accountability", "accountability"),
    ("demo-office", "/enforcement/dishonesty", "dishonesty"),
    ("demo-office", "/acceptance", "acceptance"),
    ("demo-town", "/unit-measures", "unit-measures"),
    ("demo-assessor", "/assessment", "assessment"),
    ("demo-enterprise", "/commitment", "commitment"),
    ("demo-enterprise", "/profile", "profile"),
    ("demo-auditadmin", "/audit", "audit"),
];

/// Every role logs in through the form and lands on its own first page; the pages with wide
/// tables are looked at too.
pub async fn first_pages(tools: Tools, viewport: Viewport) {
    let s = Session::start(&tools, "roles", viewport).await;
    s.goto("/login").await;
    s.check("login").await;
    for (user, path, heading) in FIRST_PAGES {
        s.login(user).await;
        let at = s.path().await;
        assert!(at.starts_with(path), "{user} landed on {at}, not {path}");
        // The enterprise's first page is headed by its name; its status line says what it is.
        let css = if user == "demo-enterprise" {
            "main"
        } else {
            "h1"
        };
        s.assert_text(css, heading).await;
        s.check(user).await;
        for (_, path, name) in WIDE_PAGES.iter().filter(|(u, _, _)| *u == user) {
            s.goto(path).await;
            s.check(&format!("{user}-{name}")).await;
        }
        s.logout().await;
    }
    s.finish().await;
}

/// The 不符合 item of the self-inspection, and its note.
const NON_CONFORM: (u32, &str) = (17, "应急演练未按预案规定频次组织（浏览器测试）");
/// The 不适用 item.
const NOT_APPLICABLE: u32 = 12;

fn answer_for(item: u32) -> &'static str {
    if item == NON_CONFORM.0 {
        "non_conform"
    } else if item == NOT_APPLICABLE {
        "not_applicable"
    } else {
        "conform"
    }
}

/// The enterprise answers all 31 items, saves a draft, finds it kept after a reload, submits,
/// and sees the submitted self-inspection with the finding its 不符合 answer opened.
pub async fn self_inspection(tools: Tools, viewport: Viewport) {
    let s = Session::start(&tools, "self-inspection", viewport).await;
    s.login("demo-enterprise").await;
    s.assert_text(".status", "未开始").await;
    s.check("start").await;

    // Nothing typed is lost (issue #18 point 1): item 1 ticked with a note, then a file
    // uploaded on item 2 — the upload saves the draft with it.
    const NOTE_1: &str = "责任制已覆盖全部岗位（浏览器测试）";
    s.click("input[name=answer_1][value=conform]").await;
    s.fill("textarea[name=note_1]", NOTE_1).await;
    let dir = tempfile::tempdir().unwrap();
    let photo = evidence_png(dir.path());
    s.find("input[name=file_2]")
        .await
        .send_keys(photo.to_string_lossy().as_ref())
        .await
        .unwrap();
    s.click_and_wait("button[name=action][value=upload_2]")
        .await;
    s.assert_text("#item-2", "整改后照片.png").await;
    s.reload().await;
    let kept = s
        .js_value(
            "return [document.querySelector('input[name=answer_1][value=conform]').checked,
                     document.querySelector('textarea[name=note_1]').value];",
        )
        .await;
    assert_eq!(
        kept,
        serde_json::json!([true, NOTE_1]),
        "item 1 after the upload"
    );
    s.assert_text(".status", "草稿").await;
    s.check("uploaded").await;

    for item in 1..=31 {
        s.click(&format!(
            "input[name=answer_{item}][value={}]",
            answer_for(item)
        ))
        .await;
    }
    // The count follows the answers before anything is saved (issue #18 point 5).
    s.assert_text(".answered", "已答 31/31").await;
    s.fill(
        &format!("textarea[name=note_{}]", NON_CONFORM.0),
        NON_CONFORM.1,
    )
    .await;
    s.click_and_wait("button[name=action][value=save]").await;
    s.assert_text(".status", "草稿").await;
    s.check("draft").await;

    // A reload shows what was saved, not what the browser kept in the form.
    s.reload().await;
    let saved = s
        .js_value(
            "const out = {};
             for (const r of document.querySelectorAll('input[type=radio]:checked')) out[r.name] = r.value;
             return out;",
        )
        .await;
    for item in 1..=31 {
        assert_eq!(
            saved[format!("answer_{item}")],
            answer_for(item),
            "item {item} after the reload"
        );
    }
    let note = s
        .find(&format!("textarea[name=note_{}]", NON_CONFORM.0))
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(note.as_deref(), Some(NON_CONFORM.1));

    s.click_confirm_and_wait("button[name=action][value=submit]", "确认提交")
        .await;
    s.assert_text(".status", "已提交").await;
    s.assert_text(&format!("#item-{}", NON_CONFORM.0), "不符合")
        .await;
    s.assert_text(&format!("#item-{}", NON_CONFORM.0), NON_CONFORM.1)
        .await;
    assert!(
        s.driver()
            .find_all(thirtyfour::By::Css("input[type=radio]"))
            .await
            .unwrap()
            .is_empty(),
        "a submitted self-inspection is read-only"
    );
    s.assert_text("#findings", NON_CONFORM.1).await;
    s.check("submitted").await;
    s.finish().await;
}

/// A small PNG photo, made here: the evidence of a rectification.
fn evidence_png(dir: &std::path::Path) -> std::path::PathBuf {
    let img = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([
            200,
            u8::try_from(x * 3).unwrap(),
            u8::try_from(y * 5).unwrap(),
        ])
    });
    let path = dir.join("整改后照片.png");
    img.save_with_format(&path, image::ImageFormat::Png)
        .unwrap();
    path
}

/// A finding from opening to close-out: the town's officer opens it on an enterprise of the
/// town, the enterprise records its plan, rectifies, uploads a photo and submits, the officer
/// verifies and it is closed out.
pub async fn finding_loop(tools: Tools, viewport: Viewport) {
    const DESCRIPTION: &str = "二号仓库消防通道堆放杂物（浏览器测试）";
    let s = Session::start(&tools, "finding", viewport).await;
    let enterprise = s.server.enterprise_of("demo-enterprise").await;

    // The officer opens it from the enterprise's page.
    s.login("demo-town").await;
    s.follow("main table", &enterprise).await;
    s.click_and_wait("a.button[href$=\"/findings/new\"]").await;
    s.assert_text("h1", "登记问题隐患").await;
    s.choose("select[name=category]", "hazard").await;
    s.choose("select[name=grade]", "general").await;
    s.choose("select[name=item]", "21").await;
    s.fill("input[name=location]", "二号仓库").await;
    s.fill("textarea[name=description]", DESCRIPTION).await;
    s.check("new").await;
    s.click_and_wait("form.stack button[type=submit]").await;
    s.assert_text("h1", DESCRIPTION).await;
    s.assert_text(".status", "待整改").await;
    s.check("opened").await;
    s.logout().await;

    // The enterprise finds it on its page, records the plan, rectifies and submits.
    s.login("demo-enterprise").await;
    s.follow("#findings", DESCRIPTION).await;
    s.fill("input[name=responsible]", "陈工").await;
    s.fill("textarea[name=measures]", "清理通道杂物，划定禁止堆放区域")
        .await;
    s.fill("input[name=funds]", "2000").await;
    // A date field takes typed digits in the browser's locale; set the day itself instead.
    let limit = s.find("input[name=time_limit]").await;
    s.driver()
        .execute(
            "arguments[0].value = arguments[0].max",
            vec![limit.to_json().unwrap()],
        )
        .await
        .unwrap();
    s.fill("textarea[name=contingency_plan]", "通道恢复前安排专人值守")
        .await;
    s.check("plan").await;
    s.click_and_wait("input[name=action][value=accept_plan] ~ button[type=submit]")
        .await;
    s.assert_text(".status", "方案已确认").await;
    s.click_and_wait("button[name=action][value=start_rectifying]")
        .await;
    s.assert_text(".status", "整改中").await;

    let dir = tempfile::tempdir().unwrap();
    let photo = evidence_png(dir.path());
    s.find("form[action$=\"/evidence\"] input[type=file]")
        .await
        .send_keys(photo.to_string_lossy().as_ref())
        .await
        .unwrap();
    s.click_and_wait("form[action$=\"/evidence\"] button[type=submit]")
        .await;
    s.assert_text("main", "整改证据（1）").await;
    s.assert_text("main", "整改后照片.png").await;
    s.check("evidence").await;
    s.click_and_wait("button[name=action][value=submit]").await;
    s.assert_text(".status", "待验收").await;
    s.check("submitted").await;
    s.logout().await;

    // The officer verifies on site and closes it out.
    s.login("demo-town").await;
    s.follow("main table", &enterprise).await;
    s.follow("#findings", DESCRIPTION).await;
    // The close-out records the on-site check: the verifiers (the officer's name, offered),
    // the opinion and a photo (issue #18 point 4).
    s.fill(
        "textarea[name=opinion]",
        "现场核验：通道已清理，禁止堆放标识已设置",
    )
    .await;
    s.find("form[action$=\"/verify\"] input[type=file]")
        .await
        .send_keys(photo.to_string_lossy().as_ref())
        .await
        .unwrap();
    s.check("verify").await;
    s.click_and_wait("form[action$=\"/verify\"] button[type=submit]")
        .await;
    s.assert_text(".status", "已销号").await;
    s.assert_text("main", "验收销号日期").await;
    s.assert_text("main", "现场核验：通道已清理").await;
    s.check("closed").await;
    s.finish().await;
}

/// A second officer of 东湖街道 and enforcement certificates for both, as the committee office
/// records them (through the store: its settings pages are not this flow's).
async fn certified_officers(s: &Session) {
    use safeduty_store::audit::Who;
    use safeduty_store::enforcement::authority::{CertificateRow, set_certificate};
    use safeduty_store::org;
    let store = s.server.store();
    let town = org::user_by_username(store, "demo-town").await.unwrap();
    let hash = safeduty_web::auth::hash_password(crate::harness::PASSWORD).unwrap();
    let mut tx = store.write().await.unwrap();
    org::create_user(
        &mut tx,
        &Who::system(),
        &org::NewUser {
            username: "demo-town2".into(),
            display_name: "东湖街道 王执法（演示）".into(),
            password_hash: hash,
            role: safeduty_core::policy::Role::UnitOfficer,
            region_id: None,
            unit_id: town.unit_id,
            enterprise_id: None,
            is_demo: true,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let second = org::user_by_username(store, "demo-town2").await.unwrap();
    for (user, number) in [(&town, "45010324001"), (&second, "45010324002")] {
        set_certificate(
            store,
            &Who::system(),
            user.id,
            &CertificateRow {
                number: number.into(),
                valid_from: "2024-01-01".parse().unwrap(),
                valid_until: "2026-12-31".parse().unwrap(),
            },
        )
        .await
        .unwrap();
    }
}

/// Sets the value of the field at `css` as the browser's picker would (date and time fields
/// take typed digits in the browser's locale).
async fn set_value(s: &Session, css: &str, value: &str) {
    let el = s.find(css).await;
    s.driver()
        .execute(
            "arguments[0].value = arguments[1]",
            vec![el.to_json().unwrap(), serde_json::json!(value)],
        )
        .await
        .unwrap();
}

/// The two 不符合 items of the inspection, and their notes.
const FAILING: [(u32, &str); 2] = [
    (3, "安全生产责任制未覆盖全部岗位（浏览器测试）"),
    (17, "未按预案规定频次组织应急演练（浏览器测试）"),
];

/// The town's officer records an on-site inspection of an enterprise of the town from its
/// page: one officer named is refused beside the field with everything typed kept; with the
/// second officer it is saved, its 不符合 items are findings; the officer issues the correction
/// order with 15 working days and sees it on the enforcement home.
pub async fn enforcement(tools: Tools, viewport: Viewport) {
    let s = Session::start(&tools, "enforcement", viewport).await;
    certified_officers(&s).await;
    let enterprise = s.server.enterprise_of("demo-enterprise").await;

    s.login("demo-town").await;
    s.goto("/enforcement").await;
    s.assert_text("main", "专项执法检查自 2024-07-01 起统计")
        .await;
    s.check("home-before").await;
    // The town's 60 on one page (the list is paged by 50 in pinyin order).
    s.goto("/enterprises?per_page=100").await;
    s.follow("main table", &enterprise).await;
    s.click_and_wait("a.button[href*=\"/enforcement/inspections/new\"]")
        .await;
    s.assert_text("h1", "登记现场检查").await;
    s.assert_text("#officers", "执法证号 45010324002").await;
    s.check("form").await;

    set_value(&s, "input[name=start_time]", "09:00").await;
    set_value(&s, "input[name=end_time]", "11:30").await;
    s.fill("input[name=place]", "一号生产车间").await;
    s.fill("input[name=person_present]", "陈志远").await;
    s.fill("input[name=person_present_role]", "安全生产管理人员")
        .await;
    s.fill("input[name=guest_name_1]", "刘专家").await;
    s.fill("input[name=guest_org_1]", "示例安全技术服务中心")
        .await;
    for item in 1..=31 {
        let failing = FAILING.iter().find(|(n, _)| *n == item);
        let answer = if failing.is_some() {
            "non_conform"
        } else {
            "conform"
        };
        s.click(&format!("input[name=answer_{item}][value={answer}]"))
            .await;
        if let Some((_, note)) = failing {
            s.fill(&format!("textarea[name=note_{item}]"), note).await;
        }
    }
    s.click(&format!(
        "#item-{} details.violations summary",
        FAILING[0].0
    ))
    .await;
    s.click(&format!(
        "input[name=violation_{}][value=\"wsl-25-1\"]",
        FAILING[0].0
    ))
    .await;
    // One officer: refused beside the officers, nothing lost.
    s.click("ul.officers li:first-child input[name=officer]")
        .await;
    s.click_confirm_expecting("form.enf button[type=submit]", "确认保存", 422)
        .await;
    s.assert_text("#officers", "执法人员不少于两名，现列出1名")
        .await;
    let kept = s
        .find(&format!("textarea[name=note_{}]", FAILING[1].0))
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some(FAILING[1].1));
    s.check("refused").await;

    // Both officers: saved.
    s.click("input[name=officer]:not(:checked)").await;
    s.click_confirm_and_wait("form.enf button[type=submit]", "确认保存")
        .await;
    s.assert_text("h1", "现场检查记录").await;
    s.assert_text(".docno", "应急检记〔2024〕1号").await;
    s.assert_text("#findings", FAILING[0].1).await;
    s.assert_text("#findings", FAILING[1].1).await;
    s.check("record").await;

    // The correction order: 15 working days from the demo day.
    s.fill("input[name=working_days]", "15").await;
    s.click_and_wait("#order button[type=submit]").await;
    s.assert_text("h1", "责令限期整改指令书").await;
    s.assert_text("main", "2024-07-11").await;
    s.check("order").await;

    let order = s.path().await;

    // With the power of on-site measures (the committee office's to grant), the officer
    // suspends work from the inspection's page.
    let town = safeduty_store::org::user_by_username(s.server.store(), "demo-town")
        .await
        .unwrap();
    safeduty_store::enforcement::authority::set_unit_powers(
        s.server.store(),
        &safeduty_store::audit::Who::system(),
        town.unit_id.unwrap(),
        &[
            "inspect",
            "order_correction",
            "on_site_measures",
            "file_case",
            "decide_penalty",
        ],
    )
    .await
    .unwrap();
    s.follow("main table", "（东）应急检记〔2024〕1号").await;
    s.click("#measures details summary").await;
    s.choose("select[name=kind]", "suspend_work").await;
    set_value(&s, "input[name=until]", "2024-07-20").await;
    s.fill("textarea[name=description]", "一号生产车间暂时停产")
        .await;
    s.fill(
        "textarea[name=reason]",
        "粉尘涉爆除尘系统失效（浏览器测试）",
    )
    .await;
    s.click_and_wait("#measures form button[type=submit]").await;
    s.assert_text("#measures", "执行中").await;
    s.assert_text("#measures", "解除审查").await;
    s.check("measures").await;

    // A case from the inspection (issue #13): drafted, then filed by both officers, then the
    // investigation recorded; the case page shows its number and time limits.
    s.click_and_wait("a.button[href*=\"/enforcement/cases/new\"]")
        .await;
    s.assert_text("h1", "新建案件").await;
    s.fill(
        "input[name=cause]",
        "未按规定落实有限空间作业审批（浏览器测试）",
    )
    .await;
    s.check("case-new").await;
    s.click_and_wait("form.card button[type=submit]").await;
    s.assert_text("main", "草稿：立案审批后编号").await;
    s.click("input[name=officer]:not(:checked)").await;
    s.click("input[name=officer]:not(:checked)").await;
    s.click_confirm_and_wait("#act form button[type=submit]", "确认立案")
        .await;
    s.assert_text(".docno", "应急立〔2024〕1号").await;
    s.assert_text("#windows", "作出处罚决定期限").await;
    s.click_and_wait("#act form:has(input[value=investigate]) button[type=submit]")
        .await;
    s.assert_text("#record", "调查取证").await;
    s.check("case").await;
    s.goto("/enforcement/exposures").await;
    s.assert_text("h1", "典型案例曝光").await;
    s.check("exposures").await;

    s.goto("/enforcement").await;
    s.assert_text("main", "今日检查").await;
    s.assert_text("main", &enterprise).await;
    s.check("home").await;
    s.logout().await;

    // The enterprise sees the order with what it may do: report completion, ask for more time.
    s.login("demo-enterprise").await;
    s.goto(&order).await;
    s.assert_text("#act", "报告整改完毕").await;
    s.assert_text("#act", "申请延期整改").await;
    s.check("order-enterprise").await;
    s.finish().await;
}

/// The row the committee office adds in [`violation_library`], and the text it gives a
/// shipped row.
const OWN_ROW: (&str, &str) = ("qx-2024-1", "未按本区规定报送应急演练计划（浏览器测试）");
const EDITED_ROW: (&str, &str) = (
    "wsl-25-4",
    "安全生产管理人员未组织本单位应急救援演练（本区修改，浏览器测试）",
);

/// The committee office edits its region's violation library on the settings page: a code
/// refused beside its field with everything typed kept, then the row added; a shipped row
/// edited (the region's override); a row deactivated. The town's inspection form then offers
/// the edited text and the new row, and not the deactivated one.
pub async fn violation_library(tools: Tools, viewport: Viewport) {
    let s = Session::start(&tools, "violations", viewport).await;
    s.login("demo-office").await;
    s.goto("/enforcement/settings#violations").await;
    s.assert_text("#violations", "随系统发布").await;
    s.assert_text("#violation-wsl-97-1", "未核实").await;
    s.check("library").await;

    let add = "#violations > form";
    s.fill(&format!("{add} input[name=code]"), "QX 1").await;
    s.fill(&format!("{add} input[name=behaviour]"), OWN_ROW.1)
        .await;
    s.fill(
        &format!("{add} input[name=violated]"),
        "《示例市安全生产条例》第十条",
    )
    .await;
    s.fill(
        &format!("{add} input[name=penalty]"),
        "《示例市安全生产条例》第三十条",
    )
    .await;
    s.choose(&format!("{add} select[name=party]"), "unit").await;
    s.fill(
        &format!("{add} input[name=source]"),
        "本区安委办补充，条款编号待核实",
    )
    .await;
    s.click_expecting(&format!("{add} button[type=submit]"), 422)
        .await;
    s.assert_text(add, "违法行为编号应为1至32位小写字母、数字或 . _ -")
        .await;
    let kept = s
        .find(&format!("{add} input[name=behaviour]"))
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some(OWN_ROW.1));
    s.check("refused").await;
    s.fill(&format!("{add} input[name=code]"), OWN_ROW.0).await;
    s.click_and_wait(&format!("{add} button[type=submit]"))
        .await;
    let own = format!("#violation-{}", OWN_ROW.0);
    s.assert_text(&own, "本辖区新增").await;
    s.assert_text(&own, "未核实").await;

    let edited = format!("#violation-{}", EDITED_ROW.0);
    s.click(&format!("{edited} details summary")).await;
    s.fill(&format!("{edited} input[name=behaviour]"), EDITED_ROW.1)
        .await;
    s.click_and_wait(&format!("{edited} details button[type=submit]"))
        .await;
    s.assert_text(&edited, "本辖区修改").await;
    s.assert_text(&edited, EDITED_ROW.1).await;
    s.click_and_wait("#violation-wsl-97-1 form.inline button")
        .await;
    s.assert_text("#violation-wsl-97-1", "已停用").await;
    s.assert_text("#violation-wsl-97-1", "重新启用").await;
    s.check("edited").await;
    s.logout().await;

    s.login("demo-town").await;
    let enterprise = s.server.enterprise_of("demo-enterprise").await;
    // The town's 60 on one page (the list is paged by 50 in pinyin order).
    s.goto("/enterprises?per_page=100").await;
    s.follow("main table", &enterprise).await;
    s.click_and_wait("a.button[href*=\"/enforcement/inspections/new\"]")
        .await;
    s.click("#item-17 details.violations summary").await;
    s.assert_text("#item-17 details.violations", EDITED_ROW.1)
        .await;
    s.assert_text("#item-17 details.violations", OWN_ROW.1)
        .await;
    let deactivated = s
        .js_value("return document.querySelectorAll('input[value=\"wsl-97-1\"]').length")
        .await;
    assert_eq!(
        deactivated,
        serde_json::json!(0),
        "a deactivated row offered"
    );
    s.check("form").await;
    s.finish().await;
}

/// Issue #18 point 9: the enterprise issues 陈志远 a signing code on its commitment page (shown
/// once, with its expiry in the demo's frame); logged out, he follows 持签署码签署承诺书 from the
/// login page, types the code (in lower case), reads his commitment, is refused for a name that
/// differs (what he typed kept), signs; the enterprise then sees 本人签署（签署码）.
pub async fn signing_code(tools: Tools, viewport: Viewport) {
    let s = Session::start(&tools, "signing-code", viewport).await;
    s.login("demo-enterprise").await;
    s.goto("/commitment").await;
    s.assert_text("main", "陈志远").await;
    s.click_and_wait("form[action$=\"/signing-code\"] button[type=submit]")
        .await;
    let code = s.text(".signing-code").await;
    let alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    assert!(
        code.len() == 11
            && code.chars().enumerate().all(|(i, c)| if i == 5 {
                c == '-'
            } else {
                alphabet.contains(c)
            }),
        "{code} is not XXXXX-XXXXX"
    );
    s.assert_text(".code-issued", "有效至 2024-06-23").await;
    s.assert_text(".code-issued", "陈志远本人").await;
    s.check("issued").await;
    s.logout().await;

    s.follow("main", "持签署码签署承诺书").await;
    s.assert_text("h1", "本人签署安全生产履职承诺书").await;
    s.check("code").await;
    s.fill("input[name=code]", &code.to_lowercase()).await;
    s.click_and_wait("form[action=\"/sign\"] button[type=submit]")
        .await;
    s.assert_text(".signer", "陈志远").await;
    s.assert_text("main", "安全生产履职承诺书（第1版）").await;
    s.check("read").await;
    s.click("input[name=read]").await;
    s.fill("input[name=typed_name]", "陈志").await;
    s.click_expecting("form[action=\"/sign\"] button[type=submit]", 422)
        .await;
    s.assert_text(".error", "与安全管理人员“陈志远”不一致")
        .await;
    assert_eq!(
        s.find("input[name=typed_name]")
            .await
            .value()
            .await
            .unwrap()
            .as_deref(),
        Some("陈志"),
        "the name typed is kept"
    );
    s.check("wrong-name").await;
    s.fill("input[name=typed_name]", "陈志远").await;
    s.click_and_wait("form[action=\"/sign\"] button[type=submit]")
        .await;
    s.assert_text(".notice", "陈志远，您已于 2024-06-20 本人签署")
        .await;
    s.check("signed").await;

    s.login("demo-enterprise").await;
    s.goto("/commitment").await;
    s.assert_text("main", "（第1版，本人签署（签署码））").await;
    s.check("after").await;
    s.finish().await;
}

/// The chart page (issue #15 point 6): the office, a town and the assessor each follow the link
/// on their first page (the dashboard) to 统计图表 and see every chart with its table; on a phone the charts and the tables scroll
/// inside their own boxes, never the page.
pub async fn charts(tools: Tools, viewport: Viewport) {
    let s = Session::start(&tools, "charts", viewport).await;
    for user in ["demo-office", "demo-town", "demo-assessor"] {
        s.login(user).await;
        s.follow("main", "查看统计图表").await;
        assert_eq!(s.path().await, "/charts", "{user}");
        s.assert_text("h1", "统计图表").await;
        let charts = s
            .js_value("return document.querySelectorAll('figure.chart svg > title').length")
            .await;
        assert!(charts.as_i64().unwrap_or(0) >= 10, "{user}: {charts}");
        // Each chart's box stays within the screen (a chart wider than a phone scrolls inside
        // it), and no chart is shrunk below 600 px, where its 12-unit text would be unreadable.
        let overflowing = s
            .js_value(
                "return [...document.querySelectorAll('figure.chart')].filter(f => \
                 f.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length",
            )
            .await;
        assert_eq!(overflowing.as_i64(), Some(0), "{user}");
        let shrunk = s
            .js_value(
                "return [...document.querySelectorAll('figure.chart svg')].filter(s => \
                 s.getBoundingClientRect().width < 599).length",
            )
            .await;
        assert_eq!(shrunk.as_i64(), Some(0), "{user}");
        s.check(user).await;
        s.logout().await;
    }
    s.finish().await;
}
