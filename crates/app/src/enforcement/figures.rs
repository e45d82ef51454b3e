//! The enforcement figures (执法统计, issue #12 point 11): per unit, and for the committee office
//! (and assessors) the total of their region, over the current campaign. An officer sees its
//! own unit's row. What each figure counts is
//! [`safeduty_store::enforcement::figures`]'s, said to people by [`DEFINITIONS`].

use std::collections::BTreeMap;

use chrono::NaiveDate;
use safeduty_core::enforcement::order::is_overdue;
use safeduty_core::enforcement::penalty::Provision;
use safeduty_core::enforcement::rules::Rules;
use safeduty_core::policy::{Action, UnitKind, UnitScope};
use safeduty_store::Store;
use safeduty_store::enforcement::figures::{self, Counts, Period};

use crate::{Caller, Error, campaigns, guard};

/// What each column counts, as the page and the export say it (label, definition).
pub const DEFINITIONS: &[(&str, &str)] = &[
    (
        "统计范围",
        "本次专项治理中记录、且检查日期在治理年度内的现场检查，及其下达的整改指令和发现的问题；\
         复查不计入检查数。仅统计本账号管辖范围内的企业。",
    ),
    (
        "计划检查数",
        "已抽取且现行（未被新版本替代）的检查计划中的检查对象数；未制定或未抽取检查计划的显示“—”。",
    ),
    ("检查数", "该单位记录的现场检查（户次）。"),
    (
        "重点企业数",
        "管辖范围内参加本次治理的重点企业；单位行只计该单位管辖的（属地单位按区域，行业部门按监管企业）。",
    ),
    (
        "已检查重点企业数",
        "其中至少接受过一次检查的重点企业：单位行只计该单位的检查，合计行计任一单位的检查。",
    ),
    (
        "重点企业覆盖率",
        "已检查重点企业数 ÷ 重点企业数，四舍五入到0.1%。",
    ),
    ("下达整改指令数", "针对上述检查下达的责令限期整改指令书。"),
    (
        "逾期未复查数",
        "尚未复查、且复查期限早于统计当日的整改指令（与“逾期”列表口径一致）。",
    ),
    (
        "已复查数",
        "已记录整改复查意见的整改指令（已整改或未整改）。",
    ),
    (
        "检查发现问题数",
        "上述检查中“不符合”项开出的问题隐患（隐患台账中来源为执法检查）。",
    ),
    ("已销号数 / 未销号数", "其中已验收销号的 / 尚未销号的。"),
    ("整改率", "已销号数 ÷ 检查发现问题数，四舍五入到0.1%。"),
    (
        "立案数",
        "该单位在治理年度内批准立案（立案编号为该年度）的案件，不限于本次治理的检查；草稿不计。",
    ),
    ("作出决定数", "其中已作出行政处罚决定或不予行政处罚决定的。"),
    ("结案数", "其中已结案的。"),
    (
        "办案逾期数",
        "其中有办案期限（作出决定、送达）或缴纳罚款期限已过而尚未办理的；当事人陈述申辩、申请听证期限届满不算逾期。",
    ),
    (
        "罚款金额",
        "已作出的行政处罚决定的罚款合计（元），不含加处罚款；按条款的分列见下表。",
    ),
];

/// One row of the figures: a unit's, or the total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The unit, `None` for the total.
    pub unit_id: Option<i64>,
    /// The unit's name, or the total's label.
    pub name: String,
    /// The unit's kind, `None` for the total.
    pub kind: Option<UnitKind>,
    /// The counts.
    pub counts: Counts,
    /// Filed cases with a limit of the authority or a payment missed on the day.
    pub cases_overdue: i64,
}

impl Row {
    /// The kind in words: 属地 or 行业部门 (empty for the total).
    pub fn kind_label(&self) -> &'static str {
        match self.kind {
            Some(UnitKind::Territorial) => "属地",
            Some(UnitKind::IndustryDepartment) => "行业部门",
            Some(UnitKind::CommitteeOffice) => "安委办",
            None => "",
        }
    }
}

/// The figures of the caller's units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    /// The campaign counted (its name).
    pub campaign: String,
    /// Its public id.
    pub campaign_id: String,
    /// Its year.
    pub year: i32,
    /// The day overdue was judged on.
    pub today: NaiveDate,
    /// One row per unit: a committee office's or assessor's every territorial unit and
    /// industry department of the region (territorial first); an officer's own unit.
    pub units: Vec<Row>,
    /// The region's total (committee office, assessor); `None` for an officer.
    pub total: Option<Row>,
    /// The fines decided in the year's cases, by provision: how many decisions, how many yuan
    /// (provisions without a fine left out), in the provisions' order.
    pub fines_by_provision: Vec<(Provision, i64, i64)>,
}

impl Figures {
    /// The unit rows, then the total if any: the rows of a table or an export.
    pub fn rows(&self) -> impl Iterator<Item = &Row> {
        self.units.iter().chain(self.total.iter())
    }
}

/// The label of the total row.
pub const TOTAL_LABEL: &str = "辖区合计";

/// The figures of the current campaign for `caller` on `today`.
///
/// # Errors
/// The guard's denials (an enterprise user: 403; no scope: 404); [`Error::NotFound`] without a
/// campaign; store errors.
pub async fn figures(
    store: &Store,
    caller: &Caller<'_>,
    today: NaiveDate,
) -> Result<Figures, Error> {
    guard::require(store, caller, Action::ViewEnforcementFigures, None).await?;
    let campaign = campaigns::current(store, caller).await?;
    let units = safeduty_store::reports::units(store, &caller.user.unit_scope).await?;
    let period = Period {
        campaign_id: campaign.id,
        year: campaign.year,
        today,
    };
    let ids: Vec<i64> = units.iter().map(|u| u.id).collect();
    let mut counts = figures::by_unit(store, &caller.user.scope, &period, &ids).await?;
    // Overdue steps and fines by provision, over the year's cases of the listed units (the
    // total: every case in the scope).
    let cases =
        safeduty_store::enforcement::cases::filed_in(store, &caller.user.scope, campaign.year)
            .await?;
    let calendar = safeduty_store::calendar::effective(store).await?;
    let rules = Rules::shipped();
    let mut overdue: BTreeMap<i64, i64> = BTreeMap::new();
    let mut fines: BTreeMap<&'static str, (i64, i64)> = BTreeMap::new();
    let mut overdue_total = 0;
    for (s, c) in &cases {
        // A case filed before any rule in data has no limits to miss.
        let late = c.windows(&rules, &calendar).is_ok_and(|ws| {
            ws.iter()
                .any(|w| w.deadline && !w.met && is_overdue(w.closes, today))
        });
        if late {
            *overdue.entry(s.unit_id).or_default() += 1;
            overdue_total += 1;
        }
        let counted = match caller.user.unit_scope {
            UnitScope::RegionSubtree { .. } => true,
            UnitScope::Unit { .. } | UnitScope::Nothing => ids.contains(&s.unit_id),
        };
        if let (Some(d), true) = (&c.decision, counted) {
            let e = fines.entry(d.provision.code()).or_default();
            e.0 += 1;
            e.1 += i64::from(d.amount);
        }
    }
    let total = match caller.user.unit_scope {
        UnitScope::RegionSubtree { .. } => Some(Row {
            unit_id: None,
            name: TOTAL_LABEL.into(),
            kind: None,
            counts: figures::total(store, &caller.user.scope, &period).await?,
            cases_overdue: overdue_total,
        }),
        UnitScope::Unit { .. } | UnitScope::Nothing => None,
    };
    Ok(Figures {
        campaign: campaign.name,
        campaign_id: campaign.public_id,
        year: campaign.year,
        today,
        units: units
            .into_iter()
            .map(|u| Row {
                unit_id: Some(u.id),
                counts: counts.remove(&u.id).unwrap_or_default(),
                cases_overdue: overdue.get(&u.id).copied().unwrap_or(0),
                name: u.name,
                kind: Some(u.kind),
            })
            .collect(),
        total,
        fines_by_provision: Provision::ALL
            .iter()
            .filter_map(|p| fines.get(p.code()).map(|(n, sum)| (*p, *n, *sum)))
            .collect(),
    })
}
