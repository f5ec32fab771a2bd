package domain

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The pricing fixture: 可乐 (COLA, 个 base, 箱 of 24, in category 100 under
// 101), 茶 (TEA, no wholesale price, category 102), a gift item and a
// variant template. Customer 7 has a list of its own; tier VIP has one;
// PL-STD is the general list with a break at 48.
const (
	pcs, box                    = 1, 2
	cola, tea, giftItem, tmpl   = 10, 11, 12, 13
	walkIn, cust7, cust8, cust9 = 0, 7, 8, 9
)

var testDay = NewDate(2026, 6, 15)

func pricingItems() map[int64]Item {
	cat := func(id int64) *int64 { return &id }
	return map[int64]Item{
		cola: {ID: cola, Code: "COLA", BaseUnitID: pcs, CategoryID: cat(100), RetailPrice: PriceOf(3) + 5000, WholesalePrice: PriceOf(3),
			MinPrice: PriceOf(2) + 8000, Units: []ItemUnit{{UnitID: box, Factor: QtyOf(24), RetailPrice: PriceOf(80)}}},
		tea:      {ID: tea, Code: "TEA", BaseUnitID: pcs, CategoryID: cat(102), RetailPrice: PriceOf(5)},
		giftItem: {ID: giftItem, Code: "GIFT", BaseUnitID: pcs, RetailPrice: PriceOf(1)},
		tmpl:     {ID: tmpl, Code: "TPL", BaseUnitID: pcs, IsTemplate: true},
	}
}

var categoryParents = map[int64]int64{100: 101}

func pl(code string, partner int64, tier string, lines ...PriceListLine) PriceList {
	l := PriceList{Code: code, Kind: PriceListSale, Tier: tier, Lines: lines}
	if partner != 0 {
		l.PartnerID = &partner
	}
	return l
}

func ln(item, unit int64, min int64, price string) PriceListLine {
	p, err := ParsePrice(price)
	if err != nil {
		panic(err)
	}
	return PriceListLine{ItemID: item, UnitID: unit, MinQty: QtyOf(min), Price: p}
}

func standardLists() []PriceList {
	return []PriceList{
		pl("PL-A", cust7, "", ln(cola, 0, 0, "3.20"), ln(cola, pcs, 10, "2.90"), ln(cola, box, 0, "70")),
		pl("PL-VIP", 0, "VIP", ln(cola, 0, 0, "3.10")),
		pl("PL-STD", 0, "", ln(cola, 0, 0, "3.40"), ln(cola, 0, 48, "3.30"), ln(tea, 0, 0, "4.80")),
		pl("PL-Z", cust9, "", ln(cola, 0, 0, "1.00")),
	}
}

func day(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func dayPtr(s string) *Date { d := day(s); return &d }

func req(item, unit int64, qty int64) PriceRequestLine {
	return PriceRequestLine{ItemID: item, UnitID: unit, Qty: QtyOf(qty)}
}

// summary is a priced bill as lines of text: rule/list qty x price =
// amount | explanation, flags; then the bill.
func summary(r PriceResult) []string {
	var out []string
	for _, l := range r.Lines {
		s := fmt.Sprintf("%s/%s %s x %s = %s | %s", l.Rule, l.List, l.Qty.Short(), priceText(l.Price), l.Amount, l.Explanation)
		if l.BelowMin {
			s += " [below " + priceText(l.MinPrice) + "]"
		}
		if l.BillDiscount != 0 {
			s += " [bill -" + l.BillDiscount.String() + "]"
		}
		if l.Gift {
			s += fmt.Sprintf(" [gift %d for %v]", l.ItemID, l.GiftFor)
		}
		out = append(out, s)
	}
	bill := []string{}
	for _, n := range r.BillNotes {
		bill = append(bill, n.Text)
	}
	return append(out, fmt.Sprintf("bill %s -%s = %s | %s", r.Total, r.BillDiscount, r.Net, strings.Join(bill, "; ")))
}

func TestPriceRules(t *testing.T) {
	tests := []struct {
		name    string
		partner int64
		tier    string
		lists   []PriceList
		lines   []PriceRequestLine
		want    []string
	}{
		{"walk-in, no list: retail", walkIn, "", nil, []PriceRequestLine{req(cola, pcs, 2)},
			[]string{"default/ 2 x 3.50 = 7.00 | default retail: 3.50", "bill 7.00 -0.00 = 7.00 | "}},
		{"walk-in, box has its own retail price; unit 0 is the base unit", walkIn, "", nil, []PriceRequestLine{req(cola, box, 1), req(cola, 0, 1)},
			[]string{"default/ 1 x 80.00 = 80.00 | default retail: 80.00", "default/ 1 x 3.50 = 3.50 | default retail: 3.50", "bill 83.50 -0.00 = 83.50 | "}},
		{"customer without tier: wholesale, converted for the box", cust8, "", nil, []PriceRequestLine{req(cola, pcs, 1), req(cola, box, 1)},
			[]string{"default/ 1 x 3.00 = 3.00 | default wholesale: 3.00", "default/ 1 x 72.00 = 72.00 | default wholesale: 3.00 x 24 = 72.00", "bill 75.00 -0.00 = 75.00 | "}},
		{"customer, item without wholesale: retail", cust8, "", nil, []PriceRequestLine{req(tea, pcs, 1)},
			[]string{"default/ 1 x 5.00 = 5.00 | default retail: 5.00", "bill 5.00 -0.00 = 5.00 | "}},
		{"customer list beats tier and general", cust7, "VIP", standardLists(), []PriceRequestLine{req(cola, pcs, 9)},
			[]string{"customer/PL-A 9 x 3.20 = 28.80 | customer PL-A: 3.20", "bill 28.80 -0.00 = 28.80 | "}},
		{"customer list quantity break at 10", cust7, "", standardLists(), []PriceRequestLine{req(cola, pcs, 10)},
			[]string{"customer/PL-A 10 x 2.90 = 29.00 | customer PL-A ≥10: 2.90", "bill 29.00 -0.00 = 29.00 | "}},
		{"a box line beats a converted base break (24 ≥ 10)", cust7, "", standardLists(), []PriceRequestLine{req(cola, box, 1)},
			[]string{"customer/PL-A 1 x 70.00 = 70.00 | customer PL-A: 70.00", "bill 70.00 -0.00 = 70.00 | "}},
		{"another customer's list is not used", cust9 + 1, "", standardLists(), []PriceRequestLine{req(cola, pcs, 1)},
			[]string{"qty_break/PL-STD 1 x 3.40 = 3.40 | qty_break PL-STD: 3.40", "bill 3.40 -0.00 = 3.40 | "}},
		{"tier list", cust8, "VIP", standardLists(), []PriceRequestLine{req(cola, pcs, 1), req(cola, box, 1)},
			[]string{"tier/PL-VIP 1 x 3.10 = 3.10 | tier PL-VIP: 3.10", "tier/PL-VIP 1 x 74.40 = 74.40 | tier PL-VIP: 3.10 x 24 = 74.40", "bill 77.50 -0.00 = 77.50 | "}},
		{"tier list without the item: general list", cust8, "VIP", standardLists(), []PriceRequestLine{req(tea, pcs, 1)},
			[]string{"qty_break/PL-STD 1 x 4.80 = 4.80 | qty_break PL-STD: 4.80", "bill 4.80 -0.00 = 4.80 | "}},
		{"walk-in has no tier: general list, break edges 47 and 48", walkIn, "", standardLists(), []PriceRequestLine{req(cola, pcs, 47), req(cola, pcs, 48)},
			[]string{"qty_break/PL-STD 47 x 3.40 = 159.80 | qty_break PL-STD: 3.40", "qty_break/PL-STD 48 x 3.30 = 158.40 | qty_break PL-STD ≥48: 3.30", "bill 318.20 -0.00 = 318.20 | "}},
		{"boxes reach a base break in base units", walkIn, "", standardLists(), []PriceRequestLine{req(cola, box, 1), req(cola, box, 2)},
			[]string{"qty_break/PL-STD 1 x 81.60 = 81.60 | qty_break PL-STD: 3.40 x 24 = 81.60", "qty_break/PL-STD 2 x 79.20 = 158.40 | qty_break PL-STD ≥48: 3.30 x 24 = 79.20", "bill 240.00 -0.00 = 240.00 | "}},
		{"a box break counts boxes", walkIn, "", []PriceList{pl("PL-B", 0, "", ln(cola, box, 0, "78"), ln(cola, box, 5, "75.5"))}, []PriceRequestLine{req(cola, box, 4), req(cola, box, 5), req(cola, pcs, 5)},
			[]string{"qty_break/PL-B 4 x 78.00 = 312.00 | qty_break PL-B: 78.00", "qty_break/PL-B 5 x 75.50 = 377.50 | qty_break PL-B ≥5: 75.50",
				"default/ 5 x 3.50 = 17.50 | default retail: 3.50", "bill 707.00 -0.00 = 707.00 | "}},
		{"the list with the latest start wins, then the code", walkIn, "", []PriceList{
			pl("PL-B", 0, "", ln(cola, 0, 0, "3.33")), pl("PL-A", 0, "", ln(cola, 0, 0, "3.44")),
			{Code: "PL-JUNE", Kind: PriceListSale, ValidFrom: dayPtr("2026-06-01"), Lines: []PriceListLine{ln(cola, 0, 0, "3.22")}},
			{Code: "PL-MAY", Kind: PriceListSale, ValidFrom: dayPtr("2026-05-01"), Lines: []PriceListLine{ln(cola, 0, 0, "3.11"), ln(tea, 0, 0, "4.44")}},
		}, []PriceRequestLine{req(cola, pcs, 1), req(tea, pcs, 1)},
			[]string{"qty_break/PL-JUNE 1 x 3.22 = 3.22 | qty_break PL-JUNE: 3.22", "qty_break/PL-MAY 1 x 4.44 = 4.44 | qty_break PL-MAY: 4.44", "bill 7.66 -0.00 = 7.66 | "}},
		{"open start lists: lowest code", walkIn, "", []PriceList{pl("PL-B", 0, "", ln(cola, 0, 0, "3.33")), pl("PL-A", 0, "", ln(cola, 0, 0, "3.44"))}, []PriceRequestLine{req(cola, pcs, 1)},
			[]string{"qty_break/PL-A 1 x 3.44 = 3.44 | qty_break PL-A: 3.44", "bill 3.44 -0.00 = 3.44 | "}},
		{"validity edges, archived and purchase lists", walkIn, "", []PriceList{
			{Code: "ENDED", Kind: PriceListSale, ValidTo: dayPtr("2026-06-14"), Lines: []PriceListLine{ln(cola, 0, 0, "1")}},
			{Code: "LATER", Kind: PriceListSale, ValidFrom: dayPtr("2026-06-16"), Lines: []PriceListLine{ln(cola, 0, 0, "1")}},
			{Code: "OFF", Kind: PriceListSale, Stamp: Stamp{Archived: true}, Lines: []PriceListLine{ln(cola, 0, 0, "1")}},
			{Code: "BUY", Kind: PriceListPurchase, Lines: []PriceListLine{ln(cola, 0, 0, "1")}},
			{Code: "LAST", Kind: PriceListSale, ValidFrom: dayPtr("2026-06-01"), ValidTo: dayPtr("2026-06-15"), Lines: []PriceListLine{ln(cola, 0, 0, "3.15")}},
			{Code: "FIRST", Kind: PriceListSale, ValidFrom: dayPtr("2026-06-15"), Lines: []PriceListLine{ln(tea, 0, 0, "4.15")}},
		}, []PriceRequestLine{req(cola, pcs, 1), req(tea, pcs, 1)},
			[]string{"qty_break/LAST 1 x 3.15 = 3.15 | qty_break LAST: 3.15", "qty_break/FIRST 1 x 4.15 = 4.15 | qty_break FIRST: 4.15", "bill 7.30 -0.00 = 7.30 | "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PriceBill(PriceInput{PartnerID: tt.partner, Tier: tt.tier, Date: testDay, Lists: tt.lists,
				Items: pricingItems(), Parents: categoryParents, Lines: tt.lines})
			if err != nil {
				t.Fatalf("PriceBill: %v", err)
			}
			if diff := cmp.Diff(tt.want, summary(got)); diff != "" {
				t.Errorf("PriceBill mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// The UI translates a note from its key and parameters.
func TestPriceNotes(t *testing.T) {
	got, err := PriceBill(PriceInput{PartnerID: cust7, Date: testDay, Lists: standardLists(), Items: pricingItems(),
		Promotions: []Promotion{promo("P10", PromoPercent, func(p *Promotion) { p.Rate = RateOf(10) })},
		Lines:      []PriceRequestLine{req(cola, pcs, 10), req(cola, box, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]PriceNote{
		{{Key: "pricing.customer", Params: map[string]string{"list": "PL-A", "min": "10", "price": "2.90"}, Text: "customer PL-A ≥10: 2.90"},
			{Key: "pricing.percent", Params: map[string]string{"promo": "P10", "rate": "10", "price": "2.61"}, Text: "percent P10 -10%: 2.61"}},
		{{Key: "pricing.customer", Params: map[string]string{"list": "PL-A", "price": "70.00"}, Text: "customer PL-A: 70.00"},
			{Key: "pricing.percent", Params: map[string]string{"promo": "P10", "rate": "10", "price": "63.00"}, Text: "percent P10 -10%: 63.00"}},
	}
	for i, l := range got.Lines {
		if diff := cmp.Diff(want[i], l.Notes); diff != "" {
			t.Errorf("line %d notes (-want +got):\n%s", i, diff)
		}
		if l.Rule != RuleCustomer || l.List != "PL-A" || l.Discount <= 0 || len(l.Promotions) != 1 {
			t.Errorf("line %d: rule %s list %s discount %s promotions %v", i, l.Rule, l.List, l.Discount, l.Promotions)
		}
	}
}

func TestPriceBillErrors(t *testing.T) {
	_, err := PriceBill(PriceInput{Date: testDay, Items: pricingItems(), Lines: []PriceRequestLine{
		req(cola, pcs, 1), req(99, pcs, 1), req(cola, 5, 1), {ItemID: cola, Qty: 0}, req(tmpl, pcs, 1)}})
	want := []FieldError{
		{Field: "lines[1].item_id", Rule: "unknown_reference"}, {Field: "lines[2].unit_id", Rule: "unit_not_of_item"},
		{Field: "lines[3].qty", Rule: "positive"}, {Field: "lines[4].item_id", Rule: "template_no_stock"},
	}
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("err = %v, want field errors", err)
	}
	if diff := cmp.Diff(want, e.Fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}

// promo is a promotion over everything, all June, with edits.
func promo(code string, kind PromoKind, edit ...func(*Promotion)) Promotion {
	p := Promotion{Code: code, Name: code, Kind: kind, ValidFrom: day("2026-06-01"), ValidTo: day("2026-06-30"), Scope: ScopeAll}
	for _, e := range edit {
		e(&p)
	}
	return p
}

func rate(n int64) func(*Promotion)    { return func(p *Promotion) { p.Rate = RateOf(n) } }
func amount(s string) func(*Promotion) { return func(p *Promotion) { p.Amount = mustMoneyT(s) } }
func prio(n int) func(*Promotion)      { return func(p *Promotion) { p.Priority = n } }
func exclusive(p *Promotion)           { p.Exclusive = true }
func items(ids ...int64) func(*Promotion) {
	return func(p *Promotion) { p.Scope, p.ItemIDs = ScopeItems, ids }
}
func threshold(s string) func(*Promotion) {
	return func(p *Promotion) { p.Threshold = mustMoneyT(s) }
}
func buyGet(buy, get int64, gift int64) func(*Promotion) {
	return func(p *Promotion) {
		p.BuyQty, p.GetQty = QtyOf(buy), QtyOf(get)
		if gift != 0 {
			p.GetItemID = &gift
		}
	}
}

func mustMoneyT(s string) Money {
	m, err := ParseMoney(s)
	if err != nil {
		panic(err)
	}
	return m
}

func TestPromotions(t *testing.T) {
	// Walk-in prices from PL-STD: COLA 3.40 (box 81.60), TEA 4.80.
	one := []PriceRequestLine{req(cola, pcs, 1)}
	bill := []PriceRequestLine{req(cola, pcs, 10), req(tea, pcs, 20)} // 34.00 + 96.00 = 130.00
	tests := []struct {
		name    string
		tier    string
		date    Date
		promos  []Promotion
		lines   []PriceRequestLine
		want    []string
		wantErr bool
	}{
		{"percent", "", testDay, []Promotion{promo("P10", PromoPercent, rate(10))}, one,
			[]string{"qty_break/PL-STD 1 x 3.06 = 3.06 | qty_break PL-STD: 3.40; percent P10 -10%: 3.06", "bill 3.06 -0.00 = 3.06 | "}, false},
		{"fixed per base unit; a box takes 24 of it", "", testDay, []Promotion{promo("CUT", PromoFixed, amount("0.20"))}, []PriceRequestLine{req(cola, pcs, 1), req(cola, box, 1)},
			[]string{"qty_break/PL-STD 1 x 3.20 = 3.20 | qty_break PL-STD: 3.40; fixed CUT -0.20: 3.20",
				"qty_break/PL-STD 1 x 76.80 = 76.80 | qty_break PL-STD: 3.40 x 24 = 81.60; fixed CUT -0.20 x 24: 76.80", "bill 80.00 -0.00 = 80.00 | "}, false},
		{"non-exclusive promotions stack in priority order", "", testDay, []Promotion{promo("CUT", PromoFixed, amount("0.20"), prio(5)), promo("P10", PromoPercent, rate(10), prio(10))}, one,
			[]string{"qty_break/PL-STD 1 x 2.86 = 2.86 | qty_break PL-STD: 3.40; percent P10 -10%: 3.06; fixed CUT -0.20: 2.86", "bill 2.86 -0.00 = 2.86 | "}, false},
		{"same priority: by code", "", testDay, []Promotion{promo("P10", PromoPercent, rate(10)), promo("CUT", PromoFixed, amount("0.20"))}, one,
			[]string{"qty_break/PL-STD 1 x 2.88 = 2.88 | qty_break PL-STD: 3.40; fixed CUT -0.20: 3.20; percent P10 -10%: 2.88", "bill 2.88 -0.00 = 2.88 | "}, false},
		{"an exclusive promotion lower than the stack wins alone (and is below the minimum)", "", testDay,
			[]Promotion{promo("CUT", PromoFixed, amount("0.20")), promo("P10", PromoPercent, rate(10)), promo("EX20", PromoPercent, rate(20), exclusive)}, one,
			[]string{"qty_break/PL-STD 1 x 2.72 = 2.72 | qty_break PL-STD: 3.40; percent EX20 -20% exclusive: 2.72 [below 2.80]", "bill 2.72 -0.00 = 2.72 | "}, false},
		{"the stack lower than the exclusive one wins", "", testDay,
			[]Promotion{promo("CUT", PromoFixed, amount("0.20")), promo("P10", PromoPercent, rate(10)), promo("EX5", PromoPercent, rate(5), exclusive, prio(99))}, one,
			[]string{"qty_break/PL-STD 1 x 2.88 = 2.88 | qty_break PL-STD: 3.40; fixed CUT -0.20: 3.20; percent P10 -10%: 2.88", "bill 2.88 -0.00 = 2.88 | "}, false},
		{"a tie goes to the stack; of exclusive ones the lowest, then the first", "", testDay,
			[]Promotion{promo("P10", PromoPercent, rate(10)), promo("EXA", PromoPercent, rate(10), exclusive), promo("EXF", PromoFixed, amount("0.34"), exclusive, prio(1))},
			one, []string{"qty_break/PL-STD 1 x 3.06 = 3.06 | qty_break PL-STD: 3.40; percent P10 -10%: 3.06", "bill 3.06 -0.00 = 3.06 | "}, false},
		{"two exclusive ones, no stack: the first of the lowest", "", testDay,
			[]Promotion{promo("EXA", PromoPercent, rate(10), exclusive), promo("EXF", PromoFixed, amount("0.34"), exclusive, prio(1))},
			one, []string{"qty_break/PL-STD 1 x 3.06 = 3.06 | qty_break PL-STD: 3.40; fixed EXF -0.34 exclusive: 3.06", "bill 3.06 -0.00 = 3.06 | "}, false},
		{"never below zero", "", testDay, []Promotion{promo("BIG", PromoFixed, amount("5"))}, one,
			[]string{"qty_break/PL-STD 1 x 0.00 = 0.00 | qty_break PL-STD: 3.40; fixed BIG -5.00: 0.00 [below 2.80]", "bill 0.00 -0.00 = 0.00 | "}, false},
		{"window: first and last day count", "", testDay, []Promotion{
			promo("FROM", PromoFixed, amount("0.01"), func(p *Promotion) { p.ValidFrom = testDay }),
			promo("TO", PromoFixed, amount("0.02"), func(p *Promotion) { p.ValidTo = testDay }),
			promo("ENDED", PromoFixed, amount("1"), func(p *Promotion) { p.ValidTo = day("2026-06-14") }),
			promo("LATER", PromoFixed, amount("1"), func(p *Promotion) { p.ValidFrom = day("2026-06-16") }),
			promo("OFF", PromoFixed, amount("1"), func(p *Promotion) { p.Archived = true }),
		}, one, []string{"qty_break/PL-STD 1 x 3.37 = 3.37 | qty_break PL-STD: 3.40; fixed FROM -0.01: 3.39; fixed TO -0.02: 3.37", "bill 3.37 -0.00 = 3.37 | "}, false},
		{"tier restriction: a walk-in is in no tier", "", testDay, []Promotion{promo("VIP5", PromoPercent, rate(5), func(p *Promotion) { p.Tiers = []string{"VIP"} })}, one,
			[]string{"qty_break/PL-STD 1 x 3.40 = 3.40 | qty_break PL-STD: 3.40", "bill 3.40 -0.00 = 3.40 | "}, false},
		{"tier restriction: a VIP customer", "VIP", testDay, []Promotion{promo("VIP5", PromoPercent, rate(5), func(p *Promotion) { p.Tiers = []string{"GOLD", "VIP"} })}, []PriceRequestLine{req(tea, pcs, 1)},
			[]string{"qty_break/PL-STD 1 x 4.56 = 4.56 | qty_break PL-STD: 4.80; percent VIP5 -5%: 4.56", "bill 4.56 -0.00 = 4.56 | "}, false},
		{"scope: a parent category covers its children; items", "", testDay, []Promotion{
			promo("DRINKS", PromoPercent, rate(10), func(p *Promotion) { p.Scope, p.CategoryIDs = ScopeCategory, []int64{101} }),
			promo("TEA1", PromoFixed, amount("1"), items(tea)),
		}, []PriceRequestLine{req(cola, pcs, 1), req(tea, pcs, 1)},
			[]string{"qty_break/PL-STD 1 x 3.06 = 3.06 | qty_break PL-STD: 3.40; percent DRINKS -10%: 3.06", "qty_break/PL-STD 1 x 3.80 = 3.80 | qty_break PL-STD: 4.80; fixed TEA1 -1.00: 3.80", "bill 6.86 -0.00 = 6.86 | "}, false},
		{"threshold: the highest met applies, spread over the lines", "", testDay, []Promotion{
			promo("MJ100", PromoThreshold, threshold("100"), amount("10")), promo("MJ50", PromoThreshold, threshold("50"), amount("4"), prio(9)),
			promo("MJ200", PromoThreshold, threshold("200"), amount("30")),
		}, bill, []string{"qty_break/PL-STD 10 x 3.40 = 34.00 | qty_break PL-STD: 3.40 [bill -2.62]", "qty_break/PL-STD 20 x 4.80 = 96.00 | qty_break PL-STD: 4.80 [bill -7.38]",
			"bill 130.00 -10.00 = 120.00 | threshold MJ100 100.00 -10.00: -10.00"}, false},
		{"threshold repeats for every whole threshold", "", testDay, []Promotion{promo("MJ50", PromoThreshold, threshold("50"), amount("4"), func(p *Promotion) { p.Repeat = true })}, bill,
			[]string{"qty_break/PL-STD 10 x 3.40 = 34.00 | qty_break PL-STD: 3.40 [bill -2.09]", "qty_break/PL-STD 20 x 4.80 = 96.00 | qty_break PL-STD: 4.80 [bill -5.91]",
				"bill 130.00 -8.00 = 122.00 | threshold MJ50 50.00 -4.00 x 2: -8.00"}, false},
		{"threshold counts the net after line promotions", "", testDay, []Promotion{promo("P25", PromoPercent, rate(25)), promo("MJ100", PromoThreshold, threshold("100"), amount("10"))}, bill,
			[]string{"qty_break/PL-STD 10 x 2.55 = 25.50 | qty_break PL-STD: 3.40; percent P25 -25%: 2.55 [below 2.80]", "qty_break/PL-STD 20 x 3.60 = 72.00 | qty_break PL-STD: 4.80; percent P25 -25%: 3.60",
				"bill 97.50 -0.00 = 97.50 | "}, false},
		{"threshold counts only its scope", "", testDay, []Promotion{promo("MJT", PromoThreshold, threshold("90"), amount("9"), items(tea))}, bill,
			[]string{"qty_break/PL-STD 10 x 3.40 = 34.00 | qty_break PL-STD: 3.40", "qty_break/PL-STD 20 x 4.80 = 96.00 | qty_break PL-STD: 4.80 [bill -9.00]",
				"bill 130.00 -9.00 = 121.00 | threshold MJT 90.00 -9.00: -9.00"}, false},
		{"a line priced by an exclusive promotion does not count for a threshold", "", testDay,
			[]Promotion{promo("EX", PromoPercent, rate(10), exclusive, items(cola)), promo("MJ100", PromoThreshold, threshold("100"), amount("10"))}, bill,
			[]string{"qty_break/PL-STD 10 x 3.06 = 30.60 | qty_break PL-STD: 3.40; percent EX -10% exclusive: 3.06", "qty_break/PL-STD 20 x 4.80 = 96.00 | qty_break PL-STD: 4.80",
				"bill 126.60 -0.00 = 126.60 | "}, false},
		{"an exclusive threshold counts only lines without line promotions", "", testDay,
			[]Promotion{promo("P1", PromoPercent, rate(1), items(cola)), promo("MJX", PromoThreshold, threshold("90"), amount("10"), exclusive)}, bill,
			[]string{"qty_break/PL-STD 10 x 3.366 = 33.66 | qty_break PL-STD: 3.40; percent P1 -1%: 3.366", "qty_break/PL-STD 20 x 4.80 = 96.00 | qty_break PL-STD: 4.80 [bill -10.00]",
				"bill 129.66 -10.00 = 119.66 | threshold MJX 90.00 -10.00 exclusive: -10.00"}, false},
		{"buy 2 get 1 of the same item, summed over lines", "", testDay, []Promotion{promo("B2G1", PromoBuyGet, buyGet(2, 1, 0), items(cola))},
			[]PriceRequestLine{req(cola, pcs, 3), req(tea, pcs, 1), req(cola, pcs, 2)},
			[]string{"qty_break/PL-STD 3 x 3.40 = 10.20 | qty_break PL-STD: 3.40", "qty_break/PL-STD 1 x 4.80 = 4.80 | qty_break PL-STD: 4.80", "qty_break/PL-STD 2 x 3.40 = 6.80 | qty_break PL-STD: 3.40",
				"gift/B2G1 2 x 0.00 = 0.00 | buy_get B2G1 buy 2 get 1 x 2: 2 free [gift 10 for [0 2]]", "bill 21.80 -0.00 = 21.80 | "}, false},
		{"a box counts its base units; another gift item; one buy_get per item", "", testDay, []Promotion{
			promo("BOXGIFT", PromoBuyGet, buyGet(24, 1, giftItem), prio(5)), promo("B2G1", PromoBuyGet, buyGet(2, 1, 0), items(cola)),
		}, []PriceRequestLine{req(cola, box, 2), req(tea, pcs, 23)},
			[]string{"qty_break/PL-STD 2 x 79.20 = 158.40 | qty_break PL-STD ≥48: 3.30 x 24 = 79.20", "qty_break/PL-STD 23 x 4.80 = 110.40 | qty_break PL-STD: 4.80",
				"gift/BOXGIFT 2 x 0.00 = 0.00 | buy_get BOXGIFT buy 24 get 1 x 2: 2 free [gift 12 for [0]]", "bill 268.80 -0.00 = 268.80 | "}, false},
		{"gifts with line promotions and thresholds; not the exclusive line", "", testDay, []Promotion{
			promo("EX", PromoPercent, rate(10), exclusive, items(tea)), promo("B1G1", PromoBuyGet, buyGet(1, 1, giftItem)), promo("MJ30", PromoThreshold, threshold("30"), amount("3")),
		}, []PriceRequestLine{req(cola, pcs, 10), req(tea, pcs, 1)},
			[]string{"qty_break/PL-STD 10 x 3.40 = 34.00 | qty_break PL-STD: 3.40 [bill -3.00]", "qty_break/PL-STD 1 x 4.32 = 4.32 | qty_break PL-STD: 4.80; percent EX -10% exclusive: 4.32",
				"gift/B1G1 10 x 0.00 = 0.00 | buy_get B1G1 buy 1 get 1 x 10: 10 free [gift 12 for [0]]", "bill 38.32 -3.00 = 35.32 | threshold MJ30 30.00 -3.00: -3.00"}, false},
		{"promotions on another day", "", day("2026-07-01"), []Promotion{promo("P10", PromoPercent, rate(10))}, one,
			[]string{"qty_break/PL-STD 1 x 3.40 = 3.40 | qty_break PL-STD: 3.40", "bill 3.40 -0.00 = 3.40 | "}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PriceBill(PriceInput{Tier: tt.tier, PartnerID: map[bool]int64{true: cust8}[tt.tier != ""], Date: tt.date,
				Lists: standardLists(), Promotions: tt.promos, Items: pricingItems(), Parents: categoryParents, Lines: tt.lines})
			if err != nil {
				t.Fatalf("PriceBill: %v", err)
			}
			if diff := cmp.Diff(tt.want, summary(got)); diff != "" {
				t.Errorf("PriceBill mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGuardMinPrices(t *testing.T) {
	lines := []PricedLine{
		{Price: PriceOf(3), MinPrice: PriceOf(2)},
		{Price: PriceOf(1), MinPrice: PriceOf(2), BelowMin: true},
		{Price: 0, MinPrice: PriceOf(2), BelowMin: true, Gift: true},
		{Price: 0},
	}
	if err := GuardMinPrices(lines, true); err != nil {
		t.Errorf("with the override: %v", err)
	}
	err := GuardMinPrices(lines, false)
	want := []FieldError{{Field: "lines[1].price", Rule: "below_min_price", Params: map[string]string{"min": "2.00", "price": "1.00"}}}
	if e, ok := err.(*Error); !ok || !cmp.Equal(want, e.Fields) {
		t.Errorf("GuardMinPrices = %v, want %v", err, want)
	}
	it := pricingItems()[cola]
	for _, tt := range []struct {
		factor Qty
		want   Price
	}{{QtyOne, PriceOf(2) + 8000}, {QtyOf(24), PriceOf(67) + 2000}, {QtyOne / 2, PriceOf(1) + 4000}} {
		if got := it.MinPriceFor(tt.factor); got != tt.want {
			t.Errorf("MinPriceFor(%s) = %s, want %s", tt.factor, got, tt.want)
		}
	}
	if BelowMin(PriceOf(1), 0) || !BelowMin(PriceOf(1), PriceOf(2)) || BelowMin(PriceOf(2), PriceOf(2)) {
		t.Error("BelowMin")
	}
}

func TestPromotionValidate(t *testing.T) {
	settings := &CompanySettings{CustomerTiers: []Tier{{Code: "VIP", Name: "VIP"}}}
	tests := []struct {
		name string
		p    Promotion
		want []string
	}{
		{"good percent", promo("P", PromoPercent, rate(10), func(p *Promotion) { p.Tiers = []string{"VIP"} }), nil},
		{"good buy_get", promo("B", PromoBuyGet, buyGet(2, 1, giftItem), items(cola)), nil},
		{"empty", Promotion{}, []string{"code required", "kind one_of", "name required", "scope one_of", "valid_from required", "valid_to required"}},
		{"percent range, dates, tier", promo("P", PromoPercent, rate(101), func(p *Promotion) {
			p.ValidTo, p.Tiers = day("2026-05-01"), []string{"GOLD", "GOLD"}
		}), []string{"rate range", "tiers[0] unknown_tier", "tiers[1] unknown_tier", "tiers[1] duplicate", "valid_to before_start"}},
		{"scopes", promo("F", PromoFixed, amount("0"), func(p *Promotion) { p.Scope, p.ItemIDs = ScopeCategory, []int64{1, 1} }),
			[]string{"amount positive", "category_ids required", "item_ids scope_only", "item_ids[1] duplicate"}},
		{"threshold", promo("T", PromoThreshold, threshold("10"), amount("20")), []string{"amount not_above"}},
		{"threshold empty", promo("T", PromoThreshold), []string{"amount positive", "threshold positive"}},
		{"buy_get empty", promo("B", PromoBuyGet, prio(1001)), []string{"buy_qty positive", "get_qty positive", "priority range"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.p.Normalize()
			var got []string
			if e, ok := tt.p.Validate(settings).(*Error); ok {
				for _, f := range e.Fields {
					got = append(got, f.Field+" "+f.Rule)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate (-want +got):\n%s", diff)
			}
		})
	}
}
