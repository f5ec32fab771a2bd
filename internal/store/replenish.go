package store

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// ReplenishFacts are what replenishment knows of one item in one
// warehouse: its levels, stock, open orders and daily demand.
type ReplenishFacts struct {
	Item                                  domain.Item
	SafetyQty, MinQty, MaxQty, ReorderQty domain.Qty
	OnHand, Reserved, OnOrder             domain.Qty
	Demand                                map[domain.Date]domain.Qty // base units per day
	HasLevels                             bool
}

// DemandReasons are the other-issue reasons that count as demand
// (consumption), besides goods issued to customers.
var DemandReasons = []string{"internal_use", "sample", "gift"}

// ReplenishFactsOf gathers the facts of every item of the warehouse that
// has stock levels there, stock, an open order or demand since from.
func (tx *Tx) ReplenishFactsOf(ctx context.Context, companyID, warehouseID int64, from, to domain.Date) (map[int64]*ReplenishFacts, error) {
	out := map[int64]*ReplenishFacts{}
	get := func(id int64) *ReplenishFacts {
		f := out[id]
		if f == nil {
			f = &ReplenishFacts{Demand: map[domain.Date]domain.Qty{}}
			out[id] = f
		}
		return f
	}
	var levels []struct {
		ItemID                                int64
		SafetyQty, MinQty, MaxQty, ReorderQty domain.Qty
	}
	if err := tx.NewSelect().TableExpr("item_levels").Column("item_id", "safety_qty", "min_qty", "max_qty", "reorder_qty").
		Where("company_id = ? AND warehouse_id = ?", companyID, warehouseID).Scan(ctx, &levels); err != nil {
		return nil, err
	}
	for _, l := range levels {
		f := get(l.ItemID)
		f.SafetyQty, f.MinQty, f.MaxQty, f.ReorderQty, f.HasLevels = l.SafetyQty, l.MinQty, l.MaxQty, l.ReorderQty, true
	}
	var stock []struct {
		ItemID           int64
		OnHand, Reserved domain.Qty
	}
	if err := tx.NewSelect().TableExpr("stock_balances").ColumnExpr("item_id, SUM(on_hand) AS on_hand, SUM(reserved) AS reserved").
		Where("company_id = ? AND warehouse_id = ?", companyID, warehouseID).GroupExpr("item_id").
		Having("SUM(on_hand) <> 0 OR SUM(reserved) <> 0").Scan(ctx, &stock); err != nil {
		return nil, err
	}
	for _, s := range stock {
		f := get(s.ItemID)
		f.OnHand, f.Reserved = s.OnHand, s.Reserved
	}
	var open []struct {
		ItemID int64
		Open   domain.Qty
	}
	if err := tx.NewSelect().TableExpr("document_lines AS l").ColumnExpr("l.item_id, SUM(l.base_qty - l.received_qty) AS open").
		Join("JOIN documents AS d ON d.id = l.document_id").
		Where("d.company_id = ? AND d.warehouse_id = ? AND d.type = ? AND d.state = ? AND d.closed = FALSE AND d.reversed_by_id IS NULL",
			companyID, warehouseID, domain.DocPurchaseOrder, domain.DocPosted).
		Where("l.closed = FALSE AND l.received_qty < l.base_qty").GroupExpr("l.item_id").Scan(ctx, &open); err != nil {
		return nil, err
	}
	for _, o := range open {
		get(o.ItemID).OnOrder = o.Open
	}
	var demand []struct {
		ItemID  int64
		DocDate string
		Qty     domain.Qty
	}
	err := tx.NewSelect().TableExpr("stock_ledger AS s").ColumnExpr("s.item_id, s.doc_date, SUM(-s.qty) AS qty").
		Join("JOIN locations AS loc ON loc.id = s.location_id").
		Join("JOIN locations AS c ON c.id = s.counter_id").
		Join("JOIN documents AS d ON d.id = s.document_id").
		Where("s.company_id = ? AND loc.warehouse_id = ? AND s.kind = ? AND s.doc_date >= ? AND s.doc_date <= ?",
			companyID, warehouseID, domain.LegMove, from.String(), to.String()).
		Where("(c.kind = ? OR (s.doc_type = ? AND d.reason IN (?)))", domain.LocCustomer, domain.DocStockOut, bun.In(DemandReasons)).
		Where("d.reverses_id IS NULL AND d.reversed_by_id IS NULL").
		GroupExpr("s.item_id, s.doc_date").Scan(ctx, &demand)
	if err != nil {
		return nil, err
	}
	for _, d := range demand {
		day, err := domain.ParseDate(d.DocDate)
		if err != nil {
			return nil, err
		}
		get(d.ItemID).Demand[day] += d.Qty
	}
	return out, nil
}

// LastPrice is the net price per base unit a supplier last delivered an
// item at.
type LastPrice struct {
	ItemID, PartnerID int64
	Price             domain.Price
}

// LastPrices returns, per item and supplier, the price of the latest
// posted receipt line since from (net per accepted base unit).
func (tx *Tx) LastPrices(ctx context.Context, companyID int64, items []int64, from domain.Date) ([]LastPrice, error) {
	if len(items) == 0 {
		return nil, nil
	}
	var rows []struct {
		ItemID, PartnerID int64
		Amount            domain.Money
		Qty               domain.Qty
		BaseQty           domain.Qty
		RejectedQty       domain.Qty
		Factor            domain.Qty
		DocDate           string
		ID                int64
	}
	err := tx.NewSelect().TableExpr("document_lines AS l").
		ColumnExpr("l.item_id, d.partner_id, l.amount, l.qty, l.base_qty, l.rejected_qty, l.factor, d.doc_date, l.id").
		Join("JOIN documents AS d ON d.id = l.document_id").
		Where("d.company_id = ? AND d.type = ? AND d.state = ? AND d.reversed_by_id IS NULL AND d.doc_date >= ?",
			companyID, domain.DocPurchaseReceipt, domain.DocPosted, from.String()).
		Where("l.item_id IN (?)", bun.In(items)).OrderExpr("d.doc_date, l.id").Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	type key struct{ item, partner int64 }
	last := map[key]LastPrice{}
	var order []key
	for _, r := range rows {
		accepted := (&domain.DocLine{Qty: r.Qty, RejectedQty: r.RejectedQty, Factor: r.Factor, BaseQty: r.BaseQty}).StockQty()
		if accepted <= 0 {
			continue
		}
		k := key{r.ItemID, r.PartnerID}
		if _, ok := last[k]; !ok {
			order = append(order, k)
		}
		last[k] = LastPrice{ItemID: r.ItemID, PartnerID: r.PartnerID, Price: r.Amount.UnitPrice(accepted)}
	}
	out := make([]LastPrice, 0, len(order))
	for _, k := range order {
		out = append(out, last[k])
	}
	return out, nil
}
