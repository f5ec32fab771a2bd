package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// TestHalfPosted: whole documents pass; a posted document without lines,
// with lines that do not add up, a shipment line without a ledger row and
// a receipt without its partner-ledger row are each named once. Drafts are
// not looked at.
func TestHalfPosted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		co, pcs, _ := seed(t, db)
		day := domain.NewDate(2026, time.November, 20)
		err := db.Update(ctx, func(tx *store.Tx) error {
			wh := domain.Warehouse{CompanyID: co, Code: "W1", Name: "总仓"}
			if err := tx.CreateWarehouse(ctx, &wh); err != nil {
				return err
			}
			it := domain.Item{CompanyID: co, Code: "A", Name: "甲", BaseUnitID: pcs, Tracking: domain.TrackNone}
			if err := tx.CreateItem(ctx, &it); err != nil {
				return err
			}
			cust := domain.Partner{CompanyID: co, Code: "C1", Name: "客户", Kind: domain.PartnerCustomer}
			if err := tx.CreatePartner(ctx, &cust); err != nil {
				return err
			}
			line := func(q int64) domain.DocLine {
				return domain.DocLine{ItemID: it.ID, UnitID: pcs, Factor: domain.QtyOne, Qty: domain.QtyOf(q), BaseQty: domain.QtyOf(q)}
			}
			doc := func(typ domain.DocType, number string, state domain.DocState, total int64, lines ...domain.DocLine) *domain.Document {
				d := &domain.Document{CompanyID: co, Type: typ, Number: number, State: state, Date: day, WarehouseID: wh.ID,
					PartnerID: &cust.ID, TotalQty: domain.QtyOf(total), GrossAmount: domain.MoneyOf(total), Lines: lines}
				if err := tx.CreateDocument(ctx, d); err != nil {
					t.Fatalf("CreateDocument(%s): %v", number, err)
				}
				return d
			}
			doc(domain.DocSalesOrder, "SO-WHOLE", domain.DocPosted, 3, line(1), line(2))
			doc(domain.DocSalesOrder, "SO-DRAFT", domain.DocDraft, 0)
			doc(domain.DocSalesOrder, "SO-EMPTY", domain.DocPosted, 0)
			doc(domain.DocSalesOrder, "SO-SHORT", domain.DocPosted, 3, line(1))
			ship := doc(domain.DocSalesShipment, "SS-1", domain.DocPosted, 3, line(1), line(2))
			// Only the first line moved.
			if _, err := tx.NewRaw(`INSERT INTO stock_ledger (company_id, document_id, line_id, doc_type, doc_date, kind, move, item_id,
				location_id, counter_id, qty, value, posted_at) VALUES (?, ?, ?, ?, ?, 'move', 'sale_out', ?, ?, ?, ?, 0, ?)`,
				co, ship.ID, ship.Lines[0].ID, ship.Type, day.String(), it.ID, wh.RootLocationID, wh.RootLocationID,
				-domain.QtyOf(1), tx.Now).Exec(ctx); err != nil {
				return err
			}
			paid := doc(domain.DocReceipt, "SK-BOOKED", domain.DocPosted, 0)
			paid.GrossAmount = domain.MoneyOf(10)
			if _, err := tx.NewRaw(`UPDATE documents SET gross_amount = ? WHERE id = ?`, paid.GrossAmount, paid.ID).Exec(ctx); err != nil {
				return err
			}
			if err := tx.AppendPartnerLedger(ctx, co, []store.PartnerEntry{{PartnerID: cust.ID, Kind: store.Receivable,
				DocumentID: paid.ID, DocType: paid.Type, Date: day, Amount: -paid.GrossAmount}}); err != nil {
				return err
			}
			lost := doc(domain.DocReceipt, "SK-LOST", domain.DocPosted, 0)
			_, err := tx.NewRaw(`UPDATE documents SET gross_amount = ? WHERE id = ?`, domain.MoneyOf(10), lost.ID).Exec(ctx)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		if err := db.View(ctx, func(tx *store.Tx) (err error) { got, err = tx.HalfPosted(ctx, co); return err }); err != nil {
			t.Fatalf("HalfPosted: %v", err)
		}
		want := []string{
			"sales_order SO-EMPTY is posted without lines",
			"sales_order SO-SHORT: its 1 line(s) add up to 1.0000, its total says 3.0000",
			"sales_shipment SS-1 line 2 is posted but moved no stock (no ledger row)",
			"receipt SK-LOST is posted but not in the customer's account (no partner ledger row)",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("HalfPosted() mismatch (-want +got):\n%s", diff)
		}
	})
}
