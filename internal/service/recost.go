package service

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// Re-costing after a back-dated posting (see domain.Replay): small cases
// replay inside the posting; when the scopes of an item hold more ledger
// rows since the last close than Config.RecostInlineRows, or the item
// already waits for a job, the posting books at today's cost and leaves a
// tracked job per (item, scope) that a worker of `jxc serve` runs in a
// transaction of its own. Until it has run, the later issues of the item
// carry their old cost; quantities are never affected.

// DefaultRecostInlineRows bounds the replay a posting does itself: about
// 0.1 s of replay on the reference machine (docs/DECISIONS.md).
const DefaultRecostInlineRows = 5000

func (s *Service) recostInlineRows() int {
	if s.cfg.RecostInlineRows > 0 {
		return s.cfg.RecostInlineRows
	}
	return DefaultRecostInlineRows
}

// planRecost closes recost over transfers (carryScopes) and moves the items
// too large to replay now out of it, returning their jobs.
func (s *Service) planRecost(ctx context.Context, tx *store.Tx, d *domain.Document, moves []domain.Move, recost map[domain.CostKey]bool,
	scopeOf func(int64) int64, lock *domain.Date) ([]store.RecostJob, error) {
	direct := maps.Clone(recost)
	if err := carryScopes(ctx, tx, d.CompanyID, lock, d.Type, moves, recost, scopeOf); err != nil {
		return nil, err
	}
	var items []int64
	for k := range recost {
		if !slices.Contains(items, k.ItemID) {
			items = append(items, k.ItemID)
		}
	}
	slices.Sort(items)
	waiting, err := tx.PendingRecosts(ctx, d.CompanyID, items)
	if err != nil {
		return nil, err
	}
	var jobs []store.RecostJob
	for _, item := range items {
		later, rows := false, 0
		for k := range recost {
			if k.ItemID != item {
				continue
			}
			if waiting[k] {
				later = true
				break
			}
			n, err := tx.CountScopeRows(ctx, d.CompanyID, item, k.ScopeID, lock)
			if err != nil {
				return nil, err
			}
			rows += n
		}
		if !later && rows <= s.recostInlineRows() {
			continue
		}
		line := int64(0)
		for _, l := range d.Lines {
			if l.ItemID == item {
				line = l.ID
				break
			}
		}
		for _, k := range slices.SortedFunc(maps.Keys(direct), domain.CostKey.Compare) {
			if k.ItemID == item {
				jobs = append(jobs, store.RecostJob{CompanyID: d.CompanyID, ItemID: item, ScopeID: k.ScopeID, FromDate: d.Date.String(),
					DocumentID: d.ID, DocType: d.Type, LineID: line})
			}
		}
		maps.DeleteFunc(recost, func(k domain.CostKey, _ bool) bool { return k.ItemID == item })
	}
	return jobs, nil
}

// carryScopes adds to recost every (item, scope) that a document dated
// after the last close (stored, or the one posting the given moves) — what
// a replay reads, so what it may re-cost — carries a
// change of value into from one already in it — the receiving side of a
// transfer, an assembly's product, a disassembled product's components —
// until nothing more is added.
func carryScopes(ctx context.Context, tx *store.Tx, companyID int64, lock *domain.Date, docType domain.DocType, moves []domain.Move,
	recost map[domain.CostKey]bool, scopeOf func(int64) int64) error {
	type edge struct{ from, to domain.CostKey }
	var edges []edge
	switch docType {
	case domain.DocAssembly, domain.DocDisassembly:
		for _, o := range moves {
			for _, i := range moves {
				if o.Kind == domain.MoveOut && i.Kind == domain.MoveIn {
					edges = append(edges, edge{domain.CostKey{ItemID: o.ItemID, ScopeID: o.FromScope}, domain.CostKey{ItemID: i.ItemID, ScopeID: i.ToScope}})
				}
			}
		}
	default:
		for _, m := range moves {
			if m.Kind == domain.MoveTransfer && m.FromScope != m.ToScope {
				edges = append(edges, edge{domain.CostKey{ItemID: m.ItemID, ScopeID: m.FromScope}, domain.CostKey{ItemID: m.ItemID, ScopeID: m.ToScope}})
			}
		}
	}
	asked := map[int64]bool{}
	for {
		var items []int64 // items in recost whose stored edges are not loaded yet
		for k := range recost {
			if !asked[k.ItemID] {
				asked[k.ItemID] = true
				items = append(items, k.ItemID)
			}
		}
		if len(items) == 0 {
			return nil
		}
		found, err := tx.CarryEdgesSince(ctx, companyID, items, lock)
		if err != nil {
			return err
		}
		for _, e := range found {
			edges = append(edges, edge{domain.CostKey{ItemID: e.FromItem, ScopeID: scopeOf(e.FromWh)}, domain.CostKey{ItemID: e.ToItem, ScopeID: scopeOf(e.ToWh)}})
		}
		for grew := true; grew; {
			grew = false
			for _, e := range edges {
				if recost[e.from] && !recost[e.to] {
					recost[e.to], grew = true, true
				}
			}
		}
	}
}

// scopeLocks adds every balance row and cost row of the scopes to re-cost
// to the rows to lock (kept sorted: the one lock order), and their
// locations to warehouse.
func scopeLocks(ctx context.Context, tx *store.Tx, companyID int64, recost map[domain.CostKey]bool, bk []domain.BalanceKey, ck []domain.CostKey,
	warehouse map[int64]int64) ([]domain.BalanceKey, []domain.CostKey, error) {
	seenCost := map[domain.CostKey]bool{}
	for _, k := range ck {
		seenCost[k] = true
	}
	seen := map[domain.BalanceKey]bool{}
	for _, k := range bk {
		seen[k] = true
	}
	for _, k := range slices.SortedFunc(maps.Keys(recost), domain.CostKey.Compare) {
		if !seenCost[k] {
			seenCost[k] = true
			ck = append(ck, k)
		}
		keys, wh, err := tx.BalanceKeysOf(ctx, companyID, k.ItemID, k.ScopeID)
		if err != nil {
			return nil, nil, err
		}
		for _, bkey := range keys {
			if !seen[bkey] {
				seen[bkey] = true
				bk = append(bk, bkey)
			}
		}
		maps.Copy(warehouse, wh)
	}
	slices.SortFunc(bk, domain.BalanceKey.Compare)
	slices.SortFunc(ck, domain.CostKey.Compare)
	return bk, ck, nil
}

// replayer re-costs scopes whose rows are locked in b, on behalf of one
// document (the posting, or the one that caused a job).
type replayer struct {
	tx        *store.Tx
	companyID int64
	doc       int64
	docType   domain.DocType
	lines     map[int64]int64 // item → the document's line that causes its recost
	first     int64           // the document's first line
	b         *domain.Book
	methods   map[int64]domain.CostingMethod
	codes     map[int64]string
	allowNeg  bool
	warehouse map[int64]int64
	lock      *domain.Date
	scopeOf   func(int64) int64
	rowsRead  int
}

// cause is the document's line a recost row of item is linked to: the
// document's first line of the item, else its first line (a carry reaches
// items the document does not name).
func (r *replayer) cause(item int64) int64 {
	if l, ok := r.lines[item]; ok {
		return l
	}
	return r.first
}

// all replays the scopes to re-cost until none changes any more: a replay
// that re-costs a transfer out of its scope appends the opposite change to
// the transfer's incoming side (a transfer moves value, it neither makes
// nor loses any) and queues the receiving scope. Changes only flow forward
// in business-date order, so the queue drains; the bound guards against a
// bug, not a real case. entries are the rows the caller appends already;
// the result adds the recost rows.
func (r *replayer) all(ctx context.Context, recost map[domain.CostKey]bool, entries []store.LedgerEntry) ([]store.LedgerEntry, error) {
	queue := slices.SortedFunc(maps.Keys(recost), domain.CostKey.Compare)
	queued := map[domain.CostKey]bool{}
	for _, k := range queue {
		queued[k] = true
	}
	for n := 0; len(queue) > 0; n++ {
		if n > 50*len(recost) {
			return nil, fmt.Errorf("recost for document %d does not settle after %d replays", r.doc, n)
		}
		k := queue[0]
		queue, queued[k] = queue[1:], false
		fixes, carries, err := r.scope(ctx, k, entries)
		if err != nil {
			return nil, err
		}
		entries = append(entries, fixes...)
		entries = append(entries, carries...)
		for _, c := range carries {
			to := domain.CostKey{ItemID: c.ItemID, ScopeID: r.scopeOf(r.warehouse[c.LocationID])}
			if !recost[to] { // carryScopes locks every scope a carry can reach
				return nil, fmt.Errorf("recost for document %d reaches scope %v, which it did not lock (carry %+v; locked %v)", r.doc, to, c, recost)
			}
			if !queued[to] {
				queue, queued[to] = append(queue, to), true
			}
		}
	}
	return entries, nil
}

// scope replays one (item, scope) with the rows this run appends (pending)
// in their date order, sets the book's rows of the scope to the replay's
// end state, and returns the recost rows to append: fixes in the scope,
// carries to the incoming side of transfers out of it.
func (r *replayer) scope(ctx context.Context, k domain.CostKey, pending []store.LedgerEntry) (fixes, carries []store.LedgerEntry, err error) {
	tx, b := r.tx, r.b
	// From the last closed period's snapshot: history before it is final.
	var start *domain.Cost
	var bals []domain.Balance
	if r.lock != nil {
		if bals, start, err = tx.SnapshotOf(ctx, r.companyID, *r.lock, k.ItemID, k.ScopeID, k.ScopeID); err != nil {
			return nil, nil, err
		}
	}
	rows, err := tx.ScopeRows(ctx, r.companyID, k.ItemID, k.ScopeID, r.lock, nil)
	if err != nil {
		return nil, nil, err
	}
	r.rowsRead += len(rows)
	// Rows of this run come after every stored row of their day.
	const after = int64(1) << 62
	inScope := func(loc int64) bool { return k.ScopeID == 0 || r.warehouse[loc] == k.ScopeID }
	for i, l := range pending {
		if l.ItemID != k.ItemID || !inScope(l.LocationID) {
			continue
		}
		rows = append(rows, domain.LedgerMove{ID: after + int64(i), Date: l.Date, DocumentID: l.DocumentID, DocType: l.DocType, LineID: l.LineID, Kind: l.Kind,
			Move: l.Move, BalanceKey: l.BalanceKey, Counter: l.Counter, Qty: l.Qty, Value: l.Value, Adjusts: l.AdjustsLineID})
	}
	rb, found, err := domain.Replay(domain.ReplayScope{CostKey: k, Method: r.methods[k.ItemID], AllowNegative: r.allowNeg,
		ItemCode: r.codes[k.ItemID], Start: start, Balances: bals, Rows: rows})
	if err != nil {
		return nil, nil, err
	}
	// The scope's rows take the replay's end state (reservations and
	// expiry are not the replay's business).
	for key, bal := range b.Balances {
		if key.ItemID != k.ItemID || !inScope(key.LocationID) {
			continue
		}
		x := rb.Balances[key]
		if x == nil {
			x = &domain.Balance{}
		}
		bal.OnHand, bal.Value = x.OnHand, x.Value
		b.ChangedBalances[key] = true
	}
	if c := rb.Costs[k]; c != nil {
		last := b.Costs[k].LastCost
		*b.Costs[k] = *c
		if c.LastCost == 0 {
			b.Costs[k].LastCost = last
		}
		b.ChangedCosts[k] = true
	}
	cause := r.cause(k.ItemID)
	for _, f := range found {
		// Dated like the move it corrects, so stock at any date stays right.
		fixes = append(fixes, store.LedgerEntry{DocumentID: r.doc, DocType: r.docType, Date: f.Date, Leg: domain.Leg{
			Kind: domain.LegRecost, LineID: cause, BalanceKey: f.BalanceKey, Counter: f.Counter,
			Value: f.Value, AdjustsLineID: f.Line}})
	}
	if carries, err = r.carry(ctx, k, rows, found, pending, inScope); err != nil {
		return nil, nil, err
	}
	return fixes, carries, nil
}

// carry returns the recost rows that move the changes found on outgoing
// legs to their incoming side: a transfer's other leg (when it is in
// another scope; within one the replay moved the value itself), an
// assembly's product, a disassembled product's components (split like the
// value they received).
func (r *replayer) carry(ctx context.Context, k domain.CostKey, rows []domain.LedgerMove, found []domain.Recost,
	pending []store.LedgerEntry, inScope func(int64) bool) ([]store.LedgerEntry, error) {
	type leg struct {
		line int64
		domain.BalanceKey
	}
	outs := map[leg]domain.LedgerMove{}
	for _, x := range rows {
		// Not a reversal's legs: each follows its original by itself.
		if x.Kind == domain.LegMove && x.Qty < 0 && x.Move != domain.MoveReturnOut && (x.DocType == domain.DocStockTransfer || x.DocType == domain.DocAssembly || x.DocType == domain.DocDisassembly) {
			outs[leg{x.LineID, x.BalanceKey}] = x
		}
	}
	var carries []store.LedgerEntry
	cause := r.cause(k.ItemID)
	add := func(x domain.LedgerMove, to domain.BalanceKey, counter, line int64, v domain.Money) error {
		if _, known := r.warehouse[to.LocationID]; !known {
			return fmt.Errorf("recost for document %d: line %d carries to location %d outside the locked scopes", r.doc, line, to.LocationID)
		}
		carries = append(carries, store.LedgerEntry{DocumentID: r.doc, DocType: r.docType, Date: x.Date, Leg: domain.Leg{
			Kind: domain.LegRecost, LineID: cause, BalanceKey: to, Counter: counter, Value: v, AdjustsLineID: line}})
		return nil
	}
	delta := map[int64]domain.Money{} // assemblies and disassemblies: the change their outgoing legs got
	first := map[int64]domain.LedgerMove{}
	var docs []int64
	for _, f := range found {
		x, ok := outs[leg{f.Line, f.BalanceKey}]
		if !ok {
			continue
		}
		if x.DocType == domain.DocStockTransfer {
			if inScope(x.Counter) {
				continue
			}
			if err := add(x, domain.BalanceKey{ItemID: k.ItemID, LocationID: x.Counter, Batch: f.Batch}, f.LocationID, f.Line, -f.Value); err != nil {
				return nil, err
			}
			continue
		}
		if _, seen := delta[x.DocumentID]; !seen {
			docs = append(docs, x.DocumentID)
			first[x.DocumentID] = x
		}
		delta[x.DocumentID] -= f.Value
	}
	if len(docs) == 0 {
		return carries, nil
	}
	// The incoming legs of those documents: this run's, or stored.
	var stored []int64
	ins := map[int64][]domain.LedgerMove{}
	for _, doc := range docs {
		if doc != r.doc {
			stored = append(stored, doc)
			continue
		}
		for _, e := range pending {
			if e.DocumentID == doc && e.Kind == domain.LegMove && e.Qty > 0 {
				ins[doc] = append(ins[doc], domain.LedgerMove{DocumentID: doc, LineID: e.LineID, BalanceKey: e.BalanceKey, Counter: e.Counter, Qty: e.Qty, Value: e.Value})
			}
		}
	}
	more, err := r.tx.InLegs(ctx, stored)
	if err != nil {
		return nil, err
	}
	for _, x := range more {
		ins[x.DocumentID] = append(ins[x.DocumentID], x)
	}
	for _, doc := range docs {
		d, to := delta[doc], ins[doc]
		if d == 0 {
			continue
		}
		if len(to) == 0 {
			return nil, fmt.Errorf("recost for document %d: document %d has no incoming leg to carry %s to", r.doc, doc, d)
		}
		// Split like the value each leg received (by quantity when none
		// had any); the parts sum to d.
		weights := make([]int64, len(to))
		byQty := true
		for k, x := range to {
			if weights[k] = int64(x.Value); x.Value > 0 {
				byQty = false
			}
		}
		for k, x := range to {
			switch {
			case byQty:
				weights[k] = int64(x.Qty)
			case weights[k] < 0:
				weights[k] = 0
			}
		}
		parts, err := domain.Allocate(d, weights)
		if err != nil {
			return nil, fmt.Errorf("recost for document %d: carry %s: %w", r.doc, d, err)
		}
		for k, x := range to {
			if err := add(first[doc], x.BalanceKey, x.Counter, x.LineID, parts[k]); err != nil {
				return nil, err
			}
		}
	}
	return carries, nil
}

// itemCosting adds the costing method and code of every item in recost
// that methods does not know yet (the items a carry reaches).
func itemCosting(ctx context.Context, tx *store.Tx, co domain.Company, recost map[domain.CostKey]bool,
	methods map[int64]domain.CostingMethod, codes map[int64]string) error {
	var ids []int64
	for k := range recost {
		if _, ok := methods[k.ItemID]; !ok && !slices.Contains(ids, k.ItemID) {
			ids = append(ids, k.ItemID)
		}
	}
	for start := 0; start < len(ids); start += 500 {
		items, _, err := tx.ListItems(ctx, store.ItemFilter{ListFilter: store.ListFilter{CompanyID: co.ID, Archived: "all",
			Page: store.Page{Limit: 500}}, IDs: ids[start:min(start+500, len(ids))]})
		if err != nil {
			return err
		}
		for _, it := range items {
			methods[it.ID], codes[it.ID] = cmp.Or(it.CostingMethod, co.Settings.CostingMethod), it.Code
		}
	}
	for _, id := range ids {
		if _, ok := methods[id]; !ok {
			return domain.Errorf(domain.ENotFound, "item %d", id)
		}
	}
	return nil
}

// ------------------------------------------------------------------ jobs

// RecostJobs lists the company's re-cost jobs, newest first.
func (s *Service) RecostJobs(ctx context.Context, p *domain.Principal, f store.RecostFilter) ([]store.RecostJob, int, error) {
	f.CompanyID = p.CompanyID
	return list(ctx, s, func(tx *store.Tx) ([]store.RecostJob, int, error) { return tx.ListRecostJobs(ctx, f) })
}

// RunRecostJobs runs pending jobs, each in a transaction of its own, until
// none is left; it returns how many ran. A job that fails is retried on a
// later run and given up after three attempts (jxc check reports it).
func (s *Service) RunRecostJobs(ctx context.Context) (int, error) {
	n := 0
	for ctx.Err() == nil {
		var job *store.RecostJob
		err := s.db.Update(ctx, func(tx *store.Tx) error {
			j, err := tx.NextRecostJob(ctx)
			if err != nil || j == nil {
				job = nil
				return err
			}
			job = j
			return s.runRecostJob(ctx, tx, j)
		})
		if job == nil {
			return n, err
		}
		n++
		if err != nil {
			if ctx.Err() != nil {
				return n, ctx.Err()
			}
			code := string(domain.ErrorCode(err))
			if code == "" {
				code = string(domain.EInternal)
			}
			s.log.Error("recost job failed", "job", job.ID, "item", job.ItemID, "scope", job.ScopeID, "err", err)
			if ferr := s.db.Update(ctx, func(tx *store.Tx) error { return tx.FailRecost(ctx, job.ID, code) }); ferr != nil {
				return n, errors.Join(err, ferr)
			}
		}
	}
	return n, ctx.Err()
}

// runRecostJob replays the job's scope and every scope a transfer carries
// it into, as a posting would, and marks the jobs of those scopes done.
func (s *Service) runRecostJob(ctx context.Context, tx *store.Tx, j *store.RecostJob) error {
	lock, err := tx.PeriodGuard(ctx, j.CompanyID, false)
	if err != nil {
		return err
	}
	co, err := tx.Company(ctx, j.CompanyID)
	if err != nil {
		return err
	}
	byWarehouse := co.Settings.CostingScope == domain.CostingScopeWarehouse
	scopeOf := func(wh int64) int64 {
		if byWarehouse {
			return wh
		}
		return 0
	}
	// The replay reads from the last close, whatever the job's date: so
	// does the chain of scopes it may carry into.
	recost := map[domain.CostKey]bool{{ItemID: j.ItemID, ScopeID: j.ScopeID}: true}
	if err := carryScopes(ctx, tx, j.CompanyID, lock, "", nil, recost, scopeOf); err != nil {
		return err
	}
	methods, codes := map[int64]domain.CostingMethod{}, map[int64]string{}
	if err := itemCosting(ctx, tx, co, recost, methods, codes); err != nil {
		return err
	}
	warehouse := map[int64]int64{}
	bk, ck, err := scopeLocks(ctx, tx, j.CompanyID, recost, nil, nil, warehouse)
	if err != nil {
		return err
	}
	b, err := tx.LockStock(ctx, store.StockLock{CompanyID: j.CompanyID, Balances: bk, Costs: ck, Methods: methods, Warehouse: warehouse})
	if err != nil {
		return err
	}
	rp := &replayer{tx: tx, companyID: j.CompanyID, doc: j.DocumentID, docType: j.DocType, lines: map[int64]int64{j.ItemID: j.LineID}, b: b,
		methods: methods, codes: codes, allowNeg: co.Settings.NegativeStock == domain.NegativeStockAllow,
		warehouse: warehouse, lock: lock, scopeOf: scopeOf, first: j.LineID}
	entries, err := rp.all(ctx, recost, nil)
	if err != nil {
		return err
	}
	if err := tx.WriteBook(ctx, j.CompanyID, b, entries, warehouse); err != nil {
		return err
	}
	j.RowsRead, j.Fixes = int64(rp.rowsRead), int64(len(entries))
	scopes := make([]int64, 0, len(recost))
	for k := range recost {
		scopes = append(scopes, k.ScopeID)
	}
	return tx.FinishRecost(ctx, j, scopes)
}

// wakeRecost tells the worker that a job may be waiting.
func (s *Service) wakeRecost() {
	select {
	case s.recostWake <- struct{}{}:
	default:
	}
}

// RecostWorker runs re-cost jobs until ctx ends: when a posting of this
// process leaves one, and every few seconds for those of other processes
// on the same database.
func (s *Service) RecostWorker(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := s.RunRecostJobs(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("recost jobs", "err", err)
		} else if n > 0 {
			s.log.Info("recost jobs ran", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-s.recostWake:
			// Let the posting that left the job commit first.
			select {
			case <-time.After(50 * time.Millisecond):
			case <-ctx.Done():
				return
			}
		case <-t.C:
		}
	}
}

// recostPending refuses a period close while re-costs wait: the snapshots
// would freeze values that are about to change.
func recostPending(ctx context.Context, tx *store.Tx, companyID int64) error {
	n, err := tx.CountRecostJobs(ctx, companyID, store.RecostPending)
	if err != nil || n == 0 {
		return err
	}
	return domain.ErrorKey(domain.EConflict, "error.recost_pending", map[string]string{"count": strconv.Itoa(n)},
		strconv.Itoa(n)+" re-costing jobs have not run yet")
}
