package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// capture keeps the statements that mention a text.
type capture struct {
	want string
	got  []string
}

func (c *capture) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }
func (c *capture) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	if strings.Contains(e.Query, c.want) {
		c.got = append(c.got, e.Query)
	}
}

// TestPostingGuardSeeksByDate: every stock posting asks whether its items
// moved after its date. That must be a seek on (item, date) per item, not a
// read of each item's whole history: left to itself SQLite read every row
// of the items through the covering (item, location, date) index, and a
// receipt of 10 busy items cost 1 ms more per 1,500 rows each.
func TestPostingGuardSeeksByDate(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	co, pcs, _ := seed(t, db)
	var items []int64
	err := db.Update(ctx, func(tx *store.Tx) error {
		for _, code := range []string{"A", "B"} {
			it := domain.Item{CompanyID: co, Code: code, Name: code, BaseUnitID: pcs, Tracking: domain.TrackNone}
			if err := tx.CreateItem(ctx, &it); err != nil {
				return err
			}
			items = append(items, it.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	c := &capture{want: "stock_ledger"}
	db.AddQueryHook(c)
	if err := db.Update(ctx, func(tx *store.Tx) error {
		_, _, err := tx.PostingGuard(ctx, co, items, domain.NewDate(2026, 12, 1))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(c.got) != 1 {
		t.Fatalf("PostingGuard read the ledger in %d statements, want 1: %q", len(c.got), c.got)
	}
	details := sqlitePlan(t, db, c.got[0])
	seek := false
	for _, d := range details {
		if strings.Contains(d, "stock_ledger_item_date") && strings.Contains(d, "doc_date>?") {
			seek = true
		}
	}
	if !seek {
		t.Errorf("the later-moves read does not seek by item and date:\n%s", strings.Join(details, "\n"))
	}
}

// TestLineValuesSeeks: each return and reversal asks what the lines of a
// document are worth now, its moves plus every later correction of them.
// Asked as one condition joined by OR, SQLite read the whole ledger for it
// (nothing indexed the corrections by line); now the document's rows come
// by its index and the corrections by theirs (stock_ledger_adjusts).
func TestLineValuesSeeks(t *testing.T) {
	db := storetest.SQLite(t)
	q := oneStatement(t, db, "LineValues", "adjusts_line_id IN", func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.LineValues(ctx, 1)
		return err
	})
	all := strings.Join(sqlitePlan(t, db, q), "\n")
	if strings.Contains(all, "SCAN stock_ledger") || !strings.Contains(all, "stock_ledger_adjusts") || !strings.Contains(all, "stock_ledger_document") {
		t.Errorf("LineValues does not seek by document and by corrected line:\n%s", all)
	}
}

// TestPartnerAmountSeeks: what a document put on partners' accounts is read
// by document (each reversal of a document that moved money, and each
// settlement's check); without an index of its own it read the whole
// partner ledger.
func TestPartnerAmountSeeks(t *testing.T) {
	db := storetest.SQLite(t)
	q := oneStatement(t, db, "PartnerAmount", "partner_ledger", func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.PartnerAmount(ctx, 1)
		return err
	})
	if all := strings.Join(sqlitePlan(t, db, q), "\n"); !strings.Contains(all, "partner_ledger_document") {
		t.Errorf("PartnerAmount does not seek by document:\n%s", all)
	}
}

// TestDepositsSeekBySource: the receipts taken on given orders are found
// through the index by source. Asked as source_id IN (…) beside the company
// and the state, SQLite read every posted document of the company by
// (company, state) instead.
func TestDepositsSeekBySource(t *testing.T) {
	db := storetest.SQLite(t)
	q := oneStatement(t, db, "Deposits", "source_id IN", func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.Deposits(ctx, 1, []int64{5, 6})
		return err
	})
	all := strings.Join(sqlitePlan(t, db, q), "\n")
	if !strings.Contains(all, "documents_source (source_id=?)") || strings.Contains(all, "(company_id=? AND state=?)\n") || strings.HasSuffix(all, "(company_id=? AND state=?)") {
		t.Errorf("Deposits does not find the receipts by their source:\n%s", all)
	}
}

// oneStatement runs fn in a View and returns the one statement it sent
// that mentions want.
func oneStatement(t *testing.T, db *store.DB, name, want string, fn func(ctx context.Context, tx *store.Tx) error) string {
	t.Helper()
	ctx := context.Background()
	c := &capture{want: want}
	db.AddQueryHook(c)
	if err := db.View(ctx, func(tx *store.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
	if len(c.got) != 1 {
		t.Fatalf("%s sent %d statements, want 1: %q", name, len(c.got), c.got)
	}
	return c.got[0]
}

// sqlitePlan is SQLite's query plan of q, one line per step.
func sqlitePlan(t *testing.T, db *store.DB, q string) []string {
	t.Helper()
	ctx := context.Background()
	var plan []struct {
		ID      int64
		Parent  int64
		NotUsed int64 `bun:"notused"`
		Detail  string
	}
	if err := db.View(ctx, func(tx *store.Tx) error {
		return tx.NewRaw("EXPLAIN QUERY PLAN "+q).Scan(ctx, &plan)
	}); err != nil {
		t.Fatal(err)
	}
	details := make([]string, len(plan))
	for i, p := range plan {
		details[i] = p.Detail
	}
	return details
}

// TestAutovacuumOff reports PostgreSQL's setting as it is (jxc serve warns
// when it is off) and never anything on SQLite.
func TestAutovacuumOff(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		off, err := db.AutovacuumOff(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := false
		if db.Dialect() == store.Postgres {
			var on string
			if err := db.View(ctx, func(tx *store.Tx) error { return tx.NewRaw("SHOW autovacuum").Scan(ctx, &on) }); err != nil {
				t.Fatal(err)
			}
			want = on == "off"
		}
		if off != want {
			t.Errorf("AutovacuumOff = %v, want %v", off, want)
		}
	})
}
