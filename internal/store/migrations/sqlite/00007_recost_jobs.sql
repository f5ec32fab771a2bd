-- +goose Up
-- Large back-dated re-costs run as tracked jobs, one pending per item and
-- costing scope (scope_id: 0 the company, a warehouse id, -1 transit).
CREATE TABLE recost_jobs (
    id          INTEGER PRIMARY KEY,
    company_id  INTEGER NOT NULL REFERENCES companies(id),
    item_id     INTEGER NOT NULL REFERENCES items(id),
    scope_id    INTEGER NOT NULL,
    from_date   TEXT NOT NULL,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    doc_type    TEXT NOT NULL,
    line_id     INTEGER NOT NULL,
    state       TEXT NOT NULL,
    rows_read   INTEGER NOT NULL DEFAULT 0,
    fixes       INTEGER NOT NULL DEFAULT 0,
    attempts    INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE UNIQUE INDEX recost_jobs_pending ON recost_jobs(company_id, item_id, scope_id) WHERE state = 'pending';
CREATE INDEX recost_jobs_state ON recost_jobs(state, id);
CREATE INDEX recost_jobs_company ON recost_jobs(company_id, id);

-- +goose Down
DROP TABLE recost_jobs;
