package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// Page is offset paging; Limit is capped at 500.
type Page struct {
	Limit  int
	Offset int
}

func (p Page) offset() int64 { return int64(max(p.Offset, 0)) }

func (p Page) limit() int64 {
	switch {
	case p.Limit <= 0:
		return 50
	case p.Limit > 500:
		return 500
	}
	return int64(p.Limit)
}

// ListFilter is what every master-data list accepts.
type ListFilter struct {
	CompanyID int64
	// Q searches code, name and mnemonic (and barcode where there is one).
	Q string
	// Archived: "" or "active" (default), "archived", "all".
	Archived string
	// Sort is a column key, "-" in front for descending: "code", "-updated_at".
	Sort string
	Page
}

// applyArchived filters on the archived flag of alias.
func applyArchived(q *bun.SelectQuery, alias, archived string) *bun.SelectQuery {
	switch archived {
	case "all":
		return q
	case "archived":
		return q.Where(alias + ".archived = TRUE")
	default:
		return q.Where(alias + ".archived = FALSE")
	}
}

// applySort orders by one whitelisted key, then by id for a stable order.
func applySort(q *bun.SelectQuery, alias, sort string, allowed map[string]string, def string) *bun.SelectQuery {
	desc := strings.HasPrefix(sort, "-")
	col, ok := allowed[strings.TrimPrefix(sort, "-")]
	if !ok {
		col, desc = allowed[def], false
	}
	dir := " ASC"
	if desc {
		dir = " DESC"
	}
	return q.OrderExpr(col + dir).OrderExpr(alias + ".id" + dir)
}

// likeEscape escapes LIKE wildcards in user input; queries use ESCAPE '\'.
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// prefixRange returns [lo, hi) such that every string with prefix p sorts
// inside it. A range on a plain b-tree index works on both engines, where
// LIKE 'p%' needs special collations or operator classes.
func prefixRange(p string) (string, string) {
	return p, p + "\uffff"
}

// searchTerm normalises a search box input.
func searchTerm(q string) string { return strings.TrimSpace(q) }

// lower is a search term for case-insensitive matching: SQLite's LIKE is
// ASCII case-insensitive, PostgreSQL's is not, so both sides are lowered.
func lower(s string) string { return strings.ToLower(s) }

// refTables are the tables a reference check may name.
var refTables = map[string]bool{
	"units": true, "categories": true, "brands": true, "warehouses": true, "items": true,
	"partners": true, "locations": true, "roles": true, "price_lists": true, "accounts": true,
}

// MustExist returns an invalid error naming field unless the row id of
// table exists in the company: a foreign key alone would accept another
// company's row.
func (tx *Tx) MustExist(ctx context.Context, table string, companyID int64, field string, id int64) error {
	if !refTables[table] {
		return fmt.Errorf("MustExist: table %q not allowed", table)
	}
	n, err := tx.NewSelect().TableExpr(table).Where("id = ? AND company_id = ?", id, companyID).Count(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		return domain.FieldErr(field, "unknown_reference")
	}
	return nil
}
