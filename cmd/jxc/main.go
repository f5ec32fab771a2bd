// Command jxc is the whole jxc 进销存 system in one binary: the server with
// its web app, migrations, user administration and maintenance commands.
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/jxc-erp/jxc/internal/demo"
	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/httpapi"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/ui"
)

// version is set at build time: -ldflags "-X main.version=v1.2.3".
var version = "dev"

func main() {
	if err := rootCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "jxc:", err)
		os.Exit(1)
	}
}

// env returns the JXC_* environment variable or def: configuration is
// flags first, then environment, then defaults.
func env(name, def string) string {
	if v, ok := os.LookupEnv("JXC_" + name); ok && v != "" {
		return v
	}
	return def
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

type globals struct {
	db            string
	logFormat     string
	logLevel      string
	noGroupCommit bool
}

func rootCmd() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:           "jxc",
		Short:         "jxc 进销存 — purchasing, sales and inventory for small and medium businesses",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&g.db, "db", env("DB", "jxc.db"), "database: a SQLite file path or a postgres:// URL (env JXC_DB)")
	root.PersistentFlags().StringVar(&g.logFormat, "log-format", env("LOG_FORMAT", "json"), "log format: json or text (env JXC_LOG_FORMAT)")
	root.PersistentFlags().StringVar(&g.logLevel, "log-level", env("LOG_LEVEL", "info"), "log level: debug, info, warn, error (env JXC_LOG_LEVEL)")
	root.AddCommand(serveCmd(g), migrateCmd(g), userCmd(g), checkCmd(g), backupCmd(g), restoreCmd(g), benchCmd(g), versionCmd())
	return root
}

func (g *globals) logger() *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(g.logLevel))
	opts := &slog.HandlerOptions{Level: lvl}
	var h slog.Handler = slog.NewJSONHandler(os.Stderr, opts)
	if g.logFormat == "text" {
		h = slog.NewTextHandler(os.Stderr, opts)
	}
	l := slog.New(h)
	slog.SetDefault(l)
	return l
}

// open connects to the database and applies pending migrations.
func (g *globals) open(ctx context.Context, migrate bool) (*store.DB, error) {
	db, err := store.Open(ctx, g.db, store.Options{NoGroupCommit: g.noGroupCommit})
	if err != nil {
		return nil, err
	}
	if migrate {
		if err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("migrate: %w", err)
		}
	}
	return db, nil
}

func serveCmd(g *globals) *cobra.Command {
	var addr, pprofAddr, backupDir string
	var demoData, secure bool
	var recostRows, backupKeep int
	var backupEvery time.Duration
	c := &cobra.Command{
		Use:   "serve",
		Short: "Run the server (API and web app); migrates the database first",
		RunE: func(cmd *cobra.Command, _ []string) error {
			log := g.logger()
			if v := env("BACKUP_EVERY", ""); v != "" && !cmd.Flags().Changed("backup-every") {
				d, err := time.ParseDuration(v)
				if err != nil {
					return fmt.Errorf("JXC_BACKUP_EVERY=%q: a duration such as 24h or 30m: %w", v, err)
				}
				backupEvery = d
			}
			if backupDir != "" && (backupEvery < time.Minute || backupKeep < 1) {
				return errors.New("--backup-every must be at least 1m and --backup-keep at least 1")
			}
			if backupDir != "" && store.IsPostgres(g.db) {
				if _, err := exec.LookPath("pg_dump"); err != nil {
					return errors.New("--backup-dir on PostgreSQL runs pg_dump, which is not installed: install PostgreSQL's client tools (Debian: postgresql-client) of the server's version or newer")
				}
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			db, err := g.open(ctx, true)
			if err != nil {
				return err
			}
			defer db.Close()
			if off, err := db.AutovacuumOff(ctx); err == nil && off {
				log.Warn("PostgreSQL's autovacuum is off: statistics go stale as tables grow, cached plans keep scanning whole tables and dead rows pile up; turn it on (autovacuum = on in postgresql.conf)")
			}
			cfg := service.DefaultConfig()
			cfg.RecostInlineRows = recostRows
			svc := service.New(db, log, cfg)
			if demoData {
				created, err := demo.Load(ctx, svc)
				if err != nil {
					return fmt.Errorf("demo data: %w", err)
				}
				if created {
					log.Info("demo company loaded")
					// PostgreSQL's autovacuum analyzes a new table at most a
					// minute later; until then the planner has no statistics
					// and guesses a few rows (the low-stock report took 50 ms
					// on a fresh demo for want of a hash join). SQLite plans
					// without statistics by design here, so only PostgreSQL.
					if db.Dialect() == store.Postgres {
						if err := db.Analyze(ctx); err != nil {
							return fmt.Errorf("demo data: analyze: %w", err)
						}
					}
				}
			}
			srv := httpapi.New(svc, httpapi.Options{Version: version, UI: ui.Handler(), SecureCookies: secure, Log: log})
			hs := &http.Server{Addr: addr, Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
				WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute, BaseContext: func(net.Listener) context.Context { return ctx }}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			if pprofAddr != "" {
				if _, err := servePprof(ctx, pprofAddr, log); err != nil {
					return fmt.Errorf("--pprof: %w", err)
				}
			}
			go housekeeping(ctx, svc, log)
			// A copy under way ends (and its partial file goes) before the process does.
			var backups sync.WaitGroup
			bctx, stopBackups := context.WithCancel(ctx)
			defer func() { stopBackups(); backups.Wait() }()
			if backupDir != "" {
				plan := service.BackupPlan{Dir: backupDir, Every: backupEvery, Keep: backupKeep,
					Dump: func(ctx context.Context, file string) error { return pgDump(ctx, os.Stderr, g.db, file) }}
				if err := os.MkdirAll(backupDir, 0o700); err != nil {
					return fmt.Errorf("--backup-dir: %w", err)
				}
				backups.Add(1)
				go func() {
					defer backups.Done()
					if err := svc.RunBackupPlan(bctx, plan); err != nil {
						log.Error("scheduled backups stopped", "err", err)
					}
				}()
			}
			go svc.RecostWorker(ctx, 5*time.Second)
			needed, _ := svc.SetupNeeded(ctx)
			log.Info("jxc serving", "addr", "http://"+ln.Addr().String(), "db", db.Dialect(), "version", version, "first_run", needed)
			if needed {
				fmt.Fprintf(os.Stderr, "\n  jxc is ready at http://%s — open it to create the administrator (first run).\n\n", ln.Addr())
			}
			errc := make(chan error, 1)
			go func() { errc <- hs.Serve(ln) }()
			select {
			case err := <-errc:
				return err
			case <-ctx.Done():
			}
			log.Info("shutting down")
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
			defer cancel()
			if err := hs.Shutdown(sctx); err != nil {
				return err
			}
			if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		},
	}
	c.Flags().StringVar(&addr, "addr", env("ADDR", "127.0.0.1:8080"), "listen address (env JXC_ADDR)")
	c.Flags().BoolVar(&demoData, "demo", env("DEMO", "") == "1", "load the demo company once (env JXC_DEMO=1)")
	c.Flags().IntVar(&recostRows, "recost-inline-rows", atoi(env("RECOST_INLINE_ROWS", "0")),
		"most ledger rows a back-dated posting re-costs itself; more become a background job (0: 5000; env JXC_RECOST_INLINE_ROWS)")
	c.Flags().BoolVar(&g.noGroupCommit, "no-group-commit", env("NO_GROUP_COMMIT", "") == "1",
		"SQLite: commit every write on its own instead of together with the writes waiting beside it (for measuring; env JXC_NO_GROUP_COMMIT=1)")
	c.Flags().StringVar(&pprofAddr, "pprof", env("PPROF", ""),
		"serve Go's profiler on this loopback address, e.g. 127.0.0.1:6060 (for measuring; off when empty; env JXC_PPROF)")
	c.Flags().StringVar(&backupDir, "backup-dir", env("BACKUP_DIR", ""),
		"back the database up into this folder on a schedule (off when empty; env JXC_BACKUP_DIR); SQLite: checked copies, PostgreSQL: pg_dump")
	c.Flags().DurationVar(&backupEvery, "backup-every", 24*time.Hour,
		"with --backup-dir: time between two backups, at least 1m (env JXC_BACKUP_EVERY)")
	c.Flags().IntVar(&backupKeep, "backup-keep", atoi(env("BACKUP_KEEP", "7")),
		"with --backup-dir: how many backups to keep; older ones it made are removed (env JXC_BACKUP_KEEP)")
	c.Flags().BoolVar(&secure, "secure-cookies", env("SECURE_COOKIES", "") == "1", "mark cookies Secure (behind HTTPS; env JXC_SECURE_COOKIES=1)")
	return c
}

// housekeeping prunes expired sessions and old idempotency keys hourly.
func housekeeping(ctx context.Context, svc *service.Service, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if err := svc.Prune(ctx); err != nil && ctx.Err() == nil {
			log.Warn("housekeeping", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func migrateCmd(g *globals) *cobra.Command {
	c := &cobra.Command{Use: "migrate", Short: "Database migrations: up, down, status"}
	c.AddCommand(&cobra.Command{
		Use: "up", Short: "Apply all pending migrations",
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := g.open(cmd.Context(), true)
			if err != nil {
				return err
			}
			defer db.Close()
			return printStatus(cmd.OutOrStdout(), cmd.Context(), db)
		},
	}, &cobra.Command{
		Use: "down", Short: "Roll back the newest migration (data in its tables is lost)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := g.open(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer db.Close()
			if err := db.MigrateDown(cmd.Context()); err != nil {
				return err
			}
			return printStatus(cmd.OutOrStdout(), cmd.Context(), db)
		},
	}, &cobra.Command{
		Use: "status", Short: "List migrations and whether they are applied",
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := g.open(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer db.Close()
			return printStatus(cmd.OutOrStdout(), cmd.Context(), db)
		},
	})
	return c
}

func printStatus(w io.Writer, ctx context.Context, db *store.DB) error {
	st, err := db.MigrateStatus(ctx)
	if err != nil {
		return err
	}
	for _, s := range st {
		state := "pending"
		if s.Applied {
			state = "applied " + s.At.Format(time.RFC3339)
		}
		fmt.Fprintf(w, "%05d  %-40s %s\n", s.Version, s.Name, state)
	}
	return nil
}

// readPassword reads a password from stdin (one line). There is no default
// password and no password on the command line, where ps would show it.
func readPassword(in io.Reader, out io.Writer, prompt string) (string, error) {
	fmt.Fprint(out, prompt)
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func userCmd(g *globals) *cobra.Command {
	c := &cobra.Command{Use: "user", Short: "Create users and set passwords (reads the password from standard input)"}
	var admin bool
	var display string
	create := &cobra.Command{
		Use: "create USERNAME", Short: "Create a user; the password is read from standard input", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := g.open(cmd.Context(), true)
			if err != nil {
				return err
			}
			defer db.Close()
			pw, err := readPassword(cmd.InOrStdin(), cmd.ErrOrStderr(), "password: ")
			if err != nil {
				return err
			}
			svc := service.New(db, g.logger(), service.DefaultConfig())
			u := domain.User{Username: args[0], DisplayName: display, IsAdmin: admin, Active: true}
			created, err := svc.CreateUser(cmd.Context(), service.System(0), service.CreateUserInput{User: u, Password: pw})
			if err != nil {
				return describe(err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "created user %s (id %d)\n", created.Username, created.ID)
			return nil
		},
	}
	create.Flags().BoolVar(&admin, "admin", false, "make the user an administrator")
	create.Flags().StringVar(&display, "name", "", "display name")
	passwd := &cobra.Command{
		Use: "passwd USERNAME", Short: "Set a user's password (read from standard input); ends their sessions", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := g.open(cmd.Context(), true)
			if err != nil {
				return err
			}
			defer db.Close()
			pw, err := readPassword(cmd.InOrStdin(), cmd.ErrOrStderr(), "new password: ")
			if err != nil {
				return err
			}
			svc := service.New(db, g.logger(), service.DefaultConfig())
			if err := svc.SetPasswordByUsername(cmd.Context(), args[0], pw); err != nil {
				return describe(err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "password of %s changed\n", args[0])
			return nil
		},
	}
	c.AddCommand(create, passwd)
	return c
}

// describe spells out field errors for the terminal.
func describe(err error) error {
	var e *domain.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		var b strings.Builder
		b.WriteString(e.Message)
		for _, f := range e.Fields {
			fmt.Fprintf(&b, "\n  %s: %s", f.Field, f.Rule)
			for k, v := range f.Params {
				fmt.Fprintf(&b, " %s=%s", k, v)
			}
		}
		return errors.New(b.String())
	}
	return err
}

func versionCmd() *cobra.Command {
	return &cobra.Command{
		Use: "version", Short: "Print the version",
		Run: func(cmd *cobra.Command, _ []string) { fmt.Fprintln(cmd.OutOrStdout(), "jxc", version) },
	}
}

// checkCmd proves the stock invariants of every company and exits non-zero
// when one is broken; --repair first rebuilds the projections from the
// ledger.
func checkCmd(g *globals) *cobra.Command {
	var repair bool
	c := &cobra.Command{
		Use:   "check",
		Short: "Prove the stock invariants: ledger = balances, reserved ≤ on hand, value = cost layers, no forbidden negative stock",
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := g.open(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer db.Close()
			svc := service.New(db, g.logger(), service.DefaultConfig())
			out := cmd.OutOrStdout()
			if repair {
				// Re-costs that wait for a server run first.
				if n, err := svc.RunRecostJobs(cmd.Context()); err != nil {
					return err
				} else if n > 0 {
					fmt.Fprintf(out, "ran %d re-costing job(s)\n", n)
				}
				cos, err := svc.CheckAllStock(cmd.Context())
				if err != nil {
					return err
				}
				for _, c := range cos {
					done, err := svc.RepairStock(cmd.Context(), c.Company.ID)
					if err != nil {
						return fmt.Errorf("repair %s: %w", c.Company.Code, err)
					}
					for _, d := range done {
						fmt.Fprintf(out, "%s: repaired: %s\n", c.Company.Code, d)
					}
				}
			}
			res, err := svc.CheckAllStock(cmd.Context())
			if err != nil {
				return err
			}
			bad := 0
			for _, c := range res {
				if len(c.Problems) == 0 {
					fmt.Fprintf(out, "%s %s: ok\n", c.Company.Code, c.Company.Name)
					continue
				}
				bad += len(c.Problems)
				fmt.Fprintf(out, "%s %s: %d problem(s)\n", c.Company.Code, c.Company.Name, len(c.Problems))
				for _, p := range c.Problems {
					fmt.Fprintf(out, "  %s\n", p)
				}
			}
			if bad > 0 {
				return fmt.Errorf("%d stock invariant(s) broken", bad)
			}
			return nil
		},
	}
	c.Flags().BoolVar(&repair, "repair", false, "rebuild balances and cost states from the ledger first")
	return c
}
