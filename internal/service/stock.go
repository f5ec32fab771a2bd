package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// DocFilter is the document list query.
type DocFilter = store.DocFilter

// StockDocs lists warehouse documents in the caller's warehouses.
func (s *Service) StockDocs(ctx context.Context, p *domain.Principal, f DocFilter) ([]domain.Document, int, error) {
	f.CompanyID = p.CompanyID
	if len(f.Types) == 0 {
		f.Types = domain.StockDocTypes
	}
	for _, t := range f.Types {
		if !slices.Contains(domain.StockDocTypes, t) {
			return nil, 0, domain.FieldErr("type", "one_of")
		}
	}
	f.Warehouses = p.Warehouses
	if p.IsAdmin {
		f.Warehouses = nil
	}
	docs, n, err := list(ctx, s, func(tx *store.Tx) ([]domain.Document, int, error) { return tx.ListDocuments(ctx, f) })
	return hideDocCosts(p, docs), n, err
}

// StockDoc loads one warehouse document.
func (s *Service) StockDoc(ctx context.Context, p *domain.Principal, id int64) (domain.Document, error) {
	d, err := docView(ctx, s, p, id, func(tx *store.Tx) (domain.Document, error) { return s.stockDoc(ctx, tx, p, id) })
	if err != nil {
		return d, err
	}
	return hideBook(p, hideDocCosts(p, []domain.Document{d})[0]), nil
}

func (s *Service) stockDoc(ctx context.Context, tx *store.Tx, p *domain.Principal, id int64) (domain.Document, error) {
	d, err := tx.Document(ctx, p.CompanyID, id)
	if err != nil {
		return d, err
	}
	if !slices.Contains(domain.StockDocTypes, d.Type) || !p.CanWarehouse(d.WarehouseID) {
		return domain.Document{}, notFoundErr("document", id)
	}
	return d, nil
}

// hideDocCosts blanks costs for callers without data.cost.read.
func hideDocCosts(p *domain.Principal, docs []domain.Document) []domain.Document {
	if p.Can("data.cost.read") {
		return docs
	}
	for i := range docs {
		docs[i].TotalAmount = 0
		for j := range docs[i].Lines {
			docs[i].Lines[j].Price, docs[i].Lines[j].Amount = 0, 0
		}
	}
	return docs
}

// stockCtx is what preparing and posting a document needs to know.
type stockCtx struct {
	company domain.Company
	items   map[int64]domain.Item
	places  *store.Places           // read before the transaction (checkWarehouse); nil: read in it
	ids     map[string]store.DocIDs // by document number: the ids number took for it
}

// placesOf lists the warehouses and the locations a document's lines move
// through.
func placesOf(d *domain.Document) (whs, ids []int64) {
	whs = []int64{d.WarehouseID}
	if d.ToWarehouseID != nil {
		whs = append(whs, *d.ToWarehouseID)
	}
	ids = make([]int64, 0, 2*len(d.Lines))
	for _, l := range d.Lines {
		ids = append(ids, l.LocationID, l.ToLocationID)
	}
	ids = slices.DeleteFunc(ids, func(id int64) bool { return id == 0 })
	slices.Sort(ids)
	return whs, slices.Compact(ids)
}

// checkWarehouse checks that d's warehouse exists. For a document that
// moves stock it reads, before the write transaction, the places its lines
// will move through (stockMoves), as the items and the partner are read:
// one read fewer while the transaction holds its locks. An archived
// location is refused when the moves are made, from what was read here.
func (sc *stockCtx) checkWarehouse(ctx context.Context, tx *store.Tx, companyID int64, d *domain.Document, moves bool) error {
	if !moves {
		// Whether the warehouse is the company's, from its places: a read
		// kept between documents (store/mastercache.go), where a count of
		// the warehouse was a statement, and on SQLite a read transaction,
		// for every order.
		if _, err := tx.StockPlaces(ctx, companyID, []int64{d.WarehouseID}, nil); err != nil {
			if e := (*domain.Error)(nil); errors.As(err, &e) && e.Code == domain.ENotFound {
				return domain.FieldErr("warehouse_id", "unknown_reference")
			}
			return err
		}
		return nil
	}
	whs, ids := placesOf(d)
	pl, err := tx.StockPlaces(ctx, companyID, whs, ids)
	if e := (*domain.Error)(nil); errors.As(err, &e) && e.Code == domain.ENotFound {
		if _, ok := pl.Roots[d.WarehouseID]; ok && d.ToWarehouseID != nil {
			return domain.FieldErr("to_warehouse_id", "unknown_reference") // a transfer's destination
		}
		return domain.FieldErr("warehouse_id", "unknown_reference")
	} else if err != nil {
		return err
	}
	sc.places = &pl
	return nil
}

// firstReads are the reads that open the preparation of a document of
// warehouse lines, in the order their errors take precedence: the company,
// then partner (nil: none), then, when d has a warehouse, that it is one of
// the company's (moves: its places, for a document that moves stock). Each
// sets sc only when it succeeds.
func (sc *stockCtx) firstReads(ctx context.Context, p *domain.Principal, d *domain.Document, moves bool, partner func(tx *store.Tx) error) []func(tx *store.Tx) error {
	reads := []func(tx *store.Tx) error{func(tx *store.Tx) error {
		co, err := tx.Company(ctx, p.CompanyID)
		if err == nil {
			sc.company = co
		}
		return err
	}}
	if partner != nil {
		reads = append(reads, partner)
	}
	if d.WarehouseID != 0 {
		reads = append(reads, func(tx *store.Tx) error { return sc.checkWarehouse(ctx, tx, p.CompanyID, d, moves) })
	}
	return reads
}

// viewAhead runs reads, which do not depend on each other, and then fn in
// one View, sending PostgreSQL the reads' statements together with fn's
// reads of the lines' sources and of d's items (store.ViewAhead): one round
// trip where they were one each. fn reads the sources and the items itself
// (the items when the lines are complete: a line that follows a source
// takes its item from it, and then that read is not the one sent ahead).
//
// also are more reads fn makes that go ahead as well, recorded only: they
// do not run before fn.
func (s *Service) viewAhead(ctx context.Context, p *domain.Principal, d *domain.Document, reads []func(tx *store.Tx) error, fn func(tx *store.Tx) error,
	also ...func(tx *store.Tx)) error {
	draw, collect := s.aheadNumber(ctx, d)
	if draw != nil {
		also = append(also, draw)
	}
	return s.db.ViewAhead(ctx, func(tx *store.Tx) {
		for _, r := range reads {
			_ = r(tx)
		}
		_, _ = tx.SourceLines(ctx, p.CompanyID, sourceLineIDs(d))
		_ = loadItems(ctx, tx, p.CompanyID, d.Lines, map[int64]domain.Item{})
		for _, r := range also {
			r(tx)
		}
	}, func(tx *store.Tx) error {
		for _, r := range reads {
			if err := r(tx); err != nil {
				return err
			}
		}
		if err := fn(tx); err != nil {
			return err
		}
		if collect != nil {
			collect(tx)
		}
		return nil
	})
}

// sourceLineIDs are the source lines d's lines follow, in line order.
func sourceLineIDs(d *domain.Document) []int64 {
	var ids []int64
	for _, l := range d.Lines {
		if l.SourceLineID != 0 {
			ids = append(ids, l.SourceLineID)
		}
	}
	return ids
}

// recheckSources asks again, of the lines fresh read under the locks of
// the documents followed, what refusal asked of the lines prepared read
// when the document was written: a document closed, cancelled or reversed
// in between refuses the posting as it would have refused the document.
func recheckSources(d *domain.Document, prepared, fresh map[int64]store.SourceLine,
	refusal func(*domain.Document, store.SourceLine, bool) string) error {
	var f domain.Fields
	for i, l := range d.Lines {
		if _, ok := prepared[l.SourceLineID]; !ok {
			continue
		}
		src, ok := fresh[l.SourceLineID]
		if rule := refusal(d, src, ok); rule != "" {
			f.Add(linesField(i, "source_line_id"), rule)
		}
	}
	return f.Err()
}

// placesFor is what checkWarehouse read when it covers whs and ids, else a read
// on tx.
func (sc *stockCtx) placesFor(ctx context.Context, tx *store.Tx, companyID int64, whs, ids []int64) (store.Places, error) {
	if pl := sc.places; pl != nil && !slices.ContainsFunc(whs, func(w int64) bool { _, ok := pl.Roots[w]; return !ok }) &&
		!slices.ContainsFunc(ids, func(id int64) bool { _, ok := pl.Locs[id]; return !ok }) {
		return *pl, nil
	}
	return tx.StockPlaces(ctx, companyID, whs, ids)
}

// prepareStockDoc validates a document and resolves its lines against the
// items, in a read snapshot before any write transaction opens. A document
// about to be posted has its places read there too: the posting then reads
// nothing before its stock (which also lets a document posted at creation
// be inserted posted on PostgreSQL, store.Tx.SetDocState).
func (s *Service) prepareStockDoc(ctx context.Context, p *domain.Principal, d *domain.Document, post bool) (*stockCtx, error) {
	d.Reason, d.Note = trim(d.Reason), trim(d.Note)
	if d.Type != domain.DocStockIn && d.Type != domain.DocStockOut {
		d.Reason = ""
	}
	for i := range d.Lines {
		d.Lines[i].Batch, d.Lines[i].Note = trim(d.Lines[i].Batch), trim(d.Lines[i].Note)
	}
	if err := d.ValidateStock(); err != nil {
		return nil, err
	}
	if !p.CanWarehouse(d.WarehouseID) {
		return nil, domain.FieldErr("warehouse_id", "unknown_reference")
	}
	if d.ToWarehouseID != nil && !p.CanWarehouse(*d.ToWarehouseID) {
		return nil, domain.FieldErr("to_warehouse_id", "unknown_reference")
	}
	sc := &stockCtx{items: map[int64]domain.Item{}}
	reads := sc.firstReads(ctx, p, d, post, nil)
	if d.ToWarehouseID != nil {
		reads = append(reads, func(tx *store.Tx) error {
			return tx.MustExist(ctx, "warehouses", p.CompanyID, "to_warehouse_id", *d.ToWarehouseID)
		})
	}
	err := s.viewAhead(ctx, p, d, reads, func(tx *store.Tx) error {
		return loadItems(ctx, tx, p.CompanyID, d.Lines, sc.items)
	})
	if err != nil {
		return nil, err
	}
	var errs []error
	d.TotalQty, d.TotalAmount = 0, 0
	hidden := d.Type.Receives() && !p.Can("data.cost.read")
	for i := range d.Lines {
		it, ok := sc.items[d.Lines[i].ItemID]
		if !ok {
			errs = append(errs, domain.FieldErr(linesField(i, "item_id"), "unknown_reference"))
			continue
		}
		if hidden {
			// A caller who may not see costs cannot set them either: the
			// receipt goes in at the item's purchase price of that unit.
			l := &d.Lines[i]
			l.Price, l.Amount = it.PurchasePrice, 0
			for _, u := range it.Units {
				if u.UnitID == l.UnitID && l.UnitID != it.BaseUnitID {
					l.Price = u.PurchasePrice
				}
			}
		}
		if err := d.ResolveLine(i, &it); err != nil {
			errs = append(errs, err)
			continue
		}
		d.TotalQty += d.Lines[i].BaseQty
		d.TotalAmount += d.Lines[i].Amount
	}
	if err := joinInvalid(errs...); err != nil {
		return nil, err
	}
	return sc, nil
}

// loadItems loads the items of lines into items, a page of the item list
// at a time.
func loadItems(ctx context.Context, tx *store.Tx, companyID int64, lines []domain.DocLine, items map[int64]domain.Item) error {
	ids := make([]int64, 0, len(lines))
	for _, l := range lines {
		ids = append(ids, l.ItemID)
	}
	return loadItemIDs(ctx, tx, companyID, ids, items)
}

// loadItemIDs loads the items ids into items (archived ones too), 500 at
// a time.
func loadItemIDs(ctx context.Context, tx *store.Tx, companyID int64, ids []int64, items map[int64]domain.Item) error {
	ids = slices.Compact(slices.Sorted(slices.Values(ids))) // a copy: the caller's order stays
	for start := 0; start < len(ids); start += 500 {
		page, err := tx.ItemsByID(ctx, companyID, ids[start:min(start+500, len(ids))])
		if err != nil {
			return err
		}
		for _, it := range page {
			items[it.ID] = it
		}
	}
	return nil
}

func linesField(i int, f string) string {
	return "lines[" + strconv.Itoa(i) + "]." + f
}

// CreateStockDoc saves a new warehouse document as a draft and, when post
// is true, posts it in the same transaction.
func (s *Service) CreateStockDoc(ctx context.Context, p *domain.Principal, d domain.Document, post bool) (domain.Document, error) {
	ctx = withNumberAhead(ctx)
	d.ID, d.CompanyID, d.State, d.CreatedBy = 0, p.CompanyID, domain.DocDraft, p.UserID
	d.ReversesID, d.ReversedByID, d.PostedBy, d.PostedAt = nil, nil, nil, nil
	if d.Date.IsZero() {
		d.Date = s.today()
	}
	if d.Type == domain.DocStocktake {
		return d, domain.FieldErr("type", "use_stocktake")
	}
	if err := s.expandBOM(ctx, p, &d); err != nil {
		return d, err
	}
	sc, err := s.prepareStockDoc(ctx, p, &d, post)
	if err != nil {
		return d, err
	}
	if post && sc.company.Settings.NeedsApproval(d.Type) {
		return d, domain.ErrorKey(domain.EConflict, "error.needs_approval", nil, "documents of this type need approval before posting")
	}
	if err := s.number(ctx, sc, &d); err != nil {
		return d, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := s.createDoc(ctx, tx, sc, &d); err != nil {
			return err
		}
		if err := auditCreated(ctx, tx, p, &d); err != nil {
			return err
		}
		if post {
			return s.post(ctx, tx, p, sc, &d, domain.DocDraft)
		}
		return nil
	})
	return d, err
}

func (s *Service) number(ctx context.Context, sc *stockCtx, d *domain.Document) error {
	d.Number = ""
	if s.db.NumbersInPosting() {
		return nil // createDoc numbers it in the posting
	}
	prefix := sc.company.Settings.Prefix(d.Type)
	n, ids, ok := takeAhead(ctx, d, prefix)
	if !ok {
		var err error
		if n, ids, err = s.db.NextNumberIDs(ctx, d.CompanyID, prefix, d.Date, len(d.Lines)); err != nil {
			return err
		}
	}
	s.prefixes.Store(prefixKey{d.CompanyID, d.Type}, prefix)
	d.Number = domain.DocNumber(prefix, d.Date, n)
	if sc.ids == nil {
		sc.ids = map[string]store.DocIDs{}
	}
	sc.ids[d.Number] = ids // createDoc inserts with them
	return nil
}

// createDoc inserts a new document in tx, numbering it first where the
// engine takes numbers inside the posting (see number).
func (s *Service) createDoc(ctx context.Context, tx *store.Tx, sc *stockCtx, d *domain.Document) error {
	return s.createDocPosting(ctx, tx, sc, d, 0)
}

// createDocPosting is createDoc for a document tx posts next by user by
// (0: not known to): its row is then inserted posted where the engine
// gains by it (store.CreatePostedDocument says when a posting may ask).
func (s *Service) createDocPosting(ctx context.Context, tx *store.Tx, sc *stockCtx, d *domain.Document, by int64) error {
	if s.db.NumbersInPosting() { // always: a retried attempt takes it again
		prefix := sc.company.Settings.Prefix(d.Type)
		n, err := tx.NextNumber(ctx, d.CompanyID, prefix, d.Date)
		if err != nil {
			return err
		}
		d.Number = domain.DocNumber(prefix, d.Date, n)
	}
	if by != 0 {
		return tx.CreatePostedDocument(ctx, d, sc.ids[d.Number], by)
	}
	return tx.CreateDocumentIDs(ctx, d, sc.ids[d.Number])
}

func (s *Service) today() domain.Date {
	t := s.db.Now().In(s.loc())
	return domain.Date{Time: time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)}
}

// loc is the time zone business dates are counted in.
func (s *Service) loc() *time.Location {
	if s.cfg.Location != nil {
		return s.cfg.Location
	}
	return time.Local
}

// UpdateStockDoc replaces a draft (or a submitted document sent back).
func (s *Service) UpdateStockDoc(ctx context.Context, p *domain.Principal, id int64, d domain.Document) (domain.Document, error) {
	d.ID, d.CompanyID = id, p.CompanyID
	if d.Date.IsZero() { // keep the date it has
		cur, err := s.StockDoc(ctx, p, id)
		if err != nil {
			return d, err
		}
		d.Date = cur.Date
	}
	if d.Type == domain.DocStocktake {
		return d, domain.FieldErr("type", "use_stocktake")
	}
	if err := s.expandBOM(ctx, p, &d); err != nil {
		return d, err
	}
	if _, err := s.prepareStockDoc(ctx, p, &d, false); err != nil {
		return d, err
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		before, err := s.stockDoc(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if before.State != domain.DocDraft {
			return notDraft(before.State)
		}
		if d.Type != before.Type {
			return domain.FieldErr("type", "immutable")
		}
		d.Number, d.State, d.CreatedBy, d.CreatedAt = before.Number, before.State, before.CreatedBy, before.CreatedAt
		if err := tx.UpdateDraft(ctx, &d, domain.DocDraft); err != nil {
			return err
		}
		return audit(ctx, tx, p, "document", id, "update", &before, &d)
	})
	return d, err
}

func notDraft(st domain.DocState) error {
	return domain.ErrorKey(domain.EConflict, "error.doc_state", map[string]string{"state": string(st)},
		"the document is "+string(st)+"; only drafts can be changed")
}

// DocAction is a state change of a document.
type DocAction string

const (
	ActSubmit  DocAction = "submit"
	ActApprove DocAction = "approve"
	ActPost    DocAction = "post"
	ActCancel  DocAction = "cancel"
)

// ActOnStockDoc submits, approves, posts or cancels a document. The
// caller's version must match (a document changed by someone else is not
// posted blind).
func (s *Service) ActOnStockDoc(ctx context.Context, p *domain.Principal, id int64, version int64, act DocAction) (domain.Document, error) {
	var d domain.Document
	var sc *stockCtx
	if act == ActPost {
		// Resolve items and the company before the write transaction.
		cur, err := s.StockDoc(ctx, p, id)
		if err != nil {
			return d, err
		}
		if sc, err = s.prepareStockDoc(ctx, p, &cur, true); err != nil {
			return d, err
		}
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if d, err = s.stockDoc(ctx, tx, p, id); err != nil {
			return err
		}
		if version != 0 && d.Version != version {
			return domain.ErrorKey(domain.EConflict, "error.stale", map[string]string{"entity": "document"}, "document was changed by someone else")
		}
		before := d
		co, err := tx.Company(ctx, p.CompanyID)
		if err != nil {
			return err
		}
		needs := co.Settings.NeedsApproval(d.Type)
		switch act {
		case ActSubmit, ActApprove, ActCancel:
			err = moveState(ctx, tx, &d, act)
		case ActPost:
			switch {
			case needs && d.State != domain.DocApproved:
				return domain.ErrorKey(domain.EConflict, "error.needs_approval", nil, "documents of this type need approval before posting")
			case d.State == domain.DocPosted || d.State == domain.DocCancelled:
				return stateErr(d.State, domain.DocDraft)
			}
			sc.company = co
			err = s.post(ctx, tx, p, sc, &d, d.State)
		default:
			return domain.FieldErr("action", "one_of")
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, p, "document", id, string(act), map[string]any{"state": before.State}, map[string]any{"state": d.State})
	})
	return d, err
}

func stateErr(st, want domain.DocState) error {
	return domain.ErrorKey(domain.EConflict, "error.doc_state", map[string]string{"state": string(st)},
		"the document is "+string(st)+", expected "+string(want))
}

// post moves a document's goods through the stock book: one code path for
// every document type.
func (s *Service) post(ctx context.Context, tx *store.Tx, p *domain.Principal, sc *stockCtx, d *domain.Document, from domain.DocState) error {
	moves, locs, err := s.stockMoves(ctx, tx, sc, d)
	if err != nil {
		return err
	}
	if err := s.book(ctx, tx, d, moves, locs, bookOpts{company: &sc.company}); err != nil {
		return err
	}
	now := tx.Now
	d.PostedBy, d.PostedAt = &p.UserID, &now
	if !d.Type.Receives() && !d.Type.Traded() {
		if err := tx.SetLineCosts(ctx, d.Lines); err != nil {
			return err
		}
	}
	d.TotalAmount = 0
	for _, l := range d.Lines {
		d.TotalAmount += l.Amount
	}
	return tx.SetDocState(ctx, d, domain.DocPosted, from)
}

// book applies moves to the locked rows and writes the ledger, then fills
// in the cost of each issued line. When the document is dated before later
// moves of an item, that item's costing scope is replayed in date order and
// the differences are appended as recost rows (see domain.Replay).
func (s *Service) book(ctx context.Context, tx *store.Tx, d *domain.Document, moves []domain.Move, locs map[int64]store.LocationInfo, opts ...bookOpts) error {
	// Transit holds stock (goods on the way are still ours); the other
	// virtual locations are only counterparts.
	virtual := func(id int64) bool { return locs[id].Kind.IsVirtual() && locs[id].Kind != domain.LocTransit }
	bk, ck := domain.Keys(moves, virtual)
	var opt bookOpts
	if len(opts) > 0 {
		opt = opts[0]
		bk = mergeKeys(bk, opt.keys)
	}
	methods := map[int64]domain.CostingMethod{}
	codes := map[int64]string{}
	warehouse := map[int64]int64{}
	allowNeg := false
	var itemIDs []int64
	for _, m := range moves {
		if _, ok := methods[m.ItemID]; !ok {
			itemIDs = append(itemIDs, m.ItemID)
		}
		methods[m.ItemID], codes[m.ItemID] = m.Method, m.ItemCode
		allowNeg = m.AllowNegative
	}
	for id, l := range locs {
		warehouse[id] = l.WarehouseID
	}
	// The period guard, and the scopes that have moves after this
	// document's date; on PostgreSQL sent together with the row locks
	// below, which they do not change unless the posting re-costs.
	if err := tx.PostingAhead(ctx, d.CompanyID, itemIDs, d.Date, store.StockLock{CompanyID: d.CompanyID, Balances: bk, Costs: ck}); err != nil {
		return err
	}
	lock, later, err := tx.PostingGuard(ctx, d.CompanyID, itemIDs, d.Date)
	if err != nil {
		return err
	}
	if lock != nil && !lock.Before(d.Date) {
		return periodClosed(*lock)
	}
	co := opt.company
	if co == nil { // callers that validated the document pass the company they read
		c, err := tx.Company(ctx, d.CompanyID)
		if err != nil {
			return err
		}
		co = &c
	}
	byWarehouse := co.Settings.CostingScope == domain.CostingScopeWarehouse
	scopeOf := func(wh int64) int64 {
		if byWarehouse {
			return wh
		}
		return 0
	}
	recost := map[domain.CostKey]bool{}
	for _, m := range moves { // only scopes this document touches
		for _, l := range later {
			if l.ItemID == m.ItemID && (scopeOf(l.WarehouseID) == m.FromScope || scopeOf(l.WarehouseID) == m.ToScope) {
				recost[domain.CostKey{ItemID: l.ItemID, ScopeID: scopeOf(l.WarehouseID)}] = true
			}
		}
	}
	// Large re-costs, and items that already wait for one, become tracked
	// jobs; the rest replay here, with every scope of theirs locked.
	var jobs []store.RecostJob
	if len(recost) > 0 {
		if jobs, err = s.planRecost(ctx, tx, d, moves, recost, scopeOf, lock); err != nil {
			return err
		}
		if err := itemCosting(ctx, tx, *co, recost, methods, codes); err != nil {
			return err
		}
		if bk, ck, err = scopeLocks(ctx, tx, d.CompanyID, recost, bk, ck, warehouse); err != nil {
			return err
		}
	}
	b, err := tx.LockStock(ctx, store.StockLock{CompanyID: d.CompanyID, Balances: bk, Costs: ck, Methods: methods, Warehouse: warehouse})
	if err != nil {
		return err
	}
	if opt.before != nil {
		if err := opt.before(b); err != nil {
			return err
		}
	}
	// Every short line is reported at once, not only the first.
	var short *domain.Error
	for _, m := range moves {
		if err := b.Post(m); err != nil {
			var e *domain.Error
			if !errors.As(err, &e) || e.Code != domain.EInsufficientStock {
				return err
			}
			if short == nil {
				c := *e
				short = &c
			} else {
				short.Fields = append(short.Fields, e.Fields...)
			}
		}
	}
	if short != nil {
		return short
	}
	if err := s.moveSerials(ctx, tx, d, moves, virtual); err != nil {
		return err
	}
	entries := make([]store.LedgerEntry, len(b.Legs))
	for i, l := range b.Legs {
		entries[i] = store.LedgerEntry{DocumentID: d.ID, DocType: d.Type, Date: d.Date, Leg: l}
	}
	rp := &replayer{tx: tx, companyID: d.CompanyID, doc: d.ID, docType: d.Type, lines: map[int64]int64{}, b: b, methods: methods, codes: codes,
		allowNeg: allowNeg, warehouse: warehouse, lock: lock, scopeOf: scopeOf}
	for _, l := range slices.Backward(d.Lines) { // the document's first line of an item causes its recost
		rp.lines[l.ItemID], rp.first = l.ID, l.ID
	}
	if entries, err = rp.all(ctx, recost, entries); err != nil {
		return err
	}
	for _, j := range jobs {
		if err := tx.EnqueueRecost(ctx, j); err != nil {
			return err
		}
	}
	if len(jobs) > 0 {
		s.wakeRecost()
	}
	sells := d.Type == domain.DocSalesShipment || d.Type == domain.DocPOSSale
	if !d.Type.Receives() && (!d.Type.Traded() || sells) { // trade lines keep their prices
		// Issues and transfers: the cost that left; stocktakes and
		// assemblies: the signed value of the line (gain +, loss −;
		// product +, component −).
		signed := d.Type == domain.DocStocktake || d.Type == domain.DocAssembly || d.Type == domain.DocDisassembly
		lineValue := map[int64]domain.Money{}
		for _, e := range entries {
			line := e.LineID
			if e.Kind != domain.LegMove {
				line = e.AdjustsLineID
			}
			switch {
			case signed:
				lineValue[line] += e.Value
			case e.Qty < 0 || (e.Kind == domain.LegRecost && isOutLeg(entries, line, e.BalanceKey)):
				lineValue[line] -= e.Value
			}
		}
		for i := range d.Lines {
			l := &d.Lines[i]
			if sells { // the cost of the goods sold
				l.Cost = lineValue[l.ID]
				continue
			}
			l.Amount = lineValue[l.ID]
			q := l.Qty
			if d.Type == domain.DocStocktake && l.CountedQty != nil {
				q = *l.CountedQty - l.BookQty
			}
			l.Price = l.Amount.UnitPrice(q)
			if l.Price < 0 {
				l.Price = -l.Price
			}
		}
	}
	return tx.WriteBook(ctx, d.CompanyID, b, entries, warehouse)
}

// bookOpts are extras of a posting that holds stock as well as moving it:
// more balance rows to lock (keys, any order) and what to do to the locked
// book before the moves post (release reservations).
type bookOpts struct {
	keys   []domain.BalanceKey
	before func(*domain.Book) error
	// company is the company the document was validated against (its
	// costing scope already placed the moves); nil reads it.
	company *domain.Company
}

// mergeKeys adds more to the sorted keys ks, keeping them sorted and unique.
func mergeKeys(ks, more []domain.BalanceKey) []domain.BalanceKey {
	if len(more) == 0 {
		return ks
	}
	out := slices.Concat(ks, more)
	slices.SortFunc(out, domain.BalanceKey.Compare)
	return slices.Compact(out)
}

// isOutLeg reports whether line has an outgoing move leg at k among entries.
func isOutLeg(entries []store.LedgerEntry, line int64, k domain.BalanceKey) bool {
	for _, e := range entries {
		if e.Kind == domain.LegMove && e.LineID == line && e.BalanceKey == k && e.Qty < 0 {
			return true
		}
	}
	return false
}

// stockMoves turns a warehouse document's lines into moves.
func (s *Service) stockMoves(ctx context.Context, tx *store.Tx, sc *stockCtx, d *domain.Document) ([]domain.Move, map[int64]store.LocationInfo, error) {
	set := sc.company.Settings
	whs, ids := placesOf(d)
	pl, err := sc.placesFor(ctx, tx, d.CompanyID, whs, ids)
	if err != nil {
		return nil, nil, err
	}
	virt, locs := pl.Virtual, pl.Locs
	from := domain.Warehouse{ID: d.WarehouseID, RootLocationID: pl.Roots[d.WarehouseID]}
	to := from
	if d.ToWarehouseID != nil {
		to = domain.Warehouse{ID: *d.ToWarehouseID, RootLocationID: pl.Roots[*d.ToWarehouseID]}
	}
	real := func(i int, field string, id int64, w domain.Warehouse) (int64, error) {
		if id == 0 {
			return w.RootLocationID, nil
		}
		l, ok := locs[id]
		if !ok || l.WarehouseID != w.ID || l.Kind.IsVirtual() {
			return 0, domain.FieldErr(linesField(i, field), "not_in_warehouse")
		}
		if l.Archived {
			return 0, domain.FieldErr(linesField(i, field), "archived")
		}
		return id, nil
	}
	scope := func(loc int64) int64 {
		if set.CostingScope == domain.CostingScopeWarehouse {
			return locs[loc].WarehouseID
		}
		return 0
	}
	allowNeg := set.NegativeStock == domain.NegativeStockAllow
	moves := make([]domain.Move, 0, len(d.Lines))
	var errs []error
	uncounted := 0
	var product *domain.Move // assembly: posted after its components
	var parts []domain.Move  // disassembly: posted after the product
	for i, l := range d.Lines {
		it := sc.items[l.ItemID]
		method := it.CostingMethod
		if method == "" {
			method = set.CostingMethod
		}
		m := domain.Move{LineID: l.ID, Line: i, ItemID: l.ItemID, ItemCode: it.Code, Method: method, Batch: l.Batch,
			Expiry: l.Expiry, Qty: l.BaseQty, AllowNegative: allowNeg}
		loc, err := real(i, "location_id", l.LocationID, from)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		switch d.Type {
		case domain.DocStocktake:
			if l.CountedQty == nil {
				uncounted++
				continue
			}
			switch v := *l.CountedQty - l.BookQty; {
			case v > 0: // 盘盈: in at the current unit cost (the purchase price when there is none)
				m.Kind, m.From, m.To, m.Qty, m.AtCost = domain.MoveIn, virt[domain.LocGain], loc, v, true
				m.Value, _ = it.PurchasePrice.Amount(v)
			case v < 0: // 盘亏
				m.Kind, m.From, m.To, m.Qty = domain.MoveOut, loc, virt[domain.LocLoss], -v
			default:
				continue
			}
		case domain.DocAssembly:
			if l.Role == domain.RoleProduct {
				m.Kind, m.From, m.To, m.RollUp = domain.MoveIn, virt[domain.LocProduction], loc, true
				product = &m
				continue
			}
			m.Kind, m.From, m.To = domain.MoveOut, loc, virt[domain.LocProduction]
		case domain.DocDisassembly:
			if l.Role == domain.RoleComponent {
				w, _ := it.PurchasePrice.Amount(l.BaseQty)
				m.Kind, m.From, m.To, m.Weight = domain.MoveIn, virt[domain.LocProduction], loc, max(int64(w), 1)
				m.FromScope, m.ToScope = scope(m.From), scope(m.To)
				parts = append(parts, m)
				continue
			}
			m.Kind, m.From, m.To = domain.MoveOut, loc, virt[domain.LocProduction]
		case domain.DocPurchaseReceipt:
			if m.Qty = l.StockQty(); m.Qty == 0 { // everything failed inspection
				continue
			}
			m.Kind, m.From, m.To, m.Value = domain.MoveIn, virt[domain.LocSupplier], loc, l.Amount
		case domain.DocPurchaseReturn:
			// Against a receipt: out at what that receipt is worth (the
			// caller fills in Value); free: out at cost.
			m.Kind, m.From, m.To, m.OrigLineID = domain.MoveReturnOut, loc, virt[domain.LocSupplier], l.SourceLineID
			if l.SourceLineID == 0 {
				m.Kind = domain.MoveOut
			}
		case domain.DocSalesShipment, domain.DocPOSSale:
			m.Kind, m.From, m.To = domain.MoveOut, loc, virt[domain.LocCustomer]
		case domain.DocSalesReturn, domain.DocPOSReturn:
			// Against a shipment line: back at what it cost (the caller fills
			// in Value); free: back at the current unit cost.
			m.Kind, m.From, m.To, m.OrigLineID = domain.MoveReturnIn, virt[domain.LocCustomer], loc, l.SourceLineID
			if l.SourceLineID == 0 {
				m.Kind, m.AtCost = domain.MoveIn, true
				m.Value, _ = it.PurchasePrice.Amount(l.BaseQty)
			}
		case domain.DocStockOpening:
			m.Kind, m.From, m.To, m.Value = domain.MoveIn, virt[domain.LocOpening], loc, l.Amount
		case domain.DocStockIn:
			m.Kind, m.From, m.To, m.Value = domain.MoveIn, virt[domain.LocGain], loc, l.Amount
		case domain.DocStockOut:
			m.Kind, m.From, m.To = domain.MoveOut, loc, virt[domain.LocLoss]
		case domain.DocStockTransfer:
			dst, err := real(i, "to_location_id", l.ToLocationID, to)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			switch {
			case d.SourceID != nil: // a two-step transfer arriving: out of transit
				m.Kind, m.From, m.To = domain.MoveTransfer, virt[domain.LocTransit], dst
			case d.TwoStep: // a two-step transfer leaving: into transit
				m.Kind, m.From, m.To = domain.MoveTransfer, loc, virt[domain.LocTransit]
			case dst == loc:
				errs = append(errs, domain.FieldErr(linesField(i, "to_location_id"), "same_location"))
				continue
			default:
				m.Kind, m.From, m.To = domain.MoveTransfer, loc, dst
			}
		}
		m.FromScope, m.ToScope = scope(m.From), scope(m.To)
		moves = append(moves, m)
	}
	if err := joinInvalid(errs...); err != nil {
		return nil, nil, err
	}
	if uncounted > 0 {
		return nil, nil, domain.ErrorKey(domain.EConflict, "error.stocktake_uncounted", map[string]string{"count": strconv.Itoa(uncounted)},
			strconv.Itoa(uncounted)+" lines are not counted yet")
	}
	if product != nil {
		product.FromScope, product.ToScope = scope(product.From), scope(product.To)
		moves = append(moves, *product)
	}
	var total int64
	for _, p := range parts {
		total += p.Weight
	}
	for i := range parts {
		parts[i].WeightTotal, parts[i].LastShare = total, i == len(parts)-1
	}
	moves = append(moves, parts...)
	return moves, locs, nil
}

// ReverseStockDoc posts a reversal (红冲) of a posted document: a new
// document of the same type, linked both ways, whose moves undo the
// original's. A receipt goes back out at the value it came in at (FIFO:
// from its own layer first); an issue comes back at the cost it went out at
// (including later corrections); a transfer moves back. date is the
// reversal's business date (today when zero).
func (s *Service) ReverseStockDoc(ctx context.Context, p *domain.Principal, id int64, date domain.Date, note string) (domain.Document, error) {
	orig, err := s.StockDoc(ctx, p, id)
	if err != nil {
		return orig, err
	}
	if !p.Can("data.cost.read") { // StockDoc hid the costs; the reversal needs them
		if orig, err = docView(ctx, s, p, id, func(tx *store.Tx) (domain.Document, error) { return s.stockDoc(ctx, tx, p, id) }); err != nil {
			return orig, err
		}
	}
	if orig.State != domain.DocPosted || orig.ReversedByID != nil || orig.ReversesID != nil {
		return orig, domain.ErrorKey(domain.EConflict, "error.not_reversible", nil, "only a posted document that is not a reversal and not yet reversed can be reversed")
	}
	if orig.TwoStep {
		rec, err := view(ctx, s, func(tx *store.Tx) (int64, error) { return tx.Received(ctx, p.CompanyID, orig.ID) })
		if err != nil {
			return orig, err
		}
		if rec != 0 {
			return orig, domain.ErrorKey(domain.EConflict, "error.received_first", nil, "the transfer was received: reverse its receipt first")
		}
	}
	if date.IsZero() {
		date = s.today()
	}
	if date.Before(orig.Date) {
		return orig, domain.FieldErr("date", "before_original")
	}
	r := orig
	r.ID, r.State, r.Date, r.ReversesID, r.ReversedByID, r.PostedBy, r.PostedAt = 0, domain.DocDraft, date, &orig.ID, nil, nil, nil
	r.CreatedBy, r.Note = p.UserID, trim(note)
	r.Lines = slices.Clone(orig.Lines)
	sc, err := s.prepareStockDoc(ctx, p, &r, true)
	if err != nil {
		return r, err
	}
	// The reversal carries the original's values (prepare recomputed them).
	for i := range r.Lines {
		r.Lines[i].Price, r.Lines[i].Amount = orig.Lines[i].Price, orig.Lines[i].Amount
	}
	r.TotalAmount = orig.TotalAmount
	if err := s.number(ctx, sc, &r); err != nil {
		return r, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		cur, err := s.stockDoc(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if cur.State != domain.DocPosted || cur.ReversedByID != nil {
			return domain.ErrorKey(domain.EConflict, "error.not_reversible", nil, "the document was reversed meanwhile")
		}
		if sc.company, err = tx.Company(ctx, p.CompanyID); err != nil {
			return err
		}
		if err := s.createDoc(ctx, tx, sc, &r); err != nil {
			return err
		}
		values, err := tx.LineValues(ctx, orig.ID)
		if err != nil {
			return err
		}
		moves, locs, err := s.stockMoves(ctx, tx, sc, &orig)
		if err != nil {
			return err
		}
		index := map[int64]int{}
		for i, l := range orig.Lines {
			index[l.ID] = i
		}
		// Undo in the opposite order: an assembly's product goes before its
		// components come back.
		slices.Reverse(moves)
		for i := range moves {
			m := &moves[i]
			k := index[m.LineID]
			o := orig.Lines[k]
			m.LineID = r.Lines[k].ID
			m.AtCost, m.RollUp, m.Weight = false, false, 0
			m.FromScope, m.ToScope = m.ToScope, m.FromScope // the goods go back the way they came
			switch m.Kind {
			case domain.MoveIn:
				m.Kind, m.From, m.To, m.OrigLineID, m.Value = domain.MoveReturnOut, m.To, m.From, o.ID, values[o.ID]
			case domain.MoveOut:
				m.Kind, m.From, m.To, m.Value, m.OrigLineID = domain.MoveReturnIn, m.To, m.From, -values[o.ID], o.ID
			case domain.MoveTransfer:
				m.From, m.To = m.To, m.From
			}
		}
		if err := s.book(ctx, tx, &r, moves, locs); err != nil {
			return err
		}
		now := tx.Now
		r.PostedBy, r.PostedAt = &p.UserID, &now
		if !r.Type.Receives() {
			// An other-issue's reversal shows the cost that came back; the
			// other types keep what book computed (signed, or a transfer's).
			for _, m := range moves {
				if m.Kind == domain.MoveReturnIn && r.Type == domain.DocStockOut {
					k := slices.IndexFunc(r.Lines, func(l domain.DocLine) bool { return l.ID == m.LineID })
					r.Lines[k].Amount = m.Value
					r.Lines[k].Price = m.Value.UnitPrice(r.Lines[k].Qty)
				}
			}
			if err := tx.SetLineCosts(ctx, r.Lines); err != nil {
				return err
			}
		}
		r.TotalAmount = 0
		for _, l := range r.Lines {
			r.TotalAmount += l.Amount
		}
		return linkReversal(ctx, tx, p, &r, &cur)
	})
	return r, err
}

// moveState submits, approves or cancels a document that is not posted.
func moveState(ctx context.Context, tx *store.Tx, d *domain.Document, act DocAction) error {
	switch act {
	case ActSubmit:
		if d.State != domain.DocDraft {
			return notDraft(d.State)
		}
		return tx.SetDocState(ctx, d, domain.DocSubmitted, domain.DocDraft)
	case ActApprove:
		if d.State != domain.DocSubmitted {
			return stateErr(d.State, domain.DocSubmitted)
		}
		return tx.SetDocState(ctx, d, domain.DocApproved, domain.DocSubmitted)
	case ActCancel:
		if d.State == domain.DocPosted || d.State == domain.DocCancelled {
			return stateErr(d.State, domain.DocDraft)
		}
		return tx.SetDocState(ctx, d, domain.DocCancelled, d.State)
	}
	return domain.FieldErr("action", "one_of")
}

// linkReversal posts the reversal r of orig (both loaded in tx), links the
// two and audits it.
func linkReversal(ctx context.Context, tx *store.Tx, p *domain.Principal, r, orig *domain.Document) error {
	if err := tx.SetDocState(ctx, r, domain.DocPosted, domain.DocDraft); err != nil {
		return err
	}
	orig.ReversedByID = &r.ID
	if err := tx.SetDocState(ctx, orig, domain.DocPosted, domain.DocPosted); err != nil {
		return err
	}
	if err := audit(ctx, tx, p, "document", r.ID, "create", nil, r); err != nil {
		return err
	}
	return audit(ctx, tx, p, "document", orig.ID, "reverse", nil, map[string]any{"reversed_by_id": r.ID})
}

// BalanceFilter is the stock balance query.
type BalanceFilter = store.BalanceFilter

// LedgerFilter is the stock ledger query.
type LedgerFilter = store.LedgerFilter

// StockBalances lists stock in the caller's warehouses with the number of
// rows; values are blank for callers without data.cost.read.
func (s *Service) StockBalances(ctx context.Context, p *domain.Principal, f BalanceFilter) ([]store.StockRow, int, error) {
	f.NoCount = false
	pg, err := s.StockBalancePage(ctx, p, f)
	return pg.Rows, pg.Total, err
}

// LedgerPage is a page of an item's ledger with the balance before it.
type LedgerPage struct {
	OpeningQty   domain.Qty
	OpeningValue domain.Money
	Rows         []store.LedgerRow
	Total        int
}

// StockLedger returns an item's ledger with running balances.
func (s *Service) StockLedger(ctx context.Context, p *domain.Principal, f LedgerFilter) (LedgerPage, error) {
	f.CompanyID = p.CompanyID
	if !p.IsAdmin {
		f.Warehouses = p.Warehouses
	}
	if f.ItemID == 0 {
		return LedgerPage{}, domain.FieldErr("item_id", "required")
	}
	var out LedgerPage
	err := s.db.View(ctx, func(tx *store.Tx) (err error) {
		out.Rows, out.OpeningQty, out.OpeningValue, out.Total, err = tx.Ledger(ctx, f)
		return err
	})
	if !p.Can("data.cost.read") {
		out.OpeningValue = 0
		for i := range out.Rows {
			out.Rows[i].Value, out.Rows[i].BalanceValue = 0, 0
		}
	}
	return out, err
}

// CheckStock proves the stock invariants of a company (see
// store.CheckStock); `jxc check` prints the result.
func (s *Service) CheckStock(ctx context.Context, companyID int64) ([]string, error) {
	var probs []string
	// One snapshot: a posting committing between two of its reads must not
	// look like a balance its ledger does not explain.
	err := s.db.Snapshot(ctx, func(tx *store.Tx) error {
		co, err := tx.Company(ctx, companyID)
		if err != nil {
			return err
		}
		if probs, err = tx.CheckStock(ctx, companyID, co.Settings.CostingScope == domain.CostingScopeWarehouse,
			co.Settings.NegativeStock == domain.NegativeStockAllow); err != nil {
			return err
		}
		pay, err := tx.CheckPayables(ctx, companyID)
		if err != nil {
			return err
		}
		probs = append(probs, pay...)
		res, err := tx.CheckReservations(ctx, companyID)
		if err != nil {
			return err
		}
		probs = append(probs, res...)
		credit, err := tx.CheckOrderCredit(ctx, companyID)
		if err != nil {
			return err
		}
		probs = append(probs, credit...)
		failed, _, err := tx.ListRecostJobs(ctx, store.RecostFilter{CompanyID: companyID, State: store.RecostFailed, Page: store.Page{Limit: 500}})
		for _, j := range failed {
			probs = append(probs, fmt.Sprintf("recost job %d (item %s, scope %d, from %s, caused by %s) failed %d times: %s",
				j.ID, j.ItemCode, j.ScopeID, j.FromDate, j.Number, j.Attempts, j.Error))
		}
		return err
	})
	return probs, err
}

// CompanyCheck is the stock check of one company.
type CompanyCheck struct {
	Company  domain.Company
	Problems []string
}

// CheckAllStock checks every company (`jxc check`).
func (s *Service) CheckAllStock(ctx context.Context) ([]CompanyCheck, error) {
	cos, err := view(ctx, s, func(tx *store.Tx) ([]domain.Company, error) { return tx.Companies(ctx, nil) })
	if err != nil {
		return nil, err
	}
	out := make([]CompanyCheck, 0, len(cos))
	for _, c := range cos {
		probs, err := s.CheckStock(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, CompanyCheck{Company: c, Problems: probs})
	}
	return out, nil
}

// ReceiveTransfer receives a two-step transfer that is in transit: a linked
// transfer document moves the goods from transit into the destination
// (into the bins the transfer named) at the value they left with.
func (s *Service) ReceiveTransfer(ctx context.Context, p *domain.Principal, id int64, date domain.Date) (domain.Document, error) {
	orig, err := docView(ctx, s, p, id, func(tx *store.Tx) (domain.Document, error) { return s.stockDoc(ctx, tx, p, id) })
	if err != nil {
		return orig, err
	}
	if orig.Type != domain.DocStockTransfer || !orig.TwoStep || orig.State != domain.DocPosted || orig.ReversedByID != nil || orig.ReversesID != nil {
		return orig, domain.ErrorKey(domain.EConflict, "error.not_in_transit", nil, "only a posted two-step transfer in transit can be received")
	}
	if !p.CanWarehouse(*orig.ToWarehouseID) {
		return orig, notFoundErr("document", id)
	}
	if date.IsZero() {
		date = s.today()
	}
	if date.Before(orig.Date) {
		return orig, domain.FieldErr("date", "before_original")
	}
	r := domain.Document{CompanyID: p.CompanyID, Type: domain.DocStockTransfer, State: domain.DocDraft, Date: date,
		WarehouseID: *orig.ToWarehouseID, ToWarehouseID: orig.ToWarehouseID, SourceID: &orig.ID, CreatedBy: p.UserID,
		Note: orig.Number}
	for _, l := range orig.Lines {
		r.Lines = append(r.Lines, domain.DocLine{ItemID: l.ItemID, UnitID: l.UnitID, Qty: l.Qty, ToLocationID: l.ToLocationID,
			Batch: l.Batch, Expiry: l.Expiry, Note: l.Note})
	}
	sc, err := s.prepareStockDoc(ctx, p, &r, true)
	if err != nil {
		return r, err
	}
	if err := s.number(ctx, sc, &r); err != nil {
		return r, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if rec, err := tx.Received(ctx, p.CompanyID, orig.ID); err != nil {
			return err
		} else if rec != 0 {
			return domain.ErrorKey(domain.EConflict, "error.not_in_transit", nil, "the transfer was received meanwhile")
		}
		if err := s.createDoc(ctx, tx, sc, &r); err != nil {
			return err
		}
		if err := audit(ctx, tx, p, "document", r.ID, "create", nil, &r); err != nil {
			return err
		}
		return s.post(ctx, tx, p, sc, &r, domain.DocDraft)
	})
	return r, err
}

// InTransit lists two-step transfers shipped and not yet received.
func (s *Service) InTransit(ctx context.Context, p *domain.Principal) ([]domain.Document, error) {
	scope := p.Warehouses
	if p.IsAdmin {
		scope = nil
	}
	docs, err := view(ctx, s, func(tx *store.Tx) ([]domain.Document, error) { return tx.InTransit(ctx, p.CompanyID, scope) })
	return hideDocCosts(p, docs), err
}

// Today is the business date now, in the configured time zone.
func (s *Service) Today() domain.Date { return s.today() }

// UTCOffset is the business time zone's offset from UTC now, in minutes
// east (480 for China): the web app counts its "today" by it.
func (s *Service) UTCOffset() int {
	_, off := s.db.Now().In(s.loc()).Zone()
	return off / 60
}

// moveSerials tracks the serial numbers of a document's moves.
func (s *Service) moveSerials(ctx context.Context, tx *store.Tx, d *domain.Document, moves []domain.Move, virtual func(int64) bool) error {
	byID := make(map[int64]int, len(d.Lines))
	for i, l := range d.Lines {
		byID[l.ID] = i
	}
	var sm []store.SerialMove
	for _, m := range moves {
		k, ok := byID[m.LineID]
		if !ok || len(d.Lines[k].Serials) == 0 {
			continue
		}
		mv := store.SerialMove{Line: k, ItemID: m.ItemID, Serials: d.Lines[k].Serials, From: m.From, To: m.To, DocumentID: d.ID, Date: d.Date}
		if !virtual(m.From) {
			mv.FromReal = m.From
		}
		if !virtual(m.To) {
			mv.ToReal = m.To
		}
		sm = append(sm, mv)
	}
	if len(sm) == 0 {
		return nil
	}
	return tx.MoveSerials(ctx, d.CompanyID, sm)
}

// Serials finds a serial number (of one item, or of any) and its history.
func (s *Service) Serials(ctx context.Context, p *domain.Principal, itemID int64, serial string) ([]store.SerialInfo, error) {
	serial = trim(serial)
	if serial == "" {
		return nil, domain.FieldErr("serial", "required")
	}
	return view(ctx, s, func(tx *store.Tx) ([]store.SerialInfo, error) { return tx.Serials(ctx, p.CompanyID, itemID, serial) })
}

// Location is the time zone business dates are counted in.
func (s *Service) Location() *time.Location { return s.loc() }

// landCosts posts a landed cost: each line's share (Amount) is added to
// the value of the receipt line it names, as of the receipt's date, by a
// recost row; the scopes of those items (and any a transfer carried them
// to) are then replayed, so averages, FIFO layers and the later issues
// take the charges as if known on the day (domain/landed.go). It always
// replays in the posting: a landed cost concerns recent receipts, and the
// value has to reach the projections with its row.
func (s *Service) landCosts(ctx context.Context, tx *store.Tx, d *domain.Document, sources map[int64]store.SourceLine) error {
	lock, err := tx.PeriodGuard(ctx, d.CompanyID, false)
	if err != nil {
		return err
	}
	co, err := tx.Company(ctx, d.CompanyID)
	if err != nil {
		return err
	}
	scopeOf := func(wh int64) int64 {
		if co.Settings.CostingScope == domain.CostingScopeWarehouse {
			return wh
		}
		return 0
	}
	virt, err := tx.VirtualLocations(ctx, d.CompanyID)
	if err != nil {
		return err
	}
	recost := map[domain.CostKey]bool{}
	warehouse := map[int64]int64{}
	roots := map[int64]int64{}
	lines := map[int64]int64{}
	var entries []store.LedgerEntry
	for i, l := range d.Lines {
		src := sources[l.SourceLineID]
		if lock != nil && !lock.Before(src.DocDate) {
			e := periodClosed(*lock)
			e.(*domain.Error).Fields = []domain.FieldError{{Field: linesField(i, "source_line_id"), Rule: "period_closed", Params: map[string]string{"date": lock.String()}}}
			return e
		}
		loc := src.LocationID
		if loc == 0 {
			if roots[src.WarehouseID] == 0 {
				w, err := tx.Warehouse(ctx, d.CompanyID, src.WarehouseID)
				if err != nil {
					return err
				}
				roots[src.WarehouseID] = w.RootLocationID
			}
			loc = roots[src.WarehouseID]
		}
		warehouse[loc] = src.WarehouseID
		if _, ok := lines[src.ItemID]; !ok {
			lines[src.ItemID] = l.ID
		}
		entries = append(entries, store.LedgerEntry{DocumentID: d.ID, DocType: d.Type, Date: src.DocDate, Leg: domain.Leg{
			Kind: domain.LegRecost, LineID: l.ID, BalanceKey: domain.BalanceKey{ItemID: src.ItemID, LocationID: loc, Batch: src.Batch},
			Counter: virt[domain.LocSupplier], Value: l.Amount, AdjustsLineID: src.ID}})
		recost[domain.CostKey{ItemID: src.ItemID, ScopeID: scopeOf(src.WarehouseID)}] = true
	}
	if err := carryScopes(ctx, tx, d.CompanyID, lock, d.Type, nil, recost, scopeOf); err != nil {
		return err
	}
	methods, codes := map[int64]domain.CostingMethod{}, map[int64]string{}
	if err := itemCosting(ctx, tx, co, recost, methods, codes); err != nil {
		return err
	}
	bk, ck, err := scopeLocks(ctx, tx, d.CompanyID, recost, nil, nil, warehouse)
	if err != nil {
		return err
	}
	b, err := tx.LockStock(ctx, store.StockLock{CompanyID: d.CompanyID, Balances: bk, Costs: ck, Methods: methods, Warehouse: warehouse})
	if err != nil {
		return err
	}
	rp := &replayer{tx: tx, companyID: d.CompanyID, doc: d.ID, docType: d.Type, lines: lines, first: d.Lines[0].ID, b: b, methods: methods,
		codes: codes, allowNeg: co.Settings.NegativeStock == domain.NegativeStockAllow, warehouse: warehouse, lock: lock, scopeOf: scopeOf}
	if entries, err = rp.all(ctx, recost, entries); err != nil {
		return err
	}
	return tx.WriteBook(ctx, d.CompanyID, b, entries, warehouse)
}
