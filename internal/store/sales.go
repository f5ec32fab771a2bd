package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// Reservation is what a sales order line holds of one balance row (a
// delta when written with AddReservations).
type Reservation struct {
	LineID     int64
	DocumentID int64
	domain.Take
}

type reservationRow struct {
	bun.BaseModel `bun:"table:stock_reservations,alias:r"`
	CompanyID     int64
	LineID        int64
	DocumentID    int64
	ItemID        int64
	LocationID    int64
	Batch         string
	Qty           domain.Qty
}

// StockRows loads the balance rows of items in one warehouse, unlocked:
// the candidates a reservation locks (LockStock) and checks again.
func (tx *Tx) StockRows(ctx context.Context, companyID, warehouseID int64, items []int64) ([]domain.BalanceKey, error) {
	if len(items) == 0 {
		return nil, nil
	}
	var rows []struct {
		ItemID     int64
		LocationID int64
		Batch      string
	}
	if err := tx.NewSelect().Table("stock_balances").Column("item_id", "location_id", "batch").
		Where("company_id = ? AND warehouse_id = ? AND item_id IN (?)", companyID, warehouseID, bun.In(items)).
		OrderExpr("item_id, location_id, batch").Scan(ctx, &rows); err != nil {
		return nil, err
	}
	out := make([]domain.BalanceKey, len(rows))
	for i, r := range rows {
		out[i] = domain.BalanceKey{ItemID: r.ItemID, LocationID: r.LocationID, Batch: r.Batch}
	}
	return out, nil
}

// Reservations returns what each of the lines holds, by line.
func (tx *Tx) Reservations(ctx context.Context, companyID int64, lineIDs []int64) (map[int64][]domain.Take, error) {
	out := map[int64][]domain.Take{}
	if len(lineIDs) == 0 {
		return out, nil
	}
	var rows []reservationRow
	if err := tx.NewSelect().Model(&rows).Where("company_id = ? AND line_id IN (?)", companyID, bun.In(lineIDs)).
		OrderExpr("line_id, location_id, batch").Scan(ctx); err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.LineID] = append(out[r.LineID], domain.Take{BalanceKey: domain.BalanceKey{ItemID: r.ItemID, LocationID: r.LocationID, Batch: r.Batch}, Qty: r.Qty})
	}
	return out, nil
}

// AddReservations adds the deltas (the balance rows' reserved is the
// caller's, through the book) and drops rows that reach zero.
func (tx *Tx) AddReservations(ctx context.Context, companyID int64, rs []Reservation) error {
	if len(rs) == 0 {
		return nil
	}
	rows := make([]reservationRow, len(rs))
	lines := make([]int64, len(rs))
	for i, r := range rs {
		rows[i] = reservationRow{CompanyID: companyID, LineID: r.LineID, DocumentID: r.DocumentID, ItemID: r.ItemID,
			LocationID: r.LocationID, Batch: r.Batch, Qty: r.Qty}
		lines[i] = r.LineID
	}
	if _, err := tx.NewInsert().Model(&rows).On("CONFLICT (company_id, line_id, location_id, batch) DO UPDATE").
		Set("qty = r.qty + EXCLUDED.qty").Exec(ctx); err != nil {
		return err
	}
	_, err := tx.NewDelete().Model((*reservationRow)(nil)).Where("company_id = ? AND line_id IN (?) AND qty = 0", companyID, bun.In(lines)).Exec(ctx)
	return err
}

// fillReserved sets each line's reserved quantity.
func (tx *Tx) fillReserved(ctx context.Context, companyID int64, lines []domain.DocLine) error {
	ids := make([]int64, len(lines))
	for i, l := range lines {
		ids[i] = l.ID
	}
	held, err := tx.Reservations(ctx, companyID, ids)
	if err != nil {
		return err
	}
	for i := range lines {
		for _, t := range held[lines[i].ID] {
			lines[i].ReservedQty += t.Qty
		}
	}
	return nil
}

// SetShipCosts saves the cost of the goods on posted shipment lines.
func (tx *Tx) SetShipCosts(ctx context.Context, lines []domain.DocLine) error {
	if len(lines) == 0 {
		return nil
	}
	q := "WITH v(id, cost) AS (VALUES "
	args := make([]any, 0, 2*len(lines))
	for i, l := range lines {
		if i > 0 {
			q += ", "
		}
		q += "(CAST(? AS BIGINT), CAST(? AS BIGINT))"
		args = append(args, l.ID, int64(l.Cost))
	}
	q += ") UPDATE document_lines SET cost = v.cost FROM v WHERE document_lines.id = v.id"
	_, err := tx.ExecContext(ctx, q, args...)
	return err
}

// LockPartner takes the write lock of a partner row, so that credit checks
// of one customer run one after another.
func (tx *Tx) LockPartner(ctx context.Context, companyID, id int64) error {
	res, err := tx.ExecContext(ctx, "UPDATE partners SET version = version WHERE id = ? AND company_id = ?", id, companyID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return notFound(sql.ErrNoRows, "partner", id)
	}
	return nil
}

// Exposure is what a customer owes and has on order.
type Exposure struct {
	Balance    domain.Money `json:"balance" doc:"Invoices − credits − receipts (+: the customer owes us)"`
	OnOrder    domain.Money `json:"on_order" doc:"Confirmed orders not yet invoiced (gross)"`
	Exposure   domain.Money `json:"exposure" doc:"balance + on_order"`
	MaxOverdue int          `json:"max_overdue" doc:"Days the oldest unpaid invoice is past due; 0 = none"`
}

// CustomerExposure computes a customer's exposure on asOf. exclude leaves
// one order out (the one being confirmed adds itself).
func (tx *Tx) CustomerExposure(ctx context.Context, companyID, partnerID int64, asOf domain.Date, exclude int64) (Exposure, error) {
	var e Exposure
	var bal sql.NullInt64
	if err := tx.NewRaw(`SELECT SUM(amount) FROM partner_ledger WHERE company_id = ? AND partner_id = ? AND kind = ?`,
		companyID, partnerID, Receivable).Scan(ctx, &bal); err != nil {
		return e, err
	}
	e.Balance = domain.Money(bal.Int64)
	var lines []struct {
		Gross    domain.Money
		BaseQty  domain.Qty
		Received domain.Qty
		Billed   domain.Qty
		Closed   bool
	}
	if err := tx.NewRaw(`SELECT l.gross, l.base_qty, l.received_qty AS received, l.billed_qty AS billed, (d.closed OR l.closed) AS closed
		FROM document_lines l JOIN documents d ON d.id = l.document_id
		WHERE d.company_id = ? AND d.partner_id = ? AND d.type = ? AND d.state = ? AND d.reversed_by_id IS NULL AND d.id <> ?
		AND l.billed_qty < l.base_qty`, companyID, partnerID, domain.DocSalesOrder, domain.DocPosted, exclude).Scan(ctx, &lines); err != nil {
		return e, err
	}
	for _, l := range lines {
		v, err := domain.OpenOrderShare(l.Gross, l.BaseQty, l.Received, l.Billed, l.Closed)
		if err != nil {
			return e, err
		}
		e.OnOrder += v
	}
	e.Exposure = e.Balance + e.OnOrder
	var due sql.NullString
	if err := tx.NewRaw(`SELECT MIN(due_date) FROM documents WHERE company_id = ? AND partner_id = ? AND type = ? AND state = ?
		AND reversed_by_id IS NULL AND settled < gross_amount AND due_date < ?`,
		companyID, partnerID, domain.DocSalesInvoice, domain.DocPosted, asOf.String()).Scan(ctx, &due); err != nil {
		return e, err
	}
	if due.Valid {
		d, err := domain.ParseDate(due.String)
		if err != nil {
			return e, err
		}
		e.MaxOverdue = int(asOf.Sub(d.Time).Hours() / 24)
	}
	return e, nil
}

// CheckReservations proves the reservations: each balance row's reserved
// is the sum of what order lines hold of it, and only open (posted, not
// closed) sales order lines hold anything.
func (tx *Tx) CheckReservations(ctx context.Context, companyID int64) ([]string, error) {
	var rows []struct {
		ItemID     int64
		LocationID int64
		Batch      string
		Reserved   int64
		Held       int64
	}
	if err := tx.NewRaw(`SELECT b.item_id, b.location_id, b.batch, b.reserved,
		COALESCE((SELECT SUM(r.qty) FROM stock_reservations r WHERE r.company_id = b.company_id AND r.item_id = b.item_id
			AND r.location_id = b.location_id AND r.batch = b.batch), 0) AS held
		FROM stock_balances b WHERE b.company_id = ?`, companyID).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	var out []string
	for _, r := range rows {
		if r.Reserved != r.Held {
			out = append(out, fmt.Sprintf("item %d at location %d batch %q: reserved %s but sales orders hold %s",
				r.ItemID, r.LocationID, r.Batch, domain.Qty(r.Reserved), domain.Qty(r.Held)))
		}
	}
	var bad []struct {
		Number string
		Qty    int64
	}
	if err := tx.NewRaw(`SELECT d.number, r.qty FROM stock_reservations r JOIN documents d ON d.id = r.document_id
		JOIN document_lines l ON l.id = r.line_id
		WHERE r.company_id = ? AND (d.type <> ? OR d.state <> ? OR d.closed OR l.closed OR r.qty <= 0
			OR NOT EXISTS (SELECT 1 FROM stock_balances b WHERE b.company_id = r.company_id AND b.item_id = r.item_id
				AND b.location_id = r.location_id AND b.batch = r.batch))`,
		companyID, domain.DocSalesOrder, domain.DocPosted).Scan(ctx, &bad); err != nil {
		return nil, err
	}
	for _, b := range bad {
		out = append(out, fmt.Sprintf("document %s holds a reservation of %s but is not an open sales order", b.Number, domain.Qty(b.Qty)))
	}
	return out, nil
}

// Deposits returns the posted receipts taken on the given orders.
func (tx *Tx) Deposits(ctx context.Context, companyID int64, orders []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(orders) == 0 {
		return out, nil
	}
	var ids []int64
	if err := tx.NewSelect().Table("documents").Column("id").
		Where("company_id = ? AND type = ? AND state = ? AND reversed_by_id IS NULL AND source_id IN (?)",
			companyID, domain.DocReceipt, domain.DocPosted, bun.In(orders)).Scan(ctx, &ids); err != nil {
		return nil, err
	}
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}
