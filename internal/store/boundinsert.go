package store

import (
	"context"
	"database/sql"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"
)

// A bound INSERT: the rows of a bun model with their values bound as
// parameters, not written into the statement's text.
//
// bun writes every value into the text, and on SQLite the statement cache
// (stmtcache.go) parses them back out into parameters: for a ten-line
// document's lines, 340 values formatted and parsed again, in the single
// writer, where a profile of orders at 16 clients put bun's formatting,
// the parse and the scan of the returned ids at about a third of inserting
// a new document. A bound INSERT has one text per model and row count,
// which the cache keeps prepared as it is.

// boundTable is what a bound INSERT of one model needs: its columns but
// the excluded one, in order, and their fields.
type boundTable struct {
	table  string
	cols   string
	fields []*schema.Field
}

var boundTables sync.Map // boundKey → *boundTable

type boundKey struct {
	t       reflect.Type
	exclude string
}

// boundFor describes the model t (a struct type) without the column
// exclude ("" for none).
func (db *DB) boundFor(t reflect.Type, exclude string) *boundTable {
	k := boundKey{t, exclude}
	if b, ok := boundTables.Load(k); ok {
		return b.(*boundTable)
	}
	tab := db.w.Table(t)
	b := &boundTable{table: string(tab.SQLName)}
	var cols []string
	for _, f := range tab.Fields {
		if f.Name == exclude {
			continue
		}
		cols = append(cols, string(f.SQLName))
		b.fields = append(b.fields, f)
	}
	b.cols = strings.Join(cols, ", ")
	boundTables.Store(k, b)
	return b
}

// boundInsert returns an INSERT of rows (a slice of structs of one model)
// without the column exclude, followed by tail (a RETURNING clause, or
// ""), and its arguments; ok is false when the rows' values would be more
// than the statement cache keeps prepared (stmtCacheArgs): a long document
// is better inserted the usual way, as one text run once.
func (db *DB) boundInsert(rows any, exclude, tail string) (query string, args []any, ok bool) {
	v := reflect.ValueOf(rows)
	n := v.Len()
	if n == 0 {
		return "", nil, false
	}
	b := db.boundFor(v.Type().Elem(), exclude)
	if n*len(b.fields) > stmtCacheArgs {
		return "", nil, false
	}
	var q strings.Builder
	q.Grow(len(b.cols) + 32 + n*(3*len(b.fields)+4) + len(tail))
	q.WriteString("INSERT INTO ")
	q.WriteString(b.table)
	q.WriteString(" (")
	q.WriteString(b.cols)
	q.WriteString(") VALUES ")
	args = make([]any, 0, n*len(b.fields))
	for i := range n {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteByte('(')
		row := v.Index(i)
		for j, f := range b.fields {
			if j > 0 {
				q.WriteString(", ")
			}
			q.WriteByte('?')
			fv := f.Value(row)
			if f.IsPtr && fv.IsNil() || f.NullZero && f.IsZero(fv) {
				args = append(args, nil)
				continue
			}
			args = append(args, boundValue(fv))
		}
		q.WriteByte(')')
	}
	if tail != "" {
		q.WriteByte(' ')
		q.WriteString(tail)
	}
	return q.String(), args, true
}

// sqliteTime is how bun writes a time into SQLite's text (in UTC): a
// bound time is written so too, so that both read and sort alike.
const sqliteTime = "2006-01-02 15:04:05.999999-07:00"

// boundValue is v as the driver takes it without converting it again:
// the integers of the domain's named types as int64, a pointer as what it
// points to; anything else as it is (a driver.Valuer converts itself).
func boundValue(v reflect.Value) any {
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int()
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return v.Bool()
	}
	if t, ok := v.Interface().(time.Time); ok {
		return t.UTC().Format(sqliteTime)
	}
	return v.Interface()
}

// queryBound runs q with args bound by the driver: bun would write them
// into the text (its QueryContext formats), and on SQLite the statement
// cache would parse them out again. The query hooks see it all the same.
func (tx *Tx) queryBound(ctx context.Context, q string, args []any) (*sql.Rows, error) {
	var rows *sql.Rows
	err := tx.bound(ctx, q, args, func(ctx context.Context, t *sql.Tx) (err error) {
		rows, err = t.QueryContext(ctx, q, args...)
		return err
	}, func() (err error) {
		rows, err = tx.QueryContext(ctx, q, args...)
		return err
	})
	return rows, err
}

// queryBoundRows is queryBound with each row read by scan.
func queryBoundRows[T any](ctx context.Context, tx *Tx, q string, args []any, scan func(*sql.Rows, *T) error) ([]T, error) {
	rows, err := tx.queryBound(ctx, q, args)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := scan(rows, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// execBound is queryBound for a statement that returns no rows.
func (tx *Tx) execBound(ctx context.Context, q string, args []any) error {
	return tx.bound(ctx, q, args, func(ctx context.Context, t *sql.Tx) error {
		_, err := t.ExecContext(ctx, q, args...)
		return err
	}, func() error {
		_, err := tx.ExecContext(ctx, q, args...)
		return err
	})
}

// bound runs direct on the transaction's database/sql handle, between the
// query hooks, or, when tx is not a bun transaction, viaBun.
func (tx *Tx) bound(ctx context.Context, q string, args []any, direct func(context.Context, *sql.Tx) error, viaBun func() error) error {
	bt, ok := tx.IDB.(bun.Tx)
	if !ok {
		return viaBun()
	}
	var hooks []bun.QueryHook
	if hs := tx.db.hooks.Load(); hs != nil {
		hooks = *hs
	}
	ev := &bun.QueryEvent{DB: tx.db.w, Query: q, QueryTemplate: q, QueryArgs: args, StartTime: time.Now()}
	for _, h := range hooks {
		ctx = h.BeforeQuery(ctx, ev)
	}
	err := direct(ctx, bt.Tx)
	ev.Err = err
	for i := len(hooks) - 1; i >= 0; i-- {
		hooks[i].AfterQuery(ctx, ev)
	}
	return err
}
