-- Reminders about deadlines (issue #4), and leases that let one node of several run a job.
CREATE TABLE reminders (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    recipient TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_key TEXT NOT NULL,
    due_on TEXT NOT NULL,
    message TEXT NOT NULL,
    created_on TEXT NOT NULL,
    read_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (subject_kind, subject_key, kind, recipient)
);
CREATE INDEX reminders_recipient ON reminders(recipient, created_on);

CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
