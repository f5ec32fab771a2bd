// Package storetest gives tests a fresh, migrated database on every engine:
// SQLite always, PostgreSQL when JXC_TEST_POSTGRES names a server (and
// required when CI=true, so CI can never silently skip it).
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/store"
)

// Each runs fn once per engine as subtests named "sqlite" and "postgres".
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) {
		db := Postgres(t)
		fn(t, db)
	})
}

// Twins runs fn once per engine with two handles on one database, as two
// jxc processes serving it would hold: neither sees the other's memory.
func Twins(t *testing.T, fn func(t *testing.T, a, b *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "jxc.db")
		a := open(t, file)
		fn(t, a, open(t, file))
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := PostgresDSN(t)
		a := open(t, dsn)
		fn(t, a, open(t, dsn))
	})
}

// SQLite returns a migrated database in a temporary file.
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "jxc.db"))
}

// PostgresDSN returns a DSN for a new, empty schema of its own, dropped when
// the test ends; it skips the test when no server is configured outside CI.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv("JXC_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("JXC_TEST_POSTGRES must be set in CI: every store test runs on PostgreSQL too")
		}
		t.Skip("JXC_TEST_POSTGRES not set; skipping PostgreSQL")
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Postgres returns a migrated database in a schema of its own.
func Postgres(t testing.TB) *store.DB {
	t.Helper()
	return open(t, PostgresDSN(t))
}

func open(t testing.TB, dsn string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, store.Options{Synchronous: "OFF", MaxConns: 8})
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

// Counter counts the statements bun sends to the database (BEGIN, COMMIT
// and ROLLBACK included) and the transactions begun; with Trace set it also
// keeps each statement's text, for finding where a request spends them.
type Counter struct {
	db         *store.DB
	trips0     int64
	stmts, txs atomic.Int64
	Trace      bool
	mu         sync.Mutex
	trace      []string
}

// BeforeQuery implements bun.QueryHook.
func (c *Counter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

// AfterQuery implements bun.QueryHook.
func (c *Counter) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	if store.Recorded(e.Err) { // noted to go ahead, not sent: counted when it is
		return
	}
	c.stmts.Add(1)
	if e.Query == "BEGIN" || strings.HasPrefix(e.Query, "BEGIN ") {
		c.txs.Add(1)
	}
	if c.Trace {
		c.mu.Lock()
		c.trace = append(c.trace, fmt.Sprintf("%6.2fms %s", float64(time.Since(e.StartTime).Microseconds())/1000, e.Query))
		c.mu.Unlock()
	}
}

// Reset zeroes the counts and the trace.
func (c *Counter) Reset() {
	c.stmts.Store(0)
	c.txs.Store(0)
	c.trips0 = c.db.RoundTrips()
	c.mu.Lock()
	c.trace = nil
	c.mu.Unlock()
}

// Statements returns the statements counted since the last Reset.
func (c *Counter) Statements() int64 { return c.stmts.Load() }

// Transactions returns the transactions begun since the last Reset.
func (c *Counter) Transactions() int64 { return c.txs.Load() }

// Traced returns the statements kept since the last Reset (Trace on).
func (c *Counter) Traced() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.trace)
}

// Report adds stmts/op and txs/op for n operations to a benchmark.
func (c *Counter) Report(b *testing.B, n int) {
	b.ReportMetric(float64(c.stmts.Load())/float64(n), "stmts/op")
	b.ReportMetric(float64(c.txs.Load())/float64(n), "txs/op")
	if c.db.RoundTrips() > 0 { // PostgreSQL through pgcache.go: held writes ride with the next message
		b.ReportMetric(float64(c.db.RoundTrips()-c.trips0)/float64(n), "trips/op")
	}
}

// CountStatements hooks a new Counter into db.
func CountStatements(tb testing.TB, db *store.DB) *Counter {
	tb.Helper()
	c := &Counter{db: db, trips0: db.RoundTrips()}
	db.AddQueryHook(c)
	return c
}

// EachBench runs a benchmark once per engine as sub-benchmarks named
// "sqlite" and "postgres" (skipped when no PostgreSQL is configured
// outside CI), with the engine's name for messages and file names.
func EachBench(b *testing.B, fn func(b *testing.B, engine string, db *store.DB)) {
	b.Helper()
	b.Run("sqlite", func(b *testing.B) { fn(b, "sqlite", SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { fn(b, "postgres", Postgres(b)) })
}
