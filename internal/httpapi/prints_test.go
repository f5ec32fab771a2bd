package httpapi_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

var printsKept atomic.Int32

// pdfText is the text of a PDF by pdftotext, pages split by form feeds.
func pdfText(t *testing.T, r resp) string {
	t.Helper()
	if r.status != 200 || r.header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(r.body, []byte("%PDF-")) {
		t.Fatalf("pdf = %d %v %.80q", r.status, r.header, r.body)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext (poppler-utils) is required in CI to read prints back")
		}
		t.Skip("pdftotext not installed")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, r.body, 0o644); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("JXC_PDF_OUT"); dir != "" { // numbered: a test reads back several prints
		n := printsKept.Add(1)
		_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%02d.pdf", strings.ReplaceAll(t.Name(), "/", "_"), n)), r.body, 0o644)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func contains(t *testing.T, what, text string, want []string, not ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
	for _, w := range not {
		if strings.Contains(text, w) {
			t.Errorf("%s shows %q:\n%s", what, w, text)
		}
	}
}

// Warehouse documents print as PDF: an opening balance with its amount in
// Chinese capitals, in English without them, for a clerk who may not see
// costs without any amount, a draft issue without costs, a reversal with
// negative figures, and a transfer naming both warehouses.
func TestPrintStockDoc(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv, c := newServer(t, db)
		pcs, box := c.units()
		id := c.must(201, "POST", "/api/v1/items", itemBody("COLA", "可口可乐 330ml", pcs, box, "6900000000017", "6900000000024"))["id"]
		wh := c.must(201, "POST", "/api/v1/warehouses", map[string]any{"code": "W1", "name": "总仓"})["id"]
		wh2 := c.must(201, "POST", "/api/v1/warehouses", map[string]any{"code": "W2", "name": "东区仓", "name_en": "East"})["id"]

		// 2 boxes at 50.00 = 100.00.
		op := c.must(201, "POST", "/api/v1/stock/documents?post=true", map[string]any{"type": "stock_opening", "warehouse_id": wh, "date": "2026-11-01",
			"note": "年初盘点", "lines": []any{map[string]any{"item_id": id, "unit_id": box, "qty": "2", "price": "50"}}})
		number := op["number"].(string)
		path := fmt.Sprintf("/api/v1/stock/documents/%v/pdf", op["id"])
		r := c.do("GET", path, nil)
		if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "inline;") || !strings.Contains(cd, number+".pdf") {
			t.Errorf("Content-Disposition = %q", cd)
		}
		contains(t, "opening", pdfText(t, r), []string{"测试商贸", "期初入库单", number, "2026-11-01", "仓库：总仓", "可口可乐 330ml", "COLA", "箱",
			"50.00", "100.00", "合计金额（大写）：壹佰元整", "备注：年初盘点", "制单：boss", "第 1 页，共 1 页"}, "草稿", "红冲")

		c.lang = "en"
		contains(t, "opening in English", pdfText(t, c.do("GET", path, nil)), []string{"Opening Stock", number, "Warehouse: 总仓", "Unit cost",
			"100.00", "Prepared by: boss", "Page 1 of 1"}, "大写", "壹佰", "期初")
		contains(t, "?lang=zh-CN", pdfText(t, c.do("GET", path+"?lang=zh-CN&paper=a5", nil)), []string{"期初入库单", "壹佰元整"})
		c.lang = ""

		// A warehouse clerk may read documents but not costs.
		roles := c.must(200, "GET", "/api/v1/roles?q=warehouse", nil)["items"].([]any)
		co := c.must(200, "GET", "/api/v1/auth/me", nil)["company_id"]
		c.must(201, "POST", "/api/v1/users", map[string]any{"username": "keeper", "password": "keeper password 1", "active": true,
			"roles": []any{map[string]any{"company_id": co, "role_id": roles[0].(map[string]any)["id"]}}})
		keeper := &client{t: t, h: srv}
		keeper.login("keeper", "keeper password 1")
		contains(t, "opening without costs", pdfText(t, keeper.do("GET", path, nil)), []string{"期初入库单", number, "可口可乐 330ml", "数量"},
			"100.00", "50.00", "壹佰", "金额", "单价")

		// A draft issue has no cost yet: quantities only, stamped 草稿.
		out := c.must(201, "POST", "/api/v1/stock/documents", map[string]any{"type": "stock_out", "reason": "damage", "warehouse_id": wh,
			"lines": []any{map[string]any{"item_id": id, "qty": "5", "note": "破损"}}})
		contains(t, "draft issue", pdfText(t, c.do("GET", fmt.Sprintf("/api/v1/stock/documents/%v/pdf", out["id"]), nil)),
			[]string{"其他出库单", "草稿", "原因：报损", "破损", "个"}, "金额", "大写")

		// The reversal of the opening: negative, naming its original.
		rev := c.must(200, "POST", fmt.Sprintf("/api/v1/stock/documents/%v/reverse", op["id"]), map[string]any{"note": "录错"})
		text := pdfText(t, c.do("GET", fmt.Sprintf("/api/v1/stock/documents/%v/pdf", rev["id"]), nil))
		contains(t, "reversal", text, []string{"期初入库单（红冲）", rev["number"].(string), "红冲原单：" + number, " -2 ", "-100.00", "负壹佰元整"})
		contains(t, "reversed original", pdfText(t, c.do("GET", path, nil)), []string{"已红冲", "红冲单：" + rev["number"].(string)})

		// A transfer to a warehouse with an English name.
		c.must(201, "POST", "/api/v1/stock/documents?post=true", map[string]any{"type": "stock_opening", "warehouse_id": wh,
			"lines": []any{map[string]any{"item_id": id, "qty": "10", "price": "2"}}})
		tr := c.must(201, "POST", "/api/v1/stock/documents?post=true", map[string]any{"type": "stock_transfer", "warehouse_id": wh, "to_warehouse_id": wh2,
			"lines": []any{map[string]any{"item_id": id, "qty": "3"}}})
		tpath := fmt.Sprintf("/api/v1/stock/documents/%v/pdf", tr["id"])
		contains(t, "transfer", pdfText(t, c.do("GET", tpath, nil)), []string{"调拨单", "调出仓库：总仓", "调入仓库：东区仓", "6.00", "陆元整"})
		c.lang = "en"
		contains(t, "transfer in English", pdfText(t, c.do("GET", tpath, nil)), []string{"Stock Transfer", "To warehouse: East"})
		c.lang = ""

		// A stocktake: a count sheet to fill in, then the variance; its
		// reversal moves only the variance back.
		st := c.must(201, "POST", "/api/v1/stock/stocktakes", map[string]any{"warehouse_id": wh2})
		spath := fmt.Sprintf("/api/v1/stock/documents/%v/pdf", st["id"])
		contains(t, "count sheet", pdfText(t, c.do("GET", spath, nil)), []string{"盘点单", "草稿", "账面数", "实盘数", "3", "盘点人："}, "金额")
		line := st["lines"].([]any)[0].(map[string]any)
		st = c.must(200, "POST", fmt.Sprintf("/api/v1/stock/stocktakes/%v/counts", st["id"]), map[string]any{"counts": []any{map[string]any{"line_id": line["id"], "qty": "1"}}})
		st = c.must(200, "POST", fmt.Sprintf("/api/v1/stock/documents/%v/post", st["id"]), map[string]any{"version": st["version"]})
		contains(t, "stocktake", pdfText(t, c.do("GET", spath, nil)), []string{"盈亏数", " -2 ", "-4.00"}, "草稿", "大写")
		strev := c.must(200, "POST", fmt.Sprintf("/api/v1/stock/documents/%v/reverse", st["id"]), map[string]any{})
		text = pdfText(t, c.do("GET", fmt.Sprintf("/api/v1/stock/documents/%v/pdf", strev["id"]), nil))
		contains(t, "stocktake reversal", text, []string{"盘点单（红冲）", "盈亏数", "4.00"}, "账面数", "-4.00", " -2 ")

		c.must(404, "GET", "/api/v1/stock/documents/99999/pdf", nil)
		c.must(400, "GET", path+"?paper=letter", nil)
	})
}
