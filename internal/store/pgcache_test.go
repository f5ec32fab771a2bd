package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/jxc-erp/jxc/internal/domain"
)

// pgParams is appendPGParams on fresh buffers, the exec mode left out.
func pgParams(q string) (string, []any, bool) {
	b, vals, ok := appendPGParams(nil, nil, q)
	if !ok {
		return "", nil, false
	}
	var vs []any
	for i, v := range vals {
		if v.Ordinal != i+1 {
			return "ordinal", nil, false
		}
		if i > 0 {
			vs = append(vs, v.Value)
		}
	}
	if len(vals) == 0 || vals[0].Value != pgx.QueryExecModeCacheStatement {
		return "mode", nil, false
	}
	return string(b), vs, true
}

func TestPGParams(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		vals []any
	}{
		{`SELECT "i"."id" FROM "items" AS "i" WHERE (i.company_id = 1 AND i.id IN (12, 13)) ORDER BY i.code LIMIT 20 OFFSET 40`,
			`SELECT "i"."id" FROM "items" AS "i" WHERE (i.company_id = $1 AND i.id IN ($2, $3)) ORDER BY i.code LIMIT 20 OFFSET 40`,
			[]any{"1", "12", "13"}},
		// a date compared by range stays: a report needs the plan for its
		// range; a time of day does not (a session's expiry)
		{`SELECT 1 FROM l WHERE l.d >= '2026-11-05' AND l.d <= '2026-12-04' AND l.d = '2026-12-04' AND s.exp > '2026-12-05 00:34:41.436259+00:00'`,
			`SELECT 1 FROM l WHERE l.d >= '2026-11-05' AND l.d <= '2026-12-04' AND l.d = $1 AND s.exp > $2`,
			[]any{"2026-12-04", "2026-12-05 00:34:41.436259+00:00"}},
		// an INSERT's values take their columns' types; '' and short
		// lowercase words stay: they are the same in every run
		{`INSERT INTO "t" AS "r" ("a", "b", "c", "d", "e", "f") VALUES (1, 'it''s', -5, 1.25, '', 'posted'), (2, '\x7b22', NULL, DEFAULT, 'Xy', 'draft') RETURNING "r"."id"`,
			`INSERT INTO "t" AS "r" ("a", "b", "c", "d", "e", "f") VALUES ($1, $2, $3, $4, '', 'posted'), ($5, $6, NULL, DEFAULT, $7, 'draft') RETURNING "r"."id"`,
			[]any{"1", "it's", "-5", "1.25", "2", `\x7b22`, "Xy"}},
		// a select list, function arguments, arithmetic, casts and CASE
		// results stay as written
		{`WITH c AS (SELECT set_config('synchronous_commit', 'off', true) AS s)
	INSERT INTO doc_sequences (company_id, prefix, day, last) SELECT 1, 'XS', '2026-12-05', 1 FROM c
	ON CONFLICT (company_id, prefix, day) DO UPDATE SET last = doc_sequences.last + 1
	RETURNING last`,
			`WITH c AS (SELECT set_config('synchronous_commit', 'off', true) AS s)
	INSERT INTO doc_sequences (company_id, prefix, day, last) SELECT 1, 'XS', '2026-12-05', 1 FROM c
	ON CONFLICT (company_id, prefix, day) DO UPDATE SET last = doc_sequences.last + 1
	RETURNING last`, nil},
		{`SELECT CASE WHEN a.x > 5 THEN 'Y' ELSE 2 END, 3 FROM a WHERE a.d < '2026-01-01'::date AND a.n = 4 + a.m AND a.k = 'A-1' AND 7 = a.z`,
			`SELECT CASE WHEN a.x > $1 THEN 'Y' ELSE 2 END, 3 FROM a WHERE a.d < '2026-01-01'::date AND a.n = 4 + a.m AND a.k = $2 AND 7 = a.z`,
			[]any{"5", "A-1"}},
		{`WITH v(id, d) AS (VALUES (CAST(31 AS BIGINT), CAST(-110 AS BIGINT))) UPDATE partners SET on_order = on_order + v.d, note = 'Hi' FROM v WHERE partners.id = v.id`,
			`WITH v(id, d) AS (VALUES (CAST($1 AS BIGINT), CAST($2 AS BIGINT))) UPDATE partners SET on_order = on_order + v.d, note = $3 FROM v WHERE partners.id = v.id`,
			[]any{"31", "-110", "Hi"}},
		{`UPDATE "documents" AS "d" SET state = 'posted', posted_at = '2026-12-05 00:34:41.437803+00:00', version = version + 1 WHERE (id = 52 AND state IN ('draft', 'Open 1') AND x = E'a\\b' AND y = 1e3)`,
			`UPDATE "documents" AS "d" SET state = 'posted', posted_at = $1, version = version + 1 WHERE (id = $2 AND state IN ('draft', $3) AND x = E'a\\b' AND y = 1e3)`,
			[]any{"2026-12-05 00:34:41.437803+00:00", "52", "Open 1"}},
		{`SELECT x FROM t -- a = 5
WHERE "t"."a" >= 6 /* b = 7 */ AND NULL = 8 AND c LIKE 'A%'`,
			`SELECT x FROM t -- a = 5
WHERE "t"."a" >= $1 /* b = 7 */ AND NULL = 8 AND c LIKE 'A%'`, []any{"6"}},
	} {
		got, vals, ok := pgParams(tc.in)
		if !ok || got != tc.want {
			t.Errorf("pgParams(%q)\n = %q, %v\nwant %q", tc.in, got, ok, tc.want)
			continue
		}
		if !reflect.DeepEqual(vals, tc.vals) {
			t.Errorf("pgParams(%q) values = %#v, want %#v", tc.in, vals, tc.vals)
		}
	}
	for _, in := range []string{
		`SELECT a FROM t WHERE b = $1`,                // parameters already
		`SELECT $$x$$`,                                // dollar quoting
		`DELETE FROM t WHERE a = 1; DELETE FROM u`,    // two statements
		`SET LOCAL synchronous_commit = off`,          // not rows
		`CREATE TABLE t (a TEXT DEFAULT 'x')`,         //
		`SELECT 'unterminated`,                        //
		`SELECT a FROM t WHERE b = 'x' /* unfinished`, //
	} {
		if got, _, ok := pgParams(in); ok {
			t.Errorf("pgParams(%q) = %q, want it left alone", in, got)
		}
	}
}

// Through PostgreSQL, a parameterised statement must give what the statement
// as written gives, for the types bun writes as text: bytea, jsonb,
// timestamps, dates, numerics and negative numbers.
func TestPGCacheValues(t *testing.T) {
	ctx := context.Background()
	db := openPG(t)
	conn, err := db.w.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE TEMP TABLE pgc (id BIGINT PRIMARY KEY, b BYTEA, j JSONB, ts TIMESTAMPTZ, d DATE, n NUMERIC(20,4), s TEXT)`); err != nil {
		t.Fatal(err)
	}
	var kept bool
	if err := conn.Raw(func(dc any) error {
		_, kept = dc.(*pgStmtConn)
		return nil
	}); err != nil || !kept {
		t.Fatalf("the pool's connection is %v, not the caching one", err)
	}
	for i := range 8 { // past PostgreSQL's five custom plans
		q := `INSERT INTO pgc (id, b, j, ts, d, n, s) VALUES (` + itoa(i+1) + `, '\x00ff7b', '{"a": [1, "x''y"]}', '2026-12-05 01:02:03.5+08:00', '2026-12-31', -12.5, 'a''b')`
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
		var (
			b  []byte
			j  string
			ts time.Time
			d  string
			n  string
			s  string
		)
		row := conn.QueryRowContext(ctx, `SELECT b, j::text, ts, d::text, n::text, s FROM pgc WHERE id = `+itoa(i+1)+` AND ts >= '2026-12-04 17:02:03.5+00:00' AND n IN (-12.5, 3)`)
		if err := row.Scan(&b, &j, &ts, &d, &n, &s); err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
		want := time.Date(2026, 12, 4, 17, 2, 3, 5e8, time.UTC)
		if string(b) != "\x00\xff\x7b" || j != `{"a": [1, "x'y"]}` || !ts.Equal(want) || d != "2026-12-31" || n != "-12.5000" || s != "a'b" {
			t.Fatalf("run %d read back %q %q %v %q %q %q", i, b, j, ts, d, n, s)
		}
	}
	// several writes in one text in a transaction: one round trip, each
	// statement prepared once; the first error undoes its transaction and
	// leaves the connection usable
	inTx := func(q string) (driver.Result, error) {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := tx.ExecContext(ctx, q)
		if err != nil {
			tx.Rollback()
			return nil, err
		}
		return res, tx.Commit()
	}
	for i := range 6 {
		q := `SET LOCAL synchronous_commit = off; UPDATE pgc SET s = 'x;''y', n = n + 1 WHERE id = ` + itoa(i+1) + `;
			INSERT INTO pgc (id, b) VALUES (` + itoa(100+i) + `, '\x01')`
		res, err := inTx(q)
		if err != nil {
			t.Fatalf("pipeline %d: %v", i, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			t.Fatalf("pipeline %d affected %d rows", i, n)
		}
	}
	_, err = inTx(`UPDATE pgc SET s = 'undone' WHERE id = 1; INSERT INTO pgc (id, b) VALUES (100, '\x01')`)
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "23505" {
		t.Fatalf("duplicate key in a pipeline: %v", err)
	}
	var s6 string
	var sum, blobs int
	if err := conn.QueryRowContext(ctx, `SELECT (SELECT s FROM pgc WHERE id = 1), (SELECT SUM(n)::int FROM pgc), (SELECT count(*) FROM pgc WHERE b = '\x01'::bytea)`).Scan(&s6, &sum, &blobs); err != nil {
		t.Fatal(err)
	}
	if s6 != "x;'y" || sum != -100+6 || blobs != 6 {
		t.Errorf("after the pipelines: s %q, sum %d, %d blobs", s6, sum, blobs)
	}
	var piped int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'jxc%'`).Scan(&piped); err != nil {
		t.Fatal(err)
	}
	if piped != 3 { // the UPDATE and INSERT, and the failed run's UPDATE
		t.Errorf("%d statements prepared by the pipelines, want 3", piped)
	}

	// one prepared statement each for the eight inserts and the eight reads,
	// and one for the check after the pipelines
	var prepared int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%pgc%' AND name NOT LIKE 'jxc%'`).Scan(&prepared); err != nil {
		t.Fatal(err)
	}
	if prepared != 3 { // and the check after the pipelines
		t.Errorf("%d statements prepared, want 3", prepared)
	}
}

// openPG opens the test PostgreSQL with one connection, or skips.
func openPG(t *testing.T) *DB {
	t.Helper()
	dsn := os.Getenv("JXC_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("JXC_TEST_POSTGRES not set")
	}
	db, err := Open(context.Background(), dsn, Options{MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func itoa(n int) string { return string(appendInt(nil, n)) }

var _ driver.Conn = (*pgStmtConn)(nil)

// Writes held for the next statement (laterWrites) must be seen by a read
// in their transaction, committed with it, and fail the commit that carries
// a failing one, leaving nothing of the transaction behind.
func TestPGLaterWrites(t *testing.T) {
	ctx := context.Background()
	db := openPG(t)
	if _, err := db.w.ExecContext(ctx, `CREATE TEMP TABLE lw (id BIGINT PRIMARY KEY, s TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	later := laterWrites(ctx)
	count := func() (n int) {
		t.Helper()
		if err := db.w.QueryRowContext(ctx, `SELECT count(*) FROM lw`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	// outside a transaction a held write runs at once
	if _, err := db.w.ExecContext(later, `INSERT INTO lw (id, s) VALUES (1, 'A1')`); err != nil || count() != 1 {
		t.Fatalf("write outside a transaction: %v, %d rows", err, count())
	}

	// outside a transaction several statements stay one message, one
	// implicit transaction, where SET LOCAL applies (the idempotency
	// answer turns synchronous_commit off this way)
	_, err := db.w.ExecContext(ctx, `SET LOCAL statement_timeout = '1ms'; SELECT pg_sleep(0.05)`)
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "57014" {
		t.Fatalf("SET LOCAL before a statement outside a transaction: %v, want it to apply (57014)", err)
	}

	// a read in the transaction sees what was held; the commit carries the rest
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 2; i <= 3; i++ {
		if _, err := tx.ExecContext(later, `INSERT INTO lw (id, s) VALUES (`+itoa(i)+`, 'Row `+itoa(i)+`')`); err != nil {
			t.Fatal(err)
		}
	}
	var seen int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM lw WHERE id >= 2`).Scan(&seen); err != nil || seen != 2 {
		t.Fatalf("read after held writes: %v, %d rows", err, seen)
	}
	if _, err := tx.ExecContext(later, `UPDATE lw SET s = 'Changed 1' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var s string
	if err := db.w.QueryRowContext(ctx, `SELECT s FROM lw WHERE id = 1`).Scan(&s); err != nil || s != "Changed 1" || count() != 3 {
		t.Fatalf("after commit: %v, %q, %d rows", err, s, count())
	}

	// a held write that fails fails the commit, and nothing of it stays
	tx, err = db.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO lw (id, s) VALUES (4, 'Four')`); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(later, `INSERT INTO lw (id, s) VALUES (1, 'Dup')`); err != nil {
		t.Fatal(err)
	}
	err = tx.Commit()
	if !errors.As(err, &pe) || pe.Code != "23505" {
		t.Fatalf("commit with a failing held write: %v", err)
	}
	if n := count(); n != 3 {
		t.Fatalf("%d rows after the failed commit, want 3", n)
	}

	// held writes then a plain write: one pipeline, the plain one's count
	tx, err = db.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(later, `INSERT INTO lw (id, s) VALUES (5, 'Five')`); err != nil {
		t.Fatal(err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE lw SET s = 'All' WHERE id >= 1`)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 4 {
		t.Fatalf("the plain write after a held one affected %d rows, want 4", n)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 3 {
		t.Fatalf("%d rows after rollback, want 3", n)
	}
}

// A connection handed out again after pgPlanTTL drops its prepared
// statements, so PostgreSQL plans them afresh for tables that have grown.
func TestPGPlanTTL(t *testing.T) {
	ctx := context.Background()
	db := openPG(t)
	prepared := func() (n int) {
		t.Helper()
		if err := db.w.QueryRowContext(ctx, `SELECT count(*) FROM pg_prepared_statements`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	var none int
	if err := db.w.QueryRowContext(ctx, `SELECT count(*) FROM pg_class WHERE oid = 7`).Scan(&none); err != nil {
		t.Fatal(err)
	}
	if n := prepared(); n != 1 {
		t.Fatalf("%d statements prepared, want 1", n)
	}
	defer func(ttl time.Duration) { pgPlanTTL = ttl }(pgPlanTTL)
	pgPlanTTL = 0
	if n := prepared(); n != 0 {
		t.Fatalf("%d statements kept past the TTL, want none", n)
	}
}

// A read after held writes runs in their pipeline: it sees them, and its
// values scan exactly as the same read's through pgx's driver do, type by
// type; an error in a held write or in the read fails the read.
func TestPGPipelinedRead(t *testing.T) {
	ctx := context.Background()
	db := openPG(t)
	if _, err := db.w.ExecContext(ctx, `CREATE TEMP TABLE pr (id BIGINT PRIMARY KEY, i4 INT, i2 SMALLINT, n NUMERIC(18,4),
		b BOOLEAN, s TEXT, v VARCHAR(20), d DATE, ts TIMESTAMP, tz TIMESTAMPTZ, j JSONB, js JSON, by BYTEA, f FLOAT8, o OID, arr BIGINT[])`); err != nil {
		t.Fatal(err)
	}
	const row = `(1, 2147483647, -3, 12345678901234.5678, TRUE, 'Ünïcode ''q''', 'v', '2026-02-28', '2026-12-05 08:00:01.5',
		'2026-12-05 08:00:01.123456+08', '{"a": [1, 2]}', '{"b":1}', '\x00ff10', 0.1, 42, '{1,2,3}'), (2, NULL, NULL, NULL, NULL,
		NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`
	if _, err := db.w.ExecContext(ctx, `INSERT INTO pr VALUES `+row); err != nil {
		t.Fatal(err)
	}
	const read = `SELECT * FROM pr WHERE id >= 1 ORDER BY id`
	scanAll := func(rows *sql.Rows, err error) [][]any {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var out [][]any
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out = append(out, vals)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return append(out, []any{strings.Join(cols, ",")})
	}
	want := scanAll(db.w.QueryContext(ctx, read))

	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	later := laterWrites(ctx)
	if _, err := tx.ExecContext(later, `INSERT INTO pr (id, s) VALUES (0, 'held')`); err != nil {
		t.Fatal(err)
	}
	before := db.RoundTrips()
	got := scanAll(tx.QueryContext(ctx, read))
	if trips := db.RoundTrips() - before; trips != 1 {
		t.Errorf("BEGIN, a held write and a read took %d round trips, want 1", trips)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("pipelined read:\n got %#v\nwant %#v", got, want)
	}
	var held string
	if err := tx.QueryRowContext(ctx, `SELECT s FROM pr WHERE id = 0`).Scan(&held); err != nil || held != "held" {
		t.Fatalf("the read did not see the held write: %v %q", err, held)
	}

	// a held write that fails fails the read after it, and the transaction
	if _, err := tx.ExecContext(later, `INSERT INTO pr (id) VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	var pe *pgconn.PgError
	if _, err := tx.QueryContext(ctx, read); !errors.As(err, &pe) || pe.Code != "23505" {
		t.Fatalf("read after a failing held write: %v, want 23505", err)
	}
	if err := tx.Commit(); !errors.Is(err, pgx.ErrTxCommitRollback) && !errors.As(err, &pe) {
		t.Fatalf("commit after a failed read: %v", err)
	}
	var n int
	if err := db.w.QueryRowContext(ctx, `SELECT count(*) FROM pr`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("after the failed transaction: %v, %d rows, want 2", err, n)
	}

	// a read that fails in the pipeline fails with its own error
	tx, err = db.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(later, `INSERT INTO pr (id) VALUES (3)`); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.QueryContext(ctx, `SELECT 1/(id-1) FROM pr WHERE id = 1`); !errors.As(err, &pe) || pe.Code != "22012" {
		t.Fatalf("failing read: %v, want 22012", err)
	}
	_ = tx.Rollback()
}

// The BEGIN waits for the transaction's first statement: a transaction
// costs no round trip of its own, one that sends nothing costs none at all,
// and its options still apply.
func TestPGDeferredBegin(t *testing.T) {
	ctx := context.Background()
	db := openPG(t)
	if _, err := db.w.ExecContext(ctx, `CREATE TEMP TABLE db1 (id BIGINT PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	trips := func(f func()) int64 {
		before := db.RoundTrips()
		f()
		return db.RoundTrips() - before
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := trips(func() {
		tx, err := db.w.BeginTx(ctx, nil)
		must(err)
		_, err = tx.ExecContext(ctx, `INSERT INTO db1 VALUES (1)`)
		must(err)
		must(tx.Commit())
	}); n != 2 {
		t.Errorf("BEGIN, INSERT, COMMIT: %d round trips, want 2", n)
	}
	if n := trips(func() {
		tx, err := db.w.BeginTx(ctx, nil)
		must(err)
		must(tx.Rollback())
		tx, err = db.w.BeginTx(ctx, nil)
		must(err)
		must(tx.Commit())
	}); n != 0 {
		t.Errorf("empty transactions: %d round trips, want 0", n)
	}
	// held writes alone are committed
	tx, err := db.w.BeginTx(ctx, nil)
	must(err)
	_, err = tx.ExecContext(laterWrites(ctx), `INSERT INTO db1 VALUES (2)`)
	must(err)
	must(tx.Commit())
	var n int
	must(db.w.QueryRowContext(ctx, `SELECT count(*) FROM db1`).Scan(&n))
	if n != 2 {
		t.Fatalf("%d rows after held writes alone were committed, want 2", n)
	}
	// a rolled back transaction leaves nothing
	tx, err = db.w.BeginTx(ctx, nil)
	must(err)
	_, err = tx.ExecContext(ctx, `INSERT INTO db1 VALUES (3)`)
	must(err)
	must(tx.Rollback())
	must(db.w.QueryRowContext(ctx, `SELECT count(*) FROM db1`).Scan(&n))
	if n != 2 {
		t.Fatalf("%d rows after a rollback, want 2", n)
	}
	// the options reach the server, also when the first statement is new
	// to the connection and is prepared in the BEGIN's pipeline
	tx, err = db.w.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	must(err)
	must(tx.QueryRowContext(ctx, `SELECT count(*) FROM db1 WHERE id > 0 AND id < 1000`).Scan(&n))
	var iso, ro string
	must(tx.QueryRowContext(ctx, `SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only')`).Scan(&iso, &ro))
	if iso != "repeatable read" || ro != "on" {
		t.Errorf("isolation %q, read only %q", iso, ro)
	}
	var pe *pgconn.PgError // (a temporary table may be written in a read-only transaction)
	if _, err := tx.ExecContext(ctx, `CREATE TABLE jxc_read_only_probe (x INT)`); !errors.As(err, &pe) || pe.Code != "25006" {
		t.Errorf("a write in a read-only transaction: %v, want 25006", err)
	}
	_ = tx.Rollback()
	// and the connection is clean for the next one
	must(db.w.QueryRowContext(ctx, `SELECT count(*) FROM db1`).Scan(&n))
}

// A transaction whose request was cancelled between two statements must
// end on the server when it is rolled back: its connection goes back to
// the pool, and an open transaction there would hold its locks until the
// connection is next used. (database/sql rolls back with the request's
// context; driven through the driver here, so that the rollback surely
// comes after the cancellation.)
func TestPGRollbackAfterCancel(t *testing.T) {
	ctx := context.Background()
	db, other := openPG(t), openPG(t)
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS jxc_cancel_probe (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = db.w.ExecContext(ctx, `DROP TABLE IF EXISTS jxc_cancel_probe`) })
	if _, err := db.w.ExecContext(ctx, `INSERT INTO jxc_cancel_probe VALUES (1, 0) ON CONFLICT (id) DO NOTHING`); err != nil {
		t.Fatal(err)
	}
	for _, held := range []bool{false, true} {
		conn, err := db.w.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		err = conn.Raw(func(dc any) error {
			c := dc.(*pgStmtConn)
			reqCtx, cancel := context.WithCancel(ctx)
			defer cancel()
			dtx, err := c.BeginTx(reqCtx, driver.TxOptions{})
			if err != nil {
				return err
			}
			if _, err := c.ExecContext(reqCtx, `UPDATE jxc_cancel_probe SET n = n + 1 WHERE id = 1`, nil); err != nil {
				return err
			}
			if held { // a held write waiting when the request ends
				if _, err := c.ExecContext(laterWrites(reqCtx), `UPDATE jxc_cancel_probe SET n = n + 1 WHERE id = 1`, nil); err != nil {
					return err
				}
			}
			cancel()
			_ = dtx.Rollback()
			if !c.pg.IsClosed() && c.pg.TxStatus() != 'I' {
				t.Errorf("held=%v: the connection is back with its transaction open (status %c)", held, c.pg.TxStatus())
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		_ = conn.Close()
		// the row is free for another session at once
		otx, err := other.w.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := otx.ExecContext(ctx, `SET LOCAL lock_timeout = '2s'`); err != nil {
			t.Fatal(err)
		}
		if _, err := otx.ExecContext(ctx, `UPDATE jxc_cancel_probe SET n = n WHERE id = 1`); err != nil {
			t.Fatalf("held=%v: the cancelled transaction still holds its lock: %v", held, err)
		}
		if err := otx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := db.w.QueryRowContext(ctx, `SELECT n FROM jxc_cancel_probe WHERE id = 1`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("after rolled back transactions: %v, n = %d, want 0", err, n)
	}
}

// ViewAhead sends the statements its reads ask for first in one round
// trip, answers fn's same statements with their rows, writes nothing while
// it notes them, keeps nothing past fn, and falls back to running each
// statement when the pipeline fails.
func TestPGViewAhead(t *testing.T) {
	ctx := context.Background()
	db := openPG(t)
	if _, err := db.w.ExecContext(ctx, `CREATE TEMP TABLE va (id BIGINT PRIMARY KEY, s TEXT); INSERT INTO va VALUES (1, 'a'), (2, 'b')`); err != nil {
		t.Fatal(err)
	}
	read := func(tx *Tx, id int64) (string, error) {
		var s string
		err := tx.NewRaw("SELECT s FROM va WHERE id = ?", id).Scan(ctx, &s)
		return s, err
	}
	check := func(tx *Tx, id int64, want string) {
		t.Helper()
		got, err := read(tx, id)
		if want == "" {
			if !errors.Is(err, sql.ErrNoRows) {
				t.Errorf("read %d: %q, %v; want no row", id, got, err)
			}
		} else if err != nil || got != want {
			t.Errorf("read %d: %q, %v; want %q", id, got, err, want)
		}
	}

	before := db.RoundTrips()
	err := db.ViewAhead(ctx, func(tx *Tx) {
		for id := range int64(4) {
			_, _ = read(tx, id)
		}
		_, _ = tx.ExecContext(ctx, "INSERT INTO va VALUES (9, 'written ahead')")
	}, func(tx *Tx) error {
		check(tx, 1, "a")
		check(tx, 2, "b")
		check(tx, 3, "")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := db.RoundTrips() - before; n != 1 {
		t.Errorf("three reads ahead took %d round trips, want 1", n)
	}
	if err := db.View(ctx, func(tx *Tx) error { check(tx, 9, ""); return nil }); err != nil {
		t.Fatal(err)
	}

	// a read sent ahead that fn does not make is dropped with it
	err = db.ViewAhead(ctx, func(tx *Tx) {
		_, _ = read(tx, 1)
		_, _ = read(tx, 2)
	}, func(tx *Tx) error {
		check(tx, 1, "a")
		_, err := tx.ExecContext(ctx, "UPDATE va SET s = 'b2' WHERE id = 2")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.View(ctx, func(tx *Tx) error { check(tx, 2, "b2"); return nil }); err != nil { // the one connection
		t.Fatal(err)
	}

	// a failing statement fails the pipeline; each then runs on its own
	failing := func(tx *Tx) error { return tx.NewRaw("SELECT 1/(id-1) FROM va WHERE id = 1").Scan(ctx, new(int)) }
	before = db.RoundTrips()
	err = db.ViewAhead(ctx, func(tx *Tx) {
		_ = failing(tx)
		_, _ = read(tx, 1)
	}, func(tx *Tx) error {
		var pe *pgconn.PgError
		if err := failing(tx); !errors.As(err, &pe) || pe.Code != "22012" {
			t.Errorf("failing read: %v, want 22012", err)
		}
		check(tx, 1, "a")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := db.RoundTrips() - before; n != 3 {
		t.Errorf("a failed pipeline and two reads took %d round trips, want 3", n)
	}
}

// In a transaction, reads sent ahead go with the writes held before them,
// are answered once, are dropped by a write after them, and a failure of
// their pipeline is what the next query gets (not "transaction aborted").
func TestPGAheadInTransaction(t *testing.T) {
	ctx := context.Background()
	db := openPG(t)
	if _, err := db.w.ExecContext(ctx, `CREATE TEMP TABLE vt (id BIGINT PRIMARY KEY, s TEXT); INSERT INTO vt VALUES (1, 'a'), (2, 'b')`); err != nil {
		t.Fatal(err)
	}
	read := func(tx *Tx, id int64) (string, error) {
		var s string
		err := tx.NewRaw("SELECT s FROM vt WHERE id = ?", id).Scan(ctx, &s)
		return s, err
	}
	err := db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(laterWrites(ctx), "UPDATE vt SET s = 'a2' WHERE id = 1"); err != nil {
			return err
		}
		before := db.RoundTrips()
		tx.ahead(ctx, func() {
			_, _ = read(tx, 1)
			_, _ = read(tx, 2)
		})
		a, errA := read(tx, 1)
		b, errB := read(tx, 2)
		if errA != nil || errB != nil || a != "a2" || b != "b" {
			t.Errorf("reads ahead: %q %v, %q %v; want a2 (the held write's) and b", a, errA, b, errB)
		}
		if n := db.RoundTrips() - before; n != 1 {
			t.Errorf("a held write and two reads ahead took %d round trips, want 1", n)
		}
		tx.ahead(ctx, func() {
			_, _ = read(tx, 1)
			_, _ = read(tx, 2)
		})
		if _, err := tx.ExecContext(ctx, "UPDATE vt SET s = 'b2' WHERE id = 2"); err != nil {
			return err
		}
		if b, err := read(tx, 2); err != nil || b != "b2" {
			t.Errorf("a read after a write: %q %v, want b2 (not the rows read ahead of the write)", b, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	err = db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(laterWrites(ctx), "INSERT INTO vt VALUES (1, 'again')"); err != nil {
			return err
		}
		tx.ahead(ctx, func() {
			_, _ = read(tx, 1)
			_, _ = read(tx, 2)
		})
		_, err := read(tx, 1)
		return err
	})
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "23505" {
		t.Fatalf("a held write failing in the pipeline of reads ahead: %v, want its 23505", err)
	}
	if err := db.View(ctx, func(tx *Tx) error {
		if s, err := read(tx, 1); err != nil || s != "a2" {
			t.Errorf("after the failed transaction: %q %v, want a2", s, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// A held claim: a used key comes back as a replay whatever error the
// statement that carried it was turned into, another failure as itself,
// and the key is looked up on the transaction's own connection (with one
// connection in the pool, a second would never come).
func TestPGHeldClaim(t *testing.T) {
	ctx := context.Background()
	db := openPG(t)
	if _, err := db.w.ExecContext(ctx, `CREATE TEMP TABLE idempotency_keys (user_id BIGINT, key TEXT, request_hash TEXT,
		created_at TIMESTAMPTZ, status_code INT, response BYTEA, PRIMARY KEY (user_id, key))`); err != nil {
		t.Fatal(err)
	}
	run := func(key string, fn func(tx *Tx) error) (error, *Claim) {
		t.Helper()
		c := &Claim{UserID: 1, Key: key, Hash: "h"}
		done := make(chan error, 1)
		go func() { done <- db.Update(WithClaim(ctx, c), fn) }()
		select {
		case err := <-done:
			return err, c
		case <-time.After(20 * time.Second):
			t.Fatal("Update with a held claim did not return")
			return nil, nil
		}
	}
	if err, c := run("k1", func(tx *Tx) error { _, err := tx.ExecContext(ctx, "SELECT 1"); return err }); err != nil || !c.Committed() {
		t.Fatalf("first use of a key: %v, committed %v", err, c.Committed())
	}
	translated := errors.New("the statement's own error")
	err, c := run("k1", func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, "SELECT 1"); err != nil {
			return translated
		}
		return nil
	})
	if !errors.Is(err, ErrReplay) || !c.Replayed() {
		t.Errorf("a used key, its violation translated: %v (replayed %v), want ErrReplay", err, c.Replayed())
	}
	var pe *pgconn.PgError
	if err, c := run("k2", func(tx *Tx) error { _, err := tx.ExecContext(ctx, "SELECT 1/0"); return err }); !errors.As(err, &pe) || pe.Code != "22012" || c.Replayed() {
		t.Errorf("another failure with a fresh key: %v, want 22012 and no replay", err)
	}
	if err, _ := run("k2", func(tx *Tx) error { _, err := tx.ExecContext(ctx, "SELECT 1"); return err }); err != nil {
		t.Errorf("the key of a failed transaction is free again: %v", err)
	}
}

// After PostgreSQL ends every connection of the pool (as a restart does),
// the first read that finds one dead is asked again on a new one and the
// other dead ones are dropped, and a transaction or a view with reads
// ahead that failed on a dead connection runs again: no request fails for
// it.
func TestPGConnectionsEnded(t *testing.T) {
	ctx := context.Background()
	dsn := os.Getenv("JXC_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("JXC_TEST_POSTGRES not set")
	}
	app := "jxc_ended_" + itoa(int(time.Now().UnixNano()%1e9))
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	db, err := Open(ctx, dsn+sep+"application_name="+app, Options{MaxConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	table := app + "_t"
	if _, err := db.w.ExecContext(ctx, "CREATE TABLE "+table+" (id INT)"); err != nil {
		t.Fatal(err)
	}
	defer db.w.ExecContext(context.Background(), "DROP TABLE "+table) //nolint:errcheck // cleanup
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	end := func() {
		t.Helper()
		// four connections in the pool, each used again lately (pgx pings
		// one idle for over a second, or never used again), idle, then
		// ended by the server
		for range 3 {
			var wg sync.WaitGroup
			for range 4 {
				wg.Go(func() { _, _ = db.w.ExecContext(ctx, "SELECT pg_sleep(0.02)") })
			}
			wg.Wait()
		}
		if _, err := admin.ExecContext(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", app); err != nil {
			t.Fatal(err)
		}
		for range 100 {
			var n int
			if err := admin.QueryRowContext(ctx, "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", app).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatal("the connections did not end")
	}
	end()
	var n int
	if err := db.reread(func() error { return db.r.NewRaw("SELECT 1").Scan(ctx, &n) }); err != nil {
		t.Fatalf("the first read after the connections ended: %v", err)
	}
	for i := range 6 {
		if err := db.r.NewRaw("SELECT 1").Scan(ctx, &n); err != nil {
			t.Fatalf("read %d after the first: %v (a dead connection left in the pool)", i, err)
		}
	}
	end()
	if err := db.Update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO "+table+" VALUES (1)")
		return err
	}); err != nil {
		t.Fatalf("a transaction after the connections ended: %v", err)
	}
	if err := db.r.NewRaw("SELECT count(*) FROM "+table).Scan(ctx, &n); err != nil || n != 1 {
		t.Fatalf("rows after the transaction: %d, %v; want 1", n, err)
	}
	end()
	read := func(tx *Tx, q string) error { return tx.NewRaw(q).Scan(ctx, &n) }
	if err := db.ViewAhead(ctx, func(tx *Tx) {
		_ = read(tx, "SELECT 1")
		_ = read(tx, "SELECT 2")
	}, func(tx *Tx) error {
		if err := read(tx, "SELECT 1"); err != nil {
			return err
		}
		return read(tx, "SELECT 2")
	}); err != nil || n != 2 {
		t.Fatalf("reads ahead after the connections ended: %v", err)
	}
}

// The statements every posting runs are prepared once per connection and
// run on generic plans. The period lock and the stored answer went by the
// simple protocol, planned every time; the number's statement and the row
// locks read a set-returning function of a parameter, whose generic estimate
// (1,000 and 100 rows) made PostgreSQL plan them afresh on every run. Only
// a posting's transaction forces generic plans: elsewhere PostgreSQL still
// chooses.
func TestPGPlansOnce(t *testing.T) {
	ctx := context.Background()
	db := openPG(t) // one connection: its prepared statements are the pool's
	if _, err := db.w.ExecContext(ctx, `CREATE TEMP TABLE idempotency_keys (user_id BIGINT, key TEXT, status_code INT, response BYTEA, content_type TEXT);
		INSERT INTO idempotency_keys (user_id, key) VALUES (1, 'k');
		CREATE TEMP TABLE doc_sequences (company_id BIGINT, prefix TEXT, day DATE, last BIGINT, PRIMARY KEY (company_id, prefix, day));
		CREATE TEMP SEQUENCE documents_id_seq; CREATE TEMP SEQUENCE document_lines_id_seq;
		CREATE TEMP TABLE gp (id BIGINT PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	day := domain.NewDate(2026, time.December, 5)
	const unnest = "SELECT id FROM unnest(CAST(? AS BIGINT[])) AS k(id) CROSS JOIN LATERAL (SELECT id AS gid FROM gp WHERE gp.id = k.id) AS g"
	for i := range 7 {
		if err := db.Update(ctx, func(tx *Tx) error { return tx.periodLock(ctx, 1, false) }); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveResponse(ctx, &Claim{UserID: 1, Key: "k"}, 201, "application/json", []byte(`{"ok":true}`)); err != nil {
			t.Fatal(err)
		}
		if n, _, err := db.NextNumberIDs(ctx, 1, "RK", day, 3); err != nil || n != int64(i+1) {
			t.Fatalf("number %d, %v; want %d", n, err, i+1)
		}
		for _, posting := range []bool{true, false} {
			mark := map[bool]string{true: "-- a posting", false: "-- elsewhere"}[posting]
			err := db.Update(ctx, func(tx *Tx) error {
				if posting {
					if err := tx.genericPlans(ctx); err != nil {
						return err
					}
				}
				var ids []int64
				return tx.NewRaw(unnest+mark, pgdialect.Array([]int64{1, 2, 3})).Scan(ctx, &ids)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	var status int
	if err := db.r.NewRaw("SELECT status_code FROM idempotency_keys WHERE key = 'k'").Scan(ctx, &status); err != nil || status != 201 {
		t.Errorf("stored answer's status %d, %v; want 201", status, err)
	}
	var got []struct {
		Statement                 string
		GenericPlans, CustomPlans int
	}
	if err := db.r.NewRaw(`SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements
		WHERE statement LIKE '%pg_advisory_xact_lock_shared%' OR statement LIKE '%UPDATE idempotency_keys%'
		OR statement LIKE '%INSERT INTO doc_sequences%' OR statement LIKE '%unnest%' ORDER BY statement`).Scan(ctx, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"advisory": "", "idempotency": "", "doc_sequences": "generic", "-- a posting": "only generic", "-- elsewhere": "custom"}
	for _, g := range got {
		for k, w := range want {
			if !strings.Contains(g.Statement, k) {
				continue
			}
			delete(want, k)
			switch {
			case w == "generic" && g.GenericPlans == 0,
				w == "only generic" && (g.GenericPlans != 7 || g.CustomPlans != 0),
				w == "custom" && g.CustomPlans == 0:
				t.Errorf("%s: %d generic and %d custom plans in 7 runs, want %s plans", k, g.GenericPlans, g.CustomPlans, w)
			}
		}
	}
	if len(want) > 0 {
		t.Errorf("not prepared: %v (prepared: %+v)", want, got)
	}
}

// On PostgreSQL a stored answer costs no round trip of its own: it waits
// in memory, found there by a retry, and is written by the next
// transaction's COMMIT; a transaction that fails hands it back, and on an
// idle database a timer writes it alone; Close writes what waits.
func TestPGAnswersRideWithNextWrite(t *testing.T) {
	ctx := context.Background()
	admin := openPG(t)
	const schema = "jxc_answers_test"
	if _, err := admin.w.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE; CREATE SCHEMA `+schema+`;
		CREATE TABLE `+schema+`.idempotency_keys (user_id BIGINT, key TEXT, request_hash TEXT NOT NULL, status_code INT NOT NULL DEFAULT 0,
			response BYTEA, content_type TEXT NOT NULL DEFAULT '', created_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (user_id, key));
		CREATE TABLE `+schema+`.g (n BIGINT, CONSTRAINT g_n UNIQUE (n) DEFERRABLE INITIALLY DEFERRED)`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = admin.w.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`) })
	open := func() *DB {
		db, err := Open(ctx, os.Getenv("JXC_TEST_POSTGRES")+"&search_path="+schema, Options{MaxConns: 2})
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	db := open()
	defer func() { _ = db.Close() }()
	db.answers.setDelay(time.Hour) // nothing written alone until the idle check below
	stored := func(key string) (status int, body string) {
		t.Helper()
		var b []byte
		if err := admin.r.QueryRowContext(ctx, `SELECT status_code, COALESCE(response, '') FROM `+schema+`.idempotency_keys WHERE user_id = 1 AND key = ?`, key).Scan(&status, &b); err != nil {
			t.Fatalf("key %s: %v", key, err)
		}
		return status, string(b)
	}
	n := 0
	// A request: its claim commits with its change, then its answer is
	// saved; fail makes its COMMIT fail (a deferred unique check).
	request := func(key string, fail bool) (trips int64) {
		t.Helper()
		c := &Claim{UserID: 1, Key: key, Hash: "h-" + key}
		before := db.RoundTrips()
		n++
		err := db.Update(WithClaim(ctx, c), func(tx *Tx) error {
			q := "INSERT INTO g VALUES (?)"
			if fail {
				q = "INSERT INTO g VALUES (?), (?)"
			}
			_, err := tx.ExecContext(ctx, q, n, n)
			return err
		})
		if fail {
			if err == nil {
				t.Fatal("a failing commit succeeded")
			}
			return db.RoundTrips() - before
		}
		if err != nil || !c.Committed() {
			t.Fatalf("update %s: %v (committed %v)", key, err, c.Committed())
		}
		saved := db.RoundTrips()
		if err := db.SaveResponse(ctx, c, 201, "application/json", []byte(`{"k":"`+key+`"}`)); err != nil {
			t.Fatal(err)
		}
		if got := db.RoundTrips() - saved; got != 0 {
			t.Errorf("saving answer %s took %d round trips, want 0", key, got)
		}
		return db.RoundTrips() - before
	}

	alone := request("a", false)
	if st, _ := stored("a"); st != 0 {
		t.Fatalf("answer a written at once (status %d); it should wait for the next write", st)
	}
	r, err := db.LoadResponse(ctx, 1, "a")
	if err != nil || r.Status != 201 || string(r.Body) != `{"k":"a"}` || r.Hash != "h-a" {
		t.Fatalf("LoadResponse while waiting = %+v, %v", r, err)
	}
	if carrying := request("b", false); carrying != alone {
		t.Errorf("a request carrying an answer took %d round trips, one alone %d", carrying, alone)
	}
	if st, body := stored("a"); st != 201 || body != `{"k":"a"}` {
		t.Fatalf("answer a after the next write = %d %q", st, body)
	}
	db.answers.setDelay(time.Millisecond)
	request("x", true) // its COMMIT fails, and b's answer with it: b's answer is queued again
	if r, err := db.LoadResponse(ctx, 1, "b"); err != nil || r.Status != 201 {
		t.Errorf("answer b after a failed carrier: %+v, %v", r, err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for { // the database idle: the timer writes it alone after answerDelay
		if st, body := stored("b"); st == 201 && body == `{"k":"b"}` {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("answer b never written on an idle database")
		}
		time.Sleep(answerDelay)
	}
	db.answers.setDelay(time.Hour)
	request("c", false)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if st, body := stored("c"); st != 201 || body != `{"k":"c"}` {
		t.Fatalf("answer c after Close = %d %q", st, body)
	}
}

// Reads ahead that may leave a held document held (keepDocuments) leave
// its header and parts only when everything held after them may go first
// (laterAside); its header can then be rewritten until it is sent.
func TestTakeKeepsHeldDocument(t *testing.T) {
	held := func(kinds ...heldWrite) *pgStmtConn {
		c := &pgStmtConn{inTx: true}
		for i, h := range kinds {
			h.sql = fmt.Sprint("S", i)
			c.queue = append(c.queue, h)
		}
		return c
	}
	doc, part, aside, plain := heldWrite{doc: 7, header: true}, heldWrite{doc: 7}, heldWrite{aside: true}, heldWrite{}
	for _, tc := range []struct {
		name       string
		queue      []heldWrite
		keep       bool
		sent, kept []string
	}{
		{"asides after it", []heldWrite{plain, doc, part, aside, aside}, true, []string{"S0", "S3", "S4"}, []string{"S1", "S2"}},
		{"a plain write after it", []heldWrite{plain, doc, part, aside, plain}, true, []string{"S0", "S1", "S2", "S3", "S4"}, nil},
		{"not asked to keep", []heldWrite{plain, doc, part, aside}, false, []string{"S0", "S1", "S2", "S3"}, nil},
		{"no document", []heldWrite{plain, aside}, true, []string{"S0", "S1"}, nil},
	} {
		c := held(tc.queue...)
		sent := c.take(tc.keep)
		var kept []string
		for _, h := range c.queue {
			kept = append(kept, h.sql)
		}
		if !slices.Equal(sent, tc.sent) || !slices.Equal(kept, tc.kept) || !c.begun {
			t.Errorf("%s: sent %v and kept %v (begun %v), want %v and %v", tc.name, sent, kept, c.begun, tc.sent, tc.kept)
		}
		if got, want := c.replaceHeader(7, "NEW"), tc.kept != nil; got != want {
			t.Errorf("%s: header replaced %v, want %v", tc.name, got, want)
		} else if got && c.queue[0].sql != "NEW" {
			t.Errorf("%s: held header %q, want the new text", tc.name, c.queue[0].sql)
		}
	}
}
