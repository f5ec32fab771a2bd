package service

import (
	"context"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// Light CRM on the customer's page (客户跟进): the follow-up log, the
// reminders of next actions, and the customer's overview read from the
// sales documents and the customer's account.

// PermFollowUpsAll lets a user read everyone's reminders, not only their own.
const PermFollowUpsAll domain.Perm = "sales.followup.all"

// FollowUps lists a partner's follow-up log, newest first.
func (s *Service) FollowUps(ctx context.Context, p *domain.Principal, partnerID int64, page store.Page) ([]domain.FollowUp, int, error) {
	return list(ctx, s, func(tx *store.Tx) ([]domain.FollowUp, int, error) {
		if _, err := tx.Partner(ctx, p.CompanyID, partnerID); err != nil {
			return nil, 0, err
		}
		return tx.ListFollowUps(ctx, p.CompanyID, partnerID, page)
	})
}

// LogFollowUp records a contact with a partner and what is to be done next;
// the next action belongs to the user who logs it.
func (s *Service) LogFollowUp(ctx context.Context, p *domain.Principal, partnerID int64, f domain.FollowUp) (domain.FollowUp, error) {
	f = domain.FollowUp{CompanyID: p.CompanyID, PartnerID: partnerID, UserID: p.UserID, Day: f.Day, Kind: f.Kind, Note: f.Note,
		NextAction: f.NextAction, NextDate: f.NextDate}
	if p.UserID == 0 {
		return f, domain.ErrorKey(domain.EForbidden, "error.forbidden", nil, "a follow-up is logged by a user")
	}
	if f.Day.IsZero() {
		f.Day = s.today()
	}
	f.Normalize()
	if err := f.Validate(); err != nil {
		return f, err
	}
	return f, save(ctx, s, p, "followup", &f.ID, "create", nil, &f, func(tx *store.Tx) (err error) {
		if _, err := tx.Partner(ctx, p.CompanyID, partnerID); err != nil {
			return err
		}
		if err := tx.CreateFollowUp(ctx, &f); err != nil {
			return err
		}
		f, err = tx.FollowUp(ctx, p.CompanyID, partnerID, f.ID)
		return err
	})
}

// SetFollowUpDone ticks a follow-up's next action done, or open again.
func (s *Service) SetFollowUpDone(ctx context.Context, p *domain.Principal, partnerID, id int64, done bool) (domain.FollowUp, error) {
	var after domain.FollowUp
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		before, err := tx.FollowUp(ctx, p.CompanyID, partnerID, id)
		if err != nil {
			return err
		}
		if before.NextAction == "" && before.NextDate == nil {
			return domain.FieldErr("done", "no_next_action")
		}
		if before.Done == done {
			after = before
			return nil
		}
		if err := tx.SetFollowUpDone(ctx, p.CompanyID, partnerID, id, done, p.UserID); err != nil {
			return err
		}
		if after, err = tx.FollowUp(ctx, p.CompanyID, partnerID, id); err != nil {
			return err
		}
		action := "done"
		if !done {
			action = "reopen"
		}
		return audit(ctx, tx, p, "followup", id, action, before, after)
	})
	return after, err
}

// Reminders lists the open next actions due on or before asOf (today when
// zero), oldest first: the caller's own, or everyone's when all is set and
// the caller may see them.
func (s *Service) Reminders(ctx context.Context, p *domain.Principal, asOf domain.Date, all bool, page store.Page) ([]domain.FollowUp, int, error) {
	f := store.ReminderFilter{CompanyID: p.CompanyID, UserID: p.UserID, AsOf: asOf, Page: page}
	if f.AsOf.IsZero() {
		f.AsOf = s.today()
	}
	if all {
		if !p.Can(PermFollowUpsAll) {
			return nil, 0, domain.ErrorKey(domain.EForbidden, "error.forbidden", nil, "everyone's reminders need "+string(PermFollowUpsAll))
		}
		f.UserID = 0
	}
	return list(ctx, s, func(tx *store.Tx) ([]domain.FollowUp, int, error) { return tx.Reminders(ctx, f) })
}

// CustomerOverview is the CRM summary on a customer's page.
type CustomerOverview struct {
	PartnerID  int64                 `json:"partner_id"`
	AsOf       domain.Date           `json:"as_of" doc:"Today: the day balances are aged on and the favourite-item window ends"`
	Receivable store.PartnerBalance  `json:"receivable" doc:"The customer's account (应收): + the customer owes us"`
	Payable    *store.PartnerBalance `json:"payable" doc:"Our account with the partner as a supplier (应付); null unless it is one and the caller may read payables"`
	// Open documents.
	OpenOrders   []store.PartnerDoc `json:"open_orders" doc:"Sales orders confirmed (posted) and not closed, oldest first"`
	OpenInvoices []store.PartnerDoc `json:"open_invoices" doc:"Documents on the customer's account not fully collected (invoices), oldest first"`
	// Purchase history (购买记录), one page.
	History      []store.PartnerDoc    `json:"history" doc:"Posted shipments, counter sales and returns, newest first"`
	HistoryTotal int                   `json:"history_total"`
	Favourites   []store.FavouriteItem `json:"favourites" doc:"Most bought items by base quantity over shipments and counter sales of the last 365 days"`
	LastFollowUp *domain.FollowUp      `json:"last_follow_up"`
	NextAction   *domain.FollowUp      `json:"next_action" doc:"The open next action with the earliest date"`
}

// OverviewOptions pages the purchase history and caps the favourites.
type OverviewOptions struct {
	History    store.Page
	Favourites int
}

// CustomerOverview reads a customer's CRM summary in one snapshot.
func (s *Service) CustomerOverview(ctx context.Context, p *domain.Principal, partnerID int64, opt OverviewOptions) (CustomerOverview, error) {
	today := s.today()
	o := CustomerOverview{PartnerID: partnerID, AsOf: today}
	if opt.Favourites <= 0 || opt.Favourites > 100 {
		opt.Favourites = 10
	}
	err := s.db.View(ctx, func(tx *store.Tx) error {
		pt, err := tx.Partner(ctx, p.CompanyID, partnerID)
		if err != nil {
			return err
		}
		o.Receivable = store.PartnerBalance{PartnerID: pt.ID, Code: pt.Code, Name: pt.Name, NameEn: pt.NameEn, Aging: make([]domain.Money, len(domain.AgingBuckets))}
		if bs, err := tx.PartnerBalances(ctx, p.CompanyID, partnerID, store.Receivable, today); err != nil {
			return err
		} else if len(bs) > 0 {
			o.Receivable = bs[0]
		}
		// What we owe a supplier is payables information: shown to those who
		// may read payables, as on the supplier's page.
		if pt.Kind.IsSupplier() && p.Can("finance.payment.read") {
			o.Payable = &store.PartnerBalance{PartnerID: pt.ID, Code: pt.Code, Name: pt.Name, NameEn: pt.NameEn, Aging: make([]domain.Money, len(domain.AgingBuckets))}
			if bs, err := tx.PartnerBalances(ctx, p.CompanyID, partnerID, store.Payable, today); err != nil {
				return err
			} else if len(bs) > 0 {
				o.Payable = &bs[0]
			}
		}
		if o.OpenOrders, err = tx.OpenOrders(ctx, p.CompanyID, partnerID, domain.SalesOrderType); err != nil {
			return err
		}
		items, err := tx.OpenItems(ctx, p.CompanyID, partnerID, store.Receivable)
		if err != nil {
			return err
		}
		o.OpenInvoices = []store.PartnerDoc{}
		for _, it := range items {
			if it.Open <= 0 { // receipts and credits not yet applied are in the balance
				continue
			}
			open := it.Open
			o.OpenInvoices = append(o.OpenInvoices, store.PartnerDoc{DocumentID: it.DocumentID, Number: it.Number, Type: it.Type, Date: it.Date,
				DueDate: it.DueDate, Amount: it.Amount, Open: &open})
		}
		if o.History, o.HistoryTotal, err = tx.PartnerHistory(ctx, p.CompanyID, partnerID, domain.CustomerHistoryTypes, opt.History); err != nil {
			return err
		}
		from := domain.Date{Time: today.AddDate(0, 0, -(domain.FavouriteWindowDays - 1))}
		if o.Favourites, err = tx.FavouriteItems(ctx, p.CompanyID, partnerID, domain.FavouriteItemTypes, from, opt.Favourites); err != nil {
			return err
		}
		last, _, err := tx.ListFollowUps(ctx, p.CompanyID, partnerID, store.Page{Limit: 1})
		if err != nil {
			return err
		}
		if len(last) > 0 {
			o.LastFollowUp = &last[0]
		}
		o.NextAction, err = tx.NextAction(ctx, p.CompanyID, partnerID)
		return err
	})
	return o, err
}
