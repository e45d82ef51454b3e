//! Attachments: who may download one (whoever may read its enterprise), and the evidence of a
//! self-inspection item. The bytes are the web's to store (the blob store and thumbnails are
//! infrastructure): a use case checks first, the file is stored, then the use case writes the
//! attachment row with its audit record.

use std::collections::BTreeMap;

use safeduty_core::policy::{Action, EnterpriseFacts};
use safeduty_core::refusal::Refusal;
use safeduty_core::self_inspection::Status;
use safeduty_store::attachments::{self, Attachment, Owner, StoredFile};
use safeduty_store::campaigns::Campaign;
use safeduty_store::{Store, StoreError, self_inspections};

use crate::{Caller, Error, campaigns, guard};

/// The attachment `attachment_id` (public id), if `caller` may read its enterprise; an unknown
/// id and one outside the scope give the same [`Error::NotFound`], both recorded.
///
/// # Errors
/// [`Error::NotFound`], the guard's denials, store errors.
pub async fn readable(
    store: &Store,
    caller: &Caller<'_>,
    attachment_id: &str,
) -> Result<Attachment, Error> {
    let a = match attachments::by_public_id(store, attachment_id).await {
        Ok(a) => a,
        Err(StoreError::NotFound) => {
            // Recorded like any other out-of-scope probe.
            let nowhere = EnterpriseFacts {
                id: 0,
                region_path: String::new(),
                supervising_unit_id: None,
            };
            guard::require(store, caller, Action::ReadAttachment, Some(&nowhere)).await?;
            return Err(Error::NotFound);
        }
        Err(e) => return Err(e.into()),
    };
    let e = safeduty_store::org::enterprise_by_id(store, a.enterprise_id).await?;
    guard::require(store, caller, Action::ReadAttachment, Some(&e.facts)).await?;
    // A photo of an inspection: its unit's officers only, of the units' officers.
    crate::enforcement::photos::check_readable(store, caller, &a).await?;
    Ok(a)
}

/// The evidence of every item of the enterprise's self-inspection in `campaign`, by item
/// number. The enterprise was read through the guard.
///
/// # Errors
/// Store errors.
pub async fn evidence_by_item(
    store: &Store,
    campaign: &Campaign,
    enterprise_id: i64,
) -> Result<BTreeMap<u32, Vec<Attachment>>, Error> {
    by_item(store, enterprise_id, "self_inspection_item", campaign.id).await
}

/// The attachments of the enterprise whose owner is of `kind` and keyed `{parent}/{item}` (a
/// self-inspection item of a campaign, an inspection's item), by item number, oldest first.
///
/// # Errors
/// Store errors.
pub(crate) async fn by_item(
    store: &Store,
    enterprise_id: i64,
    kind: &str,
    parent: i64,
) -> Result<BTreeMap<u32, Vec<Attachment>>, Error> {
    let prefix = format!("{parent}/");
    let mut out: BTreeMap<u32, Vec<Attachment>> = BTreeMap::new();
    for a in attachments::list_of_kind(store, enterprise_id, kind).await? {
        if let Some(item) = a
            .owner_id
            .strip_prefix(&prefix)
            .and_then(|n| n.parse::<u32>().ok())
        {
            out.entry(item).or_default().push(a);
        }
    }
    Ok(out)
}

/// A self-inspection item evidence may be added to: see [`evidence_target`].
#[derive(Debug)]
pub struct EvidenceTarget {
    /// The enterprise's public id.
    pub enterprise_public_id: String,
    /// The check item's number.
    pub item: u32,
    enterprise_id: i64,
    campaign_id: i64,
}

/// Checks that the enterprise `enterprise_id` may add evidence to check item `item` of its
/// self-inspection: an item of the campaign, while the self-inspection is not submitted.
/// Nothing is written here; the caller stores the file, then calls [`add_evidence`].
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] for an item not in the campaign or without a
/// campaign; [`Refusal::conflict`] once submitted; store errors.
pub async fn evidence_target(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: &str,
    item: &str,
) -> Result<EvidenceTarget, Error> {
    let e = guard::enterprise_for(store, caller, enterprise_id, Action::EditSelfInspection).await?;
    let campaign = campaigns::current(store, caller).await?;
    let item: u32 = item
        .parse()
        .ok()
        .filter(|n| campaign.template.all_items().iter().any(|i| i.number == *n))
        .ok_or(Error::NotFound)?;
    let si = self_inspections::get(store, campaign.id, e.id).await?;
    if si.status == Status::Submitted {
        return Err(Refusal::conflict("自查已提交，不能再添加佐证材料").into());
    }
    Ok(EvidenceTarget {
        enterprise_public_id: e.public_id,
        item,
        enterprise_id: e.id,
        campaign_id: campaign.id,
    })
}

/// Adds a stored file to the item's evidence, with its audit record, in one transaction.
///
/// # Errors
/// Store errors.
pub async fn add_evidence(
    store: &Store,
    caller: &Caller<'_>,
    to: &EvidenceTarget,
    file: &StoredFile,
) -> Result<Attachment, Error> {
    let owner = Owner::SelfInspectionItem {
        campaign_id: to.campaign_id,
        item: to.item,
    };
    insert(store, caller, to.enterprise_id, owner, file).await
}

/// Writes the attachment row of a stored file with its audit record, in a transaction of its
/// own (the owner was checked by the caller); the same file already on record for the owner is
/// returned instead, nothing written ([`attachments::twin`]).
pub(crate) async fn insert(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: i64,
    owner: Owner,
    file: &StoredFile,
) -> Result<Attachment, Error> {
    let mut tx = store.write().await?;
    if let Some(a) = attachments::twin(&mut tx, owner, file).await? {
        return Ok(a);
    }
    let a = attachments::insert(&mut tx, &caller.who(), enterprise_id, owner, file).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(a)
}
