package demo

import (
	"context"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

func TestLoad(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := service.New(db, nil, service.DefaultConfig())

		start := time.Now()
		created, err := Load(ctx, svc)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("Load took %v", time.Since(start).Round(time.Millisecond))
		if !created {
			t.Fatal("first Load: created = false")
		}
		co := demoCompany(t, svc)
		p := service.System(co.ID)
		if co.Name != "演示商贸有限公司" || co.NameEn == "" || co.Currency != "CNY" || !validUSCC(co.TaxNo) || len(co.Settings.CustomerTiers) != 3 {
			t.Errorf("company = %+v", co)
		}
		for _, tier := range co.Settings.CustomerTiers {
			if tier.NameEn == "" {
				t.Errorf("tier %s has no English name", tier.Code)
			}
		}

		// A second Load changes nothing.
		auditBefore := auditCount(t, svc, p)
		created, err = Load(ctx, svc)
		if err != nil || created {
			t.Fatalf("second Load = %v, %v; want false, nil", created, err)
		}
		if cs, err := svc.Companies(ctx, service.System(0)); err != nil || len(cs) != 1 {
			t.Fatalf("companies after second Load: %d, %v", len(cs), err)
		}
		if n := auditCount(t, svc, p); n != auditBefore {
			t.Errorf("audit rows %d → %d after the second Load", auditBefore, n)
		}

		items := func(f service.ItemFilter) ([]domain.Item, int) {
			t.Helper()
			f.Limit = 500
			out, n, err := svc.Items(ctx, p, f)
			if err != nil {
				t.Fatal(err)
			}
			return out, n
		}

		// Items: at least 300 SKUs, every one well-formed.
		skus, n := items(service.ItemFilter{Templates: "exclude"})
		if n < 300 {
			t.Errorf("SKUs = %d, want ≥ 300", n)
		}
		barcodes := map[string]string{}
		for _, it := range skus {
			if !(0 < it.PurchasePrice && it.PurchasePrice < it.MinPrice && it.MinPrice < it.WholesalePrice && it.WholesalePrice < it.RetailPrice) {
				t.Errorf("%s: prices out of order: %v %v %v %v", it.Code, it.PurchasePrice, it.MinPrice, it.WholesalePrice, it.RetailPrice)
			}
			if it.Name == "" || it.NameEn == "" || it.Mnemonic == "" || it.CategoryID == nil || it.BrandID == nil {
				t.Errorf("%s: incomplete: %+v", it.Code, it)
			}
			all := []string{it.Barcode}
			for _, u := range it.Units {
				all = append(all, u.Barcode)
			}
			for _, b := range all {
				if b == "" && it.ParentID != nil {
					continue // variants get their barcodes scanned in later
				}
				if !validEAN13(b) || b[:2] != "69" {
					t.Errorf("%s: barcode %q is not a valid 69… EAN-13", it.Code, b)
				}
				if other, dup := barcodes[b]; dup {
					t.Errorf("barcode %s on %s and %s", b, other, it.Code)
				}
				barcodes[b] = it.Code
			}
		}
		if _, n := items(service.ItemFilter{Tracking: string(domain.TrackBatch)}); n == 0 {
			t.Error("no batch-tracked item")
		}
		if _, n := items(service.ItemFilter{Tracking: string(domain.TrackSerial)}); n == 0 {
			t.Error("no serial-tracked item")
		}

		// Variant templates: one has at least 15 children.
		tmpls, _ := items(service.ItemFilter{Templates: "only"})
		most := 0
		for _, tm := range tmpls {
			_, n := items(service.ItemFilter{ParentID: tm.ID})
			most = max(most, n)
		}
		if len(tmpls) < 3 || most < 15 {
			t.Errorf("%d templates, the largest with %d variants", len(tmpls), most)
		}

		// Pinyin: 清泉饮用天然水 is found by its initials.
		found, _ := items(service.ItemFilter{Mnemonic: "qqyy"})
		ok := false
		for _, it := range found {
			ok = ok || (it.Name == "清泉饮用天然水" && it.Mnemonic == "qqyytrs")
		}
		if !ok {
			t.Errorf("mnemonic qqyy did not find 清泉饮用天然水 among %d items", len(found))
		}

		// A carton barcode scans as the carton.
		batch, _ := items(service.ItemFilter{Tracking: string(domain.TrackBatch)})
		scanned := false
		for _, it := range batch {
			if len(it.Units) == 0 {
				continue
			}
			r, err := svc.ItemByBarcode(ctx, p, it.Units[0].Barcode)
			if err != nil {
				t.Fatal(err)
			}
			u, err := svc.Unit(ctx, p, r.Unit.UnitID)
			if err != nil {
				t.Fatal(err)
			}
			if r.Item.ID != it.ID || r.Unit.Factor <= domain.QtyOf(1) || u.Name != "箱" {
				t.Errorf("scan %s: item %s unit %s factor %v", it.Units[0].Barcode, r.Item.Code, u.Name, r.Unit.Factor)
			}
			scanned = true
			break
		}
		if !scanned {
			t.Error("no item with a carton unit")
		}

		// Warehouses with their bins.
		whs, n, err := svc.Warehouses(ctx, p, service.ListFilter{})
		if err != nil || n != 5 {
			t.Fatalf("warehouses = %d, %v; want 5", n, err)
		}
		for _, w := range whs {
			locs, err := svc.Locations(ctx, p, w.ID, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(locs) <= 10 {
				t.Errorf("warehouse %s has %d locations", w.Code, len(locs))
			}
			for _, l := range locs {
				if l.NameEn == "" {
					t.Errorf("warehouse %s location %s has no English name", w.Code, l.Code)
				}
			}
		}

		// Stock: opening balances and some warehouse work, all consistent.
		rows, n, err := svc.StockBalances(ctx, p, service.BalanceFilter{})
		if err != nil || n < 100 || len(rows) == 0 {
			t.Errorf("stock rows = %d, %v", n, err)
		}
		docs, n, err := svc.StockDocs(ctx, p, service.DocFilter{})
		if err != nil || n < 8 || len(docs) == 0 {
			t.Errorf("stock documents = %d, %v", n, err)
		}
		if probs, err := svc.CheckStock(ctx, co.ID); err != nil || len(probs) > 0 {
			t.Errorf("stock check: %v %q", err, probs)
		}
		// Sales: two confirmed orders (one holding stock), a shipment, an
		// invoice, receipts, a return and two counter sales today.
		for typ, want := range map[domain.DocType]int{domain.DocSalesOrder: 2, domain.DocSalesShipment: 1, domain.DocSalesInvoice: 1,
			domain.DocSalesReturn: 1, domain.DocReceipt: 2, domain.DocSalesQuote: 2} {
			if _, n, err := svc.SalesDocs(ctx, p, typ, service.DocFilter{}); err != nil || n != want {
				t.Errorf("%s documents = %d, %v; want %d", typ, n, err, want)
			}
		}
		if _, n, err := svc.POSDocs(ctx, p, domain.DocPOSSale, service.DocFilter{}); err != nil || n != 2 {
			t.Errorf("counter sales = %d, %v; want 2", n, err)
		}

		// Partners: 27 suppliers and 3 both-kind (S001–S030), 100 customers
		// (C001–C100). Kind "supplier" counts both-kind partners too, and so
		// does kind "customer".
		for kind, want := range map[string]int{"supplier": 30, "both": 3, "customer": 103, "": 130} {
			_, n, err := svc.Partners(ctx, p, service.PartnerFilter{Kind: kind})
			if err != nil || n != want {
				t.Errorf("partners of kind %q = %d, %v; want %d", kind, n, err, want)
			}
		}
		for _, tier := range []string{"A", "B", "VIP"} {
			if _, n, err := svc.Partners(ctx, p, service.PartnerFilter{Kind: "customer", Tier: tier}); err != nil || n == 0 {
				t.Errorf("customers of tier %s = %d, %v", tier, n, err)
			}
		}

		// Money accounts: cash, bank and WeChat Pay, each with an opening balance.
		accs, n, err := svc.Accounts(ctx, p, service.AccountFilter{})
		if err != nil || n != 3 {
			t.Errorf("accounts = %d, %v; want 3", n, err)
		}
		for _, a := range accs {
			if a.OpeningBalance <= 0 || a.OpeningDate == nil || a.NameEn == "" || (a.Kind == domain.AccountBank) != (a.BankAccount != "") {
				t.Errorf("account %s incomplete: %+v", a.Code, a)
			}
		}

		// Price lists: three tiers, one with quantity breaks, two
		// customer lists, a supplier's list.
		pls, n, err := svc.PriceLists(ctx, p, service.PriceListFilter{})
		if err != nil || n < 4 {
			t.Fatalf("price lists = %d, %v", n, err)
		}
		var breaks, customer, purchase bool
		for _, pl := range pls {
			full, err := svc.PriceList(ctx, p, pl.ID)
			if err != nil {
				t.Fatal(err)
			}
			mins := map[domain.Qty]bool{}
			for _, ln := range full.Lines {
				mins[ln.MinQty] = true
			}
			breaks = breaks || (mins[domain.QtyOf(1)] && mins[domain.QtyOf(10)] && mins[domain.QtyOf(50)])
			customer = customer || (full.Kind == domain.PriceListSale && full.PartnerID != nil && full.ValidFrom != nil && full.ValidTo != nil)
			purchase = purchase || (full.Kind == domain.PriceListPurchase && full.PartnerID != nil && len(full.Lines) > 0)
		}
		if !breaks || !customer || !purchase {
			t.Errorf("price lists: quantity breaks %v, customer-specific %v, purchase %v", breaks, customer, purchase)
		}

		// Promotions: four kinds over the New Year season; 24 bottles of
		// water on 2027-01-15 are 10 % off with one more free.
		promos, n, err := svc.Promotions(ctx, p, service.PromotionFilter{On: "2027-01-15"})
		if err != nil || n != 4 {
			t.Errorf("promotions running = %d, %v", n, err)
		}
		for _, pr := range promos {
			if pr.NameEn == "" {
				t.Errorf("promotion %s has no English name", pr.Code)
			}
		}
		water, _ := items(service.ItemFilter{CategoryID: catID(t, svc, p, "BEV-WAT"), Templates: "exclude"})
		if len(water) == 0 {
			t.Fatal("no water")
		}
		day := domain.NewDate(2027, time.January, 15)
		r, err := svc.PriceLines(ctx, p, service.PriceRequest{Date: &day, Lines: []domain.PriceRequestLine{{ItemID: water[0].ID, Qty: domain.QtyOf(24)}}})
		if err != nil || len(r.Lines) != 2 || !slices.Contains(r.Lines[0].Promotions, "NY-BEV10") || !r.Lines[1].Gift || r.Lines[1].Qty != domain.QtyOf(1) {
			t.Errorf("water priced: %+v, %v", r, err)
		}
	})
}

func catID(t *testing.T, svc *service.Service, p *domain.Principal, code string) int64 {
	t.Helper()
	cs, _, err := svc.Categories(context.Background(), p, service.ListFilter{Q: code, Page: store.Page{Limit: 50}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Code == code {
			return c.ID
		}
	}
	t.Fatalf("category %s missing", code)
	return 0
}

func demoCompany(t *testing.T, svc *service.Service) domain.Company {
	t.Helper()
	cs, err := svc.Companies(context.Background(), service.System(0))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Code == Code {
			return c
		}
	}
	t.Fatal("no DEMO company")
	return domain.Company{}
}

func auditCount(t *testing.T, svc *service.Service, p *domain.Principal) int {
	t.Helper()
	f := service.AuditFilter{}
	f.Limit = 1
	_, n, err := svc.Audit(context.Background(), p, f)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// The data does not depend on anything but the seeds.
func TestDeterministic(t *testing.T) {
	r := refs{unit: map[string]int64{}, cat: map[string]int64{}, brand: map[string]int64{}, wh: map[string]int64{}}
	for i, u := range unitDefs {
		r.unit[u.code] = int64(i + 1)
	}
	a := buildItems(rand.New(rand.NewPCG(1, 2)), r)
	b := buildItems(rand.New(rand.NewPCG(1, 2)), r)
	if !reflect.DeepEqual(a, b) {
		t.Error("buildItems differs between runs")
	}
	rng1, rng2 := rand.New(rand.NewPCG(3, 4)), rand.New(rand.NewPCG(3, 4))
	if !reflect.DeepEqual(buildSuppliers(rng1), buildSuppliers(rng2)) || !reflect.DeepEqual(buildCustomers(rng1), buildCustomers(rng2)) {
		t.Error("partners differ between runs")
	}
}

func TestPartnersWellFormed(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	sup, cus := buildSuppliers(rng), buildCustomers(rng)
	if len(sup) != 30 || len(cus) != 100 {
		t.Fatalf("%d suppliers, %d customers", len(sup), len(cus))
	}
	names := map[string]bool{}
	for _, p := range append(sup, cus...) {
		if names[p.Name] {
			t.Errorf("duplicate name %s", p.Name)
		}
		names[p.Name] = true
		if !validUSCC(p.TaxNo) {
			t.Errorf("%s %s: tax number %q", p.Code, p.Name, p.TaxNo)
		}
		if p.NameEn == "" || len(p.Contacts) == 0 || len(p.Addresses) == 0 || p.Addresses[0].Region == "" {
			t.Errorf("%s: incomplete", p.Code)
		}
		for _, c := range p.Contacts {
			if c.Mobile != "" && (len(c.Mobile) != 11 || c.Mobile[0] != '1') {
				t.Errorf("%s: mobile %q", p.Code, c.Mobile)
			}
		}
	}
}

func TestCheckDigits(t *testing.T) {
	// Published examples: an EAN-13 and a unified social credit code.
	if ean13("400638133393") != "4006381333931" {
		t.Errorf("ean13 = %s", ean13("400638133393"))
	}
	if !validUSCC("91350100M000100Y43") {
		t.Error("the GB 32100 example is not valid")
	}
	rng := rand.New(rand.NewPCG(9, 9))
	for range 1000 {
		if c := uscc(rng, '1', "310104"); !validUSCC(c) || c[:8] != "91310104" {
			t.Fatalf("uscc = %s", c)
		}
	}
}
