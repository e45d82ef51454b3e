-- The findings ledger (隐患台账) and the closed loop (issue #7): ledger fields, the five
-- implementations of the plan, temporary measures and stop-work, a pending extension request, an
-- optimistic version, and the history of every transition.
ALTER TABLE findings ADD COLUMN location TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE findings ADD COLUMN plan_responsible TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN plan_measures TEXT NOT NULL DEFAULT '';
-- Funds in fen (1/100 yuan), so that amounts add up exactly.
ALTER TABLE findings ADD COLUMN plan_funds_fen INTEGER;
ALTER TABLE findings ADD COLUMN plan_time_limit TEXT;
ALTER TABLE findings ADD COLUMN plan_contingency TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN temporary_measures TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN stop_work INTEGER NOT NULL DEFAULT 0;
ALTER TABLE findings ADD COLUMN extension_due_on TEXT;
ALTER TABLE findings ADD COLUMN extension_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN opened_by_user_id INTEGER REFERENCES users(id);
-- The client's token of the request that opened the finding: a second identical request finds it.
ALTER TABLE findings ADD COLUMN open_token TEXT;
CREATE UNIQUE INDEX findings_open_token ON findings(open_token);
CREATE INDEX findings_campaign_due ON findings(campaign_id, due_on, id);

CREATE TABLE finding_transitions (
    id INTEGER PRIMARY KEY,
    finding_id INTEGER NOT NULL REFERENCES findings(id),
    action TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    actor_user_id INTEGER,
    actor_role TEXT NOT NULL,
    at TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    payload TEXT NOT NULL DEFAULT '{}',
    request_token TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (finding_id, request_token)
);
CREATE INDEX finding_transitions_finding ON finding_transitions(finding_id, id);
-- Findings opened before the history existed get their opening row.
INSERT INTO finding_transitions (finding_id, action, from_status, to_status, actor_role, at,
    created_at, updated_at)
SELECT id, 'open', '', 'open', 'system', created_at, created_at, created_at FROM findings;
