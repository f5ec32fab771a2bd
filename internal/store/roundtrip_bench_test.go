package store_test

import (
	"context"
	"testing"

	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// BenchmarkStatement is the floor under every statement a posting sends:
// one trivial SELECT inside a read, through the same driver, formatter and
// hooks as everything else. docs/PERFORMANCE.md multiplies it by the
// statements the API needs beyond raw's to show the best ratio reachable.
func BenchmarkStatement(b *testing.B) {
	storetest.EachBench(b, func(b *testing.B, _ string, db *store.DB) {
		ctx := context.Background()
		b.ResetTimer()
		for range b.N {
			var n int
			if err := db.View(ctx, func(tx *store.Tx) error { return tx.NewRaw("SELECT ?", 1).Scan(ctx, &n) }); err != nil || n != 1 {
				b.Fatalf("select 1 = %d, %v", n, err)
			}
		}
	})
}
