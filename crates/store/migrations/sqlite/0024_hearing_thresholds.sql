-- The hearing thresholds of a region (issue #13: 较大数额罚款 is a province's figure): the fines
-- on a person and on a unit at or above which a hearing is offered. NULL: the value of the
-- shipped rules in force (crates/core/data/enforcement-rules.toml).
ALTER TABLE enforcement_settings ADD COLUMN hearing_threshold_person INTEGER;
ALTER TABLE enforcement_settings ADD COLUMN hearing_threshold_unit INTEGER;
