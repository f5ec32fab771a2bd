package service

import (
	"context"
	"maps"
	"slices"
	"strconv"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// Sales: quotations, orders that reserve stock, shipments, returns,
// invoices and receipts on the document framework (see domain/sales.go for
// the rules). Shipments and returns move goods through the same book as
// every other document; invoices, credited returns and receipts write the
// customer's account.

// SalesDocs lists sales documents of one type.
func (s *Service) SalesDocs(ctx context.Context, p *domain.Principal, t domain.DocType, f DocFilter) ([]domain.Document, int, error) {
	if !t.IsSales() {
		return nil, 0, domain.FieldErr("type", "one_of")
	}
	f.CompanyID, f.Types = p.CompanyID, []domain.DocType{t}
	if !p.IsAdmin && t != domain.DocSalesInvoice && t != domain.DocReceipt {
		f.Warehouses = p.Warehouses
	}
	docs, n, err := list(ctx, s, func(tx *store.Tx) ([]domain.Document, int, error) { return tx.ListDocuments(ctx, f) })
	return hideSalesCost(p, docs), n, err
}

// hideSalesCost blanks the cost of goods for callers without
// data.cost.read: a salesperson sees prices, not margins.
func hideSalesCost(p *domain.Principal, docs []domain.Document) []domain.Document {
	if p.Can("data.cost.read") {
		return docs
	}
	for i := range docs {
		for j := range docs[i].Lines {
			docs[i].Lines[j].Cost = 0
		}
	}
	return docs
}

// SalesDoc loads one sales document of type t.
func (s *Service) SalesDoc(ctx context.Context, p *domain.Principal, t domain.DocType, id int64) (domain.Document, error) {
	d, err := docView(ctx, s, p, id, func(tx *store.Tx) (domain.Document, error) { return s.salesDoc(ctx, tx, p, t, id) })
	if err != nil {
		return d, err
	}
	return hideSalesCost(p, []domain.Document{d})[0], nil
}

func (s *Service) salesDoc(ctx context.Context, tx *store.Tx, p *domain.Principal, t domain.DocType, id int64) (domain.Document, error) {
	return s.purchaseDoc(ctx, tx, p, t, id) // one rule for any trade document: its type, in the caller's warehouses
}

// salesCtx is what preparing and posting a sales document knows.
type salesCtx struct {
	stockCtx
	partner domain.Partner
	sources map[int64]store.SourceLine
	opts    ActOpts
}

// prepareSalesDoc validates a document, fills lines that follow a quote,
// an order or a shipment from their source, prices new lines, resolves
// units and computes the amounts, in a read snapshot before any write
// transaction opens.
func (s *Service) prepareSalesDoc(ctx context.Context, p *domain.Principal, d *domain.Document) (*salesCtx, error) {
	d.Note, d.Ref = trim(d.Note), trim(d.Ref)
	d.Reason, d.ToWarehouseID, d.TwoStep, d.Blind, d.VarianceTo, d.AllocateBy, d.Charges = "", nil, false, false, "", "", nil
	switch d.Type {
	case domain.DocReceipt:
		d.WarehouseID, d.TotalAmount, d.TaxAmount, d.TotalQty = 0, d.GrossAmount, 0, 0
	case domain.DocSalesInvoice:
		d.WarehouseID = 0
	}
	for i := range d.Lines {
		d.Lines[i].Batch, d.Lines[i].Note, d.Lines[i].RejectedQty = trim(d.Lines[i].Batch), trim(d.Lines[i].Note), 0
	}
	if err := d.ValidateSales(); err != nil {
		return nil, err
	}
	if d.WarehouseID != 0 && !p.CanWarehouse(d.WarehouseID) {
		return nil, domain.FieldErr("warehouse_id", "unknown_reference")
	}
	sc := &salesCtx{stockCtx: stockCtx{items: map[int64]domain.Item{}}}
	moves := d.Type == domain.DocSalesShipment || d.Type == domain.DocSalesReturn
	reads := sc.firstReads(ctx, p, d, moves, func(tx *store.Tx) error {
		pt, err := tx.PartnerRecord(ctx, p.CompanyID, *d.PartnerID)
		if err != nil || !pt.Kind.IsCustomer() {
			return domain.FieldErr("partner_id", "not_customer")
		}
		sc.partner = pt
		return nil
	})
	var also []func(tx *store.Tx)
	if d.Type == domain.DocSalesShipment { // the holds it picks from (answered unless the sources change which)
		also = append(also, func(tx *store.Tx) { _, _ = tx.Reservations(ctx, d.CompanyID, pickedLineIDs(d)) })
	}
	err := s.viewAhead(ctx, p, d, reads, func(tx *store.Tx) error {
		var err error
		if d.AccountID != nil {
			a, err := tx.Account(ctx, p.CompanyID, *d.AccountID)
			if err != nil || a.Archived {
				return domain.FieldErr("account_id", "unknown_reference")
			}
		}
		if d.SalespersonID != nil {
			if _, err := tx.UserRecord(ctx, *d.SalespersonID); err != nil {
				return domain.FieldErr("salesperson_id", "unknown_reference")
			}
		}
		if d.Type == domain.DocReceipt && d.SourceID != nil { // a deposit on an order
			o, err := tx.Document(ctx, p.CompanyID, *d.SourceID)
			if err != nil || o.Type != domain.DocSalesOrder || o.PartnerID == nil || *o.PartnerID != *d.PartnerID ||
				o.State == domain.DocCancelled {
				return domain.FieldErr("source_id", "unknown_reference")
			}
			if d.SalespersonID == nil {
				d.SalespersonID = o.SalespersonID
			}
		}
		if sc.sources, err = tx.SourceLines(ctx, p.CompanyID, sourceLineIDs(d)); err != nil {
			return err
		}
		if err := fillFromSalesSources(d, sc.sources); err != nil {
			return err
		}
		if err := loadItems(ctx, tx, p.CompanyID, d.Lines, sc.items); err != nil { // answered ahead unless the sources filled lines
			return err
		}
		if d.Type == domain.DocSalesShipment {
			return s.pickFromReservations(ctx, tx, sc, d)
		}
		return nil
	}, also...)
	if err != nil {
		return nil, err
	}
	if d.SalespersonID == nil {
		switch {
		case len(sc.sources) > 0:
			for _, src := range sc.sources {
				d.SalespersonID = src.Salesperson
				break
			}
		case sc.partner.SalespersonID != nil:
			d.SalespersonID = sc.partner.SalespersonID
		}
		if d.SalespersonID == nil && p.UserID != 0 { // the system (demo data) is nobody's salesperson
			d.SalespersonID = &p.UserID
		}
	}
	if d.Type == domain.DocReceipt {
		return sc, nil
	}
	if d.Type != domain.DocSalesInvoice && d.Type != domain.DocSalesReturn {
		if err := s.autoPrice(ctx, p, d); err != nil {
			return nil, err
		}
		if err := s.loadMissing(ctx, p.CompanyID, d.Lines, sc.items); err != nil {
			return nil, err
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
		if l.ItemTax && l.SourceLineID == 0 {
			l.TaxRate = it.TaxRate
		}
		if err := d.ResolveLine(i, &it); err != nil {
			errs = append(errs, err)
			continue
		}
		if l.SourceLineID == 0 {
			if err := priceLine(p, l, &it, i, false); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		d.TotalQty += l.BaseQty
	}
	if err := joinInvalid(errs...); err != nil {
		return nil, err
	}
	if err := priceFollowing(d, sc.sources); err != nil {
		return nil, err
	}
	if d.Type == domain.DocSalesInvoice && d.DueDate == nil {
		due := domain.DueDate(d.Date, sc.partner.PaymentTermsDays)
		d.DueDate = &due
	}
	return sc, nil
}

// priceLine fills in the price of a new line that has none: the item's
// price for the unit (wholesale, else retail; at the counter retail), and
// guards the minimum price: below it only sales.price.override may sell.
func priceLine(p *domain.Principal, l *domain.DocLine, it *domain.Item, i int, retail bool) error {
	unitPrice := func(base domain.Price, unit func(domain.ItemUnit) domain.Price) domain.Price {
		for _, u := range it.Units {
			if u.UnitID == l.UnitID && l.UnitID != it.BaseUnitID {
				if v := unit(u); v > 0 {
					return v
				}
				return domain.PriceInUnit(base, domain.QtyOne, u.Factor)
			}
		}
		return base
	}
	if l.Price == 0 && l.PriceRule == "" {
		if !retail {
			l.Price = unitPrice(it.WholesalePrice, func(u domain.ItemUnit) domain.Price { return u.WholesalePrice })
		}
		if l.Price == 0 {
			l.Price = unitPrice(it.RetailPrice, func(u domain.ItemUnit) domain.Price { return u.RetailPrice })
		}
		l.PriceRule = "default"
	} else if l.PriceRule == "" {
		l.PriceRule = "manual"
	}
	if floor := it.MinPriceFor(l.Factor); !p.Can("sales.price.override") && domain.BelowMin(l.NetPrice(), floor) {
		return domain.FieldErr(linesField(i, "price"), "below_min_price", "min", floor.String())
	}
	return nil
}

// salesSourceType is the type of document a sales document's lines follow.
var salesSourceType = map[domain.DocType]domain.DocType{
	domain.DocSalesOrder:    domain.DocSalesQuote,
	domain.DocSalesShipment: domain.DocSalesOrder,
	domain.DocSalesReturn:   domain.DocSalesShipment,
	domain.DocSalesInvoice:  domain.DocSalesShipment,
}

// salesSourceRefusal is the rule a line of d breaks by following src (ok
// false: no such line), or "" when it may follow it. It is asked when the
// document is written and again under the lock of the document followed
// when it is posted (recheckSources): an order closed or cancelled in
// between is seen there.
func salesSourceRefusal(d *domain.Document, src store.SourceLine, ok bool) string {
	switch {
	case !ok || src.DocType != salesSourceType[d.Type] || src.PartnerID != *d.PartnerID:
		return "unknown_reference"
	case src.State != domain.DocPosted || src.Reversed:
		return "source_not_posted"
	case d.Type == domain.DocSalesShipment && (src.Closed || src.DocClosed):
		return "line_closed"
	case (d.Type == domain.DocSalesShipment || d.Type == domain.DocSalesReturn) && src.WarehouseID != d.WarehouseID:
		return "source_other_warehouse"
	}
	return ""
}

// fillFromSalesSources checks that each line follows a line of the right
// kind of document of the same customer and copies what it must keep: an
// order takes the quote's item, unit and prices; a shipment the order's
// item, unit and prices; a return the shipment's, with its batch and bin;
// an invoice the shipment's item, unit and tax, and its price when none is
// given.
func fillFromSalesSources(d *domain.Document, sources map[int64]store.SourceLine) error {
	var f domain.Fields
	taxIncl := -1
	for i := range d.Lines {
		l := &d.Lines[i]
		if l.SourceLineID == 0 {
			continue
		}
		field := linesField(i, "source_line_id")
		src, ok := sources[l.SourceLineID]
		if rule := salesSourceRefusal(d, src, ok); rule != "" {
			f.Add(field, rule)
			continue
		}
		if l.ItemID != 0 && l.ItemID != src.ItemID {
			f.Add(linesField(i, "item_id"), "not_on_order")
			continue
		}
		l.ItemID, l.UnitID, l.TaxRate = src.ItemID, src.UnitID, src.TaxRate
		if d.Type == domain.DocSalesInvoice && l.Price != 0 {
			if l.PriceRule == "" {
				l.PriceRule = "manual"
			}
			continue
		}
		l.Price, l.DiscountRate, l.PriceRule = src.Price, src.DiscountRate, src.PriceRule
		t := 0
		if src.TaxIncluded {
			t = 1
		}
		if taxIncl >= 0 && taxIncl != t {
			f.Add(field, "mixed_tax_included")
		}
		taxIncl = t
		if d.Type == domain.DocSalesReturn {
			l.Batch, l.Expiry = src.Batch, nil
			if l.LocationID == 0 {
				l.LocationID = src.LocationID
			}
		}
	}
	if taxIncl >= 0 {
		d.TaxIncluded = taxIncl == 1
	}
	if d.SourceID == nil && salesSourceType[d.Type] != "" {
		var one int64
		for _, l := range d.Lines {
			src, ok := sources[l.SourceLineID]
			switch {
			case !ok:
			case one == 0:
				one = src.DocumentID
			case one != src.DocumentID:
				one = -1
			}
		}
		if one > 0 {
			d.SourceID = &one
		}
	}
	return f.Err()
}

// pickFromReservations fills the bin and batch of shipment lines that name
// neither from what their order line holds (reserved first expiring first
// when the order was confirmed), splitting a line over several rows when
// the reservation spans them; a batch-tracked line without a reservation
// takes the FEFO suggestion. This is the pick list a clerk works from.
// pickedLineIDs are the order lines whose holds a shipment's lines take:
// those that follow one and name no place of their own.
func pickedLineIDs(d *domain.Document) []int64 {
	var ids []int64
	for _, l := range d.Lines {
		if l.SourceLineID != 0 && l.LocationID == 0 && l.Batch == "" {
			ids = append(ids, l.SourceLineID)
		}
	}
	return ids
}

func (s *Service) pickFromReservations(ctx context.Context, tx *store.Tx, sc *salesCtx, d *domain.Document) error {
	held, err := tx.Reservations(ctx, d.CompanyID, pickedLineIDs(d))
	if err != nil {
		return err
	}
	out := make([]domain.DocLine, 0, len(d.Lines))
	for _, l := range d.Lines {
		it := sc.items[l.ItemID]
		if l.LocationID != 0 || l.Batch != "" || it.Tracking == domain.TrackSerial {
			out = append(out, l)
			continue
		}
		factor := unitFactor(&it, l.UnitID)
		takes := held[l.SourceLineID]
		if len(takes) == 0 && it.Tracking == domain.TrackBatch {
			opts, err := tx.FEFO(ctx, d.CompanyID, l.ItemID, d.WarehouseID, qtyBase(l.Qty, factor))
			if err != nil {
				return err
			}
			for _, o := range opts {
				if o.Take > 0 {
					takes = append(takes, domain.Take{BalanceKey: domain.BalanceKey{ItemID: l.ItemID, LocationID: o.LocationID, Batch: o.Batch}, Qty: o.Take})
				}
			}
		}
		if len(takes) == 0 {
			out = append(out, l)
			continue
		}
		split := splitByTakes(l, takes, factor)
		out = append(out, split...)
	}
	d.Lines = out
	return nil
}

// unitFactor is the base units in one unit of the item (1 for the base unit).
func unitFactor(it *domain.Item, unitID int64) domain.Qty {
	if u, ok := it.UnitOf(unitID); ok {
		return u.Factor
	}
	return domain.QtyOne
}

func qtyBase(q, factor domain.Qty) domain.Qty {
	v, _ := domain.MulDivRound(int64(q), int64(factor), int64(domain.QtyOne))
	return domain.Qty(v)
}

// splitByTakes splits a line over the rows takes names, in the line's unit;
// what the takes do not cover stays on the last part.
func splitByTakes(l domain.DocLine, takes []domain.Take, factor domain.Qty) []domain.DocLine {
	left := l.Qty
	var out []domain.DocLine
	for i, t := range takes {
		if left <= 0 {
			break
		}
		q, _ := domain.MulDivRound(int64(t.Qty), int64(domain.QtyOne), int64(factor))
		part := min(domain.Qty(q), left)
		if i == len(takes)-1 {
			part = left
		}
		if part <= 0 {
			continue
		}
		c := l
		c.LocationID, c.Batch, c.Qty = t.LocationID, t.Batch, part
		out = append(out, c)
		left -= part
	}
	return out
}

// CreateSalesDoc saves a new sales document as a draft and, when post is
// true, posts (an order: confirms) it in the same transaction.
func (s *Service) CreateSalesDoc(ctx context.Context, p *domain.Principal, d domain.Document, post bool, opts ActOpts) (domain.Document, error) {
	if err := checkSalesOpts(p, opts); err != nil {
		return d, err
	}
	return s.createSales(ctx, p, d, post, opts, nil)
}

func checkSalesOpts(p *domain.Principal, opts ActOpts) error {
	if opts.OverrideCredit {
		if !p.Can("sales.credit.override") {
			return domain.Errorf(domain.EForbidden, "missing permission sales.credit.override")
		}
		if trim(opts.Reason) == "" {
			return domain.FieldErr("reason", "required")
		}
	}
	return nil
}

// CreateReceipt saves a receipt from a customer and, when post is true,
// posts it and applies it to the invoices in apply, in one transaction.
// An item without credit_id applies this receipt; one with credit_id
// applies that open credit of the customer (a return credited, an advance)
// in the same transaction.
func (s *Service) CreateReceipt(ctx context.Context, p *domain.Principal, d domain.Document, post bool, apply []SettleItem) (domain.Document, error) {
	d.Type = domain.DocReceipt
	if len(apply) > 0 && !post {
		return d, domain.FieldErr("apply", "post_only")
	}
	for i, a := range apply {
		if a.Amount <= 0 {
			return d, domain.FieldErr("apply["+strconv.Itoa(i)+"].amount", "positive")
		}
	}
	return s.createSales(ctx, p, d, post, ActOpts{}, func(tx *store.Tx, d *domain.Document) error {
		for i := range apply {
			if apply[i].CreditID == 0 { // this receipt; another credit is the partner's own
				apply[i].CreditID = d.ID
			}
		}
		if len(apply) == 0 {
			return nil
		}
		_, err := s.settle(ctx, tx, p, *d.PartnerID, apply, store.Receivable)
		return err
	})
}

func (s *Service) createSales(ctx context.Context, p *domain.Principal, d domain.Document, post bool, opts ActOpts,
	after func(*store.Tx, *domain.Document) error) (domain.Document, error) {
	ctx = withNumberAhead(ctx)
	d.ID, d.CompanyID, d.State, d.CreatedBy = 0, p.CompanyID, domain.DocDraft, p.UserID
	d.ReversesID, d.ReversedByID, d.PostedBy, d.PostedAt, d.Settled, d.Closed = nil, nil, nil, nil, 0, false
	if d.Date.IsZero() {
		d.Date = s.today()
	}
	sc, err := s.prepareSalesDoc(ctx, p, &d)
	if err != nil {
		return d, err
	}
	sc.opts = opts
	if post && sc.company.Settings.NeedsApproval(d.Type) {
		return d, domain.ErrorKey(domain.EConflict, "error.needs_approval", nil, "documents of this type need approval before posting")
	}
	if err := s.number(ctx, &sc.stockCtx, &d); err != nil {
		return d, err
	}
	var postBy int64 // an order's reads before its state moves (credit, stock) do not mistake it for one confirmed before
	if post && d.Type == domain.DocSalesOrder {
		postBy = p.UserID
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := s.createDocPosting(ctx, tx, &sc.stockCtx, &d, postBy); err != nil {
			return err
		}
		if err := auditCreated(ctx, tx, p, &d); err != nil {
			return err
		}
		if !post {
			return nil
		}
		if err := s.postSales(ctx, tx, p, sc, &d, domain.DocDraft); err != nil {
			return err
		}
		if after != nil {
			return after(tx, &d)
		}
		return nil
	})
	switch {
	case err != nil || !post:
	case d.Type == domain.DocSalesOrder || d.Type == domain.DocSalesShipment:
		// A confirmed order or a posted shipment is answered as it was
		// written: the posting set its state, version, totals, each order
		// line's hold (reserveOrder) and each shipped line's bin, batch and
		// cost (pickFromReservations, SetShipCosts), and nothing settles
		// against it in the same command, so a read back would only repeat
		// it (TestSalesOrderAnswerIsReadBack).
		d.PartnerName, d.PartnerNameEn = sc.partner.Name, sc.partner.NameEn
		d = hideSalesCost(p, []domain.Document{d})[0]
	default:
		w := d.Warnings
		d, err = s.SalesDoc(ctx, p, d.Type, d.ID) // reserved and settled amounts
		d.Warnings = w
	}
	return d, err
}

// UpdateSalesDoc replaces a draft.
func (s *Service) UpdateSalesDoc(ctx context.Context, p *domain.Principal, id int64, d domain.Document) (domain.Document, error) {
	cur, err := s.SalesDoc(ctx, p, d.Type, id)
	if err != nil {
		return d, err
	}
	d.ID, d.CompanyID = id, p.CompanyID
	if d.Date.IsZero() {
		d.Date = cur.Date
	}
	if _, err := s.prepareSalesDoc(ctx, p, &d); err != nil {
		return d, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		before, err := s.salesDoc(ctx, tx, p, d.Type, id)
		if err != nil {
			return err
		}
		if before.State != domain.DocDraft {
			return notDraft(before.State)
		}
		d.Number, d.State, d.CreatedBy, d.CreatedAt = before.Number, before.State, before.CreatedBy, before.CreatedAt
		if err := tx.UpdateDraft(ctx, &d, domain.DocDraft); err != nil {
			return err
		}
		return audit(ctx, tx, p, "document", id, "update", &before, &d)
	})
	return d, err
}

// ActOnSalesDoc submits, approves, posts (confirms), cancels or closes a
// sales document. A confirmed order may still be cancelled while nothing
// was shipped: its reservations are released; closing it releases what it
// still holds.
func (s *Service) ActOnSalesDoc(ctx context.Context, p *domain.Principal, t domain.DocType, id, version int64, act DocAction, opts ActOpts) (domain.Document, error) {
	if err := checkSalesOpts(p, opts); err != nil {
		return domain.Document{}, err
	}
	var sc *salesCtx
	if act == ActPost || act == ActApprove {
		cur, err := docView(ctx, s, p, id, func(tx *store.Tx) (domain.Document, error) { return s.salesDoc(ctx, tx, p, t, id) })
		if err != nil {
			return cur, err
		}
		if sc, err = s.prepareSalesDoc(ctx, p, &cur); err != nil {
			return cur, err
		}
		sc.opts = opts
	}
	var d domain.Document
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if d, err = s.salesDoc(ctx, tx, p, t, id); err != nil {
			return err
		}
		if version != 0 && d.Version != version {
			return domain.ErrorKey(domain.EConflict, "error.stale", map[string]string{"entity": "document"}, "document was changed by someone else")
		}
		before := d
		switch act {
		case ActSubmit, ActApprove:
			err = moveState(ctx, tx, &d, act)
		case ActCancel:
			if d.Type == domain.DocSalesOrder && d.State == domain.DocPosted {
				err = s.cancelOrder(ctx, tx, &d)
			} else {
				err = moveState(ctx, tx, &d, act)
			}
		case ActClose:
			if (d.Type != domain.DocSalesOrder && d.Type != domain.DocSalesQuote) || d.State != domain.DocPosted || d.Closed {
				return stateErr(d.State, domain.DocPosted)
			}
			// Locked before its holds are read: a shipment posting against
			// it (which locks it too) has released what it shipped first.
			if err = tx.LockDocument(ctx, d.CompanyID, d.ID); err != nil {
				return err
			}
			if err = s.releaseOrder(ctx, tx, &d); err == nil {
				err = tx.CloseOrder(ctx, &d, domain.DocPosted)
			}
		case ActPost:
			if sc.company, err = tx.Company(ctx, p.CompanyID); err != nil {
				return err
			}
			switch {
			case d.State == domain.DocPosted || d.State == domain.DocCancelled:
				return stateErr(d.State, domain.DocDraft)
			case sc.company.Settings.NeedsApproval(d.Type) && d.State != domain.DocApproved:
				return domain.ErrorKey(domain.EConflict, "error.needs_approval", nil, "documents of this type need approval before posting")
			}
			err = s.postSales(ctx, tx, p, sc, &d, d.State)
		default:
			return domain.FieldErr("action", "one_of")
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, p, "document", id, string(act), map[string]any{"state": before.State}, map[string]any{"state": d.State, "closed": d.Closed})
	})
	if err == nil && act == ActPost {
		w := d.Warnings
		d, err = s.SalesDoc(ctx, p, t, id)
		d.Warnings = w
	}
	return d, err
}

// postSales posts a sales document in tx. The documents it follows are
// locked first and their running quantities read fresh, so two postings
// against one order or shipment can never both take the same quantity.
func (s *Service) postSales(ctx context.Context, tx *store.Tx, p *domain.Principal, sc *salesCtx, d *domain.Document, from domain.DocState) error {
	var sources map[int64]store.SourceLine
	if d.Type != domain.DocReceipt {
		docs := map[int64]bool{}
		var ids []int64
		for _, l := range d.Lines {
			if src, ok := sc.sources[l.SourceLineID]; ok {
				docs[src.DocumentID] = true
				ids = append(ids, l.SourceLineID)
			}
		}
		locks := slices.Sorted(maps.Keys(docs)) // one lock order
		var also store.Following
		if d.Type == domain.DocSalesShipment { // checkCredit's and shipStock's reads
			also = store.Following{Credit: sc.partner.ChecksCredit(), PartnerID: sc.partner.ID, AsOf: d.Date, Holds: sourceLineIDs(d)}
		}
		tx.FollowAhead(ctx, p.CompanyID, locks, ids, also)
		for _, id := range locks {
			if err := tx.LockDocument(ctx, p.CompanyID, id); err != nil {
				return err
			}
		}
		var err error
		if sources, err = tx.SourceLines(ctx, p.CompanyID, ids); err != nil {
			return err
		}
		if err := recheckSources(d, sc.sources, sources, salesSourceRefusal); err != nil {
			return err
		}
	}
	var tallies []store.LineTally
	var ledger []store.PartnerEntry
	entry := func(amount domain.Money) {
		if amount != 0 {
			ledger = append(ledger, store.PartnerEntry{PartnerID: *d.PartnerID, Kind: store.Receivable, DocumentID: d.ID, DocType: d.Type,
				Date: d.Date, DueDate: d.DueDate, Amount: amount})
		}
	}
	var f domain.Fields
	switch d.Type {
	case domain.DocSalesQuote:
	case domain.DocSalesOrder:
		for _, l := range d.Lines {
			if _, ok := sources[l.SourceLineID]; ok {
				tallies = append(tallies, store.LineTally{ID: l.SourceLineID, Ordered: l.BaseQty})
			}
		}
		// The credit check's read and the reservation's row locks, sent
		// together on PostgreSQL.
		if err := tx.OrderAhead(ctx, d.CompanyID, sc.partner.ID, sc.partner.ChecksCredit(), d.Date, d.ID, d.WarehouseID, orderItems(d)); err != nil {
			return err
		}
		w, err := s.checkCredit(ctx, tx, p, sc, d, d.GrossAmount, d.ID)
		if err != nil {
			return err
		}
		d.Warnings = append(d.Warnings, w...)
		if err := s.reserveOrder(ctx, tx, sc, d); err != nil {
			return err
		}
	case domain.DocSalesShipment:
		w, err := s.checkCredit(ctx, tx, p, sc, d, 0, 0)
		if err != nil {
			return err
		}
		d.Warnings = append(d.Warnings, w...)
		shipped := map[int64]domain.Qty{}
		for i, l := range d.Lines {
			src, ok := sources[l.SourceLineID]
			if !ok {
				continue
			}
			shipped[src.ID] += l.BaseQty
			if left := src.BaseQty - src.ReceivedQty; shipped[src.ID] > left {
				f.Add(linesField(i, "qty"), "over_ordered", "max", max(left, 0).Short())
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		for id, q := range shipped {
			tallies = append(tallies, store.LineTally{ID: id, Received: q})
		}
		if err := s.shipStock(ctx, tx, sc, d); err != nil {
			return err
		}
		if err := tx.SetShipCosts(ctx, d.Lines); err != nil {
			return err
		}
	case domain.DocSalesReturn:
		var credit domain.Money
		values := map[int64]domain.Money{}
		for i := range d.Lines {
			l := &d.Lines[i]
			q := l.BaseQty
			if l.SourceLineID == 0 { // free: credited in full
				l.Credit = l.Gross
				credit += l.Gross
				continue
			}
			src := sources[l.SourceLineID]
			if left := src.BaseQty - src.ReturnedQty; q > left {
				f.Add(linesField(i, "qty"), "over_return", "max", max(left, 0).Short())
				continue
			}
			c, err := domain.CreditShare(l.Gross, domain.ReturnCredit(src.BaseQty, src.ReturnedQty, src.BilledQty, q), q)
			if err != nil {
				return err
			}
			l.Credit = c
			credit += c
			src.ReturnedQty += q
			sources[l.SourceLineID] = src
			tallies = append(tallies, store.LineTally{ID: l.SourceLineID, Returned: q})
			if _, ok := values[l.SourceLineID]; !ok {
				lv, err := tx.LineValues(ctx, src.DocumentID)
				if err != nil {
					return err
				}
				maps.Copy(values, lv)
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		moves, locs, err := s.stockMoves(ctx, tx, &sc.stockCtx, d)
		if err != nil {
			return err
		}
		for i := range moves {
			m := &moves[i]
			if m.Kind != domain.MoveReturnIn {
				continue
			}
			src := sources[m.OrigLineID]
			v, err := (-values[m.OrigLineID]).Share(m.Qty, src.BaseQty)
			if err != nil {
				return err
			}
			m.Value = max(v, 0)
		}
		if err := s.book(ctx, tx, d, moves, locs, bookOpts{company: &sc.company}); err != nil {
			return err
		}
		if err := tx.SetLineMatch(ctx, d.Lines); err != nil {
			return err
		}
		entry(-credit)
	case domain.DocSalesInvoice:
		for i := range d.Lines {
			l := &d.Lines[i]
			src := sources[l.SourceLineID]
			open := domain.ToBill(src.BaseQty, src.ReturnedQty, src.BilledQty)
			if l.BaseQty > open {
				f.Add(linesField(i, "qty"), "over_billed", "max", max(open, 0).Short())
				continue
			}
			src.BilledQty += l.BaseQty
			sources[l.SourceLineID] = src
			tallies = append(tallies, store.LineTally{ID: l.SourceLineID, Billed: l.BaseQty})
			if src.SourceLineID != 0 { // the order line: invoiced, no longer on order
				tallies = append(tallies, store.LineTally{ID: src.SourceLineID, Billed: l.BaseQty})
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		entry(d.GrossAmount)
	case domain.DocReceipt:
		entry(-d.GrossAmount)
	}
	addTallies := tx.AddLineTallies
	if d.Type == domain.DocSalesShipment { // open lines only, checked above under the orders' locks
		addTallies = tx.AddShippedTallies
	}
	if err := addTallies(ctx, tallies); err != nil {
		return err
	}
	if err := tx.AppendPartnerLedger(ctx, p.CompanyID, ledger); err != nil {
		return err
	}
	now := tx.Now
	d.PostedBy, d.PostedAt = &p.UserID, &now
	if err := tx.SetDocState(ctx, d, domain.DocPosted, from); err != nil {
		return err
	}
	if d.Type == domain.DocSalesInvoice {
		return s.applyDeposits(ctx, tx, p, d, sources)
	}
	return nil
}

// checkCredit runs the credit check of a customer when it has a limit or
// an overdue rule: exposure (adding included) over the limit, or an
// invoice overdue too long, blocks (or only warns, by the customer's
// mode). An override with sales.credit.override lets it through and is
// audited with its reason. The customer row is locked first, so two
// orders of one customer are checked one after the other.
func (s *Service) checkCredit(ctx context.Context, tx *store.Tx, p *domain.Principal, sc *salesCtx, d *domain.Document,
	adding domain.Money, exclude int64) ([]domain.Notice, error) {
	pt := sc.partner
	if !pt.ChecksCredit() {
		return nil, nil
	}
	e, err := tx.LockedExposure(ctx, p.CompanyID, pt.ID, d.Date, exclude)
	if err != nil {
		return nil, err
	}
	c := domain.Credit{Limit: pt.CreditLimit, Mode: pt.CreditMode, OverdueDays: pt.OverdueDays, Exposure: e.Exposure + adding, MaxOverdue: e.MaxOverdue}
	outcome, n := c.Check()
	switch {
	case outcome == domain.CreditOK:
		return nil, nil
	case outcome == domain.CreditWarned:
		return []domain.Notice{*n}, nil
	case !sc.opts.OverrideCredit:
		return nil, domain.CreditErr(n)
	}
	ov := domain.Notice{Key: "credit.override", Params: map[string]string{"exposure": c.Exposure.String(), "limit": c.Limit.String(), "reason": trim(sc.opts.Reason)}}
	if err := audit(ctx, tx, p, "document", d.ID, "credit_override", map[string]any{"notice": n}, map[string]any{
		"exposure": c.Exposure, "limit": c.Limit, "max_overdue": c.MaxOverdue, "reason": trim(sc.opts.Reason)}); err != nil {
		return nil, err
	}
	return []domain.Notice{ov}, nil
}

// orderItems are the items of d's lines, sorted, each once.
func orderItems(d *domain.Document) []int64 {
	items := make([]int64, 0, len(d.Lines))
	for _, l := range d.Lines {
		items = append(items, l.ItemID)
	}
	slices.Sort(items)
	return slices.Compact(items)
}

// reserveOrder holds the stock of a confirmed order's lines in its
// warehouse: the rows of each item are locked in the one lock order, then
// each line takes what is available first expiring first. A line that
// cannot be covered fails the confirmation (every short line is named),
// unless the caller confirms it as a backorder or the company allows
// negative stock: then it holds what there is.
func (s *Service) reserveOrder(ctx context.Context, tx *store.Tx, sc *salesCtx, d *domain.Document) error {
	b, keys, err := tx.LockWarehouseStock(ctx, d.CompanyID, d.WarehouseID, orderItems(d))
	if err != nil {
		return err
	}
	wh := map[int64]int64{}
	for _, k := range keys {
		wh[k.LocationID] = d.WarehouseID
	}
	byItem := map[int64][]domain.Balance{}
	for _, k := range keys {
		if r, ok := b.Balances[k]; ok {
			byItem[k.ItemID] = append(byItem[k.ItemID], *r)
		}
	}
	allowNeg := sc.company.Settings.NegativeStock == domain.NegativeStockAllow
	var holds []store.Reservation
	var short *domain.Error
	for i, l := range d.Lines {
		rows := byItem[l.ItemID]
		domain.SortFEFO(rows)
		takes, left := domain.Reserve(rows, l.BaseQty)
		if left > 0 && !allowNeg && !sc.opts.Backorder {
			e := domain.InsufficientStock(i, sc.items[l.ItemID].Code, l.BaseQty-left, l.BaseQty)
			if short == nil {
				short = e
			} else {
				short.Fields = append(short.Fields, e.Fields...)
			}
			continue
		}
		for _, t := range takes {
			b.Hold(t.BalanceKey, t.Qty)
			for j := range rows { // the next line of the same item sees what this one took
				if rows[j].BalanceKey == t.BalanceKey {
					rows[j].Reserved += t.Qty
				}
			}
			holds = append(holds, store.Reservation{LineID: l.ID, DocumentID: d.ID, Take: t})
			d.Lines[i].ReservedQty += t.Qty
		}
		byItem[l.ItemID] = rows
	}
	if short != nil {
		return short
	}
	if err := tx.AddReservations(ctx, d.CompanyID, holds); err != nil {
		return err
	}
	return tx.WriteBook(ctx, d.CompanyID, b, nil, wh)
}

// releaseOrder gives back what an order's lines still hold.
func (s *Service) releaseOrder(ctx context.Context, tx *store.Tx, d *domain.Document) error {
	ids := make([]int64, len(d.Lines))
	for i, l := range d.Lines {
		ids[i] = l.ID
	}
	held, err := tx.Reservations(ctx, d.CompanyID, ids)
	if err != nil {
		return err
	}
	var undo []store.Reservation
	for line, ts := range held {
		for _, t := range ts {
			undo = append(undo, store.Reservation{LineID: line, DocumentID: d.ID, Take: domain.Take{BalanceKey: t.BalanceKey, Qty: -t.Qty}})
		}
	}
	return s.hold(ctx, tx, d.CompanyID, d.WarehouseID, undo)
}

// cancelOrder cancels a confirmed order nothing was shipped against.
func (s *Service) cancelOrder(ctx context.Context, tx *store.Tx, d *domain.Document) error {
	if err := tx.LockDocument(ctx, d.CompanyID, d.ID); err != nil {
		return err
	}
	fresh, err := tx.Document(ctx, d.CompanyID, d.ID)
	if err != nil {
		return err
	}
	for _, l := range fresh.Lines {
		if l.ReceivedQty > 0 {
			return domain.ErrorKey(domain.EConflict, "error.order_shipped", nil, "goods were shipped against this order; close it instead")
		}
	}
	if err := s.releaseOrder(ctx, tx, d); err != nil {
		return err
	}
	return tx.SetDocState(ctx, d, domain.DocCancelled, domain.DocPosted)
}

// shipStock moves a shipment's goods out at cost, releasing first what
// their order lines hold (at the row shipped from first), so the goods an
// order reserved are its own to ship.
func (s *Service) shipStock(ctx context.Context, tx *store.Tx, sc *salesCtx, d *domain.Document) error {
	moves, locs, err := s.stockMoves(ctx, tx, &sc.stockCtx, d)
	if err != nil {
		return err
	}
	held, err := tx.Reservations(ctx, d.CompanyID, sourceLineIDs(d)) // read ahead with the order's lines (FollowAhead)
	if err != nil {
		return err
	}
	var release []store.Reservation
	var keys []domain.BalanceKey
	byLine := map[int64]domain.DocLine{}
	for _, l := range d.Lines {
		byLine[l.ID] = l
	}
	for _, m := range moves {
		l := byLine[m.LineID]
		hs := held[l.SourceLineID]
		if len(hs) == 0 {
			continue
		}
		for _, t := range domain.Release(hs, domain.BalanceKey{ItemID: m.ItemID, LocationID: m.From, Batch: m.Batch}, m.Qty) {
			release = append(release, store.Reservation{LineID: l.SourceLineID, DocumentID: sc.sources[l.SourceLineID].DocumentID, Take: t})
			keys = append(keys, t.BalanceKey)
			for j := range hs { // a second line of the same order line releases what is left
				if hs[j].BalanceKey == t.BalanceKey {
					hs[j].Qty += t.Qty
				}
			}
		}
		held[l.SourceLineID] = hs
	}
	if len(moves) == 0 {
		return nil
	}
	err = s.book(ctx, tx, d, moves, locs, bookOpts{keys: keys, company: &sc.company, before: func(b *domain.Book) error {
		for _, r := range release {
			b.Hold(r.BalanceKey, r.Qty)
		}
		return nil
	}})
	if err != nil {
		return err
	}
	return tx.AddReservations(ctx, d.CompanyID, release)
}

// applyDeposits applies what deposits (receipts on an order) of the orders
// behind an invoice still have open to the invoice, oldest first.
func (s *Service) applyDeposits(ctx context.Context, tx *store.Tx, p *domain.Principal, d *domain.Document, sources map[int64]store.SourceLine) error {
	var orderLines []int64
	for _, src := range sources {
		if src.SourceLineID != 0 {
			orderLines = append(orderLines, src.SourceLineID)
		}
	}
	orders, err := tx.SourceLines(ctx, p.CompanyID, orderLines)
	if err != nil {
		return err
	}
	docs := map[int64]bool{}
	for _, o := range orders {
		docs[o.DocumentID] = true
	}
	if len(docs) == 0 {
		return nil
	}
	open, err := tx.OpenItems(ctx, p.CompanyID, *d.PartnerID, store.Receivable)
	if err != nil {
		return err
	}
	deposits, err := tx.Deposits(ctx, p.CompanyID, slices.Sorted(maps.Keys(docs)))
	if err != nil {
		return err
	}
	left := d.GrossAmount
	var plan []SettleItem
	for _, it := range open {
		if left <= 0 {
			break
		}
		if it.Open >= 0 || !deposits[it.DocumentID] {
			continue
		}
		amt := min(left, -it.Open)
		plan = append(plan, SettleItem{DebitID: d.ID, CreditID: it.DocumentID, Amount: amt})
		left -= amt
	}
	if len(plan) == 0 {
		return nil
	}
	_, err = s.settle(ctx, tx, p, *d.PartnerID, plan, store.Receivable)
	return err
}

// CustomerExposure is what a customer owes and has on order today, as the
// credit check sees it.
func (s *Service) CustomerExposure(ctx context.Context, p *domain.Principal, partnerID int64) (store.Exposure, error) {
	return view(ctx, s, func(tx *store.Tx) (store.Exposure, error) {
		return tx.CustomerExposure(ctx, p.CompanyID, partnerID, s.today(), 0)
	})
}

// OrderReservations lists what an order's lines hold, line by line, first
// expiring first: its pick list.
func (s *Service) OrderReservations(ctx context.Context, p *domain.Principal, id int64) ([]store.Reservation, error) {
	return view(ctx, s, func(tx *store.Tx) ([]store.Reservation, error) {
		d, err := s.salesDoc(ctx, tx, p, domain.DocSalesOrder, id)
		if err != nil {
			return nil, err
		}
		return orderReservations(ctx, tx, d)
	})
}

// PurchaseForSalesOrder drafts a purchase order from a sales order (以销定购)
// for the supplier: each open line's quantity not yet covered by stock held
// for it, by shipments or by earlier purchase orders (lineIDs: only those
// lines), in base units at the item's purchase price. Goods received on it
// are held for the sales order (holdForSales).
func (s *Service) PurchaseForSalesOrder(ctx context.Context, p *domain.Principal, orderID, partnerID int64, lineIDs []int64) (domain.Document, error) {
	var po domain.Document
	err := s.db.View(ctx, func(tx *store.Tx) error {
		o, err := s.salesDoc(ctx, tx, p, domain.DocSalesOrder, orderID)
		if err != nil {
			return err
		}
		if o.State != domain.DocPosted || o.Closed {
			return stateErr(o.State, domain.DocPosted)
		}
		items := map[int64]domain.Item{}
		if err := loadItems(ctx, tx, p.CompanyID, o.Lines, items); err != nil {
			return err
		}
		po = domain.Document{Type: domain.DocPurchaseOrder, PartnerID: &partnerID, WarehouseID: o.WarehouseID, SourceID: &o.ID,
			Note: o.Number, ExpectedDate: o.ExpectedDate}
		for _, l := range o.Lines {
			if len(lineIDs) > 0 && !slices.Contains(lineIDs, l.ID) {
				continue
			}
			need := l.BaseQty - l.ReceivedQty - l.ReservedQty - l.OrderedQty
			if need <= 0 || l.Closed {
				continue
			}
			it := items[l.ItemID]
			po.Lines = append(po.Lines, domain.DocLine{SourceLineID: l.ID, ItemID: l.ItemID, UnitID: it.BaseUnitID, Qty: need,
				Price: it.PurchasePrice, TaxRate: it.TaxRate, Note: o.Number})
		}
		if len(po.Lines) == 0 {
			return domain.ErrorKey(domain.EConflict, "error.nothing_to_buy", nil, "every line is covered by stock, shipments or purchase orders")
		}
		return nil
	})
	if err != nil {
		return po, err
	}
	return s.CreatePurchaseDoc(ctx, p, po, false)
}

// holdForSales holds goods a receipt brings in on a purchase order bought
// for a sales order (以销定购) for that order's line, up to what the line
// still needs, at the row they arrived in.
func (s *Service) holdForSales(ctx context.Context, tx *store.Tx, d *domain.Document, orderLines map[int64]store.SourceLine) error {
	var soIDs []int64
	for _, l := range d.Lines {
		if ol, ok := orderLines[l.SourceLineID]; ok && ol.SourceLineID != 0 {
			soIDs = append(soIDs, ol.SourceLineID)
		}
	}
	if len(soIDs) == 0 {
		return nil
	}
	so, err := tx.SourceLines(ctx, d.CompanyID, soIDs)
	if err != nil {
		return err
	}
	held, err := tx.Reservations(ctx, d.CompanyID, soIDs)
	if err != nil {
		return err
	}
	w, err := tx.Warehouse(ctx, d.CompanyID, d.WarehouseID)
	if err != nil {
		return err
	}
	var want []store.Reservation
	for _, l := range d.Lines {
		ol, ok := orderLines[l.SourceLineID]
		if !ok {
			continue
		}
		sl, ok := so[ol.SourceLineID]
		if !ok || sl.DocType != domain.DocSalesOrder || sl.State != domain.DocPosted || sl.Closed || sl.DocClosed || sl.WarehouseID != d.WarehouseID {
			continue
		}
		need := sl.BaseQty - sl.ReceivedQty
		for _, t := range held[sl.ID] {
			need -= t.Qty
		}
		q := min(need, l.StockQty())
		if q <= 0 {
			continue
		}
		loc := l.LocationID
		if loc == 0 {
			loc = w.RootLocationID
		}
		k := domain.BalanceKey{ItemID: l.ItemID, LocationID: loc, Batch: l.Batch}
		want = append(want, store.Reservation{LineID: sl.ID, DocumentID: sl.DocumentID, Take: domain.Take{BalanceKey: k, Qty: q}})
		held[sl.ID] = append(held[sl.ID], domain.Take{BalanceKey: k, Qty: q})
	}
	return s.hold(ctx, tx, d.CompanyID, d.WarehouseID, want)
}

// hold applies reservation changes (+ hold, − release) to their balance
// rows under lock; holding never takes more than a row has free.
func (s *Service) hold(ctx context.Context, tx *store.Tx, companyID, warehouseID int64, rs []store.Reservation) error {
	if len(rs) == 0 {
		return nil
	}
	keys := make([]domain.BalanceKey, len(rs))
	for i, r := range rs {
		keys[i] = r.BalanceKey
	}
	keys = mergeKeys(nil, keys)
	wh := map[int64]int64{}
	for _, k := range keys {
		wh[k.LocationID] = warehouseID
	}
	b, err := tx.LockStock(ctx, store.StockLock{CompanyID: companyID, Balances: keys, Warehouse: wh})
	if err != nil {
		return err
	}
	out := rs[:0:0]
	for _, r := range rs {
		q := r.Qty
		if q > 0 {
			row := b.Balances[r.BalanceKey]
			if row == nil {
				continue
			}
			q = min(q, row.OnHand-row.Reserved)
			if q <= 0 {
				continue
			}
		}
		b.Hold(r.BalanceKey, q)
		r.Qty = q
		out = append(out, r)
	}
	if err := tx.AddReservations(ctx, companyID, out); err != nil {
		return err
	}
	return tx.WriteBook(ctx, companyID, b, nil, wh)
}

// orderReservations lists what the lines of order d hold, in line order.
func orderReservations(ctx context.Context, tx *store.Tx, d domain.Document) ([]store.Reservation, error) {
	ids := make([]int64, len(d.Lines))
	for i, l := range d.Lines {
		ids[i] = l.ID
	}
	held, err := tx.Reservations(ctx, d.CompanyID, ids)
	if err != nil {
		return nil, err
	}
	var out []store.Reservation
	for _, l := range d.Lines {
		for _, t := range held[l.ID] {
			out = append(out, store.Reservation{LineID: l.ID, DocumentID: d.ID, Take: t})
		}
	}
	return out, nil
}

// autoPrice prices the new lines that came without a price through the
// pricing engine (price lists, quantity breaks, promotions; see
// domain/pricing.go): each gets the price and the rule that set it; gift
// lines (买赠) are added at price 0 and a threshold discount (满减) is split
// over the lines it counts when the whole bill is priced.
func (s *Service) autoPrice(ctx context.Context, p *domain.Principal, d *domain.Document) error {
	req := PriceRequest{PartnerID: d.PartnerID, Date: &d.Date}
	var idx []int
	free := 0 // lines not following a source: the bill a threshold looks at
	for i, l := range d.Lines {
		if l.SourceLineID == 0 {
			free++
		}
		if l.SourceLineID == 0 && l.ItemID > 0 && l.Price == 0 && l.PriceRule == "" && l.Qty > 0 {
			idx = append(idx, i)
			req.Lines = append(req.Lines, domain.PriceRequestLine{ItemID: l.ItemID, UnitID: l.UnitID, Qty: l.Qty})
		}
	}
	if len(idx) == 0 {
		return nil
	}
	r, err := s.PriceLines(ctx, p, req)
	if err != nil {
		return renumber(err, idx)
	}
	for k, pl := range r.Lines {
		rule := ruleText(pl)
		if pl.Gift {
			d.Lines = append(d.Lines, domain.DocLine{ItemID: pl.ItemID, UnitID: pl.UnitID, Qty: pl.Qty, PriceRule: rule, ItemTax: true,
				Note: pl.List})
			continue
		}
		l := &d.Lines[idx[k]]
		l.Price, l.PriceRule = pl.Price, rule
		// The threshold (满减) counts the whole bill: only when the whole
		// bill is priced here (a draft saved once keeps its prices and
		// its shares; pricing a line added later must not add it again).
		// Each line keeps its own share, as the engine split it over the
		// lines in the promotion's scope: spread as 整单优惠 over every
		// line, an exclusive-promotion line would bear part of it and its
		// return refund less than it was paid.
		l.PromoDiscount = 0
		if len(idx) == free {
			l.PromoDiscount = pl.BillDiscount
		}
	}
	return nil
}

// ruleText is what a line keeps of the rule that priced it: the rule's
// code, the price list (a gift: the promotion) and the promotions applied,
// e.g. "qty_break PL-STD +P10"; the screens translate the code.
func ruleText(pl domain.PricedLine) string {
	s := string(pl.Rule)
	if s == "" {
		s = "default"
	}
	if pl.List != "" {
		s += " " + pl.List
	}
	for _, p := range pl.Promotions {
		if p != pl.List { // a gift's list is its promotion: named once
			s += " +" + p
		}
	}
	if r := []rune(s); len(r) > 200 {
		s = string(r[:199]) + "…"
	}
	return s
}

// loadMissing loads the items of lines added since the items were read
// (gift lines).
func (s *Service) loadMissing(ctx context.Context, companyID int64, lines []domain.DocLine, items map[int64]domain.Item) error {
	for _, l := range lines {
		if _, ok := items[l.ItemID]; !ok {
			return s.db.View(ctx, func(tx *store.Tx) error { return loadItems(ctx, tx, companyID, lines, items) })
		}
	}
	return nil
}

// holdAgain holds the goods a reversed shipment brought back for the open
// order lines they were shipped on, up to what each still needs, at the
// rows they came back to.
func (s *Service) holdAgain(ctx context.Context, tx *store.Tx, ship *domain.Document) error {
	var ids []int64
	for _, l := range ship.Lines {
		if l.SourceLineID != 0 {
			ids = append(ids, l.SourceLineID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	orders, err := tx.SourceLines(ctx, ship.CompanyID, ids)
	if err != nil {
		return err
	}
	held, err := tx.Reservations(ctx, ship.CompanyID, ids)
	if err != nil {
		return err
	}
	w, err := tx.Warehouse(ctx, ship.CompanyID, ship.WarehouseID)
	if err != nil {
		return err
	}
	need := map[int64]domain.Qty{}
	for id, o := range orders {
		if o.State != domain.DocPosted || o.Closed || o.DocClosed {
			continue
		}
		n := o.BaseQty - o.ReceivedQty
		for _, t := range held[id] {
			n -= t.Qty
		}
		need[id] = n
	}
	var want []store.Reservation
	for _, l := range ship.Lines {
		q := min(need[l.SourceLineID], l.BaseQty)
		if q <= 0 {
			continue
		}
		need[l.SourceLineID] -= q
		loc := l.LocationID
		if loc == 0 {
			loc = w.RootLocationID
		}
		want = append(want, store.Reservation{LineID: l.SourceLineID, DocumentID: orders[l.SourceLineID].DocumentID,
			Take: domain.Take{BalanceKey: domain.BalanceKey{ItemID: l.ItemID, LocationID: loc, Batch: l.Batch}, Qty: q}})
	}
	return s.hold(ctx, tx, ship.CompanyID, ship.WarehouseID, want)
}

// SalesBySalesperson reports sales, returns, cost of goods, gross profit
// and collections per salesperson for documents dated from–to (this month
// when both are zero).
func (s *Service) SalesBySalesperson(ctx context.Context, p *domain.Principal, from, to domain.Date) ([]store.SalespersonFigures, error) {
	if from.IsZero() && to.IsZero() {
		today := s.today()
		from = domain.Date{Time: today.AddDate(0, 0, 1-today.Day())}
		to = today
	}
	if to.Before(from) {
		return nil, domain.FieldErr("to", "before_date")
	}
	return view(ctx, s, func(tx *store.Tx) ([]store.SalespersonFigures, error) {
		return tx.SalesBySalesperson(ctx, p.CompanyID, from, to)
	})
}
