package service

import (
	"cmp"
	"context"
	"strconv"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// The counter (see domain/pos.go): a counter sale posts its lines, their
// stock issue and its payments in one transaction; a counter return takes
// goods of a sale back and refunds them the same way. Both are posted when
// made; the HTTP layer's Idempotency-Key makes a retried submit return the
// first sale instead of making a second.

// POSDocs lists counter sales or returns, each with its payments and its
// cashier's name: whoever reads counter sales need not read the users
// (settings.user.read) to see who sold.
func (s *Service) POSDocs(ctx context.Context, p *domain.Principal, t domain.DocType, f DocFilter) ([]domain.Document, int, error) {
	return s.posDocs(ctx, p, t, f, true)
}

// posDocs is POSDocs, the payments and names read only when full.
func (s *Service) posDocs(ctx context.Context, p *domain.Principal, t domain.DocType, f DocFilter, full bool) ([]domain.Document, int, error) {
	if !t.IsPOS() {
		return nil, 0, domain.FieldErr("type", "one_of")
	}
	f.CompanyID, f.Types = p.CompanyID, []domain.DocType{t}
	if !p.IsAdmin {
		f.Warehouses = p.Warehouses
	}
	docs, n, err := list(ctx, s, func(tx *store.Tx) ([]domain.Document, int, error) {
		docs, n, err := tx.ListDocuments(ctx, f)
		if err != nil || !full || len(docs) == 0 {
			return docs, n, err
		}
		ids := make([]int64, len(docs))
		for i, d := range docs {
			ids[i] = d.ID
		}
		pays, err := tx.PaymentsOf(ctx, p.CompanyID, ids)
		if err != nil {
			return nil, 0, err
		}
		names := map[int64]string{}
		for i := range docs {
			d := &docs[i]
			d.Payments = pays[d.ID]
			name, ok := names[d.CreatedBy]
			if !ok {
				if name, err = userName(ctx, tx, d.CreatedBy); err != nil {
					return nil, 0, err
				}
				names[d.CreatedBy] = name
			}
			d.CreatedByName = name
		}
		return docs, n, nil
	})
	return hideSalesCost(p, docs), n, err
}

// userName is how documents and prints name user id: the display name, or
// the username when there is none; "" for a user that is gone.
func userName(ctx context.Context, tx *store.Tx, id int64) (string, error) {
	u, err := tx.User(ctx, id)
	if domain.ErrorCode(err) == domain.ENotFound {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return cmp.Or(u.DisplayName, u.Username), nil
}

// POSTakings adds up the counter's sales and refunds over a range, by
// payment method (交班对账): the whole company's, a warehouse's or one
// cashier's, within the caller's warehouses. Without dates it is today's.
func (s *Service) POSTakings(ctx context.Context, p *domain.Principal, f store.POSTakingsFilter) (store.POSTakings, error) {
	if err := s.posRange(p, &f); err != nil {
		return store.POSTakings{}, err
	}
	return view(ctx, s, func(tx *store.Tx) (store.POSTakings, error) { return tx.POSTakings(ctx, f) })
}

// POSCashiers lists who rang up counter sales or returns over f's days
// (today when left out) in its store, within the caller's stores: the
// 零售单 list's cashier filter, for readers who may not read the users.
func (s *Service) POSCashiers(ctx context.Context, p *domain.Principal, f store.POSTakingsFilter) ([]store.POSCashier, error) {
	if err := s.posRange(p, &f); err != nil {
		return nil, err
	}
	return view(ctx, s, func(tx *store.Tx) ([]store.POSCashier, error) { return tx.POSCashiers(ctx, f) })
}

// posRange fills in f's days (today when left out), company and the
// caller's stores, and refuses a range that ends before it starts.
func (s *Service) posRange(p *domain.Principal, f *store.POSTakingsFilter) error {
	today := s.today()
	if f.From.IsZero() {
		f.From = today
	}
	if f.To.IsZero() {
		f.To = today
	}
	if f.To.Before(f.From) {
		return domain.FieldErr("to", "min", "min", f.From.String())
	}
	f.CompanyID = p.CompanyID
	if !p.IsAdmin {
		f.Warehouses = p.Warehouses
	}
	return nil
}

// POSDoc loads one counter sale or return.
func (s *Service) POSDoc(ctx context.Context, p *domain.Principal, t domain.DocType, id int64) (domain.Document, error) {
	if !t.IsPOS() {
		return domain.Document{}, notFoundErr("document", id)
	}
	return s.SalesDoc(ctx, p, t, id)
}

// POSSaleByNumber finds a posted counter sale by the number on its receipt
// (for a return).
func (s *Service) POSSaleByNumber(ctx context.Context, p *domain.Principal, number string) (domain.Document, error) {
	docs, _, err := s.posDocs(ctx, p, domain.DocPOSSale, DocFilter{ListFilter: store.ListFilter{Q: trim(number), Page: store.Page{Limit: 5}}}, false)
	if err != nil {
		return domain.Document{}, err
	}
	for _, d := range docs {
		if d.Number == trim(number) {
			return s.POSDoc(ctx, p, domain.DocPOSSale, d.ID)
		}
	}
	return domain.Document{}, domain.ErrorKey(domain.ENotFound, "error.sale_not_found", map[string]string{"number": trim(number)}, "no counter sale has this number")
}

// CreatePOSSale makes and posts a counter sale: lines priced (the unit's
// retail price when none is given: a scanned box sells at the box price),
// discounts, the goods out at cost, the payments (cash change worked out),
// and what store credit paid taken off the customer's prepaid balance.
func (s *Service) CreatePOSSale(ctx context.Context, p *domain.Principal, d domain.Document) (domain.Document, error) {
	d.Type, d.TaxIncluded = domain.DocPOSSale, true
	return s.createPOS(ctx, p, d)
}

// CreatePOSReturn makes and posts a counter return of lines of a sale: the
// goods come back at what they cost and the refund is what those lines
// were paid (their share of the whole-bill discount included).
func (s *Service) CreatePOSReturn(ctx context.Context, p *domain.Principal, d domain.Document) (domain.Document, error) {
	d.Type = domain.DocPOSReturn
	return s.createPOS(ctx, p, d)
}

func (s *Service) createPOS(ctx context.Context, p *domain.Principal, d domain.Document) (domain.Document, error) {
	d.ID, d.CompanyID, d.State, d.CreatedBy = 0, p.CompanyID, domain.DocDraft, p.UserID
	d.ReversesID, d.ReversedByID, d.PostedBy, d.PostedAt, d.Settled, d.Closed = nil, nil, nil, nil, 0, false
	d.Reason, d.ToWarehouseID, d.SourceID, d.AccountID, d.DueDate, d.ExpectedDate = "", nil, nil, nil, nil, nil
	d.Date = s.today()
	d.Note = trim(d.Note)
	if err := d.ValidatePOS(); err != nil {
		return d, err
	}
	if !p.CanWarehouse(d.WarehouseID) {
		return d, domain.FieldErr("warehouse_id", "unknown_reference")
	}
	sc := &salesCtx{stockCtx: stockCtx{items: map[int64]domain.Item{}}}
	err := s.db.View(ctx, func(tx *store.Tx) error {
		var err error
		if sc.company, err = tx.Company(ctx, p.CompanyID); err != nil {
			return err
		}
		if err := tx.MustExist(ctx, "warehouses", p.CompanyID, "warehouse_id", d.WarehouseID); err != nil {
			return err
		}
		var ids []int64
		for _, l := range d.Lines {
			ids = append(ids, l.SourceLineID)
		}
		if d.Type == domain.DocPOSReturn {
			if sc.sources, err = tx.SourceLines(ctx, p.CompanyID, ids); err != nil {
				return err
			}
			if err := fillFromSale(&d, sc.sources); err != nil {
				return err
			}
		}
		if d.PartnerID != nil {
			if sc.partner, err = tx.PartnerRecord(ctx, p.CompanyID, *d.PartnerID); err != nil || !sc.partner.Kind.IsCustomer() {
				return domain.FieldErr("partner_id", "not_customer")
			}
			if d.SalespersonID == nil {
				d.SalespersonID = sc.partner.SalespersonID
			}
		}
		for i, pm := range d.Payments {
			if pm.AccountID == nil {
				continue
			}
			a, err := tx.Account(ctx, p.CompanyID, *pm.AccountID)
			if err != nil || a.Archived {
				return domain.FieldErr(paymentsField(i, "account_id"), "unknown_reference")
			}
		}
		if err := loadItems(ctx, tx, p.CompanyID, d.Lines, sc.items); err != nil {
			return err
		}
		if d.Type == domain.DocPOSSale {
			return s.pickBatches(ctx, tx, sc, &d)
		}
		return nil
	})
	if err != nil {
		return d, err
	}
	if d.SalespersonID == nil && p.UserID != 0 {
		d.SalespersonID = &p.UserID
	}
	if d.Type == domain.DocPOSSale {
		if err := s.autoPrice(ctx, p, &d); err != nil {
			return d, err
		}
		if err := s.loadMissing(ctx, p.CompanyID, d.Lines, sc.items); err != nil {
			return d, err
		}
	}
	var errs []error
	d.TotalQty = 0
	for i := range d.Lines {
		l := &d.Lines[i]
		it, ok := sc.items[l.ItemID]
		if !ok {
			errs = append(errs, domain.FieldErr(linesField(i, "item_id"), "unknown_reference"))
			continue
		}
		if d.Type == domain.DocPOSSale {
			l.TaxRate = it.TaxRate
		}
		if err := d.ResolveLine(i, &it); err != nil {
			errs = append(errs, err)
			continue
		}
		if d.Type == domain.DocPOSSale {
			if err := priceLine(p, l, &it, i, true); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		d.TotalQty += l.BaseQty
	}
	if err := joinInvalid(errs...); err != nil {
		return d, err
	}
	if d.Type == domain.DocPOSSale {
		if err := d.PriceTrade(); err != nil {
			return d, err
		}
	} else if err := refundLines(&d, sc.sources); err != nil {
		return d, err
	}
	if d.Payments, err = domain.Tender(d.GrossAmount, d.Payments, d.PartnerID != nil, d.Type == domain.DocPOSReturn); err != nil {
		return d, err
	}
	if err := s.number(ctx, &sc.stockCtx, &d); err != nil {
		return d, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := s.createDoc(ctx, tx, &sc.stockCtx, &d); err != nil {
			return err
		}
		if err := tx.SavePayments(ctx, &d); err != nil {
			return err
		}
		if err := s.postPOS(ctx, tx, p, sc, &d); err != nil {
			return err
		}
		return audit(ctx, tx, p, "document", d.ID, "create", nil, &d)
	})
	if err != nil {
		return d, err
	}
	return s.POSDoc(ctx, p, d.Type, d.ID)
}

func paymentsField(i int, f string) string { return "payments[" + strconv.Itoa(i) + "]." + f }

// fillFromSale takes the item, unit, prices, batch and bin of the sale
// lines a return's lines name; they must all be of one posted sale.
func fillFromSale(d *domain.Document, sources map[int64]store.SourceLine) error {
	var f domain.Fields
	var sale int64
	for i := range d.Lines {
		l := &d.Lines[i]
		src, ok := sources[l.SourceLineID]
		field := linesField(i, "source_line_id")
		switch {
		case !ok || src.DocType != domain.DocPOSSale:
			f.Add(field, "unknown_reference")
			continue
		case src.State != domain.DocPosted || src.Reversed:
			f.Add(field, "source_not_posted")
			continue
		case sale != 0 && src.DocumentID != sale:
			f.Add(field, "other_sale")
			continue
		}
		sale = src.DocumentID
		l.ItemID, l.UnitID, l.Price, l.TaxRate, l.DiscountRate, l.Batch = src.ItemID, src.UnitID, src.Price, src.TaxRate, src.DiscountRate, src.Batch
		if l.LocationID == 0 {
			l.LocationID = src.LocationID
		}
		if src.PartnerID != 0 {
			pid := src.PartnerID
			d.PartnerID = &pid
		}
		if src.WarehouseID != d.WarehouseID {
			f.Add(field, "source_other_warehouse")
		}
	}
	if sale != 0 {
		d.SourceID = &sale
	}
	d.TaxIncluded = true
	return f.Err()
}

// refundLines prices a return's lines at what their sale lines were paid:
// each its share of the sale line's net, tax and gross by quantity.
func refundLines(d *domain.Document, sources map[int64]store.SourceLine) error {
	d.TotalAmount, d.TaxAmount, d.GrossAmount = 0, 0, 0
	for i := range d.Lines {
		l := &d.Lines[i]
		src := sources[l.SourceLineID]
		if src.BaseQty <= 0 {
			return domain.FieldErr(linesField(i, "source_line_id"), "unknown_reference")
		}
		var err error
		if l.Amount, l.Tax, l.Gross, err = src.PaidFor(l.BaseQty); err != nil {
			return err
		}
		d.TotalAmount += l.Amount
		d.TaxAmount += l.Tax
		d.GrossAmount += l.Gross
	}
	return nil
}

// postPOS moves the goods and writes the customer's account for what
// store credit paid (a sale takes it from their prepaid receipts, oldest
// first; a return gives it back).
func (s *Service) postPOS(ctx context.Context, tx *store.Tx, p *domain.Principal, sc *salesCtx, d *domain.Document) error {
	var tallies []store.LineTally
	moves, locs, err := s.stockMoves(ctx, tx, &sc.stockCtx, d)
	if err != nil {
		return err
	}
	if d.Type == domain.DocPOSReturn {
		if err := tx.LockDocument(ctx, p.CompanyID, *d.SourceID); err != nil {
			return err
		}
		ids := make([]int64, 0, len(d.Lines))
		for _, l := range d.Lines {
			ids = append(ids, l.SourceLineID)
		}
		sources, err := tx.SourceLines(ctx, p.CompanyID, ids)
		if err != nil {
			return err
		}
		var f domain.Fields
		for i, l := range d.Lines {
			src := sources[l.SourceLineID]
			if left := src.BaseQty - src.ReturnedQty; l.BaseQty > left {
				f.Add(linesField(i, "qty"), "over_return", "max", max(left, 0).Short())
				continue
			}
			src.ReturnedQty += l.BaseQty
			sources[l.SourceLineID] = src
			tallies = append(tallies, store.LineTally{ID: l.SourceLineID, Returned: l.BaseQty})
		}
		if err := f.Err(); err != nil {
			return err
		}
		values, err := tx.LineValues(ctx, *d.SourceID)
		if err != nil {
			return err
		}
		for i := range moves {
			m := &moves[i]
			v, err := (-values[m.OrigLineID]).Share(m.Qty, sources[m.OrigLineID].BaseQty)
			if err != nil {
				return err
			}
			m.Value = max(v, 0)
		}
	}
	if err := s.book(ctx, tx, d, moves, locs); err != nil {
		return err
	}
	if d.Type == domain.DocPOSSale {
		if err := tx.SetShipCosts(ctx, d.Lines); err != nil {
			return err
		}
	}
	if err := tx.AddLineTallies(ctx, tallies); err != nil {
		return err
	}
	var credit domain.Money
	for _, pm := range d.Payments {
		if pm.Method == domain.PayStoreCredit {
			credit += pm.Amount
		}
	}
	if credit != 0 {
		amount := domain.AccountAmount(d.Type, domain.DocPosted, false, true, d.GrossAmount, credit)
		if err := tx.AppendPartnerLedger(ctx, p.CompanyID, []store.PartnerEntry{{PartnerID: *d.PartnerID, Kind: store.Receivable,
			DocumentID: d.ID, DocType: d.Type, Date: d.Date, Amount: amount}}); err != nil {
			return err
		}
	}
	now := tx.Now
	d.PostedBy, d.PostedAt = &p.UserID, &now
	if err := tx.SetDocState(ctx, d, domain.DocPosted, domain.DocDraft); err != nil {
		return err
	}
	if credit != 0 && d.Type == domain.DocPOSSale {
		return s.payFromStoreCredit(ctx, tx, p, d, credit)
	}
	return nil
}

// payFromStoreCredit settles what store credit paid of a sale against the
// customer's open credits (prepaid receipts and credited returns), oldest
// first; there must be enough.
func (s *Service) payFromStoreCredit(ctx context.Context, tx *store.Tx, p *domain.Principal, d *domain.Document, credit domain.Money) error {
	if err := tx.LockPartner(ctx, p.CompanyID, *d.PartnerID); err != nil {
		return err
	}
	open, err := tx.OpenItems(ctx, p.CompanyID, *d.PartnerID, store.Receivable)
	if err != nil {
		return err
	}
	left := credit
	var plan []SettleItem
	for _, it := range open {
		if left <= 0 {
			break
		}
		if it.Open >= 0 || it.DocumentID == d.ID {
			continue
		}
		amt := min(left, -it.Open)
		plan = append(plan, SettleItem{DebitID: d.ID, CreditID: it.DocumentID, Amount: amt})
		left -= amt
	}
	if left > 0 {
		return domain.ErrorKey(domain.EConflict, "error.store_credit_short", map[string]string{"short": left.String()},
			"the customer's store credit is short by "+left.String())
	}
	_, err = s.settle(ctx, tx, p, *d.PartnerID, plan, store.Receivable)
	return err
}

// POSSetupInfo is what the counter needs to start.
type POSSetupInfo struct {
	Company    string
	Accounts   []domain.Account
	Warehouses []domain.Warehouse
}

// POSSetup reads the company's name, its active money accounts and the
// warehouses the cashier may sell from.
func (s *Service) POSSetup(ctx context.Context, p *domain.Principal) (POSSetupInfo, error) {
	var out POSSetupInfo
	err := s.db.View(ctx, func(tx *store.Tx) error {
		co, err := tx.Company(ctx, p.CompanyID)
		if err != nil {
			return err
		}
		out.Company = co.Name
		page := store.Page{Limit: 500}
		if out.Accounts, _, err = tx.ListAccounts(ctx, store.AccountFilter{ListFilter: store.ListFilter{CompanyID: p.CompanyID, Sort: "code", Page: page}}); err != nil {
			return err
		}
		var scope map[int64]bool
		if !p.IsAdmin {
			scope = p.Warehouses
		}
		out.Warehouses, _, err = tx.ListWarehouses(ctx, store.ListFilter{CompanyID: p.CompanyID, Sort: "code", Page: page}, scope)
		return err
	})
	if out.Accounts == nil {
		out.Accounts = []domain.Account{}
	}
	if out.Warehouses == nil {
		out.Warehouses = []domain.Warehouse{}
	}
	return out, err
}

// POSDocForPrint reads a counter sale or return with the names its receipt
// shows.
func (s *Service) POSDocForPrint(ctx context.Context, p *domain.Principal, t domain.DocType, id int64) (domain.Document, DocRefs, error) {
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
		return d, r, err
	}
	if !t.IsPOS() {
		return domain.Document{}, DocRefs{}, notFoundErr("document", id)
	}
	return hideSalesCost(p, []domain.Document{d})[0], r, nil
}

// pickBatches fills the batch of counter lines of batch-tracked items that
// name none: first expiring first among what is free, splitting a line
// over batches when one does not hold enough (the cashier scans the item,
// not the batch).
func (s *Service) pickBatches(ctx context.Context, tx *store.Tx, sc *salesCtx, d *domain.Document) error {
	out := make([]domain.DocLine, 0, len(d.Lines))
	for _, l := range d.Lines {
		it, ok := sc.items[l.ItemID]
		if !ok || it.Tracking != domain.TrackBatch || l.Batch != "" || l.LocationID != 0 {
			out = append(out, l)
			continue
		}
		factor := unitFactor(&it, l.UnitID)
		opts, err := tx.FEFO(ctx, d.CompanyID, l.ItemID, d.WarehouseID, qtyBase(l.Qty, factor))
		if err != nil {
			return err
		}
		var takes []domain.Take
		for _, o := range opts {
			if o.Take > 0 {
				takes = append(takes, domain.Take{BalanceKey: domain.BalanceKey{ItemID: l.ItemID, LocationID: o.LocationID, Batch: o.Batch}, Qty: o.Take})
			}
		}
		if len(takes) == 0 {
			out = append(out, l) // nothing free: the posting says so
			continue
		}
		out = append(out, splitByTakes(l, takes, factor)...)
	}
	d.Lines = out
	return nil
}
