-- +goose Up
-- The credit check of every sales order confirmation reads two things that
-- grew with a customer's history (store.CustomerExposure): the receivable
-- balance, summed over the customer's partner ledger, and the oldest unpaid
-- invoice past due. The ledger index now ends with the amount, so the sum
-- reads the index alone; the open invoices get an index of their own,
-- holding only invoices not yet settled, so the oldest due date is one seek
-- however many invoices the customer has paid.
DROP INDEX partner_ledger_partner;
CREATE INDEX partner_ledger_partner ON partner_ledger(company_id, partner_id, kind, doc_date, id, amount);
CREATE INDEX documents_open_invoices ON documents(company_id, partner_id, due_date)
    WHERE type = 'sales_invoice' AND state = 'posted' AND reversed_by_id IS NULL AND settled < gross_amount;

-- +goose Down
DROP INDEX documents_open_invoices;
DROP INDEX partner_ledger_partner;
CREATE INDEX partner_ledger_partner ON partner_ledger(company_id, partner_id, kind, doc_date, id);
