-- Identification (issue #5): forced password change, failed-login counter and lock, history.
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN failed_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN failed_window_start TEXT;
ALTER TABLE users ADD COLUMN locked_until TEXT;

CREATE TABLE password_history (
    user_id BIGINT NOT NULL REFERENCES users(id),
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX password_history_user ON password_history(user_id, created_at);
