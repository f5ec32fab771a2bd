package service_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// TestNumberAhead: on PostgreSQL a new document's number rides in the
// round trip of the reads before its posting once the service knows the
// company's prefix for its type; numbers stay in order, a changed prefix
// is used at once, and a document refused after the reads leaves a gap
// (on SQLite, which numbers inside the posting, none).
func TestNumberAhead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUpPurchase(t, db)
		pg := db.Dialect() == store.Postgres
		day := f.svc.Today()
		receipt := func(svc *service.Service, item int64) (domain.Document, int64, error) {
			before := db.RoundTrips()
			d, err := svc.CreatePurchaseDoc(ctx, f.admin, domain.Document{Type: domain.DocPurchaseReceipt, PartnerID: &f.supplier.ID,
				WarehouseID: f.w1.ID, Lines: []domain.DocLine{{ItemID: item, Qty: mustQty("1"), Price: mustPrice("2")}}}, true)
			return d, db.RoundTrips() - before, err
		}
		want := func(what string, d domain.Document, prefix string, n int) {
			t.Helper()
			if w := domain.DocNumber(prefix, day, int64(n)); d.Number != w {
				t.Errorf("%s numbered %q, want %q", what, d.Number, w)
			}
		}
		item := f.items[0].ID
		r1, _, err := receipt(f.svc, item)
		noErr(t, "receipt 1", err)
		want("receipt 1", r1, "RK", 1)
		// Each of the next two reads its master data afresh (a write to
		// master data empties what Views keep): the number rides with
		// those reads or takes a round trip of its own.
		newItem := func(code string) {
			_, err := f.svc.CreateItem(ctx, f.admin, domain.Item{Code: code, Name: code, BaseUnitID: f.items[0].BaseUnitID})
			noErr(t, "CreateItem "+code, err)
		}
		newItem("NA1")
		r2, second, err := receipt(f.svc, item)
		noErr(t, "receipt 2", err)
		want("receipt 2", r2, "RK", 2)
		// A service that has not numbered a receipt yet draws it on its own.
		fresh := newService(db)
		newItem("NA2")
		r3, own, err := receipt(fresh, item)
		noErr(t, "receipt 3 (another service)", err)
		want("receipt 3", r3, "RK", 3)
		if pg && second != own-1 {
			t.Errorf("round trips: %d for a receipt with the prefix known, %d without; want one fewer", second, own)
		}

		// The company's prefix changed: the next receipt has the new one.
		c, err := f.svc.Company(ctx, f.admin, f.company.ID)
		noErr(t, "Company", err)
		c.Settings.NumberPrefixes[string(domain.DocPurchaseReceipt)] = "IN"
		_, err = f.svc.UpdateCompany(ctx, f.admin, c.ID, c)
		noErr(t, "UpdateCompany", err)
		r4, _, err := receipt(f.svc, item)
		noErr(t, "receipt 4", err)
		want("receipt 4", r4, "IN", 1)
		r5, _, err := receipt(f.svc, item)
		noErr(t, "receipt 5", err)
		want("receipt 5", r5, "IN", 2)

		// Refused after the reads (an unknown item): a gap on PostgreSQL.
		_, _, err = receipt(f.svc, item+1000)
		wantField(t, "receipt of an unknown item", err, "lines[0].item_id", "unknown_reference")
		r6, _, err := receipt(f.svc, item)
		noErr(t, "receipt 6", err)
		next := 3
		if pg {
			next = 4
		}
		want(fmt.Sprintf("receipt 6 (%s)", db.Dialect()), r6, "IN", next)
	})
}
