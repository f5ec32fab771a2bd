package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// What a customer's confirmed sales orders add to their credit exposure is
// kept, not summed on every confirmation: documents.open_credit is one
// sales order's share — domain.OpenOrderShare summed over its lines not
// fully invoiced, while the order is posted and not reversed, else 0 — and
// partners.on_order the sum of those of the customer's orders. Every store
// call that changes what a share depends on keeps both: SetDocState (an
// order confirmed, cancelled or reversed), CloseOrder, and AddLineTallies
// (shipped and invoiced quantities). CheckOrderCredit proves them against a
// sum over the lines; RecomputeOrderCredit rebuilds them.

// creditLine is what an order line's share depends on.
type creditLine struct {
	DocID      int64
	PartnerID  int64
	OpenCredit domain.Money
	Counted    bool // posted and not reversed
	DocClosed  bool
	Gross      domain.Money
	BaseQty    domain.Qty
	Received   domain.Qty
	Billed     domain.Qty
	LineClosed bool
}

// share is what the line adds to its customer's exposure.
func (l creditLine) share() (domain.Money, error) {
	return domain.OrderLineCredit(l.Counted, l.Gross, l.BaseQty, l.Received, l.Billed, l.DocClosed || l.LineClosed)
}

// creditLines reads the lines of the sales orders where applies, with what
// their shares depend on. where is ANDed to the join of documents d and
// document_lines l.
func (tx *Tx) creditLines(ctx context.Context, where string, args ...any) ([]creditLine, error) {
	var rows []creditLine
	err := tx.NewRaw(`SELECT d.id AS doc_id, d.partner_id, d.open_credit, (d.state = ? AND d.reversed_by_id IS NULL) AS counted,
		d.closed AS doc_closed, l.gross, l.base_qty, l.received_qty AS received, l.billed_qty AS billed, l.closed AS line_closed
		FROM documents d JOIN document_lines l ON l.document_id = d.id
		WHERE d.type = ? AND d.partner_id IS NOT NULL AND `+where+` ORDER BY d.id`,
		append([]any{domain.DocPosted, domain.DocSalesOrder}, args...)...).Scan(ctx, &rows)
	return rows, err
}

// orderCredits sums the lines' shares per order; stored holds each order's
// open_credit as read and partner its customer.
func orderCredits(lines []creditLine) (credit, stored map[int64]domain.Money, partner map[int64]int64, err error) {
	credit, stored, partner = map[int64]domain.Money{}, map[int64]domain.Money{}, map[int64]int64{}
	for _, l := range lines {
		v, err := l.share()
		if err != nil {
			return nil, nil, nil, err
		}
		credit[l.DocID] += v
		stored[l.DocID], partner[l.DocID] = l.OpenCredit, l.PartnerID
	}
	return credit, stored, partner, nil
}

// refreshOrderCredit recomputes the shares of the sales orders among docs
// of the company (or, with lines set, of the orders holding those lines,
// whatever the company: line ids are unique) from what is in
// the database now, and moves every change into the order's open_credit and
// its customer's on_order. Other documents are left alone.
func (tx *Tx) refreshOrderCredit(ctx context.Context, companyID int64, docs, lines []int64) error {
	var rows []creditLine
	var err error
	switch {
	case len(docs) > 0:
		rows, err = tx.creditLines(ctx, "d.company_id = ? AND d.id IN (?)", companyID, bun.In(docs))
	case len(lines) > 0:
		rows, err = tx.creditLines(ctx, "d.id IN (SELECT document_id FROM document_lines WHERE id IN (?))", bun.In(lines))
	default:
		return nil
	}
	if err != nil {
		return err
	}
	credit, stored, partner, err := orderCredits(rows)
	if err != nil {
		return err
	}
	return tx.saveOrderCredit(ctx, credit, stored, partner)
}

// saveOrderCredit writes the orders whose credit differs from what is
// stored, and adds the differences to their customers.
func (tx *Tx) saveOrderCredit(ctx context.Context, credit, stored map[int64]domain.Money, partner map[int64]int64) error {
	var docArgs []any
	delta := map[int64]domain.Money{}
	var partners []int64
	for id, c := range credit {
		if c == stored[id] {
			continue
		}
		docArgs = append(docArgs, id, int64(c))
		p := partner[id]
		if _, ok := delta[p]; !ok {
			partners = append(partners, p)
		}
		delta[p] += c - stored[id]
	}
	if len(docArgs) == 0 {
		return nil
	}
	if err := tx.execValues(ctx, "WITH v(id, c) AS (VALUES ", "(CAST(? AS BIGINT), CAST(? AS BIGINT))", len(docArgs)/2,
		") UPDATE documents SET open_credit = v.c FROM v WHERE documents.id = v.id", docArgs); err != nil {
		return err
	}
	return tx.addOnOrder(ctx, partners, delta)
}

// addOnOrder adds delta to the customers' on_order, in one statement.
func (tx *Tx) addOnOrder(ctx context.Context, partners []int64, delta map[int64]domain.Money) error {
	slices.Sort(partners) // one lock order
	var args []any
	for _, p := range partners {
		if delta[p] != 0 {
			args = append(args, p, int64(delta[p]))
		}
	}
	if len(args) == 0 {
		return nil
	}
	return tx.execValues(laterWrites(ctx), "WITH v(id, d) AS (VALUES ", "(CAST(? AS BIGINT), CAST(? AS BIGINT))", len(args)/2,
		") UPDATE partners SET on_order = on_order + v.d FROM v WHERE partners.id = v.id", args)
}

// CheckOrderCredit proves the kept credit figures of a company: each sales
// order's open_credit is the sum of its lines' shares, each customer's
// on_order the sum of their orders'.
func (tx *Tx) CheckOrderCredit(ctx context.Context, companyID int64) ([]string, error) {
	// Only lines that can add anything are read (what a customer has open,
	// not their history); orders that hold a figure are read apart, so one
	// that holds it wrongly with nothing open is found too.
	rows, err := tx.creditLines(ctx, "d.company_id = ? AND "+openLines, companyID, domain.DocPosted)
	if err != nil {
		return nil, err
	}
	credit, _, partner, err := orderCredits(rows)
	if err != nil {
		return nil, err
	}
	var held []struct {
		ID         int64
		PartnerID  int64
		OpenCredit domain.Money
	}
	if err := tx.NewRaw("SELECT id, partner_id, open_credit FROM documents WHERE company_id = ? AND type = ? AND open_credit <> 0",
		companyID, domain.DocSalesOrder).Scan(ctx, &held); err != nil {
		return nil, err
	}
	stored := map[int64]domain.Money{}
	for _, h := range held {
		stored[h.ID] = h.OpenCredit
		if _, ok := credit[h.ID]; !ok {
			credit[h.ID], partner[h.ID] = 0, h.PartnerID
		}
	}
	var probs []string
	sum := map[int64]domain.Money{}
	for id, c := range credit {
		if c != stored[id] {
			probs = append(probs, fmt.Sprintf("sales order %d: open credit %s, its lines add up to %s", id, stored[id], c))
		}
		sum[partner[id]] += c
	}
	var ps []struct {
		ID      int64
		OnOrder domain.Money
	}
	if err := tx.NewRaw("SELECT id, on_order FROM partners WHERE company_id = ? ORDER BY id", companyID).Scan(ctx, &ps); err != nil {
		return nil, err
	}
	for _, p := range ps {
		if p.OnOrder != sum[p.ID] {
			probs = append(probs, fmt.Sprintf("customer %d: on order %s, their confirmed orders add up to %s", p.ID, p.OnOrder, sum[p.ID]))
		}
	}
	slices.Sort(probs)
	return probs, nil
}

// openLines limits creditLines to the lines that can add to an exposure:
// on posted orders not reversed, not fully invoiced (one argument: the
// posted state).
const openLines = "d.state = ? AND d.reversed_by_id IS NULL AND l.billed_qty < l.base_qty"

// RecomputeOrderCredit rebuilds a company's kept credit figures from the
// order lines (`jxc check --repair`, and the first start after migration
// 00019): companyID 0 does every company.
func (tx *Tx) RecomputeOrderCredit(ctx context.Context, companyID int64) error {
	where, args := openLines, []any{domain.DocPosted}
	if companyID != 0 {
		where, args = "d.company_id = ? AND "+openLines, []any{companyID, domain.DocPosted}
	}
	rows, err := tx.creditLines(ctx, where, args...)
	if err != nil {
		return err
	}
	credit, _, _, err := orderCredits(rows)
	if err != nil {
		return err
	}
	// Only rows that hold something are zeroed, so a repair of a large
	// company rewrites what changes, not every order.
	pw, pargs := " WHERE on_order <> 0", []any{}
	dw, dargs := " WHERE type = ? AND open_credit <> 0", []any{domain.DocSalesOrder}
	if companyID != 0 {
		pw, pargs = pw+" AND company_id = ?", []any{companyID}
		dw, dargs = dw+" AND company_id = ?", append(dargs, companyID)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE partners SET on_order = 0"+pw, pargs...); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE documents SET open_credit = 0"+dw, dargs...); err != nil {
		return err
	}
	// Every order and customer now holds 0; write what they should hold.
	partner := map[int64]int64{}
	for _, l := range rows {
		partner[l.DocID] = l.PartnerID
	}
	return tx.saveOrderCredit(ctx, credit, map[int64]domain.Money{}, partner)
}
