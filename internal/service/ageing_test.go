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

// TestAgeing ages stock by hand. Item A in W1 comes in 10 on day −200,
// 10 on −100, 10 on −40, 3 by transfer from W2 on −20 and 10 on −5, then
// 25 go out on −2: the 18 left are the newest receipts — 10 of −5 (5
// days), 3 of −20 (20 days), 5 of −40 (40 days). W2 had 8 of A since
// −300 and gave 3 away: 5 over 180 days. Item B in W1: 1 on −200, 1 on
// −100, 1 on −5 worth 30.01 — 10.00 in each bucket by average cost and
// the cent left over in the last one (over 180 days); moving it between
// bins of W1 yesterday does not make it younger, nor do a receipt and an
// issue of A that were reversed.
func TestAgeing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpStock(t, db, 1)
		today := f.svc.Today()
		day := func(n int) domain.Date { return domain.Date{Time: today.AddDate(0, 0, n)} }
		a := f.items[0]
		b, err := f.svc.CreateItem(ctx, f.admin, domain.Item{Code: "AGE-B", Name: "库龄乙", NameEn: "Ageing B", BaseUnitID: a.BaseUnitID})
		noErr(t, "CreateItem", err)
		in := func(wh int64, n int, lines ...domain.DocLine) {
			f.post(t, domain.Document{Type: domain.DocStockIn, Reason: "other", WarehouseID: wh, Date: day(n), Lines: lines})
		}
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: f.w2.ID, Date: day(-300), Lines: []domain.DocLine{line(a.ID, "8", "2")}})
		in(f.w1.ID, -200, line(a.ID, "10", "1"), line(b.ID, "1", "10"))
		in(f.w1.ID, -100, line(a.ID, "10", "2"), line(b.ID, "1", "10"))
		in(f.w1.ID, -40, line(a.ID, "10", "3"))
		f.post(t, domain.Document{Type: domain.DocStockTransfer, WarehouseID: f.w2.ID, ToWarehouseID: &f.w1.ID, Date: day(-20),
			Lines: []domain.DocLine{line(a.ID, "3", "0")}})
		in(f.w1.ID, -5, line(a.ID, "10", "4"), line(b.ID, "1", "10.01"))
		f.post(t, domain.Document{Type: domain.DocStockOut, Reason: "damage", WarehouseID: f.w1.ID, Date: day(-2),
			Lines: []domain.DocLine{line(a.ID, "25", "0")}})
		// A wrong receipt of 5 A and an issue of 4 A, both reversed: no
		// arrivals, or A would look younger.
		wrong := f.post(t, domain.Document{Type: domain.DocStockIn, Reason: "other", WarehouseID: f.w1.ID, Date: day(-3), Lines: []domain.DocLine{line(a.ID, "5", "3")}})
		_, err = f.svc.ReverseStockDoc(ctx, f.admin, wrong.ID, day(-3), "错录")
		noErr(t, "reverse the receipt", err)
		wrong = f.post(t, domain.Document{Type: domain.DocStockOut, Reason: "damage", WarehouseID: f.w1.ID, Date: day(-1), Lines: []domain.DocLine{line(a.ID, "4", "0")}})
		_, err = f.svc.ReverseStockDoc(ctx, f.admin, wrong.ID, day(-1), "错录")
		noErr(t, "reverse the issue", err)
		// Yesterday B's oldest unit moved to a bin of W1: it stays 200 days old.
		bin, err := f.svc.CreateLocation(ctx, f.admin, f.w1.ID, domain.Location{Code: "AG-01", Name: "库龄货位"})
		noErr(t, "bin", err)
		mv := line(b.ID, "1", "0")
		mv.ToLocationID = bin.ID
		f.post(t, domain.Document{Type: domain.DocStockTransfer, WarehouseID: f.w1.ID, ToWarehouseID: &f.w1.ID, Date: day(-1), Lines: []domain.DocLine{mv}})

		row := func(r store.AgeingRow) string {
			s := fmt.Sprintf("%s %s/%s", r.Code, r.OnHand, r.Value)
			var sum domain.Money
			for _, b := range r.Buckets {
				s += fmt.Sprintf(" %s/%s", b.Qty, b.Value)
				sum += b.Value
			}
			if sum != r.Value {
				t.Errorf("%s: buckets add up to %s, value %s", r.Code, sum, r.Value)
			}
			return s + fmt.Sprintf(" oldest %d", r.OldestDays)
		}
		ageing := func(p *domain.Principal, flt service.AgeingFilter) ([]string, store.AgeingTotals) {
			t.Helper()
			rep, err := f.svc.Ageing(ctx, p, flt)
			noErr(t, "Ageing", err)
			got := []string{}
			for _, r := range rep.Rows {
				got = append(got, row(r))
			}
			if rep.Total != rep.Totals.Items {
				t.Errorf("total %d, totals.items %d", rep.Total, rep.Totals.Items)
			}
			return got, rep.Totals
		}
		// The values by average cost: W1's A is what the balance says.
		q1, v1 := f.balance(t, a.ID, f.w1.ID)
		q2, v2 := f.balance(t, a.ID, f.w2.ID)
		if q1 != mustQty("18") || q2 != mustQty("5") {
			t.Fatalf("A on hand W1 %s W2 %s", q1, q2)
		}
		share := func(v domain.Money, part, whole string) domain.Money {
			m, err := v.Share(mustQty(part), mustQty(whole))
			noErr(t, "Share", err)
			return m
		}
		// W1: 13 of 18 are 0–30 days, the last 5 (31–60) take the rest.
		a1, a2 := share(v1, "13", "18"), v1-share(v1, "13", "18")
		aRow := fmt.Sprintf("SKU-000 23.0000/%s 13.0000/%s 5.0000/%s 0.0000/0.00 0.0000/0.00 5.0000/%s oldest 300", v1+v2, a1, a2, v2)
		bRow := "AGE-B 3.0000/30.01 1.0000/10.00 0.0000/0.00 0.0000/0.00 1.0000/10.00 1.0000/10.01 oldest 200"
		viewer := &domain.Principal{UserID: f.user.ID, CompanyID: f.company.ID, Perms: map[domain.Perm]bool{"report.stock.read": true}}
		w2clerk := &domain.Principal{UserID: f.user.ID, CompanyID: f.company.ID, Warehouses: map[int64]bool{f.w2.ID: true},
			Perms: map[domain.Perm]bool{"report.stock.read": true, "data.cost.read": true}}
		for _, tt := range []struct {
			name string
			p    *domain.Principal
			f    service.AgeingFilter
			want []string
		}{{
			// B has 10.01 over 180 days, A only its W2 share: B first.
			name: "today", want: []string{bRow, aRow},
		}, {
			name: "by code", f: service.AgeingFilter{Sort: store.AgeingByCode}, want: []string{bRow, aRow},
		}, {
			name: "W1", f: service.AgeingFilter{WarehouseID: f.w1.ID},
			want: []string{bRow, fmt.Sprintf("SKU-000 18.0000/%s 13.0000/%s 5.0000/%s 0.0000/0.00 0.0000/0.00 0.0000/0.00 oldest 40", v1, a1, a2)},
		}, {
			name: "W2 clerk", p: w2clerk,
			want: []string{fmt.Sprintf("SKU-000 5.0000/%s 0.0000/0.00 0.0000/0.00 0.0000/0.00 0.0000/0.00 5.0000/%s oldest 300", v2, v2)},
		}, {
			// Day −50: W1 had 10 of −200 (at 1.00) and 10 of −100 (at
			// 2.00), 30.00 — 15.00 each by average; W2 its 8 at 2.00; B 1 of
			// −100 (50 days) and 1 of −200 (150 days, 91–180).
			name: "as of day −50", f: service.AgeingFilter{AsOf: day(-50)},
			want: []string{
				"SKU-000 28.0000/46.00 0.0000/0.00 10.0000/15.00 0.0000/0.00 10.0000/15.00 8.0000/16.00 oldest 250",
				"AGE-B 2.0000/20.00 0.0000/0.00 1.0000/10.00 0.0000/0.00 1.0000/10.00 0.0000/0.00 oldest 150",
			},
		}, {
			name: "q", f: service.AgeingFilter{Q: "ageing b"}, want: []string{bRow},
		}, {
			// Without data.cost.read: no values, the oldest quantities first.
			name: "viewer", p: viewer,
			want: []string{
				"SKU-000 23.0000/0.00 13.0000/0.00 5.0000/0.00 0.0000/0.00 0.0000/0.00 5.0000/0.00 oldest 300",
				"AGE-B 3.0000/0.00 1.0000/0.00 0.0000/0.00 0.0000/0.00 1.0000/0.00 1.0000/0.00 oldest 200",
			},
		}} {
			p := tt.p
			if p == nil {
				p = f.admin
			}
			got, _ := ageing(p, tt.f)
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
			}
		}

		// Totals over every item, on every page; a page past the end keeps them.
		_, tot := ageing(f.admin, service.AgeingFilter{})
		if tot.Items != 2 || tot.Value != v1+v2+mustMoney("30.01") || tot.OnHand != mustQty("26") || tot.OldestDays != 300 ||
			tot.Buckets[0].Qty != mustQty("14") || tot.Buckets[4].Qty != mustQty("6") || tot.Buckets[4].Value != v2+mustMoney("10.01") {
			t.Errorf("totals %+v", tot)
		}
		rep, err := f.svc.Ageing(ctx, f.admin, service.AgeingFilter{Page: store.Page{Limit: 1, Offset: 1}})
		noErr(t, "page 2", err)
		if len(rep.Rows) != 1 || rep.Rows[0].Code != "SKU-000" || rep.Total != 2 || fmt.Sprint(rep.Totals) != fmt.Sprint(tot) {
			t.Errorf("page 2: %+v total %d totals %+v", rep.Rows, rep.Total, rep.Totals)
		}
		rep, err = f.svc.Ageing(ctx, f.admin, service.AgeingFilter{Page: store.Page{Limit: 1, Offset: 5}})
		noErr(t, "past the end", err)
		if len(rep.Rows) != 0 || rep.Total != 2 || fmt.Sprint(rep.Totals) != fmt.Sprint(tot) {
			t.Errorf("past the end: %+v total %d totals %+v", rep.Rows, rep.Total, rep.Totals)
		}
		_, tot = ageing(viewer, service.AgeingFilter{})
		if tot.Value != 0 || tot.Buckets[4].Value != 0 || tot.Buckets[4].Qty != mustQty("6") {
			t.Errorf("the viewer's totals %+v", tot)
		}
		// The stream: every item in page order, no values for the viewer.
		var streamed []string
		noErr(t, "StreamAgeing", f.svc.StreamAgeing(ctx, viewer, service.AgeingFilter{}, func(r store.AgeingRow) error {
			streamed = append(streamed, row(r))
			return nil
		}))
		if len(streamed) != 2 || streamed[0][:7] != "SKU-000" {
			t.Errorf("streamed %q", streamed)
		}
		_, err = f.svc.Ageing(ctx, f.admin, service.AgeingFilter{Sort: "value"})
		wantField(t, "sort value", err, "sort", "one_of")
		f.check(t)
	})
}
