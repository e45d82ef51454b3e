//! Duty commitments (履职承诺书, Work Safety Law art. 25; the plan's 履职承诺 measure): an
//! enterprise's commitment sheet (the text, its safety managers and their signatures, the
//! publication inside the enterprise), signing, recording the publication, the committee
//! office's text versions, and coverage by region, industry and unit.
//!
//! Refusals a person can correct (not read, a typed name that differs, a publication's place,
//! date or file) are [`Refusal::invalid`], so that the page shows the form again with the
//! message; an enterprise outside the key industries is [`Refusal::conflict`].

use chrono::NaiveDate;
use safeduty_core::attachment::FileKind;
use safeduty_core::commitment::{
    Publication, check_publication, check_publication_file, check_text, check_typed_name,
    required_for, signing_code,
};
use safeduty_core::policy::{Action, authorize, authorize_in_region};
use safeduty_core::refusal::Refusal;
use safeduty_store::attachments::{Attachment, StoredFile};
use safeduty_store::audit::Who;
use safeduty_store::campaigns::Campaign;
use safeduty_store::commitments::codes;
use safeduty_store::commitments::coverage::{self, Coverage, Missing};
use safeduty_store::commitments::{self, CommitmentText, PublicationRecord, Signature};
use safeduty_store::org::Enterprise;
use safeduty_store::personnel::{self, Personnel};
use safeduty_store::{Store, StoreError};

use crate::{Caller, Error, campaigns, guard};

/// An enterprise's commitment sheet.
#[derive(Debug)]
pub struct Sheet {
    /// The enterprise.
    pub enterprise: Enterprise,
    /// Whether its industry must sign ([`required_for`]).
    pub required: bool,
    /// The current text, if the committee office set one.
    pub text: Option<CommitmentText>,
    /// Its safety management personnel (those removed included, as the store lists them).
    pub people: Vec<Personnel>,
    /// Every signature of the campaign by the enterprise's personnel.
    pub signatures: Vec<Signature>,
    /// Where and when it published the commitments, if recorded.
    pub publication: Option<PublicationRecord>,
    /// The photos or scans of the publication.
    pub files: Vec<Attachment>,
    /// Whether the caller may sign and record the publication here.
    pub can_sign: bool,
    /// The signing codes issued to its safety managers in the campaign (one per person at
    /// most; their state only, never the code).
    pub codes: Vec<codes::CodeState>,
}

/// The commitment sheet of the enterprise `enterprise_id` (public id), for whoever may read its
/// profile.
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] without a campaign; store errors.
pub async fn sheet(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: &str,
) -> Result<Sheet, Error> {
    let e = guard::enterprise_for(store, caller, enterprise_id, Action::ReadProfile).await?;
    let campaign = campaigns::current(store, caller).await?;
    let required = required_for(&e.industry);
    let publication = commitments::publication(store, campaign.id, e.id).await?;
    let files = match &publication {
        Some(p) => commitments::publication_files(store, e.id, p).await?,
        None => Vec::new(),
    };
    Ok(Sheet {
        required,
        text: commitments::current_text(store, campaign.id).await?,
        people: personnel::list(store, e.id).await?,
        signatures: commitments::signatures(store, campaign.id, e.id).await?,
        codes: codes::states(store, campaign.id, e.id).await?,
        publication,
        files,
        can_sign: required
            && authorize(&caller.actor(), Action::SignCommitment, Some(&e.facts)).is_ok(),
        enterprise: e,
    })
}

/// The safety manager `person_id` (public id) of the enterprise `enterprise_id` signs the
/// current text on `today`: `read` is the "本人已阅读并承诺" box, `typed_name` must be the
/// person's name ([`check_typed_name`]).
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] for a removed person or without a campaign;
/// [`Refusal::conflict`] for an enterprise outside the key industries; [`Refusal::invalid`]
/// for the box not ticked or a name that differs; store errors.
pub async fn sign(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: &str,
    person_id: &str,
    read: bool,
    typed_name: &str,
    today: NaiveDate,
) -> Result<Signature, Error> {
    let e = guard::enterprise_for(store, caller, enterprise_id, Action::SignCommitment).await?;
    if !required_for(&e.industry) {
        return Err(Refusal::conflict(format!(
            "本企业行业为“{}”，不属于须签订履职承诺书的重点行业领域",
            e.industry
        ))
        .into());
    }
    let campaign = campaigns::current(store, caller).await?;
    let person = personnel::get(store, e.id, person_id).await?;
    if person.removed_at.is_some() {
        return Err(Error::NotFound);
    }
    if !read {
        return Err(Refusal::invalid("请先阅读承诺书全文并勾选“本人已阅读并承诺”").into());
    }
    check_typed_name(&person.person.name, typed_name).map_err(Refusal::invalid)?;
    Ok(commitments::sign(
        store,
        &caller.who(),
        campaign.id,
        e.id,
        person.id,
        typed_name.trim(),
        today,
    )
    .await?)
}

/// A publication that may be recorded, once its file (if any) is stored: see [`publication`].
#[derive(Debug)]
pub struct PublicationToRecord {
    enterprise: Enterprise,
    campaign_id: i64,
    publication: Publication,
}

impl PublicationToRecord {
    /// The enterprise it is recorded for.
    pub fn enterprise(&self) -> &Enterprise {
        &self.enterprise
    }
}

/// Checks a publication of the enterprise's commitments (where, on which day, and the kind of
/// the photo or scan sent, if one): a file is required while the record has none. The caller
/// stores the file, then calls [`record_publication`]; nothing is written here.
///
/// # Errors
/// The guard's denials; [`Refusal::invalid`] for the place, the date ([`check_publication`]), a
/// file that is not a photo or scan ([`check_publication_file`]) or a missing one; store errors.
pub async fn publication(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: &str,
    place: &str,
    published_on: &str,
    file: Option<FileKind>,
    today: NaiveDate,
) -> Result<PublicationToRecord, Error> {
    let e = guard::enterprise_for(store, caller, enterprise_id, Action::SignCommitment).await?;
    let campaign = campaigns::current(store, caller).await?;
    let p = check_publication(place, published_on, today).map_err(Refusal::invalid)?;
    match file {
        Some(kind) => check_publication_file(kind).map_err(Refusal::invalid)?,
        None => {
            let has_files = match commitments::publication(store, campaign.id, e.id).await? {
                Some(r) => !commitments::publication_files(store, e.id, &r)
                    .await?
                    .is_empty(),
                None => false,
            };
            if !has_files {
                return Err(Refusal::invalid("请上传公开情况的照片或扫描件").into());
            }
        }
    }
    Ok(PublicationToRecord {
        enterprise: e,
        campaign_id: campaign.id,
        publication: p,
    })
}

/// Records a checked publication with its stored file, in one transaction with its audit record.
///
/// # Errors
/// Store errors.
pub async fn record_publication(
    store: &Store,
    caller: &Caller<'_>,
    checked: &PublicationToRecord,
    file: Option<&StoredFile>,
) -> Result<String, Error> {
    Ok(commitments::record_publication(
        store,
        &caller.who(),
        checked.campaign_id,
        checked.enterprise.id,
        &checked.publication,
        file,
    )
    .await?)
}

/// The signature `signature_id` (public id) with its enterprise, for a printable letter: for
/// whoever may read the enterprise's profile; an unknown id is answered (and recorded) like one
/// outside the scope.
///
/// # Errors
/// [`Error::NotFound`], the guard's denials, store errors.
pub async fn signed(
    store: &Store,
    caller: &Caller<'_>,
    signature_id: &str,
) -> Result<(Signature, Enterprise), Error> {
    let s = match commitments::signature(store, signature_id).await {
        Ok(s) => s,
        Err(StoreError::NotFound) => {
            guard::enterprise_for(store, caller, "", Action::ReadProfile).await?;
            return Err(Error::NotFound);
        }
        Err(e) => return Err(e.into()),
    };
    let e = safeduty_store::org::enterprise_by_id(store, s.enterprise_id).await?;
    let e = guard::enterprise_for(store, caller, &e.public_id, Action::ReadProfile).await?;
    Ok((s, e))
}

/// The campaign whose commitment text `caller` may set, and its text versions (newest first):
/// the campaign must lie in the caller's scope (404) and the role may set the text (403).
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] without a campaign; store errors.
pub async fn texts(
    store: &Store,
    caller: &Caller<'_>,
) -> Result<(Campaign, Vec<CommitmentText>), Error> {
    let campaign = campaigns::current(store, caller).await?;
    let region = safeduty_store::org::region_by_id(store, campaign.region_id).await?;
    guard::require_in_region(store, caller, Action::SetCommitmentText, &region.path).await?;
    let versions = commitments::texts(store, campaign.id).await?;
    Ok((campaign, versions))
}

/// Sets a new version of the commitment text (signed commitments keep theirs).
///
/// # Errors
/// As [`texts`]; [`Refusal::invalid`] for a text [`check_text`] refuses; store errors.
pub async fn set_text(
    store: &Store,
    caller: &Caller<'_>,
    raw: &str,
) -> Result<CommitmentText, Error> {
    let (campaign, _) = texts(store, caller).await?;
    let body = check_text(raw).map_err(Refusal::invalid)?;
    Ok(commitments::set_text(store, &caller.who(), campaign.id, &body).await?)
}

/// Commitment coverage inside the caller's scope.
#[derive(Debug)]
pub struct CoverageView {
    /// The campaign.
    pub campaign: Campaign,
    /// Signed and not signed by region, industry (in the plan's order, others after) and unit.
    pub coverage: Coverage,
    /// Who is missing, at most `shown` rows.
    pub missing: Vec<Missing>,
    /// Whether the campaign has a commitment text yet.
    pub has_text: bool,
    /// Whether the caller may set the text.
    pub can_set_text: bool,
}

/// Coverage of the caller's scope, with at most `shown` rows of the missing list (the counts
/// are complete).
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] without a campaign; store errors.
pub async fn coverage(
    store: &Store,
    caller: &Caller<'_>,
    shown: i64,
) -> Result<CoverageView, Error> {
    guard::require(store, caller, Action::ViewCommitmentCoverage, None).await?;
    let campaign = campaigns::current(store, caller).await?;
    let scope = &caller.user.scope;
    let mut c = coverage::coverage(store, scope, campaign.id).await?;
    let order = &campaign.template.target_industries;
    c.by_industry.sort_by_key(|g| {
        order
            .iter()
            .position(|i| *i == g.group)
            .unwrap_or(order.len())
    });
    let missing = coverage::missing(store, scope, campaign.id, shown).await?;
    let region = safeduty_store::org::region_by_id(store, campaign.region_id)
        .await?
        .path;
    Ok(CoverageView {
        has_text: commitments::current_text(store, campaign.id)
            .await?
            .is_some(),
        can_set_text: authorize_in_region(&caller.actor(), Action::SetCommitmentText, &region)
            .is_ok(),
        coverage: c,
        missing,
        campaign,
    })
}

/// A signing code just issued (issue #18 point 9): shown once to the enterprise user, who hands
/// it to the person; only its hash is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedCode {
    /// The safety manager it is for.
    pub person_name: String,
    /// The code as shown, `XXXXX-XXXXX`.
    pub code: String,
    /// When it stops working (UTC instant).
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// Issues a one-time signing code to listed safety manager `person_id` of enterprise
/// `enterprise_id`, good for [`signing_code::VALID_HOURS`] from `now`, replacing an earlier code
/// of the person. Who may sign for the enterprise may issue (the enterprise user).
///
/// # Errors
/// [`Error::NotFound`] for a person not listed (or removed) or an enterprise outside the scope;
/// forbidden as [`sign`]; a conflict when the person has signed, or for an enterprise outside
/// the key industries (as [`sign`]).
pub async fn issue_code(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: &str,
    person_id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<IssuedCode, Error> {
    use rand::RngCore;
    let (e, campaign, person) = listed_person(store, caller, enterprise_id, person_id).await?;
    if !required_for(&e.industry) {
        return Err(Refusal::conflict(format!(
            "本企业行业为“{}”，不属于须签订履职承诺书的重点行业领域",
            e.industry
        ))
        .into());
    }
    let mut random = [0u8; 10];
    rand::rng().fill_bytes(&mut random);
    let code = signing_code::SigningCode::from_random(&random);
    let expires_at = now + chrono::Duration::hours(signing_code::VALID_HOURS);
    codes::issue(
        store,
        &caller.who(),
        campaign.id,
        e.id,
        person.id,
        &code.hash(),
        &safeduty_store::instant(expires_at),
    )
    .await?;
    Ok(IssuedCode {
        person_name: person.person.name,
        code: code.shown(),
        expires_at,
    })
}

/// Revokes the unused signing code of listed safety manager `person_id`.
///
/// # Errors
/// As [`issue_code`]; [`Refusal::conflict`] when the listed person has no code to revoke
/// (never issued, used, or revoked already: a second click of 作废 is told so, not 404).
pub async fn revoke_code(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: &str,
    person_id: &str,
) -> Result<(), Error> {
    let (_, campaign, person) = listed_person(store, caller, enterprise_id, person_id).await?;
    match codes::revoke(store, &caller.who(), campaign.id, person.id).await {
        Err(StoreError::NotFound) => Err(Refusal::conflict(format!(
            "{}没有未使用的签署码，无需作废",
            person.person.name
        ))
        .into()),
        done => Ok(done?),
    }
}

/// Where a listed safety manager's signing code stands, as the enterprise sees it (never the
/// code itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeStatus {
    /// Issued, unused, not revoked, not expired: the person may sign with it.
    Outstanding,
    /// Past its expiry, unused.
    Expired,
    /// Used to sign.
    Used,
    /// Revoked by the enterprise.
    Revoked,
}

/// The status of a code at instant `now` (the same rules as the store's check: used, then
/// revoked, then expired).
pub fn code_status(state: &codes::CodeState, now: chrono::DateTime<chrono::Utc>) -> CodeStatus {
    if state.used_at.is_some() {
        CodeStatus::Used
    } else if state.revoked_at.is_some() {
        CodeStatus::Revoked
    } else if state.expires_at.as_str() <= safeduty_store::instant(now).as_str() {
        CodeStatus::Expired
    } else {
        CodeStatus::Outstanding
    }
}

async fn listed_person(
    store: &Store,
    caller: &Caller<'_>,
    enterprise_id: &str,
    person_id: &str,
) -> Result<(Enterprise, Campaign, Personnel), Error> {
    let e = guard::enterprise_for(store, caller, enterprise_id, Action::SignCommitment).await?;
    let campaign = campaigns::current(store, caller).await?;
    let person = personnel::get(store, e.id, person_id).await?;
    if person.removed_at.is_some() {
        return Err(Error::NotFound);
    }
    Ok((e, campaign, person))
}

/// What a good signing code shows its holder: their name and the text they sign, nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeView {
    /// The safety manager's name as listed.
    pub person_name: String,
    /// The campaign's current text.
    pub text: CommitmentText,
}

/// The commitment a signing code (as typed) opens, without an account. A refused code (unknown,
/// expired, used, revoked, malformed) is counted and audited by the store, and answered with its
/// Chinese message.
///
/// # Errors
/// [`Refusal::invalid`] with the code's message; a conflict when there is no text yet.
pub async fn code_view(
    store: &Store,
    who: &Who,
    typed_code: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<CodeView, Error> {
    let hash = signing_code::hash_typed(typed_code).unwrap_or_default();
    let holder = codes::check(store, who, &hash, &safeduty_store::instant(now))
        .await?
        .map_err(|r| Refusal::invalid(r.message()))?;
    let text = commitments::current_text(store, holder.campaign_id)
        .await?
        .ok_or_else(|| Refusal::conflict("安委办尚未发布承诺书文本，暂不能签署"))?;
    Ok(CodeView {
        person_name: holder.personnel_name,
        text,
    })
}

/// Signs, as the person, the commitment the signing code opens: read confirmed and the name typed
/// as listed ([`check_typed_name`]); the code is used up and the signature says 本人签署（签署码）.
///
/// # Errors
/// As [`code_view`]; [`Refusal::invalid`] when not read or the name differs (the code stays good).
pub async fn sign_with_code(
    store: &Store,
    who: &Who,
    typed_code: &str,
    read: bool,
    typed_name: &str,
    now: chrono::DateTime<chrono::Utc>,
    today: NaiveDate,
) -> Result<Signature, Error> {
    let view = code_view(store, who, typed_code, now).await?;
    if !read {
        return Err(Refusal::invalid("请先阅读承诺书全文并勾选“本人已阅读并承诺”").into());
    }
    check_typed_name(&view.person_name, typed_name).map_err(Refusal::invalid)?;
    let hash = signing_code::hash_typed(typed_code).unwrap_or_default();
    let signed = codes::sign(
        store,
        who,
        &hash,
        typed_name.trim(),
        &safeduty_store::instant(now),
        today,
    )
    .await?
    .map_err(|r| Refusal::invalid(r.message()))?;
    Ok(signed)
}
