//! Duty commitments (履职承诺书): who must sign, what text may be set, whether a signature's typed
//! name matches, and what a record of internal publication needs.
//!
//! Source: Qingxiu plan §4, phase 2 (自查自纠): "自查自纠结束后，重点行业领域企业安全生产管理人员要
//! 签订安全生产履职承诺书并在企业内部公开"; one of the "eight ones" is 签订一份履职承诺.

pub mod signing_code;

use chrono::NaiveDate;

use crate::attachment::FileKind;

use crate::roster::clean;
use crate::roster::values::OTHER_INDUSTRY;
use crate::text::has_control_chars;

/// Longest commitment text, in characters.
pub const TEXT_MAX_CHARS: usize = 10_000;
/// Longest description of where a commitment was published, in characters.
pub const PLACE_MAX_CHARS: usize = 200;

/// Whether the safety managers of an enterprise in `industry` must sign: the plan asks it of the
/// key industries (重点行业领域), i.e. every industry the roster mapped to one of the eight, not
/// of [`OTHER_INDUSTRY`].
pub fn required_for(industry: &str) -> bool {
    industry != OTHER_INDUSTRY
}

/// The commitment text as it will be signed: line breaks made `\n`, trailing spaces of each line
/// and blank lines at both ends dropped, so that the same text typed twice hashes alike.
///
/// # Errors
/// A message in Chinese for an empty text, one over [`TEXT_MAX_CHARS`], or control characters.
pub fn check_text(raw: &str) -> Result<String, String> {
    if has_control_chars(raw) {
        return Err("承诺书文本含有不可见的控制字符，请重新输入".into());
    }
    let text = raw
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim_matches('\n')
        .to_string();
    if text.trim().is_empty() {
        return Err("请填写承诺书文本".into());
    }
    let n = text.chars().count();
    if n > TEXT_MAX_CHARS {
        return Err(format!("承诺书文本共{n}字，超过{TEXT_MAX_CHARS}字上限"));
    }
    Ok(text)
}

/// Whether the name typed when signing is the safety manager's name. Spaces of every kind and
/// full-width forms do not count (`张 三` and `张三` are the same person typed two ways); anything
/// else must be the same.
///
/// # Errors
/// A message in Chinese when it differs.
pub fn check_typed_name(expected: &str, typed: &str) -> Result<(), String> {
    let key = |s: &str| clean::identifier(s);
    if has_control_chars(typed) || key(typed).is_empty() {
        return Err("请输入签署人姓名".into());
    }
    if key(typed) == key(expected) {
        Ok(())
    } else {
        Err(format!(
            "输入的姓名与安全管理人员“{expected}”不一致，请本人输入自己的姓名"
        ))
    }
}

/// The checked record of where and when a commitment was published inside the enterprise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    /// Where (e.g. 厂区公告栏、内部办公系统), cleaned.
    pub place: String,
    /// On which day.
    pub published_on: NaiveDate,
}

/// Checks a publication record; `today` (Asia/Shanghai) bounds the date.
///
/// # Errors
/// A message in Chinese naming the field: an empty or too long place, control characters, an
/// invalid date or one after today.
pub fn check_publication(
    place: &str,
    published_on: &str,
    today: NaiveDate,
) -> Result<Publication, String> {
    if has_control_chars(place) {
        return Err("公开地点含有不可见的控制字符，请重新输入".into());
    }
    let place = clean::text(place);
    if place.is_empty() {
        return Err("请填写在企业内部公开的地点或方式".into());
    }
    if place.chars().count() > PLACE_MAX_CHARS {
        return Err(format!("公开地点不能超过{PLACE_MAX_CHARS}个字"));
    }
    let raw = clean::identifier(published_on);
    let published_on = NaiveDate::parse_from_str(&raw, "%Y-%m-%d").map_err(|_| {
        format!(
            "公开日期“{}”不是有效日期（应为YYYY-MM-DD）",
            raw.chars().take(20).collect::<String>()
        )
    })?;
    if published_on > today {
        return Err(format!("公开日期{published_on}晚于今天，请核对"));
    }
    if crate::text::is_implausibly_early(published_on) {
        return Err(format!("公开日期{published_on}早于1950-01-01，请核对"));
    }
    Ok(Publication {
        place,
        published_on,
    })
}

/// Whether a file may document the publication: the issue asks for "a photo or scan" of it, so a
/// photo ([`FileKind::is_image`]) or a PDF (what scanners produce), not a document or a text.
///
/// # Errors
/// A message in Chinese naming what is accepted.
pub fn check_publication_file(kind: FileKind) -> Result<(), String> {
    if kind.is_image() || kind == FileKind::Pdf {
        Ok(())
    } else {
        Err("公开情况请上传现场照片（JPG、PNG、GIF、WebP）或扫描件（PDF）".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_industries_sign_others_do_not() {
        assert!(required_for("工贸"));
        assert!(required_for("规模以上（或限额以上）工贸"));
        assert!(!required_for("其他"));
    }

    #[test]
    fn text_is_normalized_and_bounded() {
        assert_eq!(
            check_text("\r\n承诺书  \r\n一、依法履职。\r\n\r\n").unwrap(),
            "承诺书\n一、依法履职。"
        );
        assert_eq!(check_text(" \n ").unwrap_err(), "请填写承诺书文本");
        assert!(check_text("a\u{7}b").is_err());
        let long = "字".repeat(TEXT_MAX_CHARS + 1);
        assert_eq!(
            check_text(&long).unwrap_err(),
            "承诺书文本共10001字，超过10000字上限"
        );
    }

    #[test]
    fn typed_name_must_match() {
        assert_eq!(check_typed_name("张三", " 张　三 "), Ok(()));
        assert_eq!(
            check_typed_name("张三", "李四").unwrap_err(),
            "输入的姓名与安全管理人员“张三”不一致，请本人输入自己的姓名"
        );
        assert_eq!(
            check_typed_name("张三", "  ").unwrap_err(),
            "请输入签署人姓名"
        );
    }

    #[test]
    fn a_publication_is_documented_by_a_photo_or_a_scan() {
        assert_eq!(check_publication_file(FileKind::Jpeg), Ok(()));
        assert_eq!(check_publication_file(FileKind::Pdf), Ok(()));
        assert!(check_publication_file(FileKind::Docx).is_err());
        assert!(check_publication_file(FileKind::Text).is_err());
    }

    #[test]
    fn publication_date_not_in_future() {
        let today: NaiveDate = "2024-07-10".parse().unwrap();
        let p = check_publication(" 厂区公告栏 ", "2024-07-08", today).unwrap();
        assert_eq!(p.place, "厂区公告栏");
        assert_eq!(
            check_publication("公告栏", "2024-07-11", today).unwrap_err(),
            "公开日期2024-07-11晚于今天，请核对"
        );
        assert_eq!(
            check_publication("", "2024-07-01", today).unwrap_err(),
            "请填写在企业内部公开的地点或方式"
        );
    }
}
