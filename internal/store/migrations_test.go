package store_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// Every schema change is written twice, once per engine, under the same
// name, so neither engine can fall behind.
func TestMigrationFilesParity(t *testing.T) {
	lite, err := store.MigrationFiles(store.SQLite)
	if err != nil {
		t.Fatalf("MigrationFiles(SQLite): %v", err)
	}
	pg, err := store.MigrationFiles(store.Postgres)
	if err != nil {
		t.Fatalf("MigrationFiles(Postgres): %v", err)
	}
	if len(lite) == 0 || len(pg) == 0 {
		t.Fatalf("no migrations: sqlite %q, postgres %q", lite, pg)
	}
	if diff := cmp.Diff(lite, pg); diff != "" {
		t.Errorf("migration files differ (-sqlite +postgres):\n%s", diff)
	}
	name := regexp.MustCompile(`^[0-9]{5}_[a-z0-9_]+\.sql$`)
	for _, n := range lite {
		if !name.MatchString(n) {
			t.Errorf("migration %q is not named NNNNN_snake_case.sql", n)
		}
	}
}

// applied counts the applied migrations.
func applied(t *testing.T, db *store.DB) (n, total int) {
	t.Helper()
	st, err := db.MigrateStatus(context.Background())
	if err != nil {
		t.Fatalf("MigrateStatus: %v", err)
	}
	for _, s := range st {
		if s.Applied {
			n++
		}
	}
	return n, len(st)
}

// tables lists the tables and views left in the database (or the test's
// schema), without the migration bookkeeping table.
func tables(t *testing.T, db *store.DB) []string {
	t.Helper()
	ctx := context.Background()
	q := `SELECT name FROM sqlite_master WHERE type IN ('table', 'view')
		AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version' ORDER BY name`
	if db.Dialect() == store.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()
			AND table_name <> 'goose_db_version' ORDER BY table_name`
	}
	var names []string
	if err := db.View(ctx, func(tx *store.Tx) error { return tx.NewRaw(q).Scan(ctx, &names) }); err != nil {
		t.Fatalf("list tables: %v", err)
	}
	return names
}

// Every migration can be rolled back, down to an empty database, and applied
// again.
func TestMigrateDownAndUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		n, total := applied(t, db)
		if total == 0 || n != total {
			t.Fatalf("fresh database: %d of %d migrations applied", n, total)
		}
		before := tables(t, db)
		if len(before) == 0 {
			t.Fatal("migrated database has no tables")
		}

		for steps := 0; n > 0; steps++ {
			if steps == total {
				t.Fatalf("%d migrations still applied after %d steps down", n, steps)
			}
			if err := db.MigrateDown(ctx); err != nil {
				t.Fatalf("MigrateDown with %d applied: %v", n, err)
			}
			m, _ := applied(t, db)
			if m != n-1 {
				t.Fatalf("MigrateDown: %d applied before, %d after", n, m)
			}
			n = m
		}
		if left := tables(t, db); len(left) != 0 {
			t.Errorf("tables left after migrating all the way down: %q", left)
		}

		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("Migrate after down: %v", err)
		}
		if n, total := applied(t, db); n != total {
			t.Fatalf("after up again: %d of %d migrations applied", n, total)
		}
		if diff := cmp.Diff(before, tables(t, db)); diff != "" {
			t.Errorf("tables differ after down and up (-before +after):\n%s", diff)
		}

		// The schema is usable again.
		err := db.Update(ctx, func(tx *store.Tx) error {
			c := domain.Company{Code: "C1", Name: "测试公司", Currency: "CNY", Settings: domain.DefaultCompanySettings()}
			return tx.CreateCompany(ctx, &c)
		})
		if err != nil {
			t.Errorf("CreateCompany after down and up: %v", err)
		}
	})
}

// migrateDownBefore rolls migrations back until none from version on is
// applied: a data migration's test starts from the data it finds.
func migrateDownBefore(t *testing.T, db *store.DB, version int64) {
	t.Helper()
	ctx := context.Background()
	for {
		st, err := db.MigrateStatus(ctx)
		if err != nil {
			t.Fatalf("MigrateStatus: %v", err)
		}
		var newest int64
		for _, s := range st {
			if s.Applied {
				newest = max(newest, s.Version)
			}
		}
		if newest < version {
			return
		}
		if err := db.MigrateDown(ctx); err != nil {
			t.Fatalf("MigrateDown from %d: %v", newest, err)
		}
	}
}

// 00024 gives sales.pos.read (零售单) to every role that saw counter sales
// with sales.pos.use, and to the standard bookkeeper and read-only roles of
// every company; other roles stay as they were. Going down takes it away.
// The rows are written in SQL, as the schema of the time holds them.
func TestMigratePOSRead(t *testing.T) {
	const read, use = "sales.pos.read", "sales.pos.use"
	roles := []struct {
		company   int
		code      string
		perms     []string
		wantsRead bool
	}{
		{0, "cashier", []string{"data.item.read", use}, true},
		{0, "till", []string{use}, true},
		{0, "both", []string{read, use}, true},
		{0, "bookkeeper", []string{"finance.receipt.read"}, true},
		{0, "viewer", []string{"data.item.read"}, true},
		{0, "sales", []string{"sales.order.read"}, false},
		{1, "bookkeeper", nil, true},
		{1, "purchaser", []string{"purchase.order.read"}, false},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		migrateDownBefore(t, db, 24)
		now := time.Now().UTC()
		ids := make([]int64, len(roles))
		err := db.Update(ctx, func(tx *store.Tx) error {
			var companies [2]int64
			for i := range companies {
				if err := tx.NewRaw(`INSERT INTO companies (code, name, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id`,
					fmt.Sprintf("C%d", i+1), "测试公司", now, now).Scan(ctx, &companies[i]); err != nil {
					return err
				}
			}
			for i, r := range roles {
				if err := tx.NewRaw(`INSERT INTO roles (company_id, code, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
					companies[r.company], r.code, r.code, now, now).Scan(ctx, &ids[i]); err != nil {
					return err
				}
				for _, p := range r.perms {
					if _, err := tx.NewRaw(`INSERT INTO role_perms (role_id, perm) VALUES (?, ?)`, ids[i], p).Exec(ctx); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("roles before 00024: %v", err)
		}
		perms := func() map[string][]string {
			t.Helper()
			out := map[string][]string{}
			err := db.View(ctx, func(tx *store.Tx) error {
				for i, r := range roles {
					var p []string
					if err := tx.NewRaw(`SELECT perm FROM role_perms WHERE role_id = ?`, ids[i]).Scan(ctx, &p); err != nil {
						return err
					}
					slices.Sort(p)
					out[fmt.Sprintf("%d %s", r.company, r.code)] = p
				}
				return nil
			})
			if err != nil {
				t.Fatalf("read role_perms: %v", err)
			}
			return out
		}

		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		want := map[string][]string{}
		for _, r := range roles {
			p := slices.Clone(r.perms)
			if r.wantsRead && !slices.Contains(p, read) {
				p = append(p, read)
			}
			if r.code == "bookkeeper" { // 00026: the bookkeeper reads the items its documents name
				p = append(p, "data.item.read")
			}
			slices.Sort(p)
			want[fmt.Sprintf("%d %s", r.company, r.code)] = p
		}
		if diff := cmp.Diff(want, perms(), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("permissions after 00024 and 00026 (-want +got):\n%s", diff)
		}

		migrateDownBefore(t, db, 24)
		for role, p := range perms() {
			if slices.Contains(p, read) {
				t.Errorf("%s still holds %s after 00024 down: %v", role, read, p)
			}
		}
	})
}
