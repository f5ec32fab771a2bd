package service_test

import (
	"context"
	"testing"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

// clerk creates a user holding one role with perms in the first company,
// signs them in and returns their authenticated principal.
func (f fixture) clerk(t *testing.T, username string, perms []domain.Perm, warehouses []int64) (*domain.Principal, domain.User) {
	t.Helper()
	ctx := context.Background()
	r, err := f.svc.CreateRole(ctx, f.admin, domain.Role{Code: "r-" + username, Name: "角色 " + username, Perms: perms, WarehouseIDs: warehouses})
	noErr(t, "CreateRole", err)
	u, err := f.svc.CreateUser(ctx, f.admin, service.CreateUserInput{
		User:     domain.User{Username: username, Active: true, Roles: []domain.UserRole{{CompanyID: f.company.ID, RoleID: r.ID}}},
		Password: "Clerk123456",
	})
	noErr(t, "CreateUser", err)
	tok, _, err := f.svc.Login(ctx, username, "Clerk123456", "")
	noErr(t, "Login "+username, err)
	p, err := f.svc.Authenticate(ctx, tok, "", 0)
	noErr(t, "Authenticate "+username, err)
	return p, u
}

func TestRolePermissions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUp(t, db)
		p, u := f.clerk(t, "clerk", []domain.Perm{"data.item.read"}, nil)

		if p.UserID != u.ID || p.CompanyID != f.company.ID || p.IsAdmin {
			t.Errorf("principal %+v: want non-admin user %d in company %d", p, u.ID, f.company.ID)
		}
		if !p.Can("data.item.read") || p.Can("data.item.write") || p.Can("data.cost.read") {
			t.Errorf("principal perms %v: want data.item.read only", p.Perms)
		}
		if p.Warehouses != nil {
			t.Errorf("a role without warehouses gave scope %v, want every warehouse (nil)", p.Warehouses)
		}
		me, err := f.svc.Me(ctx, p)
		noErr(t, "Me", err)
		if len(me.Perms) != 1 || me.Perms[0] != "data.item.read" || len(me.Companies) != 1 {
			t.Errorf("Me = perms %v, %d companies; want [data.item.read] in 1 company", me.Perms, len(me.Companies))
		}

		// Nobody grants a permission they do not hold.
		_, err = f.svc.CreateRole(ctx, p, domain.Role{Code: "more", Name: "更多", Perms: []domain.Perm{"data.item.read", "data.item.write"}})
		wantField(t, "CreateRole with a permission the caller lacks", err, "perms[1]", "not_yours")
		if _, err := f.svc.CreateRole(ctx, p, domain.Role{Code: "same", Name: "同等", Perms: []domain.Perm{"data.item.read"}}); err != nil {
			t.Errorf("CreateRole with a permission the caller holds: %v", err)
		}
		_, err = f.svc.CreateRole(ctx, f.admin, domain.Role{Code: "bad", Name: "错误", Perms: []domain.Perm{"data.nothing.read"}})
		wantField(t, "CreateRole with an unknown permission", err, "perms[0]", "unknown_perm")

		// A non-admin cannot make an administrator.
		_, err = f.svc.CreateUser(ctx, p, service.CreateUserInput{User: domain.User{Username: "boss", Active: true, IsAdmin: true}, Password: "Boss1234567"})
		wantField(t, "CreateUser of an admin by a non-admin", err, "is_admin", "admin_only")

		// A role of another company cannot be granted here.
		oc := f.otherCompany(t)
		roles, _, err := f.svc.Roles(ctx, service.System(oc.ID), service.ListFilter{})
		noErr(t, "Roles(other company)", err)
		_, err = f.svc.CreateUser(ctx, f.admin, service.CreateUserInput{
			User:     domain.User{Username: "mixed", Active: true, Roles: []domain.UserRole{{CompanyID: f.company.ID, RoleID: roles[0].ID}}},
			Password: "Mixed123456",
		})
		wantField(t, "CreateUser with another company's role", err, "roles[0].role_id", "unknown_reference")
	})
}

func TestRoleWarehouseScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUp(t, db)
		w1, err := f.svc.CreateWarehouse(ctx, f.admin, domain.Warehouse{Code: "W1", Name: "总仓"})
		noErr(t, "CreateWarehouse W1", err)
		w2, err := f.svc.CreateWarehouse(ctx, f.admin, domain.Warehouse{Code: "W2", Name: "分仓"})
		noErr(t, "CreateWarehouse W2", err)

		p, _ := f.clerk(t, "keeper", []domain.Perm{"data.warehouse.read"}, []int64{w1.ID})
		if len(p.Warehouses) != 1 || !p.Warehouses[w1.ID] {
			t.Errorf("scope of a role limited to W1 = %v, want {W1}", p.Warehouses)
		}
		_, err = f.svc.Warehouse(ctx, p, w2.ID)
		wantCode(t, "Warehouse W2 outside the role's scope", err, domain.ENotFound)
		list, n, err := f.svc.Warehouses(ctx, p, service.ListFilter{})
		noErr(t, "Warehouses", err)
		if n != 1 || len(list) != 1 || list[0].ID != w1.ID {
			t.Errorf("Warehouses of a W1 keeper: %d (total %d), want only W1", len(list), n)
		}
	})
}

func TestUserSelfProtection(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUp(t, db)
		me, err := f.svc.User(ctx, f.admin, f.user.ID)
		noErr(t, "User", err)

		off := me
		off.Active = false
		_, err = f.svc.UpdateUser(ctx, f.admin, me.ID, off)
		wantField(t, "UpdateUser deactivating oneself", err, "active", "not_yourself")
		demoted := me
		demoted.IsAdmin = false
		_, err = f.svc.UpdateUser(ctx, f.admin, me.ID, demoted)
		wantField(t, "UpdateUser demoting oneself", err, "active", "not_yourself")

		// Still active and an administrator; a profile change is fine.
		me.DisplayName = "管理员"
		_, err = f.svc.UpdateUser(ctx, f.admin, me.ID, me)
		noErr(t, "UpdateUser of one's own profile", err)
		if _, _, err := f.svc.Login(ctx, adminName, adminPass, ""); err != nil {
			t.Errorf("Login after the refused self-deactivation: %v", err)
		}

		// Someone else can be deactivated, and then cannot sign in.
		_, u := f.clerk(t, "clerk", []domain.Perm{"data.item.read"}, nil)
		u.Active = false
		_, err = f.svc.UpdateUser(ctx, f.admin, u.ID, u)
		noErr(t, "UpdateUser deactivating another user", err)
		_, _, err = f.svc.Login(ctx, "clerk", "Clerk123456", "")
		wantCode(t, "Login of a deactivated user", err, domain.EUnauthorized)
	})
}

func TestAPITokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUp(t, db)
		oc := f.otherCompany(t)
		p, u := f.clerk(t, "clerk", []domain.Perm{"data.item.read"}, nil)

		nt, err := f.svc.CreateToken(ctx, p, "ERP 对接", 30)
		noErr(t, "CreateToken", err)
		if nt.Secret == "" || nt.Prefix != nt.Secret[:10] || nt.CompanyID != f.company.ID || nt.UserID != u.ID || nt.ExpiresAt == nil {
			t.Errorf("CreateToken = %+v; want a secret with its prefix, for user %d in company %d, expiring", nt.APIToken, u.ID, f.company.ID)
		}

		tp, err := f.svc.Authenticate(ctx, "", nt.Secret, 0)
		noErr(t, "Authenticate(bearer)", err)
		if tp.UserID != u.ID || tp.CompanyID != f.company.ID || tp.TokenID != nt.ID || tp.SessionID != "" ||
			!tp.Can("data.item.read") || tp.Can("data.item.write") {
			t.Errorf("bearer principal %+v: want user %d in company %d via token %d with data.item.read only",
				tp, u.ID, f.company.ID, nt.ID)
		}
		if _, err := f.svc.Authenticate(ctx, "", nt.Secret, f.company.ID); err != nil {
			t.Errorf("Authenticate(bearer) naming the token's company: %v", err)
		}
		_, err = f.svc.Authenticate(ctx, "", nt.Secret, oc.ID)
		wantCode(t, "Authenticate(bearer) for another company", err, domain.EForbidden)
		_, err = f.svc.Authenticate(ctx, "", "jxc_forged", 0)
		wantCode(t, "Authenticate with a forged bearer", err, domain.EUnauthorized)

		toks, err := f.svc.Tokens(ctx, p, false)
		noErr(t, "Tokens", err)
		if len(toks) != 1 || toks[0].ID != nt.ID {
			t.Errorf("Tokens = %+v, want the one token", toks)
		}

		// Only the owner (or a user administrator) revokes a token.
		other, _ := f.clerk(t, "other", []domain.Perm{"data.item.read"}, nil)
		err = f.svc.RevokeToken(ctx, other, nt.ID)
		wantCode(t, "RevokeToken of someone else's token", err, domain.ENotFound)
		noErr(t, "RevokeToken", f.svc.RevokeToken(ctx, p, nt.ID))
		_, err = f.svc.Authenticate(ctx, "", nt.Secret, 0)
		wantCode(t, "Authenticate with a revoked token", err, domain.EUnauthorized)
		err = f.svc.RevokeToken(ctx, p, nt.ID)
		wantCode(t, "RevokeToken twice", err, domain.ENotFound)
	})
}
