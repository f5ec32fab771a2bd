package service

import (
	"context"
	"slices"
	"strings"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// AgeingFilter selects a stock ageing report (库龄); see store.AgeingFilter.
// Company and warehouse scope are the caller's.
type AgeingFilter = store.AgeingFilter

// ageingScope completes a stock ageing filter: the caller's company and
// warehouses, today when no day is given, the oldest stock first when no
// order is; a caller without data.cost.read gets the oldest quantities
// first (an order by value would tell the values).
func (s *Service) ageingScope(p *domain.Principal, f *AgeingFilter) error {
	f.CompanyID = p.CompanyID
	if !p.IsAdmin {
		f.Warehouses = p.Warehouses
	}
	if f.AsOf.IsZero() {
		f.AsOf = s.today()
	}
	if f.Sort == "" {
		f.Sort = store.AgeingByAge
	}
	if !slices.Contains(store.AgeingSorts, f.Sort) {
		return domain.FieldErr("sort", "one_of", "allowed", strings.Join(store.AgeingSorts, ", "))
	}
	f.ByQty = !p.Can("data.cost.read")
	return nil
}

// hideAgeingValues blanks the values of a caller without data.cost.read.
func hideAgeingValues(value *domain.Money, buckets []store.AgeingBucket) {
	*value = 0
	for i := range buckets {
		buckets[i].Value = 0
	}
}

// Ageing returns a page of a stock ageing report with the sums of each
// bucket.
func (s *Service) Ageing(ctx context.Context, p *domain.Principal, f AgeingFilter) (store.AgeingReport, error) {
	if err := s.ageingScope(p, &f); err != nil {
		return store.AgeingReport{}, err
	}
	rep, err := view(ctx, s, func(tx *store.Tx) (store.AgeingReport, error) { return tx.Ageing(ctx, f) })
	if f.ByQty {
		for i := range rep.Rows {
			hideAgeingValues(&rep.Rows[i].Value, rep.Rows[i].Buckets)
		}
		hideAgeingValues(&rep.Totals.Value, rep.Totals.Buckets)
	}
	return rep, err
}

// StreamAgeing hands every item of a stock ageing report to emit as it is
// read (see Ageing).
func (s *Service) StreamAgeing(ctx context.Context, p *domain.Principal, f AgeingFilter, emit func(store.AgeingRow) error) error {
	if err := s.ageingScope(p, &f); err != nil {
		return err
	}
	return s.db.View(ctx, func(tx *store.Tx) error {
		return tx.StreamAgeing(ctx, f, func(r store.AgeingRow) error {
			if f.ByQty {
				hideAgeingValues(&r.Value, r.Buckets)
			}
			return emit(r)
		})
	})
}
