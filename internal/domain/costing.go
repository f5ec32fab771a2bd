package domain

import (
	"math"
	"slices"
)

// EInsufficientStock is what an issue or a return to the supplier reports
// when it would take more than is on hand and negative stock is not allowed.
const EInsufficientStock Code = "insufficient_stock"

// CostState is the valuation of one item in one costing scope: quantity and
// value on hand, and for FIFO the open layers (oldest first).
//
// The rules, which the stock ledger relies on:
//
//   - Qty == 0 means Value == 0: issuing or returning the whole on-hand takes
//     the whole remaining value, so no residue is ever left behind.
//   - For FIFO, whenever Qty ≥ 0, Qty and Value are the sums over Layers and
//     every layer has Qty > 0 and Value ≥ 0. Moving average has no layers.
//   - Qty < 0 (negative stock, where the company allows it) is a shortfall
//     costed provisionally: Value ≤ 0 is minus the provisional value the
//     uncovered issues went out at, and FIFO has no layers. The next Receive
//     covers the shortfall first and returns the true-up.
//
// Check verifies these. The methods leave the state unchanged when they
// return an error, and never modify a Layers slice they were given (a copy
// of a CostState is safe to keep).
type CostState struct {
	Method CostingMethod
	Qty    Qty
	Value  Money
	Layers []CostLayer
}

// CostLayer is one open FIFO layer.
type CostLayer struct {
	Seq   int64 // the receipt move that opened it
	Qty   Qty
	Value Money
}

// Receive adds qty at a known total value (a purchase receipt, an opening
// balance, a gain, a return from a customer valued at what the shipment
// cost). For FIFO it opens a layer with the given seq.
//
// If Qty was negative, the receipt first covers the shortfall. The covered
// part c = min(q, −Qty) is worth value × c / q (its share of the receipt), and
// it had been issued at the provisional value −Value × c / −Qty (its share of
// the shortfall; covering the whole shortfall takes exactly −Value). trueUp is
// actual − provisional: positive when the provisionally costed issues were
// under-costed. Only the rest of the receipt, q − c at value − actual, goes
// into stock (for FIFO as the new layer), so Value changes by value − trueUp:
// the ledger books the receipt at value and a value-adjustment row of −trueUp
// to stock (+trueUp to the cost of what was issued).
func (s *CostState) Receive(seq int64, q Qty, value Money) (trueUp Money, err error) {
	if err := s.validMethod(); err != nil {
		return 0, err
	}
	if q <= 0 {
		return 0, Errorf(EInvalid, "receipt quantity must be positive, got %s", q)
	}
	if value < 0 {
		return 0, Errorf(EInvalid, "receipt value must not be negative, got %s", value)
	}
	qty, val := s.Qty, s.Value
	restQ, restV := q, value
	if qty < 0 {
		short := -qty
		covered := min(q, short)
		actual, err := value.Share(covered, q)
		if err != nil {
			return 0, err
		}
		provisional, err := (-val).Share(covered, short)
		if err != nil {
			return 0, err
		}
		trueUp = actual - provisional
		qty += covered
		val += provisional
		restQ -= covered
		restV -= actual
	}
	layers := s.Layers
	if restQ > 0 {
		// Here qty ≥ 0: either it was, or the shortfall is now covered.
		if qty > math.MaxInt64-restQ || val > math.MaxInt64-restV {
			return 0, Errorf(EInvalid, "stock quantity or value out of range")
		}
		qty += restQ
		val += restV
		if s.Method == CostingFIFO {
			layers = append(slices.Clip(layers), CostLayer{Seq: seq, Qty: restQ, Value: restV})
		}
	}
	s.Qty, s.Value, s.Layers = qty, val, layers
	return trueUp, nil
}

// Issue takes qty out (a shipment, a loss, a transfer out) and returns its
// value.
//
// Moving average: the value is Value × q / Qty, rounded half away from zero;
// issuing the whole on-hand returns exactly the whole remaining Value (no
// residue ever). The average of what remains stays Value/Qty up to the
// rounding of that one share.
//
// FIFO: layers are consumed oldest first; a whole layer gives its whole
// value, a partial layer gives its share Value × taken / Qty of that layer.
//
// If q exceeds what is on hand: with allowNegative false the error has code
// EInsufficientStock and the state is unchanged. With allowNegative true the
// available part is costed as above and the rest provisionally at the last
// unit cost: Value/Qty before the issue when something was on hand (computed
// as the share Value × rest / Qty, not through a rounded Price), else
// lastCost × rest (lastCost is the caller's last known unit cost; it is used
// only when Qty ≤ 0, including when the stock is already negative). The
// state then goes negative: Qty < 0, Value = −(provisional value), no
// layers; the next Receive trues it up.
func (s *CostState) Issue(q Qty, allowNegative bool, lastCost Price) (value Money, err error) {
	if err := s.validMethod(); err != nil {
		return 0, err
	}
	if q <= 0 {
		return 0, Errorf(EInvalid, "issue quantity must be positive, got %s", q)
	}
	if lastCost < 0 {
		return 0, Errorf(EInvalid, "last unit cost must not be negative, got %s", lastCost)
	}
	avail := max(s.Qty, 0)
	if q > avail && !allowNegative {
		return 0, insufficient(avail, q)
	}
	take := min(q, avail)
	layers := s.Layers
	if take > 0 {
		switch s.Method {
		case CostingMovingAverage:
			value, err = s.Value.Share(take, s.Qty)
		case CostingFIFO:
			value, layers, err = takeLayers(s.Layers, take, -1)
		}
		if err != nil {
			return 0, err
		}
	}
	if short := q - take; short > 0 {
		var provisional Money
		if s.Qty > 0 {
			provisional, err = s.Value.Share(short, s.Qty)
		} else {
			provisional, err = lastCost.Amount(short)
		}
		if err != nil {
			return 0, err
		}
		if provisional > math.MaxInt64-value || s.Qty < math.MinInt64+q ||
			s.Value-value < math.MinInt64+provisional {
			return 0, Errorf(EInvalid, "stock quantity or value out of range")
		}
		value += provisional
		layers = nil
	}
	s.Qty -= q
	s.Value -= value
	s.Layers = layers
	return value, nil
}

// ReturnToSupplier takes qty out at the value it was bought for: a return to
// the supplier reverses the purchase at its cost. value is given by the
// caller (the original receipt's unit cost × q); taken is what actually
// leaves stock, and value − taken (usually 0) is the difference the ledger
// books as an adjustment (e.g. to the cost of goods).
//
// Moving average: Qty drops by q and Value by value, so the average of the
// rest moves (up when the goods were bought below the average, down when
// above). Two exceptions keep the state sound: if the return empties the
// stock, taken is the whole remaining Value; if value exceeds Value, taken
// is Value (what remains is valued at 0, never below).
//
// FIFO: the qty is taken from the layer of that receipt (seq) first, then
// from the other layers oldest first, each at its layer's share as in Issue;
// taken is the sum, and value only serves the caller's difference.
//
// A return can never make stock negative: q more than on hand is
// EInsufficientStock whatever the negative-stock policy.
func (s *CostState) ReturnToSupplier(seq int64, q Qty, value Money) (taken Money, err error) {
	if err := s.validMethod(); err != nil {
		return 0, err
	}
	if q <= 0 {
		return 0, Errorf(EInvalid, "return quantity must be positive, got %s", q)
	}
	if value < 0 {
		return 0, Errorf(EInvalid, "return value must not be negative, got %s", value)
	}
	if q > s.Qty {
		return 0, insufficient(max(s.Qty, 0), q)
	}
	switch s.Method {
	case CostingMovingAverage:
		taken = value
		if q == s.Qty || taken > s.Value {
			taken = s.Value
		}
		s.Qty -= q
		s.Value -= taken
	case CostingFIFO:
		first := slices.IndexFunc(s.Layers, func(l CostLayer) bool { return l.Seq == seq })
		var layers []CostLayer
		taken, layers, err = takeLayers(s.Layers, q, first)
		if err != nil {
			return 0, err
		}
		s.Qty -= q
		s.Value -= taken
		s.Layers = layers
	}
	return taken, nil
}

// UnitCost is Value/Qty as a Price rounded half away from zero, for
// display: 0 when Qty is 0 (or the cost does not fit a Price). For negative
// stock it is the provisional unit cost of the shortfall.
func (s CostState) UnitCost() Price {
	if s.Qty == 0 {
		return 0
	}
	// money 1e-2 / qty 1e-4 = 1e2; price is 1e-4.
	v, ok := MulDivRound(int64(s.Value), pow10[PriceScale+QtyScale-MoneyScale], int64(s.Qty))
	if !ok {
		return 0
	}
	return Price(v)
}

// Check reports (as EInternal) the first broken invariant of the state; see
// CostState. `jxc check` and the tests use it.
func (s CostState) Check() error {
	if err := s.validMethod(); err != nil {
		return Errorf(EInternal, "cost state: %s", err)
	}
	switch {
	case s.Qty == 0 && s.Value != 0:
		return Errorf(EInternal, "cost state: value %s with no quantity", s.Value)
	case s.Qty > 0 && s.Value < 0:
		return Errorf(EInternal, "cost state: negative value %s for quantity %s", s.Value, s.Qty)
	case s.Qty < 0 && s.Value > 0:
		return Errorf(EInternal, "cost state: positive value %s for shortfall %s", s.Value, s.Qty)
	}
	if s.Method == CostingMovingAverage || s.Qty < 0 {
		if len(s.Layers) != 0 {
			return Errorf(EInternal, "cost state: %d layers with method %s and quantity %s", len(s.Layers), s.Method, s.Qty)
		}
		return nil
	}
	var q Qty
	var v Money
	for i, l := range s.Layers {
		if l.Qty <= 0 || l.Value < 0 {
			return Errorf(EInternal, "cost state: layer %d (seq %d) has quantity %s, value %s", i, l.Seq, l.Qty, l.Value)
		}
		q += l.Qty
		v += l.Value
	}
	if q != s.Qty || v != s.Value {
		return Errorf(EInternal, "cost state: layers sum to %s / %s, state is %s / %s", q, v, s.Qty, s.Value)
	}
	return nil
}

func (s *CostState) validMethod() error {
	switch s.Method {
	case CostingMovingAverage, CostingFIFO:
		return nil
	}
	return Errorf(EInvalid, "unknown costing method %q", s.Method)
}

func insufficient(onHand, want Qty) *Error {
	return Errorf(EInsufficientStock, "insufficient stock: %s on hand, %s requested", onHand, want)
}

// takeLayers consumes q from a copy of layers, starting with the layer at
// index first (if ≥ 0) and then oldest first, and returns the value taken
// and the layers left (nil when none).
func takeLayers(layers []CostLayer, q Qty, first int) (Money, []CostLayer, error) {
	out := slices.Clone(layers)
	order := make([]int, 0, len(out))
	if first >= 0 {
		order = append(order, first)
	}
	for i := range out {
		if i != first {
			order = append(order, i)
		}
	}
	var total Money
	for _, i := range order {
		if q == 0 {
			break
		}
		l := &out[i]
		if l.Qty <= 0 {
			return 0, nil, Errorf(EInternal, "cost layer seq %d has quantity %s", l.Seq, l.Qty)
		}
		t := min(q, l.Qty)
		v := l.Value
		if t < l.Qty {
			var err error
			if v, err = l.Value.Share(t, l.Qty); err != nil {
				return 0, nil, err
			}
		}
		l.Qty -= t
		l.Value -= v
		total += v
		q -= t
	}
	if q > 0 {
		return 0, nil, Errorf(EInternal, "cost layers hold %s less than the quantity on hand", q)
	}
	out = slices.DeleteFunc(out, func(l CostLayer) bool { return l.Qty == 0 })
	if len(out) == 0 {
		out = nil
	}
	return total, out, nil
}
