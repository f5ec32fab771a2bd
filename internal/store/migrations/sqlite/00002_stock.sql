-- +goose Up
-- The stock ledger, its projections and the document framework (see the
-- stock model in docs/ARCHITECTURE.md and docs/DECISIONS.md).

CREATE TABLE doc_sequences (
    company_id INTEGER NOT NULL REFERENCES companies(id),
    prefix     TEXT NOT NULL,
    day        TEXT NOT NULL,
    last       INTEGER NOT NULL,
    PRIMARY KEY (company_id, prefix, day)
);

CREATE TABLE documents (
    id              INTEGER PRIMARY KEY,
    company_id      INTEGER NOT NULL REFERENCES companies(id),
    type            TEXT NOT NULL,
    number          TEXT NOT NULL,
    state           TEXT NOT NULL,
    doc_date        TEXT NOT NULL,
    warehouse_id    INTEGER REFERENCES warehouses(id),
    to_warehouse_id INTEGER REFERENCES warehouses(id),
    partner_id      INTEGER REFERENCES partners(id),
    reason          TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    reverses_id     INTEGER REFERENCES documents(id),
    reversed_by_id  INTEGER REFERENCES documents(id),
    total_qty       INTEGER NOT NULL DEFAULT 0,
    total_amount    INTEGER NOT NULL DEFAULT 0,
    created_by      INTEGER NOT NULL,
    posted_by       INTEGER,
    posted_at       TIMESTAMP,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    UNIQUE (company_id, number)
);
CREATE INDEX documents_type_date ON documents(company_id, type, doc_date);
CREATE INDEX documents_state ON documents(company_id, state);

CREATE TABLE document_lines (
    id             INTEGER PRIMARY KEY,
    company_id     INTEGER NOT NULL,
    document_id    INTEGER NOT NULL REFERENCES documents(id),
    line_no        INTEGER NOT NULL,
    item_id        INTEGER NOT NULL REFERENCES items(id),
    unit_id        INTEGER NOT NULL REFERENCES units(id),
    factor         INTEGER NOT NULL,
    qty            INTEGER NOT NULL,
    base_qty       INTEGER NOT NULL,
    price          INTEGER NOT NULL DEFAULT 0,
    amount         INTEGER NOT NULL DEFAULT 0,
    location_id    INTEGER REFERENCES locations(id),
    to_location_id INTEGER REFERENCES locations(id),
    batch          TEXT NOT NULL DEFAULT '',
    expiry         TEXT,
    note           TEXT NOT NULL DEFAULT '',
    UNIQUE (document_id, line_no)
);
CREATE INDEX document_lines_item ON document_lines(company_id, item_id);

-- The ledger: deltas only, never running totals; append-only.
CREATE TABLE stock_ledger (
    id              INTEGER PRIMARY KEY,
    company_id      INTEGER NOT NULL,
    document_id     INTEGER NOT NULL REFERENCES documents(id),
    line_id         INTEGER NOT NULL,
    doc_type        TEXT NOT NULL,
    doc_date        TEXT NOT NULL,
    kind            TEXT NOT NULL,
    move            TEXT NOT NULL,
    item_id         INTEGER NOT NULL REFERENCES items(id),
    location_id     INTEGER NOT NULL REFERENCES locations(id),
    batch           TEXT NOT NULL DEFAULT '',
    counter_id      INTEGER NOT NULL,
    qty             INTEGER NOT NULL,
    value           INTEGER NOT NULL,
    adjusts_line_id INTEGER,
    posted_at       TIMESTAMP NOT NULL
);
CREATE INDEX stock_ledger_item ON stock_ledger(company_id, item_id, location_id, doc_date, id);
CREATE INDEX stock_ledger_document ON stock_ledger(document_id);
CREATE INDEX stock_ledger_date ON stock_ledger(company_id, doc_date);

-- +goose StatementBegin
CREATE TRIGGER stock_ledger_no_update BEFORE UPDATE ON stock_ledger
BEGIN
    SELECT RAISE(ABORT, 'stock_ledger is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER stock_ledger_no_delete BEFORE DELETE ON stock_ledger
BEGIN
    SELECT RAISE(ABORT, 'stock_ledger is append-only');
END;
-- +goose StatementEnd

-- Projection: one row per (item, real location, batch).
CREATE TABLE stock_balances (
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
CREATE INDEX stock_balances_warehouse ON stock_balances(company_id, warehouse_id, item_id);

-- Projection: the valuation of an item per costing scope (0 = company,
-- else a warehouse id); FIFO layers as JSON, oldest first.
CREATE TABLE stock_costs (
    company_id INTEGER NOT NULL,
    item_id    INTEGER NOT NULL REFERENCES items(id),
    scope_id   INTEGER NOT NULL,
    method     TEXT NOT NULL,
    qty        INTEGER NOT NULL DEFAULT 0,
    value      INTEGER NOT NULL DEFAULT 0,
    last_cost  INTEGER NOT NULL DEFAULT 0,
    layers     TEXT NOT NULL DEFAULT '[]',
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, item_id, scope_id)
);

-- +goose Down
DROP TABLE stock_costs;
DROP TABLE stock_balances;
DROP TRIGGER stock_ledger_no_delete;
DROP TRIGGER stock_ledger_no_update;
DROP TABLE stock_ledger;
DROP TABLE document_lines;
DROP TABLE documents;
DROP TABLE doc_sequences;
