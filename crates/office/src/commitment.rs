//! A signed duty commitment (安全生产履职承诺书) as a printable Word document, on the GB/T 9704
//! page ([`crate::gbt9704`]): title in 2号 小标宋, body in 3号 仿宋_GB2312, first lines indented
//! two characters, at a fixed line pitch of 26 pt: 24 lines a page rather than the standard's 22,
//! so that a commitment of the usual length (the seven duties of art. 25 and a closing pledge)
//! fits one page with its signature block, as it is posted on a notice board. Below the text: the
//! enterprise, the signer and the day, kept together with the text's last paragraph; in the
//! footer of every page, the signature record (the typed name, the instant in Beijing time, the
//! text version and the SHA-256 of the text signed), so that a printed copy can be checked
//! against the product.

use chrono::NaiveDate;

use crate::Error;
use crate::gbt9704::{Document, date_cn};

/// Line pitch of the commitment, in twips: 26 pt, 24 lines in the 225 mm type area.
pub const LINE_PITCH: i32 = 520;

/// The title when the signed text's first line does not name the document.
pub const DEFAULT_TITLE: &str = "安全生产履职承诺书";

/// A signed commitment as the document shows it (the caller fills it from its signature row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitmentLetter {
    /// The enterprise the signer manages safety for.
    pub enterprise_name: String,
    /// The signer's name as registered (安全生产管理人员).
    pub signer_name: String,
    /// The exact text signed: its first line is the title when it ends in 承诺书.
    pub text: String,
    /// The day signed, printed under the signer's name.
    pub signed_on: NaiveDate,
    /// The instant signed, as Beijing time text (`2024-06-20 10:03:04`).
    pub signed_at: String,
    /// The name the signer typed when signing.
    pub typed_name: String,
    /// The version of the campaign's text that was signed.
    pub version: i64,
    /// SHA-256 of the text signed, in hex.
    pub text_sha256: String,
}

/// The title: the signed text's first line when it names the document (ends in 承诺书), else
/// [`DEFAULT_TITLE`]; the rest of the text, blank lines dropped, as body paragraphs.
pub fn split_title(text: &str) -> (&str, Vec<&str>) {
    let mut lines = text.lines();
    match lines.next() {
        Some(first) if first.trim().ends_with("承诺书") => (
            first.trim(),
            lines.filter(|l| !l.trim().is_empty()).collect(),
        ),
        _ => (
            DEFAULT_TITLE,
            text.lines().filter(|l| !l.trim().is_empty()).collect(),
        ),
    }
}

/// The signature record printed in the footer of every page.
pub fn record(c: &CommitmentLetter) -> String {
    format!(
        "签署记录：{}于{}（北京时间）在系统中输入姓名“{}”签署，承诺书文本第{}版，文本SHA-256：{}",
        c.signer_name, c.signed_at, c.typed_name, c.version, c.text_sha256
    )
}

/// The `.docx` bytes of commitment `c`.
///
/// # Errors
/// [`Error::Docx`] when the document cannot be packed (does not happen with text input).
pub fn docx(c: &CommitmentLetter) -> Result<Vec<u8>, Error> {
    let (title, paragraphs) = split_title(&c.text);
    Document::new()
        .line_pitch(LINE_PITCH)
        .title(title)
        .paragraphs(paragraphs.iter().map(|p| p.trim()))
        .closing([
            format!("单位：{}", c.enterprise_name),
            format!("承诺人：{}", c.signer_name),
            date_cn(c.signed_on),
        ])
        .footer_note(record(c))
        .to_docx()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_reads_back_with_its_signature_record() {
        let c = CommitmentLetter {
            enterprise_name: "示例企业有限公司".into(),
            signer_name: "陈志远".into(),
            text: "履职承诺书\n一、依法履职。\n二、接受监督。".into(),
            signed_on: "2024-06-20".parse().unwrap(),
            signed_at: "2024-06-20 10:03:04".into(),
            typed_name: "陈 志远".into(),
            version: 2,
            text_sha256: "ab".repeat(32),
        };
        let bytes = docx(&c).unwrap();
        let doc: serde_json::Value =
            serde_json::from_str(&docx_rs::read_docx(&bytes).unwrap().json()).unwrap();
        let text = |p: &serde_json::Value| -> String {
            p["data"]["children"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|r| {
                    r["data"]["children"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default()
                })
                .filter_map(|t| t["data"]["text"].as_str().map(str::to_string))
                .collect()
        };
        // Each paragraph's text and whether it is kept with the next one.
        let paragraphs: Vec<(String, bool)> = doc["document"]["children"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let keep = p["data"]["property"]["keepNext"] == serde_json::json!(true);
                (text(p), keep)
            })
            .collect();
        let expected = [
            ("履职承诺书", false),
            ("一、依法履职。", false),
            ("二、接受监督。", true),
            ("", true),
            ("单位：示例企业有限公司", true),
            ("承诺人：陈志远", true),
            ("2024年6月20日", false),
        ];
        assert_eq!(
            paragraphs,
            expected.map(|(t, k)| (t.to_string(), k)),
            "the signature block stays with the last paragraph"
        );
        let section = &doc["document"]["sectionProperty"];
        assert_eq!(
            section["pageMargin"],
            serde_json::json!({"top": 2098, "left": 1587, "bottom": 1984, "right": 1474,
                "header": 851, "footer": 680, "gutter": 0}),
            "GB/T 9704 margins: 37, 28, 35, 26 mm"
        );
        assert_eq!(
            text(&section["footer"][1]["children"][0]),
            format!(
                "签署记录：陈志远于2024-06-20 10:03:04（北京时间）在系统中输入姓名“陈 志远”签署，\
                 承诺书文本第2版，文本SHA-256：{}",
                "ab".repeat(32)
            )
        );
    }

    #[test]
    fn title_taken_from_the_first_line_when_it_names_the_document() {
        let (t, rest) = split_title("履职承诺书\n\n一、依法履职。\n二、接受监督。");
        assert_eq!(t, "履职承诺书");
        assert_eq!(rest, ["一、依法履职。", "二、接受监督。"]);
        let (t, rest) = split_title("本人承诺依法履职。");
        assert_eq!(t, "安全生产履职承诺书");
        assert_eq!(rest, ["本人承诺依法履职。"]);
    }
}
