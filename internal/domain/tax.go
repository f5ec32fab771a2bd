package domain

// Tax and discounts on trade lines (purchasing and sales). The rules, with
// their rounding points named, so that a bookkeeper can redo any line by
// hand (docs/DECISIONS.md, "Money on trade lines"):
//
//  1. Line amount: qty × unit price, rounded to the cent (R1). The price is
//     either tax-inclusive (含税单价, the usual case in China) or net.
//  2. Line discount: amount × (100 % − discount rate), rounded to the cent
//     (R2); the discount is the difference, so nothing is lost.
//  3. Tax, per line (as on a VAT invoice, 按行计税):
//     tax-inclusive: tax = gross × r / (100 % + r), rounded to the cent (R3),
//     net = gross − tax;
//     net prices: tax = net × r / 100 %, rounded to the cent (R3),
//     gross = net + tax.
//     Either way net + tax = gross exactly.
//  4. Document totals are the sums of the lines: never recomputed from a
//     total, so the lines always add up to the document.
//  5. A whole-bill discount (整单优惠) is spread over the lines in
//     proportion to their gross, each share rounded to the cent and the
//     last line taking the rest (R4), then each line's tax is recomputed
//     from its new gross.
//     Before that, a line's own promotion share (PromoDiscount: its part
//     of a threshold promotion, 满减, which covers only the lines in the
//     promotion's scope, worked out by the pricing engine) comes off its
//     gross, its tax recomputed (R4a).
//  6. A line that follows a priced line (a shipment of an order line, its
//     invoice, a return; a receipt of a purchase order line, its bill)
//     takes over the share of the whole-bill discount its source line
//     bore, in proportion to its base quantity, rounded to the cent (R5),
//     off its gross before its own document's discount is spread.
//
// All arithmetic is fixed point with a 128-bit intermediate and rounds half
// away from zero (四舍五入).

// TaxLine is the input of one trade line.
type TaxLine struct {
	Qty          Qty
	Price        Price
	TaxIncluded  bool // Price is 含税
	TaxRate      Rate
	DiscountRate Rate // line discount in percent (0: none)
}

// TaxAmounts are a line's computed amounts.
type TaxAmounts struct {
	Amount   Money `json:"amount" doc:"qty × price before the line discount, on the price's side of tax"`
	Discount Money `json:"discount" doc:"The line discount (and, after SpreadDiscount, its share of the whole-bill discount)"`
	Net      Money `json:"net" doc:"Amount without tax (不含税金额)"`
	Tax      Money `json:"tax" doc:"Tax (税额)"`
	Gross    Money `json:"gross" doc:"Amount with tax (价税合计)"`
}

var hundredPercent = RateOf(100)

// Amounts computes a line by the rules above.
func (l TaxLine) Amounts() (TaxAmounts, error) {
	var a TaxAmounts
	if l.TaxRate < 0 || l.DiscountRate < 0 || l.DiscountRate > hundredPercent {
		return a, Errorf(EInvalid, "rate out of range: tax %s, discount %s", l.TaxRate, l.DiscountRate)
	}
	amount, err := l.Price.Amount(l.Qty) // R1
	if err != nil {
		return a, err
	}
	after, ok := MulDivRound(int64(amount), int64(hundredPercent-l.DiscountRate), int64(hundredPercent)) // R2
	if !ok {
		return a, Errorf(EInvalid, "amount out of range")
	}
	a.Amount, a.Discount = amount, amount-Money(after)
	if l.TaxIncluded {
		a.Gross = Money(after)
		err = a.taxFromGross(l.TaxRate)
	} else {
		a.Net = Money(after)
		err = a.taxFromNet(l.TaxRate)
	}
	return a, err
}

// taxFromGross splits Gross into Net and Tax (R3).
func (a *TaxAmounts) taxFromGross(r Rate) error {
	t, ok := MulDivRound(int64(a.Gross), int64(r), int64(hundredPercent+r))
	if !ok {
		return Errorf(EInvalid, "amount out of range")
	}
	a.Tax = Money(t)
	a.Net = a.Gross - a.Tax
	return nil
}

// taxFromNet adds Tax to Net (R3).
func (a *TaxAmounts) taxFromNet(r Rate) error {
	t, err := a.Net.MulRate(r)
	if err != nil {
		return err
	}
	a.Tax = t
	a.Gross = a.Net + a.Tax
	return nil
}

// takeOff takes c (at most the gross; nothing when c ≤ 0) off the line's
// gross as discount and recomputes its tax from what is left (R5).
func (a *TaxAmounts) takeOff(c Money, r Rate) error {
	if c = min(c, a.Gross); c <= 0 {
		return nil
	}
	a.Discount += c
	a.Gross -= c
	return a.taxFromGross(r)
}

// TaxTotals sums lines (rule 4).
func TaxTotals(lines []TaxAmounts) TaxAmounts {
	var t TaxAmounts
	for _, l := range lines {
		t.Amount += l.Amount
		t.Discount += l.Discount
		t.Net += l.Net
		t.Tax += l.Tax
		t.Gross += l.Gross
	}
	return t
}

// SpreadDiscount takes a whole-bill discount off the lines' gross in
// proportion to it (R4: each share rounded, the last non-zero line takes
// the rest) and recomputes each line's tax from its new gross at its rate.
// The discount may not exceed the lines' gross.
func SpreadDiscount(lines []TaxAmounts, rates []Rate, discount Money) error {
	if len(rates) != len(lines) {
		return Errorf(EInvalid, "%d rates for %d lines", len(rates), len(lines))
	}
	total := TaxTotals(lines).Gross
	switch {
	case discount == 0:
		return nil
	case discount < 0 || discount > total:
		return FieldErr("discount", "max", "max", total.String())
	}
	weights := make([]int64, len(lines))
	for i, l := range lines {
		weights[i] = int64(l.Gross)
	}
	shares, err := Allocate(discount, weights)
	if err != nil {
		return err
	}
	for i := range lines {
		l := &lines[i]
		if shares[i] == 0 && l.Gross == 0 {
			continue
		}
		l.Discount += shares[i]
		l.Gross -= shares[i]
		if err := l.taxFromGross(rates[i]); err != nil {
			return err
		}
	}
	return nil
}

// Allocate splits total in proportion to weights (all ≥ 0, not all 0): each
// share rounded half away from zero, the last line with a weight taking the
// rest, so the shares always sum to total.
func Allocate(total Money, weights []int64) ([]Money, error) {
	var whole int64
	last := -1
	for i, w := range weights {
		if w < 0 {
			return nil, Errorf(EInvalid, "negative weight %d", w)
		}
		if w > 0 {
			whole, last = whole+w, i
		}
	}
	out := make([]Money, len(weights))
	if last < 0 {
		return nil, Errorf(EInvalid, "nothing to allocate %s over", total)
	}
	left := total
	for i, w := range weights {
		if w == 0 {
			continue
		}
		share := left
		if i != last {
			v, ok := MulDivRound(int64(total), w, whole)
			if !ok {
				return nil, Errorf(EInvalid, "amount out of range")
			}
			share = Money(v)
		}
		out[i], left = share, left-share
	}
	return out, nil
}
