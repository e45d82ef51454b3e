//! Evidence attachments (issue #7 item 1): the bytes in a content-addressed [`BlobStore`] (keyed
//! by SHA-256, so the same file uploaded twice is kept once), the facts in the `attachments`
//! table — what the file is evidence for ([`Owner`]), which enterprise's scope decides who may
//! read it, its exact original name, the type decided by its content.
//!
//! Writing an attachment takes two steps: put the bytes ([`BlobStore::put`], idempotent, before
//! the transaction), then [`insert`] the row inside the caller's transaction, audited there. A
//! transaction that rolls back leaves an unreferenced blob behind, never a row without its bytes.

use std::fmt::Debug;
use std::future::Future;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::pin::Pin;

use safeduty_core::attachment::FileKind;
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Entry, Event, Who};
use crate::{Store, StoreError, Tx, new_public_id, now_text};

/// A boxed future, so that [`BlobStore`] can be used as a trait object.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Where attachment bytes live, addressed by their SHA-256 (64 lower-case hex digits). The local
/// disk ([`LocalDisk`]) now; an object store later, behind the same interface.
pub trait BlobStore: Send + Sync + Debug {
    /// Stores `bytes` and returns their SHA-256. Storing the same bytes again stores nothing
    /// new. Returns only once the bytes are durable.
    ///
    /// # Errors
    /// [`StoreError::Blob`] when the bytes cannot be written.
    fn put<'a>(&'a self, bytes: &'a [u8]) -> BoxFuture<'a, Result<String, StoreError>>;

    /// The bytes stored under `sha256`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when there are none (or the key is malformed);
    /// [`StoreError::Blob`] when they cannot be read or no longer match their hash.
    fn get<'a>(&'a self, sha256: &'a str) -> BoxFuture<'a, Result<Vec<u8>, StoreError>>;
}

/// The SHA-256 of `bytes` in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Blobs on the local disk: `ROOT/ab/abcdef…` (the first two hex digits fan the files out over
/// 256 directories). A file is written under `ROOT/tmp/`, flushed to disk, then renamed into
/// place, so that a crash never leaves a partial blob under its hash.
#[derive(Debug, Clone)]
pub struct LocalDisk {
    root: PathBuf,
}

impl LocalDisk {
    /// Blobs under `root` (created on the first write).
    pub fn new(root: impl Into<PathBuf>) -> LocalDisk {
        LocalDisk { root: root.into() }
    }

    /// Blobs of a data directory: `DIR/attachments`.
    pub fn in_data_dir(dir: &Path) -> LocalDisk {
        LocalDisk::new(dir.join("attachments"))
    }

    fn path_of(&self, sha256: &str) -> PathBuf {
        self.root.join(&sha256[..2]).join(sha256)
    }

    fn put_now(&self, bytes: &[u8]) -> Result<String, StoreError> {
        let sha = sha256_hex(bytes);
        let path = self.path_of(&sha);
        if path.exists() {
            return Ok(sha);
        }
        let io = |what: &str, e: std::io::Error| StoreError::Blob(format!("{what}: {e}"));
        let tmp_dir = self.root.join("tmp");
        std::fs::create_dir_all(&tmp_dir).map_err(|e| io("create tmp dir", e))?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io("create blob dir", e))?;
        }
        let tmp = tmp_dir.join(format!("{}.part", new_public_id()));
        let written = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &path)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(io("write blob", e));
        }
        Ok(sha)
    }

    fn get_now(&self, sha256: &str) -> Result<Vec<u8>, StoreError> {
        if !is_sha256(sha256) {
            return Err(StoreError::NotFound);
        }
        let bytes = match std::fs::read(self.path_of(sha256)) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(StoreError::NotFound),
            Err(e) => return Err(StoreError::Blob(format!("read blob: {e}"))),
        };
        if sha256_hex(&bytes) != sha256 {
            return Err(StoreError::Blob(format!(
                "blob {sha256} does not match its hash"
            )));
        }
        Ok(bytes)
    }
}

impl BlobStore for LocalDisk {
    fn put<'a>(&'a self, bytes: &'a [u8]) -> BoxFuture<'a, Result<String, StoreError>> {
        let this = self.clone();
        let owned = bytes.to_vec();
        Box::pin(async move {
            tokio::task::spawn_blocking(move || this.put_now(&owned))
                .await
                .map_err(|e| StoreError::Blob(format!("blob writer: {e}")))?
        })
    }

    fn get<'a>(&'a self, sha256: &'a str) -> BoxFuture<'a, Result<Vec<u8>, StoreError>> {
        let this = self.clone();
        let key = sha256.to_string();
        Box::pin(async move {
            tokio::task::spawn_blocking(move || this.get_now(&key))
                .await
                .map_err(|e| StoreError::Blob(format!("blob reader: {e}")))?
        })
    }
}

/// What an attachment is evidence for. Stored as `owner_kind` (its [`Owner::kind`]) and
/// `owner_id` (its [`Owner::key`]); ids are the owners' internal ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owner {
    /// A check item of an enterprise's self-inspection in a campaign (key `CAMPAIGN/ITEM`; the
    /// enterprise is the attachment's own). Keyed by campaign, not by the self-inspection row,
    /// so that evidence can be added before the first draft is saved.
    SelfInspectionItem {
        /// Campaign id.
        campaign_id: i64,
        /// Check item number.
        item: u32,
    },
    /// A finding (key: its id).
    Finding {
        /// `findings.id`.
        finding_id: i64,
    },
    /// A photo or document of a finding's on-site check at its close-out (key: the finding's
    /// id; issue #18 point 4).
    FindingCheck {
        /// `findings.id`.
        finding_id: i64,
    },
    /// One transition of a finding's loop (key: the history row's id).
    FindingTransition {
        /// The transition's id.
        transition_id: i64,
    },
    /// An enterprise record: training, drill, plan … (key: `records.id`).
    Record {
        /// The record's id.
        record_id: i64,
    },
    /// The internal publication of duty commitments (key: its id).
    CommitmentPublication {
        /// The publication's id.
        publication_id: i64,
    },
    /// A check item of an on-site inspection: its photos (key `INSPECTION/ITEM`).
    InspectionItem {
        /// `inspections.id`.
        inspection_id: i64,
        /// Check item number.
        item: u32,
    },
    /// A finding's result in the re-inspection of a correction order (整改复查): its photos
    /// (key `RE_INSPECTION/FINDING`).
    ReInspectionFinding {
        /// `re_inspections.id`.
        re_inspection_id: i64,
        /// `findings.id`.
        finding_id: i64,
    },
    /// The signed scans of an inspection's documents (key: the inspection's id); which document
    /// each one is of record for is in `documents_of_record`.
    InspectionDocument {
        /// `inspections.id`.
        inspection_id: i64,
    },
    /// The signed scans of a case's documents (key: the case's id).
    CaseDocument {
        /// `cases.id`.
        case_id: i64,
    },
}

impl Owner {
    /// The stored `owner_kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            Owner::SelfInspectionItem { .. } => "self_inspection_item",
            Owner::Finding { .. } => "finding",
            Owner::FindingCheck { .. } => "finding_check",
            Owner::FindingTransition { .. } => "finding_transition",
            Owner::Record { .. } => "record",
            Owner::CommitmentPublication { .. } => "commitment_publication",
            Owner::InspectionItem { .. } => "inspection_item",
            Owner::ReInspectionFinding { .. } => "re_inspection_finding",
            Owner::InspectionDocument { .. } => "inspection_document",
            Owner::CaseDocument { .. } => "case_document",
        }
    }

    /// The stored `owner_id`.
    pub fn key(&self) -> String {
        match self {
            Owner::SelfInspectionItem { campaign_id, item } => format!("{campaign_id}/{item}"),
            Owner::Finding { finding_id } | Owner::FindingCheck { finding_id } => {
                finding_id.to_string()
            }
            Owner::FindingTransition { transition_id } => transition_id.to_string(),
            Owner::Record { record_id } => record_id.to_string(),
            Owner::CommitmentPublication { publication_id } => publication_id.to_string(),
            Owner::InspectionItem {
                inspection_id,
                item,
            } => format!("{inspection_id}/{item}"),
            Owner::ReInspectionFinding {
                re_inspection_id,
                finding_id,
            } => format!("{re_inspection_id}/{finding_id}"),
            Owner::InspectionDocument { inspection_id } => inspection_id.to_string(),
            Owner::CaseDocument { case_id } => case_id.to_string(),
        }
    }
}

/// A file whose bytes (and thumbnail, for a photo) are in the blob store, ready for [`insert`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    /// The name kept for display and download ([`safeduty_core::attachment::clean_name`]).
    pub name: String,
    /// What the content is.
    pub kind: FileKind,
    /// The type it is served with.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// SHA-256 of the bytes (the blob key).
    pub sha256: String,
    /// SHA-256 of the thumbnail (a small JPEG), for photos.
    pub thumbnail_sha256: Option<String>,
}

/// An attachment as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Internal id.
    pub id: i64,
    /// Random public id (32 hex digits), used in URLs.
    pub public_id: String,
    /// The enterprise whose scope decides who may read it.
    pub enterprise_id: i64,
    /// `owner_kind` ([`Owner::kind`]).
    pub owner_kind: String,
    /// `owner_id` ([`Owner::key`]).
    pub owner_id: String,
    /// Name, exactly as kept at upload.
    pub name: String,
    /// What the content is.
    pub kind: FileKind,
    /// Type served.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// SHA-256 of the bytes.
    pub sha256: String,
    /// SHA-256 of the thumbnail, for photos.
    pub thumbnail_sha256: Option<String>,
    /// Who uploaded it.
    pub uploaded_by: Option<i64>,
    /// The uploader's display name.
    pub uploaded_by_name: String,
    /// When (UTC instant, canonical text).
    pub uploaded_at: String,
    /// Withdrawn by its uploader as uploaded by mistake: when (UTC instant) and why. Kept and
    /// shown as withdrawn; no guard counts it.
    pub withdrawn: Option<(String, String)>,
}

impl Attachment {
    /// The size for people: `512 B`, `12.3 KB`, `4.5 MB`.
    pub fn size_label(&self) -> String {
        #[allow(clippy::cast_precision_loss)]
        let s = self.size as f64;
        if self.size < 1024 {
            format!("{} B", self.size)
        } else if self.size < 1024 * 1024 {
            format!("{:.1} KB", s / 1024.0)
        } else {
            format!("{:.1} MB", s / 1024.0 / 1024.0)
        }
    }
}

const COLUMNS: &str = "a.id, a.public_id, a.enterprise_id, a.owner_kind, a.owner_id, \
    a.original_name, a.kind, a.content_type, a.size, a.sha256, a.thumbnail_sha256, \
    a.uploaded_by, COALESCE(u.display_name, '') AS uploaded_by_name, a.uploaded_at, \
    a.withdrawn_at, a.withdrawn_reason";

const FROM: &str = "FROM attachments a LEFT JOIN users u ON u.id = a.uploaded_by";

fn from_row(r: &AnyRow) -> Result<Attachment, StoreError> {
    let kind: String = r.try_get("kind")?;
    Ok(Attachment {
        id: r.try_get("id")?,
        public_id: r.try_get("public_id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        owner_kind: r.try_get("owner_kind")?,
        owner_id: r.try_get("owner_id")?,
        name: r.try_get("original_name")?,
        kind: FileKind::from_code(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("attachment kind {kind:?}")))?,
        content_type: r.try_get("content_type")?,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
        thumbnail_sha256: r.try_get("thumbnail_sha256")?,
        uploaded_by: r.try_get("uploaded_by")?,
        uploaded_by_name: r.try_get("uploaded_by_name")?,
        uploaded_at: r.try_get("uploaded_at")?,
        withdrawn: match r.try_get::<Option<String>, _>("withdrawn_at")? {
            Some(at) => Some((at, r.try_get("withdrawn_reason")?)),
            None => None,
        },
    })
}

/// Records an attachment of `file` for `owner` of enterprise `enterprise_id`, inside the
/// caller's transaction, with its audit record (`attachment_added`). The uploader is `who`.
///
/// # Errors
/// [`StoreError::Blob`] when `file` names no blob of 64 hex digits; database errors.
pub async fn insert(
    tx: &mut Tx,
    who: &Who,
    enterprise_id: i64,
    owner: Owner,
    file: &StoredFile,
) -> Result<Attachment, StoreError> {
    if !is_sha256(&file.sha256)
        || file
            .thumbnail_sha256
            .as_deref()
            .is_some_and(|t| !is_sha256(t))
    {
        return Err(StoreError::Blob(format!("not a blob key: {}", file.sha256)));
    }
    let now = now_text();
    let public_id = new_public_id();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO attachments (public_id, sha256, original_name, kind, content_type, size, \
         thumbnail_sha256, enterprise_id, owner_kind, owner_id, uploaded_by, uploaded_at, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $12) \
         RETURNING id",
    )
    .bind(&public_id)
    .bind(&file.sha256)
    .bind(&file.name)
    .bind(file.kind.code())
    .bind(&file.content_type)
    .bind(file.size)
    .bind(file.thumbnail_sha256.clone())
    .bind(enterprise_id)
    .bind(owner.kind())
    .bind(owner.key())
    .bind(who.user_id)
    .bind(&now)
    .fetch_one(&mut **tx)
    .await?;
    audit::record(
        tx,
        Entry {
            who,
            event: Event::AttachmentAdded,
            target_kind: crate::audit::Object::Attachment.into(),
            target_id: public_id.clone(),
            before: None,
            after: Some(serde_json::json!({
                "name": file.name,
                "kind": file.kind.code(),
                "size": file.size,
                "sha256": file.sha256,
                "enterprise_id": enterprise_id,
                "owner_kind": owner.kind(),
                "owner_id": owner.key(),
            })),
            result: "ok",
        },
    )
    .await?;
    Ok(Attachment {
        id,
        public_id,
        enterprise_id,
        owner_kind: owner.kind().into(),
        owner_id: owner.key(),
        name: file.name.clone(),
        kind: file.kind,
        content_type: file.content_type.clone(),
        size: file.size,
        sha256: file.sha256.clone(),
        thumbnail_sha256: file.thumbnail_sha256.clone(),
        uploaded_by: who.user_id,
        uploaded_by_name: String::new(),
        uploaded_at: now,
        withdrawn: None,
    })
}

/// The attachment of `owner` of the same file (the same content and name) already on record and
/// not withdrawn, if any, read inside the caller's transaction: the same file uploaded twice for the
/// same thing is kept once (issue #18 point 4), so the uploads add nothing then.
///
/// # Errors
/// Database errors.
pub async fn twin(
    tx: &mut Tx,
    owner: Owner,
    file: &StoredFile,
) -> Result<Option<Attachment>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} {FROM} WHERE a.owner_kind = $1 AND a.owner_id = $2 AND a.sha256 = $3 \
         AND a.original_name = $4 AND a.withdrawn_at IS NULL ORDER BY a.id LIMIT 1"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(owner.kind())
        .bind(owner.key())
        .bind(&file.sha256)
        .bind(&file.name)
        .fetch_optional(&mut **tx)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// The attachments of `owner` of enterprise `enterprise_id`, oldest first.
///
/// # Errors
/// Database errors.
pub async fn list(
    store: &Store,
    enterprise_id: i64,
    owner: Owner,
) -> Result<Vec<Attachment>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} {FROM} WHERE a.enterprise_id = $1 AND a.owner_kind = $2 \
         AND a.owner_id = $3 ORDER BY a.uploaded_at, a.id"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(enterprise_id)
        .bind(owner.kind())
        .bind(owner.key())
        .fetch_all(store.reader())
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// Every attachment of enterprise `enterprise_id` whose owner is of kind `owner_kind`
/// ([`Owner::kind`]), ordered by owner then upload: one query for a page that shows the
/// evidence of many owners (every item of a self-inspection).
///
/// # Errors
/// Database errors.
pub async fn list_of_kind(
    store: &Store,
    enterprise_id: i64,
    owner_kind: &str,
) -> Result<Vec<Attachment>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} {FROM} WHERE a.enterprise_id = $1 AND a.owner_kind = $2 \
         ORDER BY a.owner_id, a.uploaded_at, a.id"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(enterprise_id)
        .bind(owner_kind)
        .fetch_all(store.reader())
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// How many attachments `owner` has, read inside a transaction (for a guard such as "evidence
/// required" that must see the same data as the change it allows).
///
/// # Errors
/// Database errors.
pub async fn count(tx: &mut Tx, enterprise_id: i64, owner: Owner) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM attachments WHERE enterprise_id = $1 AND owner_kind = $2 \
         AND owner_id = $3",
    )
    .bind(enterprise_id)
    .bind(owner.kind())
    .bind(owner.key())
    .fetch_one(&mut **tx)
    .await?)
}

/// The attachment with `public_id`. The caller checks the scope of its `enterprise_id` before
/// showing anything.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown or malformed id; database errors.
pub async fn by_public_id(store: &Store, public_id: &str) -> Result<Attachment, StoreError> {
    if !crate::is_public_id(public_id) {
        return Err(StoreError::NotFound);
    }
    let sql = format!("SELECT {COLUMNS} {FROM} WHERE a.public_id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(public_id)
        .fetch_optional(store.reader())
        .await?
        .ok_or(StoreError::NotFound)?;
    from_row(&row)
}

/// The unit whose inspection an attachment is a photo of: for an inspection item's photo
/// (`inspection_item`) the inspecting unit, for a re-inspection finding's photo
/// (`re_inspection_finding`) the unit that issued the order; `None` for every other owner (and
/// for a key that names no record). Decides who of the units' officers may read it (issue #12:
/// the inspecting unit's alone).
///
/// # Errors
/// Database errors.
pub async fn inspecting_unit(store: &Store, a: &Attachment) -> Result<Option<i64>, StoreError> {
    let sql = match a.owner_kind.as_str() {
        "inspection_item" => "SELECT unit_id FROM inspections WHERE id = $1",
        "re_inspection_finding" => {
            "SELECT o.unit_id FROM re_inspections r \
             JOIN correction_orders o ON o.id = r.order_id WHERE r.id = $1"
        }
        _ => return Ok(None),
    };
    let Some(id) = a
        .owner_id
        .split_once('/')
        .and_then(|(id, _)| id.parse::<i64>().ok())
    else {
        return Ok(None);
    };
    Ok(sqlx::query_scalar(sql)
        .bind(id)
        .fetch_optional(store.reader())
        .await?)
}
