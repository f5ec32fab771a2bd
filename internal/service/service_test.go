package service_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
)

// Helpers shared by the service tests. Every test runs on both engines
// through storetest.Each and drives jxc only through service methods.

const (
	adminName = "admin"
	adminPass = "Secret12345"
)

// newService returns a service over db with a cheap password hash.
func newService(db *store.DB) *service.Service {
	cfg := service.DefaultConfig()
	cfg.ArgonMemoryKiB, cfg.ArgonTime = 1024, 1
	return service.New(db, slog.New(slog.DiscardHandler), cfg)
}

// fixture is a set-up installation: the administrator and the first company.
type fixture struct {
	svc     *service.Service
	db      *store.DB
	admin   *domain.Principal
	user    domain.User
	company domain.Company
}

// setUp runs first-run setup and returns the administrator's principal.
func setUp(t *testing.T, db *store.DB) fixture {
	t.Helper()
	svc := newService(db)
	u, c, err := svc.Setup(context.Background(), service.SetupInput{
		Username: adminName, Password: adminPass, CompanyName: "测试公司", Language: "zh-CN",
	})
	if err != nil {
		t.Fatalf("Setup: %v", err)
	}
	p := &domain.Principal{UserID: u.ID, Username: u.Username, IsAdmin: true, CompanyID: c.ID}
	return fixture{svc: svc, db: db, admin: p, user: u, company: c}
}

// unit creates a unit in the principal's company.
func (f fixture) unit(t *testing.T, p *domain.Principal, code, name string) domain.Unit {
	t.Helper()
	u, err := f.svc.CreateUnit(context.Background(), p, domain.Unit{Code: code, Name: name})
	if err != nil {
		t.Fatalf("CreateUnit(%s): %v", code, err)
	}
	return u
}

// otherCompany creates a second company as an administrator.
func (f fixture) otherCompany(t *testing.T) domain.Company {
	t.Helper()
	c, err := f.svc.CreateCompany(context.Background(), service.System(0),
		domain.Company{Code: "C2", Name: "其他公司", Currency: "CNY", Settings: domain.DefaultCompanySettings()}, "zh-CN")
	if err != nil {
		t.Fatalf("CreateCompany: %v", err)
	}
	return c
}

// wantCode fails unless err carries the domain code want.
func wantCode(t *testing.T, what string, err error, want domain.Code) {
	t.Helper()
	if got := domain.ErrorCode(err); err == nil || got != want {
		t.Errorf("%s: error %v (code %q), want code %q", what, err, got, want)
	}
}

// wantField fails unless err is an invalid error naming field, with rule
// when rule is not empty.
func wantField(t *testing.T, what string, err error, field, rule string) {
	t.Helper()
	var e *domain.Error
	if !errors.As(err, &e) || e.Code != domain.EInvalid {
		t.Errorf("%s: error %v, want invalid naming %s", what, err, field)
		return
	}
	for _, f := range e.Fields {
		if f.Field == field && (rule == "" || f.Rule == rule) {
			return
		}
	}
	t.Errorf("%s: fields %+v, want %s %s", what, e.Fields, field, rule)
}

// noErr fails the test now if err is not nil.
func noErr(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func codes(items []domain.Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Code
	}
	return out
}
