-- Evidence attachments (issue #7 item 1). The bytes live in a content-addressed blob store
-- (local disk under the data directory, keyed by SHA-256); this table says what each upload is,
-- whose it is and who may read it. Kept in step with ../postgres/0010_attachments.sql.
-- owner_kind/owner_id name what the file is evidence for (see attachments.rs `Owner`);
-- enterprise_id decides who may read it (the enterprise's scope).

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    original_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    thumbnail_sha256 TEXT,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    owner_kind TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    uploaded_by INTEGER REFERENCES users(id),
    uploaded_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX attachments_owner ON attachments(owner_kind, owner_id);
CREATE INDEX attachments_enterprise ON attachments(enterprise_id);
CREATE INDEX attachments_sha256 ON attachments(sha256);
