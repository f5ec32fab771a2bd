package httpapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"

	"github.com/jxc-erp/jxc/internal/httpapi"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// client talks to an in-process jxc as a browser or integrator would.
type client struct {
	t      *testing.T
	h      http.Handler
	cookie string
	bearer string
	lang   string
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
	return m
}

func (c *client) do(method, path string, body any, hdr ...string) resp {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req := httptest.NewRequest(method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.cookie != "" {
		req.Header.Set("Cookie", c.cookie)
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, req)
	return resp{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
}

func (c *client) must(want int, method, path string, body any, hdr ...string) map[string]any {
	c.t.Helper()
	r := c.do(method, path, body, hdr...)
	if r.status != want {
		c.t.Fatalf("%s %s = %d, want %d: %s", method, path, r.status, want, r.body)
	}
	if len(r.body) == 0 {
		return nil
	}
	return r.json(c.t)
}

const adminPassword = "correct horse 42"

var quiet = slog.New(slog.DiscardHandler)

func testConfig() service.Config {
	cfg := service.DefaultConfig()
	cfg.ArgonMemoryKiB, cfg.ArgonTime = 1024, 1 // fast in tests; production uses OWASP's minimum
	return cfg
}

// newServer returns a fresh server on db and an admin client signed in.
func newServer(t *testing.T, db *store.DB) (*httpapi.Server, *client) {
	t.Helper()
	svc := service.New(db, quiet, testConfig())
	srv := httpapi.New(svc, httpapi.Options{Log: quiet})
	c := &client{t: t, h: srv}
	c.must(201, "POST", "/api/v1/setup", map[string]any{"username": "boss", "password": adminPassword, "company_name": "测试商贸", "company_code": "T1"})
	c.login("boss", adminPassword)
	return srv, c
}

func (c *client) login(user, pw string) {
	c.t.Helper()
	r := c.do("POST", "/api/v1/auth/login", map[string]any{"username": user, "password": pw})
	if r.status != 200 {
		c.t.Fatalf("login %s = %d: %s", user, r.status, r.body)
	}
	c.cookie = strings.Split(r.header.Get("Set-Cookie"), ";")[0]
}

// units creates 个 and 箱 and returns their ids.
func (c *client) units() (pcs, box float64) {
	pcs = c.must(201, "POST", "/api/v1/units", map[string]any{"code": "pcs", "name": "个"})["id"].(float64)
	box = c.must(201, "POST", "/api/v1/units", map[string]any{"code": "box", "name": "箱"})["id"].(float64)
	return pcs, box
}

func itemBody(code, name string, pcs, box float64, barcode, boxBarcode string) map[string]any {
	return map[string]any{
		"code": code, "name": name, "base_unit_id": pcs, "barcode": barcode,
		"retail_price": "3.50", "purchase_price": "1.8000", "tax_rate": "13",
		"units": []any{map[string]any{"unit_id": box, "factor": "24", "barcode": boxBarcode, "retail_price": "80"}},
	}
}

func TestFirstRunItemAndAudit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := service.New(db, quiet, testConfig())
		c := &client{t: t, h: httpapi.New(svc, httpapi.Options{Log: quiet})}
		if got := c.must(200, "GET", "/api/v1/setup", nil)["needed"]; got != true {
			t.Fatalf("setup needed = %v before setup", got)
		}
		// No default account: nothing works before setup.
		c.must(401, "POST", "/api/v1/auth/login", map[string]any{"username": "admin", "password": "123456"})
		c.must(201, "POST", "/api/v1/setup", map[string]any{"username": "boss", "password": adminPassword, "company_name": "测试商贸"})
		second := c.must(409, "POST", "/api/v1/setup", map[string]any{"username": "mallory", "password": adminPassword, "company_name": "x"})
		if second["code"] != "setup_done" {
			t.Errorf("second setup code = %v, want setup_done", second["code"])
		}
		c.must(401, "POST", "/api/v1/auth/login", map[string]any{"username": "boss", "password": "wrong password 1"})
		c.login("boss", adminPassword)

		pcs, box := c.units()
		it := c.must(201, "POST", "/api/v1/items", itemBody("KL-330", "可口可乐 330ml", pcs, box, "6901234567892", "16901234567899"))
		if it["mnemonic"] != "kkkl330ml" || it["retail_price"] != "3.5000" {
			t.Errorf("created item mnemonic %v retail %v", it["mnemonic"], it["retail_price"])
		}
		id := it["id"].(float64)

		// Found by pinyin initials …
		list := c.must(200, "GET", "/api/v1/items?mnemonic=kkkl", nil)
		if list["total"].(float64) != 1 {
			t.Errorf("mnemonic search total = %v, want 1", list["total"])
		}
		// … and by either unit's barcode, the scan telling which unit it is.
		scan := c.must(200, "GET", "/api/v1/items/by-barcode/16901234567899", nil)
		if u := scan["unit"].(map[string]any); u["factor"] != "24.0000" || scan["item"].(map[string]any)["id"].(float64) != id {
			t.Errorf("scan box barcode = %v", scan)
		}
		c.must(404, "GET", "/api/v1/items/by-barcode/0000", nil)

		// The audit log holds the creation, with the record after it.
		audit := c.must(200, fmt.Sprintf("GET"), fmt.Sprintf("/api/v1/audit-log?entity=item&entity_id=%d", int(id)), nil)
		rows := audit["items"].([]any)
		if len(rows) != 1 {
			t.Fatalf("audit rows = %d, want 1: %v", len(rows), audit)
		}
		row := rows[0].(map[string]any)
		if row["action"] != "create" || row["username"] != "boss" || !strings.Contains(row["after"].(string), "KL-330") {
			t.Errorf("audit row = %v", row)
		}
	})
}

func TestDuplicateCodeIsConflict(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, c := newServer(t, db)
		pcs, box := c.units()
		c.must(201, "POST", "/api/v1/items", itemBody("A1", "苹果", pcs, box, "", ""))
		got := c.must(409, "POST", "/api/v1/items", itemBody("A1", "另一个苹果", pcs, box, "", ""))
		if got["code"] != "conflict" {
			t.Errorf("code = %v, want conflict", got["code"])
		}
		if errs := got["errors"].([]any); errs[0].(map[string]any)["field"] != "code" {
			t.Errorf("conflict names %v, want code", errs)
		}
	})
}

func TestBadInputNamesFieldInBothLanguages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, c := newServer(t, db)
		pcs, box := c.units()
		tests := []struct {
			name   string
			body   any
			field  string
			zh, en string
		}{
			{"malformed decimal", map[string]any{"code": "X1", "name": "x", "base_unit_id": pcs, "retail_price": "abc"}, "retail_price", "零售价：", "Retail price: must be a number"},
			{"too many decimals", map[string]any{"code": "X1", "name": "x", "base_unit_id": pcs, "retail_price": "1.123456"}, "retail_price", "零售价：", "Retail price: must be a number"},
			{"negative price", map[string]any{"code": "X1", "name": "x", "base_unit_id": pcs, "retail_price": "-1"}, "retail_price", "不能为负数", "must not be negative"},
			{"missing name", map[string]any{"code": "X1", "base_unit_id": pcs}, "name", "必填", "is required"},
			{"unknown field", map[string]any{"code": "X1", "name": "x", "base_unit_id": pcs, "colour": "red"}, "colour", "不认识的字段", "not a known field"},
			{"wrong type", map[string]any{"code": "X1", "name": "x", "base_unit_id": "one"}, "base_unit_id", "类型不正确", "wrong type"},
			{"unit of another id", map[string]any{"code": "X1", "name": "x", "base_unit_id": 9999}, "base_unit_id", "引用的记录不存在", "does not exist"},
			{"out of range tax", map[string]any{"code": "X1", "name": "x", "base_unit_id": pcs, "tax_rate": "130"}, "tax_rate", "0 到 100", "between 0 and 100"},
			{"zero factor", map[string]any{"code": "X1", "name": "x", "base_unit_id": pcs, "units": []any{map[string]any{"unit_id": box, "factor": "0"}}}, "units[0].factor", "必须大于 0", "greater than 0"},
			{"not json", `{"code": `, "body", "", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				for _, lang := range []struct{ header, want string }{{"zh-CN", tt.zh}, {"en-US,en;q=0.9", tt.en}} {
					c.lang = lang.header
					got := c.must(400, "POST", "/api/v1/items", tt.body)
					if got["code"] != "invalid" {
						t.Errorf("%s: code = %v, want invalid", lang.header, got["code"])
					}
					errs, _ := got["errors"].([]any)
					found := false
					for _, e := range errs {
						fe := e.(map[string]any)
						if fe["field"] == tt.field && strings.Contains(fe["message"].(string), lang.want) {
							found = true
						}
					}
					if !found {
						t.Errorf("%s: errors = %v, want field %s with message containing %q", lang.header, errs, tt.field, lang.want)
					}
				}
			})
		}
		c.lang = ""
		if n := c.must(200, "GET", "/api/v1/items?archived=all", nil)["total"].(float64); n != 0 {
			t.Errorf("bad input created %v items", n)
		}
	})
}

// A field error reads as a sentence in each language: the field's name, a
// separator, then what is wrong; several are joined into the detail.
func TestFieldMessagesRead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, c := newServer(t, db)
		pcs, box := c.units()
		body := map[string]any{"code": "X1", "base_unit_id": pcs, "retail_price": "-1",
			"units": []any{map[string]any{"unit_id": box, "factor": "0"}}}
		for _, tt := range []struct{ lang, detail string }{
			{"zh-CN", "名称：必填；零售价：不能为负数；单位 1 › 换算率：必须大于 0"},
			{"en", "Name: is required; Retail price: must not be negative; Units 1 › factor: must be greater than 0"},
		} {
			c.lang = tt.lang
			got := c.must(400, "POST", "/api/v1/items", body)
			if got["detail"] != tt.detail {
				t.Errorf("%s: detail %q, want %q", tt.lang, got["detail"], tt.detail)
			}
		}
		c.lang = ""
	})
}

func TestAccessControl(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv, admin := newServer(t, db)
		anon := &client{t: t, h: srv}
		if got := anon.must(401, "GET", "/api/v1/items", nil); got["code"] != "unauthorized" {
			t.Errorf("anonymous code = %v", got["code"])
		}
		anon.cookie = "jxc_session=s_forged"
		anon.must(401, "GET", "/api/v1/items", nil)

		roles := admin.must(200, "GET", "/api/v1/roles?q=viewer", nil)["items"].([]any)
		viewer := roles[0].(map[string]any)
		co := admin.must(200, "GET", "/api/v1/auth/me", nil)["company_id"]
		admin.must(201, "POST", "/api/v1/users", map[string]any{"username": "clerk", "password": "clerk password 1", "active": true,
			"roles": []any{map[string]any{"company_id": co, "role_id": viewer["id"]}}})
		clerk := &client{t: t, h: srv}
		clerk.login("clerk", "clerk password 1")
		clerk.must(200, "GET", "/api/v1/items", nil)
		if got := clerk.must(403, "POST", "/api/v1/units", map[string]any{"code": "pcs", "name": "个"}); got["code"] != "forbidden" {
			t.Errorf("viewer create code = %v", got["code"])
		}
		clerk.must(403, "GET", "/api/v1/audit-log", nil)
		clerk.must(403, "GET", "/api/v1/users", nil)

		// A cross-site form post is refused before it reaches a handler.
		r := admin.do("POST", "/api/v1/units", map[string]any{"code": "x", "name": "x"}, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
		if r.status != http.StatusForbidden {
			t.Errorf("cross-site POST = %d, want 403", r.status)
		}

		// API tokens: shown once, work as Bearer, die when revoked.
		tok := admin.must(201, "POST", "/api/v1/tokens", map[string]any{"name": "shop sync"})
		api := &client{t: t, h: srv, bearer: tok["secret"].(string)}
		api.must(200, "GET", "/api/v1/items", nil)
		if list := admin.do("GET", "/api/v1/tokens", nil); list.status != 200 || strings.Contains(string(list.body), tok["secret"].(string)) {
			t.Error("token list shows the secret")
		}
		admin.must(204, "DELETE", fmt.Sprintf("/api/v1/tokens/%d", int(tok["id"].(float64))), nil)
		api.must(401, "GET", "/api/v1/items", nil)

		// Five wrong passwords lock the account, even for the right one.
		for i := 0; i < 5; i++ {
			clerk.do("POST", "/api/v1/auth/login", map[string]any{"username": "clerk", "password": "wrong wrong 1"})
		}
		if got := clerk.must(429, "POST", "/api/v1/auth/login", map[string]any{"username": "clerk", "password": "clerk password 1"}); got["code"] != "too_many_requests" {
			t.Errorf("locked login code = %v", got["code"])
		}
	})
}

func TestArchiveReferencedItem(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, c := newServer(t, db)
		pcs, box := c.units()
		id := c.must(201, "POST", "/api/v1/items", itemBody("A1", "苹果", pcs, box, "", ""))["id"].(float64)
		c.must(201, "POST", "/api/v1/price-lists", map[string]any{"code": "P1", "name": "批发价", "kind": "sale",
			"lines": []any{map[string]any{"item_id": id, "price": "2.8"}}})
		path := fmt.Sprintf("/api/v1/items/%d", int(id))
		if got := c.must(409, "DELETE", path, nil); got["code"] != "in_use" {
			t.Errorf("delete referenced code = %v, want in_use", got["code"])
		}
		c.must(204, "POST", path+"/archive", nil)
		if n := c.must(200, "GET", "/api/v1/items", nil)["total"].(float64); n != 0 {
			t.Errorf("active items after archive = %v, want 0", n)
		}
		if got := c.must(200, "GET", path, nil); got["archived"] != true {
			t.Errorf("archived flag = %v", got["archived"])
		}
		c.must(204, "POST", path+"/restore", nil)
		// An unreferenced item can be deleted outright.
		other := c.must(201, "POST", "/api/v1/items", itemBody("B1", "香蕉", pcs, box, "", ""))["id"].(float64)
		c.must(204, "DELETE", fmt.Sprintf("/api/v1/items/%d", int(other)), nil)
		c.must(404, "GET", fmt.Sprintf("/api/v1/items/%d", int(other)), nil)
	})
}

func TestIdempotencyKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, c := newServer(t, db)
		body := map[string]any{"code": "kg", "name": "千克", "decimals": 3}
		const n = 8
		var wg sync.WaitGroup
		res := make([]resp, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res[i] = c.do("POST", "/api/v1/units", body, "Idempotency-Key", "same-key-1")
			}()
		}
		wg.Wait()
		for i, r := range res {
			if r.status != 201 {
				t.Errorf("request %d = %d: %s", i, r.status, r.body)
			}
			if !bytes.Equal(r.body, res[0].body) {
				t.Errorf("request %d body differs:\n%s\n%s", i, r.body, res[0].body)
			}
		}
		if got := c.must(200, "GET", "/api/v1/units", nil)["total"].(float64); got != 1 {
			t.Errorf("units after %d identical requests = %v, want 1", n, got)
		}
		// The same key for a different request is refused, not replayed.
		other := c.do("POST", "/api/v1/units", map[string]any{"code": "g", "name": "克"}, "Idempotency-Key", "same-key-1")
		if other.status != 422 || other.json(t)["code"] != "idempotency_key_reused" {
			t.Errorf("reused key = %d %s", other.status, other.body)
		}
		// A failed request does not use up its key.
		c.must(400, "POST", "/api/v1/units", map[string]any{"code": "", "name": "克"}, "Idempotency-Key", "k2")
		c.must(201, "POST", "/api/v1/units", map[string]any{"code": "g", "name": "克"}, "Idempotency-Key", "k2")

		// A key whose command committed long ago but whose answer was never
		// stored (the server stopped in between) says so, instead of
		// "in progress" for ever.
		uid := int64(c.must(200, "GET", "/api/v1/auth/me", nil)["user"].(map[string]any)["id"].(float64))
		lost := map[string]any{"code": "t", "name": "吨"}
		raw, err := json.Marshal(lost)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(append([]byte("POST /api/v1/units\n"), raw...))
		db.SetClock(func() time.Time { return time.Now().UTC().Add(-time.Hour) })
		err = db.Update(store.WithClaim(context.Background(), &store.Claim{UserID: uid, Key: "k3", Hash: hex.EncodeToString(sum[:])}),
			func(*store.Tx) error { return nil })
		db.SetClock(func() time.Time { return time.Now().UTC() })
		if err != nil {
			t.Fatal(err)
		}
		r := c.do("POST", "/api/v1/units", lost, "Idempotency-Key", "k3")
		if p := r.json(t); r.status != 409 || p["code"] != "idempotency_answer_lost" || !strings.Contains(p["title"].(string), "Idempotency-Key") {
			t.Errorf("a key with a lost answer = %d %s", r.status, r.body)
		}
		if got := c.must(200, "GET", "/api/v1/units", nil)["total"].(float64); got != 2 {
			t.Errorf("units after the lost answer's retry = %v, want 2 (not run again)", got)
		}
	})
}

// Lists take their filters, sort and paging from the query string, and
// paths under a warehouse take its id: with several rows, a filter that is
// ignored would show.
func TestListsFiltersAndTrees(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, c := newServer(t, db)
		pcs, box := c.units()
		for i, name := range []string{"农夫山泉 550ml", "可口可乐 330ml", "百事可乐 330ml", "康师傅冰红茶"} {
			c.must(201, "POST", "/api/v1/items", itemBody(fmt.Sprintf("I%d", i), name, pcs, box, fmt.Sprintf("690000000000%d", i), ""))
		}
		count := func(path string) float64 { return c.must(200, "GET", path, nil)["total"].(float64) }
		for path, want := range map[string]float64{
			"/api/v1/items":                      4,
			"/api/v1/items?q=nfsq":               1, // 助记码
			"/api/v1/items?q=%E5%8F%AF%E4%B9%90": 2, // 可乐 in the name
			"/api/v1/items?q=6900000000002":      1, // barcode
			"/api/v1/items?q=i3":                 1, // code, any case
			"/api/v1/items?mnemonic=ksf":         1,
			"/api/v1/items?archived=archived":    0,
		} {
			if got := count(path); got != want {
				t.Errorf("GET %s total = %v, want %v", path, got, want)
			}
		}
		pg := c.must(200, "GET", "/api/v1/items?sort=-code&limit=2&offset=1", nil)
		items := pg["items"].([]any)
		if len(items) != 2 || items[0].(map[string]any)["code"] != "I2" || pg["limit"].(float64) != 2 {
			t.Errorf("sorted page = %v", pg)
		}

		c.must(201, "POST", "/api/v1/partners", map[string]any{"code": "S1", "name": "清泉饮品", "kind": "supplier"})
		c.must(201, "POST", "/api/v1/partners", map[string]any{"code": "B1", "name": "两用商行", "kind": "both", "tags": []string{"批发"}})
		c.must(201, "POST", "/api/v1/partners", map[string]any{"code": "C1", "name": "华联超市", "kind": "customer", "tags": []string{"连锁"}})
		for path, want := range map[string]float64{
			"/api/v1/partners?kind=supplier": 2, "/api/v1/partners?kind=customer": 2,
			"/api/v1/partners?tag=%E8%BF%9E%E9%94%81": 1, "/api/v1/partners?q=hlcs": 1,
		} {
			if got := count(path); got != want {
				t.Errorf("GET %s total = %v, want %v", path, got, want)
			}
		}

		wh := c.must(201, "POST", "/api/v1/warehouses", map[string]any{"code": "SH", "name": "上海仓"})
		base := fmt.Sprintf("/api/v1/warehouses/%d/locations", int(wh["id"].(float64)))
		zone := c.must(201, "POST", base, map[string]any{"code": "A", "name": "A区"})
		if zone["parent_id"].(float64) != wh["root_location_id"].(float64) {
			t.Errorf("bin parent = %v, want the warehouse root %v", zone["parent_id"], wh["root_location_id"])
		}
		c.must(201, "POST", base, map[string]any{"code": "A-01", "name": "A区01架", "parent_id": zone["id"]})
		r := c.do("GET", base, nil)
		var tree []map[string]any
		if err := json.Unmarshal(r.body, &tree); err != nil || len(tree) != 3 {
			t.Errorf("location tree = %d %s", r.status, r.body)
		}
	})
}

func TestExportXLSX(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv, c := newServer(t, db)
		r := c.do("POST", "/api/v1/exports/xlsx", map[string]any{"sheet": "商品", "columns": []string{"编码", "名称"}, "rows": [][]string{{"A1", "可乐"}}})
		if r.status != 200 || r.header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
			!strings.Contains(r.header.Get("Content-Disposition"), "xlsx") || !bytes.HasPrefix(r.body, []byte("PK")) {
			t.Errorf("export = %d %v %.40q", r.status, r.header, r.body)
		}
		// Figures go out as numbers Excel can add up; codes stay text.
		r = c.do("POST", "/api/v1/exports/xlsx", map[string]any{"sheet": "s", "columns": []string{"编码", "金额"}, "numeric": []bool{false, true},
			"rows": [][]string{{"007", "1,234.50"}}})
		f, err := excelize.OpenReader(bytes.NewReader(r.body))
		if err != nil {
			t.Fatal(err)
		}
		code, _ := f.GetCellValue("s", "A2", excelize.Options{RawCellValue: true})
		amount, _ := f.GetCellValue("s", "B2", excelize.Options{RawCellValue: true})
		kind, _ := f.GetCellType("s", "B2")
		if code != "007" || amount != "1234.5" || kind != excelize.CellTypeUnset {
			t.Errorf("figures: code %q, amount %q of type %v", code, amount, kind)
		}
		anon := &client{t: t, h: srv}
		anon.must(401, "POST", "/api/v1/exports/xlsx", map[string]any{"columns": []string{"a"}, "rows": [][]string{}})
	})
}

func TestSessionState(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := service.New(db, quiet, testConfig())
		c := &client{t: t, h: httpapi.New(svc, httpapi.Options{Log: quiet})}
		if got := c.must(200, "GET", "/api/v1/auth/session", nil); got["setup_needed"] != true || got["me"] != nil {
			t.Errorf("before setup = %v", got)
		}
		c.must(201, "POST", "/api/v1/setup", map[string]any{"username": "boss", "password": adminPassword, "company_name": "x"})
		if got := c.must(200, "GET", "/api/v1/auth/session", nil); got["setup_needed"] != false || got["me"] != nil {
			t.Errorf("signed out = %v", got)
		}
		c.login("boss", adminPassword)
		got := c.must(200, "GET", "/api/v1/auth/session", nil)
		if me, _ := got["me"].(map[string]any); me == nil || me["user"].(map[string]any)["username"] != "boss" {
			t.Errorf("signed in = %v", got)
		}
		if got["today"] != svc.Today().String() {
			t.Errorf("today = %v, want %s", got["today"], svc.Today())
		}

		// The business day is the server's time zone's, whatever the browser's:
		// Shanghai is 8 hours east of UTC.
		cfg := testConfig()
		cfg.Location = time.FixedZone("CST", 8*3600)
		cst := &client{t: t, h: httpapi.New(service.New(db, quiet, cfg), httpapi.Options{Log: quiet})}
		if got := cst.must(200, "GET", "/api/v1/auth/session", nil); got["utc_offset"] != float64(480) {
			t.Errorf("utc_offset in Shanghai = %v, want 480", got["utc_offset"])
		}
	})
}

// Business dates travel as YYYY-MM-DD both ways (a price list's validity).
func TestPriceListDates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, c := newServer(t, db)
		pcs, box := c.units()
		item := c.must(201, "POST", "/api/v1/items", itemBody("A1", "苹果", pcs, box, "", ""))["id"]
		pl := c.must(201, "POST", "/api/v1/price-lists", map[string]any{"code": "P1", "name": "合同价", "kind": "sale",
			"valid_from": "2026-07-01", "valid_to": "2027-06-30", "lines": []any{map[string]any{"item_id": item, "price": "2.8"}}})
		if pl["valid_from"] != "2026-07-01" || pl["valid_to"] != "2027-06-30" {
			t.Errorf("dates = %v / %v", pl["valid_from"], pl["valid_to"])
		}
		path := fmt.Sprintf("/api/v1/price-lists/%d", int(pl["id"].(float64)))
		got := c.must(200, "GET", path, nil)
		if got["valid_from"] != "2026-07-01" {
			t.Errorf("read back valid_from = %v", got["valid_from"])
		}
		// What was read can be saved again unchanged.
		got["name"] = "合同价 2026"
		delete(got, "id")
		c.must(200, "PUT", path, got)
		bad := c.must(400, "POST", "/api/v1/price-lists", map[string]any{"code": "P2", "name": "x", "kind": "sale", "valid_from": "2026-13-45"})
		if errs := bad["errors"].([]any); errs[0].(map[string]any)["field"] != "valid_from" {
			t.Errorf("bad date errors = %v", errs)
		}
	})
}

// cancelOnCommit cancels a request's context when the transaction it is
// armed for commits: a client that hangs up just after its command
// committed, while the server is still writing the answer.
type cancelOnCommit struct {
	mu     sync.Mutex
	cancel context.CancelFunc
}

func (h *cancelOnCommit) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}

func (h *cancelOnCommit) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	if e.Query != "COMMIT" {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cancel != nil {
		h.cancel()
		h.cancel = nil
	}
}

// A client that hangs up after its command committed and retries with the
// same key gets the command's answer, not a stored error: the request's
// work after the commit (a purchase order is read back for its answer)
// finishes whether the client is still there or not, so the answer stored
// for the key is the real one.
func TestIdempotentAnswerAfterClientLeft(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv, admin := newServer(t, db)
		pcs, box := admin.units()
		tea := admin.must(201, "POST", "/api/v1/items", itemBody("TEA", "茶", pcs, box, "6900000000031", "6900000000048"))["id"].(float64)
		wh := admin.must(201, "POST", "/api/v1/warehouses", map[string]any{"code": "W1", "name": "总仓"})["id"].(float64)
		sup := admin.must(201, "POST", "/api/v1/partners", map[string]any{"code": "S1", "name": "饮料批发", "kind": "supplier"})["id"].(float64)
		body := map[string]any{"partner_id": sup, "warehouse_id": wh, "lines": []any{map[string]any{"item_id": tea, "qty": "7", "price": "3.30"}}}
		raw, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		hook := &cancelOnCommit{}
		db.AddQueryHook(hook)
		ctx, cancel := context.WithCancel(context.Background())
		hook.mu.Lock()
		hook.cancel = cancel
		hook.mu.Unlock()
		req := httptest.NewRequestWithContext(ctx, "POST", "/api/v1/purchase/orders?post=true", bytes.NewReader(raw))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Cookie", admin.cookie)
		req.Header.Set("Idempotency-Key", "gone-1")
		srv.ServeHTTP(httptest.NewRecorder(), req) // nobody reads this answer: the client left
		if ctx.Err() == nil {
			t.Fatal("the request was not cancelled at its commit")
		}
		r := admin.do("POST", "/api/v1/purchase/orders?post=true", body, "Idempotency-Key", "gone-1")
		if r.status != 201 || r.json(t)["number"] == nil {
			t.Errorf("the retry after the client left = %d %s, want 201 and the order", r.status, r.body)
		}
		if got := admin.must(200, "GET", "/api/v1/purchase/orders", nil)["total"].(float64); got != 1 {
			t.Errorf("purchase orders = %v, want 1", got)
		}
	})
}
