package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/jxc-erp/jxc/internal/bench"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
)

// benchCompareCmd measures the API against the raw yardstick in the same
// run: sales orders of 5–15 lines confirmed through the HTTP API (A) and
// the same orders written by hand straight into the same database (B),
// A B A B … after a warm-up, and prints orders/s and latency of each and
// the ratio API / raw. --naive instead runs the lock-free, absolute-value
// version and shows that jxc check catches what it does.
var debugRaw atomic.Int64

func benchCompareCmd(g *globals) *cobra.Command {
	var cfg bench.Config
	var rounds int
	var naive bool
	c := &cobra.Command{
		Use:   "compare",
		Short: "Sales orders through the API against the raw SQL yardstick, interleaved, with the ratio; --naive proves the oversell check has teeth",
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, out := cmd.Context(), cmd.OutOrStdout()
			cfg.Mix = map[string]int{bench.TxOrder: 1}
			if cfg.Seed == 0 {
				cfg.Seed = uint64(time.Now().UnixNano())
			}
			tgt, err := bench.FindTarget(ctx, cfg)
			if err != nil {
				return err
			}
			if err := bench.Restock(ctx, cfg, tgt, 100_000); err != nil {
				return err
			}
			db, err := g.open(ctx, false)
			if err != nil {
				return err
			}
			defer db.Close()
			raw, err := db.RawTargetOf(ctx, tgt.WarehouseID, tgt.Customers[0], tgt.Items)
			if err != nil {
				return err
			}
			rawRun := func(d time.Duration, naive bool) *bench.Result {
				return bench.Timed(ctx, bench.TxOrder, cfg.Clients, d, cfg.Seed, func(ctx context.Context, rng *rand.Rand) (string, error) {
					n := 5 + rng.IntN(11)
					items := make([]int64, n)
					perm := rng.Perm(len(tgt.Items))
					for i := range items {
						items[i] = tgt.Items[perm[i%len(perm)]]
					}
					err := db.RawOrder(ctx, raw, items, naive)
					switch {
					case errors.Is(err, store.ErrRawShort):
						return "insufficient_stock", err
					case err != nil:
						if ctx.Err() == nil && debugRaw.Add(1) == 1 { // the first real failure, for the reader
							fmt.Fprintln(out, "raw order:", err)
						}
						return "error", err
					}
					return "", nil
				})
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
				res := rawRun(cfg.Duration, true)
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
			orders := func(r *bench.Result) (float64, time.Duration, time.Duration, int) {
				st := r.Types[bench.TxOrder]
				errs := 0
				for _, n := range st.Errors {
					errs += n
				}
				return float64(st.OK) / r.Elapsed.Seconds(), st.Percentile(50), st.Percentile(99), errs
			}
			warm := cfg
			warm.Duration = 2 * time.Second
			if _, err := bench.Run(ctx, warm); err != nil {
				return err
			}
			rawRun(2*time.Second, false)
			fmt.Fprintf(out, "%d client(s), %s per run, %d rounds after a warm-up\n", cfg.Clients, cfg.Duration, rounds)
			fmt.Fprintf(out, "%-6s %-4s %10s %9s %9s %7s\n", "round", "mode", "orders/s", "p50 ms", "p99 ms", "errors")
			var apiSum, rawSum float64
			ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
			for r := 1; r <= rounds; r++ {
				a, err := bench.Run(ctx, cfg)
				if err != nil {
					return err
				}
				ar, a50, a99, ae := orders(a)
				b := rawRun(cfg.Duration, false)
				br, b50, b99, be := orders(b)
				apiSum, rawSum = apiSum+ar, rawSum+br
				fmt.Fprintf(out, "%-6d %-4s %10.1f %9.1f %9.1f %7d\n", r, "api", ar, ms(a50), ms(a99), ae)
				fmt.Fprintf(out, "%-6d %-4s %10.1f %9.1f %9.1f %7d\n", r, "raw", br, ms(b50), ms(b99), be)
			}
			if rawSum > 0 {
				fmt.Fprintf(out, "API / raw, orders per second: %.2f×\n", apiSum/rawSum)
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
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&cfg.URL, "url", "http://127.0.0.1:8080", "the running jxc (on the database given by --db)")
	f.StringVar(&cfg.User, "user", env("BENCH_USER", ""), "a user who may sell (env JXC_BENCH_USER)")
	f.StringVar(&cfg.Password, "password", env("BENCH_PASSWORD", ""), "their password (env JXC_BENCH_PASSWORD)")
	f.IntVar(&cfg.Clients, "clients", 1, "concurrent clients in each mode")
	f.DurationVar(&cfg.Duration, "duration", 10*time.Second, "length of each run")
	f.IntVar(&rounds, "rounds", 3, "A B rounds after the warm-up")
	f.IntVar(&cfg.Hot, "hot", 0, "every order draws from only this many items")
	f.Uint64Var(&cfg.Seed, "seed", 0, "random seed (0: from the clock)")
	f.BoolVar(&naive, "naive", false, "run the naive lock-free version instead and show what jxc check finds (use a scratch database)")
	return c
}
