//! Evidence on the check items of an enterprise's self-inspection: the enterprise uploads files
//! per item while its self-inspection is open; everyone who may read the self-inspection sees
//! them and downloads them (`/attachments/{id}`).

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use safeduty_store::attachments::Attachment;
use safeduty_store::campaigns::Campaign;

use crate::error::{AppError, PageError};
use crate::guard::PageUser;
use crate::upload::UploadForm;
use crate::{AppState, Clock};

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

impl FileView {
    /// The attachment as listed, its upload time as shown under `clock` ([`Clock::shown_minute`]).
    pub(crate) fn new(a: &Attachment, clock: &Clock) -> FileView {
        FileView {
            public_id: a.public_id.clone(),
            name: a.name.clone(),
            kind_label: a.kind.label(),
            size: a.size_label(),
            uploaded_at: clock.shown_minute(&a.uploaded_at),
            uploaded_by: a.uploaded_by_name.clone(),
            thumbnail: a.thumbnail_sha256.is_some(),
        }
    }
}

/// The evidence of every item of enterprise `enterprise_id`'s self-inspection in `campaign`, by
/// item number, as shown.
pub(crate) async fn by_item(
    state: &AppState,
    campaign: &Campaign,
    enterprise_id: i64,
) -> Result<BTreeMap<u32, Vec<FileView>>, AppError> {
    Ok(
        safeduty_app::attachments::evidence_by_item(state.store(), campaign, enterprise_id)
            .await?
            .into_iter()
            .map(|(item, files)| {
                let files = files.iter().map(|a| FileView::new(a, state.clock()));
                (item, files.collect())
            })
            .collect(),
    )
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
    let to = safeduty_app::attachments::evidence_target(state.store(), &user.caller(), &id, &item)
        .await?;
    let Some(file) = form.file else {
        return Err(AppError::BadRequest("请选择要上传的文件".into()).into());
    };
    let stored = file.store(&state).await?;
    safeduty_app::attachments::add_evidence(state.store(), &user.caller(), &to, &stored).await?;
    Ok(Redirect::to(&format!(
        "/enterprises/{}#item-{}",
        to.enterprise_public_id, to.item
    ))
    .into_response())
}
