-- +goose Up
-- What a customer's confirmed sales orders add to their credit exposure,
-- kept as figures instead of summed over every open order line on every
-- confirmation: documents.open_credit is one sales order's share (the sum of
-- domain.OpenOrderShare over its lines not fully invoiced, while it is
-- posted and not reversed), partners.on_order the sum of those of the
-- customer's orders. Existing data is filled in by Go at the next start
-- (store.DB.Migrate), which the row in store_backfills asks for.
ALTER TABLE documents ADD COLUMN open_credit BIGINT NOT NULL DEFAULT 0;
ALTER TABLE partners ADD COLUMN on_order BIGINT NOT NULL DEFAULT 0;
CREATE TABLE store_backfills (name TEXT PRIMARY KEY);
INSERT INTO store_backfills (name) VALUES ('order_credit');

-- +goose Down
DROP TABLE store_backfills;
ALTER TABLE partners DROP COLUMN on_order;
ALTER TABLE documents DROP COLUMN open_credit;
