//! Validating roster rows against the reference data and deciding what importing each would do:
//! create an enterprise, change one (field by field), leave one unchanged, or reject the row with
//! its column and reason. Matching is on the unified social credit code.
//!
//! A blank cell in an optional column keeps what is stored (a gap in a roster is not an order to
//! erase); a column the roster lacks changes nothing either.

use std::collections::HashMap;

use serde::Serialize;

use super::layout::{Layout, RawRow};
pub use super::values::{KEY_INDUSTRIES, OTHER_INDUSTRY, check_code, industry_shown, map_industry};
use super::values::{parse_bool, region_key, suggestions, with_suggestions};
use super::{Field, Problem, clean};
use crate::uscc::Uscc;

/// Longest text accepted in a name, address or person field.
const MAX_TEXT: usize = 200;

/// A region rows may name (by name or code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionRef {
    /// Id.
    pub id: i64,
    /// Administrative code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Materialized path.
    pub path: String,
}

/// An industry department rows may name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentRef {
    /// Unit id.
    pub id: i64,
    /// Name, e.g. 区应急管理局.
    pub name: String,
    /// Path of its region: it supervises enterprises in that subtree.
    pub region_path: String,
    /// The key industry it supervises by default.
    pub industry: Option<String>,
}

/// What a row is checked against.
#[derive(Debug, Clone, Default)]
pub struct Reference {
    /// Path of the importer's region: enterprises outside it may not be touched.
    pub scope_path: String,
    /// For an industry department's own import: its unit id (every row is supervised by it).
    pub own_department: Option<i64>,
    /// The regions under the importer's region.
    pub regions: Vec<RegionRef>,
    /// Industry departments whose region contains, or lies under, the importer's region.
    pub departments: Vec<DepartmentRef>,
    /// The committee office's industry table: detailed name → key industry.
    pub industries: Vec<(String, String)>,
}

/// An enterprise's roster fields, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    /// Unified social credit code.
    pub uscc: String,
    /// Name.
    pub name: String,
    /// Key industry, or 其他.
    pub industry: String,
    /// The industry as the roster wrote it (e.g. 机械制造).
    pub industry_detail: String,
    /// Region id.
    pub region_id: i64,
    /// Supervising department.
    pub department_id: Option<i64>,
    /// Key enterprise.
    pub is_key: bool,
    /// Address.
    pub address: String,
    /// Principal person in charge.
    pub principal: String,
    /// Safety management personnel.
    pub safety_manager: String,
    /// Contact person.
    pub contact: String,
    /// Contact phone.
    pub phone: String,
}

/// A stored enterprise a row matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existing {
    /// Id.
    pub id: i64,
    /// Public id.
    pub public_id: String,
    /// Path of its region.
    pub region_path: String,
    /// Its fields.
    pub record: Record,
}

/// One field that an import changes, as shown to people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The field.
    pub field: Field,
    /// Its label.
    pub label: &'static str,
    /// Before.
    pub before: String,
    /// After.
    pub after: String,
}

/// A change to a stored enterprise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    /// Its id.
    pub id: i64,
    /// Its public id.
    pub public_id: String,
    /// Stored fields.
    pub before: Record,
    /// Fields after the import.
    pub after: Record,
    /// The differences.
    pub changes: Vec<Change>,
}

/// What importing a row would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Create an enterprise.
    New(Record),
    /// Change a stored enterprise.
    Changed(Box<Update>),
    /// Nothing to change.
    Unchanged {
        /// Its public id.
        public_id: String,
        /// Its fields.
        record: Record,
    },
    /// Not imported; see the row's problems.
    Rejected,
}

/// A checked row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// Row number.
    pub row: u32,
    /// Name as cleaned (for lists), possibly empty.
    pub name: String,
    /// Code as cleaned, possibly empty.
    pub uscc: String,
    /// What importing it would do.
    pub outcome: Outcome,
    /// Why it is rejected (empty unless rejected).
    pub problems: Vec<Problem>,
    /// What was accepted with a remark (wrong check digit, unmapped industry…).
    pub warnings: Vec<Problem>,
}

/// The codes of the rows, cleaned, that may match stored enterprises.
pub fn candidate_codes(layout: &Layout) -> Vec<String> {
    let mut v: Vec<String> = layout
        .rows
        .iter()
        .map(|r| clean::code(r.get(Field::Uscc)))
        .filter(|c| Uscc::parse(c).is_ok())
        .collect();
    v.sort();
    v.dedup();
    v
}

struct RowCheck<'a> {
    raw: &'a RawRow,
    layout: &'a Layout,
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
}

impl RowCheck<'_> {
    fn column(&self, f: Field) -> String {
        self.layout
            .column_of(f)
            .map(|c| c.describe())
            .unwrap_or_else(|| f.label().to_string())
    }
    fn reject(&mut self, f: Field, message: String) {
        self.problems.push(Problem {
            row: self.raw.row,
            column: self.column(f),
            message,
        });
    }
    fn warn(&mut self, f: Field, message: String) {
        self.warnings.push(Problem {
            row: self.raw.row,
            column: self.column(f),
            message,
        });
    }
    fn has(&self, f: Field) -> bool {
        self.raw.values.contains_key(&f)
    }
    /// A free-text field: `None` when blank or absent (keep what is stored).
    fn text(&mut self, f: Field) -> Option<String> {
        let t = clean::text(self.raw.get(f));
        if t.chars().count() > MAX_TEXT {
            self.reject(f, format!("{}过长（超过{MAX_TEXT}字）", f.label()));
            return None;
        }
        (!t.is_empty()).then_some(t)
    }
}

/// Checks every row of `layout`. Rows that share a code are all rejected: which one is right is
/// for a person to decide. `existing` holds the stored enterprises by code.
pub fn check_all(
    layout: &Layout,
    existing: &HashMap<String, Existing>,
    reference: &Reference,
) -> Vec<Checked> {
    let mut first_row: HashMap<String, Vec<u32>> = HashMap::new();
    for r in &layout.rows {
        let c = clean::code(r.get(Field::Uscc));
        if !c.is_empty() {
            first_row.entry(c).or_default().push(r.row);
        }
    }
    layout
        .rows
        .iter()
        .map(|r| {
            let code = clean::code(r.get(Field::Uscc));
            let others: Vec<u32> = first_row
                .get(&code)
                .map(|rows| rows.iter().copied().filter(|n| *n != r.row).collect())
                .unwrap_or_default();
            let mut checked = check_row(r, layout, existing.get(&code), reference);
            if !others.is_empty() {
                let list: Vec<String> = others.iter().map(|n| format!("第{n}行")).collect();
                checked.problems.push(Problem {
                    row: r.row,
                    column: layout
                        .column_of(Field::Uscc)
                        .map(|c| c.describe())
                        .unwrap_or_default(),
                    message: format!(
                        "统一社会信用代码与{}相同，同一企业只能出现一次",
                        list.join("、")
                    ),
                });
                checked.outcome = Outcome::Rejected;
            }
            checked
        })
        .collect()
}

/// Checks one row against the stored enterprise with its code (if any) and the reference data.
pub fn check_row(
    raw: &RawRow,
    layout: &Layout,
    existing: Option<&Existing>,
    reference: &Reference,
) -> Checked {
    let mut c = RowCheck {
        raw,
        layout,
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    let name = c.text(Field::Name);
    if name.is_none() && c.problems.is_empty() {
        c.reject(Field::Name, "企业名称为空".into());
    }
    let code = match check_code(raw.get(Field::Uscc)) {
        Ok((u, warning)) => {
            if let Some(w) = warning {
                c.warn(Field::Uscc, w);
            }
            Some(u.to_string())
        }
        Err(m) => {
            c.reject(Field::Uscc, m);
            None
        }
    };
    if let Some(e) = existing {
        let in_scope = e.region_path.starts_with(&reference.scope_path)
            && reference
                .own_department
                .is_none_or(|d| e.record.department_id == Some(d));
        if !in_scope {
            c.reject(
                Field::Uscc,
                "该统一社会信用代码的企业不在本单位管理范围内，不能导入".into(),
            );
        }
    }

    // Region: required for a new enterprise; blank keeps the stored one.
    let region_text = clean::text(raw.get(Field::Region));
    let region: Option<&RegionRef> = if region_text.is_empty() {
        if existing.is_none() {
            c.reject(Field::Region, "镇街为空".into());
        }
        existing.and_then(|e| {
            reference
                .regions
                .iter()
                .find(|r| r.id == e.record.region_id)
        })
    } else {
        let key = region_key(&region_text);
        let by_code = clean::identifier(&region_text);
        let hits: Vec<&RegionRef> = reference
            .regions
            .iter()
            .filter(|r| region_key(&r.name) == key || r.code == by_code)
            .collect();
        match hits.as_slice() {
            [one] => Some(*one),
            [] => {
                let s = suggestions(&key, reference.regions.iter().map(|r| r.name.as_str()));
                c.reject(
                    Field::Region,
                    with_suggestions(format!("镇街“{region_text}”不在本辖区内"), &s),
                );
                None
            }
            many => {
                let codes: Vec<String> = many
                    .iter()
                    .map(|r| format!("{}（代码{}）", r.name, r.code))
                    .collect();
                c.reject(
                    Field::Region,
                    format!(
                        "镇街“{region_text}”有重名：{}，请填写代码",
                        codes.join("、")
                    ),
                );
                None
            }
        }
    };

    // Industry: mapped with the committee office's table; unmapped is 其他 with a warning.
    let detail = c.text(Field::Industry);
    let (industry, industry_detail) = match (&detail, existing) {
        (None, Some(e)) => (e.record.industry.clone(), e.record.industry_detail.clone()),
        (None, None) => {
            // A roster without an industry column is noted once in the preview, not per row.
            if c.has(Field::Industry) {
                c.warn(
                    Field::Industry,
                    format!("行业为空，按“{OTHER_INDUSTRY}”导入"),
                );
            }
            (OTHER_INDUSTRY.to_string(), String::new())
        }
        (Some(d), _) => match map_industry(d, &reference.industries) {
            Some(k) => (k, d.clone()),
            None => {
                c.warn(
                    Field::Industry,
                    format!(
                        "行业“{d}”不在行业对照表中，按“{OTHER_INDUSTRY}”导入（安委办可在对照表中补充）"
                    ),
                );
                (OTHER_INDUSTRY.to_string(), d.clone())
            }
        },
    };

    // Supervising department.
    let dept_text = clean::text(raw.get(Field::Department));
    let supervises = |d: &DepartmentRef, r: &RegionRef| r.path.starts_with(&d.region_path);
    let department_id: Option<i64> = match (reference.own_department, region) {
        (_, None) => None,
        (Some(own), Some(_)) => {
            let own_name = reference
                .departments
                .iter()
                .find(|d| d.id == own)
                .map(|d| d.name.clone())
                .unwrap_or_default();
            if !dept_text.is_empty() && dept_text != own_name {
                c.reject(
                    Field::Department,
                    format!("主管部门只能是本单位（{own_name}），不能导入“{dept_text}”监管的企业"),
                );
            }
            Some(own)
        }
        (None, Some(r)) if !dept_text.is_empty() => {
            let hit = reference
                .departments
                .iter()
                .filter(|d| d.name == dept_text && supervises(d, r))
                .max_by_key(|d| d.region_path.len());
            match hit {
                Some(d) => Some(d.id),
                None => {
                    let s = suggestions(
                        &dept_text,
                        reference
                            .departments
                            .iter()
                            .filter(|d| supervises(d, r))
                            .map(|d| d.name.as_str()),
                    );
                    c.reject(
                        Field::Department,
                        with_suggestions(
                            format!("主管部门“{dept_text}”不存在或不管辖{}", r.name),
                            &s,
                        ),
                    );
                    None
                }
            }
        }
        (None, Some(r)) => match existing.and_then(|e| e.record.department_id) {
            Some(kept) => Some(kept),
            None => {
                let d = reference
                    .departments
                    .iter()
                    .filter(|d| {
                        d.industry.as_deref() == Some(industry.as_str()) && supervises(d, r)
                    })
                    .max_by_key(|d| d.region_path.len());
                if d.is_none() && industry != OTHER_INDUSTRY {
                    c.warn(
                        Field::Department,
                        format!("未找到“{industry}”行业的主管部门，主管部门暂空"),
                    );
                }
                d.map(|d| d.id)
            }
        },
    };

    let is_key = match parse_bool(raw.get(Field::IsKey)) {
        Some(v) => v,
        None => {
            c.warn(
                Field::IsKey,
                format!(
                    "“是否重点企业”的值“{}”无法识别（应为“是”或“否”），未修改",
                    clean::text(raw.get(Field::IsKey))
                ),
            );
            None
        }
    };
    let phone = {
        let p = clean::identifier(raw.get(Field::Phone));
        if crate::personal::is_masked(&p) {
            // A masked export imported back: the stored number stays; another masked number
            // cannot be stored (nobody could call it).
            let stored = existing.map(|e| e.record.phone.as_str()).unwrap_or("");
            if !stored.is_empty() && crate::personal::mask(stored) == p {
                None
            } else {
                c.reject(
                    Field::Phone,
                    format!("联系电话“{p}”是脱敏后的号码，不能导入；请填写完整号码或留空"),
                );
                None
            }
        } else if clean::is_numeric_rendering(&p) {
            c.reject(
                Field::Phone,
                format!(
                    "联系电话“{p}”是被表格软件转成数字后的形式，号码已丢失；请将该列设为“文本”格式后重新填写"
                ),
            );
            None
        } else if p.chars().count() > 50 {
            c.reject(Field::Phone, "联系电话过长".into());
            None
        } else {
            (!p.is_empty()).then_some(p)
        }
    };
    let address = c.text(Field::Address);
    let principal = c.text(Field::Principal);
    let safety_manager = c.text(Field::SafetyManager);
    let contact = c.text(Field::Contact);

    let name_shown = name.clone().unwrap_or_default();
    let code_shown = code
        .clone()
        .unwrap_or_else(|| clean::code(raw.get(Field::Uscc)));
    let outcome = match (c.problems.is_empty(), name, code, region) {
        (true, Some(name), Some(uscc), Some(region)) => {
            let keep = |v: Option<String>, f: fn(&Record) -> &String| {
                v.or_else(|| existing.map(|e| f(&e.record).clone()))
                    .unwrap_or_default()
            };
            let after = Record {
                uscc,
                name,
                industry,
                industry_detail,
                region_id: region.id,
                department_id,
                is_key: is_key
                    .or_else(|| existing.map(|e| e.record.is_key))
                    .unwrap_or(false),
                address: keep(address, |r| &r.address),
                principal: keep(principal, |r| &r.principal),
                safety_manager: keep(safety_manager, |r| &r.safety_manager),
                contact: keep(contact, |r| &r.contact),
                phone: keep(phone, |r| &r.phone),
            };
            match existing {
                None => Outcome::New(after),
                Some(e) => {
                    let changes = diff(&e.record, &after, reference);
                    if changes.is_empty() {
                        Outcome::Unchanged {
                            public_id: e.public_id.clone(),
                            record: after,
                        }
                    } else {
                        Outcome::Changed(Box::new(Update {
                            id: e.id,
                            public_id: e.public_id.clone(),
                            before: e.record.clone(),
                            after,
                            changes,
                        }))
                    }
                }
            }
        }
        _ => Outcome::Rejected,
    };
    Checked {
        row: raw.row,
        name: name_shown,
        uscc: code_shown,
        outcome,
        problems: c.problems,
        warnings: c.warnings,
    }
}

/// The region's name for display.
pub fn region_name(reference: &Reference, id: i64) -> String {
    reference
        .regions
        .iter()
        .find(|r| r.id == id)
        .map_or_else(|| format!("#{id}"), |r| r.name.clone())
}

/// The department's name for display, empty for none.
pub fn department_name(reference: &Reference, id: Option<i64>) -> String {
    id.map(|id| {
        reference
            .departments
            .iter()
            .find(|d| d.id == id)
            .map_or_else(|| format!("#{id}"), |d| d.name.clone())
    })
    .unwrap_or_default()
}

/// The fields that differ between two records, with display values.
pub fn diff(before: &Record, after: &Record, reference: &Reference) -> Vec<Change> {
    let yes_no = |b: bool| if b { "是" } else { "否" }.to_string();
    let pairs: [(Field, String, String); 10] = [
        (Field::Name, before.name.clone(), after.name.clone()),
        (
            Field::Industry,
            industry_shown(&before.industry, &before.industry_detail),
            industry_shown(&after.industry, &after.industry_detail),
        ),
        (
            Field::Region,
            region_name(reference, before.region_id),
            region_name(reference, after.region_id),
        ),
        (
            Field::Department,
            department_name(reference, before.department_id),
            department_name(reference, after.department_id),
        ),
        (Field::IsKey, yes_no(before.is_key), yes_no(after.is_key)),
        (
            Field::Address,
            before.address.clone(),
            after.address.clone(),
        ),
        (
            Field::Principal,
            before.principal.clone(),
            after.principal.clone(),
        ),
        (
            Field::SafetyManager,
            before.safety_manager.clone(),
            after.safety_manager.clone(),
        ),
        (
            Field::Contact,
            before.contact.clone(),
            after.contact.clone(),
        ),
        (Field::Phone, before.phone.clone(), after.phone.clone()),
    ];
    pairs
        .into_iter()
        .filter(|(_, b, a)| b != a)
        .map(|(field, before, after)| Change {
            field,
            label: field.label(),
            before,
            after,
        })
        .collect()
}
