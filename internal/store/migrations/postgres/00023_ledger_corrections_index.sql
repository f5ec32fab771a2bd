-- +goose Up
-- The ledger's corrections (rows of a kind other than 'move': re-costing and
-- landed cost adjusting an earlier line) by company and day. They are few,
-- but the analyses look for the ones of a range, and without this index
-- that meant reading every ledger row of the range: over a year of a 5M-row
-- ledger, a second of a sales analysis that found none (docs/PERFORMANCE.md,
-- "The analyses at 5M ledger rows"). A move never enters it, so posting
-- pays nothing for it.
CREATE INDEX stock_ledger_corrections ON stock_ledger (company_id, doc_date) WHERE kind <> 'move';

-- +goose Down
DROP INDEX stock_ledger_corrections;
