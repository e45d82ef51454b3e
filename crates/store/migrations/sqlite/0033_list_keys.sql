-- Lists that find (issue #18 point 2, issue #19 point 4). Keys computed in Rust (safeduty_store::keys)
-- so that both databases search and order alike: search_key is the enterprise's name and USCC
-- folded (full-width to half-width, Traditional to Simplified, lower case); sort_key is the
-- pinyin key of the name (enterprises) or of the region's name (towns). Rows written before this
-- migration are filled when the store opens (an empty key means "not filled yet").
ALTER TABLE enterprises ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
ALTER TABLE regions ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
CREATE INDEX enterprises_sort ON enterprises(sort_key, id);
CREATE INDEX enterprises_industry ON enterprises(industry, sort_key, id);
