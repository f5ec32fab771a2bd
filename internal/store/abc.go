package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// ABC analysis (ABC 分类): the items with sales over a date range — the
// sales analysis's figures by item (delivery notes and counter sales less
// returns, net without tax, reversed documents left out) — ranked by a
// measure, net sales or gross profit, the largest first (ties by code).
// Each item's share is its measure over the sum of the positive measures;
// the cumulative share runs down the ranking. An item is class A while the
// cumulative share before it is below a percent, B while it is below b,
// else C; an item whose measure is zero or less is C (it ranks last, its
// cumulative share is that of every positive measure, 100.00). The running
// sums are window functions over the one grouping, so a page of a huge
// ledger reads the lines once and needs no earlier page.

// The measures an ABC analysis ranks by.
const (
	AbcBySales  = "sales"  // net sales
	AbcByProfit = "profit" // gross profit
)

// AbcMeasures lists them, for validation and the API's enum.
var AbcMeasures = []string{AbcBySales, AbcByProfit}

// The default thresholds: A up to 80 %, B up to 95 %.
var (
	AbcDefaultA = domain.RateOf(80)
	AbcDefaultB = domain.RateOf(95)
)

// AbcRow is one item of an ABC analysis.
type AbcRow struct {
	Rank        int          `json:"rank" doc:"1 for the largest measure"`
	ID          int64        `json:"id" doc:"The item"`
	Code        string       `json:"code"`
	Name        string       `json:"name"`
	NameEn      string       `json:"name_en" doc:"The English name (may be empty)"`
	UnitName    string       `json:"unit_name" doc:"The base unit qty is counted in"`
	UnitNameEn  string       `json:"unit_name_en" doc:"The unit's English name (may be empty)"`
	Qty         domain.Qty   `json:"qty" doc:"Base units sold less returned"`
	NetSales    domain.Money `json:"net_sales" doc:"Net (without tax) of delivery notes and counter sales less returns"`
	GrossProfit domain.Money `json:"gross_profit" doc:"net_sales − cost of goods; 0 without data.cost.read"`
	Measure     domain.Money `json:"measure" doc:"What the items are ranked by: net_sales or gross_profit"`
	Share       domain.Rate  `json:"share" doc:"measure / the sum of the positive measures, in percent (negative for a negative measure; 0 when no measure is positive)"`
	CumShare    domain.Rate  `json:"cum_share" doc:"The shares of this item and every item ranked above it (positive measures only), in percent"`
	Class       string       `json:"class" enum:"A,B,C" doc:"A while the cumulative share before the item is below a, B while below b, else C; C when the measure is 0 or less"`

	cost     domain.Money // cost of goods, for the gross profit
	sales    domain.Money // sales and returns, for the net sales
	returns  domain.Money
	cum, pos domain.Money // the running and the whole sum of positive measures
}

// AbcClassTotal sums one class.
type AbcClassTotal struct {
	Items   int          `json:"items" doc:"Items of the class"`
	Measure domain.Money `json:"measure" doc:"The sum of their measures"`
	Share   domain.Rate  `json:"share" doc:"measure / the sum of the positive measures, in percent"`
}

// AbcTotals sums an ABC analysis: each class and all of them.
type AbcTotals struct {
	A       AbcClassTotal `json:"a"`
	B       AbcClassTotal `json:"b"`
	C       AbcClassTotal `json:"c"`
	Items   int           `json:"items" doc:"Every item"`
	Measure domain.Money  `json:"measure" doc:"The sum of every measure (with those 0 or less: the net sales agree with the sales analysis's)"`
}

// AbcFilter selects an ABC analysis.
type AbcFilter struct {
	CompanyID   int64
	From, To    domain.Date
	Measure     string // one of AbcMeasures; net sales when empty
	A, B        domain.Rate
	WarehouseID int64
	Warehouses  map[int64]bool // the caller's warehouses when set
	CategoryID  int64          // items of the category and its sub-categories
	Q           string         // finds items in the ranking (rank, shares and class stay the whole ranking's)
	Page
}

// AbcReport is a page of an ABC analysis with the sums of every item the
// filter selects (not only the page's).
type AbcReport struct {
	Rows   []AbcRow
	Totals AbcTotals
	Total  int
}

// abcQuery ranks the items: the sales analysis's sums by item (s), each
// with its measure m, rank, running sum of positive measures cum and their
// whole sum pos (r), classed (c), then named and searched.
func (tx *Tx) abcQuery(f AbcFilter) (*bun.SelectQuery, error) {
	sums, g, err := tx.salesAnalysisSums(SalesAnalysisFilter{CompanyID: f.CompanyID, By: SalesByItem, From: f.From, To: f.To,
		WarehouseID: f.WarehouseID, Warehouses: f.Warehouses, CategoryID: f.CategoryID})
	if err != nil {
		return nil, err
	}
	m := "s.sales - s.returns"
	switch f.Measure {
	case AbcBySales, "":
	case AbcByProfit:
		m = "s.sales - s.returns - s.cost"
	default:
		return nil, fmt.Errorf("ABC analysis by %q", f.Measure)
	}
	a, b := f.A, f.B
	if a == 0 && b == 0 {
		a, b = AbcDefaultA, AbcDefaultB
	}
	pos := "CASE WHEN " + m + " > 0 THEN " + m + " ELSE 0 END"
	ranked := tx.NewSelect().TableExpr("(?) AS s", sums).
		Join("JOIN items AS ki ON ki.id = s.k").
		ColumnExpr("s.k, s.qty, s.sales, s.returns, s.cost, " + m + " AS m").
		ColumnExpr("ROW_NUMBER() OVER (ORDER BY " + m + " DESC, ki.code) AS rnk").
		ColumnExpr("SUM(" + pos + ") OVER (ORDER BY " + m + " DESC, ki.code ROWS UNBOUNDED PRECEDING) AS cum").
		ColumnExpr("SUM(" + pos + ") OVER () AS pos")
	// The share before the item is (cum − m) / pos (m counted in cum only
	// when positive, and a non-positive item is C anyway); below a percent
	// (a Rate, hundredths of a percent) is (cum − m) × 10000 < a × pos.
	classed := tx.NewSelect().TableExpr("(?) AS r", ranked).
		ColumnExpr("r.*").
		ColumnExpr("CASE WHEN r.m <= 0 THEN 'C' WHEN (r.cum - r.m) * 10000 < ? * r.pos THEN 'A' "+
			"WHEN (r.cum - r.m) * 10000 < ? * r.pos THEN 'B' ELSE 'C' END AS cls", int64(a), int64(b))
	return g.named(tx.NewSelect().TableExpr("(?) AS s", classed), f.Q).
		ColumnExpr("s.qty, s.sales, s.returns, s.cost, s.m, s.rnk, s.cum, s.pos, s.cls").
		OrderExpr("s.rnk"), nil
}

func scanAbc(ctx context.Context, q *bun.SelectQuery, emit func(AbcRow) error, extra ...any) error {
	return eachRow(ctx, q, func(r *AbcRow) []any {
		return []any{&r.ID, &r.Code, &r.Name, &r.NameEn, &r.UnitName, &r.UnitNameEn, &r.Qty, &r.sales, &r.returns, &r.cost,
			&r.Measure, &r.Rank, &r.cum, &r.pos, &r.Class}
	}, func(r *AbcRow) error { r.finish(); return nil }, emit, extra...)
}

func (r *AbcRow) finish() {
	r.NetSales = r.sales - r.returns
	r.GrossProfit = r.NetSales - r.cost
	r.Share, r.CumShare = abcShare(r.Measure, r.pos), abcShare(r.cum, r.pos)
}

// abcShare is part of whole in percent with two decimals, rounded half away
// from zero, in integers; 0 when the whole is not positive.
func abcShare(part, whole domain.Money) domain.Rate {
	if whole <= 0 {
		return 0
	}
	v, ok := domain.MulDivRound(int64(part), int64(domain.RateOf(100)), int64(whole))
	if !ok {
		return 0
	}
	return domain.Rate(v)
}

// AbcAnalysis returns a page of an ABC analysis in rank order with the
// number of items and the sums of every class (window sums, so the lines
// are read once).
func (tx *Tx) AbcAnalysis(ctx context.Context, f AbcFilter) (AbcReport, error) {
	var rep AbcReport
	q, err := tx.abcQuery(f)
	if err != nil {
		return rep, err
	}
	t := &rep.Totals
	var pos domain.Money
	sums, targets := "SUM(s.m) OVER (), MAX(s.pos) OVER ()", []any{&t.Measure, &pos}
	for _, c := range []struct {
		name string
		t    *AbcClassTotal
	}{{"A", &t.A}, {"B", &t.B}, {"C", &t.C}} {
		sums += fmt.Sprintf(", SUM(CASE WHEN s.cls = '%s' THEN 1 ELSE 0 END) OVER (), SUM(CASE WHEN s.cls = '%[1]s' THEN s.m ELSE 0 END) OVER ()", c.name)
		targets = append(targets, &c.t.Items, &c.t.Measure)
	}
	rep.Rows, rep.Total, err = analysisPage(ctx, q, f.Page, scanAbc, sums, targets...)
	t.Items = rep.Total
	for _, c := range []*AbcClassTotal{&t.A, &t.B, &t.C} {
		c.Share = abcShare(c.Measure, pos)
	}
	return rep, err
}

// StreamAbcAnalysis hands on every item of an ABC analysis as it is read,
// in rank order.
func (tx *Tx) StreamAbcAnalysis(ctx context.Context, f AbcFilter, emit func(AbcRow) error) error {
	q, err := tx.abcQuery(f)
	if err != nil {
		return err
	}
	return scanAbc(ctx, q, emit)
}
