package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// TestMasterKept: what a View reads of the company, a partner, a
// warehouse's places and items is served from memory for a second
// (store/mastercache.go) — and every change this process makes to any of
// them is read at once, another process's within the second; a write
// transaction and a snapshot always read the database; what is handed out
// is a copy.
func TestMasterKept(t *testing.T) {
	storetest.Twins(t, func(t *testing.T, db, other *store.DB) {
		ctx := context.Background()
		f := setUpPurchase(t, db)
		start := time.Now() // the clock stands still until the test moves it: a slow run keeps what it read
		db.SetClock(func() time.Time { return start })
		defer db.SetClock(time.Now)
		osvc := newService(other)
		item, wh, co := f.items[0].ID, f.w1.ID, f.company.ID
		type master struct {
			it  domain.Item
			sup domain.Partner
			co  domain.Company
			pl  store.Places
		}
		cnt := storetest.CountStatements(t, db)
		cnt.Trace = true
		selects := func() (n int64) { // statements but BEGIN, COMMIT and ROLLBACK
			for _, q := range cnt.Traced() {
				if q = strings.TrimSpace(q[strings.Index(q, "ms ")+3:]); q != "BEGIN" && !strings.HasPrefix(q, "BEGIN ") && q != "COMMIT" && q != "ROLLBACK" {
					n++
				}
			}
			return n
		}
		reads := func(tx *store.Tx) (m master, err error) {
			its, err := tx.ItemsByID(ctx, co, []int64{item})
			if err != nil || len(its) != 1 {
				t.Fatalf("ItemsByID: %v, %d items", err, len(its))
			}
			m.it = its[0]
			if m.sup, err = tx.PartnerRecord(ctx, co, f.supplier.ID); err != nil {
				return m, err
			}
			if m.co, err = tx.Company(ctx, co); err != nil {
				return m, err
			}
			m.pl, err = tx.StockPlaces(ctx, co, []int64{wh}, nil)
			return m, err
		}
		view := func(what string) (master, int64) {
			t.Helper()
			cnt.Reset()
			var m master
			noErr(t, what, db.View(ctx, func(tx *store.Tx) (err error) { m, err = reads(tx); return err }))
			return m, selects()
		}
		first, n := view("first read")
		if n == 0 {
			t.Fatal("the first read sent no statement")
		}
		kept := int64(0) // statements of a read served from memory
		if db.Dialect() == store.Postgres {
			kept = 1 // the company is read every time there (store.Tx.Company)
		}
		again, n := view("second read")
		if n != kept || again.it.Name != first.it.Name || again.sup.Name != first.sup.Name || again.pl.Roots[wh] != first.pl.Roots[wh] {
			t.Errorf("a second read within the second: %d statements, %q %q; want %d and the same", n, again.it.Name, again.sup.Name, kept)
		}

		// Items are all kept or all read: the statement never depends on
		// which happen to be kept; an id asked twice is one item.
		var its []domain.Item
		cnt.Reset()
		noErr(t, "items, one kept and one not", db.View(ctx, func(tx *store.Tx) (err error) {
			its, err = tx.ItemsByID(ctx, co, []int64{item, f.batch.ID, item})
			return err
		}))
		if n := selects(); n != 1 || len(its) != 2 {
			t.Errorf("items, one kept and one not: %d statements, %d items; want 1 and 2", n, len(its))
		}
		cnt.Reset()
		noErr(t, "items, both kept", db.View(ctx, func(tx *store.Tx) (err error) {
			its, err = tx.ItemsByID(ctx, co, []int64{f.batch.ID, item, f.batch.ID})
			return err
		}))
		if n := selects(); n != 0 || len(its) != 2 {
			t.Errorf("items, both kept: %d statements, %d items; want none and 2", n, len(its))
		}

		// What is handed out is a copy.
		again.co.Settings.NumberPrefixes[string(domain.DocPurchaseReceipt)] = "XX"
		again.it.Name = "changed by a caller"
		delete(again.pl.Roots, wh)
		third, _ := view("third read")
		if third.co.Settings.NumberPrefixes[string(domain.DocPurchaseReceipt)] == "XX" || third.it.Name == "changed by a caller" || third.pl.Roots[wh] == 0 {
			t.Errorf("a caller's change to what it was handed reached the next reader: %+v", third)
		}

		// This process: every change is read at once.
		it, err := f.svc.Item(ctx, f.admin, item)
		noErr(t, "Item", err)
		it.Name = "改名的货品"
		_, err = f.svc.UpdateItem(ctx, f.admin, item, it)
		noErr(t, "UpdateItem", err)
		if m, _ := view("after UpdateItem"); m.it.Name != "改名的货品" {
			t.Errorf("after the item was renamed a View read %q", m.it.Name)
		}
		noErr(t, "ArchiveItem", f.svc.ArchiveItem(ctx, f.admin, item, true))
		if m, _ := view("after ArchiveItem"); !m.it.Archived {
			t.Error("after the item was archived a View read it live")
		}
		noErr(t, "ArchiveItem restore", f.svc.ArchiveItem(ctx, f.admin, item, false))
		sup := f.supplier
		sup.Name = "改名的供应商"
		_, err = f.svc.UpdatePartner(ctx, f.admin, sup.ID, sup)
		noErr(t, "UpdatePartner", err)
		if m, _ := view("after UpdatePartner"); m.sup.Name != "改名的供应商" {
			t.Errorf("after the supplier was renamed a View read %q", m.sup.Name)
		}
		c, err := f.svc.Company(ctx, f.admin, co)
		noErr(t, "Company", err)
		c.Settings.NumberPrefixes[string(domain.DocPurchaseReceipt)] = "IN"
		_, err = f.svc.UpdateCompany(ctx, f.admin, co, c)
		noErr(t, "UpdateCompany", err)
		if m, _ := view("after UpdateCompany"); m.co.Settings.NumberPrefixes[string(domain.DocPurchaseReceipt)] != "IN" {
			t.Errorf("after the prefix changed a View read %v", m.co.Settings.NumberPrefixes)
		}
		bin, err := f.svc.CreateLocation(ctx, f.admin, wh, domain.Location{Code: "A-01", Name: "A-01"})
		noErr(t, "CreateLocation", err)
		binPlaces := func(what string) store.Places {
			t.Helper()
			var pl store.Places
			noErr(t, what, db.View(ctx, func(tx *store.Tx) (err error) {
				pl, err = tx.StockPlaces(ctx, co, []int64{wh}, []int64{bin.ID})
				return err
			}))
			return pl
		}
		binPlaces("bin places")
		noErr(t, "ArchiveLocation", f.svc.ArchiveLocation(ctx, f.admin, wh, bin.ID, true))
		if pl := binPlaces("after ArchiveLocation"); !pl.Locs[bin.ID].Archived {
			t.Error("after the bin was archived a View read it live")
		}

		// A write transaction and a snapshot read the database.
		view("kept again")
		for name, run := range map[string]func(func(tx *store.Tx) error) error{
			"Update":   func(fn func(tx *store.Tx) error) error { return db.Update(ctx, fn) },
			"Snapshot": func(fn func(tx *store.Tx) error) error { return db.Snapshot(ctx, fn) },
		} {
			cnt.Reset()
			noErr(t, name, run(func(tx *store.Tx) error { _, err := reads(tx); return err }))
			if selects() == 0 {
				t.Errorf("%s was served kept master data", name)
			}
		}

		// Another process: its change counts within the second.
		view("kept before the other process's change")
		oit, err := osvc.Item(ctx, f.admin, item)
		noErr(t, "Item (other)", err)
		oit.Name = "另一进程改的"
		_, err = osvc.UpdateItem(ctx, f.admin, item, oit)
		noErr(t, "UpdateItem (other)", err)
		if m, _ := view("right after the other process's change"); m.it.Name == "另一进程改的" {
			t.Error("the other process's change was read at once: the read was not kept")
		}
		db.SetClock(func() time.Time { return start.Add(1100 * time.Millisecond) })
		if m, _ := view("a second after the other process's change"); m.it.Name != "另一进程改的" {
			t.Errorf("a second after another process renamed the item a View read %q", m.it.Name)
		}
	})
}
