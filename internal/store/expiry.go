package store

import (
	"context"
	"database/sql"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// Expiries returns the expiry of the balance rows of keys that have one in
// a warehouse (what a pick list prints beside each batch).
func (tx *Tx) Expiries(ctx context.Context, companyID, warehouseID int64, keys []domain.BalanceKey) (map[domain.BalanceKey]domain.Date, error) {
	out := map[domain.BalanceKey]domain.Date{}
	want := map[domain.BalanceKey]bool{}
	var items []int64
	for _, k := range keys {
		if !want[k] {
			want[k] = true
			items = append(items, k.ItemID)
		}
	}
	if len(items) == 0 {
		return out, nil
	}
	var rows []struct {
		ItemID     int64
		LocationID int64
		Batch      string
		Expiry     sql.NullString
	}
	if err := tx.NewSelect().Table("stock_balances").Column("item_id", "location_id", "batch", "expiry").
		Where("company_id = ? AND warehouse_id = ? AND item_id IN (?) AND expiry IS NOT NULL", companyID, warehouseID, bun.In(items)).
		Scan(ctx, &rows); err != nil {
		return nil, err
	}
	for _, r := range rows {
		k := domain.BalanceKey{ItemID: r.ItemID, LocationID: r.LocationID, Batch: r.Batch}
		if !want[k] {
			continue
		}
		d, err := nullToDate(r.Expiry)
		if err != nil {
			return nil, err
		}
		out[k] = *d
	}
	return out, nil
}
