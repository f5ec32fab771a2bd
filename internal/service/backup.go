package service

import (
	"context"
	"os"
	"path/filepath"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// Backup is a copy of the whole database in a temporary file, for the web
// app's download (系统 → 备份). Remove removes it.
type Backup struct {
	Path string
	store.BackupInfo
}

// Remove deletes the temporary copy.
func (b Backup) Remove() { _ = os.RemoveAll(filepath.Dir(b.Path)) }

// BackupStatus says whether the web app can download a backup: on SQLite,
// with the database's size; on PostgreSQL not (BackupDatabase).
type BackupStatus struct {
	Engine    string         `json:"engine" enum:"sqlite,postgres"`
	Available bool           `json:"available" doc:"A download is possible (SQLite)"`
	Size      int64          `json:"size" doc:"SQLite: bytes of the database file and its log, about the download's size"`
	Schedule  BackupSchedule `json:"schedule" doc:"The server's scheduled backups (jxc serve --backup-dir)"`
}

// CanBackup says whether p may download the database here: an
// administrator only (the file holds every company and every user's
// password hash, so it is no permission a company's role grants), and on
// SQLite only — on PostgreSQL the server's operator backs up with jxc
// backup (pg_dump): a dump through the browser would hold a database
// connection for as long as the download takes.
func (s *Service) CanBackup(p *domain.Principal) error {
	if !p.IsAdmin {
		return domain.ErrorKey(domain.EForbidden, "error.forbidden", nil, "only an administrator may download the database")
	}
	if s.db.Dialect() != store.SQLite {
		return domain.ErrorKey(domain.EConflict, "error.backup_postgres", nil, "back PostgreSQL up on the server: jxc backup (pg_dump)")
	}
	return nil
}

// BackupState answers BackupStatus, for an administrator only.
func (s *Service) BackupState(p *domain.Principal) (BackupStatus, error) {
	err := s.CanBackup(p)
	switch {
	case err == nil:
		return BackupStatus{Engine: "sqlite", Available: true, Size: s.db.FileSize(), Schedule: s.backupSchedule()}, nil
	case p.IsAdmin:
		return BackupStatus{Engine: "postgres", Schedule: s.backupSchedule()}, nil
	}
	return BackupStatus{}, err
}

// BackupDatabase copies the database — every company in it, its users and
// their password hashes — to a temporary file (CanBackup decides who may)
// and records who took it in the audit log.
func (s *Service) BackupDatabase(ctx context.Context, p *domain.Principal) (Backup, error) {
	if err := s.CanBackup(p); err != nil {
		return Backup{}, err
	}
	dir, err := os.MkdirTemp("", "jxc-backup-")
	if err != nil {
		return Backup{}, err
	}
	b := Backup{Path: filepath.Join(dir, "jxc.db")}
	if b.BackupInfo, err = s.db.Backup(ctx, b.Path); err != nil {
		b.Remove()
		return Backup{}, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		return audit(ctx, tx, p, "database", 0, "backup", nil, map[string]any{"size": b.Size, "migration": b.Version})
	})
	if err != nil {
		b.Remove()
		return Backup{}, err
	}
	return b, nil
}
