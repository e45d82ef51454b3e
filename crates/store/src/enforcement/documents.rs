//! The documents of record: an officer downloads a generated document, has it signed and
//! sealed, and uploads the scan, which becomes the document of record. A document of record is
//! never overwritten: a newer upload supersedes it, with a reason.

use sqlx::Row;

use crate::attachments::{self, Owner, StoredFile};
use crate::audit::{self, Entry, Event, Object, Who};
use crate::{Store, StoreError, new_public_id, now_text};

/// A document of record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DocumentOfRecord {
    /// Public id.
    pub public_id: String,
    /// Core `DocumentKind` code.
    pub document_kind: String,
    /// The number printed on it.
    pub number: String,
    /// The scan's attachment (public id).
    pub attachment_public_id: String,
    /// The scan's file name.
    pub file_name: String,
    /// Who uploaded it.
    pub uploaded_by_name: String,
    /// When (UTC instant).
    pub uploaded_at: String,
    /// Whether a later upload superseded it.
    pub superseded: bool,
    /// The reason given by the upload that superseded it.
    pub supersede_reason: String,
}

/// What a document of record belongs to: an inspection (its record, order, re-inspection and
/// measures) or a case (issue #13: every document of the case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentOwner {
    /// `inspections.id`.
    Inspection(i64),
    /// `cases.id`.
    Case(i64),
}

impl DocumentOwner {
    /// The stored `owner_kind`.
    fn kind(self) -> &'static str {
        match self {
            DocumentOwner::Inspection(_) => "inspection",
            DocumentOwner::Case(_) => "case",
        }
    }

    /// The stored `owner_id`.
    fn id(self) -> i64 {
        match self {
            DocumentOwner::Inspection(id) | DocumentOwner::Case(id) => id,
        }
    }

    /// The scan's attachment owner.
    fn attachment(self) -> Owner {
        match self {
            DocumentOwner::Inspection(inspection_id) => Owner::InspectionDocument { inspection_id },
            DocumentOwner::Case(case_id) => Owner::CaseDocument { case_id },
        }
    }
}

/// A scan to keep as the document of record of `document_kind` for an inspection or a case.
#[derive(Debug, Clone)]
pub struct Upload<'a> {
    /// The inspection or case the document belongs to.
    pub owner: DocumentOwner,
    /// Its enterprise (the attachment's scope).
    pub enterprise_id: i64,
    /// Core `DocumentKind` code (an inspection's) or `CaseDocument` code (a case's).
    pub document_kind: &'a str,
    /// The document's number.
    pub number: &'a str,
    /// The scan, already in the blob store.
    pub file: &'a StoredFile,
    /// Why it supersedes the current one (required by the caller when there is one).
    pub supersede_reason: &'a str,
}

/// Keeps `u.file` as the document of record, superseding the current one with the reason, in
/// one transaction with its audit record. Returns the new document's public id.
///
/// # Errors
/// Database and blob errors.
pub async fn upload(store: &Store, who: &Who, u: &Upload<'_>) -> Result<String, StoreError> {
    let mut tx = store.write().await?;
    let attachment =
        attachments::insert(&mut tx, who, u.enterprise_id, u.owner.attachment(), u.file).await?;
    let now = now_text();
    let public_id = new_public_id();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO documents_of_record (public_id, document_kind, owner_kind, owner_id, number, \
         attachment_id, uploaded_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(&public_id)
    .bind(u.document_kind)
    .bind(u.owner.kind())
    .bind(u.owner.id())
    .bind(u.number)
    .bind(attachment.id)
    .bind(who.user_id)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    let superseded: Option<String> = sqlx::query_scalar(
        "UPDATE documents_of_record SET superseded_by = $1, supersede_reason = $2, updated_at = $3 \
         WHERE owner_kind = $4 AND owner_id = $5 AND document_kind = $6 AND id <> $1 \
         AND superseded_by IS NULL RETURNING public_id",
    )
    .bind(id)
    .bind(u.supersede_reason)
    .bind(&now)
    .bind(u.owner.kind())
    .bind(u.owner.id())
    .bind(u.document_kind)
    .fetch_optional(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::DocumentOfRecordUploaded,
            target_kind: Object::DocumentOfRecord.into(),
            target_id: public_id.clone(),
            before: superseded
                .as_ref()
                .map(|s| serde_json::json!({"document": s})),
            after: Some(serde_json::json!({
                "document_kind": u.document_kind,
                "number": u.number,
                "attachment": attachment.public_id,
                "sha256": u.file.sha256,
                "supersedes": superseded,
                "reason": u.supersede_reason,
            })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(public_id)
}

/// The documents of record of an inspection or a case, current ones first, then superseded,
/// newest first.
///
/// # Errors
/// Database errors.
pub async fn of(store: &Store, owner: DocumentOwner) -> Result<Vec<DocumentOfRecord>, StoreError> {
    let rows = sqlx::query(
        "SELECT d.public_id, d.document_kind, d.number, a.public_id AS attachment, \
         a.original_name, COALESCE(u.display_name, '') AS uploader, d.created_at, \
         d.superseded_by, d.supersede_reason FROM documents_of_record d \
         JOIN attachments a ON a.id = d.attachment_id LEFT JOIN users u ON u.id = d.uploaded_by \
         WHERE d.owner_kind = $1 AND d.owner_id = $2 \
         ORDER BY CASE WHEN d.superseded_by IS NULL THEN 0 ELSE 1 END, d.id DESC",
    )
    .bind(owner.kind())
    .bind(owner.id())
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(DocumentOfRecord {
                public_id: r.try_get("public_id")?,
                document_kind: r.try_get("document_kind")?,
                number: r.try_get("number")?,
                attachment_public_id: r.try_get("attachment")?,
                file_name: r.try_get("original_name")?,
                uploaded_by_name: r.try_get("uploader")?,
                uploaded_at: r.try_get("created_at")?,
                superseded: r.try_get::<Option<i64>, _>("superseded_by")?.is_some(),
                supersede_reason: r.try_get("supersede_reason")?,
            })
        })
        .collect()
}
