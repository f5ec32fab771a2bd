-- +goose Up
-- Foundation: companies, access, audit, idempotency and master data.
-- Money, prices and quantities are fixed-point INTEGERs (see docs/DECISIONS.md).

CREATE TABLE companies (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    tax_no       TEXT NOT NULL DEFAULT '',
    bank_name    TEXT NOT NULL DEFAULT '',
    bank_account TEXT NOT NULL DEFAULT '',
    address      TEXT NOT NULL DEFAULT '',
    phone        TEXT NOT NULL DEFAULT '',
    currency     TEXT NOT NULL DEFAULT 'CNY',
    settings     TEXT NOT NULL DEFAULT '{}',
    archived     BOOLEAN NOT NULL DEFAULT FALSE,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL,
    username_key    TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    password_hash   TEXT NOT NULL,
    is_admin        BOOLEAN NOT NULL DEFAULT FALSE,
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    language        TEXT NOT NULL DEFAULT '',
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    TIMESTAMP,
    last_login_at   TIMESTAMP,
    archived        BOOLEAN NOT NULL DEFAULT FALSE,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    company_id   INTEGER REFERENCES companies(id),
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    company_id   INTEGER NOT NULL REFERENCES companies(id),
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    expires_at   TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE roles (
    id         INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    archived   BOOLEAN NOT NULL DEFAULT FALSE,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);

CREATE TABLE role_perms (
    role_id INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    perm    TEXT NOT NULL,
    PRIMARY KEY (role_id, perm)
);

CREATE TABLE role_warehouses (
    role_id      INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    warehouse_id INTEGER NOT NULL,
    PRIMARY KEY (role_id, warehouse_id)
);

CREATE TABLE user_roles (
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    role_id    INTEGER NOT NULL REFERENCES roles(id),
    PRIMARY KEY (user_id, company_id, role_id)
);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL,
    user_id    INTEGER,
    username   TEXT NOT NULL DEFAULT '',
    at         TIMESTAMP NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  INTEGER NOT NULL,
    action     TEXT NOT NULL,
    before_json TEXT NOT NULL DEFAULT '',
    after_json TEXT NOT NULL DEFAULT '',
    request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_entity ON audit_log(company_id, entity, entity_id);
CREATE INDEX audit_log_at ON audit_log(company_id, at);

CREATE TABLE idempotency_keys (
    user_id       INTEGER NOT NULL,
    key           TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    status_code   INTEGER NOT NULL DEFAULT 0,
    response      BLOB,
    content_type  TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);

CREATE TABLE units (
    id         INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    name_en    TEXT NOT NULL DEFAULT '',
    decimals   INTEGER NOT NULL DEFAULT 0,
    archived   BOOLEAN NOT NULL DEFAULT FALSE,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);

CREATE TABLE categories (
    id         INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    parent_id  INTEGER REFERENCES categories(id),
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    name_en    TEXT NOT NULL DEFAULT '',
    mnemonic   TEXT NOT NULL DEFAULT '',
    sort       INTEGER NOT NULL DEFAULT 0,
    archived   BOOLEAN NOT NULL DEFAULT FALSE,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);

CREATE TABLE brands (
    id         INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    name_en    TEXT NOT NULL DEFAULT '',
    mnemonic   TEXT NOT NULL DEFAULT '',
    archived   BOOLEAN NOT NULL DEFAULT FALSE,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);

CREATE TABLE warehouses (
    id               INTEGER PRIMARY KEY,
    company_id       INTEGER NOT NULL REFERENCES companies(id),
    code             TEXT NOT NULL,
    name             TEXT NOT NULL,
    name_en          TEXT NOT NULL DEFAULT '',
    mnemonic         TEXT NOT NULL DEFAULT '',
    address          TEXT NOT NULL DEFAULT '',
    manager          TEXT NOT NULL DEFAULT '',
    phone            TEXT NOT NULL DEFAULT '',
    root_location_id INTEGER,
    archived         BOOLEAN NOT NULL DEFAULT FALSE,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);

CREATE TABLE locations (
    id           INTEGER PRIMARY KEY,
    company_id   INTEGER NOT NULL REFERENCES companies(id),
    warehouse_id INTEGER REFERENCES warehouses(id),
    parent_id    INTEGER REFERENCES locations(id),
    code         TEXT NOT NULL,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    archived     BOOLEAN NOT NULL DEFAULT FALSE,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (company_id, warehouse_id, code)
);
CREATE INDEX locations_warehouse ON locations(company_id, warehouse_id);
CREATE UNIQUE INDEX locations_virtual ON locations(company_id, kind) WHERE warehouse_id IS NULL;

CREATE TABLE items (
    id              INTEGER PRIMARY KEY,
    company_id      INTEGER NOT NULL REFERENCES companies(id),
    code            TEXT NOT NULL,
    name            TEXT NOT NULL,
    name_en         TEXT NOT NULL DEFAULT '',
    mnemonic        TEXT NOT NULL DEFAULT '',
    spec            TEXT NOT NULL DEFAULT '',
    model           TEXT NOT NULL DEFAULT '',
    category_id     INTEGER REFERENCES categories(id),
    brand_id        INTEGER REFERENCES brands(id),
    base_unit_id    INTEGER NOT NULL REFERENCES units(id),
    tracking        TEXT NOT NULL DEFAULT 'none',
    shelf_life_days INTEGER NOT NULL DEFAULT 0,
    costing_method  TEXT NOT NULL DEFAULT '',
    purchase_price  INTEGER NOT NULL DEFAULT 0,
    wholesale_price INTEGER NOT NULL DEFAULT 0,
    retail_price    INTEGER NOT NULL DEFAULT 0,
    min_price       INTEGER NOT NULL DEFAULT 0,
    tax_rate        INTEGER NOT NULL DEFAULT 0,
    note            TEXT NOT NULL DEFAULT '',
    parent_id       INTEGER REFERENCES items(id),
    is_template     BOOLEAN NOT NULL DEFAULT FALSE,
    variant_attrs   TEXT NOT NULL DEFAULT '[]',
    variant_values  TEXT NOT NULL DEFAULT '{}',
    archived        BOOLEAN NOT NULL DEFAULT FALSE,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);
CREATE INDEX items_mnemonic ON items(company_id, mnemonic);
CREATE INDEX items_name ON items(company_id, name);
CREATE INDEX items_category ON items(company_id, category_id);
CREATE INDEX items_parent ON items(parent_id);

-- Every unit of an item, the base unit included (factor 1), so that one
-- unique index covers all barcodes of the company.
CREATE TABLE item_units (
    company_id      INTEGER NOT NULL,
    item_id         INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    is_base         BOOLEAN NOT NULL DEFAULT FALSE,
    factor          INTEGER NOT NULL,
    barcode         TEXT NOT NULL DEFAULT '',
    purchase_price  INTEGER NOT NULL DEFAULT 0,
    wholesale_price INTEGER NOT NULL DEFAULT 0,
    retail_price    INTEGER NOT NULL DEFAULT 0,
    sort            INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (item_id, unit_id)
);
CREATE UNIQUE INDEX item_units_barcode ON item_units(company_id, barcode) WHERE barcode <> '';

CREATE TABLE item_levels (
    company_id   INTEGER NOT NULL,
    item_id      INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    warehouse_id INTEGER NOT NULL REFERENCES warehouses(id),
    safety_qty   INTEGER NOT NULL DEFAULT 0,
    min_qty      INTEGER NOT NULL DEFAULT 0,
    max_qty      INTEGER NOT NULL DEFAULT 0,
    reorder_qty  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (item_id, warehouse_id)
);
CREATE INDEX item_levels_warehouse ON item_levels(company_id, warehouse_id);

CREATE TABLE partners (
    id                 INTEGER PRIMARY KEY,
    company_id         INTEGER NOT NULL REFERENCES companies(id),
    code               TEXT NOT NULL,
    name               TEXT NOT NULL,
    name_en            TEXT NOT NULL DEFAULT '',
    mnemonic           TEXT NOT NULL DEFAULT '',
    kind               TEXT NOT NULL,
    tax_no             TEXT NOT NULL DEFAULT '',
    bank_name          TEXT NOT NULL DEFAULT '',
    bank_account       TEXT NOT NULL DEFAULT '',
    payment_terms_days INTEGER NOT NULL DEFAULT 0,
    credit_limit       INTEGER NOT NULL DEFAULT 0,
    tier               TEXT NOT NULL DEFAULT '',
    salesperson_id     INTEGER REFERENCES users(id),
    contacts           TEXT NOT NULL DEFAULT '[]',
    addresses          TEXT NOT NULL DEFAULT '[]',
    note               TEXT NOT NULL DEFAULT '',
    archived           BOOLEAN NOT NULL DEFAULT FALSE,
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);
CREATE INDEX partners_mnemonic ON partners(company_id, mnemonic);
CREATE INDEX partners_name ON partners(company_id, name);

CREATE TABLE partner_tags (
    company_id INTEGER NOT NULL,
    partner_id INTEGER NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    PRIMARY KEY (partner_id, tag)
);
CREATE INDEX partner_tags_tag ON partner_tags(company_id, tag);

CREATE TABLE price_lists (
    id         INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    tier       TEXT NOT NULL DEFAULT '',
    partner_id INTEGER REFERENCES partners(id),
    valid_from TEXT,
    valid_to   TEXT,
    note       TEXT NOT NULL DEFAULT '',
    archived   BOOLEAN NOT NULL DEFAULT FALSE,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);

CREATE TABLE price_list_lines (
    company_id    INTEGER NOT NULL,
    price_list_id INTEGER NOT NULL REFERENCES price_lists(id) ON DELETE CASCADE,
    line_no       INTEGER NOT NULL,
    item_id       INTEGER NOT NULL REFERENCES items(id),
    unit_id       INTEGER NOT NULL DEFAULT 0,
    min_qty       INTEGER NOT NULL DEFAULT 0,
    price         INTEGER NOT NULL,
    PRIMARY KEY (price_list_id, line_no)
);
CREATE INDEX price_list_lines_item ON price_list_lines(company_id, item_id);

-- +goose Down
DROP TABLE price_list_lines;
DROP TABLE price_lists;
DROP TABLE partner_tags;
DROP TABLE partners;
DROP TABLE item_levels;
DROP TABLE item_units;
DROP TABLE items;
DROP TABLE locations;
DROP TABLE warehouses;
DROP TABLE brands;
DROP TABLE categories;
DROP TABLE units;
DROP TABLE idempotency_keys;
DROP TABLE audit_log;
DROP TABLE user_roles;
DROP TABLE role_warehouses;
DROP TABLE role_perms;
DROP TABLE roles;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE companies;
