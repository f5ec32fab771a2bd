package service_test

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// reportFixture is a small history for the stock reports, in two
// warehouses, a bin and batches, with October closed:
//
//	10-05  opening  W1: A 10 @10, A 3 @10 in bin A-01, B 5 @4, BAT 4 @2 (L1), 2 @2 (L2); W2: A 6 @10
//	10-20  issue    W1: A 4                      (moving average 10: value 40)
//	10-31  month-end close
//	11-03  transfer W1 → W2: B 2                 (value 8)
//	11-10  receipt  W1: C 7 @3
//	11-12  issue    W1: C 7                      (value 21)
//	11-15  receipt  W1: A 2 @13
type reportFixture struct {
	stockFixture
	a, b, c, bat domain.Item
	bin          domain.Location
}

func setUpReports(t *testing.T, db *store.DB) reportFixture {
	t.Helper()
	ctx := context.Background()
	f := reportFixture{stockFixture: setUpStock(t, db, 3)}
	f.a, f.b, f.c = f.items[0], f.items[1], f.items[2]
	var err error
	f.bat, err = f.svc.CreateItem(ctx, f.admin, domain.Item{Code: "SKU-BAT", Name: "批次货", BaseUnitID: f.a.BaseUnitID, Tracking: domain.TrackBatch})
	noErr(t, "batch item", err)
	f.bin, err = f.svc.CreateLocation(ctx, f.admin, f.w1.ID, domain.Location{Code: "A-01", Name: "A区01"})
	noErr(t, "bin", err)
	at := func(d string, doc domain.Document) {
		doc.Date = day(d)
		f.post(t, doc)
	}
	inBin := line(f.a.ID, "3", "10")
	inBin.LocationID = f.bin.ID
	l1, l2 := line(f.bat.ID, "4", "2"), line(f.bat.ID, "2", "2")
	e1, e2 := day("2027-01-01"), day("2026-12-31")
	l1.Batch, l1.Expiry, l2.Batch, l2.Expiry = "L1", &e1, "L2", &e2
	at("2026-10-05", domain.Document{Type: domain.DocStockOpening, WarehouseID: f.w1.ID,
		Lines: []domain.DocLine{line(f.a.ID, "10", "10"), inBin, line(f.b.ID, "5", "4"), l1, l2}})
	at("2026-10-05", domain.Document{Type: domain.DocStockOpening, WarehouseID: f.w2.ID, Lines: []domain.DocLine{line(f.a.ID, "6", "10")}})
	at("2026-10-20", domain.Document{Type: domain.DocStockOut, Reason: "damage", WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(f.a.ID, "4", "0")}})
	_, err = f.svc.ClosePeriod(ctx, f.admin, day("2026-10-31"))
	noErr(t, "close October", err)
	w2 := f.w2.ID
	at("2026-11-03", domain.Document{Type: domain.DocStockTransfer, WarehouseID: f.w1.ID, ToWarehouseID: &w2, Lines: []domain.DocLine{line(f.b.ID, "2", "0")}})
	at("2026-11-10", domain.Document{Type: domain.DocStockIn, Reason: "gain", WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(f.c.ID, "7", "3")}})
	at("2026-11-12", domain.Document{Type: domain.DocStockOut, Reason: "damage", WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(f.c.ID, "7", "0")}})
	at("2026-11-15", domain.Document{Type: domain.DocStockIn, Reason: "gain", WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(f.a.ID, "2", "13")}})
	return f
}

// A clerk of W2 only, who may not see costs.
func (f reportFixture) clerk() *domain.Principal {
	c := *f.admin
	c.IsAdmin = false
	c.Perms = map[domain.Perm]bool{"stock.balance.read": true, "report.stock.read": true}
	c.Warehouses = map[int64]bool{f.w2.ID: true}
	return &c
}

// inItemOrder is the balance list in the order of the item code, then
// warehouse, location and batch.
func inItemOrder(rows []store.StockRow) []store.StockRow {
	rows = slices.Clone(rows)
	slices.SortFunc(rows, func(a, b store.StockRow) int {
		return cmp.Or(cmp.Compare(a.ItemCode, b.ItemCode), cmp.Compare(a.WarehouseID, b.WarehouseID),
			cmp.Compare(a.LocationID, b.LocationID), cmp.Compare(a.Batch, b.Batch))
	})
	return rows
}

// Pages of the balance list in item order (read a page's items first)
// are slices of the whole list added up in SQL, at every grouping, size
// and offset; the number of rows is known or, when spared, -1 until the
// last page; more says whether a page follows. The whole list is checked
// against figures worked out by hand.
func TestStockBalancePages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpReports(t, db)
		for _, g := range []string{"item", "warehouse", "location", "batch"} {
			// The reference: every row, added up in SQL (sorted by on hand,
			// then put in item order here).
			all, n, err := f.svc.StockBalances(ctx, f.admin, service.BalanceFilter{GroupBy: g, Sort: "on_hand", Page: store.Page{Limit: 500}})
			noErr(t, g, err)
			if n != len(all) {
				t.Fatalf("%s: total %d for %d rows", g, n, len(all))
			}
			// Every sort gives the same rows in its order.
			for _, sort := range []string{"-on_hand", "value", "-value", "available", "-available"} {
				other, _, err := f.svc.StockBalances(ctx, f.admin, service.BalanceFilter{GroupBy: g, Sort: sort, Page: store.Page{Limit: 500}})
				noErr(t, g+" "+sort, err)
				if diff := diffRows(inItemOrder(all), inItemOrder(other)); diff != "" {
					t.Errorf("%s sorted by %s (-on_hand +%s):\n%s", g, sort, sort, diff)
				}
				key := map[string]func(store.StockRow) int64{"on_hand": func(r store.StockRow) int64 { return int64(r.OnHand) },
					"value": func(r store.StockRow) int64 { return int64(r.Value) }, "available": func(r store.StockRow) int64 { return int64(r.Available) }}[strings.TrimPrefix(sort, "-")]
				for i := 1; i < len(other); i++ {
					if a, b := key(other[i-1]), key(other[i]); (sort[0] == '-') != (a >= b) && a != b {
						t.Errorf("%s sorted by %s: %d before %d", g, sort, a, b)
					}
				}
			}
			asc := inItemOrder(all)
			for _, desc := range []bool{false, true} {
				want := asc
				if desc { // item blocks in reverse, each item's groups in order
					want = nil
					for i := len(asc) - 1; i >= 0; {
						j := i
						for j > 0 && asc[j-1].ItemID == asc[i].ItemID {
							j--
						}
						want = append(want, asc[j:i+1]...)
						i = j - 1
					}
				}
				sort := map[bool]string{false: "item", true: "-item"}[desc]
				for limit := 1; limit <= len(want)+1; limit++ {
					for offset := 0; offset <= len(want)+1; offset++ {
						for _, noCount := range []bool{false, true} {
							pg, err := f.svc.StockBalancePage(ctx, f.admin, service.BalanceFilter{GroupBy: g, Sort: sort, NoCount: noCount,
								Page: store.Page{Limit: limit, Offset: offset}})
							noErr(t, g, err)
							end := min(offset+limit, len(want))
							wantRows := want[min(offset, len(want)):end]
							wantMore := offset+limit < len(want)
							wantTotal := len(want)
							if noCount && (wantMore || offset > 0 && offset >= len(want)) { // an empty page past the start says nothing of the end
								wantTotal = -1
							}
							if diff := gocmp.Diff(wantRows, pg.Rows, emptyIsNil); diff != "" {
								t.Fatalf("%s sort %s limit %d offset %d: rows (-want +got):\n%s", g, sort, limit, offset, diff)
							}
							if pg.More != wantMore || pg.Total != wantTotal {
								t.Fatalf("%s sort %s limit %d offset %d no count %v: more %v total %d, want %v %d", g, sort, limit, offset, noCount,
									pg.More, pg.Total, wantMore, wantTotal)
							}
						}
					}
				}
			}
		}

		// With filters: the count of a first page equals the rows of the list
		// added up in SQL.
		for _, g := range []string{"item", "warehouse", "location", "batch"} {
			for _, bf := range []service.BalanceFilter{{WarehouseID: f.w1.ID}, {Q: "SKU-00"}, {Q: "SKU-B", WarehouseID: f.w1.ID}, {CategoryID: 0, WithZero: true}} {
				bf.GroupBy = g
				ref := bf
				ref.Sort, ref.Page = "on_hand", store.Page{Limit: 500}
				all, _, err := f.svc.StockBalances(ctx, f.admin, ref)
				noErr(t, g, err)
				bf.Page = store.Page{Limit: 1}
				pg, err := f.svc.StockBalancePage(ctx, f.admin, bf)
				noErr(t, g, err)
				if pg.Total != len(all) || len(all) == 0 || diffRows(inItemOrder(all)[:1], pg.Rows) != "" {
					t.Errorf("%s %+v: total %d rows %v, want %d and %v", g, bf, pg.Total, pg.Rows, len(all), inItemOrder(all)[:min(1, len(all))])
				}
			}
		}

		// By hand. A: 19 in at 10, 4 out at 10, 2 in at 13: 86 in W1 (8),
		// 30 in the bin (3), 60 in W2 (6). B: 5 at 4, 2 of them moved to W2.
		// C came and went: no row. BAT: two batches at 2.
		type fig struct {
			Item, Wh, Loc int64
			Batch         string
			On            domain.Qty
			Value         domain.Money
		}
		q, m := domain.QtyOf, domain.MoneyOf
		w1, w2, bin := f.w1.RootLocationID, f.w2.RootLocationID, f.bin.ID
		for _, tt := range []struct {
			group string
			want  []fig
		}{
			{"item", []fig{{f.a.ID, 0, 0, "", q(17), m(176)}, {f.b.ID, 0, 0, "", q(5), m(20)}, {f.bat.ID, 0, 0, "", q(6), m(12)}}},
			{"warehouse", []fig{{f.a.ID, f.w1.ID, 0, "", q(11), m(116)}, {f.a.ID, f.w2.ID, 0, "", q(6), m(60)},
				{f.b.ID, f.w1.ID, 0, "", q(3), m(12)}, {f.b.ID, f.w2.ID, 0, "", q(2), m(8)}, {f.bat.ID, f.w1.ID, 0, "", q(6), m(12)}}},
			{"location", []fig{{f.a.ID, f.w1.ID, w1, "", q(8), m(86)}, {f.a.ID, f.w1.ID, bin, "", q(3), m(30)}, {f.a.ID, f.w2.ID, w2, "", q(6), m(60)},
				{f.b.ID, f.w1.ID, w1, "", q(3), m(12)}, {f.b.ID, f.w2.ID, w2, "", q(2), m(8)}, {f.bat.ID, f.w1.ID, w1, "", q(6), m(12)}}},
			{"batch", []fig{{f.a.ID, f.w1.ID, w1, "", q(8), m(86)}, {f.a.ID, f.w1.ID, bin, "", q(3), m(30)}, {f.a.ID, f.w2.ID, w2, "", q(6), m(60)},
				{f.b.ID, f.w1.ID, w1, "", q(3), m(12)}, {f.b.ID, f.w2.ID, w2, "", q(2), m(8)},
				{f.bat.ID, f.w1.ID, w1, "L1", q(4), m(8)}, {f.bat.ID, f.w1.ID, w1, "L2", q(2), m(4)}}},
		} {
			rows, _, err := f.svc.StockBalances(ctx, f.admin, service.BalanceFilter{GroupBy: tt.group, Page: store.Page{Limit: 500}})
			noErr(t, tt.group, err)
			got := make([]fig, len(rows))
			for i, r := range rows {
				got[i] = fig{r.ItemID, r.WarehouseID, r.LocationID, r.Batch, r.OnHand, r.Value}
			}
			if diff := gocmp.Diff(tt.want, got); diff != "" {
				t.Errorf("by %s (-want +got):\n%s", tt.group, diff)
			}
		}
	})
}

func diffRows(a, b []store.StockRow) string { return gocmp.Diff(a, b, emptyIsNil) }

var emptyIsNil = gocmp.FilterValues(func(a, b []store.StockRow) bool { return len(a) == 0 && len(b) == 0 }, gocmp.Ignore())

// The streamed balance list has every row of the paged list, in the same
// order, for each grouping and for a past date; a clerk gets only the
// warehouses of their role and no values.
func TestStreamStockBalances(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpReports(t, db)
		oct := day("2026-10-31")
		for _, p := range []*domain.Principal{f.admin, f.clerk()} {
			for _, bf := range []service.BalanceFilter{{GroupBy: "item"}, {GroupBy: "warehouse"}, {}, {GroupBy: "batch"}, {GroupBy: "location", WithZero: true},
				{GroupBy: "item", WarehouseID: f.w1.ID}, {GroupBy: "warehouse", AsOf: &oct}, {GroupBy: "batch", AsOf: &oct}} {
				var list []store.StockRow
				for off := 0; ; off += 2 {
					page := bf
					page.Page = store.Page{Limit: 2, Offset: off}
					pg, err := f.svc.StockBalancePage(ctx, p, page)
					noErr(t, "page", err)
					list = append(list, pg.Rows...)
					if !pg.More {
						break
					}
				}
				var got []store.StockRow
				err := f.svc.StreamStockBalances(ctx, p, bf, func(r store.StockRow) error { got = append(got, r); return nil })
				noErr(t, "stream", err)
				if diff := gocmp.Diff(list, got, emptyIsNil); diff != "" {
					t.Errorf("%s %+v: stream differs from the list (-list +stream):\n%s", p.Username, bf, diff)
				}
				if len(got) == 0 && bf.WarehouseID == 0 {
					t.Errorf("%+v: nothing streamed", bf)
				}
				for _, r := range got {
					if !p.IsAdmin && (r.WarehouseID != 0 && r.WarehouseID != f.w2.ID || r.Value != 0 || r.UnitCost != 0) {
						t.Errorf("the clerk sees %+v", r)
					}
				}
			}
		}
	})
}

// The movement summary (收发存汇总) of W1 for November, worked out by hand
// (see reportFixture): opening + in − out = closing, the closing stock is
// the stock at the end of November, and the figures are the same read from
// the October snapshot or, after reopening October, from the ledger alone.
func TestStockMovements(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpReports(t, db)
		type fig struct {
			Item                     int64
			OpenQ, InQ, OutQ, CloseQ domain.Qty
			OpenV, InV, OutV, CloseV domain.Money
		}
		q, m := domain.QtyOf, domain.MoneyOf
		figs := func(rows []store.MovementRow) []fig {
			out := make([]fig, len(rows))
			for i, r := range rows {
				out[i] = fig{r.ItemID, r.OpeningQty, r.InQty, r.OutQty, r.ClosingQty, r.OpeningValue, r.InValue, r.OutValue, r.ClosingValue}
			}
			return out
		}
		nov := service.MovementFilter{WarehouseID: f.w1.ID, From: day("2026-11-01"), To: day("2026-11-30"), Page: store.Page{Limit: 50}}
		wantW1 := []fig{
			{f.a.ID, q(9), q(2), q(0), q(11), m(90), m(26), m(0), m(116)}, // 6 + 3 in the bin; 2 at 13
			{f.b.ID, q(5), q(0), q(2), q(3), m(20), m(0), m(8), m(12)},    // 2 moved to W2
			{f.c.ID, q(0), q(7), q(7), q(0), m(0), m(21), m(21), m(0)},    // came and went
			{f.bat.ID, q(6), q(0), q(0), q(6), m(12), m(0), m(0), m(12)},  // did not move
		}
		wantTotals := fig{0, q(20), q(9), q(9), q(20), m(122), m(47), m(29), m(140)}
		check := func(when string) {
			t.Helper()
			rep, err := f.svc.StockMovements(ctx, f.admin, nov)
			noErr(t, when, err)
			if diff := gocmp.Diff(wantW1, figs(rep.Rows)); diff != "" {
				t.Errorf("%s: W1 in November (-want +got):\n%s", when, diff)
			}
			if diff := gocmp.Diff(wantTotals, figs([]store.MovementRow{rep.Totals})[0]); diff != "" || rep.Total != 4 {
				t.Errorf("%s: totals of %d rows (-want +got):\n%s", when, rep.Total, diff)
			}
			// Closing = the stock at the end of the range.
			end := day("2026-11-30")
			bal, _, err := f.svc.StockBalances(ctx, f.admin, service.BalanceFilter{GroupBy: "item", WarehouseID: f.w1.ID, AsOf: &end, Page: store.Page{Limit: 500}})
			noErr(t, when, err)
			closing := map[int64]fig{}
			for _, r := range rep.Rows {
				if r.ClosingQty != 0 || r.ClosingValue != 0 {
					closing[r.ItemID] = fig{Item: r.ItemID, CloseQ: r.ClosingQty, CloseV: r.ClosingValue}
				}
			}
			asOf := map[int64]fig{}
			for _, r := range bal {
				asOf[r.ItemID] = fig{Item: r.ItemID, CloseQ: r.OnHand, CloseV: r.Value}
			}
			if diff := gocmp.Diff(asOf, closing); diff != "" {
				t.Errorf("%s: closing differs from the stock at the end of November (-as of +closing):\n%s", when, diff)
			}
			// Paged, the rows are slices of the whole, with the same totals.
			page := nov
			page.Page = store.Page{Limit: 3, Offset: 2}
			rep2, err := f.svc.StockMovements(ctx, f.admin, page)
			noErr(t, when, err)
			if diff := gocmp.Diff(wantW1[2:], figs(rep2.Rows)); diff != "" || rep2.Total != 4 || rep2.Totals != rep.Totals {
				t.Errorf("%s: second page (-want +got):\n%s", when, diff)
			}
			var streamed []store.MovementRow
			noErr(t, when, f.svc.StreamStockMovements(ctx, f.admin, nov, func(r store.MovementRow) error { streamed = append(streamed, r); return nil }))
			if diff := gocmp.Diff(rep.Rows, streamed); diff != "" {
				t.Errorf("%s: streamed (-page +stream):\n%s", when, diff)
			}
		}
		check("from the October snapshot")

		// Both warehouses: the transfer is out of W1 and into W2.
		all := nov
		all.WarehouseID = 0
		rep, err := f.svc.StockMovements(ctx, f.admin, all)
		noErr(t, "all warehouses", err)
		if got := figs(rep.Rows); len(got) != 4 || got[1] != (fig{f.b.ID, q(5), q(2), q(2), q(5), m(20), m(8), m(8), m(20)}) ||
			got[0] != (fig{f.a.ID, q(15), q(2), q(0), q(17), m(150), m(26), m(0), m(176)}) {
			t.Errorf("all warehouses: %+v", got)
		}
		// Across the close: October's issue is in the range.
		acr := service.MovementFilter{WarehouseID: f.w1.ID, From: day("2026-10-15"), To: day("2026-11-05"), Page: store.Page{Limit: 50}}
		rep, err = f.svc.StockMovements(ctx, f.admin, acr)
		noErr(t, "across the close", err)
		if got := figs(rep.Rows); len(got) != 3 || got[0] != (fig{f.a.ID, q(13), q(0), q(4), q(9), m(130), m(0), m(40), m(90)}) {
			t.Errorf("across the close: %+v", got)
		}
		// The clerk sees W2 only and no values.
		rep, err = f.svc.StockMovements(ctx, f.clerk(), all)
		noErr(t, "clerk", err)
		if got := figs(rep.Rows); len(got) != 2 || got[0] != (fig{Item: f.a.ID, OpenQ: q(6), CloseQ: q(6)}) || got[1] != (fig{Item: f.b.ID, InQ: q(2), CloseQ: q(2)}) ||
			rep.Totals.OpeningValue != 0 || rep.Totals.InValue != 0 {
			t.Errorf("clerk: %+v, totals %+v", got, rep.Totals)
		}
		_, err = f.svc.StockMovements(ctx, f.admin, service.MovementFilter{From: day("2026-11-02"), To: day("2026-11-01")})
		wantField(t, "to before from", err, "to", "before_start")

		_, err = f.svc.ReopenPeriod(ctx, f.admin, "test: read the ledger alone")
		noErr(t, "reopen", err)
		check("from the ledger alone")
	})
}

// Per-warehouse totals, by hand (see reportFixture): C came and went, so W1
// holds three items; the clerk sees W2 without its value.
func TestWarehouseTotals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpReports(t, db)
		type fig struct {
			Wh    int64
			Items int
			On    domain.Qty
			Value domain.Money
		}
		for _, tt := range []struct {
			who  string
			p    *domain.Principal
			want []fig
		}{
			{"admin", f.admin, []fig{{f.w1.ID, 3, domain.QtyOf(20), domain.MoneyOf(140)}, {f.w2.ID, 2, domain.QtyOf(8), domain.MoneyOf(68)}}},
			{"clerk", f.clerk(), []fig{{f.w2.ID, 2, domain.QtyOf(8), 0}}},
		} {
			ts, err := f.svc.WarehouseTotals(ctx, tt.p)
			noErr(t, tt.who, err)
			var got []fig
			for _, w := range ts {
				got = append(got, fig{w.WarehouseID, w.Items, w.OnHand, w.Value})
			}
			if diff := gocmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.who, diff)
			}
		}
	})
}

// Goods in transit (a two-step transfer shipped, not received) are in no
// warehouse: every form of the balance list leaves them out, as the list
// added up in SQL always did, and so do the export and the totals.
func TestBalancesLeaveTransitOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpReports(t, db)
		w2 := f.w2.ID
		f.post(t, domain.Document{Type: domain.DocStockTransfer, TwoStep: true, Date: day("2026-11-20"), WarehouseID: f.w1.ID, ToWarehouseID: &w2,
			Lines: []domain.DocLine{line(f.b.ID, "1", "0")}})
		for _, g := range []string{"item", "warehouse", "location", "batch"} {
			ref, _, err := f.svc.StockBalances(ctx, f.admin, service.BalanceFilter{GroupBy: g, Sort: "on_hand", Page: store.Page{Limit: 500}})
			noErr(t, g, err)
			page, _, err := f.svc.StockBalances(ctx, f.admin, service.BalanceFilter{GroupBy: g, Page: store.Page{Limit: 500}})
			noErr(t, g, err)
			var streamed []store.StockRow
			noErr(t, g, f.svc.StreamStockBalances(ctx, f.admin, service.BalanceFilter{GroupBy: g}, func(r store.StockRow) error { streamed = append(streamed, r); return nil }))
			if diff := diffRows(inItemOrder(ref), page); diff != "" {
				t.Errorf("%s: page (-SQL +page):\n%s", g, diff)
			}
			if diff := diffRows(page, streamed); diff != "" {
				t.Errorf("%s: stream (-page +stream):\n%s", g, diff)
			}
			var b domain.Qty
			for _, r := range page {
				if r.ItemID == f.b.ID {
					b += r.OnHand
				}
			}
			if b != domain.QtyOf(4) {
				t.Errorf("%s: B on hand %s, want 4 (1 in transit)", g, b)
			}
		}
		ts, err := f.svc.WarehouseTotals(ctx, f.admin)
		noErr(t, "totals", err)
		if len(ts) != 2 || ts[0].OnHand+ts[1].OnHand != domain.QtyOf(27) {
			t.Errorf("warehouse totals %+v, want 27 on hand in all (28 less 1 in transit)", ts)
		}
	})
}
