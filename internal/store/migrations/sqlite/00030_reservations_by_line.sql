-- +goose Up
-- Reservations are read by order line (the primary key) in every posting;
-- by balance row only by jxc check and its repair, which now add them up
-- for the whole company in one pass (store.CheckReservations,
-- RebuildReserved). The index by balance row put an entry for each line of
-- an order on a page of its own (the items are scattered across it): about
-- four and a half of the nineteen pages a confirmed ten-line order wrote
-- to SQLite's log, and as many index insertions, in the single writer.
DROP INDEX stock_reservations_balance;

-- +goose Down
CREATE INDEX stock_reservations_balance ON stock_reservations(company_id, item_id, location_id, batch);
