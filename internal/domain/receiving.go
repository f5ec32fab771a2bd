package domain

import "strconv"

// Receiving against an order (purchasing, and sales shipments mirror it):
// what a delivery does to the open quantities of the order's lines. Rules:
//
//   - Each delivered line names its order line; the same order line may
//     appear on several delivered lines (two batches, two bins).
//   - Rejected goods (inspection) are counted on the delivery but not
//     stocked and do not reduce what is still owed: accepted = delivered −
//     rejected, and 0 ≤ rejected ≤ delivered.
//   - An order line may be over-received up to the company's tolerance (a
//     rate of the ordered quantity, rounded down to the quantity's scale);
//     beyond it the delivery is refused, naming the line and the most it
//     may still take.
//   - What is still owed (the backorder, 欠货) is ordered − received, never
//     below zero; a closed line owes nothing.

// OrderLine is an order line as receiving sees it (base quantities).
type OrderLine struct {
	ID       int64
	ItemID   int64
	Ordered  Qty
	Received Qty // accepted so far
	Closed   bool
}

// Open is what the line still owes.
func (l OrderLine) Open() Qty {
	if l.Closed || l.Received >= l.Ordered {
		return 0
	}
	return l.Ordered - l.Received
}

// Delivered is one line of a delivery (base quantities).
type Delivered struct {
	OrderLineID int64
	ItemID      int64
	Qty         Qty // delivered, accepted and rejected together
	Rejected    Qty
}

// Accepted is what goes into stock.
func (d Delivered) Accepted() Qty { return d.Qty - d.Rejected }

// Receive applies a delivery to the order's lines and returns them updated
// (the input is not changed). Errors name the delivery's lines
// ("lines[1].qty") and change nothing.
func Receive(order []OrderLine, delivery []Delivered, tolerance Rate) ([]OrderLine, error) {
	out := append([]OrderLine(nil), order...)
	index := make(map[int64]int, len(out))
	for i, l := range out {
		index[l.ID] = i
	}
	var f Fields
	for i, d := range delivery {
		p := linesField(i)
		k, ok := index[d.OrderLineID]
		switch {
		case !ok:
			f.Add(p+".source_line_id", "not_on_order")
			continue
		case out[k].ItemID != d.ItemID:
			f.Add(p+".item_id", "not_on_order")
			continue
		case out[k].Closed:
			f.Add(p+".source_line_id", "line_closed")
			continue
		}
		if d.Qty <= 0 {
			f.Add(p+".qty", "positive")
			continue
		}
		if d.Rejected < 0 {
			f.Add(p+".rejected_qty", "not_negative")
			continue
		}
		if d.Rejected > d.Qty {
			f.Add(p+".rejected_qty", "max", "max", d.Qty.Short())
			continue
		}
		l := &out[k]
		most := l.Ordered + overAllowance(l.Ordered, tolerance)
		if l.Received+d.Accepted() > most {
			f.Add(p+".qty", "over_receipt", "max", max(most-l.Received, 0).Short())
			continue
		}
		l.Received += d.Accepted()
	}
	if err := f.Err(); err != nil {
		return order, err
	}
	return out, nil
}

// overAllowance is tolerance of ordered, rounded down to the quantity
// scale (an allowance is never rounded up): floor(o × t / 100 %), computed
// without overflow as (o / H) × t + (o mod H) × t / H.
func overAllowance(ordered Qty, tolerance Rate) Qty {
	if tolerance <= 0 || ordered <= 0 {
		return 0
	}
	h, o, t := int64(hundredPercent), int64(ordered), int64(tolerance)
	return Qty(o/h*t + o%h*t/h)
}

func linesField(i int) string { return "lines[" + strconv.Itoa(i) + "]" }
