package service_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// TestPOSSale: a counter sale of X 2 pieces at the retail 5.00 and one box
// of 12 at the box price 55.00 (65.00 with tax), paid 30.00 by WeChat and
// 50.00 cash tendered (35.00 taken, 15.00 change); the goods leave at cost
// 2.00 each. One piece comes back: refunded 5.00 cash, in at 2.00. A
// customer with 20.00 prepaid pays a 10.00 sale from store credit.
func TestPOSSale(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpSales(t, db)
		wh := f.w1.ID
		box := f.unit(t, f.admin, "BOX", "箱")
		x, err := f.svc.CreateItem(ctx, f.admin, domain.Item{Code: "COLA", Name: "可乐", BaseUnitID: f.items[0].BaseUnitID,
			RetailPrice: mustPrice("5"), TaxRate: domain.RateOf(13),
			Units: []domain.ItemUnit{{UnitID: box.ID, Factor: mustQty("12"), Barcode: "6900000000017", RetailPrice: mustPrice("55")}}})
		noErr(t, "CreateItem", err)
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: wh, Lines: []domain.DocLine{line(x.ID, "20", "2")}})
		cash, err := f.svc.CreateAccount(ctx, f.admin, domain.Account{Code: "CASH", Name: "钱箱", Kind: domain.AccountCash})
		noErr(t, "cash", err)
		wx, err := f.svc.CreateAccount(ctx, f.admin, domain.Account{Code: "WX", Name: "微信", Kind: domain.AccountWeChat})
		noErr(t, "wechat", err)

		sale, err := f.svc.CreatePOSSale(ctx, f.admin, domain.Document{WarehouseID: wh, Lines: []domain.DocLine{
			{ItemID: x.ID, Qty: mustQty("2")}, {ItemID: x.ID, UnitID: box.ID, Qty: mustQty("1")}},
			Payments: []domain.Payment{{Method: domain.PayWeChat, AccountID: &wx.ID, Tendered: mustMoney("30"), Ref: "WX123"},
				{Method: domain.PayCash, AccountID: &cash.ID, Tendered: mustMoney("50")}}})
		noErr(t, "sale", err)
		if sale.State != domain.DocPosted || sale.GrossAmount != mustMoney("65") || sale.Lines[1].Price != mustPrice("55") ||
			sale.Lines[0].Cost != mustMoney("4") || sale.Lines[1].Cost != mustMoney("24") {
			t.Errorf("sale: %s gross %s box price %s costs %s/%s", sale.State, sale.GrossAmount, sale.Lines[1].Price, sale.Lines[0].Cost, sale.Lines[1].Cost)
		}
		if len(sale.Payments) != 2 || sale.Payments[1].Amount != mustMoney("35") || sale.Payments[1].Change != mustMoney("15") ||
			sale.Payments[0].Amount != mustMoney("30") {
			t.Errorf("payments %+v", sale.Payments)
		}
		if q, _, v := f.stock(t, x.ID); q != mustQty("6") || v != mustMoney("12") {
			t.Errorf("after the sale on hand %s value %s, want 6 and 12.00", q, v)
		}
		// Too little: 65.00 with 30.00 WeChat and 20.00 cash.
		_, err = f.svc.CreatePOSSale(ctx, f.admin, domain.Document{WarehouseID: wh, Lines: []domain.DocLine{{ItemID: x.ID, Qty: mustQty("1")}},
			Payments: []domain.Payment{{Method: domain.PayCash, AccountID: &cash.ID, Tendered: mustMoney("2")}}})
		wantCode(t, "short payment", err, domain.EInvalid)

		found, err := f.svc.POSSaleByNumber(ctx, f.admin, sale.Number)
		noErr(t, "by number", err)
		ret, err := f.svc.CreatePOSReturn(ctx, f.admin, domain.Document{WarehouseID: wh, Lines: []domain.DocLine{
			{SourceLineID: found.Lines[0].ID, Qty: mustQty("1")}},
			Payments: []domain.Payment{{Method: domain.PayCash, AccountID: &cash.ID, Tendered: mustMoney("5")}}})
		noErr(t, "return", err)
		if ret.GrossAmount != mustMoney("5") || ret.Payments[0].Amount != mustMoney("5") {
			t.Errorf("return: gross %s payments %+v", ret.GrossAmount, ret.Payments)
		}
		if q, _, v := f.stock(t, x.ID); q != mustQty("7") || v != mustMoney("14") {
			t.Errorf("after the return on hand %s value %s, want 7 and 14.00", q, v)
		}
		_, err = f.svc.CreatePOSReturn(ctx, f.admin, domain.Document{WarehouseID: wh, Lines: []domain.DocLine{
			{SourceLineID: found.Lines[0].ID, Qty: mustQty("2")}},
			Payments: []domain.Payment{{Method: domain.PayCash, AccountID: &cash.ID, Tendered: mustMoney("10")}}})
		wantCode(t, "returning more than is left", err, domain.EInvalid)

		// Store credit: 20.00 prepaid, a 10.00 sale paid from it.
		_, err = f.svc.CreateReceipt(ctx, f.admin, domain.Document{PartnerID: &f.customer.ID, AccountID: &cash.ID, GrossAmount: mustMoney("20")}, true, nil)
		noErr(t, "prepay", err)
		_, err = f.svc.CreatePOSSale(ctx, f.admin, domain.Document{WarehouseID: wh, PartnerID: &f.customer.ID,
			Lines:    []domain.DocLine{{ItemID: x.ID, Qty: mustQty("2")}},
			Payments: []domain.Payment{{Method: domain.PayStoreCredit, Tendered: mustMoney("10")}}})
		noErr(t, "store credit sale", err)
		if ar := f.ar(t); ar != mustMoney("-10") {
			t.Errorf("customer balance %s, want -10.00 (10.00 of store credit left)", ar)
		}
		_, err = f.svc.CreatePOSSale(ctx, f.admin, domain.Document{WarehouseID: wh, PartnerID: &f.customer.ID,
			Lines:    []domain.DocLine{{ItemID: x.ID, Qty: mustQty("3")}},
			Payments: []domain.Payment{{Method: domain.PayStoreCredit, Tendered: mustMoney("15")}}})
		wantCode(t, "store credit short", err, domain.EConflict)
		f.check(t)
		_ = service.ActOpts{}
	})
}

// TestPOSBatchPicked: a batch-tracked item scanned at the counter takes the
// batch that expires first, and the next one when that runs short.
func TestPOSBatchPicked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpSales(t, db)
		wh, b := f.w1.ID, f.batch.ID
		early, late := domain.NewDate(2027, 1, 1), domain.NewDate(2027, 6, 1)
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: wh, Lines: []domain.DocLine{
			{ItemID: b, Qty: mustQty("5"), Price: mustPrice("2"), Batch: "LATE", Expiry: &late},
			{ItemID: b, Qty: mustQty("2"), Price: mustPrice("2"), Batch: "EARLY", Expiry: &early}}})
		cash, err := f.svc.CreateAccount(ctx, f.admin, domain.Account{Code: "CASH", Name: "钱箱", Kind: domain.AccountCash})
		noErr(t, "cash", err)
		sale, err := f.svc.CreatePOSSale(ctx, f.admin, domain.Document{WarehouseID: wh, Lines: []domain.DocLine{{ItemID: b, Qty: mustQty("3"), Price: mustPrice("4")}},
			Payments: []domain.Payment{{Method: domain.PayCash, AccountID: &cash.ID, Tendered: mustMoney("20")}}})
		noErr(t, "sale", err)
		if len(sale.Lines) != 2 || sale.Lines[0].Batch != "EARLY" || sale.Lines[0].Qty != mustQty("2") || sale.Lines[1].Batch != "LATE" ||
			sale.GrossAmount != mustMoney("12") {
			t.Errorf("lines %+v gross %s", sale.Lines, sale.GrossAmount)
		}
		f.check(t)
	})
}

// TestPOSTakings: the counter's takings (交班对账). Sales of 65.00 (30.00
// WeChat, 35.00 cash after 15.00 change) and 10.00 (cash), a return of
// 5.00 refunded in cash: 2 sales 75.00, 1 return 5.00, net 70.00; cash in
// 45.00, out 5.00, the drawer 40.00; WeChat 30.00. Another warehouse's
// sale is not this warehouse's, and a day without sales is empty.
func TestPOSTakings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpSales(t, db)
		wh := f.w1.ID
		x, err := f.svc.CreateItem(ctx, f.admin, domain.Item{Code: "COLA", Name: "可乐", BaseUnitID: f.items[0].BaseUnitID, RetailPrice: mustPrice("5")})
		noErr(t, "CreateItem", err)
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: wh, Lines: []domain.DocLine{line(x.ID, "40", "2")}})
		cash, err := f.svc.CreateAccount(ctx, f.admin, domain.Account{Code: "CASH", Name: "钱箱", Kind: domain.AccountCash})
		noErr(t, "cash", err)
		wx, err := f.svc.CreateAccount(ctx, f.admin, domain.Account{Code: "WX", Name: "微信", Kind: domain.AccountWeChat})
		noErr(t, "wechat", err)
		sell := func(qty string, pays ...domain.Payment) domain.Document {
			t.Helper()
			d, err := f.svc.CreatePOSSale(ctx, f.admin, domain.Document{WarehouseID: wh, Lines: []domain.DocLine{{ItemID: x.ID, Qty: mustQty(qty)}}, Payments: pays})
			noErr(t, "sale", err)
			return d
		}
		s1 := sell("13", domain.Payment{Method: domain.PayWeChat, AccountID: &wx.ID, Tendered: mustMoney("30")},
			domain.Payment{Method: domain.PayCash, AccountID: &cash.ID, Tendered: mustMoney("50")})
		sell("2", domain.Payment{Method: domain.PayCash, AccountID: &cash.ID, Tendered: mustMoney("10")})
		_, err = f.svc.CreatePOSReturn(ctx, f.admin, domain.Document{WarehouseID: wh, Lines: []domain.DocLine{{SourceLineID: s1.Lines[0].ID, Qty: mustQty("1")}},
			Payments: []domain.Payment{{Method: domain.PayCash, AccountID: &cash.ID, Tendered: mustMoney("5")}}})
		noErr(t, "return", err)

		got, err := f.svc.POSTakings(ctx, f.admin, store.POSTakingsFilter{WarehouseID: wh})
		noErr(t, "POSTakings", err)
		want := store.POSTakings{Sales: 2, SalesAmount: mustMoney("75"), Returns: 1, ReturnAmount: mustMoney("5"), Net: mustMoney("70"),
			Methods: []store.POSMethodSum{
				{Method: domain.PayCash, Received: mustMoney("45"), Refunded: mustMoney("5"), Net: mustMoney("40")},
				{Method: domain.PayWeChat, Received: mustMoney("30"), Net: mustMoney("30")},
			}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("today's takings (-want +got):\n%s", diff)
		}
		other, err := f.svc.POSTakings(ctx, f.admin, store.POSTakingsFilter{WarehouseID: wh + 1000})
		noErr(t, "another warehouse", err)
		if other.Sales != 0 || len(other.Methods) != 0 {
			t.Errorf("another warehouse: %+v", other)
		}
		yesterday := domain.Date{Time: f.svc.Today().AddDate(0, 0, -1)}
		if y, err := f.svc.POSTakings(ctx, f.admin, store.POSTakingsFilter{From: yesterday, To: yesterday}); err != nil || y.Sales != 0 || y.Net != 0 {
			t.Errorf("yesterday: %+v, %v", y, err)
		}
		_, err = f.svc.POSTakings(ctx, f.admin, store.POSTakingsFilter{From: f.svc.Today(), To: yesterday})
		wantField(t, "to before from", err, "to", "min")
	})
}
