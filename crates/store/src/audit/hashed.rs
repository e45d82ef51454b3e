//! The fields of an audit record that its hash covers, defined once: the writer ([`super::record`],
//! [`super::record_many`]) and the verifier ([`super::verify`]) both go through
//! [`HashedFields`], its column list, its [`HashedFields::canonical_bytes`] and its insert, so
//! that what is hashed, stored and read back cannot drift apart.
//!
//! `hash = SHA-256(prev_hash ␟ seq ␟ at ␟ actor ␟ role ␟ client ␟ event ␟ target_kind ␟ target_id
//! ␟ before ␟ after ␟ result)` in lower-case hex, where ␟ is the byte 0x1F, `seq` and `actor` (the
//! user id) are decimal, and a NULL is the empty text.

use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::Entry;
use crate::sql::Sql;

/// The columns of [`HashedFields`] in `audit_records`, in hash order.
pub(crate) const COLUMNS: &str = "seq, at, actor_user_id, actor_role, client_addr, event, \
     target_kind, target_id, before_state, after_state, result";

/// The hashed fields of one audit record, as stored (`None` for NULL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HashedFields {
    /// Sequence number, the record's id.
    pub(crate) seq: i64,
    /// Time (UTC text).
    pub(crate) at: String,
    /// The acting user's id.
    pub(crate) actor_user_id: Option<i64>,
    /// Role code.
    pub(crate) actor_role: Option<String>,
    /// Client address.
    pub(crate) client_addr: Option<String>,
    /// Event code.
    pub(crate) event: String,
    /// Kind of target.
    pub(crate) target_kind: String,
    /// Target identifier.
    pub(crate) target_id: String,
    /// State before (JSON text).
    pub(crate) before_state: Option<String>,
    /// State after (JSON text).
    pub(crate) after_state: Option<String>,
    /// `ok`, `denied`, `failed`.
    pub(crate) result: String,
}

impl HashedFields {
    /// The record of `e` with sequence number `seq`, written at `at`.
    pub(crate) fn of_entry(seq: i64, at: String, e: &Entry<'_>) -> HashedFields {
        HashedFields {
            seq,
            at,
            actor_user_id: e.who.user_id,
            actor_role: e.who.role.clone(),
            client_addr: e.who.client_addr.clone(),
            event: e.event.code().to_string(),
            target_kind: e.target_kind.code().to_string(),
            target_id: e.target_id.clone(),
            before_state: e.before.as_ref().map(|v| v.to_string()),
            after_state: e.after.as_ref().map(|v| v.to_string()),
            result: e.result.to_string(),
        }
    }

    /// The fields of a row selected with [`COLUMNS`]. A NULL where the schema allows none reads
    /// as the empty text, so that a tampered row fails its hash instead of failing the read.
    pub(crate) fn from_row(r: &AnyRow) -> Result<HashedFields, sqlx::Error> {
        let opt = |c: &str| r.try_get::<Option<String>, _>(c);
        let text = |c: &str| -> Result<String, sqlx::Error> { Ok(opt(c)?.unwrap_or_default()) };
        Ok(HashedFields {
            seq: r.try_get("seq")?,
            at: text("at")?,
            actor_user_id: r.try_get("actor_user_id")?,
            actor_role: opt("actor_role")?,
            client_addr: opt("client_addr")?,
            event: text("event")?,
            target_kind: text("target_kind")?,
            target_id: text("target_id")?,
            before_state: opt("before_state")?,
            after_state: opt("after_state")?,
            result: text("result")?,
        })
    }

    /// The bytes hashed after the predecessor's hash: every field in [`COLUMNS`] order, each
    /// preceded by 0x1F; integers in decimal, NULL as the empty text.
    pub(crate) fn canonical_bytes(&self) -> Vec<u8> {
        let seq = self.seq.to_string();
        let actor = self
            .actor_user_id
            .map(|u| u.to_string())
            .unwrap_or_default();
        let fields: [&str; 11] = [
            &seq,
            &self.at,
            &actor,
            self.actor_role.as_deref().unwrap_or(""),
            self.client_addr.as_deref().unwrap_or(""),
            &self.event,
            &self.target_kind,
            &self.target_id,
            self.before_state.as_deref().unwrap_or(""),
            self.after_state.as_deref().unwrap_or(""),
            &self.result,
        ];
        let mut out = Vec::with_capacity(fields.iter().map(|f| f.len() + 1).sum());
        for f in fields {
            out.push(0x1f);
            out.extend_from_slice(f.as_bytes());
        }
        out
    }

    /// The record's hash chained to its predecessor's hash `prev` (lower-case hex).
    pub(crate) fn hash(&self, prev: &str) -> String {
        let mut h = Sha256::new();
        h.update(prev.as_bytes());
        h.update(self.canonical_bytes());
        hex::encode(h.finalize())
    }

    /// The start of an `INSERT` of audit records: [`COLUMNS`], `prev_hash`, `hash` and the
    /// row's times, then one [`HashedFields::push_row`] per record (separated by `, `).
    pub(crate) fn insert() -> Sql {
        Sql::new(&format!(
            "INSERT INTO audit_records ({COLUMNS}, prev_hash, hash, created_at, updated_at) VALUES "
        ))
    }

    /// Writes this record's row of an [`HashedFields::insert`] with its predecessor's hash
    /// `prev` and its own `hash`; the row's `created_at` and `updated_at` are its `at`.
    pub(crate) fn push_row(self, sql: &mut Sql, prev: &str, hash: &str) {
        sql.push("(").push_bind(self.seq).push(", ");
        let at = sql.bind(self.at);
        sql.push(&at)
            .push(", ")
            .push_bind(self.actor_user_id)
            .push(", ")
            .push_bind_list([self.actor_role, self.client_addr])
            .push(", ")
            .push_bind_list([self.event, self.target_kind, self.target_id])
            .push(", ")
            .push_bind_list([self.before_state, self.after_state])
            .push(", ")
            .push_bind_list([self.result, prev.to_string(), hash.to_string()])
            .push(&format!(", {at}, {at})"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::GENESIS;

    fn fields() -> HashedFields {
        HashedFields {
            seq: 7,
            at: "2024-06-20T02:03:04.000005Z".into(),
            actor_user_id: Some(12),
            actor_role: Some("committee_office".into()),
            client_addr: Some("10.0.0.1".into()),
            event: "finding_transition".into(),
            target_kind: "finding".into(),
            target_id: "f_abc".into(),
            before_state: Some(r#"{"status":"open"}"#.into()),
            after_state: Some(r#"{"status":"closed"}"#.into()),
            result: "ok".into(),
        }
    }

    /// Hashes computed outside this code from the formula in the module docs (and equal to what
    /// the writer gave before the fields were defined here): existing trails keep verifying.
    #[test]
    fn hashes_of_existing_records_do_not_change() {
        let first = fields();
        let h = first.hash(GENESIS);
        assert_eq!(
            h,
            "bc85f6959a8a18b149d529e55dcd78c9c6fe7e43819ce7eb66ee7e4faf832666"
        );
        let second = HashedFields {
            seq: 8,
            at: "2024-06-20T02:03:05.000000Z".into(),
            actor_user_id: None,
            actor_role: Some("system".into()),
            client_addr: None,
            event: "created".into(),
            target_kind: "region".into(),
            target_id: String::new(),
            before_state: None,
            after_state: None,
            result: "ok".into(),
        };
        assert_eq!(
            second.hash(&h),
            "cbe97433dedf698209269db306adabe6e5c8e52c7ab7a4168bc1ad7fd12dc161"
        );
    }

    #[test]
    fn canonical_bytes_separate_every_field() {
        let b = fields().canonical_bytes();
        assert_eq!(b.iter().filter(|c| **c == 0x1f).count(), 11);
        assert!(b.starts_with(b"\x1f7\x1f2024-06-20T02:03:04.000005Z\x1f12\x1f"));
        assert!(b.ends_with(b"\x1fok"));
    }

    #[test]
    fn the_row_binds_every_column_in_order() {
        let mut sql = Sql::new("");
        fields().push_row(&mut sql, GENESIS, "h");
        assert_eq!(COLUMNS.split(',').count(), 11);
        // The 11 columns, prev_hash and hash; created_at and updated_at are `at` ($2).
        assert_eq!(
            sql.text(),
            "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $2, $2)"
        );
        assert_eq!(sql.values().len(), 13);
    }
}
