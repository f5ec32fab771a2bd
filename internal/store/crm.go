package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// The customer's page (light CRM): the follow-up log, the reminders, and
// the figures read from sales documents and the customer's account.

type followUpRow struct {
	bun.BaseModel `bun:"table:partner_followups,alias:f"`
	ID            int64 `bun:",pk"`
	CompanyID     int64
	PartnerID     int64
	UserID        int64
	Day           string
	Kind          domain.FollowUpKind
	Note          string
	NextAction    string
	NextDate      sql.NullString
	Done          bool
	DoneAt        *time.Time
	DoneBy        *int64
	CreatedAt     time.Time
	PartnerCode   string `bun:",scanonly"`
	PartnerName   string `bun:",scanonly"`
	PartnerNameEn string `bun:",scanonly"`
	UserName      string `bun:",scanonly"`
}

func (r *followUpRow) followUp() (domain.FollowUp, error) {
	day, err := domain.ParseDate(r.Day)
	if err != nil {
		return domain.FollowUp{}, err
	}
	next, err := nullToDate(r.NextDate)
	if err != nil {
		return domain.FollowUp{}, err
	}
	return domain.FollowUp{ID: r.ID, CompanyID: r.CompanyID, PartnerID: r.PartnerID, PartnerCode: r.PartnerCode, PartnerName: r.PartnerName, PartnerNameEn: r.PartnerNameEn,
		UserID: r.UserID, UserName: r.UserName, Day: day, Kind: r.Kind, Note: r.Note, NextAction: r.NextAction, NextDate: next,
		Done: r.Done, DoneAt: r.DoneAt, CreatedAt: r.CreatedAt}, nil
}

// selectFollowUps starts a query of follow-ups with the partner's and the
// user's names.
func (tx *Tx) selectFollowUps(rows *[]followUpRow) *bun.SelectQuery {
	return tx.NewSelect().Model(rows).ColumnExpr("f.*").
		ColumnExpr("p.code AS partner_code, p.name AS partner_name, p.name_en AS partner_name_en").
		ColumnExpr("COALESCE(NULLIF(u.display_name, ''), u.username) AS user_name").
		Join("JOIN partners AS p ON p.id = f.partner_id").
		Join("JOIN users AS u ON u.id = f.user_id")
}

func followUps(rows []followUpRow) ([]domain.FollowUp, error) {
	out := make([]domain.FollowUp, len(rows))
	for i := range rows {
		f, err := rows[i].followUp()
		if err != nil {
			return nil, err
		}
		out[i] = f
	}
	return out, nil
}

// CreateFollowUp inserts a follow-up and sets its ID and creation time.
func (tx *Tx) CreateFollowUp(ctx context.Context, f *domain.FollowUp) error {
	f.CreatedAt = tx.Now
	row := followUpRow{CompanyID: f.CompanyID, PartnerID: f.PartnerID, UserID: f.UserID, Day: f.Day.String(), Kind: f.Kind, Note: f.Note,
		NextAction: f.NextAction, NextDate: dateToNull(f.NextDate), CreatedAt: f.CreatedAt}
	if _, err := tx.NewInsert().Model(&row).ExcludeColumn("id", "done", "done_at", "done_by").Returning("id").Exec(ctx); err != nil {
		return err
	}
	f.ID = row.ID
	return nil
}

// FollowUp loads one follow-up of a partner.
func (tx *Tx) FollowUp(ctx context.Context, companyID, partnerID, id int64) (domain.FollowUp, error) {
	var rows []followUpRow
	if err := tx.selectFollowUps(&rows).Where("f.id = ? AND f.company_id = ? AND f.partner_id = ?", id, companyID, partnerID).Scan(ctx); err != nil {
		return domain.FollowUp{}, err
	}
	if len(rows) == 0 {
		return domain.FollowUp{}, notFound(sql.ErrNoRows, "followup", id)
	}
	return rows[0].followUp()
}

// ListFollowUps returns a page of a partner's log, newest first, and the
// number of entries.
func (tx *Tx) ListFollowUps(ctx context.Context, companyID, partnerID int64, page Page) ([]domain.FollowUp, int, error) {
	var rows []followUpRow
	n, err := tx.selectFollowUps(&rows).Where("f.company_id = ? AND f.partner_id = ?", companyID, partnerID).
		OrderExpr("f.day DESC, f.id DESC").Limit(page.limit()).Offset(page.offset()).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, err
	}
	out, err := followUps(rows)
	return out, int(n), err
}

// SetFollowUpDone ticks a follow-up's next action done (or open again).
// Ticking one already done keeps who did it and when.
func (tx *Tx) SetFollowUpDone(ctx context.Context, companyID, partnerID, id int64, done bool, userID int64) error {
	q := tx.NewUpdate().Model((*followUpRow)(nil)).Where("id = ? AND company_id = ? AND partner_id = ?", id, companyID, partnerID)
	if done {
		q = q.Set("done = TRUE").Set("done_at = COALESCE(done_at, ?)", tx.Now).Set("done_by = COALESCE(done_by, ?)", userID)
	} else {
		q = q.Set("done = FALSE").Set("done_at = NULL").Set("done_by = NULL")
	}
	res, err := q.Exec(ctx)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return notFound(sql.ErrNoRows, "followup", id)
	}
	return nil
}

// ReminderFilter selects the open next actions due on or before AsOf.
type ReminderFilter struct {
	CompanyID int64
	UserID    int64 // whose; 0 = everyone's
	PartnerID int64 // 0 = every partner
	AsOf      domain.Date
	Page
}

// Reminders lists the open next actions due on or before f.AsOf, the
// oldest due first, and how many there are.
func (tx *Tx) Reminders(ctx context.Context, f ReminderFilter) ([]domain.FollowUp, int, error) {
	var rows []followUpRow
	// The conditions repeat the partial indexes' predicate so both engines use them.
	q := tx.selectFollowUps(&rows).
		Where("f.company_id = ? AND f.done = FALSE AND f.next_date IS NOT NULL AND f.next_date <= ?", f.CompanyID, f.AsOf.String())
	if f.UserID != 0 {
		q = q.Where("f.user_id = ?", f.UserID)
	}
	if f.PartnerID != 0 {
		q = q.Where("f.partner_id = ?", f.PartnerID)
	}
	n, err := q.OrderExpr("f.next_date, f.id").Limit(f.limit()).Offset(f.offset()).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, err
	}
	out, err := followUps(rows)
	return out, int(n), err
}

// NextAction returns a partner's open next action with the earliest date
// (one without a date comes after every dated one), or nil.
func (tx *Tx) NextAction(ctx context.Context, companyID, partnerID int64) (*domain.FollowUp, error) {
	var rows []followUpRow
	err := tx.selectFollowUps(&rows).
		Where("f.company_id = ? AND f.partner_id = ? AND f.done = FALSE", companyID, partnerID).
		Where("(f.next_action <> '' OR f.next_date IS NOT NULL)").
		OrderExpr("CASE WHEN f.next_date IS NULL THEN 1 ELSE 0 END, f.next_date, f.id DESC").Limit(1).Scan(ctx)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	f, err := rows[0].followUp()
	return &f, err
}

// PartnerDoc is a document on the customer's page: in the purchase
// history or still open.
type PartnerDoc struct {
	DocumentID int64          `json:"document_id"`
	Number     string         `json:"number"`
	Type       domain.DocType `json:"type"`
	Date       domain.Date    `json:"date"`
	DueDate    *domain.Date   `json:"due_date"`
	Qty        domain.Qty     `json:"qty" doc:"Total quantity in base units"`
	Amount     domain.Money   `json:"amount" doc:"Gross amount (价税合计) as on the document"`
	Open       *domain.Money  `json:"open" doc:"Invoices: what is left to collect; null for orders and history"`
}

type partnerDocRow struct {
	ID          int64
	Number      string
	Type        domain.DocType
	DocDate     string
	DueDate     sql.NullString
	TotalQty    domain.Qty
	GrossAmount domain.Money
}

func partnerDocs(rows []partnerDocRow) ([]PartnerDoc, error) {
	out := make([]PartnerDoc, len(rows))
	for i, r := range rows {
		day, err := domain.ParseDate(r.DocDate)
		if err != nil {
			return nil, err
		}
		due, err := nullToDate(r.DueDate)
		if err != nil {
			return nil, err
		}
		out[i] = PartnerDoc{DocumentID: r.ID, Number: r.Number, Type: r.Type, Date: day, DueDate: due, Qty: r.TotalQty, Amount: r.GrossAmount}
	}
	return out, nil
}

// selectPartnerDocs starts a query of a partner's posted documents of the
// given types that are neither reversed nor reversals (the pair cancels out).
func (tx *Tx) selectPartnerDocs(companyID, partnerID int64, types []domain.DocType) *bun.SelectQuery {
	return tx.NewSelect().TableExpr("documents AS d").
		ColumnExpr("d.id, d.number, d.type, d.doc_date, d.due_date, d.total_qty, d.gross_amount").
		Where("d.company_id = ? AND d.partner_id = ? AND d.type IN (?) AND d.state = ?", companyID, partnerID, bun.In(types), domain.DocPosted).
		Where("d.reversed_by_id IS NULL AND d.reverses_id IS NULL")
}

// OpenOrders lists a customer's orders of type that are posted (confirmed)
// and not closed, oldest first.
func (tx *Tx) OpenOrders(ctx context.Context, companyID, partnerID int64, typ domain.DocType) ([]PartnerDoc, error) {
	var rows []partnerDocRow
	if err := tx.selectPartnerDocs(companyID, partnerID, []domain.DocType{typ}).Where("d.closed = FALSE").
		OrderExpr("d.doc_date, d.id").Scan(ctx, &rows); err != nil {
		return nil, err
	}
	return partnerDocs(rows)
}

// PartnerHistory returns a page of a partner's posted documents of the
// given types, newest first, and how many there are.
func (tx *Tx) PartnerHistory(ctx context.Context, companyID, partnerID int64, types []domain.DocType, page Page) ([]PartnerDoc, int, error) {
	var rows []partnerDocRow
	n, err := tx.selectPartnerDocs(companyID, partnerID, types).
		OrderExpr("d.doc_date DESC, d.id DESC").Limit(page.limit()).Offset(page.offset()).ScanAndCount(ctx, &rows)
	if err != nil {
		return nil, 0, err
	}
	out, err := partnerDocs(rows)
	return out, int(n), err
}

// FavouriteItem is an item a customer buys often (常购商品).
type FavouriteItem struct {
	ItemID    int64        `json:"item_id"`
	Code      string       `json:"code"`
	Name      string       `json:"name"`
	NameEn    string       `json:"name_en"`
	BaseUnit  string       `json:"base_unit" doc:"Name of the base unit qty is counted in"`
	Qty       domain.Qty   `json:"qty" doc:"Bought in the window, base units"`
	Times     int          `json:"times" doc:"Document lines in the window"`
	LastDate  domain.Date  `json:"last_date"`
	LastPrice domain.Price `json:"last_price" doc:"Price on the latest line, per last_unit, as on that document"`
	LastUnit  string       `json:"last_unit" doc:"Name of the unit last_price is for"`
}

// FavouriteItems ranks the items on a partner's posted documents of the
// given types dated from from on by base quantity, most first, with the
// latest line's price and date; at most limit items.
func (tx *Tx) FavouriteItems(ctx context.Context, companyID, partnerID int64, types []domain.DocType, from domain.Date, limit int) ([]FavouriteItem, error) {
	var rows []struct {
		ItemID    int64
		Code      string
		Name      string
		NameEn    string
		BaseUnit  string
		Qty       domain.Qty
		Times     int
		LastDate  string
		LastPrice domain.Price
		LastUnit  string
	}
	// One pass over the lines: each line numbered newest first within its
	// item, so the totals and the latest line come from the same rows.
	err := tx.NewRaw(`WITH s AS (
			SELECT l.item_id, l.base_qty, l.price, l.unit_id, d.doc_date,
				ROW_NUMBER() OVER (PARTITION BY l.item_id ORDER BY d.doc_date DESC, d.id DESC, l.line_no DESC) AS rn
			FROM documents AS d JOIN document_lines AS l ON l.document_id = d.id
			WHERE d.company_id = ? AND d.partner_id = ? AND d.type IN (?) AND d.state = ?
				AND d.reversed_by_id IS NULL AND d.reverses_id IS NULL AND d.doc_date >= ?)
		SELECT s.item_id, i.code, i.name, i.name_en, bu.name AS base_unit, SUM(s.base_qty) AS qty, COUNT(*) AS times,
			MAX(s.doc_date) AS last_date,
			MAX(CASE WHEN s.rn = 1 THEN s.price END) AS last_price,
			MAX(CASE WHEN s.rn = 1 THEN lu.name END) AS last_unit
		FROM s JOIN items AS i ON i.id = s.item_id
			JOIN units AS bu ON bu.id = i.base_unit_id
			JOIN units AS lu ON lu.id = s.unit_id
		GROUP BY s.item_id, i.code, i.name, i.name_en, bu.name
		HAVING SUM(s.base_qty) > 0
		ORDER BY qty DESC, i.code
		LIMIT ?`, companyID, partnerID, bun.In(types), domain.DocPosted, from.String(), limit).Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	out := make([]FavouriteItem, len(rows))
	for i, r := range rows {
		day, err := domain.ParseDate(r.LastDate)
		if err != nil {
			return nil, err
		}
		out[i] = FavouriteItem{ItemID: r.ItemID, Code: r.Code, Name: r.Name, NameEn: r.NameEn, BaseUnit: r.BaseUnit, Qty: r.Qty, Times: r.Times,
			LastDate: day, LastPrice: r.LastPrice, LastUnit: r.LastUnit}
	}
	return out, nil
}
