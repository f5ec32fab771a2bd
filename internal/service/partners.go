package service

import (
	"context"
	"fmt"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// PartnerFilter is the partner list query.
type PartnerFilter = store.PartnerFilter

// PriceListFilter is the price-list list query.
type PriceListFilter = store.PriceListFilter

func (s *Service) Partners(ctx context.Context, p *domain.Principal, f PartnerFilter) ([]domain.Partner, int, error) {
	f.CompanyID = p.CompanyID
	return list(ctx, s, func(tx *store.Tx) ([]domain.Partner, int, error) { return tx.ListPartners(ctx, f) })
}

func (s *Service) Partner(ctx context.Context, p *domain.Principal, id int64) (domain.Partner, error) {
	return view(ctx, s, func(tx *store.Tx) (domain.Partner, error) { return tx.Partner(ctx, p.CompanyID, id) })
}

// preparePartner normalises and validates a partner against the company's
// settings and checks its salesperson.
func preparePartner(ctx context.Context, tx *store.Tx, pt *domain.Partner) error {
	pt.Normalize()
	if pt.Mnemonic == "" {
		pt.Mnemonic = mnemonicOr("", pt.Name)
	}
	c, err := tx.Company(ctx, pt.CompanyID)
	if err != nil {
		return err
	}
	if err := pt.Validate(&c.Settings); err != nil {
		return err
	}
	if pt.SalespersonID != nil {
		if _, err := tx.UserRecord(ctx, *pt.SalespersonID); err != nil {
			return refErr("salesperson_id")
		}
	}
	return nil
}

func (s *Service) CreatePartner(ctx context.Context, p *domain.Principal, pt domain.Partner) (domain.Partner, error) {
	pt.ID, pt.CompanyID, pt.Archived = 0, p.CompanyID, false
	return pt, save(ctx, s, p, "partner", &pt.ID, "create", nil, &pt, func(tx *store.Tx) error {
		if err := preparePartner(ctx, tx, &pt); err != nil {
			return err
		}
		return tx.CreatePartner(ctx, &pt)
	})
}

func (s *Service) UpdatePartner(ctx context.Context, p *domain.Principal, id int64, pt domain.Partner) (domain.Partner, error) {
	pt.ID, pt.CompanyID = id, p.CompanyID
	var before domain.Partner
	return pt, save(ctx, s, p, "partner", &pt.ID, "update", &before, &pt, func(tx *store.Tx) (err error) {
		if before, err = tx.Partner(ctx, p.CompanyID, id); err != nil {
			return err
		}
		pt.CreatedAt, pt.Archived = before.CreatedAt, before.Archived
		if err := preparePartner(ctx, tx, &pt); err != nil {
			return err
		}
		return tx.UpdatePartner(ctx, &pt)
	})
}

func (s *Service) ArchivePartner(ctx context.Context, p *domain.Principal, id int64, archived bool) error {
	return change(ctx, s, p, "partner", id, archiveAction(archived),
		func(tx *store.Tx) (domain.Partner, error) { return tx.Partner(ctx, p.CompanyID, id) },
		func(tx *store.Tx) error { return tx.SetPartnerArchived(ctx, p.CompanyID, id, archived) })
}

func (s *Service) DeletePartner(ctx context.Context, p *domain.Principal, id int64) error {
	return change(ctx, s, p, "partner", id, "delete",
		func(tx *store.Tx) (domain.Partner, error) { return tx.Partner(ctx, p.CompanyID, id) },
		func(tx *store.Tx) error { return tx.DeletePartner(ctx, p.CompanyID, id) })
}

// ---------------------------------------------------------------- price lists

func (s *Service) PriceLists(ctx context.Context, p *domain.Principal, f PriceListFilter) ([]domain.PriceList, int, error) {
	f.CompanyID = p.CompanyID
	if !p.Can("data.cost.read") {
		f.Kind = string(domain.PriceListSale) // purchase prices are cost information
	}
	return list(ctx, s, func(tx *store.Tx) ([]domain.PriceList, int, error) { return tx.ListPriceLists(ctx, f) })
}

func (s *Service) PriceList(ctx context.Context, p *domain.Principal, id int64) (domain.PriceList, error) {
	pl, err := view(ctx, s, func(tx *store.Tx) (domain.PriceList, error) { return tx.PriceList(ctx, p.CompanyID, id) })
	if err == nil && pl.Kind == domain.PriceListPurchase && !p.Can("data.cost.read") {
		return domain.PriceList{}, notFoundErr("price_list", id)
	}
	return pl, err
}

func preparePriceList(ctx context.Context, tx *store.Tx, p *domain.Principal, pl *domain.PriceList) error {
	pl.Code, pl.Name = trim(pl.Code), trim(pl.Name)
	if pl.Lines == nil {
		pl.Lines = []domain.PriceListLine{}
	}
	if pl.Kind == domain.PriceListPurchase && !p.Can("data.cost.read") {
		return domain.ErrorKey(domain.EForbidden, "error.forbidden", nil, "purchase prices need data.cost.read")
	}
	c, err := tx.Company(ctx, pl.CompanyID)
	if err != nil {
		return err
	}
	if err := pl.Validate(&c.Settings); err != nil {
		return err
	}
	for i, l := range pl.Lines {
		if l.UnitID != 0 {
			if err := tx.MustExist(ctx, "units", pl.CompanyID, fmt.Sprintf("lines[%d].unit_id", i), l.UnitID); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Service) CreatePriceList(ctx context.Context, p *domain.Principal, pl domain.PriceList) (domain.PriceList, error) {
	pl.ID, pl.CompanyID, pl.Archived = 0, p.CompanyID, false
	return pl, save(ctx, s, p, "price_list", &pl.ID, "create", nil, &pl, func(tx *store.Tx) error {
		if err := preparePriceList(ctx, tx, p, &pl); err != nil {
			return err
		}
		return tx.CreatePriceList(ctx, &pl)
	})
}

func (s *Service) UpdatePriceList(ctx context.Context, p *domain.Principal, id int64, pl domain.PriceList) (domain.PriceList, error) {
	pl.ID, pl.CompanyID = id, p.CompanyID
	var before domain.PriceList
	return pl, save(ctx, s, p, "price_list", &pl.ID, "update", &before, &pl, func(tx *store.Tx) (err error) {
		if before, err = tx.PriceList(ctx, p.CompanyID, id); err != nil {
			return err
		}
		if before.Kind == domain.PriceListPurchase && !p.Can("data.cost.read") {
			return notFoundErr("price_list", id)
		}
		pl.CreatedAt, pl.Archived = before.CreatedAt, before.Archived
		if err := preparePriceList(ctx, tx, p, &pl); err != nil {
			return err
		}
		return tx.UpdatePriceList(ctx, &pl)
	})
}

func (s *Service) ArchivePriceList(ctx context.Context, p *domain.Principal, id int64, archived bool) error {
	return change(ctx, s, p, "price_list", id, archiveAction(archived),
		func(tx *store.Tx) (domain.PriceList, error) { return tx.PriceList(ctx, p.CompanyID, id) },
		func(tx *store.Tx) error { return tx.SetPriceListArchived(ctx, p.CompanyID, id, archived) })
}

func (s *Service) DeletePriceList(ctx context.Context, p *domain.Principal, id int64) error {
	return change(ctx, s, p, "price_list", id, "delete",
		func(tx *store.Tx) (domain.PriceList, error) { return tx.PriceList(ctx, p.CompanyID, id) },
		func(tx *store.Tx) error { return tx.DeletePriceList(ctx, p.CompanyID, id) })
}
