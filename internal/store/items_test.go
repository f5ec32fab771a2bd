package store_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// seed creates a company with two units (个, 箱) and returns their ids.
func seed(t testing.TB, db *store.DB) (company, pcs, box int64) {
	t.Helper()
	ctx := context.Background()
	err := db.Update(ctx, func(tx *store.Tx) error {
		c := domain.Company{Code: "C1", Name: "测试公司", Currency: "CNY", Settings: domain.DefaultCompanySettings()}
		if err := tx.CreateCompany(ctx, &c); err != nil {
			return err
		}
		company = c.ID
		u1 := domain.Unit{CompanyID: c.ID, Code: "pcs", Name: "个"}
		u2 := domain.Unit{CompanyID: c.ID, Code: "box", Name: "箱"}
		if err := tx.CreateUnit(ctx, &u1); err != nil {
			return err
		}
		if err := tx.CreateUnit(ctx, &u2); err != nil {
			return err
		}
		pcs, box = u1.ID, u2.ID
		return nil
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	return company, pcs, box
}

func TestItemRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		co, pcs, box := seed(t, db)
		want := domain.Item{
			CompanyID: co, Code: "SKU-1", Name: "可口可乐 330ml", Mnemonic: "kkkl", BaseUnitID: pcs,
			Tracking: domain.TrackBatch, RetailPrice: domain.PriceOf(3), PurchasePrice: 18000, TaxRate: domain.RateOf(13),
			Barcode: "6901234567892",
			Units: []domain.ItemUnit{{UnitID: box, Factor: domain.QtyOf(24), Barcode: "16901234567899",
				PurchasePrice: domain.PriceOf(40), WholesalePrice: domain.PriceOf(50), RetailPrice: domain.PriceOf(60)}},
			Levels:       []domain.ItemLevel{},
			VariantAttrs: []domain.VariantAttr{}, VariantValues: map[string]string{},
		}
		it := want
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateItem(ctx, &it) }); err != nil {
			t.Fatalf("CreateItem: %v", err)
		}
		var got domain.Item
		if err := db.View(ctx, func(tx *store.Tx) (err error) { got, err = tx.Item(ctx, co, it.ID); return err }); err != nil {
			t.Fatalf("Item: %v", err)
		}
		want.ID, want.Version = it.ID, 1
		ignore := cmpopts.IgnoreFields(domain.Stamp{}, "CreatedAt", "UpdatedAt")
		if diff := cmp.Diff(want, got, ignore); diff != "" {
			t.Errorf("Item() mismatch (-want +got):\n%s", diff)
		}

		// The units come in the item's own row: items with their units
		// are one statement (on PostgreSQL one round trip), not two.
		cnt := storetest.CountStatements(t, db)
		var byID []domain.Item
		var stmts int64
		err := db.View(ctx, func(tx *store.Tx) (err error) {
			cnt.Reset()
			byID, err = tx.ItemsByID(ctx, co, []int64{it.ID})
			stmts = cnt.Statements()
			return err
		})
		if err != nil || len(byID) != 1 {
			t.Fatalf("ItemsByID: %v, %d items", err, len(byID))
		}
		if stmts != 1 {
			t.Errorf("ItemsByID took %d statements, want 1 (units in the item's row)", stmts)
		}
		if diff := cmp.Diff(want, byID[0], ignore); diff != "" {
			t.Errorf("ItemsByID mismatch (-want +got):\n%s", diff)
		}

		// Found by mnemonic prefix, by either barcode, and by a search term.
		for _, f := range []store.ItemFilter{
			{Mnemonic: "kk"}, {Barcode: "16901234567899"}, {ListFilter: store.ListFilter{Q: "6901234567892"}},
			{ListFilter: store.ListFilter{Q: "可乐"}}, {ListFilter: store.ListFilter{Q: "sku"}},
		} {
			f.CompanyID = co
			var list []domain.Item
			var n int
			err := db.View(ctx, func(tx *store.Tx) (err error) { list, n, err = tx.ListItems(ctx, f); return err })
			if err != nil || n != 1 || len(list) != 1 || list[0].ID != it.ID {
				t.Errorf("ListItems(%+v) = %d items (total %d), err %v; want the item", f, len(list), n, err)
			}
		}

		// A second item may not reuse a code or a barcode.
		dup := want
		dup.ID = 0
		dup.Barcode, dup.Units = "", nil
		err = db.Update(ctx, func(tx *store.Tx) error { return tx.CreateItem(ctx, &dup) })
		if domain.ErrorCode(err) != domain.EConflict {
			t.Errorf("duplicate code: err = %v, want conflict", err)
		}
		dup.Code, dup.Barcode = "SKU-2", "16901234567899"
		err = db.Update(ctx, func(tx *store.Tx) error { return tx.CreateItem(ctx, &dup) })
		if domain.ErrorCode(err) != domain.EConflict {
			t.Errorf("duplicate barcode: err = %v, want conflict", err)
		}

		// A stale version is refused.
		stale := got
		stale.Name = "changed"
		stale.Version = 99
		err = db.Update(ctx, func(tx *store.Tx) error { return tx.UpdateItem(ctx, &stale) })
		if domain.ErrorCode(err) != domain.EConflict {
			t.Errorf("stale update: err = %v, want conflict", err)
		}

		// The unit is referenced by the item: deleting it is refused.
		err = db.Update(ctx, func(tx *store.Tx) error { return tx.DeleteUnit(ctx, co, box) })
		if domain.ErrorCode(err) != domain.EInUse {
			t.Errorf("delete referenced unit: err = %v, want in_use", err)
		}
		// The item itself is not referenced: archive, then delete, work.
		err = db.Update(ctx, func(tx *store.Tx) error { return tx.SetItemArchived(ctx, co, it.ID, true) })
		if err != nil {
			t.Fatalf("archive: %v", err)
		}
		err = db.Update(ctx, func(tx *store.Tx) error { return tx.DeleteItem(ctx, co, it.ID) })
		if err != nil {
			t.Fatalf("delete: %v", err)
		}
	})
}
