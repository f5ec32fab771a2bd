package demo

import (
	"fmt"
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
)

// promotions: a New Year season of the kinds a distributor runs — drinks
// 10 % off, spend 500 save 30 (every 500), water buy 24 get 1 — and an
// exclusive 15 % on snacks for VIP customers, so the price check has
// something to explain. The season runs from the first of this month to
// the end of the month after next, so a demo made on any day has it
// running (it was fixed to 2026-12-01 … 2027-02-28 and would have ended).
func (l *loader) promotions() error {
	now := time.Now()
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	from, to := domain.Date{Time: first}, domain.Date{Time: first.AddDate(0, 3, -1)}
	cat := func(code string) []int64 { return []int64{l.r.cat[code]} }
	for _, p := range []domain.Promotion{
		{Code: "NY-BEV10", Name: "新春饮料九折", NameEn: "New Year drinks 10% off", Kind: domain.PromoPercent, Rate: domain.RateOf(10),
			Scope: domain.ScopeCategory, CategoryIDs: cat("BEV"), Priority: 10},
		{Code: "NY-MJ500", Name: "新春每满500减30", NameEn: "New Year: 30 off every 500", Kind: domain.PromoThreshold,
			Threshold: domain.MoneyOf(500), Amount: domain.MoneyOf(30), Repeat: true, Scope: domain.ScopeAll},
		{Code: "NY-WAT24", Name: "饮用水买24赠1", NameEn: "Water: buy 24 get 1 free", Kind: domain.PromoBuyGet,
			BuyQty: domain.QtyOf(24), GetQty: domain.QtyOf(1), Scope: domain.ScopeCategory, CategoryIDs: cat("BEV-WAT")},
		{Code: "VIP-SNK15", Name: "VIP零食85折(独享)", NameEn: "VIP snacks 15% off (exclusive)", Kind: domain.PromoPercent, Rate: domain.RateOf(15),
			Scope: domain.ScopeCategory, CategoryIDs: cat("SNK"), Tiers: []string{"VIP"}, Exclusive: true, Priority: 20},
	} {
		p.ValidFrom, p.ValidTo = from, to
		if _, err := l.svc.CreatePromotion(l.ctx, l.p, p); err != nil {
			return fmt.Errorf("%s: %w", p.Code, err)
		}
	}
	return nil
}
