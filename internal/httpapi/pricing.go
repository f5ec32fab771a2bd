package httpapi

import (
	"context"
	"net/http"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
)

type promotionListIn struct {
	ListParams
	Kind   string `query:"kind" enum:",percent,fixed,threshold,buy_get"`
	On     string `query:"on" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"Only promotions running on this business date"`
	ItemID int64  `query:"item_id" doc:"Promotions naming this item"`
}

// pricingRoutes: promotions (促销) as master data beside the price lists,
// and the price of a bill's lines for the sales screens and the POS.
func (s *Server) pricingRoutes() {
	svc := s.svc
	register(s, http.MethodGet, "/promotions", "listPromotions", "promotions", "List promotions", "data.price_list.read",
		func(ctx context.Context, p *domain.Principal, in *promotionListIn) (*Out[Page[domain.Promotion]], error) {
			f := service.PromotionFilter{ListFilter: in.filter(), Kind: in.Kind, On: in.On, ItemID: in.ItemID}
			items, n, err := svc.Promotions(ctx, p, f)
			return page(items, n, in.ListParams), err
		})
	crud(s, "/promotions", "Promotion", "promotions", "data.price_list", svc.Promotion, svc.CreatePromotion, svc.UpdatePromotion, svc.ArchivePromotion, svc.DeletePromotion)
	register(s, http.MethodPost, "/sales/price", "priceSalesLines", "sales",
		"Price a bill's lines (取价): each line's price, the rule that set it (customer list, tier list, quantity break, item default) "+
			"and why, promotions, gift lines, the threshold discount and whether a price is below the item's minimum", "sales.order.read",
		func(ctx context.Context, p *domain.Principal, in *bodyIn[service.PriceRequest]) (*Out[domain.PriceResult], error) {
			r, err := svc.PriceLines(ctx, p, in.Body)
			return &Out[domain.PriceResult]{Body: r}, err
		})
}
