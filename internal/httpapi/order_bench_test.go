package httpapi_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/jxc-erp/jxc/internal/demo"
	"github.com/jxc-erp/jxc/internal/httpapi"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// BenchmarkSalesOrderRequest measures what issue 7's main load sends most:
// one POST /sales/orders?post=true of 10 lines on the demo company, the
// whole request from the session cookie to the JSON answer, in process:
//
//	go test -run X -bench SalesOrderRequest -benchtime 200x ./internal/httpapi/
//
// It reports stmts/op and txs/op (every statement and transaction the
// request sends to the database). JXC_TRACE_SQL=/tmp/trace writes one
// request's statements with their times to /tmp/trace.sqlite and
// /tmp/trace.postgres; JXC_BENCH_RECEIPT=1 posts purchase receipts of the
// same lines instead.
func BenchmarkSalesOrderRequest(b *testing.B) {
	storetest.EachBench(b, func(b *testing.B, engine string, db *store.DB) {
		ctx := context.Background()
		svc := service.New(db, quiet, testConfig())
		if _, err := demo.Load(ctx, svc); err != nil {
			b.Fatal(err)
		}
		srv := httpapi.New(svc, httpapi.Options{Log: quiet})
		c := &client{t: &testing.T{}, h: srv}
		if r := c.do("POST", "/api/v1/setup", map[string]any{"username": "boss", "password": adminPassword}); r.status != 201 {
			b.Fatalf("setup = %d: %s", r.status, r.body)
		}
		r := c.do("POST", "/api/v1/auth/login", map[string]any{"username": "boss", "password": adminPassword})
		c.cookie = strings.Split(r.header.Get("Set-Cookie"), ";")[0]

		wh := first(b, c, "/api/v1/warehouses?limit=1&sort=code")
		cust := first(b, c, "/api/v1/partners?limit=1&kind=customer&sort=code")
		sup := first(b, c, "/api/v1/partners?limit=1&kind=supplier&sort=code")
		var items []any
		for _, it := range c.do("GET", "/api/v1/items?limit=200", nil).json(c.t)["items"].([]any) {
			if m := it.(map[string]any); m["tracking"] == "none" && m["is_template"] != true {
				items = append(items, m["id"])
			}
		}
		if len(items) < 10 {
			b.Fatalf("demo has %d plain items", len(items))
		}
		items = items[:10]
		lines := make([]map[string]any, len(items))
		for i, id := range items {
			lines[i] = map[string]any{"item_id": id, "qty": "1000000", "price": "1"}
		}
		if r := c.do("POST", "/api/v1/purchase/receipts?post=true", map[string]any{"partner_id": sup, "warehouse_id": wh, "lines": lines}); r.status != 201 {
			b.Fatalf("restock = %d: %s", r.status, r.body)
		}
		for i := range lines {
			lines[i] = map[string]any{"item_id": items[i], "qty": "1", "price": "0.1"} // within the demo customer's credit however many
		}
		path, doc := "/api/v1/sales/orders?post=true", map[string]any{"partner_id": cust, "warehouse_id": wh, "lines": lines}
		if os.Getenv("JXC_BENCH_RECEIPT") != "" { // a purchase receipt of the same lines instead
			path, doc = "/api/v1/purchase/receipts?post=true", map[string]any{"partner_id": sup, "warehouse_id": wh, "lines": lines}
		}
		post := func(n int) {
			if r := c.do("POST", path, doc, "Idempotency-Key", fmt.Sprintf("b-%s-%d", engine, n)); r.status != 201 {
				b.Fatalf("%s = %d: %s", path, r.status, r.body)
			}
		}
		for n := range 20 { // warm the caches and pools
			post(-n - 1)
		}
		cnt := storetest.CountStatements(b, db)
		if path := os.Getenv("JXC_TRACE_SQL"); path != "" {
			cnt.Trace = true
			post(-100)
			cnt.Trace = false
			if err := os.WriteFile(path+"."+engine, []byte(strings.Join(cnt.Traced(), "\n")+"\n"), 0o644); err != nil {
				b.Fatal(err)
			}
		}
		cnt.Reset()
		b.ResetTimer()
		for n := range b.N {
			post(n)
		}
		b.StopTimer()
		cnt.Report(b, b.N)
	})
}

func first(b *testing.B, c *client, path string) any {
	b.Helper()
	r := c.do("GET", path, nil)
	if r.status != 200 {
		b.Fatalf("GET %s = %d: %s", path, r.status, r.body)
	}
	its := r.json(c.t)["items"].([]any)
	if len(its) == 0 {
		b.Fatalf("GET %s: nothing", path)
	}
	return its[0].(map[string]any)["id"]
}
