package httpapi_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// TestGETAfterConnectionsEnded: PostgreSQL ends every connection of the
// pool (a restart) while a signed-in client's caller is kept (no read
// opens its next request): each of the next reads is answered, none fails
// on a dead connection.
func TestGETAfterConnectionsEnded(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.PostgresDSN(t)
	app := fmt.Sprintf("jxc_get_ended_%d", time.Now().UnixNano()%1e9)
	db, err := store.Open(ctx, dsn+"&application_name="+app, store.Options{MaxConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	_, admin := newServer(t, db)
	admin.units()
	pg, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	for round := range 3 {
		admin.must(200, "GET", "/api/v1/units", nil) // the caller kept afresh
		if _, err := pg.ExecContext(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", app); err != nil {
			t.Fatal(err)
		}
		for range 100 {
			var n int
			if err := pg.QueryRowContext(ctx, "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", app).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		for i := range 4 {
			if r := admin.do("GET", "/api/v1/units", nil); r.status != 200 {
				t.Fatalf("round %d, read %d after PostgreSQL ended the connections: %d %s", round, i, r.status, r.body)
			}
		}
	}
}
