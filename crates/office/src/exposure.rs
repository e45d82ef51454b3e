//! The 典型案例通报 (issue #13 point 5): the typical cases exposed, one paragraph each, from the
//! versioned template `exposure_circular` of `templates/enforcement.toml`, on the GB/T 9704
//! page, signed by the issuing office with the day.

use chrono::NaiveDate;
use safeduty_core::enforcement::exposure::ExposureText;

use crate::enforcement::template::{DocumentKind, Templates};
use crate::gbt9704::{Document, date_cn};

/// The circular of `cases` issued by `issuer` on `date`, from the template in force that day.
///
/// # Errors
/// [`crate::enforcement::Error::Template`] when no template is in force;
/// [`crate::enforcement::Error::Office`] when the package cannot be written.
pub fn circular(
    issuer: &str,
    cases: &[ExposureText],
    date: NaiveDate,
) -> Result<Vec<u8>, crate::enforcement::Error> {
    let templates = Templates::shipped();
    let t = templates.select(DocumentKind::ExposureCircular, date)?;
    let mut doc = Document::new()
        .title(format!("{issuer}\n{}", t.title))
        .property("safeduty.template", t.id())
        .property("safeduty.template.version", t.version.to_string())
        .paragraph(t.render("intro", &[]));
    if cases.is_empty() {
        doc = doc.paragraph(t.render("none", &[]));
    }
    for (n, c) in cases.iter().enumerate() {
        doc = doc.paragraph(t.render(
            "case",
            &[
                ("n", &chinese_ordinal(n + 1)),
                ("enterprise", &c.enterprise),
                ("party", &c.party),
                ("violation", &c.violation),
                ("violated_article", &c.violated_article),
                ("applied_article", &c.applied_article),
                ("penalty", &c.penalty),
                ("decided_on", &date_cn(c.decided_on)),
            ],
        ));
    }
    Ok(doc
        .paragraph(t.render("closing", &[]))
        .signature(issuer, date)
        .to_docx()?)
}

/// 一, 二, … 九十九 (a circular's numbering); beyond, the digits.
fn chinese_ordinal(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", DIGITS[n % 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_as_a_circular_numbers_its_cases() {
        assert_eq!(chinese_ordinal(1), "一");
        assert_eq!(chinese_ordinal(10), "十");
        assert_eq!(chinese_ordinal(12), "十二");
        assert_eq!(chinese_ordinal(20), "二十");
        assert_eq!(chinese_ordinal(35), "三十五");
        assert_eq!(chinese_ordinal(100), "100");
    }
}
