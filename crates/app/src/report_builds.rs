//! Generated reports (issue #15 point 2): the stage and annual reports drafted from the data as
//! of the period's end, for a unit (its enterprises) or for the committee office's region.
//! [`figures`] counts, [`document`] lays the report out (GB/T 9704, `safeduty_office::report`);
//! the web's drafts and the CLI's `report build` both come here.

use chrono::NaiveDate;
use safeduty_core::attachment::FileKind;
use safeduty_core::calendar::Calendar;
use safeduty_core::policy::{Action, Scope, UnitScope};
use safeduty_core::refusal::Refusal;
use safeduty_core::reporting::{Figures, ReportDue, ReportKind, kind_of, permille};
use safeduty_core::text::has_control_chars;
use safeduty_office::report::{Report, SECTIONS};
use safeduty_store::attachments::{BlobStore, StoredFile};
use safeduty_store::campaigns::Campaign;
use safeduty_store::reports::{Draft, ReportingUnit};
use safeduty_store::{Store, StoreError, report_figures};

use crate::{Caller, Error, guard};

/// Whom a generated report is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A territorial unit or an industry department: the enterprises it supervises, its own
    /// measures; addressed to its committee office.
    Unit {
        /// The unit.
        unit: ReportingUnit,
        /// The committee office it reports to (the addressee), empty when the region has none.
        office: String,
    },
    /// The committee office's region: every enterprise of the subtree, every unit's measures,
    /// and the units lagging behind.
    Region {
        /// The region's materialized path.
        path: String,
        /// The committee office (the issuer).
        office: String,
        /// The addressee: the committee office of the region above, empty for none.
        addressee: String,
    },
}

impl Subject {
    /// Who issues the report.
    pub fn issuer(&self) -> &str {
        match self {
            Subject::Unit { unit, .. } => &unit.name,
            Subject::Region { office, .. } => office,
        }
    }

    /// To whom it goes.
    pub fn addressee(&self) -> &str {
        match self {
            Subject::Unit { office, .. } => office,
            Subject::Region { addressee, .. } => addressee,
        }
    }
}

/// The figures of `report` (a stage or annual report of `campaign`) for `subject`, as of the
/// report's period end (the phase's or the year's last day, [`ReportDue::opens`]); `progress`
/// is told (done, of) as the units of a region are compared.
///
/// # Errors
/// [`Error::NotFound`] for a report that is not a generated one (no period end); store errors.
pub async fn figures(
    store: &Store,
    campaign: &Campaign,
    subject: &Subject,
    report: &ReportDue,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<Figures, Error> {
    let end = report.opens.ok_or(Error::NotFound)?;
    if kind_of(&campaign.template, &report.key).is_none() {
        return Err(Error::NotFound);
    }
    let (scope, units) = match subject {
        Subject::Unit { unit, .. } => (unit.scope(), vec![unit.clone()]),
        Subject::Region { path, .. } => (
            Scope::RegionSubtree {
                region_path: path.clone(),
            },
            safeduty_store::reports::units(
                store,
                &UnitScope::RegionSubtree {
                    region_path: path.clone(),
                },
            )
            .await?,
        ),
    };
    let ids: Vec<i64> = units.iter().map(|u| u.id).collect();
    fn period<'a>(
        campaign: &Campaign,
        scope: &'a Scope,
        unit_ids: &'a [i64],
        end: chrono::NaiveDate,
    ) -> report_figures::Period<'a> {
        report_figures::Period {
            campaign_id: campaign.id,
            year: campaign.year,
            scope,
            unit_ids,
            end,
        }
    }
    let mut f = report_figures::as_of(store, &period(campaign, &scope, &ids, end)).await?;
    let order = &campaign.template.target_industries;
    f.by_industry.sort_by_key(|(industry, _, _)| {
        order
            .iter()
            .position(|i| i == industry)
            .unwrap_or(order.len())
    });
    if let Subject::Region { .. } = subject {
        let rate = f.self_inspection_rate();
        let mut lagging = Vec::new();
        for (k, u) in units.iter().enumerate() {
            progress(k, units.len());
            let (unit_scope, unit_ids) = (u.scope(), [u.id]);
            let g = report_figures::as_of(store, &period(campaign, &unit_scope, &unit_ids, end))
                .await?;
            let r = permille(g.self_inspected, g.enterprises);
            if g.enterprises > 0 && r < rate {
                lagging.push((u.name.clone(), r));
            }
        }
        progress(units.len(), units.len());
        lagging.sort_by_key(|(_, r)| *r);
        f.lagging = lagging;
    }
    Ok(f)
}

/// The title of `kind`'s report of `campaign` by `issuer`: `{issuer}关于{campaign}阶段性进展
/// 情况的报告` or `…年度工作情况的报告`.
pub fn title(issuer: &str, campaign: &Campaign, kind: ReportKind) -> String {
    let what = match kind {
        ReportKind::Stage => "阶段性进展情况",
        ReportKind::Annual => "年度工作情况",
    };
    format!("{issuer}关于{}{what}的报告", campaign.name)
}

/// The report laid out: `subject`'s `report` with `figures`, `sections` (the three texts of
/// [`safeduty_office::report::SECTIONS`]), `doc_number` and `date`.
///
/// # Errors
/// [`Error::NotFound`] for a report that is not a generated one.
pub fn document(
    campaign: &Campaign,
    subject: &Subject,
    report: &ReportDue,
    figures: Figures,
    sections: [String; 3],
    doc_number: &str,
    date: chrono::NaiveDate,
) -> Result<Report, Error> {
    let kind = kind_of(&campaign.template, &report.key).ok_or(Error::NotFound)?;
    Ok(Report {
        title: title(subject.issuer(), campaign, kind),
        doc_number: doc_number.to_string(),
        addressee: subject.addressee().to_string(),
        issuer: subject.issuer().to_string(),
        date,
        figures,
        sections,
    })
}

/// What a section not written yet says in a document built without a draft (the CLI's, or a
/// download before the author writes): a prompt to write it.
pub const UNWRITTEN: &str = "（待填写）";

/// The text of `subject`'s saved draft of the report `key` in the order of
/// [`safeduty_office::report::SECTIONS`], [`UNWRITTEN`] for a section not written (a region's
/// report has no draft in the product: every section unwritten).
///
/// # Errors
/// Store errors.
pub async fn saved_sections(
    store: &Store,
    campaign: &Campaign,
    subject: &Subject,
    key: &str,
) -> Result<[String; 3], Error> {
    let draft = match subject {
        Subject::Unit { unit, .. } => {
            safeduty_store::reports::draft(store, campaign.id, unit.id, key)
                .await?
                .unwrap_or_default()
        }
        Subject::Region { .. } => Draft::default(),
    };
    Ok(sections_or_prompts(&draft))
}

fn sections_or_prompts(d: &Draft) -> [String; 3] {
    [&d.work, &d.problems, &d.next_steps].map(|s| {
        if s.trim().is_empty() {
            UNWRITTEN.to_string()
        } else {
            s.clone()
        }
    })
}

/// Longest text section, in characters.
pub const SECTION_MAX_CHARS: usize = 20_000;
/// Longest document number, in characters.
pub const NUMBER_MAX_CHARS: usize = 50;

/// A unit's generated report as its page shows it: the draft and, once the period is over,
/// the figures as of its end.
#[derive(Debug, Clone)]
pub struct DraftView {
    /// The saved draft (empty sections when none was saved).
    pub draft: Draft,
    /// The figures as of the period's end, once it has ended; `None` before.
    pub figures: Option<Figures>,
    /// Whether the caller writes it (the unit's own officer).
    pub may_edit: bool,
}

/// The unit `unit_id` the caller may read the report of, the campaign and the report, checked
/// as [`crate::reports::record`] does; `None` when the report is not a generated one.
async fn generated(
    store: &Store,
    caller: &Caller<'_>,
    calendar: &Calendar,
    unit_id: i64,
    key: &str,
) -> Result<Option<(Subject, Campaign, ReportDue)>, Error> {
    let record = crate::reports::record(store, caller, calendar, unit_id, key).await?;
    let campaign = crate::campaigns::current(store, caller).await?;
    if kind_of(&campaign.template, key).is_none() || record.report.opens.is_none() {
        return Ok(None);
    }
    let office = safeduty_store::reports::committee_office(store, &record.unit.region_path)
        .await?
        .unwrap_or_default();
    Ok(Some((
        Subject::Unit {
            unit: record.unit,
            office,
        },
        campaign,
        record.report,
    )))
}

/// The draft of unit `unit_id`'s report `key` for whoever may read the report, on `today`;
/// `None` for a report that is not generated (unit plans, recurring reports).
///
/// # Errors
/// As [`crate::reports::record`]; store errors.
pub async fn draft_view(
    store: &Store,
    caller: &Caller<'_>,
    calendar: &Calendar,
    today: NaiveDate,
    unit_id: i64,
    key: &str,
) -> Result<Option<DraftView>, Error> {
    let Some((subject, campaign, report)) =
        generated(store, caller, calendar, unit_id, key).await?
    else {
        return Ok(None);
    };
    let draft = safeduty_store::reports::draft(store, campaign.id, unit_id, key)
        .await?
        .unwrap_or_default();
    let figures = if report.check_open(today).is_ok() {
        Some(figures(store, &campaign, &subject, &report, &mut |_, _| {}).await?)
    } else {
        None
    };
    let may_edit = caller.user.unit_id == Some(unit_id)
        && safeduty_core::policy::authorize(&caller.actor(), Action::SubmitReport, None).is_ok();
    Ok(Some(DraftView {
        draft,
        figures,
        may_edit,
    }))
}

/// Checks a draft as typed: each section at most [`SECTION_MAX_CHARS`], the number at most
/// [`NUMBER_MAX_CHARS`] on one line, no control characters.
fn check(draft: &Draft) -> Result<(), Error> {
    for (field, label, text) in [
        ("work", SECTIONS[0], &draft.work),
        ("problems", SECTIONS[1], &draft.problems),
        ("next_steps", SECTIONS[2], &draft.next_steps),
    ] {
        if has_control_chars(text) || text.chars().count() > SECTION_MAX_CHARS {
            return Err(Refusal::invalid(format!(
                "“{label}”过长（不超过{SECTION_MAX_CHARS}字）或含有不可见的控制字符"
            ))
            .on(field)
            .into());
        }
    }
    if has_control_chars(&draft.doc_number)
        || draft.doc_number.contains('\n')
        || draft.doc_number.chars().count() > NUMBER_MAX_CHARS
    {
        return Err(
            Refusal::invalid(format!("发文字号应为一行，不超过{NUMBER_MAX_CHARS}字"))
                .on("doc_number")
                .into(),
        );
    }
    Ok(())
}

/// The caller's own unit's generated report `key`: refused (403) for anyone but the unit's
/// officer.
async fn own(
    store: &Store,
    caller: &Caller<'_>,
    calendar: &Calendar,
    unit_id: i64,
    key: &str,
) -> Result<(Subject, Campaign, ReportDue), Error> {
    let found = generated(store, caller, calendar, unit_id, key).await?;
    guard::require(store, caller, Action::SubmitReport, None).await?;
    if caller.user.unit_id != Some(unit_id) {
        return Err(Error::Forbidden);
    }
    found.ok_or(Error::NotFound)
}

/// Saves `draft` as the caller's unit's draft of report `key` (audited; the same text again
/// writes nothing). Drafts may be written before the period ends.
///
/// # Errors
/// As [`crate::reports::record`]; [`Error::Forbidden`] for anyone but the unit's officer;
/// [`Error::NotFound`] for a report that is not generated; a [`Refusal`] for a text too long
/// or with control characters; store errors.
pub async fn save_draft(
    store: &Store,
    caller: &Caller<'_>,
    calendar: &Calendar,
    unit_id: i64,
    key: &str,
    draft: &Draft,
) -> Result<(), Error> {
    let (_, campaign, _) = own(store, caller, calendar, unit_id, key).await?;
    check(draft)?;
    let draft = Draft {
        work: draft.work.trim().to_string(),
        problems: draft.problems.trim().to_string(),
        next_steps: draft.next_steps.trim().to_string(),
        doc_number: draft.doc_number.trim().to_string(),
    };
    safeduty_store::reports::save_draft(store, &caller.who(), campaign.id, unit_id, key, &draft)
        .await?;
    Ok(())
}

/// The report laid out from the saved draft as of `today` (the document's date), for whoever
/// may read the report: the .docx to download, edit in Word or WPS and hand in.
///
/// # Errors
/// As [`crate::reports::record`]; [`Error::NotFound`] for a report that is not generated; a
/// [`Refusal`] (conflict) before the period ends; store errors; [`Error::Store`] when the
/// package cannot be written.
pub async fn draft_docx(
    store: &Store,
    caller: &Caller<'_>,
    calendar: &Calendar,
    today: NaiveDate,
    unit_id: i64,
    key: &str,
) -> Result<(String, Vec<u8>), Error> {
    let (subject, campaign, report) = generated(store, caller, calendar, unit_id, key)
        .await?
        .ok_or(Error::NotFound)?;
    if let Err(opens) = report.check_open(today) {
        return Err(Refusal::conflict(format!(
            "“{}”的数据统计至该阶段（年度）结束，{opens}起方可生成",
            report.name
        ))
        .into());
    }
    let sections = saved_sections(store, &campaign, &subject, key).await?;
    let draft = safeduty_store::reports::draft(store, campaign.id, unit_id, key)
        .await?
        .unwrap_or_default();
    let (title, bytes) = laid_out(
        store,
        (&campaign, &subject, &report),
        sections,
        &draft.doc_number,
        today,
    )
    .await?;
    Ok((format!("{title}.docx"), bytes))
}

/// Report `report` of `subject` computed and laid out as a GB/T 9704 .docx dated `date`: its
/// title and bytes.
async fn laid_out(
    store: &Store,
    (campaign, subject, report): (&Campaign, &Subject, &ReportDue),
    sections: [String; 3],
    doc_number: &str,
    date: NaiveDate,
) -> Result<(String, Vec<u8>), Error> {
    let f = figures(store, campaign, subject, report, &mut |_, _| {}).await?;
    let doc = document(campaign, subject, report, f, sections, doc_number, date)?;
    let bytes = doc
        .to_docx()
        .map_err(|e| Error::Store(StoreError::Corrupt(format!("report docx: {e}"))))?;
    Ok((doc.title, bytes))
}

/// 「生成并报送」: lays out the caller's unit's saved draft of report `key` on `today` as a GB/T
/// 9704 .docx, puts it in `blobs` and submits it as the report's document through
/// [`crate::reports::submit`] (kept as the record, audited; a report already handed in with
/// another document is refused as there).
///
/// # Errors
/// As [`own`]; the refusal of [`crate::reports::open_report`] before the period ends; a
/// [`Refusal`] naming the first empty section (nothing written); those of
/// [`crate::reports::submit`]; store errors.
pub async fn generate_and_submit(
    store: &Store,
    caller: &Caller<'_>,
    calendar: &Calendar,
    today: NaiveDate,
    unit_id: i64,
    key: &str,
    blobs: &dyn BlobStore,
) -> Result<(), Error> {
    let (subject, campaign, report) = own(store, caller, calendar, unit_id, key).await?;
    let open = crate::reports::open_report(store, caller, calendar, today, key).await?;
    let draft = safeduty_store::reports::draft(store, campaign.id, unit_id, key)
        .await?
        .unwrap_or_default();
    for (field, label, text) in [
        ("work", SECTIONS[0], &draft.work),
        ("problems", SECTIONS[1], &draft.problems),
        ("next_steps", SECTIONS[2], &draft.next_steps),
    ] {
        if text.trim().is_empty() {
            return Err(Refusal::invalid(format!(
                "“{label}”尚未填写：请填写并保存草稿后再生成报送"
            ))
            .on(field)
            .into());
        }
    }
    let sections = [draft.work, draft.problems, draft.next_steps];
    let (title, bytes) = laid_out(
        store,
        (&campaign, &subject, &report),
        sections,
        &draft.doc_number,
        today,
    )
    .await?;
    let sha256 = blobs.put(&bytes).await?;
    let stored = StoredFile {
        name: safeduty_core::attachment::clean_name(&format!("{title}.docx")),
        kind: FileKind::Docx,
        content_type: DOCX.into(),
        size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
        sha256,
        thumbnail_sha256: None,
    };
    crate::reports::submit(
        store,
        caller,
        &open,
        "系统生成（报告草稿）",
        Some(crate::reports::ReportFile {
            bytes: &bytes,
            stored: &stored,
        }),
    )
    .await
}

/// The media type of a .docx.
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
