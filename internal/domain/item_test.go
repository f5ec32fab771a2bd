package domain_test

import (
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/jxc-erp/jxc/internal/domain"
)

// fieldErrors returns the field errors of err, failing the test unless err
// is an EInvalid *domain.Error. nil gives nil.
func fieldErrors(t *testing.T, err error) []domain.FieldError {
	t.Helper()
	if err == nil {
		return nil
	}
	var de *domain.Error
	if !errors.As(err, &de) {
		t.Fatalf("error %v (%T) is not a *domain.Error", err, err)
	}
	if de.Code != domain.EInvalid {
		t.Errorf("error code %q, want %q", de.Code, domain.EInvalid)
	}
	if len(de.Fields) == 0 {
		t.Errorf("EInvalid error %q names no fields", de.Message)
	}
	return de.Fields
}

// validItem is a plain SKU that passes validation: 个 as base unit, 箱 of 24.
func validItem() domain.Item {
	it := domain.Item{
		Code:          "SKU-1",
		Name:          "可口可乐 330ml",
		BaseUnitID:    1,
		Barcode:       "6901234567892",
		RetailPrice:   domain.PriceOf(3),
		PurchasePrice: 18000,
		TaxRate:       domain.RateOf(13),
		Units: []domain.ItemUnit{
			{UnitID: 2, Factor: domain.QtyOf(24), Barcode: "16901234567899", RetailPrice: domain.PriceOf(60)},
		},
		Levels: []domain.ItemLevel{
			{WarehouseID: 1, SafetyQty: domain.QtyOf(10), MinQty: domain.QtyOf(5), MaxQty: domain.QtyOf(100)},
		},
	}
	it.Normalize()
	return it
}

func TestItemValidate(t *testing.T) {
	type fe = domain.FieldError
	tests := []struct {
		name   string
		modify func(it *domain.Item)
		want   []domain.FieldError
	}{
		{"valid", func(it *domain.Item) {}, nil},
		{"no extra units, levels or barcode", func(it *domain.Item) {
			it.Units, it.Levels, it.Barcode = nil, nil, ""
		}, nil},
		{"missing code", func(it *domain.Item) { it.Code = "" }, []fe{{Field: "code", Rule: "required"}}},
		{"blank code", func(it *domain.Item) { it.Code = "   " }, []fe{{Field: "code", Rule: "required"}}},
		{"bad code", func(it *domain.Item) { it.Code = "-SKU" }, []fe{{Field: "code", Rule: "code_format"}}},
		{"long code", func(it *domain.Item) { it.Code = strings.Repeat("A", 65) }, []fe{
			{Field: "code", Rule: "max_length", Params: map[string]string{"max": "64"}},
		}},
		{"missing name", func(it *domain.Item) { it.Name = "" }, []fe{{Field: "name", Rule: "required"}}},
		{"missing base unit", func(it *domain.Item) { it.BaseUnitID = 0 }, []fe{{Field: "base_unit_id", Rule: "required"}}},
		{"missing code, name and base unit", func(it *domain.Item) {
			it.Code, it.Name, it.BaseUnitID = "", "", 0
		}, []fe{ // sorted by field
			{Field: "base_unit_id", Rule: "required"},
			{Field: "code", Rule: "required"},
			{Field: "name", Rule: "required"},
		}},
		{"bad barcode", func(it *domain.Item) { it.Barcode = "690 123" }, []fe{{Field: "barcode", Rule: "barcode_format"}}},
		{"extra unit repeats the base barcode", func(it *domain.Item) {
			it.Units[0].Barcode = it.Barcode
		}, []fe{{Field: "units[0].barcode", Rule: "duplicate"}}},
		{"two extra units share a barcode", func(it *domain.Item) {
			it.Units = append(it.Units, domain.ItemUnit{UnitID: 3, Factor: domain.QtyOf(6), Barcode: it.Units[0].Barcode})
		}, []fe{{Field: "units[1].barcode", Rule: "duplicate"}}},
		{"extra unit is the base unit", func(it *domain.Item) {
			it.Units[0].UnitID = it.BaseUnitID
		}, []fe{{Field: "units[0].unit_id", Rule: "duplicate"}}},
		{"unit given twice", func(it *domain.Item) {
			it.Units = append(it.Units, domain.ItemUnit{UnitID: 2, Factor: domain.QtyOf(12)})
		}, []fe{{Field: "units[1].unit_id", Rule: "duplicate"}}},
		{"extra unit without id", func(it *domain.Item) { it.Units[0].UnitID = 0 }, []fe{{Field: "units[0].unit_id", Rule: "required"}}},
		{"zero factor", func(it *domain.Item) { it.Units[0].Factor = 0 }, []fe{{Field: "units[0].factor", Rule: "positive"}}},
		{"negative factor", func(it *domain.Item) { it.Units[0].Factor = -domain.QtyOf(1) }, []fe{{Field: "units[0].factor", Rule: "positive"}}},
		{"negative unit price", func(it *domain.Item) { it.Units[0].RetailPrice = -1 }, []fe{{Field: "units[0].retail_price", Rule: "not_negative"}}},
		{"negative price", func(it *domain.Item) { it.PurchasePrice = -1 }, []fe{{Field: "purchase_price", Rule: "not_negative"}}},
		{"min_qty above max_qty", func(it *domain.Item) {
			it.Levels[0].MinQty, it.Levels[0].MaxQty = domain.QtyOf(10), domain.QtyOf(5)
		}, []fe{{Field: "levels[0].min_qty", Rule: "not_above", Params: map[string]string{"other": "max_qty"}}}},
		{"min_qty with no max_qty", func(it *domain.Item) {
			it.Levels[0].MinQty, it.Levels[0].MaxQty = domain.QtyOf(10), 0
		}, nil},
		{"min_qty equal to max_qty", func(it *domain.Item) {
			it.Levels[0].MinQty, it.Levels[0].MaxQty = domain.QtyOf(10), domain.QtyOf(10)
		}, nil},
		{"warehouse twice in levels", func(it *domain.Item) {
			it.Levels = append(it.Levels, domain.ItemLevel{WarehouseID: 1})
		}, []fe{{Field: "levels[1].warehouse_id", Rule: "duplicate"}}},
		{"negative safety stock", func(it *domain.Item) { it.Levels[0].SafetyQty = -1 }, []fe{{Field: "levels[0].safety_qty", Rule: "not_negative"}}},
		{"unknown tracking", func(it *domain.Item) { it.Tracking = "lot" }, []fe{
			{Field: "tracking", Rule: "one_of", Params: map[string]string{"allowed": "none, batch, serial"}},
		}},
		{"shelf life out of range", func(it *domain.Item) { it.ShelfLifeDays = -1 }, []fe{
			{Field: "shelf_life_days", Rule: "range", Params: map[string]string{"min": "0", "max": "36500"}},
		}},
		{"template without variant attrs", func(it *domain.Item) {
			it.IsTemplate, it.VariantAttrs = true, nil
		}, []fe{{Field: "variant_attrs", Rule: "required"}}},
		{"template with empty variant attrs", func(it *domain.Item) {
			it.IsTemplate, it.VariantAttrs = true, []domain.VariantAttr{}
		}, []fe{{Field: "variant_attrs", Rule: "required"}}},
		{"template attr without values", func(it *domain.Item) {
			it.IsTemplate = true
			it.VariantAttrs = []domain.VariantAttr{{Name: "颜色"}}
		}, []fe{{Field: "variant_attrs[0].values", Rule: "required"}}},
		{"template attr with a repeated value and code", func(it *domain.Item) {
			it.IsTemplate = true
			it.VariantAttrs = []domain.VariantAttr{{Name: "颜色", Values: []domain.VariantValue{
				{Value: "红", Code: "RED"}, {Value: "红", Code: "RED"},
			}}}
		}, []fe{
			{Field: "variant_attrs[0].values[1].code", Rule: "duplicate"},
			{Field: "variant_attrs[0].values[1].value", Rule: "duplicate"},
		}},
		{"template with attrs", func(it *domain.Item) {
			it.IsTemplate = true
			it.VariantAttrs = tshirt().VariantAttrs
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := validItem()
			tt.modify(&it)
			got := fieldErrors(t, it.Validate())
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Validate() fields (-want +got):\n%s", diff)
			}
		})
	}
}

// tshirt is a variant template: 颜色 with codes × 尺码 without.
func tshirt() domain.Item {
	return domain.Item{
		ID:            7,
		Code:          "TS",
		Name:          "纯棉T恤",
		NameEn:        "Cotton tee",
		Mnemonic:      "cmtx",
		BaseUnitID:    1,
		Tracking:      domain.TrackNone,
		RetailPrice:   domain.PriceOf(59),
		PurchasePrice: domain.PriceOf(20),
		TaxRate:       domain.RateOf(13),
		Barcode:       "6900000000001",
		IsTemplate:    true,
		VariantAttrs: []domain.VariantAttr{
			{Name: "颜色", Values: []domain.VariantValue{{Value: "红", Code: "RED"}, {Value: "蓝", Code: "BLUE"}}},
			{Name: "尺码", Values: []domain.VariantValue{{Value: "S"}, {Value: "M"}, {Value: "L"}}},
		},
		Units: []domain.ItemUnit{
			{UnitID: 2, Factor: domain.QtyOf(10), Barcode: "16900000000008", RetailPrice: domain.PriceOf(500)},
		},
		Levels: []domain.ItemLevel{{WarehouseID: 3, MinQty: domain.QtyOf(5)}},
	}
}

func TestItemVariants(t *testing.T) {
	tmpl := tshirt()
	if err := tmpl.Validate(); err != nil {
		t.Fatalf("template does not validate: %v", err)
	}
	got := tmpl.Variants()

	type v struct{ code, color, size string }
	wantVariants := []v{
		{"TS-RED-01", "红", "S"}, {"TS-RED-02", "红", "M"}, {"TS-RED-03", "红", "L"},
		{"TS-BLUE-01", "蓝", "S"}, {"TS-BLUE-02", "蓝", "M"}, {"TS-BLUE-03", "蓝", "L"},
	}
	var want []domain.Item
	for _, w := range wantVariants {
		child := tshirt()
		child.ID = 0
		child.Code = w.code
		child.Name = "纯棉T恤 " + w.color + "/" + w.size
		child.NameEn = "Cotton tee " + w.color + "/" + w.size
		child.IsTemplate = false
		child.VariantAttrs = []domain.VariantAttr{}
		child.VariantValues = map[string]string{"颜色": w.color, "尺码": w.size}
		child.Barcode = ""
		child.Units[0].Barcode = ""
		want = append(want, child)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("Variants() (-want +got):\n%s", diff)
	}

	for i, c := range got {
		if err := c.Validate(); err != nil {
			t.Errorf("variant %d (%s) does not validate: %v", i, c.Code, err)
		}
	}

	// Children share no slices or maps with the template or each other.
	got[0].Units[0].RetailPrice = 1
	got[0].Levels[0].MinQty = 1
	got[0].VariantValues["颜色"] = "绿"
	if diff := cmp.Diff(tshirt(), tmpl); diff != "" {
		t.Errorf("changing a variant changed the template (-want +got):\n%s", diff)
	}
	if got[1].Units[0].RetailPrice != domain.PriceOf(500) || got[1].Levels[0].MinQty != domain.QtyOf(5) || got[1].VariantValues["颜色"] != "红" {
		t.Errorf("changing one variant changed another: %+v", got[1])
	}
}

func TestItemVariantsNoNameEn(t *testing.T) {
	tmpl := tshirt()
	tmpl.NameEn = ""
	tmpl.VariantAttrs = tmpl.VariantAttrs[1:] // 尺码 only
	var codes, names, namesEn []string
	for _, c := range tmpl.Variants() {
		codes, names, namesEn = append(codes, c.Code), append(names, c.Name), append(namesEn, c.NameEn)
	}
	if diff := cmp.Diff([]string{"TS-01", "TS-02", "TS-03"}, codes); diff != "" {
		t.Errorf("codes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"纯棉T恤 S", "纯棉T恤 M", "纯棉T恤 L"}, names); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"", "", ""}, namesEn); diff != "" {
		t.Errorf("English names (-want +got):\n%s", diff)
	}
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		password, username string
		want               []domain.FieldError
	}{
		{"abcdefghi1", "alice", nil},
		{"Correct-Horse-9", "alice", nil},
		{"密码密码密码密码密1", "alice", nil}, // 10 characters (28 bytes); 汉字 count as letters
		{"", "alice", []domain.FieldError{{Field: "new_password", Rule: "password_short", Params: map[string]string{"min": "10"}}}},
		{"abc123", "alice", []domain.FieldError{{Field: "new_password", Rule: "password_short", Params: map[string]string{"min": "10"}}}},
		{"abcdefgh1", "alice", []domain.FieldError{{Field: "new_password", Rule: "password_short", Params: map[string]string{"min": "10"}}}},
		{"密码1", "alice", []domain.FieldError{{Field: "new_password", Rule: "password_short", Params: map[string]string{"min": "10"}}}},
		{"abcdefghij", "alice", []domain.FieldError{{Field: "new_password", Rule: "password_weak"}}},
		{"1234567890", "alice", []domain.FieldError{{Field: "new_password", Rule: "password_weak"}}},
		{"!!!!!!!!!!!!", "alice", []domain.FieldError{{Field: "new_password", Rule: "password_weak"}}},
		{"admin12345", "admin12345", []domain.FieldError{{Field: "new_password", Rule: "password_is_username"}}},
		{"Admin12345", "admin12345", []domain.FieldError{{Field: "new_password", Rule: "password_is_username"}}},
		{strings.Repeat("a1", 128), "alice", nil}, // 256 characters
		{strings.Repeat("a1", 128) + "b", "alice", []domain.FieldError{{Field: "new_password", Rule: "max_length", Params: map[string]string{"max": "256"}}}},
	}
	for _, tt := range tests {
		got := fieldErrors(t, domain.CheckPassword("new_password", tt.password, tt.username))
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("CheckPassword(%q, %q) (-want +got):\n%s", tt.password, tt.username, diff)
		}
	}
}

func TestPermCatalog(t *testing.T) {
	cat := domain.PermCatalog()
	if len(cat) == 0 {
		t.Fatal("PermCatalog is empty")
	}
	if !sort.SliceIsSorted(cat, func(i, j int) bool { return cat[i].Perm < cat[j].Perm }) {
		t.Error("PermCatalog is not sorted")
	}
	for i, d := range cat {
		if i > 0 && cat[i-1].Perm == d.Perm {
			t.Errorf("%s listed twice", d.Perm)
		}
		parts := strings.Split(string(d.Perm), ".")
		if len(parts) != 3 || parts[0] != d.Module || parts[1] == "" || parts[2] == "" {
			t.Errorf("%s (module %q) is not module.resource.action", d.Perm, d.Module)
		}
		if !domain.KnownPerm(d.Perm) {
			t.Errorf("KnownPerm(%q) = false for a catalog entry", d.Perm)
		}
	}
	for _, p := range []domain.Perm{"data.item.read", "data.item.write", "settings.audit.read", "sales.pos.read", "sales.pos.use"} {
		if !domain.KnownPerm(p) {
			t.Errorf("KnownPerm(%q) = false, want true", p)
		}
	}
	for _, p := range []domain.Perm{"data.item.fly", "", "data.item", "data", "DATA.ITEM.WRITE", "data.item.write ", "zzz.zzz.zzz", "a"} {
		if domain.KnownPerm(p) {
			t.Errorf("KnownPerm(%q) = true, want false", p)
		}
	}

	// The catalog handed out is a copy.
	cat[0].Perm = "mutated.by.caller"
	if domain.PermCatalog()[0].Perm == "mutated.by.caller" {
		t.Error("PermCatalog returns the shared slice")
	}
}

func TestPrincipalCanAny(t *testing.T) {
	const read, use = domain.Perm("sales.pos.read"), domain.Perm("sales.pos.use")
	for _, tt := range []struct {
		name  string
		p     *domain.Principal
		perms []domain.Perm
		want  bool
	}{
		{"holds the first", &domain.Principal{Perms: map[domain.Perm]bool{read: true}}, []domain.Perm{read, use}, true},
		{"holds the second", &domain.Principal{Perms: map[domain.Perm]bool{use: true}}, []domain.Perm{read, use}, true},
		{"holds neither", &domain.Principal{Perms: map[domain.Perm]bool{"sales.order.read": true}}, []domain.Perm{read, use}, false},
		{"asked for none", &domain.Principal{Perms: map[domain.Perm]bool{read: true}}, nil, false},
		{"administrator", &domain.Principal{IsAdmin: true}, []domain.Perm{read}, true},
		{"nobody", nil, []domain.Perm{read}, false},
	} {
		if got := tt.p.CanAny(tt.perms...); got != tt.want {
			t.Errorf("%s: CanAny(%v) = %v, want %v", tt.name, tt.perms, got, tt.want)
		}
	}
}

func TestCountRule(t *testing.T) {
	for _, tt := range []struct {
		name string
		it   domain.Item
		want string
	}{
		{"plain", domain.Item{Tracking: domain.TrackNone}, ""},
		{"batch", domain.Item{Tracking: domain.TrackBatch}, ""},
		{"serial", domain.Item{Tracking: domain.TrackSerial}, "serial_not_counted"},
		{"template", domain.Item{IsTemplate: true}, "template_no_stock"},
	} {
		if got := domain.CountRule(&tt.it); got != tt.want {
			t.Errorf("%s: CountRule = %q, want %q", tt.name, got, tt.want)
		}
	}
}
