package httpapi

import (
	"context"
	"net/http"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
)

// ScorecardParams is the window of a scorecard.
type ScorecardParams struct {
	From string `query:"from" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"Business date from (inclusive); 364 days before to when left out"`
	To   string `query:"to" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"Business date to (inclusive); today when left out"`
}

func (in *ScorecardParams) window() (from, to domain.Date, err error) {
	f, err := optDate("from", in.From)
	if err != nil {
		return from, to, err
	}
	t, err := optDate("to", in.To)
	if err != nil {
		return from, to, err
	}
	if f != nil {
		from = *f
	}
	if t != nil {
		to = *t
	}
	return from, to, nil
}

type scorecardIn struct {
	ID int64 `path:"id" minimum:"1" doc:"The supplier"`
	ScorecardParams
}

func (s *Server) scorecardRoutes() {
	svc := s.svc
	const tag = "purchase"
	register(s, http.MethodGet, "/purchase/scorecards", "listSupplierScorecards", tag,
		"Scorecards (供应商评分) of every supplier with an order or a receipt in the window, by supplier code", "purchase.order.read",
		func(ctx context.Context, p *domain.Principal, in *ScorecardParams) (*Out[[]service.Scorecard], error) {
			from, to, err := in.window()
			if err != nil {
				return nil, err
			}
			cs, err := svc.Scorecards(ctx, p, from, to)
			if cs == nil {
				cs = []service.Scorecard{}
			}
			return &Out[[]service.Scorecard]{Body: cs}, err
		})
	register(s, http.MethodGet, "/purchase/scorecards/{id}", "getSupplierScorecard", tag,
		"A supplier's scorecard (供应商评分): on-time, fill and reject rates, lead time, price trend and score", "purchase.order.read",
		func(ctx context.Context, p *domain.Principal, in *scorecardIn) (*Out[service.Scorecard], error) {
			from, to, err := in.window()
			if err != nil {
				return nil, err
			}
			c, err := svc.Scorecard(ctx, p, in.ID, from, to)
			return &Out[service.Scorecard]{Body: c}, err
		})
}
