package store

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"

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
	if v, ok := decodedSettings.Load(r.SettingsJSON); ok {
		c.Settings = cloneSettings(v.(domain.CompanySettings))
		return c, nil
	}
	c.Settings = domain.DefaultCompanySettings()
	if err := json.Unmarshal([]byte(r.SettingsJSON), &c.Settings); err != nil {
		return c, fmt.Errorf("company %d settings: %w", c.ID, err)
	}
	if decodedCount.Add(1) > 64 { // a few companies' settings, each as it was and is: more means churn
		decodedSettings.Clear()
		decodedCount.Store(1)
	}
	decodedSettings.Store(r.SettingsJSON, cloneSettings(c.Settings))
	return c, nil
}

// decodedSettings keeps companies' settings decoded, by their JSON text:
// every posting reads its company, and decoding the settings each time
// was about 2 % of a posted receipt's server CPU. Handed out as copies, so
// no caller can change another's.
var (
	decodedSettings sync.Map // settings JSON → domain.CompanySettings
	decodedCount    atomic.Int64
)

func cloneSettings(s domain.CompanySettings) domain.CompanySettings {
	s.ApprovalFor = slices.Clone(s.ApprovalFor)
	s.NumberPrefixes = maps.Clone(s.NumberPrefixes)
	s.CustomerTiers = slices.Clone(s.CustomerTiers)
	return s
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
	tx.authChanged, tx.masterChanged = true, true // an administrator acts in every company
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
	// Kept on SQLite only (mastercache.go): on PostgreSQL the read rides in
	// the pipeline a posting's number needs anyway, and its settings — the
	// costing scope, negative stock — are what another server must see
	// changed at once.
	keep := tx.db.dialect == SQLite
	if keep {
		if c, ok := keptMaster(tx, &tx.db.master.companies, id); ok {
			return cloneCompany(c), nil
		}
	}
	var row companyRow
	if err := tx.NewSelect().Model(&row).Where("c.id = ?", id).Scan(ctx); err != nil {
		return domain.Company{}, notFound(err, "company", id)
	}
	c, err := row.company()
	if err == nil && keep {
		keepMaster(tx, &tx.db.master.companies, id, cloneCompany(c))
	}
	return c, err
}

// UpdateCompany saves a company if its version matches.
func (tx *Tx) UpdateCompany(ctx context.Context, c *domain.Company) error {
	tx.authChanged, tx.masterChanged = true, true // archived: no one acts in it
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
