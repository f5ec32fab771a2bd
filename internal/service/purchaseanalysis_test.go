package service_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// TestPurchaseAnalysis follows receipts, a return and a reversal into the
// purchase analysis (采购分析); every figure is computed by hand in the
// comments (13 % tax on net prices; amounts are nets, without tax).
func TestPurchaseAnalysis(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpPurchase(t, db)
		vat := domain.RateOf(13)
		cat, err := f.svc.CreateCategory(ctx, f.admin, domain.Category{Code: "C1", Name: "饮料"})
		noErr(t, "CreateCategory", err)
		x := f.items[0]
		x.CategoryID = &cat.ID
		x, err = f.svc.UpdateItem(ctx, f.admin, x.ID, x)
		noErr(t, "UpdateItem", err)
		box := f.unit(t, f.admin, "BOX", "箱")
		// Y is counted in pieces and bought in boxes of 12; no category.
		y, err := f.svc.CreateItem(ctx, f.admin, domain.Item{Code: "ZY", Name: "整箱货", BaseUnitID: x.BaseUnitID,
			Units: []domain.ItemUnit{{UnitID: box.ID, Factor: domain.QtyOf(12)}}})
		noErr(t, "CreateItem", err)
		s2, err := f.svc.CreatePartner(ctx, f.admin, domain.Partner{Code: "S2", Name: "供应商乙", Kind: domain.PartnerSupplier})
		noErr(t, "CreatePartner", err)

		today := f.svc.Today()
		first := domain.Date{Time: today.AddDate(0, 0, 1-today.Day())} // this month's first day
		p1 := domain.Date{Time: first.AddDate(0, -1, 0)}               // last month's first
		p15 := domain.Date{Time: first.AddDate(0, -1, 14)}             // and its 15th
		receive := func(partner int64, wh int64, day domain.Date, discount string, lines ...domain.DocLine) domain.Document {
			t.Helper()
			got, err := f.svc.CreatePurchaseDoc(ctx, f.admin, domain.Document{Type: domain.DocPurchaseReceipt, PartnerID: &partner,
				WarehouseID: wh, Date: day, Discount: mustMoney(discount), Lines: lines}, true)
			noErr(t, "receipt", err)
			return got
		}
		// R1 from S1 into W1 on p1: X 10 delivered, 2 rejected, 8 accepted at
		// 10.00 less 10 % = 72.00; Y 3 boxes delivered, 1 rejected, 2 boxes
		// (24 pieces) accepted at 120.00 = 240.00.
		r1 := receive(f.supplier.ID, f.w1.ID, p1, "0",
			domain.DocLine{ItemID: x.ID, Qty: mustQty("10"), RejectedQty: mustQty("2"), Price: mustPrice("10"), DiscountRate: domain.RateOf(10), TaxRate: vat},
			domain.DocLine{ItemID: y.ID, UnitID: box.ID, Qty: mustQty("3"), RejectedQty: mustQty("1"), Price: mustPrice("120"), TaxRate: vat})
		// R2 from S2 into W2 on p15: X 10 at 11.00 = 110.00 net, 124.30 with
		// tax; 12.43 off the whole bill leaves 111.87, of which tax 12.87,
		// net 99.00.
		r2 := receive(s2.ID, f.w2.ID, p15, "12.43", domain.DocLine{ItemID: x.ID, Qty: mustQty("10"), Price: mustPrice("11"), TaxRate: vat})
		if r1.Lines[0].Amount != mustMoney("72") || r1.Lines[1].Amount != mustMoney("240") || r2.Lines[0].Amount != mustMoney("99") {
			t.Fatalf("receipt nets %s, %s, %s; want 72.00, 240.00, 99.00", r1.Lines[0].Amount, r1.Lines[1].Amount, r2.Lines[0].Amount)
		}
		// S1 takes back 1 X of R1 on the first of this month: 9.00.
		f.create(t, domain.Document{Type: domain.DocPurchaseReturn, WarehouseID: f.w1.ID, Date: first,
			Lines: []domain.DocLine{{SourceLineID: r1.Lines[0].ID, Qty: mustQty("1")}}}, true)
		// Left out: R3 (X 5 at 12.00), reversed, with its reversal; a draft
		// receipt; an order.
		r3 := receive(f.supplier.ID, f.w1.ID, first, "0", line(x.ID, "5", "12"))
		_, err = f.svc.ReversePurchaseDoc(ctx, f.admin, domain.DocPurchaseReceipt, r3.ID, domain.Date{}, "wrong supplier")
		noErr(t, "reverse R3", err)
		f.create(t, domain.Document{Type: domain.DocPurchaseReceipt, WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(x.ID, "100", "1")}}, false)
		f.create(t, domain.Document{Type: domain.DocPurchaseOrder, WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(x.ID, "100", "1")}}, true)

		row := func(r store.PurchaseAnalysisRow) string {
			avg := "-"
			if r.AvgCost != nil {
				avg = r.AvgCost.String()
			}
			return fmt.Sprintf("%d %s qty %s in %s back %s net %s avg %s docs %d", r.ID, r.Code, r.Qty, r.Purchases, r.Returns, r.NetPurchases, avg, r.Documents)
		}
		analysis := func(p *domain.Principal, flt service.PurchaseAnalysisFilter) (got []string, totals string) {
			t.Helper()
			if flt.From.IsZero() {
				flt.From, flt.To = p1, today
			}
			rep, err := f.svc.PurchaseAnalysis(ctx, p, flt)
			noErr(t, "PurchaseAnalysis by "+flt.By, err)
			got = []string{}
			for _, r := range rep.Rows {
				got = append(got, row(r))
			}
			if rep.Total != len(rep.Rows) && flt.Limit == 0 {
				t.Errorf("by %s: total %d, %d rows", flt.By, rep.Total, len(rep.Rows))
			}
			return got, row(rep.Totals)
		}
		month, lastMonth := first.String()[:7], p1.String()[:7]
		wantTotals := "0  qty 41.0000 in 411.00 back 9.00 net 402.00 avg - docs 0"
		for _, tt := range []struct {
			name string
			f    service.PurchaseAnalysisFilter
			want []string
		}{{
			// X: 8 + 10 − 1 = 17, 72.00 + 99.00 − 9.00 = 162.00, 9.5294 a
			// piece (162 / 17 = 9.52941…); Y: 24 pieces for 240.00, 10.0000
			// each. The larger net first.
			name: "by item", f: service.PurchaseAnalysisFilter{By: store.PurchasesByItem},
			want: []string{
				fmt.Sprintf("%d ZY qty 24.0000 in 240.00 back 0.00 net 240.00 avg 10.0000 docs 1", y.ID),
				fmt.Sprintf("%d SKU-000 qty 17.0000 in 171.00 back 9.00 net 162.00 avg 9.5294 docs 3", x.ID),
			},
		}, {
			name: "by supplier", f: service.PurchaseAnalysisFilter{By: store.PurchasesBySupplier},
			want: []string{
				fmt.Sprintf("%d S1 qty 31.0000 in 312.00 back 9.00 net 303.00 avg - docs 2", f.supplier.ID),
				fmt.Sprintf("%d S2 qty 10.0000 in 99.00 back 0.00 net 99.00 avg - docs 1", s2.ID),
			},
		}, {
			name: "by category", f: service.PurchaseAnalysisFilter{By: store.PurchasesByCategory},
			want: []string{
				"0  qty 24.0000 in 240.00 back 0.00 net 240.00 avg - docs 1",
				fmt.Sprintf("%d C1 qty 17.0000 in 171.00 back 9.00 net 162.00 avg - docs 3", cat.ID),
			},
		}, {
			name: "by month", f: service.PurchaseAnalysisFilter{By: store.PurchasesByMonth},
			want: []string{
				"0 " + lastMonth + " qty 42.0000 in 411.00 back 0.00 net 411.00 avg - docs 2",
				"0 " + month + " qty -1.0000 in 0.00 back 9.00 net -9.00 avg - docs 1",
			},
		}, {
			name: "by day", f: service.PurchaseAnalysisFilter{By: store.PurchasesByDay},
			want: []string{
				"0 " + p1.String() + " qty 32.0000 in 312.00 back 0.00 net 312.00 avg - docs 1",
				"0 " + p15.String() + " qty 10.0000 in 99.00 back 0.00 net 99.00 avg - docs 1",
				"0 " + first.String() + " qty -1.0000 in 0.00 back 9.00 net -9.00 avg - docs 1",
			},
		}} {
			got, totals := analysis(f.admin, tt.f)
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
			}
			if totals != wantTotals {
				t.Errorf("%s totals:\n got %q\nwant %q", tt.name, totals, wantTotals)
			}
		}

		// Filters. This month alone: X only went back, so it has no average.
		got, _ := analysis(f.admin, service.PurchaseAnalysisFilter{From: first, To: today})
		if want := []string{fmt.Sprintf("%d SKU-000 qty -1.0000 in 0.00 back 9.00 net -9.00 avg - docs 1", x.ID)}; !slices.Equal(got, want) {
			t.Errorf("this month by item:\n got %q\nwant %q", got, want)
		}
		// X by supplier; the same through its category; S2 found by code.
		wantX := []string{
			fmt.Sprintf("%d S2 qty 10.0000 in 99.00 back 0.00 net 99.00 avg - docs 1", s2.ID),
			fmt.Sprintf("%d S1 qty 7.0000 in 72.00 back 9.00 net 63.00 avg - docs 2", f.supplier.ID),
		}
		for _, flt := range []service.PurchaseAnalysisFilter{{By: store.PurchasesBySupplier, ItemID: x.ID}, {By: store.PurchasesBySupplier, CategoryID: cat.ID}} {
			if got, _ := analysis(f.admin, flt); !slices.Equal(got, wantX) {
				t.Errorf("X by supplier (%+v):\n got %q\nwant %q", flt, got, wantX)
			}
		}
		if got, _ := analysis(f.admin, service.PurchaseAnalysisFilter{By: store.PurchasesBySupplier, Q: "s2"}); len(got) != 1 || got[0] != wantX[0] {
			t.Errorf("q=s2: %q", got)
		}
		if got, _ := analysis(f.admin, service.PurchaseAnalysisFilter{By: store.PurchasesBySupplier, PartnerID: s2.ID}); len(got) != 1 || got[0] != wantX[0] {
			t.Errorf("S2's: %q", got)
		}
		// W1 alone, by filter and by a clerk's scope: R1 and the return.
		clerk := &domain.Principal{UserID: f.user.ID, CompanyID: f.company.ID, Warehouses: map[int64]bool{f.w1.ID: true},
			Perms: map[domain.Perm]bool{"report.purchase.read": true, "data.cost.read": true}}
		for who, p := range map[string]*domain.Principal{"W1 filter": f.admin, "W1 clerk": clerk} {
			flt := service.PurchaseAnalysisFilter{By: store.PurchasesBySupplier}
			if p == f.admin {
				flt.WarehouseID = f.w1.ID
			}
			if got, totals := analysis(p, flt); len(got) != 1 || got[0] != fmt.Sprintf("%d S1 qty 31.0000 in 312.00 back 9.00 net 303.00 avg - docs 2", f.supplier.ID) ||
				totals != "0  qty 31.0000 in 312.00 back 9.00 net 303.00 avg - docs 0" {
				t.Errorf("%s: %q, totals %q", who, got, totals)
			}
		}

		// Without data.cost.read: quantities and documents only, and the
		// items in code order, so not even the ranking tells the amounts.
		viewer := &domain.Principal{UserID: f.user.ID, CompanyID: f.company.ID, Perms: map[domain.Perm]bool{"report.purchase.read": true}}
		got, totals := analysis(viewer, service.PurchaseAnalysisFilter{By: store.PurchasesByItem})
		wantHidden := []string{
			fmt.Sprintf("%d SKU-000 qty 17.0000 in 0.00 back 0.00 net 0.00 avg - docs 3", x.ID),
			fmt.Sprintf("%d ZY qty 24.0000 in 0.00 back 0.00 net 0.00 avg - docs 1", y.ID),
		}
		if !slices.Equal(got, wantHidden) || totals != "0  qty 41.0000 in 0.00 back 0.00 net 0.00 avg - docs 0" {
			t.Errorf("without data.cost.read:\n got %q (totals %q)\nwant %q", got, totals, wantHidden)
		}
		var streamed []string
		noErr(t, "StreamPurchaseAnalysis", f.svc.StreamPurchaseAnalysis(ctx, viewer, service.PurchaseAnalysisFilter{From: p1, To: today},
			func(r store.PurchaseAnalysisRow) error { streamed = append(streamed, row(r)); return nil }))
		if !slices.Equal(streamed, wantHidden) {
			t.Errorf("streamed without data.cost.read:\n got %q\nwant %q", streamed, wantHidden)
		}

		// Paging: the second page of one has Y's totals still; past the end too.
		for _, off := range []int{1, 5} {
			rep, err := f.svc.PurchaseAnalysis(ctx, f.admin, service.PurchaseAnalysisFilter{From: p1, To: today, Page: store.Page{Limit: 1, Offset: off}})
			noErr(t, "page", err)
			if rep.Total != 2 || row(rep.Totals) != wantTotals || (off == 1) != (len(rep.Rows) == 1) || (off == 1 && rep.Rows[0].ID != x.ID) {
				t.Errorf("offset %d: total %d totals %q rows %d", off, rep.Total, row(rep.Totals), len(rep.Rows))
			}
		}
		// Groupings of the sales side are not purchases'.
		for _, by := range []string{"customer", "salesperson", "weekday"} {
			_, err := f.svc.PurchaseAnalysis(ctx, f.admin, service.PurchaseAnalysisFilter{By: by})
			wantField(t, "by "+by, err, "by", "one_of")
		}
		_, err = f.svc.PurchaseAnalysis(ctx, f.admin, service.PurchaseAnalysisFilter{From: today})
		wantField(t, "from without to", err, "to", "required")
		f.check(t)
	})
}
