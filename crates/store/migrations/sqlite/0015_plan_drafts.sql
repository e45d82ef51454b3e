-- Plan drafts (issue #3, review page): a plan document uploaded by a committee office, what the
-- importer read from it, and the review edits made before it becomes a template and a campaign.
-- The current template is always `extracted` with `edits` applied in order; question resolutions
-- are edits too (field `questions.<i>`, with the reviewer's note).
CREATE TABLE plan_drafts (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    region_id INTEGER NOT NULL REFERENCES regions(id),
    file_name TEXT NOT NULL,
    source_text TEXT NOT NULL,
    extracted TEXT NOT NULL,
    edits TEXT NOT NULL,
    status TEXT NOT NULL,
    template TEXT,
    campaign_id INTEGER REFERENCES campaigns(id),
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX plan_drafts_region ON plan_drafts (region_id);
