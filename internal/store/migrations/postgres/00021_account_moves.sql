-- +goose Up
-- A money account's balance and journal (资金日记账, store.AccountBalances and
-- AccountJournal) sum the posted receipts and payments that name the account,
-- by business day. Only those documents carry an account, so a partial index
-- holds them alone; the counter's payments have doc_payments_account.
CREATE INDEX documents_account ON documents(company_id, account_id, doc_date)
    WHERE account_id IS NOT NULL;

-- +goose Down
DROP INDEX documents_account;
