package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jxc-erp/jxc/internal/domain"
)

// Audit writes one audit row in the transaction of the change it records.
// before and after are marshalled to JSON (nil → empty).
func (tx *Tx) Audit(ctx context.Context, e domain.AuditEntry, before, after any) error {
	enc := func(v any) (string, error) {
		if v == nil {
			return "", nil
		}
		b, err := json.Marshal(v)
		return string(b), err
	}
	var err error
	if e.Before, err = enc(before); err != nil {
		return fmt.Errorf("audit before: %w", err)
	}
	if e.After, err = enc(after); err != nil {
		return fmt.Errorf("audit after: %w", err)
	}
	args := []any{e.CompanyID, e.UserID, e.Username, tx.Now, e.Entity, e.EntityID, e.Action, e.Before, e.After, e.RequestID}
	if tx.db.dialect == SQLite { // the document's JSON bound, not written into the text and parsed out again (boundinsert.go)
		args[3] = tx.Now.UTC().Format(sqliteTime)
		return tx.execBound(ctx, auditSQL, args)
	}
	_, err = tx.ExecContext(laterAside(ctx), auditSQL, args...)
	return err
}

const auditSQL = `INSERT INTO audit_log (company_id, user_id, username, at, entity, entity_id, action, before_json, after_json, request_id)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// AuditFilter selects audit rows.
type AuditFilter struct {
	CompanyID int64
	Entity    string
	EntityID  int64
	UserID    int64
	Action    string
	Page
}

// ListAudit returns audit rows, newest first.
func (tx *Tx) ListAudit(ctx context.Context, f AuditFilter) ([]domain.AuditEntry, int, error) {
	q := tx.NewSelect().TableExpr("audit_log").
		ColumnExpr("id, company_id, user_id, username, at, entity, entity_id, action, before_json AS before, after_json AS after, request_id").
		Where("company_id = ?", f.CompanyID)
	if f.Entity != "" {
		q = q.Where("entity = ?", f.Entity)
	}
	if f.EntityID != 0 {
		q = q.Where("entity_id = ?", f.EntityID)
	}
	if f.UserID != 0 {
		q = q.Where("user_id = ?", f.UserID)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	var rows []domain.AuditEntry
	n, err := q.OrderExpr("id DESC").Limit(f.limit()).Offset(f.offset()).ScanAndCount(ctx, &rows)
	if rows == nil {
		rows = []domain.AuditEntry{}
	}
	return rows, int(n), err
}
