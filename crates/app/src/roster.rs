//! The enterprise roster (名单) of a scope: the committee office imports for its region, a unit
//! officer for its own enterprises ([`Action::ImportRoster`]). An upload is kept (staged) and
//! previewed — new, changed field by field, unchanged, rejected with row, column and reason —
//! and previewed again with the header row and column fields a person names; confirming
//! imports every accepted row in one transaction, refused when the data changed since the
//! preview. The committee office keeps the industry table ([`Action::ManageIndustryTable`]);
//! officers and assessors export their scope's roster ([`Action::ExportRoster`]).
//!
//! Reading the file is `safeduty_roster`; what its cells mean is `safeduty_core::roster`; the
//! store previews and applies.

use safeduty_core::personal::Disclosure;
use safeduty_core::policy::{Action, Scope, authorize};
use safeduty_core::refusal::Refusal;
use safeduty_core::roster::Line;
use safeduty_core::roster::layout::{Choices, Layout, LayoutError, locate_with};
use safeduty_roster::Sheet;
use safeduty_roster::export::Format;
use safeduty_store::roster::{self, Applied, ImportScope, Preview};
use safeduty_store::{Store, StoreError};

use crate::{Caller, Error, guard};

/// The industry table as the import page shows it.
#[derive(Debug, Clone)]
pub struct IndustryTable {
    /// Detailed industry name → key industry.
    pub entries: Vec<(String, String)>,
    /// The caller may add or change entries ([`Action::ManageIndustryTable`]).
    pub editable: bool,
}

/// The industry table, shown with the import ([`Action::ImportRoster`]).
///
/// # Errors
/// The guard's denials, store errors.
pub async fn industry_table(store: &Store, caller: &Caller<'_>) -> Result<IndustryTable, Error> {
    guard::require(store, caller, Action::ImportRoster, None).await?;
    Ok(IndustryTable {
        entries: roster::industry_table(store).await?,
        editable: authorize(&caller.actor(), Action::ManageIndustryTable, None).is_ok(),
    })
}

/// Maps the detailed industry name `alias` to the key industry `industry` (one of the eight or
/// 其他); audited.
///
/// # Errors
/// The guard's denials; a [`Refusal`] (invalid) for an empty name or an unknown key industry;
/// store errors.
pub async fn set_industry(
    store: &Store,
    caller: &Caller<'_>,
    alias: &str,
    industry: &str,
) -> Result<(), Error> {
    guard::require(store, caller, Action::ManageIndustryTable, None).await?;
    roster::set_industry_alias(store, &caller.who(), alias, industry)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(m) => Refusal::invalid(m).into(),
            e => e.into(),
        })
}

/// A staged upload read with a person's choices.
#[derive(Debug, Clone)]
pub struct Staged {
    /// The staged upload's id, for another look and the confirmation.
    pub upload: String,
    /// The file's name as uploaded.
    pub file_name: String,
    /// What was read from it.
    pub sheet: Sheet,
    /// The header found (or named) and what importing would do; or why no header is there.
    pub located: Result<(Layout, Preview), LayoutError>,
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The file's name as uploaded.
    pub file_name: String,
    /// Created, changed, rejected, enrolled.
    pub applied: Applied,
}

/// Whose import it is: the caller's region, and an industry department's own unit. Fails
/// closed (404) for any other scope.
fn scope_of(caller: &Caller<'_>) -> Result<ImportScope, Error> {
    match &caller.user.scope {
        Scope::RegionSubtree { region_path } => Ok(ImportScope {
            region_path: region_path.clone(),
            department: None,
        }),
        Scope::Department {
            unit_id,
            region_path,
        } => Ok(ImportScope {
            region_path: region_path.clone(),
            department: Some(*unit_id),
        }),
        Scope::Enterprise { .. } | Scope::Nothing => Err(Error::NotFound),
    }
}

/// Reads a staged file again. Its bytes were read when it was staged, so a failure means the
/// request named something else: a [`Refusal`] on the field `upload`.
async fn read_staged(file_name: &str, bytes: &[u8]) -> Result<Sheet, Refusal> {
    crate::heavy::read_sheet(bytes)
        .await
        .map_err(|e| Refusal::invalid(format!("{file_name}：{e}")).on("upload"))
}

/// Locates the header of `sheet` with `choices` and previews the import into `scope`.
async fn evaluate(
    store: &Store,
    scope: &ImportScope,
    upload: String,
    file_name: String,
    sheet: Sheet,
    choices: &Choices,
) -> Result<Staged, Error> {
    let located = match locate_with(&sheet.grid, choices) {
        Ok(layout) => {
            let preview = roster::preview(store, scope, &layout).await?;
            Ok((layout, preview))
        }
        Err(e) => Err(e),
    };
    Ok(Staged {
        upload,
        file_name,
        sheet,
        located,
    })
}

/// Stages the roster `bytes` uploaded as `file_name` for `caller` (dropping the caller's earlier
/// upload) and previews it with the header found.
///
/// # Errors
/// The guard's denials; a [`Refusal`] (invalid) for a file that cannot be read (an old `.xls`,
/// an unknown encoding, …); store errors.
pub async fn stage(
    store: &Store,
    caller: &Caller<'_>,
    file_name: &str,
    bytes: &[u8],
) -> Result<Staged, Error> {
    guard::require(store, caller, Action::ImportRoster, None).await?;
    let scope = scope_of(caller)?;
    let sheet = crate::heavy::read_sheet(bytes)
        .await
        .map_err(|e| Refusal::invalid(format!("{file_name}：{e}")))?;
    let upload = roster::stage_upload(store, caller.user.id, file_name, bytes).await?;
    let file_name = file_name.to_string();
    evaluate(store, &scope, upload, file_name, sheet, &Choices::default()).await
}

/// The caller's staged upload `upload`: its file name and bytes.
///
/// # Errors
/// A [`Refusal`] (invalid) when there is none (imported, expired, someone else's); store errors.
async fn staged(
    store: &Store,
    caller: &Caller<'_>,
    upload: &str,
) -> Result<(String, Vec<u8>), Error> {
    match roster::staged_upload(store, caller.user.id, upload).await {
        Err(StoreError::NotFound) => {
            Err(Refusal::invalid("这份名单已导入或已过期，请重新上传").into())
        }
        r => Ok(r?),
    }
}

/// Previews the caller's staged upload `upload` again with `choices` (the header row and the
/// field of each column a person named).
///
/// # Errors
/// The guard's denials; a [`Refusal`]: no such upload (invalid), a staged file that no longer
/// reads (invalid, on `upload`); store errors.
pub async fn preview(
    store: &Store,
    caller: &Caller<'_>,
    upload: &str,
    choices: &Choices,
) -> Result<Staged, Error> {
    guard::require(store, caller, Action::ImportRoster, None).await?;
    let scope = scope_of(caller)?;
    let (file_name, bytes) = staged(store, caller, upload).await?;
    let sheet = read_staged(&file_name, &bytes).await?;
    evaluate(store, &scope, upload.to_string(), file_name, sheet, choices).await
}

/// Imports the caller's staged upload `upload` read with `choices`, if it would still do what
/// the preview with `fingerprint` showed; the upload is then dropped.
///
/// # Errors
/// As [`preview`]; a [`Refusal`] (invalid, on `upload`) when `choices` locate no header; a
/// [`Refusal`] (conflict) when the import would now do something else (the data changed since
/// the preview, or a code was stored meanwhile): nothing is written and the upload is kept for
/// another preview.
pub async fn apply(
    store: &Store,
    caller: &Caller<'_>,
    upload: &str,
    fingerprint: &str,
    choices: &Choices,
) -> Result<Imported, Error> {
    guard::require(store, caller, Action::ImportRoster, None).await?;
    let scope = scope_of(caller)?;
    let (file_name, bytes) = staged(store, caller, upload).await?;
    let sheet = read_staged(&file_name, &bytes).await?;
    let layout = locate_with(&sheet.grid, choices)
        .map_err(|e| Refusal::invalid(format!("{file_name}：{e}")).on("upload"))?;
    let applied = roster::apply(store, &caller.who(), &scope, &layout, Some(fingerprint))
        .await
        .map_err(|e| match e {
            StoreError::Conflict(m) => Refusal::conflict(m).into(),
            e => Error::from(e),
        })?;
    roster::discard_upload(store, upload).await?;
    Ok(Imported { file_name, applied })
}

/// The roster of `caller`'s scope as export lines in the columns the import reads, phones
/// masked for the roles that must not see them ([`Disclosure::for_actor`]); the export is
/// recorded in the audit trail with its `format` ([`Action::ExportRoster`]).
///
/// # Errors
/// The guard's denials, store errors.
pub async fn export(
    store: &Store,
    caller: &Caller<'_>,
    format: Format,
) -> Result<Vec<Line>, Error> {
    guard::require(store, caller, Action::ExportRoster, None).await?;
    Ok(roster::export::export(
        store,
        &caller.who(),
        &caller.user.scope,
        Disclosure::for_actor(&caller.actor()),
        format.code(),
    )
    .await?)
}
