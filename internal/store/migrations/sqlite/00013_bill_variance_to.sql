-- +goose Up
-- Where a bill's price variance goes: '' the variance account, 'cost' the
-- receipt lines' value (re-costing what followed, like a landed cost).
ALTER TABLE documents ADD COLUMN variance_to TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE documents DROP COLUMN variance_to;
