//! Evidence on the check items of an enterprise's self-inspection: the enterprise uploads files
//! per item while its self-inspection is open; everyone who may read the self-inspection sees
//! them and downloads them (`/attachments/{id}`).

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use safeduty_core::policy::Action;
use safeduty_core::self_inspection::Status;
use safeduty_store::attachments::{self, Attachment, Owner};
use safeduty_store::campaigns::Campaign;
use safeduty_store::self_inspections;

use super::current_campaign;
use crate::AppState;
use crate::error::{AppError, PageError};
use crate::guard::{PageUser, enterprise_for};
use crate::upload::UploadForm;

/// An attachment as pages list it.
pub(crate) struct FileView {
    pub public_id: String,
    pub name: String,
    pub kind_label: &'static str,
    pub size: String,
    pub uploaded_at: String,
    pub uploaded_by: String,
    pub thumbnail: bool,
}

impl From<&Attachment> for FileView {
    fn from(a: &Attachment) -> FileView {
        FileView {
            public_id: a.public_id.clone(),
            name: a.name.clone(),
            kind_label: a.kind.label(),
            size: a.size_label(),
            uploaded_at: a.uploaded_at_local(),
            uploaded_by: a.uploaded_by_name.clone(),
            thumbnail: a.thumbnail_sha256.is_some(),
        }
    }
}

/// The evidence of every item of enterprise `enterprise_id`'s self-inspection in `campaign`, by
/// item number.
pub(crate) async fn by_item(
    state: &AppState,
    campaign: &Campaign,
    enterprise_id: i64,
) -> Result<BTreeMap<u32, Vec<FileView>>, AppError> {
    let all =
        attachments::list_of_kind(state.store(), enterprise_id, "self_inspection_item").await?;
    let prefix = format!("{}/", campaign.id);
    let mut out: BTreeMap<u32, Vec<FileView>> = BTreeMap::new();
    for a in &all {
        if let Some(item) = a
            .owner_id
            .strip_prefix(&prefix)
            .and_then(|n| n.parse::<u32>().ok())
        {
            out.entry(item).or_default().push(a.into());
        }
    }
    Ok(out)
}

/// `POST /enterprises/{id}/evidence/{item}` (multipart: `csrf`, `file`): adds a file to the
/// item's evidence. Refused (nothing stored) for a submitted self-inspection, an unknown item, a
/// file of a refused type or over the size limit.
pub(super) async fn upload(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, item)): Path<(String, String)>,
    form: UploadForm,
) -> Result<Response, PageError> {
    let e = enterprise_for(&state, &user, &id, Action::EditSelfInspection).await?;
    let campaign = current_campaign(&state, &user)
        .await?
        .ok_or(AppError::NotFound)?;
    let item: u32 = item
        .parse()
        .ok()
        .filter(|n| campaign.template.all_items().iter().any(|i| i.number == *n))
        .ok_or(AppError::NotFound)?;
    let si = self_inspections::get(state.store(), campaign.id, e.id).await?;
    if si.status == Status::Submitted {
        return Err(AppError::Conflict("自查已提交，不能再添加佐证材料".into()).into());
    }
    let Some(file) = form.file else {
        return Err(AppError::BadRequest("请选择要上传的文件".into()).into());
    };
    let stored = file.store(&state).await?;
    let mut tx = state.store().write().await?;
    attachments::insert(
        &mut tx,
        &user.who(),
        e.id,
        Owner::SelfInspectionItem {
            campaign_id: campaign.id,
            item,
        },
        &stored,
    )
    .await?;
    tx.commit()
        .await
        .map_err(safeduty_store::StoreError::from)?;
    Ok(Redirect::to(&format!("/enterprises/{}#item-{item}", e.public_id)).into_response())
}
