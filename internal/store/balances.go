package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// StockRow is one line of the stock balance list, at the granularity asked
// for (item; item × warehouse; item × location; item × location × batch).
type StockRow struct {
	ItemID        int64        `json:"item_id"`
	ItemCode      string       `json:"item_code"`
	ItemName      string       `json:"item_name"`
	ItemNameEn    string       `json:"item_name_en" doc:"The item's English name (may be empty)"`
	Spec          string       `json:"spec"`
	UnitID        int64        `json:"unit_id"`
	UnitName      string       `json:"unit_name"`
	WarehouseID   int64        `json:"warehouse_id"`
	WarehouseName string       `json:"warehouse_name"`
	LocationID    int64        `json:"location_id"`
	LocationCode  string       `json:"location_code"`
	Batch         string       `json:"batch"`
	Expiry        *domain.Date `json:"expiry"`
	OnHand        domain.Qty   `json:"on_hand"`
	Reserved      domain.Qty   `json:"reserved"`
	Available     domain.Qty   `json:"available"`
	Value         domain.Money `json:"value"`
	UnitCost      domain.Price `json:"unit_cost"`
}

// BalanceFilter narrows the stock balance list.
type BalanceFilter struct {
	CompanyID   int64
	Q           string // item code, name or 助记码
	ItemID      int64
	ItemIDs     []int64 // only these items
	WarehouseID int64
	LocationID  int64
	CategoryID  int64
	GroupBy     string // "item", "warehouse", "location" (default), "batch"
	WithZero    bool   // include rows with nothing on hand
	// AsOf asks for the stock at the end of a past day: the last period
	// snapshot on or before it plus the ledger rows after that snapshot
	// (reserved is then 0: reservations have no history).
	AsOf       *domain.Date
	Warehouses map[int64]bool
	Sort       string
	// NoCount spares the count of all matching rows when the page does not
	// show the end of the list (BalancePage.Total is then -1).
	NoCount bool
	Page
}

// BalancePage is one page of the stock balance list.
type BalancePage struct {
	Rows []StockRow
	// Total is the number of rows across all pages; -1 when NoCount was
	// asked and the page does not reach the end.
	Total int
	More  bool // another page follows
}

var balanceSorts = map[string]string{
	"item": "i.code", "on_hand": "s.on_hand", "value": "s.value", "available": "(s.on_hand - s.reserved)",
}

// ListBalances returns a page of stock balances and the number of rows.
func (tx *Tx) ListBalances(ctx context.Context, f BalanceFilter) ([]StockRow, int, error) {
	f.NoCount = false
	p, err := tx.BalancePage(ctx, f)
	return p.Rows, p.Total, err
}

// BalancePage returns a page of stock balances. In item order (the
// default) it never reads more than the page needs: the page's items are
// found first, in the order of the item code index, and only their balance
// rows are read and added up. A past date or another order adds up every
// row first.
func (tx *Tx) BalancePage(ctx context.Context, f BalanceFilter) (BalancePage, error) {
	if _, desc, byItem := balanceSort(f.Sort); byItem && f.AsOf == nil && f.ItemID == 0 && len(f.ItemIDs) == 0 {
		return tx.balancePageByItem(ctx, f, desc)
	}
	return tx.balancePageGrouped(ctx, f)
}

// balanceSort returns the sort column, its direction, and whether the list
// is in item code order.
func balanceSort(sort string) (col string, desc, byItem bool) {
	desc = len(sort) > 0 && sort[0] == '-'
	key := sort
	if desc {
		key = key[1:]
	}
	col, ok := balanceSorts[key]
	if !ok {
		col, desc = "i.code", false
	}
	return col, desc, col == "i.code"
}

// itemWhere applies the filters on the item (alias i).
func (tx *Tx) itemWhere(q *bun.SelectQuery, f BalanceFilter) *bun.SelectQuery {
	q = q.Where("i.company_id = ?", f.CompanyID)
	if f.ItemID != 0 {
		q = q.Where("i.id = ?", f.ItemID)
	}
	if len(f.ItemIDs) > 0 {
		q = q.Where("i.id IN (?)", bun.In(f.ItemIDs))
	}
	if f.CategoryID != 0 {
		q = q.Where("i.category_id IN (?)", tx.categorySubtree(f.CompanyID, f.CategoryID))
	}
	if s := searchTerm(f.Q); s != "" {
		like := likeEscape(lower(s)) + "%"
		// Both sides lowered: PostgreSQL's LIKE minds case (SKU-001 for "sku").
		q = q.Where("(lower(i.code) LIKE ? ESCAPE '\\' OR lower(i.mnemonic) LIKE ? ESCAPE '\\' OR i.name LIKE ? ESCAPE '\\' OR lower(i.name_en) LIKE ? ESCAPE '\\')",
			like, like, "%"+likeEscape(s)+"%", "%"+likeEscape(lower(s))+"%")
	}
	return q
}

// balanceWhere applies the filters on the balance rows (alias b); zero is
// whether rows with nothing on hand, reserved or valued are kept.
func balanceWhere(q *bun.SelectQuery, f BalanceFilter, zero bool) *bun.SelectQuery {
	// Goods in transit are in no warehouse: the in-transit list shows them.
	q = q.Where("b.company_id = ? AND b.warehouse_id <> ?", f.CompanyID, TransitScope)
	if f.WarehouseID != 0 {
		q = q.Where("b.warehouse_id = ?", f.WarehouseID)
	}
	if f.LocationID != 0 {
		q = q.Where("b.location_id = ?", f.LocationID)
	}
	if f.Warehouses != nil {
		q = q.Where("b.warehouse_id IN (?)", bun.In(scopeIDs(f.Warehouses)))
	}
	if !zero {
		q = q.Where("(b.on_hand <> 0 OR b.reserved <> 0 OR b.value <> 0)")
	}
	return q
}

// itemHasBalance is the subquery "item i has a balance row the filters
// keep". It looks the item's rows up by key (item first): "+" keeps the
// warehouse out of the choice of index, which would cost a second search
// per item (measured: a third of the time on SQLite).
func (tx *Tx) itemHasBalance(f BalanceFilter) *bun.SelectQuery {
	g := f
	g.WarehouseID = 0
	q := balanceWhere(tx.NewSelect().TableExpr("stock_balances AS b").ColumnExpr("1").Where("b.item_id = i.id"), g, f.WithZero)
	if f.WarehouseID != 0 {
		q = q.Where("+b.warehouse_id = ?", f.WarehouseID)
	}
	return q
}

// balancePageByItem pages in item code order. The page's items come from
// the item code index (an item is listed when it has a balance row the
// filters keep); then walkBalances reads their rows and adds them up.
func (tx *Tx) balancePageByItem(ctx context.Context, f BalanceFilter, desc bool) (BalancePage, error) {
	limit, offset := int(f.limit()), int(f.offset())
	codes := func(limit, offset int) ([]string, error) {
		var out []string
		dir := "ASC"
		if desc {
			dir = "DESC"
		}
		err := tx.itemWhere(tx.NewSelect().TableExpr("items AS i").Column("i.code"), f).
			Where("EXISTS (?)", tx.itemHasBalance(f)).
			OrderExpr("i.code "+dir).Limit(int64(limit)).Offset(int64(offset)).Scan(ctx, &out)
		return out, err
	}
	var page BalancePage
	w := itemWalk{desc: desc}
	skip := 0
	if f.GroupBy == "item" {
		// One row per item: the walk itself skips offset items with stock
		// and reads limit+1 (the last says whether more follow).
		w.offset, w.max, w.withStock = offset, limit+1, true
	} else {
		// An item gives one row or more, so the items up to the
		// (offset+limit)th give at least the rows up to the page's end; the
		// next one says whether more follow.
		next, err := codes(1, offset+limit)
		if err != nil {
			return page, err
		}
		if len(next) > 0 {
			w.before, page.More = &next[0], true
		}
		skip = offset
	}
	err := tx.walkBalances(ctx, f, w, func(r StockRow) error {
		switch {
		case skip > 0:
			skip--
		case len(page.Rows) < limit:
			page.Rows = append(page.Rows, r)
		default:
			page.More = true
			return errStop
		}
		return nil
	})
	if err != nil && err != errStop {
		return page, err
	}
	return tx.balanceTotal(ctx, f, page, offset)
}

// errStop ends a walk early.
var errStop = errors.New("stop")

// balanceTotal completes a page with the number of rows: known when the
// page reaches the end, else counted unless the caller spared it.
func (tx *Tx) balanceTotal(ctx context.Context, f BalanceFilter, page BalancePage, offset int) (BalancePage, error) {
	switch {
	case !page.More && (len(page.Rows) > 0 || offset == 0):
		page.Total = offset + len(page.Rows)
	case f.NoCount:
		page.Total = -1
	case f.GroupBy == "item": // the items with a balance row the filters keep
		n, err := tx.itemWhere(tx.NewSelect().TableExpr("items AS i"), f).Where("EXISTS (?)", tx.itemHasBalance(f)).Count(ctx)
		if err != nil {
			return page, err
		}
		page.Total = int(n)
	default:
		q := balanceWhere(tx.NewSelect().TableExpr("stock_balances AS b").ColumnExpr("1"), f, f.WithZero)
		if f.Q != "" || f.CategoryID != 0 || f.ItemID != 0 || len(f.ItemIDs) > 0 { // only item filters need the item
			q = tx.itemWhere(q.Join("JOIN items AS i ON i.id = b.item_id"), f)
		}
		for _, g := range groupColumns(f.GroupBy) {
			q = q.GroupExpr(g)
		}
		n, err := tx.NewSelect().TableExpr("(?) AS x", q).Count(ctx)
		if err != nil {
			return page, err
		}
		page.Total = int(n)
	}
	return page, nil
}

// groupColumns are the balance columns a list groups by.
func groupColumns(by string) []string {
	switch by {
	case "item":
		return []string{"b.item_id"}
	case "warehouse":
		return []string{"b.item_id", "b.warehouse_id"}
	case "batch":
		return []string{"b.item_id", "b.warehouse_id", "b.location_id", "b.batch"}
	}
	return []string{"b.item_id", "b.warehouse_id", "b.location_id"}
}

// itemWalk bounds a walk over the items in code order: from and upto are
// the first and last codes to include, before the first code to leave out
// (nil: unbounded); desc walks down.
type itemWalk struct {
	desc               bool
	from, upto, before *string
	// withStock walks only items with a balance row the filters keep,
	// skipping offset of them and reading at most max (0: all).
	withStock   bool
	offset, max int
}

// walkChunk is how many items walkBalances reads at a time.
const walkChunk = 1000

// walkBalances hands on the rows of the balance list in item code order,
// as many as the walk bounds, each item's groups in (warehouse, location,
// batch) order. It reads a chunk of items at a time (their code, name,
// spec and unit), then the balance rows of those items alone (a few
// narrow columns, found by key), and names warehouses and locations from
// small maps: memory stays the size of a chunk however long the list,
// no connection holds two result sets at once, and the work per balance row
// is small. emit may return errStop to end the walk.
func (tx *Tx) walkBalances(ctx context.Context, f BalanceFilter, w itemWalk, emit func(StockRow) error) error {
	// The comparisons in the walk's direction: at or after, after, at or
	// before, before.
	from, after, upto, before := " >= ", " > ", " <= ", " < "
	dir := "ASC"
	if w.desc {
		from, after, upto, before, dir = " <= ", " < ", " >= ", " > ", "DESC"
	}
	c := &balanceChunk{names: balanceNames{tx: tx}, span: map[int64][2]int{}}
	var last string
	read := 0 // items
	for first := true; ; first = false {
		q := tx.itemWhere(tx.NewSelect().TableExpr("items AS i").Join("JOIN units AS u ON u.id = i.base_unit_id").
			ColumnExpr("i.id, i.code, i.name, i.name_en, i.spec, i.base_unit_id, u.name"), f)
		switch {
		case !first:
			q = q.Where("i.code"+after+"?", last)
		case w.from != nil:
			q = q.Where("i.code"+from+"?", *w.from)
		}
		if w.upto != nil {
			q = q.Where("i.code"+upto+"?", *w.upto)
		}
		if w.before != nil {
			q = q.Where("i.code"+before+"?", *w.before)
		}
		if w.withStock {
			q = q.Where("EXISTS (?)", tx.itemHasBalance(f))
		}
		chunk := walkChunk
		if w.max > 0 {
			chunk = min(chunk, w.max-read)
		}
		if first && w.offset > 0 {
			q = q.Offset(int64(w.offset))
		}
		rows, err := q.OrderExpr("i.code " + dir).Limit(int64(chunk)).Rows(ctx)
		if err != nil {
			return err
		}
		c.items = c.items[:0]
		for rows.Next() {
			var r StockRow
			if err := rows.Scan(&r.ItemID, &r.ItemCode, &r.ItemName, &r.ItemNameEn, &r.Spec, &r.UnitID, &r.UnitName); err != nil {
				rows.Close()
				return err
			}
			c.items = append(c.items, r)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(c.items) == 0 {
			return nil
		}
		if err := tx.chunkBalances(ctx, f, c, emit); err != nil {
			return err
		}
		if read += len(c.items); len(c.items) < chunk || read == w.max {
			return nil
		}
		last = c.items[len(c.items)-1].ItemCode
	}
}

// balanceChunk is what walkBalances holds for one chunk of items, reused
// from chunk to chunk.
type balanceChunk struct {
	items  []StockRow       // in code order: the item fields
	groups []StockRow       // the items' groups, an item's together
	span   map[int64][2]int // item → its groups' [start, end) in groups
	names  balanceNames
}

// chunkBalances reads the balance rows of a chunk of items and emits their
// groups, items in code order.
func (tx *Tx) chunkBalances(ctx context.Context, f BalanceFilter, c *balanceChunk, emit func(StockRow) error) error {
	clear(c.span)
	lo, hi := c.items[0].ItemID, c.items[0].ItemID
	for _, it := range c.items {
		c.span[it.ItemID] = [2]int{}
		lo, hi = min(lo, it.ItemID), max(hi, it.ItemID)
	}
	// Only the columns the grouping needs come back: at 500,000 rows a
	// column costs the driver more than the database's scan of the key.
	q := balanceWhere(tx.NewSelect().TableExpr("stock_balances AS b"), f, f.WithZero).ColumnExpr("b.item_id")
	switch f.GroupBy { // the columns chunkBalances scans, in this order
	case "item":
	case "warehouse":
		q = q.ColumnExpr("b.warehouse_id")
	case "batch":
		q = q.ColumnExpr("b.warehouse_id, b.location_id, b.batch, b.expiry")
	default:
		q = q.ColumnExpr("b.warehouse_id, b.location_id")
	}
	q = q.ColumnExpr("b.on_hand, b.reserved, b.value")
	// Items numbered about in code order (made one after another) sit
	// together in the balance key: a range reads them in one sweep, and the
	// rows of items outside the chunk are passed over below.
	if hi-lo < int64(2*len(c.items)) {
		q = q.Where("b.item_id BETWEEN ? AND ?", lo, hi)
	} else {
		ids := make([]int64, len(c.items))
		for i, it := range c.items {
			ids[i] = it.ItemID
		}
		q = q.Where("b.item_id IN (?)", bun.In(ids))
	}
	rows, err := q.OrderExpr("b.item_id, b.location_id, b.batch").Rows(ctx)
	if err != nil {
		return err
	}
	defer rows.Close()
	c.groups = c.groups[:0]
	var whs, locs []int64 // not named yet
	cur, start := int64(0), 0
	// One set of scan targets for every row (no allocation per row).
	var r StockRow
	var exp sql.NullString
	var on, res, val int64 // int64 scans without a detour through text
	dest := []any{&r.ItemID}
	switch f.GroupBy {
	case "item":
	case "warehouse":
		dest = append(dest, &r.WarehouseID)
	case "batch":
		dest = append(dest, &r.WarehouseID, &r.LocationID, &r.Batch, &exp)
	default:
		dest = append(dest, &r.WarehouseID, &r.LocationID)
	}
	dest = append(dest, &on, &res, &val)
	for rows.Next() {
		r = StockRow{}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		if r.ItemID != cur {
			if _, ok := c.span[r.ItemID]; !ok {
				continue
			}
			if cur != 0 {
				c.span[cur] = [2]int{start, len(c.groups)}
			}
			cur, start = r.ItemID, len(c.groups)
		}
		r.OnHand, r.Reserved, r.Value = domain.Qty(on), domain.Qty(res), domain.Money(val)
		if r.Expiry, err = nullToDate(exp); err != nil {
			return err
		}
		if _, ok := c.names.locations[r.LocationID]; !ok && r.LocationID != 0 {
			locs = append(locs, r.LocationID)
		}
		if _, ok := c.names.warehouses[r.WarehouseID]; !ok && r.WarehouseID != 0 {
			whs = append(whs, r.WarehouseID)
		}
		// Add the row to its group (an item has few).
		i := slices.IndexFunc(c.groups[start:], func(g StockRow) bool {
			return g.WarehouseID == r.WarehouseID && g.LocationID == r.LocationID && g.Batch == r.Batch
		})
		if i < 0 {
			c.groups = append(c.groups, r)
			continue
		}
		g := &c.groups[start+i]
		g.OnHand += r.OnHand
		g.Reserved += r.Reserved
		g.Value += r.Value
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if cur != 0 {
		c.span[cur] = [2]int{start, len(c.groups)}
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := c.names.load(ctx, whs, locs); err != nil {
		return err
	}
	for _, it := range c.items {
		sp := c.span[it.ItemID]
		gs := c.groups[sp[0]:sp[1]]
		slices.SortFunc(gs, func(a, b StockRow) int {
			return cmp.Or(cmp.Compare(a.WarehouseID, b.WarehouseID), cmp.Compare(a.LocationID, b.LocationID), cmp.Compare(a.Batch, b.Batch))
		})
		for _, g := range gs {
			g.ItemCode, g.ItemName, g.ItemNameEn, g.Spec, g.UnitID, g.UnitName = it.ItemCode, it.ItemName, it.ItemNameEn, it.Spec, it.UnitID, it.UnitName
			g.WarehouseName, g.LocationCode = c.names.warehouses[g.WarehouseID], c.names.locations[g.LocationID]
			finishRow(&g)
			if err := emit(g); err != nil {
				return err
			}
		}
	}
	return nil
}

// balanceNames are the names of the warehouses and locations met so far,
// for walkBalances: read once each, and only when met.
type balanceNames struct {
	tx                    *Tx
	warehouses, locations map[int64]string
}

// load reads the names of the warehouses and locations of ids not known
// yet (a location's warehouse with it).
func (n *balanceNames) load(ctx context.Context, whs, locs []int64) error {
	if n.warehouses == nil {
		n.warehouses, n.locations = map[int64]string{}, map[int64]string{}
	}
	unknown := func(ids []int64, m map[int64]string) []int64 {
		var out []int64
		for _, id := range ids {
			if _, ok := m[id]; !ok && id != 0 {
				m[id] = "" // asked once
				out = append(out, id)
			}
		}
		return out
	}
	if locs = unknown(locs, n.locations); len(locs) > 0 {
		rows, err := n.tx.NewSelect().TableExpr("locations AS l").Join("JOIN warehouses AS w ON w.id = l.warehouse_id").
			ColumnExpr("l.id, l.code, w.id, w.name").Where("l.id IN (?)", bun.In(locs)).Rows(ctx)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var lid, wid int64
			var code, name string
			if err := rows.Scan(&lid, &code, &wid, &name); err != nil {
				return err
			}
			n.locations[lid], n.warehouses[wid] = code, name
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	if whs = unknown(whs, n.warehouses); len(whs) > 0 {
		rows, err := n.tx.NewSelect().Table("warehouses").Column("id", "name").Where("id IN (?)", bun.In(whs)).Rows(ctx)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				return err
			}
			n.warehouses[id] = name
		}
		return rows.Err()
	}
	return nil
}

// finishRow fills in what a row derives from its sums.
func finishRow(r *StockRow) {
	r.Available = r.OnHand - r.Reserved
	if r.OnHand > 0 {
		r.UnitCost = r.Value.UnitPrice(r.OnHand)
	}
}

// balanceGrouped adds the rows up in SQL: for a past date (snapshot plus
// ledger rows) or an order other than the item code. The rows are grouped
// first and only the groups meet the items and the names of warehouses
// and locations.
func (tx *Tx) balanceGrouped(ctx context.Context, f BalanceFilter) (*bun.SelectQuery, error) {
	var src any = bun.Safe("stock_balances")
	if f.AsOf != nil {
		var err error
		if src, err = tx.balancesAsOf(ctx, f.CompanyID, *f.AsOf, f.WarehouseID); err != nil {
			return nil, err
		}
	}
	keys := groupColumns(f.GroupBy)
	sums := balanceWhere(tx.NewSelect().TableExpr("? AS b", src), f, f.WithZero || f.AsOf != nil)
	// Named items are picked before grouping (by key), not after.
	if f.ItemID != 0 {
		sums = sums.Where("b.item_id = ?", f.ItemID)
	}
	if len(f.ItemIDs) > 0 {
		sums = sums.Where("b.item_id IN (?)", bun.In(f.ItemIDs))
	}
	sums = sums.
		ColumnExpr(strings.Join(keys, ", ")).
		ColumnExpr("SUM(b.on_hand) AS on_hand, SUM(b.reserved) AS reserved, SUM(b.value) AS value")
	if f.GroupBy == "batch" {
		sums = sums.ColumnExpr("MIN(b.expiry) AS expiry")
	}
	for _, g := range keys {
		sums = sums.GroupExpr(g)
	}
	if f.AsOf != nil && !f.WithZero {
		sums = sums.Having("SUM(b.on_hand) <> 0 OR SUM(b.value) <> 0")
	}
	cols := "s.item_id, i.code, i.name, i.name_en, i.spec, i.base_unit_id, u.name"
	q := tx.NewSelect().TableExpr("(?) AS s", sums).
		Join("JOIN items AS i ON i.id = s.item_id").
		Join("JOIN units AS u ON u.id = i.base_unit_id")
	switch f.GroupBy {
	case "item":
		cols += ", 0, '', 0, '', '', CAST(NULL AS TEXT)"
	case "warehouse":
		cols += ", s.warehouse_id, w.name, 0, '', '', CAST(NULL AS TEXT)"
	case "batch":
		cols += ", s.warehouse_id, w.name, s.location_id, l.code, s.batch, s.expiry"
	default:
		cols += ", s.warehouse_id, w.name, s.location_id, l.code, '', CAST(NULL AS TEXT)"
	}
	if f.GroupBy != "item" {
		q = q.Join("JOIN warehouses AS w ON w.id = s.warehouse_id")
	}
	if f.GroupBy != "item" && f.GroupBy != "warehouse" {
		q = q.Join("JOIN locations AS l ON l.id = s.location_id")
	}
	q = tx.itemWhere(q.ColumnExpr(cols+", s.on_hand, s.reserved, s.value, s.on_hand - s.reserved AS available"), f)
	col, desc, _ := balanceSort(f.Sort)
	dir := " ASC"
	if desc {
		dir = " DESC"
	}
	q = q.OrderExpr(col + dir)
	for _, g := range keys {
		q = q.OrderExpr("s." + strings.TrimPrefix(g, "b."))
	}
	return q, nil
}

// scanGrouped reads the rows of balanceGrouped (with extra columns after
// the sums, scanned into extra) one at a time.
func scanGrouped(ctx context.Context, q *bun.SelectQuery, emit func(StockRow) error, extra ...any) error {
	var exp sql.NullString
	var avail int64
	return eachRow(ctx, q, func(r *StockRow) []any {
		return []any{&r.ItemID, &r.ItemCode, &r.ItemName, &r.ItemNameEn, &r.Spec, &r.UnitID, &r.UnitName, &r.WarehouseID, &r.WarehouseName,
			&r.LocationID, &r.LocationCode, &r.Batch, &exp, &r.OnHand, &r.Reserved, &r.Value, &avail}
	}, func(r *StockRow) (err error) {
		if r.Expiry, err = nullToDate(exp); err == nil {
			finishRow(r)
		}
		return err
	}, emit, extra...)
}

// eachRow scans q's rows one at a time into a T: fields says where each
// column goes (extra columns after them land in extra), finish completes
// the row, emit takes it. Nothing is held beyond the current row.
func eachRow[T any](ctx context.Context, q *bun.SelectQuery, fields func(*T) []any, finish func(*T) error,
	emit func(T) error, extra ...any) error {
	rows, err := q.Rows(ctx)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r T
		if err := rows.Scan(append(fields(&r), extra...)...); err != nil {
			return err
		}
		if err := finish(&r); err != nil {
			return err
		}
		if err := emit(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// balancePageGrouped is a page of balanceGrouped; the number of rows comes
// with the page (a window over the groups), so the grouping — a whole
// ledger's worth for a past date — runs once.
func (tx *Tx) balancePageGrouped(ctx context.Context, f BalanceFilter) (BalancePage, error) {
	var page BalancePage
	q, err := tx.balanceGrouped(ctx, f)
	if err != nil {
		return page, err
	}
	q = q.ColumnExpr("COUNT(*) OVER () AS total_rows")
	var n int64
	collect := func(r StockRow) error { page.Rows = append(page.Rows, r); return nil }
	if err := scanGrouped(ctx, q.Offset(f.offset()).Limit(f.limit()), collect, &n); err != nil {
		return page, err
	}
	if len(page.Rows) == 0 && f.offset() > 0 { // past the end: the first row still carries the number
		if err := scanGrouped(ctx, q.Offset(0).Limit(1), func(StockRow) error { return nil }, &n); err != nil {
			return page, err
		}
	}
	page.Total = int(n)
	page.More = int(f.offset())+len(page.Rows) < page.Total
	return page, nil
}

// StreamBalances hands on every row of the stock balance list the filter
// keeps, in item code order, one at a time as they are read: memory does
// not grow with the list (paging and sort are ignored).
func (tx *Tx) StreamBalances(ctx context.Context, f BalanceFilter, emit func(StockRow) error) error {
	if f.AsOf == nil {
		return pipeline(ctx, func(ctx context.Context, out func(StockRow) error) error {
			return tx.walkBalances(ctx, f, itemWalk{}, out)
		}, emit)
	}
	f.Sort = ""
	q, err := tx.balanceGrouped(ctx, f)
	if err != nil {
		return err
	}
	return scanGrouped(ctx, q, emit)
}

// pipelineBatch is how many rows pipeline hands over at a time.
const pipelineBatch = 256

// pipeline runs produce (the reads) on a goroutine of its own and hands its
// rows to emit (the writing) on this one, a batch at a time with at most
// one batch waiting: while the client's file is written the next rows are
// read, on a second core or while the database works. Memory stays a few
// batches. produce alone uses the transaction; pipeline returns only after
// it has stopped. An error from emit stops produce.
func pipeline(ctx context.Context, produce func(context.Context, func(StockRow) error) error, emit func(StockRow) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []StockRow, 1)
	done := make(chan error, 1)
	go func() {
		defer close(batches)
		batch := make([]StockRow, 0, pipelineBatch)
		send := func() error {
			select {
			case batches <- batch:
				batch = make([]StockRow, 0, pipelineBatch)
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		err := produce(ctx, func(r StockRow) error {
			batch = append(batch, r)
			if len(batch) < pipelineBatch {
				return nil
			}
			return send()
		})
		if err == nil && len(batch) > 0 {
			err = send()
		}
		done <- err
	}()
	var emitErr error
	for batch := range batches {
		for _, r := range batch {
			if emitErr != nil {
				break
			}
			emitErr = emit(r)
		}
		if emitErr != nil {
			cancel() // the producer stops at its next send or query
		}
	}
	if err := <-done; emitErr == nil && err != nil {
		return err
	}
	return emitErr
}

// balancesAsOf is a row source shaped like stock_balances holding the stock
// at the end of day: snapshot rows plus the ledger rows after them.
func (tx *Tx) balancesAsOf(ctx context.Context, companyID int64, day domain.Date, warehouseID int64) (*bun.RawQuery, error) {
	var end sql.NullString
	if err := tx.NewSelect().Model((*closeRow)(nil)).ColumnExpr("MAX(period_end)").
		Where("company_id = ? AND reopened_at IS NULL AND period_end <= ?", companyID, day.String()).Scan(ctx, &end); err != nil {
		return nil, err
	}
	wh := ""
	if warehouseID != 0 {
		wh = " AND l.warehouse_id = ?"
	}
	q := `SELECT g.company_id, g.item_id, g.location_id, g.batch, COALESCE(l.warehouse_id, -1) AS warehouse_id, g.qty AS on_hand, 0 AS reserved, g.value, CAST(NULL AS TEXT) AS expiry
		FROM stock_ledger g JOIN locations l ON l.id = g.location_id
		WHERE g.company_id = ? AND g.doc_date <= ?` + wh
	args := []any{companyID, day.String()}
	if warehouseID != 0 {
		args = append(args, warehouseID)
	}
	if end.Valid {
		q += ` AND g.doc_date > ?
		UNION ALL SELECT company_id, item_id, location_id, batch, warehouse_id, qty, 0, value, CAST(NULL AS TEXT)
		FROM stock_snapshots WHERE company_id = ? AND period_end = ?`
		args = append(args, end.String, companyID, end.String)
		if warehouseID != 0 {
			q += " AND warehouse_id = ?"
			args = append(args, warehouseID)
		}
	}
	return tx.NewRaw("("+q+")", args...), nil
}

// WarehouseTotal is what one warehouse holds.
type WarehouseTotal struct {
	WarehouseID   int64        `json:"warehouse_id"`
	WarehouseCode string       `json:"warehouse_code"`
	WarehouseName string       `json:"warehouse_name"`
	Items         int          `json:"items" doc:"Items with stock (or reserved or value) there"`
	OnHand        domain.Qty   `json:"on_hand" doc:"All items together, each in its base unit"`
	Reserved      domain.Qty   `json:"reserved"`
	Value         domain.Money `json:"value"`
}

// WarehouseTotals adds up the balances of each warehouse (in scope when
// scope is set), in warehouse code order.
func (tx *Tx) WarehouseTotals(ctx context.Context, companyID int64, scope map[int64]bool) ([]WarehouseTotal, error) {
	// Every balance row is read: on SQLite one sweep of the table beats
	// the warehouse index, which would look each row up by its key.
	table := "stock_balances AS b"
	if tx.Dialect() == SQLite {
		table += " NOT INDEXED"
	}
	sums := balanceWhere(tx.NewSelect().TableExpr(table), BalanceFilter{CompanyID: companyID, Warehouses: scope}, false).
		ColumnExpr("b.warehouse_id, COUNT(DISTINCT b.item_id) AS items, SUM(b.on_hand) AS on_hand, SUM(b.reserved) AS reserved, SUM(b.value) AS value").
		GroupExpr("b.warehouse_id")
	q := tx.NewSelect().TableExpr("(?) AS s", sums).Join("JOIN warehouses AS w ON w.id = s.warehouse_id").
		ColumnExpr("s.warehouse_id, w.code, w.name, s.items, s.on_hand, s.reserved, s.value").OrderExpr("w.code")
	rows, err := q.Rows(ctx)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []WarehouseTotal
	for rows.Next() {
		var t WarehouseTotal
		if err := rows.Scan(&t.WarehouseID, &t.WarehouseCode, &t.WarehouseName, &t.Items, &t.OnHand, &t.Reserved, &t.Value); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
