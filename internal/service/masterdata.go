package service

import (
	"context"
	"strings"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/pinyin"
	"github.com/jxc-erp/jxc/internal/store"
)

// ListFilter is the common list query.
type ListFilter = store.ListFilter

// view runs a read in a snapshot and returns its value.
func view[T any](ctx context.Context, s *Service, fn func(tx *store.Tx) (T, error)) (T, error) {
	var out T
	err := s.db.View(ctx, func(tx *store.Tx) (err error) { out, err = fn(tx); return err })
	return out, err
}

// docView is view for fn, which reads document id first: its header and
// lines are read together (store.DB.DocumentView).
func docView(ctx context.Context, s *Service, p *domain.Principal, id int64, fn func(tx *store.Tx) (domain.Document, error)) (domain.Document, error) {
	var out domain.Document
	err := s.db.DocumentView(ctx, p.CompanyID, id, func(tx *store.Tx) (err error) { out, err = fn(tx); return err })
	return out, err
}

// list runs a list query in a snapshot.
func list[T any](ctx context.Context, s *Service, fn func(tx *store.Tx) ([]T, int, error)) ([]T, int, error) {
	var out []T
	var n int
	err := s.db.View(ctx, func(tx *store.Tx) (err error) { out, n, err = fn(tx); return err })
	return out, n, err
}

// change loads a record, applies do, and audits before/after, in one
// transaction: the shape of archive, restore and delete.
func change[T any](ctx context.Context, s *Service, p *domain.Principal, entity string, id int64, action string,
	load func(tx *store.Tx) (T, error), do func(tx *store.Tx) error) error {
	return s.db.Update(ctx, func(tx *store.Tx) error {
		before, err := load(tx)
		if err != nil {
			return err
		}
		if err := do(tx); err != nil {
			return err
		}
		var after any
		if action == "archive" || action == "restore" {
			after = map[string]bool{"archived": action == "archive"}
		}
		return audit(ctx, tx, p, entity, id, action, before, after)
	})
}

// save runs create or update of one record with its audit row.
func save(ctx context.Context, s *Service, p *domain.Principal, entity string, id *int64, action string, before any, after any,
	do func(tx *store.Tx) error) error {
	return s.db.Update(ctx, func(tx *store.Tx) error {
		if err := do(tx); err != nil {
			return err
		}
		return audit(ctx, tx, p, entity, *id, action, before, after)
	})
}

func mnemonicOr(m, name string) string {
	if m = domain.NormalizeMnemonic(m); m != "" {
		return m
	}
	return pinyin.Initials(name)
}

// ---------------------------------------------------------------- units

func (s *Service) Units(ctx context.Context, p *domain.Principal, f ListFilter) ([]domain.Unit, int, error) {
	f.CompanyID = p.CompanyID
	return list(ctx, s, func(tx *store.Tx) ([]domain.Unit, int, error) { return tx.ListUnits(ctx, f) })
}

func (s *Service) Unit(ctx context.Context, p *domain.Principal, id int64) (domain.Unit, error) {
	return view(ctx, s, func(tx *store.Tx) (domain.Unit, error) { return tx.Unit(ctx, p.CompanyID, id) })
}

func (s *Service) CreateUnit(ctx context.Context, p *domain.Principal, u domain.Unit) (domain.Unit, error) {
	u.ID, u.CompanyID, u.Archived, u.Code, u.Name = 0, p.CompanyID, false, trim(u.Code), trim(u.Name)
	if err := u.Validate(); err != nil {
		return u, err
	}
	return u, save(ctx, s, p, "unit", &u.ID, "create", nil, &u, func(tx *store.Tx) error { return tx.CreateUnit(ctx, &u) })
}

func (s *Service) UpdateUnit(ctx context.Context, p *domain.Principal, id int64, u domain.Unit) (domain.Unit, error) {
	u.ID, u.CompanyID, u.Code, u.Name = id, p.CompanyID, trim(u.Code), trim(u.Name)
	if err := u.Validate(); err != nil {
		return u, err
	}
	var before domain.Unit
	return u, save(ctx, s, p, "unit", &u.ID, "update", &before, &u, func(tx *store.Tx) (err error) {
		if before, err = tx.Unit(ctx, p.CompanyID, id); err != nil {
			return err
		}
		u.CreatedAt, u.Archived = before.CreatedAt, before.Archived
		return tx.UpdateUnit(ctx, &u)
	})
}

func (s *Service) ArchiveUnit(ctx context.Context, p *domain.Principal, id int64, archived bool) error {
	return change(ctx, s, p, "unit", id, archiveAction(archived),
		func(tx *store.Tx) (domain.Unit, error) { return tx.Unit(ctx, p.CompanyID, id) },
		func(tx *store.Tx) error { return tx.SetUnitArchived(ctx, p.CompanyID, id, archived) })
}

func (s *Service) DeleteUnit(ctx context.Context, p *domain.Principal, id int64) error {
	return change(ctx, s, p, "unit", id, "delete",
		func(tx *store.Tx) (domain.Unit, error) { return tx.Unit(ctx, p.CompanyID, id) },
		func(tx *store.Tx) error { return tx.DeleteUnit(ctx, p.CompanyID, id) })
}

// ---------------------------------------------------------------- categories

func (s *Service) Categories(ctx context.Context, p *domain.Principal, f ListFilter) ([]domain.Category, int, error) {
	f.CompanyID = p.CompanyID
	return list(ctx, s, func(tx *store.Tx) ([]domain.Category, int, error) { return tx.ListCategories(ctx, f) })
}

func (s *Service) Category(ctx context.Context, p *domain.Principal, id int64) (domain.Category, error) {
	return view(ctx, s, func(tx *store.Tx) (domain.Category, error) { return tx.Category(ctx, p.CompanyID, id) })
}

// checkParent refuses a parent outside the company or one that would make
// the category tree a cycle.
func checkCategoryParent(ctx context.Context, tx *store.Tx, c *domain.Category) error {
	if c.ParentID == nil {
		return nil
	}
	if err := tx.MustExist(ctx, "categories", c.CompanyID, "parent_id", *c.ParentID); err != nil {
		return err
	}
	if c.ID == 0 {
		return nil
	}
	up, err := tx.CategoryAncestors(ctx, c.CompanyID, *c.ParentID)
	if err != nil {
		return err
	}
	for _, a := range up {
		if a == c.ID {
			return domain.FieldErr("parent_id", "cycle")
		}
	}
	return nil
}

func (s *Service) CreateCategory(ctx context.Context, p *domain.Principal, c domain.Category) (domain.Category, error) {
	c.ID, c.CompanyID, c.Archived, c.Code, c.Name = 0, p.CompanyID, false, trim(c.Code), trim(c.Name)
	c.Mnemonic = mnemonicOr(c.Mnemonic, c.Name)
	if err := c.Validate(); err != nil {
		return c, err
	}
	return c, save(ctx, s, p, "category", &c.ID, "create", nil, &c, func(tx *store.Tx) error {
		if err := checkCategoryParent(ctx, tx, &c); err != nil {
			return err
		}
		return tx.CreateCategory(ctx, &c)
	})
}

func (s *Service) UpdateCategory(ctx context.Context, p *domain.Principal, id int64, c domain.Category) (domain.Category, error) {
	c.ID, c.CompanyID, c.Code, c.Name = id, p.CompanyID, trim(c.Code), trim(c.Name)
	c.Mnemonic = mnemonicOr(c.Mnemonic, c.Name)
	if err := c.Validate(); err != nil {
		return c, err
	}
	var before domain.Category
	return c, save(ctx, s, p, "category", &c.ID, "update", &before, &c, func(tx *store.Tx) (err error) {
		if before, err = tx.Category(ctx, p.CompanyID, id); err != nil {
			return err
		}
		c.CreatedAt, c.Archived = before.CreatedAt, before.Archived
		if err := checkCategoryParent(ctx, tx, &c); err != nil {
			return err
		}
		return tx.UpdateCategory(ctx, &c)
	})
}

func (s *Service) ArchiveCategory(ctx context.Context, p *domain.Principal, id int64, archived bool) error {
	return change(ctx, s, p, "category", id, archiveAction(archived),
		func(tx *store.Tx) (domain.Category, error) { return tx.Category(ctx, p.CompanyID, id) },
		func(tx *store.Tx) error { return tx.SetCategoryArchived(ctx, p.CompanyID, id, archived) })
}

func (s *Service) DeleteCategory(ctx context.Context, p *domain.Principal, id int64) error {
	return change(ctx, s, p, "category", id, "delete",
		func(tx *store.Tx) (domain.Category, error) { return tx.Category(ctx, p.CompanyID, id) },
		func(tx *store.Tx) error { return tx.DeleteCategory(ctx, p.CompanyID, id) })
}

// ---------------------------------------------------------------- brands

func (s *Service) Brands(ctx context.Context, p *domain.Principal, f ListFilter) ([]domain.Brand, int, error) {
	f.CompanyID = p.CompanyID
	return list(ctx, s, func(tx *store.Tx) ([]domain.Brand, int, error) { return tx.ListBrands(ctx, f) })
}

func (s *Service) Brand(ctx context.Context, p *domain.Principal, id int64) (domain.Brand, error) {
	return view(ctx, s, func(tx *store.Tx) (domain.Brand, error) { return tx.Brand(ctx, p.CompanyID, id) })
}

func (s *Service) CreateBrand(ctx context.Context, p *domain.Principal, b domain.Brand) (domain.Brand, error) {
	b.ID, b.CompanyID, b.Archived, b.Code, b.Name = 0, p.CompanyID, false, trim(b.Code), trim(b.Name)
	b.Mnemonic = mnemonicOr(b.Mnemonic, b.Name)
	if err := b.Validate(); err != nil {
		return b, err
	}
	return b, save(ctx, s, p, "brand", &b.ID, "create", nil, &b, func(tx *store.Tx) error { return tx.CreateBrand(ctx, &b) })
}

func (s *Service) UpdateBrand(ctx context.Context, p *domain.Principal, id int64, b domain.Brand) (domain.Brand, error) {
	b.ID, b.CompanyID, b.Code, b.Name = id, p.CompanyID, trim(b.Code), trim(b.Name)
	b.Mnemonic = mnemonicOr(b.Mnemonic, b.Name)
	if err := b.Validate(); err != nil {
		return b, err
	}
	var before domain.Brand
	return b, save(ctx, s, p, "brand", &b.ID, "update", &before, &b, func(tx *store.Tx) (err error) {
		if before, err = tx.Brand(ctx, p.CompanyID, id); err != nil {
			return err
		}
		b.CreatedAt, b.Archived = before.CreatedAt, before.Archived
		return tx.UpdateBrand(ctx, &b)
	})
}

func (s *Service) ArchiveBrand(ctx context.Context, p *domain.Principal, id int64, archived bool) error {
	return change(ctx, s, p, "brand", id, archiveAction(archived),
		func(tx *store.Tx) (domain.Brand, error) { return tx.Brand(ctx, p.CompanyID, id) },
		func(tx *store.Tx) error { return tx.SetBrandArchived(ctx, p.CompanyID, id, archived) })
}

func (s *Service) DeleteBrand(ctx context.Context, p *domain.Principal, id int64) error {
	return change(ctx, s, p, "brand", id, "delete",
		func(tx *store.Tx) (domain.Brand, error) { return tx.Brand(ctx, p.CompanyID, id) },
		func(tx *store.Tx) error { return tx.DeleteBrand(ctx, p.CompanyID, id) })
}

// ---------------------------------------------------------------- warehouses

func (s *Service) Warehouses(ctx context.Context, p *domain.Principal, f ListFilter) ([]domain.Warehouse, int, error) {
	f.CompanyID = p.CompanyID
	scope := p.Warehouses
	if p.IsAdmin {
		scope = nil
	}
	return list(ctx, s, func(tx *store.Tx) ([]domain.Warehouse, int, error) { return tx.ListWarehouses(ctx, f, scope) })
}

// warehouse loads a warehouse inside the caller's data scope; outside it,
// the warehouse does not exist for them.
func (s *Service) warehouse(ctx context.Context, tx *store.Tx, p *domain.Principal, id int64) (domain.Warehouse, error) {
	if !p.CanWarehouse(id) {
		return domain.Warehouse{}, notFoundErr("warehouse", id)
	}
	return tx.Warehouse(ctx, p.CompanyID, id)
}

func (s *Service) Warehouse(ctx context.Context, p *domain.Principal, id int64) (domain.Warehouse, error) {
	return view(ctx, s, func(tx *store.Tx) (domain.Warehouse, error) { return s.warehouse(ctx, tx, p, id) })
}

func (s *Service) CreateWarehouse(ctx context.Context, p *domain.Principal, w domain.Warehouse) (domain.Warehouse, error) {
	w.ID, w.CompanyID, w.Archived, w.Code, w.Name = 0, p.CompanyID, false, trim(w.Code), trim(w.Name)
	w.Mnemonic = mnemonicOr(w.Mnemonic, w.Name)
	if err := w.Validate(); err != nil {
		return w, err
	}
	return w, save(ctx, s, p, "warehouse", &w.ID, "create", nil, &w, func(tx *store.Tx) error { return tx.CreateWarehouse(ctx, &w) })
}

func (s *Service) UpdateWarehouse(ctx context.Context, p *domain.Principal, id int64, w domain.Warehouse) (domain.Warehouse, error) {
	w.ID, w.CompanyID, w.Code, w.Name = id, p.CompanyID, trim(w.Code), trim(w.Name)
	w.Mnemonic = mnemonicOr(w.Mnemonic, w.Name)
	if err := w.Validate(); err != nil {
		return w, err
	}
	var before domain.Warehouse
	return w, save(ctx, s, p, "warehouse", &w.ID, "update", &before, &w, func(tx *store.Tx) (err error) {
		if before, err = s.warehouse(ctx, tx, p, id); err != nil {
			return err
		}
		w.CreatedAt, w.Archived, w.RootLocationID = before.CreatedAt, before.Archived, before.RootLocationID
		return tx.UpdateWarehouse(ctx, &w)
	})
}

func (s *Service) ArchiveWarehouse(ctx context.Context, p *domain.Principal, id int64, archived bool) error {
	return change(ctx, s, p, "warehouse", id, archiveAction(archived),
		func(tx *store.Tx) (domain.Warehouse, error) { return s.warehouse(ctx, tx, p, id) },
		func(tx *store.Tx) error { return tx.SetWarehouseArchived(ctx, p.CompanyID, id, archived) })
}

func (s *Service) DeleteWarehouse(ctx context.Context, p *domain.Principal, id int64) error {
	return change(ctx, s, p, "warehouse", id, "delete",
		func(tx *store.Tx) (domain.Warehouse, error) { return s.warehouse(ctx, tx, p, id) },
		func(tx *store.Tx) error { return tx.DeleteWarehouse(ctx, p.CompanyID, id) })
}

// Locations returns a warehouse's location tree as a flat list (parents
// before children is not guaranteed; the UI builds the tree by parent_id).
func (s *Service) Locations(ctx context.Context, p *domain.Principal, warehouseID int64, archived string) ([]domain.Location, error) {
	return view(ctx, s, func(tx *store.Tx) ([]domain.Location, error) {
		if _, err := s.warehouse(ctx, tx, p, warehouseID); err != nil {
			return nil, err
		}
		return tx.Locations(ctx, p.CompanyID, warehouseID, archived)
	})
}

// VirtualLocations returns the company's virtual locations.
func (s *Service) VirtualLocations(ctx context.Context, p *domain.Principal) ([]domain.Location, error) {
	return view(ctx, s, func(tx *store.Tx) ([]domain.Location, error) { return tx.Locations(ctx, p.CompanyID, 0, "all") })
}

// checkLocationParent: a bin hangs under a location of the same warehouse.
func checkLocationParent(ctx context.Context, tx *store.Tx, l *domain.Location, w domain.Warehouse) error {
	if l.ParentID == nil {
		root := w.RootLocationID
		l.ParentID = &root
		return nil
	}
	parent, err := tx.Location(ctx, l.CompanyID, *l.ParentID)
	if err != nil || parent.WarehouseID == nil || *parent.WarehouseID != w.ID {
		return refErr("parent_id")
	}
	if l.ID != 0 {
		for cur := parent; ; {
			if cur.ID == l.ID {
				return domain.FieldErr("parent_id", "cycle")
			}
			if cur.ParentID == nil {
				break
			}
			if cur, err = tx.Location(ctx, l.CompanyID, *cur.ParentID); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Service) CreateLocation(ctx context.Context, p *domain.Principal, warehouseID int64, l domain.Location) (domain.Location, error) {
	l.ID, l.CompanyID, l.WarehouseID, l.Kind, l.Archived, l.Code, l.Name, l.NameEn = 0, p.CompanyID, &warehouseID, domain.LocBin, false, trim(l.Code), trim(l.Name), trim(l.NameEn)
	if err := l.Validate(); err != nil {
		return l, err
	}
	return l, save(ctx, s, p, "location", &l.ID, "create", nil, &l, func(tx *store.Tx) error {
		w, err := s.warehouse(ctx, tx, p, warehouseID)
		if err != nil {
			return err
		}
		if err := checkLocationParent(ctx, tx, &l, w); err != nil {
			return err
		}
		return tx.CreateLocation(ctx, &l)
	})
}

func (s *Service) UpdateLocation(ctx context.Context, p *domain.Principal, warehouseID, id int64, l domain.Location) (domain.Location, error) {
	l.ID, l.CompanyID, l.WarehouseID, l.Code, l.Name, l.NameEn = id, p.CompanyID, &warehouseID, trim(l.Code), trim(l.Name), trim(l.NameEn)
	if err := l.Validate(); err != nil {
		return l, err
	}
	var before domain.Location
	return l, save(ctx, s, p, "location", &l.ID, "update", &before, &l, func(tx *store.Tx) (err error) {
		w, err := s.warehouse(ctx, tx, p, warehouseID)
		if err != nil {
			return err
		}
		if before, err = tx.Location(ctx, p.CompanyID, id); err != nil {
			return err
		}
		if before.WarehouseID == nil || *before.WarehouseID != warehouseID {
			return notFoundErr("location", id)
		}
		if before.Kind == domain.LocWarehouse {
			if l.ParentID != nil {
				return domain.FieldErr("parent_id", "root_has_no_parent")
			}
		} else if err := checkLocationParent(ctx, tx, &l, w); err != nil {
			return err
		}
		l.Kind, l.CreatedAt, l.Archived = before.Kind, before.CreatedAt, before.Archived
		return tx.UpdateLocation(ctx, &l)
	})
}

func (s *Service) locationIn(ctx context.Context, tx *store.Tx, p *domain.Principal, warehouseID, id int64) (domain.Location, error) {
	if _, err := s.warehouse(ctx, tx, p, warehouseID); err != nil {
		return domain.Location{}, err
	}
	l, err := tx.Location(ctx, p.CompanyID, id)
	if err == nil && (l.WarehouseID == nil || *l.WarehouseID != warehouseID) {
		err = notFoundErr("location", id)
	}
	if err == nil && l.Kind == domain.LocWarehouse {
		err = domain.ErrorKey(domain.EInvalid, "error.root_location", nil, "the warehouse's own location goes with the warehouse")
	}
	return l, err
}

func (s *Service) ArchiveLocation(ctx context.Context, p *domain.Principal, warehouseID, id int64, archived bool) error {
	return change(ctx, s, p, "location", id, archiveAction(archived),
		func(tx *store.Tx) (domain.Location, error) { return s.locationIn(ctx, tx, p, warehouseID, id) },
		func(tx *store.Tx) error { return tx.SetLocationArchived(ctx, p.CompanyID, id, archived) })
}

func (s *Service) DeleteLocation(ctx context.Context, p *domain.Principal, warehouseID, id int64) error {
	return change(ctx, s, p, "location", id, "delete",
		func(tx *store.Tx) (domain.Location, error) { return s.locationIn(ctx, tx, p, warehouseID, id) },
		func(tx *store.Tx) error { return tx.DeleteLocation(ctx, p.CompanyID, id) })
}

// ---------------------------------------------------------------- companies

// Companies lists the companies the caller may act in.
func (s *Service) Companies(ctx context.Context, p *domain.Principal) ([]domain.Company, error) {
	return view(ctx, s, func(tx *store.Tx) ([]domain.Company, error) {
		u, err := tx.User(ctx, p.UserID)
		if err != nil && p.UserID != 0 {
			return nil, err
		}
		if p.UserID == 0 {
			u.IsAdmin = true
		}
		ids, err := s.companiesOf(ctx, tx, u)
		if err != nil {
			return nil, err
		}
		return tx.Companies(ctx, ids)
	})
}

func (s *Service) Company(ctx context.Context, p *domain.Principal, id int64) (domain.Company, error) {
	if id != p.CompanyID && !p.IsAdmin {
		return domain.Company{}, notFoundErr("company", id)
	}
	return view(ctx, s, func(tx *store.Tx) (domain.Company, error) { return tx.Company(ctx, id) })
}

func normalizeCompany(c *domain.Company) {
	c.Code, c.Name, c.NameEn = trim(c.Code), trim(c.Name), trim(c.NameEn)
	for i := range c.Settings.CustomerTiers {
		t := &c.Settings.CustomerTiers[i]
		t.Name, t.NameEn = trim(t.Name), trim(t.NameEn)
	}
	c.Currency = strings.ToUpper(trim(c.Currency))
	if c.Currency == "" {
		c.Currency = "CNY"
	}
	c.Settings.FillDefaults()
}

// CreateCompany creates another company (administrators only) with its
// virtual locations and standard roles.
func (s *Service) CreateCompany(ctx context.Context, p *domain.Principal, c domain.Company, lang string) (domain.Company, error) {
	if !p.IsAdmin {
		return c, domain.ErrorKey(domain.EForbidden, "error.admin_only", nil, "only administrators create companies")
	}
	c.ID, c.Archived = 0, false
	normalizeCompany(&c)
	if err := c.Validate(); err != nil {
		return c, err
	}
	return c, s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateCompany(ctx, &c); err != nil {
			return err
		}
		if err := createStandardRoles(ctx, tx, c.ID, lang); err != nil {
			return err
		}
		in := *p // the row belongs to the new company's log
		in.CompanyID = c.ID
		return audit(ctx, tx, &in, "company", c.ID, "create", nil, c)
	})
}

// UpdateCompany saves the company's details and settings.
func (s *Service) UpdateCompany(ctx context.Context, p *domain.Principal, id int64, c domain.Company) (domain.Company, error) {
	if id != p.CompanyID && !p.IsAdmin {
		return c, notFoundErr("company", id)
	}
	c.ID = id
	normalizeCompany(&c)
	if err := c.Validate(); err != nil {
		return c, err
	}
	var before domain.Company
	return c, save(ctx, s, p, "company", &c.ID, "update", &before, &c, func(tx *store.Tx) (err error) {
		if before, err = tx.Company(ctx, id); err != nil {
			return err
		}
		c.CreatedAt, c.Archived = before.CreatedAt, before.Archived
		if before.Settings.CostingScope != c.Settings.CostingScope {
			moved, err := tx.HasStockMoves(ctx, id)
			if err != nil {
				return err
			}
			if err := domain.CheckScopeChange(before.Settings, c.Settings, moved); err != nil {
				return err
			}
		}
		return tx.UpdateCompany(ctx, &c)
	})
}

// ---------------------------------------------------------------- audit

// AuditFilter selects audit rows.
type AuditFilter = store.AuditFilter

// Audit lists the audit log of the caller's company.
func (s *Service) Audit(ctx context.Context, p *domain.Principal, f AuditFilter) ([]domain.AuditEntry, int, error) {
	f.CompanyID = p.CompanyID
	return list(ctx, s, func(tx *store.Tx) ([]domain.AuditEntry, int, error) { return tx.ListAudit(ctx, f) })
}
