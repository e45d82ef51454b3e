-- Administrator duties and the second factor (issue #5). Kept in step with ../sqlite/0009_admin.sql.

-- Accounts are disabled, never deleted: past audit records keep naming the user (case B25).
ALTER TABLE users ADD COLUMN disabled BIGINT NOT NULL DEFAULT 0;
-- TOTP (RFC 6238): the confirmed secret (hex), a secret being enrolled, the last step used
-- (a code is good once).
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_pending_secret TEXT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;

-- A session whose password was right but whose second factor is still owed.
ALTER TABLE sessions ADD COLUMN pending_second_factor BIGINT NOT NULL DEFAULT 0;

-- One role per account, and the anchor that role needs and no other: an account cannot be,
-- say, a unit officer and an enterprise user at once.
ALTER TABLE users ADD CONSTRAINT users_one_role CHECK (
    (role IN ('committee_office', 'assessor', 'system_admin', 'security_admin', 'audit_admin')
        AND unit_id IS NULL AND enterprise_id IS NULL)
    OR (role = 'unit_officer' AND region_id IS NULL AND enterprise_id IS NULL)
    OR (role = 'enterprise_user' AND region_id IS NULL AND unit_id IS NULL));

-- The password and lockout policy, one row, kept by the security administrator.
CREATE TABLE security_policy (
    id BIGINT PRIMARY KEY,
    min_len BIGINT NOT NULL,
    min_classes BIGINT NOT NULL,
    history BIGINT NOT NULL,
    max_failures BIGINT NOT NULL,
    window_minutes BIGINT NOT NULL,
    lock_minutes BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
