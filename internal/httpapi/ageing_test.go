package httpapi_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"github.com/jxc-erp/jxc/internal/demo"
	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/httpapi"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// Stock ageing (库龄) on the demo company with a category of our own: an
// item opened 10 at 2.00 on day −100 and received 5 at 2.00 on day −10 is
// 5 (0–30 days, 10.00) and 10 (91–180 days, 20.00), 100 days at the
// oldest. Over the whole demo the pages add up to the report and every
// bucket to the totals; the export has translated headers; a bad as_of or
// sort is a 400 naming the field; without data.cost.read no values, and
// without report.stock.read a 403.
func TestAgeingAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := service.New(db, quiet, testConfig())
		if _, err := demo.Load(context.Background(), svc); err != nil {
			t.Fatal(err)
		}
		srv := httpapi.New(svc, httpapi.Options{Log: quiet})
		c := &client{t: t, h: srv}
		c.must(201, "POST", "/api/v1/setup", map[string]any{"username": "boss", "password": adminPassword})
		c.login("boss", adminPassword)
		today := svc.Today()
		day := func(n int) string { return domain.Date{Time: today.AddDate(0, 0, n)}.String() }

		wh := c.must(200, "GET", "/api/v1/warehouses?limit=500", nil)["items"].([]any)[0].(map[string]any)["id"]
		unit := c.must(201, "POST", "/api/v1/units", map[string]any{"code": "AG-PCS", "name": "件"})["id"]
		cat := c.must(201, "POST", "/api/v1/categories", map[string]any{"code": "AG-CAT", "name": "库龄测试"})["id"]
		item := c.must(201, "POST", "/api/v1/items", map[string]any{"code": "AG-X", "name": "库龄甲", "name_en": "Ageing X", "base_unit_id": unit,
			"category_id": cat, "tax_rate": "0"})["id"]
		c.must(201, "POST", "/api/v1/stock/documents?post=true", map[string]any{"type": "stock_opening", "warehouse_id": wh, "date": day(-100),
			"lines": []any{map[string]any{"item_id": item, "qty": "10", "price": "2"}}})
		c.must(201, "POST", "/api/v1/stock/documents?post=true", map[string]any{"type": "stock_in", "reason": "other", "warehouse_id": wh, "date": day(-10),
			"lines": []any{map[string]any{"item_id": item, "qty": "5", "price": "2"}}})

		row := func(m map[string]any) string {
			s := fmt.Sprintf("%v %v %v/%v", m["code"], m["name"], m["on_hand"], m["value"])
			for _, b := range m["buckets"].([]any) {
				b := b.(map[string]any)
				s += fmt.Sprintf(" %v/%v", b["qty"], b["value"])
			}
			return s + fmt.Sprintf(" oldest %v", m["oldest_days"])
		}
		page := c.must(200, "GET", fmt.Sprintf("/api/v1/reports/ageing?category_id=%v", cat), nil)
		want := "AG-X 库龄甲 15.0000/30.00 5.0000/10.00 0.0000/0.00 0.0000/0.00 10.0000/20.00 0.0000/0.00 oldest 100"
		if items := page["items"].([]any); len(items) != 1 || row(items[0].(map[string]any)) != want {
			t.Errorf("the category: %v", page["items"])
		}
		// As of day −50 only the opening, 50 days old.
		page = c.must(200, "GET", fmt.Sprintf("/api/v1/reports/ageing?category_id=%v&as_of=%s", cat, day(-50)), nil)
		if items := page["items"].([]any); len(items) != 1 ||
			row(items[0].(map[string]any)) != "AG-X 库龄甲 10.0000/20.00 0.0000/0.00 10.0000/20.00 0.0000/0.00 0.0000/0.00 0.0000/0.00 oldest 50" {
			t.Errorf("the category as of day −50: %v", page["items"])
		}

		// The whole demo: pages of 7 add up to the report, each with the
		// same totals, and the rows' buckets to the totals.
		whole := c.must(200, "GET", "/api/v1/reports/ageing?limit=500", nil)
		items := whole["items"].([]any)
		tot := whole["totals"].(map[string]any)
		if len(items) < 5 || whole["total"] != float64(len(items)) || tot["items"] != float64(len(items)) {
			t.Fatalf("the demo ages %d items, total %v", len(items), whole["total"])
		}
		sums := make([]domain.Money, 5)
		var value domain.Money
		for _, it := range items {
			m := it.(map[string]any)
			v, _ := domain.ParseMoney(m["value"].(string))
			value += v
			var own domain.Money
			for i, b := range m["buckets"].([]any) {
				bv, _ := domain.ParseMoney(b.(map[string]any)["value"].(string))
				sums[i] += bv
				own += bv
			}
			if own != v {
				t.Errorf("%v: buckets %s, value %s", m["code"], own, v)
			}
		}
		if value.String() != tot["value"] {
			t.Errorf("rows add up to %s, totals %v", value, tot["value"])
		}
		for i, b := range tot["buckets"].([]any) {
			if sums[i].String() != b.(map[string]any)["value"] {
				t.Errorf("bucket %d: rows %s, totals %v", i, sums[i], b)
			}
		}
		var paged []any
		for off := 0; off < len(items)+7; off += 7 {
			p := c.must(200, "GET", fmt.Sprintf("/api/v1/reports/ageing?limit=7&offset=%d", off), nil)
			paged = append(paged, p["items"].([]any)...)
			if fmt.Sprint(p["totals"]) != fmt.Sprint(tot) || p["total"] != float64(len(items)) {
				t.Errorf("offset %d: totals %v total %v", off, p["totals"], p["total"])
			}
		}
		if fmt.Sprint(paged) != fmt.Sprint(items) {
			t.Errorf("%d rows in pages, %d in one", len(paged), len(items))
		}

		// The export: a row per item, English names in English.
		r := c.do("GET", "/api/v1/reports/ageing/export?lang=en", nil)
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
			t.Fatalf("export = %d %v", r.status, r.header)
		}
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.body, []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		head := "Code,Name,Unit,On hand,Value,0–30 days qty,31–60 days qty,61–90 days qty,91–180 days qty,Over 180 days qty," +
			"0–30 days value,31–60 days value,61–90 days value,91–180 days value,Over 180 days value,Oldest (days)"
		if strings.Join(recs[0], ",") != head || len(recs) != len(items)+1 {
			t.Errorf("export: header %q, %d rows for %d items", recs[0], len(recs)-1, len(items))
		}
		if first := items[0].(map[string]any); recs[1][0] != first["code"] || recs[1][4] != first["value"] {
			t.Errorf("export row 1 %q, list row 1 %v", recs[1], first)
		}
		r = c.do("GET", fmt.Sprintf("/api/v1/reports/ageing/export?category_id=%v&lang=en", cat), nil)
		if !strings.Contains(string(r.body), "AG-X,Ageing X,件,15.0000,30.00,5.0000,0.0000,0.0000,10.0000,0.0000,10.00,0.00,0.00,20.00,0.00,100") {
			t.Errorf("export of the category in English: %s", r.body)
		}
		r = c.do("GET", fmt.Sprintf("/api/v1/reports/ageing/export?category_id=%v&lang=zh-CN", cat), nil)
		if h, _, _ := strings.Cut(strings.TrimPrefix(string(r.body), "\ufeff"), "\n"); !strings.HasPrefix(h, "编码,名称,单位,现存量,库存金额,0–30天数量") {
			t.Errorf("export header in Chinese %q", h)
		}

		for q, field := range map[string]string{"as_of=x": "as_of", "as_of=2026-13-01": "as_of", "sort=value": "sort"} {
			for _, path := range []string{"/api/v1/reports/ageing?", "/api/v1/reports/ageing/export?"} {
				r := c.do("GET", path+q, nil)
				if r.status != 400 || !strings.Contains(string(r.body), `"field":"`+field+`"`) {
					t.Errorf("%s%s = %d %s, want 400 naming %s", path, q, r.status, r.body, field)
				}
			}
		}

		// A storeman who may read stock reports but not costs; a clerk who may not.
		co := c.must(200, "GET", "/api/v1/auth/me", nil)["company_id"]
		user := func(name string, perms ...string) *client {
			role := c.must(201, "POST", "/api/v1/roles", map[string]any{"code": name, "name": name, "perms": perms, "warehouse_ids": []any{}})
			c.must(201, "POST", "/api/v1/users", map[string]any{"username": name, "password": name + " password 1", "active": true,
				"roles": []any{map[string]any{"company_id": co, "role_id": role["id"]}}})
			u := &client{t: t, h: srv}
			u.login(name, name+" password 1")
			return u
		}
		storeman := user("storeman", "report.stock.read")
		mine := storeman.must(200, "GET", fmt.Sprintf("/api/v1/reports/ageing?category_id=%v", cat), nil)
		if items := mine["items"].([]any); len(items) != 1 ||
			row(items[0].(map[string]any)) != "AG-X 库龄甲 15.0000/0.00 5.0000/0.00 0.0000/0.00 0.0000/0.00 10.0000/0.00 0.0000/0.00 oldest 100" ||
			mine["totals"].(map[string]any)["value"] != "0.00" {
			t.Errorf("the storeman sees %v", mine)
		}
		r = storeman.do("GET", "/api/v1/reports/ageing/export?lang=en", nil)
		if h, _, _ := strings.Cut(strings.TrimPrefix(string(r.body), "\ufeff"), "\n"); strings.TrimSpace(h) !=
			"Code,Name,Unit,On hand,0–30 days qty,31–60 days qty,61–90 days qty,91–180 days qty,Over 180 days qty,Oldest (days)" {
			t.Errorf("the storeman's export header %q", h)
		}
		clerk := user("clerk", "stock.balance.read", "report.sales.read", "data.cost.read")
		clerk.must(403, "GET", "/api/v1/reports/ageing", nil)
		clerk.must(403, "GET", "/api/v1/reports/ageing/export", nil)
	})
}
