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

// The purchase analysis (采购分析) on the demo company with a supplier of
// our own: two receipts (a rejected quantity, a line discount), a return and
// a reversed receipt posted through the API. Our supplier's figures are what
// the comments compute; every grouping adds up to the same totals, which
// agree with the receipts' and returns' own totals (documents, not lines);
// pages add up to the whole; the export has a row per group; a caller
// without data.cost.read sees quantities only, one limited to a warehouse
// only its documents, and one without report.purchase.read nothing.
func TestPurchaseAnalysisAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := service.New(db, quiet, testConfig())
		if _, err := demo.Load(context.Background(), svc); err != nil {
			t.Fatal(err)
		}
		srv := httpapi.New(svc, httpapi.Options{Log: quiet})
		c := &client{t: t, h: srv}
		c.must(201, "POST", "/api/v1/setup", map[string]any{"username": "boss", "password": adminPassword})
		c.login("boss", adminPassword)
		today := svc.Today().String()
		span := "from=2000-01-01&to=" + today

		whs := c.must(200, "GET", "/api/v1/warehouses?limit=500", nil)["items"].([]any)
		if len(whs) < 2 {
			t.Fatalf("the demo company has %d warehouses, want 2 or more", len(whs))
		}
		wh, other := whs[0].(map[string]any)["id"], whs[1].(map[string]any)["id"]
		unit := c.must(201, "POST", "/api/v1/units", map[string]any{"code": "PA-PCS", "name": "件"})["id"]
		item := func(code, name, nameEn string) any {
			return c.must(201, "POST", "/api/v1/items", map[string]any{"code": code, "name": name, "name_en": nameEn, "base_unit_id": unit})["id"]
		}
		x, y := item("PA-X", "采购测试甲", "Purchase test X"), item("PA-Y", "采购测试乙", "Purchase test Y")
		supplier := func(code, name string) any {
			return c.must(201, "POST", "/api/v1/partners", map[string]any{"code": code, "name": name, "kind": "supplier"})["id"]
		}
		s1, s2 := supplier("PA-S1", "采购分析供应商一"), supplier("PA-S2", "采购分析供应商二")
		// R1 from S1: X 10 delivered, 2 rejected, 8 at 5.00 less 10 % =
		// 36.00; Y 4 at 3.00 = 12.00 (13 % tax on top, not counted).
		r1 := c.must(201, "POST", "/api/v1/purchase/receipts?post=true", map[string]any{"partner_id": s1, "warehouse_id": wh, "lines": []any{
			map[string]any{"item_id": x, "qty": "10", "rejected_qty": "2", "price": "5", "discount_rate": "10", "tax_rate": "13"},
			map[string]any{"item_id": y, "qty": "4", "price": "3", "tax_rate": "13"},
		}})
		// 3 X go back: 13.50.
		c.must(201, "POST", "/api/v1/purchase/returns?post=true", map[string]any{"partner_id": s1, "warehouse_id": wh, "lines": []any{
			map[string]any{"source_line_id": r1["lines"].([]any)[0].(map[string]any)["id"], "qty": "3"},
		}})
		// R2 from S2, reversed: it and its reversal are left out.
		r2 := c.must(201, "POST", "/api/v1/purchase/receipts?post=true", map[string]any{"partner_id": s2, "warehouse_id": wh, "lines": []any{
			map[string]any{"item_id": x, "qty": "6", "price": "4"},
		}})
		c.must(200, "POST", fmt.Sprintf("/api/v1/purchase/receipts/%v/reverse", r2["id"]), map[string]any{"note": "错录"})

		// S1's items: X 8 − 3 = 5 for 36.00 − 13.50 = 22.50, 4.5000 each; Y
		// 4 for 12.00, 3.0000 each.
		mine := c.must(200, "GET", fmt.Sprintf("/api/v1/reports/purchases?by=item&partner_id=%v&%s", s1, span), nil)
		var got []string
		for _, it := range mine["items"].([]any) {
			m := it.(map[string]any)
			got = append(got, fmt.Sprintf("%v %v %v qty %v in %v back %v net %v avg %v docs %v", m["code"], m["name"], m["unit_name"], m["qty"], m["purchases"],
				m["returns"], m["net_purchases"], m["avg_cost"], m["documents"]))
		}
		want := []string{
			"PA-X 采购测试甲 件 qty 5.0000 in 36.00 back 13.50 net 22.50 avg 4.5000 docs 2",
			"PA-Y 采购测试乙 件 qty 4.0000 in 12.00 back 0.00 net 12.00 avg 3.0000 docs 1",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("S1 by item:\n got %q\nwant %q", got, want)
		}
		if tot := mine["totals"].(map[string]any); tot["net_purchases"] != "34.50" || tot["avg_cost"] != nil {
			t.Errorf("S1 totals %v", tot)
		}
		none := c.must(200, "GET", fmt.Sprintf("/api/v1/reports/purchases?by=supplier&partner_id=%v&%s", s2, span), nil)
		if none["total"] != float64(0) || none["totals"].(map[string]any)["net_purchases"] != "0.00" {
			t.Errorf("the reversed receipt counts: %v", none)
		}

		// Every grouping has the same totals.
		type sums struct{ qty, in, back, net string }
		totalsOf := func(cl *client, query string) sums {
			tot := cl.must(200, "GET", "/api/v1/reports/purchases?"+query, nil)["totals"].(map[string]any)
			return sums{tot["qty"].(string), tot["purchases"].(string), tot["returns"].(string), tot["net_purchases"].(string)}
		}
		all := totalsOf(c, span)
		for _, by := range []string{"item", "category", "supplier", "month", "day"} {
			p := c.must(200, "GET", "/api/v1/reports/purchases?limit=500&by="+by+"&"+span, nil)
			if n := len(p["items"].([]any)); n == 0 || n != int(p["total"].(float64)) {
				t.Errorf("by %s: %d rows, total %v", by, n, p["total"])
			}
			if s := totalsOf(c, "by="+by+"&"+span); s != all {
				t.Errorf("by %s: totals %+v; by item %+v", by, s, all)
			}
		}
		// They agree with the documents' own totals (net, accepted base
		// quantity) over the posted receipts less the returns, reversed
		// ones and reversals left out.
		var qty domain.Qty
		var net domain.Money
		for path, sign := range map[string]int64{"receipts": 1, "returns": -1} {
			docs := c.must(200, "GET", "/api/v1/purchase/"+path+"?state=posted&limit=500&"+span, nil)["items"].([]any)
			for _, d := range docs {
				m := d.(map[string]any)
				if m["reversed_by_id"] != nil || m["reverses_id"] != nil {
					continue
				}
				q, _ := domain.ParseQty(m["total_qty"].(string))
				a, _ := domain.ParseMoney(m["total_amount"].(string))
				qty, net = qty+domain.Qty(sign)*q, net+domain.Money(sign)*a
			}
		}
		if qty.String() != all.qty || net.String() != all.net {
			t.Errorf("documents: qty %s net %s; analysis: qty %s net %s", qty, net, all.qty, all.net)
		}

		// Pages of 3 add up to the one page of every group, in the same order.
		whole := c.must(200, "GET", "/api/v1/reports/purchases?limit=500&"+span, nil)["items"].([]any)
		var paged []any
		for off := 0; off < len(whole)+3; off += 3 {
			p := c.must(200, "GET", fmt.Sprintf("/api/v1/reports/purchases?limit=3&offset=%d&%s", off, span), nil)
			paged = append(paged, p["items"].([]any)...)
			if p["totals"].(map[string]any)["net_purchases"] != all.net || p["total"] != float64(len(whole)) {
				t.Errorf("offset %d: totals %v total %v", off, p["totals"], p["total"])
			}
		}
		if fmt.Sprint(paged) != fmt.Sprint(whole) {
			t.Errorf("%d rows in pages, %d in one", len(paged), len(whole))
		}
		// The search finds a supplier by code and an item by English name.
		for q, code := range map[string]string{"by=supplier&q=pa-s1": "PA-S1", "by=item&q=purchase%20test%20y": "PA-Y"} {
			found := c.must(200, "GET", "/api/v1/reports/purchases?"+q+"&"+span, nil)["items"].([]any)
			if len(found) != 1 || found[0].(map[string]any)["code"] != code {
				t.Errorf("%s found %v, want %s", q, found, code)
			}
		}

		// The export, in English: a row per group, as the list has them.
		r := c.do("GET", "/api/v1/reports/purchases/export?lang=en&"+span, nil)
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
			t.Fatalf("export = %d %v", r.status, r.header)
		}
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.body, []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		head := "Code,Name,Unit,Net quantity,Purchases,Returns,Net purchases,Average unit cost,Documents"
		if strings.Join(recs[0], ",") != head || len(recs) != len(whole)+1 {
			t.Errorf("export: header %q, %d rows for %d groups", recs[0], len(recs)-1, len(whole))
		}
		first := whole[0].(map[string]any)
		avg, _ := first["avg_cost"].(string) // "" for none
		if recs[1][0] != first["code"] || recs[1][3] != first["qty"] || recs[1][6] != first["net_purchases"] || recs[1][7] != avg {
			t.Errorf("export row 1 %q, list row 1 %v", recs[1], first)
		}
		r = c.do("GET", fmt.Sprintf("/api/v1/reports/purchases/export?by=item&q=PA-X&lang=en&%s", span), nil)
		if !strings.Contains(string(r.body), "PA-X,Purchase test X,件,5.0000,36.00,13.50,22.50,4.5000,2") {
			t.Errorf("export of X in English: %s", r.body)
		}
		r = c.do("GET", "/api/v1/reports/purchases/export?by=month&lang=zh-CN&"+span, nil)
		if h, _, _ := strings.Cut(strings.TrimPrefix(string(r.body), "\ufeff"), "\n"); strings.TrimSpace(h) != "月份,采购额,退货额,净采购额,单据数" {
			t.Errorf("export by month header %q", h)
		}

		// A buyer who may read purchase reports but not costs; one who sees
		// another warehouse; a salesperson and a clerk who may not.
		co := c.must(200, "GET", "/api/v1/auth/me", nil)["company_id"]
		user := func(name string, warehouses []any, perms ...string) *client {
			role := c.must(201, "POST", "/api/v1/roles", map[string]any{"code": name, "name": name, "perms": perms, "warehouse_ids": warehouses})
			c.must(201, "POST", "/api/v1/users", map[string]any{"username": name, "password": name + " password 1", "active": true,
				"roles": []any{map[string]any{"company_id": co, "role_id": role["id"]}}})
			u := &client{t: t, h: srv}
			u.login(name, name+" password 1")
			return u
		}
		viewer := user("looker", []any{}, "report.purchase.read")
		p := viewer.must(200, "GET", "/api/v1/reports/purchases?by=supplier&limit=500&"+span, nil)
		for _, it := range append(p["items"].([]any), p["totals"]) {
			m := it.(map[string]any)
			if m["purchases"] != "0.00" || m["returns"] != "0.00" || m["net_purchases"] != "0.00" || m["avg_cost"] != nil {
				t.Errorf("the viewer sees amounts: %v", m)
			}
		}
		if s := totalsOf(viewer, span); s.qty != all.qty {
			t.Errorf("the viewer's quantity %s, want %s", s.qty, all.qty)
		}
		r = viewer.do("GET", "/api/v1/reports/purchases/export?lang=en&"+span, nil)
		if h, _, _ := strings.Cut(strings.TrimPrefix(string(r.body), "\ufeff"), "\n"); strings.TrimSpace(h) != "Code,Name,Unit,Net quantity,Documents" {
			t.Errorf("the viewer's export header %q", h)
		}
		scoped := user("scoped", []any{other}, "report.purchase.read", "data.cost.read")
		if got, want := totalsOf(scoped, span), totalsOf(c, fmt.Sprintf("warehouse_id=%v&%s", other, span)); got != want {
			t.Errorf("scoped to warehouse %v: %+v, want %+v", other, got, want)
		}
		if got := totalsOf(scoped, fmt.Sprintf("partner_id=%v&%s", s1, span)); got.net != "0.00" {
			t.Errorf("scoped to warehouse %v, S1's receipts in %v count: %+v", other, wh, got)
		}
		for _, u := range []*client{user("seller", []any{}, "report.sales.read", "data.cost.read"), user("clerk", []any{}, "stock.balance.read", "purchase.receipt.read")} {
			u.must(403, "GET", "/api/v1/reports/purchases", nil)
			u.must(403, "GET", "/api/v1/reports/purchases/export", nil)
		}

		for q, field := range map[string]string{"by=customer": "by", "by=salesperson": "by", "from=2026-12-01": "to", "from=2026-12-02&to=2026-12-01": "to",
			"from=2026-02-30&to=2026-03-01": "from"} {
			r := c.do("GET", "/api/v1/reports/purchases?"+q, nil)
			if r.status != 400 || !strings.Contains(string(r.body), `"field":"`+field+`"`) {
				t.Errorf("%s = %d %s, want 400 naming %s", q, r.status, r.body, field)
			}
		}
	})
}
