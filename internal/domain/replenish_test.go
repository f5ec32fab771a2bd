package domain

import "testing"

func qs(ss ...string) []Qty {
	out := make([]Qty, len(ss))
	for i, s := range ss {
		out[i] = q(s)
	}
	return out
}

// Every expected figure below was worked by hand from the rules in
// replenish.go.
func TestMovingAverage(t *testing.T) {
	for _, tt := range []struct {
		name   string
		h      []Qty
		window int
		want   string
	}{
		// (12 + 14 + 16) / 3.
		{"last window periods", qs("10", "12", "14", "16"), 3, "14"},
		// (10 + 12 + 14 + 16) / 4 either way.
		{"window longer than history", qs("10", "12", "14", "16"), 9, "13"},
		{"window 0 takes all", qs("10", "12", "14", "16"), 0, "13"},
		// 0.0003 / 2 = 0.00015 → 0.0002 (R1: half away from zero).
		{"half rounds up", qs("0.0001", "0.0002"), 2, "0.0002"},
		// 0.0001 / 3 = 0.0000333 → 0.
		{"third rounds down", qs("0.0001", "0", "0"), 3, "0"},
		// A week of net returns counts as 0: (0 + 5) / 2.
		{"returns are no demand", qs("-5", "5"), 2, "2.5"},
		{"no history", nil, 3, "0"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := MovingAverage(tt.h, tt.window); got != q(tt.want) {
				t.Errorf("MovingAverage = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestExpSmoothing(t *testing.T) {
	for _, tt := range []struct {
		name  string
		h     []Qty
		alpha Rate
		want  string
	}{
		// 10 + 0.3 × (20 − 10) = 13.
		{"one step", qs("10", "20"), RateOf(30), "13"},
		// 13 + 0.3 × (30 − 13) = 13 + 5.1 = 18.1.
		{"two steps", qs("10", "20", "30"), RateOf(30), "18.1"},
		// 0.3 × 0.0005 = 0.00015 → 0.0002 (R2).
		{"step rounds up", qs("0", "0.0005"), RateOf(30), "0.0002"},
		// 0.3 × (0 − 0.0005) = −0.00015 → −0.0002, so 0.0003: away from zero.
		{"step down rounds away from zero", qs("0.0005", "0"), RateOf(30), "0.0003"},
		{"alpha 100 % is the last period", qs("10", "20", "7"), RateOf(100), "7"},
		{"alpha 0 keeps the first period", qs("10", "20", "7"), 0, "10"},
		{"alpha above 100 % is clamped", qs("10", "20", "7"), RateOf(150), "7"},
		// Level 0 (returns), then 0 + 0.5 × 8 = 4.
		{"returns are no demand", qs("-6", "8"), RateOf(50), "4"},
		{"no history", nil, RateOf(30), "0"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExpSmoothing(tt.h, tt.alpha); got != q(tt.want) {
				t.Errorf("ExpSmoothing = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestChooseForecast(t *testing.T) {
	for _, tt := range []struct {
		name   string
		h      []Qty
		window int
		alpha  Rate
		want   Forecast
	}{
		// Trending: 10 20 30 40 50, window 2, α 0.5; periods 2..4 tested.
		// Moving average: 15, 25, 35 against 30, 40, 50: errors 15, 15, 15,
		// MAE 15. Smoothing: levels 10, 15, 22.5, 31.25, 40.625; forecasts
		// 15, 22.5, 31.25: errors 15, 17.5, 18.75, MAE 51.25 / 3 = 17.0833.
		// The moving average wins: (40 + 50) / 2 = 45. Mean demand tested
		// (30 + 40 + 50) / 3 = 40; rate 15 / 40 = 37.50 %.
		{"trend: moving average", qs("10", "20", "30", "40", "50"), 2, RateOf(50),
			Forecast{Method: ForecastMovingAverage, PerPeriod: q("45"), Error: q("15"), ErrorRate: 3750, Backtested: 3}}, // 37.50 %
		// Noisy flat: 10 14 10 14 10 14, window 1, α 0.5; periods 1..5.
		// Moving average (the last period): always 4 off, MAE 4. Smoothing:
		// levels 10, 12, 11, 12.5, 11.25, 12.625; errors |14−10| 4,
		// |10−12| 2, |14−11| 3, |10−12.5| 2.5, |14−11.25| 2.75 = 14.25,
		// MAE 2.85. Smoothing wins with 12.625. Mean demand tested 62 / 5 =
		// 12.4; rate 2.85 / 12.4 = 22.9839 % → 22.98 % (R3).
		{"noisy flat: smoothing", qs("10", "14", "10", "14", "10", "14"), 1, RateOf(50),
			Forecast{Method: ForecastExpSmoothing, PerPeriod: q("12.625"), Error: q("2.85"), ErrorRate: 2298, Backtested: 5}},
		// Both exact: a tie goes to the moving average.
		{"tie", qs("5", "5", "5", "5"), 2, RateOf(30),
			Forecast{Method: ForecastMovingAverage, PerPeriod: q("5"), Backtested: 2}},
		{"zero demand", qs("0", "0", "0", "0"), 2, RateOf(30),
			Forecast{Method: ForecastMovingAverage, Backtested: 2}},
		// Window 3 needs 4 periods to test one; (4 + 6 + 8) / 3 = 6.
		{"short history", qs("4", "6", "8"), 3, RateOf(30),
			Forecast{Method: ForecastMovingAverage, PerPeriod: q("6")}},
		{"no history", nil, 3, RateOf(30), Forecast{Method: ForecastMovingAverage}},
		// Demand only in untested periods: an error, but no rate.
		// Window 1: moving average 8, 0 against 0, 0: MAE 4; smoothing at
		// α 1 is the same. Tie: the moving average, 0.
		{"error without demand", qs("8", "0", "0"), 1, RateOf(100),
			Forecast{Method: ForecastMovingAverage, Error: q("4"), Backtested: 2}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ChooseForecast(tt.h, tt.window, tt.alpha)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("ChooseForecast = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestChooseForecastRefusals(t *testing.T) {
	for _, tt := range []struct {
		name        string
		h           []Qty
		window      int
		alpha       Rate
		field, rule string
	}{
		{"window 0", qs("1", "2"), 0, RateOf(30), "window", "positive"},
		{"alpha 0", qs("1", "2"), 1, 0, "alpha", "range"},
		{"alpha above 100 %", qs("1", "2"), 1, RateOf(100) + 1, "alpha", "range"},
		{"period too large", []Qty{QtyOne, maxReplenishQty + 1}, 1, RateOf(30), "history[1]", "max"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ChooseForecast(tt.h, tt.window, tt.alpha)
			wantRule(t, err, tt.field, tt.rule, "")
		})
	}
}

func TestSuggest(t *testing.T) {
	// 10 a day for a 5-day lead time with 20 safety: lead-time demand 50,
	// reorder point 70.
	daily := ReplenishInput{Demand: q("10"), PeriodDays: 1, LeadTimeDays: 5, SafetyQty: q("20")}
	with := func(f func(*ReplenishInput)) ReplenishInput { in := daily; f(&in); return in }
	for _, tt := range []struct {
		name string
		in   ReplenishInput
		want Suggestion // ReorderPoint, Available, Target, Need, Qty, Reason
	}{
		// 60 ≤ 70: up to 70 + 50 = 120, need 60.
		{"at the reorder point", with(func(in *ReplenishInput) { in.OnHand = q("60") }),
			Suggestion{q("70"), q("60"), q("120"), q("60"), q("60"), "reorder_point"}},
		{"exactly at it", with(func(in *ReplenishInput) { in.OnHand = q("70") }),
			Suggestion{q("70"), q("70"), q("120"), q("50"), q("50"), "reorder_point"}},
		{"above it", with(func(in *ReplenishInput) { in.OnHand = q("71") }),
			Suggestion{q("70"), q("71"), 0, 0, 0, "none"}},
		// 100 − 30 + 20 = 90 > 70: nothing.
		{"covered by what is on order", with(func(in *ReplenishInput) { in.OnHand, in.Reserved, in.OnOrder = q("100"), q("30"), q("20") }),
			Suggestion{q("70"), q("90"), 0, 0, 0, "none"}},
		// 100 − 50 + 10 = 60: as the first case.
		{"reservations use it up", with(func(in *ReplenishInput) { in.OnHand, in.Reserved, in.OnOrder = q("100"), q("50"), q("10") }),
			Suggestion{q("70"), q("60"), q("120"), q("60"), q("60"), "reorder_point"}},
		// Issued before receipt: −5 ≤ 70, need 125.
		{"negative stock", with(func(in *ReplenishInput) { in.OnHand = q("-5") }),
			Suggestion{q("70"), q("-5"), q("120"), q("125"), q("125"), "reorder_point"}},
		// Min 80 above the reorder point: 75 < 80, up to 80 + 50 = 130.
		{"below min", with(func(in *ReplenishInput) { in.OnHand, in.MinQty = q("75"), q("80") }),
			Suggestion{q("70"), q("75"), q("130"), q("55"), q("55"), "below_min"}},
		// Below both: min is named; up to max(70, 80) + reorder qty 40.
		{"reorder quantity", with(func(in *ReplenishInput) { in.OnHand, in.MinQty, in.ReorderQty = q("30"), q("80"), q("40") }),
			Suggestion{q("70"), q("30"), q("120"), q("90"), q("90"), "below_min"}},
		// Max 100 wins over the reorder quantity: 100 − 60.
		{"up to max", with(func(in *ReplenishInput) { in.OnHand, in.MaxQty, in.ReorderQty = q("60"), q("100"), q("40") }),
			Suggestion{q("70"), q("60"), q("100"), q("40"), q("40"), "reorder_point"}},
		// 10 days of 10 + 20 = 120 is above max 100: 110 ≤ 120 but 110 is
		// already above the ceiling.
		{"max below the reorder point", with(func(in *ReplenishInput) { in.OnHand, in.MaxQty, in.LeadTimeDays = q("110"), q("100"), 10 }),
			Suggestion{q("120"), q("110"), q("100"), 0, 0, "none"}},
		// No demand, no levels: 0 ≤ 0 but nothing to bring it up to.
		{"zero demand, no levels", ReplenishInput{PeriodDays: 1, LeadTimeDays: 5},
			Suggestion{Reason: "none"}},
		{"zero demand, max only", ReplenishInput{PeriodDays: 7, LeadTimeDays: 5, MaxQty: q("50")},
			Suggestion{0, 0, q("50"), q("50"), q("50"), "reorder_point"}},
		// Min 10 only, 10 on hand: not below it.
		{"at min", ReplenishInput{PeriodDays: 1, OnHand: q("10"), MinQty: q("10")},
			Suggestion{0, q("10"), 0, 0, 0, "none"}},
		// 7.5 a week, 10 days: 7.5 × 10 / 7 = 10.714286 → 10.7143 (R4).
		// Up to 21.4286, need 16.4286; packs of 6: 18 (R5).
		{"weekly periods, packs", ReplenishInput{Demand: q("7.5"), PeriodDays: 7, LeadTimeDays: 10, OnHand: q("5"), PackSize: q("6")},
			Suggestion{q("10.7143"), q("5"), q("21.4286"), q("16.4286"), q("18"), "reorder_point"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Suggest(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Suggest =\n %+v, want\n %+v", got, tt.want)
			}
		})
	}
}

// 5 on hand against a minimum: the need, raised to the MOQ and rounded up
// to whole packs (R5).
func TestSuggestMOQAndPacks(t *testing.T) {
	for _, tt := range []struct {
		name           string
		min, moq, pack string
		want           string
	}{
		{"none", "10", "0", "0", "5"},
		{"up to the MOQ", "10", "50", "0", "50"},
		{"up to a pack", "10", "0", "12", "12"},
		// max(5, 50) = 50, then ⌈50 / 12⌉ = 5 packs: whole packs, at least the MOQ.
		{"MOQ then packs", "10", "50", "12", "60"},
		// Min 29 needs 24: exactly two packs, nothing added.
		{"exact packs", "29", "0", "12", "24"},
		// 1.2 kg in 0.5 kg bags: 3 bags.
		{"fractional pack", "6.2", "0", "0.5", "1.5"},
		// Already above the MOQ: the MOQ adds nothing.
		{"above the MOQ", "10", "3", "0", "5"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Suggest(ReplenishInput{PeriodDays: 1, OnHand: q("5"), MinQty: q(tt.min), MOQ: q(tt.moq), PackSize: q(tt.pack)})
			if err != nil {
				t.Fatal(err)
			}
			if got.Qty != q(tt.want) || got.Reason != "below_min" {
				t.Errorf("Suggest = %+v, want qty %s below_min", got, tt.want)
			}
		})
	}
}

func TestSuggestRefusals(t *testing.T) {
	ok := ReplenishInput{PeriodDays: 1}
	for _, tt := range []struct {
		name        string
		f           func(*ReplenishInput)
		field, rule string
	}{
		{"negative reservation", func(in *ReplenishInput) { in.Reserved = -1 }, "reserved", "not_negative"},
		{"negative pack", func(in *ReplenishInput) { in.PackSize = -1 }, "pack_size", "not_negative"},
		{"huge max", func(in *ReplenishInput) { in.MaxQty = maxReplenishQty + 1 }, "max_qty", "max"},
		{"huge shortfall", func(in *ReplenishInput) { in.OnHand = -maxReplenishQty - 1 }, "on_hand", "range"},
		{"no period", func(in *ReplenishInput) { in.PeriodDays = 0 }, "period_days", "range"},
		{"negative lead time", func(in *ReplenishInput) { in.LeadTimeDays = -1 }, "lead_time_days", "range"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := ok
			tt.f(&in)
			_, err := Suggest(in)
			wantRule(t, err, tt.field, tt.rule, "")
		})
	}
}

func TestChooseSupplier(t *testing.T) {
	p := func(s string) Price {
		v, err := ParsePrice(s)
		if err != nil {
			panic(err)
		}
		return v
	}
	for _, tt := range []struct {
		name   string
		offers []SupplierOffer
		want   int
	}{
		// 9.50 beats 10; of the three at 9.50, two deliver in 7 days; of
		// those, score 90 beats 50. The unpriced offer is last despite all.
		{"price, lead time, score", []SupplierOffer{
			{1, p("10"), 7, RateOf(80)}, {2, p("9.5"), 14, RateOf(60)}, {3, p("9.5"), 7, RateOf(50)},
			{4, p("9.5"), 7, RateOf(90)}, {5, 0, 1, RateOf(100)}}, 3},
		{"lower partner id", []SupplierOffer{{9, p("2"), 3, RateOf(70)}, {4, p("2"), 3, RateOf(70)}}, 1},
		{"same partner twice: the first", []SupplierOffer{{4, p("2"), 3, 0}, {4, p("2"), 3, 0}}, 0},
		{"a price beats none", []SupplierOffer{{1, 0, 1, RateOf(100)}, {2, p("12"), 30, 0}}, 1},
		{"no prices: lead time", []SupplierOffer{{1, 0, 10, RateOf(50)}, {2, 0, 5, RateOf(50)}}, 1},
		{"a cheaper price beats a sooner one", []SupplierOffer{{1, p("5.0001"), 1, RateOf(100)}, {2, p("5"), 60, 0}}, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got, ok := ChooseSupplier(tt.offers); got != tt.want || !ok {
				t.Errorf("ChooseSupplier = %d, %v, want %d", got, ok, tt.want)
			}
		})
	}
	if i, ok := ChooseSupplier(nil); ok || i != -1 {
		t.Errorf("no offers: %d, %v", i, ok)
	}
}
