//! The year's assessment of the supervising units (考核巡查, issue #14 point 8; plan §五: 将专项
//! 治理纳入年度考核巡查, 对动员部署不深入、隐患排查不彻底、监督执法不严格、工作落实不到位的予以
//! 扣分): a scoring sheet per unit — the plan's four deduction areas, each with items that deduct
//! points either computed from the records ([`Metric`]) or entered by the assessor with a reason —
//! from 100 points. The areas, items, points and caps are data
//! (`crates/core/data/assessment.toml`, [`Scheme`]); as shipped they are this project's proposal,
//! the plan naming the areas only.

use serde::Deserialize;

use crate::coded::coded;
use crate::enforcement::TextRule;
use crate::refusal::Refusal;

const SHIPPED: &str = include_str!("../data/assessment.toml");

/// The points a sheet starts from.
pub const FULL_MARKS: u32 = 100;

coded!(
    /// A figure of the records an item deducts by.
    #[serde(rename_all = "snake_case")]
    Metric {
        /// Measures of the “八个一” not done (count).
        MeasuresMissing = ("measures_missing", "“八个一”措施未落实项数"),
        /// Enrolled enterprises without a submitted self-inspection (percent).
        SelfInspectionUnsubmittedPct = ("self_inspection_unsubmitted_pct", "企业自查未提交比例（%）"),
        /// Safety managers who did not sign their commitment (percent).
        CommitmentUnsignedPct = ("commitment_unsigned_pct", "履职承诺未签订比例（%）"),
        /// Correction orders whose re-inspection is overdue (count).
        OrdersOverdue = ("orders_overdue", "逾期未复查的责令整改数"),
        /// Reports past their due day not submitted (count).
        ReportsOverdue = ("reports_overdue", "逾期未报送的材料数"),
        /// Accountability matters past their time limit, not reported (count).
        MattersOverdue = ("matters_overdue", "逾期未整改的督办事项数"),
    }
);

/// A deduction area of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    /// Stable code.
    pub code: String,
    /// The plan's words, e.g. 动员部署不深入.
    pub name: String,
    /// The most the area deducts.
    pub points: u32,
}

/// How an item's deduction is decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Basis {
    /// From the records: `per` points for every `step` of `metric`.
    Computed {
        /// The figure.
        metric: Metric,
        /// Points per step.
        per: u32,
        /// Size of a step of the figure (1 for a count; 5 for “every 5 %”).
        step: u32,
    },
    /// Entered by the assessor with a reason.
    Entered,
}

/// An item of an area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Its area's code.
    pub area: String,
    /// Stable code.
    pub code: String,
    /// What is deducted for.
    pub name: String,
    /// How.
    pub basis: Basis,
    /// The most it deducts.
    pub max: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    area: String,
    code: String,
    name: String,
    basis: String,
    #[serde(default)]
    metric: Option<String>,
    #[serde(default)]
    per: Option<u32>,
    #[serde(default)]
    step: Option<u32>,
    max: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScheme {
    source: String,
    #[serde(rename = "area")]
    areas: Vec<Area>,
    #[serde(rename = "item")]
    items: Vec<RawItem>,
}

/// The assessment's areas and items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheme {
    /// Where it comes from.
    pub source: String,
    /// The areas, in order.
    pub areas: Vec<Area>,
    /// The items, in order.
    pub items: Vec<Item>,
}

/// Scheme data that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("考核评分数据：{0}")]
pub struct SchemeError(pub String);

impl Scheme {
    /// The shipped scheme.
    pub fn shipped() -> Scheme {
        Scheme::parse(SHIPPED).expect("shipped assessment data is valid")
    }

    /// Parses a scheme.
    ///
    /// # Errors
    /// [`SchemeError`]: TOML or an unknown field; areas whose points do not add up to
    /// [`FULL_MARKS`]; an item of an unknown area, with an unknown basis or metric, a computed
    /// item without `per`, a code used twice.
    pub fn parse(text: &str) -> Result<Scheme, SchemeError> {
        let raw: RawScheme =
            toml::from_str(text).map_err(|e| SchemeError(e.message().to_string()))?;
        let total: u32 = raw.areas.iter().map(|a| a.points).sum();
        if total != FULL_MARKS {
            return Err(SchemeError(format!(
                "各方面分值合计{total}分，应为{FULL_MARKS}分"
            )));
        }
        let mut items = Vec::with_capacity(raw.items.len());
        for r in raw.items {
            let at = |m: &str| SchemeError(format!("评分项“{}”：{m}", r.code));
            if !raw.areas.iter().any(|a| a.code == r.area) {
                return Err(at(&format!("未知的扣分方面“{}”", r.area)));
            }
            if items.iter().any(|i: &Item| i.code == r.code) {
                return Err(at("代码重复"));
            }
            let basis = match r.basis.as_str() {
                "entered" => Basis::Entered,
                "computed" => Basis::Computed {
                    metric: r
                        .metric
                        .as_deref()
                        .and_then(Metric::from_code)
                        .ok_or_else(|| at("缺少或未知的计算指标 metric"))?,
                    per: r
                        .per
                        .filter(|p| *p > 0)
                        .ok_or_else(|| at("缺少每档扣分 per"))?,
                    step: r.step.unwrap_or(1).max(1),
                },
                other => return Err(at(&format!("未知的评分方式“{other}”"))),
            };
            items.push(Item {
                area: r.area,
                code: r.code,
                name: r.name,
                basis,
                max: r.max,
            });
        }
        Ok(Scheme {
            source: raw.source,
            areas: raw.areas,
            items,
        })
    }

    /// The item of `code`.
    pub fn item(&self, code: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.code == code)
    }
}

impl Item {
    /// The deduction of a computed item for the figure `value` (`per` per whole `step`, at most
    /// `max`); `None` for an entered item.
    pub fn computed(&self, value: u32) -> Option<u32> {
        match self.basis {
            Basis::Computed { per, step, .. } => {
                Some((value / step).saturating_mul(per).min(self.max))
            }
            Basis::Entered => None,
        }
    }
}

const REASON: TextRule = TextRule::block("扣分理由", "reason", 500);

/// An assessor's deduction on an entered item, checked: 0..=`max` points, a reason for any.
///
/// # Errors
/// Invalid on `points` (above the item's most) or `reason` (missing for a deduction, too long);
/// conflict for a computed item.
pub fn check_entry(item: &Item, points: u32, reason: &str) -> Result<(u32, String), Refusal> {
    // Quotes inside quotes become single quotes (“‘八个一’措施未落实”).
    let name = format!("“{}”", item.name.replace('“', "‘").replace('”', "’"));
    if item.basis != Basis::Entered {
        return Err(Refusal::conflict(format!(
            "{name}由系统按记录计算，不能手工评分"
        )));
    }
    if points > item.max {
        return Err(Refusal::invalid(format!("{name}最多扣{}分", item.max)).on("points"));
    }
    let reason = if points == 0 {
        TextRule {
            required: false,
            ..REASON
        }
        .clean(reason)?
    } else {
        REASON.clean(reason)?
    };
    Ok((points, reason))
}

/// One line of a unit's sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The item.
    pub item: Item,
    /// The figure of the records, for a computed item.
    pub figure: Option<u32>,
    /// Points deducted (before the area's cap).
    pub points: u32,
    /// The assessor's reason, for an entered item.
    pub reason: String,
}

/// A unit's scoring sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// Its lines, in the scheme's order.
    pub lines: Vec<Line>,
    /// Per area (the scheme's order): points deducted, capped at the area's points.
    pub areas: Vec<(Area, u32)>,
    /// [`FULL_MARKS`] less every area's deduction.
    pub score: u32,
}

/// The sheet of a unit whose records give `figure(metric)` and whose assessor entered
/// `entered(item code)` (points, reason).
pub fn sheet(
    scheme: &Scheme,
    figure: impl Fn(Metric) -> u32,
    entered: impl Fn(&str) -> Option<(u32, String)>,
) -> Sheet {
    let lines: Vec<Line> = scheme
        .items
        .iter()
        .map(|item| match item.basis {
            Basis::Computed { metric, .. } => {
                let value = figure(metric);
                Line {
                    item: item.clone(),
                    figure: Some(value),
                    points: item.computed(value).unwrap_or(0),
                    reason: String::new(),
                }
            }
            Basis::Entered => {
                let (points, reason) = entered(&item.code).unwrap_or_default();
                Line {
                    item: item.clone(),
                    figure: None,
                    points: points.min(item.max),
                    reason,
                }
            }
        })
        .collect();
    let areas: Vec<(Area, u32)> = scheme
        .areas
        .iter()
        .map(|a| {
            let sum: u32 = lines
                .iter()
                .filter(|l| l.item.area == a.code)
                .map(|l| l.points)
                .sum();
            (a.clone(), sum.min(a.points))
        })
        .collect();
    let deducted: u32 = areas.iter().map(|(_, p)| p).sum();
    Sheet {
        lines,
        areas,
        score: FULL_MARKS.saturating_sub(deducted),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_scheme_has_the_plans_four_areas_of_25_points() {
        let s = Scheme::shipped();
        let areas: Vec<_> = s
            .areas
            .iter()
            .map(|a| (a.name.as_str(), a.points))
            .collect();
        assert_eq!(
            areas,
            [
                ("动员部署不深入", 25),
                ("隐患排查不彻底", 25),
                ("监督执法不严格", 25),
                ("工作落实不到位", 25)
            ]
        );
        assert_eq!(s.items.len(), 9);
    }

    #[test]
    fn a_sheet_deducts_computed_and_entered_points_within_the_caps() {
        let s = Scheme::shipped();
        let figures = |m: Metric| match m {
            Metric::MeasuresMissing => 6,               // 18 → capped at 15
            Metric::SelfInspectionUnsubmittedPct => 23, // 4 steps of 5 % → 4
            Metric::OrdersOverdue => 1,                 // 2
            Metric::ReportsOverdue => 0,
            Metric::MattersOverdue => 1,         // 4
            Metric::CommitmentUnsignedPct => 35, // 3
        };
        let entered = |code: &str| match code {
            "mobilisation-depth" => Some((8, "培训仅覆盖一半企业".to_string())),
            "enforcement-lax" => Some((5, "2起应曝光未曝光".to_string())),
            _ => None,
        };
        let sheet = sheet(&s, figures, entered);
        let areas: Vec<u32> = sheet.areas.iter().map(|(_, p)| *p).collect();
        // mobilisation 15 + 8 = 23; hazards 4; enforcement 2 + 5 = 7; delivery 0 + 4 + 3 = 7.
        assert_eq!(areas, [23, 4, 7, 7]);
        assert_eq!(sheet.score, 59);
        let line = &sheet.lines[0];
        assert_eq!((line.figure, line.points), (Some(6), 15));
    }

    #[test]
    fn an_entry_needs_a_reason_and_stays_within_its_item() {
        let s = Scheme::shipped();
        let item = s.item("mobilisation-depth").unwrap();
        assert_eq!(check_entry(item, 0, "").unwrap(), (0, String::new()));
        assert_eq!(
            check_entry(item, 4, " ").unwrap_err().field(),
            Some("reason")
        );
        let r = check_entry(item, 11, "x").unwrap_err();
        assert_eq!(
            (r.field(), r.message()),
            (
                Some("points"),
                "“动员部署会议、专题培训覆盖不到位”最多扣10分"
            )
        );
        let computed = s.item("orders-overdue").unwrap();
        assert!(check_entry(computed, 1, "x").is_err());
        let measures = s.item("measures-missing").unwrap();
        assert_eq!(
            check_entry(measures, 1, "x").unwrap_err().message(),
            "“‘八个一’措施未落实”由系统按记录计算，不能手工评分"
        );
    }

    #[test]
    fn a_scheme_whose_areas_do_not_add_up_is_refused() {
        let text = "source = \"x\"\nitem = []\n[[area]]\ncode = \"a\"\nname = \"A\"\npoints = 90\n";
        assert_eq!(
            Scheme::parse(text).unwrap_err().to_string(),
            "考核评分数据：各方面分值合计90分，应为100分"
        );
    }
}
