package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// HalfPosted lists the posted sales orders, shipments, receipts and
// purchase receipts of a company that are not whole — what a crash in the
// middle of a posting would leave behind if a posting were not one
// transaction (jxc bench crash): a document without lines, a sales order or
// shipment whose lines do not add up to its total quantity, a shipment or
// purchase receipt line that moves stock but has no ledger row, a receipt
// of money without its entry in the customer's account. One line per
// problem; none means every such document is whole.
func (tx *Tx) HalfPosted(ctx context.Context, companyID int64) ([]string, error) {
	var out []string
	var rows []struct {
		Type   string
		Number string
		Lines  int64
		Qty    int64
		Total  int64
	}
	lined := []domain.DocType{domain.DocSalesOrder, domain.DocSalesShipment, domain.DocPurchaseReceipt}
	if err := tx.NewRaw(`SELECT d.type, d.number, COUNT(l.id) AS lines, COALESCE(SUM(l.base_qty), 0) AS qty, d.total_qty AS total
		FROM documents d LEFT JOIN document_lines l ON l.document_id = d.id
		WHERE d.company_id = ? AND d.state = ? AND d.type IN (?)
		GROUP BY d.id, d.type, d.number, d.total_qty
		HAVING COUNT(l.id) = 0 OR (d.type <> ? AND COALESCE(SUM(l.base_qty), 0) <> d.total_qty)
		ORDER BY d.id`, companyID, domain.DocPosted, bun.In(lined), domain.DocPurchaseReceipt).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	for _, r := range rows {
		if r.Lines == 0 {
			out = append(out, fmt.Sprintf("%s %s is posted without lines", r.Type, r.Number))
		} else {
			out = append(out, fmt.Sprintf("%s %s: its %d line(s) add up to %s, its total says %s", r.Type, r.Number, r.Lines,
				domain.Qty(r.Qty), domain.Qty(r.Total)))
		}
	}
	var unmoved []struct {
		Type   string
		Number string
		LineNo int
	}
	if err := tx.NewRaw(`SELECT d.type, d.number, l.line_no FROM documents d JOIN document_lines l ON l.document_id = d.id
		WHERE d.company_id = ? AND d.state = ? AND d.type IN (?) AND l.base_qty > 0 AND l.rejected_qty < l.qty
		  AND NOT EXISTS (SELECT 1 FROM stock_ledger s WHERE s.document_id = d.id AND s.line_id = l.id)
		ORDER BY d.id, l.line_no`, companyID, domain.DocPosted,
		bun.In([]domain.DocType{domain.DocSalesShipment, domain.DocPurchaseReceipt})).Scan(ctx, &unmoved); err != nil {
		return nil, err
	}
	for _, r := range unmoved {
		out = append(out, fmt.Sprintf("%s %s line %d is posted but moved no stock (no ledger row)", r.Type, r.Number, r.LineNo))
	}
	var unbooked []string
	if err := tx.NewRaw(`SELECT d.number FROM documents d
		WHERE d.company_id = ? AND d.state = ? AND d.type = ? AND d.gross_amount <> 0
		  AND NOT EXISTS (SELECT 1 FROM partner_ledger p WHERE p.document_id = d.id)
		ORDER BY d.id`, companyID, domain.DocPosted, domain.DocReceipt).Scan(ctx, &unbooked); err != nil {
		return nil, err
	}
	for _, n := range unbooked {
		out = append(out, fmt.Sprintf("%s %s is posted but not in the customer's account (no partner ledger row)", domain.DocReceipt, n))
	}
	return out, nil
}
