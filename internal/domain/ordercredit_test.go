package domain

import "testing"

// An order line of 6 for 135.60 adds to its customer's exposure what is not
// invoiced yet, only while its order counts; closed, only what was shipped
// and not invoiced.
func TestOrderLineCredit(t *testing.T) {
	gross := Money(13560) // 135.60
	for _, c := range []struct {
		name              string
		counted           bool
		shipped, invoiced int64
		closed            bool
		want              Money
	}{
		{"open, nothing invoiced", true, 0, 0, false, gross},
		{"4 of 6 invoiced", true, 4, 4, false, 4520}, // 135.60 × 2 / 6
		{"fully invoiced", true, 6, 6, false, 0},
		{"draft or reversed order", false, 0, 0, false, 0},
		{"closed, 4 shipped, 1 invoiced", true, 4, 1, true, 6780}, // 135.60 × 3 / 6
	} {
		got, err := OrderLineCredit(c.counted, gross, QtyOf(6), QtyOf(c.shipped), QtyOf(c.invoiced), c.closed)
		if err != nil || got != c.want {
			t.Errorf("%s: %s, %v; want %s", c.name, got, err, c.want)
		}
	}
}

// What an open line adds does not depend on what was shipped: a shipment,
// which only ships open lines, moves no order's share, and the store
// re-reads none after it (store.Tx.AddShippedTallies). If this changes,
// shipments must refresh the orders' credit again.
func TestShippedMovesNoOpenShare(t *testing.T) {
	gross := Money(13560)
	for invoiced := int64(0); invoiced <= 6; invoiced++ {
		want, err := OrderLineCredit(true, gross, QtyOf(6), 0, QtyOf(invoiced), false)
		for shipped := int64(0); shipped <= 8 && err == nil; shipped++ {
			got, err := OrderLineCredit(true, gross, QtyOf(6), QtyOf(shipped), QtyOf(invoiced), false)
			if err != nil || got != want {
				t.Errorf("open line, %d invoiced, %d shipped: %s, %v; want %s as with none shipped", invoiced, shipped, got, err, want)
			}
		}
	}
}
