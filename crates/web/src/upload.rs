//! Evidence uploads and downloads (issue #7 item 1; cases B27, B28).
//!
//! - [`UploadForm`]: a multipart form with one file field, read under the configured size limit
//!   (`--max-upload-mib`, default 20 MiB): a `Content-Length` over the limit is refused before a
//!   byte of the body is read, and a body without one is refused as soon as it passes the limit
//!   while it streams. The file's type is decided by its content
//!   ([`safeduty_core::attachment::sniff`]).
//! - [`Upload::store`]: puts the bytes (and a thumbnail of a photo) in the blob store and returns
//!   the [`StoredFile`] that [`safeduty_store::attachments::insert`] records in the caller's
//!   transaction.
//! - `GET /attachments/{id}` and `GET /attachments/{id}/thumbnail`: downloads, authorized by the
//!   attachment's enterprise scope (404 outside, the denial audited), always
//!   `Content-Disposition: attachment` with the exact name (RFC 6266), `nosniff` and a sandboxing
//!   CSP; every download audited.
//!
//! Routes that take an [`UploadForm`] carry `DefaultBodyLimit::disable()`: the form applies the
//! configured limit itself (axum's 2 MB default would refuse a 20 MiB photo).

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use safeduty_core::attachment::{self, FileKind, Sniffed};
use safeduty_store::attachments::{Attachment, StoredFile};
use safeduty_store::audit::Event;

use crate::AppState;
use crate::download::{Audit, Download};
use crate::error::{AppError, PageError};
use crate::guard::PageUser;

/// The default upload limit: 20 MiB.
pub const DEFAULT_MAX_UPLOAD: usize = 20 * 1024 * 1024;

/// What a multipart body may carry besides the file (boundaries, headers, small fields).
use crate::routes::FORM_OVERHEAD;

/// Longest text field accepted in an upload form.
const MAX_TEXT_FIELD: usize = 16 * 1024;

/// A file of an upload, its type decided by its content.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The name kept: what the user's file was called ([`attachment::clean_name`]), with the
    /// content's extension added when the name claimed another ([`attachment::stored_name`]).
    pub name: String,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// What the content is, and the type it is served with.
    pub sniffed: Sniffed,
}

/// A multipart form with at most one file: its text fields, and the file (`None` when no file
/// was chosen). Fields after the file are read too. A refused file (wrong type, too large) fails
/// the extraction with a Chinese message; nothing is stored.
#[derive(Debug)]
pub struct UploadForm {
    /// Text fields by name (the last value of a repeated name).
    pub fields: HashMap<String, String>,
    /// The file, if one was sent.
    pub file: Option<Upload>,
}

impl UploadForm {
    /// A text field.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }
}

/// The refusal of a file over `limit` bytes (413).
pub(crate) fn too_large(limit: usize) -> AppError {
    AppError::Malformed {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        message: format!("文件超过 {} MB 的上限，未上传", limit / 1024 / 1024),
    }
}

/// A multipart body as sent: its text fields in order, and its file parts (field name, file
/// name, bytes; an empty part of an input left empty is dropped). At most `max_files` files,
/// and the whole body at most the configured limit.
struct Parts {
    fields: Vec<(String, String)>,
    files: Vec<(String, String, Vec<u8>)>,
}

impl Parts {
    async fn read(req: Request, state: &AppState, max_files: usize) -> Result<Parts, AppError> {
        let limit = state.config().max_upload_bytes;
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > (limit + FORM_OVERHEAD) as u64) {
            // Refused on the header alone: the body is never read.
            return Err(too_large(limit));
        }
        // A body without a length (chunked) is cut at the limit while it streams.
        let req = req.map(|b| Body::new(http_body_util::Limited::new(b, limit + FORM_OVERHEAD)));
        let mut multipart =
            Multipart::from_request(req, state)
                .await
                .map_err(|e| AppError::Malformed {
                    status: e.status(),
                    message: "请求须为文件上传表单（multipart/form-data）".into(),
                })?;
        let malformed = |e: axum::extract::multipart::MultipartError| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large(limit)
            } else {
                AppError::Malformed {
                    status: e.status(),
                    message: "上传内容无法读取".into(),
                }
            }
        };
        let mut parts = Parts {
            fields: Vec::new(),
            files: Vec::new(),
        };
        let mut sent = 0usize;
        while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
            let name = field.name().unwrap_or_default().to_string();
            if let Some(file_name) = field.file_name().map(str::to_string) {
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(malformed)? {
                    sent += chunk.len();
                    if sent > limit {
                        return Err(too_large(limit));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                // A form submitted with no file chosen sends an empty part with an empty name.
                if file_name.is_empty() && bytes.is_empty() {
                    continue;
                }
                if parts.files.len() == max_files {
                    return Err(AppError::BadRequest(if max_files == 1 {
                        "一次只能上传一个文件".into()
                    } else {
                        format!("一次最多上传{max_files}个文件")
                    }));
                }
                parts.files.push((name, file_name, bytes));
            } else {
                let mut text = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(malformed)? {
                    if text.len() + chunk.len() > MAX_TEXT_FIELD {
                        return Err(AppError::BadRequest(format!(
                            "字段“{}”过长",
                            name.chars().take(20).collect::<String>()
                        )));
                    }
                    text.extend_from_slice(&chunk);
                }
                let text = String::from_utf8(text)
                    .map_err(|_| AppError::BadRequest("表单内容不是有效的 UTF-8 文本".into()))?;
                parts.fields.push((name, text));
            }
        }
        Ok(parts)
    }
}

/// The file `bytes` sent as `sent_name`, its type decided by its content.
///
/// # Errors
/// A refused type (422) with its reason.
fn sniffed(sent_name: &str, bytes: Vec<u8>) -> Result<Upload, AppError> {
    let name = attachment::clean_name(sent_name);
    let sniffed = attachment::sniff(&name, &bytes).map_err(|r| AppError::Malformed {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        message: r.to_string(),
    })?;
    let name = attachment::stored_name(&name, sniffed.kind);
    Ok(Upload {
        name,
        bytes,
        sniffed,
    })
}

impl FromRequest<AppState> for UploadForm {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, PageError> {
        let parts = Parts::read(req, state, 1).await?;
        let file = match parts.files.into_iter().next() {
            Some((_, sent_name, bytes)) => Some(sniffed(&sent_name, bytes)?),
            None => None,
        };
        Ok(UploadForm {
            fields: parts.fields.into_iter().collect::<HashMap<_, _>>(),
            file,
        })
    }
}

/// A long form that saves what was typed together with the files chosen on it (issue #18 point
/// 1: an upload never discards unsaved answers): its text fields in order, and each file with
/// the name of its input — a file of a refused type is kept as its refusal, so that the rest of
/// the form is still saved and the refusal shown beside its input. Read from a multipart body,
/// or from a plain form (no files) for clients that send one.
#[derive(Debug)]
pub struct FormWithFiles {
    /// Text fields, in the order sent.
    pub fields: Vec<(String, String)>,
    /// Files by input name: the file, or why it was refused.
    pub files: Vec<(String, Result<Upload, AppError>)>,
}

/// Most files one [`FormWithFiles`] carries.
const MAX_FILES: usize = 64;

impl FromRequest<AppState> for FormWithFiles {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, PageError> {
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            // The route has no default body limit (an upload's is its own): bound it here.
            let limit = state.config().max_upload_bytes + FORM_OVERHEAD;
            let req = req.map(|b| Body::new(http_body_util::Limited::new(b, limit)));
            let crate::extract::PageForm(fields) =
                crate::extract::PageForm::<Vec<(String, String)>>::from_request(req, state).await?;
            return Ok(FormWithFiles {
                fields,
                files: Vec::new(),
            });
        }
        let parts = Parts::read(req, state, MAX_FILES).await?;
        Ok(FormWithFiles {
            fields: parts.fields,
            files: parts
                .files
                .into_iter()
                .map(|(input, sent_name, bytes)| (input, sniffed(&sent_name, bytes)))
                .collect(),
        })
    }
}

impl Upload {
    /// Puts the bytes in the blob store, and a thumbnail (a small JPEG) of a photo.
    ///
    /// # Errors
    /// [`AppError::Internal`] when the blob store is not configured or cannot write.
    pub async fn store(&self, state: &AppState) -> Result<StoredFile, AppError> {
        let blobs = state.blobs()?;
        let sha256 = blobs.put(&self.bytes).await?;
        let thumbnail_sha256 = if self.sniffed.kind.is_image() {
            match safeduty_app::heavy::thumbnail(&self.bytes).await {
                Some(t) => Some(blobs.put(&t).await?),
                None => None,
            }
        } else {
            None
        };
        Ok(StoredFile {
            name: self.name.clone(),
            kind: self.sniffed.kind,
            content_type: self.sniffed.content_type.into(),
            size: i64::try_from(self.bytes.len()).unwrap_or(i64::MAX),
            sha256,
            thumbnail_sha256,
        })
    }
}

/// The multipart form of an API upload: an [`UploadForm`] whose refusals are answered as JSON.
#[derive(Debug)]
pub struct ApiUpload(pub UploadForm);

impl FromRequest<AppState> for ApiUpload {
    type Rejection = crate::error::ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        UploadForm::from_request(req, state)
            .await
            .map(ApiUpload)
            .map_err(|PageError(e)| crate::error::ApiError(e))
    }
}

/// Stores the photo of `form` and adds it to `to` (an inspection's item or a re-inspection's
/// finding, checked by the caller): refused with a Chinese message naming `file`, nothing
/// stored, when no file was chosen or it is not a picture.
///
/// # Errors
/// The refusals above; blob and store errors.
pub(crate) async fn add_photo(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    to: &safeduty_app::enforcement::photos::PhotoTarget,
    form: UploadForm,
) -> Result<Attachment, AppError> {
    use safeduty_app::enforcement::photos;
    let Some(file) = form.file else {
        return Err(AppError::Refused(
            safeduty_core::refusal::Refusal::invalid("请选择要上传的现场照片").on("file"),
        ));
    };
    photos::check_kind(file.sniffed.kind)?;
    let stored = file.store(state).await?;
    Ok(photos::add(state.store(), &user.caller(), to, &stored).await?)
}

/// `GET /attachments/{id}`: the file, as a download with its exact name.
pub(crate) async fn get_file(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let a = safeduty_app::attachments::readable(state.store(), &user.caller(), &id).await?;
    let bytes = state.blobs()?.get(&a.sha256).await?;
    Ok(Download::new(bytes, &a.content_type, &a.name)
        .send(&state, &user, downloaded(&a, false))
        .await?)
}

/// The audit record of a download of `a` (or of its thumbnail).
fn downloaded(a: &Attachment, thumbnail: bool) -> Audit {
    Audit::Record {
        event: Event::AttachmentDownloaded,
        target_kind: safeduty_store::audit::Object::Attachment.into(),
        target_id: a.public_id.clone(),
        detail: serde_json::json!({
            "name": a.name,
            "enterprise_id": a.enterprise_id,
            "thumbnail": thumbnail,
        }),
    }
}

/// `GET /attachments/{id}/thumbnail`: the small JPEG made of a photo at upload (404 for other
/// files). Shown inline in pages: it is a JPEG we encoded ourselves.
pub(crate) async fn get_thumbnail(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let a = safeduty_app::attachments::readable(state.store(), &user.caller(), &id).await?;
    let Some(thumb) = a.thumbnail_sha256.as_deref() else {
        return Err(AppError::NotFound.into());
    };
    let bytes = state.blobs()?.get(thumb).await?;
    let stem = a.name.rsplit_once('.').map_or(a.name.as_str(), |(s, _)| s);
    Ok(Download::new(
        bytes,
        FileKind::Jpeg.content_type("jpg"),
        &format!("{stem}-缩略图.jpg"),
    )
    .inline()
    .send(&state, &user, downloaded(&a, true))
    .await?)
}
