-- A finding's time limit as a rule (N working days after it was opened), so that it can be
-- recomputed when a year's holiday arrangement is loaded; NULL once a person set the date.
ALTER TABLE findings ADD COLUMN time_limit_working_days BIGINT;
