package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// promotionRow is the promotions table: dates as TEXT 'YYYY-MM-DD', tiers
// as a JSON array; items and categories live in promotion_scope.
type promotionRow struct {
	bun.BaseModel `bun:"table:promotions,alias:t"`
	ID            int64 `bun:",pk"`
	CompanyID     int64
	Code          string
	Name          string
	NameEn        string
	Kind          domain.PromoKind
	ValidFrom     string
	ValidTo       string
	Scope         domain.PromoScope
	Tiers         string
	Rate          domain.Rate
	Amount        domain.Money
	Threshold     domain.Money
	Repeats       bool
	BuyQty        domain.Qty
	GetQty        domain.Qty
	GetItemID     *int64
	Priority      int
	IsExclusive   bool
	Note          string
	domain.Stamp
}

type promotionScopeRow struct {
	bun.BaseModel `bun:"table:promotion_scope"`
	CompanyID     int64
	PromotionID   int64
	ItemID        *int64
	CategoryID    *int64
}

func toPromotionRow(p *domain.Promotion) (*promotionRow, error) {
	tiers, err := json.Marshal(p.Tiers)
	if err != nil {
		return nil, err
	}
	return &promotionRow{
		ID: p.ID, CompanyID: p.CompanyID, Code: p.Code, Name: p.Name, NameEn: p.NameEn, Kind: p.Kind,
		ValidFrom: p.ValidFrom.String(), ValidTo: p.ValidTo.String(), Scope: p.Scope, Tiers: string(tiers),
		Rate: p.Rate, Amount: p.Amount, Threshold: p.Threshold, Repeats: p.Repeat, BuyQty: p.BuyQty, GetQty: p.GetQty,
		GetItemID: p.GetItemID, Priority: p.Priority, IsExclusive: p.Exclusive, Note: p.Note, Stamp: p.Stamp,
	}, nil
}

func (r *promotionRow) promotion() (domain.Promotion, error) {
	p := domain.Promotion{
		ID: r.ID, CompanyID: r.CompanyID, Code: r.Code, Name: r.Name, NameEn: r.NameEn, Kind: r.Kind, Scope: r.Scope,
		CategoryIDs: []int64{}, ItemIDs: []int64{}, Rate: r.Rate, Amount: r.Amount, Threshold: r.Threshold,
		Repeat: r.Repeats, BuyQty: r.BuyQty, GetQty: r.GetQty, GetItemID: r.GetItemID, Priority: r.Priority,
		Exclusive: r.IsExclusive, Note: r.Note, Stamp: r.Stamp,
	}
	var err error
	if p.ValidFrom, err = domain.ParseDate(r.ValidFrom); err != nil {
		return p, fmt.Errorf("promotion %d valid_from: %w", r.ID, err)
	}
	if p.ValidTo, err = domain.ParseDate(r.ValidTo); err != nil {
		return p, fmt.Errorf("promotion %d valid_to: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(r.Tiers), &p.Tiers); err != nil {
		return p, fmt.Errorf("promotion %d tiers: %w", r.ID, err)
	}
	return p, nil
}

// existing returns which of ids are rows of table in the company, in one
// query (table from the reference whitelist).
func (tx *Tx) existing(ctx context.Context, table string, companyID int64, ids []int64) (map[int64]bool, error) {
	if !refTables[table] {
		return nil, fmt.Errorf("existing: table %q not allowed", table)
	}
	ok := make(map[int64]bool, len(ids))
	if len(ids) == 0 {
		return ok, nil
	}
	var found []int64
	if err := tx.NewSelect().TableExpr(table).Column("id").
		Where("company_id = ? AND id IN (?)", companyID, bun.In(ids)).Scan(ctx, &found); err != nil {
		return nil, err
	}
	for _, id := range found {
		ok[id] = true
	}
	return ok, nil
}

// checkPromotionRefs refuses items, categories or a gift item outside the
// company.
func (tx *Tx) checkPromotionRefs(ctx context.Context, p *domain.Promotion) error {
	var f domain.Fields
	for _, ref := range []struct {
		table, field string
		ids          []int64
	}{{"items", "item_ids", p.ItemIDs}, {"categories", "category_ids", p.CategoryIDs}} {
		ok, err := tx.existing(ctx, ref.table, p.CompanyID, ref.ids)
		if err != nil {
			return err
		}
		for i, id := range ref.ids {
			if !ok[id] {
				f.Add(fmt.Sprintf("%s[%d]", ref.field, i), "unknown_reference")
			}
		}
	}
	if p.GetItemID != nil {
		if err := tx.MustExist(ctx, "items", p.CompanyID, "get_item_id", *p.GetItemID); err != nil {
			return err
		}
	}
	return f.Err()
}

// writePromotionScope inserts the promotion's items and categories in one
// statement.
func (tx *Tx) writePromotionScope(ctx context.Context, p *domain.Promotion) error {
	rows := make([]promotionScopeRow, 0, len(p.ItemIDs)+len(p.CategoryIDs))
	for _, id := range p.ItemIDs {
		rows = append(rows, promotionScopeRow{CompanyID: p.CompanyID, PromotionID: p.ID, ItemID: &id})
	}
	for _, id := range p.CategoryIDs {
		rows = append(rows, promotionScopeRow{CompanyID: p.CompanyID, PromotionID: p.ID, CategoryID: &id})
	}
	if len(rows) == 0 {
		return nil
	}
	_, err := tx.NewInsert().Model(&rows).Exec(ctx)
	return err
}

// CreatePromotion inserts a promotion with its scope and sets its ID.
func (tx *Tx) CreatePromotion(ctx context.Context, p *domain.Promotion) error {
	if err := tx.checkPromotionRefs(ctx, p); err != nil {
		return err
	}
	stamp(tx, &p.Stamp, true)
	row, err := toPromotionRow(p)
	if err != nil {
		return err
	}
	if err := tx.insertRow(ctx, row, "promotion"); err != nil {
		return err
	}
	p.ID = row.ID
	return tx.writePromotionScope(ctx, p)
}

// UpdatePromotion saves a promotion if its version still matches, then
// bumps it; the scope is replaced.
func (tx *Tx) UpdatePromotion(ctx context.Context, p *domain.Promotion) error {
	if err := tx.checkPromotionRefs(ctx, p); err != nil {
		return err
	}
	stamp(tx, &p.Stamp, false)
	row, err := toPromotionRow(p)
	if err != nil {
		return err
	}
	if err := tx.updateRow(ctx, row, "promotion", p.ID, p.CompanyID, p.Version); err != nil {
		return err
	}
	p.Version++
	if _, err := tx.NewDelete().TableExpr("promotion_scope").Where("promotion_id = ? AND company_id = ?", p.ID, p.CompanyID).Exec(ctx); err != nil {
		return err
	}
	return tx.writePromotionScope(ctx, p)
}

// fillPromotions decodes rows and attaches their scope, in one query.
func (tx *Tx) fillPromotions(ctx context.Context, companyID int64, rows []promotionRow) ([]domain.Promotion, error) {
	out := make([]domain.Promotion, len(rows))
	idx := make(map[int64]int, len(rows))
	ids := make([]int64, len(rows))
	for i := range rows {
		p, err := rows[i].promotion()
		if err != nil {
			return nil, err
		}
		out[i], idx[p.ID], ids[i] = p, i, p.ID
	}
	if len(ids) == 0 {
		return out, nil
	}
	var scope []promotionScopeRow
	if err := tx.NewSelect().Model(&scope).Where("company_id = ? AND promotion_id IN (?)", companyID, bun.In(ids)).
		OrderExpr("promotion_id, item_id, category_id").Scan(ctx); err != nil {
		return nil, err
	}
	for _, s := range scope {
		p := &out[idx[s.PromotionID]]
		if s.ItemID != nil {
			p.ItemIDs = append(p.ItemIDs, *s.ItemID)
		}
		if s.CategoryID != nil {
			p.CategoryIDs = append(p.CategoryIDs, *s.CategoryID)
		}
	}
	return out, nil
}

// Promotion loads one promotion with its scope.
func (tx *Tx) Promotion(ctx context.Context, companyID, id int64) (domain.Promotion, error) {
	var row promotionRow
	if err := tx.NewSelect().Model(&row).Where("t.id = ? AND t.company_id = ?", id, companyID).Scan(ctx); err != nil {
		return domain.Promotion{}, notFound(err, "promotion", id)
	}
	ps, err := tx.fillPromotions(ctx, companyID, []promotionRow{row})
	if err != nil {
		return domain.Promotion{}, err
	}
	return ps[0], nil
}

// PromotionFilter narrows the promotion list.
type PromotionFilter struct {
	ListFilter
	Kind   string
	On     string // 'YYYY-MM-DD': running on this day
	ItemID int64  // naming this item in their scope
}

var promotionSorts = map[string]string{
	"code": "t.code", "name": "t.name", "valid_from": "t.valid_from", "valid_to": "t.valid_to",
	"priority": "t.priority", "created_at": "t.created_at", "updated_at": "t.updated_at",
}

// ListPromotions returns one page of promotions and the total count.
func (tx *Tx) ListPromotions(ctx context.Context, f PromotionFilter) ([]domain.Promotion, int, error) {
	q := tx.NewSelect().Model((*promotionRow)(nil)).Where("t.company_id = ?", f.CompanyID)
	q = searchSimple(applyArchived(q, "t", f.Archived), f.Q, false, true)
	if f.Kind != "" {
		q = q.Where("t.kind = ?", f.Kind)
	}
	if f.On != "" {
		q = q.Where("t.valid_from <= ? AND t.valid_to >= ?", f.On, f.On)
	}
	if f.ItemID != 0 {
		q = q.Where("t.id IN (SELECT promotion_id FROM promotion_scope WHERE company_id = ? AND item_id = ?)", f.CompanyID, f.ItemID)
	}
	q = applySort(q, "t", f.Sort, promotionSorts, "code")
	var rows []promotionRow
	n, err := q.Limit(f.limit()).Offset(f.offset()).ScanAndCount(ctx, &rows)
	if err != nil {
		return nil, 0, err
	}
	out, err := tx.fillPromotions(ctx, f.CompanyID, rows)
	return out, int(n), err
}

// SetPromotionArchived archives or restores a promotion.
func (tx *Tx) SetPromotionArchived(ctx context.Context, companyID, id int64, archived bool) error {
	return tx.setArchived(ctx, "promotions", "promotion", companyID, id, archived)
}

// DeletePromotion deletes a promotion and its scope.
func (tx *Tx) DeletePromotion(ctx context.Context, companyID, id int64) error {
	return tx.deleteRow(ctx, "promotions", "promotion", companyID, id)
}

// ---------------------------------------------------------------- what pricing reads

// PromotionsOn returns the promotions running on day (not archived), with
// their scope: two queries whatever their number.
func (tx *Tx) PromotionsOn(ctx context.Context, companyID int64, day domain.Date) ([]domain.Promotion, error) {
	var rows []promotionRow
	d := day.String()
	if err := tx.NewSelect().Model(&rows).
		Where("t.company_id = ? AND t.archived = FALSE AND t.valid_from <= ? AND t.valid_to >= ?", companyID, d, d).
		OrderExpr("t.id").Scan(ctx); err != nil {
		return nil, err
	}
	return tx.fillPromotions(ctx, companyID, rows)
}

// SaleListsFor returns the sale price lists valid on day that may apply to
// the customer (its own, its tier's, the general ones; partnerID 0 and tier
// "" for a walk-in sale), each with only its lines for itemIDs: two
// queries whatever the number of lists and items.
func (tx *Tx) SaleListsFor(ctx context.Context, companyID, partnerID int64, tier string, day domain.Date, itemIDs []int64) ([]domain.PriceList, error) {
	if len(itemIDs) == 0 {
		return nil, nil
	}
	d := day.String()
	var rows []priceListRow
	q := tx.NewSelect().Model(&rows).
		Where("t.company_id = ? AND t.kind = ? AND t.archived = FALSE", companyID, domain.PriceListSale).
		Where("(t.valid_from IS NULL OR t.valid_from <= ?) AND (t.valid_to IS NULL OR t.valid_to >= ?)", d, d).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			q = q.Where("(t.partner_id IS NULL AND t.tier = '')")
			if partnerID != 0 {
				q = q.WhereOr("t.partner_id = ?", partnerID)
			}
			if tier != "" {
				q = q.WhereOr("(t.partner_id IS NULL AND t.tier = ?)", tier)
			}
			return q
		}).
		Where("t.id IN (SELECT price_list_id FROM price_list_lines WHERE company_id = ? AND item_id IN (?))", companyID, bun.In(itemIDs)).
		OrderExpr("t.id")
	if err := q.Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]domain.PriceList, len(rows))
	idx := make(map[int64]int, len(rows))
	ids := make([]int64, len(rows))
	for i := range rows {
		p, err := rows[i].priceList()
		if err != nil {
			return nil, err
		}
		out[i], idx[p.ID], ids[i] = p, i, p.ID
	}
	if len(ids) == 0 {
		return out, nil
	}
	var lines []priceListLineRow
	if err := tx.NewSelect().Model(&lines).
		Where("company_id = ? AND price_list_id IN (?) AND item_id IN (?)", companyID, bun.In(ids), bun.In(itemIDs)).
		OrderExpr("price_list_id, line_no").Scan(ctx); err != nil {
		return nil, err
	}
	for _, l := range lines {
		p := &out[idx[l.PriceListID]]
		p.Lines = append(p.Lines, l.PriceListLine)
	}
	return out, nil
}

// CategoryParents maps each of the company's categories that has a parent
// to it (category scopes cover sub-categories).
func (tx *Tx) CategoryParents(ctx context.Context, companyID int64) (map[int64]int64, error) {
	var rows []struct {
		ID       int64
		ParentID int64
	}
	if err := tx.NewSelect().TableExpr("categories").Column("id", "parent_id").
		Where("company_id = ? AND parent_id IS NOT NULL", companyID).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	out := make(map[int64]int64, len(rows))
	for _, r := range rows {
		out[r.ID] = r.ParentID
	}
	return out, nil
}
