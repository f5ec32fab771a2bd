package httpapi_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// Labels print as a PDF whose text holds the item's Chinese name, the price
// and the barcode digits, for the base unit and for a carton.
func TestPrintLabels(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, c := newServer(t, db)
		pcs, box := c.units()
		id := c.must(201, "POST", "/api/v1/items", itemBody("KL-330", "可口可乐 330ml", pcs, box, "6901234567892", "16901234567899"))["id"]
		r := c.do("POST", "/api/v1/labels", map[string]any{"layout": "a4_3x8", "price": "retail", "symbology": "auto",
			"items": []any{map[string]any{"item_id": id, "count": 2}, map[string]any{"item_id": id, "unit_id": box, "count": 1}}})
		if r.status != 200 || r.header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(r.body, []byte("%PDF")) {
			t.Fatalf("labels = %d %v %.60q", r.status, r.header, r.body)
		}
		if _, err := exec.LookPath("pdftotext"); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal("pdftotext (poppler-utils) is required in CI to read the labels back")
			}
			t.Skip("pdftotext not installed")
		}
		path := filepath.Join(t.TempDir(), "labels.pdf")
		if err := os.WriteFile(path, r.body, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := string(out)
		for _, want := range []string{"可口可乐 330ml", "3.50", "80.00", "KL-330"} {
			if !strings.Contains(text, want) {
				t.Errorf("label text lacks %q:\n%s", want, text)
			}
		}
		if n := strings.Count(text, "可口可乐"); n != 3 {
			t.Errorf("labels printed = %d, want 3:\n%s", n, text)
		}

		bad := c.must(400, "POST", "/api/v1/labels", map[string]any{"layout": "a4_3x8", "price": "retail", "symbology": "auto",
			"items": []any{map[string]any{"item_id": 99999, "count": 1}}})
		if errs := bad["errors"].([]any); errs[0].(map[string]any)["field"] != "items[0].item_id" {
			t.Errorf("unknown item errors = %v", errs)
		}
	})
}
