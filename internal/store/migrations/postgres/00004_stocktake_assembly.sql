-- +goose Up
-- Stocktakes (count sheets with the book quantity frozen at the start) and
-- assemblies with bills of materials.

ALTER TABLE documents ADD COLUMN blind BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE documents ADD COLUMN scope_location_id BIGINT REFERENCES locations(id);
ALTER TABLE documents ADD COLUMN scope_category_id BIGINT REFERENCES categories(id);
ALTER TABLE document_lines ADD COLUMN role TEXT NOT NULL DEFAULT '';
ALTER TABLE document_lines ADD COLUMN book_qty BIGINT NOT NULL DEFAULT 0;
ALTER TABLE document_lines ADD COLUMN counted_qty BIGINT;

CREATE TABLE boms (
    item_id    BIGINT NOT NULL REFERENCES items(id),
    company_id BIGINT NOT NULL REFERENCES companies(id),
    line_no    BIGINT NOT NULL,
    component_id BIGINT NOT NULL REFERENCES items(id),
    qty        BIGINT NOT NULL,
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
