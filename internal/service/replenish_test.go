package service_test

import (
	"context"
	"testing"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// TestReplenishment: X has safety stock 10 in W1, MOQ 50, packs of 12.
// Six weeks of history, 10 used each week (internal use): the moving
// average of 3 and the smoothed level are both 10, no backtest error, so
// the moving average (ties go to it) forecasts 10 a week. Two suppliers
// delivered it, S1 at 10.00 and S2 at 9.50: S2 is cheaper; neither has a
// lead time on record, so 7 days. Reorder point = 10 × 7/7 + 10 = 20.
// On hand 60 − 60 = 0, reserved 0, on order 5: available 5 ≤ 20, so the
// target is 20 + 10 = 30, the need 25, raised to the MOQ 50 and rounded
// up to packs of 12: 60 from S2. Accepting it makes one draft order.
func TestReplenishment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpPurchase(t, db)
		wh := f.w1.ID
		x, err := f.svc.CreateItem(ctx, f.admin, domain.Item{Code: "X", Name: "甲", BaseUnitID: f.items[0].BaseUnitID, MOQ: mustQty("50"),
			PackQty: mustQty("12"), Levels: []domain.ItemLevel{{WarehouseID: wh, SafetyQty: mustQty("10")}}})
		noErr(t, "CreateItem", err)
		s2, err := f.svc.CreatePartner(ctx, f.admin, domain.Partner{Code: "S2", Name: "供应商乙", Kind: domain.PartnerSupplier})
		noErr(t, "CreatePartner", err)
		today := f.svc.Today()
		day := func(n int) domain.Date { return domain.Date{Time: today.AddDate(0, 0, n)} }
		start := -41 // six whole weeks ending yesterday
		for _, s := range []struct {
			partner int64
			price   string
		}{{f.supplier.ID, "10"}, {s2.ID, "9.50"}} {
			_, err := f.svc.CreatePurchaseDoc(ctx, f.admin, domain.Document{Type: domain.DocPurchaseReceipt, PartnerID: &s.partner, WarehouseID: wh,
				Date: day(start - 10), Lines: []domain.DocLine{{ItemID: x.ID, Qty: mustQty("30"), Price: mustPrice(s.price)}}}, true)
			noErr(t, "receipt", err)
		}
		for k := range 6 {
			f.post(t, domain.Document{Type: domain.DocStockOut, Reason: "internal_use", WarehouseID: wh, Date: day(start + 7*k + 3),
				Lines: []domain.DocLine{line(x.ID, "10", "0")}})
		}
		// Damage is not demand.
		f.post(t, domain.Document{Type: domain.DocStockIn, Reason: "found", WarehouseID: wh, Date: day(start), Lines: []domain.DocLine{line(x.ID, "1", "10")}})
		f.post(t, domain.Document{Type: domain.DocStockOut, Reason: "damage", WarehouseID: wh, Date: day(start + 1), Lines: []domain.DocLine{line(x.ID, "1", "0")}})
		f.create(t, domain.Document{Type: domain.DocPurchaseOrder, WarehouseID: wh, Lines: []domain.DocLine{{ItemID: x.ID, Qty: mustQty("5"), Price: mustPrice("10")}}}, true)

		ls, err := f.svc.Replenish(ctx, f.admin, service.ReplenishParams{WarehouseID: wh, PeriodDays: 7, Periods: 6, Window: 3, Alpha: domain.RateOf(30)})
		noErr(t, "Replenish", err)
		if len(ls) != 1 {
			t.Fatalf("%d suggestions, want 1: %+v", len(ls), ls)
		}
		l := ls[0]
		ten := mustQty("10")
		for k, h := range l.History {
			if h != ten {
				t.Errorf("history[%d] = %s, want 10", k, h)
			}
		}
		if l.Forecast.Method != domain.ForecastMovingAverage || l.Forecast.PerPeriod != ten || l.Forecast.Error != 0 || l.Forecast.Backtested != 3 {
			t.Errorf("forecast %+v, want moving average 10 with no error over 3 periods", l.Forecast)
		}
		if l.OnHand != 0 || l.OnOrder != mustQty("5") || l.ReorderPoint != mustQty("20") || l.Available != mustQty("5") ||
			l.Target != mustQty("30") || l.Need != mustQty("25") || l.Qty != mustQty("60") || l.Reason != "reorder_point" {
			t.Errorf("suggestion: %+v", l.Suggestion)
		}
		if l.Supplier == nil || l.Supplier.PartnerID != s2.ID || l.Supplier.Price != mustPrice("9.50") || l.LeadTimeDays != 7 || len(l.Offers) != 2 {
			t.Errorf("supplier %+v (offers %+v), want S2 at 9.50, 7 days", l.Supplier, l.Offers)
		}
		orders, err := f.svc.ReplenishOrders(ctx, f.admin, wh, []service.ReplenishOrderLine{{ItemID: x.ID, PartnerID: s2.ID, Qty: l.Qty}})
		noErr(t, "ReplenishOrders", err)
		if len(orders) != 1 || orders[0].State != domain.DocDraft || *orders[0].PartnerID != s2.ID || orders[0].WarehouseID != wh ||
			len(orders[0].Lines) != 1 || orders[0].Lines[0].Qty != mustQty("60") || orders[0].Lines[0].Price != mustPrice("9.50") {
			t.Errorf("draft orders: %+v", orders)
		}
	})
}
