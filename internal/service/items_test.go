package service_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

func TestItemMnemonic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUp(t, db)
		pcs := f.unit(t, f.admin, "pcs", "个")

		it, err := f.svc.CreateItem(ctx, f.admin, domain.Item{Code: "TS-1", Name: "纯棉T恤", BaseUnitID: pcs.ID})
		noErr(t, "CreateItem", err)
		if it.Mnemonic != "cmtx" {
			t.Errorf("CreateItem mnemonic = %q, want %q", it.Mnemonic, "cmtx")
		}
		got, err := f.svc.Item(ctx, f.admin, it.ID)
		noErr(t, "Item", err)
		if got.Mnemonic != "cmtx" || got.Tracking != domain.TrackNone {
			t.Errorf("stored item mnemonic %q, tracking %q; want cmtx, none", got.Mnemonic, got.Tracking)
		}
		// A mnemonic typed by the user is kept (normalised).
		it2, err := f.svc.CreateItem(ctx, f.admin, domain.Item{Code: "TS-2", Name: "纯棉T恤", Mnemonic: " TX 2 ", BaseUnitID: pcs.ID})
		noErr(t, "CreateItem with a mnemonic", err)
		if it2.Mnemonic != "tx2" {
			t.Errorf("CreateItem with mnemonic \" TX 2 \" stored %q, want tx2", it2.Mnemonic)
		}
		list, n, err := f.svc.Items(ctx, f.admin, service.ItemFilter{Mnemonic: "cm"})
		noErr(t, "Items", err)
		if n != 1 || len(list) != 1 || list[0].ID != it.ID {
			t.Errorf("Items(mnemonic cm) = %v (total %d), want [TS-1]", codes(list), n)
		}
	})
}

func TestItemVariants(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUp(t, db)
		pcs := f.unit(t, f.admin, "pcs", "个")

		tmpl, err := f.svc.CreateItem(ctx, f.admin, domain.Item{
			Code: "TPL", Name: "T恤", BaseUnitID: pcs.ID, IsTemplate: true, RetailPrice: domain.PriceOf(59),
			VariantAttrs: []domain.VariantAttr{
				{Name: "颜色", Values: []domain.VariantValue{{Value: "红", Code: "RED"}, {Value: "蓝", Code: "BLUE"}}},
				{Name: "尺码", Values: []domain.VariantValue{{Value: "S"}, {Value: "M"}}},
			},
		})
		noErr(t, "CreateItem(template)", err)

		children := func() []domain.Item {
			t.Helper()
			list, n, err := f.svc.Items(ctx, f.admin, service.ItemFilter{ParentID: tmpl.ID})
			noErr(t, "Items(parent)", err)
			if n != len(list) {
				t.Errorf("Items(parent) total %d, page %d", n, len(list))
			}
			return list
		}
		kids := children()
		want := []string{"TPL-BLUE-01", "TPL-BLUE-02", "TPL-RED-01", "TPL-RED-02"}
		if diff := cmp.Diff(want, codes(kids)); diff != "" {
			t.Fatalf("children of the template (-want +got):\n%s", diff)
		}
		firstIDs := map[string]int64{}
		for _, k := range kids {
			firstIDs[k.Code] = k.ID
			if k.ParentID == nil || *k.ParentID != tmpl.ID || k.IsTemplate || k.RetailPrice != domain.PriceOf(59) {
				t.Errorf("child %s: parent %v, template %v, retail %v; want parent %d, no template, 59",
					k.Code, k.ParentID, k.IsTemplate, k.RetailPrice, tmpl.ID)
			}
		}
		red1 := kids[2]
		if diff := cmp.Diff(map[string]string{"颜色": "红", "尺码": "S"}, red1.VariantValues); diff != "" {
			t.Errorf("TPL-RED-01 variant values (-want +got):\n%s", diff)
		}
		if red1.Name != "T恤 红/S" || red1.Mnemonic == "" {
			t.Errorf("TPL-RED-01 name %q mnemonic %q; want \"T恤 红/S\" and a mnemonic", red1.Name, red1.Mnemonic)
		}

		// Adding a value creates exactly the missing children.
		upd := tmpl
		upd.VariantAttrs = []domain.VariantAttr{
			{Name: "颜色", Values: []domain.VariantValue{{Value: "红", Code: "RED"}, {Value: "蓝", Code: "BLUE"}, {Value: "绿", Code: "GRN"}}},
			{Name: "尺码", Values: []domain.VariantValue{{Value: "S"}, {Value: "M"}}},
		}
		upd, err = f.svc.UpdateItem(ctx, f.admin, tmpl.ID, upd)
		noErr(t, "UpdateItem(template)", err)
		kids = children()
		want = []string{"TPL-BLUE-01", "TPL-BLUE-02", "TPL-GRN-01", "TPL-GRN-02", "TPL-RED-01", "TPL-RED-02"}
		if diff := cmp.Diff(want, codes(kids)); diff != "" {
			t.Fatalf("children after adding 绿 (-want +got):\n%s", diff)
		}
		for _, k := range kids {
			if id, ok := firstIDs[k.Code]; ok && id != k.ID {
				t.Errorf("child %s was recreated: id %d, was %d", k.Code, k.ID, id)
			}
		}

		// Saving again without changes adds nothing.
		_, err = f.svc.UpdateItem(ctx, f.admin, tmpl.ID, upd)
		noErr(t, "UpdateItem(template) again", err)
		if got := codes(children()); len(got) != 6 {
			t.Errorf("children after saving again: %v, want 6", got)
		}
		// The template itself is one more item; no child is a template.
		all, n, err := f.svc.Items(ctx, f.admin, service.ItemFilter{Templates: "only"})
		noErr(t, "Items(templates)", err)
		if n != 1 || len(all) != 1 || all[0].ID != tmpl.ID {
			t.Errorf("Items(templates only) = %v, want [TPL]", codes(all))
		}
	})
}

func TestItemRefsOtherCompany(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUp(t, db)
		pcs := f.unit(t, f.admin, "pcs", "个")
		other := f.otherCompany(t)
		pOther := service.System(other.ID)
		foreign := f.unit(t, pOther, "pcs", "个") // same code is fine in another company

		_, err := f.svc.CreateItem(ctx, f.admin, domain.Item{Code: "X-1", Name: "外来单位", BaseUnitID: foreign.ID})
		wantField(t, "CreateItem with another company's unit", err, "base_unit_id", "unknown_reference")

		it, err := f.svc.CreateItem(ctx, f.admin, domain.Item{Code: "X-1", Name: "本公司", BaseUnitID: pcs.ID})
		noErr(t, "CreateItem", err)
		bad := it
		bad.Units = []domain.ItemUnit{{UnitID: foreign.ID, Factor: domain.QtyOf(12)}}
		_, err = f.svc.UpdateItem(ctx, f.admin, it.ID, bad)
		wantField(t, "UpdateItem with another company's unit", err, "units[0].unit_id", "unknown_reference")
		bad = it
		bad.BaseUnitID = foreign.ID
		_, err = f.svc.UpdateItem(ctx, f.admin, it.ID, bad)
		wantField(t, "UpdateItem with another company's base unit", err, "base_unit_id", "unknown_reference")

		// The other company does not see the item at all.
		_, err = f.svc.Item(ctx, pOther, it.ID)
		wantCode(t, "Item from another company", err, domain.ENotFound)
		_, n, err := f.svc.Items(ctx, pOther, service.ItemFilter{})
		noErr(t, "Items(other company)", err)
		if n != 0 {
			t.Errorf("Items of the other company: total %d, want 0", n)
		}
	})
}

func TestItemCostHidden(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUp(t, db)
		pcs := f.unit(t, f.admin, "pcs", "个")
		box := f.unit(t, f.admin, "box", "箱")
		it, err := f.svc.CreateItem(ctx, f.admin, domain.Item{
			Code: "C-1", Name: "可乐", BaseUnitID: pcs.ID, PurchasePrice: domain.PriceOf(2), RetailPrice: domain.PriceOf(3),
			Units: []domain.ItemUnit{{UnitID: box.ID, Factor: domain.QtyOf(24), PurchasePrice: domain.PriceOf(45), RetailPrice: domain.PriceOf(60)}},
		})
		noErr(t, "CreateItem", err)

		clerk := &domain.Principal{UserID: f.user.ID, CompanyID: f.company.ID,
			Perms: map[domain.Perm]bool{"data.item.read": true, "data.item.write": true}}
		seen, err := f.svc.Item(ctx, clerk, it.ID)
		noErr(t, "Item(no cost)", err)
		if seen.PurchasePrice != 0 || seen.Units[0].PurchasePrice != 0 || seen.RetailPrice != domain.PriceOf(3) {
			t.Errorf("Item without data.cost.read: purchase %v, unit purchase %v, retail %v; want 0, 0, 3",
				seen.PurchasePrice, seen.Units[0].PurchasePrice, seen.RetailPrice)
		}
		list, _, err := f.svc.Items(ctx, clerk, service.ItemFilter{})
		noErr(t, "Items(no cost)", err)
		if len(list) != 1 || list[0].PurchasePrice != 0 {
			t.Errorf("Items without data.cost.read show purchase prices: %+v", list)
		}

		// Saving what they saw keeps the prices they could not see.
		seen.RetailPrice = domain.PriceOf(4)
		saved, err := f.svc.UpdateItem(ctx, clerk, it.ID, seen)
		noErr(t, "UpdateItem(no cost)", err)
		if saved.PurchasePrice != 0 || saved.Units[0].PurchasePrice != 0 {
			t.Errorf("UpdateItem without data.cost.read returned purchase %v, unit purchase %v; want them hidden (0)",
				saved.PurchasePrice, saved.Units[0].PurchasePrice)
		}
		stored, err := f.svc.Item(ctx, f.admin, it.ID)
		noErr(t, "Item(admin)", err)
		if stored.PurchasePrice != domain.PriceOf(2) || stored.Units[0].PurchasePrice != domain.PriceOf(45) || stored.RetailPrice != domain.PriceOf(4) {
			t.Errorf("after UpdateItem without data.cost.read: purchase %v, unit purchase %v, retail %v; want 2, 45, 4",
				stored.PurchasePrice, stored.Units[0].PurchasePrice, stored.RetailPrice)
		}

		// Someone who sees cost changes it.
		stored.PurchasePrice = domain.PriceOf(1)
		_, err = f.svc.UpdateItem(ctx, f.admin, it.ID, stored)
		noErr(t, "UpdateItem(admin)", err)
		stored, err = f.svc.Item(ctx, f.admin, it.ID)
		noErr(t, "Item(admin)", err)
		if stored.PurchasePrice != domain.PriceOf(1) {
			t.Errorf("purchase price after the admin's update = %v, want 1", stored.PurchasePrice)
		}
	})
}

func TestCategories(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUp(t, db)
		svc, p := f.svc, f.admin
		pcs := f.unit(t, p, "pcs", "个")

		a, err := svc.CreateCategory(ctx, p, domain.Category{Code: "A", Name: "服装"})
		noErr(t, "CreateCategory A", err)
		if a.Mnemonic != "fz" {
			t.Errorf("category mnemonic = %q, want fz", a.Mnemonic)
		}
		b, err := svc.CreateCategory(ctx, p, domain.Category{Code: "B", Name: "上衣", ParentID: &a.ID})
		noErr(t, "CreateCategory B", err)
		c, err := svc.CreateCategory(ctx, p, domain.Category{Code: "C", Name: "T恤", ParentID: &b.ID})
		noErr(t, "CreateCategory C", err)
		other, err := svc.CreateCategory(ctx, p, domain.Category{Code: "D", Name: "食品"})
		noErr(t, "CreateCategory D", err)

		// A parent cannot become the child of its own descendant, nor of itself.
		a.ParentID = &c.ID
		_, err = svc.UpdateCategory(ctx, p, a.ID, a)
		wantField(t, "UpdateCategory A under its grandchild C", err, "parent_id", "cycle")
		a.ParentID = &b.ID
		_, err = svc.UpdateCategory(ctx, p, a.ID, a)
		wantField(t, "UpdateCategory A under its child B", err, "parent_id", "cycle")
		a.ParentID = &a.ID
		_, err = svc.UpdateCategory(ctx, p, a.ID, a)
		wantField(t, "UpdateCategory A under itself", err, "parent_id", "cycle")
		// Moving a leaf elsewhere is fine.
		c.ParentID = &other.ID
		c, err = svc.UpdateCategory(ctx, p, c.ID, c)
		noErr(t, "UpdateCategory C under D", err)
		c.ParentID = &b.ID
		c, err = svc.UpdateCategory(ctx, p, c.ID, c)
		noErr(t, "UpdateCategory C back under B", err)

		mk := func(code string, cat *int64) {
			t.Helper()
			_, err := svc.CreateItem(ctx, p, domain.Item{Code: code, Name: code, BaseUnitID: pcs.ID, CategoryID: cat})
			noErr(t, "CreateItem "+code, err)
		}
		mk("I-A", &a.ID)
		mk("I-B", &b.ID)
		mk("I-C", &c.ID)
		mk("I-D", &other.ID)
		mk("I-NONE", nil)

		for _, tc := range []struct {
			cat  int64
			want []string
		}{
			{a.ID, []string{"I-A", "I-B", "I-C"}},
			{b.ID, []string{"I-B", "I-C"}},
			{c.ID, []string{"I-C"}},
			{other.ID, []string{"I-D"}},
		} {
			list, n, err := svc.Items(ctx, p, service.ItemFilter{CategoryID: tc.cat})
			noErr(t, "Items(category)", err)
			if diff := cmp.Diff(tc.want, codes(list)); diff != "" || n != len(tc.want) {
				t.Errorf("Items(category %d) total %d (-want +got):\n%s", tc.cat, n, diff)
			}
		}

		// A category of another company is not a valid parent.
		oc := f.otherCompany(t)
		foreign, err := svc.CreateCategory(ctx, service.System(oc.ID), domain.Category{Code: "X", Name: "外来"})
		noErr(t, "CreateCategory(other company)", err)
		_, err = svc.CreateCategory(ctx, p, domain.Category{Code: "E", Name: "其他", ParentID: &foreign.ID})
		wantField(t, "CreateCategory under another company's category", err, "parent_id", "unknown_reference")
	})
}
