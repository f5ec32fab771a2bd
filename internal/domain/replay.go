package domain

import (
	"cmp"
	"slices"
)

// Re-costing. A posting dated before later moves of the same item and
// costing scope changes what those later issues should have cost. History
// is not rewritten: the scope's moves are replayed in business-date order
// through the same Book, and for every line whose value comes out
// different a recost row with the difference is appended, linked to that
// line. The projections then equal the replay's end state.

// LedgerMove is a ledger row as a replay reads it.
type LedgerMove struct {
	ID         int64 // posting order within a day
	Date       Date
	DocumentID int64
	DocType    DocType
	LineID     int64
	Kind       LegKind
	Move       MoveKind
	BalanceKey
	Counter int64
	Qty     Qty
	Value   Money
	// Adjusts is the line a true-up or recost row corrects, or for a
	// return_out move the receipt line it returns against.
	Adjusts int64
}

// lineKey names the value of one line at one balance row.
type lineKey struct {
	line int64
	BalanceKey
}

// ReplayScope is one (item, scope) to re-cost.
type ReplayScope struct {
	CostKey
	Method        CostingMethod
	AllowNegative bool
	ItemCode      string
	// Start is the state at the start (a period snapshot; empty Cost and
	// no balances for the beginning of time). Rows are every ledger row of
	// the item at the scope's locations after the start, in any order.
	Start    *Cost
	Balances []Balance
	Rows     []LedgerMove
	// InScope tells whether a real location belongs to the scope.
	InScope func(loc int64) bool
}

// Recost is a correction the replay found: line's value at a balance row
// must change by Value.
type Recost struct {
	Line int64
	BalanceKey
	Counter int64
	Value   Money
	Date    Date
}

// Replay re-costs one scope and returns the book at its end state and the
// corrections to append. It fails with EInsufficientStock if, in date
// order, the stock would go negative where that is not allowed (a
// back-dated issue that history cannot cover).
func Replay(rs ReplayScope) (*Book, []Recost, error) {
	rows := slices.Clone(rs.Rows)
	slices.SortStableFunc(rows, func(a, b LedgerMove) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.ID, b.ID))
	})
	booked := map[lineKey]Money{} // value per line and row as booked (all kinds)
	fixed := map[lineKey]Money{}  // moves and recosts: what a fixed-value move is worth
	counter := map[lineKey]int64{}
	type group struct {
		first    int
		legs     []LedgerMove
		returnOf int64
	}
	var groups []*group
	byLine := map[int64]*group{}
	for i, r := range rows {
		k := lineKey{r.LineID, r.BalanceKey}
		if r.Kind == LegRecost || r.Kind == LegTrueUp {
			k.line = r.Adjusts
		}
		booked[k] += r.Value
		if r.Kind != LegTrueUp {
			fixed[k] += r.Value
		}
		if r.Kind != LegMove {
			continue
		}
		counter[k] = r.Counter
		g := byLine[r.LineID]
		if g == nil {
			g = &group{first: i}
			byLine[r.LineID] = g
			groups = append(groups, g)
		}
		g.legs = append(g.legs, r)
		if r.Move == MoveReturnOut || r.Move == MoveReturnIn {
			g.returnOf = r.Adjusts
		}
	}
	b := NewBook()
	if rs.Start != nil {
		c := *rs.Start
		c.Layers = slices.Clone(c.Layers)
		b.Costs[rs.CostKey] = &c
	}
	for _, bal := range rs.Balances {
		bal.Reserved = 0 // history is checked against what was on hand
		b.Balances[bal.BalanceKey] = &bal
	}
	for _, g := range groups {
		l0 := g.legs[0]
		m := Move{LineID: l0.LineID, ItemID: rs.ItemID, ItemCode: rs.ItemCode, Method: rs.Method,
			FromScope: rs.ScopeID, ToScope: rs.ScopeID, Batch: l0.Batch, AllowNegative: rs.AllowNegative}
		switch {
		case len(g.legs) == 2: // a transfer within the scope
			out, in := g.legs[0], g.legs[1]
			if out.Qty > 0 {
				out, in = in, out
			}
			m.Kind, m.From, m.To, m.Qty = MoveTransfer, out.LocationID, in.LocationID, in.Qty
		case l0.Qty > 0: // in at its value: a receipt, a return from a customer, a transfer from another scope
			m.Kind, m.From, m.To, m.Qty = MoveIn, l0.Counter, l0.LocationID, l0.Qty
			m.Value = fixed[lineKey{l0.LineID, l0.BalanceKey}]
			if l0.Move == MoveReturnIn && g.returnOf != 0 {
				// Back at what the issue it returns cost as replayed (when that
				// issue is in this replay): its share of the value.
				if v, ok := b.lineShare(g.returnOf, l0.Qty); ok {
					m.Value = v
				}
			}
		case l0.Move == MoveReturnOut:
			m.Kind, m.From, m.To, m.Qty, m.OrigLineID = MoveReturnOut, l0.LocationID, l0.Counter, -l0.Qty, g.returnOf
			m.Value = -fixed[lineKey{l0.LineID, l0.BalanceKey}]
			if g.returnOf != 0 {
				// Back out at what the receipt it returns is worth now (when
				// that receipt is in this replay): an assembly's product
				// whose components were re-costed goes back at its new value.
				if v, ok := b.inShare(g.returnOf, -l0.Qty); ok {
					m.Value = v
				}
			}
		default: // out at cost: an issue, a transfer to another scope
			m.Kind, m.From, m.To, m.Qty = MoveOut, l0.LocationID, l0.Counter, -l0.Qty
		}
		if err := b.Post(m); err != nil {
			if ErrorCode(err) == EInsufficientStock {
				return nil, nil, ErrorKey(EInsufficientStock, "error.backdate_negative",
					map[string]string{"item": rs.ItemCode, "date": l0.Date.String()},
					"stock of "+rs.ItemCode+" would go negative on "+l0.Date.String())
			}
			return nil, nil, err
		}
	}
	got := map[lineKey]Money{}
	for _, l := range b.Legs {
		line := l.LineID
		if l.Kind != LegMove {
			line = l.AdjustsLineID
		}
		got[lineKey{line, l.BalanceKey}] += l.Value
	}
	var out []Recost
	dates := map[int64]Date{}
	for _, r := range rows {
		if _, ok := dates[r.LineID]; !ok && r.Kind == LegMove {
			dates[r.LineID] = r.Date
		}
	}
	keys := make([]lineKey, 0, len(got))
	for k := range got {
		keys = append(keys, k)
	}
	for k := range booked {
		if _, ok := got[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, c lineKey) int { return cmp.Or(cmp.Compare(a.line, c.line), a.BalanceKey.Compare(c.BalanceKey)) })
	for _, k := range keys {
		if d := got[k] - booked[k]; d != 0 {
			out = append(out, Recost{Line: k.line, BalanceKey: k.BalanceKey, Counter: counter[k], Value: d, Date: dates[k.line]})
		}
	}
	return b, out, nil
}

// Compare orders dates.
func (d Date) Compare(o Date) int { return d.Time.Compare(o.Time) }

// lineShare is the value of q of what line issued, as booked in this book
// so far (its move legs and their corrections): false when the book has no
// issue of that line.
func (b *Book) lineShare(line int64, q Qty) (Money, bool) {
	var qty Qty
	var val Money
	for _, l := range b.Legs {
		switch {
		case l.Kind == LegMove && l.LineID == line && l.Qty < 0:
			qty += -l.Qty
			val += -l.Value
		case l.Kind != LegMove && l.AdjustsLineID == line:
			val += -l.Value
		}
	}
	if qty <= 0 {
		return 0, false
	}
	if q >= qty {
		return val, true
	}
	v, err := val.Share(q, qty)
	return v, err == nil
}

// inShare is the value of q of what line received, as booked in this book
// (its incoming move legs): false when the book has no receipt of that line.
func (b *Book) inShare(line int64, q Qty) (Money, bool) {
	var qty Qty
	var val Money
	for _, l := range b.Legs {
		if l.Kind == LegMove && l.LineID == line && l.Qty > 0 {
			qty += l.Qty
			val += l.Value
		}
	}
	if qty <= 0 {
		return 0, false
	}
	if q >= qty {
		return val, true
	}
	v, err := val.Share(q, qty)
	return v, err == nil
}
