package service

import (
	"context"
	"fmt"
	"strings"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// Users lists every user (user administration is installation-wide).
func (s *Service) Users(ctx context.Context, p *domain.Principal, f ListFilter) ([]domain.User, int, error) {
	return list(ctx, s, func(tx *store.Tx) ([]domain.User, int, error) { return tx.ListUsers(ctx, f) })
}

func (s *Service) User(ctx context.Context, p *domain.Principal, id int64) (domain.User, error) {
	return view(ctx, s, func(tx *store.Tx) (domain.User, error) { return tx.User(ctx, id) })
}

// checkUserGrants: only an administrator makes administrators or grants
// roles in companies other than the current one; every role must belong to
// the company it is granted in.
func checkUserGrants(ctx context.Context, tx *store.Tx, p *domain.Principal, u *domain.User) error {
	if u.IsAdmin && !p.IsAdmin {
		return domain.FieldErr("is_admin", "admin_only")
	}
	for i, r := range u.Roles {
		field := fmt.Sprintf("roles[%d].role_id", i)
		if r.CompanyID != p.CompanyID && !p.IsAdmin {
			return domain.FieldErr(fmt.Sprintf("roles[%d].company_id", i), "admin_only")
		}
		if err := tx.MustExist(ctx, "roles", r.CompanyID, field, r.RoleID); err != nil {
			return err
		}
	}
	return nil
}

// CreateUserInput is a new user with an initial password.
type CreateUserInput struct {
	domain.User
	Password string `json:"password" minLength:"1" maxLength:"256"`
}

func (s *Service) CreateUser(ctx context.Context, p *domain.Principal, in CreateUserInput) (domain.User, error) {
	u := in.User
	u.ID, u.Archived, u.Username = 0, false, strings.TrimSpace(u.Username)
	if u.Roles == nil {
		u.Roles = []domain.UserRole{}
	}
	if err := joinInvalid(u.Validate(), domain.CheckPassword("password", in.Password, u.Username)); err != nil {
		return u, err
	}
	hash, err := s.hashPassword(in.Password)
	if err != nil {
		return u, err
	}
	return u, save(ctx, s, p, "user", &u.ID, "create", nil, &u, func(tx *store.Tx) error {
		if err := checkUserGrants(ctx, tx, p, &u); err != nil {
			return err
		}
		return tx.CreateUser(ctx, &u, hash)
	})
}

// UpdateUser saves a user's profile, flags and roles. The username is fixed.
func (s *Service) UpdateUser(ctx context.Context, p *domain.Principal, id int64, u domain.User) (domain.User, error) {
	if u.Roles == nil {
		u.Roles = []domain.UserRole{}
	}
	var before domain.User
	err := save(ctx, s, p, "user", &id, "update", &before, &u, func(tx *store.Tx) (err error) {
		if before, err = tx.User(ctx, id); err != nil {
			return err
		}
		u.ID, u.Username, u.CreatedAt, u.LastLoginAt = id, before.Username, before.CreatedAt, before.LastLoginAt
		if err := u.Validate(); err != nil {
			return err
		}
		if before.IsAdmin && !p.IsAdmin {
			return domain.ErrorKey(domain.EForbidden, "error.admin_only", nil, "only administrators change administrators")
		}
		if id == p.UserID && (!u.Active || u.Archived || (before.IsAdmin && !u.IsAdmin)) {
			return domain.FieldErr("active", "not_yourself")
		}
		if !p.IsAdmin { // roles in other companies are not the caller's to change
			var kept []domain.UserRole
			for _, r := range before.Roles {
				if r.CompanyID != p.CompanyID {
					kept = append(kept, r)
				}
			}
			u.Roles = append(kept, u.Roles...)
		}
		if err := checkUserGrants(ctx, tx, p, &u); err != nil {
			return err
		}
		return tx.UpdateUser(ctx, &u)
	})
	return u, err
}

// ResetPassword sets another user's password (a user administrator's act).
func (s *Service) ResetPassword(ctx context.Context, p *domain.Principal, id int64, pw string) error {
	u, err := s.User(ctx, p, id)
	if err != nil {
		return err
	}
	if u.IsAdmin && !p.IsAdmin {
		return domain.ErrorKey(domain.EForbidden, "error.admin_only", nil, "only administrators change administrators")
	}
	if err := domain.CheckPassword("password", pw, u.Username); err != nil {
		return err
	}
	return s.setPassword(ctx, p, id, pw)
}

// ---------------------------------------------------------------- roles

func (s *Service) Roles(ctx context.Context, p *domain.Principal, f ListFilter) ([]domain.Role, int, error) {
	f.CompanyID = p.CompanyID
	return list(ctx, s, func(tx *store.Tx) ([]domain.Role, int, error) { return tx.ListRoles(ctx, f) })
}

func (s *Service) Role(ctx context.Context, p *domain.Principal, id int64) (domain.Role, error) {
	return view(ctx, s, func(tx *store.Tx) (domain.Role, error) { return tx.Role(ctx, p.CompanyID, id) })
}

func normalizeRole(r *domain.Role) {
	r.Code, r.Name = trim(r.Code), trim(r.Name)
	if r.Perms == nil {
		r.Perms = []domain.Perm{}
	}
	if r.WarehouseIDs == nil {
		r.WarehouseIDs = []int64{}
	}
}

// grantable: nobody hands out a permission they do not hold themselves.
func grantable(p *domain.Principal, r *domain.Role) error {
	for i, perm := range r.Perms {
		if !p.Can(perm) {
			return domain.FieldErr(fmt.Sprintf("perms[%d]", i), "not_yours")
		}
	}
	return nil
}

func (s *Service) CreateRole(ctx context.Context, p *domain.Principal, r domain.Role) (domain.Role, error) {
	r.ID, r.CompanyID, r.Archived = 0, p.CompanyID, false
	normalizeRole(&r)
	if err := joinInvalid(r.Validate(), grantable(p, &r)); err != nil {
		return r, err
	}
	return r, save(ctx, s, p, "role", &r.ID, "create", nil, &r, func(tx *store.Tx) error { return tx.CreateRole(ctx, &r) })
}

func (s *Service) UpdateRole(ctx context.Context, p *domain.Principal, id int64, r domain.Role) (domain.Role, error) {
	r.ID, r.CompanyID = id, p.CompanyID
	normalizeRole(&r)
	if err := joinInvalid(r.Validate(), grantable(p, &r)); err != nil {
		return r, err
	}
	var before domain.Role
	return r, save(ctx, s, p, "role", &r.ID, "update", &before, &r, func(tx *store.Tx) (err error) {
		if before, err = tx.Role(ctx, p.CompanyID, id); err != nil {
			return err
		}
		r.CreatedAt, r.Archived = before.CreatedAt, before.Archived
		return tx.UpdateRole(ctx, &r)
	})
}

func (s *Service) ArchiveRole(ctx context.Context, p *domain.Principal, id int64, archived bool) error {
	return change(ctx, s, p, "role", id, archiveAction(archived),
		func(tx *store.Tx) (domain.Role, error) { return tx.Role(ctx, p.CompanyID, id) },
		func(tx *store.Tx) error { return tx.SetRoleArchived(ctx, p.CompanyID, id, archived) })
}
