package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// ScorecardFilter selects what the supplier scorecard reads: the posted
// orders and receipts of a company dated from From to To (inclusive).
type ScorecardFilter struct {
	CompanyID  int64
	PartnerID  int64 // one supplier; 0 = all
	From, To   domain.Date
	Warehouses map[int64]bool // the caller's data scope; nil = all
}

// SupplierFacts are one supplier's orders and receipts in the window, as
// domain.ScoreSupplier takes them.
type SupplierFacts struct {
	PartnerID  int64
	Code       string
	Name       string
	NameEn     string
	Orders     []domain.PlacedOrder
	Deliveries []domain.Delivery // by date, then id
}

// counted is the condition on a document (alias a) that it counts: posted
// and neither reversed nor a reversal. Its one argument is domain.DocPosted.
func counted(a string) string {
	return a + ".state = ? AND " + a + ".reversed_by_id IS NULL AND " + a + ".reverses_id IS NULL"
}

// ScorecardFacts returns the facts of every supplier with an order or a
// receipt in the window (of f.PartnerID only when set), by partner code.
// Orders are summed per order here; receipt lines come back one by one,
// because a line's accepted base quantity is the domain's rounding
// (DocLine.StockQty), not SQL's.
func (tx *Tx) ScorecardFacts(ctx context.Context, f ScorecardFilter) ([]SupplierFacts, error) {
	byPartner := map[int64]*SupplierFacts{}
	facts := func(id int64) *SupplierFacts {
		s := byPartner[id]
		if s == nil {
			s = &SupplierFacts{PartnerID: id}
			byPartner[id] = s
		}
		return s
	}
	scope := func(q *bun.SelectQuery, a string) *bun.SelectQuery {
		q = q.Where(a+".company_id = ? AND "+a+".doc_date >= ? AND "+a+".doc_date <= ?", f.CompanyID, f.From.String(), f.To.String()).
			Where(counted(a), domain.DocPosted).Where(a + ".partner_id IS NOT NULL")
		if f.PartnerID != 0 {
			q = q.Where(a+".partner_id = ?", f.PartnerID)
		}
		if f.Warehouses != nil {
			q = q.Where(a+".warehouse_id IN (?)", bun.In(scopeIDs(f.Warehouses)))
		}
		return q
	}

	// Orders: ordered and accepted (each line at most its ordered quantity)
	// per order, and the date of the first receipt against it.
	var orders []struct {
		ID           int64
		PartnerID    int64
		DocDate      string
		ExpectedDate sql.NullString
		Closed       bool
		Ordered      domain.Qty
		Filled       domain.Qty
		FirstReceipt sql.NullString
	}
	q := tx.NewSelect().TableExpr("documents AS d").
		ColumnExpr("d.id, d.partner_id, d.doc_date, d.expected_date, d.closed").
		ColumnExpr("SUM(l.base_qty) AS ordered").
		ColumnExpr("SUM(CASE WHEN l.received_qty < l.base_qty THEN l.received_qty ELSE l.base_qty END) AS filled").
		ColumnExpr("(SELECT MIN(r.doc_date) FROM documents AS r WHERE r.source_id = d.id AND r.company_id = d.company_id AND r.type = ? AND "+
			counted("r")+") AS first_receipt", domain.DocPurchaseReceipt, domain.DocPosted).
		Join("JOIN document_lines AS l ON l.document_id = d.id").
		Where("d.type = ?", domain.DocPurchaseOrder)
	q = scope(q, "d").GroupExpr("d.id, d.company_id, d.partner_id, d.doc_date, d.expected_date, d.closed").OrderExpr("d.doc_date, d.id")
	if err := q.Scan(ctx, &orders); err != nil {
		return nil, err
	}
	for _, o := range orders {
		day, err := domain.ParseDate(o.DocDate)
		if err != nil {
			return nil, err
		}
		exp, err := nullToDate(o.ExpectedDate)
		if err != nil {
			return nil, err
		}
		first, err := nullToDate(o.FirstReceipt)
		if err != nil {
			return nil, err
		}
		s := facts(o.PartnerID)
		s.Orders = append(s.Orders, domain.PlacedOrder{Date: day, ExpectedDate: exp, Closed: o.Closed, Ordered: o.Ordered, Filled: o.Filled,
			FirstDelivery: first})
	}

	// Receipts: their lines, with the expected date of the order each
	// receipt was received against.
	var lines []struct {
		ID           int64
		PartnerID    int64
		DocDate      string
		ExpectedDate sql.NullString
		ItemID       int64
		Qty          domain.Qty
		RejectedQty  domain.Qty
		Factor       domain.Qty
		BaseQty      domain.Qty
		Amount       domain.Money
	}
	q = tx.NewSelect().TableExpr("documents AS r").
		ColumnExpr("r.id, r.partner_id, r.doc_date, o.expected_date, l.item_id, l.qty, l.rejected_qty, l.factor, l.base_qty, l.amount").
		Join("JOIN document_lines AS l ON l.document_id = r.id").
		Join("LEFT JOIN documents AS o ON o.id = r.source_id AND o.type = ?", domain.DocPurchaseOrder).
		Where("r.type = ?", domain.DocPurchaseReceipt)
	q = scope(q, "r").OrderExpr("r.doc_date, r.id, l.line_no")
	if err := q.Scan(ctx, &lines); err != nil {
		return nil, err
	}
	for _, l := range lines {
		s := facts(l.PartnerID)
		if n := len(s.Deliveries); n == 0 || s.Deliveries[n-1].ID != l.ID {
			day, err := domain.ParseDate(l.DocDate)
			if err != nil {
				return nil, err
			}
			exp, err := nullToDate(l.ExpectedDate)
			if err != nil {
				return nil, err
			}
			s.Deliveries = append(s.Deliveries, domain.Delivery{ID: l.ID, Date: day, ExpectedDate: exp})
		}
		dl := domain.DocLine{Qty: l.Qty, RejectedQty: l.RejectedQty, Factor: l.Factor, BaseQty: l.BaseQty}
		d := &s.Deliveries[len(s.Deliveries)-1]
		d.Lines = append(d.Lines, domain.DeliveryLine{ItemID: l.ItemID, Qty: l.BaseQty, Rejected: l.BaseQty - dl.StockQty(), Net: l.Amount})
	}

	if len(byPartner) == 0 {
		return []SupplierFacts{}, nil
	}
	ids := make([]int64, 0, len(byPartner))
	for id := range byPartner {
		ids = append(ids, id)
	}
	var names []struct {
		ID     int64
		Code   string
		Name   string
		NameEn string
	}
	if err := tx.NewSelect().TableExpr("partners").ColumnExpr("id, code, name, name_en").
		Where("company_id = ? AND id IN (?)", f.CompanyID, bun.In(ids)).Scan(ctx, &names); err != nil {
		return nil, err
	}
	for _, n := range names {
		s := byPartner[n.ID]
		s.Code, s.Name, s.NameEn = n.Code, n.Name, n.NameEn
	}
	out := make([]SupplierFacts, 0, len(byPartner))
	for _, s := range byPartner {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b SupplierFacts) int {
		return cmp.Or(strings.Compare(a.Code, b.Code), cmp.Compare(a.PartnerID, b.PartnerID))
	})
	return out, nil
}

// ItemLabel is an item's code and names.
type ItemLabel struct {
	Code   string
	Name   string
	NameEn string
}

// ItemLabels returns the code and name of the items with the given ids.
func (tx *Tx) ItemLabels(ctx context.Context, companyID int64, ids []int64) (map[int64]ItemLabel, error) {
	out := make(map[int64]ItemLabel, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID     int64
		Code   string
		Name   string
		NameEn string
	}
	if err := tx.NewSelect().TableExpr("items").ColumnExpr("id, code, name, name_en").
		Where("company_id = ? AND id IN (?)", companyID, bun.In(ids)).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = ItemLabel{Code: r.Code, Name: r.Name, NameEn: r.NameEn}
	}
	return out, nil
}
