package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
)

// Backups of a SQLite database (`jxc backup`, `jxc restore`). A copy is
// taken with VACUUM INTO: one read transaction, so it is the database as of
// one instant, whatever the server commits meanwhile, and the server goes
// on posting while it is written (readers and the writer do not block each
// other in WAL mode). PostgreSQL has its own tools (pg_dump), which the
// command line calls.

// errFileInUse: another process holds the database file (lockFile).
var errFileInUse = errors.New("file in use")

// ErrNotSQLite is returned for a backup of a PostgreSQL database.
var ErrNotSQLite = errors.New("not a SQLite database: back PostgreSQL up with pg_dump")

// BackupInfo describes a backup file.
type BackupInfo struct {
	Size    int64 // bytes
	Version int64 // the newest migration applied in it
}

// FileSize is the size in bytes of the SQLite database file and its log, 0
// on PostgreSQL: about what a backup of it holds (the copy leaves out free
// pages, so it is often smaller).
func (db *DB) FileSize() int64 {
	if db.file == nil {
		return 0
	}
	var n int64
	for _, f := range []string{db.file.Name(), db.file.Name() + "-wal"} {
		if st, err := os.Stat(f); err == nil {
			n += st.Size()
		}
	}
	return n
}

// Backup writes a consistent copy of the SQLite database to path, which
// must not exist, and checks the copy (BackupCheck). A copy that fails its
// check is removed.
func (db *DB) Backup(ctx context.Context, path string) (BackupInfo, error) {
	if db.dialect != SQLite {
		return BackupInfo{}, ErrNotSQLite
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return BackupInfo{}, err
	}
	if _, err := os.Stat(abs); err == nil {
		return BackupInfo{}, fmt.Errorf("%s exists: a backup does not overwrite a file", path)
	}
	// A connection of its own: the readers' may not write (query_only),
	// not even another file, and the writer stays free for the postings
	// that come in meanwhile; the copy is one read transaction.
	h := sql.OpenDB(stmtConnector{dsn: "file:" + (&url.URL{Path: db.file.Name()}).EscapedPath() + "?_pragma=busy_timeout(10000)", drv: sqliteDriver})
	defer h.Close()
	if _, err := h.ExecContext(ctx, "VACUUM INTO ?", abs); err != nil {
		_ = os.Remove(abs)
		return BackupInfo{}, fmt.Errorf("backup: %w", err)
	}
	info, err := BackupCheck(ctx, abs)
	if err != nil {
		_ = os.Remove(abs)
		return BackupInfo{}, err
	}
	return info, nil
}

// BackupCheck opens a SQLite file read-only and checks that it is a whole
// jxc database: SQLite's quick_check passes and its migrations are ones
// this build knows (a newer build's backup is refused: its schema may hold
// what this one would not read right).
func BackupCheck(ctx context.Context, path string) (BackupInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return BackupInfo{}, err
	}
	h := sql.OpenDB(stmtConnector{dsn: "file:" + (&url.URL{Path: path}).EscapedPath() + "?mode=ro", drv: sqliteDriver})
	defer h.Close()
	var check string
	if err := h.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&check); err != nil {
		return BackupInfo{}, fmt.Errorf("%s is not a SQLite database: %w", path, err)
	}
	if check != "ok" {
		return BackupInfo{}, fmt.Errorf("%s is damaged: %s", path, check)
	}
	var v sql.NullInt64
	if err := h.QueryRowContext(ctx, "SELECT MAX(version_id) FROM goose_db_version WHERE is_applied").Scan(&v); err != nil || !v.Valid {
		return BackupInfo{}, fmt.Errorf("%s is not a jxc database (no migrations)", path)
	}
	latest, err := latestMigration(SQLite)
	if err != nil {
		return BackupInfo{}, err
	}
	if v.Int64 > latest {
		return BackupInfo{}, fmt.Errorf("%s is from a newer jxc (migration %d; this one knows %d): restore it with that version", path, v.Int64, latest)
	}
	return BackupInfo{Size: st.Size(), Version: v.Int64}, nil
}

// latestMigration is the newest migration of a dialect this build has.
func latestMigration(d Dialect) (int64, error) {
	names, err := MigrationFiles(d)
	if err != nil || len(names) == 0 {
		return 0, fmt.Errorf("migrations of %s: %v", d, err)
	}
	var n int64
	_, err = fmt.Sscanf(slices.Max(names), "%d_", &n)
	return n, err
}

// Restore replaces the SQLite database at target with the backup at from,
// after checking the backup (BackupCheck). No process may have target open:
// every jxc that opens a SQLite file holds a shared lock on it, and Restore
// takes it exclusively or refuses. The database it replaces is not lost: its
// log is checkpointed into it and it is kept beside it, renamed to
// <target>.replaced-<time>, which Restore returns ("" when there was none).
// The backup is copied to a temporary file next to target and renamed over
// it, so a restore cut short leaves target as it was.
func Restore(ctx context.Context, from, target string, now func() string) (info BackupInfo, replaced string, err error) {
	if info, err = BackupCheck(ctx, from); err != nil {
		return info, "", err
	}
	if _, err := os.Stat(target); err == nil {
		lock, err := lockFile(target, true)
		if errors.Is(err, errFileInUse) {
			return info, "", fmt.Errorf("%s is open in a running jxc: stop it first", target)
		} else if err != nil {
			return info, "", err
		}
		defer lock.Close()
		// What the old database's log holds goes into its file, so the
		// file kept aside is whole without its -wal.
		old := sql.OpenDB(stmtConnector{dsn: "file:" + (&url.URL{Path: target}).EscapedPath(), drv: sqliteDriver})
		_, err = old.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
		old.Close()
		if err != nil {
			return info, "", fmt.Errorf("checkpoint %s: %w", target, err)
		}
		replaced = target + ".replaced-" + now()
	}
	tmp := target + ".restoring"
	if err := copyFile(from, tmp); err != nil {
		_ = os.Remove(tmp)
		return info, "", err
	}
	if replaced != "" {
		if err := os.Rename(target, replaced); err != nil {
			_ = os.Remove(tmp)
			return info, "", err
		}
	}
	for _, side := range []string{"-wal", "-shm"} {
		if err := os.Remove(target + side); err != nil && !errors.Is(err, os.ErrNotExist) {
			return info, replaced, err
		}
	}
	if err := os.Rename(tmp, target); err != nil {
		return info, replaced, err
	}
	return info, replaced, syncDir(filepath.Dir(target))
}

// copyFile copies a file and flushes the copy to disk.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}
