package service

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// Purchasing: orders, receipts, returns, bills and payments on the document
// framework (see domain/purchase.go for the rules). Receipts and returns
// move goods through the same book as the warehouse documents; bills,
// credited returns and payments write the supplier's account.

// PurchaseDocs lists purchasing documents of one type.
func (s *Service) PurchaseDocs(ctx context.Context, p *domain.Principal, t domain.DocType, f DocFilter) ([]domain.Document, int, error) {
	if !t.IsPurchase() {
		return nil, 0, domain.FieldErr("type", "one_of")
	}
	f.CompanyID, f.Types = p.CompanyID, []domain.DocType{t}
	if !p.IsAdmin && (t.Moves() || t == domain.DocPurchaseOrder) {
		f.Warehouses = p.Warehouses
	}
	docs, n, err := list(ctx, s, func(tx *store.Tx) ([]domain.Document, int, error) { return tx.ListDocuments(ctx, f) })
	return hidePurchaseMoney(p, docs), n, err
}

// hidePurchaseMoney blanks prices and amounts for callers without
// data.cost.read (a warehouse clerk receives by quantity): a receipt's net
// is what the goods cost.
func hidePurchaseMoney(p *domain.Principal, docs []domain.Document) []domain.Document {
	if p.Can("data.cost.read") {
		return docs
	}
	for i := range docs {
		d := &docs[i]
		d.TotalAmount, d.TaxAmount, d.GrossAmount, d.Discount, d.Settled = 0, 0, 0, 0, 0
		for j := range d.Lines {
			l := &d.Lines[j]
			l.Price, l.Amount, l.Tax, l.Gross, l.Discount, l.Credit, l.Variance = 0, 0, 0, 0, 0, 0, 0
		}
	}
	return docs
}

// PurchaseDoc loads one purchasing document of type t.
func (s *Service) PurchaseDoc(ctx context.Context, p *domain.Principal, t domain.DocType, id int64) (domain.Document, error) {
	d, err := docView(ctx, s, p, id, func(tx *store.Tx) (domain.Document, error) { return s.purchaseDoc(ctx, tx, p, t, id) })
	if err != nil {
		return d, err
	}
	return hidePurchaseMoney(p, []domain.Document{d})[0], nil
}

func (s *Service) purchaseDoc(ctx context.Context, tx *store.Tx, p *domain.Principal, t domain.DocType, id int64) (domain.Document, error) {
	d, err := tx.Document(ctx, p.CompanyID, id)
	if err != nil {
		return d, err
	}
	if d.Type != t || (d.WarehouseID != 0 && !p.CanWarehouse(d.WarehouseID)) {
		return domain.Document{}, notFoundErr("document", id)
	}
	return d, nil
}

// purchaseCtx is what preparing and posting a purchasing document knows.
type purchaseCtx struct {
	stockCtx
	partner domain.Partner
	sources map[int64]store.SourceLine // the lines the document's lines follow
	// override places an order over its budget (checked by the caller).
	override bool
}

// preparePurchaseDoc validates a document, fills lines that follow an
// order or a receipt from their source, resolves units and computes the
// amounts, in a read snapshot before any write transaction opens.
func (s *Service) preparePurchaseDoc(ctx context.Context, p *domain.Principal, d *domain.Document) (*purchaseCtx, error) {
	d.Note, d.Ref = trim(d.Note), trim(d.Ref)
	d.Reason, d.ToWarehouseID, d.TwoStep, d.Blind = "", nil, false, false
	if d.Type == domain.DocPayment {
		d.WarehouseID, d.TotalAmount, d.TaxAmount, d.TotalQty = 0, d.GrossAmount, 0, 0
	}
	if d.Type == domain.DocPurchaseBill {
		d.WarehouseID = 0
	}
	for i := range d.Lines {
		d.Lines[i].Batch, d.Lines[i].Note = trim(d.Lines[i].Batch), trim(d.Lines[i].Note)
	}
	if err := d.ValidatePurchase(); err != nil {
		return nil, err
	}
	if d.WarehouseID != 0 && !p.CanWarehouse(d.WarehouseID) {
		return nil, domain.FieldErr("warehouse_id", "unknown_reference")
	}
	pc := &purchaseCtx{stockCtx: stockCtx{items: map[int64]domain.Item{}}}
	var partner func(tx *store.Tx) error
	if d.PartnerID != nil {
		partner = func(tx *store.Tx) error {
			pt, err := tx.PartnerRecord(ctx, p.CompanyID, *d.PartnerID)
			if err != nil || !pt.Kind.IsSupplier() {
				return domain.FieldErr("partner_id", "not_supplier")
			}
			pc.partner = pt
			return nil
		}
	}
	moves := d.Type == domain.DocPurchaseReceipt || d.Type == domain.DocPurchaseReturn
	err := s.viewAhead(ctx, p, d, pc.firstReads(ctx, p, d, moves, partner), func(tx *store.Tx) error {
		var err error
		if d.AccountID != nil {
			a, err := tx.Account(ctx, p.CompanyID, *d.AccountID)
			if err != nil || a.Archived {
				return domain.FieldErr("account_id", "unknown_reference")
			}
		}
		if pc.sources, err = tx.SourceLines(ctx, p.CompanyID, sourceLineIDs(d)); err != nil {
			return err
		}
		if err := fillFromSources(d, pc.sources); err != nil {
			return err
		}
		return loadItems(ctx, tx, p.CompanyID, d.Lines, pc.items)
	})
	if err != nil {
		return nil, err
	}
	if d.Type == domain.DocPayment {
		return pc, nil
	}
	var errs []error
	d.TotalQty = 0
	for i := range d.Lines {
		it, ok := pc.items[d.Lines[i].ItemID]
		if !ok {
			errs = append(errs, domain.FieldErr(linesField(i, "item_id"), "unknown_reference"))
			continue
		}
		if d.Lines[i].ItemTax && d.Lines[i].SourceLineID == 0 {
			d.Lines[i].TaxRate = it.TaxRate
		}
		if !p.Can("data.cost.read") && d.Lines[i].SourceLineID == 0 {
			// A caller who may not see prices cannot set them either: a
			// free receipt goes in at the item's purchase price of the unit.
			l := &d.Lines[i]
			l.Price = it.PurchasePrice
			for _, u := range it.Units {
				if u.UnitID == l.UnitID && l.UnitID != it.BaseUnitID {
					l.Price = u.PurchasePrice
				}
			}
		}
		if err := d.ResolveLine(i, &it); err != nil {
			errs = append(errs, err)
			continue
		}
		if l := &d.Lines[i]; d.Type == domain.DocPurchaseReceipt {
			if src, ok := pc.sources[l.SourceLineID]; ok && src.UnitID != l.UnitID && src.Factor > 0 {
				l.Price = domain.PriceInUnit(src.Price, src.Factor, l.Factor)
			}
		}
		d.TotalQty += d.Lines[i].StockQty()
	}
	if err := joinInvalid(errs...); err != nil {
		return nil, err
	}
	if d.Type == domain.DocLandedCost {
		if err := landedShares(d, pc); err != nil {
			return nil, err
		}
		if d.PartnerID != nil && d.DueDate == nil { // the carrier's bill falls due like any other
			due := domain.DueDate(d.Date, pc.partner.PaymentTermsDays)
			d.DueDate = &due
		}
	}
	if !d.Type.Traded() {
		return pc, nil
	}
	if err := priceFollowing(d, pc.sources); err != nil {
		return nil, err
	}
	if d.Type == domain.DocPurchaseBill {
		for i := range d.Lines {
			l := &d.Lines[i]
			src := pc.sources[l.SourceLineID]
			v, err := l.BillVarianceAt(&src.DocLine, src.TaxIncluded)
			if err != nil {
				return nil, err
			}
			l.Variance = v
		}
		if d.DueDate == nil {
			due := domain.DueDate(d.Date, pc.partner.PaymentTermsDays)
			d.DueDate = &due
		}
	}
	return pc, nil
}

// purchaseSourceType is the type of document a purchase document's lines
// follow.
var purchaseSourceType = map[domain.DocType]domain.DocType{
	domain.DocPurchaseOrder:   domain.DocPurchaseRequisition,
	domain.DocPurchaseRFQ:     domain.DocPurchaseRequisition,
	domain.DocPurchaseReceipt: domain.DocPurchaseOrder,
	domain.DocPurchaseReturn:  domain.DocPurchaseReceipt,
	domain.DocPurchaseBill:    domain.DocPurchaseReceipt,
	domain.DocLandedCost:      domain.DocPurchaseReceipt,
}

// purchaseSourceRefusal is the rule a line of d breaks by following src
// (ok false: no such line), or "" when it may follow it. It is asked when
// the document is written and again under the lock of the document
// followed when it is posted (recheckSources): an order closed or
// cancelled in between is seen there.
func purchaseSourceRefusal(d *domain.Document, src store.SourceLine, ok bool) string {
	if ok && d.Type == domain.DocPurchaseOrder && src.DocType == domain.DocSalesOrder { // 以销定购
		if src.State != domain.DocPosted || src.Closed || src.DocClosed {
			return "source_not_posted"
		}
		return ""
	}
	want := purchaseSourceType[d.Type]
	switch {
	case !ok || src.DocType != want || (want != domain.DocPurchaseRequisition && d.Type != domain.DocLandedCost && src.PartnerID != *d.PartnerID):
		return "unknown_reference"
	case want == domain.DocPurchaseRequisition && (src.State != domain.DocApproved || src.DocClosed):
		return "requisition_not_open"
	case want != domain.DocPurchaseRequisition && (src.State != domain.DocPosted || src.Reversed):
		return "source_not_posted"
	case d.Type == domain.DocPurchaseReceipt && (src.Closed || src.DocClosed):
		return "line_closed"
	case d.Type == domain.DocPurchaseReturn && src.WarehouseID != d.WarehouseID:
		return "receipt_other_warehouse"
	case d.Type == domain.DocPurchaseReceipt && d.SourceID != nil && src.DocumentID != *d.SourceID:
		return "not_on_order"
	}
	return ""
}

// fillFromSources checks that each line follows a line of the right kind of
// document of the same supplier and copies what it must keep from it: a
// receipt takes the order's item, unit and prices (a price difference is
// the bill's variance, not the clerk's); a return takes the receipt's
// item, unit, prices, batch and bin; a bill takes the receipt's item, unit
// and tax rate, and its price when none is given.
func fillFromSources(d *domain.Document, sources map[int64]store.SourceLine) error {
	want := purchaseSourceType[d.Type]
	var f domain.Fields
	taxIncl := -1
	for i := range d.Lines {
		l := &d.Lines[i]
		if l.SourceLineID == 0 {
			continue
		}
		field := linesField(i, "source_line_id")
		src, ok := sources[l.SourceLineID]
		if rule := purchaseSourceRefusal(d, src, ok); rule != "" {
			f.Add(field, rule)
			continue
		}
		if d.Type == domain.DocPurchaseOrder && src.DocType == domain.DocSalesOrder {
			// 以销定购: bought for a customer's order; the price is the
			// purchase price, never the customer's.
			if l.ItemID != 0 && l.ItemID != src.ItemID {
				f.Add(linesField(i, "item_id"), "not_on_order")
			}
			l.ItemID = src.ItemID
			if l.UnitID == 0 {
				l.UnitID = src.UnitID
			}
			continue
		}
		if l.ItemID != 0 && l.ItemID != src.ItemID {
			f.Add(linesField(i, "item_id"), "not_on_order")
			continue
		}
		unit := l.UnitID
		l.ItemID, l.UnitID = src.ItemID, src.UnitID
		if d.Type == domain.DocPurchaseReceipt && unit != 0 {
			l.UnitID = unit // a bottle scanned against a carton line: priced per base unit below
		}
		switch d.Type {
		case domain.DocLandedCost: // the charges go onto what was accepted
			l.Qty, l.Price, l.LocationID = src.Accepted(), 0, src.LocationID
		case domain.DocPurchaseOrder:
			if l.Price == 0 { // the requisition's estimate, if it had one
				l.Price = src.Price
			}
		case domain.DocPurchaseReceipt, domain.DocPurchaseReturn:
			l.Price, l.TaxRate, l.DiscountRate = src.Price, src.TaxRate, src.DiscountRate
			t := 0
			if src.TaxIncluded {
				t = 1
			}
			if taxIncl >= 0 && taxIncl != t {
				f.Add(field, "mixed_tax_included")
			}
			taxIncl = t
			if d.Type == domain.DocPurchaseReturn {
				l.Batch, l.Expiry = src.Batch, nil
				if l.LocationID == 0 {
					l.LocationID = src.LocationID
				}
			}
		case domain.DocPurchaseBill:
			l.TaxRate = src.TaxRate
			if l.Price == 0 {
				l.Price, l.DiscountRate = src.Price, src.DiscountRate
				if src.TaxIncluded != d.TaxIncluded {
					f.Add(linesField(i, "price"), "required")
				}
			}
		}
	}
	if taxIncl >= 0 {
		d.TaxIncluded = taxIncl == 1
	}
	if d.SourceID == nil && want != "" {
		// The document it follows, when its lines follow one document.
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

// priceFollowing prices d's lines, each that follows one of sources
// taking over its share of that line's whole-bill discount
// (domain.Document.PriceFollowing).
func priceFollowing(d *domain.Document, sources map[int64]store.SourceLine) error {
	return d.PriceFollowing(func(id int64) (domain.FollowedLine, bool) {
		src, ok := sources[id]
		return domain.FollowedLine{Line: &src.DocLine, DocType: src.DocType, TaxIncluded: src.TaxIncluded}, ok
	})
}

// CreatePurchaseDoc saves a new purchasing document as a draft and, when
// post is true, posts it in the same transaction.
func (s *Service) CreatePurchaseDoc(ctx context.Context, p *domain.Principal, d domain.Document, post bool, opts ...ActOpts) (domain.Document, error) {
	override := len(opts) > 0 && opts[0].OverrideBudget
	if override && !p.Can("purchase.budget.override") {
		return d, domain.Errorf(domain.EForbidden, "missing permission purchase.budget.override")
	}
	if post && d.Type == domain.DocPurchaseRequisition {
		return d, domain.ErrorKey(domain.EConflict, "error.requisition_not_posted", nil, "a requisition is approved and then ordered from; it is not posted")
	}
	return s.createPurchase(ctx, p, d, post, func(_ *store.Tx, d *domain.Document) error { return nil }, override)
}

// CreatePayment saves a payment to a supplier and, when post is true, posts
// it and applies it to the bills in apply, all in one transaction. An item
// without credit_id applies this payment; one with credit_id applies that
// open credit of the supplier (a return credited, an earlier prepayment),
// as paying off the balance does with open credits first.
func (s *Service) CreatePayment(ctx context.Context, p *domain.Principal, d domain.Document, post bool, apply []SettleItem) (domain.Document, error) {
	d.Type = domain.DocPayment
	if len(apply) > 0 && !post {
		return d, domain.FieldErr("apply", "post_only")
	}
	for i, a := range apply {
		if a.Amount <= 0 {
			return d, domain.FieldErr("apply["+strconv.Itoa(i)+"].amount", "positive")
		}
	}
	return s.createPurchase(ctx, p, d, post, func(tx *store.Tx, d *domain.Document) error {
		for i := range apply {
			if apply[i].CreditID == 0 { // this payment; another credit is the partner's own
				apply[i].CreditID = d.ID
			}
		}
		if len(apply) == 0 {
			return nil
		}
		_, err := s.settle(ctx, tx, p, *d.PartnerID, apply, store.Payable)
		return err
	}, false)
}

func (s *Service) createPurchase(ctx context.Context, p *domain.Principal, d domain.Document, post bool,
	after func(*store.Tx, *domain.Document) error, override bool) (domain.Document, error) {
	ctx = withNumberAhead(ctx)
	d.ID, d.CompanyID, d.State, d.CreatedBy = 0, p.CompanyID, domain.DocDraft, p.UserID
	d.ReversesID, d.ReversedByID, d.PostedBy, d.PostedAt, d.Settled, d.Closed = nil, nil, nil, nil, 0, false
	if d.Date.IsZero() {
		d.Date = s.today()
	}
	pc, err := s.preparePurchaseDoc(ctx, p, &d)
	if err != nil {
		return d, err
	}
	pc.override = override
	if post && needsApproval(pc, &d) {
		return d, domain.ErrorKey(domain.EConflict, "error.needs_approval", nil, "documents of this type need approval before posting")
	}
	if err := s.number(ctx, &pc.stockCtx, &d); err != nil {
		return d, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := s.createDoc(ctx, tx, &pc.stockCtx, &d); err != nil {
			return err
		}
		if err := auditCreated(ctx, tx, p, &d); err != nil {
			return err
		}
		if !post {
			return nil
		}
		if err := s.postPurchase(ctx, tx, p, pc, &d, domain.DocDraft); err != nil {
			return err
		}
		if after != nil {
			return after(tx, &d)
		}
		return nil
	})
	switch {
	case err != nil || !post:
	case d.Type == domain.DocPurchaseReceipt:
		// A posted receipt is answered as it was written: posting changes
		// the lines it follows and the stock, not the receipt's own figures
		// (TestPurchaseReceiptAnswerIsReadBack).
		d.PartnerName, d.PartnerNameEn = pc.partner.Name, pc.partner.NameEn
		d = hidePurchaseMoney(p, []domain.Document{d})[0]
	default:
		w := d.Warnings
		d, err = s.PurchaseDoc(ctx, p, d.Type, d.ID) // settled and matched amounts
		d.Warnings = w
	}
	return d, err
}

// needsApproval: the company's approval list, and every bill whose prices
// differ from what was received (3-way match).
func needsApproval(pc *purchaseCtx, d *domain.Document) bool {
	if pc.company.Settings.NeedsApproval(d.Type) || d.Type == domain.DocPurchaseRequisition {
		return true
	}
	return d.Type == domain.DocPurchaseBill && slices.ContainsFunc(d.Lines, func(l domain.DocLine) bool { return l.Variance != 0 })
}

// UpdatePurchaseDoc replaces a draft.
func (s *Service) UpdatePurchaseDoc(ctx context.Context, p *domain.Principal, id int64, d domain.Document) (domain.Document, error) {
	cur, err := s.PurchaseDoc(ctx, p, d.Type, id)
	if err != nil {
		return d, err
	}
	d.ID, d.CompanyID = id, p.CompanyID
	if d.Date.IsZero() {
		d.Date = cur.Date
	}
	if _, err := s.preparePurchaseDoc(ctx, p, &d); err != nil {
		return d, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		before, err := s.purchaseDoc(ctx, tx, p, d.Type, id)
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

// ActClose closes a posted order: its backorders are dropped.
const ActClose DocAction = "close"

// ActOpts are the choices that come with an action.
type ActOpts struct {
	// OverrideBudget places an order over its budget (needs
	// purchase.budget.override; audited).
	OverrideBudget bool
	// OverrideCredit confirms a sales order or posts a shipment the
	// customer's credit does not allow (needs sales.credit.override and a
	// reason; audited).
	OverrideCredit bool
	Reason         string
	// Backorder confirms a sales order whose stock is short: it holds what
	// there is and the rest waits (bought for it: 以销定购, or restocked).
	Backorder bool
}

// ActOnPurchaseDoc submits, approves, posts, cancels or (orders and
// requisitions) closes a document. The caller's version must match. A
// requisition is open once approved: it is ordered from, never posted.
func (s *Service) ActOnPurchaseDoc(ctx context.Context, p *domain.Principal, t domain.DocType, id, version int64, act DocAction, opts ...ActOpts) (domain.Document, error) {
	var opt ActOpts
	if len(opts) > 0 {
		opt = opts[0]
	}
	if opt.OverrideBudget && !p.Can("purchase.budget.override") {
		return domain.Document{}, domain.Errorf(domain.EForbidden, "missing permission purchase.budget.override")
	}
	var pc *purchaseCtx
	if act == ActPost || act == ActApprove {
		cur, err := docView(ctx, s, p, id, func(tx *store.Tx) (domain.Document, error) { return s.purchaseDoc(ctx, tx, p, t, id) })
		if err != nil {
			return cur, err
		}
		if pc, err = s.preparePurchaseDoc(ctx, p, &cur); err != nil {
			return cur, err
		}
	}
	var d domain.Document
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if d, err = s.purchaseDoc(ctx, tx, p, t, id); err != nil {
			return err
		}
		if version != 0 && d.Version != version {
			return domain.ErrorKey(domain.EConflict, "error.stale", map[string]string{"entity": "document"}, "document was changed by someone else")
		}
		before := d
		switch act {
		case ActSubmit, ActApprove, ActCancel:
			err = moveState(ctx, tx, &d, act)
		case ActClose:
			open := domain.DocPosted
			if d.Type == domain.DocPurchaseRequisition {
				open = domain.DocApproved
			}
			if (d.Type != domain.DocPurchaseOrder && d.Type != domain.DocPurchaseRequisition) || d.State != open || d.Closed {
				return stateErr(d.State, open)
			}
			err = tx.CloseOrder(ctx, &d, open)
		case ActPost:
			if d.Type == domain.DocPurchaseRequisition {
				return domain.ErrorKey(domain.EConflict, "error.requisition_not_posted", nil, "a requisition is approved and then ordered from; it is not posted")
			}
			if pc.company, err = tx.Company(ctx, p.CompanyID); err != nil {
				return err
			}
			d.Lines = withMatch(d.Lines, pc)
			switch {
			case d.State == domain.DocPosted || d.State == domain.DocCancelled:
				return stateErr(d.State, domain.DocDraft)
			case needsApproval(pc, &d) && d.State != domain.DocApproved:
				return domain.ErrorKey(domain.EConflict, "error.needs_approval", nil, "documents of this type need approval before posting")
			}
			pc.override = opt.OverrideBudget
			err = s.postPurchase(ctx, tx, p, pc, &d, d.State)
		default:
			return domain.FieldErr("action", "one_of")
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, p, "document", id, string(act), map[string]any{"state": before.State}, map[string]any{"state": d.State, "closed": d.Closed})
	})
	return d, err
}

// withMatch carries the variances computed when preparing onto the saved
// lines (a price changed since the draft was saved shows up here).
func withMatch(lines []domain.DocLine, pc *purchaseCtx) []domain.DocLine {
	for i := range lines {
		src, ok := pc.sources[lines[i].SourceLineID]
		if !ok {
			continue
		}
		if v, err := lines[i].BillVarianceAt(&src.DocLine, src.TaxIncluded); err == nil {
			lines[i].Variance = v
		}
	}
	return lines
}

// postPurchase posts a purchasing document in tx. What it does depends on
// the type; the documents it follows are locked first and their running
// quantities read fresh, so two postings against one order or receipt can
// never both take the same quantity.
func (s *Service) postPurchase(ctx context.Context, tx *store.Tx, p *domain.Principal, pc *purchaseCtx, d *domain.Document, from domain.DocState) error {
	var sources map[int64]store.SourceLine
	if d.Type != domain.DocPayment {
		docs := map[int64]bool{}
		var ids []int64
		for _, l := range d.Lines {
			if src, ok := pc.sources[l.SourceLineID]; ok {
				docs[src.DocumentID] = true
				ids = append(ids, l.SourceLineID)
			}
		}
		locks := slices.Sorted(maps.Keys(docs)) // one lock order
		tx.FollowAhead(ctx, p.CompanyID, locks, ids, store.Following{})
		for _, id := range locks {
			if err := tx.LockDocument(ctx, p.CompanyID, id); err != nil {
				return err
			}
		}
		var err error
		if sources, err = tx.SourceLines(ctx, p.CompanyID, ids); err != nil {
			return err
		}
		if err := recheckSources(d, pc.sources, sources, purchaseSourceRefusal); err != nil {
			return err
		}
	}
	var tallies []store.LineTally
	var ledger []store.PartnerEntry
	entry := func(amount domain.Money) {
		if amount != 0 {
			ledger = append(ledger, store.PartnerEntry{PartnerID: *d.PartnerID, Kind: store.Payable, DocumentID: d.ID, DocType: d.Type,
				Date: d.Date, DueDate: d.DueDate, Amount: amount})
		}
	}
	switch d.Type {
	case domain.DocPurchaseOrder:
		for _, l := range d.Lines {
			if _, ok := sources[l.SourceLineID]; ok {
				tallies = append(tallies, store.LineTally{ID: l.SourceLineID, Ordered: l.BaseQty})
			}
		}
		w, err := s.checkBudgets(ctx, tx, p, pc, d)
		if err != nil {
			return err
		}
		d.Warnings = w
	case domain.DocPurchaseReceipt:
		t, err := receiveOnOrder(d, sources, pc.company.Settings.ReceiptTolerance)
		if err != nil {
			return err
		}
		tallies = t
		if err := s.bookPurchase(ctx, tx, pc, d, nil); err != nil {
			return err
		}
		if err := s.holdForSales(ctx, tx, d, sources); err != nil {
			return err
		}
	case domain.DocPurchaseReturn:
		var credit domain.Money
		var f domain.Fields
		values := map[int64]domain.Money{}
		for i := range d.Lines {
			l := &d.Lines[i]
			q := l.StockQty()
			if l.SourceLineID == 0 { // free: credited in full
				l.Credit = l.Gross
				credit += l.Gross
				continue
			}
			src := sources[l.SourceLineID]
			accepted := src.StockQty()
			if left := accepted - src.ReturnedQty; q > left {
				f.Add(linesField(i, "qty"), "over_return", "max", max(left, 0).Short())
				continue
			}
			c, err := domain.CreditShare(l.Gross, domain.ReturnCredit(accepted, src.ReturnedQty, src.BilledQty, q), q)
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
				for k, v := range lv {
					values[k] = v
				}
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		err := s.bookPurchase(ctx, tx, pc, d, func(m *domain.Move) error {
			src := sources[m.OrigLineID]
			v, err := values[m.OrigLineID].Share(m.Qty, src.StockQty())
			m.Value = max(v, 0)
			return err
		})
		if err != nil {
			return err
		}
		if err := tx.SetLineMatch(ctx, d.Lines); err != nil {
			return err
		}
		entry(-credit)
	case domain.DocPurchaseBill:
		var f domain.Fields
		for i := range d.Lines {
			l := &d.Lines[i]
			src := sources[l.SourceLineID]
			open := domain.ToBill(src.StockQty(), src.ReturnedQty, src.BilledQty)
			if l.BaseQty > open {
				f.Add(linesField(i, "qty"), "over_billed", "max", max(open, 0).Short())
				continue
			}
			src.BilledQty += l.BaseQty
			sources[l.SourceLineID] = src
			tallies = append(tallies, store.LineTally{ID: l.SourceLineID, Billed: l.BaseQty})
		}
		if err := f.Err(); err != nil {
			return err
		}
		if err := tx.SetLineMatch(ctx, d.Lines); err != nil {
			return err
		}
		if d.VarianceTo == "cost" {
			if err := s.varianceToCost(ctx, tx, d, sources, 1); err != nil {
				return err
			}
		}
		entry(d.GrossAmount)
	case domain.DocPayment:
		entry(-d.GrossAmount)
	case domain.DocLandedCost:
		pc.sources = sources
		if err := landedShares(d, pc); err != nil {
			return err
		}
		if err := tx.SetLineCosts(ctx, d.Lines); err != nil {
			return err
		}
		if err := s.landCosts(ctx, tx, d, sources); err != nil {
			return err
		}
		if d.PartnerID != nil { // a carrier's or customs' bill: owed like any other
			entry(d.GrossAmount)
		}
	}
	if err := tx.AddPurchaseTallies(ctx, tallies); err != nil { // purchase lines: no customer's exposure to refresh
		return err
	}
	if err := tx.AppendPartnerLedger(ctx, p.CompanyID, ledger); err != nil {
		return err
	}
	now := tx.Now
	d.PostedBy, d.PostedAt = &p.UserID, &now
	return tx.SetDocState(ctx, d, domain.DocPosted, from)
}

// receiveOnOrder applies a receipt to the order lines it names (domain
// Receive: tolerance, closed lines, rejects) and returns the changes.
func receiveOnOrder(d *domain.Document, sources map[int64]store.SourceLine, tolerance domain.Rate) ([]store.LineTally, error) {
	var order []domain.OrderLine
	var delivery []domain.Delivered
	seen := map[int64]bool{}
	for _, l := range d.Lines {
		src, ok := sources[l.SourceLineID]
		if !ok {
			delivery = append(delivery, domain.Delivered{}) // keeps line indexes; free lines are skipped below
			continue
		}
		if !seen[src.ID] {
			seen[src.ID] = true
			order = append(order, domain.OrderLine{ID: src.ID, ItemID: src.ItemID, Ordered: src.BaseQty, Received: src.ReceivedQty,
				Closed: src.Closed || src.DocClosed})
		}
		delivery = append(delivery, domain.Delivered{OrderLineID: src.ID, ItemID: l.ItemID, Qty: l.BaseQty, Rejected: l.BaseQty - l.StockQty()})
	}
	if len(order) == 0 {
		return nil, nil
	}
	// Free lines (no order line) are left out of Receive but keep their
	// index so that errors name the right line.
	var idx []int
	var onOrder []domain.Delivered
	for i, dl := range delivery {
		if dl.OrderLineID != 0 {
			idx = append(idx, i)
			onOrder = append(onOrder, dl)
		}
	}
	after, err := domain.Receive(order, onOrder, tolerance)
	if err != nil {
		return nil, renumber(err, idx)
	}
	out := make([]store.LineTally, 0, len(after))
	for i, l := range after {
		if l.Received != order[i].Received {
			out = append(out, store.LineTally{ID: l.ID, Received: l.Received - order[i].Received})
		}
	}
	return out, nil
}

// bookPurchase moves a receipt's or a return's goods through the stock
// book; value, when set, fills in the value of each move first.
func (s *Service) bookPurchase(ctx context.Context, tx *store.Tx, pc *purchaseCtx, d *domain.Document, value func(*domain.Move) error) error {
	moves, locs, err := s.stockMoves(ctx, tx, &pc.stockCtx, d)
	if err != nil {
		return err
	}
	for i := range moves {
		if value != nil && moves[i].Kind == domain.MoveReturnOut {
			if err := value(&moves[i]); err != nil {
				return err
			}
		}
	}
	if len(moves) == 0 {
		return nil
	}
	return s.book(ctx, tx, d, moves, locs, bookOpts{company: &pc.company})
}

// renumber rewrites the line indexes of an invalid error's fields
// ("lines[k].qty" → "lines[idx[k]].qty") for errors computed on a subset of
// a document's lines.
func renumber(err error, idx []int) error {
	var e *domain.Error
	if !errors.As(err, &e) {
		return err
	}
	out := *e
	out.Fields = make([]domain.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		var k int
		var rest string
		if n, _ := fmt.Sscanf(f.Field, "lines[%d]%s", &k, &rest); n >= 1 && k >= 0 && k < len(idx) {
			f.Field = linesField(idx[k], strings.TrimPrefix(rest, "."))
		}
		out.Fields[i] = f
	}
	return &out
}

// landedShares prices a landed cost's charges and spreads their net over
// its receipt lines (domain.LandedShares).
func landedShares(d *domain.Document, pc *purchaseCtx) error {
	if err := d.PriceCharges(); err != nil {
		return err
	}
	targets := make([]domain.LandedTarget, len(d.Lines))
	seen := map[int64]bool{}
	for i, l := range d.Lines {
		if seen[l.SourceLineID] {
			return domain.FieldErr(linesField(i, "source_line_id"), "duplicate")
		}
		seen[l.SourceLineID] = true
		src := pc.sources[l.SourceLineID]
		targets[i] = domain.LandedTarget{Value: src.Amount, Qty: src.StockQty(), Weight: pc.items[src.ItemID].Weight}
	}
	shares, err := domain.LandedShares(d.TotalAmount, d.AllocateBy, targets)
	if err != nil {
		return err
	}
	for i := range d.Lines {
		d.Lines[i].Amount = shares[i]
		d.Lines[i].Price = shares[i].UnitPrice(d.Lines[i].Qty)
	}
	return nil
}

// varianceToCost puts a bill's price variances (sign 1; −1 undoes them)
// into the value of the receipt lines they arose on, as of the receipts'
// days, re-costing what followed: the landed-cost mechanism.
func (s *Service) varianceToCost(ctx context.Context, tx *store.Tx, d *domain.Document, sources map[int64]store.SourceLine, sign domain.Money) error {
	v := *d
	v.Lines = nil
	for _, l := range d.Lines {
		if l.Variance != 0 {
			l.Amount = sign * l.Variance
			v.Lines = append(v.Lines, l)
		}
	}
	if len(v.Lines) == 0 {
		return nil
	}
	return s.landCosts(ctx, tx, &v, sources)
}
