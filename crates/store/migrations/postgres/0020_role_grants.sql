-- Granting a business role is the security administrator's act (issue #16 point 1, GB/T
-- 22239-2019 8.1.4.2 separation of duties): a role the system administrator proposed when it
-- created the account, or one suspended by a password reset, takes effect only once granted.
-- Existing accounts keep their roles in effect.
ALTER TABLE users ADD COLUMN grant_pending BIGINT NOT NULL DEFAULT 0;
