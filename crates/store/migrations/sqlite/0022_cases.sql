-- Penalty cases (案件, issue #13): a draft without a number, then the approved filing with its
-- number (the unit's `case` sequence, 0017's document_sequences) and the dated record of each
-- step of the procedure (core `enforcement::case`). The step columns are the core `Case`'s
-- fields; `status` is `draft` or the core `CaseState` code computed from them when written.
-- A party who is a person is kept by name and role in the enterprise: no ID number.
CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    source_kind TEXT NOT NULL,
    source_id INTEGER,
    cause TEXT NOT NULL,
    facts TEXT NOT NULL DEFAULT '',
    provision TEXT NOT NULL,
    party_kind TEXT NOT NULL,
    party_name TEXT NOT NULL,
    party_role TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    year INTEGER,
    seq INTEGER,
    filed_on TEXT,
    extensions INTEGER NOT NULL DEFAULT 0,
    investigated_on TEXT,
    notice_provision TEXT,
    notice_amount INTEGER,
    notice_heavy TEXT,
    notice_received_on TEXT,
    hearing_notice_on TEXT,
    answer TEXT,
    answer_on TEXT,
    answer_note TEXT NOT NULL DEFAULT '',
    decision_provision TEXT,
    decision_amount INTEGER,
    decision_band TEXT,
    decision_table TEXT,
    decided_on TEXT,
    no_penalty_basis TEXT,
    no_penalty_follow_up TEXT,
    no_penalty_on TEXT,
    served_on TEXT,
    paid_on TEXT,
    late_fee INTEGER,
    enforcement_on TEXT,
    closed_on TEXT,
    created_by INTEGER REFERENCES users(id),
    version INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (unit_id, year, seq)
);
CREATE INDEX cases_unit ON cases(unit_id, status, id);
CREATE INDEX cases_enterprise ON cases(enterprise_id);
CREATE INDEX cases_source ON cases(source_kind, source_id);

-- The officers who handle a case (at least two, certified on the filing day), their names and
-- certificate numbers as on the day.
CREATE TABLE case_officers (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    position INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    certificate_number TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (case_id, position),
    UNIQUE (case_id, user_id)
);
