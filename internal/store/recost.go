package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// Recost job states. A job is pending until a replay of its scope commits
// (done) or it has failed too often (failed).
const (
	RecostPending = "pending"
	RecostDone    = "done"
	RecostFailed  = "failed"
)

// RecostJob is a back-dated re-cost too large to run inside the posting:
// one (item, costing scope) to replay, and the document that caused it.
type RecostJob struct {
	bun.BaseModel `bun:"table:recost_jobs,alias:j"`
	ID            int64          `bun:",pk,autoincrement" json:"id"`
	CompanyID     int64          `json:"-"`
	ItemID        int64          `json:"item_id"`
	ScopeID       int64          `json:"scope_id" doc:"The costing scope: 0 the company, a warehouse id, -1 goods in transit"`
	FromDate      string         `json:"from_date" doc:"The earliest business date whose cost the job corrects"`
	DocumentID    int64          `json:"document_id" doc:"The back-dated document that caused the re-cost"`
	DocType       domain.DocType `json:"doc_type"`
	LineID        int64          `json:"-"`
	State         string         `json:"state" enum:"pending,done,failed"`
	RowsRead      int64          `json:"rows_read" doc:"Ledger rows the replay read"`
	Fixes         int64          `json:"fixes" doc:"Recost rows the replay appended"`
	Attempts      int64          `json:"attempts"`
	Error         string         `json:"error" doc:"Why the last attempt failed (an error code)"`
	CreatedAt     time.Time      `json:"created_at"`
	FinishedAt    *time.Time     `json:"finished_at"`

	// Read side.
	ItemCode    string `bun:",scanonly" json:"item_code"`
	ItemName    string `bun:",scanonly" json:"item_name"`
	ItemNameEn  string `bun:",scanonly" json:"item_name_en" doc:"The item's English name (may be empty)"`
	ScopeName   string `bun:",scanonly" json:"scope_name" doc:"The warehouse's name for a warehouse scope, empty otherwise"`
	ScopeNameEn string `bun:",scanonly" json:"scope_name_en" doc:"The warehouse's English name (may be empty)"`
	Number      string `bun:",scanonly" json:"number" doc:"The causing document's number"`
}

// EnqueueRecost records a pending job for the job's (item, scope), or, when
// one is already pending, moves its date back to the earlier of the two.
func (tx *Tx) EnqueueRecost(ctx context.Context, j RecostJob) error {
	_, err := tx.NewRaw(`INSERT INTO recost_jobs (company_id, item_id, scope_id, from_date, document_id, doc_type, line_id, state, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (company_id, item_id, scope_id) WHERE state = 'pending'
		DO UPDATE SET from_date = CASE WHEN excluded.from_date < recost_jobs.from_date THEN excluded.from_date ELSE recost_jobs.from_date END`,
		j.CompanyID, j.ItemID, j.ScopeID, j.FromDate, j.DocumentID, j.DocType, j.LineID, RecostPending, tx.Now).Exec(ctx)
	return err
}

// PendingRecosts lists the (item, scope) pairs of the given items that have
// a pending job.
func (tx *Tx) PendingRecosts(ctx context.Context, companyID int64, items []int64) (map[domain.CostKey]bool, error) {
	out := map[domain.CostKey]bool{}
	if len(items) == 0 {
		return out, nil
	}
	var rows []domain.CostKey
	if err := tx.NewRaw(`SELECT item_id, scope_id FROM recost_jobs WHERE company_id = ? AND state = ? AND item_id IN (?)`,
		companyID, RecostPending, bun.In(items)).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r] = true
	}
	return out, nil
}

// CountScopeRows counts the ledger rows of an item in a scope (as in
// ScopeRows) dated after `after`: what a replay from there would read.
func (tx *Tx) CountScopeRows(ctx context.Context, companyID, itemID, scopeID int64, after *domain.Date) (int, error) {
	q := tx.NewSelect().Table("stock_ledger").Where("company_id = ? AND item_id = ?", companyID, itemID)
	q = scopeWhere(q, "location_id", companyID, scopeID)
	if after != nil {
		q = q.Where("doc_date > ?", after.String())
	}
	n, err := q.Count(ctx)
	return int(n), err
}

// scopeWhere limits q to the locations of a costing scope.
func scopeWhere(q *bun.SelectQuery, col string, companyID, scopeID int64) *bun.SelectQuery {
	switch scopeID {
	case 0:
		return q
	case TransitScope:
		return q.Where(col+" IN (SELECT id FROM locations WHERE company_id = ? AND kind = ?)", companyID, domain.LocTransit)
	default:
		return q.Where(col+" IN (SELECT id FROM locations WHERE company_id = ? AND warehouse_id = ?)", companyID, scopeID)
	}
}

// NextRecostJob returns the oldest pending job, locked for this
// transaction (other jxc processes skip it: a job queue, not quantities),
// or nil when none is pending.
func (tx *Tx) NextRecostJob(ctx context.Context) (*RecostJob, error) {
	var j RecostJob
	q := tx.NewSelect().Model(&j).Where("j.state = ?", RecostPending).OrderExpr("j.id").Limit(1)
	if tx.Dialect() == Postgres {
		q = q.For("UPDATE SKIP LOCKED")
	}
	if err := q.Scan(ctx); err != nil {
		if err == sql.ErrNoRows {
			return nil, nil
		}
		return nil, err
	}
	return &j, nil
}

// FinishRecost marks job done with its figures, and every other pending job
// of the item in the replayed scopes too: a replay reads a scope from the
// last close, so it covers them.
func (tx *Tx) FinishRecost(ctx context.Context, j *RecostJob, scopes []int64) error {
	if _, err := tx.NewUpdate().Table("recost_jobs").Set("state = ?, rows_read = ?, fixes = ?, attempts = attempts + 1, error = '', finished_at = ?",
		RecostDone, j.RowsRead, j.Fixes, tx.Now).Where("id = ?", j.ID).Exec(ctx); err != nil {
		return err
	}
	_, err := tx.NewUpdate().Table("recost_jobs").Set("state = ?, finished_at = ?", RecostDone, tx.Now).
		Where("company_id = ? AND item_id = ? AND state = ? AND scope_id IN (?)", j.CompanyID, j.ItemID, RecostPending, bun.In(scopes)).Exec(ctx)
	return err
}

// FailRecost records a failed attempt; after the third the job is failed
// for good and waits for a person (jxc check reports it).
func (tx *Tx) FailRecost(ctx context.Context, id int64, code string) error {
	_, err := tx.NewUpdate().Table("recost_jobs").
		Set("attempts = attempts + 1, error = ?", code).
		Set("state = CASE WHEN attempts + 1 >= 3 THEN ? ELSE state END", RecostFailed).
		Set("finished_at = CASE WHEN attempts + 1 >= 3 THEN ? ELSE finished_at END", tx.Now).
		Where("id = ?", id).Exec(ctx)
	return err
}

// RecostFilter narrows ListRecostJobs.
type RecostFilter struct {
	CompanyID int64
	State     string // empty: all
	Page
}

// ListRecostJobs lists a company's jobs, newest first, and their number.
func (tx *Tx) ListRecostJobs(ctx context.Context, f RecostFilter) ([]RecostJob, int, error) {
	var out []RecostJob
	q := tx.NewSelect().Model(&out).ColumnExpr("j.*").
		ColumnExpr("i.code AS item_code, i.name AS item_name, i.name_en AS item_name_en").
		ColumnExpr("COALESCE(w.name, '') AS scope_name, COALESCE(w.name_en, '') AS scope_name_en, d.number").
		Join("JOIN items i ON i.id = j.item_id").
		Join("JOIN documents d ON d.id = j.document_id").
		Join("LEFT JOIN warehouses w ON w.id = j.scope_id").
		Where("j.company_id = ?", f.CompanyID)
	if f.State != "" {
		q = q.Where("j.state = ?", f.State)
	}
	n, err := q.OrderExpr("j.id DESC").Limit(f.limit()).Offset(f.offset()).ScanAndCount(ctx)
	return out, int(n), err
}

// CountRecostJobs counts a company's jobs in a state.
func (tx *Tx) CountRecostJobs(ctx context.Context, companyID int64, state string) (int, error) {
	n, err := tx.NewSelect().Table("recost_jobs").Where("company_id = ? AND state = ?", companyID, state).Count(ctx)
	return int(n), err
}
