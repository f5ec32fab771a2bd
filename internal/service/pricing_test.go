package service_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// pricingFixture: tiers VIP and GOLD; 可乐 in 碳酸 under 饮料, sold by the
// piece and by the box of 24; 茶; customers 甲 (own list), 乙 (VIP) and a
// supplier; a general list with a break.
type pricingFixture struct {
	fixture
	pcs, box         domain.Unit
	drinks, soda     domain.Category
	cola, tea        domain.Item
	custA, vip, supp domain.Partner
}

func setUpPricing(t *testing.T, db *store.DB) pricingFixture {
	t.Helper()
	ctx := context.Background()
	f := pricingFixture{fixture: setUp(t, db)}
	co := f.company
	co.Settings.CustomerTiers = []domain.Tier{{Code: "VIP", Name: "贵宾"}, {Code: "GOLD", Name: "金牌"}}
	_, err := f.svc.UpdateCompany(ctx, f.admin, co.ID, co)
	noErr(t, "UpdateCompany", err)
	f.pcs, f.box = f.unit(t, f.admin, "PCS", "个"), f.unit(t, f.admin, "BOX", "箱")
	f.drinks, err = f.svc.CreateCategory(ctx, f.admin, domain.Category{Code: "DRINK", Name: "饮料"})
	noErr(t, "CreateCategory", err)
	f.soda, err = f.svc.CreateCategory(ctx, f.admin, domain.Category{Code: "SODA", Name: "碳酸", ParentID: &f.drinks.ID})
	noErr(t, "CreateCategory", err)
	f.cola, err = f.svc.CreateItem(ctx, f.admin, domain.Item{Code: "COLA", Name: "可乐", BaseUnitID: f.pcs.ID, CategoryID: &f.soda.ID,
		RetailPrice: mustPrice("3.5"), WholesalePrice: mustPrice("3"), MinPrice: mustPrice("2.8"),
		Units: []domain.ItemUnit{{UnitID: f.box.ID, Factor: mustQty("24"), RetailPrice: mustPrice("80")}}})
	noErr(t, "CreateItem", err)
	f.tea, err = f.svc.CreateItem(ctx, f.admin, domain.Item{Code: "TEA", Name: "茶", BaseUnitID: f.pcs.ID, RetailPrice: mustPrice("5")})
	noErr(t, "CreateItem", err)
	for _, pt := range []*domain.Partner{&f.custA, &f.vip, &f.supp} {
		*pt = map[*domain.Partner]domain.Partner{
			&f.custA: {Code: "C-A", Name: "客户甲", Kind: domain.PartnerCustomer},
			&f.vip:   {Code: "C-V", Name: "客户乙", Kind: domain.PartnerCustomer, Tier: "VIP"},
			&f.supp:  {Code: "S-1", Name: "供应商", Kind: domain.PartnerSupplier},
		}[pt]
		*pt, err = f.svc.CreatePartner(ctx, f.admin, *pt)
		noErr(t, "CreatePartner", err)
	}
	for _, pl := range []domain.PriceList{
		{Code: "PL-A", Name: "甲的价", Kind: domain.PriceListSale, PartnerID: &f.custA.ID, Lines: []domain.PriceListLine{
			{ItemID: f.cola.ID, Price: mustPrice("3.2")}, {ItemID: f.cola.ID, MinQty: mustQty("10"), Price: mustPrice("2.9")},
			{ItemID: f.cola.ID, UnitID: f.box.ID, Price: mustPrice("70")}}},
		{Code: "PL-VIP", Name: "贵宾价", Kind: domain.PriceListSale, Tier: "VIP", Lines: []domain.PriceListLine{{ItemID: f.cola.ID, Price: mustPrice("3.1")}}},
		{Code: "PL-STD", Name: "标准价", Kind: domain.PriceListSale, Lines: []domain.PriceListLine{
			{ItemID: f.cola.ID, Price: mustPrice("3.4")}, {ItemID: f.cola.ID, MinQty: mustQty("48"), Price: mustPrice("3.3")},
			{ItemID: f.tea.ID, Price: mustPrice("4.8")}}},
		{Code: "PL-OLD", Name: "过期价", Kind: domain.PriceListSale, ValidTo: ptr(day("2026-05-31")), Lines: []domain.PriceListLine{{ItemID: f.cola.ID, Price: mustPrice("1")}}},
		{Code: "PL-BUY", Name: "进价", Kind: domain.PriceListPurchase, Lines: []domain.PriceListLine{{ItemID: f.cola.ID, Price: mustPrice("1")}}},
	} {
		_, err := f.svc.CreatePriceList(ctx, f.admin, pl)
		noErr(t, "CreatePriceList "+pl.Code, err)
	}
	return f
}

func ptr[T any](v T) *T { return &v }

func (f pricingFixture) promo(t *testing.T, p domain.Promotion) domain.Promotion {
	t.Helper()
	if p.ValidFrom.IsZero() {
		p.ValidFrom, p.ValidTo = day("2026-06-01"), day("2026-06-30")
	}
	if p.Scope == "" {
		p.Scope = domain.ScopeAll
	}
	p.Name = p.Code
	got, err := f.svc.CreatePromotion(context.Background(), f.admin, p)
	noErr(t, "CreatePromotion "+p.Code, err)
	return got
}

func priceReq(partner *int64, date string, lines ...domain.PriceRequestLine) service.PriceRequest {
	return service.PriceRequest{PartnerID: partner, Date: ptr(day(date)), Lines: lines}
}

func pline(item, unit int64, qty string) domain.PriceRequestLine {
	return domain.PriceRequestLine{ItemID: item, UnitID: unit, Qty: mustQty(qty)}
}

func explained(r domain.PriceResult) []string {
	out := make([]string, 0, len(r.Lines)+1)
	for _, l := range r.Lines {
		s := fmt.Sprintf("%s %s = %s | %s", l.Qty.Short(), l.Price, l.Amount, l.Explanation)
		if l.BelowMin {
			s += " [below min]"
		}
		out = append(out, s)
	}
	return append(out, fmt.Sprintf("bill %s -%s = %s %s", r.Total, r.BillDiscount, r.Net, r.BillPromotion))
}

func TestPriceLines(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpPricing(t, db)
		f.promo(t, domain.Promotion{Code: "SODA10", Kind: domain.PromoPercent, Rate: domain.RateOf(10), Scope: domain.ScopeCategory, CategoryIDs: []int64{f.drinks.ID}, Tiers: []string{"VIP"}})
		f.promo(t, domain.Promotion{Code: "MJ100", Kind: domain.PromoThreshold, Threshold: mustMoney("100"), Amount: mustMoney("10")})
		f.promo(t, domain.Promotion{Code: "TEA-B2G1", Kind: domain.PromoBuyGet, Scope: domain.ScopeItems, ItemIDs: []int64{f.tea.ID}, BuyQty: mustQty("2"), GetQty: mustQty("1"), GetItemID: &f.cola.ID})
		f.promo(t, domain.Promotion{Code: "JULY", Kind: domain.PromoFixed, Amount: mustMoney("1"), ValidFrom: day("2026-07-01"), ValidTo: day("2026-07-31")})
		archived := f.promo(t, domain.Promotion{Code: "OFF", Kind: domain.PromoFixed, Amount: mustMoney("1")})
		noErr(t, "ArchivePromotion", f.svc.ArchivePromotion(ctx, f.admin, archived.ID, true))

		tests := []struct {
			name string
			req  service.PriceRequest
			want []string
		}{
			{"walk-in: general list, a scanned box, tea earns cola", priceReq(nil, "2026-06-15", pline(f.cola.ID, f.box.ID, "1"), pline(f.tea.ID, 0, "5")),
				[]string{"1 81.6000 = 81.60 | qty_break PL-STD: 3.40 x 24 = 81.60", "5 4.8000 = 24.00 | qty_break PL-STD: 4.80",
					"2 0.0000 = 0.00 | buy_get TEA-B2G1 buy 2 get 1 x 2: 2 free", "bill 105.60 -10.00 = 95.60 MJ100"}},
			{"customer A: own list with break and box line", priceReq(&f.custA.ID, "2026-06-15", pline(f.cola.ID, f.pcs.ID, "10"), pline(f.cola.ID, f.box.ID, "1")),
				[]string{"10 2.9000 = 29.00 | customer PL-A ≥10: 2.90", "1 70.0000 = 70.00 | customer PL-A: 70.00", "bill 99.00 -0.00 = 99.00 "}},
			{"VIP: tier list and the VIP category promotion, below the minimum", priceReq(&f.vip.ID, "2026-06-15", pline(f.cola.ID, 0, "1"), pline(f.tea.ID, 0, "1")),
				[]string{"1 2.7900 = 2.79 | tier PL-VIP: 3.10; percent SODA10 -10%: 2.79 [below min]", "1 4.8000 = 4.80 | qty_break PL-STD: 4.80", "bill 7.59 -0.00 = 7.59 "}},
			{"July: the expired list is gone, the July promotion runs", priceReq(&f.vip.ID, "2026-07-01", pline(f.tea.ID, 0, "1")),
				[]string{"1 3.8000 = 3.80 | qty_break PL-STD: 4.80; fixed JULY -1.00: 3.80", "bill 3.80 -0.00 = 3.80 "}},
			{"May: the old general list", priceReq(nil, "2026-05-31", pline(f.cola.ID, 0, "1")),
				[]string{"1 1.0000 = 1.00 | qty_break PL-OLD: 1.00 [below min]", "bill 1.00 -0.00 = 1.00 "}},
		}
		for _, tt := range tests {
			got, err := f.svc.PriceLines(ctx, f.admin, tt.req)
			if err != nil {
				t.Fatalf("%s: PriceLines: %v", tt.name, err)
			}
			if diff := cmp.Diff(tt.want, explained(got)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.name, diff)
			}
		}

		// Bad requests name the field; another company's customer does not exist here.
		_, err := f.svc.PriceLines(ctx, f.admin, priceReq(nil, "2026-06-15", pline(f.cola.ID, 0, "1"), pline(f.cola.ID, 999999, "1"), pline(999999, 0, "1")))
		wantField(t, "bad unit", err, "lines[1].unit_id", "unit_not_of_item")
		wantField(t, "unknown item", err, "lines[2].item_id", "unknown_reference")
		_, err = f.svc.PriceLines(ctx, f.admin, priceReq(nil, "2026-06-15"))
		wantField(t, "no lines", err, "lines", "required")
		_, err = f.svc.PriceLines(ctx, f.admin, priceReq(&f.supp.ID, "2026-06-15", pline(f.cola.ID, 0, "1")))
		wantField(t, "a supplier", err, "partner_id", "not_customer")
		other := f.otherCompany(t)
		otherP := &domain.Principal{UserID: f.admin.UserID, IsAdmin: true, CompanyID: other.ID}
		_, err = f.svc.PriceLines(ctx, otherP, priceReq(&f.custA.ID, "2026-06-15", pline(f.cola.ID, 0, "1")))
		wantField(t, "other company's customer", err, "partner_id", "unknown_reference")

		// The statements do not grow with the lines: one read transaction.
		c := storetest.CountStatements(t, db)
		_, err = f.svc.PriceLines(ctx, f.admin, priceReq(&f.vip.ID, "2026-06-15", pline(f.cola.ID, 0, "1")))
		noErr(t, "PriceLines 1", err)
		one := c.Statements()
		c.Reset()
		many := make([]domain.PriceRequestLine, 40)
		for i := range many {
			many[i] = pline([]int64{f.cola.ID, f.tea.ID}[i%2], 0, fmt.Sprint(i+1))
		}
		_, err = f.svc.PriceLines(ctx, f.admin, priceReq(&f.vip.ID, "2026-06-15", many...))
		noErr(t, "PriceLines 40", err)
		if got := c.Statements(); got != one || c.Transactions() > 1 {
			t.Errorf("40 lines took %d statements in %d transactions, 1 line %d", got, c.Transactions(), one)
		}
	})
}

func TestPromotionCRUD(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpPricing(t, db)
		p := f.promo(t, domain.Promotion{Code: "B2G1", Kind: domain.PromoBuyGet, Scope: domain.ScopeItems, ItemIDs: []int64{f.tea.ID, f.cola.ID},
			BuyQty: mustQty("2"), GetQty: mustQty("1"), Tiers: []string{"VIP"}, Priority: 5, Exclusive: true})
		got, err := f.svc.Promotion(ctx, f.admin, p.ID)
		noErr(t, "Promotion", err)
		if diff := cmp.Diff(p, got, cmpopts.IgnoreFields(domain.Stamp{}, "CreatedAt", "UpdatedAt")); diff != "" {
			t.Errorf("read back (-created +read):\n%s", diff)
		}

		// Validation in the caller's terms; references within the company.
		_, err = f.svc.CreatePromotion(ctx, f.admin, domain.Promotion{Code: "BAD", Name: "x", Kind: domain.PromoPercent, ValidFrom: day("2026-06-01"),
			ValidTo: day("2026-06-30"), Scope: domain.ScopeAll, Rate: domain.RateOf(5), Tiers: []string{"NOPE"}})
		wantField(t, "unknown tier", err, "tiers[0]", "unknown_tier")
		_, err = f.svc.CreatePromotion(ctx, f.admin, domain.Promotion{Code: "BAD", Name: "x", Kind: domain.PromoPercent, ValidFrom: day("2026-06-01"),
			ValidTo: day("2026-06-30"), Scope: domain.ScopeCategory, CategoryIDs: []int64{999999}, Rate: domain.RateOf(5)})
		wantField(t, "unknown category", err, "category_ids[0]", "unknown_reference")
		_, err = f.svc.CreatePromotion(ctx, f.admin, domain.Promotion{Code: "B2G1", Name: "x", Kind: domain.PromoPercent, ValidFrom: day("2026-06-01"),
			ValidTo: day("2026-06-30"), Scope: domain.ScopeAll, Rate: domain.RateOf(5)})
		wantCode(t, "duplicate code", err, domain.EConflict)

		// Update replaces the scope; a stale version is refused.
		p.Scope, p.ItemIDs, p.CategoryIDs, p.GetItemID = domain.ScopeCategory, nil, []int64{f.drinks.ID}, &f.tea.ID
		upd, err := f.svc.UpdatePromotion(ctx, f.admin, p.ID, p)
		noErr(t, "UpdatePromotion", err)
		if got, _ := f.svc.Promotion(ctx, f.admin, p.ID); !cmp.Equal(got.CategoryIDs, []int64{f.drinks.ID}) || len(got.ItemIDs) != 0 || got.Version != 2 || *got.GetItemID != f.tea.ID {
			t.Errorf("after update: %+v", got)
		}
		_, err = f.svc.UpdatePromotion(ctx, f.admin, p.ID, p)
		wantCode(t, "stale", err, domain.EConflict)

		// The list filters; another company sees nothing.
		items, n, err := f.svc.Promotions(ctx, f.admin, service.PromotionFilter{On: "2026-06-15", Kind: "buy_get"})
		noErr(t, "Promotions", err)
		if n != 1 || items[0].Code != "B2G1" || len(items[0].CategoryIDs) != 1 {
			t.Errorf("list: %d %+v", n, items)
		}
		if _, n, _ := f.svc.Promotions(ctx, f.admin, service.PromotionFilter{On: "2026-07-01"}); n != 0 {
			t.Errorf("July: %d promotions", n)
		}
		other := f.otherCompany(t)
		if _, err := f.svc.Promotion(ctx, &domain.Principal{IsAdmin: true, CompanyID: other.ID}, p.ID); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("other company: %v", err)
		}

		// A gift item in use cannot be deleted; archive, restore, delete; every change audited.
		wantCode(t, "delete gift item", f.svc.DeleteItem(ctx, f.admin, f.tea.ID), domain.EInUse)
		noErr(t, "archive", f.svc.ArchivePromotion(ctx, f.admin, p.ID, true))
		noErr(t, "restore", f.svc.ArchivePromotion(ctx, f.admin, p.ID, false))
		noErr(t, "delete", f.svc.DeletePromotion(ctx, f.admin, p.ID))
		wantCode(t, "deleted", func() error { _, err := f.svc.Promotion(ctx, f.admin, p.ID); return err }(), domain.ENotFound)
		rows, _, err := f.svc.Audit(ctx, f.admin, service.AuditFilter{Entity: "promotion", EntityID: p.ID, Page: store.Page{Limit: 10}})
		noErr(t, "Audit", err)
		var actions []string
		for _, r := range rows {
			actions = append(actions, r.Action)
		}
		if diff := cmp.Diff([]string{"delete", "restore", "archive", "update", "create"}, actions); diff != "" {
			t.Errorf("audit (-want +got):\n%s (version %d)", diff, upd.Version)
		}
	})
}
