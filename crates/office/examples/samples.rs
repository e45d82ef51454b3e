//! Writes sample documents into a folder, to open or render them: `cargo run -p safeduty-office
//! --example samples -- OUT_DIR [LETTER_TEXT_FILE]`. The letter's text is read from the file
//! when given (e.g. a campaign's commitment text), else a short one is used.

use chrono::NaiveDate;
use safeduty_core::finding::ledger::{Category, FiveImplementations, Grade, Source};
use safeduty_core::finding::lifecycle::Status;
use safeduty_office::commitment::{self, CommitmentLetter};
use safeduty_office::gbt9704::{Document, date_cn};
use safeduty_office::ledger::{self, LedgerRow};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().ok_or("usage: samples OUT_DIR [TEXT_FILE]")?);
    let text = match args.next() {
        Some(path) => std::fs::read_to_string(path)?,
        None => "安全生产履职承诺书\n本人郑重承诺依法履行安全生产管理职责。\n如有违反，愿依法承担相应责任。"
            .to_string(),
    };
    let day = NaiveDate::from_ymd_opt(2024, 7, 15).ok_or("date")?;
    std::fs::create_dir_all(&dir)?;

    let letter = CommitmentLetter {
        enterprise_name: "示例机械制造有限公司".into(),
        signer_name: "陈志远".into(),
        text,
        signed_on: day,
        signed_at: "2024-07-15 10:03:04".into(),
        typed_name: "陈志远".into(),
        version: 1,
        text_sha256: "ab".repeat(32),
    };
    std::fs::write(dir.join("letter.docx"), commitment::docx(&letter)?)?;

    // A correction order: two pages, to show the odd and even page numbers.
    let mut order = Document::new()
        .title("责令限期整改指令书")
        .doc_number("（青）应急责改〔2024〕12号")
        .addressee("示例机械制造有限公司：")
        .paragraph("经查，你单位存在下列问题：")
        .heading(1, "一、安全生产管理人员履职情况")
        .heading(2, "（一）教育培训")
        .paragraph("未如实记录安全生产教育和培训情况，培训记录缺少考核结果。");
    for i in 1..=14 {
        order = order.paragraph(format!(
            "{i}. 依据《中华人民共和国安全生产法》第二十五条的规定，安全生产管理人员应当组织或者参与本单位安全生产教育和培训，如实记录安全生产教育和培训情况。"
        ));
    }
    let order = order
        .paragraph(format!(
            "现责令你单位于{}前整改完毕，达到有关法律法规规章和标准规定的要求。",
            date_cn(day)
        ))
        .attachments([
            "隐患整改清单",
            "整改复查申请表（需经单位主要负责人签字并加盖单位公章后报送）",
        ])
        .signature("青秀区应急管理局", day);
    std::fs::write(dir.join("order.docx"), order.to_docx()?)?;

    let row = |i: u32, status: Status| LedgerRow {
        enterprise_name: format!("示例企业{i}有限公司"),
        region_name: "东湖街道".into(),
        description: if i == 2 {
            "=1+1".into()
        } else {
            "配电室未铺设绝缘胶垫，消防通道堆放杂物".into()
        },
        location: "-1层配电室".into(),
        category: Category::Hazard,
        grade: Grade::General,
        source: Source::SelfInspection,
        item_number: Some(i),
        opened_on: NaiveDate::from_ymd_opt(2024, 6, 1).unwrap_or_default(),
        plan: FiveImplementations {
            responsible: "王某".into(),
            measures: "铺设绝缘胶垫，清理杂物".into(),
            funds_fen: Some(123_456),
            time_limit: NaiveDate::from_ymd_opt(2024, 6, 30),
            contingency_plan: "配电室应急处置方案".into(),
        },
        due_on: NaiveDate::from_ymd_opt(2024, 7, 1).unwrap_or_default(),
        temporary_measures: "设置警示标志".into(),
        status,
        closed_on: None,
        stop_work: i == 3,
        pending_extension: None,
    };
    let rows = [
        row(1, Status::Open),
        row(2, Status::Open),
        row(3, Status::Closed),
    ];
    std::fs::write(dir.join("ledger.xlsx"), ledger::xlsx(&rows, day)?)?;
    println!("{}", dir.display());
    Ok(())
}
