package httpapi_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// TestAccountBalancesAPI: a bank account opened with 100.00 takes a
// receipt of 25.50: its balance is 125.50 and its journal of today shows
// the receipt with the customer; a bookkeeper reads both, a role without
// report.finance.read neither; bad ranges are refused with the field named.
func TestAccountBalancesAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv, admin := newServer(t, db)
		today := time.Now().Format("2006-01-02")
		bank := admin.must(201, "POST", "/api/v1/accounts", map[string]any{"code": "BANK", "name": "工行", "name_en": "ICBC", "kind": "bank",
			"opening_balance": "100", "opening_date": "2026-01-01"})
		cust := admin.must(201, "POST", "/api/v1/partners", map[string]any{"code": "C1", "name": "客户甲", "name_en": "Customer A", "kind": "customer"})
		admin.must(201, "POST", "/api/v1/sales/receipts?post=true", map[string]any{"partner_id": cust["id"], "account_id": bank["id"], "amount": "25.50"})

		r := admin.do("GET", "/api/v1/accounts/balances", nil)
		var bs []map[string]any
		if r.status != 200 || json.Unmarshal(r.body, &bs) != nil || len(bs) != 1 || bs[0]["balance"] != "125.50" || bs[0]["in"] != "25.50" ||
			bs[0]["opening"] != "100.00" || bs[0]["last_date"] != today {
			t.Fatalf("balances = %d %s", r.status, r.body)
		}
		path := fmt.Sprintf("/api/v1/accounts/%v/journal?from=%s&to=%s", bank["id"], today, today)
		j := admin.must(200, "GET", path, nil)
		rows := j["rows"].([]any)
		if j["opening"] != "100.00" || j["closing"] != "125.50" || j["total"] != float64(1) || len(rows) != 1 {
			t.Fatalf("journal = %v", j)
		}
		if row := rows[0].(map[string]any); row["type"] != "receipt" || row["in"] != "25.50" || row["partner_name_en"] != "Customer A" || row["balance"] != "125.50" {
			t.Errorf("row = %v", row)
		}

		admin.lang = "en"
		bad := admin.must(400, "GET", fmt.Sprintf("/api/v1/accounts/%v/journal?from=%s&to=2026-01-01", bank["id"], today), nil)
		if fe := bad["errors"].([]any)[0].(map[string]any); fe["field"] != "to" || fe["rule"] != "before_start" {
			t.Errorf("to before from = %v", fe)
		}
		admin.must(400, "GET", fmt.Sprintf("/api/v1/accounts/%v/journal?from=%s&to=%s&limit=5000", bank["id"], today, today), nil)
		admin.must(404, "GET", fmt.Sprintf("/api/v1/accounts/9999/journal?from=%s&to=%s", today, today), nil)
		admin.lang = ""

		// The bookkeeper reads the money; the cashier, who picks accounts at
		// the counter, reads their names only.
		co := admin.must(200, "GET", "/api/v1/auth/me", nil)["company_id"]
		for _, code := range []string{"bookkeeper", "cashier"} {
			role := admin.must(200, "GET", "/api/v1/roles?q="+code, nil)["items"].([]any)[0].(map[string]any)
			admin.must(201, "POST", "/api/v1/users", map[string]any{"username": code + "1", "password": "clerk password 1", "active": true,
				"roles": []any{map[string]any{"company_id": co, "role_id": role["id"]}}})
		}
		bk := &client{t: t, h: srv}
		bk.login("bookkeeper1", "clerk password 1")
		if r := bk.do("GET", "/api/v1/accounts/balances", nil); r.status != 200 {
			t.Errorf("bookkeeper balances = %d", r.status)
		}
		bk.must(200, "GET", path, nil)
		v := &client{t: t, h: srv}
		v.login("cashier1", "clerk password 1")
		v.must(200, "GET", "/api/v1/accounts", nil)
		v.must(403, "GET", "/api/v1/accounts/balances", nil)
		v.must(403, "GET", path, nil)
	})
}
