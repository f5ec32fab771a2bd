package service_test

import (
	"context"
	"testing"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// TestPayOffCustomerWithCredits: a customer owes two invoices, 40.00 and
// 60.00, and has a return credited 20.00. Receiving the balance (收清余额)
// takes 80.00 and applies the credit first, in the same transaction as
// the receipt: afterwards nothing is open and the customer owes nothing.
// Before, a receipt's allocation could only apply the receipt itself, so
// the credit and 20.00 of an invoice stayed open, cancelling out.
func TestPayOffCustomerWithCredits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpSales(t, db)
		x, wh := f.items[0].ID, f.w1.ID
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: wh, Lines: []domain.DocLine{line(x, "10", "10")}})
		o := f.create(t, domain.Document{Type: domain.DocSalesOrder, WarehouseID: wh, Lines: []domain.DocLine{{ItemID: x, Qty: mustQty("5"), Price: mustPrice("20")}}}, true)
		sh := f.create(t, domain.Document{Type: domain.DocSalesShipment, WarehouseID: wh, Lines: []domain.DocLine{{SourceLineID: o.Lines[0].ID, Qty: mustQty("5")}}}, true)
		a := f.create(t, domain.Document{Type: domain.DocSalesInvoice, Lines: []domain.DocLine{{SourceLineID: sh.Lines[0].ID, Qty: mustQty("2")}}}, true)
		b := f.create(t, domain.Document{Type: domain.DocSalesInvoice, Lines: []domain.DocLine{{SourceLineID: sh.Lines[0].ID, Qty: mustQty("3")}}}, true)
		ret := f.create(t, domain.Document{Type: domain.DocSalesReturn, WarehouseID: wh, Lines: []domain.DocLine{{SourceLineID: sh.Lines[0].ID, Qty: mustQty("1")}}}, true)
		if a.GrossAmount != mustMoney("40") || b.GrossAmount != mustMoney("60") || ret.Lines[0].Credit != mustMoney("20") {
			t.Fatalf("invoices %s %s, return credit %s", a.GrossAmount, b.GrossAmount, ret.Lines[0].Credit)
		}
		bal := func(step string, balance, open, unapplied string) {
			t.Helper()
			bs, err := f.svc.Receivables(ctx, f.admin, f.customer.ID, domain.Date{})
			noErr(t, "Receivables", err)
			if len(bs) != 1 || bs[0].Balance != mustMoney(balance) || bs[0].Open != mustMoney(open) || bs[0].Unapplied != mustMoney(unapplied) {
				t.Errorf("%s: %+v, want balance %s open %s unapplied %s", step, bs, balance, open, unapplied)
			}
		}
		bal("before", "80", "100", "20")

		// Another customer's credit cannot be applied: refused, nothing kept.
		other, err := f.svc.CreatePartner(ctx, f.admin, domain.Partner{Code: "C2", Name: "客户乙", Kind: domain.PartnerCustomer})
		noErr(t, "CreatePartner", err)
		adv, err := f.svc.CreateReceipt(ctx, f.admin, domain.Document{PartnerID: &other.ID, AccountID: &f.bank.ID, GrossAmount: mustMoney("20")}, true, nil)
		noErr(t, "advance of another customer", err)
		_, err = f.svc.CreateReceipt(ctx, f.admin, domain.Document{PartnerID: &f.customer.ID, AccountID: &f.bank.ID, GrossAmount: mustMoney("80")}, true,
			[]service.SettleItem{{DebitID: a.ID, CreditID: adv.ID, Amount: mustMoney("20")}, {DebitID: a.ID, Amount: mustMoney("20")}, {DebitID: b.ID, Amount: mustMoney("60")}})
		wantCode(t, "another customer's credit", err, domain.EConflict)
		bal("after the refusal", "80", "100", "20")

		// The pay-off: the credit to the earliest invoice, the money for the rest.
		rc, err := f.svc.CreateReceipt(ctx, f.admin, domain.Document{PartnerID: &f.customer.ID, AccountID: &f.bank.ID, GrossAmount: mustMoney("80")}, true,
			[]service.SettleItem{{DebitID: a.ID, CreditID: ret.ID, Amount: mustMoney("20")}, {DebitID: a.ID, Amount: mustMoney("20")}, {DebitID: b.ID, Amount: mustMoney("60")}})
		noErr(t, "pay off", err)
		if rc.State != domain.DocPosted {
			t.Errorf("receipt %s", rc.State)
		}
		bal("paid off", "0", "0", "0")
		items, err := f.svc.ReceivableItems(ctx, f.admin, f.customer.ID)
		noErr(t, "ReceivableItems", err)
		if len(items) != 0 {
			t.Errorf("open items after the pay-off: %+v", items)
		}
		for _, id := range []int64{ret.ID, rc.ID} {
			st, err := f.svc.Settlements(ctx, f.admin, store.Receivable, id)
			noErr(t, "Settlements", err)
			if len(st) == 0 {
				t.Errorf("document %d has no allocation", id)
			}
		}

		// An allocation names its credit; 0 is refused with the field named.
		_, err = f.svc.SettleReceivables(ctx, f.admin, f.customer.ID, []service.SettleItem{{DebitID: a.ID, Amount: mustMoney("1")}})
		wantField(t, "no credit", err, "items[0].credit_id", "required")
		f.check(t)
	})
}

// TestOffsetCustomerCredit: an invoice of 2.29 and a return credit of 2.29
// cancel out with no money moving — the customer no longer owes anything
// nor has anything open.
func TestOffsetCustomerCredit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpSales(t, db)
		x, wh := f.items[0].ID, f.w1.ID
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: wh, Lines: []domain.DocLine{line(x, "10", "1")}})
		o := f.create(t, domain.Document{Type: domain.DocSalesOrder, WarehouseID: wh, Lines: []domain.DocLine{{ItemID: x, Qty: mustQty("2"), Price: mustPrice("2.29")}}}, true)
		sh := f.create(t, domain.Document{Type: domain.DocSalesShipment, WarehouseID: wh, Lines: []domain.DocLine{{SourceLineID: o.Lines[0].ID, Qty: mustQty("2")}}}, true)
		inv := f.create(t, domain.Document{Type: domain.DocSalesInvoice, Lines: []domain.DocLine{{SourceLineID: sh.Lines[0].ID, Qty: mustQty("2")}}}, true)
		_, err := f.svc.CreateReceipt(ctx, f.admin, domain.Document{PartnerID: &f.customer.ID, AccountID: &f.bank.ID, GrossAmount: mustMoney("2.29")}, true,
			[]service.SettleItem{{DebitID: inv.ID, Amount: mustMoney("2.29")}})
		noErr(t, "receipt", err)
		ret := f.create(t, domain.Document{Type: domain.DocSalesReturn, WarehouseID: wh, Lines: []domain.DocLine{{SourceLineID: sh.Lines[0].ID, Qty: mustQty("1")}}}, true)
		bs, err := f.svc.Receivables(ctx, f.admin, f.customer.ID, domain.Date{})
		noErr(t, "Receivables", err)
		if bs[0].Balance != 0 || bs[0].Open != mustMoney("2.29") || bs[0].Unapplied != mustMoney("2.29") {
			t.Fatalf("before: %+v", bs[0])
		}
		_, err = f.svc.SettleReceivables(ctx, f.admin, f.customer.ID, []service.SettleItem{{DebitID: inv.ID, CreditID: ret.ID, Amount: mustMoney("2.29")}})
		noErr(t, "offset", err)
		bs, err = f.svc.Receivables(ctx, f.admin, f.customer.ID, domain.Date{})
		noErr(t, "Receivables", err)
		if bs[0].Balance != 0 || bs[0].Open != 0 || bs[0].Unapplied != 0 {
			t.Errorf("after the offset: %+v", bs[0])
		}
	})
}

// TestPayOffSupplierWithCredits: a bill of 100.00, a return credited 20.00
// and a landed cost of 30.00 owed to the same supplier. Paying the balance
// pays 110.00, applies the credit first and settles the landed cost too —
// before, a landed cost could not be allocated at all.
func TestPayOffSupplierWithCredits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpPurchase(t, db)
		x, wh := f.items[0].ID, f.w1.ID
		rc := f.create(t, domain.Document{Type: domain.DocPurchaseReceipt, WarehouseID: wh, Lines: []domain.DocLine{line(x, "10", "10")}}, true)
		bill := f.create(t, domain.Document{Type: domain.DocPurchaseBill, Lines: []domain.DocLine{{SourceLineID: rc.Lines[0].ID, Qty: mustQty("10"), Price: mustPrice("10")}}}, true)
		ret := f.create(t, domain.Document{Type: domain.DocPurchaseReturn, WarehouseID: wh, Lines: []domain.DocLine{{SourceLineID: rc.Lines[0].ID, Qty: mustQty("2")}}}, true)
		lc := f.create(t, domain.Document{Type: domain.DocLandedCost, AllocateBy: domain.AllocateByValue,
			Charges: []domain.LandedCharge{{Kind: "freight", Amount: mustMoney("30")}}, Lines: []domain.DocLine{{SourceLineID: rc.Lines[0].ID}}}, true)
		if bill.GrossAmount != mustMoney("100") || ret.Lines[0].Credit != mustMoney("20") || lc.GrossAmount != mustMoney("30") {
			t.Fatalf("bill %s, return credit %s, landed cost %s", bill.GrossAmount, ret.Lines[0].Credit, lc.GrossAmount)
		}
		if f.ap(t) != mustMoney("110") {
			t.Fatalf("owed %s, want 110.00", f.ap(t))
		}
		_, err := f.svc.CreatePayment(ctx, f.admin, domain.Document{PartnerID: &f.supplier.ID, AccountID: &f.bank.ID, GrossAmount: mustMoney("110")}, true,
			[]service.SettleItem{{DebitID: bill.ID, CreditID: ret.ID, Amount: mustMoney("20")}, {DebitID: bill.ID, Amount: mustMoney("80")}, {DebitID: lc.ID, Amount: mustMoney("30")}})
		noErr(t, "pay off", err)
		bs, err := f.svc.Payables(ctx, f.admin, f.supplier.ID, domain.Date{})
		noErr(t, "Payables", err)
		if len(bs) != 1 || bs[0].Balance != 0 || bs[0].Open != 0 || bs[0].Unapplied != 0 {
			t.Errorf("after paying off: %+v", bs)
		}
		f.check(t) // the partner accounts too
	})
}

// TestAutoSettleLandedCost: auto allocation offsets a supplier's open
// credit against a landed cost owed to it as it does against a bill.
func TestAutoSettleLandedCost(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpPurchase(t, db)
		rc := f.create(t, domain.Document{Type: domain.DocPurchaseReceipt, WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(f.items[0].ID, "10", "10")}}, true)
		lc := f.create(t, domain.Document{Type: domain.DocLandedCost, AllocateBy: domain.AllocateByValue,
			Charges: []domain.LandedCharge{{Kind: "freight", Amount: mustMoney("30")}}, Lines: []domain.DocLine{{SourceLineID: rc.Lines[0].ID}}}, true)
		_, err := f.svc.CreatePayment(ctx, f.admin, domain.Document{PartnerID: &f.supplier.ID, AccountID: &f.bank.ID, GrossAmount: mustMoney("50")}, true, nil)
		noErr(t, "prepayment", err)
		done, err := f.svc.AutoSettle(ctx, f.admin, f.supplier.ID)
		noErr(t, "AutoSettle", err)
		if len(done) != 1 || done[0].DebitID != lc.ID || done[0].Amount != mustMoney("30") {
			t.Errorf("auto: %+v", done)
		}
	})
}
