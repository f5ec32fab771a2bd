package httpapi_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/jxc-erp/jxc/internal/sheet"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// Sales documents print from the quotation to the receipt: each with the
// customer, how to reach them, its own fields and the amount in Chinese
// capitals; the delivery note on 241 mm continuous forms too, with the
// signature lines and which copy goes where; the pick list for the
// warehouse; the customer's statement as PDF and Excel. A warehouse clerk
// prints the delivery note with the customer's prices but never what the
// goods cost, and may not print an invoice.
func TestPrintSalesDocs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv, c := newServer(t, db)
		pcs, box := c.units()
		cola := c.must(201, "POST", "/api/v1/items", itemBody("COLA", "可口可乐 330ml", pcs, box, "6900000000017", "6900000000024"))["id"]
		milk := c.must(201, "POST", "/api/v1/items", map[string]any{"code": "MILK", "name": "鲜牛奶", "spec": "1L", "base_unit_id": pcs,
			"tracking": "batch", "tax_rate": "9"})["id"]
		wh := c.must(201, "POST", "/api/v1/warehouses", map[string]any{"code": "W1", "name": "总仓"})["id"]
		a1 := c.must(201, "POST", fmt.Sprintf("/api/v1/warehouses/%v/locations", wh), map[string]any{"code": "A-01", "name": "A区1号"})["id"]
		a2 := c.must(201, "POST", fmt.Sprintf("/api/v1/warehouses/%v/locations", wh), map[string]any{"code": "A-02", "name": "A区2号"})["id"]
		cust := c.must(201, "POST", "/api/v1/partners", map[string]any{"code": "C1", "name": "华东超市", "name_en": "East Mart", "kind": "customer",
			"payment_terms_days": 30,
			"contacts":           []any{map[string]any{"name": "王经理", "mobile": "13800000001", "primary": true}},
			"addresses":          []any{map[string]any{"region": "上海市浦东新区", "line": "张江路 1 号", "receiver": "李四", "phone": "021-55550000", "primary": true}},
		})["id"]
		acct := c.must(201, "POST", "/api/v1/accounts", map[string]any{"code": "BANK", "name": "工商银行", "kind": "bank"})["id"]

		// Stock at cost: cola 1.50 a can (a box of 24 costs 36.00), milk 3.00.
		c.must(201, "POST", "/api/v1/stock/documents?post=true", map[string]any{"type": "stock_opening", "warehouse_id": wh, "lines": []any{
			map[string]any{"item_id": cola, "qty": "100", "price": "1.5", "location_id": a1},
			map[string]any{"item_id": milk, "qty": "20", "price": "3", "batch": "M-1", "expiry": "2027-01-01", "location_id": a2},
		}})

		// A quotation with prices incl. 13 %: 2 boxes at 96.00 = 192.00, and
		// 5 milk at 8.00 (9 %) less 10 % = 36.00: 228.00 in all.
		q := c.must(201, "POST", "/api/v1/sales/quotes?post=true", map[string]any{"partner_id": cust, "warehouse_id": wh, "tax_included": true,
			"date": "2026-11-02", "expected_date": "2026-11-30", "ref": "PO-7788", "note": "报价含运费", "lines": []any{
				map[string]any{"item_id": cola, "unit_id": box, "qty": "2", "price": "96", "tax_rate": "13"},
				map[string]any{"item_id": milk, "qty": "5", "price": "8", "tax_rate": "9", "discount_rate": "10"},
			}})
		if q["gross_amount"] != "228.00" {
			t.Fatalf("quote: %v", q)
		}
		qpath := fmt.Sprintf("/api/v1/sales/quotes/%v/pdf", q["id"])
		contains(t, "quote", pdfText(t, c.do("GET", qpath, nil)), []string{"测试商贸", "报价单", q["number"].(string), "2026-11-02",
			"客户：华东超市", "联系人：王经理", "电话：13800000001", "地址：上海市浦东新区 张江路 1 号", "业务员：boss", "仓库：总仓",
			"客户单号：PO-7788", "有效期至：2026-11-30", "单价：含税", "可口可乐 330ml", "COLA", "箱", "96.00", "192.00", "10%", "13%", "9%",
			"含税金额", "税额", "36.00", "228.00", "合计金额（大写）：贰佰贰拾捌元整", "￥228.00", "备注：报价含运费", "客户确认："}, "草稿", "□")
		c.lang = "en"
		contains(t, "quote in English", pdfText(t, c.do("GET", qpath, nil)), []string{"Quotation", "Customer: East Mart", "Valid until: 2026-11-30",
			"Unit price", "228.00"}, "大写", "贰")
		c.lang = ""

		// The order follows the quote and holds the stock; its pick list.
		ql := q["lines"].([]any)
		o := c.must(201, "POST", "/api/v1/sales/orders?post=true", map[string]any{"partner_id": cust, "warehouse_id": wh, "date": "2026-11-03", "expected_date": "2026-11-10",
			"lines": []any{map[string]any{"source_line_id": ql[0].(map[string]any)["id"], "qty": "2"},
				map[string]any{"source_line_id": ql[1].(map[string]any)["id"], "qty": "5"}}})
		contains(t, "order", pdfText(t, c.do("GET", fmt.Sprintf("/api/v1/sales/orders/%v/pdf", o["id"]), nil)), []string{"销售订单",
			o["number"].(string), "收货地址：上海市浦东新区 张江路 1 号", "联系人：李四", "交货日期：2026-11-10", "来源单据：" + q["number"].(string),
			"贰佰贰拾捌元整"})
		pick := pdfText(t, c.do("GET", fmt.Sprintf("/api/v1/sales/orders/%v/pick-list/pdf", o["id"]), nil))
		contains(t, "pick list", pick, []string{"拣货单", o["number"].(string), "客户：华东超市", "应拣数量", "实拣", "A-01", "A-02", "M-1",
			"2027-01-01", "拣货人："}, "96.00", "未预留")
		if i, j := strings.Index(pick, "A-01"), strings.Index(pick, "A-02"); i > j {
			t.Errorf("pick list not in bin order:\n%s", pick)
		}
		// A draft holds nothing yet: its lines are still to pick, from no bin.
		draft := c.must(201, "POST", "/api/v1/sales/orders", map[string]any{"partner_id": cust, "warehouse_id": wh,
			"lines": []any{map[string]any{"item_id": cola, "qty": "3", "note": "急"}}})
		contains(t, "draft pick list", pdfText(t, c.do("GET", fmt.Sprintf("/api/v1/sales/orders/%v/pick-list/pdf", draft["id"]), nil)),
			[]string{"拣货单", "草稿", "COLA", "未预留 急"}, "A-01")

		// A warehouse clerk ships it and prints the delivery note.
		roles := c.must(200, "GET", "/api/v1/roles?q=warehouse", nil)["items"].([]any)
		co := c.must(200, "GET", "/api/v1/auth/me", nil)["company_id"]
		c.must(201, "POST", "/api/v1/users", map[string]any{"username": "keeper", "display_name": "仓管小张", "password": "keeper password 1", "active": true,
			"roles": []any{map[string]any{"company_id": co, "role_id": roles[0].(map[string]any)["id"]}}})
		keeper := &client{t: t, h: srv}
		keeper.login("keeper", "keeper password 1")
		ol := o["lines"].([]any)
		sh := keeper.must(201, "POST", "/api/v1/sales/shipments?post=true", map[string]any{"partner_id": cust, "warehouse_id": wh,
			"lines": []any{map[string]any{"source_line_id": ol[0].(map[string]any)["id"], "qty": "2"},
				map[string]any{"source_line_id": ol[1].(map[string]any)["id"], "qty": "5"}}})
		spath := fmt.Sprintf("/api/v1/sales/shipments/%v/pdf", sh["id"])
		// What the goods cost (48 × 1.50 = 72.00, 5 × 3.00 = 15.00) is on no print.
		want := []string{"送货单", sh["number"].(string), "收货地址：上海市浦东新区 张江路 1 号", "联系人：李四", "电话：021-55550000",
			"M-1", "96.00", "192.00", "228.00", "贰佰贰拾捌元整", "送货人：", "收货人签字：", "第一联 存根联", "第二联 客户联", "第三联 回单联"}
		contains(t, "delivery note (keeper)", pdfText(t, keeper.do("GET", spath, nil)), want, "72.00", "15.00", "87.00")
		contains(t, "delivery note (boss)", pdfText(t, c.do("GET", spath, nil)), want, "72.00", "15.00", "87.00")
		form := keeper.do("GET", spath+"?paper=241", nil)
		if !bytes.Contains(form.body, []byte("/MediaBox [ 0 0 683.15 396.85 ]")) {
			t.Errorf("paper=241 is not 241 × 140 mm")
		}
		contains(t, "delivery note on 241", pdfText(t, form), want, "72.00")
		keeper.lang = "en"
		contains(t, "delivery note in English", pdfText(t, keeper.do("GET", spath, nil)), []string{"Delivery Note", "Deliver to: 上海市浦东新区",
			"Delivered by:", "Received by:", "Copy 1: stub · Copy 2: customer · Copy 3: signed return"}, "□", "大写", "72.00")
		keeper.lang = ""
		keeper.must(403, "GET", "/api/v1/sales/invoices/1/pdf", nil)
		keeper.must(403, "GET", fmt.Sprintf("/api/v1/sales/statements/%v/pdf?from=2026-01-01&to=2026-12-31", cust), nil)

		// One box comes back; the other is invoiced and paid with 100.00.
		sl := sh["lines"].([]any)[0].(map[string]any)
		ret := c.must(201, "POST", "/api/v1/sales/returns?post=true", map[string]any{"partner_id": cust, "warehouse_id": wh,
			"lines": []any{map[string]any{"source_line_id": sl["id"], "qty": "1", "note": "破损"}}})
		contains(t, "return", pdfText(t, c.do("GET", fmt.Sprintf("/api/v1/sales/returns/%v/pdf", ret["id"]), nil)), []string{"销售退货单",
			"来源单据：" + sh["number"].(string), "破损", "96.00", "玖拾陆元整"}, "36.00")
		inv := c.must(201, "POST", "/api/v1/sales/invoices?post=true", map[string]any{"partner_id": cust, "tax_included": true,
			"lines": []any{map[string]any{"source_line_id": sl["id"], "qty": "1"}}})
		contains(t, "invoice", pdfText(t, c.do("GET", fmt.Sprintf("/api/v1/sales/invoices/%v/pdf", inv["id"]), nil)), []string{"销售开票单",
			inv["number"].(string), "到期日：", "96.00", "11.04", "玖拾陆元整", "本单不是增值税发票"})
		rc := c.must(201, "POST", "/api/v1/sales/receipts?post=true", map[string]any{"partner_id": cust, "account_id": acct, "amount": "100",
			"apply": []any{map[string]any{"debit_id": inv["id"], "amount": "96"}}})
		contains(t, "receipt", pdfText(t, c.do("GET", fmt.Sprintf("/api/v1/sales/receipts/%v/pdf", rc["id"]), nil)), []string{"收款收据",
			rc["number"].(string), "收款账户：工商银行", "核销销售开票单", inv["number"].(string), "96.00", "预收款（未核销）", "4.00",
			"100.00", "壹佰元整", "出纳：", "交款人："})

		// The statement: invoiced 96.00, received 100.00, 4.00 in the customer's favour.
		day := inv["date"].(string)
		stpath := fmt.Sprintf("/api/v1/sales/statements/%v/%%s?from=%s&to=%s", cust, day, day)
		contains(t, "statement", pdfText(t, c.do("GET", fmt.Sprintf(stpath, "pdf"), nil)), []string{"客户对账单", "客户：华东超市",
			"期初余额", "销售开票单", "收款收据", "客户单号", "应收增加", "应收减少", "-4.00", "应收余额（大写）：负肆元整", "客户编码：C1", "客户确认："})
		x := c.do("GET", fmt.Sprintf(stpath, "xlsx"), nil)
		rows, err := sheet.ReadXLSX(bytes.NewReader(x.body), 100)
		if err != nil || len(rows) != 5 || rows[0][4] != "应收增加" || rows[2][2] != "销售开票单" || rows[4][6] != "-4.00" {
			t.Errorf("statement xlsx (%v): %v", err, rows)
		}
		if cd := x.header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, ".xlsx") {
			t.Errorf("statement xlsx Content-Disposition = %q", cd)
		}

		c.must(404, "GET", fmt.Sprintf("/api/v1/sales/orders/%v/pdf", q["id"]), nil) // a quote is not an order
		c.must(404, "GET", fmt.Sprintf("/api/v1/sales/orders/%v/pick-list/pdf", sh["id"]), nil)
		c.must(400, "GET", qpath+"?paper=a3", nil)
	})
}

// A long delivery note on 241 mm forms runs on over pages, each with the
// header and its page number, the totals and signatures on the last.
func TestPrintSalesLong(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, c := newServer(t, db)
		pcs, _ := c.units()
		wh := c.must(201, "POST", "/api/v1/warehouses", map[string]any{"code": "W1", "name": "总仓"})["id"]
		cust := c.must(201, "POST", "/api/v1/partners", map[string]any{"code": "C1", "name": "华东超市", "kind": "customer"})["id"]
		var lines, stock []any
		for i := range 80 {
			id := c.must(201, "POST", "/api/v1/items", map[string]any{"code": fmt.Sprintf("SKU-%03d", i+1), "name": fmt.Sprintf("商品%d号", i+1),
				"base_unit_id": pcs, "tax_rate": "0"})["id"]
			stock = append(stock, map[string]any{"item_id": id, "qty": "10", "price": "1"})
			lines = append(lines, map[string]any{"item_id": id, "qty": "1", "price": "2.5"})
		}
		c.must(201, "POST", "/api/v1/stock/documents?post=true", map[string]any{"type": "stock_opening", "warehouse_id": wh, "lines": stock})
		sh := c.must(201, "POST", "/api/v1/sales/shipments?post=true", map[string]any{"partner_id": cust, "warehouse_id": wh, "lines": lines})
		text := pdfText(t, c.do("GET", fmt.Sprintf("/api/v1/sales/shipments/%v/pdf?paper=241", sh["id"]), nil))
		pages := strings.Split(strings.TrimRight(text, "\f"), "\f")
		if len(pages) < 5 {
			t.Fatalf("80 lines on %d forms", len(pages))
		}
		for i, pg := range pages {
			contains(t, fmt.Sprintf("form %d", i+1), pg, []string{"送货单", sh["number"].(string), "客户：华东超市", "商品编码",
				fmt.Sprintf("第 %d 页，共 %d 页", i+1, len(pages)), "第二联 客户联"})
			if last := i == len(pages)-1; strings.Contains(pg, "收货人签字") != last {
				t.Errorf("form %d: signatures %v", i+1, !last)
			}
		}
		for i := 1; i <= 80; i++ {
			if n := strings.Count(text, fmt.Sprintf("SKU-%03d", i)); n != 1 {
				t.Errorf("SKU-%03d printed %d times", i, n)
			}
		}
		contains(t, "last form", pages[len(pages)-1], []string{"200.00", "贰佰元整"})
	})
}
