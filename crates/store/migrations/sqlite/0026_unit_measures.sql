-- The measures each supervising unit records (the plan's “八个一”, issue #14 point 1): per
-- campaign, unit and measure (its number in the campaign template) one entry — the day, what was
-- done, and its evidence files — recorded by the unit, returned by the committee office with a
-- reason and recorded again (the history is in the audit trail).
CREATE TABLE unit_measures (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    measure_number INTEGER NOT NULL,
    held_on TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    return_reason TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER REFERENCES users(id),
    returned_by INTEGER REFERENCES users(id),
    version INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (campaign_id, unit_id, measure_number)
);

-- The evidence files of an entry (the bytes in the blob store, keyed by their SHA-256). Units
-- are not enterprises: their files are kept here, not among the enterprises' attachments.
CREATE TABLE unit_measure_files (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    unit_measure_id INTEGER NOT NULL REFERENCES unit_measures(id),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX unit_measure_files_entry ON unit_measure_files(unit_measure_id);
