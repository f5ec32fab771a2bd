-- +goose Up
-- Sales promotions (促销): percent or fixed off the line, a threshold off
-- the bill (满减), buy X get Y (买赠), each with a date window. The pricing
-- engine (internal/domain/pricing.go) reads the ones running on a day.
CREATE TABLE promotions (
    id           INTEGER PRIMARY KEY,
    company_id   INTEGER NOT NULL REFERENCES companies(id),
    code         TEXT NOT NULL,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    valid_from   TEXT NOT NULL,
    valid_to     TEXT NOT NULL,
    scope        TEXT NOT NULL,
    tiers        TEXT NOT NULL DEFAULT '[]',
    rate         INTEGER NOT NULL DEFAULT 0,
    amount       INTEGER NOT NULL DEFAULT 0,
    threshold    INTEGER NOT NULL DEFAULT 0,
    repeats      BOOLEAN NOT NULL DEFAULT FALSE,
    buy_qty      INTEGER NOT NULL DEFAULT 0,
    get_qty      INTEGER NOT NULL DEFAULT 0,
    get_item_id  INTEGER REFERENCES items(id),
    priority     INTEGER NOT NULL DEFAULT 0,
    is_exclusive BOOLEAN NOT NULL DEFAULT FALSE,
    note         TEXT NOT NULL DEFAULT '',
    archived     BOOLEAN NOT NULL DEFAULT FALSE,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);
CREATE INDEX promotions_window ON promotions(company_id, valid_to, valid_from);

-- What a promotion covers: items, or categories (with their sub-categories).
CREATE TABLE promotion_scope (
    company_id   INTEGER NOT NULL,
    promotion_id INTEGER NOT NULL REFERENCES promotions(id) ON DELETE CASCADE,
    item_id      INTEGER REFERENCES items(id),
    category_id  INTEGER REFERENCES categories(id)
);
CREATE INDEX promotion_scope_promotion ON promotion_scope(promotion_id);
CREATE INDEX promotion_scope_item ON promotion_scope(company_id, item_id);

-- +goose Down
DROP TABLE promotion_scope;
DROP TABLE promotions;
