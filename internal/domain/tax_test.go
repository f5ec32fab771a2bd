package domain

import "testing"

func mustParse[T ~int64](t *testing.T, parse func(string) (T, error), s string) T {
	t.Helper()
	v, err := parse(s)
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return v
}

// Every expected figure below was worked by hand from the rules in tax.go.
func TestTaxLineAmounts(t *testing.T) {
	tests := []struct {
		name                              string
		qty, price                        string
		incl                              bool
		rate, disc                        string
		amount, discount, net, tax, gross string
	}{
		// 30.00 × 13/113 = 3.4513 → 3.45; net 30.00 − 3.45.
		{"tax-inclusive", "3", "10", true, "13", "0", "30.00", "0.00", "26.55", "3.45", "30.00"},
		// 30.00 × 13 % = 3.90.
		{"net price", "3", "10", false, "13", "0", "30.00", "0.00", "30.00", "3.90", "33.90"},
		// 2.5 × 3.3333 = 8.33325 → 8.33 (R1); 8.33 × 13/113 = 0.9583 → 0.96.
		{"fractional quantity and price", "2.5", "3.3333", true, "13", "0", "8.33", "0.00", "7.37", "0.96", "8.33"},
		// 99.99 × 90 % = 89.991 → 89.99 (R2), discount 10.00;
		// 89.99 × 6/106 = 5.0938 → 5.09.
		{"line discount", "1", "99.99", true, "6", "10", "99.99", "10.00", "84.90", "5.09", "89.99"},
		{"no tax", "2", "5", true, "0", "0", "10.00", "0.00", "10.00", "0.00", "10.00"},
		// 0.50 × 13 % = 0.065 → 0.07: half rounds away from zero.
		{"half a cent", "1", "0.5", false, "13", "0", "0.50", "0.00", "0.50", "0.07", "0.57"},
		// A full discount leaves nothing, tax included.
		{"free", "4", "12.5", true, "13", "100", "50.00", "50.00", "0.00", "0.00", "0.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := TaxLine{Qty: mustParse(t, ParseQty, tt.qty), Price: mustParse(t, ParsePrice, tt.price), TaxIncluded: tt.incl,
				TaxRate: mustParse(t, ParseRate, tt.rate), DiscountRate: mustParse(t, ParseRate, tt.disc)}
			a, err := l.Amounts()
			if err != nil {
				t.Fatal(err)
			}
			got := [5]string{a.Amount.String(), a.Discount.String(), a.Net.String(), a.Tax.String(), a.Gross.String()}
			want := [5]string{tt.amount, tt.discount, tt.net, tt.tax, tt.gross}
			if got != want {
				t.Errorf("amount, discount, net, tax, gross = %v, want %v", got, want)
			}
			if a.Net+a.Tax != a.Gross {
				t.Errorf("net %s + tax %s ≠ gross %s", a.Net, a.Tax, a.Gross)
			}
		})
	}
	for _, bad := range []TaxLine{{Qty: QtyOne, Price: PriceOf(1), DiscountRate: RateOf(101)}, {Qty: QtyOne, Price: PriceOf(1), TaxRate: -1}} {
		if _, err := bad.Amounts(); ErrorCode(err) != EInvalid {
			t.Errorf("%+v: %v, want invalid", bad, err)
		}
	}
}

// A whole-bill discount of 10.00 over lines worth 30.00 and 20.00 (13 %)
// and 50.00 (0 %): shares 3.00, 2.00 and the rest 5.00; new gross 27.00
// (tax 27 × 13/113 = 3.1062 → 3.11), 18.00 (2.0708 → 2.07), 45.00 (0).
// Then 0.10 over three lines of 1.00: 0.03, 0.03 and the rest 0.04.
func TestSpreadDiscount(t *testing.T) {
	thirteen, zero := RateOf(13), Rate(0)
	lines := make([]TaxAmounts, 3)
	for i, g := range []Money{MoneyOf(30), MoneyOf(20), MoneyOf(50)} {
		lines[i].Gross, lines[i].Amount = g, g
	}
	rates := []Rate{thirteen, thirteen, zero}
	for i := range lines {
		if err := lines[i].taxFromGross(rates[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := SpreadDiscount(lines, rates, MoneyOf(10)); err != nil {
		t.Fatal(err)
	}
	want := [][3]string{{"27.00", "3.11", "3.00"}, {"18.00", "2.07", "2.00"}, {"45.00", "0.00", "5.00"}}
	for i, l := range lines {
		if got := [3]string{l.Gross.String(), l.Tax.String(), l.Discount.String()}; got != want[i] {
			t.Errorf("line %d: gross, tax, discount = %v, want %v", i+1, got, want[i])
		}
	}
	if tot := TaxTotals(lines); tot.Gross != MoneyOf(90) || tot.Discount != MoneyOf(10) || tot.Net+tot.Tax != tot.Gross {
		t.Errorf("totals %+v", tot)
	}
	small := []TaxAmounts{{Gross: MoneyOf(1)}, {Gross: MoneyOf(1)}, {Gross: MoneyOf(1)}}
	if err := SpreadDiscount(small, []Rate{0, 0, 0}, Money(10)); err != nil {
		t.Fatal(err)
	}
	if small[0].Discount != 3 || small[1].Discount != 3 || small[2].Discount != 4 {
		t.Errorf("0.10 over three: %s %s %s, want 0.03 0.03 0.04", small[0].Discount, small[1].Discount, small[2].Discount)
	}
	if err := SpreadDiscount(small, []Rate{0, 0, 0}, MoneyOf(5)); ErrorCode(err) != EInvalid {
		t.Errorf("a discount above the bill: %v, want invalid", err)
	}
}

// Allocate: 10.00 by 3:2:5 is 3.00, 2.00, 5.00; 0.10 by 1:1:1 is 0.03,
// 0.03 and the rest 0.04; a zero weight gets nothing and is not "last".
func TestAllocate(t *testing.T) {
	for _, tt := range []struct {
		total   Money
		weights []int64
		want    []Money
	}{
		{MoneyOf(10), []int64{3, 2, 5}, []Money{300, 200, 500}},
		{Money(10), []int64{1, 1, 1}, []Money{3, 3, 4}},
		{Money(10), []int64{1, 1, 0}, []Money{5, 5, 0}},
		{Money(-7), []int64{1, 1}, []Money{-4, -3}},
	} {
		got, err := Allocate(tt.total, tt.weights)
		if err != nil || len(got) != len(tt.want) {
			t.Fatalf("Allocate(%s, %v): %v, %v", tt.total, tt.weights, got, err)
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("Allocate(%s, %v) = %v, want %v", tt.total, tt.weights, got, tt.want)
				break
			}
		}
	}
	for _, w := range [][]int64{{0, 0}, {1, -1}, nil} {
		if _, err := Allocate(MoneyOf(1), w); ErrorCode(err) != EInvalid {
			t.Errorf("weights %v: %v, want invalid", w, err)
		}
	}
}

// An order's 整单优惠 follows its lines (R5): worked by hand. The order,
// tax-inclusive at 13 %: X 24 × 1.27 = 30.48, Y 10 × 2.86 less 5 % = 27.17;
// 3.50 off 57.65 spread by gross: X 1.85 (1.8505), Y the rest 1.65; gross
// 28.63 and 25.52, 54.15 in all. Shipped in two halves of X, the first
// with all of Y: X takes 0.93 (0.925 rounded) and then 0.92, the rest, so
// the two shipments charge 39.83 + 14.32 = 54.15, what the order agreed.
func TestCarriedShare(t *testing.T) {
	qty := func(s string) Qty { return mustParse(t, ParseQty, s) }
	price := func(s string) Price { return mustParse(t, ParsePrice, s) }
	ln := func(n, p string) DocLine {
		return DocLine{Qty: qty(n), BaseQty: qty(n), Factor: QtyOne, Price: price(p), TaxRate: RateOf(13)}
	}
	order := Document{TaxIncluded: true, Discount: MoneyOf(3) + 50, Lines: []DocLine{ln("24", "1.27"), ln("10", "2.86")}}
	order.Lines[1].DiscountRate = RateOf(5)
	if err := order.PriceTrade(); err != nil {
		t.Fatal(err)
	}
	if order.Lines[0].Gross != 2863 || order.Lines[1].Gross != 2552 || order.GrossAmount != 5415 {
		t.Fatalf("order gross %s + %s = %s, want 28.63 + 25.52 = 54.15", order.Lines[0].Gross, order.Lines[1].Gross, order.GrossAmount)
	}
	for i, want := range []Money{185, 165} {
		if got, err := order.Lines[i].WholeBillShare(true); err != nil || got != want {
			t.Errorf("line %d's share %s (%v), want %s", i+1, got, err, want)
		}
	}
	ship := func(before [2]string, lines ...DocLine) Document {
		t.Helper()
		d := Document{TaxIncluded: true, Lines: lines}
		carried := make([]Money, len(lines))
		for i := range lines {
			c, err := d.Lines[i].CarriedShare(&order.Lines[i], true, qty(before[i]))
			if err != nil {
				t.Fatal(err)
			}
			carried[i] = c
		}
		if err := d.PriceTradeCarried(carried); err != nil {
			t.Fatal(err)
		}
		return d
	}
	y := ln("10", "2.86")
	y.DiscountRate = RateOf(5) // copied from the order line
	first := ship([2]string{"0", "0"}, ln("12", "1.27"), y)
	second := ship([2]string{"12", "10"}, ln("12", "1.27"))
	want := []struct {
		l                    DocLine
		gross, tax, discount Money
	}{
		{first.Lines[0], 1431, 165, 93},  // 15.24 − 0.93; tax 14.31 × 13 / 113 = 1.646
		{first.Lines[1], 2552, 294, 308}, // 27.17 − 1.65; tax 2.936; 1.43 + 1.65 off
		{second.Lines[0], 1432, 165, 92}, // 15.24 − 0.92, the rest of X's 1.85
	}
	for i, w := range want {
		if w.l.Gross != w.gross || w.l.Tax != w.tax || w.l.Discount != w.discount || w.l.Amount+w.l.Tax != w.l.Gross {
			t.Errorf("follower line %d: gross %s tax %s discount %s net %s, want %s %s %s", i+1, w.l.Gross, w.l.Tax, w.l.Discount, w.l.Amount, w.gross, w.tax, w.discount)
		}
	}
	if first.GrossAmount+second.GrossAmount != order.GrossAmount {
		t.Errorf("shipped %s + %s, want the order's %s", first.GrossAmount, second.GrossAmount, order.GrossAmount)
	}
	// A line with no whole-bill share carries nothing; nor does a source of no quantity.
	plain := Document{TaxIncluded: true, Lines: []DocLine{ln("5", "2")}}
	if err := plain.PriceTrade(); err != nil {
		t.Fatal(err)
	}
	follower := ln("5", "2")
	if c, err := follower.CarriedShare(&plain.Lines[0], true, 0); err != nil || c != 0 {
		t.Errorf("no share: carried %s (%v)", c, err)
	}
	if c, err := follower.CarriedShare(&DocLine{}, true, 0); err != nil || c != 0 {
		t.Errorf("empty source: carried %s (%v)", c, err)
	}
}
