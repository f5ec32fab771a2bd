package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// A confirmation the customer's credit blocks is released through the
// action's body (override_credit with a reason), as the sales screen sends
// it, and says so in its warnings.
func TestSalesCreditOverrideAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, admin := newServer(t, db)
		pcs, box := admin.units()
		id := admin.must(201, "POST", "/api/v1/items", itemBody("COLA", "可乐", pcs, box, "6900000000017", "6900000000024"))["id"].(float64)
		wh := admin.must(201, "POST", "/api/v1/warehouses", map[string]any{"code": "W1", "name": "总仓"})["id"].(float64)
		cust := admin.must(201, "POST", "/api/v1/partners", map[string]any{"code": "C1", "name": "便利店", "kind": "customer", "credit_limit": "100", "credit_mode": "block"})["id"].(float64)
		admin.must(201, "POST", "/api/v1/stock/documents?post=true", map[string]any{"type": "stock_opening", "warehouse_id": wh,
			"lines": []any{map[string]any{"item_id": id, "qty": "50", "price": "2"}}})
		o := admin.must(201, "POST", "/api/v1/sales/orders", map[string]any{"partner_id": cust, "warehouse_id": wh,
			"lines": []any{map[string]any{"item_id": id, "qty": "20", "price": "10"}}})
		path := fmt.Sprintf("/api/v1/sales/orders/%v/post", o["id"])
		if r := admin.do("POST", path, map[string]any{"version": o["version"]}); r.status != 409 || !strings.Contains(string(r.body), "credit_limit_exceeded") {
			t.Fatalf("over the limit = %d: %s", r.status, r.body)
		}
		if r := admin.do("POST", path, map[string]any{"version": o["version"], "override_credit": true}); r.status != 400 || !strings.Contains(string(r.body), "reason") {
			t.Errorf("override without a reason = %d: %s", r.status, r.body)
		}
		d := admin.must(200, "POST", path, map[string]any{"version": o["version"], "override_credit": true, "reason": "老客户"})
		ws, _ := d["warnings"].([]any)
		if d["state"] != "posted" || len(ws) != 1 || ws[0].(map[string]any)["key"] != "credit.override" {
			t.Errorf("released: state %v, warnings %v", d["state"], d["warnings"])
		}
	})
}

// A confirmed order is answered from what the posting wrote, not read back
// (issue 7's tuning): the answer must still be exactly what a GET of the
// order returns, with units, discounts, taxes, a short line held in part
// and a batch-tracked line held over two batches. So must a posted
// shipment's, with its costs and a line picked from two batches.
func TestSalesOrderAnswerIsReadBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, admin := newServer(t, db)
		pcs, box := admin.units()
		cola := admin.must(201, "POST", "/api/v1/items", itemBody("COLA", "可乐", pcs, box, "6900000000017", "6900000000024"))["id"].(float64)
		tea := admin.must(201, "POST", "/api/v1/items", itemBody("TEA", "茶", pcs, box, "6900000000031", "6900000000048"))["id"].(float64)
		wh := admin.must(201, "POST", "/api/v1/warehouses", map[string]any{"code": "W1", "name": "总仓"})["id"].(float64)
		cust := admin.must(201, "POST", "/api/v1/partners", map[string]any{"code": "C1", "name": "便利店", "kind": "customer", "credit_limit": "100000"})["id"].(float64)
		milk := admin.must(201, "POST", "/api/v1/items", map[string]any{"code": "MILK", "name": "鲜牛奶", "base_unit_id": pcs, "tracking": "batch",
			"shelf_life_days": 30})["id"].(float64)
		admin.must(201, "POST", "/api/v1/stock/documents?post=true", map[string]any{"type": "stock_opening", "warehouse_id": wh,
			"lines": []any{map[string]any{"item_id": cola, "qty": "50", "price": "2"}, map[string]any{"item_id": tea, "qty": "5", "price": "3"},
				map[string]any{"item_id": milk, "qty": "2", "price": "5", "batch": "B1", "expiry": "2027-01-01"},
				map[string]any{"item_id": milk, "qty": "3", "price": "6", "batch": "B2", "expiry": "2027-02-01"}}})
		body := map[string]any{"partner_id": cust, "warehouse_id": wh, "note": " 急 ", "tax_included": true, "discount": "1.5",
			"lines": []any{
				map[string]any{"item_id": cola, "qty": "3", "price": "10", "tax_rate": "13"},
				map[string]any{"item_id": tea, "unit_id": box, "qty": "1", "price": "30", "discount_rate": "10"},
				map[string]any{"item_id": cola, "qty": "2", "price": "9.5", "note": "赠"},
				map[string]any{"item_id": milk, "qty": "4", "price": "12"},
			}}
		got := admin.must(201, "POST", "/api/v1/sales/orders?post=true&backorder=true", body)
		read := admin.must(200, "GET", fmt.Sprintf("/api/v1/sales/orders/%v", got["id"]), nil)
		delete(got, "warnings")
		delete(read, "warnings")
		if a, b := mustJSON(t, got), mustJSON(t, read); a != b {
			t.Errorf("answer differs from the order read back:\nanswer %s\nread   %s", a, b)
		}
		if ls := read["lines"].([]any); ls[0].(map[string]any)["reserved_qty"] != "3.0000" || ls[1].(map[string]any)["reserved_qty"] != "5.0000" {
			t.Errorf("holds: %v", ls)
		}
		// A shipment of part of it is answered as it is read back too.
		ls := read["lines"].([]any)
		ship := map[string]any{"partner_id": cust, "warehouse_id": wh, "note": "先发", "lines": []any{
			map[string]any{"source_line_id": ls[0].(map[string]any)["id"], "qty": "2"},
			map[string]any{"source_line_id": ls[2].(map[string]any)["id"], "qty": "1"},
			map[string]any{"source_line_id": ls[3].(map[string]any)["id"], "qty": "3"}, // picked from two batches
		}}
		got = admin.must(201, "POST", "/api/v1/sales/shipments?post=true", ship)
		read = admin.must(200, "GET", fmt.Sprintf("/api/v1/sales/shipments/%v", got["id"]), nil)
		delete(got, "warnings")
		delete(read, "warnings")
		if a, b := mustJSON(t, got), mustJSON(t, read); a != b {
			t.Errorf("answer differs from the shipment read back:\nanswer %s\nread   %s", a, b)
		}
		if n := len(read["lines"].([]any)); n != 4 {
			t.Errorf("shipment of 3 lines, one over two batches: %d lines, want 4", n)
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
