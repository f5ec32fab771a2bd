package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// docRow is the documents table; the business date is a TEXT 'YYYY-MM-DD'
// column on both engines.
type docRow struct {
	bun.BaseModel   `bun:"table:documents,alias:d"`
	ID              int64 `bun:",pk"`
	CompanyID       int64
	Type            domain.DocType
	Number          string
	State           domain.DocState
	DocDate         string
	WarehouseID     int64 `bun:",nullzero"`
	ToWarehouseID   *int64
	PartnerID       *int64
	Reason          string
	Note            string
	Blind           bool
	TwoStep         bool
	SourceID        *int64
	ScopeLocationID *int64
	ScopeCategoryID *int64
	ReversesID      *int64
	ReversedByID    *int64
	TotalQty        domain.Qty
	TotalAmount     domain.Money
	TaxIncluded     bool
	ExpectedDate    sql.NullString
	DueDate         sql.NullString
	Ref             string
	Discount        domain.Money
	TaxAmount       domain.Money
	GrossAmount     domain.Money
	Settled         domain.Money
	Closed          bool
	OpenCredit      domain.Money // a sales order's kept share of its customer's exposure (ordercredit.go)
	AccountID       *int64
	AllocateBy      string
	VarianceTo      string
	SalespersonID   *int64
	PartnerName     string `bun:",scanonly"`
	PartnerNameEn   string `bun:",scanonly"`
	CreatedBy       int64
	PostedBy        *int64
	PostedAt        *time.Time
	Version         int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

type docLineRow struct {
	bun.BaseModel `bun:"table:document_lines,alias:l"`
	ID            int64 `bun:",pk"`
	CompanyID     int64
	DocumentID    int64
	LineNo        int
	ItemID        int64
	UnitID        int64
	Factor        domain.Qty
	Qty           domain.Qty
	BaseQty       domain.Qty
	Price         domain.Price
	Amount        domain.Money
	LocationID    *int64
	ToLocationID  *int64
	Batch         string
	Expiry        sql.NullString
	Note          string
	Role          string
	BookQty       domain.Qty
	CountedQty    *domain.Qty
	Serials       string
	TaxRate       domain.Rate
	DiscountRate  domain.Rate
	Discount      domain.Money
	PromoDiscount domain.Money
	Tax           domain.Money
	Gross         domain.Money
	SourceLineID  *int64
	RejectedQty   domain.Qty
	ReceivedQty   domain.Qty
	ReturnedQty   domain.Qty
	BilledQty     domain.Qty
	OrderedQty    domain.Qty
	Credit        domain.Money
	Variance      domain.Money
	Closed        bool
	Cost          domain.Money
	PriceRule     string
}

func toDocRow(d *domain.Document) *docRow {
	return &docRow{
		ID: d.ID, CompanyID: d.CompanyID, Type: d.Type, Number: d.Number, State: d.State, DocDate: d.Date.String(),
		WarehouseID: d.WarehouseID, ToWarehouseID: d.ToWarehouseID, PartnerID: d.PartnerID, Reason: d.Reason,
		Note: d.Note, Blind: d.Blind, TwoStep: d.TwoStep, SourceID: d.SourceID, ScopeLocationID: d.ScopeLocationID, ScopeCategoryID: d.ScopeCategoryID,
		ReversesID: d.ReversesID, ReversedByID: d.ReversedByID, TotalQty: d.TotalQty,
		TotalAmount: d.TotalAmount, CreatedBy: d.CreatedBy, PostedBy: d.PostedBy, PostedAt: d.PostedAt,
		Version: d.Version, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
		TaxIncluded: d.TaxIncluded, ExpectedDate: dateToNull(d.ExpectedDate), DueDate: dateToNull(d.DueDate), Ref: d.Ref,
		Discount: d.Discount, TaxAmount: d.TaxAmount, GrossAmount: d.GrossAmount, Settled: d.Settled, Closed: d.Closed, AccountID: d.AccountID,
		AllocateBy: d.AllocateBy, VarianceTo: d.VarianceTo, SalespersonID: d.SalespersonID,
	}
}

func (r *docRow) doc() (domain.Document, error) {
	day, err := domain.ParseDate(r.DocDate)
	if err != nil {
		return domain.Document{}, err
	}
	exp, err := nullToDate(r.ExpectedDate)
	if err != nil {
		return domain.Document{}, err
	}
	due, err := nullToDate(r.DueDate)
	if err != nil {
		return domain.Document{}, err
	}
	return domain.Document{
		TaxIncluded: r.TaxIncluded, ExpectedDate: exp, DueDate: due, Ref: r.Ref, Discount: r.Discount, TaxAmount: r.TaxAmount,
		GrossAmount: r.GrossAmount, Settled: r.Settled, Closed: r.Closed, AccountID: r.AccountID, PartnerName: r.PartnerName, PartnerNameEn: r.PartnerNameEn, AllocateBy: r.AllocateBy, VarianceTo: r.VarianceTo,
		SalespersonID: r.SalespersonID,
		ID:            r.ID, CompanyID: r.CompanyID, Type: r.Type, Number: r.Number, State: r.State, Date: day,
		WarehouseID: r.WarehouseID, ToWarehouseID: r.ToWarehouseID, PartnerID: r.PartnerID, Reason: r.Reason,
		Note: r.Note, Blind: r.Blind, TwoStep: r.TwoStep, SourceID: r.SourceID, ScopeLocationID: r.ScopeLocationID, ScopeCategoryID: r.ScopeCategoryID,
		ReversesID: r.ReversesID, ReversedByID: r.ReversedByID, TotalQty: r.TotalQty,
		TotalAmount: r.TotalAmount, CreatedBy: r.CreatedBy, PostedBy: r.PostedBy, PostedAt: r.PostedAt,
		Lines: []domain.DocLine{}, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}, nil
}

func idOrNil(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// NextNumber takes the next sequence number of a document prefix and day in
// a short transaction of its own, so that the counter row is never locked
// for the length of a posting (a hot counter would serialise them all). A
// number taken by a command that then fails is skipped, never reused.
//
// On PostgreSQL that transaction commits without waiting for its WAL flush
// (synchronous_commit off): the document that uses the number commits
// later, and its own flush carries the counter's, since the WAL is one
// sequence; a crash before that loses only a number no document holds.
// SQLite has one writer, so there the counter is taken inside the posting
// (Tx.NextNumber) and costs no commit of its own.
func (db *DB) NextNumber(ctx context.Context, companyID int64, prefix string, day domain.Date) (int64, error) {
	if db.dialect == Postgres {
		// One statement, so one implicit transaction and one round trip;
		// set_config(…, true) is local to it, like SET LOCAL.
		var n int64
		err := db.w.NewRaw(`WITH c AS (SELECT set_config('synchronous_commit', 'off', true) AS s)
	INSERT INTO doc_sequences (company_id, prefix, day, last) SELECT CAST(? AS BIGINT), ?, ?, 1 FROM c
	ON CONFLICT (company_id, prefix, day) DO UPDATE SET last = doc_sequences.last + 1
	RETURNING last`, companyID, prefix, day.String()).Scan(ctx, &n)
		return n, err
	}
	var n int64
	err := db.Update(WithClaim(ctx, nil), func(tx *Tx) error {
		var err error
		n, err = tx.NextNumber(ctx, companyID, prefix, day)
		return err
	})
	return n, err
}

// DocIDs are ids taken for a new document and its lines before its
// transaction (NextNumberIDs).
type DocIDs struct {
	Doc   int64
	Lines []int64
}

// NextNumberIDs is NextNumber that on PostgreSQL, in the same statement,
// also takes ids for a document of lines lines from the documents' and
// lines' sequences. With them CreateDocumentIDs need not wait for the ids
// its INSERTs return: both INSERTs go with the transaction's next statement
// instead of a round trip each. A sequence hands out an id once, whatever
// becomes of the transaction that asked; one not used leaves a gap, as
// any rolled-back insert does. The counter's transaction does not wait for
// its WAL flush (NextNumber), and neither need the sequences: a document
// that holds the ids commits later, and its flush carries theirs. On SQLite
// it is NextNumber, with no ids.
func (db *DB) NextNumberIDs(ctx context.Context, companyID int64, prefix string, day domain.Date, lines int) (int64, DocIDs, error) {
	if db.dialect != Postgres {
		n, err := db.NextNumber(ctx, companyID, prefix, day)
		return n, DocIDs{}, err
	}
	return nextNumberIDs(ctx, db.w, companyID, prefix, day, lines)
}

// NextNumberIDs is DB.NextNumberIDs on the connection of a ViewAhead, where
// it may go in the round trip of the reads sent ahead: a read's statement
// of its own, in PostgreSQL's implicit transaction, not the posting's.
// PostgreSQL only.
func (tx *Tx) NextNumberIDs(ctx context.Context, companyID int64, prefix string, day domain.Date, lines int) (int64, DocIDs, error) {
	if tx.Dialect() != Postgres {
		return 0, DocIDs{}, fmt.Errorf("store: Tx.NextNumberIDs is for PostgreSQL")
	}
	return nextNumberIDs(ctx, tx.IDB, companyID, prefix, day, lines)
}

func nextNumberIDs(ctx context.Context, q bun.IDB, companyID int64, prefix string, day domain.Date, lines int) (int64, DocIDs, error) {
	var (
		n       int64
		ids     DocIDs
		lineIDs sql.NullString
	)
	// The company is a parameter (the cast; pgcache.go), so the statement is
	// prepared; the line count is not: as one, generate_series's estimate
	// for it (1,000 rows) made PostgreSQL plan the statement afresh on
	// every run rather than use a generic plan. A text per line count is a
	// handful of texts.
	err := q.NewRaw(`WITH c AS (SELECT set_config('synchronous_commit', 'off', true) AS s)
	INSERT INTO doc_sequences (company_id, prefix, day, last) SELECT CAST(? AS BIGINT), ?, ?, 1 FROM c
	ON CONFLICT (company_id, prefix, day) DO UPDATE SET last = doc_sequences.last + 1
	RETURNING last, nextval('documents_id_seq'),
		(SELECT string_agg(nextval('document_lines_id_seq')::text, ',') FROM generate_series(1, ?))`,
		companyID, prefix, day.String(), lines).Scan(ctx, &n, &ids.Doc, &lineIDs)
	if err != nil {
		return 0, DocIDs{}, err
	}
	if lineIDs.Valid {
		for f := range strings.SplitSeq(lineIDs.String, ",") {
			id, err := strconv.ParseInt(f, 10, 64)
			if err != nil {
				return 0, DocIDs{}, fmt.Errorf("line ids %q: %w", lineIDs.String, err)
			}
			ids.Lines = append(ids.Lines, id)
		}
	}
	if len(ids.Lines) != lines {
		return 0, DocIDs{}, fmt.Errorf("%d line ids for %d lines", len(ids.Lines), lines)
	}
	return n, ids, nil
}

const nextNumberSQL = `INSERT INTO doc_sequences (company_id, prefix, day, last) VALUES (?, ?, ?, 1)
	ON CONFLICT (company_id, prefix, day) DO UPDATE SET last = doc_sequences.last + 1
	RETURNING last`

// NextNumber takes the next sequence number of a prefix and day in tx.
func (tx *Tx) NextNumber(ctx context.Context, companyID int64, prefix string, day domain.Date) (int64, error) {
	var n int64
	err := tx.NewRaw(nextNumberSQL, companyID, prefix, day.String()).Scan(ctx, &n)
	return n, err
}

// NumbersInPosting reports whether documents take their numbers inside the
// posting transaction (SQLite's single writer) rather than before it.
func (db *DB) NumbersInPosting() bool { return db.dialect == SQLite }

// CreateDocument inserts a document and its lines, setting their IDs.
func (tx *Tx) CreateDocument(ctx context.Context, d *domain.Document) error {
	return tx.CreateDocumentIDs(ctx, d, DocIDs{})
}

// CreateDocumentIDs is CreateDocument with the ids NextNumberIDs took
// for d: on PostgreSQL its header and lines are inserted with them, held to
// go with the transaction's next statement (laterWrites), so neither costs
// a round trip. Without ids for d as it is (none, or not one per line), or
// on SQLite, the database gives the ids and the INSERTs return them.
func (tx *Tx) CreateDocumentIDs(ctx context.Context, d *domain.Document, ids DocIDs) error {
	d.CreatedAt, d.UpdatedAt, d.Version = tx.Now, tx.Now, 1
	if tx.db.dialect != Postgres || ids.Doc == 0 || len(ids.Lines) != len(d.Lines) {
		row := toDocRow(d)
		if err := tx.insertHeader(ctx, row); err != nil {
			return err
		}
		d.ID = row.ID
		if err := tx.insertLines(ctx, d); err != nil {
			return err
		}
		return tx.saveCharges(ctx, d)
	}
	d.ID = ids.Doc
	// Returning("NULL"): bun would return the columns it left to their
	// defaults, and a statement with rows to return cannot be held.
	row := toDocRow(d)
	if _, err := tx.NewInsert().Model(row).Returning("NULL").Exec(laterDocument(ctx, d.ID, true)); err != nil {
		return conflict(err, "document", "number")
	}
	if tx.created == nil {
		tx.created = map[int64]*docRow{}
	}
	tx.created[d.ID] = row
	if len(d.Lines) > 0 {
		rows := lineRows(d)
		for i := range rows {
			rows[i].ID, d.Lines[i].ID = ids.Lines[i], ids.Lines[i]
		}
		if _, err := tx.NewInsert().Model(&rows).Returning("NULL").Exec(laterDocument(ctx, d.ID, false)); err != nil {
			return err
		}
	}
	return tx.saveCharges(ctx, d)
}

// CreatePostedDocument is CreateDocumentIDs for a draft d that this
// transaction posts next, by user by (SetDocState from draft to posted). On
// SQLite its header is inserted as that SetDocState will leave it (posted,
// version 2, an order's kept credit), and SetDocState then writes nothing
// unless the posting changed one of its columns in between: one row
// version and one entry in the state index instead of an insert and an
// update, in the single writer. d stays a draft in memory until then;
// only the database's row reads posted, so the caller uses it where the
// posting's reads in between cannot mistake it for one posted before (a
// sales order: its credit read subtracts its kept figure, counted in its
// customer's here, from that). A transaction that
// inserts a document so and does not post it fails (DB.Update). On
// PostgreSQL it is CreateDocumentIDs: the held INSERT is rewritten there
// instead (SetDocState).
func (tx *Tx) CreatePostedDocument(ctx context.Context, d *domain.Document, ids DocIDs, by int64) error {
	if tx.db.dialect == Postgres {
		return tx.CreateDocumentIDs(ctx, d, ids)
	}
	d.CreatedAt, d.UpdatedAt, d.Version = tx.Now, tx.Now, 1
	confirming, confirmed, err := confirmation(d, domain.DocPosted)
	if err != nil {
		return err
	}
	row := toDocRow(d)
	at := tx.Now
	post := *d
	post.PostedBy, post.PostedAt = &by, &at
	stateChange(row, &post, domain.DocPosted, tx.Now, confirming, confirmed)
	row.Version = 2
	if err := tx.insertHeader(ctx, row); err != nil {
		return err
	}
	d.ID = row.ID
	if tx.posted == nil {
		tx.posted = map[int64]*docRow{}
	}
	tx.posted[d.ID] = row
	if err := tx.insertLines(ctx, d); err != nil {
		return err
	}
	if err := tx.saveCharges(ctx, d); err != nil {
		return err
	}
	if !confirming {
		return nil
	}
	// The customer's kept figure moves with the row that now counts in it
	// (CheckOrderCredit), so that the credit read, which subtracts this
	// order's figure from it, reads what it read before the order.
	return tx.addOnOrder(ctx, []int64{*d.PartnerID}, map[int64]domain.Money{*d.PartnerID: confirmed})
}

// insertHeader inserts a new document's row and sets its id; on SQLite
// with its values bound (boundinsert.go).
func (tx *Tx) insertHeader(ctx context.Context, row *docRow) error {
	if tx.db.dialect == SQLite {
		if q, args, ok := tx.db.boundInsert([]docRow{*row}, "id", "RETURNING id"); ok {
			ids, err := queryBoundRows(ctx, tx, q, args, func(r *sql.Rows, id *int64) error { return r.Scan(id) })
			if err != nil {
				return conflict(err, "document", "number")
			}
			if len(ids) != 1 {
				return fmt.Errorf("insert document: %d ids returned", len(ids))
			}
			row.ID = ids[0]
			return nil
		}
	}
	if _, err := tx.NewInsert().Model(row).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return conflict(err, "document", "number")
	}
	return nil
}

// confirmation says whether moving d to state to confirms a sales order
// (its credit is then taken from the lines in hand) and that credit.
func confirmation(d *domain.Document, to domain.DocState) (bool, domain.Money, error) {
	order := d.Type == domain.DocSalesOrder && d.PartnerID != nil
	if !order || to != domain.DocPosted || d.State == domain.DocPosted || d.ReversedByID != nil || len(d.Lines) == 0 {
		return false, 0, nil
	}
	var confirmed domain.Money
	for _, l := range d.Lines {
		v, err := creditLine{Counted: true, DocClosed: d.Closed, Gross: l.Gross, BaseQty: l.BaseQty, Received: l.ReceivedQty,
			Billed: l.BilledQty, LineClosed: l.Closed}.share()
		if err != nil {
			return false, 0, err
		}
		confirmed += v
	}
	return true, confirmed, nil
}

// stateChange writes into n the columns SetDocState changes and names them.
func stateChange(n *docRow, d *domain.Document, to domain.DocState, now time.Time, confirming bool, confirmed domain.Money) []string {
	n.State, n.PostedBy, n.PostedAt, n.TotalAmount, n.ReversedByID = to, d.PostedBy, d.PostedAt, d.TotalAmount, d.ReversedByID
	n.TaxAmount, n.GrossAmount, n.DueDate, n.UpdatedAt = d.TaxAmount, d.GrossAmount, dateToNull(d.DueDate), now
	cols := []string{"state", "posted_by", "posted_at", "total_amount", "reversed_by_id", "tax_amount", "gross_amount", "due_date", "updated_at"}
	if confirming {
		n.OpenCredit, cols = confirmed, append(cols, "open_credit")
	}
	return cols
}

// sameStateChange reports whether a and b agree on every column stateChange writes.
func sameStateChange(a, b *docRow) bool {
	return a.State == b.State && sameID(a.PostedBy, b.PostedBy) && sameTime(a.PostedAt, b.PostedAt) && a.TotalAmount == b.TotalAmount &&
		sameID(a.ReversedByID, b.ReversedByID) && a.TaxAmount == b.TaxAmount && a.GrossAmount == b.GrossAmount &&
		a.DueDate == b.DueDate && a.UpdatedAt.Equal(b.UpdatedAt) && a.OpenCredit == b.OpenCredit
}

func sameID(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func sameTime(a, b *time.Time) bool { return (a == nil) == (b == nil) && (a == nil || a.Equal(*b)) }

// lineRows are d's lines as rows, numbered from 1.
func lineRows(d *domain.Document) []docLineRow {
	rows := make([]docLineRow, len(d.Lines))
	for i := range d.Lines {
		l := &d.Lines[i]
		l.LineNo = i + 1
		rows[i] = docLineRow{
			CompanyID: d.CompanyID, DocumentID: d.ID, LineNo: l.LineNo, ItemID: l.ItemID, UnitID: l.UnitID,
			Factor: l.Factor, Qty: l.Qty, BaseQty: l.BaseQty, Price: l.Price, Amount: l.Amount,
			LocationID: idOrNil(l.LocationID), ToLocationID: idOrNil(l.ToLocationID), Batch: l.Batch,
			Expiry: dateToNull(l.Expiry), Note: l.Note, Role: l.Role, BookQty: l.BookQty, CountedQty: l.CountedQty,
			Serials: serialsJSON(l.Serials), TaxRate: l.TaxRate, DiscountRate: l.DiscountRate, Discount: l.Discount, Tax: l.Tax,
			Gross: l.Gross, SourceLineID: idOrNil(l.SourceLineID), RejectedQty: l.RejectedQty, Credit: l.Credit, Variance: l.Variance,
			PriceRule: l.PriceRule, PromoDiscount: l.PromoDiscount,
		}
	}
	return rows
}

func (tx *Tx) insertLines(ctx context.Context, d *domain.Document) error {
	if len(d.Lines) == 0 {
		return nil
	}
	rows := lineRows(d)
	// The new ids come back with their line numbers (both engines support
	// RETURNING), so no second read is needed; the order of RETURNING
	// rows is not promised, the line number is.
	var ids []lineID
	if q, args, ok := tx.boundLines(rows); ok {
		var err error
		if ids, err = tx.scanLineIDs(ctx, q, args); err != nil {
			return err
		}
	} else if err := tx.NewInsert().Model(&rows).ExcludeColumn("id").Returning("id, line_no").Scan(ctx, &ids); err != nil {
		return err
	}
	if len(ids) != len(d.Lines) {
		return fmt.Errorf("insert lines: %d ids for %d lines", len(ids), len(d.Lines))
	}
	for _, r := range ids {
		d.Lines[r.LineNo-1].ID = r.ID
	}
	return nil
}

type lineID struct {
	ID     int64
	LineNo int
}

// boundLines is, on SQLite, the bound INSERT of rows returning their ids
// (boundinsert.go); ok is false elsewhere, or for a long document.
func (tx *Tx) boundLines(rows []docLineRow) (string, []any, bool) {
	if tx.db.dialect != SQLite {
		return "", nil, false
	}
	return tx.db.boundInsert(rows, "id", "RETURNING id, line_no")
}

func (tx *Tx) scanLineIDs(ctx context.Context, q string, args []any) ([]lineID, error) {
	return queryBoundRows(ctx, tx, q, args, func(r *sql.Rows, l *lineID) error { return r.Scan(&l.ID, &l.LineNo) })
}

// UpdateDraft replaces a document's header and lines if its version still
// matches and it is still in one of the given states.
func (tx *Tx) UpdateDraft(ctx context.Context, d *domain.Document, states ...domain.DocState) error {
	d.UpdatedAt = tx.Now
	row := toDocRow(d)
	res, err := tx.NewUpdate().Model(row).
		Column("doc_date", "warehouse_id", "to_warehouse_id", "partner_id", "reason", "note", "blind", "two_step", "total_qty", "total_amount",
			"tax_included", "expected_date", "due_date", "ref", "discount", "tax_amount", "gross_amount", "account_id", "source_id", "allocate_by", "variance_to", "salesperson_id", "updated_at").
		Set("version = version + 1").
		Where("id = ? AND company_id = ? AND version = ? AND state IN (?)", d.ID, d.CompanyID, d.Version, bun.In(states)).Exec(ctx)
	if err != nil {
		return err
	}
	if err := staleCheck(res, "document"); err != nil {
		return err
	}
	d.Version++
	if _, err := tx.NewDelete().Model((*docLineRow)(nil)).Where("document_id = ?", d.ID).Exec(ctx); err != nil {
		return err
	}
	if err := tx.insertLines(ctx, d); err != nil {
		return err
	}
	return tx.saveCharges(ctx, d)
}

// SetDocState moves a document to a new state if its version matches and
// its state is one of from; it also saves who posted it and the totals.
func (tx *Tx) SetDocState(ctx context.Context, d *domain.Document, to domain.DocState, from ...domain.DocState) error {
	d.UpdatedAt = tx.Now
	// A sales order confirmed from a state that never counted (its kept
	// credit is 0) takes its credit from the lines in hand; any other
	// change of a counted order's state is recomputed from the database.
	order := d.Type == domain.DocSalesOrder && d.PartnerID != nil
	confirming, confirmed, err := confirmation(d, to)
	if err != nil {
		return err
	}
	// The row as the change leaves it: the columns below are the change,
	// written by an UPDATE or, for a held INSERT, into it.
	var n docRow
	r, created := tx.created[d.ID]
	if created {
		n = *r
	}
	pre, prePosted := tx.posted[d.ID]
	if prePosted {
		n = *pre
	}
	cols := stateChange(&n, d, to, tx.Now, confirming, confirmed)
	q := tx.NewUpdate().Model(&n).Column(cols...).Set("version = version + 1").
		Where("id = ? AND company_id = ? AND version = ? AND state IN (?)", d.ID, d.CompanyID, d.Version, bun.In(from))
	switch {
	case prePosted && to == domain.DocPosted && pre.Version == d.Version+1 && slices.Contains(from, d.State):
		// Inserted as this change leaves it (CreatePostedDocument): nothing
		// to write unless the posting changed what it had then.
		delete(tx.posted, d.ID)
		if !sameStateChange(&n, pre) {
			if _, err := tx.NewUpdate().Model(&n).Column(cols...).Where("id = ?", d.ID).Exec(ctx); err != nil {
				return err
			}
		}
	case prePosted:
		return fmt.Errorf("store: document %d was inserted posted, not moved to %s", d.ID, to)
	case created && r.Version == d.Version && slices.Contains(from, d.State):
		// A document this transaction inserted is seen by no other until it
		// commits, so nobody can have changed it. While its INSERT is still
		// held (a posting's reads ahead leave it so, pgcache.go), the INSERT
		// is rewritten to the row this update would leave: one row version
		// instead of two, and no update of its eight indexes. Otherwise the
		// update is held for the next statement instead of waiting for its
		// row count; should it match no row all the same (a fault of this
		// transaction's own), it divides by zero and fails the transaction.
		n.Version = r.Version + 1
		ins, err := tx.NewInsert().Model(&n).Returning("NULL").AppendQuery(tx.db.w.QueryGen(), nil)
		if err != nil {
			return err
		}
		if !tx.replaceHeader(d.ID, string(ins)) {
			if _, err := tx.ExecContext(laterWrites(ctx), "WITH u AS ("+q.String()+" RETURNING 1) SELECT 1 / count(*) FROM u"); err != nil {
				return err
			}
		}
		tx.created[d.ID] = &n
	default:
		res, err := q.Exec(ctx)
		if err != nil {
			return err
		}
		if err := staleCheck(res, "document"); err != nil {
			return err
		}
	}
	was := d.State
	d.State = to
	d.Version++
	switch {
	case confirming:
		if prePosted { // its kept credit was counted when it was inserted
			confirmed -= pre.OpenCredit
		}
		return tx.addOnOrder(ctx, []int64{*d.PartnerID}, map[int64]domain.Money{*d.PartnerID: confirmed})
	case order && (to == domain.DocPosted || was == domain.DocPosted):
		return tx.refreshOrderCredit(ctx, d.CompanyID, []int64{d.ID}, nil)
	}
	return nil
}

// SetLineCosts saves the cost of posted issue lines in one statement, held
// on PostgreSQL for the next (nothing reads its count): sent at once, it
// would also send the held INSERT of a document posted at creation, which
// is then updated instead of inserted posted (SetDocState).
func (tx *Tx) SetLineCosts(ctx context.Context, lines []domain.DocLine) error {
	if len(lines) == 0 {
		return nil
	}
	args := make([]any, 0, 3*len(lines))
	for _, l := range lines {
		args = append(args, l.ID, int64(l.Price), int64(l.Amount))
	}
	return tx.execValues(laterWrites(ctx), "WITH v(id, price, amount) AS (VALUES ", "(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT))", len(lines),
		") UPDATE document_lines SET price = v.price, amount = v.amount FROM v WHERE document_lines.id = v.id", args)
}

// execValues runs head, n copies of row joined by commas, and tail as one
// statement: the set-wise updates of many lines. Built once, in linear
// time, whatever the number of lines.
func (tx *Tx) execValues(ctx context.Context, head, row string, n int, tail string, args []any) error {
	var b strings.Builder
	b.Grow(len(head) + n*(len(row)+2) + len(tail))
	b.WriteString(head)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	b.WriteString(tail)
	_, err := tx.ExecContext(ctx, b.String(), args...)
	return err
}

// partnerName names a document's partner in both languages: two lookups by
// primary key, so a list or a document read joins nothing.
const partnerName = "(SELECT p.name FROM partners AS p WHERE p.id = d.partner_id) AS partner_name, " +
	"(SELECT p.name_en FROM partners AS p WHERE p.id = d.partner_id) AS partner_name_en"

// documentHeader and documentLines are Document's two reads.
func (tx *Tx) documentHeader(row *docRow, companyID, id int64) *bun.SelectQuery {
	return tx.NewSelect().Model(row).ColumnExpr("d.*").ColumnExpr(partnerName).Where("d.id = ? AND d.company_id = ?", id, companyID)
}

func (tx *Tx) documentLines(lines *[]docLineRow, id int64) *bun.SelectQuery {
	return tx.NewSelect().Model(lines).Where("l.document_id = ?", id).OrderExpr("l.line_no")
}

// DocumentView is View for fn, which reads document id first (Document):
// on PostgreSQL its header and its lines go in one round trip
// (ViewAhead) — the answer to a posting, and every document opened.
func (db *DB) DocumentView(ctx context.Context, companyID, id int64, fn func(tx *Tx) error) error {
	return db.ViewAhead(ctx, func(tx *Tx) {
		var row docRow
		_ = tx.documentHeader(&row, companyID, id).Scan(ctx)
		var lines []docLineRow
		_ = tx.documentLines(&lines, id).Scan(ctx)
	}, fn)
}

// Document loads one document with its lines.
func (tx *Tx) Document(ctx context.Context, companyID, id int64) (domain.Document, error) {
	var row docRow
	if err := tx.documentHeader(&row, companyID, id).Scan(ctx); err != nil {
		return domain.Document{}, notFound(err, "document", id)
	}
	d, err := row.doc()
	if err != nil {
		return d, err
	}
	if err := tx.fillReceipts(ctx, companyID, []*domain.Document{&d}); err != nil {
		return d, err
	}
	var lines []docLineRow
	if err := tx.documentLines(&lines, id).Scan(ctx); err != nil {
		return d, err
	}
	if d.Type == domain.DocLandedCost {
		if d.Charges, err = tx.charges(ctx, id); err != nil {
			return d, err
		}
	}
	for _, l := range lines {
		exp, err := nullToDate(l.Expiry)
		if err != nil {
			return d, err
		}
		d.Lines = append(d.Lines, domain.DocLine{
			ID: l.ID, LineNo: l.LineNo, ItemID: l.ItemID, UnitID: l.UnitID, Factor: l.Factor, Qty: l.Qty,
			BaseQty: l.BaseQty, Price: l.Price, Amount: l.Amount, LocationID: deref(l.LocationID),
			ToLocationID: deref(l.ToLocationID), Batch: l.Batch, Expiry: exp, Note: l.Note,
			Role: l.Role, BookQty: l.BookQty, CountedQty: l.CountedQty, Serials: serialsOf(l.Serials),
			TaxRate: l.TaxRate, DiscountRate: l.DiscountRate, Discount: l.Discount, Tax: l.Tax, Gross: l.Gross,
			SourceLineID: deref(l.SourceLineID), RejectedQty: l.RejectedQty, ReceivedQty: l.ReceivedQty, ReturnedQty: l.ReturnedQty,
			BilledQty: l.BilledQty, OrderedQty: l.OrderedQty, Credit: l.Credit, Variance: l.Variance, Closed: l.Closed,
			Cost: l.Cost, PriceRule: l.PriceRule, PromoDiscount: l.PromoDiscount,
		})
	}
	if d.Type.IsPOS() {
		if d.Payments, err = tx.payments(ctx, id); err != nil {
			return d, err
		}
	}
	if d.Type == domain.DocSalesOrder && d.State == domain.DocPosted {
		if err := tx.fillReserved(ctx, companyID, d.Lines); err != nil {
			return d, err
		}
	}
	return d, nil
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// DocFilter narrows the document list.
type DocFilter struct {
	ListFilter
	Types       []domain.DocType
	State       domain.DocState
	WarehouseID int64
	ItemID      int64 // documents with a line of this item
	PartnerID   int64
	AccountID   int64
	Salesperson int64
	CreatedBy   int64 // documents this user made (a counter's cashier)
	SourceID    int64 // documents that follow this one
	Open        bool  // orders still owed something: posted, not closed, a line not fully received
	From, To    *domain.Date
	Warehouses  map[int64]bool // the caller's data scope; nil = all
}

var docSorts = map[string]string{
	"number": "d.number", "date": "d.doc_date", "state": "d.state", "created_at": "d.created_at", "total_amount": "d.total_amount",
}

// ListDocuments returns a page of documents (without lines) and the total.
func (tx *Tx) ListDocuments(ctx context.Context, f DocFilter) ([]domain.Document, int, error) {
	var rows []docRow
	q := tx.NewSelect().Model(&rows).ColumnExpr("d.*").ColumnExpr(partnerName).Where("d.company_id = ?", f.CompanyID)
	if len(f.Types) > 0 {
		q = q.Where("d.type IN (?)", bun.In(f.Types))
	}
	if f.State != "" {
		q = q.Where("d.state = ?", f.State)
	}
	if f.WarehouseID != 0 {
		q = q.Where("(d.warehouse_id = ? OR d.to_warehouse_id = ?)", f.WarehouseID, f.WarehouseID)
	}
	if f.Warehouses != nil {
		ids := make([]int64, 0, len(f.Warehouses))
		for id := range f.Warehouses {
			ids = append(ids, id)
		}
		if len(ids) == 0 {
			ids = append(ids, 0)
		}
		q = q.Where("d.warehouse_id IN (?)", bun.In(ids))
	}
	if f.ItemID != 0 {
		q = q.Where("EXISTS (SELECT 1 FROM document_lines l WHERE l.document_id = d.id AND l.item_id = ?)", f.ItemID)
	}
	if f.PartnerID != 0 {
		q = q.Where("d.partner_id = ?", f.PartnerID)
	}
	if f.AccountID != 0 {
		q = q.Where("d.account_id = ?", f.AccountID)
	}
	if f.Salesperson != 0 {
		q = q.Where("d.salesperson_id = ?", f.Salesperson)
	}
	if f.CreatedBy != 0 {
		q = q.Where("d.created_by = ?", f.CreatedBy)
	}
	if f.SourceID != 0 {
		q = q.Where("(d.source_id = ? OR EXISTS (SELECT 1 FROM document_lines l JOIN document_lines s ON s.id = l.source_line_id WHERE l.document_id = d.id AND s.document_id = ?))",
			f.SourceID, f.SourceID)
	}
	if f.Open {
		q = q.Where("d.state = ? AND d.closed = FALSE AND d.reversed_by_id IS NULL", domain.DocPosted).
			Where("EXISTS (SELECT 1 FROM document_lines l WHERE l.document_id = d.id AND l.closed = FALSE AND l.received_qty < l.base_qty)")
	}
	if f.From != nil {
		q = q.Where("d.doc_date >= ?", f.From.String())
	}
	if f.To != nil {
		q = q.Where("d.doc_date <= ?", f.To.String())
	}
	if s := searchTerm(f.Q); s != "" {
		// The number, the partner's own number or the note; or the partner by
		// code, name, English name or 助记码 (a clerk looking for an order
		// types the supplier).
		like, low := "%"+likeEscape(s)+"%", "%"+likeEscape(lower(s))+"%"
		lo, hi := prefixRange(lower(s))
		q = q.Where(`(d.number LIKE ? ESCAPE '\' OR d.note LIKE ? ESCAPE '\' OR d.ref LIKE ? ESCAPE '\'
			OR d.partner_id IN (SELECT p.id FROM partners p WHERE p.company_id = d.company_id AND (lower(p.code) LIKE ? ESCAPE '\'
				OR lower(p.name) LIKE ? ESCAPE '\' OR lower(p.name_en) LIKE ? ESCAPE '\' OR (p.mnemonic >= ? AND p.mnemonic < ?))))`,
			like, like, like, low, low, low, lo, hi)
	}
	sort := f.Sort
	if sort == "" {
		sort = "-created_at"
	}
	q = applySort(q, "d", sort, docSorts, "created_at")
	n, err := q.Offset(f.offset()).Limit(f.limit()).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, err
	}
	out := make([]domain.Document, len(rows))
	ptrs := make([]*domain.Document, len(rows))
	for i := range rows {
		if out[i], err = rows[i].doc(); err != nil {
			return nil, 0, err
		}
		ptrs[i] = &out[i]
	}
	return out, int(n), tx.fillReceipts(ctx, f.CompanyID, ptrs)
}

// SetCounts saves counted quantities of stocktake lines (nil = not counted)
// in one statement, and appends new lines (items found that were not on
// the sheet).
func (tx *Tx) SetCounts(ctx context.Context, d *domain.Document, changed []domain.DocLine, added []domain.DocLine) error {
	if len(changed) > 0 {
		args := make([]any, 0, 2*len(changed)+1)
		for _, l := range changed {
			var c any
			if l.CountedQty != nil {
				c = int64(*l.CountedQty)
			}
			args = append(args, l.ID, c)
		}
		args = append(args, d.ID)
		if err := tx.execValues(ctx, "WITH v(id, counted) AS (VALUES ", "(?, CAST(? AS BIGINT))", len(changed),
			") UPDATE document_lines SET counted_qty = v.counted FROM v WHERE document_lines.id = v.id AND document_lines.document_id = ?", args); err != nil {
			return err
		}
	}
	if len(added) > 0 {
		next := len(d.Lines) + 1
		rows := make([]docLineRow, len(added))
		for i, l := range added {
			rows[i] = docLineRow{CompanyID: d.CompanyID, DocumentID: d.ID, LineNo: next + i, ItemID: l.ItemID, UnitID: l.UnitID,
				Factor: domain.QtyOne, LocationID: idOrNil(l.LocationID), Batch: l.Batch, Expiry: dateToNull(l.Expiry),
				BookQty: l.BookQty, CountedQty: l.CountedQty, Note: l.Note}
		}
		if _, err := tx.NewInsert().Model(&rows).ExcludeColumn("id").Exec(ctx); err != nil {
			return err
		}
	}
	res, err := tx.NewUpdate().Model((*docRow)(nil)).Set("version = version + 1").Set("updated_at = ?", tx.Now).
		Where("id = ? AND version = ? AND state = ?", d.ID, d.Version, domain.DocDraft).Exec(ctx)
	if err != nil {
		return err
	}
	return staleCheck(res, "document")
}

// SheetRow is a balance row a stocktake freezes.
type SheetRow struct {
	ItemID     int64
	UnitID     int64
	LocationID int64
	Batch      string
	Expiry     sql.NullString
	OnHand     domain.Qty
}

// StocktakeSheet lists the balance rows with stock in a warehouse that a
// count covers, optionally only a location subtree and a category subtree;
// serial items are left out. Items found during the count that are not on
// the sheet are added then.
func (tx *Tx) StocktakeSheet(ctx context.Context, companyID, warehouseID int64, locationID, categoryID *int64) ([]SheetRow, error) {
	var rows []SheetRow
	q := tx.NewSelect().TableExpr("stock_balances AS b").
		ColumnExpr("b.item_id, i.base_unit_id AS unit_id, b.location_id, b.batch, b.expiry, b.on_hand").
		Join("JOIN items AS i ON i.id = b.item_id").
		Where("b.company_id = ? AND b.warehouse_id = ? AND b.on_hand <> 0 AND i.tracking <> ?", companyID, warehouseID, domain.TrackSerial)
	if locationID != nil {
		q = q.Where(`b.location_id IN (WITH RECURSIVE sub(id) AS (SELECT id FROM locations WHERE id = ? AND company_id = ?
			UNION ALL SELECT l.id FROM locations l JOIN sub ON l.parent_id = sub.id) SELECT id FROM sub)`, *locationID, companyID)
	}
	if categoryID != nil {
		q = q.Where("i.category_id IN (?)", tx.categorySubtree(companyID, *categoryID))
	}
	err := q.OrderExpr("b.location_id, i.code, b.batch").Scan(ctx, &rows)
	return rows, err
}

type bomRow struct {
	bun.BaseModel `bun:"table:boms"`
	ItemID        int64
	CompanyID     int64
	LineNo        int
	ComponentID   int64
	Qty           domain.Qty
}

// BOM loads the bill of materials of an item (empty when it has none).
func (tx *Tx) BOM(ctx context.Context, companyID, itemID int64) ([]domain.BOMLine, error) {
	var rows []bomRow
	if err := tx.NewSelect().Model(&rows).Where("company_id = ? AND item_id = ?", companyID, itemID).OrderExpr("line_no").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]domain.BOMLine, len(rows))
	for i, r := range rows {
		out[i] = domain.BOMLine{ComponentID: r.ComponentID, Qty: r.Qty}
	}
	return out, nil
}

// SetBOM replaces the bill of materials of an item.
func (tx *Tx) SetBOM(ctx context.Context, companyID, itemID int64, lines []domain.BOMLine) error {
	if _, err := tx.NewDelete().Model((*bomRow)(nil)).Where("company_id = ? AND item_id = ?", companyID, itemID).Exec(ctx); err != nil {
		return err
	}
	if len(lines) == 0 {
		return nil
	}
	rows := make([]bomRow, len(lines))
	for i, l := range lines {
		rows[i] = bomRow{ItemID: itemID, CompanyID: companyID, LineNo: i + 1, ComponentID: l.ComponentID, Qty: l.Qty}
	}
	_, err := tx.NewInsert().Model(&rows).Exec(ctx)
	return err
}

// InTransit lists two-step transfers that are shipped and not yet received
// (nor reversed), oldest first.
func (tx *Tx) InTransit(ctx context.Context, companyID int64, warehouses map[int64]bool) ([]domain.Document, error) {
	var rows []docRow
	q := tx.NewSelect().Model(&rows).Where("d.company_id = ? AND d.type = ? AND d.two_step = TRUE AND d.state = ?", companyID, domain.DocStockTransfer, domain.DocPosted).
		Where("d.reversed_by_id IS NULL AND d.reverses_id IS NULL").
		Where("NOT EXISTS (SELECT 1 FROM documents r WHERE r.source_id = d.id AND r.state = ? AND r.reversed_by_id IS NULL AND r.reverses_id IS NULL)", domain.DocPosted)
	if warehouses != nil {
		q = q.Where("(d.warehouse_id IN (?) OR d.to_warehouse_id IN (?))", bun.In(scopeIDs(warehouses)), bun.In(scopeIDs(warehouses)))
	}
	if err := q.OrderExpr("d.doc_date, d.id").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]domain.Document, len(rows))
	for i := range rows {
		var err error
		if out[i], err = rows[i].doc(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// fillReceipts sets ReceivedBy on the two-step transfers among docs that
// have arrived, in one query: a receipt is a posted, unreversed transfer
// whose source is the transfer.
func (tx *Tx) fillReceipts(ctx context.Context, companyID int64, docs []*domain.Document) error {
	byID := map[int64]*domain.Document{}
	for _, d := range docs {
		if d.Type == domain.DocStockTransfer && d.TwoStep && d.SourceID == nil && d.State == domain.DocPosted {
			byID[d.ID] = d
		}
	}
	if len(byID) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	var rows []struct {
		SourceID, ID int64
		Number       string
		DocDate      string
	}
	err := tx.NewSelect().Model((*docRow)(nil)).Column("source_id", "id", "number", "doc_date").
		// Through the index by source (the subquery): written as source_id
		// IN (…) beside the company and the state, SQLite read every posted
		// document of the company instead.
		Where("company_id = ? AND id IN (SELECT id FROM documents WHERE source_id IN (?)) AND state = ? AND reversed_by_id IS NULL AND reverses_id IS NULL",
			companyID, bun.In(ids), domain.DocPosted).
		OrderExpr("id").Scan(ctx, &rows)
	if err != nil {
		return err
	}
	for _, r := range rows {
		day, err := domain.ParseDate(r.DocDate)
		if err != nil {
			return err
		}
		if d := byID[r.SourceID]; d.ReceivedBy == nil {
			d.ReceivedBy = &domain.DocRef{ID: r.ID, Number: r.Number, Date: day}
		}
	}
	return nil
}

// Received returns the posted, unreversed transit receipt of a transfer, if any.
func (tx *Tx) Received(ctx context.Context, companyID, transferID int64) (int64, error) {
	var ids []int64
	err := tx.NewSelect().Model((*docRow)(nil)).Column("id").
		Where("company_id = ? AND source_id = ? AND state = ? AND reversed_by_id IS NULL AND reverses_id IS NULL", companyID, transferID, domain.DocPosted).
		Scan(ctx, &ids)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	return ids[0], nil
}

func serialsJSON(s []string) string {
	if len(s) == 0 {
		return ""
	}
	b, _ := json.Marshal(s)
	return string(b)
}

func serialsOf(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	_ = json.Unmarshal([]byte(s), &out)
	return out
}
