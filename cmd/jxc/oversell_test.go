package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// TestOversellHTTP: 100 orders of one unit race through the HTTP API of
// three jxc serve processes on one PostgreSQL database (and of one process
// on SQLite) for an item with 10 available. Exactly 10 are confirmed, the
// rest are refused for stock, 0 is left available, and jxc check finds
// nothing wrong.
func TestOversellHTTP(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs jxc serve")
	}
	bin := jxcBinary(t)
	t.Run("postgres", func(t *testing.T) { oversell(t, bin, storetest.PostgresDSN(t), 3) })
	t.Run("sqlite", func(t *testing.T) { oversell(t, bin, filepath.Join(t.TempDir(), "jxc.db"), 1) })
}

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// jxcBinary builds cmd/jxc once per test run.
func jxcBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "jxc-bin-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "jxc")
		if out, err := exec.Command("go", "build", "-o", builtBin, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

func oversell(t *testing.T, bin, dsn string, processes int) {
	var urls []string
	for range processes { // one after the other: the first migrates, the others find it done
		urls = append(urls, serve(t, bin, dsn))
	}
	boss := &apiClient{t: t, base: urls[0]}
	boss.call(201, "POST", "/api/v1/setup", map[string]any{"username": "boss", "password": "oversell test password 1",
		"company_name": "超卖测试", "company_code": "OV"})
	boss.login("boss", "oversell test password 1")
	unit := boss.call(201, "POST", "/api/v1/units", map[string]any{"code": "pcs", "name": "个"})["id"]
	wh := boss.call(201, "POST", "/api/v1/warehouses", map[string]any{"code": "W1", "name": "总仓"})["id"]
	item := boss.call(201, "POST", "/api/v1/items", map[string]any{"code": "HOT", "name": "爆款", "base_unit_id": unit, "retail_price": "10"})["id"]
	cust := boss.call(201, "POST", "/api/v1/partners", map[string]any{"code": "C1", "name": "客户", "kind": "customer"})["id"]
	boss.call(201, "POST", "/api/v1/stock/documents?post=true", map[string]any{"type": "stock_opening", "warehouse_id": wh,
		"lines": []any{map[string]any{"item_id": item, "qty": "10", "price": "5"}}})

	clients := make([]*apiClient, len(urls))
	for i, u := range urls { // the session is in the database: every process knows it
		clients[i] = &apiClient{t: t, base: u, cookie: boss.cookie}
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[string]int{}
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, body := clients[i%len(clients)].do("POST", "/api/v1/sales/orders?post=true", map[string]any{"partner_id": cust, "warehouse_id": wh,
				"lines": []any{map[string]any{"item_id": item, "qty": "1", "price": "10"}}}, fmt.Sprintf("order-%d", i))
			code := fmt.Sprint(status)
			if status != 201 {
				code += " " + fmt.Sprint(body["code"])
			}
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if codes["201"] != 10 || codes["409 insufficient_stock"] != 90 {
		t.Errorf("answers %v, want 10 × 201 and 90 × 409 insufficient_stock", codes)
	}
	bal := boss.call(200, "GET", fmt.Sprintf("/api/v1/stock/balances?item_id=%v", item), nil)["items"].([]any)
	if len(bal) != 1 {
		t.Fatalf("balances %v", bal)
	}
	b := bal[0].(map[string]any)
	if b["on_hand"] != "10.0000" || b["reserved"] != "10.0000" || b["available"] != "0.0000" {
		t.Errorf("on hand %v reserved %v available %v, want 10, 10, 0", b["on_hand"], b["reserved"], b["available"])
	}
	orders := boss.call(200, "GET", "/api/v1/sales/orders?state=posted", nil)
	if orders["total"] != float64(10) {
		t.Errorf("confirmed orders %v, want 10", orders["total"])
	}
	out, err := exec.Command(bin, "check", "--db", dsn, "--log-format", "text").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "ok") {
		t.Errorf("jxc check: %v\n%s", err, out)
	}
}

// serve starts jxc serve on dsn at a free port and waits until it answers.
func serve(t *testing.T, bin, dsn string, extra ...string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, append([]string{"serve", "--db", dsn, "--addr", addr, "--log-level", "warn"}, extra...)...)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("jxc serve %s:\n%s", addr, logs.String())
		}
	})
	url := "http://" + addr
	for start := time.Now(); time.Since(start) < 90*time.Second; time.Sleep(100 * time.Millisecond) {
		if r, err := http.Get(url + "/readyz"); err == nil {
			r.Body.Close()
			return url
		}
	}
	t.Fatalf("jxc serve did not come up:\n%s", logs.String())
	return ""
}

type apiClient struct {
	t      *testing.T
	base   string
	cookie string
}

func (c *apiClient) do(method, path string, body any, key string) (int, map[string]any) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if c.cookie != "" {
		req.Header.Set("Cookie", c.cookie)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Errorf("%s %s: %v", method, path, err)
		return 0, nil
	}
	defer res.Body.Close()
	if sc := res.Header.Get("Set-Cookie"); sc != "" && strings.HasPrefix(path, "/api/v1/auth/login") {
		c.cookie = strings.Split(sc, ";")[0]
	}
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

func (c *apiClient) call(want int, method, path string, body any) map[string]any {
	c.t.Helper()
	status, out := c.do(method, path, body, "")
	if status != want {
		c.t.Fatalf("%s %s = %d, want %d: %v", method, path, status, want, out)
	}
	return out
}

func (c *apiClient) login(user, pw string) {
	c.t.Helper()
	c.call(200, "POST", "/api/v1/auth/login", map[string]any{"username": user, "password": pw})
}
