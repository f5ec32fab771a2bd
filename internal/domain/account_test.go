package domain

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestAccountValidate(t *testing.T) {
	day := NewDate(2026, 1, 1)
	ok := func() Account {
		return Account{Code: "BANK-1", Name: "工行基本户", Kind: AccountBank, BankName: "工商银行", BankAccount: "6222 0000 1111", Currency: "CNY"}
	}
	tests := []struct {
		name  string
		edit  func(a *Account)
		field string // "" = valid
		rule  string
	}{
		{"valid bank", func(a *Account) {}, "", ""},
		{"valid cash with opening balance", func(a *Account) {
			a.Kind, a.BankName, a.BankAccount, a.OpeningBalance, a.OpeningDate = AccountCash, "", "", MoneyOf(500), &day
		}, "", ""},
		{"negative opening balance (overdrawn) is allowed", func(a *Account) { a.OpeningBalance, a.OpeningDate = -150, &day }, "", ""},
		{"code required", func(a *Account) { a.Code = "" }, "code", "required"},
		{"code format", func(a *Account) { a.Code = "银行 1" }, "code", "code_format"},
		{"name required", func(a *Account) { a.Name = " " }, "name", "required"},
		{"name too long", func(a *Account) { a.Name = strings.Repeat("账", 201) }, "name", "max_length"},
		{"name_en too long", func(a *Account) { a.NameEn = strings.Repeat("a", 201) }, "name_en", "max_length"},
		{"kind required", func(a *Account) { a.Kind = "" }, "kind", "one_of"},
		{"unknown kind", func(a *Account) { a.Kind = "paypal" }, "kind", "one_of"},
		{"bank name on cash", func(a *Account) { a.Kind, a.BankAccount = AccountCash, "" }, "bank_name", "bank_only"},
		{"account number on wechat", func(a *Account) { a.Kind, a.BankName = AccountWeChat, "" }, "bank_account", "bank_only"},
		{"bank account too long", func(a *Account) { a.BankAccount = strings.Repeat("1", 65) }, "bank_account", "max_length"},
		{"currency lower case", func(a *Account) { a.Currency = "cny" }, "currency", "currency_format"},
		{"currency empty", func(a *Account) { a.Currency = "" }, "currency", "currency_format"},
		{"opening balance without date", func(a *Account) { a.OpeningBalance = MoneyOf(1) }, "opening_date", "required"},
		{"note too long", func(a *Account) { a.Note = strings.Repeat("x", 501) }, "note", "max_length"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := ok()
			tc.edit(&a)
			err := a.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != EInvalid {
				t.Fatalf("Validate() = %v, want invalid", err)
			}
			if !slices.ContainsFunc(e.Fields, func(f FieldError) bool { return f.Field == tc.field && f.Rule == tc.rule }) {
				t.Errorf("Validate() fields = %+v, want %s: %s", e.Fields, tc.field, tc.rule)
			}
		})
	}
}

func TestAccountNormalize(t *testing.T) {
	a := Account{Code: " C1 ", Name: " 现金 ", Currency: " usd ", Note: " x "}
	a.Normalize()
	if a.Code != "C1" || a.Name != "现金" || a.Currency != "USD" || a.Note != "x" {
		t.Errorf("Normalize = %+v", a)
	}
	b := Account{}
	b.Normalize()
	if b.Currency != "CNY" {
		t.Errorf("default currency = %q, want CNY", b.Currency)
	}
}
