-- Reports each supervising unit submits for a campaign (issue #4): one row per report submitted.
CREATE TABLE report_submissions (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    report_key TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    submitted_by INTEGER REFERENCES users(id),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (campaign_id, unit_id, report_key)
);
