//! The form of an import (a plan, a holiday notice, a roster, a list of accounts): one `file`
//! (the `csrf` field before it was checked by [`crate::csrf`]), read whole because the readers parse whole documents. The route's body
//! limit bounds what is read; a body over it is answered with the limit in megabytes.

use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;

use crate::error::AppError;

/// An import form as sent.
#[derive(Debug, Default)]
pub(crate) struct DocumentForm {
    /// The `file` field: the name the browser sent (or the default given to [`DocumentForm::read`])
    /// and the bytes; `None` when the form had no file field.
    pub file: Option<(String, Vec<u8>)>,
}

impl DocumentForm {
    /// Reads the form; `default_name` names a file sent without a name, `limit_bytes` is the
    /// route's body limit, said in the message when the body cannot be read.
    ///
    /// # Errors
    /// [`AppError::Malformed`] (the multipart error's status, e.g. 413) with a Chinese message.
    pub(crate) async fn read(
        mut multipart: Multipart,
        default_name: &str,
        limit_bytes: usize,
    ) -> Result<DocumentForm, AppError> {
        let malformed = |e: MultipartError| AppError::Malformed {
            status: e.status(),
            message: format!(
                "上传内容无法读取（文件不能超过{}MB）",
                limit_bytes / 1024 / 1024
            ),
        };
        let mut form = DocumentForm::default();
        while let Some(field) = multipart.next_field().await.map_err(malformed)? {
            if field.name() == Some("file") {
                let name = field.file_name().unwrap_or(default_name).to_string();
                let bytes = field.bytes().await.map_err(malformed)?;
                form.file = Some((name, bytes.to_vec()));
            }
        }
        Ok(form)
    }
}
