package httpapi_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jxc-erp/jxc/internal/httpapi"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// The database download (系统 → 备份): an administrator gets the whole
// SQLite database as a file that is a whole jxc database (BackupCheck) and
// holds what was there; the download is in the audit log; a user with every
// settings permission but no administrator is refused; on PostgreSQL the
// answer is a 409 that says to back up on the server.
func TestBackupDownload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := service.New(db, quiet, testConfig())
		srv := httpapi.New(svc, httpapi.Options{Log: quiet})
		c := &client{t: t, h: srv}
		c.must(201, "POST", "/api/v1/setup", map[string]any{"username": "boss", "password": adminPassword, "company_name": "备份商行"})
		c.login("boss", adminPassword)
		c.must(201, "POST", "/api/v1/units", map[string]any{"code": "BK-PCS", "name": "件"})

		st := c.must(200, "GET", "/api/v1/system/backup/status", nil)
		r := c.do("GET", "/api/v1/system/backup", nil, "Accept-Language", "en")
		if db.Dialect() == store.Postgres {
			if st["engine"] != "postgres" || st["available"] != false {
				t.Errorf("PostgreSQL status %v", st)
			}
			if r.status != 409 || !strings.Contains(string(r.body), "jxc backup") {
				t.Fatalf("PostgreSQL: %d %s", r.status, r.body)
			}
			return
		}
		if r.status != 200 || !bytes.HasPrefix(r.body, []byte("SQLite format 3\x00")) ||
			r.header.Get("Content-Type") != "application/vnd.sqlite3" || !strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment;") ||
			r.header.Get("Content-Length") != strconv.Itoa(len(r.body)) {
			t.Fatalf("download: %d %v %q", r.status, r.header, r.body[:min(len(r.body), 64)])
		}
		if st["engine"] != "sqlite" || st["available"] != true || st["size"].(float64) < float64(len(r.body))/2 {
			t.Errorf("SQLite status %v, download %d bytes", st, len(r.body))
		}
		file := filepath.Join(t.TempDir(), "copy.db")
		if err := os.WriteFile(file, r.body, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := store.BackupCheck(context.Background(), file); err != nil {
			t.Fatalf("the download is no jxc database: %v", err)
		}
		cp, err := store.Open(context.Background(), file, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		err = cp.View(context.Background(), func(tx *store.Tx) error {
			return tx.NewRaw("SELECT COUNT(*) FROM units WHERE code = 'BK-PCS'").Scan(context.Background(), &n)
		})
		cp.Close()
		if err != nil || n != 1 {
			t.Errorf("the unit created before the download: %d in the copy (%v)", n, err)
		}
		audit := c.must(200, "GET", "/api/v1/audit-log?entity=database", nil)["items"].([]any)
		if len(audit) != 1 || audit[0].(map[string]any)["action"] != "backup" {
			t.Errorf("audit: %v", audit)
		}

		co := c.must(200, "GET", "/api/v1/auth/me", nil)["company_id"]
		role := c.must(201, "POST", "/api/v1/roles", map[string]any{"code": "mgr", "name": "mgr",
			"perms": []string{"settings.company.read", "settings.company.write", "settings.user.read", "settings.user.write", "settings.audit.read"}})
		c.must(201, "POST", "/api/v1/users", map[string]any{"username": "mgr", "password": "manager password 1", "active": true,
			"roles": []any{map[string]any{"company_id": co, "role_id": role["id"]}}})
		m := &client{t: t, h: srv}
		m.login("mgr", "manager password 1")
		m.must(403, "GET", "/api/v1/system/backup", nil)
		m.must(403, "GET", "/api/v1/system/backup/status", nil)
	})
}
