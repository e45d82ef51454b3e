-- A finding's close-out and major hazards leave a record (issue #18 point 4): the on-site
-- verification's opinion and verifiers (plan item 31: 现场核验…评估确认…销号), a major finding's
-- supervision (挂牌督办: the supervising unit and the day), a pending downgrade of a major finding
-- waiting for the committee office (its reason), and evidence withdrawn by its uploader (kept,
-- marked, no longer counted). Kept in step with ../sqlite/0030_finding_close_out.sql.
ALTER TABLE findings ADD COLUMN verification_opinion TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN verifiers TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN supervising_unit_id BIGINT REFERENCES units(id);
ALTER TABLE findings ADD COLUMN supervised_on TEXT;
ALTER TABLE findings ADD COLUMN downgrade_reason TEXT;
ALTER TABLE attachments ADD COLUMN withdrawn_at TEXT;
ALTER TABLE attachments ADD COLUMN withdrawn_by BIGINT REFERENCES users(id);
ALTER TABLE attachments ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
