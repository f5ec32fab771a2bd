package service

import (
	"context"
	"strconv"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// Purchase budgets: an order is checked against every budget whose period
// holds its date and whose scope it touches, when it is placed (posted).

// Budgets lists budgets whose period overlaps [from, to].
func (s *Service) Budgets(ctx context.Context, p *domain.Principal, from, to *domain.Date) ([]domain.Budget, error) {
	return view(ctx, s, func(tx *store.Tx) ([]domain.Budget, error) { return tx.Budgets(ctx, p.CompanyID, from, to) })
}

// SaveBudget creates (ID 0) or changes a budget.
func (s *Service) SaveBudget(ctx context.Context, p *domain.Principal, b domain.Budget) (domain.Budget, error) {
	b.Note = trim(b.Note)
	if err := b.Validate(); err != nil {
		return b, err
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		table := map[string]string{domain.BudgetCategory: "categories", domain.BudgetSupplier: "partners", domain.BudgetWarehouse: "warehouses"}[b.Scope]
		if err := tx.MustExist(ctx, table, p.CompanyID, "ref_id", b.RefID); err != nil {
			return err
		}
		action := "update"
		if b.ID == 0 {
			action = "create"
		}
		if err := tx.SaveBudget(ctx, p.CompanyID, &b); err != nil {
			return err
		}
		return audit(ctx, tx, p, "budget", b.ID, action, nil, &b)
	})
	return b, err
}

// DeleteBudget removes a budget.
func (s *Service) DeleteBudget(ctx context.Context, p *domain.Principal, id int64) error {
	return s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteBudget(ctx, p.CompanyID, id); err != nil {
			return err
		}
		return audit(ctx, tx, p, "budget", id, "delete", nil, nil)
	})
}

// BudgetUse is a budget against what was ordered, received and billed in
// its period.
type BudgetUse struct {
	domain.Budget
	Committed domain.Money `json:"committed" doc:"Net of placed orders; a closed line counts only what it received"`
	Received  domain.Money `json:"received" doc:"Net of receipts dated in the period"`
	Billed    domain.Money `json:"billed" doc:"Net of bills dated in the period"`
	Remaining domain.Money `json:"remaining" doc:"Amount − committed (negative when overridden past it)"`
	UsedRate  domain.Rate  `json:"used_rate" doc:"Committed as a percent of the amount"`
	Status    string       `json:"status" enum:"ok,warn,over"`
}

// BudgetReport is budget versus actual for the budgets overlapping [from, to].
func (s *Service) BudgetReport(ctx context.Context, p *domain.Principal, from, to *domain.Date) ([]BudgetUse, error) {
	return view(ctx, s, func(tx *store.Tx) ([]BudgetUse, error) {
		bs, err := tx.Budgets(ctx, p.CompanyID, from, to)
		if err != nil {
			return nil, err
		}
		out := make([]BudgetUse, 0, len(bs))
		for _, b := range bs {
			u, err := budgetUse(ctx, tx, p.CompanyID, b, 0)
			if err != nil {
				return nil, err
			}
			out = append(out, u)
		}
		return out, nil
	})
}

func budgetUse(ctx context.Context, tx *store.Tx, companyID int64, b domain.Budget, exclude int64) (BudgetUse, error) {
	u := BudgetUse{Budget: b}
	lines, err := tx.BudgetLines(ctx, companyID, b, exclude)
	if err != nil {
		return u, err
	}
	for _, l := range lines {
		switch l.Type {
		case domain.DocPurchaseOrder:
			c := l.Net
			if l.Closed && l.BaseQty > 0 && l.Received < l.BaseQty {
				if c, err = l.Net.Share(l.Received, l.BaseQty); err != nil {
					return u, err
				}
			}
			u.Committed += c
		case domain.DocPurchaseReceipt:
			u.Received += l.Net
		case domain.DocPurchaseBill:
			u.Billed += l.Net
		}
	}
	u.Remaining = b.Amount - u.Committed
	if v, ok := domain.MulDivRound(int64(u.Committed), int64(domain.RateOf(100)), int64(b.Amount)); ok {
		u.UsedRate = domain.Rate(v)
	}
	u.Status = b.CheckBudget(u.Committed, 0)
	return u, nil
}

// checkBudgets checks an order being placed against its budgets: over one
// is refused unless the caller overrides (audited); nearly used up is a
// warning on the document.
func (s *Service) checkBudgets(ctx context.Context, tx *store.Tx, p *domain.Principal, pc *purchaseCtx, d *domain.Document) ([]domain.Notice, error) {
	bs, err := tx.Budgets(ctx, p.CompanyID, &d.Date, &d.Date)
	if err != nil || len(bs) == 0 {
		return nil, err
	}
	var notes []domain.Notice
	for _, b := range bs {
		var adding domain.Money
		switch b.Scope {
		case domain.BudgetSupplier:
			if d.PartnerID == nil || *d.PartnerID != b.RefID {
				continue
			}
			adding = d.TotalAmount
		case domain.BudgetWarehouse:
			if d.WarehouseID != b.RefID {
				continue
			}
			adding = d.TotalAmount
		case domain.BudgetCategory:
			in, err := tx.CategoryIn(ctx, p.CompanyID, b.RefID)
			if err != nil {
				return nil, err
			}
			for _, l := range d.Lines {
				if c := pc.items[l.ItemID].CategoryID; c != nil && in[*c] {
					adding += l.Amount
				}
			}
			if adding == 0 {
				continue
			}
		}
		// Orders racing for one budget are checked one after the other
		// (each transaction locks this order's budgets in the one order
		// they are listed in).
		if err := tx.LockBudget(ctx, p.CompanyID, b.ID); err != nil {
			return nil, err
		}
		u, err := budgetUse(ctx, tx, p.CompanyID, b, d.ID)
		if err != nil {
			return nil, err
		}
		params := map[string]string{"budget": b.RefName, "scope": b.Scope, "amount": b.Amount.String(),
			"committed": u.Committed.String(), "adding": adding.String(), "left": max(b.Amount-u.Committed, 0).String(), "after": (b.Amount - u.Committed - adding).String(),
			"from": b.From.String(), "to": b.To.String(), "id": strconv.FormatInt(b.ID, 10)}
		switch b.CheckBudget(u.Committed, adding) {
		case domain.BudgetOver:
			if !pc.override {
				e := domain.ErrorKey(domain.EConflict, "error.budget_exceeded", params,
					"the order would take the "+b.Scope+" budget "+b.RefName+" past "+b.Amount.String())
				return nil, e
			}
			if err := audit(ctx, tx, p, "budget", b.ID, "override", map[string]any{"committed": u.Committed, "amount": b.Amount},
				map[string]any{"document": d.Number, "adding": adding, "total": u.Committed + adding}); err != nil {
				return nil, err
			}
			notes = append(notes, domain.Notice{Key: "budget.override", Params: params})
		case domain.BudgetWarn:
			notes = append(notes, domain.Notice{Key: "budget.warn", Params: params})
		}
	}
	return notes, nil
}
