//! Web tests: every role's pages and the API, in process, on SQLite and PostgreSQL.

mod admin;
mod access_cases;
mod app;
mod audit_pages;
mod attachments;
mod authz_matrix;
mod calendar;
mod findings;
mod commitments;
mod identity;
mod pages;
mod plans;
mod records;
mod reminders;
mod reports;
mod roster;
mod roster_export;
mod scope;
mod security_headers;
mod self_inspection;
