package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/schema"

	"github.com/jxc-erp/jxc/internal/domain"
)

// TransitScope is the warehouse id that stock in transit (two-step
// transfers) is kept under: its balance rows, snapshots and, with costing
// per warehouse, its own costing scope.
const TransitScope = -1

// LocationInfo is what posting needs to know of a location.
type LocationInfo struct {
	ID          int64
	WarehouseID int64 // 0 for virtual locations
	Kind        domain.LocationKind
	Archived    bool
}

// LocationInfos loads the given locations of a company.
func (tx *Tx) LocationInfos(ctx context.Context, companyID int64, ids []int64) (map[int64]LocationInfo, error) {
	var rows []struct {
		ID          int64
		WarehouseID sql.NullInt64
		Kind        domain.LocationKind
		Archived    bool
	}
	out := map[int64]LocationInfo{}
	if len(ids) == 0 {
		return out, nil
	}
	if err := tx.NewSelect().Table("locations").Column("id", "warehouse_id", "kind", "archived").
		Where("company_id = ? AND id IN (?)", companyID, bun.In(ids)).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	for _, r := range rows {
		wh := r.WarehouseID.Int64
		if r.Kind == domain.LocTransit {
			wh = TransitScope
		}
		out[r.ID] = LocationInfo{ID: r.ID, WarehouseID: wh, Kind: r.Kind, Archived: r.Archived}
	}
	return out, nil
}

// Places is what turning a document's lines into moves needs to know of
// its locations.
type Places struct {
	Virtual map[domain.LocationKind]int64 // the company's virtual locations
	Roots   map[int64]int64               // warehouse → its root location
	Locs    map[int64]LocationInfo        // the locations asked for, the virtual ones and the roots
}

// StockPlaces loads, in one statement, the company's virtual locations, the
// root locations of warehouses and the locations ids. A warehouse that does
// not exist is not found.
func (tx *Tx) StockPlaces(ctx context.Context, companyID int64, warehouses, ids []int64) (Places, error) {
	var rows []struct {
		ID          int64
		WarehouseID sql.NullInt64
		Kind        domain.LocationKind
		Archived    bool
	}
	key := ""
	if tx.view {
		key = placesKey(companyID, warehouses, ids)
		if pl, ok := keptMaster(tx, &tx.db.master.places, key); ok {
			return clonePlaces(pl), nil
		}
	}
	pl := Places{Virtual: map[domain.LocationKind]int64{}, Roots: map[int64]int64{}, Locs: map[int64]LocationInfo{}}
	if err := tx.NewSelect().Table("locations").Column("id", "warehouse_id", "kind", "archived").
		Where("company_id = ?", companyID).
		Where("warehouse_id IS NULL OR id IN (?) OR (kind = ? AND warehouse_id IN (?))",
			bun.In(append([]int64{0}, ids...)), domain.LocWarehouse, bun.In(warehouses)).Scan(ctx, &rows); err != nil {
		return pl, err
	}
	for _, r := range rows {
		wh := r.WarehouseID.Int64
		switch {
		case !r.WarehouseID.Valid:
			pl.Virtual[r.Kind] = r.ID
		case r.Kind == domain.LocWarehouse && slices.Contains(warehouses, wh):
			pl.Roots[wh] = r.ID
		}
		if r.Kind == domain.LocTransit {
			wh = TransitScope
		}
		pl.Locs[r.ID] = LocationInfo{ID: r.ID, WarehouseID: wh, Kind: r.Kind, Archived: r.Archived}
	}
	for _, w := range warehouses {
		if _, ok := pl.Roots[w]; !ok {
			return pl, notFound(sql.ErrNoRows, "warehouse", w)
		}
	}
	if tx.view {
		keepMaster(tx, &tx.db.master.places, key, clonePlaces(pl))
	}
	return pl, nil
}

// VirtualLocations maps each virtual location kind of the company to its id.
func (tx *Tx) VirtualLocations(ctx context.Context, companyID int64) (map[domain.LocationKind]int64, error) {
	var rows []struct {
		ID   int64
		Kind domain.LocationKind
	}
	if err := tx.NewSelect().Table("locations").Column("id", "kind").
		Where("company_id = ? AND warehouse_id IS NULL", companyID).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	out := make(map[domain.LocationKind]int64, len(rows))
	for _, r := range rows {
		out[r.Kind] = r.ID
	}
	return out, nil
}

type balanceRow struct {
	bun.BaseModel `bun:"table:stock_balances,alias:b"`
	CompanyID     int64
	ItemID        int64
	LocationID    int64
	Batch         string
	WarehouseID   int64
	OnHand        domain.Qty
	Reserved      domain.Qty
	Value         domain.Money
	Expiry        sql.NullString
	UpdatedAt     time.Time
}

type costRow struct {
	bun.BaseModel `bun:"table:stock_costs,alias:c"`
	CompanyID     int64
	ItemID        int64
	ScopeID       int64
	Method        domain.CostingMethod
	Qty           domain.Qty
	Value         domain.Money
	LastCost      domain.Price
	Layers        string
	UpdatedAt     time.Time
}

func (r *costRow) cost() (*domain.Cost, error) {
	c := &domain.Cost{CostKey: domain.CostKey{ItemID: r.ItemID, ScopeID: r.ScopeID}, LastCost: r.LastCost,
		CostState: domain.CostState{Method: r.Method, Qty: r.Qty, Value: r.Value}}
	if r.Layers != "" && r.Layers != "[]" {
		if err := json.Unmarshal([]byte(r.Layers), &c.Layers); err != nil {
			return nil, fmt.Errorf("stock_costs %d/%d layers: %w", r.ItemID, r.ScopeID, err)
		}
	}
	return c, nil
}

func layersJSON(l []domain.CostLayer) string {
	if len(l) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(l)
	return string(b)
}

// StockLock says which rows a posting changes.
type StockLock struct {
	CompanyID int64
	Balances  []domain.BalanceKey // sorted (domain.Keys)
	Costs     []domain.CostKey    // sorted
	Methods   map[int64]domain.CostingMethod
	Warehouse map[int64]int64 // location → warehouse, for new balance rows
}

// LockStock creates the missing balance and cost rows, locks them all —
// cost rows first, then balance rows, each in key order, the one order every
// posting uses, so postings over overlapping items queue instead of
// deadlocking — and loads them into a Book. Rows created here are locked
// after the existing ones of their set; two postings that both create rows
// of the same items can then deadlock, which PostgreSQL detects and
// DB.Update retries (TestStockConcurrentOverlapping transfers into a
// warehouse that has no rows yet). On SQLite the single writer
// already excludes other postings.
func (tx *Tx) LockStock(ctx context.Context, l StockLock) (*domain.Book, error) {
	ctx = keepDocuments(ctx) // stock rows only: a new document held to be inserted may wait (pgcache.go)
	// Each row set is locked as it stands first (nearly every posting finds
	// all its rows); only keys not there yet are inserted and then locked:
	// two statements less than ensuring every row before locking it.
	lockCosts := func(keys []domain.CostKey) ([]costRow, error) { return tx.lockCostRows(ctx, l.CompanyID, keys) }
	lockBalances := func(keys []domain.BalanceKey) ([]balanceRow, error) {
		return tx.lockBalanceRows(ctx, l.CompanyID, keys)
	}
	if err := tx.genericPlans(ctx); err != nil {
		return nil, err
	}
	if len(l.Costs) > 0 && len(l.Balances) > 0 {
		// Both locks in one round trip on PostgreSQL, costs first as ever.
		// When a cost row is missing, it is created and locked after the
		// balance rows: that order can deadlock with another posting
		// creating it too, which PostgreSQL detects and Update retries, as
		// for any created row (above).
		tx.ahead(ctx, func() {
			_, _ = lockCosts(l.Costs)
			_, _ = lockBalances(l.Balances)
		})
	}
	b := domain.NewBook()
	if len(l.Costs) > 0 {
		got, err := lockOrCreate(l.Costs, func(r costRow) domain.CostKey { return domain.CostKey{ItemID: r.ItemID, ScopeID: r.ScopeID} },
			lockCosts,
			func(keys []domain.CostKey) error {
				rows := make([]costRow, len(keys))
				for i, k := range keys {
					rows[i] = costRow{CompanyID: l.CompanyID, ItemID: k.ItemID, ScopeID: k.ScopeID, Method: l.Methods[k.ItemID], Layers: "[]", UpdatedAt: tx.Now}
				}
				_, err := tx.NewInsert().Model(&rows).On("CONFLICT (company_id, item_id, scope_id) DO NOTHING").Exec(ctx)
				return err
			})
		if err != nil {
			return nil, err
		}
		for i := range got {
			c, err := got[i].cost()
			if err != nil {
				return nil, err
			}
			b.Costs[c.CostKey] = c
		}
	}
	if len(l.Balances) > 0 {
		got, err := lockOrCreate(l.Balances, func(r balanceRow) domain.BalanceKey {
			return domain.BalanceKey{ItemID: r.ItemID, LocationID: r.LocationID, Batch: r.Batch}
		},
			lockBalances,
			func(keys []domain.BalanceKey) error {
				rows := make([]balanceRow, len(keys))
				for i, k := range keys {
					rows[i] = balanceRow{CompanyID: l.CompanyID, ItemID: k.ItemID, LocationID: k.LocationID, Batch: k.Batch,
						WarehouseID: l.Warehouse[k.LocationID], UpdatedAt: tx.Now}
				}
				_, err := tx.NewInsert().Model(&rows).On("CONFLICT (company_id, item_id, location_id, batch) DO NOTHING").Exec(ctx)
				return err
			})
		if err != nil {
			return nil, err
		}
		for _, r := range got {
			exp, err := nullToDate(r.Expiry)
			if err != nil {
				return nil, err
			}
			k := domain.BalanceKey{ItemID: r.ItemID, LocationID: r.LocationID, Batch: r.Batch}
			b.Balances[k] = &domain.Balance{BalanceKey: k, OnHand: r.OnHand, Reserved: r.Reserved, Value: r.Value, Expiry: exp}
		}
	}
	return b, nil
}

// lockOrCreate locks the rows of keys (lock, in key order), creates those
// not there yet (create) and locks them too: LockStock's two row sets.
func lockOrCreate[K comparable, R any](keys []K, key func(R) K, lock func([]K) ([]R, error), create func([]K) error) ([]R, error) {
	got, err := lock(keys)
	if err != nil || len(got) == len(keys) {
		return got, err
	}
	have := make(map[K]bool, len(got))
	for _, r := range got {
		have[key(r)] = true
	}
	var missing []K
	for _, k := range keys {
		if !have[k] {
			missing = append(missing, k)
		}
	}
	if err := create(missing); err != nil {
		return nil, err
	}
	more, err := lock(missing)
	return append(got, more...), err
}

// tuples is a list of row values for `(a, b) IN (VALUES ?)`: SQLite takes
// a row-value IN only against a subquery, which VALUES is.
//
// PostgreSQL gets LockStock's keys as one array per column instead:
// VALUES' literals stay in the text (their types come from the literals,
// not the columns), so every set of keys was a new statement to parse,
// prepare (on pgx's side a round trip of its own) and plan. The arrays
// make one text for any set, prepared once and planned generically; each
// key then locks its row through a LATERAL subquery, a primary-key probe
// in the keys' (sorted) order. A semi-join on the arrays planned
// generically as a hash join over a sequential scan of the whole table —
// on the demo's small tables, bloated by the orders' updates of reserved,
// 20 ms a receipt; a locking subquery is never flattened into a join.
// (SQLite's single writer does not lock rows.)
func tuples(n int, row func(i int) []any) any {
	out := make([][]any, n)
	for i := range out {
		out[i] = row(i)
	}
	return bun.In(out)
}

// LedgerEntry is what a posting appends to the ledger for one leg.
type LedgerEntry struct {
	DocumentID int64
	DocType    domain.DocType
	Date       domain.Date
	domain.Leg
}

type ledgerRow struct {
	bun.BaseModel `bun:"table:stock_ledger,alias:g"`
	ID            int64 `bun:",pk"`
	CompanyID     int64
	DocumentID    int64
	LineID        int64
	DocType       domain.DocType
	DocDate       string
	Kind          domain.LegKind
	Move          domain.MoveKind
	ItemID        int64
	LocationID    int64
	Batch         string
	CounterID     int64
	Qty           domain.Qty
	Value         domain.Money
	AdjustsLineID *int64
	PostedAt      time.Time
}

// WriteBook appends the ledger rows and writes back the changed balances
// and costs, set-wise: the number of statements does not grow with lines.
func (tx *Tx) WriteBook(ctx context.Context, companyID int64, b *domain.Book, entries []LedgerEntry, warehouse map[int64]int64) error {
	var qs []sqlAppender
	// On SQLite each set goes at once, its values bound where they are few
	// enough (boundinsert.go); on PostgreSQL all three in one pipeline.
	write := func(rows any, q *bun.InsertQuery, exclude, conflict, set string) error {
		if tx.Dialect() == Postgres {
			if conflict != "" {
				q = q.On(conflict).Set(set)
			}
			qs = append(qs, q)
			return nil
		}
		tail := ""
		if conflict != "" {
			tail = "ON " + conflict + " SET " + set
		}
		if text, args, ok := tx.db.boundInsert(rows, exclude, tail); ok {
			return tx.execBound(ctx, text, args)
		}
		if conflict != "" {
			q = q.On(conflict).Set(set)
		}
		return tx.execAll(ctx, q)
	}
	if len(entries) > 0 {
		rows := make([]ledgerRow, len(entries))
		for i, e := range entries {
			rows[i] = ledgerRow{
				CompanyID: companyID, DocumentID: e.DocumentID, LineID: e.LineID, DocType: e.DocType, DocDate: e.Date.String(),
				Kind: e.Kind, Move: e.Move, ItemID: e.ItemID, LocationID: e.LocationID, Batch: e.Batch, CounterID: e.Counter,
				Qty: e.Qty, Value: e.Value, AdjustsLineID: idOrNil(e.AdjustsLineID), PostedAt: tx.Now,
			}
		}
		if err := write(rows, tx.NewInsert().Model(&rows).ExcludeColumn("id"), "id", "", ""); err != nil {
			return err
		}
	}
	if len(b.ChangedBalances) > 0 {
		rows := make([]balanceRow, 0, len(b.ChangedBalances))
		for k := range b.ChangedBalances {
			r := b.Balances[k]
			rows = append(rows, balanceRow{CompanyID: companyID, ItemID: k.ItemID, LocationID: k.LocationID, Batch: k.Batch,
				WarehouseID: warehouse[k.LocationID], OnHand: r.OnHand, Reserved: r.Reserved, Value: r.Value,
				Expiry: dateToNull(r.Expiry), UpdatedAt: tx.Now})
		}
		if err := write(rows, tx.NewInsert().Model(&rows), "", "CONFLICT (company_id, item_id, location_id, batch) DO UPDATE",
			"on_hand = EXCLUDED.on_hand, reserved = EXCLUDED.reserved, value = EXCLUDED.value, expiry = EXCLUDED.expiry, updated_at = EXCLUDED.updated_at"); err != nil {
			return err
		}
	}
	if len(b.ChangedCosts) > 0 {
		rows := make([]costRow, 0, len(b.ChangedCosts))
		for k := range b.ChangedCosts {
			c := b.Costs[k]
			rows = append(rows, costRow{CompanyID: companyID, ItemID: k.ItemID, ScopeID: k.ScopeID, Method: c.Method,
				Qty: c.Qty, Value: c.Value, LastCost: c.LastCost, Layers: layersJSON(c.Layers), UpdatedAt: tx.Now})
		}
		if err := write(rows, tx.NewInsert().Model(&rows), "", "CONFLICT (company_id, item_id, scope_id) DO UPDATE",
			"method = EXCLUDED.method, qty = EXCLUDED.qty, value = EXCLUDED.value, last_cost = EXCLUDED.last_cost, layers = EXCLUDED.layers, updated_at = EXCLUDED.updated_at"); err != nil {
			return err
		}
	}
	if len(qs) == 0 {
		return nil
	}
	return tx.execAll(ctx, qs...)
}

// sqlAppender is a built query that can be written out as SQL.
type sqlAppender interface {
	AppendQuery(gen schema.QueryGen, b []byte) ([]byte, error)
}

// execAll runs writes whose results nobody reads. On PostgreSQL they go in
// one pipeline (pgcache.go), held for the next write or the COMMIT, and
// inside the transaction they run as its part, in order, the first error
// ending them all. On SQLite, where a statement costs no round trip, one by
// one.
func (tx *Tx) execAll(ctx context.Context, qs ...sqlAppender) error {
	gen := tx.db.w.QueryGen()
	var sql []byte
	for _, q := range qs {
		var err error
		start := len(sql)
		if sql, err = q.AppendQuery(gen, sql); err != nil {
			return err
		}
		if tx.Dialect() != Postgres {
			if _, err := tx.ExecContext(ctx, string(sql[start:])); err != nil {
				return err
			}
			sql = sql[:0]
			continue
		}
		sql = append(sql, ";\n"...)
	}
	if len(sql) == 0 {
		return nil
	}
	_, err := tx.ExecContext(laterWrites(ctx), string(sql))
	return err
}

// LineValues sums the ledger value of each line of a document (its moves
// and every later correction of them): what the line is worth now.
func (tx *Tx) LineValues(ctx context.Context, documentID int64) (map[int64]domain.Money, error) {
	var rows []struct {
		LineID int64
		Value  int64
	}
	// The document's own rows by its index, the corrections of its lines
	// posted by other documents by theirs (stock_ledger_adjusts); as one
	// condition joined by OR, both engines read the whole ledger.
	if err := tx.NewRaw(`SELECT CASE WHEN kind = 'move' THEN line_id ELSE adjusts_line_id END AS line_id, SUM(value) AS value FROM stock_ledger
		WHERE document_id = ? GROUP BY CASE WHEN kind = 'move' THEN line_id ELSE adjusts_line_id END
		UNION ALL
		SELECT adjusts_line_id AS line_id, SUM(value) AS value FROM stock_ledger
		WHERE adjusts_line_id IN (SELECT id FROM document_lines WHERE document_id = ?) AND kind <> 'move' AND document_id <> ?
		GROUP BY adjusts_line_id`, documentID, documentID, documentID).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	out := make(map[int64]domain.Money, len(rows))
	for _, r := range rows {
		out[r.LineID] += domain.Money(r.Value)
	}
	return out, nil
}

// ItemWarehouse is an item in a warehouse.
type ItemWarehouse struct {
	ItemID      int64
	WarehouseID int64
}

// guardRows are PostingGuard's read: the first row carries the lock date
// (item 0: no item has that id); the others are the later moves.
type guardRows []struct {
	Lock        sql.NullString
	ItemID      int64
	WarehouseID int64
}

// guardRead is PostingGuard's one statement.
func (tx *Tx) guardRead(ctx context.Context, companyID int64, items []int64, day domain.Date) (guardRows, error) {
	var rows guardRows
	// The later moves are found by a seek on (item, date) per item. Left to
	// itself SQLite read every row of each item through the covering
	// (item, location, date) index instead: a posting's cost grew with the
	// items' history (a receipt of 10 busy items: 1 ms per 1,500 rows each).
	ledger := "stock_ledger g"
	if tx.Dialect() == SQLite {
		ledger += " INDEXED BY stock_ledger_item_date"
	}
	err := tx.NewRaw(`SELECT (SELECT MAX(period_end) FROM stock_closes WHERE company_id = ? AND reopened_at IS NULL) AS lock, 0 AS item_id, 0 AS warehouse_id
		UNION ALL SELECT * FROM (SELECT DISTINCT NULL AS lock, g.item_id, COALESCE(l.warehouse_id, ?) AS warehouse_id
			FROM `+ledger+` JOIN locations l ON l.id = g.location_id
			WHERE g.company_id = ? AND g.item_id IN (?) AND g.doc_date > ?) AS later`,
		companyID, TransitScope, companyID, bun.In(items), day.String()).Scan(ctx, &rows)
	return rows, err
}

// PostingAhead sends, on PostgreSQL, what a posting dated day over items
// asks first in one round trip: with the writes held so far, the period
// lock (shared), PostingGuard's read and LockStock's two row locks for l —
// the guard's answer does not change what is locked, except when items
// moved after day and the posting re-costs them, which locks more (and
// LockStock then locks the rest). PostingGuard and LockStock that follow
// take their rows from it. On SQLite it does nothing.
func (tx *Tx) PostingAhead(ctx context.Context, companyID int64, items []int64, day domain.Date, l StockLock) error {
	if tx.conn == nil || tx.Dialect() != Postgres || len(items) == 0 {
		return nil
	}
	if err := tx.periodLock(ctx, companyID, false); err != nil {
		return err
	}
	if err := tx.genericPlans(ctx); err != nil {
		return err
	}
	tx.ahead(keepDocuments(ctx), func() {
		_, _ = tx.guardRead(ctx, companyID, items, day)
		if len(l.Costs) > 0 {
			_, _ = tx.lockCostRows(ctx, l.CompanyID, l.Costs)
		}
		if len(l.Balances) > 0 {
			_, _ = tx.lockBalanceRows(ctx, l.CompanyID, l.Balances)
		}
	})
	return nil
}

// PostingGuard is what a posting dated day asks before it locks stock: it
// takes the period guard (PeriodGuard, shared), then reads in one statement
// the lock date and, for the given items, the warehouses where the item has
// ledger rows dated after day: the scopes the posting must re-cost.
func (tx *Tx) PostingGuard(ctx context.Context, companyID int64, items []int64, day domain.Date) (*domain.Date, []ItemWarehouse, error) {
	if len(items) == 0 {
		lock, err := tx.PeriodGuard(ctx, companyID, false)
		return lock, nil, err
	}
	if err := tx.periodLock(ctx, companyID, false); err != nil {
		return nil, nil, err
	}
	rows, err := tx.guardRead(ctx, companyID, items, day)
	if err != nil {
		return nil, nil, err
	}
	var lock *domain.Date
	var later []ItemWarehouse
	for _, r := range rows {
		if r.ItemID == 0 {
			d, err := nullToDate(r.Lock)
			if err != nil {
				return nil, nil, err
			}
			lock = d
			continue
		}
		later = append(later, ItemWarehouse{ItemID: r.ItemID, WarehouseID: r.WarehouseID})
	}
	return lock, later, nil
}

// CarryEdge says that a change of value of an item leaving one warehouse
// (transit counts as one) moves to an item arriving in another: the two
// sides of a transfer, an assembly's components and its product, a
// disassembled product and its components.
type CarryEdge struct {
	FromItem int64
	FromWh   int64
	ToItem   int64
	ToWh     int64
}

// CarryEdgesSince lists the carry edges of documents dated after `after`
// (from the start when nil) whose outgoing side is one of the given items:
// where a re-costed outgoing side must carry its change. (The document types filter the
// outgoing rows before the join: issues, the bulk of a ledger, never reach
// it.)
func (tx *Tx) CarryEdgesSince(ctx context.Context, companyID int64, items []int64, after *domain.Date) ([]CarryEdge, error) {
	var out []CarryEdge
	if len(items) == 0 {
		return nil, nil
	}
	err := tx.NewRaw(`SELECT DISTINCT o.item_id AS from_item, COALESCE(lo.warehouse_id, ?) AS from_wh, i.item_id AS to_item, COALESCE(li.warehouse_id, ?) AS to_wh
		FROM stock_ledger o JOIN stock_ledger i ON i.document_id = o.document_id AND i.kind = ? AND i.qty > 0
		JOIN locations lo ON lo.id = o.location_id JOIN locations li ON li.id = i.location_id
		WHERE o.company_id = ? AND o.item_id IN (?) AND o.doc_date > ? AND o.kind = ? AND o.qty < 0 AND o.doc_type IN (?, ?, ?)
		  AND (o.doc_type <> ? OR i.line_id = o.line_id)`,
		TransitScope, TransitScope, domain.LegMove, companyID, bun.In(items), dateOr(after, ""), domain.LegMove,
		domain.DocAssembly, domain.DocDisassembly, domain.DocStockTransfer, domain.DocStockTransfer).Scan(ctx, &out)
	return out, err
}

// InLegs returns the incoming move legs (qty > 0) of the given documents,
// each valued at what it is worth now: its move and the corrections of it
// since (so that a carry split by value never takes a leg below zero).
func (tx *Tx) InLegs(ctx context.Context, docIDs []int64) ([]domain.LedgerMove, error) {
	if len(docIDs) == 0 {
		return nil, nil
	}
	var rows []ledgerRow
	if err := tx.NewSelect().Model(&rows).Where("g.document_id IN (?) AND g.kind = ? AND g.qty > 0", bun.In(docIDs), domain.LegMove).
		OrderExpr("g.id").Scan(ctx); err != nil {
		return nil, err
	}
	moves, err := ledgerMoves(rows)
	if err != nil || len(moves) == 0 {
		return moves, err
	}
	lines := make([]int64, len(moves))
	for i, m := range moves {
		lines[i] = m.LineID
	}
	var fixes []struct {
		AdjustsLineID int64
		LocationID    int64
		Batch         string
		Value         int64
	}
	if err := tx.NewRaw(`SELECT adjusts_line_id, location_id, batch, SUM(value) AS value FROM stock_ledger
		WHERE kind <> ? AND adjusts_line_id IN (?) GROUP BY adjusts_line_id, location_id, batch`,
		domain.LegMove, bun.In(lines)).Scan(ctx, &fixes); err != nil {
		return nil, err
	}
	for _, f := range fixes {
		for i := range moves {
			if moves[i].LineID == f.AdjustsLineID && moves[i].LocationID == f.LocationID && moves[i].Batch == f.Batch {
				moves[i].Value += domain.Money(f.Value)
			}
		}
	}
	return moves, nil
}

// BalanceKeysOf lists the balance rows of an item, in one warehouse or
// (warehouseID 0) in all.
func (tx *Tx) BalanceKeysOf(ctx context.Context, companyID, itemID, warehouseID int64) ([]domain.BalanceKey, map[int64]int64, error) {
	var rows []struct {
		LocationID  int64
		Batch       string
		WarehouseID int64
	}
	q := tx.NewSelect().Table("stock_balances").Column("location_id", "batch", "warehouse_id").
		Where("company_id = ? AND item_id = ?", companyID, itemID)
	if warehouseID != 0 {
		q = q.Where("warehouse_id = ?", warehouseID)
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, nil, err
	}
	keys := make([]domain.BalanceKey, len(rows))
	wh := make(map[int64]int64, len(rows))
	for i, r := range rows {
		keys[i] = domain.BalanceKey{ItemID: itemID, LocationID: r.LocationID, Batch: r.Batch}
		wh[r.LocationID] = r.WarehouseID
	}
	return keys, wh, nil
}

// ScopeRows loads every ledger row of an item dated after `after` (from
// the start when nil) and up to `upto` (to the end when nil) at the
// locations of one warehouse, or of all warehouses when warehouseID is 0,
// for a replay.
func (tx *Tx) ScopeRows(ctx context.Context, companyID, itemID, warehouseID int64, after, upto *domain.Date) ([]domain.LedgerMove, error) {
	var rows []ledgerRow
	q := tx.NewSelect().Model(&rows).Where("g.company_id = ? AND g.item_id = ?", companyID, itemID)
	q = scopeWhere(q, "g.location_id", companyID, warehouseID)
	if after != nil {
		q = q.Where("g.doc_date > ?", after.String())
	}
	if upto != nil {
		q = q.Where("g.doc_date <= ?", upto.String())
	}
	if err := q.OrderExpr("g.doc_date, g.id").Scan(ctx); err != nil {
		return nil, err
	}
	return ledgerMoves(rows)
}

func ledgerMoves(rows []ledgerRow) ([]domain.LedgerMove, error) {
	out := make([]domain.LedgerMove, len(rows))
	for i, r := range rows {
		day, err := domain.ParseDate(r.DocDate)
		if err != nil {
			return nil, err
		}
		out[i] = domain.LedgerMove{ID: r.ID, Date: day, DocumentID: r.DocumentID, DocType: r.DocType, LineID: r.LineID, Kind: r.Kind, Move: r.Move,
			BalanceKey: domain.BalanceKey{ItemID: r.ItemID, LocationID: r.LocationID, Batch: r.Batch}, Counter: r.CounterID,
			Qty: r.Qty, Value: r.Value, Adjusts: deref(r.AdjustsLineID)}
	}
	return out, nil
}

// dateOr is d as stored, or def when d is nil.
func dateOr(d *domain.Date, def string) string {
	if d == nil {
		return def
	}
	return d.String()
}

// What a posting's book does not read of the rows it locks: the time of
// the last change above all, which the SQLite driver parses into a
// time.Time for every row (a sixth of LockWarehouseStock's time in the
// single writer).
var (
	balanceUnread = []string{"company_id", "warehouse_id", "updated_at"}
	costUnread    = []string{"company_id", "updated_at"}
)

// lockCostRows locks the cost rows of keys that exist, in key order.
func (tx *Tx) lockCostRows(ctx context.Context, companyID int64, keys []domain.CostKey) ([]costRow, error) {
	var got []costRow
	if tx.Dialect() == Postgres {
		items, scopes := make([]int64, len(keys)), make([]int64, len(keys))
		for i, k := range keys {
			items[i], scopes[i] = k.ItemID, k.ScopeID
		}
		return got, tx.NewSelect().Model(&got).ExcludeColumn(costUnread...).ModelTableExpr(`unnest(CAST(? AS BIGINT[]), CAST(? AS BIGINT[])) AS k(item_id, scope_id)
				CROSS JOIN LATERAL (SELECT * FROM stock_costs AS c WHERE c.company_id = ? AND c.item_id = k.item_id AND c.scope_id = k.scope_id
				FOR UPDATE) AS c`, pgdialect.Array(items), pgdialect.Array(scopes), companyID).
			OrderExpr("c.item_id, c.scope_id").Scan(ctx)
	}
	return got, tx.NewSelect().Model(&got).ExcludeColumn(costUnread...).Where("c.company_id = ?", companyID).
		Where("(c.item_id, c.scope_id) IN (VALUES ?)", tuples(len(keys), func(i int) []any { return []any{keys[i].ItemID, keys[i].ScopeID} })).
		OrderExpr("c.item_id, c.scope_id").Scan(ctx)
}

// lockBalanceRows locks the balance rows of keys that exist, in key order.
func (tx *Tx) lockBalanceRows(ctx context.Context, companyID int64, keys []domain.BalanceKey) ([]balanceRow, error) {
	var got []balanceRow
	if tx.Dialect() == Postgres {
		items, locs, batches := make([]int64, len(keys)), make([]int64, len(keys)), make([]string, len(keys))
		for i, k := range keys {
			items[i], locs[i], batches[i] = k.ItemID, k.LocationID, k.Batch
		}
		return got, tx.NewSelect().Model(&got).ExcludeColumn(balanceUnread...).ModelTableExpr(`unnest(CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[])) AS k(item_id, location_id, batch)
				CROSS JOIN LATERAL (SELECT * FROM stock_balances AS b WHERE b.company_id = ? AND b.item_id = k.item_id
				AND b.location_id = k.location_id AND b.batch = k.batch FOR UPDATE) AS b`,
			pgdialect.Array(items), pgdialect.Array(locs), pgdialect.Array(batches), companyID).
			OrderExpr("b.item_id, b.location_id, b.batch").Scan(ctx)
	}
	return got, tx.NewSelect().Model(&got).ExcludeColumn(balanceUnread...).Where("b.company_id = ?", companyID).
		Where("(b.item_id, b.location_id, b.batch) IN (VALUES ?)", tuples(len(keys), func(i int) []any {
			return []any{keys[i].ItemID, keys[i].LocationID, keys[i].Batch}
		})).
		OrderExpr("b.item_id, b.location_id, b.batch").Scan(ctx)
}

// genericPlans has the rest of a posting's transaction run its prepared
// statements (pgcache.go) on generic plans, on PostgreSQL: SET LOCAL
// plan_cache_mode, held for the next statement, once per transaction.
// Left to choose, PostgreSQL planned the row locks above afresh on every
// posting: each reads unnest of parameter arrays, whose generic estimate is
// 100 rows where a posting locks ten, so the generic plan looked dearer than
// the custom ones it kept making — about 0.15 ms of its CPU per receipt
// (pg_stat_statements; docs/PERFORMANCE.md, "Tenth round"). A posting's
// statements are keyed reads and writes whose plan does not depend on the
// values. Only the posting's transaction is told: a report keeps PostgreSQL's
// choice, which a generic plan made worse (the first page of the balance
// list, 3 ms against 31 on a million-row ledger).
func (tx *Tx) genericPlans(ctx context.Context) error {
	if tx.Dialect() != Postgres || tx.generic {
		return nil
	}
	tx.generic = true
	_, err := tx.ExecContext(laterAside(ctx), "SET LOCAL plan_cache_mode = force_generic_plan")
	return err
}

// HasStockMoves reports whether the company has any row in its stock
// ledger.
func (tx *Tx) HasStockMoves(ctx context.Context, companyID int64) (bool, error) {
	var n int
	err := tx.NewRaw("SELECT COUNT(*) FROM (SELECT 1 FROM stock_ledger WHERE company_id = ? LIMIT 1) AS m", companyID).Scan(ctx, &n)
	return n > 0, err
}
