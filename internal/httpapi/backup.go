package httpapi

import (
	"context"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
)

const sqliteType = "application/vnd.sqlite3"

// backupRoutes: the whole database as a file, for an administrator (系统 →
// 备份). The copy is taken first (service.BackupDatabase) and streamed from
// its temporary file, which is removed when the download ends or breaks off.
func (s *Server) backupRoutes() {
	register(s, http.MethodGet, "/system/backup", "downloadBackup", "system",
		"Download a copy of the whole database (every company, its users and their password hashes) as a SQLite file, "+
			"consistent as of one instant while jxc keeps running; administrators only; on PostgreSQL 409 (back it up on the server with jxc backup)",
		"auth",
		func(ctx context.Context, p *domain.Principal, _ *struct{}) (*huma.StreamResponse, error) {
			if err := s.svc.CanBackup(p); err != nil {
				return nil, err
			}
			return &huma.StreamResponse{Body: func(hctx huma.Context) {
				// A large database takes longer than the server's write
				// timeout to copy and to send: this response has an hour.
				_, w := humago.Unwrap(hctx)
				if err := http.NewResponseController(w).SetWriteDeadline(time.Now().Add(time.Hour)); err != nil {
					s.log.Warn("backup: the write deadline stays the server's", "err", err)
				}
				b, err := s.svc.BackupDatabase(ctx, p)
				if err != nil {
					writeProblem(w, problemFor(ctx, s.log, err))
					return
				}
				defer b.Remove()
				f, err := os.Open(b.Path)
				if err != nil {
					s.log.Error("backup", "err", err)
					hctx.SetStatus(http.StatusInternalServerError)
					return
				}
				defer f.Close()
				name := "jxc-backup-" + time.Now().Format("20060102-150405") + ".db"
				hctx.SetHeader("Content-Type", sqliteType)
				hctx.SetHeader("Content-Disposition", `attachment; filename="`+name+`"`)
				hctx.SetHeader("Content-Length", strconv.FormatInt(b.Size, 10))
				hctx.SetHeader("Cache-Control", "no-store")
				hctx.SetStatus(http.StatusOK)
				if _, err := io.Copy(hctx.BodyWriter(), f); err != nil {
					s.log.Warn("backup download cut short", "err", err)
				}
			}}, nil
		})
	register(s, http.MethodGet, "/system/backup/status", "backupStatus", "system",
		"Whether the database can be downloaded here (SQLite) and about how large it is; administrators only", "auth",
		func(ctx context.Context, p *domain.Principal, _ *struct{}) (*Out[service.BackupStatus], error) {
			st, err := s.svc.BackupState(p)
			return &Out[service.BackupStatus]{Body: st}, err
		})
	op := s.api.OpenAPI().Paths["/api/v1/system/backup"].Get
	op.Responses["200"] = &huma.Response{Description: "The database, a SQLite file",
		Content: map[string]*huma.MediaType{sqliteType: {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}}}}
}
