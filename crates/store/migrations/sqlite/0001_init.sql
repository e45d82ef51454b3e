-- safeduty schema, version 1 (SQLite). Kept in step with ../postgres/0001_init.sql; the only
-- differences are identity columns. Civil dates are TEXT 'YYYY-MM-DD'; instants are TEXT
-- 'YYYY-MM-DDTHH:MM:SS.ffffffZ' in UTC: both sort and compare correctly as text on both backends.
-- Flags are INTEGER 0/1.

CREATE TABLE regions (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES regions(id),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    path TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    region_id INTEGER NOT NULL REFERENCES regions(id),
    industry TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (region_id, name)
);

CREATE TABLE enterprises (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    uscc TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    industry TEXT NOT NULL,
    region_id INTEGER NOT NULL REFERENCES regions(id),
    supervising_unit_id INTEGER REFERENCES units(id),
    is_key INTEGER NOT NULL DEFAULT 0,
    address TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX enterprises_region ON enterprises(region_id);
CREATE INDEX enterprises_supervisor ON enterprises(supervising_unit_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    region_id INTEGER REFERENCES regions(id),
    unit_id INTEGER REFERENCES units(id),
    enterprise_id INTEGER REFERENCES enterprises(id),
    is_demo INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    year INTEGER NOT NULL,
    region_id INTEGER NOT NULL REFERENCES regions(id),
    template TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE campaign_items (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    number INTEGER NOT NULL,
    area_label TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (campaign_id, number)
);

CREATE TABLE enrolments (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (campaign_id, enterprise_id)
);

CREATE TABLE self_inspections (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    status TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 0,
    submitted_on TEXT,
    submitted_at TEXT,
    submitted_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (campaign_id, enterprise_id)
);

CREATE TABLE self_inspection_items (
    self_inspection_id INTEGER NOT NULL REFERENCES self_inspections(id),
    item_number INTEGER NOT NULL,
    answer TEXT,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (self_inspection_id, item_number)
);

CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    source TEXT NOT NULL,
    self_inspection_id INTEGER REFERENCES self_inspections(id),
    item_number INTEGER,
    category TEXT NOT NULL,
    grade TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    opened_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    closed_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (self_inspection_id, item_number)
);
CREATE INDEX findings_enterprise ON findings(enterprise_id);

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL,
    last_hash TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE audit_records (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_user_id INTEGER,
    actor_role TEXT,
    client_addr TEXT,
    event TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id TEXT NOT NULL,
    before_state TEXT,
    after_state TEXT,
    result TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
