package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// The counter through the API: a sale scanned as a piece and a box, paid by
// WeChat and cash with change, submitted three times at once with one
// Idempotency-Key (one sale), its receipt as an 80 mm PDF, text and
// ESC/POS; then a return of one piece found by the receipt's number.
func TestPOSAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, admin := newServer(t, db)
		pcs, box := admin.units()
		ib := itemBody("COLA", "可乐", pcs, box, "6900000000017", "6900000000024")
		ib["name_en"] = "Cola"
		item := admin.must(201, "POST", "/api/v1/items", ib)
		id := item["id"].(float64)
		wh := admin.must(201, "POST", "/api/v1/warehouses", map[string]any{"code": "W1", "name": "一号店", "name_en": "Store One"})["id"].(float64)
		admin.must(201, "POST", "/api/v1/stock/documents?post=true", map[string]any{"type": "stock_opening", "warehouse_id": wh,
			"lines": []any{map[string]any{"item_id": id, "qty": "100", "price": "2"}}})
		cash := admin.must(201, "POST", "/api/v1/accounts", map[string]any{"code": "CASH", "name": "钱箱", "kind": "cash"})["id"].(float64)
		wx := admin.must(201, "POST", "/api/v1/accounts", map[string]any{"code": "WX", "name": "微信", "kind": "wechat"})["id"].(float64)
		setup := admin.must(200, "GET", "/api/v1/pos/setup", nil)
		if len(setup["accounts"].([]any)) != 2 || len(setup["warehouses"].([]any)) != 1 {
			t.Errorf("setup: %v", setup)
		}

		// A piece at 3.50 and a box at 80.00: 83.50; WeChat 50.00, cash 40.00
		// tendered → 33.50 taken, 6.50 change.
		body := map[string]any{"warehouse_id": wh, "lines": []any{
			map[string]any{"item_id": id, "qty": "1"}, map[string]any{"item_id": id, "unit_id": box, "qty": "1"}},
			"payments": []any{map[string]any{"method": "wechat", "account_id": wx, "tendered": "50"},
				map[string]any{"method": "cash", "account_id": cash, "tendered": "40"}}}
		var wg sync.WaitGroup
		numbers := make([]string, 3)
		for i := range numbers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := admin.do("POST", "/api/v1/pos/sales", body, "Idempotency-Key", "till-1-sale-42")
				if r.status == 201 {
					numbers[i] = string(r.body)
				}
			}()
		}
		wg.Wait()
		list := admin.must(200, "GET", "/api/v1/pos/sales", nil)
		if list["total"] != float64(1) {
			t.Fatalf("sales after three submits with one key: %v", list["total"])
		}
		// The list says how each sale was paid, as the document does.
		if lp, _ := list["items"].([]any)[0].(map[string]any)["payments"].([]any); len(lp) != 2 ||
			lp[0].(map[string]any)["method"] != "wechat" || lp[1].(map[string]any)["method"] != "cash" || lp[1].(map[string]any)["amount"] != "33.50" {
			t.Errorf("the list's payments: %v; want WeChat then cash 33.50", lp)
		}
		sale := admin.must(200, "GET", fmt.Sprintf("/api/v1/pos/sales/%v", list["items"].([]any)[0].(map[string]any)["id"]), nil)
		pays := sale["payments"].([]any)
		if sale["gross_amount"] != "83.50" || pays[1].(map[string]any)["change"] != "6.50" || pays[1].(map[string]any)["amount"] != "33.50" {
			t.Errorf("sale: gross %v payments %v", sale["gross_amount"], pays)
		}
		for _, n := range numbers {
			if n != "" && !strings.Contains(n, sale["number"].(string)) {
				t.Errorf("a retried submit answered another sale: %s", n)
			}
		}
		if st, _, _ := stockOf(admin, id, wh); st != "75.0000" {
			t.Errorf("on hand %s, want 75 (100 − 1 − 24)", st)
		}
		sid := sale["id"]
		r := admin.do("GET", fmt.Sprintf("/api/v1/pos/sales/%v/receipt?width=80&format=text", sid), nil)
		if txt := string(r.body); r.status != 200 || !strings.Contains(txt, "83.50") || !strings.Contains(txt, "找零") || !strings.Contains(txt, "6.50") {
			t.Errorf("text receipt = %d:\n%s", r.status, txt)
		}
		// In English: the store and the item by their English names.
		r = admin.do("GET", fmt.Sprintf("/api/v1/pos/sales/%v/receipt?width=80&format=text&lang=en", sid), nil)
		if txt := string(r.body); r.status != 200 || !strings.Contains(txt, "Store One") || !strings.Contains(txt, "Cola") ||
			strings.Contains(txt, "一号店") || strings.Contains(txt, "可乐") {
			t.Errorf("English text receipt = %d:\n%s", r.status, txt)
		}
		r = admin.do("GET", fmt.Sprintf("/api/v1/pos/sales/%v/receipt?width=80", sid), nil)
		if r.status != 200 || !bytes.HasPrefix(r.body, []byte("%PDF")) || !regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+226\.7`).Match(r.body) {
			t.Errorf("pdf receipt = %d, %.60q", r.status, r.body)
		}
		r = admin.do("GET", fmt.Sprintf("/api/v1/pos/sales/%v/receipt?width=58&format=escpos", sid), nil)
		if r.status != 200 || !bytes.HasPrefix(r.body, []byte{0x1b, 0x40}) {
			t.Errorf("escpos receipt = %d", r.status)
		}

		// The return: found by number, one piece back, 3.50 refunded in cash.
		found := admin.must(200, "GET", "/api/v1/pos/sale-by-number/"+sale["number"].(string), nil)
		line := found["lines"].([]any)[0].(map[string]any)
		ret := admin.must(201, "POST", "/api/v1/pos/returns", map[string]any{"warehouse_id": wh,
			"lines":    []any{map[string]any{"source_line_id": line["id"], "qty": "1"}},
			"payments": []any{map[string]any{"method": "cash", "account_id": cash, "tendered": "3.50"}}}, "Idempotency-Key", "till-1-return-1")
		if ret["gross_amount"] != "3.50" || ret["state"] != "posted" {
			t.Errorf("return: %v", ret)
		}
		if st, _, _ := stockOf(admin, id, wh); st != "76.0000" {
			t.Errorf("on hand after the return %s, want 76", st)
		}
		admin.must(404, "GET", "/api/v1/pos/sale-by-number/LS19990101-0001", nil)
	})
}

// stockOf is an item's on hand, reserved and available in a warehouse.
func stockOf(c *client, item, wh float64) (onHand, reserved, available string) {
	c.t.Helper()
	rows := c.must(200, "GET", fmt.Sprintf("/api/v1/stock/balances?item_id=%v&warehouse_id=%v", item, wh), nil)["items"].([]any)
	if len(rows) != 1 {
		return "", "", ""
	}
	r := rows[0].(map[string]any)
	return r["on_hand"].(string), r["reserved"].(string), r["available"].(string)
}

// Counter sales are read with sales.pos.read or sales.pos.use: a user with
// only the read permission lists, opens and reprints them and sees the
// takings, but rings nothing up; the standard bookkeeper (会计) and
// read-only (只读) roles read them too; the cashier keeps everything.
func TestPOSReadPermission(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv, admin := newServer(t, db)
		pcs, box := admin.units()
		id := admin.must(201, "POST", "/api/v1/items", itemBody("COLA", "可乐", pcs, box, "6900000000017", "6900000000024"))["id"].(float64)
		wh := admin.must(201, "POST", "/api/v1/warehouses", map[string]any{"code": "W1", "name": "一号店"})["id"].(float64)
		admin.must(201, "POST", "/api/v1/stock/documents?post=true", map[string]any{"type": "stock_opening", "warehouse_id": wh,
			"lines": []any{map[string]any{"item_id": id, "qty": "100", "price": "2"}}})
		cash := admin.must(201, "POST", "/api/v1/accounts", map[string]any{"code": "CASH", "name": "钱箱", "kind": "cash"})["id"].(float64)
		users := admin.standardUsers(srv, "cashier", "bookkeeper", "viewer")
		cashier, bookkeeper, viewer := users["cashier"], users["bookkeeper"], users["viewer"]
		reader := admin.roleUser(srv, "reader", "sales.pos.read")
		till := admin.roleUser(srv, "till", "sales.pos.use") // use alone reads as well (either permission will do)

		// The cashier: the counter's set-up, a priced line, a sale and a return of one piece.
		sale := map[string]any{"warehouse_id": wh, "lines": []any{map[string]any{"item_id": id, "qty": "2"}},
			"payments": []any{map[string]any{"method": "cash", "account_id": cash, "tendered": "10"}}}
		cashier.must(200, "GET", "/api/v1/pos/setup", nil)
		cashier.must(200, "POST", "/api/v1/pos/price", map[string]any{"lines": []any{map[string]any{"item_id": id, "qty": "1"}}})
		s := cashier.must(201, "POST", "/api/v1/pos/sales", sale, "Idempotency-Key", "read-perm-sale")
		found := cashier.must(200, "GET", "/api/v1/pos/sale-by-number/"+s["number"].(string), nil)
		ret := func(c *client, want int, key string) map[string]any {
			return c.must(want, "POST", "/api/v1/pos/returns", map[string]any{"warehouse_id": wh,
				"lines":    []any{map[string]any{"source_line_id": found["lines"].([]any)[0].(map[string]any)["id"], "qty": "1"}},
				"payments": []any{map[string]any{"method": "cash", "account_id": cash, "tendered": "3.50"}}}, "Idempotency-Key", key)
		}
		r := ret(cashier, 201, "read-perm-return")
		docs := map[string]any{"sales": s["id"], "returns": r["id"]}

		seller := ""
		for name, c := range map[string]*client{"cashier": cashier, "till": till, "reader": reader, "bookkeeper": bookkeeper, "viewer": viewer} {
			for kind, did := range docs {
				l := c.must(200, "GET", "/api/v1/pos/"+kind, nil)
				if l["total"] != float64(1) {
					t.Errorf("%s lists %v counter %s, want 1", name, l["total"], kind)
				}
				// Who sold, by name, to a reader who may not read the users.
				if by, _ := l["items"].([]any)[0].(map[string]any)["created_by_name"].(string); by == "" || seller != "" && by != seller {
					t.Errorf("%s sees the cashier of the %s as %q, others %q", name, kind, by, seller)
				} else {
					seller = by
				}
				c.must(200, "GET", fmt.Sprintf("/api/v1/pos/%s/%v", kind, did), nil)
				if p := c.do("GET", fmt.Sprintf("/api/v1/pos/%s/%v/receipt?format=text", kind, did), nil); p.status != 200 || !strings.Contains(string(p.body), "3.50") {
					t.Errorf("%s prints the %s receipt: %d\n%s", name, kind, p.status, p.body)
				}
			}
			if k := c.must(200, "GET", "/api/v1/pos/takings", nil); k["sales"] != float64(1) {
				t.Errorf("%s sees takings %v, want one sale", name, k)
			}
			// The list's cashier filter: who rang up today, by name, for
			// readers who may not read the users too.
			var who []map[string]any
			if r := c.do("GET", fmt.Sprintf("/api/v1/pos/cashiers?warehouse_id=%v", wh), nil); r.status != 200 || json.Unmarshal(r.body, &who) != nil ||
				len(who) != 1 || who[0]["username"] != "cashier" {
				t.Errorf("%s lists the cashiers: %d %s; want the cashier alone", name, r.status, r.body)
			}
		}
		// None on a day nobody sold, nor in a range that ends before it starts.
		if r := admin.do("GET", "/api/v1/pos/cashiers?from=2020-01-01&to=2020-01-31", nil); r.status != 200 || strings.TrimSpace(string(r.body)) != "[]" {
			t.Errorf("cashiers in January 2020: %d %s, want []", r.status, r.body)
		}
		admin.must(400, "GET", "/api/v1/pos/cashiers?from=2020-02-01&to=2020-01-31", nil)

		// The bookkeeper reads the items a document names (its lines' names).
		bookkeeper.must(200, "GET", fmt.Sprintf("/api/v1/items?ids=%v", id), nil)

		// Reading is all the read permission gives: no sale, no return, not
		// the counter's set-up, prices or look-up by number.
		for name, c := range map[string]*client{"reader": reader, "bookkeeper": bookkeeper, "viewer": viewer} {
			c.must(403, "POST", "/api/v1/pos/sales", sale, "Idempotency-Key", name+"-sale")
			ret(c, 403, name+"-return")
			c.must(403, "GET", "/api/v1/pos/setup", nil)
			c.must(403, "POST", "/api/v1/pos/price", map[string]any{"lines": []any{map[string]any{"item_id": id, "qty": "1"}}})
			c.must(403, "GET", "/api/v1/pos/sale-by-number/"+s["number"].(string), nil)
		}
		if l := admin.must(200, "GET", "/api/v1/pos/sales", nil); l["total"] != float64(1) {
			t.Errorf("counter sales after the refused ones: %v, want 1", l["total"])
		}

		// Without either permission: nothing.
		other := admin.roleUser(srv, "stranger", "sales.order.read")
		other.must(403, "GET", "/api/v1/pos/sales", nil)
		other.must(403, "GET", "/api/v1/pos/takings", nil)
		other.must(403, "GET", "/api/v1/pos/cashiers", nil)
		other.must(403, "GET", fmt.Sprintf("/api/v1/pos/sales/%v", s["id"]), nil)
	})
}
