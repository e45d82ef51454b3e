-- Anchors of the audit trail kept outside the audit table (issue #5): the sequence number, time
-- and hash of the newest record when the anchor was taken (`safeduty audit anchor`, a restore).
CREATE TABLE audit_anchors (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- The audit administrator's search (time range, actor, event, target, result).
CREATE INDEX audit_records_at ON audit_records(at);
CREATE INDEX audit_records_actor ON audit_records(actor_user_id, seq);
CREATE INDEX audit_records_event ON audit_records(event, seq);
CREATE INDEX audit_records_target ON audit_records(target_kind, target_id, seq);
