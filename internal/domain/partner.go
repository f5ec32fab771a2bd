package domain

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

type PartnerKind string

const (
	PartnerSupplier PartnerKind = "supplier"
	PartnerCustomer PartnerKind = "customer"
	PartnerBoth     PartnerKind = "both"
)

// IsSupplier reports whether the partner may appear on purchase documents.
func (k PartnerKind) IsSupplier() bool { return k == PartnerSupplier || k == PartnerBoth }

// IsCustomer reports whether the partner may appear on sales documents.
func (k PartnerKind) IsCustomer() bool { return k == PartnerCustomer || k == PartnerBoth }

// Partner is a supplier, a customer, or both (往来单位).
type Partner struct {
	ID               int64       `json:"id"`
	CompanyID        int64       `json:"-"`
	Code             string      `json:"code"`
	Name             string      `json:"name"`
	NameEn           string      `json:"name_en"`
	Mnemonic         string      `json:"mnemonic"`
	Kind             PartnerKind `json:"kind" enum:"supplier,customer,both"`
	TaxNo            string      `json:"tax_no"`
	BankName         string      `json:"bank_name"`
	BankAccount      string      `json:"bank_account"`
	PaymentTermsDays int         `json:"payment_terms_days" minimum:"0" maximum:"3650" doc:"Days until an invoice is due"`
	CreditLimit      Money       `json:"credit_limit" doc:"0 = no limit"`
	CreditMode       string      `json:"credit_mode" enum:"block,warn" doc:"Over the limit (or overdue): block the order or shipment (an override needs sales.credit.override), or only warn"`
	OverdueDays      int         `json:"overdue_days" minimum:"0" maximum:"3650" doc:"An invoice overdue by more than this many days blocks new orders and shipments too; 0 = off"`
	Tier             string      `json:"tier" doc:"Customer tier code (等级), from the company settings"`
	SalespersonID    *int64      `json:"salesperson_id" doc:"User responsible for this customer"`
	Tags             []string    `json:"tags" bun:"-"`
	Contacts         []Contact   `json:"contacts" bun:"-"`
	Addresses        []Address   `json:"addresses" bun:"-"`
	Note             string      `json:"note"`
	Stamp
}

type Contact struct {
	Name    string `json:"name"`
	Title   string `json:"title"`
	Phone   string `json:"phone"`
	Mobile  string `json:"mobile"`
	Email   string `json:"email"`
	WeChat  string `json:"wechat"`
	Primary bool   `json:"primary"`
}

type Address struct {
	Label    string `json:"label" doc:"e.g. 收货地址, 办公地址"`
	Region   string `json:"region" doc:"Province / city / district"`
	Line     string `json:"line"`
	Receiver string `json:"receiver"`
	Phone    string `json:"phone"`
	Primary  bool   `json:"primary"`
}

var emailRe = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// ChecksCredit reports whether the customer's orders and shipments are
// checked against a credit limit or an overdue rule.
func (p *Partner) ChecksCredit() bool { return p.CreditLimit > 0 || p.OverdueDays > 0 }

func (p *Partner) Normalize() {
	p.Code = strings.TrimSpace(p.Code)
	p.Name = strings.TrimSpace(p.Name)
	p.Mnemonic = NormalizeMnemonic(p.Mnemonic)
	if p.Tags == nil {
		p.Tags = []string{}
	}
	for i := range p.Tags {
		p.Tags[i] = strings.TrimSpace(p.Tags[i])
	}
	if p.Contacts == nil {
		p.Contacts = []Contact{}
	}
	if p.Addresses == nil {
		p.Addresses = []Address{}
	}
}

// Validate checks the partner against the company's settings (tiers).
func (p *Partner) Validate(settings *CompanySettings) error {
	var f Fields
	validCode(&f, "code", p.Code)
	validName(&f, "name", p.Name)
	f.MaxLen("name_en", p.NameEn, 200)
	validMnemonic(&f, "mnemonic", p.Mnemonic)
	f.OneOf("kind", string(p.Kind), string(PartnerSupplier), string(PartnerCustomer), string(PartnerBoth))
	f.MaxLen("tax_no", p.TaxNo, 32)
	f.MaxLen("bank_name", p.BankName, 200)
	f.MaxLen("bank_account", p.BankAccount, 64)
	f.MaxLen("note", p.Note, 2000)
	if p.PaymentTermsDays < 0 || p.PaymentTermsDays > 3650 {
		f.Add("payment_terms_days", "range", "min", "0", "max", "3650")
	}
	f.NotNegative("credit_limit", int64(p.CreditLimit))
	if p.CreditMode == "" {
		p.CreditMode = CreditBlock
	}
	f.OneOf("credit_mode", p.CreditMode, CreditBlock, CreditWarn)
	if p.OverdueDays < 0 || p.OverdueDays > 3650 {
		f.Add("overdue_days", "range", "min", "0", "max", "3650")
	}
	if p.Tier != "" && settings != nil && !settings.HasTier(p.Tier) {
		f.Add("tier", "unknown_tier")
	}
	tags := map[string]bool{}
	for i, t := range p.Tags {
		field := fmt.Sprintf("tags[%d]", i)
		f.Required(field, t)
		f.MaxLen(field, t, 32)
		if tags[t] {
			f.Add(field, "duplicate")
		}
		tags[t] = true
	}
	if len(p.Tags) > 20 {
		f.Add("tags", "max_items", "max", "20")
	}
	for i, c := range p.Contacts {
		q := fmt.Sprintf("contacts[%d]", i)
		validName(&f, q+".name", c.Name)
		f.MaxLen(q+".phone", c.Phone, 64)
		f.MaxLen(q+".mobile", c.Mobile, 64)
		f.MaxLen(q+".wechat", c.WeChat, 64)
		f.MaxLen(q+".title", c.Title, 64)
		if c.Email != "" && !emailRe.MatchString(c.Email) {
			f.Add(q+".email", "email_format")
		}
	}
	for i, a := range p.Addresses {
		q := fmt.Sprintf("addresses[%d]", i)
		f.Required(q+".line", a.Line)
		f.MaxLen(q+".line", a.Line, 500)
		f.MaxLen(q+".region", a.Region, 200)
		f.MaxLen(q+".label", a.Label, 64)
		f.MaxLen(q+".receiver", a.Receiver, 64)
		f.MaxLen(q+".phone", a.Phone, 64)
	}
	return f.Err()
}

// ---------------------------------------------------------------- warehouses and locations

// LocationKind: internal locations hold real stock; the virtual ones are
// the other side of every move (the sum of an item over all locations is
// zero).
type LocationKind string

const (
	LocWarehouse  LocationKind = "warehouse" // the root of a warehouse's tree; holds stock when no bins are used
	LocBin        LocationKind = "bin"       // 货位 inside a warehouse
	LocSupplier   LocationKind = "supplier"
	LocCustomer   LocationKind = "customer"
	LocLoss       LocationKind = "loss" // 盘亏/报损
	LocGain       LocationKind = "gain" // 盘盈
	LocTransit    LocationKind = "transit"
	LocProduction LocationKind = "production"
	LocOpening    LocationKind = "opening" // 期初: the source of opening balances
)

// VirtualLocationKinds exist once per company, created with it.
var VirtualLocationKinds = []LocationKind{LocSupplier, LocCustomer, LocLoss, LocGain, LocTransit, LocProduction, LocOpening}

// IsVirtual reports whether stock at this kind of location is not physical.
func (k LocationKind) IsVirtual() bool { return k != LocWarehouse && k != LocBin }

type Warehouse struct {
	ID             int64  `json:"id"`
	CompanyID      int64  `json:"-"`
	Code           string `json:"code"`
	Name           string `json:"name"`
	NameEn         string `json:"name_en"`
	Mnemonic       string `json:"mnemonic"`
	Address        string `json:"address"`
	Manager        string `json:"manager"`
	Phone          string `json:"phone"`
	RootLocationID int64  `json:"root_location_id" doc:"The location that stands for the whole warehouse"`
	Stamp
}

func (w *Warehouse) Validate() error {
	var f Fields
	validCode(&f, "code", w.Code)
	validName(&f, "name", w.Name)
	f.MaxLen("name_en", w.NameEn, 200)
	validMnemonic(&f, "mnemonic", w.Mnemonic)
	f.MaxLen("address", w.Address, 500)
	f.MaxLen("manager", w.Manager, 64)
	f.MaxLen("phone", w.Phone, 64)
	return f.Err()
}

type Location struct {
	ID          int64        `json:"id"`
	CompanyID   int64        `json:"-"`
	WarehouseID *int64       `json:"warehouse_id"`
	ParentID    *int64       `json:"parent_id"`
	Code        string       `json:"code"`
	Name        string       `json:"name"`
	NameEn      string       `json:"name_en"`
	Kind        LocationKind `json:"kind"`
	Stamp
}

func (l *Location) Validate() error {
	var f Fields
	validCode(&f, "code", l.Code)
	validName(&f, "name", l.Name)
	f.MaxLen("name_en", l.NameEn, 200)
	return f.Err()
}

// ---------------------------------------------------------------- price lists

type PriceListKind string

const (
	PriceListSale     PriceListKind = "sale"
	PriceListPurchase PriceListKind = "purchase"
)

// PriceList holds prices for a customer tier or one partner, with quantity
// breaks and a validity window. The pricing engine (sales) reads them.
type PriceList struct {
	ID        int64           `json:"id"`
	CompanyID int64           `json:"-"`
	Code      string          `json:"code"`
	Name      string          `json:"name"`
	Kind      PriceListKind   `json:"kind" enum:"sale,purchase"`
	Tier      string          `json:"tier" doc:"Customer tier this list applies to (sale lists)"`
	PartnerID *int64          `json:"partner_id" doc:"One partner this list applies to (一客一价 / supplier prices)"`
	ValidFrom *Date           `json:"valid_from"`
	ValidTo   *Date           `json:"valid_to"`
	Note      string          `json:"note"`
	Lines     []PriceListLine `json:"lines" bun:"-"`
	Stamp
}

type PriceListLine struct {
	ItemID int64 `json:"item_id"`
	UnitID int64 `json:"unit_id" doc:"The unit the price is for; 0 = the item's base unit"`
	MinQty Qty   `json:"min_qty" doc:"Quantity break: the price applies from this quantity on"`
	Price  Price `json:"price"`
}

func (p *PriceList) Validate(settings *CompanySettings) error {
	var f Fields
	validCode(&f, "code", p.Code)
	validName(&f, "name", p.Name)
	f.OneOf("kind", string(p.Kind), string(PriceListSale), string(PriceListPurchase))
	if p.Tier != "" {
		if p.Kind == PriceListPurchase {
			f.Add("tier", "sale_only")
		} else if settings != nil && !settings.HasTier(p.Tier) {
			f.Add("tier", "unknown_tier")
		}
	}
	if p.Tier != "" && p.PartnerID != nil {
		f.Add("partner_id", "tier_or_partner")
	}
	if p.ValidFrom != nil && p.ValidTo != nil && p.ValidTo.Before(*p.ValidFrom) {
		f.Add("valid_to", "before_start")
	}
	f.MaxLen("note", p.Note, 2000)
	type key struct {
		item, unit int64
		min        Qty
	}
	seen := map[key]bool{}
	for i, l := range p.Lines {
		q := fmt.Sprintf("lines[%d]", i)
		if l.ItemID <= 0 {
			f.Add(q+".item_id", "required")
		}
		f.NotNegative(q+".min_qty", int64(l.MinQty))
		f.NotNegative(q+".price", int64(l.Price))
		k := key{l.ItemID, l.UnitID, l.MinQty}
		if seen[k] {
			f.Add(q+".min_qty", "duplicate")
		}
		seen[k] = true
	}
	return f.Err()
}

// ---------------------------------------------------------------- dates

// Date is a calendar date without time zone (a business date), JSON
// "YYYY-MM-DD".
type Date struct{ time.Time }

const dateLayout = "2006-01-02"

func NewDate(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("not a date (YYYY-MM-DD): %q", s)
	}
	return Date{t}, nil
}

// MarshalJSON and UnmarshalJSON override the ones promoted from time.Time,
// which would write a full timestamp.
func (d Date) MarshalJSON() ([]byte, error) { return []byte(`"` + d.String() + `"`), nil }

func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("not a date (YYYY-MM-DD): %s", b)
	}
	return d.UnmarshalText(b[1 : len(b)-1])
}

func (d Date) String() string                { return d.Format(dateLayout) }
func (d Date) MarshalText() ([]byte, error)  { return []byte(d.String()), nil }
func (d *Date) UnmarshalText(b []byte) error { v, err := ParseDate(string(b)); *d = v; return err }
func (d Date) Before(o Date) bool            { return d.Time.Before(o.Time) }
