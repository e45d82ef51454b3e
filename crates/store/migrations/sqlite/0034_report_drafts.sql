-- Drafts of the generated reports (issue #15 point 2): the text sections a unit writes for its
-- stage or annual report (工作开展情况, 存在问题, 下一步工作) and its document number, saved in
-- the browser before 「生成并报送」 makes the document; one draft per unit and report. Every save
-- is audited. Kept in step with ../postgres/0035_report_drafts.sql.
CREATE TABLE report_drafts (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    report_key TEXT NOT NULL,
    work TEXT NOT NULL DEFAULT '',
    problems TEXT NOT NULL DEFAULT '',
    next_steps TEXT NOT NULL DEFAULT '',
    doc_number TEXT NOT NULL DEFAULT '',
    saved_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (campaign_id, unit_id, report_key)
);
