-- +goose Up
-- Purchasing: trade lines with tax (see "Money on trade lines" in
-- docs/DECISIONS.md), orders received against, bills, payments and the
-- supplier's account (往来账), with allocations (核销).
ALTER TABLE documents ADD COLUMN tax_included BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE documents ADD COLUMN expected_date TEXT;
ALTER TABLE documents ADD COLUMN due_date TEXT;
ALTER TABLE documents ADD COLUMN ref TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN discount INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN tax_amount INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN gross_amount INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN settled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN closed BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE documents ADD COLUMN account_id INTEGER REFERENCES accounts(id);
CREATE INDEX documents_partner ON documents(company_id, partner_id, type);

ALTER TABLE document_lines ADD COLUMN tax_rate INTEGER NOT NULL DEFAULT 0;
ALTER TABLE document_lines ADD COLUMN discount_rate INTEGER NOT NULL DEFAULT 0;
ALTER TABLE document_lines ADD COLUMN discount INTEGER NOT NULL DEFAULT 0;
ALTER TABLE document_lines ADD COLUMN tax INTEGER NOT NULL DEFAULT 0;
ALTER TABLE document_lines ADD COLUMN gross INTEGER NOT NULL DEFAULT 0;
ALTER TABLE document_lines ADD COLUMN source_line_id INTEGER;
ALTER TABLE document_lines ADD COLUMN rejected_qty INTEGER NOT NULL DEFAULT 0;
ALTER TABLE document_lines ADD COLUMN received_qty INTEGER NOT NULL DEFAULT 0;
ALTER TABLE document_lines ADD COLUMN returned_qty INTEGER NOT NULL DEFAULT 0;
ALTER TABLE document_lines ADD COLUMN billed_qty INTEGER NOT NULL DEFAULT 0;
ALTER TABLE document_lines ADD COLUMN credit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE document_lines ADD COLUMN variance INTEGER NOT NULL DEFAULT 0;
ALTER TABLE document_lines ADD COLUMN closed BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX document_lines_source ON document_lines(source_line_id);

-- A partner's account: one row per posted document that changes what we
-- owe a supplier (ap) or a customer owes us (ar); append-only, signed.
CREATE TABLE partner_ledger (
    id          INTEGER PRIMARY KEY,
    company_id  INTEGER NOT NULL REFERENCES companies(id),
    partner_id  INTEGER NOT NULL REFERENCES partners(id),
    kind        TEXT NOT NULL,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    doc_type    TEXT NOT NULL,
    doc_date    TEXT NOT NULL,
    due_date    TEXT,
    amount      INTEGER NOT NULL,
    posted_at   TIMESTAMP NOT NULL
);
CREATE INDEX partner_ledger_partner ON partner_ledger(company_id, partner_id, kind, doc_date, id);

-- +goose StatementBegin
CREATE TRIGGER partner_ledger_no_update BEFORE UPDATE ON partner_ledger
BEGIN
    SELECT RAISE(ABORT, 'partner_ledger is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER partner_ledger_no_delete BEFORE DELETE ON partner_ledger
BEGIN
    SELECT RAISE(ABORT, 'partner_ledger is append-only');
END;
-- +goose StatementEnd

-- Allocations (核销): a payment or a credit applied to a bill.
CREATE TABLE settlements (
    id         INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    partner_id INTEGER NOT NULL REFERENCES partners(id),
    debit_id   INTEGER NOT NULL REFERENCES documents(id),
    credit_id  INTEGER NOT NULL REFERENCES documents(id),
    amount     INTEGER NOT NULL,
    day        TEXT NOT NULL,
    created_by INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX settlements_debit ON settlements(debit_id);
CREATE INDEX settlements_credit ON settlements(credit_id);

-- +goose Down
DROP TABLE settlements;
DROP TRIGGER partner_ledger_no_delete;
DROP TRIGGER partner_ledger_no_update;
DROP TABLE partner_ledger;
DROP INDEX document_lines_source;
ALTER TABLE document_lines DROP COLUMN closed;
ALTER TABLE document_lines DROP COLUMN variance;
ALTER TABLE document_lines DROP COLUMN credit;
ALTER TABLE document_lines DROP COLUMN billed_qty;
ALTER TABLE document_lines DROP COLUMN returned_qty;
ALTER TABLE document_lines DROP COLUMN received_qty;
ALTER TABLE document_lines DROP COLUMN rejected_qty;
ALTER TABLE document_lines DROP COLUMN source_line_id;
ALTER TABLE document_lines DROP COLUMN gross;
ALTER TABLE document_lines DROP COLUMN tax;
ALTER TABLE document_lines DROP COLUMN discount;
ALTER TABLE document_lines DROP COLUMN discount_rate;
ALTER TABLE document_lines DROP COLUMN tax_rate;
DROP INDEX documents_partner;
ALTER TABLE documents DROP COLUMN account_id;
ALTER TABLE documents DROP COLUMN closed;
ALTER TABLE documents DROP COLUMN settled;
ALTER TABLE documents DROP COLUMN gross_amount;
ALTER TABLE documents DROP COLUMN tax_amount;
ALTER TABLE documents DROP COLUMN discount;
ALTER TABLE documents DROP COLUMN ref;
ALTER TABLE documents DROP COLUMN due_date;
ALTER TABLE documents DROP COLUMN expected_date;
ALTER TABLE documents DROP COLUMN tax_included;
