package domain

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Master data: the nouns every document refers to. Each type validates its
// own fields; the store only persists what passed.

// Audit columns shared by master-data rows.
type Stamp struct {
	Archived  bool      `json:"archived"`
	Version   int64     `json:"version" doc:"Optimistic-lock version; send it back on update."`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

var codeRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._\-/]*$`)

// currencyRe is an ISO 4217 code: three capital letters.
var currencyRe = regexp.MustCompile(`^[A-Z]{3}$`)

// validCode checks a business code (SKU, partner code …): letters, digits
// and . _ - /, at most 64 characters.
func validCode(f *Fields, field, code string) {
	if strings.TrimSpace(code) == "" {
		f.Add(field, "required")
		return
	}
	if len(code) > 64 {
		f.Add(field, "max_length", "max", "64")
		return
	}
	if !codeRe.MatchString(code) {
		f.Add(field, "code_format")
	}
}

func validName(f *Fields, field, name string) {
	f.Required(field, name)
	f.MaxLen(field, name, 200)
}

var mnemonicRe = regexp.MustCompile(`^[a-z0-9]*$`)

func validMnemonic(f *Fields, field, m string) {
	if len(m) > 64 {
		f.Add(field, "max_length", "max", "64")
	} else if !mnemonicRe.MatchString(m) {
		f.Add(field, "mnemonic_format")
	}
}

// NormalizeMnemonic lower-cases a user-typed 助记码 and drops spaces.
func NormalizeMnemonic(m string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(m), " ", ""))
}

// ---------------------------------------------------------------- companies

type NegativeStock string

const (
	NegativeStockForbid NegativeStock = "forbid"
	NegativeStockAllow  NegativeStock = "allow"
)

type CostingMethod string

const (
	CostingMovingAverage CostingMethod = "moving_average"
	CostingFIFO          CostingMethod = "fifo"
)

type CostingScope string

const (
	CostingScopeCompany   CostingScope = "company"
	CostingScopeWarehouse CostingScope = "warehouse"
)

// CompanySettings are the policies a company chooses once and may change
// with care (the stock ledger reads them on every posting).
type CompanySettings struct {
	NegativeStock   NegativeStock     `json:"negative_stock" enum:"forbid,allow" doc:"Whether stock may go below zero (forbid by default)."`
	CostingMethod   CostingMethod     `json:"costing_method" enum:"moving_average,fifo" doc:"Default valuation for items that do not choose one."`
	CostingScope    CostingScope      `json:"costing_scope" enum:"company,warehouse" doc:"Average cost across the company or per warehouse."`
	ApprovalFor     []string          `json:"approval_for" doc:"Document types that need approval before posting."`
	NumberPrefixes  map[string]string `json:"number_prefixes" doc:"Document number prefix per document type, e.g. {\"purchase_order\":\"CG\"}."`
	CustomerTiers   []Tier            `json:"customer_tiers" doc:"Customer tiers (等级) that price lists refer to."`
	DefaultTaxRate  Rate              `json:"default_tax_rate" doc:"Default VAT rate in percent for new items."`
	PriceDecimals   int               `json:"price_decimals" minimum:"0" maximum:"4" doc:"Decimals shown for unit prices."`
	QuantityDecimal int               `json:"quantity_decimals" minimum:"0" maximum:"4" doc:"Decimals shown for quantities."`
	// ReceiptTolerance lets a purchase order line be over-received by this
	// share of the ordered quantity (rounded down); 0 = not at all.
	ReceiptTolerance Rate `json:"receipt_tolerance" doc:"Over-receipt tolerance in percent of the ordered quantity (0 = none)."`
}

// Tier is a customer grade referred to by price lists.
type Tier struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEn string `json:"name_en" doc:"English name (may be empty)"`
}

// DocumentTypes lists the document types a company can configure.
var DocumentTypes = []string{
	"purchase_requisition", "purchase_rfq", "purchase_order", "purchase_receipt", "purchase_return", "purchase_bill", "payment", "landed_cost",
	"sales_quote", "sales_order", "sales_shipment", "sales_return", "sales_invoice", "receipt", "pos_sale", "pos_return",
	"stock_opening", "stock_in", "stock_out", "stock_transfer", "stocktake", "assembly", "disassembly",
}

// DefaultNumberPrefixes are the customary Chinese document prefixes.
var DefaultNumberPrefixes = map[string]string{
	"purchase_requisition": "QG", "purchase_rfq": "XJ", "purchase_order": "CG", "purchase_receipt": "RK", "purchase_return": "CT",
	"purchase_bill": "CF", "payment": "FK", "landed_cost": "FT", "sales_quote": "BJ", "sales_order": "XS", "sales_shipment": "CK",
	"sales_return": "XT", "sales_invoice": "XF", "receipt": "SK", "pos_sale": "LS", "pos_return": "LT", "stock_opening": "QC", "stock_in": "QR",
	"stock_out": "QX", "stock_transfer": "DB", "stocktake": "PD", "assembly": "ZZ", "disassembly": "CX",
}

// DefaultCompanySettings returns what a new company starts with.
func DefaultCompanySettings() CompanySettings {
	p := make(map[string]string, len(DefaultNumberPrefixes))
	for k, v := range DefaultNumberPrefixes {
		p[k] = v
	}
	return CompanySettings{
		NegativeStock:   NegativeStockForbid,
		CostingMethod:   CostingMovingAverage,
		CostingScope:    CostingScopeCompany,
		ApprovalFor:     []string{},
		NumberPrefixes:  p,
		CustomerTiers:   []Tier{},
		DefaultTaxRate:  RateOf(13),
		PriceDecimals:   2,
		QuantityDecimal: 2,
	}
}

// FillDefaults sets every setting the caller left empty to its default, so
// a company created with partial settings is still complete.
func (s *CompanySettings) FillDefaults() {
	d := DefaultCompanySettings()
	if s.NegativeStock == "" {
		s.NegativeStock = d.NegativeStock
	}
	if s.CostingMethod == "" {
		s.CostingMethod = d.CostingMethod
	}
	if s.CostingScope == "" {
		s.CostingScope = d.CostingScope
	}
	if s.ApprovalFor == nil {
		s.ApprovalFor = d.ApprovalFor
	}
	if s.NumberPrefixes == nil {
		s.NumberPrefixes = d.NumberPrefixes
	}
	for k, v := range d.NumberPrefixes {
		if _, ok := s.NumberPrefixes[k]; !ok {
			s.NumberPrefixes[k] = v
		}
	}
	if s.CustomerTiers == nil {
		s.CustomerTiers = d.CustomerTiers
	}
}

// CheckScopeChange refuses a change of the costing scope once the company
// has moved stock: cost states, FIFO layers and closed months' snapshots
// are kept per scope, so the goods on hand and their history would be
// valued under the old scope and every later posting under the new one.
// moved reports whether the company has any stock movement.
func CheckScopeChange(before, after CompanySettings, moved bool) error {
	if before.CostingScope != after.CostingScope && moved {
		return FieldErr("settings.costing_scope", "scope_after_moves")
	}
	return nil
}

func (s *CompanySettings) validate(f *Fields) {
	f.OneOf("settings.negative_stock", string(s.NegativeStock), string(NegativeStockForbid), string(NegativeStockAllow))
	f.OneOf("settings.costing_method", string(s.CostingMethod), string(CostingMovingAverage), string(CostingFIFO))
	f.OneOf("settings.costing_scope", string(s.CostingScope), string(CostingScopeCompany), string(CostingScopeWarehouse))
	for i, t := range s.ApprovalFor {
		f.OneOf(fmt.Sprintf("settings.approval_for[%d]", i), t, DocumentTypes...)
	}
	for k, v := range s.NumberPrefixes {
		f.OneOf("settings.number_prefixes."+k, k, DocumentTypes...)
		if len(v) > 8 || !regexp.MustCompile(`^[A-Z]{0,8}$`).MatchString(v) {
			f.Add("settings.number_prefixes."+k, "prefix_format")
		}
	}
	seen := map[string]bool{}
	for i, t := range s.CustomerTiers {
		validCode(f, fmt.Sprintf("settings.customer_tiers[%d].code", i), t.Code)
		validName(f, fmt.Sprintf("settings.customer_tiers[%d].name", i), t.Name)
		f.MaxLen(fmt.Sprintf("settings.customer_tiers[%d].name_en", i), t.NameEn, 200)
		if seen[t.Code] {
			f.Add(fmt.Sprintf("settings.customer_tiers[%d].code", i), "duplicate")
		}
		seen[t.Code] = true
	}
	validRate(f, "settings.default_tax_rate", s.DefaultTaxRate)
	validRate(f, "settings.receipt_tolerance", s.ReceiptTolerance)
}

// HasTier reports whether code is one of the company's customer tiers.
func (s *CompanySettings) HasTier(code string) bool {
	for _, t := range s.CustomerTiers {
		if t.Code == code {
			return true
		}
	}
	return false
}

func validRate(f *Fields, field string, r Rate) {
	if r < 0 || r > RateOf(100) {
		f.Add(field, "range", "min", "0", "max", "100")
	}
}

type Company struct {
	ID          int64           `json:"id"`
	Code        string          `json:"code" maxLength:"64"`
	Name        string          `json:"name" maxLength:"200"`
	NameEn      string          `json:"name_en" maxLength:"200" doc:"English name (may be empty): headers and prints in English"`
	TaxNo       string          `json:"tax_no" maxLength:"32" doc:"税号 (unified social credit code)"`
	BankName    string          `json:"bank_name" maxLength:"200" doc:"开户行"`
	BankAccount string          `json:"bank_account" maxLength:"64" doc:"账号"`
	Address     string          `json:"address" maxLength:"500"`
	Phone       string          `json:"phone" maxLength:"64"`
	Currency    string          `json:"currency" pattern:"^[A-Z]{3}$" doc:"ISO 4217 code, e.g. CNY"`
	Settings    CompanySettings `json:"settings"`
	Stamp
}

func (c *Company) Validate() error {
	var f Fields
	validCode(&f, "code", c.Code)
	validName(&f, "name", c.Name)
	f.MaxLen("name_en", c.NameEn, 200)
	f.MaxLen("tax_no", c.TaxNo, 32)
	f.MaxLen("bank_name", c.BankName, 200)
	f.MaxLen("bank_account", c.BankAccount, 64)
	f.MaxLen("address", c.Address, 500)
	f.MaxLen("phone", c.Phone, 64)
	if !currencyRe.MatchString(c.Currency) {
		f.Add("currency", "currency_format")
	}
	c.Settings.validate(&f)
	return f.Err()
}

// ---------------------------------------------------------------- units, categories, brands

type Unit struct {
	ID        int64  `json:"id"`
	CompanyID int64  `json:"-"`
	Code      string `json:"code"`
	Name      string `json:"name" doc:"e.g. 个, 箱, kg"`
	NameEn    string `json:"name_en"`
	Decimals  int    `json:"decimals" minimum:"0" maximum:"4" doc:"Decimals allowed when counting in this unit (0 = whole units)."`
	Stamp
}

func (u *Unit) Validate() error {
	var f Fields
	validCode(&f, "code", u.Code)
	f.Required("name", u.Name)
	f.MaxLen("name", u.Name, 32)
	f.MaxLen("name_en", u.NameEn, 32)
	if u.Decimals < 0 || u.Decimals > QtyScale {
		f.Add("decimals", "range", "min", "0", "max", fmt.Sprint(QtyScale))
	}
	return f.Err()
}

type Category struct {
	ID        int64  `json:"id"`
	CompanyID int64  `json:"-"`
	ParentID  *int64 `json:"parent_id"`
	Code      string `json:"code"`
	Name      string `json:"name"`
	NameEn    string `json:"name_en"`
	Mnemonic  string `json:"mnemonic"`
	Sort      int    `json:"sort"`
	Stamp
}

func (c *Category) Validate() error {
	var f Fields
	validCode(&f, "code", c.Code)
	validName(&f, "name", c.Name)
	f.MaxLen("name_en", c.NameEn, 200)
	validMnemonic(&f, "mnemonic", c.Mnemonic)
	if c.ParentID != nil && *c.ParentID == c.ID && c.ID != 0 {
		f.Add("parent_id", "cycle")
	}
	return f.Err()
}

type Brand struct {
	ID        int64  `json:"id"`
	CompanyID int64  `json:"-"`
	Code      string `json:"code"`
	Name      string `json:"name"`
	NameEn    string `json:"name_en"`
	Mnemonic  string `json:"mnemonic"`
	Stamp
}

func (b *Brand) Validate() error {
	var f Fields
	validCode(&f, "code", b.Code)
	validName(&f, "name", b.Name)
	f.MaxLen("name_en", b.NameEn, 200)
	validMnemonic(&f, "mnemonic", b.Mnemonic)
	return f.Err()
}

// ---------------------------------------------------------------- money accounts

// AccountKind says where the money of an account is kept.
type AccountKind string

const (
	AccountCash   AccountKind = "cash"   // 现金
	AccountBank   AccountKind = "bank"   // 银行账户
	AccountWeChat AccountKind = "wechat" // 微信支付商户号
	AccountAlipay AccountKind = "alipay" // 支付宝
	AccountCard   AccountKind = "card"   // 银行卡收款 (POS terminal)
	AccountOther  AccountKind = "other"
)

// AccountKinds lists the kinds in the order the UI offers them.
var AccountKinds = []AccountKind{AccountCash, AccountBank, AccountWeChat, AccountAlipay, AccountCard, AccountOther}

// Account is a money account (资金账户): a cash box, a bank account or a
// payment-platform merchant account that payments leave and receipts enter.
// Its balance is the opening balance plus what posted documents move; only
// the opening balance is master data.
type Account struct {
	ID             int64       `json:"id"`
	CompanyID      int64       `json:"-"`
	Code           string      `json:"code"`
	Name           string      `json:"name"`
	NameEn         string      `json:"name_en"`
	Kind           AccountKind `json:"kind" enum:"cash,bank,wechat,alipay,card,other"`
	BankName       string      `json:"bank_name" maxLength:"200" doc:"开户行; bank accounts only"`
	BankAccount    string      `json:"bank_account" maxLength:"64" doc:"账号; bank accounts only"`
	Currency       string      `json:"currency" doc:"ISO 4217 code; CNY when empty"`
	OpeningBalance Money       `json:"opening_balance" doc:"期初余额 in the account's currency, e.g. \"1200.00\""`
	OpeningDate    *Date       `json:"opening_date" doc:"The day the opening balance was counted; required when it is not zero"`
	Note           string      `json:"note" maxLength:"500"`
	Stamp
}

// Validate checks the fields; Normalize should run first.
func (a *Account) Validate() error {
	var f Fields
	validCode(&f, "code", a.Code)
	validName(&f, "name", a.Name)
	f.MaxLen("name_en", a.NameEn, 200)
	kinds := make([]string, len(AccountKinds))
	for i, k := range AccountKinds {
		kinds[i] = string(k)
	}
	f.OneOf("kind", string(a.Kind), kinds...)
	f.MaxLen("bank_name", a.BankName, 200)
	f.MaxLen("bank_account", a.BankAccount, 64)
	if a.Kind != AccountBank {
		if a.BankName != "" {
			f.Add("bank_name", "bank_only")
		}
		if a.BankAccount != "" {
			f.Add("bank_account", "bank_only")
		}
	}
	if !currencyRe.MatchString(a.Currency) {
		f.Add("currency", "currency_format")
	}
	if a.OpeningBalance != 0 && a.OpeningDate == nil {
		f.Add("opening_date", "required")
	}
	f.MaxLen("note", a.Note, 500)
	return f.Err()
}

// Normalize trims the text fields, upper-cases the currency and fills the
// default currency.
func (a *Account) Normalize() {
	a.Code, a.Name, a.NameEn = strings.TrimSpace(a.Code), strings.TrimSpace(a.Name), strings.TrimSpace(a.NameEn)
	a.BankName, a.BankAccount = strings.TrimSpace(a.BankName), strings.TrimSpace(a.BankAccount)
	a.Note = strings.TrimSpace(a.Note)
	a.Currency = strings.ToUpper(strings.TrimSpace(a.Currency))
	if a.Currency == "" {
		a.Currency = "CNY"
	}
}
