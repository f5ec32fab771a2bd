package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// Sales analysis (销售分析): what was sold over a date range, grouped by
// item, category, customer, salesperson, month or day — quantity, sales,
// returns, net sales, cost of goods and gross profit. The lines of posted
// delivery notes and counter sales count as sales, those of sales and
// counter returns as returns; a reversed document and its reversal are left
// out (they cancel), as in the salesperson report (SalesBySalesperson). A
// line's net is its amount after its own and the whole-bill discount (R1–R5);
// its cost is what its ledger rows took out at cost, with later re-costing
// (the rows that adjust the line) included, less what a return put back.

// The groupings of a sales analysis.
const (
	SalesByItem        = "item"
	SalesByCategory    = "category"
	SalesByCustomer    = "customer"
	SalesBySalesperson = "salesperson"
	SalesByMonth       = "month"
	SalesByDay         = "day"
)

// SalesGroupings lists them, for validation and the API's enum.
var SalesGroupings = []string{SalesByItem, SalesByCategory, SalesByCustomer, SalesBySalesperson, SalesByMonth, SalesByDay}

// SalesAnalysisRow is one group of a sales analysis.
type SalesAnalysisRow struct {
	ID          int64        `json:"id" doc:"The item, category, customer or salesperson; 0 = none (a walk-in sale, no salesperson, no category) and for months and days"`
	Code        string       `json:"code" doc:"Its code (a salesperson's user name; a month as 2026-12, a day as 2026-12-06)"`
	Name        string       `json:"name"`
	NameEn      string       `json:"name_en" doc:"The English name (may be empty)"`
	UnitName    string       `json:"unit_name" doc:"By item: the base unit qty is counted in"`
	UnitNameEn  string       `json:"unit_name_en" doc:"By item: the unit's English name (may be empty)"`
	Qty         domain.Qty   `json:"qty" doc:"Base units sold less returned (by item; other groupings add different units)"`
	Sales       domain.Money `json:"sales" doc:"Net (without tax) of delivery notes and counter sales"`
	Returns     domain.Money `json:"returns" doc:"Net of sales and counter returns"`
	NetSales    domain.Money `json:"net_sales" doc:"sales − returns"`
	Cost        domain.Money `json:"cost" doc:"Cost of the goods sold less what returns put back, with later re-costing; 0 without data.cost.read"`
	GrossProfit domain.Money `json:"gross_profit" doc:"net_sales − cost; 0 without data.cost.read"`
	Margin      *domain.Rate `json:"margin" doc:"gross_profit / net_sales in percent; null when there are no net sales or without data.cost.read"`
	Documents   int          `json:"documents" doc:"Documents with lines in the group"`
}

// SalesAnalysisFilter selects a sales analysis.
type SalesAnalysisFilter struct {
	CompanyID     int64
	By            string // one of SalesGroupings
	From, To      domain.Date
	WarehouseID   int64
	Warehouses    map[int64]bool // the caller's warehouses when set
	PartnerID     int64
	SalespersonID int64
	CategoryID    int64 // items of the category and its sub-categories
	Q             string
	Page
}

// SalesAnalysisReport is a page of a sales analysis with the sums of every
// group (not only the page's).
type SalesAnalysisReport struct {
	Rows   []SalesAnalysisRow
	Totals SalesAnalysisRow
	Total  int
}

var (
	salesOut  = []domain.DocType{domain.DocSalesShipment, domain.DocPOSSale}
	salesBack = []domain.DocType{domain.DocSalesReturn, domain.DocPOSReturn}
)

// salesAnalysisQuery groups the lines of the documents the filter selects
// with each line's cost, names the groups and orders them.
func (tx *Tx) salesAnalysisQuery(f SalesAnalysisFilter) (*bun.SelectQuery, error) {
	sums, g, err := tx.salesAnalysisSums(f)
	if err != nil {
		return nil, err
	}
	q := g.named(tx.NewSelect().TableExpr("(?) AS s", sums), f.Q).
		ColumnExpr("s.qty, s.sales, s.returns, s.cost, s.docs")
	if g.dated() { // months and days, in order
		return q.OrderExpr("s.k"), nil
	}
	return q.OrderExpr("s.sales - s.returns DESC, s.k"), nil
}

// salesAnalysisSums groups the lines of the documents the filter selects
// with each line's cost: a row per group with its key k, qty, sales,
// returns, cost and docs (the ABC analysis ranks these by item). The
// documents are found by company, type and date (documents_type_date),
// their ledger rows by document (stock_ledger_document).
//
// The lines and their costs are grouped by the key each on its own and
// then added by key, rather than each line first joined to its cost: over
// a year of a 5M-row ledger the per-line join held 2.7 million lines'
// costs in a temporary index to meet them again, and took 14 s on SQLite
// where the two groupings take about 6 s (docs/PERFORMANCE.md, "The
// analyses at 5M ledger rows"). A cost row is keyed as its line is (the
// item, its category, the document's customer, salesperson and day), so
// every grouping adds the same figures as before.
func (tx *Tx) salesAnalysisSums(f SalesAnalysisFilter) (*bun.SelectQuery, analysisGroup, error) {
	g, ok := analysisGrouping(f.By)
	if !ok {
		return nil, g, fmt.Errorf("sales analysis by %q", f.By)
	}
	docs := func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("d.company_id = ? AND d.type IN (?) AND d.doc_date >= ? AND d.doc_date <= ?",
			f.CompanyID, bun.In(append(append([]domain.DocType{}, salesOut...), salesBack...)), f.From.String(), f.To.String()).
			Where("d.state = ? AND d.reversed_by_id IS NULL AND d.reverses_id IS NULL", domain.DocPosted)
		if f.WarehouseID != 0 {
			q = q.Where("d.warehouse_id = ?", f.WarehouseID)
		}
		if f.Warehouses != nil {
			q = q.Where("d.warehouse_id IN (?)", bun.In(scopeIDs(f.Warehouses)))
		}
		if f.PartnerID != 0 {
			q = q.Where("d.partner_id = ?", f.PartnerID)
		}
		if f.SalespersonID != 0 {
			q = q.Where("d.salesperson_id = ?", f.SalespersonID)
		}
		return q
	}
	// keyed gives a row of documents (d) and their lines or ledger rows the
	// columns a grouping's key reads (x.item_id, x.category_id,
	// x.partner_id, x.salesperson_id, x.doc_date), item the item's column.
	// The items are joined only for a category (a grouping or a filter):
	// looking up 2.7 million lines' items took 3 s of a year's analysis.
	category := g.key == "x.category_id" || f.CategoryID != 0
	keyed := func(q *bun.SelectQuery, item string) *bun.SelectQuery {
		q = q.ColumnExpr(item + " AS item_id, COALESCE(d.partner_id, 0) AS partner_id").
			ColumnExpr("COALESCE(d.salesperson_id, 0) AS salesperson_id, d.doc_date")
		if !category {
			return q.ColumnExpr("0 AS category_id")
		}
		q = q.Join("JOIN items AS i ON i.id = " + item).ColumnExpr("COALESCE(i.category_id, 0) AS category_id")
		if f.CategoryID != 0 {
			q = q.Where("i.category_id IN (?)", tx.categorySubtree(f.CompanyID, f.CategoryID))
		}
		return q
	}
	lines := keyed(docs(tx.NewSelect().TableExpr("documents AS d").
		Join("JOIN document_lines AS l ON l.document_id = d.id").
		ColumnExpr("l.base_qty, l.amount, d.id AS doc_id, d.type")), "l.item_id")
	// Goods out have a negative value: the cost is minus the sum, and a
	// return's rows (goods back) take cost away. A line's cost is what its
	// ledger rows moved (a sales document's move is of its line's item),
	// and the corrections of them later (re-costing, landed cost), which are
	// dated like the move they correct: the range lets the corrections'
	// index read only the days asked for.
	moved := keyed(docs(tx.NewSelect().TableExpr("documents AS d").
		Join("JOIN stock_ledger AS g ON g.document_id = d.id AND g.kind = 'move'").
		ColumnExpr("g.value")), "g.item_id")
	adjusted := keyed(docs(tx.NewSelect().TableExpr("stock_ledger AS g").
		Join("JOIN document_lines AS l ON l.id = g.adjusts_line_id").
		Join("JOIN documents AS d ON d.id = l.document_id").
		ColumnExpr("g.value").
		Where("g.company_id = ? AND g.kind <> 'move' AND g.doc_date >= ? AND g.doc_date <= ?", f.CompanyID, f.From.String(), f.To.String())), "l.item_id")

	sold := tx.NewSelect().TableExpr("(?) AS x", lines).
		ColumnExpr(g.key+" AS k").
		ColumnExpr("SUM(CASE WHEN x.type IN (?) THEN x.base_qty ELSE -x.base_qty END) AS qty", bun.In(salesOut)).
		ColumnExpr("SUM(CASE WHEN x.type IN (?) THEN x.amount ELSE 0 END) AS sales", bun.In(salesOut)).
		ColumnExpr("SUM(CASE WHEN x.type IN (?) THEN 0 ELSE x.amount END) AS returns", bun.In(salesOut)).
		ColumnExpr("0 AS cost, COUNT(DISTINCT x.doc_id) AS docs").
		GroupExpr(g.key)
	cost := tx.NewSelect().TableExpr("(?) AS x", tx.NewRaw("? UNION ALL ?", moved, adjusted)).
		ColumnExpr(g.key + " AS k").
		ColumnExpr("0 AS qty, 0 AS sales, 0 AS returns, -SUM(x.value) AS cost, 0 AS docs").
		GroupExpr(g.key)
	sums := tx.NewSelect().TableExpr("(?) AS u", tx.NewRaw("? UNION ALL ?", sold, cost)).
		ColumnExpr("u.k, SUM(u.qty) AS qty, SUM(u.sales) AS sales, SUM(u.returns) AS returns, SUM(u.cost) AS cost, SUM(u.docs) AS docs").
		GroupExpr("u.k")
	return sums, g, nil
}

func scanSalesAnalysis(ctx context.Context, q *bun.SelectQuery, emit func(SalesAnalysisRow) error, extra ...any) error {
	return eachRow(ctx, q, func(r *SalesAnalysisRow) []any {
		return []any{&r.ID, &r.Code, &r.Name, &r.NameEn, &r.UnitName, &r.UnitNameEn, &r.Qty, &r.Sales, &r.Returns, &r.Cost, &r.Documents}
	}, func(r *SalesAnalysisRow) error { r.finish(); return nil }, emit, extra...)
}

func (r *SalesAnalysisRow) finish() {
	r.NetSales = r.Sales - r.Returns
	r.GrossProfit = r.NetSales - r.Cost
	r.Margin = domain.Margin(r.GrossProfit, r.NetSales)
}

// SalesAnalysis returns a page of a sales analysis, the largest net sales
// first (months and days in order), with the number of groups and the sums of all
// of them (window sums over the one grouping, so the lines are read once).
func (tx *Tx) SalesAnalysis(ctx context.Context, f SalesAnalysisFilter) (SalesAnalysisReport, error) {
	var rep SalesAnalysisReport
	q, err := tx.salesAnalysisQuery(f)
	if err != nil {
		return rep, err
	}
	t := &rep.Totals
	rep.Rows, rep.Total, err = analysisPage(ctx, q, f.Page, scanSalesAnalysis,
		"SUM(s.qty) OVER (), SUM(s.sales) OVER (), SUM(s.returns) OVER (), SUM(s.cost) OVER ()", &t.Qty, &t.Sales, &t.Returns, &t.Cost)
	t.finish()
	return rep, err
}

// StreamSalesAnalysis hands on every group of a sales analysis as it is
// read, in the order SalesAnalysis pages them.
func (tx *Tx) StreamSalesAnalysis(ctx context.Context, f SalesAnalysisFilter, emit func(SalesAnalysisRow) error) error {
	q, err := tx.salesAnalysisQuery(f)
	if err != nil {
		return err
	}
	return scanSalesAnalysis(ctx, q, emit)
}

// The analyses (销售分析, 采购分析) share how they group and name their
// groups, and how they page.

// analysisGroup is one grouping of an analysis: key groups the lines (x:
// a line with item_id, category_id, partner_id, salesperson_id and
// doc_date); join and cols name the group (s.k its key); code is its code,
// for ordering; search is what the search box matches (a master record's
// code, names and 助记码), none for dates.
type analysisGroup struct {
	key, join, cols, code, search string
}

// analysisGrouping is the grouping by: item, category, customer or
// supplier (a partner), salesperson, month or day.
func analysisGrouping(by string) (analysisGroup, bool) {
	record := "lower(k.code) LIKE ? ESCAPE '\\' OR k.name LIKE ? ESCAPE '\\' OR lower(k.name_en) LIKE ? ESCAPE '\\' OR lower(k.mnemonic) LIKE ? ESCAPE '\\'"
	named := "s.k, COALESCE(k.code, ''), COALESCE(k.name, ''), COALESCE(k.name_en, ''), '', ''"
	switch by {
	case SalesByItem:
		return analysisGroup{"x.item_id", "JOIN items AS k ON k.id = s.k JOIN units AS u ON u.id = k.base_unit_id",
			"s.k, k.code, k.name, k.name_en, u.name, u.name_en", "k.code", record}, true
	case SalesByCategory:
		return analysisGroup{"x.category_id", "LEFT JOIN categories AS k ON k.id = s.k", named, "COALESCE(k.code, '')", record}, true
	case SalesByCustomer, PurchasesBySupplier:
		return analysisGroup{"x.partner_id", "LEFT JOIN partners AS k ON k.id = s.k", named, "COALESCE(k.code, '')", record}, true
	case SalesBySalesperson:
		return analysisGroup{"x.salesperson_id", "LEFT JOIN users AS k ON k.id = s.k",
			"s.k, COALESCE(k.username, ''), COALESCE(k.display_name, ''), '', '', ''", "COALESCE(k.username, '')",
			"lower(k.username) LIKE ? ESCAPE '\\' OR k.display_name LIKE ? ESCAPE '\\'"}, true // users have no English name nor 助记码
	case SalesByMonth:
		return analysisGroup{key: "substr(x.doc_date, 1, 7)", cols: "0, s.k, '', '', '', ''", code: "s.k"}, true
	case SalesByDay:
		return analysisGroup{key: "x.doc_date", cols: "0, s.k, '', '', '', ''", code: "s.k"}, true
	}
	return analysisGroup{}, false
}

// dated reports whether the groups are months or days.
func (g analysisGroup) dated() bool { return g.search == "" }

// named selects the group's id, code, name, English name and unit (its two
// names) from q
// (the sums, s); with a search term, only the groups it matches.
func (g analysisGroup) named(q *bun.SelectQuery, term string) *bun.SelectQuery {
	q = q.ColumnExpr(g.cols)
	if g.join != "" {
		q = q.Join(g.join)
	}
	if s := searchTerm(term); s != "" && g.search != "" {
		like := likeEscape(lower(s)) + "%"
		args := []any{like, "%" + likeEscape(s) + "%", "%" + likeEscape(lower(s)) + "%", like}
		q = q.Where("("+g.search+")", args[:strings.Count(g.search, "?")]...)
	}
	return q
}

// analysisPage reads a page of an analysis with the number of groups and
// sums over all of them (window sums over the one grouping, so the lines are
// read once): sums are the window expressions, into the targets.
func analysisPage[R any](ctx context.Context, q *bun.SelectQuery, p Page,
	scan func(context.Context, *bun.SelectQuery, func(R) error, ...any) error, sums string, targets ...any) ([]R, int, error) {
	var n int64
	q = q.ColumnExpr("COUNT(*) OVER (), " + sums)
	extra := append([]any{&n}, targets...)
	var rows []R
	collect := func(r R) error { rows = append(rows, r); return nil }
	if err := scan(ctx, q.Offset(p.offset()).Limit(p.limit()), collect, extra...); err != nil {
		return nil, 0, err
	}
	if len(rows) == 0 && p.offset() > 0 { // past the end: the first row still carries the sums
		if err := scan(ctx, q.Offset(0).Limit(1), func(R) error { return nil }, extra...); err != nil {
			return nil, 0, err
		}
	}
	return rows, int(n), nil
}
