package domain

import (
	"math/bits"
	"strconv"
)

// Replenishment (补货建议) of one item in one warehouse: a demand forecast
// from its sales history, a reorder point, a suggested purchase quantity,
// and the supplier to buy from. The rules, with their rounding points named
// so that a buyer can redo a suggestion by hand. Quantities are base units;
// a history is one figure per period (a day, a week), oldest first, and a
// period with more returned than sold counts as no demand.
//
// Forecast (expected demand per period):
//
//  1. Moving average: the mean of the last window periods (of all of them
//     when there are fewer), rounded half away from zero to 0.0001 (R1).
//  2. Exponential smoothing (一次指数平滑): the level starts at the first
//     period; each later period x moves it by α × (x − level), rounded half
//     away from zero (R2). The forecast is the last level.
//  3. Backtest: every period t from window on is forecast by both methods
//     from the periods before it. The method with the lower mean absolute
//     error (MAE, a mean rounded as R1) is chosen; a tie goes to the moving
//     average. The error is shown with its rate, MAE × 100 % / the mean
//     demand of the tested periods (R1), rounded half away from zero to
//     0.01 % (R3), and 0 when those periods had no demand. With fewer than
//     window + 1 periods nothing can be tested: the moving average of what
//     there is, with no error.
//
// Suggestion:
//
//  4. Lead-time demand = forecast × lead time days / period days, rounded
//     half away from zero (R4). Reorder point (再订货点) = lead-time demand +
//     safety stock.
//  5. Available = on hand − reserved + on order (open purchase quantities).
//  6. An order is due when available is below the minimum, when set
//     ("below_min", as the stock alert says, and named first when both
//     hold), or at or below the reorder point ("reorder_point"); otherwise
//     the reason is "none".
//  7. The order brings available up to the target: the maximum when set (a
//     ceiling, even when it is below the reorder point); else the trigger
//     level max(reorder point, minimum) plus the reorder quantity when set;
//     else the trigger level plus one more lead time's demand. Need = target
//     − available; none when that is not positive (reason "none").
//  8. The need is raised to the MOQ, then rounded up to whole packs (R5,
//     always up: never less than needed), so the quantity meets the MOQ and
//     is whole packs. Either may take it past the maximum.
//
// Supplier:
//
//  9. Offers rank by unit price (lowest first; an offer without a price
//     ranks after every priced one), then lead time (shortest), then score
//     (highest), then partner id (lowest), then their order in the list.

// ForecastMethod names a forecasting method.
type ForecastMethod string

const (
	ForecastMovingAverage ForecastMethod = "moving_average"
	ForecastExpSmoothing  ForecastMethod = "exp_smoothing"
)

// Forecast is the method chosen by backtest (rule 3) and its forecast.
type Forecast struct {
	Method     ForecastMethod `json:"method" enum:"moving_average,exp_smoothing"`
	PerPeriod  Qty            `json:"per_period" doc:"Expected demand in the next period, base units"`
	Error      Qty            `json:"error" doc:"Mean absolute error of the method's one-step-ahead backtest, base units per period"`
	ErrorRate  Rate           `json:"error_rate" doc:"The error as a percent of the mean demand of the tested periods; 0 without demand"`
	Backtested int            `json:"backtested" doc:"Periods tested; 0 when the history was too short"`
}

// maxReplenishQty bounds every quantity replenishment takes in (10 billion
// base units), so that no sum or product below can overflow.
const maxReplenishQty = Qty(10_000_000_000) * QtyOne

// maxLeadDays bounds lead times and period lengths (ten years).
const maxLeadDays = 3650

// MovingAverage is the mean of the last window periods of h (rule 1; all of
// h when window ≤ 0 or h is shorter), 0 for no history.
func MovingAverage(h []Qty, window int) Qty {
	if window > 0 && window < len(h) {
		h = h[len(h)-window:]
	}
	return meanQty(h)
}

// ExpSmoothing is the last level of h smoothed with alpha (rule 2; 30.00
// means α = 0.3, clamped to 0..100 %), 0 for no history.
func ExpSmoothing(h []Qty, alpha Rate) Qty {
	alpha = min(max(alpha, 0), hundredPercent)
	if len(h) == 0 {
		return 0
	}
	level := demand(h[0])
	for _, x := range h[1:] {
		level = smooth(level, x, alpha)
	}
	return level
}

// ChooseForecast backtests both methods over h and returns the better one
// (rule 3). window must be at least 1, alpha in (0, 100 %], and no period
// above 10 billion.
func ChooseForecast(h []Qty, window int, alpha Rate) (Forecast, error) {
	var f Fields
	if window < 1 {
		f.Add("window", "positive")
	}
	if alpha <= 0 || alpha > hundredPercent {
		f.Add("alpha", "range", "min", "0.01", "max", "100")
	}
	for i, v := range h {
		if v > maxReplenishQty {
			f.Add("history["+strconv.Itoa(i)+"]", "max", "max", maxReplenishQty.Short())
		}
	}
	if err := f.Err(); err != nil {
		return Forecast{}, err
	}
	if len(h) <= window {
		return Forecast{Method: ForecastMovingAverage, PerPeriod: MovingAverage(h, window)}, nil
	}
	n := len(h) - window
	maErr, esErr, actual := make([]Qty, 0, n), make([]Qty, 0, n), make([]Qty, 0, n)
	level := demand(h[0]) // ExpSmoothing(h[:t]), kept up to date
	for t := 1; t < len(h); t++ {
		if t >= window {
			a := demand(h[t])
			maErr = append(maErr, absQty(a-MovingAverage(h[:t], window)))
			esErr = append(esErr, absQty(a-level))
			actual = append(actual, a)
		}
		level = smooth(level, h[t], alpha)
	}
	fc := Forecast{Method: ForecastMovingAverage, PerPeriod: MovingAverage(h, window), Error: meanQty(maErr), Backtested: n}
	if e := meanQty(esErr); e < fc.Error {
		fc.Method, fc.PerPeriod, fc.Error = ForecastExpSmoothing, level, e
	}
	if m := meanQty(actual); m > 0 {
		// Within the bounds checked above the rate fits: Error ≤ 1e14 raw.
		r, _ := MulDivRound(int64(fc.Error), int64(hundredPercent), int64(m)) // R3
		fc.ErrorRate = Rate(r)
	}
	return fc, nil
}

// smooth moves level towards x by alpha (R2). level and x are at least 0,
// so x − level fits and the step cannot overflow.
func smooth(level, x Qty, alpha Rate) Qty {
	step, _ := MulDivRound(int64(demand(x)-level), int64(alpha), int64(hundredPercent))
	return level + Qty(step)
}

// demand is a period's demand: returns beyond sales are no demand.
func demand(v Qty) Qty { return max(v, 0) }

func absQty(v Qty) Qty {
	if v < 0 {
		return -v
	}
	return v
}

// meanQty is the mean of vs, each taken as demand (≥ 0), rounded half away
// from zero (R1); 0 for none. The sum is kept in 128 bits: it cannot
// overflow, and the mean of values that fit fits.
func meanQty(vs []Qty) Qty {
	if len(vs) == 0 {
		return 0
	}
	var hi, lo uint64
	for _, v := range vs {
		var carry uint64
		lo, carry = bits.Add64(lo, uint64(demand(v)), 0)
		hi += carry
	}
	// Each value is below 2^63, so the sum is below n × 2^63 and hi < n.
	n := uint64(len(vs))
	quo, rem := bits.Div64(hi, lo, n)
	if rem >= n-rem {
		quo++
	}
	return Qty(quo)
}

// ReplenishInput is what a suggestion needs for one item in one warehouse,
// in base units. Levels come from the item's ItemLevel (0 = unset).
type ReplenishInput struct {
	OnHand       Qty // may be negative when stock was issued before receipt
	Reserved     Qty // promised to sales orders, not yet shipped
	OnOrder      Qty // open purchase quantities, not yet received
	SafetyQty    Qty
	MinQty       Qty
	MaxQty       Qty
	ReorderQty   Qty
	Demand       Qty // forecast demand per period (Forecast.PerPeriod)
	PeriodDays   int // length of a history period: 1 daily, 7 weekly
	LeadTimeDays int // the supplier's lead time
	MOQ          Qty // minimum order quantity (0 = none)
	PackSize     Qty // order in multiples of this (0 = none)
}

// Suggestion is a replenishment suggestion and how it was reached.
type Suggestion struct {
	ReorderPoint Qty    `json:"reorder_point" doc:"Lead-time demand + safety stock"`
	Available    Qty    `json:"available" doc:"On hand − reserved + on order"`
	Target       Qty    `json:"target" doc:"The level the order brings available up to (rule 7); 0 when neither rule 6 level is reached"`
	Need         Qty    `json:"need" doc:"Target − available, before MOQ and pack rounding"`
	Qty          Qty    `json:"qty" doc:"Suggested purchase quantity: the need raised to the MOQ and rounded up to whole packs"`
	Reason       string `json:"reason" enum:"none,below_min,reorder_point"`
}

// Suggest applies rules 4–8. Errors name the input's fields and are
// returned for negative levels, quantities beyond 10 billion, a lead time
// outside 0..3650 days or a period outside 1..3650 days.
func Suggest(in ReplenishInput) (Suggestion, error) {
	if err := in.validate(); err != nil {
		return Suggestion{}, err
	}
	// In bounds: ≤ 1e14 × 3650 raw, so this and every sum below fit.
	lead, _ := MulDivRound(int64(in.Demand), int64(in.LeadTimeDays), int64(in.PeriodDays)) // R4
	leadDemand := Qty(lead)
	s := Suggestion{ReorderPoint: leadDemand + in.SafetyQty, Available: in.OnHand - in.Reserved + in.OnOrder, Reason: "none"}
	switch {
	case in.MinQty > 0 && s.Available < in.MinQty:
		s.Reason = "below_min"
	case s.Available <= s.ReorderPoint:
		s.Reason = "reorder_point"
	default:
		return s, nil
	}
	trigger := max(s.ReorderPoint, in.MinQty)
	switch {
	case in.MaxQty > 0:
		s.Target = in.MaxQty
	case in.ReorderQty > 0:
		s.Target = trigger + in.ReorderQty
	default:
		s.Target = trigger + leadDemand
	}
	s.Need = max(s.Target-s.Available, 0)
	s.Qty = orderQty(s.Need, in.MOQ, in.PackSize)
	if s.Qty == 0 {
		s.Reason = "none"
	}
	return s, nil
}

// orderQty raises need to the MOQ and rounds it up to whole packs (R5).
func orderQty(need, moq, pack Qty) Qty {
	if need <= 0 {
		return 0
	}
	q := max(need, moq)
	if pack > 0 {
		q = (q + pack - 1) / pack * pack
	}
	return q
}

func (in ReplenishInput) validate() error {
	var f Fields
	limit := maxReplenishQty.Short()
	for _, v := range []struct {
		field string
		q     Qty
	}{
		{"reserved", in.Reserved}, {"on_order", in.OnOrder}, {"safety_qty", in.SafetyQty},
		{"min_qty", in.MinQty}, {"max_qty", in.MaxQty}, {"reorder_qty", in.ReorderQty},
		{"demand", in.Demand}, {"moq", in.MOQ}, {"pack_size", in.PackSize},
	} {
		switch {
		case v.q < 0:
			f.Add(v.field, "not_negative")
		case v.q > maxReplenishQty:
			f.Add(v.field, "max", "max", limit)
		}
	}
	if in.OnHand < -maxReplenishQty || in.OnHand > maxReplenishQty {
		f.Add("on_hand", "range", "min", "-"+limit, "max", limit)
	}
	if in.PeriodDays < 1 || in.PeriodDays > maxLeadDays {
		f.Add("period_days", "range", "min", "1", "max", strconv.Itoa(maxLeadDays))
	}
	if in.LeadTimeDays < 0 || in.LeadTimeDays > maxLeadDays {
		f.Add("lead_time_days", "range", "min", "0", "max", strconv.Itoa(maxLeadDays))
	}
	return f.Err()
}

// SupplierOffer is one supplier's offer for the item.
type SupplierOffer struct {
	PartnerID    int64
	Price        Price // per base unit, on the same tax basis for every offer; 0 = no price known
	LeadTimeDays int
	Score        Rate // the supplier's rating, 0..100 %
}

// ChooseSupplier returns the index of the best offer by rule 9, or false
// when there is none.
func ChooseSupplier(offers []SupplierOffer) (int, bool) {
	best := -1
	for i, o := range offers {
		if best < 0 || o.before(offers[best]) {
			best = i
		}
	}
	return best, best >= 0
}

// before reports whether o ranks strictly ahead of p (rule 9).
func (o SupplierOffer) before(p SupplierOffer) bool {
	op, pp := o.Price > 0, p.Price > 0
	switch {
	case op != pp:
		return op
	case op && o.Price != p.Price:
		return o.Price < p.Price
	case o.LeadTimeDays != p.LeadTimeDays:
		return o.LeadTimeDays < p.LeadTimeDays
	case o.Score != p.Score:
		return o.Score > p.Score
	}
	return o.PartnerID < p.PartnerID
}
