package httpapi_test

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// The streamed exports through HTTP: the CSV of the balance list has the
// list's rows (every page of it) under headers in the caller's language,
// the NDJSON has the list's objects; a clerk limited to one warehouse and
// without data.cost.read gets that warehouse only and no value columns;
// the movement summary, its export and the per-warehouse totals answer.
func TestStockExportsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv, c := newServer(t, db)
		pcs, _ := c.units()
		var whs []float64
		for _, code := range []string{"W1", "W2"} {
			whs = append(whs, c.must(201, "POST", "/api/v1/warehouses", map[string]any{"code": code, "name": "仓库" + code})["id"].(float64))
		}
		for i := range 7 {
			id := c.must(201, "POST", "/api/v1/items", map[string]any{"code": fmt.Sprintf("SKU-%02d", i), "name": fmt.Sprintf("商品, \"%d\"", i),
				"base_unit_id": pcs})["id"].(float64)
			for j, wh := range whs {
				if (i+j)%3 == 0 {
					continue
				}
				c.must(201, "POST", "/api/v1/stock/documents?post=true", map[string]any{"type": "stock_opening", "warehouse_id": wh, "date": "2026-11-02",
					"lines": []any{map[string]any{"item_id": id, "qty": fmt.Sprint(i + j + 1), "price": "2.5"}}})
			}
		}
		list := func(c *client, query string) []map[string]any {
			var out []map[string]any
			for off := 0; ; off += 3 {
				p := c.must(200, "GET", fmt.Sprintf("/api/v1/stock/balances?limit=3&offset=%d&%s", off, query), nil)
				for _, r := range p["items"].([]any) {
					out = append(out, r.(map[string]any))
				}
				if !p["has_more"].(bool) {
					return out
				}
			}
		}
		csvOf := func(c *client, query string) [][]string {
			r := c.do("GET", "/api/v1/stock/balances/export?"+query, nil)
			if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") ||
				!strings.Contains(r.header.Get("Content-Disposition"), "attachment") {
				t.Fatalf("export %s = %d %v: %s", query, r.status, r.header, r.body)
			}
			if !bytes.HasPrefix(r.body, []byte("\ufeff")) {
				t.Errorf("no BOM: %q", r.body[:min(len(r.body), 10)])
			}
			recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.body, []byte("\ufeff")))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			return recs
		}

		rows := list(c, "group=location")
		recs := csvOf(c, "group=location&lang=en")
		wantHeader := []string{"Item code", "Item name", "Spec", "Unit", "Warehouse", "Bin", "On hand", "Reserved", "Available", "Unit cost", "Value"}
		if diff := cmp.Diff(wantHeader, recs[0]); diff != "" {
			t.Errorf("header (-want +got):\n%s", diff)
		}
		var want [][]string
		for _, r := range rows {
			want = append(want, []string{r["item_code"].(string), r["item_name"].(string), "", "个", r["warehouse_name"].(string), r["location_code"].(string),
				r["on_hand"].(string), r["reserved"].(string), r["available"].(string), r["unit_cost"].(string), r["value"].(string)})
		}
		if len(rows) != 9 {
			t.Errorf("%d balance rows, want 9", len(rows))
		}
		if diff := cmp.Diff(want, recs[1:]); diff != "" {
			t.Errorf("CSV rows differ from the list (-list +csv):\n%s", diff)
		}
		c.lang = "zh-CN"
		if h := csvOf(c, "group=item")[0]; strings.Join(h, ",") != "商品编码,商品名称,规格,单位,现存量,已预留,可用量,单位成本,库存金额" {
			t.Errorf("zh-CN header by item: %q", h)
		}
		c.lang = ""

		r := c.do("GET", "/api/v1/stock/balances/export?format=ndjson&group=warehouse", nil)
		if r.status != 200 || r.header.Get("Content-Type") != "application/x-ndjson" {
			t.Fatalf("ndjson = %d %v", r.status, r.header)
		}
		var objs []map[string]any
		for sc := bufio.NewScanner(bytes.NewReader(r.body)); sc.Scan(); {
			var m map[string]any
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				t.Fatal(err)
			}
			objs = append(objs, m)
		}
		if diff := cmp.Diff(list(c, "group=warehouse"), objs); diff != "" {
			t.Errorf("NDJSON differs from the list (-list +ndjson):\n%s", diff)
		}
		c.must(400, "GET", "/api/v1/stock/balances/export?as_of=2026-13-01", nil)

		// A clerk of W2 (SKU-00, 01, 03, 04, 06: 2 + 3 + 5 + 6 + 8) who may not see costs.
		co := c.must(200, "GET", "/api/v1/auth/me", nil)["company_id"]
		role := c.must(201, "POST", "/api/v1/roles", map[string]any{"code": "w2clerk", "name": "W2 仓管",
			"perms": []string{"stock.balance.read", "report.stock.read"}, "warehouse_ids": []float64{whs[1]}})
		c.must(201, "POST", "/api/v1/users", map[string]any{"username": "clerk", "password": "clerk password 1", "active": true,
			"roles": []any{map[string]any{"company_id": co, "role_id": role["id"]}}})
		clerk := &client{t: t, h: srv, lang: "en"}
		clerk.login("clerk", "clerk password 1")
		recs = csvOf(clerk, "group=location")
		if diff := cmp.Diff(wantHeader[:9], recs[0]); diff != "" {
			t.Errorf("clerk header (-want +got):\n%s", diff)
		}
		crow := list(clerk, "group=location")
		if len(recs)-1 != len(crow) || len(crow) != 5 {
			t.Errorf("clerk: %d CSV rows, %d list rows, want 5", len(recs)-1, len(crow))
		}
		for _, rec := range recs[1:] {
			if rec[4] != "仓库W2" {
				t.Errorf("clerk sees %v", rec)
			}
		}
		wt := clerk.do("GET", "/api/v1/stock/warehouse-totals", nil)
		var totals []map[string]any
		if err := json.Unmarshal(wt.body, &totals); err != nil || wt.status != 200 || len(totals) != 1 || totals[0]["value"] != "0.00" || totals[0]["items"] != 5.0 || totals[0]["on_hand"] != "24.0000" {
			t.Errorf("clerk's warehouse totals: %d %s", wt.status, wt.body)
		}

		// The movement summary of November for W1, and its CSV.
		mv := c.must(200, "GET", fmt.Sprintf("/api/v1/stock/movements?warehouse_id=%v&from=2026-11-01&to=2026-11-30", whs[0]), nil)
		items := mv["items"].([]any)
		tot := mv["totals"].(map[string]any)
		if len(items) != 4 || mv["total"] != 4.0 || tot["opening_qty"] != "0.0000" || tot["in_qty"] != "16.0000" || tot["closing_qty"] != "16.0000" ||
			tot["closing_value"] != "40.00" { // SKU-01, 02, 04, 05: 2 + 3 + 5 + 6 at 2.50
			t.Errorf("movements: %v", mv)
		}
		mc := c.do("GET", fmt.Sprintf("/api/v1/stock/movements/export?lang=en&warehouse_id=%v&from=2026-11-01&to=2026-11-30", whs[0]), nil)
		mrecs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(mc.body, []byte("\ufeff")))).ReadAll()
		if err != nil || mc.status != 200 || len(mrecs) != 5 || mrecs[0][4] != "Opening qty" || mrecs[1][0] != "SKU-01" {
			t.Errorf("movements CSV = %d %v: %q", mc.status, err, mrecs)
		}
		c.must(400, "GET", "/api/v1/stock/movements?from=2026-11-30&to=2026-11-01", nil)
	})
}
