package service_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// shapes collects the statement shapes PostgreSQL is asked to prepare.
type shapes struct {
	mu  sync.Mutex
	set map[string]bool
}

func (h *shapes) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

func (h *shapes) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, q := range strings.Split(e.Query, ";") { // the pipelined writes are split the same way
		if q = strings.TrimSpace(q); q != "" {
			h.set[store.PGStatementShape(q)] = true
		}
	}
}

func (h *shapes) reset() map[string]bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	old := h.set
	h.set = map[string]bool{}
	return old
}

// Posting a purchase receipt, a sales order, or a shipment and a return of
// it, over other items, with as many lines, sends no statement PostgreSQL
// has not prepared already: a
// shape that depends on which items a document names is parsed, prepared
// (a round trip of its own) and planned on every posting — LockStock's
// VALUES list was, twice per receipt, and the in-process benchmark, which
// posts the same items every time, never showed it.
func TestPostingShapesDoNotDependOnItems(t *testing.T) {
	db := storetest.Postgres(t)
	ctx := context.Background()
	f := setUpStock(t, db, 12)
	supplier, err := f.svc.CreatePartner(ctx, f.admin, domain.Partner{Code: "S1", Name: "供应商", Kind: domain.PartnerSupplier})
	noErr(t, "CreatePartner", err)
	customer, err := f.svc.CreatePartner(ctx, f.admin, domain.Partner{Code: "C1", Name: "客户", Kind: domain.PartnerCustomer,
		CreditLimit: mustMoney("1000000")})
	noErr(t, "CreatePartner", err)
	h := &shapes{set: map[string]bool{}}
	db.AddQueryHook(h)
	step := 4 // items first, first+step, first+2·step: four sets of items
	lines := func(first int) []domain.DocLine {
		var out []domain.DocLine
		for i := 0; i < 3; i++ {
			out = append(out, line(f.items[(first+i*step)%len(f.items)].ID, "5", "2"))
		}
		return out
	}
	receipt := func(first int) {
		t.Helper()
		_, err := f.svc.CreatePurchaseDoc(ctx, f.admin, domain.Document{Type: domain.DocPurchaseReceipt, PartnerID: &supplier.ID,
			WarehouseID: f.w1.ID, Lines: lines(first)}, true)
		noErr(t, "receipt", err)
	}
	confirm := func(first int) domain.Document {
		t.Helper()
		ls := lines(first)
		for i := range ls {
			ls[i].Qty = mustQty("1")
		}
		o, err := f.svc.CreateSalesDoc(ctx, f.admin, domain.Document{Type: domain.DocSalesOrder, PartnerID: &customer.ID,
			WarehouseID: f.w1.ID, Lines: ls}, true, service.ActOpts{})
		noErr(t, "order", err)
		return o
	}
	order := func(first int) { confirm(first) }
	// a confirmed order shipped whole, and the shipment's first line returned
	shipAndReturn := func(first int) {
		t.Helper()
		o := confirm(first)
		var ls []domain.DocLine
		for _, l := range o.Lines {
			ls = append(ls, domain.DocLine{SourceLineID: l.ID, Qty: l.Qty})
		}
		sh, err := f.svc.CreateSalesDoc(ctx, f.admin, domain.Document{Type: domain.DocSalesShipment, PartnerID: &customer.ID,
			WarehouseID: f.w1.ID, Lines: ls}, true, service.ActOpts{})
		noErr(t, "shipment", err)
		_, err = f.svc.CreateSalesDoc(ctx, f.admin, domain.Document{Type: domain.DocSalesReturn, PartnerID: &customer.ID,
			WarehouseID: f.w1.ID, Lines: []domain.DocLine{{SourceLineID: sh.Lines[0].ID, Qty: sh.Lines[0].Qty}}}, true, service.ActOpts{})
		noErr(t, "return", err)
	}
	for _, post := range []struct {
		name string
		fn   func(int)
	}{{"purchase receipt", receipt}, {"sales order", order}, {"shipment and return", shipAndReturn}} {
		for first := 0; first < 4; first++ { // every item gets stock and rows, and each shape its first run
			post.fn(first)
		}
		h.reset()
		for first := 4; first < 12; first++ {
			post.fn(first)
		}
		seen := h.reset()
		step = 1 // sets of items none of the documents above had
		post.fn(0)
		post.fn(6)
		step = 4
		for q := range h.reset() {
			if !seen[q] {
				t.Errorf("%s: a statement shape depends on the items: %.300s", post.name, q)
			}
		}
	}
}
