package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// BenchmarkCustomerExposure times the credit check every sales order
// confirmation makes, for a customer with years of history: 3,000 settled
// invoices (and their 6,000 receivable rows) and a few open ones.
//
//	go test -run X -bench CustomerExposure ./internal/store/
func BenchmarkCustomerExposure(b *testing.B) {
	storetest.EachBench(b, func(b *testing.B, engine string, db *store.DB) {
		ctx := context.Background()
		co, _, _ := seed(b, db)
		p := domain.Partner{CompanyID: co, Code: "C-BIG", Name: "大客户", Kind: domain.PartnerCustomer, CreditLimit: domain.MoneyOf(1e6)}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreatePartner(ctx, &p) }); err != nil {
			b.Fatal(err)
		}
		const invoices = 3000
		// invoice i is dated i/10 days before 2026-12-01, due 30 days later;
		// all but the last 10 are settled
		ts := "?" // a time as bun writes it: a string, which PostgreSQL will not take from a SELECT untyped
		if engine == "postgres" {
			ts = "CAST(? AS TIMESTAMPTZ)"
		}
		err := db.Update(ctx, func(tx *store.Tx) error {
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
				INSERT INTO documents (company_id, type, number, state, doc_date, partner_id, due_date, gross_amount, settled, created_by, created_at, updated_at)
				SELECT ?, 'sales_invoice', 'XF-' || CAST(i AS TEXT), 'posted', '2026-01-01', ?, '2026-01-31', 1000,
					CASE WHEN i > %d THEN 0 ELSE 1000 END, 1, %s, %s FROM n`, invoices, invoices-10, ts, ts), co, p.ID, tx.Now, tx.Now); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO partner_ledger (company_id, partner_id, kind, document_id, doc_type, doc_date, amount, posted_at)
				SELECT company_id, partner_id, 'ar', id, type, doc_date, 1000, %s FROM documents WHERE partner_id = ?
				UNION ALL SELECT company_id, partner_id, 'ar', id, 'customer_receipt', doc_date, -settled, %s FROM documents WHERE partner_id = ? AND settled > 0`, ts, ts),
				tx.Now, p.ID, tx.Now, p.ID)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		asOf, _ := domain.ParseDate("2026-12-01")
		check := func() store.Exposure {
			var e store.Exposure
			if err := db.View(ctx, func(tx *store.Tx) (err error) {
				e, err = tx.CustomerExposure(ctx, co, p.ID, asOf, 0)
				return err
			}); err != nil {
				b.Fatal(err)
			}
			return e
		}
		if e := check(); e.Balance != domain.Money(10*1000) || e.MaxOverdue != 304 {
			b.Fatalf("exposure = %+v, want a balance of 10,000 and 304 days overdue", e)
		}
		b.ResetTimer()
		for b.Loop() {
			check()
		}
	})
}
