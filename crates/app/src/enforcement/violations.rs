//! The violation library (违法行为库) of a region: the shipped rows with what the committee
//! offices on the region's path wrote over them ([`RegionLibrary`]: the nearest region's row of
//! each code wins), read by the inspection form and the API, and edited by the committee office
//! for its own region — add a row, edit a row (a shipped or inherited row is overridden by the
//! region's row of the same code), deactivate and reactivate a row (never delete: inspections
//! refer to rows by code).

use safeduty_core::enforcement::violations::{Library, RegionLibrary, ViolationRow};
use safeduty_core::policy::{Action, Denial, Role, Scope};
use safeduty_core::refusal::Refusal;
use safeduty_store::Store;
use safeduty_store::audit::Object;
use safeduty_store::enforcement::violations::{self, Change};

use super::authority;
use crate::{Caller, Error, guard};

/// The library in effect in the region with path `region_path` (the shipped rows when no
/// office on the path wrote any).
///
/// # Errors
/// Store errors.
pub async fn in_effect(store: &Store, region_path: &str) -> Result<RegionLibrary, Error> {
    let rows = violations::rows_on_path(store, region_path).await?;
    Ok(RegionLibrary::merge(&Library::shipped(), &rows))
}

/// The library in effect for the caller: a unit officer's unit's region, a committee office's
/// or assessor's region. An enterprise has no use for it (403).
///
/// # Errors
/// The guard's denials (no scope: 404); [`Error::Forbidden`] for an enterprise (recorded);
/// store errors.
pub async fn for_caller(store: &Store, caller: &Caller<'_>) -> Result<RegionLibrary, Error> {
    guard::require(store, caller, Action::ReadEnforcement, None).await?;
    let path = match (&caller.user.scope, caller.user.unit_id) {
        (_, Some(unit)) if caller.user.role == Role::UnitOfficer => {
            safeduty_store::enforcement::authority::unit(store, unit)
                .await?
                .region_path
        }
        (Scope::RegionSubtree { region_path }, _)
            if matches!(caller.user.role, Role::CommitteeOffice | Role::Assessor) =>
        {
            region_path.clone()
        }
        _ => {
            let target = (Object::ViolationRow.into(), String::new());
            return Err(guard::denied(
                store,
                caller,
                Action::ReadEnforcement,
                target,
                Denial::Forbidden,
            )
            .await);
        }
    };
    in_effect(store, &path).await
}

/// The committee office's own region with its library in effect.
#[derive(Debug, Clone)]
pub struct OwnLibrary {
    /// The region's id.
    pub region_id: i64,
    /// Its name.
    pub region_name: String,
    /// The library in effect in it.
    pub library: RegionLibrary,
}

/// The library of the committee office's own region, for the office to edit.
///
/// # Errors
/// The guard's denials ([`Action::ManageEnforcement`]); store errors.
pub async fn own(store: &Store, caller: &Caller<'_>) -> Result<OwnLibrary, Error> {
    guard::require(store, caller, Action::ManageEnforcement, None).await?;
    let path = authority::region_path(caller).ok_or(Error::NotFound)?;
    let region = safeduty_store::org::region_by_path(store, path).await?;
    Ok(OwnLibrary {
        region_id: region.id,
        region_name: region.name,
        library: in_effect(store, path).await?,
    })
}

/// Adds `row` to the library of the committee office's region (active).
///
/// # Errors
/// The guard's denials; a [`Refusal`] naming the field ([`ViolationRow::check`], or `code` for
/// a code the library already has, deactivated rows included); store errors.
pub async fn add(store: &Store, caller: &Caller<'_>, row: ViolationRow) -> Result<(), Error> {
    let own = own(store, caller).await?;
    let row = row.trimmed();
    row.check()?;
    if own.library.get(&row.code).is_some() {
        return Err(Refusal::invalid(format!(
            "违法行为库已有编号“{}”的条目，请修改该条目或换一个编号",
            row.code
        ))
        .on("code")
        .into());
    }
    violations::write(
        store,
        &caller.who(),
        own.region_id,
        &row,
        true,
        Change::Added,
        None,
    )
    .await
    .map_err(|e| match e {
        safeduty_store::StoreError::Conflict(m) => Refusal::invalid(m).on("code").into(),
        e => e.into(),
    })
}

/// Replaces the text of the row `code` of the committee office's region with `row` (its
/// `code` is ignored: a code never changes); a shipped or inherited row gets the region's
/// override. The row stays active or deactivated as it was.
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] for a code not in the library; a [`Refusal`]
/// naming the field; store errors.
pub async fn edit(
    store: &Store,
    caller: &Caller<'_>,
    code: &str,
    row: ViolationRow,
) -> Result<(), Error> {
    let own = own(store, caller).await?;
    let before = own.library.get(code).ok_or(Error::NotFound)?;
    let row = ViolationRow {
        code: before.row.code.clone(),
        ..row
    }
    .trimmed();
    row.check()?;
    violations::write(
        store,
        &caller.who(),
        own.region_id,
        &row,
        before.active,
        Change::Edited,
        Some((&before.row, before.active)),
    )
    .await?;
    Ok(())
}

/// Deactivates (`active` false) or reactivates the row `code` of the committee office's region:
/// a deactivated row stays in the library and in the inspections that named it, and can no
/// longer be chosen.
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] for a code not in the library; a [`Refusal`]
/// (conflict) when the row is already so; store errors.
pub async fn set_active(
    store: &Store,
    caller: &Caller<'_>,
    code: &str,
    active: bool,
) -> Result<(), Error> {
    let own = own(store, caller).await?;
    let before = own.library.get(code).ok_or(Error::NotFound)?;
    if before.active == active {
        return Err(Refusal::conflict(if active {
            "该条目已是启用状态"
        } else {
            "该条目已停用"
        })
        .into());
    }
    violations::write(
        store,
        &caller.who(),
        own.region_id,
        &before.row,
        active,
        if active {
            Change::Reactivated
        } else {
            Change::Deactivated
        },
        Some((&before.row, before.active)),
    )
    .await?;
    Ok(())
}
