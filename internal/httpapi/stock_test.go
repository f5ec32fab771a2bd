package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/jxc-erp/jxc/internal/sheet"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// A clerk's day through the API: opening stock, an issue that is too big
// (409 naming the line, in the caller's language), a draft posted later, a
// reversal, the balance list and the ledger with running balances.
func TestStockAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, c := newServer(t, db)
		pcs, box := c.units()
		item := c.must(201, "POST", "/api/v1/items", itemBody("COLA", "可乐", pcs, box, "6900000000017", "6900000000024"))
		id := item["id"].(float64)
		wh := c.must(201, "POST", "/api/v1/warehouses", map[string]any{"code": "W1", "name": "总仓"})["id"].(float64)

		// 2 boxes of 24 at 48.00 a box = 48 pcs, 96.00.
		op := c.must(201, "POST", "/api/v1/stock/documents?post=true", map[string]any{"type": "stock_opening", "warehouse_id": wh, "date": "2026-11-01",
			"lines": []any{map[string]any{"item_id": id, "unit_id": box, "qty": "2", "price": "48"}}}, "Idempotency-Key", "op-1")
		if op["state"] != "posted" || op["total_amount"] != "96.00" || !strings.HasPrefix(op["number"].(string), "QC20261101-") {
			t.Fatalf("opening: %v", op)
		}
		lines := op["lines"].([]any)
		if l := lines[0].(map[string]any); l["base_qty"] != "48.0000" || l["factor"] != "24.0000" {
			t.Errorf("opening line: %v", l)
		}
		// The same key again: the same document, not a second one.
		again := c.must(201, "POST", "/api/v1/stock/documents?post=true", map[string]any{"type": "stock_opening", "warehouse_id": wh, "date": "2026-11-01",
			"lines": []any{map[string]any{"item_id": id, "unit_id": box, "qty": "2", "price": "48"}}}, "Idempotency-Key", "op-1")
		if again["id"] != op["id"] {
			t.Errorf("retried opening made document %v, first was %v", again["id"], op["id"])
		}

		c.lang = "zh-CN"
		r := c.do("POST", "/api/v1/stock/documents?post=true", map[string]any{"type": "stock_out", "reason": "damage", "warehouse_id": wh,
			"lines": []any{map[string]any{"item_id": id, "qty": "40"}, map[string]any{"item_id": id, "qty": "9"}}})
		if r.status != 409 {
			t.Fatalf("oversell = %d: %s", r.status, r.body)
		}
		body := string(r.body)
		if !strings.Contains(body, `"insufficient_stock"`) || !strings.Contains(body, "明细 2 › 数量") || !strings.Contains(body, "可用 8") {
			t.Errorf("oversell problem: %s", body)
		}
		// Every short line at once.
		r = c.do("POST", "/api/v1/stock/documents?post=true", map[string]any{"type": "stock_out", "reason": "damage", "warehouse_id": wh,
			"lines": []any{map[string]any{"item_id": id, "qty": "50"}, map[string]any{"item_id": id, "qty": "49"}}})
		if body := string(r.body); r.status != 409 || !strings.Contains(body, "明细 1 › 数量") || !strings.Contains(body, "明细 2 › 数量") {
			t.Errorf("oversell problem: %s", body)
		}
		c.lang = ""
		bal := c.must(200, "GET", fmt.Sprintf("/api/v1/stock/balances?item_id=%v", id), nil)
		if rows := bal["items"].([]any); len(rows) != 1 || rows[0].(map[string]any)["on_hand"] != "48.0000" {
			t.Fatalf("balance after refused issue: %v", bal)
		}
		if got := c.must(400, "POST", "/api/v1/stock/documents", map[string]any{"type": "stock_out", "reason": "nope", "warehouse_id": wh,
			"lines": []any{map[string]any{"item_id": id, "qty": "1"}}}); !strings.Contains(fmt.Sprint(got["errors"]), "reason") {
			t.Errorf("bad reason: %v", got)
		}

		// A draft, changed, then posted with the version read.
		d := c.must(201, "POST", "/api/v1/stock/documents", map[string]any{"type": "stock_out", "reason": "sample", "warehouse_id": wh,
			"lines": []any{map[string]any{"item_id": id, "qty": "5"}}})
		if d["state"] != "draft" {
			t.Fatalf("draft: %v", d)
		}
		path := fmt.Sprintf("/api/v1/stock/documents/%v", d["id"])
		d = c.must(200, "PUT", path, map[string]any{"type": "stock_out", "reason": "sample", "warehouse_id": wh, "version": d["version"],
			"lines": []any{map[string]any{"item_id": id, "qty": "6"}}})
		c.must(409, "POST", path+"/post", map[string]any{"version": 1})
		d = c.must(200, "POST", path+"/post", map[string]any{"version": d["version"]})
		if d["state"] != "posted" || d["total_amount"] != "12.00" {
			t.Errorf("posted draft: %v", d)
		}
		c.must(409, "PUT", path, map[string]any{"type": "stock_out", "reason": "sample", "warehouse_id": wh, "version": d["version"],
			"lines": []any{map[string]any{"item_id": id, "qty": "1"}}})
		rev := c.must(200, "POST", path+"/reverse", map[string]any{"note": "样品未领"})
		if rev["reverses_id"] != d["id"] || rev["total_amount"] != "12.00" {
			t.Errorf("reversal: %v", rev)
		}

		led := c.must(200, "GET", fmt.Sprintf("/api/v1/stock/ledger?item_id=%v", id), nil)
		rows := led["items"].([]any)
		if len(rows) != 3 {
			t.Fatalf("ledger rows: %v", led)
		}
		var balances []string
		for _, row := range rows {
			m := row.(map[string]any)
			balances = append(balances, m["qty"].(string)+"→"+m["balance_qty"].(string)+"/"+m["balance_value"].(string))
			if m["reversal"] != (m["number"] == rev["number"]) {
				t.Errorf("ledger row %v: reversal flag %v", m["number"], m["reversal"])
			}
		}
		if got := strings.Join(balances, " "); got != "48.0000→48.0000/96.00 -6.0000→42.0000/84.00 6.0000→48.0000/96.00" {
			t.Errorf("ledger: %s", got)
		}
		list := c.must(200, "GET", "/api/v1/stock/documents?type=stock_out&state=posted", nil)
		if list["total"].(float64) != 2 {
			t.Errorf("posted issues: %v", list["total"])
		}
	})
}

// Alerts by level and expiry, and the FEFO suggestion for a batch item.
func TestStockAlertsAndFEFO(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, c := newServer(t, db)
		pcs, box := c.units()
		wh := c.must(201, "POST", "/api/v1/warehouses", map[string]any{"code": "W1", "name": "总仓"})["id"].(float64)
		low := itemBody("LOW", "矿泉水", pcs, box, "6900000000031", "6900000000048")
		low["spec"] = "550ml"
		low["levels"] = []any{map[string]any{"warehouse_id": wh, "safety_qty": "5", "min_qty": "10", "max_qty": "50", "reorder_qty": "0"}}
		lowID := c.must(201, "POST", "/api/v1/items", low)["id"].(float64)
		milk := map[string]any{"code": "MILK", "name": "鲜牛奶", "spec": "1L", "base_unit_id": box, "tracking": "batch", "shelf_life_days": 7}
		milkID := c.must(201, "POST", "/api/v1/items", milk)["id"].(float64)
		c.must(201, "POST", "/api/v1/stock/documents?post=true", map[string]any{"type": "stock_opening", "warehouse_id": wh,
			"lines": []any{
				map[string]any{"item_id": lowID, "qty": "7", "price": "1"},
				map[string]any{"item_id": milkID, "qty": "4", "price": "3", "batch": "B2", "expiry": "2099-12-31"},
				map[string]any{"item_id": milkID, "qty": "5", "price": "3", "batch": "B1", "expiry": "2000-01-01"},
			}})
		r := c.do("GET", "/api/v1/stock/alerts", nil)
		var alerts []map[string]any
		if err := json.Unmarshal(r.body, &alerts); err != nil || r.status != 200 {
			t.Fatalf("alerts %d: %s", r.status, r.body)
		}
		var kinds []string
		for _, a := range alerts {
			// Each names the item as the screen shows it: spec and the unit its quantities are in.
			kinds = append(kinds, fmt.Sprintf("%s:%s %s %v/%s", a["kind"], a["item_code"], a["spec"], a["unit_id"], a["unit_name"]))
		}
		if got, want := strings.Join(kinds, " "), fmt.Sprintf("below_min:LOW 550ml %v/个 expired:MILK 1L %v/箱", pcs, box); got != want {
			t.Errorf("alerts: %s, want %s", got, want)
		}
		if alerts[0]["reorder_qty"] != "43.0000" {
			t.Errorf("below min reorder: %v (want up to max 50 − 7)", alerts[0]["reorder_qty"])
		}
		r = c.do("GET", fmt.Sprintf("/api/v1/stock/fefo?item_id=%v&warehouse_id=%v&qty=6", milkID, wh), nil)
		var fefo []map[string]any
		if err := json.Unmarshal(r.body, &fefo); err != nil || r.status != 200 || len(fefo) != 2 {
			t.Fatalf("fefo %d: %s", r.status, r.body)
		}
		if fefo[0]["batch"] != "B1" || fefo[0]["take"] != "5.0000" || fefo[1]["take"] != "1.0000" {
			t.Errorf("fefo: %v", fefo)
		}
	})
}

// Opening balances from Excel: the template, a sheet with mistakes (every
// bad cell named by its Excel row, nothing created), then a good sheet.
func TestImportOpening(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, c := newServer(t, db)
		pcs, box := c.units()
		c.must(201, "POST", "/api/v1/items", itemBody("COLA", "可乐", pcs, box, "6900000000017", "6900000000024"))
		wh := c.must(201, "POST", "/api/v1/warehouses", map[string]any{"code": "W1", "name": "总仓"})["id"].(float64)
		tpl := c.do("GET", "/api/v1/stock/import/opening/template?lang=zh-CN", nil)
		rows, err := sheet.ReadXLSX(bytes.NewReader(tpl.body), 10)
		if tpl.status != 200 || err != nil || rows[0][0] != "商品编码" {
			t.Fatalf("template %d: %v %v", tpl.status, err, rows)
		}
		xlsx := func(rows [][]string) string {
			var buf bytes.Buffer
			if err := sheet.WriteXLSX(&buf, "期初", rows[0], rows[1:]); err != nil {
				t.Fatal(err)
			}
			return buf.String()
		}
		ct := "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		url := fmt.Sprintf("/api/v1/stock/import/opening?warehouse_id=%v&date=2026-11-01", wh)
		bad := xlsx([][]string{rows[0], {"COLA", "10", "", "2"}, {"NOPE", "1"}, {"COLA", "-3", "箱"}, {"COLA", "1", "kg"}})
		c.lang = "zh-CN"
		r := c.do("POST", url, bad, "Content-Type", ct)
		body := string(r.body)
		if r.status != 400 || !strings.Contains(body, "行 3 › 商品编码") || !strings.Contains(body, "行 4 › 数量") || !strings.Contains(body, "行 5 › 单位") {
			t.Fatalf("bad sheet = %d: %s", r.status, body)
		}
		if got := c.must(200, "GET", "/api/v1/stock/documents", nil); got["total"].(float64) != 0 {
			t.Errorf("a bad sheet created %v documents", got["total"])
		}
		good := xlsx([][]string{rows[0], {"COLA", "10", "", "2"}, {}, {"COLA", "2", "箱", "40"}})
		d := c.must(201, "POST", url, good, "Content-Type", ct)
		if d["state"] != "posted" || d["total_amount"] != "100.00" || len(d["lines"].([]any)) != 2 {
			t.Errorf("imported: %v", d)
		}
		bal := c.must(200, "GET", "/api/v1/stock/balances", nil)["items"].([]any)
		if len(bal) != 1 || bal[0].(map[string]any)["on_hand"] != "58.0000" {
			t.Errorf("balances after import: %v", bal)
		}
		c.must(400, "POST", url, "not a spreadsheet", "Content-Type", ct)
	})
}

// The 409s that say how many things are in the way carry the number as a
// param and the message's key, so that a client need not parse the text;
// the text says the number too, in the caller's language.
func TestConflictsCarryTheirCount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, c := newServer(t, db)
		pcs, box := c.units()
		a := c.must(201, "POST", "/api/v1/items", itemBody("COLA", "可乐", pcs, box, "6900000000017", "6900000000024"))["id"].(float64)
		b := c.must(201, "POST", "/api/v1/items", itemBody("SODA", "苏打水", pcs, box, "6900000000031", "6900000000048"))["id"].(float64)
		wh := c.must(201, "POST", "/api/v1/warehouses", map[string]any{"code": "W1", "name": "总仓"})["id"].(float64)
		c.must(201, "POST", "/api/v1/stock/documents?post=true", map[string]any{"type": "stock_opening", "warehouse_id": wh,
			"lines": []any{map[string]any{"item_id": a, "qty": "5", "price": "1"}, map[string]any{"item_id": b, "qty": "3", "price": "1"}}})
		st := c.must(201, "POST", "/api/v1/stock/stocktakes", map[string]any{"warehouse_id": wh})
		// Two drafts dated in a past month keep it from being closed.
		for range 2 {
			c.must(201, "POST", "/api/v1/stock/documents", map[string]any{"type": "stock_in", "reason": "found", "warehouse_id": wh, "date": "2020-01-10",
				"lines": []any{map[string]any{"item_id": a, "qty": "1", "price": "1"}}})
		}
		tests := []struct {
			name, method, path string
			body               any
			key, count         string
			zh, en             string
		}{
			{"stocktake", "POST", fmt.Sprintf("/api/v1/stock/documents/%v/post", st["id"]), map[string]any{"version": 0},
				"error.stocktake_uncounted", "2", "还有 2 行没有盘点", "Lines not counted yet: 2"},
			{"period", "POST", "/api/v1/stock/periods/close", map[string]any{"period_end": "2020-01-31"},
				"error.period_open_docs", "2", "该期间还有 2 张单据", "neither posted nor cancelled: 2"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				for _, lang := range []struct{ header, want string }{{"zh-CN", tt.zh}, {"en", tt.en}} {
					c.lang = lang.header
					got := c.must(409, tt.method, tt.path, tt.body)
					params, _ := got["params"].(map[string]any)
					if got["code"] != "conflict" || got["key"] != tt.key || params["count"] != tt.count {
						t.Errorf("%s: code %v, key %v, params %v; want conflict, %s, count %s", lang.header, got["code"], got["key"], got["params"], tt.key, tt.count)
					}
					if title, detail := got["title"].(string), got["detail"].(string); !strings.Contains(title, lang.want) || !strings.Contains(detail, lang.want) {
						t.Errorf("%s: title %q, detail %q; want them to say %q", lang.header, title, detail, lang.want)
					}
				}
			})
		}
		c.lang = ""
	})
}

// The re-costing jobs list answers (empty here: every re-cost of these
// small books runs inside its posting) and refuses an unknown state.
func TestRecostJobsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, c := newServer(t, db)
		got := c.must(200, "GET", "/api/v1/stock/recost-jobs?state=pending", nil)
		if items, _ := got["items"].([]any); got["total"] != float64(0) || items == nil || len(items) != 0 {
			t.Errorf("jobs: %v, want an empty page", got)
		}
		if r := c.do("GET", "/api/v1/stock/recost-jobs?state=bogus", nil); r.status != 422 && r.status != 400 {
			t.Errorf("unknown state = %d: %s", r.status, r.body)
		}
	})
}
