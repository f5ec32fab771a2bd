package service

import (
	"context"
	"slices"
	"strings"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// AbcFilter selects an ABC analysis (ABC 分类); see store.AbcFilter. Company
// and warehouse scope are the caller's.
type AbcFilter = store.AbcFilter

// abcScope completes an ABC analysis filter: the caller's company and
// warehouses, this month when no range is given, net sales when no measure
// is, and the thresholds 80 and 95 when neither is given. Ranking by gross
// profit needs data.cost.read (403 without it: the ranking alone would tell
// the profits). The thresholds need 0 < a < b ≤ 100.
func (s *Service) abcScope(p *domain.Principal, f *AbcFilter) error {
	by := store.SalesByItem
	if err := s.reportScope(p, &by, []string{store.SalesByItem}, &f.CompanyID, &f.Warehouses, &f.From, &f.To); err != nil {
		return err
	}
	if f.Measure == "" {
		f.Measure = store.AbcBySales
	}
	if !slices.Contains(store.AbcMeasures, f.Measure) {
		return domain.FieldErr("measure", "one_of", "allowed", strings.Join(store.AbcMeasures, ", "))
	}
	if f.Measure == store.AbcByProfit && !p.Can("data.cost.read") {
		return domain.ErrorKey(domain.EForbidden, "error.forbidden", nil, "ranking by gross profit needs data.cost.read")
	}
	if f.A == 0 && f.B == 0 {
		f.A, f.B = store.AbcDefaultA, store.AbcDefaultB
	}
	hundred := domain.RateOf(100)
	switch {
	case f.A <= 0 || f.A >= hundred:
		return domain.FieldErr("a", "range", "min", "0", "max", "100")
	case f.B > hundred:
		return domain.FieldErr("b", "max", "max", "100")
	case f.B <= f.A:
		return domain.FieldErr("b", "range", "min", f.A.String(), "max", "100")
	}
	return nil
}

// AbcAnalysis returns a page of an ABC analysis with the sums of each class.
func (s *Service) AbcAnalysis(ctx context.Context, p *domain.Principal, f AbcFilter) (store.AbcReport, error) {
	if err := s.abcScope(p, &f); err != nil {
		return store.AbcReport{}, err
	}
	rep, err := view(ctx, s, func(tx *store.Tx) (store.AbcReport, error) { return tx.AbcAnalysis(ctx, f) })
	if !p.Can("data.cost.read") {
		for i := range rep.Rows {
			rep.Rows[i].GrossProfit = 0
		}
	}
	return rep, err
}

// StreamAbcAnalysis hands every item of an ABC analysis to emit as it is
// read (see AbcAnalysis).
func (s *Service) StreamAbcAnalysis(ctx context.Context, p *domain.Principal, f AbcFilter, emit func(store.AbcRow) error) error {
	if err := s.abcScope(p, &f); err != nil {
		return err
	}
	cost := p.Can("data.cost.read")
	return s.db.View(ctx, func(tx *store.Tx) error {
		return tx.StreamAbcAnalysis(ctx, f, func(r store.AbcRow) error {
			if !cost {
				r.GrossProfit = 0
			}
			return emit(r)
		})
	})
}
