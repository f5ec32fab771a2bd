package service

import (
	"context"
	"slices"
	"strings"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// SalesAnalysisFilter selects a sales analysis (销售分析); see
// store.SalesAnalysisFilter. Company and warehouse scope are the caller's.
type SalesAnalysisFilter = store.SalesAnalysisFilter

// salesAnalysisScope completes a sales analysis filter: the caller's
// company and warehouses, item grouping and this month when left out.
func (s *Service) salesAnalysisScope(p *domain.Principal, f *SalesAnalysisFilter) error {
	return s.reportScope(p, &f.By, store.SalesGroupings, &f.CompanyID, &f.Warehouses, &f.From, &f.To)
}

// reportScope completes what a report over a date range shares: the
// caller's company and warehouses, the grouping (the first of groupings
// when none is asked), and the range (this month to today when none is
// given, both ends or neither).
func (s *Service) reportScope(p *domain.Principal, by *string, groupings []string, companyID *int64, warehouses *map[int64]bool,
	from, to *domain.Date) error {
	*companyID = p.CompanyID
	if !p.IsAdmin {
		*warehouses = p.Warehouses
	}
	if *by == "" {
		*by = groupings[0]
	}
	if !slices.Contains(groupings, *by) {
		return domain.FieldErr("by", "one_of", "allowed", strings.Join(groupings, ", "))
	}
	return s.reportRange(from, to)
}

// reportRange checks a report's range, defaulting it to this month.
func (s *Service) reportRange(from, to *domain.Date) error {
	if from.IsZero() != to.IsZero() {
		if from.IsZero() {
			return domain.FieldErr("from", "required")
		}
		return domain.FieldErr("to", "required")
	}
	if to.IsZero() {
		today := s.today()
		*from, *to = domain.Date{Time: today.AddDate(0, 0, 1-today.Day())}, today
	}
	if to.Before(*from) {
		return domain.FieldErr("to", "before_start")
	}
	return nil
}

// hideAnalysisCost blanks what a caller without data.cost.read may not see:
// the cost, and so the gross profit and margin.
func hideAnalysisCost(r *store.SalesAnalysisRow) {
	r.Cost, r.GrossProfit, r.Margin = 0, 0, nil
}

// SalesAnalysis returns a page of a sales analysis with its totals.
func (s *Service) SalesAnalysis(ctx context.Context, p *domain.Principal, f SalesAnalysisFilter) (store.SalesAnalysisReport, error) {
	if err := s.salesAnalysisScope(p, &f); err != nil {
		return store.SalesAnalysisReport{}, err
	}
	rep, err := view(ctx, s, func(tx *store.Tx) (store.SalesAnalysisReport, error) { return tx.SalesAnalysis(ctx, f) })
	if !p.Can("data.cost.read") {
		for i := range rep.Rows {
			hideAnalysisCost(&rep.Rows[i])
		}
		hideAnalysisCost(&rep.Totals)
	}
	return rep, err
}

// StreamSalesAnalysis hands every group of a sales analysis to emit as it
// is read (see SalesAnalysis).
func (s *Service) StreamSalesAnalysis(ctx context.Context, p *domain.Principal, f SalesAnalysisFilter, emit func(store.SalesAnalysisRow) error) error {
	if err := s.salesAnalysisScope(p, &f); err != nil {
		return err
	}
	cost := p.Can("data.cost.read")
	return s.db.View(ctx, func(tx *store.Tx) error {
		return tx.StreamSalesAnalysis(ctx, f, func(r store.SalesAnalysisRow) error {
			if !cost {
				hideAnalysisCost(&r)
			}
			return emit(r)
		})
	})
}
