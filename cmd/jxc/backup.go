package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/jxc-erp/jxc/internal/store"
)

// backupCmd copies the database while jxc keeps running: SQLite through
// the store (one consistent read, checked afterwards), PostgreSQL through
// pg_dump, PostgreSQL's own tool, in its custom format (pg_restore reads it).
func backupCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "backup FILE",
		Short: "Copy the database to FILE while jxc runs (SQLite: a checked copy; PostgreSQL: pg_dump)",
		Long: `Copies the database named by --db to FILE, which must not exist. jxc may keep
running: the copy is the database as of one instant.

SQLite: the copy is itself a SQLite database, checked (quick_check) before the
command answers. PostgreSQL: runs pg_dump --format=custom (PostgreSQL's client
tools must be installed); restore it with jxc restore or pg_restore.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			if store.IsPostgres(g.db) {
				if _, err := os.Stat(args[0]); err == nil {
					return fmt.Errorf("%s exists: a backup does not overwrite a file", args[0])
				}
				if err := pgDump(cmd.Context(), cmd.ErrOrStderr(), g.db, args[0]); err != nil {
					_ = os.Remove(args[0])
					return err
				}
				st, err := os.Stat(args[0])
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "backed up to %s (%s, pg_dump custom format)\n", args[0], size(st.Size()))
				return nil
			}
			if _, err := os.Stat(g.db); err != nil {
				return fmt.Errorf("no database at %s: %w", g.db, err)
			}
			db, err := g.open(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer db.Close()
			t0 := time.Now()
			info, err := db.Backup(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "backed up to %s (%s, migration %d, checked) in %.1f s\n", args[0], size(info.Size), info.Version, time.Since(t0).Seconds())
			return nil
		},
	}
}

// restoreCmd puts a backup in the place of the database.
func restoreCmd(g *globals) *cobra.Command {
	var force bool
	c := &cobra.Command{
		Use:   "restore FILE",
		Short: "Replace the database with a backup (stop jxc first; the replaced SQLite file is kept)",
		Long: `Replaces the database named by --db with the backup in FILE.

SQLite: FILE is checked first (a whole SQLite database of jxc, not from a newer
jxc). jxc must not be running on the database: the restore refuses while any jxc
has it open. The database it replaces is kept beside it as
<file>.replaced-<time>. Start jxc afterwards: it applies the migrations a backup
from an older version lacks.

PostgreSQL: runs pg_restore --clean --if-exists into the database (PostgreSQL's
client tools must be installed); what the database held is dropped, so it asks
for --force.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			if store.IsPostgres(g.db) {
				if !force {
					return errors.New("restoring into PostgreSQL drops what the database holds: back it up first (jxc backup), then add --force")
				}
				if err := pgTool(cmd.Context(), cmd.ErrOrStderr(), g.db, "pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", args[0]); err != nil {
					return err
				}
				fmt.Fprintf(out, "restored %s into the PostgreSQL database\n", args[0])
				return nil
			}
			info, replaced, err := store.Restore(cmd.Context(), args[0], g.db, func() string { return time.Now().Format("20060102-150405") })
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "restored %s (%s, migration %d) to %s\n", args[0], size(info.Size), info.Version, g.db)
			if replaced != "" {
				fmt.Fprintf(out, "the database it replaced is kept as %s\n", replaced)
			}
			return nil
		},
	}
	c.Flags().BoolVar(&force, "force", false, "PostgreSQL: drop what the database holds")
	return c
}

// pgDump writes the PostgreSQL database dsn to file in pg_dump's custom
// format (jxc backup, and the scheduled backups of jxc serve).
func pgDump(ctx context.Context, stderr io.Writer, dsn, file string) error {
	return pgTool(ctx, stderr, dsn, "pg_dump", "--format=custom", "--no-owner", "--file="+file)
}

// pgTool runs one of PostgreSQL's client tools on the database dsn, its
// messages to stderr. A password in the URL goes in the tool's environment
// (PGPASSWORD), not on its command line, where other users could read it.
func pgTool(ctx context.Context, stderr io.Writer, dsn, name string, args ...string) error {
	path, err := exec.LookPath(name)
	if err != nil {
		return fmt.Errorf("%s not found: install PostgreSQL's client tools (Debian: postgresql-client) of the server's version or newer", name)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return fmt.Errorf("--db: %w", err)
	}
	q := u.Query() // what pgx reads and libpq would refuse
	for k := range q {
		if k == "default_query_exec_mode" || strings.HasPrefix(k, "pool_") || strings.HasSuffix(k, "_cache_capacity") {
			q.Del(k)
		}
	}
	if sp := q.Get("search_path"); sp != "" && name == "pg_dump" { // jxc in a schema of its own: that schema
		args = append(args, "--schema="+sp)
	}
	q.Del("search_path")
	u.RawQuery = q.Encode()
	env := os.Environ()
	if pw, ok := u.User.Password(); ok {
		env = append(env, "PGPASSWORD="+pw)
		u.User = url.User(u.User.Username())
	}
	c := exec.CommandContext(ctx, path, append(args, "--dbname="+u.String())...)
	c.Env = env
	c.Stdout, c.Stderr = stderr, stderr
	if err := c.Run(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
}
