-- +goose Up
-- Two-step transfers: shipped into transit, received by a linked document.
ALTER TABLE documents ADD COLUMN two_step BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE documents ADD COLUMN source_id INTEGER REFERENCES documents(id);
CREATE INDEX documents_source ON documents(source_id);

-- +goose Down
DROP INDEX documents_source;
ALTER TABLE documents DROP COLUMN source_id;
ALTER TABLE documents DROP COLUMN two_step;
