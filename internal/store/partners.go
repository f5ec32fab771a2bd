package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// partnerRow is the partners table: the domain partner plus its JSON
// columns. Tags live in partner_tags.
type partnerRow struct {
	bun.BaseModel `bun:"table:partners,alias:p"`
	domain.Partner
	ContactsJSON  string `bun:"contacts"`
	AddressesJSON string `bun:"addresses"`
}

type partnerTagRow struct {
	bun.BaseModel `bun:"table:partner_tags"`
	CompanyID     int64
	PartnerID     int64
	Tag           string
}

func toPartnerRow(p *domain.Partner) (*partnerRow, error) {
	contacts := p.Contacts
	if contacts == nil {
		contacts = []domain.Contact{}
	}
	addresses := p.Addresses
	if addresses == nil {
		addresses = []domain.Address{}
	}
	c, err := json.Marshal(contacts)
	if err != nil {
		return nil, err
	}
	a, err := json.Marshal(addresses)
	if err != nil {
		return nil, err
	}
	return &partnerRow{Partner: *p, ContactsJSON: string(c), AddressesJSON: string(a)}, nil
}

func (r *partnerRow) partner() (domain.Partner, error) {
	p := r.Partner
	if err := json.Unmarshal([]byte(r.ContactsJSON), &p.Contacts); err != nil {
		return p, fmt.Errorf("partner %d contacts: %w", p.ID, err)
	}
	if err := json.Unmarshal([]byte(r.AddressesJSON), &p.Addresses); err != nil {
		return p, fmt.Errorf("partner %d addresses: %w", p.ID, err)
	}
	if p.Contacts == nil {
		p.Contacts = []domain.Contact{}
	}
	if p.Addresses == nil {
		p.Addresses = []domain.Address{}
	}
	p.Tags = []string{}
	return p, nil
}

// CreatePartner inserts a partner with its tags and sets its ID.
func (tx *Tx) CreatePartner(ctx context.Context, p *domain.Partner) error {
	stamp(tx, &p.Stamp, true)
	row, err := toPartnerRow(p)
	if err != nil {
		return err
	}
	if _, err := tx.NewInsert().Model(row).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return conflict(err, "partner", "code")
	}
	p.ID = row.ID
	return tx.writePartnerTags(ctx, p)
}

// UpdatePartner saves a partner if its version still matches, then bumps
// it; the tags are replaced.
func (tx *Tx) UpdatePartner(ctx context.Context, p *domain.Partner) error {
	stamp(tx, &p.Stamp, false)
	row, err := toPartnerRow(p)
	if err != nil {
		return err
	}
	res, err := tx.NewUpdate().Model(row).
		ExcludeColumn("id", "company_id", "created_at", "version").
		Set("version = version + 1").
		Where("id = ? AND company_id = ? AND version = ?", p.ID, p.CompanyID, p.Version).
		Exec(ctx)
	if err != nil {
		return conflict(err, "partner", "code")
	}
	if err := staleCheck(res, "partner"); err != nil {
		return err
	}
	p.Version++
	if _, err := tx.NewDelete().TableExpr("partner_tags").Where("partner_id = ?", p.ID).Exec(ctx); err != nil {
		return err
	}
	return tx.writePartnerTags(ctx, p)
}

// writePartnerTags inserts the tags of a partner in one statement.
func (tx *Tx) writePartnerTags(ctx context.Context, p *domain.Partner) error {
	if len(p.Tags) == 0 {
		return nil
	}
	rows := make([]partnerTagRow, len(p.Tags))
	for i, t := range p.Tags {
		rows[i] = partnerTagRow{CompanyID: p.CompanyID, PartnerID: p.ID, Tag: t}
	}
	if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
		if uniqueViolation(err) {
			return domain.FieldErr("tags", "duplicate")
		}
		return err
	}
	return nil
}

// Partner loads one partner with its tags, contacts and addresses.
func (tx *Tx) Partner(ctx context.Context, companyID, id int64) (domain.Partner, error) {
	var row partnerRow
	err := tx.NewSelect().Model(&row).Where("p.id = ? AND p.company_id = ?", id, companyID).Scan(ctx)
	if err != nil {
		return domain.Partner{}, notFound(err, "partner", id)
	}
	ps, err := tx.fillPartners(ctx, []partnerRow{row})
	if err != nil {
		return domain.Partner{}, err
	}
	return ps[0], nil
}

// PartnerRecord loads a partner without their tags (Tags is nil): what
// validating a document against its partner needs, in one statement.
func (tx *Tx) PartnerRecord(ctx context.Context, companyID, id int64) (domain.Partner, error) {
	k := [2]int64{companyID, id}
	if p, ok := keptMaster(tx, &tx.db.master.partners, k); ok {
		return clonePartner(p), nil
	}
	var row partnerRow
	if err := tx.NewSelect().Model(&row).Where("p.id = ? AND p.company_id = ?", id, companyID).Scan(ctx); err != nil {
		return domain.Partner{}, notFound(err, "partner", id)
	}
	p, err := row.partner()
	if err == nil {
		keepMaster(tx, &tx.db.master.partners, k, clonePartner(p))
	}
	return p, err
}

// fillPartners decodes rows and attaches their tags (sorted) with one query.
func (tx *Tx) fillPartners(ctx context.Context, rows []partnerRow) ([]domain.Partner, error) {
	out := make([]domain.Partner, len(rows))
	idx := make(map[int64]int, len(rows))
	ids := make([]int64, len(rows))
	for i := range rows {
		p, err := rows[i].partner()
		if err != nil {
			return nil, err
		}
		out[i], idx[p.ID], ids[i] = p, i, p.ID
	}
	if len(ids) == 0 {
		return out, nil
	}
	var tags []partnerTagRow
	if err := tx.NewSelect().Model(&tags).Where("partner_id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, err
	}
	for _, t := range tags {
		p := &out[idx[t.PartnerID]]
		p.Tags = append(p.Tags, t.Tag)
	}
	// Sorted here, not in SQL, so both engines agree whatever the collation.
	for i := range out {
		sort.Strings(out[i].Tags)
	}
	return out, nil
}

// PartnerFilter narrows the partner list.
type PartnerFilter struct {
	ListFilter
	// Kind "supplier" matches suppliers and both-kind partners, "customer"
	// customers and both; "both" only both-kind partners.
	Kind          string
	Mnemonic      string // prefix of the 助记码
	Tag           string
	Tier          string
	SalespersonID int64
}

var partnerSorts = map[string]string{
	"code": "p.code", "name": "p.name", "mnemonic": "p.mnemonic", "created_at": "p.created_at",
	"updated_at": "p.updated_at", "credit_limit": "p.credit_limit",
}

// phoneLike reports whether a search term looks like (part of) a phone
// number, so that it is worth matching against the contacts.
func phoneLike(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' || r == '-' || r == ' ':
		default:
			return false
		}
	}
	return digits > 0
}

// ListPartners returns one page of partners (with tags) and the total count.
func (tx *Tx) ListPartners(ctx context.Context, f PartnerFilter) ([]domain.Partner, int, error) {
	q := tx.NewSelect().Model((*partnerRow)(nil)).Where("p.company_id = ?", f.CompanyID)
	q = applyArchived(q, "p", f.Archived)
	switch f.Kind {
	case "":
	case string(domain.PartnerSupplier):
		q = q.Where("p.kind IN (?)", bun.In([]string{string(domain.PartnerSupplier), string(domain.PartnerBoth)}))
	case string(domain.PartnerCustomer):
		q = q.Where("p.kind IN (?)", bun.In([]string{string(domain.PartnerCustomer), string(domain.PartnerBoth)}))
	default:
		q = q.Where("p.kind = ?", f.Kind)
	}
	if m := domain.NormalizeMnemonic(f.Mnemonic); m != "" {
		lo, hi := prefixRange(m)
		q = q.Where("p.mnemonic >= ? AND p.mnemonic < ?", lo, hi)
	}
	if t := strings.TrimSpace(f.Tag); t != "" {
		q = q.Where("p.id IN (SELECT partner_id FROM partner_tags WHERE company_id = ? AND tag = ?)", f.CompanyID, t)
	}
	if f.Tier != "" {
		q = q.Where("p.tier = ?", f.Tier)
	}
	if f.SalespersonID != 0 {
		q = q.Where("p.salesperson_id = ?", f.SalespersonID)
	}
	if s := searchTerm(f.Q); s != "" {
		lo, hi := prefixRange(lower(s))
		like := "%" + likeEscape(lower(s)) + "%"
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			q = q.Where("lower(p.code) LIKE ? ESCAPE '\\'", like).
				WhereOr("lower(p.name) LIKE ? ESCAPE '\\'", like).
				WhereOr("lower(p.name_en) LIKE ? ESCAPE '\\'", like).
				WhereOr("(p.mnemonic >= ? AND p.mnemonic < ?)", lo, hi)
			if phoneLike(s) {
				// A phone or mobile number of a contact: JSON keys hold no
				// digits, so only values can match.
				q = q.WhereOr("p.contacts LIKE ? ESCAPE '\\'", "%"+likeEscape(s)+"%")
			}
			return q
		})
	}
	q = applySort(q, "p", f.Sort, partnerSorts, "code")
	var rows []partnerRow
	n, err := q.Limit(f.limit()).Offset(f.offset()).ScanAndCount(ctx, &rows)
	if err != nil {
		return nil, 0, err
	}
	ps, err := tx.fillPartners(ctx, rows)
	return ps, int(n), err
}

// SetPartnerArchived archives or restores a partner.
func (tx *Tx) SetPartnerArchived(ctx context.Context, companyID, id int64, archived bool) error {
	return tx.setArchived(ctx, "partners", "partner", companyID, id, archived)
}

// DeletePartner deletes a partner that nothing refers to (its tags go with
// it); a referenced partner must be archived instead.
func (tx *Tx) DeletePartner(ctx context.Context, companyID, id int64) error {
	return tx.deleteRow(ctx, "partners", "partner", companyID, id)
}
