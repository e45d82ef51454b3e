//! Web tests: every role's pages and the API, in process, on SQLite and PostgreSQL.

mod access_cases;
mod admin;
mod admin_duties;
mod app;
mod attachments;
mod audit_pages;
mod authz_matrix;
mod calendar;
mod commitments;
mod csrf;
mod enforcement_plans;
mod findings;
mod identity;
mod pages;
mod plans;
mod plans_fixture;
mod records;
mod reminders;
mod reports;
mod roster;
mod roster_export;
mod scope;
mod security_headers;
mod self_inspection;
