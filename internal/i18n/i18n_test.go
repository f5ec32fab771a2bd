package i18n

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Every key exists in both languages, and no message is left empty.
func TestCatalogComplete(t *testing.T) {
	if diff := cmp.Diff(Keys(ZH), Keys(EN)); diff != "" {
		t.Errorf("zh-CN and en keys differ (-zh +en):\n%s", diff)
	}
	for _, l := range []Lang{ZH, EN} {
		for _, k := range Keys(l) {
			if strings.TrimSpace(catalog[l][k]) == "" {
				t.Errorf("%s %s is empty", l, k)
			}
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		header string
		want   Lang
	}{
		{"", ZH},
		{"en", EN},
		{"en-US,en;q=0.9", EN},
		{"zh-CN,zh;q=0.9,en;q=0.8", ZH},
		{"fr-FR,en;q=0.5,zh;q=0.4", EN},
		{"de", ZH},
		{"en;q=0.3, zh-TW;q=0.7", ZH},
	}
	for _, tt := range tests {
		if got := Parse(tt.header); got != tt.want {
			t.Errorf("Parse(%q) = %s, want %s", tt.header, got, tt.want)
		}
	}
}

func TestT(t *testing.T) {
	got := T(ZH, "error.duplicate", map[string]string{"entity": "item", "field": "code"})
	if want := "已有相同编码的商品"; got != want {
		t.Errorf("T zh = %q, want %q", got, want)
	}
	got = T(EN, "error.duplicate", map[string]string{"entity": "item", "field": "code"})
	if want := "This code is already used by another item"; got != want {
		t.Errorf("T en = %q, want %q", got, want)
	}
	for _, tt := range []struct {
		lang       Lang
		name, want string
	}{
		{ZH, "units[1].barcode", "单位 2 › 条码"},
		{ZH, "lines[0].min_qty", "明细 1 › 起订量"},
		{ZH, "levels[0].min_qty", "库存上下限 1 › 最低库存"},
		{EN, "lines[2].price", "lines 3 › price"},
		{ZH, "code", "编码"},
	} {
		if got := Name(tt.lang, tt.name); got != tt.want {
			t.Errorf("Name(%s, %q) = %q, want %q", tt.lang, tt.name, got, tt.want)
		}
	}
}

func TestFieldMessage(t *testing.T) {
	for _, tt := range []struct {
		lang        Lang
		field, text string
		want        string
	}{
		{ZH, "qty", "必须大于 0", "数量：必须大于 0"},
		{EN, "qty", "must be greater than 0", "Quantity: must be greater than 0"},
		{EN, "lines[0].qty", "must be greater than 0", "Lines 1 › quantity: must be greater than 0"},
	} {
		if got := FieldMessage(tt.lang, tt.field, tt.text); got != tt.want {
			t.Errorf("FieldMessage(%s, %q) = %q, want %q", tt.lang, tt.field, got, tt.want)
		}
	}
	// The minimum-price guard (domain.GuardMinPrices, sales) names the minimum.
	below := map[string]string{"price": "1.00", "min": "2.80"}
	if got := FieldMessage(ZH, "lines[0].price", T(ZH, "rule.below_min_price", below)); got != "明细 1 › 价格：低于最低售价 2.80，需要有改价权限的人开单" {
		t.Errorf("below_min_price zh = %q", got)
	}
	if got := FieldMessage(EN, "lines[0].price", T(EN, "rule.below_min_price", below)); got != "Lines 1 › price: below the minimum price 2.80; only someone allowed to override prices may sell at it" {
		t.Errorf("below_min_price en = %q", got)
	}
	if got := Join(ZH, []string{"a", "b"}); got != "a；b" {
		t.Errorf("Join zh = %q", got)
	}
	if got := Join(EN, []string{"a", "b"}); got != "a; b" {
		t.Errorf("Join en = %q", got)
	}
}
