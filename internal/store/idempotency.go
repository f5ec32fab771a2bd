package store

import (
	"bytes"
	"compress/zlib"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// An idempotency claim rides on the request context. The first write
// transaction of the request inserts it as its first statement, so the claim
// commits or rolls back together with the business change: a retried request
// with the same key either finds the committed claim (and replays the stored
// response) or runs again because nothing happened. On PostgreSQL a
// concurrent duplicate waits on the unique index until the first commits.
type Claim struct {
	UserID    int64
	Key       string
	Hash      string
	committed bool
	replayed  bool
}

type claimKey struct{}

// WithClaim returns ctx carrying an idempotency claim.
func WithClaim(ctx context.Context, c *Claim) context.Context {
	return context.WithValue(ctx, claimKey{}, c)
}

func claimFrom(ctx context.Context) *Claim {
	c, _ := ctx.Value(claimKey{}).(*Claim)
	return c
}

// Committed reports whether a transaction holding the claim committed.
func (c *Claim) Committed() bool { return c.committed }

// Replayed reports whether the key turned out to be used already, so the
// stored response must be sent instead.
func (c *Claim) Replayed() bool { return c.replayed }

// ErrReplay means the idempotency key was already used: the caller should
// replay the stored response instead of running the command again.
var ErrReplay = errors.New("idempotency key already used")

func (tx *Tx) claim(ctx context.Context, c *Claim) error {
	res, err := tx.ExecContext(ctx,
		`INSERT INTO idempotency_keys (user_id, key, request_hash, created_at) VALUES (?, ?, ?, ?)
		 ON CONFLICT (user_id, key) DO NOTHING`, c.UserID, c.Key, c.Hash, tx.Now)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		c.replayed = true
		return ErrReplay
	}
	return nil
}

// claimLater is claim on PostgreSQL without a round trip of its own: a
// plain INSERT held to go with the transaction's first statement (it
// waits in the pipeline with the BEGIN). A key already used then fails the
// transaction with a unique violation, at whichever statement carried the
// claim, instead of answering how many rows it wrote; heldClaimFailed
// turns that back into ErrReplay.
func (tx *Tx) claimLater(ctx context.Context, c *Claim) error {
	_, err := tx.ExecContext(laterWrites(ctx),
		`INSERT INTO idempotency_keys (user_id, key, request_hash, created_at) VALUES (?, ?, ?, ?)`, c.UserID, c.Key, c.Hash, tx.Now)
	return err
}

// heldClaimFailed is what a transaction that held its claim (claimLater)
// returns when it failed with err. The claim's unique violation surfaces at
// a statement of fn, which may have turned it into an error of its own (a
// duplicate document number, say); so unless err says so itself, the
// transaction is rolled back and the key looked up: a key some other
// transaction committed means the request was a replay. A failure Update
// retries is returned as it is: the retry claims again.
//
// The lookup runs on the transaction's own connection (conn), once the
// transaction is rolled back: a second connection from the pool, wanted
// while this one is held, could wait for ever when every connection is
// held by a transaction wanting one.
func (db *DB) heldClaimFailed(ctx context.Context, conn *bun.Conn, btx interface{ Rollback() error }, held bool, c *Claim, err error) error {
	if !held || retryable(err) {
		return err
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "23505" || pe.TableName != "idempotency_keys" {
		_ = btx.Rollback()
		var n int
		if qerr := conn.NewRaw("SELECT count(*) FROM idempotency_keys WHERE user_id = ? AND key = ?", c.UserID, c.Key).
			Scan(context.WithoutCancel(ctx), &n); qerr != nil || n == 0 {
			return err
		}
	}
	c.replayed = true
	return ErrReplay
}

// StoredResponse is the response saved for an idempotency key.
type StoredResponse struct {
	Hash        string
	Status      int
	Body        []byte
	ContentType string
	ClaimedAt   time.Time // when the request's transaction began
}

// SaveResponse records the response of a committed claim.
//
// On SQLite with the group-commit writer it does not wait for a commit of its
// own: the answer is queued and written by the writer's next transaction —
// the next request's update, or after answerDelay on an idle database, or on
// Close. A request used to pay a second write transaction (and a second
// disk flush) for its answer; now the answer rides with the next one.
// LoadResponse finds a queued answer as if it were stored. What this risks:
// the document was made durable by its own commit, and a crash in the next
// moments can lose only this stored answer — the client was sent it
// already, and a retry with the key then answers request_in_progress rather
// than running the command twice.
func (db *DB) SaveResponse(ctx context.Context, c *Claim, status int, contentType string, body []byte) error {
	if db.dialect == SQLite {
		if db.commits != nil {
			db.answers.add(storedAnswer{userID: c.UserID, key: c.Key, packed: packAnswer(contentType, body), StoredResponse: StoredResponse{
				Hash: c.Hash, Status: status, ContentType: contentType, Body: bytes.Clone(body)}})
			return nil
		}
		return db.Update(WithClaim(ctx, nil), func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, saveAnswerSQL, status, packAnswer(contentType, body), contentType, c.UserID, c.Key)
			return err
		})
	}
	// PostgreSQL: queued too, and written by the next transaction of any
	// request on this process (DB.update), held for its COMMIT: no round
	// trip and no transaction of its own. On an idle database a timer
	// writes it alone after pgAnswerDelay, committed without waiting for
	// the flush. What this risks is what SQLite's queue does: a crash in those
	// moments loses only the stored answer, never the document. A retry
	// with the key on this process finds the queued answer; on another
	// process it finds the key committed and no answer yet, and waits for
	// it as for a request still finishing (httpapi's replay).
	db.answers.add(storedAnswer{userID: c.UserID, key: c.Key, packed: packAnswer(contentType, body), StoredResponse: StoredResponse{
		Hash: c.Hash, Status: status, ContentType: contentType, Body: bytes.Clone(body)}})
	db.timeAnswers()
	return nil
}

// A stored JSON answer is kept zlib-compressed: a ten-line document's 6.8
// KB answer is 0.8 KB, so on SQLite its row fits in its table page instead
// of spilling into an overflow page, and every order writes a few pages
// fewer to the WAL (PostgreSQL compresses large values itself, but gets
// fewer bytes to send and log). No column says so: a JSON text never
// starts with the byte a zlib stream starts with (0x78, 'x'), so answers
// stored before this, or not JSON, are told apart by their first byte.
func packAnswer(contentType string, body []byte) []byte {
	if len(body) < 512 || !strings.Contains(contentType, "json") {
		return body
	}
	var b bytes.Buffer
	b.Grow(len(body) / 4)
	w, _ := zlibWriters.Get().(*zlib.Writer)
	if w == nil {
		var err error
		if w, err = zlib.NewWriterLevel(&b, zlib.BestSpeed); err != nil {
			return body
		}
	} else {
		w.Reset(&b)
	}
	defer zlibWriters.Put(w)
	if _, err := w.Write(body); err != nil || w.Close() != nil {
		return body
	}
	return b.Bytes()
}

// zlibWriters keeps packAnswer's compressors. A new one allocates 1.2 MB of
// tables and buffers: made for every answer, that was 170 µs and most of the
// garbage a keyed request made (BenchmarkPackAnswer: 13 µs and 2 KB pooled),
// and the collector's work behind it showed as a third of the server's CPU
// in a profile of receipts at one client.
var zlibWriters sync.Pool

// unpackAnswer reverses packAnswer.
func unpackAnswer(contentType string, body []byte) ([]byte, error) {
	if len(body) == 0 || body[0] != 0x78 || !strings.Contains(contentType, "json") {
		return body, nil
	}
	r, err := zlib.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("stored answer: %w", err)
	}
	defer r.Close()
	return io.ReadAll(r)
}

const saveAnswerSQL = `UPDATE idempotency_keys SET status_code = ?, response = ?, content_type = ? WHERE user_id = ? AND key = ?`

// answerDelay is how long a queued answer waits for a transaction to ride
// with before the writer commits it alone: longer than a client's turn
// between two requests, short enough that a crash rarely finds one waiting.
const answerDelay = 5 * time.Millisecond

// pgAnswerDelay is answerDelay on PostgreSQL, where a client's turn is
// longer: a ten-line posting takes about 5 ms at one client, and at 5 ms
// half the answers were written alone (BenchmarkSalesOrderRequest's
// txs/op 1.48). A retry on another process polls every 50 ms (httpapi's
// replay), so it hardly waits longer for it.
const pgAnswerDelay = 20 * time.Millisecond

type storedAnswer struct {
	userID int64
	key    string
	packed []byte    // the body as stored (packAnswer), made on the request's goroutine, not the writer's
	queued time.Time // when it was queued (PostgreSQL's timer)
	StoredResponse
}

// answerQueue holds the stored answers not written yet: on SQLite for the
// writer's next transaction, on PostgreSQL for the next transaction of any
// request (DB.update).
type answerQueue struct {
	mu     sync.Mutex
	list   []storedAnswer
	flight [][]storedAnswer // taken by transactions not ended yet: still found
	delay  time.Duration    // answerDelay; tests change it
	kick   chan struct{}    // SQLite: tells the writer answers wait (buffered, never blocks)
	armed  bool             // PostgreSQL: a flush is timed (DB.timeAnswers)
	flush  *time.Timer      // PostgreSQL: that flush
}

// timer starts the wait before the writer commits the answers alone.
func (q *answerQueue) timer() <-chan time.Time {
	q.mu.Lock()
	d := q.delay
	q.mu.Unlock()
	return time.After(d)
}

func (q *answerQueue) setDelay(d time.Duration) {
	q.mu.Lock()
	q.delay = d
	if q.armed {
		q.flush.Reset(d)
	}
	q.mu.Unlock()
}

func (q *answerQueue) add(a storedAnswer) {
	a.queued = time.Now()
	q.mu.Lock()
	q.list = append(q.list, a)
	q.mu.Unlock()
	select {
	case q.kick <- struct{}{}:
	default:
	}
}

// take hands the waiting answers to a transaction; settle says how it
// ended. Until then find still finds them.
func (q *answerQueue) take() []storedAnswer {
	q.mu.Lock()
	defer q.mu.Unlock()
	l := q.list
	q.list = nil
	if len(l) > 0 {
		q.flight = append(q.flight, l)
	}
	return l
}

// settle ends answers taken: written if committed, otherwise back to the
// front of the queue, where kick has the SQLite writer try them again soon
// (else they wait for the next update). It reports whether any went back.
func (q *answerQueue) settle(l []storedAnswer, committed, kick bool) bool {
	if len(l) == 0 {
		return false
	}
	q.mu.Lock()
	q.flight = slices.DeleteFunc(q.flight, func(f []storedAnswer) bool { return &f[0] == &l[0] })
	if !committed {
		q.list = slices.Concat(l, q.list)
	}
	q.mu.Unlock()
	if !committed && kick {
		select {
		case q.kick <- struct{}{}:
		default:
		}
	}
	return !committed
}

func (q *answerQueue) waiting() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.list) > 0
}

func (q *answerQueue) find(userID int64, key string) (StoredResponse, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, l := range append([][]storedAnswer{q.list}, q.flight...) {
		for i := len(l) - 1; i >= 0; i-- {
			if a := l[i]; a.userID == userID && a.key == key {
				return a.StoredResponse, true
			}
		}
	}
	return StoredResponse{}, false
}

// writeAnswers writes queued answers in tx. An answer whose update fails is
// dropped, not the transaction carrying it: the request it belongs to has
// been answered, and losing its stored copy is what a crash would do. On
// PostgreSQL the updates are held for the COMMIT (nothing reads them), where
// a failure would fail the transaction; an update of a committed key by its
// user and key has nothing to fail on but the server itself.
func (tx *Tx) writeAnswers(l []storedAnswer) {
	ctx := laterWrites(context.Background())
	for _, a := range l {
		if tx.Dialect() == SQLite {
			// Bound (boundinsert.go): bun would write the packed answer into
			// the text as hex, twice its size, for the statement cache to
			// parse back out on the single writer.
			_ = tx.execBound(ctx, saveAnswerSQL, []any{int64(a.Status), a.packed, a.ContentType, a.userID, a.key})
			continue
		}
		_, _ = tx.ExecContext(ctx, saveAnswerSQL, a.Status, a.packed, a.ContentType, a.userID, a.key)
	}
}

// flushAnswers commits the queued answers in a transaction of their own (the
// writer's idle path and Close on SQLite; the timer and Close on
// PostgreSQL, where update carries them and the flush only asks not to wait
// for the disk: the documents they answer were flushed by their own commits).
func (db *DB) flushAnswers() {
	if db.dialect == Postgres {
		if !db.answers.waiting() {
			return // a transaction carried them meanwhile
		}
		_ = db.update(context.Background(), func(tx *Tx) error {
			_, err := tx.ExecContext(laterWrites(context.Background()), "SET LOCAL synchronous_commit = off")
			return err
		})
		return
	}
	l := db.answers.take()
	if len(l) == 0 {
		return
	}
	err := db.update(context.Background(), func(tx *Tx) error { tx.writeAnswers(l); return nil })
	db.answers.settle(l, err == nil, false) // not again at once: a database refusing this would refuse it in a loop
}

// timeAnswers has PostgreSQL's queued answers written once the oldest has
// waited pgAnswerDelay, if no transaction has carried them by then (one
// timer at a time; when it fires on answers queued since the last carrier
// took the rest, it waits out their own delay).
func (db *DB) timeAnswers() {
	q := &db.answers
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.armed || len(q.list) == 0 {
		return
	}
	q.armed = true
	if q.flush != nil {
		q.flush.Reset(q.delay)
		return
	}
	q.flush = time.AfterFunc(q.delay, func() {
		q.mu.Lock()
		if len(q.list) == 0 {
			q.armed = false
			q.mu.Unlock()
			return
		}
		if wait := q.delay - time.Since(q.list[0].queued); wait > 0 {
			q.flush.Reset(wait)
			q.mu.Unlock()
			return
		}
		q.armed = false
		q.mu.Unlock()
		db.flushAnswers()
	})
}

// LoadResponse returns the stored response for a key; Status is 0 while the
// first request is still finishing.
func (db *DB) LoadResponse(ctx context.Context, userID int64, key string) (StoredResponse, error) {
	if r, ok := db.answers.find(userID, key); ok {
		return r, nil
	}
	var r StoredResponse
	err := db.r.QueryRowContext(ctx,
		`SELECT request_hash, status_code, response, content_type, created_at FROM idempotency_keys WHERE user_id = ? AND key = ?`,
		userID, key).Scan(&r.Hash, &r.Status, &r.Body, &r.ContentType, &r.ClaimedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return r, domain.Errorf(domain.ENotFound, "idempotency key not found")
	} else if err != nil {
		return r, err
	}
	r.Body, err = unpackAnswer(r.ContentType, r.Body)
	return r, err
}

// PruneIdempotency deletes keys older than the retention period.
func (db *DB) PruneIdempotency(ctx context.Context, olderThan time.Duration) (int64, error) {
	res, err := db.w.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < ?`, db.now().Add(-olderThan))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
