-- +goose Up
-- Only a document that follows another (a receipt its order, a return its
-- sale) has a source, and every read by source asks for one (= or IN), so
-- the indexes by source now hold only those rows. A document made from
-- nothing — most sales orders, every counter sale — no longer writes an
-- entry for itself and one per line at the NULL end of each index: on
-- SQLite two of the pages a ten-line order's commit writes.
DROP INDEX documents_source;
CREATE INDEX documents_source ON documents(source_id) WHERE source_id IS NOT NULL;
DROP INDEX document_lines_source;
CREATE INDEX document_lines_source ON document_lines(source_line_id) WHERE source_line_id IS NOT NULL;

-- +goose Down
DROP INDEX document_lines_source;
CREATE INDEX document_lines_source ON document_lines(source_line_id);
DROP INDEX documents_source;
CREATE INDEX documents_source ON documents(source_id);
