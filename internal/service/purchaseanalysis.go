package service

import (
	"context"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// PurchaseAnalysisFilter selects a purchase analysis (采购分析); see
// store.PurchaseAnalysisFilter. Company and warehouse scope are the caller's.
type PurchaseAnalysisFilter = store.PurchaseAnalysisFilter

// purchaseAnalysisScope completes a purchase analysis filter as
// salesAnalysisScope does a sales analysis's; a caller who may not see
// costs gets the groups in code order.
func (s *Service) purchaseAnalysisScope(p *domain.Principal, f *PurchaseAnalysisFilter) error {
	f.ByCode = !p.Can("data.cost.read")
	return s.reportScope(p, &f.By, store.PurchaseGroupings, &f.CompanyID, &f.Warehouses, &f.From, &f.To)
}

// hidePurchaseAmounts blanks what a caller without data.cost.read may not
// see: every amount of a purchase analysis is a cost.
func hidePurchaseAmounts(r *store.PurchaseAnalysisRow) {
	r.Purchases, r.Returns, r.NetPurchases, r.AvgCost = 0, 0, 0, nil
}

// PurchaseAnalysis returns a page of a purchase analysis with its totals.
func (s *Service) PurchaseAnalysis(ctx context.Context, p *domain.Principal, f PurchaseAnalysisFilter) (store.PurchaseAnalysisReport, error) {
	if err := s.purchaseAnalysisScope(p, &f); err != nil {
		return store.PurchaseAnalysisReport{}, err
	}
	rep, err := view(ctx, s, func(tx *store.Tx) (store.PurchaseAnalysisReport, error) { return tx.PurchaseAnalysis(ctx, f) })
	if !p.Can("data.cost.read") {
		for i := range rep.Rows {
			hidePurchaseAmounts(&rep.Rows[i])
		}
		hidePurchaseAmounts(&rep.Totals)
	}
	return rep, err
}

// StreamPurchaseAnalysis hands every group of a purchase analysis to emit
// as it is read (see PurchaseAnalysis).
func (s *Service) StreamPurchaseAnalysis(ctx context.Context, p *domain.Principal, f PurchaseAnalysisFilter, emit func(store.PurchaseAnalysisRow) error) error {
	if err := s.purchaseAnalysisScope(p, &f); err != nil {
		return err
	}
	cost := p.Can("data.cost.read")
	return s.db.View(ctx, func(tx *store.Tx) error {
		return tx.StreamPurchaseAnalysis(ctx, f, func(r store.PurchaseAnalysisRow) error {
			if !cost {
				hidePurchaseAmounts(&r)
			}
			return emit(r)
		})
	})
}
