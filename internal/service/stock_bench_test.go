package service_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// Stock posting benchmarks, on both engines:
//
//	go test -run X -bench 'PostDocument|Backdated|StockAsOf' -benchtime 20x -timeout 30m -v ./internal/service/
//
// (about 10 minutes on 2 cores, most of it building BenchmarkStockAsOf's
// ledger: more than go test's default 10-minute timeout; -v prints the
// set-up times.)
//
// Besides ns/op and allocations they report stmts/op: every statement the
// database is sent (BEGIN, COMMIT and ROLLBACK included) while posting or
// querying, counted by a bun query hook; and txs/op, the transactions begun.
// Statements per document must not grow with its lines. The heavy set-ups
// (BenchmarkBackdatedReceipt, BenchmarkStockAsOf) skip themselves under
// -short. Benchmarks never run under plain `go test` (only with -bench).

// benchEngines runs fn on SQLite and on PostgreSQL (when configured).
func benchEngines(b *testing.B, fn func(b *testing.B, db *store.DB)) {
	storetest.EachBench(b, func(b *testing.B, _ string, db *store.DB) { fn(b, db) })
}

// benchCo is a company set up for a benchmark.
type benchCo struct {
	svc    *service.Service
	db     *store.DB
	admin  *domain.Principal
	w1, w2 domain.Warehouse
	pcs    domain.Unit
	nItems int
}

// setUpBench makes a company with two warehouses.
func setUpBench(b testing.TB, db *store.DB) benchCo {
	b.Helper()
	ctx := context.Background()
	svc := newService(db)
	u, c, err := svc.Setup(ctx, service.SetupInput{Username: adminName, Password: adminPass, CompanyName: "压测公司", Language: "zh-CN"})
	if err != nil {
		b.Fatalf("Setup: %v", err)
	}
	co := benchCo{svc: svc, db: db, admin: &domain.Principal{UserID: u.ID, Username: u.Username, IsAdmin: true, CompanyID: c.ID}}
	if co.pcs, err = svc.CreateUnit(ctx, co.admin, domain.Unit{Code: "PCS", Name: "个"}); err != nil {
		b.Fatal(err)
	}
	if co.w1, err = svc.CreateWarehouse(ctx, co.admin, domain.Warehouse{Code: "W1", Name: "总仓"}); err != nil {
		b.Fatal(err)
	}
	if co.w2, err = svc.CreateWarehouse(ctx, co.admin, domain.Warehouse{Code: "W2", Name: "门店"}); err != nil {
		b.Fatal(err)
	}
	return co
}

// addItems bulk-loads n items of the given costing method ("" = the
// company's moving average) and returns their ids.
func (co *benchCo) addItems(b testing.TB, n int, method domain.CostingMethod) []int64 {
	b.Helper()
	ctx := context.Background()
	items := make([]domain.Item, n)
	for i := range items {
		k := co.nItems + i
		items[i] = domain.Item{CompanyID: co.admin.CompanyID, Code: fmt.Sprintf("B%06d", k), Name: fmt.Sprintf("商品%06d", k), BaseUnitID: co.pcs.ID,
			Tracking: domain.TrackNone, CostingMethod: method, Units: []domain.ItemUnit{}, VariantAttrs: []domain.VariantAttr{}}
	}
	if err := co.db.Update(ctx, func(tx *store.Tx) error { return tx.BulkCreateItems(ctx, items) }); err != nil {
		b.Fatal(err)
	}
	co.nItems += n
	ids := make([]int64, n)
	for i, it := range items {
		ids[i] = it.ID
	}
	return ids
}

// post posts a document or fails the benchmark.
func (co benchCo) post(b testing.TB, d domain.Document) domain.Document {
	b.Helper()
	got, err := co.svc.CreateStockDoc(context.Background(), co.admin, d, true)
	if err != nil {
		b.Fatalf("post %s: %v", d.Type, err)
	}
	return got
}

// lines makes one line per item, qty each, at price (receipts).
func lines(items []int64, qty int64, price domain.Price) []domain.DocLine {
	out := make([]domain.DocLine, len(items))
	for i, id := range items {
		out[i] = domain.DocLine{ItemID: id, Qty: domain.QtyOf(qty), Price: price}
	}
	return out
}

func (co benchCo) ledgerRows(b testing.TB, kind string) int64 {
	b.Helper()
	ctx := context.Background()
	var n int64
	err := co.db.View(ctx, func(tx *store.Tx) error {
		q := "SELECT COUNT(*) FROM stock_ledger WHERE company_id = ?"
		args := []any{co.admin.CompanyID}
		if kind != "" {
			q += " AND kind = ?"
			args = append(args, kind)
		}
		return tx.QueryRowContext(ctx, q, args...).Scan(&n)
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// BenchmarkPostDocument posts other-issue documents of 5 and of 100 lines
// (stock loaded beforehand): the whole service call, from validation to
// commit.
func BenchmarkPostDocument(b *testing.B) {
	benchEngines(b, func(b *testing.B, db *store.DB) {
		co := setUpBench(b, db)
		items := co.addItems(b, 100, "")
		co.post(b, domain.Document{Type: domain.DocStockOpening, Date: day("2026-09-01"), WarehouseID: co.w1.ID,
			Lines: lines(items, 1_000_000, domain.PriceOf(10))})
		cnt := storetest.CountStatements(b, db)
		for _, n := range []int{5, 100} {
			b.Run(fmt.Sprintf("lines=%d", n), func(b *testing.B) {
				ctx := context.Background()
				b.ReportAllocs()
				cnt.Reset()
				for b.Loop() {
					d := domain.Document{Type: domain.DocStockOut, Reason: "damage", Date: day("2026-09-02"), WarehouseID: co.w1.ID,
						Lines: lines(items[:n], 1, 0)}
					if _, err := co.svc.CreateStockDoc(ctx, co.admin, d, true); err != nil {
						b.Fatal(err)
					}
				}
				cnt.Report(b, b.N)
			})
		}
	})
}

// BenchmarkBackdatedReceipt posts one receipt (100,000 @ 20.00) dated Sept
// 2, before 10,000 later moves of its item (an opening of 1,000,000 @ 10.00
// on Sept 1, then 10,000 issues of 1 from Sept 3 on, in documents of 2,000
// lines): the item's costing scope is replayed in date order — inside the
// posting (inline: no row limit) or by the job the posting leaves (job: the
// default limit of 5000 rows; the op then also runs the job). post_ms and
// job_ms split the op's time.
//
//   - fifo: the new layer is younger than the opening layer every issue
//     takes from, so nothing is re-costed: the cost of the replay alone.
//   - moving_average: the receipt moves the average, so every one of the
//     10,000 later issues is re-costed (10,000 recost rows written per op).
//     Each op takes an item of its own, prepared beforehand, so that the
//     ops do not pile recost rows onto one item; past the prepared items
//     (more than 24 ops) they wrap around onto items already re-costed.
func BenchmarkBackdatedReceipt(b *testing.B) {
	if testing.Short() {
		b.Skip("heavy set-up; not under -short")
	}
	const later = 10_000
	benchEngines(b, func(b *testing.B, db *store.DB) {
		start := time.Now()
		co := setUpBench(b, db)
		byMethod := map[domain.CostingMethod][]int64{
			domain.CostingFIFO:          co.addItems(b, 1, domain.CostingFIFO),
			domain.CostingMovingAverage: co.addItems(b, 24, domain.CostingMovingAverage),
		}
		all := append(slices.Clone(byMethod[domain.CostingFIFO]), byMethod[domain.CostingMovingAverage]...)
		co.post(b, domain.Document{Type: domain.DocStockOpening, Date: day("2026-09-01"), WarehouseID: co.w1.ID,
			Lines: lines(all, 1_000_000, domain.PriceOf(10))})
		for _, it := range all {
			rep := make([]int64, domain.MaxDocLines)
			for i := range rep {
				rep[i] = it
			}
			for k := range later / domain.MaxDocLines {
				co.post(b, domain.Document{Type: domain.DocStockOut, Reason: "damage", Date: day(fmt.Sprintf("2026-09-%02d", 3+k)),
					WarehouseID: co.w1.ID, Lines: lines(rep, 1, 0)})
			}
		}
		b.Logf("set-up: %d items × (1 opening + %d later issues) in %s", len(all), later, time.Since(start).Round(time.Millisecond))
		cnt := storetest.CountStatements(b, db)
		cfg := service.DefaultConfig()
		cfg.ArgonMemoryKiB, cfg.ArgonTime = 1024, 1
		cfg.RecostInlineRows = 1 << 30
		inline := service.New(db, slog.New(slog.DiscardHandler), cfg)
		next := map[domain.CostingMethod]int{} // across the runs of the sub-benchmarks
		for _, mode := range []string{"inline", "job"} {
			for _, method := range []domain.CostingMethod{domain.CostingFIFO, domain.CostingMovingAverage} {
				items := byMethod[method]
				b.Run(mode+"/"+string(method), func(b *testing.B) {
					ctx := context.Background()
					svc := co.svc // the default limit (5000 rows): the posting leaves a job
					if mode == "inline" {
						svc = inline
					}
					recost := co.ledgerRows(b, "recost")
					b.ReportAllocs()
					cnt.Reset()
					var posting, job time.Duration
					for b.Loop() {
						d := domain.Document{Type: domain.DocStockIn, Reason: "gain", Date: day("2026-09-02"), WarehouseID: co.w1.ID,
							Lines: []domain.DocLine{{ItemID: items[next[method]%len(items)], Qty: domain.QtyOf(100_000), Price: domain.PriceOf(20)}}}
						t0 := time.Now()
						if _, err := svc.CreateStockDoc(ctx, co.admin, d, true); err != nil {
							b.Fatal(err)
						}
						t1 := time.Now()
						posting += t1.Sub(t0)
						if n, err := svc.RunRecostJobs(ctx); err != nil || (mode == "job") != (n == 1) {
							b.Fatalf("%s: %d jobs ran (%v)", mode, n, err)
						}
						job += time.Since(t1)
						next[method]++
					}
					cnt.Report(b, b.N)
					b.ReportMetric(float64(co.ledgerRows(b, "recost")-recost)/float64(b.N), "recost_rows/op")
					b.ReportMetric(float64(posting.Milliseconds())/float64(b.N), "post_ms/op")
					b.ReportMetric(float64(job.Milliseconds())/float64(b.N), "job_ms/op")
				})
			}
		}
	})
}

// asOfRows is how many ledger rows BenchmarkStockAsOf builds in one
// warehouse: 1,000,000 (built in about 3¼ minutes on SQLite and 3 on
// PostgreSQL on 2 cores), or JXC_BENCH_ASOF_ROWS (rounded down to whole documents of
// 2,000 lines).
func asOfRows(b *testing.B) int {
	if s := os.Getenv("JXC_BENCH_ASOF_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 2*domain.MaxDocLines {
			b.Fatalf("JXC_BENCH_ASOF_ROWS=%q: want a number ≥ %d", s, 2*domain.MaxDocLines)
		}
		return n
	}
	return 1_000_000
}

// BenchmarkStockAsOf asks for the stock of one warehouse at a past date
// (Nov 15; first page of 50 rows with the total count) with asOfRows
// ledger rows in it: 2,000 items, documents of 2,000 lines (receipts of 2
// and issues of 1 of every item, alternately) spread over Sept 1 – Dec 31,
// posted in date order through the service.
//
//   - ledger: nothing closed, the ledger up to the day is summed.
//   - snapshot: September and October closed, so it is the Oct 31 snapshot
//     plus the ledger rows of Nov 1–15.
func BenchmarkStockAsOf(b *testing.B) {
	if testing.Short() {
		b.Skip("heavy set-up; not under -short")
	}
	benchEngines(b, func(b *testing.B, db *store.DB) {
		ctx := context.Background()
		start := time.Now()
		co := setUpBench(b, db)
		items := co.addItems(b, domain.MaxDocLines, "")
		docs := asOfRows(b) / len(items)
		first := day("2026-09-01")
		for k := range docs {
			d := domain.Date{Time: first.AddDate(0, 0, k*122/docs)} // Sept 1 … Dec 31
			if k%2 == 0 {
				co.post(b, domain.Document{Type: domain.DocStockIn, Reason: "gain", Date: d, WarehouseID: co.w1.ID,
					Lines: lines(items, 2, domain.Price(50_000+int64(k)*100))})
			} else {
				co.post(b, domain.Document{Type: domain.DocStockOut, Reason: "damage", Date: d, WarehouseID: co.w1.ID,
					Lines: lines(items, 1, 0)})
			}
		}
		if err := db.Analyze(ctx); err != nil { // as autovacuum would after a bulk load
			b.Fatal(err)
		}
		b.Logf("set-up: %d ledger rows in %d documents in %s", co.ledgerRows(b, ""), docs, time.Since(start).Round(time.Millisecond))
		asOf := day("2026-11-15")
		cnt := storetest.CountStatements(b, db)
		query := func(b *testing.B) {
			b.ReportAllocs()
			cnt.Reset()
			var rows []store.StockRow
			var total int
			for b.Loop() {
				var err error
				rows, total, err = co.svc.StockBalances(ctx, co.admin, service.BalanceFilter{WarehouseID: co.w1.ID, AsOf: &asOf, Page: store.Page{Limit: 50}})
				if err != nil {
					b.Fatal(err)
				}
			}
			cnt.Report(b, b.N)
			if len(rows) == 0 || total != len(items) {
				b.Fatalf("%d rows of %d as of %s, want %d in all", len(rows), total, asOf, len(items))
			}
		}
		b.Run("ledger", query)
		db.SetClock(func() time.Time { return time.Date(2027, 1, 5, 12, 0, 0, 0, time.UTC) })
		start = time.Now()
		for _, end := range []string{"2026-09-30", "2026-10-31"} {
			if _, err := co.svc.ClosePeriod(ctx, co.admin, day(end)); err != nil {
				b.Fatal(err)
			}
		}
		b.Logf("closing September and October took %s", time.Since(start).Round(time.Millisecond))
		b.Run("snapshot", query)
	})
}

// BenchmarkPostPurchaseReceipt posts a receipt against a placed order of
// n lines (each line receives 1 of the 1,000,000 ordered): the order's rows
// are locked and read fresh, domain.Receive runs, the goods go through the
// stock book and the order lines' received quantities are raised.
func BenchmarkPostPurchaseReceipt(b *testing.B) {
	benchEngines(b, func(b *testing.B, db *store.DB) {
		ctx := context.Background()
		co := setUpBench(b, db)
		items := co.addItems(b, 100, "")
		sup, err := co.svc.CreatePartner(ctx, co.admin, domain.Partner{Code: "S1", Name: "供应商", Kind: domain.PartnerSupplier})
		if err != nil {
			b.Fatal(err)
		}
		po, err := co.svc.CreatePurchaseDoc(ctx, co.admin, domain.Document{Type: domain.DocPurchaseOrder, PartnerID: &sup.ID, WarehouseID: co.w1.ID,
			Date: day("2026-09-01"), Lines: lines(items, 1_000_000, domain.PriceOf(10))}, true)
		if err != nil {
			b.Fatal(err)
		}
		cnt := storetest.CountStatements(b, db)
		for _, n := range []int{5, 100} {
			b.Run(fmt.Sprintf("lines=%d", n), func(b *testing.B) {
				b.ReportAllocs()
				cnt.Reset()
				for b.Loop() {
					d := domain.Document{Type: domain.DocPurchaseReceipt, PartnerID: &sup.ID, WarehouseID: co.w1.ID, Date: day("2026-09-02")}
					for _, l := range po.Lines[:n] {
						d.Lines = append(d.Lines, domain.DocLine{SourceLineID: l.ID, Qty: domain.QtyOne})
					}
					if _, err := co.svc.CreatePurchaseDoc(ctx, co.admin, d, true); err != nil {
						b.Fatal(err)
					}
				}
				cnt.Report(b, b.N)
			})
		}
	})
}

// BenchmarkSalesOrderAndShipment confirms a sales order of n lines (credit
// checked, every line's stock reserved) and ships it in full from the
// order (the holds released, the goods out at cost), each its own
// transaction: stmts/op must not grow with n, and ns/op of 500 lines is
// issue 7's "a 500-line order posts in under 1 s" (the confirm is the
// whole service call; the ship figure is the shipment alone).
//
//	go test -run X -bench SalesOrderAndShipment -benchtime 10x ./internal/service/
//
// JXC_TRACE_SQL=/tmp/trace writes the last shipment's statements with their
// times to /tmp/trace.<engine>.<n>.
func BenchmarkSalesOrderAndShipment(b *testing.B) {
	benchEngines(b, func(b *testing.B, db *store.DB) {
		ctx := context.Background()
		co := setUpBench(b, db)
		items := co.addItems(b, 500, "")
		co.post(b, domain.Document{Type: domain.DocStockOpening, WarehouseID: co.w1.ID, Date: day("2026-09-01"), Lines: lines(items, 1_000_000, domain.PriceOf(5))})
		cust, err := co.svc.CreatePartner(ctx, co.admin, domain.Partner{Code: "C1", Name: "客户", Kind: domain.PartnerCustomer, CreditLimit: domain.MoneyOf(1_000_000_000)})
		if err != nil {
			b.Fatal(err)
		}
		cnt := storetest.CountStatements(b, db)
		for _, n := range []int{5, 100, 500} {
			for _, step := range []string{"confirm", "ship"} {
				b.Run(fmt.Sprintf("%s/lines=%d", step, n), func(b *testing.B) {
					b.ReportAllocs()
					cnt.Reset()
					for b.Loop() {
						o, err := co.svc.CreateSalesDoc(ctx, co.admin, domain.Document{Type: domain.DocSalesOrder, PartnerID: &cust.ID, WarehouseID: co.w1.ID,
							Date: day("2026-09-02"), Lines: lines(items[:n], 1, domain.PriceOf(10))}, step == "confirm", service.ActOpts{})
						if err != nil {
							b.Fatal(err)
						}
						if step == "confirm" {
							continue
						}
						b.StopTimer()
						if o, err = co.svc.ActOnSalesDoc(ctx, co.admin, domain.DocSalesOrder, o.ID, 0, service.ActPost, service.ActOpts{}); err != nil {
							b.Fatal(err)
						}
						d := domain.Document{Type: domain.DocSalesShipment, PartnerID: &cust.ID, WarehouseID: co.w1.ID, Date: day("2026-09-02")}
						for _, l := range o.Lines {
							d.Lines = append(d.Lines, domain.DocLine{SourceLineID: l.ID, Qty: l.Qty})
						}
						cnt.Reset()
						cnt.Trace = os.Getenv("JXC_TRACE_SQL") != ""
						b.StartTimer()
						if _, err := co.svc.CreateSalesDoc(ctx, co.admin, d, true, service.ActOpts{}); err != nil {
							b.Fatal(err)
						}
						if cnt.Trace {
							_ = os.WriteFile(os.Getenv("JXC_TRACE_SQL")+fmt.Sprintf(".%s.%d", db.Dialect(), n), []byte(strings.Join(cnt.Traced(), "\n")+"\n"), 0o644)
						}
					}
					if step == "ship" { // the order's own statements were left out above; report the last shipment's
						cnt.Report(b, 1)
						return
					}
					cnt.Report(b, b.N)
				})
			}
		}
	})
}
