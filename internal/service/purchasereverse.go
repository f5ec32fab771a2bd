package service

import (
	"context"
	"slices"
	"strconv"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// ReversePurchaseDoc posts a reversal (红冲) of a posted receipt, return,
// bill, payment or landed cost: a new document of the same type, linked
// both ways, that undoes the original's goods, running quantities and
// account entries. Documents that follow it (a receipt's returns, bills
// and landed costs) are reversed first, and allocations (核销) are undone
// first; orders and requisitions are closed instead, RFQs cancelled.
func (s *Service) ReversePurchaseDoc(ctx context.Context, p *domain.Principal, t domain.DocType, id int64, date domain.Date, note string) (domain.Document, error) {
	switch t {
	case domain.DocPurchaseReceipt, domain.DocPurchaseReturn, domain.DocPurchaseBill, domain.DocPayment, domain.DocLandedCost:
	default:
		return domain.Document{}, domain.ErrorKey(domain.EConflict, "error.not_reversible", nil, "orders and requisitions are closed, not reversed")
	}
	return s.reverseTrade(ctx, p, t, id, date, note, s.purchaseDoc)
}

// ReverseSalesDoc posts a reversal (红冲) of a posted shipment, sales
// return, invoice or receipt, the way ReversePurchaseDoc does for
// purchasing. A reversed shipment's goods come back and are held again for
// the order lines they were shipped on, as far as those still need them;
// orders and quotes are closed instead, counter sales are returned.
func (s *Service) ReverseSalesDoc(ctx context.Context, p *domain.Principal, t domain.DocType, id int64, date domain.Date, note string) (domain.Document, error) {
	switch t {
	case domain.DocSalesShipment, domain.DocSalesReturn, domain.DocSalesInvoice, domain.DocReceipt:
	default:
		return domain.Document{}, domain.ErrorKey(domain.EConflict, "error.not_reversible", nil, "orders and quotes are closed, not reversed")
	}
	return s.reverseTrade(ctx, p, t, id, date, note, s.salesDoc)
}

type docLoader func(ctx context.Context, tx *store.Tx, p *domain.Principal, t domain.DocType, id int64) (domain.Document, error)

func (s *Service) reverseTrade(ctx context.Context, p *domain.Principal, t domain.DocType, id int64, date domain.Date, note string, load docLoader) (domain.Document, error) {
	orig, err := docView(ctx, s, p, id, func(tx *store.Tx) (domain.Document, error) { return load(ctx, tx, p, t, id) })
	if err != nil {
		return orig, err
	}
	if orig.State != domain.DocPosted || orig.ReversedByID != nil || orig.ReversesID != nil {
		return orig, domain.ErrorKey(domain.EConflict, "error.not_reversible", nil, "only a posted document that is not a reversal and not yet reversed can be reversed")
	}
	if date.IsZero() {
		date = s.today()
	}
	if date.Before(orig.Date) {
		return orig, domain.FieldErr("date", "before_original")
	}
	r := orig
	r.ID, r.State, r.Date, r.ReversesID, r.ReversedByID, r.PostedBy, r.PostedAt = 0, domain.DocDraft, date, &orig.ID, nil, nil, nil
	r.CreatedBy, r.Note, r.Settled, r.Warnings = p.UserID, trim(note), 0, nil
	r.Lines, r.Charges = slices.Clone(orig.Lines), slices.Clone(orig.Charges)
	for i := range r.Lines {
		l := &r.Lines[i]
		l.ReceivedQty, l.ReturnedQty, l.BilledQty, l.OrderedQty = 0, 0, 0, 0
	}
	sc := &stockCtx{items: map[int64]domain.Item{}}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if sc.company, err = tx.Company(ctx, p.CompanyID); err != nil {
			return err
		}
		return loadItems(ctx, tx, p.CompanyID, r.Lines, sc.items)
	})
	if err != nil {
		return r, err
	}
	if err := s.number(ctx, sc, &r); err != nil {
		return r, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		cur, err := load(ctx, tx, p, t, id)
		if err != nil {
			return err
		}
		if cur.State != domain.DocPosted || cur.ReversedByID != nil {
			return domain.ErrorKey(domain.EConflict, "error.not_reversible", nil, "the document was reversed meanwhile")
		}
		if cur.Settled != 0 {
			return domain.ErrorKey(domain.EConflict, "error.settled_first", map[string]string{"amount": cur.Settled.String()},
				"undo its allocations (核销) first")
		}
		if n, err := tx.Followers(ctx, p.CompanyID, id); err != nil {
			return err
		} else if n > 0 {
			return domain.ErrorKey(domain.EConflict, "error.followers_first", map[string]string{"count": strconv.Itoa(n)},
				"reverse the returns, bills and landed costs of this receipt first")
		}
		if err := s.createDoc(ctx, tx, sc, &r); err != nil {
			return err
		}
		var tallies []store.LineTally
		switch t {
		case domain.DocPurchaseReceipt, domain.DocPurchaseReturn, domain.DocSalesShipment, domain.DocSalesReturn:
			values, err := tx.LineValues(ctx, orig.ID)
			if err != nil {
				return err
			}
			moves, locs, err := s.stockMoves(ctx, tx, sc, &orig)
			if err != nil {
				return err
			}
			index := map[int64]int{}
			for i, l := range orig.Lines {
				index[l.ID] = i
			}
			for i := range moves {
				m := &moves[i]
				k := index[m.LineID]
				o := orig.Lines[k]
				m.LineID = r.Lines[k].ID
				m.FromScope, m.ToScope = m.ToScope, m.FromScope
				if m.Kind == domain.MoveIn || m.Kind == domain.MoveReturnIn { // a receipt: back out of its own layer at what it is worth
					m.Kind, m.From, m.To, m.OrigLineID, m.Value = domain.MoveReturnOut, m.To, m.From, o.ID, values[o.ID]
				} else { // a return: back in at the value it left with
					m.Kind, m.From, m.To, m.Value, m.OrigLineID = domain.MoveReturnIn, m.To, m.From, -values[o.ID], o.ID
				}
			}
			if err := s.book(ctx, tx, &r, moves, locs); err != nil {
				return err
			}
			for _, l := range orig.Lines {
				if l.SourceLineID == 0 {
					continue
				}
				if t == domain.DocPurchaseReceipt || t == domain.DocSalesShipment {
					tallies = append(tallies, store.LineTally{ID: l.SourceLineID, Received: -l.StockQty()})
				} else {
					tallies = append(tallies, store.LineTally{ID: l.SourceLineID, Returned: -l.StockQty()})
				}
			}
		case domain.DocSalesInvoice:
			var ids []int64
			for _, l := range orig.Lines {
				tallies = append(tallies, store.LineTally{ID: l.SourceLineID, Billed: -l.BaseQty})
				ids = append(ids, l.SourceLineID)
			}
			shipped, err := tx.SourceLines(ctx, p.CompanyID, ids)
			if err != nil {
				return err
			}
			for _, l := range orig.Lines {
				if o := shipped[l.SourceLineID].SourceLineID; o != 0 { // the order line: on order again
					tallies = append(tallies, store.LineTally{ID: o, Billed: -l.BaseQty})
				}
			}
		case domain.DocPurchaseBill:
			var ids []int64
			for _, l := range orig.Lines {
				tallies = append(tallies, store.LineTally{ID: l.SourceLineID, Billed: -l.BaseQty})
				ids = append(ids, l.SourceLineID)
			}
			if orig.VarianceTo == "cost" {
				sources, err := tx.SourceLines(ctx, p.CompanyID, ids)
				if err != nil {
					return err
				}
				if err := s.varianceToCost(ctx, tx, &r, sources, -1); err != nil {
					return err
				}
			}
		case domain.DocLandedCost:
			var ids []int64
			for i := range r.Lines {
				r.Lines[i].Amount = -orig.Lines[i].Amount
				ids = append(ids, r.Lines[i].SourceLineID)
			}
			sources, err := tx.SourceLines(ctx, p.CompanyID, ids)
			if err != nil {
				return err
			}
			if err := s.landCosts(ctx, tx, &r, sources); err != nil {
				return err
			}
		}
		if err := tx.AddLineTallies(ctx, tallies); err != nil {
			return err
		}
		if t == domain.DocSalesShipment {
			if err := s.holdAgain(ctx, tx, &orig); err != nil {
				return err
			}
		}
		entries, err := tx.PartnerAmount(ctx, orig.ID)
		if err != nil {
			return err
		}
		for i := range entries {
			e := &entries[i]
			e.DocumentID, e.Date, e.DueDate, e.Amount = r.ID, r.Date, nil, -e.Amount
		}
		if err := tx.AppendPartnerLedger(ctx, p.CompanyID, entries); err != nil {
			return err
		}
		now := tx.Now
		r.PostedBy, r.PostedAt = &p.UserID, &now
		return linkReversal(ctx, tx, p, &r, &cur)
	})
	return r, err
}

// Unsettle undoes an allocation (核销) on account (store.Payable or
// Receivable: one side's permission does not undo the other's), audited.
func (s *Service) Unsettle(ctx context.Context, p *domain.Principal, account string, id int64) error {
	return s.db.Update(ctx, func(tx *store.Tx) error {
		st, err := tx.Unsettle(ctx, p.CompanyID, id, settleDebits[account])
		if err != nil {
			return err
		}
		return audit(ctx, tx, p, "settlement", id, "delete", &st, nil)
	})
}
