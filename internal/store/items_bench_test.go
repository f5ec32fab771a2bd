package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

const benchItems = 100_000

// seedItems fills a company with n items whose mnemonics are random pinyin
// initials (4–8 letters), each with a base and a carton unit and barcodes.
func seedItems(b *testing.B, db *store.DB, n int) int64 {
	b.Helper()
	ctx := context.Background()
	co, pcs, box := seed(b, db)
	rng := rand.New(rand.NewPCG(7, 11))
	items := make([]domain.Item, n)
	for i := range items {
		m := make([]byte, 4+rng.IntN(5))
		for j := range m {
			m[j] = byte('a' + rng.IntN(26))
		}
		items[i] = domain.Item{CompanyID: co, Code: fmt.Sprintf("SKU%06d", i), Name: fmt.Sprintf("商品%06d", i), Mnemonic: string(m),
			BaseUnitID: pcs, Tracking: domain.TrackNone, RetailPrice: domain.PriceOf(int64(1 + i%100)), Barcode: fmt.Sprintf("69%011d", i),
			Units:        []domain.ItemUnit{{UnitID: box, Factor: domain.QtyOf(12), Barcode: fmt.Sprintf("19%011d", i)}},
			VariantAttrs: []domain.VariantAttr{}}
	}
	if err := db.Update(ctx, func(tx *store.Tx) error { return tx.BulkCreateItems(ctx, items) }); err != nil {
		b.Fatal(err)
	}
	if err := db.Analyze(ctx); err != nil { // as autovacuum would after a bulk load
		b.Fatal(err)
	}
	return co
}

// BenchmarkListItemsByMnemonic lists the first page of items whose 助记码
// starts with two letters (≈ 150 of 100,000 match), with the total count,
// as the item screen's search box does.
func BenchmarkListItemsByMnemonic(b *testing.B) {
	storetest.EachBench(b, func(b *testing.B, _ string, db *store.DB) {
		co := seedItems(b, db, benchItems)
		ctx := context.Background()
		prefixes := []string{"kk", "zh", "ab", "qx", "mm", "st"}
		var once sync.Once
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			f := store.ItemFilter{ListFilter: store.ListFilter{CompanyID: co, Page: store.Page{Limit: 50}}, Mnemonic: prefixes[i%len(prefixes)]}
			var n int
			err := db.View(ctx, func(tx *store.Tx) (err error) { _, n, err = tx.ListItems(ctx, f); return err })
			if err != nil {
				b.Fatal(err)
			}
			once.Do(func() { b.ReportMetric(float64(n), "matches") })
		}
	})
}
