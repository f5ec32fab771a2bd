package store

import (
	"container/list"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
)

// Prepared statements with generic plans on PostgreSQL.
//
// bun writes every argument into the SQL text, so with the simple query
// protocol PostgreSQL planned every statement afresh: planning one sales
// order's statements took longer than running them (docs/PERFORMANCE.md,
// "Third round"). This wrapper around pgx's driver turns the literals that
// sit where their type is plain from the statement — compared with a column,
// in an IN list, a value of an INSERT's VALUES, a CAST's operand —
// into parameters, and runs the statement through pgx's statement cache: the
// first run of a shape prepares it, later runs bind and execute, and after
// five runs PostgreSQL keeps a generic plan when it is no worse than the
// custom ones.
//
// The values are sent as text, so PostgreSQL reads each with the input
// function of the type it inferred, exactly as it reads an untyped literal
// there (a bytea's '\x…' included). Literals elsewhere stay as written: a
// select list's, a function's arguments, a CASE's results, arithmetic, where
// a parameter's type could not be inferred or would differ. Short lowercase
// words ('posted', 'sales_order') and empty strings stay literal too: they
// are the same in every run of a statement, and a generic plan can still
// match them against a partial index's predicate. So do a date compared by
// range (d < '2026-12-05') and LIMIT and OFFSET: a generic plan would guess
// how many rows they select, and a report over a range or a page needs the
// plan for its actual range; in the posting path such a date is today's,
// the same all day. A text with several
// statements, parameters already, or bulk sizes runs as written with the
// simple protocol.
//
// Set default_query_exec_mode in the database URL to turn this off (for a
// pooler in transaction mode that does not carry prepared statements).

// pgConn is what the wrapper needs of pgx's database/sql connection.
type pgConn interface {
	ctxConn
	driver.NamedValueChecker
}

// pgConnector opens pgx connections that prepare what they can.
type pgConnector struct {
	driver.Connector
	trips *atomic.Int64 // round trips to the server, counted for benchmarks
}

func newPGConnector(dsn string) (driver.Connector, error) {
	return stdlib.GetDefaultDriver().(driver.DriverContext).OpenConnector(dsn)
}

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	pc, ok := dc.(pgConn)
	if !ok {
		dc.Close()
		return nil, errors.New("pgx driver connection lacks a context method")
	}
	sc, ok := dc.(*stdlib.Conn)
	if !ok {
		dc.Close()
		return nil, errors.New("not a pgx connection")
	}
	return &pgStmtConn{pgConn: pc, pg: sc.Conn().PgConn(), conn: sc.Conn(), lru: list.New(), named: map[string]*list.Element{},
		trips: c.trips, planned: time.Now()}, nil
}

// pgStmtConn is one connection. database/sql uses it from one goroutine at
// a time.
type pgStmtConn struct {
	pgConn
	pg   *pgconn.PgConn
	buf  []byte
	vals []driver.NamedValue

	// The statements a pipeline (below) prepared, most recently used in
	// front, and those dropped from it, to be closed in the next one.
	lru   *list.List // of *pgNamed
	named map[string]*list.Element
	drop  []string
	seq   int

	inTx    bool
	queue   []heldWrite // writes held for the next statement or the commit (laterWrites)
	begun   bool        // the transaction's BEGIN has been sent (it waits in queue until then)
	trips   *atomic.Int64
	conn    *pgx.Conn
	planned time.Time // when its prepared statements were last dropped

	// Reads sent ahead (DB.ViewAhead): recording, the texts asked for while
	// record runs, none of them sent; ahead, the rows that came back for
	// them, each handed out once to the first query of its exact text.
	recording bool
	recorded  []string
	ahead     map[string]*pgRows
	aheadErr  error // a transaction's pipeline of reads ahead failed: the next query's answer
}

// errRecorded is what a statement gets while ViewAhead records: it was
// noted, not run.
var errRecorded = errors.New("store: read recorded to be sent ahead, not run")

// connectionEnded reports whether err says PostgreSQL ended the
// connection instead of running the statement (57P01 an administrator or
// a shutdown, 57P02 a crash of another backend, 57P03 not yet accepting).
func connectionEnded(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03")
}

// Recorded reports whether err is what a statement gets while ViewAhead
// records it: it never reached the server (statement counts skip it).
func Recorded(err error) bool { return errors.Is(err, errRecorded) }

// readAhead sends texts (SELECTs, distinct) in one pipeline and keeps
// their rows for the queries that ask for them next. Outside a
// transaction a pipeline that fails leaves nothing kept, and each query
// then runs as usual and meets its error itself — unless the server ended
// the connection: that error is kept for the next query, which would
// otherwise only meet "bad connection" (DB.terminated must see it).
//
// In a transaction the writes held so far go first in the pipeline, and a
// failure is kept for the next query to return: the transaction is aborted,
// and running the reads again would only say so.
func (c *pgStmtConn) readAhead(ctx context.Context, texts []string) {
	texts = slices.DeleteFunc(texts, func(t string) bool { _, ok := c.ahead[t]; return ok }) // read ahead already (Tx.PostingAhead)
	keep := ctx.Value(keepKey{}) != nil
	if len(texts) == 0 || len(texts) < 2 && !keep || !c.inTx && len(c.queue) > 0 {
		return // one read gains nothing from going ahead, unless it lets a held document wait
	}
	var parts []string
	if c.inTx {
		parts = c.take(keep)
	}
	held := len(parts)
	parts = append(parts, texts...)
	rows := make([]*pgRows, len(parts))
	for i := held; i < len(rows); i++ {
		rows[i] = &pgRows{}
	}
	if _, err := c.pipelineRows(ctx, parts, rows); err != nil {
		if c.inTx || connectionEnded(err) { // the server ended the connection: the next query says so, not "conn closed"
			c.aheadErr = err
		}
		return
	}
	if c.ahead == nil {
		c.ahead = make(map[string]*pgRows, len(texts))
	}
	for i, t := range texts {
		c.ahead[t] = rows[held+i]
	}
}

// pgPlanTTL is how long a connection keeps its prepared statements, and so
// PostgreSQL's generic plans for them. PostgreSQL plans a statement again
// only when its tables' statistics change, and autovacuum analyzes a table
// at most once a minute and only after a tenth of it changed: a table that
// grows fast from empty (a new company, an import, a load test on the demo)
// kept a plan made for a few rows — a shipment's credit read went on
// scanning every document. Dropping them every so often bounds that; what it
// costs is one prepare per statement shape and five planned runs of each
// again, per connection and period.
var pgPlanTTL = 10 * time.Second

// laterKey marks a context for held writes (laterWrites); its value is
// the heldWrite to fill in (the statement's text aside).
type laterKey struct{}

// heldWrite is a statement the connection holds (laterWrites). Most are
// plain: sent in order with the next statement. A document inserted with
// its ids known (Tx.CreateDocumentIDs) is marked, so that a posting's reads
// ahead may leave it held (take) and its header may be rewritten while it
// waits (replaceHeader): a document created and posted in one transaction
// is then inserted posted, as one row version, instead of inserted as a
// draft and updated.
type heldWrite struct {
	sql    string
	doc    int64 // the held document this inserts the header or a part of (laterDocument), or 0
	header bool  // it is the document's header row
	aside  bool  // it reads and writes nothing a held document's statements do (laterAside): it may go before them
}

// laterWrites marks ctx for writes whose results nobody reads (an audit
// row, a posting's ledger, balance and cost rows, reservations, the kept
// on-order figure). On PostgreSQL, inside a transaction, the connection holds
// them and sends them in the pipeline of the next write or of the COMMIT:
// round trips saved, and nothing between them could tell — a read on the
// transaction sends them first, and an error in one fails the statement or
// commit that carried it, which fails the transaction as it would have. The
// statements run in the order they were written. SQLite ignores it.
func laterWrites(ctx context.Context) context.Context {
	return context.WithValue(ctx, laterKey{}, heldWrite{})
}

// laterAside is laterWrites for a statement that reads and writes nothing
// of a document the transaction holds (laterDocument), and whose effect
// does not depend on whether those ran first: an audit row (audit_log has
// no foreign keys), a lock on a key or a customer's row, a SET LOCAL. It may
// go to the server before a held document's statements it was written after.
func laterAside(ctx context.Context) context.Context {
	return context.WithValue(ctx, laterKey{}, heldWrite{aside: true})
}

// laterDocument is laterWrites for the INSERT of document id's header
// (header true) or of rows belonging to it alone (its lines).
func laterDocument(ctx context.Context, id int64, header bool) context.Context {
	return context.WithValue(ctx, laterKey{}, heldWrite{doc: id, header: header})
}

// keepKey marks a context whose reads ahead may leave a held document's
// statements held (take).
type keepKey struct{}

// keepDocuments marks ctx for statements — reads ahead, or one read or
// write — that read and write nothing a held document's statements do, so
// that they may run before them: a posting's guard and row locks
// (Tx.PostingAhead, Tx.LockStock), an order's credit read and row locks
// (Tx.OrderAhead), the lock and the lines of the documents a new one
// follows (Tx.LockDocument, Tx.SourceLines).
func keepDocuments(ctx context.Context) context.Context {
	return context.WithValue(ctx, keepKey{}, true)
}

// BeginTx does not send the BEGIN: it waits at the head of the queue and
// goes in the pipeline of the transaction's first statement, a round trip
// saved per transaction. A transaction that sends nothing (every statement
// failed before reaching the server, or none ran) ends without a word to
// the server. Options pgx would refuse go its way.
func (c *pgStmtConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if c.recording {
		return nil, errRecorded
	}
	c.queue = c.queue[:0]
	begin, ok := pgBegin(opts)
	if !ok {
		c.trips.Add(1)
		t, err := c.pgConn.BeginTx(ctx, opts)
		if err != nil {
			return nil, err
		}
		c.inTx, c.begun = true, true
		return &pgTx{Tx: t, c: c, ctx: ctx}, nil
	}
	if c.pg.TxStatus() != 'I' { // what pgx's BeginTx would have found out
		return nil, driver.ErrBadConn
	}
	c.queue = append(c.queue, heldWrite{sql: begin})
	c.inTx, c.begun = true, false
	return &pgTx{c: c, ctx: ctx}, nil
}

// pgBegin is the BEGIN for opts; ok is false for an isolation level it
// does not know.
func pgBegin(opts driver.TxOptions) (string, bool) {
	b := "BEGIN"
	switch sql.IsolationLevel(opts.Isolation) {
	case sql.LevelDefault:
	case sql.LevelReadCommitted:
		b += " ISOLATION LEVEL READ COMMITTED"
	case sql.LevelRepeatableRead, sql.LevelSnapshot:
		b += " ISOLATION LEVEL REPEATABLE READ"
	case sql.LevelSerializable:
		b += " ISOLATION LEVEL SERIALIZABLE"
	default:
		return "", false
	}
	if opts.ReadOnly {
		b += " READ ONLY"
	}
	return b, true
}

// take hands over what the connection holds, to be sent now; the BEGIN
// among it, if it was, is sent with it. With keep, the statements of a held
// document stay held when everything held after the first of them is one of
// them or aside: what is sent then runs as it would have after them.
func (c *pgStmtConn) take(keep bool) []string {
	first := -1
	if keep {
		first = slices.IndexFunc(c.queue, func(h heldWrite) bool { return h.doc != 0 })
		if first >= 0 && slices.ContainsFunc(c.queue[first:], func(h heldWrite) bool { return h.doc == 0 && !h.aside }) {
			first = -1
		}
	}
	parts := make([]string, 0, len(c.queue)+1)
	kept := 0
	for i, h := range c.queue {
		if first >= 0 && i >= first && h.doc != 0 {
			c.queue[kept] = h
			kept++
			continue
		}
		parts = append(parts, h.sql)
	}
	clear(c.queue[kept:])
	c.queue = c.queue[:kept]
	if c.inTx && len(parts) > 0 {
		c.begun = true
	}
	return parts
}

// replaceHeader replaces the held INSERT of document id's header with
// sql, reporting whether it was still held. Its place in the queue is
// kept: what was held after it (the lines, the ledger, the lines' costs)
// still runs after it. Only Tx.SetDocState changes a held header, and it
// is the only held write of a documents row: every other is sent at once,
// which sends the held INSERT before it, so a rewritten INSERT never
// overtakes an update of its own row.
func (c *pgStmtConn) replaceHeader(id int64, sql string) bool {
	for i, h := range c.queue {
		if h.doc == id && h.header {
			c.queue[i].sql = sql
			return true
		}
	}
	return false
}

// pgTx commits what its connection holds together with the COMMIT. Tx is
// pgx's transaction when the BEGIN was sent by pgx, nil when it waited in
// the queue.
type pgTx struct {
	driver.Tx
	c   *pgStmtConn
	ctx context.Context
}

func (t *pgTx) Commit() error {
	c := t.c
	c.inTx = false
	if !c.begun && len(c.queue) <= 1 { // nothing but the BEGIN: nothing to commit
		c.queue = c.queue[:0]
		return nil
	}
	if len(c.queue) == 0 && t.Tx != nil {
		c.trips.Add(1)
		return t.Tx.Commit()
	}
	parts := append(c.take(false), "COMMIT")
	tag, err := c.pipeline(t.ctx, parts, nil)
	if err != nil {
		if c.pg.TxStatus() != 'I' { // a held write failed and the COMMIT was skipped: end the transaction
			_ = c.rollback(t.ctx)
		}
		return err
	}
	if tag.String() == "ROLLBACK" { // the transaction had failed before: PostgreSQL rolled it back, as pgx reports
		return pgx.ErrTxCommitRollback
	}
	return nil // the pipeline's COMMIT ended it; pgx's transaction, if any, holds no other state
}

func (t *pgTx) Rollback() error {
	c := t.c
	c.inTx = false
	c.queue = c.queue[:0]
	if !c.begun { // nothing reached the server
		return nil
	}
	if t.Tx != nil {
		c.trips.Add(1)
		return t.Tx.Rollback()
	}
	return c.rollback(t.ctx)
}

// rollback ends the transaction on the server. It does not heed ctx's
// cancellation: database/sql rolls back when the request's context ends,
// and a transaction left open on a connection that goes back to the pool
// would hold its locks until the connection is next used (a load run's
// cancelled requests stalled the next ones for seconds that way —
// TestPGRollbackAfterCancel). A connection whose transaction cannot be
// ended is closed, which ends it, as pgx does.
func (c *pgStmtConn) rollback(ctx context.Context) error {
	if c.pg.IsClosed() {
		return driver.ErrBadConn
	}
	c.trips.Add(1)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), pgRollbackWait)
	defer cancel()
	if err := c.pg.Exec(ctx, "ROLLBACK").Close(); err != nil {
		_ = c.pg.Close(ctx)
		return driver.ErrBadConn
	}
	return nil
}

// pgRollbackWait bounds a ROLLBACK; past it the connection is closed.
const pgRollbackWait = 5 * time.Second

// ResetSession runs when database/sql hands the connection out again,
// outside any transaction: the moment to drop statements past pgPlanTTL.
func (c *pgStmtConn) ResetSession(ctx context.Context) error {
	c.inTx, c.begun, c.queue = false, false, c.queue[:0]
	c.recording, c.recorded, c.ahead, c.aheadErr = false, nil, nil, nil
	if err := c.pgConn.ResetSession(ctx); err != nil {
		return err
	}
	if time.Since(c.planned) < pgPlanTTL {
		return nil
	}
	c.planned = time.Now()
	c.trips.Add(1)
	if err := c.conn.DeallocateAll(ctx); err != nil { // pgx's caches and ours, on the server too
		return driver.ErrBadConn
	}
	c.lru.Init()
	clear(c.named)
	c.drop = c.drop[:0]
	return nil
}

// flush sends the held writes (but a held document's, when ctx allows and
// they may wait: take).
func (c *pgStmtConn) flush(ctx context.Context) error {
	if len(c.queue) == 0 {
		return nil
	}
	parts := c.take(ctx.Value(keepKey{}) != nil)
	if len(parts) == 0 {
		return nil
	}
	_, err := c.pipeline(ctx, parts, nil)
	return err
}

// pipelineExec is pipeline for ExecContext.
func (c *pgStmtConn) pipelineExec(ctx context.Context, parts []string) (driver.Result, error) {
	tag, err := c.pipeline(ctx, parts, nil)
	if err != nil {
		return nil, err
	}
	return driver.RowsAffected(tag.RowsAffected()), nil
}

type pgNamed struct{ sql, name string }

// pgRefused holds parameterised texts PostgreSQL would not prepare; they run
// as written from then on. Shared by every connection.
var (
	pgRefused  sync.Map
	pgRefusedN atomic.Int64
)

func (c *pgStmtConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if c.recording { // reads only: nothing is written ahead
		return nil, errRecorded
	}
	c.ahead = nil // rows read before a write are not what a read after it would see
	// Outside a transaction several statements stay one simple-protocol
	// message: PostgreSQL runs that as one implicit transaction, where SET
	// LOCAL applies (the idempotency answer's synchronous_commit); a
	// pipeline's statements would each be on their own. A single statement
	// with nothing held is not split: it is scanned once, by params.
	if c.inTx && len(args) == 0 && len(query) <= stmtCacheText {
		mark, held := ctx.Value(laterKey{}).(heldWrite)
		if held || len(c.queue) > 0 || strings.IndexByte(query, ';') >= 0 {
			parts := splitStatements(query)
			if held && len(parts) > 0 {
				for _, p := range parts {
					mark.sql = p
					c.queue = append(c.queue, mark)
				}
				return driver.RowsAffected(0), nil
			}
			if len(parts) > 1 || len(parts) == 1 && len(c.queue) > 0 {
				return c.pipelineExec(ctx, append(c.take(ctx.Value(keepKey{}) != nil), parts...))
			}
		}
	}
	norm, vals, ok, err := c.next(ctx, query, args)
	if err != nil {
		return nil, err
	}
	if !ok {
		return c.pgConn.ExecContext(ctx, query, args)
	}
	r, err := c.pgConn.ExecContext(ctx, norm, vals)
	refuse(norm, err)
	return r, err
}

// next readies one statement to run on its own: it sends what is held
// first, counts the round trip and parameterises the text (ok false: run it
// as written).
func (c *pgStmtConn) next(ctx context.Context, query string, args []driver.NamedValue) (string, []driver.NamedValue, bool, error) {
	if err := c.flush(ctx); err != nil {
		return "", nil, false, err
	}
	c.trips.Add(1)
	norm, vals, ok := c.params(query, args)
	return norm, vals, ok, nil
}

func (c *pgStmtConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if c.recording {
		if len(args) == 0 && !slices.Contains(c.recorded, query) {
			c.recorded = append(c.recorded, query)
		}
		return nil, errRecorded
	}
	if err := c.aheadErr; err != nil {
		c.aheadErr = nil
		return nil, err
	}
	if rows, ok := c.ahead[query]; ok && len(args) == 0 {
		delete(c.ahead, query)
		return rows, nil
	}
	// A read after held writes (or the BEGIN) goes in their pipeline:
	// PostgreSQL runs it after them, so it sees them, and its rows come
	// back in the same round trip. They are read whole (pgRows): these are
	// a posting's reads, a document's worth of rows.
	if c.inTx && len(c.queue) > 0 && len(args) == 0 && len(query) <= stmtCacheText {
		if parts := splitStatements(query); len(parts) == 1 {
			rows := &pgRows{}
			if _, err := c.pipeline(ctx, append(c.take(ctx.Value(keepKey{}) != nil), parts[0]), rows); err != nil {
				return nil, err
			}
			return rows, nil
		}
	}
	norm, vals, ok, err := c.next(ctx, query, args)
	if err != nil {
		return nil, err
	}
	if !ok {
		return c.pgConn.QueryContext(ctx, query, args)
	}
	r, err := c.pgConn.QueryContext(ctx, norm, vals)
	refuse(norm, err)
	return r, err
}

// refuse remembers a text PostgreSQL could not type with parameters (err
// nil: nothing to remember). The statement failed (inside a transaction it
// aborted it); the next one of the same shape runs as written.
func refuse(norm string, err error) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "42P18" || pe.Code == "42P08" || pe.Code == "42804" || pe.Code == "42883" || pe.Code == "42725") {
		if pgRefusedN.Add(1) > stmtCacheRefuse { // bounded, as SQLite's list is
			pgRefused.Clear()
			pgRefusedN.Store(1)
		}
		pgRefused.Store(norm, struct{}{})
	}
}

// params returns the parameterised text and the values to bind, led by the
// mode that sends it through pgx's statement cache; ok is false when query
// is to run as written.
func (c *pgStmtConn) params(query string, args []driver.NamedValue) (string, []driver.NamedValue, bool) {
	if len(args) > 0 || len(query) > stmtCacheText {
		return "", nil, false
	}
	norm, vals, ok := appendPGParams(c.buf[:0], c.vals[:0], query)
	c.buf, c.vals = norm, vals
	if !ok || len(vals) == 1 || len(vals) > stmtCacheArgs { // vals[0] is the mode: nothing to bind
		return "", nil, false
	}
	key := string(norm)
	if _, refused := pgRefused.Load(key); refused {
		return "", nil, false
	}
	return key, vals, true
}

// pipeline runs several writes (store's execAll) of a transaction in one
// round trip (and, rows not nil, a read after them: its rows are read into
// rows), as the simple protocol did with them joined by semicolons, but
// each parameterised
// and prepared once per connection: the statements new to the connection
// are prepared, then every one is bound and executed, and one Sync ends
// them. Inside a transaction they are part of it; the first error skips the
// rest, as it did. It answers with the last statement's count.
func (c *pgStmtConn) pipeline(ctx context.Context, parts []string, rows *pgRows) (pgconn.CommandTag, error) {
	if rows == nil {
		return c.pipelineRows(ctx, parts, nil)
	}
	into := make([]*pgRows, len(parts))
	into[len(parts)-1] = rows
	return c.pipelineRows(ctx, parts, into)
}

// pipelineRows is pipeline reading the rows of parts[i] into rows[i] where
// that is not nil (rows nil: none).
func (c *pgStmtConn) pipelineRows(ctx context.Context, parts []string, rows []*pgRows) (pgconn.CommandTag, error) {
	type run struct {
		name, sql string
		args      [][]byte
	}
	var (
		runs     = make([]run, 0, len(parts))
		prepared []*pgNamed
	)
	fresh := map[string]*pgNamed{} // shapes prepared by this pipeline, each once
	for _, part := range parts {
		norm, vals, ok := c.params(part, nil)
		if !ok {
			runs = append(runs, run{sql: part}) // as written, planned afresh
			continue
		}
		args := make([][]byte, len(vals)-1)
		for i, v := range vals[1:] {
			args[i] = []byte(v.Value.(string))
		}
		n := fresh[norm]
		if e, ok := c.named[norm]; ok {
			c.lru.MoveToFront(e)
			n = e.Value.(*pgNamed)
		} else if n == nil {
			c.seq++
			n = &pgNamed{sql: norm, name: "jxc_" + string(appendInt(nil, c.seq))}
			fresh[norm] = n
			prepared = append(prepared, n)
		}
		runs = append(runs, run{name: n.name, sql: n.sql, args: args})
	}
	// A BEGIN goes first: a statement prepared before it, in the same
	// implicit transaction, would have taken a snapshot, and PostgreSQL
	// refuses an isolation level after one.
	lead := 0
	if len(runs) > 0 && runs[0].name == "" && strings.HasPrefix(runs[0].sql, "BEGIN") {
		lead = 1
	}
	send := func(p *pgconn.Pipeline, runs []run) {
		for _, r := range runs {
			if r.name == "" {
				p.SendQueryParams(r.sql, nil, nil, nil, nil)
			} else {
				p.SendQueryPrepared(r.name, r.args, nil, nil)
			}
		}
	}
	c.trips.Add(1)
	p := c.pg.StartPipeline(ctx)
	send(p, runs[:lead])
	for _, name := range c.drop {
		p.SendDeallocate(name)
	}
	for _, n := range prepared {
		p.SendPrepare(n.name, n.sql, nil)
	}
	send(p, runs[lead:])
	if err := p.Sync(); err != nil {
		p.Close()
		return pgconn.CommandTag{}, err
	}
	fail := func(err error) (pgconn.CommandTag, error) {
		p.Close() // reads what is left up to the Sync
		return pgconn.CommandTag{}, err
	}
	if lead > 0 {
		if _, err := c.result(p, nil); err != nil {
			return fail(err)
		}
	}
	for range c.drop {
		if _, err := p.GetResults(); err != nil {
			return fail(err)
		}
	}
	c.drop = c.drop[:0]
	for _, n := range prepared {
		if _, err := p.GetResults(); err != nil {
			refuse(n.sql, err)
			return fail(err)
		}
		c.named[n.sql] = c.lru.PushFront(n)
		for c.lru.Len() > stmtCacheSize {
			old := c.lru.Remove(c.lru.Back()).(*pgNamed)
			delete(c.named, old.sql)
			c.drop = append(c.drop, old.name)
		}
	}
	var tag pgconn.CommandTag
	for i := lead; i < len(runs); i++ {
		var into *pgRows
		if rows != nil {
			into = rows[i]
		}
		var err error
		if tag, err = c.result(p, into); err != nil {
			return fail(err)
		}
	}
	if _, err := p.GetResults(); err != nil { // the Sync
		return fail(err)
	}
	if err := p.Close(); err != nil {
		return pgconn.CommandTag{}, err
	}
	return tag, nil
}

// result reads the next statement's result of p, its rows into rows when
// that is not nil.
func (c *pgStmtConn) result(p *pgconn.Pipeline, rows *pgRows) (pgconn.CommandTag, error) {
	res, err := p.GetResults()
	if err != nil {
		return pgconn.CommandTag{}, err
	}
	rr, ok := res.(*pgconn.ResultReader)
	if !ok {
		return pgconn.CommandTag{}, errors.New("pipeline: unexpected result")
	}
	if rows != nil {
		if err := rows.read(c.conn.TypeMap(), rr); err != nil {
			_, _ = rr.Close()
			return pgconn.CommandTag{}, err
		}
	}
	return rr.Close()
}

// splitStatements splits q at the semicolons outside quotes and comments,
// leaving out empty statements.
func splitStatements(q string) []string {
	var parts []string
	start := 0
	cut := func(end int) {
		if p := strings.TrimSpace(q[start:end]); p != "" {
			parts = append(parts, p)
		}
		start = end + 1
	}
	for i := 0; i < len(q); {
		switch c := q[i]; {
		case c == '\'' || c == '"':
			_, n, ok := readQuoted(q[i:], c)
			if !ok {
				return nil
			}
			i += n
		case commentAt(q, i):
			n := commentLen(q[i:])
			if n < 0 {
				return nil
			}
			i += n
		case c == '$':
			return nil // dollar quoting: left to the server
		case c == ';':
			cut(i)
			i++
		default:
			i++
		}
	}
	cut(len(q))
	return parts
}

// pgLiteral is what the scanner knows of the last significant token.
type pgToken int

const (
	tokOther   pgToken = iota
	tokName            // an identifier, a quoted identifier or a closing parenthesis: something with a type
	tokCompare         // = <> !=
	tokRange           // < > <= >=
	tokOpen            // (
	tokComma           // ,
	tokIn              // IN
	tokCast            // CAST
	tokValues          // VALUES
)

// Parenthesis kinds: what a literal directly inside takes its type from.
const (
	parenOther = iota
	parenIn
	parenValues
	parenCast
)

// appendPGParams appends to b the text q with its literals that sit where
// PostgreSQL infers their type from the statement replaced by $1, $2, …, and
// appends their texts to vals after the exec mode. ok is false for a text
// that is not one SELECT, INSERT, UPDATE, DELETE or WITH, or already has
// parameters.
func appendPGParams(b []byte, vals []driver.NamedValue, q string) ([]byte, []driver.NamedValue, bool) {
	if !pgCacheable(q) {
		return b, vals, false
	}
	vals = append(vals, driver.NamedValue{Ordinal: 1, Value: pgx.QueryExecModeCacheStatement})
	var (
		prev, prev2 = tokOther, tokOther
		parens      = make([]byte, 0, 8) // kind of each open parenthesis
		insert      bool                 // an INSERT at depth 0
		insValues   bool                 // reading that INSERT's VALUES rows
		n           = 0                  // parameters so far
	)
	kind := func() byte {
		if len(parens) == 0 {
			return parenOther
		}
		return parens[len(parens)-1]
	}
	push := func(t pgToken) { prev2, prev = prev, t }
	// param decides whether a literal ending at end becomes a parameter.
	param := func(end int) bool {
		ok := false
		switch {
		case (prev == tokCompare || prev == tokRange) && prev2 == tokName:
			ok = true
		case (prev == tokOpen || prev == tokComma) && (kind() == parenIn || kind() == parenValues):
			ok = true
		case prev == tokOpen && kind() == parenCast:
			return nextWord(q[end:], "AS")
		}
		return ok && plainNext(q[end:])
	}
	add := func(v string) {
		n++
		vals = append(vals, driver.NamedValue{Ordinal: len(vals) + 1, Value: v})
		b = append(b, '$')
		b = appendInt(b, n)
	}
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == '\'':
			s, w, ok := readQuoted(q[i:], '\'')
			if !ok {
				return b, vals, false
			}
			prefixed := i > 0 && isIdentByte(q[i-1]) // E'…', B'…', U&'…': as written
			if !prefixed && !constantWord(s) && !(prev == tokRange && isDate(s)) && param(i+w) {
				add(s)
			} else {
				b = append(b, q[i:i+w]...)
			}
			i += w
			push(tokOther)
		case c == '"':
			_, w, ok := readQuoted(q[i:], '"')
			if !ok {
				return b, vals, false
			}
			b = append(b, q[i:i+w]...)
			i += w
			push(tokName)
		case commentAt(q, i):
			n := commentLen(q[i:])
			if n < 0 {
				return b, vals, false
			}
			b = append(b, q[i:i+n]...)
			i += n
		case c == ';' || c == '$':
			return b, vals, false // a second statement, parameters or a dollar-quoted text
		case isDigit(c) || c == '-' && i+1 < len(q) && isDigit(q[i+1]) && (prev == tokOpen || prev == tokComma || prev == tokCompare || prev == tokRange):
			j := i + 1
			for j < len(q) && isDigit(q[j]) {
				j++
			}
			plain := true
			if j < len(q) && q[j] == '.' {
				for j++; j < len(q) && isDigit(q[j]); j++ {
				}
			}
			for j < len(q) && (isIdentByte(q[j]) || q[j] == '.') { // 1e5, 0x1F: as written
				j++
				plain = false
			}
			if plain && param(j) {
				add(q[i:j])
			} else {
				b = append(b, q[i:j]...)
			}
			i = j
			push(tokOther)
		case isIdentByte(c):
			j := i
			for j < len(q) && isIdentByte(q[j]) {
				j++
			}
			w := q[i:j]
			b = append(b, w...)
			i = j
			t := tokName
			switch k := keywordOf(w); {
			case k == kwIn:
				t = tokIn
			case k == kwCast:
				t = tokCast
			case k == kwValues:
				t = tokValues
				insValues = insert && len(parens) == 0
			case k == kwInsert:
				insert = insert || len(parens) == 0
				t = tokOther
			case len(parens) == 0 && (k == kwOn || k == kwReturning || k == kwSelect):
				insValues = false
				t = tokOther
			case k == kwOn || k == kwSelect || k == kwOther:
				t = tokOther
			}
			push(t)
		case c == '(':
			k := byte(parenOther)
			switch {
			case prev == tokIn:
				k = parenIn
			case prev == tokCast:
				k = parenCast
			case insValues && len(parens) == 0 && (prev == tokValues || prev == tokComma):
				k = parenValues
			}
			parens = append(parens, k)
			b = append(b, c)
			i++
			push(tokOpen)
		case c == ')':
			if len(parens) > 0 {
				parens = parens[:len(parens)-1]
			}
			b = append(b, c)
			i++
			push(tokName)
		case c == ',':
			b = append(b, c)
			i++
			push(tokComma)
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			b = append(b, c)
			i++
		case isOpByte(c):
			j := i
			for j < len(q) && isOpByte(q[j]) && !(q[j] == '-' && j+1 < len(q) && q[j+1] == '-') {
				j++
			}
			op := q[i:j]
			b = append(b, op...)
			i = j
			switch op {
			case "=", "<>", "!=":
				push(tokCompare)
			case "<", ">", "<=", ">=":
				push(tokRange)
			default:
				push(tokOther)
			}
		default:
			b = append(b, c)
			i++
			push(tokOther)
		}
	}
	return b, vals, true
}

// pgCacheable reports whether q is one statement that reads or writes rows.
func pgCacheable(q string) bool {
	return startsWithOneOf(q, "SELECT", "INSERT", "UPDATE", "DELETE", "WITH")
}

// plainNext reports whether what follows a literal ends it as a value: a
// comma, a closing parenthesis, the end, or a word that starts the next
// clause. An operator or a cast after it (5 + x, '1'::int) keeps it literal.
func plainNext(s string) bool {
	for s = strings.TrimLeft(s, " \t\r\n"); commentAt(s, 0); s = strings.TrimLeft(s, " \t\r\n") {
		n := commentLen(s)
		if n < 0 {
			return false
		}
		s = s[n:]
	}
	if s == "" || s[0] == ',' || s[0] == ')' {
		return true
	}
	j := 0
	for j < len(s) && isIdentByte(s[j]) {
		j++
	}
	w := s[:j]
	for _, k := range [...]string{"AND", "OR", "ORDER", "GROUP", "HAVING", "LIMIT", "OFFSET", "RETURNING",
		"FOR", "ON", "WHERE", "FROM", "DO", "WHEN", "THEN", "ELSE", "END", "UNION", "EXCEPT", "INTERSECT"} {
		if strings.EqualFold(w, k) {
			return true
		}
	}
	return false
}

// nextWord reports whether the next word of s is w.
func nextWord(s, w string) bool {
	s = strings.TrimLeft(s, " \t\r\n")
	return len(s) > len(w) && strings.EqualFold(s[:len(w)], w) && !isIdentByte(s[len(w)])
}

// constantWord reports whether a string literal is one the code writes the
// same in every run: empty, or a short lowercase word such as a state or a
// type ('posted', 'sales_order').
func constantWord(s string) bool {
	if len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '_' && (c < 'a' || c > 'z') {
			return false
		}
	}
	return true
}

// isDate reports whether s is a date alone, 2026-12-05.
func isDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i != 4 && i != 7 && !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// The words appendPGParams tells apart, case-insensitively.
const (
	kwNone = iota
	kwIn
	kwCast
	kwValues
	kwInsert
	kwOn
	kwSelect
	kwReturning
	kwOther // a keyword that leaves no typed value before a comparison
)

// keywordOf classifies an identifier-shaped word. Every word of every
// statement comes here, so it upper-cases a short word once and switches on
// it, instead of folding it against each keyword in turn (that was a twentieth
// of the server's CPU in a profile of receipts).
func keywordOf(w string) int {
	var up [len("RETURNING")]byte
	if len(w) < 2 || len(w) > len(up) {
		return kwNone
	}
	for i := range len(w) {
		c := w[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		up[i] = c
	}
	switch string(up[:len(w)]) {
	case "IN":
		return kwIn
	case "CAST":
		return kwCast
	case "VALUES":
		return kwValues
	case "INSERT":
		return kwInsert
	case "ON":
		return kwOn
	case "SELECT":
		return kwSelect
	case "RETURNING":
		return kwReturning
	case "NULL", "TRUE", "FALSE", "NOT", "AND", "OR", "WHERE", "SET", "WHEN", "THEN", "ELSE", "CASE", "END", "AS", "BY", "IS", "DEFAULT":
		return kwOther
	}
	return kwNone
}

func isOpByte(c byte) bool {
	return strings.IndexByte("+-*/<>=~!@#%^&|`?:.[]", c) >= 0
}

func appendInt(b []byte, n int) []byte {
	if n >= 10 {
		b = appendInt(b, n/10)
	}
	return append(b, byte('0'+n%10))
}

// PGStatementShape is the text this file prepares for q on PostgreSQL (q
// itself when it runs as written): two statements of one shape share a
// prepared statement and its plan. For tests that keep the posting paths'
// shapes from depending on which items a document names.
func PGStatementShape(q string) string {
	b, _, ok := appendPGParams(nil, nil, q)
	if !ok {
		return q
	}
	return string(b)
}

// pgRows are the rows of a read that ran in a pipeline, read whole, each
// value converted as pgx's database/sql driver converts it (stdlib.Rows),
// so that scanning them is the same as scanning its rows. The pipeline
// asks for text results; pgx's type map reads text as it reads binary.
type pgRows struct {
	cols []string
	rows [][]driver.Value
	next int
}

func (r *pgRows) read(m *pgtype.Map, rr *pgconn.ResultReader) error {
	fields := rr.FieldDescriptions()
	conv := make([]func([]byte) (driver.Value, error), len(fields))
	r.cols = make([]string, len(fields))
	for i, fd := range fields {
		r.cols[i] = fd.Name
		conv[i] = pgValue(m, fd.DataTypeOID, fd.Format)
	}
	for rr.NextRow() {
		raw := rr.Values()
		row := make([]driver.Value, len(raw))
		for i, v := range raw {
			if v == nil {
				continue
			}
			var err error
			if row[i], err = conv[i](v); err != nil {
				return fmt.Errorf("convert field %d failed: %w", i, err)
			}
		}
		r.rows = append(r.rows, row)
	}
	return nil // an error ends the rows and is the ResultReader's Close's
}

func (r *pgRows) Columns() []string { return r.cols }

func (r *pgRows) Close() error { r.rows, r.next = nil, 0; return nil }

func (r *pgRows) Next(dest []driver.Value) error {
	if r.next >= len(r.rows) {
		return io.EOF
	}
	copy(dest, r.rows[r.next])
	r.next++
	return nil
}

// pgValue converts a column of type oid to the driver.Value stdlib.Rows
// gives for it.
func pgValue(m *pgtype.Map, oid uint32, format int16) func([]byte) (driver.Value, error) {
	switch oid {
	case pgtype.BoolOID:
		return pgScan(m, oid, format, func(d bool) (driver.Value, error) { return d, nil })
	case pgtype.ByteaOID, pgtype.JSONOID, pgtype.JSONBOID, pgtype.XMLOID:
		// a fresh slice per value: the rows are kept
		return pgScan(m, oid, format, func(d []byte) (driver.Value, error) { return slices.Clone(d), nil })
	case pgtype.CIDOID, pgtype.OIDOID, pgtype.XIDOID:
		return pgScan(m, oid, format, pgtype.Uint32.Value)
	case pgtype.DateOID:
		return pgScan(m, oid, format, pgtype.Date.Value)
	case pgtype.TimestampOID:
		return pgScan(m, oid, format, pgtype.Timestamp.Value)
	case pgtype.TimestamptzOID:
		return pgScan(m, oid, format, pgtype.Timestamptz.Value)
	case pgtype.Float4OID: // no jxc column is a float: converted as stdlib does, for completeness
		return pgScan(m, oid, format, func(d float32) (driver.Value, error) { return float64(d), nil })
	case pgtype.Float8OID:
		return pgScan(m, oid, format, func(d float64) (driver.Value, error) { return d, nil })
	case pgtype.Int2OID:
		return pgScan(m, oid, format, func(d int16) (driver.Value, error) { return int64(d), nil })
	case pgtype.Int4OID:
		return pgScan(m, oid, format, func(d int32) (driver.Value, error) { return int64(d), nil })
	case pgtype.Int8OID:
		return pgScan(m, oid, format, func(d int64) (driver.Value, error) { return d, nil })
	default:
		return pgScan(m, oid, format, func(d string) (driver.Value, error) { return d, nil })
	}
}

// pgScan reads a value into a T with pgx's plan for oid and format, and
// hands it to out.
func pgScan[T any](m *pgtype.Map, oid uint32, format int16, out func(T) (driver.Value, error)) func([]byte) (driver.Value, error) {
	var d T
	plan := m.PlanScan(oid, format, &d)
	return func(src []byte) (driver.Value, error) {
		if err := plan.Scan(src, &d); err != nil {
			return nil, err
		}
		return out(d)
	}
}
