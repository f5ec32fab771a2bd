package domain

import "fmt"

// Landed cost (到岸成本): freight, duty, insurance and other charges paid
// for goods already received are part of what the goods cost. A landed
// cost document lists the charges and the receipt lines they were paid
// for; posting it spreads the charges' net (tax excluded, as for the goods)
// over those lines by value, quantity or weight, and adds each share to its
// receipt line's value as of the receipt's date. Like a back-dated posting,
// the item's costing scope is then replayed: a moving average rises from
// the receipt on, FIFO layers of the receipt grow, and issues after the
// receipt are re-costed (recost rows), so later issue values are what they
// would have been had the charges been known on the day.
//
// Allocation (rule L1): share_i = net × w_i / Σw, rounded half away from
// zero, the last line with a weight taking the rest (Allocate), where w is
// the line's net value (by value), its base quantity (by quantity) or its
// base quantity × the item's weight in kg (by weight).

const DocLandedCost DocType = "landed_cost"

// Allocation bases of a landed cost.
const (
	AllocateByValue  = "value"
	AllocateByQty    = "qty"
	AllocateByWeight = "weight"
)

// Charge kinds.
var LandedChargeKinds = []string{"freight", "duty", "insurance", "handling", "other"}

// LandedCharge is one charge on a landed cost document. Amount is as
// entered (with tax when the document's prices include tax).
type LandedCharge struct {
	Kind    string `json:"kind" enum:"freight,duty,insurance,handling,other"`
	Amount  Money  `json:"amount"`
	TaxRate Rate   `json:"tax_rate"`
	Net     Money  `json:"net" doc:"Read only"`
	Tax     Money  `json:"tax" doc:"Read only"`
	Gross   Money  `json:"gross" doc:"Read only"`
	Note    string `json:"note"`
}

// PriceCharges computes the charges' net, tax and gross (R3 per charge) and
// the document's totals.
func (d *Document) PriceCharges() error {
	var f Fields
	var t TaxAmounts
	for i := range d.Charges {
		c := &d.Charges[i]
		p := fmt.Sprintf("charges[%d]", i)
		f.OneOf(p+".kind", c.Kind, LandedChargeKinds...)
		if c.Amount <= 0 {
			f.Add(p+".amount", "positive")
			continue
		}
		if c.TaxRate < 0 || c.TaxRate > RateOf(100) {
			f.Add(p+".tax_rate", "range", "min", "0", "max", "100")
			continue
		}
		f.MaxLen(p+".note", c.Note, 200)
		a, err := TaxLine{Qty: QtyOne, Price: Price(int64(c.Amount) * 100), TaxIncluded: d.TaxIncluded, TaxRate: c.TaxRate}.Amounts()
		if err != nil {
			f.Add(p+".amount", "range", "min", "0.01", "max", "100000000")
			continue
		}
		c.Net, c.Tax, c.Gross = a.Net, a.Tax, a.Gross
		t.Net += a.Net
		t.Tax += a.Tax
		t.Gross += a.Gross
	}
	if len(d.Charges) == 0 {
		f.Add("charges", "required")
	}
	if err := f.Err(); err != nil {
		return err
	}
	d.TotalAmount, d.TaxAmount, d.GrossAmount = t.Net, t.Tax, t.Gross
	return nil
}

// LandedTarget is a receipt line a landed cost is spread over.
type LandedTarget struct {
	Value  Money // the receipt line's net
	Qty    Qty   // accepted, base units
	Weight Qty   // kg per base unit of the item
}

// LandedShares splits net over the targets by the basis (rule L1).
func LandedShares(net Money, by string, targets []LandedTarget) ([]Money, error) {
	weights := make([]int64, len(targets))
	for i, t := range targets {
		switch by {
		case AllocateByValue:
			weights[i] = int64(t.Value)
		case AllocateByQty:
			weights[i] = int64(t.Qty)
		case AllocateByWeight:
			w, ok := MulDivRound(int64(t.Qty), int64(t.Weight), int64(QtyOne))
			if !ok {
				return nil, FieldErr(fmt.Sprintf("lines[%d].qty", i), "range", "min", "0", "max", "1000000000")
			}
			weights[i] = w
		default:
			return nil, FieldErr("allocate_by", "one_of", "allowed", AllocateByValue+", "+AllocateByQty+", "+AllocateByWeight)
		}
		weights[i] = max(weights[i], 0)
	}
	var total int64
	for _, w := range weights {
		total += w
	}
	if total == 0 {
		rule := "no_basis_" + by
		return nil, FieldErr("allocate_by", rule)
	}
	return Allocate(net, weights)
}
