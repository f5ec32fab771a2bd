package service_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// salesFixture adds a customer, a bank account and a batch-tracked item
// to the stock fixture.
type salesFixture struct {
	stockFixture
	customer domain.Partner
	bank     domain.Account
	batch    domain.Item
}

func setUpSales(t *testing.T, db *store.DB) salesFixture {
	t.Helper()
	ctx := context.Background()
	f := salesFixture{stockFixture: setUpStock(t, db, 1)}
	var err error
	f.customer, err = f.svc.CreatePartner(ctx, f.admin, domain.Partner{Code: "C1", Name: "客户甲", Kind: domain.PartnerCustomer, PaymentTermsDays: 30})
	noErr(t, "CreatePartner", err)
	f.bank, err = f.svc.CreateAccount(ctx, f.admin, domain.Account{Code: "B1", Name: "工行", Kind: domain.AccountBank})
	noErr(t, "CreateAccount", err)
	f.batch, err = f.svc.CreateItem(ctx, f.admin, domain.Item{Code: "BAT", Name: "批次货", BaseUnitID: f.items[0].BaseUnitID, Tracking: domain.TrackBatch})
	noErr(t, "CreateItem", err)
	return f
}

func (f salesFixture) create(t *testing.T, d domain.Document, post bool) domain.Document {
	t.Helper()
	d.PartnerID = &f.customer.ID
	got, err := f.svc.CreateSalesDoc(context.Background(), f.admin, d, post, service.ActOpts{})
	noErr(t, "create "+string(d.Type), err)
	return got
}

func (f salesFixture) ar(t *testing.T) domain.Money {
	t.Helper()
	bs, err := f.svc.Receivables(context.Background(), f.admin, f.customer.ID, domain.Date{})
	noErr(t, "Receivables", err)
	if len(bs) == 0 {
		return 0
	}
	return bs[0].Balance
}

// stockRow is on hand and reserved of an item in a warehouse (all bins and
// batches), and its value.
func (f salesFixture) stock(t *testing.T, item int64) (onHand, reserved domain.Qty, value domain.Money) {
	t.Helper()
	rows, _, err := f.svc.StockBalances(context.Background(), f.admin, service.BalanceFilter{ItemID: item, WarehouseID: f.w1.ID})
	noErr(t, "StockBalances", err)
	for _, r := range rows {
		onHand += r.OnHand
		reserved += r.Reserved
		value += r.Value
	}
	return
}

type salesState struct {
	xOnHand, xReserved domain.Qty
	xValue             domain.Money
	bOnHand, bReserved domain.Qty
	receivable         domain.Money
}

// TestSalesFlow follows a quotation to cash and a return; after each step
// stock, reservations, cost of goods, gross profit and the customer's
// balance are what the comments compute by hand (13 % tax on net prices,
// tax rounded to the cent per line; stock at moving average).
func TestSalesFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpSales(t, db)
		x, b := f.items[0].ID, f.batch.ID
		wh := f.w1.ID
		want := func(step string, w salesState) {
			t.Helper()
			xq, xr, xv := f.stock(t, x)
			bq, br, _ := f.stock(t, b)
			got := salesState{xq, xr, xv, bq, br, f.ar(t)}
			if got != w {
				t.Errorf("%s:\n got %+v\nwant %+v", step, got, w)
			}
			f.check(t)
		}
		// Opening stock: X 10 at 10.00; B in two batches, B-1 (expiring
		// first) 5 at 4.00 and B-2 5 at 6.00: B's average is 5.00.
		exp1, exp2 := domain.NewDate(2027, 1, 1), domain.NewDate(2027, 6, 1)
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: wh, Lines: []domain.DocLine{
			line(x, "10", "10"),
			{ItemID: b, Qty: mustQty("5"), Price: mustPrice("4"), Batch: "B-2", Expiry: &exp2},
			{ItemID: b, Qty: mustQty("5"), Price: mustPrice("6"), Batch: "B-1", Expiry: &exp1},
		}})
		want("opening", salesState{mustQty("10"), 0, mustMoney("100"), mustQty("10"), 0, 0})

		// Quotation: X 6 at 20.00, B 4 at 10.00, 13 % on net.
		rate := domain.RateOf(13)
		q := f.create(t, domain.Document{Type: domain.DocSalesQuote, WarehouseID: wh, Lines: []domain.DocLine{
			{ItemID: x, Qty: mustQty("6"), Price: mustPrice("20"), TaxRate: rate},
			{ItemID: b, Qty: mustQty("4"), Price: mustPrice("10"), TaxRate: rate}}}, true)
		// The order follows the quote and is confirmed: X net 120.00 tax
		// 15.60, B net 40.00 tax 5.20, gross 180.80. X 6 and B 4 are held;
		// B from B-1, which expires first.
		o := f.create(t, domain.Document{Type: domain.DocSalesOrder, WarehouseID: wh, Lines: []domain.DocLine{
			{SourceLineID: q.Lines[0].ID, Qty: mustQty("6")}, {SourceLineID: q.Lines[1].ID, Qty: mustQty("4")}}}, true)
		if o.GrossAmount != mustMoney("180.80") || o.Lines[0].ReservedQty != mustQty("6") || o.Lines[1].ReservedQty != mustQty("4") ||
			o.Lines[0].Price != mustPrice("20") || o.SalespersonID == nil || *o.SalespersonID != f.admin.UserID {
			t.Errorf("order: gross %s reserved %s/%s price %s salesperson %v", o.GrossAmount, o.Lines[0].ReservedQty, o.Lines[1].ReservedQty,
				o.Lines[0].Price, o.SalespersonID)
		}
		q, err := f.svc.SalesDoc(ctx, f.admin, domain.DocSalesQuote, q.ID)
		noErr(t, "quote", err)
		if q.Lines[0].OrderedQty != mustQty("6") {
			t.Errorf("quote line ordered %s, want 6", q.Lines[0].OrderedQty)
		}
		want("order confirmed", salesState{mustQty("10"), mustQty("6"), mustMoney("100"), mustQty("10"), mustQty("4"), 0})
		// What is held cannot be taken by a stock issue: X has 4 free.
		_, err = f.svc.CreateStockDoc(ctx, f.admin, domain.Document{Type: domain.DocStockOut, Reason: "damage", WarehouseID: wh, Lines: []domain.DocLine{line(x, "5", "0")}}, true)
		wantCode(t, "issue of reserved stock", err, domain.EInsufficientStock)

		// A deposit of 50.00 on the order.
		dep, err := f.svc.CreateReceipt(ctx, f.admin, domain.Document{PartnerID: &f.customer.ID, AccountID: &f.bank.ID, SourceID: &o.ID,
			GrossAmount: mustMoney("50")}, true, nil)
		noErr(t, "deposit", err)
		want("deposit", salesState{mustQty("10"), mustQty("6"), mustMoney("100"), mustQty("10"), mustQty("4"), mustMoney("-50")})

		// Partial shipment: X 4 and B 4 (bin and batch picked from the
		// reservation: B-1). Cost: X 4 × 10.00 = 40.00, B 4 × 5.00 = 20.00;
		// gross profit (80.00 + 40.00) − 60.00 = 60.00.
		sh := f.create(t, domain.Document{Type: domain.DocSalesShipment, WarehouseID: wh, Lines: []domain.DocLine{
			{SourceLineID: o.Lines[0].ID, Qty: mustQty("4")}, {SourceLineID: o.Lines[1].ID, Qty: mustQty("4")}}}, true)
		if len(sh.Lines) != 2 || sh.Lines[1].Batch != "B-1" || sh.Lines[0].Cost != mustMoney("40") || sh.Lines[1].Cost != mustMoney("20") ||
			sh.TotalAmount != mustMoney("120") {
			t.Fatalf("shipment: %+v", sh.Lines)
		}
		want("shipped", salesState{mustQty("6"), mustQty("2"), mustMoney("60"), mustQty("6"), 0, mustMoney("-50")})
		o, err = f.svc.SalesDoc(ctx, f.admin, domain.DocSalesOrder, o.ID)
		noErr(t, "order", err)
		if o.Lines[0].ReceivedQty != mustQty("4") || o.Lines[0].ReservedQty != mustQty("2") || o.Lines[1].ReservedQty != 0 {
			t.Errorf("order after shipment: shipped %s reserved %s/%s", o.Lines[0].ReceivedQty, o.Lines[0].ReservedQty, o.Lines[1].ReservedQty)
		}

		// Invoice of the shipment: net 120.00 tax 15.60 gross 135.60. The
		// deposit is applied to it: owed 85.60, the invoice settled 50.00.
		inv := f.create(t, domain.Document{Type: domain.DocSalesInvoice, Lines: []domain.DocLine{
			{SourceLineID: sh.Lines[0].ID, Qty: mustQty("4")}, {SourceLineID: sh.Lines[1].ID, Qty: mustQty("4")}}}, true)
		if inv.GrossAmount != mustMoney("135.60") || inv.Settled != mustMoney("50") {
			t.Errorf("invoice: gross %s settled %s, want 135.60 and 50.00", inv.GrossAmount, inv.Settled)
		}
		want("invoiced", salesState{mustQty("6"), mustQty("2"), mustMoney("60"), mustQty("6"), 0, mustMoney("85.60")})
		// Exposure: 85.60 owed + X's open 2 of 6 on order: 135.60 × 2 / 6 =
		// 45.20 → 130.80.
		e, err := f.svc.CustomerExposure(ctx, f.admin, f.customer.ID)
		noErr(t, "exposure", err)
		if e.Exposure != mustMoney("130.80") || e.OnOrder != mustMoney("45.20") {
			t.Errorf("exposure %+v, want 130.80 (45.20 on order)", e)
		}

		// A receipt of 60.00 applied to the invoice: owed 25.60.
		_, err = f.svc.CreateReceipt(ctx, f.admin, domain.Document{PartnerID: &f.customer.ID, AccountID: &f.bank.ID, GrossAmount: mustMoney("60")},
			true, []service.SettleItem{{DebitID: inv.ID, Amount: mustMoney("60")}})
		noErr(t, "receipt", err)
		want("paid in part", salesState{mustQty("6"), mustQty("2"), mustMoney("60"), mustQty("6"), 0, mustMoney("25.60")})

		// The customer returns X 1 of the shipment, already invoiced: it
		// comes back at its cost 10.00 and 22.60 (20.00 + 13 %) is
		// credited: owed 3.00.
		ret := f.create(t, domain.Document{Type: domain.DocSalesReturn, WarehouseID: wh, Lines: []domain.DocLine{
			{SourceLineID: sh.Lines[0].ID, Qty: mustQty("1")}}}, true)
		if ret.Lines[0].Credit != mustMoney("22.60") {
			t.Errorf("return credit %s, want 22.60", ret.Lines[0].Credit)
		}
		want("returned", salesState{mustQty("7"), mustQty("2"), mustMoney("70"), mustQty("6"), 0, mustMoney("3")})

		// Statement: deposit −50.00, invoice +135.60, receipt −60.00,
		// return −22.60 → 3.00.
		st, err := f.svc.CustomerStatement(ctx, f.admin, f.customer.ID, f.svc.Today(), f.svc.Today())
		noErr(t, "statement", err)
		if st.Opening != 0 || st.Debits != mustMoney("135.60") || st.Credits != mustMoney("132.60") || st.Closing != mustMoney("3") || len(st.Rows) != 4 {
			t.Errorf("statement: opening %s debits %s credits %s closing %s rows %d", st.Opening, st.Debits, st.Credits, st.Closing, len(st.Rows))
		}
		_ = dep

		// Per salesperson: shipped 120.00 less 20.00 returned = 100.00;
		// cost 60.00 less 10.00 back = 50.00; gross profit 50.00; collected
		// the deposit and the receipt, 110.00.
		sp, err := f.svc.SalesBySalesperson(ctx, f.admin, f.svc.Today(), f.svc.Today())
		noErr(t, "SalesBySalesperson", err)
		if len(sp) != 1 || sp[0].SalespersonID != f.admin.UserID || sp[0].NetSales != mustMoney("100") || sp[0].Cost != mustMoney("50") ||
			sp[0].GrossProfit != mustMoney("50") || sp[0].Collections != mustMoney("110") {
			t.Errorf("by salesperson: %+v", sp)
		}
		// The sales analysis (销售分析) agrees, line by line: X shipped 4 at
		// 20.00 (cost 40.00) less 1 returned (20.00, cost 10.00 back); B 4 at
		// 10.00 (cost 20.00). The larger net sales first.
		rep, err := f.svc.SalesAnalysis(ctx, f.admin, service.SalesAnalysisFilter{By: store.SalesByItem})
		noErr(t, "SalesAnalysis", err)
		row := func(r store.SalesAnalysisRow) string {
			m := "-"
			if r.Margin != nil {
				m = r.Margin.String()
			}
			return fmt.Sprintf("%d qty %s sales %s returns %s net %s cost %s gp %s margin %s docs %d", r.ID, r.Qty, r.Sales, r.Returns, r.NetSales,
				r.Cost, r.GrossProfit, m, r.Documents)
		}
		got := []string{}
		for _, r := range rep.Rows {
			got = append(got, row(r))
		}
		wantRows := []string{
			fmt.Sprintf("%d qty 3.0000 sales 80.00 returns 20.00 net 60.00 cost 30.00 gp 30.00 margin 50.00 docs 2", x),
			fmt.Sprintf("%d qty 4.0000 sales 40.00 returns 0.00 net 40.00 cost 20.00 gp 20.00 margin 50.00 docs 1", b),
		}
		if !slices.Equal(got, wantRows) || rep.Total != 2 {
			t.Errorf("by item:\n got %q\nwant %q (total %d)", got, wantRows, rep.Total)
		}
		if tot := row(rep.Totals); tot != "0 qty 7.0000 sales 120.00 returns 20.00 net 100.00 cost 50.00 gp 50.00 margin 50.00 docs 0" {
			t.Errorf("by item totals: %s", tot)
		}
		for by, id := range map[string]int64{store.SalesByCustomer: f.customer.ID, store.SalesBySalesperson: f.admin.UserID, store.SalesByMonth: 0, store.SalesByDay: 0} {
			rep, err := f.svc.SalesAnalysis(ctx, f.admin, service.SalesAnalysisFilter{By: by, From: f.svc.Today(), To: f.svc.Today()})
			noErr(t, "SalesAnalysis by "+by, err)
			if len(rep.Rows) != 1 || rep.Rows[0].ID != id || rep.Rows[0].NetSales != mustMoney("100") || rep.Rows[0].Cost != mustMoney("50") ||
				rep.Rows[0].Documents != 2 || (by == store.SalesByMonth && rep.Rows[0].Code != f.svc.Today().String()[:7]) ||
				(by == store.SalesByDay && rep.Rows[0].Code != f.svc.Today().String()) {
				t.Errorf("by %s: %+v", by, rep.Rows)
			}
		}
		// A day with nothing sold, and a grouping that does not exist.
		none, err := f.svc.SalesAnalysis(ctx, f.admin, service.SalesAnalysisFilter{From: domain.NewDate(2020, 1, 1), To: domain.NewDate(2020, 1, 31)})
		noErr(t, "SalesAnalysis 2020", err)
		if len(none.Rows) != 0 || none.Total != 0 || none.Totals.NetSales != 0 || none.Totals.Margin != nil {
			t.Errorf("January 2020: %+v", none)
		}
		_, err = f.svc.SalesAnalysis(ctx, f.admin, service.SalesAnalysisFilter{By: "weekday"})
		wantField(t, "by weekday", err, "by", "one_of")

		// Closing the order releases X 2.
		o, err = f.svc.ActOnSalesDoc(ctx, f.admin, domain.DocSalesOrder, o.ID, 0, service.ActClose, service.ActOpts{})
		noErr(t, "close", err)
		want("closed", salesState{mustQty("7"), 0, mustMoney("70"), mustQty("6"), 0, mustMoney("3")})
	})
}

// TestSalesCredit: a customer with a limit of 100.00 owes nothing; an
// order of 67.80 passes, a second one of 45.20 (113.00 in all) is
// refused, refused again for a salesperson without the override, and
// confirmed with the override and a reason, which the audit log keeps.
// Cancelling a confirmed order releases its stock.
func TestSalesCredit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpSales(t, db)
		x, wh := f.items[0].ID, f.w1.ID
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: wh, Lines: []domain.DocLine{line(x, "10", "10")}})
		f.limitCredit(t, "100")
		order := func(qty string) domain.Document {
			return domain.Document{Type: domain.DocSalesOrder, PartnerID: &f.customer.ID, WarehouseID: wh,
				Lines: []domain.DocLine{{ItemID: x, Qty: mustQty(qty), Price: mustPrice("20"), TaxRate: domain.RateOf(13)}}}
		}
		_, err := f.svc.CreateSalesDoc(ctx, f.admin, order("3"), true, service.ActOpts{})
		noErr(t, "order within the limit", err)
		o2, err := f.svc.CreateSalesDoc(ctx, f.admin, order("2"), false, service.ActOpts{})
		noErr(t, "draft", err)
		_, err = f.svc.ActOnSalesDoc(ctx, f.admin, domain.DocSalesOrder, o2.ID, 0, service.ActPost, service.ActOpts{})
		wantCode(t, "over the limit", err, domain.ECreditLimit)
		if e, ok := err.(*domain.Error); !ok || e.Params["exposure"] != "113.00" || e.Params["limit"] != "100.00" {
			t.Errorf("credit error %v", err)
		}
		seller := &domain.Principal{UserID: f.user.ID, CompanyID: f.company.ID, Perms: map[domain.Perm]bool{"sales.order.post": true, "sales.order.read": true}}
		_, err = f.svc.ActOnSalesDoc(ctx, seller, domain.DocSalesOrder, o2.ID, 0, service.ActPost, service.ActOpts{OverrideCredit: true, Reason: "老客户"})
		wantCode(t, "override without the permission", err, domain.EForbidden)
		_, err = f.svc.ActOnSalesDoc(ctx, f.admin, domain.DocSalesOrder, o2.ID, 0, service.ActPost, service.ActOpts{OverrideCredit: true})
		wantCode(t, "override without a reason", err, domain.EInvalid)
		o2, err = f.svc.ActOnSalesDoc(ctx, f.admin, domain.DocSalesOrder, o2.ID, 0, service.ActPost, service.ActOpts{OverrideCredit: true, Reason: "老客户"})
		noErr(t, "override", err)
		if o2.State != domain.DocPosted || len(o2.Warnings) != 1 || o2.Warnings[0].Key != "credit.override" || o2.Warnings[0].Params["reason"] != "老客户" {
			t.Errorf("overridden order: %s %+v", o2.State, o2.Warnings)
		}
		log, _, err := f.svc.Audit(ctx, f.admin, service.AuditFilter{Entity: "document", Action: "credit_override"})
		noErr(t, "Audit", err)
		if len(log) != 1 || log[0].EntityID != o2.ID {
			t.Errorf("credit overrides in the audit log: %+v, want 1 on the order", log)
		}
		// Cancelling the confirmed order gives back its X 2: 3 stay held.
		_, err = f.svc.ActOnSalesDoc(ctx, f.admin, domain.DocSalesOrder, o2.ID, 0, service.ActCancel, service.ActOpts{})
		noErr(t, "cancel", err)
		if _, r, _ := f.stock(t, x); r != mustQty("3") {
			t.Errorf("reserved after cancel %s, want 3", r)
		}
		f.check(t)
	})
}

// TestSalesOrdersRace: 30 orders of one unit race for an item with 10 on
// hand; exactly 10 are confirmed, the rest fail for stock, and nothing is
// held beyond what is on hand.
func TestSalesOrdersRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setUpSales(t, db)
		x, wh := f.items[0].ID, f.w1.ID
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: wh, Lines: []domain.DocLine{line(x, "10", "10")}})
		got := f.raceOrders(t, 30, domain.Document{Type: domain.DocSalesOrder, PartnerID: &f.customer.ID, WarehouseID: wh,
			Lines: []domain.DocLine{{ItemID: x, Qty: mustQty("1"), Price: mustPrice("20")}}}, domain.EInsufficientStock)
		if ok, short := got[""], got[domain.EInsufficientStock]; ok != 10 || short != 20 {
			t.Errorf("confirmed %d, short %d; want 10 and 20", ok, short)
		}
		if q, r, _ := f.stock(t, x); q != mustQty("10") || r != mustQty("10") {
			t.Errorf("on hand %s reserved %s, want 10 and 10", q, r)
		}
		f.check(t)
	})
}

// TestPurchaseForSalesOrder (以销定购): X has 2 on hand; an order for 5 is
// refused, then confirmed as a backorder holding 2. A purchase order for
// the missing 3 is drafted from it; when those arrive they are held for
// the sales order, which then ships 5.
func TestPurchaseForSalesOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpSales(t, db)
		x, wh := f.items[0].ID, f.w1.ID
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: wh, Lines: []domain.DocLine{line(x, "2", "10")}})
		supplier, err := f.svc.CreatePartner(ctx, f.admin, domain.Partner{Code: "S1", Name: "供应商甲", Kind: domain.PartnerSupplier})
		noErr(t, "supplier", err)
		so := domain.Document{Type: domain.DocSalesOrder, PartnerID: &f.customer.ID, WarehouseID: wh,
			Lines: []domain.DocLine{{ItemID: x, Qty: mustQty("5"), Price: mustPrice("20")}}}
		_, err = f.svc.CreateSalesDoc(ctx, f.admin, so, true, service.ActOpts{})
		wantCode(t, "short order", err, domain.EInsufficientStock)
		o, err := f.svc.CreateSalesDoc(ctx, f.admin, so, true, service.ActOpts{Backorder: true})
		noErr(t, "backorder", err)
		if o.Lines[0].ReservedQty != mustQty("2") {
			t.Errorf("held %s, want 2", o.Lines[0].ReservedQty)
		}
		po, err := f.svc.PurchaseForSalesOrder(ctx, f.admin, o.ID, supplier.ID, nil)
		noErr(t, "PurchaseForSalesOrder", err)
		if len(po.Lines) != 1 || po.Lines[0].Qty != mustQty("3") || po.Lines[0].SourceLineID != o.Lines[0].ID {
			t.Fatalf("purchase order lines %+v, want X 3 for the sales order line", po.Lines)
		}
		po, err = f.svc.ActOnPurchaseDoc(ctx, f.admin, domain.DocPurchaseOrder, po.ID, 0, service.ActPost)
		noErr(t, "post PO", err)
		_, err = f.svc.PurchaseForSalesOrder(ctx, f.admin, o.ID, supplier.ID, nil)
		wantCode(t, "nothing left to buy", err, domain.EConflict)
		_, err = f.svc.CreatePurchaseDoc(ctx, f.admin, domain.Document{Type: domain.DocPurchaseReceipt, PartnerID: &supplier.ID, WarehouseID: wh,
			Lines: []domain.DocLine{{SourceLineID: po.Lines[0].ID, Qty: mustQty("3")}}}, true)
		noErr(t, "receipt", err)
		if q, r, _ := f.stock(t, x); q != mustQty("5") || r != mustQty("5") {
			t.Errorf("after the receipt on hand %s held %s, want 5 and 5", q, r)
		}
		f.create(t, domain.Document{Type: domain.DocSalesShipment, WarehouseID: wh, Lines: []domain.DocLine{{SourceLineID: o.Lines[0].ID, Qty: mustQty("5")}}}, true)
		if q, r, _ := f.stock(t, x); q != 0 || r != 0 {
			t.Errorf("after shipping on hand %s held %s, want 0 and 0", q, r)
		}
		f.check(t)
	})
}

// TestSalesAutoPrice: order lines sent without a price are priced by the
// engine and say why; a buy-2-get-1 promotion adds its gift line at 0 and
// a counter sale without prices takes the retail price less 10 %.
func TestSalesAutoPrice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpSales(t, db)
		wh, today := f.w1.ID, f.svc.Today()
		x, err := f.svc.CreateItem(ctx, f.admin, domain.Item{Code: "TEA", Name: "茶", BaseUnitID: f.items[0].BaseUnitID,
			WholesalePrice: mustPrice("8"), RetailPrice: mustPrice("10"), TaxRate: domain.RateOf(13)})
		noErr(t, "item", err)
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: wh, Lines: []domain.DocLine{line(x.ID, "20", "5")}})
		_, err = f.svc.CreatePromotion(ctx, f.admin, domain.Promotion{Code: "B2G1", Name: "买二赠一", Kind: domain.PromoKind("buy_get"),
			ValidFrom: today, ValidTo: today, Scope: domain.PromoScope("items"), ItemIDs: []int64{x.ID}, BuyQty: mustQty("2"), GetQty: mustQty("1")})
		noErr(t, "promotion", err)
		o := f.create(t, domain.Document{Type: domain.DocSalesOrder, WarehouseID: wh, TaxIncluded: true, Lines: []domain.DocLine{{ItemID: x.ID, Qty: mustQty("2")}}}, true)
		if len(o.Lines) != 2 || o.Lines[0].Price != mustPrice("8") || o.Lines[0].PriceRule == "" || o.Lines[1].Price != 0 ||
			o.Lines[1].Qty != mustQty("1") || o.GrossAmount != mustMoney("16") {
			t.Fatalf("order lines %+v gross %s", o.Lines, o.GrossAmount)
		}
		// The tag names the promotion once: "gift B2G1", not "gift B2G1 +B2G1".
		if o.Lines[1].PriceRule != "gift B2G1" {
			t.Errorf("the gift's price rule %q, want \"gift B2G1\"", o.Lines[1].PriceRule)
		}
		if o.Lines[0].ReservedQty+o.Lines[1].ReservedQty != mustQty("3") {
			t.Errorf("held %s + %s, want 3 with the gift", o.Lines[0].ReservedQty, o.Lines[1].ReservedQty)
		}
		f.check(t)
	})
}

// TestSalesReversals: an order of X 5 ships 3 (2 stay held); the invoice
// is reversed (AR back to 0, the order line on order again), then the
// shipment (the 3 come back at their cost and are held for the order
// again: 5 held), and a receipt. Nothing is left on the customer's account.
func TestSalesReversals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpSales(t, db)
		x, wh := f.items[0].ID, f.w1.ID
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: wh, Lines: []domain.DocLine{line(x, "10", "10")}})
		o := f.create(t, domain.Document{Type: domain.DocSalesOrder, WarehouseID: wh, Lines: []domain.DocLine{{ItemID: x, Qty: mustQty("5"), Price: mustPrice("20")}}}, true)
		sh := f.create(t, domain.Document{Type: domain.DocSalesShipment, WarehouseID: wh, Lines: []domain.DocLine{{SourceLineID: o.Lines[0].ID, Qty: mustQty("3")}}}, true)
		inv := f.create(t, domain.Document{Type: domain.DocSalesInvoice, Lines: []domain.DocLine{{SourceLineID: sh.Lines[0].ID, Qty: mustQty("3")}}}, true)
		if ar := f.ar(t); ar != mustMoney("60") {
			t.Fatalf("AR %s, want 60.00", ar)
		}
		_, err := f.svc.ReverseSalesDoc(ctx, f.admin, domain.DocSalesShipment, sh.ID, domain.Date{}, "")
		wantCode(t, "shipment with an invoice", err, domain.EConflict)
		_, err = f.svc.ReverseSalesDoc(ctx, f.admin, domain.DocSalesInvoice, inv.ID, domain.Date{}, "开错了")
		noErr(t, "reverse invoice", err)
		if ar := f.ar(t); ar != 0 {
			t.Errorf("AR after the invoice reversal %s, want 0", ar)
		}
		_, err = f.svc.ReverseSalesDoc(ctx, f.admin, domain.DocSalesShipment, sh.ID, domain.Date{}, "")
		noErr(t, "reverse shipment", err)
		if q, r, v := f.stock(t, x); q != mustQty("10") || r != mustQty("5") || v != mustMoney("100") {
			t.Errorf("after the shipment reversal on hand %s held %s value %s, want 10, 5, 100.00", q, r, v)
		}
		o, err = f.svc.SalesDoc(ctx, f.admin, domain.DocSalesOrder, o.ID)
		noErr(t, "order", err)
		if o.Lines[0].ReceivedQty != 0 || o.Lines[0].BilledQty != 0 || o.Lines[0].ReservedQty != mustQty("5") {
			t.Errorf("order line shipped %s invoiced %s held %s", o.Lines[0].ReceivedQty, o.Lines[0].BilledQty, o.Lines[0].ReservedQty)
		}
		rc, err := f.svc.CreateReceipt(ctx, f.admin, domain.Document{PartnerID: &f.customer.ID, AccountID: &f.bank.ID, GrossAmount: mustMoney("30")}, true, nil)
		noErr(t, "receipt", err)
		_, err = f.svc.ReverseSalesDoc(ctx, f.admin, domain.DocReceipt, rc.ID, domain.Date{}, "")
		noErr(t, "reverse receipt", err)
		if ar := f.ar(t); ar != 0 {
			t.Errorf("AR after the receipt reversal %s, want 0", ar)
		}
		_, err = f.svc.ReverseSalesDoc(ctx, f.admin, domain.DocSalesOrder, o.ID, domain.Date{}, "")
		wantCode(t, "orders are closed, not reversed", err, domain.EConflict)
		f.check(t)
	})
}

// TestReservedRepair: a damaged reserved figure is found by the check and
// rebuilt by the repair from what the orders hold.
func TestReservedRepair(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpSales(t, db)
		x, wh := f.items[0].ID, f.w1.ID
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: wh, Lines: []domain.DocLine{line(x, "10", "10")}})
		f.create(t, domain.Document{Type: domain.DocSalesOrder, WarehouseID: wh, Lines: []domain.DocLine{{ItemID: x, Qty: mustQty("3"), Price: mustPrice("20")}}}, true)
		noErr(t, "damage", db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, "UPDATE stock_balances SET reserved = 0")
			return err
		}))
		probs, err := f.svc.CheckStock(ctx, f.company.ID)
		noErr(t, "check", err)
		if len(probs) != 1 {
			t.Errorf("check of a lost reservation: %q", probs)
		}
		_, err = f.svc.RepairStock(ctx, f.company.ID)
		noErr(t, "repair", err)
		if _, r, _ := f.stock(t, x); r != mustQty("3") {
			t.Errorf("reserved after repair %s, want 3", r)
		}
		f.check(t)
	})
}

// TestOrderCreditKept: what a customer's confirmed orders add to their
// exposure is kept per order and per customer; jxc check finds a kept figure
// that drifted, --repair and the backfill a migration asks for (a row in
// store_backfills, done at the next Migrate) both rebuild it from the lines.
func TestOrderCreditKept(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpSales(t, db)
		x, wh := f.items[0].ID, f.w1.ID
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: wh, Lines: []domain.DocLine{line(x, "10", "10")}})
		o := f.create(t, domain.Document{Type: domain.DocSalesOrder, WarehouseID: wh, Lines: []domain.DocLine{{ItemID: x, Qty: mustQty("3"), Price: mustPrice("20")}}}, true)
		onOrder := func(want string) {
			t.Helper()
			e, err := f.svc.CustomerExposure(ctx, f.admin, f.customer.ID)
			noErr(t, "exposure", err)
			if e.OnOrder != mustMoney(want) {
				t.Errorf("on order %s, want %s", e.OnOrder, want)
			}
		}
		onOrder(o.GrossAmount.String())
		damage := func(sql string) {
			t.Helper()
			noErr(t, "damage", db.Update(ctx, func(tx *store.Tx) error {
				_, err := tx.ExecContext(ctx, sql)
				return err
			}))
		}
		damage("UPDATE partners SET on_order = on_order + 100")
		damage("UPDATE documents SET open_credit = 1 WHERE type = 'sales_order'")
		probs, err := f.svc.CheckStock(ctx, f.company.ID)
		noErr(t, "check", err)
		if len(probs) != 2 {
			t.Errorf("check of drifted credit figures: %q", probs)
		}
		out, err := f.svc.RepairStock(ctx, f.company.ID)
		noErr(t, "repair", err)
		if !slices.ContainsFunc(out, func(s string) bool { return strings.Contains(s, "2 credit figures") }) {
			t.Errorf("repair said %q", out)
		}
		f.check(t)
		onOrder(o.GrossAmount.String())

		damage("UPDATE partners SET on_order = 0")
		damage("INSERT INTO store_backfills (name) VALUES ('order_credit')")
		noErr(t, "migrate", db.Migrate(ctx))
		f.check(t)
		onOrder(o.GrossAmount.String())

		// Cancelled, the order holds nothing.
		_, err = f.svc.ActOnSalesDoc(ctx, f.admin, domain.DocSalesOrder, o.ID, 0, service.ActCancel, service.ActOpts{})
		noErr(t, "cancel", err)
		onOrder("0")
		f.check(t)
		// An order with nothing open that still holds a figure is found too.
		damage("UPDATE documents SET open_credit = 5 WHERE type = 'sales_order'")
		if probs, err := f.svc.CheckStock(ctx, f.company.ID); err != nil || len(probs) != 1 {
			t.Errorf("check of a cancelled order holding credit: %q, %v", probs, err)
		}
	})
}

// TestSalesCreditRace: twelve orders of 22.60 race for a customer whose
// limit is 100.00. The kept on-order figure is read under the customer's
// lock, so exactly four are confirmed (90.40), the rest are refused for
// credit, and jxc check finds the figures equal to the lines.
func TestSalesCreditRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpSales(t, db)
		x, wh := f.items[0].ID, f.w1.ID
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: wh, Lines: []domain.DocLine{line(x, "100", "10")}})
		f.limitCredit(t, "100")
		got := f.raceOrders(t, 12, domain.Document{Type: domain.DocSalesOrder, PartnerID: &f.customer.ID, WarehouseID: wh,
			Lines: []domain.DocLine{{ItemID: x, Qty: mustQty("1"), Price: mustPrice("20"), TaxRate: domain.RateOf(13)}}}, domain.ECreditLimit)
		if ok, refused := got[""], got[domain.ECreditLimit]; ok != 4 || refused != 8 {
			t.Errorf("confirmed %d, refused %d; want 4 and 8", ok, refused)
		}
		e, err := f.svc.CustomerExposure(ctx, f.admin, f.customer.ID)
		noErr(t, "exposure", err)
		if e.OnOrder != mustMoney("90.40") {
			t.Errorf("on order %s, want 90.40", e.OnOrder)
		}
		f.check(t)
	})
}

// limitCredit gives the fixture's customer a credit limit.
func (f *salesFixture) limitCredit(t *testing.T, limit string) {
	t.Helper()
	f.customer.CreditLimit = mustMoney(limit)
	var err error
	f.customer, err = f.svc.UpdatePartner(context.Background(), f.admin, f.customer.ID, f.customer)
	noErr(t, "UpdatePartner", err)
}

// raceOrders confirms n copies of d at once and counts the outcomes: "" for
// confirmed, the code for refusals with the expected code; any other error
// fails the test.
func (f *salesFixture) raceOrders(t *testing.T, n int, d domain.Document, expected domain.Code) map[domain.Code]int {
	t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := map[domain.Code]int{}
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			doc := d
			doc.Lines = slices.Clone(d.Lines)
			_, err := f.svc.CreateSalesDoc(context.Background(), f.admin, doc, true, service.ActOpts{})
			mu.Lock()
			defer mu.Unlock()
			switch code := domain.ErrorCode(err); {
			case err == nil:
				got[""]++
			case code == expected:
				got[code]++
			default:
				t.Errorf("order: %v", err)
			}
		}()
	}
	wg.Wait()
	return got
}

// A pick list printed while the order ships: its rows (what each hold
// keeps in a bin, plus what nothing holds) must add up to what the order
// still has to ship. It reads the order's lines and its holds in two
// statements; on PostgreSQL, outside a snapshot, a shipment committing
// between them took holds the lines had not yet counted as shipped, and
// the paper lost those units.
func TestPickListWhileShipping(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpSales(t, db)
		x, wh := f.items[0].ID, f.w1.ID
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: wh, Lines: []domain.DocLine{line(x, "1000", "1")}})
		o := f.create(t, domain.Document{Type: domain.DocSalesOrder, WarehouseID: wh, Lines: []domain.DocLine{{ItemID: x, Qty: mustQty("300"), Price: mustPrice("2")}}}, true)
		done := make(chan struct{})
		var shipped atomic.Int32
		go func() {
			defer close(done)
			for range 120 {
				_, err := f.svc.CreateSalesDoc(ctx, f.admin, domain.Document{Type: domain.DocSalesShipment, PartnerID: &f.customer.ID, WarehouseID: wh,
					Lines: []domain.DocLine{{SourceLineID: o.Lines[0].ID, Qty: mustQty("1")}}}, true, service.ActOpts{})
				if err != nil {
					t.Errorf("ship: %v", err)
					return
				}
				shipped.Add(1)
			}
		}()
		prints := 0
		for running := true; running; prints++ {
			select {
			case <-done:
				running = false
			default:
			}
			d, picks, _, err := f.svc.PickListForPrint(ctx, f.admin, o.ID)
			noErr(t, "PickListForPrint", err)
			var open, listed domain.Qty
			for _, l := range d.Lines {
				open += l.BaseQty - l.ReceivedQty
			}
			for _, p := range picks {
				listed += p.Qty
			}
			if listed != open {
				t.Errorf("print %d, %d shipped: the pick list holds %s, the order has %s left to ship", prints, shipped.Load(), listed, open)
				break
			}
		}
		<-done
		t.Logf("%d pick lists beside %d shipments", prints, shipped.Load())
		f.check(t)
	})
}

// TestShipmentOfClosedOrder: what an order line allows a shipment is read
// again under the order's lock when the shipment is posted, not only when
// it was written. A draft shipment of a line whose order was closed, or
// cancelled, since is refused and changes nothing; the closed order's credit
// figures stay equal to its lines.
func TestShipmentOfClosedOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpSales(t, db)
		x, wh := f.items[0].ID, f.w1.ID
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: wh, Lines: []domain.DocLine{line(x, "10", "10")}})
		for _, act := range []string{"close", "cancel"} {
			o := f.create(t, domain.Document{Type: domain.DocSalesOrder, WarehouseID: wh, Lines: []domain.DocLine{{ItemID: x, Qty: mustQty("3"), Price: mustPrice("20")}}}, true)
			sh := f.create(t, domain.Document{Type: domain.DocSalesShipment, WarehouseID: wh, Lines: []domain.DocLine{
				{SourceLineID: o.Lines[0].ID, Qty: mustQty("2")}}}, false)
			var err error
			if act == "close" {
				_, err = f.svc.ActOnSalesDoc(ctx, f.admin, domain.DocSalesOrder, o.ID, 0, service.ActClose, service.ActOpts{})
			} else {
				_, err = f.svc.ActOnSalesDoc(ctx, f.admin, domain.DocSalesOrder, o.ID, 0, service.ActCancel, service.ActOpts{})
			}
			noErr(t, act, err)
			_, err = f.svc.ActOnSalesDoc(ctx, f.admin, domain.DocSalesShipment, sh.ID, 0, service.ActPost, service.ActOpts{})
			if act == "close" {
				wantField(t, "shipment of a closed order", err, "lines[0].source_line_id", "line_closed")
			} else {
				wantField(t, "shipment of a cancelled order", err, "lines[0].source_line_id", "source_not_posted")
			}
			if q, r, _ := f.stock(t, x); q != mustQty("10") || r != 0 {
				t.Errorf("after the refused shipment (%s): on hand %s reserved %s, want 10 and 0", act, q, r)
			}
			f.check(t)
		}
	})
}

// TestShipCloseRace: shipments race the closing of their orders. Either
// the shipment is posted first and the close keeps what it shipped, or the
// order is closed first and the shipment, checked again under the order's
// lock, is refused (line_closed); never a shipment of a closed line, which
// would leave the order's kept credit short of its lines (a shipment moves
// no open line's share, so it re-reads none).
func TestShipCloseRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpSales(t, db)
		x, wh := f.items[0].ID, f.w1.ID
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: wh, Lines: []domain.DocLine{line(x, "100", "10")}})
		shipped, refused := 0, 0
		for round := range 12 {
			o := f.create(t, domain.Document{Type: domain.DocSalesOrder, WarehouseID: wh, Lines: []domain.DocLine{{ItemID: x, Qty: mustQty("3"), Price: mustPrice("20")}}}, true)
			lag := time.Duration(round%4) * time.Millisecond // the close a little later each round, so both orders come about
			var wg sync.WaitGroup
			var shipErr, closeErr error
			start := make(chan struct{})
			wg.Go(func() {
				<-start
				_, shipErr = f.svc.CreateSalesDoc(ctx, f.admin, domain.Document{Type: domain.DocSalesShipment, PartnerID: &f.customer.ID, WarehouseID: wh,
					Lines: []domain.DocLine{{SourceLineID: o.Lines[0].ID, Qty: mustQty("2")}}}, true, service.ActOpts{})
			})
			wg.Go(func() {
				<-start
				time.Sleep(lag)
				_, closeErr = f.svc.ActOnSalesDoc(ctx, f.admin, domain.DocSalesOrder, o.ID, 0, service.ActClose, service.ActOpts{})
			})
			close(start)
			wg.Wait()
			noErr(t, "close", closeErr)
			if shipErr == nil {
				shipped++
			} else {
				wantField(t, "shipment of an order closed first", shipErr, "lines[0].source_line_id", "line_closed")
				refused++
			}
		}
		if q, r, _ := f.stock(t, x); q != mustQty("100")-domain.Qty(shipped)*mustQty("2") || r != 0 {
			t.Errorf("on hand %s reserved %s after %d shipments of 2, want %s and 0", q, r, shipped, mustQty("100")-domain.Qty(shipped)*mustQty("2"))
		}
		t.Logf("%d shipped before the close, %d refused after it", shipped, refused)
		f.check(t)
	})
}

// TestWholeBillDiscountFollows: an order's 整单优惠 is charged on what
// follows it (domain.DocLine.CarriedShare), worked as in the domain's
// TestCarriedShare: the order (tax-inclusive, 13 %) X 24 × 1.27 and Y 10 ×
// 2.86 less 5 %, 3.50 off: 54.15. Two shipments charge 39.83 and 14.32,
// their invoice 54.15, and a return of 2 Y from the first refunds 5.10
// (5.43 less its 0.33 of Y's 1.65), what the customer paid for them.
func TestWholeBillDiscountFollows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setUpSales(t, db)
		wh := f.w1.ID
		lines := wholeBillLines(t, f.stockFixture)
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: wh, Lines: []domain.DocLine{line(lines[0].ItemID, "30", "1"), line(lines[1].ItemID, "30", "1")}})
		o := f.create(t, domain.Document{Type: domain.DocSalesOrder, WarehouseID: wh, TaxIncluded: true, Discount: mustMoney("3.50"), Lines: lines}, true)
		if o.GrossAmount != mustMoney("54.15") {
			t.Fatalf("order gross %s, want 54.15", o.GrossAmount)
		}
		sh1 := f.create(t, domain.Document{Type: domain.DocSalesShipment, WarehouseID: wh, Lines: []domain.DocLine{
			{SourceLineID: o.Lines[0].ID, Qty: mustQty("12")}, {SourceLineID: o.Lines[1].ID, Qty: mustQty("10")}}}, true)
		sh2 := f.create(t, domain.Document{Type: domain.DocSalesShipment, WarehouseID: wh, Lines: []domain.DocLine{
			{SourceLineID: o.Lines[0].ID, Qty: mustQty("12")}}}, true)
		if sh1.GrossAmount != mustMoney("39.83") || sh1.Lines[0].Gross != mustMoney("14.31") || sh2.GrossAmount != mustMoney("14.32") {
			t.Errorf("shipments %s (X %s) and %s, want 39.83 (X 14.31) and 14.32", sh1.GrossAmount, sh1.Lines[0].Gross, sh2.GrossAmount)
		}
		inv := f.create(t, domain.Document{Type: domain.DocSalesInvoice, Lines: []domain.DocLine{
			{SourceLineID: sh1.Lines[0].ID, Qty: mustQty("12")}, {SourceLineID: sh1.Lines[1].ID, Qty: mustQty("10")},
			{SourceLineID: sh2.Lines[0].ID, Qty: mustQty("12")}}}, true)
		if inv.GrossAmount != o.GrossAmount || f.ar(t) != o.GrossAmount {
			t.Errorf("invoice %s, receivable %s, want the order's %s", inv.GrossAmount, f.ar(t), o.GrossAmount)
		}
		ret := f.create(t, domain.Document{Type: domain.DocSalesReturn, WarehouseID: wh, Lines: []domain.DocLine{
			{SourceLineID: sh1.Lines[1].ID, Qty: mustQty("2")}}}, true)
		if ret.GrossAmount != mustMoney("5.10") {
			t.Errorf("return of 2 Y: %s, want 5.10", ret.GrossAmount)
		}
		f.check(t)
	})
}

// wholeBillLines are the lines of the order the domain's TestCarriedShare
// works by hand, on the fixture's item X and a new item Y: X 24 × 1.27 and
// Y 10 × 2.86 less 5 %, 13 %.
func wholeBillLines(t *testing.T, f stockFixture) []domain.DocLine {
	t.Helper()
	y, err := f.svc.CreateItem(context.Background(), f.admin, domain.Item{Code: "Y", Name: "乙", BaseUnitID: f.items[0].BaseUnitID})
	noErr(t, "CreateItem", err)
	rate := domain.RateOf(13)
	return []domain.DocLine{
		{ItemID: f.items[0].ID, Qty: mustQty("24"), Price: mustPrice("1.27"), TaxRate: rate},
		{ItemID: y.ID, Qty: mustQty("10"), Price: mustPrice("2.86"), TaxRate: rate, DiscountRate: domain.RateOf(5)},
	}
}

// TestSalesAnalysisRecost: goods received later but dated before a delivery
// re-cost it (a correction row dated like the delivery), and the sales
// analysis's cost and gross profit follow; a range without the delivery
// has no row.
func TestSalesAnalysisRecost(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpSales(t, db)
		x, wh := f.items[0].ID, f.w1.ID
		today := f.svc.Today()
		day := func(n int) domain.Date { return domain.Date{Time: today.AddDate(0, 0, n)} }
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: wh, Date: day(-3), Lines: []domain.DocLine{line(x, "10", "10")}})
		o := f.create(t, domain.Document{Type: domain.DocSalesOrder, WarehouseID: wh, Date: day(-2), Lines: []domain.DocLine{
			{ItemID: x, Qty: mustQty("4"), Price: mustPrice("30")}}}, true)
		f.create(t, domain.Document{Type: domain.DocSalesShipment, WarehouseID: wh, Date: day(-1), Lines: []domain.DocLine{
			{SourceLineID: o.Lines[0].ID, Qty: mustQty("4")}}}, true)
		analysis := func(from, to domain.Date) store.SalesAnalysisReport {
			t.Helper()
			rep, err := f.svc.SalesAnalysis(ctx, f.admin, service.SalesAnalysisFilter{By: store.SalesByItem, From: from, To: to})
			noErr(t, "SalesAnalysis", err)
			return rep
		}
		// 4 at 30.00 net, at cost 4 × 10.00.
		if r := analysis(day(-1), day(-1)); len(r.Rows) != 1 || r.Rows[0].NetSales != mustMoney("120") || r.Rows[0].Cost != mustMoney("40") ||
			r.Rows[0].GrossProfit != mustMoney("80") || r.Rows[0].Margin == nil || r.Rows[0].Margin.String() != "66.67" {
			t.Fatalf("before: %+v", r.Rows)
		}
		// 10 more at 20.00 the day before the delivery: the average is 15.00 and the delivery cost 60.00.
		f.post(t, domain.Document{Type: domain.DocStockIn, Reason: "found", WarehouseID: wh, Date: day(-2), Lines: []domain.DocLine{line(x, "10", "20")}})
		if r := analysis(day(-1), day(-1)); len(r.Rows) != 1 || r.Rows[0].Cost != mustMoney("60") || r.Rows[0].GrossProfit != mustMoney("60") ||
			r.Totals.Cost != mustMoney("60") {
			t.Errorf("re-costed: %+v, totals %+v", r.Rows, r.Totals)
		}
		if r := analysis(today, today); len(r.Rows) != 0 || r.Totals.Cost != 0 {
			t.Errorf("today: %+v", r)
		}
	})
}

// TestThresholdSharesStayOnTheirLines: a threshold promotion (满减) comes
// off the lines it counts, not off every line. A 5 × 10.00 less an
// exclusive 10 % (45.00, not counted) and B 6 × 20.00 (120.00) meet 满100减10:
// all 10.00 comes off B (110.00) and A keeps 45.00. Spread as 整单优惠 over
// both, A would have borne 2.73 and its return refunded 42.27 for goods
// paid 45.00. Deliveries, returns, a draft saved again and the counter
// follow the lines' shares.
func TestThresholdSharesStayOnTheirLines(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpSales(t, db)
		wh, today := f.w1.ID, f.svc.Today()
		item := func(code string, price string) int64 {
			it, err := f.svc.CreateItem(ctx, f.admin, domain.Item{Code: code, Name: code, BaseUnitID: f.items[0].BaseUnitID,
				WholesalePrice: mustPrice(price), RetailPrice: mustPrice(price)})
			noErr(t, "CreateItem "+code, err)
			return it.ID
		}
		a, b := item("A", "10"), item("B", "20")
		for _, p := range []domain.Promotion{
			{Code: "EXCL", Kind: domain.PromoPercent, Rate: domain.RateOf(10), Scope: domain.ScopeItems, ItemIDs: []int64{a}, Exclusive: true},
			{Code: "MJ", Kind: domain.PromoThreshold, Threshold: mustMoney("100"), Amount: mustMoney("10"), Scope: domain.ScopeAll},
		} {
			p.Name, p.ValidFrom, p.ValidTo = p.Code, domain.Date{Time: today.AddDate(0, 0, -1)}, domain.Date{Time: today.AddDate(0, 0, 30)}
			_, err := f.svc.CreatePromotion(ctx, f.admin, p)
			noErr(t, "CreatePromotion "+p.Code, err)
		}
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: wh, Lines: []domain.DocLine{line(a, "50", "1"), line(b, "50", "1")}})
		unpriced := func() []domain.DocLine {
			return []domain.DocLine{{ItemID: a, Qty: mustQty("5")}, {ItemID: b, Qty: mustQty("6")}}
		}
		want := func(what string, d domain.Document, gross ...string) {
			t.Helper()
			var got []string
			for _, l := range d.Lines {
				got = append(got, l.Gross.String())
			}
			if strings.Join(got, " ") != strings.Join(gross, " ") {
				t.Errorf("%s: lines' gross %v, want %v (discount %s, promo %s/%s)", what, got, gross, d.Discount, d.Lines[0].PromoDiscount,
					d.Lines[len(d.Lines)-1].PromoDiscount)
			}
		}

		// A draft: the shares are on the lines, the whole-bill discount is the clerk's own (none).
		draft := f.create(t, domain.Document{Type: domain.DocSalesOrder, WarehouseID: wh, TaxIncluded: true, Lines: unpriced()}, false)
		want("draft", draft, "45.00", "110.00")
		if draft.Discount != 0 || draft.Lines[1].PromoDiscount != mustMoney("10") || draft.GrossAmount != mustMoney("155") {
			t.Errorf("draft: discount %s, B's share %s, gross %s", draft.Discount, draft.Lines[1].PromoDiscount, draft.GrossAmount)
		}
		// Saved again as the screen sends it back (prices and shares kept), with 5.00 off the bill.
		draft.Discount = mustMoney("5")
		again, err := f.svc.UpdateSalesDoc(ctx, f.admin, draft.ID, draft)
		noErr(t, "UpdateSalesDoc", err)
		want("saved again", again, "43.55", "106.45")
		// A share above its line is refused, naming the line.
		bad := again
		bad.Lines = slices.Clone(again.Lines)
		bad.Lines[0].PromoDiscount = mustMoney("45.01")
		_, err = f.svc.UpdateSalesDoc(ctx, f.admin, again.ID, bad)
		wantField(t, "share above the line", err, "lines[0].promo_discount", "max")

		o := f.create(t, domain.Document{Type: domain.DocSalesOrder, WarehouseID: wh, TaxIncluded: true, Lines: unpriced()}, true)
		want("order", o, "45.00", "110.00")
		sh := f.create(t, domain.Document{Type: domain.DocSalesShipment, WarehouseID: wh, Lines: []domain.DocLine{
			{SourceLineID: o.Lines[0].ID, Qty: mustQty("5")}, {SourceLineID: o.Lines[1].ID, Qty: mustQty("3")}}}, true)
		want("delivery", sh, "45.00", "55.00")
		ret := f.create(t, domain.Document{Type: domain.DocSalesReturn, WarehouseID: wh, Lines: []domain.DocLine{
			{SourceLineID: sh.Lines[0].ID, Qty: mustQty("5")}}}, true)
		want("return of A", ret, "45.00")

		// The counter: the same bill, and A's return refunds what it was paid.
		cash, err := f.svc.CreateAccount(ctx, f.admin, domain.Account{Code: "CASH", Name: "钱箱", Kind: domain.AccountCash})
		noErr(t, "cash", err)
		sale, err := f.svc.CreatePOSSale(ctx, f.admin, domain.Document{WarehouseID: wh, Lines: unpriced(),
			Payments: []domain.Payment{{Method: domain.PayCash, AccountID: &cash.ID, Tendered: mustMoney("200")}}})
		noErr(t, "sale", err)
		want("counter sale", sale, "45.00", "110.00")
		back, err := f.svc.CreatePOSReturn(ctx, f.admin, domain.Document{WarehouseID: wh, Lines: []domain.DocLine{{SourceLineID: sale.Lines[0].ID, Qty: mustQty("5")}},
			Payments: []domain.Payment{{Method: domain.PayCash, AccountID: &cash.ID, Tendered: mustMoney("45")}}})
		noErr(t, "counter return", err)
		want("counter return", back, "45.00")
		f.check(t)
	})
}

// docUpdates counts the statements that update documents' rows.
type docUpdates struct{ n atomic.Int64 }

func (h *docUpdates) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

func (h *docUpdates) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	if q := strings.ToUpper(strings.TrimSpace(e.Query)); strings.HasPrefix(q, `UPDATE "DOCUMENTS"`) || strings.HasPrefix(q, "UPDATE DOCUMENTS") {
		h.n.Add(1)
	}
}

// TestOrderInsertedConfirmed: an order created and confirmed in one
// command is, on SQLite, inserted as confirmed, with no second write of its
// row; its credit check still counts what the customer had before it, a
// refused one leaves nothing behind, and the kept figures agree.
func TestOrderInsertedConfirmed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpSales(t, db)
		x, wh := f.items[0].ID, f.w1.ID
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: wh, Lines: []domain.DocLine{line(x, "10", "10")}})
		f.limitCredit(t, "100")
		order := func(qty string) domain.Document {
			return domain.Document{Type: domain.DocSalesOrder, PartnerID: &f.customer.ID, WarehouseID: wh,
				Lines: []domain.DocLine{{ItemID: x, Qty: mustQty(qty), Price: mustPrice("20"), TaxRate: domain.RateOf(13)}}}
		}
		h := &docUpdates{}
		db.AddQueryHook(h)
		o, err := f.svc.CreateSalesDoc(ctx, f.admin, order("3"), true, service.ActOpts{})
		noErr(t, "order within the limit", err)
		if n := h.n.Load(); db.Dialect() == store.SQLite && n != 0 {
			t.Errorf("confirming a new order updated documents %d times, want 0 (inserted confirmed)", n)
		}
		got, err := f.svc.SalesDoc(ctx, f.admin, domain.DocSalesOrder, o.ID)
		noErr(t, "read back", err)
		if got.State != domain.DocPosted || got.Version != o.Version || got.PostedBy == nil || *got.PostedBy != f.admin.UserID || got.PostedAt == nil {
			t.Errorf("order read back: state %s version %d (answered %d) posted by %v at %v", got.State, got.Version, o.Version, got.PostedBy, got.PostedAt)
		}
		// The creation is recorded as it was created (a draft), not as the
		// posting in the same command left the document.
		log, _, err := f.svc.Audit(ctx, f.admin, service.AuditFilter{Entity: "document", EntityID: o.ID, Action: "create"})
		noErr(t, "Audit", err)
		if len(log) != 1 || !strings.Contains(log[0].After, `"state":"draft"`) || !strings.Contains(log[0].After, `"number":"`+o.Number+`"`) {
			t.Errorf("creation audited as %+v", log)
		}
		_, err = f.svc.CreateSalesDoc(ctx, f.admin, order("2"), true, service.ActOpts{})
		wantCode(t, "over the limit", err, domain.ECreditLimit)
		if e, ok := err.(*domain.Error); !ok || e.Params["exposure"] != "113.00" {
			t.Errorf("credit error %v, want exposure 113.00", err)
		}
		e, err := f.svc.CustomerExposure(ctx, f.admin, f.customer.ID)
		noErr(t, "exposure", err)
		if e.OnOrder != mustMoney("67.80") {
			t.Errorf("on order %s after a refused order, want 67.80", e.OnOrder)
		}
		var orders int
		noErr(t, "count", db.View(ctx, func(tx *store.Tx) error {
			return tx.NewRaw("SELECT count(*) FROM documents WHERE type = ?", domain.DocSalesOrder).Scan(ctx, &orders)
		}))
		if orders != 1 {
			t.Errorf("%d orders stored, want 1 (the refused one leaves nothing)", orders)
		}
		_, err = f.svc.CreateSalesDoc(ctx, f.admin, order("1"), true, service.ActOpts{})
		noErr(t, "order up to 90.40", err)
		f.check(t)
	})
}
