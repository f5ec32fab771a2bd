package main

import (
	"bufio"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// TestBenchSmoke keeps the load tool working: jxc bench run drives the
// demo company for a few seconds on each engine — on PostgreSQL through two
// jxc serve processes on one database, and both serve orders — every
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
			urls := []string{serve(t, bin, dsn, "--demo")}
			if engine == "postgres" { // the second finds the demo company loaded
				urls = append(urls, serve(t, bin, dsn, "--demo"))
			}
			boss := &apiClient{t: t, base: urls[0]}
			boss.call(201, "POST", "/api/v1/setup", map[string]any{"username": "boss", "password": "bench smoke password 1"})
			out, err := exec.Command(bin, "bench", "run", "--url", strings.Join(urls, ","), "--user", "boss", "--password", "bench smoke password 1",
				"--clients", "4", "--duration", "3s", "--seed", "7", "--check", "--db", dsn).CombinedOutput()
			if err != nil || !strings.Contains(string(out), "each present exactly once") || !strings.Contains(string(out), "jxc check: ok") {
				t.Fatalf("jxc bench run: %v\n%s", err, out)
			}
			if !strings.Contains(string(out), "order ") {
				t.Errorf("no order figures:\n%s", out)
			}
			for _, u := range urls {
				if n := ordersServed(t, u); n == 0 {
					t.Errorf("jxc serve at %s posted no sales orders: the clients were not spread over the processes", u)
				}
			}
			t.Logf("\n%s", out)
		})
	}
}

// ordersServed reads from a jxc serve's /metrics how many sales orders it
// was asked to create.
func ordersServed(t *testing.T, url string) int {
	t.Helper()
	res, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, `jxc_http_request_duration_seconds_count{method="POST",route="POST /api/v1/sales/orders"} `); ok {
			n, err := strconv.Atoi(rest)
			if err != nil {
				t.Fatalf("metrics line %q: %v", line, err)
			}
			return n
		}
	}
	return 0
}

// TestBenchCompareSmoke keeps the yardstick working: API and raw sales
// orders and purchase receipts interleaved for one short round on hot
// items on PostgreSQL, and receipts on SQLite, each with its ratio, no
// error a client should never see and jxc check clean; the raw receipts
// are real posted purchase receipts the API lists. Then the naive
// lock-free mode, whose lost updates jxc check must catch.
func TestBenchCompareSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs jxc serve")
	}
	bin := jxcBinary(t)
	for _, engine := range []string{"postgres", "sqlite"} {
		t.Run(engine, func(t *testing.T) {
			dsn, modes := filepath.Join(t.TempDir(), "jxc.db"), []string{"receipt"}
			if engine == "postgres" {
				dsn, modes = storetest.PostgresDSN(t), []string{"order", "receipt"}
			}
			url := serve(t, bin, dsn, "--demo")
			boss := &apiClient{t: t, base: url}
			boss.call(201, "POST", "/api/v1/setup", map[string]any{"username": "boss", "password": "bench smoke password 1"})
			args := []string{"bench", "compare", "--url", url, "--user", "boss", "--password", "bench smoke password 1", "--db", dsn, "--seed", "3"}
			out, err := exec.Command(bin, append(args, "--mode", strings.Join(modes, ","), "--clients", "2", "--hot", "20",
				"--rounds", "1", "--duration", "1s", "--warmup", "0", "--floor")...).CombinedOutput()
			if err != nil || !strings.Contains(string(out), "no deadlock, serialization failure or internal error reached a client") ||
				!strings.Contains(string(out), "jxc check: ok") {
				t.Fatalf("jxc bench compare: %v\n%s", err, out)
			}
			for _, m := range modes {
				if !regexp.MustCompile(`(?m)^` + m + ` +2 +[0-9.]+ +[0-9.]+ +[0-9.]+× `).Match(out) {
					t.Errorf("no %s ratio at 2 clients:\n%s", m, out)
				}
			}
			for _, m := range modes { // the floor's line: floor/s, floor/raw, API/floor
				if !regexp.MustCompile(`(?m)^` + m + ` +2 +[0-9.]+ +[0-9.]+× +[0-9.]+× `).Match(out) {
					t.Errorf("no floor ratios for %s at 2 clients:\n%s", m, out)
				}
			}
			boss.login("boss", "bench smoke password 1")
			if raw := boss.call(200, "GET", "/api/v1/purchase/receipts?state=posted&q=RAWR&limit=1", nil); raw["total"] == 0.0 {
				t.Errorf("the API lists no posted raw purchase receipt: %v", raw)
			}
			t.Logf("\n%s", out)
			if engine != "postgres" {
				return
			}
			out, err = exec.Command(bin, append(args, "--naive", "--clients", "8", "--duration", "2s")...).CombinedOutput()
			if err != nil || !strings.Contains(string(out), "naive mode: jxc check found") || strings.Contains(string(out), "found 0 problem") {
				t.Fatalf("the naive mode was not caught: %v\n%s", err, out)
			}
		})
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
