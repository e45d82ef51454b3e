//! A unit's or a region's generated report (issue #15 point 2) as a GB/T 9704 `.docx`: the
//! title, the document number, the addressee, the three sections the author writes (工作开展
//! 情况, 存在问题, 下一步工作) with the figures as of the period's end as a table under the first,
//! the enterprises by industry and the units lagging behind, then the issuer and the date.

use chrono::NaiveDate;
use safeduty_core::reporting::{Figures, percent_text, permille};

use crate::Error;
use crate::gbt9704::{Column, Document, Table, date_cn, size};

/// The headings of the three text sections, in order.
pub const SECTIONS: [&str; 3] = ["工作开展情况", "存在问题", "下一步工作"];

/// Chinese numerals for the level-1 headings (一、二、…).
const NUMERALS: [&str; 6] = ["一", "二", "三", "四", "五", "六"];

/// What a generated report holds: who writes to whom about what, the figures and the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The title, e.g. `东湖街道关于企业安全生产管理人员履职专项治理阶段性进展情况的报告`.
    pub title: String,
    /// The document number (发文字号), empty for none.
    pub doc_number: String,
    /// The addressee (主送机关) without its colon, empty for none (the region's own report).
    pub addressee: String,
    /// The issuer (发文机关署名): the unit, or the committee office.
    pub issuer: String,
    /// The date of the document.
    pub date: NaiveDate,
    /// The figures as of the period's end.
    pub figures: Figures,
    /// The three sections' text in the order of [`SECTIONS`]; a blank line starts a paragraph.
    pub sections: [String; 3],
}

/// The figure rows' paragraph that leads the table: what the figures are as of.
fn as_of(f: &Figures) -> String {
    match f.period_end {
        Some(d) => format!(
            "截至{}，主要工作数据如下表（统计截止日后的记录不计入）。",
            date_cn(d)
        ),
        None => "主要工作数据如下表。".into(),
    }
}

fn paragraphs(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

impl Report {
    /// The document as `.docx` bytes.
    ///
    /// # Errors
    /// [`Error`] when the package cannot be written.
    pub fn to_docx(&self) -> Result<Vec<u8>, Error> {
        let f = &self.figures;
        let mut doc = Document::new().title(&self.title);
        if !self.doc_number.is_empty() {
            doc = doc.doc_number(&self.doc_number);
        }
        if !self.addressee.is_empty() {
            doc = doc.addressee(format!("{}：", self.addressee));
        }
        let mut n = 0;
        let mut heading = |doc: Document, text: &str| {
            let h = format!("{}、{text}", NUMERALS[n]);
            n += 1;
            doc.heading(1, h)
        };
        doc = heading(doc, SECTIONS[0]);
        doc = doc.paragraphs(paragraphs(&self.sections[0]));
        doc = heading(doc, "主要工作数据");
        doc = doc.paragraph(as_of(f));
        let mut table = Table::new([Column::left(3), Column::centered(2)])
            .header(["项目", "数量"])
            .size(size::SMALL_NO_4);
        for (label, value) in f.rows() {
            table = table.row([label.to_string(), value]);
        }
        doc = doc.table(table);
        if !f.by_industry.is_empty() {
            doc = doc.paragraph("分行业领域自查自纠情况如下表。");
            let mut t = Table::new([
                Column::left(4),
                Column::centered(2),
                Column::centered(2),
                Column::centered(2),
            ])
            .header(["行业领域", "企业（家）", "完成自查（家）", "完成率"])
            .size(size::SMALL_NO_4);
            for (industry, n, done) in &f.by_industry {
                t = t.row([
                    industry.clone(),
                    n.to_string(),
                    done.to_string(),
                    percent_text(permille(*done, *n)),
                ]);
            }
            doc = doc.table(t);
        }
        if !f.lagging.is_empty() {
            let names: Vec<String> = f
                .lagging
                .iter()
                .map(|(name, rate)| format!("{name}（{}）", percent_text(*rate)))
                .collect();
            doc = doc.paragraph(format!(
                "自查自纠完成率低于全区平均水平（{}）的单位：{}。",
                percent_text(f.self_inspection_rate()),
                names.join("、")
            ));
        }
        doc = heading(doc, SECTIONS[1]);
        doc = doc.paragraphs(paragraphs(&self.sections[1]));
        doc = heading(doc, SECTIONS[2]);
        doc = doc.paragraphs(paragraphs(&self.sections[2]));
        doc.signature(&self.issuer, self.date).to_docx()
    }
}
