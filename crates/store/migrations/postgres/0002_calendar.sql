-- Holiday arrangements loaded at run time (issue #4): a year here replaces the shipped one.
CREATE TABLE calendar_years (
    year BIGINT PRIMARY KEY,
    document_number TEXT,
    dated TEXT,
    source TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE calendar_days (
    year BIGINT NOT NULL REFERENCES calendar_years(year),
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (year, day, kind)
);
