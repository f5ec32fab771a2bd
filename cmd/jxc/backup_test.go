package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// run runs the jxc binary and returns its output and error.
func run(bin, stdin string, args ...string) (string, error) {
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestBackupRestoreSQLite: a backup taken while jxc serves is the database
// as it was; a restore is refused while a jxc has the file open, puts the
// backup in place once it is stopped and keeps the file it replaced; a file
// that is no jxc database is refused.
func TestBackupRestoreSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs jxc serve")
	}
	bin := jxcBinary(t)
	dir := t.TempDir()
	db, backup := filepath.Join(dir, "shop.db"), filepath.Join(dir, "backup.db")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, stop := context.WithCancel(context.Background())
	srv := exec.CommandContext(ctx, bin, "serve", "--db", db, "--addr", addr, "--log-level", "warn", "--demo")
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stop(); _ = srv.Wait() }()
	for start := time.Now(); ; time.Sleep(100 * time.Millisecond) {
		if r, err := http.Get("http://" + addr + "/readyz"); err == nil {
			r.Body.Close()
			break
		}
		if time.Since(start) > 90*time.Second {
			t.Fatal("jxc serve did not start")
		}
	}
	if out, err := run(bin, "a long password 1\n", "user", "create", "boss", "--admin", "--db", db); err != nil {
		t.Fatalf("user create boss: %v\n%s", err, out)
	}

	out, err := run(bin, "", "backup", "--db", db, backup)
	if err != nil || !strings.Contains(out, "checked") {
		t.Fatalf("backup while serving: %v\n%s", err, out)
	}
	if out, err := run(bin, "", "backup", "--db", db, backup); err == nil || !strings.Contains(out, "exists") {
		t.Errorf("a second backup to the same file: %v\n%s", err, out)
	}
	// After the backup: a user the backup does not have.
	if out, err := run(bin, "another long password 2\n", "user", "create", "clerk", "--db", db); err != nil {
		t.Fatalf("user create clerk: %v\n%s", err, out)
	}
	if out, err := run(bin, "", "restore", "--db", db, backup); err == nil || !strings.Contains(out, "running jxc") {
		t.Errorf("restore while serving: %v\n%s", err, out)
	}
	stop()
	_ = srv.Wait()

	out, err = run(bin, "", "restore", "--db", db, backup)
	if err != nil || !strings.Contains(out, "kept as") {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	replaced, _ := filepath.Glob(db + ".replaced-*")
	if len(replaced) != 1 {
		t.Fatalf("replaced files %v", replaced)
	}
	// The restored database has boss and not clerk; the one replaced has both.
	if out, err := run(bin, "new password for boss 3\n", "user", "passwd", "boss", "--db", db); err != nil {
		t.Errorf("boss in the restored database: %v\n%s", err, out)
	}
	if out, err := run(bin, "new password for clerk 4\n", "user", "passwd", "clerk", "--db", db); err == nil {
		t.Errorf("clerk, created after the backup, is in the restored database:\n%s", out)
	}
	if out, err := run(bin, "new password for clerk 4\n", "user", "passwd", "clerk", "--db", replaced[0]); err != nil {
		t.Errorf("clerk in the replaced database: %v\n%s", err, out)
	}
	if out, err := run(bin, "", "check", "--db", db); err != nil || !strings.Contains(out, ": ok") {
		t.Errorf("check of the restored database: %v\n%s", err, out)
	}

	junk := filepath.Join(dir, "junk.db")
	if err := os.WriteFile(junk, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := run(bin, "", "restore", "--db", db, junk); err == nil || !strings.Contains(out, "not a SQLite database") {
		t.Errorf("restore of junk: %v\n%s", err, out)
	}
}

// TestBackupRestorePostgres: pg_dump of one database restored into another
// with pg_restore, through jxc backup and restore.
func TestBackupRestorePostgres(t *testing.T) {
	base := os.Getenv("JXC_TEST_POSTGRES")
	if testing.Short() || base == "" {
		t.Skip("needs JXC_TEST_POSTGRES and builds jxc")
	}
	if _, err := exec.LookPath("pg_dump"); err != nil {
		t.Skip("no pg_dump")
	}
	bin := jxcBinary(t)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	dsn := func() string { // a database of its own: pg_dump copies a whole database
		var b [6]byte
		_, _ = rand.Read(b[:])
		name := "jxc_bk_" + hex.EncodeToString(b[:])
		if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _, _ = admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
		u, _ := url.Parse(base)
		u.Path = "/" + name
		return u.String()
	}
	src, dst := dsn(), dsn()
	if out, err := run(bin, "", "migrate", "up", "--db", src); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	if out, err := run(bin, "a long password 1\n", "user", "create", "boss", "--admin", "--db", src); err != nil {
		t.Fatalf("user create: %v\n%s", err, out)
	}
	file := filepath.Join(t.TempDir(), "jxc.dump")
	if out, err := run(bin, "", "backup", "--db", src, file); err != nil || !strings.Contains(out, "pg_dump") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if out, err := run(bin, "", "restore", "--db", dst, file); err == nil || !strings.Contains(out, "--force") {
		t.Errorf("restore without --force: %v\n%s", err, out)
	}
	if out, err := run(bin, "", "restore", "--force", "--db", dst, file); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	if out, err := run(bin, "new password for boss 3\n", "user", "passwd", "boss", "--db", dst); err != nil {
		t.Errorf("boss in the restored database: %v\n%s", err, out)
	}
	if out, err := run(bin, "", "migrate", "status", "--db", dst); err != nil || strings.Contains(out, "pending") {
		t.Errorf("migrations of the restored database: %v\n%s", err, out)
	}
}
