package service

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/jxc-erp/jxc/internal/store"
)

// Scheduled backups (jxc serve --backup-dir): the server copies its
// database into a folder at a fixed interval and keeps the newest few.
// Set by whoever runs the server, not from the web app: the folder is a
// place on the server's disk, and the copies hold every company's data and
// every user's password hash. The web app's backup page shows the plan, the
// last run and the copies, so the owner can see that backups happen.

// BackupPlan is the server's schedule.
type BackupPlan struct {
	Dir   string        // where the copies go (made if missing)
	Every time.Duration // between two copies
	Keep  int           // how many copies stay; older ones made by the plan are removed
	// Dump writes a copy of a PostgreSQL database to path (pg_dump); the
	// service copies SQLite itself.
	Dump func(ctx context.Context, path string) error
}

// backupFileRE matches the copies a plan makes, and nothing else: pruning
// never touches a file it did not write.
var backupFileRE = regexp.MustCompile(`^jxc-\d{8}-\d{6}\.(db|dump)$`)

// ScheduledFile is one copy in the plan's folder.
type ScheduledFile struct {
	Name string    `json:"name"`
	Size int64     `json:"size" doc:"Bytes"`
	At   time.Time `json:"at" doc:"When the copy was made"`
}

// BackupSchedule is the plan and how it went, for the backup page.
type BackupSchedule struct {
	Enabled  bool            `json:"enabled" doc:"The server makes backups on a schedule (jxc serve --backup-dir)"`
	Dir      string          `json:"dir" doc:"The folder on the server the copies go to"`
	EverySec int64           `json:"every_seconds" doc:"Seconds between two copies"`
	Keep     int             `json:"keep" doc:"How many copies are kept"`
	LastAt   *time.Time      `json:"last_at" doc:"When the newest copy in the folder was made"`
	FailedAt *time.Time      `json:"failed_at" doc:"When the last attempt failed, if it did (null after a success); the server's log says why"`
	NextAt   *time.Time      `json:"next_at" doc:"When the next copy is due"`
	Files    []ScheduledFile `json:"files" doc:"The copies in the folder, newest first"`
}

// backupRun is what the running plan has done, for BackupState.
type backupRun struct {
	mu     sync.Mutex
	plan   *BackupPlan
	failed *time.Time // the last attempt failed then
	next   *time.Time
}

// RunBackupPlan makes a copy when the newest one in plan.Dir is Every old
// (at once when there is none, so a restart neither skips a copy nor makes
// an extra one), then one every Every, keeps the newest Keep and returns
// when ctx ends. A failed copy is logged, shown on the backup page and
// tried again an hour later (or an interval, when that is shorter). Copies
// left half-made by a crash are removed at the start.
func (s *Service) RunBackupPlan(ctx context.Context, plan BackupPlan) error {
	if plan.Every <= 0 || plan.Keep < 1 {
		return errors.New("backup plan: the interval must be positive and at least one copy kept")
	}
	if err := os.MkdirAll(plan.Dir, 0o700); err != nil {
		return fmt.Errorf("backup plan: %w", err)
	}
	if abs, err := filepath.Abs(plan.Dir); err == nil {
		plan.Dir = abs // the backup page names the folder whatever the server's working directory
	}
	if st, err := os.Stat(plan.Dir); err == nil && st.Mode().Perm()&0o077 != 0 {
		s.log.Warn("the backup folder can be opened by other users of this machine; the copies themselves are readable by their owner only",
			"dir", plan.Dir, "mode", st.Mode().Perm().String())
	}
	if partial, err := filepath.Glob(filepath.Join(plan.Dir, ".jxc-*.partial")); err == nil {
		for _, f := range partial {
			_ = os.Remove(f) // a copy cut short by a crash or a stop
		}
	}
	s.backups.mu.Lock()
	s.backups.plan = &plan
	s.backups.mu.Unlock()
	wait := time.Duration(0)
	if files, err := scheduledFiles(plan.Dir); err == nil && len(files) > 0 {
		wait = min(time.Until(files[0].At.Add(plan.Every)), plan.Every) // a copy dated ahead of the clock does not stop the plan
	}
	for {
		next := time.Now().Add(max(wait, 0)).Round(0) // the wall clock's time: see untilWall
		s.backups.mu.Lock()
		s.backups.next = &next
		s.backups.mu.Unlock()
		if !untilWall(ctx, next) {
			return nil
		}
		err := s.scheduledBackup(ctx, plan)
		if ctx.Err() != nil {
			return nil
		}
		s.backups.mu.Lock()
		s.backups.failed, wait = nil, plan.Every
		if err != nil { // again an hour later (sooner on a shorter plan), not at once
			now := time.Now()
			s.backups.failed, wait = &now, min(plan.Every, time.Hour)
			s.log.Error("scheduled backup", "dir", plan.Dir, "err", err)
		}
		s.backups.mu.Unlock()
	}
}

// untilWall waits until the wall clock reaches t, false if ctx ends first.
// It looks at the clock at least once a minute: a timer alone counts on
// the monotonic clock, which stops while the machine sleeps, so a shop PC
// asleep overnight would have put the night's copy off by its sleep.
func untilWall(ctx context.Context, t time.Time) bool {
	t = t.Round(0) // no monotonic reading: Until compares wall clocks
	for {
		d := time.Until(t)
		if d <= 0 {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(min(d, time.Minute)):
		}
	}
}

// scheduledBackup makes one copy under a temporary name, readable by its
// owner only (it holds every password hash), renames it into place when it
// is whole, and removes the oldest copies beyond Keep. It never replaces a
// copy of the same name (the clock set back).
func (s *Service) scheduledBackup(ctx context.Context, plan BackupPlan) error {
	ext := ".db"
	if s.db.Dialect() != store.SQLite {
		ext = ".dump"
	}
	name := "jxc-" + time.Now().Format("20060102-150405") + ext
	final := filepath.Join(plan.Dir, name)
	if _, err := os.Lstat(final); err == nil {
		return fmt.Errorf("%s exists: the clock is behind the newest copy", name)
	}
	tmp := filepath.Join(plan.Dir, "."+name+".partial")
	var err error
	var size int64
	if s.db.Dialect() == store.SQLite {
		var info store.BackupInfo
		info, err = s.db.Backup(ctx, tmp)
		size = info.Size
	} else if plan.Dump == nil {
		err = errors.New("no way to dump PostgreSQL configured")
	} else {
		err = plan.Dump(ctx, tmp)
	}
	if err == nil {
		err = os.Chmod(tmp, 0o600)
	}
	if err == nil {
		err = syncFile(tmp) // whole on disk before it counts as a copy
	}
	if err == nil {
		var st os.FileInfo
		if st, err = os.Stat(tmp); err == nil {
			size = st.Size()
		}
	}
	if err == nil {
		err = os.Rename(tmp, final)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return err
	}
	_ = syncFile(plan.Dir) // the rename itself
	s.log.Info("scheduled backup", "file", final, "bytes", size)
	files, err := scheduledFiles(plan.Dir)
	if err != nil {
		return err
	}
	for _, f := range files[min(plan.Keep, len(files)):] {
		if err := os.Remove(filepath.Join(plan.Dir, f.Name)); err != nil {
			return fmt.Errorf("remove an old backup: %w", err)
		}
	}
	return nil
}

// syncFile flushes a file or a folder to disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// scheduledFiles lists the plan's copies in dir, newest first. Their time
// is in their name (the file's own may change with a copy elsewhere).
func scheduledFiles(dir string) ([]ScheduledFile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []ScheduledFile
	for _, e := range entries {
		if !e.Type().IsRegular() || !backupFileRE.MatchString(e.Name()) {
			continue
		}
		at, err := time.ParseInLocation("20060102-150405", e.Name()[4:19], time.Local)
		if err != nil {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		files = append(files, ScheduledFile{Name: e.Name(), Size: info.Size(), At: at})
	}
	slices.SortFunc(files, func(a, b ScheduledFile) int { return b.At.Compare(a.At) })
	return files, nil
}

// backupSchedule is the plan's state (Enabled false without one). The
// folder is read outside the lock: a slow disk does not hold up the plan.
func (s *Service) backupSchedule() BackupSchedule {
	bs := BackupSchedule{Files: []ScheduledFile{}}
	s.backups.mu.Lock()
	p := s.backups.plan
	bs.FailedAt, bs.NextAt = s.backups.failed, s.backups.next
	s.backups.mu.Unlock()
	if p == nil {
		return BackupSchedule{Files: []ScheduledFile{}}
	}
	bs.Enabled, bs.Dir, bs.EverySec, bs.Keep = true, p.Dir, int64(p.Every/time.Second), p.Keep
	if files, err := scheduledFiles(p.Dir); err == nil && len(files) > 0 {
		bs.Files = files
		bs.LastAt = &files[0].At
	}
	return bs
}
