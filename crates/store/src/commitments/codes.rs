//! One-time signing codes (issue #18 point 9): the enterprise user issues a code to each listed
//! safety manager; the manager signs their own commitment with it, without an account. Only the
//! code's SHA-256 is stored (`safeduty_core::commitment::signing_code`); one row per person and
//! campaign, so that issuing again replaces the earlier code; a code is used once. Every issue,
//! revocation, signature and refused try writes its audit record in the same transaction.

use sqlx::Row;

use super::{BY_CODE, Signature, sign_in};
use crate::audit::{self, Entry, Event, Who};
use crate::{Store, StoreError, now_text};

/// Why a code was refused (nothing signed; the try is counted on the code's row when it has one
/// and recorded in the audit trail).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeRefusal {
    /// No code with this hash (never issued, replaced, or mistyped), or the code of a person
    /// no longer listed as a safety manager.
    Unknown,
    /// Past its `expires_at`.
    Expired,
    /// Already used to sign.
    Used,
    /// Revoked by the enterprise.
    Revoked,
}

impl CodeRefusal {
    /// The message people read (Chinese).
    pub fn message(self) -> &'static str {
        match self {
            CodeRefusal::Unknown => "签署码不正确，请核对后重新输入，或请企业重新发放签署码。",
            CodeRefusal::Expired => "签署码已过期，请企业重新发放签署码。",
            CodeRefusal::Used => "签署码已使用过，承诺书已签署。",
            CodeRefusal::Revoked => "签署码已作废，请企业重新发放签署码。",
        }
    }
}

/// A code found by its hash, and what it lets its holder sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeHolder {
    /// The code's row id.
    pub id: i64,
    /// The campaign.
    pub campaign_id: i64,
    /// The enterprise.
    pub enterprise_id: i64,
    /// The safety manager's internal id.
    pub personnel_id: i64,
    /// The safety manager's name as listed.
    pub personnel_name: String,
    /// When the code stops working (UTC instant text).
    pub expires_at: String,
}

/// A listed safety manager's code as the enterprise sees it (never the code itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeState {
    /// The safety manager's internal id.
    pub personnel_id: i64,
    /// When issued (UTC instant text).
    pub issued_at: String,
    /// When it stops working.
    pub expires_at: String,
    /// When it was used, if it was.
    pub used_at: Option<String>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
    /// Refused tries with it.
    pub attempts: i64,
}

/// Issues the code with hash `code_sha256` to safety manager `personnel_id` of `enterprise_id`
/// for `campaign_id`, good until `expires_at` (UTC instant text), replacing an earlier code of
/// the same person. Audited (`commitment_code_issued`: the person and the expiry, never the code).
///
/// # Errors
/// [`StoreError::Conflict`] when the person has signed already; database errors.
pub async fn issue(
    store: &Store,
    who: &Who,
    campaign_id: i64,
    enterprise_id: i64,
    personnel_id: i64,
    code_sha256: &str,
    expires_at: &str,
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    let signed: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM commitment_signatures WHERE campaign_id = $1 AND personnel_id = $2",
    )
    .bind(campaign_id)
    .bind(personnel_id)
    .fetch_optional(&mut *tx)
    .await?;
    if signed.is_some() {
        return Err(StoreError::Conflict(
            "该安全管理人员已签署本次专项治理的承诺书，无需发放签署码".into(),
        ));
    }
    let now = now_text();
    sqlx::query(
        "INSERT INTO commitment_signing_codes (campaign_id, enterprise_id, personnel_id, \
         code_sha256, issued_by, issued_at, expires_at, attempts, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $6, $6) \
         ON CONFLICT (campaign_id, personnel_id) DO UPDATE SET code_sha256 = excluded.code_sha256, \
         issued_by = excluded.issued_by, issued_at = excluded.issued_at, \
         expires_at = excluded.expires_at, used_at = NULL, revoked_at = NULL, attempts = 0, \
         updated_at = excluded.updated_at",
    )
    .bind(campaign_id)
    .bind(enterprise_id)
    .bind(personnel_id)
    .bind(code_sha256)
    .bind(who.user_id)
    .bind(&now)
    .bind(expires_at)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::CommitmentCodeIssued,
            target_kind: crate::audit::Object::CommitmentSignature.into(),
            target_id: personnel_id.to_string(),
            before: None,
            after: Some(serde_json::json!({
                "campaign_id": campaign_id, "personnel_id": personnel_id, "expires_at": expires_at,
            })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Revokes the unused code of safety manager `personnel_id` in `campaign_id`. Audited
/// (`commitment_code_revoked`).
///
/// # Errors
/// [`StoreError::NotFound`] when the person has no unused, unrevoked code; database errors.
pub async fn revoke(
    store: &Store,
    who: &Who,
    campaign_id: i64,
    personnel_id: i64,
) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    let now = now_text();
    let done = sqlx::query(
        "UPDATE commitment_signing_codes SET revoked_at = $1, updated_at = $1 \
         WHERE campaign_id = $2 AND personnel_id = $3 AND used_at IS NULL AND revoked_at IS NULL",
    )
    .bind(&now)
    .bind(campaign_id)
    .bind(personnel_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    audit::record(
        &mut tx,
        Entry {
            who,
            event: Event::CommitmentCodeRevoked,
            target_kind: crate::audit::Object::CommitmentSignature.into(),
            target_id: personnel_id.to_string(),
            before: None,
            after: Some(serde_json::json!({
                "campaign_id": campaign_id, "personnel_id": personnel_id,
            })),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The codes of an enterprise's safety managers in a campaign.
///
/// # Errors
/// Database errors.
pub async fn states(
    store: &Store,
    campaign_id: i64,
    enterprise_id: i64,
) -> Result<Vec<CodeState>, StoreError> {
    let rows = sqlx::query(
        "SELECT personnel_id, issued_at, expires_at, used_at, revoked_at, attempts \
         FROM commitment_signing_codes WHERE campaign_id = $1 AND enterprise_id = $2 ORDER BY id",
    )
    .bind(campaign_id)
    .bind(enterprise_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(CodeState {
                personnel_id: r.try_get("personnel_id")?,
                issued_at: r.try_get("issued_at")?,
                expires_at: r.try_get("expires_at")?,
                used_at: r.try_get("used_at")?,
                revoked_at: r.try_get("revoked_at")?,
                attempts: r.try_get("attempts")?,
            })
        })
        .collect()
}

/// Checks the code with hash `code_sha256` at instant `now` (UTC text): its holder when it is
/// good. A refused try is counted on the code's row (when it has one) and recorded in the audit
/// trail (`commitment_code_refused`, result `denied`), in one transaction; nothing else changes.
///
/// # Errors
/// Database errors.
pub async fn check(
    store: &Store,
    who: &Who,
    code_sha256: &str,
    now: &str,
) -> Result<Result<CodeHolder, CodeRefusal>, StoreError> {
    let mut tx = store.write().await?;
    let found = holder_in(&mut tx, code_sha256, now).await?;
    if let Err(refusal) = &found {
        refused_in(&mut tx, who, code_sha256, *refusal).await?;
    }
    tx.commit().await?;
    Ok(found)
}

/// Signs with the code with hash `code_sha256` at instant `now`, on day `on` (the product's
/// today), the name typed checked by the caller (`core::commitment::check_typed_name`): the
/// code is marked used and the signature written with method [`BY_CODE`], with their audit
/// records, in one transaction. A refused code is counted and recorded as by [`check`].
///
/// # Errors
/// [`StoreError::Conflict`] when there is no text yet or the person has signed; database errors.
pub async fn sign(
    store: &Store,
    who: &Who,
    code_sha256: &str,
    typed_name: &str,
    now: &str,
    on: chrono::NaiveDate,
) -> Result<Result<Signature, CodeRefusal>, StoreError> {
    let mut tx = store.write().await?;
    let holder = match holder_in(&mut tx, code_sha256, now).await? {
        Ok(h) => h,
        Err(refusal) => {
            refused_in(&mut tx, who, code_sha256, refusal).await?;
            tx.commit().await?;
            return Ok(Err(refusal));
        }
    };
    sqlx::query("UPDATE commitment_signing_codes SET used_at = $1, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(holder.id)
        .execute(&mut *tx)
        .await?;
    let s = sign_in(
        &mut tx,
        who,
        holder.campaign_id,
        holder.enterprise_id,
        holder.personnel_id,
        typed_name,
        on,
        BY_CODE,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(s))
}

async fn holder_in(
    tx: &mut crate::Tx,
    code_sha256: &str,
    now: &str,
) -> Result<Result<CodeHolder, CodeRefusal>, StoreError> {
    let row = sqlx::query(
        "SELECT c.id, c.campaign_id, c.enterprise_id, c.personnel_id, p.name, c.expires_at, \
         c.used_at, c.revoked_at FROM commitment_signing_codes c \
         JOIN personnel p ON p.id = c.personnel_id \
         WHERE c.code_sha256 = $1 AND p.removed_at IS NULL",
    )
    .bind(code_sha256)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(r) = row else {
        return Ok(Err(CodeRefusal::Unknown));
    };
    let used: Option<String> = r.try_get("used_at")?;
    let revoked: Option<String> = r.try_get("revoked_at")?;
    let expires_at: String = r.try_get("expires_at")?;
    if used.is_some() {
        return Ok(Err(CodeRefusal::Used));
    }
    if revoked.is_some() {
        return Ok(Err(CodeRefusal::Revoked));
    }
    // Both are `now_text` instants (fixed width, UTC): they compare as text.
    if expires_at.as_str() <= now {
        return Ok(Err(CodeRefusal::Expired));
    }
    Ok(Ok(CodeHolder {
        id: r.try_get("id")?,
        campaign_id: r.try_get("campaign_id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        personnel_id: r.try_get("personnel_id")?,
        personnel_name: r.try_get("name")?,
        expires_at,
    }))
}

async fn refused_in(
    tx: &mut crate::Tx,
    who: &Who,
    code_sha256: &str,
    refusal: CodeRefusal,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE commitment_signing_codes SET attempts = attempts + 1 WHERE code_sha256 = $1",
    )
    .bind(code_sha256)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        Entry {
            who,
            event: Event::CommitmentCodeRefused,
            target_kind: crate::audit::Object::CommitmentSignature.into(),
            target_id: String::new(),
            before: None,
            after: Some(serde_json::json!({ "reason": format!("{refusal:?}").to_lowercase() })),
            result: "denied",
        },
    )
    .await?;
    Ok(())
}
