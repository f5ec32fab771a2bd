package demo

import (
	"fmt"
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
)

// stock gives the demo company stock to look at: opening balances (期初) on
// the first day of last month in the central warehouse and the branches,
// then a few weeks of warehouse work — receipts, a damaged-goods issue, a
// transfer to the shop, one reversal — and a draft left for the clerk.
// Serial-tracked items are left out (serials are not captured yet).
func (l *loader) stock() error {
	now := time.Now()
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	date := func(days int) domain.Date { return domain.Date{Time: first.AddDate(0, 0, days)} }
	var items []domain.Item
	for _, it := range l.created {
		if !it.IsTemplate && it.Tracking != domain.TrackSerial {
			items = append(items, it)
		}
	}
	batchOf := func(it domain.Item, n int) (string, *domain.Date) {
		if it.Tracking != domain.TrackBatch {
			return "", nil
		}
		made := first.AddDate(0, 0, -10*n)
		exp := domain.Date{Time: made.AddDate(0, 0, max(it.ShelfLifeDays, 180))}
		return made.Format("20060102"), &exp
	}
	opening := func(wh string, share int) error {
		var lines []domain.DocLine
		for i, it := range items {
			if i%share != 0 {
				continue
			}
			q := domain.QtyOf(int64(24 + (i*37)%180))
			batch, exp := batchOf(it, 1)
			lines = append(lines, domain.DocLine{ItemID: it.ID, Qty: q, Price: it.PurchasePrice, Batch: batch, Expiry: exp})
		}
		_, err := l.svc.CreateStockDoc(l.ctx, l.p, domain.Document{Type: domain.DocStockOpening, Date: date(0),
			WarehouseID: l.r.wh[wh], Note: "系统上线期初库存", Lines: lines}, true)
		return err
	}
	for _, w := range []struct {
		code  string
		share int
	}{{"SH", 1}, {"BJ", 2}, {"GZ", 3}, {"SH-STORE", 2}} {
		if err := opening(w.code, w.share); err != nil {
			return fmt.Errorf("opening %s: %w", w.code, err)
		}
	}
	pick := func(from, n int) []domain.Item {
		var out []domain.Item
		for i := from; len(out) < n && i < len(items); i += 3 {
			out = append(out, items[i])
		}
		return out
	}
	post := func(d domain.Document, post bool) (domain.Document, error) {
		return l.svc.CreateStockDoc(l.ctx, l.p, d, post)
	}
	// Receipts of samples and gifts from suppliers.
	var in []domain.DocLine
	for _, it := range pick(1, 4) {
		batch, exp := batchOf(it, 0)
		in = append(in, domain.DocLine{ItemID: it.ID, Qty: domain.QtyOf(12), Price: it.PurchasePrice, Batch: batch, Expiry: exp})
	}
	if _, err := post(domain.Document{Type: domain.DocStockIn, Reason: "gift", Date: date(6), WarehouseID: l.r.wh["SH"],
		Note: "供应商赠品", Lines: in}, true); err != nil {
		return fmt.Errorf("stock in: %w", err)
	}
	// Damaged in the warehouse.
	var dmg []domain.DocLine
	for _, it := range pick(2, 3) {
		batch, _ := batchOf(it, 1)
		dmg = append(dmg, domain.DocLine{ItemID: it.ID, Qty: domain.QtyOf(2), Batch: batch, Note: "搬运破损"})
	}
	if _, err := post(domain.Document{Type: domain.DocStockOut, Reason: "damage", Date: date(9), WarehouseID: l.r.wh["SH"], Lines: dmg}, true); err != nil {
		return fmt.Errorf("stock out: %w", err)
	}
	// Replenish the shop from the central warehouse.
	var tr []domain.DocLine
	for _, it := range pick(0, 6) {
		batch, _ := batchOf(it, 1)
		tr = append(tr, domain.DocLine{ItemID: it.ID, Qty: domain.QtyOf(6), Batch: batch})
	}
	shop := l.r.wh["SH-STORE"]
	if _, err := post(domain.Document{Type: domain.DocStockTransfer, Date: date(12), WarehouseID: l.r.wh["SH"], ToWarehouseID: &shop,
		Note: "门店补货", Lines: tr}, true); err != nil {
		return fmt.Errorf("transfer: %w", err)
	}
	// A sample issued by mistake, reversed (红冲) the next day.
	sample := pick(5, 1)
	if len(sample) == 1 {
		batch, _ := batchOf(sample[0], 1)
		d, err := post(domain.Document{Type: domain.DocStockOut, Reason: "sample", Date: date(15), WarehouseID: l.r.wh["SH"],
			Lines: []domain.DocLine{{ItemID: sample[0].ID, Qty: domain.QtyOf(1), Batch: batch}}}, true)
		if err != nil {
			return fmt.Errorf("sample: %w", err)
		}
		if _, err := l.svc.ReverseStockDoc(l.ctx, l.p, d.ID, date(16), "样品未领用，冲回"); err != nil {
			return fmt.Errorf("reversal: %w", err)
		}
	}
	// A draft the clerk has not finished.
	var draft []domain.DocLine
	for _, it := range pick(7, 2) {
		batch, _ := batchOf(it, 1)
		draft = append(draft, domain.DocLine{ItemID: it.ID, Qty: domain.QtyOf(3), Batch: batch})
	}
	if _, err := post(domain.Document{Type: domain.DocStockOut, Reason: "internal_use", Date: domain.Date{Time: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)},
		WarehouseID: l.r.wh["SH"], Note: "办公室领用", Lines: draft}, false); err != nil {
		return fmt.Errorf("draft: %w", err)
	}
	return nil
}
