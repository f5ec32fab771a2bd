package domain

import "testing"

func TestTender(t *testing.T) {
	acct := int64(1)
	m := func(s string) Money {
		v, err := ParseMoney(s)
		if err != nil {
			panic(err)
		}
		return v
	}
	cash := func(tendered string) Payment {
		return Payment{Method: PayCash, AccountID: &acct, Tendered: m(tendered)}
	}
	wx := func(amount string) Payment { return Payment{Method: PayWeChat, AccountID: &acct, Tendered: m(amount)} }
	tests := []struct {
		name     string
		total    string
		pays     []Payment
		customer bool
		refund   bool
		rule     string // the first field rule expected; "" = valid
		amounts  []string
		change   string // of the cash payment
	}{
		{"cash with change", "65.00", []Payment{cash("100")}, false, false, "", []string{"65.00"}, "35.00"},
		{"cash exact", "65.00", []Payment{cash("65")}, false, false, "", []string{"65.00"}, "0.00"},
		{"wechat and cash", "65.00", []Payment{wx("30"), cash("50")}, false, false, "", []string{"30.00", "35.00"}, "15.00"},
		{"cash short", "65.00", []Payment{wx("30"), cash("20")}, false, false, "short_paid", nil, ""},
		{"non-cash short", "65.00", []Payment{wx("30")}, false, false, "short_paid", nil, ""},
		{"non-cash over", "65.00", []Payment{wx("70")}, false, false, "over_paid", nil, ""},
		{"store credit needs a customer", "10.00", []Payment{{Method: PayStoreCredit, Tendered: m("10")}}, false, false, "needs_customer", nil, ""},
		{"store credit", "10.00", []Payment{{Method: PayStoreCredit, AccountID: &acct, Tendered: m("10")}}, true, false, "", []string{"10.00"}, ""},
		{"two cash payments", "10.00", []Payment{cash("5"), cash("5")}, false, false, "duplicate", nil, ""},
		{"account required", "10.00", []Payment{{Method: PayCard, Tendered: m("10")}}, false, false, "required", nil, ""},
		{"unknown method", "10.00", []Payment{{Method: "cheque", AccountID: &acct, Tendered: m("10")}}, false, false, "one_of", nil, ""},
		{"refund gives no change", "5.00", []Payment{cash("6")}, false, true, "over_paid", nil, ""},
		{"refund in cash", "5.00", []Payment{cash("5")}, false, true, "", []string{"5.00"}, ""},
		{"nothing paid", "5.00", nil, false, false, "required", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Tender(m(tt.total), tt.pays, tt.customer, tt.refund)
			if tt.rule != "" {
				e, ok := err.(*Error)
				if !ok || len(e.Fields) == 0 || e.Fields[0].Rule != tt.rule {
					t.Fatalf("error %v, want rule %s", err, tt.rule)
				}
				return
			}
			if err != nil {
				t.Fatalf("error %v", err)
			}
			for i, a := range tt.amounts {
				if got[i].Amount.String() != a {
					t.Errorf("payment %d amount %s, want %s", i, got[i].Amount, a)
				}
			}
			if tt.change != "" {
				for _, p := range got {
					if p.Method == PayCash && p.Change.String() != tt.change {
						t.Errorf("change %s, want %s", p.Change, tt.change)
					}
				}
			}
			if tt.name == "store credit" && got[0].AccountID != nil {
				t.Errorf("store credit keeps an account")
			}
		})
	}
}
