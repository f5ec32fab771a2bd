package service

import (
	"context"
	"fmt"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/pinyin"
	"github.com/jxc-erp/jxc/internal/store"
)

// ItemFilter is the item list query.
type ItemFilter = store.ItemFilter

// Items lists items of the caller's company.
func (s *Service) Items(ctx context.Context, p *domain.Principal, f ItemFilter) ([]domain.Item, int, error) {
	f.CompanyID = p.CompanyID
	var out []domain.Item
	var n int
	err := s.db.View(ctx, func(tx *store.Tx) (err error) { out, n, err = tx.ListItems(ctx, f); return err })
	return hidePrices(p, out), n, err
}

// Item returns one item.
func (s *Service) Item(ctx context.Context, p *domain.Principal, id int64) (domain.Item, error) {
	var it domain.Item
	err := s.db.View(ctx, func(tx *store.Tx) (err error) { it, err = tx.Item(ctx, p.CompanyID, id); return err })
	if err != nil {
		return it, err
	}
	return hidePrices(p, []domain.Item{it})[0], nil
}

// ScanResult is what a scanned barcode stands for: an item in a unit.
type ScanResult struct {
	Item domain.Item     `json:"item"`
	Unit domain.ItemUnit `json:"unit" doc:"The unit the barcode belongs to (the base unit has factor 1)"`
}

// ItemByBarcode resolves a scanned barcode, a unit's own barcode included.
func (s *Service) ItemByBarcode(ctx context.Context, p *domain.Principal, barcode string) (ScanResult, error) {
	var r ScanResult
	err := s.db.View(ctx, func(tx *store.Tx) (err error) {
		r.Item, r.Unit, err = tx.ItemByBarcode(ctx, p.CompanyID, trim(barcode))
		return err
	})
	if err == nil {
		r.Item = hidePrices(p, []domain.Item{r.Item})[0]
	}
	return r, err
}

// hidePrices blanks purchase prices for callers without data.cost.read.
func hidePrices(p *domain.Principal, items []domain.Item) []domain.Item {
	if p.Can("data.cost.read") {
		return items
	}
	for i := range items {
		items[i].PurchasePrice = 0
		for j := range items[i].Units {
			items[i].Units[j].PurchasePrice = 0
		}
	}
	return items
}

// prepareItem normalises, fills the mnemonic and validates.
func prepareItem(it *domain.Item) error {
	it.Normalize()
	if it.Mnemonic == "" {
		it.Mnemonic = pinyin.Initials(it.Name)
	}
	return it.Validate()
}

// checkItemRefs makes sure every id the item refers to is in the company.
func checkItemRefs(ctx context.Context, tx *store.Tx, it *domain.Item) error {
	co := it.CompanyID
	if err := tx.MustExist(ctx, "units", co, "base_unit_id", it.BaseUnitID); err != nil {
		return err
	}
	for i, u := range it.Units {
		if err := tx.MustExist(ctx, "units", co, fmt.Sprintf("units[%d].unit_id", i), u.UnitID); err != nil {
			return err
		}
	}
	if it.CategoryID != nil {
		if err := tx.MustExist(ctx, "categories", co, "category_id", *it.CategoryID); err != nil {
			return err
		}
	}
	if it.BrandID != nil {
		if err := tx.MustExist(ctx, "brands", co, "brand_id", *it.BrandID); err != nil {
			return err
		}
	}
	for i, l := range it.Levels {
		if err := tx.MustExist(ctx, "warehouses", co, fmt.Sprintf("levels[%d].warehouse_id", i), l.WarehouseID); err != nil {
			return err
		}
	}
	return nil
}

// CreateItem creates an item. A variant template (is_template with
// variant_attrs) creates its child SKUs in the same transaction.
func (s *Service) CreateItem(ctx context.Context, p *domain.Principal, it domain.Item) (domain.Item, error) {
	it.ID, it.CompanyID, it.ParentID, it.Archived = 0, p.CompanyID, nil, false
	if err := prepareItem(&it); err != nil {
		return it, err
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		if err := checkItemRefs(ctx, tx, &it); err != nil {
			return err
		}
		if err := tx.CreateItem(ctx, &it); err != nil {
			return err
		}
		if err := audit(ctx, tx, p, "item", it.ID, "create", nil, it); err != nil {
			return err
		}
		if it.IsTemplate {
			return s.createVariants(ctx, tx, p, &it, nil)
		}
		return nil
	})
	return it, err
}

// createVariants creates the children of a template that do not exist yet
// (existing codes are kept as they are).
func (s *Service) createVariants(ctx context.Context, tx *store.Tx, p *domain.Principal, tmpl *domain.Item, existing map[string]bool) error {
	for _, child := range tmpl.Variants() {
		if existing[child.Code] {
			continue
		}
		child.ParentID = &tmpl.ID
		child.Mnemonic = pinyin.Initials(child.Name)
		if err := child.Validate(); err != nil {
			return prefixed("variants.", err)
		}
		if err := tx.CreateItem(ctx, &child); err != nil {
			return err
		}
		if err := audit(ctx, tx, p, "item", child.ID, "create", nil, child); err != nil {
			return err
		}
	}
	return nil
}

// UpdateItem saves an item; version must match the stored one. Saving a
// template with new attribute values adds the missing variants.
func (s *Service) UpdateItem(ctx context.Context, p *domain.Principal, id int64, it domain.Item) (domain.Item, error) {
	it.ID, it.CompanyID = id, p.CompanyID
	if err := prepareItem(&it); err != nil {
		return it, err
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		before, err := tx.LockItem(ctx, p.CompanyID, id)
		if err != nil {
			return err
		}
		it.ParentID, it.IsTemplate, it.CreatedAt, it.Archived = before.ParentID, before.IsTemplate, before.CreatedAt, before.Archived
		// A variant's values and a template's existing attributes are fixed
		// once the children exist; a template may only gain values.
		it.VariantValues = before.VariantValues
		if before.IsTemplate {
			it.VariantAttrs = domain.MergeVariantAttrs(before.VariantAttrs, it.VariantAttrs)
		} else {
			it.VariantAttrs = before.VariantAttrs
		}
		if !p.Can("data.cost.read") { // a field the caller cannot see is kept, not zeroed
			it.PurchasePrice = before.PurchasePrice
			for i := range it.Units {
				for _, b := range before.Units {
					if b.UnitID == it.Units[i].UnitID {
						it.Units[i].PurchasePrice = b.PurchasePrice
					}
				}
			}
		}
		if err := checkItemRefs(ctx, tx, &it); err != nil {
			return err
		}
		if err := tx.UpdateItem(ctx, &it); err != nil {
			return err
		}
		if err := audit(ctx, tx, p, "item", id, "update", before, it); err != nil {
			return err
		}
		if !it.IsTemplate {
			return nil
		}
		children, _, err := tx.ListItems(ctx, store.ItemFilter{ListFilter: store.ListFilter{CompanyID: p.CompanyID, Archived: "all", Page: store.Page{Limit: 500}}, ParentID: id})
		if err != nil {
			return err
		}
		have := make(map[string]bool, len(children))
		for _, c := range children {
			have[c.Code] = true
		}
		return s.createVariants(ctx, tx, p, &it, have)
	})
	return hidePrices(p, []domain.Item{it})[0], err
}

// ArchiveItem archives (archived=true) or restores an item. Archived items
// stay on old documents but are not offered for new ones.
func (s *Service) ArchiveItem(ctx context.Context, p *domain.Principal, id int64, archived bool) error {
	return s.db.Update(ctx, func(tx *store.Tx) error {
		before, err := tx.Item(ctx, p.CompanyID, id)
		if err != nil {
			return err
		}
		if err := tx.SetItemArchived(ctx, p.CompanyID, id, archived); err != nil {
			return err
		}
		return audit(ctx, tx, p, "item", id, archiveAction(archived), before, map[string]bool{"archived": archived})
	})
}

// DeleteItem deletes an item nothing refers to; otherwise in_use.
func (s *Service) DeleteItem(ctx context.Context, p *domain.Principal, id int64) error {
	return s.db.Update(ctx, func(tx *store.Tx) error {
		before, err := tx.Item(ctx, p.CompanyID, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteItem(ctx, p.CompanyID, id); err != nil {
			return err
		}
		return audit(ctx, tx, p, "item", id, "delete", before, nil)
	})
}

func archiveAction(archived bool) string {
	if archived {
		return "archive"
	}
	return "restore"
}
