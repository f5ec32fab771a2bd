package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
)

// A document's header inserted with its values bound (insertHeader, on
// SQLite) reads back exactly as the same row written by bun, times and
// NULLs included.
func TestBoundHeaderAsWritten(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "h.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var rows [2]docRow
	if err := db.Update(ctx, func(tx *Tx) error {
		c := domain.Company{Code: "C1", Name: "测试公司", Currency: "CNY", Settings: domain.DefaultCompanySettings()}
		if err := tx.CreateCompany(ctx, &c); err != nil {
			return err
		}
		due := domain.NewDate(2027, time.January, 5)
		at := tx.Now
		d := domain.Document{CompanyID: c.ID, Type: domain.DocSalesOrder, Number: "SO-1", State: domain.DocPosted,
			Date: domain.NewDate(2026, time.December, 6), Note: "备注 'quoted'", TotalQty: 5000, TotalAmount: 12345,
			TaxIncluded: true, DueDate: &due, Ref: "PO-9", GrossAmount: 13950, PostedAt: &at, CreatedAt: tx.Now, UpdatedAt: tx.Now, Version: 2}
		rows[0] = *toDocRow(&d)
		if _, err := tx.NewInsert().Model(&rows[0]).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
			return err
		}
		d.Number = "SO-2"
		rows[1] = *toDocRow(&d)
		return tx.insertHeader(ctx, &rows[1])
	}); err != nil {
		t.Fatal(err)
	}
	if rows[1].ID != rows[0].ID+1 {
		t.Fatalf("ids %d and %d", rows[0].ID, rows[1].ID)
	}
	var cols []string
	if err := db.View(ctx, func(tx *Tx) error {
		return tx.NewRaw("SELECT name FROM pragma_table_info('documents') WHERE name NOT IN ('id', 'number') ORDER BY cid").Scan(ctx, &cols)
	}); err != nil {
		t.Fatal(err)
	}
	for i, c := range cols {
		cols[i] = "quote(" + c + ")"
	}
	var got []string
	if err := db.View(ctx, func(tx *Tx) error {
		return tx.NewRaw("SELECT "+strings.Join(cols, " || '|' || ")+" FROM documents ORDER BY id").Scan(ctx, &got)
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != got[1] {
		t.Errorf("header as bun writes it:\n%s\nbound:\n%s", got[0], got[1])
	}
}
