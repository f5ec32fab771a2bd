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

func scRate(s string) *domain.Rate {
	r, err := domain.ParseRate(s)
	if err != nil {
		panic(err)
	}
	return &r
}

// TestScorecard builds a supplier's year of orders and receipts through the
// purchasing API and checks every figure of its scorecard against the
// values worked by hand in the comments (the rules are in
// domain/scorecard.go). Dates are days before today: D(60) is 60 days ago.
func TestScorecard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpPurchase(t, db)
		today := f.svc.Today()
		D := func(n int) domain.Date { return domain.Date{Time: today.AddDate(0, 0, -n)} }
		ptr := func(d domain.Date) *domain.Date { return &d }
		wh, x := f.w1.ID, f.items[0]
		box := f.unit(t, f.admin, "BOX", "箱")
		y, err := f.svc.CreateItem(ctx, f.admin, domain.Item{Code: "Y", Name: "整箱货", BaseUnitID: x.BaseUnitID,
			Units: []domain.ItemUnit{{UnitID: box.ID, Factor: domain.QtyOf(12)}}})
		noErr(t, "CreateItem", err)
		order := func(day domain.Date, expected *domain.Date, taxIncl bool, lines ...domain.DocLine) domain.Document {
			t.Helper()
			return f.create(t, domain.Document{Type: domain.DocPurchaseOrder, Date: day, ExpectedDate: expected, WarehouseID: wh,
				TaxIncluded: taxIncl, Lines: lines}, true)
		}
		receive := func(day domain.Date, lines ...domain.DocLine) domain.Document {
			t.Helper()
			return f.create(t, domain.Document{Type: domain.DocPurchaseReceipt, Date: day, WarehouseID: wh, Lines: lines}, true)
		}
		vat := domain.RateOf(13)

		// A year and more ago, outside the default window: ordered 10 X at
		// 9.00 on D(400), expected D(390), all received on D(395).
		po0 := order(D(400), ptr(D(390)), false, domain.DocLine{ItemID: x.ID, Qty: mustQty("10"), Price: mustPrice("9")})
		receive(D(395), domain.DocLine{SourceLineID: po0.Lines[0].ID, Qty: mustQty("10")})

		// PO1 on D(60), expected D(50): 100 X at 11.30 with 13 % VAT
		// included, net 10.00 a piece.
		po1 := order(D(60), ptr(D(50)), true, domain.DocLine{ItemID: x.ID, Qty: mustQty("100"), Price: mustPrice("11.30"), TaxRate: vat})
		// R1 on D(52), on time: 60 delivered and accepted; gross 678.00,
		// tax 78.00, net 600.00 → 10.00 a piece.
		r1 := receive(D(52), domain.DocLine{SourceLineID: po1.Lines[0].ID, Qty: mustQty("60")})
		if r1.Lines[0].Amount != mustMoney("600") {
			t.Fatalf("R1 net %s, want 600.00", r1.Lines[0].Amount)
		}
		// R2 on D(45), late: 40 delivered, 10 rejected, 30 accepted at net
		// 300.00. PO1 has 90 of 100 and stays open.
		receive(D(45), domain.DocLine{SourceLineID: po1.Lines[0].ID, Qty: mustQty("40"), RejectedQty: mustQty("10")})

		// PO2 on D(30), no expected date: 5 boxes of Y (12 each) at 120.00 a
		// box. R3 on D(25): 5 boxes delivered, 1 rejected → 48 accepted,
		// 12 rejected, net 480.00 → 10.00 a piece. Then closed by hand.
		po2 := order(D(30), nil, false, domain.DocLine{ItemID: y.ID, UnitID: box.ID, Qty: mustQty("5"), Price: mustPrice("120")})
		receive(D(25), domain.DocLine{SourceLineID: po2.Lines[0].ID, Qty: mustQty("5"), RejectedQty: mustQty("1")})
		_, err = f.svc.ActOnPurchaseDoc(ctx, f.admin, domain.DocPurchaseOrder, po2.ID, 0, service.ActClose)
		noErr(t, "close PO2", err)

		// PO3 on D(10), expected in 5 days: 50 X at 11.00. PO5 on D(8), no
		// expected date: 5 X at 12.00, received in full the same day (R5).
		// R4 on D(4) against PO3, on time: 20 X, net 220.00.
		po3 := order(D(10), ptr(D(-5)), false, domain.DocLine{ItemID: x.ID, Qty: mustQty("50"), Price: mustPrice("11")})
		po5 := order(D(8), nil, false, domain.DocLine{ItemID: x.ID, Qty: mustQty("5"), Price: mustPrice("12")})
		receive(D(8), domain.DocLine{SourceLineID: po5.Lines[0].ID, Qty: mustQty("5")})
		receive(D(4), domain.DocLine{SourceLineID: po3.Lines[0].ID, Qty: mustQty("20")})
		// PO4 on D(3), expected in 10 days, nothing received yet.
		order(D(3), ptr(D(-10)), false, domain.DocLine{ItemID: x.ID, Qty: mustQty("10"), Price: mustPrice("11")})
		// R6 on D(1), a free receipt: 10 X at 9.50, 2 rejected → 8 at net
		// 76.00 → 9.50 a piece.
		receive(D(1), domain.DocLine{ItemID: x.ID, Qty: mustQty("10"), RejectedQty: mustQty("2"), Price: mustPrice("9.50")})

		// A draft order counts for nothing.
		f.create(t, domain.Document{Type: domain.DocPurchaseOrder, Date: D(2), WarehouseID: wh,
			Lines: []domain.DocLine{{ItemID: x.ID, Qty: mustQty("1000"), Price: mustPrice("1")}}}, false)

		// A second supplier with one order past its expected date and
		// nothing delivered; a third with nothing in the window.
		s2, err := f.svc.CreatePartner(ctx, f.admin, domain.Partner{Code: "S2", Name: "供应商乙", Kind: domain.PartnerSupplier})
		noErr(t, "CreatePartner", err)
		_, err = f.svc.CreatePartner(ctx, f.admin, domain.Partner{Code: "S3", Name: "供应商丙", Kind: domain.PartnerSupplier})
		noErr(t, "CreatePartner", err)
		_, err = f.svc.CreatePurchaseDoc(ctx, f.admin, domain.Document{Type: domain.DocPurchaseOrder, PartnerID: &s2.ID, Date: D(5),
			ExpectedDate: ptr(D(1)), WarehouseID: wh, Lines: []domain.DocLine{{ItemID: x.ID, Qty: mustQty("10"), Price: mustPrice("10")}}}, true)
		noErr(t, "S2 order", err)

		lead := domain.Days(48)
		s1 := service.Scorecard{PartnerID: f.supplier.ID, Code: "S1", Name: "供应商甲", From: D(364), To: today,
			SupplierScore: domain.SupplierScore{
				// Timed: R1 (on time), R2 (late), R4 (on time); R3 and R5 are
				// against orders without an expected date, R6 is free.
				// 2 / 3 = 66.666… → 66.67.
				OnTimeRate: scRate("66.67"), TimedReceipts: 3, OnTimeReceipts: 2,
				// Due: PO1 (expected date passed) 90 / 100, PO2 (closed)
				// 48 / 60, PO5 (fully received) 5 / 5; PO3 and PO4 are open
				// and expected later. 143 / 165 = 86.666… → 86.67.
				FillRate: scRate("86.67"), DueOrders: 3, OrderedQty: mustQty("165"), FilledQty: mustQty("143"),
				// Delivered 60 + 40 + 60 + 5 + 20 + 10 = 195, rejected
				// 10 + 12 + 2 = 24: 12.307… → 12.31.
				RejectRate: scRate("12.31"), Receipts: 6, DeliveredQty: mustQty("195"), RejectedQty: mustQty("24"),
				// PO1 8 days, PO2 5, PO3 6, PO5 0: 19 / 4 = 4.75 → 4.8.
				LeadTimeDays: &lead, LeadOrders: 4,
				// (66.67 × 40 + 86.67 × 40 + (100 − 12.31) × 20) / 100 =
				// (2666.8 + 3466.8 + 1753.8) / 100 = 78.874 → 78.87.
				Score: scRate("78.87"),
				Prices: []domain.PriceTrend{
					// X: R1 10.00 (D52), R2 10.00, R5 12.00, R4 11.00, R6 9.50
					// (D1): (9.50 − 10.00) / 10.00 = −5 %.
					{ItemID: x.ID, ItemCode: x.Code, ItemName: x.Name, Receipts: 5, FirstDate: D(52), FirstPrice: mustPrice("10"),
						LastDate: D(1), LastPrice: mustPrice("9.5"), Change: scRate("-5")},
					{ItemID: y.ID, ItemCode: "Y", ItemName: "整箱货", Receipts: 1, FirstDate: D(25), FirstPrice: mustPrice("10"),
						LastDate: D(25), LastPrice: mustPrice("10"), Change: scRate("0")},
				},
			}}
		got, err := f.svc.Scorecard(ctx, f.admin, f.supplier.ID, domain.Date{}, domain.Date{})
		noErr(t, "Scorecard", err)
		if diff := cmp.Diff(s1, got); diff != "" {
			t.Errorf("Scorecard S1 mismatch (-want +got):\n%s", diff)
		}

		// S2: 0 of 10 filled; nothing delivered, so fill is the whole score.
		s2card := service.Scorecard{PartnerID: s2.ID, Code: "S2", Name: "供应商乙", From: D(364), To: today,
			SupplierScore: domain.SupplierScore{FillRate: scRate("0"), DueOrders: 1, OrderedQty: mustQty("10"),
				Score: scRate("0"), Prices: []domain.PriceTrend{}}}
		all, err := f.svc.Scorecards(ctx, f.admin, domain.Date{}, domain.Date{})
		noErr(t, "Scorecards", err)
		if diff := cmp.Diff([]service.Scorecard{s1, s2card}, all); diff != "" {
			t.Errorf("Scorecards mismatch (-want +got):\n%s", diff)
		}

		// The old window holds only PO0 and its receipt: on time, filled,
		// nothing rejected, 5 days.
		old, err := f.svc.Scorecard(ctx, f.admin, f.supplier.ID, D(400), D(350))
		noErr(t, "Scorecard old window", err)
		five := domain.Days(50)
		wantOld := service.Scorecard{PartnerID: f.supplier.ID, Code: "S1", Name: "供应商甲", From: D(400), To: D(350),
			SupplierScore: domain.SupplierScore{OnTimeRate: scRate("100"), TimedReceipts: 1, OnTimeReceipts: 1,
				FillRate: scRate("100"), DueOrders: 1, OrderedQty: mustQty("10"), FilledQty: mustQty("10"),
				RejectRate: scRate("0"), Receipts: 1, DeliveredQty: mustQty("10"),
				LeadTimeDays: &five, LeadOrders: 1, Score: scRate("100"),
				Prices: []domain.PriceTrend{{ItemID: x.ID, ItemCode: x.Code, ItemName: x.Name, Receipts: 1, FirstDate: D(395),
					FirstPrice: mustPrice("9"), LastDate: D(395), LastPrice: mustPrice("9"), Change: scRate("0")}}}}
		if diff := cmp.Diff(wantOld, old); diff != "" {
			t.Errorf("Scorecard old window mismatch (-want +got):\n%s", diff)
		}

		// A supplier with nothing in the window: every metric null.
		empty, err := f.svc.Scorecard(ctx, f.admin, s2.ID, D(400), D(350))
		noErr(t, "Scorecard empty", err)
		if empty.Score != nil || empty.FillRate != nil || empty.Prices == nil || len(empty.Prices) != 0 || empty.Code != "S2" {
			t.Errorf("empty scorecard: %+v", empty)
		}

		// A buyer who may not see costs gets the rates without prices.
		buyer := &domain.Principal{UserID: f.admin.UserID, CompanyID: f.company.ID,
			Perms: map[domain.Perm]bool{"purchase.order.read": true}}
		hidden, err := f.svc.Scorecard(ctx, buyer, f.supplier.ID, domain.Date{}, domain.Date{})
		noErr(t, "Scorecard without costs", err)
		if len(hidden.Prices) != 0 || hidden.Score == nil || *hidden.Score != *s1.Score {
			t.Errorf("without data.cost.read: score %v, %d prices; want %s and none", hidden.Score, len(hidden.Prices), s1.Score)
		}

		_, err = f.svc.Scorecards(ctx, f.admin, D(1), D(2))
		wantField(t, "to before from", err, "to", "before_start")
		_, err = f.svc.Scorecard(ctx, f.admin, 999999, domain.Date{}, domain.Date{})
		wantCode(t, "unknown supplier", err, domain.ENotFound)
	})
}
