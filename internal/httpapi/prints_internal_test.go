package httpapi

import (
	"testing"

	"github.com/jxc-erp/jxc/internal/domain"
)

func TestPrintNumbers(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{fmtMoney(0), "0.00"},
		{fmtMoney(domain.MoneyOf(999)), "999.00"},
		{fmtMoney(domain.MoneyOf(1000)), "1,000.00"},
		{fmtMoney(-domain.MoneyOf(1234567) - 89), "-1,234,567.89"},
		{fmtPrice(domain.PriceOf(1288) + 5000), "1,288.50"},
		{fmtPrice(350), "0.035"},
	} {
		if tt.in != tt.want {
			t.Errorf("got %q, want %q", tt.in, tt.want)
		}
	}
}

// A reversal prints what it moves: the opposite of the original.
func TestLineAmount(t *testing.T) {
	rev := int64(1)
	for _, tt := range []struct {
		typ      domain.DocType
		reversal bool
		stored   domain.Money
		want     domain.Money
	}{
		{domain.DocStockIn, false, 500, 500},
		{domain.DocStockIn, true, 500, -500},  // stored as the original's value
		{domain.DocStockOut, true, 200, -200}, // the cost issued, returned
		{domain.DocStocktake, false, -1800, -1800},
		{domain.DocStocktake, true, 1800, 1800}, // stored already turned round
		{domain.DocAssembly, false, -400, 400},  // a component's cost, by the product's
		{domain.DocAssembly, true, 400, -400},
		{domain.DocDisassembly, true, -400, -400},
	} {
		d := domain.Document{Type: tt.typ}
		if tt.reversal {
			d.ReversesID = &rev
		}
		if got := lineAmount(d, domain.DocLine{Amount: tt.stored}); got != tt.want {
			t.Errorf("lineAmount(%s, reversal %v, %v) = %v, want %v", tt.typ, tt.reversal, tt.stored, got, tt.want)
		}
	}
}
