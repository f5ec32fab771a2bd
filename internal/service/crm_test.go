package service_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// salesBook writes sales documents straight through the store, the way the
// sales documents will once they post: the customer's page reads them by
// type, so it can be tested before they exist.
type salesBook struct {
	t  *testing.T
	db *store.DB
	f  stockFixture
	n  int
}

type sdoc struct {
	typ     domain.DocType
	partner int64
	day     domain.Date
	state   domain.DocState
	closed  bool
	gross   string
	settled string
	lines   []domain.DocLine
	// ledger puts the document on the partner's account (kind ar or ap).
	kind, ledger string
}

func (b *salesBook) add(d sdoc) domain.Document {
	b.t.Helper()
	b.n++
	if d.state == "" {
		d.state = domain.DocPosted
	}
	doc := domain.Document{CompanyID: b.f.company.ID, Type: d.typ, Number: fmt.Sprintf("T%04d", b.n), State: d.state, Date: d.day,
		PartnerID: &d.partner, Closed: d.closed, CreatedBy: b.f.admin.UserID, Lines: d.lines}
	if d.gross != "" {
		doc.GrossAmount = mustMoney(d.gross)
	}
	if d.settled != "" {
		doc.Settled = mustMoney(d.settled)
	}
	for i := range doc.Lines {
		doc.TotalQty += doc.Lines[i].BaseQty
	}
	err := b.db.Update(context.Background(), func(tx *store.Tx) error {
		if err := tx.CreateDocument(context.Background(), &doc); err != nil {
			return err
		}
		if d.ledger == "" {
			return nil
		}
		return tx.AppendPartnerLedger(context.Background(), doc.CompanyID, []store.PartnerEntry{{PartnerID: d.partner, Kind: d.kind,
			DocumentID: doc.ID, DocType: doc.Type, Date: doc.Date, Amount: mustMoney(d.ledger)}})
	})
	noErr(b.t, "insert "+string(d.typ), err)
	return doc
}

// sline is a sales line: qty of unit (factor base units each) at price.
func sline(item, unit int64, factor int64, qty, price string) domain.DocLine {
	q := mustQty(qty)
	return domain.DocLine{ItemID: item, UnitID: unit, Factor: domain.QtyOf(factor), Qty: q, BaseQty: q * domain.Qty(factor), Price: mustPrice(price)}
}

// TestCustomerCRM logs follow-ups, reads the reminders, and checks every
// figure of a customer's overview against documents written by hand. Dates
// are days before today: D(30) is 30 days ago, D(-5) five days ahead.
func TestCustomerCRM(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpStock(t, db, 2)
		today := f.svc.Today()
		D := func(n int) domain.Date { return domain.Date{Time: today.AddDate(0, 0, -n)} }
		ptr := func(d domain.Date) *domain.Date { return &d }
		x, y := f.items[0], f.items[1]
		pcs := x.BaseUnitID
		box := f.unit(t, f.admin, "BOX", "箱")
		z, err := f.svc.CreateItem(ctx, f.admin, domain.Item{Code: "Z", Name: "整箱货", BaseUnitID: pcs,
			Units: []domain.ItemUnit{{UnitID: box.ID, Factor: domain.QtyOf(12)}}})
		noErr(t, "CreateItem Z", err)
		c, err := f.svc.CreatePartner(ctx, f.admin, domain.Partner{Code: "C1", Name: "客户甲", Kind: domain.PartnerBoth})
		noErr(t, "CreatePartner C1", err)
		c2, err := f.svc.CreatePartner(ctx, f.admin, domain.Partner{Code: "C2", Name: "客户乙", Kind: domain.PartnerCustomer})
		noErr(t, "CreatePartner C2", err)

		sales, _ := f.clerk(t, "sales1", []domain.Perm{"data.partner.read", "data.partner.write"}, nil)
		reader, _ := f.clerk(t, "reader", []domain.Perm{"data.partner.read"}, nil)

		// ---------------------------------------------------------- follow-ups
		log := func(p *domain.Principal, partner int64, fu domain.FollowUp) domain.FollowUp {
			t.Helper()
			got, err := f.svc.LogFollowUp(ctx, p, partner, fu)
			noErr(t, "LogFollowUp "+fu.Note, err)
			return got
		}
		f1 := log(sales, c.ID, domain.FollowUp{Day: D(3), Kind: domain.FollowUpCall, Note: "问了报价", NextAction: "发报价单", NextDate: ptr(D(1))})
		f2 := log(sales, c.ID, domain.FollowUp{Kind: domain.FollowUpVisit, Note: "上门拜访", NextAction: "回访", NextDate: ptr(D(0))})
		f3 := log(sales, c2.ID, domain.FollowUp{Day: D(1), Kind: domain.FollowUpWeChat, Note: "微信沟通", NextAction: "寄样品", NextDate: ptr(D(-5))})
		f4 := log(f.admin, c2.ID, domain.FollowUp{Day: D(1), Kind: domain.FollowUpEmail, Note: "邮件", NextAction: "对账", NextDate: ptr(D(0))})
		f5 := log(sales, c.ID, domain.FollowUp{Day: D(4), Kind: domain.FollowUpOther, Note: "展会上见过"})
		if f2.Day != today || f2.UserID != sales.UserID || f2.UserName != "sales1" || f2.PartnerName != "客户甲" {
			t.Errorf("f2 = day %s user %d %q partner %q; want today, sales1, 客户甲", f2.Day, f2.UserID, f2.UserName, f2.PartnerName)
		}

		_, err = f.svc.LogFollowUp(ctx, sales, c.ID, domain.FollowUp{Day: D(0), Kind: domain.FollowUpCall, Note: "x", NextAction: "y", NextDate: ptr(D(1))})
		wantField(t, "next date before the day", err, "next_date", "before_day")
		_, err = f.svc.LogFollowUp(ctx, sales, c.ID, domain.FollowUp{Kind: "fax", Note: "x"})
		wantField(t, "unknown kind", err, "kind", "one_of")
		_, err = f.svc.LogFollowUp(ctx, sales, 999999, domain.FollowUp{Kind: domain.FollowUpCall, Note: "x"})
		wantCode(t, "unknown partner", err, domain.ENotFound)
		other := f.otherCompany(t)
		op, err := f.svc.CreatePartner(ctx, &domain.Principal{UserID: f.admin.UserID, IsAdmin: true, CompanyID: other.ID},
			domain.Partner{Code: "O1", Name: "别家客户", Kind: domain.PartnerCustomer})
		noErr(t, "CreatePartner other company", err)
		_, err = f.svc.LogFollowUp(ctx, sales, op.ID, domain.FollowUp{Kind: domain.FollowUpCall, Note: "x"})
		wantCode(t, "another company's partner", err, domain.ENotFound)

		ids := func(fs []domain.FollowUp) []int64 {
			out := []int64{}
			for _, fu := range fs {
				out = append(out, fu.ID)
			}
			return out
		}
		logC, n, err := f.svc.FollowUps(ctx, reader, c.ID, store.Page{})
		noErr(t, "FollowUps", err)
		if diff := cmp.Diff([]int64{f2.ID, f1.ID, f5.ID}, ids(logC)); diff != "" || n != 3 {
			t.Errorf("C1's log (newest first), total %d; mismatch (-want +got):\n%s", n, diff)
		}

		// ---------------------------------------------------------- reminders
		reminders := func(p *domain.Principal, asOf domain.Date, all bool) []int64 {
			t.Helper()
			rs, n, err := f.svc.Reminders(ctx, p, asOf, all, store.Page{})
			noErr(t, "Reminders", err)
			if n != len(rs) {
				t.Errorf("Reminders total %d, %d rows", n, len(rs))
			}
			return ids(rs)
		}
		check := func(what string, got, want []int64) {
			t.Helper()
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", what, diff)
			}
		}
		// Mine, due today: f1 (overdue) then f2 (today); f3 is later, f4
		// is the admin's, f5 has no next action.
		check("sales1's reminders today", reminders(sales, domain.Date{}, false), []int64{f1.ID, f2.ID})
		check("sales1's reminders in a week", reminders(sales, D(-7), false), []int64{f1.ID, f2.ID, f3.ID})
		check("sales1's reminders two days ago", reminders(sales, D(2), false), []int64{})
		check("admin's own reminders", reminders(f.admin, domain.Date{}, false), []int64{f4.ID})
		check("everyone's reminders", reminders(f.admin, domain.Date{}, true), []int64{f1.ID, f2.ID, f4.ID})
		_, _, err = f.svc.Reminders(ctx, sales, domain.Date{}, true, store.Page{})
		wantCode(t, "everyone's reminders without the permission", err, domain.EForbidden)
		rs, _, err := f.svc.Reminders(ctx, f.admin, domain.Date{}, true, store.Page{})
		noErr(t, "Reminders all", err)
		if rs[2].PartnerName != "客户乙" || rs[2].PartnerCode != "C2" || rs[2].UserName != adminName {
			t.Errorf("reminder f4 names partner %q %q, user %q; want C2 客户乙, %s", rs[2].PartnerCode, rs[2].PartnerName, rs[2].UserName, adminName)
		}

		// Ticking f1 done takes it off the reminders; ticking it again keeps
		// the first time; opening it again brings it back.
		done, err := f.svc.SetFollowUpDone(ctx, sales, c.ID, f1.ID, true)
		noErr(t, "SetFollowUpDone", err)
		if !done.Done || done.DoneAt == nil {
			t.Errorf("done = %v at %v; want done with a time", done.Done, done.DoneAt)
		}
		again, err := f.svc.SetFollowUpDone(ctx, sales, c.ID, f1.ID, true)
		noErr(t, "SetFollowUpDone again", err)
		if again.DoneAt == nil || !again.DoneAt.Equal(*done.DoneAt) {
			t.Errorf("done again at %v, want the first time %v", again.DoneAt, done.DoneAt)
		}
		check("sales1's reminders after f1 is done", reminders(sales, domain.Date{}, false), []int64{f2.ID})
		_, err = f.svc.SetFollowUpDone(ctx, sales, c.ID, f5.ID, true)
		wantField(t, "a follow-up without a next action", err, "done", "no_next_action")
		_, err = f.svc.SetFollowUpDone(ctx, sales, c2.ID, f1.ID, true)
		wantCode(t, "a follow-up of another partner", err, domain.ENotFound)
		audit, _, err := f.svc.Audit(ctx, f.admin, service.AuditFilter{Entity: "followup", EntityID: f1.ID})
		noErr(t, "Audit", err)
		if len(audit) != 2 {
			t.Errorf("f1 has %d audit rows, want 2 (create, done)", len(audit))
		}

		// ---------------------------------------------------------- documents
		b := &salesBook{t: t, db: db, f: f}
		// Orders: SO1 confirmed and open; SO2 closed; SO3 a draft.
		so1 := b.add(sdoc{typ: "sales_order", partner: c.ID, day: D(20), gross: "500", lines: []domain.DocLine{sline(x.ID, pcs, 1, "40", "12.50")}})
		b.add(sdoc{typ: "sales_order", partner: c.ID, day: D(40), gross: "100", closed: true})
		b.add(sdoc{typ: "sales_order", partner: c.ID, day: D(1), gross: "900", state: domain.DocDraft})
		// Shipments and a counter sale: SH1 on D(30) 10 X at 12.00 and 5 Y
		// at 20.00; SH2 on D(10) 4 X at 11.00 and 2 boxes of Z (24) at
		// 100.00; POS1 on D(2) 1 Y at 21.00.
		sh1 := b.add(sdoc{typ: "sales_shipment", partner: c.ID, day: D(30), gross: "220",
			lines: []domain.DocLine{sline(x.ID, pcs, 1, "10", "12"), sline(y.ID, pcs, 1, "5", "20")}})
		sh2 := b.add(sdoc{typ: "sales_shipment", partner: c.ID, day: D(10), gross: "244",
			lines: []domain.DocLine{sline(x.ID, pcs, 1, "4", "11"), sline(z.ID, box.ID, 12, "2", "100")}})
		pos1 := b.add(sdoc{typ: "pos_sale", partner: c.ID, day: D(2), gross: "21", lines: []domain.DocLine{sline(y.ID, pcs, 1, "1", "21")}})
		// Older than a year: history, not favourites.
		old := b.add(sdoc{typ: "sales_shipment", partner: c.ID, day: D(400), gross: "900", lines: []domain.DocLine{sline(y.ID, pcs, 1, "100", "9")}})
		// A draft shipment, and a shipment reversed (红冲): neither counts.
		b.add(sdoc{typ: "sales_shipment", partner: c.ID, day: D(1), state: domain.DocDraft, lines: []domain.DocLine{sline(x.ID, pcs, 1, "1000", "1")}})
		rev := b.add(sdoc{typ: "sales_shipment", partner: c.ID, day: D(5), gross: "500", lines: []domain.DocLine{sline(x.ID, pcs, 1, "50", "10")}})
		rev2 := b.add(sdoc{typ: "sales_shipment", partner: c.ID, day: D(5), gross: "-500", lines: []domain.DocLine{sline(x.ID, pcs, 1, "-50", "10")}})
		noErr(t, "link reversal", db.Update(ctx, func(tx *store.Tx) error {
			rev2.ReversesID = &rev.ID
			if _, err := tx.ExecContext(ctx, "UPDATE documents SET reverses_id = ? WHERE id = ?", rev.ID, rev2.ID); err != nil {
				return err
			}
			rev.ReversedByID = &rev2.ID
			return tx.SetDocState(ctx, &rev, domain.DocPosted, domain.DocPosted)
		}))
		// A return on D(1): 2 X credited 22.00 on the account, not applied.
		ret := b.add(sdoc{typ: "sales_return", partner: c.ID, day: D(1), gross: "22", lines: []domain.DocLine{sline(x.ID, pcs, 1, "2", "11")},
			kind: store.Receivable, ledger: "-22"})
		// The account (应收): INV1 220.00 fully collected, INV2 244.00 of
		// which 100.00 collected, by RCPT1 320.00 applied in full.
		b.add(sdoc{typ: "sales_invoice", partner: c.ID, day: D(25), gross: "220", settled: "220", kind: store.Receivable, ledger: "220"})
		inv2 := b.add(sdoc{typ: "sales_invoice", partner: c.ID, day: D(9), gross: "244", settled: "100", kind: store.Receivable, ledger: "244"})
		b.add(sdoc{typ: "receipt", partner: c.ID, day: D(8), gross: "320", settled: "320", kind: store.Receivable, ledger: "-320"})
		// C1 is a supplier too: a bill of 50.00 we owe it.
		b.add(sdoc{typ: domain.DocPurchaseBill, partner: c.ID, day: D(6), gross: "50", kind: store.Payable, ledger: "50"})
		// Another customer's sales count for nothing here.
		b.add(sdoc{typ: "sales_shipment", partner: c2.ID, day: D(3), gross: "1", lines: []domain.DocLine{sline(z.ID, pcs, 1, "1000", "1")},
			kind: store.Receivable, ledger: "1"})

		// ---------------------------------------------------------- overview
		o, err := f.svc.CustomerOverview(ctx, f.admin, c.ID, service.OverviewOptions{History: store.Page{Limit: 3}})
		noErr(t, "CustomerOverview", err)
		// Balance: 220 + 244 − 320 − 22 = 122.00; open INV2 244 − 100 =
		// 144.00; the return's 22.00 is unapplied.
		if o.Receivable.Balance != mustMoney("122") || o.Receivable.Open != mustMoney("144") || o.Receivable.Unapplied != mustMoney("22") {
			t.Errorf("receivable = balance %s open %s unapplied %s; want 122.00, 144.00, 22.00", o.Receivable.Balance, o.Receivable.Open, o.Receivable.Unapplied)
		}
		if o.Payable == nil || o.Payable.Balance != mustMoney("50") {
			t.Errorf("payable = %+v, want balance 50.00", o.Payable)
		}
		docIDs := func(ds []store.PartnerDoc) []int64 {
			out := []int64{}
			for _, d := range ds {
				out = append(out, d.DocumentID)
			}
			return out
		}
		check("open orders", docIDs(o.OpenOrders), []int64{so1.ID})
		check("open invoices", docIDs(o.OpenInvoices), []int64{inv2.ID})
		if len(o.OpenInvoices) == 1 && (o.OpenInvoices[0].Open == nil || *o.OpenInvoices[0].Open != mustMoney("144")) {
			t.Errorf("INV2 open %v, want 144.00", o.OpenInvoices[0].Open)
		}
		// History, newest first: RET (D1), POS1 (D2), SH2 (D10) | SH1, old.
		check("history page 1", docIDs(o.History), []int64{ret.ID, pos1.ID, sh2.ID})
		if o.HistoryTotal != 5 {
			t.Errorf("history total %d, want 5", o.HistoryTotal)
		}
		page2, err := f.svc.CustomerOverview(ctx, f.admin, c.ID, service.OverviewOptions{History: store.Page{Limit: 3, Offset: 3}})
		noErr(t, "CustomerOverview page 2", err)
		check("history page 2", docIDs(page2.History), []int64{sh1.ID, old.ID})
		// Favourites over the year: Z 24 (2 boxes), X 10 + 4 = 14, Y 5 + 1
		// = 6 (the 100 Y of D(400) are too old, the return does not count).
		want := []store.FavouriteItem{
			{ItemID: z.ID, Code: "Z", Name: "整箱货", BaseUnit: "个", Qty: mustQty("24"), Times: 1, LastDate: D(10), LastPrice: mustPrice("100"), LastUnit: "箱"},
			{ItemID: x.ID, Code: x.Code, Name: x.Name, BaseUnit: "个", Qty: mustQty("14"), Times: 2, LastDate: D(10), LastPrice: mustPrice("11"), LastUnit: "个"},
			{ItemID: y.ID, Code: y.Code, Name: y.Name, BaseUnit: "个", Qty: mustQty("6"), Times: 2, LastDate: D(2), LastPrice: mustPrice("21"), LastUnit: "个"},
		}
		if diff := cmp.Diff(want, o.Favourites); diff != "" {
			t.Errorf("favourites mismatch (-want +got):\n%s", diff)
		}
		// Last follow-up: f2 (today); next action: f2, since f1 is done.
		if o.LastFollowUp == nil || o.LastFollowUp.ID != f2.ID {
			t.Errorf("last follow-up %+v, want f2", o.LastFollowUp)
		}
		if o.NextAction == nil || o.NextAction.ID != f2.ID {
			t.Errorf("next action %+v, want f2", o.NextAction)
		}
		_, err = f.svc.SetFollowUpDone(ctx, sales, c.ID, f1.ID, false)
		noErr(t, "reopen f1", err)
		o, err = f.svc.CustomerOverview(ctx, reader, c.ID, service.OverviewOptions{})
		noErr(t, "CustomerOverview as reader", err)
		if o.NextAction == nil || o.NextAction.ID != f1.ID {
			t.Errorf("next action after reopening f1: %+v, want f1", o.NextAction)
		}
		// Payables are for those who may read them.
		if o.Payable != nil {
			t.Errorf("reader sees payable %+v, want none", o.Payable)
		}

		// A customer with nothing yet: zeros and empty lists.
		o, err = f.svc.CustomerOverview(ctx, f.admin, c2.ID, service.OverviewOptions{})
		noErr(t, "CustomerOverview C2", err)
		if o.Receivable.Balance != mustMoney("1") || o.Payable != nil || len(o.OpenOrders) != 0 || len(o.Favourites) != 1 || o.NextAction == nil {
			t.Errorf("C2 overview = %+v", o)
		}
		_, err = f.svc.CustomerOverview(ctx, f.admin, op.ID, service.OverviewOptions{})
		wantCode(t, "another company's partner", err, domain.ENotFound)
	})
}
