-- +goose Up
-- The counter: the payments of a counter sale (or the refunds of a counter
-- return), several per document (cash with change, WeChat, Alipay, card,
-- store credit).
CREATE TABLE doc_payments (
    company_id  INTEGER NOT NULL REFERENCES companies(id),
    document_id INTEGER NOT NULL REFERENCES documents(id),
    line_no     INTEGER NOT NULL,
    method      TEXT NOT NULL,
    account_id  INTEGER REFERENCES accounts(id),
    amount      INTEGER NOT NULL,
    tendered    INTEGER NOT NULL,
    change_due  INTEGER NOT NULL DEFAULT 0,
    ref         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (document_id, line_no)
);
CREATE INDEX doc_payments_account ON doc_payments(company_id, account_id);

-- +goose Down
DROP TABLE doc_payments;
