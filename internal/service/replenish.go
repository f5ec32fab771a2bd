package service

import (
	"context"
	"maps"
	"slices"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// Replenishment (补货建议) for one warehouse: for every item with levels,
// stock, open orders or demand there, the demand history in periods, the
// forecast chosen by backtest, the suggestion (domain.Suggest) and the
// supplier to buy from (domain.ChooseSupplier over the suppliers that
// delivered the item in the last year: their last net price per base unit,
// their average lead time and score from the scorecard).
//
// Demand is what left the warehouse to customers, plus other issues for
// internal use, samples and gifts (consumption); damage, loss and
// stocktake differences are not demand.

// ReplenishParams are the knobs of a suggestion run.
type ReplenishParams struct {
	WarehouseID int64
	PeriodDays  int         // length of a history period (7 = weeks)
	Periods     int         // how many periods of history
	Window      int         // moving-average window
	Alpha       domain.Rate // smoothing factor, percent
	All         bool        // also lines that need nothing
}

// DefaultLeadTimeDays is the lead time assumed for a supplier that has
// never delivered against an order.
const DefaultLeadTimeDays = 7

// ReplenishSupplier is the supplier a suggestion buys from.
type ReplenishSupplier struct {
	PartnerID    int64        `json:"partner_id"`
	Name         string       `json:"name"`
	NameEn       string       `json:"name_en" doc:"The supplier's English name (may be empty)"`
	Price        domain.Price `json:"price" doc:"Last net price per base unit"`
	LeadTimeDays int          `json:"lead_time_days"`
	Score        *domain.Rate `json:"score"`
}

// ReplenishLine is one item's suggestion.
type ReplenishLine struct {
	ItemID       int64               `json:"item_id"`
	ItemCode     string              `json:"item_code"`
	ItemName     string              `json:"item_name"`
	ItemNameEn   string              `json:"item_name_en" doc:"The item's English name (may be empty)"`
	UnitID       int64               `json:"unit_id" doc:"The base unit; quantities are base units"`
	OnHand       domain.Qty          `json:"on_hand"`
	Reserved     domain.Qty          `json:"reserved"`
	OnOrder      domain.Qty          `json:"on_order"`
	SafetyQty    domain.Qty          `json:"safety_qty"`
	MinQty       domain.Qty          `json:"min_qty"`
	MaxQty       domain.Qty          `json:"max_qty"`
	ReorderQty   domain.Qty          `json:"reorder_qty"`
	MOQ          domain.Qty          `json:"moq"`
	PackQty      domain.Qty          `json:"pack_qty"`
	History      []domain.Qty        `json:"history" doc:"Demand per period, oldest first"`
	Forecast     domain.Forecast     `json:"forecast"`
	LeadTimeDays int                 `json:"lead_time_days"`
	Supplier     *ReplenishSupplier  `json:"supplier"`
	Offers       []ReplenishSupplier `json:"offers" doc:"Every supplier that delivered the item in the last year"`
	domain.Suggestion
}

// Replenish computes the suggestions of a warehouse, needed ones first.
func (s *Service) Replenish(ctx context.Context, p *domain.Principal, rp ReplenishParams) ([]ReplenishLine, error) {
	var f domain.Fields
	if rp.WarehouseID <= 0 {
		f.Add("warehouse_id", "required")
	}
	if rp.PeriodDays < 1 || rp.PeriodDays > 365 {
		f.Add("period_days", "range", "min", "1", "max", "365")
	}
	if rp.Periods < 2 || rp.Periods > 104 {
		f.Add("periods", "range", "min", "2", "max", "104")
	}
	if rp.Window < 1 || rp.Window >= rp.Periods {
		f.Add("window", "range", "min", "1", "max", "periods − 1")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if !p.CanWarehouse(rp.WarehouseID) {
		return nil, domain.FieldErr("warehouse_id", "unknown_reference")
	}
	today := s.today()
	// Whole periods ending yesterday: today is not over.
	end := domain.Date{Time: today.AddDate(0, 0, -1)}
	start := domain.Date{Time: end.AddDate(0, 0, 1-rp.PeriodDays*rp.Periods)}
	var out []ReplenishLine
	err := s.db.View(ctx, func(tx *store.Tx) error {
		if err := tx.MustExist(ctx, "warehouses", p.CompanyID, "warehouse_id", rp.WarehouseID); err != nil {
			return err
		}
		facts, err := tx.ReplenishFactsOf(ctx, p.CompanyID, rp.WarehouseID, start, end)
		if err != nil {
			return err
		}
		ids := slices.Sorted(maps.Keys(facts))
		items := map[int64]domain.Item{}
		lines := make([]domain.DocLine, len(ids))
		for i, id := range ids {
			lines[i].ItemID = id
		}
		if err := loadItems(ctx, tx, p.CompanyID, lines, items); err != nil {
			return err
		}
		prices, err := tx.LastPrices(ctx, p.CompanyID, ids, domain.Date{Time: today.AddDate(-1, 0, 0)})
		if err != nil {
			return err
		}
		cards, err := s.scorecards(ctx, tx, p, 0, domain.Date{Time: today.AddDate(0, 0, -(ScorecardDays - 1))}, today)
		if err != nil {
			return err
		}
		card := map[int64]Scorecard{}
		for _, c := range cards {
			card[c.PartnerID] = c
		}
		names := map[int64][2]string{} // a partner's name and English name
		for _, id := range ids {
			it, ok := items[id]
			if !ok || it.IsTemplate || it.Archived {
				continue
			}
			fa := facts[id]
			hist := make([]domain.Qty, rp.Periods)
			for day, q := range fa.Demand {
				k := int(day.Sub(start.Time).Hours()/24) / rp.PeriodDays
				if k >= 0 && k < rp.Periods {
					hist[k] += q
				}
			}
			fc, err := domain.ChooseForecast(hist, rp.Window, rp.Alpha)
			if err != nil {
				return err
			}
			l := ReplenishLine{ItemID: id, ItemCode: it.Code, ItemName: it.Name, ItemNameEn: it.NameEn, UnitID: it.BaseUnitID, OnHand: fa.OnHand, Reserved: fa.Reserved,
				OnOrder: fa.OnOrder, SafetyQty: fa.SafetyQty, MinQty: fa.MinQty, MaxQty: fa.MaxQty, ReorderQty: fa.ReorderQty, MOQ: it.MOQ,
				PackQty: it.PackQty, History: hist, Forecast: fc, LeadTimeDays: DefaultLeadTimeDays, Offers: []ReplenishSupplier{}}
			var offers []domain.SupplierOffer
			for _, pr := range prices {
				if pr.ItemID != id {
					continue
				}
				o := ReplenishSupplier{PartnerID: pr.PartnerID, Price: pr.Price, LeadTimeDays: DefaultLeadTimeDays}
				if c, ok := card[pr.PartnerID]; ok {
					o.Name, o.NameEn, o.Score = c.Name, c.NameEn, c.Score
					if c.LeadTimeDays != nil {
						o.LeadTimeDays = int((int64(*c.LeadTimeDays) + 9) / 10) // tenths of a day, up to whole days
					}
				}
				if o.Name == "" {
					if names[pr.PartnerID][0] == "" {
						pt, err := tx.Partner(ctx, p.CompanyID, pr.PartnerID)
						if err != nil {
							return err
						}
						names[pr.PartnerID] = [2]string{pt.Name, pt.NameEn}
					}
					o.Name, o.NameEn = names[pr.PartnerID][0], names[pr.PartnerID][1]
				}
				var score domain.Rate
				if o.Score != nil {
					score = *o.Score
				}
				offers = append(offers, domain.SupplierOffer{PartnerID: o.PartnerID, Price: o.Price, LeadTimeDays: o.LeadTimeDays, Score: score})
				l.Offers = append(l.Offers, o)
			}
			if k, ok := domain.ChooseSupplier(offers); ok {
				l.Supplier = &l.Offers[k]
				l.LeadTimeDays = l.Supplier.LeadTimeDays
			}
			sg, err := domain.Suggest(domain.ReplenishInput{OnHand: fa.OnHand, Reserved: fa.Reserved, OnOrder: fa.OnOrder, SafetyQty: fa.SafetyQty,
				MinQty: fa.MinQty, MaxQty: fa.MaxQty, ReorderQty: fa.ReorderQty, Demand: fc.PerPeriod, PeriodDays: rp.PeriodDays,
				LeadTimeDays: l.LeadTimeDays, MOQ: it.MOQ, PackSize: it.PackQty})
			if err != nil {
				return err
			}
			l.Suggestion = sg
			if sg.Qty > 0 || rp.All {
				out = append(out, l)
			}
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b ReplenishLine) int {
		if (a.Qty > 0) != (b.Qty > 0) {
			if a.Qty > 0 {
				return -1
			}
			return 1
		}
		return 0
	})
	return out, err
}

// ReplenishOrderLine is an accepted suggestion: buy qty (base units) of
// an item from a supplier.
type ReplenishOrderLine struct {
	ItemID    int64      `json:"item_id" minimum:"1"`
	PartnerID int64      `json:"partner_id" minimum:"1"`
	Qty       domain.Qty `json:"qty"`
}

// ReplenishOrders turns accepted suggestions into draft purchase orders
// for the warehouse, one per supplier (in the order suppliers first
// appear), at each supplier's last price and the item's tax rate.
func (s *Service) ReplenishOrders(ctx context.Context, p *domain.Principal, warehouseID int64, lines []ReplenishOrderLine) ([]domain.Document, error) {
	if len(lines) == 0 {
		return nil, domain.FieldErr("lines", "required")
	}
	var ids []int64
	for _, l := range lines {
		ids = append(ids, l.ItemID)
	}
	prices, err := view(ctx, s, func(tx *store.Tx) ([]store.LastPrice, error) {
		return tx.LastPrices(ctx, p.CompanyID, ids, domain.Date{Time: s.today().AddDate(-1, 0, 0)})
	})
	if err != nil {
		return nil, err
	}
	var order []int64
	docs := map[int64]*domain.Document{}
	for _, l := range lines {
		d := docs[l.PartnerID]
		if d == nil {
			partner := l.PartnerID
			d = &domain.Document{Type: domain.DocPurchaseOrder, PartnerID: &partner, WarehouseID: warehouseID}
			docs[l.PartnerID] = d
			order = append(order, l.PartnerID)
		}
		var price domain.Price
		for _, pr := range prices {
			if pr.ItemID == l.ItemID && pr.PartnerID == l.PartnerID {
				price = pr.Price
			}
		}
		d.Lines = append(d.Lines, domain.DocLine{ItemID: l.ItemID, Qty: l.Qty, Price: price, ItemTax: true})
	}
	// Every order is checked first, then all are saved in one transaction.
	out := make([]domain.Document, 0, len(order))
	scs := make([]*stockCtx, 0, len(order)) // each order's numbering and the ids drawn with its number
	for _, partner := range order {
		d := *docs[partner]
		d.CompanyID, d.State, d.CreatedBy, d.Date = p.CompanyID, domain.DocDraft, p.UserID, s.today()
		pc, err := s.preparePurchaseDoc(ctx, p, &d)
		if err != nil {
			return nil, err
		}
		if err := s.number(ctx, &pc.stockCtx, &d); err != nil {
			return nil, err
		}
		scs = append(scs, &pc.stockCtx)
		out = append(out, d)
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		for i := range out {
			if err := s.createDoc(ctx, tx, scs[i], &out[i]); err != nil {
				return err
			}
			if err := audit(ctx, tx, p, "document", out[i].ID, "create", nil, &out[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}
