package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// TestBenchCrashSmoke keeps the crash test working: jxc bench crash kills
// its own jxc serve three times under load on each engine, and every
// acknowledged document survives exactly once, nothing is half-posted and
// jxc check is clean. The long runs (--kills 20 and more) are in
// docs/PERFORMANCE.md.
func TestBenchCrashSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds jxc and kills jxc serve")
	}
	bin := jxcBinary(t)
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "jxc.db")
			if engine == "postgres" {
				dsn = storetest.PostgresDSN(t)
			}
			out, err := exec.Command(bin, "bench", "crash", "--db", dsn, "--bin", bin, "--kills", "3", "--clients", "4",
				"--max-round", "2s", "--seed", "7", "--log-level", "warn").CombinedOutput()
			if err != nil || !strings.Contains(string(out), "kills: 3,") || !strings.Contains(string(out), "problems: 0") {
				t.Fatalf("jxc bench crash: %v\n%s", err, out)
			}
			t.Logf("\n%s", out)
		})
	}
}
