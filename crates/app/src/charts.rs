//! The figures behind the chart page (`/charts`, 统计图表, issue #15 point 6): progress over the
//! campaign's weeks, self-inspection and rectification by region and by industry, findings by
//! grade and by age, and the enforcement figures — for the committee office (its region), a unit
//! officer (its own enterprises) and the assessor (read-only), each over its own scope.
//!
//! Every number is computed from the rows the matching export gives for the same caller, so that
//! a chart never disagrees with a spreadsheet:
//! - the enrolled enterprises with their self-inspection status
//!   ([`crate::progress::enterprises`], the `/enterprises` list and `GET /api/v1/enterprises`);
//! - the findings ledger without a filter ([`crate::findings::ledger`], the ledger's `.xlsx`);
//! - the enforcement figures ([`crate::enforcement::figures::figures`], their `.xlsx`).
//!
//! The one figure no export lists is the day a self-inspection was submitted
//! ([`safeduty_store::charts::submitted_per_day`]); its weekly sum equals the submitted count.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use safeduty_core::finding::ledger::Grade;
use safeduty_core::policy::Action;
use safeduty_core::self_inspection::Status;
use safeduty_store::Store;
use safeduty_store::findings::Finding;
use safeduty_store::findings::ledger::Filter;

use crate::enforcement::figures::{self, Figures};
use crate::{Caller, Error, guard};

/// The group of findings whose enterprise is not enrolled in the campaign (a finding of an
/// earlier campaign still open), in the by-industry table.
pub const NOT_ENROLLED: &str = "未列入本次治理";

/// The age bands of open findings: label, first day, last day (`None`: no upper bound). The age
/// is today minus the day the finding was opened, in calendar days.
pub const AGE_BANDS: [(&str, i64, Option<i64>); 4] = [
    ("0–7天", 0, Some(7)),
    ("8–30天", 8, Some(30)),
    ("31–90天", 31, Some(90)),
    ("90天以上", 91, None),
];

/// One week of the campaign (Monday to Sunday, civil dates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Week {
    /// Its Monday.
    pub start: NaiveDate,
    /// The phase its Monday (else its Sunday) falls in, empty outside every phase.
    pub phase: String,
    /// Self-inspections submitted that week.
    pub submitted: i64,
    /// Self-inspections submitted up to its Sunday.
    pub submitted_to_date: i64,
    /// Findings opened that week (ledger rows by 发现日期).
    pub opened: i64,
    /// Findings closed out that week (ledger rows by 销号日期).
    pub closed: i64,
}

/// Self-inspection and rectification of one group (a region, an industry or the total).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Group {
    /// The region's or industry's name, or 合计.
    pub group: String,
    /// Enterprises enrolled.
    pub enrolled: i64,
    /// Self-inspections submitted.
    pub submitted: i64,
    /// Self-inspections saved as drafts.
    pub draft: i64,
    /// Not started: enrolled − submitted − draft.
    pub not_started: i64,
    /// Findings in the ledger.
    pub findings: i64,
    /// Of which closed out (已销号).
    pub findings_closed: i64,
}

/// `part / whole` in ‰, rounded half up in integers (the enforcement figures' rule); `None`
/// without a whole.
pub fn per_mille(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 2000 + whole) / (whole * 2))
}

impl Group {
    fn named(group: &str) -> Group {
        Group {
            group: group.to_string(),
            ..Group::default()
        }
    }

    /// Self-inspection rate in ‰: submitted ÷ enrolled.
    pub fn self_inspection_per_mille(&self) -> Option<i64> {
        per_mille(self.submitted, self.enrolled)
    }

    /// Rectification rate in ‰: closed ÷ findings.
    pub fn rectification_per_mille(&self) -> Option<i64> {
        per_mille(self.findings_closed, self.findings)
    }

    /// Findings not closed out.
    pub fn findings_open(&self) -> i64 {
        self.findings - self.findings_closed
    }

    fn count_status(&mut self, status: Status) {
        self.enrolled += 1;
        match status {
            Status::Submitted => self.submitted += 1,
            Status::Draft => self.draft += 1,
            Status::NotStarted => self.not_started += 1,
        }
    }

    fn count_finding(&mut self, f: &Finding) {
        self.findings += 1;
        if !f.status.is_open() {
            self.findings_closed += 1;
        }
    }
}

/// Findings of one grade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GradeRow {
    /// The grade.
    pub grade: Grade,
    /// Not closed out.
    pub open: i64,
    /// Closed out.
    pub closed: i64,
}

/// Open findings of one age band.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgeRow {
    /// The band's label ([`AGE_BANDS`]).
    pub band: &'static str,
    /// Open findings of that age.
    pub open: i64,
    /// Of which major (重大).
    pub major: i64,
}

/// Everything the chart page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charts {
    /// The campaign's name.
    pub campaign: String,
    /// The day the figures are computed on (the clock's today, the demo's date under a fixed
    /// clock).
    pub today: NaiveDate,
    /// The weeks from the campaign's first day (or the first record, if earlier) to today's week
    /// (or the campaign's last day, if earlier; or the last record, if later); empty before the
    /// campaign starts and without records.
    pub weeks: Vec<Week>,
    /// The total of the scope.
    pub total: Group,
    /// By region of the enterprise, in administrative order (the ledger's region names; a
    /// region with findings but no enrolled enterprise comes last).
    pub by_region: Vec<Group>,
    /// By industry: the plan's target industries in the plan's order, the others by name, then
    /// [`NOT_ENROLLED`] if any finding has no enrolled enterprise.
    pub by_industry: Vec<Group>,
    /// Findings by grade, in [`Grade::ALL`] order.
    pub by_grade: Vec<GradeRow>,
    /// Open findings by age, in [`AGE_BANDS`] order.
    pub by_age: Vec<AgeRow>,
    /// The enforcement figures of the same caller.
    pub enforcement: Figures,
}

/// The Monday of `d`'s week.
fn monday(d: NaiveDate) -> NaiveDate {
    d - Days::new(u64::from(d.weekday().num_days_from_monday()))
}

/// Index of `d`'s week in weeks starting at `first` (a Monday).
fn week_index(first: NaiveDate, d: NaiveDate) -> usize {
    usize::try_from((monday(d) - first).num_days() / 7).unwrap_or(0)
}

/// The figures of the current campaign for `caller` on `today`.
///
/// # Errors
/// The guard's denials ([`Action::ListEnterprises`]: committee office, unit officer, assessor;
/// an enterprise user 403; no scope 404); [`Error::NotFound`] without a campaign; store errors.
pub async fn charts(store: &Store, caller: &Caller<'_>, today: NaiveDate) -> Result<Charts, Error> {
    guard::require(store, caller, Action::ListEnterprises, None).await?;
    let (campaign, enterprises) = crate::progress::all_enterprises(store, caller, today).await?;
    let findings = crate::findings::ledger(store, caller, &Filter::default(), today, None)
        .await?
        .rows;
    let submitted =
        safeduty_store::charts::submitted_per_day(store, &caller.user.scope, campaign.id).await?;
    let enforcement = figures::figures(store, caller, today).await?;

    // By region and by industry: the enterprises' statuses, then the ledger's findings.
    let mut total = Group::named("合计");
    let mut regions: Vec<Group> = Vec::new();
    let mut industries: BTreeMap<String, Group> = BTreeMap::new();
    let mut industry_of: BTreeMap<i64, String> = BTreeMap::new();
    for p in &enterprises {
        let e = &p.enterprise;
        total.count_status(p.status);
        match regions.iter_mut().find(|g| g.group == e.region_name) {
            Some(g) => g.count_status(p.status),
            None => {
                let mut g = Group::named(&e.region_name);
                g.count_status(p.status);
                regions.push(g);
            }
        }
        industries
            .entry(e.industry.clone())
            .or_insert_with(|| Group::named(&e.industry))
            .count_status(p.status);
        industry_of.insert(e.id, e.industry.clone());
    }
    for f in &findings {
        total.count_finding(f);
        match regions.iter_mut().find(|g| g.group == f.region_name) {
            Some(g) => g.count_finding(f),
            None => {
                let mut g = Group::named(&f.region_name);
                g.count_finding(f);
                regions.push(g);
            }
        }
        let industry = industry_of
            .get(&f.enterprise_id)
            .cloned()
            .unwrap_or_else(|| NOT_ENROLLED.to_string());
        industries
            .entry(industry.clone())
            .or_insert_with(|| Group::named(&industry))
            .count_finding(f);
    }
    let order = &campaign.template.target_industries;
    let mut by_industry: Vec<Group> = industries.into_values().collect();
    // Stable: within the same key the names stay in order.
    by_industry.sort_by_key(|g| {
        if g.group == NOT_ENROLLED {
            order.len() + 1
        } else {
            order
                .iter()
                .position(|i| *i == g.group)
                .unwrap_or(order.len())
        }
    });

    // By grade and by age.
    let by_grade = Grade::ALL
        .iter()
        .map(|&grade| {
            let of: Vec<&Finding> = findings.iter().filter(|f| f.grade == grade).collect();
            let open = of.iter().filter(|f| f.status.is_open()).count();
            GradeRow {
                grade,
                open: i64::try_from(open).unwrap_or(i64::MAX),
                closed: i64::try_from(of.len() - open).unwrap_or(i64::MAX),
            }
        })
        .collect();
    let mut by_age: Vec<AgeRow> = AGE_BANDS
        .iter()
        .map(|(band, _, _)| AgeRow {
            band,
            open: 0,
            major: 0,
        })
        .collect();
    for f in findings.iter().filter(|f| f.status.is_open()) {
        let age = (today - f.opened_on).num_days().max(0);
        if let Some(i) = AGE_BANDS
            .iter()
            .position(|(_, from, to)| age >= *from && to.is_none_or(|to| age <= to))
        {
            by_age[i].open += 1;
            if f.grade == Grade::Major {
                by_age[i].major += 1;
            }
        }
    }

    // The weeks: the campaign's window up to today, widened to every dated record.
    let template = &campaign.template;
    let start = template
        .window
        .as_ref()
        .and_then(|w| w.start)
        .or_else(|| template.phases.iter().filter_map(|p| p.start).min())
        .or_else(|| NaiveDate::from_ymd_opt(campaign.year, 1, 1));
    let end = template
        .last_day()
        .or_else(|| NaiveDate::from_ymd_opt(campaign.year, 12, 31))
        .map(|end| end.min(today));
    let record_days = submitted
        .iter()
        .map(|(d, _)| *d)
        .chain(findings.iter().map(|f| f.opened_on))
        .chain(findings.iter().filter_map(|f| f.closed_on));
    let (mut first, mut last) = (start, end.filter(|e| start.is_none_or(|s| *e >= s)));
    for d in record_days {
        first = Some(first.map_or(d, |f| f.min(d)));
        last = Some(last.map_or(d, |l| l.max(d)));
    }
    let weeks = match (first, last) {
        (Some(first), Some(last)) if first <= last => {
            let first = monday(first);
            let n = week_index(first, last) + 1;
            let mut weeks: Vec<Week> = (0..n)
                .map(|i| {
                    let start = first + Days::new(7 * i as u64);
                    let sunday = start + Days::new(6);
                    let phase = template
                        .phases
                        .iter()
                        .find(|p| {
                            p.start.is_some_and(|s| s <= start) && p.end.is_some_and(|e| start <= e)
                        })
                        .or_else(|| {
                            template.phases.iter().find(|p| {
                                p.start.is_some_and(|s| s <= sunday)
                                    && p.end.is_some_and(|e| sunday <= e)
                            })
                        })
                        .map(|p| p.name.clone())
                        .unwrap_or_default();
                    Week {
                        start,
                        phase,
                        submitted: 0,
                        submitted_to_date: 0,
                        opened: 0,
                        closed: 0,
                    }
                })
                .collect();
            for (d, n) in &submitted {
                weeks[week_index(first, *d)].submitted += n;
            }
            for f in &findings {
                weeks[week_index(first, f.opened_on)].opened += 1;
                if let Some(c) = f.closed_on {
                    weeks[week_index(first, c)].closed += 1;
                }
            }
            let mut sum = 0;
            for w in &mut weeks {
                sum += w.submitted;
                w.submitted_to_date = sum;
            }
            weeks
        }
        _ => Vec::new(),
    };

    Ok(Charts {
        campaign: campaign.name,
        today,
        weeks,
        total,
        by_region: regions,
        by_industry,
        by_grade,
        by_age,
        enforcement,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        // 2024-05-01 is a Wednesday.
        assert_eq!(monday(d("2024-05-01")), d("2024-04-29"));
        assert_eq!(monday(d("2024-04-29")), d("2024-04-29"));
        assert_eq!(monday(d("2024-05-05")), d("2024-04-29"));
        assert_eq!(week_index(d("2024-04-29"), d("2024-05-06")), 1);
        assert_eq!(week_index(d("2024-04-29"), d("2024-05-05")), 0);
    }

    #[test]
    fn per_mille_rounds_half_up() {
        assert_eq!(per_mille(1, 3), Some(333));
        assert_eq!(per_mille(2, 3), Some(667));
        assert_eq!(per_mille(1, 8), Some(125));
        assert_eq!(per_mille(0, 0), None);
    }
}
