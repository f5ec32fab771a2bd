package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// Lists that name a partner, an item or a warehouse by denormalised fields
// carry the English name beside the Chinese one, so that the English UI
// can show it (partner_name_en, item_name_en, warehouse_name_en …).
func TestEnglishNamesBesideNames(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, admin := newServer(t, db)
		pcs, box := admin.units()
		body := itemBody("COLA", "可乐", pcs, box, "6900000000017", "6900000000024")
		body["name_en"] = "Cola"
		item := admin.must(201, "POST", "/api/v1/items", body)["id"].(float64)
		wh := admin.must(201, "POST", "/api/v1/warehouses", map[string]any{"code": "W1", "name": "总仓", "name_en": "Main Warehouse"})["id"].(float64)
		sup := admin.must(201, "POST", "/api/v1/partners", map[string]any{"code": "S1", "name": "饮料批发", "name_en": "Drinks Wholesale", "kind": "supplier"})["id"].(float64)
		cust := admin.must(201, "POST", "/api/v1/partners", map[string]any{"code": "C1", "name": "便利店", "kind": "customer"})["id"].(float64)

		// A document names its partner in both languages: in the answer to
		// its posting, when read back and in the list.
		check := func(where string, d map[string]any, name, nameEn string) {
			t.Helper()
			if d["partner_name"] != name || d["partner_name_en"] != nameEn {
				t.Errorf("%s: partner_name %q, partner_name_en %q; want %q, %q", where, d["partner_name"], d["partner_name_en"], name, nameEn)
			}
		}
		po := admin.must(201, "POST", "/api/v1/purchase/orders?post=true", map[string]any{"partner_id": sup, "warehouse_id": wh,
			"lines": []any{map[string]any{"item_id": item, "unit_id": box, "qty": "2", "price": "56.50", "tax_rate": "13"}}})
		check("posted order", po, "饮料批发", "Drinks Wholesale")
		rc := admin.must(201, "POST", "/api/v1/purchase/receipts?post=true", map[string]any{"partner_id": sup, "warehouse_id": wh,
			"lines": []any{map[string]any{"item_id": item, "unit_id": box, "qty": "1", "price": "56.50", "tax_rate": "13"}}})
		check("posted receipt", rc, "饮料批发", "Drinks Wholesale")
		check("order read back", admin.must(200, "GET", fmt.Sprintf("/api/v1/purchase/orders/%v", po["id"]), nil), "饮料批发", "Drinks Wholesale")
		list := admin.must(200, "GET", "/api/v1/purchase/orders", nil)["items"].([]any)
		check("order list", list[0].(map[string]any), "饮料批发", "Drinks Wholesale")
		so := admin.must(201, "POST", "/api/v1/sales/orders", map[string]any{"partner_id": cust, "warehouse_id": wh,
			"lines": []any{map[string]any{"item_id": item, "qty": "1", "price": "10"}}})
		check("sales order without an English name", so, "便利店", "")

		// Stock lists name the item in both languages.
		bal := admin.must(200, "GET", "/api/v1/stock/balances?group=warehouse", nil)["items"].([]any)[0].(map[string]any)
		if bal["item_name"] != "可乐" || bal["item_name_en"] != "Cola" {
			t.Errorf("balance row names the item %q / %q; want 可乐 / Cola", bal["item_name"], bal["item_name_en"])
		}
		byItem := admin.must(200, "GET", "/api/v1/stock/balances?group=item&sort=-on_hand", nil)["items"].([]any)[0].(map[string]any)
		if byItem["item_name_en"] != "Cola" {
			t.Errorf("grouped balance row names the item %q in English; want Cola", byItem["item_name_en"])
		}
		today := time.Now().Format("2006-01-02")
		mv := admin.must(200, "GET", "/api/v1/stock/movements?from="+today+"&to="+today, nil)["items"].([]any)
		if len(mv) != 1 || mv[0].(map[string]any)["item_name_en"] != "Cola" {
			t.Errorf("movement rows = %v; want one naming Cola", mv)
		}
		// The English name finds the item, and an English export writes it.
		if found := admin.must(200, "GET", "/api/v1/stock/balances?group=item&q=cOl", nil)["items"].([]any); len(found) != 1 {
			t.Errorf("search cOl found %d rows; want Cola", len(found))
		}
		for _, path := range []string{"/api/v1/stock/balances/export?group=item", "/api/v1/stock/movements/export?from=" + today + "&to=" + today} {
			for lang, want := range map[string]string{"en": ",Cola,", "zh-CN": ",可乐,"} {
				if r := admin.do("GET", path+"&lang="+lang, nil); r.status != 200 || !strings.Contains(string(r.body), want) {
					t.Errorf("%s in %s = %d, want a row with %s:\n%s", path, lang, r.status, want, r.body)
				}
			}
		}

		// A follow-up names its partner in both languages.
		admin.must(201, "POST", fmt.Sprintf("/api/v1/partners/%v/followups", sup), map[string]any{"kind": "call", "note": "报价", "next_action": "回电", "next_date": today})
		rem := admin.must(200, "GET", "/api/v1/crm/reminders?all=true", nil)["items"].([]any)
		if len(rem) != 1 || rem[0].(map[string]any)["partner_name_en"] != "Drinks Wholesale" {
			t.Errorf("reminders = %v; want one naming Drinks Wholesale", rem)
		}
	})
}
