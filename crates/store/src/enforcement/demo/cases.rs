//! The demo's penalty cases (issue #13 point 7): the 区应急管理局, which holds the penalty
//! powers, with cases on the enterprises it supervises standing at most steps of the procedure
//! — a draft, filed, under investigation, a hearing offered, heard, decided, served with the
//! payment limit running, paid, sent to enforcement, not punished — each step taken through the
//! core's state machine under the rules in force on its day, and left out when after the demo's
//! day; the paid case's exposure published, the person's drafted; the party of the case sent to
//! enforcement listed on the dishonesty list (issue #14).

use chrono::{Days, NaiveDate};
use safeduty_core::calendar::Calendar;
use safeduty_core::enforcement::case::{Answer, Decision, PenaltyNotice};
use safeduty_core::enforcement::exposure::ExposureText;
use safeduty_core::enforcement::penalty::{Band, Discretion, NoPenalty, Provision};
use safeduty_core::enforcement::rules::Rules;

use super::super::OfficerOnDuty;
use super::super::cases::{self, CaseSource, NewCase};
use super::super::{dishonesty, exposures};
use crate::audit::Who;
use crate::{Store, StoreError};

/// A step of a demo case, at a number of days after the phase's start.
#[derive(Debug, Clone, Copy)]
enum Step {
    File,
    Investigate,
    Notify(u32),
    OfferHearing,
    Answer(Answer, &'static str),
    Decide(u32, Band),
    NoPenalty,
    Serve,
    Pay,
    Enforce,
}

/// One demo case: the enterprise (index in the demo's order), the party (a person's name and
/// role, or the unit), the provision, the cause, whether it comes from the department's
/// inspection, and its steps.
struct DemoCase {
    index: usize,
    person: Option<(&'static str, &'static str)>,
    provision: Provision,
    cause: &'static str,
    from_inspection: bool,
    steps: &'static [(u64, Step)],
    /// The exposure drafted (days after the phase's start, the article violated) and, if
    /// given, published some days later.
    exposure: Option<(u64, &'static str, Option<u64>)>,
    /// The party's listing on the dishonesty list (issue #14): the days after the phase's start
    /// it was notified, decided and published.
    listing: Option<(u64, u64, u64)>,
}

const MANAGER: &str = "安全生产管理人员";

const CASES: [DemoCase; 9] = [
    DemoCase {
        index: 1,
        person: None,
        provision: Provision::Art97Unit,
        cause: "未按规定对有限空间作业实行审批和监护（演示数据）",
        from_inspection: true,
        steps: &[
            (22, Step::File),
            (23, Step::Investigate),
            (28, Step::Notify(50_000)),
            (28, Step::OfferHearing),
            (30, Step::Answer(Answer::Waived, "")),
            (42, Step::Decide(50_000, Band::General)),
            (43, Step::Serve),
            (50, Step::Pay),
        ],
        exposure: Some((
            52,
            "《中华人民共和国安全生产法》第四十三条（演示数据）",
            Some(54),
        )),
        listing: None,
    },
    DemoCase {
        index: 2,
        person: Some(("林志强", MANAGER)),
        provision: Provision::Art96Person,
        cause: "安全生产管理人员未履行安全生产管理职责（演示数据）",
        from_inspection: false,
        steps: &[
            (31, Step::File),
            (32, Step::Investigate),
            (39, Step::Notify(15_000)),
            (39, Step::OfferHearing),
            (
                42,
                Step::Answer(Answer::Statement, "称已组织整改，请求从轻处罚（演示数据）"),
            ),
            (56, Step::Decide(12_000, Band::Minor)),
            (58, Step::Serve),
        ],
        exposure: Some((
            60,
            "《中华人民共和国安全生产法》第二十五条（演示数据）",
            None,
        )),
        listing: None,
    },
    DemoCase {
        index: 3,
        person: None,
        provision: Provision::Art97Unit,
        cause: "未如实记录安全生产教育和培训情况（演示数据）",
        from_inspection: false,
        steps: &[
            (56, Step::File),
            (57, Step::Investigate),
            (66, Step::Notify(30_000)),
            (66, Step::OfferHearing),
        ],
        exposure: None,
        listing: None,
    },
    DemoCase {
        index: 4,
        person: None,
        provision: Provision::Art102Unit,
        cause: "未采取措施消除事故隐患（演示数据）",
        from_inspection: false,
        steps: &[(63, Step::File), (64, Step::Investigate)],
        exposure: None,
        listing: None,
    },
    DemoCase {
        index: 0,
        person: None,
        provision: Provision::Art97Unit,
        cause: "未按规定建立安全生产责任制考核制度（演示数据）",
        from_inspection: false,
        steps: &[],
        exposure: None,
        listing: None,
    },
    DemoCase {
        index: 2,
        person: None,
        provision: Provision::Art97Unit,
        cause: "未按规定公开安全生产管理制度（演示数据）",
        from_inspection: false,
        steps: &[
            (24, Step::File),
            (25, Step::Investigate),
            (31, Step::Notify(5_000)),
            (
                32,
                Step::Answer(Answer::Statement, "初次违法，已当场改正（演示数据）"),
            ),
            (36, Step::NoPenalty),
            (37, Step::Serve),
        ],
        exposure: None,
        listing: None,
    },
    DemoCase {
        index: 4,
        person: None,
        provision: Provision::Art97Unit,
        cause: "未按规定组织应急救援演练（演示数据）",
        from_inspection: false,
        steps: &[
            (21, Step::File),
            (22, Step::Investigate),
            (27, Step::Notify(20_000)),
            (29, Step::Answer(Answer::Waived, "")),
            (35, Step::Decide(20_000, Band::Minor)),
            (36, Step::Serve),
            (56, Step::Enforce),
        ],
        exposure: None,
        listing: Some((60, 66, 120)),
    },
    DemoCase {
        index: 0,
        person: None,
        provision: Provision::Art97Unit,
        cause: "未按规定配备专职安全生产管理人员（演示数据）",
        from_inspection: false,
        steps: &[
            (35, Step::File),
            (36, Step::Investigate),
            (42, Step::Notify(10_000)),
            (43, Step::Answer(Answer::Waived, "")),
            (62, Step::Decide(10_000, Band::Minor)),
        ],
        exposure: None,
        listing: None,
    },
    DemoCase {
        index: 3,
        person: Some(("周文斌", MANAGER)),
        provision: Provision::Art96Person,
        cause: "安全生产管理人员未检查本单位安全生产状况（演示数据）",
        from_inspection: false,
        steps: &[
            (50, Step::File),
            (51, Step::Investigate),
            (56, Step::Notify(10_000)),
            (56, Step::OfferHearing),
            (
                67,
                Step::Answer(Answer::Hearing, "听证中陈述已完成培训记录补录（演示数据）"),
            ),
        ],
        exposure: None,
        listing: None,
    },
];

/// What the demo's cases need of the enforcement seed.
pub(in crate::enforcement) struct Handling<'a> {
    /// The department's unit id.
    pub unit_id: i64,
    /// Its two certified officers.
    pub officers: &'a [OfficerOnDuty],
    /// Its inspection (with on-site measures) of enterprise index 1, if recorded.
    pub inspection_id: Option<i64>,
}

/// Seeds the demo's cases up to `today`, the phase starting on `start`.
///
/// # Errors
/// Store errors; a step the core refuses ([`StoreError::Refused`]) is a defect of the table.
pub(in crate::enforcement) async fn seed(
    store: &Store,
    who: &Who,
    h: &Handling<'_>,
    enterprise_ids: &[i64],
    start: NaiveDate,
    today: NaiveDate,
    calendar: &Calendar,
) -> Result<(), StoreError> {
    let rules = Rules::shipped();
    let discretion = Discretion::shipped();
    for c in &CASES {
        let Some(&enterprise_id) = enterprise_ids.get(c.index) else {
            continue;
        };
        let first = c
            .steps
            .first()
            .map_or(start + Days::new(60), |(d, _)| start + Days::new(*d));
        if first > today {
            continue;
        }
        let e = crate::org::enterprise_by_id(store, enterprise_id).await?;
        let source = match (c.from_inspection, h.inspection_id) {
            (true, Some(id)) => CaseSource::Inspection(id),
            _ => CaseSource::Direct,
        };
        let (kind, name, role) = match c.person {
            Some((name, role)) => ("person", name.to_string(), role),
            None => ("unit", e.name.clone(), ""),
        };
        let id = cases::draft(
            store,
            who,
            &NewCase {
                unit_id: h.unit_id,
                enterprise_id,
                source,
                cause: c.cause,
                facts: "",
                provision: c.provision.code(),
                party_kind: kind,
                party_name: &name,
                party_role: role,
                at_acceptance: None,
            },
        )
        .await?;
        for (offset, step) in c.steps {
            let on = start + Days::new(*offset);
            if on > today {
                break;
            }
            let rec = cases::get(store, &id).await?;
            if let Step::File = step {
                cases::file(store, who, &rec, on, h.officers).await?;
                continue;
            }
            let Some(mut next) = rec.case.clone() else {
                continue;
            };
            let mut note = rec.answer_note.clone();
            let code = match *step {
                Step::File => continue,
                Step::Investigate => {
                    next.investigate(on)?;
                    "investigate"
                }
                Step::Notify(amount) => {
                    next.notify(PenaltyNotice {
                        provision: c.provision,
                        amount,
                        heavy: None,
                        received_on: on,
                    })?;
                    "notify"
                }
                Step::OfferHearing => {
                    next.offer_hearing(on)?;
                    "offer_hearing"
                }
                Step::Answer(answer, said) => {
                    next.record_answer(answer, on)?;
                    note = said.to_string();
                    "answer"
                }
                Step::Decide(amount, band) => {
                    let fine = discretion.decide(c.provision, amount, Some(band), on)?;
                    next.decide(
                        Decision {
                            provision: c.provision,
                            amount,
                            band: fine.band.zip(fine.table.map(|(name, _)| name)),
                            decided_on: on,
                        },
                        &rules,
                        calendar,
                    )?;
                    "decide"
                }
                Step::NoPenalty => {
                    let np = NoPenalty::new(
                        "初次违法且危害后果轻微，已当场改正（演示数据）",
                        "预警提示、行政指导",
                        false,
                    )?;
                    next.decide_no_penalty(np, on, &rules, calendar)?;
                    "no_penalty"
                }
                Step::Serve => {
                    next.serve(on)?;
                    "serve"
                }
                Step::Pay => {
                    next.pay(on, &rules, calendar)?;
                    "pay"
                }
                Step::Enforce => {
                    next.enforce(on, &rules, calendar)?;
                    "enforce"
                }
            };
            cases::record_step(store, who, &rec, code, &next, &note).await?;
        }
        if let Some((drafted, article, published)) = c.exposure {
            let drafted = start + Days::new(drafted);
            let rec = cases::get(store, &id).await?;
            let (Some(case), true) = (&rec.case, drafted <= today) else {
                continue;
            };
            let text = ExposureText::of(case, &rec.summary.enterprise_name, c.cause, article)?;
            let x = exposures::draft(store, who, rec.summary.id, &text).await?;
            if let Some(on) = published.map(|d| start + Days::new(d))
                && on <= today
            {
                exposures::publish(store, who, &exposures::get(store, &x).await?, on).await?;
            }
        }
        if let Some((notified, decided, published)) = c.listing {
            listing(
                store,
                who,
                &id,
                start,
                (notified, decided, published),
                today,
                calendar,
            )
            .await?;
        }
    }
    Ok(())
}

/// The listing of the party of the case `id` for refusing to carry out its penalty (第六条第
/// （三）项), each step `days` after `start` taken if not after `today`.
async fn listing(
    store: &Store,
    who: &Who,
    id: &str,
    start: NaiveDate,
    (notified, decided, published): (u64, u64, u64),
    today: NaiveDate,
    calendar: &Calendar,
) -> Result<(), StoreError> {
    use safeduty_core::enforcement::dishonesty::{Listing, ListingData};
    let rules = Rules::shipped();
    let on = |d: u64| start + Days::new(d);
    let rec = cases::get(store, id).await?;
    let (Some(case), true) = (&rec.case, on(notified) <= today) else {
        return Ok(());
    };
    let data = ListingData::shipped();
    let mut l = Listing::notify(
        case.party.clone(),
        data.ground("penalty-evaded")?,
        "罚款决定送达后逾期不缴纳，经催告仍拒不履行，已申请人民法院强制执行（演示数据）",
        on(notified),
        &rules,
    )?;
    let listing_id = dishonesty::notify(store, who, rec.summary.id, &l).await?;
    for (day, step) in [(decided, "decide"), (published, "publish")] {
        if on(day) > today {
            break;
        }
        let current = dishonesty::get(store, &listing_id).await?;
        if step == "decide" {
            l.decide(
                on(day),
                "示应急失信〔2024〕1号（演示数据）",
                &rules,
                calendar,
            )?;
        } else {
            l.publish(
                on(day),
                "信用中国、区应急管理局网站（演示数据）",
                &rules,
                calendar,
            )?;
        }
        dishonesty::record_step(store, who, &current, step, &l).await?;
    }
    Ok(())
}
