package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// The raw yardstick (docs/PERFORMANCE.md): the same sales order jxc's API
// confirms — a header, its lines, each line's stock reserved on the
// warehouse's own row and the reservation recorded — written the minimal
// way by hand, so that the API's cost can be stated as a ratio of it. It
// skips everything that is not the posting itself: no numbering counter,
// pricing, credit, audit, idempotency or answer. Only the load tool uses
// it; its documents are real sales orders jxc check proves like any other.

// RawTarget is where raw orders go: a company's warehouse (its root
// location) and a customer.
type RawTarget struct {
	CompanyID   int64
	WarehouseID int64
	LocationID  int64
	PartnerID   int64
	Units       map[int64]int64 // item → base unit
}

// RawTargetOf reads the company and root location of a warehouse and the
// base units of the items raw orders will sell.
func (db *DB) RawTargetOf(ctx context.Context, warehouseID, partnerID int64, items []int64) (RawTarget, error) {
	t := RawTarget{WarehouseID: warehouseID, PartnerID: partnerID, Units: map[int64]int64{}}
	err := db.View(ctx, func(tx *Tx) error {
		if err := tx.NewRaw("SELECT company_id, root_location_id FROM warehouses WHERE id = ?", warehouseID).Scan(ctx, &t.CompanyID, &t.LocationID); err != nil {
			return err
		}
		var rows []struct{ ID, BaseUnitID int64 }
		if err := tx.NewRaw("SELECT id, base_unit_id FROM items WHERE id IN (?)", bun.In(items)).Scan(ctx, &rows); err != nil {
			return err
		}
		for _, r := range rows {
			t.Units[r.ID] = r.BaseUnitID
		}
		return nil
	})
	return t, err
}

var rawSeq atomic.Int64

// ErrRawShort is a raw order's answer when a line's stock is short.
var ErrRawShort = errors.New("insufficient stock")

// RawOrder confirms a sales order of one unit of each item the minimal way,
// in one transaction: header, lines, the balance rows locked in key order
// (FOR UPDATE on PostgreSQL), checked, reserved, reservations recorded.
// naive leaves the lock out and writes the reserved figure it read plus
// one as an absolute value: the classic lost update, which jxc check must
// catch (reserved no longer equals what orders hold; more held than on
// hand).
func (db *DB) RawOrder(ctx context.Context, t RawTarget, items []int64, naive bool) error {
	items = slices.Clone(items)
	slices.Sort(items)
	items = slices.Compact(items)
	return db.Update(ctx, func(tx *Tx) error {
		now := tx.Now
		day := now.Format("2006-01-02")
		d := docRow{CompanyID: t.CompanyID, Type: domain.DocSalesOrder, Number: fmt.Sprintf("RAW%d-%d", now.UnixNano(), rawSeq.Add(1)),
			State: domain.DocPosted, DocDate: day, WarehouseID: t.WarehouseID, PartnerID: &t.PartnerID, TotalQty: domain.QtyOf(int64(len(items))),
			Version: 1, CreatedAt: now, UpdatedAt: now}
		if _, err := tx.NewInsert().Model(&d).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
			return err
		}
		lines := make([]docLineRow, len(items))
		for i, it := range items {
			loc := t.LocationID
			lines[i] = docLineRow{CompanyID: t.CompanyID, DocumentID: d.ID, LineNo: i + 1, ItemID: it, UnitID: t.Units[it], Factor: domain.QtyOne, Qty: domain.QtyOne,
				BaseQty: domain.QtyOne, Price: domain.PriceOf(10), LocationID: &loc}
		}
		if _, err := tx.NewInsert().Model(&lines).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
			return err
		}
		var rows []balanceRow
		q := tx.NewSelect().Model(&rows).Where("b.company_id = ? AND b.location_id = ? AND b.batch = '' AND b.item_id IN (?)",
			t.CompanyID, t.LocationID, bun.In(items)).OrderExpr("b.item_id")
		if !naive && tx.Dialect() == Postgres {
			q = q.For("UPDATE")
		}
		if err := q.Scan(ctx); err != nil {
			return err
		}
		if len(rows) != len(items) {
			return ErrRawShort
		}
		for _, r := range rows {
			if r.OnHand-r.Reserved < domain.QtyOne {
				return ErrRawShort
			}
		}
		if naive { // what it read, plus one, written back as it stands
			for _, r := range rows {
				if _, err := tx.ExecContext(ctx, "UPDATE stock_balances SET reserved = ? WHERE company_id = ? AND item_id = ? AND location_id = ? AND batch = ''",
					int64(r.Reserved+domain.QtyOne), t.CompanyID, r.ItemID, t.LocationID); err != nil {
					return err
				}
			}
		} else if _, err := tx.ExecContext(ctx, "UPDATE stock_balances SET reserved = reserved + ? WHERE company_id = ? AND location_id = ? AND batch = '' AND item_id IN (?)",
			int64(domain.QtyOne), t.CompanyID, t.LocationID, bun.In(items)); err != nil {
			return err
		}
		holds := make([]reservationRow, len(lines))
		for i, l := range lines {
			holds[i] = reservationRow{CompanyID: t.CompanyID, LineID: l.ID, DocumentID: d.ID, ItemID: l.ItemID, LocationID: t.LocationID, Qty: domain.QtyOne}
		}
		_, err := tx.NewInsert().Model(&holds).Exec(ctx)
		return err
	})
}
