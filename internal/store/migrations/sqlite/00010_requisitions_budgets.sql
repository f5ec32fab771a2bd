-- +goose Up
-- Purchase requisitions (请购) are ordered from; requests for quotation
-- (询价) collect the suppliers' quotes; purchase budgets cap what is ordered.
ALTER TABLE document_lines ADD COLUMN ordered_qty INTEGER NOT NULL DEFAULT 0;

CREATE TABLE rfq_quotes (
    id             INTEGER PRIMARY KEY,
    company_id     INTEGER NOT NULL REFERENCES companies(id),
    document_id    INTEGER NOT NULL REFERENCES documents(id),
    line_id        INTEGER NOT NULL REFERENCES document_lines(id),
    partner_id     INTEGER NOT NULL REFERENCES partners(id),
    price          INTEGER NOT NULL,
    tax_included   BOOLEAN NOT NULL DEFAULT FALSE,
    tax_rate       INTEGER NOT NULL DEFAULT 0,
    lead_time_days INTEGER NOT NULL DEFAULT 0,
    valid_until    TEXT,
    note           TEXT NOT NULL DEFAULT '',
    created_by     INTEGER NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    UNIQUE (document_id, partner_id, line_id)
);

CREATE TABLE purchase_budgets (
    id          INTEGER PRIMARY KEY,
    company_id  INTEGER NOT NULL REFERENCES companies(id),
    scope       TEXT NOT NULL,
    ref_id      INTEGER NOT NULL,
    from_date   TEXT NOT NULL,
    to_date     TEXT NOT NULL,
    amount      INTEGER NOT NULL,
    warn_rate   INTEGER NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (company_id, scope, ref_id, from_date)
);

-- +goose Down
DROP TABLE purchase_budgets;
DROP TABLE rfq_quotes;
ALTER TABLE document_lines DROP COLUMN ordered_qty;
