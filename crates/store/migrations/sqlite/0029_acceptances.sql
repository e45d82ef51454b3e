-- Acceptance inspections (检查验收, issue #14 points 2–3): planned by the committee office (an
-- enterprise, the inspecting unit, the day, the way), recorded by the unit's officers on the
-- ordinary inspection record (`inspection_id`, which counts toward the yearly cap), or assessed
-- by a commissioned third party whose assessment an officer adopts; closed with a conclusion.
-- The step columns are the core `acceptance::Acceptance`'s; `status` its code when written.
CREATE TABLE acceptances (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    status TEXT NOT NULL,
    planned_on TEXT NOT NULL,
    mode TEXT NOT NULL,
    third_party TEXT NOT NULL DEFAULT '',
    inspection_id INTEGER UNIQUE REFERENCES inspections(id),
    inspected_on TEXT,
    assessment TEXT,
    assessment_conclusion TEXT,
    assessment_on TEXT,
    adopted_on TEXT,
    closed_on TEXT,
    conclusion TEXT,
    opinion TEXT,
    planned_by INTEGER REFERENCES users(id),
    version INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX acceptances_unit ON acceptances(unit_id, status);
CREATE INDEX acceptances_enterprise ON acceptances(enterprise_id);

-- The guests of an acceptance: each an account of role `guest` the product issued when an
-- officer invited them, bound to this acceptance only; revoked by the officer or when the
-- acceptance closes (the account is disabled then).
CREATE TABLE acceptance_guests (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    acceptance_id INTEGER NOT NULL REFERENCES acceptances(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    organisation TEXT NOT NULL DEFAULT '',
    invited_by INTEGER REFERENCES users(id),
    invited_on TEXT NOT NULL,
    revoked_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX acceptance_guests_acceptance ON acceptance_guests(acceptance_id);

-- Comments on an acceptance by its guests and officers, with the author as shown then.
CREATE TABLE acceptance_comments (
    id INTEGER PRIMARY KEY,
    acceptance_id INTEGER NOT NULL REFERENCES acceptances(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX acceptance_comments_acceptance ON acceptance_comments(acceptance_id, id);

-- A case opened for a party found still violating at acceptance (point 3): the core
-- `penalty::AtAcceptance` code (upper limit, never 不予处罚) and its ground in words (the earlier
-- decided case of the same article, or the order still not corrected).
ALTER TABLE cases ADD COLUMN at_acceptance TEXT;
ALTER TABLE cases ADD COLUMN at_acceptance_ground TEXT NOT NULL DEFAULT '';

-- A guest account (role `guest`) has no anchor at all: what it sees is its invitation.
DROP TRIGGER users_one_role_insert;
DROP TRIGGER users_one_role_update;
CREATE TRIGGER users_one_role_insert BEFORE INSERT ON users
WHEN NOT (
    (NEW.role IN ('committee_office', 'assessor', 'system_admin', 'security_admin', 'audit_admin')
        AND NEW.unit_id IS NULL AND NEW.enterprise_id IS NULL)
    OR (NEW.role = 'unit_officer' AND NEW.region_id IS NULL AND NEW.enterprise_id IS NULL)
    OR (NEW.role = 'enterprise_user' AND NEW.region_id IS NULL AND NEW.unit_id IS NULL)
    OR (NEW.role = 'guest' AND NEW.region_id IS NULL AND NEW.unit_id IS NULL
        AND NEW.enterprise_id IS NULL))
BEGIN
    SELECT RAISE(ABORT, 'users_one_role: unknown role or anchor of another role');
END;
CREATE TRIGGER users_one_role_update BEFORE UPDATE OF role, region_id, unit_id, enterprise_id ON users
WHEN NOT (
    (NEW.role IN ('committee_office', 'assessor', 'system_admin', 'security_admin', 'audit_admin')
        AND NEW.unit_id IS NULL AND NEW.enterprise_id IS NULL)
    OR (NEW.role = 'unit_officer' AND NEW.region_id IS NULL AND NEW.enterprise_id IS NULL)
    OR (NEW.role = 'enterprise_user' AND NEW.region_id IS NULL AND NEW.unit_id IS NULL)
    OR (NEW.role = 'guest' AND NEW.region_id IS NULL AND NEW.unit_id IS NULL
        AND NEW.enterprise_id IS NULL))
BEGIN
    SELECT RAISE(ABORT, 'users_one_role: unknown role or anchor of another role');
END;

-- A suspension (责令停产停业整顿) ordered with a case's decision: its period and the review
-- (复查) that lifts it (core `case::Suspension`).
ALTER TABLE cases ADD COLUMN suspension_from TEXT;
ALTER TABLE cases ADD COLUMN suspension_until TEXT;
ALTER TABLE cases ADD COLUMN suspension_lifted_on TEXT;
ALTER TABLE cases ADD COLUMN suspension_review TEXT;
