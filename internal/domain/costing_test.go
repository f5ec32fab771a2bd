package domain_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jxc-erp/jxc/internal/domain"
)

const (
	ma   = domain.CostingMovingAverage
	fifo = domain.CostingFIFO
)

func q(s string) domain.Qty {
	v, err := domain.ParseQty(s)
	if err != nil {
		panic(err)
	}
	return v
}

func m(s string) domain.Money {
	v, err := domain.ParseMoney(s)
	if err != nil {
		panic(err)
	}
	return v
}

func p(s string) domain.Price {
	v, err := domain.ParsePrice(s)
	if err != nil {
		panic(err)
	}
	return v
}

func layer(seq int64, qty, value string) domain.CostLayer {
	return domain.CostLayer{Seq: seq, Qty: q(qty), Value: m(value)}
}

func state(method domain.CostingMethod, qty, value string, layers ...domain.CostLayer) domain.CostState {
	return domain.CostState{Method: method, Qty: q(qty), Value: m(value), Layers: layers}
}

// costStep is one call and what it must give. For a failing step (code set)
// the state must be exactly what it was before the call.
type costStep struct {
	op     string // "receive", "issue", "return"
	seq    int64  // receive, return
	qty    string
	value  string // receive, return: the value; issue: the last cost
	neg    bool   // issue: allow negative stock
	want   string // trueUp, issued value or taken
	code   domain.Code
	after  domain.CostState
	unit   string // UnitCost after, checked when set
	reason string // the hand arithmetic
}

func receive(seq int64, qty, value, trueUp string, after domain.CostState, reason string) costStep {
	return costStep{op: "receive", seq: seq, qty: qty, value: value, want: trueUp, after: after, reason: reason}
}

func issue(qty string, neg bool, lastCost, want string, after domain.CostState, reason string) costStep {
	return costStep{op: "issue", qty: qty, value: lastCost, neg: neg, want: want, after: after, reason: reason}
}

func ret(seq int64, qty, value, taken string, after domain.CostState, reason string) costStep {
	return costStep{op: "return", seq: seq, qty: qty, value: value, want: taken, after: after, reason: reason}
}

func fails(s costStep, code domain.Code) costStep {
	s.code = code
	return s
}

func unit(s costStep, u string) costStep {
	s.unit = u
	return s
}

// checkState is the invariant helper: every state a test reaches must pass
// CostState.Check (for FIFO with Qty ≥ 0: Qty and Value are the layer sums).
func checkState(t *testing.T, where string, s domain.CostState) {
	t.Helper()
	if err := s.Check(); err != nil {
		t.Fatalf("%s: invariant broken: %v (state %+v)", where, err, s)
	}
}

func TestCostState(t *testing.T) {
	var none domain.CostState // "after" of a failing step is not used
	tests := []struct {
		name  string
		start domain.CostState
		steps []costStep
	}{
		{
			name:  "moving average: the issue's example, whole issue takes the rest",
			start: state(ma, "0", "0"),
			steps: []costStep{
				receive(1, "10", "100.00", "0", state(ma, "10", "100.00"), "0 + 10 / 0 + 100.00"),
				issue("3", false, "0", "30.00", state(ma, "7", "70.00"), "100.00 × 3/10 = 30.00"),
				issue("7", false, "0", "70.00", state(ma, "0", "0.00"), "7 of 7 → the whole 70.00"),
			},
		},
		{
			name:  "moving average: thirds round half away from zero, no residue",
			start: state(ma, "0", "0"),
			steps: []costStep{
				unit(receive(1, "3", "10.00", "0", state(ma, "3", "10.00"), ""), "3.3333"),
				issue("1", false, "0", "3.33", state(ma, "2", "6.67"), "10.00 × 1/3 = 3.333… → 3.33; 10.00 − 3.33 = 6.67"),
				issue("1", false, "0", "3.34", state(ma, "1", "3.33"), "6.67 × 1/2 = 3.335 → 3.34 (half away from zero); 6.67 − 3.34 = 3.33"),
				issue("1", false, "0", "3.33", state(ma, "0", "0.00"), "last unit → the whole remaining 3.33; 3.33+3.34+3.33 = 10.00"),
			},
		},
		{
			name:  "fifo: partial layer rounding, the rest of the layer gives the rest",
			start: state(fifo, "0", "0"),
			steps: []costStep{
				receive(3, "3", "10.00", "0", state(fifo, "3", "10.00", layer(3, "3", "10.00")), "opens layer 3"),
				issue("1", false, "0", "3.33", state(fifo, "2", "6.67", layer(3, "2", "6.67")), "10.00 × 1/3 = 3.333… → 3.33"),
				issue("2", false, "0", "6.67", state(fifo, "0", "0.00"), "2 of 2 left → whole layer 6.67 = 10.00 − 3.33"),
			},
		},
		{
			name:  "moving average: receipts at different costs",
			start: state(ma, "0", "0"),
			steps: []costStep{
				receive(1, "10", "100.00", "0", state(ma, "10", "100.00"), "10 @ 10.00"),
				unit(receive(2, "10", "120.00", "0", state(ma, "20", "220.00"), "10 @ 12.00; 100.00 + 120.00 = 220.00"), "11.0000"),
				unit(issue("5", false, "0", "55.00", state(ma, "15", "165.00"), "220.00 × 5/20 = 55.00"), "11.0000"),
				unit(receive(3, "5", "70.00", "0", state(ma, "20", "235.00"), "5 @ 14.00; 165.00 + 70.00 = 235.00"), "11.7500"),
				issue("20", false, "0", "235.00", state(ma, "0", "0.00"), "all 20 → the whole 235.00"),
			},
		},
		{
			name:  "fifo: same receipts, oldest layer first",
			start: state(fifo, "0", "0"),
			steps: []costStep{
				receive(1, "10", "100.00", "0", state(fifo, "10", "100.00", layer(1, "10", "100.00")), ""),
				receive(2, "10", "120.00", "0", state(fifo, "20", "220.00", layer(1, "10", "100.00"), layer(2, "10", "120.00")), ""),
				unit(issue("15", false, "0", "160.00", state(fifo, "5", "60.00", layer(2, "5", "60.00")),
					"10 from layer 1 = 100.00 + 120.00 × 5/10 = 60.00 → 160.00"), "12.0000"),
				unit(receive(3, "5", "70.00", "0", state(fifo, "10", "130.00", layer(2, "5", "60.00"), layer(3, "5", "70.00")),
					"60.00 + 70.00 = 130.00"), "13.0000"),
				issue("10", false, "0", "130.00", state(fifo, "0", "0.00"), "both whole layers: 60.00 + 70.00"),
			},
		},
		{
			name:  "fifo: issue across two partial layers",
			start: state(fifo, "6", "30.00", layer(1, "3", "10.00"), layer(2, "3", "20.00")),
			steps: []costStep{
				issue("1", false, "0", "3.33", state(fifo, "5", "26.67", layer(1, "2", "6.67"), layer(2, "3", "20.00")),
					"10.00 × 1/3 → 3.33; 30.00 − 3.33 = 26.67"),
				issue("3", false, "0", "13.34", state(fifo, "2", "13.33", layer(2, "2", "13.33")),
					"layer 1 whole 6.67 + 20.00 × 1/3 = 6.666… → 6.67 → 13.34; 20.00 − 6.67 = 13.33"),
			},
		},
		{
			name:  "moving average: zero-value receipt lowers the average",
			start: state(ma, "10", "100.00"),
			steps: []costStep{
				unit(receive(2, "10", "0.00", "0", state(ma, "20", "100.00"), "a free gain: 100.00 + 0.00"), "5.0000"),
				issue("4", false, "0", "20.00", state(ma, "16", "80.00"), "100.00 × 4/20 = 20.00"),
			},
		},
		{
			name:  "moving average: negative stock costed provisionally, then trued up",
			start: state(ma, "2", "20.00"),
			steps: []costStep{
				unit(issue("5", true, "99.00", "50.00", state(ma, "-3", "-30.00"),
					"2 on hand = 20.00 + 3 × (20.00/2 = 10.00) = 30.00 → 50.00; lastCost unused as stock was on hand"), "10.0000"),
				unit(receive(2, "10", "120.00", "6.00", state(ma, "7", "84.00"),
					"covers 3: 120.00 × 3/10 = 36.00 − 30.00 provisional = 6.00; rest 7 for 120.00 − 36.00 = 84.00"), "12.0000"),
			},
		},
		{
			name:  "fifo: negative stock costed provisionally, then trued up",
			start: state(fifo, "2", "20.00", layer(1, "2", "20.00")),
			steps: []costStep{
				issue("5", true, "99.00", "50.00", state(fifo, "-3", "-30.00"), "layer 1 whole 20.00 + 3 × 10.00 = 30.00; no layers left"),
				receive(2, "10", "120.00", "6.00", state(fifo, "7", "84.00", layer(2, "7", "84.00")),
					"3 × 12.00 = 36.00 − 30.00 = 6.00; layer 2 opens with 7 for 84.00"),
			},
		},
		{
			name:  "moving average: negative from nothing uses lastCost, partial true-ups",
			start: state(ma, "0", "0"),
			steps: []costStep{
				issue("2", true, "8.50", "17.00", state(ma, "-2", "-17.00"), "nothing on hand: 2 × 8.50 = 17.00"),
				unit(issue("1", true, "9.00", "9.00", state(ma, "-3", "-26.00"), "still nothing on hand: 1 × 9.00; −17.00 − 9.00 = −26.00"), "8.6667"),
				receive(2, "1", "10.00", "1.33", state(ma, "-2", "-17.33"),
					"covers 1 of 3: actual 10.00, provisional 26.00 × 1/3 = 8.666… → 8.67, 10.00 − 8.67 = 1.33; −26.00 + 8.67 = −17.33"),
				receive(3, "5", "50.00", "2.67", state(ma, "3", "30.00"),
					"covers 2: 50.00 × 2/5 = 20.00 − 17.33 (the whole shortfall) = 2.67; rest 3 for 50.00 − 20.00 = 30.00"),
			},
		},
		{
			name:  "fifo: receipt exactly covering the shortfall, over-costed (negative true-up)",
			start: state(fifo, "0", "0"),
			steps: []costStep{
				issue("4", true, "5.00", "20.00", state(fifo, "-4", "-20.00"), "4 × 5.00"),
				receive(7, "4", "18.00", "-2.00", state(fifo, "0", "0.00"), "18.00 − 20.00 = −2.00; nothing left, no layer"),
				receive(8, "1", "4.00", "0", state(fifo, "1", "4.00", layer(8, "1", "4.00")), "stock ≥ 0 again: plain layer"),
			},
		},
		{
			name:  "moving average: refused without negative stock, state unchanged",
			start: state(ma, "2", "20.00"),
			steps: []costStep{
				fails(issue("5", false, "10.00", "0", none, "5 > 2 on hand"), domain.EInsufficientStock),
				issue("2", false, "0", "20.00", state(ma, "0", "0.00"), "exactly what is on hand is fine"),
				fails(issue("0.0001", false, "10.00", "0", none, "nothing on hand"), domain.EInsufficientStock),
			},
		},
		{
			name:  "fifo: refused without negative stock, state unchanged",
			start: state(fifo, "2", "20.00", layer(1, "1", "5.00"), layer(2, "1", "15.00")),
			steps: []costStep{
				fails(issue("3", false, "0", "0", none, "3 > 2 on hand"), domain.EInsufficientStock),
				issue("1", false, "0", "5.00", state(fifo, "1", "15.00", layer(2, "1", "15.00")), "layer 1 whole"),
			},
		},
		{
			name:  "already negative: a further issue is refused when not allowed",
			start: state(ma, "-3", "-30.00"),
			steps: []costStep{
				fails(issue("1", false, "10.00", "0", none, "nothing on hand"), domain.EInsufficientStock),
			},
		},
		{
			name:  "moving average: return to supplier at the receipt's cost moves the average",
			start: state(ma, "0", "0"),
			steps: []costStep{
				receive(1, "10", "100.00", "0", state(ma, "10", "100.00"), "10 @ 10.00"),
				receive(2, "10", "120.00", "0", state(ma, "20", "220.00"), "10 @ 12.00"),
				unit(ret(2, "5", "60.00", "60.00", state(ma, "15", "160.00"),
					"5 × 12.00 = 60.00 leaves; 220.00 − 60.00 = 160.00; average 160.00/15 = 10.6666… → 10.6667"), "10.6667"),
				ret(1, "15", "150.00", "160.00", state(ma, "0", "0.00"),
					"empties the stock: the whole 160.00 goes; caller's difference 150.00 − 160.00 = −10.00"),
			},
		},
		{
			name:  "moving average: return worth more than the stock leaves the rest at zero",
			start: state(ma, "0", "0"),
			steps: []costStep{
				receive(1, "2", "24.00", "0", state(ma, "2", "24.00"), "2 @ 12.00"),
				unit(receive(2, "8", "16.00", "0", state(ma, "10", "40.00"), "8 @ 2.00; 24.00 + 16.00 = 40.00"), "4.0000"),
				issue("6", false, "0", "24.00", state(ma, "4", "16.00"), "40.00 × 6/10 = 24.00"),
				unit(ret(1, "2", "24.00", "16.00", state(ma, "2", "0.00"),
					"2 × 12.00 = 24.00 > 16.00 on hand → taken capped at 16.00; difference 8.00"), "0"),
			},
		},
		{
			name:  "fifo: return to supplier from its own layer, then oldest first",
			start: state(fifo, "20", "220.00", layer(1, "10", "100.00"), layer(2, "10", "120.00")),
			steps: []costStep{
				ret(2, "4", "48.00", "48.00", state(fifo, "16", "172.00", layer(1, "10", "100.00"), layer(2, "6", "72.00")),
					"from layer 2: 120.00 × 4/10 = 48.00; 220.00 − 48.00 = 172.00"),
				ret(2, "8", "96.00", "92.00", state(fifo, "8", "80.00", layer(1, "8", "80.00")),
					"layer 2 whole 6 = 72.00 + 2 from layer 1 = 100.00 × 2/10 = 20.00 → 92.00; difference 96.00 − 92.00 = 4.00"),
			},
		},
		{
			name:  "fifo: return whose layer is gone takes oldest first",
			start: state(fifo, "8", "70.00", layer(1, "3", "10.00"), layer(2, "5", "60.00")),
			steps: []costStep{
				ret(9, "4", "40.00", "22.00", state(fifo, "4", "48.00", layer(2, "4", "48.00")),
					"layer 1 whole 10.00 + 60.00 × 1/5 = 12.00 → 22.00; 70.00 − 22.00 = 48.00"),
			},
		},
		{
			name:  "fifo: return from a later layer before older ones, with rounding",
			start: state(fifo, "5", "30.00", layer(1, "2", "20.00"), layer(5, "3", "10.00")),
			steps: []costStep{
				ret(5, "1", "3.33", "3.33", state(fifo, "4", "26.67", layer(1, "2", "20.00"), layer(5, "2", "6.67")),
					"layer 5: 10.00 × 1/3 = 3.333… → 3.33; layer 1 untouched"),
			},
		},
		{
			name:  "return to supplier: never more than on hand",
			start: state(ma, "2", "20.00"),
			steps: []costStep{
				fails(ret(1, "3", "30.00", "0", none, "3 > 2"), domain.EInsufficientStock),
			},
		},
		{
			name:  "return to supplier: fifo, not more than on hand",
			start: state(fifo, "2", "20.00", layer(1, "2", "20.00")),
			steps: []costStep{
				fails(ret(1, "2.0001", "20.00", "0", none, "2.0001 > 2"), domain.EInsufficientStock),
			},
		},
		{
			name:  "return to supplier: not from negative stock",
			start: state(fifo, "-1", "-10.00"),
			steps: []costStep{
				fails(ret(1, "1", "10.00", "0", none, "nothing on hand"), domain.EInsufficientStock),
			},
		},
		{
			name:  "invalid inputs leave the state unchanged",
			start: state(fifo, "2", "20.00", layer(1, "2", "20.00")),
			steps: []costStep{
				fails(receive(2, "0", "1.00", "0", none, "q = 0"), domain.EInvalid),
				fails(receive(2, "-1", "1.00", "0", none, "q < 0"), domain.EInvalid),
				fails(receive(2, "1", "-0.01", "0", none, "value < 0"), domain.EInvalid),
				fails(issue("0", false, "0", "0", none, "q = 0"), domain.EInvalid),
				fails(issue("-1", true, "0", "0", none, "q < 0"), domain.EInvalid),
				fails(issue("5", true, "-0.0001", "0", none, "lastCost < 0"), domain.EInvalid),
				fails(ret(1, "0", "0", "0", none, "q = 0"), domain.EInvalid),
				fails(ret(1, "1", "-0.01", "0", none, "value < 0"), domain.EInvalid),
			},
		},
		{
			name:  "unknown costing method",
			start: domain.CostState{Method: "lifo"},
			steps: []costStep{
				fails(receive(1, "1", "1.00", "0", none, ""), domain.EInvalid),
				fails(issue("1", true, "1.00", "0", none, ""), domain.EInvalid),
				fails(ret(1, "1", "1.00", "0", none, ""), domain.EInvalid),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.start
			if tt.start.Method == ma || tt.start.Method == fifo {
				checkState(t, "start", s)
			}
			for i, st := range tt.steps {
				where := fmt.Sprintf("step %d (%s %s)", i, st.op, st.qty)
				before := s
				before.Layers = append([]domain.CostLayer(nil), s.Layers...)
				var got domain.Money
				var err error
				switch st.op {
				case "receive":
					got, err = s.Receive(st.seq, q(st.qty), m(st.value))
				case "issue":
					got, err = s.Issue(q(st.qty), st.neg, p(st.value))
				case "return":
					got, err = s.ReturnToSupplier(st.seq, q(st.qty), m(st.value))
				}
				if st.code != "" {
					if err == nil {
						t.Fatalf("%s: got %s, want error %s", where, got, st.code)
					}
					if c := domain.ErrorCode(err); c != st.code {
						t.Fatalf("%s: error %v has code %s, want %s", where, err, c, st.code)
					}
					if diff := cmp.Diff(before, s); diff != "" {
						t.Fatalf("%s: failed call changed the state (-before +after):\n%s", where, diff)
					}
					continue
				}
				if err != nil {
					t.Fatalf("%s: %v", where, err)
				}
				if want := m(st.want); got != want {
					t.Errorf("%s: got %s, want %s (%s)", where, got, want, st.reason)
				}
				if diff := cmp.Diff(st.after, s); diff != "" {
					t.Fatalf("%s: state (-want +got):\n%s", where, diff)
				}
				checkState(t, where, s)
				if st.unit != "" {
					if got, want := s.UnitCost(), p(st.unit); got != want {
						t.Errorf("%s: unit cost %s, want %s", where, got, want)
					}
				}
			}
		})
	}
}

func TestCostStateDoesNotShareLayers(t *testing.T) {
	s := state(fifo, "0", "0")
	if _, err := s.Receive(1, q("3"), m("30.00")); err != nil {
		t.Fatal(err)
	}
	kept := s // a copy the caller holds on to
	if _, err := s.Issue(q("1"), false, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Receive(2, q("1"), m("5.00")); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(state(fifo, "3", "30.00", layer(1, "3", "30.00")), kept); diff != "" {
		t.Errorf("the kept copy changed (-want +got):\n%s", diff)
	}
	// 30.00 − 30.00 × 1/3 = 20.00; then layer 2.
	if diff := cmp.Diff(state(fifo, "3", "25.00", layer(1, "2", "20.00"), layer(2, "1", "5.00")), s); diff != "" {
		t.Errorf("state (-want +got):\n%s", diff)
	}
}

func TestUnitCost(t *testing.T) {
	tests := []struct {
		s    domain.CostState
		want string
	}{
		{state(ma, "10", "100.00"), "10.0000"},   // 100.00 / 10
		{state(ma, "3", "10.00"), "3.3333"},      // 3.3333…
		{state(ma, "15", "160.00"), "10.6667"},   // 10.6666… → 10.6667
		{state(ma, "0.0003", "0.01"), "33.3333"}, // 0.01 / 0.0003 = 33.333…
		{state(ma, "0", "0"), "0"},               // nothing on hand
		{state(ma, "-3", "-30.00"), "10.0000"},   // provisional cost of the shortfall
		{state(ma, "3", "0.00"), "0"},            // free goods
	}
	for _, tt := range tests {
		if got, want := tt.s.UnitCost(), p(tt.want); got != want {
			t.Errorf("UnitCost(%s / %s) = %s, want %s", tt.s.Qty, tt.s.Value, got, want)
		}
	}
}

func TestCostStateCheck(t *testing.T) {
	tests := []struct {
		name string
		s    domain.CostState
		ok   bool
	}{
		{"empty moving average", state(ma, "0", "0"), true},
		{"fifo layers sum", state(fifo, "3", "25.00", layer(1, "2", "20.00"), layer(2, "1", "5.00")), true},
		{"negative without layers", state(fifo, "-3", "-30.00"), true},
		{"fifo value off by 0.01", state(fifo, "3", "25.01", layer(1, "2", "20.00"), layer(2, "1", "5.00")), false},
		{"fifo qty off", state(fifo, "4", "25.00", layer(1, "2", "20.00"), layer(2, "1", "5.00")), false},
		{"fifo negative with layers", state(fifo, "-1", "-10.00", layer(1, "1", "10.00")), false},
		{"fifo empty layer", state(fifo, "1", "5.00", layer(1, "0", "0.00"), layer(2, "1", "5.00")), false},
		{"moving average with layers", state(ma, "1", "5.00", layer(1, "1", "5.00")), false},
		{"residue", state(ma, "0", "0.01"), false},
		{"negative value on hand", state(ma, "1", "-0.01"), false},
		{"positive value of a shortfall", state(ma, "-1", "0.01"), false},
		{"unknown method", domain.CostState{Method: "lifo"}, false},
	}
	for _, tt := range tests {
		err := tt.s.Check()
		if (err == nil) != tt.ok {
			t.Errorf("%s: Check() = %v, want ok %v", tt.name, err, tt.ok)
		}
		if err != nil && domain.ErrorCode(err) != domain.EInternal {
			t.Errorf("%s: code %s, want %s", tt.name, domain.ErrorCode(err), domain.EInternal)
		}
	}
}
