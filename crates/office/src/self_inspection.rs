//! A submitted self-inspection (企业自查表) as a printable Word document on the GB/T 9704 page
//! (issue #18 point 5): the enterprise, the campaign, the day submitted and the counts, then
//! every check item with its answer and note in a bordered table, then lines for the
//! signatures of the principal person and the safety manager, who sign the printed copy kept
//! on file.

use chrono::NaiveDate;

use crate::Error;
use crate::gbt9704::{Column, Document, Table, date_cn};

/// One check item as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemLine {
    /// Its number.
    pub number: u32,
    /// What was checked.
    pub text: String,
    /// The answer in words: 符合, 不符合, 不适用.
    pub answer: String,
    /// The note (required for 不符合), may be empty.
    pub note: String,
}

/// A submitted self-inspection as the copy prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfInspectionCopy {
    /// The enterprise's name.
    pub enterprise_name: String,
    /// Its USCC.
    pub uscc: String,
    /// The campaign's name.
    pub campaign_name: String,
    /// The day submitted.
    pub submitted_on: NaiveDate,
    /// Submitted after the self-inspection phase ended.
    pub late: bool,
    /// The items in the plan's order.
    pub items: Vec<ItemLine>,
}

/// The copy as a `.docx`.
///
/// # Errors
/// [`Error`] when the package cannot be written.
pub fn docx(c: &SelfInspectionCopy) -> Result<Vec<u8>, Error> {
    let count = |answer: &str| c.items.iter().filter(|i| i.answer == answer).count();
    let table = c.items.iter().fold(
        Table::new([
            Column::centered(2),
            Column::left(12),
            Column::centered(3),
            Column::left(7),
        ])
        .header(["序号", "检查内容", "结果", "说明"]),
        |t, i| {
            t.row([
                i.number.to_string(),
                i.text.clone(),
                i.answer.clone(),
                i.note.clone(),
            ])
        },
    );
    Document::new()
        .title(format!("{}\n企业自查表", c.campaign_name))
        .field("企业名称：", c.enterprise_name.clone())
        .field("统一社会信用代码：", c.uscc.clone())
        .field(
            "提交日期：",
            if c.late {
                format!("{}（自查自纠阶段结束后提交）", date_cn(c.submitted_on))
            } else {
                date_cn(c.submitted_on)
            },
        )
        .field(
            "自查结果：",
            format!(
                "共{}项，符合{}项，不符合{}项，不适用{}项",
                c.items.len(),
                count("符合"),
                count("不符合"),
                count("不适用")
            ),
        )
        .table(table.size(24))
        .blank_line()
        .keep_with_next()
        .signing([
            "主要负责人（签字）：__________",
            "安全生产管理人员（签字）：__________　　年　月　日",
        ])
        .to_docx()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_lists_every_item_and_counts_the_answers() {
        let c = SelfInspectionCopy {
            enterprise_name: "示例机械制造有限公司".into(),
            uscc: "91450103MA5KXXXX0A".into(),
            campaign_name: "2024年企业安全生产管理人员履职专项治理".into(),
            submitted_on: NaiveDate::from_ymd_opt(2024, 7, 1).unwrap(),
            late: true,
            items: vec![
                ItemLine {
                    number: 1,
                    text: "是否建立安全生产责任制".into(),
                    answer: "符合".into(),
                    note: String::new(),
                },
                ItemLine {
                    number: 2,
                    text: "是否组织应急演练".into(),
                    answer: "不符合".into(),
                    note: "未按频次组织".into(),
                },
            ],
        };
        let bytes = docx(&c).unwrap();
        // To look at it: DOCS_PREVIEW_DIR=… cargo test -p safeduty-office --lib self_inspection
        if let Some(dir) = std::env::var_os("DOCS_PREVIEW_DIR") {
            std::fs::write(
                std::path::Path::new(&dir).join("self_inspection.docx"),
                &bytes,
            )
            .unwrap();
        }
        let doc = docx_rs::read_docx(&bytes).unwrap();
        let text = format!("{:?}", doc.document);
        for part in [
            "示例机械制造有限公司",
            "自查自纠阶段结束后提交",
            "共2项，符合1项，不符合1项，不适用0项",
            "未按频次组织",
            "安全生产管理人员（签字）",
        ] {
            assert!(text.contains(part), "{part}");
        }
    }
}
