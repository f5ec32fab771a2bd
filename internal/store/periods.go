package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// StockClose is one month-end close.
type StockClose struct {
	ID         int64       `json:"id"`
	PeriodEnd  domain.Date `json:"period_end" doc:"Last day of the closed period: postings dated on or before it are refused"`
	ClosedBy   int64       `json:"closed_by"`
	ClosedAt   time.Time   `json:"closed_at"`
	ReopenedBy *int64      `json:"reopened_by"`
	ReopenedAt *time.Time  `json:"reopened_at"`
	Reason     string      `json:"reason" doc:"Why it was reopened"`
}

type closeRow struct {
	bun.BaseModel `bun:"table:stock_closes,alias:k"`
	ID            int64 `bun:",pk"`
	CompanyID     int64
	PeriodEnd     string
	ClosedBy      int64
	ClosedAt      time.Time
	ReopenedBy    *int64
	ReopenedAt    *time.Time
	Reason        string
}

// periodLockKey is the first key of the period guard's advisory lock ("jxc").
const periodLockKey = int32(0x6a7863)

// PeriodGuard takes the company's period lock — shared for a posting,
// exclusive for a close or reopen, so a close never misses a posting that
// is committing meanwhile — and returns the lock date (nil when nothing is
// closed). PostgreSQL uses a transaction-scoped advisory lock; SQLite's
// single writer already serialises.
func (tx *Tx) PeriodGuard(ctx context.Context, companyID int64, exclusive bool) (*domain.Date, error) {
	if err := tx.periodLock(ctx, companyID, exclusive); err != nil {
		return nil, err
	}
	return tx.LockDate(ctx, companyID)
}

// periodLock takes the period lock on PostgreSQL. Nothing reads its result,
// so it is held for the pipeline of the read that follows it (laterWrites):
// PostgreSQL runs the read after the lock is granted, with a snapshot taken
// then, as when they went in two round trips. The casts make its arguments
// parameters (pgcache.go), so it is prepared once instead of planned on
// every posting.
func (tx *Tx) periodLock(ctx context.Context, companyID int64, exclusive bool) error {
	if tx.Dialect() != Postgres || !exclusive && tx.periodShared == companyID {
		return nil // SQLite's writer serialises; or the transaction holds it already (PostingAhead)
	}
	if !exclusive {
		tx.periodShared = companyID
	}
	fn := "pg_advisory_xact_lock_shared"
	if exclusive {
		fn = "pg_advisory_xact_lock"
	}
	_, err := tx.ExecContext(laterAside(ctx), "SELECT "+fn+"(CAST(? AS INT), CAST(? AS INT))", periodLockKey, int32(companyID))
	return err
}

// LockDate is the end of the latest period that is closed and not
// reopened, or nil.
func (tx *Tx) LockDate(ctx context.Context, companyID int64) (*domain.Date, error) {
	var end sql.NullString
	if err := tx.NewSelect().Model((*closeRow)(nil)).ColumnExpr("MAX(period_end)").
		Where("company_id = ? AND reopened_at IS NULL", companyID).Scan(ctx, &end); err != nil {
		return nil, err
	}
	return nullToDate(end)
}

// StockCloses lists the closes of a company, newest first.
func (tx *Tx) StockCloses(ctx context.Context, companyID int64) ([]StockClose, error) {
	var rows []closeRow
	if err := tx.NewSelect().Model(&rows).Where("company_id = ?", companyID).OrderExpr("period_end DESC, id DESC").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]StockClose, len(rows))
	for i, r := range rows {
		d, err := domain.ParseDate(r.PeriodEnd)
		if err != nil {
			return nil, err
		}
		out[i] = StockClose{ID: r.ID, PeriodEnd: d, ClosedBy: r.ClosedBy, ClosedAt: r.ClosedAt, ReopenedBy: r.ReopenedBy, ReopenedAt: r.ReopenedAt, Reason: r.Reason}
	}
	return out, nil
}

// CountOpenDocs counts documents dated on or before end that are neither
// posted nor cancelled (they could never post once the period is closed).
func (tx *Tx) CountOpenDocs(ctx context.Context, companyID int64, end domain.Date) (int, error) {
	n, err := tx.NewSelect().Model((*docRow)(nil)).
		Where("company_id = ? AND doc_date <= ? AND state NOT IN (?)", companyID, end.String(), bun.In([]domain.DocState{domain.DocPosted, domain.DocCancelled})).
		Count(ctx)
	return int(n), err
}

// SnapshotItems lists the (item, warehouse) pairs a close at end must
// snapshot: those in the previous snapshot or moved since it.
func (tx *Tx) SnapshotItems(ctx context.Context, companyID int64, prev *domain.Date, end domain.Date) ([]ItemWarehouse, error) {
	var out []ItemWarehouse
	q := `SELECT DISTINCT g.item_id, COALESCE(l.warehouse_id, ?) AS warehouse_id FROM stock_ledger g JOIN locations l ON l.id = g.location_id
		WHERE g.company_id = ? AND g.doc_date <= ?`
	args := []any{TransitScope, companyID, end.String()}
	if prev != nil {
		q += ` AND g.doc_date > ?
		UNION SELECT item_id, warehouse_id FROM stock_snapshots WHERE company_id = ? AND period_end = ?`
		args = append(args, prev.String(), companyID, prev.String())
	}
	err := tx.NewRaw(q, args...).Scan(ctx, &out)
	return out, err
}

// SnapshotOf loads the snapshot at end of one item: its balances (in one
// warehouse, or all when warehouseID is 0) and its cost state in scope.
func (tx *Tx) SnapshotOf(ctx context.Context, companyID int64, end domain.Date, itemID, warehouseID, scopeID int64) ([]domain.Balance, *domain.Cost, error) {
	var rows []struct {
		LocationID int64
		Batch      string
		Qty, Value int64
	}
	q := tx.NewSelect().Table("stock_snapshots").Column("location_id", "batch", "qty", "value").
		Where("company_id = ? AND period_end = ? AND item_id = ?", companyID, end.String(), itemID)
	if warehouseID != 0 {
		q = q.Where("warehouse_id = ?", warehouseID)
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, nil, err
	}
	bals := make([]domain.Balance, len(rows))
	for i, r := range rows {
		bals[i] = domain.Balance{BalanceKey: domain.BalanceKey{ItemID: itemID, LocationID: r.LocationID, Batch: r.Batch},
			OnHand: domain.Qty(r.Qty), Value: domain.Money(r.Value)}
	}
	var crows []struct {
		Method   domain.CostingMethod
		Qty      domain.Qty
		Value    domain.Money
		LastCost domain.Price
		Layers   string
	}
	if err := tx.NewSelect().Table("cost_snapshots").Column("method", "qty", "value", "last_cost", "layers").
		Where("company_id = ? AND period_end = ? AND item_id = ? AND scope_id = ?", companyID, end.String(), itemID, scopeID).
		Scan(ctx, &crows); err != nil {
		return nil, nil, err
	}
	if len(crows) == 0 {
		return bals, nil, nil
	}
	r := crows[0]
	c, err := (&costRow{ItemID: itemID, ScopeID: scopeID, Method: r.Method, Qty: r.Qty, Value: r.Value, LastCost: r.LastCost, Layers: r.Layers}).cost()
	return bals, c, err
}

// Snapshot is the state of one (item, scope) at a period end.
type Snapshot struct {
	Cost      *domain.Cost
	Balances  []domain.Balance
	Warehouse map[int64]int64 // location → warehouse
}

// WriteClose records a close at end with its snapshots.
func (tx *Tx) WriteClose(ctx context.Context, companyID, userID int64, end domain.Date, snaps []Snapshot) (int64, error) {
	row := &closeRow{CompanyID: companyID, PeriodEnd: end.String(), ClosedBy: userID, ClosedAt: tx.Now}
	if _, err := tx.NewInsert().Model(row).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return 0, err
	}
	type stockSnap struct {
		bun.BaseModel `bun:"table:stock_snapshots"`
		CompanyID     int64
		PeriodEnd     string
		ItemID        int64
		LocationID    int64
		Batch         string
		WarehouseID   int64
		Qty           domain.Qty
		Value         domain.Money
	}
	type costSnap struct {
		bun.BaseModel `bun:"table:cost_snapshots"`
		CompanyID     int64
		PeriodEnd     string
		ItemID        int64
		ScopeID       int64
		Method        domain.CostingMethod
		Qty           domain.Qty
		Value         domain.Money
		LastCost      domain.Price
		Layers        string
	}
	var ss []stockSnap
	var cs []costSnap
	for _, s := range snaps {
		for _, b := range s.Balances {
			if b.OnHand == 0 && b.Value == 0 {
				continue
			}
			ss = append(ss, stockSnap{CompanyID: companyID, PeriodEnd: end.String(), ItemID: b.ItemID, LocationID: b.LocationID,
				Batch: b.Batch, WarehouseID: s.Warehouse[b.LocationID], Qty: b.OnHand, Value: b.Value})
		}
		if c := s.Cost; c != nil && (c.Qty != 0 || c.Value != 0 || c.LastCost != 0) {
			cs = append(cs, costSnap{CompanyID: companyID, PeriodEnd: end.String(), ItemID: c.ItemID, ScopeID: c.ScopeID, Method: c.Method,
				Qty: c.Qty, Value: c.Value, LastCost: c.LastCost, Layers: layersJSON(c.Layers)})
		}
	}
	for start := 0; start < len(ss); start += 1000 {
		chunk := ss[start:min(start+1000, len(ss))]
		if _, err := tx.NewInsert().Model(&chunk).Exec(ctx); err != nil {
			return 0, err
		}
	}
	for start := 0; start < len(cs); start += 1000 {
		chunk := cs[start:min(start+1000, len(cs))]
		if _, err := tx.NewInsert().Model(&chunk).Exec(ctx); err != nil {
			return 0, err
		}
	}
	return row.ID, nil
}

// ReopenLatest reopens the latest active close and drops its snapshots.
func (tx *Tx) ReopenLatest(ctx context.Context, companyID, userID int64, reason string) (StockClose, error) {
	var row closeRow
	if err := tx.NewSelect().Model(&row).Where("company_id = ? AND reopened_at IS NULL", companyID).
		OrderExpr("period_end DESC, id DESC").Limit(1).Scan(ctx); err != nil {
		return StockClose{}, notFound(err, "period", "latest")
	}
	if _, err := tx.NewUpdate().Model((*closeRow)(nil)).Set("reopened_by = ?", userID).Set("reopened_at = ?", tx.Now).
		Set("reason = ?", reason).Where("id = ?", row.ID).Exec(ctx); err != nil {
		return StockClose{}, err
	}
	for _, t := range []string{"stock_snapshots", "cost_snapshots"} {
		if _, err := tx.NewDelete().TableExpr(t).Where("company_id = ? AND period_end = ?", companyID, row.PeriodEnd).Exec(ctx); err != nil {
			return StockClose{}, err
		}
	}
	d, err := domain.ParseDate(row.PeriodEnd)
	now := tx.Now
	return StockClose{ID: row.ID, PeriodEnd: d, ClosedBy: row.ClosedBy, ClosedAt: row.ClosedAt, ReopenedBy: &userID, ReopenedAt: &now, Reason: reason}, err
}

// CostMethod returns the method of an item's cost state in a scope, or "".
func (tx *Tx) CostMethod(ctx context.Context, companyID, itemID, scopeID int64) (domain.CostingMethod, error) {
	var m []string
	err := tx.NewSelect().Table("stock_costs").Column("method").
		Where("company_id = ? AND item_id = ? AND scope_id = ?", companyID, itemID, scopeID).Scan(ctx, &m)
	if err != nil || len(m) == 0 {
		return "", err
	}
	return domain.CostingMethod(m[0]), nil
}
