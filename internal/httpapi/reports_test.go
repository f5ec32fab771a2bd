package httpapi_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/jxc-erp/jxc/internal/demo"
	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/httpapi"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// The sales analysis (销售分析) on the demo company, which has delivery
// notes, counter sales and returns: every grouping adds up to the same net
// sales and cost, and those agree with the salesperson report, which sums
// documents instead of lines; pages add up to the whole; the export has a
// row per group; a caller without data.cost.read sees no cost, profit or
// margin, and one without report.sales.read nothing.
func TestSalesAnalysisAPI(t *testing.T) {
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

		type sums struct{ net, cost string }
		totals := map[string]sums{}
		for _, by := range []string{"item", "category", "customer", "salesperson", "month", "day"} {
			p := c.must(200, "GET", "/api/v1/reports/sales?limit=500&by="+by+"&"+span, nil)
			tot := p["totals"].(map[string]any)
			totals[by] = sums{tot["net_sales"].(string), tot["cost"].(string)}
			if n := len(p["items"].([]any)); n == 0 || n != int(p["total"].(float64)) {
				t.Errorf("by %s: %d rows, total %v", by, n, p["total"])
			}
		}
		for by, s := range totals {
			if s != totals["item"] {
				t.Errorf("by %s: net %s cost %s; by item: net %s cost %s", by, s.net, s.cost, totals["item"].net, totals["item"].cost)
			}
		}
		if totals["item"].net == "0.00" {
			t.Fatal("the demo company sold nothing")
		}
		// A category's filter keeps its lines and their cost only: a
		// category with sales adds up to its own row, one without shows
		// nothing (no item of another category with its cost alone).
		sold := map[int64]map[string]any{}
		for _, row := range c.must(200, "GET", "/api/v1/reports/sales?limit=500&by=category&"+span, nil)["items"].([]any) {
			m := row.(map[string]any)
			sold[int64(m["id"].(float64))] = m
		}
		cats := c.must(200, "GET", "/api/v1/categories?limit=500", nil)["items"].([]any)
		for _, cat := range cats {
			id := int64(cat.(map[string]any)["id"].(float64))
			q := fmt.Sprintf("&category_id=%d&%s", id, span)
			var net, cost domain.Money
			for _, row := range c.must(200, "GET", "/api/v1/reports/sales?limit=500&by=category"+q, nil)["items"].([]any) {
				m := row.(map[string]any)
				all := sold[int64(m["id"].(float64))]
				if all == nil || m["net_sales"] != all["net_sales"] || m["cost"] != all["cost"] {
					t.Errorf("category %d: row %v net %v cost %v; unfiltered %v", id, m["code"], m["net_sales"], m["cost"], all)
				}
				n, _ := domain.ParseMoney(m["net_sales"].(string))
				k, _ := domain.ParseMoney(m["cost"].(string))
				net, cost = net+n, cost+k
			}
			tot := c.must(200, "GET", "/api/v1/reports/sales?by=item"+q, nil)["totals"].(map[string]any)
			if tot["net_sales"] != net.String() || tot["cost"] != cost.String() {
				t.Errorf("category %d: its items net %v cost %v; its categories net %s cost %s", id, tot["net_sales"], tot["cost"], net, cost)
			}
		}
		if len(cats) < 2 || len(sold) == 0 {
			t.Errorf("%d categories, %d sold: the filter is not tested", len(cats), len(sold))
		}

		// The salesperson report, from document totals and the ledger.
		var net, cost domain.Money
		for _, r := range c.doList("/api/v1/reports/salespeople?" + span) {
			n, _ := domain.ParseMoney(r["net_sales"].(string))
			k, _ := domain.ParseMoney(r["cost"].(string))
			net, cost = net+n, cost+k
		}
		if net.String() != totals["item"].net || cost.String() != totals["item"].cost {
			t.Errorf("salesperson report: net %s cost %s; sales analysis: net %s cost %s", net, cost, totals["item"].net, totals["item"].cost)
		}

		// Pages of 7 add up to the one page of every group, in the same order.
		all := c.must(200, "GET", "/api/v1/reports/sales?limit=500&"+span, nil)["items"].([]any)
		var paged []any
		for off := 0; off < len(all)+7; off += 7 {
			p := c.must(200, "GET", fmt.Sprintf("/api/v1/reports/sales?limit=7&offset=%d&%s", off, span), nil)
			paged = append(paged, p["items"].([]any)...)
			if p["totals"].(map[string]any)["net_sales"] != totals["item"].net {
				t.Errorf("offset %d: totals %v", off, p["totals"])
			}
		}
		if fmt.Sprint(paged) != fmt.Sprint(all) {
			t.Errorf("%d rows in pages, %d in one", len(paged), len(all))
		}

		first := all[0].(map[string]any)
		// The search finds a group by its 助记码 and by its English name, as the item list does.
		top := c.must(200, "GET", fmt.Sprintf("/api/v1/items/%v", first["id"]), nil)
		for _, q := range []string{top["mnemonic"].(string), strings.ToLower(top["name_en"].(string))} {
			found := c.must(200, "GET", "/api/v1/reports/sales?limit=500&q="+url.QueryEscape(q)+"&"+span, nil)["items"].([]any)
			if !slices.ContainsFunc(found, func(x any) bool { return x.(map[string]any)["id"] == first["id"] }) {
				t.Errorf("q=%s did not find item %v", q, first["id"])
			}
		}

		r := c.do("GET", "/api/v1/reports/sales/export?lang=en&"+span, nil)
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
			t.Fatalf("export = %d %v", r.status, r.header)
		}
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.body, []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		head := "Code,Name,Unit,Net quantity,Sales,Returns,Net sales,Cost of sales,Gross profit,Margin %,Documents"
		if strings.Join(recs[0], ",") != head || len(recs) != len(all)+1 {
			t.Errorf("export: header %q, %d rows for %d groups", recs[0], len(recs)-1, len(all))
		}
		if recs[1][0] != first["code"] || recs[1][6] != first["net_sales"] || recs[1][8] != first["gross_profit"] {
			t.Errorf("export row 1 %q, list row 1 %v", recs[1], first)
		}

		// A salesperson who may read sales reports but not costs; a clerk who may not.
		co := c.must(200, "GET", "/api/v1/auth/me", nil)["company_id"]
		user := func(name string, perms ...string) *client {
			role := c.must(201, "POST", "/api/v1/roles", map[string]any{"code": name, "name": name, "perms": perms})
			c.must(201, "POST", "/api/v1/users", map[string]any{"username": name, "password": name + " password 1", "active": true,
				"roles": []any{map[string]any{"company_id": co, "role_id": role["id"]}}})
			u := &client{t: t, h: srv}
			u.login(name, name+" password 1")
			return u
		}
		seller := user("seller", "report.sales.read")
		p := seller.must(200, "GET", "/api/v1/reports/sales?by=customer&"+span, nil)
		for _, it := range append(p["items"].([]any), p["totals"]) {
			m := it.(map[string]any)
			if m["cost"] != "0.00" || m["gross_profit"] != "0.00" || m["margin"] != nil {
				t.Errorf("seller sees cost %v profit %v margin %v", m["cost"], m["gross_profit"], m["margin"])
			}
		}
		if p["totals"].(map[string]any)["net_sales"] != totals["item"].net {
			t.Errorf("seller's net sales %v, want %s", p["totals"], totals["item"].net)
		}
		r = seller.do("GET", "/api/v1/reports/sales/export?by=customer&lang=en&"+span, nil)
		if h, _, _ := strings.Cut(strings.TrimPrefix(string(r.body), "\ufeff"), "\n"); strings.TrimSpace(h) != "Code,Name,Sales,Returns,Net sales,Documents" {
			t.Errorf("seller's export header %q", h)
		}
		r = c.do("GET", "/api/v1/reports/sales/export?by=month&lang=zh-CN&"+span, nil)
		if h, _, _ := strings.Cut(strings.TrimPrefix(string(r.body), "\ufeff"), "\n"); strings.TrimSpace(h) != "月份,销售额,退货额,净销售额,销售成本,毛利,毛利率%,单据数" {
			t.Errorf("export by month header %q", h)
		}
		user("clerk", "stock.balance.read").must(403, "GET", "/api/v1/reports/sales", nil)
		for q, field := range map[string]string{"by=weekday": "by", "from=2026-12-01": "to", "from=2026-12-02&to=2026-12-01": "to", "from=2026-02-30&to=2026-03-01": "from"} {
			r := c.do("GET", "/api/v1/reports/sales?"+q, nil)
			if r.status != 400 || !strings.Contains(string(r.body), `"field":"`+field+`"`) {
				t.Errorf("%s = %d %s, want 400 naming %s", q, r.status, r.body, field)
			}
		}
	})
}

// doList is the body of a GET that answers with a JSON array.
func (c *client) doList(path string) []map[string]any {
	c.t.Helper()
	r := c.do("GET", path, nil)
	if r.status != 200 {
		c.t.Fatalf("GET %s = %d: %s", path, r.status, r.body)
	}
	var out []map[string]any
	if err := json.Unmarshal(r.body, &out); err != nil {
		c.t.Fatal(err)
	}
	return out
}
