package service

import (
	"context"
	"slices"
	"strconv"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// Requests for quotation (询价): an RFQ lists items and quantities (often
// from a requisition); once posted (sent), each supplier's quote is
// recorded against its lines; the quotes are compared side by side and a
// supplier is awarded lines, which become a draft order at the quoted
// prices.

// QuoteInput is one supplier's quote for an RFQ.
type QuoteInput struct {
	TaxIncluded  bool             `json:"tax_included"`
	LeadTimeDays int              `json:"lead_time_days" minimum:"0" maximum:"3650"`
	ValidUntil   *domain.Date     `json:"valid_until,omitempty"`
	Note         string           `json:"note,omitempty" maxLength:"500"`
	Lines        []QuoteLineInput `json:"lines" maxItems:"2000" doc:"Lines the supplier quotes; lines left out are not quoted"`
}

// QuoteLineInput is a quoted price of one RFQ line.
type QuoteLineInput struct {
	LineID  int64        `json:"line_id" minimum:"1"`
	Price   domain.Price `json:"price" doc:"Per unit of the RFQ line, with or without tax as the quote says"`
	TaxRate domain.Rate  `json:"tax_rate"`
}

func (s *Service) openRFQ(ctx context.Context, tx *store.Tx, p *domain.Principal, id int64) (domain.Document, error) {
	d, err := s.purchaseDoc(ctx, tx, p, domain.DocPurchaseRFQ, id)
	if err != nil {
		return d, err
	}
	if d.State != domain.DocPosted || d.Closed {
		return d, domain.ErrorKey(domain.EConflict, "error.rfq_not_open", nil, "quotes are recorded on a sent (posted) RFQ that is not closed")
	}
	return d, nil
}

// SetQuote records (replaces) a supplier's quote on an RFQ.
func (s *Service) SetQuote(ctx context.Context, p *domain.Principal, rfqID, partnerID int64, q QuoteInput) error {
	return s.db.Update(ctx, func(tx *store.Tx) error {
		d, err := s.openRFQ(ctx, tx, p, rfqID)
		if err != nil {
			return err
		}
		pt, err := tx.Partner(ctx, p.CompanyID, partnerID)
		if err != nil || !pt.Kind.IsSupplier() {
			return domain.FieldErr("partner_id", "not_supplier")
		}
		var f domain.Fields
		if q.LeadTimeDays < 0 || q.LeadTimeDays > 3650 {
			f.Add("lead_time_days", "range", "min", "0", "max", "3650")
		}
		qs := make([]store.Quote, 0, len(q.Lines))
		seen := map[int64]bool{}
		for i, l := range q.Lines {
			field := "lines[" + strconv.Itoa(i) + "]"
			if !slices.ContainsFunc(d.Lines, func(dl domain.DocLine) bool { return dl.ID == l.LineID }) {
				f.Add(field+".line_id", "unknown_reference")
			}
			if seen[l.LineID] {
				f.Add(field+".line_id", "duplicate")
			}
			seen[l.LineID] = true
			if l.Price <= 0 {
				f.Add(field+".price", "positive")
			}
			if l.TaxRate < 0 || l.TaxRate > domain.RateOf(100) {
				f.Add(field+".tax_rate", "range", "min", "0", "max", "100")
			}
			qs = append(qs, store.Quote{LineID: l.LineID, PartnerID: partnerID, Price: l.Price, TaxIncluded: q.TaxIncluded, TaxRate: l.TaxRate,
				LeadTimeDays: q.LeadTimeDays, ValidUntil: q.ValidUntil, Note: trim(q.Note)})
		}
		if err := f.Err(); err != nil {
			return err
		}
		if err := tx.SetQuotes(ctx, p.CompanyID, rfqID, partnerID, p.UserID, qs); err != nil {
			return err
		}
		return audit(ctx, tx, p, "document", rfqID, "quote", nil, map[string]any{"partner_id": partnerID, "lines": len(qs)})
	})
}

// QuoteCell is one supplier's offer for one RFQ line, made comparable:
// the net unit price whatever the quote's tax basis.
type QuoteCell struct {
	store.Quote
	Net  domain.Money `json:"net" doc:"Net amount of the line's quantity at this price"`
	Best bool         `json:"best" doc:"The lowest net for this line"`
}

// CompareLine is an RFQ line with every supplier's quote.
type CompareLine struct {
	LineID int64       `json:"line_id"`
	ItemID int64       `json:"item_id"`
	UnitID int64       `json:"unit_id"`
	Qty    domain.Qty  `json:"qty"`
	Quotes []QuoteCell `json:"quotes"`
}

// CompareSupplier sums a supplier's quote over the lines it quoted.
type CompareSupplier struct {
	PartnerID    int64        `json:"partner_id"`
	Name         string       `json:"name"`
	NameEn       string       `json:"name_en" doc:"The supplier's English name (may be empty)"`
	Lines        int          `json:"lines" doc:"Lines quoted"`
	Net          domain.Money `json:"net"`
	Gross        domain.Money `json:"gross"`
	LeadTimeDays int          `json:"lead_time_days"`
	ValidUntil   *domain.Date `json:"valid_until"`
	Score        *domain.Rate `json:"score" doc:"Supplier score (0–100) from the scorecard, when there is one"`
	BestLines    int          `json:"best_lines" doc:"Lines where this supplier is cheapest"`
}

// Comparison is an RFQ's quotes side by side.
type Comparison struct {
	Lines     []CompareLine     `json:"lines"`
	Suppliers []CompareSupplier `json:"suppliers"`
}

// CompareQuotes lays an RFQ's quotes side by side, by net price.
func (s *Service) CompareQuotes(ctx context.Context, p *domain.Principal, rfqID int64) (Comparison, error) {
	var out Comparison
	err := s.db.View(ctx, func(tx *store.Tx) error {
		d, err := s.purchaseDoc(ctx, tx, p, domain.DocPurchaseRFQ, rfqID)
		if err != nil {
			return err
		}
		qs, err := tx.Quotes(ctx, p.CompanyID, rfqID)
		if err != nil {
			return err
		}
		sup := map[int64]*CompareSupplier{}
		var order []int64
		for _, l := range d.Lines {
			cl := CompareLine{LineID: l.ID, ItemID: l.ItemID, UnitID: l.UnitID, Qty: l.Qty, Quotes: []QuoteCell{}}
			for _, q := range qs {
				if q.LineID != l.ID {
					continue
				}
				a, err := domain.TaxLine{Qty: l.Qty, Price: q.Price, TaxIncluded: q.TaxIncluded, TaxRate: q.TaxRate}.Amounts()
				if err != nil {
					return err
				}
				cl.Quotes = append(cl.Quotes, QuoteCell{Quote: q, Net: a.Net})
				cs := sup[q.PartnerID]
				if cs == nil {
					pt, err := tx.Partner(ctx, p.CompanyID, q.PartnerID)
					if err != nil {
						return err
					}
					cs = &CompareSupplier{PartnerID: q.PartnerID, Name: pt.Name, NameEn: pt.NameEn}
					sup[q.PartnerID] = cs
					order = append(order, q.PartnerID)
				}
				cs.Lines++
				cs.Net += a.Net
				cs.Gross += a.Gross
				cs.LeadTimeDays = max(cs.LeadTimeDays, q.LeadTimeDays)
				cs.ValidUntil = q.ValidUntil
			}
			best := -1
			for i, c := range cl.Quotes {
				if best < 0 || c.Net < cl.Quotes[best].Net {
					best = i
				}
			}
			if best >= 0 {
				cl.Quotes[best].Best = true
				sup[cl.Quotes[best].PartnerID].BestLines++
			}
			out.Lines = append(out.Lines, cl)
		}
		if len(order) > 0 { // the buyer weighs price against the supplier's record
			today := s.today()
			cards, err := s.scorecards(ctx, tx, p, 0, domain.Date{Time: today.AddDate(0, 0, -(ScorecardDays - 1))}, today)
			if err != nil {
				return err
			}
			for _, c := range cards {
				if cs := sup[c.PartnerID]; cs != nil {
					cs.Score = c.Score
				}
			}
		}
		for _, id := range order {
			out.Suppliers = append(out.Suppliers, *sup[id])
		}
		return nil
	})
	if out.Lines == nil {
		out.Lines = []CompareLine{}
	}
	if out.Suppliers == nil {
		out.Suppliers = []CompareSupplier{}
	}
	return out, err
}

// AwardRFQ turns a supplier's quote on the given RFQ lines (all it quoted
// when none are given) into a draft purchase order at the quoted prices,
// delivered to the RFQ's warehouse. Lines that came from a requisition
// keep pointing at it, so the order counts against the requisition when it
// is placed.
func (s *Service) AwardRFQ(ctx context.Context, p *domain.Principal, rfqID, partnerID int64, lineIDs []int64) (domain.Document, error) {
	var po domain.Document
	err := s.db.View(ctx, func(tx *store.Tx) error {
		d, err := s.openRFQ(ctx, tx, p, rfqID)
		if err != nil {
			return err
		}
		qs, err := tx.Quotes(ctx, p.CompanyID, rfqID)
		if err != nil {
			return err
		}
		po = domain.Document{Type: domain.DocPurchaseOrder, PartnerID: &partnerID, WarehouseID: d.WarehouseID, SourceID: &d.ID,
			Note: d.Number}
		for _, l := range d.Lines {
			if len(lineIDs) > 0 && !slices.Contains(lineIDs, l.ID) {
				continue
			}
			k := slices.IndexFunc(qs, func(q store.Quote) bool { return q.LineID == l.ID && q.PartnerID == partnerID })
			if k < 0 {
				continue
			}
			q := qs[k]
			po.TaxIncluded = q.TaxIncluded
			if q.LeadTimeDays > 0 {
				exp := domain.Date{Time: s.today().AddDate(0, 0, q.LeadTimeDays)}
				po.ExpectedDate = &exp
			}
			po.Lines = append(po.Lines, domain.DocLine{ItemID: l.ItemID, UnitID: l.UnitID, Qty: l.Qty, Price: q.Price, TaxRate: q.TaxRate,
				SourceLineID: l.SourceLineID, Note: l.Note})
		}
		if len(po.Lines) == 0 {
			return domain.FieldErr("partner_id", "no_quote")
		}
		return nil
	})
	if err != nil {
		return po, err
	}
	return s.CreatePurchaseDoc(ctx, p, po, false)
}
