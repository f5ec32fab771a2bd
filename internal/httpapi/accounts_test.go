package httpapi_test

import (
	"fmt"
	"testing"

	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

func TestMoneyAccountsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv, admin := newServer(t, db)

		bankBody := map[string]any{"code": "BANK-1", "name": "工行基本户", "kind": "bank", "bank_name": "工商银行",
			"bank_account": "6222020000001234", "opening_balance": "10000.50", "opening_date": "2026-01-01"}
		bank := admin.must(201, "POST", "/api/v1/accounts", bankBody, "Idempotency-Key", "acc-1")
		if bank["opening_balance"] != "10000.50" || bank["currency"] != "CNY" || bank["opening_date"] != "2026-01-01" || bank["version"] != float64(1) {
			t.Errorf("created = %v", bank)
		}
		// A retry with the same key replays, not duplicates.
		again := admin.must(201, "POST", "/api/v1/accounts", bankBody, "Idempotency-Key", "acc-1")
		if again["id"] != bank["id"] {
			t.Errorf("replayed id %v, want %v", again["id"], bank["id"])
		}
		admin.must(201, "POST", "/api/v1/accounts", map[string]any{"code": "CASH", "name": "现金", "kind": "cash"})

		list := admin.must(200, "GET", "/api/v1/accounts?sort=-code", nil)
		items := list["items"].([]any)
		if list["total"] != float64(2) || items[0].(map[string]any)["code"] != "CASH" {
			t.Errorf("list = %v", list)
		}
		if got := admin.must(200, "GET", "/api/v1/accounts?kind=bank&q=6222", nil)["total"]; got != float64(0) {
			t.Errorf("search by account number = %v, want 0 (code and name only)", got)
		}
		if got := admin.must(200, "GET", "/api/v1/accounts?kind=bank", nil)["total"]; got != float64(1) {
			t.Errorf("kind=bank total = %v", got)
		}
		admin.must(400, "GET", "/api/v1/accounts?kind=paypal", nil)

		// Field errors are named and translated.
		admin.lang = "en"
		bad := admin.must(400, "POST", "/api/v1/accounts", map[string]any{"code": "WX", "name": "微信", "kind": "wechat", "bank_name": "x"})
		fe := bad["errors"].([]any)[0].(map[string]any)
		if fe["field"] != "bank_name" || fe["message"] != "Bank: only for bank accounts" {
			t.Errorf("error = %v", fe)
		}
		admin.lang = ""

		id := int(bank["id"].(float64))
		path := fmt.Sprintf("/api/v1/accounts/%d", id)
		bank["name"] = "工行基本户（新）"
		admin.must(200, "PUT", path, bank)
		admin.must(409, "PUT", path, bank) // the version sent is stale now
		admin.must(204, "POST", path+"/archive", nil)
		if got := admin.must(200, "GET", "/api/v1/accounts?archived=archived", nil)["total"]; got != float64(1) {
			t.Errorf("archived total = %v", got)
		}
		admin.must(204, "POST", path+"/restore", nil)
		admin.must(204, "DELETE", path, nil)
		admin.must(404, "GET", path, nil)

		// The viewer reads but may not write; a role without the
		// permission may not even read.
		co := admin.must(200, "GET", "/api/v1/auth/me", nil)["company_id"]
		viewer := admin.must(200, "GET", "/api/v1/roles?q=viewer", nil)["items"].([]any)[0].(map[string]any)
		itemsOnly := admin.must(201, "POST", "/api/v1/roles", map[string]any{"code": "items", "name": "只看商品", "perms": []any{"data.item.read"}})
		for _, u := range []struct {
			name string
			role any
		}{{"viewer1", viewer["id"]}, {"items1", itemsOnly["id"]}} {
			admin.must(201, "POST", "/api/v1/users", map[string]any{"username": u.name, "password": "clerk password 1", "active": true,
				"roles": []any{map[string]any{"company_id": co, "role_id": u.role}}})
		}
		v := &client{t: t, h: srv}
		v.login("viewer1", "clerk password 1")
		v.must(200, "GET", "/api/v1/accounts", nil)
		if got := v.must(403, "POST", "/api/v1/accounts", map[string]any{"code": "X", "name": "X", "kind": "cash"}); got["code"] != "forbidden" {
			t.Errorf("viewer create = %v", got)
		}
		o := &client{t: t, h: srv}
		o.login("items1", "clerk password 1")
		o.must(403, "GET", "/api/v1/accounts", nil)
		o.must(403, "GET", "/api/v1/accounts/1", nil)
	})
}
