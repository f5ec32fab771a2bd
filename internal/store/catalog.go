package store

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// The small master-data tables: units, categories, brands, warehouses and
// their locations. They share one shape: insert, update with a version
// check, archive, delete when unreferenced, list with search.

type unitRow struct {
	bun.BaseModel `bun:"table:units,alias:t"`
	domain.Unit
}

type categoryRow struct {
	bun.BaseModel `bun:"table:categories,alias:t"`
	domain.Category
}

type brandRow struct {
	bun.BaseModel `bun:"table:brands,alias:t"`
	domain.Brand
}

type warehouseRow struct {
	bun.BaseModel `bun:"table:warehouses,alias:t"`
	domain.Warehouse
}

type locationRow struct {
	bun.BaseModel `bun:"table:locations,alias:t"`
	domain.Location
}

// insertRow inserts row (a pointer to a *Row type) and returns its new id.
func (tx *Tx) insertRow(ctx context.Context, row any, entity string) error {
	if _, err := tx.NewInsert().Model(row).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return conflict(err, entity, "code")
	}
	return nil
}

// updateRow updates row where id, company and version match.
func (tx *Tx) updateRow(ctx context.Context, row any, entity string, id, companyID, version int64) error {
	res, err := tx.NewUpdate().Model(row).ExcludeColumn("id", "company_id", "created_at", "version").
		Set("version = version + 1").
		Where("id = ? AND company_id = ? AND version = ?", id, companyID, version).Exec(ctx)
	if err != nil {
		return conflict(err, entity, "code")
	}
	return staleCheck(res, entity)
}

func stamp(tx *Tx, s *domain.Stamp, create bool) {
	tx.masterChanged = true // master data (mastercache.go); a user, role or account stamped too empties it, harmlessly
	if create {
		s.CreatedAt, s.Version = tx.Now, 1
	}
	s.UpdatedAt = tx.Now
}

// searchSimple applies the code/name/mnemonic search of the small tables,
// matching the English name too where the table has one.
func searchSimple(q *bun.SelectQuery, term string, hasMnemonic, hasNameEn bool) *bun.SelectQuery {
	s := searchTerm(term)
	if s == "" {
		return q
	}
	like := "%" + likeEscape(lower(s)) + "%"
	return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("lower(t.code) LIKE ? ESCAPE '\\'", like).WhereOr("lower(t.name) LIKE ? ESCAPE '\\'", like)
		if hasNameEn { // an English user searches by the name they see
			q = q.WhereOr("lower(t.name_en) LIKE ? ESCAPE '\\'", like)
		}
		if hasMnemonic {
			lo, hi := prefixRange(lower(s))
			q = q.WhereOr("(t.mnemonic >= ? AND t.mnemonic < ?)", lo, hi)
		}
		return q
	})
}

var simpleSorts = map[string]string{"code": "t.code", "name": "t.name", "created_at": "t.created_at", "updated_at": "t.updated_at"}

// ---------------------------------------------------------------- units

func (tx *Tx) CreateUnit(ctx context.Context, u *domain.Unit) error {
	stamp(tx, &u.Stamp, true)
	row := &unitRow{Unit: *u}
	if err := tx.insertRow(ctx, row, "unit"); err != nil {
		return err
	}
	u.ID = row.ID
	return nil
}

func (tx *Tx) UpdateUnit(ctx context.Context, u *domain.Unit) error {
	stamp(tx, &u.Stamp, false)
	if err := tx.updateRow(ctx, &unitRow{Unit: *u}, "unit", u.ID, u.CompanyID, u.Version); err != nil {
		return err
	}
	u.Version++
	return nil
}

func (tx *Tx) Unit(ctx context.Context, companyID, id int64) (domain.Unit, error) {
	var row unitRow
	err := tx.NewSelect().Model(&row).Where("t.id = ? AND t.company_id = ?", id, companyID).Scan(ctx)
	return row.Unit, notFound(err, "unit", id)
}

func (tx *Tx) ListUnits(ctx context.Context, f ListFilter) ([]domain.Unit, int, error) {
	var rows []unitRow
	q := tx.NewSelect().Model(&rows).Where("t.company_id = ?", f.CompanyID)
	q = searchSimple(applyArchived(q, "t", f.Archived), f.Q, false, true)
	n, err := applySort(q, "t", f.Sort, simpleSorts, "code").Limit(f.limit()).Offset(f.offset()).ScanAndCount(ctx)
	out := make([]domain.Unit, len(rows))
	for i := range rows {
		out[i] = rows[i].Unit
	}
	return out, int(n), err
}

func (tx *Tx) SetUnitArchived(ctx context.Context, companyID, id int64, archived bool) error {
	return tx.setArchived(ctx, "units", "unit", companyID, id, archived)
}

func (tx *Tx) DeleteUnit(ctx context.Context, companyID, id int64) error {
	return tx.deleteRow(ctx, "units", "unit", companyID, id)
}

// ---------------------------------------------------------------- categories

func (tx *Tx) CreateCategory(ctx context.Context, c *domain.Category) error {
	stamp(tx, &c.Stamp, true)
	row := &categoryRow{Category: *c}
	if err := tx.insertRow(ctx, row, "category"); err != nil {
		return err
	}
	c.ID = row.ID
	return nil
}

func (tx *Tx) UpdateCategory(ctx context.Context, c *domain.Category) error {
	stamp(tx, &c.Stamp, false)
	if err := tx.updateRow(ctx, &categoryRow{Category: *c}, "category", c.ID, c.CompanyID, c.Version); err != nil {
		return err
	}
	c.Version++
	return nil
}

func (tx *Tx) Category(ctx context.Context, companyID, id int64) (domain.Category, error) {
	var row categoryRow
	err := tx.NewSelect().Model(&row).Where("t.id = ? AND t.company_id = ?", id, companyID).Scan(ctx)
	return row.Category, notFound(err, "category", id)
}

// CategoryAncestors returns the ids from id up to the root (to refuse cycles).
func (tx *Tx) CategoryAncestors(ctx context.Context, companyID, id int64) ([]int64, error) {
	var ids []int64
	err := tx.NewRaw(`WITH RECURSIVE up(id, parent_id) AS (
		SELECT id, parent_id FROM categories WHERE id = ? AND company_id = ?
		UNION ALL SELECT c.id, c.parent_id FROM categories c JOIN up ON c.id = up.parent_id)
		SELECT id FROM up`, id, companyID).Scan(ctx, &ids)
	return ids, err
}

func (tx *Tx) ListCategories(ctx context.Context, f ListFilter) ([]domain.Category, int, error) {
	var rows []categoryRow
	q := tx.NewSelect().Model(&rows).Where("t.company_id = ?", f.CompanyID)
	q = searchSimple(applyArchived(q, "t", f.Archived), f.Q, true, true)
	sorts := map[string]string{"sort": "t.sort", "code": "t.code", "name": "t.name", "updated_at": "t.updated_at"}
	n, err := applySort(q, "t", f.Sort, sorts, "sort").Limit(f.limit()).Offset(f.offset()).ScanAndCount(ctx)
	out := make([]domain.Category, len(rows))
	for i := range rows {
		out[i] = rows[i].Category
	}
	return out, int(n), err
}

func (tx *Tx) SetCategoryArchived(ctx context.Context, companyID, id int64, archived bool) error {
	return tx.setArchived(ctx, "categories", "category", companyID, id, archived)
}

func (tx *Tx) DeleteCategory(ctx context.Context, companyID, id int64) error {
	return tx.deleteRow(ctx, "categories", "category", companyID, id)
}

// ---------------------------------------------------------------- brands

func (tx *Tx) CreateBrand(ctx context.Context, b *domain.Brand) error {
	stamp(tx, &b.Stamp, true)
	row := &brandRow{Brand: *b}
	if err := tx.insertRow(ctx, row, "brand"); err != nil {
		return err
	}
	b.ID = row.ID
	return nil
}

func (tx *Tx) UpdateBrand(ctx context.Context, b *domain.Brand) error {
	stamp(tx, &b.Stamp, false)
	if err := tx.updateRow(ctx, &brandRow{Brand: *b}, "brand", b.ID, b.CompanyID, b.Version); err != nil {
		return err
	}
	b.Version++
	return nil
}

func (tx *Tx) Brand(ctx context.Context, companyID, id int64) (domain.Brand, error) {
	var row brandRow
	err := tx.NewSelect().Model(&row).Where("t.id = ? AND t.company_id = ?", id, companyID).Scan(ctx)
	return row.Brand, notFound(err, "brand", id)
}

func (tx *Tx) ListBrands(ctx context.Context, f ListFilter) ([]domain.Brand, int, error) {
	var rows []brandRow
	q := tx.NewSelect().Model(&rows).Where("t.company_id = ?", f.CompanyID)
	q = searchSimple(applyArchived(q, "t", f.Archived), f.Q, true, true)
	n, err := applySort(q, "t", f.Sort, simpleSorts, "code").Limit(f.limit()).Offset(f.offset()).ScanAndCount(ctx)
	out := make([]domain.Brand, len(rows))
	for i := range rows {
		out[i] = rows[i].Brand
	}
	return out, int(n), err
}

func (tx *Tx) SetBrandArchived(ctx context.Context, companyID, id int64, archived bool) error {
	return tx.setArchived(ctx, "brands", "brand", companyID, id, archived)
}

func (tx *Tx) DeleteBrand(ctx context.Context, companyID, id int64) error {
	return tx.deleteRow(ctx, "brands", "brand", companyID, id)
}

// ---------------------------------------------------------------- warehouses

// CreateWarehouse inserts a warehouse and its root location.
func (tx *Tx) CreateWarehouse(ctx context.Context, w *domain.Warehouse) error {
	stamp(tx, &w.Stamp, true)
	row := &warehouseRow{Warehouse: *w}
	if err := tx.insertRow(ctx, row, "warehouse"); err != nil {
		return err
	}
	w.ID = row.ID
	root := domain.Location{CompanyID: w.CompanyID, WarehouseID: &w.ID, Code: w.Code, Name: w.Name, NameEn: w.NameEn, Kind: domain.LocWarehouse}
	if err := tx.CreateLocation(ctx, &root); err != nil {
		return err
	}
	w.RootLocationID = root.ID
	_, err := tx.NewUpdate().TableExpr("warehouses").Set("root_location_id = ?", root.ID).Where("id = ?", w.ID).Exec(ctx)
	return err
}

func (tx *Tx) UpdateWarehouse(ctx context.Context, w *domain.Warehouse) error {
	stamp(tx, &w.Stamp, false)
	row := &warehouseRow{Warehouse: *w}
	res, err := tx.NewUpdate().Model(row).ExcludeColumn("id", "company_id", "created_at", "version", "root_location_id").
		Set("version = version + 1").
		Where("id = ? AND company_id = ? AND version = ?", w.ID, w.CompanyID, w.Version).Exec(ctx)
	if err != nil {
		return conflict(err, "warehouse", "code")
	}
	if err := staleCheck(res, "warehouse"); err != nil {
		return err
	}
	w.Version++
	return nil
}

func (tx *Tx) Warehouse(ctx context.Context, companyID, id int64) (domain.Warehouse, error) {
	var row warehouseRow
	err := tx.NewSelect().Model(&row).Where("t.id = ? AND t.company_id = ?", id, companyID).Scan(ctx)
	return row.Warehouse, notFound(err, "warehouse", id)
}

// ListWarehouses lists warehouses; scope limits them to a data scope (nil = all).
func (tx *Tx) ListWarehouses(ctx context.Context, f ListFilter, scope map[int64]bool) ([]domain.Warehouse, int, error) {
	var rows []warehouseRow
	q := tx.NewSelect().Model(&rows).Where("t.company_id = ?", f.CompanyID)
	if scope != nil {
		ids := []int64{0}
		for id := range scope {
			ids = append(ids, id)
		}
		q = q.Where("t.id IN (?)", bun.In(ids))
	}
	q = searchSimple(applyArchived(q, "t", f.Archived), f.Q, true, true)
	n, err := applySort(q, "t", f.Sort, simpleSorts, "code").Limit(f.limit()).Offset(f.offset()).ScanAndCount(ctx)
	out := make([]domain.Warehouse, len(rows))
	for i := range rows {
		out[i] = rows[i].Warehouse
	}
	return out, int(n), err
}

func (tx *Tx) SetWarehouseArchived(ctx context.Context, companyID, id int64, archived bool) error {
	return tx.setArchived(ctx, "warehouses", "warehouse", companyID, id, archived)
}

// DeleteWarehouse deletes a warehouse with nothing but its own empty tree.
func (tx *Tx) DeleteWarehouse(ctx context.Context, companyID, id int64) error {
	tx.masterChanged = true
	if _, err := tx.NewUpdate().TableExpr("warehouses").Set("root_location_id = NULL").
		Where("id = ? AND company_id = ?", id, companyID).Exec(ctx); err != nil {
		return err
	}
	// Children first: bins, then the root.
	for {
		res, err := tx.NewDelete().TableExpr("locations").
			Where("company_id = ? AND warehouse_id = ? AND id NOT IN (SELECT parent_id FROM locations WHERE parent_id IS NOT NULL AND warehouse_id = ?)", companyID, id, id).
			Exec(ctx)
		if err != nil {
			if fkViolation(err) {
				return inUse("warehouse", id)
			}
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			break
		}
	}
	return tx.deleteRow(ctx, "warehouses", "warehouse", companyID, id)
}

// ---------------------------------------------------------------- locations

func (tx *Tx) CreateLocation(ctx context.Context, l *domain.Location) error {
	stamp(tx, &l.Stamp, true)
	row := &locationRow{Location: *l}
	if err := tx.insertRow(ctx, row, "location"); err != nil {
		return err
	}
	l.ID = row.ID
	return nil
}

func (tx *Tx) UpdateLocation(ctx context.Context, l *domain.Location) error {
	stamp(tx, &l.Stamp, false)
	row := &locationRow{Location: *l}
	res, err := tx.NewUpdate().Model(row).Column("code", "name", "name_en", "parent_id", "updated_at").
		Set("version = version + 1").
		Where("id = ? AND company_id = ? AND version = ?", l.ID, l.CompanyID, l.Version).Exec(ctx)
	if err != nil {
		return conflict(err, "location", "code")
	}
	if err := staleCheck(res, "location"); err != nil {
		return err
	}
	l.Version++
	return nil
}

func (tx *Tx) Location(ctx context.Context, companyID, id int64) (domain.Location, error) {
	var row locationRow
	err := tx.NewSelect().Model(&row).Where("t.id = ? AND t.company_id = ?", id, companyID).Scan(ctx)
	return row.Location, notFound(err, "location", id)
}

// Locations lists the locations of a warehouse (its whole tree), or the
// company's virtual locations when warehouseID is 0.
func (tx *Tx) Locations(ctx context.Context, companyID, warehouseID int64, archived string) ([]domain.Location, error) {
	var rows []locationRow
	q := tx.NewSelect().Model(&rows).Where("t.company_id = ?", companyID)
	if warehouseID == 0 {
		q = q.Where("t.warehouse_id IS NULL")
	} else {
		q = q.Where("t.warehouse_id = ?", warehouseID)
	}
	if err := applyArchived(q, "t", archived).OrderExpr("t.code, t.id").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]domain.Location, len(rows))
	for i := range rows {
		out[i] = rows[i].Location
	}
	return out, nil
}

// VirtualLocation returns the company's virtual location of a kind.
func (tx *Tx) VirtualLocation(ctx context.Context, companyID int64, kind domain.LocationKind) (domain.Location, error) {
	var row locationRow
	err := tx.NewSelect().Model(&row).Where("t.company_id = ? AND t.warehouse_id IS NULL AND t.kind = ?", companyID, kind).Scan(ctx)
	return row.Location, notFound(err, "location", kind)
}

func (tx *Tx) SetLocationArchived(ctx context.Context, companyID, id int64, archived bool) error {
	return tx.setArchived(ctx, "locations", "location", companyID, id, archived)
}

func (tx *Tx) DeleteLocation(ctx context.Context, companyID, id int64) error {
	return tx.deleteRow(ctx, "locations", "location", companyID, id)
}
