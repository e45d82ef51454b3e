//! Photos of an inspection (issue #12 points 4 and 6): an officer of the inspecting unit adds
//! photos to each check item of a recorded inspection, and to each finding its re-inspection
//! judged (corrected or not). A photo is never removed: like the evidence of a self-inspection,
//! it stays with the record it was taken for.
//!
//! Who may see them: the inspecting unit's officers, the committee office and the assessors of
//! the region, the enterprise inspected (its own); another unit's officer is refused even when
//! the enterprise is in its scope, administrators see nothing. Downloads go through
//! [`crate::attachments::readable`], which applies the same rule ([`may_see`]).
//!
//! The web stores the bytes between the check ([`item_target`], [`finding_target`]) and the row
//! ([`add`]); a file that is not a picture is refused before anything is stored
//! ([`check_kind`]).
//!
//! The generated Word documents (现场检查记录, 整改复查意见书) do not embed the photos; they are
//! kept and shown beside the record. The new-inspection form takes no photo (it is a plain form,
//! not an upload): photos are added on the inspection's page once it is recorded.

use std::collections::BTreeMap;

use safeduty_core::attachment::FileKind;
use safeduty_core::policy::{Action, Role};
use safeduty_core::refusal::Refusal;
use safeduty_store::Store;
use safeduty_store::attachments::{self, Attachment, Owner, StoredFile};
use safeduty_store::enforcement::orders::{self as order_store, ReInspection};

use super::{inspections, orders};
use crate::{Caller, Error};

/// Where a photo goes: checked by [`item_target`] or [`finding_target`], used by [`add`].
#[derive(Debug, Clone)]
pub struct PhotoTarget {
    /// The page it is shown on (`/enforcement/inspections/{id}#item-N` or
    /// `/enforcement/orders/{id}#finding-F`).
    pub page: String,
    enterprise_id: i64,
    owner: Owner,
}

/// The refusal of a file that is not a picture, naming the field `file`.
fn not_a_photo() -> Error {
    Refusal::invalid("现场照片须为图片文件（JPG、PNG、GIF 或 WebP），未上传")
        .on("file")
        .into()
}

/// Refuses a file of `kind` that is not a picture (a photo of the site).
///
/// # Errors
/// A [`Refusal`] (invalid) on `file`.
pub fn check_kind(kind: FileKind) -> Result<(), Error> {
    if kind.is_image() {
        Ok(())
    } else {
        Err(not_a_photo())
    }
}

/// Whether `caller`, who may read an inspection's enterprise, may see the photos of an
/// inspection made by the unit `unit_id`: an officer only of that unit; administrators never.
pub fn may_see(caller: &Caller<'_>, unit_id: i64) -> bool {
    match caller.user.role {
        Role::UnitOfficer => caller.user.unit_id == Some(unit_id),
        Role::CommitteeOffice | Role::Assessor | Role::EnterpriseUser => true,
        _ => false,
    }
}

/// The refusal of a unit's officer who is not of the inspecting unit.
fn other_unit() -> Error {
    Refusal::forbidden("只有检查单位的执法人员可以查看本检查的现场照片").into()
}

/// Checks that `caller` may add photos to check item `item` of the inspection
/// `inspection_id` (public id): an officer of the inspecting unit, an item the record answers.
/// Nothing is written.
///
/// # Errors
/// The guard's denials (404 outside the scope, 403 for another unit or role);
/// [`Error::NotFound`] for an item the inspection does not have; store errors.
pub async fn item_target(
    store: &Store,
    caller: &Caller<'_>,
    inspection_id: &str,
    item: &str,
) -> Result<PhotoTarget, Error> {
    let i = inspections::inspection_for(store, caller, inspection_id, Action::Enforce).await?;
    let item: u32 = item
        .parse()
        .ok()
        .filter(|n| i.items.iter().any(|it| it.item_number == *n))
        .ok_or(Error::NotFound)?;
    Ok(PhotoTarget {
        page: format!(
            "/enforcement/inspections/{}#item-{item}",
            i.summary.public_id
        ),
        enterprise_id: i.summary.enterprise_id,
        owner: Owner::InspectionItem {
            inspection_id: i.summary.id,
            item,
        },
    })
}

/// Checks that `caller` may add photos to the result of finding `finding` (public id) in the
/// re-inspection of the order `order_id` (public id): an officer of the issuing unit, once the
/// re-inspection is recorded, a finding it judged. Nothing is written.
///
/// # Errors
/// The guard's denials; [`Refusal::conflict`] before the re-inspection is recorded;
/// [`Error::NotFound`] for a finding it did not judge; store errors.
pub async fn finding_target(
    store: &Store,
    caller: &Caller<'_>,
    order_id: &str,
    finding: &str,
) -> Result<PhotoTarget, Error> {
    let o = orders::order_for(store, caller, order_id, Action::Enforce).await?;
    let Some(r) = order_store::re_inspection_of(store, o.id).await? else {
        return Err(Refusal::conflict("尚未记录复查，不能添加复查照片").into());
    };
    let (finding_id, public_id) = order_store::re_inspection_findings(store, r.id)
        .await?
        .into_iter()
        .find(|(_, p)| p == finding)
        .ok_or(Error::NotFound)?;
    Ok(PhotoTarget {
        page: format!("/enforcement/orders/{}#finding-{public_id}", o.public_id),
        enterprise_id: o.enterprise_id,
        owner: Owner::ReInspectionFinding {
            re_inspection_id: r.id,
            finding_id,
        },
    })
}

/// Adds the stored photo `file` to `to`, with its audit record, in one transaction.
///
/// # Errors
/// A [`Refusal`] on `file` for a file that is not a picture; store errors.
pub async fn add(
    store: &Store,
    caller: &Caller<'_>,
    to: &PhotoTarget,
    file: &StoredFile,
) -> Result<Attachment, Error> {
    check_kind(file.kind)?;
    crate::attachments::insert(store, caller, to.enterprise_id, to.owner, file).await
}

/// The photos of every item of the inspection `inspection_id` (public id), by item number,
/// oldest first.
///
/// # Errors
/// The guard's denials (reading the inspection); a [`Refusal`] (forbidden) for a caller who
/// may read the inspection but not its photos ([`may_see`]: another unit's officer); store
/// errors.
pub async fn of_inspection(
    store: &Store,
    caller: &Caller<'_>,
    inspection_id: &str,
) -> Result<BTreeMap<u32, Vec<Attachment>>, Error> {
    let i =
        inspections::inspection_for(store, caller, inspection_id, Action::ReadEnforcement).await?;
    if !may_see(caller, i.summary.unit_id) {
        return Err(other_unit());
    }
    crate::attachments::by_item(
        store,
        i.summary.enterprise_id,
        "inspection_item",
        i.summary.id,
    )
    .await
}

/// The photos of every finding the re-inspection of the order `order_id` (public id) judged,
/// by the finding's public id, oldest first; empty before the re-inspection.
///
/// # Errors
/// The guard's denials (reading the order); a [`Refusal`] (forbidden) for a caller who may read
/// the order but not its photos ([`may_see`]); store errors.
pub async fn of_re_inspection(
    store: &Store,
    caller: &Caller<'_>,
    order_id: &str,
) -> Result<BTreeMap<String, Vec<Attachment>>, Error> {
    let o = orders::order_for(store, caller, order_id, Action::ReadEnforcement).await?;
    if !may_see(caller, o.unit_id) {
        return Err(other_unit());
    }
    let r: Option<ReInspection> = order_store::re_inspection_of(store, o.id).await?;
    let Some(r) = r else {
        return Ok(BTreeMap::new());
    };
    let findings: BTreeMap<String, String> = order_store::re_inspection_findings(store, r.id)
        .await?
        .into_iter()
        .map(|(id, public_id)| (format!("{}/{id}", r.id), public_id))
        .collect();
    let mut out: BTreeMap<String, Vec<Attachment>> = BTreeMap::new();
    for a in attachments::list_of_kind(store, o.enterprise_id, "re_inspection_finding").await? {
        if let Some(f) = findings.get(&a.owner_id) {
            out.entry(f.clone()).or_default().push(a);
        }
    }
    Ok(out)
}

/// Refuses `caller` the attachment `a` when it is a photo of an inspection (or re-inspection)
/// made by a unit whose photos the caller may not see ([`may_see`]); the caller may already
/// read `a`'s enterprise.
///
/// # Errors
/// A [`Refusal`] (forbidden); store errors.
pub(crate) async fn check_readable(
    store: &Store,
    caller: &Caller<'_>,
    a: &Attachment,
) -> Result<(), Error> {
    match attachments::inspecting_unit(store, a).await? {
        Some(unit) if !may_see(caller, unit) => Err(other_unit()),
        _ => Ok(()),
    }
}
