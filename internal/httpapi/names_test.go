package httpapi_test

import (
	"encoding/json"
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

// Promotions, bins, customer tiers and the company itself have an English
// name beside the Chinese one, like items and partners: it is kept (trimmed),
// limited like theirs, carried beside the Chinese name where a list names a
// bin, and printed as the company's name on a print in English.
func TestEnglishNamesOfPromotionsBinsTiersCompany(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, admin := newServer(t, db)
		long := strings.Repeat("x", 201)
		// refused checks that a body is refused naming field.
		refused := func(method, path string, body map[string]any, field string) {
			t.Helper()
			got := admin.must(400, method, path, body)
			for _, e := range got["errors"].([]any) {
				if e.(map[string]any)["field"] == field {
					return
				}
			}
			t.Errorf("%s %s: errors %v; want one for %s", method, path, got["errors"], field)
		}
		// list reads an answer that is a JSON array.
		list := func(path string) []map[string]any {
			t.Helper()
			r := admin.do("GET", path, nil)
			var out []map[string]any
			if err := json.Unmarshal(r.body, &out); r.status != 200 || err != nil {
				t.Fatalf("GET %s = %d, %v: %s", path, r.status, err, r.body)
			}
			return out
		}

		// The company and its tiers.
		coPath := fmt.Sprintf("/api/v1/companies/%v", admin.must(200, "GET", "/api/v1/auth/me", nil)["company_id"])
		co := admin.must(200, "GET", coPath, nil)
		if co["name_en"] != "" {
			t.Errorf("a new company's name_en = %q; want empty", co["name_en"])
		}
		co["name_en"] = "  Test Trading Co. "
		settings := co["settings"].(map[string]any)
		settings["customer_tiers"] = []any{map[string]any{"code": "VIP", "name": "VIP客户", "name_en": " VIP customer "},
			map[string]any{"code": "A", "name": "A级客户"}}
		co = admin.must(200, "PUT", coPath, co)
		tiers := co["settings"].(map[string]any)["customer_tiers"].([]any)
		if co["name_en"] != "Test Trading Co." || tiers[0].(map[string]any)["name_en"] != "VIP customer" || tiers[1].(map[string]any)["name_en"] != "" {
			t.Errorf("company saved as name_en %q, tiers %v; want Test Trading Co., VIP customer and none", co["name_en"], tiers)
		}
		me := admin.must(200, "GET", "/api/v1/auth/me", nil)["companies"].([]any)[0].(map[string]any)
		if me["name_en"] != "Test Trading Co." {
			t.Errorf("/auth/me names the company %q in English; want Test Trading Co.", me["name_en"])
		}
		co["name_en"] = long
		refused("PUT", coPath, co, "name_en")
		co["name_en"] = "Test Trading Co."
		tiers[1].(map[string]any)["name_en"] = long
		refused("PUT", coPath, co, "settings.customer_tiers[1].name_en")

		// A bin: created, renamed, refused, and named in both languages by
		// the serial lookup.
		wh := admin.must(201, "POST", "/api/v1/warehouses", map[string]any{"code": "W1", "name": "总仓", "name_en": "Main Warehouse"})["id"]
		binsPath := fmt.Sprintf("/api/v1/warehouses/%v/locations", wh)
		bin := admin.must(201, "POST", binsPath, map[string]any{"code": "A-01", "name": "A区01架", "name_en": " Zone A rack 01 "})
		if bin["name_en"] != "Zone A rack 01" {
			t.Errorf("bin created with name_en %q; want Zone A rack 01", bin["name_en"])
		}
		binPath := fmt.Sprintf("%s/%v", binsPath, bin["id"])
		bin["name_en"] = "Zone A shelf 01"
		if got := admin.must(200, "PUT", binPath, bin); got["name_en"] != "Zone A shelf 01" {
			t.Errorf("bin renamed to %q; want Zone A shelf 01", got["name_en"])
		}
		var listed map[string]any
		for _, l := range list(binsPath) {
			if l["code"] == "A-01" {
				listed = l
			}
		}
		if listed["name_en"] != "Zone A shelf 01" {
			t.Errorf("bin list names A-01 %v; want Zone A shelf 01", listed)
		}
		refused("POST", binsPath, map[string]any{"code": "A-02", "name": "A区02架", "name_en": long}, "name_en")
		pcs := admin.must(201, "POST", "/api/v1/units", map[string]any{"code": "pcs", "name": "个"})["id"]
		phone := admin.must(201, "POST", "/api/v1/items", map[string]any{"code": "PHONE", "name": "手机", "base_unit_id": pcs, "tracking": "serial"})["id"]
		admin.must(201, "POST", "/api/v1/stock/documents?post=true", map[string]any{"type": "stock_opening", "warehouse_id": wh, "lines": []any{
			map[string]any{"item_id": phone, "qty": "1", "price": "900", "location_id": bin["id"], "serials": []any{"SN-1"}}}})
		found := list("/api/v1/stock/serials?serial=SN-1")
		if len(found) != 1 || found[0]["location_name"] != "A区01架" || found[0]["location_name_en"] != "Zone A shelf 01" {
			t.Fatalf("serial SN-1 = %v; want it at A区01架 / Zone A shelf 01", found)
		}
		if ev := found[0]["history"].([]any)[0].(map[string]any); ev["to_name"] != "A区01架" || ev["to_name_en"] != "Zone A shelf 01" || ev["from_name_en"] != "" {
			t.Errorf("serial SN-1's move = %v; want it to A区01架 / Zone A shelf 01", ev)
		}

		// A promotion: created, read back, listed, refused.
		promo := map[string]any{"code": "P10", "name": "九折", "name_en": " 10% off ", "kind": "percent", "rate": "10",
			"valid_from": "2026-01-01", "valid_to": "2026-12-31", "scope": "all", "tiers": []any{"VIP"}}
		id := admin.must(201, "POST", "/api/v1/promotions", promo)["id"]
		if got := admin.must(200, "GET", fmt.Sprintf("/api/v1/promotions/%v", id), nil); got["name_en"] != "10% off" {
			t.Errorf("promotion read back with name_en %q; want 10%% off", got["name_en"])
		}
		if got := admin.must(200, "GET", "/api/v1/promotions?q=P10", nil)["items"].([]any); len(got) != 1 || got[0].(map[string]any)["name_en"] != "10% off" {
			t.Errorf("promotion list = %v; want P10 named 10%% off", got)
		}
		// Found by the English name as well (any case), as an English user searches.
		if got := admin.must(200, "GET", "/api/v1/promotions?q=OFF", nil)["items"].([]any); len(got) != 1 || got[0].(map[string]any)["code"] != "P10" {
			t.Errorf("promotions found by English name = %v; want P10", got)
		}
		admin.must(201, "POST", "/api/v1/brands", map[string]any{"code": "B1", "name": "青岛", "name_en": "Tsingtao"})
		if got := admin.must(200, "GET", "/api/v1/brands?q=tsing", nil)["items"].([]any); len(got) != 1 || got[0].(map[string]any)["code"] != "B1" {
			t.Errorf("brands found by English name = %v; want B1", got)
		}
		promo["code"], promo["name_en"] = "P20", long
		refused("POST", "/api/v1/promotions", promo, "name_en")

		// A print in English is headed with the company's English name; in
		// Chinese with its Chinese name.
		cust := admin.must(201, "POST", "/api/v1/partners", map[string]any{"code": "C1", "name": "便利店", "kind": "customer"})["id"]
		q := admin.must(201, "POST", "/api/v1/sales/quotes", map[string]any{"partner_id": cust, "warehouse_id": wh,
			"lines": []any{map[string]any{"item_id": phone, "qty": "1", "price": "1200"}}})
		qpath := fmt.Sprintf("/api/v1/sales/quotes/%v/pdf", q["id"])
		contains(t, "quote in English", pdfText(t, admin.do("GET", qpath+"?lang=en", nil)), []string{"Test Trading Co.", "Quotation"}, "测试商贸")
		contains(t, "quote in Chinese", pdfText(t, admin.do("GET", qpath+"?lang=zh-CN", nil)), []string{"测试商贸", "报价单"}, "Test Trading")
	})
}
