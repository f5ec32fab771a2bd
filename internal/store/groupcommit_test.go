package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
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
