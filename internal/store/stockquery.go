package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

func scopeIDs(m map[int64]bool) []int64 {
	ids := []int64{0}
	for id, ok := range m {
		if ok {
			ids = append(ids, id)
		}
	}
	return ids
}

// LedgerRow is one row of an item's stock ledger with the running balance
// after it, computed on read.
type LedgerRow struct {
	ID               int64          `json:"id"`
	Date             domain.Date    `json:"date"`
	DocumentID       int64          `json:"document_id"`
	Number           string         `json:"number"`
	DocType          domain.DocType `json:"doc_type"`
	Kind             domain.LegKind `json:"kind"`
	Move             string         `json:"move"`
	WarehouseID      int64          `json:"warehouse_id"`
	LocationID       int64          `json:"location_id"`
	LocationCode     string         `json:"location_code"`
	Batch            string         `json:"batch"`
	CounterKind      string         `json:"counter_kind" doc:"What the other side is: supplier, customer, loss, gain, opening, transit, or warehouse/bin for transfers"`
	CounterWarehouse string         `json:"counter_warehouse" doc:"Transfers: the other warehouse's name"`
	Reversal         bool           `json:"reversal" doc:"The row belongs to a reversal (红冲) document"`
	Qty              domain.Qty     `json:"qty"`
	Value            domain.Money   `json:"value"`
	BalanceQty       domain.Qty     `json:"balance_qty"`
	BalanceValue     domain.Money   `json:"balance_value"`
	AdjustsLineID    *int64         `json:"adjusts_line_id"`
}

// LedgerFilter selects an item's ledger.
type LedgerFilter struct {
	CompanyID   int64
	ItemID      int64
	WarehouseID int64
	LocationID  int64
	Batch       *string
	From, To    *domain.Date
	Warehouses  map[int64]bool
	Page
}

// Ledger returns a page of an item's ledger in business-date order, the
// opening balance before From, and the number of rows.
func (tx *Tx) Ledger(ctx context.Context, f LedgerFilter) (rows []LedgerRow, openQty domain.Qty, openValue domain.Money, n int, err error) {
	where := func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("g.company_id = ? AND g.item_id = ?", f.CompanyID, f.ItemID)
		if f.LocationID != 0 {
			q = q.Where("g.location_id = ?", f.LocationID)
		}
		if f.WarehouseID != 0 {
			q = q.Where("g.location_id IN (SELECT id FROM locations WHERE company_id = ? AND warehouse_id = ?)", f.CompanyID, f.WarehouseID)
		}
		if f.Warehouses != nil {
			q = q.Where("g.location_id IN (SELECT id FROM locations WHERE company_id = ? AND warehouse_id IN (?))", f.CompanyID, bun.In(scopeIDs(f.Warehouses)))
		}
		if f.Batch != nil {
			q = q.Where("g.batch = ?", *f.Batch)
		}
		return q
	}
	if f.From != nil {
		var open struct{ Q, V int64 }
		if err = where(tx.NewSelect().TableExpr("stock_ledger AS g")).ColumnExpr("COALESCE(SUM(g.qty), 0) AS q, COALESCE(SUM(g.value), 0) AS v").
			Where("g.doc_date < ?", f.From.String()).Scan(ctx, &open); err != nil {
			return
		}
		openQty, openValue = domain.Qty(open.Q), domain.Money(open.V)
	}
	inner := where(tx.NewSelect().TableExpr("stock_ledger AS g")).
		ColumnExpr("g.id, g.doc_date, g.document_id, g.doc_type, g.kind, g.move, g.location_id, g.batch, g.counter_id, g.qty, g.value, g.adjusts_line_id").
		ColumnExpr("SUM(g.qty) OVER (ORDER BY g.doc_date, g.id) AS run_qty, SUM(g.value) OVER (ORDER BY g.doc_date, g.id) AS run_value")
	if f.From != nil {
		inner = inner.Where("g.doc_date >= ?", f.From.String())
	}
	if f.To != nil {
		inner = inner.Where("g.doc_date <= ?", f.To.String())
	}
	n64, err := tx.NewSelect().TableExpr("(?) AS x", inner).Count(ctx)
	if err != nil {
		return
	}
	n = int(n64)
	var raw []struct {
		ID            int64
		DocDate       string
		DocumentID    int64
		Number        string
		DocType       domain.DocType
		Kind          domain.LegKind
		Move          string
		LocationID    int64
		LocationCode  string
		WarehouseID   sql.NullInt64
		Batch         string
		CounterKind   string
		CounterWh     sql.NullString
		Reversal      bool
		Qty           int64
		Value         int64
		RunQty        int64
		RunValue      int64
		AdjustsLineID *int64
	}
	err = tx.NewSelect().TableExpr("(?) AS x", inner).
		ColumnExpr("x.id, x.doc_date, x.document_id, x.doc_type, x.kind, x.move, x.location_id, x.batch, x.qty, x.value, x.adjusts_line_id, x.run_qty, x.run_value").ColumnExpr("d.number, l.code AS location_code, l.warehouse_id, c.kind AS counter_kind, cw.name AS counter_wh, d.reverses_id IS NOT NULL AS reversal").
		Join("JOIN documents AS d ON d.id = x.document_id").
		Join("JOIN locations AS l ON l.id = x.location_id").
		Join("LEFT JOIN locations AS c ON c.id = x.counter_id").
		Join("LEFT JOIN warehouses AS cw ON cw.id = c.warehouse_id").
		OrderExpr("x.doc_date, x.id").Offset(f.offset()).Limit(f.limit()).Scan(ctx, &raw)
	if err != nil {
		return
	}
	rows = make([]LedgerRow, len(raw))
	for i, r := range raw {
		day, perr := domain.ParseDate(r.DocDate)
		if perr != nil {
			return nil, 0, 0, 0, perr
		}
		rows[i] = LedgerRow{ID: r.ID, Date: day, DocumentID: r.DocumentID, Number: r.Number, DocType: r.DocType, Kind: r.Kind,
			Move: r.Move, WarehouseID: r.WarehouseID.Int64, LocationID: r.LocationID, LocationCode: r.LocationCode, Batch: r.Batch,
			CounterKind: r.CounterKind, CounterWarehouse: r.CounterWh.String, Reversal: r.Reversal, Qty: domain.Qty(r.Qty), Value: domain.Money(r.Value),
			BalanceQty: openQty + domain.Qty(r.RunQty), BalanceValue: openValue + domain.Money(r.RunValue), AdjustsLineID: r.AdjustsLineID}
	}
	return rows, openQty, openValue, n, nil
}

// CheckStock proves the stock invariants of a company and returns what is
// wrong, in English, one line per problem (empty when all is well):
// every balance equals the sum of its ledger rows; 0 ≤ reserved ≤ on hand;
// nothing negative where the company forbids it; no value without
// quantity; each cost state is sound (FIFO layers sum to it) and equals the
// sum of the balances in its scope.
func (tx *Tx) CheckStock(ctx context.Context, companyID int64, scopeByWarehouse, allowNegative bool) ([]string, error) {
	type sums struct{ q, v int64 }
	ledger := map[domain.BalanceKey]sums{}
	var lrows []struct {
		ItemID, LocationID int64
		Batch              string
		Q, V               int64
	}
	if err := tx.NewRaw(`SELECT item_id, location_id, batch, SUM(qty) AS q, SUM(value) AS v FROM stock_ledger
		WHERE company_id = ? GROUP BY item_id, location_id, batch`, companyID).Scan(ctx, &lrows); err != nil {
		return nil, err
	}
	for _, r := range lrows {
		ledger[domain.BalanceKey{ItemID: r.ItemID, LocationID: r.LocationID, Batch: r.Batch}] = sums{r.Q, r.V}
	}
	var bals []balanceRow
	if err := tx.NewSelect().Model(&bals).Where("company_id = ?", companyID).Scan(ctx); err != nil {
		return nil, err
	}
	var probs []string
	scopeSum := map[domain.CostKey]sums{}
	for _, b := range bals {
		k := domain.BalanceKey{ItemID: b.ItemID, LocationID: b.LocationID, Batch: b.Batch}
		l := ledger[k]
		delete(ledger, k)
		name := fmt.Sprintf("item %d at location %d batch %q", b.ItemID, b.LocationID, b.Batch)
		if l.q != int64(b.OnHand) || l.v != int64(b.Value) {
			probs = append(probs, fmt.Sprintf("%s: balance %s / %s but ledger sums to %s / %s", name, b.OnHand, b.Value, domain.Qty(l.q), domain.Money(l.v)))
		}
		if b.Reserved < 0 || b.Reserved > max(b.OnHand, 0) {
			probs = append(probs, fmt.Sprintf("%s: reserved %s outside 0 … on hand %s", name, b.Reserved, b.OnHand))
		}
		if b.OnHand < 0 && !allowNegative {
			probs = append(probs, fmt.Sprintf("%s: negative on hand %s where the company forbids it", name, b.OnHand))
		}
		if b.OnHand == 0 && b.Value != 0 {
			probs = append(probs, fmt.Sprintf("%s: value %s with nothing on hand", name, b.Value))
		}
		scope := int64(0)
		if scopeByWarehouse {
			scope = b.WarehouseID
		}
		ck := domain.CostKey{ItemID: b.ItemID, ScopeID: scope}
		s := scopeSum[ck]
		scopeSum[ck] = sums{s.q + int64(b.OnHand), s.v + int64(b.Value)}
	}
	for k, l := range ledger {
		if l.q != 0 || l.v != 0 {
			probs = append(probs, fmt.Sprintf("item %d at location %d batch %q: ledger sums to %s / %s but there is no balance row", k.ItemID, k.LocationID, k.Batch, domain.Qty(l.q), domain.Money(l.v)))
		}
	}
	var costs []costRow
	if err := tx.NewSelect().Model(&costs).Where("company_id = ?", companyID).Scan(ctx); err != nil {
		return nil, err
	}
	for i := range costs {
		c, err := costs[i].cost()
		if err != nil {
			probs = append(probs, err.Error())
			continue
		}
		name := fmt.Sprintf("item %d cost scope %d", c.ItemID, c.ScopeID)
		if err := c.CostState.Check(); err != nil {
			probs = append(probs, name+": "+err.Error())
		}
		s := scopeSum[c.CostKey]
		delete(scopeSum, c.CostKey)
		if s.q != int64(c.Qty) || s.v != int64(c.Value) {
			probs = append(probs, fmt.Sprintf("%s: cost state %s / %s but its balances sum to %s / %s", name, c.Qty, c.Value, domain.Qty(s.q), domain.Money(s.v)))
		}
	}
	for k, s := range scopeSum {
		if s.q != 0 || s.v != 0 {
			probs = append(probs, fmt.Sprintf("item %d cost scope %d: balances sum to %s / %s but there is no cost state", k.ItemID, k.ScopeID, domain.Qty(s.q), domain.Money(s.v)))
		}
	}
	sort.Strings(probs)
	return probs, nil
}

// RebuildBalances sets every balance row's on hand and value to the sums of
// its ledger rows (creating rows the ledger has and the projection lacks);
// reservations are kept. It returns how many rows changed.
func (tx *Tx) RebuildBalances(ctx context.Context, companyID int64) (int, error) {
	var sums []struct {
		ItemID, LocationID int64
		Batch              string
		WarehouseID        int64
		Q, V               int64
	}
	if err := tx.NewRaw(`SELECT g.item_id, g.location_id, g.batch, COALESCE(l.warehouse_id, ?) AS warehouse_id, SUM(g.qty) AS q, SUM(g.value) AS v
		FROM stock_ledger g JOIN locations l ON l.id = g.location_id WHERE g.company_id = ?
		GROUP BY g.item_id, g.location_id, g.batch, l.warehouse_id`, TransitScope, companyID).Scan(ctx, &sums); err != nil {
		return 0, err
	}
	var bals []balanceRow
	if err := tx.NewSelect().Model(&bals).Where("company_id = ?", companyID).Scan(ctx); err != nil {
		return 0, err
	}
	have := make(map[domain.BalanceKey]balanceRow, len(bals))
	for _, b := range bals {
		have[domain.BalanceKey{ItemID: b.ItemID, LocationID: b.LocationID, Batch: b.Batch}] = b
	}
	var fix []balanceRow
	for _, s := range sums {
		k := domain.BalanceKey{ItemID: s.ItemID, LocationID: s.LocationID, Batch: s.Batch}
		b, ok := have[k]
		delete(have, k)
		if ok && int64(b.OnHand) == s.Q && int64(b.Value) == s.V {
			continue
		}
		if !ok {
			b = balanceRow{CompanyID: companyID, ItemID: s.ItemID, LocationID: s.LocationID, Batch: s.Batch, WarehouseID: s.WarehouseID}
		}
		b.OnHand, b.Value, b.UpdatedAt = domain.Qty(s.Q), domain.Money(s.V), tx.Now
		fix = append(fix, b)
	}
	for _, b := range have { // rows with no ledger at all
		if b.OnHand != 0 || b.Value != 0 {
			b.OnHand, b.Value, b.UpdatedAt = 0, 0, tx.Now
			fix = append(fix, b)
		}
	}
	for start := 0; start < len(fix); start += 1000 {
		chunk := fix[start:min(start+1000, len(fix))]
		if _, err := tx.NewInsert().Model(&chunk).
			On("CONFLICT (company_id, item_id, location_id, batch) DO UPDATE").
			Set("on_hand = EXCLUDED.on_hand, value = EXCLUDED.value, updated_at = EXCLUDED.updated_at").Exec(ctx); err != nil {
			return 0, err
		}
	}
	return len(fix), nil
}

// CostScopes lists every (item, scope) that has ledger rows or a cost row.
func (tx *Tx) CostScopes(ctx context.Context, companyID int64, byWarehouse bool) ([]domain.CostKey, error) {
	scope := "0"
	if byWarehouse {
		scope = fmt.Sprintf("COALESCE(l.warehouse_id, %d)", TransitScope)
	}
	var out []domain.CostKey
	err := tx.NewRaw(`SELECT DISTINCT g.item_id, `+scope+` AS scope_id FROM stock_ledger g JOIN locations l ON l.id = g.location_id
		WHERE g.company_id = ? UNION SELECT item_id, scope_id FROM stock_costs WHERE company_id = ?`, companyID, companyID).Scan(ctx, &out)
	return out, err
}

// SetCost writes one cost state.
func (tx *Tx) SetCost(ctx context.Context, companyID int64, c *domain.Cost) error {
	row := costRow{CompanyID: companyID, ItemID: c.ItemID, ScopeID: c.ScopeID, Method: c.Method, Qty: c.Qty, Value: c.Value,
		LastCost: c.LastCost, Layers: layersJSON(c.Layers), UpdatedAt: tx.Now}
	_, err := tx.NewInsert().Model(&row).On("CONFLICT (company_id, item_id, scope_id) DO UPDATE").
		Set("method = EXCLUDED.method, qty = EXCLUDED.qty, value = EXCLUDED.value, last_cost = EXCLUDED.last_cost, layers = EXCLUDED.layers, updated_at = EXCLUDED.updated_at").
		Exec(ctx)
	return err
}

// StockAlert is an item that needs attention in a warehouse.
type StockAlert struct {
	Kind            string       `json:"kind" enum:"below_safety,below_min,above_max,near_expiry,expired"`
	ItemID          int64        `json:"item_id"`
	ItemCode        string       `json:"item_code"`
	ItemName        string       `json:"item_name"`
	ItemNameEn      string       `json:"item_name_en" doc:"The item's English name (may be empty)"`
	Spec            string       `json:"spec" doc:"The item's 规格"`
	UnitID          int64        `json:"unit_id" doc:"The item's base unit: the unit of every quantity here"`
	UnitName        string       `json:"unit_name"`
	WarehouseID     int64        `json:"warehouse_id"`
	WarehouseName   string       `json:"warehouse_name"`
	WarehouseNameEn string       `json:"warehouse_name_en" doc:"The warehouse's English name (may be empty)"`
	Batch           string       `json:"batch,omitempty"`
	Expiry          *domain.Date `json:"expiry,omitempty"`
	OnHand          domain.Qty   `json:"on_hand"`
	Available       domain.Qty   `json:"available"`
	Level           domain.Qty   `json:"level" doc:"The level crossed (safety, min or max); 0 for expiry alerts"`
	ReorderQty      domain.Qty   `json:"reorder_qty,omitempty" doc:"Below min: the item's reorder quantity, else what brings it to max"`
}

// alertItem is what every alert says of its item and warehouse, read with
// alertItemCols (items i, units u, warehouses w).
type alertItem struct {
	ItemID, WarehouseID, UnitID                                                    int64
	ItemCode, ItemName, ItemNameEn, Spec, UnitName, WarehouseName, WarehouseNameEn string
}

const alertItemCols = "i.code AS item_code, i.name AS item_name, i.name_en AS item_name_en, i.spec, i.base_unit_id AS unit_id, u.name AS unit_name, " +
	"w.name AS warehouse_name, w.name_en AS warehouse_name_en"

func (a alertItem) alert() StockAlert {
	return StockAlert{ItemID: a.ItemID, ItemCode: a.ItemCode, ItemName: a.ItemName, ItemNameEn: a.ItemNameEn, Spec: a.Spec, UnitID: a.UnitID, UnitName: a.UnitName,
		WarehouseID: a.WarehouseID, WarehouseName: a.WarehouseName, WarehouseNameEn: a.WarehouseNameEn}
}

// StockAlerts lists level alerts (on hand below safety or min, above max,
// per item and warehouse with levels set) and expiry alerts (batches with
// stock expiring within `days` of today, or expired).
func (tx *Tx) StockAlerts(ctx context.Context, companyID, warehouseID int64, today domain.Date, days int, scope map[int64]bool) ([]StockAlert, error) {
	var levels []struct {
		alertItem
		OnHand, Available                  int64
		SafetyQty, MinQty, MaxQty, Reorder int64
	}
	q := `SELECT v.item_id, v.warehouse_id, ` + alertItemCols + `,
		COALESCE(s.on_hand, 0) AS on_hand, COALESCE(s.available, 0) AS available,
		v.safety_qty, v.min_qty, v.max_qty, v.reorder_qty AS reorder
		FROM item_levels v JOIN items i ON i.id = v.item_id JOIN units u ON u.id = i.base_unit_id JOIN warehouses w ON w.id = v.warehouse_id
		LEFT JOIN (SELECT item_id, warehouse_id, SUM(on_hand) AS on_hand, SUM(on_hand - reserved) AS available
			FROM stock_balances WHERE company_id = ? GROUP BY item_id, warehouse_id) s
			ON s.item_id = v.item_id AND s.warehouse_id = v.warehouse_id
		WHERE v.company_id = ? AND i.archived = FALSE`
	args := []any{companyID, companyID}
	if warehouseID != 0 {
		q += " AND v.warehouse_id = ?"
		args = append(args, warehouseID)
	}
	if scope != nil {
		q += " AND v.warehouse_id IN (?)"
		args = append(args, bun.In(scopeIDs(scope)))
	}
	if err := tx.NewRaw(q+" ORDER BY i.code, v.warehouse_id", args...).Scan(ctx, &levels); err != nil {
		return nil, err
	}
	var out []StockAlert
	for _, l := range levels {
		a := l.alert()
		a.OnHand, a.Available = domain.Qty(l.OnHand), domain.Qty(l.Available)
		switch {
		case l.SafetyQty > 0 && l.OnHand < l.SafetyQty:
			a.Kind, a.Level = "below_safety", domain.Qty(l.SafetyQty)
		case l.MinQty > 0 && l.OnHand < l.MinQty:
			a.Kind, a.Level = "below_min", domain.Qty(l.MinQty)
		case l.MaxQty > 0 && l.OnHand > l.MaxQty:
			a.Kind, a.Level = "above_max", domain.Qty(l.MaxQty)
		default:
			continue
		}
		if a.Kind != "above_max" {
			a.ReorderQty = domain.Qty(l.Reorder)
			if a.ReorderQty == 0 && l.MaxQty > l.OnHand {
				a.ReorderQty = domain.Qty(l.MaxQty - l.OnHand)
			}
		}
		out = append(out, a)
	}
	var exp []struct {
		alertItem
		Batch, Expiry     string
		OnHand, Available int64
	}
	limit := domain.Date{Time: today.AddDate(0, 0, days)}
	q = `SELECT b.item_id, b.warehouse_id, ` + alertItemCols + `, b.batch, b.expiry,
		SUM(b.on_hand) AS on_hand, SUM(b.on_hand - b.reserved) AS available
		FROM stock_balances b JOIN items i ON i.id = b.item_id JOIN units u ON u.id = i.base_unit_id JOIN warehouses w ON w.id = b.warehouse_id
		WHERE b.company_id = ? AND b.expiry IS NOT NULL AND b.expiry <= ? AND b.on_hand > 0`
	args = []any{companyID, limit.String()}
	if warehouseID != 0 {
		q += " AND b.warehouse_id = ?"
		args = append(args, warehouseID)
	}
	if scope != nil {
		q += " AND b.warehouse_id IN (?)"
		args = append(args, bun.In(scopeIDs(scope)))
	}
	q += " GROUP BY b.item_id, b.warehouse_id, i.code, i.name, i.name_en, i.spec, i.base_unit_id, u.name, w.name, w.name_en, b.batch, b.expiry ORDER BY b.expiry, i.code"
	if err := tx.NewRaw(q, args...).Scan(ctx, &exp); err != nil {
		return nil, err
	}
	for _, e := range exp {
		d, err := domain.ParseDate(e.Expiry)
		if err != nil {
			return nil, err
		}
		kind := "near_expiry"
		if !today.Before(d) {
			kind = "expired"
		}
		a := e.alert()
		a.Kind, a.Batch, a.Expiry, a.OnHand, a.Available = kind, e.Batch, &d, domain.Qty(e.OnHand), domain.Qty(e.Available)
		out = append(out, a)
	}
	return out, nil
}

// BatchOption is a batch of an item in a warehouse, for FEFO.
type BatchOption struct {
	LocationID   int64        `json:"location_id"`
	LocationCode string       `json:"location_code"`
	Batch        string       `json:"batch"`
	Expiry       *domain.Date `json:"expiry"`
	Available    domain.Qty   `json:"available"`
	Take         domain.Qty   `json:"take" doc:"What FEFO suggests taking from this batch for the quantity asked"`
}

// FEFO lists an item's batches with stock in a warehouse, first expiring
// first (no expiry last, then oldest batch code), and how much of qty to
// take from each.
func (tx *Tx) FEFO(ctx context.Context, companyID, itemID, warehouseID int64, qty domain.Qty) ([]BatchOption, error) {
	var rows []struct {
		LocationID   int64
		LocationCode string
		Batch        string
		Expiry       sql.NullString
		Available    int64
	}
	err := tx.NewRaw(`SELECT b.location_id, l.code AS location_code, b.batch, b.expiry, b.on_hand - b.reserved AS available
		FROM stock_balances b JOIN locations l ON l.id = b.location_id
		WHERE b.company_id = ? AND b.item_id = ? AND b.warehouse_id = ? AND b.on_hand - b.reserved > 0
		ORDER BY CASE WHEN b.expiry IS NULL THEN 1 ELSE 0 END, b.expiry, b.batch, l.code`, companyID, itemID, warehouseID).Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	out := make([]BatchOption, len(rows))
	left := qty
	for i, r := range rows {
		exp, err := nullToDate(r.Expiry)
		if err != nil {
			return nil, err
		}
		take := min(left, domain.Qty(r.Available))
		left -= take
		out[i] = BatchOption{LocationID: r.LocationID, LocationCode: r.LocationCode, Batch: r.Batch, Expiry: exp, Available: domain.Qty(r.Available), Take: take}
	}
	return out, nil
}
