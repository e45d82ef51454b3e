-- Commitments signed by the person (issue #18 point 9). A signature records how it was made:
-- 'code' (the safety manager signed with a one-time signing code) or 'enterprise' (typed by the
-- enterprise account for the person, the way before this migration; earlier rows keep it).
-- One signing code per listed safety manager and campaign: only its SHA-256 is kept; issuing
-- again replaces the row's hash and expiry; used_at makes it single-use; attempts counts the
-- refused tries with it (expired, used, revoked).
ALTER TABLE commitment_signatures ADD COLUMN method TEXT NOT NULL DEFAULT 'enterprise';

CREATE TABLE commitment_signing_codes (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    personnel_id INTEGER NOT NULL REFERENCES personnel(id),
    code_sha256 TEXT NOT NULL UNIQUE,
    issued_by INTEGER REFERENCES users(id),
    issued_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    revoked_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (campaign_id, personnel_id)
);
CREATE INDEX commitment_signing_codes_enterprise ON commitment_signing_codes(enterprise_id);
