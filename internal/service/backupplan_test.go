package service_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// TestBackupPlan runs the scheduled backups of jxc serve --backup-dir: a
// copy at once into an empty folder, then one each interval, the newest
// Keep kept and nothing else in the folder touched; a restart waits for
// the newest copy's interval; a failed copy leaves no file and shows on
// the backup page.
func TestBackupPlan(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := newService(db)
		admin := &domain.Principal{UserID: 1, IsAdmin: true}
		dir := t.TempDir()
		for _, name := range []string{"notes.txt", "jxc-backup-20250101-000000.db", "jxc-20200101-000000.db.bak", ".jxc-20200101-000000.db.partial"} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte("mine"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		dumped := 0
		plan := service.BackupPlan{Dir: dir, Every: 1100 * time.Millisecond, Keep: 2,
			Dump: func(_ context.Context, path string) error {
				dumped++
				return os.WriteFile(path, []byte("PGDMP"), 0o600)
			}}
		if st, err := svc.BackupState(admin); err != nil || st.Schedule.Enabled {
			t.Fatalf("before a plan: %+v, %v; want not enabled", st.Schedule, err)
		}
		ctx, stop := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- svc.RunBackupPlan(ctx, plan) }()
		var made []string
		for start := time.Now(); time.Since(start) < 30*time.Second; time.Sleep(50 * time.Millisecond) {
			st, _ := svc.BackupState(admin)
			for _, f := range st.Schedule.Files {
				if len(made) == 0 || made[len(made)-1] < f.Name {
					made = append(made, f.Name)
				}
			}
			if len(made) >= 3 {
				break
			}
		}
		stop()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if len(made) < 3 {
			t.Fatalf("copies made in 30 s: %v; want 3 at 1.1 s apart", made)
		}
		st, err := svc.BackupState(admin)
		if err != nil {
			t.Fatal(err)
		}
		s := st.Schedule
		if !s.Enabled || s.Dir != dir || s.EverySec != 1 || s.Keep != 2 || s.FailedAt != nil || s.LastAt == nil || s.NextAt == nil {
			t.Errorf("schedule %+v", s)
		}
		if len(s.Files) != 2 || s.Files[0].Name <= s.Files[1].Name || !s.LastAt.Equal(s.Files[0].At) {
			t.Fatalf("files %+v: want the newest 2, newest first", s.Files)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 5 {
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			t.Errorf("the folder holds %v: want the 3 files of others and 2 copies, no partial copy (a crash's removed)", names)
		}
		for _, f := range s.Files {
			if st, err := os.Stat(filepath.Join(dir, f.Name)); err != nil || st.Mode().Perm() != 0o600 {
				t.Errorf("copy %s: %v, %v; want readable by its owner only (it holds the password hashes)", f.Name, st.Mode(), err)
			}
		}
		newest := filepath.Join(dir, s.Files[0].Name)
		if db.Dialect() == store.SQLite {
			if filepath.Ext(newest) != ".db" {
				t.Errorf("copy %s: want .db", newest)
			}
			if info, err := store.BackupCheck(context.Background(), newest); err != nil || info.Version == 0 {
				t.Errorf("the newest copy is not a whole jxc database: %+v, %v", info, err)
			}
		} else if filepath.Ext(newest) != ".dump" || dumped < 3 {
			t.Errorf("copy %s after %d dumps: want .dump, each made by the dump", newest, dumped)
		}

		// A restart with the newest copy fresh waits for its interval.
		plan.Every = time.Hour
		ctx, stop = context.WithCancel(context.Background())
		go func() { done <- svc.RunBackupPlan(ctx, plan) }()
		time.Sleep(300 * time.Millisecond)
		st, _ = svc.BackupState(admin)
		stop()
		<-done
		if len(st.Schedule.Files) != 2 || st.Schedule.Files[0].Name != s.Files[0].Name {
			t.Errorf("after a restart: %+v; want no new copy", st.Schedule.Files)
		}
		if n := st.Schedule.NextAt; n == nil || n.Sub(s.Files[0].At.Add(time.Hour)).Abs() > time.Second {
			t.Errorf("next at %v; want an hour after %v", n, s.Files[0].At)
		}

		// A copy that fails leaves nothing and shows (PostgreSQL: the dump
		// fails; a SQLite copy cannot be made to fail here, as root).
		if db.Dialect() == store.SQLite {
			return
		}
		tries := 0
		plan.Dump = func(context.Context, string) error { tries++; return errors.New("pg_dump: connection refused") }
		plan.Dir = t.TempDir() // empty: due at once
		ctx, stop = context.WithCancel(context.Background())
		go func() { done <- svc.RunBackupPlan(ctx, plan) }()
		var failed *time.Time
		for start := time.Now(); time.Since(start) < 10*time.Second && failed == nil; time.Sleep(50 * time.Millisecond) {
			st, _ = svc.BackupState(admin)
			failed = st.Schedule.FailedAt
		}
		time.Sleep(300 * time.Millisecond) // not tried again at once
		stop()
		<-done
		if tries != 1 {
			t.Errorf("the failing dump ran %d times in 0.3 s; want once, then again in an hour", tries)
		}
		if failed == nil || len(st.Schedule.Files) != 0 {
			t.Fatalf("a failing copy: %+v; want failed_at and no copy", st.Schedule)
		}
		if entries, _ = os.ReadDir(plan.Dir); len(entries) != 0 {
			t.Errorf("a failed copy left %d file(s)", len(entries))
		}
	})
}
