-- +goose Up
-- Stocktakes (count sheets with the book quantity frozen at the start) and
-- assemblies with bills of materials.

ALTER TABLE documents ADD COLUMN blind BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE documents ADD COLUMN scope_location_id INTEGER REFERENCES locations(id);
ALTER TABLE documents ADD COLUMN scope_category_id INTEGER REFERENCES categories(id);
ALTER TABLE document_lines ADD COLUMN role TEXT NOT NULL DEFAULT '';
ALTER TABLE document_lines ADD COLUMN book_qty INTEGER NOT NULL DEFAULT 0;
ALTER TABLE document_lines ADD COLUMN counted_qty INTEGER;

CREATE TABLE boms (
    item_id    INTEGER NOT NULL REFERENCES items(id),
    company_id INTEGER NOT NULL REFERENCES companies(id),
    line_no    INTEGER NOT NULL,
    component_id INTEGER NOT NULL REFERENCES items(id),
    qty        INTEGER NOT NULL,
    PRIMARY KEY (item_id, line_no)
);
CREATE INDEX boms_component ON boms(company_id, component_id);

-- +goose Down
DROP TABLE boms;
ALTER TABLE document_lines DROP COLUMN counted_qty;
ALTER TABLE document_lines DROP COLUMN book_qty;
ALTER TABLE document_lines DROP COLUMN role;
ALTER TABLE documents DROP COLUMN scope_category_id;
ALTER TABLE documents DROP COLUMN scope_location_id;
ALTER TABLE documents DROP COLUMN blind;
