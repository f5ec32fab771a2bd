package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// Money accounts (资金账户). The same shape as the small master-data
// tables, with the opening date kept as YYYY-MM-DD text (NULL when none)
// and the opening balance as integer cents.

type accountRow struct {
	bun.BaseModel  `bun:"table:accounts,alias:t"`
	ID             int64
	CompanyID      int64
	Code           string
	Name           string
	NameEn         string
	Kind           domain.AccountKind
	BankName       string
	BankAccount    string
	Currency       string
	OpeningBalance int64
	OpeningDate    sql.NullString
	Note           string
	domain.Stamp
}

func toAccountRow(a *domain.Account) *accountRow {
	return &accountRow{
		ID: a.ID, CompanyID: a.CompanyID, Code: a.Code, Name: a.Name, NameEn: a.NameEn, Kind: a.Kind,
		BankName: a.BankName, BankAccount: a.BankAccount, Currency: a.Currency,
		OpeningBalance: int64(a.OpeningBalance), OpeningDate: dateToNull(a.OpeningDate), Note: a.Note, Stamp: a.Stamp,
	}
}

func (r *accountRow) account() (domain.Account, error) {
	a := domain.Account{
		ID: r.ID, CompanyID: r.CompanyID, Code: r.Code, Name: r.Name, NameEn: r.NameEn, Kind: r.Kind,
		BankName: r.BankName, BankAccount: r.BankAccount, Currency: r.Currency,
		OpeningBalance: domain.Money(r.OpeningBalance), Note: r.Note, Stamp: r.Stamp,
	}
	var err error
	if a.OpeningDate, err = nullToDate(r.OpeningDate); err != nil {
		return a, fmt.Errorf("account %d opening_date: %w", r.ID, err)
	}
	return a, nil
}

var accountSorts = map[string]string{
	"code": "t.code", "name": "t.name", "kind": "t.kind", "opening_balance": "t.opening_balance",
	"created_at": "t.created_at", "updated_at": "t.updated_at",
}

func (tx *Tx) CreateAccount(ctx context.Context, a *domain.Account) error {
	stamp(tx, &a.Stamp, true)
	row := toAccountRow(a)
	if err := tx.insertRow(ctx, row, "account"); err != nil {
		return err
	}
	a.ID = row.ID
	return nil
}

func (tx *Tx) UpdateAccount(ctx context.Context, a *domain.Account) error {
	stamp(tx, &a.Stamp, false)
	if err := tx.updateRow(ctx, toAccountRow(a), "account", a.ID, a.CompanyID, a.Version); err != nil {
		return err
	}
	a.Version++
	return nil
}

func (tx *Tx) Account(ctx context.Context, companyID, id int64) (domain.Account, error) {
	var row accountRow
	if err := tx.NewSelect().Model(&row).Where("t.id = ? AND t.company_id = ?", id, companyID).Scan(ctx); err != nil {
		return domain.Account{}, notFound(err, "account", id)
	}
	return row.account()
}

// AccountFilter narrows the account list by kind.
type AccountFilter struct {
	ListFilter
	Kind string
}

func (tx *Tx) ListAccounts(ctx context.Context, f AccountFilter) ([]domain.Account, int, error) {
	var rows []accountRow
	q := tx.NewSelect().Model(&rows).Where("t.company_id = ?", f.CompanyID)
	if f.Kind != "" {
		q = q.Where("t.kind = ?", f.Kind)
	}
	q = searchSimple(applyArchived(q, "t", f.Archived), f.Q, false)
	n, err := applySort(q, "t", f.Sort, accountSorts, "code").Limit(f.limit()).Offset(f.offset()).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, err
	}
	out := make([]domain.Account, len(rows))
	for i := range rows {
		if out[i], err = rows[i].account(); err != nil {
			return nil, 0, err
		}
	}
	return out, int(n), nil
}

func (tx *Tx) SetAccountArchived(ctx context.Context, companyID, id int64, archived bool) error {
	return tx.setArchived(ctx, "accounts", "account", companyID, id, archived)
}

// DeleteAccount deletes an account nothing refers to; once payments and
// receipts refer to accounts their foreign keys make this in_use.
func (tx *Tx) DeleteAccount(ctx context.Context, companyID, id int64) error {
	return tx.deleteRow(ctx, "accounts", "account", companyID, id)
}
