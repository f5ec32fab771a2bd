package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/jxc-erp/jxc/internal/domain"
)

// refs maps the codes used in the data to the ids the service assigned.
type refs struct {
	unit, cat, brand, wh map[string]int64
}

// cents converts an amount in 分 to a domain.Price.
func cents(c int64) domain.Price { return domain.Price(c * 100) }

// mulDiv returns a×b/c rounded half up (all positive).
func mulDiv(a, b, c int64) int64 { return (a*b + c/2) / c }

// roundTo rounds c to a multiple of step.
func roundTo(c, step int64) int64 { return (c + step/2) / step * step }

// shelfPrice turns a computed retail price into one a shop would print:
// x.90 from ten yuan up, whole jiao below.
func shelfPrice(c int64) int64 {
	if c >= 1000 {
		return roundTo(c, 100) - 10
	}
	return max(roundTo(c, 10), 10)
}

// prices are one item's prices in 分: purchase < min < wholesale < retail.
type prices struct{ purchase, wholesale, retail, min int64 }

// purchasePermille is the usual cost as ‰ of retail, per top category.
var purchasePermille = map[string][2]int64{
	"BEV": {600, 680}, "SNK": {550, 650}, "DLY": {550, 650}, "STA": {450, 550}, "APP": {380, 450}, "DIG": {480, 580},
}

func priceFor(rng *rand.Rand, cat string, retail int64) prices {
	r := purchasePermille[cat[:3]]
	p := prices{retail: retail}
	p.purchase = mulDiv(retail, r[0]+rng.Int64N(r[1]-r[0]+1), 1000)
	p.wholesale = p.purchase + mulDiv(retail-p.purchase, 450+rng.Int64N(151), 1000)
	if retail >= 1000 { // a round wholesale price where it stays inside the range
		if w := roundTo(p.wholesale, 10); w > p.purchase+1 && w < retail {
			p.wholesale = w
		}
	}
	p.min = p.purchase + (p.wholesale-p.purchase)/2
	if !(0 < p.purchase && p.purchase < p.min && p.min < p.wholesale && p.wholesale < retail) {
		panic(fmt.Sprintf("demo: prices out of order for retail %d: %+v", retail, p))
	}
	return p
}

// barcodes hands out EAN-13 codes: each brand has a 7-digit company prefix
// starting 69 (China); base units count up from a random start below 50000
// and a carton uses its base unit's number plus 50000, so they never meet.
type barcodes struct {
	prefix map[string]string
	next   map[string]int
	used   map[string]bool
}

func newBarcodes(rng *rand.Rand) *barcodes {
	b := &barcodes{prefix: map[string]string{}, next: map[string]int{}, used: map[string]bool{}}
	seen := map[string]bool{}
	for _, br := range brandDefs {
		p := fmt.Sprintf("69%05d", 20000+rng.IntN(80000))
		for seen[p] {
			p = fmt.Sprintf("69%05d", 20000+rng.IntN(80000))
		}
		seen[p] = true
		b.prefix[br.code] = p
		b.next[br.code] = 10000 + rng.IntN(20000)
	}
	return b
}

// pair returns the base unit's and the carton's barcode for the next item of
// brand.
func (b *barcodes) pair(rng *rand.Rand, brand string) (base, carton string) {
	n := b.next[brand]
	b.next[brand] = n + 1 + rng.IntN(3) // item numbers are not always contiguous
	base = ean13(fmt.Sprintf("%s%05d", b.prefix[brand], n))
	carton = ean13(fmt.Sprintf("%s%05d", b.prefix[brand], n+50000))
	for _, c := range []string{base, carton} {
		if b.used[c] {
			panic("demo: duplicate barcode " + c)
		}
		b.used[c] = true
	}
	return base, carton
}

func expand(pattern, brand, flavor string) string {
	s := strings.NewReplacer("{b}", brand, "{f}", flavor).Replace(pattern)
	return strings.Join(strings.Fields(s), " ")
}

var brandByCode = func() map[string]brandDef {
	m := make(map[string]brandDef, len(brandDefs))
	for _, b := range brandDefs {
		m[b.code] = b
	}
	return m
}()

func ptr[T any](v T) *T { return &v }

// buildItems returns the demo's items: one per flavor and size of every
// product line, then the variant templates (whose children the service
// makes). It is a pure function of rng and r.
func buildItems(rng *rand.Rand, r refs) []domain.Item {
	bc := newBarcodes(rng)
	seq := map[string]int{}
	nextCode := func(cat string) string {
		p := cat[strings.IndexByte(cat, '-')+1:]
		seq[p]++
		return fmt.Sprintf("%s-%03d", p, seq[p])
	}
	var out []domain.Item
	for _, l := range lines {
		br := brandByCode[l.brand]
		flavors := l.flavors
		if len(flavors) == 0 {
			flavors = []flavor{{}}
		}
		tax := l.tax
		if tax == 0 {
			tax = 13
		}
		track := l.track
		if track == "" {
			track = none
		}
		for _, fl := range flavors {
			for _, sz := range l.sizes {
				retail := sz.retail
				switch {
				case fl.retail > 0:
					retail = fl.retail
				case fl.pct > 0:
					retail = shelfPrice(mulDiv(sz.retail, fl.pct, 100))
				}
				p := priceFor(rng, l.cat, retail)
				it := domain.Item{
					Code:           nextCode(l.cat),
					Name:           expand(l.zh, br.zh, fl.zh),
					NameEn:         expand(l.en, br.en, fl.en),
					Spec:           sz.spec,
					Model:          fl.model,
					CategoryID:     ptr(r.cat[l.cat]),
					BrandID:        ptr(r.brand[l.brand]),
					BaseUnitID:     r.unit[sz.unit],
					Tracking:       track,
					PurchasePrice:  cents(p.purchase),
					WholesalePrice: cents(p.wholesale),
					RetailPrice:    cents(p.retail),
					MinPrice:       cents(p.min),
					TaxRate:        domain.RateOf(tax),
				}
				if track == batch {
					it.ShelfLifeDays = l.shelf
				}
				base, carton := bc.pair(rng, l.brand)
				it.Barcode = base
				if sz.carton > 0 {
					n := sz.carton
					it.Units = []domain.ItemUnit{{
						UnitID:         r.unit["CARTON"],
						Factor:         domain.QtyOf(n),
						Barcode:        carton,
						PurchasePrice:  cents(mulDiv(p.purchase*n, 980, 1000)),
						WholesalePrice: cents(roundTo(mulDiv(p.wholesale*n, 970, 1000), 10)),
						RetailPrice:    cents(roundTo(mulDiv(p.retail*n, 950, 1000), 10)),
					}}
				}
				it.Levels = levelsFor(rng, r, l, sz, len(out))
				out = append(out, it)
			}
		}
	}
	for _, t := range templates {
		br := brandByCode[t.brand]
		p := priceFor(rng, t.cat, t.retail)
		it := domain.Item{
			Code:           t.code,
			Name:           expand(t.zh, br.zh, ""),
			NameEn:         expand(t.en, br.en, ""),
			Spec:           t.spec,
			CategoryID:     ptr(r.cat[t.cat]),
			BrandID:        ptr(r.brand[t.brand]),
			BaseUnitID:     r.unit[t.unit],
			Tracking:       none,
			PurchasePrice:  cents(p.purchase),
			WholesalePrice: cents(p.wholesale),
			RetailPrice:    cents(p.retail),
			MinPrice:       cents(p.min),
			TaxRate:        domain.RateOf(13),
			IsTemplate:     true,
			VariantAttrs:   t.attrs,
			Levels: []domain.ItemLevel{{WarehouseID: r.wh["SH"], SafetyQty: domain.QtyOf(5), MinQty: domain.QtyOf(10),
				MaxQty: domain.QtyOf(80), ReorderQty: domain.QtyOf(40)}},
		}
		out = append(out, it)
	}
	return out
}

// levelsFor sets stock levels in the Shanghai and Beijing warehouses: for
// every drink and snack (counted in cartons where there are cartons), and
// for some of the rest.
func levelsFor(rng *rand.Rand, r refs, l line, sz size, n int) []domain.ItemLevel {
	lv := func(wh string, safety, lo, hi, reorder int64) domain.ItemLevel {
		return domain.ItemLevel{WarehouseID: r.wh[wh], SafetyQty: domain.QtyOf(safety), MinQty: domain.QtyOf(lo),
			MaxQty: domain.QtyOf(hi), ReorderQty: domain.QtyOf(reorder)}
	}
	k := int64(1 + rng.IntN(3)) // how fast this one sells
	switch {
	case l.track == batch:
		u := sz.carton
		if u == 0 {
			u = 10
		}
		return []domain.ItemLevel{lv("SH", 2*k*u, 4*k*u, 40*k*u, 20*k*u), lv("BJ", k*u, 2*k*u, 20*k*u, 10*k*u)}
	case l.track == serial:
		return []domain.ItemLevel{lv("SH", 5*k, 10*k, 60*k, 30*k), lv("BJ", 2*k, 5*k, 30*k, 15*k)}
	case n%2 == 0:
		out := []domain.ItemLevel{lv("SH", 10*k, 20*k, 200*k, 100*k)}
		if n%3 == 0 {
			out = append(out, lv("BJ", 5*k, 10*k, 100*k, 50*k))
		}
		return out
	}
	return nil
}
