package service

import (
	"context"
	"fmt"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// CreateStocktake starts a count (盘点) in a warehouse, optionally only
// one location subtree and one category: the sheet lists every balance row
// in scope with its book quantity frozen now. Counts are then entered
// (CountStocktake) and the document is posted like any other: the
// variances go to the gain and loss locations.
func (s *Service) CreateStocktake(ctx context.Context, p *domain.Principal, d domain.Document) (domain.Document, error) {
	d.ID, d.CompanyID, d.Type, d.State, d.CreatedBy = 0, p.CompanyID, domain.DocStocktake, domain.DocDraft, p.UserID
	d.ToWarehouseID, d.ReversesID, d.ReversedByID, d.Lines, d.Reason = nil, nil, nil, nil, ""
	if d.Date.IsZero() {
		d.Date = s.today()
	}
	sc, err := s.prepareStockDoc(ctx, p, &d, false)
	if err != nil {
		return d, err
	}
	if err := s.number(ctx, sc, &d); err != nil {
		return d, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if d.ScopeLocationID != nil {
			l, err := tx.Location(ctx, p.CompanyID, *d.ScopeLocationID)
			if err != nil || l.WarehouseID == nil || *l.WarehouseID != d.WarehouseID {
				return domain.FieldErr("scope_location_id", "not_in_warehouse")
			}
		}
		if d.ScopeCategoryID != nil {
			if err := tx.MustExist(ctx, "categories", p.CompanyID, "scope_category_id", *d.ScopeCategoryID); err != nil {
				return err
			}
		}
		rows, err := tx.StocktakeSheet(ctx, p.CompanyID, d.WarehouseID, d.ScopeLocationID, d.ScopeCategoryID)
		if err != nil {
			return err
		}
		for _, r := range rows {
			exp, _ := domain.ParseDate(r.Expiry.String)
			l := domain.DocLine{ItemID: r.ItemID, UnitID: r.UnitID, Factor: domain.QtyOne, LocationID: r.LocationID, Batch: r.Batch, BookQty: r.OnHand}
			if r.Expiry.Valid {
				l.Expiry = &exp
			}
			d.Lines = append(d.Lines, l)
			d.TotalQty += r.OnHand
		}
		if err := s.createDoc(ctx, tx, sc, &d); err != nil {
			return err
		}
		return audit(ctx, tx, p, "document", d.ID, "create", nil, map[string]any{"number": d.Number, "lines": len(d.Lines)})
	})
	return hideBook(p, d), err
}

// Count is one counted quantity: of a sheet line, or of an item at a
// location (and batch) — a line is added when the item was not on the
// sheet. Add counts on top (scanning), Clear forgets the count (recount).
type Count struct {
	LineID     int64      `json:"line_id,omitempty"`
	ItemID     int64      `json:"item_id,omitempty"`
	LocationID int64      `json:"location_id,omitempty" doc:"0 = the warehouse itself"`
	Batch      string     `json:"batch,omitempty" maxLength:"64"`
	Qty        domain.Qty `json:"qty"`
	Add        bool       `json:"add,omitempty" doc:"Add to what was counted (each scan adds one)"`
	Clear      bool       `json:"clear,omitempty" doc:"Forget the count of the line: it must be counted again"`
}

// CountStocktake records counts on a stocktake that is still a draft.
func (s *Service) CountStocktake(ctx context.Context, p *domain.Principal, id, version int64, counts []Count) (domain.Document, error) {
	var d domain.Document
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if d, err = s.stockDoc(ctx, tx, p, id); err != nil {
			return err
		}
		if d.Type != domain.DocStocktake {
			return notFoundErr("stocktake", id)
		}
		if d.State != domain.DocDraft {
			return notDraft(d.State)
		}
		if version != 0 && version != d.Version {
			return domain.ErrorKey(domain.EConflict, "error.stale", map[string]string{"entity": "document"}, "document was changed by someone else")
		}
		w, err := tx.Warehouse(ctx, p.CompanyID, d.WarehouseID)
		if err != nil {
			return err
		}
		byKey := map[domain.BalanceKey]int{}
		byID := map[int64]int{}
		for i, l := range d.Lines {
			byKey[domain.BalanceKey{ItemID: l.ItemID, LocationID: l.LocationID, Batch: l.Batch}] = i
			byID[l.ID] = i
		}
		changed := map[int]bool{}
		var added []domain.DocLine
		var errs []error
		for i, c := range counts {
			field := func(f string) string { return fmt.Sprintf("counts[%d].%s", i, f) }
			if c.Qty < 0 {
				errs = append(errs, domain.FieldErr(field("qty"), "not_negative"))
				continue
			}
			var l *domain.DocLine
			if c.LineID != 0 {
				k, ok := byID[c.LineID]
				if !ok {
					errs = append(errs, domain.FieldErr(field("line_id"), "unknown_reference"))
					continue
				}
				l, changed[k] = &d.Lines[k], true
			} else {
				loc := c.LocationID
				if loc == 0 {
					loc = w.RootLocationID
				}
				key := domain.BalanceKey{ItemID: c.ItemID, LocationID: loc, Batch: trim(c.Batch)}
				if k, ok := byKey[key]; ok {
					l, changed[k] = &d.Lines[k], true
				} else {
					for j := range added {
						if added[j].ItemID == key.ItemID && added[j].LocationID == key.LocationID && added[j].Batch == key.Batch {
							l = &added[j]
						}
					}
					if l == nil {
						it, err := tx.Item(ctx, p.CompanyID, c.ItemID)
						if err != nil {
							errs = append(errs, domain.FieldErr(field("item_id"), "unknown_reference"))
							continue
						}
						if rule := domain.CountRule(&it); rule != "" {
							errs = append(errs, domain.FieldErr(field("item_id"), rule))
							continue
						}
						if (it.Tracking == domain.TrackBatch) != (key.Batch != "") {
							errs = append(errs, domain.FieldErr(field("batch"), "required"))
							continue
						}
						if loc != w.RootLocationID {
							li, err := tx.Location(ctx, p.CompanyID, loc)
							if err != nil || li.WarehouseID == nil || *li.WarehouseID != w.ID {
								errs = append(errs, domain.FieldErr(field("location_id"), "not_in_warehouse"))
								continue
							}
						}
						added = append(added, domain.DocLine{ItemID: it.ID, UnitID: it.BaseUnitID, LocationID: loc, Batch: key.Batch, Note: "盘点新增"})
						l = &added[len(added)-1]
					}
				}
			}
			switch {
			case c.Clear:
				l.CountedQty = nil
			case c.Add && l.CountedQty != nil:
				v := *l.CountedQty + c.Qty
				l.CountedQty = &v
			default:
				v := c.Qty
				l.CountedQty = &v
			}
		}
		if err := joinInvalid(errs...); err != nil {
			return err
		}
		var ch []domain.DocLine
		for k := range changed {
			ch = append(ch, d.Lines[k])
		}
		if err := tx.SetCounts(ctx, &d, ch, added); err != nil {
			return err
		}
		return audit(ctx, tx, p, "document", id, "count", nil, map[string]any{"counts": len(counts), "added": len(added)})
	})
	if err != nil {
		return d, err
	}
	d, err = s.StockDoc(ctx, p, id)
	return d, err
}

// hideBook blanks the book quantities of a blind count for callers who
// may not see them (only those who may post it do).
func hideBook(p *domain.Principal, d domain.Document) domain.Document {
	if d.Type != domain.DocStocktake || !d.Blind || d.State == domain.DocPosted || p.Can("stock.document.post") {
		return d
	}
	d.TotalQty = 0
	for i := range d.Lines {
		d.Lines[i].BookQty = 0
	}
	return d
}

// BOM returns an item's bill of materials.
func (s *Service) BOM(ctx context.Context, p *domain.Principal, itemID int64) ([]domain.BOMLine, error) {
	return view(ctx, s, func(tx *store.Tx) ([]domain.BOMLine, error) {
		if err := tx.MustExist(ctx, "items", p.CompanyID, "item_id", itemID); err != nil {
			return nil, err
		}
		return tx.BOM(ctx, p.CompanyID, itemID)
	})
}

// SetBOM replaces an item's bill of materials.
func (s *Service) SetBOM(ctx context.Context, p *domain.Principal, itemID int64, lines []domain.BOMLine) ([]domain.BOMLine, error) {
	if err := domain.ValidateBOM(itemID, lines); err != nil {
		return nil, err
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		before, err := tx.BOM(ctx, p.CompanyID, itemID)
		if err != nil {
			return err
		}
		if err := tx.MustExist(ctx, "items", p.CompanyID, "item_id", itemID); err != nil {
			return err
		}
		for i, l := range lines {
			if err := tx.MustExist(ctx, "items", p.CompanyID, fmt.Sprintf("lines[%d].component_id", i), l.ComponentID); err != nil {
				return err
			}
		}
		if err := tx.SetBOM(ctx, p.CompanyID, itemID, lines); err != nil {
			return err
		}
		return audit(ctx, tx, p, "bom", itemID, "update", before, lines)
	})
	return lines, err
}

// expandBOM fills the component lines of an assembly or disassembly that
// names only its product, from the product's bill of materials.
func (s *Service) expandBOM(ctx context.Context, p *domain.Principal, d *domain.Document) error {
	if (d.Type != domain.DocAssembly && d.Type != domain.DocDisassembly) || len(d.Lines) != 1 {
		return nil
	}
	prod := d.Lines[0]
	if prod.Role == "" {
		prod.Role = domain.RoleProduct
		d.Lines[0].Role = domain.RoleProduct
	}
	it, err := s.Item(ctx, p, prod.ItemID)
	if err != nil {
		return domain.FieldErr("lines[0].item_id", "unknown_reference")
	}
	bom, err := s.BOM(ctx, p, prod.ItemID)
	if err != nil {
		return err
	}
	if len(bom) == 0 {
		return domain.FieldErr("lines[0].item_id", "no_bom")
	}
	base := prod.Qty
	if prod.UnitID != 0 && prod.UnitID != it.BaseUnitID {
		for _, u := range it.Units {
			if u.UnitID == prod.UnitID {
				v, _ := domain.MulDivRound(int64(prod.Qty), int64(u.Factor), int64(domain.QtyOne))
				base = domain.Qty(v)
			}
		}
	}
	for _, b := range bom {
		q, ok := domain.MulDivRound(int64(b.Qty), int64(base), int64(domain.QtyOne))
		if !ok {
			return domain.FieldErr("lines[0].qty", "range", "min", "0", "max", "1000000000")
		}
		d.Lines = append(d.Lines, domain.DocLine{ItemID: b.ComponentID, Qty: domain.Qty(q), Role: domain.RoleComponent, LocationID: prod.LocationID})
	}
	return nil
}

// StockAlerts lists level and expiry alerts in the caller's warehouses;
// days is how far ahead "near expiry" looks (30 when 0).
func (s *Service) StockAlerts(ctx context.Context, p *domain.Principal, warehouseID int64, days int) ([]store.StockAlert, error) {
	if days <= 0 {
		days = 30
	}
	scope := p.Warehouses
	if p.IsAdmin {
		scope = nil
	}
	return view(ctx, s, func(tx *store.Tx) ([]store.StockAlert, error) {
		return tx.StockAlerts(ctx, p.CompanyID, warehouseID, s.today(), days, scope)
	})
}

// FEFO suggests the batches to issue qty of an item from, first expiring
// first.
func (s *Service) FEFO(ctx context.Context, p *domain.Principal, itemID, warehouseID int64, qty domain.Qty) ([]store.BatchOption, error) {
	if !p.CanWarehouse(warehouseID) {
		return nil, notFoundErr("warehouse", warehouseID)
	}
	return view(ctx, s, func(tx *store.Tx) ([]store.BatchOption, error) {
		return tx.FEFO(ctx, p.CompanyID, itemID, warehouseID, qty)
	})
}
