-- +goose Up
-- Sales (销): the salesperson on every document, the cost of goods on
-- shipment lines (gross profit = net − cost), credit control on the
-- customer, and reservations: what a confirmed sales order holds of a
-- balance row (item, location, batch). stock_balances.reserved is their
-- sum per row, kept in the same transaction (jxc check proves it).
ALTER TABLE documents ADD COLUMN salesperson_id INTEGER REFERENCES users(id);
ALTER TABLE document_lines ADD COLUMN cost INTEGER NOT NULL DEFAULT 0;
ALTER TABLE document_lines ADD COLUMN price_rule TEXT NOT NULL DEFAULT '';
ALTER TABLE partners ADD COLUMN credit_mode TEXT NOT NULL DEFAULT 'block';
ALTER TABLE partners ADD COLUMN overdue_days INTEGER NOT NULL DEFAULT 0;
CREATE INDEX documents_salesperson ON documents(company_id, salesperson_id, type, doc_date);

CREATE TABLE stock_reservations (
    company_id   INTEGER NOT NULL REFERENCES companies(id),
    line_id      INTEGER NOT NULL REFERENCES document_lines(id),
    document_id  INTEGER NOT NULL REFERENCES documents(id),
    item_id      INTEGER NOT NULL REFERENCES items(id),
    location_id  INTEGER NOT NULL REFERENCES locations(id),
    batch        TEXT NOT NULL DEFAULT '',
    qty          INTEGER NOT NULL,
    PRIMARY KEY (company_id, line_id, location_id, batch)
);
CREATE INDEX stock_reservations_balance ON stock_reservations(company_id, item_id, location_id, batch);

-- +goose Down
DROP TABLE stock_reservations;
DROP INDEX documents_salesperson;
ALTER TABLE partners DROP COLUMN overdue_days;
ALTER TABLE partners DROP COLUMN credit_mode;
ALTER TABLE document_lines DROP COLUMN price_rule;
ALTER TABLE document_lines DROP COLUMN cost;
ALTER TABLE documents DROP COLUMN salesperson_id;
