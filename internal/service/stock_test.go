package service_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// stockFixture is a company with two warehouses and some items.
type stockFixture struct {
	fixture
	w1, w2 domain.Warehouse
	items  []domain.Item
}

func setUpStock(t *testing.T, db *store.DB, nItems int) stockFixture {
	t.Helper()
	ctx := context.Background()
	f := stockFixture{fixture: setUp(t, db)}
	pcs := f.unit(t, f.admin, "PCS", "个")
	var err error
	f.w1, err = f.svc.CreateWarehouse(ctx, f.admin, domain.Warehouse{Code: "W1", Name: "总仓"})
	noErr(t, "CreateWarehouse W1", err)
	f.w2, err = f.svc.CreateWarehouse(ctx, f.admin, domain.Warehouse{Code: "W2", Name: "门店"})
	noErr(t, "CreateWarehouse W2", err)
	for i := range nItems {
		it, err := f.svc.CreateItem(ctx, f.admin, domain.Item{Code: fmt.Sprintf("SKU-%03d", i), Name: fmt.Sprintf("商品%d", i), BaseUnitID: pcs.ID})
		noErr(t, "CreateItem", err)
		f.items = append(f.items, it)
	}
	return f
}

func line(item int64, qty, price string) domain.DocLine {
	return domain.DocLine{ItemID: item, Qty: mustQty(qty), Price: mustPrice(price)}
}

func mustQty(s string) domain.Qty {
	q, err := domain.ParseQty(s)
	if err != nil {
		panic(err)
	}
	return q
}

func mustPrice(s string) domain.Price {
	p, err := domain.ParsePrice(s)
	if err != nil {
		panic(err)
	}
	return p
}

func (f stockFixture) post(t *testing.T, d domain.Document) domain.Document {
	t.Helper()
	got, err := f.svc.CreateStockDoc(context.Background(), f.admin, d, true)
	noErr(t, "post "+string(d.Type), err)
	return got
}

// balance returns on hand and value of an item in a warehouse.
func (f stockFixture) balance(t *testing.T, item, warehouse int64) (domain.Qty, domain.Money) {
	t.Helper()
	rows, _, err := f.svc.StockBalances(context.Background(), f.admin, service.BalanceFilter{ItemID: item, WarehouseID: warehouse})
	noErr(t, "StockBalances", err)
	var q domain.Qty
	var v domain.Money
	for _, r := range rows {
		q += r.OnHand
		v += r.Value
	}
	return q, v
}

func (f stockFixture) check(t *testing.T) {
	t.Helper()
	probs, err := f.svc.CheckStock(context.Background(), f.company.ID)
	noErr(t, "CheckStock", err)
	for _, p := range probs {
		t.Errorf("check: %s", p)
	}
}

func TestStockDocumentsFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpStock(t, db, 2)
		a := f.items[0].ID

		op := f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: f.w1.ID,
			Lines: []domain.DocLine{line(a, "10", "10")}})
		if op.State != domain.DocPosted || op.TotalAmount != domain.MoneyOf(100) {
			t.Fatalf("opening: state %s total %s", op.State, op.TotalAmount)
		}
		if p, _, _, err := domain.ParseDocNumber(op.Number); err != nil || p != "QC" {
			t.Errorf("opening number %q: prefix %q, %v", op.Number, p, err)
		}
		// 10 @ 10.00, then 10 @ 12.00: average 11.00.
		f.post(t, domain.Document{Type: domain.DocStockIn, Reason: "gain", WarehouseID: f.w1.ID,
			Lines: []domain.DocLine{line(a, "10", "12")}})
		out := f.post(t, domain.Document{Type: domain.DocStockOut, Reason: "damage", WarehouseID: f.w1.ID,
			Lines: []domain.DocLine{line(a, "3", "0")}})
		if out.Lines[0].Amount != domain.MoneyOf(33) || out.TotalAmount != domain.MoneyOf(33) {
			t.Errorf("issue 3 at average 11.00: cost %s, want 33.00", out.Lines[0].Amount)
		}
		if q, v := f.balance(t, a, f.w1.ID); q != domain.QtyOf(17) || v != domain.MoneyOf(187) {
			t.Errorf("after issue: %s / %s, want 17 / 187.00", q, v)
		}
		// Transfer 7 to the shop: value 7/17 of 187.00 = 77.00.
		tr := f.post(t, domain.Document{Type: domain.DocStockTransfer, WarehouseID: f.w1.ID, ToWarehouseID: &f.w2.ID,
			Lines: []domain.DocLine{line(a, "7", "0")}})
		if tr.Lines[0].Amount != domain.MoneyOf(77) {
			t.Errorf("transfer value %s, want 77.00", tr.Lines[0].Amount)
		}
		if q, v := f.balance(t, a, f.w2.ID); q != domain.QtyOf(7) || v != domain.MoneyOf(77) {
			t.Errorf("shop: %s / %s, want 7 / 77.00", q, v)
		}
		// A warehouse not the company's is named by its field, the
		// destination's too, whether the document is posted at once or not.
		nowhere := int64(999_999)
		for _, post := range []bool{false, true} {
			_, err := f.svc.CreateStockDoc(ctx, f.admin, domain.Document{Type: domain.DocStockTransfer, WarehouseID: f.w1.ID, ToWarehouseID: &nowhere,
				Lines: []domain.DocLine{line(a, "1", "0")}}, post)
			wantField(t, "unknown destination", err, "to_warehouse_id", "unknown_reference")
			_, err = f.svc.CreateStockDoc(ctx, f.admin, domain.Document{Type: domain.DocStockTransfer, WarehouseID: nowhere, ToWarehouseID: &f.w2.ID,
				Lines: []domain.DocLine{line(a, "1", "0")}}, post)
			wantField(t, "unknown source", err, "warehouse_id", "unknown_reference")
		}
		// Too much: 409 insufficient stock naming the line, nothing changes.
		_, err := f.svc.CreateStockDoc(ctx, f.admin, domain.Document{Type: domain.DocStockOut, Reason: "damage", WarehouseID: f.w2.ID,
			Lines: []domain.DocLine{line(a, "5", "0"), line(a, "3", "0")}}, true)
		wantCode(t, "oversell", err, domain.EInsufficientStock)
		var e *domain.Error
		if errors.As(err, &e) && (len(e.Fields) != 1 || e.Fields[0].Field != "lines[1].qty" || e.Params["available"] != "2") {
			t.Errorf("oversell error: %+v", e)
		}
		if q, _ := f.balance(t, a, f.w2.ID); q != domain.QtyOf(7) {
			t.Errorf("after refused issue: %s, want 7", q)
		}
		// Reverse the issue: 3 come back at 33.00.
		rev, err := f.svc.ReverseStockDoc(ctx, f.admin, out.ID, domain.Date{}, "录错")
		noErr(t, "reverse", err)
		if rev.ReversesID == nil || *rev.ReversesID != out.ID || rev.TotalAmount != domain.MoneyOf(33) {
			t.Errorf("reversal: %+v", rev)
		}
		if q, v := f.balance(t, a, f.w1.ID); q != domain.QtyOf(13) || v != domain.MoneyOf(143) {
			t.Errorf("after reversal: %s / %s, want 13 / 143.00", q, v)
		}
		_, err = f.svc.ReverseStockDoc(ctx, f.admin, out.ID, domain.Date{}, "")
		wantCode(t, "reverse twice", err, domain.EConflict)
		got, err := f.svc.StockDoc(ctx, f.admin, out.ID)
		noErr(t, "StockDoc", err)
		if got.ReversedByID == nil || *got.ReversedByID != rev.ID {
			t.Errorf("original not linked to its reversal: %+v", got.ReversedByID)
		}
		// Reverse the transfer: the 7 go back with their 77.00.
		_, err = f.svc.ReverseStockDoc(ctx, f.admin, tr.ID, domain.Date{}, "")
		noErr(t, "reverse transfer", err)
		if q, v := f.balance(t, a, f.w1.ID); q != domain.QtyOf(20) || v != domain.MoneyOf(220) {
			t.Errorf("after transfer back: %s / %s, want 20 / 220.00", q, v)
		}
		// Reverse the receipt of 10 @ 12.00: they leave at 120.00, 10 @ 10.00 stay.
		docs, _, err := f.svc.StockDocs(ctx, f.admin, service.DocFilter{Types: []domain.DocType{domain.DocStockIn}})
		noErr(t, "StockDocs", err)
		if len(docs) != 1 {
			t.Fatalf("stock_in docs: %d", len(docs))
		}
		_, err = f.svc.ReverseStockDoc(ctx, f.admin, docs[0].ID, domain.Date{}, "")
		noErr(t, "reverse receipt", err)
		if q, v := f.balance(t, a, f.w1.ID); q != domain.QtyOf(10) || v != domain.MoneyOf(100) {
			t.Errorf("after receipt reversal: %s / %s, want 10 / 100.00", q, v)
		}
		f.check(t)
		led, err := f.svc.StockLedger(ctx, f.admin, service.LedgerFilter{ItemID: a, WarehouseID: f.w1.ID})
		noErr(t, "StockLedger", err)
		if n := len(led.Rows); n != 7 || led.Rows[n-1].BalanceQty != domain.QtyOf(10) || led.Rows[n-1].BalanceValue != domain.MoneyOf(100) {
			t.Errorf("ledger of W1: %d rows, last %+v", n, led.Rows[len(led.Rows)-1])
		}

		// The ledger is append-only: the database itself refuses.
		err = db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, "UPDATE stock_ledger SET qty = 0")
			return err
		})
		if err == nil {
			t.Error("UPDATE stock_ledger succeeded")
		}
		err = db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, "DELETE FROM stock_ledger")
			return err
		})
		if err == nil {
			t.Error("DELETE FROM stock_ledger succeeded")
		}
	})
}

func TestStockDraftsAndApproval(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpStock(t, db, 1)
		co := f.company
		co.Settings.ApprovalFor = []string{"stock_out"}
		_, err := f.svc.UpdateCompany(ctx, f.admin, co.ID, co)
		noErr(t, "UpdateCompany", err)
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(f.items[0].ID, "5", "2")}})

		d, err := f.svc.CreateStockDoc(ctx, f.admin, domain.Document{Type: domain.DocStockOut, Reason: "sample", WarehouseID: f.w1.ID,
			Lines: []domain.DocLine{line(f.items[0].ID, "1", "0")}}, false)
		noErr(t, "draft", err)
		if d.State != domain.DocDraft || d.Number == "" {
			t.Fatalf("draft: %s %q", d.State, d.Number)
		}
		_, err = f.svc.ActOnStockDoc(ctx, f.admin, d.ID, d.Version, service.ActPost)
		wantCode(t, "post without approval", err, domain.EConflict)
		d.Lines[0].Qty = mustQty("2")
		d, err = f.svc.UpdateStockDoc(ctx, f.admin, d.ID, d)
		noErr(t, "update draft", err)
		for _, act := range []service.DocAction{service.ActSubmit, service.ActApprove, service.ActPost} {
			d, err = f.svc.ActOnStockDoc(ctx, f.admin, d.ID, d.Version, act)
			noErr(t, string(act), err)
		}
		if d.State != domain.DocPosted || d.TotalAmount != domain.MoneyOf(4) {
			t.Errorf("posted: %s %s", d.State, d.TotalAmount)
		}
		if q, _ := f.balance(t, f.items[0].ID, f.w1.ID); q != domain.QtyOf(3) {
			t.Errorf("on hand %s, want 3", q)
		}
		_, err = f.svc.UpdateStockDoc(ctx, f.admin, d.ID, d)
		wantCode(t, "edit posted", err, domain.EConflict)
		_, err = f.svc.ActOnStockDoc(ctx, f.admin, d.ID, d.Version, service.ActPost)
		wantCode(t, "post twice", err, domain.EConflict)
		f.check(t)
	})
}

// 50 concurrent issues of 1 against 10 on hand: exactly 10 succeed.
func TestStockNoOversell(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpStock(t, db, 1)
		a := f.items[0].ID
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(a, "10", "3")}})
		var ok, short atomic.Int32
		var wg sync.WaitGroup
		for range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := f.svc.CreateStockDoc(ctx, f.admin, domain.Document{Type: domain.DocStockOut, Reason: "damage", WarehouseID: f.w1.ID,
					Lines: []domain.DocLine{line(a, "1", "0")}}, true)
				switch domain.ErrorCode(err) {
				case "":
				}
				if err == nil {
					ok.Add(1)
				} else if domain.ErrorCode(err) == domain.EInsufficientStock {
					short.Add(1)
				} else {
					t.Errorf("issue: %v", err)
				}
			}()
		}
		wg.Wait()
		if ok.Load() != 10 || short.Load() != 40 {
			t.Errorf("%d issued, %d refused; want 10 and 40", ok.Load(), short.Load())
		}
		if q, v := f.balance(t, a, f.w1.ID); q != 0 || v != 0 {
			t.Errorf("left %s / %s, want 0 / 0", q, v)
		}
		f.check(t)
	})
}

// Random multi-line documents over overlapping items, posted concurrently
// in random line order: none fails with a deadlock or serialization error,
// and the ledger agrees with the balances.
func TestStockConcurrentOverlapping(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpStock(t, db, 6)
		var lines []domain.DocLine
		for _, it := range f.items {
			lines = append(lines, line(it.ID, "1000", "5"))
		}
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: f.w1.ID, Lines: lines})
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(g), 7))
				for range 6 {
					perm := rng.Perm(len(f.items))[:2+rng.IntN(4)]
					var ls []domain.DocLine
					for _, k := range perm {
						ls = append(ls, line(f.items[k].ID, fmt.Sprint(1+rng.IntN(3)), "0"))
					}
					d := domain.Document{Type: domain.DocStockOut, Reason: "damage", WarehouseID: f.w1.ID, Lines: ls}
					if rng.IntN(2) == 0 {
						d = domain.Document{Type: domain.DocStockTransfer, WarehouseID: f.w1.ID, ToWarehouseID: &f.w2.ID, Lines: ls}
					}
					if _, err := f.svc.CreateStockDoc(ctx, f.admin, d, true); err != nil {
						t.Errorf("post: %v", err)
					}
				}
			}()
		}
		wg.Wait()
		f.check(t)
	})
}

// jxc check on a live database: postings committing while it reads must
// not show up as problems. It compares the ledger with the balances (and
// the cost states with both) in several statements, so it needs one
// snapshot for all of them; on PostgreSQL at READ COMMITTED every statement
// took its own, and a receipt committing between the ledger read and the
// balance read was reported as a balance the ledger does not explain.
func TestCheckWhilePosting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpStock(t, db, 4)
		var wg sync.WaitGroup
		stop := make(chan struct{})
		var posted atomic.Int32
		for g := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := 0; ; n++ {
					select {
					case <-stop:
						return
					default:
					}
					ls := []domain.DocLine{line(f.items[(g+n)%4].ID, "2", "3"), line(f.items[(g+n+1)%4].ID, "1", "4")}
					if _, err := f.svc.CreateStockDoc(ctx, f.admin, domain.Document{Type: domain.DocStockIn, Reason: "gain", WarehouseID: f.w1.ID, Lines: ls}, true); err != nil {
						t.Errorf("post: %v", err)
						return
					}
					posted.Add(1)
				}
			}()
		}
		checks := 0
		for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline) || posted.Load() < 30; checks++ {
			probs, err := f.svc.CheckStock(ctx, f.company.ID)
			noErr(t, "CheckStock", err)
			for _, p := range probs {
				t.Errorf("check %d while posting: %s", checks, p)
			}
			if t.Failed() {
				break
			}
		}
		close(stop)
		wg.Wait()
		t.Logf("%d checks beside %d postings", checks, posted.Load())
		f.check(t)
	})
}

func day(s string) domain.Date {
	d, err := domain.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// A receipt dated before a later issue re-costs the issue by an appended
// recost row; history is never rewritten.
func TestStockBackdated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpStock(t, db, 2)
		ma := f.items[0]
		fifo := f.items[1]
		fifo.CostingMethod = domain.CostingFIFO
		_, err := f.svc.UpdateItem(ctx, f.admin, fifo.ID, fifo)
		noErr(t, "fifo item", err)

		at := func(d string, doc domain.Document) domain.Document {
			doc.Date = day(d)
			doc.WarehouseID = f.w1.ID
			return f.post(t, doc)
		}
		// Moving average: 10 @ 10.00 on the 1st, issue 5 on the 3rd (50.00).
		at("2026-11-01", domain.Document{Type: domain.DocStockOpening, Lines: []domain.DocLine{line(ma.ID, "10", "10"), line(fifo.ID, "10", "10")}})
		out := at("2026-11-03", domain.Document{Type: domain.DocStockOut, Reason: "damage", Lines: []domain.DocLine{line(ma.ID, "5", "0"), line(fifo.ID, "5", "0")}})
		if out.Lines[0].Amount != domain.MoneyOf(50) || out.Lines[1].Amount != domain.MoneyOf(50) {
			t.Fatalf("issue costs %s, %s; want 50.00 both", out.Lines[0].Amount, out.Lines[1].Amount)
		}
		// Back-dated to the 2nd: 10 @ 13.00. In date order the average on the
		// 3rd is (100 + 130) / 20 = 11.50, so the issue cost 57.50: +7.50.
		// FIFO: the issue still takes the first layer (10.00): no change.
		at("2026-11-02", domain.Document{Type: domain.DocStockIn, Reason: "gain", Lines: []domain.DocLine{line(ma.ID, "10", "13")}})
		if q, v := f.balance(t, ma.ID, f.w1.ID); q != domain.QtyOf(15) || v != domain.Money(17250) {
			t.Errorf("moving average after back-dated receipt: %s / %s, want 15 / 172.50", q, v)
		}
		// FIFO, back-dated before everything: 10 @ 8.00 on Oct 31. The issue
		// now takes 5 @ 8.00 = 40.00: recost −10.00 of cost, +10.00 of stock.
		at("2026-10-31", domain.Document{Type: domain.DocStockIn, Reason: "gain", Lines: []domain.DocLine{line(fifo.ID, "10", "8")}})
		if q, v := f.balance(t, fifo.ID, f.w1.ID); q != domain.QtyOf(15) || v != domain.MoneyOf(140) {
			t.Errorf("FIFO after back-dated receipt: %s / %s, want 15 / 140.00", q, v)
		}
		// The ledger rows: the original −50.00 stays, a recost row
		// corrects it, dated like the issue.
		led, err := f.svc.StockLedger(ctx, f.admin, service.LedgerFilter{ItemID: ma.ID})
		noErr(t, "ledger", err)
		var got []string
		for _, r := range led.Rows {
			got = append(got, fmt.Sprintf("%s %s %s %s→%s", r.Date, r.Kind, r.Qty.Short(), r.Value, r.BalanceValue))
		}
		want := []string{"2026-11-01 move 10 100.00→100.00", "2026-11-02 move 10 130.00→230.00",
			"2026-11-03 move -5 -50.00→180.00", "2026-11-03 recost 0 -7.50→172.50"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("ledger:\n got %q\nwant %q", got, want)
		}
		// Reversing the issue brings the goods back at what they cost now.
		rev, err := f.svc.ReverseStockDoc(ctx, f.admin, out.ID, day("2026-11-04"), "")
		noErr(t, "reverse", err)
		if rev.Lines[0].Amount != domain.Money(5750) || rev.Lines[1].Amount != domain.MoneyOf(40) {
			t.Errorf("reversal values %s, %s; want 57.50 and 40.00", rev.Lines[0].Amount, rev.Lines[1].Amount)
		}
		// An issue dated before there was any stock cannot be covered by
		// history: refused, nothing written.
		_, err = f.svc.CreateStockDoc(ctx, f.admin, domain.Document{Type: domain.DocStockOut, Reason: "damage", Date: day("2026-10-30"),
			WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(ma.ID, "1", "0")}}, true)
		wantCode(t, "issue before any stock", err, domain.EInsufficientStock)
		f.check(t)
	})
}

// Month-end close: snapshots, the lock date, stock at past dates, a
// back-dated posting after the close replaying from the snapshot, reopen.
func TestStockPeriods(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpStock(t, db, 2)
		a, fifo := f.items[0], f.items[1]
		fifo.CostingMethod = domain.CostingFIFO
		_, err := f.svc.UpdateItem(ctx, f.admin, fifo.ID, fifo)
		noErr(t, "fifo item", err)
		at := func(d string, doc domain.Document) domain.Document {
			doc.Date, doc.WarehouseID = day(d), f.w1.ID
			return f.post(t, doc)
		}
		at("2026-10-05", domain.Document{Type: domain.DocStockOpening, Lines: []domain.DocLine{line(a.ID, "10", "10"), line(fifo.ID, "10", "10")}})
		at("2026-10-20", domain.Document{Type: domain.DocStockIn, Reason: "gain", Lines: []domain.DocLine{line(a.ID, "10", "14"), line(fifo.ID, "10", "14")}})
		at("2026-11-03", domain.Document{Type: domain.DocStockOut, Reason: "damage", Lines: []domain.DocLine{line(a.ID, "4", "0"), line(fifo.ID, "12", "0")}})

		draft, err := f.svc.CreateStockDoc(ctx, f.admin, domain.Document{Type: domain.DocStockOut, Reason: "damage", Date: day("2026-10-25"),
			WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(a.ID, "1", "0")}}, false)
		noErr(t, "draft", err)
		_, err = f.svc.ClosePeriod(ctx, f.admin, day("2026-10-31"))
		wantCode(t, "close with an open draft", err, domain.EConflict)
		_, err = f.svc.ActOnStockDoc(ctx, f.admin, draft.ID, draft.Version, service.ActCancel)
		noErr(t, "cancel draft", err)
		_, err = f.svc.ClosePeriod(ctx, f.admin, day("2099-01-31"))
		wantField(t, "close the future", err, "period_end", "future")
		_, err = f.svc.ClosePeriod(ctx, f.admin, day("2026-10-31"))
		noErr(t, "close October", err)
		_, err = f.svc.ClosePeriod(ctx, f.admin, day("2026-10-15"))
		wantField(t, "close before the lock", err, "period_end", "already_closed")

		// Nothing can be posted into October now.
		_, err = f.svc.CreateStockDoc(ctx, f.admin, domain.Document{Type: domain.DocStockIn, Reason: "gain", Date: day("2026-10-25"),
			WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(a.ID, "1", "1")}}, true)
		wantCode(t, "post into a closed period", err, domain.EConflict)

		asOf := func(d string, item int64) (domain.Qty, domain.Money) {
			t.Helper()
			dd := day(d)
			rows, _, err := f.svc.StockBalances(ctx, f.admin, service.BalanceFilter{ItemID: item, WarehouseID: f.w1.ID, AsOf: &dd})
			noErr(t, "as of "+d, err)
			var q domain.Qty
			var v domain.Money
			for _, r := range rows {
				q, v = q+r.OnHand, v+r.Value
			}
			return q, v
		}
		for _, c := range []struct {
			day  string
			item int64
			q    int64
			v    domain.Money
		}{
			{"2026-10-10", a.ID, 10, domain.MoneyOf(100)},   // ledger only
			{"2026-10-31", a.ID, 20, domain.MoneyOf(240)},   // the snapshot
			{"2026-11-05", a.ID, 16, domain.MoneyOf(192)},   // snapshot + the issue of 4 at 12.00
			{"2026-11-05", fifo.ID, 8, domain.MoneyOf(112)}, // FIFO: 10 @ 10 + 2 @ 14 went out; 8 @ 14 remain
			{"2026-09-30", fifo.ID, 0, 0},                   // before anything
		} {
			if q, v := asOf(c.day, c.item); q != domain.QtyOf(c.q) || v != c.v {
				t.Errorf("item %d as of %s: %s / %s, want %d / %s", c.item, c.day, q, v, c.q, c.v)
			}
		}
		// Back-dated into November, before the issue: FIFO replays from the
		// October snapshot (layers 10 @ 10, 10 @ 14) plus 5 @ 6 on Nov 1:
		// the issue of 12 takes 10 @ 10 + 2 @ 14 = 128.00 as before (layers
		// are oldest first by date, and the new one is newest), so nothing
		// changes; moving average: (240 + 5 × 6) / 25 = 10.80, the issue of
		// 4 costs 43.20 instead of 48.00.
		at("2026-11-01", domain.Document{Type: domain.DocStockIn, Reason: "gain", Lines: []domain.DocLine{line(a.ID, "5", "6"), line(fifo.ID, "5", "6")}})
		if q, v := f.balance(t, a.ID, f.w1.ID); q != domain.QtyOf(21) || v != domain.Money(22680) {
			t.Errorf("moving average: %s / %s, want 21 / 226.80", q, v)
		}
		if q, v := f.balance(t, fifo.ID, f.w1.ID); q != domain.QtyOf(13) || v != domain.MoneyOf(142) {
			t.Errorf("FIFO: %s / %s, want 13 / 142.00", q, v)
		}
		f.check(t)

		_, err = f.svc.ReopenPeriod(ctx, f.admin, " ")
		wantField(t, "reopen without a reason", err, "reason", "required")
		_, err = f.svc.ReopenPeriod(ctx, f.admin, "补录十月报损")
		noErr(t, "reopen", err)
		at("2026-10-25", domain.Document{Type: domain.DocStockOut, Reason: "damage", Lines: []domain.DocLine{line(a.ID, "1", "0")}})
		closes, err := f.svc.StockCloses(ctx, f.admin)
		noErr(t, "closes", err)
		if len(closes) != 1 || closes[0].ReopenedAt == nil || closes[0].Reason != "补录十月报损" {
			t.Errorf("closes: %+v", closes)
		}
		f.check(t)
	})
}

// A damaged projection is found by the check and rebuilt from the ledger.
func TestStockCheckRepair(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpStock(t, db, 2)
		fifo := f.items[1]
		fifo.CostingMethod = domain.CostingFIFO
		_, err := f.svc.UpdateItem(ctx, f.admin, fifo.ID, fifo)
		noErr(t, "fifo item", err)
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(f.items[0].ID, "10", "3"), line(fifo.ID, "4", "2.5")}})
		f.post(t, domain.Document{Type: domain.DocStockIn, Reason: "gain", WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(fifo.ID, "4", "3")}})
		f.post(t, domain.Document{Type: domain.DocStockOut, Reason: "damage", WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(fifo.ID, "5", "0")}})
		for _, q := range []string{
			"UPDATE stock_balances SET on_hand = on_hand + 10000, value = 1 WHERE item_id = " + fmt.Sprint(f.items[0].ID),
			"UPDATE stock_costs SET layers = '[]', qty = 0, value = 0 WHERE item_id = " + fmt.Sprint(fifo.ID),
		} {
			noErr(t, "damage", db.Update(ctx, func(tx *store.Tx) error { _, err := tx.ExecContext(ctx, q); return err }))
		}
		probs, err := f.svc.CheckStock(ctx, f.company.ID)
		noErr(t, "check", err)
		if len(probs) < 2 {
			t.Errorf("check found %d problems in a damaged projection: %q", len(probs), probs)
		}
		_, err = f.svc.RepairStock(ctx, f.company.ID)
		noErr(t, "repair", err)
		f.check(t)
		// The FIFO layers came back: 3 @ 3.00 left after issuing 4 @ 2.50 + 1 @ 3.00.
		if q, v := f.balance(t, fifo.ID, f.w1.ID); q != domain.QtyOf(3) || v != domain.MoneyOf(9) {
			t.Errorf("FIFO after repair: %s / %s, want 3 / 9.00", q, v)
		}
		out := f.post(t, domain.Document{Type: domain.DocStockOut, Reason: "damage", WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(fifo.ID, "3", "0")}})
		if out.TotalAmount != domain.MoneyOf(9) {
			t.Errorf("issue after repair cost %s, want 9.00", out.TotalAmount)
		}
		f.check(t)
	})
}

// A blind stocktake: the book quantity frozen at the start, counts by
// scanning, an item found that was not on the sheet, a recount, the
// variances posted as gain and loss at the current unit cost.
func TestStocktake(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpStock(t, db, 3)
		a, b, c := f.items[0].ID, f.items[1].ID, f.items[2].ID
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(a, "10", "4"), line(b, "5", "2")}})
		st, err := f.svc.CreateStocktake(ctx, f.admin, domain.Document{WarehouseID: f.w1.ID, Blind: true})
		noErr(t, "start", err)
		if len(st.Lines) != 2 || st.Lines[0].BookQty != domain.QtyOf(10) || !strings.HasPrefix(st.Number, "PD") {
			t.Fatalf("sheet: %+v", st)
		}
		// Stock moves after the count started: the frozen book stays 10.
		f.post(t, domain.Document{Type: domain.DocStockOut, Reason: "damage", WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(a, "1", "0")}})
		// A clerk without the post permission does not see the book.
		clerk := *f.admin
		clerk.IsAdmin, clerk.Perms = false, map[domain.Perm]bool{"stock.document.read": true, "stock.document.write": true}
		seen, err := f.svc.StockDoc(ctx, &clerk, st.ID)
		noErr(t, "clerk view", err)
		if seen.Lines[0].BookQty != 0 {
			t.Error("blind count shows the book quantity to a counter")
		}
		one := domain.QtyOf(1)
		st, err = f.svc.CountStocktake(ctx, &clerk, st.ID, 0, []service.Count{
			{ItemID: a, Qty: one, Add: true}, {ItemID: a, Qty: one, Add: true}, {ItemID: a, Qty: domain.QtyOf(5), Add: true}, // 7 scanned
			{LineID: st.Lines[1].ID, Qty: domain.QtyOf(9)}, // b: 9 (typo)
			{ItemID: c, Qty: domain.QtyOf(2)},              // c was not on the sheet
		})
		noErr(t, "count", err)
		st, err = f.svc.CountStocktake(ctx, f.admin, st.ID, st.Version, []service.Count{{LineID: st.Lines[1].ID, Clear: true}})
		noErr(t, "recount", err)
		_, err = f.svc.ActOnStockDoc(ctx, f.admin, st.ID, st.Version, service.ActPost)
		wantCode(t, "post with an uncounted line", err, domain.EConflict)
		st, err = f.svc.CountStocktake(ctx, f.admin, st.ID, st.Version, []service.Count{{LineID: st.Lines[1].ID, Qty: domain.QtyOf(6)}})
		noErr(t, "count again", err)
		st, err = f.svc.ActOnStockDoc(ctx, f.admin, st.ID, st.Version, service.ActPost)
		noErr(t, "post", err)
		// a: counted 7 against the frozen 10 → loss 3 at 4.00 = −12.00 (on
		// hand 9 − 3 = 6); b: 6 against 5 → gain 1 at 2.00; c: gain 2 at
		// its purchase price (0: the item has none) = 0.
		got, err := f.svc.StockDoc(ctx, f.admin, st.ID)
		noErr(t, "load", err)
		amounts := map[int64]domain.Money{}
		for _, l := range got.Lines {
			amounts[l.ItemID] = l.Amount
		}
		if amounts[a] != -domain.MoneyOf(12) || amounts[b] != domain.MoneyOf(2) || amounts[c] != 0 {
			t.Errorf("variance values %v", amounts)
		}
		for item, want := range map[int64]int64{a: 6, b: 6, c: 2} {
			if q, _ := f.balance(t, item, f.w1.ID); q != domain.QtyOf(want) {
				t.Errorf("item %d on hand %s, want %d", item, q, want)
			}
		}
		f.check(t)
		// Reversing the stocktake puts the book back.
		_, err = f.svc.ReverseStockDoc(ctx, f.admin, st.ID, domain.Date{}, "盘错了")
		noErr(t, "reverse", err)
		for item, want := range map[int64]int64{a: 9, b: 5, c: 0} {
			if q, _ := f.balance(t, item, f.w1.ID); q != domain.QtyOf(want) {
				t.Errorf("after reversal item %d on hand %s, want %d", item, q, want)
			}
		}
		f.check(t)
	})
}

// Assembly from a BOM rolls the components' cost into the product;
// disassembly splits the product's cost over its components.
func TestAssembly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpStock(t, db, 3)
		kit, tea, cup := f.items[0], f.items[1], f.items[2]
		_, err := f.svc.SetBOM(ctx, f.admin, kit.ID, []domain.BOMLine{{ComponentID: tea.ID, Qty: domain.QtyOf(2)}, {ComponentID: cup.ID, Qty: domain.QtyOf(1)}})
		noErr(t, "bom", err)
		_, err = f.svc.SetBOM(ctx, f.admin, kit.ID, []domain.BOMLine{{ComponentID: kit.ID, Qty: one()}})
		wantField(t, "self in bom", err, "lines[0].component_id", "cycle")
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(tea.ID, "20", "3"), line(cup.ID, "10", "5")}})
		// 4 kits: 8 tea @ 3.00 + 4 cups @ 5.00 = 44.00, 11.00 a kit.
		as := f.post(t, domain.Document{Type: domain.DocAssembly, WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(kit.ID, "4", "0")}})
		if len(as.Lines) != 3 || as.Lines[0].Amount != domain.MoneyOf(44) {
			t.Fatalf("assembly: %+v", as.Lines)
		}
		if q, v := f.balance(t, kit.ID, f.w1.ID); q != domain.QtyOf(4) || v != domain.MoneyOf(44) {
			t.Errorf("kits %s / %s, want 4 / 44.00", q, v)
		}
		// Take one kit apart: 11.00 split by the components' purchase value
		// (none set: 1 each → equal weights): 5.50 + 5.50.
		ds := f.post(t, domain.Document{Type: domain.DocDisassembly, WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(kit.ID, "1", "0")}})
		var sum domain.Money
		for _, l := range ds.Lines[1:] {
			sum += l.Amount
		}
		if ds.Lines[0].Amount != -domain.MoneyOf(11) || sum != domain.MoneyOf(11) {
			t.Errorf("disassembly: %+v", ds.Lines)
		}
		if q, _ := f.balance(t, tea.ID, f.w1.ID); q != domain.QtyOf(14) {
			t.Errorf("tea %s, want 14", q)
		}
		_, err = f.svc.ReverseStockDoc(ctx, f.admin, as.ID, domain.Date{}, "")
		wantCode(t, "reverse an assembly whose kit was taken apart", err, domain.EInsufficientStock)
		_, err = f.svc.ReverseStockDoc(ctx, f.admin, ds.ID, domain.Date{}, "")
		noErr(t, "reverse disassembly", err)
		_, err = f.svc.ReverseStockDoc(ctx, f.admin, as.ID, domain.Date{}, "")
		noErr(t, "reverse assembly", err)
		for item, want := range map[int64]int64{kit.ID: 0, tea.ID: 20, cup.ID: 10} {
			if q, _ := f.balance(t, item, f.w1.ID); q != domain.QtyOf(want) {
				t.Errorf("after reversals item %d: %s, want %d", item, q, want)
			}
		}
		f.check(t)
	})
}

func one() domain.Qty { return domain.QtyOne }

// A two-step transfer: shipped into transit (still valued, listed in
// transit), received later by a linked document, under both costing scopes.
func TestTwoStepTransfer(t *testing.T) {
	for _, scope := range []domain.CostingScope{domain.CostingScopeCompany, domain.CostingScopeWarehouse} {
		t.Run(string(scope), func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				f := setUpStock(t, db, 1)
				co := f.company
				co.Settings.CostingScope = scope
				_, err := f.svc.UpdateCompany(ctx, f.admin, co.ID, co)
				noErr(t, "scope", err)
				a := f.items[0].ID
				f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(a, "10", "6")}})
				tr := f.post(t, domain.Document{Type: domain.DocStockTransfer, TwoStep: true, WarehouseID: f.w1.ID, ToWarehouseID: &f.w2.ID,
					Lines: []domain.DocLine{line(a, "4", "0")}})
				if tr.TotalAmount != domain.MoneyOf(24) {
					t.Errorf("shipped value %s, want 24.00", tr.TotalAmount)
				}
				q1, _ := f.balance(t, a, f.w1.ID)
				q2, _ := f.balance(t, a, f.w2.ID)
				if q1 != domain.QtyOf(6) || q2 != 0 {
					t.Errorf("while in transit: W1 %s, W2 %s; want 6 and 0", q1, q2)
				}
				transit, err := f.svc.InTransit(ctx, f.admin)
				noErr(t, "in transit", err)
				if len(transit) != 1 || transit[0].ID != tr.ID {
					t.Fatalf("in transit: %+v", transit)
				}
				f.check(t)
				// The transfer names its receipt, read alone and in the list alike.
				receivedBy := func(what string, want *domain.DocRef) {
					t.Helper()
					one, err := f.svc.StockDoc(ctx, f.admin, tr.ID)
					noErr(t, "load transfer", err)
					list, _, err := f.svc.StockDocs(ctx, f.admin, service.DocFilter{Types: []domain.DocType{domain.DocStockTransfer}})
					noErr(t, "list transfers", err)
					var listed *domain.DocRef
					for _, d := range list {
						if d.ID == tr.ID {
							listed = d.ReceivedBy
						}
					}
					if diff := cmp.Diff(want, one.ReceivedBy); diff != "" {
						t.Errorf("%s: received_by (-want +got):\n%s", what, diff)
					}
					if diff := cmp.Diff(want, listed); diff != "" {
						t.Errorf("%s: received_by in the list (-want +got):\n%s", what, diff)
					}
				}
				receivedBy("in transit", nil)
				rec, err := f.svc.ReceiveTransfer(ctx, f.admin, tr.ID, domain.Date{})
				noErr(t, "receive", err)
				if rec.SourceID == nil || *rec.SourceID != tr.ID || rec.TotalAmount != domain.MoneyOf(24) {
					t.Errorf("receipt: %+v", rec)
				}
				if q, v := f.balance(t, a, f.w2.ID); q != domain.QtyOf(4) || v != domain.MoneyOf(24) {
					t.Errorf("W2 after receipt: %s / %s, want 4 / 24.00", q, v)
				}
				if transit, _ = f.svc.InTransit(ctx, f.admin); len(transit) != 0 {
					t.Errorf("still in transit: %d", len(transit))
				}
				receivedBy("received", &domain.DocRef{ID: rec.ID, Number: rec.Number, Date: rec.Date})
				_, err = f.svc.ReceiveTransfer(ctx, f.admin, tr.ID, domain.Date{})
				wantCode(t, "receive twice", err, domain.EConflict)
				_, err = f.svc.ReverseStockDoc(ctx, f.admin, tr.ID, domain.Date{}, "")
				wantCode(t, "reverse a received transfer", err, domain.EConflict)
				_, err = f.svc.ReverseStockDoc(ctx, f.admin, rec.ID, domain.Date{}, "")
				noErr(t, "reverse the receipt", err)
				if transit, _ = f.svc.InTransit(ctx, f.admin); len(transit) != 1 {
					t.Errorf("back in transit: %d", len(transit))
				}
				receivedBy("receipt reversed", nil)
				_, err = f.svc.ReverseStockDoc(ctx, f.admin, tr.ID, domain.Date{}, "")
				noErr(t, "reverse the transfer", err)
				if q, v := f.balance(t, a, f.w1.ID); q != domain.QtyOf(10) || v != domain.MoneyOf(60) {
					t.Errorf("W1 at the end: %s / %s, want 10 / 60.00", q, v)
				}
				f.check(t)
				noErr(t, "close", func() error { _, err := f.svc.ClosePeriod(ctx, f.admin, f.svc.Today()); return err }())
				f.check(t)
			})
		})
	}
}

// Serial numbers: unique per item, in and out with their documents, the
// history of each, and never issued twice even concurrently.
func TestSerials(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpStock(t, db, 1)
		phone := f.items[0]
		phone.Tracking = domain.TrackSerial
		_, err := f.svc.UpdateItem(ctx, f.admin, phone.ID, phone)
		noErr(t, "serial item", err)
		sl := func(qty string, sns ...string) domain.DocLine {
			l := line(phone.ID, qty, "1000")
			l.Serials = sns
			return l
		}
		_, err = f.svc.CreateStockDoc(ctx, f.admin, domain.Document{Type: domain.DocStockOpening, WarehouseID: f.w1.ID, Lines: []domain.DocLine{sl("3", "SN1", "SN2")}}, true)
		wantField(t, "2 serials for 3", err, "lines[0].serials", "serial_count")
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: f.w1.ID, Lines: []domain.DocLine{sl("3", "SN1", "SN2", "SN3")}})
		_, err = f.svc.CreateStockDoc(ctx, f.admin, domain.Document{Type: domain.DocStockIn, Reason: "found", WarehouseID: f.w2.ID, Lines: []domain.DocLine{sl("1", "SN2")}}, true)
		wantCode(t, "receive a serial already in stock", err, domain.EConflict)
		_, err = f.svc.CreateStockDoc(ctx, f.admin, domain.Document{Type: domain.DocStockOut, Reason: "sample", WarehouseID: f.w2.ID, Lines: []domain.DocLine{sl("1", "SN1")}}, true)
		wantCode(t, "issue a serial from where it is not", err, domain.EInsufficientStock)
		f.post(t, domain.Document{Type: domain.DocStockTransfer, WarehouseID: f.w1.ID, ToWarehouseID: &f.w2.ID, Lines: []domain.DocLine{sl("1", "SN1")}})
		// SN1 is in W2 now: issuing it from W1 fails even though W1 has stock.
		_, err = f.svc.CreateStockDoc(ctx, f.admin, domain.Document{Type: domain.DocStockOut, Reason: "sample", WarehouseID: f.w1.ID, Lines: []domain.DocLine{sl("1", "SN1")}}, true)
		wantCode(t, "issue SN1 from W1", err, domain.EConflict)
		out := f.post(t, domain.Document{Type: domain.DocStockOut, Reason: "sample", WarehouseID: f.w2.ID, Lines: []domain.DocLine{sl("1", "SN1")}})
		info, err := f.svc.Serials(ctx, f.admin, 0, "SN1")
		noErr(t, "serial", err)
		if len(info) != 1 || info[0].InStock || len(info[0].History) != 3 || info[0].History[2].ToKind != "loss" {
			t.Errorf("SN1: %+v", info)
		}
		_, err = f.svc.ReverseStockDoc(ctx, f.admin, out.ID, domain.Date{}, "")
		noErr(t, "reverse", err)
		if info, _ = f.svc.Serials(ctx, f.admin, phone.ID, "SN1"); !info[0].InStock || *info[0].LocationID != f.w2.RootLocationID {
			t.Errorf("SN1 after reversal: %+v", info[0])
		}
		// Two clerks issue SN2 at the same moment: one wins.
		var wg sync.WaitGroup
		var ok atomic.Int32
		for range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := f.svc.CreateStockDoc(ctx, f.admin, domain.Document{Type: domain.DocStockOut, Reason: "sample", WarehouseID: f.w1.ID, Lines: []domain.DocLine{sl("1", "SN2")}}, true)
				if err == nil {
					ok.Add(1)
				} else if domain.ErrorCode(err) != domain.EConflict {
					t.Errorf("issue SN2: %v", err)
				}
			}()
		}
		wg.Wait()
		if ok.Load() != 1 {
			t.Errorf("SN2 issued %d times", ok.Load())
		}
		f.check(t)
	})
}

// A serial's history names each place it went through (bin code and name,
// warehouse name), and where it is now, so that a reader needs no ids.
func TestSerialHistoryNamesPlaces(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpStock(t, db, 1)
		phone := f.items[0]
		phone.Tracking = domain.TrackSerial
		_, err := f.svc.UpdateItem(ctx, f.admin, phone.ID, phone)
		noErr(t, "serial item", err)
		bin, err := f.svc.CreateLocation(ctx, f.admin, f.w2.ID, domain.Location{Code: "A-01", Name: "A区01"})
		noErr(t, "bin", err)
		in := line(phone.ID, "1", "1000")
		in.Serials = []string{"SN9"}
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: f.w1.ID, Lines: []domain.DocLine{in}})
		mv := line(phone.ID, "1", "0")
		mv.Serials, mv.ToLocationID = []string{"SN9"}, bin.ID
		f.post(t, domain.Document{Type: domain.DocStockTransfer, WarehouseID: f.w1.ID, ToWarehouseID: &f.w2.ID, Lines: []domain.DocLine{mv}})
		info, err := f.svc.Serials(ctx, f.admin, phone.ID, "SN9")
		noErr(t, "serial", err)
		if len(info) != 1 {
			t.Fatalf("SN9: %+v", info)
		}
		now := info[0]
		if got, want := fmt.Sprintf("%v %s %s %s %d %s", now.InStock, now.LocationKind, now.LocationCode, now.LocationName, now.WarehouseID, now.WarehouseName),
			fmt.Sprintf("true bin A-01 A区01 %d 门店", f.w2.ID); got != want {
			t.Errorf("SN9 is at %q, want %q", got, want)
		}
		var moves []string
		for _, e := range now.History {
			moves = append(moves, fmt.Sprintf("%s %s/%s/%s → %s/%s/%s", e.DocType, e.FromKind, e.FromCode, e.FromWarehouseName, e.ToKind, e.ToCode, e.ToWarehouseName))
		}
		w1Root, w2Bin := "warehouse/"+f.w1.Code+"/总仓", "bin/A-01/门店"
		want := []string{"stock_opening opening/opening/ → " + w1Root, "stock_transfer " + w1Root + " → " + w2Bin}
		if diff := cmp.Diff(want, moves); diff != "" {
			t.Errorf("history (-want +got):\n%s", diff)
		}
	})
}

// A serial-tracked item is left off a count sheet, and a count that adds it
// is refused for what it is: its serial numbers cannot be counted on a
// sheet yet (not as a template, which it is not).
func TestStocktakeSerialItem(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpStock(t, db, 2)
		phone, plain := f.items[0], f.items[1]
		phone.Tracking = domain.TrackSerial
		_, err := f.svc.UpdateItem(ctx, f.admin, phone.ID, phone)
		noErr(t, "serial item", err)
		sn := line(phone.ID, "2", "1000")
		sn.Serials = []string{"SN1", "SN2"}
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: f.w1.ID, Lines: []domain.DocLine{sn, line(plain.ID, "3", "1")}})
		st, err := f.svc.CreateStocktake(ctx, f.admin, domain.Document{WarehouseID: f.w1.ID})
		noErr(t, "start", err)
		if len(st.Lines) != 1 || st.Lines[0].ItemID != plain.ID {
			t.Fatalf("sheet lines %+v, want only the plain item", st.Lines)
		}
		_, err = f.svc.CountStocktake(ctx, f.admin, st.ID, 0, []service.Count{{LineID: st.Lines[0].ID, Qty: domain.QtyOf(3)}, {ItemID: phone.ID, Qty: domain.QtyOf(2)}})
		wantField(t, "count a serial item", err, "counts[1].item_id", "serial_not_counted")
		got, err := f.svc.StockDoc(ctx, f.admin, st.ID)
		noErr(t, "load", err)
		if len(got.Lines) != 1 || got.Lines[0].CountedQty != nil {
			t.Errorf("a refused count changed the sheet: %+v", got.Lines)
		}
	})
}

// A clerk who may not see costs cannot set them: receipts take the
// purchase price of the unit, whatever the request says.
func TestReceiptCostHidden(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpStock(t, db, 1)
		it := f.items[0]
		it.PurchasePrice = mustPrice("2.5")
		_, err := f.svc.UpdateItem(ctx, f.admin, it.ID, it)
		noErr(t, "price", err)
		clerk := *f.admin
		clerk.IsAdmin, clerk.Perms = false, map[domain.Perm]bool{"stock.document.read": true, "stock.document.write": true, "stock.document.post": true}
		_, err = f.svc.CreateStockDoc(ctx, &clerk, domain.Document{Type: domain.DocStockOpening, WarehouseID: f.w1.ID,
			Lines: []domain.DocLine{line(it.ID, "4", "999")}}, true)
		noErr(t, "clerk opening", err)
		if _, v := f.balance(t, it.ID, f.w1.ID); v != domain.MoneyOf(10) {
			t.Errorf("value %s, want 4 × 2.50 = 10.00", v)
		}
	})
}

// The number of balance rows comes with the page, also on a page past the
// end and for a past date.
func TestStockBalancesTotal(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpStock(t, db, 3)
		var ls []domain.DocLine
		for _, it := range f.items {
			ls = append(ls, line(it.ID, "2", "1"))
		}
		f.post(t, domain.Document{Type: domain.DocStockOpening, Date: day("2026-11-01"), WarehouseID: f.w1.ID, Lines: ls})
		asOf := day("2026-11-02")
		for _, tt := range []struct {
			name  string
			f     service.BalanceFilter
			rows  int
			total int
		}{
			{"first page", service.BalanceFilter{Page: store.Page{Limit: 2}}, 2, 3},
			{"last page", service.BalanceFilter{Page: store.Page{Limit: 2, Offset: 2}}, 1, 3},
			{"past the end", service.BalanceFilter{Page: store.Page{Limit: 2, Offset: 10}}, 0, 3},
			{"past date", service.BalanceFilter{AsOf: &asOf, Page: store.Page{Limit: 2, Offset: 1}}, 2, 3},
			{"nothing", service.BalanceFilter{Q: "no such item", Page: store.Page{Limit: 2}}, 0, 0},
		} {
			rows, n, err := f.svc.StockBalances(ctx, f.admin, tt.f)
			noErr(t, tt.name, err)
			if len(rows) != tt.rows || n != tt.total {
				t.Errorf("%s: %d rows of %d, want %d of %d", tt.name, len(rows), n, tt.rows, tt.total)
			}
		}
	})
}
