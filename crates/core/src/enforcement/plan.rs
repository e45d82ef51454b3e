//! The inspection plan of a unit (检查计划, issue #12 point 2): which enterprises of its pool
//! are inspected in full (key enterprises and the campaign's key industries), how many of the
//! rest are drawn at random (a number, or a share of the pool), and which officers can be drawn
//! into the pairs (a certificate valid on the plan's first day). The draw itself is
//! [`super::draw`]; this module builds its request from the unit's data.
//!
//! Where every enterprise of the pool is a key one (as in the Qingxiu plan), nothing is left to
//! draw and the draw assigns only the officer pairs.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::TextRule;
use super::draw::{DrawRequest, OFFICERS_PER_TARGET, Share};
use super::officers::Officer;
use crate::coded::coded;
use crate::refusal::Refusal;
use crate::roster::check::KEY_INDUSTRIES;
use crate::template::CampaignTemplate;

/// Largest number of targets a plan may ask to draw (a typing slip beyond it).
pub const MAX_COUNT: u32 = 100_000;

coded!(
    /// Where a plan stands. A drawn plan is never changed: drawing again is a new version.
    #[serde(rename_all = "snake_case")]
    PlanStatus {
        /// Its window and size set, not drawn yet.
        Draft = ("draft", "待抽取"),
        /// Drawn: its targets and officer pairs are fixed.
        Drawn = ("drawn", "已抽取"),
    }
);

/// How many of the pool (the enterprises that are not inspected in full) to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DrawSize {
    /// A number of enterprises (all of the pool when it is smaller).
    Count(u32),
    /// A share of the pool, rounded up ([`Share::count`]).
    Share(Share),
}

impl DrawSize {
    /// The `k` of the draw for a pool of `pool` enterprises.
    ///
    /// # Errors
    /// A share above 100 % (field `share`).
    pub fn k(self, pool: usize) -> Result<usize, Refusal> {
        match self {
            DrawSize::Count(n) => Ok(usize::try_from(n).unwrap_or(usize::MAX)),
            DrawSize::Share(s) => s.count(pool),
        }
    }

    /// How it reads on a page: 抽取5家 / 抽取70%.
    pub fn describe(self) -> String {
        match self {
            DrawSize::Count(n) => format!("抽取{n}家"),
            DrawSize::Share(s) => {
                let m = s.per_mille();
                if m.is_multiple_of(10) {
                    format!("抽取{}%", m / 10)
                } else {
                    format!("抽取{}.{}%", m / 10, m % 10)
                }
            }
        }
    }
}

/// What an officer types to make or remake a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanInput {
    /// First day of the plan's window.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// How many of the pool to draw.
    pub size: DrawSize,
}

impl PlanInput {
    /// Checks the window and the size.
    ///
    /// # Errors
    /// Invalid: the last day before the first (field `ends_on`); a count above [`MAX_COUNT`]
    /// (field `count`); a share above 100 % (field `share`).
    pub fn check(&self) -> Result<(), Refusal> {
        if self.ends_on < self.starts_on {
            return Err(Refusal::invalid("计划截止日期不能早于开始日期").on("ends_on"));
        }
        if crate::text::is_implausibly_early(self.starts_on) {
            return Err(Refusal::invalid(format!(
                "计划开始日期{}早于1950-01-01，请核对",
                self.starts_on
            ))
            .on("starts_on"));
        }
        match self.size {
            DrawSize::Count(n) if n > MAX_COUNT => {
                Err(Refusal::invalid(format!("抽取数量不能超过{MAX_COUNT}家")).on("count"))
            }
            DrawSize::Share(s) if s.per_mille() > 1000 => {
                Err(Refusal::invalid("抽查比例不能超过100%").on("share"))
            }
            _ => Ok(()),
        }
    }
}

/// Longest reason for another version of a plan, in characters.
pub const REASON_MAX_CHARS: usize = 200;

const REASON: TextRule = TextRule::block("重新抽取的理由", "reason", REASON_MAX_CHARS).optional();

/// Checks the reason for another version of a plan, trimmed. A plan already drawn is drawn
/// again only with a reason (`required`), kept with the new version and in the audit trail.
///
/// # Errors
/// Invalid, field `reason`: blank when required (“请填写重新抽取的理由…”), too long, with
/// control characters.
pub fn check_reason(reason: &str, required: bool) -> Result<String, Refusal> {
    let reason = REASON.clean(reason)?;
    if required && reason.is_empty() {
        return Err(Refusal::invalid(
            "本单位本次专项治理的检查计划已经抽取；请填写重新抽取的理由，新版本抽取后原计划作废但保留备查",
        )
        .on("reason"));
    }
    Ok(reason)
}

/// The window of the campaign's enforcement phase (严格执法, the phase whose name says 执法),
/// the default window of a plan.
pub fn enforcement_window(template: &CampaignTemplate) -> Option<(NaiveDate, NaiveDate)> {
    let p = template.phases.iter().find(|p| p.name.contains("执法"))?;
    Some((p.start?, p.end?))
}

/// Whether an enterprise of `industry` lies in one of the campaign's key industries
/// (`target_industries`): the same name, or one of the roster's eight names that ends the plan's
/// longer one (the roster's 工贸 is the plan's 规模以上（或限额以上）工贸).
pub fn in_key_industry(industry: &str, target_industries: &[String]) -> bool {
    let industry = industry.trim();
    !industry.is_empty()
        && target_industries.iter().any(|t| {
            let t = t.trim();
            t == industry || (KEY_INDUSTRIES.contains(&industry) && t.ends_with(industry))
        })
}

/// An enterprise of a plan's pool: in the unit's scope and enrolled in the campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolEnterprise {
    /// The id it is drawn under: its USCC (stable, published).
    pub uscc: String,
    /// A key enterprise (重点企业).
    pub is_key: bool,
    /// Its industry.
    pub industry: String,
}

impl PoolEnterprise {
    /// Inspected in full: a key enterprise, or one in a key industry of the campaign.
    pub fn is_mandatory(&self, target_industries: &[String]) -> bool {
        self.is_key || in_key_industry(&self.industry, target_industries)
    }
}

/// An officer who can be drawn into the pairs: the certificate number the draw uses and the
/// account it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawOfficer {
    /// Certificate number (执法证号), trimmed.
    pub certificate: String,
    /// The account.
    pub user_id: i64,
    /// Name shown.
    pub name: String,
}

/// The officers of `officers` (the unit's active officers) whose certificate is valid on `on`,
/// the plan's first day, in certificate-number order.
///
/// # Errors
/// Invalid, field `officers`: two officers with the same certificate number (the draw could not
/// tell them apart); fewer than two certified officers (a pair cannot be drawn).
pub fn draw_officers(officers: &[Officer], on: NaiveDate) -> Result<Vec<DrawOfficer>, Refusal> {
    let mut out: Vec<DrawOfficer> = officers
        .iter()
        .filter_map(|o| {
            let c = o.certificate.as_ref()?;
            c.is_valid_on(on).then(|| DrawOfficer {
                certificate: c.number.trim().to_string(),
                user_id: o.user_id,
                name: o.name.clone(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.certificate.cmp(&b.certificate));
    for pair in out.windows(2) {
        if pair[0].certificate == pair[1].certificate {
            return Err(Refusal::invalid(format!(
                "执法人员{}与{}登记的执法证号相同（{}），请安委办核对后再抽取",
                pair[0].name, pair[1].name, pair[0].certificate
            ))
            .on("officers"));
        }
    }
    if out.len() < OFFICERS_PER_TARGET {
        return Err(Refusal::invalid(format!(
            "本单位执法证在{on}有效的执法人员只有{}名，至少需要两名才能抽取检查组；\
             请安委办为执法人员登记执法证",
            out.len()
        ))
        .on("officers"));
    }
    Ok(out)
}

/// The draw request of a plan: every enterprise of the pool a candidate, the mandatory ones
/// listed as such, the officers' certificate numbers, and `k` from the size.
///
/// # Errors
/// Invalid: an empty pool (field `pool`); a share above 100 % (field `share`).
pub fn request(
    seed: &str,
    pool: &[PoolEnterprise],
    target_industries: &[String],
    officers: &[DrawOfficer],
    size: DrawSize,
) -> Result<DrawRequest, Refusal> {
    if pool.is_empty() {
        return Err(Refusal::invalid(
            "本单位监管范围内没有参加本次专项治理的企业，无法制定检查计划",
        )
        .on("pool"));
    }
    let mandatory: Vec<String> = pool
        .iter()
        .filter(|e| e.is_mandatory(target_industries))
        .map(|e| e.uscc.clone())
        .collect();
    let rest = pool.len() - mandatory.len();
    Ok(DrawRequest {
        seed: seed.to_string(),
        candidates: pool.iter().map(|e| e.uscc.clone()).collect(),
        officers: officers.iter().map(|o| o.certificate.clone()).collect(),
        mandatory,
        k: size.k(rest)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enforcement::draw;
    use crate::enforcement::officers::Certificate;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn officer(id: i64, number: &str, from: &str, until: &str) -> Officer {
        Officer {
            user_id: id,
            name: format!("执法{id}"),
            certificate: Some(Certificate {
                number: number.into(),
                valid_from: d(from),
                valid_until: d(until),
            }),
        }
    }

    #[test]
    fn key_industries_match_the_roster_and_the_plan_names() {
        let plan: Vec<String> = ["危险化学品", "规模以上（或限额以上）工贸"]
            .map(String::from)
            .to_vec();
        assert!(in_key_industry("危险化学品", &plan));
        assert!(in_key_industry("工贸", &plan));
        assert!(in_key_industry("规模以上（或限额以上）工贸", &plan));
        assert!(!in_key_industry("其他", &plan));
        assert!(!in_key_industry("化学品", &plan));
        assert!(!in_key_industry("", &plan));
        let e = PoolEnterprise {
            uscc: "x".into(),
            is_key: true,
            industry: "其他".into(),
        };
        assert!(e.is_mandatory(&plan));
        assert!(!PoolEnterprise { is_key: false, ..e }.is_mandatory(&plan));
    }

    #[test]
    fn officers_certified_on_the_first_day() {
        let all = [
            officer(1, "B002", "2024-01-01", "2026-12-31"),
            officer(2, "A001", "2024-07-01", "2026-12-31"),
            officer(3, "C003", "2020-01-01", "2024-06-30"),
            Officer {
                user_id: 4,
                name: "执法4".into(),
                certificate: None,
            },
        ];
        let got = draw_officers(&all, d("2024-07-01")).unwrap();
        assert_eq!(
            got.iter()
                .map(|o| (o.certificate.as_str(), o.user_id))
                .collect::<Vec<_>>(),
            [("A001", 2), ("B002", 1)]
        );
        let r = draw_officers(&all, d("2023-12-31")).unwrap_err();
        assert_eq!(r.field(), Some("officers"));
        assert_eq!(
            r.message(),
            "本单位执法证在2023-12-31有效的执法人员只有1名，至少需要两名才能抽取检查组；\
             请安委办为执法人员登记执法证"
        );
        let twins = [
            officer(1, "A001", "2024-01-01", "2026-12-31"),
            officer(2, "A001 ", "2024-01-01", "2026-12-31"),
        ];
        let r = draw_officers(&twins, d("2024-07-01")).unwrap_err();
        assert_eq!(
            (r.message(), r.field()),
            (
                "执法人员执法1与执法2登记的执法证号相同（A001），请安委办核对后再抽取",
                Some("officers")
            )
        );
    }

    #[test]
    fn inputs_are_checked() {
        let ok = PlanInput {
            starts_on: d("2024-07-01"),
            ends_on: d("2024-10-31"),
            size: DrawSize::Count(3),
        };
        assert!(ok.check().is_ok());
        let r = PlanInput {
            ends_on: d("2024-06-30"),
            ..ok.clone()
        }
        .check()
        .unwrap_err();
        assert_eq!(
            (r.message(), r.field()),
            ("计划截止日期不能早于开始日期", Some("ends_on"))
        );
        let r = PlanInput {
            size: DrawSize::Share(Share::Percent(101)),
            ..ok.clone()
        }
        .check()
        .unwrap_err();
        assert_eq!(r.field(), Some("share"));
        let r = PlanInput {
            size: DrawSize::Count(MAX_COUNT + 1),
            ..ok
        }
        .check()
        .unwrap_err();
        assert_eq!(r.field(), Some("count"));
        assert_eq!(check_reason("  ", false).unwrap(), "");
        assert_eq!(
            check_reason(" 开奖号码录错 ", true).unwrap(),
            "开奖号码录错"
        );
        assert_eq!(check_reason("", true).unwrap_err().field(), Some("reason"));
        assert!(check_reason(&"理".repeat(REASON_MAX_CHARS + 1), false).is_err());
        assert_eq!(DrawSize::Count(5).describe(), "抽取5家");
        assert_eq!(DrawSize::Share(Share::Percent(70)).describe(), "抽取70%");
        assert_eq!(
            DrawSize::Share(Share::PerMille(125)).describe(),
            "抽取12.5%"
        );
    }

    /// Vector 2 of docs/draw.md built from a pool: the key enterprise is mandatory, 3 of the 7
    /// others drawn, the pairs as written there.
    #[test]
    fn a_pool_gives_the_documented_draw() {
        let ids = [
            "91450103MA5K7Q2B14",
            "91450103MA5KB8N3XF",
            "91450103MA5L0C6D4U",
            "91450103MA5L3FH7PU",
            "91450103MA5LA2R9EP",
            "91450103MA5M1T4G8F",
            "91450103MA5MC6W2JW",
            "91450103MA5N8U3Y5Y",
        ];
        let pool: Vec<PoolEnterprise> = ids
            .iter()
            .map(|id| PoolEnterprise {
                uscc: (*id).into(),
                is_key: *id == "91450103MA5L3FH7PU",
                industry: "其他".into(),
            })
            .collect();
        let officers: Vec<DrawOfficer> = (1..=5)
            .map(|k| DrawOfficer {
                certificate: format!("4501032400{k}"),
                user_id: k,
                name: format!("执法{k}"),
            })
            .collect();
        let seed = "2024-07-01 福彩3D第2024175期 开奖号码 3 7 1";
        let req = request(seed, &pool, &[], &officers, DrawSize::Count(3)).unwrap();
        assert_eq!(req.k, 3);
        let got = draw::draw(&req).unwrap();
        let rows: Vec<(&str, bool, &str, &str)> = got
            .targets
            .iter()
            .map(|t| {
                (
                    t.id.as_str(),
                    t.mandatory,
                    t.officers[0].as_str(),
                    t.officers[1].as_str(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("91450103MA5L3FH7PU", true, "45010324002", "45010324003"),
                ("91450103MA5LA2R9EP", false, "45010324004", "45010324001"),
                ("91450103MA5MC6W2JW", false, "45010324005", "45010324002"),
                ("91450103MA5M1T4G8F", false, "45010324003", "45010324004"),
            ]
        );
        // A share: 50 % of the 7 others is 3.5, rounded up to 4.
        let req = request(
            seed,
            &pool,
            &[],
            &officers,
            DrawSize::Share(Share::Percent(50)),
        )
        .unwrap();
        assert_eq!(req.k, 4);
        // Every enterprise a key one: nothing to draw, the pairs only.
        let all_key: Vec<PoolEnterprise> = pool
            .iter()
            .map(|e| PoolEnterprise {
                industry: "危险化学品".into(),
                ..e.clone()
            })
            .collect();
        let req = request(
            seed,
            &all_key,
            &["危险化学品".to_string()],
            &officers,
            DrawSize::Count(3),
        )
        .unwrap();
        let got = draw::draw(&req).unwrap();
        assert_eq!(got.targets.len(), 8);
        assert!(got.targets.iter().all(|t| t.mandatory));
        let r = request(seed, &[], &[], &officers, DrawSize::Count(3)).unwrap_err();
        assert_eq!(r.field(), Some("pool"));
    }
}
