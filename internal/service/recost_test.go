package service_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// A back-dated posting whose re-cost is larger than the inline limit books
// at today's cost and leaves a tracked job; the job, when it runs, leaves
// exactly the values the inline replay would have (the chain of
// TestStockBackdatedTransferChain, plus a second back-dated receipt into
// W2 while the first job waits). Worked by hand (moving average,
// warehouse scope):
//
//	11-01 W1 opening 10 @ 10.00
//	11-02 W1 receipt 10 @ 13.00 (back-dated, job 1)  W1 20 / 230.00 (11.50)
//	11-02 W2 receipt 5 @ 11.50 (back-dated, job 2)   W2 5 / 57.50
//	11-03 W1 → W2 5 at 11.50                          W1 15 / 172.50, W2 10 / 115.00
//	11-04 W2 → W1 2 at 11.50                          W1 17 / 195.50, W2 8 / 92.00
//	11-05 W2 issue 1 at 11.50                         W2 7 / 80.50
//
// Before the jobs run, the postings carry the cost of their day: W1 gets
// its 10 @ 13.00 on top of 7 / 70.00 (17 / 200.00) and W2 its 5 on top of
// 2 / 20.00 (7 / 77.50); the issue still cost 10.00.
func TestStockRecostJob(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpStock(t, db, 1)
		warehouseScope(t, f)
		cfg := service.DefaultConfig()
		cfg.ArgonMemoryKiB, cfg.ArgonTime = 1024, 1
		cfg.RecostInlineRows = 2 // every re-cost here is "large"
		f.svc = service.New(db, slog.New(slog.DiscardHandler), cfg)
		a := f.items[0].ID
		at := func(d string, doc domain.Document) domain.Document {
			doc.Date = day(d)
			return f.post(t, doc)
		}
		want := func(when string, w1q, w1v, w2q, w2v string) {
			t.Helper()
			q1, v1 := f.balance(t, a, f.w1.ID)
			q2, v2 := f.balance(t, a, f.w2.ID)
			if q1 != mustQty(w1q) || v1.String() != w1v || q2 != mustQty(w2q) || v2.String() != w2v {
				t.Errorf("%s: W1 %s / %s, W2 %s / %s; want W1 %s / %s, W2 %s / %s", when, q1, v1, q2, v2, w1q, w1v, w2q, w2v)
			}
		}
		at("2026-11-01", domain.Document{Type: domain.DocStockOpening, WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(a, "10", "10")}})
		at("2026-11-03", domain.Document{Type: domain.DocStockTransfer, WarehouseID: f.w1.ID, ToWarehouseID: &f.w2.ID, Lines: []domain.DocLine{line(a, "5", "0")}})
		at("2026-11-04", domain.Document{Type: domain.DocStockTransfer, WarehouseID: f.w2.ID, ToWarehouseID: &f.w1.ID, Lines: []domain.DocLine{line(a, "2", "0")}})
		at("2026-11-05", domain.Document{Type: domain.DocStockOut, Reason: "damage", WarehouseID: f.w2.ID, Lines: []domain.DocLine{line(a, "1", "0")}})
		r1 := at("2026-11-02", domain.Document{Type: domain.DocStockIn, Reason: "gain", WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(a, "10", "13")}})
		r2 := at("2026-11-02", domain.Document{Type: domain.DocStockIn, Reason: "gain", WarehouseID: f.w2.ID, Lines: []domain.DocLine{line(a, "5", "11.50")}})
		want("before the jobs", "17", "200.00", "7", "77.50")

		jobs, n, err := f.svc.RecostJobs(ctx, f.admin, store.RecostFilter{State: store.RecostPending})
		noErr(t, "RecostJobs", err)
		if n != 2 || len(jobs) != 2 {
			t.Fatalf("pending jobs: %d, want 2 (W1 from r1, W2 from r2)", n)
		}
		if jobs[1].DocumentID != r1.ID || jobs[1].ScopeID != f.w1.ID || jobs[1].FromDate != "2026-11-02" || jobs[1].Number != r1.Number || jobs[1].ItemCode != "SKU-000" {
			t.Errorf("the first job: %+v, want W1 from %s on 2026-11-02", jobs[1], r1.Number)
		}
		if jobs[0].DocumentID != r2.ID || jobs[0].ScopeID != f.w2.ID || jobs[0].ScopeName != "门店" {
			t.Errorf("the second job: %+v, want W2 (门店) from %s", jobs[0], r2.Number)
		}
		// The books cannot close over values about to change.
		_, err = f.svc.ClosePeriod(ctx, f.admin, day("2026-11-30"))
		wantCode(t, "close with pending jobs", err, domain.EConflict)
		f.check(t) // the invariants hold meanwhile: only history's cost waits

		// One run replays W1 and W2 together (the transfers chain them),
		// so the second job is done by the first.
		ran, err := f.svc.RunRecostJobs(ctx)
		noErr(t, "RunRecostJobs", err)
		if ran != 1 {
			t.Errorf("jobs run: %d, want 1", ran)
		}
		want("after the jobs", "17", "195.50", "7", "80.50")
		jobs, n, err = f.svc.RecostJobs(ctx, f.admin, store.RecostFilter{State: store.RecostDone})
		noErr(t, "RecostJobs", err)
		if n != 2 || jobs[1].Fixes == 0 || jobs[1].RowsRead == 0 || jobs[1].FinishedAt == nil {
			t.Errorf("done jobs: %d %+v, want 2, the first with its figures", n, jobs)
		}
		if ran, err := f.svc.RunRecostJobs(ctx); err != nil || ran != 0 {
			t.Errorf("a second run: %d jobs, %v; want none", ran, err)
		}
		for _, p := range valueLeaks(t, f, true) {
			t.Error(p)
		}
		f.check(t)
		_, err = f.svc.ClosePeriod(ctx, f.admin, day("2026-11-30"))
		noErr(t, "close after the jobs", err)
	})
}
