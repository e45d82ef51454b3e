//! The one response of every download and export: the file's type, its exact name (RFC 6266
//! `filename*`, [`safeduty_core::attachment::content_disposition`]), `nosniff`, a sandbox CSP (should
//! a browser render it anyway, nothing in it runs or loads), `private, no-store` (nothing kept in a
//! shared or local cache: GB/T 22239 residual information), and its audit record, written before
//! the bytes are sent.

use axum::body::Body;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use safeduty_core::attachment::content_disposition;
use safeduty_store::audit::{self, Entry, Event, ObjectKind};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;

/// The type of an `.xlsx` file.
pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// The type of a `.docx` file.
pub(crate) const DOCX: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A file to send.
#[derive(Debug)]
pub(crate) struct Download {
    bytes: Vec<u8>,
    content_type: String,
    file_name: String,
    inline: bool,
}

/// The audit record of a download.
#[derive(Debug)]
pub(crate) enum Audit {
    /// Written by [`Download::send`]: the event, the kind and id of what was downloaded, and
    /// what else identifies it (filter, count, format).
    Record {
        /// The event.
        event: Event,
        /// Kind of the object downloaded.
        target_kind: ObjectKind,
        /// Its id (public id, format, key).
        target_id: String,
        /// What else the record keeps.
        detail: serde_json::Value,
    },
    /// Already written by the store's read that produced the bytes, which the CLI uses too
    /// (a roster export records its scope, count and masking there).
    InStore,
}

impl Download {
    /// A download of `bytes` of `content_type`, saved under `file_name`.
    pub(crate) fn new(bytes: Vec<u8>, content_type: &str, file_name: &str) -> Download {
        Download {
            bytes,
            content_type: content_type.to_string(),
            file_name: file_name.to_string(),
            inline: false,
        }
    }

    /// Shown in the page rather than saved (thumbnails: JPEGs the server encoded itself).
    pub(crate) fn inline(mut self) -> Download {
        self.inline = true;
        self
    }

    /// Writes the audit record, then answers with the file.
    ///
    /// # Errors
    /// Store errors of the audit record (then nothing is sent).
    pub(crate) async fn send(
        self,
        state: &AppState,
        user: &CurrentUser,
        audit: Audit,
    ) -> Result<Response, AppError> {
        if let Audit::Record {
            event,
            target_kind,
            target_id,
            detail,
        } = audit
        {
            audit::record_alone(
                state.store(),
                Entry {
                    who: &user.who(),
                    event,
                    target_kind,
                    target_id,
                    before: None,
                    after: Some(detail),
                    result: "ok",
                },
            )
            .await?;
        }
        Ok(self.response())
    }

    /// The response; only through [`Download::send`], so that none goes out unrecorded.
    fn response(self) -> Response {
        let mut res = Body::from(self.bytes).into_response();
        let h = res.headers_mut();
        let value = |s: &str| {
            HeaderValue::from_str(s).unwrap_or(HeaderValue::from_static("application/octet-stream"))
        };
        h.insert(header::CONTENT_TYPE, value(&self.content_type));
        let mut disposition = content_disposition(&self.file_name);
        if self.inline {
            disposition = disposition.replacen("attachment", "inline", 1);
        }
        if let Ok(v) = HeaderValue::from_str(&disposition) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        h.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; sandbox"),
        );
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        res
    }
}
