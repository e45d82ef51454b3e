-- Failed-login counters per typed user name and client address (issue #16 point 6): a guesser
-- is locked out where it guesses from, never the owner elsewhere, and a name that names nobody
-- is counted like a real one. They replace the per-account counters on `users`.
CREATE TABLE login_failures (
    name_key TEXT NOT NULL,
    client_addr TEXT NOT NULL,
    failed_count BIGINT NOT NULL DEFAULT 0,
    window_start TEXT,
    locked_until TEXT,
    locks BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (name_key, client_addr)
);
CREATE INDEX login_failures_updated ON login_failures(updated_at);

ALTER TABLE users DROP COLUMN failed_count;
ALTER TABLE users DROP COLUMN failed_window_start;
ALTER TABLE users DROP COLUMN locked_until;
