package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// Promotions and the price of a bill through the API: the JSON shape (a
// box scanned is priced as a box, each line explained with a key the UI
// translates), validation in the caller's language, and the permissions.
func TestPricingAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv, admin := newServer(t, db)
		pcs, box := admin.units()
		cola := admin.must(201, "POST", "/api/v1/items", itemBody("COLA", "可乐", pcs, box, "6900000000017", "6900000000024"))["id"].(float64)
		admin.must(201, "POST", "/api/v1/price-lists", map[string]any{"code": "PL-STD", "name": "标准价", "kind": "sale",
			"lines": []any{map[string]any{"item_id": cola, "price": "3.40"}, map[string]any{"item_id": cola, "min_qty": "48", "price": "3.30"}}})

		promo := map[string]any{"code": "P10", "name": "九折", "kind": "percent", "rate": "10", "valid_from": "2026-06-01", "valid_to": "2026-06-30",
			"scope": "items", "item_ids": []any{cola}, "priority": 5}
		p := admin.must(201, "POST", "/api/v1/promotions", promo)
		id := p["id"].(float64)
		if p["version"] != float64(1) || p["rate"] != "10.00" || fmt.Sprint(p["item_ids"]) != fmt.Sprint([]any{cola}) {
			t.Errorf("created: %v", p)
		}
		bad := admin.do("POST", "/api/v1/promotions", map[string]any{"code": "BAD", "name": "x", "kind": "percent", "rate": "0",
			"valid_from": "2026-06-01", "valid_to": "2026-05-01", "scope": "all"}, "Accept-Language", "en")
		if bad.status != 400 {
			t.Fatalf("bad promotion = %d: %s", bad.status, bad.body)
		}
		fields := map[string]bool{}
		for _, e := range bad.json(t)["errors"].([]any) {
			fields[e.(map[string]any)["field"].(string)] = true
		}
		if !fields["rate"] || !fields["valid_to"] {
			t.Errorf("bad promotion fields: %s", bad.body)
		}

		list := admin.must(200, "GET", "/api/v1/promotions?on=2026-06-15&kind=percent", nil)
		if list["total"] != float64(1) {
			t.Errorf("list: %v", list)
		}
		if l := admin.must(200, "GET", "/api/v1/promotions?on=2026-07-01", nil); l["total"] != float64(0) {
			t.Errorf("July list: %v", l)
		}

		priced := admin.must(200, "POST", "/api/v1/sales/price", map[string]any{"date": "2026-06-15",
			"lines": []any{map[string]any{"item_id": cola, "unit_id": box, "qty": "2"}, map[string]any{"item_id": cola, "qty": "1"}}})
		lines := priced["lines"].([]any)
		l0, l1 := lines[0].(map[string]any), lines[1].(map[string]any)
		if l0["price"] != "71.2800" || l0["rule"] != "qty_break" || l0["list"] != "PL-STD" ||
			l0["explanation"] != "qty_break PL-STD ≥48: 3.30 x 24 = 79.20; percent P10 -10%: 71.28" || l0["amount"] != "142.56" {
			t.Errorf("box line: %v", l0)
		}
		if n := l0["notes"].([]any)[0].(map[string]any); n["key"] != "pricing.qty_break" || n["params"].(map[string]any)["factor"] != "24" {
			t.Errorf("box line note: %v", n)
		}
		if l1["price"] != "3.0600" || l1["unit_id"] != pcs || l1["below_min"] != false || priced["total"] != "145.62" {
			t.Errorf("piece line: %v, total %v", l1, priced["total"])
		}
		admin.must(400, "POST", "/api/v1/sales/price", map[string]any{"lines": []any{map[string]any{"item_id": cola, "qty": "0"}}})

		admin.must(204, "POST", fmt.Sprintf("/api/v1/promotions/%v/archive", id), nil)
		p["name"] = "九折活动"
		admin.must(409, "PUT", fmt.Sprintf("/api/v1/promotions/%v", id), p) // archiving bumped the version
		got := admin.must(200, "GET", fmt.Sprintf("/api/v1/promotions/%v", id), nil)
		got["name"] = "九折活动"
		for _, k := range []string{"id", "created_at", "updated_at", "archived"} {
			delete(got, k)
		}
		if upd := admin.must(200, "PUT", fmt.Sprintf("/api/v1/promotions/%v", id), got); upd["name"] != "九折活动" || upd["archived"] != true {
			t.Errorf("update: %v", upd)
		}

		// The salesperson reads promotions and prices bills but does not
		// change promotions; the cashier does neither.
		users := admin.standardUsers(srv, "sales", "cashier")
		sales, cashier := users["sales"], users["cashier"]
		sales.must(200, "GET", "/api/v1/promotions", nil)
		sales.must(200, "POST", "/api/v1/sales/price", map[string]any{"lines": []any{map[string]any{"item_id": cola, "qty": "1"}}})
		sales.must(403, "POST", "/api/v1/promotions", promo)
		cashier.must(403, "GET", "/api/v1/promotions", nil)
		cashier.must(403, "POST", "/api/v1/sales/price", map[string]any{"lines": []any{map[string]any{"item_id": cola, "qty": "1"}}})

		admin.must(204, "DELETE", fmt.Sprintf("/api/v1/promotions/%v", id), nil)
		admin.must(404, "GET", fmt.Sprintf("/api/v1/promotions/%v", id), nil)
	})
}

// standardUsers makes one user per standard role code (named after it,
// password "<code> password 1") and returns each signed in.
func (c *client) standardUsers(h http.Handler, codes ...string) map[string]*client {
	c.t.Helper()
	roles := c.must(200, "GET", "/api/v1/roles", nil)["items"].([]any)
	co := c.must(200, "GET", "/api/v1/auth/me", nil)["company_id"]
	role := map[string]any{}
	for _, x := range roles {
		m := x.(map[string]any)
		role[m["code"].(string)] = m["id"]
	}
	out := map[string]*client{}
	for _, u := range codes {
		out[u] = c.userWith(h, co, u, role[u])
	}
	return out
}

// roleUser makes a role holding perms and a user holding it, both named
// name (password "<name> password 1"), and returns the user signed in.
func (c *client) roleUser(h http.Handler, name string, perms ...string) *client {
	c.t.Helper()
	co := c.must(200, "GET", "/api/v1/auth/me", nil)["company_id"]
	role := c.must(201, "POST", "/api/v1/roles", map[string]any{"code": name, "name": name, "perms": perms, "warehouse_ids": []any{}})
	return c.userWith(h, co, name, role["id"])
}

// userWith makes a user holding a role in company co, password
// "<name> password 1", and returns it signed in.
func (c *client) userWith(h http.Handler, co any, name string, roleID any) *client {
	c.t.Helper()
	c.must(201, "POST", "/api/v1/users", map[string]any{"username": name, "password": name + " password 1", "active": true,
		"roles": []any{map[string]any{"company_id": co, "role_id": roleID}}})
	u := &client{t: c.t, h: h}
	u.login(name, name+" password 1")
	return u
}
