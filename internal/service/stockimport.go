package service

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// OpeningColumns are the columns of the opening-balance import template,
// in order: item code (SKU) and quantity are required; unit code (the base
// unit when empty), unit cost, bin code, batch, expiry and note are not.
var OpeningColumns = []string{"item_code", "qty", "unit_code", "price", "location_code", "batch", "expiry", "note"}

// MaxImportRows bounds one import (one document).
const MaxImportRows = domain.MaxDocLines

// ImportOpening turns the rows of an opening-balance sheet (header first,
// columns as OpeningColumns) into one posted opening document in a
// warehouse: all or nothing. Every bad cell is reported with its sheet row
// ("rows[N]" where N+1 is the row number people see in Excel, the header
// being row 1) and column, and nothing is created.
func (s *Service) ImportOpening(ctx context.Context, p *domain.Principal, warehouseID int64, date domain.Date, rows [][]string) (domain.Document, error) {
	var d domain.Document
	if len(rows) < 2 {
		return d, domain.FieldErr("rows", "required")
	}
	if len(rows)-1 > MaxImportRows {
		return d, domain.FieldErr("rows", "max_items", "max", strconv.Itoa(MaxImportRows))
	}
	type ref struct {
		items map[string]domain.Item
		units map[string]int64
		locs  map[string]int64
	}
	r := ref{items: map[string]domain.Item{}, units: map[string]int64{}, locs: map[string]int64{}}
	err := s.db.View(ctx, func(tx *store.Tx) error {
		if !p.CanWarehouse(warehouseID) {
			return domain.FieldErr("warehouse_id", "unknown_reference")
		}
		if err := tx.MustExist(ctx, "warehouses", p.CompanyID, "warehouse_id", warehouseID); err != nil {
			return err
		}
		var codes []string
		for _, row := range rows[1:] {
			codes = append(codes, strings.TrimSpace(cell(row, 0)))
		}
		its, err := tx.ItemsByCodes(ctx, p.CompanyID, codes)
		if err != nil {
			return err
		}
		for _, it := range its {
			r.items[it.Code] = it
		}
		units, _, err := tx.ListUnits(ctx, store.ListFilter{CompanyID: p.CompanyID, Archived: "all", Page: store.Page{Limit: 500}})
		if err != nil {
			return err
		}
		for _, u := range units {
			r.units[strings.ToLower(u.Code)] = u.ID
			r.units[u.Name] = u.ID
		}
		locs, err := tx.Locations(ctx, p.CompanyID, warehouseID, "active")
		if err != nil {
			return err
		}
		for _, l := range locs {
			r.locs[l.Code] = l.ID
		}
		return nil
	})
	if err != nil {
		return d, err
	}
	d = domain.Document{Type: domain.DocStockOpening, WarehouseID: warehouseID, Date: date, Note: "Excel 导入"}
	var errs []error
	var rowOf []int // line → sheet row index
	for i, row := range rows[1:] {
		at := func(col string) string { return "rows[" + strconv.Itoa(i+1) + "]." + col }
		if allBlank(row) {
			continue
		}
		l := domain.DocLine{Note: strings.TrimSpace(cell(row, 7)), Batch: strings.TrimSpace(cell(row, 5))}
		code := strings.TrimSpace(cell(row, 0))
		it, ok := r.items[code]
		switch {
		case code == "":
			errs = append(errs, domain.FieldErr(at("item_code"), "required"))
		case !ok:
			errs = append(errs, domain.FieldErr(at("item_code"), "unknown_reference"))
		default:
			l.ItemID = it.ID
		}
		if q, err := domain.ParseQty(strings.TrimSpace(cell(row, 1))); err != nil || q <= 0 {
			errs = append(errs, domain.FieldErr(at("qty"), "positive"))
		} else {
			l.Qty = q
		}
		if u := strings.TrimSpace(cell(row, 2)); u != "" {
			id, ok := r.units[strings.ToLower(u)]
			if !ok {
				id, ok = r.units[u]
			}
			if !ok {
				errs = append(errs, domain.FieldErr(at("unit_code"), "unknown_reference"))
			}
			l.UnitID = id
		}
		if pr := strings.TrimSpace(cell(row, 3)); pr != "" {
			if v, err := domain.ParsePrice(pr); err != nil || v < 0 {
				errs = append(errs, domain.FieldErr(at("price"), "not_negative"))
			} else {
				l.Price = v
			}
		}
		if lc := strings.TrimSpace(cell(row, 4)); lc != "" {
			id, ok := r.locs[lc]
			if !ok {
				errs = append(errs, domain.FieldErr(at("location_code"), "not_in_warehouse"))
			}
			l.LocationID = id
		}
		if e := strings.TrimSpace(cell(row, 6)); e != "" {
			v, err := domain.ParseDate(strings.ReplaceAll(e, "/", "-"))
			if err != nil {
				errs = append(errs, domain.FieldErr(at("expiry"), "date_format"))
			} else {
				l.Expiry = &v
			}
		}
		if ok && it.Tracking == domain.TrackBatch && l.Batch == "" {
			errs = append(errs, domain.FieldErr(at("batch"), "required"))
		}
		d.Lines = append(d.Lines, l)
		rowOf = append(rowOf, i+1)
	}
	if err := joinInvalid(errs...); err != nil {
		return domain.Document{}, err
	}
	got, err := s.CreateStockDoc(ctx, p, d, true)
	return got, renameLines(err, rowOf)
}

func cell(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}

func allBlank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// renameLines reports errors about document lines as errors about the
// sheet rows they came from.
func renameLines(err error, rowOf []int) error {
	var e *domain.Error
	if err == nil || !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make([]domain.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		if rest, ok := strings.CutPrefix(f.Field, "lines["); ok {
			if j := strings.IndexByte(rest, ']'); j > 0 {
				if k, err := strconv.Atoi(rest[:j]); err == nil && k < len(rowOf) {
					f.Field = "rows[" + strconv.Itoa(rowOf[k]) + "]" + rest[j+1:]
				}
			}
		}
		out.Fields[i] = f
	}
	return &out
}
