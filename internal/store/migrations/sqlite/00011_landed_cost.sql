-- +goose Up
-- Landed cost (到岸成本): freight, duty and other charges spread over
-- receipt lines by value, quantity or weight. Items get a weight (kg per
-- base unit, Qty scale) for the last.
ALTER TABLE items ADD COLUMN weight INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN allocate_by TEXT NOT NULL DEFAULT '';

CREATE TABLE landed_charges (
    id          INTEGER PRIMARY KEY,
    company_id  INTEGER NOT NULL REFERENCES companies(id),
    document_id INTEGER NOT NULL REFERENCES documents(id),
    line_no     INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    amount      INTEGER NOT NULL,
    tax_rate    INTEGER NOT NULL DEFAULT 0,
    net         INTEGER NOT NULL,
    tax         INTEGER NOT NULL,
    gross       INTEGER NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    UNIQUE (document_id, line_no)
);

-- +goose Down
DROP TABLE landed_charges;
ALTER TABLE documents DROP COLUMN allocate_by;
ALTER TABLE items DROP COLUMN weight;
