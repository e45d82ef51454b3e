//! The penalty calculator of issue 13 (point 3): article → statutory range → discretion band
//! (轻微/一般/较重/严重) from a band table in data → the proposed amount range, and the check of a
//! decided amount against the statutory range.
//!
//! Amounts are **whole yuan** (`u32`, 元): the articles fix fines in round yuan and the largest
//! (200 000) fits easily; fen would only add conversions.
//!
//! Data: `crates/core/data/discretion-bands.toml` (its header documents the format): each
//! provision's statutory range with its source and period, and the band tables by effective date
//! (the national standard changed on 2024-11-01 to 应急〔2024〕90号). A step applies the statute and
//! the table in force on its own date; the result records the band and the table's version.
//!
//! The statutory range always wins: a band is cut to the statutory range, and an amount outside
//! it is refused whatever the band table says.
//!
//! # Rules taken from sources not verified
//! Every row of the shipped data is marked `verified = false`:
//! - the statutory ranges of 安全生产法 (2021) art. 96 (1–3万 on the person), art. 97 (≤ 10万 on the
//!   unit; after a missed correction 10–20万 on the unit and 2–5万 on the persons, with
//!   停产停业整顿) and art. 102 (≤ 5万 on the unit; on refusal 5–10万 on the persons, with
//!   停产停业整顿) — secondary pages; art. 97 was not read in its 2021 form;
//! - both band tables (the former 总局 standard until 2024-10-31, 应急〔2024〕90号 from 2024-11-01):
//!   the band figures are an even split of the statutory range, placeholders until the figures
//!   of the national standard and of the Guangxi supplement are read;
//! - 不予处罚 (行政处罚法 2021 art. 33) — secondary source.

use chrono::NaiveDate;
use serde::Deserialize;
use toml::value::Datetime;

use super::rules::Provenance;
use super::violations::Party;
use crate::coded::coded;
use crate::refusal::Refusal;

const SHIPPED: &str = include_str!("../../data/discretion-bands.toml");

coded!(
    /// One penalty provision of the campaign's articles: the article, its stage and on whom.
    #[serde(rename_all = "snake_case")]
    Provision {
        /// Art. 96: the safety manager or other responsible person who did not perform duties.
        Art96Person = ("art96_person", "《安全生产法》第九十六条（对个人）"),
        /// Art. 97: the unit.
        Art97Unit = ("art97_unit", "《安全生产法》第九十七条（对单位）"),
        /// Art. 97 second stage (not corrected in time): the unit.
        Art97SecondUnit = ("art97_second_unit", "《安全生产法》第九十七条逾期未改正（对单位）"),
        /// Art. 97 second stage: the directly responsible persons.
        Art97SecondPerson = ("art97_second_person", "《安全生产法》第九十七条逾期未改正（对直接责任人员）"),
        /// Art. 102: the unit that did not eliminate an accident hazard.
        Art102Unit = ("art102_unit", "《安全生产法》第一百零二条（对单位）"),
        /// Art. 102 refusal: the directly responsible persons.
        Art102RefusalPerson = ("art102_refusal_person", "《安全生产法》第一百零二条拒不执行（对直接责任人员）"),
    }
);

impl Provision {
    /// Who the provision fines (the violation library's [`Party`]).
    pub fn target(self) -> Party {
        match self {
            Provision::Art96Person
            | Provision::Art97SecondPerson
            | Provision::Art102RefusalPerson => Party::Person,
            _ => Party::Unit,
        }
    }
}

coded!(
    /// Discretion band (裁量档次).
    #[serde(rename_all = "snake_case")]
    Band {
        /// 轻微.
        Minor = ("minor", "轻微"),
        /// 一般.
        General = ("general", "一般"),
        /// 较重.
        Serious = ("serious", "较重"),
        /// 严重.
        Severe = ("severe", "严重"),
    }
);

coded!(
    /// The violation found still present at acceptance (验收), punished at the statutory upper limit.
    #[serde(rename_all = "snake_case")]
    AtAcceptance {
        /// Art. 96: the safety manager still not performing duties.
        Art96 = ("art96", "第九十六条"),
        /// Art. 97: the unit still not corrected after the order (second stage).
        Art97 = ("art97", "第九十七条逾期未改正"),
        /// Art. 102: the unit refusing to eliminate the hazard.
        Art102 = ("art102", "第一百零二条拒不执行"),
    }
);

impl AtAcceptance {
    /// Whether an earlier case decided under `earlier` concerns the same article: the party
    /// still violating it at acceptance is this violation (安全生产法 art. 96, 97, 102).
    pub fn repeats(self, earlier: Provision) -> bool {
        use Provision::*;
        match self {
            AtAcceptance::Art96 => earlier == Art96Person,
            AtAcceptance::Art97 => {
                matches!(earlier, Art97Unit | Art97SecondUnit | Art97SecondPerson)
            }
            AtAcceptance::Art102 => matches!(earlier, Art102Unit | Art102RefusalPerson),
        }
    }

    /// The provisions fined at the upper limit.
    pub fn provisions(self) -> &'static [Provision] {
        match self {
            AtAcceptance::Art96 => &[Provision::Art96Person],
            AtAcceptance::Art97 => &[Provision::Art97SecondUnit, Provision::Art97SecondPerson],
            AtAcceptance::Art102 => &[Provision::Art102RefusalPerson],
        }
    }
}

/// A provision's statutory range for one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statute {
    /// The provision.
    pub provision: Provision,
    /// Lowest fine, yuan.
    pub min: u32,
    /// Highest fine, yuan.
    pub max: u32,
    /// Measures the article imposes with the fine (Chinese), e.g. 责令停产停业整顿.
    pub measures: Vec<String>,
    /// Source, period, verification.
    pub provenance: Provenance,
}

/// One band of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BandRow {
    /// The provision.
    pub provision: Provision,
    /// The band.
    pub band: Band,
    /// When it applies (Chinese).
    pub conditions: String,
    /// Lowest fine, yuan.
    pub min: u32,
    /// Highest fine, yuan.
    pub max: u32,
    /// Measures besides the fine (Chinese).
    pub extra_measures: Vec<String>,
}

/// One version of the discretion standard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BandTable {
    /// The standard's name (its version as recorded on a decision).
    pub name: String,
    /// Source, period, verification.
    pub provenance: Provenance,
    /// The bands.
    pub bands: Vec<BandRow>,
}

/// The proposed range for a provision and what it was taken from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// The provision.
    pub provision: Provision,
    /// The band, `None` for the upper limit at acceptance.
    pub band: Option<Band>,
    /// Lowest proposed fine, yuan.
    pub min: u32,
    /// Highest proposed fine, yuan.
    pub max: u32,
    /// Measures of the article and of the band (Chinese).
    pub measures: Vec<String>,
    /// The statutory range applied.
    pub statute: Statute,
    /// The band table's name (version) and first day, `None` for the upper limit.
    pub table: Option<(String, NaiveDate)>,
}

/// A decided fine, checked against the statutory range in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecidedFine {
    /// The provision.
    pub provision: Provision,
    /// The fine, yuan.
    pub amount: u32,
    /// The band recorded, if the decision used one.
    pub band: Option<Band>,
    /// The band table's version recorded with the band.
    pub table: Option<(String, NaiveDate)>,
}

/// The statutes and band tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discretion {
    statutes: Vec<Statute>,
    tables: Vec<BandTable>,
}

/// Discretion data that cannot be used (Chinese message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("罚款裁量数据有误：{0}")]
pub struct DiscretionError(pub String);

impl Discretion {
    /// The data shipped in the binary (`crates/core/data/discretion-bands.toml`).
    pub fn shipped() -> Discretion {
        Discretion::parse(SHIPPED).expect("shipped discretion data is valid")
    }

    /// Parses data in the shipped format.
    ///
    /// # Errors
    /// [`DiscretionError`]: TOML syntax or unknown field, unknown provision or band, a range with
    /// min above max or min 0, a period ending before it starts, overlapping periods, a band
    /// given twice in a table, a band outside its provision's statutory range.
    pub fn parse(text: &str) -> Result<Discretion, DiscretionError> {
        parse(text)
    }

    /// Every statute row.
    pub fn statutes(&self) -> &[Statute] {
        &self.statutes
    }

    /// Every table.
    pub fn tables(&self) -> &[BandTable] {
        &self.tables
    }

    /// The sources not verified against an official text, in the data's order (statutes, then
    /// tables): what the closing note must list.
    pub fn unverified(&self) -> Vec<&Provenance> {
        self.statutes
            .iter()
            .map(|s| &s.provenance)
            .chain(self.tables.iter().map(|t| &t.provenance))
            .filter(|p| !p.verified)
            .collect()
    }

    /// The statutory range of `provision` on `date`.
    ///
    /// # Errors
    /// A [`Refusal`] (invalid, field `date`) when none applies that day.
    pub fn statute(&self, provision: Provision, date: NaiveDate) -> Result<&Statute, Refusal> {
        self.statutes
            .iter()
            .find(|s| s.provision == provision && s.provenance.applies_on(date))
            .ok_or_else(|| {
                Refusal::invalid(format!("{date}没有适用的{}罚款幅度", provision.label()))
                    .on("date")
            })
    }

    /// The band table in force on `date`.
    ///
    /// # Errors
    /// A [`Refusal`] (invalid, field `date`) when none applies that day.
    pub fn table(&self, date: NaiveDate) -> Result<&BandTable, Refusal> {
        self.tables
            .iter()
            .find(|t| t.provenance.applies_on(date))
            .ok_or_else(|| Refusal::invalid(format!("{date}没有适用的裁量基准")).on("date"))
    }

    /// The proposed range for `provision` in `band` on `date`: the band of the table in force,
    /// cut to the statutory range in force.
    ///
    /// # Errors
    /// A [`Refusal`]: no statute or table that day, the table has no such band, or the band
    /// lies wholly outside the statutory range (field `band`).
    pub fn propose(
        &self,
        provision: Provision,
        band: Band,
        date: NaiveDate,
    ) -> Result<Proposal, Refusal> {
        let statute = self.statute(provision, date)?;
        let table = self.table(date)?;
        let row = table
            .bands
            .iter()
            .find(|b| b.provision == provision && b.band == band)
            .ok_or_else(|| {
                Refusal::invalid(format!(
                    "{}没有{}的“{}”档次",
                    table.name,
                    provision.label(),
                    band.label()
                ))
                .on("band")
            })?;
        let (min, max) = (row.min.max(statute.min), row.max.min(statute.max));
        if min > max {
            return Err(Refusal::invalid(format!(
                "裁量档次“{}”（{}至{}元）超出法定罚款幅度（{}至{}元）",
                band.label(),
                row.min,
                row.max,
                statute.min,
                statute.max
            ))
            .on("band"));
        }
        let mut measures = statute.measures.clone();
        measures.extend(row.extra_measures.iter().cloned());
        Ok(Proposal {
            provision,
            band: Some(band),
            min,
            max,
            measures,
            statute: statute.clone(),
            table: Some((table.name.clone(), table.provenance.effective_from)),
        })
    }

    /// The penalties for a party found still violating at acceptance: each provision at its
    /// statutory upper limit (art. 96: 30 000 on the person; art. 97 second stage: suspension,
    /// 200 000 on the unit and 50 000 on the persons; art. 102 refusal: suspension, 100 000 on
    /// the persons), with the article's measures.
    ///
    /// # Errors
    /// A [`Refusal`] when a statute has no range on `date`.
    pub fn at_acceptance(
        &self,
        violation: AtAcceptance,
        date: NaiveDate,
    ) -> Result<Vec<Proposal>, Refusal> {
        violation
            .provisions()
            .iter()
            .map(|&provision| {
                let statute = self.statute(provision, date)?;
                Ok(Proposal {
                    provision,
                    band: None,
                    min: statute.max,
                    max: statute.max,
                    measures: statute.measures.clone(),
                    statute: statute.clone(),
                    table: None,
                })
            })
            .collect()
    }

    /// Checks a decided fine: it must lie in the statutory range in force on `date`, whatever
    /// the band says; the band (if any) is recorded with the table in force.
    ///
    /// # Errors
    /// A [`Refusal`] (invalid, field `amount`) for an amount outside the statutory range, or
    /// when no statute or table applies.
    pub fn decide(
        &self,
        provision: Provision,
        amount: u32,
        band: Option<Band>,
        date: NaiveDate,
    ) -> Result<DecidedFine, Refusal> {
        let statute = self.statute(provision, date)?;
        if amount < statute.min || amount > statute.max {
            return Err(Refusal::invalid(format!(
                "罚款金额{amount}元超出{}的法定幅度（{}至{}元）",
                provision.label(),
                statute.min,
                statute.max
            ))
            .on("amount"));
        }
        let table = match band {
            Some(_) => {
                let t = self.table(date)?;
                Some((t.name.clone(), t.provenance.effective_from))
            }
            None => None,
        };
        Ok(DecidedFine {
            provision,
            amount,
            band,
            table,
        })
    }
}

/// A decision not to punish (不予处罚, 行政处罚法 2021 art. 33): the basis and the follow-up
/// measure (配套监管措施, e.g. 预警提示 / 行政指导).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoPenalty {
    /// The legal basis and the facts (Chinese).
    pub basis: String,
    /// The follow-up measure (Chinese).
    pub follow_up: String,
}

impl NoPenalty {
    /// Records 不予处罚. Source: 行政处罚法 (2021) art. 33 [secondary, not verified].
    ///
    /// # Errors
    /// A [`Refusal`]: conflict when the party was found still violating at acceptance (the
    /// campaign punishes it at the upper limit; a repeat is not a first violation); invalid when
    /// the basis (field `basis`) or the follow-up measure (field `follow_up`) is empty.
    pub fn new(
        basis: &str,
        follow_up: &str,
        still_violating_at_acceptance: bool,
    ) -> Result<NoPenalty, Refusal> {
        if still_violating_at_acceptance {
            return Err(Refusal::conflict(
                "验收时仍存在违法行为的，应当依法从重（按法定上限）处罚，不得适用不予处罚",
            ));
        }
        let basis = basis.trim();
        if basis.is_empty() {
            return Err(Refusal::invalid("请填写不予处罚的依据").on("basis"));
        }
        let follow_up = follow_up.trim();
        if follow_up.is_empty() {
            return Err(Refusal::invalid("请填写配套监管措施").on("follow_up"));
        }
        Ok(NoPenalty {
            basis: basis.to_string(),
            follow_up: follow_up.to_string(),
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    statute: Vec<RawStatute>,
    #[serde(default)]
    table: Vec<RawTable>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatute {
    provision: String,
    min: u32,
    max: u32,
    measures: Vec<String>,
    source: String,
    effective_from: Datetime,
    #[serde(default)]
    effective_until: Option<Datetime>,
    verified: bool,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    name: String,
    source: String,
    effective_from: Datetime,
    #[serde(default)]
    effective_until: Option<Datetime>,
    verified: bool,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    band: Vec<RawBand>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBand {
    provision: String,
    band: String,
    conditions: String,
    min: u32,
    max: u32,
    extra_measures: Vec<String>,
}

fn err(message: impl Into<String>) -> DiscretionError {
    DiscretionError(message.into())
}

fn date(d: &Datetime) -> Result<NaiveDate, DiscretionError> {
    match (&d.date, &d.time, &d.offset) {
        (Some(day), None, None) => NaiveDate::from_ymd_opt(
            i32::from(day.year),
            u32::from(day.month),
            u32::from(day.day),
        )
        .ok_or_else(|| err(format!("日期{d}无效"))),
        _ => Err(err(format!("日期{d}应为不带时间的日期"))),
    }
}

fn provenance(
    source: String,
    from: &Datetime,
    until: Option<&Datetime>,
    verified: bool,
    note: Option<String>,
) -> Result<Provenance, DiscretionError> {
    let effective_from = date(from)?;
    let effective_until = until.map(date).transpose()?;
    if effective_until.is_some_and(|u| u < effective_from) {
        return Err(err(format!("{source}的施行期间结束早于开始")));
    }
    if source.trim().is_empty() {
        return Err(err("来源不能为空"));
    }
    Ok(Provenance {
        source: source.trim().to_string(),
        effective_from,
        effective_until,
        verified,
        note: note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
    })
}

fn range(what: &str, min: u32, max: u32) -> Result<(), DiscretionError> {
    if min == 0 || min > max {
        return Err(err(format!("{what}的金额幅度{min}至{max}元无效")));
    }
    Ok(())
}

fn overlap(a: &Provenance, b: &Provenance) -> bool {
    let end = |p: &Provenance| p.effective_until.unwrap_or(NaiveDate::MAX);
    a.effective_from <= end(b) && b.effective_from <= end(a)
}

fn parse(text: &str) -> Result<Discretion, DiscretionError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| err(e.to_string()))?;
    let mut statutes = Vec::new();
    for s in raw.statute {
        let provision = Provision::from_code(&s.provision)
            .ok_or_else(|| err(format!("未知的条款“{}”", s.provision)))?;
        range(provision.label(), s.min, s.max)?;
        let provenance = provenance(
            s.source,
            &s.effective_from,
            s.effective_until.as_ref(),
            s.verified,
            s.note,
        )?;
        if statutes
            .iter()
            .any(|o: &Statute| o.provision == provision && overlap(&o.provenance, &provenance))
        {
            return Err(err(format!("{}的施行期间重叠", provision.label())));
        }
        statutes.push(Statute {
            provision,
            min: s.min,
            max: s.max,
            measures: s.measures,
            provenance,
        });
    }
    let mut tables: Vec<BandTable> = Vec::new();
    for t in raw.table {
        let provenance = provenance(
            t.source,
            &t.effective_from,
            t.effective_until.as_ref(),
            t.verified,
            t.note,
        )?;
        if tables.iter().any(|o| overlap(&o.provenance, &provenance)) {
            return Err(err(format!("{}的施行期间与其他基准重叠", t.name)));
        }
        let mut bands: Vec<BandRow> = Vec::new();
        for b in t.band {
            let provision = Provision::from_code(&b.provision)
                .ok_or_else(|| err(format!("未知的条款“{}”", b.provision)))?;
            let band =
                Band::from_code(&b.band).ok_or_else(|| err(format!("未知的档次“{}”", b.band)))?;
            range(band.label(), b.min, b.max)?;
            if bands
                .iter()
                .any(|o| o.provision == provision && o.band == band)
            {
                return Err(err(format!(
                    "{}中{}的“{}”档次重复",
                    t.name,
                    provision.label(),
                    band.label()
                )));
            }
            for s in statutes
                .iter()
                .filter(|s| s.provision == provision && overlap(&s.provenance, &provenance))
            {
                if b.min < s.min || b.max > s.max {
                    return Err(err(format!(
                        "{}中{}的“{}”档次（{}至{}元）超出法定幅度（{}至{}元）",
                        t.name,
                        provision.label(),
                        band.label(),
                        b.min,
                        b.max,
                        s.min,
                        s.max
                    )));
                }
            }
            bands.push(BandRow {
                provision,
                band,
                conditions: b.conditions.trim().to_string(),
                min: b.min,
                max: b.max,
                extra_measures: b.extra_measures,
            });
        }
        tables.push(BandTable {
            name: t.name.trim().to_string(),
            provenance,
            bands,
        });
    }
    Ok(Discretion { statutes, tables })
}

#[cfg(test)]
mod tests;
