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
