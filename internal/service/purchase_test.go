package service_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

func mustMoney(s string) domain.Money {
	m, err := domain.ParseMoney(s)
	if err != nil {
		panic(err)
	}
	return m
}

// purchaseFixture adds a supplier, a bank account and a batch-tracked item
// to the stock fixture.
type purchaseFixture struct {
	stockFixture
	supplier domain.Partner
	bank     domain.Account
	batch    domain.Item
}

func setUpPurchase(t *testing.T, db *store.DB) purchaseFixture {
	t.Helper()
	ctx := context.Background()
	f := purchaseFixture{stockFixture: setUpStock(t, db, 1)}
	var err error
	f.supplier, err = f.svc.CreatePartner(ctx, f.admin, domain.Partner{Code: "S1", Name: "供应商甲", Kind: domain.PartnerSupplier, PaymentTermsDays: 30})
	noErr(t, "CreatePartner", err)
	f.bank, err = f.svc.CreateAccount(ctx, f.admin, domain.Account{Code: "B1", Name: "工行", Kind: domain.AccountBank})
	noErr(t, "CreateAccount", err)
	f.batch, err = f.svc.CreateItem(ctx, f.admin, domain.Item{Code: "BAT", Name: "批次货", BaseUnitID: f.items[0].BaseUnitID, Tracking: domain.TrackBatch})
	noErr(t, "CreateItem", err)
	return f
}

func (f purchaseFixture) create(t *testing.T, d domain.Document, post bool) domain.Document {
	t.Helper()
	d.PartnerID = &f.supplier.ID
	got, err := f.svc.CreatePurchaseDoc(context.Background(), f.admin, d, post)
	noErr(t, "create "+string(d.Type), err)
	return got
}

func (f purchaseFixture) ap(t *testing.T) domain.Money {
	t.Helper()
	bs, err := f.svc.Payables(context.Background(), f.admin, f.supplier.ID, domain.Date{})
	noErr(t, "Payables", err)
	if len(bs) == 0 {
		return 0
	}
	return bs[0].Balance
}

func (f purchaseFixture) open(t *testing.T, order int64) []domain.Qty {
	t.Helper()
	o, err := f.svc.PurchaseDoc(context.Background(), f.admin, domain.DocPurchaseOrder, order)
	noErr(t, "PurchaseDoc", err)
	out := make([]domain.Qty, len(o.Lines))
	for i, l := range o.Lines {
		if !l.Closed && l.BaseQty > l.ReceivedQty {
			out[i] = l.BaseQty - l.ReceivedQty
		}
	}
	return out
}

type purchaseState struct {
	onHand  domain.Qty
	value   domain.Money
	openX   domain.Qty
	openB   domain.Qty
	payable domain.Money
}

// TestPurchaseFlow follows an order to its payment; after each step stock,
// value, open order quantities and the supplier's balance are what the
// comments compute by hand (tax-inclusive prices at 13 %: tax = gross × 13
// / 113, rounded to the cent; stock is valued at net).
func TestPurchaseFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpPurchase(t, db)
		x, b := f.items[0].ID, f.batch.ID
		wh := f.w1.ID
		want := func(step string, w purchaseState, order int64) {
			t.Helper()
			q, v := f.balance(t, x, wh)
			open := f.open(t, order)
			got := purchaseState{q, v, open[0], open[1], f.ap(t)}
			if got != w {
				t.Errorf("%s:\n got %+v\nwant %+v", step, got, w)
			}
			f.check(t)
		}
		// Opening stock: X 10 at 10.00.
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: wh, Lines: []domain.DocLine{line(x, "10", "10")}})

		// A requisition for X 100 and B 20, approved; a request for
		// quotation from it, sent; two suppliers quote (13 % tax included).
		rate := domain.RateOf(13)
		req, err := f.svc.CreatePurchaseDoc(ctx, f.admin, domain.Document{Type: domain.DocPurchaseRequisition, WarehouseID: wh, Lines: []domain.DocLine{
			{ItemID: x, Qty: mustQty("100")}, {ItemID: b, Qty: mustQty("20")}}}, false)
		noErr(t, "requisition", err)
		_, err = f.svc.ActOnPurchaseDoc(ctx, f.admin, domain.DocPurchaseRequisition, req.ID, 0, service.ActPost)
		wantCode(t, "posting a requisition", err, domain.EConflict)
		for _, act := range []service.DocAction{service.ActSubmit, service.ActApprove} {
			_, err := f.svc.ActOnPurchaseDoc(ctx, f.admin, domain.DocPurchaseRequisition, req.ID, 0, act)
			noErr(t, "requisition "+string(act), err)
		}
		rfq, err := f.svc.CreatePurchaseDoc(ctx, f.admin, domain.Document{Type: domain.DocPurchaseRFQ, WarehouseID: wh, Lines: []domain.DocLine{
			{SourceLineID: req.Lines[0].ID, Qty: mustQty("100")}, {SourceLineID: req.Lines[1].ID, Qty: mustQty("20")}}}, true)
		noErr(t, "rfq", err)
		other, err := f.svc.CreatePartner(ctx, f.admin, domain.Partner{Code: "S2", Name: "供应商乙", Kind: domain.PartnerSupplier})
		noErr(t, "CreatePartner S2", err)
		quote := func(partner int64, px, pb string, days int) {
			t.Helper()
			noErr(t, "quote", f.svc.SetQuote(ctx, f.admin, rfq.ID, partner, service.QuoteInput{TaxIncluded: true, LeadTimeDays: days, Lines: []service.QuoteLineInput{
				{LineID: rfq.Lines[0].ID, Price: mustPrice(px), TaxRate: rate}, {LineID: rfq.Lines[1].ID, Price: mustPrice(pb), TaxRate: rate}}}))
		}
		quote(f.supplier.ID, "11.30", "5.65", 7)
		quote(other.ID, "11.50", "5.80", 3)
		// Compared by net: S1 1000.00 + 100.00 against S2 100 × 11.50 / 1.13
		// = 1017.70 (tax 132.30) + 20 × 5.80 = 116.00 / 1.13 → 102.65.
		cmp, err := f.svc.CompareQuotes(ctx, f.admin, rfq.ID)
		noErr(t, "CompareQuotes", err)
		if len(cmp.Suppliers) != 2 || cmp.Suppliers[0].Net != mustMoney("1100") || cmp.Suppliers[1].Net != mustMoney("1120.35") ||
			cmp.Suppliers[0].BestLines != 2 || !cmp.Lines[0].Quotes[0].Best {
			t.Errorf("comparison: %+v", cmp)
		}
		// S1 is awarded both lines: the order, X 100 at 11.30 with tax →
		// gross 1130.00, tax 130.00, net 1000.00; B 20 at 5.65 → 113.00,
		// 13.00, 100.00.
		po, err := f.svc.AwardRFQ(ctx, f.admin, rfq.ID, f.supplier.ID, nil)
		noErr(t, "award", err)
		po, err = f.svc.ActOnPurchaseDoc(ctx, f.admin, domain.DocPurchaseOrder, po.ID, 0, service.ActPost)
		noErr(t, "place order", err)
		req, err = f.svc.PurchaseDoc(ctx, f.admin, domain.DocPurchaseRequisition, req.ID)
		noErr(t, "requisition", err)
		if req.Lines[0].OrderedQty != domain.QtyOf(100) || req.Lines[1].OrderedQty != domain.QtyOf(20) {
			t.Errorf("requisition ordered %s / %s, want 100 / 20", req.Lines[0].OrderedQty, req.Lines[1].OrderedQty)
		}
		if po.TotalAmount != mustMoney("1100") || po.TaxAmount != mustMoney("143") || po.GrossAmount != mustMoney("1243") {
			t.Fatalf("order totals net %s tax %s gross %s, want 1100.00 143.00 1243.00", po.TotalAmount, po.TaxAmount, po.GrossAmount)
		}
		want("order", purchaseState{domain.QtyOf(10), mustMoney("100"), domain.QtyOf(100), domain.QtyOf(20), 0}, po.ID)

		// Receipt 1: X 60 delivered, 10 rejected → 50 accepted at net
		// 10.00 = 500.00 (gross 565.00). Stock 60 / 600.00; X still owes 50.
		r1 := f.create(t, domain.Document{Type: domain.DocPurchaseReceipt, WarehouseID: wh, Lines: []domain.DocLine{
			{SourceLineID: po.Lines[0].ID, Qty: mustQty("60"), RejectedQty: mustQty("10")},
		}}, true)
		if r1.Lines[0].Amount != mustMoney("500") || r1.Lines[0].Gross != mustMoney("565") || r1.SourceID == nil || *r1.SourceID != po.ID {
			t.Errorf("receipt 1: net %s gross %s source %v", r1.Lines[0].Amount, r1.Lines[0].Gross, r1.SourceID)
		}
		want("receipt 1", purchaseState{domain.QtyOf(60), mustMoney("600"), domain.QtyOf(50), domain.QtyOf(20), 0}, po.ID)

		// Over-receipt (tolerance 0): 51 of the 50 still owed is refused
		// naming the line; nothing changes.
		_, err = f.svc.CreatePurchaseDoc(ctx, f.admin, domain.Document{Type: domain.DocPurchaseReceipt, PartnerID: &f.supplier.ID, WarehouseID: wh,
			Lines: []domain.DocLine{{SourceLineID: po.Lines[0].ID, Qty: mustQty("51")}}}, true)
		wantField(t, "over-receipt", err, "lines[0].qty", "over_receipt")

		// Receipt 2: X 30 (net 300.00, gross 339.00) and B 20 in batch L1.
		exp := domain.Date{Time: f.svc.Today().AddDate(1, 0, 0)}
		r2 := f.create(t, domain.Document{Type: domain.DocPurchaseReceipt, WarehouseID: wh, Lines: []domain.DocLine{
			{SourceLineID: po.Lines[0].ID, Qty: mustQty("30")},
			{SourceLineID: po.Lines[1].ID, Qty: mustQty("20"), Batch: "L1", Expiry: &exp},
		}}, true)
		want("receipt 2", purchaseState{domain.QtyOf(90), mustMoney("900"), domain.QtyOf(20), 0, 0}, po.ID)
		if q, v := f.balance(t, b, wh); q != domain.QtyOf(20) || v != mustMoney("100") {
			t.Errorf("batch item: %s / %s, want 20 / 100.00", q, v)
		}

		// Return 5 of receipt 1 before it is billed: out at the receipt's
		// value 5/50 × 500.00 = 50.00; nothing billed, so nothing credited
		// (it only lowers what is still to bill: 45).
		ret1 := f.create(t, domain.Document{Type: domain.DocPurchaseReturn, WarehouseID: wh, Lines: []domain.DocLine{
			{SourceLineID: r1.Lines[0].ID, Qty: mustQty("5")},
		}}, true)
		if ret1.Lines[0].Gross != mustMoney("56.50") || ret1.Lines[0].Credit != 0 {
			t.Errorf("return 1: gross %s credit %s, want 56.50 and 0", ret1.Lines[0].Gross, ret1.Lines[0].Credit)
		}
		want("return 1", purchaseState{domain.QtyOf(85), mustMoney("850"), domain.QtyOf(20), 0, 0}, po.ID)

		// The bill: 45 of receipt 1 at 11.30 (net 450.00, no variance), 30
		// of receipt 2 at 11.87 (gross 356.10, tax 356.10 × 13/113 = 40.967
		// → 40.97, net 315.13: variance +15.13), B 20 at 5.65 (113.00).
		// Gross 977.60. A variance needs approval first.
		bill := domain.Document{Type: domain.DocPurchaseBill, TaxIncluded: true, Ref: "INV-778", Lines: []domain.DocLine{
			{SourceLineID: r1.Lines[0].ID, Qty: mustQty("45"), Price: mustPrice("11.30")},
			{SourceLineID: r2.Lines[0].ID, Qty: mustQty("30"), Price: mustPrice("11.87")},
			{SourceLineID: r2.Lines[1].ID, Qty: mustQty("20")},
		}}
		bill.PartnerID = &f.supplier.ID
		_, err = f.svc.CreatePurchaseDoc(ctx, f.admin, bill, true)
		wantCode(t, "bill with a variance", err, domain.EConflict)
		bd := f.create(t, bill, false)
		if bd.GrossAmount != mustMoney("977.60") || bd.Lines[1].Variance != mustMoney("15.13") || bd.Lines[0].Variance != 0 {
			t.Fatalf("bill: gross %s variances %s %s", bd.GrossAmount, bd.Lines[0].Variance, bd.Lines[1].Variance)
		}
		if bd.DueDate == nil || bd.DueDate.String() != domain.DueDate(bd.Date, 30).String() {
			t.Errorf("due date %v, want 30 days on", bd.DueDate)
		}
		for _, act := range []service.DocAction{service.ActSubmit, service.ActApprove, service.ActPost} {
			_, err := f.svc.ActOnPurchaseDoc(ctx, f.admin, domain.DocPurchaseBill, bd.ID, 0, act)
			noErr(t, "bill "+string(act), err)
		}
		m, err := f.svc.BillMatch(ctx, f.admin, bd.ID)
		noErr(t, "BillMatch", err)
		if m[1].OrderNumber != po.Number || m[1].ReceivedQty != domain.QtyOf(30) || m[1].PriceVariance != mustMoney("15.13") ||
			m[0].ReturnedQty != domain.QtyOf(5) || m[0].QtyVariance != 0 {
			t.Errorf("3-way match: %+v", m)
		}
		// The variance goes to the variance account: stock value unchanged.
		want("bill", purchaseState{domain.QtyOf(85), mustMoney("850"), domain.QtyOf(20), 0, mustMoney("977.60")}, po.ID)

		// Billing receipt 1 again is refused: all 45 are billed.
		_, err = f.svc.CreatePurchaseDoc(ctx, f.admin, domain.Document{Type: domain.DocPurchaseBill, PartnerID: &f.supplier.ID, TaxIncluded: true,
			Lines: []domain.DocLine{{SourceLineID: r1.Lines[0].ID, Qty: mustQty("1")}}}, true)
		wantField(t, "over-billed", err, "lines[0].qty", "over_billed")

		// Return 2 of receipt 2 after billing: billed already, so credited
		// in full at the receipt's price: 2 × 11.30 = 22.60. Out of stock
		// at 2/30 × 300.00 = 20.00. Owed 977.60 − 22.60 = 955.00.
		ret2 := f.create(t, domain.Document{Type: domain.DocPurchaseReturn, WarehouseID: wh, Lines: []domain.DocLine{
			{SourceLineID: r2.Lines[0].ID, Qty: mustQty("2")},
		}}, true)
		if ret2.Lines[0].Credit != mustMoney("22.60") {
			t.Errorf("return 2 credit %s, want 22.60", ret2.Lines[0].Credit)
		}
		want("return 2", purchaseState{domain.QtyOf(83), mustMoney("830"), domain.QtyOf(20), 0, mustMoney("955")}, po.ID)

		// Pay 500.00 from the bank, applied to the bill at once.
		pay := domain.Document{Type: domain.DocPayment, PartnerID: &f.supplier.ID, AccountID: &f.bank.ID, GrossAmount: mustMoney("500")}
		pd, err := f.svc.CreatePayment(ctx, f.admin, pay, true, []service.SettleItem{{DebitID: bd.ID, Amount: mustMoney("500")}})
		noErr(t, "payment", err)
		if pd.Settled != mustMoney("500") {
			t.Errorf("payment settled %s, want 500.00", pd.Settled)
		}
		want("payment", purchaseState{domain.QtyOf(83), mustMoney("830"), domain.QtyOf(20), 0, mustMoney("455")}, po.ID)

		// 核销: the return's credit against the bill; too much is refused.
		_, err = f.svc.Settle(ctx, f.admin, f.supplier.ID, []service.SettleItem{{DebitID: bd.ID, CreditID: ret2.ID, Amount: mustMoney("22.61")}})
		wantCode(t, "over-settle", err, domain.EConflict)
		_, err = f.svc.Settle(ctx, f.admin, f.supplier.ID, []service.SettleItem{{DebitID: bd.ID, CreditID: ret2.ID, Amount: mustMoney("22.60")}})
		noErr(t, "settle", err)
		// A prepayment of 100.00 stays unapplied.
		pay.GrossAmount = mustMoney("100")
		_, err = f.svc.CreatePayment(ctx, f.admin, pay, true, nil)
		noErr(t, "prepayment", err)
		bs, err := f.svc.Payables(ctx, f.admin, f.supplier.ID, domain.Date{})
		noErr(t, "Payables", err)
		if len(bs) != 1 || bs[0].Balance != mustMoney("355") || bs[0].Open != mustMoney("455") || bs[0].Unapplied != mustMoney("100") ||
			bs[0].Aging[0] != mustMoney("455") {
			t.Errorf("payables: %+v, want balance 355.00, open 455.00 (not yet due), unapplied 100.00", bs)
		}
		// The prepayment applied automatically: the bill owes 355.00.
		auto, err := f.svc.AutoSettle(ctx, f.admin, f.supplier.ID)
		noErr(t, "AutoSettle", err)
		if len(auto) != 1 || auto[0].Amount != mustMoney("100") || auto[0].DebitID != bd.ID {
			t.Errorf("auto settle: %+v", auto)
		}
		b2, err := f.svc.PurchaseDoc(ctx, f.admin, domain.DocPurchaseBill, bd.ID)
		noErr(t, "bill", err)
		if b2.Settled != mustMoney("622.60") {
			t.Errorf("bill settled %s, want 500 + 22.60 + 100 = 622.60", b2.Settled)
		}

		// The statement: 0 + 977.60 − 22.60 − 500.00 − 100.00 = 355.00.
		today := f.svc.Today()
		st, err := f.svc.SupplierStatement(ctx, f.admin, f.supplier.ID, today, today)
		noErr(t, "statement", err)
		if st.Opening != 0 || len(st.Rows) != 4 || st.Debits != mustMoney("977.60") || st.Credits != mustMoney("622.60") ||
			st.Closing != mustMoney("355") || st.Rows[3].Balance != mustMoney("355") {
			t.Errorf("statement: opening %s rows %d debits %s credits %s closing %s", st.Opening, len(st.Rows), st.Debits, st.Credits, st.Closing)
		}

		// Issue 10 X at the moving average 830.00 / 83 = 10.00.
		out := f.post(t, domain.Document{Type: domain.DocStockOut, Reason: "damage", WarehouseID: wh, Lines: []domain.DocLine{line(x, "10", "0")}})
		if out.TotalAmount != mustMoney("100") {
			t.Errorf("issue cost %s, want 100.00", out.TotalAmount)
		}
		// Closing the order drops the 20 still owed.
		_, err = f.svc.ActOnPurchaseDoc(ctx, f.admin, domain.DocPurchaseOrder, po.ID, 0, service.ActClose)
		noErr(t, "close order", err)
		want("closed", purchaseState{domain.QtyOf(73), mustMoney("730"), 0, 0, mustMoney("355")}, po.ID)
		_, err = f.svc.CreatePurchaseDoc(ctx, f.admin, domain.Document{Type: domain.DocPurchaseReceipt, PartnerID: &f.supplier.ID, WarehouseID: wh,
			Lines: []domain.DocLine{{SourceLineID: po.Lines[0].ID, Qty: mustQty("1")}}}, true)
		wantField(t, "receipt on a closed order", err, "lines[0].source_line_id", "line_closed")
	})
}

// TestPurchaseReceiptsRace: two receipts racing for the last 10 owed on an
// order line; exactly one gets in, on both engines.
func TestPurchaseReceiptsRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpPurchase(t, db)
		x := f.items[0].ID
		po := f.create(t, domain.Document{Type: domain.DocPurchaseOrder, WarehouseID: f.w1.ID, Lines: []domain.DocLine{
			{ItemID: x, Qty: mustQty("10"), Price: mustPrice("2")},
		}}, true)
		const n = 4
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = f.svc.CreatePurchaseDoc(ctx, f.admin, domain.Document{Type: domain.DocPurchaseReceipt, PartnerID: &f.supplier.ID,
					WarehouseID: f.w1.ID, Lines: []domain.DocLine{{SourceLineID: po.Lines[0].ID, Qty: mustQty("10")}}}, true)
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if domain.ErrorCode(err) != domain.EInvalid {
				t.Errorf("losing receipt: %v, want over_receipt", err)
			} else {
				t.Logf("lost: %v", err)
			}
		}
		if q, _ := f.balance(t, x, f.w1.ID); ok != 1 || q != domain.QtyOf(10) {
			t.Errorf("%d receipts posted, on hand %s; want 1 and 10", ok, q)
		}
		if open := f.open(t, po.ID); open[0] != 0 {
			t.Errorf("open %s, want 0", open[0])
		}
	})
}

// TestPurchaseBudget: a supplier budget of 1000.00 for the month, warning
// at 80 %: 700.00 goes through, 150.00 more warns (850.00 ≥ 800.00), 200.00
// more (1050.00) is refused, then placed by someone who may override,
// audited. A category budget counts only the lines of its category.
func TestPurchaseBudget(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpPurchase(t, db)
		today := f.svc.Today()
		first := domain.Date{Time: today.AddDate(0, 0, 1-today.Day())}
		last := domain.Date{Time: first.AddDate(0, 1, -1)}
		_, err := f.svc.SaveBudget(ctx, f.admin, domain.Budget{Scope: domain.BudgetSupplier, RefID: f.supplier.ID, From: first, To: last,
			Amount: mustMoney("1000"), WarnRate: domain.RateOf(80)})
		noErr(t, "SaveBudget", err)
		cat, err := f.svc.CreateCategory(ctx, f.admin, domain.Category{Code: "DRINK", Name: "饮料"})
		noErr(t, "CreateCategory", err)
		_, err = f.svc.SaveBudget(ctx, f.admin, domain.Budget{Scope: domain.BudgetCategory, RefID: cat.ID, From: first, To: last, Amount: mustMoney("5000")})
		noErr(t, "SaveBudget category", err)
		x := f.items[0].ID
		order := func(net string) domain.Document {
			return domain.Document{Type: domain.DocPurchaseOrder, PartnerID: &f.supplier.ID, WarehouseID: f.w1.ID, Date: today,
				Lines: []domain.DocLine{{ItemID: x, Qty: mustQty("1"), Price: mustPrice(net)}}}
		}
		o1, err := f.svc.CreatePurchaseDoc(ctx, f.admin, order("700"), true)
		noErr(t, "order 1", err)
		if len(o1.Warnings) != 0 {
			t.Errorf("order 1 warnings %v, want none (70 %%)", o1.Warnings)
		}
		o2, err := f.svc.CreatePurchaseDoc(ctx, f.admin, order("150"), true)
		noErr(t, "order 2", err)
		if len(o2.Warnings) != 1 || o2.Warnings[0].Key != "budget.warn" || o2.Warnings[0].Params["after"] != "150.00" {
			t.Errorf("order 2 warnings %+v, want budget.warn with 150.00 left after it", o2.Warnings)
		}
		// Over: refused, and the draft stays a draft.
		o3, err := f.svc.CreatePurchaseDoc(ctx, f.admin, order("200"), false)
		noErr(t, "order 3 draft", err)
		_, err = f.svc.ActOnPurchaseDoc(ctx, f.admin, domain.DocPurchaseOrder, o3.ID, 0, service.ActPost)
		wantCode(t, "over budget", err, domain.EConflict)
		if e, ok := err.(*domain.Error); !ok || e.Key != "error.budget_exceeded" || e.Params["left"] != "150.00" {
			t.Errorf("over budget: %v", err)
		}
		buyer := &domain.Principal{UserID: f.user.ID, CompanyID: f.company.ID, Perms: map[domain.Perm]bool{"purchase.order.post": true, "purchase.order.read": true}}
		_, err = f.svc.ActOnPurchaseDoc(ctx, buyer, domain.DocPurchaseOrder, o3.ID, 0, service.ActPost, service.ActOpts{OverrideBudget: true})
		wantCode(t, "override without the permission", err, domain.EForbidden)
		o3, err = f.svc.ActOnPurchaseDoc(ctx, f.admin, domain.DocPurchaseOrder, o3.ID, 0, service.ActPost, service.ActOpts{OverrideBudget: true})
		noErr(t, "override", err)
		if o3.State != domain.DocPosted || len(o3.Warnings) != 1 || o3.Warnings[0].Key != "budget.override" {
			t.Errorf("overridden order: %s %+v", o3.State, o3.Warnings)
		}
		log, _, err := f.svc.Audit(ctx, f.admin, service.AuditFilter{Entity: "budget", Action: "override"})
		noErr(t, "Audit", err)
		if len(log) != 1 {
			t.Errorf("budget overrides in the audit log: %d, want 1", len(log))
		}
		rep, err := f.svc.BudgetReport(ctx, f.admin, &first, &last)
		noErr(t, "BudgetReport", err)
		for _, u := range rep {
			switch u.Scope {
			case domain.BudgetSupplier:
				if u.Committed != mustMoney("1050") || u.Status != domain.BudgetOver || u.UsedRate != domain.RateOf(105) || u.Remaining != mustMoney("-50") {
					t.Errorf("supplier budget use: %+v", u)
				}
			case domain.BudgetCategory:
				if u.Committed != 0 { // X is not in the category
					t.Errorf("category budget use: %+v", u)
				}
			}
		}
	})
}

// TestLandedCost: X 100 at 10.00 and Y 50 at 20.00 received (1000.00
// each, moving average); 40 X issued at 10.00 = 400.00. Then freight
// 218.00 with 9 % tax (net 218 / 1.09 = 200.00, tax 18.00) spread by
// value: 100.00 each. X's receipt is worth 1100.00 from its day: average
// 11.00, so the earlier issue is re-costed to 440.00 (+40.00) and 60 X are
// left at 660.00; the next issue of 10 X costs 110.00. Y (FIFO): its
// layer becomes 50 at 1100.00.
func TestLandedCost(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpPurchase(t, db)
		x := f.items[0].ID
		y, err := f.svc.CreateItem(ctx, f.admin, domain.Item{Code: "Y", Name: "乙", BaseUnitID: f.items[0].BaseUnitID, Weight: mustQty("2"),
			CostingMethod: domain.CostingFIFO})
		noErr(t, "CreateItem", err)
		wh := f.w1.ID
		yesterday := domain.Date{Time: f.svc.Today().AddDate(0, 0, -1)}
		rc := f.create(t, domain.Document{Type: domain.DocPurchaseReceipt, WarehouseID: wh, Date: yesterday, Lines: []domain.DocLine{
			{ItemID: x, Qty: mustQty("100"), Price: mustPrice("10")}, {ItemID: y.ID, Qty: mustQty("50"), Price: mustPrice("20")}}}, true)
		out := f.post(t, domain.Document{Type: domain.DocStockOut, Reason: "damage", WarehouseID: wh, Date: yesterday, Lines: []domain.DocLine{line(x, "40", "0")}})
		if out.TotalAmount != mustMoney("400") {
			t.Fatalf("issue before the charges: %s, want 400.00", out.TotalAmount)
		}
		lc := domain.Document{Type: domain.DocLandedCost, AllocateBy: domain.AllocateByValue, TaxIncluded: true,
			Charges: []domain.LandedCharge{{Kind: "freight", Amount: mustMoney("218"), TaxRate: domain.RateOf(9)}},
			Lines:   []domain.DocLine{{SourceLineID: rc.Lines[0].ID}, {SourceLineID: rc.Lines[1].ID}}}
		lc.PartnerID = &f.supplier.ID
		got, err := f.svc.CreatePurchaseDoc(ctx, f.admin, lc, true)
		noErr(t, "landed cost", err)
		if got.TotalAmount != mustMoney("200") || got.TaxAmount != mustMoney("18") || got.Lines[0].Amount != mustMoney("100") || got.Lines[1].Amount != mustMoney("100") {
			t.Errorf("landed cost: net %s tax %s shares %s %s", got.TotalAmount, got.TaxAmount, got.Lines[0].Amount, got.Lines[1].Amount)
		}
		if q, v := f.balance(t, x, wh); q != domain.QtyOf(60) || v != mustMoney("660") {
			t.Errorf("X after the charges: %s / %s, want 60 / 660.00", q, v)
		}
		if q, v := f.balance(t, y.ID, wh); q != domain.QtyOf(50) || v != mustMoney("1100") {
			t.Errorf("Y after the charges: %s / %s, want 50 / 1100.00", q, v)
		}
		out2 := f.post(t, domain.Document{Type: domain.DocStockOut, Reason: "damage", WarehouseID: wh, Lines: []domain.DocLine{line(x, "10", "0")}})
		if out2.TotalAmount != mustMoney("110") {
			t.Errorf("issue after the charges: %s, want 110.00", out2.TotalAmount)
		}
		// The first issue now carries its correction: 400.00 + 40.00.
		led, err := f.svc.StockLedger(ctx, f.admin, service.LedgerFilter{ItemID: x})
		noErr(t, "ledger", err)
		var issued domain.Money
		for _, r := range led.Rows {
			if r.DocumentID == out.ID || (r.Kind == domain.LegRecost && r.DocumentID == got.ID && r.Qty == 0 && r.Value < 0) {
				issued -= r.Value
			}
		}
		if issued != mustMoney("440") {
			t.Errorf("first issue with its correction: %s, want 440.00", issued)
		}
		// Y is FIFO: its one layer is now 50 at 1100.00, so 10 cost 220.00.
		outY := f.post(t, domain.Document{Type: domain.DocStockOut, Reason: "damage", WarehouseID: wh, Lines: []domain.DocLine{line(y.ID, "10", "0")}})
		if outY.TotalAmount != mustMoney("220") {
			t.Errorf("FIFO issue after the charges: %s, want 220.00", outY.TotalAmount)
		}
		if f.ap(t) != mustMoney("218") {
			t.Errorf("owed to the carrier: %s, want 218.00", f.ap(t))
		}
		f.check(t)

		// By weight: X has no weight, so all goes to Y (2 kg each).
		lc.AllocateBy, lc.Charges = domain.AllocateByWeight, []domain.LandedCharge{{Kind: "duty", Amount: mustMoney("50")}}
		w, err := f.svc.CreatePurchaseDoc(ctx, f.admin, lc, false)
		noErr(t, "by weight", err)
		if w.Lines[0].Amount != 0 || w.Lines[1].Amount != mustMoney("50") {
			t.Errorf("by weight: %s %s, want 0 and 50.00", w.Lines[0].Amount, w.Lines[1].Amount)
		}
	})
}

// TestPurchaseReversals: posted purchasing documents are undone by
// reversals, followers and allocations first; stock, running quantities
// and the supplier's balance come back to where they were.
func TestPurchaseReversals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpPurchase(t, db)
		x, wh := f.items[0].ID, f.w1.ID
		po := f.create(t, domain.Document{Type: domain.DocPurchaseOrder, WarehouseID: wh, Lines: []domain.DocLine{{ItemID: x, Qty: mustQty("10"), Price: mustPrice("2")}}}, true)
		rc := f.create(t, domain.Document{Type: domain.DocPurchaseReceipt, WarehouseID: wh, Lines: []domain.DocLine{{SourceLineID: po.Lines[0].ID, Qty: mustQty("10")}}}, true)
		ret := f.create(t, domain.Document{Type: domain.DocPurchaseReturn, WarehouseID: wh, Lines: []domain.DocLine{{SourceLineID: rc.Lines[0].ID, Qty: mustQty("3")}}}, true)
		_, err := f.svc.ReversePurchaseDoc(ctx, f.admin, domain.DocPurchaseReturn, ret.ID, domain.Date{}, "wrong count")
		noErr(t, "reverse return", err)
		if q, v := f.balance(t, x, wh); q != domain.QtyOf(10) || v != mustMoney("20") {
			t.Errorf("after the return's reversal: %s / %s, want 10 / 20.00", q, v)
		}
		bill := f.create(t, domain.Document{Type: domain.DocPurchaseBill, Lines: []domain.DocLine{{SourceLineID: rc.Lines[0].ID, Qty: mustQty("10")}}}, true)
		pay, err := f.svc.CreatePayment(ctx, f.admin, domain.Document{PartnerID: &f.supplier.ID, AccountID: &f.bank.ID, GrossAmount: mustMoney("20")}, true,
			[]service.SettleItem{{DebitID: bill.ID, Amount: mustMoney("20")}})
		noErr(t, "payment", err)
		_, err = f.svc.ReversePurchaseDoc(ctx, f.admin, domain.DocPurchaseReceipt, rc.ID, domain.Date{}, "")
		wantCode(t, "receipt with a bill", err, domain.EConflict)
		_, err = f.svc.ReversePurchaseDoc(ctx, f.admin, domain.DocPurchaseBill, bill.ID, domain.Date{}, "")
		wantCode(t, "bill with a payment applied", err, domain.EConflict)
		sts, err := f.svc.Settlements(ctx, f.admin, store.Payable, bill.ID)
		noErr(t, "Settlements", err)
		if len(sts) != 1 || sts[0].DebitNumber != bill.Number || sts[0].DebitType != domain.DocPurchaseBill || sts[0].CreditNumber != pay.Number ||
			sts[0].CreditType != domain.DocPayment || sts[0].Amount != mustMoney("20") {
			t.Fatalf("the bill's allocations: %+v", sts)
		}
		// The customers' side neither lists nor undoes a supplier's allocation.
		other, err := f.svc.Settlements(ctx, f.admin, store.Receivable, bill.ID)
		if err != nil || len(other) != 0 {
			t.Errorf("listed as a receivable: %+v, %v", other, err)
		}
		wantCode(t, "undone as a receivable", f.svc.Unsettle(ctx, f.admin, store.Receivable, sts[0].ID), domain.ENotFound)
		noErr(t, "unsettle", f.svc.Unsettle(ctx, f.admin, store.Payable, sts[0].ID))
		_, err = f.svc.ReversePurchaseDoc(ctx, f.admin, domain.DocPurchaseBill, bill.ID, domain.Date{}, "")
		noErr(t, "reverse bill", err)
		if ap := f.ap(t); ap != mustMoney("-20") {
			t.Errorf("after the bill's reversal: owed %s, want -20.00 (the payment)", ap)
		}
		_, err = f.svc.ReversePurchaseDoc(ctx, f.admin, domain.DocPayment, pay.ID, domain.Date{}, "")
		noErr(t, "reverse payment", err)
		_, err = f.svc.ReversePurchaseDoc(ctx, f.admin, domain.DocPurchaseReceipt, rc.ID, domain.Date{}, "")
		noErr(t, "reverse receipt", err)
		if q, v := f.balance(t, x, wh); q != 0 || v != 0 {
			t.Errorf("after the receipt's reversal: %s / %s, want 0 / 0", q, v)
		}
		if open := f.open(t, po.ID); open[0] != domain.QtyOf(10) || f.ap(t) != 0 {
			t.Errorf("order open %s, owed %s; want 10 and 0", open[0], f.ap(t))
		}
		items, err := f.svc.PayableItems(ctx, f.admin, f.supplier.ID)
		noErr(t, "PayableItems", err)
		if len(items) != 0 {
			t.Errorf("open items after the reversals: %+v", items)
		}
		f.check(t)
		// The check has teeth: a stray row on the supplier's account is found.
		noErr(t, "stray row", f.db.Update(ctx, func(tx *store.Tx) error {
			return tx.AppendPartnerLedger(ctx, f.company.ID, []store.PartnerEntry{{PartnerID: f.supplier.ID, Kind: store.Payable,
				DocumentID: bill.ID, DocType: bill.Type, Date: bill.Date, Amount: mustMoney("0.01")}})
		}))
		probs, err := f.svc.CheckStock(ctx, f.company.ID)
		noErr(t, "CheckStock", err)
		if len(probs) != 1 || !strings.Contains(probs[0], bill.Number) {
			t.Errorf("check after a stray row: %q", probs)
		}
	})
}

// TestBillVarianceToCost: 10 received at 10.00, 4 issued (40.00), billed
// at 11.00 with the variance to cost: +10.00 on the receipt from its day,
// so the issue is re-costed to 44.00 and the 6 left are worth 66.00.
// Reversing the bill takes it out again.
func TestBillVarianceToCost(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpPurchase(t, db)
		x, wh := f.items[0].ID, f.w1.ID
		rc := f.create(t, domain.Document{Type: domain.DocPurchaseReceipt, WarehouseID: wh, Lines: []domain.DocLine{{ItemID: x, Qty: mustQty("10"), Price: mustPrice("10")}}}, true)
		f.post(t, domain.Document{Type: domain.DocStockOut, Reason: "damage", WarehouseID: wh, Lines: []domain.DocLine{line(x, "4", "0")}})
		bill := f.create(t, domain.Document{Type: domain.DocPurchaseBill, VarianceTo: "cost", Lines: []domain.DocLine{
			{SourceLineID: rc.Lines[0].ID, Qty: mustQty("10"), Price: mustPrice("11")}}}, false)
		if bill.Lines[0].Variance != mustMoney("10") {
			t.Fatalf("variance %s, want 10.00", bill.Lines[0].Variance)
		}
		for _, act := range []service.DocAction{service.ActSubmit, service.ActApprove, service.ActPost} {
			_, err := f.svc.ActOnPurchaseDoc(ctx, f.admin, domain.DocPurchaseBill, bill.ID, 0, act)
			noErr(t, "bill "+string(act), err)
		}
		if q, v := f.balance(t, x, wh); q != domain.QtyOf(6) || v != mustMoney("66") {
			t.Errorf("after the bill: %s / %s, want 6 / 66.00", q, v)
		}
		f.check(t)
		_, err := f.svc.ReversePurchaseDoc(ctx, f.admin, domain.DocPurchaseBill, bill.ID, domain.Date{}, "")
		noErr(t, "reverse bill", err)
		if q, v := f.balance(t, x, wh); q != domain.QtyOf(6) || v != mustMoney("60") {
			t.Errorf("after the bill's reversal: %s / %s, want 6 / 60.00", q, v)
		}
		f.check(t)
	})
}

// TestPurchaseBudgetRace: four orders of 400.00 placed at once against a
// budget of 1000.00: exactly two get in, the others are refused.
func TestPurchaseBudgetRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpPurchase(t, db)
		today := f.svc.Today()
		_, err := f.svc.SaveBudget(ctx, f.admin, domain.Budget{Scope: domain.BudgetSupplier, RefID: f.supplier.ID, From: today, To: today, Amount: mustMoney("1000")})
		noErr(t, "SaveBudget", err)
		const n = 4
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = f.svc.CreatePurchaseDoc(ctx, f.admin, domain.Document{Type: domain.DocPurchaseOrder, PartnerID: &f.supplier.ID,
					WarehouseID: f.w1.ID, Lines: []domain.DocLine{{ItemID: f.items[0].ID, Qty: mustQty("1"), Price: mustPrice("400")}}}, true)
			}()
		}
		wg.Wait()
		placed := 0
		for _, err := range errs {
			if err == nil {
				placed++
			} else if e, ok := err.(*domain.Error); !ok || e.Key != "error.budget_exceeded" {
				t.Errorf("refused order: %v, want error.budget_exceeded", err)
			}
		}
		if placed != 2 {
			t.Errorf("%d orders placed, want 2", placed)
		}
	})
}

// A receipt's places are read before its transaction (checkWarehouse):
// what that read decides must be what the transaction would have decided —
// an unknown warehouse named as the field, a location of another warehouse
// or an archived one refused on its line, nothing written by any of them,
// and a good location receiving the stock.
func TestReceiptPlaces(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpPurchase(t, db)
		x := f.items[0].ID
		a, err := f.svc.CreateLocation(ctx, f.admin, f.w1.ID, domain.Location{Code: "A", Name: "A区"})
		noErr(t, "CreateLocation A", err)
		old, err := f.svc.CreateLocation(ctx, f.admin, f.w1.ID, domain.Location{Code: "OLD", Name: "旧区"})
		noErr(t, "CreateLocation OLD", err)
		noErr(t, "ArchiveLocation", f.svc.ArchiveLocation(ctx, f.admin, f.w1.ID, old.ID, true))
		b, err := f.svc.CreateLocation(ctx, f.admin, f.w2.ID, domain.Location{Code: "B", Name: "B区"})
		noErr(t, "CreateLocation B", err)
		receipt := func(wh, loc int64) error {
			l := line(x, "5", "2")
			l.LocationID = loc
			_, err := f.svc.CreatePurchaseDoc(ctx, f.admin, domain.Document{Type: domain.DocPurchaseReceipt, PartnerID: &f.supplier.ID,
				WarehouseID: wh, Lines: []domain.DocLine{l}}, true)
			return err
		}
		wantField(t, "unknown warehouse", receipt(f.w2.ID+1000, 0), "warehouse_id", "unknown_reference")
		wantField(t, "location of another warehouse", receipt(f.w1.ID, b.ID), "lines[0].location_id", "not_in_warehouse")
		wantField(t, "archived location", receipt(f.w1.ID, old.ID), "lines[0].location_id", "archived")
		if q, _ := f.balance(t, x, f.w1.ID); q != 0 {
			t.Fatalf("refused receipts left %s on hand", q)
		}
		noErr(t, "receipt to A", receipt(f.w1.ID, a.ID))
		rows, _, err := f.svc.StockBalances(ctx, f.admin, service.BalanceFilter{ItemID: x, WarehouseID: f.w1.ID})
		noErr(t, "StockBalances", err)
		if len(rows) != 1 || rows[0].LocationID != a.ID || rows[0].OnHand != mustQty("5") {
			t.Fatalf("after the receipt to A: %+v", rows)
		}
		f.check(t)
	})
}

// TestWholeBillDiscountReceived: a purchase order's 整单优惠 follows its
// lines into the receipt (so the goods are stocked at what they cost) and
// the bill (so it matches the receipt with no variance). The order as in
// TestWholeBillDiscountFollows: X's gross 28.63 after its 1.85 share, net
// 28.63 − 3.29 tax = 25.34 in stock; the bill 54.15.
func TestWholeBillDiscountReceived(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setUpPurchase(t, db)
		x, wh := f.items[0].ID, f.w1.ID
		o := f.create(t, domain.Document{Type: domain.DocPurchaseOrder, WarehouseID: wh, TaxIncluded: true, Discount: mustMoney("3.50"), Lines: wholeBillLines(t, f.stockFixture)}, true)
		rc := f.create(t, domain.Document{Type: domain.DocPurchaseReceipt, WarehouseID: wh, Lines: []domain.DocLine{
			{SourceLineID: o.Lines[0].ID, Qty: mustQty("24")}, {SourceLineID: o.Lines[1].ID, Qty: mustQty("10")}}}, true)
		if rc.GrossAmount != o.GrossAmount || o.GrossAmount != mustMoney("54.15") {
			t.Errorf("receipt %s, order %s, want 54.15 both", rc.GrossAmount, o.GrossAmount)
		}
		if q, v := f.balance(t, x, wh); q != domain.QtyOf(24) || v != mustMoney("25.34") {
			t.Errorf("X in stock: %s at %s, want 24 at 25.34", q, v)
		}
		bill := f.create(t, domain.Document{Type: domain.DocPurchaseBill, TaxIncluded: true, Lines: []domain.DocLine{
			{SourceLineID: rc.Lines[0].ID, Qty: mustQty("24")}, {SourceLineID: rc.Lines[1].ID, Qty: mustQty("10")}}}, false)
		if bill.GrossAmount != o.GrossAmount || bill.Lines[0].Variance != 0 || bill.Lines[1].Variance != 0 {
			t.Errorf("bill %s, variances %s and %s, want 54.15 and none", bill.GrossAmount, bill.Lines[0].Variance, bill.Lines[1].Variance)
		}
		f.check(t)
	})
}

// TestPartBillAtReceiptPrice: a bill of part of a receipt line at the
// receipt's own price has no variance, so it needs no approval. 4 × 12.50
// with tax (13 %) is 44.25 net, whose half 22.125 rounds to 22.13; the bill
// of 2 × 12.50 is 22.12 net (its own tax, 2.88, rounded per line). That
// cent was shown as a variance of −0.01 and sent the bill to approval.
func TestPartBillAtReceiptPrice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setUpPurchase(t, db)
		x, wh := f.items[0].ID, f.w1.ID
		rc := f.create(t, domain.Document{Type: domain.DocPurchaseReceipt, WarehouseID: wh, TaxIncluded: true, Lines: []domain.DocLine{
			{ItemID: x, Qty: mustQty("4"), Price: mustPrice("12.50"), TaxRate: domain.RateOf(13)}}}, true)
		for _, price := range []string{"0", "12.50"} { // the receipt's, left out and typed
			bill := f.create(t, domain.Document{Type: domain.DocPurchaseBill, TaxIncluded: true, Lines: []domain.DocLine{
				{SourceLineID: rc.Lines[0].ID, Qty: mustQty("2"), Price: mustPrice(price)}}}, true)
			if bill.Lines[0].Amount != mustMoney("22.12") || bill.Lines[0].Variance != 0 || bill.State != domain.DocPosted {
				t.Errorf("bill of 2 at %q: net %s variance %s state %s, want 22.12, none, posted", price, bill.Lines[0].Amount, bill.Lines[0].Variance, bill.State)
			}
		}
		f.check(t)
	})
}

// TestDocsFoundBySupplier: a clerk looking for an order types its supplier
// (by name, code, English name or 助记码) and finds it; another supplier's
// order is not found, nor is anything for a name no one has.
func TestDocsFoundBySupplier(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpPurchase(t, db)
		other, err := f.svc.CreatePartner(ctx, f.admin, domain.Partner{Code: "S2", Name: "柔丝纺织", NameEn: "Rousi Textiles", Kind: domain.PartnerSupplier})
		noErr(t, "CreatePartner", err)
		mine := f.create(t, domain.Document{Type: domain.DocPurchaseOrder, WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(f.items[0].ID, "1", "1")}}, true)
		d := domain.Document{Type: domain.DocPurchaseOrder, WarehouseID: f.w1.ID, PartnerID: &other.ID, Lines: []domain.DocLine{line(f.items[0].ID, "1", "1")}}
		theirs, err := f.svc.CreatePurchaseDoc(ctx, f.admin, d, true)
		noErr(t, "order of S2", err)
		for q, want := range map[string]int64{"柔丝": theirs.ID, "s2": theirs.ID, "rousi": theirs.ID, "rsfz": theirs.ID, "供应商甲": mine.ID, "S1": mine.ID, "无此供应商": 0} {
			docs, n, err := f.svc.PurchaseDocs(ctx, f.admin, domain.DocPurchaseOrder, service.DocFilter{ListFilter: store.ListFilter{Q: q}})
			noErr(t, "PurchaseDocs "+q, err)
			if want == 0 && n != 0 || want != 0 && (n != 1 || docs[0].ID != want) {
				t.Errorf("search %q: %d found, want only document %d", q, n, want)
			}
		}
	})
}
