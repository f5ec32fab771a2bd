package service

import (
	"context"
	"slices"
	"strconv"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// The supplier's account (应付): balances with ageing, open items,
// allocations (核销) and the statement (对账单).

// The documents that may be settled on each kind of account: debits
// (what is owed) and credits (what pays or offsets it). Every document
// that puts a debit on the account is one, so everything open can be
// settled: a landed cost owed to a forwarder is paid like a bill.
var (
	settleDebits = map[string][]domain.DocType{
		store.Payable: {domain.DocPurchaseBill, domain.DocLandedCost}, store.Receivable: {domain.DocSalesInvoice, domain.DocPOSSale},
	}
	settleCredits = map[string][]domain.DocType{
		store.Payable: {domain.DocPayment, domain.DocPurchaseReturn}, store.Receivable: {domain.DocReceipt, domain.DocSalesReturn, domain.DocPOSReturn},
	}
)

// SettleItem is one allocation asked for: amount of credit applied to debit.
type SettleItem struct {
	DebitID  int64        `json:"debit_id" minimum:"1" doc:"The bill"`
	CreditID int64        `json:"credit_id" minimum:"0" doc:"The payment or receipt, or the credited return. On a new payment or receipt's apply: 0 or left out is that payment itself; another open credit of the partner is applied in the same transaction (收清余额 / 付清余额 uses open credits first)"`
	Amount   domain.Money `json:"amount" doc:"Greater than 0; at most what is open on both"`
}

// Settle allocates credits to bills of a supplier, all or nothing.
func (s *Service) Settle(ctx context.Context, p *domain.Principal, partnerID int64, items []SettleItem) ([]store.Settlement, error) {
	return s.settleAll(ctx, p, partnerID, items, store.Payable)
}

// SettleReceivables allocates receipts and credited returns to invoices of
// a customer, all or nothing.
func (s *Service) SettleReceivables(ctx context.Context, p *domain.Principal, partnerID int64, items []SettleItem) ([]store.Settlement, error) {
	return s.settleAll(ctx, p, partnerID, items, store.Receivable)
}

func (s *Service) settleAll(ctx context.Context, p *domain.Principal, partnerID int64, items []SettleItem, kind string) ([]store.Settlement, error) {
	var f domain.Fields
	if len(items) == 0 {
		f.Add("items", "required")
	}
	for i, it := range items {
		if it.Amount <= 0 {
			f.Add("items["+strconv.Itoa(i)+"].amount", "positive")
		}
		if it.CreditID <= 0 {
			f.Add("items["+strconv.Itoa(i)+"].credit_id", "required")
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var out []store.Settlement
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		out, err = s.settle(ctx, tx, p, partnerID, items, kind)
		return err
	})
	return out, err
}

func (s *Service) settle(ctx context.Context, tx *store.Tx, p *domain.Principal, partnerID int64, items []SettleItem, kind string) ([]store.Settlement, error) {
	out := make([]store.Settlement, 0, len(items))
	for i, it := range items {
		st := store.Settlement{PartnerID: partnerID, DebitID: it.DebitID, CreditID: it.CreditID, Amount: it.Amount, Date: s.today(), CreatedBy: p.UserID}
		if err := tx.Settle(ctx, p.CompanyID, &st, settleDebits[kind], settleCredits[kind]); err != nil {
			if e, ok := err.(*domain.Error); ok {
				c := *e
				c.Fields = []domain.FieldError{{Field: "items[" + strconv.Itoa(i) + "].amount", Rule: "over_settled"}}
				return nil, &c
			}
			return nil, err
		}
		if err := audit(ctx, tx, p, "settlement", st.ID, "create", nil, &st); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// AutoSettle applies a supplier's open credits to the open bills, oldest
// due first (payments and returns oldest first), and returns what it did.
func (s *Service) AutoSettle(ctx context.Context, p *domain.Principal, partnerID int64) ([]store.Settlement, error) {
	return s.autoSettle(ctx, p, partnerID, store.Payable)
}

// AutoSettleReceivables applies a customer's open receipts and credits to
// the open invoices, oldest due first.
func (s *Service) AutoSettleReceivables(ctx context.Context, p *domain.Principal, partnerID int64) ([]store.Settlement, error) {
	return s.autoSettle(ctx, p, partnerID, store.Receivable)
}

func (s *Service) autoSettle(ctx context.Context, p *domain.Principal, partnerID int64, kind string) ([]store.Settlement, error) {
	var out []store.Settlement
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		items, err := tx.OpenItems(ctx, p.CompanyID, partnerID, kind)
		if err != nil {
			return err
		}
		var debits, credits []store.OpenItem
		for _, it := range items {
			if it.Open > 0 {
				debits = append(debits, it)
			} else {
				credits = append(credits, it)
			}
		}
		sortByDue(debits)
		var plan []SettleItem
		for _, a := range domain.PlanSettle(openDocs(debits), openDocs(credits)) {
			plan = append(plan, SettleItem{DebitID: a.DebitID, CreditID: a.CreditID, Amount: a.Amount})
		}
		if len(plan) == 0 {
			return nil
		}
		out, err = s.settle(ctx, tx, p, partnerID, plan, kind)
		return err
	})
	return out, err
}

// openDocs is what is open on each item, positive on both sides.
func openDocs(items []store.OpenItem) []domain.OpenDoc {
	out := make([]domain.OpenDoc, len(items))
	for i, it := range items {
		out[i] = domain.OpenDoc{ID: it.DocumentID, Open: max(it.Open, -it.Open)}
	}
	return out
}

func sortByDue(items []store.OpenItem) {
	due := func(it store.OpenItem) domain.Date {
		if it.DueDate != nil {
			return *it.DueDate
		}
		return it.Date
	}
	slices.SortStableFunc(items, func(a, b store.OpenItem) int { return due(a).Compare(due(b)) })
}

// Payables lists suppliers' balances (one supplier when partnerID is set),
// aged on asOf (today when zero).
func (s *Service) Payables(ctx context.Context, p *domain.Principal, partnerID int64, asOf domain.Date) ([]store.PartnerBalance, error) {
	if asOf.IsZero() {
		asOf = s.today()
	}
	return view(ctx, s, func(tx *store.Tx) ([]store.PartnerBalance, error) {
		return tx.PartnerBalances(ctx, p.CompanyID, partnerID, store.Payable, asOf)
	})
}

// Receivables lists customers' balances (one customer when partnerID is
// set), aged on asOf (today when zero).
func (s *Service) Receivables(ctx context.Context, p *domain.Principal, partnerID int64, asOf domain.Date) ([]store.PartnerBalance, error) {
	if asOf.IsZero() {
		asOf = s.today()
	}
	return view(ctx, s, func(tx *store.Tx) ([]store.PartnerBalance, error) {
		return tx.PartnerBalances(ctx, p.CompanyID, partnerID, store.Receivable, asOf)
	})
}

// ReceivableItems lists a customer's documents not yet fully settled.
func (s *Service) ReceivableItems(ctx context.Context, p *domain.Principal, partnerID int64) ([]store.OpenItem, error) {
	return view(ctx, s, func(tx *store.Tx) ([]store.OpenItem, error) {
		return tx.OpenItems(ctx, p.CompanyID, partnerID, store.Receivable)
	})
}

// PayableItems lists a supplier's documents not yet fully settled.
func (s *Service) PayableItems(ctx context.Context, p *domain.Principal, partnerID int64) ([]store.OpenItem, error) {
	return view(ctx, s, func(tx *store.Tx) ([]store.OpenItem, error) {
		return tx.OpenItems(ctx, p.CompanyID, partnerID, store.Payable)
	})
}

// Statement is a partner's statement (对账单) for a date range.
type Statement struct {
	Partner domain.Partner       `json:"partner"`
	From    domain.Date          `json:"from"`
	To      domain.Date          `json:"to"`
	Opening domain.Money         `json:"opening" doc:"Balance before from"`
	Rows    []store.StatementRow `json:"rows"`
	Debits  domain.Money         `json:"debits"`
	Credits domain.Money         `json:"credits"`
	Closing domain.Money         `json:"closing" doc:"Balance at the end of to"`
}

// SupplierStatement is a supplier's statement from from to to.
func (s *Service) SupplierStatement(ctx context.Context, p *domain.Principal, partnerID int64, from, to domain.Date) (Statement, error) {
	return s.statement(ctx, p, partnerID, from, to, store.Payable)
}

// CustomerStatement is a customer's statement (对账单) from from to to.
func (s *Service) CustomerStatement(ctx context.Context, p *domain.Principal, partnerID int64, from, to domain.Date) (Statement, error) {
	return s.statement(ctx, p, partnerID, from, to, store.Receivable)
}

func (s *Service) statement(ctx context.Context, p *domain.Principal, partnerID int64, from, to domain.Date, kind string) (Statement, error) {
	st := Statement{From: from, To: to}
	if to.Before(from) {
		return st, domain.FieldErr("to", "before_date")
	}
	err := s.db.View(ctx, func(tx *store.Tx) error {
		var err error
		if st.Partner, err = tx.Partner(ctx, p.CompanyID, partnerID); err != nil {
			return err
		}
		if st.Opening, st.Rows, err = tx.Statement(ctx, p.CompanyID, partnerID, kind, from, to); err != nil {
			return err
		}
		st.Closing = st.Opening
		for _, r := range st.Rows {
			st.Debits += r.Debit
			st.Credits += r.Credit
			st.Closing += r.Debit - r.Credit
		}
		return nil
	})
	return st, err
}

// MatchRow is one line of a bill's 3-way match: what was ordered, what was
// received and what is billed, with the variances.
type MatchRow struct {
	LineNo        int          `json:"line_no"`
	ItemID        int64        `json:"item_id"`
	OrderNumber   string       `json:"order_number" doc:"Empty when the receipt was not against an order"`
	OrderedQty    domain.Qty   `json:"ordered_qty" doc:"Base units"`
	OrderPrice    domain.Price `json:"order_price"`
	ReceiptNumber string       `json:"receipt_number"`
	ReceivedQty   domain.Qty   `json:"received_qty" doc:"Accepted, base units"`
	ReturnedQty   domain.Qty   `json:"returned_qty"`
	ReceiptPrice  domain.Price `json:"receipt_price"`
	BilledQty     domain.Qty   `json:"billed_qty" doc:"This bill, base units"`
	BilledBefore  domain.Qty   `json:"billed_before" doc:"Other bills of the receipt line"`
	BillPrice     domain.Price `json:"bill_price"`
	QtyVariance   domain.Qty   `json:"qty_variance" doc:"Billed in all − (received − returned); + billed more than kept"`
	PriceVariance domain.Money `json:"price_variance" doc:"Net; + billed dearer than received"`
}

// BillMatch is the 3-way match of a bill.
func (s *Service) BillMatch(ctx context.Context, p *domain.Principal, id int64) ([]MatchRow, error) {
	return view(ctx, s, func(tx *store.Tx) ([]MatchRow, error) {
		b, err := s.purchaseDoc(ctx, tx, p, domain.DocPurchaseBill, id)
		if err != nil {
			return nil, err
		}
		var ids []int64
		for _, l := range b.Lines {
			ids = append(ids, l.SourceLineID)
		}
		receipts, err := tx.SourceLines(ctx, p.CompanyID, ids)
		if err != nil {
			return nil, err
		}
		ids = ids[:0]
		for _, r := range receipts {
			if r.SourceLineID != 0 {
				ids = append(ids, r.SourceLineID)
			}
		}
		orders, err := tx.SourceLines(ctx, p.CompanyID, ids)
		if err != nil {
			return nil, err
		}
		out := make([]MatchRow, 0, len(b.Lines))
		for _, l := range b.Lines {
			r := receipts[l.SourceLineID]
			m := MatchRow{LineNo: l.LineNo, ItemID: l.ItemID, ReceiptNumber: r.Number, ReceivedQty: r.StockQty(), ReturnedQty: r.ReturnedQty,
				ReceiptPrice: r.Price, BilledQty: l.BaseQty, BillPrice: l.Price, PriceVariance: l.Variance}
			m.BilledBefore = r.BilledQty
			if b.State == domain.DocPosted {
				m.BilledBefore -= l.BaseQty
			}
			m.QtyVariance = m.BilledBefore + m.BilledQty - (m.ReceivedQty - m.ReturnedQty)
			if o, ok := orders[r.SourceLineID]; ok {
				m.OrderNumber, m.OrderedQty, m.OrderPrice = o.Number, o.BaseQty, o.Price
			}
			out = append(out, m)
		}
		return out, nil
	})
}

// Settlements lists the allocations touching a document.
// account (store.Payable or Receivable) is the side asked through: a
// supplier's side does not list a customer's allocations.
func (s *Service) Settlements(ctx context.Context, p *domain.Principal, account string, documentID int64) ([]store.Settlement, error) {
	return view(ctx, s, func(tx *store.Tx) ([]store.Settlement, error) {
		return tx.Settlements(ctx, p.CompanyID, documentID, settleDebits[account])
	})
}
