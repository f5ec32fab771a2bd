package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// TestBenchSmoke keeps the load tool working: jxc bench run drives the
// demo company of a jxc serve for a few seconds on each engine, every
// acknowledged document is found exactly once and jxc check is clean.
// The full runs are for people (docs/PERFORMANCE.md), not CI.
func TestBenchSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs jxc serve")
	}
	bin := jxcBinary(t)
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "jxc.db")
			if engine == "postgres" {
				dsn = storetest.PostgresDSN(t)
			}
			url := serve(t, bin, dsn, "--demo")
			boss := &apiClient{t: t, base: url}
			boss.call(201, "POST", "/api/v1/setup", map[string]any{"username": "boss", "password": "bench smoke password 1"})
			out, err := exec.Command(bin, "bench", "run", "--url", url, "--user", "boss", "--password", "bench smoke password 1",
				"--clients", "4", "--duration", "3s", "--seed", "7", "--check", "--db", dsn).CombinedOutput()
			if err != nil || !strings.Contains(string(out), "each present exactly once") || !strings.Contains(string(out), "jxc check: ok") {
				t.Fatalf("jxc bench run: %v\n%s", err, out)
			}
			if !strings.Contains(string(out), "order ") {
				t.Errorf("no order figures:\n%s", out)
			}
			t.Logf("\n%s", out)
		})
	}
}

// TestBenchCompareSmoke keeps the yardstick working: API and raw orders
// interleaved for one short round on PostgreSQL with jxc check clean, then
// the naive lock-free mode, whose lost updates jxc check must catch.
func TestBenchCompareSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs jxc serve")
	}
	bin := jxcBinary(t)
	dsn := storetest.PostgresDSN(t)
	url := serve(t, bin, dsn, "--demo")
	boss := &apiClient{t: t, base: url}
	boss.call(201, "POST", "/api/v1/setup", map[string]any{"username": "boss", "password": "bench smoke password 1"})
	args := []string{"bench", "compare", "--url", url, "--user", "boss", "--password", "bench smoke password 1", "--db", dsn, "--seed", "3"}
	out, err := exec.Command(bin, append(args, "--rounds", "1", "--duration", "1s")...).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "API / raw") || !strings.Contains(string(out), "jxc check: ok") {
		t.Fatalf("jxc bench compare: %v\n%s", err, out)
	}
	t.Logf("\n%s", out)
	out, err = exec.Command(bin, append(args, "--naive", "--clients", "8", "--duration", "2s")...).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "naive mode: jxc check found") || strings.Contains(string(out), "found 0 problem") {
		t.Fatalf("the naive mode was not caught: %v\n%s", err, out)
	}
}

// TestBenchReportsSmoke keeps the report timings working: a tiny company
// from jxc bench gen (with its month-end closes), served, and jxc bench
// reports through the API on each engine — every report answers, the
// streamed balance has every row, and the server's memory is read.
func TestBenchReportsSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs jxc serve")
	}
	bin := jxcBinary(t)
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "jxc.db")
			if engine == "postgres" {
				dsn = storetest.PostgresDSN(t)
			}
			out, err := exec.Command(bin, "bench", "gen", "--db", dsn, "--items", "300", "--warehouses", "2", "--ledger", "3000", "--days", "70",
				"--seed", "5", "--user", "boss", "--password", "bench smoke password 1").CombinedOutput()
			if err != nil || !strings.Contains(string(out), "month-end closes: ") || strings.Contains(string(out), "month-end closes: 0") {
				t.Fatalf("jxc bench gen: %v\n%s", err, out)
			}
			url := serve(t, bin, dsn)
			out, err = exec.Command(bin, "bench", "reports", "--url", url, "--user", "boss", "--password", "bench smoke password 1",
				"--rounds", "2", "--slow-rounds", "1", "--seed", "3").CombinedOutput()
			if err != nil {
				t.Fatalf("jxc bench reports: %v\n%s", err, out)
			}
			for _, want := range []string{"onhand-100", "page-100", "wh-totals", "as-of", "movements", "ledger-item", "stream-all: ", "MB before, peak"} {
				if !strings.Contains(string(out), want) {
					t.Errorf("no %q in:\n%s", want, out)
				}
			}
			t.Logf("\n%s", out)
		})
	}
}
