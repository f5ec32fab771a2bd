package domain

import (
	"cmp"
	"slices"
	"time"
)

// The supplier scorecard (供应商评分): how a supplier delivered over a window
// of business dates [from, to], from its posted purchase orders and
// receipts (reversed documents and reversals left out). Quantities are base
// units. Every rate is a percent rounded half away from zero to 0.01 % (R1);
// a metric with nothing to measure has no value (null), not 0.
//
//  1. On-time rate (准时交货率): of the receipts dated in the window that were
//     received against an order with an expected date, the share dated on
//     or before that expected date. Each receipt counts once, however many
//     lines it has; a later partial delivery is a delivery of its own.
//     Free receipts and receipts against orders without an expected date
//     are not counted.
//  2. Fill rate (订单满足率): over the orders dated in the window that are
//     due — closed by hand, fully received, or with an expected date before
//     today (the expected day itself is not yet late) — the accepted
//     quantity received (at any date, also after to) / the quantity
//     ordered. Each order line counts at most its ordered quantity, so an
//     over-delivery of one line never hides a shortfall on another.
//     Orders still open without an expected date are not due yet.
//  3. Reject rate (拒收率): over the receipts dated in the window (free ones
//     too), the quantity rejected at inspection / the quantity delivered.
//  4. Lead time (交货周期): over the orders dated in the window with at least
//     one receipt (at any date; a delivery wholly rejected still counts),
//     the mean of the days from the order's date to its first receipt's,
//     rounded half away from zero to 0.1 day (R2). A receipt dated before
//     its order counts as 0 days.
//  5. Price trend (价格趋势), per item received in the window: the net unit
//     price per base unit of a receipt is the net amount of the item's
//     lines (tax excluded, discounts taken) / their accepted quantity,
//     rounded half away from zero to the price scale (R3); receipts that
//     accepted none of the item are skipped. First and last are the
//     earliest and latest such receipts (by date, then by document id); the
//     change is (last − first) × 100 % / first (R1), none when first is 0.
//  6. Score (综合评分), 0–100: the weighted mean of the on-time rate (weight
//     40), the fill rate (40) and the quality rate 100 % − reject rate
//     (20), over the metrics that have a value, computed from the rates as
//     shown (already rounded by R1) and rounded by R1 again. No metric, no
//     score.

// Score weights (rule 6).
const (
	WeightOnTime  = 40
	WeightFill    = 40
	WeightQuality = 20
)

// PlacedOrder is a posted purchase order dated in the window, as the
// scorecard sees it.
type PlacedOrder struct {
	Date          Date
	ExpectedDate  *Date
	Closed        bool  // closed by hand: nothing more will come
	Ordered       Qty   // all lines
	Filled        Qty   // accepted so far, each line at most its ordered quantity
	FirstDelivery *Date // the first posted receipt against it, at any date
}

// FullyReceived reports whether every line got all it ordered.
func (o PlacedOrder) FullyReceived() bool { return o.Filled >= o.Ordered }

// Due reports whether the order counts for the fill rate on today (rule 2).
func (o PlacedOrder) Due(today Date) bool {
	return o.Closed || o.FullyReceived() || (o.ExpectedDate != nil && o.ExpectedDate.Before(today))
}

// Delivery is a posted purchase receipt dated in the window.
type Delivery struct {
	ID           int64
	Date         Date
	ExpectedDate *Date // of the order it was received against; nil for a free receipt or an order without one
	Lines        []DeliveryLine
}

// DeliveryLine is one receipt line in base units.
type DeliveryLine struct {
	ItemID   int64
	Qty      Qty   // delivered: accepted and rejected together
	Rejected Qty   // failed inspection
	Net      Money // the net amount of the accepted goods
}

// Accepted is what went into stock.
func (l DeliveryLine) Accepted() Qty { return l.Qty - l.Rejected }

// OnTime reports whether the delivery can be timed and whether it was on
// time (rule 1).
func (d Delivery) OnTime() (onTime, timed bool) {
	if d.ExpectedDate == nil {
		return false, false
	}
	return !d.ExpectedDate.Before(d.Date), true
}

// Days is a number of days to 0.1 day: 35 is 3.5 days. Its JSON form is a
// string ("3.5"), like the other fixed-point numbers.
type Days int64

// DaysScale is the number of decimals of Days.
const DaysScale = 1

func (d Days) String() string               { return formatFixed(int64(d), DaysScale) }
func (d Days) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

func (d *Days) UnmarshalText(b []byte) error {
	v, err := parseFixed(string(b), DaysScale)
	*d = Days(v)
	return err
}

// DaysBetween is the number of whole days from a to b (negative when b is
// before a).
func DaysBetween(a, b Date) int64 { return int64(b.Time.Sub(a.Time) / (24 * time.Hour)) }

// Percent is part × 100 % / whole (R1); false when whole is 0.
func Percent(part, whole int64) (Rate, bool) {
	if whole == 0 {
		return 0, false
	}
	v, ok := MulDivRound(part, 100*pow10[RateScale], whole)
	return Rate(v), ok
}

// MeanDays is the mean of whole day counts to 0.1 day (R2); false when
// there are none.
func MeanDays(days []int64) (Days, bool) {
	if len(days) == 0 {
		return 0, false
	}
	var sum int64
	for _, d := range days {
		sum += d
	}
	v, ok := MulDivRound(sum, pow10[DaysScale], int64(len(days)))
	return Days(v), ok
}

// PriceChange is (last − first) × 100 % / first (R1); false when first is 0.
func PriceChange(first, last Price) (Rate, bool) {
	return Percent(int64(last-first), int64(first))
}

// OverallScore is the weighted mean of the rates that have a value (rule
// 6); nil when none has.
func OverallScore(onTime, fill, reject *Rate) *Rate {
	var sum, weights int64
	add := func(r Rate, w int64) {
		sum += int64(r) * w
		weights += w
	}
	if onTime != nil {
		add(*onTime, WeightOnTime)
	}
	if fill != nil {
		add(*fill, WeightFill)
	}
	if reject != nil {
		add(RateOf(100)-*reject, WeightQuality)
	}
	if weights == 0 {
		return nil
	}
	v, _ := MulDivRound(sum, 1, weights) // rates are at most 100 %: no overflow
	s := Rate(v)
	return &s
}

// PriceTrend is an item's net unit price in the window (rule 5).
type PriceTrend struct {
	ItemID     int64  `json:"item_id"`
	ItemCode   string `json:"item_code"`
	ItemName   string `json:"item_name"`
	ItemNameEn string `json:"item_name_en" doc:"The item's English name (may be empty)"`
	Receipts   int    `json:"receipts" doc:"Receipts in the window that accepted some of the item"`
	FirstDate  Date   `json:"first_date"`
	FirstPrice Price  `json:"first_price" doc:"Net (tax excluded) per base unit on the first receipt"`
	LastDate   Date   `json:"last_date"`
	LastPrice  Price  `json:"last_price" doc:"Net per base unit on the last receipt"`
	Change     *Rate  `json:"change" doc:"(last − first) / first in percent; null when the first price is 0"`
}

// SupplierScore is a supplier's scorecard with the counts behind each
// figure, so that every rate can be checked by hand.
type SupplierScore struct {
	OnTimeRate     *Rate        `json:"on_time_rate" doc:"Receipts on or before the order's expected date, percent; null without timed receipts"`
	TimedReceipts  int          `json:"timed_receipts" doc:"Receipts in the window against an order with an expected date"`
	OnTimeReceipts int          `json:"on_time_receipts"`
	FillRate       *Rate        `json:"fill_rate" doc:"Accepted / ordered over the due orders, percent; null without due orders"`
	DueOrders      int          `json:"due_orders" doc:"Orders in the window that are closed, fully received or past their expected date"`
	OrderedQty     Qty          `json:"ordered_qty" doc:"Base units ordered on the due orders"`
	FilledQty      Qty          `json:"filled_qty" doc:"Base units accepted on them, each line at most its ordered quantity"`
	RejectRate     *Rate        `json:"reject_rate" doc:"Rejected / delivered over the receipts in the window, percent; null without deliveries"`
	Receipts       int          `json:"receipts" doc:"Receipts in the window"`
	DeliveredQty   Qty          `json:"delivered_qty" doc:"Base units delivered (accepted + rejected)"`
	RejectedQty    Qty          `json:"rejected_qty" doc:"Base units rejected at inspection"`
	LeadTimeDays   *Days        `json:"lead_time_days" pattern:"^-?\\d+(\\.\\d)?$" example:"4.8" doc:"Mean days from order to first receipt, to 0.1 day; null when no order in the window was received"`
	LeadOrders     int          `json:"lead_orders" doc:"Orders in the window with a receipt"`
	Score          *Rate        `json:"score" doc:"0–100: on-time 40 %, fill 40 %, 100 − reject 20 %, over the rates that have a value; null when none has"`
	Prices         []PriceTrend `json:"prices" doc:"Per item received in the window, by item"`
}

// ScoreSupplier computes a supplier's scorecard from its orders and
// receipts in the window, on today (rules 1–6).
func ScoreSupplier(orders []PlacedOrder, deliveries []Delivery, today Date) SupplierScore {
	var s SupplierScore
	var leads []int64
	for _, o := range orders {
		if o.Due(today) {
			s.DueOrders++
			s.OrderedQty += o.Ordered
			s.FilledQty += o.Filled
		}
		if o.FirstDelivery != nil {
			leads = append(leads, max(DaysBetween(o.Date, *o.FirstDelivery), 0))
		}
	}
	s.FillRate = ratePtr(Percent(int64(s.FilledQty), int64(s.OrderedQty)))
	s.LeadOrders = len(leads)
	if d, ok := MeanDays(leads); ok {
		s.LeadTimeDays = &d
	}
	for _, d := range deliveries {
		s.Receipts++
		if on, timed := d.OnTime(); timed {
			s.TimedReceipts++
			if on {
				s.OnTimeReceipts++
			}
		}
		for _, l := range d.Lines {
			s.DeliveredQty += l.Qty
			s.RejectedQty += l.Rejected
		}
	}
	s.OnTimeRate = ratePtr(Percent(int64(s.OnTimeReceipts), int64(s.TimedReceipts)))
	s.RejectRate = ratePtr(Percent(int64(s.RejectedQty), int64(s.DeliveredQty)))
	s.Score = OverallScore(s.OnTimeRate, s.FillRate, s.RejectRate)
	s.Prices = PriceTrends(deliveries)
	return s
}

func ratePtr(r Rate, ok bool) *Rate {
	if !ok {
		return nil
	}
	return &r
}

// PriceTrends is rule 5 over the deliveries, ordered by item id.
func PriceTrends(deliveries []Delivery) []PriceTrend {
	ds := slices.Clone(deliveries)
	slices.SortStableFunc(ds, func(a, b Delivery) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.ID, b.ID))
	})
	byItem := map[int64]*PriceTrend{}
	for _, d := range ds {
		type sum struct {
			qty Qty
			net Money
		}
		items := map[int64]*sum{}
		var order []int64
		for _, l := range d.Lines {
			it := items[l.ItemID]
			if it == nil {
				it = &sum{}
				items[l.ItemID] = it
				order = append(order, l.ItemID)
			}
			it.qty += l.Accepted()
			it.net += l.Net
		}
		for _, id := range order {
			it := items[id]
			if it.qty <= 0 {
				continue
			}
			price := it.net.UnitPrice(it.qty)
			t := byItem[id]
			if t == nil {
				t = &PriceTrend{ItemID: id, FirstDate: d.Date, FirstPrice: price}
				byItem[id] = t
			}
			t.Receipts++
			t.LastDate, t.LastPrice = d.Date, price
		}
	}
	out := make([]PriceTrend, 0, len(byItem))
	for _, t := range byItem {
		t.Change = ratePtr(PriceChange(t.FirstPrice, t.LastPrice))
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b PriceTrend) int { return cmp.Compare(a.ItemID, b.ItemID) })
	return out
}
