-- +goose Up
-- SQLite's balance table becomes WITHOUT ROWID (kept in key order) in this
-- step. PostgreSQL's heap has no such option and needs none: its planner
-- reads the balances of many items with a merge or hash join and a sort,
-- and a posting finds a row through the primary key index either way. The
-- step exists so both engines keep the same list of migrations.
SELECT 1;

-- +goose Down
SELECT 1;
