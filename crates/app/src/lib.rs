//! The use cases of safeduty: one module per capability, called by the web (pages and the JSON
//! API) and by the CLI, which only parse, call and render.
//!
//! A use case asks the policy ([`guard`]: a denial is recorded in the audit trail and answered
//! 404 or 403), lets `safeduty-core` decide (valid? next state?), and has `safeduty-store` write
//! the change with its audit record in one transaction. It returns [`Error`]: not found,
//! forbidden, the domain's [`Refusal`](safeduty_core::refusal::Refusal), or a store failure.
//!
//! Why a crate of its own: the store stays persistence (queries, transactions, the audit chain)
//! and the core stays pure; the web and the CLI (which builds reports) share the same path.
//!
//! - [`guard`]: the policy asked for a caller, denials recorded.
//! - [`accounts`]: account administration and bulk enterprise accounts (separated duties).
//! - [`attachments`]: who may download an attachment; a self-inspection item's evidence.
//! - [`audit_trail`]: the audit administrator's search and export of the trail.
//! - [`calendar`]: the holiday arrangements loaded, previewed and saved.
//! - [`commitments`]: duty commitments: the sheet, signing, publication, text, coverage.
//! - [`campaigns`]: the campaign a caller works in and reads.
//! - [`findings`]: the findings ledger, an officer opening a finding, a finding's loop.
//! - [`identity`]: password check with lockout, the second factor, one's own password change.
//! - [`inbox`]: a caller's reminders, read and marked read.
//! - [`plans`]: plan drafts imported, reviewed, saved as templates, campaigns started.
//! - [`profile`]: an enterprise's own profile and its safety management personnel.
//! - [`progress`]: the overview and the enterprise lists of a campaign.
//! - [`publication`]: what the public pages read (一公开): published draws and outcomes.
//! - [`records`]: an enterprise's records and the drill-frequency check of item 17.
//! - [`reports`]: a unit's report submission and the reporting status.
//! - [`roster`]: the enterprise roster's import, industry table and export.
//! - [`security_policy`]: the password and lockout policy, set by the security administrator.
//! - [`self_inspection`]: an enterprise's self-inspection, read, saved and submitted.

pub mod accounts;
pub mod assessment;
pub mod attachments;
pub mod audit_trail;
pub mod calendar;
pub mod campaigns;
pub mod charts;
pub mod commitments;
pub mod enforcement;

mod error;
pub mod findings;
pub mod guard;
pub mod heavy;
pub mod identity;
pub mod inbox;
pub mod plans;
pub mod profile;
pub mod progress;
pub mod publication;
pub mod records;
pub mod report_builds;
pub mod reports;
pub mod roster;
pub mod security_policy;
pub mod self_inspection;
pub mod unit_matters;
pub mod unit_measures;

pub use error::Error;

use safeduty_core::policy::Actor;
use safeduty_store::audit::Who;
use safeduty_store::org::User;

/// Who asks: the user (with the scope the store resolved) and the client's address, for the
/// audit trail.
#[derive(Debug, Clone, Copy)]
pub struct Caller<'a> {
    /// The user.
    pub user: &'a User,
    /// The client's address as the server saw it (`None` from the CLI or in-process tests).
    pub client_addr: Option<&'a str>,
}

impl Caller<'_> {
    /// The actor the policy decides for.
    pub fn actor(&self) -> Actor {
        self.user.actor()
    }

    /// The actor of the audit trail.
    pub fn who(&self) -> Who {
        Who {
            user_id: Some(self.user.id),
            role: Some(self.user.role.code().into()),
            client_addr: self.client_addr.map(str::to_string),
        }
    }
}
