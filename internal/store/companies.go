package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

type companyRow struct {
	bun.BaseModel `bun:"table:companies,alias:c"`
	domain.Company
	SettingsJSON string `bun:"settings"`
}

func (r *companyRow) company() (domain.Company, error) {
	c := r.Company
	c.Settings = domain.DefaultCompanySettings()
	if err := json.Unmarshal([]byte(r.SettingsJSON), &c.Settings); err != nil {
		return c, fmt.Errorf("company %d settings: %w", c.ID, err)
	}
	return c, nil
}

func toCompanyRow(c *domain.Company) (*companyRow, error) {
	s, err := json.Marshal(c.Settings)
	if err != nil {
		return nil, err
	}
	return &companyRow{Company: *c, SettingsJSON: string(s)}, nil
}

// CreateCompany inserts a company and its virtual locations (supplier,
// customer, loss, gain, transit, production, opening).
func (tx *Tx) CreateCompany(ctx context.Context, c *domain.Company) error {
	tx.authChanged = true // an administrator acts in every company
	c.CreatedAt, c.UpdatedAt, c.Version = tx.Now, tx.Now, 1
	row, err := toCompanyRow(c)
	if err != nil {
		return err
	}
	if _, err := tx.NewInsert().Model(row).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return conflict(err, "company", "code")
	}
	c.ID = row.ID
	locs := make([]locationRow, len(domain.VirtualLocationKinds))
	for i, k := range domain.VirtualLocationKinds {
		locs[i] = locationRow{Location: domain.Location{
			CompanyID: c.ID, Code: string(k), Name: string(k), Kind: k,
			Stamp: domain.Stamp{Version: 1, CreatedAt: tx.Now, UpdatedAt: tx.Now},
		}}
	}
	_, err = tx.NewInsert().Model(&locs).ExcludeColumn("id").Exec(ctx)
	return err
}

// Company loads one company.
func (tx *Tx) Company(ctx context.Context, id int64) (domain.Company, error) {
	var row companyRow
	if err := tx.NewSelect().Model(&row).Where("c.id = ?", id).Scan(ctx); err != nil {
		return domain.Company{}, notFound(err, "company", id)
	}
	return row.company()
}

// UpdateCompany saves a company if its version matches.
func (tx *Tx) UpdateCompany(ctx context.Context, c *domain.Company) error {
	tx.authChanged = true // archived: no one acts in it
	c.UpdatedAt = tx.Now
	row, err := toCompanyRow(c)
	if err != nil {
		return err
	}
	res, err := tx.NewUpdate().Model(row).ExcludeColumn("id", "created_at", "version").
		Set("version = version + 1").Where("id = ? AND version = ?", c.ID, c.Version).Exec(ctx)
	if err != nil {
		return conflict(err, "company", "code")
	}
	if err := staleCheck(res, "company"); err != nil {
		return err
	}
	c.Version++
	return nil
}

// Companies lists companies; ids limits the list (nil = all).
func (tx *Tx) Companies(ctx context.Context, ids []int64) ([]domain.Company, error) {
	var rows []companyRow
	q := tx.NewSelect().Model(&rows).OrderExpr("c.id")
	if ids != nil {
		if len(ids) == 0 {
			return []domain.Company{}, nil
		}
		q = q.Where("c.id IN (?)", bun.In(ids))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]domain.Company, 0, len(rows))
	for i := range rows {
		c, err := rows[i].company()
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// CountCompanies returns how many companies exist.
func (tx *Tx) CountCompanies(ctx context.Context) (int, error) {
	n, err := tx.NewSelect().TableExpr("companies").Count(ctx)
	return int(n), err
}
