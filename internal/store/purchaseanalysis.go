package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// Purchase analysis (采购分析): what was bought over a date range, grouped
// by item, category, supplier, month or day — net quantity, purchases,
// returns, net purchases and, by item, the average unit cost. The lines of
// posted purchase receipts count as purchases, those of purchase returns as
// returns; a reversed document and its reversal are left out (they cancel),
// as in the sales analysis. A receipt line counts what it accepted (the
// quantity delivered less what failed inspection) at its amount, which is
// its net after its own and the whole-bill discount (domain.PriceTrade).

// The groupings of a purchase analysis (item, category, month and day are
// the sales analysis's).
const (
	PurchasesByItem     = SalesByItem
	PurchasesByCategory = SalesByCategory
	PurchasesBySupplier = "supplier"
	PurchasesByMonth    = SalesByMonth
	PurchasesByDay      = SalesByDay
)

// PurchaseGroupings lists them, for validation and the API's enum.
var PurchaseGroupings = []string{PurchasesByItem, PurchasesByCategory, PurchasesBySupplier, PurchasesByMonth, PurchasesByDay}

// PurchaseAnalysisRow is one group of a purchase analysis.
type PurchaseAnalysisRow struct {
	ID           int64         `json:"id" doc:"The item, category or supplier; 0 = none (no category) and for months and days"`
	Code         string        `json:"code" doc:"Its code (a month as 2026-12, a day as 2026-12-06)"`
	Name         string        `json:"name"`
	NameEn       string        `json:"name_en" doc:"The English name (may be empty)"`
	UnitName     string        `json:"unit_name" doc:"By item: the base unit qty is counted in"`
	UnitNameEn   string        `json:"unit_name_en" doc:"By item: the unit's English name (may be empty)"`
	Qty          domain.Qty    `json:"qty" doc:"Base units accepted less returned (by item; other groupings add different units)"`
	Purchases    domain.Money  `json:"purchases" doc:"Net (without tax) of the receipts' accepted quantities; 0 without data.cost.read"`
	Returns      domain.Money  `json:"returns" doc:"Net of purchase returns; 0 without data.cost.read"`
	NetPurchases domain.Money  `json:"net_purchases" doc:"purchases − returns; 0 without data.cost.read"`
	AvgCost      *domain.Price `json:"avg_cost" doc:"By item: net_purchases / qty per base unit, without tax; null for other groupings, when qty is not positive or without data.cost.read"`
	Documents    int           `json:"documents" doc:"Documents with lines in the group"`
}

// PurchaseAnalysisFilter selects a purchase analysis.
type PurchaseAnalysisFilter struct {
	CompanyID   int64
	By          string // one of PurchaseGroupings
	From, To    domain.Date
	WarehouseID int64
	Warehouses  map[int64]bool // the caller's warehouses when set
	PartnerID   int64          // the supplier
	ItemID      int64
	CategoryID  int64 // items of the category and its sub-categories
	Q           string
	// ByCode orders the groups by code instead of the largest net
	// purchases first: for a caller who may not see amounts, whom even
	// their ranking would tell.
	ByCode bool
	Page
}

// PurchaseAnalysisReport is a page of a purchase analysis with the sums of
// every group (not only the page's).
type PurchaseAnalysisReport struct {
	Rows   []PurchaseAnalysisRow
	Totals PurchaseAnalysisRow
	Total  int
}

// purchaseAnalysisQuery groups the lines of the documents the filter
// selects, found by company, type and date (documents_type_date).
func (tx *Tx) purchaseAnalysisQuery(f PurchaseAnalysisFilter) (*bun.SelectQuery, error) {
	g, ok := analysisGrouping(f.By)
	if !ok || f.By == SalesByCustomer || f.By == SalesBySalesperson {
		return nil, fmt.Errorf("purchase analysis by %q", f.By)
	}
	lines := tx.NewSelect().TableExpr("documents AS d").
		Join("JOIN document_lines AS l ON l.document_id = d.id").
		Join("JOIN items AS i ON i.id = l.item_id").
		// What a receipt line accepted, in base units: its base_qty when
		// nothing was rejected, else (qty − rejected) × factor rounded
		// half away from zero, as domain.DocLine.StockQty does.
		ColumnExpr("CASE WHEN l.rejected_qty = 0 THEN l.base_qty ELSE ((l.qty - l.rejected_qty) * l.factor + ?) / ? END AS base_qty",
			int64(domain.QtyOne/2), int64(domain.QtyOne)).
		ColumnExpr("l.item_id, COALESCE(i.category_id, 0) AS category_id, l.amount").
		ColumnExpr("d.id AS doc_id, d.type, COALESCE(d.partner_id, 0) AS partner_id, d.doc_date").
		Where("d.company_id = ? AND d.type IN (?) AND d.doc_date >= ? AND d.doc_date <= ?",
			f.CompanyID, bun.In([]domain.DocType{domain.DocPurchaseReceipt, domain.DocPurchaseReturn}), f.From.String(), f.To.String()).
		Where("d.state = ? AND d.reversed_by_id IS NULL AND d.reverses_id IS NULL", domain.DocPosted)
	if f.WarehouseID != 0 {
		lines = lines.Where("d.warehouse_id = ?", f.WarehouseID)
	}
	if f.Warehouses != nil {
		lines = lines.Where("d.warehouse_id IN (?)", bun.In(scopeIDs(f.Warehouses)))
	}
	if f.PartnerID != 0 {
		lines = lines.Where("d.partner_id = ?", f.PartnerID)
	}
	if f.ItemID != 0 {
		lines = lines.Where("l.item_id = ?", f.ItemID)
	}
	if f.CategoryID != 0 {
		lines = lines.Where("i.category_id IN (?)", tx.categorySubtree(f.CompanyID, f.CategoryID))
	}
	in := domain.DocPurchaseReceipt
	sums := tx.NewSelect().TableExpr("(?) AS x", lines).
		ColumnExpr(g.key+" AS k").
		ColumnExpr("SUM(CASE WHEN x.type = ? THEN x.base_qty ELSE -x.base_qty END) AS qty", in).
		ColumnExpr("SUM(CASE WHEN x.type = ? THEN x.amount ELSE 0 END) AS purchases", in).
		ColumnExpr("SUM(CASE WHEN x.type = ? THEN 0 ELSE x.amount END) AS returns", in).
		ColumnExpr("COUNT(DISTINCT x.doc_id) AS docs").
		GroupExpr(g.key)
	q := g.named(tx.NewSelect().TableExpr("(?) AS s", sums), f.Q).
		ColumnExpr("s.qty, s.purchases, s.returns, s.docs")
	switch {
	case g.dated(): // months and days, in order
		return q.OrderExpr("s.k"), nil
	case f.ByCode:
		return q.OrderExpr(g.code + ", s.k"), nil
	}
	return q.OrderExpr("s.purchases - s.returns DESC, s.k"), nil
}

func scanPurchaseAnalysis(byItem bool) func(context.Context, *bun.SelectQuery, func(PurchaseAnalysisRow) error, ...any) error {
	return func(ctx context.Context, q *bun.SelectQuery, emit func(PurchaseAnalysisRow) error, extra ...any) error {
		return eachRow(ctx, q, func(r *PurchaseAnalysisRow) []any {
			return []any{&r.ID, &r.Code, &r.Name, &r.NameEn, &r.UnitName, &r.UnitNameEn, &r.Qty, &r.Purchases, &r.Returns, &r.Documents}
		}, func(r *PurchaseAnalysisRow) error { r.finish(byItem); return nil }, emit, extra...)
	}
}

// finish adds what follows from the sums: the net, and by item the average
// unit cost (net per base unit, rounded half away from zero; none when
// nothing is left net, as a unit cost of a negative quantity means nothing).
func (r *PurchaseAnalysisRow) finish(byItem bool) {
	r.NetPurchases = r.Purchases - r.Returns
	r.AvgCost = nil
	if byItem && r.Qty > 0 {
		p := r.NetPurchases.UnitPrice(r.Qty)
		r.AvgCost = &p
	}
}

// PurchaseAnalysis returns a page of a purchase analysis, the largest net
// purchases first (months and days in order; by code when f.ByCode), with
// the number of groups and the sums of all of them.
func (tx *Tx) PurchaseAnalysis(ctx context.Context, f PurchaseAnalysisFilter) (PurchaseAnalysisReport, error) {
	var rep PurchaseAnalysisReport
	q, err := tx.purchaseAnalysisQuery(f)
	if err != nil {
		return rep, err
	}
	t := &rep.Totals
	rep.Rows, rep.Total, err = analysisPage(ctx, q, f.Page, scanPurchaseAnalysis(f.By == PurchasesByItem),
		"SUM(s.qty) OVER (), SUM(s.purchases) OVER (), SUM(s.returns) OVER ()", &t.Qty, &t.Purchases, &t.Returns)
	t.finish(false)
	return rep, err
}

// StreamPurchaseAnalysis hands on every group of a purchase analysis as it
// is read, in the order PurchaseAnalysis pages them.
func (tx *Tx) StreamPurchaseAnalysis(ctx context.Context, f PurchaseAnalysisFilter, emit func(PurchaseAnalysisRow) error) error {
	q, err := tx.purchaseAnalysisQuery(f)
	if err != nil {
		return err
	}
	return scanPurchaseAnalysis(f.By == PurchasesByItem)(ctx, q, emit)
}
