package domain

import (
	"fmt"
	"regexp"
	"strings"
)

type Tracking string

const (
	TrackNone   Tracking = "none"
	TrackBatch  Tracking = "batch"
	TrackSerial Tracking = "serial"
)

// Item is a stock-keeping unit (SKU). A variant template (颜色×尺码) is an
// item with VariantAttrs and no stock of its own; its children carry
// ParentID and VariantValues.
type Item struct {
	ID             int64             `json:"id"`
	CompanyID      int64             `json:"-"`
	Code           string            `json:"code" doc:"SKU code, unique in the company"`
	Name           string            `json:"name"`
	NameEn         string            `json:"name_en"`
	Mnemonic       string            `json:"mnemonic" doc:"助记码: pinyin initials, generated from the name when empty"`
	Spec           string            `json:"spec" doc:"规格"`
	Model          string            `json:"model" doc:"型号"`
	CategoryID     *int64            `json:"category_id"`
	BrandID        *int64            `json:"brand_id"`
	BaseUnitID     int64             `json:"base_unit_id"`
	Tracking       Tracking          `json:"tracking" enum:"none,batch,serial"`
	ShelfLifeDays  int               `json:"shelf_life_days" minimum:"0" maximum:"36500"`
	Weight         Qty               `json:"weight" doc:"Kilograms per base unit (landed cost by weight); 0 = not known"`
	MOQ            Qty               `json:"moq" bun:"moq" doc:"Minimum order quantity in base units (replenishment); 0 = none"`
	PackQty        Qty               `json:"pack_qty" doc:"Orders are rounded up to whole packs of this many base units (replenishment); 0 = none"`
	CostingMethod  CostingMethod     `json:"costing_method" enum:",moving_average,fifo" doc:"Empty = the company default"`
	PurchasePrice  Price             `json:"purchase_price"`
	WholesalePrice Price             `json:"wholesale_price"`
	RetailPrice    Price             `json:"retail_price"`
	MinPrice       Price             `json:"min_price" doc:"Lowest sale price without an override"`
	TaxRate        Rate              `json:"tax_rate" doc:"VAT rate in percent"`
	Barcode        string            `json:"barcode" bun:"-" doc:"Barcode of the base unit"`
	Note           string            `json:"note"`
	ParentID       *int64            `json:"parent_id" doc:"The variant template this SKU belongs to"`
	IsTemplate     bool              `json:"is_template" doc:"A variant template holds no stock"`
	VariantAttrs   []VariantAttr     `json:"variant_attrs" bun:"-"`
	VariantValues  map[string]string `json:"variant_values" bun:"-"`
	Units          []ItemUnit        `json:"units" bun:"-" doc:"Extra units besides the base unit"`
	Levels         []ItemLevel       `json:"levels" bun:"-" doc:"Per-warehouse stock levels"`
	Stamp
}

// ItemUnit is an extra unit of an item (箱 = 24 个), with its own barcode and
// prices. Factor is how many base units one of it holds.
type ItemUnit struct {
	UnitID         int64  `json:"unit_id"`
	Factor         Qty    `json:"factor" doc:"Base units in one of this unit"`
	Barcode        string `json:"barcode"`
	PurchasePrice  Price  `json:"purchase_price"`
	WholesalePrice Price  `json:"wholesale_price"`
	RetailPrice    Price  `json:"retail_price"`
}

// ItemLevel holds the stock levels of an item in one warehouse.
type ItemLevel struct {
	WarehouseID int64 `json:"warehouse_id"`
	SafetyQty   Qty   `json:"safety_qty"`
	MinQty      Qty   `json:"min_qty"`
	MaxQty      Qty   `json:"max_qty"`
	ReorderQty  Qty   `json:"reorder_qty"`
}

// VariantAttr is one attribute axis of a variant template, e.g. 颜色 with
// values 红, 蓝. Codes go into the child SKU codes.
type VariantAttr struct {
	Name   string         `json:"name"`
	Values []VariantValue `json:"values"`
}

type VariantValue struct {
	Value string `json:"value"`
	Code  string `json:"code" doc:"Short code used in the child SKU code, e.g. RED"`
}

var barcodeRe = regexp.MustCompile(`^[A-Za-z0-9\-.]{1,64}$`)

func validBarcode(f *Fields, field, b string) {
	if b != "" && !barcodeRe.MatchString(b) {
		f.Add(field, "barcode_format")
	}
}

// Normalize trims text fields and fills defaults; call before Validate.
func (it *Item) Normalize() {
	it.Code = strings.TrimSpace(it.Code)
	it.Name = strings.TrimSpace(it.Name)
	it.Barcode = strings.TrimSpace(it.Barcode)
	it.Mnemonic = NormalizeMnemonic(it.Mnemonic)
	if it.Tracking == "" {
		it.Tracking = TrackNone
	}
	for i := range it.Units {
		it.Units[i].Barcode = strings.TrimSpace(it.Units[i].Barcode)
	}
	if it.Units == nil {
		it.Units = []ItemUnit{}
	}
	if it.Levels == nil {
		it.Levels = []ItemLevel{}
	}
	if it.VariantAttrs == nil {
		it.VariantAttrs = []VariantAttr{}
	}
}

func (it *Item) Validate() error {
	var f Fields
	validCode(&f, "code", it.Code)
	validName(&f, "name", it.Name)
	f.MaxLen("name_en", it.NameEn, 200)
	validMnemonic(&f, "mnemonic", it.Mnemonic)
	f.MaxLen("spec", it.Spec, 200)
	f.MaxLen("model", it.Model, 200)
	f.MaxLen("note", it.Note, 2000)
	if it.BaseUnitID <= 0 {
		f.Add("base_unit_id", "required")
	}
	f.OneOf("tracking", string(it.Tracking), string(TrackNone), string(TrackBatch), string(TrackSerial))
	if it.CostingMethod != "" {
		f.OneOf("costing_method", string(it.CostingMethod), string(CostingMovingAverage), string(CostingFIFO))
	}
	f.NotNegative("weight", int64(it.Weight))
	f.NotNegative("moq", int64(it.MOQ))
	f.NotNegative("pack_qty", int64(it.PackQty))
	if it.ShelfLifeDays < 0 || it.ShelfLifeDays > 36500 {
		f.Add("shelf_life_days", "range", "min", "0", "max", "36500")
	}
	f.NotNegative("purchase_price", int64(it.PurchasePrice))
	f.NotNegative("wholesale_price", int64(it.WholesalePrice))
	f.NotNegative("retail_price", int64(it.RetailPrice))
	f.NotNegative("min_price", int64(it.MinPrice))
	validRate(&f, "tax_rate", it.TaxRate)
	validBarcode(&f, "barcode", it.Barcode)

	barcodes := map[string]string{}
	if it.Barcode != "" {
		barcodes[it.Barcode] = "barcode"
	}
	units := map[int64]bool{it.BaseUnitID: true}
	for i, u := range it.Units {
		p := fmt.Sprintf("units[%d]", i)
		if u.UnitID <= 0 {
			f.Add(p+".unit_id", "required")
		} else if units[u.UnitID] {
			f.Add(p+".unit_id", "duplicate")
		}
		units[u.UnitID] = true
		if u.Factor <= 0 {
			f.Add(p+".factor", "positive")
		}
		validBarcode(&f, p+".barcode", u.Barcode)
		if u.Barcode != "" {
			if _, dup := barcodes[u.Barcode]; dup {
				f.Add(p+".barcode", "duplicate")
			}
			barcodes[u.Barcode] = p
		}
		f.NotNegative(p+".purchase_price", int64(u.PurchasePrice))
		f.NotNegative(p+".wholesale_price", int64(u.WholesalePrice))
		f.NotNegative(p+".retail_price", int64(u.RetailPrice))
	}
	whs := map[int64]bool{}
	for i, l := range it.Levels {
		p := fmt.Sprintf("levels[%d]", i)
		if l.WarehouseID <= 0 {
			f.Add(p+".warehouse_id", "required")
		} else if whs[l.WarehouseID] {
			f.Add(p+".warehouse_id", "duplicate")
		}
		whs[l.WarehouseID] = true
		f.NotNegative(p+".safety_qty", int64(l.SafetyQty))
		f.NotNegative(p+".min_qty", int64(l.MinQty))
		f.NotNegative(p+".max_qty", int64(l.MaxQty))
		f.NotNegative(p+".reorder_qty", int64(l.ReorderQty))
		if l.MaxQty > 0 && l.MinQty > l.MaxQty {
			f.Add(p+".min_qty", "not_above", "other", "max_qty")
		}
	}
	if it.IsTemplate {
		validVariantAttrs(&f, it.VariantAttrs)
	}
	return f.Err()
}

func validVariantAttrs(f *Fields, attrs []VariantAttr) {
	if len(attrs) == 0 {
		f.Add("variant_attrs", "required")
	}
	if len(attrs) > 3 {
		f.Add("variant_attrs", "max_items", "max", "3")
	}
	names := map[string]bool{}
	for i, a := range attrs {
		p := fmt.Sprintf("variant_attrs[%d]", i)
		f.Required(p+".name", a.Name)
		f.MaxLen(p+".name", a.Name, 32)
		if names[a.Name] {
			f.Add(p+".name", "duplicate")
		}
		names[a.Name] = true
		if len(a.Values) == 0 {
			f.Add(p+".values", "required")
		}
		if len(a.Values) > 50 {
			f.Add(p+".values", "max_items", "max", "50")
		}
		vals, codes := map[string]bool{}, map[string]bool{}
		for j, v := range a.Values {
			q := fmt.Sprintf("%s.values[%d]", p, j)
			f.Required(q+".value", v.Value)
			f.MaxLen(q+".value", v.Value, 32)
			if vals[v.Value] {
				f.Add(q+".value", "duplicate")
			}
			vals[v.Value] = true
			if v.Code != "" {
				if !codeRe.MatchString(v.Code) || len(v.Code) > 16 {
					f.Add(q+".code", "code_format")
				}
				if codes[v.Code] {
					f.Add(q+".code", "duplicate")
				}
				codes[v.Code] = true
			}
		}
	}
}

// Variants returns the child SKUs of a template: one per combination of
// attribute values, in the order the values were given (颜色 outer, 尺码
// inner). Each child copies the template's prices, units and settings; its
// code is the template code plus the value codes (or 1-based positions when
// a value has no code), and its name adds the values.
func (it *Item) Variants() []Item {
	combos := [][]int{{}}
	for _, a := range it.VariantAttrs {
		var next [][]int
		for _, c := range combos {
			for j := range a.Values {
				next = append(next, append(append([]int{}, c...), j))
			}
		}
		combos = next
	}
	out := make([]Item, 0, len(combos))
	for _, c := range combos {
		child := *it
		child.ID = 0
		child.IsTemplate = false
		child.VariantAttrs = []VariantAttr{}
		child.Barcode = ""
		child.Units = make([]ItemUnit, len(it.Units))
		for i, u := range it.Units {
			u.Barcode = "" // barcodes are per SKU; the user scans them in later
			child.Units[i] = u
		}
		child.Levels = append([]ItemLevel{}, it.Levels...)
		child.VariantValues = make(map[string]string, len(c))
		codeParts := []string{it.Code}
		nameParts := make([]string, 0, len(c))
		for ai, vi := range c {
			v := it.VariantAttrs[ai].Values[vi]
			child.VariantValues[it.VariantAttrs[ai].Name] = v.Value
			if v.Code != "" {
				codeParts = append(codeParts, v.Code)
			} else {
				codeParts = append(codeParts, fmt.Sprintf("%02d", vi+1))
			}
			nameParts = append(nameParts, v.Value)
		}
		child.Code = strings.Join(codeParts, "-")
		child.Name = it.Name + " " + strings.Join(nameParts, "/")
		if it.NameEn != "" {
			child.NameEn = it.NameEn + " " + strings.Join(nameParts, "/")
		}
		out = append(out, child)
	}
	return out
}

// MergeVariantAttrs is how a saved template's attributes may change once its
// children exist: attributes and existing values (with their codes) stay as
// they were, in their order, because child codes and names were made from
// them; values the request adds are appended. Removing or renaming happens by
// archiving the children, not by editing the template.
func MergeVariantAttrs(stored, requested []VariantAttr) []VariantAttr {
	out := make([]VariantAttr, len(stored))
	for i, a := range stored {
		out[i] = VariantAttr{Name: a.Name, Values: append([]VariantValue{}, a.Values...)}
		have := make(map[string]bool, len(a.Values))
		for _, v := range a.Values {
			have[v.Value] = true
		}
		for _, r := range requested {
			if r.Name != a.Name {
				continue
			}
			for _, v := range r.Values {
				if !have[v.Value] {
					out[i].Values = append(out[i].Values, v)
					have[v.Value] = true
				}
			}
		}
	}
	return out
}
