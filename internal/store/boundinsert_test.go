package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// On SQLite a short document's lines are inserted with their values bound
// as parameters (boundinsert.go), a long one's the way bun writes them: the
// rows the two leave are the same, value for value and type for type, and
// the ids handed back are the rows' own.
func TestBoundLinesAsWritten(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	co, pcs, _ := seed(t, db)
	wh, items := warehouseItems(t, db, co, pcs, domain.TrackBatch, "A", "B")
	day := domain.NewDate(2026, time.December, 6)
	expiry := domain.NewDate(2027, time.March, 1)
	counted := domain.Qty(7000)
	create := func(lines []domain.DocLine) domain.Document {
		t.Helper()
		d := domain.Document{CompanyID: co, Type: domain.DocStockOpening, State: domain.DocDraft, Date: day, WarehouseID: wh.ID, Lines: lines}
		if err := db.Update(ctx, func(tx *store.Tx) error {
			n, err := tx.NextNumber(ctx, co, "B", day)
			d.Number = domain.DocNumber("B", day, n)
			if err != nil {
				return err
			}
			return tx.CreateDocument(ctx, &d)
		}); err != nil {
			t.Fatal(err)
		}
		return d
	}
	src := create([]domain.DocLine{{ItemID: items[0].ID, UnitID: pcs, Factor: domain.QtyOne, Qty: domain.QtyOne, BaseQty: domain.QtyOne}})
	rich := func(i int) domain.DocLine {
		return domain.DocLine{ItemID: items[i%2].ID, UnitID: pcs, Factor: domain.QtyOne, Qty: domain.Qty(1000 * (i + 2)), BaseQty: domain.Qty(1000 * (i + 2)),
			Price: domain.Price(12345 + i), Amount: domain.Money(2469 + i), Batch: fmt.Sprintf("B-%d", i), Expiry: &expiry, Note: "备注 'quoted'",
			BookQty: 3000, CountedQty: &counted, Serials: []string{"S1", "S2"}, TaxRate: domain.RateOf(13), DiscountRate: domain.RateOf(5),
			Discount: 12, PromoDiscount: 3, Tax: 321, Gross: 2790, SourceLineID: src.Lines[0].ID, PriceRule: "manual"}
	}
	c := &capture{want: `INSERT INTO "document_lines"`}
	db.AddQueryHook(c)
	short := create([]domain.DocLine{rich(0), rich(1)})
	var many []domain.DocLine
	for i := range 30 { // more values than a bound INSERT takes
		many = append(many, rich(i))
	}
	long := create(many)
	if len(c.got) != 2 || !strings.Contains(c.got[0], "VALUES (?, ?") || strings.Contains(c.got[1], "?") {
		t.Fatalf("lines inserted by %d statements, want one bound INSERT and one as bun writes it: %q", len(c.got), c.got)
	}
	var cols []string
	if err := db.View(ctx, func(tx *store.Tx) error {
		return tx.NewRaw("SELECT name FROM pragma_table_info('document_lines') WHERE name NOT IN ('id', 'document_id') ORDER BY cid").Scan(ctx, &cols)
	}); err != nil {
		t.Fatal(err)
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = "quote(" + c + ")"
	}
	rows := func(d domain.Document) []string {
		t.Helper()
		var out []string
		if err := db.View(ctx, func(tx *store.Tx) error {
			return tx.NewRaw("SELECT "+strings.Join(quoted, " || '|' || ")+" FROM document_lines WHERE document_id = ? AND line_no <= 2 ORDER BY line_no", d.ID).
				Scan(ctx, &out)
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	a, b := rows(short), rows(long)
	if len(a) != 2 || len(b) != 2 {
		t.Fatalf("rows %d and %d, want 2 and 2", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("line %d bound:\n%s\nas bun writes it:\n%s", i+1, a[i], b[i])
		}
	}
	if !strings.Contains(a[0], "'B-0'") || !strings.Contains(a[0], "'2027-03-01'") || !strings.Contains(a[0], "NULL") {
		t.Errorf("line 1 stored as %s", a[0])
	}
	for _, d := range []domain.Document{short, long} {
		var ids []int64
		if err := db.View(ctx, func(tx *store.Tx) error {
			return tx.NewRaw("SELECT id FROM document_lines WHERE document_id = ? ORDER BY line_no", d.ID).Scan(ctx, &ids)
		}); err != nil {
			t.Fatal(err)
		}
		for i, l := range d.Lines {
			if i >= len(ids) || ids[i] != l.ID {
				t.Errorf("%s line %d: id %d handed back, stored %v", d.Number, i+1, l.ID, ids)
				break
			}
		}
	}
}

// An audit row is written with its values bound on SQLite: it reads back
// as written, its time in the text bun writes (so it sorts with the rows
// written before), its JSON whole.
func TestBoundAuditAsWritten(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		co, _, _ := seed(t, db)
		after := map[string]any{"note": "引号 ' and \" and \\ 备注", "lines": []int{1, 2, 3}}
		var at time.Time
		if err := db.Update(ctx, func(tx *store.Tx) error {
			at = tx.Now
			return tx.Audit(ctx, domain.AuditEntry{CompanyID: co, Username: "老板", Entity: "document", EntityID: 42, Action: "create", RequestID: "r-1"}, nil, after)
		}); err != nil {
			t.Fatal(err)
		}
		var got []domain.AuditEntry
		if err := db.View(ctx, func(tx *store.Tx) error {
			var err error
			got, _, err = tx.ListAudit(ctx, store.AuditFilter{CompanyID: co, EntityID: 42})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(after)
		if len(got) != 1 || got[0].After != string(want) || got[0].Before != "" || !got[0].At.Equal(at) || got[0].Username != "老板" || got[0].RequestID != "r-1" {
			t.Fatalf("audit read back %+v, want after %s at %s", got, want, at)
		}
		if db.Dialect() == store.SQLite {
			var text string
			if err := db.View(ctx, func(tx *store.Tx) error {
				return tx.NewRaw("SELECT at || '' FROM audit_log WHERE entity_id = 42").Scan(ctx, &text)
			}); err != nil {
				t.Fatal(err)
			}
			if w := at.UTC().Format("2006-01-02 15:04:05.999999-07:00"); text != w {
				t.Errorf("audit time stored as %q, want %q as bun writes it", text, w)
			}
		}
	})
}

// Audit rows given to AuditAside (encoded off SQLite's writer) are written
// in the transaction that gave them, in order with the rows Audit writes
// after them, and not at all when it fails.
func TestAuditAside(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		co, _, _ := seed(t, db)
		entry := func(id int64, action string) domain.AuditEntry {
			return domain.AuditEntry{CompanyID: co, Username: "u", Entity: "document", EntityID: id, Action: action}
		}
		if err := db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.AuditAside(ctx, entry(7, "create"), nil, map[string]any{"state": "draft", "lines": []int{1, 2}}); err != nil {
				return err
			}
			return tx.Audit(ctx, entry(7, "post"), map[string]string{"state": "draft"}, map[string]string{"state": "posted"})
		}); err != nil {
			t.Fatal(err)
		}
		failed := errors.New("the posting failed")
		if err := db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.AuditAside(ctx, entry(8, "create"), nil, map[string]any{"state": "draft"}); err != nil {
				return err
			}
			return failed
		}); !errors.Is(err, failed) {
			t.Fatalf("failing transaction: %v", err)
		}
		var got []domain.AuditEntry
		if err := db.View(ctx, func(tx *store.Tx) error {
			var err error
			got, _, err = tx.ListAudit(ctx, store.AuditFilter{CompanyID: co, Entity: "document"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Action != "post" || got[1].Action != "create" || got[1].EntityID != 7 ||
			got[1].After != `{"lines":[1,2],"state":"draft"}` || got[0].Before != `{"state":"draft"}` || got[0].After != `{"state":"posted"}` {
			t.Fatalf("audit rows, newest first: %+v; want post then create of document 7 only", got)
		}
	})
}

// WriteBook binds the values of a short posting's ledger rows, balances and
// costs on SQLite and writes a long one's the way bun does: a row of each
// reads back the same either way, value for value and type for type.
func TestBoundBookAsWritten(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	co, pcs, _ := seed(t, db)
	codes := make([]string, 122)
	for i := range codes {
		codes[i] = fmt.Sprintf("I%03d", i)
	}
	wh, items := warehouseItems(t, db, co, pcs, domain.TrackBatch, codes...)
	var loc int64
	if err := db.View(ctx, func(tx *store.Tx) error {
		return tx.NewRaw("SELECT id FROM locations WHERE warehouse_id = ? ORDER BY id LIMIT 1", wh.ID).Scan(ctx, &loc)
	}); err != nil {
		t.Fatal(err)
	}
	expiry := domain.NewDate(2027, time.May, 1)
	var docs []int64
	write := func(its []domain.Item) {
		t.Helper()
		if err := db.Update(ctx, func(tx *store.Tx) error {
			day := domain.NewDate(2026, time.December, 6)
			n, err := tx.NextNumber(ctx, co, "K", day)
			if err != nil {
				return err
			}
			d := domain.Document{CompanyID: co, Type: domain.DocStockOpening, State: domain.DocDraft, Date: day, WarehouseID: wh.ID,
				Number: domain.DocNumber("K", day, n)}
			for _, it := range its {
				d.Lines = append(d.Lines, domain.DocLine{ItemID: it.ID, UnitID: pcs, Factor: domain.QtyOne, Qty: 5000, BaseQty: 5000})
			}
			if err := tx.CreateDocument(ctx, &d); err != nil {
				return err
			}
			docs = append(docs, d.ID)
			b := domain.NewBook()
			var entries []store.LedgerEntry
			for i, it := range its {
				k := domain.BalanceKey{ItemID: it.ID, LocationID: loc, Batch: "B1"}
				b.Balances[k] = &domain.Balance{BalanceKey: k, OnHand: 5000, Reserved: 1000, Value: 61725, Expiry: &expiry}
				b.ChangedBalances[k] = true
				c := domain.CostKey{ItemID: it.ID}
				b.Costs[c] = &domain.Cost{CostKey: c, CostState: domain.CostState{Method: domain.CostingMovingAverage, Qty: 5000, Value: 61725}, LastCost: 123450}
				b.ChangedCosts[c] = true
				entries = append(entries, store.LedgerEntry{DocumentID: d.ID, DocType: d.Type, Date: day, Leg: domain.Leg{Kind: domain.LegMove,
					LineID: d.Lines[i].ID, Move: domain.MoveIn, BalanceKey: k, Qty: 5000, Value: 61725}})
			}
			return tx.WriteBook(ctx, co, b, entries, map[int64]int64{loc: wh.ID})
		}); err != nil {
			t.Fatal(err)
		}
	}
	write(items[:2]) // bound
	write(items[2:]) // 120 rows of each: more values than a bound INSERT takes
	row := func(table, skip, where string, arg int64) string {
		t.Helper()
		var cols []string
		if err := db.View(ctx, func(tx *store.Tx) error {
			return tx.NewRaw("SELECT name FROM pragma_table_info(?) WHERE name NOT IN ("+skip+") ORDER BY cid", table).Scan(ctx, &cols)
		}); err != nil {
			t.Fatal(err)
		}
		for i, c := range cols {
			cols[i] = "quote(" + c + ")"
		}
		var out string
		if err := db.View(ctx, func(tx *store.Tx) error {
			return tx.NewRaw("SELECT "+strings.Join(cols, " || '|' || ")+" FROM "+table+" WHERE "+where+" LIMIT 1", arg).Scan(ctx, &out)
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, c := range []struct{ table, skip, where string }{
		{"stock_ledger", "'id', 'document_id', 'line_id', 'item_id', 'posted_at'", "document_id = ?"},
		{"stock_balances", "'item_id', 'updated_at'", "item_id = ?"},
		{"stock_costs", "'item_id', 'updated_at'", "item_id = ?"},
	} {
		args := [2]int64{docs[0], docs[1]}
		if c.table != "stock_ledger" {
			args = [2]int64{items[0].ID, items[2].ID}
		}
		a, b := row(c.table, c.skip, c.where, args[0]), row(c.table, c.skip, c.where, args[1])
		if a != b {
			t.Errorf("%s bound:\n%s\nas bun writes it:\n%s", c.table, a, b)
		}
	}
	// The times, written in one transaction each, in the same text.
	var shapes []string
	if err := db.View(ctx, func(tx *store.Tx) error {
		return tx.NewRaw(`SELECT DISTINCT typeof(posted_at) || substr(posted_at, 11, 1) || substr(posted_at, -6) FROM stock_ledger
			UNION SELECT DISTINCT 'b' || typeof(updated_at) || substr(updated_at, 11, 1) || substr(updated_at, -6) FROM stock_balances`).Scan(ctx, &shapes)
	}); err != nil {
		t.Fatal(err)
	}
	if len(shapes) != 2 {
		t.Errorf("times stored in %d shapes, want one per table: %q", len(shapes), shapes)
	}
}

// An order's reservations are upserted with their values bound on SQLite,
// a long document's the way bun writes them: either adds to what a line
// already holds, and a line brought to zero holds nothing.
func TestBoundReservationsAsWritten(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	co, pcs, _ := seed(t, db)
	wh, items := warehouseItems(t, db, co, pcs, domain.TrackBatch, "A")
	day := domain.NewDate(2026, time.December, 7)
	d := domain.Document{CompanyID: co, Type: domain.DocSalesOrder, State: domain.DocDraft, Date: day, WarehouseID: wh.ID}
	for range 150 { // 150 reservations: more values than a bound INSERT takes
		d.Lines = append(d.Lines, domain.DocLine{ItemID: items[0].ID, UnitID: pcs, Factor: domain.QtyOne, Qty: domain.QtyOne, BaseQty: domain.QtyOne})
	}
	var loc int64
	if err := db.Update(ctx, func(tx *store.Tx) error {
		n, err := tx.NextNumber(ctx, co, "R", day)
		if err != nil {
			return err
		}
		d.Number = domain.DocNumber("R", day, n)
		if err := tx.CreateDocument(ctx, &d); err != nil {
			return err
		}
		return tx.NewRaw("SELECT id FROM locations WHERE warehouse_id = ? ORDER BY id LIMIT 1", wh.ID).Scan(ctx, &loc)
	}); err != nil {
		t.Fatal(err)
	}
	hold := func(qty domain.Qty, line domain.DocLine) store.Reservation {
		return store.Reservation{LineID: line.ID, DocumentID: d.ID,
			Take: domain.Take{BalanceKey: domain.BalanceKey{ItemID: items[0].ID, LocationID: loc, Batch: "B 'x'"}, Qty: qty}}
	}
	add := func(rs ...store.Reservation) {
		t.Helper()
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.AddReservations(ctx, co, rs) }); err != nil {
			t.Fatal(err)
		}
	}
	c := &capture{want: `INSERT INTO "stock_reservations"`}
	db.AddQueryHook(c)
	add(hold(1000, d.Lines[0]), hold(1000, d.Lines[1]))
	add(hold(500, d.Lines[0]), hold(-1000, d.Lines[1])) // the second line brought to zero
	var all []store.Reservation
	for _, l := range d.Lines {
		all = append(all, hold(2000, l))
	}
	add(all...)
	if len(c.got) != 3 || !strings.Contains(c.got[0], "VALUES (?, ?") || !strings.Contains(c.got[1], "VALUES (?, ?") || strings.Contains(c.got[2], "?") {
		t.Fatalf("reservations written by %d statements, want two bound and one as bun writes it: %.200q", len(c.got), c.got)
	}
	var got []string
	if err := db.View(ctx, func(tx *store.Tx) error {
		return tx.NewRaw(`SELECT quote(company_id) || '|' || quote(document_id) || '|' || quote(item_id) || '|' || quote(location_id) || '|' ||
			quote(batch) || '|' || quote(qty) FROM stock_reservations WHERE line_id IN (?, ?, ?) ORDER BY line_id`,
			d.Lines[0].ID, d.Lines[1].ID, d.Lines[2].ID).Scan(ctx, &got)
	}); err != nil {
		t.Fatal(err)
	}
	row := func(qty int) string { return fmt.Sprintf("%d|%d|%d|%d|'B ''x'''|%d", co, d.ID, items[0].ID, loc, qty) }
	want := []string{row(3500), row(2000), row(2000)}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("reservations stored:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
