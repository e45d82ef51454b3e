//! Enterprise records that evidence the duty items (issue #7 item 5; Qingxiu plan items 9–11,
//! 13–17, 28): the annual training plan and training sessions, three-level induction of new and
//! transferred staff, emergency plans and drills, major hazard sources, violation records.
//!
//! Every kind is a list of typed fields ([`RecordKind::fields`]); [`parse`] checks what a person
//! typed and gives the normalized values, the record's date (what lists sort by) and its title.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::drills::PlanKind;

/// The kinds of records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    /// 年度安全生产教育和培训计划 (item 9).
    TrainingPlan,
    /// 安全生产教育和培训记录: date, content, hours, participants, assessment (items 10, 16).
    TrainingSession,
    /// 三级安全教育 of a new, transferred or returning employee (item 11).
    Induction,
    /// 应急预案: comprehensive, special, on-site (items 13, 17).
    EmergencyPlan,
    /// 应急演练: date, plan, form, evaluation (items 14, 17).
    Drill,
    /// 重大危险源: registration, monitoring, filing (items 13–15).
    MajorHazardSource,
    /// 违规记录 of site leaders and workers (item 28).
    Violation,
}

/// The type of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// A civil date, `YYYY-MM-DD`.
    Date,
    /// One line of text, at most 200 characters.
    Text,
    /// Several lines, at most 2000 characters.
    LongText,
    /// Hours with at most one decimal, 0–1000 (学时).
    Hours,
    /// A whole number 0–100000 (people).
    Count,
    /// A year 2000–2100.
    Year,
    /// One of the (code, label) choices.
    Choice(&'static [(&'static str, &'static str)]),
}

/// One field of a record kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// Form and storage key.
    pub key: &'static str,
    /// Label shown to people.
    pub label: &'static str,
    /// Its type.
    pub ty: FieldType,
    /// Whether it must be filled in.
    pub required: bool,
}

const fn f(key: &'static str, label: &'static str, ty: FieldType, required: bool) -> FieldSpec {
    FieldSpec {
        key,
        label,
        ty,
        required,
    }
}

/// The plan kinds as choices (codes of [`PlanKind`]).
const PLAN_KINDS: &[(&str, &str)] = &[
    ("comprehensive", "综合应急预案"),
    ("special", "专项应急预案"),
    ("on_site", "现场处置方案"),
];

const TRAINEES: &[(&str, &str)] = &[
    ("principal", "主要负责人"),
    ("managers", "安全生产管理人员"),
    ("special_operators", "特种作业人员"),
    ("all_staff", "全体从业人员"),
    ("emergency", "应急培训"),
];

const TRAINING_PLAN: &[FieldSpec] = &[
    f("year", "年度", FieldType::Year, true),
    f("title", "计划名称", FieldType::Text, true),
    f("approved_on", "批准日期", FieldType::Date, true),
    f(
        "content",
        "培训内容、对象和学时安排",
        FieldType::LongText,
        true,
    ),
];
const TRAINING_SESSION: &[FieldSpec] = &[
    f("held_on", "培训日期", FieldType::Date, true),
    f("title", "培训内容", FieldType::Text, true),
    f("trainees", "培训对象", FieldType::Choice(TRAINEES), true),
    f("hours", "学时", FieldType::Hours, true),
    f("teacher", "授课人", FieldType::Text, false),
    f("participant_count", "参加人数", FieldType::Count, true),
    f("participants", "参加人员", FieldType::LongText, true),
    f("assessment", "考核结果", FieldType::LongText, true),
];
const INDUCTION: &[FieldSpec] = &[
    f("title", "姓名", FieldType::Text, true),
    f(
        "reason",
        "类别",
        FieldType::Choice(&[
            ("new", "新员工"),
            ("transferred", "转岗员工"),
            ("returning", "离岗后重新上岗"),
        ]),
        true,
    ),
    f(
        "started_on",
        "入职（转岗、复岗）日期",
        FieldType::Date,
        true,
    ),
    f("plant_on", "厂级教育日期", FieldType::Date, true),
    f("workshop_on", "车间级教育日期", FieldType::Date, true),
    f("team_on", "班组级教育日期", FieldType::Date, true),
    f("hours", "累计学时", FieldType::Hours, true),
    f("assessment", "考核结果", FieldType::Text, true),
];
const EMERGENCY_PLAN: &[FieldSpec] = &[
    f("plan_kind", "预案类别", FieldType::Choice(PLAN_KINDS), true),
    f("title", "预案名称", FieldType::Text, true),
    f("issued_on", "发布日期", FieldType::Date, true),
    f("filed_on", "备案日期", FieldType::Date, false),
    f("reviewed_on", "最近评估日期", FieldType::Date, false),
];
const DRILL: &[FieldSpec] = &[
    f("held_on", "演练日期", FieldType::Date, true),
    f(
        "plan_kind",
        "演练预案类别",
        FieldType::Choice(PLAN_KINDS),
        true,
    ),
    f("title", "演练预案名称", FieldType::Text, true),
    f(
        "form",
        "演练形式",
        FieldType::Choice(&[("tabletop", "桌面演练"), ("practical", "实战演练")]),
        true,
    ),
    f("participant_count", "参演人数", FieldType::Count, true),
    f(
        "evaluation",
        "演练评估及改进措施",
        FieldType::LongText,
        true,
    ),
];
const MAJOR_HAZARD_SOURCE: &[FieldSpec] = &[
    f("title", "重大危险源名称", FieldType::Text, true),
    f(
        "level",
        "级别",
        FieldType::Choice(&[("1", "一级"), ("2", "二级"), ("3", "三级"), ("4", "四级")]),
        true,
    ),
    f("registered_on", "登记建档日期", FieldType::Date, true),
    f(
        "monitoring",
        "监测监控及防护措施",
        FieldType::LongText,
        true,
    ),
    f("filed_on", "备案日期", FieldType::Date, false),
    f("filed_with", "备案部门", FieldType::Text, false),
];
const VIOLATION: &[FieldSpec] = &[
    f("occurred_on", "违规日期", FieldType::Date, true),
    f("title", "违规人员", FieldType::Text, true),
    f(
        "position",
        "岗位",
        FieldType::Choice(&[
            ("site_leader", "作业现场负责人（指挥员）"),
            ("workshop_head", "车间主任"),
            ("team_leader", "班组长"),
            ("worker", "其他从业人员"),
        ]),
        true,
    ),
    f("description", "违规情况", FieldType::LongText, true),
    f(
        "handling",
        "处理情况（奖惩、重新培训、调岗建议）",
        FieldType::LongText,
        true,
    ),
];

impl RecordKind {
    /// Every kind, in display order.
    pub const ALL: [RecordKind; 7] = [
        RecordKind::TrainingPlan,
        RecordKind::TrainingSession,
        RecordKind::Induction,
        RecordKind::EmergencyPlan,
        RecordKind::Drill,
        RecordKind::MajorHazardSource,
        RecordKind::Violation,
    ];

    /// Stable code, stored and used in URLs.
    pub fn code(self) -> &'static str {
        match self {
            RecordKind::TrainingPlan => "training_plan",
            RecordKind::TrainingSession => "training",
            RecordKind::Induction => "induction",
            RecordKind::EmergencyPlan => "emergency_plan",
            RecordKind::Drill => "drill",
            RecordKind::MajorHazardSource => "major_hazard",
            RecordKind::Violation => "violation",
        }
    }

    /// Parses a [`RecordKind::code`].
    pub fn from_code(code: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            RecordKind::TrainingPlan => "年度培训计划",
            RecordKind::TrainingSession => "培训记录",
            RecordKind::Induction => "三级安全教育",
            RecordKind::EmergencyPlan => "应急预案",
            RecordKind::Drill => "应急演练",
            RecordKind::MajorHazardSource => "重大危险源",
            RecordKind::Violation => "违规记录",
        }
    }

    /// The check items of the Qingxiu plan this kind of record answers.
    pub fn items(self) -> &'static [u32] {
        match self {
            RecordKind::TrainingPlan => &[9],
            RecordKind::TrainingSession => &[10, 16],
            RecordKind::Induction => &[11],
            RecordKind::EmergencyPlan => &[13, 17],
            RecordKind::Drill => &[14, 17],
            RecordKind::MajorHazardSource => &[13, 14, 15],
            RecordKind::Violation => &[28],
        }
    }

    /// The fields, in form order. The first date field marked required is the record's date;
    /// the field `title` (or `year` for a plan) is its title.
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            RecordKind::TrainingPlan => TRAINING_PLAN,
            RecordKind::TrainingSession => TRAINING_SESSION,
            RecordKind::Induction => INDUCTION,
            RecordKind::EmergencyPlan => EMERGENCY_PLAN,
            RecordKind::Drill => DRILL,
            RecordKind::MajorHazardSource => MAJOR_HAZARD_SOURCE,
            RecordKind::Violation => VIOLATION,
        }
    }
}

/// A field a person filled in wrongly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordFieldError {
    /// The field's key.
    pub field: &'static str,
    /// Message, in Chinese, naming the field.
    pub message: String,
}

/// A checked record: normalized values by key (empty optional fields left out), its date and
/// title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordValues {
    /// The kind.
    pub kind: RecordKind,
    /// Values by field key.
    pub values: BTreeMap<String, String>,
    /// The record's date (its first required date field).
    pub date: NaiveDate,
    /// Its title.
    pub title: String,
}

impl RecordValues {
    /// The value of a field.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    /// The drill this record is, for the drill-frequency check (`None` for other kinds).
    pub fn drill(&self) -> Option<crate::drills::Drill> {
        if self.kind != RecordKind::Drill {
            return None;
        }
        Some(crate::drills::Drill {
            held_on: self.date,
            plan: PlanKind::from_code(self.get("plan_kind")?)?,
        })
    }
}

/// The label of a value for people (a choice's label; other values as stored).
pub fn shown(spec: &FieldSpec, value: &str) -> String {
    match spec.ty {
        FieldType::Choice(choices) => choices
            .iter()
            .find(|(c, _)| *c == value)
            .map_or(value, |(_, l)| l)
            .to_string(),
        _ => value.to_string(),
    }
}

fn check_value(spec: &FieldSpec, raw: &str) -> Result<String, String> {
    let v = raw.trim();
    let label = spec.label;
    if crate::text::has_control_chars(v) {
        return Err(format!("“{label}”含有不可见的控制字符"));
    }
    let chars = v.chars().count();
    // A number or a date is read full-width or not alike; text keeps what was typed.
    let folded = crate::text::fold_width(v);
    match spec.ty {
        FieldType::Date => crate::calendar::parse_ymd(v)
            .map(|d| d.to_string())
            .ok_or_else(|| format!("“{label}”不是有效日期（应为YYYY-MM-DD）")),
        FieldType::Text if chars > 200 => Err(format!("“{label}”不能超过200字")),
        FieldType::LongText if chars > 2000 => Err(format!("“{label}”不能超过2000字")),
        FieldType::Text | FieldType::LongText => Ok(v.to_string()),
        FieldType::Hours => {
            let v = folded.as_str();
            let ok = v.parse::<f64>().ok().filter(|h| {
                (0.0..=1000.0).contains(h) && v.split_once('.').is_none_or(|(_, d)| d.len() <= 1)
            });
            ok.map(|_| v.trim_end_matches(".0").to_string())
                .ok_or_else(|| format!("“{label}”应为0至1000之间的数字，最多一位小数"))
        }
        FieldType::Count => folded
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= 100_000)
            .map(|n| n.to_string())
            .ok_or_else(|| format!("“{label}”应为0至100000之间的整数")),
        FieldType::Year => folded
            .parse::<u32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .map(|y| y.to_string())
            .ok_or_else(|| format!("“{label}”应为2000至2100之间的年份")),
        FieldType::Choice(choices) => choices
            .iter()
            .find(|(c, _)| *c == v)
            .map(|(c, _)| (*c).to_string())
            .ok_or_else(|| format!("请选择“{label}”")),
    }
}

/// Checks the values a person typed for a record of `kind`. Unknown keys are ignored; `today`
/// bounds dates (a record of something that has not happened yet is refused).
///
/// # Errors
/// Every field in error, in form order.
pub fn parse(
    kind: RecordKind,
    form: &BTreeMap<String, String>,
    today: NaiveDate,
) -> Result<RecordValues, Vec<RecordFieldError>> {
    let mut values = BTreeMap::new();
    let mut errors = Vec::new();
    for spec in kind.fields() {
        let raw = form.get(spec.key).map_or("", |s| s.as_str());
        if raw.trim().is_empty() {
            if spec.required {
                errors.push(RecordFieldError {
                    field: spec.key,
                    message: format!("请填写“{}”", spec.label),
                });
            }
            continue;
        }
        match check_value(spec, raw) {
            Ok(v) => {
                let early = crate::text::EARLIEST_RECORD_DATE.to_string();
                if spec.ty == FieldType::Date && v.as_str() > today.to_string().as_str() {
                    errors.push(RecordFieldError {
                        field: spec.key,
                        message: format!("“{}”{v}晚于今天", spec.label),
                    });
                } else if spec.ty == FieldType::Date && v.as_str() < early.as_str() {
                    errors.push(RecordFieldError {
                        field: spec.key,
                        message: format!("“{}”{v}早于{early}，请核对", spec.label),
                    });
                } else {
                    values.insert(spec.key.to_string(), v);
                }
            }
            Err(message) => errors.push(RecordFieldError {
                field: spec.key,
                message,
            }),
        }
    }
    // Three-level induction goes plant → workshop → team (厂级、车间级、班组级).
    if kind == RecordKind::Induction
        && let (Some(p), Some(w), Some(t)) = (
            values.get("plant_on"),
            values.get("workshop_on"),
            values.get("team_on"),
        )
        && !(p <= w && w <= t)
    {
        errors.push(RecordFieldError {
            field: "team_on",
            message: "三级安全教育应依次为厂级、车间级、班组级".into(),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let date = kind
        .fields()
        .iter()
        .find(|s| s.ty == FieldType::Date && s.required)
        .and_then(|s| values.get(s.key))
        .and_then(|d| d.parse().ok())
        .unwrap_or(today);
    let title = match kind {
        RecordKind::TrainingPlan => format!(
            "{}年度 {}",
            values.get("year").map_or("", String::as_str),
            values.get("title").map_or("", String::as_str)
        ),
        _ => values.get("title").cloned().unwrap_or_default(),
    };
    Ok(RecordValues {
        kind,
        values,
        date,
        title,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    fn today() -> NaiveDate {
        "2024-06-20".parse().unwrap()
    }

    #[test]
    fn a_drill_is_checked_and_normalized() {
        let r = parse(
            RecordKind::Drill,
            &form(&[
                ("held_on", " 2024-05-28 "),
                ("plan_kind", "on_site"),
                ("title", "液氨泄漏现场处置方案"),
                ("form", "practical"),
                ("participant_count", "36"),
                ("evaluation", "响应及时，疏散路线需调整"),
                ("unknown", "ignored"),
            ]),
            today(),
        )
        .unwrap();
        assert_eq!(r.date.to_string(), "2024-05-28");
        assert_eq!(r.title, "液氨泄漏现场处置方案");
        assert_eq!(r.get("unknown"), None);
        assert_eq!(
            r.drill(),
            Some(crate::drills::Drill {
                held_on: r.date,
                plan: PlanKind::OnSite
            })
        );
    }

    #[test]
    fn errors_name_each_field() {
        let e = parse(
            RecordKind::TrainingSession,
            &form(&[
                ("held_on", "2024-13-01"),
                ("title", "新《安全生产法》"),
                ("trainees", "everyone"),
                ("hours", "2.25"),
                ("participant_count", "-3"),
                ("participants", "张三、李四"),
            ]),
            today(),
        )
        .unwrap_err();
        assert_eq!(
            e.iter().map(|e| e.message.as_str()).collect::<Vec<_>>(),
            [
                "“培训日期”不是有效日期（应为YYYY-MM-DD）",
                "请选择“培训对象”",
                "“学时”应为0至1000之间的数字，最多一位小数",
                "“参加人数”应为0至100000之间的整数",
                "请填写“考核结果”",
            ]
        );
        let future = parse(
            RecordKind::Violation,
            &form(&[
                ("occurred_on", "2024-06-21"),
                ("title", "王五"),
                ("position", "worker"),
                ("description", "未佩戴安全帽"),
                ("handling", "批评教育"),
            ]),
            today(),
        )
        .unwrap_err();
        assert_eq!(future[0].message, "“违规日期”2024-06-21晚于今天");
        let slip = parse(
            RecordKind::Violation,
            &form(&[
                ("occurred_on", "0000-01-01"),
                ("title", "王五"),
                ("position", "worker"),
                ("description", "未佩戴安全帽"),
                ("handling", "批评教育"),
            ]),
            today(),
        )
        .unwrap_err();
        assert_eq!(
            slip[0].message,
            "“违规日期”0000-01-01早于1950-01-01，请核对"
        );
    }

    #[test]
    fn induction_levels_in_order() {
        let mut f = form(&[
            ("title", "赵六"),
            ("reason", "new"),
            ("started_on", "2024-03-01"),
            ("plant_on", "2024-03-01"),
            ("workshop_on", "2024-03-04"),
            ("team_on", "2024-03-02"),
            ("hours", "72"),
            ("assessment", "合格（92分）"),
        ]);
        let e = parse(RecordKind::Induction, &f, today()).unwrap_err();
        assert_eq!(e[0].message, "三级安全教育应依次为厂级、车间级、班组级");
        f.insert("team_on".into(), "2024-03-05".into());
        let r = parse(RecordKind::Induction, &f, today()).unwrap();
        assert_eq!(r.get("hours"), Some("72"));
        assert_eq!(r.date.to_string(), "2024-03-01");
    }

    /// Issue #18 point 8: a number or a date typed full-width is read as typed half-width, in
    /// every kind of field; text keeps its full-width punctuation.
    #[test]
    fn full_width_numbers_and_dates_are_read_like_half_width() {
        let r = parse(
            RecordKind::TrainingSession,
            &form(&[
                ("held_on", "２０２４-０５-２８"),
                ("title", "新《安全生产法》，第二十一条"),
                ("trainees", "managers"),
                ("hours", "４"),
                ("participant_count", "３６"),
                ("participants", "张三、李四"),
                ("assessment", "全部合格（考试）"),
            ]),
            today(),
        )
        .unwrap();
        assert_eq!(r.date.to_string(), "2024-05-28");
        assert_eq!(r.get("hours"), Some("4"));
        assert_eq!(r.get("participant_count"), Some("36"));
        assert_eq!(r.title, "新《安全生产法》，第二十一条");
        assert_eq!(r.get("assessment"), Some("全部合格（考试）"));
        assert_eq!(crate::finding::ledger::parse_yuan("５００"), Some(50_000));
        assert_eq!(
            crate::roster::clean::code("９１３５０１００ｍ０００１００ｙ４３"),
            "91350100M000100Y43"
        );
    }
}
