package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// A document numbered with NextNumberIDs is inserted with the ids taken
// for it, without a round trip of its own on PostgreSQL, and reads back
// whole in its transaction and after; ids that do not fit it are not used;
// and a held insert that fails fails its transaction, leaving nothing.
func TestCreateDocumentIDs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		pg := db.Dialect() == store.Postgres
		co, pcs, _ := seed(t, db)
		day := domain.NewDate(2026, time.November, 20)
		var wh domain.Warehouse
		var item domain.Item
		if err := db.Update(ctx, func(tx *store.Tx) error {
			wh = domain.Warehouse{CompanyID: co, Code: "W1", Name: "总仓"}
			if err := tx.CreateWarehouse(ctx, &wh); err != nil {
				return err
			}
			item = domain.Item{CompanyID: co, Code: "A", Name: "甲", BaseUnitID: pcs, Tracking: domain.TrackNone}
			return tx.CreateItem(ctx, &item)
		}); err != nil {
			t.Fatal(err)
		}
		doc := func(number string, lines int) *domain.Document {
			d := &domain.Document{CompanyID: co, Type: domain.DocStockIn, Number: number, State: domain.DocDraft, Date: day, WarehouseID: wh.ID}
			for i := range lines {
				q := domain.QtyOf(int64(i + 1))
				d.Lines = append(d.Lines, domain.DocLine{ItemID: item.ID, UnitID: pcs, Factor: domain.QtyOne, Qty: q, BaseQty: q})
			}
			return d
		}
		create := func(d *domain.Document, ids store.DocIDs) error {
			return db.Update(ctx, func(tx *store.Tx) error {
				before := db.RoundTrips()
				if err := tx.CreateDocumentIDs(ctx, d, ids); err != nil {
					return err
				}
				if n := db.RoundTrips() - before; pg && ids.Doc != 0 && len(ids.Lines) == len(d.Lines) && n != 0 {
					t.Errorf("inserting with ids taken before took %d round trips, want 0 (held for the next statement)", n)
				}
				got, err := tx.Document(ctx, co, d.ID)
				if err != nil {
					return err
				}
				if len(got.Lines) != len(d.Lines) || got.Number != d.Number {
					t.Errorf("in its transaction: %s with %d lines, want %s with %d", got.Number, len(got.Lines), d.Number, len(d.Lines))
				}
				return nil
			})
		}
		lineIDs := func(d *domain.Document) []int64 {
			var ids []int64
			for _, l := range d.Lines {
				ids = append(ids, l.ID)
			}
			return ids
		}

		n, ids, err := db.NextNumberIDs(ctx, co, "RK", day, 3)
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("first number = %d, want 1", n)
		}
		if pg != (ids.Doc != 0) || pg && (len(ids.Lines) != 3 || slices.Contains(ids.Lines, 0) || len(slices.Compact(slices.Sorted(slices.Values(ids.Lines)))) != 3) {
			t.Fatalf("ids = %+v on %s: want a document id and three distinct line ids on PostgreSQL only", ids, db.Dialect())
		}
		first := ids
		d := doc("RK-1", 3)
		if err := create(d, ids); err != nil {
			t.Fatal(err)
		}
		if pg && (d.ID != ids.Doc || !slices.Equal(lineIDs(d), ids.Lines)) {
			t.Errorf("created as %d %v, want the ids taken: %d %v", d.ID, lineIDs(d), ids.Doc, ids.Lines)
		}
		var got domain.Document
		if err := db.View(ctx, func(tx *store.Tx) (err error) { got, err = tx.Document(ctx, co, d.ID); return err }); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(lineIDs(&got), lineIDs(d)) || got.Lines[2].Qty != domain.QtyOf(3) {
			t.Errorf("read back: lines %v (third %s), want %v (3)", lineIDs(&got), got.Lines[2].Qty, lineIDs(d))
		}

		// its state changes without a round trip in the transaction that
		// made it; one its own transaction changed behind it fails loudly
		if _, ids, err = db.NextNumberIDs(ctx, co, "RK", day, 1); err != nil {
			t.Fatal(err)
		}
		posted := doc("RK-P", 1)
		if err := db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreateDocumentIDs(ctx, posted, ids); err != nil {
				return err
			}
			before := db.RoundTrips()
			posted.PostedBy = &posted.CompanyID // any id: not looked at
			if err := tx.SetDocState(ctx, posted, domain.DocPosted, domain.DocDraft); err != nil {
				return err
			}
			if n := db.RoundTrips() - before; pg && n != 0 {
				t.Errorf("posting a document made in the transaction took %d round trips, want 0", n)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.View(ctx, func(tx *store.Tx) (err error) { got, err = tx.Document(ctx, co, posted.ID); return err }); err != nil {
			t.Fatal(err)
		}
		if got.State != domain.DocPosted || got.Version != 2 || posted.Version != 2 {
			t.Errorf("after posting: %s version %d (in hand %d), want posted version 2", got.State, got.Version, posted.Version)
		}
		_, ids, err = db.NextNumberIDs(ctx, co, "RK", day, 1)
		if err != nil {
			t.Fatal(err)
		}
		behind := doc("RK-B", 1)
		err = db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreateDocumentIDs(ctx, behind, ids); err != nil {
				return err
			}
			if _, err := tx.NewRaw("UPDATE documents SET version = version + 1 WHERE id = ?", behind.ID).Exec(ctx); err != nil {
				return err
			}
			return tx.SetDocState(ctx, behind, domain.DocPosted, domain.DocDraft)
		})
		if err == nil {
			t.Error("a state change that matched no row: no error")
		}

		// ids for two lines do not fit three: the database gives them
		other := doc("RK-2", 3)
		if err := create(other, store.DocIDs{Doc: ids.Doc + 1000, Lines: []int64{1, 2}}); err != nil {
			t.Fatal(err)
		}
		if other.ID == ids.Doc+1000 || other.ID == 0 || slices.Contains(lineIDs(other), 0) {
			t.Errorf("ids that do not fit were used: %d %v", other.ID, lineIDs(other))
		}

		// the same ids again: the held insert fails its transaction
		if err := create(doc("RK-3", 3), first); pg && err == nil {
			t.Error("a document inserted with ids already used: no error")
		}
		var count int
		if err := db.View(ctx, func(tx *store.Tx) error {
			return tx.NewRaw("SELECT count(*) FROM documents WHERE company_id = ?", co).Scan(ctx, &count)
		}); err != nil {
			t.Fatal(err)
		}
		if want := map[bool]int{true: 3, false: 4}[pg]; count != want { // SQLite ignores the ids, so the third is made
			t.Errorf("%d documents, want %d", count, want)
		}
	})
}
