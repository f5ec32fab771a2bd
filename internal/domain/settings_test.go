package domain

import "testing"

func TestCompanySettingsFillDefaults(t *testing.T) {
	s := CompanySettings{NegativeStock: NegativeStockAllow, NumberPrefixes: map[string]string{"purchase_order": "PO"}}
	s.FillDefaults()
	if s.NegativeStock != NegativeStockAllow || s.CostingMethod != CostingMovingAverage || s.CostingScope != CostingScopeCompany {
		t.Errorf("FillDefaults kept or filled wrong: %+v", s)
	}
	if s.NumberPrefixes["purchase_order"] != "PO" || s.NumberPrefixes["sales_order"] != "XS" {
		t.Errorf("prefixes = %v", s.NumberPrefixes)
	}
	var f Fields
	s.validate(&f)
	if err := f.Err(); err != nil {
		t.Errorf("filled settings invalid: %v", err)
	}
}

func TestMergeVariantAttrs(t *testing.T) {
	stored := []VariantAttr{
		{Name: "颜色", Values: []VariantValue{{Value: "白", Code: "WHT"}, {Value: "黑", Code: "BLK"}}},
		{Name: "尺码", Values: []VariantValue{{Value: "S"}, {Value: "M"}}},
	}
	// The request drops 白, reorders sizes, renames a code, adds 灰 and L,
	// and invents a new attribute: only the additions are taken.
	requested := []VariantAttr{
		{Name: "颜色", Values: []VariantValue{{Value: "黑", Code: "BK"}, {Value: "灰", Code: "GRY"}}},
		{Name: "尺码", Values: []VariantValue{{Value: "M"}, {Value: "S"}, {Value: "L"}}},
		{Name: "材质", Values: []VariantValue{{Value: "棉"}}},
	}
	got := MergeVariantAttrs(stored, requested)
	want := []VariantAttr{
		{Name: "颜色", Values: []VariantValue{{Value: "白", Code: "WHT"}, {Value: "黑", Code: "BLK"}, {Value: "灰", Code: "GRY"}}},
		{Name: "尺码", Values: []VariantValue{{Value: "S"}, {Value: "M"}, {Value: "L"}}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d attributes, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i].Name != want[i].Name || len(got[i].Values) != len(want[i].Values) {
			t.Fatalf("attr %d = %+v, want %+v", i, got[i], want[i])
		}
		for j := range want[i].Values {
			if got[i].Values[j] != want[i].Values[j] {
				t.Errorf("attr %d value %d = %+v, want %+v", i, j, got[i].Values[j], want[i].Values[j])
			}
		}
	}
}
