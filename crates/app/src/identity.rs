//! Identity (身份鉴别, GB/T 22239-2019 8.1.4.1): the password check with lockout after repeated
//! failures, the second factor's code (RFC 6238, each code good once), one's own password
//! change under the password policy, and argon2id password hashes. Every attempt is audited.
//! Sessions, cookies and the per-node login rate limit are the web's.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::Utc;
use rand::RngCore;
use safeduty_core::identity::{
    FailureCounter, LockoutPolicy, MAX_PASSWORD_CHARS, SecondFactor, second_factor,
};
use safeduty_core::refusal::Refusal;
use safeduty_core::text::has_control_chars;
use safeduty_store::audit::{self, Entry, Event, Who};
use safeduty_store::org::User;
use safeduty_store::{Store, StoreError, identity, security_policy};

use crate::{Caller, Error};

/// Why a login step did not let the user in.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Wrong user name or password (the same answer for both).
    #[error("bad credentials")]
    BadCredentials,
    /// Locked after repeated failures, for this many more minutes (rounded up).
    #[error("account locked")]
    AccountLocked {
        /// Minutes until it unlocks.
        minutes: i64,
    },
    /// The account is disabled.
    #[error("account disabled")]
    AccountDisabled,
    /// The second factor's code is wrong or used (counts toward the lockout).
    #[error("bad second factor")]
    BadSecondFactor,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Who runs this deployment, as the login page names it: the committee office of the highest
/// region ([`safeduty_store::org::organising_office`]); `None` before any is set up.
///
/// # Errors
/// Store errors.
pub async fn organising_office(store: &Store) -> Result<Option<String>, Error> {
    Ok(safeduty_store::org::organising_office(store).await?)
}

/// Hashes a password with argon2id (the argon2 crate's default parameters, a random salt), as a
/// PHC string (CPU-heavy: in a request, [`hash`]).
///
/// # Errors
/// Only if the hasher fails, which does not happen with valid parameters.
pub fn hash_password(password: &str) -> Result<String, Error> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let failed = |e: String| Error::Store(StoreError::Corrupt(format!("password hash: {e}")));
    let salt = SaltString::encode_b64(&salt).map_err(|e| failed(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| failed(e.to_string()))
}

/// Password hashes computed at once. Argon2id as configured costs ~19 MiB and tens of
/// milliseconds of CPU; on the async workers a burst of logins would stall every other page
/// (issue 19: 42 logins/s raised a cheap page's p99 from 5 to 111 ms), so they run on the
/// blocking pool, this many at a time, and the rest wait their turn.
const HASHES_AT_ONCE: usize = 2;

static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(HASHES_AT_ONCE);

/// [`hash_password`] off the async workers, at most [`HASHES_AT_ONCE`] at a time: what request
/// handlers call.
///
/// # Errors
/// As [`hash_password`].
pub async fn hash(password: &str) -> Result<String, Error> {
    let password = password.to_owned();
    crate::heavy::bounded(&HASHING, || password, |p| hash_password(&p)).await
}

/// [`verify_password`] off the async workers, at most [`HASHES_AT_ONCE`] at a time: what
/// request handlers call.
pub async fn verify(password: &str, hash: &str) -> bool {
    let pair = (password.to_owned(), hash.to_owned());
    crate::heavy::bounded(&HASHING, || pair, |(p, h)| verify_password(&p, &h)).await
}

/// Whether `password` matches the stored PHC `hash` (CPU-heavy: in a request, [`verify`]).
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Checks the credentials and audits the attempt (the web applies its login rate limit first).
/// An unknown user and a wrong password get the same answer in about the same time (a dummy hash
/// is checked for unknown users). The caller starts the session, or asks the second factor first
/// when [`owes_code`] says so.
///
/// # Errors
/// [`LoginError::BadCredentials`], [`LoginError::AccountLocked`],
/// [`LoginError::AccountDisabled`]; store errors.
pub async fn check_password(
    store: &Store,
    username: &str,
    password: &str,
    client_addr: Option<String>,
) -> Result<User, LoginError> {
    let username = username.trim();
    let readable = !has_control_chars(username) && username.chars().count() <= 64;
    let user = if readable {
        match safeduty_store::org::user_by_username(store, username).await {
            Ok(u) => Some(u),
            Err(safeduty_store::StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        }
    } else {
        None
    };
    // Attempts on a name from an address that guessed too often are refused whatever the
    // password (GB/T 22239-2019: lockout after repeated failures), for known and unknown names
    // alike; the password is still hashed so that timing says nothing. A password longer than
    // any that can be set is refused unhashed: that says nothing about the account either.
    let lockout = security_policy::current(store).await?.lockout;
    let now = Utc::now();
    let addr = client_addr.clone();
    let counter = identity::failures(store, username, addr.as_deref()).await?;
    let locked = lockout.is_locked(&counter, now);
    let ok = match &user {
        _ if password.chars().count() > MAX_PASSWORD_CHARS => false,
        Some(u) if !locked => verify(password, &u.password_hash).await,
        _ => {
            let _ = verify(password, dummy_hash()).await;
            false
        }
    };
    let disabled = ok && user.as_ref().is_some_and(|u| u.disabled);
    let who = Who {
        user_id: user.as_ref().map(|u| u.id),
        role: user.as_ref().map(|u| u.role.code().to_string()),
        client_addr,
    };
    // What was typed is recorded printable and bounded, whatever it was.
    let typed: String = username
        .chars()
        .take(64)
        .flat_map(char::escape_default)
        .collect();
    audit::record_alone(
        store,
        Entry {
            who: &who,
            event: if ok && !disabled {
                Event::Login
            } else {
                Event::LoginFailed
            },
            target_kind: safeduty_store::audit::Object::User.into(),
            target_id: typed,
            before: None,
            after: None,
            result: match (ok, locked, disabled) {
                (true, _, true) => "disabled",
                (true, _, false) if user.as_ref().is_some_and(owes_code) => "password_ok",
                (true, _, false) => "ok",
                (false, true, _) => "locked",
                (false, false, _) => "failed",
            },
        },
    )
    .await?;
    match user {
        Some(_) if disabled => Err(LoginError::AccountDisabled),
        Some(u) if ok => {
            // Failures are cleared by a whole login: when a code is owed, by the right code
            // (check_code), or anyone holding the password could guess codes without end.
            if !owes_code(&u) && counter != FailureCounter::default() {
                identity::clear_failures(store, username, addr.as_deref()).await?;
            }
            Ok(u)
        }
        _ if locked => Err(LoginError::AccountLocked {
            minutes: minutes_left(&counter, now),
        }),
        _ => Err(count_failure(
            store,
            &who,
            username,
            &counter,
            &lockout,
            LoginError::BadCredentials,
        )
        .await?),
    }
}

/// Whole minutes until `counter` unlocks, at least 1.
fn minutes_left(counter: &FailureCounter, now: chrono::DateTime<Utc>) -> i64 {
    counter
        .locked_until
        .map_or(1, |t| ((t - now).num_seconds() + 59) / 60)
        .max(1)
}

/// Counts a failure (a wrong password or a wrong second-factor code) toward the lockout and
/// returns the error to answer: `otherwise`, or [`LoginError::AccountLocked`] when this one locks.
async fn count_failure(
    store: &Store,
    who: &Who,
    name: &str,
    counter: &FailureCounter,
    lockout: &LockoutPolicy,
    otherwise: LoginError,
) -> Result<LoginError, LoginError> {
    let now = Utc::now();
    let after = lockout.after_failure(counter, now);
    let locks = lockout.is_locked(&after, now);
    identity::record_failure(store, who, name, &after, locks).await?;
    Ok(if locks {
        LoginError::AccountLocked {
            minutes: minutes_left(&after, now),
        }
    } else {
        otherwise
    })
}

/// Whether `user` must give a second-factor code after the password ([`second_factor`]).
pub fn owes_code(user: &User) -> bool {
    second_factor(user.role, user.is_demo, user.totp_enrolled) == SecondFactor::Ask
}

/// Checks the second-factor code of `user` (RFC 6238, each code good once). A wrong code counts
/// toward the lockout like a wrong password; both are audited.
///
/// # Errors
/// [`LoginError::BadSecondFactor`], [`LoginError::AccountLocked`]; store errors.
pub async fn check_code(
    store: &Store,
    user: &User,
    code: &str,
    client_addr: Option<String>,
) -> Result<(), LoginError> {
    let who = Who {
        user_id: Some(user.id),
        role: Some(user.role.code().to_string()),
        client_addr,
    };
    let lockout = security_policy::current(store).await?.lockout;
    let now = Utc::now();
    let addr = who.client_addr.clone();
    let counter = identity::failures(store, &user.username, addr.as_deref()).await?;
    if lockout.is_locked(&counter, now) {
        return Err(LoginError::AccountLocked {
            minutes: minutes_left(&counter, now),
        });
    }
    let totp = identity::totp(store, user.id).await?;
    let step = totp.secret.as_deref().and_then(|secret| {
        safeduty_core::totp::verify(secret, code, now.timestamp(), totp.last_step)
    });
    let accepted = match step {
        Some(step) => identity::use_totp_step(store, user.id, step).await?,
        None => false,
    };
    audit::record_alone(
        store,
        Entry {
            who: &who,
            event: if accepted {
                Event::Login
            } else {
                Event::LoginFailed
            },
            target_kind: safeduty_store::audit::Object::User.into(),
            target_id: user.username.clone(),
            before: None,
            after: Some(serde_json::json!({ "second_factor": "totp" })),
            result: if accepted { "ok" } else { "bad_second_factor" },
        },
    )
    .await?;
    if accepted {
        if counter != FailureCounter::default() {
            identity::clear_failures(store, &user.username, addr.as_deref()).await?;
        }
        return Ok(());
    }
    Err(count_failure(
        store,
        &who,
        &user.username,
        &counter,
        &lockout,
        LoginError::BadSecondFactor,
    )
    .await?)
}

/// A hash to check passwords of unknown users against, so that they take as long as known ones.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("not a password of anyone").unwrap_or_default())
}

/// Changes `caller`'s own password after checking the old one, the confirmation, the password
/// policy and the last passwords used; every session of the user ends (the web starts a new
/// one).
///
/// # Errors
/// [`Refusal::invalid`] naming what is wrong (old password, mismatch, rules, reuse); store
/// errors.
pub async fn change_own_password(
    store: &Store,
    caller: &Caller<'_>,
    old: &str,
    new: &str,
    confirm: &str,
) -> Result<(), Error> {
    let policy = security_policy::current(store).await?.password;
    if !verify(old, &caller.user.password_hash).await {
        return Err(Refusal::invalid("原密码不正确").into());
    }
    if new != confirm {
        return Err(Refusal::invalid("两次输入的新密码不一致").into());
    }
    policy
        .check(&caller.user.username, new)
        .map_err(|broken| Refusal::invalid(broken.join("；")))?;
    let recent = identity::recent_hashes(store, caller.user.id, policy.history).await?;
    let mut reused = false;
    for h in &recent {
        reused = reused || verify(new, h).await;
    }
    if reused {
        return Err(Refusal::invalid(format!(
            "新密码不能与最近{}次使用过的密码相同",
            policy.history
        ))
        .into());
    }
    identity::change_password(store, &caller.who(), caller.user.id, &hash(new).await?).await?;
    Ok(())
}

/// The password rules in words, for the form.
///
/// # Errors
/// Store errors.
pub async fn password_rules(store: &Store) -> Result<String, Error> {
    Ok(security_policy::current(store).await?.password.describe())
}

/// The secret `caller` is enrolling as a second factor, if one was started and not confirmed
/// (none for an enrolled or demo account).
///
/// # Errors
/// Store errors.
pub async fn pending_totp(store: &Store, caller: &Caller<'_>) -> Result<Option<Vec<u8>>, Error> {
    if caller.user.totp_enrolled || caller.user.is_demo {
        return Ok(None);
    }
    Ok(identity::totp(store, caller.user.id).await?.pending)
}

/// Starts enrolling a new TOTP secret for `caller` (one shown earlier and not confirmed is
/// dropped); nothing is in force until a code confirms it ([`confirm_totp`]).
///
/// # Errors
/// Store errors.
pub async fn start_totp(store: &Store, caller: &Caller<'_>) -> Result<(), Error> {
    if !caller.user.totp_enrolled && !caller.user.is_demo {
        let mut secret = [0u8; safeduty_core::totp::SECRET_LEN];
        rand::rng().fill_bytes(&mut secret);
        identity::set_pending_totp(store, caller.user.id, &secret).await?;
    }
    Ok(())
}

/// Puts the pending secret in force when `code` is right for it (audited; every session of the
/// user ends, the web starts a new one). `Ok(false)` for an enrolled or demo account (nothing
/// to do).
///
/// # Errors
/// [`Refusal::invalid`] for a wrong code; store errors.
pub async fn confirm_totp(store: &Store, caller: &Caller<'_>, code: &str) -> Result<bool, Error> {
    if caller.user.totp_enrolled || caller.user.is_demo {
        return Ok(false);
    }
    let pending = identity::totp(store, caller.user.id).await?.pending;
    let step = pending
        .as_deref()
        .and_then(|secret| safeduty_core::totp::verify(secret, code, Utc::now().timestamp(), None));
    let Some(step) = step else {
        return Err(
            Refusal::invalid("验证码不正确：请核对身份验证器中本账号的验证码后重新输入").into(),
        );
    };
    identity::confirm_totp(store, &caller.who(), caller.user.id, step).await?;
    Ok(true)
}
