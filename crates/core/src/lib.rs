//! Domain types and rules of safeduty. No I/O, no async, no clock: `today` is always a parameter.
//!
//! - [`attachment`]: which uploaded files are accepted (by content) and how names are kept.
//! - [`drills`]: emergency drill frequency (应急预案管理办法 art. 33), for check item 17.
//! - [`records`]: enterprise records (training, induction, plans, drills, hazards, violations).
//! - [`template`]: the campaign template (areas, items, phases, measures, obligations).
//! - [`calendar`]: the working-day calendar and "N working days after D".
//! - [`uscc`]: the unified social credit code (GB 32100-2015).
//! - [`campaign`]: campaign status on a given day (current phase, days left, due dates).
//! - [`finding`]: rules about findings' time limits.
//! - [`enforcement`]: strict enforcement: the random draw, units' powers, officers and guests,
//!   inspections, correction orders, re-inspections, on-site measures, procedure rules, document
//!   numbers, the violation library.
//! - [`identity`]: password and lockout rules (GB/T 22239-2019).
//! - [`self_inspection`]: self-inspection answers, their validation and the findings they open.
//! - [`policy`]: who may do what in which scope.
//! - [`text`]: rules for free text people type.
//! - [`totp`]: one-time codes of the second factor (RFC 6238).
//! - [`accounts`]: account names, first passwords, bulk provisioning rows.
//! - [`reminders`]: when reminders about deadlines are due.
//! - [`reporting`]: reports each supervising unit owes, and their status.
//! - [`roster`]: enterprise roster import: layout, cleaning, validation, what an import does.
//! - [`personnel`]: an enterprise's own profile fields and its safety management personnel.
//! - [`commitment`]: duty commitments: who signs, the text, the typed name, publication.
//! - [`cell`]: spreadsheet cells kept inert in exports (formula injection).
//! - [`personal`]: who sees phone and ID numbers in full, and how they are masked.
//! - [`refusal`]: the one way the domain says no (kind, message, field), every loop's reasons.

pub mod accountability;
pub mod accounts;
pub mod assessment;
pub mod attachment;
pub mod calendar;
pub mod campaign;
pub mod cell;
mod coded;
pub mod commitment;
pub mod drills;
pub mod enforcement;
pub mod finding;
pub mod identity;
pub mod personal;
pub mod personnel;
pub mod policy;
pub mod records;
pub mod refusal;
pub mod reminders;
pub mod reporting;
pub mod roster;
pub mod self_inspection;
pub mod template;
pub mod text;
pub mod totp;
pub mod unit_measures;
pub mod uscc;
