package demo

import (
	"fmt"
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
)

// accountDefs are the demo company's money accounts (资金账户): the shop's
// cash box, its basic bank account and the WeChat Pay merchant account the
// tills take QR payments into. Opening balances are counted on the day the
// stock openings are (the first of last month).
var accountDefs = []domain.Account{
	{Code: "CASH-01", Name: "门店现金", NameEn: "Shop cash box", Kind: domain.AccountCash, OpeningBalance: 580000,
		Note: "收银台备用金含在内"},
	{Code: "BANK-ICBC", Name: "工行基本户", NameEn: "ICBC basic account", Kind: domain.AccountBank,
		BankName: "中国工商银行上海市徐汇支行", BankAccount: "1001 2345 0900 0123 456", OpeningBalance: 38654321},
	{Code: "WX-01", Name: "微信支付商户号", NameEn: "WeChat Pay merchant", Kind: domain.AccountWeChat, OpeningBalance: 1268850,
		Note: "T+1 结算到工行基本户"},
}

func (l *loader) accounts() error {
	now := time.Now()
	day := domain.Date{Time: time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)}
	for _, a := range accountDefs {
		a.OpeningDate = &day
		if _, err := l.svc.CreateAccount(l.ctx, l.p, a); err != nil {
			return fmt.Errorf("%s: %w", a.Code, err)
		}
	}
	return nil
}
