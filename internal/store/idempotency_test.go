package store_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// A stored JSON answer is kept compressed — a document's answer then fits
// in its row's page — and loads as it was sent; an answer stored plain,
// before answers were packed, loads as it is.
func TestStoredAnswersPacked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		body := []byte(`{"id":7,"lines":[` + strings.Repeat(`{"item_id":146,"qty":"1.0000","price":"10.0000","note":""},`, 60) + `{}]}`)
		c := &store.Claim{UserID: 1, Key: "big", Hash: "h"}
		if err := db.Update(store.WithClaim(ctx, c), func(*store.Tx) error { return nil }); err != nil {
			t.Fatal(err)
		}
		cp := &capture{want: "UPDATE idempotency_keys SET status_code"}
		db.AddQueryHook(cp)
		if err := db.SaveResponse(ctx, c, 201, "application/json", body); err != nil {
			t.Fatal(err)
		}
		// SQLite writes a queued answer with the next write.
		if err := db.Update(ctx, func(*store.Tx) error { return nil }); err != nil {
			t.Fatal(err)
		}
		var raw []byte
		typ := "'blob'" // PostgreSQL's bytea: a blob whatever was sent
		if db.Dialect() == store.SQLite {
			typ = "typeof(response)"
		}
		if err := db.View(ctx, func(tx *store.Tx) error {
			return tx.NewRaw("SELECT response, "+typ+" FROM idempotency_keys WHERE user_id = 1 AND key = 'big'").Scan(ctx, &raw, &typ)
		}); err != nil {
			t.Fatal(err)
		}
		if len(raw) == 0 || raw[0] != 0x78 || len(raw) > len(body)/4 || typ != "blob" {
			t.Errorf("stored answer: %d bytes (%s) starting %q, want a zlib blob, under a quarter of %d", len(raw), typ, raw[:min(len(raw), 4)], len(body))
		}
		// On SQLite the writer binds the answer (boundinsert.go) rather than
		// write it into the statement as hex.
		if db.Dialect() == store.SQLite && (len(cp.got) != 1 || !strings.Contains(cp.got[0], "status_code = ?")) {
			t.Errorf("answer written by %d statements %.120q, want one, bound on SQLite", len(cp.got), cp.got)
		}
		got, err := db.LoadResponse(ctx, 1, "big")
		if err != nil || got.Status != 201 || !bytes.Equal(got.Body, body) {
			t.Errorf("loaded answer: %d %.60s… (%v), want 201 and the body as sent", got.Status, got.Body, err)
		}
		if err := db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, response, content_type, created_at)
				VALUES (1, 'plain', 'h', 201, ?, 'application/json', ?)`, body, tx.Now)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		old, err := db.LoadResponse(ctx, 1, "plain")
		if err != nil || !bytes.Equal(old.Body, body) {
			t.Errorf("an answer stored plain: %.60s… (%v), want it as it is", old.Body, err)
		}
	})
}
