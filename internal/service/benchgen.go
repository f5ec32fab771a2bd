package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// BenchGenConfig sizes a generated company (`jxc bench gen`).
type BenchGenConfig struct {
	Code       string // company code, e.g. BENCH
	Items      int
	Warehouses int
	Ledger     int // ledger rows to write (approximately: a document is never split)
	Days       int // days of history, ending today
	Seed       uint64
	// CostingScope is the company's costing scope ("" = per company).
	CostingScope domain.CostingScope
	// User and Password name the administrator to create when jxc has no
	// user yet, or a new one to add; both empty: a first run makes "bench"
	// with a random password, otherwise existing administrators are used.
	User, Password string
	// NoCloses leaves every month open; by default each month that ends
	// before today is closed with its snapshots, as a company that closes
	// its books monthly would have them (stock at a past date reads them).
	NoCloses bool
	// Progress, when set, is told what happens.
	Progress func(format string, args ...any)
}

// BenchGenResult says what was made.
type BenchGenResult struct {
	Company            domain.Company
	User, Password     string // set when a user was created
	Items, Warehouses  int
	Partners           int
	Documents, Lines   int
	LedgerRows         int
	Closes             int           // month-end closes written
	MasterData, Ledger time.Duration // time spent on each
	Projections        time.Duration
}

// benchDocRows is how many ledger rows one write transaction carries.
const benchDocRows = 20_000

// GenerateBench creates a company of the given size with a history of
// posted documents — opening balances, purchase receipts, sales shipments
// (never below zero) and transfers — fast: master data through the
// service, the documents costed in memory by the same domain.Book every
// posting uses, in date order, and written set-wise through the store's
// bulk paths, one transaction per chunk; the balances and cost states are
// written once at the end from the book, so jxc check holds on the result.
// Nothing else may post to the new company while it runs.
func (s *Service) GenerateBench(ctx context.Context, cfg BenchGenConfig) (BenchGenResult, error) {
	var res BenchGenResult
	say := cfg.Progress
	if say == nil {
		say = func(string, ...any) {}
	}
	if cfg.Code == "" {
		cfg.Code = "BENCH"
	}
	if cfg.Items <= 0 || cfg.Warehouses <= 0 || cfg.Ledger < 0 || cfg.Days <= 0 {
		return res, domain.Errorf(domain.EInvalid, "items, warehouses and days must be positive, ledger not negative")
	}
	rng := mrand.New(mrand.NewPCG(cfg.Seed, cfg.Seed^0x6a7863))
	t0 := time.Now()

	// Company and administrator.
	co, err := s.benchCompany(ctx, cfg, &res)
	if err != nil {
		return res, err
	}
	res.Company = co
	p := System(co.ID)
	pcs, err := s.CreateUnit(ctx, p, domain.Unit{Code: "PCS", Name: "个", NameEn: "piece"})
	if err != nil {
		return res, err
	}
	whs := make([]domain.Warehouse, cfg.Warehouses)
	for i := range whs {
		if whs[i], err = s.CreateWarehouse(ctx, p, domain.Warehouse{Code: fmt.Sprintf("W%02d", i+1), Name: fmt.Sprintf("仓库%02d", i+1),
			NameEn: fmt.Sprintf("Warehouse %02d", i+1)}); err != nil {
			return res, err
		}
	}
	nPartners := min(max(cfg.Items/100, 10), 1000)
	suppliers := make([]int64, 0, nPartners/2)
	customers := make([]int64, 0, nPartners-nPartners/2)
	for i := range nPartners {
		kind, list := domain.PartnerCustomer, &customers
		if i%2 == 0 {
			kind, list = domain.PartnerSupplier, &suppliers
		}
		pt, err := s.CreatePartner(ctx, p, domain.Partner{Code: fmt.Sprintf("P%05d", i+1), Name: fmt.Sprintf("往来单位%05d", i+1), Kind: kind})
		if err != nil {
			return res, err
		}
		*list = append(*list, pt.ID)
	}
	res.Partners = nPartners
	items := make([]domain.Item, cfg.Items)
	for i := range items {
		price := domain.PriceOf(int64(1 + rng.IntN(500)))
		method := domain.CostingMethod("")
		if i%50 == 49 {
			method = domain.CostingFIFO
		}
		items[i] = domain.Item{CompanyID: co.ID, Code: fmt.Sprintf("B%07d", i+1), Name: fmt.Sprintf("压测商品%07d", i+1),
			NameEn: fmt.Sprintf("Bench item %07d", i+1), BaseUnitID: pcs.ID, Tracking: domain.TrackNone, CostingMethod: method,
			PurchasePrice: price, WholesalePrice: price * 13 / 10, RetailPrice: price * 16 / 10,
			Units: []domain.ItemUnit{}, VariantAttrs: []domain.VariantAttr{}}
	}
	for start := 0; start < len(items); start += 10_000 {
		part := items[start:min(start+10_000, len(items))]
		if err := s.db.Update(ctx, func(tx *store.Tx) error { return tx.BulkCreateItems(ctx, part) }); err != nil {
			return res, err
		}
	}
	res.Items, res.Warehouses = len(items), len(whs)
	res.MasterData = time.Since(t0)
	say("master data: %d items, %d warehouses, %d partners in %s", len(items), len(whs), nPartners, res.MasterData.Round(time.Millisecond))

	// The history.
	t1 := time.Now()
	g := &benchGen{s: s, cfg: cfg, co: co, rng: rng, items: items, whs: whs, suppliers: suppliers, customers: customers, unit: pcs.ID,
		book: domain.NewBook(), seqs: map[seqKey]int64{}, say: say, start: t1}
	virt, err := view(ctx, s, func(tx *store.Tx) (map[domain.LocationKind]int64, error) { return tx.VirtualLocations(ctx, co.ID) })
	if err != nil {
		return res, err
	}
	g.virt = virt
	g.index = make(map[int64]int, len(items))
	for i, it := range items {
		g.index[it.ID] = i
	}
	g.warehouse = map[int64]int64{}
	for _, w := range whs {
		g.warehouse[w.RootLocationID] = w.ID
	}
	if err := view0(ctx, s, func(tx *store.Tx) (err error) { g.ids, err = tx.MaxIDs(ctx); return err }); err != nil {
		return res, err
	}
	if err := g.run(ctx); err != nil {
		return res, err
	}
	res.Documents, res.Lines, res.LedgerRows, res.Closes = g.nDocs, g.nLines, g.nRows, g.closes
	res.Ledger = time.Since(t1)

	// The projections, from the book, and the number sequences.
	t2 := time.Now()
	seqs := make([]store.DocSeq, 0, len(g.seqs))
	for k, n := range g.seqs {
		seqs = append(seqs, store.DocSeq{Prefix: k.prefix, Day: k.day, Last: n})
	}
	if err := s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.WriteProjections(ctx, co.ID, g.book, g.warehouse); err != nil {
			return err
		}
		return tx.FinishBulkLoad(ctx, co.ID, seqs)
	}); err != nil {
		return res, err
	}
	if err := s.db.AnalyzeTables(ctx); err != nil {
		return res, err
	}
	res.Projections = time.Since(t2)
	say("projections: %d balance rows, %d cost states in %s", len(g.book.Balances), len(g.book.Costs), res.Projections.Round(time.Millisecond))
	return res, nil
}

func view0(ctx context.Context, s *Service, fn func(tx *store.Tx) error) error {
	return s.db.View(ctx, fn)
}

// benchCompany creates the company and, as asked, its administrator.
func (s *Service) benchCompany(ctx context.Context, cfg BenchGenConfig, res *BenchGenResult) (domain.Company, error) {
	set := domain.DefaultCompanySettings()
	if cfg.CostingScope != "" {
		set.CostingScope = cfg.CostingScope
	}
	name := "压测公司 " + cfg.Code
	first, err := s.SetupNeeded(ctx)
	if err != nil {
		return domain.Company{}, err
	}
	user, pw := cfg.User, cfg.Password
	if (first || user != "") && pw == "" {
		var b [12]byte
		_, _ = rand.Read(b[:])
		pw = "bench-" + hex.EncodeToString(b[:])
	}
	if first {
		if user == "" {
			user = "bench"
		}
		if _, _, err := s.Setup(ctx, SetupInput{Username: user, Password: pw, CompanyCode: cfg.Code, CompanyName: name, Language: "zh-CN"}); err != nil {
			return domain.Company{}, err
		}
		res.User, res.Password = user, pw
		cos, err := s.Companies(ctx, System(0))
		if err != nil {
			return domain.Company{}, err
		}
		for _, c := range cos {
			if c.Code == cfg.Code {
				c.Settings = set
				return s.UpdateCompany(ctx, System(c.ID), c.ID, c)
			}
		}
		return domain.Company{}, fmt.Errorf("company %s not found after setup", cfg.Code)
	}
	co, err := s.CreateCompany(ctx, System(0), domain.Company{Code: cfg.Code, Name: name, Currency: "CNY", Settings: set}, "zh-CN")
	if err != nil {
		return co, err
	}
	if user != "" {
		if _, err := s.CreateUser(ctx, System(co.ID), CreateUserInput{User: domain.User{Username: user, DisplayName: user, IsAdmin: true,
			Active: true, Language: "zh-CN"}, Password: pw}); err != nil {
			return co, fmt.Errorf("user %s: %w", user, err)
		}
		res.User, res.Password = user, pw
	}
	return co, nil
}

type seqKey struct {
	prefix string
	day    domain.Date
}

// benchGen generates the history day by day.
type benchGen struct {
	s                    *Service
	cfg                  BenchGenConfig
	co                   domain.Company
	rng                  *mrand.Rand
	items                []domain.Item
	index                map[int64]int // item id → index in items
	whs                  []domain.Warehouse
	suppliers, customers []int64
	unit                 int64
	virt                 map[domain.LocationKind]int64
	warehouse            map[int64]int64 // location → warehouse
	book                 *domain.Book
	ids                  store.BulkIDs
	seqs                 map[seqKey]int64
	say                  func(string, ...any)
	start                time.Time

	docs                 []domain.Document
	rows                 []store.BulkLedgerRow
	nDocs, nLines, nRows int
	closes               int
	written              int
	lastSay              time.Time
}

func (g *benchGen) scope(wh int64) int64 {
	if g.co.Settings.CostingScope == domain.CostingScopeWarehouse {
		return wh
	}
	return 0
}

func (g *benchGen) method(it *domain.Item) domain.CostingMethod {
	if it.CostingMethod != "" {
		return it.CostingMethod
	}
	return g.co.Settings.CostingMethod
}

func (g *benchGen) run(ctx context.Context) error {
	today := g.s.today()
	first := domain.Date{Time: today.AddDate(0, 0, -(g.cfg.Days - 1))}
	nI, nW := len(g.items), len(g.whs)
	// Opening balances on the first day: up to a fifth of the rows.
	pairs := nI * nW
	open := min(pairs, g.cfg.Ledger/5)
	if open > 0 {
		per := map[int][]int{} // warehouse → items
		for i := range nI {
			for w := range nW {
				if g.rng.IntN(pairs) < open {
					per[w] = append(per[w], i)
				}
			}
		}
		for w := range nW {
			items := per[w]
			for len(items) > 0 {
				n := min(len(items), 200)
				d := g.newDoc(domain.DocStockOpening, first, w)
				for _, i := range items[:n] {
					it := &g.items[i]
					q := domain.QtyOf(int64(20 + g.rng.IntN(200)))
					amt, _ := it.PurchasePrice.Amount(q)
					g.addLine(&d, i, q, it.PurchasePrice, amt)
				}
				items = items[n:]
				if err := g.post(ctx, &d); err != nil {
					return err
				}
			}
		}
	}
	// Then every day about the same number of rows; each month that ends
	// before today is closed as the month-end close would close it.
	for day := 0; day < g.cfg.Days; day++ {
		date := domain.Date{Time: first.AddDate(0, 0, day)}
		if day > 0 && date.Day() == 1 && !g.cfg.NoCloses {
			if err := g.close(ctx, domain.Date{Time: date.AddDate(0, 0, -1)}); err != nil {
				return err
			}
		}
		left := g.cfg.Ledger - g.nRows
		if left <= 0 {
			continue
		}
		target := g.nRows + left/(g.cfg.Days-day)
		for g.nRows < target {
			if err := g.oneDoc(ctx, date); err != nil {
				return err
			}
		}
	}
	return g.flush(ctx)
}

// close records a month-end close at end with the snapshots ClosePeriod
// would take: every balance and cost state of the book as it stands after
// the last document dated on or before end.
func (g *benchGen) close(ctx context.Context, end domain.Date) error {
	bals := make([]domain.Balance, 0, len(g.book.Balances))
	for _, b := range g.book.Balances {
		bals = append(bals, *b)
	}
	slices.SortFunc(bals, func(a, b domain.Balance) int { return a.BalanceKey.Compare(b.BalanceKey) })
	keys := make([]domain.CostKey, 0, len(g.book.Costs))
	for k := range g.book.Costs {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, domain.CostKey.Compare)
	snaps := make([]store.Snapshot, 0, 1+len(keys))
	snaps = append(snaps, store.Snapshot{Balances: bals, Warehouse: g.warehouse})
	for _, k := range keys {
		snaps = append(snaps, store.Snapshot{Cost: g.book.Costs[k]})
	}
	if err := g.s.db.Update(ctx, func(tx *store.Tx) error {
		id, err := tx.WriteClose(ctx, g.co.ID, 0, end, snaps)
		if err != nil {
			return err
		}
		return audit(ctx, tx, System(g.co.ID), "stock_period", id, "close", nil, map[string]string{"period_end": end.String()})
	}); err != nil {
		return fmt.Errorf("close %s: %w", end, err)
	}
	g.closes++
	g.say("closed %s: %d balance and %d cost snapshots", end, len(bals), len(keys))
	return nil
}

// oneDoc posts one random document dated date: a sale (60 %), a purchase
// (25 %) or a transfer (15 %, with two warehouses or more) of 1–9 lines.
func (g *benchGen) oneDoc(ctx context.Context, date domain.Date) error {
	nW := len(g.whs)
	w := g.rng.IntN(nW)
	n := 1 + g.rng.IntN(9)
	if left := g.cfg.Ledger - g.nRows; n > left {
		n = max(left, 1)
	}
	seen := map[int]bool{}
	pick := func() int {
		for {
			i := g.rng.IntN(len(g.items))
			if !seen[i] {
				seen[i] = true
				return i
			}
		}
	}
	root := g.whs[w].RootLocationID
	onHand := func(i int, loc int64) domain.Qty {
		if b := g.book.Balances[domain.BalanceKey{ItemID: g.items[i].ID, LocationID: loc}]; b != nil {
			return b.OnHand - b.Reserved
		}
		return 0
	}
	switch r := g.rng.IntN(100); {
	case r < 60: // sale: only what is there
		d := g.newDoc(domain.DocSalesShipment, date, w)
		d.PartnerID = &g.customers[g.rng.IntN(len(g.customers))]
		for tries := 0; len(d.Lines) < n && tries < 3*n; tries++ {
			i := pick()
			avail := onHand(i, root)
			if avail <= 0 {
				continue
			}
			q := min(domain.QtyOf(int64(1+g.rng.IntN(20))), avail)
			it := &g.items[i]
			amt, _ := it.WholesalePrice.Amount(q)
			g.addLine(&d, i, q, it.WholesalePrice, amt)
		}
		if len(d.Lines) == 0 {
			return g.purchase(ctx, date, w, n, pick)
		}
		return g.post(ctx, &d)
	case r < 85 || nW < 2:
		return g.purchase(ctx, date, w, n, pick)
	default: // transfer
		to := (w + 1 + g.rng.IntN(nW-1)) % nW
		d := g.newDoc(domain.DocStockTransfer, date, w)
		toID := g.whs[to].ID
		d.ToWarehouseID = &toID
		n = max(n/2, 1) // two rows a line
		for tries := 0; len(d.Lines) < n && tries < 3*n; tries++ {
			i := pick()
			avail := onHand(i, root)
			if avail <= 0 {
				continue
			}
			q := min(domain.QtyOf(int64(1+g.rng.IntN(30))), avail)
			g.addLine(&d, i, q, 0, 0)
		}
		if len(d.Lines) == 0 {
			return g.purchase(ctx, date, w, n, pick)
		}
		return g.post(ctx, &d)
	}
}

func (g *benchGen) purchase(ctx context.Context, date domain.Date, w, n int, pick func() int) error {
	d := g.newDoc(domain.DocPurchaseReceipt, date, w)
	d.PartnerID = &g.suppliers[g.rng.IntN(len(g.suppliers))]
	for range n {
		i := pick()
		it := &g.items[i]
		q := domain.QtyOf(int64(10 + g.rng.IntN(100)))
		// ±10 % around the purchase price, so moving averages move.
		price := it.PurchasePrice * domain.Price(90+g.rng.IntN(21)) / 100
		amt, _ := price.Amount(q)
		g.addLine(&d, i, q, price, amt)
	}
	return g.post(ctx, &d)
}

// newDoc starts a posted document, numbered as the service numbers them.
func (g *benchGen) newDoc(t domain.DocType, date domain.Date, w int) domain.Document {
	g.ids.Document++
	prefix := g.co.Settings.Prefix(t)
	k := seqKey{prefix, date}
	g.seqs[k]++
	at := date.Time.Add(9*time.Hour + time.Duration(g.seqs[k])*time.Second)
	return domain.Document{ID: g.ids.Document, CompanyID: g.co.ID, Type: t, Number: domain.DocNumber(prefix, date, g.seqs[k]),
		State: domain.DocPosted, Date: date, WarehouseID: g.whs[w].ID, PostedAt: &at, Version: 1, CreatedAt: at, UpdatedAt: at}
}

func (g *benchGen) addLine(d *domain.Document, i int, q domain.Qty, price domain.Price, amt domain.Money) {
	g.ids.Line++
	d.Lines = append(d.Lines, domain.DocLine{ID: g.ids.Line, LineNo: len(d.Lines) + 1, ItemID: g.items[i].ID, UnitID: g.unit,
		Factor: domain.QtyOf(1), Qty: q, BaseQty: q, Price: price, Amount: amt, Gross: amt})
}

// post costs the document's moves in the book, completes its lines as a
// posting would (issue costs, transfer values) and queues its rows.
func (g *benchGen) post(ctx context.Context, d *domain.Document) error {
	from := g.whs[0].RootLocationID
	for _, w := range g.whs {
		if w.ID == d.WarehouseID {
			from = w.RootLocationID
		}
	}
	to := from
	if d.ToWarehouseID != nil {
		for _, w := range g.whs {
			if w.ID == *d.ToWarehouseID {
				to = w.RootLocationID
			}
		}
	}
	g.book.Legs = g.book.Legs[:0]
	for i := range d.Lines {
		l := &d.Lines[i]
		it := &g.items[g.index[l.ItemID]]
		m := domain.Move{LineID: l.ID, Line: i, ItemID: l.ItemID, ItemCode: it.Code, Method: g.method(it), Qty: l.BaseQty}
		switch d.Type {
		case domain.DocStockOpening:
			m.Kind, m.From, m.To, m.Value = domain.MoveIn, g.virt[domain.LocOpening], from, l.Amount
		case domain.DocPurchaseReceipt:
			m.Kind, m.From, m.To, m.Value = domain.MoveIn, g.virt[domain.LocSupplier], from, l.Amount
		case domain.DocSalesShipment:
			m.Kind, m.From, m.To = domain.MoveOut, from, g.virt[domain.LocCustomer]
		case domain.DocStockTransfer:
			m.Kind, m.From, m.To = domain.MoveTransfer, from, to
		}
		m.FromScope, m.ToScope = g.scope(g.warehouse[m.From]), g.scope(g.warehouse[m.To])
		if err := g.book.Post(m); err != nil {
			return fmt.Errorf("%s line %d: %w", d.Number, i+1, err)
		}
	}
	// What the lines are worth, as a posting records it.
	out := map[int64]domain.Money{}
	for _, l := range g.book.Legs {
		if l.Qty < 0 {
			out[l.LineID] -= l.Value
		}
	}
	for i := range d.Lines {
		l := &d.Lines[i]
		switch d.Type {
		case domain.DocSalesShipment:
			l.Cost = out[l.ID]
		case domain.DocStockTransfer:
			l.Amount, l.Gross = out[l.ID], 0
			l.Price = l.Amount.UnitPrice(l.Qty)
		}
		d.TotalQty += l.BaseQty
		d.TotalAmount += l.Amount
	}
	if d.Type == domain.DocPurchaseReceipt || d.Type == domain.DocSalesShipment {
		d.GrossAmount = d.TotalAmount
	}
	for _, l := range g.book.Legs {
		g.ids.Ledger++
		g.rows = append(g.rows, store.BulkLedgerRow{ID: g.ids.Ledger, PostedAt: *d.PostedAt,
			LedgerEntry: store.LedgerEntry{DocumentID: d.ID, DocType: d.Type, Date: d.Date, Leg: l}})
	}
	g.nDocs++
	g.nLines += len(d.Lines)
	g.nRows += len(g.book.Legs)
	g.docs = append(g.docs, *d)
	if len(g.rows) >= benchDocRows {
		return g.flush(ctx)
	}
	return nil
}

// flush writes the queued documents and rows in one transaction.
func (g *benchGen) flush(ctx context.Context) error {
	if len(g.docs) == 0 {
		return nil
	}
	if err := g.s.db.Update(ctx, func(tx *store.Tx) error { return tx.BulkLoadLedger(ctx, g.docs, g.rows) }); err != nil {
		return err
	}
	g.written += len(g.rows)
	g.docs, g.rows = g.docs[:0], g.rows[:0]
	if time.Since(g.lastSay) >= 2*time.Second || g.written >= g.cfg.Ledger {
		g.lastSay = time.Now()
		el := time.Since(g.start).Seconds()
		g.say("ledger: %d / %d rows, %d documents, %.0f rows/s", g.written, g.cfg.Ledger, g.nDocs, float64(g.written)/max(el, 1e-9))
	}
	return nil
}
