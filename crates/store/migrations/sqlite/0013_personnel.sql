-- Enterprise profile and safety management personnel (issue #6, item 3). The profile fields the
-- enterprise keeps itself (the principal person is enterprises.principal, from 0007), and one row
-- per safety manager. A removed person keeps the row (removed_at set), so that what they signed
-- still names them.
ALTER TABLE enterprises ADD COLUMN safety_institution TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN safety_institution_name TEXT NOT NULL DEFAULT '';

CREATE TABLE personnel (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    name TEXT NOT NULL,
    employment TEXT NOT NULL,
    registered_engineer INTEGER NOT NULL DEFAULT 0,
    engineer_cert_no TEXT NOT NULL DEFAULT '',
    assessment_cert_no TEXT NOT NULL DEFAULT '',
    assessment_valid_until TEXT,
    appointed_on TEXT,
    phone TEXT NOT NULL DEFAULT '',
    removed_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX personnel_enterprise ON personnel(enterprise_id);
