//! Single values of a roster: the credit code's verdict, the industry through the industry table,
//! yes/no cells, and names like one that does not exist (suggestions).

use unicode_normalization::UnicodeNormalization;

use super::clean;
use crate::uscc::{Uscc, UsccError, check_char};

/// The industry an enterprise gets when its industry cannot be mapped to a key industry.
pub const OTHER_INDUSTRY: &str = "其他";

/// The eight key industries of the plans (DESIGN.md §1), as stored.
pub const KEY_INDUSTRIES: [&str; 8] = [
    "非煤矿山",
    "危险化学品",
    "烟花爆竹",
    "城镇燃气",
    "建筑施工",
    "交通运输",
    "民用爆炸物品",
    "工贸",
];

/// A code cell's verdict: the code and whether its check character is right, or why it is refused.
///
/// # Errors
/// The reason, in Chinese.
pub fn check_code(raw: &str) -> Result<(Uscc, Option<String>), String> {
    let code = clean::code(raw);
    if code.is_empty() {
        return Err("统一社会信用代码为空（空代码的行不导入，也不会与其他空代码的行合并）".into());
    }
    if clean::is_numeric_rendering(&code) {
        return Err(format!(
            "统一社会信用代码“{code}”是被表格软件转成数字后的科学计数法，原代码已无法还原；\
             请将该列设为“文本”格式后重新填写"
        ));
    }
    if code.len() == 15 && code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "“{code}”是15位旧工商注册号，请填写18位统一社会信用代码"
        ));
    }
    match Uscc::parse(&code) {
        Ok(u) => {
            if u.check_digit_ok() {
                Ok((u, None))
            } else {
                let expected = check_char(&u.as_str()[..17]).unwrap_or('?');
                Ok((
                    u,
                    Some(format!(
                        "统一社会信用代码校验位不符（按GB 32100-2015末位应为“{expected}”），\
                         已按原样导入，请核对营业执照"
                    )),
                ))
            }
        }
        Err(UsccError::Character { position, found }) => {
            let hint = match found {
                'O' => "，可能应为数字0",
                'I' => "，可能应为数字1",
                'Z' => "，可能应为数字2",
                'S' => "，可能应为数字5",
                'V' => "，可能应为字母U",
                _ => "",
            };
            Err(format!(
                "统一社会信用代码第{position}位“{found}”不是允许的字符（不含I、O、Z、S、V）{hint}"
            ))
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Maps a detailed industry name to a key industry with the industry table: an exact entry, else
/// the longest entry the name contains (机械制造 → 机械 → 工贸).
pub fn map_industry(detail: &str, table: &[(String, String)]) -> Option<String> {
    let key: String = clean::text(detail).nfkc().collect();
    if key.is_empty() {
        return None;
    }
    if let Some((_, k)) = table.iter().find(|(a, _)| *a == key) {
        return Some(k.clone());
    }
    table
        .iter()
        .filter(|(a, _)| !a.is_empty() && key.contains(a.as_str()))
        .max_by_key(|(a, _)| a.chars().count())
        .map(|(_, k)| k.clone())
}

pub(crate) fn region_key(s: &str) -> String {
    let s: String = clean::text(s)
        .nfkc()
        .filter(|c| !c.is_whitespace())
        .collect();
    for suffix in ["人民政府", "办事处", "管理委员会", "管委会"] {
        if let Some(t) = s.strip_suffix(suffix)
            && !t.is_empty()
        {
            return t.to_string();
        }
    }
    s
}

/// Up to three names like `wanted`, the most alike first (shared characters, then shorter).
pub(crate) fn suggestions<'a>(wanted: &str, names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let w: Vec<char> = wanted.chars().collect();
    let mut scored: Vec<(usize, &str)> = names
        .map(|n| (n.chars().filter(|c| w.contains(c)).count(), n))
        .filter(|(s, _)| *s > 0)
        .collect();
    scored.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(a.1.len().cmp(&b.1.len()))
            .then(a.1.cmp(b.1))
    });
    let mut out: Vec<String> = Vec::new();
    for (_, n) in scored {
        if !out.iter().any(|o| o == n) {
            out.push(n.to_string());
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}

pub(crate) fn with_suggestions(message: String, s: &[String]) -> String {
    if s.is_empty() {
        message
    } else {
        format!("{message}；是否为：{}", s.join("、"))
    }
}

pub(crate) fn parse_bool(s: &str) -> Option<Option<bool>> {
    let k: String = clean::identifier(s).to_lowercase();
    match k.as_str() {
        "" => Some(None),
        "是" | "y" | "yes" | "1" | "true" | "√" | "✓" | "重点" | "重点企业" => {
            Some(Some(true))
        }
        "否" | "n" | "no" | "0" | "false" | "×" | "x" | "非重点" | "一般" | "一般企业" => {
            Some(Some(false))
        }
        _ => None,
    }
}

/// `工贸（机械制造）`: the key industry with the detail as written, when they differ.
pub fn industry_shown(industry: &str, detail: &str) -> String {
    if detail.is_empty() || detail == industry {
        industry.to_string()
    } else {
        format!("{industry}（{detail}）")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Vec<(String, String)> {
        let mut t: Vec<(String, String)> = [
            "冶金", "有色", "建材", "机械", "轻工", "纺织", "烟草", "商贸",
        ]
        .iter()
        .map(|a| ((*a).to_string(), "工贸".to_string()))
        .collect();
        t.extend(
            KEY_INDUSTRIES
                .iter()
                .map(|k| ((*k).to_string(), (*k).to_string())),
        );
        t
    }

    #[test]
    fn industries_map_through_the_table() {
        let t = table();
        assert_eq!(map_industry("机械制造", &t).as_deref(), Some("工贸"));
        assert_eq!(
            map_industry("危险化学品", &t).as_deref(),
            Some("危险化学品")
        );
        assert_eq!(map_industry("建筑施工", &t).as_deref(), Some("建筑施工"));
        assert_eq!(map_industry("餐饮", &t), None);
        assert_eq!(map_industry("仓储物流", &t), None);
        assert_eq!(map_industry("", &t), None);
    }

    #[test]
    fn codes_say_why() {
        assert!(check_code("91350100M000100Y43").unwrap().1.is_none());
        let (_, w) = check_code("91350100M000100Y44").unwrap();
        assert!(w.unwrap().contains("“3”"));
        assert!(check_code("").unwrap_err().contains("为空"));
        assert!(
            check_code("9.13301E+17")
                .unwrap_err()
                .contains("科学计数法")
        );
        assert!(
            check_code("9.1350100M+17")
                .unwrap_err()
                .contains("科学计数法")
        );
        assert!(check_code("330106000012345").unwrap_err().contains("15位"));
        assert!(
            check_code("91330106MA2BC0O06B")
                .unwrap_err()
                .contains("数字0")
        );
        assert!(
            check_code("91330106MA2BC0007")
                .unwrap_err()
                .contains("18位")
        );
    }

    #[test]
    fn suggestions_rank_by_shared_characters() {
        let names = ["示例街道", "示例镇", "示例乡", "东湖街道"];
        assert_eq!(
            suggestions("示例村", names.into_iter()),
            ["示例乡", "示例镇", "示例街道"]
        );
        assert!(suggestions("北京", names.into_iter()).is_empty());
    }
}
