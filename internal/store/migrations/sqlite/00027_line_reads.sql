-- +goose Up
-- The index of document lines by (company, item) answered nothing a posting
-- or a screen asks: lines are read by document, by source line or by id,
-- and the analyses reach them from their documents. It cost every line
-- written an entry at a random place — on SQLite 9 of the 43 pages a
-- ten-line sales order's commit writes — and it misled SQLite's planner,
-- which read a company's every line through it when a query named the
-- company beside a better condition (a document's followers, a receipt's
-- source lines when one was listed twice).
DROP INDEX document_lines_item;

-- What a line is worth now is its moves plus every later correction of it
-- (store.LineValues, asked by each return and reversal). The corrections
-- were found by reading the whole ledger: nothing indexed adjusts_line_id.
-- Only corrections have one, so the index holds only them.
CREATE INDEX stock_ledger_adjusts ON stock_ledger(adjusts_line_id) WHERE adjusts_line_id IS NOT NULL;

-- +goose Down
DROP INDEX stock_ledger_adjusts;
CREATE INDEX document_lines_item ON document_lines(company_id, item_id);
