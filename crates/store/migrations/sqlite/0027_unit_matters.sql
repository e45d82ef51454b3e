-- Accountability of the supervising units (issue #14 point 5): the committee office's
-- correction orders (责令整改) and interviews (约谈) of a town or department, each with the
-- dated record of its steps (core `accountability::Record`): the interview held with its
-- minutes, the unit's latest report, the committee office's follow-up of it (closed or sent
-- back), the latest send-back once reported again. `status` is the core `MatterStatus` code computed when written.
CREATE TABLE unit_matters (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    issues TEXT NOT NULL,
    actions TEXT NOT NULL,
    due_on TEXT NOT NULL,
    interview_on TEXT,
    place TEXT,
    interviewer TEXT,
    interviewees TEXT,
    held_on TEXT,
    minutes TEXT,
    reported_on TEXT,
    report TEXT,
    followed_up_on TEXT,
    follow_up TEXT,
    sent_back_on TEXT,
    sent_back TEXT,
    closed INTEGER,
    issued_by INTEGER REFERENCES users(id),
    version INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX unit_matters_unit ON unit_matters(unit_id, status);
