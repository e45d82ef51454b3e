-- The assessor's deductions on the entered items of the year's assessment (考核巡查, issue #14
-- point 8): per campaign, unit and item (its code in the assessment scheme) the points and the
-- reason. The computed items are not stored: they are read from the records when shown.
CREATE TABLE unit_assessments (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    item_code TEXT NOT NULL,
    points INTEGER NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    assessed_by INTEGER REFERENCES users(id),
    version INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (campaign_id, unit_id, item_code)
);
