//! A unit's report submission (报送): the stage and annual reports the plan asks for, by the
//! unit officer of the unit that owes it; and the reporting status of the units a caller sees.

use std::collections::HashMap;

use chrono::NaiveDate;
use safeduty_core::attachment::FileKind;
use safeduty_core::calendar::Calendar;
use safeduty_core::policy::Action;
use safeduty_core::refusal::Refusal;
use safeduty_store::attachments::StoredFile;
use safeduty_store::campaigns::Campaign;
use safeduty_store::reports::{Document, ReportingUnit};
use safeduty_store::{Store, StoreError, reports};

use crate::{Caller, Error, campaigns, guard};

/// Longest note sent with a submission, in characters.
pub const NOTE_MAX_CHARS: usize = 500;

/// A report's document as uploaded: its bytes (to read its text) and the stored file.
#[derive(Debug, Clone)]
pub struct ReportFile<'a> {
    /// The bytes, as sent.
    pub bytes: &'a [u8],
    /// The file in the blob store.
    pub stored: &'a StoredFile,
}

/// A report `caller`'s unit may submit now: checked by [`open_report`], handed in by [`submit`].
#[derive(Debug, Clone)]
pub struct OpenReport {
    unit_id: i64,
    campaign_id: i64,
    key: String,
    today: NaiveDate,
}

/// Checks that `caller`'s unit may submit the report `key` on `today` (before its document is
/// read, so that a report not open yet is said as such whatever was sent).
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] for a caller without a unit or campaign, or an
/// unknown report; a [`Refusal`] (conflict) for a report on a phase or a year before its last
/// day (`ReportDue::check_open`).
pub async fn open_report(
    store: &Store,
    caller: &Caller<'_>,
    calendar: &Calendar,
    today: NaiveDate,
    key: &str,
) -> Result<OpenReport, Error> {
    guard::require(store, caller, Action::SubmitReport, None).await?;
    let unit_id = caller.user.unit_id.ok_or(Error::NotFound)?;
    let campaign = campaigns::current(store, caller).await?;
    let due = safeduty_core::reporting::reports_due(&campaign.template, campaign.year, calendar);
    let report = due.iter().find(|r| r.key == key).ok_or(Error::NotFound)?;
    if let Err(opens) = report.check_open(today) {
        return Err(Refusal::conflict(format!(
            "“{}”报送的是该阶段（年度）的工作情况，{opens}起方可报送",
            report.name
        ))
        .into());
    }
    Ok(OpenReport {
        unit_id,
        campaign_id: campaign.id,
        key: key.to_string(),
        today,
    })
}

/// Records that `caller`'s unit submitted the report `open` ([`open_report`]) with its document
/// `file` (a .docx or PDF whose text can be read: the plan asks for "word或wps等方便提取文字内容
/// 的电子文档", plan §五) and `note`. The same document again changes nothing and is not an error
/// (a double click); another document for a report already submitted is refused (conflict): the
/// office returns it to be corrected.
///
/// # Errors
/// A [`Refusal`] on `file` for a missing document, one that is not a .docx or PDF or whose text
/// cannot be read; on `note` for a note too long or with control characters; store errors.
pub async fn submit(
    store: &Store,
    caller: &Caller<'_>,
    open: &OpenReport,
    note: &str,
    file: Option<ReportFile<'_>>,
) -> Result<(), Error> {
    if safeduty_core::text::has_control_chars(note) || note.chars().count() > NOTE_MAX_CHARS {
        return Err(Refusal::invalid("备注过长或含有不可见的控制字符")
            .on("note")
            .into());
    }
    let Some(file) = file else {
        return Err(
            Refusal::invalid("请上传报告文件（Word文档.docx或PDF，须能提取文字）")
                .on("file")
                .into(),
        );
    };
    if !matches!(file.stored.kind, FileKind::Docx | FileKind::Pdf) {
        return Err(Refusal::invalid(format!(
            "“{}”不是Word文档（.docx）或PDF：请将WPS或.doc文件另存为.docx后上传",
            file.stored.name
        ))
        .on("file")
        .into());
    }
    let text = crate::heavy::read_document(file.bytes, &file.stored.name)
        .await
        .map_err(|e| {
            Refusal::invalid(format!("“{}”无法读取文字：{e}", file.stored.name)).on("file")
        })?;
    if text.trim().is_empty() {
        return Err(Refusal::invalid(format!(
            "“{}”中没有可提取的文字（扫描件请附文字版）",
            file.stored.name
        ))
        .on("file")
        .into());
    }
    let document = reports::NewDocument {
        sha256: file.stored.sha256.clone(),
        file_name: file.stored.name.clone(),
        kind: file.stored.kind.code().into(),
        size: file.stored.size,
        text,
    };
    match reports::submit(
        store,
        &caller.who(),
        open.campaign_id,
        open.unit_id,
        &open.key,
        open.today,
        note.trim(),
        Some(&document),
    )
    .await
    {
        Ok(()) => Ok(()),
        Err(StoreError::Conflict(m)) => Err(Refusal::conflict(m).on("file").into()),
        Err(e) => Err(e.into()),
    }
}

/// What the reporting status (`/reports`, `GET /api/v1/reports`) is made of.
#[derive(Debug, Clone)]
pub struct Status {
    /// The caller's campaign: the reports due come from its template.
    pub campaign: Campaign,
    /// The units in the caller's unit scope: every unit for the committee office and assessors,
    /// its own for a unit officer ([`reports::units`]).
    pub units: Vec<ReportingUnit>,
    /// The campaign's submission dates, by (unit id, report key).
    pub submissions: HashMap<(i64, String), NaiveDate>,
}

/// The reporting status `caller` may see ([`Action::ViewReports`]).
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] without a campaign; store errors.
pub async fn status(store: &Store, caller: &Caller<'_>) -> Result<Status, Error> {
    guard::require(store, caller, Action::ViewReports, None).await?;
    let campaign = campaigns::current(store, caller).await?;
    let units = reports::units(store, &caller.user.unit_scope).await?;
    let submissions = reports::submissions(store, campaign.id).await?;
    Ok(Status {
        campaign,
        units,
        submissions,
    })
}

/// One unit's report as the reports pages show it: the unit, the report, its documents.
#[derive(Debug, Clone)]
pub struct ReportRecord {
    /// The unit that owes it.
    pub unit: ReportingUnit,
    /// The report.
    pub report: safeduty_core::reporting::ReportDue,
    /// The day it was submitted, while it stands (not returned).
    pub submitted_on: Option<NaiveDate>,
    /// Its documents, newest first, the returned ones included.
    pub documents: Vec<Document>,
    /// Whether the caller may return it (the committee office of the unit's region).
    pub may_return: bool,
}

impl ReportRecord {
    /// Whether the caller may return it now: submitted with a document not returned yet.
    pub fn returnable(&self) -> bool {
        self.may_return
            && self.submitted_on.is_some()
            && self.documents.first().is_some_and(|d| d.returned.is_none())
    }
}

/// The report `key` of the unit `unit_id` with its documents, for a caller who sees the unit's
/// reporting ([`Action::ViewReports`], the unit in the caller's unit scope).
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] for a unit outside the caller's units, an unknown
/// report or no campaign; store errors.
pub async fn record(
    store: &Store,
    caller: &Caller<'_>,
    calendar: &Calendar,
    unit_id: i64,
    key: &str,
) -> Result<ReportRecord, Error> {
    let status = status(store, caller).await?;
    let unit = status
        .units
        .iter()
        .find(|u| u.id == unit_id)
        .cloned()
        .ok_or(Error::NotFound)?;
    let report = safeduty_core::reporting::reports_due(
        &status.campaign.template,
        status.campaign.year,
        calendar,
    )
    .into_iter()
    .find(|r| r.key == key)
    .ok_or(Error::NotFound)?;
    let documents = reports::documents(store, status.campaign.id, unit_id, key).await?;
    let may_return = caller.user.role == safeduty_core::policy::Role::CommitteeOffice;
    Ok(ReportRecord {
        submitted_on: status.submissions.get(&(unit_id, key.to_string())).copied(),
        unit,
        report,
        documents,
        may_return,
    })
}

/// The document `public_id` of the report `key` of unit `unit_id`, for whoever may read the
/// report ([`record`]).
///
/// # Errors
/// As [`record`]; [`Error::NotFound`] for a document not of that report.
pub async fn document(
    store: &Store,
    caller: &Caller<'_>,
    calendar: &Calendar,
    unit_id: i64,
    key: &str,
    public_id: &str,
) -> Result<Document, Error> {
    record(store, caller, calendar, unit_id, key)
        .await?
        .documents
        .into_iter()
        .find(|d| d.public_id == public_id)
        .ok_or(Error::NotFound)
}

/// Returns the report `key` of unit `unit_id` with `reason` on `today` (the committee office of
/// the unit's region): it is owed again; its document stays, marked returned.
///
/// # Errors
/// As [`record`]; [`Error::Forbidden`] for anyone but the committee office; a [`Refusal`] on
/// `reason` (missing, too long, control characters); a conflict when it is not submitted.
pub async fn return_report(
    store: &Store,
    caller: &Caller<'_>,
    calendar: &Calendar,
    unit_id: i64,
    key: &str,
    reason: &str,
    today: NaiveDate,
) -> Result<(), Error> {
    let r = record(store, caller, calendar, unit_id, key).await?;
    guard::require_in_region(store, caller, Action::OverseeUnits, &r.unit.region_path).await?;
    if !safeduty_core::finding::valid_reason(reason) {
        return Err(
            Refusal::invalid("请填写退回理由（不超过500字，不能含控制字符）")
                .on("reason")
                .into(),
        );
    }
    let campaign = campaigns::current(store, caller).await?;
    match reports::return_report(
        store,
        &caller.who(),
        campaign.id,
        unit_id,
        key,
        today,
        reason.trim(),
    )
    .await
    {
        Ok(()) => Ok(()),
        Err(StoreError::Conflict(m)) => Err(Refusal::conflict(m).into()),
        Err(e) => Err(e.into()),
    }
}
