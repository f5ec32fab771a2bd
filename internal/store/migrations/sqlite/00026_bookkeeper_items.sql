-- +goose Up
-- The bookkeeper (会计) reads counter sales (00024) and invoices, whose lines
-- name items: the standard role now reads the items as well, as new
-- companies' does (service/roles.go). Only roles still coded 'bookkeeper'.
INSERT INTO role_perms (role_id, perm)
SELECT r.id, 'data.item.read' FROM roles r WHERE r.code = 'bookkeeper'
ON CONFLICT DO NOTHING;

-- +goose Down
-- Nothing: data.item.read is known to every jxc, and a role may have held it before.
SELECT 1;
