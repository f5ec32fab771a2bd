package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"slices"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// The floor (docs/PERFORMANCE.md, "The floor"): the raw order plus, written
// the minimal way by hand, what jxc's API promises a client beyond the
// posting itself — who is asking (the session read), that the items are
// real, a document number from the day's counter, the customer's credit
// (the kept on-order figure moved, the limit checked), an audit row, and
// exactly once (the idempotency key and its stored answer, in the same
// transaction). Only the load tool uses it, behind a minimal HTTP handler
// of its own, to show how much of the API's cost those promises alone
// make: a ratio of the floor to raw below a goal means no implementation
// that keeps the promises can reach it.

// FloorLine is a line of a floor order.
type FloorLine struct {
	ItemID int64
	Qty    domain.Qty
	Price  domain.Price
}

// FloorRequest is what every floor request carries besides its document.
type FloorRequest struct {
	TokenHash   string // the session token's hash, as jxc stores it
	Key         string // the Idempotency-Key
	RequestHash string
}

// FloorOrderIn is a floor order as its HTTP handler read it.
type FloorOrderIn struct {
	FloorRequest
	PartnerID int64
	Lines     []FloorLine
}

// FloorReceiptIn is a floor purchase receipt as its HTTP handler read it.
type FloorReceiptIn struct {
	FloorRequest
	SupplierID int64
	Lines      []RawReceiptLine
}

// Errors a floor document answers with besides ErrRawShort and
// ErrRawUnsupported.
var (
	ErrFloorUnauthorized = errors.New("floor: no such session")
	ErrFloorInput        = errors.New("floor: an item or the partner is not this company's")
	ErrFloorCredit       = errors.New("floor: over the credit limit")
	ErrFloorClosed       = errors.New("floor: the period is closed")
)

type floorAnswer struct {
	ID          int64          `json:"id"`
	Type        domain.DocType `json:"type"`
	Number      string         `json:"number"`
	State       string         `json:"state"`
	Date        string         `json:"date"`
	WarehouseID int64          `json:"warehouse_id"`
	PartnerID   int64          `json:"partner_id"`
	TotalQty    domain.Qty     `json:"total_qty"`
	Gross       domain.Money   `json:"gross_amount"`
	Lines       []floorLineOut `json:"lines"`
}

type floorLineOut struct {
	ID     int64        `json:"id"`
	LineNo int          `json:"line_no"`
	ItemID int64        `json:"item_id"`
	UnitID int64        `json:"unit_id"`
	Qty    domain.Qty   `json:"qty"`
	Price  domain.Price `json:"price"`
	Amount domain.Money `json:"amount"`
}

func floorAnswerOf(d *docRow, partnerID int64, rows []docLineRow) floorAnswer {
	a := floorAnswer{ID: d.ID, Type: d.Type, Number: d.Number, State: string(d.State), Date: d.DocDate, WarehouseID: d.WarehouseID,
		PartnerID: partnerID, TotalQty: d.TotalQty, Gross: d.GrossAmount, Lines: make([]floorLineOut, len(rows))}
	for i, r := range rows {
		a.Lines[i] = floorLineOut{ID: r.ID, LineNo: r.LineNo, ItemID: r.ItemID, UnitID: r.UnitID, Qty: r.Qty, Price: r.Price, Amount: r.Amount}
	}
	return a
}

// floorPost is the frame every floor document shares: the session and the
// items read before the transaction (and the counter on PostgreSQL, as jxc
// takes it); in the transaction the key claimed first, the counter
// (SQLite), post's own statements, the audit row and the key's answer. It
// returns the answer to send, the stored one when the key was used before.
func (db *DB) floorPost(ctx context.Context, t RawTarget, r FloorRequest, items []int64, prefix string,
	post func(tx *Tx, d *docRow) ([]docLineRow, error)) ([]byte, error) {
	var userID int64
	var username string
	err := db.r.NewRaw(`SELECT s.user_id, u.username FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = TRUE`, r.TokenHash, db.now()).Scan(ctx, &userID, &username)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrFloorUnauthorized
	} else if err != nil {
		return nil, err
	}
	var found int
	if err := db.r.NewRaw("SELECT count(*) FROM items WHERE company_id = ? AND archived = FALSE AND id IN (?)",
		t.CompanyID, bun.In(items)).Scan(ctx, &found); err != nil {
		return nil, err
	}
	if found != len(items) {
		return nil, ErrFloorInput
	}
	n := db.now()
	day := domain.NewDate(n.Year(), n.Month(), n.Day())
	var number int64
	if !db.NumbersInPosting() {
		if number, err = db.NextNumber(ctx, t.CompanyID, prefix, day); err != nil {
			return nil, err
		}
	}
	var answer []byte
	err = db.Update(ctx, func(tx *Tx) error {
		now := tx.Now
		// Exactly once: the key is claimed first, so a retry finds it
		// (or, running at the same time, waits for it on its index on
		// PostgreSQL, or behind the single writer on SQLite) and gets the
		// first answer, whatever has changed since.
		res, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (user_id, key, request_hash, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (user_id, key) DO NOTHING`, userID, r.Key, r.RequestHash, now)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrReplay
		}
		if db.NumbersInPosting() {
			if number, err = tx.NextNumber(ctx, t.CompanyID, prefix, day); err != nil {
				return err
			}
		}
		d := docRow{CompanyID: t.CompanyID, Number: domain.DocNumber(prefix, day, number), State: domain.DocPosted, DocDate: day.String(),
			WarehouseID: t.WarehouseID, CreatedBy: userID, PostedBy: &userID, PostedAt: &now, Version: 1, CreatedAt: now, UpdatedAt: now}
		rows, err := post(tx, &d)
		if err != nil {
			return err
		}
		if answer, err = json.Marshal(floorAnswerOf(&d, *d.PartnerID, rows)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (company_id, user_id, username, at, entity, entity_id, action, after_json)
			VALUES (?, ?, ?, ?, 'document', ?, 'create', ?)`, t.CompanyID, userID, username, now, d.ID, string(answer)); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, saveAnswerSQL, http.StatusCreated, answer, "application/json", userID, r.Key)
		return err
	})
	if errors.Is(err, ErrReplay) {
		stored, err := db.LoadResponse(ctx, userID, r.Key)
		return stored.Body, err
	}
	return answer, err
}

// FloorOrder confirms a sales order of one unit of each line's item with the
// API's promises kept the minimal way (floorPost), and returns the answer to
// send. Its own statements: the customer's on-order figure (and their
// balance when they have a limit that blocks), then RawOrder's.
func (db *DB) FloorOrder(ctx context.Context, t RawTarget, in FloorOrderIn) ([]byte, error) {
	lines := slices.Clone(in.Lines)
	slices.SortFunc(lines, func(a, b FloorLine) int { return cmp.Compare(a.ItemID, b.ItemID) })
	lines = slices.CompactFunc(lines, func(a, b FloorLine) bool { return a.ItemID == b.ItemID })
	items := make([]int64, len(lines))
	for i, l := range lines {
		items[i] = l.ItemID
		if l.Qty != domain.QtyOne || l.Price < 0 { // the yardstick reserves one unit a line
			return nil, ErrFloorInput
		}
	}
	return db.floorPost(ctx, t, in.FloorRequest, items, "XS", func(tx *Tx, d *docRow) ([]docLineRow, error) {
		rows := make([]docLineRow, len(lines))
		var gross domain.Money
		for i, l := range lines {
			amt, err := l.Price.Amount(l.Qty)
			if err != nil {
				return nil, err
			}
			loc := t.LocationID
			rows[i] = docLineRow{CompanyID: t.CompanyID, LineNo: i + 1, ItemID: l.ItemID, UnitID: t.Units[l.ItemID], Factor: domain.QtyOne, Qty: l.Qty,
				BaseQty: l.Qty, Price: l.Price, Amount: amt, Gross: amt, LocationID: &loc}
			gross += amt
		}
		// The customer's row first, as every jxc posting locks it: the kept
		// on-order figure moves, and the limit is checked against it.
		var onOrder, limit domain.Money
		var mode string
		err := tx.NewRaw(`UPDATE partners SET on_order = on_order + ? WHERE id = ? AND company_id = ? AND kind IN (?, ?) AND archived = FALSE
			RETURNING on_order, credit_limit, credit_mode`, gross, in.PartnerID, t.CompanyID, domain.PartnerCustomer, domain.PartnerBoth).Scan(ctx, &onOrder, &limit, &mode)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrFloorInput
		} else if err != nil {
			return nil, err
		}
		if limit > 0 && mode == domain.CreditBlock {
			var balance domain.Money
			if err := tx.NewRaw("SELECT COALESCE(SUM(amount), 0) FROM partner_ledger WHERE company_id = ? AND partner_id = ? AND kind = 'ar'",
				t.CompanyID, in.PartnerID).Scan(ctx, &balance); err != nil {
				return nil, err
			}
			if balance+onOrder > limit {
				return nil, ErrFloorCredit
			}
		}
		d.Type, d.PartnerID, d.TotalQty, d.TotalAmount, d.GrossAmount, d.OpenCredit = domain.DocSalesOrder, &in.PartnerID, domain.QtyOf(int64(len(lines))), gross, gross, gross
		if _, err := tx.NewInsert().Model(d).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
			return nil, err
		}
		for i := range rows {
			rows[i].DocumentID = d.ID
		}
		if _, err := tx.NewInsert().Model(&rows).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
			return nil, err
		}
		return rows, tx.rawReserve(ctx, t, rows, false)
	})
}

// FloorReceipt posts a purchase receipt at moving-average cost with the
// API's promises kept the minimal way (floorPost), and returns the answer to
// send. Its own statements: one read that the supplier is real, the period
// open and nothing of the items moved after today (the posting guard; the
// floor does not re-cost, it refuses: ErrRawUnsupported), then
// RawPurchaseReceipt's five.
func (db *DB) FloorReceipt(ctx context.Context, t RawTarget, in FloorReceiptIn) ([]byte, error) {
	lines, amounts, totalQty, total, err := rawReceiptAmounts(t, in.Lines)
	if err != nil {
		return nil, err
	}
	items := make([]int64, len(lines))
	for i, l := range lines {
		items[i] = l.ItemID
	}
	return db.floorPost(ctx, t, in.FloorRequest, items, "RK", func(tx *Tx, d *docRow) ([]docLineRow, error) {
		hint := ""
		if tx.Dialect() == SQLite {
			hint = " INDEXED BY stock_ledger_item_date" // as PostingGuard names it (DECISIONS.md)
		}
		var supplier, closed, later int
		if err := tx.NewRaw(`SELECT
			(SELECT count(*) FROM partners WHERE id = ? AND company_id = ? AND kind IN (?, ?) AND archived = FALSE),
			(SELECT count(*) FROM stock_closes WHERE company_id = ? AND reopened_at IS NULL AND period_end >= ?),
			(SELECT count(*) FROM stock_ledger`+hint+` WHERE company_id = ? AND item_id IN (?) AND doc_date > ?)`,
			in.SupplierID, t.CompanyID, domain.PartnerSupplier, domain.PartnerBoth, t.CompanyID, d.DocDate, t.CompanyID, bun.In(items), d.DocDate).
			Scan(ctx, &supplier, &closed, &later); err != nil {
			return nil, err
		}
		switch {
		case supplier == 0:
			return nil, ErrFloorInput
		case closed > 0:
			return nil, ErrFloorClosed
		case later > 0:
			return nil, ErrRawUnsupported
		}
		d.Type, d.PartnerID, d.TotalQty, d.TotalAmount, d.GrossAmount = domain.DocPurchaseReceipt, &in.SupplierID, totalQty, total, total
		return tx.rawReceive(ctx, t, d, lines, amounts)
	})
}
