-- Typical-case exposures (典型案例曝光, issue #13 point 5): the text fixed when drafted (what the
-- public pages show, and nothing else), who drafted and who published it, and a withdrawal with
-- its reason. One exposure per case; a withdrawn one stays as history.
CREATE TABLE case_exposures (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    case_id INTEGER NOT NULL UNIQUE REFERENCES cases(id),
    enterprise_name TEXT NOT NULL,
    party TEXT NOT NULL,
    violation TEXT NOT NULL,
    violated_article TEXT NOT NULL,
    applied_article TEXT NOT NULL,
    penalty TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    status TEXT NOT NULL,
    drafted_by INTEGER REFERENCES users(id),
    published_by INTEGER REFERENCES users(id),
    published_on TEXT,
    withdrawn_on TEXT,
    withdraw_reason TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX case_exposures_published ON case_exposures(status, published_on);
