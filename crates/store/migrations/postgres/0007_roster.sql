-- Roster import (issue: enterprise roster import). The people and phone a roster carries, the
-- industry as the roster wrote it, the committee office's industry table (detailed name → one of
-- the eight key industries), and uploads waiting for their importer's confirmation.
ALTER TABLE enterprises ADD COLUMN industry_detail TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN principal TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN safety_manager TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN contact TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN phone TEXT NOT NULL DEFAULT '';

CREATE TABLE industry_aliases (
    alias TEXT PRIMARY KEY,
    industry TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- The 工贸 sub-industries, and the eight key industries themselves.
INSERT INTO industry_aliases (alias, industry, created_at, updated_at) VALUES
    ('冶金', '工贸', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z'),
    ('有色', '工贸', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z'),
    ('建材', '工贸', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z'),
    ('机械', '工贸', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z'),
    ('轻工', '工贸', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z'),
    ('纺织', '工贸', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z'),
    ('烟草', '工贸', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z'),
    ('商贸', '工贸', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z'),
    ('非煤矿山', '非煤矿山', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z'),
    ('危险化学品', '危险化学品', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z'),
    ('烟花爆竹', '烟花爆竹', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z'),
    ('城镇燃气', '城镇燃气', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z'),
    ('建筑施工', '建筑施工', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z'),
    ('交通运输', '交通运输', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z'),
    ('民用爆炸物品', '民用爆炸物品', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z'),
    ('工贸', '工贸', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z');

CREATE TABLE roster_uploads (
    id TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    file_name TEXT NOT NULL,
    content_hex TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
