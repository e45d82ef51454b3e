//! The store's story tests: each runs on SQLite and, when configured, on PostgreSQL.

mod attachments;
mod audit_tamper;
mod audit_trail;
mod calendar_years;
mod city;
mod commitments;
mod demo_data;
mod enforcement;
mod enforcement_figures;
mod findings_loop;
mod lists;
mod migrations;
mod plans;
mod records;
mod roster_export;
mod roster_import;
mod self_inspection;
mod sessions;
mod support;
