package domain

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Sales pricing (取价) and promotions (促销): a pure engine over what the
// service loaded for one bill. docs/DECISIONS.md ("Sales pricing") says the
// same in prose; docs/guide/*/pricing.md says it to users.
//
// The price of a line, first rule that gives one:
//
//  1. customer: a sale price list for this customer (一客一价);
//  2. tier: a sale price list for the customer's tier (等级);
//  3. qty_break: a general sale price list (neither customer nor tier);
//  4. default: the item's own price. A named customer (with or without a
//     tier) pays the wholesale price (批发价), or the retail price when the
//     item has no wholesale price; a walk-in sale (no customer) pays the
//     retail price (零售价). The unit's own price, else the base unit's price
//     × the unit's factor.
//
// A list counts when it is a sale list, not archived and valid on the date.
// Among several lists of one rule, the one with the latest valid_from (an
// open start counts as earliest) wins, then the lowest code.
//
// Within a list, lines for the requested unit come first: if one applies,
// a converted base-unit line is not looked at (a box scanned is sold at the
// box price). A line applies when its min_qty, counted in the line's unit
// and converted to base units, is at most the quantity in base units; the
// line with the highest such minimum wins (ties: the first line). A
// base-unit line gives base price × factor for another unit (rounded half
// away from zero at the price scale: P1). Lines for other units are ignored.
//
// Promotions (all with a date window, both ends included, and optionally
// limited to customer tiers; a walk-in is in no tier):
//
//   - percent and fixed are line promotions: price × (100 % − rate) (P2)
//     or price − amount × factor (fixed: the amount is per base unit, so a
//     box of 24 takes 24 × amount off). They apply in priority order
//     (higher first, then code). The non-exclusive ones stack, each on the
//     price the one before left. Each exclusive one is tried alone. The line
//     takes whichever of the stack and the exclusive ones gives the lowest
//     price; on a tie the stack, then the exclusive one first in order.
//   - threshold (满减) is a bill promotion: the lines in its scope are summed
//     after line promotions (their net); of the threshold promotions met,
//     the one with the highest threshold applies (only one per bill): amount
//     off, or amount × the number of whole thresholds when it repeats. The
//     discount is spread over those lines in proportion to their amounts
//     (Allocate: each share rounded, the last takes the rest).
//   - buy_get (买赠): for every buy_qty of an item bought (base units,
//     summed over the bill's lines of that item), get_qty base units of the
//     gift item (the same item when none is named) come free as a gift line
//     at price 0. An item earns gifts from one buy_get promotion: the first
//     in priority order.
//   - Exclusive means alone on a line: a line whose price came from an
//     exclusive promotion does not count for threshold or buy_get, and an
//     exclusive threshold or buy_get counts only lines without a line
//     promotion.
//   - Nothing brings a price or an amount below zero.
//
// The minimum price (最低售价) is the item's min_price per base unit ×
// factor (P1). A line under it is flagged; saving it needs the
// sales.price.override permission (GuardMinPrices).

// PriceRule names the rule that set a line's price.
type PriceRule string

const (
	RuleCustomer PriceRule = "customer"
	RuleTier     PriceRule = "tier"
	RuleQtyBreak PriceRule = "qty_break"
	RuleDefault  PriceRule = "default"
	RuleGift     PriceRule = "gift"
)

// PromoKind is what a promotion does.
type PromoKind string

const (
	PromoPercent   PromoKind = "percent"   // 折扣: a percentage off the line price
	PromoFixed     PromoKind = "fixed"     // 立减: an amount off each base unit
	PromoThreshold PromoKind = "threshold" // 满减: an amount off the bill from a threshold on
	PromoBuyGet    PromoKind = "buy_get"   // 买赠: buy X, get Y free
)

// PromoKinds lists the kinds in the order the UI offers them.
var PromoKinds = []PromoKind{PromoPercent, PromoFixed, PromoThreshold, PromoBuyGet}

// PromoScope says which items a promotion covers.
type PromoScope string

const (
	ScopeAll      PromoScope = "all"
	ScopeCategory PromoScope = "category" // the categories and their sub-categories
	ScopeItems    PromoScope = "items"
)

// Promotion is a time-limited sales promotion (促销活动).
type Promotion struct {
	ID          int64      `json:"id"`
	CompanyID   int64      `json:"-"`
	Code        string     `json:"code"`
	Name        string     `json:"name"`
	NameEn      string     `json:"name_en"`
	Kind        PromoKind  `json:"kind" enum:"percent,fixed,threshold,buy_get"`
	ValidFrom   Date       `json:"valid_from" doc:"First day of the promotion"`
	ValidTo     Date       `json:"valid_to" doc:"Last day of the promotion (included)"`
	Scope       PromoScope `json:"scope" enum:"all,category,items"`
	CategoryIDs []int64    `json:"category_ids" bun:"-" doc:"Scope category: these categories and their sub-categories"`
	ItemIDs     []int64    `json:"item_ids" bun:"-" doc:"Scope items: these items"`
	Tiers       []string   `json:"tiers" bun:"-" doc:"Only customers of these tiers; empty = everyone, walk-in sales included"`
	Rate        Rate       `json:"rate" doc:"percent: the discount in percent (10.00 = 10 % off)"`
	Amount      Money      `json:"amount" doc:"fixed: off each base unit; threshold: off the bill"`
	Threshold   Money      `json:"threshold" doc:"threshold: the bill amount (net of line promotions) from which it applies (满 X)"`
	Repeat      bool       `json:"repeat" doc:"threshold: take the amount off for every whole threshold (每满)"`
	BuyQty      Qty        `json:"buy_qty" doc:"buy_get: base units to buy"`
	GetQty      Qty        `json:"get_qty" doc:"buy_get: base units of the gift given for each buy_qty"`
	GetItemID   *int64     `json:"get_item_id" doc:"buy_get: the gift item; null = the item bought"`
	Priority    int        `json:"priority" minimum:"0" maximum:"1000" doc:"Higher applies first"`
	Exclusive   bool       `json:"exclusive" doc:"Alone on a line: does not share it with other promotions"`
	Note        string     `json:"note"`
	Stamp
}

// Normalize trims the text fields, makes the lists non-nil and sorts the
// ids.
func (p *Promotion) Normalize() {
	p.Code, p.Name, p.NameEn, p.Note = strings.TrimSpace(p.Code), strings.TrimSpace(p.Name), strings.TrimSpace(p.NameEn), strings.TrimSpace(p.Note)
	if p.CategoryIDs == nil {
		p.CategoryIDs = []int64{}
	}
	if p.ItemIDs == nil {
		p.ItemIDs = []int64{}
	}
	slices.Sort(p.CategoryIDs) // sets: stored and shown in id order
	slices.Sort(p.ItemIDs)
	if p.Tiers == nil {
		p.Tiers = []string{}
	}
	if p.GetItemID != nil && *p.GetItemID == 0 {
		p.GetItemID = nil
	}
}

// Validate checks a promotion against the company's tiers.
func (p *Promotion) Validate(settings *CompanySettings) error {
	var f Fields
	validCode(&f, "code", p.Code)
	validName(&f, "name", p.Name)
	f.MaxLen("name_en", p.NameEn, 200)
	kinds := make([]string, len(PromoKinds))
	for i, k := range PromoKinds {
		kinds[i] = string(k)
	}
	f.OneOf("kind", string(p.Kind), kinds...)
	if p.ValidFrom.IsZero() {
		f.Add("valid_from", "required")
	}
	if p.ValidTo.IsZero() {
		f.Add("valid_to", "required")
	} else if p.ValidTo.Before(p.ValidFrom) {
		f.Add("valid_to", "before_start")
	}
	f.OneOf("scope", string(p.Scope), string(ScopeAll), string(ScopeCategory), string(ScopeItems))
	validIDs(&f, "category_ids", p.CategoryIDs, p.Scope == ScopeCategory)
	validIDs(&f, "item_ids", p.ItemIDs, p.Scope == ScopeItems)
	seen := map[string]bool{}
	for i, t := range p.Tiers {
		field := fmt.Sprintf("tiers[%d]", i)
		if settings != nil && !settings.HasTier(t) {
			f.Add(field, "unknown_tier")
		}
		if seen[t] {
			f.Add(field, "duplicate")
		}
		seen[t] = true
	}
	switch p.Kind {
	case PromoPercent:
		if p.Rate <= 0 || p.Rate > RateOf(100) {
			f.Add("rate", "range", "min", "0.01", "max", "100")
		}
	case PromoFixed:
		if p.Amount <= 0 {
			f.Add("amount", "positive")
		}
	case PromoThreshold:
		if p.Threshold <= 0 {
			f.Add("threshold", "positive")
		}
		if p.Amount <= 0 {
			f.Add("amount", "positive")
		} else if p.Amount > p.Threshold {
			f.Add("amount", "not_above", "other", "threshold")
		}
	case PromoBuyGet:
		if p.BuyQty <= 0 {
			f.Add("buy_qty", "positive")
		}
		if p.GetQty <= 0 {
			f.Add("get_qty", "positive")
		}
	}
	if p.Priority < 0 || p.Priority > 1000 {
		f.Add("priority", "range", "min", "0", "max", "1000")
	}
	f.MaxLen("note", p.Note, 2000)
	return f.Err()
}

// validIDs: the ids a scope names are required for that scope, refused for
// the others, positive and distinct.
func validIDs(f *Fields, field string, ids []int64, used bool) {
	switch {
	case used && len(ids) == 0:
		f.Add(field, "required")
	case !used && len(ids) > 0:
		f.Add(field, "scope_only")
	case len(ids) > 500:
		f.Add(field, "max_items", "max", "500")
	}
	seen := map[int64]bool{}
	for i, id := range ids {
		if id <= 0 || seen[id] {
			f.Add(fmt.Sprintf("%s[%d]", field, i), "duplicate")
		}
		seen[id] = true
	}
}

// ActiveOn reports whether the promotion runs on the date for a customer
// of the tier ("" = none or a walk-in sale).
func (p *Promotion) ActiveOn(d Date, tier string) bool {
	if p.Archived || d.Before(p.ValidFrom) || p.ValidTo.Before(d) {
		return false
	}
	return len(p.Tiers) == 0 || (tier != "" && slices.Contains(p.Tiers, tier))
}

// Covers reports whether the item is in the promotion's scope; parents maps
// a category to its parent (absent for a root).
func (p *Promotion) Covers(it *Item, parents map[int64]int64) bool {
	switch p.Scope {
	case ScopeAll:
		return true
	case ScopeItems:
		return slices.Contains(p.ItemIDs, it.ID)
	case ScopeCategory:
		if it.CategoryID == nil {
			return false
		}
		c := *it.CategoryID
		for range 64 { // deeper trees than this are not real; a cycle stops here too
			if slices.Contains(p.CategoryIDs, c) {
				return true
			}
			up, ok := parents[c]
			if !ok {
				return false
			}
			c = up
		}
	}
	return false
}

// ---------------------------------------------------------------- input and output

// PriceRequestLine is one line to price: an item, a unit (0 = the base
// unit) and a quantity in that unit.
type PriceRequestLine struct {
	ItemID int64 `json:"item_id"`
	UnitID int64 `json:"unit_id" doc:"0 = the item's base unit"`
	Qty    Qty   `json:"qty"`
}

// PriceInput is everything the engine reads for one bill.
type PriceInput struct {
	PartnerID  int64  // the customer; 0 = a walk-in sale
	Tier       string // the customer's tier
	Date       Date
	Lists      []PriceList // candidate sale lists with their lines; the engine checks kind, validity and who they apply to
	Promotions []Promotion // candidate promotions; the engine checks the window and tiers
	Items      map[int64]Item
	Parents    map[int64]int64 // category → parent, for category scopes
	Lines      []PriceRequestLine
}

// PriceNote is one step of a line's price: a key and parameters the UI
// translates, and the same step as a stable English text.
type PriceNote struct {
	Key    string            `json:"key" doc:"Message key, e.g. pricing.customer"`
	Params map[string]string `json:"params"`
	Text   string            `json:"text" doc:"The step in English, e.g. customer PL-A ≥10: 9.00"`
}

// PricedLine is a line with its price and how it came about.
type PricedLine struct {
	ItemID       int64       `json:"item_id"`
	UnitID       int64       `json:"unit_id"`
	Qty          Qty         `json:"qty"`
	Factor       Qty         `json:"factor" doc:"Base units in one of the unit"`
	BaseQty      Qty         `json:"base_qty"`
	Rule         PriceRule   `json:"rule" enum:"customer,tier,qty_break,default,gift"`
	List         string      `json:"list" doc:"Code of the price list (gift lines: the promotion)"`
	ListPrice    Price       `json:"list_price" doc:"The price the rule gave, before promotions"`
	Price        Price       `json:"price" doc:"The price after line promotions"`
	Amount       Money       `json:"amount" doc:"qty × price (R1)"`
	Discount     Money       `json:"discount" doc:"qty × list price − amount: what line promotions took off"`
	BillDiscount Money       `json:"bill_discount" doc:"This line's share of the threshold discount"`
	Promotions   []string    `json:"promotions" doc:"Codes of the promotions applied to the line"`
	MinPrice     Price       `json:"min_price" doc:"The item's minimum price for the unit; 0 = none"`
	BelowMin     bool        `json:"below_min" doc:"The price is below the minimum: saving needs sales.price.override"`
	Gift         bool        `json:"gift"`
	GiftFor      []int       `json:"gift_for" doc:"Gift lines: the requested lines (0-based) that earned the gift"`
	Explanation  string      `json:"explanation" doc:"The notes' texts joined by \"; \""`
	Notes        []PriceNote `json:"notes"`
}

// PriceResult is a priced bill: the requested lines in order, then the
// gift lines.
type PriceResult struct {
	Lines         []PricedLine `json:"lines"`
	Total         Money        `json:"total" doc:"Sum of the line amounts"`
	BillDiscount  Money        `json:"bill_discount" doc:"The threshold (满减) discount off the bill"`
	BillPromotion string       `json:"bill_promotion" doc:"Code of the threshold promotion applied"`
	BillNotes     []PriceNote  `json:"bill_notes"`
	Net           Money        `json:"net" doc:"total − bill_discount"`
}

// ---------------------------------------------------------------- the engine

// PriceBill prices a bill. Bad lines (unknown item, a unit not of the item,
// a quantity not above zero, a variant template) are field errors
// lines[i].*, all at once.
func PriceBill(in PriceInput) (PriceResult, error) {
	res := PriceResult{Lines: make([]PricedLine, len(in.Lines)), BillNotes: []PriceNote{}}
	var f Fields
	for i, rl := range in.Lines {
		it, ok := in.Items[rl.ItemID]
		switch {
		case !ok:
			f.Add(linePath(i, "item_id"), "unknown_reference")
			continue
		case it.IsTemplate:
			f.Add(linePath(i, "item_id"), "template_no_stock")
			continue
		}
		u, ok := it.UnitOf(rl.UnitID)
		if !ok {
			f.Add(linePath(i, "unit_id"), "unit_not_of_item")
			continue
		}
		if rl.Qty <= 0 {
			f.Add(linePath(i, "qty"), "positive")
			continue
		}
		l, err := in.priceLine(&it, u, rl.Qty)
		if err != nil {
			return res, err
		}
		res.Lines[i] = l
	}
	if err := f.Err(); err != nil {
		return res, err
	}
	promos := in.activePromotions()
	exclusive := make([]bool, len(res.Lines)) // priced by an exclusive promotion
	for i := range res.Lines {
		l := &res.Lines[i]
		it := in.Items[l.ItemID]
		var err error
		if exclusive[i], err = l.applyLinePromotions(&it, promos, in.Parents); err != nil {
			return res, err
		}
		l.MinPrice = it.MinPriceFor(l.Factor)
		l.BelowMin = BelowMin(l.Price, l.MinPrice)
		l.finish()
		res.Total += l.Amount
	}
	if err := in.applyThreshold(&res, promos, exclusive); err != nil {
		return res, err
	}
	res.Net = res.Total - res.BillDiscount
	res.Lines = append(res.Lines, in.gifts(res.Lines, promos, exclusive)...)
	return res, nil
}

func linePath(i int, field string) string { return fmt.Sprintf("lines[%d].%s", i, field) }

// UnitOf returns the item's unit unitID (0 or the base unit: the base unit
// with factor 1 and the item's prices).
func (it *Item) UnitOf(unitID int64) (ItemUnit, bool) {
	if unitID == 0 || unitID == it.BaseUnitID {
		return ItemUnit{UnitID: it.BaseUnitID, Factor: QtyOne, Barcode: it.Barcode, PurchasePrice: it.PurchasePrice,
			WholesalePrice: it.WholesalePrice, RetailPrice: it.RetailPrice}, true
	}
	k := slices.IndexFunc(it.Units, func(u ItemUnit) bool { return u.UnitID == unitID })
	if k < 0 || it.Units[k].Factor <= 0 {
		return ItemUnit{}, false
	}
	return it.Units[k], true
}

// MinPriceFor is the item's minimum sale price for a unit of factor base
// units (P1); 0 = no minimum.
func (it *Item) MinPriceFor(factor Qty) Price {
	return PriceInUnit(it.MinPrice, QtyOne, factor)
}

// BelowMin reports whether price is under a minimum (0 = none).
func BelowMin(price, min Price) bool { return min > 0 && price < min }

// GuardMinPrices refuses lines priced below their minimum unless the
// caller may override (sales.price.override): one field error
// lines[i].price below_min_price (params min, price) per such line. Gift
// lines are never below their minimum.
func GuardMinPrices(lines []PricedLine, override bool) error {
	if override {
		return nil
	}
	var f Fields
	for i, l := range lines {
		if l.BelowMin && !l.Gift {
			f.Add(linePath(i, "price"), "below_min_price", "min", priceText(l.MinPrice), "price", priceText(l.Price))
		}
	}
	return f.Err()
}

// priceLine applies the four rules in order.
func (in *PriceInput) priceLine(it *Item, u ItemUnit, qty Qty) (PricedLine, error) {
	bq, ok := MulDivRound(int64(qty), int64(u.Factor), int64(QtyOne))
	if !ok {
		return PricedLine{}, Errorf(EInvalid, "quantity out of range: %s × %s", qty, u.Factor)
	}
	l := PricedLine{ItemID: it.ID, UnitID: u.UnitID, Qty: qty, Factor: u.Factor, BaseQty: Qty(bq), Promotions: []string{}, GiftFor: []int{}}
	for _, rule := range []PriceRule{RuleCustomer, RuleTier, RuleQtyBreak} {
		for _, pl := range in.listsFor(rule) {
			if m, ok := pl.match(it, u, l.BaseQty); ok {
				l.Rule, l.List, l.ListPrice = rule, pl.Code, m.price
				l.Notes = []PriceNote{m.note(rule, pl.Code)}
				return l, nil
			}
		}
	}
	l.Rule = RuleDefault
	var key, which string
	var own, base Price
	if in.PartnerID != 0 && (it.WholesalePrice > 0 || u.WholesalePrice > 0) {
		key, which, own, base = "pricing.default_wholesale", "wholesale", u.WholesalePrice, it.WholesalePrice
	} else {
		key, which, own, base = "pricing.default_retail", "retail", u.RetailPrice, it.RetailPrice
	}
	m := listMatch{price: own}
	if own == 0 && u.UnitID != it.BaseUnitID {
		m = listMatch{price: PriceInUnit(base, QtyOne, u.Factor), base: base, factor: u.Factor, converted: true}
	}
	l.ListPrice = m.price
	l.Notes = []PriceNote{note(key, "default "+which+": "+m.priceText(), m.params()...)}
	return l, nil
}

// listsFor returns the usable lists of one rule, in the order they are
// tried: latest valid_from first (an open start counts as earliest), then
// code.
func (in *PriceInput) listsFor(rule PriceRule) []*PriceList {
	var out []*PriceList
	for i := range in.Lists {
		pl := &in.Lists[i]
		if pl.Kind != PriceListSale || pl.Archived || (pl.ValidFrom != nil && in.Date.Before(*pl.ValidFrom)) ||
			(pl.ValidTo != nil && pl.ValidTo.Before(in.Date)) {
			continue
		}
		var fits bool
		switch rule {
		case RuleCustomer:
			fits = pl.PartnerID != nil && in.PartnerID != 0 && *pl.PartnerID == in.PartnerID
		case RuleTier:
			fits = pl.PartnerID == nil && pl.Tier != "" && pl.Tier == in.Tier
		case RuleQtyBreak:
			fits = pl.PartnerID == nil && pl.Tier == ""
		}
		if fits {
			out = append(out, pl)
		}
	}
	slices.SortStableFunc(out, func(a, b *PriceList) int {
		if c := cmpStart(b.ValidFrom, a.ValidFrom); c != 0 {
			return c
		}
		return strings.Compare(a.Code, b.Code)
	})
	return out
}

// cmpStart orders validity starts, an open start (nil) first.
func cmpStart(a, b *Date) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return a.Compare(*b)
}

// listMatch is the line a list gives for a unit and how its price came.
type listMatch struct {
	price     Price // for one of the requested unit
	min       Qty   // the line's min_qty (in the line's unit)
	base      Price // converted: the base-unit price
	factor    Qty   // converted: the requested unit's factor
	converted bool
}

// match finds the list's line for the unit (see the package rules above).
func (pl *PriceList) match(it *Item, u ItemUnit, baseQty Qty) (listMatch, bool) {
	isBase := u.UnitID == it.BaseUnitID
	var exact, conv *PriceListLine
	for i := range pl.Lines {
		ln := &pl.Lines[i]
		if ln.ItemID != it.ID {
			continue
		}
		lineBase := ln.UnitID == 0 || ln.UnitID == it.BaseUnitID
		switch {
		case (isBase && lineBase) || (!isBase && ln.UnitID == u.UnitID):
			minBase, ok := MulDivRound(int64(ln.MinQty), int64(u.Factor), int64(QtyOne))
			if ok && Qty(minBase) <= baseQty && (exact == nil || ln.MinQty > exact.MinQty) {
				exact = ln
			}
		case lineBase:
			if ln.MinQty <= baseQty && (conv == nil || ln.MinQty > conv.MinQty) {
				conv = ln
			}
		}
	}
	switch {
	case exact != nil:
		return listMatch{price: exact.Price, min: exact.MinQty}, true
	case conv != nil:
		return listMatch{price: PriceInUnit(conv.Price, QtyOne, u.Factor), min: conv.MinQty, base: conv.Price, factor: u.Factor, converted: true}, true
	}
	return listMatch{}, false
}

func (m listMatch) priceText() string {
	if m.converted {
		return priceText(m.base) + " x " + m.factor.Short() + " = " + priceText(m.price)
	}
	return priceText(m.price)
}

func (m listMatch) params() []string {
	kv := []string{"price", priceText(m.price)}
	if m.converted {
		kv = append(kv, "base", priceText(m.base), "factor", m.factor.Short())
	}
	return kv
}

// note of a list rule: "customer PL-A ≥10: 9.00".
func (m listMatch) note(rule PriceRule, list string) PriceNote {
	head := string(rule) + " " + list
	kv := append([]string{"list", list}, m.params()...)
	if m.min > 0 {
		head += " ≥" + m.min.Short()
		kv = append(kv, "min", m.min.Short())
	}
	return note("pricing."+string(rule), head+": "+m.priceText(), kv...)
}

// activePromotions returns the promotions running for this bill, in
// priority order (higher first, then code).
func (in *PriceInput) activePromotions() []*Promotion {
	var out []*Promotion
	for i := range in.Promotions {
		if p := &in.Promotions[i]; p.ActiveOn(in.Date, in.Tier) {
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b *Promotion) int {
		if c := cmp.Compare(b.Priority, a.Priority); c != 0 {
			return c
		}
		return strings.Compare(a.Code, b.Code)
	})
	return out
}

// linePromo is one line promotion applied to a price.
func linePromo(p *Promotion, price Price, factor Qty) (Price, PriceNote) {
	var next Price
	var head string
	var kv []string
	switch p.Kind {
	case PromoPercent:
		v, _ := MulDivRound(int64(price), int64(hundredPercent-p.Rate), int64(hundredPercent)) // P2
		next = Price(v)
		head = "percent " + p.Code + " -" + rateText(p.Rate) + "%"
		kv = []string{"rate", rateText(p.Rate)}
	default: // PromoFixed
		off := moneyPrice(p.Amount)
		head = "fixed " + p.Code + " -" + priceText(off)
		kv = []string{"amount", priceText(off)}
		if factor != QtyOne {
			head += " x " + factor.Short()
			kv = append(kv, "factor", factor.Short())
			off = PriceInUnit(off, QtyOne, factor) // P1
		}
		next = price - off
	}
	next = max(next, 0)
	if p.Exclusive {
		head += " exclusive"
		kv = append(kv, "exclusive", "true")
	}
	kv = append(kv, "promo", p.Code, "price", priceText(next))
	return next, note("pricing."+string(p.Kind), head+": "+priceText(next), kv...)
}

// applyLinePromotions applies the percent and fixed promotions covering
// the line: the stack of non-exclusive ones against each exclusive one,
// the lowest price winning. It reports whether an exclusive one won.
func (l *PricedLine) applyLinePromotions(it *Item, promos []*Promotion, parents map[int64]int64) (exclusive bool, err error) {
	type outcome struct {
		price     Price
		notes     []PriceNote
		codes     []string
		exclusive bool
	}
	var stack *outcome
	var tries []outcome
	for _, p := range promos {
		if (p.Kind != PromoPercent && p.Kind != PromoFixed) || !p.Covers(it, parents) {
			continue
		}
		if p.Exclusive {
			price, n := linePromo(p, l.ListPrice, l.Factor)
			tries = append(tries, outcome{price, []PriceNote{n}, []string{p.Code}, true})
			continue
		}
		if stack == nil {
			stack = &outcome{price: l.ListPrice}
		}
		price, n := linePromo(p, stack.price, l.Factor)
		stack.price, stack.notes, stack.codes = price, append(stack.notes, n), append(stack.codes, p.Code)
	}
	if stack != nil {
		tries = append([]outcome{*stack}, tries...)
	}
	l.Price = l.ListPrice
	if len(tries) > 0 {
		best := tries[0]
		for _, t := range tries[1:] {
			if t.price < best.price {
				best = t
			}
		}
		l.Price, exclusive = best.price, best.exclusive
		l.Notes = append(l.Notes, best.notes...)
		l.Promotions = append(l.Promotions, best.codes...)
	}
	list, err := l.ListPrice.Amount(l.Qty) // R1
	if err != nil {
		return false, err
	}
	if l.Amount, err = l.Price.Amount(l.Qty); err != nil { // R1
		return false, err
	}
	l.Discount = list - l.Amount
	return exclusive, nil
}

// finish writes the explanation from the notes.
func (l *PricedLine) finish() {
	texts := make([]string, len(l.Notes))
	for i, n := range l.Notes {
		texts[i] = n.Text
	}
	l.Explanation = strings.Join(texts, "; ")
}

// counts reports whether a bill promotion (threshold, buy_get) counts line
// i: never a line an exclusive promotion priced; for an exclusive bill
// promotion, only lines without line promotions; only items in its scope.
func (in *PriceInput) counts(p *Promotion, l *PricedLine, exclusive bool) bool {
	if l.Gift || exclusive || (p.Exclusive && len(l.Promotions) > 0) {
		return false
	}
	it := in.Items[l.ItemID]
	return p.Covers(&it, in.Parents)
}

// applyThreshold applies the highest threshold met (满减) and spreads it
// over the lines it counted.
func (in *PriceInput) applyThreshold(res *PriceResult, promos []*Promotion, exclusive []bool) error {
	var best *Promotion
	var bestBase Money
	for _, p := range promos {
		if p.Kind != PromoThreshold || (best != nil && p.Threshold <= best.Threshold) {
			continue
		}
		var base Money
		for i := range res.Lines {
			if in.counts(p, &res.Lines[i], exclusive[i]) {
				base += res.Lines[i].Amount
			}
		}
		if base >= p.Threshold {
			best, bestBase = p, base
		}
	}
	if best == nil {
		return nil
	}
	times := int64(1)
	if best.Repeat {
		times = int64(bestBase / best.Threshold)
	}
	off := min(best.Amount*Money(times), bestBase)
	weights := make([]int64, len(res.Lines))
	for i := range res.Lines {
		if in.counts(best, &res.Lines[i], exclusive[i]) {
			weights[i] = int64(res.Lines[i].Amount)
		}
	}
	shares, err := Allocate(off, weights)
	if err != nil {
		return err
	}
	for i := range res.Lines {
		res.Lines[i].BillDiscount = shares[i]
	}
	head := "threshold " + best.Code + " " + best.Threshold.String() + " -" + best.Amount.String()
	kv := []string{"promo", best.Code, "threshold", best.Threshold.String(), "amount", best.Amount.String(), "discount", off.String()}
	if best.Repeat {
		head += " x " + fmt.Sprint(times)
		kv = append(kv, "times", fmt.Sprint(times))
	}
	if best.Exclusive {
		head += " exclusive"
		kv = append(kv, "exclusive", "true")
	}
	res.BillDiscount, res.BillPromotion = off, best.Code
	res.BillNotes = append(res.BillNotes, note("pricing.threshold", head+": -"+off.String(), kv...))
	return nil
}

// gifts returns the free lines buy_get promotions earn, in the order of the
// items' first lines.
func (in *PriceInput) gifts(lines []PricedLine, promos []*Promotion, exclusive []bool) []PricedLine {
	type earned struct {
		bought Qty
		from   []int
	}
	byItem := map[int64]*earned{}
	var order []int64
	var out []PricedLine
	taken := make([]bool, len(lines)) // one buy_get promotion per item
	for _, p := range promos {
		if p.Kind != PromoBuyGet {
			continue
		}
		clear(byItem)
		order = order[:0]
		for i := range lines {
			l := &lines[i]
			if taken[i] || !in.counts(p, l, exclusive[i]) {
				continue
			}
			e := byItem[l.ItemID]
			if e == nil {
				e = &earned{}
				byItem[l.ItemID] = e
				order = append(order, l.ItemID)
			}
			e.bought += l.BaseQty
			e.from = append(e.from, i)
		}
		for _, id := range order {
			e := byItem[id]
			for _, i := range e.from {
				taken[i] = true
			}
			times := int64(e.bought) / int64(p.BuyQty)
			if times == 0 {
				continue
			}
			giftID := id
			if p.GetItemID != nil {
				giftID = *p.GetItemID
			}
			gift, ok := in.Items[giftID]
			if !ok {
				continue // the service loads every gift item; a missing one gives nothing
			}
			qty := p.GetQty * Qty(times)
			text := fmt.Sprintf("buy_get %s buy %s get %s x %d: %s free", p.Code, p.BuyQty.Short(), p.GetQty.Short(), times, qty.Short())
			g := PricedLine{ItemID: gift.ID, UnitID: gift.BaseUnitID, Qty: qty, Factor: QtyOne, BaseQty: qty, Rule: RuleGift,
				List: p.Code, Promotions: []string{p.Code}, Gift: true, GiftFor: append([]int{}, e.from...),
				Notes: []PriceNote{note("pricing.buy_get", text, "promo", p.Code, "buy", p.BuyQty.Short(), "get", p.GetQty.Short(),
					"times", fmt.Sprint(times), "qty", qty.Short())}}
			g.finish()
			out = append(out, g)
		}
	}
	return out
}

// ---------------------------------------------------------------- texts

func note(key, text string, kv ...string) PriceNote {
	p := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		p[kv[i]] = kv[i+1]
	}
	return PriceNote{Key: key, Params: p, Text: text}
}

// priceText shows a price with at least two decimals and no trailing zeros
// beyond them: 9.00, 3.125, 0.0035.
func priceText(p Price) string { return trimZeros(p.String(), 2) }

// rateText shows a rate without trailing zeros: 10, 12.5.
func rateText(r Rate) string { return trimZeros(r.String(), 0) }

func trimZeros(s string, keep int) string {
	whole, frac, ok := strings.Cut(s, ".")
	if !ok {
		return s
	}
	frac = strings.TrimRight(frac, "0")
	for len(frac) < keep {
		frac += "0"
	}
	if frac == "" {
		return whole
	}
	return whole + "." + frac
}

// moneyPrice converts an amount to a price (1e-2 → 1e-4).
func moneyPrice(m Money) Price { return Price(int64(m) * pow10[PriceScale-MoneyScale]) }
