package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// Money accounts (资金账户). The same shape as the small master-data
// tables, with the opening date kept as YYYY-MM-DD text (NULL when none)
// and the opening balance as integer cents.

type accountRow struct {
	bun.BaseModel  `bun:"table:accounts,alias:t"`
	ID             int64
	CompanyID      int64
	Code           string
	Name           string
	NameEn         string
	Kind           domain.AccountKind
	BankName       string
	BankAccount    string
	Currency       string
	OpeningBalance int64
	OpeningDate    sql.NullString
	Note           string
	domain.Stamp
}

func toAccountRow(a *domain.Account) *accountRow {
	return &accountRow{
		ID: a.ID, CompanyID: a.CompanyID, Code: a.Code, Name: a.Name, NameEn: a.NameEn, Kind: a.Kind,
		BankName: a.BankName, BankAccount: a.BankAccount, Currency: a.Currency,
		OpeningBalance: int64(a.OpeningBalance), OpeningDate: dateToNull(a.OpeningDate), Note: a.Note, Stamp: a.Stamp,
	}
}

func (r *accountRow) account() (domain.Account, error) {
	a := domain.Account{
		ID: r.ID, CompanyID: r.CompanyID, Code: r.Code, Name: r.Name, NameEn: r.NameEn, Kind: r.Kind,
		BankName: r.BankName, BankAccount: r.BankAccount, Currency: r.Currency,
		OpeningBalance: domain.Money(r.OpeningBalance), Note: r.Note, Stamp: r.Stamp,
	}
	var err error
	if a.OpeningDate, err = nullToDate(r.OpeningDate); err != nil {
		return a, fmt.Errorf("account %d opening_date: %w", r.ID, err)
	}
	return a, nil
}

var accountSorts = map[string]string{
	"code": "t.code", "name": "t.name", "kind": "t.kind", "opening_balance": "t.opening_balance",
	"created_at": "t.created_at", "updated_at": "t.updated_at",
}

func (tx *Tx) CreateAccount(ctx context.Context, a *domain.Account) error {
	stamp(tx, &a.Stamp, true)
	row := toAccountRow(a)
	if err := tx.insertRow(ctx, row, "account"); err != nil {
		return err
	}
	a.ID = row.ID
	return nil
}

func (tx *Tx) UpdateAccount(ctx context.Context, a *domain.Account) error {
	stamp(tx, &a.Stamp, false)
	if err := tx.updateRow(ctx, toAccountRow(a), "account", a.ID, a.CompanyID, a.Version); err != nil {
		return err
	}
	a.Version++
	return nil
}

func (tx *Tx) Account(ctx context.Context, companyID, id int64) (domain.Account, error) {
	var row accountRow
	if err := tx.NewSelect().Model(&row).Where("t.id = ? AND t.company_id = ?", id, companyID).Scan(ctx); err != nil {
		return domain.Account{}, notFound(err, "account", id)
	}
	return row.account()
}

// AccountFilter narrows the account list by kind.
type AccountFilter struct {
	ListFilter
	Kind string
}

func (tx *Tx) ListAccounts(ctx context.Context, f AccountFilter) ([]domain.Account, int, error) {
	var rows []accountRow
	q := tx.NewSelect().Model(&rows).Where("t.company_id = ?", f.CompanyID)
	if f.Kind != "" {
		q = q.Where("t.kind = ?", f.Kind)
	}
	q = searchSimple(applyArchived(q, "t", f.Archived), f.Q, false, true)
	n, err := applySort(q, "t", f.Sort, accountSorts, "code").Limit(f.limit()).Offset(f.offset()).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, err
	}
	out := make([]domain.Account, len(rows))
	for i := range rows {
		if out[i], err = rows[i].account(); err != nil {
			return nil, 0, err
		}
	}
	return out, int(n), nil
}

func (tx *Tx) SetAccountArchived(ctx context.Context, companyID, id int64, archived bool) error {
	return tx.setArchived(ctx, "accounts", "account", companyID, id, archived)
}

// DeleteAccount deletes an account nothing refers to; once payments and
// receipts refer to accounts their foreign keys make this in_use.
func (tx *Tx) DeleteAccount(ctx context.Context, companyID, id int64) error {
	return tx.deleteRow(ctx, "accounts", "account", companyID, id)
}

// ---------------------------------------------------------------- balances and movements

// What moves money in a money account: posted receipts (in) and payments
// (out) name their account on the document; counter sales (in) and counter
// returns (out) on each of their payments (doc_payments; store credit has
// no account). A reversal (红冲) counts against what it reverses: its
// amount is negative in the original's column. moneyMoves is the union of
// both, one row per movement, filtered by company, business day and
// optionally one account; its arguments are moveArgs'.
const moneyMoves = `SELECT d.account_id AS account_id, d.id AS document_id, 0 AS line_no, d.doc_date AS day,
		CASE WHEN d.type = ? THEN d.gross_amount ELSE 0 END * CASE WHEN d.reverses_id IS NULL THEN 1 ELSE -1 END AS amt_in,
		CASE WHEN d.type = ? THEN d.gross_amount ELSE 0 END * CASE WHEN d.reverses_id IS NULL THEN 1 ELSE -1 END AS amt_out
	FROM documents AS d
	WHERE d.company_id = ? AND d.account_id IS NOT NULL AND d.state = ? AND d.type IN (?, ?)
		AND d.doc_date >= ? AND d.doc_date <= ? AND (? = 0 OR d.account_id = ?)
	UNION ALL
	SELECT pm.account_id, d.id, pm.line_no, d.doc_date,
		CASE WHEN d.type = ? THEN pm.amount ELSE 0 END * CASE WHEN d.reverses_id IS NULL THEN 1 ELSE -1 END,
		CASE WHEN d.type = ? THEN pm.amount ELSE 0 END * CASE WHEN d.reverses_id IS NULL THEN 1 ELSE -1 END
	FROM doc_payments AS pm JOIN documents AS d ON d.id = pm.document_id
	WHERE pm.company_id = ? AND pm.account_id IS NOT NULL AND d.state = ? AND d.type IN (?, ?)
		AND d.doc_date >= ? AND d.doc_date <= ? AND (? = 0 OR pm.account_id = ?)`

// moveArgs are moneyMoves' arguments: movements of companyID from from to
// to (inclusive; "" and "9999-12-31" for no bound), of accountID (0: all).
func moveArgs(companyID, accountID int64, from, to string) []any {
	return []any{
		domain.DocReceipt, domain.DocPayment, companyID, domain.DocPosted, domain.DocReceipt, domain.DocPayment, from, to, accountID, accountID,
		domain.DocPOSSale, domain.DocPOSReturn, companyID, domain.DocPosted, domain.DocPOSSale, domain.DocPOSReturn, from, to, accountID, accountID,
	}
}

const (
	dayMin = ""
	dayMax = "9999-12-31"
)

// AccountBalance is what a money account holds on a day: its opening
// balance and what posted documents moved in and out up to that day.
type AccountBalance struct {
	AccountID int64        `json:"account_id"`
	Opening   domain.Money `json:"opening" doc:"The opening balance (期初余额); 0 before its opening date"`
	In        domain.Money `json:"in" doc:"Received: receipts and counter sales (less their reversals)"`
	Out       domain.Money `json:"out" doc:"Paid: payments and counter refunds (less their reversals)"`
	Balance   domain.Money `json:"balance" doc:"Opening + in − out"`
	LastDate  *domain.Date `json:"last_date" doc:"The business day of the latest movement"`
}

// AccountBalances sums every account's movements up to asOf (all when
// zero) in one query, grouped by the database; archived accounts too.
func (tx *Tx) AccountBalances(ctx context.Context, companyID int64, asOf domain.Date) ([]AccountBalance, error) {
	to := dayMax
	if !asOf.IsZero() {
		to = asOf.String()
	}
	var rows []struct {
		AccountID int64
		Opening   domain.Money
		AmtIn     domain.Money
		AmtOut    domain.Money
		Last      sql.NullString
	}
	args := append([]any{to}, moveArgs(companyID, 0, dayMin, to)...)
	args = append(args, companyID)
	err := tx.NewRaw(`SELECT a.id AS account_id,
			CASE WHEN a.opening_date IS NULL OR a.opening_date <= ? THEN a.opening_balance ELSE 0 END AS opening,
			COALESCE(m.amt_in, 0) AS amt_in, COALESCE(m.amt_out, 0) AS amt_out, m.last
		FROM accounts AS a
		LEFT JOIN (SELECT account_id, SUM(amt_in) AS amt_in, SUM(amt_out) AS amt_out, MAX(day) AS last
			FROM (`+moneyMoves+`) AS mv GROUP BY account_id) AS m ON m.account_id = a.id
		WHERE a.company_id = ?
		ORDER BY a.code`, args...).Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	out := make([]AccountBalance, len(rows))
	for i, r := range rows {
		b := AccountBalance{AccountID: r.AccountID, Opening: r.Opening, In: r.AmtIn, Out: r.AmtOut, Balance: r.Opening + r.AmtIn - r.AmtOut}
		if b.LastDate, err = nullToDate(r.Last); err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

// AccountMove is one movement of a money account: a document that put
// money in or took it out, or the account's opening balance (no document).
type AccountMove struct {
	DocumentID    int64          `json:"document_id" doc:"0 on the opening balance's row"`
	Number        string         `json:"number"`
	Type          domain.DocType `json:"type" doc:"receipt, payment, pos_sale, pos_return; empty on the opening balance's row"`
	Date          domain.Date    `json:"date"`
	Reversal      bool           `json:"reversal" doc:"A reversal (红冲): its amount is negative, in the column of what it reverses"`
	PartnerID     *int64         `json:"partner_id"`
	PartnerCode   string         `json:"partner_code"`
	PartnerName   string         `json:"partner_name"`
	PartnerNameEn string         `json:"partner_name_en"`
	Ref           string         `json:"ref"`
	In            domain.Money   `json:"in"`
	Out           domain.Money   `json:"out"`
	Balance       domain.Money   `json:"balance" doc:"Running balance after this row"`
}

// AccountJournal is a money account's movements from From to To (资金日记账).
type AccountJournal struct {
	AccountID int64         `json:"account_id"`
	From      domain.Date   `json:"from"`
	To        domain.Date   `json:"to"`
	Opening   domain.Money  `json:"opening" doc:"Balance before from, with the account's opening balance when its day is in the range"`
	In        domain.Money  `json:"in" doc:"Received from from to to (the opening balance is not)"`
	Out       domain.Money  `json:"out" doc:"Paid from from to to"`
	Closing   domain.Money  `json:"closing" doc:"Balance at the end of to"`
	Total     int           `json:"total" doc:"Rows in the range (the opening balance's row included when its day is in it)"`
	Limit     int           `json:"limit"`
	Offset    int           `json:"offset"`
	Rows      []AccountMove `json:"rows" doc:"In date order, limit rows from offset"`
}

// AccountJournal reads account a's movements from from to to: the balance
// before, the sums of the range and one page of rows with their running
// balance, each figure summed by the database (the running balance by a
// window function over the range). The opening balance is a movement of
// its opening date (before every other when it has none): a range after
// that day opens with it, a range holding it shows it as that day's first
// row. Either way it is part of the range's opening figure, never of what
// came in or went out in the range.
func (tx *Tx) AccountJournal(ctx context.Context, a domain.Account, from, to domain.Date, limit, offset int) (AccountJournal, error) {
	j := AccountJournal{AccountID: a.ID, From: from, To: to, Limit: limit, Offset: offset, Rows: []AccountMove{}}
	f, t := from.String(), to.String()
	// The opening balance as a row of the union: no document, its day.
	openDay := dayMin
	if a.OpeningDate != nil {
		openDay = a.OpeningDate.String()
	}
	hasOpening := 0
	if a.OpeningBalance != 0 {
		hasOpening = 1
	}
	moves := func(from string) (string, []any) {
		return moneyMoves + `
	UNION ALL
	SELECT ?, 0, 0, ?, ?, ? WHERE ? = 1 AND ? >= ? AND ? <= ?`,
			append(moveArgs(a.CompanyID, a.ID, from, t), a.ID, openDay, int64(max(a.OpeningBalance, 0)), int64(max(-a.OpeningBalance, 0)),
				hasOpening, openDay, from, openDay, t)
	}
	var sums struct {
		Before domain.Money
		AmtIn  domain.Money
		AmtOut domain.Money
		N      int
		Opened domain.Money // the opening balance's row, in the range
	}
	q, args := moves(dayMin)
	err := tx.NewRaw(`SELECT COALESCE(SUM(CASE WHEN day < ? OR document_id = 0 THEN amt_in - amt_out ELSE 0 END), 0) AS before,
			COALESCE(SUM(CASE WHEN day >= ? AND document_id <> 0 THEN amt_in ELSE 0 END), 0) AS amt_in,
			COALESCE(SUM(CASE WHEN day >= ? AND document_id <> 0 THEN amt_out ELSE 0 END), 0) AS amt_out,
			COUNT(CASE WHEN day >= ? THEN 1 END) AS n,
			COALESCE(SUM(CASE WHEN day >= ? AND document_id = 0 THEN amt_in - amt_out ELSE 0 END), 0) AS opened
		FROM (`+q+`) AS mv`, append([]any{f, f, f, f, f}, args...)...).Scan(ctx, &sums)
	if err != nil {
		return j, err
	}
	j.Opening, j.In, j.Out, j.Total = sums.Before, sums.AmtIn, sums.AmtOut, sums.N
	j.Closing = j.Opening + j.In - j.Out

	var rows []struct {
		DocumentID    int64
		Day           string
		Number        sql.NullString
		Type          sql.NullString
		Reversal      sql.NullBool
		PartnerID     sql.NullInt64
		PartnerCode   sql.NullString
		PartnerName   sql.NullString
		PartnerNameEn sql.NullString
		Ref           sql.NullString
		AmtIn         domain.Money
		AmtOut        domain.Money
		Running       domain.Money
	}
	q, args = moves(f)
	err = tx.NewRaw(`SELECT mv.document_id, mv.day, d.number, d.type, d.reverses_id IS NOT NULL AS reversal,
			d.partner_id, p.code AS partner_code, p.name AS partner_name, p.name_en AS partner_name_en, d.ref,
			mv.amt_in, mv.amt_out,
			SUM(mv.amt_in - mv.amt_out) OVER (ORDER BY mv.day, mv.document_id, mv.line_no ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running
		FROM (`+q+`) AS mv
		LEFT JOIN documents AS d ON d.id = mv.document_id
		LEFT JOIN partners AS p ON p.id = d.partner_id
		ORDER BY mv.day, mv.document_id, mv.line_no
		LIMIT ? OFFSET ?`, append(args, limit, offset)...).Scan(ctx, &rows)
	if err != nil {
		return j, err
	}
	for _, r := range rows {
		day := from
		if r.Day != "" {
			if day, err = domain.ParseDate(r.Day); err != nil {
				return j, err
			}
		}
		m := AccountMove{DocumentID: r.DocumentID, Number: r.Number.String, Type: domain.DocType(r.Type.String), Date: day, Reversal: r.Reversal.Bool,
			PartnerCode: r.PartnerCode.String, PartnerName: r.PartnerName.String, PartnerNameEn: r.PartnerNameEn.String,
			Ref: r.Ref.String, In: r.AmtIn, Out: r.AmtOut, Balance: j.Opening - sums.Opened + r.Running}
		if r.PartnerID.Valid {
			m.PartnerID = &r.PartnerID.Int64
		}
		j.Rows = append(j.Rows, m)
	}
	return j, nil
}
