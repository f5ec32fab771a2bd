package domain

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
)

// Permissions are "module.resource.action" strings. Every API operation
// names the one it needs; roles grant sets of them. The catalog is the only
// source of valid names.
type Perm string

// PermDef describes one permission for the role editor.
type PermDef struct {
	Perm   Perm   `json:"perm"`
	Module string `json:"module" doc:"purchase, sales, stock, finance, report, data, settings"`
}

var permCatalog = []PermDef{}

func definePerms(module string, resources map[string][]string) {
	for res, actions := range resources {
		for _, a := range actions {
			permCatalog = append(permCatalog, PermDef{Perm: Perm(module + "." + res + "." + a), Module: module})
		}
	}
}

func init() {
	rw := []string{"read", "write"}
	definePerms("data", map[string][]string{
		"item": rw, "partner": rw, "warehouse": rw, "unit": rw, "category": rw, "brand": rw, "price_list": rw,
		"cost": {"read"}, // seeing purchase prices and cost
	})
	definePerms("settings", map[string][]string{
		"company": rw, "user": rw, "role": rw, "audit": {"read"},
	})
	definePerms("purchase", map[string][]string{
		"requisition": {"read", "write", "approve"},
		"order":       {"read", "write", "approve", "post"}, "receipt": {"read", "write", "post"}, "bill": {"read", "write", "approve"},
		"budget": {"read", "write", "override"},
	})
	definePerms("sales", map[string][]string{
		"order": {"read", "write", "approve", "post"}, "shipment": {"read", "write", "post"}, "invoice": {"read", "write"},
		"credit": {"override"}, "price": {"override"},
		"pos":      {"read", "use"}, // read: the counter's sales and returns (零售单); use: ringing them up (收银台)
		"followup": {"all"},         // everyone's follow-up reminders, not only one's own
	})
	definePerms("stock", map[string][]string{
		"balance": {"read"}, "document": {"read", "write", "approve", "post", "reverse"}, "period": {"close", "reopen"},
	})
	definePerms("finance", map[string][]string{
		"payment": rw, "receipt": rw, "account": rw,
	})
	definePerms("report", map[string][]string{
		"stock": {"read"}, "sales": {"read"}, "purchase": {"read"}, "finance": {"read"},
	})
	sort.Slice(permCatalog, func(i, j int) bool { return permCatalog[i].Perm < permCatalog[j].Perm })
}

// PermCatalog returns every permission, sorted.
func PermCatalog() []PermDef { return append([]PermDef(nil), permCatalog...) }

// KnownPerm reports whether p is in the catalog.
func KnownPerm(p Perm) bool {
	i := sort.Search(len(permCatalog), func(i int) bool { return permCatalog[i].Perm >= p })
	return i < len(permCatalog) && permCatalog[i].Perm == p
}

// Role grants permissions in one company, optionally only for some
// warehouses (the data scope; empty means all warehouses).
type Role struct {
	ID           int64   `json:"id"`
	CompanyID    int64   `json:"-"`
	Code         string  `json:"code"`
	Name         string  `json:"name"`
	Perms        []Perm  `json:"perms" bun:"-"`
	WarehouseIDs []int64 `json:"warehouse_ids" bun:"-" doc:"Warehouses this role may see and use; empty = all"`
	Stamp
}

func (r *Role) Validate() error {
	var f Fields
	validCode(&f, "code", r.Code)
	validName(&f, "name", r.Name)
	seen := map[Perm]bool{}
	for i, p := range r.Perms {
		if !KnownPerm(p) {
			f.Add(fmt.Sprintf("perms[%d]", i), "unknown_perm")
		}
		if seen[p] {
			f.Add(fmt.Sprintf("perms[%d]", i), "duplicate")
		}
		seen[p] = true
	}
	return f.Err()
}

// User is a person who signs in. Admins hold every permission in every
// company; other users hold the roles granted to them per company.
type User struct {
	ID          int64      `json:"id"`
	Username    string     `json:"username"`
	DisplayName string     `json:"display_name"`
	Email       string     `json:"email"`
	Phone       string     `json:"phone"`
	IsAdmin     bool       `json:"is_admin"`
	Active      bool       `json:"active"`
	Language    string     `json:"language" enum:",zh-CN,en"`
	LastLoginAt *time.Time `json:"last_login_at"`
	Roles       []UserRole `json:"roles" bun:"-"`
	Stamp
}

// UserRole grants a role in a company to a user.
type UserRole struct {
	CompanyID int64 `json:"company_id"`
	RoleID    int64 `json:"role_id"`
}

var usernameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._\-@]{1,63}$`)

func (u *User) Validate() error {
	var f Fields
	if !usernameRe.MatchString(u.Username) {
		f.Add("username", "username_format")
	}
	f.MaxLen("display_name", u.DisplayName, 64)
	if u.Email != "" && !emailRe.MatchString(u.Email) {
		f.Add("email", "email_format")
	}
	f.MaxLen("phone", u.Phone, 64)
	if u.Language != "" {
		f.OneOf("language", u.Language, "zh-CN", "en")
	}
	return f.Err()
}

// CheckPassword enforces the password policy: at least 10 characters, with
// letters and digits, and not the username. There is no default password
// anywhere in jxc.
func CheckPassword(field, password, username string) error {
	var f Fields
	n := len([]rune(password))
	var letter, digit bool
	for _, r := range password {
		letter = letter || unicode.IsLetter(r)
		digit = digit || unicode.IsDigit(r)
	}
	switch {
	case n < 10:
		f.Add(field, "password_short", "min", "10")
	case n > 256:
		f.Add(field, "max_length", "max", "256")
	case !letter || !digit:
		f.Add(field, "password_weak")
	case strings.EqualFold(password, username):
		f.Add(field, "password_is_username")
	}
	return f.Err()
}

// Principal is who is calling: a signed-in user acting in one company.
type Principal struct {
	UserID     int64
	Username   string
	IsAdmin    bool
	CompanyID  int64
	Perms      map[Perm]bool
	Warehouses map[int64]bool // nil = every warehouse
	TokenID    int64          // set when authenticated by an API token
	SessionID  string         // hash of the session token
}

// Can reports whether the principal holds p.
func (p *Principal) Can(perm Perm) bool {
	return p != nil && (p.IsAdmin || p.Perms[perm])
}

// CanAny reports whether the principal holds at least one of perms.
func (p *Principal) CanAny(perms ...Perm) bool {
	for _, perm := range perms {
		if p.Can(perm) {
			return true
		}
	}
	return false
}

// CanWarehouse reports whether the principal's data scope includes the
// warehouse.
func (p *Principal) CanWarehouse(id int64) bool {
	return p != nil && (p.IsAdmin || p.Warehouses == nil || p.Warehouses[id])
}

// APIToken is a long-lived credential for integrations, shown once.
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	CompanyID  int64      `json:"company_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix" doc:"First characters of the token, to recognise it"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

// AuditEntry is one change: who, when, what, before and after.
type AuditEntry struct {
	ID        int64     `json:"id"`
	CompanyID int64     `json:"company_id"`
	UserID    *int64    `json:"user_id"`
	Username  string    `json:"username"`
	At        time.Time `json:"at"`
	Entity    string    `json:"entity"`
	EntityID  int64     `json:"entity_id"`
	Action    string    `json:"action" doc:"create, update, archive, restore, delete, login …"`
	Before    string    `json:"before" doc:"JSON of the record before the change"`
	After     string    `json:"after" doc:"JSON of the record after the change"`
	RequestID string    `json:"request_id"`
}

// Lockout policy for sign-in.
const (
	MaxFailedLogins = 5
	LockoutDuration = 15 * time.Minute
)
