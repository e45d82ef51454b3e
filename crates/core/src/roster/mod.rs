//! Enterprise roster import rules: no I/O. A reader (crate `safeduty-roster`) turns a file into a
//! [`Grid`] of text cells; [`layout`] finds the header row and the data rows under it; [`clean`]
//! tidies what people typed; [`values`] judges single cells (code, industry, yes/no); [`check`] validates a row against the reference data (regions,
//! departments, the industry table) and decides what importing it would do.

pub mod check;
pub mod clean;
pub mod layout;
pub mod values;

use serde::{Deserialize, Serialize};

/// The enterprise fields a roster can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// 企业名称.
    Name,
    /// 统一社会信用代码.
    Uscc,
    /// 行业 / 行业类别, as written (mapped to a key industry).
    Industry,
    /// 镇街 / 属地: the town, subdistrict or zone (name or code).
    Region,
    /// 主管部门: the supervising industry department.
    Department,
    /// 是否重点企业.
    IsKey,
    /// 地址.
    Address,
    /// 主要负责人.
    Principal,
    /// 安全管理人员.
    SafetyManager,
    /// 联系人.
    Contact,
    /// 联系电话.
    Phone,
}

impl Field {
    /// Every field, in the order the preview shows them.
    pub const ALL: [Field; 11] = [
        Field::Name,
        Field::Uscc,
        Field::Industry,
        Field::Region,
        Field::Department,
        Field::IsKey,
        Field::Address,
        Field::Principal,
        Field::SafetyManager,
        Field::Contact,
        Field::Phone,
    ];

    /// Fields a roster must have a column for.
    pub const REQUIRED: [Field; 3] = [Field::Name, Field::Uscc, Field::Region];

    /// A stable code for forms and the command line (`name`, `uscc`, `phone`…).
    pub fn code(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Uscc => "uscc",
            Field::Industry => "industry",
            Field::Region => "region",
            Field::Department => "department",
            Field::IsKey => "is_key",
            Field::Address => "address",
            Field::Principal => "principal",
            Field::SafetyManager => "safety_manager",
            Field::Contact => "contact",
            Field::Phone => "phone",
        }
    }

    /// The field with this [`Field::code`] or [`Field::label`].
    pub fn from_code(code: &str) -> Option<Field> {
        Field::ALL
            .into_iter()
            .find(|f| f.code() == code || f.label() == code)
    }

    /// The label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Field::Name => "企业名称",
            Field::Uscc => "统一社会信用代码",
            Field::Industry => "行业",
            Field::Region => "镇街",
            Field::Department => "主管部门",
            Field::IsKey => "是否重点企业",
            Field::Address => "地址",
            Field::Principal => "主要负责人",
            Field::SafetyManager => "安全管理人员",
            Field::Contact => "联系人",
            Field::Phone => "联系电话",
        }
    }

    /// The column names people use for this field (compared after [`clean::header_key`]).
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Name => &[
                "企业名称",
                "单位名称",
                "企业(单位)名称",
                "企业单位名称",
                "生产经营单位名称",
                "企业全称",
                "名称",
            ],
            Field::Uscc => &[
                "统一社会信用代码",
                "社会信用代码",
                "信用代码",
                "统一信用代码",
                "统一代码",
                "统一社会信用代码(注册号)",
                "uscc",
            ],
            Field::Industry => &[
                "行业",
                "行业类别",
                "所属行业",
                "行业领域",
                "行业分类",
                "行业类型",
                "所属行业领域",
            ],
            Field::Region => &[
                "镇街",
                "属地",
                "所属镇街",
                "所在镇街",
                "属地镇街",
                "镇(街道)",
                "镇街道",
                "乡镇街道",
                "乡镇(街道)",
                "镇街(园区)",
                "所属镇(街道)",
                "属地单位",
                "所属区域",
                "镇街代码",
            ],
            Field::Department => &[
                "主管部门",
                "行业主管部门",
                "监管部门",
                "行业监管部门",
                "行业领域主管部门",
            ],
            Field::IsKey => &["是否重点企业", "重点企业", "是否重点"],
            Field::Address => &[
                "地址",
                "企业地址",
                "注册地址",
                "经营地址",
                "生产经营地址",
                "详细地址",
            ],
            Field::Principal => &["主要负责人", "法定代表人", "企业负责人", "负责人"],
            Field::SafetyManager => &[
                "安全管理人员",
                "安全管理员",
                "安全负责人",
                "专职安全管理人员",
                "安全生产管理人员",
            ],
            Field::Contact => &["联系人", "联系人姓名"],
            Field::Phone => &[
                "联系电话",
                "电话",
                "联系方式",
                "手机",
                "手机号码",
                "联系人电话",
            ],
        }
    }

    /// The field a column header names, if any.
    pub fn from_header(header: &str) -> Option<Field> {
        // Headers are short; long cells (data, titles) are not compared at all.
        if header.chars().count() > 40 {
            return None;
        }
        let key = clean::header_key(header);
        if key.is_empty() {
            return None;
        }
        ALIAS_KEYS.iter().find(|(k, _)| *k == key).map(|(_, f)| *f)
    }
}

/// One enterprise as a roster's columns hold it, in [`Field::ALL`] order: what an export writes
/// and an import reads back.
pub type Line = [String; Field::ALL.len()];

/// Every alias in its comparable form, computed once.
static ALIAS_KEYS: std::sync::LazyLock<Vec<(String, Field)>> = std::sync::LazyLock::new(|| {
    Field::ALL
        .into_iter()
        .flat_map(|f| f.aliases().iter().map(move |a| (clean::header_key(a), f)))
        .collect()
});

/// A sheet as text cells, only the rows that hold something.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grid {
    /// Rows in order.
    pub rows: Vec<GridRow>,
}

/// One row of a [`Grid`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridRow {
    /// The row number as the spreadsheet shows it (1-based; for CSV, the line's record number).
    pub number: u32,
    /// Cell texts by column (0 = A); missing trailing cells are empty.
    pub cells: Vec<String>,
}

impl GridRow {
    /// The cell in column `col`, empty when absent.
    pub fn cell(&self, col: usize) -> &str {
        self.cells.get(col).map_or("", String::as_str)
    }
}

/// The column letters Excel shows for a 0-based column index (0 → A, 26 → AA).
pub fn column_letter(col: usize) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A problem with one cell (or row) of the roster, as shown to people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Row number as the spreadsheet shows it.
    pub row: u32,
    /// Column letter and header, e.g. `B（统一社会信用代码）`; empty for the whole row.
    pub column: String,
    /// Why, in Chinese.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_letters() {
        assert_eq!(Field::from_header("﻿企业名称"), Some(Field::Name));
        assert_eq!(Field::from_header(" 行业类别 "), Some(Field::Industry));
        assert_eq!(
            Field::from_header("*统一社会信用代码（必填）"),
            Some(Field::Uscc)
        );
        assert_eq!(Field::from_header("镇（街道）"), Some(Field::Region));
        assert_eq!(Field::from_header("序号"), None);
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
