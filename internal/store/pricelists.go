package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// priceListRow is the price_lists table. The validity dates are TEXT
// 'YYYY-MM-DD' columns (or NULL) on both engines, so the row spells the
// columns out instead of embedding domain.PriceList.
type priceListRow struct {
	bun.BaseModel `bun:"table:price_lists,alias:t"`
	ID            int64 `bun:",pk"`
	CompanyID     int64
	Code          string
	Name          string
	Kind          domain.PriceListKind
	Tier          string
	PartnerID     *int64
	ValidFrom     sql.NullString
	ValidTo       sql.NullString
	Note          string
	domain.Stamp
}

type priceListLineRow struct {
	bun.BaseModel `bun:"table:price_list_lines"`
	CompanyID     int64
	PriceListID   int64
	LineNo        int
	domain.PriceListLine
}

func dateToNull(d *domain.Date) sql.NullString {
	if d == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: d.String(), Valid: true}
}

func nullToDate(s sql.NullString) (*domain.Date, error) {
	if !s.Valid {
		return nil, nil
	}
	d, err := domain.ParseDate(s.String)
	if err != nil {
		return nil, err
	}
	return &d, nil
}

func toPriceListRow(p *domain.PriceList) *priceListRow {
	return &priceListRow{
		ID: p.ID, CompanyID: p.CompanyID, Code: p.Code, Name: p.Name, Kind: p.Kind, Tier: p.Tier,
		PartnerID: p.PartnerID, ValidFrom: dateToNull(p.ValidFrom), ValidTo: dateToNull(p.ValidTo),
		Note: p.Note, Stamp: p.Stamp,
	}
}

func (r *priceListRow) priceList() (domain.PriceList, error) {
	p := domain.PriceList{
		ID: r.ID, CompanyID: r.CompanyID, Code: r.Code, Name: r.Name, Kind: r.Kind, Tier: r.Tier,
		PartnerID: r.PartnerID, Note: r.Note, Lines: []domain.PriceListLine{}, Stamp: r.Stamp,
	}
	var err error
	if p.ValidFrom, err = nullToDate(r.ValidFrom); err != nil {
		return p, fmt.Errorf("price list %d valid_from: %w", r.ID, err)
	}
	if p.ValidTo, err = nullToDate(r.ValidTo); err != nil {
		return p, fmt.Errorf("price list %d valid_to: %w", r.ID, err)
	}
	return p, nil
}

// checkPriceListRefs refuses a partner or line items that do not exist in
// the company (the foreign keys alone would accept another company's rows).
func (tx *Tx) checkPriceListRefs(ctx context.Context, p *domain.PriceList) error {
	if p.PartnerID != nil {
		n, err := tx.NewSelect().TableExpr("partners").
			Where("id = ? AND company_id = ?", *p.PartnerID, p.CompanyID).Count(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return domain.FieldErr("partner_id", "unknown_reference")
		}
	}
	if len(p.Lines) == 0 {
		return nil
	}
	want := make([]int64, 0, len(p.Lines))
	for _, l := range p.Lines {
		want = append(want, l.ItemID)
	}
	ok, err := tx.existing(ctx, "items", p.CompanyID, want)
	if err != nil {
		return err
	}
	for i, l := range p.Lines {
		if !ok[l.ItemID] {
			return domain.FieldErr(fmt.Sprintf("lines[%d].item_id", i), "unknown_reference")
		}
	}
	return nil
}

// writePriceListLines inserts all lines, numbered 1..n, in one statement.
func (tx *Tx) writePriceListLines(ctx context.Context, p *domain.PriceList) error {
	if len(p.Lines) == 0 {
		return nil
	}
	rows := make([]priceListLineRow, len(p.Lines))
	for i, l := range p.Lines {
		rows[i] = priceListLineRow{CompanyID: p.CompanyID, PriceListID: p.ID, LineNo: i + 1, PriceListLine: l}
	}
	if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
		if fkViolation(err) {
			return domain.FieldErr("lines", "unknown_reference")
		}
		return err
	}
	return nil
}

// CreatePriceList inserts a price list with its lines and sets its ID.
func (tx *Tx) CreatePriceList(ctx context.Context, p *domain.PriceList) error {
	if err := tx.checkPriceListRefs(ctx, p); err != nil {
		return err
	}
	stamp(tx, &p.Stamp, true)
	row := toPriceListRow(p)
	if _, err := tx.NewInsert().Model(row).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return conflict(err, "price_list", "code")
	}
	p.ID = row.ID
	if p.Lines == nil {
		p.Lines = []domain.PriceListLine{}
	}
	return tx.writePriceListLines(ctx, p)
}

// UpdatePriceList saves a price list if its version still matches, then
// bumps it; the lines are replaced.
func (tx *Tx) UpdatePriceList(ctx context.Context, p *domain.PriceList) error {
	if err := tx.checkPriceListRefs(ctx, p); err != nil {
		return err
	}
	stamp(tx, &p.Stamp, false)
	res, err := tx.NewUpdate().Model(toPriceListRow(p)).
		ExcludeColumn("id", "company_id", "created_at", "version").
		Set("version = version + 1").
		Where("id = ? AND company_id = ? AND version = ?", p.ID, p.CompanyID, p.Version).
		Exec(ctx)
	if err != nil {
		return conflict(err, "price_list", "code")
	}
	if err := staleCheck(res, "price_list"); err != nil {
		return err
	}
	p.Version++
	if _, err := tx.NewDelete().TableExpr("price_list_lines").Where("price_list_id = ?", p.ID).Exec(ctx); err != nil {
		return err
	}
	if p.Lines == nil {
		p.Lines = []domain.PriceListLine{}
	}
	return tx.writePriceListLines(ctx, p)
}

// PriceList loads one price list with its lines in line order.
func (tx *Tx) PriceList(ctx context.Context, companyID, id int64) (domain.PriceList, error) {
	var row priceListRow
	err := tx.NewSelect().Model(&row).Where("t.id = ? AND t.company_id = ?", id, companyID).Scan(ctx)
	if err != nil {
		return domain.PriceList{}, notFound(err, "price_list", id)
	}
	p, err := row.priceList()
	if err != nil {
		return domain.PriceList{}, err
	}
	var lines []priceListLineRow
	if err := tx.NewSelect().Model(&lines).Where("price_list_id = ? AND company_id = ?", id, companyID).
		OrderExpr("line_no").Scan(ctx); err != nil {
		return domain.PriceList{}, err
	}
	for _, l := range lines {
		p.Lines = append(p.Lines, l.PriceListLine)
	}
	return p, nil
}

// PriceListFilter narrows the price list list.
type PriceListFilter struct {
	ListFilter
	Kind      string
	PartnerID int64
	Tier      string
	ItemID    int64 // lists having a line for this item
}

var priceListSorts = map[string]string{
	"code": "t.code", "name": "t.name", "created_at": "t.created_at", "updated_at": "t.updated_at",
	"valid_from": "t.valid_from", "valid_to": "t.valid_to",
}

// ListPriceLists returns one page of price lists (without lines) and the
// total count.
func (tx *Tx) ListPriceLists(ctx context.Context, f PriceListFilter) ([]domain.PriceList, int, error) {
	q := tx.NewSelect().Model((*priceListRow)(nil)).Where("t.company_id = ?", f.CompanyID)
	q = searchSimple(applyArchived(q, "t", f.Archived), f.Q, false, false)
	if f.Kind != "" {
		q = q.Where("t.kind = ?", f.Kind)
	}
	if f.PartnerID != 0 {
		q = q.Where("t.partner_id = ?", f.PartnerID)
	}
	if f.Tier != "" {
		q = q.Where("t.tier = ?", f.Tier)
	}
	if f.ItemID != 0 {
		q = q.Where("t.id IN (SELECT price_list_id FROM price_list_lines WHERE company_id = ? AND item_id = ?)", f.CompanyID, f.ItemID)
	}
	q = applySort(q, "t", f.Sort, priceListSorts, "code")
	var rows []priceListRow
	n, err := q.Limit(f.limit()).Offset(f.offset()).ScanAndCount(ctx, &rows)
	if err != nil {
		return nil, 0, err
	}
	out := make([]domain.PriceList, len(rows))
	for i := range rows {
		if out[i], err = rows[i].priceList(); err != nil {
			return nil, 0, err
		}
	}
	return out, int(n), nil
}

// SetPriceListArchived archives or restores a price list.
func (tx *Tx) SetPriceListArchived(ctx context.Context, companyID, id int64, archived bool) error {
	return tx.setArchived(ctx, "price_lists", "price_list", companyID, id, archived)
}

// DeletePriceList deletes a price list and its lines.
func (tx *Tx) DeletePriceList(ctx context.Context, companyID, id int64) error {
	return tx.deleteRow(ctx, "price_lists", "price_list", companyID, id)
}
