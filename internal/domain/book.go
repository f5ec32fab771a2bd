package domain

import (
	"cmp"
	"slices"
	"strconv"
)

// The stock book: one code path that turns moves into ledger rows and
// keeps the projections (balances and cost states) in step. The store loads
// the rows a posting touches (locked, in a fixed order), the Book applies
// the moves in memory, and the store writes the ledger rows and the changed
// projections back set-wise. Replays for back-dated postings and `jxc
// check --repair` use the same Book, so a figure is always computed one way.

// BalanceKey identifies one balance row: an item at a real location, in a
// batch ("" when the item has no batches).
type BalanceKey struct {
	ItemID     int64
	LocationID int64
	Batch      string
}

// Compare orders balance keys the way rows are locked: item, location, batch.
func (k BalanceKey) Compare(o BalanceKey) int {
	return cmp.Or(cmp.Compare(k.ItemID, o.ItemID), cmp.Compare(k.LocationID, o.LocationID), cmp.Compare(k.Batch, o.Batch))
}

// Balance is the projection of the ledger for one key. Available is OnHand
// − Reserved.
type Balance struct {
	BalanceKey
	OnHand   Qty
	Reserved Qty
	Value    Money
	Expiry   *Date
}

// CostKey identifies one costing scope of an item: the company (ScopeID 0)
// or one warehouse, as the company's costing scope says.
type CostKey struct {
	ItemID  int64
	ScopeID int64
}

// Compare orders cost keys the way rows are locked: item, scope.
func (k CostKey) Compare(o CostKey) int {
	return cmp.Or(cmp.Compare(k.ItemID, o.ItemID), cmp.Compare(k.ScopeID, o.ScopeID))
}

// Cost is the valuation of an item in one scope: its CostState and the last
// unit cost it received at (used to cost provisional issues).
type Cost struct {
	CostKey
	CostState
	LastCost Price
}

// MoveKind says how a move is valued.
type MoveKind string

const (
	// MoveIn receives from a virtual location (supplier, opening, gain) at
	// the value given.
	MoveIn MoveKind = "in"
	// MoveOut issues to a virtual location (customer, loss) at cost.
	MoveOut MoveKind = "out"
	// MoveTransfer moves between two real locations. Within one costing
	// scope it carries the source row's share of value and leaves the scope's
	// cost unchanged; across scopes it is an issue at cost from one and a
	// receipt at that value into the other.
	MoveTransfer MoveKind = "transfer"
	// MoveReturnOut sends goods back where they came from at the value they
	// came in at (a return to the supplier, the reversal of a receipt); for
	// FIFO it takes from the receipt's own layer first.
	MoveReturnOut MoveKind = "return_out"
	// MoveReturnIn takes goods back at the value they went out at (a return
	// from a customer, the reversal of an issue).
	MoveReturnIn MoveKind = "return_in"
)

// LegKind is what a ledger row records.
type LegKind string

const (
	LegMove   LegKind = "move"    // a quantity (and its value) moving
	LegTrueUp LegKind = "true_up" // value correction of provisionally costed issues when stock arrives
	LegRecost LegKind = "recost"  // value correction of a move re-costed by a back-dated posting
)

// Move is one line's movement of one item, in base units.
type Move struct {
	Kind     MoveKind
	LineID   int64 // the document line; a receipt's FIFO layer is named after it
	Line     int   // index of the line in its document, for errors
	ItemID   int64
	ItemCode string // for messages
	Method   CostingMethod
	From, To int64 // locations; the virtual side too, as the counterpart
	// FromScope and ToScope are the costing scopes of From and To (only the
	// real sides matter).
	FromScope, ToScope int64
	Batch              string
	Expiry             *Date
	Qty                Qty   // > 0
	Value              Money // MoveIn, MoveReturnIn, MoveReturnOut: the value given
	OrigLineID         int64 // MoveReturnOut: the receipt line whose layer is taken first; MoveReturnIn: the issue line it returns
	AllowNegative      bool
	// AtCost values a MoveIn at the scope's unit cost (the last cost when
	// nothing is on hand; Value when there is neither): a stocktake gain.
	AtCost bool
	// RollUp values a MoveIn at the value of everything issued so far in
	// this book: an assembled product costs its components.
	RollUp bool
	// Weight > 0 values a MoveIn at its share Weight/WeightTotal of what
	// was issued so far (the last share takes the remainder): components
	// of a disassembled product.
	Weight, WeightTotal int64
	LastShare           bool
}

// Leg is one ledger row: a change of quantity and value at one real
// location. The virtual side of a move is its Counter.
type Leg struct {
	Kind   LegKind
	LineID int64
	Move   MoveKind
	BalanceKey
	Counter       int64
	Qty           Qty
	Value         Money
	AdjustsLineID int64 // true-up and recost rows: the line whose cost changed
}

// Book holds the rows a posting works on.
type Book struct {
	Balances map[BalanceKey]*Balance
	Costs    map[CostKey]*Cost
	Legs     []Leg
	// Changed balance and cost keys, so the store writes only those.
	ChangedBalances map[BalanceKey]bool
	ChangedCosts    map[CostKey]bool
	allocated       Money // disassembly: value given to components so far
}

// issued is the value of everything issued so far in the book.
func (b *Book) issued() Money {
	var v Money
	for _, l := range b.Legs {
		if l.Kind == LegMove && l.Qty < 0 {
			v -= l.Value
		}
	}
	return v
}

// NewBook returns an empty book.
func NewBook() *Book {
	return &Book{
		Balances: map[BalanceKey]*Balance{}, Costs: map[CostKey]*Cost{},
		ChangedBalances: map[BalanceKey]bool{}, ChangedCosts: map[CostKey]bool{},
	}
}

// Keys returns the balance and cost keys that moves touch, sorted in lock
// order.
func Keys(moves []Move, virtual func(loc int64) bool) ([]BalanceKey, []CostKey) {
	bs := map[BalanceKey]bool{}
	cs := map[CostKey]bool{}
	for _, m := range moves {
		if !virtual(m.From) {
			bs[BalanceKey{m.ItemID, m.From, m.Batch}] = true
			cs[CostKey{m.ItemID, m.FromScope}] = true
		}
		if !virtual(m.To) {
			bs[BalanceKey{m.ItemID, m.To, m.Batch}] = true
			cs[CostKey{m.ItemID, m.ToScope}] = true
		}
	}
	bk := make([]BalanceKey, 0, len(bs))
	for k := range bs {
		bk = append(bk, k)
	}
	ck := make([]CostKey, 0, len(cs))
	for k := range cs {
		ck = append(ck, k)
	}
	slices.SortFunc(bk, BalanceKey.Compare)
	slices.SortFunc(ck, CostKey.Compare)
	return bk, ck
}

func (b *Book) balance(k BalanceKey) *Balance {
	r := b.Balances[k]
	if r == nil {
		r = &Balance{BalanceKey: k}
		b.Balances[k] = r
	}
	b.ChangedBalances[k] = true
	return r
}

// Hold changes what is reserved at k by q (+ reserve, − release). The
// caller has locked the row; issues then leave the reserved part alone.
func (b *Book) Hold(k BalanceKey, q Qty) {
	b.balance(k).Reserved += q
}

func (b *Book) cost(k CostKey, method CostingMethod) *Cost {
	c := b.Costs[k]
	if c == nil {
		c = &Cost{CostKey: k, CostState: CostState{Method: method}}
		b.Costs[k] = c
	}
	if c.Method == "" || (c.Qty == 0 && len(c.Layers) == 0) {
		c.Method = method // an item's method may change while it has no stock
	}
	b.ChangedCosts[k] = true
	return c
}

// Post applies one move. On error the book may be partly changed; the
// caller discards it (the transaction rolls back).
func (b *Book) Post(m Move) error {
	if m.Qty <= 0 {
		return Errorf(EInvalid, "move quantity must be positive")
	}
	switch m.Kind {
	case MoveIn, MoveReturnIn:
		v := m.Value
		var out Money
		if m.RollUp || m.Weight > 0 { // only these need it: it scans the legs
			out = b.issued()
		}
		switch {
		case m.RollUp:
			v = out
		case m.Weight > 0 && m.LastShare:
			v = out - b.allocated
		case m.Weight > 0:
			s, ok := MulDivRound(int64(out), m.Weight, m.WeightTotal)
			if !ok || m.WeightTotal <= 0 {
				return Errorf(EInvalid, "bad weight %d/%d", m.Weight, m.WeightTotal)
			}
			v = Money(s)
			// Shares rounded up one after another may pass what was issued
			// (0.02 over four equal parts: 0.01 each); a share never takes
			// more than is left, so the last one is never below zero.
			if left := out - b.allocated; out >= 0 && v > left {
				v = max(left, 0)
			}
		}
		if m.Weight > 0 {
			b.allocated += v
		}
		if m.AtCost {
			c := b.cost(CostKey{m.ItemID, m.ToScope}, m.Method)
			if unit := c.UnitCostOr(c.LastCost); unit > 0 {
				var err error
				if v, err = unit.Amount(m.Qty); err != nil {
					return err
				}
			}
		}
		return b.receive(m, m.To, m.ToScope, m.From, v)
	case MoveOut:
		_, err := b.issue(m, m.From, m.FromScope, m.To, func(c *Cost) (Money, error) {
			return c.Issue(m.Qty, m.AllowNegative, c.LastCost)
		})
		return err
	case MoveReturnOut:
		_, err := b.issue(m, m.From, m.FromScope, m.To, func(c *Cost) (Money, error) {
			return c.ReturnToSupplier(m.OrigLineID, m.Qty, m.Value)
		})
		return err
	case MoveTransfer:
		if m.FromScope == m.ToScope {
			return b.transferWithin(m)
		}
		v, err := b.issue(m, m.From, m.FromScope, m.To, func(c *Cost) (Money, error) {
			return c.Issue(m.Qty, m.AllowNegative, c.LastCost)
		})
		if err != nil {
			return err
		}
		if m.Expiry == nil { // the batch keeps its expiry, as in transferWithin
			m.Expiry = b.Balances[BalanceKey{m.ItemID, m.From, m.Batch}].Expiry
		}
		return b.receive(m, m.To, m.ToScope, m.From, v)
	}
	return Errorf(EInvalid, "unknown move kind %q", m.Kind)
}

func (b *Book) receive(m Move, loc, scope, counter int64, value Money) error {
	c := b.cost(CostKey{m.ItemID, scope}, m.Method)
	trueUp, err := c.Receive(m.LineID, m.Qty, value)
	if err != nil {
		return err
	}
	c.LastCost = value.UnitPrice(m.Qty)
	r := b.balance(BalanceKey{m.ItemID, loc, m.Batch})
	r.OnHand += m.Qty
	r.Value += value - trueUp
	if m.Expiry != nil {
		r.Expiry = m.Expiry
	}
	var orig int64
	if m.Kind == MoveReturnIn {
		orig = m.OrigLineID // a return names the issue it returns against
	}
	b.Legs = append(b.Legs, Leg{Kind: LegMove, LineID: m.LineID, Move: m.Kind, BalanceKey: r.BalanceKey, Counter: counter, Qty: m.Qty, Value: value,
		AdjustsLineID: orig})
	if trueUp != 0 {
		b.Legs = append(b.Legs, Leg{Kind: LegTrueUp, LineID: m.LineID, Move: m.Kind, BalanceKey: r.BalanceKey, Counter: counter, Value: -trueUp, AdjustsLineID: m.LineID})
	}
	return nil
}

// issue takes m.Qty out of the row at loc; take removes it from the scope's
// cost state and returns the scope's value of it. The row gives up that
// value, except that a row emptied by the issue gives up exactly what it
// held and a row left with stock never goes below zero value: when a scope
// spans several rows whose unit values differ, the scope's cost is revalued
// by the difference so that the rows always sum to the scope.
func (b *Book) issue(m Move, loc, scope, counter int64, take func(*Cost) (Money, error)) (Money, error) {
	r := b.balance(BalanceKey{m.ItemID, loc, m.Batch})
	if avail := r.OnHand - r.Reserved; m.Qty > avail && (!m.AllowNegative || m.Kind == MoveReturnOut) {
		return 0, InsufficientStock(m.Line, m.ItemCode, max(avail, 0), m.Qty)
	}
	c := b.cost(CostKey{m.ItemID, scope}, m.Method)
	before := c.CostState
	vs, err := take(c)
	if err != nil {
		if ErrorCode(err) == EInsufficientStock {
			return 0, InsufficientStock(m.Line, m.ItemCode, max(c.Qty, 0), m.Qty)
		}
		return 0, err
	}
	v := vs
	switch after := r.OnHand - m.Qty; {
	case after == 0:
		v = r.Value
	case after > 0 && r.Value >= 0:
		v = min(max(vs, 0), r.Value)
	}
	if d := vs - v; d != 0 {
		if err := c.revalue(d); err != nil {
			// The scope cannot absorb it (it always can when the rows
			// are sound); fall back to the scope's value.
			c.CostState = before
			if _, err := take(c); err != nil {
				return 0, err
			}
			v = vs
		}
	}
	r.OnHand -= m.Qty
	r.Value -= v
	b.Legs = append(b.Legs, Leg{Kind: LegMove, LineID: m.LineID, Move: m.Kind, BalanceKey: r.BalanceKey, Counter: counter, Qty: -m.Qty, Value: -v,
		AdjustsLineID: m.OrigLineID}) // a return names the receipt it returns against
	return v, nil
}

func (b *Book) transferWithin(m Move) error {
	src := b.balance(BalanceKey{m.ItemID, m.From, m.Batch})
	if avail := src.OnHand - src.Reserved; m.Qty > avail && !m.AllowNegative {
		return InsufficientStock(m.Line, m.ItemCode, max(avail, 0), m.Qty)
	}
	c := b.cost(CostKey{m.ItemID, m.FromScope}, m.Method)
	var v Money
	take := min(m.Qty, max(src.OnHand, 0))
	if take > 0 {
		if take == src.OnHand {
			v = src.Value
		} else {
			var err error
			if v, err = src.Value.Share(take, src.OnHand); err != nil {
				return err
			}
		}
	}
	if short := m.Qty - take; short > 0 {
		p, err := c.UnitCostOr(c.LastCost).Amount(short)
		if err != nil {
			return err
		}
		v += p
	}
	dst := b.balance(BalanceKey{m.ItemID, m.To, m.Batch})
	src.OnHand -= m.Qty
	src.Value -= v
	dst.OnHand += m.Qty
	dst.Value += v
	if m.Expiry != nil {
		dst.Expiry = m.Expiry
	} else if src.Expiry != nil {
		dst.Expiry = src.Expiry
	}
	b.Legs = append(b.Legs,
		Leg{Kind: LegMove, LineID: m.LineID, Move: m.Kind, BalanceKey: src.BalanceKey, Counter: m.To, Qty: -m.Qty, Value: -v},
		Leg{Kind: LegMove, LineID: m.LineID, Move: m.Kind, BalanceKey: dst.BalanceKey, Counter: m.From, Qty: m.Qty, Value: v})
	return nil
}

// UnitCostOr is the unit cost on hand, or last when nothing is on hand.
func (s CostState) UnitCostOr(last Price) Price {
	if s.Qty > 0 {
		return s.UnitCost()
	}
	return last
}

// revalue adds d to the value of what remains in the scope. Moving average
// simply moves Value; FIFO adds it to the newest layers (a negative d takes
// from the newest first, never below zero). It refuses when nothing remains
// or the layers cannot absorb d.
func (s *CostState) revalue(d Money) error {
	if s.Qty <= 0 {
		return Errorf(EInternal, "revalue an empty scope")
	}
	if s.Value+d < 0 {
		return Errorf(EInternal, "revalue below zero")
	}
	if s.Method == CostingFIFO {
		layers := slices.Clone(s.Layers)
		rest := d
		for i := len(layers) - 1; i >= 0 && rest != 0; i-- {
			nv := layers[i].Value + rest
			if nv < 0 {
				rest = nv
				nv = 0
			} else {
				rest = 0
			}
			layers[i].Value = nv
		}
		if rest != 0 {
			return Errorf(EInternal, "layers cannot absorb the revaluation")
		}
		s.Layers = layers
	}
	s.Value += d
	return nil
}

// InsufficientStock is the error of a line that would take more than is
// available (and negative stock is not allowed).
func InsufficientStock(line int, itemCode string, available, requested Qty) *Error {
	e := ErrorKey(EInsufficientStock, "error.insufficient_stock",
		map[string]string{"item": itemCode, "available": available.Short(), "requested": requested.Short()},
		"insufficient stock of "+itemCode+": "+available.String()+" available, "+requested.String()+" requested")
	e.Fields = []FieldError{{Field: "lines[" + strconv.Itoa(line) + "].qty", Rule: "insufficient_stock",
		Params: map[string]string{"available": available.Short()}}}
	return e
}
