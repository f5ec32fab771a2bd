package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
)

// Bulk loading for generated data (`jxc bench gen`): documents, their lines
// and their ledger rows arrive already numbered and already costed, so they
// are written with multi-row INSERTs in chunks and explicit ids, and the
// projections are written once at the end from the generator's book. These
// paths skip every check a posting makes; they are for a new company that
// nothing else writes to meanwhile.

// bulkChunk is how many rows one multi-row INSERT carries.
const bulkChunk = 1000

// BulkIDs are the highest ids in use: a bulk load numbers its rows after them.
type BulkIDs struct {
	Document, Line, Ledger int64
}

// MaxIDs returns the highest document, line and ledger ids in use.
func (tx *Tx) MaxIDs(ctx context.Context) (BulkIDs, error) {
	var ids BulkIDs
	err := tx.NewRaw(`SELECT (SELECT COALESCE(MAX(id), 0) FROM documents) AS document,
		(SELECT COALESCE(MAX(id), 0) FROM document_lines) AS line,
		(SELECT COALESCE(MAX(id), 0) FROM stock_ledger) AS ledger`).Scan(ctx, &ids.Document, &ids.Line, &ids.Ledger)
	return ids, err
}

// BulkLedgerRow is one ledger row of a bulk load, with its id.
type BulkLedgerRow struct {
	ID       int64
	PostedAt time.Time
	LedgerEntry
}

// BulkLoadLedger inserts posted documents (IDs set, lines with IDs set)
// and their ledger rows set-wise. Line costs (sales) are written with the
// lines.
func (tx *Tx) BulkLoadLedger(ctx context.Context, docs []domain.Document, ledger []BulkLedgerRow) error {
	if tx.Dialect() == SQLite {
		// The ledger's indexes take rows in item order, not insert order:
		// with SQLite's default 2 MB page cache most inserts would miss it.
		// The writer is one connection, so this holds for the whole load.
		if _, err := tx.ExecContext(ctx, "PRAGMA cache_size = -262144"); err != nil {
			return err
		}
	}
	drows := make([]docRow, 0, bulkChunk)
	var lrows []docLineRow
	flushLines := func() error {
		if len(lrows) == 0 {
			return nil
		}
		_, err := tx.NewInsert().Model(&lrows).Exec(ctx)
		lrows = lrows[:0]
		return err
	}
	for start := 0; start < len(docs); start += bulkChunk {
		drows = drows[:0]
		for i := start; i < min(start+bulkChunk, len(docs)); i++ {
			drows = append(drows, *toDocRow(&docs[i]))
		}
		if _, err := tx.NewInsert().Model(&drows).Exec(ctx); err != nil {
			return fmt.Errorf("documents: %w", err)
		}
	}
	for i := range docs {
		d := &docs[i]
		for j := range d.Lines {
			l := &d.Lines[j]
			lrows = append(lrows, docLineRow{
				ID: l.ID, CompanyID: d.CompanyID, DocumentID: d.ID, LineNo: l.LineNo, ItemID: l.ItemID, UnitID: l.UnitID,
				Factor: l.Factor, Qty: l.Qty, BaseQty: l.BaseQty, Price: l.Price, Amount: l.Amount,
				LocationID: idOrNil(l.LocationID), ToLocationID: idOrNil(l.ToLocationID), Batch: l.Batch,
				Expiry: dateToNull(l.Expiry), Note: l.Note, Serials: serialsJSON(l.Serials), TaxRate: l.TaxRate,
				Tax: l.Tax, Gross: l.Gross, ReceivedQty: l.ReceivedQty, Cost: l.Cost,
			})
			if len(lrows) == bulkChunk {
				if err := flushLines(); err != nil {
					return fmt.Errorf("document lines: %w", err)
				}
			}
		}
	}
	if err := flushLines(); err != nil {
		return fmt.Errorf("document lines: %w", err)
	}
	rows := make([]ledgerRow, 0, bulkChunk)
	for start := 0; start < len(ledger); start += bulkChunk {
		rows = rows[:0]
		for _, e := range ledger[start:min(start+bulkChunk, len(ledger))] {
			rows = append(rows, ledgerRow{
				ID: e.ID, CompanyID: docsCompany(docs), DocumentID: e.DocumentID, LineID: e.LineID, DocType: e.DocType, DocDate: e.Date.String(),
				Kind: e.Kind, Move: e.Move, ItemID: e.ItemID, LocationID: e.LocationID, Batch: e.Batch, CounterID: e.Counter,
				Qty: e.Qty, Value: e.Value, AdjustsLineID: idOrNil(e.AdjustsLineID), PostedAt: e.PostedAt,
			})
		}
		if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
			return fmt.Errorf("stock ledger: %w", err)
		}
	}
	return nil
}

func docsCompany(docs []domain.Document) int64 {
	if len(docs) == 0 {
		return 0
	}
	return docs[0].CompanyID
}

// WriteProjections writes every balance and cost state of a book (all of
// them, changed or not) in chunks: the end of a bulk load. warehouse maps
// each location to its warehouse.
func (tx *Tx) WriteProjections(ctx context.Context, companyID int64, b *domain.Book, warehouse map[int64]int64) error {
	bals := make([]balanceRow, 0, bulkChunk)
	flushBals := func() error {
		if len(bals) == 0 {
			return nil
		}
		_, err := tx.NewInsert().Model(&bals).
			On("CONFLICT (company_id, item_id, location_id, batch) DO UPDATE").
			Set("on_hand = EXCLUDED.on_hand, reserved = EXCLUDED.reserved, value = EXCLUDED.value, expiry = EXCLUDED.expiry, updated_at = EXCLUDED.updated_at").
			Exec(ctx)
		bals = bals[:0]
		return err
	}
	for k, r := range b.Balances {
		bals = append(bals, balanceRow{CompanyID: companyID, ItemID: k.ItemID, LocationID: k.LocationID, Batch: k.Batch,
			WarehouseID: warehouse[k.LocationID], OnHand: r.OnHand, Reserved: r.Reserved, Value: r.Value,
			Expiry: dateToNull(r.Expiry), UpdatedAt: tx.Now})
		if len(bals) == bulkChunk {
			if err := flushBals(); err != nil {
				return err
			}
		}
	}
	if err := flushBals(); err != nil {
		return err
	}
	costs := make([]costRow, 0, bulkChunk)
	flushCosts := func() error {
		if len(costs) == 0 {
			return nil
		}
		_, err := tx.NewInsert().Model(&costs).
			On("CONFLICT (company_id, item_id, scope_id) DO UPDATE").
			Set("method = EXCLUDED.method, qty = EXCLUDED.qty, value = EXCLUDED.value, last_cost = EXCLUDED.last_cost, layers = EXCLUDED.layers, updated_at = EXCLUDED.updated_at").
			Exec(ctx)
		costs = costs[:0]
		return err
	}
	for k, c := range b.Costs {
		costs = append(costs, costRow{CompanyID: companyID, ItemID: k.ItemID, ScopeID: k.ScopeID, Method: c.Method,
			Qty: c.Qty, Value: c.Value, LastCost: c.LastCost, Layers: layersJSON(c.Layers), UpdatedAt: tx.Now})
		if len(costs) == bulkChunk {
			if err := flushCosts(); err != nil {
				return err
			}
		}
	}
	return flushCosts()
}

// DocSeq is how far a document number sequence (prefix, day) has gone.
type DocSeq struct {
	Prefix string
	Day    domain.Date
	Last   int64
}

// FinishBulkLoad records the document number sequences a bulk load used,
// so that numbers taken later follow on, and on PostgreSQL moves the id
// sequences of the tables it wrote past the explicit ids it used.
func (tx *Tx) FinishBulkLoad(ctx context.Context, companyID int64, seqs []DocSeq) error {
	type seqRow struct {
		CompanyID int64  `bun:"company_id"`
		Prefix    string `bun:"prefix"`
		Day       string `bun:"day"`
		Last      int64  `bun:"last"`
	}
	for start := 0; start < len(seqs); start += bulkChunk {
		var rows []seqRow
		for _, s := range seqs[start:min(start+bulkChunk, len(seqs))] {
			rows = append(rows, seqRow{CompanyID: companyID, Prefix: s.Prefix, Day: s.Day.String(), Last: s.Last})
		}
		if _, err := tx.NewInsert().Model(&rows).ModelTableExpr("doc_sequences").
			On("CONFLICT (company_id, prefix, day) DO UPDATE").
			Set("last = CASE WHEN doc_sequences.last > EXCLUDED.last THEN doc_sequences.last ELSE EXCLUDED.last END").
			Exec(ctx); err != nil {
			return err
		}
	}
	if tx.Dialect() != Postgres {
		return nil
	}
	for _, t := range []string{"documents", "document_lines", "stock_ledger"} {
		if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence(?, 'id'), (SELECT MAX(id) FROM `+t+`))`, t); err != nil {
			return fmt.Errorf("%s id sequence: %w", t, err)
		}
	}
	return nil
}

// AnalyzeTables refreshes the planner's statistics of the tables a bulk
// load wrote (a plain ANALYZE on PostgreSQL would visit every schema).
func (db *DB) AnalyzeTables(ctx context.Context) error {
	for _, t := range []string{"items", "item_units", "documents", "document_lines", "stock_ledger", "stock_balances", "stock_costs", "doc_sequences", "stock_closes", "stock_snapshots", "cost_snapshots"} {
		if _, err := db.w.ExecContext(ctx, "ANALYZE "+t); err != nil {
			return fmt.Errorf("analyze %s: %w", t, err)
		}
	}
	return nil
}
