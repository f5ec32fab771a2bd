package domain

import (
	"fmt"
	"slices"
)

// Sales documents (销). They share the document framework and the trade
// lines of purchasing (tax.go) and mirror its documents:
//
//   - sales_quote (报价单): prices offered; posting it sends it, it moves
//     nothing. Orders may follow its lines.
//   - sales_order (销售订单): posting it confirms it (审核): the credit check
//     runs and the stock of each line is reserved (Reserve) in its
//     warehouse, so nobody else can take it. Shipments release what they
//     ship; closing the order releases the rest.
//   - sales_shipment (销售出库 / 送货单): goods out to the customer at cost,
//     against order lines or free. The cost of the goods shipped is kept on
//     the line (gross profit = net − cost).
//   - sales_return (销售退货): goods back from the customer, against a
//     shipment line (in at what that line cost) or free (in at the current
//     cost). The part of it already invoiced is credited to the customer.
//   - sales_invoice (销售发票): bills shipment lines; its gross is what the
//     customer owes (应收). Deposits taken on the order are applied to it.
//   - receipt (收款单): money in from the customer into an account; applied
//     (核销) to invoices now or later. A receipt on an order (source_id) is
//     a deposit (订金).
//
// The customer's balance (应收) is invoices − returns credited − receipts,
// one signed row per posted document in the partner ledger (kind ar).
const (
	DocSalesQuote    DocType = "sales_quote"
	DocSalesOrder    DocType = "sales_order"
	DocSalesShipment DocType = "sales_shipment"
	DocSalesReturn   DocType = "sales_return"
	DocSalesInvoice  DocType = "sales_invoice"
	DocReceipt       DocType = "receipt"
)

// SalesDocTypes are the document types of the sales screens.
var SalesDocTypes = []DocType{DocSalesQuote, DocSalesOrder, DocSalesShipment, DocSalesReturn, DocSalesInvoice, DocReceipt}

// IsSales reports whether t is a sales document type.
func (t DocType) IsSales() bool { return slices.Contains(SalesDocTypes, t) }

// ECreditLimit is the error of an order or shipment the customer's credit
// does not allow.
const ECreditLimit Code = "credit_limit_exceeded"

// Credit modes of a customer.
const (
	CreditBlock = "block"
	CreditWarn  = "warn"
)

// ValidateSales checks a sales document as entered, before its lines are
// resolved against items.
func (d *Document) ValidateSales() error {
	var f Fields
	f.OneOf("type", string(d.Type), string(DocSalesQuote), string(DocSalesOrder), string(DocSalesShipment),
		string(DocSalesReturn), string(DocSalesInvoice), string(DocReceipt))
	if d.Date.IsZero() {
		f.Add("date", "required")
	}
	if d.PartnerID == nil || *d.PartnerID <= 0 {
		f.Add("partner_id", "required")
	}
	if d.Type != DocSalesInvoice && d.Type != DocReceipt && d.WarehouseID <= 0 {
		f.Add("warehouse_id", "required")
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
	if d.Type == DocReceipt {
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
		if l.Qty <= 0 {
			f.Add(p+".qty", "positive")
		}
		validTradeLine(&f, p, l)
		if l.RejectedQty != 0 {
			f.Add(p+".rejected_qty", "receipt_only")
		}
		if d.Type == DocSalesInvoice && l.SourceLineID <= 0 {
			f.Add(p+".source_line_id", "required")
		}
		if d.Type == DocSalesQuote && l.SourceLineID != 0 {
			f.Add(p+".source_line_id", "not_allowed")
		}
	}
	return f.Err()
}

// OpenOrderShare is what an open order line still adds to a customer's
// exposure: its gross for the part not yet invoiced (base units), rounded
// half away from zero. A closed line adds only what was shipped and not
// yet invoiced.
func OpenOrderShare(gross Money, ordered, shipped, invoiced Qty, closed bool) (Money, error) {
	left := ordered - invoiced
	if closed {
		left = shipped - invoiced
	}
	if left <= 0 || ordered <= 0 {
		return 0, nil
	}
	return gross.Share(left, ordered)
}

// OrderLineCredit is what a sales order line adds to its customer's
// exposure: nothing unless its order counts (posted and not reversed) and
// the line is not fully invoiced; else its OpenOrderShare.
func OrderLineCredit(counted bool, gross Money, ordered, shipped, invoiced Qty, closed bool) (Money, error) {
	if !counted || invoiced >= ordered {
		return 0, nil
	}
	return OpenOrderShare(gross, ordered, shipped, invoiced, closed)
}

// Credit is what the credit check knows of a customer.
type Credit struct {
	Limit       Money // 0 = no limit
	Mode        string
	OverdueDays int
	Exposure    Money // unpaid invoices + open orders not yet invoiced (this one included)
	MaxOverdue  int   // days the oldest open invoice is past due (0 = none)
}

// Credit check outcomes.
const (
	CreditOK     = "ok"
	CreditOver   = "over" // over the limit or overdue: blocked without an override
	CreditWarned = "warn" // the same, but the customer's mode only warns
)

// Check says whether the customer may take the order or shipment: over the
// limit (exposure > limit) or an invoice overdue by more than OverdueDays
// days is over — blocked in block mode, warned in warn mode. It returns the
// outcome and the notice for the user.
func (c Credit) Check() (string, *Notice) {
	over := c.Limit > 0 && c.Exposure > c.Limit
	overdue := c.OverdueDays > 0 && c.MaxOverdue > c.OverdueDays
	if !over && !overdue {
		return CreditOK, nil
	}
	n := &Notice{Key: "credit.over", Params: map[string]string{"exposure": c.Exposure.Grouped(), "limit": c.Limit.Grouped()}}
	if overdue {
		n = &Notice{Key: "credit.overdue", Params: map[string]string{"days": fmt.Sprint(c.MaxOverdue), "allowed": fmt.Sprint(c.OverdueDays)}}
	}
	if c.Mode == CreditWarn {
		return CreditWarned, n
	}
	return CreditOver, n
}

// CreditErr is the error of a blocked order or shipment.
func CreditErr(n *Notice) *Error {
	return ErrorKey(ECreditLimit, "error."+n.Key, n.Params, "the customer's credit does not allow this (an override needs sales.credit.override)")
}

// Take is what an allocation takes from one balance row.
type Take struct {
	BalanceKey
	Qty Qty
}

// Reserve takes q from rows, in the order given (first expiring first:
// the caller sorts), taking from each what is available (on hand −
// reserved). It returns the takes and what could not be covered.
func Reserve(rows []Balance, q Qty) ([]Take, Qty) {
	var out []Take
	for _, r := range rows {
		if q <= 0 {
			break
		}
		if avail := r.OnHand - r.Reserved; avail > 0 {
			t := min(avail, q)
			out = append(out, Take{BalanceKey: r.BalanceKey, Qty: t})
			q -= t
		}
	}
	return out, q
}

// SortFEFO orders balance rows first expiring first: rows with an expiry
// before rows without, then by expiry, batch and location.
func SortFEFO(rows []Balance) {
	slices.SortStableFunc(rows, func(a, b Balance) int {
		switch {
		case a.Expiry != nil && b.Expiry == nil:
			return -1
		case a.Expiry == nil && b.Expiry != nil:
			return 1
		case a.Expiry != nil && a.Expiry.Compare(*b.Expiry) != 0:
			return a.Expiry.Compare(*b.Expiry)
		case a.Batch != b.Batch:
			if a.Batch < b.Batch {
				return -1
			}
			return 1
		}
		return int(a.LocationID - b.LocationID)
	})
}

// Release takes q off reservations, the ones at key first (the row a
// shipment takes from), then the others in order. It returns the changes
// (negative quantities).
func Release(held []Take, at BalanceKey, q Qty) []Take {
	var out []Take
	order := slices.Clone(held)
	slices.SortStableFunc(order, func(a, b Take) int {
		switch {
		case a.BalanceKey == at && b.BalanceKey != at:
			return -1
		case b.BalanceKey == at && a.BalanceKey != at:
			return 1
		}
		return 0
	})
	for _, h := range order {
		if q <= 0 {
			break
		}
		t := min(h.Qty, q)
		if t > 0 {
			out = append(out, Take{BalanceKey: h.BalanceKey, Qty: -t})
			q -= t
		}
	}
	return out
}

// NetPrice is a line's price less its line discount rate (per unit, the
// discount rounded half away from zero): what the minimum price is held
// against.
func (l *DocLine) NetPrice() Price {
	if l.DiscountRate <= 0 {
		return l.Price
	}
	off, _ := Money(l.Price).MulRate(l.DiscountRate)
	return l.Price - Price(off)
}
