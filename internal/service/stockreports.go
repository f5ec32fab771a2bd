package service

import (
	"context"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// Stock reports that read much: the balance list a page at a time or
// streamed whole, and the movement summary (收发存汇总).

// balanceScope completes a balance filter with the caller's company and
// warehouses.
func balanceScope(p *domain.Principal, f *BalanceFilter) {
	f.CompanyID = p.CompanyID
	if !p.IsAdmin {
		f.Warehouses = p.Warehouses
	}
}

// hideCost blanks what a row says of cost.
func hideCost(r *store.StockRow) { r.Value, r.UnitCost = 0, 0 }

// StockBalancePage is a page of the stock in the caller's warehouses; with
// f.NoCount the rows are not counted unless the page reaches the end.
// Values are blank for callers without data.cost.read.
func (s *Service) StockBalancePage(ctx context.Context, p *domain.Principal, f BalanceFilter) (store.BalancePage, error) {
	balanceScope(p, &f)
	pg, err := view(ctx, s, func(tx *store.Tx) (store.BalancePage, error) { return tx.BalancePage(ctx, f) })
	if !p.Can("data.cost.read") {
		for i := range pg.Rows {
			hideCost(&pg.Rows[i])
		}
	}
	return pg, err
}

// StreamStockBalances hands every row of the stock balance list the
// caller may see to emit, in item code order, as it is read from the
// database: an export of any size in constant memory. Values are blank for
// callers without data.cost.read. An error from emit stops the stream.
func (s *Service) StreamStockBalances(ctx context.Context, p *domain.Principal, f BalanceFilter, emit func(store.StockRow) error) error {
	balanceScope(p, &f)
	cost := p.Can("data.cost.read")
	return s.db.View(ctx, func(tx *store.Tx) error {
		return tx.StreamBalances(ctx, f, func(r store.StockRow) error {
			if !cost {
				hideCost(&r)
			}
			return emit(r)
		})
	})
}

// MovementFilter selects a movement summary.
type MovementFilter = store.MovementFilter

// movementDays is the range of a movement summary when none is given.
const movementDays = 30

// movementScope completes a movement filter: the caller's company and
// warehouses, and the last 30 days when no range is given.
func (s *Service) movementScope(p *domain.Principal, f *MovementFilter) error {
	f.CompanyID = p.CompanyID
	if !p.IsAdmin {
		f.Warehouses = p.Warehouses
	}
	if f.To.IsZero() {
		f.To = s.today()
	}
	if f.From.IsZero() {
		f.From = domain.Date{Time: f.To.AddDate(0, 0, -(movementDays - 1))}
	}
	if f.To.Before(f.From) {
		return domain.FieldErr("to", "before_start")
	}
	return nil
}

// hideMovementCost blanks the values of a movement row.
func hideMovementCost(r *store.MovementRow) {
	r.OpeningValue, r.InValue, r.OutValue, r.ClosingValue = 0, 0, 0, 0
}

// StockMovements is the movement summary (收发存汇总) of a warehouse, or of
// every warehouse the caller may see, over a date range (the last 30 days
// by default): per item the opening stock, what came in, what went out and
// the closing stock. Values are blank for callers without data.cost.read.
func (s *Service) StockMovements(ctx context.Context, p *domain.Principal, f MovementFilter) (store.MovementReport, error) {
	if err := s.movementScope(p, &f); err != nil {
		return store.MovementReport{}, err
	}
	rep, err := view(ctx, s, func(tx *store.Tx) (store.MovementReport, error) { return tx.Movements(ctx, f) })
	if !p.Can("data.cost.read") {
		for i := range rep.Rows {
			hideMovementCost(&rep.Rows[i])
		}
		hideMovementCost(&rep.Totals)
	}
	return rep, err
}

// StreamStockMovements hands every row of a movement summary to emit as
// it is read (see StockMovements).
func (s *Service) StreamStockMovements(ctx context.Context, p *domain.Principal, f MovementFilter, emit func(store.MovementRow) error) error {
	if err := s.movementScope(p, &f); err != nil {
		return err
	}
	cost := p.Can("data.cost.read")
	return s.db.View(ctx, func(tx *store.Tx) error {
		return tx.StreamMovements(ctx, f, func(r store.MovementRow) error {
			if !cost {
				hideMovementCost(&r)
			}
			return emit(r)
		})
	})
}

// WarehouseTotals is what each of the caller's warehouses holds: items with
// stock, quantity and value (blank without data.cost.read).
func (s *Service) WarehouseTotals(ctx context.Context, p *domain.Principal) ([]store.WarehouseTotal, error) {
	var f BalanceFilter
	balanceScope(p, &f)
	out, err := view(ctx, s, func(tx *store.Tx) ([]store.WarehouseTotal, error) {
		return tx.WarehouseTotals(ctx, p.CompanyID, f.Warehouses)
	})
	if !p.Can("data.cost.read") {
		for i := range out {
			out[i].Value = 0
		}
	}
	return out, err
}
