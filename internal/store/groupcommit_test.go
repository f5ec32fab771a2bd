package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"
)

type commitCounter struct {
	mu      sync.Mutex
	commits int
}

func (c *commitCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}
func (c *commitCounter) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	if e.Query == "COMMIT" {
		c.mu.Lock()
		c.commits++
		c.mu.Unlock()
	}
}

// Updates that wait for SQLite's writer together commit together, and
// each still means "committed, or nothing": a failing or panicking update
// in a group changes nothing, the others are all there, and each caller
// returns after the commit that holds its work.
func TestGroupCommit(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "g.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.commits == nil {
		t.Fatal("SQLite opened without the group-commit writer")
	}
	if err := db.Update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE g (n INTEGER PRIMARY KEY, note TEXT NOT NULL)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	cnt := &commitCounter{}
	db.AddQueryHook(cnt)

	const n = 40
	release := make(chan struct{})
	errs := make([]error, n)
	panics := make([]any, n)
	var wg sync.WaitGroup
	insert := func(i int) {
		defer wg.Done()
		defer func() { panics[i] = recover() }()
		errs[i] = db.Update(ctx, func(tx *Tx) error {
			if i == 0 {
				<-release // holds the writer while the others queue up
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO g (n, note) VALUES (?, ?)`, i, fmt.Sprint("row ", i)); err != nil {
				return err
			}
			switch {
			case i%5 == 1:
				return errors.New("refused")
			case i%7 == 3:
				panic("boom")
			case i%9 == 2: // a statement error inside the group
				_, err := tx.ExecContext(ctx, `INSERT INTO g (n, note) VALUES (?, NULL)`, 1000+i)
				return err
			}
			return nil
		})
	}
	wg.Add(1)
	go insert(0)
	for len(db.commits) != 0 { // the writer has taken update 0
		time.Sleep(time.Millisecond)
	}
	time.Sleep(10 * time.Millisecond)
	for i := 1; i < n; i++ {
		wg.Add(1)
		go insert(i)
	}
	for len(db.commits) < n-1 {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()

	want := map[int]bool{}
	for i := range n {
		failed := i%5 == 1 || i%7 == 3 || i%9 == 2
		switch {
		case i%5 == 1 && (errs[i] == nil || errs[i].Error() != "refused"):
			t.Errorf("update %d: err %v, want refused", i, errs[i])
		case i%5 != 1 && i%7 == 3 && panics[i] != "boom":
			t.Errorf("update %d: panic %v, want boom", i, panics[i])
		case i%5 != 1 && i%7 != 3 && i%9 == 2 && errs[i] == nil:
			t.Errorf("update %d: a NOT NULL violation was not reported", i)
		case !failed && (errs[i] != nil || panics[i] != nil):
			t.Errorf("update %d: err %v, panic %v", i, errs[i], panics[i])
		}
		want[i] = !failed
	}
	var got []int
	if err := db.View(ctx, func(tx *Tx) error { return tx.NewRaw(`SELECT n FROM g ORDER BY n`).Scan(ctx, &got) }); err != nil {
		t.Fatal(err)
	}
	have := map[int]bool{}
	for _, i := range got {
		have[i] = true
	}
	for i := range n {
		if have[i] != want[i] {
			t.Errorf("row %d present %v, want %v", i, have[i], want[i])
		}
	}
	if len(got) != len(have) || len(have) > n {
		t.Errorf("rows %v", got)
	}
	// Update 0 alone, then the 39 that queued behind it in one group.
	if cnt.commits != 2 {
		t.Errorf("%d commits for %d updates, want 2", cnt.commits, n)
	}
}

// With NoGroupCommit every update commits on its own.
func TestNoGroupCommit(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "g.db"), Options{NoGroupCommit: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.commits != nil {
		t.Fatal("group commit is on")
	}
}

// A stored answer (SaveResponse) on SQLite does not cost a commit of its
// own: it is written by the writer's next transaction, found by
// LoadResponse while it waits, written alone when the database stays idle,
// kept when the transaction that was to carry it fails, and written on
// Close.
func TestAnswersRideWithNextWrite(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE g (n INTEGER PRIMARY KEY)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	db.answers.setDelay(time.Hour) // nothing written alone until the idle check below
	cnt := &commitCounter{}
	db.AddQueryHook(cnt)
	commits := func() int { cnt.mu.Lock(); defer cnt.mu.Unlock(); return cnt.commits }
	stored := func(db *DB, key string) (status int, body string) {
		t.Helper()
		var b []byte
		if err := db.r.QueryRowContext(ctx, `SELECT status_code, COALESCE(response, '') FROM idempotency_keys WHERE user_id = 1 AND key = ?`, key).Scan(&status, &b); err != nil {
			t.Fatalf("key %s: %v", key, err)
		}
		return status, string(b)
	}
	// A request: its claim commits with its change, then its answer is saved.
	request := func(key string, fail bool) {
		t.Helper()
		c := &Claim{UserID: 1, Key: key, Hash: "h-" + key}
		err := db.Update(WithClaim(ctx, c), func(tx *Tx) error {
			if fail {
				return errors.New("refused")
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO g DEFAULT VALUES`)
			return err
		})
		if fail {
			if err == nil {
				t.Fatal("a failing update committed")
			}
			return
		}
		if err != nil || !c.Committed() {
			t.Fatalf("update %s: %v (committed %v)", key, err, c.Committed())
		}
		if err := db.SaveResponse(ctx, c, 201, "application/json", []byte(`{"k":"`+key+`"}`)); err != nil {
			t.Fatal(err)
		}
	}

	before := commits()
	request("a", false)
	if got := commits() - before; got != 1 {
		t.Fatalf("a request and its answer took %d commits, want 1", got)
	}
	if st, _ := stored(db, "a"); st != 0 {
		t.Fatalf("answer a written at once (status %d); it should wait for the next write", st)
	}
	r, err := db.LoadResponse(ctx, 1, "a")
	if err != nil || r.Status != 201 || string(r.Body) != `{"k":"a"}` || r.Hash != "h-a" {
		t.Fatalf("LoadResponse while waiting = %+v, %v", r, err)
	}
	request("b", false) // carries a's answer
	if st, body := stored(db, "a"); st != 201 || body != `{"k":"a"}` {
		t.Fatalf("answer a after the next write = %d %q", st, body)
	}
	if got := commits() - before; got != 2 {
		t.Fatalf("two requests took %d commits, want 2", got)
	}
	db.answers.setDelay(time.Millisecond)
	request("x", true) // fails and rolls back b's answer with it: b's answer is queued again
	deadline := time.Now().Add(5 * time.Second)
	for { // the database idle: the writer writes it alone after answerDelay
		if st, body := stored(db, "b"); st == 201 && body == `{"k":"b"}` {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("answer b never written on an idle database")
		}
		time.Sleep(answerDelay)
	}
	request("c", false)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db2, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db2.Close() }()
	if st, body := stored(db2, "c"); st != 201 || body != `{"k":"c"}` {
		t.Fatalf("answer c after Close = %d %q", st, body)
	}
}

// The group-commit writer leaves checkpoints to the checkpointer: its own
// connection never copies the log into the database file, and yet the
// pages written reach the file soon after the commits, while the database
// stays open. Without group commit SQLite's own checkpoints stay on.
func TestCheckpointer(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "c.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	auto := func(db *DB) (n int) {
		t.Helper()
		if err := db.w.QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := auto(db); n != 0 {
		t.Fatalf("the writer checkpoints after %d pages itself, want 0 (the checkpointer does)", n)
	}
	if err := db.Update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE c (n INTEGER PRIMARY KEY, note TEXT NOT NULL)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	size := func() int64 {
		t.Helper()
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size()
	note := strings.Repeat("x", 4000)
	for i := range 64 { // 64 updates of 4 rows of a page each: 1 MB
		if err := db.Update(ctx, func(tx *Tx) error {
			for j := range 4 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO c (n, note) VALUES (?, ?)`, i*4+j, note); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for size() < before+1<<20 {
		if time.Now().After(deadline) {
			t.Fatalf("the database file is %d bytes 10 s after 1 MB was committed (%d before): nothing checkpointed", size(), before)
		}
		time.Sleep(20 * time.Millisecond)
	}
	var n int
	if err := db.View(ctx, func(tx *Tx) error {
		return tx.NewRaw(`SELECT count(*) FROM c`).Scan(ctx, &n)
	}); err != nil || n != 256 {
		t.Fatalf("rows = %d, %v; want 256", n, err)
	}

	alone, err := Open(ctx, filepath.Join(t.TempDir(), "a.db"), Options{NoGroupCommit: true})
	if err != nil {
		t.Fatal(err)
	}
	defer alone.Close()
	if n := auto(alone); n != 1000 {
		t.Errorf("without group commit the writer checkpoints after %d pages, want SQLite's 1000", n)
	}
}
