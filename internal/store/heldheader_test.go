package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// A document created and posted in one transaction on PostgreSQL is
// inserted posted — one row version, no update — when its INSERT is still
// held at the posting (a posting's reads ahead leave it held); when
// something sent it before, it is updated as ever. Either way the committed
// row is the same.
func TestHeldHeaderPostedAtInsert(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		co, pcs, wh, items := heldSetUp(t, db)
		var ids []int64
		var bk []domain.BalanceKey
		var ck []domain.CostKey
		for _, it := range items {
			ids = append(ids, it.ID)
			bk = append(bk, domain.BalanceKey{ItemID: it.ID, LocationID: wh.RootLocationID})
			ck = append(ck, domain.CostKey{ItemID: it.ID})
		}
		lock := store.StockLock{CompanyID: co, Balances: bk, Costs: ck}
		var follow *domain.Document // a document the next one follows, as a receipt follows its order
		post := func(sentBefore bool) (domain.Document, int64) {
			t.Helper()
			d := heldDoc(co, domain.DocPurchaseReceipt, wh.ID, pcs, items)
			d.Note = "held"
			updates := createAndPost(t, db, &d, func(tx *store.Tx) error {
				if sentBefore {
					if _, err := tx.Company(ctx, co); err != nil { // a read: it sends what is held first
						return err
					}
				}
				var lines []int64
				if follow != nil { // what a receipt on an order does first: none of it sends the receipt
					if err := tx.LockDocument(ctx, co, follow.ID); err != nil {
						return err
					}
					for _, l := range follow.Lines {
						lines = append(lines, l.ID)
					}
					if src, err := tx.SourceLines(ctx, co, lines); err != nil || len(src) != len(lines) {
						t.Errorf("followed lines: %d of %d, %v", len(src), len(lines), err)
					}
				}
				if err := tx.PostingAhead(ctx, co, ids, d.Date, lock); err != nil {
					return err
				}
				if _, _, err := tx.PostingGuard(ctx, co, ids, d.Date); err != nil {
					return err
				}
				if _, err := tx.LockStock(ctx, lock); err != nil { // creates the rows the first time
					return err
				}
				var ts []store.LineTally
				for _, id := range lines {
					ts = append(ts, store.LineTally{ID: id, Received: domain.QtyOne})
				}
				return tx.AddPurchaseTallies(ctx, ts)
			})
			var got domain.Document
			if err := db.View(ctx, func(tx *store.Tx) error {
				var err error
				got, err = tx.Document(ctx, co, d.ID)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return got, updates
		}
		held, heldUpdates := post(false)
		sent, sentUpdates := post(true)
		follow = &held
		followed, followedUpdates := post(false)
		// Following another: the followed document's lock is a locking
		// read on PostgreSQL, so no update either.
		if heldUpdates != 0 || sentUpdates != 1 || followedUpdates != 0 {
			t.Errorf("documents updated %d times held, %d times sent before the posting and %d times following another, want 0, 1 and 0",
				heldUpdates, sentUpdates, followedUpdates)
		}
		var received domain.Qty
		if err := db.View(ctx, func(tx *store.Tx) error {
			src, err := tx.SourceLines(ctx, co, []int64{held.Lines[0].ID})
			received = src[held.Lines[0].ID].ReceivedQty
			return err
		}); err != nil || received != domain.QtyOne {
			t.Errorf("the followed line received %s, want 1 (%v)", received, err)
		}
		for name, d := range map[string]domain.Document{"held": held, "sent": sent, "followed": followed} {
			if d.State != domain.DocPosted || d.Version != 2 || d.TotalAmount != 50 || d.GrossAmount != 56 || d.PostedAt == nil ||
				d.Note != "held" || len(d.Lines) != 2 || d.Lines[0].Amount != 25 {
				t.Errorf("%s: %s v%d total %s gross %s posted at %v note %q, %d lines; want posted v2 0.50 0.56, a time, \"held\", 2 lines",
					name, d.State, d.Version, d.TotalAmount, d.GrossAmount, d.PostedAt, d.Note, len(d.Lines))
			}
		}
	})
}

// A sales order's confirmation on PostgreSQL sends its credit read and its
// row locks in one round trip (OrderAhead), leaving the new order held, so
// that it too is inserted confirmed; the customer's exposure it reads and
// the order it commits are what they were before.
func TestOrderAhead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		co, pcs, wh, items := heldSetUp(t, db)
		cust := heldCustomer(t, db, co)
		ids := []int64{items[0].ID, items[1].ID}
		for i := range 2 {
			d := heldDoc(co, domain.DocSalesOrder, wh.ID, pcs, items)
			d.PartnerID = &cust.ID
			var trips int64
			var e store.Exposure
			updates := createAndPost(t, db, &d, func(tx *store.Tx) error {
				start := db.RoundTrips()
				if err := tx.OrderAhead(ctx, co, cust.ID, true, d.Date, d.ID, wh.ID, ids); err != nil {
					return err
				}
				var err error
				if e, err = tx.LockedExposure(ctx, co, cust.ID, d.Date, d.ID); err != nil {
					return err
				}
				if _, _, err := tx.LockWarehouseStock(ctx, co, wh.ID, ids); err != nil {
					return err
				}
				trips = db.RoundTrips() - start
				return nil
			})
			if trips != 1 || updates != 0 {
				t.Errorf("order %d: the credit read and the locks took %d round trips and the order was updated %d times, want 1 and 0", i, trips, updates)
			}
			if want := domain.Money(56 * i); e.OnOrder != want || e.Exposure != want {
				t.Errorf("order %d: exposure read %s on order, %s in all; want %s, the orders confirmed before", i, e.OnOrder, e.Exposure, want)
			}
		}
	})
}

// A shipment's first reads on PostgreSQL — the lock of the order it
// follows, the order's lines, the customer's lock and exposure, and the
// lines' holds — go in one round trip (FollowAhead), with the new
// shipment still held; the locks are locking reads, and the shipped
// tallies re-read nothing, so the shipment is inserted posted and no
// documents row is updated at all.
func TestFollowAhead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		co, pcs, wh, items := heldSetUp(t, db)
		cust := heldCustomer(t, db, co)
		o := heldDoc(co, domain.DocSalesOrder, wh.ID, pcs, items)
		o.PartnerID = &cust.ID
		createAndPost(t, db, &o, func(*store.Tx) error { return nil })
		var lines []int64
		for _, l := range o.Lines {
			lines = append(lines, l.ID)
		}
		d := heldDoc(co, domain.DocSalesShipment, wh.ID, pcs, items)
		d.PartnerID = &cust.ID
		var trips int64
		var e store.Exposure
		updates := createAndPost(t, db, &d, func(tx *store.Tx) error {
			start := db.RoundTrips()
			tx.FollowAhead(ctx, co, []int64{o.ID}, lines, store.Following{Credit: true, PartnerID: cust.ID, AsOf: d.Date, Holds: lines})
			if err := tx.LockDocument(ctx, co, o.ID); err != nil {
				return err
			}
			src, err := tx.SourceLines(ctx, co, lines)
			if err != nil || len(src) != 2 || src[lines[0]].State != domain.DocPosted {
				t.Errorf("order lines: %d of 2, %v", len(src), err)
			}
			if e, err = tx.LockedExposure(ctx, co, cust.ID, d.Date, 0); err != nil {
				return err
			}
			if _, err := tx.Reservations(ctx, co, lines); err != nil {
				return err
			}
			trips = db.RoundTrips() - start
			var ts []store.LineTally
			for _, id := range lines {
				ts = append(ts, store.LineTally{ID: id, Received: domain.QtyOne})
			}
			return tx.AddShippedTallies(ctx, ts)
		})
		if trips != 1 || updates != 0 {
			t.Errorf("the shipment's first reads took %d round trips and documents were updated %d times, want 1 and 0", trips, updates)
		}
		if e.OnOrder != 56 {
			t.Errorf("exposure read %s on order, want 0.56 (the order)", e.OnOrder)
		}
		var received domain.Qty
		var probs []string
		if err := db.View(ctx, func(tx *store.Tx) error {
			src, err := tx.SourceLines(ctx, co, lines)
			received = src[lines[1]].ReceivedQty
			if err == nil {
				probs, err = tx.CheckOrderCredit(ctx, co)
			}
			return err
		}); err != nil || received != domain.QtyOne || len(probs) != 0 {
			t.Errorf("the order line shipped %s, want 1; credit check %q (%v)", received, probs, err)
		}
	})
}

// A document opened on PostgreSQL (DocumentView) reads its header and its
// lines in one round trip, and reads them whole.
func TestDocumentView(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		co, pcs, wh, items := heldSetUp(t, db)
		d := heldDoc(co, domain.DocPurchaseReceipt, wh.ID, pcs, items)
		createAndPost(t, db, &d, func(*store.Tx) error { return nil })
		start := db.RoundTrips()
		var got domain.Document
		if err := db.DocumentView(ctx, co, d.ID, func(tx *store.Tx) (err error) {
			got, err = tx.Document(ctx, co, d.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if trips := db.RoundTrips() - start; trips != 1 || got.Number != d.Number || len(got.Lines) != 2 || got.Lines[1].ID != d.Lines[1].ID {
			t.Errorf("%d round trips for %s with %d lines, want 1 for %s with 2", trips, got.Number, len(got.Lines), d.Number)
		}
	})
}

// heldSetUp skips SQLite, where documents take their ids in the posting
// and nothing is held or goes ahead, and makes a company with a warehouse
// and two items.
func heldSetUp(t *testing.T, db *store.DB) (co, pcs int64, wh domain.Warehouse, items []domain.Item) {
	t.Helper()
	if db.Dialect() != store.Postgres {
		t.Skip("documents take their ids in the posting on SQLite: nothing is held or goes ahead")
	}
	co, pcs, _ = seed(t, db)
	wh, items = warehouseItems(t, db, co, pcs, domain.TrackNone, "A", "B")
	return co, pcs, wh, items
}

// heldCustomer adds a customer with a credit limit of 1,000.00.
func heldCustomer(t *testing.T, db *store.DB, co int64) domain.Partner {
	t.Helper()
	cust := domain.Partner{CompanyID: co, Code: "C1", Name: "客户", Kind: domain.PartnerCustomer, CreditLimit: 100000}
	if err := db.Update(context.Background(), func(tx *store.Tx) error { return tx.CreatePartner(context.Background(), &cust) }); err != nil {
		t.Fatal(err)
	}
	return cust
}

// heldDoc is a draft of typ with a line of one unit of each item.
func heldDoc(co int64, typ domain.DocType, wh, pcs int64, items []domain.Item) domain.Document {
	d := domain.Document{CompanyID: co, Type: typ, State: domain.DocDraft, Date: domain.NewDate(2026, time.December, 5), WarehouseID: wh}
	for _, it := range items {
		d.Lines = append(d.Lines, domain.DocLine{ItemID: it.ID, UnitID: pcs, Factor: domain.QtyOne, Qty: domain.QtyOne, BaseQty: domain.QtyOne,
			Price: 250, Amount: 25, Gross: 28})
	}
	return d
}

// createAndPost numbers d and takes its ids ahead, then in one transaction
// creates it (and its audit row), runs between and posts it, returning how
// many times the transaction updated a documents row.
func createAndPost(t *testing.T, db *store.DB, d *domain.Document, between func(tx *store.Tx) error) int64 {
	t.Helper()
	ctx := context.Background()
	n, ids, err := db.NextNumberIDs(ctx, d.CompanyID, "T", d.Date, len(d.Lines))
	if err != nil {
		t.Fatal(err)
	}
	d.Number = domain.DocNumber("T", d.Date, n)
	// The backend's counts not yet reported are the earlier transactions'
	// and this one's: the difference is this one's.
	const count = `SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = 'documents' AND schemaname = current_schema()`
	var before, after int64
	if err := db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.NewRaw(count).Scan(ctx, &before); err != nil {
			return err
		}
		if err := tx.CreateDocumentIDs(ctx, d, ids); err != nil {
			return err
		}
		if err := tx.Audit(ctx, domain.AuditEntry{CompanyID: d.CompanyID, Entity: "document", EntityID: d.ID, Action: "create"}, nil, d); err != nil {
			return err
		}
		if err := between(tx); err != nil {
			return err
		}
		now := tx.Now
		d.PostedAt, d.TotalAmount, d.GrossAmount = &now, 50, 56
		if err := tx.SetDocState(ctx, d, domain.DocPosted, domain.DocDraft); err != nil {
			return err
		}
		return tx.NewRaw(count).Scan(ctx, &after)
	}); err != nil {
		t.Fatal(err)
	}
	return after - before
}
