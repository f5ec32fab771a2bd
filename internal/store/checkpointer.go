package store

import (
	"context"
	"database/sql"
	"time"
)

// The checkpointer (SQLite with group commit). A commit appends pages to
// the write-ahead log; a checkpoint copies them into the database file and
// flushes it. SQLite runs one on the connection whose commit takes the log
// past 1,000 pages, inside that commit: on the single writer, a stall of
// every update waiting behind it, about every second group under load (6 %
// of the writer's CPU under orders at 16 clients, and a flush of the
// database file besides). The writer's connection has that off
// (wal_autocheckpoint 0); after its commits a connection of its own copies
// what has gathered, beside the writer. PASSIVE never waits and never
// blocks the writer or a reader; it copies what no reader still needs, the
// rest at the next. ckPause lets the pages of several groups gather: a page
// written by each (a stock row's, an index's) is copied once.
const ckPause = 50 * time.Millisecond

func (db *DB) startCheckpointer() {
	if db.ckdsn == "" {
		return
	}
	ck := sql.OpenDB(stmtConnector{dsn: db.ckdsn, drv: sqliteDriver})
	ck.SetMaxOpenConns(1)
	ck.SetMaxIdleConns(1)
	ck.SetConnMaxLifetime(0)
	db.ckKick, db.ckStopped = make(chan struct{}, 1), make(chan struct{})
	go db.checkpointer(ck)
}

// kickCheckpointer tells the checkpointer a commit happened.
func (db *DB) kickCheckpointer() {
	select {
	case db.ckKick <- struct{}{}:
	default:
	}
}

func (db *DB) checkpointer(ck *sql.DB) {
	defer close(db.ckStopped)
	defer ck.Close()
	ctx := context.Background()
	for {
		select {
		case <-db.stop:
			return
		case <-db.ckKick:
		}
		// A failure (the disk full, say) leaves the pages in the log, where
		// readers find them; the next commit tries again.
		_, _ = ck.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
		select {
		case <-db.stop:
			return
		case <-time.After(ckPause):
		}
	}
}
