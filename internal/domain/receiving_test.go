package domain

import (
	"errors"
	"testing"
)

func q(s string) Qty {
	v, err := ParseQty(s)
	if err != nil {
		panic(err)
	}
	return v
}

// An order of 10 of item 1 and 5 of item 2 (a third line closed), received
// in two deliveries; every figure worked by hand.
func TestReceive(t *testing.T) {
	order := []OrderLine{{ID: 1, ItemID: 11, Ordered: q("10")}, {ID: 2, ItemID: 12, Ordered: q("5")}, {ID: 3, ItemID: 13, Ordered: q("4"), Closed: true}}
	// 6 of item 1 come, 1 rejected at inspection: 5 accepted, 5 still owed;
	// item 2 in full.
	got, err := Receive(order, []Delivered{{OrderLineID: 1, ItemID: 11, Qty: q("6"), Rejected: q("1")}, {OrderLineID: 2, ItemID: 12, Qty: q("5")}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Received != q("5") || got[0].Open() != q("5") || got[1].Open() != 0 || got[2].Open() != 0 {
		t.Fatalf("after the first delivery: %+v", got)
	}
	if order[0].Received != 0 {
		t.Error("Receive changed its input")
	}
	// The rest in two batches on two lines: 3 + 2.
	got, err = Receive(got, []Delivered{{OrderLineID: 1, ItemID: 11, Qty: q("3")}, {OrderLineID: 1, ItemID: 11, Qty: q("2")}}, 0)
	if err != nil || got[0].Received != q("10") || got[0].Open() != 0 {
		t.Fatalf("after the second delivery: %+v, %v", got, err)
	}
	// Without tolerance one more is refused, and says none may come.
	_, err = Receive(got, []Delivered{{OrderLineID: 1, ItemID: 11, Qty: q("1")}}, 0)
	wantRule(t, err, "lines[0].qty", "over_receipt", "0")
}

// Tolerance is a rate of the ordered quantity, rounded down: 5 % of 10 is
// 0.5; 50 % of 0.0003 is 0.00015, so 0.0001.
func TestReceiveTolerance(t *testing.T) {
	order := []OrderLine{{ID: 1, ItemID: 11, Ordered: q("10"), Received: q("10")}}
	if got, err := Receive(order, []Delivered{{OrderLineID: 1, ItemID: 11, Qty: q("0.5")}}, RateOf(5)); err != nil || got[0].Received != q("10.5") {
		t.Errorf("0.5 over 10 at 5 %%: %+v, %v", got, err)
	}
	_, err := Receive(order, []Delivered{{OrderLineID: 1, ItemID: 11, Qty: q("0.6")}}, RateOf(5))
	wantRule(t, err, "lines[0].qty", "over_receipt", "0.5")
	if a := overAllowance(q("0.0003"), RateOf(50)); a != q("0.0001") {
		t.Errorf("50 %% of 0.0003 = %s, want 0.0001 (rounded down)", a)
	}
	// Rejected goods do not count against the order.
	if got, err := Receive(order, []Delivered{{OrderLineID: 1, ItemID: 11, Qty: q("3"), Rejected: q("3")}}, 0); err != nil || got[0].Received != q("10") {
		t.Errorf("all rejected: %+v, %v", got, err)
	}
}

func TestReceiveRefusals(t *testing.T) {
	order := []OrderLine{{ID: 1, ItemID: 11, Ordered: q("10")}, {ID: 3, ItemID: 13, Ordered: q("4"), Closed: true}}
	for _, tt := range []struct {
		name        string
		d           Delivered
		field, rule string
	}{
		{"not on the order", Delivered{OrderLineID: 9, ItemID: 11, Qty: q("1")}, "lines[0].source_line_id", "not_on_order"},
		{"another item", Delivered{OrderLineID: 1, ItemID: 12, Qty: q("1")}, "lines[0].item_id", "not_on_order"},
		{"closed line", Delivered{OrderLineID: 3, ItemID: 13, Qty: q("1")}, "lines[0].source_line_id", "line_closed"},
		{"nothing", Delivered{OrderLineID: 1, ItemID: 11}, "lines[0].qty", "positive"},
		{"more rejected than came", Delivered{OrderLineID: 1, ItemID: 11, Qty: q("2"), Rejected: q("3")}, "lines[0].rejected_qty", "max"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Receive(order, []Delivered{tt.d}, 0)
			wantRule(t, err, tt.field, tt.rule, "")
			if got[0].Received != 0 {
				t.Error("a refused delivery changed the order")
			}
		})
	}
	// Every bad line is named at once.
	_, err := Receive(order, []Delivered{{OrderLineID: 9, ItemID: 11, Qty: q("1")}, {OrderLineID: 1, ItemID: 11, Qty: q("11")}}, 0)
	var e *Error
	if !errors.As(err, &e) || len(e.Fields) != 2 || e.Fields[1].Field != "lines[1].qty" {
		t.Errorf("two bad lines: %v", err)
	}
}

func wantRule(t *testing.T, err error, field, rule, max string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code != EInvalid || len(e.Fields) == 0 {
		t.Fatalf("want a field error %s %s, got %v", field, rule, err)
	}
	f := e.Fields[0]
	if f.Field != field || f.Rule != rule || (max != "" && f.Params["max"] != max) {
		t.Errorf("got %s %s %v, want %s %s max %q", f.Field, f.Rule, f.Params, field, rule, max)
	}
}
