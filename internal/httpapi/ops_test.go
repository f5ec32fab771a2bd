package httpapi_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/jxc-erp/jxc/internal/httpapi"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// Two jxc processes on one PostgreSQL database: both migrate at start, a
// session made on one works on the other, and the same Idempotency-Key sent
// to both at once creates one record.
func TestTwoServersOnePostgres(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	ctx := context.Background()
	var servers [2]*httpapi.Server
	var wg sync.WaitGroup
	var errs [2]error
	dbs := [2]*store.DB{}
	for i := range servers {
		db, err := store.Open(ctx, dsn, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	for i := range dbs {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = dbs[i].Migrate(ctx) }() // concurrent start-up
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("migrate %d: %v", i, err)
		}
		servers[i] = httpapi.New(service.New(dbs[i], quiet, testConfig()), httpapi.Options{Log: quiet})
	}
	a := &client{t: t, h: servers[0]}
	a.must(201, "POST", "/api/v1/setup", map[string]any{"username": "boss", "password": adminPassword, "company_name": "两进程公司"})
	a.login("boss", adminPassword)
	b := &client{t: t, h: servers[1], cookie: a.cookie}
	b.must(200, "GET", "/api/v1/auth/me", nil)

	var res [8]resp
	for i := range res {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := a
			if i%2 == 1 {
				c = b
			}
			res[i] = c.do("POST", "/api/v1/brands", map[string]any{"code": "QQ", "name": "清泉"}, "Idempotency-Key", "brand-qq")
		}()
	}
	wg.Wait()
	for i, r := range res {
		if r.status != 201 {
			t.Errorf("request %d = %d %s", i, r.status, r.body)
		}
	}
	if n := b.must(200, "GET", "/api/v1/brands", nil)["total"].(float64); n != 1 {
		t.Errorf("brands = %v, want 1", n)
	}
}

func TestOperatorEndpoints(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv, c := newServer(t, db)
		c.must(200, "GET", "/api/v1/units", nil)
		anon := &client{t: t, h: srv}
		for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready", "/metrics": `jxc_http_requests_total{method="GET",route="GET /api/v1/units",status="200"} 1`} {
			r := anon.do("GET", path, nil)
			if r.status != 200 || !strings.Contains(string(r.body), want) {
				t.Errorf("GET %s = %d, want body containing %q:\n%.300s", path, r.status, want, r.body)
			}
		}
		r := anon.do("GET", "/api/v1/nowhere", nil)
		if r.status != 404 || r.header.Get("Content-Type") != "application/problem+json" || r.header.Get("X-Request-ID") == "" {
			t.Errorf("unknown API path = %d %s %v", r.status, r.body, r.header)
		}

		// A client that hung up is counted as 499, not as a server error
		// (5xx is what an operator's alerts watch).
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		req := httptest.NewRequestWithContext(ctx, "GET", "/api/v1/units", nil)
		req.Header.Set("Cookie", c.cookie)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code != 499 || !strings.Contains(w.Body.String(), `"request_canceled"`) {
			t.Errorf("a request its client cancelled = %d %s, want 499 request_canceled", w.Code, w.Body)
		}
		if m := anon.do("GET", "/metrics", nil); !strings.Contains(string(m.body), `route="GET /api/v1/units",status="499"} 1`) {
			t.Errorf("metrics do not count the cancelled request as 499:\n%.2000s", m.body)
		}
	})
}
