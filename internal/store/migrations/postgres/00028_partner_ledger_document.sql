-- +goose Up
-- What a document put on partners' accounts was found by reading the whole
-- partner ledger: each settlement (核销) checks that a document is not
-- settled past what it put there, and each reversal of a document that
-- moved money reads its entries (store.PartnerAmount). Both ask by document.
CREATE INDEX partner_ledger_document ON partner_ledger(document_id);

-- +goose Down
DROP INDEX partner_ledger_document;
