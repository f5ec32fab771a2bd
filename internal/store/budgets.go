package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

type budgetRow struct {
	bun.BaseModel `bun:"table:purchase_budgets,alias:b"`
	ID            int64 `bun:",pk"`
	CompanyID     int64
	Scope         string
	RefID         int64
	FromDate      string
	ToDate        string
	Amount        domain.Money
	WarnRate      domain.Rate
	Note          string
	Version       int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
	RefName       string `bun:",scanonly"`
	RefNameEn     string `bun:",scanonly"`
}

func (r *budgetRow) budget() (domain.Budget, error) {
	from, err := domain.ParseDate(r.FromDate)
	if err != nil {
		return domain.Budget{}, err
	}
	to, err := domain.ParseDate(r.ToDate)
	return domain.Budget{ID: r.ID, Scope: r.Scope, RefID: r.RefID, RefName: r.RefName, RefNameEn: r.RefNameEn, From: from, To: to, Amount: r.Amount,
		WarnRate: r.WarnRate, Note: r.Note, Version: r.Version}, err
}

const budgetRefName = `CASE b.scope
	WHEN 'category' THEN (SELECT name FROM categories WHERE id = b.ref_id)
	WHEN 'supplier' THEN (SELECT name FROM partners WHERE id = b.ref_id)
	ELSE (SELECT name FROM warehouses WHERE id = b.ref_id) END AS ref_name, CASE b.scope
	WHEN 'category' THEN (SELECT name_en FROM categories WHERE id = b.ref_id)
	WHEN 'supplier' THEN (SELECT name_en FROM partners WHERE id = b.ref_id)
	ELSE (SELECT name_en FROM warehouses WHERE id = b.ref_id) END AS ref_name_en`

// SaveBudget inserts a budget (ID 0) or updates it if its version matches.
func (tx *Tx) SaveBudget(ctx context.Context, companyID int64, b *domain.Budget) error {
	row := budgetRow{ID: b.ID, CompanyID: companyID, Scope: b.Scope, RefID: b.RefID, FromDate: b.From.String(), ToDate: b.To.String(),
		Amount: b.Amount, WarnRate: b.WarnRate, Note: b.Note, Version: 1, CreatedAt: tx.Now, UpdatedAt: tx.Now}
	if b.ID == 0 {
		if _, err := tx.NewInsert().Model(&row).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
			return conflict(err, "budget", "from")
		}
		b.ID, b.Version = row.ID, 1
		return nil
	}
	res, err := tx.NewUpdate().Model(&row).Column("scope", "ref_id", "from_date", "to_date", "amount", "warn_rate", "note", "updated_at").
		Set("version = version + 1").Where("id = ? AND company_id = ? AND version = ?", b.ID, companyID, b.Version).Exec(ctx)
	if err != nil {
		return conflict(err, "budget", "from")
	}
	if err := staleCheck(res, "budget"); err != nil {
		return err
	}
	b.Version++
	return nil
}

// DeleteBudget removes a budget.
func (tx *Tx) DeleteBudget(ctx context.Context, companyID, id int64) error {
	res, err := tx.NewDelete().Model((*budgetRow)(nil)).Where("id = ? AND company_id = ?", id, companyID).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound(sql.ErrNoRows, "budget", id)
	}
	return nil
}

// Budgets lists budgets whose period overlaps [from, to] (all when nil),
// oldest period first.
func (tx *Tx) Budgets(ctx context.Context, companyID int64, from, to *domain.Date) ([]domain.Budget, error) {
	var rows []budgetRow
	q := tx.NewSelect().Model(&rows).ColumnExpr("b.*").ColumnExpr(budgetRefName).Where("b.company_id = ?", companyID)
	if to != nil {
		q = q.Where("b.from_date <= ?", to.String())
	}
	if from != nil {
		q = q.Where("b.to_date >= ?", from.String())
	}
	if err := q.OrderExpr("b.from_date, b.scope, b.ref_id").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]domain.Budget, 0, len(rows))
	for _, r := range rows {
		b, err := r.budget()
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// BudgetLine is a purchasing line a budget counts: its net, and for order
// lines what was received and whether the line is closed.
type BudgetLine struct {
	Type     domain.DocType
	Net      domain.Money
	BaseQty  domain.Qty
	Received domain.Qty
	Closed   bool
}

// BudgetLines returns the posted, unreversed order, receipt and bill lines
// a budget counts: dated in its period, of its supplier, warehouse (a
// bill's through the receipt it bills) or category subtree; except the
// lines of document exclude.
func (tx *Tx) BudgetLines(ctx context.Context, companyID int64, b domain.Budget, exclude int64) ([]BudgetLine, error) {
	var rows []struct {
		Type       domain.DocType
		Amount     domain.Money
		BaseQty    domain.Qty
		Received   domain.Qty
		LineClosed bool
		DocClosed  bool
	}
	q := tx.NewSelect().TableExpr("document_lines AS l").
		ColumnExpr("d.type, l.amount, l.base_qty, l.received_qty AS received, l.closed AS line_closed, d.closed AS doc_closed").
		Join("JOIN documents AS d ON d.id = l.document_id").
		Where("d.company_id = ? AND d.state = ? AND d.reversed_by_id IS NULL AND d.id <> ?", companyID, domain.DocPosted, exclude).
		Where("d.type IN (?)", bun.In([]domain.DocType{domain.DocPurchaseOrder, domain.DocPurchaseReceipt, domain.DocPurchaseBill})).
		Where("d.doc_date >= ? AND d.doc_date <= ?", b.From.String(), b.To.String())
	switch b.Scope {
	case domain.BudgetSupplier:
		q = q.Where("d.partner_id = ?", b.RefID)
	case domain.BudgetWarehouse:
		q = q.Where(`(d.warehouse_id = ? OR (d.type = ? AND EXISTS (SELECT 1 FROM document_lines AS rl JOIN documents AS rd ON rd.id = rl.document_id
			WHERE rl.id = l.source_line_id AND rd.warehouse_id = ?)))`, b.RefID, domain.DocPurchaseBill, b.RefID)
	case domain.BudgetCategory:
		q = q.Where("l.item_id IN (SELECT id FROM items WHERE company_id = ? AND category_id IN (?))", companyID, tx.categorySubtree(companyID, b.RefID))
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, err
	}
	out := make([]BudgetLine, len(rows))
	for i, r := range rows {
		out[i] = BudgetLine{Type: r.Type, Net: r.Amount, BaseQty: r.BaseQty, Received: r.Received, Closed: r.LineClosed || r.DocClosed}
	}
	return out, nil
}

// CategoryIn reports which of the categories lie in root's subtree.
func (tx *Tx) CategoryIn(ctx context.Context, companyID, root int64) (map[int64]bool, error) {
	var ids []int64
	if err := tx.NewRaw("SELECT id FROM (?) AS s", tx.categorySubtree(companyID, root)).Scan(ctx, &ids); err != nil {
		return nil, err
	}
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// Quote is one supplier's price for one line of a request for quotation.
type Quote struct {
	LineID       int64        `json:"line_id"`
	PartnerID    int64        `json:"partner_id"`
	Price        domain.Price `json:"price" doc:"Per unit of the line"`
	TaxIncluded  bool         `json:"tax_included"`
	TaxRate      domain.Rate  `json:"tax_rate"`
	LeadTimeDays int          `json:"lead_time_days"`
	ValidUntil   *domain.Date `json:"valid_until"`
	Note         string       `json:"note"`
}

type quoteRow struct {
	bun.BaseModel `bun:"table:rfq_quotes"`
	ID            int64 `bun:",pk"`
	CompanyID     int64
	DocumentID    int64
	LineID        int64
	PartnerID     int64
	Price         domain.Price
	TaxIncluded   bool
	TaxRate       domain.Rate
	LeadTimeDays  int
	ValidUntil    sql.NullString
	Note          string
	CreatedBy     int64
	CreatedAt     time.Time
}

// SetQuotes replaces a supplier's quote on a request for quotation.
func (tx *Tx) SetQuotes(ctx context.Context, companyID, rfqID, partnerID, userID int64, qs []Quote) error {
	if _, err := tx.NewDelete().Model((*quoteRow)(nil)).Where("company_id = ? AND document_id = ? AND partner_id = ?", companyID, rfqID, partnerID).
		Exec(ctx); err != nil {
		return err
	}
	if len(qs) == 0 {
		return nil
	}
	rows := make([]quoteRow, len(qs))
	for i, q := range qs {
		rows[i] = quoteRow{CompanyID: companyID, DocumentID: rfqID, LineID: q.LineID, PartnerID: partnerID, Price: q.Price, TaxIncluded: q.TaxIncluded,
			TaxRate: q.TaxRate, LeadTimeDays: q.LeadTimeDays, ValidUntil: dateToNull(q.ValidUntil), Note: q.Note, CreatedBy: userID, CreatedAt: tx.Now}
	}
	_, err := tx.NewInsert().Model(&rows).ExcludeColumn("id").Exec(ctx)
	return err
}

// Quotes lists the quotes of a request for quotation.
func (tx *Tx) Quotes(ctx context.Context, companyID, rfqID int64) ([]Quote, error) {
	var rows []quoteRow
	if err := tx.NewSelect().Model(&rows).Where("company_id = ? AND document_id = ?", companyID, rfqID).OrderExpr("partner_id, line_id").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]Quote, len(rows))
	for i, r := range rows {
		vu, err := nullToDate(r.ValidUntil)
		if err != nil {
			return nil, err
		}
		out[i] = Quote{LineID: r.LineID, PartnerID: r.PartnerID, Price: r.Price, TaxIncluded: r.TaxIncluded, TaxRate: r.TaxRate,
			LeadTimeDays: r.LeadTimeDays, ValidUntil: vu, Note: r.Note}
	}
	return out, nil
}

// LockBudget takes the write lock of a budget row, so that orders placed
// against one budget at the same time are checked one after the other.
func (tx *Tx) LockBudget(ctx context.Context, companyID, id int64) error {
	_, err := tx.lockRow(ctx, "purchase_budgets", "version", companyID, id)
	return err
}
