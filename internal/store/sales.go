package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

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

// LockWarehouseStock locks every balance row of items in one warehouse,
// in key order (the one lock order of LockStock), and returns them in a
// book with their keys: what an order reserves from, in one statement.
// Rows created after it are not seen; an item with no row has nothing
// to reserve.
func (tx *Tx) LockWarehouseStock(ctx context.Context, companyID, warehouseID int64, items []int64) (*domain.Book, []domain.BalanceKey, error) {
	b := domain.NewBook()
	if len(items) == 0 {
		return b, nil, nil
	}
	var got []balanceRow
	if tx.Dialect() == SQLite { // bound, and scanned without bun's reflection, on the single writer (boundinsert.go)
		var err error
		if got, err = tx.warehouseBalances(ctx, companyID, warehouseID, items); err != nil {
			return nil, nil, err
		}
	} else if err := tx.NewSelect().Model(&got).ExcludeColumn(balanceUnread...).
		Where("b.company_id = ? AND b.warehouse_id = ? AND b.item_id IN (?)", companyID, warehouseID, bun.In(items)).
		OrderExpr("b.item_id, b.location_id, b.batch").For("UPDATE").Scan(ctx); err != nil {
		return nil, nil, err
	}
	keys := make([]domain.BalanceKey, len(got))
	for i, r := range got {
		exp, err := nullToDate(r.Expiry)
		if err != nil {
			return nil, nil, err
		}
		k := domain.BalanceKey{ItemID: r.ItemID, LocationID: r.LocationID, Batch: r.Batch}
		b.Balances[k] = &domain.Balance{BalanceKey: k, OnHand: r.OnHand, Reserved: r.Reserved, Value: r.Value, Expiry: exp}
		keys[i] = k
	}
	return b, keys, nil
}

// warehouseBalances is LockWarehouseStock's read on SQLite, whose single
// writer needs no row locks.
func (tx *Tx) warehouseBalances(ctx context.Context, companyID, warehouseID int64, items []int64) ([]balanceRow, error) {
	var q strings.Builder
	q.WriteString(`SELECT item_id, location_id, batch, on_hand, reserved, value, expiry FROM stock_balances
		WHERE company_id = ? AND warehouse_id = ? AND item_id IN (`)
	args := make([]any, 0, 2+len(items))
	args = append(args, companyID, warehouseID)
	for i, it := range items {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteByte('?')
		args = append(args, it)
	}
	q.WriteString(") ORDER BY item_id, location_id, batch")
	return queryBoundRows(ctx, tx, q.String(), args, func(rows *sql.Rows, r *balanceRow) error {
		var onHand, reserved, value int64
		err := rows.Scan(&r.ItemID, &r.LocationID, &r.Batch, &onHand, &reserved, &value, &r.Expiry)
		r.OnHand, r.Reserved, r.Value = domain.Qty(onHand), domain.Qty(reserved), domain.Money(value)
		return err
	})
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
	if err := tx.upsertReservations(ctx, rows); err != nil {
		return err
	}
	if !slices.ContainsFunc(rs, func(r Reservation) bool { return r.Qty < 0 }) {
		return nil // only additions: nothing can reach zero
	}
	// Held like the upsert: nothing reads its count, and what reads the
	// holds next sees them gone.
	_, err := tx.NewDelete().Model((*reservationRow)(nil)).Where("company_id = ? AND line_id IN (?) AND qty = 0", companyID, bun.In(lines)).
		Exec(laterWrites(ctx))
	return err
}

// reserveUpsert is upsertReservations' conflict clause in a bound INSERT,
// which names the table without bun's alias.
const reserveUpsert = "ON CONFLICT (company_id, line_id, location_id, batch) DO UPDATE SET qty = stock_reservations.qty + excluded.qty"

// upsertReservations adds rows to the reservations kept. On SQLite their
// values go bound (boundinsert.go): an order's upsert was the last of its
// writes whose values bun wrote into the text for the statement cache to
// parse back out, on the single writer.
func (tx *Tx) upsertReservations(ctx context.Context, rows []reservationRow) error {
	if tx.Dialect() == SQLite {
		if q, args, ok := tx.db.boundInsert(rows, "", reserveUpsert); ok {
			return tx.execBound(ctx, q, args)
		}
	}
	_, err := tx.NewInsert().Model(&rows).On("CONFLICT (company_id, line_id, location_id, batch) DO UPDATE").
		Set("qty = r.qty + EXCLUDED.qty").Exec(laterWrites(ctx))
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
	args := make([]any, 0, 2*len(lines))
	for _, l := range lines {
		args = append(args, l.ID, int64(l.Cost))
	}
	return tx.execValues(laterWrites(ctx), "WITH v(id, cost) AS (VALUES ", "(CAST(? AS BIGINT), CAST(? AS BIGINT))", len(lines),
		") UPDATE document_lines SET cost = v.cost FROM v WHERE document_lines.id = v.id", args)
}

// LockPartner takes the write lock of a partner row (lockRow), so that
// credit checks of one customer run one after another.
func (tx *Tx) LockPartner(ctx context.Context, companyID, id int64) error {
	found, err := tx.lockRow(ctx, "partners", "version", companyID, id)
	if err == nil && !found {
		err = notFound(sql.ErrNoRows, "partner", id)
	}
	return err
}

// Exposure is what a customer owes and has on order.
type Exposure struct {
	Balance    domain.Money `json:"balance" doc:"Invoices − credits − receipts (+: the customer owes us)"`
	OnOrder    domain.Money `json:"on_order" doc:"Confirmed orders not yet invoiced (gross)"`
	Exposure   domain.Money `json:"exposure" doc:"balance + on_order"`
	MaxOverdue int          `json:"max_overdue" doc:"Days the oldest unpaid invoice is past due; 0 = none"`
}

// LockedExposure takes the write lock of the customer's row, so that
// credit checks of one customer run one after another (lockCustomer), and
// then reads their exposure (CustomerExposure). On PostgreSQL the two go
// in one round trip, and the read still runs after the lock is granted,
// with a snapshot taken then, so it sees every posting of the customer
// that committed before. A customer that does not exist is not found by
// the read. A document created in the transaction stays held
// (keepDocuments): the exposure reads of it only the credit an order
// keeps, 0 before it is confirmed, and invoices, which a document being
// checked is not.
func (tx *Tx) LockedExposure(ctx context.Context, companyID, partnerID int64, asOf domain.Date, exclude int64) (Exposure, error) {
	ctx = keepDocuments(ctx)
	tx.ahead(ctx, func() {
		_ = tx.lockCustomer(ctx, companyID, partnerID)
		_, _ = tx.CustomerExposure(ctx, companyID, partnerID, asOf, exclude)
	})
	if err := tx.lockCustomer(ctx, companyID, partnerID); err != nil {
		return Exposure{}, err
	}
	return tx.CustomerExposure(ctx, companyID, partnerID, asOf, exclude)
}

// lockCustomer locks a customer's row for a credit check (lockRow), once
// per transaction; a customer that does not exist is left to
// CustomerExposure to say so.
func (tx *Tx) lockCustomer(ctx context.Context, companyID, partnerID int64) error {
	if tx.customerLocked == partnerID {
		return nil
	}
	if _, err := tx.lockRow(ctx, "partners", "version", companyID, partnerID); err != nil {
		return err
	}
	tx.customerLocked = partnerID
	return nil
}

// OrderAhead is what a sales order's confirmation reads before it reserves,
// sent in one round trip on PostgreSQL (on SQLite it does nothing): with
// credit, the customer's row lock and exposure (LockedExposure); and the
// lock of the warehouse's balance rows of items (LockWarehouseStock), which
// the credit check's answer does not change. The reads leave the order's
// header and lines held when it was created in the transaction
// (keepDocuments, as LockedExposure). A confirmation the credit check
// refuses has held its row locks for one round trip.
func (tx *Tx) OrderAhead(ctx context.Context, companyID, partnerID int64, credit bool, asOf domain.Date, exclude, warehouseID int64, items []int64) error {
	if tx.conn == nil || tx.Dialect() != Postgres || len(items) == 0 {
		return nil
	}
	tx.ahead(keepDocuments(ctx), func() {
		if credit {
			_ = tx.lockCustomer(ctx, companyID, partnerID)
			_, _ = tx.CustomerExposure(ctx, companyID, partnerID, asOf, exclude)
		}
		_, _, _ = tx.LockWarehouseStock(ctx, companyID, warehouseID, items)
	})
	return nil
}

// FollowAhead sends, on PostgreSQL, what a posting that follows other
// documents reads first, in one round trip (on SQLite it does nothing):
// the locks of the documents it follows, in the order given (LockDocument),
// then their lines (SourceLines of lines), then what f adds. Each runs
// after the one before it, so the lines are read under the locks, as when
// they are asked one by one. The calls that follow take their rows from
// it; a new document stays held (keepDocuments, as LockDocument and
// SourceLines).
func (tx *Tx) FollowAhead(ctx context.Context, companyID int64, docs, lines []int64, f Following) {
	if tx.conn == nil || tx.Dialect() != Postgres || len(docs) == 0 {
		return
	}
	tx.ahead(keepDocuments(ctx), func() {
		for _, id := range docs {
			_ = tx.LockDocument(ctx, companyID, id)
		}
		_, _ = tx.SourceLines(ctx, companyID, lines)
		if f.Credit {
			_ = tx.lockCustomer(ctx, companyID, f.PartnerID)
			_, _ = tx.CustomerExposure(ctx, companyID, f.PartnerID, f.AsOf, 0)
		}
		if len(f.Holds) > 0 {
			_, _ = tx.Reservations(ctx, companyID, f.Holds)
		}
	})
}

// Following is what a shipment reads besides what it follows
// (FollowAhead): with Credit, its customer's lock and exposure on AsOf
// (LockedExposure, no order left out); the holds of the order lines Holds
// (Reservations).
type Following struct {
	Credit    bool
	PartnerID int64
	AsOf      domain.Date
	Holds     []int64
}

// CustomerExposure computes a customer's exposure on asOf. exclude leaves
// one order out (the one being confirmed adds itself).
func (tx *Tx) CustomerExposure(ctx context.Context, companyID, partnerID int64, asOf domain.Date, exclude int64) (Exposure, error) {
	var e Exposure
	var row struct {
		OnOrder domain.Money
		Balance sql.NullInt64
		Due     sql.NullString
	}
	// One statement, asked on every confirmation, however many orders the
	// customer has open: what they hold on order is kept (ordercredit.go).
	// The type and state of the open invoices stay words in the statement
	// (appendParams), so their partial index does not make SQLite prepare
	// it again at every run.
	if err := tx.NewRaw(`SELECT p.on_order - COALESCE((SELECT open_credit FROM documents WHERE id = ?), 0) AS on_order,
		(SELECT SUM(amount) FROM partner_ledger WHERE company_id = ? AND partner_id = ? AND kind = ?) AS balance,
		(SELECT MIN(due_date) FROM documents WHERE company_id = ? AND partner_id = ? AND type = ? AND state = ?
			AND reversed_by_id IS NULL AND settled < gross_amount AND due_date < ?) AS due
		FROM partners p WHERE p.id = ? AND p.company_id = ?`,
		exclude, companyID, partnerID, Receivable, companyID, partnerID, domain.DocSalesInvoice, domain.DocPosted, asOf.String(),
		partnerID, companyID).Scan(ctx, &row); err != nil {
		return e, notFound(err, "partner", partnerID)
	}
	e.Balance, e.OnOrder = domain.Money(row.Balance.Int64), row.OnOrder
	if row.Due.Valid {
		d, err := domain.ParseDate(row.Due.String)
		if err != nil {
			return e, err
		}
		e.MaxOverdue = int(asOf.Sub(d.Time).Hours() / 24)
	}
	e.Exposure = e.Balance + e.OnOrder
	return e, nil
}

// CheckReservations proves the reservations: each balance row's reserved
// is the sum of what order lines hold of it, and only open (posted, not
// closed) sales order lines hold anything.
func (tx *Tx) CheckReservations(ctx context.Context, companyID int64) ([]string, error) {
	rows, err := tx.heldBalances(ctx, companyID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range rows {
		out = append(out, fmt.Sprintf("item %d at location %d batch %q: reserved %s but sales orders hold %s",
			r.ItemID, r.LocationID, r.Batch, domain.Qty(r.Reserved), domain.Qty(r.Held)))
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
	// The receipts are found through the index by source (the subquery):
	// written as source_id IN (…) beside the company and the state,
	// SQLite read every posted document of the company instead.
	if err := tx.NewSelect().Table("documents").Column("id").
		Where("company_id = ? AND type = ? AND state = ? AND reversed_by_id IS NULL AND id IN (SELECT id FROM documents WHERE source_id IN (?))",
			companyID, domain.DocReceipt, domain.DocPosted, bun.In(orders)).Scan(ctx, &ids); err != nil {
		return nil, err
	}
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

type paymentRow struct {
	bun.BaseModel `bun:"table:doc_payments,alias:pm"`
	CompanyID     int64
	DocumentID    int64
	LineNo        int
	Method        string
	AccountID     *int64
	Amount        domain.Money
	Tendered      domain.Money
	ChangeDue     domain.Money
	Ref           string
}

// SavePayments writes the payments of a counter document.
func (tx *Tx) SavePayments(ctx context.Context, d *domain.Document) error {
	if len(d.Payments) == 0 {
		return nil
	}
	rows := make([]paymentRow, len(d.Payments))
	for i, p := range d.Payments {
		rows[i] = paymentRow{CompanyID: d.CompanyID, DocumentID: d.ID, LineNo: i + 1, Method: p.Method, AccountID: p.AccountID,
			Amount: p.Amount, Tendered: p.Tendered, ChangeDue: p.Change, Ref: p.Ref}
	}
	_, err := tx.NewInsert().Model(&rows).Exec(ctx)
	return err
}

func (tx *Tx) payments(ctx context.Context, documentID int64) ([]domain.Payment, error) {
	var rows []paymentRow
	if err := tx.NewSelect().Model(&rows).Where("document_id = ?", documentID).OrderExpr("line_no").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]domain.Payment, len(rows))
	for i, r := range rows {
		out[i] = domain.Payment{Method: r.Method, AccountID: r.AccountID, Amount: r.Amount, Tendered: r.Tendered, Change: r.ChangeDue, Ref: r.Ref}
	}
	return out, nil
}

// PaymentsOf returns the payments of documents ids (counter documents;
// others have none), each document's in their order, in one statement:
// a list of counter sales shows how each was paid.
func (tx *Tx) PaymentsOf(ctx context.Context, companyID int64, ids []int64) (map[int64][]domain.Payment, error) {
	out := make(map[int64][]domain.Payment, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []paymentRow
	if err := tx.NewSelect().Model(&rows).Where("company_id = ? AND document_id IN (?)", companyID, bun.In(ids)).
		OrderExpr("document_id, line_no").Scan(ctx); err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.DocumentID] = append(out[r.DocumentID], domain.Payment{Method: r.Method, AccountID: r.AccountID, Amount: r.Amount,
			Tendered: r.Tendered, Change: r.ChangeDue, Ref: r.Ref})
	}
	return out, nil
}

// POSTakings are a counter's takings over a date range (交班对账): the
// sales and refunds, and by payment method what came in and went out, so
// a cashier can count the drawer against the cash line.
type POSTakings struct {
	Sales        int            `json:"sales" doc:"Counter sales posted"`
	SalesAmount  domain.Money   `json:"sales_amount" doc:"Their total with tax"`
	Returns      int            `json:"returns" doc:"Counter returns posted"`
	ReturnAmount domain.Money   `json:"return_amount" doc:"Their total with tax (refunded)"`
	Net          domain.Money   `json:"net" doc:"sales_amount − return_amount"`
	Methods      []POSMethodSum `json:"methods" doc:"By payment method, in the order cash, WeChat, Alipay, card, store credit, other"`
}

// POSMethodSum is what one payment method took and refunded.
type POSMethodSum struct {
	Method   string       `json:"method" enum:"cash,wechat,alipay,card,store_credit,other"`
	Received domain.Money `json:"received" doc:"What sales took (cash after change)"`
	Refunded domain.Money `json:"refunded" doc:"What returns paid back"`
	Net      domain.Money `json:"net" doc:"received − refunded: for cash, what the drawer should hold beyond its float"`
}

// POSTakingsFilter selects the counter documents a takings summary adds.
type POSTakingsFilter struct {
	CompanyID   int64
	From, To    domain.Date
	WarehouseID int64
	Warehouses  map[int64]bool // the caller's data scope; nil = all
	CreatedBy   int64          // one cashier; 0 = all
}

// where selects the posted counter documents f covers, as d.
func (f POSTakingsFilter) where() (string, []any) {
	where := "d.company_id = ? AND d.type IN (?) AND d.state = ? AND d.doc_date >= ? AND d.doc_date <= ?"
	args := []any{f.CompanyID, bun.In([]domain.DocType{domain.DocPOSSale, domain.DocPOSReturn}), domain.DocPosted, f.From.String(), f.To.String()}
	if f.WarehouseID != 0 {
		where += " AND d.warehouse_id = ?"
		args = append(args, f.WarehouseID)
	}
	if f.Warehouses != nil {
		where += " AND d.warehouse_id IN (?)"
		args = append(args, bun.In(scopeIDs(f.Warehouses)))
	}
	if f.CreatedBy != 0 {
		where += " AND d.created_by = ?"
		args = append(args, f.CreatedBy)
	}
	return where, args
}

// POSCashier is a user who rang up counter sales or returns.
type POSCashier struct {
	ID          int64  `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
}

// POSCashiers lists, by username, who rang up the posted counter documents
// f covers (its cashier aside).
func (tx *Tx) POSCashiers(ctx context.Context, f POSTakingsFilter) ([]POSCashier, error) {
	f.CreatedBy = 0
	where, args := f.where()
	out := []POSCashier{}
	err := tx.NewRaw("SELECT u.id, u.username, u.display_name FROM users AS u WHERE u.id IN (SELECT d.created_by FROM documents AS d WHERE "+
		where+") ORDER BY u.username", args...).Scan(ctx, &out)
	return out, err
}

// POSTakings adds the posted counter sales and returns of f.
func (tx *Tx) POSTakings(ctx context.Context, f POSTakingsFilter) (POSTakings, error) {
	where, args := f.where()
	var out POSTakings
	var docs []struct {
		Type   domain.DocType
		N      int
		Amount domain.Money
	}
	if err := tx.NewRaw("SELECT d.type, COUNT(*) AS n, COALESCE(SUM(d.gross_amount), 0) AS amount FROM documents AS d WHERE "+where+
		" GROUP BY d.type", args...).Scan(ctx, &docs); err != nil {
		return out, err
	}
	for _, r := range docs {
		if r.Type == domain.DocPOSSale {
			out.Sales, out.SalesAmount = r.N, r.Amount
		} else {
			out.Returns, out.ReturnAmount = r.N, r.Amount
		}
	}
	out.Net = out.SalesAmount - out.ReturnAmount
	var pays []struct {
		Type   domain.DocType
		Method string
		Amount domain.Money
	}
	if err := tx.NewRaw("SELECT d.type, p.method, COALESCE(SUM(p.amount), 0) AS amount FROM documents AS d JOIN doc_payments AS p ON p.document_id = d.id WHERE "+
		where+" GROUP BY d.type, p.method", args...).Scan(ctx, &pays); err != nil {
		return out, err
	}
	sums := map[string]*POSMethodSum{}
	for _, r := range pays {
		m := sums[r.Method]
		if m == nil {
			m = &POSMethodSum{Method: r.Method}
			sums[r.Method] = m
		}
		if r.Type == domain.DocPOSSale {
			m.Received += r.Amount
		} else {
			m.Refunded += r.Amount
		}
	}
	out.Methods = []POSMethodSum{}
	for _, k := range domain.PayMethods {
		if m := sums[k]; m != nil {
			m.Net = m.Received - m.Refunded
			out.Methods = append(out.Methods, *m)
		}
	}
	return out, nil
}

// SalespersonFigures are one salesperson's sales over a date range.
type SalespersonFigures struct {
	SalespersonID int64        `json:"salesperson_id" doc:"0 = documents without a salesperson"`
	Name          string       `json:"name"`
	Sales         domain.Money `json:"sales" doc:"Net (without tax) of shipments and counter sales"`
	Returns       domain.Money `json:"returns" doc:"Net of sales and counter returns"`
	NetSales      domain.Money `json:"net_sales" doc:"sales − returns"`
	Cost          domain.Money `json:"cost" doc:"Cost of the goods shipped less what came back, with later re-costing"`
	GrossProfit   domain.Money `json:"gross_profit" doc:"net_sales − cost"`
	Collections   domain.Money `json:"collections" doc:"Receipts from customers plus what counter sales took (store credit aside), less counter refunds"`
	Documents     int          `json:"documents"`
}

// SalesBySalesperson sums shipments, counter sales, returns, their cost of
// goods (from the ledger, corrections included) and collections per
// salesperson for documents dated from–to. Reversed documents and their
// reversals are left out (they cancel).
func (tx *Tx) SalesBySalesperson(ctx context.Context, companyID int64, from, to domain.Date) ([]SalespersonFigures, error) {
	const docs = `d.company_id = ? AND d.state = 'posted' AND d.reversed_by_id IS NULL AND d.reverses_id IS NULL
		AND d.doc_date >= ? AND d.doc_date <= ?`
	args := []any{companyID, from.String(), to.String()}
	sold := bun.In([]domain.DocType{domain.DocSalesShipment, domain.DocPOSSale, domain.DocSalesReturn, domain.DocPOSReturn})
	by := map[int64]*SalespersonFigures{}
	get := func(id int64) *SalespersonFigures {
		if by[id] == nil {
			by[id] = &SalespersonFigures{SalespersonID: id}
		}
		return by[id]
	}
	var net []struct {
		SP   int64
		Type domain.DocType
		Net  int64
		N    int
	}
	if err := tx.NewRaw(`SELECT COALESCE(d.salesperson_id, 0) AS sp, d.type, SUM(d.total_amount) AS net, COUNT(*) AS n FROM documents d
		WHERE `+docs+` AND d.type IN (?) GROUP BY COALESCE(d.salesperson_id, 0), d.type`, append(args, sold)...).Scan(ctx, &net); err != nil {
		return nil, err
	}
	for _, r := range net {
		f := get(r.SP)
		f.Documents += r.N
		if r.Type == domain.DocSalesReturn || r.Type == domain.DocPOSReturn {
			f.Returns += domain.Money(r.Net)
		} else {
			f.Sales += domain.Money(r.Net)
		}
	}
	var cost []struct {
		SP    int64
		Value int64
	}
	if err := tx.NewRaw(`SELECT COALESCE(d.salesperson_id, 0) AS sp, SUM(g.value) AS value FROM stock_ledger g JOIN documents d ON d.id = g.document_id
		WHERE g.kind = 'move' AND `+docs+` AND d.type IN (?) GROUP BY COALESCE(d.salesperson_id, 0)
		UNION ALL
		SELECT COALESCE(d.salesperson_id, 0) AS sp, SUM(g.value) AS value FROM stock_ledger g JOIN document_lines l ON l.id = g.adjusts_line_id
		JOIN documents d ON d.id = l.document_id
		WHERE g.company_id = ? AND g.kind <> 'move' AND `+docs+` AND d.type IN (?) GROUP BY COALESCE(d.salesperson_id, 0)`,
		append(append(append(args, sold), companyID), append(args, sold)...)...).Scan(ctx, &cost); err != nil {
		return nil, err
	}
	for _, r := range cost {
		get(r.SP).Cost -= domain.Money(r.Value) // goods out are negative value
	}
	var cash []struct {
		SP     int64
		Amount int64
	}
	if err := tx.NewRaw(`SELECT COALESCE(d.salesperson_id, 0) AS sp, SUM(d.gross_amount) AS amount FROM documents d
		WHERE `+docs+` AND d.type = ? GROUP BY COALESCE(d.salesperson_id, 0)
		UNION ALL
		SELECT COALESCE(d.salesperson_id, 0) AS sp, SUM(CASE WHEN d.type = ? THEN -pm.amount ELSE pm.amount END) AS amount
		FROM doc_payments pm JOIN documents d ON d.id = pm.document_id
		WHERE pm.method <> ? AND `+docs+` GROUP BY COALESCE(d.salesperson_id, 0)`,
		append(append(append(args, domain.DocReceipt), domain.DocPOSReturn, domain.PayStoreCredit), args...)...).Scan(ctx, &cash); err != nil {
		return nil, err
	}
	for _, r := range cash {
		get(r.SP).Collections += domain.Money(r.Amount)
	}
	ids := make([]int64, 0, len(by))
	for id := range by {
		ids = append(ids, id)
	}
	names := map[int64]string{}
	if len(ids) > 0 {
		var us []struct {
			ID          int64
			Username    string
			DisplayName string
		}
		if err := tx.NewSelect().Table("users").Column("id", "username", "display_name").Where("id IN (?)", bun.In(ids)).Scan(ctx, &us); err != nil {
			return nil, err
		}
		for _, u := range us {
			names[u.ID] = cmp.Or(u.DisplayName, u.Username)
		}
	}
	out := make([]SalespersonFigures, 0, len(by))
	for id, f := range by {
		f.Name = names[id]
		f.NetSales = f.Sales - f.Returns
		f.GrossProfit = f.NetSales - f.Cost
		out = append(out, *f)
	}
	slices.SortFunc(out, func(a, b SalespersonFigures) int { return cmp.Compare(b.NetSales, a.NetSales) })
	return out, nil
}

// heldSQL adds up what the order lines of a company (the parameter) hold
// of each balance row: one pass over its reservations, which are indexed by
// line, not by balance row (migration 00030).
const heldSQL = `SELECT item_id, location_id, batch, SUM(qty) AS held FROM stock_reservations WHERE company_id = ?
	GROUP BY item_id, location_id, batch`

// heldBalance is a balance row's reserved figure beside what order lines hold of it.
type heldBalance struct {
	ItemID     int64
	LocationID int64
	Batch      string
	Reserved   int64
	Held       int64
}

// heldBalances reads the balance rows of a company whose reserved figure is
// not what order lines hold of them.
func (tx *Tx) heldBalances(ctx context.Context, companyID int64) ([]heldBalance, error) {
	var rows []heldBalance
	err := tx.NewRaw(`SELECT b.item_id, b.location_id, b.batch, b.reserved, COALESCE(h.held, 0) AS held
		FROM stock_balances b LEFT JOIN (`+heldSQL+`) h ON h.item_id = b.item_id AND h.location_id = b.location_id AND h.batch = b.batch
		WHERE b.company_id = ? AND b.reserved <> COALESCE(h.held, 0)`, companyID, companyID).Scan(ctx, &rows)
	return rows, err
}

// RebuildReserved sets every balance row's reserved to what sales order
// lines hold of it (stock_reservations is the record, reserved its sum) and
// returns how many rows changed.
func (tx *Tx) RebuildReserved(ctx context.Context, companyID int64) (int, error) {
	rows, err := tx.heldBalances(ctx, companyID)
	if err != nil {
		return 0, err
	}
	for _, r := range rows {
		if _, err := tx.NewUpdate().Table("stock_balances").Set("reserved = ?, updated_at = ?", r.Held, tx.Now).
			Where("company_id = ? AND item_id = ? AND location_id = ? AND batch = ?", companyID, r.ItemID, r.LocationID, r.Batch).
			Exec(ctx); err != nil {
			return 0, err
		}
	}
	return len(rows), nil
}
