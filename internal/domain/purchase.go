package domain

import (
	"fmt"
	"time"
)

// Purchasing documents (进). They share the document framework of the
// warehouse documents (numbers, states, approval, audit) and add trade
// lines with tax (tax.go) and the supplier's account (往来账):
//
//   - purchase_order (采购订单): what was ordered; posting it (下达) commits
//     the order, it moves nothing. Receipts fill its lines; what is left is
//     the backorder (receiving.go). An order is closed by hand when the rest
//     will never come.
//   - purchase_receipt (采购入库): goods in from the supplier, against an
//     order or free. Qty is what was delivered; RejectedQty failed
//     inspection and is neither stocked nor paid; the accepted rest enters
//     stock at its net amount (tax excluded: input VAT is reclaimed, not
//     cost).
//   - purchase_return (采购退货): goods back to the supplier, against a
//     receipt line (out at what that receipt is worth now) or free (out at
//     cost).
//   - purchase_bill (采购发票): the supplier's invoice, matched line by line
//     to receipt lines (3-way match: order price, received quantity, billed
//     quantity and price). Posting it adds its gross to what we owe.
//   - payment (付款): money out of an account to the supplier; allocated
//     (核销) to bills now or later. A payment not yet allocated is a
//     prepayment (预付).
//
// The supplier's balance (应付) is bills − returns credited − payments,
// kept as one signed row per posted document in the partner ledger.
// A return first reduces what is still to be billed on its receipt line;
// only the part of it that was billed already is credited to the account
// (ReturnCredit), so goods are never credited twice.

const (
	DocPurchaseRequisition DocType = "purchase_requisition"
	DocPurchaseRFQ         DocType = "purchase_rfq"
	DocPurchaseOrder       DocType = "purchase_order"
	DocPurchaseReceipt     DocType = "purchase_receipt"
	DocPurchaseReturn      DocType = "purchase_return"
	DocPurchaseBill        DocType = "purchase_bill"
	DocPayment             DocType = "payment"
)

// PurchaseDocTypes are the document types of the purchasing screens.
var PurchaseDocTypes = []DocType{DocPurchaseRequisition, DocPurchaseRFQ, DocPurchaseOrder, DocPurchaseReceipt, DocPurchaseReturn, DocPurchaseBill, DocPayment, DocLandedCost}

// IsPurchase reports whether t is a purchasing document type.
func (t DocType) IsPurchase() bool {
	switch t {
	case DocPurchaseRequisition, DocPurchaseRFQ, DocPurchaseOrder, DocPurchaseReceipt, DocPurchaseReturn, DocPurchaseBill, DocPayment, DocLandedCost:
		return true
	}
	return false
}

// Moves reports whether posting the type moves goods.
func (t DocType) Moves() bool {
	switch t {
	case DocPurchaseRequisition, DocPurchaseRFQ, DocPurchaseOrder, DocPurchaseBill, DocPayment, DocLandedCost,
		DocSalesQuote, DocSalesOrder, DocSalesInvoice, DocReceipt:
		return false
	}
	return true
}

// NeedsPartner reports whether documents of the type name a partner.
func (t DocType) NeedsPartner() bool {
	return t != DocPurchaseRequisition && t != DocPurchaseRFQ && t != DocLandedCost
}

// Traded reports whether the type's lines carry prices with tax.
func (t DocType) Traded() bool {
	switch t {
	case DocPurchaseOrder, DocPurchaseReceipt, DocPurchaseReturn, DocPurchaseBill,
		DocSalesQuote, DocSalesOrder, DocSalesShipment, DocSalesReturn, DocSalesInvoice, DocPOSSale, DocPOSReturn:
		return true
	}
	return false
}

// ValidatePurchase checks a purchasing document as entered, before its
// lines are resolved against items.
func (d *Document) ValidatePurchase() error {
	var f Fields
	f.OneOf("type", string(d.Type), string(DocPurchaseRequisition), string(DocPurchaseRFQ), string(DocPurchaseOrder),
		string(DocPurchaseReceipt), string(DocPurchaseReturn), string(DocPurchaseBill), string(DocPayment), string(DocLandedCost))
	if d.Date.IsZero() {
		f.Add("date", "required")
	}
	if d.Type.NeedsPartner() && (d.PartnerID == nil || *d.PartnerID <= 0) {
		f.Add("partner_id", "required")
	}
	if !d.Type.NeedsPartner() && d.Type != DocLandedCost && d.PartnerID != nil {
		d.PartnerID = nil
	}
	if d.Type == DocLandedCost {
		f.OneOf("allocate_by", d.AllocateBy, AllocateByValue, AllocateByQty, AllocateByWeight)
	}
	if d.VarianceTo == "account" {
		d.VarianceTo = ""
	}
	if d.VarianceTo != "" && (d.Type != DocPurchaseBill || d.VarianceTo != "cost") {
		f.Add("variance_to", "one_of", "allowed", "account, cost")
	}
	if d.Type.Moves() || d.Type == DocPurchaseOrder || d.Type == DocPurchaseRequisition {
		if d.WarehouseID <= 0 {
			f.Add("warehouse_id", "required")
		}
	}
	if d.ExpectedDate != nil && d.ExpectedDate.Before(d.Date) {
		f.Add("expected_date", "before_date")
	}
	if d.DueDate != nil && d.DueDate.Before(d.Date) {
		f.Add("due_date", "before_date")
	}
	f.MaxLen("ref", d.Ref, 64)
	f.MaxLen("note", d.Note, 2000)
	f.NotNegative("discount", int64(d.Discount))
	if d.Type == DocPayment {
		if d.AccountID == nil || *d.AccountID <= 0 {
			f.Add("account_id", "required")
		}
		if d.GrossAmount <= 0 {
			f.Add("amount", "positive")
		}
		if len(d.Lines) > 0 {
			f.Add("lines", "not_allowed")
		}
		return f.Err()
	}
	if len(d.Lines) == 0 {
		f.Add("lines", "required")
	}
	if len(d.Lines) > MaxDocLines {
		f.Add("lines", "max_items", "max", fmt.Sprint(MaxDocLines))
	}
	for i, l := range d.Lines {
		p := fmt.Sprintf("lines[%d]", i)
		if l.ItemID <= 0 && l.SourceLineID <= 0 {
			f.Add(p+".item_id", "required")
		}
		if l.Qty <= 0 && d.Type != DocLandedCost { // a landed cost takes the receipt's
			f.Add(p+".qty", "positive")
		}
		validTradeLine(&f, p, l)
		switch {
		case l.RejectedQty < 0:
			f.Add(p+".rejected_qty", "not_negative")
		case l.RejectedQty > 0 && d.Type != DocPurchaseReceipt:
			f.Add(p+".rejected_qty", "receipt_only")
		case l.RejectedQty > l.Qty:
			f.Add(p+".rejected_qty", "max", "max", l.Qty.Short())
		}
		if (d.Type == DocPurchaseBill || d.Type == DocLandedCost) && l.SourceLineID <= 0 {
			f.Add(p+".source_line_id", "required")
		}
		if (d.Type == DocPurchaseRequisition) && l.SourceLineID != 0 {
			f.Add(p+".source_line_id", "not_allowed")
		}
	}
	return f.Err()
}

// validTradeLine checks what every trade line (purchasing and sales) must
// hold: a price not below zero, tax and discount rates within 0–100 %,
// batch and note within their lengths.
func validTradeLine(f *Fields, p string, l DocLine) {
	f.NotNegative(p+".price", int64(l.Price))
	if l.TaxRate < 0 || l.TaxRate > RateOf(100) {
		f.Add(p+".tax_rate", "range", "min", "0", "max", "100")
	}
	if l.DiscountRate < 0 || l.DiscountRate > RateOf(100) {
		f.Add(p+".discount_rate", "range", "min", "0", "max", "100")
	}
	f.NotNegative(p+".promo_discount", int64(l.PromoDiscount))
	f.MaxLen(p+".batch", l.Batch, 64)
	f.MaxLen(p+".note", l.Note, 500)
}

// Accepted is what a receipt line stocks and is charged for, in the unit
// entered: the quantity delivered less what failed inspection. On every
// other line it is the quantity.
func (l *DocLine) Accepted() Qty { return l.Qty - l.RejectedQty }

// PriceTrade computes the amounts of a trade document's lines and its
// totals by the rules in tax.go: each line from its accepted quantity,
// price, tax rate and discount (R1–R3), then the whole-bill discount spread
// over them (R4). A line's Amount is its net (the value a receipt stocks).
func (d *Document) PriceTrade() error { return d.PriceTradeCarried(nil) }

// PriceTradeCarried is PriceTrade for lines that follow priced lines:
// carried[i] (CarriedShare; a nil slice or 0 for none) comes off line i's
// gross after R1–R3, its tax recomputed from what is left (R5), then the
// line's own promotion share (PromoDiscount, R4a), before the document's
// own whole-bill discount is spread over the lines (R4).
func (d *Document) PriceTradeCarried(carried []Money) error {
	amounts := make([]TaxAmounts, len(d.Lines))
	rates := make([]Rate, len(d.Lines))
	var f Fields
	for i := range d.Lines {
		l := &d.Lines[i]
		a, err := TaxLine{Qty: l.Accepted(), Price: l.Price, TaxIncluded: d.TaxIncluded, TaxRate: l.TaxRate, DiscountRate: l.DiscountRate}.Amounts()
		if err == nil && i < len(carried) {
			err = a.takeOff(carried[i], l.TaxRate)
		}
		if err != nil {
			f.Add(fmt.Sprintf("lines[%d].price", i), "range", "min", "0", "max", "1000000000")
			continue
		}
		if l.PromoDiscount > a.Gross {
			f.Add(fmt.Sprintf("lines[%d].promo_discount", i), "max", "max", a.Gross.String())
			continue
		}
		if err := a.takeOff(l.PromoDiscount, l.TaxRate); err != nil { // R4a
			return err
		}
		amounts[i], rates[i] = a, l.TaxRate
	}
	if err := f.Err(); err != nil {
		return err
	}
	if err := SpreadDiscount(amounts, rates, d.Discount); err != nil {
		return err
	}
	for i := range d.Lines {
		l, a := &d.Lines[i], amounts[i]
		l.Amount, l.Discount, l.Tax, l.Gross = a.Net, a.Discount, a.Tax, a.Gross
	}
	t := TaxTotals(amounts)
	d.TotalAmount, d.TaxAmount, d.GrossAmount = t.Net, t.Tax, t.Gross
	return nil
}

// FollowedLine is what pricing reads of the line a line follows.
type FollowedLine struct {
	Line        *DocLine
	DocType     DocType
	TaxIncluded bool
}

// PriceFollowing is PriceTrade for a document whose lines may follow
// priced lines (source, by a line's SourceLineID): each takes over its
// share of that line's whole-bill discount (CarriedShare, R5) — a receipt
// of an order and its bill, a shipment of an order, its invoice, the
// returns, an order of a quotation. Not an order bought for a customer's
// order (以销定购), whose prices are the supplier's, not the customer's.
func (d *Document) PriceFollowing(source func(lineID int64) (FollowedLine, bool)) error {
	var carried []Money
	for i := range d.Lines {
		l := &d.Lines[i]
		src, ok := source(l.SourceLineID)
		if !ok || !src.DocType.Traded() || (d.Type == DocPurchaseOrder && src.DocType == DocSalesOrder) {
			continue
		}
		// The source's promotion share is in what it carries (its gross
		// kept): a share of the follower's own would take it off twice.
		l.PromoDiscount = 0
		c, err := l.CarriedShare(src.Line, src.TaxIncluded, d.Type.FollowedBefore(src.Line))
		if err != nil {
			return err
		}
		if c != 0 {
			if carried == nil {
				carried = make([]Money, len(d.Lines))
			}
			carried[i] = c
		}
	}
	return d.PriceTradeCarried(carried)
}

// FollowedBefore is the base quantity of src that posted documents of type
// t have followed so far: the running quantity a posting of t raises.
func (t DocType) FollowedBefore(src *DocLine) Qty {
	switch t {
	case DocSalesShipment, DocPurchaseReceipt:
		return src.ReceivedQty
	case DocSalesInvoice, DocPurchaseBill:
		return src.BilledQty
	case DocSalesReturn, DocPurchaseReturn:
		return src.ReturnedQty
	case DocSalesOrder:
		return src.OrderedQty
	}
	return 0
}

// WholeBillShare is what its document's whole-bill discount took off a
// priced line (R4): the gross its own quantity, price, tax and discount
// rate give (R1–R3) less the gross it kept.
func (l *DocLine) WholeBillShare(taxIncluded bool) (Money, error) {
	a, err := TaxLine{Qty: l.Accepted(), Price: l.Price, TaxIncluded: taxIncluded, TaxRate: l.TaxRate, DiscountRate: l.DiscountRate}.Amounts()
	if err != nil {
		return 0, err
	}
	return max(a.Gross-l.Gross, 0), nil
}

// CarriedShare is the part of src's whole-bill share (WholeBillShare) that
// a line following it takes over (R5): in proportion to the base quantity
// that follows. So a shipment of an order, its invoice and a return of it
// charge what the order agreed, not the price before the order's 整单优惠.
// before is the base quantity of src that earlier followers of this kind
// took; the share is rounded cumulatively (what before and this line
// together take, less what before took, each rounded half away from zero),
// so the followers of a whole line take exactly its share, to the cent.
func (l *DocLine) CarriedShare(src *DocLine, srcTaxIncluded bool, before Qty) (Money, error) {
	whole := src.StockQty()
	if whole <= 0 {
		return 0, nil
	}
	share, err := src.WholeBillShare(srcTaxIncluded)
	if err != nil || share == 0 {
		return 0, err
	}
	before = max(before, 0)
	upto, err := share.Share(before+l.StockQty(), whole)
	if err != nil {
		return 0, err
	}
	took, err := share.Share(before, whole)
	if err != nil {
		return 0, err
	}
	return max(upto-took, 0), nil
}

// ToBill is what of a receipt line is still to be billed, in base units:
// accepted − returned − billed. It is negative when goods were returned
// after they were billed (and credited, see ReturnCredit).
func ToBill(accepted, returned, billed Qty) Qty { return accepted - returned - billed }

// ReturnCredit splits a return of q (base units) from a receipt line into
// the part that only reduces what is still to be billed and the part that
// was billed already, which is credited to the supplier's account. The
// unbilled goods go first.
func ReturnCredit(accepted, returned, billed, q Qty) (credited Qty) {
	open := max(ToBill(accepted, returned, billed), 0)
	return max(q-open, 0)
}

// CreditShare is the money credited for credited of a line whose gross
// covers whole (base units), rounded half away from zero.
func CreditShare(gross Money, credited, whole Qty) (Money, error) {
	if credited == 0 {
		return 0, nil
	}
	return gross.Share(credited, whole)
}

// BillVarianceAt is a bill line's price variance (价差) against the
// receipt line src it bills: its net less the net src's own price, tax and
// discount rate give the same quantity (R1–R3), that quantity's part of
// src's whole-bill discount taken off (R5, after what was billed before).
// A bill at the receipt's prices so has none, whatever a part's rounding
// (the share of src's net for the quantity, used before, could differ from
// it by a cent and sent a bill at the receipt's very price to approval).
func (l *DocLine) BillVarianceAt(src *DocLine, srcTaxIncluded bool) (Money, error) {
	a, err := TaxLine{Qty: l.Accepted(), Price: src.Price, TaxIncluded: srcTaxIncluded, TaxRate: src.TaxRate, DiscountRate: src.DiscountRate}.Amounts()
	if err != nil {
		return 0, err
	}
	c, err := l.CarriedShare(src, srcTaxIncluded, DocPurchaseBill.FollowedBefore(src))
	if err == nil {
		err = a.takeOff(c, src.TaxRate)
	}
	if err != nil {
		return 0, err
	}
	return l.Amount - a.Net, nil
}

// DueDate is a bill's due date: the date plus the supplier's payment terms.
func DueDate(day Date, termsDays int) Date {
	return Date{Time: day.Time.AddDate(0, 0, termsDays)}
}

// AgingBuckets are the ages of open amounts, by days past due: not due,
// 1–30, 31–60, 61–90 and over 90.
var AgingBuckets = []string{"current", "1_30", "31_60", "61_90", "over_90"}

// AgingBucket is the index in AgingBuckets of an amount due on due, seen on
// asOf.
func AgingBucket(due, asOf Date) int {
	days := int(asOf.Time.Sub(due.Time) / (24 * time.Hour))
	switch {
	case days <= 0:
		return 0
	case days <= 30:
		return 1
	case days <= 60:
		return 2
	case days <= 90:
		return 3
	}
	return 4
}

// Budget scopes: what a purchase budget caps. jxc has no departments; a
// chain's store (its warehouse) is the usual cost centre, so budgets by
// warehouse stand for them.
const (
	BudgetCategory  = "category"
	BudgetSupplier  = "supplier"
	BudgetWarehouse = "warehouse"
)

// Budget caps the net amount ordered for a category (with its
// sub-categories), a supplier or a warehouse over a period. Orders are
// counted by their date when they are placed (posted).
type Budget struct {
	ID        int64  `json:"id"`
	Scope     string `json:"scope" enum:"category,supplier,warehouse"`
	RefID     int64  `json:"ref_id" doc:"The category, supplier or warehouse"`
	RefName   string `json:"ref_name" doc:"Its name. Read only"`
	RefNameEn string `json:"ref_name_en" doc:"Its English name (may be empty). Read only"`
	From      Date   `json:"from" doc:"First day of the period"`
	To        Date   `json:"to" doc:"Last day of the period"`
	Amount    Money  `json:"amount" doc:"Net amount that may be ordered"`
	WarnRate  Rate   `json:"warn_rate" doc:"Warn when orders reach this percent of the amount (e.g. 80.00)"`
	Note      string `json:"note"`
	Version   int64  `json:"version"`
}

// Validate checks a budget as entered.
func (b *Budget) Validate() error {
	var f Fields
	f.OneOf("scope", b.Scope, BudgetCategory, BudgetSupplier, BudgetWarehouse)
	if b.RefID <= 0 {
		f.Add("ref_id", "required")
	}
	if b.From.IsZero() {
		f.Add("from", "required")
	}
	if b.To.IsZero() {
		f.Add("to", "required")
	} else if b.To.Before(b.From) {
		f.Add("to", "before_date")
	}
	if b.Amount <= 0 {
		f.Add("amount", "positive")
	}
	if b.WarnRate < 0 || b.WarnRate > RateOf(100) {
		f.Add("warn_rate", "range", "min", "0", "max", "100")
	}
	f.MaxLen("note", b.Note, 500)
	return f.Err()
}

// Budget check results.
const (
	BudgetOK   = "ok"
	BudgetWarn = "warn" // at or over the warning share
	BudgetOver = "over" // over the amount: blocked without an override
)

// CheckBudget says what placing adding (net) does to a budget that has
// committed already: over when the total exceeds the amount, warn when it
// reaches WarnRate of it (amount × rate rounded half away from zero).
func (b *Budget) CheckBudget(committed, adding Money) string {
	total := committed + adding
	if total > b.Amount {
		return BudgetOver
	}
	if b.WarnRate > 0 {
		if at, err := b.Amount.MulRate(b.WarnRate); err == nil && total >= at {
			return BudgetWarn
		}
	}
	return BudgetOK
}

// AccountAmount is what a document puts on its partner's account (+ owed
// more, − owed less): a posted bill or sales invoice its gross, a payment
// or a receipt minus its amount, a return (either way) minus what it
// credited (a counter return: what it refunded to store credit), a counter
// sale what it took from store credit, a landed cost with a carrier its
// gross;
// a reversal the opposite; anything else, or anything not posted, nothing.
func AccountAmount(t DocType, st DocState, reversal, hasPartner bool, gross, credit Money) Money {
	if st != DocPosted {
		return 0
	}
	var a Money
	switch t {
	case DocPurchaseBill, DocSalesInvoice:
		a = gross
	case DocPayment, DocReceipt:
		a = -gross
	case DocPurchaseReturn, DocSalesReturn, DocPOSReturn:
		a = -credit
	case DocPOSSale: // the part paid from store credit
		a = credit
	case DocLandedCost:
		if hasPartner {
			a = gross
		}
	}
	if reversal {
		a = -a
	}
	return a
}

// PriceInUnit converts a price per unit of factor from into a price per
// unit of factor to (base units each), rounded half away from zero: a
// carton's price for one bottle of it.
func PriceInUnit(p Price, from, to Qty) Price {
	if from <= 0 {
		return p
	}
	v, _ := MulDivRound(int64(p), int64(to), int64(from))
	return Price(v)
}
