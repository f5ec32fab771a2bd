package service

import (
	"cmp"
	"context"
	"slices"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// The supplier scorecard (供应商评分): on-time, fill and reject rates, lead
// time, price trend and an overall score per supplier over a window of
// business dates. The rules are in domain/scorecard.go.

// ScorecardDays is the default window: the last 365 days, today included.
const ScorecardDays = 365

// Scorecard is one supplier's scorecard over [from, to].
type Scorecard struct {
	PartnerID int64       `json:"partner_id"`
	Code      string      `json:"code"`
	Name      string      `json:"name"`
	NameEn    string      `json:"name_en" doc:"The supplier's English name (may be empty)"`
	From      domain.Date `json:"from"`
	To        domain.Date `json:"to"`
	domain.SupplierScore
}

// scorecardWindow fills in the default window: to is today when zero, from
// is 364 days before to when zero (365 days in all).
func (s *Service) scorecardWindow(from, to domain.Date) (domain.Date, domain.Date, error) {
	if to.IsZero() {
		to = s.today()
	}
	if from.IsZero() {
		from = domain.Date{Time: to.Time.AddDate(0, 0, -(ScorecardDays - 1))}
	}
	if to.Before(from) {
		return from, to, domain.FieldErr("to", "before_start")
	}
	return from, to, nil
}

// Scorecard is a supplier's scorecard from from to to (zero: the last 365
// days). Without data.cost.read the price trend is left out.
func (s *Service) Scorecard(ctx context.Context, p *domain.Principal, partnerID int64, from, to domain.Date) (Scorecard, error) {
	from, to, err := s.scorecardWindow(from, to)
	if err != nil {
		return Scorecard{}, err
	}
	out := Scorecard{PartnerID: partnerID, From: from, To: to}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		partner, err := tx.Partner(ctx, p.CompanyID, partnerID)
		if err != nil {
			return err
		}
		out.Code, out.Name, out.NameEn = partner.Code, partner.Name, partner.NameEn
		cards, err := s.scorecards(ctx, tx, p, partnerID, from, to)
		if err != nil {
			return err
		}
		if len(cards) == 1 {
			out.SupplierScore = cards[0].SupplierScore
		} else { // nothing in the window: every metric without a value
			out.SupplierScore = domain.ScoreSupplier(nil, nil, s.today())
		}
		return nil
	})
	return out, err
}

// Scorecards are the scorecards of every supplier with an order or a
// receipt from from to to (zero: the last 365 days), by supplier code:
// what a buyer compares quotes against.
func (s *Service) Scorecards(ctx context.Context, p *domain.Principal, from, to domain.Date) ([]Scorecard, error) {
	from, to, err := s.scorecardWindow(from, to)
	if err != nil {
		return nil, err
	}
	return view(ctx, s, func(tx *store.Tx) ([]Scorecard, error) {
		return s.scorecards(ctx, tx, p, 0, from, to)
	})
}

func (s *Service) scorecards(ctx context.Context, tx *store.Tx, p *domain.Principal, partnerID int64, from, to domain.Date) ([]Scorecard, error) {
	f := store.ScorecardFilter{CompanyID: p.CompanyID, PartnerID: partnerID, From: from, To: to}
	if !p.IsAdmin {
		f.Warehouses = p.Warehouses
	}
	facts, err := tx.ScorecardFacts(ctx, f)
	if err != nil {
		return nil, err
	}
	today := s.today()
	out := make([]Scorecard, len(facts))
	var items []int64
	for i, sf := range facts {
		out[i] = Scorecard{PartnerID: sf.PartnerID, Code: sf.Code, Name: sf.Name, NameEn: sf.NameEn, From: from, To: to,
			SupplierScore: domain.ScoreSupplier(sf.Orders, sf.Deliveries, today)}
		if !p.Can("data.cost.read") { // a receipt's net is what the goods cost
			out[i].Prices = []domain.PriceTrend{}
		}
		for _, t := range out[i].Prices {
			items = append(items, t.ItemID)
		}
	}
	slices.Sort(items)
	labels, err := tx.ItemLabels(ctx, p.CompanyID, slices.Compact(items))
	if err != nil {
		return nil, err
	}
	for i := range out {
		prices := out[i].Prices
		for j := range prices {
			l := labels[prices[j].ItemID]
			prices[j].ItemCode, prices[j].ItemName, prices[j].ItemNameEn = l.Code, l.Name, l.NameEn
		}
		slices.SortFunc(prices, func(a, b domain.PriceTrend) int {
			return cmp.Or(cmp.Compare(a.ItemCode, b.ItemCode), cmp.Compare(a.ItemID, b.ItemID))
		})
	}
	return out, nil
}
