package service

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// SetupInput creates the first administrator and the first company.
type SetupInput struct {
	Username    string `json:"username" minLength:"2" maxLength:"64"`
	Password    string `json:"password" minLength:"1" maxLength:"256"`
	DisplayName string `json:"display_name" maxLength:"64"`
	Language    string `json:"language" enum:",zh-CN,en"`
	CompanyCode string `json:"company_code" maxLength:"64"`
	CompanyName string `json:"company_name" maxLength:"200"`
	Currency    string `json:"currency" maxLength:"3" doc:"Defaults to CNY"`
}

// SetupNeeded reports whether jxc has no user yet (first run).
func (s *Service) SetupNeeded(ctx context.Context) (bool, error) {
	var n int
	err := s.db.View(ctx, func(tx *store.Tx) (err error) { n, err = tx.CountUsers(ctx); return err })
	return n == 0, err
}

// Setup creates the administrator, the first company and the standard
// roles. It works exactly once: there is no default account, ever.
func (s *Service) Setup(ctx context.Context, in SetupInput) (domain.User, domain.Company, error) {
	u := domain.User{Username: strings.TrimSpace(in.Username), DisplayName: in.DisplayName, IsAdmin: true, Active: true, Language: in.Language, Roles: []domain.UserRole{}}
	if u.DisplayName == "" {
		u.DisplayName = u.Username
	}
	c := domain.Company{Code: strings.TrimSpace(in.CompanyCode), Name: strings.TrimSpace(in.CompanyName), Currency: in.Currency, Settings: domain.DefaultCompanySettings()}
	if c.Code == "" {
		c.Code = "MAIN"
	}
	if c.Currency == "" {
		c.Currency = "CNY"
	}
	check := c
	if check.Name == "" {
		check.Name = "-" // a blank name is resolved in the transaction (existing company, or required)
	}
	if err := joinInvalid(u.Validate(), domain.CheckPassword("password", in.Password, u.Username), prefixed("company_", check.Validate())); err != nil {
		return u, c, err
	}
	hash, err := s.hashPassword(in.Password)
	if err != nil {
		return u, c, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.LockUsers(ctx); err != nil {
			return err
		}
		n, err := tx.CountUsers(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			return domain.ErrorKey(domain.ESetupDone, "error.setup_done", nil, "jxc is already set up")
		}
		// With demo data loaded (jxc serve --demo) and no company named, the
		// administrator takes over the existing company.
		existing, err := tx.Companies(ctx, nil)
		if err != nil {
			return err
		}
		if len(existing) > 0 && strings.TrimSpace(in.CompanyName) == "" {
			c = existing[0]
		} else {
			if c.Name == "" {
				return domain.FieldErr("company_name", "required")
			}
			if err := tx.CreateCompany(ctx, &c); err != nil {
				return err
			}
			if err := createStandardRoles(ctx, tx, c.ID, in.Language); err != nil {
				return err
			}
		}
		if err := tx.CreateUser(ctx, &u, hash); err != nil {
			return err
		}
		p := &domain.Principal{UserID: u.ID, Username: u.Username, IsAdmin: true, CompanyID: c.ID}
		if err := audit(ctx, tx, p, "company", c.ID, "create", nil, c); err != nil {
			return err
		}
		return audit(ctx, tx, p, "user", u.ID, "setup", nil, u)
	})
	return u, c, err
}

// Login checks a password and opens a session. A wrong password and an
// unknown user give the same answer; after MaxFailedLogins failures the
// account is locked for LockoutDuration.
func (s *Service) Login(ctx context.Context, username, password, oldSessionToken string) (token string, u domain.User, err error) {
	var cred store.Credentials
	err = s.db.View(ctx, func(tx *store.Tx) (err error) { cred, err = tx.CredentialsByUsername(ctx, username); return err })
	bad := domain.ErrorKey(domain.EUnauthorized, "error.bad_credentials", nil, "wrong username or password")
	if isCode(err, domain.ENotFound) {
		checkPassword(dummyHash, password) // same work as a real check: no user enumeration by timing
		return "", u, bad
	}
	if err != nil {
		return "", u, err
	}
	now := s.db.Now()
	if cred.LockedUntil != nil && cred.LockedUntil.After(now) {
		return "", u, domain.ErrorKey(domain.ETooManyRequests, "error.locked", map[string]string{"until": cred.LockedUntil.Format(time.RFC3339)},
			"too many failed sign-ins; try again later")
	}
	ok := checkPassword(cred.PasswordHash, password) && cred.User.Active && !cred.User.Archived
	token, hash, err := newSecret("s_")
	if err != nil {
		return "", u, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if cred.LockedUntil != nil { // an expired lock starts a fresh count
			if err := tx.ResetLockout(ctx, cred.User.ID); err != nil {
				return err
			}
		}
		if err := tx.RecordLogin(ctx, cred.User.ID, ok, domain.MaxFailedLogins, domain.LockoutDuration); err != nil {
			return err
		}
		p := &domain.Principal{UserID: cred.User.ID, Username: cred.User.Username}
		if !ok {
			return audit(ctx, tx, p, "user", cred.User.ID, "login_failed", nil, nil)
		}
		// A new token on every sign-in (no session fixation); the old one dies.
		if oldSessionToken != "" {
			if err := tx.DeleteSession(ctx, hashSecret(oldSessionToken)); err != nil {
				return err
			}
		}
		if err := tx.CreateSession(ctx, store.Session{TokenHash: hash, UserID: cred.User.ID, CreatedAt: tx.Now, LastSeenAt: tx.Now,
			ExpiresAt: tx.Now.Add(s.cfg.SessionAbsolute)}); err != nil {
			return err
		}
		return audit(ctx, tx, p, "user", cred.User.ID, "login", nil, nil)
	})
	if err != nil {
		return "", u, err
	}
	if !ok {
		return "", u, bad
	}
	return token, cred.User, nil
}

// dummyHash is checked against when the user does not exist.
var dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$0000000000000000000000000000000000000000000"

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, sessionToken string) error {
	return s.db.Update(ctx, func(tx *store.Tx) error { return tx.DeleteSession(ctx, hashSecret(sessionToken)) })
}

// Authenticate resolves a session cookie or a bearer token, and the company
// the caller asks to act in (0 = their current one), to a principal. What
// it read is kept for a second (callerTTL), unless this process changes a
// user, role, session, token or company meanwhile.
func (s *Service) Authenticate(ctx context.Context, sessionToken, bearer string, companyID int64) (*domain.Principal, error) {
	k := callerKey{company: companyID}
	switch {
	case bearer != "":
		k.hash, k.bearer = hashSecret(bearer), true
	case sessionToken != "":
		k.hash = hashSecret(sessionToken)
	default:
		return nil, errUnauthorized
	}
	now, epoch := s.db.Now(), s.db.AuthEpoch() // the epoch before the read: a change committed during it is not kept
	if p, ok := s.callers.get(k, epoch, now); ok {
		return p, nil
	}
	read := time.Now()
	p, until, err := s.authenticate(ctx, k, now)
	if err != nil {
		return nil, err
	}
	s.callers.put(k, callerEntry{p: *p, epoch: epoch, read: read, until: until})
	return p, nil
}

// authenticate reads who k is, and until when by the database's clock
// their session or token lasts (zero: no end).
func (s *Service) authenticate(ctx context.Context, k callerKey, now time.Time) (*domain.Principal, time.Time, error) {
	companyID := k.company
	p := &domain.Principal{}
	var sessCompany *int64
	var until time.Time
	switch {
	case k.bearer:
		t, err := s.db.TokenByHash(ctx, k.hash, now)
		if err != nil {
			return nil, until, errUnauthorized
		}
		if t.ExpiresAt != nil {
			until = *t.ExpiresAt
		}
		p.UserID, p.TokenID = t.UserID, t.ID
		if companyID == 0 {
			companyID = t.CompanyID
		}
		if companyID != t.CompanyID { // a token acts for its one company
			return nil, until, domain.ErrorKey(domain.EForbidden, "error.forbidden", nil, "token is for another company")
		}
		if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
			if err := s.db.Update(ctx, func(tx *store.Tx) error { return tx.TouchToken(ctx, t.ID) }); err != nil {
				return nil, until, err
			}
		}
	default:
		p.SessionID = k.hash
	}
	// One statement for the session, the user and their companies, and one
	// more for the grants of a user who is not an admin: asked on every
	// request, so kept to few round trips. Each is its own snapshot; a role
	// taken away between the two leaves fewer grants, never more.
	c, err := s.db.Caller(ctx, p.SessionID, p.UserID, now)
	if e := (*domain.Error)(nil); errors.As(err, &e) {
		return nil, until, errUnauthorized
	} else if err != nil {
		return nil, until, err
	}
	touch := false
	if p.SessionID != "" {
		sess := c.Session
		if now.Sub(sess.LastSeenAt) > s.cfg.SessionIdle {
			return nil, until, errUnauthorized
		}
		p.UserID, sessCompany = sess.UserID, sess.CompanyID
		if companyID == 0 && sess.CompanyID != nil {
			companyID = *sess.CompanyID
		}
		// Activity is written at most once a minute: no write per request.
		touch = now.Sub(sess.LastSeenAt) > time.Minute
		until = sess.ExpiresAt
		if idle := sess.LastSeenAt.Add(s.cfg.SessionIdle); idle.Before(until) {
			until = idle
		}
	}
	u, companies := c.User, c.Companies
	if !u.Active || u.Archived {
		return nil, until, errUnauthorized
	}
	p.Username, p.IsAdmin = u.Username, u.IsAdmin
	if companyID == 0 && len(companies) > 0 {
		companyID = companies[0]
	}
	if !contains(companies, companyID) {
		if sessCompany != nil && *sessCompany == companyID && len(companies) > 0 {
			companyID = companies[0] // the remembered company was taken away
		} else if companyID != 0 {
			return nil, until, domain.ErrorKey(domain.EForbidden, "error.no_company_access", nil, "no access to this company")
		}
	}
	p.CompanyID = companyID
	if !u.IsAdmin && companyID != 0 {
		if p.Perms, p.Warehouses, _, err = s.db.Grants(ctx, u.ID, companyID); err != nil {
			return nil, until, err
		}
	}
	if touch {
		if err := s.db.Update(ctx, func(tx *store.Tx) error { return tx.TouchSession(ctx, p.SessionID, nil) }); err != nil {
			return nil, until, err
		}
	}
	return p, until, nil
}

// companiesOf lists the companies a user may act in.
func (s *Service) companiesOf(ctx context.Context, tx *store.Tx, u domain.User) ([]int64, error) {
	if !u.IsAdmin {
		return tx.UserCompanies(ctx, u.ID)
	}
	cs, err := tx.Companies(ctx, nil)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(cs))
	for _, c := range cs {
		if !c.Archived {
			ids = append(ids, c.ID)
		}
	}
	return ids, nil
}

func contains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// Me is what the UI needs to know about the signed-in user.
type Me struct {
	User      domain.User      `json:"user"`
	CompanyID int64            `json:"company_id"`
	Companies []domain.Company `json:"companies"`
	Perms     []domain.Perm    `json:"perms" doc:"Permissions in the current company; admins hold all"`
}

// Me describes the caller.
func (s *Service) Me(ctx context.Context, p *domain.Principal) (Me, error) {
	var me Me
	err := s.db.View(ctx, func(tx *store.Tx) error {
		u, err := tx.User(ctx, p.UserID)
		if err != nil {
			return err
		}
		ids, err := s.companiesOf(ctx, tx, u)
		if err != nil {
			return err
		}
		cs, err := tx.Companies(ctx, ids)
		if err != nil {
			return err
		}
		me = Me{User: u, CompanyID: p.CompanyID, Companies: cs, Perms: []domain.Perm{}}
		for _, d := range domain.PermCatalog() {
			if p.Can(d.Perm) {
				me.Perms = append(me.Perms, d.Perm)
			}
		}
		return nil
	})
	return me, err
}

// SwitchCompany makes companyID the session's current company.
func (s *Service) SwitchCompany(ctx context.Context, p *domain.Principal, companyID int64) error {
	if p.SessionID == "" {
		return domain.Errorf(domain.EInvalid, "only browser sessions switch company; tokens are bound to one")
	}
	err := s.db.View(ctx, func(tx *store.Tx) error {
		u, err := tx.User(ctx, p.UserID)
		if err != nil {
			return err
		}
		ids, err := s.companiesOf(ctx, tx, u)
		if err != nil {
			return err
		}
		if !contains(ids, companyID) {
			return domain.ErrorKey(domain.EForbidden, "error.no_company_access", nil, "no access to this company")
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *store.Tx) error { return tx.TouchSession(ctx, p.SessionID, &companyID) })
}

// ChangePassword changes the caller's own password; the current one must be
// given. All the user's sessions end, so they sign in again.
func (s *Service) ChangePassword(ctx context.Context, p *domain.Principal, current, next string) error {
	var hash string
	err := s.db.View(ctx, func(tx *store.Tx) (err error) { hash, err = tx.PasswordHash(ctx, p.UserID); return err })
	if err != nil {
		return err
	}
	if !checkPassword(hash, current) {
		return domain.FieldErr("current_password", "wrong_password")
	}
	if err := domain.CheckPassword("new_password", next, p.Username); err != nil {
		return err
	}
	return s.setPassword(ctx, p, p.UserID, next)
}

func (s *Service) setPassword(ctx context.Context, p *domain.Principal, userID int64, pw string) error {
	h, err := s.hashPassword(pw)
	if err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SetPassword(ctx, userID, h); err != nil {
			return err
		}
		return audit(ctx, tx, p, "user", userID, "password", nil, nil)
	})
}

// ---------------------------------------------------------------- API tokens

// NewToken is a freshly created token: Secret is shown this once.
type NewToken struct {
	domain.APIToken
	Secret string `json:"secret" doc:"The token itself; shown only in this response. Send it as 'Authorization: Bearer …'."`
}

// CreateToken issues an API token for the caller in the current company.
func (s *Service) CreateToken(ctx context.Context, p *domain.Principal, name string, expiresInDays int) (NewToken, error) {
	var f domain.Fields
	validNameField(&f, "name", name)
	if expiresInDays < 0 || expiresInDays > 3650 {
		f.Add("expires_in_days", "range", "min", "0", "max", "3650")
	}
	if err := f.Err(); err != nil {
		return NewToken{}, err
	}
	secret, hash, err := newSecret("jxc_")
	if err != nil {
		return NewToken{}, err
	}
	t := domain.APIToken{UserID: p.UserID, CompanyID: p.CompanyID, Name: strings.TrimSpace(name), Prefix: secret[:10]}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if expiresInDays > 0 {
			e := tx.Now.Add(time.Duration(expiresInDays) * 24 * time.Hour)
			t.ExpiresAt = &e
		}
		if err := tx.CreateToken(ctx, &t, hash); err != nil {
			return err
		}
		return audit(ctx, tx, p, "api_token", t.ID, "create", nil, t)
	})
	return NewToken{APIToken: t, Secret: secret}, err
}

// Tokens lists the caller's tokens (an admin with settings.user.read sees all).
func (s *Service) Tokens(ctx context.Context, p *domain.Principal, all bool) ([]domain.APIToken, error) {
	uid := p.UserID
	if all && p.Can("settings.user.read") {
		uid = 0
	}
	var out []domain.APIToken
	err := s.db.View(ctx, func(tx *store.Tx) (err error) { out, err = tx.ListTokens(ctx, uid); return err })
	return out, err
}

// RevokeToken revokes one of the caller's tokens (or anyone's, for a user admin).
func (s *Service) RevokeToken(ctx context.Context, p *domain.Principal, id int64) error {
	return s.db.Update(ctx, func(tx *store.Tx) error {
		t, err := tx.Token(ctx, id)
		if err != nil {
			return err
		}
		if t.UserID != p.UserID && !p.Can("settings.user.write") {
			return notFoundErr("token", id)
		}
		if err := tx.RevokeToken(ctx, id); err != nil {
			return err
		}
		after, err := tx.Token(ctx, id)
		if err != nil {
			return err
		}
		return audit(ctx, tx, p, "api_token", id, "revoke", t, after)
	})
}

// SetPasswordByUsername sets a password from the command line (`jxc user
// passwd`), for an operator who has the database but lost the password.
func (s *Service) SetPasswordByUsername(ctx context.Context, username, pw string) error {
	var cred store.Credentials
	err := s.db.View(ctx, func(tx *store.Tx) (err error) { cred, err = tx.CredentialsByUsername(ctx, username); return err })
	if err != nil {
		return err
	}
	if err := domain.CheckPassword("password", pw, cred.User.Username); err != nil {
		return err
	}
	return s.setPassword(ctx, System(0), cred.User.ID, pw)
}

// IdempotencyRetention is how long a used Idempotency-Key is remembered.
const IdempotencyRetention = 48 * time.Hour

// Prune deletes expired sessions and idempotency keys past retention.
func (s *Service) Prune(ctx context.Context) error {
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.PruneSessions(ctx, tx.Now.Add(-s.cfg.SessionIdle))
		return err
	})
	if err != nil {
		return err
	}
	_, err = s.db.PruneIdempotency(ctx, IdempotencyRetention)
	return err
}
