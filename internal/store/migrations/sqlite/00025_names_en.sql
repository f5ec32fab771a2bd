-- +goose Up
-- English names beside the Chinese ones, as units, items, partners and
-- warehouses have them: a promotion's, a bin's and the company's own (shown
-- to English users and printed on English documents; empty = the Chinese
-- name). Customer tiers live in companies.settings (JSON) and need no column.
ALTER TABLE promotions ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
ALTER TABLE locations ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
ALTER TABLE companies ADD COLUMN name_en TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE companies DROP COLUMN name_en;
ALTER TABLE locations DROP COLUMN name_en;
ALTER TABLE promotions DROP COLUMN name_en;
