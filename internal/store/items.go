package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// itemRow is the items table: the domain item plus its JSON columns.
type itemRow struct {
	bun.BaseModel `bun:"table:items,alias:i"`
	domain.Item
	VariantAttrsJSON  string `bun:"variant_attrs"`
	VariantValuesJSON string `bun:"variant_values"`
	UnitsJSON         string `bun:"units_json,scanonly"` // selectItems: the item's units in the same row
}

// selectItems selects items into rows with their units aggregated into
// each row (units_json), so that reading items with their units is one
// statement, not two: on PostgreSQL one round trip fewer for every item
// read, the posting's pre-transaction reads among them. Each unit is an
// array [is_base, unit_id, factor, barcode, purchase, wholesale, retail]
// of integers (fixed-point, as stored) and the barcode, in sort order.
func (tx *Tx) selectItems(rows *[]itemRow) *bun.SelectQuery {
	units := `(SELECT json_agg(json_build_array(u.is_base, u.unit_id, u.factor, u.barcode, u.purchase_price, u.wholesale_price, u.retail_price)
		ORDER BY u.sort, u.unit_id)::text FROM item_units u WHERE u.item_id = i.id)`
	if tx.Dialect() == SQLite {
		units = `(SELECT json_group_array(json_array(u.is_base, u.unit_id, u.factor, u.barcode, u.purchase_price, u.wholesale_price, u.retail_price)
		ORDER BY u.sort, u.unit_id) FROM item_units u WHERE u.item_id = i.id)`
	}
	return tx.NewSelect().Model(rows).ColumnExpr("?TableColumns").ColumnExpr("COALESCE(" + units + ", '[]') AS units_json")
}

// unitsOf decodes a row's units_json (selectItems) into its item: the base
// unit's barcode, the other units in order.
func (r *itemRow) unitsOf(it *domain.Item) error {
	var units [][]json.RawMessage
	if err := json.Unmarshal([]byte(r.UnitsJSON), &units); err != nil {
		return fmt.Errorf("item %d units: %w", it.ID, err)
	}
	for _, u := range units {
		if len(u) != 7 {
			return fmt.Errorf("item %d units: %d fields", it.ID, len(u))
		}
		var n [7]int64
		for _, k := range []int{1, 2, 4, 5, 6} {
			var err error
			if n[k], err = strconv.ParseInt(string(u[k]), 10, 64); err != nil {
				return fmt.Errorf("item %d units: %w", it.ID, err)
			}
		}
		var barcode string
		if err := json.Unmarshal(u[3], &barcode); err != nil {
			return fmt.Errorf("item %d units: %w", it.ID, err)
		}
		if b := string(u[0]); b == "true" || b == "1" {
			it.Barcode = barcode
			continue
		}
		it.Units = append(it.Units, domain.ItemUnit{UnitID: n[1], Factor: domain.Qty(n[2]), Barcode: barcode,
			PurchasePrice: domain.Price(n[4]), WholesalePrice: domain.Price(n[5]), RetailPrice: domain.Price(n[6])})
	}
	return nil
}

type itemUnitRow struct {
	bun.BaseModel `bun:"table:item_units"`
	CompanyID     int64
	ItemID        int64
	IsBase        bool
	Sort          int
	domain.ItemUnit
}

type itemLevelRow struct {
	bun.BaseModel `bun:"table:item_levels"`
	CompanyID     int64
	ItemID        int64
	domain.ItemLevel
}

func toItemRow(it *domain.Item) (*itemRow, error) {
	a, err := json.Marshal(it.VariantAttrs)
	if err != nil {
		return nil, err
	}
	v := []byte("{}")
	if it.VariantValues != nil {
		if v, err = json.Marshal(it.VariantValues); err != nil {
			return nil, err
		}
	}
	return &itemRow{Item: *it, VariantAttrsJSON: string(a), VariantValuesJSON: string(v)}, nil
}

func (r *itemRow) item() (domain.Item, error) {
	it := r.Item
	if err := json.Unmarshal([]byte(r.VariantAttrsJSON), &it.VariantAttrs); err != nil {
		return it, fmt.Errorf("item %d variant_attrs: %w", it.ID, err)
	}
	if err := json.Unmarshal([]byte(r.VariantValuesJSON), &it.VariantValues); err != nil {
		return it, fmt.Errorf("item %d variant_values: %w", it.ID, err)
	}
	it.Units, it.Levels = []domain.ItemUnit{}, []domain.ItemLevel{}
	return it, nil
}

// CreateItem inserts an item with its units and levels and sets its ID.
func (tx *Tx) CreateItem(ctx context.Context, it *domain.Item) error {
	tx.masterChanged = true // mastercache.go
	it.CreatedAt, it.UpdatedAt, it.Version = tx.Now, tx.Now, 1
	row, err := toItemRow(it)
	if err != nil {
		return err
	}
	if _, err := tx.NewInsert().Model(row).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return conflict(err, "item", "code")
	}
	it.ID = row.ID
	return tx.writeItemChildren(ctx, it)
}

// UpdateItem saves an item if its version still matches, then bumps it.
func (tx *Tx) UpdateItem(ctx context.Context, it *domain.Item) error {
	tx.masterChanged = true // mastercache.go
	it.UpdatedAt = tx.Now
	row, err := toItemRow(it)
	if err != nil {
		return err
	}
	res, err := tx.NewUpdate().Model(row).
		ExcludeColumn("id", "company_id", "created_at", "version", "parent_id", "is_template").
		Set("version = version + 1").
		Where("id = ? AND company_id = ? AND version = ?", it.ID, it.CompanyID, it.Version).
		Exec(ctx)
	if err != nil {
		return conflict(err, "item", "code")
	}
	if err := staleCheck(res, "item"); err != nil {
		return err
	}
	it.Version++
	if _, err := tx.NewDelete().TableExpr("item_units").Where("item_id = ?", it.ID).Exec(ctx); err != nil {
		return err
	}
	if _, err := tx.NewDelete().TableExpr("item_levels").Where("item_id = ?", it.ID).Exec(ctx); err != nil {
		return err
	}
	return tx.writeItemChildren(ctx, it)
}

// writeItemChildren writes all units (base first) and levels set-wise.
func (tx *Tx) writeItemChildren(ctx context.Context, it *domain.Item) error {
	units := make([]itemUnitRow, 0, len(it.Units)+1)
	units = append(units, itemUnitRow{CompanyID: it.CompanyID, ItemID: it.ID, IsBase: true, ItemUnit: domain.ItemUnit{
		UnitID: it.BaseUnitID, Factor: domain.QtyOf(1), Barcode: it.Barcode,
		PurchasePrice: it.PurchasePrice, WholesalePrice: it.WholesalePrice, RetailPrice: it.RetailPrice,
	}})
	for i, u := range it.Units {
		units = append(units, itemUnitRow{CompanyID: it.CompanyID, ItemID: it.ID, Sort: i + 1, ItemUnit: u})
	}
	if _, err := tx.NewInsert().Model(&units).Exec(ctx); err != nil {
		if uniqueViolation(err) {
			return tx.barcodeConflict(ctx, it)
		}
		return err
	}
	if len(it.Levels) > 0 {
		levels := make([]itemLevelRow, len(it.Levels))
		for i, l := range it.Levels {
			levels[i] = itemLevelRow{CompanyID: it.CompanyID, ItemID: it.ID, ItemLevel: l}
		}
		if _, err := tx.NewInsert().Model(&levels).Exec(ctx); err != nil {
			if fkViolation(err) {
				return domain.FieldErr("levels", "unknown_reference")
			}
			return err
		}
	}
	return nil
}

// barcodeConflict names the barcode field that is already used by another
// item, for a useful 409.
func (tx *Tx) barcodeConflict(ctx context.Context, it *domain.Item) error {
	field := "barcode"
	check := func(f, b string) bool {
		if b == "" {
			return false
		}
		n, err := tx.NewSelect().TableExpr("item_units").
			Where("company_id = ? AND barcode = ? AND item_id <> ?", it.CompanyID, b, it.ID).Count(ctx)
		return err == nil && n > 0
	}
	if !check("barcode", it.Barcode) {
		for i, u := range it.Units {
			if check("", u.Barcode) {
				field = fmt.Sprintf("units[%d].barcode", i)
				break
			}
		}
	}
	e := domain.ErrorKey(domain.EConflict, "error.duplicate", map[string]string{"entity": "item", "field": "barcode"},
		"barcode already used by another item")
	e.Fields = []domain.FieldError{{Field: field, Rule: "duplicate"}}
	return e
}

// Item loads one item with its units and levels.
func (tx *Tx) Item(ctx context.Context, companyID, id int64) (domain.Item, error) {
	var rows []itemRow
	if err := tx.selectItems(&rows).Where("i.id = ? AND i.company_id = ?", id, companyID).Scan(ctx); err != nil {
		return domain.Item{}, err
	}
	if len(rows) == 0 {
		return domain.Item{}, notFound(sql.ErrNoRows, "item", id)
	}
	its, err := tx.fillItems(ctx, rows, true)
	if err != nil {
		return domain.Item{}, err
	}
	return its[0], nil
}

// LockItem loads an item for update (PostgreSQL row lock; SQLite's single
// writer already excludes others).
func (tx *Tx) LockItem(ctx context.Context, companyID, id int64) (domain.Item, error) {
	if tx.Dialect() == Postgres {
		if _, err := tx.ExecContext(ctx, `SELECT id FROM items WHERE id = ? AND company_id = ? FOR UPDATE`, id, companyID); err != nil {
			return domain.Item{}, err
		}
	}
	return tx.Item(ctx, companyID, id)
}

// fillItems decodes rows read by selectItems, units included, and attaches
// the levels when full.
func (tx *Tx) fillItems(ctx context.Context, rows []itemRow, full bool) ([]domain.Item, error) {
	out := make([]domain.Item, len(rows))
	idx := make(map[int64]int, len(rows))
	ids := make([]int64, len(rows))
	for i := range rows {
		it, err := rows[i].item()
		if err != nil {
			return nil, err
		}
		if err := rows[i].unitsOf(&it); err != nil {
			return nil, err
		}
		out[i], idx[it.ID], ids[i] = it, i, it.ID
	}
	if len(ids) == 0 {
		return out, nil
	}
	if full {
		var levels []itemLevelRow
		if err := tx.NewSelect().Model(&levels).Where("item_id IN (?)", bun.In(ids)).OrderExpr("item_id, warehouse_id").Scan(ctx); err != nil {
			return nil, err
		}
		for _, l := range levels {
			it := &out[idx[l.ItemID]]
			it.Levels = append(it.Levels, l.ItemLevel)
		}
	}
	return out, nil
}

// ItemFilter narrows the item list.
type ItemFilter struct {
	ListFilter
	Mnemonic   string // prefix of the 助记码
	Barcode    string // exact barcode of any unit
	CategoryID int64  // this category and its descendants
	BrandID    int64
	Tracking   string
	ParentID   int64   // variants of one template
	Templates  string  // "" all, "only", "exclude"
	IDs        []int64 // only these items (a page of document lines loads its items at once)
}

var itemSorts = map[string]string{
	"code": "i.code", "name": "i.name", "mnemonic": "i.mnemonic", "created_at": "i.created_at",
	"updated_at": "i.updated_at", "retail_price": "i.retail_price", "purchase_price": "i.purchase_price",
}

// ListItems returns one page of items and the total count.
func (tx *Tx) ListItems(ctx context.Context, f ItemFilter) ([]domain.Item, int, error) {
	var rows []itemRow
	q := tx.selectItems(&rows).Where("i.company_id = ?", f.CompanyID)
	q = applyArchived(q, "i", f.Archived)
	if m := domain.NormalizeMnemonic(f.Mnemonic); m != "" {
		lo, hi := prefixRange(m)
		q = q.Where("i.mnemonic >= ? AND i.mnemonic < ?", lo, hi)
	}
	if f.Barcode != "" {
		q = q.Where("i.id IN (SELECT item_id FROM item_units WHERE company_id = ? AND barcode = ?)", f.CompanyID, f.Barcode)
	}
	if s := searchTerm(f.Q); s != "" {
		lo, hi := prefixRange(lower(s))
		like := "%" + likeEscape(lower(s)) + "%"
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("lower(i.code) LIKE ? ESCAPE '\\'", like).
				WhereOr("lower(i.name) LIKE ? ESCAPE '\\'", like).
				WhereOr("lower(i.name_en) LIKE ? ESCAPE '\\'", like).
				WhereOr("(i.mnemonic >= ? AND i.mnemonic < ?)", lo, hi).
				WhereOr("i.id IN (SELECT item_id FROM item_units WHERE company_id = ? AND barcode = ?)", f.CompanyID, s)
		})
	}
	if f.CategoryID != 0 {
		q = q.Where("i.category_id IN (?)", tx.categorySubtree(f.CompanyID, f.CategoryID))
	}
	if f.BrandID != 0 {
		q = q.Where("i.brand_id = ?", f.BrandID)
	}
	if f.Tracking != "" {
		q = q.Where("i.tracking = ?", f.Tracking)
	}
	if f.ParentID != 0 {
		q = q.Where("i.parent_id = ?", f.ParentID)
	}
	if len(f.IDs) > 0 {
		q = q.Where("i.id IN (?)", bun.In(f.IDs))
	}
	switch f.Templates {
	case "only":
		q = q.Where("i.is_template = TRUE")
	case "exclude":
		q = q.Where("i.is_template = FALSE")
	}
	q = applySort(q, "i", f.Sort, itemSorts, "code")
	n, err := q.Limit(f.limit()).Offset(f.offset()).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, err
	}
	items, err := tx.fillItems(ctx, rows, false)
	return items, int(n), err
}

// ItemsByID loads the given items (archived ones too), without counting:
// what a document being posted needs of its lines' items.
func (tx *Tx) ItemsByID(ctx context.Context, companyID int64, ids []int64) ([]domain.Item, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	if tx.view { // all kept, or all read: the statement's shape never depends on what happens to be kept
		out := make([]domain.Item, 0, len(ids))
		seen := make(map[int64]bool, len(ids))
		for _, id := range ids {
			it, ok := keptMaster(tx, &tx.db.master.items, [2]int64{companyID, id})
			if !ok {
				out = nil
				break
			}
			if !seen[id] {
				seen[id] = true
				out = append(out, cloneItem(it))
			}
		}
		if out != nil {
			return out, nil
		}
	}
	var rows []itemRow
	if err := tx.selectItems(&rows).Where("i.company_id = ? AND i.id IN (?)", companyID, bun.In(ids)).Scan(ctx); err != nil {
		return nil, err
	}
	out, err := tx.fillItems(ctx, rows, false)
	if err != nil {
		return nil, err
	}
	for _, it := range out {
		keepMaster(tx, &tx.db.master.items, [2]int64{companyID, it.ID}, cloneItem(it))
	}
	return out, nil
}

// categorySubtree is a subquery for a category and all its descendants.
func (tx *Tx) categorySubtree(companyID, id int64) *bun.RawQuery {
	return tx.NewRaw(`WITH RECURSIVE sub(id) AS (
		SELECT id FROM categories WHERE id = ? AND company_id = ?
		UNION ALL SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id)
		SELECT id FROM sub`, id, companyID)
}

// ItemByBarcode finds the item and unit a scanned barcode stands for.
func (tx *Tx) ItemByBarcode(ctx context.Context, companyID int64, barcode string) (domain.Item, domain.ItemUnit, error) {
	var u itemUnitRow
	err := tx.NewSelect().Model(&u).Where("company_id = ? AND barcode = ?", companyID, barcode).Limit(1).Scan(ctx)
	if err != nil {
		return domain.Item{}, domain.ItemUnit{}, notFound(err, "barcode", barcode)
	}
	it, err := tx.Item(ctx, companyID, u.ItemID)
	return it, u.ItemUnit, err
}

// SetItemArchived archives or restores an item.
func (tx *Tx) SetItemArchived(ctx context.Context, companyID, id int64, archived bool) error {
	return tx.setArchived(ctx, "items", "item", companyID, id, archived)
}

// DeleteItem deletes an item that nothing refers to; a referenced item must
// be archived instead.
func (tx *Tx) DeleteItem(ctx context.Context, companyID, id int64) error {
	return tx.deleteRow(ctx, "items", "item", companyID, id)
}

func inUse(entity string, id int64) error {
	return domain.ErrorKey(domain.EInUse, "error.in_use", map[string]string{"entity": entity},
		fmt.Sprintf("%s %d is referenced; archive it instead", entity, id))
}

// setArchived flips the archived flag of a master-data row.
func (tx *Tx) setArchived(ctx context.Context, table, entity string, companyID, id int64, archived bool) error {
	tx.masterChanged = true // mastercache.go
	res, err := tx.NewUpdate().TableExpr(table).
		Set("archived = ?", archived).Set("version = version + 1").Set("updated_at = ?", tx.Now).
		Where("id = ? AND company_id = ?", id, companyID).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound(errNoRows, entity, id)
	}
	return nil
}

// deleteRow deletes a master-data row; a foreign-key violation becomes
// in_use, so the caller learns to archive instead.
func (tx *Tx) deleteRow(ctx context.Context, table, entity string, companyID, id int64) error {
	tx.masterChanged = true // mastercache.go
	res, err := tx.NewDelete().TableExpr(table).Where("id = ? AND company_id = ?", id, companyID).Exec(ctx)
	if err != nil {
		if fkViolation(err) {
			return inUse(entity, id)
		}
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound(errNoRows, entity, id)
	}
	return nil
}

// BulkCreateItems inserts many items with their units set-wise (one
// statement per table per batch), for imports and generated data. Levels
// and variants are not written; codes and barcodes must be unique.
func (tx *Tx) BulkCreateItems(ctx context.Context, items []domain.Item) error {
	tx.masterChanged = true // mastercache.go
	const batch = 500
	for start := 0; start < len(items); start += batch {
		part := items[start:min(start+batch, len(items))]
		rows := make([]itemRow, len(part))
		for i := range part {
			part[i].CreatedAt, part[i].UpdatedAt, part[i].Version = tx.Now, tx.Now, 1
			r, err := toItemRow(&part[i])
			if err != nil {
				return err
			}
			rows[i] = *r
		}
		if _, err := tx.NewInsert().Model(&rows).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
			return conflict(err, "item", "code")
		}
		var units []itemUnitRow
		for i := range part {
			it := &part[i]
			it.ID = rows[i].ID
			units = append(units, itemUnitRow{CompanyID: it.CompanyID, ItemID: it.ID, IsBase: true, ItemUnit: domain.ItemUnit{
				UnitID: it.BaseUnitID, Factor: domain.QtyOf(1), Barcode: it.Barcode,
				PurchasePrice: it.PurchasePrice, WholesalePrice: it.WholesalePrice, RetailPrice: it.RetailPrice}})
			for j, u := range it.Units {
				units = append(units, itemUnitRow{CompanyID: it.CompanyID, ItemID: it.ID, Sort: j + 1, ItemUnit: u})
			}
		}
		if _, err := tx.NewInsert().Model(&units).Exec(ctx); err != nil {
			return conflict(err, "item", "barcode")
		}
	}
	return nil
}

// ItemsByCodes loads the items with the given codes (units included).
func (tx *Tx) ItemsByCodes(ctx context.Context, companyID int64, codes []string) ([]domain.Item, error) {
	if len(codes) == 0 {
		return nil, nil
	}
	var rows []itemRow
	if err := tx.selectItems(&rows).Where("i.company_id = ? AND i.code IN (?)", companyID, bun.In(codes)).Scan(ctx); err != nil {
		return nil, err
	}
	return tx.fillItems(ctx, rows, false)
}
