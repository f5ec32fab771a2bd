-- +goose Up
-- sales.pos.read: seeing the counter's sales and returns (销售 → 零售单)
-- without ringing any up. Everyone who saw them before (sales.pos.use) keeps
-- seeing them, and the standard bookkeeper (会计) and read-only (只读) roles
-- get it as new companies' do (service/roles.go).
INSERT INTO role_perms (role_id, perm)
SELECT r.id, 'sales.pos.read' FROM roles r
WHERE r.code IN ('bookkeeper', 'viewer')
   OR EXISTS (SELECT 1 FROM role_perms u WHERE u.role_id = r.id AND u.perm = 'sales.pos.use')
ON CONFLICT DO NOTHING;

-- +goose Down
-- A jxc without the permission refuses to save a role that holds it.
DELETE FROM role_perms WHERE perm = 'sales.pos.read';
