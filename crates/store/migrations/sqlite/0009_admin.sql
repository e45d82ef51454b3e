-- Administrator duties and the second factor (issue #5). Kept in step with ../postgres/0009_admin.sql.

-- Accounts are disabled, never deleted: past audit records keep naming the user (case B25).
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
-- TOTP (RFC 6238): the confirmed secret (hex), a secret being enrolled, the last step used
-- (a code is good once).
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_pending_secret TEXT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;

-- A session whose password was right but whose second factor is still owed.
ALTER TABLE sessions ADD COLUMN pending_second_factor INTEGER NOT NULL DEFAULT 0;

-- One role per account, and the anchor that role needs and no other: an account cannot be,
-- say, a unit officer and an enterprise user at once. SQLite cannot add a CHECK to an existing
-- table, so triggers hold the same rule as the PostgreSQL constraint.
CREATE TRIGGER users_one_role_insert BEFORE INSERT ON users
WHEN NOT (
    (NEW.role IN ('committee_office', 'assessor', 'system_admin', 'security_admin', 'audit_admin')
        AND NEW.unit_id IS NULL AND NEW.enterprise_id IS NULL)
    OR (NEW.role = 'unit_officer' AND NEW.region_id IS NULL AND NEW.enterprise_id IS NULL)
    OR (NEW.role = 'enterprise_user' AND NEW.region_id IS NULL AND NEW.unit_id IS NULL))
BEGIN
    SELECT RAISE(ABORT, 'users_one_role: unknown role or anchor of another role');
END;
CREATE TRIGGER users_one_role_update BEFORE UPDATE OF role, region_id, unit_id, enterprise_id ON users
WHEN NOT (
    (NEW.role IN ('committee_office', 'assessor', 'system_admin', 'security_admin', 'audit_admin')
        AND NEW.unit_id IS NULL AND NEW.enterprise_id IS NULL)
    OR (NEW.role = 'unit_officer' AND NEW.region_id IS NULL AND NEW.enterprise_id IS NULL)
    OR (NEW.role = 'enterprise_user' AND NEW.region_id IS NULL AND NEW.unit_id IS NULL))
BEGIN
    SELECT RAISE(ABORT, 'users_one_role: unknown role or anchor of another role');
END;

-- The password and lockout policy, one row, kept by the security administrator.
CREATE TABLE security_policy (
    id INTEGER PRIMARY KEY,
    min_len INTEGER NOT NULL,
    min_classes INTEGER NOT NULL,
    history INTEGER NOT NULL,
    max_failures INTEGER NOT NULL,
    window_minutes INTEGER NOT NULL,
    lock_minutes INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
