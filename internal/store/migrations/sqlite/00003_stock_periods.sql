-- +goose Up
-- Month-end close: a lock date per company and snapshots of stock and cost
-- at each closed period's end, so history before it never changes and
-- stock at any date is a snapshot plus the ledger rows after it.

CREATE TABLE stock_closes (
    id          INTEGER PRIMARY KEY,
    company_id  INTEGER NOT NULL REFERENCES companies(id),
    period_end  TEXT NOT NULL,
    closed_by   INTEGER NOT NULL,
    closed_at   TIMESTAMP NOT NULL,
    reopened_by INTEGER,
    reopened_at TIMESTAMP,
    reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX stock_closes_company ON stock_closes(company_id, period_end);

CREATE TABLE stock_snapshots (
    company_id  INTEGER NOT NULL,
    period_end  TEXT NOT NULL,
    item_id     INTEGER NOT NULL,
    location_id INTEGER NOT NULL,
    batch       TEXT NOT NULL DEFAULT '',
    warehouse_id INTEGER NOT NULL,
    qty         INTEGER NOT NULL,
    value       INTEGER NOT NULL,
    PRIMARY KEY (company_id, period_end, item_id, location_id, batch)
);
CREATE INDEX stock_snapshots_warehouse ON stock_snapshots(company_id, period_end, warehouse_id);

CREATE TABLE cost_snapshots (
    company_id INTEGER NOT NULL,
    period_end TEXT NOT NULL,
    item_id    INTEGER NOT NULL,
    scope_id   INTEGER NOT NULL,
    method     TEXT NOT NULL,
    qty        INTEGER NOT NULL,
    value      INTEGER NOT NULL,
    last_cost  INTEGER NOT NULL,
    layers     TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (company_id, period_end, item_id, scope_id)
);

-- Postings ask "has this item moved after date D?" and replays read an
-- item's rows in date order.
CREATE INDEX stock_ledger_item_date ON stock_ledger(company_id, item_id, doc_date);

-- +goose Down
DROP INDEX stock_ledger_item_date;
DROP TABLE cost_snapshots;
DROP TABLE stock_snapshots;
DROP TABLE stock_closes;
