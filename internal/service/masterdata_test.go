package service_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

func TestWarehousesAndLocations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUp(t, db)
		svc, p := f.svc, f.admin

		w1, err := svc.CreateWarehouse(ctx, p, domain.Warehouse{Code: "W1", Name: "总仓"})
		noErr(t, "CreateWarehouse W1", err)
		if w1.RootLocationID == 0 || w1.Mnemonic != "zc" {
			t.Errorf("CreateWarehouse = root %d, mnemonic %q; want a root location and mnemonic zc", w1.RootLocationID, w1.Mnemonic)
		}
		locs, err := svc.Locations(ctx, p, w1.ID, "")
		noErr(t, "Locations", err)
		if len(locs) != 1 || locs[0].ID != w1.RootLocationID || locs[0].Kind != domain.LocWarehouse ||
			locs[0].ParentID != nil || locs[0].WarehouseID == nil || *locs[0].WarehouseID != w1.ID {
			t.Fatalf("locations of a new warehouse = %+v; want only its root (kind warehouse, no parent)", locs)
		}

		// Bins hang under the root unless told otherwise.
		a, err := svc.CreateLocation(ctx, p, w1.ID, domain.Location{Code: "A", Name: "A区"})
		noErr(t, "CreateLocation A", err)
		if a.Kind != domain.LocBin || a.ParentID == nil || *a.ParentID != w1.RootLocationID {
			t.Errorf("bin A: kind %q, parent %v; want bin under the root %d", a.Kind, a.ParentID, w1.RootLocationID)
		}
		a1, err := svc.CreateLocation(ctx, p, w1.ID, domain.Location{Code: "A-01", Name: "A区01", ParentID: &a.ID})
		noErr(t, "CreateLocation A-01", err)
		a11, err := svc.CreateLocation(ctx, p, w1.ID, domain.Location{Code: "A-01-1", Name: "A区01层1", ParentID: &a1.ID})
		noErr(t, "CreateLocation A-01-1", err)

		// No cycles: not under itself, its child or its grandchild.
		for _, parent := range []int64{a.ID, a1.ID, a11.ID} {
			moved := a
			moved.ParentID = &parent
			_, err = svc.UpdateLocation(ctx, p, w1.ID, a.ID, moved)
			wantField(t, "UpdateLocation A under its own subtree", err, "parent_id", "cycle")
		}
		// The root has no parent.
		root := locs[0]
		root.ParentID = &a.ID
		_, err = svc.UpdateLocation(ctx, p, w1.ID, root.ID, root)
		wantField(t, "UpdateLocation of the root with a parent", err, "parent_id", "root_has_no_parent")
		// Moving a leaf back to the root works.
		a11.ParentID = nil
		a11, err = svc.UpdateLocation(ctx, p, w1.ID, a11.ID, a11)
		noErr(t, "UpdateLocation A-01-1 to the root", err)
		if a11.ParentID == nil || *a11.ParentID != w1.RootLocationID {
			t.Errorf("A-01-1 parent = %v, want the root %d", a11.ParentID, w1.RootLocationID)
		}

		// A bin cannot hang under a location of another warehouse.
		w2, err := svc.CreateWarehouse(ctx, p, domain.Warehouse{Code: "W2", Name: "分仓"})
		noErr(t, "CreateWarehouse W2", err)
		_, err = svc.CreateLocation(ctx, p, w2.ID, domain.Location{Code: "B", Name: "B区", ParentID: &a.ID})
		wantField(t, "CreateLocation under another warehouse's bin", err, "parent_id", "unknown_reference")

		// A principal scoped to W1 does not see W2.
		scoped := &domain.Principal{UserID: f.user.ID, CompanyID: f.company.ID,
			Perms: map[domain.Perm]bool{"data.warehouse.read": true}, Warehouses: map[int64]bool{w1.ID: true}}
		_, err = svc.Warehouse(ctx, scoped, w2.ID)
		wantCode(t, "Warehouse outside the scope", err, domain.ENotFound)
		_, err = svc.Locations(ctx, scoped, w2.ID, "")
		wantCode(t, "Locations outside the scope", err, domain.ENotFound)
		if _, err := svc.Warehouse(ctx, scoped, w1.ID); err != nil {
			t.Errorf("Warehouse inside the scope: %v", err)
		}
		list, n, err := svc.Warehouses(ctx, scoped, service.ListFilter{})
		noErr(t, "Warehouses(scoped)", err)
		if n != 1 || len(list) != 1 || list[0].ID != w1.ID {
			t.Errorf("Warehouses(scoped) = %d warehouses (total %d), want only W1", len(list), n)
		}
		list, n, err = svc.Warehouses(ctx, p, service.ListFilter{})
		noErr(t, "Warehouses(admin)", err)
		if n != 2 || len(list) != 2 {
			t.Errorf("Warehouses(admin) = %d warehouses (total %d), want 2", len(list), n)
		}

		// A warehouse with bins and nothing else referring to it is deleted
		// with its whole tree.
		noErr(t, "DeleteWarehouse W1", svc.DeleteWarehouse(ctx, p, w1.ID))
		_, err = svc.Warehouse(ctx, p, w1.ID)
		wantCode(t, "Warehouse after delete", err, domain.ENotFound)

		// One that an item's stock levels refer to is in use.
		pcs := f.unit(t, p, "pcs", "个")
		_, err = svc.CreateItem(ctx, p, domain.Item{Code: "I-1", Name: "物料", BaseUnitID: pcs.ID,
			Levels: []domain.ItemLevel{{WarehouseID: w2.ID, SafetyQty: domain.QtyOf(5)}}})
		noErr(t, "CreateItem with levels", err)
		err = svc.DeleteWarehouse(ctx, p, w2.ID)
		wantCode(t, "DeleteWarehouse in use", err, domain.EInUse)
		if _, err := svc.Warehouse(ctx, p, w2.ID); err != nil {
			t.Errorf("Warehouse after a refused delete: %v", err)
		}
		locs, err = svc.Locations(ctx, p, w2.ID, "")
		noErr(t, "Locations after a refused delete", err)
		if len(locs) != 1 {
			t.Errorf("locations of W2 after a refused delete: %d, want its root", len(locs))
		}
	})
}

func TestVirtualLocations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUp(t, db)
		locs, err := f.svc.VirtualLocations(ctx, f.admin)
		noErr(t, "VirtualLocations", err)
		var kinds []string
		for _, l := range locs {
			kinds = append(kinds, string(l.Kind))
			if l.WarehouseID != nil || !l.Kind.IsVirtual() {
				t.Errorf("virtual location %+v has a warehouse or a physical kind", l)
			}
		}
		slices.Sort(kinds)
		want := []string{"customer", "gain", "loss", "opening", "production", "supplier", "transit"}
		if diff := cmp.Diff(want, kinds); diff != "" {
			t.Errorf("virtual location kinds (-want +got):\n%s", diff)
		}
		// A warehouse adds no virtual location; another company has its own.
		_, err = f.svc.CreateWarehouse(ctx, f.admin, domain.Warehouse{Code: "W1", Name: "总仓"})
		noErr(t, "CreateWarehouse", err)
		oc := f.otherCompany(t)
		for _, p := range []*domain.Principal{f.admin, service.System(oc.ID)} {
			locs, err := f.svc.VirtualLocations(ctx, p)
			noErr(t, "VirtualLocations", err)
			if len(locs) != 7 {
				t.Errorf("VirtualLocations(company %d) = %d, want 7", p.CompanyID, len(locs))
			}
		}
	})
}

func TestAuditTrail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := service.WithRequestID(context.Background(), "req-1")
		f := setUp(t, db)
		svc, p := f.svc, f.admin

		u, err := svc.CreateUnit(ctx, p, domain.Unit{Code: "pcs", Name: "个"})
		noErr(t, "CreateUnit", err)
		u.Name = "件"
		_, err = svc.UpdateUnit(ctx, p, u.ID, u)
		noErr(t, "UpdateUnit", err)
		noErr(t, "ArchiveUnit", svc.ArchiveUnit(ctx, p, u.ID, true))

		rows, n, err := svc.Audit(ctx, p, service.AuditFilter{Entity: "unit", EntityID: u.ID})
		noErr(t, "Audit", err)
		var actions []string
		for _, r := range rows {
			actions = append(actions, r.Action)
			if r.UserID == nil || *r.UserID != f.user.ID || r.Username != adminName || r.RequestID != "req-1" ||
				r.CompanyID != f.company.ID || r.Entity != "unit" || r.EntityID != u.ID {
				t.Errorf("audit row %+v: want unit %d by %s (user %d) in company %d, request req-1",
					r, u.ID, adminName, f.user.ID, f.company.ID)
			}
		}
		if diff := cmp.Diff([]string{"archive", "update", "create"}, actions); diff != "" || n != 3 {
			t.Fatalf("audit actions, newest first, total %d (-want +got):\n%s", n, diff)
		}
		if upd := rows[1]; !strings.Contains(upd.Before, `"name":"个"`) || !strings.Contains(upd.After, `"name":"件"`) {
			t.Errorf("update row before %s, after %s; want the old name 个 before and the new name 件 after", upd.Before, upd.After)
		}
		if c := rows[2]; c.Before != "" || !strings.Contains(c.After, `"name":"个"`) {
			t.Errorf("create row before %q, after %s; want nothing before and the unit after", c.Before, c.After)
		}
		if !strings.Contains(rows[0].After, `"archived":true`) {
			t.Errorf("archive row after = %s, want archived true", rows[0].After)
		}

		// Another company's log does not show these rows.
		oc := f.otherCompany(t)
		_, n, err = svc.Audit(ctx, service.System(oc.ID), service.AuditFilter{Entity: "unit", EntityID: u.ID})
		noErr(t, "Audit(other company)", err)
		if n != 0 {
			t.Errorf("audit rows of the unit seen from another company: %d, want 0", n)
		}
	})
}

func TestOptimisticLocking(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUp(t, db)
		svc, p := f.svc, f.admin

		u, err := svc.CreateUnit(ctx, p, domain.Unit{Code: "pcs", Name: "个"})
		noErr(t, "CreateUnit", err)
		first, second := u, u
		first.Name, second.Name = "件", "只"
		saved, err := svc.UpdateUnit(ctx, p, u.ID, first)
		noErr(t, "first UpdateUnit", err)
		if saved.Version != u.Version+1 {
			t.Errorf("version after update = %d, want %d", saved.Version, u.Version+1)
		}
		_, err = svc.UpdateUnit(ctx, p, u.ID, second)
		wantCode(t, "second UpdateUnit with the same version", err, domain.EConflict)
		got, err := svc.Unit(ctx, p, u.ID)
		noErr(t, "Unit", err)
		if got.Name != "件" || got.Version != saved.Version {
			t.Errorf("unit after the conflict: name %q version %d; want 件 version %d", got.Name, got.Version, saved.Version)
		}
		// With the fresh version the second writer succeeds.
		second.Version = got.Version
		_, err = svc.UpdateUnit(ctx, p, u.ID, second)
		noErr(t, "UpdateUnit with the fresh version", err)

		// Items follow the same rule.
		it, err := svc.CreateItem(ctx, p, domain.Item{Code: "I-1", Name: "物料", BaseUnitID: u.ID})
		noErr(t, "CreateItem", err)
		_, err = svc.UpdateItem(ctx, p, it.ID, it)
		noErr(t, "first UpdateItem", err)
		_, err = svc.UpdateItem(ctx, p, it.ID, it)
		wantCode(t, "second UpdateItem with the same version", err, domain.EConflict)

		// An update of a record that does not exist is not found.
		_, err = svc.UpdateUnit(ctx, p, 999999, got)
		wantCode(t, "UpdateUnit of a missing unit", err, domain.ENotFound)
	})
}

// TestCostingScopeFixedOnceStockMoves: the costing scope may change until
// the company's first stock movement and not after it; other settings
// still may.
func TestCostingScopeFixedOnceStockMoves(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpPurchase(t, db)
		c, err := f.svc.Company(ctx, f.admin, f.company.ID)
		noErr(t, "Company", err)
		c.Settings.CostingScope = domain.CostingScopeWarehouse
		c, err = f.svc.UpdateCompany(ctx, f.admin, c.ID, c)
		noErr(t, "UpdateCompany before any movement", err)
		_, err = f.svc.CreatePurchaseDoc(ctx, f.admin, domain.Document{Type: domain.DocPurchaseReceipt, PartnerID: &f.supplier.ID,
			WarehouseID: f.w1.ID, Lines: []domain.DocLine{{ItemID: f.items[0].ID, Qty: mustQty("2"), Price: mustPrice("3")}}}, true)
		noErr(t, "receipt", err)
		c.Settings.CostingScope = domain.CostingScopeCompany
		_, err = f.svc.UpdateCompany(ctx, f.admin, c.ID, c)
		wantField(t, "UpdateCompany after a receipt", err, "settings.costing_scope", "scope_after_moves")
		got, err := f.svc.Company(ctx, f.admin, c.ID)
		noErr(t, "Company", err)
		if got.Settings.CostingScope != domain.CostingScopeWarehouse {
			t.Errorf("the refused change was saved: scope %q", got.Settings.CostingScope)
		}
		got.Settings.CostingScope = domain.CostingScopeWarehouse
		got.Name = "改名公司"
		_, err = f.svc.UpdateCompany(ctx, f.admin, got.ID, got)
		noErr(t, "UpdateCompany of another field after a receipt", err)
	})
}
