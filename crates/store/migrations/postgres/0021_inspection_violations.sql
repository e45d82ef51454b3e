-- The suspected violations an inspection was recorded with (issue #12 point 4): the text of
-- each chosen row of the region's violation library as it stood when the inspection was
-- recorded, so that a later edit of the library leaves the record and its documents as they
-- were. Inspections recorded before this table have no rows here; they are read with the
-- shipped library. The region's own rows are in violation_rows (0017).
CREATE TABLE inspection_violations (
    inspection_id BIGINT NOT NULL REFERENCES inspections(id),
    code TEXT NOT NULL,
    behaviour TEXT NOT NULL,
    violated_article TEXT NOT NULL,
    penalty_article TEXT NOT NULL,
    party TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (inspection_id, code)
);
