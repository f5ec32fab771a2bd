package demo

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
)

// sales gives the salesperson, the clerk and the cashier something to look
// at: a quotation turned into an order with a deposit, partly shipped,
// invoiced and partly paid, one unit returned; a second order confirmed and
// waiting (its stock held); a quotation still open; and a few counter sales
// in the shop today, one with change and one paid two ways.
func (l *loader) sales() error {
	now := time.Now()
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	date := func(days int) domain.Date { // never after today
		d := first.AddDate(0, 0, days)
		if d.After(today) {
			d = today
		}
		return domain.Date{Time: d}
	}
	var custs []domain.Partner
	for _, pt := range l.byNm {
		if pt.Kind.IsCustomer() {
			custs = append(custs, pt)
		}
	}
	slices.SortFunc(custs, func(a, b domain.Partner) int { return cmp.Compare(a.Code, b.Code) })
	// Items with plenty on hand in the main warehouse and in the shop, not
	// batch or serial tracked (the clerk would pick those by hand).
	onHand := func(wh int64) (map[int64]domain.Qty, error) {
		f := service.BalanceFilter{WarehouseID: wh, GroupBy: "item"}
		f.Limit = 500
		rows, _, err := l.svc.StockBalances(l.ctx, l.p, f)
		out := map[int64]domain.Qty{}
		for _, r := range rows {
			out[r.ItemID] = r.OnHand
		}
		return out, err
	}
	sh, shop := l.r.wh["SH"], l.r.wh["SH-STORE"]
	main, err := onHand(sh)
	if err != nil {
		return err
	}
	shopStock, err := onHand(shop)
	if err != nil {
		return err
	}
	var items, shopItems []domain.Item
	for _, it := range l.created {
		if it.IsTemplate || it.Tracking != domain.TrackNone || it.RetailPrice <= 0 {
			continue
		}
		if main[it.ID] >= domain.QtyOf(40) {
			items = append(items, it)
		}
		if shopStock[it.ID] >= domain.QtyOf(3) {
			shopItems = append(shopItems, it)
		}
	}
	slices.SortFunc(items, func(a, b domain.Item) int { return cmp.Compare(a.Code, b.Code) })
	slices.SortFunc(shopItems, func(a, b domain.Item) int { return cmp.Compare(a.Code, b.Code) })
	if len(custs) < 3 || len(items) < 6 {
		return nil
	}
	accts, _, err := l.svc.Accounts(l.ctx, l.p, service.AccountFilter{})
	if err != nil {
		return err
	}
	acct := map[domain.AccountKind]int64{}
	for _, a := range accts {
		if acct[a.Kind] == 0 {
			acct[a.Kind] = a.ID
		}
	}
	tax := domain.RateOf(13)
	create := func(d domain.Document, post bool) (domain.Document, error) {
		got, err := l.svc.CreateSalesDoc(l.ctx, l.p, d, post, service.ActOpts{})
		if err != nil {
			return got, fmt.Errorf("%s: %w", d.Type, err)
		}
		return got, nil
	}
	line := func(it domain.Item, qty int64) domain.DocLine {
		return domain.DocLine{ItemID: it.ID, Qty: domain.QtyOf(qty), TaxRate: tax, ItemTax: true}
	}

	// Customer A: quote → order with a deposit → shipment of most of it →
	// invoice → a receipt for part → one unit back.
	ca := custs[0].ID
	valid := date(20)
	q, err := create(domain.Document{Type: domain.DocSalesQuote, PartnerID: &ca, WarehouseID: sh, Date: date(3), ExpectedDate: &valid,
		TaxIncluded: true, Note: "春节备货报价", Lines: []domain.DocLine{line(items[0], 24), line(items[1], 12), line(items[2], 36)}}, true)
	if err != nil {
		return err
	}
	var ol []domain.DocLine
	for _, l := range q.Lines {
		ol = append(ol, domain.DocLine{SourceLineID: l.ID, Qty: l.Qty})
	}
	o, err := create(domain.Document{Type: domain.DocSalesOrder, PartnerID: &ca, WarehouseID: sh, Date: date(5), TaxIncluded: true,
		Ref: "PO-2026-118", Lines: ol}, true)
	if err != nil {
		return err
	}
	if acct[domain.AccountBank] != 0 {
		bank := acct[domain.AccountBank]
		if _, err := l.svc.CreateReceipt(l.ctx, l.p, domain.Document{PartnerID: &ca, AccountID: &bank, SourceID: &o.ID, Date: date(5),
			GrossAmount: domain.MoneyOf(500), Note: "订金"}, true, nil); err != nil {
			return fmt.Errorf("deposit: %w", err)
		}
	}
	sh1, err := create(domain.Document{Type: domain.DocSalesShipment, PartnerID: &ca, WarehouseID: sh, Date: date(8), Lines: []domain.DocLine{
		{SourceLineID: o.Lines[0].ID, Qty: o.Lines[0].Qty}, {SourceLineID: o.Lines[1].ID, Qty: o.Lines[1].Qty},
		{SourceLineID: o.Lines[2].ID, Qty: domain.QtyOf(24)}}}, true)
	if err != nil {
		return err
	}
	var il []domain.DocLine
	for _, l := range sh1.Lines {
		il = append(il, domain.DocLine{SourceLineID: l.ID, Qty: l.Qty})
	}
	inv, err := create(domain.Document{Type: domain.DocSalesInvoice, PartnerID: &ca, Date: date(9), Lines: il}, true)
	if err != nil {
		return err
	}
	if acct[domain.AccountBank] != 0 {
		bank := acct[domain.AccountBank]
		part := inv.GrossAmount - inv.Settled - domain.MoneyOf(300)
		if part > 0 {
			if _, err := l.svc.CreateReceipt(l.ctx, l.p, domain.Document{PartnerID: &ca, AccountID: &bank, Date: date(14), GrossAmount: part},
				true, []service.SettleItem{{DebitID: inv.ID, Amount: part}}); err != nil {
				return fmt.Errorf("receipt: %w", err)
			}
		}
	}
	if _, err := create(domain.Document{Type: domain.DocSalesReturn, PartnerID: &ca, WarehouseID: sh, Date: date(15), Note: "包装破损",
		Lines: []domain.DocLine{{SourceLineID: sh1.Lines[0].ID, Qty: domain.QtyOf(1)}}}, true); err != nil {
		return err
	}

	// Customer B: an order confirmed and waiting for the truck.
	cb := custs[1].ID
	exp := date(40)
	if _, err := create(domain.Document{Type: domain.DocSalesOrder, PartnerID: &cb, WarehouseID: sh, Date: date(20), ExpectedDate: &exp,
		TaxIncluded: true, Lines: []domain.DocLine{line(items[3], 10), line(items[4], 6)}}, true); err != nil {
		return err
	}
	// Customer C: a quotation sent, not yet answered.
	cc := custs[2].ID
	if _, err := create(domain.Document{Type: domain.DocSalesQuote, PartnerID: &cc, WarehouseID: sh, Date: date(25), ExpectedDate: &exp,
		TaxIncluded: true, Lines: []domain.DocLine{line(items[5], 48)}}, true); err != nil {
		return err
	}

	// The shop today: a sale paid in cash with change, one paid by WeChat
	// and cash together.
	cash, wx := acct[domain.AccountCash], acct[domain.AccountWeChat]
	if len(shopItems) < 3 || cash == 0 || wx == 0 {
		return nil
	}
	pos := func(lines []domain.DocLine, pays func(total domain.Money) []domain.Payment) error {
		priced, err := l.svc.PriceLines(l.ctx, l.p, service.PriceRequest{Lines: priceReq(lines)})
		if err != nil {
			return err
		}
		_, err = l.svc.CreatePOSSale(l.ctx, l.p, domain.Document{WarehouseID: shop, Lines: lines, Payments: pays(priced.Net)})
		if err != nil {
			return fmt.Errorf("counter sale: %w", err)
		}
		return nil
	}
	roundUp := func(m domain.Money) domain.Money { // the note the customer hands over
		step := domain.MoneyOf(50)
		return (m + step - 1) / step * step
	}
	if err := pos([]domain.DocLine{{ItemID: shopItems[0].ID, Qty: domain.QtyOf(2)}, {ItemID: shopItems[1].ID, Qty: domain.QtyOf(1)}},
		func(total domain.Money) []domain.Payment {
			return []domain.Payment{{Method: domain.PayCash, AccountID: &cash, Tendered: roundUp(total)}}
		}); err != nil {
		return err
	}
	return pos([]domain.DocLine{{ItemID: shopItems[2].ID, Qty: domain.QtyOf(1)}, {ItemID: shopItems[0].ID, Qty: domain.QtyOf(1)}},
		func(total domain.Money) []domain.Payment {
			half := total / 2
			return []domain.Payment{{Method: domain.PayWeChat, AccountID: &wx, Tendered: half, Ref: "4200001234202612040001"},
				{Method: domain.PayCash, AccountID: &cash, Tendered: roundUp(total - half)}}
		})
}

func priceReq(lines []domain.DocLine) []domain.PriceRequestLine {
	out := make([]domain.PriceRequestLine, len(lines))
	for i, l := range lines {
		out[i] = domain.PriceRequestLine{ItemID: l.ItemID, UnitID: l.UnitID, Qty: l.Qty}
	}
	return out
}
