package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Group commit (SQLite). SQLite has one writer, and with synchronous=FULL
// every commit waits for the WAL to reach the disk. When several requests
// write at once, a writer goroutine takes every Update waiting for it, runs
// each in a savepoint of one transaction, and commits them together: one
// disk flush for the group. An update that fails rolls back to its
// savepoint and changes nothing; the others still commit. Every caller
// returns only after the commit that holds its work (or with its own
// error), so Update means what it always meant: committed, or nothing.
//
// A single waiting update runs without a savepoint, exactly as before. If
// the group's transaction itself fails (a savepoint cannot be rolled back,
// the commit fails), no update of the group is committed and each is run
// again from the start (errGroupAborted is retryable), as after a busy
// database.

// maxGroup caps the updates under one commit, so a long queue cannot hold
// the write lock for long: 64 orders commit in a few milliseconds.
const maxGroup = 64

var errGroupAborted = errors.New("group commit aborted; the update is run again")

type commitReq struct {
	ctx   context.Context
	fn    func(tx *Tx) error
	claim *Claim
	err   error
	panic any
	done  chan struct{}
}

func (db *DB) startWriter() {
	db.commits = make(chan *commitReq, maxGroup)
	db.answers.kick = make(chan struct{}, 1)
	db.answers.delay = answerDelay
	db.stop, db.stopped = make(chan struct{}), make(chan struct{})
	go db.writer()
	db.startCheckpointer()
}

func (db *DB) stopWriter() {
	if db.commits == nil {
		return
	}
	select {
	case <-db.stop:
	default:
		close(db.stop)
	}
	<-db.stopped
	if db.ckStopped != nil {
		<-db.ckStopped
	}
}

// grouped hands fn to the writer and waits for its group's commit.
func (db *DB) grouped(ctx context.Context, fn func(tx *Tx) error) error {
	r := &commitReq{ctx: ctx, fn: fn, claim: claimFrom(ctx), done: make(chan struct{})}
	select {
	case db.commits <- r:
	case <-ctx.Done():
		return ctx.Err()
	case <-db.stop:
		return errors.New("database closed")
	}
	// Once handed over, the request is waited for even if ctx ends: the
	// writer may be running it, and its outcome must be known.
	<-r.done
	if r.panic != nil {
		panic(r.panic)
	}
	return r.err
}

func (db *DB) writer() {
	defer close(db.stopped)
	group := make([]*commitReq, 0, maxGroup)
	var flush <-chan time.Time // armed while stored answers wait with no update to carry them
	for {
		select {
		case <-db.stop:
			// Refuse what is still queued rather than leave it waiting.
			for {
				select {
				case r := <-db.commits:
					r.err = errors.New("database closed")
					close(r.done)
				default:
					db.flushAnswers()
					return
				}
			}
		case <-db.answers.kick:
			if flush == nil {
				flush = db.answers.timer()
			}
		case <-flush:
			flush = nil
			db.flushAnswers()
		case r := <-db.commits:
			group = append(group[:0], r)
		more:
			for len(group) < maxGroup {
				select {
				case r := <-db.commits:
					group = append(group, r)
				default:
					break more
				}
			}
			db.commitGroup(group)
			for _, r := range group {
				close(r.done)
			}
			db.kickCheckpointer()
			// The answers waiting went with the group; those queued since
			// wait answerDelay from now for the next.
			flush = nil
			if db.answers.waiting() {
				flush = db.answers.timer()
			}
		}
	}
}

// commitGroup runs the group in one transaction and commits it.
func (db *DB) commitGroup(group []*commitReq) {
	live := group[:0:0]
	for _, r := range group {
		if err := r.ctx.Err(); err != nil {
			r.err = err // gave up while waiting: never run
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return
	}
	// The stored answers waiting go in this transaction too; if it does not
	// commit, they wait for the next.
	answers := db.answers.take()
	committed := false
	defer func() { db.answers.settle(answers, committed, true) }()
	if len(live) == 1 { // alone: no savepoint needed
		r := live[0]
		r.err, r.panic = runUpdate(func() error {
			return db.update(r.ctx, func(tx *Tx) error {
				if err := r.fn(tx); err != nil {
					return err
				}
				tx.writeAnswers(answers)
				return nil
			})
		})
		committed = r.err == nil && r.panic == nil
		return
	}
	ctx := context.Background() // the group outlives any one caller's context
	btx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		for _, r := range live {
			r.err = fmt.Errorf("begin: %w", err)
		}
		return
	}
	var done []*commitReq
	for _, r := range live {
		if _, err := btx.ExecContext(ctx, "SAVEPOINT g"); err != nil {
			db.abortGroup(btx, live, err)
			return
		}
		tx := &Tx{IDB: btx, db: db, Now: db.now().Truncate(time.Microsecond)}
		r.err, r.panic = runUpdate(func() error {
			if r.claim != nil && !r.claim.committed {
				if err := tx.claim(r.ctx, r.claim); err != nil {
					return err
				}
			}
			return r.fn(tx)
		})
		if r.err != nil || r.panic != nil {
			if _, err := btx.ExecContext(ctx, "ROLLBACK TO g"); err != nil {
				db.abortGroup(btx, live, err)
				return
			}
		} else {
			done = append(done, r)
		}
		if _, err := btx.ExecContext(ctx, "RELEASE g"); err != nil {
			db.abortGroup(btx, live, err)
			return
		}
	}
	(&Tx{IDB: btx, db: db}).writeAnswers(answers)
	if err := btx.Commit(); err != nil {
		_ = btx.Rollback()
		for _, r := range done {
			r.err = fmt.Errorf("%w: commit: %v", errGroupAborted, err)
		}
		return
	}
	committed = true
	for _, r := range done {
		if r.claim != nil {
			r.claim.committed = true
		}
	}
}

// abortGroup rolls the whole group back: every update in it that had not
// failed on its own is to be run again.
func (db *DB) abortGroup(btx interface{ Rollback() error }, live []*commitReq, cause error) {
	_ = btx.Rollback()
	for _, r := range live {
		if r.err == nil && r.panic == nil {
			r.err = fmt.Errorf("%w: %v", errGroupAborted, cause)
		}
	}
}

// runUpdate calls fn, turning a panic into a value for the caller to
// re-raise in its own goroutine.
func runUpdate(fn func() error) (err error, p any) {
	defer func() {
		if v := recover(); v != nil {
			p = v
		}
	}()
	return fn(), nil
}
