package service_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// TestAccountJournal: a bank account opened with 1000.00 ten days ago
// takes a receipt of 300.00, pays 120.00 and 50.00 (the 50.00 reversed
// the next day), and at the counter takes 10.00 by card and refunds 5.00:
// it holds 1000.00 + 310.00 − 125.00 = 1185.00. Its journal of any range
// opens with the balance before it and runs row by row to the balance at
// its end; the opening balance is a row of its own day.
func TestAccountJournal(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpSales(t, db)
		today := f.svc.Today()
		day := func(n int) domain.Date { return domain.Date{Time: today.AddDate(0, 0, -n)} }
		d0, d1, d2, d3 := day(10), day(5), day(3), day(1)
		bank, err := f.svc.CreateAccount(ctx, f.admin, domain.Account{Code: "B2", Name: "建行", Kind: domain.AccountBank, OpeningBalance: mustMoney("1000"), OpeningDate: &d0})
		noErr(t, "bank", err)
		cash, err := f.svc.CreateAccount(ctx, f.admin, domain.Account{Code: "CASH", Name: "钱箱", Kind: domain.AccountCash})
		noErr(t, "cash", err)
		supplier, err := f.svc.CreatePartner(ctx, f.admin, domain.Partner{Code: "S1", Name: "供应商甲", NameEn: "Supplier A", Kind: domain.PartnerSupplier})
		noErr(t, "supplier", err)

		_, err = f.svc.CreateReceipt(ctx, f.admin, domain.Document{PartnerID: &f.customer.ID, AccountID: &bank.ID, Date: d1, GrossAmount: mustMoney("300")}, true, nil)
		noErr(t, "receipt", err)
		_, err = f.svc.CreatePayment(ctx, f.admin, domain.Document{PartnerID: &supplier.ID, AccountID: &bank.ID, Date: d2, GrossAmount: mustMoney("120")}, true, nil)
		noErr(t, "payment", err)
		wrong, err := f.svc.CreatePayment(ctx, f.admin, domain.Document{PartnerID: &supplier.ID, AccountID: &bank.ID, Date: d2, GrossAmount: mustMoney("50")}, true, nil)
		noErr(t, "payment", err)
		_, err = f.svc.ReversePurchaseDoc(ctx, f.admin, domain.DocPayment, wrong.ID, d3, "付重了")
		noErr(t, "reverse", err)
		// A draft moves nothing.
		_, err = f.svc.CreatePayment(ctx, f.admin, domain.Document{PartnerID: &supplier.ID, AccountID: &bank.ID, Date: d2, GrossAmount: mustMoney("999")}, false, nil)
		noErr(t, "draft", err)

		x, err := f.svc.CreateItem(ctx, f.admin, domain.Item{Code: "COLA", Name: "可乐", BaseUnitID: f.items[0].BaseUnitID, RetailPrice: mustPrice("5"), TaxRate: domain.RateOf(13)})
		noErr(t, "item", err)
		f.post(t, domain.Document{Type: domain.DocStockOpening, WarehouseID: f.w1.ID, Lines: []domain.DocLine{line(x.ID, "20", "2")}})
		sale, err := f.svc.CreatePOSSale(ctx, f.admin, domain.Document{WarehouseID: f.w1.ID, Lines: []domain.DocLine{{ItemID: x.ID, Qty: mustQty("2")}},
			Payments: []domain.Payment{{Method: domain.PayCard, AccountID: &bank.ID, Tendered: mustMoney("10")}}})
		noErr(t, "sale", err)
		_, err = f.svc.CreatePOSReturn(ctx, f.admin, domain.Document{WarehouseID: f.w1.ID, Lines: []domain.DocLine{{SourceLineID: sale.Lines[0].ID, Qty: mustQty("1")}},
			Payments: []domain.Payment{{Method: domain.PayCard, AccountID: &bank.ID, Tendered: mustMoney("5")}}})
		noErr(t, "return", err)

		balances := func(asOf domain.Date) map[int64]store.AccountBalance {
			t.Helper()
			bs, err := f.svc.AccountBalances(ctx, f.admin, asOf)
			noErr(t, "AccountBalances", err)
			out := map[int64]store.AccountBalance{}
			for _, b := range bs {
				out[b.AccountID] = b
			}
			return out
		}
		b := balances(domain.Date{})[bank.ID]
		if b.Opening != mustMoney("1000") || b.In != mustMoney("310") || b.Out != mustMoney("125") || b.Balance != mustMoney("1185") ||
			b.LastDate == nil || *b.LastDate != today {
			t.Errorf("bank now: %+v", b)
		}
		if c := balances(domain.Date{})[cash.ID]; c.Balance != 0 || c.LastDate != nil {
			t.Errorf("cash: %+v", c)
		}
		if b := balances(d2)[bank.ID]; b.Balance != mustMoney("1130") {
			t.Errorf("bank on %s: %+v, want 1130.00", d2, b)
		}
		if b := balances(day(11))[bank.ID]; b.Balance != 0 || b.Opening != 0 {
			t.Errorf("bank before its opening: %+v, want nothing", b)
		}

		type row struct{ number, in, out, balance string }
		journal := func(from, to domain.Date, limit, offset int) (store.AccountJournal, []row) {
			t.Helper()
			j, err := f.svc.AccountJournal(ctx, f.admin, bank.ID, from, to, limit, offset)
			noErr(t, "AccountJournal", err)
			var rows []row
			for _, r := range j.Rows {
				n := r.Number
				if r.DocumentID == 0 {
					n = "opening"
				}
				rows = append(rows, row{n, r.In.String(), r.Out.String(), r.Balance.String()})
			}
			return j, rows
		}
		j, rows := journal(d2, today, 0, 0)
		want := []row{{"FK", "0.00", "120.00", "1180.00"}, {"FK", "0.00", "50.00", "1130.00"}, {"FK", "0.00", "-50.00", "1180.00"},
			{"LS", "10.00", "0.00", "1190.00"}, {"LT", "0.00", "5.00", "1185.00"}}
		if j.Opening != mustMoney("1300") || j.In != mustMoney("10") || j.Out != mustMoney("125") || j.Closing != mustMoney("1185") || j.Total != 5 ||
			!sameRows(rows, want) {
			t.Errorf("journal %s – %s: opening %s in %s out %s closing %s total %d\n rows %v\nwant %v", d2, today, j.Opening, j.In, j.Out, j.Closing, j.Total, rows, want)
		}
		if !j.Rows[2].Reversal || j.Rows[0].PartnerNameEn != "Supplier A" || j.Rows[0].PartnerID == nil || *j.Rows[0].PartnerID != supplier.ID {
			t.Errorf("rows: %+v", j.Rows[:3])
		}

		j, rows = journal(day(12), d1, 0, 0)
		want = []row{{"opening", "1000.00", "0.00", "1000.00"}, {"SK", "300.00", "0.00", "1300.00"}}
		// The opening balance is the range's opening figure, not money in.
		if j.Opening != mustMoney("1000") || j.In != mustMoney("300") || j.Closing != mustMoney("1300") || j.Total != 2 || !sameRows(rows, want) {
			t.Errorf("journal with the opening day: opening %s in %s closing %s total %d rows %v", j.Opening, j.In, j.Closing, j.Total, rows)
		}

		// Pages keep the running balance of the whole range.
		j, rows = journal(day(12), today, 2, 2)
		want = []row{{"FK", "0.00", "120.00", "1180.00"}, {"FK", "0.00", "50.00", "1130.00"}}
		if j.Total != 7 || j.Opening != mustMoney("1000") || j.Closing != mustMoney("1185") || !sameRows(rows, want) {
			t.Errorf("page 2: total %d rows %v", j.Total, rows)
		}

		_, err = f.svc.AccountJournal(ctx, f.admin, bank.ID, today, d1, 0, 0)
		wantField(t, "to before from", err, "to", "before_start")
		_, err = f.svc.AccountJournal(ctx, f.admin, bank.ID+cash.ID+100, d1, today, 0, 0)
		wantCode(t, "unknown account", err, domain.ENotFound)
	})
}

// sameRows compares journal rows, numbers by their prefix.
func sameRows[T interface{ comparable }](got, want []T) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		g, w := fmt.Sprint(got[i]), fmt.Sprint(want[i])
		// {FK20261201-0001 0.00 …} against {FK 0.00 …}
		gs, ws := strings.SplitN(g[1:], " ", 2), strings.SplitN(w[1:], " ", 2)
		if !strings.HasPrefix(gs[0], ws[0]) || gs[1] != ws[1] {
			return false
		}
	}
	return true
}
