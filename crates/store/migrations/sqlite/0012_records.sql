-- Enterprise records that evidence the duty items (issue #7 item 5): training plans and
-- sessions, three-level induction, emergency plans and drills, major hazard sources, violations.
-- One table for every kind: the kind's fields (safeduty_core::records) are checked in core and
-- kept as a JSON object in `data`; the record's date and title are columns, for lists.
-- Kept in step with ../postgres/0012_records.sql.

CREATE TABLE records (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    kind TEXT NOT NULL,
    record_date TEXT NOT NULL,
    title TEXT NOT NULL,
    data TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER REFERENCES users(id),
    updated_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX records_enterprise_kind ON records(enterprise_id, kind, record_date);
