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

// TestAbcAnalysis ranks six items by hand (no tax, so nets are qty ×
// price): I1–I5 sell 500, 300, 100, 60 and 40 (total 1,000.00), I6 only
// comes back (−20.00); a reversed delivery is left out. Every share,
// cumulative share and class is computed in the comments.
func TestAbcAnalysis(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpSales(t, db)
		today := f.svc.Today()
		day := func(n int) domain.Date { return domain.Date{Time: today.AddDate(0, 0, n)} }
		from, to := day(-10), today
		var items []int64
		// Unit costs 90, 20, 10, 5, 1 and 3: gross profits I1 5 × 10 = 50,
		// I2 3 × 80 = 240, I3 1 × 90 = 90, I4 6 × 5 = 30, I5 4 × 9 = 36.
		costs := []string{"90", "20", "10", "5", "1", "3"}
		for i, c := range costs {
			it, err := f.svc.CreateItem(ctx, f.admin, domain.Item{Code: fmt.Sprintf("ABC-%d", i+1), Name: fmt.Sprintf("分类货%d", i+1), BaseUnitID: f.items[0].BaseUnitID})
			noErr(t, "CreateItem", err)
			items = append(items, it.ID)
			for _, wh := range []int64{f.w1.ID, f.w2.ID} {
				f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: wh, Date: day(-20), Lines: []domain.DocLine{line(it.ID, "100", c)}})
			}
		}
		// W1: I1 5 × 100, I2 3 × 100, I3 1 × 100; I6 2 × 10 back (free).
		f.create(t, domain.Document{Type: domain.DocSalesShipment, WarehouseID: f.w1.ID, Date: day(-5), Lines: []domain.DocLine{
			line(items[0], "5", "100"), line(items[1], "3", "100"), line(items[2], "1", "100")}}, true)
		f.create(t, domain.Document{Type: domain.DocSalesReturn, WarehouseID: f.w1.ID, Date: day(-4), Lines: []domain.DocLine{line(items[5], "2", "10")}}, true)
		// W2: I4 6 × 10, I5 4 × 10; and I5 50 × 10, reversed.
		f.create(t, domain.Document{Type: domain.DocSalesShipment, WarehouseID: f.w2.ID, Date: day(-3), Lines: []domain.DocLine{
			line(items[3], "6", "10"), line(items[4], "4", "10")}}, true)
		wrong := f.create(t, domain.Document{Type: domain.DocSalesShipment, WarehouseID: f.w2.ID, Date: day(-2), Lines: []domain.DocLine{
			line(items[4], "50", "10")}}, true)
		_, err := f.svc.ReverseSalesDoc(ctx, f.admin, domain.DocSalesShipment, wrong.ID, domain.Date{}, "错录")
		noErr(t, "reverse", err)

		row := func(r store.AbcRow) string {
			return fmt.Sprintf("%d %s m %s share %s cum %s %s", r.Rank, r.Code, r.Measure, r.Share, r.CumShare, r.Class)
		}
		class := func(c store.AbcClassTotal) string { return fmt.Sprintf("%d/%s/%s", c.Items, c.Measure, c.Share) }
		totals := func(t store.AbcTotals) string {
			return fmt.Sprintf("A %s B %s C %s all %d/%s", class(t.A), class(t.B), class(t.C), t.Items, t.Measure)
		}
		abc := func(p *domain.Principal, flt service.AbcFilter) ([]string, string) {
			t.Helper()
			if flt.From.IsZero() {
				flt.From, flt.To = from, to
			}
			rep, err := f.svc.AbcAnalysis(ctx, p, flt)
			noErr(t, "AbcAnalysis", err)
			got := []string{}
			for _, r := range rep.Rows {
				got = append(got, row(r))
			}
			if rep.Total != rep.Totals.Items {
				t.Errorf("total %d, totals.items %d", rep.Total, rep.Totals.Items)
			}
			return got, totals(rep.Totals)
		}
		for _, tt := range []struct {
			name   string
			p      *domain.Principal
			f      service.AbcFilter
			want   []string
			totals string
		}{{
			// Of 1,000.00: 50, 30, 10, 6, 4 %. Before each: 0, 50, 80, 90,
			// 96 — A, A (50 < 80), B (80 is not below 80), B (90 < 95), C;
			// I6's −20.00 is −2 % and C, last; its cumulative stays 100.
			name: "net sales, 80/95",
			want: []string{
				"1 ABC-1 m 500.00 share 50.00 cum 50.00 A",
				"2 ABC-2 m 300.00 share 30.00 cum 80.00 A",
				"3 ABC-3 m 100.00 share 10.00 cum 90.00 B",
				"4 ABC-4 m 60.00 share 6.00 cum 96.00 B",
				"5 ABC-5 m 40.00 share 4.00 cum 100.00 C",
				"6 ABC-6 m -20.00 share -2.00 cum 100.00 C",
			},
			totals: "A 2/800.00/80.00 B 2/160.00/16.00 C 2/20.00/2.00 all 6/980.00",
		}, {
			// 50/90: before 0 A; 50 is not below 50, B; 80 B; 90 C.
			name: "net sales, 50/90", f: service.AbcFilter{A: domain.RateOf(50), B: domain.RateOf(90)},
			want: []string{
				"1 ABC-1 m 500.00 share 50.00 cum 50.00 A",
				"2 ABC-2 m 300.00 share 30.00 cum 80.00 B",
				"3 ABC-3 m 100.00 share 10.00 cum 90.00 B",
				"4 ABC-4 m 60.00 share 6.00 cum 96.00 C",
				"5 ABC-5 m 40.00 share 4.00 cum 100.00 C",
				"6 ABC-6 m -20.00 share -2.00 cum 100.00 C",
			},
			totals: "A 1/500.00/50.00 B 2/400.00/40.00 C 3/80.00/8.00 all 6/980.00",
		}, {
			// Profits of 446.00: 240 (53.81 %), 90 (20.18), 50 (11.21), 36
			// (8.07), 30 (6.73); running 53.81, 73.99 (330), 85.20 (380),
			// 93.27 (416), 100. Before: 0, 53.81, 73.99 A; 85.20, 93.27 B.
			// I6 came back for 20.00 with goods at 3.00 — −14.00, C.
			name: "gross profit", f: service.AbcFilter{Measure: store.AbcByProfit},
			want: []string{
				"1 ABC-2 m 240.00 share 53.81 cum 53.81 A",
				"2 ABC-3 m 90.00 share 20.18 cum 73.99 A",
				"3 ABC-1 m 50.00 share 11.21 cum 85.20 A",
				"4 ABC-5 m 36.00 share 8.07 cum 93.27 B",
				"5 ABC-4 m 30.00 share 6.73 cum 100.00 B",
				"6 ABC-6 m -14.00 share -3.14 cum 100.00 C",
			},
			totals: "A 3/380.00/85.20 B 2/66.00/14.80 C 1/-14.00/-3.14 all 6/432.00",
		}, {
			// W1 alone: 500, 300, 100 of 900 — 55.56, 33.33, 11.11; before
			// 0, 55.56 A, 88.89 B; I6 −2.22 C.
			name: "W1", f: service.AbcFilter{WarehouseID: f.w1.ID},
			want: []string{
				"1 ABC-1 m 500.00 share 55.56 cum 55.56 A",
				"2 ABC-2 m 300.00 share 33.33 cum 88.89 A",
				"3 ABC-3 m 100.00 share 11.11 cum 100.00 B",
				"4 ABC-6 m -20.00 share -2.22 cum 100.00 C",
			},
			totals: "A 2/800.00/88.89 B 1/100.00/11.11 C 1/-20.00/-2.22 all 4/880.00",
		}, {
			// A clerk of W2: 60 and 40 of 100; before 0 and 60, both A.
			name: "W2 clerk", p: &domain.Principal{UserID: f.user.ID, CompanyID: f.company.ID, Warehouses: map[int64]bool{f.w2.ID: true},
				Perms: map[domain.Perm]bool{"report.sales.read": true}},
			want: []string{
				"1 ABC-4 m 60.00 share 60.00 cum 60.00 A",
				"2 ABC-5 m 40.00 share 40.00 cum 100.00 A",
			},
			totals: "A 2/100.00/100.00 B 0/0.00/0.00 C 0/0.00/0.00 all 2/100.00",
		}, {
			// The search finds I4 where the whole ranking puts it.
			name: "q", f: service.AbcFilter{Q: "abc-4"},
			want:   []string{"4 ABC-4 m 60.00 share 6.00 cum 96.00 B"},
			totals: "A 0/0.00/0.00 B 1/60.00/6.00 C 0/0.00/0.00 all 1/60.00",
		}} {
			p := tt.p
			if p == nil {
				p = f.admin
			}
			got, tot := abc(p, tt.f)
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
			}
			if tot != tt.totals {
				t.Errorf("%s totals:\n got %q\nwant %q", tt.name, tot, tt.totals)
			}
		}

		// A page in the middle keeps its ranks, running shares and the totals.
		rep, err := f.svc.AbcAnalysis(ctx, f.admin, service.AbcFilter{From: from, To: to, Page: store.Page{Limit: 2, Offset: 2}})
		noErr(t, "page", err)
		if len(rep.Rows) != 2 || row(rep.Rows[0]) != "3 ABC-3 m 100.00 share 10.00 cum 90.00 B" || rep.Total != 6 ||
			totals(rep.Totals) != "A 2/800.00/80.00 B 2/160.00/16.00 C 2/20.00/2.00 all 6/980.00" {
			t.Errorf("page 2 of 2: %+v total %d totals %s", rep.Rows, rep.Total, totals(rep.Totals))
		}
		rep, err = f.svc.AbcAnalysis(ctx, f.admin, service.AbcFilter{From: from, To: to, Page: store.Page{Limit: 2, Offset: 10}})
		noErr(t, "past the end", err)
		if len(rep.Rows) != 0 || rep.Total != 6 || rep.Totals.Measure != mustMoney("980") {
			t.Errorf("past the end: %d rows total %d totals %+v", len(rep.Rows), rep.Total, rep.Totals)
		}
		// The stream has every item in rank order; without data.cost.read
		// no gross profit.
		viewer := &domain.Principal{UserID: f.user.ID, CompanyID: f.company.ID, Perms: map[domain.Perm]bool{"report.sales.read": true}}
		var streamed []string
		noErr(t, "StreamAbcAnalysis", f.svc.StreamAbcAnalysis(ctx, viewer, service.AbcFilter{From: from, To: to}, func(r store.AbcRow) error {
			if r.GrossProfit != 0 {
				t.Errorf("the viewer sees %s's profit %s", r.Code, r.GrossProfit)
			}
			streamed = append(streamed, row(r))
			return nil
		}))
		if len(streamed) != 6 || streamed[5] != "6 ABC-6 m -20.00 share -2.00 cum 100.00 C" {
			t.Errorf("streamed %q", streamed)
		}
		_, err = f.svc.AbcAnalysis(ctx, viewer, service.AbcFilter{Measure: store.AbcByProfit})
		wantCode(t, "profit without data.cost.read", err, domain.EForbidden)

		// Bad thresholds and measures name their field.
		for _, tt := range []struct {
			a, b        int64
			field, rule string
		}{{0, 95, "a", "range"}, {100, 0, "a", "range"}, {80, 101, "b", "max"}, {90, 80, "b", "range"}, {80, 80, "b", "range"}} {
			_, err := f.svc.AbcAnalysis(ctx, f.admin, service.AbcFilter{A: domain.RateOf(tt.a), B: domain.RateOf(tt.b)})
			wantField(t, fmt.Sprintf("a=%d b=%d", tt.a, tt.b), err, tt.field, tt.rule)
		}
		_, err = f.svc.AbcAnalysis(ctx, f.admin, service.AbcFilter{Measure: "qty"})
		wantField(t, "measure qty", err, "measure", "one_of")
		_, err = f.svc.AbcAnalysis(ctx, f.admin, service.AbcFilter{From: today})
		wantField(t, "from without to", err, "to", "required")
		f.check(t)
	})
}
