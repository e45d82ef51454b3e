//! The dishonesty list (安全生产严重失信主体名单, 应急管理部令第11号, in force 2023-10-01; issue #14
//! point 4; plan §四 第四阶段: 纳入失信名单): who may be listed, on which ground, and the
//! procedure of a listing as a guarded state machine — prior notice (告知) with the reasons and
//! the right to object → objection and its answer → written decision → publication → the
//! listing's period → credit repair after its waiting time (application, decision) → removal
//! (at the period's end, or early on repair) or the early removal revoked.
//!
//! Pure domain, like [`super::case`]: a [`Listing`] holds the dated record of each step; each
//! step checks the order and the time limits in force on its own date
//! ([`Rules::dishonesty_at`]) and refuses with a Chinese reason without changing the listing.
//! The grounds and the covered industries are data ([`ListingData`],
//! `crates/core/data/dishonesty-list.toml`); the periods are rules with an effective date.
//!
//! Only a party with a decided penalty may be listed (the order's art. 3: serious dishonesty is a
//! violation that led to an administrative penalty), only by the department that decided the
//! penalty (art. 4, checked where the caller is known), only in an industry the order covers
//! (art. 2).
//!
//! # Rules taken from sources not verified
//! - the nine grounds and their clause numbers (第五条 accidents, 第六条 other violations): from a
//!   secondary source, numbered from memory (every ground is `verified = false`);
//! - construction, transport, gas and civil explosives outside the order: this project's reading
//!   (`inferred = true`);
//! - the 3-year period and repair after 12 months, both counted from publication (secondary; the
//!   start of the count is this project's reading);
//! - the objection window: 3 working days, the penalty notice's (the order leaves notice and
//!   objections to the 行政处罚法).

use chrono::NaiveDate;
use serde::Deserialize;

use super::TextRule;
use super::case::{Case, Party};
use super::exposure::surname_only;
use super::rules::{DishonestyRules, Rules};
use crate::calendar::Calendar;
use crate::coded::coded;
use crate::refusal::Refusal;

const SHIPPED: &str = include_str!("../../data/dishonesty-list.toml");

/// One entry ground (列入情形) of the order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ground {
    /// Stable code.
    pub code: String,
    /// The article and item, e.g. `第六条第（三）项`.
    pub clause: String,
    /// The situation, as the documents state it.
    pub text: String,
    /// Whether read in the official text.
    pub verified: bool,
    /// What remains to check.
    #[serde(default)]
    pub note: Option<String>,
}

/// Whether the order covers one of the roster's key industries.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndustryScope {
    /// The key industry as the roster writes it.
    pub name: String,
    /// Whether the order's art. 2 covers it.
    pub covered: bool,
    /// Whether that answer is this project's reading rather than the order's words.
    pub inferred: bool,
    /// Where the answer comes from.
    pub source: String,
}

/// The grounds and the covered industries.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListingData {
    /// The grounds, in the data's order.
    #[serde(rename = "ground")]
    pub grounds: Vec<Ground>,
    /// The industries, in the data's order.
    #[serde(rename = "industry")]
    pub industries: Vec<IndustryScope>,
}

/// Listing data that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("严重失信主体名单数据：{0}")]
pub struct ListingDataError(pub String);

impl ListingData {
    /// The data shipped in the binary.
    pub fn shipped() -> ListingData {
        ListingData::parse(SHIPPED).expect("shipped dishonesty-list data is valid")
    }

    /// Parses data in the shipped format.
    ///
    /// # Errors
    /// [`ListingDataError`]: TOML syntax or an unknown field; a ground without a code, clause or
    /// text, or a code used twice; an industry named twice or without a source.
    pub fn parse(text: &str) -> Result<ListingData, ListingDataError> {
        let data: ListingData =
            toml::from_str(text).map_err(|e| ListingDataError(e.message().to_string()))?;
        for (i, g) in data.grounds.iter().enumerate() {
            if [&g.code, &g.clause, &g.text]
                .iter()
                .any(|s| s.trim().is_empty())
            {
                return Err(ListingDataError(format!(
                    "第{}个列入情形缺少代码、条款或内容",
                    i + 1
                )));
            }
            if data.grounds[..i].iter().any(|o| o.code == g.code) {
                return Err(ListingDataError(format!("列入情形代码“{}”重复", g.code)));
            }
        }
        for (i, s) in data.industries.iter().enumerate() {
            if s.name.trim().is_empty() || s.source.trim().is_empty() {
                return Err(ListingDataError(format!("第{}个行业缺少名称或来源", i + 1)));
            }
            if data.industries[..i].iter().any(|o| o.name == s.name) {
                return Err(ListingDataError(format!("行业“{}”重复", s.name)));
            }
        }
        Ok(data)
    }

    /// The ground of `code`.
    ///
    /// # Errors
    /// Invalid on `ground` when there is none.
    pub fn ground(&self, code: &str) -> Result<&Ground, Refusal> {
        self.grounds
            .iter()
            .find(|g| g.code == code)
            .ok_or_else(|| Refusal::invalid("请选择列入情形").on("ground"))
    }

    /// Whether a party of `case`, an enterprise of `industry`, may be listed: a penalty decided
    /// (a fine; not 不予处罚) and an industry the order covers.
    ///
    /// # Errors
    /// Conflict without a decided penalty; invalid when the industry is outside the order (or
    /// not in the data), naming the industry and the source of that answer.
    pub fn check_case(&self, case: &Case, industry: &str) -> Result<(), Refusal> {
        if case.decision.is_none() {
            return Err(Refusal::conflict(if case.no_penalty.is_some() {
                "该案件作出的是不予行政处罚决定：只有受到行政处罚的当事人才能列入严重失信主体名单（应急管理部令第11号第三条）"
            } else {
                "该案件尚未作出行政处罚决定：只有受到行政处罚的当事人才能列入严重失信主体名单（应急管理部令第11号第三条）"
            }));
        }
        // The roster writes 工贸 where a plan writes 规模以上（或限额以上）工贸.
        let named = [industry.to_string()];
        match self
            .industries
            .iter()
            .find(|s| super::plan::in_key_industry(&s.name, &named))
        {
            Some(s) if s.covered => Ok(()),
            Some(s) => Err(Refusal::invalid(format!(
                "企业所属行业“{industry}”不在《安全生产严重失信主体名单管理办法》适用范围内（{}），不能由本部门列入",
                s.source
            ))
            .on("case")),
            None => Err(Refusal::invalid(format!(
                "企业所属行业“{industry}”未列入名单适用行业数据，不能列入；请核对企业行业"
            ))
            .on("case")),
        }
    }

    /// What the data holds that was not verified: the grounds not read in the official text and
    /// the industries whose answer is an inference, each with its note or source.
    pub fn unverified(&self) -> Vec<String> {
        let grounds = self.grounds.iter().filter(|g| !g.verified).map(|g| {
            format!(
                "{} {}：{}",
                g.clause,
                g.text,
                g.note.as_deref().unwrap_or("未核对")
            )
        });
        let industries = self
            .industries
            .iter()
            .filter(|s| s.inferred)
            .map(|s| format!("{}：{}", s.name, s.source));
        grounds.chain(industries).collect()
    }
}

coded!(
    /// Where a listing stands.
    #[serde(rename_all = "snake_case")]
    ListingStatus {
        /// The party was told (告知书 served); the objection window runs.
        Notified = ("notified", "已告知"),
        /// The party objected; an answer is due.
        Objected = ("objected", "已提出异议"),
        /// The objection was answered and not upheld.
        Answered = ("answered", "异议未采纳"),
        /// The objection was upheld: not listed.
        Dropped = ("dropped", "不予列入"),
        /// The written decision was made, not yet published.
        Decided = ("decided", "已决定列入"),
        /// Published; the period runs.
        Published = ("published", "公示中"),
        /// Credit repair applied for, not yet decided.
        RepairApplied = ("repair_applied", "信用修复申请中"),
        /// Removed from the list (at the period's end, or early on repair).
        Removed = ("removed", "已移出"),
    }
);

coded!(
    /// Why a listing was removed.
    #[serde(rename_all = "snake_case")]
    RemovalReason {
        /// The period ended.
        Expiry = ("expiry", "管理期限届满移出"),
        /// Credit repair granted: removed early.
        Repair = ("repair", "信用修复提前移出"),
    }
);

/// A dated text of a step (an objection, an answer, a revocation).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Dated {
    /// The day.
    pub on: NaiveDate,
    /// What was written.
    pub text: String,
}

/// The answer to an objection.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ObjectionAnswer {
    /// The day answered.
    pub on: NaiveDate,
    /// Whether the objection was upheld (then the party is not listed).
    pub upheld: bool,
    /// The answer's reasons.
    pub text: String,
}

/// The written decision to list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ListingDecision {
    /// The day decided.
    pub on: NaiveDate,
    /// The decision's number (文号) as the department's document system issued it.
    pub number: String,
}

/// The publication and the period it starts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Publication {
    /// The day published.
    pub on: NaiveDate,
    /// Where (e.g. 信用中国, 国家企业信用信息公示系统, the department's website).
    pub channels: String,
    /// The day the listing's period ends: from then on it is no longer shown.
    pub ends_on: NaiveDate,
    /// The first day credit repair may be applied for.
    pub repair_from: NaiveDate,
}

/// A credit-repair application and, once made, its decision.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Repair {
    /// The day applied.
    pub applied_on: NaiveDate,
    /// The evidence given (what was corrected, fines paid, training done).
    pub evidence: String,
    /// The decision: granted (removed early) or refused, with its reasons.
    pub decision: Option<RepairDecision>,
}

/// The decision on a credit-repair application.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RepairDecision {
    /// The day decided.
    pub on: NaiveDate,
    /// Whether granted.
    pub granted: bool,
    /// The reasons.
    pub text: String,
}

/// A removal from the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Removal {
    /// The day removed.
    pub on: NaiveDate,
    /// Why.
    pub reason: RemovalReason,
}

/// One listing of one party (the party of a decided case), step by step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    /// The party, as in the case.
    pub party: Party,
    /// The ground, as in the data when notified (clause and text kept: the data may change).
    pub ground: Ground,
    /// The facts and reasons given in the 告知书.
    pub reasons: String,
    /// The day the 告知书 was served.
    pub notified_on: NaiveDate,
    /// The party's objection.
    pub objection: Option<Dated>,
    /// Its answer.
    pub answer: Option<ObjectionAnswer>,
    /// The written decision.
    pub decision: Option<ListingDecision>,
    /// The publication.
    pub publication: Option<Publication>,
    /// The latest credit-repair application.
    pub repair: Option<Repair>,
    /// The removal.
    pub removal: Option<Removal>,
    /// An early removal revoked (the listing restored), with the reason.
    pub revocation: Option<Dated>,
}

const REASONS: TextRule = TextRule::block("列入事实和理由", "reasons", 2000);
const OBJECTION: TextRule = TextRule::block("异议内容", "text", 2000);
const ANSWER: TextRule = TextRule::block("答复意见", "text", 2000);
const NUMBER: TextRule = TextRule::line("列入决定书文号", "number", 60);
const CHANNELS: TextRule = TextRule::line("公示渠道", "channels", 200);
const EVIDENCE: TextRule = TextRule::block("信用修复材料", "text", 2000);
const REPAIR_DECISION: TextRule = TextRule::block("信用修复决定理由", "text", 2000);
const REVOCATION: TextRule = TextRule::block("撤销提前移出的理由", "text", 2000);

fn rules_on(rules: &Rules, date: NaiveDate) -> Result<DishonestyRules, Refusal> {
    rules.dishonesty_at(date).map_err(|_| {
        Refusal::invalid(format!(
            "{date}不在《安全生产严重失信主体名单管理办法》施行期间，不能按该办法办理"
        ))
        .on("date")
    })
}

fn not_before(date: NaiveDate, earlier: NaiveDate, what: &str) -> Result<(), Refusal> {
    if date < earlier {
        Err(Refusal::invalid(format!("日期{date}早于{what}（{earlier}）")).on("date"))
    } else {
        Ok(())
    }
}

impl Listing {
    /// Starts a listing: the 告知书 with `reasons` on `ground` served on `notified_on`.
    ///
    /// # Errors
    /// Invalid on `reasons`; invalid on `date` before the order was in force (no rule that day).
    pub fn notify(
        party: Party,
        ground: &Ground,
        reasons: &str,
        notified_on: NaiveDate,
        rules: &Rules,
    ) -> Result<Listing, Refusal> {
        let reasons = REASONS.clean(reasons)?;
        rules_on(rules, notified_on).map_err(|r| r.on("notified_on"))?;
        Ok(Listing {
            party,
            ground: ground.clone(),
            reasons,
            notified_on,
            objection: None,
            answer: None,
            decision: None,
            publication: None,
            repair: None,
            removal: None,
            revocation: None,
        })
    }

    /// Where the listing stands.
    pub fn state(&self) -> ListingStatus {
        if self.removal.is_some() {
            ListingStatus::Removed
        } else if self.publication.is_some() {
            match &self.repair {
                Some(r) if r.decision.is_none() => ListingStatus::RepairApplied,
                _ => ListingStatus::Published,
            }
        } else if self.decision.is_some() {
            ListingStatus::Decided
        } else if let Some(a) = &self.answer {
            if a.upheld {
                ListingStatus::Dropped
            } else {
                ListingStatus::Answered
            }
        } else if self.objection.is_some() {
            ListingStatus::Objected
        } else {
            ListingStatus::Notified
        }
    }

    /// The last day the party may object, under the rule in force when notified.
    ///
    /// # Errors
    /// Invalid when no rule was in force that day.
    pub fn objection_closes(&self, rules: &Rules, cal: &Calendar) -> Result<NaiveDate, Refusal> {
        let r = rules_on(rules, self.notified_on)?;
        Ok(r.objection_within
            .value
            .last_day(self.notified_on, cal)
            .date)
    }

    fn expect(&self, state: ListingStatus, doing: &str) -> Result<(), Refusal> {
        if self.state() == state {
            Ok(())
        } else {
            Err(Refusal::conflict(format!(
                "名单记录当前为“{}”，不能{doing}",
                self.state().label()
            )))
        }
    }

    /// Records the party's objection made on `date`, within the window.
    ///
    /// # Errors
    /// Conflict unless notified; invalid on `date` (before the notice, after the window) or
    /// `text`.
    pub fn object(
        &mut self,
        date: NaiveDate,
        text: &str,
        rules: &Rules,
        cal: &Calendar,
    ) -> Result<(), Refusal> {
        self.expect(ListingStatus::Notified, "记录异议")?;
        not_before(date, self.notified_on, "告知书送达日")?;
        let closes = self.objection_closes(rules, cal)?;
        if date > closes {
            return Err(Refusal::invalid(format!(
                "陈述申辩期限已于{closes}届满，{date}提出的异议不能受理"
            ))
            .on("date"));
        }
        self.objection = Some(Dated {
            on: date,
            text: OBJECTION.clean(text)?,
        });
        Ok(())
    }

    /// Answers the objection on `date`: upheld (not listed) or not.
    ///
    /// # Errors
    /// Conflict unless objected; invalid on `date` or `text`.
    pub fn answer(&mut self, date: NaiveDate, upheld: bool, text: &str) -> Result<(), Refusal> {
        self.expect(ListingStatus::Objected, "答复异议")?;
        let objected = self.objection.as_ref().map_or(self.notified_on, |o| o.on);
        not_before(date, objected, "异议提出日")?;
        self.answer = Some(ObjectionAnswer {
            on: date,
            upheld,
            text: ANSWER.clean(text)?,
        });
        Ok(())
    }

    /// Decides the listing on `date` with the decision's `number`: after the objection window
    /// closed without an objection, or after an objection answered and not upheld.
    ///
    /// # Errors
    /// Conflict in another state, or while the objection window is open; invalid on `date` or
    /// `number`.
    pub fn decide(
        &mut self,
        date: NaiveDate,
        number: &str,
        rules: &Rules,
        cal: &Calendar,
    ) -> Result<(), Refusal> {
        match self.state() {
            ListingStatus::Notified => {
                let closes = self.objection_closes(rules, cal)?;
                if date <= closes {
                    return Err(Refusal::conflict(format!(
                        "陈述申辩期限至{closes}届满，期满前不能作出列入决定"
                    )));
                }
            }
            ListingStatus::Answered => {
                let answered = self.answer.as_ref().map_or(self.notified_on, |a| a.on);
                not_before(date, answered, "异议答复日")?;
            }
            _ => self.expect(ListingStatus::Notified, "作出列入决定")?,
        }
        self.decision = Some(ListingDecision {
            on: date,
            number: NUMBER.clean(number)?,
        });
        Ok(())
    }

    /// Publishes the listing on `date` through `channels`; the period and the repair waiting
    /// time run from that day under the rules then in force (published 2024-12-20: ends
    /// 2027-12-20, repair from 2025-12-20).
    ///
    /// # Errors
    /// Conflict unless decided; invalid on `date` or `channels`.
    pub fn publish(
        &mut self,
        date: NaiveDate,
        channels: &str,
        rules: &Rules,
        cal: &Calendar,
    ) -> Result<(), Refusal> {
        self.expect(ListingStatus::Decided, "公示")?;
        let decided = self.decision.as_ref().map_or(self.notified_on, |d| d.on);
        not_before(date, decided, "列入决定日")?;
        let r = rules_on(rules, date)?;
        self.publication = Some(Publication {
            on: date,
            channels: CHANNELS.clean(channels)?,
            ends_on: r.listing_period.value.last_day(date, cal).date,
            repair_from: r.repair_after.value.last_day(date, cal).date,
        });
        Ok(())
    }

    /// The publication, or a conflict naming `doing`.
    fn published(&self, doing: &str) -> Result<&Publication, Refusal> {
        self.publication
            .as_ref()
            .ok_or_else(|| Refusal::conflict(format!("名单尚未公示，不能{doing}")))
    }

    /// Records a credit-repair application made on `date` with its `evidence`: not before the
    /// waiting time after publication.
    ///
    /// # Errors
    /// Conflict unless published (and no application pending); invalid on `date` (before
    /// [`Publication::repair_from`], after the period) or `evidence`.
    pub fn apply_repair(&mut self, date: NaiveDate, evidence: &str) -> Result<(), Refusal> {
        self.expect(ListingStatus::Published, "申请信用修复")?;
        let p = self.published("申请信用修复")?;
        if date < p.repair_from {
            return Err(Refusal::invalid(format!(
                "公示（{}）后须满信用修复等待期，最早于{}方可申请信用修复（提前移出）",
                p.on, p.repair_from
            ))
            .on("date"));
        }
        if date >= p.ends_on {
            return Err(Refusal::conflict(format!(
                "管理期限已于{}届满，应期满移出，无须信用修复",
                p.ends_on
            )));
        }
        self.repair = Some(Repair {
            applied_on: date,
            evidence: EVIDENCE.clean(evidence)?,
            decision: None,
        });
        Ok(())
    }

    /// Decides the pending application on `date`: granted (removed early that day) or refused
    /// (the listing stays; the party may apply again).
    ///
    /// # Errors
    /// Conflict unless an application is pending; invalid on `date` or `text`.
    pub fn decide_repair(
        &mut self,
        date: NaiveDate,
        granted: bool,
        text: &str,
    ) -> Result<(), Refusal> {
        self.expect(ListingStatus::RepairApplied, "作出信用修复决定")?;
        let text = REPAIR_DECISION.clean(text)?;
        let Some(repair) = self.repair.as_mut() else {
            return Err(Refusal::conflict("没有待决定的信用修复申请"));
        };
        not_before(date, repair.applied_on, "信用修复申请日")?;
        repair.decision = Some(RepairDecision {
            on: date,
            granted,
            text,
        });
        if granted {
            self.removal = Some(Removal {
                on: date,
                reason: RemovalReason::Repair,
            });
        }
        Ok(())
    }

    /// Removes the listing on `date` at the end of its period.
    ///
    /// # Errors
    /// Conflict unless published, or before [`Publication::ends_on`].
    pub fn remove_on_expiry(&mut self, date: NaiveDate) -> Result<(), Refusal> {
        if !matches!(
            self.state(),
            ListingStatus::Published | ListingStatus::RepairApplied
        ) {
            return self.expect(ListingStatus::Published, "期满移出");
        }
        let p = self.published("期满移出")?;
        if date < p.ends_on {
            return Err(Refusal::conflict(format!(
                "管理期限至{}届满，期满前不能移出；提前移出须经信用修复",
                p.ends_on
            )));
        }
        self.removal = Some(Removal {
            on: date,
            reason: RemovalReason::Expiry,
        });
        Ok(())
    }

    /// Revokes an early removal on `date` (the application concealed facts or was fraudulent):
    /// the listing is restored until its original end.
    ///
    /// # Errors
    /// Conflict unless removed early, or once the original period has ended; invalid on
    /// `date` or `text`.
    pub fn revoke_early_removal(&mut self, date: NaiveDate, text: &str) -> Result<(), Refusal> {
        let Some(removal) = self.removal.filter(|r| r.reason == RemovalReason::Repair) else {
            return Err(Refusal::conflict(
                "只有经信用修复提前移出的名单才能撤销提前移出",
            ));
        };
        not_before(date, removal.on, "提前移出日")?;
        let ends_on = self.published("撤销提前移出")?.ends_on;
        if date >= ends_on {
            return Err(Refusal::conflict(format!(
                "原管理期限已于{ends_on}届满，不再恢复列入"
            )));
        }
        self.revocation = Some(Dated {
            on: date,
            text: REVOCATION.clean(text)?,
        });
        self.removal = None;
        Ok(())
    }

    /// Whether the public pages show it on `today`: published, not removed, its period not
    /// ended.
    pub fn shown_on(&self, today: NaiveDate) -> bool {
        matches!(
            self.state(),
            ListingStatus::Published | ListingStatus::RepairApplied
        ) && self
            .publication
            .as_ref()
            .is_some_and(|p| p.on <= today && today < p.ends_on)
    }

    /// The party as published: the unit's name, or a person as `张某某（安全生产管理人员）`.
    pub fn published_party(&self) -> String {
        match &self.party {
            Party::Unit { name, .. } => name.clone(),
            Party::Person { name, role, .. } => format!("{}（{role}）", surname_only(name)),
        }
    }
}

#[cfg(test)]
mod tests;
