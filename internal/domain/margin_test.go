package domain_test

import (
	"testing"

	"github.com/jxc-erp/jxc/internal/domain"
)

func TestMargin(t *testing.T) {
	for _, c := range []struct {
		profit, sales domain.Money
		want          string // "" = nil
	}{
		{domain.MoneyOf(250), domain.MoneyOf(1000), "25.00"},
		{1, 3, "33.33"},            // 0.01 of 0.03
		{2, 3, "66.67"},            // rounded half away from zero
		{-1, 3, "-33.33"},          // a loss
		{-2, 3, "-66.67"},          // rounded away from zero too
		{domain.MoneyOf(5), 0, ""}, // nothing sold
		{domain.MoneyOf(5), -100, ""},
	} {
		got := domain.Margin(c.profit, c.sales)
		switch {
		case c.want == "" && got != nil:
			t.Errorf("Margin(%v, %v) = %v, want nil", c.profit, c.sales, got)
		case c.want != "" && (got == nil || got.String() != c.want):
			t.Errorf("Margin(%v, %v) = %v, want %s", c.profit, c.sales, got, c.want)
		}
	}
}
