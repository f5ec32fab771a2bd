package store_test

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// lockTexts keeps the texts of LockStock's locking reads.
type lockTexts struct {
	mu    sync.Mutex
	texts []string
}

func (h *lockTexts) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

func (h *lockTexts) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	if strings.HasPrefix(e.Query, "SELECT") && strings.Contains(e.Query, "FOR UPDATE") {
		h.mu.Lock()
		h.texts = append(h.texts, e.Query)
		h.mu.Unlock()
	}
}

// LockStock finds and locks the rows of any set of keys — batches with
// quotes, commas, braces and backslashes in their names included — and on
// PostgreSQL sends one text per row set whatever the keys and however
// many: a new text per set of keys was parsed, prepared (a round trip more)
// and planned anew on every posting.
func TestLockStockKeys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		co, pcs, _ := seed(t, db)
		wh, items := warehouseItems(t, db, co, pcs, domain.TrackBatch, "A", "B", "C")
		h := &lockTexts{}
		db.AddQueryHook(h)
		lock := func(batches ...string) {
			t.Helper()
			var bk []domain.BalanceKey
			var ck []domain.CostKey
			methods := map[int64]domain.CostingMethod{}
			for i, batch := range batches {
				it := items[i%len(items)]
				bk = append(bk, domain.BalanceKey{ItemID: it.ID, LocationID: wh.RootLocationID, Batch: batch})
				ck = append(ck, domain.CostKey{ItemID: it.ID})
				methods[it.ID] = domain.CostingMovingAverage
			}
			slices.SortFunc(bk, domain.BalanceKey.Compare)
			ck = uniqueCostKeys(ck)
			for round := 0; round < 2; round++ { // the first creates the rows, the second finds them
				err := db.Update(ctx, func(tx *store.Tx) error {
					b, err := tx.LockStock(ctx, store.StockLock{CompanyID: co, Balances: bk, Costs: ck, Methods: methods,
						Warehouse: map[int64]int64{wh.RootLocationID: wh.ID}})
					if err != nil {
						return err
					}
					for _, k := range bk {
						if b.Balances[k] == nil {
							t.Errorf("round %d: balance row %+v not found", round, k)
						}
					}
					if len(b.Balances) != len(bk) || len(b.Costs) != len(ck) {
						t.Errorf("round %d: %d balance and %d cost rows for %d and %d keys", round, len(b.Balances), len(b.Costs), len(bk), len(ck))
					}
					if db.Dialect() == store.Postgres { // the rest of a posting runs on generic plans (TestPGPlansOnce)
						var mode string
						if err := tx.NewRaw("SHOW plan_cache_mode").Scan(ctx, &mode); err != nil || mode != "force_generic_plan" {
							t.Errorf("after LockStock, plan_cache_mode %q, %v; want force_generic_plan", mode, err)
						}
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		lock("", `it's`, `a,b`, `{x}`, `back\slash`, `"q"`)
		lock("L1", "L2")
		lock("")
		if db.Dialect() != store.Postgres {
			return
		}
		var mode string
		if err := db.View(ctx, func(tx *store.Tx) error { return tx.NewRaw("SHOW plan_cache_mode").Scan(ctx, &mode) }); err != nil || mode != "auto" {
			t.Errorf("after the posting's transaction, plan_cache_mode %q, %v; want auto (PostgreSQL chooses)", mode, err)
		}
		shapes := map[string]bool{}
		for _, q := range h.texts {
			shapes[store.PGStatementShape(q)] = true
		}
		if len(shapes) != 2 { // one for the cost rows, one for the balance rows
			for s := range shapes {
				t.Log(s)
			}
			t.Errorf("%d texts prepared for LockStock's reads of %d key sets, want 2", len(shapes), 3)
		}
	})
}

func uniqueCostKeys(ks []domain.CostKey) []domain.CostKey {
	seen := map[domain.CostKey]bool{}
	var out []domain.CostKey
	for _, k := range ks {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b domain.CostKey) int {
		return cmp.Or(cmp.Compare(a.ItemID, b.ItemID), cmp.Compare(a.ScopeID, b.ScopeID))
	})
	return out
}

// On PostgreSQL a posting's guard and its row locks go in one round trip
// (PostingAhead), and PostingGuard and LockStock then answer from it as
// they would alone; on SQLite PostingAhead does nothing.
func TestPostingAhead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		co, pcs, _ := seed(t, db)
		wh, items := warehouseItems(t, db, co, pcs, domain.TrackNone, "A", "B")
		var bk []domain.BalanceKey
		var ck []domain.CostKey
		var ids []int64
		methods := map[int64]domain.CostingMethod{}
		for _, it := range items {
			bk = append(bk, domain.BalanceKey{ItemID: it.ID, LocationID: wh.RootLocationID})
			ck = append(ck, domain.CostKey{ItemID: it.ID})
			ids = append(ids, it.ID)
			methods[it.ID] = domain.CostingMovingAverage
		}
		l := store.StockLock{CompanyID: co, Balances: bk, Costs: ck, Methods: methods, Warehouse: map[int64]int64{wh.RootLocationID: wh.ID}}
		day := domain.NewDate(2026, time.December, 5)
		for round := range 2 { // the first creates the rows, the second finds them all
			if err := db.Update(ctx, func(tx *store.Tx) error {
				before := db.RoundTrips()
				if err := tx.PostingAhead(ctx, co, ids, day, l); err != nil {
					return err
				}
				lock, later, err := tx.PostingGuard(ctx, co, ids, day)
				if err != nil {
					return err
				}
				if lock != nil || len(later) != 0 {
					t.Errorf("round %d: guard %v %v, want no lock date and no later moves", round, lock, later)
				}
				b, err := tx.LockStock(ctx, l)
				if err != nil {
					return err
				}
				if len(b.Balances) != 2 || len(b.Costs) != 2 {
					t.Errorf("round %d: %d balance and %d cost rows, want 2 and 2", round, len(b.Balances), len(b.Costs))
				}
				if n := db.RoundTrips() - before; round == 1 && db.Dialect() == store.Postgres && n != 1 {
					t.Errorf("the guard and both locks took %d round trips, want 1", n)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// warehouseItems makes a warehouse W1 and an item per code, tracked so.
func warehouseItems(t *testing.T, db *store.DB, co, pcs int64, tracking domain.Tracking, codes ...string) (domain.Warehouse, []domain.Item) {
	t.Helper()
	ctx := context.Background()
	wh := domain.Warehouse{CompanyID: co, Code: "W1", Name: "总仓"}
	var items []domain.Item
	if err := db.Update(ctx, func(tx *store.Tx) error {
		items = items[:0]
		if err := tx.CreateWarehouse(ctx, &wh); err != nil {
			return err
		}
		for _, code := range codes {
			it := domain.Item{CompanyID: co, Code: code, Name: code, BaseUnitID: pcs, Tracking: tracking}
			if err := tx.CreateItem(ctx, &it); err != nil {
				return err
			}
			items = append(items, it)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return wh, items
}
