//! Emergency drill frequency (check item 17 of the Qingxiu plan).
//!
//! Source: 《生产安全事故应急预案管理办法》(应急管理部令第2号, 2019) 第三十三条 — a unit
//! organizes at least once a year a drill of its comprehensive or a special emergency plan, and
//! at least once every half year a drill of an on-site response plan (现场处置方案); key units
//! (dangerous goods, mines, metal smelting, construction, crowded places …, see [`is_key_unit`])
//! drill their plans at least once every half year.
//!
//! Checked over the last 12 months as of a date `D`: "yearly" means one drill in
//! `(D − 12 months, D]`; "half-yearly" means one drill in each half of it, `(D − 12 months,
//! D − 6 months]` and `(D − 6 months, D]` (months subtracted on the calendar, the day clamped to
//! the month's end).

use chrono::{Months, NaiveDate};

/// The kinds of emergency plans (GB/T 29639-2020 §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlanKind {
    /// 综合应急预案.
    Comprehensive,
    /// 专项应急预案.
    Special,
    /// 现场处置方案.
    OnSite,
}

impl PlanKind {
    /// Every kind, in display order.
    pub const ALL: [PlanKind; 3] = [PlanKind::Comprehensive, PlanKind::Special, PlanKind::OnSite];

    /// Stable code stored in records.
    pub fn code(self) -> &'static str {
        match self {
            PlanKind::Comprehensive => "comprehensive",
            PlanKind::Special => "special",
            PlanKind::OnSite => "on_site",
        }
    }

    /// Parses a [`PlanKind::code`].
    pub fn from_code(code: &str) -> Option<PlanKind> {
        PlanKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            PlanKind::Comprehensive => "综合应急预案",
            PlanKind::Special => "专项应急预案",
            PlanKind::OnSite => "现场处置方案",
        }
    }
}

/// A drill on record: when, and which kind of plan it exercised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Drill {
    /// Civil date of the drill.
    pub held_on: NaiveDate,
    /// The kind of plan drilled.
    pub plan: PlanKind,
}

/// Industries (the roster's key industries) whose units must drill half-yearly under article 33
/// paragraph 2: producers, traders, stores and carriers of dangerous goods (hazardous chemicals,
/// fireworks, civil explosives, gas), mines, and construction.
const HALF_YEARLY_INDUSTRIES: [&str; 6] = [
    "非煤矿山",
    "危险化学品",
    "烟花爆竹",
    "民用爆炸物品",
    "城镇燃气",
    "建筑施工",
];

/// Whether an enterprise is a key unit (重点单位) for the drill frequency: flagged key in the
/// roster (重点企业), or in one of the industries article 33 paragraph 2 names.
pub fn is_key_unit(is_key: bool, industry: &str) -> bool {
    is_key || HALF_YEARLY_INDUSTRIES.contains(&industry)
}

/// One frequency requirement checked in one window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// Which drills count: comprehensive or special (`false`), or on-site (`true`).
    pub on_site: bool,
    /// First day of the window (inclusive).
    pub from: NaiveDate,
    /// Last day of the window (inclusive).
    pub to: NaiveDate,
    /// The drills on record in it, oldest first.
    pub held: Vec<NaiveDate>,
}

impl Window {
    /// Whether a drill was held in it.
    pub fn met(&self) -> bool {
        !self.held.is_empty()
    }

    /// What kind of drill the window asks for, in words.
    pub fn what(&self) -> &'static str {
        if self.on_site {
            "现场处置方案演练"
        } else {
            "综合或专项应急预案演练"
        }
    }

    /// The sentence naming the missing drill: `2023-06-21至2023-12-20期间缺少现场处置方案演练`.
    pub fn missing(&self) -> String {
        format!("{}至{}期间缺少{}", self.from, self.to, self.what())
    }
}

/// The answer of [`check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrillCheck {
    /// Whether the unit was checked as a key unit (half-yearly for every plan).
    pub key_unit: bool,
    /// The date checked as of.
    pub as_of: NaiveDate,
    /// Every window checked, comprehensive/special first, then on-site, older window first.
    pub windows: Vec<Window>,
}

impl DrillCheck {
    /// Whether every frequency is met.
    pub fn met(&self) -> bool {
        self.windows.iter().all(Window::met)
    }

    /// The windows without a drill.
    pub fn missing(&self) -> Vec<&Window> {
        self.windows.iter().filter(|w| !w.met()).collect()
    }

    /// A one-line summary for people: `近12个月应急演练频次符合要求` or the missing drills.
    pub fn summary(&self) -> String {
        if self.met() {
            "近12个月应急演练频次符合要求".into()
        } else {
            let missing: Vec<String> = self.missing().iter().map(|w| w.missing()).collect();
            format!("近12个月应急演练频次未达要求：{}", missing.join("；"))
        }
    }
}

/// Checks `drills` against the frequencies of article 33 over the 12 months ending on `as_of`.
pub fn check(drills: &[Drill], key_unit: bool, as_of: NaiveDate) -> DrillCheck {
    let back = |m: u32| {
        as_of
            .checked_sub_months(Months::new(m))
            .unwrap_or(NaiveDate::MIN)
    };
    let day = chrono::Duration::days(1);
    let (year_start, half) = (back(12) + day, back(6));
    let halves = [(year_start, half), (half + day, as_of)];
    let whole = [(year_start, as_of)];
    let window = |on_site: bool, (from, to): (NaiveDate, NaiveDate)| {
        let mut held: Vec<NaiveDate> = drills
            .iter()
            .filter(|d| (d.plan == PlanKind::OnSite) == on_site)
            .map(|d| d.held_on)
            .filter(|d| (from..=to).contains(d))
            .collect();
        held.sort_unstable();
        Window {
            on_site,
            from,
            to,
            held,
        }
    };
    let plan_windows: &[(NaiveDate, NaiveDate)] = if key_unit { &halves } else { &whole };
    let windows = plan_windows
        .iter()
        .map(|w| window(false, *w))
        .chain(halves.iter().map(|w| window(true, *w)))
        .collect();
    DrillCheck {
        key_unit,
        as_of,
        windows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn drill(on: &str, plan: PlanKind) -> Drill {
        Drill {
            held_on: d(on),
            plan,
        }
    }

    #[test]
    fn key_unit_meeting_every_frequency() {
        let drills = [
            drill("2023-09-15", PlanKind::Comprehensive),
            drill("2024-03-20", PlanKind::Special),
            drill("2023-08-10", PlanKind::OnSite),
            drill("2024-05-28", PlanKind::OnSite),
        ];
        let c = check(&drills, true, d("2024-06-20"));
        assert!(c.met(), "{}", c.summary());
        assert_eq!(c.summary(), "近12个月应急演练频次符合要求");
        assert_eq!(
            c.windows
                .iter()
                .map(|w| (w.on_site, w.from, w.to, w.held.clone()))
                .collect::<Vec<_>>(),
            [
                (
                    false,
                    d("2023-06-21"),
                    d("2023-12-20"),
                    vec![d("2023-09-15")]
                ),
                (
                    false,
                    d("2023-12-21"),
                    d("2024-06-20"),
                    vec![d("2024-03-20")]
                ),
                (
                    true,
                    d("2023-06-21"),
                    d("2023-12-20"),
                    vec![d("2023-08-10")]
                ),
                (
                    true,
                    d("2023-12-21"),
                    d("2024-06-20"),
                    vec![d("2024-05-28")]
                ),
            ]
        );
    }

    #[test]
    fn a_single_on_site_drill_is_not_enough() {
        let c = check(
            &[drill("2024-04-10", PlanKind::OnSite)],
            false,
            d("2024-06-20"),
        );
        assert!(!c.met());
        assert_eq!(
            c.summary(),
            "近12个月应急演练频次未达要求：2023-06-21至2024-06-20期间缺少综合或专项应急预案演练；\
             2023-06-21至2023-12-20期间缺少现场处置方案演练"
        );
        // The same as a key unit: both halves lack a comprehensive or special drill.
        let k = check(
            &[drill("2024-04-10", PlanKind::OnSite)],
            true,
            d("2024-06-20"),
        );
        assert_eq!(
            k.missing().iter().map(|w| w.missing()).collect::<Vec<_>>(),
            [
                "2023-06-21至2023-12-20期间缺少综合或专项应急预案演练",
                "2023-12-21至2024-06-20期间缺少综合或专项应急预案演练",
                "2023-06-21至2023-12-20期间缺少现场处置方案演练",
            ]
        );
    }

    #[test]
    fn window_boundaries_are_exact() {
        // As of 2024-06-30 the halves are 2023-07-01..2023-12-30 and 2023-12-31..2024-06-30
        // (six months before 2024-06-30 is 2023-12-30).
        let as_of = d("2024-06-30");
        let on_site = |dates: &[&str]| {
            dates
                .iter()
                .map(|s| drill(s, PlanKind::OnSite))
                .chain([drill("2024-02-01", PlanKind::Special)])
                .collect::<Vec<_>>()
        };
        let c = check(&[], false, as_of);
        assert_eq!(
            (c.windows[1].from, c.windows[1].to),
            (d("2023-07-01"), d("2023-12-30"))
        );
        assert_eq!(
            (c.windows[2].from, c.windows[2].to),
            (d("2023-12-31"), d("2024-06-30"))
        );
        assert!(check(&on_site(&["2023-07-01", "2023-12-31"]), false, as_of).met());
        assert!(check(&on_site(&["2023-12-30", "2024-06-30"]), false, as_of).met());
        // One day too early, and two drills in the same half: not met.
        assert!(!check(&on_site(&["2023-06-30", "2024-01-01"]), false, as_of).met());
        assert!(!check(&on_site(&["2023-12-31", "2024-06-30"]), false, as_of).met());
        // A drill after the date checked does not count.
        assert!(!check(&on_site(&["2023-07-01", "2024-07-01"]), false, as_of).met());
        // The yearly window: 2023-07-01 counts, 2023-06-30 does not.
        let yearly = |on: &str| {
            vec![
                drill(on, PlanKind::Comprehensive),
                drill("2023-08-01", PlanKind::OnSite),
                drill("2024-02-01", PlanKind::OnSite),
            ]
        };
        assert!(check(&yearly("2023-07-01"), false, as_of).met());
        assert!(!check(&yearly("2023-06-30"), false, as_of).met());
        // Month ends clamp: as of 2024-08-31 the later half starts 2024-03-01 (2024-02-29 + 1).
        let c = check(&[], false, d("2024-08-31"));
        assert_eq!(
            (c.windows[2].from, c.windows[2].to),
            (d("2024-03-01"), d("2024-08-31"))
        );
        assert_eq!(
            (c.windows[1].from, c.windows[1].to),
            (d("2023-09-01"), d("2024-02-29"))
        );
    }

    #[test]
    fn key_units_by_flag_or_industry() {
        assert!(is_key_unit(true, "工贸"));
        assert!(is_key_unit(false, "危险化学品"));
        assert!(is_key_unit(false, "建筑施工"));
        assert!(!is_key_unit(false, "工贸"));
    }
}
