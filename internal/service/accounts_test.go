package service_test

import (
	"context"
	"slices"
	"testing"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

func TestMoneyAccounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setUp(t, db)
		svc, p := f.svc, f.admin
		day := domain.NewDate(2026, 1, 1)

		bank, err := svc.CreateAccount(ctx, p, domain.Account{Code: "BANK-ICBC", Name: "工行基本户", Kind: domain.AccountBank,
			BankName: " 工商银行 ", BankAccount: "6222020000001234", OpeningBalance: 12345678, OpeningDate: &day})
		noErr(t, "CreateAccount bank", err)
		if bank.ID == 0 || bank.Currency != "CNY" || bank.BankName != "工商银行" || bank.Version != 1 {
			t.Errorf("created bank = %+v; want an id, currency CNY, trimmed bank name, version 1", bank)
		}
		cash, err := svc.CreateAccount(ctx, p, domain.Account{Code: "CASH", Name: "现金", NameEn: "Cash", Kind: domain.AccountCash, Currency: "usd"})
		noErr(t, "CreateAccount cash", err)
		if cash.Currency != "USD" || cash.OpeningDate != nil {
			t.Errorf("created cash: currency %q, opening date %v; want USD and none", cash.Currency, cash.OpeningDate)
		}
		_, err = svc.CreateAccount(ctx, p, domain.Account{Code: "WX", Name: "微信", Kind: domain.AccountWeChat})
		noErr(t, "CreateAccount wechat", err)

		// Read back exactly: money in cents, the date as a date.
		got, err := svc.Account(ctx, p, bank.ID)
		noErr(t, "Account", err)
		if got.OpeningBalance != 12345678 || got.OpeningBalance.String() != "123456.78" || got.OpeningDate == nil ||
			got.OpeningDate.String() != "2026-01-01" || got.BankAccount != "6222020000001234" || got.Kind != domain.AccountBank {
			t.Errorf("Account = %+v", got)
		}

		// Codes are unique per company; bank fields only on bank accounts.
		_, err = svc.CreateAccount(ctx, p, domain.Account{Code: "CASH", Name: "另一个现金", Kind: domain.AccountCash})
		wantCode(t, "duplicate code", err, domain.EConflict)
		_, err = svc.CreateAccount(ctx, p, domain.Account{Code: "ALI", Name: "支付宝", Kind: domain.AccountAlipay, BankAccount: "x"})
		wantField(t, "bank account on alipay", err, "bank_account", "bank_only")
		_, err = svc.CreateAccount(ctx, p, domain.Account{Code: "ALI", Name: "支付宝", Kind: domain.AccountAlipay, OpeningBalance: 100})
		wantField(t, "opening balance without a date", err, "opening_date", "required")

		// List: search, kind filter, sort, paging.
		all, n, err := svc.Accounts(ctx, p, service.AccountFilter{})
		noErr(t, "Accounts", err)
		if n != 3 || len(all) != 3 || all[0].Code != "BANK-ICBC" || all[1].Code != "CASH" || all[2].Code != "WX" {
			t.Errorf("Accounts = %d %v", n, accountCodes(all))
		}
		found, n, err := svc.Accounts(ctx, p, service.AccountFilter{ListFilter: service.ListFilter{Q: "工行"}})
		noErr(t, "Accounts q", err)
		if n != 1 || found[0].ID != bank.ID {
			t.Errorf("search 工行 = %v", accountCodes(found))
		}
		found, _, err = svc.Accounts(ctx, p, service.AccountFilter{ListFilter: service.ListFilter{Q: "cash"}})
		noErr(t, "Accounts q=cash", err)
		if len(found) != 1 || found[0].ID != cash.ID {
			t.Errorf("search cash (any case) = %v", accountCodes(found))
		}
		found, _, err = svc.Accounts(ctx, p, service.AccountFilter{Kind: "wechat"})
		noErr(t, "Accounts kind", err)
		if len(found) != 1 || found[0].Code != "WX" {
			t.Errorf("kind wechat = %v", accountCodes(found))
		}
		found, n, err = svc.Accounts(ctx, p, service.AccountFilter{ListFilter: service.ListFilter{Sort: "-opening_balance", Page: store.Page{Limit: 1}}})
		noErr(t, "Accounts sorted page", err)
		if n != 3 || len(found) != 1 || found[0].ID != bank.ID {
			t.Errorf("first by opening balance desc = %d %v", n, accountCodes(found))
		}

		// Update with the version read; a stale version is a conflict.
		edit := got
		edit.Name, edit.OpeningBalance = "工行基本户（新）", domain.MoneyOf(100)
		saved, err := svc.UpdateAccount(ctx, p, bank.ID, edit)
		noErr(t, "UpdateAccount", err)
		if saved.Version != 2 || saved.OpeningBalance != 10000 {
			t.Errorf("updated = version %d balance %s", saved.Version, saved.OpeningBalance)
		}
		_, err = svc.UpdateAccount(ctx, p, bank.ID, edit)
		wantCode(t, "UpdateAccount with a stale version", err, domain.EConflict)

		// Archive hides it from the default list; restore brings it back.
		noErr(t, "ArchiveAccount", svc.ArchiveAccount(ctx, p, cash.ID, true))
		active, _, err := svc.Accounts(ctx, p, service.AccountFilter{ListFilter: service.ListFilter{Archived: "active"}})
		noErr(t, "Accounts active", err)
		if slices.ContainsFunc(active, func(a domain.Account) bool { return a.ID == cash.ID }) {
			t.Errorf("archived account listed as active: %v", accountCodes(active))
		}
		archived, _, err := svc.Accounts(ctx, p, service.AccountFilter{ListFilter: service.ListFilter{Archived: "archived"}})
		noErr(t, "Accounts archived", err)
		if len(archived) != 1 || archived[0].ID != cash.ID || !archived[0].Archived {
			t.Errorf("archived list = %v", accountCodes(archived))
		}
		noErr(t, "restore", svc.ArchiveAccount(ctx, p, cash.ID, false))

		// Another company sees none of them.
		other := f.otherCompany(t)
		po := &domain.Principal{UserID: f.user.ID, IsAdmin: true, CompanyID: other.ID}
		if _, n, err := svc.Accounts(ctx, po, service.AccountFilter{}); err != nil || n != 0 {
			t.Errorf("other company's accounts = %d, %v; want none", n, err)
		}
		_, err = svc.Account(ctx, po, bank.ID)
		wantCode(t, "Account of another company", err, domain.ENotFound)
		// The same code is fine there.
		_, err = svc.CreateAccount(ctx, po, domain.Account{Code: "CASH", Name: "现金", Kind: domain.AccountCash})
		noErr(t, "same code in another company", err)

		// Delete, audited.
		noErr(t, "DeleteAccount", svc.DeleteAccount(ctx, p, cash.ID))
		_, err = svc.Account(ctx, p, cash.ID)
		wantCode(t, "Account after delete", err, domain.ENotFound)
		trail, _, err := svc.Audit(ctx, p, service.AuditFilter{Entity: "account", EntityID: cash.ID})
		noErr(t, "Audit", err)
		var actions []string
		for _, e := range trail {
			actions = append(actions, e.Action)
		}
		for _, want := range []string{"create", "archive", "restore", "delete"} {
			if !slices.Contains(actions, want) {
				t.Errorf("audit actions %v lack %s", actions, want)
			}
		}

		// Every standard role may read accounts (payments, receipts and
		// POS pick one); only the bookkeeper may change them.
		roles, _, err := svc.Roles(ctx, p, service.ListFilter{})
		noErr(t, "Roles", err)
		for _, r := range roles {
			if !slices.Contains(r.Perms, "finance.account.read") {
				t.Errorf("role %s lacks finance.account.read", r.Code)
			}
			if w := slices.Contains(r.Perms, "finance.account.write"); w != (r.Code == "bookkeeper") {
				t.Errorf("role %s finance.account.write = %v", r.Code, w)
			}
		}
	})
}

func accountCodes(as []domain.Account) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Code
	}
	return out
}
