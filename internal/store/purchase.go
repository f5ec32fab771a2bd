package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// LockDocument takes the write lock of a document row without changing it
// (lockRow), so that postings against one document (receipts of an order,
// returns and bills of a receipt) run one after another on both engines.
func (tx *Tx) LockDocument(ctx context.Context, companyID, id int64) error {
	if _, mine := tx.created[id]; !mine { // another's row: a new document held to be inserted may wait (pgcache.go)
		ctx = keepDocuments(ctx)
	}
	found, err := tx.lockRow(ctx, "documents", "updated_at", companyID, id)
	if err == nil && !found {
		err = notFound(sql.ErrNoRows, "document", id)
	}
	return err
}

// lockRow takes the write lock of row id of table (a constant) without
// changing it, and says whether there is such a row of the company. On
// PostgreSQL it is a locking read (FOR NO KEY UPDATE, the lock an UPDATE of
// no key column takes, so nothing waits that did not before, and a new
// row's foreign key share lock does not wait for it): no new row version,
// and as a read it can be sent ahead with the reads that follow it
// (Tx.FollowAhead, LockedExposure). SQLite has no row locks; there an
// UPDATE of column to itself makes the transaction the writer at once.
func (tx *Tx) lockRow(ctx context.Context, table, column string, companyID, id int64) (bool, error) {
	if tx.Dialect() == Postgres {
		var ids []int64
		err := tx.NewRaw("SELECT id FROM "+table+" WHERE id = ? AND company_id = ? FOR NO KEY UPDATE", id, companyID).Scan(ctx, &ids)
		return len(ids) > 0, err
	}
	res, err := tx.ExecContext(ctx, "UPDATE "+table+" SET "+column+" = "+column+" WHERE id = ? AND company_id = ?", id, companyID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// AddPurchaseTallies is AddLineTallies for a purchase posting, whose
// tallies move no customer's exposure (only a sales order line's received
// and billed quantities do, and a purchase tallies neither on one): nothing
// is read after the update, so a receipt posted at creation is inserted
// posted (pgcache.go).
func (tx *Tx) AddPurchaseTallies(ctx context.Context, ts []LineTally) error {
	return tx.addTallies(ctx, ts)
}

// AddShippedTallies is AddLineTallies for a shipment, whose tallies are
// the shipped quantities of open sales order lines — the caller checked
// under the orders' locks that none is closed, cancelled or reversed. What
// an open line adds to its customer's exposure does not depend on what was
// shipped (domain.OrderLineCredit; TestShippedMovesNoOpenShare), so no
// order's credit is re-read after the update, and a shipment posted at
// creation is inserted posted (pgcache.go).
func (tx *Tx) AddShippedTallies(ctx context.Context, ts []LineTally) error {
	return tx.addTallies(ctx, ts)
}

// addTallies adds the changes in one statement, held for the next
// (nothing reads its count) and aside (pgcache.go): it touches only the
// lines followed, never a new document that follows them, whose foreign
// key's share lock on such a line does not conflict with this update.
func (tx *Tx) addTallies(ctx context.Context, ts []LineTally) error {
	if len(ts) == 0 {
		return nil
	}
	args := make([]any, 0, 5*len(ts))
	for _, t := range ts {
		args = append(args, t.ID, int64(t.Received), int64(t.Returned), int64(t.Billed), int64(t.Ordered))
	}
	return tx.execValues(laterAside(ctx), "WITH v(id, r, t, b, o) AS (VALUES ",
		"(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT))", len(ts),
		`) UPDATE document_lines SET received_qty = received_qty + v.r, returned_qty = returned_qty + v.t, billed_qty = billed_qty + v.b,
		ordered_qty = ordered_qty + v.o FROM v WHERE document_lines.id = v.id`, args)
}

// LineTally is a change to the running quantities of a line (base units):
// an order line's received, a receipt line's returned and billed.
type LineTally struct {
	ID                                  int64
	Received, Returned, Billed, Ordered domain.Qty
}

// AddLineTallies adds the changes in one statement.
func (tx *Tx) AddLineTallies(ctx context.Context, ts []LineTally) error {
	if len(ts) == 0 {
		return nil
	}
	if err := tx.addTallies(ctx, ts); err != nil {
		return err
	}
	// Shipped and invoiced quantities of sales order lines change what the
	// orders add to their customers' exposure.
	ids := make([]int64, 0, len(ts))
	for _, t := range ts {
		if t.Received != 0 || t.Billed != 0 {
			ids = append(ids, t.ID)
		}
	}
	return tx.refreshOrderCredit(ctx, 0, nil, ids)
}

// SetLineMatch saves what posting found out about lines: a return line's
// credit and a bill line's price variance.
func (tx *Tx) SetLineMatch(ctx context.Context, lines []domain.DocLine) error {
	if len(lines) == 0 {
		return nil
	}
	args := make([]any, 0, 3*len(lines))
	for _, l := range lines {
		args = append(args, l.ID, int64(l.Credit), int64(l.Variance))
	}
	return tx.execValues(ctx, "WITH v(id, c, w) AS (VALUES ", "(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT))", len(lines),
		") UPDATE document_lines SET credit = v.c, variance = v.w FROM v WHERE document_lines.id = v.id", args)
}

// CloseOrder closes an order (or a requisition) in state and all its
// lines: nothing more is expected.
func (tx *Tx) CloseOrder(ctx context.Context, d *domain.Document, state domain.DocState) error {
	res, err := tx.NewUpdate().Model((*docRow)(nil)).Set("closed = TRUE").Set("updated_at = ?", tx.Now).Set("version = version + 1").
		Where("id = ? AND company_id = ? AND version = ? AND state = ? AND closed = FALSE", d.ID, d.CompanyID, d.Version, state).Exec(ctx)
	if err != nil {
		return err
	}
	if err := staleCheck(res, "document"); err != nil {
		return err
	}
	d.Version++
	d.Closed = true
	if _, err = tx.ExecContext(ctx, "UPDATE document_lines SET closed = TRUE WHERE document_id = ?", d.ID); err != nil {
		return err
	}
	if d.Type == domain.DocSalesOrder { // a closed line adds only what was shipped and not invoiced
		return tx.refreshOrderCredit(ctx, d.CompanyID, []int64{d.ID}, nil)
	}
	return nil
}

// SourceLines loads lines by id with the header facts a following document
// checks: the document, its type, state, partner and warehouse.
type SourceLine struct {
	domain.DocLine
	DocumentID  int64
	DocType     domain.DocType
	State       domain.DocState
	Number      string
	PartnerID   int64
	WarehouseID int64
	TaxIncluded bool
	Reversed    bool
	DocClosed   bool
	DocDate     domain.Date
	Salesperson *int64
}

// SourceLines returns the lines with the given ids, keyed by id.
func (tx *Tx) SourceLines(ctx context.Context, companyID int64, ids []int64) (map[int64]SourceLine, error) {
	out := make(map[int64]SourceLine, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	// Each id once: two lines may follow one (two batches of an order
	// line), and an IN list with a value twice made SQLite read the
	// company's lines by its company instead of the lines by id.
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	var rows []struct {
		docLineRow `bun:",extend"`
		DType      domain.DocType
		DState     domain.DocState
		DNumber    string
		DPartner   sql.NullInt64
		DWarehouse sql.NullInt64
		DTaxIncl   bool
		DReversed  sql.NullInt64
		DClosed    bool
		DDate      string
		DSales     *int64
	}
	err := tx.NewSelect().Model(&rows).
		ColumnExpr("l.*").
		ColumnExpr("d.type AS d_type, d.state AS d_state, d.number AS d_number, d.partner_id AS d_partner, d.warehouse_id AS d_warehouse").
		ColumnExpr("d.tax_included AS d_tax_incl, d.reversed_by_id AS d_reversed, d.closed AS d_closed, d.doc_date AS d_date, d.salesperson_id AS d_sales").
		Join("JOIN documents AS d ON d.id = l.document_id").
		Where("l.id IN (?) AND l.company_id = ?", bun.In(ids), companyID).
		Scan(keepDocuments(ctx)) // lines of committed documents (prepare checked them): a new one held to be inserted may wait
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		l := r.docLineRow
		day, err := domain.ParseDate(r.DDate)
		if err != nil {
			return nil, err
		}
		out[l.ID] = SourceLine{DocDate: day, Salesperson: r.DSales,
			DocLine: domain.DocLine{ID: l.ID, LineNo: l.LineNo, ItemID: l.ItemID, UnitID: l.UnitID, Factor: l.Factor, Qty: l.Qty,
				BaseQty: l.BaseQty, Price: l.Price, Amount: l.Amount, LocationID: deref(l.LocationID), Batch: l.Batch,
				TaxRate: l.TaxRate, DiscountRate: l.DiscountRate, Discount: l.Discount, Tax: l.Tax, Gross: l.Gross,
				SourceLineID: deref(l.SourceLineID), RejectedQty: l.RejectedQty, ReceivedQty: l.ReceivedQty, ReturnedQty: l.ReturnedQty,
				BilledQty: l.BilledQty, OrderedQty: l.OrderedQty, Closed: l.Closed, Cost: l.Cost, Credit: l.Credit},
			DocumentID: l.DocumentID, DocType: r.DType, State: r.DState, Number: r.DNumber, PartnerID: r.DPartner.Int64,
			WarehouseID: r.DWarehouse.Int64, TaxIncluded: r.DTaxIncl, Reversed: r.DReversed.Valid, DocClosed: r.DClosed,
		}
	}
	return out, nil
}

// Partner account kinds.
const (
	Payable    = "ap" // what we owe a supplier (应付)
	Receivable = "ar" // what a customer owes us (应收)
)

// PartnerEntry is one row of a partner's account: + raises the balance
// (a bill we owe, an invoice the customer owes), − lowers it.
type PartnerEntry struct {
	PartnerID  int64
	Kind       string
	DocumentID int64
	DocType    domain.DocType
	Date       domain.Date
	DueDate    *domain.Date
	Amount     domain.Money
}

type partnerLedgerRow struct {
	bun.BaseModel `bun:"table:partner_ledger"`
	ID            int64 `bun:",pk"`
	CompanyID     int64
	PartnerID     int64
	Kind          string
	DocumentID    int64
	DocType       domain.DocType
	DocDate       string
	DueDate       sql.NullString
	Amount        domain.Money
	PostedAt      time.Time
}

// AppendPartnerLedger writes rows of partners' accounts.
func (tx *Tx) AppendPartnerLedger(ctx context.Context, companyID int64, es []PartnerEntry) error {
	if len(es) == 0 {
		return nil
	}
	rows := make([]partnerLedgerRow, len(es))
	for i, e := range es {
		rows[i] = partnerLedgerRow{CompanyID: companyID, PartnerID: e.PartnerID, Kind: e.Kind, DocumentID: e.DocumentID, DocType: e.DocType,
			DocDate: e.Date.String(), DueDate: dateToNull(e.DueDate), Amount: e.Amount, PostedAt: tx.Now}
	}
	_, err := tx.NewInsert().Model(&rows).ExcludeColumn("id").Exec(ctx)
	return err
}

// PartnerBalance is a partner's account balance and how much of it is
// overdue or unapplied.
type PartnerBalance struct {
	PartnerID   int64          `json:"partner_id"`
	Code        string         `json:"code"`
	Name        string         `json:"name"`
	NameEn      string         `json:"name_en" doc:"The partner's English name (may be empty)"`
	Balance     domain.Money   `json:"balance" doc:"Bills − credits − payments (+: we owe the supplier)"`
	Open        domain.Money   `json:"open" doc:"Bills not yet paid (核销)"`
	Unapplied   domain.Money   `json:"unapplied" doc:"Payments and credits not yet applied to bills (prepayments included)"`
	Aging       []domain.Money `json:"aging" doc:"Open bills by days past due: current, 1–30, 31–60, 61–90, over 90"`
	LastPosting *domain.Date   `json:"last_posting"`
}

// OpenItem is a posted document on a partner's account with what of it
// is not yet settled.
type OpenItem struct {
	PartnerID  int64          `json:"partner_id"`
	DocumentID int64          `json:"document_id"`
	Number     string         `json:"number"`
	Type       domain.DocType `json:"type"`
	Date       domain.Date    `json:"date"`
	DueDate    *domain.Date   `json:"due_date"`
	Amount     domain.Money   `json:"amount" doc:"+ a bill (debit), − a payment or credit"`
	Settled    domain.Money   `json:"settled"`
	Open       domain.Money   `json:"open" doc:"What is left to settle, signed like amount"`
	SourceID   *int64         `json:"source_id" doc:"A receipt taken on a sales order: that order (a deposit, 订金, kept for its invoice)"`
}

// OpenItems lists the documents of a partner's account (every partner's
// when partnerID is 0) that are not fully settled, oldest first.
func (tx *Tx) OpenItems(ctx context.Context, companyID, partnerID int64, kind string) ([]OpenItem, error) {
	var rows []struct {
		PartnerID  int64
		DocumentID int64
		Number     string
		Type       domain.DocType
		DocDate    string
		DueDate    sql.NullString
		Amount     domain.Money
		Settled    domain.Money
		SourceID   sql.NullInt64
	}
	q := tx.NewSelect().TableExpr("partner_ledger AS p").
		ColumnExpr("p.partner_id, p.document_id, d.number, d.type, p.doc_date, p.due_date, SUM(p.amount) AS amount, d.settled, d.source_id").
		Join("JOIN documents AS d ON d.id = p.document_id").
		Where("p.company_id = ? AND p.kind = ?", companyID, kind).
		Where("d.reversed_by_id IS NULL AND d.reverses_id IS NULL"). // a reversal and its original cancel out
		GroupExpr("p.partner_id, p.document_id, d.number, d.type, p.doc_date, p.due_date, d.settled, d.source_id").
		Having("SUM(p.amount) <> 0 AND ABS(SUM(p.amount)) > d.settled").
		OrderExpr("p.doc_date, p.document_id")
	if partnerID != 0 {
		q = q.Where("p.partner_id = ?", partnerID)
	}
	err := q.Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	out := make([]OpenItem, 0, len(rows))
	for _, r := range rows {
		day, err := domain.ParseDate(r.DocDate)
		if err != nil {
			return nil, err
		}
		due, err := nullToDate(r.DueDate)
		if err != nil {
			return nil, err
		}
		open := r.Amount - r.Settled
		if r.Amount < 0 {
			open = r.Amount + r.Settled
		}
		it := OpenItem{PartnerID: r.PartnerID, DocumentID: r.DocumentID, Number: r.Number, Type: r.Type, Date: day, DueDate: due,
			Amount: r.Amount, Settled: r.Settled, Open: open}
		if r.SourceID.Valid && r.Type == domain.DocReceipt {
			it.SourceID = &r.SourceID.Int64
		}
		out = append(out, it)
	}
	return out, nil
}

// PartnerBalances sums the accounts of kind per partner (of one partner
// when partnerID is set), with ageing of open bills on asOf.
func (tx *Tx) PartnerBalances(ctx context.Context, companyID, partnerID int64, kind string, asOf domain.Date) ([]PartnerBalance, error) {
	var rows []struct {
		PartnerID int64
		Code      string
		Name      string
		NameEn    string
		Balance   domain.Money
		Last      string
	}
	q := tx.NewSelect().TableExpr("partner_ledger AS p").
		ColumnExpr("p.partner_id, c.code, c.name, c.name_en, SUM(p.amount) AS balance, MAX(p.doc_date) AS last").
		Join("JOIN partners AS c ON c.id = p.partner_id").
		Where("p.company_id = ? AND p.kind = ?", companyID, kind).
		GroupExpr("p.partner_id, c.code, c.name, c.name_en").OrderExpr("c.code")
	if partnerID != 0 {
		q = q.Where("p.partner_id = ?", partnerID)
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, err
	}
	// Every partner's open items in one query, not one per partner.
	all, err := tx.OpenItems(ctx, companyID, partnerID, kind)
	if err != nil {
		return nil, err
	}
	byPartner := map[int64][]OpenItem{}
	for _, it := range all {
		byPartner[it.PartnerID] = append(byPartner[it.PartnerID], it)
	}
	out := make([]PartnerBalance, 0, len(rows))
	for _, r := range rows {
		b := PartnerBalance{PartnerID: r.PartnerID, Code: r.Code, Name: r.Name, NameEn: r.NameEn, Balance: r.Balance, Aging: make([]domain.Money, len(domain.AgingBuckets))}
		if d, err := domain.ParseDate(r.Last); err == nil {
			b.LastPosting = &d
		}
		for _, it := range byPartner[r.PartnerID] {
			if it.Open < 0 {
				b.Unapplied -= it.Open
				continue
			}
			b.Open += it.Open
			due := it.Date
			if it.DueDate != nil {
				due = *it.DueDate
			}
			b.Aging[domain.AgingBucket(due, asOf)] += it.Open
		}
		out = append(out, b)
	}
	return out, nil
}

// StatementRow is one document on a partner's statement (对账单).
type StatementRow struct {
	DocumentID int64          `json:"document_id"`
	Number     string         `json:"number"`
	Type       domain.DocType `json:"type"`
	Date       domain.Date    `json:"date"`
	Ref        string         `json:"ref"`
	Debit      domain.Money   `json:"debit" doc:"Raises the balance: a bill"`
	Credit     domain.Money   `json:"credit" doc:"Lowers it: a payment, a return credited"`
	Balance    domain.Money   `json:"balance" doc:"Running balance after this row"`
}

// Statement returns a partner's balance before from and the rows of the
// account from from to to (inclusive), in date order.
func (tx *Tx) Statement(ctx context.Context, companyID, partnerID int64, kind string, from, to domain.Date) (domain.Money, []StatementRow, error) {
	var opening domain.Money
	err := tx.NewSelect().TableExpr("partner_ledger").ColumnExpr("COALESCE(SUM(amount), 0)").
		Where("company_id = ? AND partner_id = ? AND kind = ? AND doc_date < ?", companyID, partnerID, kind, from.String()).Scan(ctx, &opening)
	if err != nil {
		return 0, nil, err
	}
	var rows []struct {
		DocumentID int64
		Number     string
		Type       domain.DocType
		DocDate    string
		Ref        string
		Amount     domain.Money
	}
	err = tx.NewSelect().TableExpr("partner_ledger AS p").
		ColumnExpr("p.document_id, d.number, d.type, p.doc_date, d.ref, p.amount").
		Join("JOIN documents AS d ON d.id = p.document_id").
		Where("p.company_id = ? AND p.partner_id = ? AND p.kind = ? AND p.doc_date >= ? AND p.doc_date <= ?", companyID, partnerID, kind, from.String(), to.String()).
		OrderExpr("p.doc_date, p.id").Scan(ctx, &rows)
	if err != nil {
		return 0, nil, err
	}
	bal := opening
	out := make([]StatementRow, 0, len(rows))
	for _, r := range rows {
		day, err := domain.ParseDate(r.DocDate)
		if err != nil {
			return 0, nil, err
		}
		bal += r.Amount
		s := StatementRow{DocumentID: r.DocumentID, Number: r.Number, Type: r.Type, Date: day, Ref: r.Ref, Balance: bal}
		if r.Amount >= 0 {
			s.Debit = r.Amount
		} else {
			s.Credit = -r.Amount
		}
		out = append(out, s)
	}
	return opening, out, nil
}

// Settlement applies part of a credit (a payment, a credited return) to a
// debit (a bill) of the same partner: 核销.
type Settlement struct {
	ID        int64        `json:"id"`
	PartnerID int64        `json:"partner_id"`
	DebitID   int64        `json:"debit_id" doc:"The bill"`
	CreditID  int64        `json:"credit_id" doc:"The payment or return"`
	Amount    domain.Money `json:"amount"`
	Date      domain.Date  `json:"date"`
	CreatedBy int64        `json:"created_by"`
	CreatedAt time.Time    `json:"created_at"`
	// Filled by Settlements (read only): what the two documents are.
	DebitType    domain.DocType `json:"debit_type,omitempty" doc:"The bill's type. Read only"`
	DebitNumber  string         `json:"debit_number,omitempty" doc:"The bill's number. Read only"`
	CreditType   domain.DocType `json:"credit_type,omitempty" doc:"The payment's or return's type. Read only"`
	CreditNumber string         `json:"credit_number,omitempty" doc:"The payment's or return's number. Read only"`
}

type settlementRow struct {
	bun.BaseModel `bun:"table:settlements"`
	ID            int64 `bun:",pk"`
	CompanyID     int64
	PartnerID     int64
	DebitID       int64
	CreditID      int64
	Amount        domain.Money
	Day           string
	CreatedBy     int64
	CreatedAt     time.Time
}

// Settle records a settlement. Each side's settled amount grows only while
// it stays within what the document put on the partner's account, checked
// in the same statement that raises it, so two allocations racing for the
// same bill can never over-settle it.
// debits and credits are the document types each side may be.
func (tx *Tx) Settle(ctx context.Context, companyID int64, s *Settlement, debits, credits []domain.DocType) error {
	for _, side := range []struct {
		id    int64
		sign  string
		types []domain.DocType
	}{{s.DebitID, "", debits}, {s.CreditID, "-", credits}} {
		res, err := tx.ExecContext(ctx, `UPDATE documents SET settled = settled + ?
			WHERE id = ? AND company_id = ? AND partner_id = ? AND state = ? AND type IN (?)
			AND settled + ? <= (SELECT COALESCE(`+side.sign+`SUM(amount), 0) FROM partner_ledger WHERE document_id = ?)`,
			int64(s.Amount), side.id, companyID, s.PartnerID, domain.DocPosted, bun.In(side.types), int64(s.Amount), side.id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return domain.ErrorKey(domain.EConflict, "error.over_settled", nil, "the amount is more than is open on one of the documents")
		}
	}
	row := settlementRow{CompanyID: companyID, PartnerID: s.PartnerID, DebitID: s.DebitID, CreditID: s.CreditID, Amount: s.Amount,
		Day: s.Date.String(), CreatedBy: s.CreatedBy, CreatedAt: tx.Now}
	if _, err := tx.NewInsert().Model(&row).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return err
	}
	s.ID, s.CreatedAt = row.ID, tx.Now
	return nil
}

// Settlements lists the settlements touching a document whose bill is
// of one of debits (the account's side), with both documents' types and
// numbers.
func (tx *Tx) Settlements(ctx context.Context, companyID, documentID int64, debits []domain.DocType) ([]Settlement, error) {
	var rows []struct {
		ID, PartnerID, DebitID, CreditID, CreatedBy int64
		Amount                                      domain.Money
		Day                                         string
		CreatedAt                                   time.Time
		DebitType, CreditType                       domain.DocType
		DebitNumber, CreditNumber                   string
	}
	if err := tx.NewRaw(`SELECT s.id, s.partner_id, s.debit_id, s.credit_id, s.created_by, s.amount, s.day, s.created_at,
		d.type AS debit_type, d.number AS debit_number, c.type AS credit_type, c.number AS credit_number
		FROM settlements AS s JOIN documents AS d ON d.id = s.debit_id JOIN documents AS c ON c.id = s.credit_id
		WHERE s.company_id = ? AND (s.debit_id = ? OR s.credit_id = ?) AND d.type IN (?) ORDER BY s.id`,
		companyID, documentID, documentID, bun.In(debits)).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	out := make([]Settlement, len(rows))
	for i, r := range rows {
		day, err := domain.ParseDate(r.Day)
		if err != nil {
			return nil, err
		}
		out[i] = Settlement{ID: r.ID, PartnerID: r.PartnerID, DebitID: r.DebitID, CreditID: r.CreditID, Amount: r.Amount, Date: day,
			CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, DebitType: r.DebitType, DebitNumber: r.DebitNumber, CreditType: r.CreditType,
			CreditNumber: r.CreditNumber}
	}
	return out, nil
}

type chargeRow struct {
	bun.BaseModel `bun:"table:landed_charges"`
	ID            int64 `bun:",pk"`
	CompanyID     int64
	DocumentID    int64
	LineNo        int
	Kind          string
	Amount        domain.Money
	TaxRate       domain.Rate
	Net           domain.Money
	Tax           domain.Money
	Gross         domain.Money
	Note          string
}

// saveCharges replaces a landed cost's charges.
func (tx *Tx) saveCharges(ctx context.Context, d *domain.Document) error {
	if d.Type != domain.DocLandedCost {
		return nil
	}
	if _, err := tx.NewDelete().Model((*chargeRow)(nil)).Where("document_id = ?", d.ID).Exec(ctx); err != nil {
		return err
	}
	if len(d.Charges) == 0 {
		return nil
	}
	rows := make([]chargeRow, len(d.Charges))
	for i, c := range d.Charges {
		rows[i] = chargeRow{CompanyID: d.CompanyID, DocumentID: d.ID, LineNo: i + 1, Kind: c.Kind, Amount: c.Amount, TaxRate: c.TaxRate,
			Net: c.Net, Tax: c.Tax, Gross: c.Gross, Note: c.Note}
	}
	_, err := tx.NewInsert().Model(&rows).ExcludeColumn("id").Exec(ctx)
	return err
}

func (tx *Tx) charges(ctx context.Context, documentID int64) ([]domain.LandedCharge, error) {
	var rows []chargeRow
	if err := tx.NewSelect().Model(&rows).Where("document_id = ?", documentID).OrderExpr("line_no").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]domain.LandedCharge, len(rows))
	for i, r := range rows {
		out[i] = domain.LandedCharge{Kind: r.Kind, Amount: r.Amount, TaxRate: r.TaxRate, Net: r.Net, Tax: r.Tax, Gross: r.Gross, Note: r.Note}
	}
	return out, nil
}

// Unsettle removes a settlement, lowering both sides' settled amounts.
func (tx *Tx) Unsettle(ctx context.Context, companyID, id int64, debits []domain.DocType) (Settlement, error) {
	var r settlementRow
	if err := tx.NewSelect().Model(&r).Where("id = ? AND company_id = ?", id, companyID).
		Where("debit_id IN (SELECT id FROM documents WHERE company_id = ? AND type IN (?))", companyID, bun.In(debits)).Scan(ctx); err != nil {
		return Settlement{}, notFound(err, "settlement", id)
	}
	for _, doc := range []int64{r.DebitID, r.CreditID} {
		if _, err := tx.ExecContext(ctx, "UPDATE documents SET settled = settled - ? WHERE id = ? AND company_id = ?", int64(r.Amount), doc, companyID); err != nil {
			return Settlement{}, err
		}
	}
	if _, err := tx.NewDelete().Model((*settlementRow)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
		return Settlement{}, err
	}
	day, err := domain.ParseDate(r.Day)
	return Settlement{ID: r.ID, PartnerID: r.PartnerID, DebitID: r.DebitID, CreditID: r.CreditID, Amount: r.Amount, Date: day,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt}, err
}

// Followers counts the posted, unreversed documents with a line that
// follows one of the document's lines (returns, bills, landed costs of a
// receipt): those have to be reversed first.
func (tx *Tx) Followers(ctx context.Context, companyID, documentID int64) (int, error) {
	n, err := tx.NewSelect().TableExpr("document_lines AS l").
		Join("JOIN documents AS d ON d.id = l.document_id").
		Where("l.company_id = ? AND d.state = ? AND d.reversed_by_id IS NULL AND d.reverses_id IS NULL", companyID, domain.DocPosted).
		Where("l.source_line_id IN (SELECT id FROM document_lines WHERE document_id = ?)", documentID).Count(ctx)
	return int(n), err
}

// PartnerAmount is what a document put on partners' accounts.
func (tx *Tx) PartnerAmount(ctx context.Context, documentID int64) ([]PartnerEntry, error) {
	var rows []partnerLedgerRow
	if err := tx.NewSelect().Model(&rows).Where("document_id = ?", documentID).OrderExpr("id").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]PartnerEntry, len(rows))
	for i, r := range rows {
		out[i] = PartnerEntry{PartnerID: r.PartnerID, Kind: r.Kind, DocumentID: r.DocumentID, DocType: r.DocType, Amount: r.Amount}
	}
	return out, nil
}

// CheckPayables proves the supplier accounts: every posted bill, payment,
// credited return and landed cost has exactly the partner-ledger amount
// its document says (a reversal the opposite), no other document has
// any, and no document is settled beyond what it put on the account.
func (tx *Tx) CheckPayables(ctx context.Context, companyID int64) ([]string, error) {
	var rows []struct {
		ID          int64
		Number      string
		Type        domain.DocType
		State       domain.DocState
		Reversal    bool
		PartnerID   sql.NullInt64
		GrossAmount domain.Money
		Credit      domain.Money
		Settled     domain.Money
		Ledger      domain.Money
		Rows        int
	}
	err := tx.NewRaw(`SELECT d.id, d.number, d.type, d.state, d.reverses_id IS NOT NULL AS reversal, d.partner_id, d.gross_amount, d.settled,
		COALESCE((SELECT SUM(l.credit) FROM document_lines l WHERE l.document_id = d.id), 0)
			+ COALESCE((SELECT SUM(pm.amount) FROM doc_payments pm WHERE pm.document_id = d.id AND pm.method = 'store_credit'), 0) AS credit,
		COALESCE((SELECT SUM(p.amount) FROM partner_ledger p WHERE p.document_id = d.id), 0) AS ledger,
		(SELECT COUNT(*) FROM partner_ledger p WHERE p.document_id = d.id) AS rows
		FROM documents d WHERE d.company_id = ? AND (d.type IN (?) OR EXISTS (SELECT 1 FROM partner_ledger p WHERE p.document_id = d.id))
		ORDER BY d.id`, companyID,
		bun.In([]domain.DocType{domain.DocPurchaseBill, domain.DocPayment, domain.DocPurchaseReturn, domain.DocLandedCost,
			domain.DocSalesInvoice, domain.DocReceipt, domain.DocSalesReturn, domain.DocPOSSale, domain.DocPOSReturn})).Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range rows {
		want := domain.AccountAmount(r.Type, r.State, r.Reversal, r.PartnerID.Valid, r.GrossAmount, r.Credit)
		if r.Ledger != want {
			out = append(out, fmt.Sprintf("document %s (%s, %s): partner account has %s, the document says %s", r.Number, r.Type, r.State, r.Ledger, want))
		}
		if r.Settled < 0 || r.Settled > max(r.Ledger, -r.Ledger) {
			out = append(out, fmt.Sprintf("document %s: settled %s of %s on the account", r.Number, r.Settled, r.Ledger))
		}
	}
	return out, nil
}
