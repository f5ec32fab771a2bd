package bench

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestURLs: --url takes several jxc processes, comma-separated, spaces and
// trailing slashes forgiven.
func TestURLs(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"http://127.0.0.1:8080", []string{"http://127.0.0.1:8080"}},
		{" http://a:1/, http://b:2 ,,http://c:3", []string{"http://a:1", "http://b:2", "http://c:3"}},
		{"", nil},
	} {
		if diff := cmp.Diff(tt.want, Config{URL: tt.in}.URLs()); diff != "" {
			t.Errorf("URLs(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

// TestDocumentShapes: what the API side posts and the raw side writes are
// drawn the same way — orders of 5–15 distinct items, receipts of 5
// distinct items, 20 each at 4–6 — so that both sides do the same work.
func TestDocumentShapes(t *testing.T) {
	items := make([]int64, 40)
	for i := range items {
		items[i] = int64(100 + i)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		o := OrderItems(rng, items)
		if n := len(o); n < 5 || n > 15 || len(slices.Compact(slices.Sorted(slices.Values(o)))) != n {
			t.Fatalf("OrderItems = %v, want 5–15 distinct items", o)
		}
		p := PurchaseLines(rng, items)
		ids := map[int64]bool{}
		for _, l := range p {
			ids[l.ItemID] = true
			if l.Qty != 20 || l.Price < 4 || l.Price > 6 || !slices.Contains(items, l.ItemID) {
				t.Fatalf("PurchaseLines line %+v, want 20 of a known item at 4–6", l)
			}
		}
		if len(p) != 5 || len(ids) != 5 {
			t.Fatalf("PurchaseLines = %+v, want 5 distinct items", p)
		}
	}
}
