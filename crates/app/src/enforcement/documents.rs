//! The documents of an inspection as Word files generated from the records (现场检查记录,
//! 责令限期整改指令书, 整改复查意见书, 现场处理措施决定书; templates are versioned data in
//! `safeduty-office`), and the signed scans kept as documents of record.

use chrono::{NaiveDate, NaiveTime};
use safeduty_core::enforcement::numbering::DocumentKind;
use safeduty_core::enforcement::rules::Span;
use safeduty_core::enforcement::violations::RecordedTexts;
use safeduty_core::policy::Action;
use safeduty_core::refusal::Refusal;
use safeduty_office::enforcement::template::Templates;
use safeduty_office::enforcement::{
    self as doc, CorrectionOrderDoc, InspectionRecordDoc, Issuer, OfficerLine, OnSiteMeasuresDoc,
    Party, ReInspectionDoc, Remedies,
};
use safeduty_store::Store;
use safeduty_store::attachments::StoredFile;
use safeduty_store::enforcement::authority::Settings;
use safeduty_store::enforcement::documents::{self, DocumentOfRecord, DocumentOwner, Upload};
use safeduty_store::enforcement::inspections::Inspection;
use safeduty_store::enforcement::{OfficerOnDuty, measures, orders};

use super::{authority, inspections};
use crate::{Caller, Error};

/// A generated document: its bytes, file name, number and the template version used.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The .docx bytes.
    pub bytes: Vec<u8>,
    /// File name: the document's title and number.
    pub file_name: String,
    /// The number printed on it.
    pub number: String,
    /// Template id and version, e.g. `correction_order v1`.
    pub template: String,
}

pub(crate) fn lines(officers: &[OfficerOnDuty]) -> Vec<OfficerLine> {
    officers
        .iter()
        .map(|o| OfficerLine {
            name: o.name.clone(),
            certificate_number: o.certificate_number.clone(),
        })
        .collect()
}

pub(crate) fn months_or_days(span: Span) -> u32 {
    match span {
        Span::CalendarDays(n) | Span::WorkingDays(n) | Span::Months(n) => n,
    }
}

pub(crate) async fn settings_of(
    store: &Store,
    i: &Inspection,
    on: NaiveDate,
) -> Result<(Settings, Remedies), Error> {
    let e = safeduty_store::org::enterprise_by_id(store, i.summary.enterprise_id).await?;
    let rules = super::rules_on(on, "date")?;
    let s = authority::settings_of(store, &e, &rules).await?;
    let remedies = Remedies {
        reconsideration_body: s.reconsideration_body.clone(),
        reconsideration_days: months_or_days(rules.reconsideration_within.value),
        court: s.court.clone(),
        litigation_months: months_or_days(rules.litigation_within.value),
    };
    Ok((s, remedies))
}

fn party(i: &Inspection) -> Party {
    Party {
        name: i.summary.enterprise_name.clone(),
        uscc: i.summary.enterprise_uscc.clone(),
        address: i.enterprise_address.clone(),
        principal: i.person_present.clone(),
        principal_title: i.person_present_title.clone(),
        phone: String::new(),
    }
}

fn time(s: &str) -> NaiveTime {
    NaiveTime::parse_from_str(s, "%H:%M").unwrap_or(NaiveTime::MIN)
}

/// Generates the document `kind` of the inspection `inspection_id` from its records, for a
/// caller who may read them.
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] when the document's record does not exist yet (no
/// order, no re-inspection, no measures); a [`Refusal`] when the records cannot make a valid
/// document; store errors.
pub async fn generate(
    store: &Store,
    caller: &Caller<'_>,
    inspection_id: &str,
    kind: DocumentKind,
) -> Result<Generated, Error> {
    let i =
        inspections::inspection_for(store, caller, inspection_id, Action::ReadEnforcement).await?;
    let templates = Templates::shipped();
    let issuer = Issuer {
        name: i.summary.unit_name.clone(),
    };
    // The texts the inspection was recorded with: a later edit of the library changes no
    // document of a past inspection.
    let library = RecordedTexts::new(i.violations.clone());
    let violation_text = |codes: &[String]| {
        codes
            .iter()
            .filter_map(|c| library.get(c))
            .map(|v| format!("{}（违反{}）", v.behaviour, v.violated))
            .collect::<Vec<_>>()
            .join("；")
    };
    let (settings, remedies) = settings_of(store, &i, i.summary.inspected_on).await?;
    let number_of =
        |k: DocumentKind| authority::number(&settings, k, i.summary.year, i.summary.seq);
    let number = number_of(kind);
    let out = match kind {
        DocumentKind::InspectionRecord => {
            let campaign = safeduty_store::campaigns::by_id(store, i.campaign_id).await?;
            let texts = campaign.template.all_items();
            InspectionRecordDoc {
                number: number.clone(),
                issuer,
                party: party(&i),
                place: i.place.clone(),
                date: i.summary.inspected_on,
                start: time(&i.start_time),
                end: time(&i.end_time),
                officers: lines(&i.officers),
                guests: i
                    .guests
                    .iter()
                    .map(|g| doc::Guest {
                        name: g.name.clone(),
                        kind: if g.kind == "media" {
                            doc::GuestKind::Media
                        } else {
                            doc::GuestKind::Expert
                        },
                        organisation: g.organisation.clone(),
                    })
                    .collect(),
                present: doc::PersonPresent {
                    name: i.person_present.clone(),
                    title: i.person_present_title.clone(),
                },
                notice: if i.summary.notice == "announced" {
                    doc::Notice::Announced
                } else {
                    doc::Notice::Unannounced
                },
                items: i
                    .items
                    .iter()
                    .map(|it| doc::ItemRow {
                        number: it.item_number.to_string(),
                        text: texts
                            .iter()
                            .find(|t| t.number == it.item_number)
                            .map(|t| t.text.clone())
                            .unwrap_or_default(),
                        result: match it.answer.as_str() {
                            "conform" => doc::ItemResult::Conforms,
                            "non_conform" => doc::ItemResult::Fails,
                            _ => doc::ItemResult::NotApplicable,
                        },
                        note: it.note.clone(),
                    })
                    .collect(),
                violations: i
                    .items
                    .iter()
                    .flat_map(|it| it.violation_codes.iter())
                    .filter_map(|c| library.get(c))
                    .map(|v| doc::SuspectedViolation {
                        behaviour: v.behaviour,
                        article_violated: v.violated,
                        penalty_article: v.penalty,
                    })
                    .collect(),
                summary: i.summary_text.clone(),
            }
            .generate(&templates)
        }
        DocumentKind::CorrectionOrder | DocumentKind::ReInspection => {
            let o = orders::of_inspection(store, i.summary.id)
                .await?
                .ok_or(Error::NotFound)?;
            let findings: Vec<doc::Finding> = o
                .findings
                .iter()
                .map(|f| doc::Finding {
                    description: f.description.clone(),
                    violation: violation_text(&f.violation_codes),
                })
                .collect();
            if kind == DocumentKind::CorrectionOrder {
                CorrectionOrderDoc {
                    number: number.clone(),
                    issuer,
                    party: party(&i),
                    inspection_date: i.summary.inspected_on,
                    inspection_record_number: number_of(DocumentKind::InspectionRecord),
                    findings,
                    due_on: o.due_on,
                    remedies,
                    officers: lines(&i.officers),
                    issued_on: o.issued_on,
                }
                .generate(&templates)
            } else {
                let re = orders::re_inspection_of(store, o.id)
                    .await?
                    .ok_or(Error::NotFound)?;
                ReInspectionDoc {
                    number: number.clone(),
                    issuer,
                    party: party(&i),
                    order_number: number_of(DocumentKind::CorrectionOrder),
                    order_date: o.issued_on,
                    date: re.inspected_on,
                    results: re
                        .results
                        .iter()
                        .map(|(f, result, note)| doc::ReInspectionResult {
                            finding: o
                                .findings
                                .iter()
                                .find(|x| &x.public_id == f)
                                .map(|x| x.description.clone())
                                .unwrap_or_default(),
                            corrected: result == "corrected",
                            note: note.clone(),
                        })
                        .collect(),
                    opinion: re.opinion.clone(),
                    remedies,
                    officers: lines(&re.officers),
                }
                .generate(&templates)
            }
        }
        DocumentKind::OnSiteMeasures => {
            let m = measures::of_inspection(store, i.summary.id)
                .await?
                .ok_or(Error::NotFound)?;
            OnSiteMeasuresDoc {
                number: number.clone(),
                issuer,
                party: party(&i),
                grounds: vec![doc::Finding {
                    description: m.reason.clone(),
                    violation: String::new(),
                }],
                measure: safeduty_core::enforcement::measures::MeasureKind::from_code(&m.kind)
                    .map_or_else(|| m.kind.clone(), |k| k.label().to_string()),
                from: m.starts_on,
                until: m.until_on,
                lifting_condition: "经复查确认隐患消除后，方可恢复".into(),
                remedies,
                officers: lines(&i.officers),
                date: m.decided_on,
            }
            .generate(&templates)
        }
        DocumentKind::CaseFiling => return Err(Error::NotFound),
    }
    .map_err(|e| Refusal::invalid(format!("文书生成失败：{e}")))?;
    Ok(Generated {
        file_name: format!("{}{}.docx", kind.label(), number),
        template: format!("{} v{}", out.template, out.version),
        bytes: out.bytes,
        number,
    })
}

/// Keeps the signed scan `file` of the document `kind` as its document of record; a scan
/// already kept is superseded, which needs `reason`.
///
/// # Errors
/// The guard's denials (only the inspecting unit's officers); [`Error::NotFound`] when the
/// document does not exist yet; a [`Refusal`] when superseding without a reason; store errors.
pub async fn upload(
    store: &Store,
    caller: &Caller<'_>,
    inspection_id: &str,
    kind: DocumentKind,
    file: &StoredFile,
    reason: &str,
) -> Result<String, Error> {
    let i = inspections::inspection_for(store, caller, inspection_id, Action::Enforce).await?;
    let reason = supersede_reason(
        store,
        DocumentOwner::Inspection(i.summary.id),
        kind.code(),
        reason,
    )
    .await?;
    let (settings, _) = settings_of(store, &i, i.summary.inspected_on).await?;
    let number = authority::number(&settings, kind, i.summary.year, i.summary.seq);
    Ok(documents::upload(
        store,
        &caller.who(),
        &Upload {
            owner: DocumentOwner::Inspection(i.summary.id),
            enterprise_id: i.summary.enterprise_id,
            document_kind: kind.code(),
            number: &number,
            file,
            supersede_reason: reason,
        },
    )
    .await?)
}

/// The reason of an upload of the document `kind` (a code) of `owner`, trimmed: required when
/// a current document of record of that kind exists, which the upload supersedes.
///
/// # Errors
/// A [`Refusal`] on `reason` when superseding without a valid reason; store errors.
pub(crate) async fn supersede_reason<'r>(
    store: &Store,
    owner: DocumentOwner,
    kind: &str,
    reason: &'r str,
) -> Result<&'r str, Error> {
    let superseding = documents::of(store, owner)
        .await?
        .iter()
        .any(|d| d.document_kind == kind && !d.superseded);
    let reason = reason.trim();
    if superseding && !safeduty_core::finding::valid_reason(reason) {
        return Err(Refusal::invalid("已有签章文书，重新上传须说明理由")
            .on("reason")
            .into());
    }
    Ok(reason)
}

/// The documents of record of an inspection the caller may read.
///
/// # Errors
/// The guard's denials; store errors.
pub async fn of_record(
    store: &Store,
    caller: &Caller<'_>,
    inspection_id: &str,
) -> Result<Vec<DocumentOfRecord>, Error> {
    let i =
        inspections::inspection_for(store, caller, inspection_id, Action::ReadEnforcement).await?;
    Ok(documents::of(store, DocumentOwner::Inspection(i.summary.id)).await?)
}
