-- +goose Up
-- Money accounts (资金账户): cash boxes, bank accounts and payment-platform
-- merchant accounts that payments and receipts will move money through.
-- Amounts are fixed-point cents (Money); opening_date is YYYY-MM-DD.
CREATE TABLE accounts (
    id              INTEGER PRIMARY KEY,
    company_id      INTEGER NOT NULL REFERENCES companies(id),
    code            TEXT NOT NULL,
    name            TEXT NOT NULL,
    name_en         TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL,
    bank_name       TEXT NOT NULL DEFAULT '',
    bank_account    TEXT NOT NULL DEFAULT '',
    currency        TEXT NOT NULL DEFAULT 'CNY',
    opening_balance INTEGER NOT NULL DEFAULT 0,
    opening_date    TEXT,
    note            TEXT NOT NULL DEFAULT '',
    archived        BOOLEAN NOT NULL DEFAULT FALSE,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);

-- +goose Down
DROP TABLE accounts;
