-- Outward delivery of reminders (webhook, later e-mail): one row per reminder and channel once
-- tried; delivered_at set on success, attempts and next_attempt_at for retries.
CREATE TABLE reminder_deliveries (
    reminder_id BIGINT NOT NULL REFERENCES reminders(id),
    channel TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    last_error TEXT,
    next_attempt_at TEXT NOT NULL,
    delivered_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (reminder_id, channel)
);
