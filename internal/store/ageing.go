package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
	"modernc.org/sqlite"

	"github.com/jxc-erp/jxc/internal/domain"
)

// Stock ageing (库龄): how long the stock on hand at the end of a day has
// been in its warehouse, FIFO. The quantity an item has in a warehouse is
// taken to be the most recent stock that came in (receipts, transfers in,
// returns, gains, openings — any document that brought the item into the
// warehouse), newest first, until the on-hand quantity is covered; each
// part is aged by the day asked for less the document's business date.
// Reversals and the documents they reversed (by the day asked for) are no
// arrivals.
// A document's rows are netted per item and warehouse first, so moving
// goods between bins of one warehouse does not make them younger. The
// parts fall into five buckets (0–30, 31–60, 61–90, 91–180, over 180
// days); their values are the warehouse's on-hand value in proportion to
// quantity (average cost), rounded per bucket with the remainder in the
// last non-zero bucket, so the buckets add up to the on-hand value exactly.
// It is one statement: running sums of incoming quantities newest first
// (a window) per item and warehouse, so a page reads the ledger once.

// AgeingBuckets are the buckets' upper bounds in days (the last is open).
var AgeingBuckets = []int{30, 60, 90, 180}

// The orders of a stock ageing report.
const (
	AgeingByAge  = "age"  // the oldest stock first: over 180 days desc, then 91–180, …
	AgeingByCode = "code" // item code
)

// AgeingSorts lists them, for validation and the API's enum.
var AgeingSorts = []string{AgeingByAge, AgeingByCode}

// AgeingBucket is the stock of one age bucket.
type AgeingBucket struct {
	Qty   domain.Qty   `json:"qty" doc:"Base units of that age"`
	Value domain.Money `json:"value" doc:"Their value at average cost; 0 without data.cost.read"`
}

// AgeingRow is one item of a stock ageing report.
type AgeingRow struct {
	ID         int64          `json:"id" doc:"The item"`
	Code       string         `json:"code"`
	Name       string         `json:"name"`
	NameEn     string         `json:"name_en" doc:"The English name (may be empty)"`
	UnitName   string         `json:"unit_name" doc:"The base unit quantities are counted in"`
	UnitNameEn string         `json:"unit_name_en" doc:"The unit's English name (may be empty)"`
	OnHand     domain.Qty     `json:"on_hand" doc:"On hand at the end of as_of"`
	Value      domain.Money   `json:"value" doc:"Its value; 0 without data.cost.read"`
	Buckets    []AgeingBucket `json:"buckets" doc:"0–30, 31–60, 61–90, 91–180 and over 180 days"`
	OldestDays int            `json:"oldest_days" doc:"The age in days of the oldest part counted"`
	OldestDate string         `json:"oldest_date" doc:"The business date of that part"`
}

// AgeingTotals sums a stock ageing report over every item.
type AgeingTotals struct {
	Items      int            `json:"items" doc:"Items with stock"`
	OnHand     domain.Qty     `json:"on_hand" doc:"Every item's on hand added up (in their own base units)"`
	Value      domain.Money   `json:"value" doc:"0 without data.cost.read"`
	Buckets    []AgeingBucket `json:"buckets" doc:"0–30, 31–60, 61–90, 91–180 and over 180 days"`
	OldestDays int            `json:"oldest_days" doc:"The oldest part of any item, in days"`
}

// AgeingFilter selects a stock ageing report.
type AgeingFilter struct {
	CompanyID   int64
	AsOf        domain.Date
	WarehouseID int64
	Warehouses  map[int64]bool // the caller's warehouses when set
	CategoryID  int64          // items of the category and its sub-categories
	Q           string         // code, name, English name or 助记码
	Sort        string         // one of AgeingSorts; by age when empty
	ByQty       bool           // by age: compare quantities, not values (a caller who may not see costs)
	Page
}

// AgeingReport is a page of a stock ageing report with the sums of every
// item the filter selects.
type AgeingReport struct {
	Rows   []AgeingRow
	Totals AgeingTotals
	Total  int
}

// mulDivSQL is round(a × b / c) half away from zero in integers (never
// floats): PostgreSQL in NUMERIC div and mod, exact at any size; SQLite,
// which has nothing wider than 64 bits and turns an overflowing product
// into a float without a word, through jxc_muldiv (domain.MulDivRound, a
// 128-bit intermediate; a result beyond 64 bits fails the statement).
func (tx *Tx) mulDivSQL(a, b, c string) string {
	if tx.Dialect() == Postgres {
		n := fmt.Sprintf("(CAST(%s AS NUMERIC) * %s)", a, b)
		return fmt.Sprintf("CAST(div(%[1]s, %[2]s) + CASE WHEN 2 * mod(%[1]s, %[2]s) >= %[2]s THEN 1 WHEN 2 * mod(%[1]s, %[2]s) <= -%[2]s THEN -1 ELSE 0 END AS BIGINT)", n, c)
	}
	return fmt.Sprintf("jxc_muldiv(%s, %s, %s)", a, b, c)
}

func init() {
	err := sqlite.RegisterDeterministicScalarFunction("jxc_muldiv", 3, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		var n [3]int64
		for i, v := range args {
			x, ok := v.(int64)
			if !ok {
				return nil, nil // NULL in, NULL out
			}
			n[i] = x
		}
		v, ok := domain.MulDivRound(n[0], n[1], n[2])
		if !ok {
			return nil, fmt.Errorf("jxc_muldiv(%d, %d, %d): out of range", n[0], n[1], n[2])
		}
		return v, nil
	})
	if err != nil {
		panic(err)
	}
}

// ageingQuery is the report: the ledger up to as_of netted per document,
// item and warehouse (d); on hand, its value and the running sum of what
// came in, newest first (w); each document's part of the on hand (p); the
// buckets per item and warehouse (a), their values (r, v); per item (s),
// named and searched.
func (tx *Tx) ageingQuery(f AgeingFilter) *bun.SelectQuery {
	day := func(n int) string { return domain.Date{Time: f.AsOf.AddDate(0, 0, -n)}.String() }
	// A reversal, and a document reversed by then, are no arrival (nc 0):
	// a wrong receipt reversed, or an issue reversed, would make old stock
	// look new. They still count in on hand and its value (where they
	// cancel).
	d := tx.NewSelect().TableExpr("stock_ledger AS g").Join("JOIN locations AS l ON l.id = g.location_id").
		Join("JOIN documents AS x ON x.id = g.document_id").
		Join("LEFT JOIN documents AS rv ON rv.id = x.reversed_by_id AND rv.doc_date <= ?", f.AsOf.String()).
		ColumnExpr("g.item_id, l.warehouse_id AS wh, g.document_id AS doc, g.doc_date AS dd, SUM(g.qty) AS q, SUM(g.value) AS v").
		ColumnExpr("MIN(CASE WHEN x.reverses_id IS NULL AND rv.id IS NULL THEN 1 ELSE 0 END) AS nc").
		Where(tx.byDate("g")+" AND g.doc_date <= ? AND l.warehouse_id IS NOT NULL", f.CompanyID, f.AsOf.String()).
		GroupExpr("g.item_id, l.warehouse_id, g.document_id, g.doc_date")
	if f.WarehouseID != 0 {
		d = d.Where("l.warehouse_id = ?", f.WarehouseID)
	}
	if f.Warehouses != nil {
		d = d.Where("l.warehouse_id IN (?)", bun.In(scopeIDs(f.Warehouses)))
	}
	if f.CategoryID != 0 {
		d = d.Where("g.item_id IN (SELECT ci.id FROM items AS ci WHERE ci.company_id = ? AND ci.category_id IN (?))",
			f.CompanyID, tx.categorySubtree(f.CompanyID, f.CategoryID))
	}
	part := "PARTITION BY d.item_id, d.wh"
	w := tx.NewSelect().TableExpr("(?) AS d", d).
		ColumnExpr("d.item_id, d.wh, d.dd, CASE WHEN d.nc = 1 THEN d.q ELSE 0 END AS q").
		ColumnExpr("SUM(d.q) OVER (" + part + ") AS oq, SUM(d.v) OVER (" + part + ") AS ov").
		ColumnExpr("SUM(CASE WHEN d.q > 0 AND d.nc = 1 THEN d.q ELSE 0 END) OVER (" + part + " ORDER BY d.dd DESC, d.doc DESC ROWS UNBOUNDED PRECEDING) AS run")
	// A part is max(0, min(q, oq − (run − q))) of what came in.
	p := tx.NewSelect().TableExpr("(?) AS w", w).
		ColumnExpr("w.item_id, w.wh, w.dd, w.oq, w.ov").
		ColumnExpr("CASE WHEN w.q <= 0 OR w.run - w.q >= w.oq THEN 0 WHEN w.run <= w.oq THEN w.q ELSE w.oq - (w.run - w.q) END AS pq").
		Where("w.oq > 0")
	bound := []string{day(AgeingBuckets[0]), day(AgeingBuckets[1]), day(AgeingBuckets[2]), day(AgeingBuckets[3])}
	a := tx.NewSelect().TableExpr("(?) AS p", p).
		ColumnExpr("p.item_id, p.wh, MAX(p.oq) AS oq, MAX(p.ov) AS ov").
		ColumnExpr("SUM(CASE WHEN p.dd >= ? THEN p.pq ELSE 0 END) AS q1", bound[0]).
		ColumnExpr("SUM(CASE WHEN p.dd < ? AND p.dd >= ? THEN p.pq ELSE 0 END) AS q2", bound[0], bound[1]).
		ColumnExpr("SUM(CASE WHEN p.dd < ? AND p.dd >= ? THEN p.pq ELSE 0 END) AS q3", bound[1], bound[2]).
		ColumnExpr("SUM(CASE WHEN p.dd < ? AND p.dd >= ? THEN p.pq ELSE 0 END) AS q4", bound[2], bound[3]).
		ColumnExpr("SUM(CASE WHEN p.dd < ? THEN p.pq ELSE 0 END) AS q5", bound[3]).
		ColumnExpr("MIN(CASE WHEN p.pq > 0 THEN p.dd END) AS oldest").
		GroupExpr("p.item_id, p.wh")
	r := tx.NewSelect().TableExpr("(?) AS a", a).ColumnExpr("a.*")
	for k := 1; k <= 5; k++ {
		r = r.ColumnExpr(fmt.Sprintf("%s AS r%d", tx.mulDivSQL("a.ov", fmt.Sprintf("a.q%d", k), "a.oq"), k))
	}
	// The last non-zero bucket takes what rounding left over.
	v := tx.NewSelect().TableExpr("(?) AS r", r).ColumnExpr("r.item_id, r.oq, r.ov, r.q1, r.q2, r.q3, r.q4, r.q5, r.oldest")
	for k := 1; k <= 5; k++ {
		last := fmt.Sprintf("r.q%d <> 0", k)
		for j := k + 1; j <= 5; j++ {
			last += fmt.Sprintf(" AND r.q%d = 0", j)
		}
		before := "0"
		for j := 1; j < k; j++ {
			before += fmt.Sprintf(" + r.r%d", j)
		}
		v = v.ColumnExpr(fmt.Sprintf("CASE WHEN %s THEN r.ov - (%s) ELSE r.r%d END AS v%d", last, before, k, k))
	}
	sums := tx.NewSelect().TableExpr("(?) AS v", v).
		ColumnExpr("v.item_id AS k, SUM(v.oq) AS oq, SUM(v.ov) AS ov").
		ColumnExpr("SUM(v.q1) AS q1, SUM(v.q2) AS q2, SUM(v.q3) AS q3, SUM(v.q4) AS q4, SUM(v.q5) AS q5").
		ColumnExpr("SUM(v.v1) AS v1, SUM(v.v2) AS v2, SUM(v.v3) AS v3, SUM(v.v4) AS v4, SUM(v.v5) AS v5").
		ColumnExpr("MIN(v.oldest) AS oldest").
		GroupExpr("v.item_id")
	g, _ := analysisGrouping(SalesByItem)
	q := g.named(tx.NewSelect().TableExpr("(?) AS s", sums), f.Q).
		ColumnExpr("s.oq, s.ov, s.q1, s.q2, s.q3, s.q4, s.q5, s.v1, s.v2, s.v3, s.v4, s.v5, s.oldest")
	if f.Sort == AgeingByCode {
		return q.OrderExpr("k.code, s.k")
	}
	col := "v"
	if f.ByQty {
		col = "q"
	}
	var order []string
	for k := 5; k >= 1; k-- {
		order = append(order, fmt.Sprintf("s.%s%d DESC", col, k))
	}
	return q.OrderExpr(strings.Join(order, ", ") + ", k.code, s.k")
}

// byDate is "<g>.company_id = ?" for a statement that reads a company's
// ledger rows up to a day, written so that SQLite reads them in date order
// (stock_ledger_date, close to the table's own order: rows are appended as
// documents post) rather than by item (stock_ledger_item_date, which its
// planner prefers for a GROUP BY that starts with the item, and then looks
// every row up in the table out of order). For 库龄 of one warehouse of a
// 5M-row ledger that was 15.6 s against 3.8 s in the sqlite3 shell. The
// unary plus keeps the company out of the index choice; PostgreSQL reads
// the ledger whole either way.
func (tx *Tx) byDate(g string) string {
	if tx.Dialect() == SQLite {
		return "+" + g + ".company_id = ?"
	}
	return g + ".company_id = ?"
}

// ageingDays is the age on asOf of a part dated day (YYYY-MM-DD).
func ageingDays(asOf domain.Date, day sql.NullString) int {
	if !day.Valid {
		return 0
	}
	d, err := domain.ParseDate(day.String)
	if err != nil {
		return 0
	}
	return int(asOf.Sub(d.Time).Hours()/24 + 0.5)
}

type ageingScan struct {
	AgeingRow
	oldest sql.NullString
}

func scanAgeing(asOf domain.Date) func(context.Context, *bun.SelectQuery, func(AgeingRow) error, ...any) error {
	return func(ctx context.Context, q *bun.SelectQuery, emit func(AgeingRow) error, extra ...any) error {
		return eachRow(ctx, q, func(r *ageingScan) []any {
			r.Buckets = make([]AgeingBucket, 5)
			b := r.Buckets
			return []any{&r.ID, &r.Code, &r.Name, &r.NameEn, &r.UnitName, &r.UnitNameEn, &r.OnHand, &r.Value,
				&b[0].Qty, &b[1].Qty, &b[2].Qty, &b[3].Qty, &b[4].Qty, &b[0].Value, &b[1].Value, &b[2].Value, &b[3].Value, &b[4].Value, &r.oldest}
		}, func(r *ageingScan) error {
			r.OldestDate = r.oldest.String
			r.OldestDays = ageingDays(asOf, r.oldest)
			return nil
		}, func(r ageingScan) error { return emit(r.AgeingRow) }, extra...)
	}
}

// Ageing returns a page of a stock ageing report with the number of items
// and the sums of every bucket (window sums, so the ledger is read once).
func (tx *Tx) Ageing(ctx context.Context, f AgeingFilter) (AgeingReport, error) {
	rep := AgeingReport{Totals: AgeingTotals{Buckets: make([]AgeingBucket, 5)}}
	t := &rep.Totals
	b := t.Buckets
	var oldest sql.NullString
	var err error
	rep.Rows, rep.Total, err = analysisPage(ctx, tx.ageingQuery(f), f.Page, scanAgeing(f.AsOf),
		"SUM(s.oq) OVER (), SUM(s.ov) OVER (), SUM(s.q1) OVER (), SUM(s.q2) OVER (), SUM(s.q3) OVER (), SUM(s.q4) OVER (), SUM(s.q5) OVER (), "+
			"SUM(s.v1) OVER (), SUM(s.v2) OVER (), SUM(s.v3) OVER (), SUM(s.v4) OVER (), SUM(s.v5) OVER (), MIN(s.oldest) OVER ()",
		&t.OnHand, &t.Value, &b[0].Qty, &b[1].Qty, &b[2].Qty, &b[3].Qty, &b[4].Qty, &b[0].Value, &b[1].Value, &b[2].Value, &b[3].Value, &b[4].Value, &oldest)
	t.Items = rep.Total
	t.OldestDays = ageingDays(f.AsOf, oldest)
	return rep, err
}

// StreamAgeing hands on every item of a stock ageing report as it is read,
// in the order Ageing pages them.
func (tx *Tx) StreamAgeing(ctx context.Context, f AgeingFilter, emit func(AgeingRow) error) error {
	return scanAgeing(f.AsOf)(ctx, tx.ageingQuery(f), emit)
}
