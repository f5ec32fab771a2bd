package demo

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
)

// purchasing gives the buyer and the bookkeeper something to look at: an
// order partly received (one line with rejects), billed at a slightly
// higher price, paid in part, with freight spread over its receipt; an
// order still open; a requisition turned into an RFQ with two quotes and
// the award left as a draft order; a supplier budget for this month.
func (l *loader) purchasing() error {
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
	var sups []domain.Partner
	for _, pt := range l.byNm {
		if pt.Kind.IsSupplier() {
			sups = append(sups, pt)
		}
	}
	slices.SortFunc(sups, func(a, b domain.Partner) int { return cmp.Compare(a.Code, b.Code) })
	var items []domain.Item
	for _, it := range l.created {
		if !it.IsTemplate && it.Tracking == domain.TrackNone && it.PurchasePrice > 0 {
			items = append(items, it)
		}
	}
	if len(sups) < 4 || len(items) < 12 {
		return nil
	}
	accts, _, err := l.svc.Accounts(l.ctx, l.p, service.AccountFilter{})
	if err != nil {
		return err
	}
	var bank int64
	for _, a := range accts {
		if a.Kind == domain.AccountBank {
			bank = a.ID
		}
	}
	wh := l.r.wh["SH"]
	tax := domain.RateOf(13)
	gross := func(it domain.Item) domain.Price { // the purchase price is net; suppliers quote with tax
		v, _ := domain.MulDivRound(int64(it.PurchasePrice), 113, 100)
		return domain.Price(v)
	}
	create := func(d domain.Document, post bool) (domain.Document, error) {
		got, err := l.svc.CreatePurchaseDoc(l.ctx, l.p, d, post)
		if err != nil {
			return got, fmt.Errorf("%s: %w", d.Type, err)
		}
		return got, nil
	}

	// Order A, placed and partly received.
	sa := sups[0].ID
	expA := date(12)
	a, err := create(domain.Document{Type: domain.DocPurchaseOrder, PartnerID: &sa, WarehouseID: wh, Date: date(5), ExpectedDate: &expA,
		TaxIncluded: true, Note: "月度补货", Lines: []domain.DocLine{
			{ItemID: items[0].ID, Qty: domain.QtyOf(120), Price: gross(items[0]), TaxRate: tax},
			{ItemID: items[1].ID, Qty: domain.QtyOf(80), Price: gross(items[1]), TaxRate: tax},
			{ItemID: items[2].ID, Qty: domain.QtyOf(60), Price: gross(items[2]), TaxRate: tax},
		}}, true)
	if err != nil {
		return err
	}
	rc, err := create(domain.Document{Type: domain.DocPurchaseReceipt, PartnerID: &sa, WarehouseID: wh, Date: date(12), Ref: "SH-DN-0612",
		Lines: []domain.DocLine{
			{SourceLineID: a.Lines[0].ID, Qty: domain.QtyOf(120)},
			{SourceLineID: a.Lines[1].ID, Qty: domain.QtyOf(50), RejectedQty: domain.QtyOf(2), Note: "外箱破损 2 件"},
		}}, true)
	if err != nil {
		return err
	}
	billPrice := domain.Price(int64(gross(items[1])) + 500) // 0.05 dearer than ordered: a price variance
	bill, err := create(domain.Document{Type: domain.DocPurchaseBill, PartnerID: &sa, Date: date(15), Ref: "FP-31008876", TaxIncluded: true,
		Lines: []domain.DocLine{{SourceLineID: rc.Lines[0].ID, Qty: domain.QtyOf(120)}, {SourceLineID: rc.Lines[1].ID, Qty: domain.QtyOf(48), Price: billPrice}}}, false)
	if err != nil {
		return err
	}
	for _, act := range []service.DocAction{service.ActSubmit, service.ActApprove, service.ActPost} {
		if _, err := l.svc.ActOnPurchaseDoc(l.ctx, l.p, domain.DocPurchaseBill, bill.ID, 0, act); err != nil {
			return fmt.Errorf("bill %s: %w", act, err)
		}
	}
	half := bill.GrossAmount / 2
	if _, err := l.svc.CreatePayment(l.ctx, l.p, domain.Document{PartnerID: &sa, AccountID: &bank, Date: date(20), GrossAmount: half, Ref: "网银 0620"},
		true, []service.SettleItem{{DebitID: bill.ID, Amount: half}}); err != nil {
		return fmt.Errorf("payment: %w", err)
	}
	carrier := sups[3].ID
	if _, err := create(domain.Document{Type: domain.DocLandedCost, PartnerID: &carrier, Date: date(16), TaxIncluded: true, AllocateBy: domain.AllocateByValue,
		Note: "物流费", Charges: []domain.LandedCharge{{Kind: "freight", Amount: domain.MoneyOf(327), TaxRate: domain.RateOf(9)}},
		Lines: []domain.DocLine{{SourceLineID: rc.Lines[0].ID}, {SourceLineID: rc.Lines[1].ID}}}, true); err != nil {
		return err
	}

	// Order B, placed and waiting.
	sb := sups[1].ID
	expB := date(35)
	if _, err := create(domain.Document{Type: domain.DocPurchaseOrder, PartnerID: &sb, WarehouseID: wh, Date: date(25), ExpectedDate: &expB,
		TaxIncluded: true, Lines: []domain.DocLine{
			{ItemID: items[3].ID, Qty: domain.QtyOf(200), Price: gross(items[3]), TaxRate: tax},
			{ItemID: items[4].ID, Qty: domain.QtyOf(150), Price: gross(items[4]), TaxRate: tax},
		}}, true); err != nil {
		return err
	}

	// A requisition, its RFQ with two quotes, the award left as a draft.
	req, err := create(domain.Document{Type: domain.DocPurchaseRequisition, WarehouseID: wh, Date: date(28), Note: "门店新品试销",
		Lines: []domain.DocLine{{ItemID: items[10].ID, Qty: domain.QtyOf(60)}, {ItemID: items[11].ID, Qty: domain.QtyOf(40)}}}, false)
	if err != nil {
		return err
	}
	for _, act := range []service.DocAction{service.ActSubmit, service.ActApprove} {
		if _, err := l.svc.ActOnPurchaseDoc(l.ctx, l.p, domain.DocPurchaseRequisition, req.ID, 0, act); err != nil {
			return fmt.Errorf("requisition %s: %w", act, err)
		}
	}
	rfq, err := create(domain.Document{Type: domain.DocPurchaseRFQ, WarehouseID: wh, Date: date(29),
		Lines: []domain.DocLine{{SourceLineID: req.Lines[0].ID, Qty: domain.QtyOf(60)}, {SourceLineID: req.Lines[1].ID, Qty: domain.QtyOf(40)}}}, true)
	if err != nil {
		return err
	}
	for k, s := range []struct {
		partner int64
		pct     int64
		days    int
	}{{sups[0].ID, 100, 5}, {sups[2].ID, 97, 10}} {
		var ql []service.QuoteLineInput
		for i, it := range []domain.Item{items[10], items[11]} {
			v, _ := domain.MulDivRound(int64(gross(it)), s.pct, 100)
			ql = append(ql, service.QuoteLineInput{LineID: rfq.Lines[i].ID, Price: domain.Price(v), TaxRate: tax})
		}
		if err := l.svc.SetQuote(l.ctx, l.p, rfq.ID, s.partner, service.QuoteInput{TaxIncluded: true, LeadTimeDays: s.days, Lines: ql}); err != nil {
			return fmt.Errorf("quote %d: %w", k, err)
		}
	}
	if _, err := l.svc.AwardRFQ(l.ctx, l.p, rfq.ID, sups[2].ID, nil); err != nil {
		return fmt.Errorf("award: %w", err)
	}

	// This month's budget for the first supplier.
	mFirst := domain.Date{Time: time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)}
	mLast := domain.Date{Time: mFirst.AddDate(0, 1, -1)}
	if _, err := l.svc.SaveBudget(l.ctx, l.p, domain.Budget{Scope: domain.BudgetSupplier, RefID: sa, From: mFirst, To: mLast,
		Amount: domain.MoneyOf(50000), WarnRate: domain.RateOf(80), Note: "月度采购额度"}); err != nil {
		return fmt.Errorf("budget: %w", err)
	}
	return nil
}
