package httpapi_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// The supplier scorecard through the API: the JSON shape, null for the
// metrics without data, prices only for those who may see costs, and the
// permission.
func TestScorecardAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv, admin := newServer(t, db)
		pcs, box := admin.units()
		id := admin.must(201, "POST", "/api/v1/items", itemBody("COLA", "可乐", pcs, box, "6900000000017", "6900000000024"))["id"].(float64)
		wh := admin.must(201, "POST", "/api/v1/warehouses", map[string]any{"code": "W1", "name": "总仓"})["id"].(float64)
		sup := admin.must(201, "POST", "/api/v1/partners", map[string]any{"code": "S1", "name": "饮料批发", "kind": "supplier"})["id"].(float64)

		// 10 boxes of 24 at 56.50 with 13 % tax (net 50.00 a box), no
		// expected date; 4 boxes delivered today, 1 rejected: 72 accepted
		// at net 150.00 → 2.0833 a piece; 24 of 96 rejected = 25 %.
		po := admin.must(201, "POST", "/api/v1/purchase/orders?post=true", map[string]any{"partner_id": sup, "warehouse_id": wh, "tax_included": true,
			"lines": []any{map[string]any{"item_id": id, "unit_id": box, "qty": "10", "price": "56.50", "tax_rate": "13"}}})
		ol := po["lines"].([]any)[0].(map[string]any)
		admin.must(201, "POST", "/api/v1/purchase/receipts?post=true", map[string]any{"partner_id": sup, "warehouse_id": wh,
			"lines": []any{map[string]any{"source_line_id": ol["id"], "qty": "4", "rejected_qty": "1"}}})

		sc := admin.must(200, "GET", fmt.Sprintf("/api/v1/purchase/scorecards/%v", sup), nil)
		// Not timed (no expected date), not due (open, no expected date):
		// the score is the quality rate alone, 100 − 25.
		want := map[string]any{"code": "S1", "name": "饮料批发", "on_time_rate": nil, "timed_receipts": float64(0), "fill_rate": nil,
			"due_orders": float64(0), "reject_rate": "25.00", "receipts": float64(1), "delivered_qty": "96.0000", "rejected_qty": "24.0000",
			"lead_time_days": "0.0", "lead_orders": float64(1), "score": "75.00", "to": po["date"]}
		for k, v := range want {
			if sc[k] != v {
				t.Errorf("scorecard %s = %v, want %v", k, sc[k], v)
			}
		}
		prices := sc["prices"].([]any)
		if len(prices) != 1 {
			t.Fatalf("prices: %v", prices)
		}
		if pr := prices[0].(map[string]any); pr["item_code"] != "COLA" || pr["first_price"] != "2.0833" || pr["last_price"] != "2.0833" ||
			pr["change"] != "0.00" || pr["receipts"] != float64(1) {
			t.Errorf("price trend: %v", pr)
		}

		r := admin.do("GET", "/api/v1/purchase/scorecards?from=2000-01-01", nil)
		var all []map[string]any
		if err := json.Unmarshal(r.body, &all); r.status != 200 || err != nil || len(all) != 1 || all[0]["score"] != "75.00" || all[0]["from"] != "2000-01-01" {
			t.Errorf("list = %d: %s", r.status, r.body)
		}
		admin.must(400, "GET", "/api/v1/purchase/scorecards?from=2000-01-02&to=2000-01-01", nil)
		admin.must(404, "GET", "/api/v1/purchase/scorecards/999999", nil)

		// The warehouse clerk reads orders but not costs: no prices. The
		// bookkeeper does not read orders.
		users := admin.standardUsers(srv, "warehouse", "bookkeeper")
		clerk := users["warehouse"]
		sc = clerk.must(200, "GET", fmt.Sprintf("/api/v1/purchase/scorecards/%v", sup), nil)
		if sc["score"] != "75.00" || len(sc["prices"].([]any)) != 0 {
			t.Errorf("clerk's scorecard: score %v, prices %v", sc["score"], sc["prices"])
		}
		users["bookkeeper"].must(403, "GET", "/api/v1/purchase/scorecards", nil)
	})
}
