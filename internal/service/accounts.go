package service

import (
	"context"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// Money accounts (资金账户): master data that payments to suppliers and
// receipts from customers will name. Guarded by finance.account.*.

// AccountFilter is the account list query.
type AccountFilter = store.AccountFilter

func (s *Service) Accounts(ctx context.Context, p *domain.Principal, f AccountFilter) ([]domain.Account, int, error) {
	f.CompanyID = p.CompanyID
	return list(ctx, s, func(tx *store.Tx) ([]domain.Account, int, error) { return tx.ListAccounts(ctx, f) })
}

func (s *Service) Account(ctx context.Context, p *domain.Principal, id int64) (domain.Account, error) {
	return view(ctx, s, func(tx *store.Tx) (domain.Account, error) { return tx.Account(ctx, p.CompanyID, id) })
}

func (s *Service) CreateAccount(ctx context.Context, p *domain.Principal, a domain.Account) (domain.Account, error) {
	a.ID, a.CompanyID, a.Archived = 0, p.CompanyID, false
	a.Normalize()
	if err := a.Validate(); err != nil {
		return a, err
	}
	return a, save(ctx, s, p, "account", &a.ID, "create", nil, &a, func(tx *store.Tx) error { return tx.CreateAccount(ctx, &a) })
}

func (s *Service) UpdateAccount(ctx context.Context, p *domain.Principal, id int64, a domain.Account) (domain.Account, error) {
	a.ID, a.CompanyID = id, p.CompanyID
	a.Normalize()
	if err := a.Validate(); err != nil {
		return a, err
	}
	var before domain.Account
	return a, save(ctx, s, p, "account", &a.ID, "update", &before, &a, func(tx *store.Tx) (err error) {
		if before, err = tx.Account(ctx, p.CompanyID, id); err != nil {
			return err
		}
		a.CreatedAt, a.Archived = before.CreatedAt, before.Archived
		return tx.UpdateAccount(ctx, &a)
	})
}

func (s *Service) ArchiveAccount(ctx context.Context, p *domain.Principal, id int64, archived bool) error {
	return change(ctx, s, p, "account", id, archiveAction(archived),
		func(tx *store.Tx) (domain.Account, error) { return tx.Account(ctx, p.CompanyID, id) },
		func(tx *store.Tx) error { return tx.SetAccountArchived(ctx, p.CompanyID, id, archived) })
}

func (s *Service) DeleteAccount(ctx context.Context, p *domain.Principal, id int64) error {
	return change(ctx, s, p, "account", id, "delete",
		func(tx *store.Tx) (domain.Account, error) { return tx.Account(ctx, p.CompanyID, id) },
		func(tx *store.Tx) error { return tx.DeleteAccount(ctx, p.CompanyID, id) })
}

// AccountBalances is every account's balance on asOf (all movements when
// zero): the opening balance plus posted receipts and counter sales, less
// payments and counter refunds, reversals counted against their originals.
func (s *Service) AccountBalances(ctx context.Context, p *domain.Principal, asOf domain.Date) ([]store.AccountBalance, error) {
	return view(ctx, s, func(tx *store.Tx) ([]store.AccountBalance, error) { return tx.AccountBalances(ctx, p.CompanyID, asOf) })
}

// The most rows of a journal page.
const (
	journalLimit    = 200
	journalMaxLimit = 2000
)

// AccountJournal is an account's movements from from to to (资金日记账),
// with the balance before, the sums and a page of rows with the running
// balance.
func (s *Service) AccountJournal(ctx context.Context, p *domain.Principal, id int64, from, to domain.Date, limit, offset int) (store.AccountJournal, error) {
	var f domain.Fields
	if to.Before(from) {
		f.Add("to", "before_start")
	}
	if limit < 0 || limit > journalMaxLimit {
		f.Add("limit", "range", "min", "0", "max", "2000")
	}
	if offset < 0 {
		f.Add("offset", "not_negative")
	}
	if err := f.Err(); err != nil {
		return store.AccountJournal{}, err
	}
	if limit == 0 {
		limit = journalLimit
	}
	return view(ctx, s, func(tx *store.Tx) (store.AccountJournal, error) {
		a, err := tx.Account(ctx, p.CompanyID, id)
		if err != nil {
			return store.AccountJournal{}, err
		}
		return tx.AccountJournal(ctx, a, from, to, limit, offset)
	})
}
