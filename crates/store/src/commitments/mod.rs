//! Duty commitments (履职承诺书, Qingxiu plan §4 phase 2): the committee office's text for a
//! campaign in versions, one signature per safety manager and campaign, and the record of where
//! and when the enterprise published its commitments internally.
//!
//! A signature stores the exact text signed and its SHA-256 ([`text_hash`]); a later version of
//! the campaign's text leaves it as it was. Callers check the policy and the rules of
//! `core::commitment` first; this module persists, with the audit record in the same transaction.

pub mod codes;
pub mod coverage;
pub mod demo;

use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::attachments::{self, Attachment, Owner, StoredFile};
use crate::audit::{self, Entry, Event, Who};
use crate::{Store, StoreError, Tx, new_public_id, now_text};

/// The hash a signature carries: SHA-256 of the text's UTF-8 bytes, lower-case hex (64 chars).
pub fn text_hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// One version of a campaign's commitment text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CommitmentText {
    /// Internal id.
    #[serde(skip)]
    pub id: i64,
    /// Version, from 1.
    pub version: i64,
    /// The text, as `core::commitment::check_text` made it.
    pub body: String,
    /// [`text_hash`] of `body`.
    pub text_sha256: String,
    /// When it was set (UTC instant).
    pub created_at: String,
}

fn text_from_row(r: &AnyRow) -> Result<CommitmentText, StoreError> {
    Ok(CommitmentText {
        id: r.try_get("id")?,
        version: r.try_get("version")?,
        body: r.try_get("body")?,
        text_sha256: r.try_get("text_sha256")?,
        created_at: r.try_get("created_at")?,
    })
}

const TEXT_SELECT: &str = "SELECT id, version, body, text_sha256, created_at FROM commitment_texts";

async fn current_in<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    ex: E,
    campaign_id: i64,
) -> Result<Option<CommitmentText>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "{TEXT_SELECT} WHERE campaign_id = $1 ORDER BY version DESC LIMIT 1"
    )))
    .bind(campaign_id)
    .fetch_optional(ex)
    .await?
    .as_ref()
    .map(text_from_row)
    .transpose()
}

/// The campaign's current text (its latest version), if the committee office has set one.
///
/// # Errors
/// Database errors.
pub async fn current_text(
    store: &Store,
    campaign_id: i64,
) -> Result<Option<CommitmentText>, StoreError> {
    current_in(store.reader(), campaign_id).await
}

/// Every version of the campaign's text, latest first.
///
/// # Errors
/// Database errors.
pub async fn texts(store: &Store, campaign_id: i64) -> Result<Vec<CommitmentText>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{TEXT_SELECT} WHERE campaign_id = $1 ORDER BY version DESC"
    )))
    .bind(campaign_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(text_from_row).collect()
}

/// Sets the campaign's text inside `tx`: a new version unless `body` is the current one (then
/// nothing is written). Audited (`commitment_text_set`, with the version and hash).
///
/// # Errors
/// Database errors; [`StoreError::Conflict`] when another version was set at the same moment.
pub async fn set_text_in(
    tx: &mut Tx,
    who: &Who,
    campaign_id: i64,
    body: &str,
) -> Result<CommitmentText, StoreError> {
    let current = current_in(&mut **tx, campaign_id).await?;
    if let Some(c) = current.as_ref().filter(|c| c.body == body) {
        return Ok(c.clone());
    }
    let version = current.as_ref().map_or(1, |c| c.version + 1);
    let hash = text_hash(body);
    let now = now_text();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO commitment_texts (campaign_id, version, body, text_sha256, set_by, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(campaign_id)
    .bind(version)
    .bind(body)
    .bind(&hash)
    .bind(who.user_id)
    .bind(&now)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| StoreError::from_write(e, "承诺书文本刚被他人修改，请刷新后重试"))?;
    audit::record(
        tx,
        Entry {
            who,
            event: Event::CommitmentTextSet,
            target_kind: crate::audit::Object::CommitmentText.into(),
            target_id: format!("{campaign_id}/{version}"),
            before: current
                .as_ref()
                .map(|c| serde_json::json!({"version": c.version, "text_sha256": c.text_sha256})),
            after: Some(serde_json::json!({"version": version, "text_sha256": hash, "body": body})),
            result: "ok",
        },
    )
    .await?;
    Ok(CommitmentText {
        id,
        version,
        body: body.to_string(),
        text_sha256: hash,
        created_at: now,
    })
}

/// Sets the campaign's text (see [`set_text_in`]).
///
/// # Errors
/// As [`set_text_in`].
pub async fn set_text(
    store: &Store,
    who: &Who,
    campaign_id: i64,
    body: &str,
) -> Result<CommitmentText, StoreError> {
    let mut tx = store.write().await?;
    let t = set_text_in(&mut tx, who, campaign_id, body).await?;
    tx.commit().await?;
    Ok(t)
}

/// A signed commitment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Signature {
    /// Public id (URLs, the .docx).
    pub public_id: String,
    /// The enterprise's id.
    #[serde(skip)]
    pub enterprise_id: i64,
    /// The safety manager's public id.
    pub personnel_public_id: String,
    /// The safety manager's name as on the personnel row.
    pub personnel_name: String,
    /// Version of the campaign text signed.
    pub version: i64,
    /// The exact text signed.
    pub signed_text: String,
    /// [`text_hash`] of `signed_text`, computed when signing.
    pub text_sha256: String,
    /// The name typed when signing.
    pub typed_name: String,
    /// The day signed (Asia/Shanghai, the product's today): the date printed on the commitment.
    pub signed_on: chrono::NaiveDate,
    /// When (UTC instant).
    pub signed_at: String,
    /// How it was signed: [`BY_CODE`] (the person, with a signing code) or [`BY_ENTERPRISE`]
    /// (typed by the enterprise account for the person).
    pub method: String,
}

impl Signature {
    /// How it was signed, as people read it: 本人签署（签署码） or 企业代签.
    pub fn method_label(&self) -> &'static str {
        if self.method == BY_CODE {
            "本人签署（签署码）"
        } else {
            "企业代签"
        }
    }
}

/// [`Signature::method`]: the safety manager signed as themselves with a one-time signing code
/// ([`codes`]), shown 本人签署（签署码）.
pub const BY_CODE: &str = "code";
/// [`Signature::method`]: the enterprise account typed the person's name (every signature before
/// migration 0032, and the demo's), shown 企业代签.
pub const BY_ENTERPRISE: &str = "enterprise";

const SIGNATURE_SELECT: &str = "SELECT s.public_id, s.enterprise_id, p.public_id AS person_id, \
    p.name AS person_name, t.version, s.signed_text, s.text_sha256, s.typed_name, s.signed_on, s.signed_at, s.method \
    FROM commitment_signatures s JOIN personnel p ON p.id = s.personnel_id \
    JOIN commitment_texts t ON t.id = s.text_id";

fn signature_from_row(r: &AnyRow) -> Result<Signature, StoreError> {
    Ok(Signature {
        public_id: r.try_get("public_id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        personnel_public_id: r.try_get("person_id")?,
        personnel_name: r.try_get("person_name")?,
        version: r.try_get("version")?,
        signed_text: r.try_get("signed_text")?,
        text_sha256: r.try_get("text_sha256")?,
        typed_name: r.try_get("typed_name")?,
        signed_on: {
            let on: String = r.try_get("signed_on")?;
            on.parse()
                .map_err(|_| StoreError::Corrupt(format!("bad signed_on {on:?}")))?
        },
        signed_at: r.try_get("signed_at")?,
        method: r.try_get("method")?,
    })
}

/// Signs the campaign's current text for safety manager `personnel_id` of `enterprise_id`, with
/// the name typed (already checked against the person's by `core::commitment::check_typed_name`),
/// on day `on` (the product's today). Audited (`commitment_signed`, with version and hash).
///
/// # Errors
/// [`StoreError::Conflict`] when there is no text yet or the person has signed already (in this
/// campaign); database errors.
pub async fn sign(
    store: &Store,
    who: &Who,
    campaign_id: i64,
    enterprise_id: i64,
    personnel_id: i64,
    typed_name: &str,
    on: chrono::NaiveDate,
) -> Result<Signature, StoreError> {
    let mut tx = store.write().await?;
    let s = sign_in(
        &mut tx,
        who,
        campaign_id,
        enterprise_id,
        personnel_id,
        typed_name,
        on,
        BY_ENTERPRISE,
    )
    .await?;
    tx.commit().await?;
    Ok(s)
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn sign_in(
    tx: &mut Tx,
    who: &Who,
    campaign_id: i64,
    enterprise_id: i64,
    personnel_id: i64,
    typed_name: &str,
    on: chrono::NaiveDate,
    method: &str,
) -> Result<Signature, StoreError> {
    let text = current_in(&mut **tx, campaign_id)
        .await?
        .ok_or_else(|| StoreError::Conflict("安委办尚未发布承诺书文本，暂不能签署".into()))?;
    let public_id = new_public_id();
    let now = now_text();
    let hash = text_hash(&text.body);
    sqlx::query(
        "INSERT INTO commitment_signatures (public_id, campaign_id, enterprise_id, personnel_id, \
         text_id, signed_text, text_sha256, typed_name, signed_on, signed_at, signed_by, \
         created_at, updated_at, method) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $10, $10, $12)",
    )
    .bind(&public_id)
    .bind(campaign_id)
    .bind(enterprise_id)
    .bind(personnel_id)
    .bind(text.id)
    .bind(&text.body)
    .bind(&hash)
    .bind(typed_name)
    .bind(on.to_string())
    .bind(&now)
    .bind(who.user_id)
    .bind(method)
    .execute(&mut **tx)
    .await
    .map_err(|e| StoreError::from_write(e, "该安全管理人员已签署本次专项治理的承诺书"))?;
    audit::record(
        tx,
        Entry {
            who,
            event: Event::CommitmentSigned,
            target_kind: crate::audit::Object::CommitmentSignature.into(),
            target_id: public_id.clone(),
            before: None,
            after: Some(serde_json::json!({
                "personnel_id": personnel_id, "version": text.version,
                "text_sha256": hash, "typed_name": typed_name, "signed_on": on.to_string(),
                "method": method,
            })),
            result: "ok",
        },
    )
    .await?;
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SIGNATURE_SELECT} WHERE s.public_id = $1"
    )))
    .bind(&public_id)
    .fetch_one(&mut **tx)
    .await?;
    signature_from_row(&row)
}

/// The signatures of an enterprise's safety managers in a campaign (removed persons included),
/// in signing order.
///
/// # Errors
/// Database errors.
pub async fn signatures(
    store: &Store,
    campaign_id: i64,
    enterprise_id: i64,
) -> Result<Vec<Signature>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SIGNATURE_SELECT} WHERE s.campaign_id = $1 AND s.enterprise_id = $2 ORDER BY s.id"
    )))
    .bind(campaign_id)
    .bind(enterprise_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(signature_from_row).collect()
}

/// The signature with `public_id`, whoever asks: the caller checks the policy on its enterprise.
///
/// # Errors
/// [`StoreError::NotFound`].
pub async fn signature(store: &Store, public_id: &str) -> Result<Signature, StoreError> {
    if !crate::is_public_id(public_id) {
        return Err(StoreError::NotFound);
    }
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SIGNATURE_SELECT} WHERE s.public_id = $1"
    )))
    .bind(public_id)
    .fetch_optional(store.reader())
    .await?
    .ok_or(StoreError::NotFound)?;
    signature_from_row(&row)
}

/// Where and when an enterprise published its commitments internally.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PublicationRecord {
    /// Internal id: the owner of its photos or scans
    /// ([`crate::attachments::Owner::CommitmentPublication`]).
    #[serde(skip)]
    pub id: i64,
    /// Public id.
    pub public_id: String,
    /// Where.
    pub place: String,
    /// On which day.
    pub published_on: chrono::NaiveDate,
    /// When it was last recorded (UTC instant).
    pub updated_at: String,
}

/// The publication record of an enterprise in a campaign, if any.
///
/// # Errors
/// Database errors; [`StoreError::Corrupt`] for a stored date that does not parse.
pub async fn publication(
    store: &Store,
    campaign_id: i64,
    enterprise_id: i64,
) -> Result<Option<PublicationRecord>, StoreError> {
    let row = sqlx::query(
        "SELECT id, public_id, place, published_on, updated_at FROM commitment_publications \
         WHERE campaign_id = $1 AND enterprise_id = $2",
    )
    .bind(campaign_id)
    .bind(enterprise_id)
    .fetch_optional(store.reader())
    .await?;
    row.map(|r| {
        let on: String = r.try_get("published_on")?;
        Ok(PublicationRecord {
            id: r.try_get("id")?,
            public_id: r.try_get("public_id")?,
            place: r.try_get("place")?,
            published_on: on
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("bad published_on {on:?}")))?,
            updated_at: r.try_get("updated_at")?,
        })
    })
    .transpose()
}

/// Records (or corrects) where and when the enterprise published its commitments, with a photo
/// or scan of it when `photo` is given (its bytes already in the blob store): the record and the
/// attachment in one transaction, each audited (`commitment_published`, before and after, when
/// the record changes; `attachment_added`). Returns the record's public id.
///
/// # Errors
/// Database errors; [`StoreError::Blob`] for a `photo` that names no blob.
pub async fn record_publication(
    store: &Store,
    who: &Who,
    campaign_id: i64,
    enterprise_id: i64,
    p: &safeduty_core::commitment::Publication,
    photo: Option<&StoredFile>,
) -> Result<String, StoreError> {
    let mut tx = store.write().await?;
    let (id, public_id) =
        record_publication_in(&mut tx, who, campaign_id, enterprise_id, p).await?;
    if let Some(file) = photo {
        attachments::insert(
            &mut tx,
            who,
            enterprise_id,
            Owner::CommitmentPublication { publication_id: id },
            file,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(public_id)
}

/// The photos and scans of a publication record, oldest first.
///
/// # Errors
/// Database errors.
pub async fn publication_files(
    store: &Store,
    enterprise_id: i64,
    publication: &PublicationRecord,
) -> Result<Vec<Attachment>, StoreError> {
    attachments::list(
        store,
        enterprise_id,
        Owner::CommitmentPublication {
            publication_id: publication.id,
        },
    )
    .await
}

/// Writes the record inside `tx`; returns its internal and public ids.
pub(crate) async fn record_publication_in(
    tx: &mut Tx,
    who: &Who,
    campaign_id: i64,
    enterprise_id: i64,
    p: &safeduty_core::commitment::Publication,
) -> Result<(i64, String), StoreError> {
    let before = sqlx::query(
        "SELECT id, public_id, place, published_on FROM commitment_publications \
         WHERE campaign_id = $1 AND enterprise_id = $2",
    )
    .bind(campaign_id)
    .bind(enterprise_id)
    .fetch_optional(&mut **tx)
    .await?;
    let now = now_text();
    let after = serde_json::json!({"place": p.place, "published_on": p.published_on.to_string()});
    let (id, public_id, before_state) = match before {
        Some(r) => {
            let id: i64 = r.try_get("id")?;
            let public_id: String = r.try_get("public_id")?;
            let state = serde_json::json!({
                "place": r.try_get::<String, _>("place")?,
                "published_on": r.try_get::<String, _>("published_on")?,
            });
            if state == after {
                return Ok((id, public_id));
            }
            sqlx::query(
                "UPDATE commitment_publications SET place = $1, published_on = $2, \
                 recorded_by = $3, updated_at = $4 WHERE id = $5",
            )
            .bind(&p.place)
            .bind(p.published_on.to_string())
            .bind(who.user_id)
            .bind(&now)
            .bind(id)
            .execute(&mut **tx)
            .await?;
            (id, public_id, Some(state))
        }
        None => {
            let public_id = new_public_id();
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO commitment_publications (public_id, campaign_id, enterprise_id, \
                 place, published_on, recorded_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
            )
            .bind(&public_id)
            .bind(campaign_id)
            .bind(enterprise_id)
            .bind(&p.place)
            .bind(p.published_on.to_string())
            .bind(who.user_id)
            .bind(&now)
            .fetch_one(&mut **tx)
            .await
            .map_err(|e| StoreError::from_write(e, "公开情况刚被他人记录，请刷新后重试"))?;
            (id, public_id, None)
        }
    };
    audit::record(
        tx,
        Entry {
            who,
            event: Event::CommitmentPublished,
            target_kind: crate::audit::Object::CommitmentPublication.into(),
            target_id: public_id.clone(),
            before: before_state,
            after: Some(after),
            result: "ok",
        },
    )
    .await?;
    Ok((id, public_id))
}
