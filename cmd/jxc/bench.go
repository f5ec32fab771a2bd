package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/jxc-erp/jxc/internal/bench"
	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
)

// benchCmd groups the load tools (docs/PERFORMANCE.md).
func benchCmd(g *globals) *cobra.Command {
	c := &cobra.Command{Use: "bench", Short: "Load tools: drive a running jxc and prove nothing was lost or oversold"}
	c.AddCommand(benchRunCmd(g), benchCompareCmd(g), benchCrashCmd(g), benchGenCmd(g), benchReportsCmd())
	return c
}

// benchRunCmd drives a running jxc with concurrent clients, prints
// throughput and latency per transaction type, then proves every
// acknowledged document is there exactly once and, with --db, that the
// stock invariants hold (jxc check: nothing oversold).
func benchRunCmd(g *globals) *cobra.Command {
	var cfg bench.Config
	var mix string
	var check bool
	c := &cobra.Command{
		Use:   "run",
		Short: "Run a TPC-C-like mix (sales orders with reservation first) against a running jxc through its HTTP API",
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if cfg.Mix, err = bench.ParseMix(mix); err != nil {
				return err
			}
			if cfg.Seed == 0 {
				cfg.Seed = uint64(time.Now().UnixNano())
			}
			ctx, out := cmd.Context(), cmd.OutOrStdout()
			res, err := bench.Run(ctx, cfg)
			if err != nil {
				return err
			}
			bench.Report(out, cfg, res)
			probs, err := bench.Verify(ctx, cfg, res)
			if err != nil {
				return err
			}
			n := 0
			for _, docs := range res.Acked {
				n += len(docs)
			}
			if len(probs) == 0 {
				fmt.Fprintf(out, "acknowledged documents: %d, each present exactly once\n", n)
			}
			for _, p := range probs {
				fmt.Fprintln(out, "  "+p)
			}
			if check {
				db, err := g.open(ctx, false)
				if err != nil {
					return err
				}
				defer db.Close()
				cos, err := service.New(db, g.logger(), service.DefaultConfig()).CheckAllStock(ctx)
				if err != nil {
					return err
				}
				for _, co := range cos {
					for _, p := range co.Problems {
						probs = append(probs, p)
						fmt.Fprintf(out, "  check %s: %s\n", co.Company.Code, p)
					}
				}
				if len(cos) > 0 && len(probs) == 0 {
					fmt.Fprintln(out, "jxc check: ok (nothing oversold, ledger = balances, reserved = what orders hold)")
				}
			}
			if len(probs) > 0 {
				return errors.New("the run left problems (see above)")
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&cfg.URL, "url", "http://127.0.0.1:8080", "the running jxc; several processes on one PostgreSQL database comma-separated (the clients are spread over them)")
	f.StringVar(&cfg.User, "user", env("BENCH_USER", ""), "a user who may sell, ship, buy and take money (env JXC_BENCH_USER)")
	f.StringVar(&cfg.Password, "password", env("BENCH_PASSWORD", ""), "their password (env JXC_BENCH_PASSWORD)")
	f.IntVar(&cfg.Clients, "clients", 4, "concurrent clients")
	f.DurationVar(&cfg.Duration, "duration", 30*time.Second, "how long to run")
	f.IntVar(&cfg.Hot, "hot", 0, "every order and purchase draws from only this many items (contention); 0 = all")
	f.StringVar(&mix, "mix", "", "weights, e.g. order=45,ship=20,receipt=10,purchase=10,stock=10,lowstock=5 (the default)")
	f.Uint64Var(&cfg.Seed, "seed", 0, "random seed (0: from the clock)")
	f.BoolVar(&check, "check", false, "after the run, open --db and run jxc check")
	return c
}

// benchGenCmd creates a company of a chosen size with a year of posted
// history, fast, for load runs and report timings on realistic volumes
// (docs/PERFORMANCE.md, "Data at scale").
func benchGenCmd(g *globals) *cobra.Command {
	var cfg service.BenchGenConfig
	var scope string
	var check bool
	c := &cobra.Command{
		Use:   "gen",
		Short: "Create a company of N items × W warehouses with R ledger rows of history (bulk load; jxc check holds)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, out := cmd.Context(), cmd.OutOrStdout()
			cfg.CostingScope = domain.CostingScope(scope)
			if cfg.Seed == 0 {
				cfg.Seed = uint64(time.Now().UnixNano())
			}
			// A bulk load: NORMAL is safe against a crash of the process,
			// and a crash of the machine means running it again anyway.
			db, err := store.Open(ctx, g.db, store.Options{Synchronous: "NORMAL"})
			if err != nil {
				return err
			}
			defer db.Close()
			if err := db.Migrate(ctx); err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
			svc := service.New(db, g.logger(), service.DefaultConfig())
			start := time.Now()
			cfg.Progress = func(format string, args ...any) {
				fmt.Fprintf(out, "[%6.1fs] %s\n", time.Since(start).Seconds(), fmt.Sprintf(format, args...))
			}
			res, err := svc.GenerateBench(ctx, cfg)
			if err != nil {
				return err
			}
			total := time.Since(start)
			fmt.Fprintf(out, "company %s (id %d): %d items × %d warehouses, %d partners\n", res.Company.Code, res.Company.ID, res.Items, res.Warehouses, res.Partners)
			fmt.Fprintf(out, "history: %d documents, %d lines, %d ledger rows in %s (%.0f rows/s)\n", res.Documents, res.Lines, res.LedgerRows,
				res.Ledger.Round(time.Millisecond), float64(res.LedgerRows)/max(res.Ledger.Seconds(), 1e-9))
			fmt.Fprintf(out, "month-end closes: %d\n", res.Closes)
			fmt.Fprintf(out, "master data %s, projections %s, total %s (seed %d)\n", res.MasterData.Round(time.Millisecond),
				res.Projections.Round(time.Millisecond), total.Round(time.Millisecond), cfg.Seed)
			if res.User != "" {
				fmt.Fprintf(out, "administrator: %s / %s\n", res.User, res.Password)
			} else {
				fmt.Fprintln(out, "log in as an existing administrator and switch to company "+res.Company.Code)
			}
			if !check {
				return nil
			}
			t := time.Now()
			probs, err := svc.CheckStock(ctx, res.Company.ID)
			if err != nil {
				return err
			}
			for _, p := range probs {
				fmt.Fprintln(out, "  check: "+p)
			}
			if len(probs) > 0 {
				return fmt.Errorf("jxc check found %d problems", len(probs))
			}
			fmt.Fprintf(out, "jxc check: ok (%s)\n", time.Since(t).Round(time.Millisecond))
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&cfg.Code, "code", "BENCH", "company code")
	f.IntVar(&cfg.Items, "items", 10_000, "items")
	f.IntVar(&cfg.Warehouses, "warehouses", 5, "warehouses")
	f.IntVar(&cfg.Ledger, "ledger", 500_000, "ledger rows of history")
	f.IntVar(&cfg.Days, "days", 365, "days of history, ending today")
	f.Uint64Var(&cfg.Seed, "seed", 0, "random seed (0: from the clock)")
	f.StringVar(&scope, "costing-scope", "", "company (default) or warehouse")
	f.StringVar(&cfg.User, "user", "", "administrator to create (first run: default bench)")
	f.StringVar(&cfg.Password, "password", "", "their password (default: random, printed)")
	f.BoolVar(&cfg.NoCloses, "no-closes", false, "leave every month open (by default each month before this one is closed, with its snapshots)")
	f.BoolVar(&check, "check", false, "run jxc check on the new company afterwards")
	return c
}

// benchReportsCmd times the stock reports of a running jxc through its API
// (docs/PERFORMANCE.md, "Reports at 5M ledger rows").
func benchReportsCmd() *cobra.Command {
	var cfg bench.ReportConfig
	c := &cobra.Command{
		Use:   "reports",
		Short: "Time the stock reports of a running jxc through its API: on hand, pages, per-warehouse totals, the streamed balance (with the server's memory), a past date, the movement summary",
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cfg.Seed == 0 {
				cfg.Seed = uint64(time.Now().UnixNano())
			}
			res, err := bench.Reports(cmd.Context(), cfg)
			if res != nil {
				bench.PrintReports(cmd.OutOrStdout(), res)
			}
			if err != nil {
				return err
			}
			if n := res.Failed(); n > 0 {
				return fmt.Errorf("%d calls failed", n)
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&cfg.URL, "url", "http://127.0.0.1:8080", "the running jxc")
	f.StringVar(&cfg.User, "user", env("BENCH_USER", ""), "a user who may read stock, costs and reports (env JXC_BENCH_USER)")
	f.StringVar(&cfg.Password, "password", env("BENCH_PASSWORD", ""), "their password (env JXC_BENCH_PASSWORD)")
	f.StringVar(&cfg.Warehouse, "warehouse", "", "warehouse code or id (default: the first by code)")
	f.StringVar(&cfg.AsOf, "as-of", "", "the past day (default: the day before last month's end, one day short of a month-end snapshot)")
	f.IntVar(&cfg.Days, "days", 30, "days of the movement summary and the item ledger, ending today")
	f.IntVar(&cfg.Rounds, "rounds", 20, "calls of each quick report")
	f.IntVar(&cfg.SlowRounds, "slow-rounds", 5, "calls of each report that reads a whole warehouse or more")
	f.IntVar(&cfg.PID, "pid", 0, "the server's process id, for its memory (default: the local process listening on --url's port)")
	f.Uint64Var(&cfg.Seed, "seed", 0, "random seed (0: from the clock)")
	return c
}
