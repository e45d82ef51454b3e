-- The documents of the units' reports (issue #15 point 1): each submission of a report carries
-- its document (.docx or PDF: the plan asks for "word或wps等方便提取文字内容的电子文档"), kept
-- as the record with who and when and the text read from it; the committee office may return a
-- submission with a reason (the document stays, marked returned; the report is owed again).
-- The bytes are in the blob store by SHA-256. Kept in step with ../postgres/0031_report_documents.sql.
CREATE TABLE report_documents (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    report_key TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    size INTEGER NOT NULL,
    text TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    submitted_on TEXT NOT NULL,
    submitted_by INTEGER REFERENCES users(id),
    returned_on TEXT,
    returned_by INTEGER REFERENCES users(id),
    return_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX report_documents_report ON report_documents(campaign_id, unit_id, report_key);
