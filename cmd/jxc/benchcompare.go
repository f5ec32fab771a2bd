package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/jxc-erp/jxc/internal/bench"
	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
)

// benchCompareCmd measures the API against the raw yardstick in the same
// run: for each mode (sales orders of 5–15 lines confirmed; purchase
// receipts of 5 lines at moving-average cost) and each client count, the
// documents posted through the HTTP API (A) and the same documents written
// by hand straight into the same database (B), A B A B … after a warm-up.
// It prints documents/s and latency of each, the ratio API / raw, whether
// p99(API) ≤ 3 × p99(raw) + 5 ms holds, and the errors by code; a
// deadlock, serialization failure or internal error reaching a client
// fails the run. --naive instead runs the lock-free, absolute-value order
// and shows that jxc check catches what it does.
var debugRaw atomic.Int64

// compareModes maps a mode to the load type its API side runs.
var compareModes = map[string]string{"order": bench.TxOrder, "receipt": bench.TxPurchase}

// benign are the error codes that are answers, not failures: stock ran out
// (the guard working) or a customer reached the credit limit.
var benign = []string{string(domain.EInsufficientStock), string(domain.ECreditLimit)}

// compareRow is what one mode at one client count measured over its rounds.
type compareRow struct {
	mode      string
	clients   int
	api, raw  bench.TypeStats
	apiTime   time.Duration
	rawTime   time.Duration
	floor     *bench.TypeStats // with --floor: the minimal service keeping the API's promises
	floorTime time.Duration
}

func (r *compareRow) rates() (api, raw float64) {
	return float64(r.api.OK) / max(r.apiTime.Seconds(), 1e-9), float64(r.raw.OK) / max(r.rawTime.Seconds(), 1e-9)
}

// p99Goal is issue 7's latency goal: p99(API) ≤ 3 × p99(raw) + 5 ms.
func (r *compareRow) p99Goal() (time.Duration, bool) {
	limit := 3*r.raw.Percentile(99) + 5*time.Millisecond
	return limit, r.api.Percentile(99) <= limit
}

func benchCompareCmd(g *globals) *cobra.Command {
	var cfg bench.Config
	var rounds int
	var naive, floor bool
	var modes, clients string
	var warmup time.Duration
	c := &cobra.Command{
		Use:   "compare",
		Short: "Sales orders and purchase receipts through the API against the raw SQL yardstick, interleaved, with the ratios; --naive proves the oversell check has teeth",
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, out := cmd.Context(), cmd.OutOrStdout()
			counts, err := parseCounts(clients)
			if err != nil {
				return err
			}
			var ms []string
			for _, m := range strings.Split(modes, ",") {
				m = strings.TrimSpace(m)
				if _, ok := compareModes[m]; !ok {
					return fmt.Errorf("--mode: %q is not order or receipt", m)
				}
				if !slices.Contains(ms, m) {
					ms = append(ms, m)
				}
			}
			if cfg.Seed == 0 {
				cfg.Seed = uint64(time.Now().UnixNano())
			}
			if slices.Contains(ms, "order") {
				custs, err := bench.LoadTestCustomers(ctx, cfg)
				if err != nil {
					return fmt.Errorf("the load-test customers: %w", err)
				}
				cfg.Customers = custs
			}
			tgt, err := bench.FindTarget(ctx, cfg)
			if err != nil {
				return err
			}
			if err := bench.Restock(ctx, cfg, tgt, 100_000); err != nil {
				return err
			}
			// The yardstick commits every raw document on its own, as
			// research/BASELINES.md defines raw: on SQLite the API's group
			// commit is measured against one commit per document.
			perDoc := *g
			perDoc.noGroupCommit = true
			db, err := perDoc.open(ctx, false)
			if err != nil {
				return err
			}
			defer db.Close()
			raw, err := db.RawTargetOf(ctx, tgt.WarehouseID, tgt.Customers[0], tgt.Supplier, tgt.Items)
			if err != nil {
				return err
			}
			// Raw receipts post moving-average items only (store.ErrRawUnsupported);
			// the API side receives the same items.
			var averaged []int64
			for _, it := range tgt.Items {
				if raw.Methods[it] == domain.CostingMovingAverage {
					averaged = append(averaged, it)
				}
			}
			rawRun := func(mode string, n int, d time.Duration, naive bool) *bench.Result {
				return bench.Timed(ctx, compareModes[mode], n, d, cfg.Seed, func(ctx context.Context, rng *rand.Rand) (string, error) {
					var err error
					if mode == "order" {
						err = db.RawOrder(ctx, raw, bench.OrderItems(rng, tgt.Items), naive)
					} else {
						pl := bench.PurchaseLines(rng, averaged)
						lines := make([]store.RawReceiptLine, len(pl))
						for i, l := range pl {
							lines[i] = store.RawReceiptLine{ItemID: l.ItemID, Qty: domain.QtyOf(int64(l.Qty)), Price: domain.PriceOf(int64(l.Price))}
						}
						err = db.RawPurchaseReceipt(ctx, raw, lines)
					}
					if err == nil {
						return "", nil
					}
					code := store.RawErrorCode(err)
					if code == "error" && ctx.Err() == nil && debugRaw.Add(1) == 1 { // the first real failure, for the reader
						fmt.Fprintf(out, "raw %s: %v\n", mode, err)
					}
					return code, err
				})
			}
			var floorRun func(mode string, n int, d time.Duration) *bench.Result
			if floor {
				// The floor commits the way jxc does (on SQLite: grouped by
				// its single writer), not one commit per document like raw:
				// it stands for the best an implementation could do.
				fdb, err := g.open(ctx, false)
				if err != nil {
					return err
				}
				defer fdb.Close()
				fs := &floorServer{db: fdb, target: raw, log: out}
				fctx, stop := context.WithCancel(ctx)
				defer stop()
				url, err := startFloor(fctx, fs)
				if err != nil {
					return err
				}
				fc := newFloorClient(url, tgt.Session)
				floorRun = func(mode string, n int, d time.Duration) *bench.Result {
					return bench.Timed(ctx, compareModes[mode], n, d, cfg.Seed, func(ctx context.Context, rng *rand.Rand) (string, error) {
						if mode == "order" {
							return fc.order(ctx, rng, tgt)
						}
						return fc.receipt(ctx, rng, tgt, averaged)
					})
				}
			}
			check := func() ([]string, error) {
				cos, err := service.New(db, g.logger(), service.DefaultConfig()).CheckAllStock(ctx)
				var probs []string
				for _, co := range cos {
					probs = append(probs, co.Problems...)
				}
				return probs, err
			}
			if naive {
				cfg.Clients = slices.Max(counts)
				res := rawRun("order", cfg.Clients, cfg.Duration, true)
				bench.Report(out, cfg, res)
				probs, err := check()
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "naive mode: jxc check found %d problem(s)\n", len(probs))
				for i, p := range probs {
					if i == 5 {
						fmt.Fprintf(out, "  … and %d more\n", len(probs)-5)
						break
					}
					fmt.Fprintln(out, "  "+p)
				}
				return nil
			}
			if slices.Contains(ms, "receipt") && len(averaged) < 5 {
				return fmt.Errorf("receipt mode needs 5 items costed by moving average among the target's (found %d)", len(averaged))
			}
			deadlocks0, pg, err := db.Deadlocks(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "%d round(s) of %s per side after a %s warm-up, %d jxc process(es)", rounds, cfg.Duration, warmup, len(cfg.URLs()))
			if cfg.Hot > 0 {
				fmt.Fprintf(out, ", hot items: %d", cfg.Hot)
			}
			fmt.Fprintln(out)
			fmt.Fprintf(out, "%-8s %7s %-6s %-4s %9s %9s %9s  %s\n", "mode", "clients", "round", "side", "docs/s", "p50 ms", "p99 ms", "errors")
			// analyze gives PostgreSQL fresh statistics before each phase
			// and round, as autovacuum keeps them on a running system. The
			// load grows the demo company's documents tenfold in a minute,
			// and a plan a connection cached while they were few (a
			// foreign-key check's on documents: a sequential scan of a table
			// of two pages) is replanned only when they are analyzed; where
			// autovacuum is off, or has not come round yet, that stale plan
			// was what got measured, growing slower round by round.
			analyze := func() error {
				if !pg {
					return nil
				}
				if err := db.Analyze(ctx); err != nil {
					return fmt.Errorf("analyze: %w", err)
				}
				return nil
			}
			var rows []*compareRow
			for _, mode := range ms {
				kind := compareModes[mode]
				run := cfg
				run.Mix = map[string]int{kind: 1}
				run.Items = tgt.Items // as found before the restock, like the raw side's
				if mode == "receipt" {
					run.Items = averaged
				}
				for _, n := range counts {
					run.Clients = n
					if err := analyze(); err != nil {
						return err
					}
					if warmup > 0 {
						w := run
						w.Duration = warmup
						if _, err := bench.Run(ctx, w); err != nil {
							return err
						}
						rawRun(mode, n, warmup, false)
						if floorRun != nil {
							floorRun(mode, n, warmup)
						}
					}
					row := &compareRow{mode: mode, clients: n}
					for r := 1; r <= rounds; r++ {
						if err := analyze(); err != nil {
							return err
						}
						a, err := bench.Run(ctx, run)
						if err != nil {
							return err
						}
						b := rawRun(mode, n, cfg.Duration, false)
						type side struct {
							name  string
							res   *bench.Result
							stats *bench.TypeStats
							took  *time.Duration
						}
						sides := []side{{"api", a, &row.api, &row.apiTime}, {"raw", b, &row.raw, &row.rawTime}}
						if floorRun != nil {
							if row.floor == nil {
								row.floor = &bench.TypeStats{Errors: map[string]int{}}
							}
							sides = append(sides, side{"floor", floorRun(mode, n, cfg.Duration), row.floor, &row.floorTime})
						}
						for _, side := range sides {
							st := side.res.Types[kind]
							side.stats.Add(st)
							*side.took += side.res.Elapsed
							fmt.Fprintf(out, "%-8s %7d %-6d %-4s %9.1f %9s %9s  %s\n", mode, n, r, side.name,
								float64(st.OK)/side.res.Elapsed.Seconds(), msOf(st.Percentile(50)), msOf(st.Percentile(99)), st.ErrorCodes())
						}
					}
					rows = append(rows, row)
				}
			}
			failed := summarize(out, rows)
			if pg {
				if n, _, err := db.Deadlocks(ctx); err == nil {
					fmt.Fprintf(out, "PostgreSQL detected %d deadlock(s) in this database during the comparison (its count lags by seconds; jxc retries them inside)\n", n-deadlocks0)
				}
			}
			probs, err := check()
			if err != nil {
				return err
			}
			if len(probs) > 0 {
				for _, p := range probs {
					fmt.Fprintln(out, "  "+p)
				}
				return errors.New("jxc check found problems")
			}
			fmt.Fprintln(out, "jxc check: ok")
			if failed {
				return errors.New("errors reached a client that never should (see above)")
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&cfg.URL, "url", "http://127.0.0.1:8080", "the running jxc (on the database given by --db); several processes comma-separated")
	f.StringVar(&cfg.User, "user", env("BENCH_USER", ""), "a user who may sell and buy (env JXC_BENCH_USER)")
	f.StringVar(&cfg.Password, "password", env("BENCH_PASSWORD", ""), "their password (env JXC_BENCH_PASSWORD)")
	f.StringVar(&modes, "mode", "order,receipt", "what to compare: order (sales orders confirmed), receipt (purchase receipts at moving-average cost), or both")
	f.StringVar(&clients, "clients", "1", "concurrent clients on each side; several comma-separated (1,4,16) compare at each")
	f.DurationVar(&cfg.Duration, "duration", 10*time.Second, "length of each run")
	f.DurationVar(&warmup, "warmup", 2*time.Second, "warm-up of each side before the rounds of each mode and client count (0: none)")
	f.IntVar(&rounds, "rounds", 3, "A B rounds after the warm-up")
	f.IntVar(&cfg.Hot, "hot", 0, "every order and receipt on both sides draws from only this many items (contention)")
	f.Uint64Var(&cfg.Seed, "seed", 0, "random seed (0: from the clock)")
	f.BoolVar(&floor, "floor", false, "also run the floor: a minimal HTTP service in this process keeping the API's promises (session, real items, number, credit or the posting guard, audit, exactly once) around the raw order or receipt, A B C A B C …")
	f.BoolVar(&naive, "naive", false, "run the naive lock-free order instead (at the largest --clients) and show what jxc check finds (use a scratch database)")
	return c
}

// summarize prints one line per mode and client count — documents/s of
// each side and their ratio, p99 of each side against the goal, errors by
// code — and then the errors that should never reach a client, reporting
// whether there were any.
func summarize(out io.Writer, rows []*compareRow) bool {
	fmt.Fprintln(out)
	fmt.Fprintf(out, "%-8s %7s %9s %9s %8s %9s %9s  %-22s %s\n", "mode", "clients", "API/s", "raw/s", "API/raw", "p99 API", "p99 raw", "p99 ≤ 3×raw+5ms", "errors API | raw")
	var bad []string
	for _, r := range rows {
		a, b := r.rates()
		ratio := "-"
		if b > 0 {
			ratio = fmt.Sprintf("%.2f×", a/b)
		}
		limit, ok := r.p99Goal()
		goal := fmt.Sprintf("no (limit %s)", msOf(limit))
		if ok {
			goal = fmt.Sprintf("yes (limit %s)", msOf(limit))
		}
		errs := strings.TrimSpace(r.api.ErrorCodes() + " | " + r.raw.ErrorCodes())
		if errs == "|" {
			errs = ""
		}
		fmt.Fprintf(out, "%-8s %7d %9.1f %9.1f %8s %9s %9s  %-22s %s\n", r.mode, r.clients, a, b, ratio,
			msOf(r.api.Percentile(99)), msOf(r.raw.Percentile(99)), goal, errs)
		for side, st := range map[string]*bench.TypeStats{"API": &r.api, "raw": &r.raw} {
			for code, n := range st.Errors {
				if !slices.Contains(benign, code) {
					bad = append(bad, fmt.Sprintf("%s %s at %d client(s): %s ×%d", r.mode, side, r.clients, code, n))
				}
			}
		}
	}
	floorSummary(out, rows)
	for _, r := range rows {
		if r.floor == nil {
			continue
		}
		for code, n := range r.floor.Errors {
			if !slices.Contains(benign, code) {
				bad = append(bad, fmt.Sprintf("%s floor at %d client(s): %s ×%d", r.mode, r.clients, code, n))
			}
		}
	}
	slices.Sort(bad)
	if len(bad) == 0 {
		fmt.Fprintln(out, "no deadlock, serialization failure or internal error reached a client")
		return false
	}
	fmt.Fprintln(out, "errors that should never reach a client (a deadlock or serialization failure shows as internal through the API):")
	for _, b := range bad {
		fmt.Fprintln(out, "  "+b)
	}
	return true
}

// floorSummary prints, for the rows that ran the floor, its rate against
// raw's (the most the promises leave an implementation) and the API's
// against it (what jxc's implementation costs beyond them).
func floorSummary(out io.Writer, rows []*compareRow) {
	header := false
	for _, r := range rows {
		if r.floor == nil {
			continue
		}
		if !header {
			fmt.Fprintf(out, "\n%-8s %7s %9s %10s %10s %9s  %s\n", "mode", "clients", "floor/s", "floor/raw", "API/floor", "p99 floor", "errors floor")
			header = true
		}
		a, b := r.rates()
		f := float64(r.floor.OK) / max(r.floorTime.Seconds(), 1e-9)
		ratio := func(x, y float64) string {
			if y <= 0 {
				return "-"
			}
			return fmt.Sprintf("%.2f×", x/y)
		}
		fmt.Fprintf(out, "%-8s %7d %9.1f %10s %10s %9s  %s\n", r.mode, r.clients, f, ratio(f, b), ratio(a, f), msOf(r.floor.Percentile(99)), r.floor.ErrorCodes())
	}
}

// parseCounts reads "1,4,16".
func parseCounts(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("--clients: %q is not a number of clients", part)
		}
		out = append(out, n)
	}
	return out, nil
}

func msOf(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64)
}
