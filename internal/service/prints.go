package service

import (
	"context"
	"slices"
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// DocRefs are what a printed document shows for the ids it holds, read in
// the same snapshot as the document. A caller who may see the document
// sees these names too, even of a warehouse outside their data scope (the
// destination of a transfer).
type DocRefs struct {
	Company    domain.Company
	Items      map[int64]domain.Item
	Units      map[int64]domain.Unit
	Warehouses map[int64]domain.Warehouse
	Locations  map[int64]domain.Location
	Category   *domain.Category // a stocktake's scope
	Users      map[int64]string // display names (the username when there is none)
	Numbers    map[int64]string // related documents: the original, the reversal, the source
	Partner    *domain.Partner  // the supplier or customer
	Account    *domain.Account  // a payment's money account
	Applied    []Applied        // a receipt: the invoices it was applied to (核销)
	Now        time.Time        // in the business time zone
}

// Applied is a document a receipt was applied to, and by how much.
type Applied struct {
	Number string
	Date   domain.Date
	Amount domain.Money
}

// Prints read in one snapshot (store.DB.Snapshot): on PostgreSQL a read
// outside a transaction takes a snapshot per statement, and a paper copy
// must not show a header from before an edit with lines from after it, or
// a pick list whose holds were taken by a shipment its lines have not seen.

// StockDocForPrint reads a warehouse document (costs blanked for callers
// without data.cost.read, as StockDoc) with the names its print shows.
func (s *Service) StockDocForPrint(ctx context.Context, p *domain.Principal, id int64) (domain.Document, DocRefs, error) {
	var d domain.Document
	var r DocRefs
	err := s.db.Snapshot(ctx, func(tx *store.Tx) error {
		var err error
		if d, err = s.stockDoc(ctx, tx, p, id); err != nil {
			return err
		}
		r, err = s.docRefs(ctx, tx, p, &d)
		return err
	})
	if err != nil {
		return domain.Document{}, DocRefs{}, err
	}
	return hideBook(p, hideDocCosts(p, []domain.Document{d})[0]), r, nil
}

// PurchaseDocForPrint reads a purchasing document of type t with the names
// its print shows.
func (s *Service) PurchaseDocForPrint(ctx context.Context, p *domain.Principal, t domain.DocType, id int64) (domain.Document, DocRefs, error) {
	var d domain.Document
	var r DocRefs
	err := s.db.Snapshot(ctx, func(tx *store.Tx) error {
		var err error
		if d, err = s.purchaseDoc(ctx, tx, p, t, id); err != nil {
			return err
		}
		r, err = s.docRefs(ctx, tx, p, &d)
		return err
	})
	if err != nil {
		return d, r, err
	}
	return hidePurchaseMoney(p, []domain.Document{d})[0], r, nil
}

// docRefs reads the names a document's print shows, in tx.
func (s *Service) docRefs(ctx context.Context, tx *store.Tx, p *domain.Principal, d *domain.Document) (DocRefs, error) {
	r := DocRefs{Items: map[int64]domain.Item{}, Units: map[int64]domain.Unit{}, Warehouses: map[int64]domain.Warehouse{},
		Locations: map[int64]domain.Location{}, Users: map[int64]string{}, Numbers: map[int64]string{}, Now: s.db.Now().In(s.loc())}
	err := func() error {
		var err error
		if r.Company, err = tx.Company(ctx, p.CompanyID); err != nil {
			return err
		}
		if d.PartnerID != nil {
			pt, err := tx.Partner(ctx, p.CompanyID, *d.PartnerID)
			if err != nil {
				return err
			}
			r.Partner = &pt
		}
		if d.AccountID != nil {
			a, err := tx.Account(ctx, p.CompanyID, *d.AccountID)
			if err != nil {
				return err
			}
			r.Account = &a
		}
		var whs []int64
		if d.WarehouseID != 0 {
			whs = append(whs, d.WarehouseID)
		}
		if d.ToWarehouseID != nil {
			whs = append(whs, *d.ToWarehouseID)
		}
		for _, w := range whs {
			if r.Warehouses[w], err = tx.Warehouse(ctx, p.CompanyID, w); err != nil {
				return err
			}
			locs, err := tx.Locations(ctx, p.CompanyID, w, "all")
			if err != nil {
				return err
			}
			for _, l := range locs {
				r.Locations[l.ID] = l
			}
		}
		var itemIDs []int64
		for _, l := range d.Lines {
			if !slices.Contains(itemIDs, l.ItemID) {
				itemIDs = append(itemIDs, l.ItemID)
			}
			if _, ok := r.Units[l.UnitID]; !ok && l.UnitID != 0 {
				if r.Units[l.UnitID], err = tx.Unit(ctx, p.CompanyID, l.UnitID); err != nil {
					return err
				}
			}
		}
		const chunk = 500 // the most one list query returns
		for k := 0; k < len(itemIDs); k += chunk {
			f := store.ItemFilter{ListFilter: store.ListFilter{CompanyID: p.CompanyID, Archived: "all", Page: store.Page{Limit: chunk}},
				IDs: itemIDs[k:min(k+chunk, len(itemIDs))]}
			items, _, err := tx.ListItems(ctx, f)
			if err != nil {
				return err
			}
			for _, it := range hidePrices(p, items) {
				r.Items[it.ID] = it
			}
		}
		// Base units the lines did not name (UnitID 0 = the base unit).
		for _, it := range r.Items {
			if _, ok := r.Units[it.BaseUnitID]; !ok && it.BaseUnitID != 0 {
				if r.Units[it.BaseUnitID], err = tx.Unit(ctx, p.CompanyID, it.BaseUnitID); err != nil {
					return err
				}
			}
		}
		if d.ScopeCategoryID != nil {
			c, err := tx.Category(ctx, p.CompanyID, *d.ScopeCategoryID)
			if err != nil {
				return err
			}
			r.Category = &c
		}
		for _, u := range []*int64{&d.CreatedBy, d.PostedBy, d.SalespersonID} {
			if u == nil || *u == 0 {
				continue
			}
			name, err := userName(ctx, tx, *u)
			if err != nil {
				return err
			}
			if name != "" {
				r.Users[*u] = name
			}
		}
		for _, other := range []*int64{d.ReversesID, d.ReversedByID, d.SourceID} {
			if other == nil {
				continue
			}
			o, err := tx.Document(ctx, p.CompanyID, *other)
			if err != nil {
				return err
			}
			r.Numbers[o.ID] = o.Number
		}
		if d.Type == domain.DocReceipt {
			settled, err := tx.Settlements(ctx, p.CompanyID, d.ID, settleDebits[store.Receivable])
			if err != nil {
				return err
			}
			for _, st := range settled {
				if st.CreditID != d.ID {
					continue
				}
				inv, err := tx.Document(ctx, p.CompanyID, st.DebitID)
				if err != nil {
					return err
				}
				r.Applied = append(r.Applied, Applied{Number: inv.Number, Date: inv.Date, Amount: st.Amount})
			}
		}
		return nil
	}()
	return r, err
}

// SalesDocForPrint reads a sales document of type t with the names its
// print shows. Prices are the customer's and print for everyone who may
// read the document; the cost of the goods is blanked as in SalesDoc.
func (s *Service) SalesDocForPrint(ctx context.Context, p *domain.Principal, t domain.DocType, id int64) (domain.Document, DocRefs, error) {
	var d domain.Document
	var r DocRefs
	err := s.db.Snapshot(ctx, func(tx *store.Tx) error {
		var err error
		if d, err = s.salesDoc(ctx, tx, p, t, id); err != nil {
			return err
		}
		r, err = s.docRefs(ctx, tx, p, &d)
		return err
	})
	if err != nil {
		return domain.Document{}, DocRefs{}, err
	}
	return hideSalesCost(p, []domain.Document{d})[0], r, nil
}

// Pick is one row of an order's pick list (拣货单): what a line holds in
// one bin and batch, or, with Unreserved, what it still has to ship that
// nothing holds (no stock was free when the order was confirmed, or it is
// not confirmed yet). Quantities are base units.
type Pick struct {
	store.Reservation
	Expiry     *domain.Date
	Unreserved bool
}

// PickListForPrint reads a sales order, its pick list and the names the
// print shows.
func (s *Service) PickListForPrint(ctx context.Context, p *domain.Principal, id int64) (domain.Document, []Pick, DocRefs, error) {
	var d domain.Document
	var picks []Pick
	var r DocRefs
	err := s.db.Snapshot(ctx, func(tx *store.Tx) error {
		var err error
		if d, err = s.salesDoc(ctx, tx, p, domain.DocSalesOrder, id); err != nil {
			return err
		}
		held, err := orderReservations(ctx, tx, d)
		if err != nil {
			return err
		}
		keys := make([]domain.BalanceKey, len(held))
		for i, h := range held {
			keys[i] = h.BalanceKey
		}
		exp, err := tx.Expiries(ctx, p.CompanyID, d.WarehouseID, keys)
		if err != nil {
			return err
		}
		for _, h := range held {
			pk := Pick{Reservation: h}
			if e, ok := exp[h.BalanceKey]; ok {
				pk.Expiry = &e
			}
			picks = append(picks, pk)
		}
		if !d.Closed && d.State != domain.DocCancelled {
			for _, l := range d.Lines {
				if left := l.BaseQty - l.ReceivedQty - l.ReservedQty; left > 0 && !l.Closed {
					picks = append(picks, Pick{Reservation: store.Reservation{LineID: l.ID, DocumentID: d.ID,
						Take: domain.Take{BalanceKey: domain.BalanceKey{ItemID: l.ItemID}, Qty: left}}, Unreserved: true})
				}
			}
		}
		r, err = s.docRefs(ctx, tx, p, &d)
		return err
	})
	if err != nil {
		return domain.Document{}, nil, DocRefs{}, err
	}
	return hideSalesCost(p, []domain.Document{d})[0], picks, r, nil
}
