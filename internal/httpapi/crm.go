package httpapi

import (
	"context"
	"net/http"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
)

// PageParams pages a list that has no other filters.
type PageParams struct {
	Limit  int `query:"limit" minimum:"1" maximum:"500" default:"50"`
	Offset int `query:"offset" minimum:"0" default:"0"`
}

func (p PageParams) page() store.Page { return store.Page{Limit: p.Limit, Offset: p.Offset} }

func pageOf[T any](items []T, total int, p PageParams) *Out[Page[T]] {
	if items == nil {
		items = []T{}
	}
	return &Out[Page[T]]{Body: Page[T]{Items: items, Total: total, Limit: p.Limit, Offset: p.Offset}}
}

type followUpsIn struct {
	ID int64 `path:"id" minimum:"1" doc:"The partner"`
	PageParams
}

// FollowUpInput is a new follow-up.
type FollowUpInput struct {
	Day        *domain.Date        `json:"day" doc:"When the contact took place; today when left out"`
	Kind       domain.FollowUpKind `json:"kind" enum:"call,visit,wechat,email,other"`
	Note       string              `json:"note" doc:"What was said or agreed"`
	NextAction string              `json:"next_action" doc:"What to do next (下一步)"`
	NextDate   *domain.Date        `json:"next_date" doc:"When the next action is due; not before day"`
}

type followUpDoneIn struct {
	ID         int64 `path:"id" minimum:"1" doc:"The partner"`
	FollowUpID int64 `path:"followup_id" minimum:"1"`
	Body       struct {
		Done bool `json:"done" doc:"true: the next action is done; false: open again"`
	}
}

type remindersIn struct {
	AsOf string `query:"as_of" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"Due on or before this day; today when left out"`
	All  bool   `query:"all" doc:"Everyone's reminders, not only yours (needs sales.followup.all)"`
	PageParams
}

type overviewIn struct {
	ID            int64 `path:"id" minimum:"1" doc:"The customer"`
	HistoryLimit  int   `query:"history_limit" minimum:"1" maximum:"500" default:"10" doc:"Purchase-history rows per page"`
	HistoryOffset int   `query:"history_offset" minimum:"0" default:"0"`
	Favourites    int   `query:"favourites" minimum:"1" maximum:"100" default:"10" doc:"How many favourite items"`
}

func (s *Server) crmRoutes() {
	svc := s.svc
	const tag = "crm"
	register(s, http.MethodGet, "/partners/{id}/followups", "listFollowUps", tag,
		"A partner's follow-up log (跟进记录), newest first", "data.partner.read",
		func(ctx context.Context, p *domain.Principal, in *followUpsIn) (*Out[Page[domain.FollowUp]], error) {
			items, n, err := svc.FollowUps(ctx, p, in.ID, in.page())
			return pageOf(items, n, in.PageParams), err
		})
	register(s, http.MethodPost, "/partners/{id}/followups", "createFollowUp", tag,
		"Log a contact with a partner and the next action; the next action is yours", "data.partner.write",
		func(ctx context.Context, p *domain.Principal, in *idBodyIn[FollowUpInput]) (*Out[domain.FollowUp], error) {
			b := in.Body
			f := domain.FollowUp{Kind: b.Kind, Note: b.Note, NextAction: b.NextAction, NextDate: b.NextDate}
			if b.Day != nil {
				f.Day = *b.Day
			}
			v, err := svc.LogFollowUp(ctx, p, in.ID, f)
			return &Out[domain.FollowUp]{Body: v}, err
		})
	register(s, http.MethodPost, "/partners/{id}/followups/{followup_id}/done", "setFollowUpDone", tag,
		"Tick a follow-up's next action done (or open again)", "data.partner.write",
		func(ctx context.Context, p *domain.Principal, in *followUpDoneIn) (*Out[domain.FollowUp], error) {
			v, err := svc.SetFollowUpDone(ctx, p, in.ID, in.FollowUpID, in.Body.Done)
			return &Out[domain.FollowUp]{Body: v}, err
		})
	register(s, http.MethodGet, "/crm/reminders", "listReminders", tag,
		"Follow-ups due (跟进提醒): open next actions dated on or before as_of, oldest first; yours unless all", "data.partner.read",
		func(ctx context.Context, p *domain.Principal, in *remindersIn) (*Out[Page[domain.FollowUp]], error) {
			day, err := optDay("as_of", in.AsOf)
			if err != nil {
				return nil, err
			}
			items, n, err := svc.Reminders(ctx, p, day, in.All, in.page())
			return pageOf(items, n, in.PageParams), err
		})
	register(s, http.MethodGet, "/partners/{id}/overview", "customerOverview", tag,
		"A customer's page at a glance: balance, open orders and invoices, purchase history, favourite items, last follow-up and next action",
		"data.partner.read",
		func(ctx context.Context, p *domain.Principal, in *overviewIn) (*Out[service.CustomerOverview], error) {
			o, err := svc.CustomerOverview(ctx, p, in.ID, service.OverviewOptions{
				History: store.Page{Limit: in.HistoryLimit, Offset: in.HistoryOffset}, Favourites: in.Favourites})
			if o.OpenOrders == nil {
				o.OpenOrders = []store.PartnerDoc{}
			}
			if o.OpenInvoices == nil {
				o.OpenInvoices = []store.PartnerDoc{}
			}
			if o.History == nil {
				o.History = []store.PartnerDoc{}
			}
			if o.Favourites == nil {
				o.Favourites = []store.FavouriteItem{}
			}
			return &Out[service.CustomerOverview]{Body: o}, err
		})
}
