package service_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

func TestSetupValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := newService(db)
		needed, err := svc.SetupNeeded(ctx)
		noErr(t, "SetupNeeded", err)
		if !needed {
			t.Fatalf("SetupNeeded on an empty database = false, want true")
		}

		for _, tc := range []struct{ name, password, rule string }{
			{"short", "abc1", "password_short"},
			{"no digit", "abcdefghijkl", "password_weak"},
			{"no letter", "123456789012", "password_weak"},
		} {
			_, _, err := svc.Setup(ctx, service.SetupInput{Username: adminName, Password: tc.password, CompanyName: "测试公司"})
			wantField(t, "Setup with password "+tc.name, err, "password", tc.rule)
		}
		_, _, err = svc.Setup(ctx, service.SetupInput{Username: "admin12345", Password: "ADMIN12345", CompanyName: "测试公司"})
		wantField(t, "Setup with the username as password", err, "password", "password_is_username")

		_, _, err = svc.Setup(ctx, service.SetupInput{Username: adminName, Password: adminPass, CompanyName: "  "})
		wantField(t, "Setup with a blank company name and no company", err, "company_name", "required")

		// Nothing of the refused attempts was kept.
		needed, err = svc.SetupNeeded(ctx)
		noErr(t, "SetupNeeded", err)
		if !needed {
			t.Errorf("SetupNeeded after refused setups = false, want true")
		}
	})
}

func TestSetupOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUp(t, db)
		if !f.user.IsAdmin || !f.user.Active || f.company.ID == 0 || f.company.Code != "MAIN" || f.company.Currency != "CNY" {
			t.Errorf("Setup returned user %+v, company %+v; want an active admin and company MAIN in CNY", f.user, f.company)
		}
		needed, err := f.svc.SetupNeeded(ctx)
		noErr(t, "SetupNeeded", err)
		if needed {
			t.Errorf("SetupNeeded after setup = true, want false")
		}
		// The standard roles come with the company.
		roles, n, err := f.svc.Roles(ctx, f.admin, service.ListFilter{})
		noErr(t, "Roles", err)
		if n != 6 || len(roles) != 6 {
			t.Errorf("Roles after setup: %d (total %d), want the 6 standard roles", len(roles), n)
		}

		_, _, err = f.svc.Setup(ctx, service.SetupInput{Username: "second", Password: adminPass, CompanyName: "第二家"})
		wantCode(t, "second Setup", err, domain.ESetupDone)

		// The administrator signs in with the password chosen at setup.
		if _, _, err := f.svc.Login(ctx, adminName, adminPass, ""); err != nil {
			t.Errorf("Login after setup: %v", err)
		}
	})
}

func TestSetupConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := newService(db)
		const n = 10
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, _, errs[i] = svc.Setup(ctx, service.SetupInput{
					Username: fmt.Sprintf("admin%d", i), Password: adminPass, CompanyName: fmt.Sprintf("公司%d", i),
				})
			}()
		}
		close(start)
		wg.Wait()

		ok := 0
		for i, err := range errs {
			switch {
			case err == nil:
				ok++
			case domain.ErrorCode(err) != domain.ESetupDone:
				t.Errorf("Setup #%d: %v (code %q), want success or %q", i, err, domain.ErrorCode(err), domain.ESetupDone)
			}
		}
		if ok != 1 {
			t.Errorf("%d concurrent setups succeeded, want exactly 1", ok)
		}

		users, total, err := svc.Users(ctx, service.System(0), service.ListFilter{Archived: "all"})
		noErr(t, "Users", err)
		if total != 1 || len(users) != 1 {
			t.Errorf("Users after concurrent setup: %d (total %d), want 1", len(users), total)
		}
		companies, err := svc.Companies(ctx, service.System(0))
		noErr(t, "Companies", err)
		if len(companies) != 1 {
			t.Errorf("Companies after concurrent setup: %d, want 1", len(companies))
		}
	})
}

func TestLogin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUp(t, db)
		svc := f.svc

		_, _, err := svc.Login(ctx, adminName, "Wrong123456", "")
		wantCode(t, "Login with a wrong password", err, domain.EUnauthorized)
		_, _, err = svc.Login(ctx, "nobody", adminPass, "")
		wantCode(t, "Login of an unknown user", err, domain.EUnauthorized)

		tok1, u, err := svc.Login(ctx, "ADMIN", adminPass, "") // usernames are case-insensitive
		noErr(t, "Login", err)
		if u.ID != f.user.ID || tok1 == "" {
			t.Fatalf("Login = token %q, user %d; want a token for user %d", tok1, u.ID, f.user.ID)
		}
		p, err := svc.Authenticate(ctx, tok1, "", 0)
		noErr(t, "Authenticate(session)", err)
		if p.UserID != f.user.ID || p.CompanyID != f.company.ID || !p.IsAdmin || p.SessionID == "" {
			t.Errorf("Authenticate = %+v; want admin %d in company %d with a session", p, f.user.ID, f.company.ID)
		}

		// A new token on every sign-in; the one handed in as old dies.
		tok2, _, err := svc.Login(ctx, adminName, adminPass, tok1)
		noErr(t, "second Login", err)
		if tok2 == tok1 {
			t.Errorf("second Login returned the same token")
		}
		_, err = svc.Authenticate(ctx, tok1, "", 0)
		wantCode(t, "Authenticate with the replaced session", err, domain.EUnauthorized)
		p2, err := svc.Authenticate(ctx, tok2, "", 0)
		noErr(t, "Authenticate with the new session", err)

		_, err = svc.Authenticate(ctx, "", "", 0)
		wantCode(t, "Authenticate without credentials", err, domain.EUnauthorized)
		_, err = svc.Authenticate(ctx, "s_forged", "", 0)
		wantCode(t, "Authenticate with a forged session", err, domain.EUnauthorized)

		// Changing the password needs the current one, and signs out everywhere.
		err = svc.ChangePassword(ctx, p2, "Wrong123456", "NewSecret678")
		wantField(t, "ChangePassword with a wrong current password", err, "current_password", "")
		err = svc.ChangePassword(ctx, p2, adminPass, "short1")
		wantField(t, "ChangePassword to a short password", err, "new_password", "password_short")
		noErr(t, "ChangePassword", svc.ChangePassword(ctx, p2, adminPass, "NewSecret678"))
		_, err = svc.Authenticate(ctx, tok2, "", 0)
		wantCode(t, "Authenticate after ChangePassword", err, domain.EUnauthorized)
		_, _, err = svc.Login(ctx, adminName, adminPass, "")
		wantCode(t, "Login with the old password", err, domain.EUnauthorized)
		tok3, _, err := svc.Login(ctx, adminName, "NewSecret678", "")
		noErr(t, "Login with the new password", err)

		// Logout ends the session.
		noErr(t, "Logout", svc.Logout(ctx, tok3))
		_, err = svc.Authenticate(ctx, tok3, "", 0)
		wantCode(t, "Authenticate after Logout", err, domain.EUnauthorized)
	})
}

func TestLoginLockout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUp(t, db)
		svc := f.svc
		_, err := svc.CreateUser(ctx, f.admin, service.CreateUserInput{
			User: domain.User{Username: "bob", Active: true}, Password: "BobSecret123",
		})
		noErr(t, "CreateUser", err)

		// Failures below the limit do not lock; a success resets the count.
		for range domain.MaxFailedLogins - 1 {
			_, _, err := svc.Login(ctx, "bob", "Wrong123456", "")
			wantCode(t, "Login with a wrong password", err, domain.EUnauthorized)
		}
		_, _, err = svc.Login(ctx, "bob", "BobSecret123", "")
		noErr(t, "Login below the limit", err)

		for range domain.MaxFailedLogins {
			_, _, err := svc.Login(ctx, "bob", "Wrong123456", "")
			wantCode(t, "Login with a wrong password", err, domain.EUnauthorized)
		}
		_, _, err = svc.Login(ctx, "bob", "BobSecret123", "")
		wantCode(t, "Login with the right password while locked", err, domain.ETooManyRequests)

		// Another user is not affected.
		_, _, err = svc.Login(ctx, adminName, adminPass, "")
		noErr(t, "Login of another user during the lockout", err)

		// Once the lockout has passed, the right password works again.
		later := time.Now().UTC().Add(domain.LockoutDuration + time.Minute)
		db.SetClock(func() time.Time { return later })
		_, _, err = svc.Login(ctx, "bob", "BobSecret123", "")
		noErr(t, "Login after the lockout", err)
	})
}

// TestCallerCache: who a session is is kept for a second (Authenticate
// reads nothing the second time), but what this process changes about the
// caller counts at the next request, and what another process changes
// within a second.
func TestCallerCache(t *testing.T) {
	storetest.Twins(t, func(t *testing.T, db, other *store.DB) {
		ctx := context.Background()
		f := setUp(t, db)
		_, u := f.clerk(t, "cashier", []domain.Perm{"data.item.read"}, nil)
		login := func() string {
			tok, _, err := f.svc.Login(ctx, "cashier", "Clerk123456", "")
			noErr(t, "Login", err)
			return tok
		}
		tok := login()
		p, err := f.svc.Authenticate(ctx, tok, "", 0)
		noErr(t, "Authenticate", err)
		cnt := storetest.CountStatements(t, db)
		cnt.Reset()
		again, err := f.svc.Authenticate(ctx, tok, "", 0)
		noErr(t, "Authenticate again", err)
		if n := cnt.Statements(); n != 0 || again.UserID != p.UserID || again.CompanyID != p.CompanyID || !again.Can("data.item.read") {
			t.Errorf("the second Authenticate within a second: %d statements, %+v; want none and the same caller %+v", n, again, p)
		}
		// The same session asking for a company it has no role in is refused, kept or not.
		other2 := f.otherCompany(t)
		_, err = f.svc.Authenticate(ctx, tok, "", other2.ID)
		wantCode(t, "Authenticate for another company", err, domain.EForbidden)

		// This process: a permission given is held at the next request.
		role, err := f.svc.Role(ctx, f.admin, u.Roles[0].RoleID)
		noErr(t, "Role", err)
		role.Perms = append(role.Perms, "data.item.write")
		_, err = f.svc.Authenticate(ctx, tok, "", 0) // kept afresh
		noErr(t, "Authenticate", err)
		_, err = f.svc.UpdateRole(ctx, f.admin, role.ID, role)
		noErr(t, "UpdateRole", err)
		p, err = f.svc.Authenticate(ctx, tok, "", 0)
		noErr(t, "Authenticate after UpdateRole", err)
		if !p.Can("data.item.write") {
			t.Errorf("after the role gained data.item.write the caller holds %v", p.Perms)
		}
		// … a user made inactive is signed out at once …
		cur, err := f.svc.User(ctx, f.admin, u.ID)
		noErr(t, "User", err)
		cur.Active = false
		_, err = f.svc.Authenticate(ctx, tok, "", 0)
		noErr(t, "Authenticate", err)
		cur, err = f.svc.UpdateUser(ctx, f.admin, u.ID, cur)
		noErr(t, "UpdateUser inactive", err)
		_, err = f.svc.Authenticate(ctx, tok, "", 0)
		wantCode(t, "Authenticate of an inactive user", err, domain.EUnauthorized)
		cur.Active = true
		_, err = f.svc.UpdateUser(ctx, f.admin, u.ID, cur)
		noErr(t, "UpdateUser active", err)
		// … and a signed-out session too.
		tok = login()
		_, err = f.svc.Authenticate(ctx, tok, "", 0)
		noErr(t, "Authenticate a new session", err)
		noErr(t, "Logout", f.svc.Logout(ctx, tok))
		_, err = f.svc.Authenticate(ctx, tok, "", 0)
		wantCode(t, "Authenticate after Logout", err, domain.EUnauthorized)

		// A session idle past its limit ends on time, kept or not.
		tok = login()
		_, err = f.svc.Authenticate(ctx, tok, "", 0)
		noErr(t, "Authenticate", err)
		later := time.Now().Add(service.DefaultConfig().SessionIdle + time.Minute)
		db.SetClock(func() time.Time { return later })
		_, err = f.svc.Authenticate(ctx, tok, "", 0)
		wantCode(t, "Authenticate after the idle limit", err, domain.EUnauthorized)
		db.SetClock(time.Now)

		// Another process (its own cache): its sign-out and its taking a
		// permission away count here within a second.
		tok = login()
		_, err = f.svc.Authenticate(ctx, tok, "", 0)
		noErr(t, "Authenticate", err)
		svc2 := newService(other)
		role, err = svc2.Role(ctx, f.admin, role.ID)
		noErr(t, "Role from the other process", err)
		role.Perms = []domain.Perm{"data.item.read"}
		_, err = svc2.UpdateRole(ctx, f.admin, role.ID, role)
		noErr(t, "UpdateRole from the other process", err)
		time.Sleep(1100 * time.Millisecond)
		p, err = f.svc.Authenticate(ctx, tok, "", 0)
		noErr(t, "Authenticate after the other process's UpdateRole", err)
		if p.Can("data.item.write") {
			t.Errorf("a second after another process took data.item.write away the caller still holds it")
		}
		noErr(t, "Logout from the other process", svc2.Logout(ctx, tok))
		time.Sleep(1100 * time.Millisecond)
		_, err = f.svc.Authenticate(ctx, tok, "", 0)
		wantCode(t, "Authenticate a second after another process's Logout", err, domain.EUnauthorized)
	})
}
