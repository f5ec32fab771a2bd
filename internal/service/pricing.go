package service

import (
	"context"
	"slices"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// Sales pricing: promotions as master data, and the price of a bill's lines
// from the engine in domain/pricing.go.

// PromotionFilter is the promotion list query.
type PromotionFilter = store.PromotionFilter

func (s *Service) Promotions(ctx context.Context, p *domain.Principal, f PromotionFilter) ([]domain.Promotion, int, error) {
	f.CompanyID = p.CompanyID
	return list(ctx, s, func(tx *store.Tx) ([]domain.Promotion, int, error) { return tx.ListPromotions(ctx, f) })
}

func (s *Service) Promotion(ctx context.Context, p *domain.Principal, id int64) (domain.Promotion, error) {
	return view(ctx, s, func(tx *store.Tx) (domain.Promotion, error) { return tx.Promotion(ctx, p.CompanyID, id) })
}

// preparePromotion normalises and validates a promotion against the
// company's tiers.
func preparePromotion(ctx context.Context, tx *store.Tx, pr *domain.Promotion) error {
	pr.Normalize()
	c, err := tx.Company(ctx, pr.CompanyID)
	if err != nil {
		return err
	}
	return pr.Validate(&c.Settings)
}

func (s *Service) CreatePromotion(ctx context.Context, p *domain.Principal, pr domain.Promotion) (domain.Promotion, error) {
	pr.ID, pr.CompanyID, pr.Archived = 0, p.CompanyID, false
	return pr, save(ctx, s, p, "promotion", &pr.ID, "create", nil, &pr, func(tx *store.Tx) error {
		if err := preparePromotion(ctx, tx, &pr); err != nil {
			return err
		}
		return tx.CreatePromotion(ctx, &pr)
	})
}

func (s *Service) UpdatePromotion(ctx context.Context, p *domain.Principal, id int64, pr domain.Promotion) (domain.Promotion, error) {
	pr.ID, pr.CompanyID = id, p.CompanyID
	var before domain.Promotion
	return pr, save(ctx, s, p, "promotion", &pr.ID, "update", &before, &pr, func(tx *store.Tx) (err error) {
		if before, err = tx.Promotion(ctx, p.CompanyID, id); err != nil {
			return err
		}
		pr.CreatedAt, pr.Archived = before.CreatedAt, before.Archived
		if err := preparePromotion(ctx, tx, &pr); err != nil {
			return err
		}
		return tx.UpdatePromotion(ctx, &pr)
	})
}

func (s *Service) ArchivePromotion(ctx context.Context, p *domain.Principal, id int64, archived bool) error {
	return change(ctx, s, p, "promotion", id, archiveAction(archived),
		func(tx *store.Tx) (domain.Promotion, error) { return tx.Promotion(ctx, p.CompanyID, id) },
		func(tx *store.Tx) error { return tx.SetPromotionArchived(ctx, p.CompanyID, id, archived) })
}

func (s *Service) DeletePromotion(ctx context.Context, p *domain.Principal, id int64) error {
	return change(ctx, s, p, "promotion", id, "delete",
		func(tx *store.Tx) (domain.Promotion, error) { return tx.Promotion(ctx, p.CompanyID, id) },
		func(tx *store.Tx) error { return tx.DeletePromotion(ctx, p.CompanyID, id) })
}

// ---------------------------------------------------------------- pricing a bill

// PriceRequest asks what a bill's lines cost a customer on a day.
type PriceRequest struct {
	PartnerID *int64                    `json:"partner_id" doc:"The customer; null = a walk-in sale (零售)"`
	Date      *domain.Date              `json:"date" doc:"Business date; null = today"`
	Lines     []domain.PriceRequestLine `json:"lines" maxItems:"500"`
}

// PriceLines prices a bill: the rule and explanation of every line, the
// minimum-price flag, promotions, gift lines and the threshold discount
// (see domain.PriceBill). One read transaction with a fixed number of
// queries, whatever the number of lines. Sales documents call it before
// their write transaction and check domain.GuardMinPrices on the prices
// they keep.
func (s *Service) PriceLines(ctx context.Context, p *domain.Principal, req PriceRequest) (domain.PriceResult, error) {
	var in domain.PriceInput
	err := s.db.View(ctx, func(tx *store.Tx) (err error) {
		in, err = s.LoadPriceInput(ctx, tx, p, req)
		return err
	})
	if err != nil {
		return domain.PriceResult{}, err
	}
	return domain.PriceBill(in)
}

// LoadPriceInput reads what the pricing engine needs for req inside tx:
// the customer, the items (and gift items), the sale price lists valid on
// the day, the promotions running on it and the category tree.
func (s *Service) LoadPriceInput(ctx context.Context, tx *store.Tx, p *domain.Principal, req PriceRequest) (domain.PriceInput, error) {
	in := domain.PriceInput{Date: s.today(), Lines: req.Lines, Items: map[int64]domain.Item{}}
	if req.Date != nil && !req.Date.IsZero() {
		in.Date = *req.Date
	}
	if len(req.Lines) == 0 {
		return in, domain.FieldErr("lines", "required")
	}
	if req.PartnerID != nil {
		pt, err := tx.Partner(ctx, p.CompanyID, *req.PartnerID)
		if err != nil {
			return in, refErr("partner_id")
		}
		if !pt.Kind.IsCustomer() {
			return in, domain.FieldErr("partner_id", "not_customer")
		}
		in.PartnerID, in.Tier = pt.ID, pt.Tier
	}
	var err error
	if in.Promotions, err = tx.PromotionsOn(ctx, p.CompanyID, in.Date); err != nil {
		return in, err
	}
	ids := make([]int64, 0, len(req.Lines))
	for _, l := range req.Lines {
		ids = append(ids, l.ItemID)
	}
	lineItems := slices.Clone(ids)
	category := false
	for _, pr := range in.Promotions {
		if pr.Kind == domain.PromoBuyGet && pr.GetItemID != nil {
			ids = append(ids, *pr.GetItemID)
		}
		category = category || pr.Scope == domain.ScopeCategory
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if err := loadItemIDs(ctx, tx, p.CompanyID, ids, in.Items); err != nil {
		return in, err
	}
	if in.Lists, err = tx.SaleListsFor(ctx, p.CompanyID, in.PartnerID, in.Tier, in.Date, lineItems); err != nil {
		return in, err
	}
	if category {
		if in.Parents, err = tx.CategoryParents(ctx, p.CompanyID); err != nil {
			return in, err
		}
	}
	return in, nil
}
