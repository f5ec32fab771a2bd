package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

func createItem(t *testing.T, db *store.DB, company, unit int64, code string) int64 {
	t.Helper()
	ctx := context.Background()
	it := domain.Item{CompanyID: company, Code: code, Name: "商品 " + code, BaseUnitID: unit, Tracking: domain.TrackNone}
	if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateItem(ctx, &it) }); err != nil {
		t.Fatalf("CreateItem(%s): %v", code, err)
	}
	return it.ID
}

func datePtr(y int, m time.Month, d int) *domain.Date {
	v := domain.NewDate(y, m, d)
	return &v
}

func getPriceList(t *testing.T, db *store.DB, company, id int64) domain.PriceList {
	t.Helper()
	ctx := context.Background()
	var got domain.PriceList
	if err := db.View(ctx, func(tx *store.Tx) (err error) { got, err = tx.PriceList(ctx, company, id); return err }); err != nil {
		t.Fatalf("PriceList(%d): %v", id, err)
	}
	return got
}

func TestPriceListRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		co, pcs, box := seed(t, db)
		cola, water := createItem(t, db, co, pcs, "COLA"), createItem(t, db, co, pcs, "WATER")
		cust := domain.Partner{CompanyID: co, Code: "C01", Name: "客户甲", Kind: domain.PartnerCustomer}
		createPartner(t, db, &cust)

		want := domain.PriceList{
			CompanyID: co, Code: "PL-1", Name: "客户甲专价", Kind: domain.PriceListSale, PartnerID: &cust.ID,
			ValidFrom: datePtr(2025, time.January, 1), ValidTo: datePtr(2025, time.December, 31), Note: "一客一价",
			Lines: []domain.PriceListLine{
				{ItemID: cola, MinQty: 0, Price: domain.PriceOf(3)},
				{ItemID: cola, MinQty: domain.QtyOf(100), Price: domain.PriceOf(2)},
				{ItemID: cola, UnitID: box, MinQty: 0, Price: domain.PriceOf(60)},
				{ItemID: water, MinQty: domain.QtyOf(10), Price: domain.PriceOf(1)},
			},
		}
		pl := want
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreatePriceList(ctx, &pl) }); err != nil {
			t.Fatalf("CreatePriceList: %v", err)
		}
		if pl.ID == 0 || pl.Version != 1 {
			t.Fatalf("CreatePriceList set ID %d, Version %d; want an id and version 1", pl.ID, pl.Version)
		}
		want.ID, want.Version = pl.ID, 1
		if diff := cmp.Diff(want, getPriceList(t, db, co, pl.ID), ignoreTimes); diff != "" {
			t.Errorf("PriceList() mismatch (-want +got):\n%s", diff)
		}

		// The dates are stored as 'YYYY-MM-DD' text, the lines numbered 1..n.
		var from, to string
		var lineNos []int64
		err := db.View(ctx, func(tx *store.Tx) error {
			if err := tx.NewRaw("SELECT valid_from, valid_to FROM price_lists WHERE id = ?", pl.ID).Scan(ctx, &from, &to); err != nil {
				return err
			}
			return tx.NewRaw("SELECT line_no FROM price_list_lines WHERE price_list_id = ? ORDER BY line_no", pl.ID).Scan(ctx, &lineNos)
		})
		if err != nil {
			t.Fatal(err)
		}
		if from != "2025-01-01" || to != "2025-12-31" {
			t.Errorf("stored dates = %q, %q; want 2025-01-01, 2025-12-31", from, to)
		}
		if diff := cmp.Diff([]int64{1, 2, 3, 4}, lineNos); diff != "" {
			t.Errorf("line_no mismatch (-want +got):\n%s", diff)
		}

		// Without dates and lines: NULL dates, an empty line slice.
		tier := domain.PriceList{CompanyID: co, Code: "PL-2", Name: "金牌价", Kind: domain.PriceListSale, Tier: "gold"}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreatePriceList(ctx, &tier) }); err != nil {
			t.Fatalf("CreatePriceList(PL-2): %v", err)
		}
		wantTier := tier
		wantTier.Lines = []domain.PriceListLine{}
		if diff := cmp.Diff(wantTier, getPriceList(t, db, co, tier.ID), ignoreTimes); diff != "" {
			t.Errorf("PriceList(PL-2) mismatch (-want +got):\n%s", diff)
		}

		// An update replaces the lines (renumbered) and the dates.
		upd := getPriceList(t, db, co, pl.ID)
		upd.ValidTo = nil
		upd.Lines = []domain.PriceListLine{{ItemID: water, Price: domain.PriceOf(1)}, {ItemID: cola, Price: domain.PriceOf(2)}}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.UpdatePriceList(ctx, &upd) }); err != nil {
			t.Fatalf("UpdatePriceList: %v", err)
		}
		want.ValidTo, want.Lines, want.Version = nil, upd.Lines, 2
		if diff := cmp.Diff(want, getPriceList(t, db, co, pl.ID), ignoreTimes); diff != "" {
			t.Errorf("PriceList() after update mismatch (-want +got):\n%s", diff)
		}

		// Another company's item, for the cross-company check.
		var foreignItem int64
		err = db.Update(ctx, func(tx *store.Tx) error {
			c := domain.Company{Code: "C2", Name: "别的公司", Currency: "CNY", Settings: domain.DefaultCompanySettings()}
			if err := tx.CreateCompany(ctx, &c); err != nil {
				return err
			}
			u := domain.Unit{CompanyID: c.ID, Code: "pcs", Name: "个"}
			if err := tx.CreateUnit(ctx, &u); err != nil {
				return err
			}
			it := domain.Item{CompanyID: c.ID, Code: "FOREIGN", Name: "外司商品", BaseUnitID: u.ID}
			err := tx.CreateItem(ctx, &it)
			foreignItem = it.ID
			return err
		})
		if err != nil {
			t.Fatalf("second company: %v", err)
		}

		stale := getPriceList(t, db, co, pl.ID)
		stale.Version = 1
		bad := func(code string, lines ...int64) *domain.PriceList {
			p := &domain.PriceList{CompanyID: co, Code: code, Name: "坏的", Kind: domain.PriceListPurchase}
			for _, id := range lines {
				p.Lines = append(p.Lines, domain.PriceListLine{ItemID: id, Price: 1})
			}
			return p
		}
		badUpd := getPriceList(t, db, co, pl.ID)
		badUpd.Lines = append(badUpd.Lines, domain.PriceListLine{ItemID: 999999, Price: 1})
		otherPartner := int64(999999)
		noPartner := bad("PL-9")
		noPartner.PartnerID = &otherPartner
		errs := []struct {
			name      string
			fn        func(tx *store.Tx) error
			want      domain.Code
			wantField string
		}{
			{"duplicate code", func(tx *store.Tx) error { return tx.CreatePriceList(ctx, bad("PL-1")) }, domain.EConflict, "code"},
			{"stale version", func(tx *store.Tx) error { return tx.UpdatePriceList(ctx, &stale) }, domain.EConflict, "version"},
			{"item of another company", func(tx *store.Tx) error { return tx.CreatePriceList(ctx, bad("PL-8", cola, foreignItem, water)) }, domain.EInvalid, "lines[1].item_id"},
			{"missing item", func(tx *store.Tx) error { return tx.CreatePriceList(ctx, bad("PL-8", 999999, cola)) }, domain.EInvalid, "lines[0].item_id"},
			{"missing item on update", func(tx *store.Tx) error { return tx.UpdatePriceList(ctx, &badUpd) }, domain.EInvalid, "lines[2].item_id"},
			{"missing partner", func(tx *store.Tx) error { return tx.CreatePriceList(ctx, noPartner) }, domain.EInvalid, "partner_id"},
			{"missing", func(tx *store.Tx) error { _, err := tx.PriceList(ctx, co, 999999); return err }, domain.ENotFound, ""},
		}
		for _, tc := range errs {
			err := db.Update(ctx, tc.fn)
			if got := domain.ErrorCode(err); got != tc.want {
				t.Errorf("%s: err = %v (code %q), want %q", tc.name, err, got, tc.want)
				continue
			}
			if tc.wantField == "" {
				continue
			}
			var de *domain.Error
			if !errors.As(err, &de) || len(de.Fields) != 1 || de.Fields[0].Field != tc.wantField {
				t.Errorf("%s: err = %v, want one field error on %q", tc.name, err, tc.wantField)
			}
		}
		// The refused update left the list as it was.
		if got := getPriceList(t, db, co, pl.ID); got.Version != 2 || len(got.Lines) != 2 {
			t.Errorf("after refused update: version %d, %d lines; want 2, 2", got.Version, len(got.Lines))
		}
	})
}

func TestListPriceListsAndReferences(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		co, pcs, _ := seed(t, db)
		cola, water, juice := createItem(t, db, co, pcs, "COLA"), createItem(t, db, co, pcs, "WATER"), createItem(t, db, co, pcs, "JUICE")
		cust := domain.Partner{CompanyID: co, Code: "C01", Name: "客户甲", Kind: domain.PartnerCustomer}
		supp := domain.Partner{CompanyID: co, Code: "S01", Name: "供应商乙", Kind: domain.PartnerSupplier}
		createPartner(t, db, &cust)
		createPartner(t, db, &supp)

		line := func(item int64) domain.PriceListLine {
			return domain.PriceListLine{ItemID: item, Price: domain.PriceOf(1)}
		}
		lists := []domain.PriceList{
			{Code: "A-CUST", Name: "客户甲专价", Kind: domain.PriceListSale, PartnerID: &cust.ID, Lines: []domain.PriceListLine{line(cola), line(water)}},
			{Code: "B-GOLD", Name: "金牌价", Kind: domain.PriceListSale, Tier: "gold", Lines: []domain.PriceListLine{line(cola)}},
			{Code: "C-SUPP", Name: "供应商乙进价", Kind: domain.PriceListPurchase, PartnerID: &supp.ID, Lines: []domain.PriceListLine{line(water)}},
			{Code: "D-OLD", Name: "旧价格", Kind: domain.PriceListSale, Lines: []domain.PriceListLine{line(cola)}},
		}
		ids := map[string]int64{}
		for i := range lists {
			lists[i].CompanyID = co
			if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreatePriceList(ctx, &lists[i]) }); err != nil {
				t.Fatalf("CreatePriceList(%s): %v", lists[i].Code, err)
			}
			ids[lists[i].Code] = lists[i].ID
		}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SetPriceListArchived(ctx, co, ids["D-OLD"], true) }); err != nil {
			t.Fatal(err)
		}

		tests := []struct {
			name string
			f    store.PriceListFilter
			want []string
		}{
			{"all active", store.PriceListFilter{}, []string{"A-CUST", "B-GOLD", "C-SUPP"}},
			{"all", store.PriceListFilter{ListFilter: store.ListFilter{Archived: "all"}}, []string{"A-CUST", "B-GOLD", "C-SUPP", "D-OLD"}},
			{"item cola", store.PriceListFilter{ItemID: cola}, []string{"A-CUST", "B-GOLD"}},
			{"item water", store.PriceListFilter{ItemID: water}, []string{"A-CUST", "C-SUPP"}},
			{"item without lists", store.PriceListFilter{ItemID: juice}, nil},
			{"item cola, archived too", store.PriceListFilter{ItemID: cola, ListFilter: store.ListFilter{Archived: "all"}}, []string{"A-CUST", "B-GOLD", "D-OLD"}},
			{"kind", store.PriceListFilter{Kind: "purchase"}, []string{"C-SUPP"}},
			{"partner", store.PriceListFilter{PartnerID: cust.ID}, []string{"A-CUST"}},
			{"tier", store.PriceListFilter{Tier: "gold"}, []string{"B-GOLD"}},
			{"q", store.PriceListFilter{ListFilter: store.ListFilter{Q: "金牌"}}, []string{"B-GOLD"}},
			{"q on code", store.PriceListFilter{ListFilter: store.ListFilter{Q: "supp"}}, []string{"C-SUPP"}},
			{"sort", store.PriceListFilter{ListFilter: store.ListFilter{Sort: "-code"}}, []string{"C-SUPP", "B-GOLD", "A-CUST"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				f := tc.f
				f.CompanyID = co
				var list []domain.PriceList
				var n int
				if err := db.View(ctx, func(tx *store.Tx) (err error) { list, n, err = tx.ListPriceLists(ctx, f); return err }); err != nil {
					t.Fatalf("ListPriceLists: %v", err)
				}
				var got []string
				for _, p := range list {
					got = append(got, p.Code)
					if p.Lines == nil || len(p.Lines) != 0 {
						t.Errorf("%s: lines %#v, want an empty slice", p.Code, p.Lines)
					}
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("codes mismatch (-want +got):\n%s", diff)
				}
				if n != len(tc.want) {
					t.Errorf("total = %d, want %d", n, len(tc.want))
				}
			})
		}

		// A partner with a price list cannot be deleted, only archived.
		err := db.Update(ctx, func(tx *store.Tx) error { return tx.DeletePartner(ctx, co, cust.ID) })
		if domain.ErrorCode(err) != domain.EInUse {
			t.Errorf("delete referenced partner: err = %v, want in_use", err)
		}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SetPartnerArchived(ctx, co, cust.ID, true) }); err != nil {
			t.Errorf("archive referenced partner: %v", err)
		}
		if got := getPartner(t, db, co, cust.ID); !got.Archived {
			t.Errorf("partner not archived after SetPartnerArchived")
		}
		// An item on a price list cannot be deleted either.
		err = db.Update(ctx, func(tx *store.Tx) error { return tx.DeleteItem(ctx, co, water) })
		if domain.ErrorCode(err) != domain.EInUse {
			t.Errorf("delete item on a price list: err = %v, want in_use", err)
		}
		// Deleting the price list takes its lines; then the partner and the
		// item are free to go.
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.DeletePriceList(ctx, co, ids["A-CUST"]) }); err != nil {
			t.Fatalf("DeletePriceList: %v", err)
		}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.DeletePartner(ctx, co, cust.ID) }); err != nil {
			t.Errorf("delete unreferenced partner: %v", err)
		}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.DeletePriceList(ctx, co, ids["C-SUPP"]) }); err != nil {
			t.Fatalf("DeletePriceList: %v", err)
		}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.DeleteItem(ctx, co, water) }); err != nil {
			t.Errorf("delete item no longer on a price list: %v", err)
		}
	})
}
