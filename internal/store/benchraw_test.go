package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// TestRawPurchaseReceipt: the yardstick's hand-written receipt leaves what
// a posted receipt would: a posted purchase receipt with its lines, stock
// and value added to the balance and the cost state at moving average
// (20 at 5.00 then 30 at 7.00 is 50 worth 310.00), one ledger row per
// line — and jxc check finds nothing wrong, before and after a raw order
// reserves some of it. A FIFO item is refused and nothing of its receipt
// is written.
func TestRawPurchaseReceipt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		co, pcs, _ := seed(t, db)
		var wh domain.Warehouse
		var a, b, f domain.Item
		var cust, supp domain.Partner
		err := db.Update(ctx, func(tx *store.Tx) error {
			wh = domain.Warehouse{CompanyID: co, Code: "W1", Name: "总仓"}
			if err := tx.CreateWarehouse(ctx, &wh); err != nil {
				return err
			}
			a = domain.Item{CompanyID: co, Code: "A", Name: "甲", BaseUnitID: pcs, Tracking: domain.TrackNone}
			b = domain.Item{CompanyID: co, Code: "B", Name: "乙", BaseUnitID: pcs, Tracking: domain.TrackNone}
			f = domain.Item{CompanyID: co, Code: "F", Name: "先进先出", BaseUnitID: pcs, Tracking: domain.TrackNone, CostingMethod: domain.CostingFIFO}
			for _, it := range []*domain.Item{&a, &b, &f} {
				if err := tx.CreateItem(ctx, it); err != nil {
					return err
				}
			}
			cust = domain.Partner{CompanyID: co, Code: "C1", Name: "客户", Kind: domain.PartnerCustomer}
			supp = domain.Partner{CompanyID: co, Code: "S1", Name: "供应商", Kind: domain.PartnerSupplier}
			if err := tx.CreatePartner(ctx, &cust); err != nil {
				return err
			}
			return tx.CreatePartner(ctx, &supp)
		})
		if err != nil {
			t.Fatal(err)
		}
		tgt, err := db.RawTargetOf(ctx, wh.ID, cust.ID, supp.ID, []int64{a.ID, b.ID, f.ID})
		if err != nil {
			t.Fatal(err)
		}
		if tgt.Methods[a.ID] != domain.CostingMovingAverage || tgt.Methods[f.ID] != domain.CostingFIFO {
			t.Errorf("RawTargetOf methods = %v, want A moving average (the company's), F fifo", tgt.Methods)
		}
		line := func(it domain.Item, qty, price int64) store.RawReceiptLine {
			return store.RawReceiptLine{ItemID: it.ID, Qty: domain.QtyOf(qty), Price: domain.PriceOf(price)}
		}
		if err := db.RawPurchaseReceipt(ctx, tgt, []store.RawReceiptLine{line(b, 3, 2), line(a, 20, 5)}); err != nil {
			t.Fatalf("RawPurchaseReceipt: %v", err)
		}
		if err := db.RawPurchaseReceipt(ctx, tgt, []store.RawReceiptLine{line(a, 30, 7)}); err != nil {
			t.Fatalf("RawPurchaseReceipt: %v", err)
		}
		if err := db.RawPurchaseReceipt(ctx, tgt, []store.RawReceiptLine{line(a, 1, 1), line(f, 5, 1)}); !errors.Is(err, store.ErrRawUnsupported) {
			t.Errorf("raw receipt of a FIFO item: %v, want ErrRawUnsupported", err)
		}

		type fig struct{ OnHand, Reserved, Value, CostQty, CostValue, LastCost string }
		figures := func() map[string]fig {
			out := map[string]fig{}
			err := db.Update(ctx, func(tx *store.Tx) error {
				items := []int64{a.ID, b.ID, f.ID}
				var bk []domain.BalanceKey
				var ck []domain.CostKey
				for _, id := range items {
					bk = append(bk, domain.BalanceKey{ItemID: id, LocationID: wh.RootLocationID})
					ck = append(ck, domain.CostKey{ItemID: id})
				}
				bs, err := tx.LockStock(ctx, store.StockLock{CompanyID: co, Balances: bk, Costs: ck,
					Methods:   map[int64]domain.CostingMethod{a.ID: tgt.Methods[a.ID], b.ID: tgt.Methods[b.ID], f.ID: tgt.Methods[f.ID]},
					Warehouse: map[int64]int64{wh.RootLocationID: wh.ID}})
				if err != nil {
					return err
				}
				for _, it := range []domain.Item{a, b, f} {
					r := bs.Balances[domain.BalanceKey{ItemID: it.ID, LocationID: wh.RootLocationID}]
					c := bs.Costs[domain.CostKey{ItemID: it.ID}]
					out[it.Code] = fig{r.OnHand.String(), r.Reserved.String(), r.Value.String(), c.Qty.String(), c.Value.String(), c.LastCost.String()}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		want := map[string]fig{
			"A": {"50.0000", "0.0000", "310.00", "50.0000", "310.00", "7.0000"},
			"B": {"3.0000", "0.0000", "6.00", "3.0000", "6.00", "2.0000"},
			"F": {"0.0000", "0.0000", "0.00", "0.0000", "0.00", "0.0000"},
		}
		if diff := cmp.Diff(want, figures()); diff != "" {
			t.Errorf("stock after the raw receipts (-want +got):\n%s", diff)
		}

		var docs []domain.Document
		err = db.View(ctx, func(tx *store.Tx) error {
			list, _, err := tx.ListDocuments(ctx, store.DocFilter{ListFilter: store.ListFilter{CompanyID: co, Page: store.Page{Limit: 10}},
				Types: []domain.DocType{domain.DocPurchaseReceipt}, State: domain.DocPosted})
			for _, d := range list {
				full, err := tx.Document(ctx, co, d.ID)
				if err != nil {
					return err
				}
				docs = append(docs, full)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		type docFig struct {
			Partner   int64
			TotalQty  string
			Total     string
			Lines     int
			LineItems []int64
		}
		var got []docFig
		for _, d := range docs {
			g := docFig{Partner: *d.PartnerID, TotalQty: d.TotalQty.String(), Total: d.TotalAmount.String(), Lines: len(d.Lines)}
			for _, l := range d.Lines {
				g.LineItems = append(g.LineItems, l.ItemID)
			}
			got = append(got, g)
		}
		wantDocs := []docFig{
			{Partner: supp.ID, TotalQty: "23.0000", Total: "106.00", Lines: 2, LineItems: []int64{a.ID, b.ID}},
			{Partner: supp.ID, TotalQty: "30.0000", Total: "210.00", Lines: 1, LineItems: []int64{a.ID}},
		}
		if diff := cmp.Diff(wantDocs, got, cmpopts.SortSlices(func(x, y docFig) bool { return x.Total < y.Total })); diff != "" {
			t.Errorf("posted purchase receipts (-want +got):\n%s", diff)
		}

		check := func(when string) { t.Helper(); checkCompany(t, db, co, when) }
		check("after the raw receipts")
		if err := db.RawOrder(ctx, tgt, []int64{b.ID, a.ID}, false); err != nil {
			t.Fatalf("RawOrder: %v", err)
		}
		if got := figures()["A"].Reserved; got != "1.0000" {
			t.Errorf("A reserved after a raw order = %s, want 1.0000", got)
		}
		check("after a raw order")

		// Stock gone negative is trued up first by a real receipt: the raw
		// one refuses it and writes nothing.
		n := domain.Item{CompanyID: co, Code: "N", Name: "负库存", BaseUnitID: pcs, Tracking: domain.TrackNone}
		err = db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreateItem(ctx, &n); err != nil {
				return err
			}
			return tx.SetCost(ctx, co, &domain.Cost{CostKey: domain.CostKey{ItemID: n.ID},
				CostState: domain.CostState{Method: domain.CostingMovingAverage, Qty: -domain.QtyOf(2), Value: -domain.MoneyOf(4)}})
		})
		if err != nil {
			t.Fatal(err)
		}
		tgt.Units[n.ID], tgt.Methods[n.ID] = pcs, domain.CostingMovingAverage
		if err := db.RawPurchaseReceipt(ctx, tgt, []store.RawReceiptLine{line(n, 5, 1)}); !errors.Is(err, store.ErrRawUnsupported) {
			t.Errorf("raw receipt onto negative stock: %v, want ErrRawUnsupported", err)
		}
		var qty domain.Qty
		if err := db.View(ctx, func(tx *store.Tx) error {
			return tx.NewRaw("SELECT qty FROM stock_costs WHERE company_id = ? AND item_id = ?", co, n.ID).Scan(ctx, &qty)
		}); err != nil || qty != -domain.QtyOf(2) {
			t.Errorf("cost state of N after the refused receipt: %s (%v), want -2.0000 (untouched)", qty, err)
		}
	})
}

// TestFloorOrder: the floor's hand-written documents keep the promises they
// stand for — a real session or nothing, real items and partners or
// nothing, a number from the day's counter, the customer's kept on-order
// figure moved and the limit refusing an order over it, an audit row, and
// exactly once (the same key again answers the first answer and posts
// nothing), for a sales order and a purchase receipt — and jxc check, the
// order-credit proof included, finds nothing wrong afterwards.
func TestFloorOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		co, pcs, _ := seed(t, db)
		var wh domain.Warehouse
		var a, b domain.Item
		var cust, supp domain.Partner
		u := domain.User{Username: "clerk", Active: true}
		err := db.Update(ctx, func(tx *store.Tx) error {
			wh = domain.Warehouse{CompanyID: co, Code: "W1", Name: "总仓"}
			if err := tx.CreateWarehouse(ctx, &wh); err != nil {
				return err
			}
			a = domain.Item{CompanyID: co, Code: "A", Name: "甲", BaseUnitID: pcs, Tracking: domain.TrackNone}
			b = domain.Item{CompanyID: co, Code: "B", Name: "乙", BaseUnitID: pcs, Tracking: domain.TrackNone}
			for _, it := range []*domain.Item{&a, &b} {
				if err := tx.CreateItem(ctx, it); err != nil {
					return err
				}
			}
			cust = domain.Partner{CompanyID: co, Code: "C1", Name: "客户", Kind: domain.PartnerCustomer, CreditLimit: domain.MoneyOf(25), CreditMode: domain.CreditBlock}
			supp = domain.Partner{CompanyID: co, Code: "S1", Name: "供应商", Kind: domain.PartnerSupplier}
			if err := tx.CreatePartner(ctx, &cust); err != nil {
				return err
			}
			if err := tx.CreatePartner(ctx, &supp); err != nil {
				return err
			}
			if err := tx.CreateUser(ctx, &u, "x"); err != nil {
				return err
			}
			return tx.CreateSession(ctx, store.Session{TokenHash: "live", UserID: u.ID, CreatedAt: tx.Now, LastSeenAt: tx.Now, ExpiresAt: tx.Now.Add(time.Hour)})
		})
		if err != nil {
			t.Fatal(err)
		}
		tgt, err := db.RawTargetOf(ctx, wh.ID, cust.ID, supp.ID, []int64{a.ID, b.ID})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.RawPurchaseReceipt(ctx, tgt, []store.RawReceiptLine{{ItemID: a.ID, Qty: domain.QtyOf(5), Price: domain.PriceOf(2)},
			{ItemID: b.ID, Qty: domain.QtyOf(5), Price: domain.PriceOf(2)}}); err != nil {
			t.Fatal(err)
		}
		order := func(hash, key string, items ...int64) ([]byte, error) {
			in := store.FloorOrderIn{FloorRequest: store.FloorRequest{TokenHash: hash, Key: key, RequestHash: "h"}, PartnerID: cust.ID}
			for _, it := range items {
				in.Lines = append(in.Lines, store.FloorLine{ItemID: it, Qty: domain.QtyOne, Price: domain.PriceOf(10)})
			}
			return db.FloorOrder(ctx, tgt, in)
		}
		count := func(q string, args ...any) (n int) {
			t.Helper()
			if err := db.View(ctx, func(tx *store.Tx) error { return tx.NewRaw(q, args...).Scan(ctx, &n) }); err != nil {
				t.Fatal(err)
			}
			return n
		}
		orders := func() int {
			return count("SELECT count(*) FROM documents WHERE company_id = ? AND type = 'sales_order'", co)
		}
		if _, err := order("stolen", "k0", a.ID); !errors.Is(err, store.ErrFloorUnauthorized) {
			t.Errorf("an unknown session: %v, want ErrFloorUnauthorized", err)
		}
		if _, err := order("live", "k0", a.ID, 999999); !errors.Is(err, store.ErrFloorInput) {
			t.Errorf("an unknown item: %v, want ErrFloorInput", err)
		}
		first, err := order("live", "k1", b.ID, a.ID)
		if err != nil {
			t.Fatalf("FloorOrder: %v", err)
		}
		var ans struct {
			ID     int64  `json:"id"`
			Number string `json:"number"`
			Gross  string `json:"gross_amount"`
			Lines  []struct {
				ItemID int64 `json:"item_id"`
			} `json:"lines"`
		}
		if err := json.Unmarshal(first, &ans); err != nil || ans.ID == 0 || len(ans.Lines) != 2 || ans.Gross != "20.00" || !strings.HasPrefix(ans.Number, "XS") {
			t.Errorf("answer %s (%v): want the order, 2 lines, 20.00, an XS number", first, err)
		}
		again, err := order("live", "k1", b.ID, a.ID)
		if err != nil || string(again) != string(first) || orders() != 1 {
			t.Errorf("the same key again: %s, %v, %d orders; want the first answer and still 1 order", again, err, orders())
		}
		if _, err := order("live", "k2", a.ID); !errors.Is(err, store.ErrFloorCredit) { // 20 held + 10 > 25
			t.Errorf("over the limit: %v, want ErrFloorCredit", err)
		}
		if n := count("SELECT count(*) FROM audit_log WHERE entity = 'document' AND entity_id = ? AND action = 'create'", ans.ID); n != 1 || orders() != 1 {
			t.Errorf("audit rows for the order %d, orders %d; want 1 and 1", n, orders())
		}
		// A receipt through the floor: posted once, replayed, refused for an
		// item costed otherwise, a customer as its supplier or no session.
		receive := func(hash, key string, partner int64, items ...int64) ([]byte, error) {
			in := store.FloorReceiptIn{FloorRequest: store.FloorRequest{TokenHash: hash, Key: key, RequestHash: "r"}, SupplierID: partner}
			for _, it := range items {
				in.Lines = append(in.Lines, store.RawReceiptLine{ItemID: it, Qty: domain.QtyOf(4), Price: domain.PriceOf(3)})
			}
			return db.FloorReceipt(ctx, tgt, in)
		}
		receipts := func() int {
			return count("SELECT count(*) FROM documents WHERE company_id = ? AND type = 'purchase_receipt'", co)
		}
		if _, err := receive("stolen", "r0", supp.ID, a.ID); !errors.Is(err, store.ErrFloorUnauthorized) {
			t.Errorf("a receipt without a session: %v, want ErrFloorUnauthorized", err)
		}
		if _, err := receive("live", "r0", cust.ID, a.ID); !errors.Is(err, store.ErrFloorInput) {
			t.Errorf("a receipt from a customer: %v, want ErrFloorInput", err)
		}
		got, err := receive("live", "r1", supp.ID, a.ID, b.ID)
		if err != nil {
			t.Fatalf("FloorReceipt: %v", err)
		}
		again, err = receive("live", "r1", supp.ID, a.ID, b.ID)
		if err != nil || string(again) != string(got) || receipts() != 2 { // the raw restock and this one
			t.Errorf("the same receipt key again: %s, %v, %d receipts; want the first answer and 2 receipts", again, err, receipts())
		}
		if !strings.Contains(string(got), `"number":"RK`) || !strings.Contains(string(got), `"gross_amount":"24.00"`) {
			t.Errorf("receipt answer %s: want an RK number and 24.00", got)
		}
		var onOrder domain.Money
		if err := db.View(ctx, func(tx *store.Tx) error {
			return tx.NewRaw("SELECT on_order FROM partners WHERE id = ?", cust.ID).Scan(ctx, &onOrder)
		}); err != nil || onOrder != domain.MoneyOf(20) {
			t.Errorf("customer's on_order = %s (%v), want 20.00", onOrder, err)
		}
		checkCompany(t, db, co, "after floor documents")
	})
}

// checkCompany runs what jxc check proves of a company's stock and orders
// — the ledger against the balances and cost states, the reservations,
// nothing half-posted, the kept order credit — and reports any problem.
func checkCompany(t *testing.T, db *store.DB, co int64, when string) {
	t.Helper()
	ctx := context.Background()
	err := db.View(ctx, func(tx *store.Tx) error {
		var all []string
		for _, f := range []func() ([]string, error){
			func() ([]string, error) { return tx.CheckStock(ctx, co, false, false) },
			func() ([]string, error) { return tx.CheckReservations(ctx, co) },
			func() ([]string, error) { return tx.HalfPosted(ctx, co) },
			func() ([]string, error) { return tx.CheckOrderCredit(ctx, co) },
		} {
			probs, err := f()
			if err != nil {
				return err
			}
			all = append(all, probs...)
		}
		if len(all) > 0 {
			t.Errorf("jxc check %s: %q", when, all)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
