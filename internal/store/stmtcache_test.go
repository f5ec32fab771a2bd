package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
)

// sqlParams is appendParams on fresh buffers.
func sqlParams(q string) (string, []driver.NamedValue, bool) {
	b, vals, ok := appendParams(nil, nil, q)
	if !ok {
		return "", nil, false
	}
	return string(b), vals, true
}

func TestSQLParams(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		vals []any
	}{
		{`SELECT "i"."id" FROM "items" AS "i" WHERE (i.company_id = 1 AND i.id IN (12, 13))`,
			`SELECT "i"."id" FROM "items" AS "i" WHERE (i.company_id = ? AND i.id IN (?, ?))`, []any{int64(1), int64(12), int64(13)}},
		{`INSERT INTO t (a, b, c, d) VALUES ('it''s', X'00ff', -5, 1.25)`,
			`INSERT INTO t (a, b, c, d) VALUES (?, ?, -?, ?)`, []any{"it's", []byte{0, 0xff}, int64(5), 1.25}},
		{`SELECT a FROM t WHERE s = '你好' AND n = 1e3 AND z = 'x''' ORDER BY 2 DESC, a LIMIT 10`,
			`SELECT a FROM t WHERE s = ? AND n = ? AND z = ? ORDER BY 2 DESC, a LIMIT ?`, []any{"你好", 1000.0, "x'", int64(10)}},
		{`SELECT k, count(*) FROM t GROUP BY 1 HAVING count(*) > 2`,
			`SELECT k, count(*) FROM t GROUP BY 1 HAVING count(*) > ?`, []any{int64(2)}},
		{`SELECT row_number() OVER (ORDER BY 1) AS n, x FROM t WHERE y = 3`, // the window's list ends with its parenthesis
			`SELECT row_number() OVER (ORDER BY 1) AS n, x FROM t WHERE y = ?`, []any{int64(3)}},
		{`SELECT "t1"."col2", t3.x FROM "a""b" t3 -- 5 'no'
WHERE t3.x = 9223372036854775808 /* 7 */`,
			`SELECT "t1"."col2", t3.x FROM "a""b" t3 -- 5 'no'
WHERE t3.x = 9223372036854775808 /* 7 */`, nil},
		{`WITH v(id) AS (VALUES (CAST(31 AS BIGINT))) UPDATE p SET n = n + 1 FROM v WHERE p.id = v.id`,
			`WITH v(id) AS (VALUES (CAST(? AS BIGINT))) UPDATE p SET n = n + ? FROM v WHERE p.id = v.id`, []any{int64(31), int64(1)}},
		{`SAVEPOINT g1`, `SAVEPOINT g1`, nil},
		// Constant words compared with a column stay (a partial index's
		// condition may name them); dates, other texts and inserted values
		// do not.
		{`SELECT MIN(due) FROM d WHERE type = 'sales_invoice' AND state <> 'posted' AND s != 'x_y' AND k IN ('a', 'b c', 'move') AND due < '2026-12-06' AND due >= 'abc'`,
			`SELECT MIN(due) FROM d WHERE type = 'sales_invoice' AND state <> 'posted' AND s != 'x_y' AND k IN ('a', ?, 'move') AND due < ? AND due >= ?`,
			[]any{"b c", "2026-12-06", "abc"}},
		{`INSERT INTO d (type, note) VALUES ('sales_order', 'ok') RETURNING (SELECT 1 FROM e WHERE e.x IN (SELECT y FROM f WHERE z = 'Big'))`,
			`INSERT INTO d (type, note) VALUES (?, ?) RETURNING (SELECT ? FROM e WHERE e.x IN (SELECT y FROM f WHERE z = ?))`,
			[]any{"sales_order", "ok", int64(1), "Big"}},
		{`SELECT CASE WHEN d < '2026-11-05' AND q > 0 THEN q ELSE -1 END, CASE k WHEN 'a' THEN 'x' ELSE (2) END FROM t`, // CASE results stay
			`SELECT CASE WHEN d < ? AND q > ? THEN q ELSE -1 END, CASE k WHEN ? THEN 'x' ELSE (?) END FROM t`, []any{"2026-11-05", int64(0), "a", int64(2)}},
	} {
		got, vals, ok := sqlParams(tc.in)
		if !ok || got != tc.want {
			t.Errorf("sqlParams(%q)\n = %q, %v\nwant %q", tc.in, got, ok, tc.want)
			continue
		}
		var vs []any
		for i, v := range vals {
			if v.Ordinal != i+1 {
				t.Errorf("%q: ordinal %d at %d", tc.in, v.Ordinal, i)
			}
			vs = append(vs, v.Value)
		}
		if !reflect.DeepEqual(vs, tc.vals) {
			t.Errorf("sqlParams(%q) values = %#v, want %#v", tc.in, vs, tc.vals)
		}
	}
	for _, in := range []string{
		`SELECT a FROM t WHERE b = ?`,              // parameters already
		`DELETE FROM t WHERE a = 1; DELETE FROM u`, // two statements
		`PRAGMA cache_size = -2000`,                // not rows
		`CREATE TABLE t (a TEXT DEFAULT 'x')`,
		`SELECT 'unterminated`,
	} {
		if got, _, ok := sqlParams(in); ok {
			t.Errorf("sqlParams(%q) = %q, want it left alone", in, got)
		}
	}
}

// The cache must give the answers the statements as written give: the same
// shape with other values, a statement SQLite will not prepare with
// parameters, and the same statement again while its rows are still open.
func TestStmtCache(t *testing.T) {
	ctx := context.Background()
	db := sql.OpenDB(stmtConnector{dsn: "file:" + filepath.Join(t.TempDir(), "c.db") + "?_pragma=journal_mode(WAL)", drv: sqliteDriver})
	db.SetMaxOpenConns(1)
	defer db.Close()
	exec := func(q string) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT NOT NULL, state TEXT NOT NULL, n INTEGER NOT NULL)`)
	exec(`CREATE UNIQUE INDEX t_pending ON t(s) WHERE state = 'pending'`)
	for i := range 50 {
		exec(fmt.Sprintf(`INSERT INTO t (s, state, n) VALUES ('s%d', '%s', %d)`, i%10, []string{"pending", "done"}[min(i/10, 1)], i))
	}
	// The upsert's target names the partial index: SQLite refuses it with
	// parameters, so it runs as written.
	exec(`INSERT INTO t (s, state, n) VALUES ('s3', 'pending', 1000) ON CONFLICT (s) WHERE state = 'pending' DO UPDATE SET n = t.n + 1`)
	var n int64
	if err := db.QueryRowContext(ctx, `SELECT n FROM t WHERE s = 's3' AND state = 'pending'`).Scan(&n); err != nil || n != 4 {
		t.Fatalf("upsert: n = %d, %v; want 4", n, err)
	}
	// Empty texts and blobs stay empty, not NULL.
	var ts, tb, ls, lb string
	if err := db.QueryRowContext(ctx, `SELECT typeof(''), typeof(X''), length(''), length(X'') FROM t LIMIT 1`).Scan(&ts, &tb, &ls, &lb); err != nil ||
		ts != "text" || tb != "blob" || ls != "0" || lb != "0" {
		t.Errorf("empty literals = %s %s %s %s, %v; want text blob 0 0", ts, tb, ls, lb, err)
	}
	// Same shape, other values: one prepared statement answers both.
	sum := func(lo int) (s int64) {
		t.Helper()
		if err := db.QueryRowContext(ctx, fmt.Sprintf(`SELECT sum(n) FROM t WHERE n >= %d AND state = 'done'`, lo)).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := prepares(t, db)
	if a, b := sum(40), sum(45); a != 40+41+42+43+44+45+46+47+48+49 || b != 45+46+47+48+49 {
		t.Fatalf("sums = %d, %d", a, b)
	}
	if p := prepares(t, db) - before; p != 1 {
		t.Errorf("two statements of one shape prepared %d times, want 1", p)
	}
	// The same statement while its rows are open: the inner one runs on its own.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT id, n FROM t WHERE n < 3 ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var outer []int64
	for rows.Next() {
		var id, v int64
		if err := rows.Scan(&id, &v); err != nil {
			t.Fatal(err)
		}
		outer = append(outer, v)
		inner, err := tx.QueryContext(ctx, `SELECT id, n FROM t WHERE n < 2 ORDER BY id`) // the same shape
		if err != nil {
			t.Fatal(err)
		}
		k := 0
		for inner.Next() {
			k++
		}
		if err := inner.Close(); err != nil || k != 2 {
			t.Fatalf("inner rows = %d, %v; want 2", k, err)
		}
	}
	if err := rows.Close(); err != nil || !reflect.DeepEqual(outer, []int64{0, 1, 2}) {
		t.Fatalf("outer = %v, %v", outer, err)
	}
}

func prepares(t *testing.T, db *sql.DB) (n int) {
	t.Helper()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Raw(func(dc any) error { n = dc.(*stmtConn).prepares; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

var _ driver.Rows = (*stmtRows)(nil)
