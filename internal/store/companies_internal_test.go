package store

import (
	"reflect"
	"slices"
	"testing"

	"github.com/jxc-erp/jxc/internal/domain"
)

// TestDecodedSettingsAreCopies: the settings kept decoded are handed out as
// copies: what one caller changes, the next does not see.
func TestDecodedSettingsAreCopies(t *testing.T) {
	// Every field a copy could share must be one cloneSettings copies.
	cloned := []string{"ApprovalFor", "NumberPrefixes", "CustomerTiers"}
	st := reflect.TypeFor[domain.CompanySettings]()
	for i := range st.NumField() {
		f := st.Field(i)
		switch f.Type.Kind() {
		case reflect.Map, reflect.Slice, reflect.Pointer, reflect.Interface:
			if !slices.Contains(cloned, f.Name) {
				t.Errorf("CompanySettings.%s is shared by reference: copy it in cloneSettings", f.Name)
			}
		}
	}
	row := &companyRow{Company: domain.Company{ID: 7}, SettingsJSON: `{"approval_for":["purchase_order"],"number_prefixes":{"purchase_receipt":"IN"},"customer_tiers":[{"code":"VIP","name":"贵宾"}]}`}
	first, err := row.company()
	if err != nil {
		t.Fatal(err)
	}
	first.Settings.ApprovalFor[0] = "changed"
	first.Settings.NumberPrefixes["purchase_receipt"] = "XX"
	first.Settings.CustomerTiers[0].Name = "changed"
	again, err := row.company()
	if err != nil {
		t.Fatal(err)
	}
	s := again.Settings
	if s.ApprovalFor[0] != "purchase_order" || s.NumberPrefixes["purchase_receipt"] != "IN" || s.CustomerTiers[0].Name != "贵宾" ||
		s.NumberPrefixes["purchase_order"] != domain.DefaultNumberPrefixes["purchase_order"] {
		t.Errorf("the second read of the same settings: %+v; want them as stored, with the default prefixes", s)
	}
}
