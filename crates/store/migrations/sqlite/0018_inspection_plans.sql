-- Inspection plans with the random draw (issue #12 points 2-3; docs/draw.md). A plan belongs to
-- one unit and one campaign: its window (civil dates, TEXT 'YYYY-MM-DD'), how many of the pool to
-- draw (a count, or a share in per mille), and its status (draft, drawn). A drawn plan is never
-- changed: drawing again makes a new version of the unit's plan, which supersedes the old one
-- once it is drawn (the old one is kept).
CREATE TABLE inspection_plans (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    version INTEGER NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    draw_count INTEGER,
    draw_per_mille INTEGER,
    status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    superseded_by INTEGER REFERENCES inspection_plans(id),
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (campaign_id, unit_id, version)
);
CREATE INDEX inspection_plans_unit ON inspection_plans(unit_id, campaign_id, version);

-- The draw of a plan, with everything `verify` needs: the published seed, the algorithm and its
-- version, each canonical list as its encoding (items joined with a line feed) with its digest,
-- and k. The targets are plan_targets.
CREATE TABLE plan_draws (
    plan_id INTEGER PRIMARY KEY REFERENCES inspection_plans(id),
    algorithm TEXT NOT NULL,
    algorithm_version INTEGER NOT NULL,
    seed TEXT NOT NULL,
    candidates TEXT NOT NULL,
    candidates_digest TEXT NOT NULL,
    officers TEXT NOT NULL,
    officers_digest TEXT NOT NULL,
    mandatory TEXT NOT NULL,
    mandatory_digest TEXT NOT NULL,
    k INTEGER NOT NULL,
    drawn_at TEXT NOT NULL,
    drawn_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- A plan's targets in draw order: the enterprise (and the id it was drawn under, its USCC),
-- mandatory or drawn, its target digest, the officer pair (accounts and certificate numbers as
-- drawn), and the inspection that fulfilled it.
CREATE TABLE plan_targets (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    plan_id INTEGER NOT NULL REFERENCES inspection_plans(id),
    position INTEGER NOT NULL,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    draw_id TEXT NOT NULL,
    mandatory INTEGER NOT NULL,
    digest TEXT NOT NULL,
    officer1_user_id INTEGER NOT NULL REFERENCES users(id),
    officer1_certificate TEXT NOT NULL,
    officer2_user_id INTEGER NOT NULL REFERENCES users(id),
    officer2_certificate TEXT NOT NULL,
    inspection_id INTEGER REFERENCES inspections(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (plan_id, position),
    UNIQUE (plan_id, enterprise_id)
);
CREATE INDEX plan_targets_enterprise ON plan_targets(enterprise_id);
