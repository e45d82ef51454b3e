-- The dishonesty list (安全生产严重失信主体名单, 应急管理部令第11号; issue #14 point 4): one listing
-- of the party of a decided case, with the dated record of each step of core
-- `enforcement::dishonesty` (notice, objection and answer, decision, publication and the period
-- it starts, the latest credit-repair application and its decision, removal, revocation of an
-- early removal). The party is the case's; the ground's clause and text are kept as when
-- notified. `status` is the core `ListingStatus` code computed when written.
CREATE TABLE dishonesty_listings (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    case_id INTEGER NOT NULL UNIQUE REFERENCES cases(id),
    status TEXT NOT NULL,
    ground_code TEXT NOT NULL,
    ground_clause TEXT NOT NULL,
    ground_text TEXT NOT NULL,
    reasons TEXT NOT NULL,
    notified_on TEXT NOT NULL,
    objection_on TEXT,
    objection TEXT,
    answer_on TEXT,
    answer_upheld INTEGER,
    answer TEXT,
    decided_on TEXT,
    decision_number TEXT,
    published_on TEXT,
    channels TEXT,
    ends_on TEXT,
    repair_from TEXT,
    repair_applied_on TEXT,
    repair_evidence TEXT,
    repair_decided_on TEXT,
    repair_granted INTEGER,
    repair_decision TEXT,
    removed_on TEXT,
    removal_reason TEXT,
    revoked_on TEXT,
    revocation TEXT,
    created_by INTEGER REFERENCES users(id),
    version INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX dishonesty_listings_shown ON dishonesty_listings(status, ends_on);
