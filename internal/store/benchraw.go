package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"
	"modernc.org/sqlite"

	"github.com/jxc-erp/jxc/internal/domain"
)

// The raw yardstick (docs/PERFORMANCE.md): the same postings jxc's API
// makes — a sales order confirmed (a header, its lines, each line's stock
// reserved on the warehouse's own row and the reservation recorded) and a
// purchase receipt at moving-average cost (a header, its lines, quantity
// and value added to the cost states and balance rows, a ledger row per
// line) — written the minimal way by hand, so that the API's cost can be
// stated as a ratio of it. It skips everything that is not the posting
// itself: no numbering counter, pricing, tax, credit, audit, idempotency or
// answer. Only the load tool uses it; its documents are real sales orders
// and purchase receipts that jxc check proves like any other.

// RawTarget is where raw documents go: a company's warehouse (its root
// location), a customer and a supplier.
type RawTarget struct {
	CompanyID   int64
	WarehouseID int64
	LocationID  int64
	PartnerID   int64                          // the customer of raw orders
	SupplierID  int64                          // the supplier of raw receipts
	ScopeID     int64                          // the costing scope of the warehouse: 0, or the warehouse with costing per warehouse
	SupplierLoc int64                          // the company's virtual supplier location, the counterpart of a receipt
	Units       map[int64]int64                // item → base unit
	Methods     map[int64]domain.CostingMethod // item → its costing method (the company's when the item names none)
}

// RawTargetOf reads the company, root location and costing scope of a
// warehouse, the company's supplier location, and the base units and
// costing methods of the items raw documents will move.
func (db *DB) RawTargetOf(ctx context.Context, warehouseID, customerID, supplierID int64, items []int64) (RawTarget, error) {
	t := RawTarget{WarehouseID: warehouseID, PartnerID: customerID, SupplierID: supplierID, Units: map[int64]int64{}, Methods: map[int64]domain.CostingMethod{}}
	err := db.View(ctx, func(tx *Tx) error {
		if err := tx.NewRaw("SELECT company_id, root_location_id FROM warehouses WHERE id = ?", warehouseID).Scan(ctx, &t.CompanyID, &t.LocationID); err != nil {
			return err
		}
		co, err := tx.Company(ctx, t.CompanyID)
		if err != nil {
			return err
		}
		if co.Settings.CostingScope == domain.CostingScopeWarehouse {
			t.ScopeID = warehouseID
		}
		virt, err := tx.VirtualLocations(ctx, t.CompanyID)
		if err != nil {
			return err
		}
		t.SupplierLoc = virt[domain.LocSupplier]
		var rows []struct {
			ID, BaseUnitID int64
			CostingMethod  domain.CostingMethod
		}
		if err := tx.NewRaw("SELECT id, base_unit_id, costing_method FROM items WHERE id IN (?)", bun.In(items)).Scan(ctx, &rows); err != nil {
			return err
		}
		for _, r := range rows {
			t.Units[r.ID] = r.BaseUnitID
			t.Methods[r.ID] = cmp.Or(r.CostingMethod, co.Settings.CostingMethod)
		}
		return nil
	})
	return t, err
}

var rawSeq atomic.Int64

// ErrRawShort is a raw order's answer when a line's stock is short.
var ErrRawShort = errors.New("insufficient stock")

// RawOrder confirms a sales order of one unit of each item the minimal way,
// in one transaction: header, lines, the balance rows locked in key order
// (FOR UPDATE on PostgreSQL), checked, reserved, reservations recorded.
// naive leaves the lock out and writes the reserved figure it read plus
// one as an absolute value: the classic lost update, which jxc check must
// catch (reserved no longer equals what orders hold; more held than on
// hand).
func (db *DB) RawOrder(ctx context.Context, t RawTarget, items []int64, naive bool) error {
	items = slices.Clone(items)
	slices.Sort(items)
	items = slices.Compact(items)
	return db.Update(ctx, func(tx *Tx) error {
		now := tx.Now
		day := now.Format("2006-01-02")
		d := docRow{CompanyID: t.CompanyID, Type: domain.DocSalesOrder, Number: fmt.Sprintf("RAW%d-%d", now.UnixNano(), rawSeq.Add(1)),
			State: domain.DocPosted, DocDate: day, WarehouseID: t.WarehouseID, PartnerID: &t.PartnerID, TotalQty: domain.QtyOf(int64(len(items))),
			Version: 1, CreatedAt: now, UpdatedAt: now}
		if _, err := tx.NewInsert().Model(&d).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
			return err
		}
		lines := make([]docLineRow, len(items))
		for i, it := range items {
			loc := t.LocationID
			lines[i] = docLineRow{CompanyID: t.CompanyID, DocumentID: d.ID, LineNo: i + 1, ItemID: it, UnitID: t.Units[it], Factor: domain.QtyOne, Qty: domain.QtyOne,
				BaseQty: domain.QtyOne, Price: domain.PriceOf(10), LocationID: &loc}
		}
		if _, err := tx.NewInsert().Model(&lines).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
			return err
		}
		return tx.rawReserve(ctx, t, lines, naive)
	})
}

// rawReserve locks the balance rows of the lines' items in key order (FOR
// UPDATE on PostgreSQL), checks a unit of each is available, reserves it and
// records the reservations; naive, the lost update instead (see RawOrder).
func (tx *Tx) rawReserve(ctx context.Context, t RawTarget, lines []docLineRow, naive bool) error {
	items := make([]int64, len(lines))
	for i, l := range lines {
		items[i] = l.ItemID
	}
	var rows []balanceRow
	q := tx.NewSelect().Model(&rows).Where("b.company_id = ? AND b.location_id = ? AND b.batch = '' AND b.item_id IN (?)",
		t.CompanyID, t.LocationID, bun.In(items)).OrderExpr("b.item_id")
	if !naive && tx.Dialect() == Postgres {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return err
	}
	if len(rows) != len(items) {
		return ErrRawShort
	}
	for _, r := range rows {
		if r.OnHand-r.Reserved < domain.QtyOne {
			return ErrRawShort
		}
	}
	if naive { // what it read, plus one, written back as it stands
		for _, r := range rows {
			if _, err := tx.ExecContext(ctx, "UPDATE stock_balances SET reserved = ? WHERE company_id = ? AND item_id = ? AND location_id = ? AND batch = ''",
				int64(r.Reserved+domain.QtyOne), t.CompanyID, r.ItemID, t.LocationID); err != nil {
				return err
			}
		}
	} else if _, err := tx.ExecContext(ctx, "UPDATE stock_balances SET reserved = reserved + ? WHERE company_id = ? AND location_id = ? AND batch = '' AND item_id IN (?)",
		int64(domain.QtyOne), t.CompanyID, t.LocationID, bun.In(items)); err != nil {
		return err
	}
	holds := make([]reservationRow, len(lines))
	for i, l := range lines {
		holds[i] = reservationRow{CompanyID: t.CompanyID, LineID: l.ID, DocumentID: l.DocumentID, ItemID: l.ItemID, LocationID: t.LocationID, Qty: domain.QtyOne}
	}
	_, err := tx.NewInsert().Model(&holds).Exec(ctx)
	return err
}

// RawReceiptLine is a line of a raw purchase receipt: qty of an item
// received at a unit price.
type RawReceiptLine struct {
	ItemID int64
	Qty    domain.Qty
	Price  domain.Price
}

// ErrRawUnsupported is a raw receipt's answer for an item it cannot post
// the minimal way: one not costed by moving average, or whose stock in the
// scope is negative (a receipt would first true up the issues that took it
// there). The real posting does those; the yardstick does not pretend to.
var ErrRawUnsupported = errors.New("raw receipt: the item is not costed by moving average, or its stock is negative")

// RawPurchaseReceipt posts a purchase receipt from t's supplier into t's
// warehouse the minimal way, in one transaction of five statements: the
// header; its lines; the cost states upserted in key order, quantity and
// value added (moving average: the value accumulates and the unit cost is
// their quotient), each checked to have been a moving average that was not
// negative; the balance rows upserted in key order the same way; a ledger
// row per line at its value. The upserts take the row locks, cost rows
// first and then balance rows, each in key order — the one order every
// posting locks in, so raw receipts queue behind each other and behind
// API postings instead of deadlocking. These are the facts the real
// posting writes for such a receipt (stock.go: LockStock, WriteBook), so
// jxc check holds after it. Lines must name distinct items.
func (db *DB) RawPurchaseReceipt(ctx context.Context, t RawTarget, lines []RawReceiptLine) error {
	lines, amounts, totalQty, total, err := rawReceiptAmounts(t, lines)
	if err != nil {
		return err
	}
	return db.Update(ctx, func(tx *Tx) error {
		now := tx.Now
		d := docRow{CompanyID: t.CompanyID, Type: domain.DocPurchaseReceipt, Number: fmt.Sprintf("RAWR%d-%d", now.UnixNano(), rawSeq.Add(1)),
			State: domain.DocPosted, DocDate: now.Format("2006-01-02"), WarehouseID: t.WarehouseID, PartnerID: &t.SupplierID, TotalQty: totalQty,
			TotalAmount: total, GrossAmount: total, PostedAt: &now, Version: 1, CreatedAt: now, UpdatedAt: now}
		_, err := tx.rawReceive(ctx, t, &d, lines, amounts)
		return err
	})
}

// rawReceiptAmounts sorts a raw receipt's lines by item and works out each
// line's amount and the totals, refusing what the raw receipt cannot post.
func rawReceiptAmounts(t RawTarget, lines []RawReceiptLine) ([]RawReceiptLine, []domain.Money, domain.Qty, domain.Money, error) {
	lines = slices.Clone(lines)
	slices.SortFunc(lines, func(a, b RawReceiptLine) int { return cmp.Compare(a.ItemID, b.ItemID) })
	amounts := make([]domain.Money, len(lines))
	var totalQty domain.Qty
	var total domain.Money
	for i, l := range lines {
		if i > 0 && l.ItemID == lines[i-1].ItemID {
			return nil, nil, 0, 0, fmt.Errorf("raw receipt: item %d twice", l.ItemID)
		}
		if t.Methods[l.ItemID] != domain.CostingMovingAverage {
			return nil, nil, 0, 0, ErrRawUnsupported
		}
		if l.Qty <= 0 || l.Price < 0 {
			return nil, nil, 0, 0, fmt.Errorf("raw receipt: item %d: quantity %s at %s", l.ItemID, l.Qty, l.Price)
		}
		a, err := l.Price.Amount(l.Qty)
		if err != nil {
			return nil, nil, 0, 0, err
		}
		amounts[i], totalQty, total = a, totalQty+l.Qty, total+a
	}
	return lines, amounts, totalQty, total, nil
}

// rawReceive writes a raw receipt's five statements in tx: the header d
// (its ID set), the lines (returned with theirs), the cost states and
// balance rows upserted in key order, the ledger rows.
func (tx *Tx) rawReceive(ctx context.Context, t RawTarget, d *docRow, lines []RawReceiptLine, amounts []domain.Money) ([]docLineRow, error) {
	now := tx.Now
	day := d.DocDate
	if _, err := tx.NewInsert().Model(d).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return nil, err
	}
	rows := make([]docLineRow, len(lines))
	costs := make([]costRow, len(lines))
	bals := make([]balanceRow, len(lines))
	for i, l := range lines {
		rows[i] = docLineRow{CompanyID: t.CompanyID, DocumentID: d.ID, LineNo: i + 1, ItemID: l.ItemID, UnitID: t.Units[l.ItemID], Factor: domain.QtyOne,
			Qty: l.Qty, BaseQty: l.Qty, Price: l.Price, Amount: amounts[i], Gross: amounts[i]}
		costs[i] = costRow{CompanyID: t.CompanyID, ItemID: l.ItemID, ScopeID: t.ScopeID, Method: domain.CostingMovingAverage, Qty: l.Qty, Value: amounts[i],
			LastCost: amounts[i].UnitPrice(l.Qty), Layers: "[]", UpdatedAt: now}
		bals[i] = balanceRow{CompanyID: t.CompanyID, ItemID: l.ItemID, LocationID: t.LocationID, WarehouseID: t.WarehouseID, OnHand: l.Qty,
			Value: amounts[i], UpdatedAt: now}
	}
	if _, err := tx.NewInsert().Model(&rows).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return nil, err
	}
	var after []struct {
		ItemID int64
		Method domain.CostingMethod
		Qty    domain.Qty
	}
	if err := tx.NewInsert().Model(&costs).On("CONFLICT (company_id, item_id, scope_id) DO UPDATE").
		Set("qty = c.qty + EXCLUDED.qty, value = c.value + EXCLUDED.value, last_cost = EXCLUDED.last_cost, updated_at = EXCLUDED.updated_at").
		Returning("item_id, method, qty").Scan(ctx, &after); err != nil {
		return nil, err
	}
	added := make(map[int64]domain.Qty, len(lines))
	for _, l := range lines {
		added[l.ItemID] = l.Qty
	}
	for _, a := range after {
		if a.Method != domain.CostingMovingAverage || a.Qty < added[a.ItemID] {
			return nil, ErrRawUnsupported
		}
	}
	if _, err := tx.NewInsert().Model(&bals).On("CONFLICT (company_id, item_id, location_id, batch) DO UPDATE").
		Set("on_hand = b.on_hand + EXCLUDED.on_hand, value = b.value + EXCLUDED.value, updated_at = EXCLUDED.updated_at").
		Exec(ctx); err != nil {
		return nil, err
	}
	ledger := make([]ledgerRow, len(lines))
	for i, l := range rows {
		ledger[i] = ledgerRow{CompanyID: t.CompanyID, DocumentID: d.ID, LineID: l.ID, DocType: domain.DocPurchaseReceipt, DocDate: day,
			Kind: domain.LegMove, Move: domain.MoveIn, ItemID: l.ItemID, LocationID: t.LocationID, CounterID: t.SupplierLoc,
			Qty: l.Qty, Value: l.Amount, PostedAt: now}
	}
	_, err := tx.NewInsert().Model(&ledger).ExcludeColumn("id").Exec(ctx)
	return rows, err
}

// RawErrorCode names what a raw posting failed on, the way the API names
// its errors: insufficient_stock, unsupported, and the concurrency
// failures that Update retries and should never let through — deadlock,
// serialization_failure, busy; anything else is "error".
func RawErrorCode(err error) string {
	var pe *pgconn.PgError
	var se *sqlite.Error
	switch {
	case errors.Is(err, ErrRawShort):
		return string(domain.EInsufficientStock)
	case errors.Is(err, ErrRawUnsupported):
		return "unsupported"
	case errors.As(err, &pe) && pe.Code == "40P01":
		return "deadlock"
	case errors.As(err, &pe) && pe.Code == "40001":
		return "serialization_failure"
	case errors.As(err, &se) && retryable(err):
		return "busy"
	}
	return "error"
}

// Deadlocks returns how many deadlocks PostgreSQL has detected in this
// database since its statistics were reset (pg_stat_database; the count
// can lag a few seconds behind), and false on SQLite, which has no such
// thing: its single writer never waits for a lock it holds.
func (db *DB) Deadlocks(ctx context.Context) (int64, bool, error) {
	if db.dialect != Postgres {
		return 0, false, nil
	}
	var n int64
	err := db.View(ctx, func(tx *Tx) error {
		return tx.NewRaw("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()").Scan(ctx, &n)
	})
	return n, true, err
}
