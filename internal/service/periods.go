package service

import (
	"context"
	"strconv"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// StockCloses lists the company's month-end closes, newest first.
func (s *Service) StockCloses(ctx context.Context, p *domain.Principal) ([]store.StockClose, error) {
	return view(ctx, s, func(tx *store.Tx) ([]store.StockClose, error) { return tx.StockCloses(ctx, p.CompanyID) })
}

// ClosePeriod closes the stock books up to end (usually a month's last
// day): it snapshots quantity and value per item, location and batch, and
// the cost state per item and costing scope (FIFO layers included), and
// refuses postings dated on or before end from then on. Documents dated
// in the period that are still open must be posted or cancelled first.
func (s *Service) ClosePeriod(ctx context.Context, p *domain.Principal, end domain.Date) (store.StockClose, error) {
	if end.IsZero() {
		return store.StockClose{}, domain.FieldErr("period_end", "required")
	}
	if s.today().Before(end) {
		return store.StockClose{}, domain.FieldErr("period_end", "future")
	}
	var out store.StockClose
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		lock, err := tx.PeriodGuard(ctx, p.CompanyID, true)
		if err != nil {
			return err
		}
		if lock != nil && !lock.Before(end) {
			return domain.FieldErr("period_end", "already_closed", "date", lock.String())
		}
		if n, err := tx.CountOpenDocs(ctx, p.CompanyID, end); err != nil {
			return err
		} else if n > 0 {
			return domain.ErrorKey(domain.EConflict, "error.period_open_docs", map[string]string{"count": strconv.Itoa(n)},
				strconv.Itoa(n)+" documents dated in the period are not posted or cancelled")
		}
		if err := recostPending(ctx, tx, p.CompanyID); err != nil {
			return err
		}
		co, err := tx.Company(ctx, p.CompanyID)
		if err != nil {
			return err
		}
		byWarehouse := co.Settings.CostingScope == domain.CostingScopeWarehouse
		pairs, err := tx.SnapshotItems(ctx, p.CompanyID, lock, end)
		if err != nil {
			return err
		}
		scopes := map[domain.CostKey]bool{}
		var order []domain.CostKey
		for _, pr := range pairs {
			k := domain.CostKey{ItemID: pr.ItemID}
			if byWarehouse {
				k.ScopeID = pr.WarehouseID
			}
			if !scopes[k] {
				scopes[k] = true
				order = append(order, k)
			}
		}
		var snaps []store.Snapshot
		var locIDs []int64
		for _, k := range order {
			snap, err := s.stateAt(ctx, tx, co, k, lock, &end)
			if err != nil {
				return err
			}
			for _, b := range snap.Balances {
				locIDs = append(locIDs, b.LocationID)
			}
			snaps = append(snaps, snap)
		}
		locs, err := tx.LocationInfos(ctx, p.CompanyID, locIDs)
		if err != nil {
			return err
		}
		wh := make(map[int64]int64, len(locs))
		for id, l := range locs {
			wh[id] = l.WarehouseID
		}
		for i := range snaps {
			snaps[i].Warehouse = wh
		}
		id, err := tx.WriteClose(ctx, p.CompanyID, p.UserID, end, snaps)
		if err != nil {
			return err
		}
		out = store.StockClose{ID: id, PeriodEnd: end, ClosedBy: p.UserID, ClosedAt: tx.Now}
		return audit(ctx, tx, p, "stock_period", id, "close", nil, map[string]string{"period_end": end.String()})
	})
	return out, err
}

// stateAt replays one (item, scope) from the snapshot at `from` (the
// beginning when nil) up to `upto` (the end when nil) and returns the
// state reached.
func (s *Service) stateAt(ctx context.Context, tx *store.Tx, co domain.Company, k domain.CostKey, from, upto *domain.Date) (store.Snapshot, error) {
	method, err := tx.CostMethod(ctx, co.ID, k.ItemID, k.ScopeID)
	if err != nil {
		return store.Snapshot{}, err
	}
	if method == "" {
		method = co.Settings.CostingMethod
	}
	var start *domain.Cost
	var bals []domain.Balance
	if from != nil {
		if bals, start, err = tx.SnapshotOf(ctx, co.ID, *from, k.ItemID, k.ScopeID, k.ScopeID); err != nil {
			return store.Snapshot{}, err
		}
	}
	rows, err := tx.ScopeRows(ctx, co.ID, k.ItemID, k.ScopeID, from, upto)
	if err != nil {
		return store.Snapshot{}, err
	}
	rb, _, err := domain.Replay(domain.ReplayScope{CostKey: k, Method: method, AllowNegative: true, Start: start, Balances: bals, Rows: rows})
	if err != nil {
		return store.Snapshot{}, err
	}
	snap := store.Snapshot{Cost: rb.Costs[k]}
	for _, b := range rb.Balances {
		snap.Balances = append(snap.Balances, *b)
	}
	return snap, nil
}

// ReopenPeriod reopens the latest closed period (a permissioned, audited
// action): its snapshots are dropped and postings into it are allowed
// again until it is closed anew.
func (s *Service) ReopenPeriod(ctx context.Context, p *domain.Principal, reason string) (store.StockClose, error) {
	reason = trim(reason)
	if reason == "" {
		return store.StockClose{}, domain.FieldErr("reason", "required")
	}
	var out store.StockClose
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.PeriodGuard(ctx, p.CompanyID, true); err != nil {
			return err
		}
		var err error
		if out, err = tx.ReopenLatest(ctx, p.CompanyID, p.UserID, reason); err != nil {
			return err
		}
		return audit(ctx, tx, p, "stock_period", out.ID, "reopen", map[string]string{"period_end": out.PeriodEnd.String()},
			map[string]string{"reason": reason})
	})
	return out, err
}

func periodClosed(lock domain.Date) error {
	e := domain.ErrorKey(domain.EConflict, "error.period_closed", map[string]string{"date": lock.String()},
		"the stock books are closed up to "+lock.String())
	e.Fields = []domain.FieldError{{Field: "date", Rule: "period_closed", Params: map[string]string{"date": lock.String()}}}
	return e
}

// RepairStock rebuilds a company's projections from the ledger (`jxc check
// --repair`): balances from the sums of their ledger rows, cost states by
// replaying each (item, scope) from the last closed period's snapshot. It
// returns what it changed, one line each.
func (s *Service) RepairStock(ctx context.Context, companyID int64) ([]string, error) {
	var out []string
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		lock, err := tx.PeriodGuard(ctx, companyID, true)
		if err != nil {
			return err
		}
		co, err := tx.Company(ctx, companyID)
		if err != nil {
			return err
		}
		n, err := tx.RebuildBalances(ctx, companyID)
		if err != nil {
			return err
		}
		if n > 0 {
			out = append(out, strconv.Itoa(n)+" balance rows rebuilt from the ledger")
		}
		if n, err = tx.RebuildReserved(ctx, companyID); err != nil {
			return err
		} else if n > 0 {
			out = append(out, strconv.Itoa(n)+" reserved quantities set to what sales orders hold")
		}
		if probs, err := tx.CheckOrderCredit(ctx, companyID); err != nil {
			return err
		} else if len(probs) > 0 {
			if err := tx.RecomputeOrderCredit(ctx, companyID); err != nil {
				return err
			}
			out = append(out, strconv.Itoa(len(probs))+" credit figures of sales orders and customers recomputed from their lines")
		}
		keys, err := tx.CostScopes(ctx, companyID, co.Settings.CostingScope == domain.CostingScopeWarehouse)
		if err != nil {
			return err
		}
		for _, k := range keys {
			snap, err := s.stateAt(ctx, tx, co, k, lock, nil)
			if err != nil {
				return err
			}
			c := snap.Cost
			if c == nil {
				c = &domain.Cost{CostKey: k, CostState: domain.CostState{Method: co.Settings.CostingMethod}}
			}
			old, err := tx.CostMethod(ctx, companyID, k.ItemID, k.ScopeID)
			if err != nil {
				return err
			}
			if old != "" {
				c.Method = old
			}
			if err := tx.SetCost(ctx, companyID, c); err != nil {
				return err
			}
		}
		out = append(out, strconv.Itoa(len(keys))+" cost states replayed")
		return nil
	})
	return out, err
}
