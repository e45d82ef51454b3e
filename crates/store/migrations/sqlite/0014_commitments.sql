-- Duty commitments (issue #6, item 4). The committee office's text for a campaign, in versions
-- (a new version never changes a signed one); one signature per safety manager and campaign,
-- carrying the exact text signed and its SHA-256; and where and when the enterprise published
-- its commitments internally.
CREATE TABLE commitment_texts (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    set_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (campaign_id, version)
);

CREATE TABLE commitment_signatures (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    personnel_id INTEGER NOT NULL REFERENCES personnel(id),
    text_id INTEGER NOT NULL REFERENCES commitment_texts(id),
    signed_text TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    typed_name TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    signed_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (campaign_id, personnel_id)
);
CREATE INDEX commitment_signatures_enterprise ON commitment_signatures(enterprise_id);

CREATE TABLE commitment_publications (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    place TEXT NOT NULL,
    published_on TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (campaign_id, enterprise_id)
);
