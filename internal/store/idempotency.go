package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

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

// StoredResponse is the response saved for an idempotency key.
type StoredResponse struct {
	Hash        string
	Status      int
	Body        []byte
	ContentType string
}

// SaveResponse records the response of a committed claim.
// On SQLite it is an update like any other (and joins the writer's group
// commit).
func (db *DB) SaveResponse(ctx context.Context, c *Claim, status int, contentType string, body []byte) error {
	const q = `UPDATE idempotency_keys SET status_code = ?, response = ?, content_type = ? WHERE user_id = ? AND key = ?`
	if db.dialect == SQLite {
		return db.Update(WithClaim(ctx, nil), func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, q, status, body, contentType, c.UserID, c.Key)
			return err
		})
	}
	// PostgreSQL: one round trip, committed without waiting for the WAL
	// flush (the two statements run as one implicit transaction, so SET
	// LOCAL holds for the update alone). The document the response is for
	// was flushed by its own commit; a crash in the next moments can lose
	// only this stored answer, and a retry with the key then answers
	// request_in_progress rather than running the command twice.
	_, err := db.w.ExecContext(ctx, "SET LOCAL synchronous_commit = off; "+q, status, body, contentType, c.UserID, c.Key)
	return err
}

// LoadResponse returns the stored response for a key; Status is 0 while the
// first request is still finishing.
func (db *DB) LoadResponse(ctx context.Context, userID int64, key string) (StoredResponse, error) {
	var r StoredResponse
	err := db.r.QueryRowContext(ctx,
		`SELECT request_hash, status_code, response, content_type FROM idempotency_keys WHERE user_id = ? AND key = ?`,
		userID, key).Scan(&r.Hash, &r.Status, &r.Body, &r.ContentType)
	if errors.Is(err, sql.ErrNoRows) {
		return r, domain.Errorf(domain.ENotFound, "idempotency key not found")
	}
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
