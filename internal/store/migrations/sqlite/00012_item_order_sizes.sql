-- +goose Up
-- Order sizes for replenishment: the supplier's minimum order quantity and
-- the pack an order is rounded up to (base units; 0 = none).
ALTER TABLE items ADD COLUMN moq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN pack_qty INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE items DROP COLUMN pack_qty;
ALTER TABLE items DROP COLUMN moq;
