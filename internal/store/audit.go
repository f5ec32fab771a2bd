package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"

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
	if len(tx.asides) > 0 { // after rows AuditAside is encoding: written after them, in order
		a := &asideAudit{ctx: ctx, e: e, done: make(chan struct{}), before: []byte(e.Before), after: []byte(e.After)}
		a.taken.Store(true)
		close(a.done)
		tx.asides = append(tx.asides, a)
		return nil
	}
	return tx.writeAudit(ctx, e)
}

// writeAudit inserts e with its JSON.
func (tx *Tx) writeAudit(ctx context.Context, e domain.AuditEntry) error {
	args := []any{e.CompanyID, e.UserID, e.Username, tx.Now, e.Entity, e.EntityID, e.Action, e.Before, e.After, e.RequestID}
	if tx.db.dialect == SQLite { // the document's JSON bound, not written into the text and parsed out again (boundinsert.go)
		args[3] = tx.Now.UTC().Format(sqliteTime)
		return tx.execBound(ctx, auditSQL, args)
	}
	_, err := tx.ExecContext(laterAside(ctx), auditSQL, args...)
	return err
}

const auditSQL = `INSERT INTO audit_log (company_id, user_id, username, at, entity, entity_id, action, before_json, after_json, request_id)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// AuditAside is Audit for values the caller does not change afterwards
// (a copy made for it). In SQLite's group-commit writer, where the whole
// transaction runs on one goroutine, they are encoded on another while the
// transaction goes on, and the row is written when the transaction's work
// is done (DB.Update: before it commits, in the same transaction; rows
// written so keep their order). A ten-line document's JSON was a sixteenth
// of the writer's time. Elsewhere it is Audit.
//
// Whichever comes first encodes: the other goroutine, or the writer when it
// reaches the row and finds the encoding not begun. Under load the other
// goroutine often had not run by then — the scheduler queues it behind the
// requests on the writer's own processor — and the writer, the one
// goroutine every write waits for, sat waiting for it: a trace at 16
// clients had it blocked there 12 % of the time, three times what the
// encoding costs. With nothing else to run, the other processor takes it
// up at once, and the writer goes on meanwhile, as before.
func (tx *Tx) AuditAside(ctx context.Context, e domain.AuditEntry, before, after any) error {
	if tx.db.commits == nil {
		return tx.Audit(ctx, e, before, after)
	}
	a := &asideAudit{ctx: ctx, e: e, done: make(chan struct{}), values: [2]any{before, after}}
	go a.encode()
	tx.asides = append(tx.asides, a)
	return nil
}

// asideAudit is an audit row whose JSON is being encoded (AuditAside).
type asideAudit struct {
	ctx           context.Context
	e             domain.AuditEntry
	values        [2]any // before and after, to encode
	taken         atomic.Bool
	done          chan struct{} // closed once encoded
	before, after []byte
	err           error
}

// encode encodes a's values unless another goroutine has begun to; either
// way a.done is closed once they are encoded.
func (a *asideAudit) encode() {
	if !a.taken.CompareAndSwap(false, true) {
		return
	}
	defer close(a.done)
	if before := a.values[0]; before != nil {
		if a.before, a.err = json.Marshal(before); a.err != nil {
			return
		}
	}
	if after := a.values[1]; after != nil {
		a.after, a.err = json.Marshal(after)
	}
}

// writeAsides writes the audit rows AuditAside was given, in order.
func (tx *Tx) writeAsides() error {
	asides := tx.asides
	tx.asides = nil
	for i, a := range asides {
		a.encode() // unless begun elsewhere
		<-a.done
		if a.err != nil {
			for _, b := range asides[i+1:] {
				<-b.done
			}
			return fmt.Errorf("audit: %w", a.err)
		}
		a.e.Before, a.e.After = string(a.before), string(a.after)
		if err := tx.writeAudit(a.ctx, a.e); err != nil {
			return err
		}
	}
	return nil
}

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
