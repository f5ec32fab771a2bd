package store

import (
	"context"
	"database/sql"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// MovementRow is one item's line of the movement summary (收发存汇总): what
// it had at the start of the range, what came in and went out during it,
// and what it had at the end, in quantity and value.
type MovementRow struct {
	ItemID       int64        `json:"item_id"`
	ItemCode     string       `json:"item_code"`
	ItemName     string       `json:"item_name"`
	ItemNameEn   string       `json:"item_name_en" doc:"The item's English name (may be empty)"`
	Spec         string       `json:"spec"`
	UnitID       int64        `json:"unit_id"`
	UnitName     string       `json:"unit_name"`
	OpeningQty   domain.Qty   `json:"opening_qty" doc:"On hand at the end of the day before from"`
	OpeningValue domain.Money `json:"opening_value"`
	InQty        domain.Qty   `json:"in_qty" doc:"Ledger rows from … to that added stock (receipts, transfers in, gains, returns in)"`
	InValue      domain.Money `json:"in_value" doc:"Their value, with cost corrections that added value"`
	OutQty       domain.Qty   `json:"out_qty" doc:"Ledger rows from … to that took stock away, as a positive number (shipments, transfers out, losses, reversals of receipts)"`
	OutValue     domain.Money `json:"out_value" doc:"Their value at cost, with cost corrections that took value away"`
	ClosingQty   domain.Qty   `json:"closing_qty" doc:"opening + in − out: on hand at the end of to"`
	ClosingValue domain.Money `json:"closing_value"`
}

// MovementFilter selects a movement summary.
type MovementFilter struct {
	CompanyID   int64
	WarehouseID int64 // 0: every warehouse (in Warehouses when set)
	From, To    domain.Date
	Q           string // item code, name or 助记码
	CategoryID  int64
	Warehouses  map[int64]bool
	Page
}

// MovementReport is a page of the movement summary with the sums of every
// row (not only the page's).
type MovementReport struct {
	Rows   []MovementRow
	Totals MovementRow
	Total  int
}

// movementQuery adds up, per item, the stock at the start of the range
// and the ledger rows in it, for the real locations of the warehouses
// asked for. The start is the last month-end snapshot before the range
// plus the ledger rows between it and the range, so the report reads the
// ledger from that snapshot on, never from the beginning. Rows with no
// quantity move in or out by the sign of their value (cost corrections).
func (tx *Tx) movementQuery(ctx context.Context, f MovementFilter) (*bun.SelectQuery, error) {
	dayBefore := domain.Date{Time: f.From.AddDate(0, 0, -1)}
	var end sql.NullString
	if err := tx.NewSelect().Model((*closeRow)(nil)).ColumnExpr("MAX(period_end)").
		Where("company_id = ? AND reopened_at IS NULL AND period_end <= ?", f.CompanyID, dayBefore.String()).Scan(ctx, &end); err != nil {
		return nil, err
	}
	// The warehouses' real locations (virtual ones — suppliers, customers,
	// transit — have no warehouse).
	locs := tx.NewSelect().Table("locations").Column("id").Where("company_id = ? AND warehouse_id IS NOT NULL", f.CompanyID)
	if f.WarehouseID != 0 {
		locs = locs.Where("warehouse_id = ?", f.WarehouseID)
	}
	if f.Warehouses != nil {
		locs = locs.Where("warehouse_id IN (?)", bun.In(scopeIDs(f.Warehouses)))
	}
	from := f.From.String()
	in := "(g.qty > 0 OR (g.qty = 0 AND g.value > 0))"
	ledger := tx.NewSelect().TableExpr("stock_ledger AS g").
		ColumnExpr("g.item_id").
		ColumnExpr("CASE WHEN g.doc_date < ? THEN g.qty ELSE 0 END AS oq", from).
		ColumnExpr("CASE WHEN g.doc_date < ? THEN g.value ELSE 0 END AS ov", from).
		ColumnExpr("CASE WHEN g.doc_date >= ? AND "+in+" THEN g.qty ELSE 0 END AS iq", from).
		ColumnExpr("CASE WHEN g.doc_date >= ? AND "+in+" THEN g.value ELSE 0 END AS iv", from).
		ColumnExpr("CASE WHEN g.doc_date >= ? AND NOT "+in+" THEN -g.qty ELSE 0 END AS xq", from).
		ColumnExpr("CASE WHEN g.doc_date >= ? AND NOT "+in+" THEN -g.value ELSE 0 END AS xv", from).
		Where("g.company_id = ? AND g.doc_date <= ?", f.CompanyID, f.To.String()).
		Where("g.location_id IN (?)", locs)
	var src any = ledger
	if end.Valid {
		ledger = ledger.Where("g.doc_date > ?", end.String)
		snap := tx.NewSelect().TableExpr("stock_snapshots AS s").
			ColumnExpr("s.item_id, s.qty AS oq, s.value AS ov, 0 AS iq, 0 AS iv, 0 AS xq, 0 AS xv").
			Where("s.company_id = ? AND s.period_end = ?", f.CompanyID, end.String).
			Where("s.location_id IN (?)", locs)
		if f.WarehouseID != 0 { // lets the snapshot's warehouse index serve
			snap = snap.Where("s.warehouse_id = ?", f.WarehouseID)
		}
		src = tx.NewRaw("? UNION ALL ?", ledger, snap)
	}
	sums := tx.NewSelect().TableExpr("(?) AS x", src).
		ColumnExpr("x.item_id, SUM(x.oq) AS oq, SUM(x.ov) AS ov, SUM(x.iq) AS iq, SUM(x.iv) AS iv, SUM(x.xq) AS xq, SUM(x.xv) AS xv").
		GroupExpr("x.item_id")
	q := tx.NewSelect().TableExpr("(?) AS m", sums).
		ColumnExpr("m.item_id, i.code, i.name, i.name_en, i.spec, i.base_unit_id, u.name, m.oq, m.ov, m.iq, m.iv, m.xq, m.xv").
		Join("JOIN items AS i ON i.id = m.item_id").
		Join("JOIN units AS u ON u.id = i.base_unit_id").
		Where("m.oq <> 0 OR m.ov <> 0 OR m.iq <> 0 OR m.iv <> 0 OR m.xq <> 0 OR m.xv <> 0")
	q = tx.itemWhere(q, BalanceFilter{CompanyID: f.CompanyID, Q: f.Q, CategoryID: f.CategoryID})
	return q.OrderExpr("i.code, m.item_id"), nil
}

// scanMovements reads movementQuery rows one at a time (with extra
// columns after them scanned into extra).
func scanMovements(ctx context.Context, q *bun.SelectQuery, emit func(MovementRow) error, extra ...any) error {
	return eachRow(ctx, q, func(r *MovementRow) []any {
		return []any{&r.ItemID, &r.ItemCode, &r.ItemName, &r.ItemNameEn, &r.Spec, &r.UnitID, &r.UnitName,
			&r.OpeningQty, &r.OpeningValue, &r.InQty, &r.InValue, &r.OutQty, &r.OutValue}
	}, func(r *MovementRow) error { r.close(); return nil }, emit, extra...)
}

func (r *MovementRow) close() {
	r.ClosingQty = r.OpeningQty + r.InQty - r.OutQty
	r.ClosingValue = r.OpeningValue + r.InValue - r.OutValue
}

// Movements returns a page of the movement summary, in item code order,
// with the number of rows and the sums of all of them (window sums over the
// one grouping, so the ledger is read once).
func (tx *Tx) Movements(ctx context.Context, f MovementFilter) (MovementReport, error) {
	var rep MovementReport
	q, err := tx.movementQuery(ctx, f)
	if err != nil {
		return rep, err
	}
	q = q.ColumnExpr("COUNT(*) OVER (), SUM(m.oq) OVER (), SUM(m.ov) OVER (), SUM(m.iq) OVER (), SUM(m.iv) OVER (), SUM(m.xq) OVER (), SUM(m.xv) OVER ()")
	var n int64
	t := &rep.Totals
	extra := []any{&n, &t.OpeningQty, &t.OpeningValue, &t.InQty, &t.InValue, &t.OutQty, &t.OutValue}
	collect := func(r MovementRow) error { rep.Rows = append(rep.Rows, r); return nil }
	if err := scanMovements(ctx, q.Offset(f.offset()).Limit(f.limit()), collect, extra...); err != nil {
		return rep, err
	}
	if len(rep.Rows) == 0 && f.offset() > 0 { // past the end: the first row still carries the sums
		if err := scanMovements(ctx, q.Offset(0).Limit(1), func(MovementRow) error { return nil }, extra...); err != nil {
			return rep, err
		}
	}
	rep.Total = int(n)
	t.close()
	return rep, nil
}

// StreamMovements hands on every row of the movement summary in item code
// order as it is read.
func (tx *Tx) StreamMovements(ctx context.Context, f MovementFilter, emit func(MovementRow) error) error {
	q, err := tx.movementQuery(ctx, f)
	if err != nil {
		return err
	}
	return scanMovements(ctx, q, emit)
}
