package domain_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jxc-erp/jxc/internal/domain"
)

// Every expected figure below was worked by hand from the rules in
// scorecard.go.

func scRate(s string) *domain.Rate {
	r, err := domain.ParseRate(s)
	if err != nil {
		panic(err)
	}
	return &r
}

func scDay(s string) domain.Date {
	d, err := domain.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func scDayPtr(s string) *domain.Date {
	d := scDay(s)
	return &d
}

func TestPercent(t *testing.T) {
	for _, tt := range []struct {
		name        string
		part, whole int64
		want        string // "" = no value
	}{
		{"whole", 4, 4, "100"},
		{"an eighth is exact", 1, 8, "12.5"},
		// 33.333… → 33.33.
		{"a third rounds down", 1, 3, "33.33"},
		// 66.666… → 66.67.
		{"two thirds round up", 2, 3, "66.67"},
		// 1 × 10000 / 20000 = 0.5 of 0.01 % → 0.01 % (R1: half away from zero).
		{"half rounds away from zero", 1, 20000, "0.01"},
		// 15 / 155 = 9.677… % → 9.68.
		{"rejects", 15, 155, "9.68"},
		{"nothing to measure", 3, 0, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := domain.Percent(tt.part, tt.whole)
			if tt.want == "" {
				if ok {
					t.Errorf("Percent(%d, %d) = %s, want no value", tt.part, tt.whole, got)
				}
				return
			}
			if !ok || got != *scRate(tt.want) {
				t.Errorf("Percent(%d, %d) = %s, %v; want %s", tt.part, tt.whole, got, ok, tt.want)
			}
		})
	}
}

func TestMeanDays(t *testing.T) {
	for _, tt := range []struct {
		name string
		days []int64
		want string // "" = no value
	}{
		{"half", []int64{3, 4}, "3.5"},
		// 4 / 3 = 1.333 → 1.3.
		{"a third rounds down", []int64{1, 1, 2}, "1.3"},
		// 5 / 3 = 1.667 → 1.7.
		{"two thirds round up", []int64{1, 2, 2}, "1.7"},
		// 1 / 4 = 0.25 → 0.3 (R2: half away from zero).
		{"half a tenth rounds up", []int64{0, 1, 0, 0}, "0.3"},
		{"same day", []int64{0}, "0"},
		{"none", nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := domain.MeanDays(tt.days)
			if tt.want == "" {
				if ok {
					t.Errorf("MeanDays(%v) = %s, want no value", tt.days, got)
				}
				return
			}
			if !ok || got.String() != mustDays(t, tt.want).String() {
				t.Errorf("MeanDays(%v) = %s, %v; want %s", tt.days, got, ok, tt.want)
			}
		})
	}
}

func mustDays(t *testing.T, s string) domain.Days {
	t.Helper()
	var d domain.Days
	if err := d.UnmarshalText([]byte(s)); err != nil {
		t.Fatalf("days %q: %v", s, err)
	}
	return d
}

func TestDaysText(t *testing.T) {
	for _, tt := range []struct {
		d    domain.Days
		want string
	}{{35, "3.5"}, {0, "0.0"}, {120, "12.0"}, {-5, "-0.5"}} {
		b, _ := tt.d.MarshalText()
		if string(b) != tt.want {
			t.Errorf("Days(%d) = %s, want %s", int64(tt.d), b, tt.want)
		}
		var back domain.Days
		if err := back.UnmarshalText(b); err != nil || back != tt.d {
			t.Errorf("UnmarshalText(%s) = %d, %v", b, int64(back), err)
		}
	}
	var d domain.Days
	if err := d.UnmarshalText([]byte("1.25")); err == nil {
		t.Errorf("1.25 days parsed as %s, want an error (one decimal)", d)
	}
}

func TestPriceChange(t *testing.T) {
	for _, tt := range []struct {
		name        string
		first, last string
		want        string // "" = no value
	}{
		{"up a tenth", "10", "11", "10"},
		{"unchanged", "5.5", "5.5", "0"},
		// −1 / 3 = −33.333 % → −33.33.
		{"down a third", "3", "2", "-33.33"},
		// −0.001 / 16 = −0.00625 % → −0.01 (R1: away from zero).
		{"a tiny drop rounds away from zero", "16", "15.999", "-0.01"},
		// 1.8333 / 10.1667 = 18.0324 % → 18.03.
		{"odd prices", "10.1667", "12", "18.03"},
		{"free goods first", "0", "3", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := domain.PriceChange(p(tt.first), p(tt.last))
			if tt.want == "" {
				if ok {
					t.Errorf("PriceChange = %s, want no value", got)
				}
				return
			}
			if !ok || got != *scRate(tt.want) {
				t.Errorf("PriceChange(%s, %s) = %s, %v; want %s", tt.first, tt.last, got, ok, tt.want)
			}
		})
	}
}

func TestOverallScore(t *testing.T) {
	for _, tt := range []struct {
		name                 string
		onTime, fill, reject *domain.Rate
		want                 *domain.Rate
	}{
		// (75 × 40 + 90 × 40 + (100 − 5) × 20) / 100 = (3000 + 3600 + 1900) / 100.
		{"all three", scRate("75"), scRate("90"), scRate("5"), scRate("85")},
		{"fill only", nil, scRate("80"), nil, scRate("80")},
		// (66.67 × 40 + 90 × 20) / 60 = 4466.8 / 60 = 74.4467 → 74.45.
		{"no fill rate", scRate("66.67"), nil, scRate("10"), scRate("74.45")},
		// (33.33 × 40 + 33.34 × 40) / 80 = 33.335 → 33.34 (R1: half away from zero).
		{"half rounds up", scRate("33.33"), scRate("33.34"), nil, scRate("33.34")},
		{"quality only: nothing rejected", nil, nil, scRate("0"), scRate("100")},
		{"perfect", scRate("100"), scRate("100"), scRate("0"), scRate("100")},
		{"nothing measured", nil, nil, nil, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := domain.OverallScore(tt.onTime, tt.fill, tt.reject)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("OverallScore mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPlacedOrderDue(t *testing.T) {
	today := scDay("2025-03-31")
	for _, tt := range []struct {
		name string
		o    domain.PlacedOrder
		want bool
	}{
		{"closed by hand", domain.PlacedOrder{Closed: true, Ordered: q("10"), Filled: q("2")}, true},
		{"fully received", domain.PlacedOrder{Ordered: q("10"), Filled: q("10")}, true},
		{"expected yesterday", domain.PlacedOrder{ExpectedDate: scDayPtr("2025-03-30"), Ordered: q("10"), Filled: q("2")}, true},
		{"expected today is not late yet", domain.PlacedOrder{ExpectedDate: scDayPtr("2025-03-31"), Ordered: q("10"), Filled: q("2")}, false},
		{"open without an expected date", domain.PlacedOrder{Ordered: q("10")}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.o.Due(today); got != tt.want {
				t.Errorf("Due = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestScoreSupplier: one supplier's month, every figure by hand.
func TestScoreSupplier(t *testing.T) {
	today := scDay("2025-03-31")
	orders := []domain.PlacedOrder{
		// Fully received, first receipt after 7 days: due, lead 7.
		{Date: scDay("2025-03-01"), ExpectedDate: scDayPtr("2025-03-10"), Ordered: q("100"), Filled: q("100"), FirstDelivery: scDayPtr("2025-03-08")},
		// Short and past its expected date: due, lead 15.
		{Date: scDay("2025-03-05"), ExpectedDate: scDayPtr("2025-03-15"), Ordered: q("50"), Filled: q("30"), FirstDelivery: scDayPtr("2025-03-20")},
		// Short but expected later: not due; lead 5.
		{Date: scDay("2025-03-20"), ExpectedDate: scDayPtr("2025-04-10"), Ordered: q("40"), Filled: q("10"), FirstDelivery: scDayPtr("2025-03-25")},
		// Closed with nothing received: due; no lead time.
		{Date: scDay("2025-03-25"), Closed: true, Ordered: q("10")},
		// Open, no expected date: not due.
		{Date: scDay("2025-03-28"), Ordered: q("20")},
		// Received before it was ordered (back-dated): lead 0.
		{Date: scDay("2025-03-29"), Ordered: q("5"), Filled: q("5"), FirstDelivery: scDayPtr("2025-03-27")},
	}
	deliveries := []domain.Delivery{
		// Given out of order: the price trend sorts by date, then id.
		{ID: 13, Date: scDay("2025-03-20"), ExpectedDate: scDayPtr("2025-03-15"), Lines: []domain.DeliveryLine{
			{ItemID: 1, Qty: q("30"), Net: m("360")}, // late; 12.00
		}},
		{ID: 11, Date: scDay("2025-03-08"), ExpectedDate: scDayPtr("2025-03-10"), Lines: []domain.DeliveryLine{
			{ItemID: 1, Qty: q("40"), Net: m("400")}, // on time; with the next line 610.00 / 60 = 10.1667
			{ItemID: 1, Qty: q("20"), Net: m("210")},
		}},
		{ID: 12, Date: scDay("2025-03-09"), ExpectedDate: scDayPtr("2025-03-10"), Lines: []domain.DeliveryLine{
			{ItemID: 1, Qty: q("50"), Rejected: q("10"), Net: m("440")}, // on time; 440.00 / 40 = 11.00
		}},
		{ID: 14, Date: scDay("2025-03-25"), ExpectedDate: scDayPtr("2025-04-10"), Lines: []domain.DeliveryLine{
			{ItemID: 2, Qty: q("10"), Net: m("55")}, // on time; 5.50
		}},
		{ID: 15, Date: scDay("2025-03-26"), Lines: []domain.DeliveryLine{
			{ItemID: 2, Qty: q("5"), Rejected: q("5")}, // free: not timed; all rejected: no price
		}},
	}
	got := domain.ScoreSupplier(orders, deliveries, today)
	lead := domain.Days(68) // (7 + 15 + 5 + 0) / 4 = 6.75 → 6.8 (R2)
	want := domain.SupplierScore{
		// Timed: 11, 12, 13, 14; on time: 11, 12, 14 → 3 / 4.
		OnTimeRate: scRate("75"), TimedReceipts: 4, OnTimeReceipts: 3,
		// Due: the 1st, 2nd, 4th and 6th orders: (100 + 30 + 0 + 5) / (100 + 50 + 10 + 5) = 135 / 165 = 81.818 → 81.82.
		FillRate: scRate("81.82"), DueOrders: 4, OrderedQty: q("165"), FilledQty: q("135"),
		// Delivered 30 + 40 + 20 + 50 + 10 + 5 = 155, rejected 10 + 5 = 15: 9.677 → 9.68.
		RejectRate: scRate("9.68"), Receipts: 5, DeliveredQty: q("155"), RejectedQty: q("15"),
		LeadTimeDays: &lead, LeadOrders: 4,
		// (75 × 40 + 81.82 × 40 + (100 − 9.68) × 20) / 100 = (3000 + 3272.8 + 1806.4) / 100 = 80.792 → 80.79.
		Score: scRate("80.79"),
		Prices: []domain.PriceTrend{
			// 10.1667 → 11.00 → 12.00: (12 − 10.1667) / 10.1667 = 18.03 %.
			{ItemID: 1, Receipts: 3, FirstDate: scDay("2025-03-08"), FirstPrice: p("10.1667"), LastDate: scDay("2025-03-20"), LastPrice: p("12"), Change: scRate("18.03")},
			{ItemID: 2, Receipts: 1, FirstDate: scDay("2025-03-25"), FirstPrice: p("5.5"), LastDate: scDay("2025-03-25"), LastPrice: p("5.5"), Change: scRate("0")},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ScoreSupplier mismatch (-want +got):\n%s", diff)
	}

	if got := domain.ScoreSupplier(nil, nil, today); got.Score != nil || got.FillRate != nil || got.OnTimeRate != nil ||
		got.RejectRate != nil || got.LeadTimeDays != nil || len(got.Prices) != 0 {
		t.Errorf("no documents: %+v, want no values", got)
	}
}
