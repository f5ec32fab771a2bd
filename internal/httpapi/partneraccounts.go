package httpapi

import (
	"context"
	"net/http"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
)

// accountSide is one kind of partner account as the API serves it: what
// we owe suppliers (应付, under /purchase) or what customers owe us (应收,
// under /sales). Both are rows of the one partner ledger, aged, settled
// (核销) and stated alike; only the words, paths and permissions differ.
type accountSide struct {
	prefix, tag, balances string // "/purchase", "purchase", "payables"
	account               string // store.Payable or store.Receivable
	read, write           string
	ops, summaries        [7]string // balances, items, settle, auto, unsettle, statement, settlements
	listBalances          func(ctx context.Context, p *domain.Principal, partnerID int64, asOf domain.Date) ([]store.PartnerBalance, error)
	listItems             func(ctx context.Context, p *domain.Principal, partnerID int64) ([]store.OpenItem, error)
	settle                func(ctx context.Context, p *domain.Principal, partnerID int64, items []service.SettleItem) ([]store.Settlement, error)
	autoSettle            func(ctx context.Context, p *domain.Principal, partnerID int64) ([]store.Settlement, error)
	statement             func(ctx context.Context, p *domain.Principal, partnerID int64, from, to domain.Date) (service.Statement, error)
}

// partnerAccountRoutes registers the balances, open items, allocations and the
// statement of one side.
func (s *Server) partnerAccountRoutes(a accountSide) {
	svc := s.svc
	register(s, http.MethodGet, a.prefix+"/"+a.balances, a.ops[0], a.tag, a.summaries[0], a.read,
		func(ctx context.Context, p *domain.Principal, in *PayablesParams) (*Out[[]store.PartnerBalance], error) {
			day, err := optDay("as_of", in.AsOf)
			if err != nil {
				return nil, err
			}
			bs, err := a.listBalances(ctx, p, in.PartnerID, day)
			if bs == nil {
				bs = []store.PartnerBalance{}
			}
			return &Out[[]store.PartnerBalance]{Body: bs}, err
		})
	register(s, http.MethodGet, a.prefix+"/"+a.balances+"/{id}/items", a.ops[1], a.tag, a.summaries[1], a.read,
		func(ctx context.Context, p *domain.Principal, in *idIn) (*Out[[]store.OpenItem], error) {
			items, err := a.listItems(ctx, p, in.ID)
			if items == nil {
				items = []store.OpenItem{}
			}
			return &Out[[]store.OpenItem]{Body: items}, err
		})
	register(s, http.MethodPost, a.prefix+"/settlements", a.ops[2], a.tag, a.summaries[2], a.write,
		func(ctx context.Context, p *domain.Principal, in *bodyIn[settleBody]) (*Out[[]store.Settlement], error) {
			st, err := a.settle(ctx, p, in.Body.PartnerID, in.Body.Items)
			return &Out[[]store.Settlement]{Body: st}, err
		})
	register(s, http.MethodPost, a.prefix+"/settlements/auto", a.ops[3], a.tag, a.summaries[3], a.write,
		func(ctx context.Context, p *domain.Principal, in *bodyIn[autoSettleBody]) (*Out[[]store.Settlement], error) {
			st, err := a.autoSettle(ctx, p, in.Body.PartnerID)
			if st == nil {
				st = []store.Settlement{}
			}
			return &Out[[]store.Settlement]{Body: st}, err
		})
	register(s, http.MethodDelete, a.prefix+"/settlements/{id}", a.ops[4], a.tag, a.summaries[4], a.write,
		func(ctx context.Context, p *domain.Principal, in *idIn) (*Empty, error) {
			return nil, svc.Unsettle(ctx, p, a.account, in.ID)
		})
	register(s, http.MethodGet, a.prefix+"/settlements", a.ops[6], a.tag, a.summaries[6], a.read,
		func(ctx context.Context, p *domain.Principal, in *settlementsIn) (*Out[[]store.Settlement], error) {
			st, err := svc.Settlements(ctx, p, a.account, in.DocumentID)
			if st == nil {
				st = []store.Settlement{}
			}
			return &Out[[]store.Settlement]{Body: st}, err
		})
	register(s, http.MethodGet, a.prefix+"/statements/{id}", a.ops[5], a.tag, a.summaries[5], a.read,
		func(ctx context.Context, p *domain.Principal, in *StatementParams) (*Out[service.Statement], error) {
			from, err := domain.ParseDate(in.From)
			if err != nil {
				return nil, domain.FieldErr("from", "date_format")
			}
			to, err := domain.ParseDate(in.To)
			if err != nil {
				return nil, domain.FieldErr("to", "date_format")
			}
			st, err := a.statement(ctx, p, in.ID, from, to)
			if st.Rows == nil {
				st.Rows = []store.StatementRow{}
			}
			return &Out[service.Statement]{Body: st}, err
		})
}
