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

// The ABC analysis (ABC 分类) on the demo company with a category of our
// own whose three items sell 70.00, 20.00 and 10.00 (no tax, cost 1.00
// each): their shares, running shares and classes are computed by hand;
// over the whole demo the pages add up to the ranking, the classes to the
// totals and the totals to the sales analysis's net sales; the export has a
// row per item with translated headers; bad thresholds and measures are
// 400s naming the field; ranking by profit without data.cost.read and
// reading without report.sales.read are 403s.
func TestAbcAnalysisAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := service.New(db, quiet, testConfig())
		if _, err := demo.Load(context.Background(), svc); err != nil {
			t.Fatal(err)
		}
		srv := httpapi.New(svc, httpapi.Options{Log: quiet})
		c := &client{t: t, h: srv}
		c.must(201, "POST", "/api/v1/setup", map[string]any{"username": "boss", "password": adminPassword})
		c.login("boss", adminPassword)
		span := "from=2000-01-01&to=" + svc.Today().String()

		wh := c.must(200, "GET", "/api/v1/warehouses?limit=500", nil)["items"].([]any)[0].(map[string]any)["id"]
		unit := c.must(201, "POST", "/api/v1/units", map[string]any{"code": "AB-PCS", "name": "件"})["id"]
		cat := c.must(201, "POST", "/api/v1/categories", map[string]any{"code": "AB-CAT", "name": "分类测试"})["id"]
		var stock, sold []any
		for _, it := range []struct{ code, name, en, qty string }{{"AB-X", "分类甲", "ABC test X", "7"}, {"AB-Y", "分类乙", "ABC test Y", "2"}, {"AB-Z", "分类丙", "ABC test Z", "1"}} {
			id := c.must(201, "POST", "/api/v1/items", map[string]any{"code": it.code, "name": it.name, "name_en": it.en, "base_unit_id": unit,
				"category_id": cat, "tax_rate": "0"})["id"]
			stock = append(stock, map[string]any{"item_id": id, "qty": "100", "price": "1"})
			sold = append(sold, map[string]any{"item_id": id, "qty": it.qty, "price": "10", "tax_rate": "0"})
		}
		c.must(201, "POST", "/api/v1/stock/documents?post=true", map[string]any{"type": "stock_opening", "warehouse_id": wh, "lines": stock})
		cust := c.must(201, "POST", "/api/v1/partners", map[string]any{"code": "AB-C1", "name": "分类客户", "kind": "customer"})["id"]
		c.must(201, "POST", "/api/v1/sales/shipments?post=true", map[string]any{"partner_id": cust, "warehouse_id": wh, "lines": sold})

		rows := func(page map[string]any) []string {
			var got []string
			for _, it := range page["items"].([]any) {
				m := it.(map[string]any)
				got = append(got, fmt.Sprintf("%v %v %v m %v net %v gp %v share %v cum %v %v", m["rank"], m["code"], m["name"], m["measure"], m["net_sales"],
					m["gross_profit"], m["share"], m["cum_share"], m["class"]))
			}
			return got
		}
		for q, want := range map[string][]string{
			// Of 100.00: 70, 20, 10 %; before them 0, 70 (A), 90 (B).
			"": {
				"1 AB-X 分类甲 m 70.00 net 70.00 gp 63.00 share 70.00 cum 70.00 A",
				"2 AB-Y 分类乙 m 20.00 net 20.00 gp 18.00 share 20.00 cum 90.00 A",
				"3 AB-Z 分类丙 m 10.00 net 10.00 gp 9.00 share 10.00 cum 100.00 B",
			},
			// 70/90: 70 is not below 70, B; 90 not below 90, C.
			"&a=70&b=90": {
				"1 AB-X 分类甲 m 70.00 net 70.00 gp 63.00 share 70.00 cum 70.00 A",
				"2 AB-Y 分类乙 m 20.00 net 20.00 gp 18.00 share 20.00 cum 90.00 B",
				"3 AB-Z 分类丙 m 10.00 net 10.00 gp 9.00 share 10.00 cum 100.00 C",
			},
		} {
			page := c.must(200, "GET", fmt.Sprintf("/api/v1/reports/abc?category_id=%v&%s%s", cat, span, q), nil)
			if got := rows(page); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("category%s:\n got %q\nwant %q", q, got, want)
			}
		}
		// By profit, 90.00: 70, 20, 10 % again.
		profit := c.must(200, "GET", fmt.Sprintf("/api/v1/reports/abc?category_id=%v&measure=profit&%s", cat, span), nil)
		if got, want := rows(profit), []string{
			"1 AB-X 分类甲 m 63.00 net 70.00 gp 63.00 share 70.00 cum 70.00 A",
			"2 AB-Y 分类乙 m 18.00 net 20.00 gp 18.00 share 20.00 cum 90.00 A",
			"3 AB-Z 分类丙 m 9.00 net 10.00 gp 9.00 share 10.00 cum 100.00 B",
		}; strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("category by profit:\n got %q\nwant %q", got, want)
		}
		if tot := fmt.Sprint(profit["totals"]); tot != "map[a:map[items:2 measure:81.00 share:90.00] b:map[items:1 measure:9.00 share:10.00] c:map[items:0 measure:0.00 share:0.00] items:3 measure:90.00]" {
			t.Errorf("category by profit totals %s", tot)
		}

		// The whole demo: pages of 7 add up to the ranking, every page with
		// the same totals; the ranks run 1…n; the classes add up to the
		// totals, which are the sales analysis's net sales.
		whole := c.must(200, "GET", "/api/v1/reports/abc?limit=500&"+span, nil)
		items := whole["items"].([]any)
		if len(items) < 5 || whole["total"] != float64(len(items)) {
			t.Fatalf("the demo ranks %d items, total %v", len(items), whole["total"])
		}
		tot := whole["totals"].(map[string]any)
		var n int
		var m domain.Money
		for _, k := range []string{"a", "b", "c"} {
			cl := tot[k].(map[string]any)
			n += int(cl["items"].(float64))
			v, _ := domain.ParseMoney(cl["measure"].(string))
			m += v
		}
		if n != len(items) || m.String() != tot["measure"] || tot["items"] != float64(len(items)) {
			t.Errorf("classes add up to %d items, %s; totals %v", n, m, tot)
		}
		if net := c.must(200, "GET", "/api/v1/reports/sales?by=item&"+span, nil)["totals"].(map[string]any)["net_sales"]; net != tot["measure"] {
			t.Errorf("ABC net sales %v, sales analysis %v", tot["measure"], net)
		}
		var perClass = map[string]int{}
		for i, it := range items {
			r := it.(map[string]any)
			perClass[r["class"].(string)]++
			if r["rank"] != float64(i+1) {
				t.Errorf("row %d has rank %v", i+1, r["rank"])
			}
		}
		for k, cl := range map[string]string{"A": "a", "B": "b", "C": "c"} {
			if float64(perClass[k]) != tot[cl].(map[string]any)["items"] {
				t.Errorf("class %s: %d rows, totals %v", k, perClass[k], tot[cl])
			}
		}
		var paged []any
		for off := 0; off < len(items)+7; off += 7 {
			p := c.must(200, "GET", fmt.Sprintf("/api/v1/reports/abc?limit=7&offset=%d&%s", off, span), nil)
			paged = append(paged, p["items"].([]any)...)
			if fmt.Sprint(p["totals"]) != fmt.Sprint(tot) || p["total"] != float64(len(items)) {
				t.Errorf("offset %d: totals %v total %v", off, p["totals"], p["total"])
			}
		}
		if fmt.Sprint(paged) != fmt.Sprint(items) {
			t.Errorf("%d rows in pages, %d in one", len(paged), len(items))
		}

		// The export: a row per item; English names in English.
		r := c.do("GET", "/api/v1/reports/abc/export?lang=en&"+span, nil)
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
			t.Fatalf("export = %d %v", r.status, r.header)
		}
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.body, []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if head := "Rank,Code,Name,Unit,Net quantity,Net sales,Gross profit,Share %,Cumulative share %,Class"; strings.Join(recs[0], ",") != head || len(recs) != len(items)+1 {
			t.Errorf("export: header %q, %d rows for %d items", recs[0], len(recs)-1, len(items))
		}
		first := items[0].(map[string]any)
		if recs[1][0] != "1" || recs[1][1] != first["code"] || recs[1][5] != first["net_sales"] || recs[1][8] != first["cum_share"] || recs[1][9] != first["class"] {
			t.Errorf("export row 1 %q, list row 1 %v", recs[1], first)
		}
		r = c.do("GET", fmt.Sprintf("/api/v1/reports/abc/export?category_id=%v&lang=en&%s", cat, span), nil)
		if !strings.Contains(string(r.body), "1,AB-X,ABC test X,件,7.0000,70.00,63.00,70.00,70.00,A") {
			t.Errorf("export of the category in English: %s", r.body)
		}
		r = c.do("GET", fmt.Sprintf("/api/v1/reports/abc/export?category_id=%v&lang=zh-CN&%s", cat, span), nil)
		if h, _, _ := strings.Cut(strings.TrimPrefix(string(r.body), "\ufeff"), "\n"); strings.TrimSpace(h) != "排名,编码,名称,单位,净销量,净销售额,毛利,占比%,累计占比%,分类" {
			t.Errorf("export header in Chinese %q", h)
		}

		for q, field := range map[string]string{"a=x": "a", "a=0": "a", "a=-5": "a", "a=100": "a", "b=101": "b", "a=90&b=80": "b", "a=80&b=80": "b",
			"b=0": "b", "a=1.001": "a", "measure=qty": "measure", "from=2026-12-01": "to", "from=2026-12-02&to=2026-12-01": "to"} {
			r := c.do("GET", "/api/v1/reports/abc?"+q, nil)
			if r.status != 400 || !strings.Contains(string(r.body), `"field":"`+field+`"`) {
				t.Errorf("%s = %d %s, want 400 naming %s", q, r.status, r.body, field)
			}
		}

		// A seller who may read sales reports but not costs; a clerk who may not.
		co := c.must(200, "GET", "/api/v1/auth/me", nil)["company_id"]
		user := func(name string, perms ...string) *client {
			role := c.must(201, "POST", "/api/v1/roles", map[string]any{"code": name, "name": name, "perms": perms, "warehouse_ids": []any{}})
			c.must(201, "POST", "/api/v1/users", map[string]any{"username": name, "password": name + " password 1", "active": true,
				"roles": []any{map[string]any{"company_id": co, "role_id": role["id"]}}})
			u := &client{t: t, h: srv}
			u.login(name, name+" password 1")
			return u
		}
		seller := user("seller", "report.sales.read")
		mine := seller.must(200, "GET", fmt.Sprintf("/api/v1/reports/abc?category_id=%v&%s", cat, span), nil)
		if got := rows(mine); len(got) != 3 || got[0] != "1 AB-X 分类甲 m 70.00 net 70.00 gp 0.00 share 70.00 cum 70.00 A" {
			t.Errorf("the seller sees %q", got)
		}
		seller.must(403, "GET", "/api/v1/reports/abc?measure=profit", nil)
		seller.must(403, "GET", "/api/v1/reports/abc/export?measure=profit", nil)
		r = seller.do("GET", "/api/v1/reports/abc/export?lang=en&"+span, nil)
		if h, _, _ := strings.Cut(strings.TrimPrefix(string(r.body), "\ufeff"), "\n"); strings.TrimSpace(h) != "Rank,Code,Name,Unit,Net quantity,Net sales,Share %,Cumulative share %,Class" {
			t.Errorf("the seller's export header %q", h)
		}
		clerk := user("clerk", "stock.balance.read", "report.purchase.read", "data.cost.read")
		clerk.must(403, "GET", "/api/v1/reports/abc", nil)
		clerk.must(403, "GET", "/api/v1/reports/abc/export", nil)
	})
}
