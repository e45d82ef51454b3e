-- Strict enforcement (issue #12): each unit's powers, officers' enforcement certificates, the
-- region's enforcement settings and violation library, document number sequences, on-site
-- inspections with their officers, guests and item results, correction orders with extension
-- requests, re-inspections, referrals for a case, on-site measures, and the signed documents of
-- record. Civil dates are TEXT 'YYYY-MM-DD', times 'HH:MM'.

-- The powers a unit holds (codes of core::enforcement::powers::Power, comma-separated), set by
-- the committee office; a unit without a row holds its kind's defaults.
CREATE TABLE unit_powers (
    unit_id INTEGER PRIMARY KEY REFERENCES units(id),
    powers TEXT NOT NULL,
    set_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- An officer's enforcement certificate (执法证): only an officer whose certificate is valid on
-- the day can be named as an inspecting officer.
CREATE TABLE officer_certificates (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    number TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    set_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- What a committee office sets for the documents of its region: the short name in document
-- numbers, the kind words (JSON object: document kind code -> word), the bodies named in the
-- remedies sentence, and the yearly cap of inspections per enterprise per inspecting unit.
CREATE TABLE enforcement_settings (
    region_id INTEGER PRIMARY KEY REFERENCES regions(id),
    region_short TEXT NOT NULL,
    kind_words TEXT NOT NULL,
    reconsideration_body TEXT NOT NULL,
    court TEXT NOT NULL,
    yearly_cap INTEGER NOT NULL,
    set_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- A region's violation library (违法行为库): rows edited by its committee office; a region
-- without rows uses the shipped library.
CREATE TABLE violation_rows (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions(id),
    code TEXT NOT NULL,
    behaviour TEXT NOT NULL,
    violated_article TEXT NOT NULL,
    penalty_article TEXT NOT NULL,
    party TEXT NOT NULL,
    verified INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (region_id, code)
);

-- One sequence per issuing unit, family (inspection, case) and year; allocated by an upsert in
-- the transaction that writes the document, so numbers are distinct and without gaps.
CREATE TABLE document_sequences (
    issuer_unit_id INTEGER NOT NULL REFERENCES units(id),
    family TEXT NOT NULL,
    year INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (issuer_unit_id, family, year)
);

-- An on-site inspection (现场检查记录). Its number is (unit, year, seq); every document of the
-- inspection carries that sequence with its own kind word.
CREATE TABLE inspections (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    inspected_on TEXT NOT NULL,
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    place TEXT NOT NULL,
    person_present TEXT NOT NULL,
    person_present_title TEXT NOT NULL,
    notice TEXT NOT NULL,
    cap_exception TEXT,
    cap_ground TEXT NOT NULL DEFAULT '',
    plan_target_id INTEGER,
    summary TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER REFERENCES users(id),
    request_token TEXT UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (unit_id, year, seq)
);
CREATE INDEX inspections_enterprise ON inspections(enterprise_id, inspected_on);
CREATE INDEX inspections_unit ON inspections(unit_id, inspected_on, id);

-- The officers of an inspection, their names and certificate numbers as on the day.
CREATE TABLE inspection_officers (
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    position INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    certificate_number TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (inspection_id, position),
    UNIQUE (inspection_id, user_id)
);

-- Accompanying guests (experts, media): never the inspecting officers.
CREATE TABLE inspection_guests (
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    organisation TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (inspection_id, position)
);

-- Each check item's result; a 不符合 opens the finding named here (source enforcement).
CREATE TABLE inspection_items (
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    item_number INTEGER NOT NULL,
    answer TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    violation_codes TEXT NOT NULL DEFAULT '',
    finding_id INTEGER REFERENCES findings(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (inspection_id, item_number)
);

ALTER TABLE findings ADD COLUMN inspection_id INTEGER REFERENCES inspections(id);

-- A correction order (责令限期整改指令书), one per inspection.
CREATE TABLE correction_orders (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    inspection_id INTEGER NOT NULL UNIQUE REFERENCES inspections(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    issued_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    due_provisional INTEGER NOT NULL DEFAULT 0,
    working_days INTEGER,
    status TEXT NOT NULL,
    completion_reported_on TEXT,
    completion_note TEXT NOT NULL DEFAULT '',
    re_inspection_due_on TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 0,
    issued_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX correction_orders_unit ON correction_orders(unit_id, status, re_inspection_due_on);
CREATE INDEX correction_orders_enterprise ON correction_orders(enterprise_id);

CREATE TABLE correction_order_findings (
    order_id INTEGER NOT NULL REFERENCES correction_orders(id),
    finding_id INTEGER NOT NULL REFERENCES findings(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (order_id, finding_id)
);

-- An enterprise's request for more time, decided by the issuing unit.
CREATE TABLE order_extensions (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES correction_orders(id),
    requested_on TEXT NOT NULL,
    requested_due_on TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    requested_by INTEGER REFERENCES users(id),
    decided_on TEXT,
    decided_by INTEGER REFERENCES users(id),
    decision_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX order_extensions_order ON order_extensions(order_id, id);

-- The re-inspection of an order (整改复查意见书).
CREATE TABLE re_inspections (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    order_id INTEGER NOT NULL UNIQUE REFERENCES correction_orders(id),
    inspected_on TEXT NOT NULL,
    opinion TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE re_inspection_officers (
    re_inspection_id INTEGER NOT NULL REFERENCES re_inspections(id),
    position INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    certificate_number TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (re_inspection_id, position),
    UNIQUE (re_inspection_id, user_id)
);

CREATE TABLE re_inspection_results (
    re_inspection_id INTEGER NOT NULL REFERENCES re_inspections(id),
    finding_id INTEGER NOT NULL REFERENCES findings(id),
    result TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (re_inspection_id, finding_id)
);

-- A referral for a case: a re-inspection that found no correction, or a unit without the
-- penalty power handing over (cases are issue #13's; here the referral is recorded and listed).
CREATE TABLE case_referrals (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    source_kind TEXT NOT NULL,
    source_id INTEGER NOT NULL,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    from_unit_id INTEGER NOT NULL REFERENCES units(id),
    referred_on TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (source_kind, source_id)
);

-- On-site measures (现场处理措施决定书), one decision per inspection, and the review that lifts it.
CREATE TABLE onsite_measures (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    inspection_id INTEGER NOT NULL UNIQUE REFERENCES inspections(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    decided_on TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    until_on TEXT NOT NULL,
    lifted_on TEXT,
    lift_note TEXT NOT NULL DEFAULT '',
    decided_by INTEGER REFERENCES users(id),
    version INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- The signed scan of a generated document, uploaded by an officer: the document of record.
-- Never overwritten; a newer one supersedes it with a reason.
CREATE TABLE documents_of_record (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    document_kind TEXT NOT NULL,
    owner_kind TEXT NOT NULL,
    owner_id INTEGER NOT NULL,
    number TEXT NOT NULL,
    attachment_id INTEGER NOT NULL REFERENCES attachments(id),
    uploaded_by INTEGER REFERENCES users(id),
    superseded_by INTEGER REFERENCES documents_of_record(id),
    supersede_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX documents_of_record_owner ON documents_of_record(owner_kind, owner_id, document_kind);
