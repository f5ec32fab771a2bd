package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// Users, sessions, API tokens, roles and grants.

type userRow struct {
	bun.BaseModel `bun:"table:users,alias:u"`
	domain.User
	UsernameKey  string     `bun:"username_key"`
	PasswordHash string     `bun:"password_hash"`
	FailedLogins int        `bun:"failed_logins"`
	LockedUntil  *time.Time `bun:"locked_until"`
}

// Credentials is what sign-in needs to know about a user.
type Credentials struct {
	User         domain.User
	PasswordHash string
	FailedLogins int
	LockedUntil  *time.Time
}

// LockUsers serialises first-run setup: on PostgreSQL it takes a table lock
// that two concurrent setups cannot both hold; SQLite's single writer with
// BEGIN IMMEDIATE already excludes them.
func (tx *Tx) LockUsers(ctx context.Context) error {
	if tx.Dialect() != Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE`)
	return err
}

// CountUsers returns the number of users (0 means first-run setup).
func (tx *Tx) CountUsers(ctx context.Context) (int, error) {
	n, err := tx.NewSelect().TableExpr("users").Count(ctx)
	return int(n), err
}

// CreateUser inserts a user with a password hash; usernames are unique
// case-insensitively.
func (tx *Tx) CreateUser(ctx context.Context, u *domain.User, passwordHash string) error {
	stamp(tx, &u.Stamp, true)
	row := &userRow{User: *u, UsernameKey: strings.ToLower(u.Username), PasswordHash: passwordHash}
	if _, err := tx.NewInsert().Model(row).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return conflict(err, "user", "username")
	}
	u.ID = row.ID
	return tx.setUserRoles(ctx, u.ID, u.Roles)
}

// UpdateUser saves profile fields, admin flag, active flag and roles.
func (tx *Tx) UpdateUser(ctx context.Context, u *domain.User) error {
	tx.authChanged = true
	stamp(tx, &u.Stamp, false)
	res, err := tx.NewUpdate().TableExpr("users").
		Set("display_name = ?", u.DisplayName).Set("email = ?", u.Email).Set("phone = ?", u.Phone).
		Set("is_admin = ?", u.IsAdmin).Set("active = ?", u.Active).Set("language = ?", u.Language).
		Set("archived = ?", u.Archived).Set("updated_at = ?", tx.Now).Set("version = version + 1").
		Where("id = ? AND version = ?", u.ID, u.Version).Exec(ctx)
	if err != nil {
		return err
	}
	if err := staleCheck(res, "user"); err != nil {
		return err
	}
	u.Version++
	if _, err := tx.NewDelete().TableExpr("user_roles").Where("user_id = ?", u.ID).Exec(ctx); err != nil {
		return err
	}
	return tx.setUserRoles(ctx, u.ID, u.Roles)
}

func (tx *Tx) setUserRoles(ctx context.Context, userID int64, roles []domain.UserRole) error {
	if len(roles) == 0 {
		return nil
	}
	type row struct {
		bun.BaseModel `bun:"table:user_roles"`
		UserID        int64
		CompanyID     int64
		RoleID        int64
	}
	rows := make([]row, len(roles))
	for i, r := range roles {
		rows[i] = row{UserID: userID, CompanyID: r.CompanyID, RoleID: r.RoleID}
	}
	_, err := tx.NewInsert().Model(&rows).Exec(ctx)
	if fkViolation(err) {
		return domain.FieldErr("roles", "unknown_reference")
	}
	if uniqueViolation(err) {
		return domain.FieldErr("roles", "duplicate")
	}
	return err
}

// SetPassword replaces a user's password hash and ends all their sessions.
func (tx *Tx) SetPassword(ctx context.Context, userID int64, hash string) error {
	tx.authChanged = true
	res, err := tx.NewUpdate().TableExpr("users").Set("password_hash = ?", hash).
		Set("failed_logins = 0").Set("locked_until = NULL").Set("updated_at = ?", tx.Now).
		Where("id = ?", userID).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound(errNoRows, "user", userID)
	}
	_, err = tx.NewDelete().TableExpr("sessions").Where("user_id = ?", userID).Exec(ctx)
	return err
}

// User loads a user with roles.
func (tx *Tx) User(ctx context.Context, id int64) (domain.User, error) {
	var row userRow
	if err := tx.NewSelect().Model(&row).Where("u.id = ?", id).Scan(ctx); err != nil {
		return domain.User{}, notFound(err, "user", id)
	}
	users := []domain.User{row.User}
	if err := tx.fillUserRoles(ctx, users); err != nil {
		return domain.User{}, err
	}
	return users[0], nil
}

// UserRecord loads a user without their roles: what authenticating a
// request needs.
func (tx *Tx) UserRecord(ctx context.Context, id int64) (domain.User, error) {
	var row userRow
	if err := tx.NewSelect().Model(&row).Where("u.id = ?", id).Scan(ctx); err != nil {
		return domain.User{}, notFound(err, "user", id)
	}
	return row.User, nil
}

// ActiveCompanyIDs lists the companies not archived, by id.
func (tx *Tx) ActiveCompanyIDs(ctx context.Context) ([]int64, error) {
	ids := []int64{}
	err := tx.NewSelect().TableExpr("companies").Column("id").Where("archived = FALSE").OrderExpr("id").Scan(ctx, &ids)
	return ids, err
}

// CredentialsByUsername loads what sign-in needs.
func (tx *Tx) CredentialsByUsername(ctx context.Context, username string) (Credentials, error) {
	var row userRow
	err := tx.NewSelect().Model(&row).Where("u.username_key = ?", strings.ToLower(username)).Scan(ctx)
	if err != nil {
		return Credentials{}, notFound(err, "user", username)
	}
	return Credentials{User: row.User, PasswordHash: row.PasswordHash, FailedLogins: row.FailedLogins, LockedUntil: row.LockedUntil}, nil
}

// PasswordHash returns a user's password hash.
func (tx *Tx) PasswordHash(ctx context.Context, userID int64) (string, error) {
	var h string
	err := tx.NewSelect().TableExpr("users").Column("password_hash").Where("id = ?", userID).Scan(ctx, &h)
	return h, notFound(err, "user", userID)
}

// RecordLogin notes a sign-in attempt: success resets the failure count;
// failure counts up and locks the account once the limit is reached.
func (tx *Tx) RecordLogin(ctx context.Context, userID int64, ok bool, maxFailures int, lockFor time.Duration) error {
	q := tx.NewUpdate().TableExpr("users").Where("id = ?", userID)
	if ok {
		q = q.Set("failed_logins = 0").Set("locked_until = NULL").Set("last_login_at = ?", tx.Now)
	} else {
		q = q.Set("failed_logins = failed_logins + 1").
			Set("locked_until = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until END", maxFailures, tx.Now.Add(lockFor))
	}
	_, err := q.Exec(ctx)
	return err
}

// ResetLockout clears a lockout once it has expired.
func (tx *Tx) ResetLockout(ctx context.Context, userID int64) error {
	_, err := tx.NewUpdate().TableExpr("users").Set("failed_logins = 0").Set("locked_until = NULL").
		Where("id = ?", userID).Exec(ctx)
	return err
}

// ListUsers lists users with their roles.
func (tx *Tx) ListUsers(ctx context.Context, f ListFilter) ([]domain.User, int, error) {
	var rows []userRow
	q := tx.NewSelect().Model(&rows)
	q = applyArchived(q, "u", f.Archived)
	if s := searchTerm(f.Q); s != "" {
		like := "%" + likeEscape(lower(s)) + "%"
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("u.username_key LIKE ? ESCAPE '\\'", like).WhereOr("lower(u.display_name) LIKE ? ESCAPE '\\'", like)
		})
	}
	sorts := map[string]string{"username": "u.username_key", "created_at": "u.created_at", "last_login_at": "u.last_login_at"}
	n, err := applySort(q, "u", f.Sort, sorts, "username").Limit(f.limit()).Offset(f.offset()).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, err
	}
	users := make([]domain.User, len(rows))
	for i := range rows {
		users[i] = rows[i].User
	}
	return users, int(n), tx.fillUserRoles(ctx, users)
}

func (tx *Tx) fillUserRoles(ctx context.Context, users []domain.User) error {
	if len(users) == 0 {
		return nil
	}
	idx := map[int64]int{}
	ids := make([]int64, len(users))
	for i := range users {
		idx[users[i].ID], ids[i] = i, users[i].ID
		users[i].Roles = []domain.UserRole{}
	}
	var rows []struct {
		UserID    int64
		CompanyID int64
		RoleID    int64
	}
	err := tx.NewSelect().TableExpr("user_roles").Column("user_id", "company_id", "role_id").
		Where("user_id IN (?)", bun.In(ids)).OrderExpr("user_id, company_id, role_id").Scan(ctx, &rows)
	for _, r := range rows {
		u := &users[idx[r.UserID]]
		u.Roles = append(u.Roles, domain.UserRole{CompanyID: r.CompanyID, RoleID: r.RoleID})
	}
	return err
}

// UserCompanies returns the ids of the companies a user has a role in.
func (tx *Tx) UserCompanies(ctx context.Context, userID int64) ([]int64, error) {
	ids := []int64{}
	err := tx.NewSelect().TableExpr("user_roles").ColumnExpr("DISTINCT company_id").
		Where("user_id = ?", userID).OrderExpr("company_id").Scan(ctx, &ids)
	return ids, err
}

// Grants returns the permissions and warehouse scope a user holds in a
// company. scope is nil when any of the user's roles covers all warehouses.
func (tx *Tx) Grants(ctx context.Context, userID, companyID int64) (perms map[domain.Perm]bool, scope map[int64]bool, member bool, err error) {
	// One statement, asked on every request: a row per role held (kind
	// 'r'), per permission of those roles ('p') and per warehouse they are
	// limited to ('w').
	var rows []struct {
		Kind   string
		RoleID int64
		Perm   string
		WhID   int64 `bun:"wh_id"`
	}
	const from = ` FROM user_roles AS ur JOIN roles AS r ON r.id = ur.role_id `
	const where = ` WHERE ur.user_id = ? AND ur.company_id = ? AND r.archived = FALSE`
	err = tx.NewRaw(`SELECT 'r' AS kind, ur.role_id, '' AS perm, 0 AS wh_id`+from+where+`
		UNION ALL SELECT 'p', ur.role_id, rp.perm, 0`+from+`JOIN role_perms AS rp ON rp.role_id = ur.role_id`+where+`
		UNION ALL SELECT 'w', ur.role_id, '', rw.warehouse_id`+from+`JOIN role_warehouses AS rw ON rw.role_id = ur.role_id`+where,
		userID, companyID, userID, companyID, userID, companyID).Scan(ctx, &rows)
	if err != nil {
		return nil, nil, false, err
	}
	perms, scope = map[domain.Perm]bool{}, map[int64]bool{}
	roles, scoped := map[int64]bool{}, map[int64]bool{}
	for _, r := range rows {
		switch r.Kind {
		case "r":
			roles[r.RoleID] = true
		case "p":
			perms[domain.Perm(r.Perm)] = true
		case "w":
			scoped[r.RoleID] = true
			scope[r.WhID] = true
		}
	}
	if len(roles) == 0 {
		return map[domain.Perm]bool{}, map[int64]bool{}, false, nil
	}
	for id := range roles {
		if !scoped[id] { // a role without a warehouse list covers them all
			return perms, nil, true, nil
		}
	}
	return perms, scope, true, nil
}

// ---------------------------------------------------------------- roles

type roleRow struct {
	bun.BaseModel `bun:"table:roles,alias:t"`
	domain.Role
}

func (tx *Tx) CreateRole(ctx context.Context, r *domain.Role) error {
	stamp(tx, &r.Stamp, true)
	row := &roleRow{Role: *r}
	if err := tx.insertRow(ctx, row, "role"); err != nil {
		return err
	}
	r.ID = row.ID
	return tx.writeRoleGrants(ctx, r)
}

func (tx *Tx) UpdateRole(ctx context.Context, r *domain.Role) error {
	tx.authChanged = true
	stamp(tx, &r.Stamp, false)
	if err := tx.updateRow(ctx, &roleRow{Role: *r}, "role", r.ID, r.CompanyID, r.Version); err != nil {
		return err
	}
	r.Version++
	for _, t := range []string{"role_perms", "role_warehouses"} {
		if _, err := tx.NewDelete().TableExpr(t).Where("role_id = ?", r.ID).Exec(ctx); err != nil {
			return err
		}
	}
	return tx.writeRoleGrants(ctx, r)
}

func (tx *Tx) writeRoleGrants(ctx context.Context, r *domain.Role) error {
	if len(r.Perms) > 0 {
		type row struct {
			bun.BaseModel `bun:"table:role_perms"`
			RoleID        int64
			Perm          string
		}
		rows := make([]row, len(r.Perms))
		for i, p := range r.Perms {
			rows[i] = row{RoleID: r.ID, Perm: string(p)}
		}
		if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
			return err
		}
	}
	if len(r.WarehouseIDs) > 0 {
		n, err := tx.NewSelect().TableExpr("warehouses").
			Where("company_id = ? AND id IN (?)", r.CompanyID, bun.In(r.WarehouseIDs)).Count(ctx)
		if err != nil {
			return err
		}
		if int(n) != len(r.WarehouseIDs) {
			return domain.FieldErr("warehouse_ids", "unknown_reference")
		}
		type row struct {
			bun.BaseModel `bun:"table:role_warehouses"`
			RoleID        int64
			WarehouseID   int64
		}
		rows := make([]row, len(r.WarehouseIDs))
		for i, w := range r.WarehouseIDs {
			rows[i] = row{RoleID: r.ID, WarehouseID: w}
		}
		if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
			if uniqueViolation(err) {
				return domain.FieldErr("warehouse_ids", "duplicate")
			}
			return err
		}
	}
	return nil
}

func (tx *Tx) Role(ctx context.Context, companyID, id int64) (domain.Role, error) {
	var row roleRow
	if err := tx.NewSelect().Model(&row).Where("t.id = ? AND t.company_id = ?", id, companyID).Scan(ctx); err != nil {
		return domain.Role{}, notFound(err, "role", id)
	}
	roles := []domain.Role{row.Role}
	return roles[0], tx.fillRoles(ctx, roles)
}

func (tx *Tx) ListRoles(ctx context.Context, f ListFilter) ([]domain.Role, int, error) {
	var rows []roleRow
	q := tx.NewSelect().Model(&rows).Where("t.company_id = ?", f.CompanyID)
	q = searchSimple(applyArchived(q, "t", f.Archived), f.Q, false, false)
	n, err := applySort(q, "t", f.Sort, simpleSorts, "code").Limit(f.limit()).Offset(f.offset()).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, err
	}
	roles := make([]domain.Role, len(rows))
	for i := range rows {
		roles[i] = rows[i].Role
	}
	return roles, int(n), tx.fillRoles(ctx, roles)
}

func (tx *Tx) fillRoles(ctx context.Context, roles []domain.Role) error {
	if len(roles) == 0 {
		return nil
	}
	idx := map[int64]int{}
	ids := make([]int64, len(roles))
	for i := range roles {
		idx[roles[i].ID], ids[i] = i, roles[i].ID
		roles[i].Perms, roles[i].WarehouseIDs = []domain.Perm{}, []int64{}
	}
	var ps []struct {
		RoleID int64
		Perm   string
	}
	if err := tx.NewSelect().TableExpr("role_perms").Column("role_id", "perm").
		Where("role_id IN (?)", bun.In(ids)).OrderExpr("role_id, perm").Scan(ctx, &ps); err != nil {
		return err
	}
	for _, p := range ps {
		r := &roles[idx[p.RoleID]]
		r.Perms = append(r.Perms, domain.Perm(p.Perm))
	}
	var ws []struct {
		RoleID      int64
		WarehouseID int64
	}
	if err := tx.NewSelect().TableExpr("role_warehouses").Column("role_id", "warehouse_id").
		Where("role_id IN (?)", bun.In(ids)).OrderExpr("role_id, warehouse_id").Scan(ctx, &ws); err != nil {
		return err
	}
	for _, w := range ws {
		r := &roles[idx[w.RoleID]]
		r.WarehouseIDs = append(r.WarehouseIDs, w.WarehouseID)
	}
	return nil
}

func (tx *Tx) SetRoleArchived(ctx context.Context, companyID, id int64, archived bool) error {
	tx.authChanged = true
	return tx.setArchived(ctx, "roles", "role", companyID, id, archived)
}

// Caller is what authenticating a request reads: the session (zero when
// by user id), the user (without roles) and the companies the user may act
// in (all active ones for an admin, those they hold a role in otherwise).
type Caller struct {
	Session   Session
	User      domain.User
	Companies []int64
}

// Caller reads, in one statement (one snapshot, one round trip, asked on
// every request), the unexpired session with hash, its user and their
// companies; when hash is empty, the user userID and their companies.
// ErrNotFound-like errors come back as EUnauthorized.
func (db *DB) Caller(ctx context.Context, hash string, userID int64, now time.Time) (Caller, error) {
	agg := "group_concat(%s)"
	if db.dialect == Postgres {
		agg = "string_agg(%s::text, ',')"
	}
	cols := `u.id, u.username, u.is_admin, u.active, u.archived,
		CASE WHEN u.is_admin THEN (SELECT ` + fmt.Sprintf(agg, "id") + ` FROM companies WHERE archived = FALSE)
		ELSE (SELECT ` + fmt.Sprintf(agg, "DISTINCT company_id") + ` FROM user_roles WHERE user_id = u.id) END AS companies`
	var row struct {
		ID                               int64
		Username                         string
		IsAdmin, Active, Archived        bool
		Companies                        *string
		SessionCompany                   *int64 `bun:"session_company"`
		LastSeenAt, ExpiresAt, CreatedAt *time.Time
	}
	var q *bun.RawQuery
	if hash != "" {
		q = db.r.NewRaw(`SELECT `+cols+`, s.company_id AS session_company, s.last_seen_at, s.expires_at, s.created_at
			FROM sessions AS s JOIN users AS u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?`, hash, now)
	} else {
		q = db.r.NewRaw(`SELECT `+cols+`, NULL AS session_company, NULL AS last_seen_at, NULL AS expires_at, NULL AS created_at
			FROM users AS u WHERE u.id = ?`, userID)
	}
	// The first statement of nearly every request: after a restart of
	// PostgreSQL it finds the pool's dead connections, and is asked again
	// on a new one (DB.terminated closes the others).
	if err := db.reread(func() error { return q.Scan(ctx, &row) }); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return Caller{}, domain.Errorf(domain.EUnauthorized, "session expired")
		}
		return Caller{}, err
	}
	c := Caller{User: domain.User{ID: row.ID, Username: row.Username, IsAdmin: row.IsAdmin, Active: row.Active}, Companies: []int64{}}
	c.User.Archived = row.Archived
	if hash != "" {
		c.Session = Session{TokenHash: hash, UserID: row.ID, CompanyID: row.SessionCompany,
			LastSeenAt: *row.LastSeenAt, ExpiresAt: *row.ExpiresAt, CreatedAt: *row.CreatedAt}
	}
	if row.Companies != nil {
		for _, f := range strings.Split(*row.Companies, ",") {
			id, err := strconv.ParseInt(f, 10, 64)
			if err != nil {
				return Caller{}, fmt.Errorf("caller companies %q: %w", *row.Companies, err)
			}
			c.Companies = append(c.Companies, id)
		}
	}
	slices.Sort(c.Companies)
	return c, nil
}

// Grants is Tx.Grants outside a transaction: one statement.
func (db *DB) Grants(ctx context.Context, userID, companyID int64) (perms map[domain.Perm]bool, scope map[int64]bool, member bool, err error) {
	return (&Tx{IDB: db.r, db: db, Now: db.now()}).Grants(ctx, userID, companyID)
}

// ---------------------------------------------------------------- sessions

// Session is a signed-in browser.
type Session struct {
	TokenHash  string
	UserID     int64
	CompanyID  *int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

type sessionRow struct {
	bun.BaseModel `bun:"table:sessions,alias:s"`
	Session
}

// CreateSession stores a new session.
func (tx *Tx) CreateSession(ctx context.Context, s Session) error {
	_, err := tx.NewInsert().Model(&sessionRow{Session: s}).Exec(ctx)
	return err
}

// SessionByHash loads a session that has not expired.
func (tx *Tx) SessionByHash(ctx context.Context, hash string, now time.Time) (Session, error) {
	var row sessionRow
	err := tx.NewSelect().Model(&row).Where("s.token_hash = ? AND s.expires_at > ?", hash, now).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, domain.Errorf(domain.EUnauthorized, "session expired")
	}
	return row.Session, err
}

// TouchSession records activity (callers rate-limit this to avoid a write
// per request) and may switch the session's company.
func (tx *Tx) TouchSession(ctx context.Context, hash string, companyID *int64) error {
	q := tx.NewUpdate().TableExpr("sessions").Set("last_seen_at = ?", tx.Now).Where("token_hash = ?", hash)
	if companyID != nil {
		q = q.Set("company_id = ?", *companyID)
		tx.authChanged = true
	}
	_, err := q.Exec(ctx)
	return err
}

// DeleteSession ends a session.
func (tx *Tx) DeleteSession(ctx context.Context, hash string) error {
	tx.authChanged = true
	_, err := tx.NewDelete().TableExpr("sessions").Where("token_hash = ?", hash).Exec(ctx)
	return err
}

// PruneSessions deletes expired and idle sessions.
func (tx *Tx) PruneSessions(ctx context.Context, idleBefore time.Time) (int64, error) {
	tx.authChanged = true
	res, err := tx.NewDelete().TableExpr("sessions").
		Where("expires_at <= ? OR last_seen_at < ?", tx.Now, idleBefore).Exec(ctx)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// ---------------------------------------------------------------- API tokens

type tokenRow struct {
	bun.BaseModel `bun:"table:api_tokens,alias:k"`
	domain.APIToken
	TokenHash string
}

// CreateToken stores a token's hash.
func (tx *Tx) CreateToken(ctx context.Context, t *domain.APIToken, hash string) error {
	t.CreatedAt = tx.Now
	row := &tokenRow{APIToken: *t, TokenHash: hash}
	if _, err := tx.NewInsert().Model(row).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return err
	}
	t.ID = row.ID
	return nil
}

// TokenByHash loads a live token (not revoked, not expired).
func (db *DB) TokenByHash(ctx context.Context, hash string, now time.Time) (domain.APIToken, error) {
	var row tokenRow
	err := db.r.NewSelect().Model(&row).
		Where("k.token_hash = ? AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > ?)", hash, now).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.APIToken{}, domain.Errorf(domain.EUnauthorized, "invalid token")
	}
	return row.APIToken, err
}

// TouchToken records that a token was used.
func (tx *Tx) TouchToken(ctx context.Context, id int64) error {
	_, err := tx.NewUpdate().TableExpr("api_tokens").Set("last_used_at = ?", tx.Now).Where("id = ?", id).Exec(ctx)
	return err
}

// ListTokens lists a user's tokens (all users' when userID is 0).
func (tx *Tx) ListTokens(ctx context.Context, userID int64) ([]domain.APIToken, error) {
	rows := []tokenRow{}
	q := tx.NewSelect().Model(&rows).ExcludeColumn("token_hash").OrderExpr("k.id DESC")
	if userID != 0 {
		q = q.Where("k.user_id = ?", userID)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]domain.APIToken, len(rows))
	for i := range rows {
		out[i] = rows[i].APIToken
	}
	return out, nil
}

// Token loads one token.
func (tx *Tx) Token(ctx context.Context, id int64) (domain.APIToken, error) {
	var row tokenRow
	err := tx.NewSelect().Model(&row).ExcludeColumn("token_hash").Where("k.id = ?", id).Scan(ctx)
	return row.APIToken, notFound(err, "token", id)
}

// RevokeToken marks a token revoked.
func (tx *Tx) RevokeToken(ctx context.Context, id int64) error {
	tx.authChanged = true
	res, err := tx.NewUpdate().TableExpr("api_tokens").Set("revoked_at = ?", tx.Now).
		Where("id = ? AND revoked_at IS NULL", id).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound(errNoRows, "token", id)
	}
	return nil
}
