// Package service holds jxc's use cases: one exported method is one command
// a user would name, run in one transaction. It loads state through store,
// asks domain for the rules, writes the result and its audit row. It does
// not speak HTTP and writes no SQL.
package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// Service is the application: every command and query of jxc.
type Service struct {
	db  *store.DB
	log *slog.Logger
	cfg Config
	// recostWake nudges RecostWorker when a posting leaves a job.
	recostWake chan struct{}
	backups    backupRun   // the scheduled backups' state (RunBackupPlan)
	callers    callerCache // who sessions and tokens are, kept for a second (Authenticate)
	prefixes   sync.Map    // prefixKey → the number prefix last used (numberahead.go)
}

// Config holds the policies that operators may tune.
type Config struct {
	SessionIdle     time.Duration // sign out after this long without activity
	SessionAbsolute time.Duration // sign out this long after sign-in, whatever happens
	// Argon2 cost; tests lower it.
	ArgonMemoryKiB uint32
	ArgonTime      uint32
	// Location is the time zone business dates are counted in (nil: the
	// server's local zone).
	Location *time.Location
	// RecostInlineRows is the most ledger rows a back-dated posting replays
	// itself; larger re-costs become tracked jobs (0: the default).
	RecostInlineRows int
}

// DefaultConfig is what `jxc serve` uses.
func DefaultConfig() Config {
	return Config{
		SessionIdle:     12 * time.Hour,
		SessionAbsolute: 7 * 24 * time.Hour,
		ArgonMemoryKiB:  19 * 1024, // OWASP's argon2id minimum: m=19 MiB, t=2, p=1
		ArgonTime:       2,
	}
}

// New returns the service over db.
func New(db *store.DB, log *slog.Logger, cfg Config) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{db: db, log: log, cfg: cfg, recostWake: make(chan struct{}, 1)}
}

// DB exposes the database to the wiring in cmd (migrations, health).
func (s *Service) DB() *store.DB { return s.db }

type requestIDKey struct{}

// WithRequestID returns ctx carrying the request id that audit rows record.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// audit writes one audit row for a change made by p.
func audit(ctx context.Context, tx *store.Tx, p *domain.Principal, entity string, id int64, action string, before, after any) error {
	return tx.Audit(ctx, auditEntry(ctx, p, entity, id, action), before, after)
}

func auditEntry(ctx context.Context, p *domain.Principal, entity string, id int64, action string) domain.AuditEntry {
	e := domain.AuditEntry{CompanyID: p.CompanyID, Entity: entity, EntityID: id, Action: action, RequestID: requestID(ctx), Username: p.Username}
	if p.UserID != 0 {
		uid := p.UserID
		e.UserID = &uid
	}
	return e
}

// auditCreated records the creation of d as it is now: a copy of it goes
// to the audit row (store.AuditAside), so that the posting that may follow
// in the same transaction changes d, not what was recorded.
func auditCreated(ctx context.Context, tx *store.Tx, p *domain.Principal, d *domain.Document) error {
	snap := *d
	snap.Lines = slices.Clone(d.Lines)
	return tx.AuditAside(ctx, auditEntry(ctx, p, "document", d.ID, "create"), nil, &snap)
}

// System is the principal of jxc itself (demo data, CLI commands).
func System(companyID int64) *domain.Principal {
	return &domain.Principal{Username: "system", IsAdmin: true, CompanyID: companyID}
}

// ------------------------------------------------------------------ secrets

// hashPassword returns a PHC-encoded argon2id hash.
func (s *Service) hashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	m, t, p := s.cfg.ArgonMemoryKiB, s.cfg.ArgonTime, uint8(1)
	key := argon2.IDKey([]byte(pw), salt, t, m, p, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, m, t, p,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// checkPassword verifies pw against a PHC-encoded argon2id hash, using the
// parameters stored in the hash (so they can be raised later).
func checkPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// newSecret returns a random token with a prefix, and its SHA-256 hash (the
// only form stored). Tokens carry 256 bits of randomness, so a fast hash is
// right here; passwords get argon2id.
func newSecret(prefix string) (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = prefix + base64.RawURLEncoding.EncodeToString(b)
	return token, hashSecret(token), nil
}

func hashSecret(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

var errUnauthorized = domain.ErrorKey(domain.EUnauthorized, "error.unauthorized", nil, "sign in first")

func isCode(err error, c domain.Code) bool {
	var e *domain.Error
	return errors.As(err, &e) && e.Code == c
}
