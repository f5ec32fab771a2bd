-- +goose Up
-- The balance projection becomes a WITHOUT ROWID table: its rows are kept in
-- key order (company, item, location, batch), so reading the balances of
-- items in order — a page of the balance list, the streamed export of all
-- of it — reads the table front to back instead of jumping to a rowid for
-- every row (measured at 500,000 rows: docs/PERFORMANCE.md), and a posting
-- finds its rows with one b-tree search instead of two.
CREATE TABLE stock_balances_new (
    company_id   INTEGER NOT NULL,
    item_id      INTEGER NOT NULL REFERENCES items(id),
    location_id  INTEGER NOT NULL REFERENCES locations(id),
    batch        TEXT NOT NULL DEFAULT '',
    warehouse_id INTEGER NOT NULL,
    on_hand      INTEGER NOT NULL DEFAULT 0,
    reserved     INTEGER NOT NULL DEFAULT 0,
    value        INTEGER NOT NULL DEFAULT 0,
    expiry       TEXT,
    updated_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, item_id, location_id, batch)
) WITHOUT ROWID;
INSERT INTO stock_balances_new (company_id, item_id, location_id, batch, warehouse_id, on_hand, reserved, value, expiry, updated_at)
    SELECT company_id, item_id, location_id, batch, warehouse_id, on_hand, reserved, value, expiry, updated_at FROM stock_balances;
DROP TABLE stock_balances;
ALTER TABLE stock_balances_new RENAME TO stock_balances;
CREATE INDEX stock_balances_warehouse ON stock_balances(company_id, warehouse_id, item_id);

-- +goose Down
CREATE TABLE stock_balances_old (
    company_id   INTEGER NOT NULL,
    item_id      INTEGER NOT NULL REFERENCES items(id),
    location_id  INTEGER NOT NULL REFERENCES locations(id),
    batch        TEXT NOT NULL DEFAULT '',
    warehouse_id INTEGER NOT NULL,
    on_hand      INTEGER NOT NULL DEFAULT 0,
    reserved     INTEGER NOT NULL DEFAULT 0,
    value        INTEGER NOT NULL DEFAULT 0,
    expiry       TEXT,
    updated_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, item_id, location_id, batch)
);
INSERT INTO stock_balances_old SELECT company_id, item_id, location_id, batch, warehouse_id, on_hand, reserved, value, expiry, updated_at FROM stock_balances;
DROP TABLE stock_balances;
ALTER TABLE stock_balances_old RENAME TO stock_balances;
CREATE INDEX stock_balances_warehouse ON stock_balances(company_id, warehouse_id, item_id);
