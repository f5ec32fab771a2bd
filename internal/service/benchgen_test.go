package service_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// TestGenerateBench generates a small company on each engine (both costing
// scopes) and proves that it is what was asked, that every stock invariant
// holds (jxc check), and that the generated documents behave like posted
// ones: one reverses, and a new posting follows on the history.
func TestGenerateBench(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := newService(db)
		for _, scope := range []domain.CostingScope{domain.CostingScopeCompany, domain.CostingScopeWarehouse} {
			code := "BENCH-" + string(scope)
			res, err := svc.GenerateBench(ctx, service.BenchGenConfig{Code: code, Items: 200, Warehouses: 2, Ledger: 5000, Days: 90, Seed: 7,
				CostingScope: scope})
			if err != nil {
				t.Fatalf("GenerateBench(%s): %v", scope, err)
			}
			if res.Items != 200 || res.Warehouses != 2 {
				t.Errorf("%s: %d items × %d warehouses, want 200 × 2", scope, res.Items, res.Warehouses)
			}
			// A document is never split, so the ledger may pass the target
			// by the rows of its last document (at most 9 lines).
			if res.LedgerRows < 5000 || res.LedgerRows > 5000+18 {
				t.Errorf("%s: %d ledger rows, want 5000", scope, res.LedgerRows)
			}
			co := res.Company.ID
			var rows, docs, lines, bals int
			err = db.View(ctx, func(tx *store.Tx) error {
				for _, c := range []struct {
					q string
					n *int
				}{
					{"SELECT COUNT(*) FROM stock_ledger WHERE company_id = ?", &rows},
					{"SELECT COUNT(*) FROM documents WHERE company_id = ? AND state = 'posted'", &docs},
					{"SELECT COUNT(*) FROM document_lines WHERE company_id = ?", &lines},
					{"SELECT COUNT(*) FROM stock_balances WHERE company_id = ? AND on_hand < 0", &bals},
				} {
					if err := tx.QueryRowContext(ctx, c.q, co).Scan(c.n); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if rows != res.LedgerRows || docs != res.Documents || lines != res.Lines {
				t.Errorf("%s: stored %d rows, %d documents, %d lines; reported %d, %d, %d", scope, rows, docs, lines, res.LedgerRows, res.Documents, res.Lines)
			}
			if bals != 0 {
				t.Errorf("%s: %d balances below zero", scope, bals)
			}
			checkClean(t, svc, co, string(scope)+" after gen")
			asOfMatchesLedger(t, svc, db, res, 90)
			streamMatchesPages(t, svc, res.Company.ID)

			// The repair path (jxc check --repair: balances from the ledger,
			// cost states replayed) finds nothing to change.
			before := costStates(t, db, co)
			out, err := svc.RepairStock(ctx, co)
			if err != nil {
				t.Fatal(err)
			}
			if len(out) != 1 || !strings.HasSuffix(out[0], "cost states replayed") {
				t.Errorf("%s: repair changed something: %q", scope, out)
			}
			if diff := cmp.Diff(before, costStates(t, db, co)); diff != "" {
				t.Errorf("%s: replayed cost states differ from the generated ones (-gen +replay):\n%s", scope, diff)
			}

			// The history behaves like posted documents.
			p := service.System(co)
			tr, _, err := svc.StockDocs(ctx, p, service.DocFilter{Types: []domain.DocType{domain.DocStockTransfer}, ListFilter: store.ListFilter{Page: store.Page{Limit: 1}}})
			if err != nil || len(tr) == 0 {
				t.Fatalf("%s: no transfer to reverse (%v)", scope, err)
			}
			if _, err := svc.ReverseStockDoc(ctx, p, tr[0].ID, svc.Today(), "bench gen test"); err != nil {
				t.Fatalf("%s: reverse %s: %v", scope, tr[0].Number, err)
			}
			d, err := svc.StockDoc(ctx, p, tr[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.CreateStockDoc(ctx, p, domain.Document{Type: domain.DocStockOpening, Date: svc.Today(), WarehouseID: d.WarehouseID,
				Lines: []domain.DocLine{{ItemID: d.Lines[0].ItemID, Qty: domain.QtyOf(5), Price: domain.PriceOf(3)}}}, true); err != nil {
				t.Fatalf("%s: post after gen: %v", scope, err)
			}
			checkClean(t, svc, co, string(scope)+" after a reversal and a posting")
		}
	})
}

// asOfMatchesLedger proves the month-end closes a generated company got:
// one for each month that ended before today, and the stock at past dates
// — read from the snapshots plus the ledger after them — equal to the
// ledger summed from the beginning, for every warehouse, on the close days,
// on the days either side of them, on the first day and yesterday.
func asOfMatchesLedger(t *testing.T, svc *service.Service, db *store.DB, res service.BenchGenResult, days int) {
	t.Helper()
	ctx := context.Background()
	p := service.System(res.Company.ID)
	today := svc.Today()
	first := today.AddDate(0, 0, -(days - 1))
	var check []domain.Date
	closes := 0
	for d := first.AddDate(0, 0, 1); !d.After(today.Time); d = d.AddDate(0, 0, 1) {
		if d.Day() == 1 {
			closes++
			for _, dd := range []int{-2, -1, 0} {
				check = append(check, domain.Date{Time: d.AddDate(0, 0, dd)})
			}
		}
	}
	check = append(check, domain.Date{Time: first}, domain.Date{Time: today.AddDate(0, 0, -1)})
	if res.Closes != closes {
		t.Errorf("%d month-end closes, want %d", res.Closes, closes)
	}
	cs, err := svc.StockCloses(ctx, p)
	if err != nil || len(cs) != closes {
		t.Fatalf("%d closes stored (%v), want %d", len(cs), err, closes)
	}
	whs, _, err := svc.Warehouses(ctx, p, service.ListFilter{Page: store.Page{Limit: 500}})
	if err != nil {
		t.Fatal(err)
	}
	type qv struct{ Q, V int64 }
	for _, day := range check {
		for _, w := range whs {
			want := map[int64]qv{}
			err := db.View(ctx, func(tx *store.Tx) error {
				rows, err := tx.QueryContext(ctx, `SELECT g.item_id, CAST(SUM(g.qty) AS BIGINT), CAST(SUM(g.value) AS BIGINT)
					FROM stock_ledger g JOIN locations l ON l.id = g.location_id
					WHERE g.company_id = ? AND g.doc_date <= ? AND l.warehouse_id = ?
					GROUP BY g.item_id HAVING SUM(g.qty) <> 0 OR SUM(g.value) <> 0`, res.Company.ID, day.String(), w.ID)
				if err != nil {
					return err
				}
				defer rows.Close()
				for rows.Next() {
					var id int64
					var r qv
					if err := rows.Scan(&id, &r.Q, &r.V); err != nil {
						return err
					}
					want[id] = r
				}
				return rows.Err()
			})
			if err != nil {
				t.Fatal(err)
			}
			got := map[int64]qv{}
			for off := 0; ; off += 500 {
				d := day
				rows, n, err := svc.StockBalances(ctx, p, service.BalanceFilter{GroupBy: "item", WarehouseID: w.ID, AsOf: &d, Page: store.Page{Limit: 500, Offset: off}})
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range rows {
					got[r.ItemID] = qv{int64(r.OnHand), int64(r.Value)}
				}
				if off+500 >= n {
					break
				}
			}
			if len(want) == 0 {
				t.Errorf("%s at the end of %s: no stock in the ledger", w.Code, day)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s at the end of %s: stock from the snapshots differs from the ledger (-ledger +as of):\n%s", w.Code, day, diff)
			}
		}
	}
}

// streamMatchesPages holds the streamed balance list of a generated
// company (hundreds of rows: several batches of the stream's pipeline) to
// its pages, and stops the stream when the writing fails.
func streamMatchesPages(t *testing.T, svc *service.Service, companyID int64) {
	t.Helper()
	ctx := context.Background()
	p := service.System(companyID)
	var pages []store.StockRow
	for off := 0; ; off += 100 {
		pg, err := svc.StockBalancePage(ctx, p, service.BalanceFilter{NoCount: true, Page: store.Page{Limit: 100, Offset: off}})
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, pg.Rows...)
		if !pg.More {
			break
		}
	}
	var streamed []store.StockRow
	if err := svc.StreamStockBalances(ctx, p, service.BalanceFilter{}, func(r store.StockRow) error { streamed = append(streamed, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(pages) < 300 {
		t.Fatalf("%d balance rows: too few to cross the stream's batches", len(pages))
	}
	if diff := cmp.Diff(pages, streamed); diff != "" {
		t.Errorf("stream differs from the pages (-pages +stream):\n%s", diff)
	}
	broken := errors.New("client gone")
	n := 0
	err := svc.StreamStockBalances(ctx, p, service.BalanceFilter{}, func(store.StockRow) error {
		if n == 280 {
			return broken
		}
		n++
		return nil
	})
	if !errors.Is(err, broken) || n != 280 {
		t.Errorf("a failed write: %v after %d rows, want %v after 280", err, n, broken)
	}
}

// costStates reads a company's cost states as text, in key order.
func costStates(t *testing.T, db *store.DB, companyID int64) []string {
	t.Helper()
	var out []string
	err := db.View(context.Background(), func(tx *store.Tx) error {
		rows, err := tx.QueryContext(context.Background(), `SELECT item_id, scope_id, method, qty, value, last_cost, layers FROM stock_costs
			WHERE company_id = ? ORDER BY item_id, scope_id`, companyID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var item, scope, qty, value, last int64
			var method, layers string
			if err := rows.Scan(&item, &scope, &method, &qty, &value, &last, &layers); err != nil {
				return err
			}
			out = append(out, fmt.Sprintf("%d/%d %s %d %d %d %s", item, scope, method, qty, value, last, layers))
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func checkClean(t *testing.T, svc *service.Service, companyID int64, when string) {
	t.Helper()
	probs, err := svc.CheckStock(context.Background(), companyID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range probs {
		t.Errorf("%s: %s", when, p)
	}
}
