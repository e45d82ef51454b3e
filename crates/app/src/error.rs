//! What a use case answers when it does not do what was asked.

use safeduty_core::policy::Denial;
use safeduty_core::refusal::Refusal;
use safeduty_store::StoreError;

/// Why a use case did not do what was asked; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Outside the caller's scope, or absent: 404 with no data.
    #[error("not found")]
    NotFound,
    /// Inside the scope, not allowed for the role: 403.
    #[error("forbidden")]
    Forbidden,
    /// The domain refused ([`Refusal::kind`] says 403, 409 or 422).
    #[error(transparent)]
    Refused(Refusal),
    /// The store failed (logged, answered as an internal error) or refused a conflicting write.
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Error::NotFound,
            StoreError::Refused(r) => Error::Refused(r),
            e => Error::Store(e),
        }
    }
}

impl From<Denial> for Error {
    fn from(d: Denial) -> Self {
        match d {
            Denial::NotFound => Error::NotFound,
            Denial::Forbidden => Error::Forbidden,
        }
    }
}

impl From<Refusal> for Error {
    fn from(r: Refusal) -> Self {
        Error::Refused(r)
    }
}
