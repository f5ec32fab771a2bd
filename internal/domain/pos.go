package domain

import (
	"fmt"
	"slices"
)

// The counter (开单 / POS). A counter sale (pos_sale, 零售单) is a sale,
// its stock issue and its payment in one document, posted when it is made:
// lines priced with tax included (retail prices are), line and whole-bill
// discounts, then one or more payments — cash with change, WeChat, Alipay,
// card, or the customer's store credit. A counter return (pos_return)
// takes goods of a sale back (found by the sale's number on the receipt)
// and refunds them.
const (
	DocPOSSale   DocType = "pos_sale"
	DocPOSReturn DocType = "pos_return"
)

// IsPOS reports whether t is a counter document type.
func (t DocType) IsPOS() bool { return t == DocPOSSale || t == DocPOSReturn }

// Payment methods at the counter. Every method but store credit names the
// money account it goes into (a cash drawer, a WeChat or Alipay merchant
// account, a card terminal's bank account).
const (
	PayCash        = "cash"
	PayWeChat      = "wechat"
	PayAlipay      = "alipay"
	PayCard        = "card"
	PayStoreCredit = "store_credit" // the customer's prepaid balance (应收 credit)
	PayOther       = "other"
)

// PayMethods lists the methods in the order the counter offers them.
var PayMethods = []string{PayCash, PayWeChat, PayAlipay, PayCard, PayStoreCredit, PayOther}

// Payment is one payment of a counter sale (or one refund of a return).
type Payment struct {
	Method    string `json:"method" enum:"cash,wechat,alipay,card,store_credit,other"`
	AccountID *int64 `json:"account_id" doc:"The money account; not used for store credit"`
	Amount    Money  `json:"amount" doc:"What this payment pays of the sale (cash: after change). Filled in"`
	Tendered  Money  `json:"tendered" doc:"What the customer handed over (cash: may exceed the amount; the rest is change)"`
	Change    Money  `json:"change" doc:"Cash handed back. Filled in"`
	Ref       string `json:"ref" doc:"The terminal's or platform's transaction number"`
}

// Tender checks the payments of a sale of total and fills in what each
// pays and the change: non-cash payments pay what they say and may not
// exceed what is left; cash pays the rest and gives change from what was
// tendered. Store credit needs a customer. The payments must cover total
// exactly. Refunds (refund true) give no change and must equal total.
func Tender(total Money, pays []Payment, hasCustomer, refund bool) ([]Payment, error) {
	var f Fields
	if len(pays) == 0 {
		f.Add("payments", "required")
		return nil, f.Err()
	}
	out := slices.Clone(pays)
	var nonCash Money
	cash := -1
	for i := range out {
		p := &out[i]
		field := fmt.Sprintf("payments[%d]", i)
		f.OneOf(field+".method", p.Method, PayMethods...)
		f.MaxLen(field+".ref", p.Ref, 64)
		switch {
		case p.Method == PayStoreCredit && !hasCustomer:
			f.Add(field+".method", "needs_customer")
		case p.Method == PayStoreCredit:
			p.AccountID = nil
		case p.AccountID == nil || *p.AccountID <= 0:
			f.Add(field+".account_id", "required")
		}
		if p.Tendered <= 0 {
			f.Add(field+".tendered", "positive")
		}
		if p.Method == PayCash && !refund {
			if cash >= 0 {
				f.Add(field+".method", "duplicate")
			}
			cash = i
			continue
		}
		p.Amount, p.Change = p.Tendered, 0
		nonCash += p.Amount
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	left := total - nonCash
	switch {
	case left < 0:
		f.Add("payments", "over_paid", "total", total.String())
	case cash < 0 && left != 0:
		f.Add("payments", "short_paid", "short", left.String())
	case cash >= 0:
		c := &out[cash]
		if c.Tendered < left {
			f.Add(fmt.Sprintf("payments[%d].tendered", cash), "short_paid", "short", (left - c.Tendered).String())
		}
		c.Amount, c.Change = left, c.Tendered-left
	}
	return out, f.Err()
}

// ValidatePOS checks a counter sale or return as entered. A sale names its
// warehouse; the customer is optional (a walk-in). A return's lines follow
// the sale's lines.
func (d *Document) ValidatePOS() error {
	var f Fields
	f.OneOf("type", string(d.Type), string(DocPOSSale), string(DocPOSReturn))
	if d.WarehouseID <= 0 {
		f.Add("warehouse_id", "required")
	}
	f.MaxLen("note", d.Note, 2000)
	f.NotNegative("discount", int64(d.Discount))
	if len(d.Lines) == 0 {
		f.Add("lines", "required")
	}
	if len(d.Lines) > MaxDocLines {
		f.Add("lines", "max_items", "max", fmt.Sprint(MaxDocLines))
	}
	for i, l := range d.Lines {
		p := fmt.Sprintf("lines[%d]", i)
		if d.Type == DocPOSSale && l.ItemID <= 0 {
			f.Add(p+".item_id", "required")
		}
		if d.Type == DocPOSReturn && l.SourceLineID <= 0 {
			f.Add(p+".source_line_id", "required")
		}
		if l.Qty <= 0 {
			f.Add(p+".qty", "positive")
		}
		validTradeLine(&f, p, l)
	}
	return f.Err()
}

// PaidFor is what q (base units) of a sold line was paid — its share of the
// line's net and gross by quantity, each rounded half away from zero, the
// whole-bill discount's share included — and the tax between them: what a
// return of q refunds.
func (l *DocLine) PaidFor(q Qty) (net, tax, gross Money, err error) {
	if net, err = l.Amount.Share(q, l.BaseQty); err != nil {
		return 0, 0, 0, err
	}
	if gross, err = l.Gross.Share(q, l.BaseQty); err != nil {
		return 0, 0, 0, err
	}
	return net, gross - net, gross, nil
}
