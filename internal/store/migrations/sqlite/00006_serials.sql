-- +goose Up
-- Serial numbers: unique per item, where each one is now, and its history.
ALTER TABLE document_lines ADD COLUMN serials TEXT NOT NULL DEFAULT '';

CREATE TABLE serials (
    company_id  INTEGER NOT NULL,
    item_id     INTEGER NOT NULL REFERENCES items(id),
    serial      TEXT NOT NULL,
    in_stock    BOOLEAN NOT NULL,
    location_id INTEGER REFERENCES locations(id),
    updated_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, item_id, serial)
);
CREATE INDEX serials_location ON serials(company_id, location_id);

CREATE TABLE serial_moves (
    id           INTEGER PRIMARY KEY,
    company_id   INTEGER NOT NULL,
    item_id      INTEGER NOT NULL,
    serial       TEXT NOT NULL,
    document_id  INTEGER NOT NULL REFERENCES documents(id),
    doc_date     TEXT NOT NULL,
    from_id      INTEGER NOT NULL,
    to_id        INTEGER NOT NULL,
    at           TIMESTAMP NOT NULL
);
CREATE INDEX serial_moves_serial ON serial_moves(company_id, item_id, serial, id);

-- +goose Down
DROP TABLE serial_moves;
DROP TABLE serials;
ALTER TABLE document_lines DROP COLUMN serials;
