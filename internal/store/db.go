// Package store owns every line of SQL in jxc. It speaks SQLite (modernc,
// pure Go) and PostgreSQL (pgx) through one code path built on bun; the few
// places where the dialects differ say so next to the SQL. It knows nothing
// about HTTP and holds no business rules: it loads and saves what service
// and domain decide.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/jxc-erp/jxc/internal/domain"
)

//go:embed migrations
var migrations embed.FS

// Dialect names the database engine.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is the database: one writer and a reader pool on SQLite (WAL allows
// readers beside the single writer), one pool on PostgreSQL.
type DB struct {
	dialect Dialect
	w       *bun.DB
	hooks   atomic.Pointer[[]bun.QueryHook] // AddQueryHook's, for the statements that go past bun (Tx.queryBound)
	r       *bun.DB
	now     func() time.Time
	commits chan *commitReq // SQLite's group-commit writer; nil: one commit per Update
	file    *os.File        // SQLite: the database file, locked shared while open (restore takes it exclusive)
	stop    chan struct{}
	stopped chan struct{}
	answers answerQueue  // stored answers waiting to ride with the next write (SaveResponse)
	trips   atomic.Int64 // PostgreSQL round trips through pgcache.go's connections
	auth    atomic.Int64 // AuthEpoch
	// masterEpoch is MasterEpoch; master holds what Views read of master data (mastercache.go).
	masterEpoch   atomic.Int64
	masterWriting atomic.Int64 // Updates that wrote master data and have not yet been counted in masterEpoch
	master        masterCache
	conns         int           // the pool's size
	ckdsn         string        // SQLite with group commit: the checkpointer's connection (checkpointer.go)
	ckKick        chan struct{} // a commit happened: the checkpointer may have pages to copy
	ckStopped     chan struct{}
}

// AuthEpoch counts the Updates of this process that changed who may act
// or how — a user, a role, a session, an API token or a company written —
// each counted once it has committed or failed. A reader that notes the
// epoch before it reads who a caller is may keep the answer while the epoch
// stays the same: nothing this process wrote since can have changed it.
// Other processes' writes are not counted (service's caller cache bounds
// those by time).
func (db *DB) AuthEpoch() int64 { return db.auth.Load() }

// RoundTrips counts the messages sent to PostgreSQL and answered (a
// statement, a pipeline of them, BEGIN, COMMIT), for benchmarks; 0 on
// SQLite, where a statement is a call, not a round trip.
func (db *DB) RoundTrips() int64 { return db.trips.Load() }

// Options tune Open; the zero value is right for production.
type Options struct {
	// Synchronous is SQLite's synchronous pragma: FULL (default) makes every
	// commit durable on power loss; NORMAL is faster and still safe against
	// a process crash.
	Synchronous string
	// MaxConns caps the PostgreSQL pool and the SQLite reader pool.
	MaxConns int
	// NoGroupCommit makes every SQLite Update commit on its own. By default
	// the writer runs the updates waiting for it together, each in a
	// savepoint, under one commit (see groupcommit.go).
	NoGroupCommit bool
}

// sqliteMmap is how much of a SQLite file its connections read through
// memory mapped from it rather than through read(2) into each
// connection's own page cache (2 MB by default): a report that sweeps a
// large file — the sales analysis over a year of a 5M-row ledger — spent
// more than half its time in the kernel copying pages it had read a moment
// before (docs/PERFORMANCE.md, "The analyses at 5M ledger rows"). The
// mapped pages are the kernel's page cache, shared by every connection and
// given back under memory pressure; they show in the process's resident
// set but not in its heap. SQLite caps the size at its compile-time limit
// (2 GB here) and reads the rest of a larger file as before; writes still
// go through write(2).
const sqliteMmap = 1 << 40

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// pgSimpleProtocol asks pgx for PostgreSQL's simple query protocol unless
// dsn chooses a mode itself. bun writes every argument into the SQL text, so
// each statement is new to pgx: in its default mode (a statement cache) pgx
// would prepare each one in a round trip of its own before running it, and
// keep it on the server until the cache evicts it. The simple protocol runs
// it in one round trip.
func pgSimpleProtocol(dsn string) string {
	if strings.Contains(dsn, "default_query_exec_mode=") {
		return dsn
	}
	if strings.Contains(dsn, "?") {
		return dsn + "&default_query_exec_mode=simple_protocol"
	}
	return dsn + "?default_query_exec_mode=simple_protocol"
}

// Open connects to dsn: a postgres:// URL, or a SQLite file path.
func Open(ctx context.Context, dsn string, opt Options) (*DB, error) {
	if opt.MaxConns <= 0 {
		opt.MaxConns = max(4, 2*runtime.NumCPU())
	}
	db := &DB{now: func() time.Time { return time.Now().UTC() }}
	if IsPostgres(dsn) {
		// The simple protocol for what runs as written; the statements
		// pgcache.go can parameterise go through pgx's statement cache. A
		// URL that chooses an exec mode itself gets exactly that.
		conn, err := newPGConnector(pgSimpleProtocol(dsn))
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		if !strings.Contains(dsn, "default_query_exec_mode=") {
			conn = pgConnector{Connector: conn, trips: &db.trips}
		}
		sqldb := sql.OpenDB(conn)
		sqldb.SetMaxOpenConns(opt.MaxConns)
		sqldb.SetMaxIdleConns(opt.MaxConns)
		sqldb.SetConnMaxIdleTime(5 * time.Minute)
		db.dialect = Postgres
		db.conns = opt.MaxConns
		db.answers.delay = pgAnswerDelay
		db.w = bun.NewDB(sqldb, pgdialect.New())
		db.r = db.w
	} else {
		sync := opt.Synchronous
		if sync == "" {
			sync = "FULL"
		}
		base := "file:" + (&url.URL{Path: sqlitePath(dsn)}).EscapedPath() + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
			"&_pragma=foreign_keys(1)&_pragma=synchronous(" + sync + ")&_time_format=sqlite" +
			"&_pragma=mmap_size(" + strconv.FormatInt(sqliteMmap, 10) + ")"
		// The single writer takes the write lock at BEGIN, so a transaction
		// never fails half-way on an upgrade from read to write. Its
		// statement journals (what undoes one failed statement inside a
		// transaction) stay in memory: a posting's multi-row insert journals
		// more than the 64 KiB SQLite keeps in memory by default, and each
		// spill created, wrote and deleted a temporary file. The readers keep
		// the default, so a large report's sorts may still use files.
		wdsn := base + "&_txlock=immediate&_pragma=temp_store(memory)"
		if !opt.NoGroupCommit {
			// The group-commit writer leaves checkpoints to a connection of
			// their own (checkpointer.go).
			wdsn += "&_pragma=wal_autocheckpoint(0)"
			db.ckdsn = base
		}
		wdb := sql.OpenDB(stmtConnector{dsn: wdsn, drv: sqliteDriver})
		wdb.SetMaxOpenConns(1)
		wdb.SetMaxIdleConns(1)
		wdb.SetConnMaxLifetime(0)
		rdb := sql.OpenDB(stmtConnector{dsn: base + "&_pragma=query_only(1)", drv: sqliteDriver})
		rdb.SetMaxOpenConns(opt.MaxConns)
		rdb.SetMaxIdleConns(opt.MaxConns)
		db.dialect = SQLite
		db.w = bun.NewDB(wdb, sqlitedialect.New())
		db.r = bun.NewDB(rdb, sqlitedialect.New())
	}
	if err := db.w.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect: %w", err)
	}
	if db.dialect == SQLite {
		f, err := lockFile(sqlitePath(dsn), false)
		if err != nil {
			db.Close()
			if errors.Is(err, errFileInUse) {
				return nil, fmt.Errorf("%s is being restored: try again when the restore is done", sqlitePath(dsn))
			}
			return nil, err
		}
		db.file = f
	}
	if db.dialect == SQLite && !opt.NoGroupCommit {
		db.startWriter()
	}
	return db, nil
}

// Dialect returns the engine.
func (db *DB) Dialect() Dialect { return db.dialect }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.r.PingContext(ctx) }

// Close releases the connections.
func (db *DB) Close() error {
	db.stopWriter()
	if db.dialect == Postgres {
		db.flushAnswers()
	}
	err := db.w.Close()
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	if db.file != nil {
		err = errors.Join(err, db.file.Close())
	}
	return err
}

// sqlitePath is the file a SQLite dsn names.
func sqlitePath(dsn string) string {
	path := strings.TrimPrefix(dsn, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	return path
}

// AddQueryHook adds h to every connection pool (the writer and the readers on
// SQLite, the one pool on PostgreSQL): benchmarks count and trace statements
// with it.
func (db *DB) AddQueryHook(h bun.QueryHook) {
	for {
		old := db.hooks.Load()
		var hs []bun.QueryHook
		if old != nil {
			hs = slices.Clone(*old)
		}
		hs = append(hs, h)
		if db.hooks.CompareAndSwap(old, &hs) {
			break
		}
	}
	db.w.AddQueryHook(h) //nolint:staticcheck // WithQueryHook returns a copy the store would not use
	if db.r != db.w {
		db.r.AddQueryHook(h) //nolint:staticcheck // as above
	}
}

// SetClock replaces the clock (tests).
func (db *DB) SetClock(now func() time.Time) { db.now = now }

// Now returns the database layer's current time (UTC).
func (db *DB) Now() time.Time { return db.now() }

// Tx is one transaction. Now is fixed when it begins, so every row it
// writes carries the same time, cut to the microsecond both engines keep
// (an answer built from memory equals the row read back).
type Tx struct {
	bun.IDB
	db  *DB
	Now time.Time

	created        map[int64]*docRow // documents inserted in this transaction with held writes (CreateDocumentIDs): id → the row as it is now
	posted         map[int64]*docRow // documents inserted posted, their SetDocState to come (CreatePostedDocument): id → the row
	asides         []*asideAudit     // audit rows being encoded, written when the transaction's work is done (AuditAside)
	generic        bool              // the transaction's prepared statements run on generic plans from here on (genericPlans)
	periodShared   int64             // the company whose period lock the transaction holds shared (periodLock), 0 none
	customerLocked int64             // the customer whose row the transaction locked for a credit check (lockCustomer), 0 none
	conn           *bun.Conn         // the connection of a PostgreSQL transaction or ViewAhead, for ahead; nil otherwise
	authChanged    bool              // the transaction changed who may act or how: a user, role, session, token or company (AuthEpoch)
	masterChanged  bool              // the transaction wrote master data: a company, partner, warehouse, location, item or unit (MasterEpoch)
	view           bool              // a read-only transaction (View, ViewAhead): it may be served kept master data
	masterAt       int64             // MasterEpoch when the View began
}

// ahead sends, on PostgreSQL, the statements the reads record makes (each
// one's first; see ViewAhead) in one round trip, with the writes held
// before them, and keeps their rows for the same queries that follow. In
// a transaction, a failure of that pipeline is what the next query gets, so
// a deadlock or a held write's error is not hidden behind "transaction
// aborted". Elsewhere it does nothing.
func (tx *Tx) ahead(ctx context.Context, record func()) {
	if tx.conn == nil {
		return
	}
	var pc *pgStmtConn
	_ = tx.conn.Raw(func(dc any) error {
		if pc, _ = dc.(*pgStmtConn); pc != nil {
			pc.recording, pc.recorded = true, nil
		}
		return nil
	})
	if pc == nil {
		return
	}
	record()
	_ = tx.conn.Raw(func(any) error {
		texts := pc.recorded
		pc.recording, pc.recorded = false, nil
		pc.readAhead(ctx, texts)
		return nil
	})
}

// replaceHeader rewrites the held INSERT of document id's header to sql
// (pgStmtConn.replaceHeader), reporting whether it was still held.
func (tx *Tx) replaceHeader(id int64, sql string) bool {
	if tx.conn == nil {
		return false
	}
	done := false
	_ = tx.conn.Raw(func(dc any) error {
		if pc, ok := dc.(*pgStmtConn); ok {
			done = pc.replaceHeader(id, sql)
		}
		return nil
	})
	return done
}

// Dialect returns the engine of the transaction.
func (tx *Tx) Dialect() Dialect { return tx.db.dialect }

const maxAttempts = 6

// Update runs fn in a write transaction and commits it. On a serialization
// failure, a deadlock or SQLite busy it retries fn from the start, a
// bounded number of times, so callers never see those errors. If ctx carries
// an idempotency claim, the claim is inserted in the same transaction.
func (db *DB) Update(ctx context.Context, fn func(tx *Tx) error) error {
	changed, master := false, false
	defer func() { // after the commit (or the failure): see AuthEpoch and MasterEpoch
		if changed {
			db.auth.Add(1)
		}
		if master {
			db.masterEpoch.Add(1)
			db.masterWriting.Add(-1)
		}
	}()
	inner := fn
	fn = func(tx *Tx) error {
		tx.authChanged, tx.masterChanged = false, false
		err := inner(tx)
		if err == nil && len(tx.posted) > 0 { // a posting that never ran: its document must not commit posted
			err = fmt.Errorf("store: document inserted posted but not posted (%d)", len(tx.posted))
		}
		if err == nil && len(tx.asides) > 0 {
			err = tx.writeAsides()
		}
		tx.asides = nil
		changed = changed || tx.authChanged
		if tx.masterChanged && !master { // before the commit: nothing is kept or served until the epoch has moved on
			master = true
			db.masterWriting.Add(1)
		}
		return err
	}
	var err error
	for attempt := 1; ; attempt++ {
		if db.commits != nil {
			err = db.grouped(ctx, fn)
		} else {
			err = db.update(ctx, fn)
		}
		if r := (errReconnect{}); errors.As(err, &r) {
			if attempt == maxAttempts || ctx.Err() != nil {
				return r.err
			}
			continue // on a new connection, at once
		}
		if err == nil || !retryable(err) || attempt == maxAttempts || ctx.Err() != nil {
			return err
		}
		// Jittered backoff: 1, 2, 4 … ms.
		d := time.Duration(1<<(attempt-1))*time.Millisecond + time.Duration(rand.IntN(1000))*time.Microsecond
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (db *DB) update(ctx context.Context, fn func(tx *Tx) error) (err error) {
	// On a connection of its own, so that reads can be sent ahead in it
	// (Tx.ahead).
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	btx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = btx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = btx.Rollback()
		}
	}()
	tx := &Tx{IDB: btx, db: db, Now: db.now().Truncate(time.Microsecond), conn: &conn}
	claim := claimFrom(ctx)
	held := false
	if claim != nil && !claim.committed {
		if db.dialect == Postgres {
			if err := tx.claimLater(ctx, claim); err != nil {
				return err
			}
			held = true
		} else if err := tx.claim(ctx, claim); err != nil {
			return err
		}
	}
	if err := fn(tx); err != nil {
		if db.terminated(err) { // before the COMMIT was sent: nothing of it happened
			return errReconnect{err}
		}
		return db.heldClaimFailed(ctx, &conn, btx, held, claim, err)
	}
	var answers []storedAnswer
	if db.dialect == Postgres { // the stored answers waiting ride with the COMMIT (SaveResponse)
		answers = db.answers.take()
		tx.writeAnswers(answers)
	}
	if err := btx.Commit(); err != nil {
		if db.answers.settle(answers, false, false) {
			db.timeAnswers()
		}
		return db.heldClaimFailed(ctx, &conn, btx, held, claim, fmt.Errorf("commit: %w", err))
	}
	db.answers.settle(answers, true, false)
	if claim != nil {
		claim.committed = true
	}
	return nil
}

// Snapshot runs fn for reading with every statement seeing the same
// committed state, on both engines: what compares several reads with each
// other (jxc check: the ledger against the balances against the cost
// states) must not see a commit land between two of them. On SQLite that is
// what View does anyway; on PostgreSQL it costs a REPEATABLE READ READ ONLY
// transaction (which never fails on serialization: it writes nothing).
// It is never served kept master data (mastercache.go).
func (db *DB) Snapshot(ctx context.Context, fn func(tx *Tx) error) error {
	var opts *sql.TxOptions // SQLite: a read transaction is a snapshot
	if db.dialect == Postgres {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	btx, err := db.r.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer btx.Rollback() //nolint:errcheck // read-only
	return fn(&Tx{IDB: btx, db: db, Now: db.now().Truncate(time.Microsecond)})
}

// errReconnect is what update returns when the server ended its
// connection before the COMMIT was sent: Update runs it again at once.
type errReconnect struct{ err error }

func (e errReconnect) Error() string { return e.err.Error() }
func (e errReconnect) Unwrap() error { return e.err }

// terminated reports whether err says PostgreSQL ended the connection
// (a restart, a crash of another backend, an administrator) instead of
// running the statement: the statement did nothing, and neither did the
// transaction it was in. It then also closes the pool's idle connections:
// after a restart every one of them is dead, and each would fail one
// request in turn (pgx checks an idle connection only after a second).
// A COMMIT that fails that way is not retried by anyone: whether it was
// done before the connection ended is not known.
func (db *DB) terminated(err error) bool {
	if db.dialect != Postgres || !connectionEnded(err) {
		return false
	}
	db.w.DB.SetMaxIdleConns(0)
	db.w.DB.SetMaxIdleConns(db.conns)
	return true
}

// ConnectionEnded reports whether err is PostgreSQL having ended the
// connection a statement met (a restart, an administrator): nothing ran,
// and a read may be asked again.
func ConnectionEnded(err error) bool { return connectionEnded(err) }

// reread runs read again once when PostgreSQL ended the connection it ran
// on (terminated): a read can be asked again, when what it fills in is
// filled afresh (not appended to).
func (db *DB) reread(read func() error) error {
	err := read()
	if db.terminated(err) {
		err = read()
	}
	return err
}

// View runs fn for reading: on SQLite in a read transaction (one snapshot);
// on PostgreSQL outside any, each statement with its own snapshot, as READ
// COMMITTED gives inside a transaction as well.
func (db *DB) View(ctx context.Context, fn func(tx *Tx) error) error {
	if db.dialect == Postgres {
		// At READ COMMITTED, PostgreSQL's level here, every statement takes
		// its own snapshot inside a transaction too: a read-only
		// transaction would add nothing but its BEGIN and ROLLBACK round
		// trips, paid on every request. A connection PostgreSQL ended
		// empties the pool of its idle ones (terminated): after a restart
		// one read fails, not one per pooled connection, and a caller that
		// can ask again (ConnectionEnded) finds a live one.
		err := fn(db.viewTx(db.r))
		db.terminated(err)
		return err
	}
	btx, err := db.r.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer btx.Rollback() //nolint:errcheck // read-only
	return fn(db.viewTx(btx))
}

// viewTx is a read-only transaction on idb, noting MasterEpoch before it
// reads anything.
func (db *DB) viewTx(idb bun.IDB) *Tx {
	return &Tx{IDB: idb, db: db, view: true, masterAt: db.masterEpoch.Load(), Now: db.now().Truncate(time.Microsecond)}
}

// ViewAhead is View for fn, whose first reads do not depend on each
// other. On PostgreSQL every statement is a round trip, its own implicit
// transaction and CPU on both sides; so ahead runs first, on the
// connection fn will have, making those reads with every statement noted
// instead of sent (each fails there, so each read stops at its first
// statement and ahead ignores what they return: they must change nothing
// but what they return on success). The noted statements go to the server
// in one pipeline, and fn then runs with their rows waiting: each of its
// queries whose text is one of them is answered with those rows instead of
// a round trip. A text fn does not ask for is dropped; one that was not
// sent ahead, or failed, just runs. On SQLite, where a statement is a
// call, ahead does not run.
//
// fn must read through tx alone: tx holds a connection of the pool. When
// PostgreSQL ends that connection (a restart) the reads and fn run again on
// another, so, like Update's fn, they must fill in afresh what they fill.
func (db *DB) ViewAhead(ctx context.Context, ahead func(tx *Tx), fn func(tx *Tx) error) error {
	if db.dialect != Postgres {
		return db.View(ctx, fn)
	}
	return db.reread(func() error { return db.viewAhead(ctx, ahead, fn) })
}

func (db *DB) viewAhead(ctx context.Context, ahead func(tx *Tx), fn func(tx *Tx) error) error {
	conn, err := db.r.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	tx := db.viewTx(conn)
	tx.conn = &conn
	tx.ahead(ctx, func() { ahead(tx) })
	err = fn(tx)
	_ = conn.Raw(func(dc any) error {
		if pc, ok := dc.(*pgStmtConn); ok {
			pc.ahead = nil
		}
		return nil
	})
	return err
}

// retryable reports whether err is a transient concurrency failure.
func retryable(err error) bool {
	if errors.Is(err, errGroupAborted) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "40001" || pe.Code == "40P01"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		c := se.Code() & 0xff
		return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
	}
	return false
}

// uniqueViolation reports whether err is a unique-constraint violation.
func uniqueViolation(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// fkViolation reports whether err is a foreign-key violation: the row is
// still referenced.
func fkViolation(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23503"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	return false
}

var errNoRows = sql.ErrNoRows

// staleCheck turns an update that matched no row into a conflict: someone
// else saved the record since the caller read it (or it does not exist).
func staleCheck(res sql.Result, entity string) error {
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		e := domain.ErrorKey(domain.EConflict, "error.stale", map[string]string{"entity": entity},
			entity+" was changed by someone else or does not exist; reload and try again")
		e.Fields = []domain.FieldError{{Field: "version", Rule: "stale"}}
		return e
	}
	return nil
}

// notFound turns sql.ErrNoRows into a domain not_found error.
func notFound(err error, entity string, id any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return domain.ErrorKey(domain.ENotFound, "error.not_found", map[string]string{"entity": entity},
			fmt.Sprintf("%s %v not found", entity, id))
	}
	return err
}

// conflict wraps a unique violation as a domain conflict naming the field.
func conflict(err error, entity, field string) error {
	if uniqueViolation(err) {
		e := domain.ErrorKey(domain.EConflict, "error.duplicate", map[string]string{"entity": entity, "field": field},
			fmt.Sprintf("%s with this %s already exists", entity, field))
		e.Fields = []domain.FieldError{{Field: field, Rule: "duplicate"}}
		return e
	}
	return err
}

// ------------------------------------------------------------------ migrations

func (db *DB) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+string(db.dialect))
	if err != nil {
		return nil, err
	}
	var opts []goose.ProviderOption
	gd := goose.DialectSQLite3
	if db.dialect == Postgres {
		gd = goose.DialectPostgres
		// Several jxc processes may start at once on one database; an
		// advisory lock lets exactly one migrate.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(gd, db.w.DB, sub, opts...)
}

// Migrate applies every pending migration.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	if _, err = p.Up(ctx); err != nil {
		return err
	}
	return db.backfill(ctx)
}

// backfill fills in what a migration asked Go to compute (a row in
// store_backfills), in one transaction with the removal of that row, so a
// start that stops half-way does it again.
func (db *DB) backfill(ctx context.Context) error {
	return db.Update(ctx, func(tx *Tx) error {
		var names []string
		if err := tx.NewRaw("SELECT name FROM store_backfills ORDER BY name").Scan(ctx, &names); err != nil {
			return err
		}
		for _, n := range names {
			switch n {
			case "order_credit":
				if err := tx.RecomputeOrderCredit(ctx, 0); err != nil {
					return err
				}
			default:
				return fmt.Errorf("unknown backfill %q", n)
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM store_backfills WHERE name = ?", n); err != nil {
				return err
			}
		}
		return nil
	})
}

// MigrateDown rolls back the newest migration.
func (db *DB) MigrateDown(ctx context.Context) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	_, err = p.Down(ctx)
	return err
}

// MigrationStatus describes one migration.
type MigrationStatus struct {
	Version int64
	Name    string
	Applied bool
	At      time.Time
}

// MigrateStatus lists every migration and whether it is applied.
func (db *DB) MigrateStatus(ctx context.Context) ([]MigrationStatus, error) {
	p, err := db.provider()
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]MigrationStatus, len(st))
	for i, s := range st {
		out[i] = MigrationStatus{Version: s.Source.Version, Name: s.Source.Path, Applied: s.State == goose.StateApplied, At: s.AppliedAt}
	}
	return out, nil
}

// MigrationFiles lists the migration file names of a dialect (parity test).
func MigrationFiles(d Dialect) ([]string, error) {
	entries, err := fs.ReadDir(migrations, "migrations/"+string(d))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names, nil
}

// AutovacuumOff reports whether PostgreSQL's autovacuum is off (false on
// SQLite). Without it the planner's statistics stay as they were: a plan a
// connection cached while a table was small (a foreign-key check's on
// documents, say) keeps scanning the whole table as it grows, and dead rows
// are never reclaimed.
func (db *DB) AutovacuumOff(ctx context.Context) (bool, error) {
	if db.dialect != Postgres {
		return false, nil
	}
	var on string
	err := db.r.QueryRowContext(ctx, `SELECT current_setting('autovacuum')`).Scan(&on)
	return on == "off", err
}

// Analyze refreshes the planner's statistics (after bulk loads).
func (db *DB) Analyze(ctx context.Context) error {
	_, err := db.w.ExecContext(ctx, "ANALYZE")
	return err
}
