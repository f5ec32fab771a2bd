package domain_test

import (
	"math"
	"strings"
	"testing"

	"github.com/jxc-erp/jxc/internal/domain"
)

func TestMoneyChinese(t *testing.T) {
	tests := []struct {
		in   domain.Money
		want string
	}{
		// The examples that define the style.
		{10000, "壹佰元整"},
		{50, "伍角"},
		{105, "壹元零伍分"},
		{1030, "壹拾元叁角"},
		{100400, "壹仟零肆元整"},
		{10000000, "壹拾万元整"},
		{10500000, "壹拾万伍仟元整"},
		{100000100, "壹佰万零壹元整"},
		{101010101, "壹佰零壹万零壹佰零壹元零壹分"},
		{0, "零元整"},
		{1, "壹分"},
		{12345678912, "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分"},
		{10000000000, "壹亿元整"},
		{-1230, "负壹拾贰元叁角"},

		// Boundaries.
		{100, "壹元整"},
		{1000, "壹拾元整"},
		{1100, "壹拾壹元整"},
		{2000, "贰拾元整"},
		{10100, "壹佰零壹元整"},
		{11000, "壹佰壹拾元整"},
		{100000, "壹仟元整"},
		{100100, "壹仟零壹元整"},
		{101000, "壹仟零壹拾元整"},
		{999999, "玖仟玖佰玖拾玖元玖角玖分"},
		{1000000, "壹万元整"},
		{1000100, "壹万零壹元整"},
		{1000001, "壹万元零壹分"},
		{10010000, "壹拾万零壹佰元整"},
		{11000000, "壹拾壹万元整"},
		{2000000000, "贰仟万元整"},
		{1000001000, "壹仟万零壹拾元整"},
		{10000000100, "壹亿零壹元整"},
		{10000100000, "壹亿零壹仟元整"}, // a whole zero group is a gap
		{10010000000, "壹亿零壹拾万元整"},
		{100000000000000, "壹万亿元整"},
		{100010000000000, "壹万零壹亿元整"},
		{100000000000500, "壹万亿零伍元整"},
		{1000000000000000000, "壹亿亿元整"},

		// Cases from the rules for filling in bank forms.
		{10, "壹角"},
		{55, "伍角伍分"},
		{140950, "壹仟肆佰零玖元伍角"},
		{600714, "陆仟零柒元壹角肆分"},
		{168032, "壹仟陆佰捌拾元叁角贰分"},
		{10700053, "壹拾万柒仟元伍角叁分"},
		{1640902, "壹万陆仟肆佰零玖元零贰分"},
		{32504, "叁佰贰拾伍元零肆分"},

		// Negative amounts and the ends of int64.
		{-1, "负壹分"},
		{-10000000000, "负壹亿元整"},
		{math.MaxInt64, "玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元零柒分"},
		{math.MinInt64, "负玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元零捌分"},
		{-math.MaxInt64, "负玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元零柒分"},
	}
	for _, tt := range tests {
		if got := tt.in.Chinese(); got != tt.want {
			t.Errorf("Money(%d) = %s: Chinese() = %q, want %q", int64(tt.in), tt.in, got, tt.want)
		}
	}
}

// TestMoneyChineseInvariants checks the zero rules over many amounts: 零 is
// never doubled, never stands before 元/万/亿 or at the end, and 整 appears
// exactly when there are no 角 and 分.
func TestMoneyChineseInvariants(t *testing.T) {
	check := func(m domain.Money) {
		got := m.Chinese()
		for _, bad := range []string{"零零", "零元", "零万", "零亿", "零角", "零分"} {
			if strings.Contains(got, bad) && got != "零元整" {
				t.Errorf("Money(%s).Chinese() = %q contains %q", m, got, bad)
			}
		}
		if strings.HasSuffix(got, "零") {
			t.Errorf("Money(%s).Chinese() = %q ends in 零", m, got)
		}
		if wantZheng := m%100 == 0; strings.HasSuffix(got, "整") != wantZheng {
			t.Errorf("Money(%s).Chinese() = %q: 整 should be %v", m, got, wantZheng)
		}
	}
	for v := int64(0); v < 200000; v++ {
		check(domain.Money(v))
	}
	for v := int64(1); v > 0 && v < math.MaxInt64/7; v = v*7 + 3 {
		check(domain.Money(v))
		check(domain.Money(-v))
	}
	for _, v := range []int64{math.MaxInt64, math.MinInt64} {
		check(domain.Money(v))
	}
}
